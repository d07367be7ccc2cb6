/* test_units.c - the unit grammar of scenario files (docs/SCENARIO.md, "Units").
 *
 * Each accepted form is checked for its exact value in the base unit, each
 * rejection for a non-empty reason, and the formatters for the strings the
 * reports print. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "slsim/units.h"

static sim_time duration(const char *s)
{
    sim_time ns = -12345;
    char why[200] = "";
    int rc = units_parse_duration(s, &ns, why, sizeof why);
    cr_assert_eq(rc, 0, "units_parse_duration(\"%s\") failed: %s", s, why);
    return ns;
}

static void duration_rejected(const char *s)
{
    sim_time ns = -12345;
    char why[200] = "";
    int rc = units_parse_duration(s, &ns, why, sizeof why);
    cr_assert_eq(rc, -1, "units_parse_duration(\"%s\") accepted it as %lld ns", s,
                 (long long)ns);
    cr_assert_gt(strlen(why), 0, "no reason given for rejecting \"%s\"", s);
    cr_assert_eq(ns, -12345, "rejecting \"%s\" still wrote the output", s);
}

static int64_t size(const char *s)
{
    int64_t b = -12345;
    char why[200] = "";
    int rc = units_parse_size(s, &b, why, sizeof why);
    cr_assert_eq(rc, 0, "units_parse_size(\"%s\") failed: %s", s, why);
    return b;
}

static void size_rejected(const char *s)
{
    int64_t b = -12345;
    char why[200] = "";
    cr_assert_eq(units_parse_size(s, &b, why, sizeof why), -1,
                 "units_parse_size(\"%s\") accepted it as %lld", s, (long long)b);
    cr_assert_gt(strlen(why), 0, "no reason given for rejecting \"%s\"", s);
}

static double rate(const char *s)
{
    double r = -1;
    char why[200] = "";
    int rc = units_parse_rate(s, &r, why, sizeof why);
    cr_assert_eq(rc, 0, "units_parse_rate(\"%s\") failed: %s", s, why);
    return r;
}

static void rate_rejected(const char *s)
{
    double r = -1;
    char why[200] = "";
    cr_assert_eq(units_parse_rate(s, &r, why, sizeof why), -1,
                 "units_parse_rate(\"%s\") accepted it as %g", s, r);
    cr_assert_gt(strlen(why), 0, "no reason given for rejecting \"%s\"", s);
}

static void number_rejected(const char *s)
{
    double v = -1;
    char why[200] = "";
    cr_assert_eq(units_parse_number(s, &v, why, sizeof why), -1,
                 "units_parse_number(\"%s\") accepted it as %g", s, v);
    cr_assert_gt(strlen(why), 0, "no reason given for rejecting \"%s\"", s);
}

static void expect_rate(const char *s, double want)
{
    double got = rate(s);
    cr_assert(fabs(got - want) <= 1e-12 * want, "\"%s\": %.17g per s, want %.17g", s, got,
              want);
}

Test(units_duration, every_unit_gives_its_exact_nanoseconds)
{
    cr_assert_eq(duration("250ns"), 250);
    cr_assert_eq(duration("20us"), 20000);
    cr_assert_eq(duration("20\xc2\xb5s"), 20000); /* µs */
    cr_assert_eq(duration("250ms"), 250000000);
    cr_assert_eq(duration("1.5s"), 1500000000);
    cr_assert_eq(duration("3sec"), 3000000000);
    cr_assert_eq(duration("10m"), 600LL * SIM_NS_PER_S);
    cr_assert_eq(duration("10min"), 600LL * SIM_NS_PER_S);
    cr_assert_eq(duration("2h"), 7200LL * SIM_NS_PER_S);
    cr_assert_eq(duration("7d"), 7LL * 86400 * SIM_NS_PER_S);
    cr_assert_eq(duration("0.1s"), 100000000);
    cr_assert_eq(duration("1e3ms"), SIM_NS_PER_S);
}

