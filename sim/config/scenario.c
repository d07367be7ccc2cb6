/* scenario.c - load a scenario file into validated structs (docs/SCENARIO.md is the
 * contract).
 *
 * Three stages, so that every error can name file, line, column and key path:
 * parse the YAML into a position-keeping tree (yaml_tree.c), splice each `--set`
 * override into that tree as if it had been written in the file, then walk the tree
 * once, checking keys, types, units and ranges while filling struct scenario.
 * Overrides go into the tree rather than into the structs so that they are checked
 * by exactly the code that checks the file, and a bad one is reported at its own
 * position in the override text.
 *
 * Unknown keys are errors, never ignored: a misspelt `keep_alvie` that silently fell
 * back to the default would make a study wrong without anyone noticing. For the same
 * reason keys that do not apply (duty_cycle without arrival: onoff, max_wait without
 * on_throttle: queue, a fleet key on a serverless deployment) are errors. Keys that
 * belong to later versions (traces, keep-alive policies, warming) get their own
 * message, so a user with a newer file learns why rather than being told the key is
 * misspelt.
 *
 * `--set` paths beyond docs/SCENARIO.md: `name[N]` picks item N (1-based, as errors
 * count) of a sequence, e.g. workload.spikes[1].factor=2; an empty or `~` value
 * removes the key, so an override can take back a key that no longer applies. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "slsim/platform.h"
#include "slsim/scenario.h"
#include "slsim/workload.h"
#include "../base/yaml_get.h"
#include "../base/yaml_tree.h"

/* 2GiB: a memory setting of Lambda (its 2048 MB is 2048 MiB), SageMaker Serverless,
 * Flex and Cloud Run; 2GB (2e9 bytes) is not one of the first three's. */
#define DEFAULT_MODEL_MEMORY_BYTES 2147483648LL
#define DEFAULT_PEAK_TO_MEAN 2.0
#define MAX_REPLICATIONS 10000
#define MAX_CONCURRENCY 1000
#define MAX_RESERVED 1000000
#define MAX_FLEET SCENARIO_MAX_FLEET
/* The clock is int64 ns (292 years) and a sampled duration is at most a quarter of
 * that (dist.c), so a run up to a quarter leaves room for what runs at its end: a
 * cold start, a service time and more. 70 years of 365 days is below the quarter. */
#define MAX_DURATION_NS (SIM_NS_PER_S * 86400 * 25550)

/* ---- sections ---- */

static const char *const top_keys[] = {"name",     "seed",        "duration", "warmup",
                                       "replications", "model",   "workload", "deployments",
                                       "slo",      "pricing", NULL};
static const char *const top_later[] = {NULL};
static const char *const model_keys[] = {"name", "size", "memory", "service", NULL};
static const char *const workload_keys[] = {"arrival",      "rate",   "duty_cycle", "period",
                                            "peak_to_mean", "spikes", "functions",  "zipf",
                                            "trace",        NULL};
static const char *const workload_later[] = {NULL};
static const char *const trace_keys[] = {
    "format",  "path",      "durations", "memory",     "within_minute", "within",
    "functions", "time_scale", "rate_scale", "window", "reorder",       "skip_bad",
    "columns", "time_unit", "duration_unit", "header", "interval",     "tokens", "service",
    NULL};
static const char *const within_names[] = {"poisson", "uniform", "equidistant", NULL};
static const char *const time_unit_names[] = {"s", "ms", "us", "iso8601", NULL};
static const char *const column_keys[] = {"time", "function", "duration", "memory", NULL};
static const char *const window_keys[] = {"start", "end", NULL};
static const char *const token_keys[] = {"base", "prefill", "decode", NULL};
static const char *const arrival_names[] = {"poisson", "constant", "onoff", "diurnal", "trace",
                                            NULL};
static const enum arrival_kind arrival_kinds[] = {ARRIVAL_POISSON, ARRIVAL_CONSTANT,
                                                  ARRIVAL_ONOFF, ARRIVAL_DIURNAL, ARRIVAL_TRACE};
static const char *const arrival_later[] = {"mmpp", NULL};
static const char *const spike_keys[] = {"at", "duration", "factor", NULL};
static const char *const serverless_keys[] = {
    "name",        "type",        "platform",  "memory",     "keep_alive", "concurrency",
    "reserved",    "on_throttle", "max_wait",  "idle_pick",  "coldstart",  "provisioned",
    "init_billed", "free_tier",   "discount",  "warming",    "warm_before", "scale_rate",
    "retry",       NULL};
static const char *const dedicated_keys[] = {"name",      "type",     "instance", "count",
                                             "slots",     "speed",    "max_queue", "discount",
                                             "autoscale", NULL};
static const char *const hybrid_keys[] = {"name", "type", "base", "overflow", "overflow_queue",
                                          NULL};
static const char *const fleet_keys[] = {"instance",  "count",    "slots", "speed",
                                         "max_queue", "discount", "autoscale", NULL};
static const char *const overflow_keys[] = {
    "platform",  "memory",    "keep_alive",  "concurrency", "reserved", "on_throttle",
    "max_wait",  "idle_pick", "coldstart",   "provisioned", "init_billed", "free_tier",
    "discount",  "warming",   "warm_before", "scale_rate",  "retry",    NULL};
static const char *const keepalive_keys[] = {
    "policy", "duration", "capacity", "bin", "range", "prewarm_percentile",
    "keep_alive_percentile", "margin", "cv_threshold", "min_samples", "oob_fraction",
    "forecast_alpha", "forecast_margin", "fallback", NULL};
static const char *const keepalive_policies[] = {"fixed", "none", "forever", "hybrid-histogram",
                                                 "greedy-dual", "lru", NULL};
static const char *const provisioned_keys[] = {"default", "schedule", NULL};
static const char *const rule_keys[] = {"days", "from", "to", "count", NULL};
static const char *const warming_keys[] = {"every", "instances", "ping", NULL};
static const char *const ahead_keys[] = {"at", "instances", NULL};
static const char *const retry_keys[] = {"backoff", "max_backoff", "max_age", NULL};
static const char *const autoscale_keys[] = {"target", "interval", "boot", "cooldown",
                                             "min",    "max",      NULL};
static const char *const deployment_later[] = {NULL};
static const char *const type_names[] = {"serverless", "dedicated", "hybrid", NULL};
static const enum deployment_type type_values[] = {DEPLOYMENT_SERVERLESS, DEPLOYMENT_DEDICATED,
                                                   DEPLOYMENT_HYBRID};
static const char *const throttle_names[] = {"reject", "queue", "retry", NULL};
static const enum on_throttle throttle_values[] = {THROTTLE_REJECT, THROTTLE_QUEUE,
                                                   THROTTLE_RETRY};
static const char *const idle_pick_names[] = {"mru", "newest", "lru", "random", NULL};
static const enum idle_pick idle_pick_values[] = {IDLE_PICK_MRU, IDLE_PICK_NEWEST,
                                                  IDLE_PICK_LRU, IDLE_PICK_RANDOM};
static const char *const coldstart_words[] = {"none", "default", NULL};
/* Only for did-you-mean on a misspelt slo key; any latency_pNN is accepted. */
static const char *const slo_examples[] = {"latency_p50", "latency_p90", "latency_p95",
                                           "latency_p99", "latency_p999", NULL};

static int parse_model(struct slsim_error *err, const struct ynode *root, struct model_spec *m,
                       int *has_service)
{
    const struct ynode *n = ytree_get(root, "model");
    snprintf(m->name, sizeof m->name, "model");
    m->size_bytes = 0;
    m->memory_bytes = DEFAULT_MODEL_MEMORY_BYTES;
    if (!n)
        return cfg_fail(err, root, "model", "missing required key \"model\" (at least "
                                        "model.service)");
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "model", "expected a mapping, got %s", ytree_describe(n));
    if (cfg_check_keys(err, n, "model", model_keys, NULL, NULL))
        return -1;
    const struct ynode *v;
    if ((v = ytree_get(n, "name")) && cfg_get_name(err, v, "model.name", NAME_TEXT, m->name))
        return -1;
    if ((v = ytree_get(n, "size"))) {
        if (cfg_get_size(err, v, "model.size", &m->size_bytes))
            return -1;
        m->size_line = v->line;
        m->size_column = v->column;
        m->size_src = v->src;
    }
    if ((v = ytree_get(n, "memory"))) {
        if (cfg_get_size(err, v, "model.memory", &m->memory_bytes))
            return -1;
        if (m->memory_bytes <= 0)
            return cfg_fail(err, v, "model.memory", "memory must be above 0 bytes");
    }
    if (!(v = ytree_get(n, "service")))
        return cfg_missing(err, n, "model", "service");
    if (cfg_parse_dist(err, v, "model.service", &m->service))
        return -1;
    *has_service = 1;
    return 0;
}

struct spike_at {
    struct spike sp;
    const struct ynode *node; /* for errors about overlaps */
    size_t index;             /* 1-based position in the file */
};

static int parse_spikes(struct slsim_error *err, const struct ynode *seq, sim_time duration_ns,
                        struct workload_spec *w)
{
    const char *path = "workload.spikes";
    if (ytree_is_null(seq))
        return 0;
    if (seq->kind != YNODE_SEQUENCE)
        return cfg_fail(err, seq, path, "expected a sequence of {at, duration, factor}, got %s",
                    ytree_describe(seq));
    if (!seq->n_items)
        return 0;
    struct spike_at *sa = calloc(seq->n_items, sizeof *sa);
    if (!sa)
        return slsim_error_set(err, seq->src, seq->line, seq->column, path, "out of memory");
    int rc = -1;
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct ynode *n = seq->items[i];
        char sp[KEY_MAX], kp[KEY_MAX];
        cfg_path_index(sp, path, i + 1);
        if (n->kind != YNODE_MAPPING) {
            cfg_fail(err, n, sp, "expected a mapping {at, duration, factor}, got %s",
                 ytree_describe(n));
            goto done;
        }
        if (cfg_check_keys(err, n, sp, spike_keys, NULL, NULL))
            goto done;
        for (size_t k = 0; spike_keys[k]; k++)
            if (!ytree_get(n, spike_keys[k])) {
                cfg_missing(err, n, sp, spike_keys[k]);
                goto done;
            }
        struct spike *s = &sa[i].sp;
        const struct ynode *v = ytree_get(n, "at");
        cfg_path_join(kp, sp, "at");
        if (cfg_get_duration(err, v, kp, 0, &s->at_ns))
            goto done;
        if (s->at_ns >= duration_ns) {
            /* It would change nothing, which is never what was meant. */
            char at[32], dur[32];
            units_format_duration(s->at_ns, at, sizeof at);
            units_format_duration(duration_ns, dur, sizeof dur);
            cfg_fail(err, v, kp,
                     "the spike at %s starts at or after the end of the simulation "
                     "(duration %s)",
                     at, dur);
            goto done;
        }
        v = ytree_get(n, "duration");
        cfg_path_join(kp, sp, "duration");
        if (cfg_get_duration(err, v, kp, 0, &s->duration_ns))
            goto done;
        if (s->duration_ns <= 0) {
            cfg_fail(err, v, kp, "a spike's duration must be above 0");
            goto done;
        }
        v = ytree_get(n, "factor");
        cfg_path_join(kp, sp, "factor");
        if (cfg_get_number(err, v, kp, &s->factor))
            goto done;
        if (!(s->factor > 0)) {
            cfg_fail(err, v, kp, "factor must be above 0, got %s", v->text);
            goto done;
        }
        sa[i].node = n;
        sa[i].index = i + 1;
    }
    /* Insertion sort: stable, and a scenario has a handful of spikes. */
    for (size_t i = 1; i < seq->n_items; i++) {
        struct spike_at t = sa[i];
        size_t j = i;
        for (; j > 0 && sa[j - 1].sp.at_ns > t.sp.at_ns; j--)
            sa[j] = sa[j - 1];
        sa[j] = t;
    }
    /* Overlaps would make "factor" ambiguous (multiply? replace?); say no. */
    for (size_t i = 1; i < seq->n_items; i++) {
        const struct spike *a = &sa[i - 1].sp, *b = &sa[i].sp;
        if (b->at_ns - a->at_ns < a->duration_ns) {
            char sp[KEY_MAX], at[32], end[32];
            cfg_path_index(sp, path, sa[i].index);
            units_format_duration(b->at_ns, at, sizeof at);
            units_format_duration(a->at_ns + a->duration_ns, end, sizeof end);
            cfg_fail(err, sa[i].node, sp, "spike at %s overlaps %s[%zu], which lasts until %s", at,
                 path, sa[i - 1].index, end);
            goto done;
        }
    }
    w->spikes = calloc(seq->n_items, sizeof *w->spikes);
    if (!w->spikes) {
        slsim_error_set(err, seq->src, seq->line, seq->column, path, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < seq->n_items; i++)
        w->spikes[i] = sa[i].sp;
    w->n_spikes = seq->n_items;
    rc = 0;
done:
    free(sa);
    return rc;
}

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

