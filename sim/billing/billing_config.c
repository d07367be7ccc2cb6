/* billing_config.c - the billing block of a catalog platform.
 *
 * The block says how a platform turns what happened into a bill: the mode (a rule of
 * rules.c that a catalog may name), the rounding and the resources billed, and the
 * prices, each with its source and date. Beside the common keys, each billing rule
 * brings the keys it prices and the checks they must pass, so that the keys of a rule
 * the block does not use are refused rather than silently ignored; the kept-warm rule
 * the block selects is derived last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing_config.h"
#include "rules.h"

#define KEYS_MAX 64   /* common keys and every rule's keys */
#define CHECKS_MAX 64 /* common checks and every rule's checks */
#define MODES_MAX 16  /* rules a catalog's `mode:` may name */
#define AT(name, kind, field) BILLING_KEY_AT(name, kind, field, 0)

/* The keys of every block, in the order "unknown key" messages list them; the rules'
 * keys follow "tiers", in table order, and "free" ends the list. */
static const char *const head_keys[] = {"mode",     "memory_unit", "memory_round", "rounding",
                                        "minimum",  "init_billed", "init_max",     "vcpu",
                                        "gpus",     "request",     "gb_s",         "vcpu_s",
                                        "gpu_s",    "tiers",       NULL};

/* The common keys, in the order they are read (after mode; the rules' prices follow
 * request ... gpu_s, then tiers, then the rules' other keys, then free). */
static const struct billing_key common_keys[] = {
    AT("rounding", BILLING_KEY_PERIOD, round_ns), AT("minimum", BILLING_KEY_DURATION, minimum_ns),
    AT("memory_unit", BILLING_KEY_MEMORY_UNIT, memory_unit_bytes),
    AT("memory_round", BILLING_KEY_SIZE, memory_round_bytes),
    AT("init_billed", BILLING_KEY_FLAG, init_billed),
    AT("init_max", BILLING_KEY_PERIOD, init_max_ns),
    AT("vcpu", BILLING_KEY_AMOUNT, vcpu), AT("gpus", BILLING_KEY_AMOUNT, gpus),
    AT("request", BILLING_KEY_PRICE, request), BILLING_KEY_AT("gb_s", BILLING_KEY_PRICE, gb_s, 1),
    AT("vcpu_s", BILLING_KEY_PRICE, vcpu_s), AT("gpu_s", BILLING_KEY_PRICE, gpu_s),
    BILLING_KEYS_END,
};

static const char *const tier_keys[] = {"from", "gb_s", NULL};
static const char *const free_keys[] = {"requests", "gb_s", "vcpu_s", "source",
                                        "with_provisioned", NULL};
static const char *const memory_unit_names[] = {"GiB", "GB", NULL};
static const double memory_unit_bytes[] = {1073741824.0, 1e9};

static int vcpu_billed(const struct platform_profile *p)
{
    return p->vcpu > 0;
}

static int gpus_billed(const struct platform_profile *p)
{
    return p->gpus > 0;
}

static int flat_price_given(const struct platform_profile *p)
{
    return p->gb_s.set;
}

static int init_is_billed(const struct platform_profile *p)
{
    return p->init_billed;
}

/* Keys that would silently do nothing are mistakes. */
static const struct billing_check common_checks[] = {
    {10, "vcpu_s", vcpu_billed, "vcpu_s is priced but no vCPU is billed: set billing.vcpu"},
    {20, "gpu_s", gpus_billed, "gpu_s is priced but no GPU is billed: set billing.gpus"},
    {30, "tiers", flat_price_given, "tiers need gb_s, the price below the first tier"},
    {40, "init_max", init_is_billed, "init_max applies only with init_billed: true"},
    {0, NULL, NULL, NULL},
};

/* The key k of block n into its field of p, when n gives it. */
static int read_key(const struct catalog_read *r, const struct ynode *n, const char *path,
                    const struct billing_key *k, struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v = catalog_opt(n, path, k->name, kp);
    char *field = (char *)p + k->offset;
    int i;
    if (!v)
        return 0;
    switch (k->kind) {
    case BILLING_KEY_PRICE:
        return catalog_get_price(r, v, kp, (struct price *)field);
    case BILLING_KEY_PERIOD:
        return catalog_get_period(r, v, kp, (sim_time *)field);
    case BILLING_KEY_DURATION:
        return cfg_get_duration(r->err, v, kp, 0, (sim_time *)field);
    case BILLING_KEY_SIZE:
        return cfg_get_size(r->err, v, kp, (int64_t *)field);
    case BILLING_KEY_FLAG:
        return cfg_get_bool(r->err, v, kp, (int *)field);
    case BILLING_KEY_AMOUNT:
        return catalog_get_min(r, v, kp, 0, (double *)field);
    case BILLING_KEY_MEMORY_UNIT:
        if (cfg_get_enum(r->err, v, kp, "memory unit", memory_unit_names, NULL, &i))
            return -1;
        *(double *)field = memory_unit_bytes[i];
        return 0;
    }
    return 0;
}

