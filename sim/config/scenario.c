/* scenario.c - load a scenario file into validated structs (docs/SCENARIO.md is the
 * contract).
 *
 * Three stages, so that every error can name file, line, column and key path:
 * parse the YAML into a position-keeping tree (yaml_tree.c), splice each `--set`
 * override into that tree as if it had been written in the file (set.c), then walk
 * the tree once, checking keys, types, units and ranges while filling struct
 * scenario.
 *
 * The walk is one table, `sections`: a row per top-level key with the function that
 * parses it, whether it is required, and whether it needs the catalog. The rows of
 * the run itself (name, seed, duration, ...) and the catalog (`pricing:`) are parsed
 * here; each other section by the module that owns its spec (model_config.c,
 * workload_config.c, deployment_config.c, slo_config.c), handed what it is checked
 * against from the sections before it. What spans sections (runs held until the
 * report, `count: auto`) is checked here once all are read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "slsim/deployment_config.h"
#include "slsim/model_config.h"
#include "slsim/scenario.h"
#include "slsim/slo_config.h"
#include "slsim/workload_config.h"
#include "set.h"
#include "../base/yaml_get.h"
#include "../base/yaml_tree.h"

/* The clock is int64 ns (292 years) and a sampled duration is at most a quarter of
 * that (dist.c), so a run up to a quarter leaves room for what runs at its end: a
 * cold start, a service time and more. 70 years of 365 days is below the quarter. */
#define MAX_DURATION_NS (SIM_NS_PER_S * 86400 * 25550)

/* A scenario being loaded: what a section's parser reads besides its own value. */
struct loader {
    struct scenario *s;
    const struct ynode *root; /* the document, overrides applied */
    struct slsim_error *err;
    char base_dir[4096];      /* the scenario's folder: files it names open from there */
    int has_catalog;          /* 1 once `pricing:` (or the built-in catalog) is loaded */
};

/* ---- the run ---- */

static int parse_name(struct loader *ld, const struct ynode *v)
{
    return v ? cfg_get_name(ld->err, v, "name", NAME_TEXT, ld->s->name) : 0;
}

static int parse_seed(struct loader *ld, const struct ynode *v)
{
    ld->s->seed = 1;
    return v ? cfg_get_u64(ld->err, v, "seed", &ld->s->seed) : 0;
}

static int parse_duration(struct loader *ld, const struct ynode *v)
{
    struct slsim_error *err = ld->err;
    struct scenario *s = ld->s;
    if (cfg_get_duration(err, v, "duration", 0, &s->duration_ns))
        return -1;
    if (s->duration_ns <= 0)
        return cfg_fail(err, v, "duration", "duration must be above 0");
    if (s->duration_ns > MAX_DURATION_NS)
        return cfg_fail(err, v, "duration",
                        "duration %s is too long: the limit is 25550d (70 years), so that "
                        "what still runs at the end fits the clock's 292 years of nanoseconds",
                        v->text);
    return 0;
}

static int parse_warmup(struct loader *ld, const struct ynode *v)
{
    struct scenario *s = ld->s;
    s->warmup_ns = 0;
    if (!v)
        return 0;
    if (cfg_get_duration(ld->err, v, "warmup", 1, &s->warmup_ns))
        return -1;
    if (s->warmup_ns >= s->duration_ns) {
        char dur[32];
        units_format_duration(s->duration_ns, dur, sizeof dur);
        return cfg_fail(ld->err, v, "warmup", "warmup must be shorter than duration (%s)", dur);
    }
    return 0;
}

static int parse_replications(struct loader *ld, const struct ynode *v)
{
    ld->s->replications = 1;
    return v ? cfg_get_u32_range(ld->err, v, "replications", 1, SCENARIO_MAX_REPLICATIONS,
                                 &ld->s->replications)
             : 0;
}

/* ---- the catalog ---- */

/* `pricing: FILE` (relative to the working directory, else to the scenario's
 * folder), `pricing: default` or no key: the built-in catalog. */
