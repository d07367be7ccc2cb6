/* capacity.h - how many instances a platform keeps, and how fast it may add more.
 *
 * Two small pure modules, no global state, no allocation beyond what is stated:
 *
 * Weekly schedules give an instance count that changes with the time of week
 * (provisioned concurrency on a schedule, scheduled warming). Simulated time 0 is
 * Monday 00:00, and every simulated week is the same: there is no calendar, no time
 * zone and no daylight-saving shift (a scenario in local time is one where the
 * clocks never change).
 *
 * The token bucket bounds how fast a serverless platform may start new instances.
 * AWS Lambda since 2023-11-27: each function may scale by 1,000 execution
 * environments every 10 seconds; AWS notes that in practice it refills continuously
 * rather than 1,000 at once every 10 s, and that unused scaling rate does not
 * accrue beyond 1,000. The bucket therefore refills continuously, in exact integer
 * arithmetic: "1000/10s" allows 1000 + floor(t / 10ms) instance starts by time t
 * after an idle period, never more than 1000 at one instant. */
#ifndef SLSIM_CAPACITY_H
#define SLSIM_CAPACITY_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/units.h"

#define SCHED_MIN_NS (60 * SIM_NS_PER_S)     /* one minute, the grain of schedules */
#define SCHED_DAY_NS (1440 * SCHED_MIN_NS)   /* one day */
#define SCHED_WEEK_NS (7 * SCHED_DAY_NS)     /* one week; time 0 is Monday 00:00 */
#define SCHED_DAYS_ALL 0x7f                  /* every day of the week */

/* ---- Weekly schedules ---------------------------------------------------------- */

/* One line of a schedule: `{days: mon-fri, from: "08:00", to: "20:00", count: 10}`.
 * The rule is in force on each of its days from from_min up to, not including,
 * to_min. If to_min <= from_min the rule spans midnight: it runs from from_min on
 * each of its days to to_min on the following day (from == to: a full 24 hours). */
struct sched_rule {
    uint8_t days;     /* bit d set: the rule starts on day d (bit 0 = Monday ... bit 6 = Sunday) */
    int32_t from_min; /* start, minutes after midnight, 0..1439 */
    int32_t to_min;   /* end, minutes after midnight, 0..1440 (1440 = "24:00") */
    uint32_t count;   /* instances while the rule is in force */
};

/* A count for every instant of the week: the last rule in force at that instant
 * (later rules override earlier ones where they overlap), else default_count.
 * `struct schedule s = {.default_count = n};` is a valid schedule without rules. */
struct schedule {
    uint32_t default_count;   /* instances when no rule is in force */
    struct sched_rule *rules; /* in order of the scenario file; owned (malloc) */
    size_t n_rules;           /* entries in rules */
};

/* Parse a day spec into a bit set (bit 0 = Monday). Grammar: a comma-separated list
 * of items, each a day (`mon tue wed thu fri sat sun`), a range `a-b` (every day
 * from a to b; it wraps around the week when b comes before a: `fri-mon` is fri,
 * sat, sun, mon; `mon-mon` is just Monday), or `daily`; in any letter case. Blanks
 * around items and dashes are allowed. Returns 0 and sets *days (never 0), or -1
 * with a one-line reason in why[0..whylen) and *days untouched. */
int sched_parse_days(const char *text, uint8_t *days, char *why, size_t whylen);

/* Parse a 24-hour clock "HH:MM" (the hour may have one digit, "8:05"; minutes must
 * have two) into minutes after midnight, 0..1440: "08:00" -> 480, and "24:00" ->
 * 1440 (the end of a day). Blanks around it are allowed. 0, or -1 with a reason. */
int sched_parse_clock(const char *text, int32_t *minutes, char *why, size_t whylen);

/* Parse and append one rule to s (days as sched_parse_days, from and to as
 * sched_parse_clock; from may not be "24:00"). On success s->rules may have moved.
 * Returns 0, or -1 with a reason (bad input, or out of memory) and s unchanged. */
int sched_add_rule(struct schedule *s, const char *days, const char *from, const char *to,
                   uint32_t count, char *why, size_t whylen);

/* The count in force at t. Precondition: t >= 0; rules as documented above. */
uint32_t sched_count_at(const struct schedule *s, sim_time t);

/* The largest count any rule or the default gives (an upper bound on
 * sched_count_at over the week; a rule hidden by later ones still counts). */
uint32_t sched_max_count(const struct schedule *s);

/* The first time > t at which the count differs from sched_count_at(s, t), or
 * SIM_TIME_FOREVER if it never changes again (no rules, or rules that never change
 * the count). A rule boundary where the count stays the same (two rules that meet
 * with equal counts, a rule hidden by a later one) is skipped, so a caller that
 * schedules one event per change never wakes for nothing. Cost O(R^2) for R rules.
 * Precondition: t >= 0. */
