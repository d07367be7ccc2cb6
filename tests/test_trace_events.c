/* test_trace_events.c - the per-event trace readers (azure2021, azure-llm, csv) and
 * the external sort.
 *
 * The readers are driven through their ops tables (raw events, before trace.c's
 * selection and scaling), against the samples shipped in traces/ and the small
 * fixtures in tests/data/traces/events/. Expected values are computed here from the
 * files with sscanf, independently of the readers' parsers. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/workload/trace_internal.h"
#include "slsim/trace_sort.h"

#define EV "tests/data/traces/events/"
#define A21_SAMPLE "traces/azure2021/Azure2021_200.csv"
#define LLM_CODE "traces/azure-llm/AzureLLMInferenceTrace_code.csv"
#define LLM_CONV "traces/azure-llm/AzureLLMInferenceTrace_conv.csv"

/* ---- helpers -------------------------------------------------------------------- */

struct got {
    size_t n, cap;
    sim_time *t, *dur;
    uint32_t *mem;
    uint32_t *prompt, *output; /* tokens (0 where the format has none) */
    char **key;
    uint64_t skipped;
    int rc; /* 0: read to the end; -1: open failed; -2: next failed (after n events) */
    struct slsim_error err;
};

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->key[i]);
    free(g->t);
    free(g->dur);
    free(g->mem);
    free(g->prompt);
    free(g->output);
    free(g->key);
}

static struct trace_spec spec_for(enum trace_format f, const char *path)
{
    struct trace_spec s;
    trace_spec_default(&s);
    s.format = f;
    snprintf(s.path, sizeof s.path, "%s", path);
    return s;
}

static const struct trace_format_ops *ops_for(enum trace_format f)
{
    return f == TRACE_AZURE2021 ? &trace_azure2021_ops
           : f == TRACE_AZURE_LLM ? &trace_llm_ops
                                  : &trace_csv_ops;
}

static struct got read_all(const struct trace_spec *spec)
{
    const struct trace_format_ops *ops = ops_for(spec->format);
    struct got g = {0};
    void *r = ops->open(spec, NULL, &g.err);
    if (!r) {
        g.rc = -1;
        return g;
    }
    struct raw_event ev;
    sim_time last = 0;
    int rc;
    /* Formats without tokens leave them as they were. */
    ev.prompt_tokens = ev.output_tokens = 0;
    while ((rc = ops->next(r, &ev, &g.err)) == 1) {
        if (g.n == g.cap) {
            g.cap = g.cap ? 2 * g.cap : 1024;
            g.t = realloc(g.t, g.cap * sizeof *g.t);
            g.dur = realloc(g.dur, g.cap * sizeof *g.dur);
            g.mem = realloc(g.mem, g.cap * sizeof *g.mem);
            g.prompt = realloc(g.prompt, g.cap * sizeof *g.prompt);
            g.output = realloc(g.output, g.cap * sizeof *g.output);
            g.key = realloc(g.key, g.cap * sizeof *g.key);
            cr_assert(g.t && g.dur && g.mem && g.prompt && g.output && g.key);
        }
        /* The interface promises non-decreasing times across calls. */
        cr_assert_geq(ev.t_ns, last, "event %zu goes back in time", g.n);
        last = ev.t_ns;
        g.t[g.n] = ev.t_ns;
        g.dur[g.n] = ev.duration_ns;
        g.mem[g.n] = ev.memory_mb;
        g.prompt[g.n] = ev.prompt_tokens;
        g.output[g.n] = ev.output_tokens;
        g.key[g.n] = strdup(ev.key);
        g.n++;
    }
    g.rc = rc == 0 ? 0 : -2;
    g.skipped = ops->skipped(r);
    if (rc == 0)
        cr_expect_float_eq(ops->progress(r), 1.0, 1e-9, "progress at the end");
    ops->close(r);
    return g;
}

static void expect_error(const struct got *g, int rc, const char *file, int line, int column,
                         const char *fragment)
{
    cr_assert_eq(g->rc, rc, "expected %s, got rc %d (%s)",
                 rc == -1 ? "open to fail" : "next to fail", g->rc, g->err.message);
    cr_expect(strstr(g->err.file, file) != NULL, "error names file %s, not \"%s\"", file,
              g->err.file);
    cr_expect_eq(g->err.line, line, "line %d, expected %d (%s)", g->err.line, line,
                 g->err.message);
    if (column >= 0)
        cr_expect_eq(g->err.column, column, "column %d, expected %d (%s)", g->err.column, column,
                     g->err.message);
    cr_expect(strstr(g->err.message, fragment) != NULL, "message \"%s\" lacks \"%s\"",
              g->err.message, fragment);
}

