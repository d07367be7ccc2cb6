/* kept_warm_config.c - how a serverless deployment keeps instances warm: keep_alive
 * (a fixed idle time, or a policy that learns or evicts: one row each in the
 * platform's policy_keepalive, which names its keys and reads them), provisioned
 * instances by time of week,
 * warming pings, and top-ups before times of day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deployment_config_internal.h"
#include "slsim/platform.h"
#include "../base/yaml_get.h"

static const char *const provisioned_keys[] = {"default", "schedule", NULL};
static const char *const rule_keys[] = {"days", "from", "to", "count", NULL};
static const char *const warming_keys[] = {"every", "instances", "ping", NULL};
static const char *const ahead_keys[] = {"at", "instances", NULL};

#define KEEPALIVE_KEYS_MAX 64

/* Every key a keep_alive mapping may hold: `policy`, then each policy's own, in the
 * order of policy_keepalive; NULL-terminated. */
static void keepalive_keys(const char *keys[KEEPALIVE_KEYS_MAX])
{
    size_t k = 0;
    keys[k++] = "policy";
    keys[k] = NULL;
    for (const struct policy_row *row = policy_keepalive; row->name; row++)
        for (const char *const *key = row->keys; *key && k + 1 < KEEPALIVE_KEYS_MAX; key++)
            if (!cfg_in_list(*key, keys)) {
                keys[k++] = *key;
                keys[k] = NULL;
            }
}

int serverless_keep_alive_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                                struct serverless_spec *d)
{
    char sub[KEY_MAX];
    ka_hist_params_default(&d->keep_alive.hist);
    d->keep_alive.policy = KEEPALIVE_FIXED;
    if (v->kind == YNODE_SCALAR && strcmp(v->text, "none") == 0) {
        d->keep_alive.duration_ns = 0;
        return 0;
    }
    if (v->kind != YNODE_MAPPING)
        return cfg_get_duration(err, v, kp, 1, &d->keep_alive.duration_ns);
    const char *keys[KEEPALIVE_KEYS_MAX];
    keepalive_keys(keys);
    if (cfg_check_keys(err, v, kp, keys))
        return -1;
    const struct ynode *w = ytree_get(v, "policy");
    if (!w)
        return cfg_missing(err, v, kp, "policy");
    cfg_path_join(sub, kp, "policy");
    const struct policy_row *row = serverless_policy_parse(err, w, sub, "keep-alive policy",
                                                           policy_keepalive);
    if (!row)
        return -1;
    for (size_t i = 0; i < v->n_pairs; i++) {
        const char *k = v->pairs[i].key->text;
        if (strcmp(k, "policy") != 0 && !cfg_in_list(k, row->keys)) {
            cfg_path_join(sub, kp, k);
            return cfg_fail(err, v->pairs[i].key, sub, "\"%s\" does not apply to policy %s", k,
                            row->name);
        }
    }
    d->keep_alive.policy = (enum keepalive_policy)row->id;
    return row->parse ? row->parse(err, v, kp, row, d) : 0;
}

/* provisioned: N, or {default: N, schedule: [{days, from, to, count}, ...]}. */
int serverless_provisioned_parse(struct slsim_error *err, const struct ynode *v,
                                 const char *kp, struct serverless_spec *d)
{
    char sub[KEY_MAX], why[200];
    if (v->kind != YNODE_MAPPING)
        return cfg_get_u32_range(err, v, kp, 0, MAX_RESERVED, &d->provisioned.default_count);
    if (cfg_check_keys(err, v, kp, provisioned_keys))
        return -1;
    const struct ynode *w;
    if ((w = ytree_get(v, "default"))) {
        cfg_path_join(sub, kp, "default");
        if (cfg_get_u32_range(err, w, sub, 0, MAX_RESERVED, &d->provisioned.default_count))
            return -1;
    }
    if (!(w = ytree_get(v, "schedule")))
        return 0;
    cfg_path_join(sub, kp, "schedule");
    if (w->kind != YNODE_SEQUENCE)
        return cfg_fail(err, w, sub, "expected a list of {days, from, to, count}, got %s",
                        ytree_describe(w));
    for (size_t i = 0; i < w->n_items; i++) {
        const struct ynode *r = w->items[i], *x;
        char rp[KEY_MAX], fp[KEY_MAX];
        const char *text[3];
        static const char *const parts[] = {"days", "from", "to"};
        uint32_t count;
        cfg_path_index(rp, sub, i + 1);
        if (r->kind != YNODE_MAPPING)
            return cfg_fail(err, r, rp, "expected {days: mon-fri, from: \"08:00\", to: \"20:00\", "
                                        "count: 10}, got %s", ytree_describe(r));
        if (cfg_check_keys(err, r, rp, rule_keys))
            return -1;
        for (int k = 0; k < 3; k++) {
            if (!(x = ytree_get(r, parts[k])))
                return cfg_missing(err, r, rp, parts[k]);
            cfg_path_join(fp, rp, parts[k]);
            if (!(text[k] = cfg_want_scalar(err, x, fp, k ? "a time such as \"08:00\""
                                                          : "days such as mon-fri")))
                return -1;
        }
        if (!(x = ytree_get(r, "count")))
            return cfg_missing(err, r, rp, "count");
        cfg_path_join(fp, rp, "count");
        if (cfg_get_u32_range(err, x, fp, 0, MAX_RESERVED, &count))
            return -1;
        if (sched_add_rule(&d->provisioned, text[0], text[1], text[2], count, why, sizeof why))
            return cfg_fail(err, r, rp, "%s", why);
    }
    return 0;
}

