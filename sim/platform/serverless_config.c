/* serverless_config.c - the settings of a serverless deployment (or of a hybrid's
 * overflow tier): platform, memory, concurrency and its cap, what happens above the
 * cap, cold starts, billing switches; then the whole checked against the catalog
 * platform (its memory settings, concurrency, cold-start profile, a price for
 * kept-warm capacity), the performance model (`perf`, which must be able to serve
 * there, the model fitting the memory) and the limits of limits.h. The policies
 * that keep instances warm parse in kept_warm_config.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "slsim/dist_config.h"
#include "slsim/limits.h"
#include "slsim/model_config.h"
#include "slsim/platform.h"
#include "coldstart_llm.h"
#include "deployment_config_internal.h"
#include "../base/yaml_get.h"

const char *const serverless_config_keys[] = {
    "platform",  "memory",    "keep_alive",  "concurrency", "reserved", "on_throttle",
    "max_wait",  "idle_pick", "coldstart",   "provisioned", "init_billed", "free_tier",
    "discount",  "warming",   "warm_before", "scale_rate",  "retry",    "perf",
    "batching",  "serving",   "timeout",  "account_concurrency", NULL};
static const char *const coldstart_words[] = {"none", "default", NULL};
static const char *const retry_keys[] = {"backoff", "max_backoff", "max_age", NULL};
static const char *const reserved_keys[] = {"default", "functions", NULL};

/* `reserved: N` caps every function at N instances (drawn from the unreserved part
 * of the account pool); `reserved: {default: N, functions: {F: R, ...}}` caps the
 * others at N and gives function F R of its own: a cap and a guarantee, as Lambda's
 * reserved concurrency. F counts from 1 as `windows.function` and `zipf` do: a
 * synthetic workload's 1 (the most popular) to `functions`, a trace's index in its
 * function table. */
static int parse_reserved(struct slsim_error *err, const struct ynode *v, const char *kp,
                          const struct deployment_context *ctx, struct serverless_spec *d)
{
    if (v->kind != YNODE_MAPPING)
        return cfg_get_u32_range(err, v, kp, 0, MAX_RESERVED, &d->reserved);
    if (cfg_check_keys(err, v, kp, reserved_keys))
        return -1;
    char sub[KEY_MAX];
    const struct ynode *x;
    if ((x = ytree_get(v, "default"))) {
        cfg_path_join(sub, kp, "default");
        if (cfg_get_u32_range(err, x, sub, 0, MAX_RESERVED, &d->reserved))
            return -1;
    }
    if (!(x = ytree_get(v, "functions")))
        return 0;
    cfg_path_join(sub, kp, "functions");
    if (ctx->trace)
        return cfg_fail(err, x, sub, "a reservation per function needs a synthetic workload "
                        "(workload.functions, counted from 1, the most popular): a trace's "
                        "functions are numbered only as it is read (`reserved: N` caps every "
                        "function alike, and guarantees none)");
    if (x->kind != YNODE_MAPPING)
        return cfg_fail(err, x, sub, "expected a mapping of function: reserved instances, got %s",
                        ytree_describe(x));
    if (x->n_pairs > RESERVED_FUNCTIONS_MAX)
        return cfg_fail(err, x, sub, "at most %d functions may have a reservation; got %zu",
                        RESERVED_FUNCTIONS_MAX, x->n_pairs);
    for (size_t i = 0; i < x->n_pairs; i++) {
        const struct ynode *k = x->pairs[i].key;
        char fp[KEY_MAX], why[200];
        cfg_path_join(fp, sub, k->text);
        double f;
        if (units_parse_number(k->text, &f, why, sizeof why) || f < 1 || f != (double)(uint32_t)f ||
            f > ctx->functions)
            return cfg_fail(err, k, fp, "expected a function of the workload, 1 to %.0f (1 "
                            "is the most popular), got \"%s\"", ctx->functions, k->text);
        for (uint32_t j = 0; j < d->n_reserved_fn; j++)
            if (d->reserved_fn[j].fn == (uint32_t)f - 1)
                return cfg_fail(err, k, fp, "function %s given twice", k->text);
        d->reserved_fn[d->n_reserved_fn].fn = (uint32_t)f - 1;
        if (cfg_get_u32_range(err, x->pairs[i].value, fp, 1, MAX_RESERVED,
                              &d->reserved_fn[d->n_reserved_fn].n))
            return -1;
        d->n_reserved_fn++;
    }
    return 0;
}

