/* deployment_config.c - the scenario's `deployments:` list, dispatched by type.
 *
 * One row per deployment type: the keys it takes besides name and type, and the
 * function that parses them (serverless_config.c, fleet_config.c, the hybrid here).
 * Unknown keys are errors, never ignored: a misspelt `keep_alvie` that silently fell
 * back to the default would make a study wrong without anyone noticing. A key that
 * belongs to another type gets a message naming that type. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deployment_config_internal.h"
#include "../base/yaml_get.h"

/* Keys of one type, name and type included: the longest type's and those two. */
#define MAX_TYPE_KEYS 32

static const char *const hybrid_keys[] = {"base", "overflow", "overflow_queue", NULL};

static int parse_serverless(struct slsim_error *err, const struct ynode *n, const char *path,
                            const struct deployment_context *ctx, struct deployment_spec *d)
{
    return serverless_spec_parse(err, n, path, ctx, d->name, &d->serverless);
}

static int parse_dedicated(struct slsim_error *err, const struct ynode *n, const char *path,
                           const struct deployment_context *ctx, struct deployment_spec *d)
{
    return fleet_spec_parse(err, n, path, ctx, &d->dedicated);
}

/* A fleet base (`base:`, fleet keys) whose overflow goes to a serverless tier
 * (`overflow:`, serverless keys) once overflow_queue requests wait at the base. */
static int parse_hybrid(struct slsim_error *err, const struct ynode *n, const char *path,
                        const struct deployment_context *ctx, struct deployment_spec *d)
{
    const struct ynode *base = ytree_get(n, "base"), *over = ytree_get(n, "overflow"), *v;
    char bp[KEY_MAX], op[KEY_MAX], kp[KEY_MAX];
    cfg_path_join(bp, path, "base");
    cfg_path_join(op, path, "overflow");
    if (!base)
        return cfg_missing(err, n, path, "base");
    if (!over)
        return cfg_missing(err, n, path, "overflow");
    if (base->kind != YNODE_MAPPING)
        return cfg_fail(err, base, bp, "expected a fleet mapping such as {instance: c6i.xlarge, "
                                       "count: 1, slots: 4}, got %s", ytree_describe(base));
    if (over->kind != YNODE_MAPPING)
        return cfg_fail(err, over, op, "expected a serverless mapping such as {platform: "
                                       "aws-lambda, memory: 2GiB}, got %s", ytree_describe(over));
    if (cfg_check_keys(err, base, bp, fleet_config_keys) ||
        cfg_check_keys(err, over, op, serverless_config_keys))
        return -1;
    if (fleet_spec_parse(err, base, bp, ctx, &d->hybrid.base) ||
        serverless_spec_parse(err, over, op, ctx, d->name, &d->hybrid.overflow))
        return -1;
    if ((v = ytree_get(n, "overflow_queue"))) {
        cfg_path_join(kp, path, "overflow_queue");
        if (cfg_get_u32_range(err, v, kp, 0, FLEET_QUEUE_UNBOUNDED - 1, &d->hybrid.overflow_queue))
            return -1;
    } else if (d->hybrid.base.batching.max_batch_size) {
        /* A batching base needs a queue to form batches: by default a request
         * overflows once a full batch waits for every machine. */
        uint64_t q = (uint64_t)d->hybrid.base.count * d->hybrid.base.batching.max_batch_size;
        d->hybrid.overflow_queue = q < FLEET_QUEUE_UNBOUNDED - 1 ? (uint32_t)q
                                                                 : FLEET_QUEUE_UNBOUNDED - 1;
    }
    return 0;
}

static const struct deployment_kind {
    const char *const *keys; /* besides name and type, NULL-terminated, in message order */
    const char *hint;        /* added to the message about another type's key */
    int (*parse)(struct slsim_error *err, const struct ynode *n, const char *path,
                 const struct deployment_context *ctx, struct deployment_spec *d);
} kinds[DEPLOYMENT_TYPES] = {
    [DEPLOYMENT_SERVERLESS] = {serverless_config_keys, "", parse_serverless},
    [DEPLOYMENT_DEDICATED] = {fleet_config_keys, "", parse_dedicated},
    [DEPLOYMENT_HYBRID] = {hybrid_keys,
                           " (put fleet keys under base: and serverless keys under overflow:)",
                           parse_hybrid},
};

