/* deployment_config_internal.h - what the parsers of the deployment types share
 * (deployment_config.c dispatches to them by type). Internal to sim/platform. */
#ifndef SLSIM_DEPLOYMENT_CONFIG_INTERNAL_H
#define SLSIM_DEPLOYMENT_CONFIG_INTERNAL_H

#include "slsim/deployment_config.h"

#define MAX_CONCURRENCY 1000
#define MAX_RESERVED 1000000

/* The keys of a serverless deployment besides name and type, which are also the
 * keys of a hybrid's `overflow:`; NULL-terminated, in the order messages list them. */
extern const char *const serverless_config_keys[];
/* The keys of a dedicated deployment besides name and type, which are also the keys
 * of a hybrid's `base:`. */
extern const char *const fleet_config_keys[];

/* What a serverless deployment (or a hybrid's overflow tier) is when its keys leave
 * it alone: platform generic, model's memory, the platform's keep-alive, one request
 * per instance, no cap. */
void serverless_spec_defaults(struct serverless_spec *d, const struct model_spec *model);

/* The serverless settings of mapping n (keys already checked against
 * serverless_config_keys) at key path path, onto d's defaults, then checked against
 * the catalog platform and the limits; name is the deployment's, for messages. 0,
 * or -1 with err set at the offending key (the mapping when a default is wrong). */
int serverless_spec_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                          const struct deployment_context *ctx, const char *name,
                          struct serverless_spec *d);

/* The fleet of mapping n (keys already checked against fleet_config_keys) at key
 * path path: a catalog instance type, count (or `auto`), slots, speed, queue,
 * discount and autoscale. 0, or -1 with err set. */
int fleet_spec_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                     const struct deployment_context *ctx, struct fleet_spec *f);

/* `batching:` at path into *b: dynamic batching, Triton's dynamic batcher's keys
 * (max_batch_size required, 1 to 4,096; max_queue_delay; preferred_batch_size
 * ascending up to max_batch_size; max_queue_size, 0 = unbounded) and, on serverless,
 * scale_out_delay. 0, or -1 with err at file, line, column and key. */
int batching_spec_parse(struct slsim_error *err, const struct ynode *v, const char *path,
                        struct batching_spec *b);

/* A catalog discount named at v (key path kp) into out: it must exist in c and apply
 * to target, a provider or platform name. 0, or -1 with err set. */
int deployment_discount_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                              const struct catalog *c, const char *target,
                              char out[SLSIM_NAME_MAX]);

/* A deployment's (or tier's) `serving:` at mapping n (key path path) into *s, and the
 * keys an LLM refuses: `serving` needs an LLM (model.llm), and an LLM is batched by its
 * engine, not by `batching`. 0, or -1 with err at the key. */
int deployment_serving_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                             int is_llm, struct serving_spec *s);

/* An LLM's engine on target t, built to check it fits (err placed at `serving`,
 * `perf` or the key `where_key` that names the GPU, the first written): 0 and
 * *max_num_seqs, the sequences an instance's engines run at once (max_num_seqs x
 * data_parallel_size), or -1. */
int deployment_llm_check(struct slsim_error *err, const struct ynode *n, const char *path,
                         const struct perf_spec *perf, const struct model_spec *m,
                         const struct perf_target *t, const char *where_key,
                         uint32_t *max_num_seqs);

/* Place err, whose message is set, at node at with key path kp (at's file, line and
 * column: a --set value is placed there). Returns -1. */
int deployment_error_at(struct slsim_error *err, const struct ynode *at, const char *kp);

struct policy_row;
/* The row of a policy table of platform.h (keep-alive, idle pick, throttle mode) that
 * the scalar at v (key path kp) names, among the names a scenario may write, in table
 * order; `what` names the kind of value in messages. NULL with err set (did you mean,
 * the names expected). */
const struct policy_row *serverless_policy_parse(struct slsim_error *err, const struct ynode *v,
                                                 const char *kp, const char *what,
                                                 const struct policy_row *table);

/* The policies that keep serverless instances warm, at v (key path kp), into d:
 * keep_alive (a duration, none, forever or {policy: ...}), provisioned (N or
 * {default, schedule}), warming ({every, instances, ping}) and warm_before (a list
 * of {at, instances}). Each 0, or -1 with err set; d owns what they allocate. */
int serverless_keep_alive_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                                struct serverless_spec *d);
int serverless_provisioned_parse(struct slsim_error *err, const struct ynode *v,
                                 const char *kp, struct serverless_spec *d);
int serverless_warming_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                             struct serverless_spec *d);
int serverless_warm_before_parse(struct slsim_error *err, const struct ynode *v,
                                 const char *kp, struct serverless_spec *d);

#endif
