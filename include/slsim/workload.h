/* workload.h - the request stream: arrival times and the work each request carries.
 *
 * A workload is a source that yields requests in time order. Each request carries
 * its work: its warm execution time on the model's reference instance, drawn from
 * the service stream at generation, so every deployment fed from the same (seed,
 * replication) sees the very same requests: differences between deployments are the
 * deployments', not the dice's. The instance that serves a request turns its work
 * into time through the deployment's performance model (perf.h).
 *
 * A request to an LLM also carries its prompt and output tokens: from the trace
 * where it gives them (azure-llm: ContextTokens, GeneratedTokens), else drawn from
 * workload.tokens on a stream of their own (RNG_TOKENS), so a scenario without
 * tokens draws exactly the numbers it drew before they existed. */
#ifndef SLSIM_WORKLOAD_H
#define SLSIM_WORKLOAD_H

#include <stdint.h>

#include "slsim/dist.h"
#include "slsim/error.h"
#include "slsim/trace.h"
#include "slsim/units.h"

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
    sim_time ramp_ns;     /* 0: a step; else the multiplier goes linearly from 1 to factor
                             over [at, at + ramp), holds, and back to 1 over the last
                             ramp (a trapezoid); 2 x ramp <= duration */
    int one_function;     /* 1: only `function`'s traffic is multiplied (by fn_factor):
                             factor is then the whole workload's, 1 + share x (fn_factor
                             - 1), share the function's Zipf weight over the sum */
    uint32_t function;    /* with one_function: the function, 0-based */
    double fn_factor;     /* with one_function: the multiplier of its traffic, >= 1 */
};

/* The rate multiplier of spike sp at t_ns: 1 outside [at, at + duration), factor on
 * its plateau, linear in between on a ramp (1 + (factor - 1) x (t - at) / ramp on the
 * rise, the mirror image on the fall). */
double spike_factor(const struct spike *sp, sim_time t_ns);

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
    struct workload_tokens {
        int given;             /* 1: workload.tokens was set; 0: requests carry no tokens
                                * (unless the trace gives them) */
        struct dist prompt;    /* prompt tokens per request (a count; dist.h's "seconds"), owned */
        struct dist output;    /* output tokens per request, the same way, owned */
    } tokens;
};

struct request {
    sim_time arrival_ns; /* when it arrives */
    sim_time service_ns; /* its work: warm execution time on the reference instance */
    uint32_t function;   /* function index (0 for a single-model workload) */
    uint32_t memory_mb;  /* the function's memory from a trace (MiB), 0: the deployment's */
    uint32_t prompt_tokens; /* tokens in its prompt (LLM), 0: the request carries no tokens */
    uint32_t output_tokens; /* tokens it generates (LLM), 0 with prompt_tokens 0 */
};

struct workload;

/* A source of the requests of spec for one replication of a scenario seeded with
 * seed, each carrying a warm service time drawn from service, and tokens from the
 * trace or from spec->tokens (each sample rounded to the nearest whole token, at
 * least 1, at most UINT32_MAX; prompt drawn before output); arrivals stop before
 * end_ns. spec and service must outlive the workload. NULL with err set on failure. */
struct workload *workload_create(const struct workload_spec *spec, const struct dist *service,
                                 uint64_t seed, uint32_t replication, sim_time end_ns,
                                 struct slsim_error *err);

/* Next request into *r: 1, 0 when no request arrives before end_ns, or -1 when a
 * trace turns out to be malformed (workload_error says where). */
int workload_next(struct workload *w, struct request *r);

/* The next requests, up to cap of them, into r[0..*got-1]: what cap calls of
 * workload_next would give, in one call (the run loop's blocks). 1 when cap were
 * written and more may follow, 0 when the workload ended (after *got), -1 on a
 * malformed trace row (after *got; workload_error says why). */
int workload_fill(struct workload *w, struct request *r, size_t cap, size_t *got);

/* The error behind a -1 from workload_next or workload_fill. */
const struct slsim_error *workload_error(const struct workload *w);

/* Functions the requests are spread over (known before the first request). */
uint32_t workload_functions(const struct workload *w);

/* Fraction of the workload generated, 0..1 (for progress reports). */
double workload_progress(const struct workload *w);

/* Malformed trace rows skipped so far (workload.trace.skip_bad); 0 for a synthetic
 * workload. */
uint64_t workload_skipped(const struct workload *w);

void workload_destroy(struct workload *w);

/* Arrival rate (per second) the pattern has at time t_ns, spikes included. */
double workload_rate_at(const struct workload_spec *spec, sim_time t_ns);

/* Expected number of arrivals in [from_ns, to_ns), by numerical integration of
 * workload_rate_at (exact for the piecewise-constant patterns). */
double workload_expected_arrivals(const struct workload_spec *spec, sim_time from_ns,
                                  sim_time to_ns);

/* Arrivals the generator draws for one replication of [0, end_ns), in expectation,
 * spikes included: rate x time for poisson and constant, rate x on-time for onoff
 * (on-time llround(duty_cycle x period) per period), and for diurnal the thinning
 * candidates, rate x peak_to_mean x time (Lewis and Shedler draw at the peak and
 * keep mean / peak of them). A spike adds (factor - 1) x the base draws over its
 * span. 0 for a trace, whose volume is the file's. O(spikes), no loop over time. */
double workload_expected_draws(const struct workload_spec *spec, sim_time end_ns);

/* The highest rate (per second) the generator draws at before end_ns: rate, times
 * peak_to_mean for diurnal, times the largest spike factor above 1. 0 for a trace. */
double workload_peak_draw_rate(const struct workload_spec *spec, sim_time end_ns);

#endif
