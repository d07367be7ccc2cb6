/* test_capacity.c - weekly instance schedules and the scaling-rate token bucket.
 *
 * Schedules are checked at exact boundaries (one nanosecond either side) over two
 * weeks, against a minute-by-minute reference, and through sched_next_change's walk
 * of a week. The bucket is checked against the closed-form curve of instance starts
 * allowed by time t, to the nanosecond. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "slsim/capacity.h"

#define MIN SCHED_MIN_NS
#define HOUR (60 * MIN)
#define DAY SCHED_DAY_NS
#define WEEK SCHED_WEEK_NS
#define S SIM_NS_PER_S
#define MS SIM_NS_PER_MS

enum { MON, TUE, WED, THU, FRI, SAT, SUN };

/* Week w, day d (0 = Monday), hh:mm. */
static sim_time at(int w, int d, int hh, int mm)
{
    return w * WEEK + d * DAY + hh * HOUR + mm * MIN;
}

static uint8_t days(const char *s)
{
    uint8_t d = 0xff;
    char why[200] = "";
    cr_assert_eq(sched_parse_days(s, &d, why, sizeof why), 0, "\"%s\" rejected: %s", s, why);
    return d;
}

static void days_rejected(const char *s, const char *reason_part)
{
    uint8_t d = 0xaa;
    char why[200] = "";
    cr_assert_eq(sched_parse_days(s, &d, why, sizeof why), -1, "\"%s\" accepted as %#x", s, d);
    cr_assert_neq(strstr(why, reason_part), NULL, "reason for \"%s\" lacks \"%s\": %s", s,
                  reason_part, why);
    cr_assert_eq(d, 0xaa, "rejecting \"%s\" still wrote the output", s);
}

static int32_t clock_min(const char *s)
{
    int32_t m = -1;
    char why[200] = "";
    cr_assert_eq(sched_parse_clock(s, &m, why, sizeof why), 0, "\"%s\" rejected: %s", s, why);
    return m;
}

static void clock_rejected(const char *s, const char *reason_part)
{
    int32_t m = -7;
    char why[200] = "";
    cr_assert_eq(sched_parse_clock(s, &m, why, sizeof why), -1, "\"%s\" accepted as %d", s, m);
    cr_assert_neq(strstr(why, reason_part), NULL, "reason for \"%s\" lacks \"%s\": %s", s,
                  reason_part, why);
    cr_assert_eq(m, -7);
}

static void add(struct schedule *s, const char *d, const char *from, const char *to, uint32_t n)
{
    char why[200] = "";
    cr_assert_eq(sched_add_rule(s, d, from, to, n, why, sizeof why), 0,
                 "rule {%s, %s, %s} rejected: %s", d, from, to, why);
}

/* ---- day specs and clocks ------------------------------------------------------ */

Test(sched_days, single_days_lists_and_daily_give_their_bits)
{
    cr_assert_eq(days("mon"), 0x01);
    cr_assert_eq(days("sun"), 0x40);
    cr_assert_eq(days("sat,sun"), 0x60);
    cr_assert_eq(days("daily"), 0x7f);
    cr_assert_eq(days("Mon , WED,fri "), 0x15);
    cr_assert_eq(days("mon,mon"), 0x01, "a repeated day is still one day");
}

Test(sched_days, ranges_run_forward_and_wrap_around_the_week)
{
    cr_assert_eq(days("mon-fri"), 0x1f);
    cr_assert_eq(days("wed-mon"), 0x7d, "wed thu fri sat sun mon");
    cr_assert_eq(days("fri-mon"), 0x71, "fri sat sun mon");
    cr_assert_eq(days("sun-sat"), 0x7f);
    cr_assert_eq(days("mon-mon"), 0x01, "a one-day range is that day, not the week");
    cr_assert_eq(days(" sat - sun , tue "), 0x62);
}

Test(sched_days, bad_specs_are_rejected_with_a_reason)
{
    days_rejected("", "empty");
    days_rejected("   ", "empty");
    days_rejected("mun", "unknown day \"mun\"");
    days_rejected("monday", "unknown day");
    days_rejected("mon-", "missing");
    days_rejected("-fri", "missing");
    days_rejected("mon,,tue", "empty item");
    days_rejected("mon,", "empty item");
    days_rejected("mon-fri-sat", "unknown day \"fri-sat\"");
    days_rejected("weekdays", "unknown day");
    days_rejected("1", "unknown day");
}