/* The reason a value was refused, which must be given. */
static const char *why_duration(const char *s)
{
    static char why[200];
    sim_time ns;
    why[0] = '\0';
    cr_assert_eq(units_parse_duration(s, &ns, why, sizeof why), -1, "\"%s\" was accepted", s);
    return why;
}

/* Rule: a bare number other than 0 has no unit and is refused, offering the two
 * likeliest readings; 0 is 0 in every unit and stays allowed. */
Test(units_duration, bare_number_needs_a_unit_but_zero)
{
    cr_assert_str_eq(why_duration("500"), "500 needs a unit: 500ms or 500s?");
    cr_assert_str_eq(why_duration(" 2.5 "), "2.5 needs a unit: 2.5ms or 2.5s?");
    cr_assert_str_eq(why_duration("1e-6"), "1e-6 needs a unit: 1e-6ms or 1e-6s?");
    cr_assert_eq(duration("0"), 0);
    cr_assert_eq(duration("0.0"), 0);
}

/* Rule: a compound duration is parts with units from the largest down, each unit
 * once: 1h30m = 5400 s, 2d12h = 216000 s, 1m30s = 90 s, 1h0m15s = 3615 s. */
Test(units_duration, compound_durations_from_the_largest_unit_down)
{
    cr_assert_eq(duration("1h30m"), 5400 * SIM_NS_PER_S);
    cr_assert_eq(duration("2d12h"), 216000 * SIM_NS_PER_S);
    cr_assert_eq(duration("1m30s"), 90 * SIM_NS_PER_S);
    cr_assert_eq(duration("1h0m15s"), 3615 * SIM_NS_PER_S);
    cr_assert_eq(duration("1.5h"), 5400 * SIM_NS_PER_S);
    cr_assert_eq(duration("1s500ms"), 1500 * SIM_NS_PER_MS);
    cr_assert_eq(duration("1min30s"), 90 * SIM_NS_PER_S);
    cr_assert(strstr(why_duration("1h1h"), "each unit comes once, from the largest down"));
    cr_assert(strstr(why_duration("30m1h"), "(h after m)"), "%s", why_duration("30m1h"));
    cr_assert(strstr(why_duration("1h30"), "each part of a duration needs its unit"));
    duration_rejected("1h-30m");
    duration_rejected("1hm");
    duration_rejected("1h 30 parsecs");
}

Test(units_duration, forever_is_the_never_time)
{
    cr_assert_eq(duration("forever"), SIM_TIME_FOREVER);
    cr_assert_eq(duration("  forever\t"), SIM_TIME_FOREVER);
    duration_rejected("forevermore");
    duration_rejected("5forever");
}

Test(units_duration, blanks_around_the_value_and_before_the_unit_are_allowed)
{
    cr_assert_eq(duration("  250ms  "), 250 * SIM_NS_PER_MS);
    cr_assert_eq(duration("10 min"), 600 * SIM_NS_PER_S);
}

Test(units_duration, fractions_of_a_nanosecond_round_to_nearest)
{
    cr_assert_eq(duration("1.4ns"), 1);
    cr_assert_eq(duration("1.6ns"), 2);
    cr_assert_eq(duration("0.4ns"), 0);
    cr_assert_eq(duration("0.0000000026s"), 3);
    cr_assert_eq(duration("1.0000000004s"), SIM_NS_PER_S);
}

Test(units_duration, largest_and_just_too_large)
{
    /* 9223372036 s is the last whole second below 2^63 ns. */
    cr_assert_eq(duration("9223372036s"), 9223372036LL * SIM_NS_PER_S);
    duration_rejected("9223372037s");
    duration_rejected("1e30d");
    duration_rejected("1e400");
}

