/* deployment.c - the deployment types, by name. */
#include "slsim/deployment.h"

#include <stdlib.h>

static const char *const type_names[DEPLOYMENT_TYPES] = {
    [DEPLOYMENT_SERVERLESS] = "serverless",
    [DEPLOYMENT_DEDICATED] = "dedicated",
    [DEPLOYMENT_HYBRID] = "hybrid",
};

const char *deployment_type_name(enum deployment_type t)
{
    return (unsigned)t < DEPLOYMENT_TYPES ? type_names[t] : "?";
}

struct serverless_spec *deployment_serverless_mut(struct deployment_spec *d)
{
    return (struct serverless_spec *)deployment_serverless(d);
}

struct fleet_spec *deployment_fleet_mut(struct deployment_spec *d)
{
    return (struct fleet_spec *)deployment_fleet(d);
}

void deployment_spec_free(struct deployment_spec *d)
{
    struct serverless_spec *sv = deployment_serverless_mut(d);
    if (!sv)
        return;
    if (sv->coldstart == COLDSTART_DIST)
        dist_free(&sv->coldstart_dist);
    sched_free(&sv->provisioned);
    free(sv->warm_before);
}