Test(sched_clock, valid_times_give_minutes_after_midnight)
{
    cr_assert_eq(clock_min("00:00"), 0);
    cr_assert_eq(clock_min("08:00"), 480);
    cr_assert_eq(clock_min("8:05"), 485);
    cr_assert_eq(clock_min(" 07:45 "), 465);
    cr_assert_eq(clock_min("23:59"), 1439);
    cr_assert_eq(clock_min("24:00"), 1440, "24:00 is the end of the day");
}

Test(sched_clock, bad_hours_minutes_and_shapes_are_rejected_with_a_reason)
{
    clock_rejected("25:00", "hour 25");
    clock_rejected("99:00", "hour 99");
    clock_rejected("12:60", "minute 60");
    clock_rejected("24:01", "24:00");
    clock_rejected("24:30", "24:00");
    clock_rejected("8:5", "HH:MM");
    clock_rejected("0800", "HH:MM");
    clock_rejected("08:00:00", "HH:MM");
    clock_rejected("123:00", "HH:MM");
    clock_rejected("-1:00", "HH:MM");
    clock_rejected("ab:cd", "HH:MM");
    clock_rejected("08:00pm", "HH:MM");
    clock_rejected("", "empty");
}

Test(sched_at, daily_times_are_offsets_in_the_day_and_24_00_is_not_one)
{
    sim_time off = -1;
    char why[200] = "";
    cr_assert_eq(sched_parse_at("07:45", &off, why, sizeof why), 0, "%s", why);
    cr_assert_eq(off, 7 * HOUR + 45 * MIN);
    cr_assert_eq(sched_parse_at("00:00", &off, why, sizeof why), 0, "%s", why);
    cr_assert_eq(off, 0);
    off = -1;
    cr_assert_eq(sched_parse_at("24:00", &off, why, sizeof why), -1);
    cr_assert_neq(strstr(why, "before 24:00"), NULL, "%s", why);
    cr_assert_eq(sched_parse_at("7.45", &off, why, sizeof why), -1);
    cr_assert_eq(off, -1);
}

Test(sched_at, next_daily_is_strictly_after_t)
{
    sim_time off = 7 * HOUR + 45 * MIN;
    cr_assert_eq(sched_next_daily(0, off), off);
    cr_assert_eq(sched_next_daily(off - 1, off), off);
    cr_assert_eq(sched_next_daily(off, off), DAY + off, "at 07:45 the next 07:45 is tomorrow");
    cr_assert_eq(sched_next_daily(at(1, SUN, 23, 0), off), at(2, MON, 7, 45));
    cr_assert_eq(sched_next_daily(0, 0), DAY, "midnight after midnight is the next one");
    sim_time late = SIM_TIME_FOREVER - 1;
    cr_assert_eq(sched_next_daily(late, late % DAY), SIM_TIME_FOREVER,
                 "past the clock's range is never");
}

/* ---- sched_count_at ------------------------------------------------------------ */

Test(sched_count, office_hours_hold_at_exact_boundaries_over_two_weeks)
{
    struct schedule s = {.default_count = 0};
    add(&s, "mon-fri", "08:00", "20:00", 10);
    for (int w = 0; w < 2; w++) {
        for (int d = MON; d <= FRI; d++) {
            sim_time opening = at(w, d, 8, 0), closing = at(w, d, 20, 0);
            cr_assert_eq(sched_count_at(&s, opening - MS), 0, "week %d day %d 07:59:59.999", w, d);
            cr_assert_eq(sched_count_at(&s, opening - 1), 0, "week %d day %d 08:00 - 1ns", w, d);
            cr_assert_eq(sched_count_at(&s, opening), 10, "week %d day %d 08:00", w, d);
            cr_assert_eq(sched_count_at(&s, closing - 1), 10, "week %d day %d 20:00 - 1ns", w, d);
            cr_assert_eq(sched_count_at(&s, closing), 0, "week %d day %d 20:00", w, d);
        }
        cr_assert_eq(sched_count_at(&s, at(w, SAT, 10, 0)), 0, "week %d Saturday 10:00", w);
        cr_assert_eq(sched_count_at(&s, at(w, SUN, 10, 0)), 0, "week %d Sunday 10:00", w);
    }
    cr_assert_eq(sched_count_at(&s, at(2, MON, 8, 0)), 10, "the Monday after two weeks");
    sched_free(&s);
}