/* workload.trace: which file, in which format, and how to replay it. */
static int parse_trace(struct slsim_error *err, const struct ynode *n, const char *base_dir,
                       struct trace_spec *t)
{
    const char *path = "workload.trace";
    char kp[KEY_MAX];
    const struct ynode *v;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, path, "expected a mapping such as {format: azure2019, path: "
                                      "...}, got %s", ytree_describe(n));
    if (cfg_check_keys(err, n, path, trace_keys, NULL, ""))
        return -1;
    if (!(v = ytree_get(n, "format")))
        return cfg_missing(err, n, path, "format");
    static const char *const formats[] = {"azure2019", "azure2021", "azure-llm", "csv", "counts",
                                          "counts-wide", NULL};
    int fi;
    if (cfg_get_enum(err, v, "workload.trace.format", "trace format", formats, NULL, &fi))
        return -1;
    trace_format_parse(formats[fi], &t->format);
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
            if (t->format != TRACE_AZURE2019)
                return cfg_fail(err, v, kp, "%s applies only to format: azure2019", files[i].key);
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
        if (cfg_check_keys(err, v, kp, window_keys, NULL, ""))
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
        if (cfg_check_keys(err, v, kp, column_keys, NULL, ""))
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
        cfg_path_join(kp, path, "tokens");
        if (v->kind != YNODE_MAPPING)
            return cfg_fail(err, v, kp, "expected {base: 20ms, prefill: 0.2ms, decode: 25ms}, "
                                        "got %s", ytree_describe(v));
        if (cfg_check_keys(err, v, kp, token_keys, NULL, ""))
            return -1;
        sim_time *outs[] = {&t->llm_base_ns, &t->llm_prefill_ns_per_token,
                            &t->llm_decode_ns_per_token};
        for (size_t i = 0; i < 3; i++) {
            const struct ynode *w = ytree_get(v, token_keys[i]);
            char sub[KEY_MAX];
            if (!w)
                continue;
            cfg_path_join(sub, kp, token_keys[i]);
            if (cfg_get_duration(err, w, sub, 0, outs[i]))
                return -1;
        }
    }
    if ((v = ytree_get(n, "service"))) {
        static const char *const sources[] = {"trace", "model", NULL};
        int si;
        cfg_path_join(kp, path, "service");
        if (cfg_get_enum(err, v, kp, "service source", sources, NULL, &si))
            return -1;
        t->service_from_model = si == 1;
    }
    if (t->format == TRACE_CSV && !t->col_time[0])
        return cfg_fail(err, n, path, "a csv trace needs columns: {time: ...}");
    return 0;
}

const char *const *scenario_trace_keys(void)
{
    return trace_keys;
}

int scenario_trace_from_options(const char *path, const char *const *keys,
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
    int rc = parse_trace(err, map, "", t);
    t->origin[0] = '\0'; /* the file itself is where its problems are */
    ytree_free(map);
    return rc;
}

/* The synthetic pattern's rates and volume against SCENARIO_MAX_RATE_PER_S and
 * SCENARIO_MAX_EVENTS, each refused at the key that pushes it over: the rate, the
 * diurnal peak_to_mean, a spike's factor; the volume at the rate. */
static int check_workload_limits(struct slsim_error *err, const struct ynode *n,
                                 sim_time duration_ns, const struct workload_spec *w)
{
    const struct ynode *v = ytree_get(n, "rate");
    if (w->rate_per_s > SCENARIO_MAX_RATE_PER_S)
        return cfg_fail(err, v, "workload.rate",
                        "rate %g/s is above the limit of %g/s: the clock ticks in "
                        "nanoseconds, so a faster rate has more than one arrival per tick",
                        w->rate_per_s, SCENARIO_MAX_RATE_PER_S);
    double base = w->rate_per_s;
    if (w->arrival == ARRIVAL_DIURNAL) {
        const struct ynode *p = ytree_get(n, "peak_to_mean");
        base *= w->peak_to_mean;
        if (p && w->peak_to_mean > SCENARIO_MAX_PEAK_TO_MEAN)
            return cfg_fail(err, p, "workload.peak_to_mean",
                            "peak_to_mean %g is above the limit of %g", w->peak_to_mean,
                            SCENARIO_MAX_PEAK_TO_MEAN);
        if (base > SCENARIO_MAX_RATE_PER_S)
            return cfg_fail(err, p ? p : v, p ? "workload.peak_to_mean" : "workload.rate",
                            "the diurnal peak, rate %g/s x peak_to_mean %g = %g/s, is above the "
                            "limit of %g/s (one arrival per nanosecond)",
                            w->rate_per_s, w->peak_to_mean, base, SCENARIO_MAX_RATE_PER_S);
    }
    /* w->spikes is sorted by start; the items are read in the file's order so that
     * the first factor written that goes over is the one named. */
    const struct ynode *seq = ytree_get(n, "spikes");
    for (size_t i = 0; i < w->n_spikes; i++) {
        char kp[KEY_MAX], fp[KEY_MAX];
        double factor;
        const struct ynode *f = ytree_get(seq->items[i], "factor");
        cfg_path_index(kp, "workload.spikes", i + 1);
        cfg_path_join(fp, kp, "factor");
        if (cfg_get_number(err, f, fp, &factor))
            return -1;
        if (base * factor > SCENARIO_MAX_RATE_PER_S)
            return cfg_fail(err, f, fp,
                            "factor %g makes the rate %g/s x %g = %g/s, above the limit of "
                            "%g/s (one arrival per nanosecond)",
                            factor, base, factor, base * factor, SCENARIO_MAX_RATE_PER_S);
    }
    if (w->arrival == ARRIVAL_ONOFF && w->n_spikes &&
        2.0 * (double)duration_ns / (double)w->period_ns > SCENARIO_MAX_EVENTS) {
        /* With spikes, on/off is drawn phase by phase (synthetic.c, thinning), each on
         * and each off phase a step of its own, arrivals or not. */
        char per[32];
        units_format_duration(w->period_ns, per, sizeof per);
        return cfg_fail(err, ytree_get(n, "period"), "workload.period",
                        "period %s with spikes is %.3g on and off phases per replication, "
                        "above the limit of %g", per, 2.0 * (double)duration_ns /
                        (double)w->period_ns, SCENARIO_MAX_EVENTS);
    }
    double draws = workload_expected_draws(w, duration_ns);
    if (draws > SCENARIO_MAX_EVENTS) {
        char dur[32];
        units_format_duration(duration_ns, dur, sizeof dur);
        return cfg_fail(err, v, "workload.rate",
                        "rate %g/s over duration %s is %.3g expected arrivals per "
                        "replication%s, above the limit of %g: lower the rate or the duration",
                        w->rate_per_s, dur, draws,
                        w->arrival == ARRIVAL_DIURNAL ? " (candidates drawn at the peak rate)"
                        : w->n_spikes ? " (spikes included)" : "",
                        SCENARIO_MAX_EVENTS);
    }
    return 0;
}

