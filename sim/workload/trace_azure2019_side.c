/* trace_azure2019_side.c - the side files of the Azure Functions 2019 trace: per
 * function duration percentiles, and memory per app or per function (see
 * trace_azure2019.c for what they mean and how the replay uses them).
 *
 * In the side files the first row of a function wins; rows of functions the
 * invocations file does not have are ignored. */
#include <stdlib.h>
#include <string.h>

#include "slsim/containers.h"
#include "trace_azure2019.h"

static const char *const pct_names[] = {"percentile_Average_0",  "percentile_Average_1",
                                        "percentile_Average_25", "percentile_Average_50",
                                        "percentile_Average_75", "percentile_Average_99",
                                        "percentile_Average_100"};
static const double pct_points[] = {0, 1, 25, 50, 75, 99, 100};
#define N_PCT (sizeof pct_points / sizeof pct_points[0])

/* A number >= 0 (durations, memory). */
static enum row_rc non_negative(const struct csv_reader *r, size_t i, const char *what,
                                double *out, struct slsim_error *err)
{
    if (csv_double(r, i, what, out, err))
        return ROW_BAD;
    if (*out < 0)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                               "%s must be >= 0, got %s", what, r->field[i]);
    return ROW_OK;
}

static int need_column(const struct csv_reader *r, const char *name, const char *kind, int *out,
                       struct slsim_error *err)
{
    *out = csv_find(r, name);
    if (*out < 0)
        return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL,
                               "the %s file's header has no %s column", kind, name);
    return 0;
}

static enum row_rc read_duration_row(struct a19 *a, const struct csv_reader *r, size_t n,
                                     int app_i, int fn_i, const int *pct_i, struct slsim_error *err)
{
    const char *app = NULL, *fn = NULL;
    enum row_rc rc;
    double v[N_PCT];
    if ((rc = trace_row_width(r, n, err)) || (rc = a19_id_field(r, app_i, "HashApp", &app, err)) ||
        (rc = a19_id_field(r, fn_i, "HashFunction", &fn, err)))
        return rc;
    for (size_t i = 0; i < N_PCT; i++) {
        if ((rc = non_negative(r, (size_t)pct_i[i], pct_names[i], &v[i], err)))
            return rc;
        v[i] = v[i] == 0 ? 1e-3 : v[i] / 1e3; /* ms; 0 is "under 1 ms" (see the top) */
        if (i > 0 && v[i] < v[i - 1])
            v[i] = v[i - 1];
    }
    const char *key = a19_join_key(a, app, fn);
    if (!key)
        return a19_nomem(r, err);
    uint32_t k = name_index_find(&a->key_ix, key);
    if (k == NAME_NONE || a->keys[k].has_duration)
        return ROW_OK;
    char why[200];
    if (dist_empirical_percentiles(&a->keys[k].duration, pct_points, v, N_PCT, why, sizeof why))
        return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL, "%s", why);
    a->keys[k].has_duration = 1;
    return ROW_OK;
}

int a19_read_durations(struct a19 *a, const char *path, struct slsim_error *err)
{
    struct csv_reader r;
    int app_i = -1, fn_i = -1, pct_i[N_PCT] = {0};
    if (csv_open(&r, path, err))
        return -1;
    int rc = csv_next(&r, err);
    if (rc == 0)
        rc = slsim_error_set(err, path, 0, 0, NULL,
                             "empty durations file: expected a header HashOwner,HashApp,"
                             "HashFunction,Average,...,percentile_Average_100");
    if (rc > 0) {
        rc = need_column(&r, "HashApp", "durations", &app_i, err) ||
                     need_column(&r, "HashFunction", "durations", &fn_i, err)
                 ? -1
                 : 0;
        for (size_t i = 0; rc == 0 && i < N_PCT; i++)
            rc = need_column(&r, pct_names[i], "durations", &pct_i[i], err);
    }
    size_t n = r.n;
    while (rc == 0 && (rc = csv_next(&r, err)) > 0)
        rc = a19_row_outcome(a, read_duration_row(a, &r, n, app_i, fn_i, pct_i, err));
    csv_close(&r);
    return rc;
}

