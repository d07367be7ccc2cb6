/* capacity.c - weekly instance-count schedules and the scaling-rate token bucket.
 *
 * Schedules are evaluated, not expanded: the count at t is found by scanning the
 * rules from last to first, so a week of rules costs nothing until asked. Rule
 * boundaries fall on whole minutes of a fixed week starting Monday 00:00 (time 0);
 * there are no calendars or daylight-saving shifts in simulated time.
 *
 * The token bucket refills continuously, as AWS says Lambda does in practice, but
 * in integers: a rate of n tokens per P ns becomes, after dividing both by their
 * greatest common divisor, token_ticks = P/g ticks per token and ticks_per_ns = n/g
 * ticks per nanosecond. Every refill is then exact, so "1000/10s" grants its
 * 1001st instance at 10 ms, not at 9.999999 ms or 10.000001 ms as a double would,
 * and two runs with one seed stay bit-identical. */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/capacity.h"
#include "slsim/text.h"

/* End of [s, end) once trailing blanks are dropped. */
static const char *trim_end(const char *s, const char *end)
{
    while (end > s && text_is_blank(end[-1]))
        end--;
    return end;
}

/* A piece of the user's text, shortened so one bad value cannot fill the message. */
#define SHOWN_MAX 60
#define SHOW(s, e) (int)((e) - (s) < SHOWN_MAX ? (e) - (s) : SHOWN_MAX), (s)

/* ---- Weekly schedules ---------------------------------------------------------- */

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

#define EXPECT_DAYS "expected days such as mon-fri, sat,sun, wed-mon or daily"
#define EXPECT_CLOCK "expected a time of day HH:MM such as 08:00 or 24:00"

/* Is [s, e) the lower-case word w, in any letter case? */
static int same_word(const char *s, const char *e, const char *w)
{
    if ((size_t)(e - s) != strlen(w))
        return 0;
    for (; s < e; s++, w++)
        if (tolower((unsigned char)*s) != *w)
            return 0;
    return 1;
}

/* Index 0..6 of the day named by [s, e) (blanks already trimmed), or -1. */
static int day_index(const char *s, const char *e)
{
    for (int d = 0; d < 7; d++)
        if (same_word(s, e, day_names[d]))
            return d;
    return -1;
}

static int unknown_day(const char *s, const char *e, char *why, size_t whylen)
{
    if (s == e)
        return text_fail(why, whylen, "%s; a day is missing", EXPECT_DAYS);
    return text_fail(why, whylen,
                     "unknown day \"%.*s\": expected mon, tue, wed, thu, fri, sat, sun or daily",
                     SHOW(s, e));
}

/* One list item [s, e), blanks trimmed: a day, a range or `daily`. */
static int parse_day_item(const char *s, const char *e, uint8_t *days, char *why, size_t whylen)
{
    if (same_word(s, e, "daily")) {
        *days = SCHED_DAYS_ALL;
        return 0;
    }
    const char *dash = memchr(s, '-', (size_t)(e - s));
    if (!dash) {
        int d = day_index(s, e);
        if (d < 0)
            return unknown_day(s, e, why, whylen);
        *days = (uint8_t)(1u << d);
        return 0;
    }
    const char *a_end = trim_end(s, dash), *b = text_skip_blanks(dash + 1);
    int first = day_index(s, a_end), last = day_index(b, e);
    if (first < 0)
        return unknown_day(s, a_end, why, whylen);
    if (last < 0)
        return unknown_day(b, e, why, whylen);
    uint8_t bits = 0;
    for (int d = first;; d = (d + 1) % 7) {
        bits |= (uint8_t)(1u << d);
        if (d == last)
            break;
    }
    *days = bits;
    return 0;
}

int sched_parse_days(const char *text, uint8_t *days, char *why, size_t whylen)
{
    const char *s = text_skip_blanks(text), *end = trim_end(s, s + strlen(s));
    if (s == end)
        return text_fail(why, whylen, "%s; got an empty value", EXPECT_DAYS);
    uint8_t all = 0;
    for (const char *item = s;;) {
        const char *comma = memchr(item, ',', (size_t)(end - item));
        const char *item_end = comma ? comma : end;
        const char *a = text_skip_blanks(item), *b = trim_end(a, item_end);
        if (a >= b)
            return text_fail(why, whylen, "%s; got \"%.*s\", which has an empty item", EXPECT_DAYS,
                             SHOW(s, end));
        uint8_t bits = 0;
        if (parse_day_item(a, b, &bits, why, whylen) < 0)
            return -1;
        all |= bits;
        if (!comma)
            break;
        item = comma + 1;
    }
    *days = all;
    return 0;
}

