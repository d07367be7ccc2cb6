/* json.c - the JSON report (cJSON): every contract field of docs/REPORT.md.
 *
 * Dotted field paths become nested objects; with replications each number gains a
 * `<name>_ci95` sibling. Each deployment and tier ends with its latency
 * distributions (json_hist.c). cJSON prints numbers with the shortest round-trip form,
 * so the same result always gives the same bytes. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/slo_config.h"
#include "writers.h"

/* The object at the dotted prefix of path under root (created on the way), and the
 * last component in *leaf. */
static cJSON *json_parent(cJSON *root, const char *path, char *leaf, size_t n)
{
    cJSON *obj = root;
    const char *p = path, *dot;
    while ((dot = strchr(p, '.')) != NULL) {
        char part[64];
        size_t len = (size_t)(dot - p) < sizeof part - 1 ? (size_t)(dot - p) : sizeof part - 1;
        memcpy(part, p, len);
        part[len] = '\0';
        cJSON *child = cJSON_GetObjectItemCaseSensitive(obj, part);
        if (!child)
            child = cJSON_AddObjectToObject(obj, part);
        if (!child)
            return NULL;
        obj = child;
        p = dot + 1;
    }
    snprintf(leaf, n, "%s", p);
    return obj;
}

void report_json_fields(cJSON *o, const struct summary_field *f, size_t n,
                        uint32_t replications)
{
    for (size_t i = 0; i < n; i++) {
        /* A deployment that does not batch has no batching fields at all, one that
         * serves no LLM no LLM fields (jq reads null either way), and a histogram
         * lists the sizes that occurred. */
        if (f[i].absent || ((f[i].omit_zero || f[i].timeouts) && f[i].value == 0))
            continue;
        char leaf[64];
        cJSON *parent = json_parent(o, f[i].path, leaf, sizeof leaf);
        if (!parent)
            continue;
        if (f[i].text) {
            cJSON_AddStringToObject(parent, leaf, f[i].text);
            continue;
        }
        if (f[i].undefined) { /* a ratio of nothing: null, as jq reads a missing value */
            cJSON_AddNullToObject(parent, leaf);
            if (replications > 1) {
                char ci[80];
                snprintf(ci, sizeof ci, "%s_ci95", leaf);
                cJSON_AddNullToObject(parent, ci);
            }
            continue;
        }
        if (strcmp(f[i].path, "slo_met") == 0 && replications < 2)
            cJSON_AddBoolToObject(parent, leaf, f[i].value != 0);
        else
            cJSON_AddNumberToObject(parent, leaf, f[i].value);
        if (replications > 1) {
            char ci[80];
            snprintf(ci, sizeof ci, "%s_ci95", leaf);
            cJSON_AddNumberToObject(parent, ci, f[i].ci95);
        }
    }
}

/* The distributions a deployment object carries after its fields (json_hist.c):
 * latency always, TTFT and TPOT only where an LLM is served (absent otherwise, as
 * the other LLM fields are). */
static const struct {
    const char *name;
    report_hist_pick pick;
} json_histograms[] = {
    {"latency_histogram", report_hist_latency},
    {"ttft_histogram", report_hist_ttft},
    {"tpot_histogram", report_hist_tpot},
};

/* Deployment d's (tier 0) or its tier t's distributions over every replication,
 * into o: last, after everything else, so that the long bucket lists do not stand
 * between a reader and the fields. */
static void json_histograms_add(cJSON *o, const struct run_output *out, size_t d, size_t tier)
{
    for (size_t k = 0; k < sizeof json_histograms / sizeof json_histograms[0]; k++) {
        cJSON *h = report_json_histogram(out, d, tier, json_histograms[k].pick);
        if (h)
            cJSON_AddItemToObject(o, json_histograms[k].name, h);
    }
}

/* Deployment d's object (tier 0), or its tier t's: its identity, then every field. */
static cJSON *json_deployment(const struct run_output *out, size_t d, size_t tier)
{
    const struct trial_record *r = run_output_part(out, 0, d, tier);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields(out, d, tier, f);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "type", deployment_type_name(r->type));
    cJSON_AddStringToObject(o, "platform", r->platform);
    cJSON_AddNumberToObject(o, "memory_mb", (double)r->memory_bytes / 1e6);
    report_json_fields(o, f, n, out->replications);
    return o;
}

