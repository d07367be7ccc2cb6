/* trace_files.c - a trace's files as a whole, before any reader opens them, and
 * the errors every format words the same: a file that is missing, a directory or
 * a device, or empty; a trace with no request; the format read from a header.
 *
 * From a scenario these errors are at the key that named the file (the line to
 * change), with the file's own location first in the message; from the command
 * line they are at the file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "trace_internal.h"

/* A problem with the file at path as a whole, at line:column of it. From a
 * scenario (spec->origin) the error is at the key that named the file, so the
 * user is sent to the line to change, and the message starts with the file's own
 * location; from the command line it is at the file. Returns -1. */
static int file_error(const struct trace_spec *spec, const char *path, const char *key,
                      struct trace_at at, int line, int column, struct slsim_error *err,
                      const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static int file_error(const struct trace_spec *spec, const char *path, const char *key,
                      struct trace_at at, int line, int column, struct slsim_error *err,
                      const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (spec && spec->origin[0])
        return slsim_error_set(err, spec->origin, at.line, at.column, key, "%s:%d:%d: %s", path,
                               line, column, msg);
    return slsim_error_set(err, path, line, column, NULL, "%s", msg);
}

/* What a file must start with, for the message on an empty one: which 0 the
 * trace, 1 the durations file, 2 the memory file. */
static const char *expected_start(const struct trace_spec *spec, int which)
{
    const struct trace_format_row *row = trace_format_row(spec->format);
    if (which > 0) /* scenarios give side files only to a format that takes them */
        return row->side_expect[which - 1] ? row->side_expect[which - 1] : "a header line";
    return spec->header || !row->expect[1] ? row->expect[0] : row->expect[1];
}

/* One file as a whole: it opens, is a regular file or a pipe, and a regular file
 * has more than blank lines (and a byte-order mark). 0, or -1 with err. */
static int check_file(const struct trace_spec *spec, const char *path, const char *key,
                      struct trace_at at, const char *expect, struct slsim_error *err)
{
    char why[160];
    FILE *f = fopen(path, "rb");
    if (!f)
        return file_error(spec, path, key, at, 1, 1, err, "cannot open the file: %s",
                          strerror(errno));
    int kind = csv_file_kind(path, fileno(f), why, sizeof why);
    int empty = 0;
    if (kind == 1) {
        /* A pipe is not read here: what is read from it is gone for the reader. */
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        int c;
        long n = 0;
        while ((c = getc(f)) != EOF &&
               ((n < 3 && c == bom[n]) || c == ' ' || c == '\t' || c == '\r' || c == '\n'))
            n++;
        empty = c == EOF && !ferror(f);
    }
    fclose(f);
    if (kind < 0)
        return file_error(spec, path, key, at, 1, 1, err, "%s", why);
    if (empty)
        return file_error(spec, path, key, at, 1, 1, err, "empty file: expected %s", expect);
    return 0;
}

int trace_check_files(const struct trace_spec *spec, struct slsim_error *err)
{
    if (check_file(spec, spec->path, "workload.trace.path", spec->at_path,
                   expected_start(spec, 0), err))
        return -1;
    if (spec->durations[0] && check_file(spec, spec->durations, "workload.trace.durations",
                                         spec->at_durations, expected_start(spec, 1), err))
        return -1;
    if (spec->memory[0] && check_file(spec, spec->memory, "workload.trace.memory",
                                      spec->at_memory, expected_start(spec, 2), err))
        return -1;
    return 0;
}

int trace_has_header(const struct trace_spec *spec)
{
    return spec->header || !trace_format_row(spec->format)->expect[1];
}

int trace_no_requests(const struct trace_spec *spec, uint64_t events, uint64_t in_window,
                      uint64_t skipped, struct slsim_error *err)
{
    int header = trace_has_header(spec);
    if (events == 0 && skipped)
        return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                          "no requests: all %llu rows are malformed (skip_bad skipped them)",
                          (unsigned long long)skipped);
    if (events == 0)
        return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                          "no requests: the file has no row with a request%s",
                          header ? " after its header" : "");
    if (in_window == 0) {
        char a[32], b[32] = "the end";
        units_format_duration(spec->window_start_ns, a, sizeof a);
        if (spec->window_end_ns != SIM_TIME_FOREVER)
            units_format_duration(spec->window_end_ns, b, sizeof b);
        return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                          "no requests in the window [%s, %s) of trace time", a, b);
    }
    return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                      "no requests of the selected functions in the window");
}

int trace_no_requests_error(const struct trace_spec *spec, const char *why,
                            struct slsim_error *err)
{
    return file_error(spec, spec->path, "workload.trace", spec->at_trace, 1, 1, err,
                      "no requests: %s", why);
}

int trace_detect_format(const char *path, enum trace_format *out, struct slsim_error *err)
{
    char expect[200];
    if (check_file(NULL, path, NULL, (struct trace_at){1, 1},
                   trace_detect_expect(expect, sizeof expect), err))
        return -1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return slsim_error_set(err, path, 1, 1, NULL, "cannot open the trace file: %s",
                               strerror(errno));
    char buf[4096] = "", *line = buf;
    if (!fgets(buf, sizeof buf, f))
        buf[0] = '\0';
    fclose(f);
    if (memcmp(buf, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte-order mark */
        line += 3;
    line[strcspn(line, "\r\n")] = '\0';
    char why[400];
    if (trace_detect_header(line, out, why, sizeof why) == 0)
        return 0;
    return slsim_error_set(err, path, 1, 1, NULL, "cannot tell the format from the header "
                                                  "\"%.80s%s\": %s",
                           line, strlen(line) > 80 ? "..." : "", why);
}
