/* test_config.c - scenario files and --set overrides (docs/SCENARIO.md is the
 * contract).
 *
 * Valid files come from tests/data/config/ and are checked value by value in base
 * units (ns, bytes, per second). Error cases write a short file from the test
 * itself, one key per line on top of BASE, so that the expected line and column can
 * be read off the text right above the assertion. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slsim/platform.h"
#include "slsim/scenario.h"

#define DATA "tests/data/config/"
#define NS_PER_MIN (60 * SIM_NS_PER_S)
#define NS_PER_H (60 * NS_PER_MIN)
#define NS_PER_D (24 * NS_PER_H)

/* A valid scenario of 8 lines; tests append from line 9 on. */
#define BASE                                                                                   \
    "duration: 1h\n"       /* 1 */                                                             \
    "model:\n"             /* 2 */                                                             \
    "  service: 100ms\n"   /* 3 */                                                             \
    "workload:\n"          /* 4 */                                                             \
    "  arrival: poisson\n" /* 5 */                                                             \
    "  rate: 10/s\n"       /* 6 */                                                             \
    "deployments:\n"       /* 7 */                                                             \
    "  - name: lambda\n"   /* 8 */

struct load {
    int rc;
    struct scenario *s;
    struct slsim_error err;
    char path[128]; /* the file loaded (already removed for load_text) */
};

static struct load load_file(const char *path, const char *const *sets, size_t n_sets)
{
    struct load l;
    memset(&l, 0, sizeof l);
    snprintf(l.path, sizeof l.path, "%s", path);
    l.s = (struct scenario *)&l; /* must be reset to NULL on failure */
    l.rc = scenario_load(path, sets, n_sets, &l.s, &l.err);
    return l;
}

/* Write text as <tempdir>/name, load it, remove it. */
static struct load load_named(const char *name, const char *text, const char *const *sets,
                              size_t n_sets)
{
    char dir[] = "/tmp/slsim-test-config-XXXXXX";
    cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    struct load l = load_file(path, sets, n_sets);
    unlink(path);
    rmdir(dir);
    return l;
}

static struct load load_text(const char *text, const char *const *sets, size_t n_sets)
{
    return load_named("case.yaml", text, sets, n_sets);
}

static struct scenario *ok(const struct load *l)
{
    cr_assert_eq(l->rc, 0, "loading %s failed: %s:%d:%d: %s: %s", l->path, l->err.file,
                 l->err.line, l->err.column, l->err.key, l->err.message);
    cr_assert_not_null(l->s);
    return l->s;
}

/* The load failed at exactly file:line:column with key, and the message holds text. */
static void fails_at(const struct load *l, const char *file, int line, int column,
                     const char *key, const char *text)
{
    cr_assert_eq(l->rc, -1, "loading %s succeeded; expected \"%s\"", l->path, text);
    cr_assert_null(l->s, "*out not NULL after a failure");
    cr_assert_str_eq(l->err.file, file, "file: message was \"%s\"", l->err.message);
    cr_assert_eq(l->err.line, line, "line %d, expected %d: \"%s\"", l->err.line, line,
                 l->err.message);
    cr_assert_eq(l->err.column, column, "column %d, expected %d: \"%s\"", l->err.column, column,
                 l->err.message);
    cr_assert_str_eq(l->err.key, key, "key: message was \"%s\"", l->err.message);
    cr_assert(strstr(l->err.message, text), "message \"%s\" lacks \"%s\"", l->err.message,
              text);
}

static const struct deployment_spec *find_deployment(const struct scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_deployments; i++)
        if (strcmp(s->deployments[i].name, name) == 0)
            return &s->deployments[i];
    cr_assert_fail("no deployment named %s", name);
    return NULL;
}

/* ---- valid files ---- */

