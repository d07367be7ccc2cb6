/* compare.c - the duty-cycle sweep behind `slsim compare`, and its reports.
 *
 * Each grid point is the scenario with its workload turned into on/off traffic at
 * the same rate while on: a shallow copy whose workload fields differ, borrowing
 * deployments, model and catalog from the original (as sizing's probes do). The
 * on/off generator maps one Poisson clock of active time onto the wall clock, so
 * the points see nested request streams and the cost curves are smooth in the duty
 * cycle, which is what makes linear interpolation between points meaningful.
 *
 * Simplifications, said where they are made:
 * - `constant` arrivals become Poisson while on (the on/off pattern is Poisson).
 * - `count: auto` fleets are sized once, on the scenario always on (duty cycle 1,
 *   spikes kept): what changes with the duty cycle is how long that fleet idles,
 *   not its size.
 * - The cost of a deployment is taken as linear in the duty cycle between two grid
 *   points; a finer grid narrows the bracket a break-even is reported with. */
#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/compare.h"
#include "slsim/run.h"
#include "slsim/sizing.h"
#include "slsim/workload.h"

/* ---- the grid ---- */

#define GRID_KEY "--duty-cycles"

/* 12 significant digits: grid arithmetic (0.05 x 3) lands on the decimal a person
 * wrote, and duplicates written two ways ("0.5", "0.50") compare equal. */
static double round12(double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.12g", v);
    return strtod(buf, NULL);
}

/* A finite number filling all of text[0..len) but for blanks. */
static int grid_number(const char *text, size_t len, double *out)
{
    char buf[64];
    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static int grid_push(double **v, size_t *n, size_t *cap, double x)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 32;
        double *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return 0;
}

/* One comma-separated item: a number or start:stop:step. */
static int grid_item(const char *item, size_t len, double **v, size_t *n, size_t *cap,
                     struct slsim_error *err)
{
    const char *colon[3];
    size_t n_colons = 0;
    for (size_t i = 0; i < len; i++)
        if (item[i] == ':' && n_colons++ < 2)
            colon[n_colons - 1] = item + i;
    int shown = len > 200 ? 200 : (int)len;
    if (n_colons == 0) {
        double x;
        if (grid_number(item, len, &x) != 0)
            return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                                   "\"%.*s\" is not a number; give start:stop:step such as "
                                   "0.05:1:0.05, or a list such as 0.1,0.25,0.5,1",
                                   shown, item);
        if (!(x > 0 && x <= 1))
            return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                                   "duty cycle %.*s is out of range; each must be above 0 and "
                                   "at most 1", shown, item);
        if (*n >= COMPARE_MAX_POINTS)
            return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                                   "more than %d duty cycles", COMPARE_MAX_POINTS);
        if (grid_push(v, n, cap, round12(x)) != 0)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return 0;
    }
    if (n_colons != 2)
        return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                               "\"%.*s\": a range is start:stop:step, such as 0.05:1:0.05",
                               shown, item);
    double start, stop, step;
    const char *end = item + len;
    if (grid_number(item, (size_t)(colon[0] - item), &start) != 0 ||
        grid_number(colon[0] + 1, (size_t)(colon[1] - colon[0] - 1), &stop) != 0 ||
        grid_number(colon[1] + 1, (size_t)(end - colon[1] - 1), &step) != 0)
        return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                               "\"%.*s\": start, stop and step must be numbers, such as "
                               "0.05:1:0.05", shown, item);
    if (!(start > 0 && start <= 1 && stop > 0 && stop <= 1))
        return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                               "\"%.*s\": start and stop must be above 0 and at most 1",
                               shown, item);
    if (!(step > 0))
        return slsim_error_set(err, NULL, 0, 0, GRID_KEY, "\"%.*s\": step must be above 0",
                               shown, item);
    if (stop < start)
        return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                               "\"%.*s\": stop is below start", shown, item);
    double span = (stop - start + COMPARE_GRID_EPS) / step;
    if (span >= COMPARE_MAX_POINTS || (double)*n + span + 1 > COMPARE_MAX_POINTS)
        return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                               "\"%.*s\" gives more than %d duty cycles; use a larger step",
                               shown, item, COMPARE_MAX_POINTS);
    size_t count = (size_t)floor(span) + 1;
    for (size_t k = 0; k < count; k++) {
        /* start + k step, not a running sum: no drift over many steps */
        double x = start + (double)k * step;
        if (x > stop + COMPARE_GRID_EPS)
            break;
        x = round12(x);
        if (x > stop)
            x = stop;
        if (grid_push(v, n, cap, x) != 0)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    return 0;
}

