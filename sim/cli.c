/* cli.c - option parsing, error printing and whole-file writes for the commands. */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "slsim/report.h"

void cli_report_error(const struct slsim_error *err)
{
    char buf[1200];
    slsim_error_format(err, buf, sizeof buf);
    fprintf(stderr, "slsim: %s\n", buf);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "slsim %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'slsim %s --help')\n", cmd);
    return EXIT_USAGE;
}

int cli_option(int argc, char **argv, int *i, const char *name, const char **value,
               const char *cmd)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error(cmd, "option %s needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

int cli_write_file(const char *path, const char *buf, size_t n, int force,
                   struct slsim_error *err)
{
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (!force && exists && S_ISREG(st.st_mode))
        return slsim_error_set(err, path, 0, 0, NULL,
                               "already exists; pass --force to overwrite it");
    if (exists && !S_ISREG(st.st_mode)) {
        /* A device or a pipe (/dev/null, /dev/stdout): written to as it is. Renaming a
         * file over it would put a plain file in its place. */
        FILE *f = fopen(path, "w");
        int bad = !f || fwrite(buf, 1, n, f) != n;
        if (f && fclose(f) != 0)
            bad = 1;
        if (bad)
            return slsim_error_set(err, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        return 0;
    }
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return slsim_error_set(err, path, 0, 0, NULL, "out of memory");
    snprintf(tmp, len + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        slsim_error_set(err, path, 0, 0, NULL, "cannot create a file beside it: %s",
                        strerror(errno));
        free(tmp);
        return -1;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        done += (size_t)w;
    }
    int saved = errno;
    if (done < n || fsync(fd) != 0 || close(fd) != 0) {
        if (done == n)
            saved = errno;
        unlink(tmp);
        slsim_error_set(err, path, 0, 0, NULL, "cannot write: %s", strerror(saved));
        free(tmp);
        return -1;
    }
    /* mkstemp makes the file 0600; a report is for sharing like any other file. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp, 0666 & ~mask);
    if (rename(tmp, path) != 0) {
        saved = errno;
        unlink(tmp);
        slsim_error_set(err, path, 0, 0, NULL, "cannot write: %s", strerror(saved));
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

int cli_common_init(struct cli_common *c, int argc)
{
    memset(c, 0, sizeof *c);
    c->format = "text";
    c->sets = calloc((size_t)argc + 3, sizeof *c->sets);
    return c->sets ? 0 : -1;
}

void cli_common_free(struct cli_common *c)
{
    free(c->sets);
    c->sets = NULL;
}

int cli_common_option(struct cli_common *c, int argc, char **argv, int *i, const char *cmd)
{
    const char *v;
    int rc;
    if ((rc = cli_option(argc, argv, i, "--set", &v, cmd)) != 0) {
        if (rc > 0)
            c->sets[c->n_sets++] = v;
        return rc;
    }
    if ((rc = cli_option(argc, argv, i, "--seed", &c->seed, cmd)) != 0 ||
        (rc = cli_option(argc, argv, i, "--format", &c->format, cmd)) != 0 ||
        (rc = cli_option(argc, argv, i, "--out", &c->out_path, cmd)) != 0 ||
        (rc = cli_option(argc, argv, i, "--jobs", &c->jobs_text, cmd)) != 0)
        return rc;
    if (strcmp(argv[*i], "--force") == 0) {
        c->force = 1;
        return 1;
    }
    return cli_progress_option(argv[*i], &c->quiet, &c->progress);
}

int cli_parse_scenario_command(int argc, char **argv, const char *cmd, const char *help,
                               const struct cli_extra *extra, size_t n_extra,
                               struct cli_common *c, const char **path,
                               enum report_format *format, unsigned *jobs)
{
    *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            return 1;
        }
        int rc = cli_common_option(c, argc, argv, &i, cmd);
        for (size_t e = 0; rc == 0 && e < n_extra; e++) {
            if (extra[e].value) {
                rc = cli_option(argc, argv, &i, extra[e].name, extra[e].value, cmd);
            } else if (strcmp(a, extra[e].name) == 0) {
                c->sets[c->n_sets++] = extra[e].set;
                rc = 1;
            }
        }
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error(cmd, "unknown option %s", a);
            return -1;
        }
        if (*path) {
            cli_usage_error(cmd, "one scenario at a time; got %s and %s", *path, a);
            return -1;
        }
        *path = a;
    }
    if (!*path) {
        cli_usage_error(cmd, "missing the scenario file");
        return -1;
    }
    return cli_common_finish(c, cmd, *path, format, jobs);
}

struct report_args {
    enum report_format fmt;
    const struct scenario *s;
    const struct run_output *run;
    const struct compare_result *cmp;
};

static int write_report(FILE *fp, void *arg)
{
    const struct report_args *a = arg;
    return a->run ? report_write(fp, a->fmt, a->s, a->run)
                  : report_write_compare(fp, a->fmt, a->s, a->cmp);
}

int cli_emit_report(const char *path, int force, enum report_format fmt,
                    const struct scenario *s, const struct run_output *run,
                    const struct compare_result *cmp)
{
    struct report_args a = {fmt, s, run, cmp};
    return cli_emit(path, force, write_report, &a);
}

int cli_progress_option(const char *arg, int *quiet, int *progress)
{
    if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
        *quiet = 1;
        return 1;
    }
    if (strcmp(arg, "--progress") == 0) {
        *progress = 1;
        return 1;
    }
    return 0;
}

int cli_common_finish(struct cli_common *c, const char *cmd, const char *scenario_path,
                      enum report_format *format, unsigned *jobs)
{
    if (report_format_for(c->format, c->kind, format) != 0) {
        char names[128];
        cli_usage_error(cmd, "unknown format \"%s\"; use %s", c->format,
                        report_format_list(c->kind, names, sizeof names));
        return -1;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    *jobs = online > 0 ? (unsigned)online : 1;
    if (c->jobs_text) {
        char *end;
        long j = strtol(c->jobs_text, &end, 10);
        if (*end || j < 1 || j > 1024) {
            cli_usage_error(cmd, "--jobs wants a whole number from 1 to 1024; got \"%s\"",
                            c->jobs_text);
            return -1;
        }
        *jobs = (unsigned)j;
    }
    if (c->seed) {
        /* Checked here so the message names the option typed, not the --set it
         * becomes. */
        const char *d = c->seed;
        while (*d >= '0' && *d <= '9')
            d++;
        /* The scenario's `seed` is any 64-bit number: 20 digits, up to 2^64 - 1. */
        if (d == c->seed || *d || d - c->seed > 20 ||
            (d - c->seed == 20 && strcmp(c->seed, "18446744073709551615") > 0)) {
            cli_usage_error(cmd, "--seed wants a whole number from 0 to 18446744073709551615 "
                                 "(2^64 - 1); got \"%s\"",
                            c->seed);
            return -1;
        }
        snprintf(c->seed_set, sizeof c->seed_set, "seed=%s", c->seed);
        c->sets[c->n_sets++] = c->seed_set;
    }
    return cli_check_target(c->out_path, c->force, scenario_path);
}

int cli_is_device(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

int cli_check_target(const char *path, int force, const char *scenario_path)
{
    if (!path)
        return 0;
    if (cli_is_device(path))
        return 0; /* /dev/null, a pipe: written to as it is, nothing overwritten */
    if (scenario_path && strcmp(path, scenario_path) == 0) {
        fprintf(stderr, "slsim: %s: is the scenario itself; choose another output file\n",
                path);
        return -1;
    }
    /* The folder is checked now, not when the report is written: a missing one
     * would otherwise be found after minutes of simulation. */
    size_t len = strlen(path);
    char *dir = malloc(len + 2);
    if (!dir)
        return -1;
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, len + 2, ".");
    else if (slash == path)
        snprintf(dir, len + 2, "/");
    else
        snprintf(dir, len + 2, "%.*s", (int)(slash - path), path);
    struct stat st;
    const char *why = NULL;
    if (stat(dir, &st) != 0)
        why = errno == ENOENT ? "the folder %s does not exist" : "cannot reach the folder %s";
    else if (!S_ISDIR(st.st_mode))
        why = "%s is not a folder";
    else if (access(dir, W_OK | X_OK) != 0)
        why = "cannot write in the folder %s";
    if (why) {
        fprintf(stderr, "slsim: %s: ", path);
        fprintf(stderr, why, dir);
        fputc('\n', stderr);
        free(dir);
        return -1;
    }
    free(dir);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "slsim: %s: is a folder; name a file in it\n", path);
        return -1;
    }
    FILE *f = force ? NULL : fopen(path, "r");
    if (f) {
        fclose(f);
        fprintf(stderr, "slsim: %s: already exists; pass --force to overwrite it\n", path);
        return -1;
    }
    return 0;
}

