/* trace.c - what every trace format shares: functions, selection, window, scaling.
 *
 * A format reader (trace_*.c) yields raw events in time order with a function
 * name; this layer names functions by index (in order of first appearance), keeps
 * only the selected ones, cuts a time window, and scales time and rate. Selection
 * needs to know every function and its count before the replay, and so do the
 * platforms (they size per-function state up front): the trace is read once to
 * count, then opened again to replay. That costs a second read of the file and
 * keeps memory at O(functions), never O(events).
 *
 * Rate scaling below 1 keeps each event with that probability (thinning: a
 * Poisson process stays Poisson); above 1 each event is repeated floor(scale)
 * times and once more with the fractional part as probability, the copies
 * arriving together (a burst, not a spread: amplification cannot invent the
 * timing the trace does not have). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "slsim/engine.h"
#include "trace_internal.h"

struct name_map {
    char **key;      /* names, owned; NULL for empty slots */
    uint32_t *value; /* index (or count) per slot */
    uint64_t *count; /* events per slot (counting pass) */
    size_t cap;      /* slots, a power of two */
    size_t len;      /* names held */
};

struct trace_reader {
    const struct trace_spec *spec; /* borrowed */
    const struct trace_format_ops *ops;
    void *fmt;
    gsl_rng *fmt_rng;   /* randomness of the format (arrivals within intervals) */
    gsl_rng *scale_rng; /* thinning and amplification */
    struct name_map map; /* selected names -> function index */
    char **names;        /* index -> name (borrowed from map) */
    uint32_t n_names;
    struct trace_event pending; /* amplification: the event being repeated */
    uint32_t copies_left;
    /* Readers often hand out the same pointer for a function's name every time
     * (count formats keep one copy per function): remember the last lookups by
     * pointer, checked by content, so most events skip the hash. */
    struct {
        const char *key;
        long slot;
    } cache[256];
};

/* A hash of a name, eight bytes at a time (names are often 129-character hash
 * pairs, so a byte-at-a-time hash would dominate the replay). */
static uint64_t name_hash(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
}

static void map_free(struct name_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->key ? m->key[i] : NULL);
    free(m->key);
    free(m->value);
    free(m->count);
    memset(m, 0, sizeof *m);
}

/* The slot of name: its own, or the empty one where it would go. */
static size_t map_slot(const struct name_map *m, const char *name)
{
    size_t i = (size_t)name_hash(name) & (m->cap - 1);
    while (m->key[i] && strcmp(m->key[i], name) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int map_grow(struct name_map *m)
{
    struct name_map n = {0};
    n.cap = m->cap ? 2 * m->cap : 1024;
    n.key = calloc(n.cap, sizeof *n.key);
    n.value = calloc(n.cap, sizeof *n.value);
    n.count = calloc(n.cap, sizeof *n.count);
    if (!n.key || !n.value || !n.count) {
        map_free(&n);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->key[i]) {
            size_t j = map_slot(&n, m->key[i]);
            n.key[j] = m->key[i];
            n.value[j] = m->value[i];
            n.count[j] = m->count[i];
        }
    n.len = m->len;
    free(m->key);
    free(m->value);
    free(m->count);
    *m = n;
    return 0;
}

/* The slot of name, added if absent (*added = 1). (size_t)-1 when out of memory. */
static size_t map_put(struct name_map *m, const char *name, int *added)
{
    *added = 0;
    if ((m->len + 1) * 2 > m->cap && map_grow(m) != 0)
        return (size_t)-1;
    size_t i = map_slot(m, name);
    if (!m->key[i]) {
        if (!(m->key[i] = strdup(name)))
            return (size_t)-1;
        m->len++;
        *added = 1;
    }
    return i;
}

static long map_find(const struct name_map *m, const char *name)
{
    if (!m->cap)
        return -1;
    size_t i = map_slot(m, name);
    return m->key[i] ? (long)i : -1;
}

void trace_spec_default(struct trace_spec *t)
{
    memset(t, 0, sizeof *t);
    t->format = TRACE_CSV;
    t->within = WITHIN_POISSON;
    t->select = SELECT_ALL;
    t->time_scale = 1.0;
    t->rate_scale = 1.0;
    t->window_end_ns = SIM_TIME_FOREVER;
    t->reorder_ns = 60 * SIM_NS_PER_S;
    t->time_unit = TIME_SECONDS;
    t->duration_unit_s = 1.0;
    t->header = 1;
    t->interval_ns = 60 * SIM_NS_PER_S;
}

void trace_spec_free(struct trace_spec *t)
{
    for (size_t i = 0; i < t->n_ids; i++)
        free(t->ids[i]);
    free(t->ids);
    t->ids = NULL;
    t->n_ids = 0;
}

static const struct trace_format_ops *ops_of(enum trace_format f)
{
    switch (f) {
    case TRACE_AZURE2019:
        return &trace_azure2019_ops;
    case TRACE_AZURE2021:
        return &trace_azure2021_ops;
    case TRACE_AZURE_LLM:
        return &trace_llm_ops;
    case TRACE_COUNTS:
        return &trace_counts_ops;
    case TRACE_COUNTS_WIDE:
        return &trace_counts_wide_ops;
    case TRACE_CSV:
        break;
    }
    return &trace_csv_ops;
}

static const char *const format_names[] = {"azure2019", "azure2021", "azure-llm", "csv",
                                           "counts",    "counts-wide"};

const char *trace_format_name(enum trace_format f)
{
    return (size_t)f < sizeof format_names / sizeof *format_names ? format_names[f] : "?";
}

int trace_format_parse(const char *name, enum trace_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (enum trace_format)i;
            return 0;
        }
    return -1;
}

/* A name given in `functions: [...]` matches a function by its full name or by
 * the part after the last '/' (a function hash without its app). */
static int listed(const struct trace_spec *spec, const char *name)
{
    const char *tail = strrchr(name, '/');
    for (size_t i = 0; i < spec->n_ids; i++)
        if (strcmp(spec->ids[i], name) == 0 || (tail && strcmp(spec->ids[i], tail + 1) == 0))
            return 1;
    return 0;
}

struct ranked {
    const char *name;
    uint64_t count;
};

static int by_count_then_name(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct ranked *)a)->name, ((const struct ranked *)b)->name);
}

