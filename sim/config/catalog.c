/* catalog.c - load a pricing catalog (YAML under scenarios/pricing/) into struct catalog.
 *
 * A catalog is data a reader must be able to check, so the loader is strict where
 * a loose one would let a wrong number through unnoticed: every price is a
 * {usd, source, date} mapping, and a price without its source or date, a negative
 * price, an "n.d." date or a misspelt key is an error naming file, line, column and
 * key path (platforms.aws-lambda.billing.gb_s.usd), exactly as scenario errors are.
 * The tree and the typed getters are the scenario loader's (yaml_tree, yaml_get),
 * so both files read and fail the same way.
 *
 * Cold-start constants are held to the same standard: each one given needs its own
 * entry under `sources:`, a published source with its year, or text starting
 * "assumed", so reports can name the numbers nobody measured. The built-in catalog
 * must also say, for every platform, what its cold start is (`coldstart: none` on
 * purpose for generic): a platform silent about it would start instances at once.
 *
 * Names are unique across platforms, instance types and discounts, not only within
 * each list: `slsim catalog show NAME` and error messages look a name up without
 * saying which kind it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "slsim/catalog.h"
#include "slsim/dist_config.h"
#include "../base/yaml_get.h"
#include "../base/yaml_tree.h"

/* Built from scenarios/pricing/default.yaml by scripts/embed.sh (see the Makefile). */
extern const unsigned char slsim_default_catalog[];
extern const size_t slsim_default_catalog_len;

#define DEFAULT_SRC "(built-in default)"

/* Names go through cfg_get_name, which writes SLSIM_NAME_MAX bytes. */
_Static_assert(CATALOG_NAME_MAX == SLSIM_NAME_MAX, "catalog and scenario names differ");
#define MAX_CONCURRENCY 1000000
#define MAX_GPUS 64

static const char *const top_keys[] = {"catalog", "as_of", "platforms", "instances",
                                       "discounts", NULL};
static const char *const platform_keys[] = {"name",      "summary", "keep_alive",
                                            "keep_alive_note", "coldstart", "limits",
                                            "billing",   NULL};
static const char *const coldstart_keys[] = {"init", "fetch_bandwidth", "load_bandwidth",
                                             "artifacts", "init_timeout", "sources", NULL};
/* The constants a profile may give, each needing an entry in `sources:`. */
static const char *const coldstart_constants[] = {"init", "fetch_bandwidth", "load_bandwidth",
                                                  "init_timeout", NULL};
static const char *const artifact_keys[] = {"name", "max", "fetch_bandwidth", "overhead",
                                            "source", NULL};
static const char *const limit_keys[] = {"memory_min",   "memory_max",        "memory_step",
                                         "memory_sizes", "memory_written_in", "concurrency",
                                         "timeout",      "account_concurrency", NULL};
static const char *const billing_keys[] = {
    "mode",   "memory_unit", "memory_round", "rounding", "minimum", "init_billed",
    "init_max", "vcpu",      "gpus",         "request",  "gb_s",    "vcpu_s",
    "gpu_s",  "tiers",       "provisioned_gb_s", "provisioned_exec_gb_s",
    "provisioned_rounding",  "provisioned_ready", "provisioned_idle_gb_s",
    "provisioned_idle_vcpu_s", "free", NULL};
static const char *const price_keys[] = {"usd", "source", "date", NULL};
static const char *const tier_keys[] = {"from", "gb_s", NULL};
static const char *const free_keys[] = {"requests", "gb_s", "vcpu_s", "source",
                                        "with_provisioned", NULL};
static const char *const instance_keys[] = {"name",   "provider", "vcpu",     "memory", "gpus",
                                            "gpu_model", "hourly", "rounding", "minimum", NULL};
static const char *const discount_keys[] = {"name", "off", "applies_to", "source", "date", NULL};

static const char *const mode_names[] = {"request", "busy", "instance", NULL};
static const enum billing_mode mode_values[] = {BILLING_REQUEST, BILLING_BUSY,
                                                BILLING_INSTANCE};
static const char *const memory_unit_names[] = {"GiB", "GB", NULL};
static const double memory_unit_bytes[] = {1073741824.0, 1e9};
/* Units a provider may write memory settings in; MiB when a catalog names none. */
static const char *const written_names[] = {"MiB", "GiB", "MB", "GB", NULL};
static const double written_bytes[] = {1048576.0, 1073741824.0, 1e6, 1e9};

/* What every parser needs besides its node: where errors go and the catalog's date,
 * which no price may be newer than. */
struct ctx {
    struct slsim_error *err;
    const char *as_of;
    struct catalog *c;
    int builtin; /* the built-in catalog: every platform states its cold start */
};

/* ---- scalars ---- */

static int oom(struct ctx *x, const struct ynode *at, const char *key)
{
    return slsim_error_set(x->err, at->src, at->line, at->column, key, "out of memory");
}

/* Free text of fewer than cap characters, without control characters; empty text
 * only when allow_empty. */
static int get_text(struct ctx *x, const struct ynode *n, const char *key, int allow_empty,
                    char *out, size_t cap)
{
    const char *t;
    if (n->kind == YNODE_SCALAR && ytree_is_null(n) && allow_empty)
        t = "";
    else if (!(t = cfg_want_scalar(x->err, n, key, "text")))
        return -1;
    size_t len = strlen(t);
    if (len >= cap)
        return cfg_fail(x->err, n, key, "text is longer than %zu characters", cap - 1);
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20)
            return cfg_fail(x->err, n, key, "text contains a control character");
    size_t lead = strspn(t, " \t");
    if (!allow_empty && lead == len)
        return cfg_fail(x->err, n, key, "must not be empty");
    memcpy(out, t, len + 1);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* 1 when t[0..n) are all decimal digits; their value in *v. */
static int digits(const char *t, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return 0;
        *v = *v * 10 + (t[i] - '0');
    }
    return 1;
}

/* YYYY-MM-DD, or (unless full) YYYY-MM or YYYY: a source often states only the
 * month or the year, and inventing a day would claim more than it says. */
static int date_ok(const char *t, int full)
{
    size_t len = strlen(t);
    int y, m, d;
    if (len != 4 && len != 7 && len != 10)
        return 0;
    if (full && len != 10)
        return 0;
    if (!digits(t, 4, &y) || y < 1900)
        return 0;
    if (len == 4)
        return 1;
    if (t[4] != '-' || !digits(t + 5, 2, &m) || m < 1 || m > 12)
        return 0;
    if (len == 7)
        return 1;
    return t[7] == '-' && digits(t + 8, 2, &d) && d >= 1 && d <= days_in_month(y, m);
}

static int get_date(struct ctx *x, const struct ynode *n, const char *key, int full,
                    char out[16])
{
    const char *t = cfg_want_scalar(x->err, n, key, "a date");
    if (!t)
        return -1;
    if (!date_ok(t, full)) {
        if (full)
            return cfg_fail(x->err, n, key, "expected a date YYYY-MM-DD, got \"%s\"", t);
        return cfg_fail(x->err, n, key,
                        "expected a date YYYY-MM-DD, YYYY-MM or YYYY, got \"%s\" (a source "
                        "with no date gets the date it was read, and its source says so)",
                        t);
    }
    /* ISO dates of any precision compare as text: "2026-11" < "2026-11-27". */
    if (x->as_of && strcmp(t, x->as_of) > 0)
        return cfg_fail(x->err, n, key, "date %s is after the catalog's as_of %s", t,
                        x->as_of);
    memcpy(out, t, strlen(t) + 1);
    return 0;
}

static int get_bool(struct ctx *x, const struct ynode *n, const char *key, int *out)
{
    return cfg_get_bool(x->err, n, key, out);
}

/* A number >= lo. */
static int get_min(struct ctx *x, const struct ynode *n, const char *key, double lo,
                   double *out)
{
    if (cfg_get_number(x->err, n, key, out))
        return -1;
    if (*out < lo)
        return cfg_fail(x->err, n, key, "must be at least %g, got %s", lo, n->text);
    return 0;
}