int compare_parse_grid(const char *text, double **out, size_t *n, struct slsim_error *err)
{
    *out = NULL;
    *n = 0;
    double *v = NULL;
    size_t len = 0, cap = 0;
    const char *p = text ? text : "";
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t ilen = comma ? (size_t)(comma - p) : strlen(p);
        size_t b = 0;
        while (b < ilen && (p[b] == ' ' || p[b] == '\t'))
            b++;
        if (b == ilen) {
            free(v);
            if (!comma && p == text)
                return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                                       "no duty cycles; give start:stop:step such as "
                                       "0.05:1:0.05, or a list such as 0.1,0.25,0.5,1");
            return slsim_error_set(err, NULL, 0, 0, GRID_KEY,
                                   "empty item in \"%.200s\" (two commas, or one at an end)",
                                   text);
        }
        if (grid_item(p, ilen, &v, &len, &cap, err) != 0) {
            free(v);
            return -1;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    qsort(v, len, sizeof *v, cmp_double);
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (k == 0 || v[i] != v[k - 1])
            v[k++] = v[i];
    *out = v;
    *n = k;
    return 0;
}

/* ---- break-even ---- */

int compare_interpolate(double x0, double a0, double b0, double x1, double a1, double b1,
                        double *x, double *cost)
{
    double f0 = a0 - b0, f1 = a1 - b1;
    if (isnan(f0) || isnan(f1) || (f0 == 0 && f1 == 0))
        return 0;
    if (f0 == 0) {
        *x = x0;
        *cost = a0;
        return 1;
    }
    if (f1 == 0) {
        *x = x1;
        *cost = a1;
        return 1;
    }
    if ((f0 < 0) == (f1 < 0))
        return 0;
    double t = f0 / (f0 - f1); /* in (0, 1): f0 and f1 have opposite signs */
    *x = x0 + t * (x1 - x0);
    *cost = a0 + t * (a1 - a0);
    return 1;
}

size_t compare_find_crossings(const double *x, const double *a, const double *b, size_t n,
                              struct compare_crossing *out, size_t max)
{
    size_t found = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double at, cost;
        if (!compare_interpolate(x[i], a[i], b[i], x[i + 1], a[i + 1], b[i + 1], &at, &cost))
            continue;
        double f0 = a[i] - b[i], f1 = a[i + 1] - b[i + 1];
        if (f0 == 0 && i > 0 && a[i - 1] - b[i - 1] != 0)
            continue; /* the end of interval i - 1, reported there */
        if (found < max)
            out[found] = (struct compare_crossing){
                .duty_cycle = at,
                .cost_usd_per_month = cost,
                .a_cheaper_below = f0 < 0 || (f0 == 0 && f1 > 0),
                .lo = i,
                .hi = i + 1,
            };
        found++;
    }
    return found;
}

/* ---- the sweep ---- */

int compare_check_scenario(const struct scenario *s, struct slsim_error *err)
{
    switch (s->workload.arrival) {
    case ARRIVAL_POISSON:
    case ARRIVAL_CONSTANT:
    case ARRIVAL_ONOFF:
        return 0;
    case ARRIVAL_DIURNAL:
        break;
    case ARRIVAL_TRACE:
        return scenario_error_at(s, "workload.arrival", err,
                               "compare varies the duty cycle of an on/off pattern; a trace "
                               "brings its own arrivals (use run, or time_scale and rate_scale)");
    }
    return scenario_error_at(s, "workload.arrival", err,
                           "compare varies the duty cycle of an on/off pattern; a %s workload "
                           "has no duty cycle to vary. Make it on/off (rate then means the "
                           "rate while on), e.g. --set workload.arrival=onoff --set "
                           "workload.duty_cycle=1 --set workload.peak_to_mean=",
                           scenario_arrival_name(s->workload.arrival));
}

sim_time compare_period_ns(const struct scenario *s)
{
    if (s->workload.arrival == ARRIVAL_ONOFF && s->workload.period_ns > 0)
        return s->workload.period_ns;
    return COMPARE_DEFAULT_PERIOD_NS;
}

struct sweep {
    const struct scenario *s;
    const double *duty;
    size_t n;
    unsigned inner_jobs;             /* threads for one point's deployments */
    struct compare_point *points;
    struct compare_deployment *deps; /* platform names, filled by point 0 */
    int *rcs;
    struct slsim_error *errs;
    atomic_size_t next;
    run_progress_fn progress;   /* NULL: no reports */
    void *progress_ctx;
};

/* One point's runs report into slots k * per .. (k + 1) * per - 1 of the sweep's. */
struct point_progress {
    const struct sweep *sw;
    size_t base;
};

