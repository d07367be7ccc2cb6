/* workload_config.h - the scenario's `workload:` section and its `trace:` keys
 * (docs/SCENARIO.md), and the names of arrival patterns as files write them. */
#ifndef SLSIM_WORKLOAD_CONFIG_H
#define SLSIM_WORKLOAD_CONFIG_H

#include <stddef.h>

#include "slsim/error.h"
#include "slsim/trace.h"
#include "slsim/units.h"
#include "slsim/workload.h"

struct ynode;

/* Fill *w from mapping n (the value of `workload:`, key path "workload"): the
 * arrival pattern and the keys that apply to it, spikes sorted by start, or for
 * arrival: trace the trace spec, whose files (path, durations, memory) open from the
 * working directory, else from base_dir (the scenario's folder, "" for none); and
 * workload.tokens, the requests' prompt and output token distributions (counts),
 * for any workload whose trace does not give tokens (TRACE_FORMAT_TOKENS). The
 * pattern is checked against duration_ns (spikes start within it) and against the
 * rate and volume limits of limits.h. w must start zeroed. 0 with w owning its
 * spikes, trace and token distributions (release with workload_spec_free), or -1
 * with err set; on -1 w may hold some of them, to be released the same way. */
int workload_spec_parse(struct slsim_error *err, const struct ynode *n, const char *base_dir,
                        sim_time duration_ns, struct workload_spec *w);

/* Release what workload_spec_parse left in w (spikes, trace, token distributions);
 * w may be parsed into again. */
void workload_spec_free(struct workload_spec *w);

/* Functions the deployments serve when the number is known from w alone: the
 * synthetic `functions`, or a trace's top:N, sample:N or list; a trace taken whole
 * counts as one, its table being known only once the file is read. */
double workload_spec_known_functions(const struct workload_spec *w);

/* The trace spec of mapping n (key path "workload.trace") into *t, which must hold
 * trace_spec_default's values: files as for workload_spec_parse. 0, or -1 with err
 * set; t owns what it holds either way (trace_spec_free). */
int workload_trace_parse(struct slsim_error *err, const struct ynode *n, const char *base_dir,
                         struct trace_spec *t);

/* The keys of workload.trace, NULL-terminated: what `slsim trace` offers as
 * options (duration_unit as --duration-unit). */
const char *const *workload_trace_keys(void);

/* A trace spec from command-line options, checked exactly as workload.trace is:
 * path is the trace file (a plain string); keys[i] a trace key and values[i] its
 * YAML text as typed, srcs[i] the option it came from (errors name it as their
 * file, with the column in the value). 0 and *t filled (release with
 * trace_spec_free), or -1 with err set. */
int workload_trace_from_options(const char *path, const char *const *keys,
                                const char *const *values, const char *const *srcs, size_t n,
                                struct trace_spec *t, struct slsim_error *err);

/* "poisson", "constant", "onoff", "diurnal", "trace": the name files and reports
 * use; "?" for a value out of range. */
const char *workload_arrival_name(enum arrival_kind k);

#endif
