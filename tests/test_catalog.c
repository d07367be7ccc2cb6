/* test_catalog.c - the pricing catalog: the built-in default against the published
 * prices it cites, the loader's errors, lookups, and `slsim catalog` as users meet it.
 *
 * Error cases are inline text through catalog_parse, HEAD plus a line or two, so
 * the expected line and column can be read off the text right above the assertion.
 * Prices are compared with == against the literal the catalog holds: both go
 * through strtod, so they are the same double. */
#include "cli_helpers.h"
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "slsim/catalog.h"

#define MS SIM_NS_PER_MS
#define S SIM_NS_PER_S
#define MIB (1LL << 20)
#define GIB (1LL << 30)
#define SRC "inline.yaml"

/* A valid catalog of 9 lines whose only platform is `p`; tests append billing keys
 * of p from line 10 on (6 spaces in), or whole new sections at column 1. */
#define HEAD                                                                                   \
    "catalog: t\n"             /* 1 */                                                         \
    "as_of: 2026-11-27\n"      /* 2 */                                                         \
    "platforms:\n"             /* 3 */                                                         \
    "  - name: p\n"            /* 4 */                                                         \
    "    keep_alive: 10m\n"    /* 5 */                                                         \
    "    billing:\n"           /* 6 */                                                         \
    "      mode: request\n"    /* 7 */                                                         \
    "      rounding: 1ms\n"    /* 8 */                                                         \
    "      memory_unit: GiB\n" /* 9 */

#define GB_S "      gb_s: {usd: 0.00001, source: \"s\", date: 2026-01-01}\n"

static struct catalog *parse_ok(const char *text)
{
    struct catalog *c = NULL;
    struct slsim_error err;
    int rc = catalog_parse(text, strlen(text), SRC, &c, &err);
    cr_assert_eq(rc, 0, "catalog did not parse: %d:%d %s: %s", err.line, err.column, err.key,
                 err.message);
    cr_assert_not_null(c);
    return c;
}

static struct slsim_error parse_err(const char *text)
{
    struct catalog *c = (struct catalog *)&c; /* must come back NULL */
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    int rc = catalog_parse(text, strlen(text), SRC, &c, &err);
    cr_assert_eq(rc, -1, "expected an error");
    cr_assert_null(c, "*out must be NULL on failure");
    cr_assert_str_eq(err.file, SRC);
    return err;
}

/* err is at line:column, key, and its message contains want. */
static void expect_at(struct slsim_error e, int line, int column, const char *key,
                      const char *want)
{
    cr_expect_eq(e.line, line, "line %d, want %d (%s)", e.line, line, e.message);
    cr_expect_eq(e.column, column, "column %d, want %d (%s)", e.column, column, e.message);
    cr_expect_str_eq(e.key, key, "(%s)", e.message);
    cr_expect(strstr(e.message, want), "message \"%s\" lacks \"%s\"", e.message, want);
}

static struct catalog *load_default(void)
{
    struct catalog *c = NULL;
    struct slsim_error err;
    int rc = catalog_load_default(&c, &err);
    cr_assert_eq(rc, 0, "default catalog: %d:%d %s: %s", err.line, err.column, err.key,
                 err.message);
    return c;
}

static const struct platform_profile *platform(const struct catalog *c, const char *name)
{
    const struct platform_profile *p = catalog_find_platform(c, name);
    cr_assert_not_null(p, "no platform %s", name);
    return p;
}

static const struct instance_type *instance(const struct catalog *c, const char *name)
{
    const struct instance_type *t = catalog_find_instance(c, name);
    cr_assert_not_null(t, "no instance type %s", name);
    return t;
}

static const struct discount *discount(const struct catalog *c, const char *name)
{
    const struct discount *d = catalog_find_discount(c, name);
    cr_assert_not_null(d, "no discount %s", name);
    return d;
}

/* ---- the default catalog ---- */

Test(catalog, default_loads_with_every_required_entry)
{
    struct catalog *c = load_default();
    cr_expect_str_eq(c->name, "default");
    cr_expect_str_eq(c->as_of, "2026-11-27");
    cr_expect_str_eq(c->path, "(built-in default)");
    static const char *const platforms[] = {
        "generic",         "aws-lambda",      "aws-lambda-arm64",   "sagemaker-serverless",
        "cloud-run",       "cloud-run-instance", "cloud-run-gpu-l4", "azure-functions",
        "azure-functions-flex", "modal-t4",   "modal-l4",           "modal-a10",
        "modal-a100-80gb", "modal-h100",      "runpod-l4",          "runpod-a100-80gb",
        "runpod-h100",     NULL};
    for (size_t i = 0; platforms[i]; i++)
        platform(c, platforms[i]);
    static const char *const instances[] = {"c6i.xlarge",   "m6i.xlarge",  "g4dn.xlarge",
                                            "g5.xlarge",    "g6.xlarge",   "p4d.24xlarge",
                                            "p5.48xlarge",  "ml.m5.large", "ml.g5.xlarge",
                                            NULL};
    for (size_t i = 0; instances[i]; i++)
        instance(c, instances[i]);
    static const char *const discounts[] = {"reserved-1y", "reserved-3y", "savings-plan-compute",
                                            "savings-plan-lambda", "spot", NULL};
    for (size_t i = 0; discounts[i]; i++)
        discount(c, discounts[i]);
    catalog_destroy(c);
}

