/* perf.c - performance models: from a deployment's `perf` and the instance it runs
 * on to the rate at which a request's work progresses.
 *
 * Every model is built the same way: the time of one request alone on the
 * instance (t1), its speed against the model's reference (E[S] / t1, or the vCPU
 * share), then the rate of each of k requests in service for k up to the
 * instance's slots. A row of `models` says how a kind finds its t1 and shares the
 * instance; perf_build does the rest once. Requests are not batched here: a batch
 * of one item per request (the batching issue adds larger ones, and the profile
 * and linear specs already answer for any batch, perf_spec_time_ns). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/llm.h"
#include "slsim/perf.h"

/* A speed this close to 1 is 1: the work runs as is, so a deployment whose instance
 * is the reference prints what it printed before performance models. */
#define SPEED_ONE_TOLERANCE 1e-12

static const char *const spec_kind_names[] = {
    [PERF_SPEC_DEFAULT] = "default", [PERF_SPEC_PROFILE] = "profile",
    [PERF_SPEC_LINEAR] = "linear",   [PERF_SPEC_ROOFLINE] = "roofline",
    [PERF_SPEC_CPU] = "cpu",          [PERF_SPEC_MEASURED] = "measured",
};

const char *perf_spec_kind_name(enum perf_spec_kind k)
{
    return (unsigned)k < sizeof spec_kind_names / sizeof spec_kind_names[0] ? spec_kind_names[k]
                                                                             : "?";
}

void perf_spec_default(struct perf_spec *s)
{
    memset(s, 0, sizeof *s);
    s->kind = PERF_SPEC_DEFAULT;
    s->compute_efficiency = -1;
    s->memory_efficiency = -1;
    s->overhead_ns = -1;
}

void perf_model_scaled(struct perf_model *m, double speed)
{
    *m = (struct perf_model){.kind = PERF_FIXED, .name = "scaled", .speed = speed};
}

void perf_model_free(struct perf_model *m)
{
    free(m->rate);
    m->rate = NULL;
    m->n_rate = 0;
    free(m->batch_ns);
    m->batch_ns = NULL;
    m->max_batch = 0;
    free(m->llm);
    m->llm = NULL;
}

/* An LLM: the engine's iterations time requests from their tokens (llm.h). */
static int build_llm(struct slsim_error *err, const struct perf_spec *spec,
                     const struct model_spec *m, const struct perf_target *t,
                     struct perf_model *out)
{
    struct llm_perf *l = malloc(sizeof *l);
    if (!l)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    if (llm_perf_build(err, t->serving, spec, m, t, l)) {
        free(l);
        return -1;
    }
    *out = (struct perf_model){.kind = PERF_LLM, .name = "llm", .built = l->how, .speed = 1.0,
                               .mean_ns = dist_mean_s(&m->service) * 1e9, .llm = l};
    return 0;
}

int perf_spec_time_ns(struct slsim_error *err, const struct perf_spec *s, uint32_t batch,
                      sim_time *out_ns)
{
    if (batch < 1)
        return slsim_error_set(err, NULL, 0, 0, NULL, "a batch holds at least one item");
    if (s->kind == PERF_SPEC_LINEAR) {
        sim_time t = s->base_ns + s->per_item_ns * (sim_time)batch;
        *out_ns = t > s->floor_ns ? t : s->floor_ns;
        return 0;
    }
    if (s->kind != PERF_SPEC_PROFILE || s->n_profile == 0)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: %s gives no time by batch size (profile and linear do)",
                               perf_spec_kind_name(s->kind));
    size_t last = s->n_profile - 1;
    if (batch > s->profile_batch[last])
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "a batch of %u is beyond the profile's last point (%u): the "
                               "profile says nothing of larger batches; measure one",
                               batch, s->profile_batch[last]);
    size_t i = 0;
    while (s->profile_batch[i] < batch)
        i++;
    if (s->profile_batch[i] == batch) {
        *out_ns = s->profile_ns[i];
        return 0;
    }
    /* Between points i - 1 and i (i >= 1: the first point is batch 1). */
    double b0 = s->profile_batch[i - 1], b1 = s->profile_batch[i];
    double t0 = (double)s->profile_ns[i - 1], t1 = (double)s->profile_ns[i];
    *out_ns = (sim_time)(t0 + (t1 - t0) * ((double)batch - b0) / (b1 - b0) + 0.5);
    return 0;
}

double perf_vcpu_share(double p, double v, double n)
{
    double share = v / n < 1 ? v / n : 1;
    return 1 / ((1 - p) / share + p * n / v);
}

double perf_cpu_speed(const struct model_spec *m, double v)
{
    double s = perf_vcpu_share(m->parallel_fraction, v, 1);
    return fabs(s - 1) <= SPEED_ONE_TOLERANCE ? 1.0 : s;
}

