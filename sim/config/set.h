/* set.h - `--set key.path=value` overrides spliced into a scenario's tree (set.c).
 * Internal to sim/config. */
#ifndef SLSIM_CONFIG_SET_H
#define SLSIM_CONFIG_SET_H

#include "slsim/error.h"
#include "../base/yaml_tree.h"

/* Apply one override "key.path=value" to the tree at *root (which it may replace):
 * the value is parsed as YAML flow, placed at its own position in the override
 * text (file "--set"), and replaces the key, an item of a sequence (by [N] or by
 * name), or, when null, removes it; missing mappings on the way are made. 0, or -1
 * with err set (file "--set", the column in the override text). */
int scenario_apply_set(struct slsim_error *err, struct ynode **root, const char *set);

#endif