static int load_pricing(struct slsim_error *err, const struct ynode *v, struct scenario *s)
{
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

/* The catalog, loaded once: by its own row, or first by a section that needs it. */
static int need_catalog(struct loader *ld)
{
    if (ld->has_catalog)
        return 0;
    if (load_pricing(ld->err, ytree_get(ld->root, "pricing"), ld->s))
        return -1;
    ld->has_catalog = 1;
    return 0;
}

static int parse_pricing(struct loader *ld, const struct ynode *v)
{
    (void)v;
    return need_catalog(ld);
}

/* ---- the modules' sections ---- */

static int parse_model(struct loader *ld, const struct ynode *v)
{
    /* an LLM may be named in the catalog */
    if (ytree_get(v, "llm") && need_catalog(ld))
        return -1;
    return model_spec_parse(ld->err, v, ld->has_catalog ? ld->s->catalog : NULL, &ld->s->model);
}

static int parse_workload(struct loader *ld, const struct ynode *v)
{
    return workload_spec_parse(ld->err, v, ld->base_dir, ld->s->duration_ns, &ld->s->workload);
}

static int parse_deployments(struct loader *ld, const struct ynode *v)
{
    struct scenario *s = ld->s;
    const struct deployment_context ctx = {
        .catalog = s->catalog,
        .model = &s->model,
        .model_memory = ytree_get(ytree_get(ld->root, "model"), "memory"),
        .duration_ns = s->duration_ns,
        .functions = workload_spec_known_functions(&s->workload),
        .trace = s->workload.arrival == ARRIVAL_TRACE,
    };
    return deployments_parse(ld->err, v, &ctx, &s->deployments, &s->n_deployments);
}

static int parse_slo(struct loader *ld, const struct ynode *v)
{
    /* model comes first (sections[]): an LLM's objectives need an LLM */
    return v ? slo_spec_parse(ld->err, v, ld->s->model.is_llm, &ld->s->slo) : 0;
}

static int parse_windows(struct loader *ld, const struct ynode *v)
{
    /* duration, warmup and workload come first (sections[]): the bounds and functions */
    const struct scenario *s = ld->s;
    double functions = s->workload.arrival == ARRIVAL_TRACE
                           ? 0 /* a whole trace's functions are known once it is read */
                           : workload_spec_known_functions(&s->workload);
    return windows_spec_parse(ld->err, v, s->warmup_ns, s->duration_ns, functions, &ld->s->slo);
}

/* The top-level keys, in the order messages list them. Each row's parser runs in
 * this order, after the catalog when the row needs it, with the key's value, or
 * with NULL when the key is absent and not required (to set its default). */
static const struct section {
    const char *key;
    int (*parse)(struct loader *ld, const struct ynode *v);
    int required;          /* 1: a missing key is an error */
    const char *missing;   /* added to "missing required key" */
    int needs_catalog;     /* 1: the catalog is loaded before this row */
} sections[] = {
    {"name", parse_name, 0, "", 0},
    {"seed", parse_seed, 0, "", 0},
    {"duration", parse_duration, 1, "", 0},
    {"warmup", parse_warmup, 0, "", 0},
    {"replications", parse_replications, 0, "", 0},
    {"model", parse_model, 1, " (at least model.service)", 0},
    {"workload", parse_workload, 1, "", 0},
    {"deployments", parse_deployments, 1, " (at least one deployment)", 1},
    {"slo", parse_slo, 0, "", 0},
    {"windows", parse_windows, 0, "", 0},
    {"pricing", parse_pricing, 0, "", 0},
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

/* ---- across sections ---- */

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

/* An LLM's requests are timed by their tokens: the workload must give them (an
 * azure-llm trace, or workload.tokens). */
static int check_llm_tokens(struct slsim_error *err, const struct ynode *root,
                            const struct scenario *s)
{
    const struct workload_spec *w = &s->workload;
    if (!s->model.is_llm && w->tokens.given) {
        const struct ynode *t = ytree_get(ytree_get(root, "workload"), "tokens");
        return cfg_fail(err, t, "workload.tokens",
                        "tokens are an LLM's requests' prompt and output, and the model is not "
                        "an LLM: give model.llm, or leave tokens out");
    }
    if (!s->model.is_llm || w->tokens.given ||
        (w->arrival == ARRIVAL_TRACE && (trace_format_props(w->trace.format) & TRACE_FORMAT_TOKENS)))
        return 0;
    const struct ynode *m = ytree_get(root, "model");
    return cfg_fail(err, ytree_get(m, "llm"), "model.llm",
                    "an LLM's requests are timed by their prompt and output tokens, and the "
                    "workload gives none: add workload.tokens: {prompt: ..., output: ...} or "
                    "replay an azure-llm trace");
}

/* Every (deployment, replication) keeps its result, latency histogram included
 * (some 58 KB), until the report is written: at most SCENARIO_MAX_RUNS of them. */
static int check_runs(struct slsim_error *err, const struct ynode *root, const struct scenario *s)
{
    double runs = (double)s->n_deployments * s->replications;
    double weight = s->model.is_llm ? SCENARIO_LLM_RUN_WEIGHT : 1;
    if (runs * weight <= SCENARIO_MAX_RUNS)
        return 0;
    const struct ynode *v = ytree_get(root, "replications");
    return cfg_fail(err, v ? v : ytree_get(root, "deployments"), v ? "replications" : "deployments",
                    "%u replications x %zu deployments = %.0f runs, above the limit of %.0f%s",
                    s->replications, s->n_deployments, runs, SCENARIO_MAX_RUNS / weight,
                    s->model.is_llm ? " for an LLM (each run keeps its TTFT, TPOT and ITL "
                                      "distributions besides its latency's)"
                                    : "");
}

static int parse_scenario(struct loader *ld)
{
    const char *keys[N_SECTIONS + 1];
    for (size_t i = 0; i < N_SECTIONS; i++)
        keys[i] = sections[i].key;
    keys[N_SECTIONS] = NULL;
    if (cfg_check_keys(ld->err, ld->root, "", keys))
        return -1;
    for (size_t i = 0; i < N_SECTIONS; i++) {
        const struct section *row = &sections[i];
        const struct ynode *v = ytree_get(ld->root, row->key);
        if (row->needs_catalog && need_catalog(ld))
            return -1;
        if (!v && row->required)
            return cfg_fail(ld->err, ld->root, row->key, "missing required key \"%s\"%s",
                            row->key, row->missing);
        if (row->parse(ld, v))
            return -1;
    }
    if (check_runs(ld->err, ld->root, ld->s) || check_llm_tokens(ld->err, ld->root, ld->s))
        return -1;
    /* model.optimize's speed-up reaches a trace's own durations as it reaches
     * model.service: the work a request carries is the optimised model's */
    if (ld->s->model.opt_speed > 0)
        ld->s->workload.trace.duration_scale = 1.0 / ld->s->model.opt_speed;
    return check_auto_counts(ld->err, ld->root, ld->s);
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
        rc = scenario_apply_set(err, &root, sets[i]);
    s->tree = root;
    if (rc == 0) {
        struct loader ld = {.s = s, .root = root, .err = err};
        const char *slash = strrchr(s->path, '/');
        snprintf(ld.base_dir, sizeof ld.base_dir, "%.*s", slash ? (int)(slash - s->path) : 0,
                 s->path);
        rc = parse_scenario(&ld);
    }
    if (rc) {
        scenario_destroy(s);
        return -1;
    }
    *out = s;
    return 0;
}

void scenario_destroy(struct scenario *s)
{
    if (!s)
        return;
    dist_free(&s->model.service);
    workload_spec_free(&s->workload);
    windows_spec_free(&s->slo);
    for (size_t i = 0; i < s->n_deployments; i++)
        deployment_spec_free(&s->deployments[i]);
    free(s->deployments);
    catalog_destroy(s->catalog);
    ytree_free(s->tree);
    free(s);
}