/* Reservations must leave the platform's unreserved minimum of the account pool
 * (Lambda: 100 of 1,000, AWS docs configuration-concurrency). A pool set below the
 * platform's (a scenario scaled down to run fast) keeps the same share unreserved,
 * rounded up: 10 of 100 on Lambda. */
static int check_pool(struct slsim_error *err, const struct ynode *n, const char *path,
                      const struct catalog *catalog, const struct serverless_spec *d)
{
    const struct platform_profile *prof = catalog_find_platform(catalog, d->platform);
    uint32_t pool = d->account_concurrency ? d->account_concurrency
                    : prof                 ? prof->account_concurrency
                                           : 0;
    uint32_t keep = prof ? prof->unreserved_concurrency_min : 0;
    if (prof && pool < prof->account_concurrency)
        keep = (uint32_t)(((uint64_t)keep * pool + prof->account_concurrency - 1) /
                          prof->account_concurrency);
    uint64_t sum = 0;
    for (uint32_t j = 0; j < d->n_reserved_fn; j++)
        sum += d->reserved_fn[j].n;
    if (!pool || !d->n_reserved_fn || sum + keep <= pool)
        return 0;
    char kp[KEY_MAX];
    cfg_path_join(kp, path, "reserved");
    return cfg_fail(err, ytree_get(n, "reserved"), kp,
                    "reservations of %llu instances leave %lld of the account pool of %u "
                    "unreserved; %s keeps at least %u unreserved (limits."
                    "unreserved_concurrency_min in pricing catalog \"%s\"): reserve at "
                    "most %lld, or raise account_concurrency",
                    (unsigned long long)sum, (long long)pool - (long long)sum, pool,
                    prof ? prof->name : d->platform, keep, catalog->name,
                    pool > keep ? (long long)pool - (long long)keep : 0LL);
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
    units_format_size(MODEL_DEFAULT_MEMORY_BYTES, dflt, sizeof dflt);
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
                          const struct deployment_context *ctx, const char *name,
                          struct serverless_spec *d)
{
    const struct model_spec *model = ctx->model;
    const struct platform_profile *prof = catalog_find_platform(ctx->catalog, d->platform);
    struct coldstart_model cm;
    /* model.optimize took the weights' saving off model.memory: where the deployment
     * sets no memory of its own, it gets the platform's next setting up (SageMaker's
     * 1 GB steps), as a user would round the smaller need */
    if (prof && !ytree_get(n, "memory") && model->opt_size < 1)
        d->memory_bytes = catalog_memory_round_up(prof, d->memory_bytes);
    if (prof && check_memory(err, n, path, ctx->model_memory, prof, d))
        return -1;
    int size_error = 0; /* the model's size is what is wrong */
    if (platform_check_deployment(name, d, prof, ctx->catalog, n->src, err) == 0) {
        size_error = 1;
        if (platform_check_model(name, d, prof, model->size_bytes, n->src, err) == 0 &&
            coldstart_model_for(&cm, d, prof, model, err) == 0) {
            coldstart_model_free(&cm);
            return 0;
        }
    }
    const char *leaf = strrchr(err->key, '.');
    const struct ynode *at = leaf ? ytree_get(n, leaf + 1) : NULL;
    if (!at && size_error && model->size_line &&
        (strcmp(err->key, "model.size") == 0 || (leaf && strcmp(leaf, ".memory") == 0))) {
        /* The memory came from model.memory (or its default): the size is what to change. */
        snprintf(err->file, sizeof err->file, "%s", model->size_src ? model->size_src : "");
        snprintf(err->key, sizeof err->key, "model.size");
        err->line = model->size_line;
        err->column = model->size_column;
        return -1;
    }
    if (!at)
        at = n;
    snprintf(err->file, sizeof err->file, "%s", at->src); /* a --set value is placed there */
    err->line = at->line;
    err->column = at->column;
    return -1;
}

