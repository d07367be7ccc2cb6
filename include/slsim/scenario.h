/* scenario.h - a scenario file as plain, validated structs with units resolved.
 *
 * scenario_load reads one YAML file (docs/SCENARIO.md is the contract), applies
 * `--set key=value` overrides, checks every key, type, range and unit, and fills
 * these structs. Nothing downstream parses strings or checks ranges again. */
#ifndef SLSIM_SCENARIO_H
#define SLSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/catalog.h"
#include "slsim/deployment.h"
#include "slsim/error.h"
#include "slsim/perf.h"
#include "slsim/result.h"
#include "slsim/trace.h"
#include "slsim/units.h"
#include "slsim/workload.h"














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





struct ynode;

struct scenario {
    char name[SLSIM_NAME_MAX]; /* from `name:`, else the file's base name without .yaml */
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

/* 0 when some fleet could meet s's SLO for `count: auto` fleet d; -1 with err set
 * (file s->path, key "slo", no position) when the service time alone exceeds the
 * SLO latency for more than 1 - percentile/100 of requests. Cheap: no simulation;
 * the scenario loader calls it so that `validate` refuses what `run` would. */
int scenario_check_reachable(const struct scenario *s, size_t d, struct slsim_error *err);

/* Names as written in files, for reports. */
const char *scenario_arrival_name(enum arrival_kind k);
const char *scenario_idle_pick_name(enum idle_pick p);
const char *scenario_on_throttle_name(enum on_throttle t);

#endif
