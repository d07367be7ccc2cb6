/* test_trace_hardening.c - what every trace format does with a malformed file.
 *
 * One table of kinds of damage (a byte-order mark, CRLF line ends, no final
 * newline, an empty or blank file, a header alone, a NUL byte, a row with a field
 * too many or too few, rows out of order, a number too large) applied to one small
 * valid trace of each format (azure2019, azure2021, azure-llm, csv, counts), read
 * through trace_open as a replay reads it. Each either replays exactly the
 * requests of the valid trace (counted by hand below) or is an error at a file,
 * line and column; never a different number of requests. Then the whole-file
 * cases (a directory, a device, an over-long line) and the located errors of a
 * scenario (workload.trace.path, workload.trace, pricing). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/workload/trace_internal.h"
#include "cli_helpers.h"

/* ---- the five valid traces ---------------------------------------------------- */

#define MAX_LINES 4
#define LINE_MAX_LEN 8192

struct fixture {
    enum trace_format format;
    const char *name;
    int n_lines;
    char line[MAX_LINES][LINE_MAX_LEN]; /* line[0] is the header */
    uint64_t requests;                  /* what the valid file replays */
    /* A row 2 with a number too large for its field, where the error is. */
    char huge[LINE_MAX_LEN];
    int huge_col;
    const char *huge_fragment;
    /* Rows 2 and 3 swapped: 0 when the format reorders (the same requests), else
     * the column of the error on line 3 and its words. */
    int ooo_col;
    const char *ooo_fragment;
};

/* The azure2019 invocations row of function f: counts[i] in minute i + 1, then 0. */
static void a19_row(char *out, const char *f, const char *first, int a, int b)
{
    int w = sprintf(out, "o,app,%s,http,%s,%d,%d", f, first, a, b);
    for (int m = 4; m <= 1440; m++)
        w += sprintf(out + w, ",0");
}

static void fixtures(struct fixture *fx)
{
    memset(fx, 0, 5 * sizeof *fx);
    /* azure2019: f has 2 + 3 requests in minutes 1 and 2, g 1 in minute 3: 6. */
    fx[0].format = TRACE_AZURE2019;
    fx[0].name = "azure2019";
    int w = sprintf(fx[0].line[0], "HashOwner,HashApp,HashFunction,Trigger");
    for (int m = 1; m <= 1440; m++)
        w += sprintf(fx[0].line[0] + w, ",%d", m);
    a19_row(fx[0].line[1], "f", "2", 3, 0);
    a19_row(fx[0].line[2], "g", "0", 0, 1);
    fx[0].n_lines = 3;
    fx[0].requests = 6;
    a19_row(fx[0].huge, "f", "99999999999999999999999", 3, 0);
    fx[0].huge_col = (int)strlen("o,app,f,http,") + 1;
    fx[0].huge_fragment = "whole number";
    /* azure2021: three invocations; starts 10, 10.8 and 11 s are within the 60 s
     * reorder window of each other, so rows out of order replay the same. */
    fx[1].format = TRACE_AZURE2021;
    fx[1].name = "azure2021";
    strcpy(fx[1].line[0], "app,func,end_timestamp,duration");
    strcpy(fx[1].line[1], "a,f,10.5,0.5");
    strcpy(fx[1].line[2], "a,g,11,0.2");
    strcpy(fx[1].line[3], "b,f,12,1");
    fx[1].n_lines = 4;
    fx[1].requests = 3;
    strcpy(fx[1].huge, "a,f,1e300,0.5");
    fx[1].huge_col = 5;
    fx[1].huge_fragment = "out of range";
    /* azure-llm: three requests. */
    fx[2].format = TRACE_AZURE_LLM;
    fx[2].name = "azure-llm";
    strcpy(fx[2].line[0], "TIMESTAMP,ContextTokens,GeneratedTokens");
    strcpy(fx[2].line[1], "2023-11-16 18:17:03.9799600,10,20");
    strcpy(fx[2].line[2], "2023-11-16 18:17:04.0000000,5,7");
    strcpy(fx[2].line[3], "2023-11-16 18:17:05.5,1,1");
    fx[2].n_lines = 4;
    fx[2].requests = 3;
    strcpy(fx[2].huge, "2023-11-16 18:17:03.9799600,99999999999999999999999,20");
    fx[2].huge_col = 29;
    fx[2].huge_fragment = "whole number";
    fx[2].ooo_col = 1;
    fx[2].ooo_fragment = "time goes backwards";
    /* csv: three requests. */
    fx[3].format = TRACE_CSV;
    fx[3].name = "csv";
    strcpy(fx[3].line[0], "t,fn");
    strcpy(fx[3].line[1], "1,a");
    strcpy(fx[3].line[2], "2,b");
    strcpy(fx[3].line[3], "3,a");
    fx[3].n_lines = 4;
    fx[3].requests = 3;
    strcpy(fx[3].huge, "99999999999999999999999,a");
    fx[3].huge_col = 1;
    fx[3].huge_fragment = "out of range";
    fx[3].ooo_col = 1;
    fx[3].ooo_fragment = "time goes backwards";
    /* counts: 2 + 3 + 1 = 6 requests in three minutes. */
    fx[4].format = TRACE_COUNTS;
    fx[4].name = "counts";
    strcpy(fx[4].line[0], "time,count");
    strcpy(fx[4].line[1], "0,2");
    strcpy(fx[4].line[2], "60,3");
    strcpy(fx[4].line[3], "120,1");
    fx[4].n_lines = 4;
    fx[4].requests = 6;
    strcpy(fx[4].huge, "0,99999999999999999999999");
    fx[4].huge_col = 3;
    fx[4].huge_fragment = "whole number";
    fx[4].ooo_col = 1;
    fx[4].ooo_fragment = "goes back";
}

