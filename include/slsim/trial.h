/* trial.h - one simulation as plain data: what to run, and the flat record it gives.
 *
 * A trial names a scenario, the overrides applied to it (a duty cycle, a fleet
 * count), a deployment and a replication. Its result is a record: the numbers of
 * struct deployment_result that reports use, the derived ones (utilisation, SLO
 * verdict, ...) computed once, and the latency histogram inline. A hybrid's tiers
 * are records of their own, and a timeline, when one is asked for, is an array of
 * flat rows apart from the records. A record holds one pointer: an LLM's serving
 * statistics (three more histograms, some 175 KB, which only an LLM has, so they are
 * not inline), owned by the record and freed by trial_record_free; and the same way
 * the measurement windows' statistics (a histogram each). Records can
 * therefore be stored in fixed slots and copied as bytes where the copy takes that
 * ownership (the original is then dropped, not freed). */
#ifndef SLSIM_TRIAL_H
#define SLSIM_TRIAL_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/deployment.h"
#include "slsim/error.h"
#include "slsim/result.h"
#include "slsim/scenario.h"

#define TRIAL_MAX_TIERS 2   /* tiers of a deployment: a hybrid's base and overflow */
#define TRIAL_MAX_PARTS (1 + TRIAL_MAX_TIERS) /* a deployment's total and its tiers */
#define TRIAL_DEFAULT_PERIOD_NS (86400LL * SIM_NS_PER_S) /* on/off period when the pattern had none */

/* Called now and then from the simulating threads (any of them, maybe at once):
 * simulation `slot` has generated `fraction` of its workload and `requests`
 * requests. For progress displays. */
typedef void (*run_progress_fn)(void *ctx, size_t slot, double fraction, uint64_t requests);

/* What one deployment (or one tier of it) measured in one replication. */
struct trial_record {
    char name[SLSIM_NAME_MAX];        /* deployment name, or the tier's ("base", "overflow") */
    enum deployment_type type;        /* the deployment's type, or the tier's */
    char platform[SLSIM_NAME_MAX];    /* platform profile or instance type */
    int64_t memory_bytes;             /* instance memory */
    uint64_t requests;                /* measured arrivals */
    uint64_t served;                  /* measured requests that ran to completion */
    uint64_t throttled;               /* rejected above the cap */
    uint64_t dropped;                 /* waited longer than max_wait */
    uint64_t timed_out;               /* ran into the timeout: failed there, billed to it */
    uint64_t cold_starts;             /* instances started for measured requests */
    uint64_t queued;                  /* measured requests that waited in the throttle queue */
    uint64_t retries;                 /* retries of throttled asynchronous requests */
    uint64_t spillovers;              /* requests that found every provisioned instance busy */
    uint64_t evictions;               /* idle instances evicted for memory */
    uint64_t prewarms;                /* instances started ahead of requests */
    uint64_t warming_pings;           /* warming invocations sent */
    uint32_t functions;               /* functions of the workload */
    uint32_t functions_served;        /* functions that served at least one request */
    double fn_cold_start_ratio_mean;  /* mean over functions of cold starts / served */
    double fn_cold_start_ratio_p75;   /* 75th percentile over functions of the same */
    double provisioned_instance_s;    /* provisioned instance-time, s */
    double provisioned_busy_s;        /* provisioned instance-time serving, s */
    uint64_t within_slo;              /* served requests within the SLO latency */
    double instance_s;                /* instance-time that existed, s */
    double busy_instance_s;           /* instance-time serving >= 1 request, s */
    double idle_instance_s;           /* instance-time warm and unused, s */
    double init_instance_s;           /* instance-time in cold start, s */
    uint32_t slots;                   /* requests one instance serves at once */
    uint64_t instances_peak;          /* most instances alive at once */
    double measured_s;                /* length of the measured period, s */
    double billed_ms;                 /* billable duration after rounding, ms */
    struct cost_breakdown cost;       /* USD */
    char coldstart_profile[SLSIM_NAME_MAX];  /* "" = none */
    char coldstart_artifact[SLSIM_NAME_MAX]; /* "" when not modelled */
    char coldstart_assumed[160];      /* "; "-separated; "" when none */
    uint64_t init_retries;            /* cold starts retried past the init timeout */
    uint64_t init_timeouts;           /* requests past the platform's timeout after a retried init */
    uint64_t trace_rows_skipped;      /* malformed trace rows skip_bad skipped */
    struct batch_stats batch;         /* dynamic batching (batch.on 0: none) */
    struct llm_stats *llm;            /* LLM serving, owned (trial_take_llm moves it in,
                                         trial_record_free frees it); NULL when the model is
                                         no LLM */
    struct window_stats *windows;     /* the scenario's measurement windows, one each, owned
                                         like llm (moved and copied with it, freed by
                                         trial_record_free); NULL for none and for a tier */
    uint32_t n_windows;               /* windows in it */
    uint64_t slo_misses;              /* result_slo_misses: measured requests not served
                                         within the SLO latency, refusals included */
    uint64_t slo_miss_cold;           /* of them, served ones that waited for a cold start */

