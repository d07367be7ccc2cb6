/* compare_data.c - a duty-cycle sweep for programs: CSV, a row per duty cycle and
 * deployment; JSON, the whole result with its break-evens. */
#include <cjson/cJSON.h>

#include "writers.h"

const char *report_compare_cheapest(const struct compare_result *r, const struct compare_point *pt)
{
    return pt->cheapest == COMPARE_NONE ? "none" : r->deployments[pt->cheapest].name;
}

int report_compare_csv(FILE *fp, const struct scenario *s, const struct compare_result *r)
{
    fputs("duty_cycle,pricing_catalog,pricing_as_of,deployment,type,platform,cost_usd_per_month,cost_usd_per_million_requests,"
          "latency_ms_p50,latency_ms_p95,latency_ms_p99,cold_start_ratio,utilization,slo_met,"
          "cheapest_meeting_slo,coldstart_profile,coldstart_assumed,coldstart_mean_s,"
          "slo_never_met\n",
          fp);
    for (size_t k = 0; k < r->n_points; k++) {
        const struct compare_point *pt = &r->points[k];
        for (size_t d = 0; d < r->n_deployments; d++) {
            const struct compare_cell *c = &pt->cells[d];
            const struct compare_deployment *cd = &r->deployments[d];
            fprintf(fp, "%.12g,", pt->duty_cycle);
            report_csv_text(fp, s->pricing);
            fprintf(fp, ",%s,", s->catalog ? s->catalog->as_of : "");
            report_csv_text(fp, cd->name);
            fprintf(fp, ",%s,", cd->type_name);
            report_csv_text(fp, cd->platform);
            fprintf(fp, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%d,", c->cost_usd_per_month,
                    c->cost_usd_per_million_requests, c->latency_ms_p50, c->latency_ms_p95,
                    c->latency_ms_p99, c->cold_start_ratio, c->utilization, c->slo_met);
            report_csv_text(fp, report_compare_cheapest(r, pt));
            fputc(',', fp);
            report_csv_text(fp, cd->coldstart_profile);
            fputc(',', fp);
            report_csv_text(fp, cd->coldstart_assumed);
            fprintf(fp, ",%.10g,%d\n", c->coldstart_mean_s, cd->slo_never_met);
        }
    }
    return ferror(fp) ? -1 : 0;
}

/* A new object in array, naming deployment cd: name, type, platform. */
static cJSON *json_identity(cJSON *array, const struct compare_deployment *cd)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(array, o);
    cJSON_AddStringToObject(o, "name", cd->name);
    cJSON_AddStringToObject(o, "type", cd->type_name);
    cJSON_AddStringToObject(o, "platform", cd->platform);
    return o;
}

