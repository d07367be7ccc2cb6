/* coldstart.c - the cold-start model and the platform limits a deployment must keep.
 *
 * A cold start is sandbox and runtime start (random: the catalog's `init`
 * distribution) plus fetching the model artifact and loading it (size /
 * bandwidth): the two things a model team can change are the artifact size and the
 * runtime, so they are separate terms. Platforms whose catalog entry has no
 * cold-start profile (generic) start instances at once unless the deployment gives
 * a distribution of its own. */
#include <stdio.h>
#include <string.h>

#include "slsim/platform.h"

int platform_check_deployment(const struct deployment_spec *d,
                              const struct platform_profile *p, const struct catalog *c,
                              const char *file, struct slsim_error *err)
{
    char key[160];
    if (!p) {
        char names[1024];
        catalog_platform_names(c, names, sizeof names);
        snprintf(key, sizeof key, "deployments.%s.platform", d->name);
        return slsim_error_set(err, file, 0, 0, key, "unknown platform \"%s\"; known: %s",
                               d->platform, names);
    }
    char why[sizeof err->message];
    if (catalog_check_memory(p, d->memory_bytes, NULL, why, sizeof why)) {
        snprintf(key, sizeof key, "deployments.%s.memory", d->name);
        return slsim_error_set(err, file, 0, 0, key, "%s", why);
    }
    if (p->concurrency_max && d->concurrency > p->concurrency_max) {
        snprintf(key, sizeof key, "deployments.%s.concurrency", d->name);
        return slsim_error_set(err, file, 0, 0, key,
                               "%s serves at most %u request(s) per instance at once; got %u",
                               p->name, p->concurrency_max, d->concurrency);
    }
    return 0;
}

int coldstart_model_init(struct coldstart_model *m, const struct deployment_spec *d,
                         const struct platform_profile *p, int64_t size_bytes,
                         struct slsim_error *err)
{
    memset(m, 0, sizeof *m);
    switch (d->coldstart) {
    case COLDSTART_NONE:
        return 0;
    case COLDSTART_DIST:
        if (dist_copy(&m->init, &d->coldstart_dist) != 0)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        m->enabled = 1;
        return 0;
    case COLDSTART_DEFAULT:
        break;
    }
    if (!p->has_coldstart)
        return 0;
    double fixed_s = 0;
    if (p->fetch_bytes_per_s > 0)
        fixed_s += (double)size_bytes / p->fetch_bytes_per_s;
    if (p->load_bytes_per_s > 0)
        fixed_s += (double)size_bytes / p->load_bytes_per_s;
    m->fixed_ns = (sim_time)(fixed_s * 1e9 + 0.5);
    if (dist_copy(&m->init, &p->init) != 0)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    m->enabled = 1;
    return 0;
}

void coldstart_model_free(struct coldstart_model *m)
{
    if (m->enabled)
        dist_free(&m->init);
    m->enabled = 0;
}
