/* fleet_config.c - a fleet of catalog machines (a dedicated deployment, or a
 * hybrid's base): the instance type, how many (a number, or `auto` for sizing to
 * the SLO), slots and speed per machine, the queue, a discount, autoscaling
 * between min and max at a target of a metric (utilisation, requests waiting, an
 * LLM's KV-cache use), and the performance model (`perf`),
 * which must be able to serve on the instance type, the model fitting its memory. */
#include <string.h>

#include "slsim/limits.h"
#include "slsim/model_config.h"
#include "coldstart_llm.h"
#include "deployment_config_internal.h"
#include "../base/yaml_get.h"

#define MAX_FLEET SCENARIO_MAX_FLEET

const char *const fleet_config_keys[] = {"instance",  "count",    "slots",     "speed",
                                         "max_queue", "discount", "autoscale", "perf",
                                         "batching",  "serving",  NULL};
static const char *const autoscale_keys[] = {"metric", "target",   "interval", "boot",
                                             "cooldown", "min",    "max",      NULL};
/* enum autoscale_metric's order */
static const char *const autoscale_metrics[] = {"utilization", "queue", "kv_cache", NULL};

/* The fleet's performance model must be buildable on its instance type: the model
 * fits its memory (placed at `instance`), and its `perf` can serve there (placed at
 * `perf`, or at the mapping when the default is what cannot). */
static int check_perf(struct slsim_error *err, const struct ynode *n, const char *path,
                      const struct deployment_context *ctx, struct fleet_spec *f)
{
    struct perf_target t;
    struct perf_model pm;
    char kp[KEY_MAX];
    fleet_perf_target(f, ctx->catalog, &t);
    if (ctx->model->is_llm) {
        /* the engine fits one GPU with a KV cache for the context (placed at `serving`,
         * `perf` or `instance`, the first written); a machine takes as many requests as
         * its engine runs at once (max_num_seqs) unless `slots` says */
        uint32_t seqs;
        if (deployment_llm_check(err, n, path, &f->perf, ctx->model, &t, "instance", &seqs))
            return -1;
        if (!ytree_get(n, "slots"))
            f->slots = seqs;
        return 0;
    }
    if (perf_check_memory(err, ctx->model, &t, NULL)) {
        cfg_path_join(kp, path, "instance");
        return deployment_error_at(err, ytree_get(n, "instance"), kp);
    }
    if (perf_build(err, &f->perf, ctx->model, &t, &pm)) {
        const struct ynode *at = ytree_get(n, "perf");
        cfg_path_join(kp, path, "perf");
        return deployment_error_at(err, at ? at : n, kp);
    }
    perf_model_free(&pm);
    return 0;
}

/* A machine of an LLM fleet launched by the autoscaler serves after the machine's
 * boot (the 120 s every fleet assumes) and the model's start: the weights (a copy for
 * each engine) read from the machine's disk at 5 GB/s (vLLM's default loader on a fast local disk: 3.42 GiB in
 * 0.69 s, vllm-project/vllm issue #20264, 2025-06-30; assumed for every machine), each
 * GPU's shard copied over its host link, and vLLM's engine start
 * (COLDSTART_LLM_ENGINE_S). */
#define LLM_BOOT_DISK_BYTES_PER_S 5e9
static sim_time llm_boot_ns(const struct fleet_spec *f, const struct deployment_context *ctx)
{
    struct perf_target t;
    fleet_perf_target(f, ctx->catalog, &t);
    const struct model_spec *m = ctx->model;
    double weights = (double)(m->weights_bytes > 0 ? m->weights_bytes : m->size_bytes);
    uint32_t tp = f->serving.tensor_parallel_size ? f->serving.tensor_parallel_size : 1;
    uint32_t dp = f->serving.data_parallel_size ? f->serving.data_parallel_size : 1;
    /* each engine reads its own copy from the one disk */
    double s = 120.0 + dp * weights / LLM_BOOT_DISK_BYTES_PER_S + COLDSTART_LLM_ENGINE_S;
    if (t.accel && t.accel->host_bytes_per_s > 0)
        s += weights / tp / t.accel->host_bytes_per_s;
    return (sim_time)(s * 1e9 + 0.5);
}

