/* coldstart.c - the cold-start model and the platform limits a deployment must keep.
 *
 * A cold start is sandbox and runtime start (random: the catalog's `init`
 * distribution) plus bringing the model to the instance and loading it, each the
 * model size over a bandwidth: the two things a model team can change are the
 * artifact size and the runtime, so they are separate terms. How the model arrives
 * depends on its size (Lambda: a zip up to 250 MB, a container image up to 10 GiB,
 * else a download at init), so a profile lists its artifacts by size, each with a
 * fetch rate and a fixed overhead, and the quickest of those that hold the model
 * ships it. A GPU instance then copies the weights from host memory to the GPU
 * over its host link (PCIe) and starts its engine (CUDA context, graph capture or
 * compilation): two more stages, so that a snapshot that restores GPU memory (a
 * faster load, no engine start) and a loader that pins its buffers (a faster copy)
 * each change one number. An LLM's engine start is vLLM's (coldstart_llm.h), and
 * a tensor-parallel engine's GPUs copy their shards at once. Platforms whose catalog
 * entry has no cold-start profile (generic, or a user catalog that gives none) start
 * instances at once unless the deployment gives a distribution of its own; reports
 * say so. */
#include <stdio.h>
#include <string.h>

#include "coldstart_llm.h"
#include "slsim/platform.h"

int platform_check_deployment(const char *name, const struct serverless_spec *d,
                              const struct platform_profile *p, const struct catalog *c,
                              const char *file, struct slsim_error *err)
{
    char key[160];
    if (!p) {
        char names[1024];
        catalog_platform_names(c, names, sizeof names);
        snprintf(key, sizeof key, "deployments.%s.platform", name);
        return slsim_error_set(err, file, 0, 0, key, "unknown platform \"%s\"; known: %s",
                               d->platform, names);
    }
    char why[sizeof err->message];
    if (catalog_check_memory(p, d->memory_bytes, NULL, why, sizeof why)) {
        snprintf(key, sizeof key, "deployments.%s.memory", name);
        return slsim_error_set(err, file, 0, 0, key, "%s", why);
    }
    if (p->concurrency_max && d->concurrency > p->concurrency_max) {
        snprintf(key, sizeof key, "deployments.%s.concurrency", name);
        return slsim_error_set(err, file, 0, 0, key,
                               "%s serves at most %u request(s) per instance at once; got %u",
                               p->name, p->concurrency_max, d->concurrency);
    }
    return 0;
}

int platform_check_model(const char *name, const struct serverless_spec *d, const struct platform_profile *p,
                         int64_t size_bytes, const char *file, struct slsim_error *err)
{
    if (size_bytes <= d->memory_bytes)
        return 0;
    char key[160], size[32], mem[32], fit[32];
    units_format_size(size_bytes, size, sizeof size);
    units_format_size(d->memory_bytes, mem, sizeof mem);
    snprintf(key, sizeof key, "deployments.%s.memory", name);
    /* Suggest the smallest memory setting that holds the model, as a setting is
     * written (whole MiB on every platform that has settings). */
    int64_t next = p ? catalog_memory_round_up(p, size_bytes) : size_bytes;
    if (next < size_bytes)
        return slsim_error_set(err, file, 0, 0, key,
                               "the model (model.size %s) does not fit in the instance's %s of "
                               "memory, and no memory setting of %s holds it: use a smaller "
                               "model or another platform", size, mem, p->name);
    if (next % (1LL << 20) == 0)
        snprintf(fit, sizeof fit, "%lldMiB", (long long)(next >> 20));
    else
        units_format_size(next, fit, sizeof fit);
    return slsim_error_set(err, file, 0, 0, key,
                           "the model (model.size %s) does not fit in the instance's %s of "
                           "memory: set memory: %s or more, or use a smaller model",
                           size, mem, fit);
}

/* Append name to the "; "-separated list in buf (no commas: a CSV cell stays bare). */
static void note_assumed(char *buf, size_t n, const char *name)
{
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s", len ? "; " : "", name);
}