/* An LLM's engine must fit one GPU of the platform with a KV cache for its context
 * (placed at `serving`, `perf` or `platform`, the first written); then, unless
 * `concurrency` is given, an instance takes as many requests as its engine runs at
 * once (max_num_seqs, within the platform's limit). */
static int check_llm(struct slsim_error *err, const struct ynode *n, const char *path,
                     const struct deployment_context *ctx, struct serverless_spec *d,
                     const struct perf_target *t)
{
    uint32_t seqs;
    if (deployment_llm_check(err, n, path, &d->perf, ctx->model, t, "platform", &seqs))
        return -1;
    if (!ytree_get(n, "concurrency")) {
        const struct platform_profile *p = catalog_find_platform(ctx->catalog, d->platform);
        d->concurrency = seqs;
        if (p && p->concurrency_max && d->concurrency > p->concurrency_max)
            d->concurrency = p->concurrency_max;
    }
    return 0;
}

/* The tier's performance model must be buildable on its platform: the model fits
 * the memory (the accelerator's, placed at `platform`; else the instance's, placed
 * where the memory came from) and its `perf` can serve there (placed at `perf`, or
 * at the mapping when the default is what cannot). */
static int check_perf(struct slsim_error *err, const struct ynode *n, const char *path,
                      const struct deployment_context *ctx, struct serverless_spec *d)
{
    struct perf_target t;
    struct perf_model pm;
    char kp[KEY_MAX];
    serverless_perf_target(d, ctx->catalog, &t);
    if (ctx->model->is_llm)
        return check_llm(err, n, path, ctx, d, &t);
    if (perf_check_memory(err, ctx->model, &t, NULL)) {
        const struct ynode *at = t.accel ? ytree_get(n, "platform") : ytree_get(n, "memory");
        cfg_path_join(kp, path, t.accel ? "platform" : "memory");
        if (!t.accel && !at && ctx->model_memory) {
            at = ctx->model_memory;
            snprintf(kp, sizeof kp, "model.memory");
        }
        return deployment_error_at(err, at ? at : n, kp);
    }
    if (perf_build(err, &d->perf, ctx->model, &t, &pm)) {
        const struct ynode *at = ytree_get(n, "perf");
        cfg_path_join(kp, path, "perf");
        return deployment_error_at(err, at ? at : n, kp);
    }
    perf_model_free(&pm);
    return 0;
}

/* `timeout` may shorten the platform's limit, never lengthen it: the catalog's
 * limits.timeout is the most the provider lets a function be configured with
 * (Lambda: 900 s, AWS docs gettingstarted-limits). */
static int check_timeout(struct slsim_error *err, const struct ynode *n, const char *path,
                         const struct catalog *catalog, const struct serverless_spec *d)
{
    const struct ynode *v = ytree_get(n, "timeout");
    const struct platform_profile *prof = catalog_find_platform(catalog, d->platform);
    if (!v || !prof || !prof->timeout_ns || d->timeout_ns <= prof->timeout_ns)
        return 0;
    char kp[KEY_MAX], got[32], most[32];
    cfg_path_join(kp, path, "timeout");
    units_format_duration(d->timeout_ns, got, sizeof got);
    units_format_duration(prof->timeout_ns, most, sizeof most);
    return cfg_fail(err, v, kp,
                    "timeout %s is above %s's limit of %s (limits.timeout of platform %s in "
                    "pricing catalog \"%s\", as of %s): set timeout: %s or less",
                    got, prof->name, most, prof->name, catalog->name, catalog->as_of, most);
}