int serverless_warming_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                             struct serverless_spec *d)
{
    char sub[KEY_MAX];
    const struct ynode *w;
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, kp, "expected {every: 5m, instances: 2}, got %s",
                        ytree_describe(v));
    if (cfg_check_keys(err, v, kp, warming_keys))
        return -1;
    d->warming.instances = 1;
    d->warming.ping_ns = 10 * SIM_NS_PER_MS; /* a warmer returns at once */
    if (!(w = ytree_get(v, "every")))
        return cfg_missing(err, v, kp, "every");
    cfg_path_join(sub, kp, "every");
    if (cfg_get_duration(err, w, sub, 0, &d->warming.every_ns))
        return -1;
    if (d->warming.every_ns <= 0)
        return cfg_fail(err, w, sub, "every must be above 0");
    if ((w = ytree_get(v, "instances"))) {
        cfg_path_join(sub, kp, "instances");
        if (cfg_get_u32_range(err, w, sub, 1, MAX_RESERVED, &d->warming.instances))
            return -1;
    }
    if ((w = ytree_get(v, "ping"))) {
        cfg_path_join(sub, kp, "ping");
        if (cfg_get_duration(err, w, sub, 0, &d->warming.ping_ns))
            return -1;
    }
    return 0;
}

int serverless_warm_before_parse(struct slsim_error *err, const struct ynode *v,
                                 const char *kp, struct serverless_spec *d)
{
    char why[200];
    if (v->kind != YNODE_SEQUENCE)
        return cfg_fail(err, v, kp, "expected a list of {at: \"07:45\", instances: 10}, got %s",
                        ytree_describe(v));
    d->warm_before = calloc(v->n_items ? v->n_items : 1, sizeof *d->warm_before);
    if (!d->warm_before)
        return cfg_fail(err, v, kp, "out of memory");
    for (size_t i = 0; i < v->n_items; i++) {
        const struct ynode *r = v->items[i], *x;
        char rp[KEY_MAX], fp[KEY_MAX];
        cfg_path_index(rp, kp, i + 1);
        d->n_warm_before = i + 1;
        if (r->kind != YNODE_MAPPING)
            return cfg_fail(err, r, rp, "expected {at: \"07:45\", instances: 10}, got %s",
                            ytree_describe(r));
        if (cfg_check_keys(err, r, rp, ahead_keys))
            return -1;
        const char *t;
        if (!(x = ytree_get(r, "at")))
            return cfg_missing(err, r, rp, "at");
        cfg_path_join(fp, rp, "at");
        if (!(t = cfg_want_scalar(err, x, fp, "a time of day such as \"07:45\"")))
            return -1;
        if (sched_parse_at(t, &d->warm_before[i].at_ns, why, sizeof why))
            return cfg_fail(err, x, fp, "%s", why);
        if (!(x = ytree_get(r, "instances")))
            return cfg_missing(err, r, rp, "instances");
        cfg_path_join(fp, rp, "instances");
        if (cfg_get_u32_range(err, x, fp, 1, MAX_RESERVED, &d->warm_before[i].instances))
            return -1;
    }
    return 0;
}
