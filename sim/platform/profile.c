/* profile.c - built-in platform profiles and the cold-start model.
 *
 * A cold start is sandbox and runtime start (random, lognormal) plus fetching the
 * model artifact and loading it (size / bandwidth): the two things a model team can
 * change are the artifact size and the runtime, so they are separate terms.
 * Published Lambda measurements are ranges of P50 and P99 for light functions;
 * following the usual reading, the lognormal's median and 99th percentile sit at the
 * midpoints of those ranges. Bandwidths are not published by AWS: the values below
 * are assumptions stated as such, and a deployment that knows better sets
 * `coldstart:` itself. */
#include <stdio.h>
#include <string.h>

#include "slsim/platform.h"

static const struct platform_profile profiles[] = {
    {
        .name = "generic",
        .summary = "no prices, no limits, no cold-start profile: for analytic checks",
        .default_keep_alive_ns = 10 * 60 * SIM_NS_PER_S,
        .has_coldstart = 0,
        .concurrency_max = 1000,
        .billing = {.round_ns = SIM_NS_PER_MS},
        .source = "none",
        .as_of = "2026-11-27",
    },
    {
        .name = "aws-lambda",
        .summary = "AWS Lambda, x86, on-demand, us-east-1 list prices",
        /* AWS does not publish how long an idle sandbox lives; 10 minutes is the
         * middle of what measurements report (5-15 min). */
        .default_keep_alive_ns = 10 * 60 * SIM_NS_PER_S,
        .has_coldstart = 1,
        /* Python 3.13 cold start: P50 200-400 ms, P99 0.8-1.2 s (edjgeek.com, "Cold
         * Starts Are Dead", verified April 2026): midpoints. */
        .init_median_s = 0.300,
        .init_p99_s = 1.000,
        /* Assumed: 100 MB/s artifact fetch from S3 or the image cache, 200 MB/s
         * deserialisation of weights. Not published. */
        .fetch_bytes_per_s = 100e6,
        .load_bytes_per_s = 200e6,
        .memory_min_bytes = 128LL << 20,
        .memory_max_bytes = 10240LL << 20,
        .concurrency_max = 1,
        .billing = {
            .request_usd = 0.20 / 1e6,
            .gib_s_usd = 0.0000166667,
            .round_ns = SIM_NS_PER_MS,
            /* INIT billed for on-demand functions since 2025-08-01, capped at 10 s. */
            .init_billed = 1,
            .init_max_ns = 10 * SIM_NS_PER_S,
        },
        .source = "aws.amazon.com/lambda/pricing ($0.20 per 1M requests, 1 ms rounding); "
                  "x86 GB-s $0.0000166667 (AWS cached price file, 2026-03-07); "
                  "AWS Compute Blog 'AWS Lambda standardizes billing for INIT Phase' (2025)",
        .as_of = "2026-03-07",
    },
};

const struct platform_profile *platform_profile_at(size_t i)
{
    return i < sizeof profiles / sizeof profiles[0] ? &profiles[i] : NULL;
}

const struct platform_profile *platform_profile_find(const char *name)
{
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
        if (strcmp(profiles[i].name, name) == 0)
            return &profiles[i];
    return NULL;
}

static void known_names(char *buf, size_t n)
{
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0] && w < n; i++)
        w += (size_t)snprintf(buf + w, n - w, "%s%s", i ? ", " : "", profiles[i].name);
}

int platform_check_deployment(const struct deployment_spec *d,
                              const struct platform_profile *p, const char *file,
                              struct slsim_error *err)
{
    char key[160];
    if (!p) {
        char names[256];
        known_names(names, sizeof names);
        snprintf(key, sizeof key, "deployments.%s.platform", d->name);
        return slsim_error_set(err, file, 0, 0, key, "unknown platform \"%s\"; known: %s",
                               d->platform, names);
    }
    if ((p->memory_min_bytes && d->memory_bytes < p->memory_min_bytes) ||
        (p->memory_max_bytes && d->memory_bytes > p->memory_max_bytes)) {
        snprintf(key, sizeof key, "deployments.%s.memory", d->name);
        return slsim_error_set(err, file, 0, 0, key,
                               "%s allows %lld MiB to %lld MiB of memory; got %.0f MiB",
                               p->name, (long long)(p->memory_min_bytes >> 20),
                               (long long)(p->memory_max_bytes >> 20),
                               (double)d->memory_bytes / 1048576.0);
    }
    if (d->concurrency > p->concurrency_max) {
        snprintf(key, sizeof key, "deployments.%s.concurrency", d->name);
        return slsim_error_set(err, file, 0, 0, key,
                               "%s serves at most %u request(s) per instance at once; got %u",
                               p->name, p->concurrency_max, d->concurrency);
    }
    return 0;
}

int coldstart_model_init(struct coldstart_model *m, const struct deployment_spec *d,
                         const struct platform_profile *p, int64_t size_bytes,
                         struct slsim_error *err)
{
    char why[200];
    memset(m, 0, sizeof *m);
    switch (d->coldstart) {
    case COLDSTART_NONE:
        return 0;
    case COLDSTART_DIST:
        m->enabled = 1;
        if (dist_copy(&m->init, &d->coldstart_dist) != 0)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return 0;
    case COLDSTART_DEFAULT:
        break;
    }
    if (!p->has_coldstart)
        return 0; /* generic: instances are ready at once unless coldstart is set */
    m->enabled = 1;
    double fixed_s = (double)size_bytes / p->fetch_bytes_per_s +
                     (double)size_bytes / p->load_bytes_per_s;
    m->fixed_ns = (sim_time)(fixed_s * 1e9 + 0.5);
    if (dist_lognormal_median_p99(&m->init, p->init_median_s, p->init_p99_s, why,
                                  sizeof why) != 0)
        return slsim_error_set(err, NULL, 0, 0, NULL, "profile %s: %s", p->name, why);
    return 0;
}

void coldstart_model_free(struct coldstart_model *m)
{
    if (m->enabled)
        dist_free(&m->init);
    m->enabled = 0;
}
