/* trace_counting.h - what the two count formats (azure2019, counts) share, internal
 * to sim/workload: turning a count of arrivals in an interval into arrival times, and
 * checking a row's width and its counts.
 *
 * Every within-interval mode keeps the count exactly: a trace that says 7
 * invocations in a minute replays as 7 arrivals in that minute, never 6 or 8.
 *
 * `equidistant` gives each function its own phase: with one shared phase every
 * function's first call of every interval would fall at the same instant, and a
 * hundred functions at one call a minute would all start together (a shared memory
 * capacity then throttles most of them), which no real fleet of timers does. */
#ifndef SLSIM_TRACE_COUNTING_H
#define SLSIM_TRACE_COUNTING_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/containers.h"
#include "trace_internal.h"

/* The salt that makes equidistant phases depend on the seed: one draw from the
 * format's stream at open, made only in equidistant mode so that the other modes'
 * arrivals do not move. */
static inline uint64_t trace_within_salt(enum trace_within mode, gsl_rng *rng)
{
    return mode == WITHIN_EQUIDISTANT ? (uint64_t)gsl_rng_get(rng) : 0;
}

/* The phase of the function named key, in [0, 1): FNV-1a of the name, mixed with
 * salt by SplitMix64's finalizer (Steele, Lea and Flood, 2014), top 53 bits. It
 * depends on the name and the salt only, so the counting pass and the replay, every
 * deployment and every --jobs agree, and selecting other functions does not move it. */
static inline double trace_within_phase(uint64_t salt, const char *key)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    uint64_t z = h ^ salt;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* Fill out[0..c) with c non-decreasing offsets in [0, interval_ns), c >= 1.
 * scratch holds c + 1 doubles (poisson and uniform; unused for equidistant).
 *  poisson:     c + 1 exponential variates, cumulative sums divided by the last
 *               one, the first c kept: the order statistics of c uniform points,
 *               which is what a Poisson process conditioned on c arrivals gives;
 *  uniform:     the same with uniform(0,1) gaps: spacings vary less, so arrivals
 *               are more regular than Poisson;
 *  equidistant: (k + phase) interval / c, k = 0..c-1, phase in [0, 1) the
 *               function's (trace_within_phase; ignored by the other modes).
 * Offsets are truncated to the nanosecond and kept below interval_ns, so every
 * arrival stays inside its interval. The readers use trace_within_begin and
 * trace_within_next, which give these values without the c-element arrays; this is
 * the reference they are tested against. */
static inline void trace_within_fill(enum trace_within mode, uint64_t c, sim_time interval_ns,
                                     gsl_rng *rng, double phase, double *scratch, sim_time *out)
{
    const double span = (double)interval_ns;
    double sum = 0;
    if (mode != WITHIN_EQUIDISTANT) {
        for (uint64_t k = 0; k <= c; k++) {
            /* -log of a uniform in (0,1]: a unit exponential that is never infinite. */
            sum += mode == WITHIN_POISSON ? -log(gsl_rng_uniform_pos(rng)) : gsl_rng_uniform(rng);
            scratch[k] = sum;
        }
    } else if (!(phase >= 0 && phase < 1)) {
        phase = 0.5;
    }
    for (uint64_t k = 0; k < c; k++) {
        /* sum == 0 only when c + 1 uniform gaps are all 0: then spread evenly. */
        double frac = mode == WITHIN_EQUIDISTANT ? ((double)k + phase) / (double)c
                      : sum > 0                  ? scratch[k] / sum
                                                 : ((double)k + 0.5) / (double)c;
        sim_time t = (sim_time)(frac * span);
        out[k] = t < interval_ns ? t : interval_ns - 1;
    }
}

/* One unit gap: -log of a uniform in (0,1] (a unit exponential that is never
 * infinite) for poisson, a uniform in [0,1) for uniform. */
static inline double trace_within_gap(enum trace_within mode, gsl_rng *rng)
{
    return mode == WITHIN_POISSON ? -log(gsl_rng_uniform_pos(rng)) : gsl_rng_uniform(rng);
}

