/* optimize.c - `model.optimize`: a quantised or distilled model as a transform of the
 * model the scenario describes, so that the original and the optimised model differ
 * by one key (`--set model.optimize.quantize=int8`) rather than by hand-edited sizes
 * and times.
 *
 * What a transform changes is what the rest of slsim reads of a model: the artifact
 * size (which the cold start fetches and loads), the weights (memory fit, bytes read a
 * pass), the instance memory by the share of it the weights take, the service time
 * (every request's work) and the FLOPs of one item. Distillation runs first, then
 * quantisation: a student is trained in floating point and quantised after, the order
 * of DistilBERT and of the PyTorch quantisation recipes. An LLM is quantised by its
 * weights' type alone (model.dtype), which llm_perf already turns into bytes read and
 * a cold start; a distilled LLM is another architecture and is described as one. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "slsim/model_config.h"
#include "../base/yaml_get.h"

static const char *const optimize_keys[] = {"quantize", "distill", NULL};
static const char *const distill_keys[] = {"size", "speed", NULL};

/* What quantize may name. For an LLM: the weight types llm_config.c defines below its
 * default fp16 (fp8, int8, int4: 1, 1 and 0.5 bytes a parameter). For any other
 * model only int8, the one type with a published CPU speed-up at hand. */
static const char *const quantize_names[] = {"int8", "fp8", "int4", NULL};
static const double quantize_bytes[] = {1, 1, 0.5};

/* Parse optimize mapping v (key path "model.optimize") into *o. */
static int parse_optimize(struct slsim_error *err, const struct ynode *v,
                          struct model_optimize *o)
{
    const struct ynode *w, *x;
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, "model.optimize", "expected a mapping such as {quantize: int8} "
                        "or {distill: {size: 0.19, speed: 3.7}}, got %s", ytree_describe(v));
    if (cfg_check_keys(err, v, "model.optimize", optimize_keys))
        return -1;
    if (!ytree_get(v, "quantize") && !ytree_get(v, "distill"))
        return cfg_fail(err, v, "model.optimize", "name a method: quantize or distill");
    if ((w = ytree_get(v, "quantize"))) {
        int q;
        if (cfg_get_enum(err, w, "model.optimize.quantize", "weights' type", quantize_names,
                         NULL, &q))
            return -1;
        snprintf(o->quantize, sizeof o->quantize, "%s", quantize_names[q]);
        o->quantize_bytes = quantize_bytes[q];
        o->quantize_at = w;
    }
    if ((w = ytree_get(v, "distill"))) {
        if (w->kind != YNODE_MAPPING)
            return cfg_fail(err, w, "model.optimize.distill", "expected a mapping {size: X, "
                            "speed: X}, got %s", ytree_describe(w));
        if (cfg_check_keys(err, w, "model.optimize.distill", distill_keys))
            return -1;
        if (!(x = ytree_get(w, "size")))
            return cfg_missing(err, w, "model.optimize.distill", "size");
        if (cfg_get_number(err, x, "model.optimize.distill.size", &o->distill_size))
            return -1;
        if (!(o->distill_size > 0 && o->distill_size <= 1))
            return cfg_fail(err, x, "model.optimize.distill.size", "the student's size as a "
                            "share of the teacher's is in (0, 1] (DistilBERT: 0.6), got %g",
                            o->distill_size);
        if (!(x = ytree_get(w, "speed")))
            return cfg_missing(err, w, "model.optimize.distill", "speed");
        if (cfg_get_number(err, x, "model.optimize.distill.speed", &o->distill_speed))
            return -1;
        if (!(o->distill_speed > 0 && isfinite(o->distill_speed)))
            return cfg_fail(err, x, "model.optimize.distill.speed", "the student's speed-up "
                            "over the teacher is above 0 (DistilBERT: 1.6), got %g",
                            o->distill_speed);
        o->distill_at = w;
    }
    return 0;
}

/* d scaled by c > 0 in time: every sample c times the original's, the mean too. */
static void scale_dist(struct dist *d, double c)
{
    d->mean_s *= c;
    switch (d->kind) {
    case DIST_CONSTANT:
    case DIST_EXPONENTIAL:
        break;
    case DIST_LOGNORMAL:
        d->a += log(c); /* exp(N(mu + ln c, sigma^2)) = c exp(N(mu, sigma^2)) */
        break;
    case DIST_GAMMA:
        d->b *= c;
        break;
    case DIST_EMPIRICAL:
        for (size_t i = 0; i < d->n; i++)
            d->x[i] *= c;
        break;
    case DIST_MIXTURE: /* each part scaled: the mixture of scaled parts is the scaled mixture */
        for (size_t i = 0; i < d->n; i++)
            scale_dist(&d->parts[i], c);
        break;
    }
}