Test(sched_count, office_hours_match_a_minute_by_minute_reference_for_two_weeks)
{
    struct schedule s = {.default_count = 1};
    add(&s, "mon-fri", "08:00", "20:00", 10);
    for (sim_time t = 0; t < 2 * WEEK; t += MIN) {
        int day = (int)(t % WEEK / DAY), min = (int)(t % DAY / MIN);
        uint32_t want = day <= FRI && min >= 480 && min < 1200 ? 10 : 1;
        cr_assert_eq(sched_count_at(&s, t + 30 * S), want, "minute %lld", (long long)(t / MIN));
    }
    sched_free(&s);
}

Test(sched_count, a_rule_past_midnight_runs_into_the_next_day_only)
{
    struct schedule s = {.default_count = 0};
    add(&s, "fri", "22:00", "02:00", 5);
    cr_assert_eq(sched_count_at(&s, at(0, FRI, 21, 0)), 0, "Friday 21:00 is before it");
    cr_assert_eq(sched_count_at(&s, at(0, FRI, 22, 0) - 1), 0);
    cr_assert_eq(sched_count_at(&s, at(0, FRI, 22, 0)), 5);
    cr_assert_eq(sched_count_at(&s, at(0, SAT, 0, 0)), 5, "midnight is inside it");
    cr_assert_eq(sched_count_at(&s, at(0, SAT, 1, 0)), 5, "Saturday 01:00 is covered");
    cr_assert_eq(sched_count_at(&s, at(0, SAT, 2, 0) - 1), 5);
    cr_assert_eq(sched_count_at(&s, at(0, SAT, 2, 0)), 0);
    cr_assert_eq(sched_count_at(&s, at(0, FRI, 1, 0)), 0,
                 "Thursday has no rule to run into Friday");
    cr_assert_eq(sched_count_at(&s, at(0, SAT, 23, 0)), 0, "Saturday is not a start day");
    sched_free(&s);
}

Test(sched_count, sunday_night_runs_into_monday_of_every_week_including_the_first)
{
    struct schedule s = {.default_count = 2};
    add(&s, "sun", "23:00", "01:00", 7);
    cr_assert_eq(sched_count_at(&s, at(0, MON, 0, 30)), 7, "the week repeats, so week 0 too");
    cr_assert_eq(sched_count_at(&s, at(1, MON, 0, 30)), 7);
    cr_assert_eq(sched_count_at(&s, at(1, MON, 1, 0)), 2);
    cr_assert_eq(sched_count_at(&s, at(0, SUN, 23, 0)), 7);
    sched_free(&s);
}

Test(sched_count, equal_from_and_to_is_a_full_day_from_that_time)
{
    struct schedule s = {.default_count = 0};
    add(&s, "wed", "06:00", "06:00", 3);
    cr_assert_eq(sched_count_at(&s, at(0, WED, 6, 0) - 1), 0);
    cr_assert_eq(sched_count_at(&s, at(0, WED, 6, 0)), 3);
    cr_assert_eq(sched_count_at(&s, at(0, THU, 6, 0) - 1), 3);
    cr_assert_eq(sched_count_at(&s, at(0, THU, 6, 0)), 0);
    sched_free(&s);
}

Test(sched_count, to_24_00_ends_at_midnight)
{
    struct schedule s = {.default_count = 0};
    add(&s, "tue", "18:00", "24:00", 4);
    cr_assert_eq(sched_count_at(&s, at(0, WED, 0, 0) - 1), 4);
    cr_assert_eq(sched_count_at(&s, at(0, WED, 0, 0)), 0);
    sched_free(&s);
}

