/* cli_helpers.h - running the slsim binary from a test and capturing what it says.
 * SLSIM names the binary (the sanitizer build sets its own); build/slsim otherwise. */
#ifndef SLSIM_TEST_CLI_HELPERS_H
#define SLSIM_TEST_CLI_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static inline const char *slsim(void)
{
    const char *b = getenv("SLSIM");
    return b && *b ? b : "build/slsim";
}

/* ---- the test's temporary folder ----
 * make_dir turns a mkdtemp template into a folder and remembers it; remove_made_dir
 * (a suite's .fini: TestSuite(NAME, .fini = remove_made_dir)) removes it after the
 * test even when an assertion ends the test early. */
static inline char *made_dir_slot(void)
{
    static char dir[64];
    return dir;
}

static inline void remove_made_dir(void)
{
    char *dir = made_dir_slot();
    if (dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
        dir[0] = '\0';
    }
}

/* dir: a template ending in XXXXXX, at most 63 characters; made in place. */
static inline void make_dir(char *dir)
{
    cr_assert(strlen(dir) < 64, "template too long: %s", dir);
    cr_assert(mkdtemp(dir), "mkdtemp %s failed", dir);
    strcpy(made_dir_slot(), dir);
}

/* The whole of a file, NUL-terminated, or NULL if it cannot be opened. */
static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert(buf);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

struct outcome {
    int status; /* exit status */
    char *out;  /* standard output */
    char *err;  /* standard error */
};

/* Run a whole command line through the shell (for pipes, environment variables,
 * mpirun), capturing both streams. */
static inline struct outcome run_shell(const char *cmdline)
{
    char out_path[] = "/tmp/slsim-cli-out-XXXXXX", err_path[] = "/tmp/slsim-cli-err-XXXXXX";
    int fo = mkstemp(out_path), fe = mkstemp(err_path);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    size_t n = strlen(cmdline) + 2 * sizeof out_path + 32;
    char *cmd = malloc(n);
    cr_assert(cmd);
    snprintf(cmd, n, "%s >%s 2>%s </dev/null", cmdline, out_path, err_path);
    int rc = system(cmd);
    free(cmd);
    struct outcome o = {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out_path), slurp(err_path)};
    unlink(out_path);
    unlink(err_path);
    return o;
}

/* Run `slsim ARGS` through the shell, capturing both streams. */
static inline struct outcome run(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", slsim(), args);
    return run_shell(cmd);
}

static inline void outcome_free(struct outcome *o)
{
    free(o->out);
    free(o->err);
}

#endif
