/* trace_synth.h - a synthetic day of serverless traffic in the Azure Functions 2019
 * trace format, drawn to the statistics published with it.
 *
 * For tests and benchmarks that need a trace larger, or more typical, than the
 * 500-function sample in traces/azure2019: the files are read back by the azure2019
 * reader like the official ones. The statistics (Shahrad et al., "Serverless in the
 * Wild", USENIX ATC 2020) and how each is reproduced are in sim/workload/trace_synth.c. */
#ifndef SLSIM_TRACE_SYNTH_H
#define SLSIM_TRACE_SYNTH_H

#include <stdint.h>
#include <stdio.h>

#include "slsim/error.h"

struct trace_synth_spec {
    uint32_t functions;       /* rows of the invocations file (functions), >= 1 */
    double total_invocations; /* expected invocations over the whole day, > 0 */
    double timer_share;       /* share of functions triggered by a timer, in [0, 1] */
    double duration_sigma;    /* spread of ln(execution time in s) within one function, >= 0 */
};

/* functions 1000, total_invocations 1e6, timer_share 0.3, duration_sigma 0.43. */
void trace_synth_spec_default(struct trace_synth_spec *spec);

/* Write one day (minute columns 1..1440) of spec->functions functions:
 * inv  the invocations file: HashOwner,HashApp,HashFunction,Trigger,1,...,1440;
 * dur  the durations file (NULL: none): HashOwner,HashApp,HashFunction,Average,Count,
 *      Minimum,Maximum,percentile_Average_{0,1,25,50,75,99,100}, milliseconds;
 * mem  the memory file (NULL: none), per function like the InVitro sample:
 *      HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb,
 *      AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}.
 * The same seed gives the same bytes; the invocations file does not depend on
 * whether dur and mem are written. The streams stay open and owned by the caller.
 * 0, or -1 with err: a spec field out of range (key names it), a write error. */
int trace_synth_write(FILE *inv, FILE *dur, FILE *mem, const struct trace_synth_spec *spec,
                      uint64_t seed, struct slsim_error *err);

#endif
