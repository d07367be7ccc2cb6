/* scenario.h - a scenario file as plain, validated structs with units resolved.
 *
 * scenario_load reads one YAML file (docs/SCENARIO.md is the contract), applies
 * `--set key=value` overrides, checks every key, type, range and unit, and fills
 * these structs; each section is parsed by the module whose spec it fills
 * (model_config.h, workload_config.h, deployment_config.h, slo_config.h), the hard
 * limits are limits.h's. Nothing downstream parses strings or checks ranges again. */
#ifndef SLSIM_SCENARIO_H
#define SLSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "slsim/catalog.h"
#include "slsim/deployment.h"
#include "slsim/deployment_config.h"
#include "slsim/error.h"
#include "slsim/limits.h"
#include "slsim/perf.h"
#include "slsim/result.h"
#include "slsim/trace.h"
#include "slsim/units.h"
#include "slsim/workload.h"
#include "slsim/workload_config.h"

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
 * options (workload_trace_keys). */
static inline const char *const *scenario_trace_keys(void)
{
    return workload_trace_keys();
}

/* A trace spec from command-line options, checked exactly as workload.trace is
 * (workload_trace_from_options). */
static inline int scenario_trace_from_options(const char *path, const char *const *keys,
                                              const char *const *values,
                                              const char *const *srcs, size_t n,
                                              struct trace_spec *t, struct slsim_error *err)
{
    return workload_trace_from_options(path, keys, values, srcs, n, t, err);
}

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

/* 1 when err (from scenario_load) refuses a value because its key takes whole numbers
 * only (a count, a batch size, a seed), else 0: what lets `sweep` round 2.5 to 3 for
 * such a key and for no other. */
int scenario_error_wants_whole_number(const struct slsim_error *err);

/* 0 when some fleet could meet s's SLO for `count: auto` fleet d; -1 with err set
 * (file s->path, key "slo", no position) when the service time alone exceeds the
 * SLO latency for more than 1 - percentile/100 of requests. Cheap: no simulation;
 * the scenario loader calls it so that `validate` refuses what `run` would. */
int scenario_check_reachable(const struct scenario *s, size_t d, struct slsim_error *err);

/* Write s as a scenario file to fp: the document as loaded with its overrides applied
 * (s->tree), keys in the order written, with only the deployment named `only` kept
 * under `deployments:` (NULL: all of them), and every file the scenario names made
 * absolute (workload.trace.path, pricing when it is a file, and any other key whose
 * value the loader resolves as a path relative to the scenario's folder or the
 * working directory), so the file loads from any folder. `header` (may be NULL) is
 * written first as '#' comment lines (one per '\n'-separated line). Loading what it
 * writes gives the same scenario (same numbers from `slsim run`). 0, or -1 with err
 * (a write error, out of memory). */
int scenario_write(const struct scenario *s, const char *only, const char *header, FILE *fp,
                   struct slsim_error *err);

/* Names as written in files, for reports: the tables of the modules that parse them. */
static inline const char *scenario_arrival_name(enum arrival_kind k)
{
    return workload_arrival_name(k);
}


#endif
