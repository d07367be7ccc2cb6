/* perf.h - the model being served, and how long its work takes.
 *
 * A request carries its work: the time it would take on the model's reference
 * instance, a variate of model.service drawn once per request from the service
 * stream, so every deployment serves the very same work (common random numbers).
 * A performance model turns that work into time on the instance that serves it. */
#ifndef SLSIM_PERF_H
#define SLSIM_PERF_H

#include <stdint.h>

#include "slsim/dist.h"
#include "slsim/text.h"
#include "slsim/units.h"
#include "slsim/workload.h"

struct model_spec {
    char name[SLSIM_NAME_MAX];    /* label for reports, "model" when not given */
    int64_t size_bytes;           /* artifact size: drives cold-start time */
    int size_line, size_column;   /* where model.size was written (0: not given), for errors */
    const char *size_src;         /* its file (or "--set"); borrowed from the loader, valid only while loading */
    int64_t memory_bytes;         /* memory of one serverless instance unless a deployment overrides (default 2GiB) */
    struct dist service;          /* warm execution time of one request on the reference instance */
};

/* ---- performance models --------------------------------------------------------
 *
 * A performance model answers one question for the platform serving a request: when
 * does its work complete. The platform's execution core (sim/platform/core.h) asks
 * it once per request, when the request's execution starts, and schedules the
 * completion then; the request's work is r->service_ns, the warm time on the
 * model's reference instance.
 *
 * Contract of a model:
 *   - start() returns the execution time of r on instance `in`, in ns, >= 0, from
 *     start_ns on. It must be a function of its arguments and the model's own state:
 *     it draws no random numbers (the work was drawn once, from the service stream,
 *     so every deployment serves the same work), and two deployments with equal
 *     instances get equal durations.
 *   - occupancy(), when not NULL, is called after every change of in->active (a
 *     request started on the instance or completed on it), at now. A model whose
 *     durations depend on what else runs on the instance (processor sharing,
 *     batches, LLM iterations) reschedules the completions of the instance's
 *     requests there, through the platform's reschedule callback in `in`. A model
 *     whose durations are fixed at start leaves it NULL and costs nothing more.
 *   - Models hold no per-request memory of their own: what they need per request
 *     travels with the request or lives in the instance. */

/* What a model knows of the instance serving a request. */
struct perf_instance {
    double speed;    /* the instance's speed relative to the reference instance, > 0 */
    uint32_t slots;  /* requests it serves at once, >= 1 */
    uint32_t active; /* requests executing on it now, the starting one included */
    uint32_t index;  /* the platform's index of the instance */
    /* Move the completion of the instance's request that completes first to at_ns
     * (occupancy-dependent models only; NULL where the platform cannot). */
    void (*reschedule)(void *platform, uint32_t index, sim_time at_ns);
    void *platform;  /* passed back to reschedule */
};

struct perf_model;

struct perf_ops {
    const char *name; /* how a scenario names the model */
    sim_time (*start)(const struct perf_model *m, const struct perf_instance *in,
                      const struct request *r, sim_time start_ns);
    void (*occupancy)(const struct perf_model *m, const struct perf_instance *in, sim_time now);
};

/* Models the core evaluates inline, without a call, on the per-request path. */
enum perf_kind {
    PERF_SCALED, /* the work divided by the instance's speed */
    PERF_OTHER,  /* anything else: through ops */
};

/* A deployment's performance model: its operations and, for the inline kinds, what
 * the core computes without calling them. Zeroed: invalid; perf_model_init fills it. */
struct perf_model {
    const struct perf_ops *ops;
    enum perf_kind kind;
};

/* "scaled": the work divided by the instance's speed, rounded to the nearest ns
 * (speed 1: the work itself, to the nanosecond). */
extern const struct perf_ops perf_scaled_ops;

/* The model named name ("scaled"), or NULL. */
const struct perf_ops *perf_find(const char *name);

/* m becomes the model with operations ops (perf_find's, or a model's own). */
void perf_model_init(struct perf_model *m, const struct perf_ops *ops);

/* service_ns on an instance of the given speed: service_ns / speed rounded half up,
 * exactly service_ns at speed 1. */
static inline sim_time perf_scaled_ns(sim_time service_ns, double speed)
{
    return speed == 1.0 ? service_ns : (sim_time)((double)service_ns / speed + 0.5);
}

/* How long r, starting at start_ns on instance in, executes under model m, in ns. */
static inline sim_time perf_start(const struct perf_model *m, const struct perf_instance *in,
                                  const struct request *r, sim_time start_ns)
{
    if (m->kind == PERF_SCALED)
        return perf_scaled_ns(r->service_ns, in->speed);
    return m->ops->start(m, in, r, start_ns);
}

/* Tell m that instance in's occupancy changed at now (see the contract above). */
static inline void perf_occupancy(const struct perf_model *m, const struct perf_instance *in,
                                  sim_time now)
{
    if (m->ops->occupancy)
        m->ops->occupancy(m, in, now);
}

#endif