static int parse_workload(struct slsim_error *err, const struct ynode *root,
                          const char *base_dir, sim_time duration_ns, struct workload_spec *w)
{
    const struct ynode *n = ytree_get(root, "workload"), *v;
    if (!n)
        return cfg_fail(err, root, "workload", "missing required key \"workload\"");
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "workload", "expected a mapping, got %s", ytree_describe(n));
    if (cfg_check_keys(err, n, "workload", workload_keys, workload_later, ""))
        return -1;
    if (!(v = ytree_get(n, "arrival")))
        return cfg_missing(err, n, "workload", "arrival");
    int ai;
    if (cfg_get_enum(err, v, "workload.arrival", "arrival", arrival_names, arrival_later, &ai))
        return -1;
    w->arrival = arrival_kinds[ai];
    w->functions = 1;
    w->zipf = 1.0;
    if ((v = ytree_get(n, "functions")) &&
        cfg_get_u32_range(err, v, "workload.functions", 1, 1000000, &w->functions))
        return -1;
    if ((v = ytree_get(n, "zipf"))) {
        if (cfg_get_number(err, v, "workload.zipf", &w->zipf))
            return -1;
        if (w->zipf < 0)
            return cfg_fail(err, v, "workload.zipf", "zipf must be 0 (equal popularity) or more");
        if (w->functions == 1)
            return cfg_fail(err, v, "workload.zipf", "zipf applies only with functions > 1");
    }
    trace_spec_default(&w->trace);
    if (w->arrival == ARRIVAL_TRACE) {
        static const char *const synthetic_only[] = {"rate", "duty_cycle", "period",
                                                     "peak_to_mean", "spikes", "functions",
                                                     "zipf", NULL};
        for (size_t i = 0; i < n->n_pairs; i++)
            if (cfg_in_list(n->pairs[i].key->text, synthetic_only)) {
                char kp[KEY_MAX];
                cfg_path_join(kp, "workload", n->pairs[i].key->text);
                return cfg_fail(err, n->pairs[i].key, kp,
                                "\"%s\" is for synthetic patterns; a trace brings its own "
                                "arrivals (see workload.trace: time_scale, rate_scale, functions)",
                                n->pairs[i].key->text);
            }
        if (!(v = ytree_get(n, "trace")))
            return cfg_missing(err, n, "workload", "trace");
        return parse_trace(err, v, base_dir, &w->trace);
    }
    if ((v = ytree_get(n, "trace")))
        return cfg_fail(err, v, "workload.trace", "trace applies only with arrival: trace");
    if (!(v = ytree_get(n, "rate")))
        return cfg_missing(err, n, "workload", "rate");
    if (cfg_get_rate(err, v, "workload.rate", &w->rate_per_s))
        return -1;
    if (!(w->rate_per_s > 0))
        return cfg_fail(err, v, "workload.rate", "rate must be above 0, got %s", v->text);

    /* Values that keep a pattern that lacks the key meaning "flat": always active, no
     * peak. Giving the key anyway is an error: the user expected it to do something. */
    int onoff = w->arrival == ARRIVAL_ONOFF, diurnal = w->arrival == ARRIVAL_DIURNAL;
    w->duty_cycle = 1.0;
    w->period_ns = 0;
    w->peak_to_mean = 1.0;
    if ((v = ytree_get(n, "duty_cycle"))) {
        if (!onoff)
            return cfg_fail(err, v, "workload.duty_cycle",
                        "duty_cycle applies only to arrival: onoff (arrival is %s)",
                        arrival_names[ai]);
        if (cfg_get_number(err, v, "workload.duty_cycle", &w->duty_cycle))
            return -1;
        if (!(w->duty_cycle > 0 && w->duty_cycle <= 1))
            return cfg_fail(err, v, "workload.duty_cycle",
                        "duty_cycle must be above 0 and at most 1, got %s", v->text);
    } else if (onoff) {
        return cfg_missing(err, n, "workload", "duty_cycle");
    }
    if ((v = ytree_get(n, "period"))) {
        if (!onoff && !diurnal)
            return cfg_fail(err, v, "workload.period",
                        "period applies only to arrival: onoff or diurnal (arrival is %s)",
                        arrival_names[ai]);
        if (cfg_get_duration(err, v, "workload.period", 0, &w->period_ns))
            return -1;
        if (w->period_ns <= 0)
            return cfg_fail(err, v, "workload.period", "period must be above 0");
    } else if (onoff || diurnal) {
        return cfg_missing(err, n, "workload", "period");
    }
    if (diurnal)
        w->peak_to_mean = DEFAULT_PEAK_TO_MEAN;
    if ((v = ytree_get(n, "peak_to_mean"))) {
        if (!diurnal)
            return cfg_fail(err, v, "workload.peak_to_mean",
                        "peak_to_mean applies only to arrival: diurnal (arrival is %s)",
                        arrival_names[ai]);
        if (cfg_get_number(err, v, "workload.peak_to_mean", &w->peak_to_mean))
            return -1;
        if (!(w->peak_to_mean >= 1))
            return cfg_fail(err, v, "workload.peak_to_mean",
                        "peak_to_mean must be at least 1, got %s", v->text);
    }
    if ((v = ytree_get(n, "spikes")) && parse_spikes(err, v, duration_ns, w))
        return -1;
    return check_workload_limits(err, n, duration_ns, w);
}

static int parse_coldstart(struct slsim_error *err, const struct ynode *v, const char *kp,
                           struct serverless_spec *d)
{
    if (v->kind == YNODE_SCALAR && !ytree_is_null(v)) {
        if (strcmp(v->text, "none") == 0) {
            d->coldstart = COLDSTART_NONE;
            return 0;
        }
        if (strcmp(v->text, "default") == 0) {
            d->coldstart = COLDSTART_DEFAULT;
            return 0;
        }
        sim_time ns;
        char why[200];
        if (units_parse_duration(v->text, &ns, why, sizeof why)) {
            const char *s = cfg_suggest(v->text, coldstart_words);
            if (s)
                return cfg_fail(err, v, kp, "unknown coldstart \"%s\"; did you mean \"%s\"? "
                            "expected none, default, a duration or {dist: ...}", v->text, s);
            return cfg_fail(err, v, kp, "expected none, default, a duration or {dist: ...}, got "
                        "\"%s\" (%s)", v->text, why);
        }
    }
    if (cfg_parse_dist(err, v, kp, &d->coldstart_dist))
        return -1;
    d->coldstart = COLDSTART_DIST;
    return 0;
}

/* The name a deployment is known by before validation: `name`, else <type>-<index>.
 * --set uses the same rule, so `deployments.serverless-2.memory=1GB` works. */
static void default_deployment_name(const struct ynode *n, size_t index1, char *out, size_t len)
{
    const struct ynode *t = ytree_get(n, "type");
    const char *type = t && t->kind == YNODE_SCALAR && !ytree_is_null(t) ? t->text : "serverless";
    snprintf(out, len, "%.40s-%zu", type, index1);
}

/* The memory must be one of the platform's settings (catalog `limits:`), checked
 * against the text the user wrote so that the message can say "did you mean
 * 2048MiB?". The position is the `memory` that gave the size: the deployment's own,
 * else model.memory, else the mapping (n) when the default applies. */
static int check_memory(struct slsim_error *err, const struct ynode *n, const char *path,
                        const struct ynode *model_memory, const struct platform_profile *prof,
                        const struct serverless_spec *d)
{
    char kp[KEY_MAX], why[sizeof err->message], dflt[32];
    const struct ynode *own = ytree_get(n, "memory");
    const struct ynode *at = own ? own : model_memory;
    units_format_size(DEFAULT_MODEL_MEMORY_BYTES, dflt, sizeof dflt);
    if (catalog_check_memory(prof, d->memory_bytes, at ? at->text : dflt, why, sizeof why) == 0)
        return 0;
    cfg_path_join(kp, path, "memory");
    if (own)
        return cfg_fail(err, own, kp, "%s", why);
    if (model_memory)
        return cfg_fail(err, model_memory, "model.memory", "used by %s, which sets no memory "
                        "of its own: %s", path, why);
    return cfg_fail(err, n, kp, "no memory here or in model.memory, so the default applies: %s",
                    why);
}

/* The platform must be in the catalog and accept the serverless settings (memory
 * settings, concurrency, a cold-start profile for `coldstart: default`). The platform
 * module words the message; the position is the offending key's, or the mapping's
 * (n) when the value was a default. */
static int check_platform(struct slsim_error *err, const struct ynode *n, const char *path,
                          const struct ynode *model_memory, const struct scenario *s,
                          const char *name, const struct serverless_spec *d)
{
    const struct platform_profile *prof = catalog_find_platform(s->catalog, d->platform);
    struct coldstart_model cm;
    if (prof && check_memory(err, n, path, model_memory, prof, d))
        return -1;
    int size_error = 0; /* the model's size is what is wrong */
    if (platform_check_deployment(name, d, prof, s->catalog, n->src, err) == 0) {
        size_error = 1;
        if (platform_check_model(name, d, prof, s->model.size_bytes, n->src, err) == 0 &&
            coldstart_model_init(&cm, d, prof, s->model.size_bytes, err) == 0) {
            coldstart_model_free(&cm);
            return 0;
        }
    }
    const char *leaf = strrchr(err->key, '.');
    const struct ynode *at = leaf ? ytree_get(n, leaf + 1) : NULL;
    if (!at && size_error && s->model.size_line &&
        (strcmp(err->key, "model.size") == 0 || (leaf && strcmp(leaf, ".memory") == 0))) {
        /* The memory came from model.memory (or its default): the size is what to change. */
        snprintf(err->file, sizeof err->file, "%s", s->model.size_src ? s->model.size_src : "");
        snprintf(err->key, sizeof err->key, "model.size");
        err->line = s->model.size_line;
        err->column = s->model.size_column;
        return -1;
    }
    if (!at)
        at = n;
    snprintf(err->file, sizeof err->file, "%s", at->src); /* a --set value is placed there */
    err->line = at->line;
    err->column = at->column;
    return -1;
}

/* Kept-warm capacity must have a price on its platform, and fit under the cap: on
 * AWS provisioned concurrency counts toward the function's reserved concurrency
 * (Lambda docs, "Configuring provisioned concurrency"), and Cloud Run's min
 * instances may not exceed its max instances, so `reserved` below `provisioned` is
 * a mistake. */
static int check_kept_warm(struct slsim_error *err, const struct ynode *n, const char *path,
                           const struct scenario *s, const struct serverless_spec *d)
{
    char kp[KEY_MAX], why[512];
    uint32_t most = sched_max_count(&d->provisioned);
    const struct ynode *v = ytree_get(n, "provisioned");
    if (!most || !v)
        return 0;
    const struct platform_profile *prof = catalog_find_platform(s->catalog, d->platform);
    cfg_path_join(kp, path, "provisioned");
    if (catalog_check_provisioned(prof, why, sizeof why) != 0)
        return cfg_fail(err, v, kp, "%s, so provisioned capacity cannot be billed there: "
                        "remove provisioned, choose a platform that prices it (slsim catalog "
                        "show NAME says how under \"kept warm\"), or point pricing: at a "
                        "catalog that has the price", why);
    const struct ynode *r = ytree_get(n, "reserved");
    if (d->reserved && d->reserved < most) {
        cfg_path_join(kp, path, "reserved");
        return cfg_fail(err, r ? r : n, kp,
                        "reserved (%u) is below provisioned (%u): provisioned instances count "
                        "toward reserved concurrency, so reserved must be at least %u",
                        d->reserved, most, most);
    }
    return 0;
}

/* Functions a deployment serves when the number is known from the scenario alone:
 * the synthetic `functions`, or a trace's top:N, sample:N or list; a trace taken
 * whole counts as one here, its table being known only once the file is read. */
static double scenario_function_count(const struct scenario *s)
{
    const struct workload_spec *w = &s->workload;
    if (w->arrival != ARRIVAL_TRACE)
        return w->functions ? w->functions : 1;
    if (w->trace.select == SELECT_TOP || w->trace.select == SELECT_SAMPLE)
        return w->trace.select_n;
    if (w->trace.select == SELECT_LIST)
        return (double)w->trace.n_ids;
    return 1;
}

/* Kept-warm instances over all functions against SCENARIO_MAX_KEPT_WARM (each is an
 * instance started whatever the traffic), keep-alive histogram bins over all
 * functions against SCENARIO_MAX_HIST_BINS, warming pings against
 * SCENARIO_MAX_EVENTS, and attempts per throttled request against
 * SCENARIO_MAX_RETRIES. */
