/* perf_target.c - the instance a deployment's requests run on, as the performance
 * models see it (perf.h): what the catalog says of its platform or instance type
 * (vCPUs, memory, accelerators), with the deployment's own memory, slots and
 * speed. */
#include <string.h>

#include "slsim/catalog.h"
#include "slsim/deployment.h"

void serverless_perf_target(const struct serverless_spec *s, const struct catalog *c,
                            struct perf_target *t)
{
    const struct platform_profile *p = c ? catalog_find_platform(c, s->platform) : NULL;
    *t = (struct perf_target){.speed = 1.0, .slots = s->concurrency ? s->concurrency : 1,
                              .memory_bytes = s->memory_bytes, .where = s->platform,
                              .max_batch = s->batching.max_batch_size,
                              .serving = &s->serving};
    if (!p)
        return;
    /* Lambda: "at 1,769 MB, a function has the equivalent of one vCPU" (AWS Lambda
     * docs, "Configure Lambda function memory"); its MB are MiB. */
    if (p->memory_per_vcpu_bytes > 0)
        t->vcpus = (double)s->memory_bytes / (double)p->memory_per_vcpu_bytes;
    else
        t->vcpus = p->vcpus;
    if (p->accelerator[0]) {
        t->accel = catalog_find_accelerator(c, p->accelerator);
        t->n_accel = t->accel ? (p->accelerators ? p->accelerators : 1) : 0;
    }
}

void fleet_perf_target(const struct fleet_spec *f, const struct catalog *c,
                       struct perf_target *t)
{
    const struct instance_type *type = c ? catalog_find_instance(c, f->instance) : NULL;
    *t = (struct perf_target){.speed = f->speed, .slots = f->slots ? f->slots : 1,
                              .dedicated = 1, .where = f->instance,
                              .max_batch = f->batching.max_batch_size,
                              .serving = &f->serving};
    if (!type)
        return;
    t->vcpus = type->vcpu;
    t->memory_bytes = type->memory_bytes;
    if (type->gpus > 0 && type->gpu_model[0]) {
        t->accel = catalog_find_accelerator(c, type->gpu_model);
        t->n_accel = t->accel ? type->gpus : 0;
    }
}

int serverless_perf_build(struct slsim_error *err, const struct serverless_spec *s,
                          const struct model_spec *m, const struct catalog *c,
                          struct perf_model *out)
{
    struct perf_target t;
    serverless_perf_target(s, c, &t);
    return perf_build(err, &s->perf, m, &t, out);
}

int fleet_perf_build(struct slsim_error *err, const struct fleet_spec *f,
                     const struct model_spec *m, const struct catalog *c,
                     struct perf_model *out)
{
    struct perf_target t;
    fleet_perf_target(f, c, &t);
    return perf_build(err, &f->perf, m, &t, out);
}

double fleet_perf_speed(const struct fleet_spec *f, const struct model_spec *m,
                        const struct catalog *c)
{
    struct slsim_error err;
    struct perf_model pm;
    if (fleet_perf_build(&err, f, m, c, &pm) != 0)
        return f->speed;
    double speed = pm.speed;
    perf_model_free(&pm);
    return speed;
}

double fleet_request_s(const struct fleet_spec *f, const struct model_spec *m,
                       const struct catalog *c)
{
    struct slsim_error err;
    struct perf_model pm;
    double mean_s = dist_mean_s(&m->service);
    if (fleet_perf_build(&err, f, m, c, &pm) != 0)
        return mean_s / f->speed;
    double t = mean_s / pm.speed;
    if (pm.batch_ns && pm.max_batch) /* full batches: the machine's best */
        t = pm.batch_ns[pm.max_batch - 1] / pm.max_batch / 1e9;
    perf_model_free(&pm);
    return t;
}
