/* cmd_catalog.c - `slsim catalog`: what the pricing catalog holds, and where each
 * number comes from.
 *
 * `list` is the overview a user needs to pick a `platform:`, `instance:` or
 * discount name; `show NAME` prints one entry whole, every price beside its source
 * and date, so a number in a report can be traced back to where it was read. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "base/yaml_get.h" /* cfg_suggest: the did-you-mean every other message uses */
#include "slsim/catalog.h"

static const char catalog_help[] =
    "usage: slsim catalog list [--pricing FILE] [--format text|json]\n"
    "       slsim catalog show NAME [--pricing FILE] [--format text|json]\n"
    "\n"
    "list   the catalog's serverless platforms (billing mode, summary), instance types\n"
    "       (vCPU, memory, GPUs, on-demand $/hour) and discounts, with the catalog's\n"
    "       name and the date it was written.\n"
    "show   one platform, instance type or discount, with every price, limit and\n"
    "       cold-start figure, and the source and date of each price.\n"
    "\n"
    "options:\n"
    "  --pricing FILE   read the catalog FILE instead of the built-in default\n"
    "                   (scenarios/pricing/default.yaml when slsim was built)\n"
    "  --format FORMAT  text (default) or json\n"
    "  -h, --help       this text\n"
    "\n"
    "exit status: 0 done, 1 output failed, 2 bad usage, a bad catalog or an unknown NAME.\n";

/* z of the standard normal's 99th percentile: a lognormal's p99 is exp(mu + z sigma). */
#define Z99 2.3263478740408408

/* ---- formatting ---- */

/* A price in dollars with every digit the catalog gave and no trailing zeros
 * ("0.0000166667", "55.04"): %g would print 1.66667e-05, which nobody compares
 * with a pricing page. */
