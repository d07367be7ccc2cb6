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