int fleet_spec_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                     const struct deployment_context *ctx, struct fleet_spec *f)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    f->count = 1;
    f->slots = 1;
    f->speed = 1.0;
    f->max_queue = FLEET_QUEUE_UNBOUNDED;
    perf_spec_default(&f->perf);
    serving_spec_default(&f->serving);
    if (!(v = ytree_get(n, "instance")))
        return cfg_missing(err, n, path, "instance");
    cfg_path_join(kp, path, "instance");
    if (cfg_get_name(err, v, kp, NAME_IDENT_DOT, f->instance))
        return -1;
    const struct instance_type *type = catalog_find_instance(ctx->catalog, f->instance);
    if (!type) {
        char names[1024];
        catalog_instance_names(ctx->catalog, names, sizeof names);
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
        if (deployment_discount_parse(err, v, kp, ctx->catalog, type->provider, f->discount))
            return -1;
    }
    if ((v = ytree_get(n, "perf"))) {
        cfg_path_join(kp, path, "perf");
        if (perf_spec_parse(err, v, kp, &f->perf))
            return -1;
    }
    if (deployment_serving_parse(err, n, path, ctx->model->is_llm, &f->serving))
        return -1;
    if (f->count_auto && ctx->model->is_llm) {
        cfg_path_join(kp, path, "count");
        return cfg_fail(err, ytree_get(n, "count"), kp,
                        "count: auto sizes a fleet by a request's service time, and an LLM's "
                        "requests are timed by their tokens: give count");
    }
    if ((v = ytree_get(n, "batching"))) {
        cfg_path_join(kp, path, "batching");
        if (batching_spec_parse(err, v, kp, &f->batching))
            return -1;
        if (f->slots != 1)
            return cfg_fail(err, v, kp, "with batching a machine runs one batch at a time: "
                                        "leave slots at 1 (it is %u)", f->slots);
    }
    if ((v = ytree_get(n, "autoscale"))) {
        char ap[KEY_MAX];
        struct autoscale_spec *a = &f->autoscale;
        cfg_path_join(ap, path, "autoscale");
        if (v->kind != YNODE_MAPPING)
            return cfg_fail(err, v, ap, "expected a mapping such as {target: 0.6, min: 1, max: 10}, "
                                        "got %s", ytree_describe(v));
        if (cfg_check_keys(err, v, ap, autoscale_keys))
            return -1;
        if (f->count_auto)
            return cfg_fail(err, v, ap, "count: auto sizes a fixed fleet; with autoscale give "
                                        "min and max instead");
        a->enabled = 1;
        a->metric = AUTOSCALE_UTILIZATION;
        a->target = 0.6;
        a->interval_ns = 60 * SIM_NS_PER_S;
        a->boot_ns = 120 * SIM_NS_PER_S;
        a->cooldown_ns = 300 * SIM_NS_PER_S;
        a->min = 1;
        a->max = 0;
        const struct ynode *w;
        if ((w = ytree_get(v, "metric"))) {
            int m;
            cfg_path_join(kp, ap, "metric");
            if (cfg_get_enum(err, w, kp, "autoscale metric", autoscale_metrics, NULL, &m))
                return -1;
            a->metric = (enum autoscale_metric)m;
            if (a->metric == AUTOSCALE_KV_CACHE && !ctx->model->is_llm)
                return cfg_fail(err, w, kp, "metric kv_cache is an LLM engine's share of "
                                "KV-cache blocks in use: it needs model.llm (use queue or "
                                "utilization)");
        }
        /* A queue or KV-cache target depends on the model and the objective: no default. */
        if (!(w = ytree_get(v, "target")) && a->metric != AUTOSCALE_UTILIZATION) {
            cfg_path_join(kp, ap, "target");
            return cfg_fail(err, v, kp, "metric %s has no default target: give the %s a "
                            "machine should hold", autoscale_metrics[a->metric],
                            a->metric == AUTOSCALE_QUEUE ? "waiting requests"
                                                         : "share of KV-cache blocks in use");
        }
        if (w) {
            cfg_path_join(kp, ap, "target");
            if (cfg_get_number(err, w, kp, &a->target))
                return -1;
            if (a->metric == AUTOSCALE_QUEUE && !(a->target > 0 && a->target <= 1e9))
                return cfg_fail(err, w, kp, "target waiting requests per machine must be "
                                "above 0 (at most 1e9), got %g", a->target);
            if (a->metric != AUTOSCALE_QUEUE && !(a->target > 0 && a->target <= 1))
                return cfg_fail(err, w, kp, "target %s must be in (0, 1], got %g",
                                a->metric == AUTOSCALE_KV_CACHE ? "KV-cache share"
                                                                : "utilisation",
                                a->target);
        }
        if (ctx->model->is_llm)
            a->boot_ns = llm_boot_ns(f, ctx);
        struct { const char *key; sim_time *out; } durs[] = {
            {"interval", &a->interval_ns}, {"boot", &a->boot_ns}, {"cooldown", &a->cooldown_ns}};
        for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++)
            if ((w = ytree_get(v, durs[i].key))) {
                cfg_path_join(kp, ap, durs[i].key);
                if (cfg_get_duration(err, w, kp, 0, durs[i].out))
                    return -1;
                if (i == 0 && *durs[i].out <= 0)
                    return cfg_fail(err, w, kp, "interval must be above 0");
                if (i == 0 && (double)ctx->duration_ns / (double)*durs[i].out >
                                  SCENARIO_MAX_EVENTS)
                    return cfg_fail(err, w, kp, "interval %s is %.3g evaluations per "
                                    "replication, above the limit of %g",
                                    w->text, (double)ctx->duration_ns / (double)*durs[i].out,
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
    return check_perf(err, n, path, ctx, f);
}
