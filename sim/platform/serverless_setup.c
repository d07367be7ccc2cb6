/* serverless_setup.c - making, finishing and freeing a serverless platform: its
 * policies looked up by their rows (policies.c), its meters and cold-start model,
 * and at the end the bill of periods still open and the per-function statistics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "coldstart_llm.h"
#include "idle.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Per-function cold-start ratios: their mean and 75th percentile over the
 * functions that served anything (what Serverless in the Wild plots). */
static int function_stats(struct serverless *p, struct deployment_result *r)
{
    double *ratio = malloc((p->n_fn ? p->n_fn : 1) * sizeof *ratio);
    if (!ratio)
        return -1;
    size_t n = 0;
    double sum = 0;
    for (uint32_t fn = 0; fn < p->n_fn; fn++)
        if (p->fn[fn].served) {
            ratio[n] = (double)p->fn[fn].cold_starts / (double)p->fn[fn].served;
            sum += ratio[n++];
        }
    r->functions = p->n_fn;
    r->functions_served = n;
    r->fn_served = calloc(p->n_fn, sizeof *r->fn_served);
    r->fn_cold_starts = calloc(p->n_fn, sizeof *r->fn_cold_starts);
    if (!r->fn_served || !r->fn_cold_starts) {
        free(ratio);
        return -1;
    }
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        r->fn_served[fn] = p->fn[fn].served;
        r->fn_cold_starts[fn] = p->fn[fn].cold_starts;
    }
    if (n) {
        qsort(ratio, n, sizeof *ratio, cmp_double);
        r->fn_cold_start_ratio_mean = sum / (double)n;
        /* nearest rank, as the latency quantiles */
        size_t rank = (size_t)ceil(0.75 * (double)n);
        r->fn_cold_start_ratio_p75 = ratio[rank ? rank - 1 : 0];
    }
    free(ratio);
    return 0;
}

int serverless_finish(void *self, struct deployment_result *out, struct slsim_error *err)
{
    struct serverless *p = self;
    if (p->core.oom)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "out of memory while simulating deployment \"%s\"",
                               p->name);
    /* A request still waiting now waits for a function that has no instance and
     * cannot get one (memory taken by others): it is dropped. */
    for (uint32_t fn = 0; p->waits && fn < p->n_fn; fn++)
        core_queue_drop_all(&p->core, &p->cold[fn].queue);
    expire_until(p, p->env.end_ns);
    advance(p, p->env.end_ns);
    prov_bill_segment(p, p->env.end_ns);
    /* Periods still open at the end are billed up to the end. */
    for (uint32_t i = 0; i < p->n_inst; i++) {
        const struct instance *in = &p->inst[i];
        if (in->state == INST_FREE)
            continue;
        if (in->prov) {
            if (p->meter.mode == BILLING_BUSY && in->active > 0 && in->state == INST_READY)
                prov_bill_busy(p, i, p->env.end_ns);
            continue;
        }
        if (p->meter.mode == BILLING_INSTANCE ||
            (p->meter.mode == BILLING_BUSY && (in->active > 0 || in->state == INST_INIT)))
            bill_period(p, i, p->env.end_ns);
    }
    struct deployment_result *r = &p->res;
    r->slots = p->concurrency;
    if (occupancy_finish(&p->occ, r, err) != 0)
        return -1;
    r->provisioned_instance_s = sim_time_sum_s(p->prov_ns);
    r->provisioned_busy_s = sim_time_sum_s(p->prov_busy_ns);
    billing_meter_cost(&p->meter, r->measured_s, &r->cost);
    struct cost_breakdown warm;
    billing_meter_cost(&p->warm_meter, r->measured_s, &warm);
    r->cost.warming_usd = warm.requests_usd + warm.compute_usd;
    r->cost.provisioned_usd = provisioned_usd(&p->prov_meter);
    /* Billed durations: executions, busy periods or instance life, as the platform
     * bills them; a kept-warm instance's life where it is billed as an instance. */
    sim_time_sum billed_ns = p->meter.billed_ns + p->prov_meter.exec_ns;
    if (p->profile->provisioned_rule == PROVISIONED_INSTANCE)
        billed_ns += p->prov_meter.allocated_ns;
    r->billed_ms = (double)billed_ns / 1e6;
    if (function_stats(p, r) != 0)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    *out = *r;
    r->timeline = NULL;
    r->fn_served = r->fn_cold_starts = NULL;
    r->windows = NULL; /* out has them */
    return 0;
}