static struct trace_spec spec_of(const struct fixture *f, const char *path)
{
    struct trace_spec s;
    trace_spec_default(&s);
    s.format = f->format;
    snprintf(s.path, sizeof s.path, "%s", path);
    if (f->format == TRACE_CSV) {
        strcpy(s.col_time, "t");
        strcpy(s.col_function, "fn");
    }
    return s;
}

/* ---- the kinds of damage --------------------------------------------------------- */

enum kind {
    K_VALID,
    K_BOM,
    K_CRLF,
    K_BOM_CRLF,
    K_NO_FINAL_NEWLINE,
    K_EMPTY,
    K_BLANK,
    K_HEADER_ONLY,
    K_BOM_HEADER_ONLY,
    K_NUL,
    K_EXTRA_FIELD,
    K_MISSING_FIELD,
    K_OUT_OF_ORDER,
    K_HUGE,
    N_KINDS
};

static const char *const kind_name[] = {
    "valid",      "BOM",          "CRLF",        "BOM+CRLF",      "no final newline",
    "empty",      "blank lines",  "header only", "BOM+header only", "NUL in row 2",
    "extra field", "missing field", "rows 2 and 3 swapped", "huge number"};

struct expect {
    int ok;           /* 1: replays f->requests */
    int line, column; /* the error's place */
    const char *fragment;
};

