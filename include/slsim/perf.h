/* perf.h - the model being served, and how long its work takes.
 *
 * A request carries its work: the time it would take on the model's reference
 * instance, a variate of model.service drawn once per request from the service
 * stream, so every deployment serves the very same work (common random numbers).
 * A performance model turns that work into time on the instance that serves it. */
#ifndef SLSIM_PERF_H
#define SLSIM_PERF_H

#include <stdint.h>

#include "slsim/catalog.h"
#include "slsim/dist.h"
#include "slsim/error.h"
#include "slsim/text.h"
#include "slsim/units.h"
#include "slsim/workload.h"

struct model_spec {
    char name[SLSIM_NAME_MAX];    /* label for reports, "model" when not given */
    int64_t size_bytes;           /* artifact size: drives cold-start time */
    int size_line, size_column;   /* where model.size was written (0: not given), for errors */
    const char *size_src;         /* its file (or "--set"); borrowed from the loader, valid only while loading */
    int64_t memory_bytes;         /* memory of one serverless instance unless a deployment overrides (default 2GiB) */
    struct dist service;          /* warm execution time of one request on the reference instance
                                     (one vCPU; or the accelerator's batch of 1 for a profile) */
    /* what the hardware models read (model.flops, .weights, .activations, .parallel_fraction) */
    double flops;                 /* FLOPs of one item (one request's input), 0 = not given */
    int64_t weights_bytes;        /* bytes of weights read per batch, 0 = size_bytes */
    int64_t activations_bytes;    /* activation bytes per item, read and written (default 0) */
    double parallel_fraction;     /* p in [0, 1]: the share of the work that runs on all vCPUs (default 0) */
};

/* ---- what a deployment says about performance (key `perf`) --------------------- */

enum perf_spec_kind {
    PERF_SPEC_DEFAULT,  /* not given: cpu on a platform with vCPUs and no accelerator; roofline
                           on an accelerator when model.flops is given; else the work as is */
    PERF_SPEC_PROFILE,  /* measured time by batch size, linear between points */
    PERF_SPEC_LINEAR,   /* base + per_item x batch, at least floor */
    PERF_SPEC_ROOFLINE, /* max(compute, memory) time on the accelerator, plus overhead */
    PERF_SPEC_CPU,      /* the vCPU share (Amdahl over the instance's vCPUs) */
};

#define PERF_PROFILE_MAX 32 /* points of a measured profile */

struct perf_spec {
    enum perf_spec_kind kind;
    /* PROFILE: batch sizes (ascending, the first 1) and their times */
    uint32_t profile_batch[PERF_PROFILE_MAX];
    sim_time profile_ns[PERF_PROFILE_MAX];
    size_t n_profile;
    /* LINEAR */
    sim_time base_ns, per_item_ns, floor_ns;
    /* ROOFLINE; a negative value = not given (the default from the sources) */
    double compute_efficiency, memory_efficiency;
    sim_time overhead_ns;
    int line, column;             /* where `perf` was written (0: not given), for errors */
};

/* The instance a performance model is built for. */
struct perf_target {
    double speed;                 /* a dedicated machine's `speed` (1 elsewhere), > 0 */
    uint32_t slots;               /* requests one instance serves at once, >= 1 */
    int dedicated;                /* 1: a dedicated machine (the vCPU share only past its vCPUs) */
    double vcpus;                 /* vCPUs of one instance; 0 = not known */
    int64_t memory_bytes;         /* memory of one instance; 0 = not known */
    const struct accelerator *accel; /* NULL: CPU only */
    uint32_t n_accel;             /* accelerators per instance */
};

/* ---- performance models --------------------------------------------------------
 *
 * A performance model answers one question for the platform serving a request: at
 * what rate does its work progress. The work of a request (r->service_ns) is its
 * time on the model's reference instance; a rate is reference ns of work done per ns
 * of simulated time, for each request in service.
 *
 * PERF_FIXED: the rate does not depend on what else runs on the instance, so the
 * execution time is fixed at start: work / speed, rounded to the ns. The execution
 * core computes it inline and keeps nothing of the request while it runs.
 *
 * PERF_SHARED: processor sharing. With k requests in service each progresses at
 * rate[k - 1]; the core keeps the instance's requests and reschedules the first
 * completion whenever k changes. */

enum perf_kind {
    PERF_FIXED,  /* duration fixed at start: work / speed */
    PERF_SHARED, /* rate by the number in service (processor sharing) */
};

struct perf_model {
    enum perf_kind kind;
    const char *name;             /* "scaled", "cpu", "profile", "linear", "roofline" (static) */
    double speed;                 /* rate of one request alone, > 0; exactly 1 = the work itself */
    double *rate;                 /* PERF_SHARED: rate[k - 1] for k = 1..n_rate in service, owned */
    uint32_t n_rate;              /* = the instance's slots */
};

/* The model of spec for model m on instance t, into *out (free with perf_model_free).
 * 0, or -1 with err's message (no position: the caller places it) when the model
 * cannot serve there: a profile or roofline without an accelerator where it needs
 * one, a roofline without model.flops, a batch beyond a profile's last point, or the
 * model not fitting the memory (weights + activations + runtime overhead, both
 * numbers in the message). */
int perf_build(struct slsim_error *err, const struct perf_spec *spec, const struct model_spec *m,
               const struct perf_target *t, struct perf_model *out);

/* Frees what perf_build allocated; a zeroed model is fine. */
void perf_model_free(struct perf_model *m);

/* A fixed model of the given speed (no allocation): "scaled". */
void perf_model_scaled(struct perf_model *m, double speed);

/* service_ns on an instance of the given speed: service_ns / speed rounded half up,
 * exactly service_ns at speed 1. */
static inline sim_time perf_scaled_ns(sim_time service_ns, double speed)
{
    return speed == 1.0 ? service_ns : (sim_time)((double)service_ns / speed + 0.5);
}

#endif
