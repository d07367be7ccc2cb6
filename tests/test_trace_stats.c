/* test_trace_stats.c - `slsim trace stats` (and a short replay through `trace
 * convert`) on count traces whose numbers, not their size, are large: memory must
 * follow the live state, never a count or a time span in the input.
 *
 * Memory is the peak resident size of the children this test process has waited
 * for (getrusage(RUSAGE_CHILDREN), Criterion runs each test in its own process):
 * an assertion on memory, not on time. The fixtures are in
 * tests/data/traces/counts/; each is quoted above its test. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cli_helpers.h"

#define FIX "tests/data/traces/counts/"

/* Peak resident size of the largest child so far, in MiB (ru_maxrss is in KiB on
 * Linux, getrusage(2)). */
static double children_peak_mib(void)
{
    struct rusage u;
    cr_assert_eq(getrusage(RUSAGE_CHILDREN, &u), 0);
    return (double)u.ru_maxrss / 1024.0;
}

/* counts-huge.csv: `0,3000000000`. Summed, not replayed: 3e9 requests in one
 * interval of 60 s, mean 3e9 per minute over the 1 minute the span covers. */
Test(trace_stats, a_count_of_3e9_is_summed_without_making_arrivals)
{
    struct outcome o = run("trace stats " FIX "counts-huge.csv --as counts --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "\"requests\":\t3000000000"), "%s", o.out);
    cr_assert(strstr(o.out, "\"span_s\":\t60"), "%s", o.out);
    cr_assert(strstr(o.out, "\"rate_per_min_mean\":\t3000000000"), "%s", o.out);
    cr_assert(strstr(o.out, "\"interarrival_cv\":\tnull"), "%s", o.out);
    /* the buffered replay would hold 3e9 x 16 bytes: 48 GB */
    cr_assert_lt(children_peak_mib(), 64, "peak %.0f MiB", children_peak_mib());
    outcome_free(&o);
}

/* counts-huge-then-bad.csv: `0,70000000` then `60,x` on line 3. A replay reads the
 * bad row before making the 7e7 arrivals: the error at 3:4, and the memory of a
 * row or two, not the 1.1 GB of 7e7 arrivals and their gaps. */
Test(trace_stats, a_bad_row_after_a_huge_count_fails_at_once_in_bounded_memory)
{
    struct outcome o = run("trace convert " FIX "counts-huge-then-bad.csv --as counts "
                           "--out /tmp/slsim-test-never-written.csv");
    cr_assert_eq(o.status, 2, "%s", o.err);
    cr_assert(strstr(o.err, "counts-huge-then-bad.csv:3:4:"), "%s", o.err);
    cr_assert_lt(children_peak_mib(), 64, "peak %.0f MiB", children_peak_mib());
    cr_assert_eq(access("/tmp/slsim-test-never-written.csv", F_OK), -1);
    outcome_free(&o);
    o = run("trace stats " FIX "counts-huge-then-bad.csv --as counts");
    cr_assert_eq(o.status, 2, "%s", o.err);
    cr_assert(strstr(o.err, "counts-huge-then-bad.csv:3:4:"), "%s", o.err);
    cr_assert_lt(children_peak_mib(), 64, "peak %.0f MiB", children_peak_mib());
    outcome_free(&o);
}

/* counts-noheader-seconds.csv: `0,3` then `60,2`: both lines are rows, 3 + 2 = 5
 * requests (the first line is not a header: it reads as a row). */
Test(trace_stats, a_counts_file_without_a_header_keeps_its_first_row)
{
    struct outcome o = run("trace stats " FIX "counts-noheader-seconds.csv --as counts");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "requests          5\n"), "%s", o.out);
    outcome_free(&o);
    o = run("trace stats " FIX "counts-noheader-seconds.csv --as counts --no-header");
    cr_assert(strstr(o.out, "requests          5\n"), "%s", o.out);
    outcome_free(&o);
    /* `timestamp,requests` names a time and a count column: a header, skipped */
    o = run("trace stats " FIX "counts-named-header.csv --as counts");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "requests          5\n"), "%s", o.out);
    outcome_free(&o);
}