/* The file for kind k of f into buf (binary: it may hold a NUL); its length. */
static size_t build(const struct fixture *f, enum kind k, char *buf, struct expect *e)
{
    size_t n = 0;
    const char *eol = (k == K_CRLF || k == K_BOM_CRLF) ? "\r\n" : "\n";
    int lines = f->n_lines;
    int order[MAX_LINES] = {0, 1, 2, 3};
    *e = (struct expect){1, 0, 0, NULL};
    if (k == K_BOM || k == K_BOM_CRLF || k == K_BOM_HEADER_ONLY) {
        memcpy(buf, "\xEF\xBB\xBF", 3);
        n = 3;
    }
    if (k == K_EMPTY) {
        *e = (struct expect){0, 1, 1, "empty file"};
        return 0;
    }
    if (k == K_BLANK) {
        memcpy(buf, "\n\r\n\n", 4);
        *e = (struct expect){0, 1, 1, "empty file"};
        return 4;
    }
    if (k == K_HEADER_ONLY || k == K_BOM_HEADER_ONLY) {
        lines = 1;
        *e = (struct expect){0, 1, 1, "no requests"};
    }
    if (k == K_OUT_OF_ORDER) {
        order[1] = 2;
        order[2] = 1;
        if (f->ooo_col)
            *e = (struct expect){0, 3, f->ooo_col, f->ooo_fragment};
    }
    for (int i = 0; i < lines; i++) {
        const char *text = f->line[order[i]];
        if (i == 1 && k == K_HUGE) {
            text = f->huge;
            *e = (struct expect){0, 2, f->huge_col, f->huge_fragment};
        }
        size_t len = strlen(text);
        if (i == 1 && k == K_MISSING_FIELD) {
            len = (size_t)(strrchr(text, ',') - text);
            *e = (struct expect){0, 2, (int)len + 1, "missing field"};
        }
        memcpy(buf + n, text, len);
        n += len;
        if (i == 1 && k == K_NUL) {
            /* After the row's first character: the field is cut short there by
             * anything that reads it as a C string. */
            memmove(buf + n - len + 2, buf + n - len + 1, len - 1);
            buf[n - len + 1] = '\0';
            n++;
            *e = (struct expect){0, 2, 2, "NUL byte"};
        }
        if (i == 1 && k == K_EXTRA_FIELD) {
            memcpy(buf + n, ",1", 2);
            n += 2;
            *e = (struct expect){0, 2, (int)len + 2, "extra field"};
        }
        if (!(k == K_NO_FINAL_NEWLINE && i == lines - 1)) {
            memcpy(buf + n, eol, strlen(eol));
            n += strlen(eol);
        }
    }
    return n;
}

static void write_bytes(const char *path, const char *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fwrite(buf, 1, n, f), n);
    fclose(f);
}

/* Requests replayed, or -1 with err. */
static long long replay(const struct trace_spec *spec, struct slsim_error *err)
{
    struct trace_reader *r = trace_open(spec, 1, 0, err);
    if (!r)
        return -1;
    struct trace_event ev;
    long long n = 0;
    int rc;
    while ((rc = trace_next(r, &ev, err)) == 1)
        n++;
    trace_close(r);
    return rc == 0 ? n : -1;
}

Test(hardening, every_format_agrees_on_every_kind_of_damage)
{
    static struct fixture fx[5];
    static char buf[MAX_LINES * LINE_MAX_LEN + 64];
    fixtures(fx);
    char dir[] = "/tmp/slsim-hard-XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[128];
    int failures = 0;
    for (int fi = 0; fi < 5; fi++)
        for (int k = 0; k < N_KINDS; k++) {
            const struct fixture *f = &fx[fi];
            struct expect e;
            size_t n = build(f, (enum kind)k, buf, &e);
            snprintf(path, sizeof path, "%s/%s-%d.csv", dir, f->name, k);
            write_bytes(path, buf, n);
            struct trace_spec spec = spec_of(f, path);
            struct slsim_error err = {0}, cerr = {0};
            long long got = replay(&spec, &err);
            /* validate's check agrees with the replay on whether the file is good. */
            int checked = trace_check(&spec, &cerr);
            const char *what = kind_name[k];
            if (e.ok) {
                cr_expect_eq(got, (long long)f->requests,
                             "%s, %s: %lld requests, expected %llu (%s)", f->name, what, got,
                             (unsigned long long)f->requests, err.message);
                cr_expect_eq(checked, 0, "%s, %s: check failed: %s", f->name, what,
                             cerr.message);
                failures += got != (long long)f->requests || checked != 0;
                continue;
            }
            /* validate reads the header and the first row: it sees what is wrong
             * with the file as a whole or with its first row, not later rows. */
            int ok = got == -1 && strstr(err.file, path) && err.line == e.line &&
                     err.column == e.column && strstr(err.message, e.fragment) &&
                     (e.line > 2 || checked == -1);
            cr_expect(ok,
                      "%s, %s: expected an error at %d:%d with \"%s\"; got %lld requests, "
                      "%s:%d:%d: %s (check %d)",
                      f->name, what, e.line, e.column, e.fragment, got, err.file, err.line,
                      err.column, err.message, checked);
            failures += !ok;
            unlink(path);
        }
    for (int fi = 0; fi < 5; fi++)
        for (int k = 0; k < N_KINDS; k++) {
            snprintf(path, sizeof path, "%s/%s-%d.csv", dir, fx[fi].name, k);
            unlink(path);
        }
    rmdir(dir);
    cr_expect_eq(failures, 0);
}