/* Kept-warm capacity must have a price on its platform, and fit under the cap: on
 * AWS provisioned concurrency counts toward the function's reserved concurrency
 * (Lambda docs, "Configuring provisioned concurrency"), and Cloud Run's min
 * instances may not exceed its max instances, so `reserved` below `provisioned` is
 * a mistake. */
static int check_kept_warm(struct slsim_error *err, const struct ynode *n, const char *path,
                           const struct catalog *catalog, const struct serverless_spec *d)
{
    char kp[KEY_MAX], why[512];
    uint32_t most = sched_max_count(&d->provisioned);
    const struct ynode *v = ytree_get(n, "provisioned");
    if (!most || !v)
        return 0;
    const struct platform_profile *prof = catalog_find_platform(catalog, d->platform);
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

/* Kept-warm instances over all functions against SCENARIO_MAX_KEPT_WARM (each is an
 * instance started whatever the traffic), keep-alive histogram bins over all
 * functions against SCENARIO_MAX_HIST_BINS, warming pings against
 * SCENARIO_MAX_EVENTS, and attempts per throttled request against
 * SCENARIO_MAX_RETRIES. */
static int check_serverless_limits(struct slsim_error *err, const struct ynode *n,
                                   const char *path, const struct deployment_context *ctx,
                                   const struct serverless_spec *d)
{
    char kp[KEY_MAX];
    double fns = ctx->functions;
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
        double pings = (double)ctx->duration_ns / (double)d->warming.every_ns *
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

static int parse_retry(struct slsim_error *err, const struct ynode *v, const char *kp,
                       struct serverless_spec *d)
{
    char sub[KEY_MAX];
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, kp, "expected {backoff: 1s, max_backoff: 5m, max_age: 6h}, got %s",
                        ytree_describe(v));
    if (cfg_check_keys(err, v, kp, retry_keys))
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

const struct policy_row *serverless_policy_parse(struct slsim_error *err, const struct ynode *v,
                                                 const char *kp, const char *what,
                                                 const struct policy_row *table)
{
    enum { MAX_ROWS = 32 };
    const struct policy_row *rows[MAX_ROWS];
    const char *names[MAX_ROWS];
    size_t n = 0;
    for (const struct policy_row *row = table; row->name && n + 1 < MAX_ROWS; row++)
        if (!(row->props & POLICY_UNNAMED)) {
            rows[n] = row;
            names[n++] = row->name;
        }
    names[n] = NULL;
    int i;
    if (cfg_get_enum(err, v, kp, what, names, NULL, &i))
        return NULL;
    return rows[i];
}

int serverless_spec_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                          const struct deployment_context *ctx, const char *name,
                          struct serverless_spec *d)
{
    const struct policy_row *row;
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
        if (serverless_keep_alive_parse(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "concurrency"))) {
        cfg_path_join(kp, path, "concurrency");
        if (cfg_get_u32_range(err, v, kp, 1, MAX_CONCURRENCY, &d->concurrency))
            return -1;
    }
    if ((v = ytree_get(n, "timeout"))) {
        cfg_path_join(kp, path, "timeout");
        if (cfg_get_duration(err, v, kp, 1, &d->timeout_ns))
            return -1;
        if (d->timeout_ns <= 0)
            return cfg_fail(err, v, kp, "timeout must be above 0 s");
    }
    if ((v = ytree_get(n, "reserved"))) {
        cfg_path_join(kp, path, "reserved");
        if (parse_reserved(err, v, kp, ctx, d))
            return -1;
    }
    if ((v = ytree_get(n, "account_concurrency"))) {
        cfg_path_join(kp, path, "account_concurrency");
        if (cfg_get_u32_range(err, v, kp, 1, MAX_RESERVED, &d->account_concurrency))
            return -1;
    }
    if ((v = ytree_get(n, "provisioned"))) {
        cfg_path_join(kp, path, "provisioned");
        if (serverless_provisioned_parse(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "warming"))) {
        cfg_path_join(kp, path, "warming");
        if (serverless_warming_parse(err, v, kp, d))
            return -1;
    }
    if ((v = ytree_get(n, "warm_before"))) {
        cfg_path_join(kp, path, "warm_before");
        if (serverless_warm_before_parse(err, v, kp, d))
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
        cfg_path_join(kp, path, "on_throttle");
        if (!(row = serverless_policy_parse(err, v, kp, "on_throttle", policy_throttle)))
            return -1;
        d->on_throttle = (enum on_throttle)row->id;
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
        cfg_path_join(kp, path, "idle_pick");
        if (!(row = serverless_policy_parse(err, v, kp, "idle_pick", policy_idle_pick)))
            return -1;
        d->idle_pick = (enum idle_pick)row->id;
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
    if ((v = ytree_get(n, "perf"))) {
        cfg_path_join(kp, path, "perf");
        if (perf_spec_parse(err, v, kp, &d->perf))
            return -1;
    }
    if ((v = ytree_get(n, "batching"))) {
        cfg_path_join(kp, path, "batching");
        if (batching_spec_parse(err, v, kp, &d->batching))
            return -1;
        /* The batcher's queue feeds the instances, one batch each at a time: what
         * else queues, keeps instances warm or packs requests does not apply. */
        static const char *const apart[] = {"concurrency", "provisioned", "warming",
                                            "warm_before", "on_throttle", NULL};
        for (size_t k = 0; apart[k]; k++)
            if (ytree_get(n, apart[k])) {
                cfg_path_join(kp, path, apart[k]);
                return cfg_fail(err, ytree_get(n, apart[k]), kp,
                                "with batching the batcher's queue feeds the instances, "
                                "one batch at a time: `%s` does not apply",
                                apart[k]);
            }
    }
    if (deployment_serving_parse(err, n, path, ctx->model->is_llm, &d->serving))
        return -1;
    /* an LLM first needs a GPU: said before any other limit of the platform */
    if (ctx->model->is_llm ? check_perf(err, n, path, ctx, d) || check_platform(err, n, path, ctx, name, d)
                           : check_platform(err, n, path, ctx, name, d) || check_perf(err, n, path, ctx, d))
        return -1;
    if (check_timeout(err, n, path, ctx->catalog, d) || check_pool(err, n, path, ctx->catalog, d) ||
        check_kept_warm(err, n, path, ctx->catalog, d) ||
        check_serverless_limits(err, n, path, ctx, d))
        return -1;
    if ((v = ytree_get(n, "discount"))) {
        cfg_path_join(kp, path, "discount");
        if (deployment_discount_parse(err, v, kp, ctx->catalog, d->platform, d->discount))
            return -1;
    }
    return 0;
}

void serverless_spec_defaults(struct serverless_spec *d, const struct model_spec *model)
{
    snprintf(d->platform, sizeof d->platform, "generic");
    d->memory_bytes = model->memory_bytes;
    d->keep_alive.policy = (enum keepalive_policy)policy_default(policy_keepalive);
    d->concurrency = 1;
    d->reserved = 0;
    d->on_throttle = (enum on_throttle)policy_default(policy_throttle);
    d->max_wait_ns = SIM_TIME_FOREVER;
    d->idle_pick = (enum idle_pick)policy_default(policy_idle_pick);
    d->coldstart = COLDSTART_DEFAULT;
    d->init_billed = -1;
    ka_hist_params_default(&d->keep_alive.hist);
    perf_spec_default(&d->perf);
    serving_spec_default(&d->serving);
}