static int check_serverless_limits(struct slsim_error *err, const struct ynode *n,
                                   const char *path, const struct scenario *s,
                                   const struct serverless_spec *d)
{
    char kp[KEY_MAX];
    double fns = scenario_function_count(s);
    struct { const char *key; double per_fn; } kept[] = {
        {"provisioned", sched_max_count(&d->provisioned)},
        {"warming", d->warming.every_ns > 0 ? d->warming.instances : 0},
        {"warm_before", 0}};
    for (size_t i = 0; i < d->n_warm_before; i++)
        if (d->warm_before[i].instances > kept[2].per_fn)
            kept[2].per_fn = d->warm_before[i].instances;
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (kept[i].per_fn * fns > SCENARIO_MAX_KEPT_WARM) {
            cfg_path_join(kp, path, kept[i].key);
            return cfg_fail(err, ytree_get(n, kept[i].key), kp,
                            "%.0f instances per function x %.0f functions = %.0f kept-warm "
                            "instances, above the limit of %d", kept[i].per_fn, fns,
                            kept[i].per_fn * fns,
                            SCENARIO_MAX_KEPT_WARM);
        }
    if (d->keep_alive.policy == KEEPALIVE_HISTOGRAM) {
        /* Every function's histogram is allocated when the deployment starts. */
        double bins = (double)(d->keep_alive.hist.range_ns / d->keep_alive.hist.bin_ns) * fns;
        if (bins > SCENARIO_MAX_HIST_BINS) {
            cfg_path_join(kp, path, "keep_alive");
            return cfg_fail(err, ytree_get(n, "keep_alive"), kp,
                            "%.0f histogram bins (range / bin) x %.0f functions = %.3g bins, "
                            "above the limit of %g: widen the bin or shorten the range",
                            bins / fns, fns, bins, SCENARIO_MAX_HIST_BINS);
        }
    }
    if (d->warming.every_ns > 0) {
        double pings = (double)s->duration_ns / (double)d->warming.every_ns *
                       d->warming.instances * fns;
        if (pings > SCENARIO_MAX_EVENTS) {
            char every[32];
            units_format_duration(d->warming.every_ns, every, sizeof every);
            cfg_path_join(kp, path, "warming.every");
            return cfg_fail(err, ytree_get(ytree_get(n, "warming"), "every"), kp,
                            "every %s sends %.3g warming pings per replication, above the "
                            "limit of %g", every, pings, SCENARIO_MAX_EVENTS);
        }
    }
    if (d->on_throttle == THROTTLE_RETRY) {
        /* The schedule of throttled() in serverless.c: the backoff doubles up to
         * max_backoff, then stays, until the request is max_age old. */
        double attempts = 0, t = 0, b = (double)d->retry_backoff_ns;
        double cap = (double)d->retry_max_backoff_ns, age = (double)d->retry_max_age_ns;
        for (; b < cap && t <= age; b *= 2, attempts++)
            t += b;
        if (t <= age)
            attempts += floor((age - t) / cap) + 1;
        if (attempts > SCENARIO_MAX_RETRIES) {
            const struct ynode *r = ytree_get(n, "retry");
            cfg_path_join(kp, path, "retry");
            return cfg_fail(err, r ? r : n, kp,
                            "backoff, max_backoff and max_age give %.3g attempts per throttled "
                            "request, above the limit of %g",
                            attempts, SCENARIO_MAX_RETRIES);
        }
    }
    return 0;
}

/* A catalog discount that applies to `target` (a provider or platform name). */
static int get_discount(struct slsim_error *err, const struct ynode *v, const char *kp,
                        const struct catalog *c, const char *target, char out[SLSIM_NAME_MAX])
{
    if (cfg_get_name(err, v, kp, NAME_IDENT_DOT, out))
        return -1;
    const struct discount *disc = catalog_find_discount(c, out);
    if (!disc) {
        char names[512];
        catalog_discount_names(c, names, sizeof names);
        return cfg_fail(err, v, kp, "unknown discount \"%s\"; known: %s", out, names);
    }
    if (!catalog_discount_applies(disc, target))
        return cfg_fail(err, v, kp, "discount \"%s\" applies to %s, not to %s", out,
                        disc->applies_to, target);
    return 0;
}

/* keep_alive: a duration, `none`, `forever`, or {policy: ..., ...}. */
static int parse_keep_alive(struct slsim_error *err, const struct ynode *v, const char *kp,
                            struct serverless_spec *d)
{
    char sub[KEY_MAX];
    ka_hist_params_default(&d->keep_alive.hist);
    d->keep_alive.policy = KEEPALIVE_FIXED;
    if (v->kind == YNODE_SCALAR && strcmp(v->text, "none") == 0) {
        d->keep_alive.duration_ns = 0;
        return 0;
    }
    if (v->kind != YNODE_MAPPING)
        return cfg_get_duration(err, v, kp, 1, &d->keep_alive.duration_ns);
    if (cfg_check_keys(err, v, kp, keepalive_keys, NULL, ""))
        return -1;
    const struct ynode *w = ytree_get(v, "policy");
    int pi;
    if (!w)
        return cfg_missing(err, v, kp, "policy");
    cfg_path_join(sub, kp, "policy");
    if (cfg_get_enum(err, w, sub, "keep-alive policy", keepalive_policies, NULL, &pi))
        return -1;
    static const char *const fixed_only[] = {"duration", NULL};
    static const char *const capacity_only[] = {"capacity", NULL};
    static const char *const hist_only[] = {"bin", "range", "prewarm_percentile",
                                            "keep_alive_percentile", "margin", "cv_threshold",
                                            "min_samples", "oob_fraction", "forecast_alpha",
                                            "forecast_margin", "fallback", NULL};
    const char *const *allowed = pi == 0 ? fixed_only : pi >= 4 ? capacity_only
                                                       : pi == 3 ? hist_only : NULL;
    for (size_t i = 0; i < v->n_pairs; i++) {
        const char *k = v->pairs[i].key->text;
        if (strcmp(k, "policy") != 0 && !(allowed && cfg_in_list(k, allowed))) {
            cfg_path_join(sub, kp, k);
            return cfg_fail(err, v->pairs[i].key, sub, "\"%s\" does not apply to policy %s", k,
                            keepalive_policies[pi]);
        }
    }
    switch (pi) {
    case 0: /* fixed */
        if (!(w = ytree_get(v, "duration")))
            return cfg_missing(err, v, kp, "duration");
        cfg_path_join(sub, kp, "duration");
        return cfg_get_duration(err, w, sub, 1, &d->keep_alive.duration_ns);
    case 1: /* none */
        d->keep_alive.duration_ns = 0;
        return 0;
    case 2: /* forever */
        d->keep_alive.duration_ns = SIM_TIME_FOREVER;
        return 0;
    case 4:
    case 5:
        d->keep_alive.policy = pi == 4 ? KEEPALIVE_GREEDY_DUAL : KEEPALIVE_LRU;
        if (!(w = ytree_get(v, "capacity")))
            return cfg_missing(err, v, kp, "capacity");
        cfg_path_join(sub, kp, "capacity");
        if (cfg_get_size(err, w, sub, &d->keep_alive.capacity_bytes))
            return -1;
        if (d->keep_alive.capacity_bytes < d->memory_bytes)
            return cfg_fail(err, w, sub, "capacity must hold at least one instance (%lld bytes)",
                            (long long)d->memory_bytes);
        return 0;
    }
    d->keep_alive.policy = KEEPALIVE_HISTOGRAM;
    struct ka_hist_params *h = &d->keep_alive.hist;
    struct { const char *key; sim_time *out; } durs[] = {
        {"bin", &h->bin_ns}, {"range", &h->range_ns}, {"fallback", &h->fallback_ns}};
    for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++)
        if ((w = ytree_get(v, durs[i].key))) {
            cfg_path_join(sub, kp, durs[i].key);
            if (cfg_get_duration(err, w, sub, 0, durs[i].out))
                return -1;
        }
    struct { const char *key; double *out; } nums[] = {
        {"prewarm_percentile", &h->prewarm_pct}, {"keep_alive_percentile", &h->keep_alive_pct},
        {"margin", &h->margin}, {"cv_threshold", &h->cv_threshold},
        {"oob_fraction", &h->oob_fraction}, {"forecast_alpha", &h->forecast_alpha},
        {"forecast_margin", &h->forecast_margin}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if ((w = ytree_get(v, nums[i].key))) {
            cfg_path_join(sub, kp, nums[i].key);
            if (cfg_get_number(err, w, sub, nums[i].out))
                return -1;
        }
    if ((w = ytree_get(v, "min_samples"))) {
        cfg_path_join(sub, kp, "min_samples");
        if (cfg_get_u32_range(err, w, sub, 0, 1000000000, &h->min_samples))
            return -1;
    }
    if (ka_hist_params_check(h, kp, err) != 0) {
        err->line = v->line;
        err->column = v->column;
        snprintf(err->file, sizeof err->file, "%s", v->src);
        return -1;
    }
    return 0;
}

/* provisioned: N, or {default: N, schedule: [{days, from, to, count}, ...]}. */
static int parse_provisioned(struct slsim_error *err, const struct ynode *v, const char *kp,
                             struct serverless_spec *d)
{
    char sub[KEY_MAX], why[200];
    if (v->kind != YNODE_MAPPING)
        return cfg_get_u32_range(err, v, kp, 0, MAX_RESERVED, &d->provisioned.default_count);
    if (cfg_check_keys(err, v, kp, provisioned_keys, NULL, ""))
        return -1;
    const struct ynode *w;
    if ((w = ytree_get(v, "default"))) {
        cfg_path_join(sub, kp, "default");
        if (cfg_get_u32_range(err, w, sub, 0, MAX_RESERVED, &d->provisioned.default_count))
            return -1;
    }
    if (!(w = ytree_get(v, "schedule")))
        return 0;
    cfg_path_join(sub, kp, "schedule");
    if (w->kind != YNODE_SEQUENCE)
        return cfg_fail(err, w, sub, "expected a list of {days, from, to, count}, got %s",
                        ytree_describe(w));
    for (size_t i = 0; i < w->n_items; i++) {
        const struct ynode *r = w->items[i], *x;
        char rp[KEY_MAX], fp[KEY_MAX];
        const char *text[3];
        static const char *const parts[] = {"days", "from", "to"};
        uint32_t count;
        cfg_path_index(rp, sub, i + 1);
        if (r->kind != YNODE_MAPPING)
            return cfg_fail(err, r, rp, "expected {days: mon-fri, from: \"08:00\", to: \"20:00\", "
                                        "count: 10}, got %s", ytree_describe(r));
        if (cfg_check_keys(err, r, rp, rule_keys, NULL, ""))
            return -1;
        for (int k = 0; k < 3; k++) {
            if (!(x = ytree_get(r, parts[k])))
                return cfg_missing(err, r, rp, parts[k]);
            cfg_path_join(fp, rp, parts[k]);
            if (!(text[k] = cfg_want_scalar(err, x, fp, k ? "a time such as \"08:00\""
                                                          : "days such as mon-fri")))
                return -1;
        }
        if (!(x = ytree_get(r, "count")))
            return cfg_missing(err, r, rp, "count");
        cfg_path_join(fp, rp, "count");
        if (cfg_get_u32_range(err, x, fp, 0, MAX_RESERVED, &count))
            return -1;
        if (sched_add_rule(&d->provisioned, text[0], text[1], text[2], count, why, sizeof why))
            return cfg_fail(err, r, rp, "%s", why);
    }
    return 0;
}

