/* result.c - numbers derived from a deployment's raw measurements.
 *
 * Kept apart from the writers so that text, JSON, CSV and Markdown cannot disagree
 * about what "utilization" or "SLO attainment" means. */
#include <stdlib.h>
#include <string.h>

#include "slsim/result.h"

void result_init(struct deployment_result *r)
{
    memset(r, 0, sizeof *r);
    histogram_reset(&r->latency);
}

void result_free(struct deployment_result *r)
{
    free(r->timeline);
    r->timeline = NULL;
    r->n_timeline = 0;
}

double result_cost_total(const struct deployment_result *r)
{
    return r->cost.requests_usd + r->cost.compute_usd + r->cost.provisioned_usd +
           r->cost.instances_usd;
}

double result_instances_mean(const struct deployment_result *r)
{
    return r->measured_s > 0 ? r->instance_s / r->measured_s : 0.0;
}

double result_utilization(const struct deployment_result *r)
{
    return r->instance_s > 0 ? r->busy_instance_s / r->instance_s : 0.0;
}

double result_cold_start_ratio(const struct deployment_result *r)
{
    return r->served ? (double)r->cold_starts / (double)r->served : 0.0;
}

double result_slo_attainment(const struct deployment_result *r, const struct slo_spec *slo)
{
    if (slo->percentile <= 0 || r->requests == 0)
        return 1.0;
    return (double)r->within_slo / (double)r->requests;
}

int result_slo_met(const struct deployment_result *r, const struct slo_spec *slo)
{
    if (slo->percentile <= 0)
        return 1;
    return result_slo_attainment(r, slo) >= slo->percentile / 100.0;
}