Test(catalog, default_lambda_matches_facts)
{
    struct catalog *c = load_default();
    const struct platform_profile *p = platform(c, "aws-lambda");
    cr_expect_eq(p->billing, BILLING_REQUEST);
    cr_expect(p->request.set);
    cr_expect_eq(p->request.usd, 0.0000002); /* $0.20 per 1M */
    cr_expect_eq(p->gb_s.usd, 0.0000166667);
    cr_expect_str_eq(p->gb_s.date, "2026-03-07");
    cr_expect_eq(p->memory_unit_bytes, 1073741824.0);
    cr_expect_eq(p->round_ns, 1 * MS);
    cr_expect_eq(p->minimum_ns, 0);
    cr_expect_eq(p->init_billed, 1);
    cr_expect_eq(p->init_max_ns, 10 * S);
    cr_assert_eq(p->n_tiers, 2);
    cr_expect_eq(p->tiers[0].from_units_per_month, 6e9);
    cr_expect_eq(p->tiers[0].unit.usd, 0.000015);
    cr_expect_eq(p->tiers[1].from_units_per_month, 15e9);
    cr_expect_eq(p->tiers[1].unit.usd, 0.000013334);
    cr_expect_eq(p->provisioned_gb_s.usd, 0.0000041667);
    cr_expect_eq(p->provisioned_exec_gb_s.usd, 0.0000097222);
    cr_expect_eq(p->provisioned_round_ns, 5 * 60 * S);
    cr_expect_eq(p->free_requests, 1e6);
    cr_expect_eq(p->free_gb_s, 400000);
    cr_expect_eq(p->memory_min_bytes, 128 * MIB);
    cr_expect_eq(p->memory_max_bytes, 10240 * MIB);
    cr_expect_eq(p->concurrency_max, 1);
    cr_expect_eq(p->timeout_ns, 900 * S);
    cr_expect_eq(p->account_concurrency, 1000);
    cr_expect_eq(p->default_keep_alive_ns, 10 * 60 * S);
    cr_expect(strstr(p->keep_alive_note, "not published"));
    cr_assert(p->has_coldstart);
    cr_expect_eq(p->init.kind, DIST_LOGNORMAL);
    cr_expect_float_eq(exp(p->init.a), 0.300, 1e-9); /* median 300 ms */
    cr_expect_str_eq(p->artifacts[0].name, "zip");
    cr_expect_eq(p->artifacts[0].max_bytes, 250000000);
    cr_expect_eq(p->artifacts[0].fetch_bytes_per_s, 100e6);
    cr_expect_str_eq(p->artifacts[1].name, "image");
    cr_expect_eq(p->artifacts[1].max_bytes, 10 * GIB);
    cr_expect_eq(p->artifacts[1].fetch_bytes_per_s, 250e6);
    cr_expect_str_eq(p->artifacts[2].name, "s3");
    cr_expect_eq(p->artifacts[2].max_bytes, 0, "the last way holds any size");
    cr_expect_eq(p->load_bytes_per_s, 500e6);
    cr_expect_eq(p->init_timeout_ns, 10 * S);
    cr_expect_not(p->init_c.assumed, "init: edjgeek.com");
    cr_expect(p->load_c.assumed);
    cr_expect_not(p->init_timeout_c.assumed, "init_timeout: AWS docs");

    const struct platform_profile *arm = platform(c, "aws-lambda-arm64");
    cr_expect_eq(arm->gb_s.usd, 0.0000133334);
    cr_assert_eq(arm->n_tiers, 2);
    cr_expect_eq(arm->tiers[0].from_units_per_month, 7.5e9);
    cr_expect_eq(arm->tiers[1].unit.usd, 0.0000106667);
    cr_expect_not(arm->provisioned_exec_gb_s.set, "arm64 PC duration was not found");
    catalog_destroy(c);
}

Test(catalog, default_other_serverless_platforms_match_facts)
{
    struct catalog *c = load_default();
    const struct platform_profile *p = platform(c, "sagemaker-serverless");
    cr_expect_eq(p->gb_s.usd, 0.00002);
    cr_expect_eq(p->round_ns, 1 * MS);
    cr_expect_eq(p->memory_min_bytes, 1024 * MIB);
    cr_expect_eq(p->memory_max_bytes, 6144 * MIB);
    cr_expect_eq(p->concurrency_max, 1);
    cr_expect_not(p->provisioned_gb_s.set, "the SageMaker PC rate was not found");

    p = platform(c, "cloud-run");
    cr_expect_eq(p->billing, BILLING_BUSY);
    cr_expect_eq(p->round_ns, 100 * MS);
    cr_expect_eq(p->request.usd, 0.0000004);
    cr_expect_eq(p->vcpu_s.usd, 0.000024);
    cr_expect_eq(p->gb_s.usd, 0.0000025);
    cr_expect_eq(p->memory_unit_bytes, 1073741824.0);
    cr_expect_eq(p->vcpu, 1);
    cr_expect_eq(p->concurrency_max, 1000);
    cr_expect_eq(p->memory_min_bytes, 128 * MIB, "1 vCPU: 128 MiB to 4 GiB");
    cr_expect_eq(p->memory_max_bytes, 4 * GIB);

    p = platform(c, "cloud-run-instance");
    cr_expect_eq(p->billing, BILLING_INSTANCE);
    cr_expect_eq(p->vcpu_s.usd, 0.000018);
    cr_expect_eq(p->gb_s.usd, 0.000002);
    cr_expect_not(p->request.set);

    p = platform(c, "cloud-run-gpu-l4");
    cr_expect_eq(p->billing, BILLING_INSTANCE);
    cr_expect_eq(p->gpu_s.usd, 0.0001867);
    cr_expect_eq(p->gpus, 1);
    cr_expect_eq(p->vcpu, 4);
    cr_expect_eq(p->memory_min_bytes, 16 * GIB);
    cr_expect_eq(p->memory_max_bytes, 16 * GIB, "4 vCPU allow at most 16 GiB");
    cr_expect_float_eq(exp(p->init.a), 5.0, 1e-9);

    p = platform(c, "azure-functions");
    cr_expect_eq(p->request.usd, 0.0000002);
    cr_expect_eq(p->gb_s.usd, 0.000016);
    cr_expect_eq(p->memory_round_bytes, 128 * MIB);
    cr_expect_eq(p->memory_max_bytes, 1536 * MIB);
    cr_expect_eq(p->round_ns, 1 * MS);
    cr_expect_eq(p->minimum_ns, 100 * MS);
    cr_expect(strstr(p->gb_s.source, "NOT read"), "the assumed rounding must say so");

    p = platform(c, "azure-functions-flex");
    cr_expect_eq(p->request.usd, 0.0000004);
    cr_expect_eq(p->gb_s.usd, 0.000026);
    cr_expect_eq(p->minimum_ns, 1000 * MS);
    cr_expect_eq(p->round_ns, 100 * MS);
    cr_expect_eq(p->memory_min_bytes, 512 * MIB);
    cr_expect_eq(p->memory_max_bytes, 4096 * MIB);

    static const struct {
        const char *name;
        double gpu_s;
    } gpu[] = {{"modal-t4", 0.000164},       {"modal-l4", 0.000222},
               {"modal-a10", 0.000306},      {"modal-a100-80gb", 0.000694},
               {"modal-h100", 0.001097},     {"runpod-l4", 0.00019},
               {"runpod-a100-80gb", 0.00076}, {"runpod-h100", 0.00116}};
    for (size_t i = 0; i < sizeof gpu / sizeof gpu[0]; i++) {
        p = platform(c, gpu[i].name);
        cr_expect_eq(p->billing, BILLING_INSTANCE, "%s", gpu[i].name);
        cr_expect_eq(p->gpu_s.usd, gpu[i].gpu_s, "%s", gpu[i].name);
        cr_expect_eq(p->gpus, 1, "%s", gpu[i].name);
        cr_expect_eq(p->round_ns, 1 * S, "%s", gpu[i].name);
        cr_expect(p->has_coldstart, "%s", gpu[i].name);
        if (strncmp(gpu[i].name, "modal", 5) == 0) {
            cr_expect_eq(p->vcpu_s.usd, 0.0000131, "%s", gpu[i].name);
            cr_expect_eq(p->gb_s.usd, 0.00000222, "%s", gpu[i].name);
            cr_expect_eq(p->vcpu, 1, "%s", gpu[i].name);
        } else {
            cr_expect_eq(p->init_billed, 0, "%s: Initializing not billed since 2026-06-29",
                         gpu[i].name);
            cr_expect_eq(p->default_keep_alive_ns, 5 * S, "%s", gpu[i].name);
        }
    }

    p = platform(c, "generic");
    cr_expect_not(p->request.set || p->gb_s.set || p->vcpu_s.set || p->gpu_s.set);
    cr_expect_not(p->has_coldstart);
    cr_expect(p->coldstart_none, "generic says `coldstart: none` on purpose");
    cr_expect_eq(p->concurrency_max, 0, "generic has no limits");
    catalog_destroy(c);
}