static void fmt_usd(double usd, char *buf, size_t n)
{
    snprintf(buf, n, "%.12f", usd);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

/* Counts as people write them in pricing pages: "6B", "7.5B", "1M", "400000". */
static void fmt_count(double v, char *buf, size_t n)
{
    if (v >= 1e9)
        snprintf(buf, n, "%gB", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, n, "%gM", v / 1e6);
    else
        snprintf(buf, n, "%g", v);
}

static void fmt_duration(sim_time ns, char *buf, size_t n)
{
    units_format_duration(ns, buf, n);
}

static sim_time seconds_ns(double s)
{
    return (sim_time)llround(s * (double)SIM_NS_PER_S);
}

/* "lognormal, median 300ms, p99 1s (mean 364ms)" */
static void fmt_dist(const struct dist *d, char *buf, size_t n)
{
    char mean[32], a[32], b[32];
    fmt_duration(seconds_ns(dist_mean_s(d)), mean, sizeof mean);
    if (d->kind == DIST_LOGNORMAL) {
        fmt_duration(seconds_ns(exp(d->a)), a, sizeof a);
        fmt_duration(seconds_ns(exp(d->a + Z99 * d->b)), b, sizeof b);
        snprintf(buf, n, "lognormal, median %s, p99 %s (mean %s)", a, b, mean);
    } else {
        snprintf(buf, n, "%s, mean %s", dist_kind_name(d->kind), mean);
    }
}

static void fmt_bandwidth(double bytes_per_s, char *buf, size_t n)
{
    char s[32];
    units_format_size((int64_t)llround(bytes_per_s), s, sizeof s);
    snprintf(buf, n, "%s/s", s);
}

static const char *memory_unit_name(const struct platform_profile *p)
{
    return p->memory_unit_bytes == 1e9 ? "GB" : "GiB";
}

/* ---- text ---- */

static void text_header(FILE *fp, const struct catalog *c)
{
    /* The built-in catalog's path is "(built-in default)", not a file name. */
    if (c->path[0] == '(')
        fprintf(fp, "catalog %s, as of %s %s\n", c->name, c->as_of, c->path);
    else
        fprintf(fp, "catalog %s, as of %s, from %s\n", c->name, c->as_of, c->path);
}

static void text_list(FILE *fp, const struct catalog *c)
{
    char usd[40], mem[32], gpus[80];
    text_header(fp, c);
    fprintf(fp, "\nplatforms\n  %-22s %-9s %s\n", "NAME", "BILLING", "SUMMARY");
    for (size_t i = 0; i < c->n_platforms; i++) {
        const struct platform_profile *p = &c->platforms[i];
        fprintf(fp, "  %-22s %-9s %s\n", p->name, catalog_billing_name(p->billing), p->summary);
    }
    fprintf(fp, "\ninstance types\n  %-16s %-14s %5s %-9s %-16s %s\n", "NAME", "PROVIDER", "VCPU",
            "MEMORY", "GPUS", "$/HOUR");
    for (size_t i = 0; i < c->n_instances; i++) {
        const struct instance_type *t = &c->instances[i];
        units_format_size(t->memory_bytes, mem, sizeof mem);
        fmt_usd(t->hourly.usd, usd, sizeof usd);
        if (t->gpus)
            snprintf(gpus, sizeof gpus, "%u x %s", t->gpus, t->gpu_model);
        else
            snprintf(gpus, sizeof gpus, "-");
        fprintf(fp, "  %-16s %-14s %5g %-9s %-16s %s\n", t->name, t->provider, t->vcpu, mem, gpus,
                usd);
    }
    fprintf(fp, "\ndiscounts\n  %-26s %5s  %s\n", "NAME", "OFF", "APPLIES TO");
    for (size_t i = 0; i < c->n_discounts; i++) {
        const struct discount *d = &c->discounts[i];
        fprintf(fp, "  %-26s %4g%%  %s\n", d->name, d->off * 100,
                d->applies_to[0] ? d->applies_to : "(all)");
    }
}

/* One price: name, amount and unit, then its source and date on the next line. */
static void text_price(FILE *fp, const char *name, const struct price *p, const char *unit)
{
    char usd[40];
    if (!p->set)
        return;
    fmt_usd(p->usd, usd, sizeof usd);
    fprintf(fp, "  %-23s $%s %s\n  %-23s %-10s  %s\n", name, usd, unit, "", p->date, p->source);
}

static void text_platform(FILE *fp, const struct catalog *c, const struct platform_profile *p)
{
    char a[64], b[64], d[160], unit[64];
    fprintf(fp, "platform %s (catalog %s, as of %s)\n", p->name, c->name, c->as_of);
    if (p->summary[0])
        fprintf(fp, "  %s\n", p->summary);
    fmt_duration(p->default_keep_alive_ns, a, sizeof a);
    fprintf(fp, "\nkeep-alive    %s%s%s\n", a, p->keep_alive_note[0] ? ": " : "",
            p->keep_alive_note);

    if (p->has_coldstart) {
        /* Each constant on its own line with its source: "assumed" shows at a glance. */
        fmt_dist(&p->init, d, sizeof d);
        fprintf(fp, "cold start    init %s\n                %s\n", d, p->init_c.source);
        for (size_t i = 0; i < p->n_artifacts; i++) {
            const struct coldstart_artifact *x = &p->artifacts[i];
            fmt_bandwidth(x->fetch_bytes_per_s, a, sizeof a);
            units_format_size(x->max_bytes, b, sizeof b);
            char o[40] = "";
            if (x->overhead_ns) {
                fmt_duration(x->overhead_ns, o + 2, sizeof o - 2);
                memcpy(o, " +", 2);
            }
            fprintf(fp, "              fetch %s: %s%s%s%s\n                %s\n", x->name,
                    x->fetch_bytes_per_s > 0 ? a : "nothing fetched", o,
                    x->max_bytes ? ", models up to " : "", x->max_bytes ? b : "",
                    x->c.source);
        }
        if (p->load_bytes_per_s > 0) {
            fmt_bandwidth(p->load_bytes_per_s, a, sizeof a);
            fprintf(fp, "              load %s\n                %s\n", a, p->load_c.source);
        }
        if (p->init_timeout_ns) {
            fmt_duration(p->init_timeout_ns, a, sizeof a);
            fprintf(fp, "              init timeout %s (retried inside the first invocation)"
                        "\n                %s\n",
                    a, p->init_timeout_c.source);
        }
    } else {
        fprintf(fp, "cold start    none%s (a deployment may set coldstart itself)\n",
                p->coldstart_none ? "" : " given");
    }

    /* Limits the catalog gives, "; "-separated; absent ones are no limit. */
    const char *sep = " ";
    fprintf(fp, "limits       ");
    if (p->memory_min_bytes || p->memory_max_bytes) {
        char settings[400];
        catalog_memory_settings(p, settings, sizeof settings);
        fprintf(fp, "%smemory %s", sep, settings);
        sep = "; ";
    }
    if (p->concurrency_max) {
        fprintf(fp, "%sconcurrency %u per instance", sep, p->concurrency_max);
        sep = "; ";
    }
    if (p->timeout_ns) {
        fmt_duration(p->timeout_ns, a, sizeof a);
        fprintf(fp, "%stimeout %s", sep, a);
        sep = "; ";
    }
    if (p->account_concurrency) {
        fprintf(fp, "%saccount concurrency %u", sep, p->account_concurrency);
        sep = "; ";
    }
    fprintf(fp, "%s\n", sep[0] == ';' ? "" : "none");

    fmt_duration(p->round_ns, a, sizeof a);
    fmt_duration(p->minimum_ns, b, sizeof b);
    fprintf(fp, "billing       mode %s; rounded up to %s; minimum %s; memory unit %s",
            catalog_billing_name(p->billing), a, b, memory_unit_name(p));
    if (p->memory_round_bytes) {
        units_format_size(p->memory_round_bytes, a, sizeof a);
        fprintf(fp, "; memory rounded up to %s", a);
    }
    fprintf(fp, "\n              ");
    if (p->billing == BILLING_INSTANCE)
        fprintf(fp, "instances billed from %s", p->init_billed ? "creation (cold start included)"
                                                                : "ready (cold start not billed)");
    else
        fprintf(fp, "cold start %sbilled", p->init_billed ? "" : "not ");
    if (p->init_max_ns) {
        fmt_duration(p->init_max_ns, a, sizeof a);
        fprintf(fp, " (at most %s)", a);
    }
    if (p->vcpu > 0)
        fprintf(fp, "; %g vCPU per instance", p->vcpu);
    if (p->gpus > 0)
        fprintf(fp, "; %g GPU per instance", p->gpus);
    fputc('\n', fp);
    if (p->provisioned_round_ns) {
        fmt_duration(p->provisioned_round_ns, a, sizeof a);
        fprintf(fp, "              provisioned periods rounded up to %s\n", a);
    }

    fprintf(fp, "\nprices\n");
    snprintf(unit, sizeof unit, "per %s-second", memory_unit_name(p));
    text_price(fp, "request", &p->request, "per request");
    text_price(fp, "gb_s", &p->gb_s, unit);
    for (size_t i = 0; i < p->n_tiers; i++) {
        char name[64], from[32];
        fmt_count(p->tiers[i].from_units_per_month, from, sizeof from);
        snprintf(name, sizeof name, "gb_s over %s/month", from);
        text_price(fp, name, &p->tiers[i].unit, unit);
    }
    text_price(fp, "vcpu_s", &p->vcpu_s, "per vCPU-second");
    text_price(fp, "gpu_s", &p->gpu_s, "per GPU-second");
    text_price(fp, "provisioned_gb_s", &p->provisioned_gb_s, unit);
    text_price(fp, "provisioned_exec_gb_s", &p->provisioned_exec_gb_s, unit);
    text_price(fp, "provisioned_idle_gb_s", &p->provisioned_idle_gb_s, unit);
    text_price(fp, "provisioned_idle_vcpu_s", &p->provisioned_idle_vcpu_s, "per vCPU-second");
    if (!p->request.set && !p->gb_s.set && !p->vcpu_s.set && !p->gpu_s.set)
        fprintf(fp, "  none\n");
    fprintf(fp, "\nkept warm     %s\n", catalog_provisioned_rule_name(p->provisioned_rule));
    if (p->free_source[0]) {
        fmt_count(p->free_requests, a, sizeof a);
        fmt_count(p->free_gb_s, b, sizeof b);
        fmt_count(p->free_vcpu_s, d, sizeof d);
        fprintf(fp, "\nfree tier     %s requests, %s %s-s, %s vCPU-s per month\n", a, b,
                memory_unit_name(p), d);
        if (!p->free_with_provisioned)
            fprintf(fp, "              not with provisioned capacity\n");
        fprintf(fp, "              %s\n", p->free_source);
    }
}

static void text_instance(FILE *fp, const struct catalog *c, const struct instance_type *t)
{
    char mem[32], a[32], b[32];
    fprintf(fp, "instance type %s (catalog %s, as of %s)\n\n", t->name, c->name, c->as_of);
    units_format_size(t->memory_bytes, mem, sizeof mem);
    fprintf(fp, "provider      %s\n", t->provider);
    fprintf(fp, "vCPU          %g\nmemory        %s\n", t->vcpu, mem);
    if (t->gpus)
        fprintf(fp, "GPUs          %u x %s\n", t->gpus, t->gpu_model);
    else
        fprintf(fp, "GPUs          none\n");
    fmt_duration(t->round_ns, a, sizeof a);
    fmt_duration(t->minimum_ns, b, sizeof b);
    fprintf(fp, "billing       rounded up to %s; minimum %s\n", a, b);
    fprintf(fp, "\nprices\n");
    text_price(fp, "hourly", &t->hourly, "per hour, on demand");
    fprintf(fp, "\ndiscounts that apply:");
    int any = 0;
    for (size_t i = 0; i < c->n_discounts; i++)
        if (catalog_discount_applies(&c->discounts[i], t->provider) ||
            catalog_discount_applies(&c->discounts[i], t->name)) {
            fprintf(fp, "%s %s", any ? "," : "", c->discounts[i].name);
            any = 1;
        }
    fprintf(fp, "%s\n", any ? "" : " none");
}

static void text_discount(FILE *fp, const struct catalog *c, const struct discount *d)
{
    fprintf(fp, "discount %s (catalog %s, as of %s)\n\n", d->name, c->name, c->as_of);
    fprintf(fp, "off           %g%% of the on-demand price\n", d->off * 100);
    fprintf(fp, "applies to    %s\n", d->applies_to[0] ? d->applies_to : "(all)");
    fprintf(fp, "date          %s\nsource        %s\n", d->date, d->source);
}

/* ---- JSON ---- */

static cJSON *json_price(const struct price *p)
{
    if (!p->set)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "usd", p->usd);
    cJSON_AddStringToObject(o, "source", p->source);
    cJSON_AddStringToObject(o, "date", p->date);
    return o;
}