Test(sched_count, where_rules_overlap_the_later_one_wins)
{
    struct schedule s = {.default_count = 1};
    add(&s, "daily", "00:00", "24:00", 2);
    add(&s, "mon-fri", "08:00", "20:00", 10);
    add(&s, "wed", "12:00", "13:00", 0);
    cr_assert_eq(sched_count_at(&s, at(0, SAT, 3, 0)), 2, "only the daily rule");
    cr_assert_eq(sched_count_at(&s, at(0, WED, 11, 59)), 10, "the weekday rule beats daily");
    cr_assert_eq(sched_count_at(&s, at(0, WED, 12, 30)), 0, "the Wednesday lunch rule beats both");
    cr_assert_eq(sched_count_at(&s, at(0, WED, 13, 0)), 10);
    cr_assert_eq(sched_count_at(&s, at(0, THU, 12, 30)), 10);
    sched_free(&s);

    struct schedule r = {.default_count = 1};
    add(&r, "mon-fri", "08:00", "20:00", 10);
    add(&r, "daily", "00:00", "24:00", 2);
    cr_assert_eq(sched_count_at(&r, at(0, WED, 12, 0)), 2, "listed last, daily hides the rest");
    sched_free(&r);
}

Test(sched_count, no_rules_means_the_default_everywhere)
{
    struct schedule s = {.default_count = 6};
    cr_assert_eq(sched_count_at(&s, 0), 6);
    cr_assert_eq(sched_count_at(&s, at(5, THU, 13, 7)), 6);
    cr_assert_eq(sched_next_change(&s, 0), SIM_TIME_FOREVER);
    sched_free(&s);
    sched_free(&s);
}

Test(sched_rules, bad_rules_are_rejected_and_leave_the_schedule_unchanged)
{
    struct schedule s = {.default_count = 0};
    add(&s, "mon", "08:00", "09:00", 1);
    char why[200] = "";
    cr_assert_eq(sched_add_rule(&s, "mon", "24:00", "02:00", 1, why, sizeof why), -1);
    cr_assert_neq(strstr(why, "24:00"), NULL, "%s", why);
    cr_assert_eq(sched_add_rule(&s, "mondays", "08:00", "09:00", 1, why, sizeof why), -1);
    cr_assert_neq(strstr(why, "unknown day"), NULL, "%s", why);
    cr_assert_eq(sched_add_rule(&s, "mon", "08:00", "25:00", 1, why, sizeof why), -1);
    cr_assert_neq(strstr(why, "hour 25"), NULL, "%s", why);
    cr_assert_eq(s.n_rules, 1);
    cr_assert_eq(s.rules[0].days, 0x01);
    cr_assert_eq(s.rules[0].from_min, 480);
    cr_assert_eq(s.rules[0].to_min, 540);
    cr_assert_eq(s.rules[0].count, 1);
    sched_free(&s);
    cr_assert_eq(s.rules, NULL);
    cr_assert_eq(s.n_rules, 0);
}

/* ---- sched_next_change --------------------------------------------------------- */

Test(sched_next_change, walks_every_change_of_a_week_in_order)
{
    struct schedule s = {.default_count = 1};
    add(&s, "mon-fri", "08:00", "20:00", 10);
    add(&s, "fri", "22:00", "02:00", 5);
    add(&s, "sat", "10:00", "14:00", 3);
    struct {
        sim_time t;
        uint32_t count;
    } want[] = {
        {at(0, MON, 8, 0), 10},  {at(0, MON, 20, 0), 1}, {at(0, TUE, 8, 0), 10},
        {at(0, TUE, 20, 0), 1},  {at(0, WED, 8, 0), 10}, {at(0, WED, 20, 0), 1},
        {at(0, THU, 8, 0), 10},  {at(0, THU, 20, 0), 1}, {at(0, FRI, 8, 0), 10},
        {at(0, FRI, 20, 0), 1},  {at(0, FRI, 22, 0), 5}, {at(0, SAT, 2, 0), 1},
        {at(0, SAT, 10, 0), 3},  {at(0, SAT, 14, 0), 1}, {at(1, MON, 8, 0), 10},
        {at(1, MON, 20, 0), 1},
    };
    sim_time t = 0;
    uint32_t before = sched_count_at(&s, 0);
    cr_assert_eq(before, 1);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sim_time next = sched_next_change(&s, t);
        cr_assert_eq(next, want[i].t, "change %zu: got %lld, want %lld", i, (long long)next,
                     (long long)want[i].t);
        cr_assert_eq(sched_count_at(&s, next - 1), before, "change %zu: count just before", i);
        cr_assert_eq(sched_count_at(&s, next), want[i].count, "change %zu: count at it", i);
        before = want[i].count;
        t = next;
    }
    sim_time mid = at(0, TUE, 12, 34) + 567;
    cr_assert_eq(sched_next_change(&s, mid), at(0, TUE, 20, 0), "from inside an interval");
    cr_assert_eq(sched_next_change(&s, at(0, TUE, 8, 0) - 1), at(0, TUE, 8, 0),
                 "one nanosecond before a change");
    sched_free(&s);
}

