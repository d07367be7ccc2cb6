/* test_sweep_values.c - the values of `slsim sweep --vary KEY=VALUES`
 * (sweep_parse_vary, include/slsim/sweep.h).
 *
 * Each syntax is checked for the exact texts it gives (lists, ranges, log ranges,
 * @FILE), and each refusal for where it points: the 1-based column in the whole
 * "KEY=VALUES" argument of the item, or of the part of it, at fault. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "slsim/sweep.h"
#include "slsim/units.h"

static struct sweep_axis parse_ok(const char *arg)
{
    struct sweep_axis axis;
    struct slsim_error err = {0};
    int rc = sweep_parse_vary(arg, &axis, &err);
    cr_assert_eq(rc, 0, "\"%s\" refused: %s (column %d)", arg, err.message, err.column);
    cr_assert_null(axis.given);
    cr_assert_eq(axis.n_dropped, 0);
    return axis;
}

/* arg gives exactly want[0..n), in order. */
static void expect_values(const char *arg, const char *key, const char *const *want, size_t n)
{
    struct sweep_axis axis = parse_ok(arg);
    cr_assert_str_eq(axis.key, key);
    cr_assert_eq(axis.n, n, "\"%s\" gave %zu values, expected %zu", arg, axis.n, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(axis.values[i], want[i], "\"%s\": value %zu is \"%s\", expected \"%s\"",
                         arg, i, axis.values[i], want[i]);
    sweep_axis_free(&axis);
}

#define EXPECT(arg, key, ...)                                                              \
    do {                                                                                   \
        const char *const want_[] = {__VA_ARGS__};                                         \
        expect_values(arg, key, want_, sizeof want_ / sizeof want_[0]);                    \
    } while (0)

/* arg is refused at --vary:1:column with a message containing what, and the axis is
 * left empty. */
static struct slsim_error expect_error(const char *arg, int column, const char *what)
{
    struct sweep_axis axis;
    memset(&axis, 0x5a, sizeof axis);
    struct slsim_error err = {0};
    int rc = sweep_parse_vary(arg, &axis, &err);
    cr_assert_eq(rc, -1, "\"%s\" accepted (%zu values)", arg, rc == 0 ? axis.n : 0);
    cr_assert_null(axis.values);
    cr_assert_eq(axis.n, 0);
    cr_assert_null(axis.given);
    cr_assert_str_eq(err.file, "--vary", "\"%s\": error in file \"%s\"", arg, err.file);
    cr_assert_eq(err.line, 1);
    cr_assert_eq(err.column, column, "\"%s\": column %d, expected %d (%s)", arg, err.column,
                 column, err.message);
    cr_assert(strstr(err.message, what), "\"%s\": message \"%s\" lacks \"%s\"", arg,
              err.message, what);
    return err;
}

/* ---- lists ------------------------------------------------------------------------- */

/* Rule: commas inside {}, [] and quotes do not split; every item is kept as written. */
Test(sweep_values, list_keeps_flow_collections_and_quotes_whole)
{
    EXPECT("deployments.fn.arrival={dist: constant, mean: 1s},[1, 2],'a,b',\"c,\\\"d\",x",
           "deployments.fn.arrival", "{dist: constant, mean: 1s}", "[1, 2]", "'a,b'",
           "\"c,\\\"d\"", "x");
}

/* Rule: a literal is trimmed and kept exactly ("1GiB" is not rewritten, "true" is not a
 * number); KEY is split at the first '=' (a '=' in a value stays). */
Test(sweep_values, literals_are_trimmed_and_kept)
{
    EXPECT("deployments.fn.platform= aws-lambda , 1GiB,true,a=b ", "deployments.fn.platform",
           "aws-lambda", "1GiB", "true", "a=b");
}

/* Rule: as in YAML, a quote opens only where a value starts (the item's start, or after
 * [ { , :): the apostrophes of "don't" are letters, the quotes in "[a, 'b,c']" are not. */
Test(sweep_values, quotes_open_only_where_a_value_starts)
{
    EXPECT("k=don't,it's,[a, 'b,c'],{x: \"1,2\"}", "k", "don't", "it's", "[a, 'b,c']",
           "{x: \"1,2\"}");
}

/* Rule: duplicates are kept here (sweep_round_axis drops them later). */
Test(sweep_values, duplicates_are_kept)
{
    EXPECT("seed=1,1,2", "seed", "1", "1", "2");
}

/* ---- ranges ------------------------------------------------------------------------ */

/* Rule: START + i STEP for i = 0.. while <= STOP: 0:50:5 is 50/5 + 1 = 11 values. */
Test(sweep_values, range_includes_a_stop_on_a_step)
{
    EXPECT("deployments.fn.provisioned=0:50:5", "deployments.fn.provisioned", "0", "5", "10",
           "15", "20", "25", "30", "35", "40", "45", "50");
}

/* Rule: the stop is not added when it is not on a step: 0:10:3 is 0, 3, 6, 9 (12 > 10). */
Test(sweep_values, range_stops_before_a_stop_off_the_steps)
{
    EXPECT("k=0:10:3", "k", "0", "3", "6", "9");
}

/* Rule: STOP is included within 1e-9 of STEP, and values are written with 12
 * significant digits: 0.1 + 2 x 0.1 = 0.30000000000000004 > 0.3 is still the stop,
 * written "0.3". */
Test(sweep_values, range_rounds_to_twelve_digits)
{
    EXPECT("k=0.1:0.3:0.1", "k", "0.1", "0.2", "0.3");
    /* 0.7 + 3 x 0.1 = 1.0000000000000002: written 1 */
    EXPECT("k=0.7:1:0.1", "k", "0.7", "0.8", "0.9", "1");
}

/* Rule: a value that is 0 within 1e-9 STEP is written 0: -0.3 + 3 x 0.1 = 5.55e-17. */
Test(sweep_values, range_through_zero_writes_zero)
{
    EXPECT("k=-0.3:0.3:0.1", "k", "-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3");
}

/* Rule: a range of durations is written in START's unit: 1m:5m:1m is 1m .. 5m. */
Test(sweep_values, range_of_durations_in_the_start_unit)
{
    EXPECT("deployments.fn.keep_alive=1m:5m:1m", "deployments.fn.keep_alive", "1m", "2m", "3m",
           "4m", "5m");
    /* 30s:2m:30s: 30 s + i 30 s up to 120 s, in seconds: 30s 60s 90s 120s */
    EXPECT("k=30s:2m:30s", "k", "30s", "60s", "90s", "120s");
}

/* Rule: parts of one kind in different units: 128MiB:1GiB:128MiB counts in MiB,
 * 1024/128 = 8 values, the last 1 GiB = 1024MiB. */
Test(sweep_values, range_of_sizes_in_mixed_units)
{
    EXPECT("deployments.fn.memory=128MiB:1GiB:128MiB", "deployments.fn.memory", "128MiB",
           "256MiB", "384MiB", "512MiB", "640MiB", "768MiB", "896MiB", "1024MiB");
}

/* Rule: a bare 0 is 0 in every unit; a START of bare 0 takes STOP's unit:
 * 0:30s:10s is 0s 10s 20s 30s. */
Test(sweep_values, range_from_bare_zero_takes_the_stop_unit)
{
    EXPECT("k=0:30s:10s", "k", "0s", "10s", "20s", "30s");
    /* and STEP's unit when STOP is a bare 0 too: 0:0:1s is the one value 0s */
    EXPECT("k=0:0:1s", "k", "0s");
}

/* Rule: rates are a kind too: 5/s:15/s:5/s is 5/s 10/s 15/s. */
Test(sweep_values, range_of_rates)
{
    EXPECT("k=5/s:15/s:5/s", "k", "5/s", "10/s", "15/s");
}

/* Rule: items of every syntax mix in one list, in order: 1, 5:7:1, 10 is 1 5 6 7 10. */
Test(sweep_values, list_mixes_values_and_ranges)
{
    EXPECT("k=1,5:7:1,10", "k", "1", "5", "6", "7", "10");
}

/* Rule: only the shape of numbers with units is a range; "12:30" (two parts), a compound
 * duration "1h30m:2h:30m" or a mapping "{a: 1}" are literals. */
Test(sweep_values, colons_outside_the_range_shape_are_literal)
{
    EXPECT("k=\"12:30\",1h30m:2h:30m,{a: 1},a:b:c", "k", "\"12:30\"", "1h30m:2h:30m",
           "{a: 1}", "a:b:c");
}

/* Rule: two endpoints around one ':' are a range missing its step, and two around
 * ".." without "*N" a log range missing its N: refused at the end of the item ("k="
 * 2 characters, "1m:1h" 5: column 8), not passed on as a value every point would
 * refuse. A value with a ':' is written quoted ("12:30", above). */
Test(sweep_values, a_range_missing_its_step_or_count_is_refused)
{
    struct slsim_error err = expect_error("k=1m:1h", 8, "");
    cr_assert(strstr(err.message, "wants START:STOP:STEP"), "%s", err.message);
    err = expect_error("k=1m..1h", 9, "");
    cr_assert(strstr(err.message, "wants A..B*N"), "%s", err.message);
    expect_error("k=12:30", 8, "wants START:STOP:STEP");
}

/* Rule: a log range ends on B exactly: in A's unit where B is a whole number of it,
 * else as B was written; 1h..1m*3 is 1h, 1 x (1/60)^(1/2) = 0.129099h, then "1m", not
 * 0.0166667h (60.0012 s). */
Test(sweep_values, log_range_ends_on_b_exactly)
{
    EXPECT("k=1h..1m*3", "k", "1h", "0.129099h", "1m");
    EXPECT("k=1m..1h*3", "k", "1m", "7.74597m", "60m");
}

/* ---- log ranges -------------------------------------------------------------------- */

/* Rule: A (B/A)^(i/(N-1)): 1..64*7 is 64^(i/6) = 2^i, i = 0..6. */
Test(sweep_values, log_range_of_plain_numbers)
{
    EXPECT("k=1..64*7", "k", "1", "2", "4", "8", "16", "32", "64");
}

/* Rule: A > B is allowed (descending): 100..1*3 is 100, 100 (1/100)^(1/2) = 10, 1. */
Test(sweep_values, log_range_descending)
{
    EXPECT("k=100..1*3", "k", "100", "10", "1");
}

/* Rule: rates: 1/s..100/s*3 is 1/s, 1 x 100^(1/2) = 10/s, 100/s. */
Test(sweep_values, log_range_of_rates)
{
    EXPECT("workload.rate=1/s..100/s*3", "workload.rate", "1/s", "10/s", "100/s");
}

/* Rule: durations in A's unit with 6 significant digits, ends exact: 1m..1h*7 is
 * 60^(i/6) minutes, first "1m", last 60 min = "60m"; each text read back by the unit
 * grammar is the geometric value to %.6g's rounding, at most half a unit of the 6th
 * digit: relative 0.5e-5 / 1 = 5e-6 (a value in [1, 10) minutes). */
Test(sweep_values, log_range_of_durations_reads_back)
{
    struct sweep_axis axis = parse_ok("deployments.fn.keep_alive=1m..1h*7");
    cr_assert_eq(axis.n, 7);
    cr_assert_str_eq(axis.values[0], "1m");
    cr_assert_str_eq(axis.values[6], "60m");
    for (size_t i = 0; i < axis.n; i++) {
        sim_time ns = 0;
        char why[200] = "";
        cr_assert_eq(units_parse_duration(axis.values[i], &ns, why, sizeof why), 0,
                     "\"%s\" does not read back: %s", axis.values[i], why);
        double exact = 60e9 * pow(60.0, (double)i / 6.0);
        cr_assert_leq(fabs((double)ns - exact), 5e-6 * exact, "value %zu \"%s\" is %lld ns, "
                      "exact %.0f", i, axis.values[i], (long long)ns, exact);
    }
    sweep_axis_free(&axis);
}

/* Rule: %.6g writes a value of 7 digits or more with an exponent, which the unit grammar
 * reads back: 1ms..1h*5 is 3.6e6^(i/4) ms = 1, 43.5588, 1897.37, 82647, 3.6e+06 ms, the
 * last 3600 s exactly. */
Test(sweep_values, log_range_with_exponents_reads_back)
{
    EXPECT("k=1ms..1h*5", "k", "1ms", "43.5588ms", "1897.37ms", "82647ms", "3.6e+06ms");
    sim_time ns = 0;
    cr_assert_eq(units_parse_duration("3.6e+06ms", &ns, NULL, 0), 0);
    cr_assert_eq(ns, 3600 * SIM_NS_PER_S);
}

/* Rule: sizes in A's unit: 128MiB..10GiB*16 ends on 10 GiB = 10240MiB; every value
 * reads back as 128 MiB x 80^(i/15) bytes to within 5e-6 (6 significant digits). */
Test(sweep_values, log_range_of_sizes_reads_back)
{
    struct sweep_axis axis = parse_ok("deployments.fn.memory=128MiB..10GiB*16");
    cr_assert_eq(axis.n, 16);
    cr_assert_str_eq(axis.values[0], "128MiB");
    cr_assert_str_eq(axis.values[15], "10240MiB");
    for (size_t i = 0; i < axis.n; i++) {
        int64_t bytes = 0;
        char why[200] = "";
        cr_assert_eq(units_parse_size(axis.values[i], &bytes, why, sizeof why), 0,
                     "\"%s\" does not read back: %s", axis.values[i], why);
        double exact = 128.0 * 1048576.0 * pow(80.0, (double)i / 15.0);
        cr_assert_leq(fabs((double)bytes - exact), 5e-6 * exact, "value %zu \"%s\"", i,
                      axis.values[i]);
    }
    sweep_axis_free(&axis);
}

/* ---- @FILE ------------------------------------------------------------------------- */

/* Rule: one value a line, trimmed; blank lines and lines whose first non-blank is '#'
 * skipped; commas and colons in a line are not split or expanded. */
Test(sweep_values, file_one_value_a_line)
{
    char path[] = "/tmp/slsim-vary-XXXXXX";
    write_temp(path, "# memory sizes\n128MiB\n\n   \n  256MiB  \n\t# not this\n"
                     "{dist: constant, mean: 1s}\n0:10:5\nlast-without-newline");
    char arg[128];
    snprintf(arg, sizeof arg, "deployments.fn.memory=@%s", path);
    struct sweep_axis axis = parse_ok(arg);
    unlink(path);
    cr_assert_str_eq(axis.key, "deployments.fn.memory");
    const char *want[] = {"128MiB", "256MiB", "{dist: constant, mean: 1s}", "0:10:5",
                          "last-without-newline"};
    cr_assert_eq(axis.n, 5);
    for (size_t i = 0; i < 5; i++)
        cr_assert_str_eq(axis.values[i], want[i]);
    sweep_axis_free(&axis);
}

/* Rule: a file with no value is refused, naming the file (no line: no line is at
 * fault). */
Test(sweep_values, file_without_a_value)
{
    char path[] = "/tmp/slsim-vary-XXXXXX";
    write_temp(path, "# nothing\n\n   \n");
    char arg[128];
    snprintf(arg, sizeof arg, "k=@%s", path);
    struct sweep_axis axis;
    struct slsim_error err = {0};
    cr_assert_eq(sweep_parse_vary(arg, &axis, &err), -1);
    unlink(path);
    cr_assert_str_eq(err.file, path);
    cr_assert_eq(err.line, 0);
    cr_assert_str_eq(err.key, "k");
    cr_assert(strstr(err.message, "no value"), "%s", err.message);
    cr_assert_null(axis.values);
}

/* Rule: a line's value over SWEEP_MAX_VALUE_LEN (1024 bytes) is refused at FILE, its
 * line (3: a comment, then a good value), the column of the value (3: two blanks). */
Test(sweep_values, file_value_too_long)
{
    char text[2000] = "# c\nok\n  ";
    size_t len = strlen(text);
    memset(text + len, 'x', SWEEP_MAX_VALUE_LEN + 1);
    strcpy(text + len + SWEEP_MAX_VALUE_LEN + 1, "\n");
    char path[] = "/tmp/slsim-vary-XXXXXX";
    write_temp(path, text);
    char arg[128];
    snprintf(arg, sizeof arg, "k=@%s", path);
    struct sweep_axis axis;
    struct slsim_error err = {0};
    cr_assert_eq(sweep_parse_vary(arg, &axis, &err), -1);
    unlink(path);
    cr_assert_str_eq(err.file, path);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.column, 3);
    cr_assert(strstr(err.message, "1025 bytes; at most 1024"), "%s", err.message);
}