static cJSON *json_result(const struct scenario *s, const struct compare_result *r)
{
    cJSON *root = report_json_head(s);
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "model", s->model.name);
    cJSON_AddNumberToObject(root, "seed", (double)s->seed);
    cJSON_AddStringToObject(root, "arrival", scenario_arrival_name(s->workload.arrival));
    cJSON_AddNumberToObject(root, "rate_per_s", r->rate_per_s);
    cJSON_AddNumberToObject(root, "period_s", (double)r->period_ns / 1e9);
    cJSON_AddNumberToObject(root, "simulated_s", (double)s->duration_ns / 1e9);
    cJSON_AddNumberToObject(root, "warmup_s", (double)s->warmup_ns / 1e9);
    report_json_tail(root, s, s->replications);
    cJSON *deps = cJSON_AddArrayToObject(root, "deployments");
    for (size_t d = 0; d < r->n_deployments; d++) {
        const struct compare_deployment *cd = &r->deployments[d];
        cJSON *o = json_identity(deps, cd);
        if (cd->type != DEPLOYMENT_SERVERLESS) {
            cJSON_AddNumberToObject(o, "count", cd->count);
            cJSON_AddBoolToObject(o, "count_auto", cd->count_auto);
            if (cd->count_auto)
                cJSON_AddNumberToObject(o, "count_auto_peak_rate", cd->count_auto_peak_rate_per_s);
        }
        cJSON *cs = cJSON_AddObjectToObject(o, "coldstart");
        cJSON_AddStringToObject(cs, "profile", cd->coldstart_profile);
        cJSON_AddStringToObject(cs, "assumed", cd->coldstart_assumed);
        cJSON_AddBoolToObject(o, "slo_never_met", cd->slo_never_met);
    }
    cJSON *grid = cJSON_AddArrayToObject(root, "duty_cycles");
    for (size_t k = 0; k < r->n_points; k++)
        cJSON_AddItemToArray(grid, cJSON_CreateNumber(r->points[k].duty_cycle));
    cJSON *points = cJSON_AddArrayToObject(root, "points");
    for (size_t k = 0; k < r->n_points; k++) {
        const struct compare_point *pt = &r->points[k];
        cJSON *po = cJSON_CreateObject();
        cJSON_AddItemToArray(points, po);
        cJSON_AddNumberToObject(po, "duty_cycle", pt->duty_cycle);
        cJSON *pd = cJSON_AddArrayToObject(po, "deployments");
        for (size_t d = 0; d < r->n_deployments; d++) {
            const struct compare_cell *c = &pt->cells[d];
            const struct compare_deployment *cd = &r->deployments[d];
            cJSON *o = json_identity(pd, cd);
            cJSON_AddNumberToObject(o, "cost_usd_per_month", c->cost_usd_per_month);
            cJSON_AddNumberToObject(o, "cost_usd_per_million_requests",
                                    c->cost_usd_per_million_requests);
            cJSON_AddNumberToObject(o, "latency_ms_p50", c->latency_ms_p50);
            cJSON_AddNumberToObject(o, "latency_ms_p95", c->latency_ms_p95);
            cJSON_AddNumberToObject(o, "latency_ms_p99", c->latency_ms_p99);
            cJSON_AddNumberToObject(o, "cold_start_ratio", c->cold_start_ratio);
            cJSON_AddNumberToObject(o, "utilization", c->utilization);
            cJSON_AddBoolToObject(o, "slo_met", c->slo_met);
            cJSON_AddNumberToObject(o, "coldstart_mean_s", c->coldstart_mean_s);
        }
        if (pt->cheapest == COMPARE_NONE)
            cJSON_AddNullToObject(po, "cheapest_meeting_slo");
        else
            cJSON_AddStringToObject(po, "cheapest_meeting_slo",
                                    r->deployments[pt->cheapest].name);
    }
    cJSON *be = cJSON_AddArrayToObject(root, "break_even");
    for (size_t e = 0; e < r->n_break_even; e++) {
        const struct compare_break_even *b = &r->break_even[e];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(be, o);
        cJSON_AddStringToObject(o, "a", r->deployments[b->a].name);
        cJSON_AddStringToObject(o, "b", r->deployments[b->b].name);
        cJSON_AddNumberToObject(o, "duty_cycle", b->duty_cycle);
        cJSON_AddNumberToObject(o, "cost_usd_per_month", b->cost_usd_per_month);
        cJSON_AddStringToObject(o, "below", r->deployments[b->below].name);
        /* The sides that miss the SLO at every duty cycle: the crossing is no choice. */
        cJSON *never = cJSON_AddArrayToObject(o, "slo_never_met");
        if (r->deployments[b->a].slo_never_met)
            cJSON_AddItemToArray(never, cJSON_CreateString(r->deployments[b->a].name));
        if (r->deployments[b->b].slo_never_met)
            cJSON_AddItemToArray(never, cJSON_CreateString(r->deployments[b->b].name));
        cJSON *between = cJSON_AddArrayToObject(o, "between");
        cJSON_AddItemToArray(between, cJSON_CreateNumber(b->between[0]));
        cJSON_AddItemToArray(between, cJSON_CreateNumber(b->between[1]));
    }
    return root;
}

int report_compare_json(FILE *fp, const struct scenario *s, const struct compare_result *r)
{
    return report_json_emit(fp, json_result(s, r));
}