/* A problem with the file at path as a whole, at line:column of it. From a
 * scenario (spec->origin) the error is at the key that named the file, so the
 * user is sent to the line to change, and the message starts with the file's own
 * location; from the command line it is at the file. Returns -1. */
static int file_error(const struct trace_spec *spec, const char *path, const char *key,
                      struct trace_at at, int line, int column, struct slsim_error *err,
                      const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static int file_error(const struct trace_spec *spec, const char *path, const char *key,
                      struct trace_at at, int line, int column, struct slsim_error *err,
                      const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (spec && spec->origin[0])
        return slsim_error_set(err, spec->origin, at.line, at.column, key, "%s:%d:%d: %s", path,
                               line, column, msg);
    return slsim_error_set(err, path, line, column, NULL, "%s", msg);
}

/* What a file must start with, for the message on an empty one. */
static const char *expected_start(const struct trace_spec *spec, int which)
{
    if (which == 1)
        return "a header HashOwner,HashApp,HashFunction,Average,Count,...";
    if (which == 2)
        return "a header HashOwner,HashApp,SampleCount,AverageAllocatedMb,...";
    switch (spec->format) {
    case TRACE_AZURE2019:
        return "a header HashOwner,HashApp,HashFunction,Trigger,1,...,1440";
    case TRACE_AZURE2021:
        return "a header app,func,end_timestamp,duration";
    case TRACE_AZURE_LLM:
        return "a header TIMESTAMP,ContextTokens,GeneratedTokens";
    case TRACE_COUNTS:
        return spec->header ? "a header line and rows time,count" : "rows time,count";
    case TRACE_COUNTS_WIDE:
        return "a header time,FUNCTION,... and rows of counts";
    case TRACE_CSV:
        break;
    }
    return spec->header ? "a header naming the columns, then one row per request"
                        : "one row per request";
}

/* One file as a whole: it opens, is a regular file or a pipe, and a regular file
 * has more than blank lines (and a byte-order mark). 0, or -1 with err. */
static int check_file(const struct trace_spec *spec, const char *path, const char *key,
                      struct trace_at at, const char *expect, struct slsim_error *err)
{
    char why[160];
    FILE *f = fopen(path, "rb");
    if (!f)
        return file_error(spec, path, key, at, 1, 1, err, "cannot open the file: %s",
                          strerror(errno));
    int kind = csv_file_kind(path, fileno(f), why, sizeof why);
    int empty = 0;
    if (kind == 1) {
        /* A pipe is not read here: what is read from it is gone for the reader. */
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        int c;
        long n = 0;
        while ((c = getc(f)) != EOF &&
               ((n < 3 && c == bom[n]) || c == ' ' || c == '\t' || c == '\r' || c == '\n'))
            n++;
        empty = c == EOF && !ferror(f);
    }
    fclose(f);
    if (kind < 0)
        return file_error(spec, path, key, at, 1, 1, err, "%s", why);
    if (empty)
        return file_error(spec, path, key, at, 1, 1, err, "empty file: expected %s", expect);
    return 0;
}

int trace_check_files(const struct trace_spec *spec, struct slsim_error *err)
{
    if (check_file(spec, spec->path, "workload.trace.path", spec->at_path,
                   expected_start(spec, 0), err))
        return -1;
    if (spec->durations[0] && check_file(spec, spec->durations, "workload.trace.durations",
                                         spec->at_durations, expected_start(spec, 1), err))
        return -1;
    if (spec->memory[0] && check_file(spec, spec->memory, "workload.trace.memory",
                                      spec->at_memory, expected_start(spec, 2), err))
        return -1;
    return 0;
}

/* The error for a trace with no request to replay, whatever the format: events
 * read (before the window's end), those in the window, and rows skipped. */
static int no_requests(const struct trace_spec *spec, uint64_t events, uint64_t in_window,
                       uint64_t skipped, struct slsim_error *err)
{
    int header = spec->header || spec->format == TRACE_AZURE2019 ||
                 spec->format == TRACE_AZURE2021 || spec->format == TRACE_AZURE_LLM;
    if (events == 0 && skipped)
        return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                          "no requests: all %llu rows are malformed (skip_bad skipped them)",
                          (unsigned long long)skipped);
    if (events == 0)
        return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                          "no requests: the file has no row with a request%s",
                          header ? " after its header" : "");
    if (in_window == 0) {
        char a[32], b[32] = "the end";
        units_format_duration(spec->window_start_ns, a, sizeof a);
        if (spec->window_end_ns != SIM_TIME_FOREVER)
            units_format_duration(spec->window_end_ns, b, sizeof b);
        return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                          "no requests in the window [%s, %s) of trace time", a, b);
    }
    return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                      "no requests of the selected functions in the window");
}