/* A limit, or null where the catalog sets none (0 in the struct). */
static void json_limit(cJSON *o, const char *key, double v)
{
    if (v > 0)
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void json_header(cJSON *o, const struct catalog *c)
{
    cJSON_AddStringToObject(o, "catalog", c->name);
    cJSON_AddStringToObject(o, "as_of", c->as_of);
    cJSON_AddStringToObject(o, "path", c->path);
}

/* Fill o with every field of the entry. */
static void json_platform(cJSON *o, const struct platform_profile *p)
{
    cJSON_AddStringToObject(o, "kind", "platform");
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "summary", p->summary);
    cJSON_AddNumberToObject(o, "keep_alive_s", (double)p->default_keep_alive_ns / 1e9);
    cJSON_AddStringToObject(o, "keep_alive_note", p->keep_alive_note);
    if (p->has_coldstart) {
        cJSON *cs = cJSON_AddObjectToObject(o, "coldstart");
        cJSON *init = cJSON_AddObjectToObject(cs, "init");
        cJSON_AddStringToObject(init, "dist", dist_kind_name(p->init.kind));
        cJSON_AddNumberToObject(init, "mean_s", dist_mean_s(&p->init));
        if (p->init.kind == DIST_LOGNORMAL) {
            cJSON_AddNumberToObject(init, "median_s", exp(p->init.a));
            cJSON_AddNumberToObject(init, "p99_s", exp(p->init.a + Z99 * p->init.b));
        }
        cJSON_AddStringToObject(init, "source", p->init_c.source);
        cJSON_AddBoolToObject(init, "assumed", p->init_c.assumed);
        cJSON *arts = cJSON_AddArrayToObject(cs, "artifacts");
        for (size_t i = 0; i < p->n_artifacts; i++) {
            const struct coldstart_artifact *x = &p->artifacts[i];
            cJSON *a = cJSON_CreateObject();
            cJSON_AddStringToObject(a, "name", x->name);
            json_limit(a, "max_bytes", (double)x->max_bytes);
            cJSON_AddNumberToObject(a, "fetch_bytes_per_s", x->fetch_bytes_per_s);
            cJSON_AddNumberToObject(a, "overhead_s", (double)x->overhead_ns / 1e9);
            cJSON_AddStringToObject(a, "source", x->c.source);
            cJSON_AddBoolToObject(a, "assumed", x->c.assumed);
            cJSON_AddItemToArray(arts, a);
        }
        cJSON *load = cJSON_AddObjectToObject(cs, "load");
        cJSON_AddNumberToObject(load, "bytes_per_s", p->load_bytes_per_s);
        if (p->load_bytes_per_s > 0) {
            cJSON_AddStringToObject(load, "source", p->load_c.source);
            cJSON_AddBoolToObject(load, "assumed", p->load_c.assumed);
        }
        if (p->init_timeout_ns) {
            cJSON *t = cJSON_AddObjectToObject(cs, "init_timeout");
            cJSON_AddNumberToObject(t, "s", (double)p->init_timeout_ns / 1e9);
            cJSON_AddStringToObject(t, "source", p->init_timeout_c.source);
            cJSON_AddBoolToObject(t, "assumed", p->init_timeout_c.assumed);
        }
    } else {
        cJSON_AddNullToObject(o, "coldstart");
    }
    cJSON *l = cJSON_AddObjectToObject(o, "limits");
    json_limit(l, "memory_min_bytes", (double)p->memory_min_bytes);
    json_limit(l, "memory_max_bytes", (double)p->memory_max_bytes);
    json_limit(l, "memory_step_bytes", (double)p->memory_step_bytes);
    if (p->n_memory_sizes) {
        cJSON *sizes = cJSON_AddArrayToObject(l, "memory_sizes_bytes");
        for (size_t i = 0; i < p->n_memory_sizes; i++)
            cJSON_AddItemToArray(sizes, cJSON_CreateNumber((double)p->memory_sizes_bytes[i]));
    } else {
        cJSON_AddNullToObject(l, "memory_sizes_bytes");
    }
    json_limit(l, "concurrency", p->concurrency_max);
    json_limit(l, "timeout_s", (double)p->timeout_ns / 1e9);
    json_limit(l, "account_concurrency", p->account_concurrency);
    cJSON *b = cJSON_AddObjectToObject(o, "billing");
    cJSON_AddStringToObject(b, "mode", catalog_billing_name(p->billing));
    cJSON_AddStringToObject(b, "memory_unit", memory_unit_name(p));
    cJSON_AddNumberToObject(b, "memory_unit_bytes", p->memory_unit_bytes);
    cJSON_AddNumberToObject(b, "memory_round_bytes", (double)p->memory_round_bytes);
    cJSON_AddNumberToObject(b, "rounding_s", (double)p->round_ns / 1e9);
    cJSON_AddNumberToObject(b, "minimum_s", (double)p->minimum_ns / 1e9);
    cJSON_AddBoolToObject(b, "init_billed", p->init_billed);
    cJSON_AddNumberToObject(b, "init_max_s", (double)p->init_max_ns / 1e9);
    cJSON_AddNumberToObject(b, "vcpu", p->vcpu);
    cJSON_AddNumberToObject(b, "gpus", p->gpus);
    cJSON_AddItemToObject(b, "request", json_price(&p->request));
    cJSON_AddItemToObject(b, "gb_s", json_price(&p->gb_s));
    cJSON_AddItemToObject(b, "vcpu_s", json_price(&p->vcpu_s));
    cJSON_AddItemToObject(b, "gpu_s", json_price(&p->gpu_s));
    cJSON *tiers = cJSON_AddArrayToObject(b, "tiers");
    for (size_t i = 0; i < p->n_tiers; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddNumberToObject(t, "from", p->tiers[i].from_units_per_month);
        cJSON_AddItemToObject(t, "gb_s", json_price(&p->tiers[i].unit));
        cJSON_AddItemToArray(tiers, t);
    }
    cJSON_AddItemToObject(b, "provisioned_gb_s", json_price(&p->provisioned_gb_s));
    cJSON_AddItemToObject(b, "provisioned_exec_gb_s", json_price(&p->provisioned_exec_gb_s));
    cJSON_AddNumberToObject(b, "provisioned_rounding_s", (double)p->provisioned_round_ns / 1e9);
    cJSON_AddItemToObject(b, "provisioned_idle_gb_s", json_price(&p->provisioned_idle_gb_s));
    cJSON_AddItemToObject(b, "provisioned_idle_vcpu_s", json_price(&p->provisioned_idle_vcpu_s));
    cJSON_AddStringToObject(b, "provisioned_rule",
                            catalog_provisioned_rule_word(p->provisioned_rule));
    if (p->free_source[0]) {
        cJSON *f = cJSON_AddObjectToObject(b, "free");
        cJSON_AddNumberToObject(f, "requests", p->free_requests);
        cJSON_AddNumberToObject(f, "gb_s", p->free_gb_s);
        cJSON_AddNumberToObject(f, "vcpu_s", p->free_vcpu_s);
        cJSON_AddBoolToObject(f, "with_provisioned", p->free_with_provisioned);
        cJSON_AddStringToObject(f, "source", p->free_source);
    } else {
        cJSON_AddNullToObject(b, "free");
    }
}