static int64_t scale_bytes(int64_t bytes, double f)
{
    return (int64_t)((double)bytes * f + 0.5);
}

int64_t model_optimize_memory(int64_t memory_bytes, int64_t weights_bytes, double f)
{
    double w = (double)(weights_bytes < memory_bytes ? weights_bytes : memory_bytes);
    double m = (double)memory_bytes - w * (1 - f);
    int64_t mib = (int64_t)ceil(m / (double)(1LL << 20) - 1e-9);
    return mib * (1LL << 20);
}

void model_optimize_none(struct model_optimize *o)
{
    memset(o, 0, sizeof *o);
    o->distill_size = 1;
    o->distill_speed = 1;
}

int model_optimize_apply(struct model_spec *m, const struct model_optimize *o, char *why,
                         size_t whylen)
{
    double size = o->distill_size, speed = o->distill_speed;
    if (m->is_llm) {
        if (o->distill_size != 1 || o->distill_speed != 1) {
            snprintf(why, whylen, "a distilled LLM is another architecture: describe the "
                     "student in model.llm (its parameters, layers, hidden, ...) instead");
            return -1;
        }
        if (!o->quantize[0])
            return 0;
        /* The weights and the artifact scale with the bytes of a parameter; where
         * model_llm_parse derived them from the parameters they are derived again, so
         * that int8 weights are exactly parameters x 1 byte. */
        double r = o->quantize_bytes / m->dtype_bytes;
        m->weights_bytes = o->weights_given ? scale_bytes(m->weights_bytes, r)
                                            : (int64_t)(m->llm.parameters * o->quantize_bytes + 0.5);
        m->size_bytes = o->size_given ? scale_bytes(m->size_bytes, r) : m->weights_bytes;
        m->dtype_bytes = o->quantize_bytes;
        m->dtype_fp8 = strcmp(o->quantize, "fp8") == 0;
        m->opt_size = r;
        m->opt_speed = 1; /* the engine's roofline reads the fewer bytes itself */
        snprintf(m->opt_quantize, sizeof m->opt_quantize, "%s", o->quantize);
        return 0;
    }
    if (o->quantize[0]) {
        if (strcmp(o->quantize, "int8") != 0) {
            snprintf(why, whylen, "only int8 quantises a model that is not an LLM (the one type "
                     "with a published CPU speed-up); %s is for model.llm", o->quantize);
            return -1;
        }
        size *= MODEL_INT8_SIZE_FACTOR;
        speed *= MODEL_INT8_CPU_SPEEDUP;
        m->dtype_bytes = 1;
        snprintf(m->opt_quantize, sizeof m->opt_quantize, "%s", o->quantize);
    }
    int64_t weights = m->weights_bytes > 0 ? m->weights_bytes : m->size_bytes;
    m->memory_bytes = model_optimize_memory(m->memory_bytes, weights, size);
    m->size_bytes = scale_bytes(m->size_bytes, size);
    if (m->weights_bytes > 0)
        m->weights_bytes = scale_bytes(m->weights_bytes, size);
    m->flops /= speed;
    scale_dist(&m->service, 1 / speed);
    m->opt_size = size;
    m->opt_speed = speed;
    return 0;
}

int model_optimize_parse(struct slsim_error *err, const struct ynode *n, struct model_spec *m)
{
    struct model_optimize o;
    const struct ynode *v = ytree_get(n, "optimize"), *dt = ytree_get(n, "dtype");
    char why[240];
    m->opt_size = 1;
    m->opt_speed = 1;
    m->opt_quantize[0] = '\0';
    if (!v)
        return 0;
    model_optimize_none(&o);
    o.weights_given = ytree_get(n, "weights") != NULL;
    o.size_given = ytree_get(n, "size") != NULL;
    if (parse_optimize(err, v, &o))
        return -1;
    /* model.dtype is the type of the model served: written next to quantize it must
     * say the same, or the file says two things. */
    if (o.quantize[0] && dt && dt->text && strcmp(dt->text, o.quantize) != 0)
        return cfg_fail(err, o.quantize_at, "model.optimize.quantize", "model.dtype is %s "
                        "(line %d) but quantize makes the weights %s: leave model.dtype out "
                        "(the original is %s) or write the same type",
                        dt->text, dt->line, o.quantize, m->is_llm ? "fp16" : "fp32");
    if (model_optimize_apply(m, &o, why, sizeof why))
        return cfg_fail(err, m->is_llm && o.distill_at ? o.distill_at : o.quantize_at,
                        m->is_llm && o.distill_at ? "model.optimize.distill"
                                                  : "model.optimize.quantize", "%s", why);
    return 0;
}