/* Rule: a file that cannot be opened is an error of the argument, at the file name's
 * column: "k=@" is 3 characters, so the name starts at column 4. */
Test(sweep_values, file_missing)
{
    struct slsim_error err = expect_error("k=@/nonexistent/slsim-vary", 4, "cannot read");
    cr_assert(strstr(err.message, "/nonexistent/slsim-vary"), "%s", err.message);
    cr_assert_str_eq(err.key, "k");
}

/* ---- refusals ---------------------------------------------------------------------- */

/* Rule: STEP > 0, error at STEP: "deployments.fn.provisioned=" is 11 + 1 + 2 + 1 + 11 + 1
 * = 27 characters, "0:50:" 5 more, so the step is column 33. */
Test(sweep_values, range_step_zero)
{
    struct slsim_error err = expect_error("deployments.fn.provisioned=0:50:0", 33, "");
    cr_assert_str_eq(err.message, "range 0:50:0: the step must be above 0");
    cr_assert_str_eq(err.key, "deployments.fn.provisioned");
    expect_error("k=0:50:-5", 8, "the step must be above 0");
}

/* Rule: START <= STOP, error at STOP: "k=5:" is 4 characters, STOP at column 5. */
Test(sweep_values, range_stop_below_start)
{
    expect_error("k=5:1:1", 5, "range 5:1:1: the stop is below the start");
}