/* Read the keys of list (or, list NULL, of every rule) whose kind is (prices) or is
 * not (the others) a price. */
static int read_keys(const struct catalog_read *r, const struct ynode *n, const char *path,
                     const struct billing_key *list, int prices, struct platform_profile *p)
{
    size_t nr;
    const struct billing_rule *const *rules = billing_rules(&nr);
    for (size_t i = 0; i < (list ? 1 : nr); i++)
        for (const struct billing_key *k = list ? list : rules[i]->keys; k && k->name; k++)
            if ((k->kind == BILLING_KEY_PRICE) == prices && read_key(r, n, path, k, p))
                return -1;
    return 0;
}

/* Every key a block may give, in head_keys order, into out[cap]. */
static void known_keys(const char **out, size_t cap)
{
    size_t n = 0, nr;
    const struct billing_rule *const *rules = billing_rules(&nr);
    for (size_t i = 0; head_keys[i] && n + 2 < cap; i++)
        out[n++] = head_keys[i];
    for (size_t i = 0; i < nr; i++)
        for (const struct billing_key *k = rules[i]->keys; k && k->name && n + 2 < cap; k++)
            out[n++] = k->name;
    out[n++] = "free";
    out[n] = NULL;
}

/* The mode of block n at path into p->billing: the rules a catalog may name. */
static int read_mode(const struct catalog_read *r, const struct ynode *v, const char *path,
                     struct platform_profile *p)
{
    const char *names[MODES_MAX + 1];
    int ids[MODES_MAX], i;
    size_t n = 0, nr;
    char kp[KEY_MAX];
    const struct billing_rule *const *rules = billing_rules(&nr);
    for (size_t k = 0; k < nr && n < MODES_MAX; k++)
        if (rules[k]->kind == BILLING_RULE_MODE && (rules[k]->props & BILLING_WRITTEN)) {
            ids[n] = rules[k]->id;
            names[n++] = rules[k]->name;
        }
    names[n] = NULL;
    cfg_path_join(kp, path, "mode");
    if (cfg_get_enum(r->err, v, kp, "billing mode", names, NULL, &i))
        return -1;
    p->billing = (enum billing_mode)ids[i];
    return 0;
}

static int parse_tiers(const struct catalog_read *r, const struct ynode *seq, const char *path,
                       struct platform_profile *p)
{
    char ip[KEY_MAX], kp[KEY_MAX];
    if (seq->kind != YNODE_SEQUENCE || seq->n_items == 0)
        return cfg_fail(r->err, seq, path, "expected a sequence of {from, gb_s}, got %s",
                        ytree_describe(seq));
    p->tiers = calloc(seq->n_items, sizeof *p->tiers);
    if (!p->tiers)
        return catalog_get_oom(r, seq, path);
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct ynode *t = seq->items[i];
        struct price_tier *tier = &p->tiers[i];
        cfg_path_index(ip, path, i + 1);
        if (catalog_want_keys(r, t, ip, "a tier {from: GB-s per month, gb_s: PRICE}", tier_keys,
                              tier_keys))
            return -1;
        const struct ynode *from = ytree_get(t, "from");
        cfg_path_join(kp, ip, "from");
        if (catalog_get_min(r, from, kp, 0, &tier->from_units_per_month))
            return -1;
        /* Below the first tier the flat gb_s applies, so a tier from 0 would hide it. */
        if (tier->from_units_per_month <= (i ? p->tiers[i - 1].from_units_per_month : 0))
            return cfg_fail(r->err, from, kp, i ? "tiers must be in ascending order of from"
                                                : "the first tier must start above 0 (gb_s "
                                                  "is the price below it)");
        cfg_path_join(kp, ip, "gb_s");
        if (catalog_get_price(r, ytree_get(t, "gb_s"), kp, &tier->unit))
            return -1;
        p->n_tiers = i + 1;
    }
    return 0;
}

