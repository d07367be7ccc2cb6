/* policies.c - the serverless policies, one row each (see platform.h). */
#include <string.h>

#include "serverless.h"

static const char *const no_keys[] = {NULL};
static const char *const fixed_keys[] = {"duration", NULL};
static const char *const capacity_keys[] = {"capacity", NULL};
static const char *const histogram_keys[] = {
    "bin",          "range",        "prewarm_percentile", "keep_alive_percentile",
    "margin",       "cv_threshold", "min_samples",        "oob_fraction",
    "forecast_alpha", "forecast_margin", "fallback",      NULL};
static const char *const queue_keys[] = {"max_wait", NULL};
static const char *const retry_keys[] = {"retry", NULL};

const struct policy_row policy_keepalive[] = {
    {KEEPALIVE_PLATFORM, "platform", no_keys,
     POLICY_DEFAULT | POLICY_UNNAMED, -1,
     {.keepalive = &keepalive_fixed_ops}, NULL},
    {KEEPALIVE_FIXED, "fixed", fixed_keys, 0, -1,
     {.keepalive = &keepalive_fixed_ops}, keepalive_fixed_parse},
    {KEEPALIVE_FIXED, "none", no_keys, 0, 0,
     {.keepalive = &keepalive_fixed_ops}, keepalive_fixed_parse},
    {KEEPALIVE_FIXED, "forever", no_keys, 0, SIM_TIME_FOREVER,
     {.keepalive = &keepalive_fixed_ops}, keepalive_fixed_parse},
    {KEEPALIVE_HISTOGRAM, "hybrid-histogram", histogram_keys,
     POLICY_WINDOW_PER_IDLE, -1,
     {.keepalive = &keepalive_histogram_ops}, keepalive_histogram_parse},
    {KEEPALIVE_GREEDY_DUAL, "greedy-dual", capacity_keys, POLICY_EVICTS, -1,
     {.keepalive = &keepalive_greedy_dual_ops}, keepalive_capacity_parse},
    {KEEPALIVE_LRU, "lru", capacity_keys, POLICY_EVICTS, -1, {.keepalive = &keepalive_lru_ops},
     keepalive_capacity_parse},
    {0, NULL, NULL, 0, 0, {NULL}, NULL},
};

const struct policy_row policy_idle_pick[] = {
    {IDLE_PICK_MRU, "mru", no_keys, POLICY_DEFAULT, -1, {.pick = &idle_pick_mru_ops}, NULL},
    {IDLE_PICK_NEWEST, "newest", no_keys, POLICY_TAKES_FROM_MIDDLE, -1,
     {.pick = &idle_pick_newest_ops}, NULL},
    {IDLE_PICK_LRU, "lru", no_keys, 0, -1, {.pick = &idle_pick_lru_ops}, NULL},
    {IDLE_PICK_RANDOM, "random", no_keys, POLICY_TAKES_FROM_MIDDLE, -1,
     {.pick = &idle_pick_random_ops}, NULL},
    {0, NULL, NULL, 0, 0, {NULL}, NULL},
};

const struct policy_row policy_throttle[] = {
    {THROTTLE_REJECT, "reject", no_keys, POLICY_DEFAULT, -1,
     {.throttle = &throttle_reject_ops}, NULL},
    {THROTTLE_QUEUE, "queue", queue_keys, 0, -1, {.throttle = &throttle_queue_ops},
     NULL},
    {THROTTLE_RETRY, "retry", retry_keys, 0, -1,
     {.throttle = &throttle_retry_ops}, NULL},
    {0, NULL, NULL, 0, 0, {NULL}, NULL},
};

const struct policy_row *policy_find(const struct policy_row *table, const char *name)
{
    for (; table->name; table++)
        if (strcmp(table->name, name) == 0)
            return table;
    return NULL;
}

const struct policy_row *policy_by_id(const struct policy_row *table, int id)
{
    for (; table->name; table++)
        if (table->id == id)
            return table;
    return NULL;
}

int policy_default(const struct policy_row *table)
{
    for (; table->name; table++)
        if (table->props & POLICY_DEFAULT)
            return table->id;
    return 0;
}
