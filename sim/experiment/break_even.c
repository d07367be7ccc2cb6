/* break_even.c - where two cost curves over the duty-cycle grid cross.
 *
 * The cost of a deployment is taken as linear in the duty cycle between two grid
 * points; a finer grid narrows the bracket a break-even is reported with. */
#include <math.h>
#include <stdlib.h>

#include "compare_internal.h"
#include "slsim/containers.h"

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

int compare_is_pair(enum deployment_type a, enum deployment_type b)
{
    return (a == DEPLOYMENT_SERVERLESS && b != DEPLOYMENT_SERVERLESS) ||
           (a == DEPLOYMENT_HYBRID && b == DEPLOYMENT_DEDICATED);
}

int compare_find_break_evens(struct compare_result *r)
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
            if (!compare_is_pair(r->deployments[i].type, r->deployments[j].type))
                continue;
            for (size_t k = 0; k < n; k++) {
                a[k] = r->points[k].cells[i].cost_usd_per_month;
                b[k] = r->points[k].cells[j].cost_usd_per_month;
            }
            size_t m = compare_find_crossings(x, a, b, n, cr, n); /* at most n - 1 */
            for (size_t c = 0; c < m; c++) {
                if (r->n_break_even == cap &&
                    vec_grow((void **)&r->break_even, &cap, sizeof *r->break_even, 8) != 0) {
                    rc = -1;
                    goto done;
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
