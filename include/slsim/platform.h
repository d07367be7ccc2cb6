/* platform.h - platform models: serverless, dedicated, hybrid.
 *
 * A platform receives the request stream from the engine, schedules its own events
 * on the engine's heap, owns its instances and meters, and fills a
 * deployment_result at the end. The three implementations share struct
 * platform_ops; a hybrid is a dedicated base and a serverless tier side by side on
 * one heap, told apart by their event kinds (platform_env.kind_base). What a
 * provider's platform is like (limits, cold starts, prices) comes from the catalog
 * (catalog.h). Serverless instances and dedicated machines serve through one
 * execution core (sim/platform/core.h: slots, a FIFO queue, a request's start and
 * completion), which asks the deployment's performance model (perf.h) how long each
 * request's work takes on the instance serving it. */
#ifndef SLSIM_PLATFORM_H
#define SLSIM_PLATFORM_H

#include <gsl/gsl_rng.h>

#include "slsim/billing.h"
#include "slsim/catalog.h"
#include "slsim/engine.h"
#include "slsim/error.h"
#include "slsim/result.h"
#include "slsim/deployment.h"
#include "slsim/perf.h"
#include "slsim/workload.h"

/* A cold-start delay, in stages: the instance or container start (init, random),
 * the model's fetch from storage and load (model size over their bandwidths), on a
 * GPU platform the weights' copy from host memory to the GPU (weights over the
 * link's copy rate) and the engine start (CUDA context, graph capture or
 * compilation: a constant, folded into the fixed part, or random). The size-driven
 * stages and a constant engine make the fixed part. And the platform's init
 * timeout: a start longer than init_timeout_ns is cut off and run again inside the
 * first invocation (Lambda's "suppressed init"), so that request waits for the
 * timeout and the whole start. */
struct coldstart_model {
    int enabled;              /* 0: instances are ready at once */
    sim_time fixed_ns;        /* size-driven part: fetch + load + host-to-GPU copy */
    struct dist init;         /* random part, owned */
    int has_engine;           /* 1: an engine start is drawn after init */
    struct dist engine;       /* engine start (CUDA context, graph capture), owned when has_engine */
    sim_time init_timeout_ns; /* 0: none */
    const char *profile;      /* the platform's name, "deployment" (a distribution of its own) or "none" */
    const char *artifact;     /* how the model ships ("image", "zip", ...); "" when not modelled */
    char assumed[160];        /* assumed constants this model uses, "; "-separated; "" when none */
};

/* The cold-start model of deployment d on profile p for a model of size_bytes
 * whose weights (copied to the GPU) are weights_bytes: of p's artifacts whose max
 * holds the model, the quickest (overhead + size / fetch bandwidth) ships it; the
 * load reads size_bytes; the copy moves weights_bytes. `default` on a platform
 * without a cold-start profile means none. 0, or -1 with err set (key model.size)
 * when no artifact of p holds a model that large. */
int coldstart_model_build(struct coldstart_model *m, const struct serverless_spec *d,
                          const struct platform_profile *p, int64_t size_bytes,
                          int64_t weights_bytes, struct slsim_error *err);

/* coldstart_model_build for a model whose weights are its whole size. */
int coldstart_model_init(struct coldstart_model *m, const struct serverless_spec *d,
                         const struct platform_profile *p, int64_t size_bytes,
                         struct slsim_error *err);
void coldstart_model_free(struct coldstart_model *m);

/* What an instance start waits for: an init drawn from the model, and, when it runs
 * past the platform's init timeout, the timed-out attempt before it. */
static inline sim_time coldstart_sample_ns(const struct coldstart_model *m, gsl_rng *r)
{
    if (!m->enabled)
        return 0;
    sim_time init = m->fixed_ns + dist_sample_ns(&m->init, r);
    if (m->has_engine)
        init += dist_sample_ns(&m->engine, r);
    if (m->init_timeout_ns && init > m->init_timeout_ns)
        return m->init_timeout_ns + init;
    return init;
}

/* The mean of coldstart_sample_ns without the timeout: what a start costs, seconds. */
static inline double coldstart_mean_s(const struct coldstart_model *m)
{
    if (!m->enabled)
        return 0;
    return (double)m->fixed_ns / 1e9 + dist_mean_s(&m->init) +
           (m->has_engine ? dist_mean_s(&m->engine) : 0.0);
}