Test(catalog, default_instances_and_discounts_match_facts)
{
    struct catalog *c = load_default();
    const struct instance_type *t = instance(c, "g5.xlarge");
    cr_expect_eq(t->hourly.usd, 1.006);
    cr_expect_str_eq(t->hourly.date, "2026-08-17");
    cr_expect_str_eq(t->provider, "aws-ec2");
    cr_expect_eq(t->gpus, 1);
    cr_expect_str_eq(t->gpu_model, "A10G"); /* the accelerator's name in accelerators: */
    cr_expect_eq(t->vcpu, 4);
    cr_expect_eq(t->memory_bytes, 16 * GIB);
    cr_expect_eq(instance(c, "p5.48xlarge")->hourly.usd, 55.04);
    cr_expect_eq(instance(c, "p5.48xlarge")->gpus, 8);
    cr_expect_eq(instance(c, "p4d.24xlarge")->hourly.usd, 21.957642);
    cr_expect_eq(instance(c, "c6i.xlarge")->hourly.usd, 0.17);
    cr_expect_eq(instance(c, "m6i.xlarge")->hourly.usd, 0.192);
    cr_expect_eq(instance(c, "g4dn.xlarge")->hourly.usd, 0.526);
    cr_expect_eq(instance(c, "g6.xlarge")->hourly.usd, 0.8048);
    cr_expect_eq(instance(c, "ml.m5.large")->hourly.usd, 0.115);
    cr_expect_str_eq(instance(c, "ml.m5.large")->provider, "aws-sagemaker");
    cr_expect_eq(instance(c, "ml.g5.xlarge")->hourly.usd, 1.408);
    for (size_t i = 0; i < c->n_instances; i++) {
        t = &c->instances[i];
        cr_expect_eq(t->round_ns, 1 * S, "%s", t->name);
        if (strcmp(t->provider, "aws-ec2") == 0)
            cr_expect_eq(t->minimum_ns, 60 * S, "%s: EC2 Linux bills at least 60 s", t->name);
    }
    cr_expect_eq(discount(c, "reserved-1y")->off, 0.35);
    cr_expect_eq(discount(c, "reserved-3y")->off, 0.54);
    cr_expect_eq(discount(c, "savings-plan-compute")->off, 0.66);
    cr_expect(strstr(discount(c, "savings-plan-compute")->source, "MAXIMUM"));
    cr_expect_eq(discount(c, "savings-plan-lambda")->off, 0.17);
    cr_expect_eq(discount(c, "spot")->off, 0.70);
    catalog_destroy(c);
}

static void expect_sourced(const struct price *p, const char *what)
{
    if (!p->set)
        return;
    cr_expect(p->source[0], "%s has no source", what);
    cr_expect(strlen(p->date) >= 4, "%s has no date", what);
    cr_expect(p->usd >= 0, "%s is negative", what);
}

Test(catalog, every_default_price_has_a_source_and_date)
{
    struct catalog *c = load_default();
    size_t prices = 0;
    for (size_t i = 0; i < c->n_platforms; i++) {
        const struct platform_profile *p = &c->platforms[i];
        const struct {
            const struct price *price;
            const char *name;
        } all[] = {{&p->request, "request"},
                   {&p->gb_s, "gb_s"},
                   {&p->vcpu_s, "vcpu_s"},
                   {&p->gpu_s, "gpu_s"},
                   {&p->provisioned_gb_s, "provisioned_gb_s"},
                   {&p->provisioned_exec_gb_s, "provisioned_exec_gb_s"}};
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
            char what[128];
            snprintf(what, sizeof what, "%s.%s", p->name, all[k].name);
            expect_sourced(all[k].price, what);
            prices += all[k].price->set;
        }
        for (size_t k = 0; k < p->n_tiers; k++) {
            cr_expect(p->tiers[k].unit.set);
            expect_sourced(&p->tiers[k].unit, p->name);
            prices++;
        }
        if (p->has_coldstart) {
            cr_expect(p->init_c.source[0], "%s: init without a source", p->name);
            if (p->load_bytes_per_s > 0)
                cr_expect(p->load_c.source[0], "%s: load without a source", p->name);
            for (size_t k = 0; k < p->n_artifacts; k++)
                cr_expect(p->artifacts[k].c.source[0], "%s: artifact without a source",
                          p->name);
        }
        if (p->free_requests > 0 || p->free_gb_s > 0 || p->free_vcpu_s > 0)
            cr_expect(p->free_source[0], "%s: free tier without a source", p->name);
        if (strcmp(p->name, "generic") != 0)
            cr_expect(p->request.set || p->gb_s.set || p->vcpu_s.set || p->gpu_s.set,
                      "%s has no price", p->name);
    }
    for (size_t i = 0; i < c->n_instances; i++) {
        cr_expect(c->instances[i].hourly.set, "%s has no hourly price", c->instances[i].name);
        expect_sourced(&c->instances[i].hourly, c->instances[i].name);
        prices++;
    }
    for (size_t i = 0; i < c->n_discounts; i++) {
        cr_expect(c->discounts[i].source[0], "%s has no source", c->discounts[i].name);
        cr_expect(strlen(c->discounts[i].date) >= 4, "%s has no date", c->discounts[i].name);
    }
    cr_expect_gt(prices, 40);
    catalog_destroy(c);
}

/* ---- errors ---- */

Test(catalog, negative_price_is_refused_at_its_value)
{
    struct slsim_error e =
        parse_err(HEAD "      gb_s: {usd: -0.1, source: \"s\", date: 2026-01-01}\n");
    /* line 10, column 19: the -0.1 */
    expect_at(e, 10, 19, "platforms.p.billing.gb_s.usd", "cannot be negative");
}

Test(catalog, price_without_source_or_date_names_the_price)
{
    struct slsim_error e = parse_err(HEAD "      gb_s: {usd: 0.00001, date: 2026-01-01}\n");
    /* line 10, column 13: the price mapping's "{" */
    expect_at(e, 10, 13, "platforms.p.billing.gb_s", "no source");

    e = parse_err(HEAD GB_S
                  "      request:\n"          /* 11 */
                  "        usd: 0.0000002\n"  /* 12 */
                  "        source: \"page\"\n" /* 13 */);
    expect_at(e, 12, 9, "platforms.p.billing.request", "no date");

    /* A source that states no date gets the date it was read, never "n.d.". */
    e = parse_err(HEAD "      gb_s: {usd: 0.00001, source: \"s\", date: n.d.}\n");
    expect_at(e, 10, 47, "platforms.p.billing.gb_s.date", "YYYY-MM-DD, YYYY-MM or YYYY");
    e = parse_err(HEAD "      gb_s: {usd: 0.00001, source: \"\", date: 2026}\n");
    expect_at(e, 10, 36, "platforms.p.billing.gb_s.source", "must not be empty");
    /* A price newer than the catalog cannot have been read when it was written. */
    e = parse_err(HEAD "      gb_s: {usd: 0.00001, source: \"s\", date: 2027-01}\n");
    expect_at(e, 10, 47, "platforms.p.billing.gb_s.date", "after the catalog's as_of");
    /* A bare number is not a price. */
    e = parse_err(HEAD "      gb_s: 0.00001\n");
    expect_at(e, 10, 13, "platforms.p.billing.gb_s", "expected a price");
}

