/* rules.h - billing rules as rows: the serverless billing modes, the dedicated
 * machine's rule, and the rules for capacity kept warm (internal to sim/billing).
 *
 * Each rule lives in a file of its own (mode_*.c, kept_*.c) as one struct
 * billing_rule, and is registered by one row in rules.c. A row gives the rule's
 * name, the billing keys it accepts (parsed with the catalog's billing block), the
 * checks those keys must pass, its property bits and its cost at the end of a run.
 * The per-request charges in slsim/billing.h do not go through the rows: they are
 * inline and run once per request. */
#ifndef SLSIM_BILLING_RULES_H
#define SLSIM_BILLING_RULES_H

#include <stddef.h>

#include "slsim/billing.h"

/* What a rule bills. */
enum billing_rule_kind {
    BILLING_RULE_MODE,      /* a serverless platform's bill (enum billing_mode) */
    BILLING_RULE_MACHINE,   /* a dedicated machine's life */
    BILLING_RULE_KEPT_WARM, /* capacity kept warm for a deployment (enum provisioned_rule) */
};

/* Property bits. */
#define BILLING_WRITTEN 0x1u   /* a catalog's `billing.mode` may name it */
#define BILLING_OWN_UNIT 0x2u  /* kept-warm time is rounded in the platform's billing unit when
                                  no provisioned_rounding is given (an instance is billed as
                                  an instance, kept warm or not) */

/* How a billing key is read. */
enum billing_key_kind {
    BILLING_KEY_PRICE,       /* {usd, source, date} into a struct price */
    BILLING_KEY_PERIOD,      /* a duration above 0 into a sim_time */
    BILLING_KEY_DURATION,    /* a duration of 0 or more into a sim_time */
    BILLING_KEY_SIZE,        /* a size into an int64_t of bytes */
    BILLING_KEY_FLAG,        /* true or false into an int */
    BILLING_KEY_AMOUNT,      /* a number of 0 or more into a double */
    BILLING_KEY_MEMORY_UNIT, /* GiB or GB into a double of bytes */
};

/* A key of the billing block a rule accepts, and where it lands in the profile. */
struct billing_key {
    const char *name;           /* NULL ends a list */
    enum billing_key_kind kind;
    size_t offset;              /* of its field in struct platform_profile */
    int per_gb;                 /* a price per GB-second: needs billing.memory_unit */
};

/* A row of a key list: the key name, its kind, its field of struct platform_profile
 * and whether it is a price per GB-second. */
#define BILLING_KEY_AT(name, kind, field, per_gb)                                            \
    {name, kind, offsetof(struct platform_profile, field), per_gb}
#define BILLING_KEYS_END {NULL, 0, 0, 0}

/* A condition a given key must meet once the whole block is read. */
struct billing_check {
    int rank;          /* checks of every rule run by rank, ascending; the first broken one
                          is the error, so ranks fix which when several are broken; 0 ends a list */
    const char *key;   /* checked only when the block gives it */
    int (*ok)(const struct platform_profile *p);
    const char *why;   /* the error when not ok */
};

struct billing_rule {
    const char *name;    /* as catalogs write a mode, as JSON writes a kept-warm rule */
    const char *summary; /* one line for `slsim catalog show` and messages */
    enum billing_rule_kind kind;
    int id;              /* its enum billing_mode or enum provisioned_rule value */
    unsigned props;      /* BILLING_* bits */
    const struct billing_key *keys;     /* keys it accepts beyond the common ones; NULL: none */
    const struct billing_check *checks; /* NULL: none */
    /* kept warm: whether p's billing block selects this rule (rows are tried in table
     * order, after the block passed every check; NULL: always) */
    int (*selects)(const struct platform_profile *p);
    /* kept warm: 0 when a deployment on p may keep instances warm, else -1 and why
     * (names the platform and the missing price); NULL: always may */
    int (*usable)(const struct platform_profile *p, char *why, size_t n);
    /* the bill at the end: one of these, by kind (NULL: nothing to bill) */
    void (*meter_cost)(const struct billing_meter *m, double measured_s,
                       struct cost_breakdown *out);
    double (*machine_usd)(const struct machine_meter *m, sim_time_sum billed_ns);
    double (*kept_warm_usd)(const struct provisioned_meter *m); /* before any discount */
};

/* The registered rules, in table order; n in *n. */
const struct billing_rule *const *billing_rules(size_t *n);

/* The row of a kind and id (for the machine rule, id 0); NULL when none. */
const struct billing_rule *billing_rule_of(enum billing_rule_kind kind, int id);

/* The kept-warm rule p's billing block selects: the first row whose selects says so. */
enum provisioned_rule billing_select_provisioned(const struct platform_profile *p);

/* 1 when p's billing block gives any on-demand price (request, gb_s, vcpu_s, gpu_s). */
int billing_has_price(const struct platform_profile *p);

/* The on-demand duration bill the serverless modes share: billed time x resources,
 * monthly tiers and free tier applied, plus the request fees. */
void billing_duration_cost(const struct billing_meter *m, double measured_s,
                           struct cost_breakdown *out);

#endif