/* Of a wait returned by coldstart_sample_ns, the init retried inside the first
 * invocation (0 when the init finished in time). Unambiguous: a wait of at most the
 * timeout was not retried, and a retried one exceeds twice the timeout. */
static inline sim_time coldstart_retried_ns(const struct coldstart_model *m, sim_time wait_ns)
{
    return m->init_timeout_ns && wait_ns > m->init_timeout_ns ? wait_ns - m->init_timeout_ns : 0;
}

/* A serverless instance holds the model in its memory: refuse a model larger than
 * the deployment's memory (key deployments.NAME.memory), suggesting the smallest
 * memory setting of p (may be NULL) that holds it, or saying none does. GPU
 * platforms compare with the same memory, the host's: the catalog has no GPU memory
 * yet. 0, or -1. */
int platform_check_model(const char *name, const struct serverless_spec *d, const struct platform_profile *p,
                         int64_t size_bytes, const char *file, struct slsim_error *err);

/* Check the serverless part of deployment d against platform p's limits (its memory
 * one of p's settings, its concurrency; p NULL: unknown platform, listing the names
 * of catalog c). err names file and key; the caller adds line and column. */
int platform_check_deployment(const char *name, const struct serverless_spec *d,
                              const struct platform_profile *p, const struct catalog *c,
                              const char *file, struct slsim_error *err);

/* Greedy-dual priority (FaaSCache, ASPLOS'21) of an idle instance: clock +
 * frequency x cost / size. The instance of least priority is evicted first, so a
 * large, rarely used, cheap-to-start function goes before a small, popular,
 * expensive one; the clock rises to each evicted priority, ageing the rest. */
static inline double greedy_dual_priority(double clock, double frequency, double cost_s,
                                          double size_gib)
{
    return clock + frequency * cost_s / (size_gib > 0 ? size_gib : 1.0);
}

/* ---- serverless policies, by name --------------------------------------------------
 *
 * Each policy of a serverless deployment (keep-alive, idle pick, throttle mode) is
 * one row of a table: its enum value (deployment.h), the name a scenario writes,
 * the keys of its own it reads and the function that reads them, property bits the
 * platform and the parser act on, and its operations (private to sim/platform/,
 * declared in serverless.h). Adding a policy is its enum value, one file with its
 * operations and parser, and one row; a policy with settings of its own keeps them
 * in its spec (struct keepalive_spec for a keep-alive policy). */
enum policy_prop {
    POLICY_DEFAULT = 1u << 0,           /* the row a deployment gets when its key is not given
                                           (serverless_spec_defaults) */
    POLICY_UNNAMED = 1u << 1,           /* not a name a scenario writes (the platform's own
                                           keep-alive) */
    POLICY_WINDOW_PER_IDLE = 1u << 2,   /* keep-alive: each idle period gets its own window, so
                                           idle instances expire out of the order they went
                                           idle (from a heap) */
    POLICY_EVICTS = 1u << 3,            /* keep-alive: kept until memory is needed
                                           (keep_alive.capacity), evicted by priority */
    POLICY_TAKES_FROM_MIDDLE = 1u << 4, /* idle pick: takes from the middle of a function's
                                           idle list, not only its ends (it keeps a set or
                                           heap of its own) */
};


struct keepalive_ops;
struct idle_pick_ops;
struct throttle_ops;

struct ynode;
struct policy_row;
struct serverless_spec;

/* The settings of the policy of row at YAML node v (key path kp; for a keep-alive
 * policy, the keep_alive mapping, its keys already checked against the row's) into
 * d. 0, or -1 with err set at the offending key. */
typedef int policy_parse_fn(struct slsim_error *err, const struct ynode *v, const char *kp,
                            const struct policy_row *row, struct serverless_spec *d);

