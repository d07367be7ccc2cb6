/* fuzz_trace.h - the checks every trace-reader target makes, through the public
 * trace API as the simulator uses it: trace_open (whose counting pass reads the
 * whole file and names the functions), trace_functions, then trace_next to the end.
 *
 * For one input and seed:
 *  A. selection `all`, no scaling: events in time order, function indices inside
 *     the table, durations -1 or >= 0; every function the counting pass named
 *     arrives at least once in the replay, and a replay of a file the counting pass
 *     read without error does not fail;
 *  B. selection `top:k`: the kept functions are the k with the most events in A
 *     (ties by name, as the counting pass ranks them) with A's counts exactly; with
 *     k at least A's functions the replay is A's, event for event;
 *  C. the options' time scale, rate scale and window: time order and index range
 *     (only after a complete A: a trace too long for A is long for C too).
 * Every failure follows the error rule (fuzz_common.h). A replay stops after
 * FUZZ_MAX_EVENTS events; the comparisons need complete replays and are skipped
 * for one that was cut. */
#ifndef SLSIM_FUZZ_TRACE_H
#define SLSIM_FUZZ_TRACE_H

#include "fuzz_common.h"
#include "slsim/trace.h"

struct fuzz_replay {
    int opened;        /* trace_open succeeded */
    int complete;      /* read to the end without error or cut */
    uint32_t n;        /* trace_functions */
    char **names;      /* names[0..n), owned */
    uint64_t *count;   /* events per function, owned */
    uint64_t total;    /* events */
    uint64_t hash;     /* of the event sequence (time, name, duration, memory) */
};

static void fuzz_replay_free(struct fuzz_replay *p)
{
    for (uint32_t i = 0; p->names && i < p->n; i++)
        free(p->names[i]);
    free(p->names);
    free(p->count);
    memset(p, 0, sizeof *p);
}

static uint64_t fuzz_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xbf58476d1ce4e5b9ULL;
}

static uint64_t fuzz_str_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Open, count, replay and check spec's trace. */
static void fuzz_replay(const struct trace_spec *spec, uint64_t seed, const char *what,
                        struct fuzz_replay *out)
{
    memset(out, 0, sizeof *out);
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    struct trace_reader *r = trace_open(spec, seed, 0, &err);
    if (!r) {
        fuzz_check_error(&err, what);
        return;
    }
    out->opened = 1;
    out->n = trace_functions(r);
    out->names = calloc(out->n ? out->n : 1, sizeof *out->names);
    out->count = calloc(out->n ? out->n : 1, sizeof *out->count);
    if (!out->names || !out->count)
        abort();
    uint64_t *name_hash = calloc(out->n ? out->n : 1, sizeof *name_hash);
    if (!name_hash)
        abort();
    for (uint32_t f = 0; f < out->n; f++) {
        const char *name = trace_function_name(r, f);
        FUZZ_CHECK(name != NULL, "%s: function %u has no name", what, f);
        if (!(out->names[f] = strdup(name)))
            abort();
        name_hash[f] = fuzz_str_hash(name);
    }
    struct trace_event ev;
    sim_time prev = 0;
    int got;
    while (out->total < FUZZ_MAX_EVENTS && (got = trace_next(r, &ev, &err)) == 1) {
        FUZZ_CHECK(ev.t_ns >= prev, "%s: event %llu goes back in time: %lld ns after %lld ns",
                   what, (unsigned long long)out->total, (long long)ev.t_ns, (long long)prev);
        FUZZ_CHECK(ev.function < out->n, "%s: event %llu has function %u of %u", what,
                   (unsigned long long)out->total, ev.function, out->n);
        FUZZ_CHECK(ev.duration_ns >= -1, "%s: event %llu has duration %lld ns", what,
                   (unsigned long long)out->total, (long long)ev.duration_ns);
        prev = ev.t_ns;
        out->count[ev.function]++;
        out->total++;
        out->hash = fuzz_mix(out->hash, (uint64_t)ev.t_ns);
        out->hash = fuzz_mix(out->hash, name_hash[ev.function]);
        out->hash = fuzz_mix(out->hash, (uint64_t)ev.duration_ns);
        out->hash = fuzz_mix(out->hash, ev.memory_mb);
        out->hash = fuzz_mix(out->hash, ((uint64_t)ev.prompt_tokens << 32) | ev.output_tokens);
    }
    free(name_hash);
    if (out->total < FUZZ_MAX_EVENTS && got < 0) {
        fuzz_check_error(&err, what);
        /* The counting pass read the same rows with the same randomness. */
        FUZZ_CHECK(0, "%s: the replay failed where the counting pass did not: %s:%d:%d: %s",
                   what, err.file, err.line, err.column, err.message);
    }
    out->complete = out->total < FUZZ_MAX_EVENTS;
    (void)trace_skipped(r);
    double p = trace_progress(r);
    FUZZ_CHECK(p >= 0 && p <= 1, "%s: progress %g outside [0, 1]", what, p);
    trace_close(r);
}