/* The keys of type t, name and type first, NULL-terminated, into out. */
static void type_keys(enum deployment_type t, const char *out[MAX_TYPE_KEYS])
{
    size_t n = 0;
    out[n++] = "name";
    out[n++] = "type";
    for (const char *const *k = kinds[t].keys; *k; k++) {
        assert(n + 1 < MAX_TYPE_KEYS);
        out[n++] = *k;
    }
    out[n] = NULL;
}

void deployment_default_name(const struct ynode *n, size_t index1, char *out, size_t len)
{
    const struct ynode *t = ytree_get(n, "type");
    const char *type = t && t->kind == YNODE_SCALAR && !ytree_is_null(t)
                           ? t->text
                           : deployment_type_name(DEPLOYMENT_SERVERLESS);
    snprintf(out, len, "%.40s-%zu", type, index1);
}

int deployment_discount_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                              const struct catalog *c, const char *target,
                              char out[SLSIM_NAME_MAX])
{
    if (cfg_get_name(err, v, kp, NAME_IDENT_DOT, out))
        return -1;
    const struct discount *disc = catalog_find_discount(c, out);
    if (!disc) {
        char names[512];
        catalog_discount_names(c, names, sizeof names);
        return cfg_fail(err, v, kp, "unknown discount \"%s\"; known: %s", out, names);
    }
    if (!catalog_discount_applies(disc, target))
        return cfg_fail(err, v, kp, "discount \"%s\" applies to %s, not to %s", out,
                        disc->applies_to, target);
    return 0;
}

int deployment_serving_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                             int is_llm, struct serving_spec *s)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    if ((v = ytree_get(n, "serving"))) {
        cfg_path_join(kp, path, "serving");
        if (!is_llm)
            return cfg_fail(err, v, kp, "serving sets an LLM's engine (vLLM's settings), and "
                                        "the model is not one: give model.llm");
        if (serving_spec_parse(err, v, kp, s))
            return -1;
    }
    if (is_llm && (v = ytree_get(n, "batching"))) {
        cfg_path_join(kp, path, "batching");
        return cfg_fail(err, v, kp, "an LLM's requests are batched by its engine's iterations "
                                    "(serving: max_num_seqs, max_num_batched_tokens), not by "
                                    "Triton's dynamic batcher");
    }
    return 0;
}

int deployment_llm_check(struct slsim_error *err, const struct ynode *n, const char *path,
                         const struct perf_spec *perf, const struct model_spec *m,
                         const struct perf_target *t, const char *where_key,
                         uint32_t *max_num_seqs)
{
    struct perf_model pm;
    if (perf_build(err, perf, m, t, &pm)) {
        char kp[KEY_MAX];
        const char *key = ytree_get(n, "serving") ? "serving"
                          : ytree_get(n, "perf")  ? "perf"
                                                  : where_key;
        cfg_path_join(kp, path, key);
        const struct ynode *at = ytree_get(n, key);
        return deployment_error_at(err, at ? at : n, kp);
    }
    *max_num_seqs = pm.llm->max_num_seqs * (pm.llm->dp ? pm.llm->dp : 1);
    perf_model_free(&pm);
    return 0;
}

int deployment_error_at(struct slsim_error *err, const struct ynode *at, const char *kp)
{
    snprintf(err->file, sizeof err->file, "%s", at->src);
    snprintf(err->key, sizeof err->key, "%s", kp);
    err->line = at->line;
    err->column = at->column;
    return -1;
}

