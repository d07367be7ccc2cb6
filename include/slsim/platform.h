/* platform.h - platform models and the profiles that parameterise them.
 *
 * A platform receives the request stream from the engine, schedules its own events
 * on the engine's heap, owns its instances and meters, and fills a
 * deployment_result at the end. This version has one implementation, serverless;
 * dedicated and hybrid fleets plug into the same struct platform_ops. */
#ifndef SLSIM_PLATFORM_H
#define SLSIM_PLATFORM_H

#include <gsl/gsl_rng.h>

#include "slsim/billing.h"
#include "slsim/engine.h"
#include "slsim/error.h"
#include "slsim/result.h"
#include "slsim/scenario.h"
#include "slsim/workload.h"

/* What a provider's platform is like: its limits, its cold starts, its prices.
 * Built in for now; a dated catalog file replaces this table in a later version. */
struct platform_profile {
    const char *name;                /* as written in `platform:` */
    const char *summary;             /* one line for `slsim help` and reports */
    sim_time default_keep_alive_ns;  /* keep-alive when the deployment sets none */
    int has_coldstart;               /* 0: `coldstart: default` means none (generic) */
    double init_median_s;            /* runtime and sandbox init: lognormal median, s */
    double init_p99_s;               /* runtime and sandbox init: lognormal 99th percentile, s */
    double fetch_bytes_per_s;        /* artifact download bandwidth, bytes/s */
    double load_bytes_per_s;         /* model deserialisation into memory, bytes/s */
    int64_t memory_min_bytes;        /* smallest memory setting, 0 = none */
    int64_t memory_max_bytes;        /* largest memory setting, 0 = none */
    uint32_t concurrency_max;        /* requests one instance may serve at once */
    struct billing_rate billing;     /* on-demand execution billing */
    const char *source;              /* where the numbers come from */
    const char *as_of;               /* date the numbers were read, YYYY-MM-DD */
};

/* The profile named name, or NULL. */
const struct platform_profile *platform_profile_find(const char *name);

/* The i-th built-in profile (0-based), or NULL past the end. */
const struct platform_profile *platform_profile_at(size_t i);

/* A cold-start delay: a fixed part (artifact fetch and model load, set by the model
 * size) plus a random part. */
struct coldstart_model {
    int enabled;       /* 0: instances are ready at once */
    sim_time fixed_ns; /* size-driven part */
    struct dist init;  /* random part, owned */
};

/* The cold-start model of deployment d on profile p for a model of size_bytes.
 * `default` on a platform without a profile means no cold start. 0, or -1 with
 * err set. */
int coldstart_model_init(struct coldstart_model *m, const struct deployment_spec *d,
                         const struct platform_profile *p, int64_t size_bytes,
                         struct slsim_error *err);
void coldstart_model_free(struct coldstart_model *m);
static inline sim_time coldstart_sample_ns(const struct coldstart_model *m, gsl_rng *r)
{
    return m->enabled ? m->fixed_ns + dist_sample_ns(&m->init, r) : 0;
}

/* Check deployment d against its platform's limits; err names file and key. */
int platform_check_deployment(const struct deployment_spec *d,
                              const struct platform_profile *p, const char *file,
                              struct slsim_error *err);

/* Run-wide settings a platform needs besides its own spec. */
struct platform_env {
    struct event_heap *heap;      /* the engine's heap; the platform pushes onto it */
    sim_time warmup_ns;           /* start of the measured period */
    sim_time end_ns;              /* end of the measured period */
    sim_time timeline_step_ns;    /* 0: no timeline; else the interval length */
    const struct slo_spec *slo;   /* latency objective */
    uint64_t seed;                /* scenario seed */
    uint32_t replication;         /* replication index */
};

struct platform_ops {
    const char *type;                                        /* "serverless" */
    void (*arrival)(void *self, const struct request *r);    /* a request arrives at r->arrival_ns */
    void (*event)(void *self, const struct event *e);        /* one of its own events is due */
    int (*finish)(void *self, struct deployment_result *out, struct slsim_error *err);
    void (*destroy)(void *self);
};

/* A serverless platform for deployment d of scenario s. NULL with err set. */
void *serverless_create(const struct scenario *s, const struct deployment_spec *d,
                        const struct platform_env *env, struct slsim_error *err);
extern const struct platform_ops serverless_ops;

#endif