/* What an instance type is, as both `list` and `show` give it. */
static void json_instance_shape(cJSON *o, const struct instance_type *t)
{
    cJSON_AddStringToObject(o, "name", t->name);
    cJSON_AddStringToObject(o, "provider", t->provider);
    cJSON_AddNumberToObject(o, "vcpu", t->vcpu);
    cJSON_AddNumberToObject(o, "memory_bytes", (double)t->memory_bytes);
    cJSON_AddNumberToObject(o, "gpus", t->gpus);
    cJSON_AddStringToObject(o, "gpu_model", t->gpu_model);
}

/* Fill o with every field of the entry. */
static void json_instance(cJSON *o, const struct instance_type *t)
{
    cJSON_AddStringToObject(o, "kind", "instance");
    json_instance_shape(o, t);
    cJSON_AddItemToObject(o, "hourly", json_price(&t->hourly));
    cJSON_AddNumberToObject(o, "rounding_s", (double)t->round_ns / 1e9);
    cJSON_AddNumberToObject(o, "minimum_s", (double)t->minimum_ns / 1e9);
}

/* Fill o with every field of the entry. */
static void json_discount(cJSON *o, const struct discount *d)
{
    cJSON_AddStringToObject(o, "kind", "discount");
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddNumberToObject(o, "off", d->off);
    cJSON_AddStringToObject(o, "applies_to", d->applies_to);
    cJSON_AddStringToObject(o, "source", d->source);
    cJSON_AddStringToObject(o, "date", d->date);
}

