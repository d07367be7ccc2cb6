/* slo_config.c - the scenario's `slo:` section: at most one objective of each family
 * (latency, an LLM's TTFT and TPOT), a percentile read out of the key's name
 * (latency_p99, ttft_p99, tpot_p99.9) and a limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/slo_config.h"
#include "../base/yaml_get.h"

/* The families of objectives: which distribution a key's percentile is read from. */
static const struct family {
    const char *prefix; /* the key up to its percentile */
    const char *what;   /* for messages: "only one latency objective" */
    const char *llm;    /* an LLM's distribution, for the message when the model is no
                           LLM; NULL for latency, which every model has */
} families[] = {
    {"latency_p", "latency", NULL},
    {"ttft_p", "TTFT", "time to first token"},
    {"tpot_p", "TPOT", "time per output token"},
};
#define N_FAMILIES (sizeof families / sizeof families[0])

/* Only for did-you-mean on a misspelt slo key; any latency_pNN, ttft_pNN or tpot_pNN
 * is accepted. */
static const char *const slo_examples[] = {"latency_p50", "latency_p90", "latency_p95",
                                           "latency_p99", "latency_p999", "ttft_p50",
                                           "ttft_p90",    "ttft_p99",    "tpot_p50",
                                           "tpot_p90",    "tpot_p99",    NULL};

/* The family whose prefix key starts with, or NULL. */
static const struct family *slo_family(const char *key)
{
    for (size_t i = 0; i < N_FAMILIES; i++)
        if (strncmp(key, families[i].prefix, strlen(families[i].prefix)) == 0)
            return &families[i];
    return NULL;
}

/* latency_p99 -> 99, latency_p999 -> 99.9, latency_p99.9 -> 99.9, latency_p50 -> 50
 * (and alike after ttft_p and tpot_p): digits after the first two are decimals, the
 * way p999 is read in the literature. Such decimals never end in 0 (p995 is 99.5; no
 * one writes p950 for 95): latency_p150 or latency_p500 is a mistake, not the 15th or
 * 50th percentile, and is refused. */
static int slo_percentile(const char *key, const char *prefix, double *out)
{
    if (strncmp(key, prefix, strlen(prefix)) != 0)
        return -1;
    const char *d = key + strlen(prefix);
    size_t nd = strspn(d, "0123456789");
    if (nd == 0)
        return -1;
    if (d[nd] == '.') {
        size_t nf = strspn(d + nd + 1, "0123456789");
        if (nf == 0 || d[nd + 1 + nf] != '\0')
            return -1;
        *out = strtod(d, NULL);
        return 0;
    }
    if (d[nd] != '\0')
        return -1;
    if (nd <= 2 || strcmp(d, "100") == 0) {
        *out = strtod(d, NULL);
        return 0;
    }
    if (d[nd - 1] == '0')
        return -1;
    char buf[40];
    snprintf(buf, sizeof buf, "%.2s.%.30s", d, d + 2);
    *out = strtod(buf, NULL);
    return 0;
}

int slo_spec_parse(struct slsim_error *err, const struct ynode *n, int is_llm,
                   struct slo_spec *slo)
{
    if (ytree_is_null(n))
        return 0;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "slo", "expected a mapping such as {latency_p99: 500ms}, got %s",
                    ytree_describe(n));
    const struct ynode *first[N_FAMILIES] = {NULL};
    for (size_t i = 0; i < n->n_pairs; i++) {
        const struct ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
        char kp[KEY_MAX];
        cfg_path_join(kp, "slo", k->text);
        const struct family *fam = slo_family(k->text);
        double pct;
        if (!fam || slo_percentile(k->text, fam->prefix, &pct)) {
            size_t len = fam ? strlen(fam->prefix) : 0;
            if (fam && k->text[len] >= '0' && k->text[len] <= '9')
                return cfg_fail(err, k, kp, "\"%s\" is not a percentile: expected %sNN "
                                        "with NN above 0 and below 100, such as %s99, "
                                        "%s999 or %s99.9", k->text, fam->prefix, fam->prefix,
                                fam->prefix, fam->prefix);
            const char *s = cfg_suggest(k->text, slo_examples);
            if (s)
                return cfg_fail(err, k, kp, "unknown key \"%s\"; did you mean \"%s\"?", k->text, s);
            return cfg_fail(err, k, kp, "unknown key \"%s\"; expected latency_pNN, ttft_pNN or "
                                    "tpot_pNN such as latency_p99, ttft_p99 or tpot_p99",
                            k->text);
        }
        size_t f = (size_t)(fam - families);
        if (first[f])
            return cfg_fail(err, k, kp, "only one %s objective is supported; slo already has "
                                    "%s (%s:%d:%d)", fam->what, first[f]->text, first[f]->src,
                        first[f]->line, first[f]->column);
        first[f] = k;
        if (!(pct > 0 && pct < 100))
            return cfg_fail(err, k, kp, "the percentile of %s must be above 0 and below 100",
                        k->text);
        /* Only an LLM's requests have a first token: on any other model the objective
         * could never be judged, and would hold vacuously. */
        if (fam->llm && !is_llm)
            return cfg_fail(err, k, kp, "%s bounds an LLM's %s, and the model is no LLM: "
                                    "name one with model.llm, or use latency_pNN",
                            k->text, fam->llm);
        sim_time limit;
        if (cfg_get_duration(err, v, kp, 0, &limit))
            return -1;
        if (limit <= 0)
            return cfg_fail(err, v, kp, "%s objective must be above 0", fam->what);
        switch (f) {
        case 0:
            slo->percentile = pct;
            slo->latency_ns = limit;
            break;
        case 1:
            slo->ttft_percentile = pct;
            slo->ttft_ns = limit;
            break;
        default:
            slo->tpot_percentile = pct;
            slo->tpot_ns = limit;
            break;
        }
    }
    return 0;
}

