/* trace_azure2019.c - the Azure Functions 2019 trace (Shahrad et al., ATC 2020):
 * invocation counts per function per minute, plus optional durations and memory files.
 *
 * The invocations file is one row per function and one column per minute
 * (HashOwner,HashApp,HashFunction,Trigger,1,...,1440 in the official day files;
 * the InVitro sample in traces/azure2019 keeps minutes 480..959). Minute numbers are
 * read from the header and time 0 of the replay is the first minute column. A
 * function is named "HashApp/HashFunction": the dataset hashes function names with a
 * salt per column, so a function hash is unique only within its app (two apps with a
 * function called "Run" get different app hashes but could share a function hash).
 *
 * Replay needs minute-major order but the file is function-major, so the file is read
 * once, in open(), turning each row into its non-zero cells, varint-encoded (column
 * gap, count), and spilling them to an unlinked temporary file; replay then reads
 * every row's cells back through a small buffer per row. Memory is O(functions):
 * neither the cells (which grow with the counts) nor anything per invocation stays
 * in memory. The official day is ~46k functions x 1440 minutes, mostly zeros.
 * Arrivals are then made one minute at a time: every count c becomes exactly c
 * arrival times inside its minute (trace_counting.h), made one at a time per row and
 * merged by time, ties by row order. Memory: a few dozen bytes per row, whatever the
 * counts. A count above one arrival per nanosecond of its minute is refused at its
 * cell: the clock cannot place more.
 *
 * Durations (function_durations_percentiles.anon.dXX.csv) give, per function, the
 * percentiles 0, 1, 25, 50, 75, 99, 100 in milliseconds; each event draws its
 * duration from the piecewise-linear distribution through those points. Caveat from
 * the dataset's documentation: these are percentiles of 30-second *averages*
 * (weighted by invocations), not of single invocations, so the replayed spread is
 * narrower than the real one when a 30-s window holds many invocations. The
 * official files have whole milliseconds, so a 0 there is an execution under 1 ms: it
 * is read as 1 ms, the file's resolution, so that no request runs in zero time (a
 * function whose percentiles are all 0 runs exactly 1 ms); other values, fractions
 * included (trace_synth writes them), are taken as they are. A percentile below the
 * one before it is raised to it. Functions without a durations row get duration -1
 * (the scenario's model then applies).
 *
 * Memory: the official files are per app (HashOwner,HashApp,SampleCount,
 * AverageAllocatedMb,...), and then every function of the app gets the app's
 * AverageAllocatedMb; the InVitro sample splits each app's memory evenly over its
 * functions and keys rows by HashFunction (with HashApp): then it is per function.
 * Both are recognised by the header. Values are rounded to whole MB, at least 1.
 *
 * In the side files the first row of a function wins; rows of functions the
 * invocations file does not have are ignored. progress() is the share of minutes
 * emitted: the first pass over the file happens inside open(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slsim/containers.h"
#include "trace_azure2019.h"

#define MINUTE_NS (60 * SIM_NS_PER_S)
#define MINUTE_MAX 100000000u /* minute numbers beyond this would overflow the clock */

/* ---- the reader ------------------------------------------------------------------ */

