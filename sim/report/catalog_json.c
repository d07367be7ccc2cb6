/* catalog_json.c - `slsim catalog` as JSON: the overview of a catalog, its
 * accelerators alone, and one entry with every field, each price as {usd, source,
 * date} or null. Figures are in base units (bytes, bytes/s, FLOP/s). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "writers.h"

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

/* A random cold-start stage (init, engine) as o[key]: its distribution, mean (and
 * median and p99 for a lognormal), source and whether it is assumed. */
static void json_stage_dist(cJSON *o, const char *key, const struct dist *d,
                            const struct coldstart_constant *c)
{
    cJSON *s = cJSON_AddObjectToObject(o, key);
    cJSON_AddStringToObject(s, "dist", dist_kind_name(d->kind));
    cJSON_AddNumberToObject(s, "mean_s", dist_mean_s(d));
    if (d->kind == DIST_LOGNORMAL) {
        cJSON_AddNumberToObject(s, "median_s", exp(d->a));
        cJSON_AddNumberToObject(s, "p99_s", exp(d->a + REPORT_Z99 * d->b));
    }
    cJSON_AddStringToObject(s, "source", c->source);
    cJSON_AddBoolToObject(s, "assumed", c->assumed);
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
    if (p->scale_out_delay_note[0]) { /* only where the catalog states one */
        cJSON_AddNumberToObject(o, "scale_out_delay_s", (double)p->scale_out_delay_ns / 1e9);
        cJSON_AddStringToObject(o, "scale_out_delay_note", p->scale_out_delay_note);
    }
    if (p->has_coldstart) {
        cJSON *cs = cJSON_AddObjectToObject(o, "coldstart");
        json_stage_dist(cs, "init", &p->init, &p->init_c);
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
        /* The GPU stages appear only where a profile gives them. */
        if (p->copy_bytes_per_s > 0) {
            cJSON *copy = cJSON_AddObjectToObject(cs, "copy");
            cJSON_AddNumberToObject(copy, "bytes_per_s", p->copy_bytes_per_s);
            cJSON_AddStringToObject(copy, "source", p->copy_c.source);
            cJSON_AddBoolToObject(copy, "assumed", p->copy_c.assumed);
        }
        if (p->has_engine)
            json_stage_dist(cs, "engine", &p->engine, &p->engine_c);
        if (p->has_llm_engine)
            json_stage_dist(cs, "llm_engine", &p->llm_engine, &p->llm_engine_c);
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
    json_limit(l, "unreserved_concurrency_min", p->unreserved_concurrency_min);
    cJSON *b = cJSON_AddObjectToObject(o, "billing");
    cJSON_AddStringToObject(b, "mode", catalog_billing_name(p->billing));
    cJSON_AddStringToObject(b, "memory_unit", report_memory_unit(p));
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
    if (p->hardware_source[0]) {
        cJSON *h = cJSON_AddObjectToObject(o, "hardware");
        json_limit(h, "vcpus", p->vcpus);
        json_limit(h, "memory_per_vcpu_bytes", (double)p->memory_per_vcpu_bytes);
        if (p->accelerator[0])
            cJSON_AddStringToObject(h, "accelerator", p->accelerator);
        else
            cJSON_AddNullToObject(h, "accelerator");
        cJSON_AddNumberToObject(h, "accelerators", p->accelerators);
        cJSON_AddStringToObject(h, "source", p->hardware_source);
    } else {
        cJSON_AddNullToObject(o, "hardware");
    }
    if (p->scale_cpu_target || p->scale_concurrency_target) {
        cJSON *a = cJSON_AddObjectToObject(o, "autoscaling");
        json_limit(a, "cpu_target", p->scale_cpu_target);
        json_limit(a, "concurrency_target", p->scale_concurrency_target);
        cJSON_AddNumberToObject(a, "window_s", (double)p->scale_window_ns / 1e9);
        cJSON_AddNumberToObject(a, "tick_s", (double)p->scale_tick_ns / 1e9);
        cJSON_AddStringToObject(a, "source", p->scale_source);
    } else {
        cJSON_AddNullToObject(o, "autoscaling");
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

/* What an accelerator is, as both `list` and `show` give it: every figure, in bytes,
 * bytes/s and FLOP/s (OP/s for INT8), dense; null for a unit it does not have. */
static void json_accelerator_figures(cJSON *o, const struct accelerator *a)
{
    cJSON_AddStringToObject(o, "name", a->name);
    cJSON_AddStringToObject(o, "summary", a->summary);
    cJSON_AddNumberToObject(o, "memory_bytes", (double)a->memory_bytes);
    json_limit(o, "memory_reported_bytes", (double)a->memory_reported_bytes);
    if (a->gpu_link[0])
        cJSON_AddStringToObject(o, "gpu_link", a->gpu_link);
    else
        cJSON_AddNullToObject(o, "gpu_link");
    json_limit(o, "gpu_link_bytes_per_s", a->gpu_link_bytes_per_s);
    if (a->gpu_link[0])
        cJSON_AddStringToObject(o, "gpu_link_source", a->gpu_link_source);
    cJSON_AddNumberToObject(o, "memory_bytes_per_s", a->memory_bytes_per_s);
    cJSON_AddNumberToObject(o, "fp16_flops", a->fp16_flops);
    json_limit(o, "fp8_flops", a->fp8_flops);
    json_limit(o, "int8_ops", a->int8_ops);
    cJSON_AddStringToObject(o, "host_link", a->host_link);
    cJSON_AddNumberToObject(o, "host_bytes_per_s", a->host_bytes_per_s);
    cJSON_AddStringToObject(o, "source", a->source);
    cJSON_AddStringToObject(o, "date", a->date);
}

/* Fill o with every field of the entry. */
static void json_accelerator(cJSON *o, const struct accelerator *a)
{
    cJSON_AddStringToObject(o, "kind", "accelerator");
    json_accelerator_figures(o, a);
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

static void list_accelerator(cJSON *e, const struct catalog *c, size_t i)
{
    json_accelerator_figures(e, &c->accelerators[i]);
}

static void json_llm_figures(cJSON *o, const struct llm_model *l);

static void list_llm(cJSON *e, const struct catalog *c, size_t i)
{
    json_llm_figures(e, &c->llms[i]);
}

static const struct {
    const char *key; /* the array's key */
    size_t count_at; /* of its item count in struct catalog */
    void (*entry)(cJSON *e, const struct catalog *c, size_t i);
} json_lists[] = {
    {"platforms", offsetof(struct catalog, n_platforms), list_platform},
    {"instances", offsetof(struct catalog, n_instances), list_instance},
    {"discounts", offsetof(struct catalog, n_discounts), list_discount},
    {"llms", offsetof(struct catalog, n_llms), list_llm},
    {"accelerators", offsetof(struct catalog, n_accelerators), list_accelerator}, /* last */
};

/* {catalog, as_of, path} and the arrays of json_lists[first .. last). */
static int list_json(FILE *fp, const struct catalog *c, size_t first, size_t last)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    json_header(o, c);
    for (size_t k = first; k < last; k++) {
        cJSON *a = cJSON_AddArrayToObject(o, json_lists[k].key);
        size_t n = *(const size_t *)((const char *)c + json_lists[k].count_at);
        for (size_t i = 0; i < n; i++) {
            cJSON *e = cJSON_CreateObject();
            json_lists[k].entry(e, c, i);
            cJSON_AddItemToArray(a, e);
        }
    }
    return report_json_emit(fp, o);
}

enum { N_JSON_LISTS = sizeof json_lists / sizeof *json_lists };

int report_catalog_list_json(FILE *fp, const struct catalog *c)
{
    return list_json(fp, c, 0, N_JSON_LISTS);
}

int report_catalog_gpus_json(FILE *fp, const struct catalog *c)
{
    return list_json(fp, c, N_JSON_LISTS - 1, N_JSON_LISTS); /* the accelerators row, last */
}

/* An LLM: {name, summary, parameters, layers, hidden, kv_heads, head_dim, context,
 * kv_bytes_per_token (FP16), source, date}; `show` adds kind: "llm". */
static void json_llm_figures(cJSON *o, const struct llm_model *l)
{
    cJSON_AddStringToObject(o, "name", l->name);
    cJSON_AddStringToObject(o, "summary", l->summary);
    cJSON_AddNumberToObject(o, "parameters", l->parameters);
    cJSON_AddNumberToObject(o, "layers", l->layers);
    cJSON_AddNumberToObject(o, "hidden", l->hidden);
    cJSON_AddNumberToObject(o, "kv_heads", l->kv_heads);
    cJSON_AddNumberToObject(o, "head_dim", l->head_dim);
    cJSON_AddNumberToObject(o, "context", l->context);
    cJSON_AddNumberToObject(o, "kv_bytes_per_token", 2.0 * l->layers * l->kv_heads * l->head_dim * 2);
    cJSON_AddStringToObject(o, "source", l->source);
    cJSON_AddStringToObject(o, "date", l->date);
}

static void json_llm(cJSON *o, const struct llm_model *l)
{
    cJSON_AddStringToObject(o, "kind", "llm");
    json_llm_figures(o, l);
}

int report_catalog_show_json(FILE *fp, const struct catalog *c, const char *name)
{
    const struct platform_profile *p = catalog_find_platform(c, name);
    const struct instance_type *t = p ? NULL : catalog_find_instance(c, name);
    const struct discount *d = p || t ? NULL : catalog_find_discount(c, name);
    const struct accelerator *x = p || t || d ? NULL : catalog_find_accelerator(c, name);
    const struct llm_model *l = p || t || d || x ? NULL : catalog_find_llm(c, name);
    if (!p && !t && !d && !x && !l)
        return -1;
    cJSON *o = cJSON_CreateObject();
    if (o) {
        json_header(o, c);
        if (l)
            json_llm(o, l);
        else if (p)
            json_platform(o, p);
        else if (t)
            json_instance(o, t);
        else if (d)
            json_discount(o, d);
        else
            json_accelerator(o, x);
    }
    return report_json_emit(fp, o);
}
