/* perf_config.c - a deployment's `perf` key: how long work takes on its instances.
 *
 * One form per kind, a mapping of one key (the kind) to its parameters, or the
 * kind's bare word where it needs none:
 *   perf: {profile: {1: 7ms, 8: 16ms, 32: 48ms}}      measured time by batch size
 *   perf: {linear: {base: 5ms, per_item: 1.3ms, floor: 2ms}}
 *   perf: {roofline: {compute_efficiency: 0.7, memory_efficiency: 0.75, overhead: 1ms}}
 *   perf: roofline, perf: cpu (or {cpu: {}}), perf: default
 * Whether the kind can serve on the deployment's instance (an accelerator for a
 * roofline, the model's memory) is checked once the deployment is whole, by
 * perf_build. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/model_config.h"
#include "../base/yaml_get.h"

static const char *const kind_words[] = {"default", "profile", "linear", "roofline",
                                         "cpu",     "measured", NULL};
static const char *const linear_keys[] = {"base", "per_item", "floor", NULL};
static const char *const roofline_keys[] = {"compute_efficiency", "memory_efficiency",
                                            "overhead", NULL};

#define PERF_FORMS "default, cpu, measured, roofline, {profile: {1: 7ms, 8: 16ms}}, " \
                   "{linear: {base: 5ms, per_item: 1.3ms}} or {roofline: {...}}"

/* A whole batch size from 1 to 2^31 - 1, the key of a profile point. */
static int parse_batch(struct slsim_error *err, const struct ynode *k, const char *kp,
                       uint32_t *out)
{
    const char *t = k->text;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(t, &end, 10);
    if (!t[0] || t[0] < '0' || t[0] > '9' || *end || errno || v < 1 || v > INT32_MAX)
        return cfg_fail(err, k, kp, "a profile point's key is a batch size, a whole number "
                                    "from 1, got \"%s\"", t);
    *out = (uint32_t)v;
    return 0;
}

static int parse_profile(struct slsim_error *err, const struct ynode *v, const char *kp,
                         struct perf_spec *s)
{
    char sub[KEY_MAX];
    if (v->kind != YNODE_MAPPING || v->n_pairs == 0)
        return cfg_fail(err, v, kp, "expected the time by batch size, such as {1: 7ms, 8: 16ms, "
                                    "32: 48ms}, got %s", ytree_describe(v));
    if (v->n_pairs > PERF_PROFILE_MAX)
        return cfg_fail(err, v, kp, "%zu points, above the limit of %d", v->n_pairs,
                        PERF_PROFILE_MAX);
    for (size_t i = 0; i < v->n_pairs; i++) {
        const struct ynode *k = v->pairs[i].key, *t = v->pairs[i].value;
        cfg_path_join(sub, kp, k->text);
        if (parse_batch(err, k, sub, &s->profile_batch[i]))
            return -1;
        if (i == 0 && s->profile_batch[0] != 1)
            return cfg_fail(err, k, sub, "a profile starts at a batch of 1 (the reference "
                                         "time of one request), got %u", s->profile_batch[0]);
        for (size_t j = 0; j < i; j++)
            if (s->profile_batch[j] == s->profile_batch[i])
                return cfg_fail(err, k, sub, "a batch of %u is given twice",
                                s->profile_batch[i]);
        if (i > 0 && s->profile_batch[i] < s->profile_batch[i - 1])
            return cfg_fail(err, k, sub, "batch sizes must be ascending: %u comes after %u",
                            s->profile_batch[i], s->profile_batch[i - 1]);
        if (cfg_get_duration(err, t, sub, 0, &s->profile_ns[i]))
            return -1;
        if (s->profile_ns[i] <= 0)
            return cfg_fail(err, t, sub, "a batch takes some time: above 0");
    }
    s->n_profile = v->n_pairs;
    s->kind = PERF_SPEC_PROFILE;
    return 0;
}

static int parse_linear(struct slsim_error *err, const struct ynode *v, const char *kp,
                        struct perf_spec *s)
{
    char sub[KEY_MAX];
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, kp, "expected {base: 5ms, per_item: 1.3ms, floor: 2ms}, got %s",
                        ytree_describe(v));
    if (cfg_check_keys(err, v, kp, linear_keys))
        return -1;
    struct { const char *key; sim_time *out; int required; } durs[] = {
        {"base", &s->base_ns, 1}, {"per_item", &s->per_item_ns, 1}, {"floor", &s->floor_ns, 0}};
    for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++) {
        const struct ynode *w = ytree_get(v, durs[i].key);
        if (!w && durs[i].required)
            return cfg_missing(err, v, kp, durs[i].key);
        if (!w)
            continue;
        cfg_path_join(sub, kp, durs[i].key);
        if (cfg_get_duration(err, w, sub, 0, durs[i].out))
            return -1;
    }
    sim_time one = s->base_ns + s->per_item_ns;
    if ((one > s->floor_ns ? one : s->floor_ns) <= 0)
        return cfg_fail(err, v, kp, "base + per_item (and floor) are all 0: one item would take "
                                    "no time");
    s->kind = PERF_SPEC_LINEAR;
    return 0;
}

