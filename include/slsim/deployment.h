/* deployment.h - what a deployment is, as the platforms read it.
 *
 * A deployment is a tagged union by type: a serverless platform with its policies, a
 * fleet of machines, or a hybrid (a fleet base whose overflow goes to a serverless
 * tier). The scenario loader fills these from the `deployments:` list
 * (docs/SCENARIO.md); every key, range and unit is checked there, so nothing here is
 * parsed or checked again. */
#ifndef SLSIM_DEPLOYMENT_H
#define SLSIM_DEPLOYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/capacity.h"
#include "slsim/dist.h"
#include "slsim/keepalive.h"
#include "slsim/llm.h"
#include "slsim/perf.h"
#include "slsim/text.h"
#include "slsim/units.h"

enum deployment_type {
    DEPLOYMENT_SERVERLESS, /* instances made on demand (platform from the catalog) */
    DEPLOYMENT_DEDICATED,  /* a fleet of catalog instance types with a FIFO queue */
    DEPLOYMENT_HYBRID,     /* a dedicated base; the overflow goes to a serverless tier */
};
#define DEPLOYMENT_TYPES 3

/* "serverless", "dedicated", "hybrid": the names files and reports use. */
const char *deployment_type_name(enum deployment_type t);

enum idle_pick {
    IDLE_PICK_MRU,    /* most recently freed (default) */
    IDLE_PICK_NEWEST, /* most recently created */
    IDLE_PICK_LRU,    /* least recently freed */
    IDLE_PICK_RANDOM, /* uniformly at random */
};

enum on_throttle {
    THROTTLE_REJECT, /* over the cap: the request is throttled at once */
    THROTTLE_QUEUE,  /* over the cap: FIFO wait for a slot, dropped after max_wait */
    THROTTLE_RETRY,  /* asynchronous: tried again with exponential backoff, dropped past max age */
};

enum keepalive_policy {
    KEEPALIVE_PLATFORM,    /* no keep_alive given: the platform's default, a fixed time */
    KEEPALIVE_FIXED,       /* keep_alive: a duration (0 for `none`, SIM_TIME_FOREVER for `forever`) */
    KEEPALIVE_HISTOGRAM,   /* hybrid histogram (Serverless in the Wild) */
    KEEPALIVE_GREEDY_DUAL, /* keep until memory is needed; evict by greedy-dual priority (FaaSCache) */
    KEEPALIVE_LRU,         /* keep until memory is needed; evict the least recently used */
};

struct keepalive_spec {
    enum keepalive_policy policy;
    sim_time duration_ns;       /* KEEPALIVE_FIXED: idle time before an instance dies */
    struct ka_hist_params hist; /* KEEPALIVE_HISTOGRAM */
    int64_t capacity_bytes;     /* GREEDY_DUAL, LRU: memory shared by all instances */
};

struct warming_spec {
    sim_time every_ns;  /* between rounds of pings, 0 = no warming */
    uint32_t instances; /* concurrent pings per round (instances kept warm) */
    sim_time ping_ns;   /* execution time of one ping */
};

struct warm_ahead_spec {
    sim_time at_ns;     /* time of day, from midnight */
    uint32_t instances; /* live on-demand instances per function topped up to then */
};

enum coldstart_kind {
    COLDSTART_NONE,    /* new instances are ready at once */
    COLDSTART_DIST,    /* a user-given distribution */
    COLDSTART_DEFAULT, /* the platform's profile (model size aware) */
};

/* A serverless deployment, or a hybrid's overflow tier. */
/* Dynamic batching with the semantics and names of Triton's dynamic batcher. */
#define BATCHING_PREFERRED_MAX 16
struct batching_spec {
    uint32_t max_batch_size;        /* largest batch; 0 = no batching */
    sim_time max_queue_delay_ns;    /* longest the oldest request waits for a fuller batch */
    uint32_t preferred[BATCHING_PREFERRED_MAX]; /* preferred_batch_size, ascending */
    uint32_t n_preferred;
    uint32_t max_queue_size;        /* waiting requests beyond this are rejected; 0 = unbounded */
    sim_time scale_out_delay_ns;    /* serverless: the queue must outgrow the instances this long
                                       before one more starts; -1: the platform's */
};

/* Functions that may have a reservation of their own (`reserved.functions`). */
#define RESERVED_FUNCTIONS_MAX 16