int trace_no_requests_error(const struct trace_spec *spec, const char *why,
                            struct slsim_error *err)
{
    return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                      "no requests: %s", why);
}

/* The replay time of a trace time raw_ns: (raw_ns - window start) x time_scale,
 * rounded to the nanosecond. 0, or -1 with err where that is past the int64 clock (a
 * trace of centuries, or one stretched by time_scale): the counting pass and the
 * replay both ask, so a trace fails at open, never halfway through a replay. */
static int scaled_time(const struct trace_spec *spec, sim_time raw_ns, sim_time *out,
                       struct slsim_error *err)
{
    double t = (double)(raw_ns - spec->window_start_ns) * spec->time_scale + 0.5;
    if (t < 9223372036854775807.0) { /* 2^63 as a double: the cast is defined below it */
        *out = (sim_time)t;
        return 0;
    }
    char at[32];
    units_format_duration(raw_ns - spec->window_start_ns, at, sizeof at);
    if (spec->origin[0])
        return slsim_error_set(err, spec->origin, spec->at_trace.line, spec->at_trace.column,
                               "workload.trace.time_scale",
                               "%s: a request at %s times %g is beyond the clock's range "
                               "(about 292 years)",
                               spec->path, at, spec->time_scale);
    return slsim_error_set(err, spec->path, 1, 1, "time_scale",
                           "a request at %s times %g is beyond the clock's range (about 292 "
                           "years)",
                           at, spec->time_scale);
}

/* The counting pass: every function of the window, its events, and the order of
 * first appearance; then the selection. */