/* A size per second such as 100MB/s, in bytes per second; above 0. */
static int get_bandwidth(struct ctx *x, const struct ynode *n, const char *key, double *out)
{
    const char *t = cfg_want_scalar(x->err, n, key, "a bandwidth such as 100MB/s");
    if (!t)
        return -1;
    size_t len = strlen(t);
    while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
        len--;
    if (len < 3 || strncmp(t + len - 2, "/s", 2) != 0 || len - 2 >= 64)
        return cfg_fail(x->err, n, key, "expected a bandwidth such as 100MB/s or 1.5GiB/s, "
                                        "got \"%s\"", t);
    char size[64], why[200];
    memcpy(size, t, len - 2);
    size[len - 2] = '\0';
    int64_t bytes;
    if (units_parse_size(size, &bytes, why, sizeof why))
        return cfg_fail(x->err, n, key, "bad bandwidth \"%s\": %s", t, why);
    if (bytes <= 0)
        return cfg_fail(x->err, n, key, "a bandwidth must be above 0, got \"%s\"", t);
    *out = (double)bytes;
    return 0;
}

static int get_positive_duration(struct ctx *x, const struct ynode *n, const char *key,
                                 sim_time *out)
{
    if (cfg_get_duration(x->err, n, key, 0, out))
        return -1;
    if (*out <= 0)
        return cfg_fail(x->err, n, key, "must be above 0");
    return 0;
}

static int want_mapping(struct ctx *x, const struct ynode *n, const char *key, const char *what)
{
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(x->err, n, key, "expected %s, got %s", what, ytree_describe(n));
    return 0;
}

/* ---- prices ---- */

