/* sweep_rows.c - `slsim sweep`'s output, a point at a time: CSV, JSON Lines, JSON.
 *
 * Every point writes the same columns whatever its deployments are (the union of the
 * report fields over deployment types: summary_fields always lists every path, marking
 * those that do not apply), so rows of points written by different processes, or
 * before and after an interruption, make one table. Numbers are printed as the run's
 * CSV and JSON print them. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

/* The fields every row has, in order: those of an empty record. */
static size_t all_fields(struct summary_field *f)
{
    static const struct trial_record empty;
    return summary_fields_one(&empty, f);
}

static void error_text(const struct slsim_error *err, char *buf, size_t n)
{
    slsim_error_format(err, buf, n);
}

static int csv_head(FILE *fp, const struct report_sweep *r)
{
    const struct sweep *sw = r->sw;
    fprintf(fp, "# slsim sweep %s\n", r->hash);
    fprintf(fp, "# scenario %s, seed %llu, prices: %s as of %s\n", r->scenario,
            (unsigned long long)r->seed, r->pricing, r->pricing_as_of);
    for (size_t a = 0; a < sw->n_axes; a++) {
        const struct sweep_axis *x = &sw->axes[a];
        for (size_t v = 0; x->given && v < x->n; v++)
            if (x->given[v])
                fprintf(fp, "# %s: %s rounded to the setting %s\n", x->key, x->given[v],
                        x->values[v]);
        if (x->n_dropped)
            fprintf(fp, "# %s: %zu value%s dropped as duplicates (the same as an earlier one)\n", x->key,
                    x->n_dropped, x->n_dropped == 1 ? "" : "s");
    }
    fputs("point", fp);
    for (size_t a = 0; a < sw->n_axes; a++) {
        fputc(',', fp);
        report_csv_text(fp, sw->axes[a].key);
    }
    fputs(",deployment,tier,type,platform,memory_mb", fp);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = all_fields(f);
    for (size_t i = 0; i < n; i++) {
        fputc(',', fp);
        report_csv_name(fp, f[i].path);
        if (r->ci95 && !f[i].text) {
            fputc(',', fp);
            report_csv_name(fp, f[i].path);
            fputs("_ci95", fp);
        }
    }
    fputs(",error\n", fp);
    return ferror(fp) ? -1 : 0;
}

/* The point's index and its value of each varied key. */
static void csv_point(FILE *fp, const struct sweep *sw, size_t k)
{
    fprintf(fp, "%zu", k);
    for (size_t a = 0; a < sw->n_axes; a++) {
        fputc(',', fp);
        report_csv_text(fp, sw->axes[a].values[sweep_value_index(sw, k, a)]);
    }
}

static void csv_part(FILE *fp, const struct report_sweep *r, size_t k,
                     const struct run_output *out, size_t d, size_t t)
{
    const struct trial_record *total = run_output_part(out, 0, d, 0);
    const struct trial_record *x = run_output_part(out, 0, d, t);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields(out, d, t, f);
    int several = out->replications > 1;
    csv_point(fp, r->sw, k);
    fputc(',', fp);
    report_csv_text(fp, total->name);
    fputc(',', fp);
    if (t)
        report_csv_text(fp, x->name);
    fprintf(fp, ",%s,", deployment_type_name(x->type));
    report_csv_text(fp, x->platform);
    fprintf(fp, ",%.10g", (double)x->memory_bytes / 1e6);
    for (size_t i = 0; i < n; i++) {
        fputc(',', fp);
        if (f[i].text) {
            report_csv_text(fp, f[i].text);
            continue;
        }
        if (!f[i].absent && !f[i].undefined) { /* undefined: a ratio of nothing, empty */
            if (several)
                fprintf(fp, "%.10g", f[i].value);
            else
                report_csv_number(fp, &f[i]);
        }
        if (r->ci95) {
            fputc(',', fp);
            if (!f[i].absent && !f[i].undefined && several)
                fprintf(fp, "%.10g", f[i].ci95);
        }
    }
    fputs(",\n", fp);
}