static int parse_warming(struct slsim_error *err, const struct ynode *v, const char *kp,
                         struct serverless_spec *d)
{
    char sub[KEY_MAX];
    const struct ynode *w;
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, kp, "expected {every: 5m, instances: 2}, got %s",
                        ytree_describe(v));
    if (cfg_check_keys(err, v, kp, warming_keys, NULL, ""))
        return -1;
    d->warming.instances = 1;
    d->warming.ping_ns = 10 * SIM_NS_PER_MS; /* a warmer returns at once */
    if (!(w = ytree_get(v, "every")))
        return cfg_missing(err, v, kp, "every");
    cfg_path_join(sub, kp, "every");
    if (cfg_get_duration(err, w, sub, 0, &d->warming.every_ns))
        return -1;
    if (d->warming.every_ns <= 0)
        return cfg_fail(err, w, sub, "every must be above 0");
    if ((w = ytree_get(v, "instances"))) {
        cfg_path_join(sub, kp, "instances");
        if (cfg_get_u32_range(err, w, sub, 1, MAX_RESERVED, &d->warming.instances))
            return -1;
    }
    if ((w = ytree_get(v, "ping"))) {
        cfg_path_join(sub, kp, "ping");
        if (cfg_get_duration(err, w, sub, 0, &d->warming.ping_ns))
            return -1;
    }
    return 0;
}

static int parse_warm_before(struct slsim_error *err, const struct ynode *v, const char *kp,
                             struct serverless_spec *d)
{
    char why[200];
    if (v->kind != YNODE_SEQUENCE)
        return cfg_fail(err, v, kp, "expected a list of {at: \"07:45\", instances: 10}, got %s",
                        ytree_describe(v));
    d->warm_before = calloc(v->n_items ? v->n_items : 1, sizeof *d->warm_before);
    if (!d->warm_before)
        return cfg_fail(err, v, kp, "out of memory");
    for (size_t i = 0; i < v->n_items; i++) {
        const struct ynode *r = v->items[i], *x;
        char rp[KEY_MAX], fp[KEY_MAX];
        cfg_path_index(rp, kp, i + 1);
        d->n_warm_before = i + 1;
        if (r->kind != YNODE_MAPPING)
            return cfg_fail(err, r, rp, "expected {at: \"07:45\", instances: 10}, got %s",
                            ytree_describe(r));
        if (cfg_check_keys(err, r, rp, ahead_keys, NULL, ""))
            return -1;
        const char *t;
        if (!(x = ytree_get(r, "at")))
            return cfg_missing(err, r, rp, "at");
        cfg_path_join(fp, rp, "at");
        if (!(t = cfg_want_scalar(err, x, fp, "a time of day such as \"07:45\"")))
            return -1;
        if (sched_parse_at(t, &d->warm_before[i].at_ns, why, sizeof why))
            return cfg_fail(err, x, fp, "%s", why);
        if (!(x = ytree_get(r, "instances")))
            return cfg_missing(err, r, rp, "instances");
        cfg_path_join(fp, rp, "instances");
        if (cfg_get_u32_range(err, x, fp, 1, MAX_RESERVED, &d->warm_before[i].instances))
            return -1;
    }
    return 0;
}

static int parse_retry(struct slsim_error *err, const struct ynode *v, const char *kp,
                       struct serverless_spec *d)
{
    char sub[KEY_MAX];
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, kp, "expected {backoff: 1s, max_backoff: 5m, max_age: 6h}, got %s",
                        ytree_describe(v));
    if (cfg_check_keys(err, v, kp, retry_keys, NULL, ""))
        return -1;
    struct { const char *key; sim_time *out; } durs[] = {
        {"backoff", &d->retry_backoff_ns}, {"max_backoff", &d->retry_max_backoff_ns},
        {"max_age", &d->retry_max_age_ns}};
    for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++) {
        const struct ynode *w = ytree_get(v, durs[i].key);
        if (!w)
            continue;
        cfg_path_join(sub, kp, durs[i].key);
        if (cfg_get_duration(err, w, sub, 0, durs[i].out))
            return -1;
        if (*durs[i].out <= 0)
            return cfg_fail(err, w, sub, "%s must be above 0", durs[i].key);
    }
    if (d->retry_max_backoff_ns < d->retry_backoff_ns)
        return cfg_fail(err, v, kp, "max_backoff is shorter than backoff");
    return 0;
}

/* The serverless settings of mapping n (a serverless deployment, or a hybrid's
 * `overflow`), at key path path. */
static int parse_serverless(struct slsim_error *err, const struct ynode *n, const char *path,
                            const struct ynode *model_memory, const struct scenario *s,
                            const char *name, struct serverless_spec *d)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    if ((v = ytree_get(n, "platform"))) {
        cfg_path_join(kp, path, "platform");
        if (cfg_get_name(err, v, kp, NAME_IDENT_DOT, d->platform))
            return -1;
    }
    if ((v = ytree_get(n, "memory"))) {
        cfg_path_join(kp, path, "memory");
        if (cfg_get_size(err, v, kp, &d->memory_bytes))
            return -1;
        if (d->memory_bytes <= 0)
            return cfg_fail(err, v, kp, "memory must be above 0 bytes");
    }
    if ((v = ytree_get(n, "keep_alive"))) {
        cfg_path_join(kp, path, "keep_alive");
        if (parse_keep_alive(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "concurrency"))) {
        cfg_path_join(kp, path, "concurrency");
        if (cfg_get_u32_range(err, v, kp, 1, MAX_CONCURRENCY, &d->concurrency))
            return -1;
    }
    if ((v = ytree_get(n, "reserved"))) {
        cfg_path_join(kp, path, "reserved");
        if (cfg_get_u32_range(err, v, kp, 0, MAX_RESERVED, &d->reserved))
            return -1;
    }
    if ((v = ytree_get(n, "provisioned"))) {
        cfg_path_join(kp, path, "provisioned");
        if (parse_provisioned(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "warming"))) {
        cfg_path_join(kp, path, "warming");
        if (parse_warming(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "warm_before"))) {
        cfg_path_join(kp, path, "warm_before");
        if (parse_warm_before(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "scale_rate"))) {
        const char *t;
        char why[200];
        cfg_path_join(kp, path, "scale_rate");
        if (!(t = cfg_want_scalar(err, v, kp, "a rate of new instances such as 1000/10s")))
            return -1;
        if (strcmp(t, "none") != 0) {
            if (bucket_parse(t, &d->scale_rate, why, sizeof why) != 0)
                return cfg_fail(err, v, kp, "%s", why);
            d->scale_limited = 1;
        }
    }
    if ((v = ytree_get(n, "on_throttle"))) {
        int ti;
        cfg_path_join(kp, path, "on_throttle");
        if (cfg_get_enum(err, v, kp, "on_throttle", throttle_names, NULL, &ti))
            return -1;
        d->on_throttle = throttle_values[ti];
    }
    if ((v = ytree_get(n, "max_wait"))) {
        cfg_path_join(kp, path, "max_wait");
        if (d->on_throttle != THROTTLE_QUEUE)
            return cfg_fail(err, v, kp, "max_wait applies only with on_throttle: queue");
        if (cfg_get_duration(err, v, kp, 1, &d->max_wait_ns))
            return -1;
    }
    /* Lambda's asynchronous invocations: retried for up to 6 hours, the backoff
     * growing from 1 s to 5 minutes (AWS docs, "asynchronous invocation"). */
    d->retry_backoff_ns = SIM_NS_PER_S;
    d->retry_max_backoff_ns = 300 * SIM_NS_PER_S;
    d->retry_max_age_ns = 6 * 3600 * SIM_NS_PER_S;
    if ((v = ytree_get(n, "retry"))) {
        cfg_path_join(kp, path, "retry");
        if (d->on_throttle != THROTTLE_RETRY)
            return cfg_fail(err, v, kp, "retry applies only with on_throttle: retry");
        if (parse_retry(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "idle_pick"))) {
        int pi;
        cfg_path_join(kp, path, "idle_pick");
        if (cfg_get_enum(err, v, kp, "idle_pick", idle_pick_names, NULL, &pi))
            return -1;
        d->idle_pick = idle_pick_values[pi];
    }
    if ((v = ytree_get(n, "coldstart"))) {
        cfg_path_join(kp, path, "coldstart");
        if (parse_coldstart(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "init_billed"))) {
        cfg_path_join(kp, path, "init_billed");
        if (cfg_get_bool(err, v, kp, &d->init_billed))
            return -1;
    }
    if ((v = ytree_get(n, "free_tier"))) {
        cfg_path_join(kp, path, "free_tier");
        if (cfg_get_bool(err, v, kp, &d->free_tier))
            return -1;
    }
    if (check_platform(err, n, path, model_memory, s, name, d))
        return -1;
    if (check_kept_warm(err, n, path, s, d) || check_serverless_limits(err, n, path, s, d))
        return -1;
    if ((v = ytree_get(n, "discount"))) {
        cfg_path_join(kp, path, "discount");
        if (get_discount(err, v, kp, s->catalog, d->platform, d->discount))
            return -1;
    }
    return 0;
}