static void point_progress_report(void *ctx, size_t slot, double fraction, uint64_t requests)
{
    const struct point_progress *pp = ctx;
    pp->sw->progress(pp->sw->progress_ctx, pp->base + slot, fraction, requests);
}

/* The scenario at one duty cycle: a shallow copy that borrows what s owns and is
 * never destroyed (its deployments are s's own). */
static struct scenario compare_point_scenario(const struct scenario *s, double duty_cycle)
{
    struct scenario p = *s;
    p.workload.arrival = ARRIVAL_ONOFF;
    p.workload.duty_cycle = duty_cycle;
    p.workload.period_ns = compare_period_ns(s);
    return p;
}

/* Every point's expected arrivals within the scenario loader's limit: the file was
 * checked at its own duty cycle, and a point of the grid (or the always-on run that
 * sizes a `count: auto` fleet) may ask for far more. */
static int check_volume(const struct scenario *s, const double *duty, size_t n,
                        struct slsim_error *err)
{
    int sizing = 0;
    for (size_t d = 0; d < s->n_deployments; d++)
        sizing |= s->deployments[d].type != DEPLOYMENT_SERVERLESS &&
                  deployment_fleet(&s->deployments[d])->count == 0;
    for (size_t k = 0; k <= n; k++) {
        if (k == n && !sizing)
            break;
        double x = k < n ? duty[k] : 1.0;
        struct scenario p = compare_point_scenario(s, x);
        double draws = workload_expected_draws(&p.workload, s->duration_ns);
        if (draws > SCENARIO_MAX_EVENTS)
            return scenario_error_at(s, "workload.rate", err,
                                     "rate %g/s at duty cycle %g%s is %.3g expected arrivals "
                                     "per replication, above the limit of %g: lower the rate, "
                                     "the duration or the duty cycles",
                                     s->workload.rate_per_s, x,
                                     k < n ? " (--duty-cycles)"
                                           : " (the always-on run that sizes count: auto)",
                                     draws, SCENARIO_MAX_EVENTS);
    }
    return 0;
}

int compare_size_fleets(struct scenario *s, struct slsim_error *err)
{
    struct scenario always_on = compare_point_scenario(s, 1.0);
    return sizing_resolve(&always_on, err); /* fills s's own fleets */
}

static int run_point(struct sweep *sw, size_t k)
{
    const struct scenario *s = sw->s;
    struct scenario p = compare_point_scenario(s, sw->duty[k]);
    struct point_progress pp = {sw, k * s->n_deployments * s->replications};
    struct run_options opt = {.timeline_step_ns = 0,
                              .jobs = sw->inner_jobs,
                              .progress = sw->progress ? point_progress_report : NULL,
                              .progress_ctx = &pp};
    struct run_output out;
    if (run_scenario(&p, &opt, &out, &sw->errs[k]) != 0)
        return -1;
    struct compare_point *pt = &sw->points[k];
    pt->duty_cycle = sw->duty[k];
    for (size_t d = 0; d < s->n_deployments; d++) {
        struct report_field f[REPORT_MAX_FIELDS];
        size_t nf = report_fields(&p, &out, d, f);
        pt->cells[d] = (struct compare_cell){
            .cost_usd_per_month = report_field_value(f, nf, "cost_usd.per_month"),
            .cost_usd_per_million_requests = report_field_value(f, nf, "cost_usd.per_million_requests"),
            .latency_ms_p50 = report_field_value(f, nf, "latency_ms.p50"),
            .latency_ms_p95 = report_field_value(f, nf, "latency_ms.p95"),
            .latency_ms_p99 = report_field_value(f, nf, "latency_ms.p99"),
            .cold_start_ratio = report_field_value(f, nf, "cold_start_ratio"),
            .utilization = report_field_value(f, nf, "utilization"),
            /* with replications the field is the share that met it */
            .slo_met = report_field_value(f, nf, "slo_met") >= 1.0,
            .coldstart_mean_s = report_field_value(f, nf, "coldstart.mean_s"),
        };
        if (k == 0) {
            const struct deployment_result *res = &out.results[d];
            snprintf(sw->deps[d].platform, sizeof sw->deps[d].platform, "%s", res->platform);
            snprintf(sw->deps[d].coldstart_profile, sizeof sw->deps[d].coldstart_profile, "%s",
                     res->coldstart_profile[0] ? res->coldstart_profile : "none");
            snprintf(sw->deps[d].coldstart_assumed, sizeof sw->deps[d].coldstart_assumed, "%s",
                     res->coldstart_assumed[0] ? res->coldstart_assumed : "none");
        }
    }
    run_output_free(&out);
    return 0;
}