Test(config, full_scenario_loads_every_value_in_base_units)
{
    struct load l = load_file(DATA "full.yaml", NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_str_eq(s->name, "full-example");
    cr_assert_str_eq(s->path, DATA "full.yaml");
    cr_assert_eq(s->seed, UINT64_MAX);
    cr_assert_eq(s->duration_ns, 7 * NS_PER_D);
    cr_assert_eq(s->warmup_ns, NS_PER_H);
    cr_assert_eq(s->replications, 3);

    cr_assert_str_eq(s->model.name, "resnet50");
    cr_assert_eq(s->model.size_bytes, 98000000);
    cr_assert_eq(s->model.memory_bytes, 2147483648LL); /* 2GiB */
    cr_assert_eq(s->model.service.kind, DIST_LOGNORMAL);
    cr_assert_float_eq(s->model.service.mean_s, 0.120, 1e-12);
    cr_assert_float_eq(s->model.service.b, sqrt(log1p(0.25)), 1e-12);

    cr_assert_eq(s->workload.arrival, ARRIVAL_ONOFF);
    cr_assert_float_eq(s->workload.rate_per_s, 5.0, 1e-12); /* 300/min */
    cr_assert_float_eq(s->workload.duty_cycle, 0.25, 1e-12);
    cr_assert_eq(s->workload.period_ns, 24 * NS_PER_H);
    cr_assert_eq(s->workload.n_spikes, 2);
    /* Written 3d then 1d: sorted by start. */
    cr_assert_eq(s->workload.spikes[0].at_ns, NS_PER_D);
    cr_assert_eq(s->workload.spikes[0].duration_ns, NS_PER_H);
    cr_assert_float_eq(s->workload.spikes[0].factor, 0.5, 1e-12);
    cr_assert_eq(s->workload.spikes[1].at_ns, 3 * NS_PER_D);
    cr_assert_eq(s->workload.spikes[1].duration_ns, 15 * NS_PER_MIN);
    cr_assert_float_eq(s->workload.spikes[1].factor, 8.0, 1e-12);

    cr_assert_eq(s->n_deployments, 2);
    const struct deployment_spec *d = &s->deployments[0];
    cr_assert_str_eq(d->name, "lambda");
    cr_assert_eq(d->type, DEPLOYMENT_SERVERLESS);
    cr_assert_str_eq(d->serverless.platform, "generic");
    cr_assert_eq(d->serverless.memory_bytes, 1000000000);
    cr_assert_eq(d->serverless.keep_alive.duration_ns, 5 * NS_PER_MIN);
    cr_assert_eq(d->serverless.keep_alive.policy, KEEPALIVE_FIXED);
    cr_assert_eq(d->serverless.concurrency, 4);
    cr_assert_eq(d->serverless.reserved, 8);
    cr_assert_eq(d->serverless.on_throttle, THROTTLE_QUEUE);
    cr_assert_eq(d->serverless.max_wait_ns, 2 * SIM_NS_PER_S);
    cr_assert_eq(d->serverless.idle_pick, IDLE_PICK_LRU);
    cr_assert_eq(d->serverless.coldstart, COLDSTART_DIST);
    cr_assert_eq(d->serverless.coldstart_dist.kind, DIST_CONSTANT);
    cr_assert_float_eq(d->serverless.coldstart_dist.mean_s, 1.5, 1e-12);

    d = &s->deployments[1];
    cr_assert_str_eq(d->name, "warm");
    cr_assert_eq(d->serverless.memory_bytes, 2147483648LL, "memory should default to model.memory");
    cr_assert_eq(d->serverless.keep_alive.duration_ns, SIM_TIME_FOREVER);
    cr_assert_eq(d->serverless.keep_alive.policy, KEEPALIVE_FIXED);
    cr_assert_eq(d->serverless.idle_pick, IDLE_PICK_RANDOM);
    cr_assert_eq(d->serverless.coldstart, COLDSTART_NONE);

    cr_assert_float_eq(s->slo.percentile, 99.0, 1e-12);
    cr_assert_eq(s->slo.latency_ns, 500 * SIM_NS_PER_MS);
    scenario_destroy(s);
}

Test(config, omitted_keys_take_their_defaults)
{
    struct load l = load_file(DATA "minimal.yaml", NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_str_eq(s->name, "minimal", "name should be the file name without .yaml");
    cr_assert_eq(s->seed, 1);
    cr_assert_eq(s->warmup_ns, 0);
    cr_assert_eq(s->replications, 1);
    cr_assert_str_eq(s->model.name, "model");
    cr_assert_eq(s->model.size_bytes, 0);
    cr_assert_eq(s->model.memory_bytes, 2147483648LL); /* 2GiB: a memory setting */
    cr_assert_eq(s->model.service.kind, DIST_CONSTANT, "a plain duration is a constant");
    cr_assert_float_eq(s->model.service.mean_s, 0.1, 1e-12);
    cr_assert_eq(s->workload.n_spikes, 0);
    cr_assert_null(s->workload.spikes);
    cr_assert_float_eq(s->slo.percentile, 0.0, 0.0);

    cr_assert_eq(s->n_deployments, 2);
    const struct deployment_spec *d = &s->deployments[0];
    cr_assert_str_eq(d->name, "serverless-1");
    cr_assert_str_eq(s->deployments[1].name, "serverless-2");
    cr_assert_eq(d->type, DEPLOYMENT_SERVERLESS);
    cr_assert_str_eq(d->serverless.platform, "generic");
    cr_assert_str_eq(s->deployments[1].serverless.platform, "aws-lambda");
    cr_assert_eq(d->serverless.memory_bytes, 2147483648LL);
    cr_assert_eq(d->serverless.keep_alive.policy, KEEPALIVE_PLATFORM,
                 "no keep_alive: the platform's default applies");
    cr_assert_eq(d->serverless.concurrency, 1);
    cr_assert_eq(d->serverless.reserved, 0);
    cr_assert_eq(d->serverless.on_throttle, THROTTLE_REJECT);
    cr_assert_eq(d->serverless.max_wait_ns, SIM_TIME_FOREVER);
    cr_assert_eq(d->serverless.idle_pick, IDLE_PICK_MRU);
    cr_assert_eq(d->serverless.coldstart, COLDSTART_DEFAULT);
    scenario_destroy(s);
}

Test(config, default_name_drops_yml_extension_too)
{
    struct load l = load_named("my-study.yml", BASE, NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_str_eq(s->name, "my-study");
    scenario_destroy(s);
}

Test(config, deployment_memory_defaults_to_model_memory)
{
    struct load l = load_text("duration: 1h\n"
                              "model: {service: 1s, memory: 3GB}\n"
                              "workload: {arrival: poisson, rate: 1/s}\n"
                              "deployments:\n"
                              "  - name: inherits\n"
                              "  - name: own\n"
                              "    memory: 512MiB\n",
                              NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_eq(find_deployment(s, "inherits")->serverless.memory_bytes, 3000000000);
    cr_assert_eq(find_deployment(s, "own")->serverless.memory_bytes, 512LL * 1024 * 1024);
    cr_assert_float_eq(s->workload.rate_per_s, 1.0, 1e-12, "a plain rate is per second");
    scenario_destroy(s);
}

Test(config, arrival_poisson)
{
    struct load l = load_text(BASE, NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->workload.arrival, ARRIVAL_POISSON);
    cr_assert_float_eq(s->workload.rate_per_s, 10.0, 1e-12);
    scenario_destroy(s);
}

Test(config, arrival_constant)
{
    struct load l = load_text("duration: 1h\n"
                              "model: {service: 1s}\n"
                              "workload: {arrival: constant, rate: 1000/h}\n"
                              "deployments: [{name: a}]\n",
                              NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->workload.arrival, ARRIVAL_CONSTANT);
    cr_assert_float_eq(s->workload.rate_per_s, 1000.0 / 3600.0, 1e-12);
    scenario_destroy(s);
}

Test(config, arrival_onoff_reads_duty_cycle_and_period)
{
    struct load l = load_text("duration: 1h\n"
                              "model: {service: 1s}\n"
                              "workload: {arrival: onoff, rate: 2/s, duty_cycle: 0.1,\n"
                              "           period: 90m}\n"
                              "deployments: [{name: a}]\n",
                              NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->workload.arrival, ARRIVAL_ONOFF);
    cr_assert_float_eq(s->workload.duty_cycle, 0.1, 1e-12);
    cr_assert_eq(s->workload.period_ns, 90 * NS_PER_MIN);
    scenario_destroy(s);
}

Test(config, arrival_diurnal_peak_to_mean_defaults_to_2)
{
    struct load l = load_text("duration: 2d\n"
                              "model: {service: 1s}\n"
                              "workload: {arrival: diurnal, rate: 5/s, period: 24h}\n"
                              "deployments: [{name: a}]\n",
                              NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->workload.arrival, ARRIVAL_DIURNAL);
    cr_assert_eq(s->workload.period_ns, NS_PER_D);
    cr_assert_float_eq(s->workload.peak_to_mean, 2.0, 1e-12);
    scenario_destroy(s);
}

Test(config, arrival_diurnal_reads_peak_to_mean)
{
    struct load l = load_text("duration: 2d\n"
                              "model: {service: 1s}\n"
                              "workload: {arrival: diurnal, rate: 5/s, period: 12h, "
                              "peak_to_mean: 3.5}\n"
                              "deployments: [{name: a}]\n",
                              NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_float_eq(s->workload.peak_to_mean, 3.5, 1e-12);
    cr_assert_eq(s->workload.period_ns, 12 * NS_PER_H);
    scenario_destroy(s);
}

Test(config, every_distribution_form_builds_its_dist)
{
    struct load l = load_file(DATA "dists.yaml", NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->model.service.kind, DIST_CONSTANT);
    cr_assert_float_eq(s->model.service.mean_s, 0.25, 1e-12);

    const struct dist *d = &find_deployment(s, "const-value")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_CONSTANT);
    cr_assert_float_eq(d->mean_s, 2.0, 1e-12);
    d = &find_deployment(s, "const-mean")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_CONSTANT);
    cr_assert_float_eq(d->mean_s, 3.0, 1e-12);
    d = &find_deployment(s, "plain")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_CONSTANT);
    cr_assert_float_eq(d->mean_s, 1.5, 1e-12);
    d = &find_deployment(s, "expo")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_EXPONENTIAL);
    cr_assert_float_eq(d->mean_s, 0.8, 1e-12);
    d = &find_deployment(s, "logn-mean-cv")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_LOGNORMAL);
    cr_assert_float_eq(d->mean_s, 1.0, 1e-12);
    cr_assert_float_eq(d->b, sqrt(log1p(0.75 * 0.75)), 1e-12);
    d = &find_deployment(s, "logn-median-p99")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_LOGNORMAL);
    cr_assert_float_eq(d->a, log(0.4), 1e-12, "mu of a lognormal is log(median)");
    d = &find_deployment(s, "gamma")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_GAMMA);
    cr_assert_float_eq(d->mean_s, 2.0, 1e-12);
    cr_assert_float_eq(d->a, 4.0, 1e-12, "gamma shape is 1/cv^2");
    d = &find_deployment(s, "emp-values")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_EMPIRICAL);
    cr_assert_eq(d->n, 3);
    cr_assert_null(d->p);
    cr_assert_float_eq(d->mean_s, 0.020, 1e-12);
    d = &find_deployment(s, "emp-percentiles")->serverless.coldstart_dist;
    cr_assert_eq(d->kind, DIST_EMPIRICAL);
    cr_assert_eq(d->n, 4);
    cr_assert_not_null(d->p);
    cr_assert_float_eq(d->x[1], 0.120, 1e-12);
    cr_assert_float_eq(d->x[3], 2.0, 1e-12);

    for (size_t i = 0; i < s->n_deployments; i++) {
        const struct deployment_spec *dep = &s->deployments[i];
        cr_assert_eq(dep->serverless.coldstart, strcmp(dep->name, "default") ? COLDSTART_DIST
                                                                   : COLDSTART_DEFAULT,
                     "coldstart kind of %s", dep->name);
    }
    scenario_destroy(s);
}

