/* limits.h - hard limits on the volume of one replication.
 *
 * Checked when a scenario is loaded, each by the module that parses the key that
 * pushes a run over it, so that `validate` refuses what `run` could never finish.
 * The clock ticks in nanoseconds, so a rate above 1e9/s has more than one arrival
 * per tick and cannot be placed. 1e11 events per replication is hours of simulation
 * at the engine's few million to tens of millions of events a second, and a week at
 * 165,000 requests a second, beyond the traffic one model is served for. The event
 * limit also bounds periodic events: warming pings and autoscaler evaluations. */
#ifndef SLSIM_LIMITS_H
#define SLSIM_LIMITS_H

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
/* Replications of a scenario (`replications:`, `sweep --replications`). */
#define SCENARIO_MAX_REPLICATIONS 10000
/* Runs, replications x deployments, whose results are held until the report is
 * written (about 58 KB each: 1.2 GB). A study of ten deployments with a hundred
 * replications each is 1,000. */
#define SCENARIO_MAX_RUNS 20000
/* An LLM's run holds three more histograms (TTFT, TPOT, ITL): it counts as this many
 * runs against SCENARIO_MAX_RUNS. */
#define SCENARIO_LLM_RUN_WEIGHT 4
/* Diurnal peak over mean. Daily cycles of real traffic peak at a few times their
 * mean; the von Mises shape reaches about 2,500 at the concentration the generator
 * allows (k = 1e6, sqrt(2 pi k)). */
#define SCENARIO_MAX_PEAK_TO_MEAN 1000.0
/* A trace's rate_scale repeats each request up to ceil(rate_scale) times (a 32-bit
 * count), and time_scale multiplies trace times: rate_scale at most a millionfold,
 * time_scale within a millionfold either way. */
#define SCENARIO_MAX_TRACE_SCALE 1e6

#endif