static int count_and_select(struct trace_reader *r, uint64_t seed, uint32_t replication,
                            struct slsim_error *err)
{
    const struct trace_spec *spec = r->spec;
    struct name_map all = {0};
    char **order = NULL;
    size_t n_order = 0, cap_order = 0;
    gsl_rng *rng = rng_stream_create(seed, replication, RNG_SERVICE);
    void *fmt = rng ? ops_of(spec->format)->open(spec, rng, err) : NULL;
    int rc = -1;
    if (!fmt)
        goto out;
    struct raw_event ev;
    int got;
    struct {
        const char *key;
        size_t slot;
        size_t gen; /* the map's size when cached: a grown map has moved its slots */
    } seen[256];
    memset(seen, 0, sizeof seen);
    uint64_t events = 0, in_window = 0, weight = 1; /* requests the event stands for */
    /* Over the whole trace a row's requests all count, wherever they fall in it. */
    const struct trace_format_ops *ops = ops_of(spec->format);
    int by_row = ops->next_row && spec->window_start_ns <= 0 &&
                 spec->window_end_ns == SIM_TIME_FOREVER;
    while ((got = by_row ? ops->next_row(fmt, &ev, &weight, err) : ops->next(fmt, &ev, err)) == 1) {
        events += weight;
        if (ev.t_ns < spec->window_start_ns)
            continue;
        if (ev.t_ns >= spec->window_end_ns)
            break;
        in_window += weight;
        /* A row stands for arrivals up to the end of its interval (duration_ns). */
        sim_time last = by_row ? ev.t_ns + ev.duration_ns - 1 : ev.t_ns, scaled;
        if (scaled_time(spec, last, &scaled, err))
            goto out;
        if (spec->select == SELECT_LIST && !listed(spec, ev.key))
            continue;
        int added = 0;
        size_t c = ((uintptr_t)ev.key >> 4) & 255, slot;
        if (seen[c].key == ev.key && seen[c].gen == all.cap &&
            strcmp(all.key[seen[c].slot], ev.key) == 0) {
            slot = seen[c].slot; /* the map has not grown since: the slot still holds */
        } else {
            slot = map_put(&all, ev.key, &added);
            if (slot == (size_t)-1) {
                slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
                goto out;
            }
            seen[c].key = ev.key;
            seen[c].slot = slot;
            seen[c].gen = all.cap;
        }
        all.count[slot] += weight;
        if (added) {
            if (n_order == cap_order) {
                size_t n = cap_order ? 2 * cap_order : 256;
                char **b = realloc(order, n * sizeof *b);
                if (!b) {
                    slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
                    goto out;
                }
                order = b;
                cap_order = n;
            }
            order[n_order++] = all.key[slot];
        }
    }
    if (got < 0)
        goto out;
    if (n_order == 0 && !(spec->select == SELECT_LIST && in_window > 0)) {
        /* A listed function missing from the window is named below. */
        no_requests(spec, events, in_window, ops_of(spec->format)->skipped(fmt), err);
        goto out;
    }
    /* Which names survive selection. */
    struct ranked *rank = calloc(n_order ? n_order : 1, sizeof *rank);
    if (!rank) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_order; i++) {
        rank[i].name = order[i];
        rank[i].count = all.count[map_find(&all, order[i])];
    }
    size_t n_keep = spec->select_n < n_order ? spec->select_n : n_order;
    if (spec->select == SELECT_TOP) {
        qsort(rank, n_order, sizeof *rank, by_count_then_name);
    } else if (spec->select == SELECT_SAMPLE) {
        /* Sample from the names in sorted order, so the draw does not depend on the
         * order the file lists them in. */
        qsort(rank, n_order, sizeof *rank, by_name);
        gsl_rng *pick = rng_stream_create(seed, replication, RNG_PLACEMENT);
        if (!pick) {
            free(rank);
            slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n_keep; i++) { /* partial Fisher-Yates */
            size_t j = i + gsl_rng_uniform_int(pick, n_order - i);
            struct ranked t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        gsl_rng_free(pick);
    }
    struct name_map chosen = {0};
    if (spec->select == SELECT_TOP || spec->select == SELECT_SAMPLE)
        for (size_t i = 0; i < n_keep; i++) {
            int added;
            if (map_put(&chosen, rank[i].name, &added) == (size_t)-1) {
                map_free(&chosen);
                free(rank);
                slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
                goto out;
            }
        }
    /* Indices in order of first appearance among the kept names. */
    r->names = calloc(n_order ? n_order : 1, sizeof *r->names);
    if (!r->names) {
        map_free(&chosen);
        free(rank);
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_order; i++) {
        if ((spec->select == SELECT_TOP || spec->select == SELECT_SAMPLE) &&
            map_find(&chosen, order[i]) < 0)
            continue;
        int added;
        size_t slot = map_put(&r->map, order[i], &added);
        if (slot == (size_t)-1) {
            map_free(&chosen);
            free(rank);
            slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
            goto out;
        }
        r->map.value[slot] = r->n_names;
        r->names[r->n_names++] = r->map.key[slot];
    }
    /* names[] points into the map, whose keys move when it grows: refresh. */
    for (size_t i = 0; i < r->map.cap; i++)
        if (r->map.key[i])
            r->names[r->map.value[i]] = r->map.key[i];
    map_free(&chosen);
    free(rank);
    if (spec->select == SELECT_LIST && r->n_names < spec->n_ids) {
        for (size_t i = 0; i < spec->n_ids; i++) {
            int found = 0;
            for (uint32_t k = 0; k < r->n_names && !found; k++) {
                const char *tail = strrchr(r->names[k], '/');
                found = strcmp(r->names[k], spec->ids[i]) == 0 ||
                        (tail && strcmp(tail + 1, spec->ids[i]) == 0);
            }
            if (!found) {
                if (spec->origin[0])
                    slsim_error_set(err, spec->origin, spec->at_trace.line,
                                    spec->at_trace.column, "workload.trace.functions",
                                    "function \"%s\" is not in the trace %s (or not in its "
                                    "window)",
                                    spec->ids[i], spec->path);
                else
                    slsim_error_set(err, spec->path, 1, 1, "functions",
                                    "function \"%s\" is not in the trace (or not in its "
                                    "window)",
                                    spec->ids[i]);
                goto out;
            }
        }
    }
    if (r->n_names == 0) {
        no_requests(spec, events, in_window, ops_of(spec->format)->skipped(fmt), err);
        goto out;
    }
    rc = 0;
out:
    if (fmt)
        ops_of(spec->format)->close(fmt);
    if (rng)
        gsl_rng_free(rng);
    free(order);
    map_free(&all);
    return rc;
}