/* Keys of a type that another type owns get a message naming the right type. */
static int check_type_keys(struct slsim_error *err, const struct ynode *n, const char *path,
                           enum deployment_type type)
{
    const char *own[MAX_TYPE_KEYS];
    type_keys(type, own);
    for (size_t i = 0; i < n->n_pairs; i++) {
        const char *k = n->pairs[i].key->text;
        if (cfg_in_list(k, own))
            continue;
        for (int t = 0; t < DEPLOYMENT_TYPES; t++)
            if (t != (int)type && cfg_in_list(k, kinds[t].keys)) {
                char kp[KEY_MAX];
                cfg_path_join(kp, path, k);
                return cfg_fail(err, n->pairs[i].key, kp,
                                "\"%s\" is a key of %s deployments; this one is %s%s", k,
                                deployment_type_name((enum deployment_type)t),
                                deployment_type_name(type), kinds[type].hint);
            }
    }
    return cfg_check_keys(err, n, path, own);
}

/* Item index1 (1-based) of `deployments:`; prev holds the items before it. */
static int parse_deployment(struct slsim_error *err, const struct ynode *n, size_t index1,
                            const struct deployment_context *ctx,
                            const struct deployment_spec *prev, struct deployment_spec *d)
{
    char path[KEY_MAX], kp[KEY_MAX];
    snprintf(path, sizeof path, "deployments[%zu]", index1);
    d->type = DEPLOYMENT_SERVERLESS;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, path, "expected a deployment mapping, got %s", ytree_describe(n));

    const struct ynode *nm = ytree_get(n, "name"), *v;
    if ((v = ytree_get(n, "type"))) {
        const char *names[DEPLOYMENT_TYPES + 1];
        int ti;
        for (int t = 0; t < DEPLOYMENT_TYPES; t++)
            names[t] = deployment_type_name((enum deployment_type)t);
        names[DEPLOYMENT_TYPES] = NULL;
        cfg_path_join(kp, path, "type");
        if (cfg_get_enum(err, v, kp, "deployment type", names, NULL, &ti))
            return -1;
        d->type = (enum deployment_type)ti;
    }
    /* Address the deployment by name in errors as soon as the name is readable. */
    if (nm && nm->kind == YNODE_SCALAR && cfg_is_ident(nm->text, 0) &&
        strlen(nm->text) < SLSIM_NAME_MAX) {
        snprintf(path, sizeof path, "deployments.%s", nm->text);
    } else if (!nm) {
        deployment_default_name(n, index1, d->name, sizeof d->name);
        snprintf(path, sizeof path, "deployments.%s", d->name);
    }
    if (check_type_keys(err, n, path, d->type))
        return -1;
    if (nm) {
        cfg_path_join(kp, path, "name");
        if (cfg_get_name(err, nm, kp, NAME_IDENT, d->name))
            return -1;
    }
    for (size_t i = 0; i + 1 < index1; i++)
        if (strcmp(prev[i].name, d->name) == 0)
            return cfg_fail(err, nm ? nm : n, nm ? kp : path,
                            "duplicate deployment name \"%s\" (deployments[%zu] has it too)",
                            d->name, i + 1);

    struct serverless_spec *sv = deployment_serverless_mut(d);
    if (sv)
        serverless_spec_defaults(sv, ctx->model);
    return kinds[d->type].parse(err, n, path, ctx, d);
}

int deployments_parse(struct slsim_error *err, const struct ynode *n,
                      const struct deployment_context *ctx, struct deployment_spec **deps,
                      size_t *n_deps)
{
    if (ytree_is_null(n) || (n->kind == YNODE_SEQUENCE && n->n_items == 0))
        return cfg_fail(err, n, "deployments", "at least one deployment is required");
    if (n->kind != YNODE_SEQUENCE)
        return cfg_fail(err, n, "deployments", "expected a sequence of deployments, got %s",
                    ytree_describe(n));
    *deps = calloc(n->n_items, sizeof **deps);
    if (!*deps)
        return slsim_error_set(err, n->src, n->line, n->column, "deployments", "out of memory");
    for (size_t i = 0; i < n->n_items; i++) {
        /* Counted before parsing, so the caller frees a half-filled one. */
        *n_deps = i + 1;
        if (parse_deployment(err, n->items[i], i + 1, ctx, *deps, &(*deps)[i]))
            return -1;
    }
    return 0;
}