int coldstart_model_init(struct coldstart_model *m, const struct serverless_spec *d,
                         const struct platform_profile *p, int64_t size_bytes,
                         struct slsim_error *err)
{
    return coldstart_model_build(m, d, p, size_bytes, size_bytes, err);
}

/* What an instance start moves and runs: the model's size (fetched and loaded whole),
 * its weights (split over the GPUs for the copy), and for an LLM the engine start that
 * replaces the profile's. */
struct coldstart_load {
    int64_t size_bytes;
    int64_t weights_bytes;
    uint32_t gpus;               /* GPUs the weights are split over, >= 1 */
    int llm;                     /* 1: an LLM engine starts (llm_engine, else the default) */
    int llm_default_assumed;     /* 1: the default engine start is assumed for this model */
};

static int build(struct coldstart_model *m, const struct serverless_spec *d,
                 const struct platform_profile *p, const struct coldstart_load *ld,
                 struct slsim_error *err);

int coldstart_model_build(struct coldstart_model *m, const struct serverless_spec *d,
                          const struct platform_profile *p, int64_t size_bytes,
                          int64_t weights_bytes, struct slsim_error *err)
{
    const struct coldstart_load w = {size_bytes, weights_bytes, 1, 0, 0};
    return build(m, d, p, &w, err);
}

int coldstart_model_for(struct coldstart_model *m, const struct serverless_spec *d,
                        const struct platform_profile *p, const struct model_spec *model,
                        struct slsim_error *err)
{
    struct coldstart_load w = {
        .size_bytes = model->size_bytes,
        .weights_bytes = model->weights_bytes > 0 ? model->weights_bytes : model->size_bytes,
        .gpus = d->serving.tensor_parallel_size ? d->serving.tensor_parallel_size : 1,
        /* A CPU platform runs no GPU engine; a GPU platform's profile was written for
         * a vision model, whose engine start is the CUDA context. */
        .llm = model->is_llm && p && p->accelerator[0],
    };
    /* Measured for Llama-3-8B in 16-bit weights on one GPU; anything else is assumed. */
    w.llm_default_assumed = w.llm && !p->has_llm_engine &&
                            (strcmp(model->llm.name, COLDSTART_LLM_ENGINE_MODEL) != 0 ||
                             model->dtype_bytes != 2 || w.gpus != 1);
    return build(m, d, p, &w, err);
}

/* The engine start of load w on p: for an LLM, p's llm_engine or vLLM's default;
 * else p's engine; NULL when none. *assumed names the constant when it is assumed. */
static const struct dist *engine_of(const struct platform_profile *p,
                                    const struct coldstart_load *w, struct dist *scratch,
                                    const char **assumed)
{
    *assumed = NULL;
    if (w->llm && p->has_llm_engine) {
        if (p->llm_engine_c.assumed)
            *assumed = "llm_engine";
        return &p->llm_engine;
    }
    if (w->llm) {
        char why[80];
        if (w->llm_default_assumed)
            *assumed = "llm_engine";
        return dist_constant(scratch, COLDSTART_LLM_ENGINE_S, why, sizeof why) == 0 ? scratch
                                                                                   : NULL;
    }
    if (!p->has_engine)
        return NULL;
    if (p->engine_c.assumed)
        *assumed = "engine";
    return &p->engine;
}