struct serverless_spec {
    char platform[SLSIM_NAME_MAX];    /* platform profile name: "generic", "aws-lambda" */
    int64_t memory_bytes;             /* instance memory, a setting of the platform (model.memory when not given) */
    struct keepalive_spec keep_alive; /* how long idle instances live */
    uint32_t concurrency;             /* requests one instance serves at once, >= 1 */
    sim_time timeout_ns;              /* longest time in the Invoke phase; 0 = the platform's
                                         `timeout` (none where it has none) */
    uint32_t reserved;                /* cap on each function's instances, 0 = none (`reserved: N`,
                                         or `reserved.default`) */
    struct {
        uint32_t fn;                  /* the function: its index in the workload, from 0
                                         (`reserved.functions` writes it from 1) */
        uint32_t n;                   /* its reserved concurrency: a cap and a guarantee */
    } reserved_fn[RESERVED_FUNCTIONS_MAX]; /* `reserved.functions` */
    uint32_t n_reserved_fn;
    uint32_t account_concurrency;     /* instances starting or busy across the deployment's
                                         functions; 0 = the platform's (none where it has none) */
    enum on_throttle on_throttle;     /* what happens above the cap */
    sim_time max_wait_ns;             /* queue: longest wait before a drop; SIM_TIME_FOREVER = none */
    enum idle_pick idle_pick;         /* which idle instance serves */
    enum coldstart_kind coldstart;    /* how long a new instance takes to become ready */
    struct dist coldstart_dist;       /* COLDSTART_DIST: the distribution, owned */
    struct schedule provisioned;      /* provisioned instances per function, by time of week, owned */
    struct warming_spec warming;      /* warm-up pings */
    struct warm_ahead_spec *warm_before; /* top-ups at times of day, owned */
    size_t n_warm_before;
    int scale_limited;                /* 1: new instances come from a token bucket */
    struct bucket_spec scale_rate;    /* the bucket (scale_rate: 1000/10s, legacy) */
    sim_time retry_backoff_ns;        /* retry: first backoff */
    sim_time retry_max_backoff_ns;    /* retry: longest backoff */
    sim_time retry_max_age_ns;        /* retry: events older than this are dropped */
    int init_billed;                  /* -1: the platform's rule; 0 or 1: override (Lambda's INIT billing switch) */
    int free_tier;                    /* 1: apply the platform's monthly free tier */
    char discount[SLSIM_NAME_MAX];    /* catalog discount name (savings plan), "" = none */
    struct perf_spec perf;            /* how long work takes on an instance (`perf`) */
    struct batching_spec batching;    /* dynamic batching (`batching`), max_batch_size 0: off */
    struct serving_spec serving;      /* an LLM's engine settings (`serving`) */
};

/* What a fleet's autoscaler tracks (`autoscale.metric`). */
enum autoscale_metric {
    AUTOSCALE_UTILIZATION, /* slot utilisation over the last interval (default) */
    AUTOSCALE_QUEUE,       /* requests waiting: the fleet's queue and, for an LLM, its engines'
                              (vLLM's num_requests_waiting), at the evaluation */
    AUTOSCALE_KV_CACHE,    /* an LLM's share of KV-cache blocks in use (vLLM's
                              gpu_cache_usage_perc), at the evaluation */
};

struct autoscale_spec {
    int enabled;           /* 1: the fleet size follows the metric */
    enum autoscale_metric metric; /* what is tracked */
    double target;         /* target value per machine: utilisation or KV share in (0, 1],
                              waiting requests above 0 */
    sim_time interval_ns;  /* how often the metric is evaluated */
    sim_time boot_ns;      /* from launch to serving (billed from launch) */
    sim_time cooldown_ns;  /* after a change, no other change for this long */
    uint32_t min;          /* fewest instances, >= 1 */
    uint32_t max;          /* most instances, >= min */
};

#define FLEET_QUEUE_UNBOUNDED UINT32_MAX
/* The largest `count` a scenario may give, and so the largest fleet `count: auto`
 * tries before it gives up: a bound of this program (no catalog lists a per-account
 * machine limit), far above any fleet a single model is served by. */
#define SCENARIO_MAX_FLEET 100000

/* A fleet of catalog machines: a dedicated deployment, or a hybrid's base. */
struct fleet_spec {
    char instance[SLSIM_NAME_MAX];    /* catalog instance type */
    uint32_t count;                   /* instances; with count_auto, filled by sizing before a run */
    int count_auto;                   /* 1: `count: auto`, the smallest fleet meeting the SLO */
    double count_auto_peak_rate_per_s;/* count_auto: the peak arrival rate (per second) sizing
                                         sized for, spikes included; filled with count */
    uint32_t slots;                   /* requests one instance serves at once, >= 1 */
    double speed;                     /* service time is the model's divided by this, > 0 */
    uint32_t max_queue;               /* waiting requests beyond this are dropped; FLEET_QUEUE_UNBOUNDED = none */
    char discount[SLSIM_NAME_MAX];    /* catalog discount name, "" = on-demand */
    struct autoscale_spec autoscale;  /* optional autoscaling */
    struct perf_spec perf;            /* how long work takes on an instance (`perf`) */
    struct batching_spec batching;    /* dynamic batching (`batching`), max_batch_size 0: off */
    struct serving_spec serving;      /* an LLM's engine settings (`serving`) */
};

