/* compare_table.c - the report of a duty-cycle sweep people read (text and
 * Markdown): what was swept, a row per duty cycle with each deployment's monthly
 * cost and p99, the cheapest meeting the SLO, then the break-evens. */
#include <stdlib.h>
#include <string.h>

#include "slsim/slo_config.h"
#include "writers.h"

static void fmt_usd(char *b, size_t n, double usd)
{
    snprintf(b, n, usd >= 1000 ? "%.0f" : "%.2f", usd);
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
    char period[32], dur[32], warm[32];
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
    report_slo_text(fp, &s->slo);
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
            if (!compare_is_pair(r->deployments[i].type, r->deployments[j].type))
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

int report_compare_table(FILE *fp, int md, const struct scenario *s, const struct compare_result *r)
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
            report_fmt_ms(CELLAT(k + 1, 2 + 2 * d), CELL, pt->cells[d].latency_ms_p99);
            missed[k * nd + d] = slo_spec_any(&s->slo) && !pt->cells[d].slo_met;
            any_missed |= missed[k * nd + d];
        }
        snprintf(CELLAT(k + 1, ncols - 1), CELL, "%s", report_compare_cheapest(r, pt));
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