struct trace_reader *trace_open(const struct trace_spec *spec, uint64_t seed,
                                uint32_t replication, struct slsim_error *err)
{
    struct trace_reader *r = calloc(1, sizeof *r);
    if (!r) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    r->spec = spec;
    r->ops = ops_of(spec->format);
    if (trace_check_files(spec, err) != 0 || count_and_select(r, seed, replication, err) != 0) {
        trace_close(r);
        return NULL;
    }
    /* The replay draws the same format randomness as the counting pass did, so the
     * two passes see the same events. */
    r->fmt_rng = rng_stream_create(seed, replication, RNG_SERVICE);
    r->scale_rng = rng_stream_create(seed, replication, RNG_ARRIVALS);
    if (!r->fmt_rng || !r->scale_rng) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        trace_close(r);
        return NULL;
    }
    r->fmt = r->ops->open(spec, r->fmt_rng, err);
    if (!r->fmt) {
        trace_close(r);
        return NULL;
    }
    return r;
}

int trace_next(struct trace_reader *r, struct trace_event *ev, struct slsim_error *err)
{
    const struct trace_spec *spec = r->spec;
    if (r->copies_left) {
        r->copies_left--;
        *ev = r->pending;
        return 1;
    }
    for (;;) {
        struct raw_event raw;
        int got = r->ops->next(r->fmt, &raw, err);
        if (got <= 0)
            return got;
        if (raw.t_ns < spec->window_start_ns)
            continue;
        if (raw.t_ns >= spec->window_end_ns)
            return 0;
        size_t c = ((uintptr_t)raw.key >> 4) & 255;
        long slot;
        if (r->cache[c].key == raw.key && r->cache[c].slot >= 0 &&
            strcmp(r->map.key[r->cache[c].slot], raw.key) == 0) {
            slot = r->cache[c].slot;
        } else {
            slot = map_find(&r->map, raw.key);
            r->cache[c].key = raw.key;
            r->cache[c].slot = slot;
        }
        if (slot < 0)
            continue; /* not selected */
        if (scaled_time(spec, raw.t_ns, &ev->t_ns, err))
            return -1;
        ev->function = r->map.value[slot];
        ev->duration_ns = raw.duration_ns;
        ev->memory_mb = raw.memory_mb;
        if (spec->rate_scale == 1.0)
            return 1;
        double whole = (double)(uint64_t)spec->rate_scale;
        double frac = spec->rate_scale - whole;
        uint32_t copies = (uint32_t)whole + (gsl_rng_uniform(r->scale_rng) < frac);
        if (copies == 0)
            continue;
        r->pending = *ev;
        r->copies_left = copies - 1;
        return 1;
    }
}