Test(config, empirical_percentiles_may_be_written_in_any_order)
{
    struct load l = load_text(BASE "    coldstart: {dist: empirical, percentiles: "
                                   "{100: 1s, 0: 100ms, 50: 300ms}}\n",
                              NULL, 0);
    struct scenario *s = ok(&l);
    const struct dist *d = &s->deployments[0].serverless.coldstart_dist;
    cr_assert_eq(d->n, 3);
    cr_assert_float_eq(d->x[0], 0.1, 1e-12);
    cr_assert_float_eq(d->x[1], 0.3, 1e-12);
    cr_assert_float_eq(d->x[2], 1.0, 1e-12);
    scenario_destroy(s);
}

Test(config, slo_key_forms_give_the_percentile)
{
    const char *keys[] = {"latency_p50", "latency_p99", "latency_p999", "latency_p99.9",
                          "latency_p9999"};
    const double pct[] = {50, 99, 99.9, 99.9, 99.99};
    for (size_t i = 0; i < sizeof pct / sizeof *pct; i++) {
        char text[512];
        snprintf(text, sizeof text, BASE "slo:\n  %s: 250ms\n", keys[i]);
        struct load l = load_text(text, NULL, 0);
        struct scenario *s = ok(&l);
        cr_assert_float_eq(s->slo.percentile, pct[i], 1e-9, "%s", keys[i]);
        cr_assert_eq(s->slo.latency_ns, 250 * SIM_NS_PER_MS);
        scenario_destroy(s);
    }
}

