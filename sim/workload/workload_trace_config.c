/* workload_trace_config.c - workload.trace: which file, in which format, and how to
 * replay it; the same keys as `slsim trace` options.
 *
 * Files named here open from the working directory, else from the scenario's
 * folder. Whole-file problems (a directory, an empty file, no requests) are found
 * when the trace is opened; the spec keeps where its keys were written so that
 * those are reported at the key too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/limits.h"
#include "slsim/workload_config.h"
#include "../base/yaml_get.h"
#include "../base/yaml_tree.h"

static const char *const trace_keys[] = {
    "format",  "path",      "durations", "memory",     "within_minute", "within",
    "functions", "time_scale", "rate_scale", "window", "reorder",       "skip_bad",
    "columns", "time_unit", "duration_unit", "header", "interval",     "tokens", "service",
    NULL};
static const char *const within_names[] = {"poisson", "uniform", "equidistant", NULL};
static const char *const time_unit_names[] = {"s", "ms", "us", "iso8601", NULL};
static const char *const column_keys[] = {"time", "function", "duration", "memory", NULL};
static const char *const window_keys[] = {"start", "end", NULL};


/* A file named in the scenario: as given when it opens from the working
 * directory, else relative to the scenario's folder. The error names the key. */
static int find_file(struct slsim_error *err, const struct ynode *v, const char *kp,
                     const char *base_dir, char *out, size_t n)
{
    const char *t = cfg_want_scalar(err, v, kp, "a file name");
    if (!t)
        return -1;
    if (!t[0])
        return cfg_fail(err, v, kp, "a file name must not be empty");
    snprintf(out, n, "%s", t);
    FILE *f = fopen(out, "rb");
    if (!f && t[0] != '/' && base_dir[0]) {
        snprintf(out, n, "%s/%s", base_dir, t);
        f = fopen(out, "rb");
    }
    if (!f)
        return cfg_fail(err, v, kp, "cannot open \"%s\": %s", t, strerror(errno));
    fclose(f);
    return 0;
}