static uint32_t whole_mb(double mb)
{
    if (mb >= 4294967295.0)
        return UINT32_MAX;
    uint32_t m = (uint32_t)(mb + 0.5);
    return m ? m : 1;
}

/* Per-app memory rows are kept here until the file is read: the apps' names and values. */
struct app_memory {
    char **name;
    uint32_t *mb;
    size_t n, cap_name, cap_mb;
    struct name_index ix;
};

static enum row_rc read_memory_row(struct a19 *a, const struct csv_reader *r, size_t n,
                                   int app_i, int fn_i, int mem_i, struct app_memory *am,
                                   struct slsim_error *err)
{
    const char *app = NULL, *fn = NULL;
    double mb;
    enum row_rc rc;
    if ((rc = trace_row_width(r, n, err)) || (rc = a19_id_field(r, app_i, "HashApp", &app, err)) ||
        (fn_i >= 0 && (rc = a19_id_field(r, fn_i, "HashFunction", &fn, err))) ||
        (rc = non_negative(r, (size_t)mem_i, "AverageAllocatedMb", &mb, err)))
        return rc;
    if (fn) {
        const char *key = a19_join_key(a, app, fn);
        if (!key)
            return a19_nomem(r, err);
        uint32_t k = name_index_find(&a->key_ix, key);
        if (k != NAME_NONE && a->keys[k].memory_mb == 0)
            a->keys[k].memory_mb = whole_mb(mb);
        return ROW_OK;
    }
    if (name_index_find(&am->ix, app) != NAME_NONE)
        return ROW_OK;
    if ((am->n == am->cap_name &&
         vec_grow((void **)&am->name, &am->cap_name, sizeof *am->name, 64)) ||
        (am->n == am->cap_mb && vec_grow((void **)&am->mb, &am->cap_mb, sizeof *am->mb, 64)))
        return a19_nomem(r, err);
    am->name[am->n] = strdup(app);
    if (!am->name[am->n] || name_index_add(&am->ix, am->name[am->n], (uint32_t)am->n)) {
        free(am->name[am->n]);
        return a19_nomem(r, err);
    }
    am->mb[am->n++] = whole_mb(mb);
    return ROW_OK;
}

int a19_read_memory(struct a19 *a, const char *path, struct slsim_error *err)
{
    struct csv_reader r;
    struct app_memory am;
    int app_i = -1, fn_i = -1, mem_i = -1;
    memset(&am, 0, sizeof am);
    if (csv_open(&r, path, err))
        return -1;
    int rc = csv_next(&r, err);
    if (rc == 0)
        rc = slsim_error_set(err, path, 0, 0, NULL,
                             "empty memory file: expected a header HashOwner,HashApp,"
                             "SampleCount,AverageAllocatedMb,...");
    if (rc > 0) {
        rc = need_column(&r, "HashApp", "memory", &app_i, err) ||
                     need_column(&r, "AverageAllocatedMb", "memory", &mem_i, err)
                 ? -1
                 : 0;
        fn_i = csv_find(&r, "HashFunction"); /* present: per function (InVitro sample) */
    }
    size_t n = r.n;
    while (rc == 0 && (rc = csv_next(&r, err)) > 0)
        rc = a19_row_outcome(a, read_memory_row(a, &r, n, app_i, fn_i, mem_i, &am, err));
    csv_close(&r);
    /* Per app: each function gets its app's memory. Key names are "app/function". */
    for (size_t k = 0; rc == 0 && am.n && k < a->n_keys; k++) {
        char *slash = strchr(a->keys[k].name, '/');
        *slash = '\0';
        uint32_t i = name_index_find(&am.ix, a->keys[k].name);
        *slash = '/';
        if (i != NAME_NONE && a->keys[k].memory_mb == 0)
            a->keys[k].memory_mb = am.mb[i];
    }
    for (size_t i = 0; i < am.n; i++)
        free(am.name[i]);
    free(am.name);
    free(am.mb);
    name_index_free(&am.ix);
    return rc;
}