void serverless_destroy(void *self)
{
    struct serverless *p = self;
    if (!p)
        return;
    coldstart_model_free(&p->coldstart);
    core_destroy(&p->core);
    autoscale_free(p);
    serverless_batch_free(p);
    if (p->cold_rng)
        gsl_rng_free(p->cold_rng);
    if (p->place_rng)
        gsl_rng_free(p->place_rng);
    /* Only a feature that is on put anything in fn_cold: with none, its pages
     * were never touched, and are not now. */
    for (uint32_t fn = 0; p->cold && p->cold_owned && fn < p->n_fn; fn++) {
        struct fn_cold *c = &p->cold[fn];
        idxset_free(&c->idle_set);
        free(c->newest.e);
        idxset_free(&c->partial);
        idxset_free(&c->starting);
        idxset_free(&c->prov_idle);
        core_queue_free(&c->queue);
        ka_hist_destroy(c->hist);
    }
    free(p->cold);
    free(p->res.windows);
    free(p->fn);
    free(p->fn_memory);
    free(p->fn_reserved);
    fn_ring_free(&p->pool_waiters);
    free(p->fn_speed);
    free(p->inst);
    expiry_ring_free(&p->exp_ring);
    free(p->exp_heap.e);
    free(p->evict.e);
    free(p->retries);
    occupancy_free(&p->occ);
    free(p);
}

