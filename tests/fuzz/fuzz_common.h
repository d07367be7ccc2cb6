/* fuzz_common.h - what the libFuzzer targets share: input files, the rule every
 * error must follow, and an invariant check that stops the fuzzer.
 *
 * The loaders and readers take file paths, so each input is written to a file of
 * this process (in /dev/shm when there is one, so no disk is touched per
 * execution), rewritten for every execution and removed at exit. A broken
 * invariant prints what broke and aborts: libFuzzer then saves the input as a
 * crash file. */
#ifndef SLSIM_FUZZ_COMMON_H
#define SLSIM_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slsim/error.h"

/* Events one replay may deliver before the harness stops reading: enough for every
 * path of a reader, few enough that one input costs milliseconds. */
#define FUZZ_MAX_EVENTS 100000

#define FUZZ_CHECK(cond, ...)                                                                 \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "\nfuzz invariant broken (%s:%d): %s\n  ", __FILE__, __LINE__,    \
                    #cond);                                                                   \
            fprintf(stderr, __VA_ARGS__);                                                     \
            fputc('\n', stderr);                                                              \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

#define FUZZ_FILES_MAX 4
static char fuzz_paths[FUZZ_FILES_MAX][256];
static int fuzz_lines[FUZZ_FILES_MAX]; /* the file last written there has lines */

static void fuzz_remove_files(void)
{
    for (int i = 0; i < FUZZ_FILES_MAX; i++)
        if (fuzz_paths[i][0])
            unlink(fuzz_paths[i]);
}

/* The path of this process's input file number i (0..FUZZ_FILES_MAX-1), ending in
 * ext (".csv", ".yaml"; no loader reads the extension, a person reading a message
 * does). A crash leaves its files behind: a few KB in /dev/shm, named by pid. */
static const char *fuzz_path(int i, const char *ext)
{
    if (!fuzz_paths[i][0]) {
        struct stat st;
        const char *dir = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm"
                          : getenv("TMPDIR")                                 ? getenv("TMPDIR")
                                                                             : "/tmp";
        snprintf(fuzz_paths[i], sizeof fuzz_paths[i], "%s/slsim-fuzz-%ld-%d%s", dir,
                 (long)getpid(), i, ext);
        static int registered;
        if (!registered++)
            atexit(fuzz_remove_files);
    }
    return fuzz_paths[i];
}

static int fuzz_has_lines(const uint8_t *data, size_t n);

/* Write data[0..n) to input file i, replacing it; its path. */
static const char *fuzz_write(int i, const char *ext, const uint8_t *data, size_t n)
{
    const char *path = fuzz_path(i, ext);
    fuzz_lines[i] = fuzz_has_lines(data, n);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort(); /* the harness cannot work without its file: not a finding */
    }
    return path;
}

/* 1 when data[0..n) has a line with something other than blanks on it: an input a
 * located error can point into. */
static int fuzz_has_lines(const uint8_t *data, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (data[i] != '\n' && data[i] != '\r' && data[i] != ' ' && data[i] != '\t')
            return 1;
    return 0;
}

/* Errors about a file as a whole have no line to point at: it is empty, holds no
 * usable row, cannot be opened, or memory ran out. Every other error is about
 * something written at a place in the file. */
static int fuzz_whole_file_error(const char *msg)
{
    static const char *const whole[] = {"empty ",         "no requests",  "no invocations",
                                        "no valid ",      "cannot ",      "out of memory",
                                        NULL};
    for (int i = 0; whole[i]; i++)
        if (strncmp(msg, whole[i], strlen(whole[i])) == 0)
            return 1;
    return 0;
}

/* The error rule: a failure names its file and says what is wrong, and an error
 * about input that has lines points at one (line >= 1). Files other than the
 * inputs (a scenario's trace or catalog from the repository) are taken to have
 * lines. */
static void fuzz_check_error(const struct slsim_error *e, const char *what)
{
    int has_lines = 1;
    for (int i = 0; i < FUZZ_FILES_MAX; i++)
        if (fuzz_paths[i][0] && strcmp(e->file, fuzz_paths[i]) == 0)
            has_lines = fuzz_lines[i];
    FUZZ_CHECK(e->message[0] != '\0', "%s failed without a message (file \"%s\", line %d)", what,
               e->file, e->line);
    FUZZ_CHECK(e->file[0] != '\0', "%s failed without naming a file: \"%s\"", what, e->message);
    FUZZ_CHECK(e->line >= 0 && e->column >= 0, "%s: negative location %d:%d: \"%s\"", what,
               e->line, e->column, e->message);
    if (has_lines && !fuzz_whole_file_error(e->message))
        FUZZ_CHECK(e->line >= 1, "%s: an error without a line: %s: %s: \"%s\"", what, e->file,
                   e->key, e->message);
}

#endif
