/* units.h - the simulator clock and the units of scenario files.
 *
 * Time is int64_t nanoseconds: billing rounds to milliseconds and results must be
 * bit-identical for one seed, which a floating-point clock cannot promise.
 * Unit grammar (docs/SCENARIO.md): durations `250ns 20us 250ms 1.5s 10m 10min 2h 7d`,
 * compound from the largest unit down (`1h30m`), or `forever`; sizes `512B 98MB 2GB`
 * (powers of 10) and `2GiB 512MiB` (powers of 2); rates `5/s 300/min 1000/h 1e6/d`.
 * A number without its unit is refused ("500 needs a unit: 500ms or 500s?"), except
 * 0, which is 0 in every unit. */
#ifndef SLSIM_UNITS_H
#define SLSIM_UNITS_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t sim_time; /* nanoseconds since the start of the simulation */

#define SIM_NS_PER_US 1000LL
#define SIM_NS_PER_MS 1000000LL
#define SIM_NS_PER_S 1000000000LL
#define SIM_TIME_FOREVER INT64_MAX /* `forever`: a time that never comes */

/* a + b for non-negative times, saturating at SIM_TIME_FOREVER instead of
 * overflowing: "forever after t" is still forever. */
static inline sim_time sim_time_add(sim_time a, sim_time b)
{
    return a > SIM_TIME_FOREVER - b ? SIM_TIME_FOREVER : a + b;
}

/* Each parser returns 0 and stores the value, or returns -1 and writes a one-line
 * reason (without the location, which the caller knows) into why[0..whylen).
 * Leading and trailing blanks are allowed; anything else after the unit is not. */

/* Durations: rejects negative values, a bare number other than 0, compound parts
 * out of order or repeated, and values that overflow int64 nanoseconds.
 * Fractions of a nanosecond are rounded to the nearest nanosecond.
 * `forever` gives SIM_TIME_FOREVER. */
int units_parse_duration(const char *s, sim_time *out_ns, char *why, size_t whylen);

/* Sizes in bytes; rejects negative values and a bare number other than 0.
 * Fractions are rounded to whole bytes. */
int units_parse_size(const char *s, int64_t *out_bytes, char *why, size_t whylen);

/* Rates in events per second; rejects negative values and a bare number other
 * than 0. */
int units_parse_rate(const char *s, double *out_per_s, char *why, size_t whylen);

/* A plain finite number (no unit). */
int units_parse_number(const char *s, double *out, char *why, size_t whylen);

/* Write a duration for people ("250ms", "1.5s", "10m", "7d", "forever"). */
void units_format_duration(sim_time ns, char *buf, size_t n);

/* Write a size for people: the shortest exact form ("98MB", "2GiB"), else the
 * largest decimal unit that fits, with decimals ("123.457MB"). */
void units_format_size(int64_t bytes, char *buf, size_t n);

#endif
