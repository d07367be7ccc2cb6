/* helpers.h - shared by the test programs: scenarios from inline YAML. */
#ifndef SLSIM_TEST_HELPERS_H
#define SLSIM_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slsim/run.h"
#include "slsim/scenario.h"

/* Load a scenario from YAML text (through a temporary file, removed at once). */
static inline struct scenario *load_yaml(const char *yaml)
{
    char path[] = "/tmp/slsim-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(yaml, f);
    fclose(f);
    struct scenario *s = NULL;
    struct slsim_error err;
    int rc = scenario_load(path, NULL, 0, &s, &err);
    unlink(path);
    cr_assert_eq(rc, 0, "scenario did not load: %s (line %d col %d key %s)", err.message,
                 err.line, err.column, err.key);
    return s;
}

/* Run deployment d of s, replication 0, without a timeline. */
static inline struct deployment_result run_one(const struct scenario *s, size_t d)
{
    struct deployment_result r;
    struct slsim_error err;
    int rc = run_deployment(s, d, 0, 0, &r, &err);
    cr_assert_eq(rc, 0, "run failed: %s", err.message);
    return r;
}

#endif
