/* batching_config.c - `batching:` on a fleet or a serverless deployment: dynamic
 * batching with the names and meaning of Triton's dynamic batcher. */
#include "slsim/limits.h"
#include "deployment_config_internal.h"
#include "../base/yaml_get.h"

static const char *const batching_keys[] = {"max_batch_size",  "max_queue_delay",
                                            "preferred_batch_size", "max_queue_size",
                                            "scale_out_delay", NULL};

/* The largest batch a machine runs: Triton allows any; a bound keeps the batch-time
 * table (one entry per size) small. */
#define MAX_BATCH_SIZE 4096

/* `batching:` at path into *b (Triton's dynamic batcher: max_batch_size required,
 * max_queue_delay default 0, preferred_batch_size ascending sizes up to
 * max_batch_size, max_queue_size default 0 = unbounded; serverless: scale_out_delay,
 * default 0). 0, or -1 with err. */
int batching_spec_parse(struct slsim_error *err, const struct ynode *v, const char *path,
                        struct batching_spec *b)
{
    char kp[KEY_MAX];
    const struct ynode *w;
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, path, "expected a mapping such as {max_batch_size: 32, "
                                      "max_queue_delay: 5ms}, got %s", ytree_describe(v));
    if (cfg_check_keys(err, v, path, batching_keys))
        return -1;
    if (!(w = ytree_get(v, "max_batch_size")))
        return cfg_missing(err, v, path, "max_batch_size");
    cfg_path_join(kp, path, "max_batch_size");
    if (cfg_get_u32_range(err, w, kp, 1, MAX_BATCH_SIZE, &b->max_batch_size))
        return -1;
    if ((w = ytree_get(v, "max_queue_delay"))) {
        cfg_path_join(kp, path, "max_queue_delay");
        if (cfg_get_duration(err, w, kp, 0, &b->max_queue_delay_ns))
            return -1;
        if (b->max_queue_delay_ns < 0)
            return cfg_fail(err, w, kp, "a delay is 0 or more");
    }
    b->scale_out_delay_ns = -1; /* not given: the platform's (serverless_batch.c) */
    if ((w = ytree_get(v, "scale_out_delay"))) {
        cfg_path_join(kp, path, "scale_out_delay");
        if (cfg_get_duration(err, w, kp, 0, &b->scale_out_delay_ns))
            return -1;
        if (b->scale_out_delay_ns < 0)
            return cfg_fail(err, w, kp, "a delay is 0 or more");
    }
    if ((w = ytree_get(v, "max_queue_size"))) {
        cfg_path_join(kp, path, "max_queue_size");
        if (cfg_get_u32_range(err, w, kp, 0, FLEET_QUEUE_UNBOUNDED - 1, &b->max_queue_size))
            return -1;
    }
    if ((w = ytree_get(v, "preferred_batch_size"))) {
        cfg_path_join(kp, path, "preferred_batch_size");
        if (w->kind != YNODE_SEQUENCE || w->n_items == 0)
            return cfg_fail(err, w, kp, "expected a list of batch sizes such as [8, 16, 32], "
                                        "got %s", ytree_describe(w));
        if (w->n_items > BATCHING_PREFERRED_MAX)
            return cfg_fail(err, w, kp, "at most %d preferred sizes", BATCHING_PREFERRED_MAX);
        for (size_t i = 0; i < w->n_items; i++) {
            const struct ynode *x = w->items[i];
            uint32_t size;
            if (cfg_get_u32_range(err, x, kp, 1, b->max_batch_size, &size))
                return -1;
            if (i && size <= b->preferred[i - 1])
                return cfg_fail(err, x, kp, "preferred sizes go up: %u after %u", size,
                                b->preferred[i - 1]);
            b->preferred[b->n_preferred++] = size;
        }
    }
    return 0;
}