/* ---- windows: named measurement windows ---- */

static const char *const window_keys[] = {"name", "from", "to", "function", NULL};

/* One window, item n of `windows` at path wp, into *w. */
static int window_parse(struct slsim_error *err, const struct ynode *n, const char *wp,
                        sim_time warmup_ns, sim_time duration_ns, double functions,
                        struct window_spec *w)
{
    char kp[KEY_MAX];
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, wp, "expected a mapping {name, from, to}, got %s",
                        ytree_describe(n));
    if (cfg_check_keys(err, n, wp, window_keys))
        return -1;
    for (size_t k = 0; k < 3; k++)
        if (!ytree_get(n, window_keys[k]))
            return cfg_missing(err, n, wp, window_keys[k]);
    cfg_path_join(kp, wp, "name");
    /* the name is a JSON key and part of CSV column names: an identifier */
    if (cfg_get_name(err, ytree_get(n, "name"), kp, NAME_IDENT, w->name))
        return -1;
    const struct ynode *from = ytree_get(n, "from"), *to = ytree_get(n, "to");
    cfg_path_join(kp, wp, "from");
    if (cfg_get_duration(err, from, kp, 1, &w->from_ns))
        return -1;
    char a[32], b[32];
    if (w->from_ns < warmup_ns) {
        /* requests arriving in the warm-up are not measured at all */
        units_format_duration(w->from_ns, a, sizeof a);
        units_format_duration(warmup_ns, b, sizeof b);
        return cfg_fail(err, from, kp, "the window starts at %s, inside the warmup (%s): "
                        "requests arriving then are not measured", a, b);
    }
    cfg_path_join(kp, wp, "to");
    if (cfg_get_duration(err, to, kp, 0, &w->to_ns))
        return -1;
    if (w->to_ns <= w->from_ns) {
        units_format_duration(w->from_ns, a, sizeof a);
        units_format_duration(w->to_ns, b, sizeof b);
        return cfg_fail(err, to, kp, "the window must end after it starts: from %s, to %s", a,
                        b);
    }
    if (w->to_ns > duration_ns) {
        units_format_duration(w->to_ns, a, sizeof a);
        units_format_duration(duration_ns, b, sizeof b);
        return cfg_fail(err, to, kp, "the window ends at %s, after the end of the simulation "
                        "(duration %s)", a, b);
    }
    const struct ynode *fn = ytree_get(n, "function");
    if (fn) {
        /* 1-based, as workload.zipf counts functions (function 1 the most popular) */
        uint32_t k;
        cfg_path_join(kp, wp, "function");
        if (functions == 0)
            return cfg_fail(err, fn, kp, "a window of one function needs a synthetic workload "
                            "(workload.functions, counted from 1, the most popular): a "
                            "trace's functions are numbered only as it is read");
        uint32_t hi = functions >= 1 && functions < 4294967295.0 ? (uint32_t)functions
                                                                  : UINT32_MAX;
        if (cfg_get_u32_range(err, fn, kp, 1, hi, &k))
            return -1;
        w->function = k - 1;
        w->one_function = 1;
    }
    return 0;
}

int windows_spec_parse(struct slsim_error *err, const struct ynode *n, sim_time warmup_ns,
                       sim_time duration_ns, double functions, struct slo_spec *slo)
{
    if (!n || ytree_is_null(n))
        return 0;
    if (n->kind != YNODE_SEQUENCE)
        return cfg_fail(err, n, "windows", "expected a sequence of {name, from, to}, got %s",
                        ytree_describe(n));
    if (!n->n_items)
        return 0;
    struct window_spec *w = calloc(n->n_items, sizeof *w);
    if (!w)
        return slsim_error_set(err, n->src, n->line, n->column, "windows", "out of memory");
    for (size_t i = 0; i < n->n_items; i++) {
        char wp[KEY_MAX];
        cfg_path_index(wp, "windows", i + 1);
        if (window_parse(err, n->items[i], wp, warmup_ns, duration_ns, functions, &w[i]))
            goto fail;
        for (size_t j = 0; j < i; j++)
            if (strcmp(w[j].name, w[i].name) == 0) {
                char kp[KEY_MAX];
                cfg_path_join(kp, wp, "name");
                cfg_fail(err, ytree_get(n->items[i], "name"), kp,
                         "window name \"%s\" is already used by windows[%zu]", w[i].name, j + 1);
                goto fail;
            }
    }
    slo->windows = w;
    slo->n_windows = n->n_items;
    return 0;
fail:
    free(w);
    return -1;
}

void windows_spec_free(struct slo_spec *slo)
{
    free(slo->windows);
    slo->windows = NULL;
    slo->n_windows = 0;
}