/* Read 1..max_digits decimal digits at *p; -1 if there are none or too many. */
static int read_digits(const char **p, int max_digits)
{
    int v = 0, n = 0;
    while (**p >= '0' && **p <= '9') {
        if (++n > max_digits)
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    return n == 0 ? -1 : v;
}

int sched_parse_clock(const char *text, int32_t *minutes, char *why, size_t whylen)
{
    const char *s = text_skip_blanks(text), *end = trim_end(s, s + strlen(s));
    if (s == end)
        return text_fail(why, whylen, "%s; got an empty value", EXPECT_CLOCK);
    const char *p = s, *mm;
    int h = read_digits(&p, 2);
    if (h < 0 || *p != ':')
        return text_fail(why, whylen, "%s; got \"%.*s\"", EXPECT_CLOCK, SHOW(s, end));
    mm = ++p;
    int m = read_digits(&p, 2);
    if (m < 0 || p - mm != 2 || p != end)
        return text_fail(why, whylen, "%s; got \"%.*s\"", EXPECT_CLOCK, SHOW(s, end));
    if (h > 24)
        return text_fail(why, whylen, "hour %d in \"%.*s\" is out of range: expected 00 to 24", h,
                         SHOW(s, end));
    if (m > 59)
        return text_fail(why, whylen, "minute %d in \"%.*s\" is out of range: expected 00 to 59", m,
                         SHOW(s, end));
    if (h == 24 && m != 0)
        return text_fail(why, whylen,
                         "\"%.*s\" is past the end of the day: the latest time is 24:00",
                         SHOW(s, end));
    *minutes = h * 60 + m;
    return 0;
}

int sched_add_rule(struct schedule *s, const char *days, const char *from, const char *to,
                   uint32_t count, char *why, size_t whylen)
{
    struct sched_rule r = {.count = count};
    if (sched_parse_days(days, &r.days, why, whylen) < 0 ||
        sched_parse_clock(from, &r.from_min, why, whylen) < 0 ||
        sched_parse_clock(to, &r.to_min, why, whylen) < 0)
        return -1;
    if (r.from_min == 1440)
        return text_fail(why, whylen,
                         "a rule cannot start at 24:00: start it at 00:00 on the next day");
    struct sched_rule *grown = realloc(s->rules, (s->n_rules + 1) * sizeof *grown);
    if (!grown)
        return text_fail(why, whylen, "out of memory for a schedule rule");
    grown[s->n_rules] = r;
    s->rules = grown;
    s->n_rules++;
    return 0;
}

static void assert_rule_valid(const struct sched_rule *r)
{
    assert(r->days <= SCHED_DAYS_ALL);
    assert(r->from_min >= 0 && r->from_min < 1440);
    assert(r->to_min >= 0 && r->to_min <= 1440);
    (void)r;
}

/* Is r in force at minute w of the week (0 = Monday 00:00)? */
static int rule_covers(const struct sched_rule *r, int32_t w)
{
    int32_t day = w / 1440, min = w % 1440;
    int today = (r->days >> day) & 1, yesterday = (r->days >> ((day + 6) % 7)) & 1;
    if (r->to_min > r->from_min)
        return today && min >= r->from_min && min < r->to_min;
    return (today && min >= r->from_min) || (yesterday && min < r->to_min);
}

uint32_t sched_max_count(const struct schedule *s)
{
    uint32_t m = s->default_count;
    for (size_t i = 0; i < s->n_rules; i++)
        if (s->rules[i].count > m)
            m = s->rules[i].count;
    return m;
}

uint32_t sched_count_at(const struct schedule *s, sim_time t)
{
    assert(t >= 0);
    int32_t w = (int32_t)((t % SCHED_WEEK_NS) / SCHED_MIN_NS);
    for (size_t i = s->n_rules; i-- > 0;) {
        assert_rule_valid(&s->rules[i]);
        if (rule_covers(&s->rules[i], w))
            return s->rules[i].count;
    }
    return s->default_count;
}

/* The first rule boundary (a rule's start or end on one of its days) after t, or
 * SIM_TIME_FOREVER if there is none or it is past the clock's range. */
static sim_time next_boundary(const struct schedule *s, sim_time t)
{
    sim_time week_start = t - t % SCHED_WEEK_NS, best = SIM_TIME_FOREVER;
    for (size_t i = 0; i < s->n_rules; i++) {
        const struct sched_rule *r = &s->rules[i];
        for (int d = 0; d < 7; d++) {
            if (!((r->days >> d) & 1))
                continue;
            int32_t end = d * 1440 + r->to_min + (r->to_min > r->from_min ? 0 : 1440);
            int32_t edge[2] = {d * 1440 + r->from_min, end % (7 * 1440)};
            for (int k = 0; k < 2; k++) {
                sim_time b = sim_time_add(week_start, edge[k] * SCHED_MIN_NS);
                if (b <= t)
                    b = sim_time_add(b, SCHED_WEEK_NS);
                if (b < best)
                    best = b;
            }
        }
    }
    return best;
}

sim_time sched_next_change(const struct schedule *s, sim_time t)
{
    assert(t >= 0);
    uint32_t now = sched_count_at(s, t);
    /* The schedule repeats weekly, so a count unchanged for a week never changes. */
    for (sim_time b = t; (b = next_boundary(s, b)) != SIM_TIME_FOREVER && b - t <= SCHED_WEEK_NS;)
        if (sched_count_at(s, b) != now)
            return b;
    return SIM_TIME_FOREVER;
}

void sched_free(struct schedule *s)
{
    free(s->rules);
    s->rules = NULL;
    s->n_rules = 0;
}

int sched_parse_at(const char *text, sim_time *offset_in_day_ns, char *why, size_t whylen)
{
    int32_t min;
    if (sched_parse_clock(text, &min, why, whylen) < 0)
        return -1;
    if (min == 1440)
        return text_fail(why, whylen, "a time of day must be before 24:00; say 00:00 for midnight");
    *offset_in_day_ns = min * SCHED_MIN_NS;
    return 0;
}

sim_time sched_next_daily(sim_time t, sim_time offset_in_day_ns)
{
    assert(t >= 0);
    assert(offset_in_day_ns >= 0 && offset_in_day_ns < SCHED_DAY_NS);
    sim_time at = sim_time_add(t - t % SCHED_DAY_NS, offset_in_day_ns);
    return at > t ? at : sim_time_add(at, SCHED_DAY_NS);
}

/* ---- Scaling-rate token bucket ------------------------------------------------- */

/* Headroom for the credit: a bucket one refill step short of full plus that step
 * must still fit in int64_t. */
#define BUCKET_MAX_TICKS (INT64_MAX / 2)

#define EXPECT_RATE_LIMIT "expected a scaling rate such as 1000/10s, 3000+500/min or legacy"

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

int bucket_spec_check(const struct bucket_spec *spec, char *why, size_t whylen)
{
    if (spec->burst < 1 || spec->refill < 1)
        return text_fail(why, whylen,
                         "a scaling rate needs at least 1 instance at once and per period");
    if (spec->refill_period_ns < 1 || spec->refill_period_ns == SIM_TIME_FOREVER)
        return text_fail(why, whylen,
                         "a scaling rate needs a period longer than 0 and shorter than forever");
    int64_t token_ticks = spec->refill_period_ns / gcd64(spec->refill, spec->refill_period_ns);
    if ((int64_t)spec->burst > BUCKET_MAX_TICKS / token_ticks)
        return text_fail(why, whylen,
                         "a burst of %u with %u per %lld ns is too fine for exact arithmetic; "
                         "use a smaller burst or a rounder rate",
                         spec->burst, spec->refill, (long long)spec->refill_period_ns);
    return 0;
}

/* A whole number >= 1 in [s, e), blanks trimmed; -1 with a reason otherwise. */
static int parse_count(const char *s, const char *e, const char *what, const char *all,
                       const char *all_end, uint32_t *out, char *why, size_t whylen)
{
    uint64_t v = 0;
    if (s == e)
        return text_fail(why, whylen, "%s; the %s is missing in \"%.*s\"", EXPECT_RATE_LIMIT, what,
                         SHOW(all, all_end));
    for (const char *p = s; p < e; p++) {
        if (*p < '0' || *p > '9')
            return text_fail(why, whylen,
                             "%s; the %s \"%.*s\" is not a whole number", EXPECT_RATE_LIMIT,
                             what, SHOW(s, e));
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > UINT32_MAX)
            return text_fail(why, whylen, "the %s \"%.*s\" is too large", what, SHOW(s, e));
    }
    if (v == 0)
        return text_fail(why, whylen, "the %s must be at least 1; got \"%.*s\"", what, SHOW(s, e));
    *out = (uint32_t)v;
    return 0;
}

