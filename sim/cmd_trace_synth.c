/* cmd_trace_synth.c - `slsim trace synth`: one day in the Azure Functions 2019
 * format (invocations.csv, durations.csv, memory.csv) with the published
 * statistics, for scale tests (trace_synth.h). The three files are written whole,
 * none if any fails. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_trace.h"
#include "slsim/trace_synth.h"


/* mkdir -p: `trace synth --out DIR` makes DIR and any folder above it that is
 * missing. 0, or -1 after saying which folder could not be made. */
static int make_folders(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
        fprintf(stderr, "slsim: %s: path too long\n", dir);
        return -1;
    }
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        struct stat st;
        errno = 0;
        if (stat(buf, &st) != 0 ? mkdir(buf, 0777) != 0 : !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "slsim: %s: cannot make the folder: %s\n", buf,
                    errno ? strerror(errno) : "a file has that name");
            return -1;
        }
        *p = c;
        if (c == '\0')
            return 0;
    }
}

/* `trace synth`: three files written whole, none if any fails. */
static int trace_synth_cmd(const char *dir, int force, const struct trace_synth_spec *spec,
                           uint64_t seed)
{
    char *buf[3] = {NULL, NULL, NULL};
    size_t len[3] = {0, 0, 0};
    FILE *f[3];
    static const char *const names[3] = {"invocations.csv", "durations.csv", "memory.csv"};
    struct slsim_error err;
    int rc = EXIT_RUN;
    for (int i = 0; i < 3; i++)
        f[i] = open_memstream(&buf[i], &len[i]);
    if (!f[0] || !f[1] || !f[2]) {
        fprintf(stderr, "slsim: out of memory\n");
        goto out;
    }
    if (make_folders(dir) != 0) {
        rc = EXIT_USAGE;
        goto out;
    }
    if (trace_synth_write(f[0], f[1], f[2], spec, seed, &err) != 0) {
        cli_report_error(&err);
        goto out;
    }
    for (int i = 0; i < 3; i++) {
        fclose(f[i]);
        f[i] = NULL;
    }
    char path[3][4200];
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]);
        if (cli_check_target(path[i], force, "") != 0) {
            rc = EXIT_USAGE;
            goto out;
        }
    }
    for (int i = 0; i < 3; i++)
        if (cli_write_file(path[i], buf[i], len[i], force, &err) != 0) {
            cli_report_error(&err);
            goto out;
        }
    rc = EXIT_OK;
out:
    for (int i = 0; i < 3; i++) {
        if (f[i])
            fclose(f[i]);
        free(buf[i]);
    }
    return rc;
}

int cmd_trace_synth(const struct trace_cmd_args *a)
{
    struct trace_synth_spec ss;
    trace_synth_spec_default(&ss);
    char *end;
    if (!a->out_path)
        return cli_usage_error("trace", "synth needs --out FOLDER");
    if (a->fn_text && ((ss.functions = (uint32_t)strtoul(a->fn_text, &end, 10)) == 0 || *end))
        return cli_usage_error("trace", "--functions wants a whole number above 0");
    if (a->inv_text && (!((ss.total_invocations = strtod(a->inv_text, &end)) > 0) || *end))
        return cli_usage_error("trace", "--invocations wants a number above 0");
    if (a->timer_text && (!((ss.timer_share = strtod(a->timer_text, &end)) >= 0) ||
                          ss.timer_share > 1 || *end))
        return cli_usage_error("trace", "--timer-share wants a number from 0 to 1");
    uint64_t seed = 1;
    if (a->seed_text && (seed = strtoull(a->seed_text, &end, 10), *end))
        return cli_usage_error("trace", "--seed wants a whole number");
    return trace_synth_cmd(a->out_path, a->force, &ss, seed);
}