/* One entry of `catalog list --format json` per item, filled by the list's entry. */
static void list_platform(cJSON *e, const struct catalog *c, size_t i)
{
    const struct platform_profile *p = &c->platforms[i];
    cJSON_AddStringToObject(e, "name", p->name);
    cJSON_AddStringToObject(e, "billing", catalog_billing_name(p->billing));
    cJSON_AddStringToObject(e, "summary", p->summary);
}

static void list_instance(cJSON *e, const struct catalog *c, size_t i)
{
    const struct instance_type *t = &c->instances[i];
    json_instance_shape(e, t);
    cJSON_AddNumberToObject(e, "usd_per_hour", t->hourly.usd);
}

static void list_discount(cJSON *e, const struct catalog *c, size_t i)
{
    const struct discount *d = &c->discounts[i];
    cJSON_AddStringToObject(e, "name", d->name);
    cJSON_AddNumberToObject(e, "off", d->off);
    cJSON_AddStringToObject(e, "applies_to", d->applies_to);
}

static const struct {
    const char *key; /* the array's key */
    size_t count_at; /* of its item count in struct catalog */
    void (*entry)(cJSON *e, const struct catalog *c, size_t i);
} json_lists[] = {
    {"platforms", offsetof(struct catalog, n_platforms), list_platform},
    {"instances", offsetof(struct catalog, n_instances), list_instance},
    {"discounts", offsetof(struct catalog, n_discounts), list_discount},
};