static int build(struct coldstart_model *m, const struct serverless_spec *d,
                 const struct platform_profile *p, const struct coldstart_load *ld,
                 struct slsim_error *err)
{
    int64_t size_bytes = ld->size_bytes;
    memset(m, 0, sizeof *m);
    m->profile = "none";
    m->artifact = "";
    switch (d->coldstart) {
    case COLDSTART_NONE:
        return 0;
    case COLDSTART_DIST:
        if (dist_copy(&m->init, &d->coldstart_dist) != 0)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        m->enabled = 1;
        m->profile = "deployment";
        /* The platform cuts off a long init however its length was given. */
        m->init_timeout_ns = p ? p->init_timeout_ns : 0;
        return 0;
    case COLDSTART_DEFAULT:
        break;
    }
    if (!p->has_coldstart)
        return 0;
    /* Of the ways that hold the model, a deployer takes the quickest, so the cold
     * start never shrinks as the model grows (a 251 MB model cannot beat a 250 MB
     * one by switching from zip to image); on a tie the first listed. */
    const struct coldstart_artifact *a = NULL;
    double best_s = 0;
    for (size_t i = 0; i < p->n_artifacts; i++) {
        const struct coldstart_artifact *w = &p->artifacts[i];
        if (w->max_bytes && size_bytes > w->max_bytes)
            continue;
        double t = (double)w->overhead_ns / 1e9 +
                   (w->fetch_bytes_per_s > 0 ? (double)size_bytes / w->fetch_bytes_per_s : 0);
        if (!a || t < best_s) {
            a = w;
            best_s = t;
        }
    }
    if (p->n_artifacts && !a) {
        const struct coldstart_artifact *last = &p->artifacts[p->n_artifacts - 1];
        char size[32], max[32];
        units_format_size(size_bytes, size, sizeof size);
        units_format_size(last->max_bytes, max, sizeof max);
        return slsim_error_set(err, NULL, 0, 0, "model.size",
                               "%s ships no model of %s: its largest way, %s, holds %s",
                               p->name, size, last->name, max);
    }
    double fixed_s = 0;
    if (p->init_c.assumed)
        note_assumed(m->assumed, sizeof m->assumed, "init");
    if (a) {
        char what[SLSIM_NAME_MAX + 32];
        m->artifact = a->name;
        fixed_s += best_s;
        if (p->n_artifacts == 1 && strcmp(a->name, "artifact") == 0)
            snprintf(what, sizeof what, "fetch_bandwidth"); /* the lone fetch_bandwidth */
        else
            snprintf(what, sizeof what, "%s.fetch_bandwidth", a->name);
        if (a->c.assumed)
            note_assumed(m->assumed, sizeof m->assumed, what);
    }
    if (p->load_bytes_per_s > 0) {
        fixed_s += (double)size_bytes / p->load_bytes_per_s;
        if (p->load_c.assumed)
            note_assumed(m->assumed, sizeof m->assumed, "load_bandwidth");
    }
    if (p->copy_bytes_per_s > 0) {
        /* Each GPU of a tensor-parallel engine copies its shard over its own host
         * link, all at once. */
        fixed_s += (double)ld->weights_bytes / (double)ld->gpus / p->copy_bytes_per_s;
        if (p->copy_c.assumed)
            note_assumed(m->assumed, sizeof m->assumed, "copy_bandwidth");
    }
    struct dist llm_default;
    const char *engine_assumed;
    const struct dist *engine = engine_of(p, ld, &llm_default, &engine_assumed);
    if (engine) {
        /* A constant engine start joins the fixed part: no draw, and its mean is
         * in fixed_ns where every reader of the model looks. */
        if (engine->kind == DIST_CONSTANT)
            fixed_s += engine->mean_s;
        else
            m->has_engine = 1;
        if (engine_assumed)
            note_assumed(m->assumed, sizeof m->assumed, engine_assumed);
    }
    if (p->init_timeout_ns && p->init_timeout_c.assumed)
        note_assumed(m->assumed, sizeof m->assumed, "init_timeout");
    m->fixed_ns = (sim_time)(fixed_s * 1e9 + 0.5);
    m->init_timeout_ns = p->init_timeout_ns;
    if (dist_copy(&m->init, &p->init) != 0)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    if (m->has_engine && dist_copy(&m->engine, engine) != 0) {
        dist_free(&m->init);
        m->has_engine = 0;
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    m->enabled = 1;
    m->profile = p->name;
    return 0;
}

void coldstart_model_free(struct coldstart_model *m)
{
    if (m->enabled)
        dist_free(&m->init);
    if (m->has_engine)
        dist_free(&m->engine);
    m->enabled = 0;
    m->has_engine = 0;
}
