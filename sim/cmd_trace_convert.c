/* cmd_trace_convert.c - `slsim trace convert`: any trace format to one CSV
 * (time_s,function,duration_s,memory_mb), as the replay reads it: after the
 * selection, window and scaling of the trace's options. A format whose requests
 * carry tokens (azure-llm) is refused: that CSV has no column for them, and a
 * conversion that silently drops an LLM request's work would replay as another
 * workload. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_trace.h"

struct convert_args {
    const struct trace_spec *spec;
    struct slsim_error *err;
    struct cli_progress *progress;
};

static int write_convert(FILE *fp, void *arg)
{
    struct convert_args *a = arg;
    struct trace_reader *r = trace_open(a->spec, 1, 0, a->err);
    if (!r)
        return -1;
    fputs("time_s,function,duration_s,memory_mb\n", fp);
    struct trace_event ev;
    int got;
    uint64_t rows = 0;
    while ((got = trace_next(r, &ev, a->err)) == 1) {
        if ((++rows & 0xFFFF) == 0)
            cli_progress_report(a->progress, 0, trace_progress(r), rows);
        fprintf(fp, "%.9f,%s,", (double)ev.t_ns / 1e9, trace_function_name(r, ev.function));
        if (ev.duration_ns >= 0)
            fprintf(fp, "%.9f", (double)ev.duration_ns / 1e9);
        fputc(',', fp);
        if (ev.memory_mb)
            fprintf(fp, "%u", ev.memory_mb);
        fputc('\n', fp);
    }
    cli_progress_report(a->progress, 0, 1.0, rows);
    trace_close(r);
    return got < 0 || ferror(fp) ? -1 : 0;
}

/* Convert into path through a file beside it, renamed into place once complete: a
 * conversion is as long as the trace, so it is written as it goes, never held in
 * memory, and a failure leaves no partial output. EXIT_OK, or an exit status after
 * the error is reported. */
static int convert_to_file(const char *path, int force, struct convert_args *a)
{
    struct stat st;
    if (cli_is_device(path)) {
        /* /dev/null, a pipe: written to as it is (a file renamed over it would replace
         * it) */
        FILE *fp = fopen(path, "w");
        int rc = fp ? write_convert(fp, a) : -1;
        if (fp && fclose(fp) != 0)
            rc = -1;
        if (rc == 0)
            return EXIT_OK;
        if (a->err->message[0]) {
            cli_report_error(a->err);
            return a->err->file[0] ? EXIT_USAGE : EXIT_RUN;
        }
        fprintf(stderr, "slsim: %s: cannot write: %s\n", path, strerror(errno));
        return EXIT_RUN;
    }
    if (!force && stat(path, &st) == 0) {
        fprintf(stderr, "slsim: %s: already exists; pass --force to overwrite it\n", path);
        return EXIT_USAGE;
    }
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    if (!tmp) {
        fprintf(stderr, "slsim: out of memory\n");
        return EXIT_RUN;
    }
    snprintf(tmp, len, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        fprintf(stderr, "slsim: %s: cannot create a file beside it: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return EXIT_RUN;
    }
    int rc = write_convert(fp, a);
    int saved = errno;
    int bad_io = fflush(fp) != 0 || fsync(fileno(fp)) != 0;
    if (fclose(fp) != 0)
        bad_io = 1;
    if (rc == 0 && bad_io)
        rc = -1;
    if (rc == 0) {
        mode_t mask = umask(0); /* mkstemp makes it 0600: give it the usual mode */
        umask(mask);
        chmod(tmp, 0666 & ~mask);
        if (rename(tmp, path) != 0) {
            saved = errno;
            rc = -1;
            bad_io = 1;
        }
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    if (rc == 0)
        return EXIT_OK;
    if (a->err->message[0]) {
        cli_report_error(a->err);
        return a->err->file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    fprintf(stderr, "slsim: %s: cannot write: %s\n", path, strerror(bad_io ? saved : EIO));
    return EXIT_RUN;
}

int cmd_trace_convert(const struct trace_cmd_args *a)
{
    if (!a->out_path)
        return cli_usage_error("trace", "convert needs --out FILE");
    struct slsim_error err;
    if (trace_format_props(a->spec->format) & TRACE_FORMAT_TOKENS) {
        slsim_error_set(&err, a->spec->path, 1, 1, NULL,
                        "trace convert writes time_s,function,duration_s,memory_mb and would "
                        "drop this %s trace's ContextTokens and GeneratedTokens; replay it as "
                        "it is (trace sort orders it and keeps every column)",
                        trace_format_name(a->spec->format));
        cli_report_error(&err);
        return EXIT_USAGE;
    }
    struct cli_progress progress;
    cli_progress_init(&progress, 1, a->quiet, a->show_progress, "rows");
    struct convert_args args = {a->spec, &err, &progress};
    memset(&err, 0, sizeof err);
    int rc = convert_to_file(a->out_path, a->force, &args);
    cli_progress_done(&progress);
    return rc;
}