Test(config, anchors_and_aliases_are_expanded)
{
    struct load l = load_text("duration: 1h\n"
                              "model: {service: &svc {dist: exponential, mean: 50ms}}\n"
                              "workload: {arrival: poisson, rate: 1/s}\n"
                              "deployments:\n"
                              "  - {name: a, coldstart: *svc}\n",
                              NULL, 0);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->deployments[0].serverless.coldstart_dist.kind, DIST_EXPONENTIAL);
    cr_assert_float_eq(s->deployments[0].serverless.coldstart_dist.mean_s, 0.05, 1e-12);
    scenario_destroy(s);
}

Test(config, scenario_names_for_reports)
{
    cr_assert_str_eq(scenario_arrival_name(ARRIVAL_ONOFF), "onoff");
    cr_assert_str_eq(scenario_arrival_name(ARRIVAL_DIURNAL), "diurnal");
    cr_assert_str_eq(policy_by_id(policy_idle_pick, IDLE_PICK_NEWEST)->name, "newest");
    cr_assert_str_eq(policy_by_id(policy_idle_pick, IDLE_PICK_LRU)->name, "lru");
    cr_assert_str_eq(policy_by_id(policy_throttle, THROTTLE_QUEUE)->name, "queue");
    cr_assert_str_eq(policy_by_id(policy_throttle, THROTTLE_REJECT)->name, "reject");
}

/* ---- --set ---- */

Test(config_set, overrides_a_top_level_key)
{
    /* 4d: the file's last spike starts at 3d, and a spike must start inside */
    const char *sets[] = {"duration=4d", "seed=7"};
    struct load l = load_file(DATA "full.yaml", sets, 2);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->duration_ns, 4 * NS_PER_D);
    cr_assert_eq(s->seed, 7);
    scenario_destroy(s);
}

Test(config_set, overrides_a_nested_key)
{
    const char *sets[] = {"workload.rate=50/s", "model.size=1GB"};
    struct load l = load_file(DATA "full.yaml", sets, 2);
    struct scenario *s = ok(&l);
    cr_assert_float_eq(s->workload.rate_per_s, 50.0, 1e-12);
    cr_assert_eq(s->model.size_bytes, 1000000000);
    cr_assert_float_eq(s->workload.duty_cycle, 0.25, 1e-12, "siblings stay as in the file");
    scenario_destroy(s);
}

Test(config_set, addresses_a_deployment_by_name)
{
    const char *sets[] = {"deployments.warm.memory=512MiB", "deployments.lambda.keep_alive=30s"};
    struct load l = load_file(DATA "full.yaml", sets, 2);
    struct scenario *s = ok(&l);
    cr_assert_eq(find_deployment(s, "warm")->serverless.memory_bytes, 512LL * 1024 * 1024);
    cr_assert_eq(find_deployment(s, "lambda")->serverless.memory_bytes, 1000000000, "other untouched");
    cr_assert_eq(find_deployment(s, "lambda")->serverless.keep_alive.duration_ns, 30 * SIM_NS_PER_S);
    scenario_destroy(s);
}