static cJSON *json_report(const struct scenario *s, const struct run_output *out)
{
    cJSON *root = report_json_head(s);
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "seed", (double)s->seed);
    cJSON_AddNumberToObject(root, "simulated_s", (double)s->duration_ns / 1e9);
    cJSON_AddNumberToObject(root, "warmup_s", (double)s->warmup_ns / 1e9);
    cJSON_AddNumberToObject(root, "measured_s", (double)(s->duration_ns - s->warmup_ns) / 1e9);
    report_json_tail(root, s, out->replications);
    cJSON *deps = cJSON_AddArrayToObject(root, "deployments");
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        cJSON *o = json_deployment(out, d, 0);
        if (!o)
            continue;
        cJSON_AddItemToArray(deps, o);
        const struct fleet_spec *fleet = deployment_fleet(&s->deployments[d]);
        if (fleet) {
            cJSON_AddNumberToObject(o, "count", fleet->count);
            cJSON_AddBoolToObject(o, "count_auto", fleet->count_auto);
            if (fleet->count_auto)
                cJSON_AddNumberToObject(o, "count_auto_peak_rate",
                                        fleet->count_auto_peak_rate_per_s);
            cJSON_AddNumberToObject(o, "slots", fleet->slots);
        }
        if (r->n_tiers) {
            /* Tiers over every replication, like the totals above. */
            cJSON *tiers = cJSON_AddArrayToObject(o, "tiers");
            for (size_t t = 0; t < r->n_tiers; t++) {
                cJSON *tier = json_deployment(out, d, t + 1);
                if (!tier)
                    continue;
                json_histograms_add(tier, out, d, t + 1);
                cJSON_AddItemToArray(tiers, tier);
            }
        }
        if (s->slo.n_windows) {
            cJSON *w = report_windows_json(s, out, d);
            if (w)
                cJSON_AddItemToObject(o, "windows", w);
        }
        json_histograms_add(o, out, d, 0);
    }
    return root;
}


int report_run_json(FILE *fp, const struct scenario *s, const struct run_output *out)
{
    return report_json_emit(fp, json_report(s, out));
}

cJSON *report_json_head(const struct scenario *s)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "slsim_version", SLSIM_VERSION);
    cJSON_AddStringToObject(root, "scenario", s->name);
    return root;
}

void report_json_tail(cJSON *root, const struct scenario *s, uint32_t replications)
{
    cJSON_AddNumberToObject(root, "replications", replications);
    report_json_pricing(root, s);
    const struct slo_spec *o = &s->slo;
    if (!slo_spec_any(o))
        return;
    cJSON *slo = cJSON_AddObjectToObject(root, "slo");
    if (o->percentile > 0) {
        cJSON_AddNumberToObject(slo, "percentile", o->percentile);
        cJSON_AddNumberToObject(slo, "latency_ms", (double)o->latency_ns / 1e6);
    }
    if (o->ttft_percentile > 0) {
        cJSON_AddNumberToObject(slo, "ttft_percentile", o->ttft_percentile);
        cJSON_AddNumberToObject(slo, "ttft_ms", (double)o->ttft_ns / 1e6);
    }
    if (o->tpot_percentile > 0) {
        cJSON_AddNumberToObject(slo, "tpot_percentile", o->tpot_percentile);
        cJSON_AddNumberToObject(slo, "tpot_ms", (double)o->tpot_ns / 1e6);
    }
}

void report_json_pricing(struct cJSON *root, const struct scenario *s)
{
    cJSON *p = cJSON_AddObjectToObject(root, "pricing");
    cJSON_AddStringToObject(p, "catalog", s->pricing);
    cJSON_AddStringToObject(p, "as_of", s->catalog ? s->catalog->as_of : "");
}

int report_json_emit(FILE *fp, struct cJSON *root)
{
    if (!root)
        return -1;
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -1;
    int rc = fputs(text, fp) < 0 || fputc('\n', fp) == EOF ? -1 : 0;
    cJSON_free(text);
    return rc;
}
