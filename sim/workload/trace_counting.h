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
#include <string.h>

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
 * arrival stays inside its interval. */
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

/* The current row must have exactly n fields (the header's). 0, or -1 with err at
 * the first extra field or at the end of a short line, which on the file's last
 * line without a newline is reported as a truncated file. */
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
    if (r->ended_without_newline)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)end + 1, NULL,
                               "truncated file: the last line has %zu of %zu fields", r->n, n);
    return slsim_error_set(err, r->path, (int)r->lineno, (int)end + 1, NULL,
                           "missing field: %zu fields expected, this line has %zu", n, r->n);
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