Test(sched_next_change, skips_boundaries_where_the_count_stays_the_same)
{
    struct schedule s = {.default_count = 0};
    add(&s, "mon", "08:00", "12:00", 4);
    add(&s, "mon", "12:00", "16:00", 4); /* meets the first with the same count */
    add(&s, "tue", "09:00", "10:00", 7);
    add(&s, "tue", "08:00", "11:00", 7); /* hides the one before */
    add(&s, "wed", "09:00", "10:00", 0); /* sets the default's count */
    cr_assert_eq(sched_next_change(&s, at(0, MON, 9, 0)), at(0, MON, 16, 0));
    cr_assert_eq(sched_next_change(&s, at(0, MON, 16, 0)), at(0, TUE, 8, 0));
    cr_assert_eq(sched_next_change(&s, at(0, TUE, 8, 0)), at(0, TUE, 11, 0));
    cr_assert_eq(sched_next_change(&s, at(0, TUE, 11, 0)), at(1, MON, 8, 0),
                 "the Wednesday rule changes nothing");
    sched_free(&s);
}

Test(sched_next_change, rules_that_never_change_the_count_mean_never)
{
    struct schedule s = {.default_count = 3};
    add(&s, "mon-fri", "08:00", "20:00", 3);
    cr_assert_eq(sched_next_change(&s, at(0, MON, 9, 0)), SIM_TIME_FOREVER);
    sched_free(&s);

    struct schedule all = {.default_count = 0};
    add(&all, "daily", "00:00", "00:00", 9); /* every day, around the clock */
    cr_assert_eq(sched_count_at(&all, at(3, THU, 17, 0)), 9);
    cr_assert_eq(sched_next_change(&all, 0), SIM_TIME_FOREVER);
    sched_free(&all);
}

Test(sched_next_change, a_change_near_the_end_of_the_clock_is_never)
{
    struct schedule s = {.default_count = 0};
    add(&s, "mon", "08:00", "09:00", 1);
    sim_time t = SIM_TIME_FOREVER - DAY;
    sim_time next = sched_next_change(&s, t);
    cr_assert(next > t);
    if (next != SIM_TIME_FOREVER)
        cr_assert_neq(sched_count_at(&s, next), sched_count_at(&s, t));
    sched_free(&s);
}

/* ---- token bucket -------------------------------------------------------------- */

static struct bucket_spec rate(const char *s)
{
    struct bucket_spec b = {0, 0, 0};
    char why[200] = "";
    cr_assert_eq(bucket_parse(s, &b, why, sizeof why), 0, "\"%s\" rejected: %s", s, why);
    return b;
}

static void rate_rejected(const char *s, const char *reason_part)
{
    struct bucket_spec b = {7, 7, 7};
    char why[200] = "";
    cr_assert_eq(bucket_parse(s, &b, why, sizeof why), -1, "\"%s\" accepted", s);
    cr_assert_neq(strstr(why, reason_part), NULL, "reason for \"%s\" lacks \"%s\": %s", s,
                  reason_part, why);
    cr_assert_eq(b.burst, 7, "rejecting \"%s\" still wrote the output", s);
}

static void spec_is(struct bucket_spec b, uint32_t burst, uint32_t refill, sim_time period)
{
    cr_assert_eq(b.burst, burst);
    cr_assert_eq(b.refill, refill);
    cr_assert_eq(b.refill_period_ns, period);
}