/* A byte-order mark is not part of the first column's name, and a column is
 * counted from the first byte after it: a bad first field on line 1 is at 1. */
Test(hardening, a_byte_order_mark_is_dropped_once_and_columns_start_after_it)
{
    char path[] = "/tmp/slsim-bom-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_bytes(path, "\xEF\xBB\xBF\xEF\xBB\xBFt,fn\n1,a\n", 15);
    struct csv_reader r;
    struct slsim_error err = {0};
    cr_assert_eq(csv_open(&r, path, &err), 0, "%s", err.message);
    cr_assert_eq(csv_next(&r, &err), 1, "%s", err.message);
    /* Only the first mark goes: a second one is text, in the first field. */
    cr_expect_str_eq(r.field[0], "\xEF\xBB\xBFt");
    cr_expect_eq(r.col[0], 1);
    cr_expect_eq(r.col[1], 6); /* 3 bytes of the second mark + "t," */
    cr_assert_eq(csv_next(&r, &err), 1);
    cr_expect_str_eq(r.field[1], "a");
    csv_close(&r);
    unlink(path);
}

/* A line one byte over CSV_MAX_LINE is refused at its line; one of exactly
 * CSV_MAX_LINE bytes (with a CRLF end) is read whole. Memory stays at the cap. */
Test(hardening, a_line_longer_than_the_cap_is_refused_at_its_line)
{
    char path[] = "/tmp/slsim-long-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    cr_assert(f);
    fputs("t\n", f);
    for (long i = 0; i < CSV_MAX_LINE; i++)
        fputc('7', f);
    fputs("\r\n", f);
    for (long i = 0; i < CSV_MAX_LINE + 1; i++)
        fputc('8', f);
    fputs("\n", f);
    fclose(f);
    struct csv_reader r;
    struct slsim_error err = {0};
    cr_assert_eq(csv_open(&r, path, &err), 0);
    cr_assert_eq(csv_next(&r, &err), 1);
    cr_assert_eq(csv_next(&r, &err), 1, "%s", err.message);
    cr_expect_eq(strlen(r.field[0]), (size_t)CSV_MAX_LINE);
    cr_expect_eq(csv_next(&r, &err), -1);
    cr_expect_eq(err.line, 3);
    cr_expect_eq(err.column, 1);
    cr_expect(strstr(err.message, "16777216 bytes"), "%s", err.message);
    cr_expect_leq(r.cap, (size_t)CSV_MAX_LINE + 2);
    csv_close(&r);
    unlink(path);
}

/* A directory and a character device are refused before any read, at 1:1 of the
 * path (a device would otherwise be read for ever); a pipe is let through. */
Test(hardening, directories_and_devices_are_not_traces)
{
    char dir[] = "/tmp/slsim-dir-XXXXXX";
    cr_assert(mkdtemp(dir));
    struct trace_spec s;
    trace_spec_default(&s);
    s.format = TRACE_AZURE2021;
    snprintf(s.path, sizeof s.path, "%s", dir);
    struct slsim_error err = {0};
    cr_expect_null(trace_open(&s, 1, 0, &err));
    cr_expect_str_eq(err.file, dir);
    cr_expect_eq(err.line, 1);
    cr_expect_eq(err.column, 1);
    cr_expect(strstr(err.message, "is a directory"), "%s", err.message);
    enum trace_format fmt;
    memset(&err, 0, sizeof err);
    cr_expect_eq(trace_detect_format(dir, &fmt, &err), -1);
    cr_expect(err.line == 1 && err.column == 1 && strstr(err.message, "is a directory"), "%s",
              err.message);
    snprintf(s.path, sizeof s.path, "/dev/zero");
    s.format = TRACE_COUNTS;
    memset(&err, 0, sizeof err);
    cr_expect_eq(trace_check(&s, &err), -1);
    cr_expect(err.line == 1 && err.column == 1 && strstr(err.message, "character device"),
              "%s", err.message);
    char fifo[300], why[160];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_expect_eq(csv_file_kind(fifo, -1, why, sizeof why), 0);
    cr_expect_eq(csv_file_kind(dir, -1, why, sizeof why), -1);
    unlink(fifo);
    rmdir(dir);
}