Test(config_set, addresses_an_unnamed_deployment_by_its_default_name)
{
    const char *sets[] = {"deployments.serverless-2.keep_alive=5m"};
    struct load l = load_file(DATA "minimal.yaml", sets, 1);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->deployments[0].serverless.keep_alive.policy, KEEPALIVE_PLATFORM);
    cr_assert_eq(s->deployments[1].serverless.keep_alive.policy, KEEPALIVE_FIXED);
    cr_assert_eq(s->deployments[1].serverless.keep_alive.duration_ns, 5 * NS_PER_MIN);
    scenario_destroy(s);
}

Test(config_set, flow_mapping_value_replaces_a_distribution)
{
    const char *sets[] = {"model.service={dist: gamma, mean: 200ms, cv: 2}"};
    struct load l = load_file(DATA "full.yaml", sets, 1);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->model.service.kind, DIST_GAMMA);
    cr_assert_float_eq(s->model.service.mean_s, 0.2, 1e-12);
    cr_assert_float_eq(s->model.service.a, 0.25, 1e-12);
    scenario_destroy(s);
}

Test(config_set, later_override_wins)
{
    const char *sets[] = {"workload.rate=1/s", "workload.rate=2/s"};
    struct load l = load_file(DATA "full.yaml", sets, 2);
    struct scenario *s = ok(&l);
    cr_assert_float_eq(s->workload.rate_per_s, 2.0, 1e-12);
    scenario_destroy(s);
}

Test(config_set, creates_a_key_the_file_left_out)
{
    const char *sets[] = {"deployments.serverless-1.concurrency=8", "slo.latency_p99.9=2s",
                          "warmup=10m"};
    struct load l = load_file(DATA "minimal.yaml", sets, 3);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->deployments[0].serverless.concurrency, 8);
    cr_assert_float_eq(s->slo.percentile, 99.9, 1e-12);
    cr_assert_eq(s->slo.latency_ns, 2 * SIM_NS_PER_S);
    cr_assert_eq(s->warmup_ns, 10 * NS_PER_MIN);
    scenario_destroy(s);
}

Test(config_set, empty_value_removes_a_key)
{
    /* onoff -> poisson needs duty_cycle and period gone: they do not apply. */
    const char *sets[] = {"workload.arrival=poisson", "workload.duty_cycle=",
                          "workload.period=~"};
    struct load l = load_file(DATA "full.yaml", sets, 3);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->workload.arrival, ARRIVAL_POISSON);
    cr_assert_eq(s->workload.period_ns, 0);
    scenario_destroy(s);
}

Test(config_set, indexes_sequence_items_from_one)
{
    /* Item 2 in the file is the spike at 1d, first once sorted. */
    const char *sets[] = {"workload.spikes[2].factor=4", "deployments[2].concurrency=3"};
    struct load l = load_file(DATA "full.yaml", sets, 2);
    struct scenario *s = ok(&l);
    cr_assert_eq(s->workload.spikes[0].at_ns, NS_PER_D);
    cr_assert_float_eq(s->workload.spikes[0].factor, 4.0, 1e-12);
    cr_assert_float_eq(s->workload.spikes[1].factor, 8.0, 1e-12);
    cr_assert_eq(find_deployment(s, "warm")->serverless.concurrency, 3);
    scenario_destroy(s);
}

/* ---- errors, with their exact place ---- */

Test(config_errors, unknown_key_suggests_the_nearest_known_key)
{
    struct load l = load_text(BASE "    keep_alvie: 5m\n", NULL, 0);
    fails_at(&l, l.path, 9, 5, "deployments.lambda.keep_alvie",
             "unknown key \"keep_alvie\"; did you mean \"keep_alive\"?");
}

Test(config_errors, platform_limits_are_checked_where_the_value_is)
{
    /* The platform's own rules: an unknown name, Lambda's memory settings and its one
     * request per instance, each reported at the offending value. */
    struct load l = load_text(BASE "    platform: aws-lambada\n", NULL, 0);
    fails_at(&l, l.path, 9, 15, "deployments.lambda.platform",
             "unknown platform \"aws-lambada\"; known: generic, aws-lambda");
    l = load_text(BASE "    platform: aws-lambda\n    memory: 100MiB\n", NULL, 0);
    fails_at(&l, l.path, 10, 13, "deployments.lambda.memory",
             "from 128 to 10240 MiB in steps of 1 MiB; nearest setting 128 MiB");
    l = load_text(BASE "    platform: aws-lambda\n    concurrency: 4\n", NULL, 0);
    fails_at(&l, l.path, 10, 18, "deployments.lambda.concurrency", "at most 1 request");
}

Test(config_errors, unknown_key_far_from_every_key_lists_them)
{
    struct load l = load_text(BASE "colour: red\n", NULL, 0);
    fails_at(&l, l.path, 9, 1, "colour", "unknown key \"colour\"; expected one of: name, seed");
}

