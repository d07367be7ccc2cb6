/* rules.c - the table of billing rules, and what is read from it: names, the
 * kept-warm rule a platform's billing block selects, and whether a deployment may
 * keep instances warm.
 *
 * A rule is one file (mode_*.c, kept_*.c) defining billing_rule_NAME and one row
 * below. Kept-warm rules are tried in table order, so the unpriced rule comes first
 * (a platform with no price bills nothing, whatever else it says) and the refusing
 * one last. */
#include "rules.h"

#define BILLING_RULES(X)                                                                       \
    X(request)                                                                                 \
    X(busy)                                                                                    \
    X(instance)                                                                                \
    X(machine)                                                                                 \
    X(kept_unpriced)                                                                           \
    X(kept_allocation)                                                                         \
    X(kept_idle_rate)                                                                          \
    X(kept_instance)                                                                           \
    X(kept_none)

#define DECLARE(name) extern const struct billing_rule billing_rule_##name;
#define ROW(name) &billing_rule_##name,
BILLING_RULES(DECLARE)
static const struct billing_rule *const rules[] = {BILLING_RULES(ROW)};

const struct billing_rule *const *billing_rules(size_t *n)
{
    *n = sizeof rules / sizeof *rules;
    return rules;
}

const struct billing_rule *billing_rule_of(enum billing_rule_kind kind, int id)
{
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
        if (rules[i]->kind == kind && rules[i]->id == id)
            return rules[i];
    return NULL;
}

int billing_has_price(const struct platform_profile *p)
{
    return p->request.set || p->gb_s.set || p->vcpu_s.set || p->gpu_s.set;
}

enum provisioned_rule billing_select_provisioned(const struct platform_profile *p)
{
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
        if (rules[i]->kind == BILLING_RULE_KEPT_WARM &&
            (!rules[i]->selects || rules[i]->selects(p)))
            return (enum provisioned_rule)rules[i]->id;
    return PROVISIONED_NONE;
}

const char *catalog_billing_name(enum billing_mode m)
{
    const struct billing_rule *r = billing_rule_of(BILLING_RULE_MODE, (int)m);
    return r ? r->name : "?";
}

const char *catalog_provisioned_rule_name(enum provisioned_rule r)
{
    const struct billing_rule *row = billing_rule_of(BILLING_RULE_KEPT_WARM, (int)r);
    return row ? row->summary : "?";
}

const char *catalog_provisioned_rule_word(enum provisioned_rule r)
{
    const struct billing_rule *row = billing_rule_of(BILLING_RULE_KEPT_WARM, (int)r);
    return row ? row->name : "?";
}

int catalog_check_provisioned(const struct platform_profile *p, char *why, size_t n)
{
    const struct billing_rule *r =
        billing_rule_of(BILLING_RULE_KEPT_WARM, (int)p->provisioned_rule);
    return r && r->usable ? r->usable(p, why, n) : 0;
}
