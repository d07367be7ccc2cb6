/* scenario.h - a scenario file as plain, validated structs with units resolved.
 *
 * scenario_load reads one YAML file (docs/SCENARIO.md is the contract), applies
 * `--set key=value` overrides, checks every key, type, range and unit, and fills
 * these structs. Nothing downstream parses strings or checks ranges again. */
#ifndef SLSIM_SCENARIO_H
#define SLSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/capacity.h"
#include "slsim/catalog.h"
#include "slsim/dist.h"
#include "slsim/error.h"
#include "slsim/keepalive.h"
#include "slsim/trace.h"
#include "slsim/units.h"

#define SCENARIO_NAME_MAX 64

enum arrival_kind {
    ARRIVAL_POISSON,  /* homogeneous Poisson at rate */
    ARRIVAL_CONSTANT, /* one request every 1/rate */
    ARRIVAL_ONOFF,    /* Poisson at rate during the first duty_cycle of each period, none after */
    ARRIVAL_DIURNAL,  /* Poisson with a smooth daily cycle: mean rate, peak = peak_to_mean x rate */
    ARRIVAL_TRACE,    /* replayed from a trace file (workload.trace) */
};

struct spike {
    sim_time at_ns;       /* start of the burst, from the start of the simulation */
    sim_time duration_ns; /* length of the burst */
    double factor;        /* arrival rate multiplier during the burst, > 0 */
};

struct workload_spec {
    enum arrival_kind arrival; /* pattern */
    double rate_per_s;         /* poisson/constant: rate; onoff: rate while active; diurnal: mean rate */
    double duty_cycle;         /* onoff: active fraction of each period, in (0, 1] */
    sim_time period_ns;        /* onoff, diurnal: length of one cycle */
    double peak_to_mean;       /* diurnal: peak rate / mean rate, >= 1 */
    struct spike *spikes;      /* bursts on top of the pattern, owned, sorted by at_ns */
    size_t n_spikes;           /* number of spikes */
    uint32_t functions;        /* functions sharing the traffic, >= 1 */
    double zipf;               /* popularity of function k (1-based) is proportional to k^-zipf */
    struct trace_spec trace;   /* ARRIVAL_TRACE: the trace and how to replay it, owned */
};

struct model_spec {
    char name[SCENARIO_NAME_MAX]; /* label for reports, "model" when not given */
    int64_t size_bytes;           /* artifact size: drives cold-start time */
    int size_line, size_column;   /* where model.size was written (0: not given), for errors */
    const char *size_src;         /* its file (or "--set"); borrowed from the loader, valid only while loading */
    int64_t memory_bytes;         /* memory of one serverless instance unless a deployment overrides (default 2GiB) */
    struct dist service;          /* warm execution time of one request on the reference instance */
};

enum deployment_type {
    DEPLOYMENT_SERVERLESS, /* instances made on demand (platform from the catalog) */
    DEPLOYMENT_DEDICATED,  /* a fleet of catalog instance types with a FIFO queue */
    DEPLOYMENT_HYBRID,     /* a dedicated base; the overflow goes to a serverless tier */
};

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
    KEEPALIVE_FIXED,       /* keep_alive: a duration, `none` (0) or `forever` */
    KEEPALIVE_HISTOGRAM,   /* hybrid histogram (Serverless in the Wild) */
    KEEPALIVE_GREEDY_DUAL, /* keep until memory is needed; evict by greedy-dual priority (FaaSCache) */
    KEEPALIVE_LRU,         /* keep until memory is needed; evict the least recently used */
};

