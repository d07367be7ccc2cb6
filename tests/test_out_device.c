/* test_out_device.c - an --out that is a device or a pipe is written to as it is: a
 * report's file is written whole by renaming a temporary file over it, which over
 * /dev/null or a pipe would put a plain file in its place. */
#include "cli_helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SMALL "tests/data/sweep/small.yaml"

/* Rule: --out naming a pipe (as /dev/null is a device) leaves it a pipe and passes the
 * report through it, with or without --force. */
Test(out_device, a_pipe_stays_a_pipe, .timeout = 60)
{
    char dir[] = "/tmp/slsim-fifo-XXXXXX";
    cr_assert(mkdtemp(dir));
    char fifo[128], got[128], cmd[1024];
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    snprintf(got, sizeof got, "%s/got", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    for (int force = 0; force < 2; force++) {
        /* time limits on both sides: where the fault is, nothing would ever end */
        snprintf(cmd, sizeof cmd,
                 "timeout 20 cat %s > %s & timeout 20 %s run " SMALL
                 " -q --format csv --out %s%s; st=$?; wait; exit $st",
                 fifo, got, slsim(), fifo, force ? " --force" : "");
        if (force == 1)
            /* trace convert writes its own way (as it goes, renamed at the end) */
            snprintf(cmd, sizeof cmd,
                     "timeout 20 cat %s > %s & timeout 20 %s trace convert "
                     "traces/azure2021/Azure2021_200.csv --as azure2021 -q --out %s --force; "
                     "st=$?; wait; exit $st",
                     fifo, got, slsim(), fifo);
        struct outcome o = run_shell(cmd);
        cr_assert_eq(o.status, 0, "stderr: %s", o.err);
        outcome_free(&o);
        struct stat st;
        cr_assert_eq(stat(fifo, &st), 0);
        cr_assert(S_ISFIFO(st.st_mode), "the pipe was replaced by a file");
        char *text = slurp(got);
        cr_assert(text && (force ? strlen(text) > 100 : strncmp(text, "scenario,seed,", 14) == 0),
                  "the output did not pass through the pipe");
        free(text);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
