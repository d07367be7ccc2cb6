/* fuzz_scenario - the whole scenario load: YAML, every key and unit, validation,
 * the catalog lookups, the trace header checks and `--set` overrides.
 *
 * Input: the scenario file; after a NUL byte, overrides, one `key=value` per line
 * (at most 8). Paths in the scenario (pricing:, workload.trace.path) are relative
 * to the directory the fuzzer runs in: the repository root, where the seeds'
 * paths lead to scenarios/ and tests/data/.
 *
 * Checks: a load either gives a scenario and no error, or no scenario and an error
 * that follows the error rule (fuzz_common.h); a scenario holds what scenario.h
 * promises (at least one deployment and one replication, warm-up shorter than the
 * duration, a catalog, every instance a fleet names in that catalog). */
#include "fuzz_common.h"
#include "slsim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SETS_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t yaml_len = nul ? (size_t)(nul - data) : size;
    const char *path = fuzz_write(0, ".yaml", data, yaml_len);

    char *sets_text = NULL;
    const char *sets[SETS_MAX];
    size_t n_sets = 0;
    if (nul) {
        size_t n = size - yaml_len - 1;
        if (!(sets_text = malloc(n + 1)))
            abort();
        memcpy(sets_text, nul + 1, n);
        sets_text[n] = '\0';
        for (char *line = sets_text; line && n_sets < SETS_MAX;) {
            char *next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            if (*line)
                sets[n_sets++] = line;
            line = next;
        }
    }

    struct scenario *s = (struct scenario *)&s; /* not NULL: the loader must clear it */
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    int rc = scenario_load(path, sets, n_sets, &s, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "scenario_load returned %d", rc);
        FUZZ_CHECK(s == NULL, "a failed load left a scenario: %s", err.message);
        fuzz_check_error(&err, "scenario_load");
    } else {
        FUZZ_CHECK(s != NULL, "a load succeeded without a scenario");
        FUZZ_CHECK(err.message[0] == '\0' && err.file[0] == '\0',
                   "a load gave both a scenario and an error: %s: %s", err.file, err.message);
        FUZZ_CHECK(s->n_deployments >= 1 && s->deployments, "a scenario with %zu deployments",
                   s->n_deployments);
        FUZZ_CHECK(s->replications >= 1, "a scenario with 0 replications");
        FUZZ_CHECK(s->warmup_ns >= 0 && s->warmup_ns < s->duration_ns,
                   "warm-up %lld ns is not below the duration %lld ns", (long long)s->warmup_ns,
                   (long long)s->duration_ns);
        FUZZ_CHECK(s->catalog != NULL, "a scenario without a catalog");
        for (size_t i = 0; i < s->n_deployments; i++) {
            const struct deployment_spec *d = &s->deployments[i];
            FUZZ_CHECK(d->name[0] != '\0', "deployment %zu has no name", i);
            const struct fleet_spec *fleet = deployment_fleet(d);
            const struct serverless_spec *sv = deployment_serverless(d);
            FUZZ_CHECK(fleet || sv, "deployment %s is neither a fleet nor serverless", d->name);
            if (fleet)
                FUZZ_CHECK(catalog_find_instance(s->catalog, fleet->instance) != NULL,
                           "deployment %s: instance \"%s\" is not in the catalog", d->name,
                           fleet->instance);
            if (sv)
                FUZZ_CHECK(catalog_find_platform(s->catalog, sv->platform) != NULL,
                           "deployment %s: platform \"%s\" is not in the catalog", d->name,
                           sv->platform);
        }
        scenario_destroy(s);
    }
    free(sets_text);
    return 0;
}