/* The missing key is reported where the mapping that lacks it begins (line 2, after
 * the comment), as the scenario loader reports a missing key. */
Test(catalog, catalog_without_as_of_names_its_mapping)
{
    struct slsim_error e = parse_err("# a catalog\n"
                                     "catalog: t\n"
                                     "platforms: []\n");
    cr_expect_eq(e.line, 2);
    cr_expect_eq(e.column, 1);
    cr_expect_str_eq(e.key, "as_of");
    cr_expect(strstr(e.message, "missing required key \"as_of\""), "%s", e.message);
    e = parse_err("as_of: 2026-11\n");
    expect_at(e, 1, 8, "as_of", "YYYY-MM-DD");
}

Test(catalog, unknown_key_suggests_the_nearest)
{
    struct slsim_error e = parse_err(HEAD GB_S "      initbilled: true\n");
    expect_at(e, 11, 7, "platforms.p.billing.initbilled", "did you mean \"init_billed\"?");
    e = parse_err(HEAD GB_S "  - name: q\n"
                            "    keep_alvie: 10m\n" /* 12 */);
    expect_at(e, 12, 5, "platforms.q.keep_alvie", "did you mean \"keep_alive\"?");
    e = parse_err(HEAD GB_S "instance:\n" /* 11 */);
    expect_at(e, 11, 1, "instance", "did you mean \"instances\"?");
    e = parse_err(HEAD "      gb_s: {usd: 0.00001, source: \"s\", date: 2026-01-01, comment: x}\n");
    expect_at(e, 10, 59, "platforms.p.billing.gb_s.comment", "expected one of: usd, source, date");
}

Test(catalog, unknown_billing_mode_lists_the_valid_ones)
{
    struct slsim_error e = parse_err("as_of: 2026-11-27\n"
                                     "platforms:\n"
                                     "  - name: p\n"
                                     "    keep_alive: 10m\n"
                                     "    billing: {mode: per-second, rounding: 1s}\n");
    expect_at(e, 5, 21, "platforms.p.billing.mode", "expected one of: request, busy, instance");
    cr_expect(strstr(e.message, "unknown billing mode \"per-second\""), "%s", e.message);
}

Test(catalog, duplicate_names_are_refused)
{
    struct slsim_error e = parse_err(HEAD GB_S
                                     "  - name: p\n" /* 11 */
                                     "    keep_alive: 1m\n"
                                     "    billing: {mode: busy, rounding: 1s}\n");
    expect_at(e, 11, 11, "platforms.p.name", "duplicate platform name \"p\" (platforms[1]");
    /* Across lists too: `slsim catalog show p` must know which one is meant. */
    e = parse_err(HEAD GB_S
                  "discounts:\n"
                  "  - {name: p, off: 0.1, source: s, date: 2026}\n" /* 12 */);
    expect_at(e, 12, 12, "discounts.p.name", "platforms[1] has it too");
}

/* The settable memory sizes of each platform, as its provider publishes them. */
Test(catalog, default_memory_settings_are_the_providers)
{
    struct catalog *c = load_default();
    const struct platform_profile *p = platform(c, "aws-lambda");
    /* 128 to 10,240 MB in 1 MB steps, Lambda's MB being MiB */
    cr_expect_eq(p->memory_step_bytes, 1 * MIB);
    cr_expect_str_eq(p->memory_written_in, "MiB");
    cr_expect(catalog_memory_is_setting(p, 2048 * MIB));
    cr_expect(catalog_memory_is_setting(p, 1769 * MIB));
    cr_expect_not(catalog_memory_is_setting(p, 2048000000), "2048MB is 1953.125 MiB");
    cr_expect_not(catalog_memory_is_setting(p, 127 * MIB));
    cr_expect_not(catalog_memory_is_setting(p, 10241 * MIB));
    cr_expect_eq(platform(c, "aws-lambda-arm64")->memory_step_bytes, 1 * MIB);

    /* SageMaker Serverless: 1024 ... 6144 in 1024 steps */
    p = platform(c, "sagemaker-serverless");
    cr_expect_eq(p->memory_step_bytes, 1024 * MIB);
    for (long long m = 1024; m <= 6144; m += 1024)
        cr_expect(catalog_memory_is_setting(p, m * MIB), "%lld MiB", m);
    cr_expect_not(catalog_memory_is_setting(p, 1536 * MIB));

    /* Azure Flex: 512, 2048, 4096 only */
    p = platform(c, "azure-functions-flex");
    cr_assert_eq(p->n_memory_sizes, 3);
    cr_expect_eq(p->memory_sizes_bytes[0], 512 * MIB);
    cr_expect_eq(p->memory_sizes_bytes[1], 2048 * MIB);
    cr_expect_eq(p->memory_sizes_bytes[2], 4096 * MIB);
    cr_expect_not(catalog_memory_is_setting(p, 1024 * MIB));

    /* Cloud Run at 1 vCPU: any size from 128 MiB to 4 GiB; with the L4 GPU, 16 GiB */
    p = platform(c, "cloud-run");
    cr_expect_eq(p->memory_step_bytes, 0, "no step is published");
    cr_expect(catalog_memory_is_setting(p, 2000000000), "2GB is a Cloud Run quantity");
    cr_expect_not(catalog_memory_is_setting(p, 8 * GIB), "8 GiB needs 2 vCPU");
    cr_expect_eq(platform(c, "cloud-run-instance")->memory_max_bytes, 4 * GIB);
    p = platform(c, "cloud-run-gpu-l4");
    cr_assert_eq(p->n_memory_sizes, 1);
    cr_expect(catalog_memory_is_setting(p, 16 * GIB));
    cr_expect_not(catalog_memory_is_setting(p, 32 * GIB));

    /* Azure Consumption has no memory setting: anything up to 1.5 GiB */
    p = platform(c, "azure-functions");
    cr_expect(catalog_memory_is_setting(p, 1000 * 1000 * 1000));
    cr_expect_not(catalog_memory_is_setting(p, 1537 * MIB));
    /* No limits: every size */
    cr_expect(catalog_memory_is_setting(platform(c, "generic"), 123456789));
    cr_expect(catalog_memory_is_setting(platform(c, "runpod-l4"), 123456789));
    catalog_destroy(c);
}