/* {usd, source, date} at path into *p. */
static int get_price(struct ctx *x, const struct ynode *n, const char *path, struct price *p)
{
    char kp[KEY_MAX];
    if (want_mapping(x, n, path, "a price {usd: N, source: \"...\", date: YYYY-MM-DD}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, price_keys))
        return -1;
    const struct ynode *usd = ytree_get(n, "usd"), *src = ytree_get(n, "source"),
                       *date = ytree_get(n, "date");
    if (!usd)
        return cfg_missing(x->err, n, path, "usd");
    if (!src)
        return cfg_fail(x->err, n, path, "price has no source: every price says where it "
                                         "was read (source) and when (date)");
    if (!date)
        return cfg_fail(x->err, n, path, "price has no date: every price says where it was "
                                         "read (source) and when (date)");
    cfg_path_join(kp, path, "usd");
    if (cfg_get_number(x->err, usd, kp, &p->usd))
        return -1;
    if (p->usd < 0)
        return cfg_fail(x->err, usd, kp, "a price cannot be negative, got %s", usd->text);
    cfg_path_join(kp, path, "source");
    if (get_text(x, src, kp, 0, p->source, sizeof p->source))
        return -1;
    cfg_path_join(kp, path, "date");
    if (get_date(x, date, kp, 0, p->date))
        return -1;
    p->set = 1;
    return 0;
}

/* The price under key of map, if there is one. */
static int opt_price(struct ctx *x, const struct ynode *map, const char *path, const char *key,
                     struct price *p)
{
    const struct ynode *n = ytree_get(map, key);
    char kp[KEY_MAX];
    if (!n)
        return 0;
    cfg_path_join(kp, path, key);
    return get_price(x, n, kp, p);
}

/* ---- platforms ---- */

/* A cold-start constant's source: published (with a year, so a reader can date it)
 * or an assumption, written "assumed: why this value". */
static int get_constant_source(struct ctx *x, const struct ynode *n, const char *key,
                               struct coldstart_constant *c)
{
    if (get_text(x, n, key, 0, c->source, sizeof c->source))
        return -1;
    const char *t = c->source + strspn(c->source, " \t");
    static const char word[] = "assumed";
    c->assumed = 1;
    for (size_t i = 0; word[i]; i++)
        if ((t[i] | 0x20) != word[i])
            c->assumed = 0;
    if (c->assumed)
        return 0;
    for (const char *q = t; *q; q++) {
        int y;
        if ((q == t || q[-1] < '0' || q[-1] > '9') && digits(q, 4, &y) &&
            (q[4] < '0' || q[4] > '9') && y >= 1900 && y <= 2100)
            return 0;
    }
    return cfg_fail(x->err, n, key, "a cited constant names its source and the year or date "
                                    "it states; write \"assumed: ...\" for a value nobody "
                                    "published");
}

static int parse_artifact(struct ctx *x, const struct ynode *n, const char *path,
                          struct coldstart_artifact *a, int64_t prev_max)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    if (want_mapping(x, n, path,
                     "an artifact mapping {name, max, fetch_bandwidth, overhead, source}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, artifact_keys))
        return -1;
    static const char *const required[] = {"name", "source", NULL};
    for (size_t k = 0; required[k]; k++)
        if (!ytree_get(n, required[k]))
            return cfg_missing(x->err, n, path, required[k]);
    cfg_path_join(kp, path, "name");
    if (cfg_get_name(x->err, ytree_get(n, "name"), kp, NAME_IDENT, a->name))
        return -1;
    if ((v = ytree_get(n, "max"))) {
        cfg_path_join(kp, path, "max");
        if (cfg_get_size(x->err, v, kp, &a->max_bytes))
            return -1;
        if (a->max_bytes <= prev_max)
            return cfg_fail(x->err, v, kp, "artifacts are listed by max, ascending, each above "
                                           "0 bytes");
    }
    if ((v = ytree_get(n, "fetch_bandwidth"))) {
        cfg_path_join(kp, path, "fetch_bandwidth");
        if (get_bandwidth(x, v, kp, &a->fetch_bytes_per_s))
            return -1;
    }
    if ((v = ytree_get(n, "overhead"))) {
        cfg_path_join(kp, path, "overhead");
        if (cfg_get_duration(x->err, v, kp, 0, &a->overhead_ns))
            return -1;
    }
    cfg_path_join(kp, path, "source");
    return get_constant_source(x, ytree_get(n, "source"), kp, &a->c);
}

/* The ways a model reaches an instance, by size; the last may have no max. */
static int parse_artifacts(struct ctx *x, const struct ynode *n, const char *path,
                           struct platform_profile *p)
{
    char kp[KEY_MAX];
    if (n->kind != YNODE_SEQUENCE || n->n_items == 0)
        return cfg_fail(x->err, n, path, "expected a non-empty sequence of artifacts, got %s",
                        ytree_describe(n));
    if (n->n_items > CATALOG_MAX_ARTIFACTS)
        return cfg_fail(x->err, n, path, "at most %d artifacts", CATALOG_MAX_ARTIFACTS);
    for (size_t i = 0; i < n->n_items; i++) {
        cfg_path_index(kp, path, i + 1);
        struct coldstart_artifact *a = &p->artifacts[i];
        if (i && !p->artifacts[i - 1].max_bytes)
            return cfg_fail(x->err, n->items[i], kp, "artifact \"%s\" before it has no max, "
                                                    "so this one is never used",
                            p->artifacts[i - 1].name);
        if (parse_artifact(x, n->items[i], kp, a, i ? p->artifacts[i - 1].max_bytes : 0))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->artifacts[j].name, a->name) == 0)
                return cfg_fail(x->err, ytree_get(n->items[i], "name"), kp,
                                "duplicate artifact name \"%s\"", a->name);
        p->n_artifacts = i + 1;
    }
    return 0;
}

/* `coldstart:` of a platform: a profile mapping, or `none` said on purpose. Every
 * constant given needs its entry in `sources:` and no entry may name a constant
 * that is not given, so a number without a source cannot slip in. */
static int parse_coldstart(struct ctx *x, const struct ynode *n, const char *path,
                           struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v, *srcs;
    if (n->kind == YNODE_SCALAR && !ytree_is_null(n) && strcmp(n->text, "none") == 0) {
        p->coldstart_none = 1;
        return 0;
    }
    if (want_mapping(x, n, path, "`none` or a mapping {init, load_bandwidth, artifacts, "
                                 "sources, ...}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, coldstart_keys))
        return -1;
    static const char *const required[] = {"init", "sources", NULL};
    for (size_t k = 0; required[k]; k++)
        if (!ytree_get(n, required[k]))
            return cfg_missing(x->err, n, path, required[k]);
    cfg_path_join(kp, path, "init");
    if (cfg_parse_dist(x->err, ytree_get(n, "init"), kp, &p->init))
        return -1;
    p->has_coldstart = 1; /* from here catalog_destroy frees init */
    if ((v = ytree_get(n, "load_bandwidth"))) {
        cfg_path_join(kp, path, "load_bandwidth");
        if (get_bandwidth(x, v, kp, &p->load_bytes_per_s))
            return -1;
    }
    const struct ynode *fetch = ytree_get(n, "fetch_bandwidth"),
                       *arts = ytree_get(n, "artifacts");
    if (fetch && arts) {
        cfg_path_join(kp, path, "artifacts");
        return cfg_fail(x->err, arts, kp, "give fetch_bandwidth (one way for every size) or "
                                          "artifacts (by size), not both");
    }
    if (fetch) {
        cfg_path_join(kp, path, "fetch_bandwidth");
        if (get_bandwidth(x, fetch, kp, &p->artifacts[0].fetch_bytes_per_s))
            return -1;
        snprintf(p->artifacts[0].name, sizeof p->artifacts[0].name, "artifact");
        p->n_artifacts = 1;
    }
    if (arts) {
        cfg_path_join(kp, path, "artifacts");
        if (parse_artifacts(x, arts, kp, p))
            return -1;
    }
    if ((v = ytree_get(n, "init_timeout"))) {
        cfg_path_join(kp, path, "init_timeout");
        if (get_positive_duration(x, v, kp, &p->init_timeout_ns))
            return -1;
    }

    char sp[KEY_MAX];
    cfg_path_join(sp, path, "sources");
    srcs = ytree_get(n, "sources");
    if (want_mapping(x, srcs, sp, "a mapping of constant: source (\"assumed: ...\" for an "
                                  "assumption)"))
        return -1;
    if (cfg_check_keys(x->err, srcs, sp, coldstart_constants))
        return -1;
    struct coldstart_constant *out[] = {&p->init_c, &p->artifacts[0].c, &p->load_c,
                                        &p->init_timeout_c};
    for (size_t k = 0; coldstart_constants[k]; k++) {
        const char *name = coldstart_constants[k];
        const struct ynode *given = ytree_get(n, name), *src = ytree_get(srcs, name);
        cfg_path_join(kp, sp, name);
        if (given && !src)
            return cfg_fail(x->err, srcs, sp, "%s has no source: every cold-start constant "
                                              "says where it was published, or \"assumed: "
                                              "...\"", name);
        if (src && !given)
            return cfg_fail(x->err, src, kp, "a source for %s, which this profile does not "
                                             "give", name);
        if (src && get_constant_source(x, src, kp, out[k]))
            return -1;
    }
    return 0;
}

/* memory_sizes: a list of sizes, each above 0, strictly ascending; they become the
 * only settings, and memory_min and memory_max follow from them. */
static int parse_memory_sizes(struct ctx *x, const struct ynode *seq, const char *path,
                              struct platform_profile *p)
{
    char ip[KEY_MAX];
    if (seq->kind != YNODE_SEQUENCE || seq->n_items == 0)
        return cfg_fail(x->err, seq, path, "expected a list of sizes such as [512MiB, 2048MiB], "
                                           "got %s", ytree_describe(seq));
    if (seq->n_items > CATALOG_MEMORY_SIZES_MAX)
        return cfg_fail(x->err, seq, path, "at most %d sizes; give memory_step for a regular "
                                           "range", CATALOG_MEMORY_SIZES_MAX);
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct ynode *v = seq->items[i];
        int64_t *b = &p->memory_sizes_bytes[i];
        cfg_path_index(ip, path, i + 1);
        if (cfg_get_size(x->err, v, ip, b))
            return -1;
        if (*b <= 0)
            return cfg_fail(x->err, v, ip, "must be above 0 bytes");
        if (i && *b <= b[-1])
            return cfg_fail(x->err, v, ip, "memory_sizes must be in ascending order, each "
                                           "once: %s comes after %s", v->text,
                            seq->items[i - 1]->text);
    }
    p->n_memory_sizes = seq->n_items;
    p->memory_min_bytes = p->memory_sizes_bytes[0];
    p->memory_max_bytes = p->memory_sizes_bytes[seq->n_items - 1];
    return 0;
}

static int parse_limits(struct ctx *x, const struct ynode *n, const char *path,
                        struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v, *vmin, *vmax, *vstep;
    int i;
    if (want_mapping(x, n, path, "a mapping of limits"))
        return -1;
    if (cfg_check_keys(x->err, n, path, limit_keys))
        return -1;
    vmin = ytree_get(n, "memory_min");
    vmax = ytree_get(n, "memory_max");
    vstep = ytree_get(n, "memory_step");
    if ((v = ytree_get(n, "memory_sizes"))) {
        const struct ynode *both = vmin ? vmin : vmax ? vmax : vstep;
        if (both) {
            cfg_path_join(kp, path, both == vmin ? "memory_min" : both == vmax ? "memory_max"
                                                                             : "memory_step");
            return cfg_fail(x->err, both, kp, "memory_sizes lists every setting: memory_min, "
                                              "memory_max and memory_step follow from it");
        }
        cfg_path_join(kp, path, "memory_sizes");
        if (parse_memory_sizes(x, v, kp, p))
            return -1;
    }
    if (vmin) {
        cfg_path_join(kp, path, "memory_min");
        if (cfg_get_size(x->err, vmin, kp, &p->memory_min_bytes))
            return -1;
    }
    if (vmax) {
        cfg_path_join(kp, path, "memory_max");
        if (cfg_get_size(x->err, vmax, kp, &p->memory_max_bytes))
            return -1;
        if (p->memory_max_bytes <= 0)
            return cfg_fail(x->err, vmax, kp, "must be above 0 bytes");
        if (p->memory_max_bytes < p->memory_min_bytes)
            return cfg_fail(x->err, vmax, kp, "memory_max %s is below memory_min %s", vmax->text,
                            vmin->text);
    }
    if (vstep) {
        cfg_path_join(kp, path, "memory_step");
        if (cfg_get_size(x->err, vstep, kp, &p->memory_step_bytes))
            return -1;
        if (p->memory_step_bytes <= 0)
            return cfg_fail(x->err, vstep, kp, "must be above 0 bytes");
        if (!vmin || !vmax)
            return cfg_fail(x->err, vstep, kp, "memory_step needs memory_min and memory_max: "
                                               "the settings are min, min + step, ..., max");
        if ((p->memory_max_bytes - p->memory_min_bytes) % p->memory_step_bytes != 0)
            return cfg_fail(x->err, vstep, kp, "memory_step %s does not divide memory_max - "
                                               "memory_min (%s - %s): max would not be a setting",
                            vstep->text, vmax->text, vmin->text);
    }
    i = 0;
    if ((v = ytree_get(n, "memory_written_in"))) {
        cfg_path_join(kp, path, "memory_written_in");
        if (cfg_get_enum(x->err, v, kp, "memory unit", written_names, NULL, &i))
            return -1;
    }
    snprintf(p->memory_written_in, sizeof p->memory_written_in, "%s", written_names[i]);
    p->memory_written_bytes = written_bytes[i];
    if ((v = ytree_get(n, "concurrency"))) {
        cfg_path_join(kp, path, "concurrency");
        if (cfg_get_u32_range(x->err, v, kp, 1, MAX_CONCURRENCY, &p->concurrency_max))
            return -1;
    }
    if ((v = ytree_get(n, "timeout"))) {
        cfg_path_join(kp, path, "timeout");
        if (get_positive_duration(x, v, kp, &p->timeout_ns))
            return -1;
    }
    if ((v = ytree_get(n, "account_concurrency"))) {
        cfg_path_join(kp, path, "account_concurrency");
        if (cfg_get_u32_range(x->err, v, kp, 1, UINT32_MAX, &p->account_concurrency))
            return -1;
    }
    return 0;
}

static int parse_tiers(struct ctx *x, const struct ynode *seq, const char *path,
                       struct platform_profile *p)
{
    char ip[KEY_MAX], kp[KEY_MAX];
    if (seq->kind != YNODE_SEQUENCE || seq->n_items == 0)
        return cfg_fail(x->err, seq, path, "expected a sequence of {from, gb_s}, got %s",
                        ytree_describe(seq));
    p->tiers = calloc(seq->n_items, sizeof *p->tiers);
    if (!p->tiers)
        return oom(x, seq, path);
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct ynode *t = seq->items[i];
        struct price_tier *tier = &p->tiers[i];
        cfg_path_index(ip, path, i + 1);
        if (want_mapping(x, t, ip, "a tier {from: GB-s per month, gb_s: PRICE}"))
            return -1;
        if (cfg_check_keys(x->err, t, ip, tier_keys))
            return -1;
        for (size_t k = 0; tier_keys[k]; k++)
            if (!ytree_get(t, tier_keys[k]))
                return cfg_missing(x->err, t, ip, tier_keys[k]);
        const struct ynode *from = ytree_get(t, "from");
        cfg_path_join(kp, ip, "from");
        if (get_min(x, from, kp, 0, &tier->from_units_per_month))
            return -1;
        /* Below the first tier the flat gb_s applies, so a tier from 0 would hide it. */
        if (tier->from_units_per_month <= (i ? p->tiers[i - 1].from_units_per_month : 0))
            return cfg_fail(x->err, from, kp, i ? "tiers must be in ascending order of from"
                                                : "the first tier must start above 0 (gb_s "
                                                  "is the price below it)");
        cfg_path_join(kp, ip, "gb_s");
        if (get_price(x, ytree_get(t, "gb_s"), kp, &tier->unit))
            return -1;
        p->n_tiers = i + 1;
    }
    return 0;
}

static int parse_free(struct ctx *x, const struct ynode *n, const char *path,
                      struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    if (want_mapping(x, n, path, "a mapping {requests, gb_s, vcpu_s, source}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, free_keys))
        return -1;
    if (!ytree_get(n, "source"))
        return cfg_missing(x->err, n, path, "source");
    double *dst[] = {&p->free_requests, &p->free_gb_s, &p->free_vcpu_s};
    for (size_t i = 0; i < 3; i++)
        if ((v = ytree_get(n, free_keys[i]))) {
            cfg_path_join(kp, path, free_keys[i]);
            if (get_min(x, v, kp, 0, dst[i]))
                return -1;
        }
    if ((v = ytree_get(n, "with_provisioned"))) {
        cfg_path_join(kp, path, "with_provisioned");
        if (get_bool(x, v, kp, &p->free_with_provisioned))
            return -1;
    }
    cfg_path_join(kp, path, "source");
    return get_text(x, ytree_get(n, "source"), kp, 0, p->free_source, sizeof p->free_source);
}

/* The key under billing that needs `needs`, when key is given without it. */
static int needs_key(struct ctx *x, const struct ynode *billing, const char *path,
                     const char *key, int ok, const char *why)
{
    char kp[KEY_MAX];
    const struct ynode *v = ytree_get(billing, key);
    if (!v || ok)
        return 0;
    cfg_path_join(kp, path, key);
    return cfg_fail(x->err, v, kp, "%s", why);
}

/* How p bills kept-warm capacity, from what its billing block prices: an instance
 * is billed for its whole life anyway; a busy-period platform needs an idle rate; a
 * per-request platform needs an allocation price. A platform with no price at all
 * (generic) bills nothing for it. */
static int has_price(const struct platform_profile *p)
{
    return p->request.set || p->gb_s.set || p->vcpu_s.set || p->gpu_s.set;
}

static enum provisioned_rule provisioned_rule_of(const struct platform_profile *p)
{
    if (!has_price(p))
        return PROVISIONED_UNPRICED;
    if (p->billing == BILLING_INSTANCE)
        return PROVISIONED_INSTANCE;
    if (p->provisioned_idle_gb_s.set)
        return PROVISIONED_IDLE_RATE;
    if (p->provisioned_gb_s.set)
        return PROVISIONED_ALLOCATION;
    return PROVISIONED_NONE;
}

static int parse_billing(struct ctx *x, const struct ynode *n, const char *path,
                         struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    int i;
    if (want_mapping(x, n, path, "a billing mapping {mode, rounding, ...}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, billing_keys))
        return -1;
    if (!(v = ytree_get(n, "mode")))
        return cfg_missing(x->err, n, path, "mode");
    cfg_path_join(kp, path, "mode");
    if (cfg_get_enum(x->err, v, kp, "billing mode", mode_names, NULL, &i))
        return -1;
    p->billing = mode_values[i];
    p->free_with_provisioned = 1;
    if (!(v = ytree_get(n, "rounding")))
        return cfg_missing(x->err, n, path, "rounding");
    cfg_path_join(kp, path, "rounding");
    if (get_positive_duration(x, v, kp, &p->round_ns))
        return -1;
    if ((v = ytree_get(n, "minimum"))) {
        cfg_path_join(kp, path, "minimum");
        if (cfg_get_duration(x->err, v, kp, 0, &p->minimum_ns))
            return -1;
    }
    /* Never 0, so that no meter divides by it; a catalog with a per-GB price must
     * still say which GB it means (below). */
    p->memory_unit_bytes = memory_unit_bytes[0];
    if ((v = ytree_get(n, "memory_unit"))) {
        cfg_path_join(kp, path, "memory_unit");
        if (cfg_get_enum(x->err, v, kp, "memory unit", memory_unit_names, NULL, &i))
            return -1;
        p->memory_unit_bytes = memory_unit_bytes[i];
    }
    if ((v = ytree_get(n, "memory_round"))) {
        cfg_path_join(kp, path, "memory_round");
        if (cfg_get_size(x->err, v, kp, &p->memory_round_bytes))
            return -1;
    }
    if ((v = ytree_get(n, "init_billed"))) {
        cfg_path_join(kp, path, "init_billed");
        if (get_bool(x, v, kp, &p->init_billed))
            return -1;
    }
    if ((v = ytree_get(n, "init_max"))) {
        cfg_path_join(kp, path, "init_max");
        if (get_positive_duration(x, v, kp, &p->init_max_ns))
            return -1;
    }
    if ((v = ytree_get(n, "vcpu"))) {
        cfg_path_join(kp, path, "vcpu");
        if (get_min(x, v, kp, 0, &p->vcpu))
            return -1;
    }
    if ((v = ytree_get(n, "gpus"))) {
        cfg_path_join(kp, path, "gpus");
        if (get_min(x, v, kp, 0, &p->gpus))
            return -1;
    }
    if (opt_price(x, n, path, "request", &p->request) ||
        opt_price(x, n, path, "gb_s", &p->gb_s) ||
        opt_price(x, n, path, "vcpu_s", &p->vcpu_s) ||
        opt_price(x, n, path, "gpu_s", &p->gpu_s) ||
        opt_price(x, n, path, "provisioned_gb_s", &p->provisioned_gb_s) ||
        opt_price(x, n, path, "provisioned_exec_gb_s", &p->provisioned_exec_gb_s) ||
        opt_price(x, n, path, "provisioned_idle_gb_s", &p->provisioned_idle_gb_s) ||
        opt_price(x, n, path, "provisioned_idle_vcpu_s", &p->provisioned_idle_vcpu_s))
        return -1;
    if ((v = ytree_get(n, "tiers"))) {
        cfg_path_join(kp, path, "tiers");
        if (parse_tiers(x, v, kp, p))
            return -1;
    }
    if ((v = ytree_get(n, "provisioned_rounding"))) {
        cfg_path_join(kp, path, "provisioned_rounding");
        if (get_positive_duration(x, v, kp, &p->provisioned_round_ns))
            return -1;
    }
    if ((v = ytree_get(n, "provisioned_ready"))) {
        cfg_path_join(kp, path, "provisioned_ready");
        if (cfg_get_duration(x->err, v, kp, 0, &p->provisioned_ready_ns))
            return -1;
    }
    if ((v = ytree_get(n, "free"))) {
        cfg_path_join(kp, path, "free");
        if (parse_free(x, v, kp, p))
            return -1;
    }

    /* Keys that would silently do nothing are mistakes. */
    int per_gb = p->gb_s.set || p->provisioned_gb_s.set || p->provisioned_exec_gb_s.set ||
                 p->provisioned_idle_gb_s.set;
    int idle_rate = p->provisioned_idle_gb_s.set || p->provisioned_idle_vcpu_s.set;
    if (per_gb && !ytree_get(n, "memory_unit"))
        return cfg_fail(x->err, n, path, "missing required key \"memory_unit\" (GiB or GB): "
                                         "a per-GB price needs to say which GB it means");
    if (needs_key(x, n, path, "vcpu_s", p->vcpu > 0,
                  "vcpu_s is priced but no vCPU is billed: set billing.vcpu") ||
        needs_key(x, n, path, "gpu_s", p->gpus > 0,
                  "gpu_s is priced but no GPU is billed: set billing.gpus") ||
        needs_key(x, n, path, "tiers", p->gb_s.set,
                  "tiers need gb_s, the price below the first tier") ||
        needs_key(x, n, path, "init_max", p->init_billed,
                  "init_max applies only with init_billed: true") ||
        needs_key(x, n, path, "provisioned_exec_gb_s", p->provisioned_gb_s.set,
                  "provisioned_exec_gb_s needs provisioned_gb_s") ||
        needs_key(x, n, path, "provisioned_rounding", p->provisioned_gb_s.set,
                  "provisioned_rounding needs provisioned_gb_s") ||
        needs_key(x, n, path, "provisioned_ready", p->provisioned_gb_s.set,
                  "provisioned_ready needs provisioned_gb_s") ||
        needs_key(x, n, path, "provisioned_idle_gb_s", p->billing == BILLING_BUSY,
                  "an idle rate for kept-warm instances applies only to billing mode busy") ||
        needs_key(x, n, path, "provisioned_idle_vcpu_s", p->billing == BILLING_BUSY,
                  "an idle rate for kept-warm instances applies only to billing mode busy") ||
        needs_key(x, n, path, "provisioned_idle_vcpu_s", p->vcpu > 0,
                  "provisioned_idle_vcpu_s is priced but no vCPU is billed: set billing.vcpu") ||
        needs_key(x, n, path, "provisioned_gb_s", !idle_rate && p->billing != BILLING_INSTANCE,
                  "provisioned_gb_s applies neither to billing mode instance (kept-warm "
                  "instances are billed as instances) nor beside an idle rate") ||
        needs_key(x, n, path, "provisioned_idle_gb_s",
                  p->provisioned_idle_vcpu_s.set || p->vcpu == 0,
                  "an idle rate needs both provisioned_idle_gb_s and provisioned_idle_vcpu_s") ||
        needs_key(x, n, path, "provisioned_idle_vcpu_s", p->provisioned_idle_gb_s.set,
                  "an idle rate needs both provisioned_idle_gb_s and provisioned_idle_vcpu_s"))
        return -1;
    p->provisioned_rule = provisioned_rule_of(p);
    if (strcmp(p->name, "generic") != 0 && !has_price(p))
        return cfg_fail(x->err, n, path, "no price: every platform but generic needs at least "
                                         "one of request, gb_s, vcpu_s, gpu_s");
    return 0;
}

/* ---- names ---- */

/* "list.NAME" when item has a usable name, else "list[index1]". */
static void item_path(char *out, const struct ynode *item, const char *list, size_t index1)
{
    const struct ynode *nm = ytree_get(item, "name");
    if (item->kind == YNODE_MAPPING && nm && nm->kind == YNODE_SCALAR &&
        cfg_is_ident(nm->text, 1) && strlen(nm->text) < CATALOG_NAME_MAX)
        cfg_path_join(out, list, nm->text);
    else
        cfg_path_index(out, list, index1);
}

/* Where name is already used in the catalog, other than by self; 0 if nowhere. */
static int name_taken(const struct catalog *c, const char *name, const void *self,
                      char *where, size_t n)
{
    for (size_t i = 0; i < c->n_platforms; i++)
        if (&c->platforms[i] != self && strcmp(c->platforms[i].name, name) == 0)
            return snprintf(where, n, "platforms[%zu]", i + 1), 1;
    for (size_t i = 0; i < c->n_instances; i++)
        if (&c->instances[i] != self && strcmp(c->instances[i].name, name) == 0)
            return snprintf(where, n, "instances[%zu]", i + 1), 1;
    for (size_t i = 0; i < c->n_discounts; i++)
        if (&c->discounts[i] != self && strcmp(c->discounts[i].name, name) == 0)
            return snprintf(where, n, "discounts[%zu]", i + 1), 1;
    return 0;
}

/* The required, unique name of item at path into out; kind is "platform" etc. */
static int get_item_name(struct ctx *x, const struct ynode *item, const char *path,
                         const char *kind, const void *self, char out[CATALOG_NAME_MAX])
{
    char kp[KEY_MAX], where[64];
    const struct ynode *nm = ytree_get(item, "name");
    if (!nm)
        return cfg_missing(x->err, item, path, "name");
    cfg_path_join(kp, path, "name");
    if (cfg_get_name(x->err, nm, kp, NAME_IDENT_DOT, out))
        return -1;
    if (name_taken(x->c, out, self, where, sizeof where))
        return cfg_fail(x->err, nm, kp, "duplicate %s name \"%s\" (%s has it too; names are "
                                        "unique across platforms, instances and discounts)",
                        kind, out, where);
    return 0;
}

static int parse_platform(struct ctx *x, const struct ynode *n, size_t index1,
                          struct platform_profile *p)
{
    char path[KEY_MAX], kp[KEY_MAX];
    const struct ynode *v;
    item_path(path, n, "platforms", index1);
    if (want_mapping(x, n, path, "a platform mapping {name, keep_alive, billing, ...}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, platform_keys))
        return -1;
    if (get_item_name(x, n, path, "platform", p, p->name))
        return -1;
    if ((v = ytree_get(n, "summary"))) {
        cfg_path_join(kp, path, "summary");
        if (get_text(x, v, kp, 1, p->summary, sizeof p->summary))
            return -1;
    }
    if (!(v = ytree_get(n, "keep_alive")))
        return cfg_missing(x->err, n, path, "keep_alive");
    cfg_path_join(kp, path, "keep_alive");
    if (cfg_get_duration(x->err, v, kp, 1, &p->default_keep_alive_ns))
        return -1;
    if ((v = ytree_get(n, "keep_alive_note"))) {
        cfg_path_join(kp, path, "keep_alive_note");
        if (get_text(x, v, kp, 1, p->keep_alive_note, sizeof p->keep_alive_note))
            return -1;
    }
    if ((v = ytree_get(n, "coldstart"))) {
        cfg_path_join(kp, path, "coldstart");
        if (parse_coldstart(x, v, kp, p))
            return -1;
    } else if (x->builtin) {
        /* Silence would read as "starts at once": the built-in catalog says so or not. */
        return cfg_fail(x->err, n, path, "platform \"%s\" has no coldstart: give its profile, "
                                         "or `coldstart: none` if its instances truly start at "
                                         "once", p->name);
    }
    if ((v = ytree_get(n, "limits"))) {
        cfg_path_join(kp, path, "limits");
        if (parse_limits(x, v, kp, p))
            return -1;
    }
    if (!(v = ytree_get(n, "billing")))
        return cfg_missing(x->err, n, path, "billing");
    cfg_path_join(kp, path, "billing");
    return parse_billing(x, v, kp, p);
}

/* ---- instance types and discounts ---- */

static int parse_instance(struct ctx *x, const struct ynode *n, size_t index1,
                          struct instance_type *it)
{
    char path[KEY_MAX], kp[KEY_MAX];
    const struct ynode *v;
    item_path(path, n, "instances", index1);
    if (want_mapping(x, n, path, "an instance mapping {name, provider, vcpu, memory, ...}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, instance_keys))
        return -1;
    if (get_item_name(x, n, path, "instance type", it, it->name))
        return -1;
    static const char *const required[] = {"provider", "vcpu", "memory", "hourly", "rounding",
                                           NULL};
    for (size_t k = 0; required[k]; k++)
        if (!ytree_get(n, required[k]))
            return cfg_missing(x->err, n, path, required[k]);
    cfg_path_join(kp, path, "provider");
    if (cfg_get_name(x->err, ytree_get(n, "provider"), kp, NAME_IDENT, it->provider))
        return -1;
    v = ytree_get(n, "vcpu");
    cfg_path_join(kp, path, "vcpu");
    if (cfg_get_number(x->err, v, kp, &it->vcpu))
        return -1;
    if (!(it->vcpu > 0))
        return cfg_fail(x->err, v, kp, "must be above 0, got %s", v->text);
    v = ytree_get(n, "memory");
    cfg_path_join(kp, path, "memory");
    if (cfg_get_size(x->err, v, kp, &it->memory_bytes))
        return -1;
    if (it->memory_bytes <= 0)
        return cfg_fail(x->err, v, kp, "must be above 0 bytes");
    if ((v = ytree_get(n, "gpus"))) {
        cfg_path_join(kp, path, "gpus");
        if (cfg_get_u32_range(x->err, v, kp, 0, MAX_GPUS, &it->gpus))
            return -1;
    }
    v = ytree_get(n, "gpu_model");
    cfg_path_join(kp, path, "gpu_model");
    if (v && !it->gpus)
        return cfg_fail(x->err, v, kp, "gpu_model given but gpus is 0");
    if (!v && it->gpus)
        return cfg_missing(x->err, n, path, "gpu_model");
    if (v && get_text(x, v, kp, 0, it->gpu_model, sizeof it->gpu_model))
        return -1;
    cfg_path_join(kp, path, "hourly");
    if (get_price(x, ytree_get(n, "hourly"), kp, &it->hourly))
        return -1;
    cfg_path_join(kp, path, "rounding");
    if (get_positive_duration(x, ytree_get(n, "rounding"), kp, &it->round_ns))
        return -1;
    if ((v = ytree_get(n, "minimum"))) {
        cfg_path_join(kp, path, "minimum");
        if (cfg_get_duration(x->err, v, kp, 0, &it->minimum_ns))
            return -1;
    }
    return 0;
}

/* Comma-separated names, each a provider or platform name, blanks around commas
 * allowed; "" means every provider. */
static int check_applies_to(struct ctx *x, const struct ynode *n, const char *key,
                            const char *list)
{
    const char *p = list;
    while (*p) {
        size_t skip = strspn(p, " \t");
        const char *s = p + skip;
        size_t len = strcspn(s, ",");
        size_t end = len;
        while (end && (s[end - 1] == ' ' || s[end - 1] == '\t'))
            end--;
        char name[CATALOG_NAME_MAX];
        if (end == 0 || end >= sizeof name)
            return cfg_fail(x->err, n, key, "expected comma-separated provider or platform "
                                            "names, got \"%s\"", list);
        memcpy(name, s, end);
        name[end] = '\0';
        if (!cfg_is_ident(name, 1))
            return cfg_fail(x->err, n, key, "bad name \"%s\" in applies_to: use letters, digits, "
                                            "'-', '_' and '.'", name);
        p = s + len;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int parse_discount(struct ctx *x, const struct ynode *n, size_t index1,
                          struct discount *d)
{
    char path[KEY_MAX], kp[KEY_MAX];
    const struct ynode *v;
    item_path(path, n, "discounts", index1);
    if (want_mapping(x, n, path, "a discount mapping {name, off, applies_to, source, date}"))
        return -1;
    if (cfg_check_keys(x->err, n, path, discount_keys))
        return -1;
    if (get_item_name(x, n, path, "discount", d, d->name))
        return -1;
    static const char *const required[] = {"off", "source", "date", NULL};
    for (size_t k = 0; required[k]; k++)
        if (!ytree_get(n, required[k]))
            return cfg_missing(x->err, n, path, required[k]);
    v = ytree_get(n, "off");
    cfg_path_join(kp, path, "off");
    if (cfg_get_number(x->err, v, kp, &d->off))
        return -1;
    if (!(d->off >= 0 && d->off < 1))
        return cfg_fail(x->err, v, kp, "off is a fraction of the on-demand price, from 0 up "
                                       "to (not including) 1; got %s", v->text);
    if ((v = ytree_get(n, "applies_to"))) {
        cfg_path_join(kp, path, "applies_to");
        if (get_text(x, v, kp, 1, d->applies_to, sizeof d->applies_to) ||
            check_applies_to(x, v, kp, d->applies_to))
            return -1;
    }
    cfg_path_join(kp, path, "source");
    if (get_text(x, ytree_get(n, "source"), kp, 0, d->source, sizeof d->source))
        return -1;
    cfg_path_join(kp, path, "date");
    return get_date(x, ytree_get(n, "date"), kp, 0, d->date);
}

/* ---- the whole catalog ---- */

/* The sequence under key of root, or NULL when absent or empty; -1 when not a
 * sequence. */
static int get_list(struct ctx *x, const struct ynode *root, const char *key,
                    const struct ynode **out)
{
    const struct ynode *n = ytree_get(root, key);
    *out = NULL;
    if (!n || ytree_is_null(n))
        return 0;
    if (n->kind != YNODE_SEQUENCE)
        return cfg_fail(x->err, n, key, "expected a sequence, got %s", ytree_describe(n));
    *out = n->n_items ? n : NULL;
    return 0;
}

/* The file's base name without .yaml or .yml: the catalog's name when it gives none. */
static void default_name(const char *src, char out[CATALOG_NAME_MAX])
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
        len -= 5;
    else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
        len -= 4;
    if (len >= CATALOG_NAME_MAX)
        len = CATALOG_NAME_MAX - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

static int parse_catalog(struct ctx *x, const struct ynode *root, const char *src)
{
    struct catalog *c = x->c;
    const struct ynode *v, *list;
    if (root->kind != YNODE_MAPPING)
        return cfg_fail(x->err, root, NULL, "expected a mapping of catalog keys (catalog, as_of, "
                                            "platforms, instances, discounts), got %s",
                        ytree_describe(root));
    if (cfg_check_keys(x->err, root, "", top_keys))
        return -1;
    /* The date comes first: it is what makes the numbers below checkable, and every
     * price's date is compared with it. */
    if (!(v = ytree_get(root, "as_of")))
        return cfg_fail(x->err, root, "as_of",
                        "missing required key \"as_of\": the date the catalog was written "
                        "(YYYY-MM-DD)");
    if (get_date(x, v, "as_of", 1, c->as_of))
        return -1;
    x->as_of = c->as_of;
    default_name(src, c->name);
    if ((v = ytree_get(root, "catalog")) && cfg_get_name(x->err, v, "catalog", NAME_TEXT, c->name))
        return -1;

    if (get_list(x, root, "platforms", &list))
        return -1;
    if (list) {
        if (!(c->platforms = calloc(list->n_items, sizeof *c->platforms)))
            return oom(x, list, "platforms");
        for (size_t i = 0; i < list->n_items; i++) {
            c->n_platforms = i + 1; /* counted at once, so destroy frees what it holds */
            if (parse_platform(x, list->items[i], i + 1, &c->platforms[i]))
                return -1;
        }
    }
    if (get_list(x, root, "instances", &list))
        return -1;
    if (list) {
        if (!(c->instances = calloc(list->n_items, sizeof *c->instances)))
            return oom(x, list, "instances");
        for (size_t i = 0; i < list->n_items; i++) {
            c->n_instances = i + 1;
            if (parse_instance(x, list->items[i], i + 1, &c->instances[i]))
                return -1;
        }
    }
    if (get_list(x, root, "discounts", &list))
        return -1;
    if (list) {
        if (!(c->discounts = calloc(list->n_items, sizeof *c->discounts)))
            return oom(x, list, "discounts");
        for (size_t i = 0; i < list->n_items; i++) {
            c->n_discounts = i + 1;
            if (parse_discount(x, list->items[i], i + 1, &c->discounts[i]))
                return -1;
        }
    }
    return 0;
}

static int parse_text(const char *text, size_t len, const char *src_name, int builtin,
                      struct catalog **out, struct slsim_error *err)
{
    *out = NULL;
    if (strlen(src_name) >= sizeof ((struct catalog *)0)->path)
        return slsim_error_set(err, NULL, 0, 0, NULL, "catalog path is too long");
    struct ynode *root = ytree_parse(text, len, src_name, -1, NULL, err);
    if (!root)
        return -1;
    struct catalog *c = calloc(1, sizeof *c);
    if (!c) {
        ytree_free(root);
        return slsim_error_set(err, src_name, 0, 0, NULL, "out of memory");
    }
    memcpy(c->path, src_name, strlen(src_name) + 1);
    struct ctx x = {err, NULL, c, builtin};
    int rc = parse_catalog(&x, root, src_name);
    ytree_free(root);
    if (rc) {
        catalog_destroy(c);
        return -1;
    }
    *out = c;
    return 0;
}

int catalog_parse(const char *text, size_t len, const char *src_name, struct catalog **out,
                  struct slsim_error *err)
{
    return parse_text(text, len, src_name, 0, out, err);
}

int catalog_parse_builtin(const char *text, size_t len, const char *src_name,
                          struct catalog **out, struct slsim_error *err)
{
    return parse_text(text, len, src_name, 1, out, err);
}

int catalog_load_file(const char *path, struct catalog **out, struct slsim_error *err)
{
    size_t len;
    struct stat st;
    *out = NULL;
    /* A directory opens for reading on POSIX systems and only fails on the read,
     * with no position; a device may never end. */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return slsim_error_set(err, path, 1, 1, NULL, "is a directory, not a catalog file");
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return slsim_error_set(err, path, 1, 1, NULL, "is not a regular file");
    char *text = cfg_read_file(path, "catalog", &len, err);
    if (!text) {
        if (err && err->line == 0)
            err->line = err->column = 1;
        return -1;
    }
    size_t blank = 0;
    while (blank < len && strchr(" \t\r\n", text[blank]))
        blank++;
    if (blank == len) {
        free(text);
        return slsim_error_set(err, path, 1, 1, NULL,
                               "empty file: expected a catalog (as_of, platforms, instances, "
                               "discounts)");
    }
    int rc = catalog_parse(text, len, path, out, err);
    free(text);
    return rc;
}

int catalog_load_default(struct catalog **out, struct slsim_error *err)
{
    return catalog_parse_builtin((const char *)slsim_default_catalog,
                                 slsim_default_catalog_len, DEFAULT_SRC, out, err);
}

void catalog_destroy(struct catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_platforms; i++) {
        if (c->platforms[i].has_coldstart)
            dist_free(&c->platforms[i].init);
        free(c->platforms[i].tiers);
    }
    free(c->platforms);
    free(c->instances);
    free(c->discounts);
    free(c);
}

/* ---- lookups ---- */

const struct platform_profile *catalog_find_platform(const struct catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n_platforms; i++)
        if (strcmp(c->platforms[i].name, name) == 0)
            return &c->platforms[i];
    return NULL;
}

const struct instance_type *catalog_find_instance(const struct catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n_instances; i++)
        if (strcmp(c->instances[i].name, name) == 0)
            return &c->instances[i];
    return NULL;
}

const struct discount *catalog_find_discount(const struct catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n_discounts; i++)
        if (strcmp(c->discounts[i].name, name) == 0)
            return &c->discounts[i];
    return NULL;
}

int catalog_discount_applies(const struct discount *d, const char *name)
{
    size_t want = strlen(name);
    const char *p = d->applies_to;
    if (p[strspn(p, " \t")] == '\0')
        return 1;
    while (*p) {
        const char *s = p + strspn(p, " \t");
        size_t len = strcspn(s, ",");
        size_t end = len;
        while (end && (s[end - 1] == ' ' || s[end - 1] == '\t'))
            end--;
        if (end == want && strncmp(s, name, want) == 0)
            return 1;
        p = s + len;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Append ", name" (or "name" first) to buf of size n, at *w; stops at the end. */
static void append_name(char *buf, size_t n, size_t *w, const char *name)
{
    if (*w >= n)
        return;
    int k = snprintf(buf + *w, n - *w, "%s%s", *w ? ", " : "", name);
    *w = k < 0 ? n : *w + (size_t)k;
}

void catalog_platform_names(const struct catalog *c, char *buf, size_t n)
{
    size_t w = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < c->n_platforms; i++)
        append_name(buf, n, &w, c->platforms[i].name);
}

void catalog_instance_names(const struct catalog *c, char *buf, size_t n)
{
    size_t w = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < c->n_instances; i++)
        append_name(buf, n, &w, c->instances[i].name);
}

void catalog_discount_names(const struct catalog *c, char *buf, size_t n)
{
    size_t w = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < c->n_discounts; i++)
        append_name(buf, n, &w, c->discounts[i].name);
}

const char *catalog_provisioned_rule_name(enum provisioned_rule r)
{
    switch (r) {
    case PROVISIONED_UNPRICED:
        return "not billed (the platform has no prices)";
    case PROVISIONED_NONE:
        return "not priced: provisioned capacity is refused";
    case PROVISIONED_ALLOCATION:
        return "allocation at provisioned_gb_s, execution on it at provisioned_exec_gb_s";
    case PROVISIONED_IDLE_RATE:
        return "busy periods at the active rates, idle time at provisioned_idle_vcpu_s and "
               "provisioned_idle_gb_s";
    case PROVISIONED_INSTANCE:
        return "the whole instance life at the full vCPU, memory and GPU rates";
    }
    return "?";
}

int catalog_check_provisioned(const struct platform_profile *p, char *why, size_t n)
{
    switch (p->provisioned_rule) {
    case PROVISIONED_NONE:
        if (p->billing == BILLING_BUSY)
            snprintf(why, n, "%s has no sourced price for idle kept-warm instances "
                     "(billing.provisioned_idle_gb_s and provisioned_idle_vcpu_s in the catalog)",
                     p->name);
        else
            snprintf(why, n, "%s has no sourced price for provisioned capacity "
                     "(billing.provisioned_gb_s in the catalog)", p->name);
        return -1;
    case PROVISIONED_ALLOCATION:
        if (!p->provisioned_exec_gb_s.set) {
            snprintf(why, n, "%s has no sourced price for execution on provisioned capacity "
                     "(billing.provisioned_exec_gb_s in the catalog)", p->name);
            return -1;
        }
        return 0;
    default:
        return 0;
    }
}

/* ---- memory settings ---- */

int catalog_memory_is_setting(const struct platform_profile *p, int64_t bytes)
{
    if (bytes <= 0)
        return 0;
    if (p->n_memory_sizes) {
        for (size_t i = 0; i < p->n_memory_sizes; i++)
            if (p->memory_sizes_bytes[i] == bytes)
                return 1;
        return 0;
    }
    if ((p->memory_min_bytes && bytes < p->memory_min_bytes) ||
        (p->memory_max_bytes && bytes > p->memory_max_bytes))
        return 0;
    return !p->memory_step_bytes || (bytes - p->memory_min_bytes) % p->memory_step_bytes == 0;
}

void catalog_memory_nearest(const struct platform_profile *p, int64_t bytes, int64_t *below,
                            int64_t *above)
{
    *below = *above = 0;
    if (p->n_memory_sizes) {
        for (size_t i = 0; i < p->n_memory_sizes; i++) {
            int64_t m = p->memory_sizes_bytes[i];
            if (m <= bytes)
                *below = m;
            if (m >= bytes && !*above)
                *above = m;
        }
        return;
    }
    if (p->memory_max_bytes && bytes > p->memory_max_bytes) {
        *below = p->memory_max_bytes;
        return;
    }
    if (p->memory_min_bytes && bytes < p->memory_min_bytes) {
        *above = p->memory_min_bytes;
        return;
    }
    *below = *above = bytes;
    if (p->memory_step_bytes) {
        int64_t off = (bytes - p->memory_min_bytes) % p->memory_step_bytes;
        *below = bytes - off;
        if (off)
            *above = *below + p->memory_step_bytes;
    }
}

int64_t catalog_memory_round_up(const struct platform_profile *p, int64_t bytes)
{
    int64_t below, above;
    catalog_memory_nearest(p, bytes, &below, &above);
    return above ? above : below ? below : bytes;
}

/* The provider's unit for memory settings: MiB unless the catalog names another. */
static const char *written_unit(const struct platform_profile *p, double *bytes)
{
    *bytes = p->memory_written_bytes > 0 ? p->memory_written_bytes : written_bytes[0];
    return p->memory_written_bytes > 0 ? p->memory_written_in : written_names[0];
}

/* bytes as a number of the provider's unit, at most three decimals, no trailing zeros. */
static void fmt_written(const struct platform_profile *p, int64_t bytes, char *buf, size_t n)
{
    double unit;
    written_unit(p, &unit);
    snprintf(buf, n, "%.3f", (double)bytes / unit);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf);
    while (end > dot + 1 && end[-1] == '0')
        *--end = '\0';
    if (end == dot + 1)
        *dot = '\0';
}

void catalog_memory_settings(const struct platform_profile *p, char *buf, size_t n)
{
    char a[32], b[32];
    double ub;
    const char *u = written_unit(p, &ub);
    size_t w = 0;
    if (n)
        buf[0] = '\0';
    if (p->n_memory_sizes) {
        for (size_t i = 0; i < p->n_memory_sizes && w < n; i++) {
            fmt_written(p, p->memory_sizes_bytes[i], a, sizeof a);
            const char *sep = i == 0 ? "" : i + 1 == p->n_memory_sizes ? " or " : ", ";
            int k = snprintf(buf + w, n - w, "%s%s", sep, a);
            w = k < 0 ? n : w + (size_t)k;
        }
        if (w < n)
            snprintf(buf + w, n - w, p->n_memory_sizes == 1 ? " %s only" : " %s", u);
        return;
    }
    fmt_written(p, p->memory_min_bytes, a, sizeof a);
    fmt_written(p, p->memory_max_bytes, b, sizeof b);
    if (p->memory_step_bytes) {
        char c[32];
        fmt_written(p, p->memory_step_bytes, c, sizeof c);
        snprintf(buf, n, "from %s to %s %s in steps of %s %s", a, b, u, c, u);
    } else if (p->memory_min_bytes && p->memory_max_bytes) {
        snprintf(buf, n, "any size from %s to %s %s", a, b, u);
    } else if (p->memory_max_bytes) {
        snprintf(buf, n, "any size up to %s %s", b, u);
    } else if (p->memory_min_bytes) {
        snprintf(buf, n, "any size from %s %s", a, u);
    }
}

/* "; did you mean 2048MiB?" when the number the user wrote, with the other system's
 * unit (MB <-> MiB, GB <-> GiB) or with the provider's unit, is a setting of p. */
static void memory_hint(const struct platform_profile *p, const char *written, char *buf,
                        size_t n)
{
    static const char *const pairs[][2] = {{"kB", "KiB"}, {"KB", "KiB"}, {"MB", "MiB"},
                                           {"GB", "GiB"}, {"TB", "TiB"}};
    buf[0] = '\0';
    if (!written)
        return;
    const char *num = written + strspn(written, " \t");
    char *end;
    if (strtod(num, &end) <= 0 || end == num)
        return;
    int digits_len = (int)(end - num);
    const char *unit = end + strspn(end, " \t");
    size_t unit_len = strcspn(unit, " \t");
    double ub;
    const char *cand[2] = {NULL, written_unit(p, &ub)};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        for (int side = 0; side < 2; side++)
            if (strlen(pairs[i][side]) == unit_len &&
                strncmp(unit, pairs[i][side], unit_len) == 0)
                cand[0] = pairs[i][!side];
    for (int k = 0; k < 2; k++) {
        char text[96], why[160];
        int64_t bytes;
        if (!cand[k] || (strlen(cand[k]) == unit_len && strncmp(unit, cand[k], unit_len) == 0))
            continue;
        snprintf(text, sizeof text, "%.*s%s", digits_len, num, cand[k]);
        if (units_parse_size(text, &bytes, why, sizeof why) == 0 &&
            catalog_memory_is_setting(p, bytes)) {
            snprintf(buf, n, "; did you mean %s?", text);
            return;
        }
    }
}

int catalog_check_memory(const struct platform_profile *p, int64_t bytes, const char *written,
                         char *why, size_t n)
{
    char val[32], head[160], set[400], near[120], hint[120], lo[32], hi[32];
    double ub;
    const char *u = written_unit(p, &ub);
    if (catalog_memory_is_setting(p, bytes))
        return 0;
    fmt_written(p, bytes, val, sizeof val);
    if (written) {
        /* "1536MiB is 1536 MiB" would say nothing: the size is restated only when the
         * user wrote it another way. */
        char same[64], bare[64];
        size_t b = 0;
        const char *w = written + strspn(written, " \t");
        int len = (int)strlen(w);
        while (len && (w[len - 1] == ' ' || w[len - 1] == '\t'))
            len--;
        for (int k = 0; k < len && b + 1 < sizeof bare; k++)
            if (w[k] != ' ' && w[k] != '\t')
                bare[b++] = w[k];
        bare[b] = '\0';
        snprintf(same, sizeof same, "%s%s", val, u);
        if (strcmp(bare, same) == 0)
            snprintf(head, sizeof head, "%.*s is not a memory setting", len, w);
        else
            snprintf(head, sizeof head, "%.*s is %s %s, not a memory setting", len < 60 ? len : 60,
                     w, val, u);
    } else {
        snprintf(head, sizeof head, "%s %s is not a memory setting", val, u);
    }
    catalog_memory_settings(p, set, sizeof set);
    int64_t below, above;
    catalog_memory_nearest(p, bytes, &below, &above);
    fmt_written(p, below, lo, sizeof lo);
    fmt_written(p, above, hi, sizeof hi);
    if (below && above)
        snprintf(near, sizeof near, "nearest settings %s and %s %s", lo, hi, u);
    else
        snprintf(near, sizeof near, "nearest setting %s %s", below ? lo : hi, u);
    memory_hint(p, written, hint, sizeof hint);
    snprintf(why, n, "%s; %s is set in %s, %s; %s%s", head, p->name, u, set, near, hint);
    return -1;
}

const char *catalog_billing_name(enum billing_mode m)
{
    for (size_t i = 0; i < sizeof mode_values / sizeof *mode_values; i++)
        if (mode_values[i] == m)
            return mode_names[i];
    return "?";
}