/* Whether a count format's file asks for more than FUZZ_MAX_ARRIVALS arrivals: the
 * sum of the fields from column `first` (0-based) of every line, those that read as
 * numbers (blanks and quotes aside). Such inputs are skipped: trace_open's counting
 * pass makes every arrival, so their cost is the work they ask for (progress moves,
 * memory stays bounded), not a fault; tests/test_trace_stats.c and
 * tests/test_trace_counts.c check huge counts in bounded memory. */
#define FUZZ_MAX_ARRIVALS 1e6

static inline int fuzz_counts_too_many(const uint8_t *d, size_t n, size_t first)
{
    double sum = 0;
    size_t field = 0;
    char buf[64];
    size_t len = 0;
    for (size_t i = 0; i <= n; i++) {
        int end_field = i == n || d[i] == ',' || d[i] == '\n' || d[i] == '\r';
        if (!end_field) {
            if (d[i] != ' ' && d[i] != '\t' && d[i] != '"' && len + 1 < sizeof buf)
                buf[len++] = (char)d[i];
            continue;
        }
        buf[len] = '\0';
        if (field >= first && len) {
            char *e;
            double v = strtod(buf, &e);
            if (e != buf && v > 0)
                sum += v;
            if (!(sum <= FUZZ_MAX_ARRIVALS)) /* NaN too */
                return 1;
        }
        len = 0;
        field = i < n && d[i] == ',' ? field + 1 : 0;
    }
    return 0;
}

struct fuzz_rank {
    const char *name;
    uint64_t count;
};