/* Nearest settings, rounding up, and the message a refused size gets. */
Test(catalog, memory_settings_nearest_round_up_and_message)
{
    struct catalog *c = load_default();
    const struct platform_profile *p = platform(c, "sagemaker-serverless");
    int64_t lo, hi;
    char why[512], set[256];
    catalog_memory_nearest(p, 1536 * MIB, &lo, &hi);
    cr_expect_eq(lo, 1024 * MIB);
    cr_expect_eq(hi, 2048 * MIB);
    /* rounding up: 1537 MiB needs the 2048 setting; below min gives min, above max max */
    cr_expect_eq(catalog_memory_round_up(p, 1537 * MIB), 2048 * MIB);
    cr_expect_eq(catalog_memory_round_up(p, 2048 * MIB), 2048 * MIB);
    cr_expect_eq(catalog_memory_round_up(p, 100 * MIB), 1024 * MIB);
    cr_expect_eq(catalog_memory_round_up(p, 8192 * MIB), 6144 * MIB);
    cr_expect_eq(catalog_memory_round_up(platform(c, "azure-functions-flex"), 600 * MIB),
                 2048 * MIB);
    cr_expect_eq(catalog_memory_round_up(platform(c, "aws-lambda"), 2048000000),
                 1954 * MIB, "1953.125 MiB rounds up to 1954 MiB");
    cr_expect_eq(catalog_memory_round_up(platform(c, "generic"), 12345), 12345);

    catalog_memory_settings(p, set, sizeof set);
    cr_expect_str_eq(set, "from 1024 to 6144 MiB in steps of 1024 MiB");
    catalog_memory_settings(platform(c, "azure-functions-flex"), set, sizeof set);
    cr_expect_str_eq(set, "512, 2048 or 4096 MiB");
    catalog_memory_settings(platform(c, "cloud-run-gpu-l4"), set, sizeof set);
    cr_expect_str_eq(set, "16 GiB only");
    catalog_memory_settings(platform(c, "azure-functions"), set, sizeof set);
    cr_expect_str_eq(set, "any size up to 1536 MiB");

    cr_expect_eq(catalog_check_memory(p, 2048 * MIB, "2GiB", why, sizeof why), 0);
    cr_assert_eq(catalog_check_memory(p, 1536 * MIB, "1536MiB", why, sizeof why), -1);
    cr_expect_str_eq(why, "1536MiB is not a memory setting; sagemaker-serverless is set in MiB, "
                          "from 1024 to 6144 MiB in steps of 1024 MiB; nearest settings 1024 "
                          "and 2048 MiB");
    /* 2048MB = 2.048e9 bytes = 1953.125 MiB; 2048 MiB is a setting */
    p = platform(c, "aws-lambda");
    cr_assert_eq(catalog_check_memory(p, 2048000000, "2048MB", why, sizeof why), -1);
    cr_expect_str_eq(why, "2048MB is 1953.125 MiB, not a memory setting; aws-lambda is set in "
                          "MiB, from 128 to 10240 MiB in steps of 1 MiB; nearest settings 1953 "
                          "and 1954 MiB; did you mean 2048MiB?");
    /* 2GB: its binary twin 2GiB is the setting to suggest */
    cr_assert_eq(catalog_check_memory(p, 2000000000, "2GB", why, sizeof why), -1);
    cr_expect(strstr(why, "did you mean 2GiB?"), "%s", why);
    /* blanks as units.c allows them: the size is not restated, the hint has none */
    cr_assert_eq(catalog_check_memory(platform(c, "sagemaker-serverless"), 1536 * MIB,
                                      " 1536 MiB ", why, sizeof why), -1);
    cr_expect(strncmp(why, "1536 MiB is not a memory setting;", 33) == 0, "%s", why);
    cr_assert_eq(catalog_check_memory(p, 2048000000, "2048 MB", why, sizeof why), -1);
    cr_expect(strstr(why, "2048 MB is 1953.125 MiB") && strstr(why, "did you mean 2048MiB?"),
              "%s", why);
    /* no twin that is a setting: no suggestion */
    cr_assert_eq(catalog_check_memory(p, 100 * MIB, "100MiB", why, sizeof why), -1);
    cr_expect(strstr(why, "nearest setting 128 MiB") && !strstr(why, "did you mean"), "%s", why);
    catalog_destroy(c);
}

/* The loader refuses memory settings that cannot be meant, at the offending key. */
Test(catalog, memory_setting_keys_are_checked)
{
    struct slsim_error e;
#define LIMITS HEAD GB_S "    limits:\n" /* line 11; keys from line 12 */
    e = parse_err(LIMITS "      memory_min: 128MiB\n"
                         "      memory_max: 1000MiB\n"
                         "      memory_step: 64MiB\n");
    expect_at(e, 14, 20, "platforms.p.limits.memory_step", "does not divide");
    e = parse_err(LIMITS "      memory_max: 1000MiB\n"
                         "      memory_step: 1MiB\n");
    expect_at(e, 13, 20, "platforms.p.limits.memory_step", "needs memory_min and memory_max");
    e = parse_err(LIMITS "      memory_min: 128MiB\n"
                         "      memory_max: 1024MiB\n"
                         "      memory_step: 0MiB\n");
    expect_at(e, 14, 20, "platforms.p.limits.memory_step", "above 0");
    e = parse_err(LIMITS "      memory_sizes: [512MiB, 4096MiB, 2048MiB]\n");
    expect_at(e, 12, 39, "platforms.p.limits.memory_sizes[3]", "ascending");
    e = parse_err(LIMITS "      memory_sizes: [512MiB, 512MiB]\n");
    expect_at(e, 12, 30, "platforms.p.limits.memory_sizes[2]", "ascending");
    e = parse_err(LIMITS "      memory_sizes: []\n");
    expect_at(e, 12, 21, "platforms.p.limits.memory_sizes", "expected a list of sizes");
    e = parse_err(LIMITS "      memory_max: 4GiB\n"
                         "      memory_sizes: [1GiB, 4GiB]\n");
    expect_at(e, 12, 19, "platforms.p.limits.memory_max", "memory_sizes lists every setting");
    e = parse_err(LIMITS "      memory_written_in: Mi\n");
    expect_at(e, 12, 26, "platforms.p.limits.memory_written_in", "MiB");
    struct catalog *c = parse_ok(LIMITS "      memory_sizes: [1GiB, 4GiB]\n"
                                        "      memory_written_in: GiB\n");
    cr_expect_eq(c->platforms[0].memory_min_bytes, GIB, "min and max follow from the list");
    cr_expect_eq(c->platforms[0].memory_max_bytes, 4 * GIB);
    cr_expect_eq(c->platforms[0].memory_written_bytes, (double)GIB);
    catalog_destroy(c);
#undef LIMITS
}

