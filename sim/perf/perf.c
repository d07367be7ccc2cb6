/* perf.c - the performance models, by name.
 *
 * One model today: the request's work scaled by the serving instance's speed (a
 * dedicated machine's `speed`; 1 on serverless instances, which run the reference
 * instance). The table below is where a model is registered. */
#include <string.h>

#include "slsim/perf.h"

static sim_time scaled_start(const struct perf_model *m, const struct perf_instance *in,
                             const struct request *r, sim_time start_ns)
{
    (void)m;
    (void)start_ns;
    return perf_scaled_ns(r->service_ns, in->speed);
}

const struct perf_ops perf_scaled_ops = {
    .name = "scaled",
    .start = scaled_start,
    .occupancy = NULL,
};

static const struct {
    const struct perf_ops *ops;
    enum perf_kind kind;
} models[] = {
    {&perf_scaled_ops, PERF_SCALED},
};

const struct perf_ops *perf_find(const char *name)
{
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        if (strcmp(models[k].ops->name, name) == 0)
            return models[k].ops;
    return NULL;
}

void perf_model_init(struct perf_model *m, const struct perf_ops *ops)
{
    m->ops = ops;
    m->kind = PERF_OTHER;
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        if (models[k].ops == ops)
            m->kind = models[k].kind;
}