static cJSON *json_list(const struct catalog *c)
{
    cJSON *o = cJSON_CreateObject();
    json_header(o, c);
    for (size_t k = 0; k < sizeof json_lists / sizeof *json_lists; k++) {
        cJSON *a = cJSON_AddArrayToObject(o, json_lists[k].key);
        size_t n = *(const size_t *)((const char *)c + json_lists[k].count_at);
        for (size_t i = 0; i < n; i++) {
            cJSON *e = cJSON_CreateObject();
            json_lists[k].entry(e, c, i);
            cJSON_AddItemToArray(a, e);
        }
    }
    return o;
}

/* Print o (consumed) on stdout; EXIT_RUN when it cannot be formatted or written. */
static int json_print(cJSON *o)
{
    char *s = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!s) {
        fprintf(stderr, "slsim: out of memory formatting JSON\n");
        return EXIT_RUN;
    }
    int bad = fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF;
    free(s);
    return bad ? EXIT_RUN : EXIT_OK;
}

/* ---- the command ---- */

/* "no ... named NAME", with a suggestion among all names and the known ones. */
static int unknown_name(const struct catalog *c, const char *name)
{
    size_t n = c->n_platforms + c->n_instances + c->n_discounts, k = 0;
    const char **all = calloc(n + 1, sizeof *all);
    if (!all) {
        fprintf(stderr, "slsim: out of memory\n");
        return EXIT_RUN;
    }
    for (size_t i = 0; i < c->n_platforms; i++)
        all[k++] = c->platforms[i].name;
    for (size_t i = 0; i < c->n_instances; i++)
        all[k++] = c->instances[i].name;
    for (size_t i = 0; i < c->n_discounts; i++)
        all[k++] = c->discounts[i].name;
    const char *s = cfg_suggest(name, all);
    free(all);
    char buf[4096];
    fprintf(stderr, "slsim catalog: no platform, instance type or discount named \"%s\" in "
                    "catalog %s",
            name, c->name);
    if (s)
        fprintf(stderr, "; did you mean \"%s\"?", s);
    catalog_platform_names(c, buf, sizeof buf);
    fprintf(stderr, "\nknown platforms: %s\n", buf);
    catalog_instance_names(c, buf, sizeof buf);
    fprintf(stderr, "known instance types: %s\n", buf);
    catalog_discount_names(c, buf, sizeof buf);
    fprintf(stderr, "known discounts: %s\n", buf);
    return EXIT_USAGE;
}

