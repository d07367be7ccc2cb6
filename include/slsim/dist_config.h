/* dist_config.h - a distribution of times (or of counts) as a scenario or catalog
 * file writes it.
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

/* The same syntax for a distribution of counts (token counts): every value a plain
 * number >= 0 without a unit (`128`, {dist: lognormal, mean: 1000, cv: 1.2}), held
 * in the fields dist.h names in seconds, so a sample's "seconds" are the count (and
 * dist_sample_ns gives it times 1e9). A value with a unit (`5ms`) or below 0 is an
 * error at its node. 0, or -1 with err set. */
int cfg_parse_count_dist(struct slsim_error *err, const struct ynode *n, const char *path,
                         struct dist *out);

#endif
