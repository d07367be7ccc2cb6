/* mode_machine.c - billing per machine (a dedicated fleet): each machine's life,
 * rounded (1 s or 1 h) and at least a minimum (EC2 Linux: 60 s), at its instance
 * type's hourly price less any discount. machine_charge counts the lives. */
#include "rules.h"

static double hourly_usd(const struct machine_meter *m, sim_time_sum billed_ns)
{
    return (double)billed_ns / 3.6e12 * m->type->hourly.usd * m->factor;
}

const struct billing_rule billing_rule_machine = {
    .name = "machine",
    .summary = "per machine life, rounded, at the hourly price",
    .kind = BILLING_RULE_MACHINE,
    .machine_usd = hourly_usd,
};

void machine_meter_init(struct machine_meter *m, const struct instance_type *t,
                        double discount_off)
{
    m->type = t;
    m->factor = 1.0 - discount_off;
    m->billed_ns = 0;
}

double machine_usd(const struct machine_meter *m, sim_time_sum billed_ns)
{
    return billing_rule_of(BILLING_RULE_MACHINE, 0)->machine_usd(m, billed_ns);
}
