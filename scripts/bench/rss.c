/* rss.c - run a command, then report its wall time, CPU time and peak resident set size.
 *
 * Used by scripts/bench/run.sh so that `make bench` needs no GNU time package: fork,
 * exec, wait4, and ru_maxrss of the child (kilobytes on Linux). The child's stdout and
 * stderr pass through untouched; the measurement goes to REPORT_FILE as one line:
 *
 *   maxrss_kb N wall_s X cpu_s Y
 *
 * cpu_s is the child's user + system time: a wall time well above it means the command
 * waited for a processor (a busy machine), which `make bench` prints beside the wall.
 *
 *   cc -O2 -o rss rss.c
 *   ./rss REPORT_FILE COMMAND [ARG...]
 *
 * Exits with the command's status (127 if it could not be run, 128+N on signal N). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: rss REPORT_FILE COMMAND [ARG...]\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("rss: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("rss: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    pid_t got;
    while ((got = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
        ;
    if (got < 0) {
        perror("rss: wait4");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);

    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "maxrss_kb %ld wall_s %.6f cpu_s %.6f\n", ru.ru_maxrss, wall, cpu) < 0 ||
        fclose(f)) {
        perror("rss: report file");
        return 127;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