void *serverless_create(const char *name, const struct serverless_spec *d,
                        const struct platform_env *env, struct slsim_error *err)
{
    const struct platform_profile *prof = catalog_find_platform(env->catalog, d->platform);
    if (platform_check_deployment(name, d, prof, env->catalog, env->file, err) != 0)
        return NULL;
    double off = 0.0;
    if (d->discount[0]) {
        const struct discount *disc = catalog_find_discount(env->catalog, d->discount);
        if (!disc) {
            slsim_error_set(err, env->file, 0, 0, NULL, "unknown discount \"%s\"", d->discount);
            return NULL;
        }
        off = disc->off;
    }
    const struct policy_row *ka = policy_by_id(policy_keepalive, (int)d->keep_alive.policy);
    const struct policy_row *pick = policy_by_id(policy_idle_pick, (int)d->idle_pick);
    const struct policy_row *throttle = policy_by_id(policy_throttle, (int)d->on_throttle);
    if (!ka || !pick || !throttle) {
        slsim_error_set(err, env->file, 0, 0, NULL, "deployment \"%s\": unknown policy", name);
        return NULL;
    }
    struct serverless *p = calloc(1, sizeof *p);
    if (!p) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    p->spec = d;
    p->name = name;
    p->profile = prof;
    p->env = *env;
    p->keep_alive_ns = d->keep_alive.policy == KEEPALIVE_PLATFORM ? prof->default_keep_alive_ns
                                                                  : d->keep_alive.duration_ns;
    p->concurrency = d->concurrency;
    p->cap = d->reserved;
    /* The account pool: the deployment's, else the platform's (none on a platform
     * without one). */
    uint32_t pool = d->account_concurrency ? d->account_concurrency : prof->account_concurrency;
    p->pool_on = pool > 0;
    p->pool_free = pool;
    for (uint32_t j = 0; j < d->n_reserved_fn; j++)
        p->pool_free -= d->reserved_fn[j].n;
    p->free_head = NONE;
    p->retry_free = NONE;
    p->n_fn = env->functions;
    p->prefetch_fn = p->n_fn >= PREFETCH_FUNCTIONS;
    p->ka = ka->ops.keepalive;
    p->pick = pick->ops.pick;
    p->throttle = throttle->ops.throttle;
    p->take = p->pick == &idle_pick_mru_ops   ? TAKE_MRU
              : p->pick == &idle_pick_lru_ops ? TAKE_LRU
                                              : TAKE_OPS;
    p->pick_add = p->pick->add;
    p->pick_unlink = p->pick->unlink;
    p->expiry_ns = SIM_TIME_FOREVER;
    p->fixed_ka = p->ka == &keepalive_fixed_ops;
    p->slots_many = d->concurrency > 1;
    p->prov_on = d->provisioned.default_count || d->provisioned.n_rules;
    p->waits = p->throttle->slot_free != NULL;
    if (d->n_reserved_fn && !(p->fn_reserved = calloc(p->n_fn ? p->n_fn : 1, sizeof *p->fn_reserved))) {
        serverless_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    for (uint32_t j = 0; j < d->n_reserved_fn; j++)
        if (d->reserved_fn[j].fn < p->n_fn)
            p->fn_reserved[d->reserved_fn[j].fn] = d->reserved_fn[j].n;
    result_init(&p->res);
    if (result_windows_init(&p->res, env->slo)) {
        serverless_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    struct perf_model perf;
    if (serverless_perf_build(err, d, env->model, env->catalog, &perf) != 0) {
        serverless_destroy(p);
        return NULL;
    }
    core_init(&p->core, env->heap, (perf.kind == PERF_FIXED ? EV_COMPLETE : EV_SHARED) + env->kind_base,
              &perf, &p->occ, &p->res, env->warmup_ns, env->slo->latency_ns);
    p->llm = p->core.how == CORE_PERF_LLM;
    if (core_llm_begin(&p->core, env->end_ns) != 0) {
        serverless_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(p->res.name, sizeof p->res.name, "%s", name);
    snprintf(p->res.platform, sizeof p->res.platform, "%s", prof->name);
    p->res.type = DEPLOYMENT_SERVERLESS;
    p->res.memory_bytes = d->memory_bytes;
    /* AWS: "the free tier does not apply to functions that have provisioned
     * concurrency enabled" (Lambda pricing page); the catalog says so per platform. */
    int has_provisioned = sched_max_count(&d->provisioned) > 0;
    int free_tier = d->free_tier && (!has_provisioned || prof->free_with_provisioned);
    billing_meter_init(&p->meter, prof, d->memory_bytes, d->init_billed, off, free_tier);
    billing_meter_init(&p->warm_meter, prof, d->memory_bytes, d->init_billed, off, 0);
    provisioned_meter_init(&p->prov_meter, prof, d->memory_bytes, off);
    if (coldstart_model_for(&p->coldstart, d, prof, env->model, err) != 0) {
        serverless_destroy(p);
        return NULL;
    }
    p->cold_cost_s = p->coldstart.enabled ? coldstart_mean_s(&p->coldstart) : 0.0;
    /* A mean init past the timeout costs the timed-out attempt as well. */
    if (p->coldstart.init_timeout_ns && p->cold_cost_s * 1e9 > p->coldstart.init_timeout_ns)
        p->cold_cost_s += (double)p->coldstart.init_timeout_ns / 1e9;
    snprintf(p->res.coldstart_profile, sizeof p->res.coldstart_profile, "%s",
             p->coldstart.profile);
    snprintf(p->res.coldstart_artifact, sizeof p->res.coldstart_artifact, "%s",
             p->coldstart.artifact);
    snprintf(p->res.coldstart_assumed, sizeof p->res.coldstart_assumed, "%s",
             p->coldstart.assumed);
    /* Every GPU of an instance is billed while it starts, where the init is. */
    p->res.coldstart_billed_gpus = p->meter.init_billed ? prof->gpus : 0.0;
    p->cold_rng = rng_stream_create(env->seed, env->replication, RNG_COLDSTART);
    p->place_rng = rng_stream_create(env->seed, env->replication, RNG_PLACEMENT);
    p->retried_init = p->coldstart.init_timeout_ns != 0;
    /* The deployment's timeout, else the platform's; dedicated machines have none. */
    p->timeout_ns = d->timeout_ns       ? d->timeout_ns
                    : prof->timeout_ns ? prof->timeout_ns
                                       : SIM_TIME_FOREVER;
    p->core.limit_ns = p->timeout_ns;
    /* Hot records on cache-line boundaries, two to a line. */
    size_t fn_bytes = ((size_t)p->n_fn * sizeof *p->fn + 63) & ~(size_t)63;
    void *fns = NULL;
    if (posix_memalign(&fns, 64, fn_bytes ? fn_bytes : 64) != 0)
        fns = NULL;
    p->fn = fns;
    p->cold = calloc(p->n_fn, sizeof *p->cold);
    if (!p->cold_rng || !p->place_rng || !p->fn || !p->cold) {
        serverless_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    for (uint32_t fn = 0; fn < p->n_fn; fn++)
        p->fn[fn] = (struct fn_state){NONE, NONE, 0, 0, 0, 0};
    for (uint32_t fn = 0; d->scale_limited && fn < p->n_fn; fn++)
        bucket_init(&p->cold[fn].bucket, &d->scale_rate, 0);
    /* Before the policy's init, which may fill fn_cold and fail half-way. */
    p->cold_owned = 1;
    if (p->ka->init(p) != 0) {
        serverless_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    if (occupancy_init(&p->occ, env->warmup_ns, env->end_ns, env->timeline_step_ns, err) != 0 ||
        autoscale_init(p, err) != 0 || serverless_batch_init(p, err) != 0) {
        serverless_destroy(p);
        return NULL;
    }
    struct perf_target target;
    serverless_perf_target(d, env->catalog, &target);
    p->vcpus = target.vcpus;
    /* A trace's per-function memory gives each function its own vCPUs where they follow
     * memory, under the vCPU share on one slot (Lambda); elsewhere the model's speed. */
    if (prof->memory_per_vcpu_bytes > 0 && p->core.perf.built == PERF_SPEC_CPU &&
        p->core.how != CORE_PERF_SHARED)
        p->memory_per_vcpu = (double)prof->memory_per_vcpu_bytes;
    p->hooks = p->learns || p->counts_uses || p->scales || p->batching || p->llm;
    p->cold_owned = p->slots_many || p->prov_on || p->waits || p->learns || p->pick->add;
    if (p->exp_mode == EXP_RING && expiry_ring_grow(&p->exp_ring)) {
        serverless_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    p->plain = (uint8_t)serverless_plain(p);
    if (p->prov_on)
        provision(p, 0);
    warming_start(p);
    if (p->core.oom) {
        serverless_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    return p;
}
