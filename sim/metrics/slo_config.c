/* slo_config.c - the scenario's `slo:` section: one latency objective, a percentile
 * read out of the key's name (latency_p99) and a latency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/slo_config.h"
#include "../base/yaml_get.h"

/* Only for did-you-mean on a misspelt slo key; any latency_pNN is accepted. */
static const char *const slo_examples[] = {"latency_p50", "latency_p90", "latency_p95",
                                           "latency_p99", "latency_p999", NULL};

/* latency_p99 -> 99, latency_p999 -> 99.9, latency_p99.9 -> 99.9, latency_p50 -> 50:
 * digits after the first two are decimals, the way p999 is read in the literature.
 * Such decimals never end in 0 (p995 is 99.5; no one writes p950 for 95): latency_p150
 * or latency_p500 is a mistake, not the 15th or 50th percentile, and is refused. */
static int slo_percentile(const char *key, double *out)
{
    const char *prefix = "latency_p";
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

int slo_spec_parse(struct slsim_error *err, const struct ynode *n, struct slo_spec *slo)
{
    if (ytree_is_null(n))
        return 0;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "slo", "expected a mapping such as {latency_p99: 500ms}, got %s",
                    ytree_describe(n));
    const struct ynode *first = NULL;
    for (size_t i = 0; i < n->n_pairs; i++) {
        const struct ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
        char kp[KEY_MAX];
        cfg_path_join(kp, "slo", k->text);
        double pct;
        if (slo_percentile(k->text, &pct)) {
            if (strncmp(k->text, "latency_p", 9) == 0 && k->text[9] >= '0' && k->text[9] <= '9')
                return cfg_fail(err, k, kp, "\"%s\" is not a percentile: expected latency_pNN "
                                        "with NN above 0 and below 100, such as latency_p99, "
                                        "latency_p999 or latency_p99.9", k->text);
            const char *s = cfg_suggest(k->text, slo_examples);
            if (s)
                return cfg_fail(err, k, kp, "unknown key \"%s\"; did you mean \"%s\"?", k->text, s);
            return cfg_fail(err, k, kp, "unknown key \"%s\"; expected latency_pNN such as "
                                    "latency_p99 or latency_p99.9", k->text);
        }
        if (first)
            return cfg_fail(err, k, kp, "only one latency objective is supported; slo already has "
                                    "%s (%s:%d:%d)", first->text, first->src, first->line,
                        first->column);
        first = k;
        if (!(pct > 0 && pct < 100))
            return cfg_fail(err, k, kp, "the percentile of %s must be above 0 and below 100",
                        k->text);
        if (cfg_get_duration(err, v, kp, 0, &slo->latency_ns))
            return -1;
        if (slo->latency_ns <= 0)
            return cfg_fail(err, v, kp, "latency objective must be above 0");
        slo->percentile = pct;
    }
    return 0;
}
