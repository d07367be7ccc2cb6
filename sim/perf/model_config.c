/* model_config.c - the scenario's `model:` section: the model served, its artifact
 * size (which drives cold starts), its instance memory and its service time. */
#include <stdio.h>

#include "slsim/dist_config.h"
#include "slsim/model_config.h"
#include "../base/yaml_get.h"

static const char *const model_keys[] = {"name", "size", "memory", "service", NULL};

int model_spec_parse(struct slsim_error *err, const struct ynode *n, struct model_spec *m)
{
    snprintf(m->name, sizeof m->name, "model");
    m->size_bytes = 0;
    m->memory_bytes = MODEL_DEFAULT_MEMORY_BYTES;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "model", "expected a mapping, got %s", ytree_describe(n));
    if (cfg_check_keys(err, n, "model", model_keys))
        return -1;
    const struct ynode *v;
    if ((v = ytree_get(n, "name")) && cfg_get_name(err, v, "model.name", NAME_TEXT, m->name))
        return -1;
    if ((v = ytree_get(n, "size"))) {
        if (cfg_get_size(err, v, "model.size", &m->size_bytes))
            return -1;
        m->size_line = v->line;
        m->size_column = v->column;
        m->size_src = v->src;
    }
    if ((v = ytree_get(n, "memory"))) {
        if (cfg_get_size(err, v, "model.memory", &m->memory_bytes))
            return -1;
        if (m->memory_bytes <= 0)
            return cfg_fail(err, v, "model.memory", "memory must be above 0 bytes");
    }
    if (!(v = ytree_get(n, "service")))
        return cfg_missing(err, n, "model", "service");
    return cfg_parse_dist(err, v, "model.service", &m->service);
}
