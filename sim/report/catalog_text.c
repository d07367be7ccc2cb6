/* catalog_text.c - `slsim catalog` as text: the overview of a catalog, its
 * accelerators alone, and one entry whole with each price or figure beside its source
 * and date. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "writers.h"

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
        fmt_duration(seconds_ns(exp(d->a + REPORT_Z99 * d->b)), b, sizeof b);
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

const char *report_memory_unit(const struct platform_profile *p)
{
    return p->memory_unit_bytes == 1e9 ? "GB" : "GiB";
}

/* An accelerator's bandwidth in GB/s whatever its size ("2000GB/s", not "2TB/s"), so
 * that a column of them compares at a glance, as the datasheets write them. */
static void fmt_gb_per_s(double bytes_per_s, char *buf, size_t n)
{
    snprintf(buf, n, "%gGB/s", bytes_per_s / 1e9);
}

/* A throughput in FLOP/s as TFLOPS, "-" when the accelerator has no such unit. */
static void fmt_tflops(double flops, char *buf, size_t n)
{
    if (flops > 0)
        snprintf(buf, n, "%g", flops / 1e12);
    else
        snprintf(buf, n, "-");
}

/* "24GB, 600GB/s, 125 TFLOPS FP16 dense": what an accelerator is, in one phrase. */
static void fmt_accelerator_brief(const struct accelerator *a, char *buf, size_t n)
{
    char mem[32], bw[40], f[32];
    units_format_size(a->memory_bytes, mem, sizeof mem);
    fmt_gb_per_s(a->memory_bytes_per_s, bw, sizeof bw);
    fmt_tflops(a->fp16_flops, f, sizeof f);
    snprintf(buf, n, "%s, %s, %s TFLOPS FP16 dense", mem, bw, f);
}

static void text_header(FILE *fp, const struct catalog *c)
{
    /* The built-in catalog's path is "(built-in default)", not a file name. */
    if (c->path[0] == '(')
        fprintf(fp, "catalog %s, as of %s %s\n", c->name, c->as_of, c->path);
    else
        fprintf(fp, "catalog %s, as of %s, from %s\n", c->name, c->as_of, c->path);
}

/* The accelerators, one row each: throughputs dense, the host link one direction. */
static void text_accelerator_table(FILE *fp, const struct catalog *c)
{
    char mem[32], bw[40], f16[32], f8[32], host[40];
    fprintf(fp, "\naccelerators (tensor TFLOPS dense, without sparsity; host link one "
                "direction)\n  %-10s %-7s %-10s %5s %6s  %s\n",
            "NAME", "MEMORY", "BANDWIDTH", "FP16", "FP8", "HOST LINK");
    for (size_t i = 0; i < c->n_accelerators; i++) {
        const struct accelerator *a = &c->accelerators[i];
        units_format_size(a->memory_bytes, mem, sizeof mem);
        fmt_gb_per_s(a->memory_bytes_per_s, bw, sizeof bw);
        fmt_tflops(a->fp16_flops, f16, sizeof f16);
        fmt_tflops(a->fp8_flops, f8, sizeof f8);
        fmt_gb_per_s(a->host_bytes_per_s, host, sizeof host);
        fprintf(fp, "  %-10s %-7s %-10s %5s %6s  %s, %s\n", a->name, mem, bw, f16, f8,
                a->host_link, host);
    }
}

int report_catalog_list_text(FILE *fp, const struct catalog *c)
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
    /* Last, and only when there are some: a catalog written before accelerators
     * and LLMs existed lists as it did. */
    if (c->n_accelerators)
        text_accelerator_table(fp, c);
    if (c->n_llms) {
        fprintf(fp, "\nLLMs (FP16 weights; KV cache a token in FP16)\n");
        fprintf(fp, "  %-14s %10s %10s %10s %8s\n", "NAME", "PARAMS", "WEIGHTS", "KV/TOKEN",
                "CONTEXT");
        for (size_t i = 0; i < c->n_llms; i++) {
            const struct llm_model *l = &c->llms[i];
            char w[32], kv[32];
            units_format_size((int64_t)(l->parameters * 2 + 0.5), w, sizeof w);
            units_format_size((int64_t)(2.0 * l->layers * l->kv_heads * l->head_dim * 2), kv,
                              sizeof kv);
            fprintf(fp, "  %-14s %10.4g %10s %10s %8u\n", l->name, l->parameters, w, kv,
                    l->context);
        }
    }
    return ferror(fp) ? -1 : 0;
}