Test(units_duration, rejects_negative_junk_empty_and_unknown_units)
{
    duration_rejected("-1s");
    duration_rejected("-0.5");
    duration_rejected("");
    duration_rejected("   ");
    duration_rejected("10 parsecs");
    duration_rejected("10M");  /* minutes or megabytes? neither */
    duration_rejected("5ss");
    duration_rejected("5s x");
    duration_rejected("5s5");
    duration_rejected("s");
    duration_rejected("nan");
    duration_rejected("inf");
    duration_rejected("infs");
    duration_rejected("0x10s"); /* strtod would read hexadecimal */
}

Test(units_duration, reason_names_the_expected_forms_and_the_input)
{
    sim_time ns;
    char why[200] = "";
    cr_assert_eq(units_parse_duration("10 parsecs", &ns, why, sizeof why), -1);
    cr_assert(strstr(why, "250ms"), "reason \"%s\" shows no example", why);
    cr_assert(strstr(why, "\"10 parsecs\""), "reason \"%s\" does not quote the input", why);
    cr_assert_eq(units_parse_duration("-3s", &ns, why, sizeof why), -1);
    cr_assert(strstr(why, "negative"), "reason \"%s\" does not say negative", why);
}

Test(units_duration, tiny_or_null_reason_buffer_is_safe)
{
    sim_time ns;
    char why[4] = "zzz";
    cr_assert_eq(units_parse_duration("bad", &ns, why, sizeof why), -1);
    cr_assert_eq(strlen(why), 3, "reason not truncated and terminated: \"%s\"", why);
    cr_assert_eq(units_parse_duration("bad", &ns, NULL, 0), -1);
}

Test(units_size, powers_of_ten_and_powers_of_two)
{
    cr_assert_eq(size("512B"), 512);
    cr_assert_eq(size("98MB"), 98000000);
    cr_assert_eq(size("2GB"), 2000000000);
    cr_assert_eq(size("3kB"), 3000);
    cr_assert_eq(size("3KB"), 3000);
    cr_assert_eq(size("1TB"), 1000000000000LL);
    cr_assert_eq(size("2KiB"), 2048);
    cr_assert_eq(size("512MiB"), 512LL << 20);
    cr_assert_eq(size("2GiB"), 2LL << 30);
    cr_assert_eq(size("1TiB"), 1LL << 40);
    cr_assert_eq(size("1.5GB"), 1500000000);
}

/* Rule: a bare size other than 0 is refused with the binary and decimal
 * readings; fractions of a byte round (0.0015 kB = 1.5 B -> 2 B). */
Test(units_size, bare_number_needs_a_unit_and_fractions_round)
{
    char why[200] = "";
    int64_t b;
    cr_assert_eq(units_parse_size("2048", &b, why, sizeof why), -1);
    cr_assert_str_eq(why, "2048 needs a unit: 2048MiB or 2048MB?");
    cr_assert_eq(size("0"), 0);
    cr_assert_eq(size("10.6B"), 11);
    cr_assert_eq(size("0.0015kB"), 2);
}

Test(units_size, rejects_negative_junk_empty_overflow_and_unknown_units)
{
    size_rejected("-1MB");
    size_rejected("");
    size_rejected("2GBs");
    size_rejected("2 GB extra");
    size_rejected("2gb"); /* case matters: gb is not a unit */
    size_rejected("2Gb");
    size_rejected("5parsecs");
    size_rejected("9.3e18");
    size_rejected("1e7TiB");
    size_rejected("nan");
}

Test(units_rate, every_period_and_a_bare_rate_refused)
{
    expect_rate("5/s", 5);
    expect_rate("300/min", 5);
    expect_rate("1000/h", 1000.0 / 3600);
    expect_rate("1e6/d", 1e6 / 86400);
    expect_rate("30/m", 0.5);
    expect_rate("2/ms", 2000);
    expect_rate(" 300 / min ", 5);
    cr_assert_eq(rate("0/s"), 0);
    cr_assert_eq(rate("0"), 0);
    /* Rule: a bare rate other than 0 is refused with the two likeliest periods. */
    char why[200] = "";
    double r;
    cr_assert_eq(units_parse_rate("5", &r, why, sizeof why), -1);
    cr_assert_str_eq(why, "5 needs a unit: 5/s or 5/min?");
}

