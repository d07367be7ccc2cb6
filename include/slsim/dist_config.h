/* dist_config.h - a distribution of times as a scenario or catalog file writes it.
 *
 * `100ms` (a constant) or {dist: constant|exponential|lognormal|gamma|empirical, ...}
 * with the keys docs/SCENARIO.md gives each kind; problems are reported at the
 * offending node of the position-keeping tree (sim/base/yaml_tree.h) with its key
 * path, like every other getter of sim/base/yaml_get.h. */
#ifndef SLSIM_DIST_CONFIG_H
#define SLSIM_DIST_CONFIG_H

#include "slsim/dist.h"
#include "slsim/error.h"

struct ynode;

/* The distribution written at node n, key path path, into *out, which the caller
 * owns afterwards (dist_free). 0, or -1 with err set at the offending node. */
int cfg_parse_dist(struct slsim_error *err, const struct ynode *n, const char *path,
                   struct dist *out);

#endif
