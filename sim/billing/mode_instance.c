/* mode_instance.c - billing per instance life (Cloud Run instance-based, Modal,
 * RunPod): an instance's whole life, from creation (or from ready) to teardown, idle
 * keep-warm included, rounded, times its resources. */
#include "rules.h"

const struct billing_rule billing_rule_instance = {
    .name = "instance", .kind = BILLING_RULE_MODE, .id = BILLING_INSTANCE, .props = BILLING_WRITTEN,
    .summary = "whole instance life, start to teardown, idle keep-warm included",
    .meter_cost = billing_duration_cost,
};