static int parse_roofline(struct slsim_error *err, const struct ynode *v, const char *kp,
                          struct perf_spec *s)
{
    char sub[KEY_MAX];
    s->kind = PERF_SPEC_ROOFLINE;
    if (ytree_is_null(v))
        return 0;
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, kp, "expected {compute_efficiency: 0.7, memory_efficiency: 0.75, "
                                    "overhead: 1ms} (each optional), got %s", ytree_describe(v));
    if (cfg_check_keys(err, v, kp, roofline_keys))
        return -1;
    struct { const char *key; double *out; } effs[] = {
        {"compute_efficiency", &s->compute_efficiency},
        {"memory_efficiency", &s->memory_efficiency}};
    for (size_t i = 0; i < sizeof effs / sizeof effs[0]; i++) {
        const struct ynode *w = ytree_get(v, effs[i].key);
        if (!w)
            continue;
        cfg_path_join(sub, kp, effs[i].key);
        if (cfg_get_number(err, w, sub, effs[i].out))
            return -1;
        if (!(*effs[i].out > 0 && *effs[i].out <= 1))
            return cfg_fail(err, w, sub, "an efficiency is a share of the peak, in (0, 1], "
                                         "got %g", *effs[i].out);
    }
    const struct ynode *w = ytree_get(v, "overhead");
    if (w) {
        cfg_path_join(sub, kp, "overhead");
        if (cfg_get_duration(err, w, sub, 0, &s->overhead_ns))
            return -1;
    }
    return 0;
}

static int parse_cpu(struct slsim_error *err, const struct ynode *v, const char *kp,
                     struct perf_spec *s)
{
    s->kind = PERF_SPEC_CPU;
    if (ytree_is_null(v))
        return 0;
    if (v->kind != YNODE_MAPPING || v->n_pairs > 0)
        return cfg_fail(err, v, kp, "cpu takes no parameters (model.parallel_fraction says how "
                                    "parallel the work is): write perf: cpu");
    return 0;
}

static const struct perf_form {
    const char *word;
    int (*parse)(struct slsim_error *err, const struct ynode *v, const char *kp,
                 struct perf_spec *s);
    int bare;   /* 1: the bare word is the whole spec */
} forms[] = {
    {"default", NULL, 1},
    {"profile", parse_profile, 0},
    {"linear", parse_linear, 0},
    {"roofline", parse_roofline, 1},
    {"cpu", parse_cpu, 1},
    {"measured", NULL, 1},
};

int perf_spec_parse(struct slsim_error *err, const struct ynode *n, const char *kp,
                    struct perf_spec *s)
{
    char sub[KEY_MAX];
    int i;
    perf_spec_default(s);
    s->line = n->line;
    s->column = n->column;
    if (n->kind == YNODE_SCALAR && !ytree_is_null(n)) {
        if (cfg_get_enum(err, n, kp, "perf", kind_words, NULL, &i))
            return -1;
        if (!forms[i].bare)
            return cfg_fail(err, n, kp, "%s needs its parameters, such as %s",
                            forms[i].word, i == PERF_SPEC_PROFILE
                                               ? "{profile: {1: 7ms, 8: 16ms, 32: 48ms}}"
                                               : "{linear: {base: 5ms, per_item: 1.3ms}}");
        s->kind = (enum perf_spec_kind)i;
        return 0;
    }
    if (n->kind != YNODE_MAPPING || n->n_pairs != 1)
        return cfg_fail(err, n, kp, "expected one of %s, got %s", PERF_FORMS,
                        n->kind == YNODE_MAPPING ? "a mapping of several kinds"
                                                 : ytree_describe(n));
    const struct ynode *k = n->pairs[0].key, *v = n->pairs[0].value;
    if (cfg_check_keys(err, n, kp, kind_words + 1))
        return -1;
    i = 0;
    while (strcmp(forms[i].word, k->text) != 0)
        i++;
    cfg_path_join(sub, kp, k->text);
    return forms[i].parse(err, v, sub, s);
}