int bucket_parse(const char *text, struct bucket_spec *spec, char *why, size_t whylen)
{
    const char *s = text_skip_blanks(text), *end = trim_end(s, s + strlen(s));
    if (end - s == 6 && strncmp(s, "legacy", 6) == 0) {
        *spec = BUCKET_AWS_LEGACY;
        return 0;
    }
    if (s == end)
        return text_fail(why, whylen, "%s; got an empty value", EXPECT_RATE_LIMIT);
    const char *slash = memchr(s, '/', (size_t)(end - s));
    if (!slash)
        return text_fail(why, whylen, "%s; got \"%.*s\", which has no '/'", EXPECT_RATE_LIMIT,
                         SHOW(s, end));
    const char *plus = memchr(s, '+', (size_t)(slash - s));
    struct bucket_spec r;
    const char *n = s;
    if (plus) {
        if (parse_count(s, trim_end(s, plus), "burst", s, end, &r.burst, why, whylen) < 0)
            return -1;
        n = text_skip_blanks(plus + 1);
    }
    if (parse_count(n, trim_end(n, slash), "number per period", s, end, &r.refill, why, whylen) < 0)
        return -1;
    if (!plus)
        r.burst = r.refill;

    /* "500/min": a bare unit means one of it. */
    char period[80];
    const char *p = text_skip_blanks(slash + 1);
    int bare = isalpha((unsigned char)*p) && strncmp(p, "forever", 7) != 0;
    if ((size_t)(end - p) + 2 > sizeof period)
        return text_fail(why, whylen, "%s; the period in \"%.*s\" is too long", EXPECT_RATE_LIMIT,
                         SHOW(s, end));
    snprintf(period, sizeof period, "%s%.*s", bare ? "1" : "", (int)(end - p), p);
    char unit_why[160];
    if (units_parse_duration(period, &r.refill_period_ns, unit_why, sizeof unit_why) < 0)
        return text_fail(why, whylen,
                         "bad period in scaling rate \"%.*s\": %s", SHOW(s, end), unit_why);
    if (r.refill_period_ns == 0 || r.refill_period_ns == SIM_TIME_FOREVER)
        return text_fail(why, whylen,
                         "the period in scaling rate \"%.*s\" must be longer than 0 and "
                         "shorter than forever", SHOW(s, end));
    if (bucket_spec_check(&r, why, whylen) < 0)
        return -1;
    *spec = r;
    return 0;
}