/* A fleet of catalog machines (a dedicated deployment, or a hybrid's `base`). */
static int parse_fleet(struct slsim_error *err, const struct ynode *n, const char *path,
                       const struct scenario *s, struct fleet_spec *f)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    f->count = 1;
    f->slots = 1;
    f->speed = 1.0;
    f->max_queue = FLEET_QUEUE_UNBOUNDED;
    if (!(v = ytree_get(n, "instance")))
        return cfg_missing(err, n, path, "instance");
    cfg_path_join(kp, path, "instance");
    if (cfg_get_name(err, v, kp, NAME_IDENT_DOT, f->instance))
        return -1;
    const struct instance_type *type = catalog_find_instance(s->catalog, f->instance);
    if (!type) {
        char names[1024];
        catalog_instance_names(s->catalog, names, sizeof names);
        return cfg_fail(err, v, kp, "unknown instance type \"%s\"; known: %s", f->instance, names);
    }
    if ((v = ytree_get(n, "count"))) {
        cfg_path_join(kp, path, "count");
        if (v->kind == YNODE_SCALAR && strcmp(v->text, "auto") == 0)
            f->count_auto = 1;
        else if (cfg_get_u32_range(err, v, kp, 1, MAX_FLEET, &f->count))
            return -1;
    }
    if ((v = ytree_get(n, "slots"))) {
        cfg_path_join(kp, path, "slots");
        if (cfg_get_u32_range(err, v, kp, 1, MAX_CONCURRENCY, &f->slots))
            return -1;
    }
    if ((v = ytree_get(n, "speed"))) {
        cfg_path_join(kp, path, "speed");
        if (cfg_get_number(err, v, kp, &f->speed))
            return -1;
        if (!(f->speed > 0))
            return cfg_fail(err, v, kp, "speed must be above 0 (1 = the model's reference instance)");
    }
    if ((v = ytree_get(n, "max_queue"))) {
        cfg_path_join(kp, path, "max_queue");
        if (cfg_get_u32_range(err, v, kp, 0, FLEET_QUEUE_UNBOUNDED - 1, &f->max_queue))
            return -1;
    }
    if ((v = ytree_get(n, "discount"))) {
        cfg_path_join(kp, path, "discount");
        if (get_discount(err, v, kp, s->catalog, type->provider, f->discount))
            return -1;
    }
    if ((v = ytree_get(n, "autoscale"))) {
        char ap[KEY_MAX];
        struct autoscale_spec *a = &f->autoscale;
        cfg_path_join(ap, path, "autoscale");
        if (v->kind != YNODE_MAPPING)
            return cfg_fail(err, v, ap, "expected a mapping such as {target: 0.6, min: 1, max: 10}, "
                                        "got %s", ytree_describe(v));
        if (cfg_check_keys(err, v, ap, autoscale_keys, NULL, ""))
            return -1;
        if (f->count_auto)
            return cfg_fail(err, v, ap, "count: auto sizes a fixed fleet; with autoscale give "
                                        "min and max instead");
        a->enabled = 1;
        a->target = 0.6;
        a->interval_ns = 60 * SIM_NS_PER_S;
        a->boot_ns = 120 * SIM_NS_PER_S;
        a->cooldown_ns = 300 * SIM_NS_PER_S;
        a->min = 1;
        a->max = 0;
        const struct ynode *w;
        if ((w = ytree_get(v, "target"))) {
            cfg_path_join(kp, ap, "target");
            if (cfg_get_number(err, w, kp, &a->target))
                return -1;
            if (!(a->target > 0 && a->target <= 1))
                return cfg_fail(err, w, kp, "target utilisation must be in (0, 1], got %g",
                                a->target);
        }
        struct { const char *key; sim_time *out; } durs[] = {
            {"interval", &a->interval_ns}, {"boot", &a->boot_ns}, {"cooldown", &a->cooldown_ns}};
        for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++)
            if ((w = ytree_get(v, durs[i].key))) {
                cfg_path_join(kp, ap, durs[i].key);
                if (cfg_get_duration(err, w, kp, 0, durs[i].out))
                    return -1;
                if (i == 0 && *durs[i].out <= 0)
                    return cfg_fail(err, w, kp, "interval must be above 0");
                if (i == 0 && (double)s->duration_ns / (double)*durs[i].out >
                                  SCENARIO_MAX_EVENTS)
                    return cfg_fail(err, w, kp, "interval %s is %.3g evaluations per "
                                    "replication, above the limit of %g",
                                    w->text, (double)s->duration_ns / (double)*durs[i].out,
                                    SCENARIO_MAX_EVENTS);
            }
        if ((w = ytree_get(v, "min"))) {
            cfg_path_join(kp, ap, "min");
            if (cfg_get_u32_range(err, w, kp, 1, MAX_FLEET, &a->min))
                return -1;
        }
        if (!(w = ytree_get(v, "max")))
            return cfg_missing(err, v, ap, "max");
        cfg_path_join(kp, ap, "max");
        if (cfg_get_u32_range(err, w, kp, a->min, MAX_FLEET, &a->max))
            return -1;
        if (!ytree_get(n, "count"))
            f->count = a->min;
        if (f->count < a->min || f->count > a->max) {
            cfg_path_join(kp, path, "count");
            return cfg_fail(err, ytree_get(n, "count"), kp,
                            "count %u is outside autoscale min %u and max %u", f->count, a->min,
                            a->max);
        }
    }
    return 0;
}

/* Keys of a type that another type owns get a message naming the right type. */
static int check_type_keys(struct slsim_error *err, const struct ynode *n, const char *path,
                           enum deployment_type type)
{
    static const char *const *const lists[] = {serverless_keys, dedicated_keys, hybrid_keys};
    static const char *const names[] = {"serverless", "dedicated", "hybrid"};
    for (size_t i = 0; i < n->n_pairs; i++) {
        const char *k = n->pairs[i].key->text;
        if (cfg_in_list(k, lists[type]))
            continue;
        for (int t = 0; t < 3; t++)
            if (t != (int)type && cfg_in_list(k, lists[t])) {
                char kp[KEY_MAX];
                cfg_path_join(kp, path, k);
                return cfg_fail(err, n->pairs[i].key, kp,
                                "\"%s\" is a key of %s deployments; this one is %s%s", k,
                                names[t], names[type],
                                type == DEPLOYMENT_HYBRID
                                    ? " (put fleet keys under base: and serverless keys under "
                                      "overflow:)"
                                    : "");
            }
    }
    return cfg_check_keys(err, n, path, lists[type], deployment_later,
                          " (not supported in this version)");
}

/* What a serverless deployment (or a hybrid's overflow tier) is when its keys leave
 * it alone. */
static void serverless_defaults(struct serverless_spec *d, const struct model_spec *model)
{
    snprintf(d->platform, sizeof d->platform, "generic");
    d->memory_bytes = model->memory_bytes;
    d->keep_alive.policy = KEEPALIVE_PLATFORM;
    d->concurrency = 1;
    d->reserved = 0;
    d->on_throttle = THROTTLE_REJECT;
    d->max_wait_ns = SIM_TIME_FOREVER;
    d->idle_pick = IDLE_PICK_MRU;
    d->coldstart = COLDSTART_DEFAULT;
    d->init_billed = -1;
    ka_hist_params_default(&d->keep_alive.hist);
}

static int parse_deployment(struct slsim_error *err, const struct ynode *n, size_t index1,
                            const struct ynode *model_memory, const struct scenario *s,
                            struct deployment_spec *d)
{
    char path[KEY_MAX], kp[KEY_MAX];
    snprintf(path, sizeof path, "deployments[%zu]", index1);
    d->type = DEPLOYMENT_SERVERLESS;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, path, "expected a deployment mapping, got %s", ytree_describe(n));

    const struct ynode *nm = ytree_get(n, "name"), *v;
    if ((v = ytree_get(n, "type"))) {
        int ti;
        cfg_path_join(kp, path, "type");
        if (cfg_get_enum(err, v, kp, "deployment type", type_names, NULL, &ti))
            return -1;
        d->type = type_values[ti];
    }
    /* Address the deployment by name in errors as soon as the name is readable. */
    if (nm && nm->kind == YNODE_SCALAR && cfg_is_ident(nm->text, 0) &&
        strlen(nm->text) < SLSIM_NAME_MAX) {
        snprintf(path, sizeof path, "deployments.%s", nm->text);
    } else if (!nm) {
        default_deployment_name(n, index1, d->name, sizeof d->name);
        snprintf(path, sizeof path, "deployments.%s", d->name);
    }
    if (check_type_keys(err, n, path, d->type))
        return -1;
    if (nm) {
        cfg_path_join(kp, path, "name");
        if (cfg_get_name(err, nm, kp, NAME_IDENT, d->name))
            return -1;
    }
    for (size_t i = 0; i + 1 < index1; i++)
        if (strcmp(s->deployments[i].name, d->name) == 0)
            return cfg_fail(err, nm ? nm : n, nm ? kp : path,
                            "duplicate deployment name \"%s\" (deployments[%zu] has it too)",
                            d->name, i + 1);

    struct serverless_spec *sv = deployment_serverless_mut(d);
    if (sv)
        serverless_defaults(sv, &s->model);
    switch (d->type) {
    case DEPLOYMENT_SERVERLESS:
        return parse_serverless(err, n, path, model_memory, s, d->name, sv);
    case DEPLOYMENT_DEDICATED:
        return parse_fleet(err, n, path, s, &d->dedicated);
    case DEPLOYMENT_HYBRID:
        break;
    }
    const struct ynode *base = ytree_get(n, "base"), *over = ytree_get(n, "overflow");
    char bp[KEY_MAX], op[KEY_MAX];
    cfg_path_join(bp, path, "base");
    cfg_path_join(op, path, "overflow");
    if (!base)
        return cfg_missing(err, n, path, "base");
    if (!over)
        return cfg_missing(err, n, path, "overflow");
    if (base->kind != YNODE_MAPPING)
        return cfg_fail(err, base, bp, "expected a fleet mapping such as {instance: c6i.xlarge, "
                                       "count: 1, slots: 4}, got %s", ytree_describe(base));
    if (over->kind != YNODE_MAPPING)
        return cfg_fail(err, over, op, "expected a serverless mapping such as {platform: "
                                       "aws-lambda, memory: 2GiB}, got %s", ytree_describe(over));
    if (cfg_check_keys(err, base, bp, fleet_keys, NULL, "") ||
        cfg_check_keys(err, over, op, overflow_keys, NULL, ""))
        return -1;
    if (parse_fleet(err, base, bp, s, &d->hybrid.base) ||
        parse_serverless(err, over, op, model_memory, s, d->name, sv))
        return -1;
    if ((v = ytree_get(n, "overflow_queue"))) {
        cfg_path_join(kp, path, "overflow_queue");
        if (cfg_get_u32_range(err, v, kp, 0, FLEET_QUEUE_UNBOUNDED - 1, &d->hybrid.overflow_queue))
            return -1;
    }
    return 0;
}

static int parse_deployments(struct slsim_error *err, const struct ynode *root,
                             struct scenario *s)
{
    const struct ynode *n = ytree_get(root, "deployments");
    if (!n)
        return cfg_fail(err, root, "deployments", "missing required key \"deployments\" (at "
                                              "least one deployment)");
    if (ytree_is_null(n) || (n->kind == YNODE_SEQUENCE && n->n_items == 0))
        return cfg_fail(err, n, "deployments", "at least one deployment is required");
    if (n->kind != YNODE_SEQUENCE)
        return cfg_fail(err, n, "deployments", "expected a sequence of deployments, got %s",
                    ytree_describe(n));
    /* Where model.memory was written, for errors about a deployment that inherits it. */
    const struct ynode *model = ytree_get(root, "model");
    const struct ynode *model_memory = model ? ytree_get(model, "memory") : NULL;
    s->deployments = calloc(n->n_items, sizeof *s->deployments);
    if (!s->deployments)
        return slsim_error_set(err, n->src, n->line, n->column, "deployments", "out of memory");
    for (size_t i = 0; i < n->n_items; i++) {
        /* Counted before parsing, so scenario_destroy frees a half-filled one. */
        s->n_deployments = i + 1;
        if (parse_deployment(err, n->items[i], i + 1, model_memory, s, &s->deployments[i]))
            return -1;
    }
    return 0;
}

/* latency_p99 -> 99, latency_p999 -> 99.9, latency_p99.9 -> 99.9, latency_p50 -> 50:
 * digits after the first two are decimals, the way p999 is read in the literature.
 * Such decimals never end in 0 (p995 is 99.5; no one writes p950 for 95): latency_p150
 * or latency_p500 is a mistake, not the 15th or 50th percentile, and is refused. */
static int slo_percentile(const char *key, double *out)
{
    const char *prefix = "latency_p";
    if (strncmp(key, prefix, strlen(prefix)) != 0)
        return -1;
    const char *d = key + strlen(prefix);
    size_t nd = strspn(d, "0123456789");
    if (nd == 0)
        return -1;
    if (d[nd] == '.') {
        size_t nf = strspn(d + nd + 1, "0123456789");
        if (nf == 0 || d[nd + 1 + nf] != '\0')
            return -1;
        *out = strtod(d, NULL);
        return 0;
    }
    if (d[nd] != '\0')
        return -1;
    if (nd <= 2 || strcmp(d, "100") == 0) {
        *out = strtod(d, NULL);
        return 0;
    }
    if (d[nd - 1] == '0')
        return -1;
    char buf[40];
    snprintf(buf, sizeof buf, "%.2s.%.30s", d, d + 2);
    *out = strtod(buf, NULL);
    return 0;
}