int workload_trace_parse(struct slsim_error *err, const struct ynode *n, const char *base_dir,
                         struct trace_spec *t)
{
    const char *path = "workload.trace";
    char kp[KEY_MAX];
    const struct ynode *v;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, path, "expected a mapping such as {format: azure2019, path: "
                                      "...}, got %s", ytree_describe(n));
    if (cfg_check_keys(err, n, path, trace_keys))
        return -1;
    if (!(v = ytree_get(n, "format")))
        return cfg_missing(err, n, path, "format");
    int fi;
    if (cfg_get_enum(err, v, "workload.trace.format", "trace format", trace_format_names(), NULL,
                     &fi))
        return -1;
    t->format = (enum trace_format)fi;
    if (!(v = ytree_get(n, "path")))
        return cfg_missing(err, n, path, "path");
    if (find_file(err, v, "workload.trace.path", base_dir, t->path, sizeof t->path))
        return -1;
    /* The trace layer reports whole-file problems (a directory, an empty file, no
     * requests) at these keys. */
    snprintf(t->origin, sizeof t->origin, "%s", v->src ? v->src : "");
    t->at_trace = (struct trace_at){n->line, n->column};
    t->at_path = (struct trace_at){v->line, v->column};
    struct { const char *key; char *out; } files[] = {{"durations", t->durations},
                                                      {"memory", t->memory}};
    for (size_t i = 0; i < 2; i++)
        if ((v = ytree_get(n, files[i].key))) {
            cfg_path_join(kp, path, files[i].key);
            if (!(trace_format_props(t->format) & TRACE_FORMAT_SIDE_FILES)) {
                char names[200];
                return cfg_fail(err, v, kp, "%s applies only to format: %s", files[i].key,
                                trace_format_list(TRACE_FORMAT_SIDE_FILES, "", " or ", names,
                                                  sizeof names));
            }
            if (find_file(err, v, kp, base_dir, files[i].out, TRACE_PATH_MAX))
                return -1;
            *(i == 0 ? &t->at_durations : &t->at_memory) = (struct trace_at){v->line, v->column};
        }
    if ((v = ytree_get(n, "within_minute")) || (v = ytree_get(n, "within"))) {
        int wi;
        cfg_path_join(kp, path, ytree_get(n, "within") ? "within" : "within_minute");
        if (cfg_get_enum(err, v, kp, "within-interval arrivals", within_names, NULL, &wi))
            return -1;
        t->within = (enum trace_within)wi;
    }
    if ((v = ytree_get(n, "functions"))) {
        cfg_path_join(kp, path, "functions");
        if (v->kind == YNODE_SEQUENCE) {
            t->select = SELECT_LIST;
            t->ids = calloc(v->n_items ? v->n_items : 1, sizeof *t->ids);
            if (!t->ids)
                return cfg_fail(err, v, kp, "out of memory");
            for (size_t i = 0; i < v->n_items; i++) {
                char ip[KEY_MAX];
                cfg_path_index(ip, kp, i + 1);
                const char *id = cfg_want_scalar(err, v->items[i], ip, "a function name");
                if (!id)
                    return -1;
                if (!(t->ids[t->n_ids] = strdup(id)))
                    return cfg_fail(err, v, kp, "out of memory");
                t->n_ids++;
            }
            if (!t->n_ids)
                return cfg_fail(err, v, kp, "an empty list selects nothing");
        } else {
            const char *text = cfg_want_scalar(err, v, kp, "all, top:N, sample:N or a list");
            if (!text)
                return -1;
            char *end;
            if (strcmp(text, "all") == 0) {
                t->select = SELECT_ALL;
            } else if ((strncmp(text, "top:", 4) == 0 || strncmp(text, "sample:", 7) == 0) &&
                       strtoul(strchr(text, ':') + 1, &end, 10) > 0 && !*end &&
                       strchr(text, ':')[1] != '-') {
                t->select = text[0] == 't' ? SELECT_TOP : SELECT_SAMPLE;
                t->select_n = (uint32_t)strtoul(strchr(text, ':') + 1, NULL, 10);
            } else {
                return cfg_fail(err, v, kp, "expected all, top:N, sample:N (N > 0) or a list of "
                                            "function names; got \"%s\"", text);
            }
        }
    }
    struct { const char *key; double *out; } nums[] = {{"time_scale", &t->time_scale},
                                                       {"rate_scale", &t->rate_scale}};
    for (size_t i = 0; i < 2; i++)
        if ((v = ytree_get(n, nums[i].key))) {
            cfg_path_join(kp, path, nums[i].key);
            if (cfg_get_number(err, v, kp, nums[i].out))
                return -1;
            if (!(*nums[i].out > 0))
                return cfg_fail(err, v, kp, "%s must be above 0", nums[i].key);
            /* rate_scale may thin as far as it likes; repeating, and stretching or
             * compressing time, multiply what the trace holds. */
            if (*nums[i].out > SCENARIO_MAX_TRACE_SCALE)
                return cfg_fail(err, v, kp, "%s %g is above the limit of %g", nums[i].key,
                                *nums[i].out, SCENARIO_MAX_TRACE_SCALE);
            if (i == 0 && *nums[i].out < 1.0 / SCENARIO_MAX_TRACE_SCALE)
                return cfg_fail(err, v, kp, "time_scale %g is below the limit of %g: it "
                                "compresses a day of trace into less than 0.1 s",
                                *nums[i].out, 1.0 / SCENARIO_MAX_TRACE_SCALE);
        }
    if ((v = ytree_get(n, "window"))) {
        cfg_path_join(kp, path, "window");
        if (v->kind != YNODE_MAPPING)
            return cfg_fail(err, v, kp, "expected {start: 1h, end: 3h}, got %s", ytree_describe(v));
        if (cfg_check_keys(err, v, kp, window_keys))
            return -1;
        const struct ynode *w;
        char sub[KEY_MAX];
        if ((w = ytree_get(v, "start"))) {
            cfg_path_join(sub, kp, "start");
            if (cfg_get_duration(err, w, sub, 0, &t->window_start_ns))
                return -1;
        }
        if ((w = ytree_get(v, "end"))) {
            cfg_path_join(sub, kp, "end");
            if (cfg_get_duration(err, w, sub, 1, &t->window_end_ns))
                return -1;
            if (t->window_end_ns <= t->window_start_ns)
                return cfg_fail(err, w, sub, "the window ends before it starts");
        }
    }
    if ((v = ytree_get(n, "reorder"))) {
        cfg_path_join(kp, path, "reorder");
        if (cfg_get_duration(err, v, kp, 0, &t->reorder_ns))
            return -1;
    }
    if ((v = ytree_get(n, "skip_bad"))) {
        cfg_path_join(kp, path, "skip_bad");
        if (cfg_get_bool(err, v, kp, &t->skip_bad))
            return -1;
    }
    if ((v = ytree_get(n, "header"))) {
        cfg_path_join(kp, path, "header");
        if (cfg_get_bool(err, v, kp, &t->header))
            return -1;
    }
    if ((v = ytree_get(n, "time_unit"))) {
        int ui;
        cfg_path_join(kp, path, "time_unit");
        if (cfg_get_enum(err, v, kp, "time unit", time_unit_names, NULL, &ui))
            return -1;
        t->time_unit = (enum trace_time_unit)ui;
    }
    if ((v = ytree_get(n, "duration_unit"))) {
        sim_time unit;
        cfg_path_join(kp, path, "duration_unit");
        if (cfg_get_duration(err, v, kp, 0, &unit))
            return -1;
        if (unit <= 0)
            return cfg_fail(err, v, kp, "duration_unit must be above 0, such as 1ms");
        t->duration_unit_s = (double)unit / 1e9;
    }
    if ((v = ytree_get(n, "interval"))) {
        cfg_path_join(kp, path, "interval");
        if (cfg_get_duration(err, v, kp, 0, &t->interval_ns))
            return -1;
        if (t->interval_ns <= 0)
            return cfg_fail(err, v, kp, "interval must be above 0");
        t->interval_given = 1;
    }
    if ((v = ytree_get(n, "columns"))) {
        cfg_path_join(kp, path, "columns");
        if (v->kind != YNODE_MAPPING)
            return cfg_fail(err, v, kp, "expected {time: ts, function: fn, duration: dur_ms}, "
                                        "got %s", ytree_describe(v));
        if (cfg_check_keys(err, v, kp, column_keys))
            return -1;
        char *outs[] = {t->col_time, t->col_function, t->col_duration, t->col_memory};
        for (size_t i = 0; i < 4; i++) {
            const struct ynode *w = ytree_get(v, column_keys[i]);
            char sub[KEY_MAX];
            if (!w)
                continue;
            cfg_path_join(sub, kp, column_keys[i]);
            const char *c = cfg_want_scalar(err, w, sub, "a column name or number");
            if (!c)
                return -1;
            if (!c[0] || strlen(c) >= TRACE_NAME_MAX)
                return cfg_fail(err, w, sub, "a column name must have 1 to %d characters",
                                TRACE_NAME_MAX - 1);
            snprintf(outs[i], TRACE_NAME_MAX, "%s", c);
        }
    }
    if ((v = ytree_get(n, "tokens"))) {
        /* Still a known key, so that a scenario (or `slsim trace --tokens`) written
         * for it learns what replaced it rather than "unknown key". */
        cfg_path_join(kp, path, "tokens");
        return cfg_fail(err, v, kp,
                        "the per-request token formula {base, prefill, decode} was retired: "
                        "it ignored batching and the KV cache. Requests now carry their "
                        "tokens (an azure-llm trace's ContextTokens and GeneratedTokens); "
                        "give the model's architecture as model.llm (llama-2-7b, "
                        "llama-2-13b, llama-2-70b, llama-3-8b, llama-3-70b; `slsim catalog "
                        "list`) and the deployment's serving: keys, and an iteration-level "
                        "LLM scheduler times each request from its tokens");
    }
    if ((v = ytree_get(n, "service"))) {
        static const char *const sources[] = {"trace", "model", NULL};
        int si;
        cfg_path_join(kp, path, "service");
        if (cfg_get_enum(err, v, kp, "service source", sources, NULL, &si))
            return -1;
        t->service_from_model = si == 1;
    }
    if ((trace_format_props(t->format) & TRACE_FORMAT_COLUMNS) && !t->col_time[0])
        return cfg_fail(err, n, path, "a csv trace needs columns: {time: ...}");
    return 0;
}

const char *const *workload_trace_keys(void)
{
    return trace_keys;
}

int workload_trace_from_options(const char *path, const char *const *keys,
                                const char *const *values, const char *const *srcs, size_t n,
                                struct trace_spec *t, struct slsim_error *err)
{
    static const char src[] = "command line";
    struct ynode *map = ytree_new_mapping(src, 1, 1);
    struct ynode *k = ytree_new_scalar("path", src, 1, 1);
    struct ynode *v = ytree_new_scalar(path, src, 1, 1);
    if (!map || !k || !v || ytree_map_put(map, k, v) != 0) {
        ytree_free(map);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        v = ytree_parse(values[i], strlen(values[i]), srcs[i], 0, keys[i], err);
        if (!v) {
            ytree_free(map);
            return -1;
        }
        k = ytree_new_scalar(keys[i], srcs[i], 1, 1);
        if (!k || ytree_map_put(map, k, v) != 0) {
            ytree_free(map);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        }
    }
    trace_spec_default(t);
    int rc = workload_trace_parse(err, map, "", t);
    t->origin[0] = '\0'; /* the file itself is where its problems are */
    ytree_free(map);
    return rc;
}