/* Counts up to this many are drawn into a buffer of c + 1 doubles (32 KiB at most);
 * larger ones are streamed in O(1) memory. Both give the same offsets. */
#define WITHIN_BUFFERED 4096u

/* One interval's offsets handed out one at a time: trace_within_fill's values in its
 * order, without its c-element arrays, so that a count of billions costs no memory.
 * The offsets of poisson and uniform are cumulative sums divided by the total of all
 * c + 1 gaps, which is known only after the last gap: a streamed interval copies the
 * format's rng into `own` first, draws the c + 1 gaps from the format's rng for the
 * total (leaving it exactly where trace_within_fill leaves it), then draws the same
 * gaps again from `own` as the offsets are asked for. Same additions in the same
 * order, so the same doubles: the replay does not depend on which path a count took. */
struct within_stream {
    enum trace_within mode;
    uint64_t c, k;      /* arrivals in the interval; handed out so far */
    double span, phase; /* interval_ns as a double; equidistant phase */
    double sum, acc;    /* total of the c + 1 gaps; running sum of those handed out */
    sim_time interval_ns;
    const double *cum;  /* buffered: the c + 1 running sums; NULL when streamed */
    gsl_rng *own;       /* streamed: the rng as the interval began */
};

/* Begin an interval of c >= 1 arrivals (see trace_within_fill for the modes). cum,
 * when not NULL, holds c + 1 doubles and the interval is buffered there; else own (a
 * generator of rng's type, gsl_rng_clone) is overwritten and the interval streamed.
 * Either way rng is left where trace_within_fill leaves it. */
static inline void trace_within_begin(struct within_stream *s, enum trace_within mode, uint64_t c,
                                      sim_time interval_ns, gsl_rng *rng, double phase,
                                      double *cum, gsl_rng *own)
{
    s->mode = mode;
    s->c = c;
    s->k = 0;
    s->span = (double)interval_ns;
    s->interval_ns = interval_ns;
    s->phase = phase >= 0 && phase < 1 ? phase : 0.5;
    s->sum = s->acc = 0;
    s->cum = NULL;
    s->own = NULL;
    if (mode == WITHIN_EQUIDISTANT)
        return;
    double sum = 0;
    if (cum) {
        for (uint64_t k = 0; k <= c; k++) {
            sum += trace_within_gap(mode, rng);
            cum[k] = sum;
        }
        s->cum = cum;
    } else {
        gsl_rng_memcpy(own, rng);
        for (uint64_t k = 0; k <= c; k++)
            sum += trace_within_gap(mode, rng);
        s->own = own;
    }
    s->sum = sum;
}

/* The next offset in [0, interval_ns) (non-decreasing); at most c calls. */
static inline sim_time trace_within_next(struct within_stream *s)
{
    uint64_t k = s->k++;
    double frac;
    if (s->mode == WITHIN_EQUIDISTANT) {
        frac = ((double)k + s->phase) / (double)s->c;
    } else if (s->sum > 0) {
        if (s->cum) {
            frac = s->cum[k] / s->sum;
        } else {
            s->acc += trace_within_gap(s->mode, s->own);
            frac = s->acc / s->sum;
        }
    } else {
        frac = ((double)k + 0.5) / (double)s->c;
    }
    sim_time t = (sim_time)(frac * s->span);
    return t < s->interval_ns ? t : s->interval_ns - 1;
}

/* The intervals of several functions merged into one time-ordered stream, ties in
 * the order of `id` (row or column): what sorting the interval's arrivals by (time,
 * id) gives, with memory O(functions) instead of O(arrivals). Small counts are
 * buffered in one pool of at most WITHIN_POOL doubles, the others streamed. */
#define WITHIN_POOL 65536u

struct within_src {
    struct within_stream s;
    size_t cum_at; /* buffered: where its running sums start in the pool; SIZE_MAX: streamed */
};

/* A source's place in the merge: 16 bytes, so a sift moves little (the sources, a
 * hundred bytes each, stay where they were added). */