int report_catalog_gpus_text(FILE *fp, const struct catalog *c)
{
    text_header(fp, c);
    if (c->n_accelerators)
        text_accelerator_table(fp, c);
    else
        fprintf(fp, "\naccelerators\n  none\n");
    return ferror(fp) ? -1 : 0;
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

/* What one instance of p computes with, when the catalog says: the vCPU rule and the
 * accelerators, then the source. Nothing when it does not (the work is used as is). */
static void text_hardware(FILE *fp, const struct catalog *c, const struct platform_profile *p)
{
    char a[32], brief[160];
    const char *sep = " ";
    if (!p->hardware_source[0])
        return;
    fprintf(fp, "hardware     ");
    if (p->vcpus > 0) {
        fprintf(fp, "%s%g vCPU per instance", sep, p->vcpus);
        sep = "; ";
    }
    if (p->memory_per_vcpu_bytes) {
        units_format_size(p->memory_per_vcpu_bytes, a, sizeof a);
        fprintf(fp, "%sone vCPU per %s of memory", sep, a);
        sep = "; ";
    }
    if (p->accelerator[0]) {
        const struct accelerator *x = catalog_find_accelerator(c, p->accelerator);
        fprintf(fp, "%s%u x %s", sep, p->accelerators, p->accelerator);
        if (x) {
            fmt_accelerator_brief(x, brief, sizeof brief);
            fprintf(fp, " (%s)", brief);
        }
    }
    fprintf(fp, "\n                %s\n", p->hardware_source);
}

/* Metrics-based autoscaling, when the platform has it: targets, window, tick, source. */
static void text_autoscaling(FILE *fp, const struct platform_profile *p)
{
    char w[32], t[32];
    if (!p->scale_cpu_target && !p->scale_concurrency_target)
        return;
    fmt_duration(p->scale_window_ns, w, sizeof w);
    fmt_duration(p->scale_tick_ns, t, sizeof t);
    fprintf(fp, "autoscaling   ");
    if (p->scale_cpu_target)
        fprintf(fp, "CPU %g%%%s", 100 * p->scale_cpu_target,
                p->scale_concurrency_target ? ", " : "");
    if (p->scale_concurrency_target)
        fprintf(fp, "concurrency %g%% of the maximum", 100 * p->scale_concurrency_target);
    fprintf(fp, ", averaged over %s, decided every %s\n                %s\n", w, t,
            p->scale_source);
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
    if (p->scale_out_delay_note[0]) {
        fmt_duration(p->scale_out_delay_ns, b, sizeof b);
        fprintf(fp, "scale-out     with batching, after the queue outgrew the instances "
                    "for %s: %s\n", b, p->scale_out_delay_note);
    }

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
        if (p->copy_bytes_per_s > 0) {
            fmt_bandwidth(p->copy_bytes_per_s, a, sizeof a);
            fprintf(fp, "              copy to GPU %s (of the weights)\n                %s\n", a,
                    p->copy_c.source);
        }
        if (p->has_engine) {
            fmt_dist(&p->engine, d, sizeof d);
            fprintf(fp, "              engine %s\n                %s\n", d, p->engine_c.source);
        }
        if (p->has_llm_engine) {
            fmt_dist(&p->llm_engine, d, sizeof d);
            fprintf(fp, "              LLM engine %s (for model.llm, in place of vLLM's 14.2 s)"
                        "\n                %s\n", d, p->llm_engine_c.source);
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
        if (p->unreserved_concurrency_min)
            fprintf(fp, " (at least %u unreserved)", p->unreserved_concurrency_min);
        sep = "; ";
    }
    fprintf(fp, "%s\n", sep[0] == ';' ? "" : "none");
    text_hardware(fp, c, p);
    text_autoscaling(fp, p);

    fmt_duration(p->round_ns, a, sizeof a);
    fmt_duration(p->minimum_ns, b, sizeof b);
    fprintf(fp, "billing       mode %s; rounded up to %s; minimum %s; memory unit %s",
            catalog_billing_name(p->billing), a, b, report_memory_unit(p));
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
    snprintf(unit, sizeof unit, "per %s-second", report_memory_unit(p));
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
                report_memory_unit(p), d);
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
    const struct accelerator *x = t->gpus ? catalog_find_accelerator(c, t->gpu_model) : NULL;
    if (x) {
        char brief[160];
        fmt_accelerator_brief(x, brief, sizeof brief);
        fprintf(fp, "GPUs          %u x %s (%s)\n", t->gpus, t->gpu_model, brief);
    } else if (t->gpus) {
        fprintf(fp, "GPUs          %u x %s\n", t->gpus, t->gpu_model);
    } else {
        fprintf(fp, "GPUs          none\n");
    }
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

/* Every figure of accelerator a; they share one source and date, printed below them. */
static void text_accelerator(FILE *fp, const struct catalog *c, const struct accelerator *a)
{
    char v[40];
    fprintf(fp, "accelerator %s (catalog %s, as of %s)\n", a->name, c->name, c->as_of);
    if (a->summary[0])
        fprintf(fp, "  %s\n", a->summary);
    units_format_size(a->memory_bytes, v, sizeof v);
    fprintf(fp, "\nmemory        %s\n", v);
    if (a->memory_reported_bytes > 0) {
        fprintf(fp, "reported      %.2fGiB, the total CUDA reports (an LLM engine's budget)\n",
                (double)a->memory_reported_bytes / (double)(1LL << 30));
    }
    fmt_gb_per_s(a->memory_bytes_per_s, v, sizeof v);
    fprintf(fp, "bandwidth     %s, device memory, peak\n", v);
    fmt_tflops(a->fp16_flops, v, sizeof v);
    fprintf(fp, "FP16/BF16     %s TFLOPS, tensor, dense\n", v);
    fmt_tflops(a->fp8_flops, v, sizeof v);
    fprintf(fp, "FP8           %s%s\n", a->fp8_flops > 0 ? v : "none",
            a->fp8_flops > 0 ? " TFLOPS, tensor, dense" : "");
    fmt_tflops(a->int8_ops, v, sizeof v);
    fprintf(fp, "INT8          %s%s\n", a->int8_ops > 0 ? v : "not given",
            a->int8_ops > 0 ? " TOPS, tensor, dense" : "");
    fmt_gb_per_s(a->host_bytes_per_s, v, sizeof v);
    fprintf(fp, "host link     %s, %s each direction\n", a->host_link, v);
    if (a->gpu_link[0]) {
        fmt_gb_per_s(a->gpu_link_bytes_per_s, v, sizeof v);
        fprintf(fp, "GPU link      %s, %s each direction (tensor parallelism's all-reduces)\n"
                    "              %s\n",
                a->gpu_link, v, a->gpu_link_source);
    } else {
        fprintf(fp, "GPU link      none: GPUs talk over the host link\n");
    }
    fprintf(fp, "\ndate          %s\nsource        %s\n", a->date, a->source);
}

static void text_discount(FILE *fp, const struct catalog *c, const struct discount *d)
{
    fprintf(fp, "discount %s (catalog %s, as of %s)\n\n", d->name, c->name, c->as_of);
    fprintf(fp, "off           %g%% of the on-demand price\n", d->off * 100);
    fprintf(fp, "applies to    %s\n", d->applies_to[0] ? d->applies_to : "(all)");
    fprintf(fp, "date          %s\nsource        %s\n", d->date, d->source);
}

/* An LLM: its architecture, what serving needs of it, and its source. */
static void text_llm(FILE *fp, const struct catalog *c, const struct llm_model *l)
{
    char w[32], kv[32];
    units_format_size((int64_t)(l->parameters * 2 + 0.5), w, sizeof w);
    units_format_size((int64_t)(2.0 * l->layers * l->kv_heads * l->head_dim * 2), kv, sizeof kv);
    fprintf(fp, "LLM %s (catalog %s, as of %s)\n", l->name, c->name, c->as_of);
    if (l->summary[0])
        fprintf(fp, "  %s\n", l->summary);
    fprintf(fp, "\nparameters    %.4g (weights %s in FP16)\n", l->parameters, w);
    fprintf(fp, "architecture  %u layers, hidden %u, %u KV heads of %u\n", l->layers, l->hidden,
            l->kv_heads, l->head_dim);
    fprintf(fp, "KV cache      %s a token in FP16 (2 x layers x KV heads x head_dim x 2 B)\n", kv);
    fprintf(fp, "context       %u tokens\n", l->context);
    fprintf(fp, "date          %s\nsource        %s\n", l->date, l->source);
}

int report_catalog_show_text(FILE *fp, const struct catalog *c, const char *name)
{
    const struct platform_profile *p = catalog_find_platform(c, name);
    const struct instance_type *t = p ? NULL : catalog_find_instance(c, name);
    const struct discount *d = p || t ? NULL : catalog_find_discount(c, name);
    const struct accelerator *x = p || t || d ? NULL : catalog_find_accelerator(c, name);
    const struct llm_model *l = p || t || d || x ? NULL : catalog_find_llm(c, name);
    if (l)
        text_llm(fp, c, l);
    else if (p)
        text_platform(fp, c, p);
    else if (t)
        text_instance(fp, c, t);
    else if (d)
        text_discount(fp, c, d);
    else if (x)
        text_accelerator(fp, c, x);
    else
        return -1;
    return ferror(fp) ? -1 : 0;
}