static int fuzz_by_count_then_name(const void *a, const void *b)
{
    const struct fuzz_rank *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Options for a replay, from a byte of the input: bit 0 the seed, bits 1-2 k of
 * top:k, bits 3-4 the time scale, bits 5-6 the rate scale, bit 7 a window of
 * [30 s, 90 s). */
struct fuzz_opts {
    uint64_t seed;
    uint32_t top_k;          /* B: 1..4 */
    double time_scale;       /* C */
    double rate_scale;       /* C */
    sim_time window_start_ns, window_end_ns; /* C */
};

static struct fuzz_opts fuzz_opts_from(uint8_t b)
{
    static const double time_scales[] = {1.0, 0.5, 2.0, 1e-3};
    static const double rate_scales[] = {1.0, 0.5, 2.5, 0.01};
    struct fuzz_opts o;
    o.seed = 1 + (b & 1);
    o.top_k = 1 + ((b >> 1) & 3);
    o.time_scale = time_scales[(b >> 3) & 3];
    o.rate_scale = rate_scales[(b >> 5) & 3];
    o.window_start_ns = (b >> 7) ? 30 * SIM_NS_PER_S : 0;
    o.window_end_ns = (b >> 7) ? 90 * SIM_NS_PER_S : SIM_TIME_FOREVER;
    return o;
}

/* A, B and C for spec (selection all, no scaling, whole trace as given). */
static void fuzz_trace_check(struct trace_spec *spec, uint8_t opt_byte)
{
    struct fuzz_opts o = fuzz_opts_from(opt_byte);
    struct fuzz_replay a, b;
    fuzz_replay(spec, o.seed, "replay", &a);
    if (a.complete) {
        for (uint32_t f = 0; f < a.n; f++)
            FUZZ_CHECK(a.count[f] >= 1,
                       "the counting pass named function %u \"%s\" but the replay has no "
                       "event of it (%llu events in all)",
                       f, a.names[f], (unsigned long long)a.total);

        struct trace_spec top = *spec;
        top.select = SELECT_TOP;
        top.select_n = o.top_k;
        fuzz_replay(&top, o.seed, "top replay", &b);
        FUZZ_CHECK(b.opened, "top:%u fails to open what `all` opened", o.top_k);
        uint32_t k = o.top_k < a.n ? o.top_k : a.n;
        FUZZ_CHECK(b.n == k, "top:%u keeps %u functions of %u", o.top_k, b.n, a.n);
        FUZZ_CHECK(b.complete, "top:%u replay is cut where `all` was not", o.top_k);
        struct fuzz_rank *rank = calloc(a.n ? a.n : 1, sizeof *rank);
        if (!rank)
            abort();
        for (uint32_t f = 0; f < a.n; f++) {
            rank[f].name = a.names[f];
            rank[f].count = a.count[f];
        }
        qsort(rank, a.n, sizeof *rank, fuzz_by_count_then_name);
        uint64_t kept = 0;
        for (uint32_t i = 0; i < k; i++) {
            uint32_t g = 0;
            while (g < b.n && strcmp(b.names[g], rank[i].name) != 0)
                g++;
            FUZZ_CHECK(g < b.n,
                       "top:%u does not keep \"%s\", number %u with %llu events in the replay",
                       o.top_k, rank[i].name, i + 1, (unsigned long long)rank[i].count);
            FUZZ_CHECK(b.count[g] == rank[i].count,
                       "\"%s\" has %llu events under top:%u and %llu under all", rank[i].name,
                       (unsigned long long)b.count[g], o.top_k,
                       (unsigned long long)rank[i].count);
            kept += rank[i].count;
        }
        FUZZ_CHECK(b.total == kept, "top:%u delivers %llu events, its functions have %llu",
                   o.top_k, (unsigned long long)b.total, (unsigned long long)kept);
        if (k == a.n)
            FUZZ_CHECK(b.hash == a.hash && b.total == a.total,
                       "top:%u keeps every function but replays differently", o.top_k);
        free(rank);
        fuzz_replay_free(&b);
    }
    int cut = a.opened && !a.complete;
    fuzz_replay_free(&a);
    if (cut)
        return; /* a third pass over a trace this long would find nothing new */

    struct trace_spec scaled = *spec;
    scaled.time_scale = o.time_scale;
    scaled.rate_scale = o.rate_scale;
    scaled.window_start_ns = o.window_start_ns;
    scaled.window_end_ns = o.window_end_ns;
    struct fuzz_replay c;
    fuzz_replay(&scaled, o.seed, "scaled replay", &c);
    fuzz_replay_free(&c);
}

/* A spec as trace_spec_default makes it, for format f reading data[0..n) (input
 * file 0). */
static void fuzz_spec(struct trace_spec *t, enum trace_format f, const uint8_t *data, size_t n)
{
    trace_spec_default(t);
    t->format = f;
    snprintf(t->path, sizeof t->path, "%s", fuzz_write(0, ".csv", data, n));
}

/* The common options from a byte: within-interval mode, skip_bad, header. */
static void fuzz_spec_common(struct trace_spec *t, uint8_t b)
{
    static const enum trace_within within[] = {WITHIN_POISSON, WITHIN_UNIFORM,
                                               WITHIN_EQUIDISTANT, WITHIN_POISSON};
    t->within = within[b & 3];
    t->skip_bad = (b >> 2) & 1;
    t->header = !((b >> 3) & 1);
}

#endif