struct within_key {
    sim_time next; /* its next arrival, absolute */
    uint32_t id;
    uint32_t src;  /* index into within_merge.src */
};

struct within_merge {
    struct within_src *src;  /* the interval's sources, in the order added */
    struct within_key *heap; /* min-heap on (next, id) of those with arrivals left */
    size_t n, live;          /* sources added; in the heap */
    size_t cap_src, cap_heap;
    double *pool;
    size_t pool_len;
    gsl_rng **own; /* clones, one per streamed source, reused */
    size_t n_own, cap_own;
    int failed; /* out of memory */
};

static inline void within_merge_free(struct within_merge *m)
{
    for (size_t i = 0; i < m->cap_own; i++)
        if (m->own[i])
            gsl_rng_free(m->own[i]);
    free(m->own);
    free(m->src);
    free(m->heap);
    free(m->pool);
    memset(m, 0, sizeof *m);
}

static inline int within_key_less(const struct within_key *x, const struct within_key *y)
{
    return x->next < y->next || (x->next == y->next && x->id < y->id);
}

HEAPQ_DEFINE(within_heap, struct within_key, within_key_less)

/* Start a new interval: no sources. */
static inline void within_merge_reset(struct within_merge *m)
{
    m->n = m->live = m->pool_len = m->n_own = 0;
}

/* Add id's c >= 1 arrivals starting at base (call in id order: rng is drawn in
 * that order, as trace_within_fill for each in turn). 0, or -1 out of memory. */
static inline int within_merge_add(struct within_merge *m, uint32_t id, enum trace_within mode,
                                   uint64_t c, sim_time base, sim_time interval_ns, gsl_rng *rng,
                                   double phase)
{
    if (m->n == m->cap_src && vec_grow((void **)&m->src, &m->cap_src, sizeof *m->src, 64))
        return m->failed = -1;
    if (m->n == m->cap_heap && vec_grow((void **)&m->heap, &m->cap_heap, sizeof *m->heap, 64))
        return m->failed = -1;
    if (!m->pool && !(m->pool = malloc(WITHIN_POOL * sizeof *m->pool)))
        return m->failed = -1;
    struct within_src *src = &m->src[m->n];
    src->cum_at = SIZE_MAX;
    gsl_rng *own = NULL;
    if (mode != WITHIN_EQUIDISTANT && c < WITHIN_POOL - m->pool_len) {
        src->cum_at = m->pool_len;
        m->pool_len += (size_t)c + 1;
    } else if (mode != WITHIN_EQUIDISTANT) {
        if (m->n_own == m->cap_own) {
            size_t was = m->cap_own;
            if (vec_grow((void **)&m->own, &m->cap_own, sizeof *m->own, 16))
                return m->failed = -1;
            memset(m->own + was, 0, (m->cap_own - was) * sizeof *m->own);
        }
        if (!m->own[m->n_own] && !(m->own[m->n_own] = gsl_rng_clone(rng)))
            return m->failed = -1;
        own = m->own[m->n_own++];
    }
    trace_within_begin(&src->s, mode, c, interval_ns, rng, phase,
                       src->cum_at == SIZE_MAX ? NULL : m->pool + src->cum_at, own);
    m->heap[m->n] = (struct within_key){base + trace_within_next(&src->s), id, (uint32_t)m->n};
    m->n++;
    return 0;
}

/* After the last add: order the sources. */
static inline void within_merge_ready(struct within_merge *m)
{
    m->live = m->n;
    for (size_t i = m->live / 2; i-- > 0;)
        within_heap_down_from(m->heap, m->live, i, m->heap[i]);
}

/* The next arrival: its time and id. 1, or 0 when the interval is done. Each source's
 * offsets come out already sorted (trace_within_next), so the interval is a merge of
 * sorted runs: one sift per arrival, nothing sorted. */