static int show(const struct catalog *c, const char *name, int json)
{
    const struct platform_profile *p = catalog_find_platform(c, name);
    const struct instance_type *t = p ? NULL : catalog_find_instance(c, name);
    const struct discount *d = p || t ? NULL : catalog_find_discount(c, name);
    if (!p && !t && !d)
        return unknown_name(c, name);
    if (json) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            json_header(o, c);
            if (p)
                json_platform(o, p);
            else if (t)
                json_instance(o, t);
            else
                json_discount(o, d);
        }
        return json_print(o);
    }
    if (p)
        text_platform(stdout, c, p);
    else if (t)
        text_instance(stdout, c, t);
    else
        text_discount(stdout, c, d);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUN;
}

static int cmd_catalog(int argc, char **argv)
{
    const char *sub = NULL, *name = NULL, *pricing = NULL, *format = "text";
    int rc, quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(catalog_help, stdout);
            return EXIT_OK;
        } else if ((rc = cli_option(argc, argv, &i, "--pricing", &pricing, "catalog")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--format", &format, "catalog")) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
        } else if (cli_progress_option(a, &quiet, &quiet)) {
            continue; /* accepted like everywhere; nothing here runs long */
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("catalog", "unknown option %s", a);
        } else if (!sub) {
            sub = a;
        } else if (!name && strcmp(sub, "show") == 0) {
            name = a;
        } else {
            return cli_usage_error("catalog", "unexpected argument \"%s\"", a);
        }
    }
    if (!sub)
        return cli_usage_error("catalog", "missing what to do: list or show NAME");
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0)
        return cli_usage_error("catalog", "unknown subcommand \"%s\"; expected list or show", sub);
    if (strcmp(sub, "show") == 0 && !name)
        return cli_usage_error("catalog", "show needs a NAME (see 'slsim catalog list')");
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0)
        return cli_usage_error("catalog", "unknown format \"%s\"; expected text or json", format);

    struct catalog *c = NULL;
    struct slsim_error err;
    if ((pricing ? catalog_load_file(pricing, &c, &err) : catalog_load_default(&c, &err)) != 0) {
        cli_report_error(&err);
        return EXIT_USAGE;
    }
    if (name)
        rc = show(c, name, json);
    else if (json)
        rc = json_print(json_list(c));
    else {
        text_list(stdout, c);
        rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_RUN;
    }
    catalog_destroy(c);
    return rc;
}

const struct command cmd_catalog_entry = {
    "catalog", cmd_catalog, "list the pricing catalog, or show one entry with its sources",
    catalog_help,
};