/* The window and the selection can leave nothing: the same error as a file
 * without rows, naming what left nothing. */
Test(hardening, a_window_without_requests_is_an_error)
{
    char path[] = "/tmp/slsim-win-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_bytes(path, "t,fn\n1,a\n2,b\n", 13);
    struct trace_spec s;
    trace_spec_default(&s);
    s.format = TRACE_CSV;
    snprintf(s.path, sizeof s.path, "%s", path);
    strcpy(s.col_time, "t");
    strcpy(s.col_function, "fn");
    s.window_start_ns = 100 * SIM_NS_PER_S; /* the rows are at 0 and 1 s */
    struct slsim_error err = {0};
    cr_expect_eq(replay(&s, &err), -1);
    cr_expect(strstr(err.message, "no requests in the window [100s"), "%s", err.message);
    memset(&err, 0, sizeof err);
    cr_expect_eq(trace_check(&s, &err), -1);
    cr_expect(strstr(err.message, "no requests in the window"), "%s", err.message);
    /* Window [1 s, end): the second row only. */
    s.window_start_ns = SIM_NS_PER_S;
    cr_expect_eq(replay(&s, &err), 1, "%s", err.message);
    unlink(path);
}

/* ---- a scenario's keys ------------------------------------------------------------ */

struct scen {
    char dir[64];
    char yaml[128];
};

/* A scenario in a new directory, its trace line given; files made by the caller. */
static void scenario(struct scen *s, const char *trace_line, const char *extra)
{
    strcpy(s->dir, "/tmp/slsim-scen-XXXXXX");
    cr_assert(mkdtemp(s->dir));
    snprintf(s->yaml, sizeof s->yaml, "%s/s.yaml", s->dir);
    FILE *f = fopen(s->yaml, "w");
    cr_assert(f);
    fprintf(f,
            "duration: 10s\n"
            "model: {service: 10ms}\n"
            "workload:\n"
            "  arrival: trace\n"
            "  trace: %s\n"
            "deployments: [{coldstart: none}]\n"
            "%s",
            trace_line, extra);
    fclose(f);
}

static void scen_file(const struct scen *s, const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", s->dir, name);
    write_bytes(p, text, strlen(text));
}

static void scen_free(const struct scen *s)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", s->dir);
    cr_assert_eq(system(cmd), 0);
}

/* stderr of `slsim CMD s.yaml [--out DIR/out]` holds every fragment, exit 2, no
 * output written. */
static void expect_cli(const struct scen *s, const char *cmd, const char *const *frags)
{
    char args[512], out[160];
    snprintf(out, sizeof out, "%s/out", s->dir);
    snprintf(args, sizeof args, "%s %s%s%s", cmd, s->yaml, strcmp(cmd, "run") ? "" : " --out ",
             strcmp(cmd, "run") ? "" : out);
    struct outcome o = run(args);
    cr_expect_eq(o.status, 2, "%s: exit %d: %s", args, o.status, o.err);
    for (; *frags; frags++)
        cr_expect(strstr(o.err, *frags), "%s: \"%s\" lacks \"%s\"", args, o.err, *frags);
    cr_expect_str_eq(o.out, "");
    cr_expect_neq(access(out, F_OK), 0, "%s: %s was written", args, out);
    outcome_free(&o);
}