Test(config_errors, key_of_a_later_version_is_named_as_such)
{
    struct load l = load_text("duration: 1h\n"
                              "model: {service: 100ms}\n"
                              "workload:\n"
                              "  arrival: mmpp\n"
                              "  rate: 1/s\n"
                              "deployments: [{}]\n",
                              NULL, 0);
    fails_at(&l, l.path, 4, 12, "workload.arrival",
             "arrival \"mmpp\" is not supported in this version");
    l = load_text(BASE "    keep_alive: {policy: fixed, capacity: 1GB}\n", NULL, 0);
    fails_at(&l, l.path, 9, 33, "deployments.lambda.keep_alive.capacity",
             "\"capacity\" does not apply to policy fixed");
}

Test(config_errors, key_of_another_deployment_type_names_the_type)
{
    struct load l = load_text(BASE "    instance: c6i.xlarge\n", NULL, 0);
    fails_at(&l, l.path, 9, 5, "deployments.lambda.instance",
             "\"instance\" is a key of dedicated deployments; this one is serverless");
    l = load_text(BASE "    type: dedicated\n    instance: c6i.xlarge\n    keep_alive: 5m\n", NULL,
                  0);
    fails_at(&l, l.path, 11, 5, "deployments.lambda.keep_alive",
             "\"keep_alive\" is a key of serverless deployments; this one is dedicated");
}

Test(config_errors, fleet_values_are_checked_against_the_catalog)
{
    struct load l = load_text(BASE "    type: dedicated\n    instance: c6i.xxlarge\n", NULL, 0);
    fails_at(&l, l.path, 10, 15, "deployments.lambda.instance",
             "unknown instance type \"c6i.xxlarge\"; known: ");
    l = load_text(BASE "    type: dedicated\n    instance: c6i.xlarge\n    discount: half\n", NULL,
                  0);
    fails_at(&l, l.path, 11, 15, "deployments.lambda.discount", "unknown discount \"half\"");
    l = load_text(BASE "    discount: reserved-1y\n    platform: aws-lambda\n", NULL, 0);
    fails_at(&l, l.path, 9, 15, "deployments.lambda.discount",
             "discount \"reserved-1y\" applies to aws-ec2, not to aws-lambda");
}

Test(config_errors, count_auto_needs_an_slo_and_a_dedicated_fleet)
{
    struct load l = load_text(BASE "    type: dedicated\n    instance: c6i.xlarge\n    count: auto\n",
                              NULL, 0);
    fails_at(&l, l.path, 11, 12, "deployments.lambda.count", "count: auto needs an objective");
    l = load_text(BASE "    type: hybrid\n    base: {instance: c6i.xlarge, count: auto}\n"
                       "    overflow: {platform: aws-lambda}\n"
                       "slo: {latency_p99: 1s}\n",
                  NULL, 0);
    fails_at(&l, l.path, 10, 41, "deployments.lambda.base.count",
             "count: auto is for dedicated deployments");
}

Test(config_errors, a_pricing_file_that_is_not_there)
{
    struct load l = load_text(BASE "pricing: no/such/catalog.yaml\n", NULL, 0);
    fails_at(&l, l.path, 9, 10, "pricing", "cannot open catalog \"no/such/catalog.yaml\"");
}

Test(config_errors, mapping_where_a_duration_is_expected)
{
    struct load l = load_text(BASE "warmup: {minutes: 5}\n", NULL, 0);
    fails_at(&l, l.path, 9, 9, "warmup", "expected a duration, got a mapping");
}

Test(config_errors, scalar_where_a_mapping_is_expected)
{
    struct load l = load_text(BASE "slo: 500ms\n", NULL, 0);
    fails_at(&l, l.path, 9, 6, "slo", "got a scalar");
}

Test(config_errors, fraction_where_a_whole_number_is_expected)
{
    struct load l = load_text(BASE "    concurrency: 1.5\n", NULL, 0);
    fails_at(&l, l.path, 9, 18, "deployments.lambda.concurrency",
             "expected a whole number, got \"1.5\"");

    l = load_text(BASE "seed: 18446744073709551616\n", NULL, 0);
    fails_at(&l, l.path, 9, 7, "seed", "too large");
}

Test(config_errors, out_of_range_value)
{
    struct load l = load_text(BASE "    concurrency: 0\n", NULL, 0);
    fails_at(&l, l.path, 9, 18, "deployments.lambda.concurrency", "must be from 1 to 1000");

    l = load_text(BASE "replications: 10001\n", NULL, 0);
    fails_at(&l, l.path, 9, 15, "replications", "must be from 1 to 10000");

    l = load_text("duration: 1h\n"
                  "model: {service: 1s}\n"
                  "workload:\n"
                  "  arrival: onoff\n"
                  "  rate: 1/s\n"
                  "  duty_cycle: 1.5\n"
                  "  period: 1h\n"
                  "deployments: [{name: a}]\n",
                  NULL, 0);
    fails_at(&l, l.path, 6, 15, "workload.duty_cycle", "duty_cycle must be above 0 and at most 1");
}