static int csv_rows(FILE *fp, const struct report_sweep *r, size_t k, const struct scenario *s,
                    const struct run_output *out, const struct slsim_error *err)
{
    (void)s;
    if (!out) {
        struct summary_field f[SUMMARY_MAX_FIELDS];
        size_t n = all_fields(f), cells = 5; /* deployment, tier, type, platform, memory_mb */
        for (size_t i = 0; i < n; i++)
            cells += 1 + (r->ci95 && !f[i].text);
        char msg[1200];
        error_text(err, msg, sizeof msg);
        csv_point(fp, r->sw, k);
        for (size_t c = 0; c < cells; c++)
            fputc(',', fp);
        fputc(',', fp);
        report_csv_text(fp, msg);
        fputc('\n', fp);
        return ferror(fp) ? -1 : 0;
    }
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct trial_record *total = run_output_part(out, 0, d, 0);
        for (size_t t = 0; t <= total->n_tiers; t++)
            csv_part(fp, r, k, out, d, t);
    }
    return ferror(fp) ? -1 : 0;
}

static int csv_tail(FILE *fp, const struct report_sweep *r)
{
    (void)fp;
    (void)r;
    return 0;
}

const struct sweep_writer report_sweep_csv = {csv_head, csv_rows, csv_tail};

/* ---- JSON Lines and JSON ---- */

/* The head record: the hash, the scenario, the axes with what was rounded. */
static cJSON *json_head(const struct report_sweep *r)
{
    const struct sweep *sw = r->sw;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "slsim_sweep", r->hash);
    cJSON_AddStringToObject(o, "slsim_version", SLSIM_VERSION);
    cJSON_AddStringToObject(o, "scenario", r->scenario);
    cJSON_AddNumberToObject(o, "seed", (double)r->seed);
    cJSON *pricing = cJSON_AddObjectToObject(o, "pricing");
    cJSON_AddStringToObject(pricing, "catalog", r->pricing);
    cJSON_AddStringToObject(pricing, "as_of", r->pricing_as_of);
    cJSON_AddBoolToObject(o, "zip", sw->zip);
    cJSON_AddNumberToObject(o, "points", (double)sw->n_points);
    cJSON *axes = cJSON_AddArrayToObject(o, "vary");
    for (size_t a = 0; axes && a < sw->n_axes; a++) {
        const struct sweep_axis *x = &sw->axes[a];
        cJSON *ax = cJSON_CreateObject();
        cJSON_AddItemToArray(axes, ax);
        cJSON_AddStringToObject(ax, "key", x->key);
        cJSON *vals = cJSON_AddArrayToObject(ax, "values");
        for (size_t v = 0; vals && v < x->n; v++)
            cJSON_AddItemToArray(vals, cJSON_CreateString(x->values[v]));
        cJSON *rounded = cJSON_AddArrayToObject(ax, "rounded");
        for (size_t v = 0; rounded && x->given && v < x->n; v++) {
            if (!x->given[v])
                continue;
            cJSON *one = cJSON_CreateObject();
            cJSON_AddStringToObject(one, "given", x->given[v]);
            cJSON_AddStringToObject(one, "setting", x->values[v]);
            cJSON_AddItemToArray(rounded, one);
        }
        cJSON_AddNumberToObject(ax, "dropped", (double)x->n_dropped);
    }
    return o;
}

/* A row object: the point and its values; then the part (or the error). */
static cJSON *json_row(const struct report_sweep *r, size_t k)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "point", (double)k);
    cJSON *vary = cJSON_AddObjectToObject(o, "vary");
    for (size_t a = 0; vary && a < r->sw->n_axes; a++)
        cJSON_AddStringToObject(vary, r->sw->axes[a].key,
                                r->sw->axes[a].values[sweep_value_index(r->sw, k, a)]);
    return o;
}

/* Print o on one line, after sep, leaving off its last `cut` characters (1: the closing
 * brace of an object to be continued); frees o. */