Test(units_rate, rejects_negative_junk_empty_overflow_and_unknown_units)
{
    rate_rejected("-5/s");
    rate_rejected("");
    rate_rejected("5/");
    rate_rejected("5/fortnight");
    rate_rejected("5s");
    rate_rejected("5/s/s");
    rate_rejected("/s");
    rate_rejected("1e300/ns");
    rate_rejected("inf/s");
}

Test(units_number, plain_finite_numbers_only)
{
    double v = 0;
    char why[200] = "";
    cr_assert_eq(units_parse_number(" 0.125 ", &v, why, sizeof why), 0, "%s", why);
    cr_assert_eq(v, 0.125);
    cr_assert_eq(units_parse_number("1e-3", &v, why, sizeof why), 0, "%s", why);
    cr_assert_eq(v, 1e-3);
    number_rejected("");
    number_rejected("5s");
    number_rejected("abc");
    number_rejected("nan");
    number_rejected("-inf");
    number_rejected("1e999");
}

static void expect_duration_text(sim_time ns, const char *want)
{
    char buf[64];
    units_format_duration(ns, buf, sizeof buf);
    cr_assert_str_eq(buf, want, "%lld ns formatted as \"%s\", want \"%s\"", (long long)ns, buf,
                     want);
}

Test(units_format, durations_read_as_people_write_them)
{
    expect_duration_text(250 * SIM_NS_PER_MS, "250ms");
    expect_duration_text(1500 * SIM_NS_PER_MS, "1.5s");
    expect_duration_text(600 * SIM_NS_PER_S, "10m");
    expect_duration_text(7LL * 86400 * SIM_NS_PER_S, "7d");
    expect_duration_text(SIM_TIME_FOREVER, "forever");
    expect_duration_text(0, "0s");
    expect_duration_text(250, "250ns");
    expect_duration_text(20 * SIM_NS_PER_US, "20us");
    expect_duration_text(100 * SIM_NS_PER_S, "100s");
    expect_duration_text(2 * 3600 * SIM_NS_PER_S + 1800 * SIM_NS_PER_S, "2.5h");
    expect_duration_text(1234567, "1.235ms");
}

Test(units_format, formatted_durations_parse_back)
{
    const sim_time cases[] = {1, 999, 1000, 250 * SIM_NS_PER_MS, 90 * SIM_NS_PER_S,
                              3 * 3600 * SIM_NS_PER_S, 400LL * 86400 * SIM_NS_PER_S,
                              SIM_TIME_FOREVER};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        units_format_duration(cases[i], buf, sizeof buf);
        cr_assert_eq(duration(buf), cases[i], "\"%s\" does not parse back to %lld ns", buf,
                     (long long)cases[i]);
    }
}

static void expect_size_text(int64_t bytes, const char *want)
{
    char buf[64];
    units_format_size(bytes, buf, sizeof buf);
    cr_assert_str_eq(buf, want, "%lld bytes formatted as \"%s\", want \"%s\"", (long long)bytes,
                     buf, want);
}

Test(units_format, sizes_exact_in_either_system_else_decimal)
{
    expect_size_text(98000000, "98MB");
    expect_size_text(2LL << 30, "2GiB");
    expect_size_text(2000000000, "2GB");
    expect_size_text(512LL << 20, "512MiB");
    expect_size_text(512, "512B");
    expect_size_text(0, "0B");
    expect_size_text(1024, "1KiB");
    expect_size_text(123456789, "123.457MB");
}

Test(units_format, short_buffer_is_truncated_not_overrun)
{
    char buf[4] = "zzz";
    units_format_duration(250 * SIM_NS_PER_MS, buf, sizeof buf);
    cr_assert_str_eq(buf, "250");
    units_format_size(98000000, buf, 3);
    cr_assert_str_eq(buf, "98");
}
