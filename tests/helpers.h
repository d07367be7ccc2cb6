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

/* Write text to a new temporary file; path is a mkstemp template ("/tmp/x-XXXXXX"),
 * filled in. The caller removes the file. */
static inline void write_temp(char *path, const char *text)
{
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

/* Load YAML text as a scenario file (a temporary file, removed at once): 0 and *out,
 * or -1 and *err. */
static inline int load_yaml_rc(const char *yaml, struct scenario **out, struct slsim_error *err)
{
    char path[] = "/tmp/slsim-test-XXXXXX";
    write_temp(path, yaml);
    int rc = scenario_load(path, NULL, 0, out, err);
    unlink(path);
    return rc;
}

/* Load a scenario from YAML text that must load. */
static inline struct scenario *load_yaml(const char *yaml)
{
    struct scenario *s = NULL;
    struct slsim_error err;
    int rc = load_yaml_rc(yaml, &s, &err);
    cr_assert_eq(rc, 0, "scenario did not load: %s (line %d col %d key %s)", err.message,
                 err.line, err.column, err.key);
    return s;
}

/* The error of YAML text that must not load. */
static inline struct slsim_error load_yaml_error(const char *yaml)
{
    struct scenario *s = NULL;
    struct slsim_error err;
    int rc = load_yaml_rc(yaml, &s, &err);
    cr_assert_eq(rc, -1, "scenario loaded but should not have");
    cr_assert_null(s);
    return err;
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