Test(bucket_parse, rates_bursts_and_legacy_give_their_specs)
{
    spec_is(rate("1000/10s"), 1000, 1000, 10 * S);
    spec_is(rate("500/min"), 500, 500, 60 * S);
    spec_is(rate("5/s"), 5, 5, S);
    spec_is(rate(" 1000 / 10 s "), 1000, 1000, 10 * S);
    spec_is(rate("3000+500/min"), 3000, 500, 60 * S);
    spec_is(rate("1000 + 500/1m"), 1000, 500, 60 * S);
    spec_is(rate("20/2.5s"), 20, 20, 2500 * MS);
    spec_is(rate("legacy"), 3000, 500, 60 * S);
    spec_is(BUCKET_AWS_2023, 1000, 1000, 10 * S);
}

Test(bucket_parse, bad_rates_are_rejected_with_a_reason)
{
    rate_rejected("", "empty");
    rate_rejected("1000", "no '/'");
    rate_rejected("0/10s", "at least 1");
    rate_rejected("1.5/s", "whole number");
    rate_rejected("-5/s", "whole number");
    rate_rejected("/s", "missing");
    rate_rejected("+500/min", "burst is missing");
    rate_rejected("0+500/min", "at least 1");
    rate_rejected("99999999999/s", "too large");
    rate_rejected("1000/0s", "longer than 0");
    rate_rejected("1000/forever", "shorter than forever");
    rate_rejected("1000/10parsec", "bad period");
    rate_rejected("1000/", "bad period");
    rate_rejected("Legacy", "no '/'");
    rate_rejected("4000000000+1/d", "too fine");
}

/* Serve `want` instance starts requested at t=0 as fast as the bucket allows and
 * record when each one started. */
static sim_time *drain(const struct bucket_spec *spec, size_t want)
{
    sim_time *start = calloc(want, sizeof *start);
    cr_assert(start);
    struct token_bucket b;
    bucket_init(&b, spec, 0);
    size_t got = 0;
    for (sim_time t = 0; got < want; t = bucket_next_token(&b, t)) {
        cr_assert(bucket_take(&b, t), "next_token said %lld but take failed", (long long)t);
        start[got++] = t;
        while (got < want && bucket_take(&b, t))
            start[got++] = t;
    }
    return start;
}

static size_t started_by(const sim_time *start, size_t n, sim_time t)
{
    size_t k = 0;
    while (k < n && start[k] <= t)
        k++;
    return k;
}

Test(bucket, aws_2023_allows_1000_then_1000_per_10s_exactly)
{
    struct bucket_spec spec = rate("1000/10s");
    sim_time *start = drain(&spec, 5000);
    sim_time probes[] = {0,      1,      10 * MS - 1, 10 * MS, 5 * S,      10 * S - 1,
                         10 * S, 15 * S, 20 * S,      30 * S,  40 * S - 1, 40 * S,
                         41 * S, 3600 * S};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        sim_time t = probes[i];
        /* Continuous refill: 1000 + floor(t * 1000 / 10s) = 1000 + floor(t / 10ms). */
        size_t want = 1000 + (size_t)(t / (10 * MS));
        if (want > 5000)
            want = 5000;
        cr_assert_eq(started_by(start, 5000, t), want, "by t=%lld ns: got %zu, want %zu",
                     (long long)t, started_by(start, 5000, t), want);
    }
    cr_assert_eq(started_by(start, 5000, 10 * S), 2000, "every 10 s, 1000 more");
    cr_assert_eq(started_by(start, 5000, 20 * S), 3000);
    cr_assert_eq(started_by(start, 5000, 30 * S), 4000);
    cr_assert_eq(start[4999], 40 * S, "the 5000th starts at exactly 40 s");
    free(start);
}

Test(bucket, a_caller_polling_every_10s_sees_1000_more_each_time)
{
    struct token_bucket b;
    struct bucket_spec spec = BUCKET_AWS_2023;
    bucket_init(&b, &spec, 0);
    size_t total = 0;
    for (int k = 0; k <= 4; k++) {
        sim_time t = k * 10 * S;
        while (total < 5000 && bucket_take(&b, t))
            total++;
        cr_assert_eq(total, 1000 + 1000 * (size_t)k, "by %d s", k * 10);
    }
}