static int parse_slo(struct slsim_error *err, const struct ynode *n, struct slo_spec *slo)
{
    if (ytree_is_null(n))
        return 0;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "slo", "expected a mapping such as {latency_p99: 500ms}, got %s",
                    ytree_describe(n));
    const struct ynode *first = NULL;
    for (size_t i = 0; i < n->n_pairs; i++) {
        const struct ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
        char kp[KEY_MAX];
        cfg_path_join(kp, "slo", k->text);
        double pct;
        if (slo_percentile(k->text, &pct)) {
            if (strncmp(k->text, "latency_p", 9) == 0 && k->text[9] >= '0' && k->text[9] <= '9')
                return cfg_fail(err, k, kp, "\"%s\" is not a percentile: expected latency_pNN "
                                        "with NN above 0 and below 100, such as latency_p99, "
                                        "latency_p999 or latency_p99.9", k->text);
            const char *s = cfg_suggest(k->text, slo_examples);
            if (s)
                return cfg_fail(err, k, kp, "unknown key \"%s\"; did you mean \"%s\"?", k->text, s);
            return cfg_fail(err, k, kp, "unknown key \"%s\"; expected latency_pNN such as "
                                    "latency_p99 or latency_p99.9", k->text);
        }
        if (first)
            return cfg_fail(err, k, kp, "only one latency objective is supported; slo already has "
                                    "%s (%s:%d:%d)", first->text, first->src, first->line,
                        first->column);
        first = k;
        if (!(pct > 0 && pct < 100))
            return cfg_fail(err, k, kp, "the percentile of %s must be above 0 and below 100",
                        k->text);
        if (cfg_get_duration(err, v, kp, 0, &slo->latency_ns))
            return -1;
        if (slo->latency_ns <= 0)
            return cfg_fail(err, v, kp, "latency objective must be above 0");
        slo->percentile = pct;
    }
    return 0;
}

/* `pricing: FILE` (relative to the working directory, else to the scenario's
 * folder), `pricing: default` or no key: the built-in catalog. */
static int load_pricing(struct slsim_error *err, const struct ynode *root, struct scenario *s)
{
    const struct ynode *v = ytree_get(root, "pricing");
    /* Reports name the catalog as the user wrote it, not as it was found. */
    snprintf(s->pricing, sizeof s->pricing, "built-in");
    if (!v || (v->kind == YNODE_SCALAR && strcmp(v->text, "default") == 0))
        return catalog_load_default(&s->catalog, err);
    const char *t = cfg_want_scalar(err, v, "pricing", "a catalog file name");
    if (!t)
        return -1;
    if (!t[0])
        return cfg_fail(err, v, "pricing", "a catalog file name must not be empty");
    char path[4096];
    snprintf(path, sizeof path, "%s", t);
    FILE *f = fopen(path, "rb");
    if (!f && t[0] != '/') {
        const char *slash = strrchr(s->path, '/');
        if (slash) {
            snprintf(path, sizeof path, "%.*s/%s", (int)(slash - s->path), s->path, t);
            f = fopen(path, "rb");
        }
    }
    if (!f)
        return cfg_fail(err, v, "pricing", "cannot open catalog \"%s\": %s", t, strerror(errno));
    /* A directory opens for reading on POSIX systems and then fails to read; a
     * device never ends. Either is the key's value to change, so say so here. */
    struct stat st;
    const char *why = NULL;
    if (fstat(fileno(f), &st) != 0)
        why = "cannot be read";
    else if (S_ISDIR(st.st_mode))
        why = "is a directory, not a file";
    else if (!S_ISREG(st.st_mode))
        why = "is not a regular file";
    else if (st.st_size == 0)
        why = "is empty: expected a catalog (as_of, platforms, instances)";
    fclose(f);
    if (why)
        return cfg_fail(err, v, "pricing", "catalog \"%s\" %s", t, why);
    snprintf(s->pricing, sizeof s->pricing, "%s", t);
    return catalog_load_file(path, &s->catalog, err);
}

/* `count: auto` needs an objective to size for, and sizes a fleet that stands alone
 * (a hybrid's base is sized by the user: the overflow tier is there to absorb what
 * it cannot). */
static int check_auto_counts(struct slsim_error *err, const struct ynode *root,
                             const struct scenario *s)
{
    const struct ynode *deps = ytree_get(root, "deployments");
    for (size_t i = 0; i < s->n_deployments; i++) {
        const struct deployment_spec *d = &s->deployments[i];
        const struct fleet_spec *fleet = deployment_fleet(d);
        if (!fleet || !fleet->count_auto)
            continue;
        const struct ynode *n = deps->items[i], *count;
        char kp[KEY_MAX];
        if (d->type == DEPLOYMENT_HYBRID) {
            count = ytree_get(ytree_get(n, "base"), "count");
            snprintf(kp, sizeof kp, "deployments.%s.base.count", d->name);
            return cfg_fail(err, count, kp, "count: auto is for dedicated deployments; give the "
                                            "hybrid's base a number of machines");
        }
        if (s->workload.arrival == ARRIVAL_TRACE) {
            count = ytree_get(n, "count");
            snprintf(kp, sizeof kp, "deployments.%s.count", d->name);
            return cfg_fail(err, count, kp, "count: auto sizes for a pattern's peak rate; with a "
                                            "trace give a number of machines");
        }
        if (s->slo.percentile <= 0) {
            count = ytree_get(n, "count");
            snprintf(kp, sizeof kp, "deployments.%s.count", d->name);
            return cfg_fail(err, count, kp, "count: auto needs an objective to size for; add "
                                            "slo: {latency_p99: ...}");
        }
        if (scenario_check_reachable(s, i, err) != 0) {
            /* Placed at the objective, the thing to change (or the service time). */
            const struct ynode *slo = ytree_get(root, "slo"), *at = slo;
            for (size_t k = 0; slo && slo->kind == YNODE_MAPPING && k < slo->n_pairs; k++)
                if (strncmp(slo->pairs[k].key->text, "latency_p", 9) == 0) {
                    at = slo->pairs[k].value;
                    cfg_path_join(err->key, "slo", slo->pairs[k].key->text);
                }
            if (at) {
                snprintf(err->file, sizeof err->file, "%s", at->src);
                err->line = at->line;
                err->column = at->column;
            }
            return -1;
        }
    }
    return 0;
}

/* Every (deployment, replication) keeps its result, latency histogram included
 * (some 58 KB), until the report is written: at most SCENARIO_MAX_RUNS of them. */
static int check_runs(struct slsim_error *err, const struct ynode *root, const struct scenario *s)
{
    double runs = (double)s->n_deployments * s->replications;
    if (runs <= SCENARIO_MAX_RUNS)
        return 0;
    const struct ynode *v = ytree_get(root, "replications");
    return cfg_fail(err, v ? v : ytree_get(root, "deployments"), v ? "replications" : "deployments",
                    "%u replications x %zu deployments = %.0f runs, above the limit of %d",
                    s->replications, s->n_deployments, runs, SCENARIO_MAX_RUNS);
}

static int parse_scenario(struct slsim_error *err, const struct ynode *root, struct scenario *s)
{
    if (cfg_check_keys(err, root, "", top_keys, top_later, ""))
        return -1;
    const struct ynode *v;
    if ((v = ytree_get(root, "name")) && cfg_get_name(err, v, "name", NAME_TEXT, s->name))
        return -1;
    s->seed = 1;
    if ((v = ytree_get(root, "seed")) && cfg_get_u64(err, v, "seed", &s->seed))
        return -1;
    if (!(v = ytree_get(root, "duration")))
        return cfg_missing(err, root, "", "duration");
    if (cfg_get_duration(err, v, "duration", 0, &s->duration_ns))
        return -1;
    if (s->duration_ns <= 0)
        return cfg_fail(err, v, "duration", "duration must be above 0");
    if (s->duration_ns > MAX_DURATION_NS)
        return cfg_fail(err, v, "duration",
                        "duration %s is too long: the limit is 25550d (70 years), so that "
                        "what still runs at the end fits the clock's 292 years of nanoseconds",
                        v->text);
    s->warmup_ns = 0;
    if ((v = ytree_get(root, "warmup"))) {
        if (cfg_get_duration(err, v, "warmup", 1, &s->warmup_ns))
            return -1;
        if (s->warmup_ns >= s->duration_ns) {
            char dur[32];
            units_format_duration(s->duration_ns, dur, sizeof dur);
            return cfg_fail(err, v, "warmup", "warmup must be shorter than duration (%s)", dur);
        }
    }
    s->replications = 1;
    if ((v = ytree_get(root, "replications")) &&
        cfg_get_u32_range(err, v, "replications", 1, MAX_REPLICATIONS, &s->replications))
        return -1;
    int has_service = 0;
    if (parse_model(err, root, &s->model, &has_service))
        return -1;
    char base_dir[4096];
    const char *slash = strrchr(s->path, '/');
    snprintf(base_dir, sizeof base_dir, "%.*s", slash ? (int)(slash - s->path) : 0, s->path);
    if (parse_workload(err, root, base_dir, s->duration_ns, &s->workload))
        return -1;
    if (load_pricing(err, root, s))
        return -1;
    if (parse_deployments(err, root, s))
        return -1;
    if ((v = ytree_get(root, "slo")) && parse_slo(err, v, &s->slo))
        return -1;
    if (check_runs(err, root, s))
        return -1;
    return check_auto_counts(err, root, s);
}

/* ---- --set ---- */

/* One step of an override path: a key (in a mapping, or a name in a sequence) or a
 * 1-based [index] into a sequence. */
struct step {
    char text[KEY_MAX]; /* key or name; empty for an index */
    size_t index;       /* 1-based, 0 for a key */
    int column;         /* 1-based position in the override text */
    size_t prefix_len;  /* length of the path before this step, for messages */
};

#define MAX_STEPS 32