static int json_line_cut(FILE *fp, const char *sep, cJSON *o, size_t cut)
{
    if (!o)
        return -1;
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        return -1;
    size_t len = strlen(text);
    fputs(sep, fp);
    fwrite(text, 1, len > cut ? len - cut : 0, fp);
    cJSON_free(text);
    return ferror(fp) ? -1 : 0;
}

static int json_line(FILE *fp, const char *sep, cJSON *o)
{
    return json_line_cut(fp, sep, o, 0);
}

/* Point k's rows, each after the separator: "" then "\n" (JSON Lines: every row ends
 * its line), or "\n" for the first row of the file and ",\n" after it (JSON: the
 * array's commas). */
static int json_rows(FILE *fp, const struct report_sweep *r, size_t k,
                     const struct run_output *out, const struct slsim_error *err, int lines)
{
    int first = k == 0;
#define SEP (lines ? "" : first ? "\n" : ",\n")
    if (!out) {
        char msg[1200];
        error_text(err, msg, sizeof msg);
        cJSON *o = json_row(r, k);
        if (o)
            cJSON_AddStringToObject(o, "error", msg);
        if (json_line(fp, SEP, o) != 0)
            return -1;
        return lines ? (fputc('\n', fp) == EOF ? -1 : 0) : 0;
    }
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct trial_record *total = run_output_part(out, 0, d, 0);
        for (size_t t = 0; t <= total->n_tiers; t++) {
            const struct trial_record *x = run_output_part(out, 0, d, t);
            struct summary_field f[SUMMARY_MAX_FIELDS];
            size_t n = summary_fields(out, d, t, f);
            cJSON *o = json_row(r, k);
            if (o) {
                cJSON_AddStringToObject(o, "deployment", total->name);
                if (t)
                    cJSON_AddStringToObject(o, "tier", x->name);
                cJSON_AddStringToObject(o, "type", deployment_type_name(x->type));
                cJSON_AddStringToObject(o, "platform", x->platform);
                cJSON_AddNumberToObject(o, "memory_mb", (double)x->memory_bytes / 1e6);
                cJSON_AddNumberToObject(o, "replications", out->replications);
                report_json_fields(o, f, n, out->replications);
            }
            if (json_line(fp, SEP, o) != 0 || (lines && fputc('\n', fp) == EOF))
                return -1;
            first = 0;
        }
    }
#undef SEP
    return 0;
}

static int jsonl_head(FILE *fp, const struct report_sweep *r)
{
    if (json_line(fp, "", json_head(r)) != 0)
        return -1;
    return fputc('\n', fp) == EOF ? -1 : 0;
}

static int jsonl_rows(FILE *fp, const struct report_sweep *r, size_t k, const struct scenario *s,
                      const struct run_output *out, const struct slsim_error *err)
{
    (void)s;
    return json_rows(fp, r, k, out, err, 1);
}

static int jsonl_tail(FILE *fp, const struct report_sweep *r)
{
    (void)fp;
    (void)r;
    return 0;
}

const struct sweep_writer report_sweep_jsonl = {jsonl_head, jsonl_rows, jsonl_tail};

/* JSON: the head record's members, then "rows": [ and the rows, one per line; the tail
 * closes both. Written in pieces so rows can be appended as points finish. */
static int json_doc_head(FILE *fp, const struct report_sweep *r)
{
    /* the head object without its '}': the rows go before it */
    if (json_line_cut(fp, "", json_head(r), 1) != 0)
        return -1;
    fputs(",\"rows\":[", fp);
    return ferror(fp) ? -1 : 0;
}

static int json_doc_rows(FILE *fp, const struct report_sweep *r, size_t k,
                         const struct scenario *s, const struct run_output *out,
                         const struct slsim_error *err)
{
    (void)s;
    return json_rows(fp, r, k, out, err, 0);
}

static int json_doc_tail(FILE *fp, const struct report_sweep *r)
{
    (void)r;
    fputs("\n]}\n", fp);
    return ferror(fp) ? -1 : 0;
}

const struct sweep_writer report_sweep_json = {json_doc_head, json_doc_rows, json_doc_tail};
