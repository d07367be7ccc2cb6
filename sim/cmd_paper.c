/* cmd_paper.c - `slsim paper`: a paper's published claims regenerated and set beside
 * the paper's numbers.
 *
 * The papers are folders of a claims file and the scenarios it runs: in a build tree
 * scenarios/paper/NAME/, installed PREFIX/share/slsim/paper/NAME/. They are found
 * from the running binary (its ../share/slsim/paper, then its ../scenarios/paper),
 * then the compiled-in PREFIX; SLSIM_DATADIR or --papers DIR go first. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "slsim/paper.h"
#include "slsim/report.h"

#ifndef SLSIM_DATADIR
#define SLSIM_DATADIR "/usr/local/share/slsim"
#endif

#define DEFAULT_PAPER "boorugula2025"

static const char paper_help[] =
    "usage: slsim paper [NAME] [--claims ID,...] [options]\n"
    "       slsim paper list\n"
    "\n"
    "Regenerate a paper's published claims: run the bundled scenarios of paper NAME\n"
    "(default " DEFAULT_PAPER ", the seed paper; `slsim paper list` names them all) and\n"
    "print every claim by ID: the paper's value, slsim's with its 95% interval over\n"
    "replications, the relative difference |slsim - paper| / |paper| (percentages\n"
    "compared as numbers; 0 inside a published range), and a verdict:\n"
    "  reproduced                within 15% (or, for claims marked prediction, inside\n"
    "                            the 95% prediction interval of one run of the\n"
    "                            published length)\n"
    "  differs                   with one line of physical explanation\n"
    "  input                     the paper's number is what the scenario assumes\n"
    "  not a simulation output   survey or market data\n"
    "  not reproducible          the data it needs is named\n"
    "and the scenario that produced it, with the reading it takes where the claim is\n"
    "under-specified and, where the reading has an open parameter, the value across it.\n"
    "\n"
    "options:\n"
    "  --claims LIST        only these claim IDs, comma-separated (T3-2023,S3-std)\n"
    "  --replications N     replications of every run (default: the paper's own, its\n"
    "                       claims.yaml's replications: 3 for boorugula2025, 10 for\n"
    "                       simfaas)\n"
    "  --format FORMAT      text (default), md (the README's table), json or csv\n"
    "  --out FILE           write to FILE (whole, or not at all)\n"
    "  --force              overwrite --out\n"
    "  --jobs N             simulate on N threads (the numbers do not depend on N)\n"
    "  --papers DIR         the folder holding the papers (default: found beside the\n"
    "                       binary; SLSIM_DATADIR=D means D/paper)\n"
    "  --quiet, --progress  as for run\n"
    "  -h, --help           this text\n";

/* a/b into out (n bytes); -1 when it does not fit. */
static int path_join(char *out, size_t n, const char *a, const char *b)
{
    int w = snprintf(out, n, "%s/%s", a, b);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* 1 when dir holds NAME folders with claims.yaml (any). */
static int is_papers_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    char path[PATH_MAX];
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[PATH_MAX];
        found = path_join(sub, sizeof sub, dir, e->d_name) == 0 &&
                path_join(path, sizeof path, sub, "claims.yaml") == 0 && access(path, R_OK) == 0;
    }
    closedir(d);
    return found;
}

/* The folder holding the papers, into out; 0, or -1 when none is found. */
static int find_papers(const char *given, char *out, size_t n)
{
    if (given) {
        int w = snprintf(out, n, "%s", given);
        return w < 0 || (size_t)w >= n ? -1 : 0;
    }
    const char *env = getenv("SLSIM_DATADIR");
    if (env && *env) {
        return path_join(out, n, env, "paper");
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            if (path_join(out, n, exe, "../share/slsim/paper") == 0 && is_papers_dir(out))
                return 0;
            if (path_join(out, n, exe, "../scenarios/paper") == 0 && is_papers_dir(out))
                return 0;
        }
    }
    return path_join(out, n, SLSIM_DATADIR, "paper") == 0 && is_papers_dir(out) ? 0 : -1;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `slsim paper list`: every paper's name, title and number of claims. */
static int list_papers(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "slsim paper: %s: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        char sub[PATH_MAX], path[PATH_MAX];
        if (e->d_name[0] != '.' && path_join(sub, sizeof sub, dir, e->d_name) == 0 &&
            path_join(path, sizeof path, sub, "claims.yaml") == 0 && access(path, R_OK) == 0 &&
            (names[n] = strdup(e->d_name)))
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    int rc = EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct paper p;
        struct slsim_error err;
        if (path_join(path, sizeof path, dir, names[i]) != 0 || paper_load(path, &p, &err) != 0) {
            cli_report_error(&err);
            rc = EXIT_USAGE;
        } else {
            printf("%-16s %3zu claims  %s\n", p.name, p.n_claims, p.title);
            paper_free(&p);
        }
        free(names[i]);
    }
    return rc;
}