Test(hardening, a_scenarios_trace_directory_is_reported_at_its_path_key)
{
    struct scen s;
    scenario(&s, "{format: csv, path: tdir, columns: {time: t}}", "");
    char d[200];
    snprintf(d, sizeof d, "%s/tdir", s.dir);
    cr_assert_eq(mkdir(d, 0700), 0);
    /* "  trace: {format: csv, path: " puts the path's value at line 5, column 30. */
    const char *const frags[] = {"s.yaml:5:30: workload.trace.path: ", "tdir:1:1: is a directory",
                                 NULL};
    expect_cli(&s, "validate", frags);
    expect_cli(&s, "run", frags);
    scen_free(&s);
}

Test(hardening, a_scenarios_header_only_trace_is_reported_at_workload_trace)
{
    static const struct {
        const char *format, *header;
    } cases[] = {
        {"csv, columns: {time: t}", "t,fn\n"},
        {"azure2021", "app,func,end_timestamp,duration\n"},
        {"azure-llm", "TIMESTAMP,ContextTokens,GeneratedTokens\n"},
        {"counts", "time,count\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct scen s;
        char line[200];
        snprintf(line, sizeof line, "{format: %s, path: h.csv}", cases[i].format);
        scenario(&s, line, "");
        scen_file(&s, "h.csv", cases[i].header);
        /* The trace mapping starts at line 5, column 10. */
        const char *const frags[] = {"s.yaml:5:10: workload.trace: ", "h.csv:1:1: no requests",
                                     NULL};
        expect_cli(&s, "validate", frags);
        expect_cli(&s, "run", frags);
        scen_free(&s);
    }
}

Test(hardening, pricing_that_is_no_catalog_file_is_reported_at_the_pricing_key)
{
    static const struct {
        const char *name;
        int is_dir;
        const char *fragment;
    } cases[] = {
        {"pdir", 1, "is a directory"},
        {"empty.yaml", 0, "is empty"},
        {"missing.yaml", -1, "cannot open"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct scen s;
        char extra[80];
        snprintf(extra, sizeof extra, "pricing: %s\n", cases[i].name);
        scenario(&s, "{format: csv, path: ok.csv, columns: {time: t}}", extra);
        scen_file(&s, "ok.csv", "t\n1\n");
        char p[256];
        snprintf(p, sizeof p, "%s/%s", s.dir, cases[i].name);
        if (cases[i].is_dir == 1)
            cr_assert_eq(mkdir(p, 0700), 0);
        else if (cases[i].is_dir == 0)
            scen_file(&s, cases[i].name, "");
        /* pricing: is line 7; its value starts at column 10. */
        const char *const frags[] = {"s.yaml:7:10: pricing: ", cases[i].fragment, NULL};
        expect_cli(&s, "validate", frags);
        expect_cli(&s, "run", frags);
        scen_free(&s);
    }
}

/* `slsim catalog --pricing` reads the file without a scenario: a directory and an
 * empty file are named at FILE:1:1. */
Test(hardening, a_catalog_that_is_a_directory_or_empty_is_located)
{
    struct scen s;
    scenario(&s, "{format: csv, path: ok.csv, columns: {time: t}}", "");
    char args[300];
    snprintf(args, sizeof args, "catalog list --pricing %s", s.dir);
    struct outcome o = run(args);
    cr_expect_eq(o.status, 2);
    char want[200];
    snprintf(want, sizeof want, "%s:1:1: is a directory", s.dir);
    cr_expect(strstr(o.err, want), "\"%s\" lacks \"%s\"", o.err, want);
    outcome_free(&o);
    scen_file(&s, "empty.yaml", "\n  \n");
    snprintf(args, sizeof args, "catalog list --pricing %s/empty.yaml", s.dir);
    o = run(args);
    cr_expect_eq(o.status, 2);
    snprintf(want, sizeof want, "%s/empty.yaml:1:1: empty file: expected a catalog", s.dir);
    cr_expect(strstr(o.err, want), "\"%s\" lacks \"%s\"", o.err, want);
    outcome_free(&o);
    scen_free(&s);
}