/* ---- memory fit ---- */

static int64_t weights_of(const struct model_spec *m)
{
    return m->weights_bytes > 0 ? m->weights_bytes : m->size_bytes;
}

/* A total of parts in different units ("16GB" + "400MiB") has no short exact form:
 * five significant digits in the largest decimal unit under it ("16.419GB"). */
static void format_total(double bytes, char *buf, size_t n)
{
    static const struct { double scale; const char *unit; } units[] = {
        {1e12, "TB"}, {1e9, "GB"}, {1e6, "MB"}, {1e3, "kB"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (bytes >= units[i].scale) {
            snprintf(buf, n, "%.5g%s", bytes / units[i].scale, units[i].unit);
            return;
        }
    snprintf(buf, n, "%.0fB", bytes);
}

/* "the model needs X (weights W + activations A x k in service + CUDA context C x
 * n)" into buf; the parts that are 0 left out. */
static void describe_need(char *buf, size_t n, double need, int64_t weights, int64_t act,
                          double in_service, double ctx, uint32_t n_ctx)
{
    char a[32], b[32], c[32], d[32];
    format_total(need, a, sizeof a);
    format_total((double)weights, b, sizeof b);
    int len = snprintf(buf, n, "the model needs %s (weights %s", a, b);
    if (act > 0 && len >= 0 && (size_t)len < n) {
        format_total((double)act, c, sizeof c);
        len += snprintf(buf + len, n - (size_t)len, " + activations %s x %.0f in service", c,
                        in_service);
    }
    if (ctx > 0 && len >= 0 && (size_t)len < n) {
        units_format_size((int64_t)ctx, d, sizeof d);
        if (n_ctx > 1)
            len += snprintf(buf + len, n - (size_t)len, " + CUDA context %s x %u", d, n_ctx);
        else
            len += snprintf(buf + len, n - (size_t)len, " + CUDA context %s", d);
    }
    if (len >= 0 && (size_t)len < n)
        snprintf(buf + len, n - (size_t)len, ")");
}

int perf_check_memory(struct slsim_error *err, const struct model_spec *m,
                      const struct perf_target *t, int *sharded)
{
    char need[320], have[32];
    int64_t w = weights_of(m), act = m->activations_bytes;
    /* each request in service holds its activations: every slot's, or a whole batch's */
    double slots = t->slots ? t->slots : 1;
    if (t->max_batch > slots)
        slots = t->max_batch;
    if (sharded)
        *sharded = 0;
    if (!t->accel) {
        /* Each request in service holds its activations; no runtime overhead is
         * counted on a CPU (the platform's memory setting is the process's). */
        double total = (double)w + (double)act * slots;
        if (t->memory_bytes <= 0 || total <= (double)t->memory_bytes)
            return 0;
        describe_need(need, sizeof need, total, w, act, slots, 0, 0);
        units_format_size(t->memory_bytes, have, sizeof have);
        return slsim_error_set(err, NULL, 0, 0, NULL, "%s but %s%s has %s of memory", need,
                               t->where ? "an instance of " : "the instance",
                               t->where ? t->where : "", have);
    }
    uint32_t n = t->n_accel ? t->n_accel : 1;
    double dev = (double)t->accel->memory_bytes, ctx = (double)PERF_CUDA_CONTEXT_BYTES;
    /* A copy on each device, the requests in service spread over the devices. */
    double per_dev = ceil(slots / n);
    double one = (double)w + (double)act * per_dev + ctx;
    if (one <= dev)
        return 0;
    /* Split across all devices: each holds a share of the weights and its context. */
    double all = (double)w + (double)act * slots + ctx * n;
    if (n > 1 && all <= dev * n) {
        if (sharded)
            *sharded = 1;
        return 0;
    }
    if (n > 1) {
        describe_need(need, sizeof need, all, w, act, slots, ctx, n);
        units_format_size((int64_t)(dev * n), have, sizeof have);
        return slsim_error_set(err, NULL, 0, 0, NULL, "%s but %u x %s have %s together", need,
                               n, t->accel->name, have);
    }
    describe_need(need, sizeof need, one, w, act, per_dev, ctx, 1);
    units_format_size(t->accel->memory_bytes, have, sizeof have);
    return slsim_error_set(err, NULL, 0, 0, NULL, "%s but one %s has %s", need, t->accel->name,
                           have);
}

/* ---- the models ---- */

/* What a kind needs to find the time of one request alone on the instance. */
struct build {
    enum perf_spec_kind kind;        /* the spec's, or what the default stands for */
    const struct perf_spec *spec;
    const struct model_spec *m;
    const struct perf_target *t;
    int sharded;     /* the model is split across all of t's accelerators */
    double units;    /* what k requests share: rate = speed x min(1, units / k); 0: not shared */
    double speed;    /* rate of one request alone */
};

static const char *where(const struct perf_target *t)
{
    return t->where ? t->where : "this instance";
}

/* speed = E[S] / t1: the mean work (reference ns) is done in t1 on this instance. */
static int speed_from_t1(struct slsim_error *err, struct build *b, double t1_s)
{
    double mean_s = dist_mean_s(&b->m->service);
    if (!(mean_s > 0))
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: %s scales model.service to its own time, so the service "
                               "time needs a mean above 0",
                               perf_spec_kind_name(b->kind));
    if (!(t1_s > 0))
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: %s gives one request no time at all",
                               perf_spec_kind_name(b->kind));
    b->speed = mean_s / t1_s;
    return 0;
}