/* text into a new temporary file; path receives its name (size >= 32). */
static void write_tmp(char *path, const char *text)
{
    strcpy(path, "/tmp/slsim-trace-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

static size_t files_in(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* ---- azure2021 ------------------------------------------------------------------ */

struct a21_row {
    char key[140];
    sim_time start_ns, dur_ns;
    size_t order;
};

static int a21_row_cmp(const void *a, const void *b)
{
    const struct a21_row *x = a, *y = b;
    if (x->start_ns != y->start_ns)
        return x->start_ns < y->start_ns ? -1 : 1;
    return x->order < y->order ? -1 : 1;
}

/* The rows of an azure2021 file, parsed with sscanf and sorted (stably) by start. */
static size_t a21_expected(const char *path, struct a21_row *rows, size_t max)
{
    FILE *f = fopen(path, "r");
    cr_assert(f);
    char line[512], app[70], fn[70];
    double end, dur;
    size_t n = 0;
    cr_assert(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        cr_assert_eq(sscanf(line, "%69[^,],%69[^,],%lf,%lf", app, fn, &end, &dur), 4);
        cr_assert_lt(n, max);
        snprintf(rows[n].key, sizeof rows[n].key, "%s/%s", app, fn);
        rows[n].dur_ns = llround(dur * 1e9);
        rows[n].start_ns = llround(end * 1e9) - rows[n].dur_ns;
        rows[n].order = n;
        n++;
    }
    fclose(f);
    qsort(rows, n, sizeof *rows, a21_row_cmp);
    return n;
}

Test(azure2021, sample_yields_199_events_in_start_order_with_the_files_functions_and_durations)
{
    static struct a21_row rows[400];
    size_t n = a21_expected(A21_SAMPLE, rows, 400);
    cr_assert_eq(n, 199);
    struct trace_spec spec = spec_for(TRACE_AZURE2021, A21_SAMPLE);
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_assert_eq(g.n, 199);
    cr_expect_eq(g.t[0], 0, "time 0 is the smallest start");
    size_t zero = 0;
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(g.key[i], rows[i].key, "event %zu", i);
        cr_expect_eq(g.dur[i], rows[i].dur_ns, "event %zu duration", i);
        /* The test goes through a double, the reader parses exact decimals. */
        cr_expect_leq(llabs(g.t[i] - (rows[i].start_ns - rows[0].start_ns)), 1, "event %zu", i);
        cr_expect_eq(g.mem[i], 0);
        zero += g.dur[i] == 0;
    }
    cr_expect_eq(zero, 8, "the sample's zero durations are kept");

    /* Per-function counts, from the file's rows against the events. */
    size_t functions = 0;
    for (size_t i = 0; i < n; i++) {
        size_t in_file = 0, in_events = 0, first = 1;
        for (size_t j = 0; j < n; j++) {
            in_file += strcmp(rows[j].key, rows[i].key) == 0;
            in_events += strcmp(g.key[j], rows[i].key) == 0;
            if (j < i && strcmp(rows[j].key, rows[i].key) == 0)
                first = 0;
        }
        cr_expect_eq(in_events, in_file, "function %s", rows[i].key);
        functions += first;
    }
    cr_expect_eq(functions, 31, "SOURCE.txt: 31 (app,func) pairs");
    got_free(&g);
}

Test(azure2021, an_event_late_by_more_than_the_window_is_an_error_naming_line_and_remedy)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "a21_late.csv");
    spec.reorder_ns = 60 * SIM_NS_PER_S;
    struct got g = read_all(&spec);
    /* Starts 0, 100, 135, 200, then 130: 70 s behind 200, after 135 was replayed. */
    expect_error(&g, -2, "a21_late.csv", 6, 13, "reorder");
    cr_expect(strstr(g.err.message, "slsim trace sort"), "%s", g.err.message);
    cr_expect_eq(g.n, 3, "the events before it were replayed");
    got_free(&g);
}

Test(azure2021, events_late_within_the_window_are_reordered)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "a21_late.csv");
    spec.reorder_ns = 80 * SIM_NS_PER_S;
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_assert_eq(g.n, 5);
    const sim_time t[] = {0, 100, 130, 135, 200};
    const sim_time d_ms[] = {500, 1000, 250, 0, 2000};
    const char *f[] = {"f1", "f2", "f3", "f1", "f2"};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_eq(g.t[i], t[i] * SIM_NS_PER_S, "event %zu", i);
        cr_expect_eq(g.dur[i], d_ms[i] * SIM_NS_PER_MS, "event %zu", i);
        cr_expect(strncmp(g.key[i], "aaaaaaaa/", 9) == 0 && strcmp(g.key[i] + 9, f[i]) == 0,
                  "event %zu is %s", i, g.key[i]);
    }
    got_free(&g);
}

