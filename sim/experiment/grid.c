/* grid.c - the grid of duty cycles `compare` sweeps, parsed from --duty-cycles. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/compare.h"
#include "slsim/containers.h"

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
    if (*n == *cap && vec_grow((void **)v, cap, sizeof **v, 32) != 0)
        return -1;
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