/* Time-sliced without batching: the devices holding a copy serve one request each;
 * without an accelerator, the vCPUs (when known). */
static double device_units(const struct build *b)
{
    if (b->t->accel)
        return b->sharded ? 1 : (b->t->n_accel ? b->t->n_accel : 1);
    return b->t->vcpus;
}

static int build_measured(struct slsim_error *err, struct build *b)
{
    sim_time t1;
    if (perf_spec_time_ns(err, b->spec, 1, &t1))
        return -1;
    b->units = device_units(b);
    return speed_from_t1(err, b, (double)t1 / 1e9);
}

/* The roofline's time for n items at once on b's accelerator, seconds, its overhead
 * apart: the larger of n items' FLOPs at the dense FP16 peak x compute efficiency and
 * the weights (read once) plus n items' activations at the bandwidth x memory
 * efficiency. One request runs on one device; a model split across the devices has
 * them all. */
static double roofline_s(const struct build *b, double n)
{
    const struct accelerator *a = b->t->accel;
    const struct model_spec *m = b->m;
    double ce = b->spec->compute_efficiency > 0 ? b->spec->compute_efficiency
                                                : PERF_COMPUTE_EFFICIENCY_DEFAULT;
    double me = b->spec->memory_efficiency > 0 ? b->spec->memory_efficiency
                                               : PERF_MEMORY_EFFICIENCY_DEFAULT;
    double devs = b->sharded ? (b->t->n_accel ? b->t->n_accel : 1) : 1;
    double compute_s = n * m->flops / (a->fp16_flops * devs * ce);
    double bytes = (double)weights_of(m) + n * (double)m->activations_bytes;
    double memory_s = bytes / (a->memory_bytes_per_s * devs * me);
    return compute_s > memory_s ? compute_s : memory_s;
}

/* The roofline's fixed cost per batch: `overhead`, else PERF_OVERHEAD_DEFAULT_NS. */
static sim_time roofline_overhead_ns(const struct build *b)
{
    return b->spec->overhead_ns >= 0 ? b->spec->overhead_ns : PERF_OVERHEAD_DEFAULT_NS;
}

static int build_roofline(struct slsim_error *err, struct build *b)
{
    const struct perf_target *t = b->t;
    const struct model_spec *m = b->m;
    if (!t->accel)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: roofline needs an accelerator, and %s has none: use a GPU "
                               "platform or instance, or give a measured profile",
                               where(t));
    if (!(m->flops > 0))
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: roofline needs model.flops, the FLOPs of one item "
                               "(e.g. flops: 4.1GFLOP)");
    const struct accelerator *a = t->accel;
    if (!(a->fp16_flops > 0) || !(a->memory_bytes_per_s > 0))
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: roofline needs the dense FP16 throughput and the memory "
                               "bandwidth of %s, and the catalog lacks one", a->name);
    double t1_s = roofline_s(b, 1) + (double)roofline_overhead_ns(b) / 1e9;
    b->units = device_units(b);
    return speed_from_t1(err, b, t1_s);
}

static int build_cpu(struct slsim_error *err, struct build *b)
{
    const struct perf_target *t = b->t;
    if (!(t->vcpus > 0))
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: cpu needs the instance's vCPUs, and the catalog gives "
                               "none for %s",
                               where(t));
    if (t->dedicated) {
        /* The machine's speed says how fast a request runs there alone; sharing
         * slows it only once the requests outnumber the vCPUs. */
        b->speed = t->speed;
        b->units = t->vcpus;
    } else {
        b->speed = perf_vcpu_share(b->m->parallel_fraction, t->vcpus, 1);
    }
    return 0;
}

static int build_scaled(struct slsim_error *err, struct build *b)
{
    (void)err;
    b->speed = b->t->speed;
    return 0;
}

static const struct model_row {
    const char *name;      /* perf_model.name */
    int (*build)(struct slsim_error *err, struct build *b);
} models[] = {
    [PERF_SPEC_DEFAULT] = {"scaled", build_scaled},
    [PERF_SPEC_PROFILE] = {"profile", build_measured},
    [PERF_SPEC_LINEAR] = {"linear", build_measured},
    [PERF_SPEC_ROOFLINE] = {"roofline", build_roofline},
    [PERF_SPEC_CPU] = {"cpu", build_cpu},
    [PERF_SPEC_MEASURED] = {"measured", build_scaled},
};

