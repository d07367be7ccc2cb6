/* test_scenario_write.c - scenario_write: what it writes loads, from another folder,
 * as the same scenario (the same spec, the same numbers from a run). */
/* realpath() is XSI, not in the POSIX base the build asks for. */
#define _XOPEN_SOURCE 700

#include <limits.h>

#include "../sim/base/yaml_tree.h"
#include "helpers.h"
#include "slsim/summary.h"

/* Write s (only `only`, with header) to a new file in /tmp, a folder other than the
 * scenario's, and load it back with no overrides. path receives the file's name; the
 * caller unlinks it. */
static struct scenario *write_and_load(const struct scenario *s, const char *only,
                                       const char *header, char *path)
{
    strcpy(path, "/tmp/slsim-written-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    struct slsim_error err;
    cr_assert_eq(scenario_write(s, only, header, f, &err), 0, "write failed: %s", err.message);
    fclose(f);
    struct scenario *back = NULL;
    int rc = scenario_load(path, NULL, 0, &back, &err);
    cr_assert_eq(rc, 0, "written scenario did not load: %s:%d:%d: %s: %s", err.file, err.line,
                 err.column, err.key, err.message);
    return back;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static struct scenario *load(const char *path, const char *const *sets, size_t n)
{
    struct scenario *s = NULL;
    struct slsim_error err;
    cr_assert_eq(scenario_load(path, sets, n, &s, &err), 0, "%s did not load: %s (key %s)", path,
                 err.message, err.key);
    return s;
}

static size_t find_deployment(const struct scenario *s, const char *name)
{
    for (size_t d = 0; d < s->n_deployments; d++)
        if (strcmp(s->deployments[d].name, name) == 0)
            return d;
    cr_assert_fail("no deployment %s", name);
    return 0;
}

/* cost_usd.total and latency_ms.p99 of deployment d of a one-thread run of s. */
static void run_numbers(const struct scenario *s, size_t d, double *cost, double *p99)
{
    struct run_options opt = {.jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0, "run failed: %s", err.message);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields(&out, d, 0, f);
    *cost = summary_field_value(f, n, "cost_usd.total");
    *p99 = summary_field_value(f, n, "latency_ms.p99");
    run_output_free(&out);
}

/* Load file with sets, write deployment `only` alone, load that from /tmp: one
 * deployment of that name and type, and a run of it gives exactly the numbers the
 * same deployment gives in a run of the original (the same simulation: every random
 * stream derives from (seed, replication, purpose), none from the deployment's
 * place). Returns the written copy for more checks; the caller destroys both. */
static struct scenario *round_trip(const char *file, const char *const *sets, size_t n_sets,
                                   const char *only, struct scenario **orig_out)
{
    struct scenario *orig = load(file, sets, n_sets);
    char path[64];
    struct scenario *back = write_and_load(orig, only, NULL, path);
    unlink(path);
    cr_assert_eq(back->n_deployments, 1);
    size_t d = find_deployment(orig, only);
    cr_assert_str_eq(back->deployments[0].name, only);
    cr_assert_eq(back->deployments[0].type, orig->deployments[d].type);
    cr_assert_str_eq(back->name, orig->name);
    cr_assert_eq(back->seed, orig->seed);
    cr_assert_eq(back->duration_ns, orig->duration_ns);
    cr_assert_eq(back->warmup_ns, orig->warmup_ns);
    double c0, p0, c1, p1;
    run_numbers(orig, d, &c0, &p0);
    run_numbers(back, 0, &c1, &p1);
    cr_assert(c0 > 0, "the deployment costs something");
    cr_assert_eq(c1, c0, "cost_usd.total %.9g written vs %.9g original", c1, c0);
    cr_assert_eq(p1, p0, "latency_ms.p99 %.9g written vs %.9g original", p1, p0);
    *orig_out = orig;
    return back;
}

/* The quickstart cut to 3 hours: its warm-up and its spike (at 3d) moved inside. */
#define QUICK_SHORT "duration=3h", "warmup=10m", "workload.spikes[1].at=1h"

Test(scenario_write, quickstart_one_deployment_keeps_an_override)
{
    /* --set keep_alive=3m: the written file carries 3 min = 180 s as a fixed keep-alive */
    const char *sets[] = {QUICK_SHORT, "deployments.lambda.keep_alive=3m"};
    struct scenario *orig;
    struct scenario *back = round_trip("scenarios/quickstart.yaml", sets, 4, "lambda", &orig);
    const struct serverless_spec *sv = &back->deployments[0].serverless;
    cr_assert_eq(sv->keep_alive.policy, KEEPALIVE_FIXED);
    cr_assert_eq(sv->keep_alive.duration_ns, 180 * SIM_NS_PER_S);
    cr_assert_eq(back->slo.percentile, orig->slo.percentile);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, hybrid_overflow_hybrid_deployment)
{
    const char *sets[] = {"duration=2h", "deployments.mixed.base.count=2"};
    struct scenario *orig;
    struct scenario *back = round_trip("scenarios/examples/hybrid-overflow.yaml", sets, 2,
                                       "mixed", &orig);
    cr_assert_eq(back->deployments[0].hybrid.base.count, 2);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, hybrid_overflow_count_auto_fleet)
{
    const char *sets[] = {"duration=2h"};
    struct scenario *orig;
    struct scenario *back = round_trip("scenarios/examples/hybrid-overflow.yaml", sets, 1, "vm",
                                       &orig);
    cr_assert(back->deployments[0].dedicated.count_auto);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, azure2019_trace_paths_made_absolute)
{
    /* The trace and its side files are named relative to the working directory
     * (the repository root); written from /tmp they must name the same files. */
    const char *sets[] = {"duration=20m", "deployments.lambda-1m.keep_alive=2m"};
    struct scenario *orig;
    struct scenario *back = round_trip("scenarios/examples/azure2019-replay.yaml", sets, 2,
                                       "lambda-1m", &orig);
    const struct trace_spec *t = &back->workload.trace;
    char want[PATH_MAX];
    cr_assert(realpath("traces/azure2019/invocations.csv", want));
    cr_assert_str_eq(t->path, want);
    cr_assert(realpath("traces/azure2019/durations.csv", want));
    cr_assert_str_eq(t->durations, want);
    cr_assert(realpath("traces/azure2019/memory.csv", want));
    cr_assert_str_eq(t->memory, want);
    cr_assert_eq(back->deployments[0].serverless.keep_alive.duration_ns, 120 * SIM_NS_PER_S);
    cr_assert_eq(t->select, orig->workload.trace.select);
    cr_assert_eq(t->select_n, 200);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, llm_chat_dedicated_gpu)
{
    const char *sets[] = {"duration=5m", "deployments.g5-x4.count=3"};
    struct scenario *orig;
    struct scenario *back = round_trip("scenarios/examples/llm-chat.yaml", sets, 2, "g5-x4",
                                       &orig);
    cr_assert_eq(back->deployments[0].dedicated.count, 3);
    cr_assert(back->model.is_llm);
    cr_assert_eq(back->slo.percentile, orig->slo.percentile);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, null_only_keeps_every_deployment_in_order)
{
    const char *sets[] = {QUICK_SHORT};
    struct scenario *orig = load("scenarios/quickstart.yaml", sets, 3);
    char path[64];
    struct scenario *back = write_and_load(orig, NULL, NULL, path);
    unlink(path);
    cr_assert_eq(back->n_deployments, 3);
    for (size_t d = 0; d < 3; d++)
        cr_assert_str_eq(back->deployments[d].name, orig->deployments[d].name);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, header_written_as_comment_lines)
{
    const char *sets[] = {QUICK_SHORT};
    struct scenario *orig = load("scenarios/quickstart.yaml", sets, 3);
    char path[64];
    struct scenario *back = write_and_load(orig, "lambda", "slsim plan: the cheapest\n\nmeets p99",
                                           path);
    const char *text = slurp(path);
    unlink(path);
    /* three lines of header, the empty one as a bare '#', then the document */
    cr_assert(strncmp(text, "# slsim plan: the cheapest\n#\n# meets p99\nname: quickstart\n",
                      56) == 0, "got:\n%s", text);
    scenario_destroy(orig);
    scenario_destroy(back);
}

static const char quoted_yaml[] =
    "name: \"plan: yes\"\n"
    "duration: 1h\n"
    "model: {name: \"012\", memory: 1GiB, service: 100ms}\n"
    "workload: {arrival: poisson, rate: 1/s}\n"
    "deployments:\n"
    "  - {name: 'yes', platform: aws-lambda, keep_alive: 2m}\n"
    "  - {platform: aws-lambda, keep_alive: 1m}\n";

Test(scenario_write, quoted_scalars_stay_quoted_and_plain_stay_plain)
{
    char src[] = "/tmp/slsim-quoted-XXXXXX";
    write_temp(src, quoted_yaml);
    struct scenario *orig = load(src, NULL, 0);
    unlink(src);
    char path[64];
    struct scenario *back = write_and_load(orig, "yes", NULL, path);
    const char *text = slurp(path);
    unlink(path);
    cr_assert_str_eq(back->name, "plan: yes");
    cr_assert_str_eq(back->deployments[0].name, "yes");
    const struct ynode *model_name = ytree_get(ytree_get(back->tree, "model"), "name");
    cr_assert_str_eq(model_name->text, "012");
    cr_assert_eq(model_name->plain, 0, "\"012\" must stay a string; written:\n%s", text);
    const struct ynode *dep = ytree_get(back->tree, "deployments")->items[0];
    cr_assert_eq(ytree_get(dep, "name")->plain, 0, "'yes' must stay a string:\n%s", text);
    cr_assert_eq(ytree_get(dep, "keep_alive")->plain, 1, "2m was plain:\n%s", text);
    cr_assert_eq(ytree_get(back->tree, "name")->plain, 0);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, default_name_written_when_kept_alone)
{
    /* The second deployment has no name: it is serverless-2 (<type>-<index>); alone
     * in the written file it would be serverless-1 unless its name is written. */
    char src[] = "/tmp/slsim-default-XXXXXX";
    write_temp(src, quoted_yaml);
    struct scenario *orig = load(src, NULL, 0);
    unlink(src);
    char path[64];
    struct scenario *back = write_and_load(orig, "serverless-2", NULL, path);
    unlink(path);
    cr_assert_eq(back->n_deployments, 1);
    cr_assert_str_eq(back->deployments[0].name, "serverless-2");
    cr_assert_eq(back->deployments[0].serverless.keep_alive.duration_ns, 60 * SIM_NS_PER_S);
    scenario_destroy(orig);
    scenario_destroy(back);
}

/* Without `name:` a scenario is named after its file's stem; the written file has
 * another stem, so the name is written. */
Test(scenario_write, scenario_named_after_its_file_keeps_its_name)
{
    static const char yaml[] = "duration: 1h\n"
                               "model: {memory: 1GiB, service: 100ms}\n"
                               "workload: {arrival: poisson, rate: 1/s}\n"
                               "deployments: [{name: a, platform: aws-lambda}]\n"
                               "slo:\n";
    char src[] = "/tmp/slsim-stem-XXXXXX";
    write_temp(src, yaml);
    struct scenario *orig = load(src, NULL, 0);
    unlink(src);
    char path[64];
    struct scenario *back = write_and_load(orig, NULL, NULL, path);
    unlink(path);
    cr_assert_str_eq(back->name, orig->name);
    /* `slo:` with nothing is YAML's null (no objective), and stays null */
    cr_assert(ytree_is_null(ytree_get(back->tree, "slo")));
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, pricing_file_beside_the_scenario_made_absolute)
{
    /* pricing: prices.yaml opens from the scenario's folder (not the working
     * directory); the written copy, in another folder, must name it absolutely. */
    char dir[] = "/tmp/slsim-pricing-XXXXXX";
    cr_assert(mkdtemp(dir));
    char prices[128], src[128], cmd[512];
    snprintf(prices, sizeof prices, "%s/prices.yaml", dir);
    snprintf(src, sizeof src, "%s/s.yaml", dir);
    snprintf(cmd, sizeof cmd, "cp scenarios/pricing/default.yaml %s", prices);
    cr_assert_eq(system(cmd), 0);
    FILE *f = fopen(src, "w");
    cr_assert(f);
    fputs("duration: 1h\npricing: prices.yaml\nmodel: {memory: 1GiB, service: 100ms}\n"
          "workload: {arrival: poisson, rate: 2/s}\n"
          "deployments: [{name: a, platform: aws-lambda}]\n",
          f);
    fclose(f);
    struct scenario *orig = load(src, NULL, 0);
    char path[64];
    struct scenario *back = write_and_load(orig, "a", NULL, path);
    unlink(path);
    char want[PATH_MAX];
    cr_assert(realpath(prices, want));
    cr_assert_str_eq(back->pricing, want);
    double c0, p0, c1, p1;
    run_numbers(orig, 0, &c0, &p0);
    run_numbers(back, 0, &c1, &p1);
    cr_assert_eq(c1, c0);
    cr_assert_eq(p1, p0);
    unlink(prices);
    unlink(src);
    rmdir(dir);
    scenario_destroy(orig);
    scenario_destroy(back);
}

Test(scenario_write, unknown_deployment_is_an_error)
{
    const char *sets[] = {QUICK_SHORT};
    struct scenario *orig = load("scenarios/quickstart.yaml", sets, 3);
    struct slsim_error err;
    FILE *f = tmpfile();
    cr_assert_eq(scenario_write(orig, "nope", NULL, f, &err), -1);
    cr_assert(strstr(err.message, "nope"));
    fclose(f);
    scenario_destroy(orig);
}