static int put_varint(struct a19 *a, uint64_t v)
{
    while (a->cells_len + 10 > a->cells_cap)
        if (vec_grow((void **)&a->cells, &a->cells_cap, 1, 64))
            return -1;
    while (v >= 0x80) {
        a->cells[a->cells_len++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    a->cells[a->cells_len++] = (uint8_t)v;
    return 0;
}

static uint64_t get_varint(const uint8_t *p, size_t *pos)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

static void row_advance(struct a19 *a, struct a19_row *w)
{
    size_t left = (size_t)(w->rb_len - w->rb_pos);
    if (left < 12 && w->pos < w->end) { /* refill: keep what is left, read more */
        memmove(w->rb, w->rb + w->rb_pos, left);
        size_t n = sizeof w->rb - left;
        if (n > w->end - w->pos)
            n = w->end - w->pos;
        ssize_t got = pread(fileno(a->spill), w->rb + left, n, (off_t)w->pos);
        if (got != (ssize_t)n) {
            a->spill_error = 1;
            w->pos = w->end;
            n = 0;
        }
        w->pos += n;
        w->rb_len = (uint8_t)(left + n);
        w->rb_pos = 0;
        left = w->rb_len;
    }
    if (left == 0) {
        w->next_col = a->next_col[w - a->rows] = NO_COLUMN;
        return;
    }
    size_t at = w->rb_pos;
    w->next_col = a->next_col[w - a->rows] = w->base + (uint32_t)get_varint(w->rb, &at);
    w->next_count = get_varint(w->rb, &at);
    w->rb_pos = (uint8_t)at;
    w->base = w->next_col + 1;
}

/* "app/function" in a->tmp. NULL when out of memory. */
const char *a19_join_key(struct a19 *a, const char *app, const char *fn)
{
    size_t la = strlen(app), lf = strlen(fn);
    while (la + lf + 2 > a->tmp_cap)
        if (vec_grow((void **)&a->tmp, &a->tmp_cap, 1, 64))
            return NULL;
    memcpy(a->tmp, app, la);
    a->tmp[la] = '/';
    memcpy(a->tmp + la + 1, fn, lf + 1);
    return a->tmp;
}

enum row_rc a19_nomem(const struct csv_reader *r, struct slsim_error *err)
{
    slsim_error_set(err, r->path, (int)r->lineno, 0, NULL, "out of memory");
    return ROW_FATAL;
}

/* A non-empty identifier field. */
enum row_rc a19_id_field(const struct csv_reader *r, int i, const char *what,
                            const char **out, struct slsim_error *err)
{
    if (!r->field[i][0])
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                               "empty %s", what);
    *out = r->field[i];
    return ROW_OK;
}

/* Run rc through skip_bad: 0 to go on, -1 to fail. */
int a19_row_outcome(struct a19 *a, enum row_rc rc)
{
    if (rc == ROW_OK)
        return 0;
    if (rc == ROW_BAD && a->skip_bad) {
        a->skipped++;
        return 0;
    }
    return -1;
}

/* ---- the invocations file ------------------------------------------------------- */

struct inv_header {
    size_t n;        /* fields in the header */
    int app, fn;     /* field indexes of HashApp and HashFunction */
    uint32_t *field; /* field index of each minute column */
};

static int is_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int read_inv_header(struct a19 *a, struct csv_reader *r, struct inv_header *h,
                           struct slsim_error *err)
{
    h->n = r->n;
    h->app = csv_find(r, "HashApp");
    h->fn = csv_find(r, "HashFunction");
    if (h->app < 0 || h->fn < 0)
        return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL,
                               "not an Azure 2019 invocations file: the header has no %s "
                               "column (expected HashOwner,HashApp,HashFunction,Trigger,"
                               "1,...,1440)",
                               h->app < 0 ? "HashApp" : "HashFunction");
    h->field = malloc(r->n * sizeof *h->field);
    a->minute = malloc(r->n * sizeof *a->minute);
    if (!h->field || !a->minute)
        return slsim_error_set(err, r->path, 1, 0, NULL, "out of memory");
    for (size_t i = 0; i < r->n; i++) {
        if (!is_digits(r->field[i]))
            continue;
        unsigned long m =
            strlen(r->field[i]) > 9 ? MINUTE_MAX + 1ul : strtoul(r->field[i], NULL, 10);
        if (m > MINUTE_MAX)
            return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], NULL,
                                   "minute %s is too large (at most %u)", r->field[i], MINUTE_MAX);
        if (a->n_minutes && m <= a->minute[a->n_minutes - 1])
            return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], NULL,
                                   "minute columns must increase: %lu follows %u", m,
                                   a->minute[a->n_minutes - 1]);
        h->field[a->n_minutes] = (uint32_t)i;
        a->minute[a->n_minutes++] = (uint32_t)m;
    }
    if (a->n_minutes == 0)
        return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL,
                               "the header has no minute columns (numbers such as 1,...,1440)");
    return 0;
}

static enum row_rc read_inv_row(struct a19 *a, const struct csv_reader *r,
                                const struct inv_header *h, struct slsim_error *err)
{
    const char *app = NULL, *fn = NULL;
    enum row_rc rc;
    if ((rc = trace_row_width(r, h->n, err)) ||
        (rc = a19_id_field(r, h->app, "HashApp", &app, err)) ||
        (rc = a19_id_field(r, h->fn, "HashFunction", &fn, err)))
        return rc;
    a->cells_len = 0;
    uint32_t base = 0;
    for (uint32_t j = 0; j < a->n_minutes; j++) {
        uint64_t c = 0;
        if ((rc = trace_row_count(r, h->field[j], &c, err)))
            return rc;
        if (c == 0)
            continue;
        if (c > (uint64_t)MINUTE_NS)
            return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[h->field[j]],
                                   "count", "count %s is more than one arrival per nanosecond "
                                            "of its minute: at most %lld",
                                   r->field[h->field[j]], (long long)MINUTE_NS);
        if (put_varint(a, j - base) || put_varint(a, c))
            return a19_nomem(r, err);
        base = j + 1;
    }
    const char *key = a19_join_key(a, app, fn);
    if (!key)
        return a19_nomem(r, err);
    uint32_t k = name_index_find(&a->key_ix, key);
    if (k == NAME_NONE) {
        if (a->n_keys == a->cap_keys &&
            vec_grow((void **)&a->keys, &a->cap_keys, sizeof *a->keys, 64))
            return a19_nomem(r, err);
        struct a19_key *nk = &a->keys[a->n_keys];
        memset(nk, 0, sizeof *nk);
        nk->name = strdup(key);
        if (!nk->name || name_index_add(&a->key_ix, nk->name, (uint32_t)a->n_keys)) {
            free(nk->name);
            return a19_nomem(r, err);
        }
        k = (uint32_t)a->n_keys++;
    }
    if (a->n_rows == a->cap_rows &&
        vec_grow((void **)&a->rows, &a->cap_rows, sizeof *a->rows, 64))
        return a19_nomem(r, err);
    if (a->cells_len && fwrite(a->cells, 1, a->cells_len, a->spill) != a->cells_len)
        return a19_nomem(r, err);
    struct a19_row *w = &a->rows[a->n_rows++];
    memset(w, 0, sizeof *w);
    w->key = k;
    w->pos = w->start = a->spill_len;
    a->spill_len += a->cells_len;
    w->end = a->spill_len;
    return ROW_OK;
}