struct hybrid_spec {
    struct fleet_spec base;           /* the fleet that serves first */
    struct serverless_spec overflow;  /* where requests go past the base's queue */
    uint32_t overflow_queue;          /* base queue length at which requests overflow (default 0) */
};

struct deployment_spec {
    char name[SLSIM_NAME_MAX];        /* unique within the scenario */
    enum deployment_type type;        /* which member of the union holds */
    union {
        struct serverless_spec serverless; /* DEPLOYMENT_SERVERLESS */
        struct fleet_spec dedicated;       /* DEPLOYMENT_DEDICATED */
        struct hybrid_spec hybrid;         /* DEPLOYMENT_HYBRID */
    };
};

/* The serverless part of d (the deployment itself, or a hybrid's overflow tier), or
 * NULL for a dedicated fleet. */
static inline const struct serverless_spec *deployment_serverless(const struct deployment_spec *d)
{
    return d->type == DEPLOYMENT_SERVERLESS ? &d->serverless
           : d->type == DEPLOYMENT_HYBRID   ? &d->hybrid.overflow
                                            : NULL;
}

/* The fleet of d (a dedicated deployment, or a hybrid's base), or NULL for serverless. */
static inline const struct fleet_spec *deployment_fleet(const struct deployment_spec *d)
{
    return d->type == DEPLOYMENT_DEDICATED ? &d->dedicated
           : d->type == DEPLOYMENT_HYBRID  ? &d->hybrid.base
                                           : NULL;
}

/* The same, writable (the loader and sizing fill them). */
struct serverless_spec *deployment_serverless_mut(struct deployment_spec *d);
struct fleet_spec *deployment_fleet_mut(struct deployment_spec *d);

/* The instance a serverless tier (a serverless deployment, or a hybrid's overflow)
 * runs on, for the performance models (perf.h), from its catalog platform (NULL or
 * unknown in c: nothing is known but the memory): speed 1; slots its concurrency;
 * vCPUs the platform's `vcpus`, or memory / memory_per_vcpu where the platform gives
 * vCPUs in proportion to memory (Lambda: 1,769 MiB each, so 1,024 MiB is 0.58 of
 * one); memory the deployment's; the accelerator the platform names and its count.
 * t->where borrows the platform's name from s. */
void serverless_perf_target(const struct serverless_spec *s, const struct catalog *c,
                            struct perf_target *t);

/* The instance a fleet (a dedicated deployment, or a hybrid's base) runs on: its
 * catalog instance type's vCPUs, memory, GPUs and GPU model (found among c's
 * accelerators), the fleet's speed and slots, dedicated = 1. t->where borrows the
 * instance type's name from f. */
void fleet_perf_target(const struct fleet_spec *f, const struct catalog *c,
                       struct perf_target *t);

/* The performance model of a serverless tier or a fleet for model m: the target
 * above, then perf_build with the tier's `perf`. 0, or -1 with err's message (no
 * position) as perf_build's; *out is freed with perf_model_free (core_init takes
 * it over). */
int serverless_perf_build(struct slsim_error *err, const struct serverless_spec *s,
                          const struct model_spec *m, const struct catalog *c,
                          struct perf_model *out);
int fleet_perf_build(struct slsim_error *err, const struct fleet_spec *f,
                     const struct model_spec *m, const struct catalog *c,
                     struct perf_model *out);

/* How fast one request alone runs on a machine of fleet f for model m, relative to
 * the model's reference: the performance model's speed (the fleet's `speed` where the
 * model cannot be built; the loader has refused such a fleet already). */
double fleet_perf_speed(const struct fleet_spec *f, const struct model_spec *m,
                        const struct catalog *c);

/* A machine's time per request of fleet f for model m, seconds: its best, so what
 * bounds its throughput: the mean work over the performance model's speed, or with
 * batching a full batch's time over its size. */
double fleet_request_s(const struct fleet_spec *f, const struct model_spec *m,
                       const struct catalog *c);

/* Free what d owns (distributions, schedules, lists); d itself is the caller's. */
void deployment_spec_free(struct deployment_spec *d);

#endif