static int set_fail(struct slsim_error *err, int column, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_fail(struct slsim_error *err, int column, const char *key, const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return slsim_error_set(err, "--set", 1, column, key, "%s", msg);
}

/* Split "a.b[2].c" into steps. A dot after "slo." belongs to the key, because
 * latency_p99.9 is one key. */
static int split_path(struct slsim_error *err, const char *key, struct step *steps, size_t *n)
{
    size_t len = strlen(key), i = 0;
    *n = 0;
    while (i <= len) {
        size_t start = i;
        int whole = *n == 1 && strcmp(steps[0].text, "slo") == 0;
        while (i < len && key[i] != '[' && (whole || key[i] != '.'))
            i++;
        if (i == start)
            return set_fail(err, (int)start + 1, key, "empty key in \"%s\"", key);
        if (*n + 1 >= MAX_STEPS || i - start >= KEY_MAX)
            return set_fail(err, (int)start + 1, key, "key path too long");
        struct step *st = &steps[(*n)++];
        memcpy(st->text, key + start, i - start);
        st->text[i - start] = '\0';
        st->index = 0;
        st->column = (int)start + 1;
        st->prefix_len = start ? start - 1 : 0;
        while (i < len && key[i] == '[') {
            size_t open = i++;
            size_t v = 0, digits = 0;
            for (; i < len && key[i] >= '0' && key[i] <= '9' && digits < 9; i++, digits++)
                v = v * 10 + (size_t)(key[i] - '0');
            if (!digits || i >= len || key[i] != ']' || v == 0)
                return set_fail(err, (int)open + 1, key,
                                "expected [N] with N a number from 1, e.g. spikes[1]");
            i++;
            if (*n + 1 >= MAX_STEPS)
                return set_fail(err, (int)open + 1, key, "key path too long");
            st = &steps[(*n)++];
            st->text[0] = '\0';
            st->index = v;
            st->column = (int)open + 1;
            st->prefix_len = open;
        }
        if (i < len && key[i] != '.')
            return set_fail(err, (int)i + 1, key, "expected '.' or '=' after ']'");
        if (i == len)
            break;
        i++; /* the dot */
        if (i == len)
            return set_fail(err, (int)i + 1, key, "empty key at the end of \"%s\"", key);
    }
    return 0;
}

/* Name of item i of a sequence, as --set addresses it: its `name`, or for
 * deployments the default <type>-<index>. */
static void item_name(const struct ynode *item, size_t i, int is_deployments, char *out,
                      size_t len)
{
    const struct ynode *nm = ytree_get(item, "name");
    out[0] = '\0';
    if (nm && nm->kind == YNODE_SCALAR)
        snprintf(out, len, "%s", nm->text);
    else if (is_deployments && item->kind == YNODE_MAPPING)
        default_deployment_name(item, i + 1, out, len);
}

static int apply_set(struct slsim_error *err, struct ynode **root, const char *set)
{
    const char *eq = strchr(set, '=');
    if (!eq)
        return set_fail(err, (int)strlen(set) + 1, set,
                        "expected key=value, such as workload.rate=50/s; no '=' in \"%s\"", set);
    char key[KEY_MAX];
    size_t klen = (size_t)(eq - set);
    if (klen == 0)
        return set_fail(err, 1, "", "no key before '=' in \"%s\"", set);
    if (klen >= KEY_MAX)
        return set_fail(err, 1, "", "key path longer than %d characters", KEY_MAX - 1);
    memcpy(key, set, klen);
    key[klen] = '\0';

    struct step steps[MAX_STEPS];
    size_t n;
    if (split_path(err, key, steps, &n))
        return -1;
    const char *text = eq + 1;
    struct ynode *value = ytree_parse(text, strlen(text), "--set", (int)(text - set), key, err);
    if (!value)
        return -1;
    /* A null value (`key=` or `key=~`) removes the key, so an override can take back
     * a key of the file, such as duty_cycle when switching arrival to poisson. */
    int remove = ytree_is_null(value);

    struct ynode **slot = root;
    for (size_t i = 0; i < n; i++) {
        const struct step *st = &steps[i];
        struct ynode *cur = *slot;
        int last = i + 1 == n;
        char prefix[KEY_MAX];
        snprintf(prefix, sizeof prefix, "%.*s", (int)st->prefix_len, key);

        if (st->index) {
            if (cur->kind != YNODE_SEQUENCE) {
                set_fail(err, st->column, key, "%s is %s, not a sequence", prefix,
                         ytree_describe(cur));
                goto fail;
            }
            if (st->index > cur->n_items) {
                set_fail(err, st->column, key, "%s has %zu items; no item %zu", prefix,
                         cur->n_items, st->index);
                goto fail;
            }
            if (!last) {
                slot = &cur->items[st->index - 1];
                continue;
            }
            if (remove)
                ytree_seq_remove(cur, st->index - 1);
            else
                ytree_seq_replace(cur, st->index - 1, value);
            goto done;
        }

        if (cur->kind == YNODE_SEQUENCE) {
            int is_dep = i == 1 && strcmp(steps[0].text, "deployments") == 0;
            size_t found = SIZE_MAX;
            char names[300] = "", nm[SLSIM_NAME_MAX + 40];
            size_t w = 0;
            for (size_t j = 0; j < cur->n_items; j++) {
                item_name(cur->items[j], j, is_dep, nm, sizeof nm);
                if (found == SIZE_MAX && strcmp(nm, st->text) == 0)
                    found = j;
                if (nm[0] && w < sizeof names) {
                    int k = snprintf(names + w, sizeof names - w, "%s%s", w ? ", " : "", nm);
                    if (k > 0)
                        w += (size_t)k;
                }
            }
            if (found == SIZE_MAX) {
                if (is_dep)
                    set_fail(err, st->column, key, "no deployment named \"%s\"; %s%s", st->text,
                             w ? "deployments are: " : "there are no deployments", names);
                else
                    set_fail(err, st->column, key, "no item named \"%s\" in %s; address items "
                             "by index, such as %s[1]", st->text, prefix, prefix);
                goto fail;
            }
            if (!last) {
                slot = &cur->items[found];
                continue;
            }
            if (remove)
                ytree_seq_remove(cur, found);
            else
                ytree_seq_replace(cur, found, value);
            goto done;
        }

        if (ytree_is_null(cur) && !remove) {
            /* `model:` left empty in the file: the override fills it in. */
            struct ynode *m = ytree_new_mapping("--set", 1, st->column);
            if (!m)
                goto oom;
            ytree_free(cur);
            *slot = cur = m;
        }
        if (cur->kind != YNODE_MAPPING) {
            set_fail(err, st->column, key, "%s is %s; it has no key \"%s\"", prefix,
                     ytree_describe(cur), st->text);
            goto fail;
        }
        long at = ytree_find(cur, st->text);
        if (last) {
            if (remove) {
                if (at >= 0)
                    ytree_map_remove(cur, (size_t)at);
                goto done;
            }
            struct ynode *k = ytree_new_scalar(st->text, "--set", 1, st->column);
            if (!k)
                goto oom;
            if (ytree_map_put(cur, k, value)) {
                value = NULL; /* freed by ytree_map_put */
                goto oom;
            }
            return 0;
        }
        if (at < 0) {
            if (remove)
                goto done; /* removing inside something absent: nothing to do */
            if (steps[i + 1].index) {
                set_fail(err, st->column, key, "there is no sequence %.*s to index",
                         (int)steps[i + 1].prefix_len, key);
                goto fail;
            }
            /* A new key; if it is not one the scenario knows, validation says so. */
            struct ynode *k = ytree_new_scalar(st->text, "--set", 1, st->column);
            struct ynode *m = ytree_new_mapping("--set", 1, st->column);
            if (!k || !m) {
                ytree_free(k);
                ytree_free(m);
                goto oom;
            }
            if (ytree_map_put(cur, k, m))
                goto oom;
            at = (long)cur->n_pairs - 1;
        }
        slot = &cur->pairs[at].value;
    }
done:
    if (remove)
        ytree_free(value);
    return 0;
oom:
    set_fail(err, 1, key, "out of memory");
fail:
    ytree_free(value);
    return -1;
}

/* ---- loading ---- */

int scenario_load(const char *path, const char *const *sets, size_t n_sets,
                  struct scenario **out, struct slsim_error *err)
{
    *out = NULL;
    if (strlen(path) >= sizeof ((struct scenario *)0)->path)
        return slsim_error_set(err, NULL, 0, 0, NULL, "scenario path is too long");
    /* The scenario owns its path first: the tree it keeps names its file through it. */
    struct scenario *s = calloc(1, sizeof *s);
    if (!s)
        return slsim_error_set(err, path, 0, 0, NULL, "out of memory");
    memcpy(s->path, path, strlen(path) + 1);
    text_file_stem(path, s->name, sizeof s->name);
    size_t len;
    char *text = cfg_read_file(s->path, "scenario", &len, err);
    struct ynode *root = text ? ytree_parse(text, len, s->path, -1, NULL, err) : NULL;
    free(text);
    int rc = root ? 0 : -1;
    if (rc == 0 && root->kind != YNODE_MAPPING)
        rc = cfg_fail(err, root, NULL, "expected a mapping of scenario keys (duration, model, "
                                       "workload, deployments, ...), got %s",
                      ytree_describe(root));
    for (size_t i = 0; rc == 0 && i < n_sets; i++)
        rc = apply_set(err, &root, sets[i]);
    s->tree = root;
    if (rc == 0)
        rc = parse_scenario(err, root, s);
    if (rc) {
        scenario_destroy(s);
        return -1;
    }
    *out = s;
    return 0;
}

/* The node where key path kp was written: its value, or, when kp took its default,
 * the nearest enclosing key that was written (the root at worst). */
static const struct ynode *locate(const struct ynode *root, const char *kp)
{
    struct step steps[MAX_STEPS];
    size_t n;
    struct slsim_error scratch;
    if (!root || split_path(&scratch, kp, steps, &n))
        return root;
    const struct ynode *at = root;
    for (size_t i = 0; i < n; i++) {
        const struct ynode *next = NULL;
        if (steps[i].index && at->kind == YNODE_SEQUENCE && steps[i].index <= at->n_items) {
            next = at->items[steps[i].index - 1];
        } else if (!steps[i].index && at->kind == YNODE_MAPPING) {
            next = ytree_get(at, steps[i].text);
        } else if (!steps[i].index && at->kind == YNODE_SEQUENCE) {
            int is_deployments = i == 1 && strcmp(steps[0].text, "deployments") == 0;
            for (size_t k = 0; k < at->n_items && !next; k++) {
                char name[SLSIM_NAME_MAX];
                item_name(at->items[k], k, is_deployments, name, sizeof name);
                if (strcmp(name, steps[i].text) == 0)
                    next = at->items[k];
            }
        }
        if (!next)
            break;
        at = next;
    }
    return at;
}

int scenario_error_at(const struct scenario *s, const char *kp, struct slsim_error *err,
                      const char *fmt, ...)
{
    if (!err)
        return -1;
    const struct ynode *at = locate(s->tree, kp);
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!at)
        return slsim_error_set(err, s->path, 0, 0, kp, "%s", msg);
    return slsim_error_set(err, at->src, at->line, at->column, kp, "%s", msg);
}

void scenario_destroy(struct scenario *s)
{
    if (!s)
        return;
    dist_free(&s->model.service);
    free(s->workload.spikes);
    trace_spec_free(&s->workload.trace);
    for (size_t i = 0; i < s->n_deployments; i++)
        deployment_spec_free(&s->deployments[i]);
    free(s->deployments);
    catalog_destroy(s->catalog);
    ytree_free(s->tree);
    free(s);
}

const char *scenario_arrival_name(enum arrival_kind k)
{
    for (size_t i = 0; i < sizeof arrival_kinds / sizeof *arrival_kinds; i++)
        if (arrival_kinds[i] == k)
            return arrival_names[i];
    return "?";
}

const char *scenario_idle_pick_name(enum idle_pick p)
{
    for (size_t i = 0; i < sizeof idle_pick_values / sizeof *idle_pick_values; i++)
        if (idle_pick_values[i] == p)
            return idle_pick_names[i];
    return "?";
}

const char *scenario_on_throttle_name(enum on_throttle t)
{
    for (size_t i = 0; i < sizeof throttle_values / sizeof *throttle_values; i++)
        if (throttle_values[i] == t)
            return throttle_names[i];
    return "?";
}