static int read_invocations(struct a19 *a, const char *path, struct slsim_error *err)
{
    struct csv_reader r;
    struct inv_header h = {0, 0, 0, NULL};
    if (csv_open(&r, path, err))
        return -1;
    if (!(a->spill = tmpfile())) {
        csv_close(&r);
        return slsim_error_set(err, path, 0, 0, NULL,
                               "cannot create a temporary file for the replay: %s",
                               strerror(errno));
    }
    int rc = csv_next(&r, err);
    if (rc == 0)
        rc = slsim_error_set(err, path, 0, 0, NULL,
                             "empty file: expected a header HashOwner,HashApp,HashFunction,"
                             "Trigger,1,...,1440");
    if (rc > 0)
        rc = read_inv_header(a, &r, &h, err);
    while (rc == 0 && (rc = csv_next(&r, err)) > 0)
        rc = a19_row_outcome(a, read_inv_row(a, &r, &h, err));
    if (rc == 0 && fflush(a->spill) != 0)
        rc = slsim_error_set(err, path, 0, 0, NULL, "cannot write a temporary file: %s",
                             strerror(errno));
    free(h.field);
    csv_close(&r);
    free(a->cells); /* the spill file has every row's cells */
    a->cells = NULL;
    a->cells_cap = a->cells_len = 0;
    return rc;
}

/* ---- replay --------------------------------------------------------------------- */

static void a19_close(void *self)
{
    struct a19 *a = self;
    if (!a)
        return;
    for (size_t k = 0; k < a->n_keys; k++) {
        free(a->keys[k].name);
        if (a->keys[k].has_duration)
            dist_free(&a->keys[k].duration);
    }
    free(a->keys);
    name_index_free(&a->key_ix);
    free(a->rows);
    free(a->next_col);
    free(a->cells);
    if (a->spill)
        fclose(a->spill);
    free(a->minute);
    within_merge_free(&a->merge);
    free(a->tmp);
    if (a->dur_rng)
        gsl_rng_free(a->dur_rng);
    free(a);
}

/* What open draws from rng, in its order: the durations' stream's seed, then the
 * equidistant salt (returned). */
static uint64_t a19_seed(struct a19 *a, gsl_rng *rng)
{
    a->rng = rng;
    unsigned long dur_seed = gsl_rng_get(rng);
    gsl_rng_set(a->dur_rng, dur_seed ? dur_seed : 1); /* taus2 maps 0 to its default */
    return trace_within_salt(a->within, rng);
}

/* Every row at its first cell, the phases from salt, no minute begun. */
static void a19_start(struct a19 *a, uint64_t salt)
{
    for (size_t k = 0; k < a->n_keys; k++)
        a->keys[k].phase = trace_within_phase(salt, a->keys[k].name);
    for (size_t i = 0; i < a->n_rows; i++) {
        struct a19_row *w = &a->rows[i];
        w->base = 0;
        w->pos = w->start;
        w->rb_len = w->rb_pos = 0;
        row_advance(a, w);
    }
    a->next_minute = 0;
    within_merge_reset(&a->merge);
    a->base = 0;
    a->total = a->emitted = 0;
}

static int a19_rewind(void *self, gsl_rng *rng, struct slsim_error *err)
{
    struct a19 *a = self;
    (void)err;
    a->times_only = 0;
    a->spill_error = 0;
    a19_start(a, a19_seed(a, rng));
    return 0;
}