static void *sweep_worker(void *arg)
{
    struct sweep *sw = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&sw->next, 1);
        if (i >= sw->n)
            return NULL;
        /* Highest duty cycle first: the longest runs start first and the short
         * ones fill the gaps, so no thread is left with a long one at the end. */
        size_t k = sw->n - 1 - i;
        sw->rcs[k] = run_point(sw, k);
    }
}

/* Pairs compared: serverless against dedicated or hybrid, hybrid against dedicated. */
static int is_pair(enum deployment_type a, enum deployment_type b)
{
    return (a == DEPLOYMENT_SERVERLESS && b != DEPLOYMENT_SERVERLESS) ||
           (a == DEPLOYMENT_HYBRID && b == DEPLOYMENT_DEDICATED);
}

static int find_break_evens(struct compare_result *r)
{
    size_t n = r->n_points, cap = 0;
    double *x = malloc(n * sizeof *x), *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    struct compare_crossing *cr = malloc(n * sizeof *cr);
    int rc = 0;
    if (!x || !a || !b || !cr) {
        rc = -1;
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        x[k] = r->points[k].duty_cycle;
    for (size_t i = 0; i < r->n_deployments; i++)
        for (size_t j = 0; j < r->n_deployments; j++) {
            if (!is_pair(r->deployments[i].type, r->deployments[j].type))
                continue;
            for (size_t k = 0; k < n; k++) {
                a[k] = r->points[k].cells[i].cost_usd_per_month;
                b[k] = r->points[k].cells[j].cost_usd_per_month;
            }
            size_t m = compare_find_crossings(x, a, b, n, cr, n); /* at most n - 1 */
            for (size_t c = 0; c < m; c++) {
                if (r->n_break_even == cap) {
                    size_t nc = cap ? 2 * cap : 8;
                    struct compare_break_even *nb =
                        realloc(r->break_even, nc * sizeof *nb);
                    if (!nb) {
                        rc = -1;
                        goto done;
                    }
                    r->break_even = nb;
                    cap = nc;
                }
                r->break_even[r->n_break_even++] = (struct compare_break_even){
                    .a = i,
                    .b = j,
                    .duty_cycle = cr[c].duty_cycle,
                    .cost_usd_per_month = cr[c].cost_usd_per_month,
                    .below = cr[c].a_cheaper_below ? i : j,
                    .between = {x[cr[c].lo], x[cr[c].hi]},
                };
            }
        }
done:
    free(x);
    free(a);
    free(b);
    free(cr);
    return rc;
}

void compare_result_free(struct compare_result *r)
{
    if (r->points)
        for (size_t k = 0; k < r->n_points; k++)
            free(r->points[k].cells);
    free(r->points);
    free(r->deployments);
    free(r->break_even);
    memset(r, 0, sizeof *r);
}

int compare_run(struct scenario *s, const double *duty_cycles, size_t n, unsigned jobs,
                struct compare_result *out, struct slsim_error *err)
{
    return compare_run_progress(s, duty_cycles, n, jobs, NULL, NULL, out, err);
}

int compare_run_progress(struct scenario *s, const double *duty_cycles, size_t n,
                         unsigned jobs, run_progress_fn progress, void *progress_ctx,
                         struct compare_result *out, struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return slsim_error_set(err, NULL, 0, 0, GRID_KEY, "no duty cycles");
    if (compare_check_scenario(s, err) != 0 || check_volume(s, duty_cycles, n, err) != 0)
        return -1;
    if (compare_size_fleets(s, err) != 0)
        return -1;
    size_t nd = s->n_deployments;
    out->rate_per_s = s->workload.rate_per_s;
    out->period_ns = compare_period_ns(s);
    out->n_deployments = nd;
    out->n_points = n;
    out->deployments = calloc(nd, sizeof *out->deployments);
    out->points = calloc(n, sizeof *out->points);
    struct sweep sw = {.s = s, .duty = duty_cycles, .n = n, .points = out->points,
                       .deps = out->deployments, .progress = progress,
                       .progress_ctx = progress_ctx};
    sw.rcs = calloc(n, sizeof *sw.rcs);
    sw.errs = calloc(n, sizeof *sw.errs);
    int rc = -1;
    if (!out->deployments || !out->points || !sw.rcs || !sw.errs)
        goto oom;
    for (size_t k = 0; k < n; k++)
        if (!(out->points[k].cells = calloc(nd, sizeof *out->points[k].cells)))
            goto oom;
    for (size_t d = 0; d < nd; d++) {
        const struct deployment_spec *spec = &s->deployments[d];
        struct compare_deployment *cd = &out->deployments[d];
        snprintf(cd->name, sizeof cd->name, "%s", spec->name);
        cd->type = spec->type;
        cd->type_name = deployment_type_name(spec->type);
        const struct fleet_spec *fleet = deployment_fleet(spec);
        if (fleet) {
            cd->count = fleet->count;
            cd->count_auto = fleet->count_auto;
            cd->count_auto_peak_rate_per_s = fleet->count_auto_peak_rate_per_s;
        }
    }

    unsigned all = jobs ? jobs : 1;
    unsigned outer = all < n ? all : (unsigned)n;
    sw.inner_jobs = all / outer;
    atomic_init(&sw.next, 0);
    pthread_t *th = calloc(outer, sizeof *th);
    unsigned started = 0;
    if (th)
        for (; started + 1 < outer; started++)
            if (pthread_create(&th[started], NULL, sweep_worker, &sw) != 0)
                break;
    sweep_worker(&sw); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    for (size_t k = 0; k < n; k++)
        if (sw.rcs[k] != 0) {
            *err = sw.errs[k];
            goto fail;
        }

    for (size_t k = 0; k < n; k++) {
        struct compare_point *pt = &out->points[k];
        struct report_candidate *cand = calloc(nd, sizeof *cand);
        if (!cand)
            goto oom;
        for (size_t d = 0; d < nd; d++)
            cand[d] = (struct report_candidate){out->deployments[d].name,
                                                pt->cells[d].cost_usd_per_month,
                                                pt->cells[d].latency_ms_p99, pt->cells[d].slo_met};
        size_t best = report_cheapest(cand, nd);
        free(cand);
        pt->cheapest = best == REPORT_NONE ? COMPARE_NONE : best;
    }
    for (size_t d = 0; d < nd; d++) {
        out->deployments[d].slo_never_met = s->slo.percentile > 0;
        for (size_t k = 0; k < n; k++)
            if (out->points[k].cells[d].slo_met)
                out->deployments[d].slo_never_met = 0;
    }
    if (find_break_evens(out) != 0)
        goto oom;
    rc = 0;
    goto done;
oom:
    slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
fail:
    compare_result_free(out);
done:
    free(sw.rcs);
    free(sw.errs);
    return rc;
}

/* ---- reports ---- */

static void fmt_ms(char *b, size_t n, double ms)
{
    if (ms >= 100)
        snprintf(b, n, "%.0f", ms);
    else if (ms >= 10)
        snprintf(b, n, "%.1f", ms);
    else
        snprintf(b, n, "%.2f", ms);
}

static void fmt_usd(char *b, size_t n, double usd)
{
    snprintf(b, n, usd >= 1000 ? "%.0f" : "%.2f", usd);
}

static const char *cheapest_name(const struct compare_result *r, const struct compare_point *pt)
{
    return pt->cheapest == COMPARE_NONE ? "none" : r->deployments[pt->cheapest].name;
}

/* "lambda (serverless, aws-lambda)", "vm (dedicated, 2 x c6i.xlarge, count: auto sized
 * for a peak of 20/s)", "mixed (hybrid, 1 x c6i.xlarge, overflow to aws-lambda)" */
static void describe_deployment(FILE *fp, const struct scenario *s,
                                const struct compare_result *r, size_t d)
{
    const struct compare_deployment *cd = &r->deployments[d];
    const struct deployment_spec *spec = &s->deployments[d];
    fprintf(fp, "%s (%s, ", cd->name, cd->type_name);
    switch (cd->type) {
    case DEPLOYMENT_SERVERLESS:
        fprintf(fp, "%s)", cd->platform);
        break;
    case DEPLOYMENT_DEDICATED:
        fprintf(fp, "%u x %s%s", cd->count, spec->dedicated.instance,
                cd->count_auto ? ", count: auto sized for a peak of " : ")");
        if (cd->count_auto)
            fprintf(fp, "%g/s)", cd->count_auto_peak_rate_per_s);
        break;
    case DEPLOYMENT_HYBRID:
        fprintf(fp, "%u x %s, overflow to %s)", cd->count, spec->hybrid.base.instance,
                spec->hybrid.overflow.platform);
        break;
    }
}

static void write_header(FILE *fp, int md, const struct scenario *s,
                         const struct compare_result *r)
{
    char period[32], dur[32], warm[32], slo[32];
    units_format_duration(r->period_ns, period, sizeof period);
    units_format_duration(s->duration_ns, dur, sizeof dur);
    units_format_duration(s->warmup_ns, warm, sizeof warm);
    const char *li = md ? "- " : "";
    fprintf(fp, "%s%s: %s, %g requests/s while on, on/off period %s, duty cycle %g to %g "
                "(%zu point%s)%s\n",
            md ? "**" : "", s->name, s->model.name, r->rate_per_s, period,
            r->points[0].duty_cycle, r->points[r->n_points - 1].duty_cycle, r->n_points,
            r->n_points > 1 ? "s" : "", md ? "**" : "");
    if (md)
        fputc('\n', fp);
    if (s->workload.arrival != ARRIVAL_ONOFF)
        fprintf(fp, "%sthe scenario's %s arrivals become on/off: Poisson at %g/s for the first "
                    "duty cycle of every %s, none after\n",
                li, scenario_arrival_name(s->workload.arrival), r->rate_per_s, period);
    fprintf(fp, "%ssimulated %s", li, dur);
    if (s->warmup_ns > 0)
        fprintf(fp, " (the first %s is warm-up, not measured)", warm);
    fprintf(fp, " at each duty cycle, seed %llu, %u replication%s", (unsigned long long)s->seed,
            s->replications, s->replications > 1 ? "s (means shown)" : "");
    if (s->slo.percentile > 0) {
        units_format_duration(s->slo.latency_ns, slo, sizeof slo);
        fprintf(fp, "; SLO: %g%% of requests within %s", s->slo.percentile, slo);
    }
    fprintf(fp, "\n%s", li);
    report_text_pricing(fp, s);
    fputc('\n', fp);
    fprintf(fp, "%sdeployments: ", li);
    for (size_t d = 0; d < r->n_deployments; d++) {
        if (d)
            fputs("; ", fp);
        describe_deployment(fp, s, r, d);
    }
    fputc('\n', fp);
    /* The cold-start model behind each deployment's numbers (its mean varies with the
     * duty cycle: the CSV and JSON have it per point). */
    fprintf(fp, "%scold starts: ", li);
    for (size_t d = 0; d < r->n_deployments; d++) {
        const struct compare_deployment *cd = &r->deployments[d];
        fprintf(fp, "%s%s: profile %s", d ? "; " : "", cd->name, cd->coldstart_profile);
        if (strcmp(cd->coldstart_assumed, "none") != 0)
            fprintf(fp, " (assumed: %s)", cd->coldstart_assumed);
    }
    fputs("\n\n", fp);
}

/* End a break-even line: a deployment that misses the SLO at every duty cycle is
 * no option, and a cost crossing with it says nothing about what to choose. */
static void note_never_met(FILE *fp, const struct compare_result *r, size_t i, size_t j)
{
    int ni = r->deployments[i].slo_never_met, nj = r->deployments[j].slo_never_met;
    if (ni && nj)
        fprintf(fp, " (neither %s nor %s meets the SLO at any duty cycle)", r->deployments[i].name,
                r->deployments[j].name);
    else if (ni || nj)
        fprintf(fp, " (%s never meets the SLO)", r->deployments[ni ? i : j].name);
    fputc('\n', fp);
}

/* "lambda vs vm: break-even at ...", and for pairs that never cross, which side
 * is cheaper throughout. */
static void write_break_evens(FILE *fp, int md, const struct compare_result *r)
{
    const char *li = md ? "- " : "";
    int pairs = 0;
    for (size_t i = 0; i < r->n_deployments; i++)
        for (size_t j = 0; j < r->n_deployments; j++) {
            if (!is_pair(r->deployments[i].type, r->deployments[j].type))
                continue;
            pairs++;
            const char *an = r->deployments[i].name, *bn = r->deployments[j].name;
            int any = 0;
            for (size_t e = 0; e < r->n_break_even; e++) {
                const struct compare_break_even *be = &r->break_even[e];
                if (be->a != i || be->b != j)
                    continue;
                char cost[32];
                fmt_usd(cost, sizeof cost, be->cost_usd_per_month);
                fprintf(fp, "%s%s vs %s: break-even at duty cycle %.3f (cost $%s/month; "
                            "between %g and %g); %s cheaper below",
                        li, an, bn, be->duty_cycle, cost, be->between[0], be->between[1],
                        r->deployments[be->below].name);
                note_never_met(fp, r, i, j);
                any = 1;
            }
            if (any)
                continue;
            size_t a_cheaper = 0, b_cheaper = 0;
            for (size_t k = 0; k < r->n_points; k++) {
                double f = r->points[k].cells[i].cost_usd_per_month -
                           r->points[k].cells[j].cost_usd_per_month;
                a_cheaper += f < 0;
                b_cheaper += f > 0;
            }
            const char *who = a_cheaper ? an : b_cheaper ? bn : NULL;
            if (who)
                fprintf(fp, "%s%s vs %s: no break-even from %g to %g; %s cheaper throughout", li,
                        an, bn, r->points[0].duty_cycle, r->points[r->n_points - 1].duty_cycle,
                        who);
            else
                fprintf(fp, "%s%s vs %s: the same cost at every duty cycle", li, an, bn);
            note_never_met(fp, r, i, j);
        }
    if (!pairs)
        fprintf(fp, "%sno break-even to look for: that needs a serverless deployment beside a "
                    "dedicated or hybrid one, or a hybrid beside a dedicated one\n",
                li);
}

enum { CELL = SLSIM_NAME_MAX + 16 }; /* a name and " cost/month" */

static int write_table(FILE *fp, int md, const struct scenario *s, const struct compare_result *r)
{
    size_t nd = r->n_deployments, np = r->n_points;
    size_t ncols = 2 + 2 * nd; /* duty cycle, (cost, p99) per deployment, cheapest */
    char(*cell)[CELL] = calloc((np + 1) * ncols, sizeof *cell);
    char *missed = calloc(np * nd + 1, 1);
    size_t *width = calloc(ncols, sizeof *width);
    if (!cell || !missed || !width) {
        free(cell);
        free(missed);
        free(width);
        return -1;
    }
#define CELLAT(row, col) cell[(size_t)(row) * ncols + (col)]
    snprintf(CELLAT(0, 0), CELL, "duty cycle");
    for (size_t d = 0; d < nd; d++) {
        if (md) {
            snprintf(CELLAT(0, 1 + 2 * d), CELL, "%s cost/month", r->deployments[d].name);
            snprintf(CELLAT(0, 2 + 2 * d), CELL, "%s p99 ms", r->deployments[d].name);
        } else {
            snprintf(CELLAT(0, 1 + 2 * d), CELL, "cost/month");
            snprintf(CELLAT(0, 2 + 2 * d), CELL, "p99 ms");
        }
    }
    snprintf(CELLAT(0, ncols - 1), CELL, "cheapest meeting SLO");
    int any_missed = 0;
    for (size_t k = 0; k < np; k++) {
        const struct compare_point *pt = &r->points[k];
        snprintf(CELLAT(k + 1, 0), CELL, "%g", pt->duty_cycle);
        for (size_t d = 0; d < nd; d++) {
            fmt_usd(CELLAT(k + 1, 1 + 2 * d), CELL, pt->cells[d].cost_usd_per_month);
            fmt_ms(CELLAT(k + 1, 2 + 2 * d), CELL, pt->cells[d].latency_ms_p99);
            missed[k * nd + d] = s->slo.percentile > 0 && !pt->cells[d].slo_met;
            any_missed |= missed[k * nd + d];
        }
        snprintf(CELLAT(k + 1, ncols - 1), CELL, "%s", cheapest_name(r, pt));
    }
    for (size_t c = 0; c < ncols; c++)
        for (size_t row = 0; row <= np; row++)
            if (strlen(CELLAT(row, c)) > width[c])
                width[c] = strlen(CELLAT(row, c));

    write_header(fp, md, s, r);
    if (md) {
        fputc('|', fp);
        for (size_t c = 0; c < ncols; c++)
            fprintf(fp, " %s |", CELLAT(0, c));
        fputs("\n|", fp);
        for (size_t c = 0; c < ncols; c++)
            fputs(c + 1 < ncols ? "---:|" : "---|", fp);
        fputc('\n', fp);
        for (size_t k = 0; k < np; k++) {
            fputc('|', fp);
            for (size_t c = 0; c < ncols; c++) {
                int mark = c > 0 && c + 1 < ncols && c % 2 == 0 && missed[k * nd + (c - 2) / 2];
                fprintf(fp, " %s%s |", CELLAT(k + 1, c), mark ? " !" : "");
            }
            fputc('\n', fp);
        }
    } else {
        /* Names over their two columns; a long name widens its cost column. */
        for (size_t d = 0; d < nd; d++) {
            size_t span = width[1 + 2 * d] + 2 + width[2 + 2 * d] + 1;
            size_t len = strlen(r->deployments[d].name);
            if (len > span)
                width[1 + 2 * d] += len - span;
        }
        fprintf(fp, "%*s", (int)width[0], "");
        for (size_t d = 0; d < nd; d++)
            fprintf(fp, "  %*s", (int)(width[1 + 2 * d] + 2 + width[2 + 2 * d] + 1),
                    r->deployments[d].name);
        fputc('\n', fp);
        for (size_t row = 0; row <= np; row++) {
            for (size_t c = 0; c < ncols; c++) {
                if (c + 1 == ncols) {
                    fprintf(fp, "  %s\n", CELLAT(row, c));
                    continue;
                }
                fprintf(fp, "%s%*s", c ? "  " : "", (int)width[c], CELLAT(row, c));
                if (c > 0 && c % 2 == 0) /* the mark after the number keeps numbers aligned */
                    fputc(row > 0 && missed[(row - 1) * nd + (c - 2) / 2] ? '!' : ' ', fp);
            }
        }
    }
    fputc('\n', fp);
    write_break_evens(fp, md, r);
    fputc('\n', fp);
    const char *li = md ? "- " : "";
    fprintf(fp, "%scost/month: USD per 730-hour month at that duty cycle. p99 ms: 99th "
                "percentile latency of served requests%s\n",
            li, any_missed ? "; !: the SLO was missed at that duty cycle" : "");
    fprintf(fp, "%sbreak-even: where two monthly costs meet, interpolating linearly between the "
                "bracketing duty cycles.\n",
            li);
#undef CELLAT
    free(cell);
    free(missed);
    free(width);
    return ferror(fp) ? -1 : 0;
}

/* Quote a text cell when it holds a comma, quote or newline (RFC 4180). */
static void csv_text(FILE *fp, const char *t)
{
    if (!strpbrk(t, ",\"\n\r")) {
        fputs(t, fp);
        return;
    }
    fputc('"', fp);
    for (const char *c = t; *c; c++) {
        if (*c == '"')
            fputc('"', fp);
        fputc(*c, fp);
    }
    fputc('"', fp);
}

static int write_csv(FILE *fp, const struct scenario *s, const struct compare_result *r)
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
            csv_text(fp, s->pricing);
            fprintf(fp, ",%s,", s->catalog ? s->catalog->as_of : "");
            csv_text(fp, cd->name);
            fprintf(fp, ",%s,", cd->type_name);
            csv_text(fp, cd->platform);
            fprintf(fp, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%d,", c->cost_usd_per_month,
                    c->cost_usd_per_million_requests, c->latency_ms_p50, c->latency_ms_p95,
                    c->latency_ms_p99, c->cold_start_ratio, c->utilization, c->slo_met);
            csv_text(fp, cheapest_name(r, pt));
            fputc(',', fp);
            csv_text(fp, cd->coldstart_profile);
            fputc(',', fp);
            csv_text(fp, cd->coldstart_assumed);
            fprintf(fp, ",%.10g,%d\n", c->coldstart_mean_s, cd->slo_never_met);
        }
    }
    return ferror(fp) ? -1 : 0;
}