void bucket_init(struct token_bucket *b, const struct bucket_spec *spec, sim_time now)
{
    assert(bucket_spec_check(spec, NULL, 0) == 0);
    int64_t g = gcd64(spec->refill, spec->refill_period_ns);
    b->token_ticks = spec->refill_period_ns / g;
    b->ticks_per_ns = (int64_t)spec->refill / g;
    b->max_ticks = (int64_t)spec->burst * b->token_ticks;
    b->ticks = b->max_ticks;
    b->last_ns = now;
}

/* Credit at time now (>= last_ns), capped at a full bucket. The cap is tested
 * before multiplying so that a long idle gap cannot overflow. */
static int64_t ticks_at(const struct token_bucket *b, sim_time now)
{
    assert(now >= b->last_ns);
    int64_t missing = b->max_ticks - b->ticks;
    sim_time to_full = (missing + b->ticks_per_ns - 1) / b->ticks_per_ns;
    if (now - b->last_ns >= to_full)
        return b->max_ticks;
    return b->ticks + (now - b->last_ns) * b->ticks_per_ns;
}

int bucket_take(struct token_bucket *b, sim_time now)
{
    b->ticks = ticks_at(b, now);
    b->last_ns = now;
    if (b->ticks < b->token_ticks)
        return 0;
    b->ticks -= b->token_ticks;
    return 1;
}

uint32_t bucket_available(const struct token_bucket *b, sim_time now)
{
    return (uint32_t)(ticks_at(b, now) / b->token_ticks);
}

sim_time bucket_next_token(const struct token_bucket *b, sim_time now)
{
    int64_t ticks = ticks_at(b, now);
    if (ticks >= b->token_ticks)
        return now;
    int64_t short_by = b->token_ticks - ticks;
    return sim_time_add(now, (short_by + b->ticks_per_ns - 1) / b->ticks_per_ns);
}
