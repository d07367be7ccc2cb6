/* cli.c - option parsing, error printing and whole-file writes for the commands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

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
    if (!force && stat(path, &st) == 0)
        return slsim_error_set(err, path, 0, 0, NULL,
                               "already exists; pass --force to overwrite it");
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