    /* Derived once, by the functions of result.h, so every report agrees. */
    double cost_total_usd;            /* result_cost_total */
    double instances_mean;            /* result_instances_mean */
    double utilization;               /* result_utilization: busy slot-time / slot-time */
    double busy_fraction;             /* result_busy_fraction */
    double cold_start_ratio;          /* result_cold_start_ratio */
    double coldstart_mean_s;          /* result_coldstart_mean_s, s */
    double coldstart_billed_gpu_s;    /* result_coldstart_billed_gpu_s, GPU-s */
    double slo_attainment;            /* result_slo_attainment under the scenario's SLO */
    int slo_met;                      /* result_slo_met and result_llm_slo_met under the
                                         scenario's SLO: every objective it gives holds */
    double batch_size_mean;           /* result_batch_mean */
    double accelerator_busy_fraction; /* result_accelerator_busy_fraction */
    double batch_wait_share;          /* result_batch_wait_share */
    double items_per_s;               /* result_items_per_s */
    double input_tokens_per_s;        /* result_input_tokens_per_s */
    double output_tokens_per_s;       /* result_output_tokens_per_s */
    double llm_batch_mean;            /* result_llm_batch_mean */
    double kv_utilization;            /* result_kv_utilization */

    uint32_t n_tiers;                 /* tier records kept apart (a hybrid: 2), else 0 */
    size_t first_tier;                /* index of the first of them where they are kept */
    struct histogram latency;         /* latency of served requests, ns */
};

/* A timeline of one deployment (replication 0): rows[0] the deployment's own,
 * rows[t] its tier t's. Owned by whoever holds it (trial_timeline_free). */
struct trial_timeline {
    struct timeline_row *rows[TRIAL_MAX_PARTS];
    size_t n[TRIAL_MAX_PARTS];
};

/* One simulation to run. */
struct trial {
    const struct scenario *s;   /* borrowed */
    size_t deployment;          /* index into s->deployments */
    uint32_t replication;       /* picks the request stream */
    double duty_cycle;          /* > 0: the workload as on/off traffic at this duty cycle
                                   (trial_scenario_at); 0: the scenario's own */
    uint32_t fleet_count;       /* > 0: the deployment's fleet at this many machines, autoscaling
                                   off (dedicated, hybrid); 0: as specified */
    sim_time timeline_step_ns;  /* > 0: collect a timeline at this step */
};

/* Tier records a deployment of this type gives per replication: 2 for a hybrid,
 * else 0. */
uint32_t trial_tiers(enum deployment_type type);

/* The on/off period a duty-cycle override uses for s: the scenario's own when it is
 * on/off with a period, else TRIAL_DEFAULT_PERIOD_NS. */
sim_time trial_period_ns(const struct scenario *s);

/* s at duty cycle duty_cycle (in (0, 1]): a shallow copy that borrows what s owns
 * (never destroyed), its workload on/off at the same rate while on, with
 * trial_period_ns(s) as period. */
struct scenario trial_scenario_at(const struct scenario *s, double duty_cycle);

/* The deployment t runs: s->deployments[t->deployment], with t's fleet count (and
 * autoscaling off, count: auto resolved) when it sets one. A shallow copy borrowing
 * what the scenario's spec owns. */
struct deployment_spec trial_deployment(const struct trial *t);

/* Run trial t. out gets the deployment's record; tiers (room for TRIAL_MAX_TIERS)
 * its tiers' records, out->n_tiers of them (out->first_tier is left 0 for the caller
 * to set); timeline, when t asks for one and it is not NULL, the rows (else none are
 * kept). progress (may be NULL) is called as the workload advances, with `slot`.
 * 0, or -1 with err set (out, tiers and timeline then hold nothing). */
int trial_run(const struct trial *t, run_progress_fn progress, void *progress_ctx, size_t slot,
              struct trial_record *out, struct trial_record *tiers,
              struct trial_timeline *timeline, struct slsim_error *err);

/* Run trials t[0..n) in lockstep on one request stream: they must share s,
 * replication and duty_cycle (deployment, fleet_count and timeline_step_ns are each
 * its own). The workload is made and read once, a trace decoded once, for all of
 * them; each trial keeps its own heap and platform, and each request goes to every
 * platform after that platform's events due by its arrival, so every record is the
 * one trial_run would give for that trial alone. out[i], tiers[i] (NULL, or room for
 * TRIAL_MAX_TIERS) and timeline[i] (tiers and timeline may be NULL) as trial_run's;
 * progress is reported under slot[i] for each. 0, or -1 with err from the lowest i
 * that failed (what trial_run would have said for it). */
int trial_run_lockstep(const struct trial *t, size_t n, run_progress_fn progress,
                       void *progress_ctx, const size_t *slot, struct trial_record *out,
                       struct trial_record *const *tiers, struct trial_timeline *const *timeline,
                       struct slsim_error *err);

/* Flatten r into out, deriving the numbers under slo (those of an LLM included);
 * tiers (room for r->n_tiers) gets the tiers' records, or is NULL to keep the total
 * alone (out->n_tiers 0). r keeps what it owns: out->llm (and each tier's) and
 * out->windows are left NULL for trial_take_llm to fill. */
void trial_flatten(const struct deployment_result *r, const struct slo_spec *slo,
                   struct trial_record *out, struct trial_record *tiers);

/* Move r's LLM statistics (its own, then each tier's, when tiers is not NULL) and
 * its measurement windows into the records trial_flatten filled from r, leaving r
 * without them. */
void trial_take_llm(struct deployment_result *r, struct trial_record *out,
                    struct trial_record *tiers);

/* Give out (and each tier's record, when tiers is not NULL) a copy of r's LLM
 * statistics and out a copy of its windows, r keeping its own: for a result that is not the caller's to take
 * from. 0, or -1 when out of memory (the records then hold none). */
int trial_copy_llm(const struct deployment_result *r, struct trial_record *out,
                   struct trial_record *tiers);

/* Free what rec owns (its LLM statistics, its windows) and leave it without. */
void trial_record_free(struct trial_record *rec);

/* Move r's timelines (its own, then each tier's) into tl, leaving r without them. */
void trial_take_timeline(struct deployment_result *r, struct trial_timeline *tl);

void trial_timeline_free(struct trial_timeline *tl);

#endif