/* Rule: one kind per range; a plain number among durations is refused at it
 * ("k=1m:" is 5 characters: column 6), and so is a size among durations. */
Test(sweep_values, range_mixes_kinds)
{
    expect_error("k=1m:10:1m", 6, "range 1m:10:1m: mixes a duration and a plain number");
    expect_error("k=1m:2GiB:1m", 6, "range 1m:2GiB:1m: mixes a duration and a size");
    /* START the plain number: "k=" is 2 characters, column 3 */
    expect_error("k=10:20s:1s", 3, "mixes a duration and a plain number");
}

/* Rule: a unit that is none of duration, size or rate is refused at the unit:
 * "k=1m:5" is 6 characters, the "x" at column 7. */
Test(sweep_values, range_unknown_unit)
{
    expect_error("k=1m:5x:1m", 7, "\"x\" is not a unit");
    /* negative durations are refused by the unit grammar, at the part (column 3) */
    expect_error("k=-1s:5s:1s", 3, "cannot be negative");
}

/* Rule: more than SWEEP_MAX_VALUES (100000) values: 0:1e6:1 would give 1000001. */
Test(sweep_values, range_too_many_values)
{
    expect_error("k=0:1e6:1", 3, "more than 100000 values");
    /* 0:99999:1 is exactly 100000: accepted */
    struct sweep_axis axis = parse_ok("k=0:99999:1");
    cr_assert_eq(axis.n, 100000);
    cr_assert_str_eq(axis.values[99999], "99999");
    sweep_axis_free(&axis);
    /* the limit counts every item: 100000 values and one more */
    expect_error("k=0:99999:1,x", 13, "more than 100000 values");
}