Test(config_errors, warmup_must_be_shorter_than_duration)
{
    struct load l = load_text(BASE "warmup: 60m\n", NULL, 0);
    fails_at(&l, l.path, 9, 9, "warmup", "warmup must be shorter than duration");
}

Test(config_errors, bad_unit)
{
    struct load l = load_text(BASE "    memory: 2GBs\n", NULL, 0);
    fails_at(&l, l.path, 9, 13, "deployments.lambda.memory", "expected a size");

    l = load_text(BASE "    keep_alive: 5 parsecs\n", NULL, 0);
    fails_at(&l, l.path, 9, 17, "deployments.lambda.keep_alive", "expected a duration");
}

Test(config_errors, yaml_syntax_error_gives_libyaml_problem_and_mark)
{
    /* `a: b` where a scalar value was expected: the second ':' is at column 16. */
    struct load l = load_text(BASE "    platform: a: b\n", NULL, 0);
    fails_at(&l, l.path, 9, 16, "", "mapping values are not allowed in this context");

    l = load_text("duration: 1h\n"
                  "model: {service: 1s\n"
                  "workload: x\n",
                  NULL, 0);
    fails_at(&l, l.path, 3, 9, "", "did not find expected ',' or '}'");
    cr_assert(strstr(l.err.message, "flow mapping at line 2, column 8"), "%s", l.err.message);
}

/* YAML indents with spaces only (YAML 1.2, section 6.1): a tab there is named as
 * such, at the tab, whether it starts the indentation or follows spaces. */
Test(config_errors, tab_in_indentation_is_named_at_the_tab)
{
    struct load l = load_text(BASE "\tkeep_alive: 1m\n", NULL, 0);
    fails_at(&l, l.path, 9, 1, "", "a tab character in the indentation (YAML allows only spaces)");
    l = load_text(BASE "   \tkeep_alive: 1m\n", NULL, 0);
    fails_at(&l, l.path, 9, 4, "", "a tab character in the indentation");
}

Test(config_errors, missing_required_key_points_at_its_parent)
{
    struct load l = load_text("model:\n"
                              "  service: 1s\n"
                              "workload: {arrival: poisson, rate: 1/s}\n"
                              "deployments: [{name: a}]\n",
                              NULL, 0);
    fails_at(&l, l.path, 1, 1, "duration", "missing required key \"duration\"");

    l = load_text("duration: 1h\n"
                  "model:\n"
                  "  name: resnet\n"
                  "workload: {arrival: poisson, rate: 1/s}\n"
                  "deployments: [{name: a}]\n",
                  NULL, 0);
    fails_at(&l, l.path, 3, 3, "model.service", "missing required key \"service\"");

    l = load_text("duration: 1h\n"
                  "model: {service: 1s}\n"
                  "workload: {arrival: poisson, rate: 1/s}\n"
                  "deployments: []\n",
                  NULL, 0);
    fails_at(&l, l.path, 4, 14, "deployments", "at least one deployment");

    l = load_text("duration: 1h\n"
                  "model: {service: 1s}\n"
                  "workload: {arrival: onoff, rate: 1/s, period: 1h}\n"
                  "deployments: [{name: a}]\n",
                  NULL, 0);
    fails_at(&l, l.path, 3, 11, "workload.duty_cycle", "missing required key \"duty_cycle\"");
}

Test(config_errors, duplicate_deployment_name)
{
    struct load l = load_text(BASE "  - name: lambda\n", NULL, 0);
    fails_at(&l, l.path, 9, 11, "deployments.lambda.name",
             "duplicate deployment name \"lambda\" (deployments[1] has it too)");

    /* The key path names the name, even when type is given after it. */
    l = load_text(BASE "  - name: lambda\n    type: serverless\n", NULL, 0);
    fails_at(&l, l.path, 9, 11, "deployments.lambda.name", "duplicate deployment name");

    /* A default name counts too: the third deployment (line 10) is serverless-3. */
    l = load_text(BASE "  - name: serverless-3\n  - {}\n", NULL, 0);
    fails_at(&l, l.path, 10, 5, "deployments.serverless-3",
             "duplicate deployment name \"serverless-3\" (deployments[2] has it too)");
}

Test(config_errors, duplicate_key_in_one_mapping)
{
    struct load l = load_text(BASE "duration: 2h\n", NULL, 0);
    fails_at(&l, l.path, 9, 1, "duration", "duplicate key \"duration\" (first given at line 1)");
}

Test(config_errors, bad_enum_value_lists_the_accepted_values)
{
    struct load l = load_text(BASE "    idle_pick: oldest\n", NULL, 0);
    fails_at(&l, l.path, 9, 16, "deployments.lambda.idle_pick",
             "unknown idle_pick \"oldest\"; expected one of: mru, newest, lru, random");

    l = load_text(BASE "    on_throttle: queu\n", NULL, 0);
    fails_at(&l, l.path, 9, 18, "deployments.lambda.on_throttle", "did you mean \"queue\"?");
}