static cJSON *json_result(const struct scenario *s, const struct compare_result *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "slsim_version", SLSIM_VERSION);
    cJSON_AddStringToObject(root, "scenario", s->name);
    cJSON_AddStringToObject(root, "model", s->model.name);
    cJSON_AddNumberToObject(root, "seed", (double)s->seed);
    cJSON_AddStringToObject(root, "arrival", scenario_arrival_name(s->workload.arrival));
    cJSON_AddNumberToObject(root, "rate_per_s", r->rate_per_s);
    cJSON_AddNumberToObject(root, "period_s", (double)r->period_ns / 1e9);
    cJSON_AddNumberToObject(root, "simulated_s", (double)s->duration_ns / 1e9);
    cJSON_AddNumberToObject(root, "warmup_s", (double)s->warmup_ns / 1e9);
    cJSON_AddNumberToObject(root, "replications", s->replications);
    report_json_pricing(root, s);
    if (s->slo.percentile > 0) {
        cJSON *slo = cJSON_AddObjectToObject(root, "slo");
        cJSON_AddNumberToObject(slo, "percentile", s->slo.percentile);
        cJSON_AddNumberToObject(slo, "latency_ms", (double)s->slo.latency_ns / 1e6);
    }
    cJSON *deps = cJSON_AddArrayToObject(root, "deployments");
    for (size_t d = 0; d < r->n_deployments; d++) {
        const struct compare_deployment *cd = &r->deployments[d];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(deps, o);
        cJSON_AddStringToObject(o, "name", cd->name);
        cJSON_AddStringToObject(o, "type", cd->type_name);
        cJSON_AddStringToObject(o, "platform", cd->platform);
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
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToArray(pd, o);
            cJSON_AddStringToObject(o, "name", cd->name);
            cJSON_AddStringToObject(o, "type", cd->type_name);
            cJSON_AddStringToObject(o, "platform", cd->platform);
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

static int write_json(FILE *fp, const struct scenario *s, const struct compare_result *r)
{
    return report_json_emit(fp, json_result(s, r));
}

int compare_write(FILE *fp, enum report_format fmt, const struct scenario *s,
                  const struct compare_result *r)
{
    switch (fmt) {
    case REPORT_TEXT:
        return write_table(fp, 0, s, r);
    case REPORT_MD:
        return write_table(fp, 1, s, r);
    case REPORT_CSV:
        return write_csv(fp, s, r);
    case REPORT_JSON:
        return write_json(fp, s, r);
    }
    return -1;
}