uint32_t trace_functions(const struct trace_reader *r)
{
    return r->n_names;
}

const char *trace_function_name(const struct trace_reader *r, uint32_t function)
{
    return function < r->n_names ? r->names[function] : "";
}

uint64_t trace_skipped(const struct trace_reader *r)
{
    return r->fmt ? r->ops->skipped(r->fmt) : 0;
}

double trace_progress(const struct trace_reader *r)
{
    return r->fmt ? r->ops->progress(r->fmt) : 0.0;
}

void trace_close(struct trace_reader *r)
{
    if (!r)
        return;
    if (r->fmt)
        r->ops->close(r->fmt);
    if (r->fmt_rng)
        gsl_rng_free(r->fmt_rng);
    if (r->scale_rng)
        gsl_rng_free(r->scale_rng);
    free(r->names);
    map_free(&r->map);
    free(r);
}

int trace_check(const struct trace_spec *spec, struct slsim_error *err)
{
    if (trace_check_files(spec, err))
        return -1;
    gsl_rng *rng = rng_stream_create(1, 0, RNG_SERVICE);
    if (!rng)
        return slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
    const struct trace_format_ops *ops = ops_of(spec->format);
    void *fmt = ops->open(spec, rng, err);
    int rc = fmt ? 1 : -1;
    uint64_t events = 0, in_window = 0;
    struct raw_event ev;
    /* The first event the replay would keep; selection by count needs the whole
     * trace, but any function with a request in the window can be selected. */
    while (rc == 1 && (rc = ops->next(fmt, &ev, err)) == 1) {
        events++;
        if (ev.t_ns < spec->window_start_ns)
            continue;
        if (ev.t_ns >= spec->window_end_ns) {
            rc = 0;
            break;
        }
        in_window++;
        if (spec->select != SELECT_LIST || listed(spec, ev.key))
            break;
    }
    if (rc == 0)
        no_requests(spec, events, in_window, ops->skipped(fmt), err);
    if (fmt)
        ops->close(fmt);
    gsl_rng_free(rng);
    return rc == 1 ? 0 : -1;
}

/* A header line's fields, matched by name in any order. */
static int header_has(const char *line, const char *const *names)
{
    for (; *names; names++) {
        size_t n = strlen(*names);
        const char *p = line;
        int found = 0;
        while (*p && !found) {
            const char *end = p + strcspn(p, ",\r\n");
            found = (size_t)(end - p) == n && memcmp(p, *names, n) == 0;
            p = *end == ',' ? end + 1 : end + strlen(end);
        }
        if (!found)
            return 0;
    }
    return 1;
}

int trace_detect_format(const char *path, enum trace_format *out, struct slsim_error *err)
{
    static const char *const azure2019[] = {"HashOwner", "HashApp", "HashFunction", "Trigger",
                                            NULL};
    static const char *const azure2021[] = {"app", "func", "end_timestamp", "duration", NULL};
    static const char *const llm[] = {"TIMESTAMP", "ContextTokens", "GeneratedTokens", NULL};
    if (check_file(NULL, path, NULL, (struct trace_at){1, 1},
                   "a header (azure2019, azure2021 and azure-llm have their own)", err))
        return -1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return slsim_error_set(err, path, 1, 1, NULL, "cannot open the trace file: %s",
                               strerror(errno));
    char buf[4096] = "", *line = buf;
    if (!fgets(buf, sizeof buf, f))
        buf[0] = '\0';
    fclose(f);
    if (memcmp(buf, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte-order mark */
        line += 3;
    line[strcspn(line, "\r\n")] = '\0';
    if (header_has(line, azure2019))
        *out = TRACE_AZURE2019;
    else if (header_has(line, azure2021))
        *out = TRACE_AZURE2021;
    else if (header_has(line, llm))
        *out = TRACE_AZURE_LLM;
    else
        return slsim_error_set(err, path, 1, 1, NULL,
                               "cannot tell the format from the header \"%.80s%s\": azure2019 "
                               "has HashOwner,HashApp,HashFunction,Trigger,1,2,...; azure2021 "
                               "app,func,end_timestamp,duration; azure-llm "
                               "TIMESTAMP,ContextTokens,GeneratedTokens; for csv, counts or "
                               "counts-wide say --as csv, --as counts or --as counts-wide",
                               line, strlen(line) > 80 ? "..." : "");
    return 0;
}
