/* trace_azure2021.c - the Azure Functions invocation trace 2021
 * (app,func,end_timestamp,duration; one row per invocation, times in seconds).
 *
 * An invocation arrives at end_timestamp - duration, but the file is ordered by
 * neither, so rows are replayed through a bounded reordering window: each event
 * waits in a min-heap until the latest start read so far is reorder_ns past it.
 * Memory is the events of one window, not the file. An event that starts before
 * one already replayed cannot be put back in order: that is an error (always, even
 * with skip_bad: it is a window too small for the file, not a bad row), and the
 * message says to raise `reorder` or sort the file with `slsim trace sort`.
 *
 * Time 0 is the start of the first event replayed. That is the smallest start in
 * the file, because an earlier event read later would have been an error.
 * Function ids are unique only within an app, so the function key is "app/func".
 * A zero duration is kept as zero (the trace rounds to milliseconds). */
#include <stdlib.h>
#include <string.h>

#include "slsim/containers.h"
#include "trace_counting.h"
#include "trace_rows.h"

struct pending {
    sim_time start_ns;    /* end_timestamp - duration, as in the file */
    uint64_t line;        /* line of the row: orders equal starts as in the file */
    sim_time duration_ns; /* from the file, >= 0 */
    char *key;            /* "app/func", owned */
};

struct azure2021 {
    struct row_stream rs; /* first: the file and skipped rows (its origin is unused) */
    struct azure2021_columns cols;
    size_t width;        /* fields in the header, and in every row */
    sim_time reorder_ns; /* how long an event waits for earlier ones */
    struct pending *heap; /* min-heap on (start_ns, line) */
    size_t n, cap;
    int read_any;          /* at least one event read */
    sim_time max_start_ns; /* latest start read */
    uint64_t max_line;     /* its line */
    int eof;               /* every row has been read */
    int emitted;           /* at least one event returned */
    sim_time origin_ns;    /* start of the first event returned: time 0 */
    sim_time last_ns;      /* start of the last event returned */
    uint64_t last_line;    /* its line */
    char *current;         /* key of the last event returned, freed at the next call */
};

static inline int pending_less(const struct pending *a, const struct pending *b)
{
    return a->start_ns < b->start_ns || (a->start_ns == b->start_ns && a->line < b->line);
}

HEAPQ_DEFINE(pending_heap, struct pending, pending_less)

/* Add p to the window: 0, or -1 when out of memory (the window unchanged). */
static int heap_push_pending(struct azure2021 *s, struct pending p)
{
    if (s->n == s->cap && vec_grow((void **)&s->heap, &s->cap, sizeof *s->heap, 64))
        return -1;
    pending_heap_up(s->heap, s->n++, p);
    return 0;
}

/* Read rows until one is in the heap: 1, 0 at the end of the file, -1 with err. */
static int read_one(struct azure2021 *s, struct slsim_error *err)
{
    struct csv_reader *r = &s->rs.csv;
    for (;;) {
        int rc = csv_next(r, err);
        if (rc <= 0)
            return rc;
        sim_time start, dur;
        const char *app = trace_row_field(r, s->cols.app, "app", err);
        const char *func = app ? trace_row_field(r, s->cols.func, "func", err) : NULL;
        int bad = !func || trace_row_width(r, s->width, err) ||
                  azure2021_row_times(r, &s->cols, &start, &dur, err) != 0;
        if (!bad && (!app[0] || !func[0])) {
            size_t c = !app[0] ? s->cols.app : s->cols.func;
            slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c], !app[0] ? "app" : "func",
                            "empty %s id", !app[0] ? "app" : "func");
            bad = 1;
        }
        if (bad) {
            if (!s->rs.skip_bad)
                return trace_row_note_truncated(r, err);
            s->rs.skipped++;
            continue;
        }
        if (s->emitted && start < s->last_ns) {
            char win[32];
            units_format_duration(s->reorder_ns, win, sizeof win);
            return slsim_error_set(
                err, r->path, (int)r->lineno, (int)r->col[s->cols.end], NULL,
                "this invocation starts at %.3f s (end_timestamp - duration), %.3f s before "
                "the latest start read (line %llu); the reorder window (%s) has already "
                "replayed one starting at %.3f s (line %llu): raise `reorder` to at least "
                "%.3f s, or sort the file with `slsim trace sort`",
                (double)start / 1e9, (double)(s->max_start_ns - start) / 1e9,
                (unsigned long long)s->max_line, win, (double)s->last_ns / 1e9,
                (unsigned long long)s->last_line, (double)(s->max_start_ns - start) / 1e9);
        }
        size_t la = strlen(app), lf = strlen(func);
        char *key = malloc(la + lf + 2);
        if (!key)
            return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL, "out of memory");
        memcpy(key, app, la);
        key[la] = '/';
        memcpy(key + la + 1, func, lf + 1);
        struct pending p = {start, r->lineno, dur, key};
        if (heap_push_pending(s, p)) {
            free(key);
            return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL,
                                   "out of memory: the reorder window holds %zu events", s->n);
        }
        if (!s->read_any || start > s->max_start_ns) {
            s->max_start_ns = start;
            s->max_line = r->lineno;
        }
        s->read_any = 1;
        return 1;
    }
}