Test(azure2021, a_window_of_zero_replays_a_file_sorted_by_start)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, A21_SAMPLE);
    spec.reorder_ns = 0;
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_expect_eq(g.n, 199);
    got_free(&g);
}

Test(azure2021, a_missing_field_is_an_error_with_its_line)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "a21_missing_field.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "a21_missing_field.csv", 3, 18, "missing field");
    got_free(&g);
}

Test(azure2021, a_bad_number_is_an_error_with_its_line_and_column)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "a21_bad_number.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "a21_bad_number.csv", 4, 13, "3.0x0");
    cr_expect_str_eq(g.err.key, "end_timestamp");
    got_free(&g);
}

Test(azure2021, a_negative_duration_is_an_error_with_its_line_and_column)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "a21_negative_duration.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "a21_negative_duration.csv", 3, 19, "negative duration");
    got_free(&g);
}

Test(azure2021, skip_bad_skips_and_counts_malformed_rows)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "a21_bad_rows.csv");
    spec.skip_bad = 1;
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_expect_eq(g.n, 2);
    cr_expect_eq(g.skipped, 3);
    cr_expect_eq(g.t[1], 4500 * SIM_NS_PER_MS);
    cr_expect_str_eq(g.key[1], "bbbbbbbb/f1");
    got_free(&g);
}

Test(azure2021, a_truncated_file_is_a_clean_error)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "a21_truncated.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "a21_truncated.csv", 4, -1, "truncated");
    got_free(&g);
}