Test(catalog, billing_keys_that_would_do_nothing_are_refused)
{
    struct slsim_error e;
    /* vcpu_s priced but no vCPU billed */
    e = parse_err(HEAD "      vcpu_s: {usd: 0.00002, source: s, date: 2026}\n");
    expect_at(e, 10, 15, "platforms.p.billing.vcpu_s", "set billing.vcpu");
    /* a per-GB price must say which GB */
    e = parse_err("as_of: 2026-11-27\n"
                  "platforms:\n"
                  "  - name: p\n"
                  "    keep_alive: 10m\n"
                  "    billing:\n" /* 5 */
                  "      mode: request\n"
                  "      rounding: 1ms\n" GB_S);
    expect_at(e, 6, 7, "platforms.p.billing", "memory_unit");
    /* tiers ascending, above 0 */
    e = parse_err(HEAD GB_S "      tiers:\n"
                            "        - {from: 6e9, gb_s: {usd: 0.000009, source: s, date: 2026}}\n"
                            "        - {from: 5e9, gb_s: {usd: 0.000008, source: s, date: 2026}}"
                            "\n" /* 13 */);
    expect_at(e, 13, 18, "platforms.p.billing.tiers[2].from", "ascending");
    /* only generic may have no price */
    e = parse_err(HEAD);
    expect_at(e, 7, 7, "platforms.p.billing", "every platform but generic");
    struct catalog *c = parse_ok("as_of: 2026-11-27\n"
                                 "platforms:\n"
                                 "  - {name: generic, keep_alive: 10m, "
                                 "billing: {mode: request, rounding: 1ms}}\n");
    cr_expect_eq(c->n_platforms, 1);
    cr_expect_eq(c->platforms[0].memory_unit_bytes, 1073741824.0, "never 0");
    catalog_destroy(c);
}

Test(catalog, kept_warm_rule_follows_the_billing_block)
{
    /* The built-in platforms: Lambda's provisioned concurrency and Flex's
     * always-ready are allocations; Cloud Run request-based min instances pay an
     * idle rate; instance-billed platforms bill kept-warm instances as instances;
     * SageMaker Serverless and Azure Consumption have no sourced price. */
    struct catalog *c = load_default();
    static const struct { const char *name; enum provisioned_rule rule; } want[] = {
        {"generic", PROVISIONED_UNPRICED},
        {"aws-lambda", PROVISIONED_ALLOCATION},
        {"aws-lambda-arm64", PROVISIONED_ALLOCATION},
        {"azure-functions-flex", PROVISIONED_ALLOCATION},
        {"cloud-run", PROVISIONED_IDLE_RATE},
        {"cloud-run-instance", PROVISIONED_INSTANCE},
        {"cloud-run-gpu-l4", PROVISIONED_INSTANCE},
        {"modal-h100", PROVISIONED_INSTANCE},
        {"runpod-l4", PROVISIONED_INSTANCE},
        {"sagemaker-serverless", PROVISIONED_NONE},
        {"azure-functions", PROVISIONED_NONE},
    };
    char why[512];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct platform_profile *p = catalog_find_platform(c, want[i].name);
        cr_assert_not_null(p, "%s", want[i].name);
        cr_expect_eq(p->provisioned_rule, want[i].rule, "%s", want[i].name);
    }
    cr_expect_eq(catalog_check_provisioned(catalog_find_platform(c, "aws-lambda"), why,
                                           sizeof why), 0);
    cr_expect_eq(catalog_check_provisioned(catalog_find_platform(c, "sagemaker-serverless"),
                                           why, sizeof why), -1);
    cr_expect(strstr(why, "sagemaker-serverless") && strstr(why, "provisioned_gb_s"), "%s", why);
    cr_expect_eq(catalog_check_provisioned(catalog_find_platform(c, "aws-lambda-arm64"), why,
                                           sizeof why), -1);
    cr_expect(strstr(why, "provisioned_exec_gb_s"), "%s", why);
    cr_expect_eq(catalog_find_platform(c, "aws-lambda")->free_with_provisioned, 0);
    cr_expect_eq(catalog_find_platform(c, "cloud-run")->free_with_provisioned, 1);
    catalog_destroy(c);
    /* An idle rate is a busy-mode price; an allocation price means nothing on an
     * instance-billed platform. */
    struct slsim_error e;
    e = parse_err(HEAD GB_S "      provisioned_idle_gb_s: {usd: 0.000001, source: s, date: 2026}\n");
    expect_at(e, 11, 30, "platforms.p.billing.provisioned_idle_gb_s", "busy");
    e = parse_err("as_of: 2026-11-27\n"
                  "platforms:\n"
                  "  - name: p\n"
                  "    keep_alive: 10m\n"
                  "    billing:\n" /* 5 */
                  "      mode: instance\n"
                  "      rounding: 1s\n"
                  "      memory_unit: GiB\n" GB_S
                  "      provisioned_gb_s: {usd: 0.000001, source: s, date: 2026}\n" /* 10 */);
    expect_at(e, 10, 25, "platforms.p.billing.provisioned_gb_s", "instance");
}

Test(catalog, instance_and_discount_errors)
{
    struct slsim_error e;
    e = parse_err("as_of: 2026-11-27\n"
                  "instances:\n"
                  "  - name: box\n"
                  "    provider: x\n"
                  "    vcpu: 2\n"
                  "    memory: 4GiB\n"
                  "    gpus: 1\n" /* 7 */
                  "    hourly: {usd: 1, source: s, date: 2026}\n"
                  "    rounding: 1s\n");
    expect_at(e, 3, 5, "instances.box.gpu_model", "missing required key \"gpu_model\"");
    e = parse_err("as_of: 2026-11-27\n"
                  "discounts:\n"
                  "  - {name: all, off: 1, source: s, date: 2026}\n");
    expect_at(e, 3, 22, "discounts.all.off", "not including) 1");
}

/* ---- lookups ---- */

Test(catalog, lookups_and_name_lists)
{
    struct catalog *c = load_default();
    cr_expect_str_eq(catalog_find_platform(c, "aws-lambda")->name, "aws-lambda");
    cr_expect_null(catalog_find_platform(c, "g5.xlarge"));
    cr_expect_null(catalog_find_platform(c, "aws-lamda"));
    cr_expect_str_eq(catalog_find_instance(c, "g5.xlarge")->name, "g5.xlarge");
    cr_expect_null(catalog_find_instance(c, "spot"));
    cr_expect_str_eq(catalog_find_discount(c, "spot")->name, "spot");
    cr_expect_null(catalog_find_discount(c, "aws-lambda"));

    char buf[4096];
    catalog_platform_names(c, buf, sizeof buf);
    cr_expect(strncmp(buf, "generic, aws-lambda, aws-lambda-arm64, ", 39) == 0, "%s", buf);
    cr_expect(strstr(buf, ", runpod-h100"), "%s", buf);
    catalog_instance_names(c, buf, sizeof buf);
    cr_expect(strncmp(buf, "c6i.xlarge, m6i.xlarge", 22) == 0, "%s", buf);
    catalog_discount_names(c, buf, sizeof buf);
    cr_expect(strstr(buf, "reserved-1y, reserved-3y"), "%s", buf);
    char small[12];
    catalog_platform_names(c, small, sizeof small);
    cr_expect_str_eq(small, "generic, aw", "truncated to the buffer");

    cr_expect_str_eq(catalog_billing_name(BILLING_REQUEST), "request");
    cr_expect_str_eq(catalog_billing_name(BILLING_BUSY), "busy");
    cr_expect_str_eq(catalog_billing_name(BILLING_INSTANCE), "instance");
    catalog_destroy(c);
}