static void azure2021_close(void *self)
{
    struct azure2021 *s = self;
    if (!s)
        return;
    csv_close(&s->rs.csv);
    for (size_t i = 0; i < s->n; i++)
        free(s->heap[i].key);
    free(s->heap);
    free(s->current);
    free(s);
}

static void *azure2021_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    (void)rng;
    struct azure2021 *s = row_stream_alloc(sizeof *s, spec, err);
    if (!s)
        return NULL;
    s->reorder_ns = spec->reorder_ns;
    if (row_stream_begin(&s->rs, 1, "a header app,func,end_timestamp,duration", err) ||
        azure2021_columns_find(&s->rs.csv, &s->cols, err) || csv_keep_header(&s->rs.csv, err))
        goto fail;
    s->width = s->rs.csv.n;
    /* Read the first event now, so that a malformed first row fails here; a file
     * without one is trace.c's to report, in the words every format shares. */
    int rc = read_one(s, err);
    if (rc < 0)
        goto fail;
    s->eof = rc == 0;
    return s;
fail:
    azure2021_close(s);
    return NULL;
}

static int azure2021_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct azure2021 *s = self;
    free(s->current);
    s->current = NULL;
    for (;;) {
        /* The top may go once no later row can start before it: every row still
         * to come starts after max_start - reorder, or is an error. */
        if (s->n > 0 && (s->eof || s->max_start_ns - s->heap[0].start_ns >= s->reorder_ns)) {
            struct pending p = pending_heap_pop(s->heap, &s->n);
            if (!s->emitted) {
                s->origin_ns = p.start_ns;
                s->emitted = 1;
            }
            s->last_ns = p.start_ns;
            s->last_line = p.line;
            s->current = p.key;
            ev->t_ns = p.start_ns - s->origin_ns;
            ev->key = p.key;
            ev->duration_ns = p.duration_ns;
            ev->memory_mb = 0;
            return 1;
        }
        if (s->eof)
            return 0;
        int rc = read_one(s, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            s->eof = 1;
    }
}

static int azure2021_sort_begin(const struct trace_spec *spec, const struct csv_reader *r,
                                const char *path, struct trace_sort_key *key,
                                struct slsim_error *err)
{
    (void)spec;
    (void)path;
    return azure2021_columns_find(r, &key->az, err);
}

/* The sort orders rows by start time, end_timestamp - duration, as the replay does. */
static int azure2021_sort_key(const struct trace_sort_key *key, const struct csv_reader *r,
                              sim_time *t_ns, struct slsim_error *err)
{
    sim_time dur;
    return azure2021_row_times(r, &key->az, t_ns, &dur, err);
}

const struct trace_format_ops trace_azure2021_ops = {
    .open = azure2021_open,
    .next = azure2021_next,
    .next_row = NULL,
    .progress = row_stream_progress,
    .skipped = row_stream_skipped,
    .close = azure2021_close,
    .sort_begin = azure2021_sort_begin,
    .sort_key = azure2021_sort_key,
};
