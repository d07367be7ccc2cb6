/* catalog_models.c - the catalog's hardware and model lists' items: an accelerator
 * (`accelerators:`) and a large language model (`llms:`), each with its source. */
#include "../billing/catalog_get.h"
#include "catalog_models.h"

/* Throughputs are written in units of 10^12 per second; above this a value reads as
 * a count per second. */
#define MAX_TFLOPS 1e5

/* ---- accelerators ---- */

/* A throughput in TFLOPS (or TOPS) at key, above 0, into *out in operations per second. */
static int get_tflops(const struct catalog_read *r, const struct ynode *n, const char *key,
                      double *out)
{
    double t;
    if (cfg_get_number(r->err, n, key, &t))
        return -1;
    if (!(t > 0))
        return cfg_fail(r->err, n, key, "must be above 0, got %s (leave the key out when the "
                                        "accelerator has no such unit)", n->text);
    if (t > MAX_TFLOPS)
        return cfg_fail(r->err, n, key, "%s is in units of 10^12 per second (TFLOPS, TOPS); "
                                        "%s looks like a count per second", key, n->text);
    *out = t * 1e12;
    return 0;
}

int catalog_parse_accelerator(const struct catalog_read *r, const struct ynode *n,
                              const char *path, void *item)
{
    struct accelerator *a = item;
    char kp[KEY_MAX];
    const struct ynode *v;
    if ((v = catalog_opt(n, path, "summary", kp)) &&
        catalog_get_text(r, v, kp, 1, a->summary, sizeof a->summary))
        return -1;
    v = catalog_opt(n, path, "memory", kp);
    if (cfg_get_size(r->err, v, kp, &a->memory_bytes))
        return -1;
    if (a->memory_bytes <= 0)
        return cfg_fail(r->err, v, kp, "must be above 0 bytes");
    if ((v = catalog_opt(n, path, "memory_reported", kp))) {
        if (cfg_get_size(r->err, v, kp, &a->memory_reported_bytes))
            return -1;
        if (a->memory_reported_bytes <= 0)
            return cfg_fail(r->err, v, kp, "must be above 0 bytes");
    }
    if (catalog_get_bandwidth(r, catalog_opt(n, path, "memory_bandwidth", kp), kp,
                              &a->memory_bytes_per_s) ||
        get_tflops(r, catalog_opt(n, path, "fp16_tflops", kp), kp, &a->fp16_flops))
        return -1;
    if ((v = catalog_opt(n, path, "fp8_tflops", kp)) && get_tflops(r, v, kp, &a->fp8_flops))
        return -1;
    if ((v = catalog_opt(n, path, "int8_tops", kp)) && get_tflops(r, v, kp, &a->int8_ops))
        return -1;
    if ((v = catalog_opt(n, path, "gpu_link", kp)) &&
        catalog_get_text(r, v, kp, 0, a->gpu_link, sizeof a->gpu_link))
        return -1;
    if ((v = catalog_opt(n, path, "gpu_link_bandwidth", kp)) &&
        catalog_get_bandwidth(r, v, kp, &a->gpu_link_bytes_per_s))
        return -1;
    if (!a->gpu_link[0] != !(a->gpu_link_bytes_per_s > 0))
        return cfg_fail(r->err, v ? v : n, path, "gpu_link and gpu_link_bandwidth go together");
    if (a->gpu_link[0] &&
        catalog_get_text(r, catalog_opt(n, path, "gpu_link_source", kp), kp, 0,
                         a->gpu_link_source, sizeof a->gpu_link_source))
        return -1;
    if (catalog_get_text(r, catalog_opt(n, path, "host_link", kp), kp, 0, a->host_link,
                         sizeof a->host_link) ||
        catalog_get_bandwidth(r, catalog_opt(n, path, "host_bandwidth", kp), kp,
                              &a->host_bytes_per_s) ||
        catalog_get_text(r, catalog_opt(n, path, "source", kp), kp, 0, a->source,
                         sizeof a->source))
        return -1;
    return catalog_get_date(r, catalog_opt(n, path, "date", kp), kp, 0, a->date);
}

/* ---- LLMs ---- */

/* A whole count at key of n, 1 to max, into *out. */
static int get_count(const struct catalog_read *r, const struct ynode *n, const char *key,
                     uint32_t max, uint32_t *out)
{
    return cfg_get_u32_range(r->err, n, key, 1, max, out);
}

int catalog_parse_llm(const struct catalog_read *r, const struct ynode *n, const char *path,
                      void *item)
{
    struct llm_model *m = item;
    char kp[KEY_MAX];
    const struct ynode *v;
    if ((v = catalog_opt(n, path, "summary", kp)) &&
        catalog_get_text(r, v, kp, 1, m->summary, sizeof m->summary))
        return -1;
    v = catalog_opt(n, path, "parameters", kp);
    if (cfg_get_number(r->err, v, kp, &m->parameters))
        return -1;
    if (!(m->parameters >= 1e6 && m->parameters <= 1e14))
        return cfg_fail(r->err, v, kp, "a model's parameters, counted (8.03e9 for an 8B model), "
                                       "from 1e6 to 1e14; got %s", v->text);
    if (get_count(r, catalog_opt(n, path, "layers", kp), kp, 10000, &m->layers) ||
        get_count(r, catalog_opt(n, path, "hidden", kp), kp, 1u << 20, &m->hidden) ||
        get_count(r, catalog_opt(n, path, "kv_heads", kp), kp, 10000, &m->kv_heads) ||
        get_count(r, catalog_opt(n, path, "head_dim", kp), kp, 1u << 16, &m->head_dim) ||
        get_count(r, catalog_opt(n, path, "context", kp), kp, 1u << 24, &m->context) ||
        catalog_get_text(r, catalog_opt(n, path, "source", kp), kp, 0, m->source,
                         sizeof m->source))
        return -1;
    return catalog_get_date(r, catalog_opt(n, path, "date", kp), kp, 0, m->date);
}