char *cli_format(int (*writer)(FILE *fp, void *arg), void *arg, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&buf, &n);
    if (!mem)
        return NULL;
    int rc = writer(mem, arg);
    if (fclose(mem) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

char *cli_format_report(enum report_format fmt, const struct scenario *s,
                        const struct run_output *run, const struct compare_result *cmp)
{
    struct report_args a = {fmt, s, run, cmp};
    return cli_format(write_report, &a, NULL);
}

int cli_emit(const char *path, int force, int (*writer)(FILE *fp, void *arg), void *arg)
{
    size_t len = 0;
    char *buf = cli_format(writer, arg, &len);
    if (!buf) {
        fprintf(stderr, "slsim: cannot format the report\n");
        return EXIT_RUN;
    }
    if (!path) {
        int bad = fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0;
        free(buf);
        return bad ? EXIT_RUN : EXIT_OK;
    }
    struct slsim_error err;
    int rc = cli_write_file(path, buf, len, force, &err);
    free(buf);
    if (rc != 0) {
        cli_report_error(&err);
        return EXIT_RUN;
    }
    return EXIT_OK;
}

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(struct cli_progress *p, size_t n, int quiet, int force, const char *what)
{
    memset(p, 0, sizeof *p);
    if (quiet || (!force && !isatty(STDERR_FILENO)) || n == 0)
        return;
    p->fraction = calloc(n, sizeof *p->fraction);
    p->requests = calloc(n, sizeof *p->requests);
    pthread_mutex_t *m = malloc(sizeof *m);
    if (!p->fraction || !p->requests || !m || pthread_mutex_init(m, NULL) != 0) {
        free(p->fraction);
        free(p->requests);
        free(m);
        p->fraction = NULL;
        p->requests = NULL;
        return;
    }
    p->lock = m;
    p->n = n;
    p->start_s = p->last_s = monotonic_s();
    p->forced = force;
    p->what = what ? what : "requests";
    p->enabled = 1;
}

/* One line: share done, throughput, time left. On a terminal it is redrawn in
 * place; forced onto a file or pipe, each line is a line of its own. */
static void progress_line(struct cli_progress *p, double now)
{
    double done = 0;
    uint64_t reqs = 0;
    for (size_t i = 0; i < p->n; i++) {
        done += p->fraction[i];
        reqs += p->requests[i];
    }
    done /= (double)p->n;
    double elapsed = now - p->start_s;
    double rate = elapsed > 0 ? (double)reqs / elapsed : 0;
    double left = done > 0.001 ? elapsed * (1 - done) / done : 0;
    char r[32];
    if (rate >= 1e6)
        snprintf(r, sizeof r, "%.2f M", rate / 1e6);
    else if (rate >= 1e3)
        snprintf(r, sizeof r, "%.1f k", rate / 1e3);
    else
        snprintf(r, sizeof r, "%.0f", rate);
    fprintf(stderr, "%sslsim: %3.0f%% done, %s %s/s, ETA %.0f s%s", p->forced ? "" : "\r",
            100 * done, r, p->what, left, p->forced ? "\n" : "   ");
    fflush(stderr);
    p->last_s = now;
    p->shown = 1;
}

void cli_progress_report(void *ctx, size_t slot, double fraction, uint64_t requests)
{
    struct cli_progress *p = ctx;
    if (!p->enabled || slot >= p->n)
        return;
    pthread_mutex_lock(p->lock);
    p->fraction[slot] = fraction;
    if (requests)
        p->requests[slot] = requests;
    double now = monotonic_s();
    if ((p->forced || now - p->start_s > 2.0) && now - p->last_s >= 0.5)
        progress_line(p, now);
    pthread_mutex_unlock(p->lock);
}

void cli_progress_done(struct cli_progress *p)
{
    if (p->enabled && p->forced) {
        /* a forced display always ends with the whole of it, however short */
        for (size_t i = 0; i < p->n; i++)
            p->fraction[i] = 1;
        progress_line(p, monotonic_s());
    } else if (p->shown) {
        fprintf(stderr, "\r%70s\r", "");
        fflush(stderr);
    }
    if (p->lock) {
        pthread_mutex_destroy(p->lock);
        free(p->lock);
    }
    free(p->fraction);
    free(p->requests);
    memset(p, 0, sizeof *p);
}

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    *len = 0;
    FILE *m = f ? open_memstream(&text, len) : NULL;
    char buf[65536];
    size_t got;
    int bad = !m;
    while (m && (got = fread(buf, 1, sizeof buf, f)) > 0)
        bad |= fwrite(buf, 1, got, m) != got;
    bad |= f && ferror(f);
    if (m && fclose(m) != 0)
        bad = 1;
    if (f)
        fclose(f);
    if (bad) {
        free(text);
        *len = 0;
        return NULL;
    }
    return text;
}
