/* deployment_config.h - the scenario's `deployments:` list (docs/SCENARIO.md), and
 * the names of the serverless policies as files write them.
 *
 * A deployment's `type` picks a row of one table (deployment_config.c): the type's
 * name (deployment_type_name), the keys it takes besides name and type, and the
 * function that parses them. A key of another type is refused with a message naming
 * that type; every serverless setting is checked against its catalog platform. */
#ifndef SLSIM_DEPLOYMENT_CONFIG_H
#define SLSIM_DEPLOYMENT_CONFIG_H

#include <stddef.h>

#include "slsim/catalog.h"
#include "slsim/deployment.h"
#include "slsim/error.h"
#include "slsim/perf.h"
#include "slsim/units.h"

struct ynode;

/* What deployments are checked against, from the sections parsed before them. */
struct deployment_context {
    const struct catalog *catalog;     /* platforms, instance types, discounts */
    const struct model_spec *model;    /* its memory is a serverless deployment's default;
                                          its size must fit the platform */
    const struct ynode *model_memory;  /* where model.memory was written, or NULL: errors
                                          about an inherited memory point there */
    sim_time duration_ns;              /* simulated time, for the limits on periodic events */
    double functions;                  /* functions served (workload_spec_known_functions) */
    int trace;                         /* 1: the workload replays a trace, whose functions are
                                          numbered as it is read (per-function keys refused) */
};

/* Fill *deps (calloc'd, n_items of n) from n, the value of `deployments:`: a
 * non-empty sequence of deployment mappings with unique names. Each item is counted
 * in *n_deps before it is parsed, so on -1 the caller frees *deps[0 .. *n_deps) with
 * deployment_spec_free and then *deps, as on success. 0, or -1 with err set; key
 * paths name a deployment by its name ("deployments.gpu.count") once it is readable,
 * else by its place ("deployments[2]"). */
int deployments_parse(struct slsim_error *err, const struct ynode *n,
                      const struct deployment_context *ctx, struct deployment_spec **deps,
                      size_t *n_deps);

/* The name item n (1-based index1 in `deployments:`) is known by before it is
 * checked: its `name`, else <type>-<index1> (type "serverless" when not given), as
 * `--set deployments.NAME.key=...` addresses it. Writes the <type>-<index1> form
 * into out (len bytes); the caller reads `name` itself. */
void deployment_default_name(const struct ynode *n, size_t index1, char *out, size_t len);


#endif