static inline int within_merge_pop(struct within_merge *m, sim_time base, sim_time *t,
                                   uint32_t *id)
{
    if (m->live == 0)
        return 0;
    struct within_key top = m->heap[0];
    *t = top.next;
    *id = top.id;
    struct within_src *src = &m->src[top.src];
    if (src->s.k < src->s.c) {
        top.next = base + trace_within_next(&src->s);
        within_heap_down(m->heap, m->live, top);
    } else if (--m->live) {
        within_heap_down(m->heap, m->live, m->heap[m->live]);
    }
    return 1;
}

/* Every non-zero count of spec's file, in a format with counts (TRACE_FORMAT_COUNTS:
 * counts, counts-wide, azure2019), interval after interval, without making a single
 * arrival (struct trace_count): what `slsim trace stats` sums, in time proportional
 * to the file, not to the counts. The file is read and checked exactly as a replay
 * reads it (same errors; rows skipped under spec->skip_bad are counted into
 * *skipped). Selection, window and scaling are not applied. 0, or -1 with err (a
 * format without counts: an error naming it). */
int trace_counts_each(const struct trace_spec *spec, trace_count_visit visit, void *ctx,
                      uint64_t *skipped, struct slsim_error *err);

/* The current row must have exactly n fields (the header's). 0, or -1 with err at
 * the first extra field or at the end of a short line, which on the file's last
 * line without a newline is reported as a truncated file; a missing field is named
 * by its column in the header, where the reader kept one (csv_keep_header). */
static inline int trace_row_width(const struct csv_reader *r, size_t n, struct slsim_error *err)
{
    if (r->n == n)
        return 0;
    if (r->n > n)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[n], NULL,
                               "extra field: %zu fields expected, this line has %zu", n, r->n);
    /* Fields are split in place: the line ends after the last field, and after its
     * closing quote when it was quoted (its text then starts after its column). */
    const char *last = r->field[r->n - 1];
    size_t end = (size_t)(last - r->line) + strlen(last);
    if ((size_t)(last - r->line) + 1 != r->col[r->n - 1])
        end++;
    const char *key = csv_header_name(r, r->n);
    if (r->ended_without_newline)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)end + 1, key,
                               "truncated file: the last line has %zu of %zu fields", r->n, n);
    return slsim_error_set(err, r->path, (int)r->lineno, (int)end + 1, key,
                           "missing field: %zu fields expected, this line has %zu", n, r->n);
}

/* A count row at t_ns (field 0 of r's current line) after one at prev_ns: later,
 * and, when interval_ns is known (> 0), at least one interval later. 0, or -1 with
 * err at the time field. */
static inline int trace_row_after(const struct csv_reader *r, sim_time t_ns, sim_time prev_ns,
                                  sim_time interval_ns, struct slsim_error *err)
{
    if (t_ns <= prev_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[0], "time",
                               "time %s %s the previous row's: rows must be in time order",
                               r->field[0], t_ns == prev_ns ? "repeats" : "goes back before");
    if (interval_ns && t_ns - prev_ns < interval_ns) {
        char len[32];
        units_format_duration(interval_ns, len, sizeof len);
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[0], "time",
                               "time %s starts before the previous interval has ended: rows "
                               "must be at least one interval (%s) apart",
                               r->field[0], len);
    }
    return 0;
}

/* Field i as a count: a whole number >= 0 ("12"; "12.0" and "1e3" are accepted as
 * numbers with no fraction, up to 2^53). 0, or -1 with err at the field: a negative
 * count, a fraction, not a number. */
static inline int trace_row_count(const struct csv_reader *r, size_t i, uint64_t *out,
                                  struct slsim_error *err)
{
    const char *s = r->field[i];
    uint64_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && v < UINT64_MAX / 10 - 1; p++) /* the common case */
        v = v * 10 + (uint64_t)(*p - '0');
    if (p != s && *p == '\0') {
        *out = v;
        return 0;
    }
    double d;
    if (csv_double(r, i, "count", &d, err))
        return -1;
    if (d < 0)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], "count",
                               "negative count %s", s);
    if (d != floor(d) || d > 9007199254740992.0)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], "count",
                               "expected a whole number of invocations, got %s", s);
    *out = (uint64_t)d;
    return 0;
}

#endif