struct keepalive_spec {
    enum keepalive_policy policy;
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

struct autoscale_spec {
    int enabled;           /* 1: the fleet size follows utilisation */
    double target;         /* target utilisation of the slots, in (0, 1] */
    sim_time interval_ns;  /* how often utilisation is evaluated */
    sim_time boot_ns;      /* from launch to serving (billed from launch) */
    sim_time cooldown_ns;  /* after a change, no other change for this long */
    uint32_t min;          /* fewest instances, >= 1 */
    uint32_t max;          /* most instances, >= min */
};

/* Limits on the volume of one replication, checked when a scenario is loaded so that
 * `validate` refuses what `run` could never finish. The clock ticks in nanoseconds,
 * so a rate above 1e9/s has more than one arrival per tick and cannot be placed.
 * 1e11 events per replication is hours of simulation at the engine's few million
 * to tens of millions of events a second, and a week at 165,000 requests a second,
 * beyond the traffic one model is served for. The event limit also bounds periodic
 * events: warming pings and autoscaler evaluations. */
#define SCENARIO_MAX_RATE_PER_S 1e9
#define SCENARIO_MAX_EVENTS 1e11
/* Kept-warm instances (provisioned, warm_before, warming) of one deployment over
 * all its functions: each is a live instance from the start. AWS Lambda's default
 * quota is 1,000 concurrent executions per region. */
#define SCENARIO_MAX_KEPT_WARM 1000000
/* Attempts per throttled request with on_throttle: retry. Lambda's asynchronous
 * defaults (1 s doubling to 5 min, for 6 h) make about 80. */
#define SCENARIO_MAX_RETRIES 1e6
/* Keep-alive histogram bins (hybrid-histogram: range / bin per function) over all
 * functions, 8 bytes each: 200 MB of counters, such as 100,000 functions at the
 * default 240 one-minute bins. */
#define SCENARIO_MAX_HIST_BINS 2.5e7
/* Runs, replications x deployments, whose results are held until the report is
 * written (about 58 KB each: 1.2 GB). A study of ten deployments with a hundred
 * replications each is 1,000. */
#define SCENARIO_MAX_RUNS 20000
/* Diurnal peak over mean. Daily cycles of real traffic peak at a few times their
 * mean; the von Mises shape reaches about 2,500 at the concentration the generator
 * allows (k = 1e6, sqrt(2 pi k)). */
#define SCENARIO_MAX_PEAK_TO_MEAN 1000.0
/* A trace's rate_scale repeats each request up to ceil(rate_scale) times (a 32-bit
 * count), and time_scale multiplies trace times: rate_scale at most a millionfold,
 * time_scale within a millionfold either way. */
#define SCENARIO_MAX_TRACE_SCALE 1e6

#define FLEET_QUEUE_UNBOUNDED UINT32_MAX
/* The largest `count` a scenario may give, and so the largest fleet `count: auto`
 * tries before it gives up: a bound of this program (no catalog lists a per-account
 * machine limit), far above any fleet a single model is served by. */
#define SCENARIO_MAX_FLEET 100000

struct fleet_spec {
    char instance[SCENARIO_NAME_MAX]; /* catalog instance type */
    uint32_t count;                   /* instances; with count_auto, filled by sizing before a run */
    int count_auto;                   /* 1: `count: auto`, the smallest fleet meeting the SLO */
    double count_auto_peak_rate_per_s;/* count_auto: the peak arrival rate (per second) sizing
                                         sized for, spikes included; filled with count */
    uint32_t slots;                   /* requests one instance serves at once, >= 1 */
    double speed;                     /* service time is the model's divided by this, > 0 */
    uint32_t max_queue;               /* waiting requests beyond this are dropped; FLEET_QUEUE_UNBOUNDED = none */
    char discount[SCENARIO_NAME_MAX]; /* catalog discount name, "" = on-demand */
    struct autoscale_spec autoscale;  /* optional autoscaling */
};

struct deployment_spec {
    char name[SCENARIO_NAME_MAX];     /* unique within the scenario */
    enum deployment_type type;        /* serverless */
    char platform[SCENARIO_NAME_MAX]; /* platform profile name: "generic", "aws-lambda" */
    int64_t memory_bytes;             /* instance memory, a setting of the platform (model.memory when not given) */
    sim_time keep_alive_ns;           /* idle time before an instance dies; SIM_TIME_FOREVER for `forever` */
    int keep_alive_set;               /* 1 when the file gave keep_alive, 0 to use the platform default */
    uint32_t concurrency;             /* requests one instance serves at once, >= 1 */
    uint32_t reserved;                /* cap on concurrent instances, 0 = none */
    enum on_throttle on_throttle;     /* what happens above the cap */
    sim_time max_wait_ns;             /* queue: longest wait before a drop; SIM_TIME_FOREVER = none */
    enum idle_pick idle_pick;         /* which idle instance serves */
    enum coldstart_kind coldstart;    /* how long a new instance takes to become ready */
    struct dist coldstart_dist;       /* COLDSTART_DIST: the distribution, owned */
    struct keepalive_spec keep_alive; /* the policy (fixed uses keep_alive_ns) */
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
    char discount[SCENARIO_NAME_MAX]; /* serverless: catalog discount name (savings plan), "" = none */
    /* dedicated: the fleet; hybrid: the base fleet (the serverless fields above
     * describe the hybrid's overflow tier) */
    struct fleet_spec fleet;
    uint32_t overflow_queue;          /* hybrid: base queue length at which requests overflow (default 0) */
};

struct slo_spec {
    double percentile;      /* e.g. 99 for latency_p99; 0 when no latency objective */
    sim_time latency_ns;    /* the latency that percentile must not exceed */
};

struct ynode;

struct scenario {
    char name[SCENARIO_NAME_MAX]; /* from `name:`, else the file's base name without .yaml */
    char path[4096];              /* file it was loaded from */
    uint64_t seed;                /* every random stream derives from it */
    sim_time duration_ns;         /* simulated time, warm-up included */
    sim_time warmup_ns;           /* requests arriving earlier are not measured; < duration */
    uint32_t replications;        /* independent runs, >= 1 */
    struct model_spec model;
    struct workload_spec workload;
    struct deployment_spec *deployments; /* owned, n_deployments >= 1 */
    size_t n_deployments;
    struct slo_spec slo;
    struct catalog *catalog;          /* prices and platforms (`pricing:` or the built-in default), owned */
    char pricing[4096];               /* the catalog as reports name it: `pricing:` as written, or "built-in" */
    struct ynode *tree;               /* the document as loaded, overrides applied: where each key
                                         was written, for scenario_error_at; owned */
};

/* The keys of workload.trace, NULL-terminated: what `slsim trace` offers as
 * options (duration_unit as --duration-unit). */
const char *const *scenario_trace_keys(void);

/* A trace spec from command-line options, checked exactly as workload.trace is:
 * path is the trace file (a plain string); keys[i] a trace key and values[i] its
 * YAML text as typed, srcs[i] the option it came from (errors name it as their
 * file, with the column in the value). 0 and *t filled (release with
 * trace_spec_free), or -1 with err set. */
int scenario_trace_from_options(const char *path, const char *const *keys,
                                const char *const *values, const char *const *srcs, size_t n,
                                struct trace_spec *t, struct slsim_error *err);

/* Load path, then apply n_sets overrides of the form "key.path=value" in order
 * (deployments addressed by name: "deployments.lambda.keep_alive=5m"; a value is
 * parsed as YAML flow, so "{dist: constant, mean: 1s}" works). On success returns 0
 * and *out owns a scenario the caller frees with scenario_destroy. On failure
 * returns -1, *out is NULL, and err names file, line, column and key path (for a
 * bad override, file is "--set" and column points into the override text). */
int scenario_load(const char *path, const char *const *sets, size_t n_sets,
                  struct scenario **out, struct slsim_error *err);

void scenario_destroy(struct scenario *s);

/* Fill err for a problem with key path kp found after loading (by sizing, a platform,
 * compare): the file, line and column where kp was written (its value; where it took
 * its default, the nearest enclosing key that was written), kp as the key, and the
 * message fmt. kp is a --set path, deployments by name ("deployments.gpu.count",
 * "slo.latency_p99.9"). Returns -1, so callers can `return` it. */
int scenario_error_at(const struct scenario *s, const char *kp, struct slsim_error *err,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Names as written in files, for reports. */
const char *scenario_arrival_name(enum arrival_kind k);
const char *scenario_idle_pick_name(enum idle_pick p);
const char *scenario_on_throttle_name(enum on_throttle t);

#endif