/* Run k of n is about to start (k == n: all done): k done, the throughput's count. */
static void on_run(void *ctx, size_t k, size_t n, const char *name)
{
    (void)name;
    struct cli_progress *bar = ctx;
    if (k == n && bar->enabled) {
        bar->requests[0] = k; /* cli_progress_done draws the last line, with this count */
        return;
    }
    cli_progress_report(bar, 0, (double)k / (double)n, k);
}

struct paper_out {
    enum report_format fmt;
    const struct paper_result *result;
};

static int write_paper(FILE *fp, void *arg)
{
    const struct paper_out *o = arg;
    return report_write_paper(fp, o->fmt, o->result);
}

static int cmd_paper(int argc, char **argv)
{
    const char *name = NULL, *ids = NULL, *format = "text", *out = NULL, *reps_text = NULL;
    const char *jobs_text = NULL, *papers = NULL;
    int force = 0, quiet = 0, progress = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(paper_help, stdout);
            return EXIT_OK;
        }
        int rc = cli_option(argc, argv, &i, "--claims", &ids, "paper");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--format", &format, "paper");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--out", &out, "paper");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--replications", &reps_text, "paper");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--jobs", &jobs_text, "paper");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--papers", &papers, "paper");
        if (rc == 0 && strcmp(a, "--force") == 0)
            rc = force = 1;
        if (rc == 0)
            rc = cli_progress_option(a, &quiet, &progress);
        if (rc < 0)
            return EXIT_USAGE;
        if (rc > 0)
            continue;
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("paper", "unknown option %s", a);
        if (name)
            return cli_usage_error("paper", "one paper at a time; got %s and %s", name, a);
        name = a;
    }
    char dir[PATH_MAX];
    if (find_papers(papers, dir, sizeof dir) != 0) {
        fprintf(stderr, "slsim paper: no papers found beside the binary or in %s/paper; "
                        "give --papers DIR (the source tree's scenarios/paper) or set "
                        "SLSIM_DATADIR\n",
                SLSIM_DATADIR);
        return EXIT_USAGE;
    }
    char real[PATH_MAX];
    if (realpath(dir, real) && strlen(real) < sizeof dir)
        memcpy(dir, real, strlen(real) + 1); /* build/../scenarios/paper said plainly */
    if (name && strcmp(name, "list") == 0)
        return list_papers(dir);
    enum report_format fmt;
    if (report_format_parse(format, &fmt) != 0 || fmt == REPORT_TIMELINE || fmt == REPORT_JSONL)
        return cli_usage_error("paper", "unknown --format %s: use text, md, json or csv",
                               format);
    uint32_t reps = 0;
    if (reps_text) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(reps_text, &end, 10);
        if (*reps_text < '0' || *reps_text > '9' || *end || errno || v < 1 || v > 1000)
            return cli_usage_error("paper", "--replications takes a whole number from 1 to "
                                            "1000, not %s",
                                   reps_text);
        reps = (uint32_t)v;
    }
    unsigned jobs = 0;
    if (jobs_text) {
        char *end;
        unsigned long v = strtoul(jobs_text, &end, 10);
        if (*jobs_text < '0' || *jobs_text > '9' || *end || v < 1 || v > 1024)
            return cli_usage_error("paper", "--jobs takes a whole number from 1 to 1024, not "
                                            "%s",
                                   jobs_text);
        jobs = (unsigned)v;
    } else {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    if (out && cli_check_target(out, force, NULL) != 0)
        return EXIT_USAGE;
    char path[PATH_MAX];
    struct stat st;
    if (path_join(path, sizeof path, dir, name ? name : DEFAULT_PAPER) != 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_usage_error("paper", "no paper %s in %s (`slsim paper list%s%s` names them)",
                               name ? name : DEFAULT_PAPER, dir, papers ? " --papers " : "",
                               papers ? papers : "");
    struct paper p;
    struct slsim_error err;
    if (paper_load(path, &p, &err) != 0) {
        cli_report_error(&err);
        return EXIT_USAGE;
    }
    if (ids && paper_check_ids(&p, ids, &err) != 0) {
        cli_report_error(&err);
        paper_free(&p);
        return EXIT_USAGE;
    }
    struct cli_progress bar;
    cli_progress_init(&bar, 1, quiet, progress, "runs");
    struct paper_result r;
    int rc = paper_evaluate(&p, ids, reps, jobs, on_run, &bar, &r, &err);
    cli_progress_done(&bar);
    if (rc != 0) {
        cli_report_error(&err);
        paper_free(&p);
        return EXIT_USAGE;
    }
    struct paper_out po = {fmt, &r};
    rc = cli_emit(out, force, write_paper, &po);
    paper_result_free(&r);
    paper_free(&p);
    return rc;
}

const struct command cmd_paper_entry = {
    "paper", cmd_paper, "regenerate a paper's published claims beside its numbers", paper_help,
};