static void *a19_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    struct a19 *a = calloc(1, sizeof *a);
    if (!a) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    a->within = spec->within;
    a->skip_bad = spec->skip_bad;
    a->rng = rng;
    a->dur_rng = gsl_rng_alloc(gsl_rng_taus2);
    if (!a->dur_rng) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        a19_close(a);
        return NULL;
    }
    uint64_t salt = a19_seed(a, rng);
    if (read_invocations(a, spec->path, err) ||
        (spec->durations[0] && a19_read_durations(a, spec->durations, err)) ||
        (spec->memory[0] && a19_read_memory(a, spec->memory, err))) {
        a19_close(a);
        return NULL;
    }
    a->next_col = malloc((a->n_rows ? a->n_rows : 1) * sizeof *a->next_col);
    if (!a->next_col) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        a19_close(a);
        return NULL;
    }
    a19_start(a, salt);
    free(a->tmp);
    a->tmp = NULL;
    a->tmp_cap = 0;
    return a;
}

/* Start the next minute that has invocations. 1, 0 when no minute is left, -1
 * with err. */
static int fill_minute(struct a19 *a, struct slsim_error *err)
{
    while (a->next_minute < a->n_minutes) {
        uint32_t m = (uint32_t)a->next_minute++;
        within_merge_reset(&a->merge);
        a->base = (sim_time)(a->minute[m] - a->minute[0]) * MINUTE_NS;
        a->total = a->emitted = 0;
        for (size_t i = 0; i < a->n_rows; i++) {
            if (a->next_col[i] != m) /* the compact copy: the scan stays in cache */
                continue;
            struct a19_row *w = &a->rows[i];
            a->total += w->next_count;
            if (within_merge_add(&a->merge, (uint32_t)i, a->within, w->next_count, a->base,
                                 MINUTE_NS, a->rng, a->keys[w->key].phase))
                return slsim_error_set(err, NULL, 0, 0, a->keys[w->key].name,
                                       "out of memory for the arrivals of minute %u",
                                       a->minute[m]);
            row_advance(a, w);
        }
        if (a->total) {
            within_merge_ready(&a->merge);
            return 1;
        }
    }
    return 0;
}

static int a19_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct a19 *a = self;
    sim_time t;
    uint32_t row;
    while (!within_merge_pop(&a->merge, a->base, &t, &row)) {
        int rc = fill_minute(a, err);
        if (a->spill_error)
            return slsim_error_set(err, NULL, 0, 0, NULL,
                                   "cannot read back the replay's temporary file: %s",
                                   strerror(errno));
        if (rc <= 0)
            return rc;
    }
    a->emitted++;
    struct a19_key *k = &a->keys[a->rows[row].key];
    ev->t_ns = t;
    ev->key = k->name;
    ev->id = a->rows[row].key;
    ev->duration_ns =
        k->has_duration && !a->times_only ? dist_sample_ns(&k->duration, a->dur_rng) : -1;
    ev->memory_mb = k->memory_mb;
    return 1;
}

static void a19_times_only(void *self)
{
    ((struct a19 *)self)->times_only = 1;
}

static double a19_progress(void *self)
{
    const struct a19 *a = self;
    if (a->n_minutes == 0)
        return 1.0;
    double done = (double)a->next_minute;
    if (a->total) /* the current minute is counted in next_minute already */
        done -= 1.0 - (double)a->emitted / (double)a->total;
    return done / (double)a->n_minutes;
}

static uint64_t a19_skipped(void *self)
{
    return ((const struct a19 *)self)->skipped;
}

static int a19_each(const struct trace_spec *spec, trace_count_visit visit, void *ctx,
                    uint64_t *skipped, struct slsim_error *err)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2); /* open() takes one; nothing is drawn */
    if (!rng)
        return slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
    struct a19 *a = a19_open(spec, rng, err);
    int rc = a ? 0 : -1;
    for (uint32_t m = 0; rc == 0 && m < a->n_minutes; m++) {
        sim_time base = (sim_time)(a->minute[m] - a->minute[0]) * MINUTE_NS;
        for (size_t i = 0; rc == 0 && i < a->n_rows; i++) {
            struct a19_row *w = &a->rows[i];
            if (w->next_col != m)
                continue;
            const struct a19_key *k = &a->keys[w->key];
            /* the line is not kept per row: 0 */
            struct trace_count tc = {base, MINUTE_NS, w->key, k->name, w->next_count, 0,
                                     k->has_duration ? dist_mean_s(&k->duration) : -1};
            rc = visit(ctx, &tc, err);
            row_advance(a, w);
        }
        if (rc == 0 && a->spill_error)
            rc = slsim_error_set(err, NULL, 0, 0, NULL,
                                 "cannot read back the replay's temporary file: %s",
                                 strerror(errno));
    }
    if (a)
        *skipped = a->skipped;
    a19_close(a);
    gsl_rng_free(rng);
    return rc;
}

const struct trace_format_ops trace_azure2019_ops = {
    .open = a19_open,
    .next = a19_next,
    .times_only = a19_times_only,
    .rewind = a19_rewind,
    .progress = a19_progress,
    .skipped = a19_skipped,
    .close = a19_close,
    .each = a19_each,
};