Test(config_errors, key_that_does_not_apply)
{
    struct load l = load_text(BASE "    max_wait: 1s\n", NULL, 0);
    fails_at(&l, l.path, 9, 15, "deployments.lambda.max_wait",
             "max_wait applies only with on_throttle: queue");

    l = load_text(BASE "    coldstart: {dist: exponential, mean: 1s, cv: 1}\n", NULL, 0);
    fails_at(&l, l.path, 9, 46, "deployments.lambda.coldstart.cv",
             "\"cv\" does not apply to dist: exponential");
}

Test(config_errors, bad_distribution_parameters_carry_the_reason)
{
    struct load l = load_text(BASE "    coldstart: {dist: lognormal, median: 2s, p99: 1s}\n",
                              NULL, 0);
    fails_at(&l, l.path, 9, 16, "deployments.lambda.coldstart", "bad lognormal distribution: ");
    cr_assert(strstr(l.err.message, "median"), "%s", l.err.message);
}

/* A spike must start inside the simulated time [0, duration): one at or after the
 * end would change nothing. Refused at its `at`, whose value starts at column 20. */
Test(config_errors, spike_at_or_after_the_end_is_refused)
{
    struct load l = load_text("duration: 2h\n"
                              "model: {service: 1s}\n"
                              "workload:\n"
                              "  arrival: poisson\n"
                              "  rate: 1/s\n"
                              "  spikes:\n"
                              "    - {at: 1h, duration: 5m, factor: 2}\n"
                              "    - {at: 2h, duration: 5m, factor: 2}\n"
                              "deployments: [{platform: aws-lambda}]\n",
                              NULL, 0);
    fails_at(&l, l.path, 8, 12, "workload.spikes[2].at",
             "the spike at 2h starts at or after the end of the simulation (duration 2h)");
}

Test(config_errors, overlapping_spikes)
{
    struct load l = load_text("duration: 1d\n"
                              "model: {service: 1s}\n"
                              "workload:\n"
                              "  arrival: poisson\n"
                              "  rate: 1/s\n"
                              "  spikes:\n"
                              "    - {at: 2h, duration: 1h, factor: 2}\n"
                              "    - {at: 1h, duration: 90m, factor: 3}\n"
                              "deployments: [{name: a}]\n",
                              NULL, 0);
    fails_at(&l, l.path, 7, 7, "workload.spikes[1]", "overlaps workload.spikes[2]");
}

Test(config_errors, only_one_latency_objective)
{
    struct load l = load_text(BASE "slo:\n  latency_p99: 1s\n  latency_p50: 100ms\n", NULL, 0);
    fails_at(&l, l.path, 11, 3, "slo.latency_p50", "only one latency objective");
}

Test(config_errors, set_without_equals_sign)
{
    const char *sets[] = {"workload.rate"};
    struct load l = load_file(DATA "full.yaml", sets, 1);
    fails_at(&l, "--set", 1, 14, "workload.rate", "expected key=value");
}

Test(config_errors, set_unknown_deployment_lists_the_known_names)
{
    const char *sets[] = {"deployments.lamda.memory=1GB"};
    struct load l = load_file(DATA "full.yaml", sets, 1);
    fails_at(&l, "--set", 1, 13, "deployments.lamda.memory",
             "no deployment named \"lamda\"; deployments are: lambda, warm");
}

Test(config_errors, set_bad_value_points_into_the_override)
{
    const char *sets[] = {"workload.rate=fast"};
    struct load l = load_file(DATA "full.yaml", sets, 1);
    fails_at(&l, "--set", 1, 15, "workload.rate", "expected a rate");

    const char *sets2[] = {"model.service={dist: gamma, mean: 1s"};
    l = load_file(DATA "full.yaml", sets2, 1);
    fails_at(&l, "--set", 1, 37, "model.service", "YAML syntax error");
}

Test(config_errors, set_unknown_key_suggests_like_the_file)
{
    const char *sets[] = {"deployments.lambda.keepalive=5m"};
    struct load l = load_file(DATA "full.yaml", sets, 1);
    fails_at(&l, "--set", 1, 20, "deployments.lambda.keepalive", "did you mean \"keep_alive\"?");
}

Test(config_errors, missing_file_names_the_path)
{
    const char *path = DATA "no-such-scenario.yaml";
    struct load l = load_file(path, NULL, 0);
    fails_at(&l, path, 0, 0, "", "No such file");
    char buf[1024];
    slsim_error_format(&l.err, buf, sizeof buf);
    cr_assert(strstr(buf, path), "\"%s\" does not name the file", buf);
}

Test(config_errors, empty_name_is_rejected)
{
    struct load l = load_text(BASE "name: \"\"\n", NULL, 0);
    fails_at(&l, l.path, 9, 7, "name", "must not be empty");
}

Test(config_errors, top_level_must_be_a_mapping)
{
    struct load l = load_text("- duration: 1h\n", NULL, 0);
    fails_at(&l, l.path, 1, 1, "", "got a sequence");

    l = load_text("# only a comment\n", NULL, 0);
    fails_at(&l, l.path, 1, 1, "", "got an empty value");
}