sim_time sched_next_change(const struct schedule *s, sim_time t);

/* Free the rules and leave s as a schedule without rules (default_count kept).
 * Safe on a schedule without rules and twice in a row. */
void sched_free(struct schedule *s);

/* Parse a daily time "HH:MM" (as sched_parse_clock, but "24:00" is rejected: a time
 * of day is below 24 h) into nanoseconds after midnight. 0, or -1 with a reason. */
int sched_parse_at(const char *text, sim_time *offset_in_day_ns, char *why, size_t whylen);

/* The first time > t that is offset_in_day_ns after a midnight, or
 * SIM_TIME_FOREVER if that is beyond the clock's range.
 * Preconditions: t >= 0, 0 <= offset_in_day_ns < SCHED_DAY_NS. */
sim_time sched_next_daily(sim_time t, sim_time offset_in_day_ns);

/* ---- Scaling-rate token bucket ------------------------------------------------- */

/* A scaling-rate limit: `burst` instances may start at once, and the allowance
 * refills continuously at `refill` instances per `refill_period_ns`, never above
 * `burst`. */
struct bucket_spec {
    uint32_t burst;            /* instances a full bucket allows at once (its capacity) */
    uint32_t refill;           /* instances added per refill_period_ns */
    sim_time refill_period_ns; /* the period of `refill`, ns */
};

/* AWS Lambda since 2023-11-27: 1000 at once, then 1000 per 10 s. */
#define BUCKET_AWS_2023 ((struct bucket_spec){1000, 1000, 10 * SIM_NS_PER_S})

/* AWS Lambda before 2023-11-27 (`legacy`): an initial burst of 3000, then 500 more
 * per minute. The burst depended on the region: 3000 in us-east-1, us-west-2 and
 * eu-west-1, 1000 in a few (Tokyo, Frankfurt, Ohio), 500 elsewhere; write
 * "1000+500/min" or "500+500/min" for those. Simplification: the old limit capped
 * the concurrency level reached during a burst, while this bucket counts instance
 * starts (as the 2023 limit does); the two agree while a burst only grows. */
#define BUCKET_AWS_LEGACY ((struct bucket_spec){3000, 500, 60 * SIM_NS_PER_S})

/* The bucket's state, plain memory (embed it anywhere). Credit is counted in
 * exact integer ticks: one token is worth token_ticks, and each nanosecond adds
 * ticks_per_ns, the refill rate reduced to lowest terms. */
struct token_bucket {
    int64_t ticks;        /* credit at last_ns: whole tokens x token_ticks + a part, ticks */
    int64_t max_ticks;    /* credit of a full bucket: burst x token_ticks */
    int64_t token_ticks;  /* ticks one instance start costs */
    int64_t ticks_per_ns; /* ticks the refill adds per nanosecond */
    sim_time last_ns;     /* time `ticks` is up to date at, ns */
};

/* Parse a scaling-rate limit:
 *   `<n>/<period>`          burst n, refilled at n per period ("1000/10s", "500/min")
 *   `<burst>+<n>/<period>`  burst, then n per period ("3000+500/min")
 *   `legacy`                BUCKET_AWS_LEGACY, handled here
 * n and burst are whole numbers >= 1; period is a duration of units.h ("10s", "1.5m")
 * or a bare unit ("min" = "1min"), > 0 and not forever. Blanks are allowed around
 * each part. Returns 0 and fills *spec, or -1 with a reason (including a rate too
 * fine for the exact arithmetic, see bucket_spec_check). */
int bucket_parse(const char *text, struct bucket_spec *spec, char *why, size_t whylen);

/* 0 if spec can drive a bucket: burst, refill and period >= 1, and burst x token
 * ticks within range (about 4.6e18: 3000 per day or 1e6 per second are fine).
 * Else -1 with a reason. For specs built in code rather than parsed. */
int bucket_spec_check(const struct bucket_spec *spec, char *why, size_t whylen);

/* Start a full bucket at time now. Precondition: bucket_spec_check(spec) == 0. */
void bucket_init(struct token_bucket *b, const struct bucket_spec *spec, sim_time now);

/* Take one token (allow one new instance) at time now if there is one: 1 if taken,
 * 0 if the limit says wait (see bucket_next_token). Precondition: now is not
 * earlier than the last call's now (time never goes backwards). */
int bucket_take(struct token_bucket *b, sim_time now);

/* Whole tokens available at time now (instances that may start at once). */
uint32_t bucket_available(const struct token_bucket *b, sim_time now);

/* The earliest time >= now at which bucket_take would succeed: now if a token is
 * there, else the exact nanosecond the next one completes. */
sim_time bucket_next_token(const struct token_bucket *b, sim_time now);

#endif