/* The kind PERF_SPEC_DEFAULT stands for on t; PERF_SPEC_DEFAULT itself is scaled. */
static enum perf_spec_kind default_kind(const struct model_spec *m, const struct perf_target *t)
{
    if (!t->accel && t->vcpus > 0)
        return PERF_SPEC_CPU;
    if (t->accel && m->flops > 0)
        return PERF_SPEC_ROOFLINE;
    return PERF_SPEC_DEFAULT;
}

static double snap_one(double speed)
{
    return fabs(speed - 1) <= SPEED_ONE_TOLERANCE ? 1.0 : speed;
}

/* The time of a batch of b requests of the mean work under the built model, ns:
 * a measured profile or linear fit at b; the roofline with b items (FLOPs and
 * activations b times, the weights read once); any other model b requests one after
 * another (no gain from batching). 0, or -1 with err's message. */
static int batch_time_ns(struct slsim_error *err, const struct build *b, uint32_t n,
                         double mean_s, double *out_ns)
{
    if (b->kind == PERF_SPEC_PROFILE || b->kind == PERF_SPEC_LINEAR) {
        sim_time t;
        if (perf_spec_time_ns(err, b->spec, n, &t))
            return -1;
        *out_ns = (double)t;
        return 0;
    }
    if (b->kind == PERF_SPEC_ROOFLINE) {
        *out_ns = roofline_s(b, n) * 1e9 + (double)roofline_overhead_ns(b);
        return 0;
    }
    *out_ns = n * mean_s * 1e9 / b->speed;
    return 0;
}

int perf_build(struct slsim_error *err, const struct perf_spec *spec, const struct model_spec *m,
               const struct perf_target *t, struct perf_model *out)
{
    *out = (struct perf_model){0};
    if (m->is_llm)
        return build_llm(err, spec, m, t, out);
    enum perf_spec_kind kind = spec->kind == PERF_SPEC_DEFAULT ? default_kind(m, t) : spec->kind;
    if ((unsigned)kind >= sizeof models / sizeof models[0])
        return slsim_error_set(err, NULL, 0, 0, NULL, "unknown perf kind %d", (int)kind);
    struct build b = {.kind = kind, .spec = spec, .m = m, .t = t};
    if (perf_check_memory(err, m, t, &b.sharded) || models[kind].build(err, &b))
        return -1;
    if (!(b.speed > 0) || !isfinite(b.speed))
        return slsim_error_set(err, NULL, 0, 0, NULL, "perf: %s gives a speed of %g on %s",
                               models[kind].name, b.speed, where(t));
    double speed = snap_one(b.speed);
    uint32_t slots = t->slots ? t->slots : 1;
    int shared = 0;
    double *rate = NULL;
    /* the work as is, or as measured on these instances (sharing included), is never
     * shared again */
    if (slots > 1 && kind != PERF_SPEC_DEFAULT && kind != PERF_SPEC_MEASURED) {
        rate = malloc(slots * sizeof *rate);
        if (!rate)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        for (uint32_t k = 1; k <= slots; k++) {
            double r = speed;
            if (kind == PERF_SPEC_CPU && !t->dedicated)
                r = snap_one(perf_vcpu_share(m->parallel_fraction, t->vcpus, k));
            else if (b.units > 0 && b.units < k)
                r = speed * b.units / k;
            rate[k - 1] = r;
            shared |= r != speed;
        }
    }
    double *batch = NULL;
    double mean_s = dist_mean_s(&m->service);
    if (t->max_batch > 0) {
        b.speed = speed;
        if (!(batch = malloc(t->max_batch * sizeof *batch))) {
            free(rate);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        }
        for (uint32_t n = 1; n <= t->max_batch; n++)
            if (batch_time_ns(err, &b, n, mean_s, &batch[n - 1])) {
                free(rate);
                free(batch);
                return -1;
            }
    }
    if (!shared) {
        free(rate);
        *out = (struct perf_model){.kind = PERF_FIXED, .name = models[kind].name, .built = kind, .speed = speed,
                                   .batch_ns = batch, .max_batch = batch ? t->max_batch : 0,
                                   .mean_ns = mean_s * 1e9};
        return 0;
    }
    *out = (struct perf_model){.kind = PERF_SHARED, .name = models[kind].name, .built = kind, .speed = speed,
                               .rate = rate, .n_rate = slots, .batch_ns = batch,
                               .max_batch = batch ? t->max_batch : 0, .mean_ns = mean_s * 1e9};
    return 0;
}