struct policy_row {
    int id;                  /* enum keepalive_policy, enum idle_pick or enum on_throttle */
    const char *name;        /* as a scenario writes it ("hybrid-histogram", "mru", "queue") */
    const char *const *keys; /* its own keys, NULL-terminated, never NULL: keep-alive rows name
                                keys of the keep_alive mapping (besides `policy`), throttle rows
                                keys of the deployment */
    unsigned props;          /* enum policy_prop bits */
    sim_time duration_ns;    /* KEEPALIVE_FIXED rows: the keep-alive the name implies (`none` 0,
                                `forever` SIM_TIME_FOREVER); -1: from its `duration` key, or
                                not a fixed keep-alive */
    union {
        const struct keepalive_ops *keepalive;
        const struct idle_pick_ops *pick;
        const struct throttle_ops *throttle;
    } ops;                   /* what the serverless platform runs */
    policy_parse_fn *parse;  /* reads its keys; NULL: it has none */
};

/* The tables, each ended by a row whose name is NULL. */
extern const struct policy_row policy_keepalive[]; /* by enum keepalive_policy */
extern const struct policy_row policy_idle_pick[]; /* by enum idle_pick */
extern const struct policy_row policy_throttle[];  /* by enum on_throttle */

/* The row of table named name, or NULL. Several names may share an id (`fixed`,
 * `none` and `forever` are all KEEPALIVE_FIXED). */
const struct policy_row *policy_find(const struct policy_row *table, const char *name);

/* The first row of table with id, or NULL. */
const struct policy_row *policy_by_id(const struct policy_row *table, int id);
/* The enum value of the POLICY_DEFAULT row of table. */
int policy_default(const struct policy_row *table);

/* Run-wide settings a platform needs besides its own spec. */
struct platform_env {
    struct event_heap *heap;      /* the engine's heap; the platform pushes onto it */
    const struct catalog *catalog;/* prices and platform profiles */
    const struct model_spec *model; /* the model served */
    const char *file;             /* the scenario's file, for errors found when a platform is made */
    sim_time warmup_ns;           /* start of the measured period */
    sim_time end_ns;              /* end of the measured period */
    sim_time timeline_step_ns;    /* 0: no timeline; else the interval length */
    const struct slo_spec *slo;   /* latency objective */
    uint64_t seed;                /* scenario seed */
    uint32_t replication;         /* replication index */
    uint32_t kind_base;           /* added to the platform's own event kinds (hybrid tiers) */
    uint32_t functions;           /* functions of the workload, >= 1 */
    int *stop;                    /* NULL, or set to 1 by a platform that counts misses (dedicated)
                                     once more than miss_limit measured requests missed the SLO:
                                     the run may end there (sizing's probes) */
    uint64_t miss_limit;          /* with stop: misses the objective allows (result_slo_allowed_misses) */
};

/* A platform's operations; a platform sets its result's type to its enum deployment_type. */
struct platform_ops {
    void (*arrival)(void *self, const struct request *r);    /* a request arrives at r->arrival_ns */
    void (*event)(void *self, const struct event *e);        /* one of its own events is due */
    /* Requests r[0..n-1], in arrival order, each taken after the platform's own events
     * due at or before its arrival (an event and an arrival at the same instant: the
     * event first), as arrival and event called in that order would: the same calls,
     * made in one loop of the platform's own, with no call through a pointer per
     * request. NULL: the run loop makes them. */
    void (*arrivals)(void *self, const struct request *r, size_t n);
    int (*finish)(void *self, struct deployment_result *out, struct slsim_error *err);
    void (*destroy)(void *self);
};

/* The platform for deployment d: *ops gets its operations. For a dedicated or
 * hybrid fleet with `count: auto` the count must have been resolved (sizing.c).
 * NULL with err set. */
void *platform_create(const struct deployment_spec *d, const struct platform_env *env,
                      const struct platform_ops **ops, struct slsim_error *err);

/* The implementations; name labels the result. */
void *serverless_create(const char *name, const struct serverless_spec *d,
                        const struct platform_env *env, struct slsim_error *err);
extern const struct platform_ops serverless_ops;

void *dedicated_create(const char *name, const struct fleet_spec *fleet,
                       const struct platform_env *env, struct slsim_error *err);
extern const struct platform_ops dedicated_ops;
/* Hybrid routing: take request r if a slot is free or fewer than queue_limit
 * requests wait; return 1 if taken, 0 if it should overflow. */
int dedicated_offer(void *self, const struct request *r, uint32_t queue_limit);

void *hybrid_create(const char *name, const struct hybrid_spec *d,
                    const struct platform_env *env, struct slsim_error *err);
extern const struct platform_ops hybrid_ops;

#endif