/* Rule: N >= 2, error at N: "k=1m..1h*" is 9 characters, N at column 10. */
Test(sweep_values, log_range_wants_two_values)
{
    struct slsim_error err = expect_error("k=1m..1h*1", 10, "");
    cr_assert_str_eq(err.message, "log range 1m..1h*1: wants N >= 2 values, e.g. 1m..1h*7");
    expect_error("k=1..10*-3", 9, "wants N >= 2");
}

/* Rule: A > 0 and B > 0, error at the end at fault ("k=" 2 characters: A at column 3;
 * "k=1s.." 6: B at column 7). */
Test(sweep_values, log_range_ends_above_zero)
{
    expect_error("k=0..1h*7", 3, "the start must be above 0");
    expect_error("k=1s..0*7", 7, "the end must be above 0");
    expect_error("k=1m..1GiB*3", 7, "mixes a duration and a size");
}

/* Rule: KEY=VALUES: no '=' or an empty KEY is refused at column 1 with no key. */
Test(sweep_values, argument_without_a_key)
{
    struct slsim_error err = expect_error("deployments.fn.memory", 1, "has no '='");
    cr_assert_str_eq(err.key, "");
    expect_error("=1,2", 1, "no key before '='");
    /* a KEY of 256 bytes does not fit axis->key (255 and a NUL) */
    char arg[300];
    memset(arg, 'k', 256);
    strcpy(arg + 256, "=1");
    expect_error(arg, 1, "a key of 256 bytes; at most 255");
    arg[255] = '=';
    arg[256] = '1';
    arg[257] = '\0';
    struct sweep_axis axis = parse_ok(arg);
    cr_assert_eq(strlen(axis.key), 255);
    sweep_axis_free(&axis);
}