static int parse_free(const struct catalog_read *r, const struct ynode *n, const char *path,
                      struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    static const char *const required[] = {"source", NULL};
    if (catalog_want_keys(r, n, path, "a mapping {requests, gb_s, vcpu_s, source}", free_keys,
                          required))
        return -1;
    double *dst[] = {&p->free_requests, &p->free_gb_s, &p->free_vcpu_s};
    for (size_t i = 0; i < 3; i++)
        if ((v = catalog_opt(n, path, free_keys[i], kp)) && catalog_get_min(r, v, kp, 0, dst[i]))
            return -1;
    if ((v = catalog_opt(n, path, "with_provisioned", kp)) &&
        cfg_get_bool(r->err, v, kp, &p->free_with_provisioned))
        return -1;
    cfg_path_join(kp, path, "source");
    return catalog_get_text(r, ytree_get(n, "source"), kp, 0, p->free_source,
                            sizeof p->free_source);
}

/* 1 when list gives a price per GB-second that p has. */
static int prices_per_gb(const struct billing_key *list, const struct platform_profile *p)
{
    for (const struct billing_key *k = list; k && k->name; k++)
        if (k->per_gb && ((const struct price *)((const char *)p + k->offset))->set)
            return 1;
    return 0;
}

/* Every check of the common list and of the rules, by rank; the first broken one,
 * on a key the block gives, is the error. */
static int run_checks(const struct catalog_read *r, const struct ynode *n, const char *path,
                      const struct platform_profile *p)
{
    const struct billing_check *all[CHECKS_MAX];
    size_t count = 0, nr;
    const struct billing_rule *const *rules = billing_rules(&nr);
    for (size_t i = 0; i <= nr; i++) {
        const struct billing_check *c = i == 0 ? common_checks : rules[i - 1]->checks;
        for (; c && c->rank && count < CHECKS_MAX; c++) {
            size_t at = count++;
            for (; at > 0 && all[at - 1]->rank > c->rank; at--)
                all[at] = all[at - 1];
            all[at] = c;
        }
    }
    for (size_t i = 0; i < count; i++) {
        const struct ynode *v = ytree_get(n, all[i]->key);
        char kp[KEY_MAX];
        if (v && !all[i]->ok(p)) {
            cfg_path_join(kp, path, all[i]->key);
            return cfg_fail(r->err, v, kp, "%s", all[i]->why);
        }
    }
    return 0;
}

int billing_parse(const struct catalog_read *r, const struct ynode *n, const char *path,
                  struct platform_profile *p)
{
    const char *known[KEYS_MAX];
    const struct ynode *v;
    char kp[KEY_MAX];
    size_t nr;
    const struct billing_rule *const *rules = billing_rules(&nr);
    if (catalog_want_mapping(r, n, path, "a billing mapping {mode, rounding, ...}"))
        return -1;
    known_keys(known, KEYS_MAX);
    if (cfg_check_keys(r->err, n, path, known))
        return -1;
    if (!(v = ytree_get(n, "mode")))
        return cfg_missing(r->err, n, path, "mode");
    if (read_mode(r, v, path, p))
        return -1;
    p->free_with_provisioned = 1;
    if (!ytree_get(n, "rounding"))
        return cfg_missing(r->err, n, path, "rounding");
    /* Never 0, so that no meter divides by it; a catalog with a per-GB price must
     * still say which GB it means (below). */
    p->memory_unit_bytes = memory_unit_bytes[0];
    if (read_keys(r, n, path, common_keys, 0, p) || read_keys(r, n, path, common_keys, 1, p) ||
        read_keys(r, n, path, NULL, 1, p))
        return -1;
    if ((v = catalog_opt(n, path, "tiers", kp)) && parse_tiers(r, v, kp, p))
        return -1;
    if (read_keys(r, n, path, NULL, 0, p))
        return -1;
    if ((v = catalog_opt(n, path, "free", kp)) && parse_free(r, v, kp, p))
        return -1;

    int per_gb = prices_per_gb(common_keys, p);
    for (size_t i = 0; i < nr; i++)
        per_gb |= prices_per_gb(rules[i]->keys, p);
    if (per_gb && !ytree_get(n, "memory_unit"))
        return cfg_fail(r->err, n, path, "missing required key \"memory_unit\" (GiB or GB): "
                                         "a per-GB price needs to say which GB it means");
    if (run_checks(r, n, path, p))
        return -1;
    p->provisioned_rule = billing_select_provisioned(p);
    if (strcmp(p->name, "generic") != 0 && !billing_has_price(p))
        return cfg_fail(r->err, n, path, "no price: every platform but generic needs at least "
                                         "one of request, gb_s, vcpu_s, gpu_s");
    return 0;
}