Test(catalog, discount_applies_to)
{
    struct catalog *c = load_default();
    const struct discount *sp = discount(c, "savings-plan-lambda");
    cr_expect(catalog_discount_applies(sp, "aws-lambda"));
    cr_expect(catalog_discount_applies(sp, "aws-lambda-arm64"));
    cr_expect_not(catalog_discount_applies(sp, "aws-ec2"));
    cr_expect_not(catalog_discount_applies(sp, "aws-lambd"), "whole names only");
    cr_expect(catalog_discount_applies(discount(c, "spot"), "aws-ec2"));
    cr_expect_not(catalog_discount_applies(discount(c, "spot"), "aws-sagemaker"));
    catalog_destroy(c);

    c = parse_ok("as_of: 2026-11-27\n"
                 "discounts:\n"
                 "  - {name: all, off: 0.1, source: s, date: 2026}\n"
                 "  - {name: two, off: 0.2, applies_to: \" a , b.c \", source: s, date: 2026}\n");
    cr_expect(catalog_discount_applies(discount(c, "all"), "anything"));
    cr_expect(catalog_discount_applies(discount(c, "two"), "a"));
    cr_expect(catalog_discount_applies(discount(c, "two"), "b.c"));
    cr_expect_not(catalog_discount_applies(discount(c, "two"), "b"));
    catalog_destroy(c);
}

/* ---- cold-start profiles ---- */

/* Every platform of the built-in catalog has a size-driven cold start (a load or a
 * fetch bandwidth), except generic, which says `coldstart: none` on purpose. */
Test(catalog, every_builtin_platform_has_a_size_driven_coldstart)
{
    struct catalog *c = load_default();
    size_t none = 0;
    for (size_t i = 0; i < c->n_platforms; i++) {
        const struct platform_profile *p = &c->platforms[i];
        if (p->coldstart_none) {
            cr_expect_str_eq(p->name, "generic", "only generic may start at once");
            none++;
            continue;
        }
        cr_expect(p->has_coldstart, "%s has no cold-start profile", p->name);
        int sized = p->load_bytes_per_s > 0;
        for (size_t k = 0; k < p->n_artifacts; k++)
            sized |= p->artifacts[k].fetch_bytes_per_s > 0;
        cr_expect(sized, "%s: the cold start does not grow with the model size", p->name);
    }
    cr_expect_eq(none, 1);
    static const char *const were_silent[] = {"cloud-run", "cloud-run-instance",
                                              "azure-functions", "azure-functions-flex", NULL};
    for (size_t i = 0; were_silent[i]; i++)
        cr_expect(platform(c, were_silent[i])->has_coldstart, "%s", were_silent[i]);
    catalog_destroy(c);
}

/* The built-in catalog refuses a platform that is silent about its cold start; a
 * user's catalog may be silent (its reports then name the profile "none"). */
Test(catalog, builtin_refuses_a_platform_without_coldstart)
{
    const char *text = HEAD GB_S;
    struct catalog *c = (struct catalog *)&c;
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(catalog_parse_builtin(text, strlen(text), SRC, &c, &err), -1);
    cr_expect_null(c);
    expect_at(err, 4, 5, "platforms.p", "has no coldstart");
    c = parse_ok(text);
    cr_expect_not(platform(c, "p")->has_coldstart);
    cr_expect_not(platform(c, "p")->coldstart_none);
    catalog_destroy(c);
    text = HEAD GB_S "    coldstart: none\n";
    cr_assert_eq(catalog_parse_builtin(text, strlen(text), SRC, &c, &err), 0, "%s", err.message);
    cr_expect(platform(c, "p")->coldstart_none);
    catalog_destroy(c);
}

/* Each constant carries its source or "assumed"; the loader checks both ways. */
Test(catalog, coldstart_constants_each_need_a_source)
{
    struct catalog *c = parse_ok(HEAD GB_S
                                 "    coldstart:\n"                               /* 11 */
                                 "      init: 1s\n"                               /* 12 */
                                 "      load_bandwidth: 1GB/s\n"                  /* 13 */
                                 "      init_timeout: 10s\n"                      /* 14 */
                                 "      artifacts:\n"                             /* 15 */
                                 "        - {name: zip, max: 250MB, fetch_bandwidth: 50MB/s, "
                                 "source: \"Assumed, nobody says\"}\n"            /* 16 */
                                 "        - {name: s3, fetch_bandwidth: 80MB/s, source: "
                                 "\"a paper (2023)\"}\n"                          /* 17 */
                                 "      sources:\n"                               /* 18 */
                                 "        init: \"docs, read 2026-11-30\"\n"      /* 19 */
                                 "        load_bandwidth: \"assumed: as x\"\n"    /* 20 */
                                 "        init_timeout: \"assumed\"\n");          /* 21 */
    const struct platform_profile *p = platform(c, "p");
    cr_expect_not(p->init_c.assumed);
    cr_expect(p->load_c.assumed);
    cr_expect(p->init_timeout_c.assumed);
    cr_expect(p->artifacts[0].c.assumed, "\"Assumed\" in any case");
    cr_expect_not(p->artifacts[1].c.assumed);
    cr_expect_eq(p->artifacts[0].max_bytes, 250000000);
    cr_expect_eq(p->init_timeout_ns, 10 * S);
    catalog_destroy(c);

    /* A constant without a source: the error is at `sources:`. */
    expect_at(parse_err(HEAD GB_S "    coldstart:\n"
                                  "      init: 1s\n"
                                  "      load_bandwidth: 1GB/s\n"
                                  "      sources: {init: assumed}\n"),
              14, 16, "platforms.p.coldstart.sources", "load_bandwidth has no source");
    /* A source for a constant the profile does not give. */
    expect_at(parse_err(HEAD GB_S "    coldstart:\n"
                                  "      init: 1s\n"
                                  "      sources: {init: assumed, fetch_bandwidth: assumed}\n"),
              13, 49, "platforms.p.coldstart.sources.fetch_bandwidth", "does not give");
    /* A cited source must say when. */
    expect_at(parse_err(HEAD GB_S "    coldstart:\n"
                                  "      init: 1s\n"
                                  "      sources: {init: \"some blog\"}\n"),
              13, 23, "platforms.p.coldstart.sources.init", "year or date");
    /* No sources at all. */
    expect_at(parse_err(HEAD GB_S "    coldstart:\n"
                                  "      init: 1s\n"),
              12, 7, "platforms.p.coldstart.sources", "missing required key");
    /* Artifacts by size, ascending. */
    expect_at(parse_err(HEAD GB_S "    coldstart:\n"
                                  "      init: 1s\n"
                                  "      artifacts:\n"
                                  "        - {name: a, max: 1GB, source: assumed}\n"
                                  "        - {name: b, max: 1MB, source: assumed}\n"
                                  "      sources: {init: assumed}\n"),
              15, 26, "platforms.p.coldstart.artifacts[2].max", "ascending");
    /* fetch_bandwidth and artifacts say the same thing twice. */
    expect_at(parse_err(HEAD GB_S "    coldstart:\n"
                                  "      init: 1s\n"
                                  "      fetch_bandwidth: 1GB/s\n"
                                  "      artifacts: [{name: a, source: assumed}]\n"
                                  "      sources: {init: assumed, fetch_bandwidth: assumed}\n"),
              14, 18, "platforms.p.coldstart.artifacts", "not both");
}