/* Rule: a blank item is refused at its column: "k=a," is 4 characters, so the empty
 * item of "k=a,,b" and of "k=a," starts at column 5; nothing after '=' at column 3. */
Test(sweep_values, blank_items)
{
    expect_error("k=a,,b", 5, "an empty value");
    expect_error("k=a,", 5, "an empty value");
    expect_error("k=a, ,b", 6, "an empty value");
    expect_error("k=", 3, "no values");
}

/* Rule: an unclosed bracket or quote is refused at its opening ("k=a," 4: column 5). */
Test(sweep_values, unclosed_brackets_and_quotes)
{
    expect_error("k=a,[1,2", 5, "[ is never closed");
    expect_error("k=a,'b,c", 5, "' is never closed");
}

/* Rule: a literal of SWEEP_MAX_VALUE_LEN (1024) bytes is kept, one of 1025 refused at
 * its column ("k=" 2: column 3). */
Test(sweep_values, value_length_limit)
{
    char arg[1100] = "k=";
    memset(arg + 2, 'v', SWEEP_MAX_VALUE_LEN);
    arg[2 + SWEEP_MAX_VALUE_LEN] = '\0';
    struct sweep_axis axis = parse_ok(arg);
    cr_assert_eq(strlen(axis.values[0]), SWEEP_MAX_VALUE_LEN);
    sweep_axis_free(&axis);
    strcat(arg, "v");
    expect_error(arg, 3, "a value of 1025 bytes; at most 1024");
}

/* ---- sweep_axis_free ---------------------------------------------------------------- */

/* Rule: freeing a zeroed axis is safe; freeing one with given texts frees them and
 * zeroes the axis. */
Test(sweep_values, axis_free)
{
    struct sweep_axis axis = {0};
    sweep_axis_free(&axis);
    axis = parse_ok("k=1,2");
    axis.given = calloc(2, sizeof *axis.given);
    cr_assert_not_null(axis.given);
    axis.given[1] = strdup("1.5");
    sweep_axis_free(&axis);
    cr_assert_null(axis.values);
    cr_assert_null(axis.given);
    cr_assert_eq(axis.n, 0);
    cr_assert_str_eq(axis.key, "");
}
