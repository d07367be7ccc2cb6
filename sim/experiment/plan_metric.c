/* plan_metric.c - the metrics a plan can minimize or constrain: the numeric report
 * fields, by their JSON path, and `--subject-to METRIC<=VALUE` read with the metric's
 * unit. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/plan.h"
#include "slsim/summary.h"
#include "slsim/text.h"
#include "slsim/units.h"

/* The fields of every report, in order. */
static size_t all_fields(struct summary_field *f)
{
    static const struct trial_record empty;
    return summary_fields_one(&empty, f);
}

int plan_meets(enum plan_op op, double v, double limit)
{
    switch (op) {
    case PLAN_LE:
        return v <= limit;
    case PLAN_GE:
        return v >= limit;
    case PLAN_LT:
        return v < limit;
    case PLAN_GT:
        return v > limit;
    }
    return 0;
}

const char *plan_op_text(enum plan_op op)
{
    static const char *const t[] = {"<=", ">=", "<", ">"};
    return (unsigned)op < 4 ? t[op] : "?";
}

int plan_metric_known(char *path)
{
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = all_fields(f);
    for (size_t i = 0; i < n; i++)
        if (!f[i].text && strcmp(f[i].path, path) == 0)
            return 1;
    for (size_t i = 0; i < n; i++) {
        char c[PLAN_METRIC_MAX];
        text_csv_name(f[i].path, c, sizeof c);
        if (!f[i].text && strcmp(c, path) == 0) {
            snprintf(path, PLAN_METRIC_MAX, "%s", f[i].path);
            return 1;
        }
    }
    return 0;
}

void plan_metric_hint(const char *path, char *buf, size_t n)
{
    struct summary_field f[SUMMARY_MAX_FIELDS];
    const char *cands[SUMMARY_MAX_FIELDS + 1];
    size_t m = all_fields(f), k = 0;
    for (size_t i = 0; i < m; i++)
        if (!f[i].text && !f[i].omit_zero)
            cands[k++] = f[i].path;
    cands[k] = NULL;
    const char *s = text_suggest(path, cands);
    if (s)
        snprintf(buf, n, "; did you mean \"%s\"?", s);
    else
        buf[0] = '\0';
}

void plan_metric_names(char *buf, size_t n)
{
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t m = all_fields(f), w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m && w < n; i++) {
        if (f[i].text || f[i].omit_zero) /* a batch-size histogram's bins are no metric */
            continue;
        int k = snprintf(buf + w, n - w, "%s%s", w ? "\n" : "", f[i].path);
        if (k < 0)
            break;
        w += (size_t)k;
    }
}

/* The unit a metric's value is in, from its name: "ms" (latency_ms.p99, ttft_ms.p50),
 * "s" (coldstart.mean_s, busy_instance_s), "fraction" (a share in [0, 1]: *_fraction,
 * *_ratio, utilization, slo_attainment) or "" (a count, USD, a rate). */
static const char *metric_unit(const char *path)
{
    if (strstr(path, "_ms.") || strstr(path, "_ms_") ||
        (strlen(path) > 3 && strcmp(path + strlen(path) - 3, "_ms") == 0))
        return "ms";
    size_t len = strlen(path);
    if (len > 2 && strcmp(path + len - 2, "_s") == 0 && !strstr(path, "per_s"))
        return "s";
    if (strstr(path, "fraction") || strstr(path, "ratio") || strstr(path, "utilization") ||
        strcmp(path, "slo_attainment") == 0)
        return "fraction";
    return "";
}

/* VALUE in the metric's unit: a plain number as it is; a duration for ms or s; a
 * percentage for a fraction. */
static int read_limit(const char *metric, const char *v, double *out, char *why, size_t n)
{
    const char *unit = metric_unit(metric);
    char *end;
    double x = strtod(v, &end);
    while (isspace((unsigned char)*end))
        end++;
    int is_time = strcmp(unit, "ms") == 0 || strcmp(unit, "s") == 0;
    if (end != v && *end == '\0' && isfinite(x) && (!is_time || x == 0)) {
        *out = x;
        return 0;
    }
    if (end != v && *end == '\0' && is_time) {
        snprintf(why, n, "%s needs a unit: %sms or %ss?", v, v, v);
        return -1;
    }
    if (end != v && strcmp(end, "%") == 0 && strcmp(unit, "fraction") == 0) {
        *out = x / 100;
        return 0;
    }
    sim_time ns;
    if ((strcmp(unit, "ms") == 0 || strcmp(unit, "s") == 0) &&
        units_parse_duration(v, &ns, why, n) == 0) {
        *out = (double)ns / (strcmp(unit, "ms") == 0 ? 1e6 : 1e9);
        return 0;
    }
    if (strcmp(unit, "ms") == 0 || strcmp(unit, "s") == 0)
        return -1; /* why says what is wrong with the duration */
    snprintf(why, n, "expected a number%s, got \"%s\"",
             strcmp(unit, "fraction") == 0 ? " or a percentage (0.1%)" : "", v);
    return -1;
}

int plan_parse_constraint(const char *text, struct plan_constraint *out,
                          struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->text, sizeof out->text, "%s", text);
    const char *op = strpbrk(text, "<>");
    if (!op)
        return slsim_error_set(err, "--subject-to", 1, 1, NULL,
                               "expected METRIC<=VALUE or METRIC>=VALUE, e.g. "
                               "'latency_ms.p99<=300ms', got \"%s\"",
                               text);
    if (op > text && op[-1] == '=')
        return slsim_error_set(err, "--subject-to", 1, (int)(op - text), NULL,
                               "write %s as %c=, e.g. 'latency_ms.p99<=300ms'",
                               *op == '<' ? "=<" : "=>", *op);
    size_t mlen = (size_t)(op - text);
    while (mlen && isspace((unsigned char)text[mlen - 1]))
        mlen--;
    const char *m = text;
    while (isspace((unsigned char)*m) && mlen) {
        m++;
        mlen--;
    }
    if (!mlen || mlen >= PLAN_METRIC_MAX)
        return slsim_error_set(err, "--subject-to", 1, 1, NULL,
                               "expected a metric before %c, e.g. 'latency_ms.p99<=300ms'", *op);
    memcpy(out->metric, m, mlen);
    out->metric[mlen] = '\0';
    int or_equal = op[1] == '=';
    out->op = *op == '<' ? (or_equal ? PLAN_LE : PLAN_LT) : (or_equal ? PLAN_GE : PLAN_GT);
    const char *v = op + 1 + (op[1] == '=');
    while (isspace((unsigned char)*v))
        v++;
    int col_metric = (int)(m - text) + 1, col_value = (int)(v - text) + 1;
    if (!plan_metric_known(out->metric)) {
        char hint[160];
        plan_metric_hint(out->metric, hint, sizeof hint);
        return slsim_error_set(err, "--subject-to", 1, col_metric, out->metric,
                               "not a report field a plan can use%s (`slsim plan --metrics` "
                               "lists them)",
                               hint);
    }
    char why[200] = "";
    if (read_limit(out->metric, v, &out->limit, why, sizeof why) != 0) {
        const char *u = metric_unit(out->metric);
        return slsim_error_set(err, "--subject-to", 1, col_value, out->metric, "%s (%s is %s)",
                               why, out->metric,
                               strcmp(u, "ms") == 0          ? "in milliseconds"
                               : strcmp(u, "s") == 0         ? "in seconds"
                               : strcmp(u, "fraction") == 0  ? "a share from 0 to 1"
                               : strncmp(out->metric, "cost_usd", 8) == 0 ? "in USD"
                                                                           : "a number");
    }
    return 0;
}