Test(catalog, load_file_reads_a_teams_catalog)
{
    struct catalog *c = NULL;
    struct slsim_error err;
    int rc = catalog_load_file("tests/data/catalog/team.yaml", &c, &err);
    cr_assert_eq(rc, 0, "%s:%d:%d %s: %s", err.file, err.line, err.column, err.key, err.message);
    cr_expect_str_eq(c->name, "acme-negotiated");
    cr_expect_str_eq(c->as_of, "2026-10-15");
    cr_expect_str_eq(c->path, "tests/data/catalog/team.yaml");
    const struct platform_profile *p = platform(c, "acme-lambda");
    cr_expect_eq(p->request.usd, 0.00000015);
    cr_expect_str_eq(p->request.date, "2026-01");
    cr_expect_eq(p->default_keep_alive_ns, 15 * 60 * S);
    cr_expect_eq(p->init.kind, DIST_LOGNORMAL);
    cr_expect_float_eq(p->init.mean_s, 0.4, 1e-12);
    cr_expect_eq(p->n_artifacts, 1, "a lone fetch_bandwidth: one way for every size");
    cr_expect_eq(p->artifacts[0].max_bytes, 0);
    cr_expect_eq(p->artifacts[0].fetch_bytes_per_s, 250e6);
    cr_expect_not(p->artifacts[0].c.assumed, "their own measurement");
    cr_expect(p->init_c.assumed);
    cr_expect_eq(p->load_bytes_per_s, 0, "not given: not part of the model");
    cr_expect_eq(p->account_concurrency, 5000);
    cr_expect_eq(instance(c, "g5.xlarge")->hourly.usd, 0.80);
    cr_expect_str_eq(instance(c, "g5.xlarge")->hourly.date, "2026");
    cr_expect(catalog_discount_applies(discount(c, "enterprise"), "aws-ec2"));
    catalog_destroy(c);

    c = (struct catalog *)&c;
    rc = catalog_load_file("tests/data/catalog/no-such-file.yaml", &c, &err);
    cr_expect_eq(rc, -1);
    cr_expect_null(c);
    cr_expect_str_eq(err.file, "tests/data/catalog/no-such-file.yaml");
}

/* ---- the command line ---- */


Test(catalog_cli, list_shows_every_kind_with_the_date, .timeout = 30)
{
    struct outcome o = run("catalog list");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_expect(strstr(o.out, "catalog default, as of 2026-11-27"), "%s", o.out);
    cr_expect(strstr(o.out, "aws-lambda "), "%s", o.out);
    cr_expect(strstr(o.out, "cloud-run "), "%s", o.out);
    cr_expect(strstr(o.out, " busy "), "%s", o.out);
    cr_expect(strstr(o.out, "p5.48xlarge"), "%s", o.out);
    cr_expect(strstr(o.out, "55.04"), "%s", o.out);
    cr_expect(strstr(o.out, "savings-plan-lambda"), "%s", o.out);
    cr_expect_str_empty(o.err);
    outcome_free(&o);

    o = run("catalog list --format json");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cJSON *j = cJSON_Parse(o.out);
    cr_assert_not_null(j, "not JSON: %s", o.out);
    cr_expect_str_eq(cJSON_GetObjectItem(j, "as_of")->valuestring, "2026-11-27");
    cJSON *inst = cJSON_GetObjectItem(j, "instances");
    cr_assert(cJSON_IsArray(inst));
    int found = 0;
    cJSON *it;
    cJSON_ArrayForEach(it, inst)
    {
        if (strcmp(cJSON_GetObjectItem(it, "name")->valuestring, "g5.xlarge") == 0) {
            cr_expect_eq(cJSON_GetObjectItem(it, "usd_per_hour")->valuedouble, 1.006);
            found = 1;
        }
    }
    cr_expect(found, "g5.xlarge not in the JSON list");
    cJSON_Delete(j);
    outcome_free(&o);
}

Test(catalog_cli, show_prints_every_price_with_source_and_date, .timeout = 30)
{
    struct outcome o = run("catalog show aws-lambda");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_expect(strstr(o.out, "platform aws-lambda"), "%s", o.out);
    cr_expect(strstr(o.out, "$0.0000002 per request"), "%s", o.out);
    cr_expect(strstr(o.out, "$0.0000166667 per GiB-second"), "%s", o.out);
    cr_expect(strstr(o.out, "2026-03-07"), "%s", o.out);
    cr_expect(strstr(o.out, "cached-prices.md"), "%s", o.out);
    cr_expect(strstr(o.out, "$0.0000041667"), "provisioned rate: %s", o.out);
    outcome_free(&o);

    o = run("catalog show p5.48xlarge --format json");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cJSON *j = cJSON_Parse(o.out);
    cr_assert_not_null(j, "not JSON: %s", o.out);
    cJSON *hourly = cJSON_GetObjectItem(j, "hourly");
    cr_expect_eq(cJSON_GetObjectItem(hourly, "usd")->valuedouble, 55.04);
    cr_expect_str_eq(cJSON_GetObjectItem(hourly, "date")->valuestring, "2026-11-09");
    cr_expect_eq(cJSON_GetObjectItem(j, "minimum_s")->valuedouble, 60);
    cJSON_Delete(j);
    outcome_free(&o);

    o = run("catalog show enterprise --pricing tests/data/catalog/team.yaml");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_expect(strstr(o.out, "discount enterprise (catalog acme-negotiated"), "%s", o.out);
    outcome_free(&o);
}

Test(catalog_cli, unknown_name_and_bad_usage_exit_2, .timeout = 30)
{
    struct outcome o = run("catalog show nope");
    cr_expect_eq(o.status, 2);
    cr_expect(strstr(o.err, "\"nope\""), "%s", o.err);
    cr_expect(strstr(o.err, "known platforms: generic, aws-lambda"), "%s", o.err);
    cr_expect(strstr(o.err, "known instance types: c6i.xlarge"), "%s", o.err);
    cr_expect_str_empty(o.out);
    outcome_free(&o);

    o = run("catalog show aws-lamda");
    cr_expect_eq(o.status, 2);
    cr_expect(strstr(o.err, "did you mean \"aws-lambda\"?"), "%s", o.err);
    outcome_free(&o);

    static const char *const bad[] = {"catalog", "catalog lst", "catalog show",
                                      "catalog list --format xml", "catalog list --bogus",
                                      "catalog list --pricing tests/data/catalog/missing.yaml"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = run(bad[i]);
        cr_expect_eq(o.status, 2, "%s: exit %d, stderr: %s", bad[i], o.status, o.err);
        cr_expect(o.err[0], "%s: no message", bad[i]);
        outcome_free(&o);
    }

    o = run("catalog --help");
    cr_expect_eq(o.status, 0);
    cr_expect(strstr(o.out, "usage: slsim catalog list"), "%s", o.out);
    outcome_free(&o);
}