Test(azure2021, empty_header_only_and_headerless_files_are_clean_errors)
{
    struct trace_spec spec = spec_for(TRACE_AZURE2021, EV "empty.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -1, "empty.csv", 1, 1, "empty file");
    /* A header alone reads as no events; that it is no trace is trace.c's rule,
     * the same for every format. */
    spec = spec_for(TRACE_AZURE2021, EV "a21_header_only.csv");
    g = read_all(&spec);
    cr_expect_eq(g.rc, 0, "%s", g.err.message);
    cr_expect_eq(g.n, 0);
    struct slsim_error err = {0};
    cr_expect_eq(trace_check(&spec, &err), -1);
    cr_expect_eq(err.line, 1);
    cr_expect_eq(err.column, 1);
    cr_expect(strstr(err.message, "no requests"), "%s", err.message);
    spec = spec_for(TRACE_AZURE2021, EV "a21_no_header.csv");
    g = read_all(&spec);
    expect_error(&g, -1, "a21_no_header.csv", 1, 1, "not an azure2021 trace");
    spec = spec_for(TRACE_AZURE2021, EV "no-such-file.csv");
    g = read_all(&spec);
    expect_error(&g, -1, "no-such-file.csv", 1, 1, "cannot open");
}

/* ---- azure-llm ------------------------------------------------------------------ */

/* Check an LLM trace row by row against sscanf: count, times (exact, in 100 ns
 * ticks), tokens (ContextTokens the prompt, GeneratedTokens the output), no
 * duration, and the span. */
static void check_llm(const char *path, size_t rows, double span_s)
{
    struct trace_spec spec = spec_for(TRACE_AZURE_LLM, path);
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_assert_eq(g.n, rows);
    cr_expect_eq(g.t[0], 0);
    cr_expect(fabs((double)g.t[g.n - 1] / 1e9 - span_s) < 1.0, "span %.3f s, SOURCE.txt %.0f s",
              (double)g.t[g.n - 1] / 1e9, span_s);

    FILE *f = fopen(path, "r");
    cr_assert(f);
    char line[256];
    cr_assert(fgets(line, sizeof line, f));
    long long first = 0;
    for (size_t i = 0; i < rows; i++) {
        int y, mo, d, h, mi, s;
        char frac[8];
        unsigned long long ctx, gen;
        cr_assert(fgets(line, sizeof line, f));
        cr_assert_eq(sscanf(line, "%d-%d-%d %d:%d:%d.%7[0-9],%llu,%llu", &y, &mo, &d, &h, &mi, &s,
                            frac, &ctx, &gen),
                     9, "line %zu: %s", i + 2, line);
        cr_assert_eq(strlen(frac), 7);
        cr_assert(y == 2023 && mo == 11 && d == 16, "one day in the sample");
        long long ticks = ((h * 60LL + mi) * 60 + s) * 10000000LL + atoll(frac);
        if (i == 0)
            first = ticks;
        cr_expect_eq(g.t[i], (ticks - first) * 100, "row %zu time", i);
        cr_expect_eq(g.dur[i], -1, "row %zu duration", i);
        cr_expect_eq(g.prompt[i], ctx, "row %zu prompt tokens", i);
        cr_expect_eq(g.output[i], gen, "row %zu output tokens", i);
        cr_expect_str_eq(g.key[i], "llm");
        cr_expect_eq(g.mem[i], 0);
    }
    cr_expect_null(fgets(line, sizeof line, f), "no rows beyond");
    fclose(f);
    got_free(&g);
}

Test(azure_llm, code_trace_yields_8819_requests_from_0_to_3436_s_with_their_tokens)
{
    check_llm(LLM_CODE, 8819, 3436);
}

Test(azure_llm, conv_trace_yields_19366_requests_from_0_to_3502_s_with_their_tokens)
{
    check_llm(LLM_CONV, 19366, 3502);
}

Test(azure_llm, durations_are_left_to_the_scenario)
{
    struct trace_spec spec = spec_for(TRACE_AZURE_LLM, LLM_CODE);
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    for (size_t i = 0; i < g.n; i++)
        cr_assert_eq(g.dur[i], -1);
    got_free(&g);
}

Test(azure_llm, time_going_backwards_is_an_error_with_its_line_or_skipped_with_skip_bad)
{
    struct trace_spec spec = spec_for(TRACE_AZURE_LLM, EV "llm_backwards.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "llm_backwards.csv", 4, 1, "backwards");
    cr_expect_eq(g.n, 2);
    got_free(&g);
    spec.skip_bad = 1;
    g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_expect_eq(g.n, 3);
    cr_expect_eq(g.skipped, 1);
    cr_expect_eq(g.t[1], 1500 * SIM_NS_PER_MS);
    cr_expect_eq(g.t[2], 2 * SIM_NS_PER_S);
    got_free(&g);
}

Test(azure_llm, a_bad_token_count_is_an_error_with_its_line_and_column)
{
    struct trace_spec spec = spec_for(TRACE_AZURE_LLM, EV "llm_bad_number.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "llm_bad_number.csv", 3, 29, "12a");
    cr_expect_str_eq(g.err.key, "ContextTokens");
    got_free(&g);
}

Test(azure_llm, an_impossible_date_is_an_error_with_its_line)
{
    struct trace_spec spec = spec_for(TRACE_AZURE_LLM, EV "llm_bad_time.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "llm_bad_time.csv", 3, 1, "no such date");
    got_free(&g);
}

Test(azure_llm, truncated_and_empty_files_are_clean_errors)
{
    struct trace_spec spec = spec_for(TRACE_AZURE_LLM, EV "llm_truncated.csv");
    struct got g = read_all(&spec);
    expect_error(&g, -2, "llm_truncated.csv", 3, -1, "truncated");
    got_free(&g);
    spec = spec_for(TRACE_AZURE_LLM, EV "empty.csv");
    g = read_all(&spec);
    expect_error(&g, -1, "empty.csv", 1, 1, "empty file");
    spec = spec_for(TRACE_AZURE_LLM, EV "csv_seconds.csv");
    g = read_all(&spec);
    expect_error(&g, -1, "csv_seconds.csv", 1, -1, "no column \"TIMESTAMP\"");
}

/* ---- csv ------------------------------------------------------------------------ */

/* The five requests every csv_* fixture holds, whatever its time unit. */
static const sim_time csv_t[] = {0, 250 * SIM_NS_PER_MS, 1500 * SIM_NS_PER_MS,
                                 1500 * SIM_NS_PER_MS, 3600 * SIM_NS_PER_S + 1000};
static const char *const csv_fn[] = {"resize", "thumb", "resize", "ocr", "thumb"};
static const sim_time csv_dur[] = {12500 * SIM_NS_PER_US, 0, 100 * SIM_NS_PER_MS,
                                   7250 * SIM_NS_PER_US, SIM_NS_PER_S};

static void expect_five(const struct got *g, int with_fn, int with_dur)
{
    cr_assert_eq(g->rc, 0, "%s", g->err.message);
    cr_assert_eq(g->n, 5);
    for (size_t i = 0; i < 5; i++) {
        cr_expect_eq(g->t[i], csv_t[i], "event %zu: %lld", i, (long long)g->t[i]);
        cr_expect_str_eq(g->key[i], with_fn ? csv_fn[i] : "csv", "event %zu", i);
        cr_expect_eq(g->dur[i], with_dur ? csv_dur[i] : -1, "event %zu", i);
    }
}

Test(csv, header_epoch_seconds_with_function_duration_and_memory)
{
    struct trace_spec spec = spec_for(TRACE_CSV, EV "csv_seconds.csv");
    strcpy(spec.col_time, "ts");
    strcpy(spec.col_function, "fn");
    strcpy(spec.col_duration, "dur_ms");
    strcpy(spec.col_memory, "mem");
    spec.duration_unit_s = 0.001;
    struct got g = read_all(&spec);
    expect_five(&g, 1, 1);
    const uint32_t mem[] = {128, 256, 128, 512, 256};
    for (size_t i = 0; i < 5; i++)
        cr_expect_eq(g.mem[i], mem[i]);
    got_free(&g);
}

Test(csv, no_header_columns_by_number_in_milliseconds)
{
    struct trace_spec spec = spec_for(TRACE_CSV, EV "csv_ms_noheader.csv");
    spec.header = 0;
    spec.time_unit = TIME_MILLISECONDS;
    strcpy(spec.col_time, "2");
    strcpy(spec.col_function, "1");
    strcpy(spec.col_duration, "3");
    spec.duration_unit_s = 0.001;
    struct got g = read_all(&spec);
    expect_five(&g, 1, 1);
    cr_expect_eq(g.mem[0], 0, "no memory column: 0");
    got_free(&g);
}

Test(csv, microseconds_with_quoted_function_names)
{
    struct trace_spec spec = spec_for(TRACE_CSV, EV "csv_us.csv");
    spec.time_unit = TIME_MICROSECONDS;
    strcpy(spec.col_time, "time_us");
    strcpy(spec.col_function, "function");
    struct got g = read_all(&spec);
    expect_five(&g, 1, 0);
    got_free(&g);
}

Test(csv, iso8601_times_with_a_space_or_a_T)
{
    struct trace_spec spec = spec_for(TRACE_CSV, EV "csv_iso.csv");
    spec.time_unit = TIME_ISO8601;
    strcpy(spec.col_time, "when");
    strcpy(spec.col_function, "fn");
    struct got g = read_all(&spec);
    expect_five(&g, 1, 0);
    got_free(&g);
}

Test(csv, without_a_function_column_every_request_is_function_csv)
{
    struct trace_spec spec = spec_for(TRACE_CSV, EV "csv_seconds.csv");
    strcpy(spec.col_time, "1");
    struct got g = read_all(&spec);
    expect_five(&g, 0, 0);
    got_free(&g);
}

Test(csv, an_unknown_column_is_an_error_listing_the_headers_names)
{
    struct trace_spec spec = spec_for(TRACE_CSV, EV "csv_seconds.csv");
    strcpy(spec.col_time, "ts");
    strcpy(spec.col_duration, "duration");
    struct got g = read_all(&spec);
    expect_error(&g, -1, "csv_seconds.csv", 1, -1, "ts, fn, dur_ms, mem");
    cr_expect(strstr(g.err.message, "\"duration\""), "%s", g.err.message);
    spec = spec_for(TRACE_CSV, EV "csv_ms_noheader.csv");
    spec.header = 0;
    strcpy(spec.col_time, "ts");
    g = read_all(&spec);
    expect_error(&g, -1, "csv_ms_noheader.csv", 1, 1, "by number");
    spec = spec_for(TRACE_CSV, EV "csv_seconds.csv");
    g = read_all(&spec);
    expect_error(&g, -1, "csv_seconds.csv", 1, 1, "needs a time column");
}

/* One malformed row each: the line and column of the error. */
Test(csv, malformed_rows_are_errors_with_line_and_column)
{
    static const struct {
        const char *text;
        enum trace_time_unit unit;
        int line, column;
        const char *fragment;
    } cases[] = {
        {"t,fn,d\n1,a,5\n2,a\n", TIME_SECONDS, 3, -1, "missing field"},
        {"t,fn,d\n1,a,5\n2,a,1\n3,b,-5\n", TIME_SECONDS, 4, 5, "negative duration"},
        {"t,fn,d\n1,a,5\n2,a,zz\n", TIME_SECONDS, 3, 5, "expected a number"},
        {"t,fn,d\n1,a,5\n2x,a,1\n", TIME_SECONDS, 3, 1, "expected a number"},
        {"t,fn,d\n1,a,5\n3,a,1\n2.5,b,1\n", TIME_SECONDS, 4, 1, "slsim trace sort"},
        {"t,fn,d\n1,a,5\n2,,1\n", TIME_SECONDS, 3, 3, "empty function"},
        {"t,fn,d\n2023-01-01 00:00:00,a,1\n2023-01-01 25:00:00,a,1\n", TIME_ISO8601, 3, 1,
         "no such date"},
        {"t,fn,d\n2023-01-01 00:00:00,a,1\n2023-01-01 00:00:01+02:00,a,1\n", TIME_ISO8601, 3, 1,
         "time zones"},
        {"t,fn,d\n1,a,5\n1e400,a,1\n", TIME_SECONDS, 3, 1, "expected a number"},
        {"t,fn,d\n1,a,5\n99999999999,a,1\n", TIME_SECONDS, 3, 1, "out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[64];
        write_tmp(path, cases[i].text);
        struct trace_spec spec = spec_for(TRACE_CSV, path);
        strcpy(spec.col_time, "t");
        strcpy(spec.col_function, "fn");
        strcpy(spec.col_duration, "d");
        spec.time_unit = cases[i].unit;
        struct got g = read_all(&spec);
        cr_expect_eq(g.rc, -2, "case %zu: %s", i, g.err.message);
        cr_expect_eq(g.err.line, cases[i].line, "case %zu: %s", i, g.err.message);
        if (cases[i].column >= 0)
            cr_expect_eq(g.err.column, cases[i].column, "case %zu: %s", i, g.err.message);
        cr_expect(strstr(g.err.message, cases[i].fragment), "case %zu: %s", i, g.err.message);
        got_free(&g);
        unlink(path);
    }
}

Test(csv, skip_bad_skips_and_counts_malformed_and_backward_rows)
{
    char path[64];
    write_tmp(path, "t,fn,d\n1.0,a,5\n2.0,a\n3.0,b,-5\n4.0,b,zz\n4.5,c,1\n3.5,c,1\n5.0,c,1\n");
    struct trace_spec spec = spec_for(TRACE_CSV, path);
    strcpy(spec.col_time, "t");
    strcpy(spec.col_function, "fn");
    strcpy(spec.col_duration, "d");
    spec.skip_bad = 1;
    struct got g = read_all(&spec);
    unlink(path);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_expect_eq(g.n, 3);
    cr_expect_eq(g.skipped, 4);
    cr_expect_eq(g.t[1], 3500 * SIM_NS_PER_MS);
    cr_expect_eq(g.t[2], 4 * SIM_NS_PER_S);
    got_free(&g);
}

Test(csv, truncated_and_empty_files_are_clean_errors)
{
    char path[64];
    write_tmp(path, "t,fn,d\n1,a,5\n2,a,");
    struct trace_spec spec = spec_for(TRACE_CSV, path);
    strcpy(spec.col_time, "t");
    strcpy(spec.col_duration, "d");
    struct got g = read_all(&spec);
    unlink(path);
    expect_error(&g, -2, "slsim-trace-", 3, 5, "truncated");
    got_free(&g);
    spec = spec_for(TRACE_CSV, EV "empty.csv");
    strcpy(spec.col_time, "1");
    g = read_all(&spec);
    expect_error(&g, -1, "empty.csv", 1, 1, "empty file");
    /* Without a header an empty file reads as no rows: trace.c says it is empty. */
    spec.header = 0;
    struct slsim_error err = {0};
    cr_expect_eq(trace_check(&spec, &err), -1);
    cr_expect_eq(err.line, 1);
    cr_expect_eq(err.column, 1);
    cr_expect(strstr(err.message, "empty file: expected one row per request"), "%s",
              err.message);
}

/* ---- the external sort ---------------------------------------------------------- */

struct csv_row {
    double t;
    char fn[16];
    int dur, id;
};

static int csv_row_cmp(const void *a, const void *b)
{
    const struct csv_row *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->id - y->id;
}

static size_t read_csv_rows(const char *path, struct csv_row *rows, size_t max)
{
    FILE *f = fopen(path, "r");
    cr_assert(f);
    char line[128];
    size_t n = 0;
    cr_assert(fgets(line, sizeof line, f));
    cr_expect_str_eq(line, "time_s,fn,dur_ms,id\n", "the header comes first");
    while (fgets(line, sizeof line, f)) {
        cr_assert_lt(n, max);
        cr_assert_eq(sscanf(line, "%lf,%15[^,],%d,%d", &rows[n].t, rows[n].fn, &rows[n].dur,
                            &rows[n].id),
                     4);
        n++;
    }
    fclose(f);
    return n;
}

Test(sort, an_unsorted_csv_fails_then_sorts_with_a_tiny_budget_into_the_same_rows_in_order)
{
    struct trace_spec spec = spec_for(TRACE_CSV, EV "csv_unsorted.csv");
    strcpy(spec.col_time, "time_s");
    strcpy(spec.col_function, "fn");
    strcpy(spec.col_duration, "dur_ms");
    spec.duration_unit_s = 0.001;
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, -2);
    cr_expect(strstr(g.err.message, "slsim trace sort"), "%s", g.err.message);
    got_free(&g);

    char dir[] = "/tmp/slsim-sort-test-XXXXXX", tmp[64], out[64];
    cr_assert(mkdtemp(dir));
    snprintf(tmp, sizeof tmp, "%s/runs", dir);
    snprintf(out, sizeof out, "%s/sorted.csv", dir);
    cr_assert_eq(mkdir(tmp, 0700), 0);
    struct trace_sort_stats st;
    struct slsim_error err;
    int rc = trace_sort_file(EV "csv_unsorted.csv", out, &spec, tmp, 2048, &st, &err);
    cr_assert_eq(rc, 0, "%s", err.message);
    cr_expect_eq(st.rows, 600);
    cr_expect_gt(st.runs, 4, "a tiny budget makes several runs (%llu)",
                 (unsigned long long)st.runs);
    cr_expect_gt(st.out_of_order, 0);
    cr_expect_eq(files_in(tmp), 0, "the runs are removed");
    cr_expect_eq(files_in(dir), 2, "only the output beside the runs directory");

    /* The same multiset of rows, in time order, equal times in file order. */
    static struct csv_row before[700], after[700];
    size_t nb = read_csv_rows(EV "csv_unsorted.csv", before, 700);
    size_t na = read_csv_rows(out, after, 700);
    cr_assert_eq(na, nb);
    qsort(before, nb, sizeof *before, csv_row_cmp);
    for (size_t i = 0; i < na; i++) {
        cr_expect(before[i].t == after[i].t && before[i].id == after[i].id &&
                      before[i].dur == after[i].dur && strcmp(before[i].fn, after[i].fn) == 0,
                  "row %zu: id %d, expected id %d", i, after[i].id, before[i].id);
    }

    /* And the reader takes it. */
    snprintf(spec.path, sizeof spec.path, "%s", out);
    g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_assert_eq(g.n, 600);
    for (size_t i = 0; i < g.n; i++) {
        cr_expect_eq(g.t[i], llround((before[i].t - before[0].t) * 1e9));
        cr_expect_eq(g.dur[i], before[i].dur * SIM_NS_PER_MS);
        cr_expect_str_eq(g.key[i], before[i].fn);
    }
    got_free(&g);
    unlink(out);
    rmdir(tmp);
    rmdir(dir);
}

Test(sort, a_shuffled_azure2021_sample_sorts_in_many_runs_and_replays_like_the_sample)
{
    char dir[] = "/tmp/slsim-sort-test-XXXXXX", out[64];
    cr_assert(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/sorted.csv", dir);
    struct trace_spec spec = spec_for(TRACE_AZURE2021, "");
    struct trace_sort_stats st;
    struct slsim_error err;
    /* 100 bytes hold one row: 199 runs, more than one merge can take at once. */
    int rc = trace_sort_file(EV "a21_shuffled.csv", out, &spec, dir, 100, &st, &err);
    cr_assert_eq(rc, 0, "%s", err.message);
    cr_expect_eq(st.rows, 199);
    cr_expect_eq(st.runs, 199);
    cr_expect_gt(st.max_lateness_ns, 60 * SIM_NS_PER_S, "the shuffle is beyond the window");
    cr_expect_eq(files_in(dir), 1, "the runs are removed");

    struct trace_spec shuffled = spec_for(TRACE_AZURE2021, EV "a21_shuffled.csv");
    struct got g = read_all(&shuffled);
    cr_expect_eq(g.rc, -2, "the shuffled file is too far out of order for the window");
    got_free(&g);

    struct trace_spec sorted = spec_for(TRACE_AZURE2021, out);
    sorted.reorder_ns = 0;
    struct trace_spec sample = spec_for(TRACE_AZURE2021, A21_SAMPLE);
    struct got a = read_all(&sorted), b = read_all(&sample);
    cr_assert_eq(a.rc, 0, "%s", a.err.message);
    cr_assert_eq(b.rc, 0, "%s", b.err.message);
    cr_assert_eq(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        cr_expect_eq(a.t[i], b.t[i], "event %zu", i);
        cr_expect_eq(a.dur[i], b.dur[i], "event %zu", i);
        cr_expect_str_eq(a.key[i], b.key[i], "event %zu", i);
    }
    got_free(&a);
    got_free(&b);
    unlink(out);
    rmdir(dir);
}

Test(sort, a_sorted_file_comes_out_byte_for_byte_in_memory)
{
    char dir[] = "/tmp/slsim-sort-test-XXXXXX", out[64];
    cr_assert(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/sorted.csv", dir);
    struct trace_spec spec = spec_for(TRACE_CSV, "");
    strcpy(spec.col_time, "time_us");
    spec.time_unit = TIME_MICROSECONDS;
    struct trace_sort_stats st;
    struct slsim_error err;
    cr_assert_eq(trace_sort_file(EV "csv_us.csv", out, &spec, NULL, 1 << 20, &st, &err), 0,
                 "%s", err.message);
    cr_expect_eq(st.runs, 0);
    cr_expect_eq(st.out_of_order, 0);
    cr_expect_eq(st.max_lateness_ns, 0);
    char *a = slurp(EV "csv_us.csv"), *b = slurp(out);
    cr_expect_str_eq(b, a, "quoted fields and all");
    free(a);
    free(b);
    unlink(out);
    rmdir(dir);
}

Test(sort, a_bad_row_fails_with_its_line_and_leaves_the_output_untouched)
{
    char dir[] = "/tmp/slsim-sort-test-XXXXXX", in[64], out[64];
    cr_assert(mkdtemp(dir));
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    FILE *f = fopen(in, "w");
    cr_assert(f);
    for (int i = 0; i < 50; i++)
        fprintf(f, "%d,x\n", 50 - i);
    fputs("soon,x\n", f);
    fclose(f);
    f = fopen(out, "w");
    cr_assert(f);
    fputs("old\n", f);
    fclose(f);
    struct trace_spec spec = spec_for(TRACE_CSV, "");
    spec.header = 0;
    strcpy(spec.col_time, "1");
    struct slsim_error err;
    cr_assert_eq(trace_sort_file(in, out, &spec, dir, 64, NULL, &err), -1);
    cr_expect_eq(err.line, 51, "%s", err.message);
    cr_expect_eq(err.column, 1);
    cr_expect(strstr(err.file, "in.csv"), "%s", err.file);
    char *o = slurp(out);
    cr_expect_str_eq(o, "old\n");
    free(o);
    cr_expect_eq(files_in(dir), 2, "no runs or partial output left behind");

    /* skip_bad leaves the row out; in may be out. */
    spec.skip_bad = 1;
    struct trace_sort_stats st;
    cr_assert_eq(trace_sort_file(in, in, &spec, dir, 64, &st, &err), 0, "%s", err.message);
    cr_expect_eq(st.skipped, 1);
    cr_expect_eq(st.rows, 50);
    o = slurp(in);
    cr_expect(strncmp(o, "1,x\n2,x\n3,x\n", 12) == 0, "%.20s", o);
    free(o);
    unlink(in);
    unlink(out);
    rmdir(dir);
}

Test(sort, count_formats_cannot_be_sorted)
{
    struct trace_spec spec = spec_for(TRACE_COUNTS, "");
    struct slsim_error err;
    cr_expect_eq(trace_sort_file(EV "csv_us.csv", "/tmp/never-written.csv", &spec, NULL, 1024,
                                 NULL, &err),
                 -1);
    cr_expect(strstr(err.message, "can be sorted"), "%s", err.message);
    cr_expect_neq(access("/tmp/never-written.csv", F_OK), 0);
}

Test(sort, an_azure_llm_file_sorts_by_timestamp)
{
    char dir[] = "/tmp/slsim-sort-test-XXXXXX", out[64];
    cr_assert(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/sorted.csv", dir);
    struct trace_spec spec = spec_for(TRACE_AZURE_LLM, "");
    struct trace_sort_stats st;
    struct slsim_error err;
    cr_assert_eq(trace_sort_file(EV "llm_backwards.csv", out, &spec, dir, 1, &st, &err), 0, "%s",
                 err.message);
    cr_expect_eq(st.rows, 4);
    cr_expect_eq(st.out_of_order, 1);
    cr_expect_eq(st.max_lateness_ns, 100);
    spec = spec_for(TRACE_AZURE_LLM, out);
    struct got g = read_all(&spec);
    cr_assert_eq(g.rc, 0, "%s", g.err.message);
    cr_assert_eq(g.n, 4);
    cr_expect_eq(g.t[1], 1500 * SIM_NS_PER_MS - 100);
    cr_expect_eq(g.t[2], 1500 * SIM_NS_PER_MS);
    got_free(&g);
    unlink(out);
    rmdir(dir);
}
