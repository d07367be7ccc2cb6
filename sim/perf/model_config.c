/* model_config.c - the scenario's `model:` section: the model served, its artifact
 * size (which drives cold starts), its instance memory and its service time, and
 * what the hardware performance models read of it (FLOPs, weights, activations,
 * the parallel share of its work). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/dist_config.h"
#include "slsim/model_config.h"
#include "../base/yaml_get.h"

static const char *const model_keys[] = {"name",    "size",        "memory",
                                         "service", "flops",       "weights",
                                         "activations", "parallel_fraction", "llm",
                                         "dtype",   "optimize",    NULL};

int perf_parse_flops(const char *s, double *out, char *why, size_t whylen)
{
    static const struct { char prefix; double scale; } prefixes[] = {
        {'k', 1e3}, {'M', 1e6}, {'G', 1e9}, {'T', 1e12}, {'P', 1e15}};
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v)) {
        snprintf(why, whylen, "expected FLOPs of one item such as 4.1GFLOP or 4.1e9, got \"%s\"", s);
        return -1;
    }
    if (v < 0) {
        snprintf(why, whylen, "FLOPs cannot be negative");
        return -1;
    }
    const char *u = end;
    while (isspace((unsigned char)*u))
        u++;
    double scale = 1;
    if (*u) {
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
            if (*u == prefixes[i].prefix && u[1] == 'F') {
                scale = prefixes[i].scale;
                u++;
                break;
            }
        size_t n = strlen(u);
        while (n && isspace((unsigned char)u[n - 1]))
            n--;
        if (n >= 5 && (strncmp(u, "FLOPS", 5) == 0 || strncmp(u, "FLOP/s", 6) == 0 ||
                       strncmp(u, "FLOPs", 5) == 0)) {
            snprintf(why, whylen, "\"%s\" also reads as a rate (FLOP per second); write the "
                     "work of one item in FLOP, such as 4.1GFLOP", s);
            return -1;
        }
        if (n != 4 || strncmp(u, "FLOP", 4) != 0) {
            snprintf(why, whylen, "unknown unit in \"%s\": write FLOP with an optional prefix k, "
                     "M, G, T or P (4.1GFLOP), or a plain number", s);
            return -1;
        }
    }
    *out = v * scale;
    return 0;
}

/* The keys the performance models read; all optional. */
static int parse_hardware_keys(struct slsim_error *err, const struct ynode *n,
                               struct model_spec *m)
{
    const struct ynode *v;
    char why[200];
    if ((v = ytree_get(n, "flops"))) {
        const char *t = cfg_want_scalar(err, v, "model.flops", "FLOPs of one item such as 4.1GFLOP");
        if (!t)
            return -1;
        if (perf_parse_flops(t, &m->flops, why, sizeof why))
            return cfg_fail(err, v, "model.flops", "%s", why);
        if (!(m->flops > 0))
            return cfg_fail(err, v, "model.flops", "flops must be above 0 (leave it out when "
                                                   "not known)");
    }
    if ((v = ytree_get(n, "weights"))) {
        if (cfg_get_size(err, v, "model.weights", &m->weights_bytes))
            return -1;
        if (m->weights_bytes <= 0)
            return cfg_fail(err, v, "model.weights", "weights must be above 0 bytes (leave it "
                                                     "out to use model.size)");
    }
    if ((v = ytree_get(n, "activations")) &&
        cfg_get_size(err, v, "model.activations", &m->activations_bytes))
        return -1;
    if ((v = ytree_get(n, "parallel_fraction"))) {
        if (cfg_get_number(err, v, "model.parallel_fraction", &m->parallel_fraction))
            return -1;
        if (!(m->parallel_fraction >= 0 && m->parallel_fraction <= 1))
            return cfg_fail(err, v, "model.parallel_fraction", "the parallel share of the work "
                            "is in [0, 1], got %g", m->parallel_fraction);
    }
    return 0;
}

int model_spec_parse(struct slsim_error *err, const struct ynode *n, const struct catalog *c,
                     struct model_spec *m)
{
    snprintf(m->name, sizeof m->name, "model");
    m->size_bytes = 0;
    m->memory_bytes = MODEL_DEFAULT_MEMORY_BYTES;
    m->flops = 0;
    m->weights_bytes = 0;
    m->activations_bytes = 0;
    m->parallel_fraction = 0;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "model", "expected a mapping, got %s", ytree_describe(n));
    if (cfg_check_keys(err, n, "model", model_keys))
        return -1;
    const struct ynode *v;
    if ((v = ytree_get(n, "name")) && cfg_get_name(err, v, "model.name", NAME_TEXT, m->name))
        return -1;
    if ((v = ytree_get(n, "size"))) {
        if (cfg_get_size(err, v, "model.size", &m->size_bytes))
            return -1;
        m->size_line = v->line;
        m->size_column = v->column;
        m->size_src = v->src;
    }
    if ((v = ytree_get(n, "memory"))) {
        if (cfg_get_size(err, v, "model.memory", &m->memory_bytes))
            return -1;
        if (m->memory_bytes <= 0)
            return cfg_fail(err, v, "model.memory", "memory must be above 0 bytes");
    }
    if (parse_hardware_keys(err, n, m) || model_llm_parse(err, n, c, m))
        return -1;
    if (m->is_llm && !ytree_get(n, "name")) /* an LLM is known by its name */
        snprintf(m->name, sizeof m->name, "%s", m->llm.name);
    if (!(v = ytree_get(n, "service"))) {
        /* an LLM's requests are timed by their tokens: no service time to draw */
        if (m->is_llm) {
            char why[80];
            dist_constant(&m->service, 0.0, why, sizeof why);
            return model_optimize_parse(err, n, m);
        }
        return cfg_missing(err, n, "model", "service");
    }
    if (cfg_parse_dist(err, v, "model.service", &m->service))
        return -1;
    if (model_optimize_parse(err, n, m)) {
        dist_free(&m->service);
        return -1;
    }
    return 0;
}