Test(bucket, legacy_gives_3000_at_once_then_500_per_minute)
{
    struct bucket_spec spec = rate("legacy");
    sim_time *start = drain(&spec, 5000);
    cr_assert_eq(started_by(start, 5000, 0), 3000, "the initial burst");
    cr_assert_eq(start[3000], 120 * MS, "then one every 60 s / 500 = 120 ms");
    cr_assert_eq(started_by(start, 5000, 30 * S), 3250);
    cr_assert_eq(started_by(start, 5000, 60 * S - 1), 3499);
    cr_assert_eq(started_by(start, 5000, 60 * S), 3500, "500 in the first minute");
    cr_assert_eq(started_by(start, 5000, 120 * S), 4000, "500 more in the second");
    cr_assert_eq(start[4999], 240 * S);
    free(start);
}

Test(bucket, next_token_is_exact_to_the_nanosecond)
{
    struct token_bucket b;
    struct bucket_spec spec = BUCKET_AWS_2023;
    bucket_init(&b, &spec, 0);
    cr_assert_eq(bucket_next_token(&b, 0), 0, "a full bucket has a token now");
    cr_assert_eq(bucket_available(&b, 0), 1000);
    for (int i = 0; i < 1000; i++)
        cr_assert(bucket_take(&b, 0));
    cr_assert_eq(bucket_take(&b, 0), 0, "the 1001st must wait");
    cr_assert_eq(bucket_next_token(&b, 0), 10 * MS);
    cr_assert_eq(bucket_next_token(&b, 3 * MS), 10 * MS,
                 "the answer does not depend on when asked");
    cr_assert_eq(bucket_take(&b, 10 * MS - 1), 0, "one nanosecond early");
    cr_assert_eq(bucket_take(&b, 10 * MS), 1, "on time");
    cr_assert_eq(bucket_next_token(&b, 10 * MS), 20 * MS);
    cr_assert_eq(bucket_available(&b, 5 * S + 10 * MS), 500);
}

Test(bucket, next_token_is_exact_for_a_period_that_does_not_divide_evenly)
{
    struct token_bucket b;
    struct bucket_spec spec = rate("3/1s"); /* one every 333333333.33 ns */
    bucket_init(&b, &spec, 0);
    for (int i = 0; i < 3; i++)
        cr_assert(bucket_take(&b, 0));
    cr_assert_eq(bucket_next_token(&b, 0), 333333334, "rounded up: not a nanosecond early");
    cr_assert_eq(bucket_take(&b, 333333333), 0);
    cr_assert_eq(bucket_take(&b, 333333334), 1);
    cr_assert_eq(bucket_next_token(&b, 333333334), 666666667);
    cr_assert_eq(bucket_available(&b, 1 * S), 2, "by 1 s: 3 + 3 refilled, 4 taken");
}

Test(bucket, unused_allowance_does_not_accrue_beyond_the_burst)
{
    struct token_bucket b;
    struct bucket_spec spec = BUCKET_AWS_2023;
    bucket_init(&b, &spec, 0);
    cr_assert_eq(bucket_available(&b, 3600 * S), 1000, "an idle hour still gives only 1000");
    size_t n = 0;
    while (bucket_take(&b, 3600 * S))
        n++;
    cr_assert_eq(n, 1000);
    cr_assert_eq(bucket_next_token(&b, 3600 * S), 3600 * S + 10 * MS);
    cr_assert_eq(bucket_available(&b, SIM_TIME_FOREVER - 1), 1000, "no overflow after a long gap");
}

Test(bucket, spec_check_rejects_empty_and_too_fine_specs)
{
    char why[200] = "";
    struct bucket_spec zero_burst = {0, 10, S}, zero_period = {10, 10, 0};
    struct bucket_spec too_fine = {4000000000u, 1, 86400 * S}, ok = BUCKET_AWS_LEGACY;
    cr_assert_eq(bucket_spec_check(&zero_burst, why, sizeof why), -1);
    cr_assert_eq(bucket_spec_check(&zero_period, why, sizeof why), -1);
    cr_assert_eq(bucket_spec_check(&too_fine, why, sizeof why), -1);
    cr_assert_neq(strstr(why, "too fine"), NULL, "%s", why);
    cr_assert_eq(bucket_spec_check(&ok, why, sizeof why), 0, "%s", why);
}