/* counts-junk-header.csv line 1: `foo,bar`. */
Test(trace_stats, a_junk_counts_header_is_refused_at_1_1)
{
    struct outcome o = run("trace stats " FIX "counts-junk-header.csv --as counts");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "counts-junk-header.csv:1:1: expected a header time,count"), "%s",
              o.err);
    cr_assert_str_eq(o.out, "");
    outcome_free(&o);
}

/* A trace with no request: nothing to describe, an input error naming the file. */
Test(trace_stats, a_trace_without_requests_is_an_input_error)
{
    static const char *const cases[] = {
        "counts-header-only.csv --as counts",    /* time,count and no row */
        "counts-zeros.csv --as counts",          /* 0,0 and 60,0 */
        "azure-header-only.csv --as azure2019",  /* the header, no function */
        "counts-zeros.csv --as counts --within-minute equidistant --time-scale 2",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char args[300];
        snprintf(args, sizeof args, "trace stats " FIX "%s", cases[i]);
        struct outcome o = run(args);
        cr_assert_eq(o.status, 2, "%s: %d %s", cases[i], o.status, o.err);
        cr_assert(strstr(o.err, "no requests"), "%s: %s", cases[i], o.err);
        char file[100];
        snprintf(file, sizeof file, "%.*s", (int)strcspn(cases[i], " "), cases[i]);
        cr_assert(strstr(o.err, file), "%s: %s", cases[i], o.err);
        cr_assert_str_eq(o.out, "");
        outcome_free(&o);
    }
}

/* stats-stray-zero.csv: requests at 0 s and 1.7e9 s (an epoch time after a stray 0):
 * 2.8e7 minutes of span. The series is binned: 2.8e7 / 65536 bins needs bins of
 * 512 minutes (2^9, the least power of two that fits), so 55339 bins and output
 * far below the 85 MB of one number per minute; a warning names the gap. */
Test(trace_stats, a_stray_time_far_from_the_rest_costs_coarser_bins_not_memory)
{
    struct outcome o = run("trace stats " FIX "stats-stray-zero.csv --as csv --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "\"series_bin_min\":\t512"), "%.300s", o.out);
    cr_assert_lt(strlen(o.out), 1000000, "%zu bytes of JSON", strlen(o.out));
    cr_assert_lt(children_peak_mib(), 64, "peak %.0f MiB", children_peak_mib());
    cr_assert(strstr(o.err, "warning: " FIX "stats-stray-zero.csv"), "%s", o.err);
    cr_assert(strstr(o.err, "from 0 s to 1.7e+09 s"), "%s", o.err);
    outcome_free(&o);
    o = run("trace stats " FIX "stats-stray-zero.csv --as csv");
    cr_assert(strstr(o.out, "series bins       512 minutes"), "%s", o.out);
    outcome_free(&o);
}

/* counts.csv: 0,3 / 60,0 / 120,7 / 300,1 with 1-minute rows. From the counts: 11
 * requests; span from 0 to the end of the last interval, 360 s; 6 minutes, so a
 * mean of 11/6 = 1.83 per minute, a peak of 7, duty 3/6 = 0.5. */
Test(trace_stats, counts_are_summed_per_minute)
{
    struct outcome o = run("trace stats " FIX "counts.csv --as counts --format csv");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, ",counts,11,1,360,1.83333333,7,3.81818182,0.5,,,,,0\n"), "%s",
              o.out);
    outcome_free(&o);
}

/* counts-million.csv: `0,1000000`. Converting it replays 1e6 arrivals: they are
 * made one at a time and written as they come, so memory does not follow the count
 * (the buffered interval and an in-memory copy of the ~21 MB output took 59 MiB). The
 * file gets 1e6 rows and a header. */
Test(trace_stats, a_replay_of_a_large_count_is_streamed_to_its_file)
{
    char dir[] = "/tmp/slsim-convert-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char args[300], out[100];
    snprintf(out, sizeof out, "%s/out.csv", dir);
    snprintf(args, sizeof args, "trace convert " FIX "counts-million.csv --as counts --out %s",
             out);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert_lt(children_peak_mib(), 24, "peak %.0f MiB", children_peak_mib());
    FILE *f = fopen(out, "r");
    cr_assert_not_null(f);
    size_t lines = 0;
    for (int c; (c = fgetc(f)) != EOF;)
        lines += c == '\n';
    fclose(f);
    cr_assert_eq(lines, 1000001);
    unlink(out);
    rmdir(dir);
    outcome_free(&o);
}
