/* profile_config.c - the platform-profile sections of a catalog platform: its cold
 * start (`coldstart:`, with the artifacts a model ships as), its limits (memory
 * settings, concurrency, timeout) and its hardware (vCPUs, accelerators), and the
 * memory-setting questions asked of a profile once loaded.
 *
 * Cold-start constants are held to the standard of prices: each one given needs its
 * own entry under `sources:`, a published source with its year, or text starting
 * "assumed", so reports can name the numbers nobody measured. Memory settings are
 * what a provider lets a user choose: a list, a stepped range or any size in a range;
 * a size that is not one is refused with the settings around it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_config.h"
#include "slsim/dist_config.h"

#define MAX_CONCURRENCY 1000000
#define MAX_ACCELERATORS 64 /* per instance, as MAX_GPUS of an instance type */

static const char *const coldstart_keys[] = {"init",         "fetch_bandwidth", "load_bandwidth",
                                             "copy_bandwidth", "engine",        "llm_engine",
                                             "artifacts",    "init_timeout",    "sources",
                                             NULL};
/* The constants a profile may give, each needing an entry in `sources:`. */
static const char *const coldstart_constants[] = {"init",           "fetch_bandwidth",
                                                  "load_bandwidth", "copy_bandwidth",
                                                  "engine",         "llm_engine",
                                                  "init_timeout",   NULL};
static const char *const artifact_keys[] = {"name", "max", "fetch_bandwidth", "overhead",
                                            "source", NULL};
static const char *const limit_keys[] = {"memory_min",   "memory_max",        "memory_step",
                                         "memory_sizes", "memory_written_in", "concurrency",
                                         "timeout",      "account_concurrency",
                                         "unreserved_concurrency_min", NULL};
static const char *const hardware_keys[] = {"vcpus",        "memory_per_vcpu", "accelerator",
                                            "accelerators", "source",          NULL};
static const char *const autoscaling_keys[] = {"cpu_target", "concurrency_target", "window",
                                               "tick",       "source",             NULL};
/* Units a provider may write memory settings in; MiB when a catalog names none. */
static const char *const written_names[] = {"MiB", "GiB", "MB", "GB", NULL};
static const double written_bytes[] = {1048576.0, 1073741824.0, 1e6, 1e9};

/* A cold-start constant's source: published (with a year, so a reader can date it)
 * or an assumption, written "assumed: why this value". */
static int get_constant_source(const struct catalog_read *r, const struct ynode *n,
                               const char *key, struct coldstart_constant *c)
{
    if (catalog_get_text(r, n, key, 0, c->source, sizeof c->source))
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
        if ((q == t || q[-1] < '0' || q[-1] > '9') && catalog_digits(q, 4, &y) &&
            (q[4] < '0' || q[4] > '9') && y >= 1900 && y <= 2100)
            return 0;
    }
    return cfg_fail(r->err, n, key, "a cited constant names its source and the year or date "
                                    "it states; write \"assumed: ...\" for a value nobody "
                                    "published");
}

static int parse_artifact(const struct catalog_read *r, const struct ynode *n, const char *path,
                          struct coldstart_artifact *a, int64_t prev_max)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    static const char *const required[] = {"name", "source", NULL};
    if (catalog_want_keys(r, n, path,
                          "an artifact mapping {name, max, fetch_bandwidth, overhead, source}",
                          artifact_keys, required))
        return -1;
    cfg_path_join(kp, path, "name");
    if (cfg_get_name(r->err, ytree_get(n, "name"), kp, NAME_IDENT, a->name))
        return -1;
    if ((v = catalog_opt(n, path, "max", kp))) {
        if (cfg_get_size(r->err, v, kp, &a->max_bytes))
            return -1;
        if (a->max_bytes <= prev_max)
            return cfg_fail(r->err, v, kp, "artifacts are listed by max, ascending, each above "
                                           "0 bytes");
    }
    if ((v = catalog_opt(n, path, "fetch_bandwidth", kp)) &&
        catalog_get_bandwidth(r, v, kp, &a->fetch_bytes_per_s))
        return -1;
    if ((v = catalog_opt(n, path, "overhead", kp)) &&
        cfg_get_duration(r->err, v, kp, 0, &a->overhead_ns))
        return -1;
    cfg_path_join(kp, path, "source");
    return get_constant_source(r, ytree_get(n, "source"), kp, &a->c);
}

/* The ways a model reaches an instance, by size; the last may have no max. */
static int parse_artifacts(const struct catalog_read *r, const struct ynode *n, const char *path,
                           struct platform_profile *p)
{
    char kp[KEY_MAX];
    if (n->kind != YNODE_SEQUENCE || n->n_items == 0)
        return cfg_fail(r->err, n, path, "expected a non-empty sequence of artifacts, got %s",
                        ytree_describe(n));
    if (n->n_items > CATALOG_MAX_ARTIFACTS)
        return cfg_fail(r->err, n, path, "at most %d artifacts", CATALOG_MAX_ARTIFACTS);
    for (size_t i = 0; i < n->n_items; i++) {
        cfg_path_index(kp, path, i + 1);
        struct coldstart_artifact *a = &p->artifacts[i];
        if (i && !p->artifacts[i - 1].max_bytes)
            return cfg_fail(r->err, n->items[i], kp, "artifact \"%s\" before it has no max, "
                                                    "so this one is never used",
                            p->artifacts[i - 1].name);
        if (parse_artifact(r, n->items[i], kp, a, i ? p->artifacts[i - 1].max_bytes : 0))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->artifacts[j].name, a->name) == 0)
                return cfg_fail(r->err, ytree_get(n->items[i], "name"), kp,
                                "duplicate artifact name \"%s\"", a->name);
        p->n_artifacts = i + 1;
    }
    return 0;
}

/* An engine start (engine, llm_engine) at v into *d: a duration or a non-empirical
 * distribution. The catalog frees a profile's init only; an empirical engine would
 * hold arrays nobody frees. */
static int parse_engine(const struct catalog_read *r, const struct ynode *v, const char *kp,
                        struct dist *d)
{
    if (cfg_parse_dist(r->err, v, kp, d))
        return -1;
    if (d->kind != DIST_EMPIRICAL && d->kind != DIST_MIXTURE)
        return 0;
    dist_free(d);
    return cfg_fail(r->err, v, kp, "an engine start is a duration or a constant, exponential, "
                                   "lognormal or gamma distribution, not empirical or a mixture");
}

/* `coldstart:` of a platform: a profile mapping, or `none` said on purpose. Every
 * constant given needs its entry in `sources:` and no entry may name a constant
 * that is not given, so a number without a source cannot slip in. */
int profile_parse_coldstart(const struct catalog_read *r, const struct ynode *n,
                            const char *path, struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v, *srcs;
    if (n->kind == YNODE_SCALAR && !ytree_is_null(n) && strcmp(n->text, "none") == 0) {
        p->coldstart_none = 1;
        return 0;
    }
    static const char *const required[] = {"init", "sources", NULL};
    if (catalog_want_keys(r, n, path, "`none` or a mapping {init, load_bandwidth, artifacts, "
                                      "copy_bandwidth, engine, llm_engine, sources, ...}",
                          coldstart_keys, required))
        return -1;
    cfg_path_join(kp, path, "init");
    if (cfg_parse_dist(r->err, ytree_get(n, "init"), kp, &p->init))
        return -1;
    p->has_coldstart = 1; /* from here catalog_destroy frees init */
    if ((v = catalog_opt(n, path, "load_bandwidth", kp)) &&
        catalog_get_bandwidth(r, v, kp, &p->load_bytes_per_s))
        return -1;
    const struct ynode *fetch = ytree_get(n, "fetch_bandwidth"),
                       *arts = ytree_get(n, "artifacts");
    if (fetch && arts) {
        cfg_path_join(kp, path, "artifacts");
        return cfg_fail(r->err, arts, kp, "give fetch_bandwidth (one way for every size) or "
                                          "artifacts (by size), not both");
    }
    if (fetch) {
        cfg_path_join(kp, path, "fetch_bandwidth");
        if (catalog_get_bandwidth(r, fetch, kp, &p->artifacts[0].fetch_bytes_per_s))
            return -1;
        snprintf(p->artifacts[0].name, sizeof p->artifacts[0].name, "artifact");
        p->n_artifacts = 1;
    }
    if ((v = catalog_opt(n, path, "artifacts", kp)) && parse_artifacts(r, v, kp, p))
        return -1;
    if ((v = catalog_opt(n, path, "init_timeout", kp)) &&
        catalog_get_period(r, v, kp, &p->init_timeout_ns))
        return -1;
    if ((v = catalog_opt(n, path, "copy_bandwidth", kp)) &&
        catalog_get_bandwidth(r, v, kp, &p->copy_bytes_per_s))
        return -1;
    if ((v = catalog_opt(n, path, "engine", kp))) {
        if (parse_engine(r, v, kp, &p->engine))
            return -1;
        p->has_engine = 1;
    }
    if ((v = catalog_opt(n, path, "llm_engine", kp))) {
        if (parse_engine(r, v, kp, &p->llm_engine))
            return -1;
        p->has_llm_engine = 1;
    }

    char sp[KEY_MAX];
    cfg_path_join(sp, path, "sources");
    srcs = ytree_get(n, "sources");
    if (catalog_want_keys(r, srcs, sp, "a mapping of constant: source (\"assumed: ...\" for "
                                       "an assumption)",
                          coldstart_constants, NULL))
        return -1;
    struct coldstart_constant *out[] = {&p->init_c, &p->artifacts[0].c, &p->load_c,
                                        &p->copy_c, &p->engine_c, &p->llm_engine_c,
                                        &p->init_timeout_c};
    for (size_t k = 0; coldstart_constants[k]; k++) {
        const char *name = coldstart_constants[k];
        const struct ynode *given = ytree_get(n, name), *src = ytree_get(srcs, name);
        cfg_path_join(kp, sp, name);
        if (given && !src)
            return cfg_fail(r->err, srcs, sp, "%s has no source: every cold-start constant "
                                              "says where it was published, or \"assumed: "
                                              "...\"", name);
        if (src && !given)
            return cfg_fail(r->err, src, kp, "a source for %s, which this profile does not "
                                             "give", name);
        if (src && get_constant_source(r, src, kp, out[k]))
            return -1;
    }
    return 0;
}

/* memory_sizes: a list of sizes, each above 0, strictly ascending; they become the
 * only settings, and memory_min and memory_max follow from them. */
static int parse_memory_sizes(const struct catalog_read *r, const struct ynode *seq,
                              const char *path, struct platform_profile *p)
{
    char ip[KEY_MAX];
    if (seq->kind != YNODE_SEQUENCE || seq->n_items == 0)
        return cfg_fail(r->err, seq, path, "expected a list of sizes such as [512MiB, 2048MiB], "
                                           "got %s", ytree_describe(seq));
    if (seq->n_items > CATALOG_MEMORY_SIZES_MAX)
        return cfg_fail(r->err, seq, path, "at most %d sizes; give memory_step for a regular "
                                           "range", CATALOG_MEMORY_SIZES_MAX);
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct ynode *v = seq->items[i];
        int64_t *b = &p->memory_sizes_bytes[i];
        cfg_path_index(ip, path, i + 1);
        if (cfg_get_size(r->err, v, ip, b))
            return -1;
        if (*b <= 0)
            return cfg_fail(r->err, v, ip, "must be above 0 bytes");
        if (i && *b <= b[-1])
            return cfg_fail(r->err, v, ip, "memory_sizes must be in ascending order, each "
                                           "once: %s comes after %s", v->text,
                            seq->items[i - 1]->text);
    }
    p->n_memory_sizes = seq->n_items;
    p->memory_min_bytes = p->memory_sizes_bytes[0];
    p->memory_max_bytes = p->memory_sizes_bytes[seq->n_items - 1];
    return 0;
}

int profile_parse_limits(const struct catalog_read *r, const struct ynode *n,
                         const char *path, struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *v, *vmin, *vmax, *vstep;
    int i;
    if (catalog_want_keys(r, n, path, "a mapping of limits", limit_keys, NULL))
        return -1;
    vmin = ytree_get(n, "memory_min");
    vmax = ytree_get(n, "memory_max");
    vstep = ytree_get(n, "memory_step");
    if ((v = ytree_get(n, "memory_sizes"))) {
        const struct ynode *both = vmin ? vmin : vmax ? vmax : vstep;
        if (both) {
            cfg_path_join(kp, path, both == vmin ? "memory_min" : both == vmax ? "memory_max"
                                                                             : "memory_step");
            return cfg_fail(r->err, both, kp, "memory_sizes lists every setting: memory_min, "
                                              "memory_max and memory_step follow from it");
        }
        cfg_path_join(kp, path, "memory_sizes");
        if (parse_memory_sizes(r, v, kp, p))
            return -1;
    }
    if (catalog_opt(n, path, "memory_min", kp) &&
        cfg_get_size(r->err, vmin, kp, &p->memory_min_bytes))
        return -1;
    if (catalog_opt(n, path, "memory_max", kp)) {
        if (cfg_get_size(r->err, vmax, kp, &p->memory_max_bytes))
            return -1;
        if (p->memory_max_bytes <= 0)
            return cfg_fail(r->err, vmax, kp, "must be above 0 bytes");
        if (p->memory_max_bytes < p->memory_min_bytes)
            return cfg_fail(r->err, vmax, kp, "memory_max %s is below memory_min %s", vmax->text,
                            vmin->text);
    }
    if (catalog_opt(n, path, "memory_step", kp)) {
        if (cfg_get_size(r->err, vstep, kp, &p->memory_step_bytes))
            return -1;
        if (p->memory_step_bytes <= 0)
            return cfg_fail(r->err, vstep, kp, "must be above 0 bytes");
        if (!vmin || !vmax)
            return cfg_fail(r->err, vstep, kp, "memory_step needs memory_min and memory_max: "
                                               "the settings are min, min + step, ..., max");
        if ((p->memory_max_bytes - p->memory_min_bytes) % p->memory_step_bytes != 0)
            return cfg_fail(r->err, vstep, kp, "memory_step %s does not divide memory_max - "
                                               "memory_min (%s - %s): max would not be a setting",
                            vstep->text, vmax->text, vmin->text);
    }
    i = 0;
    if ((v = catalog_opt(n, path, "memory_written_in", kp)) &&
        cfg_get_enum(r->err, v, kp, "memory unit", written_names, NULL, &i))
        return -1;
    snprintf(p->memory_written_in, sizeof p->memory_written_in, "%s", written_names[i]);
    p->memory_written_bytes = written_bytes[i];
    if ((v = catalog_opt(n, path, "concurrency", kp)) &&
        cfg_get_u32_range(r->err, v, kp, 1, MAX_CONCURRENCY, &p->concurrency_max))
        return -1;
    if ((v = catalog_opt(n, path, "timeout", kp)) && catalog_get_period(r, v, kp, &p->timeout_ns))
        return -1;
    if ((v = catalog_opt(n, path, "account_concurrency", kp)) &&
        cfg_get_u32_range(r->err, v, kp, 1, UINT32_MAX, &p->account_concurrency))
        return -1;
    if ((v = catalog_opt(n, path, "unreserved_concurrency_min", kp)) &&
        cfg_get_u32_range(r->err, v, kp, 0, UINT32_MAX, &p->unreserved_concurrency_min))
        return -1;
    return 0;
}

int profile_parse_hardware(const struct catalog_read *r, const struct ynode *n,
                           const char *path, struct platform_profile *p)
{
    char kp[KEY_MAX];
    const struct ynode *vcpus, *per, *acc, *count;
    static const char *const required[] = {"source", NULL};
    struct coldstart_constant src;
    if (catalog_want_keys(r, n, path, "a hardware mapping {vcpus or memory_per_vcpu, "
                                      "accelerator, accelerators, source}",
                          hardware_keys, required))
        return -1;
    vcpus = ytree_get(n, "vcpus");
    per = ytree_get(n, "memory_per_vcpu");
    acc = ytree_get(n, "accelerator");
    count = ytree_get(n, "accelerators");
    if (vcpus && per) {
        cfg_path_join(kp, path, "memory_per_vcpu");
        return cfg_fail(r->err, per, kp, "give vcpus (a fixed count) or memory_per_vcpu "
                                         "(vCPUs in proportion to memory), not both");
    }
    if (count && !acc) {
        cfg_path_join(kp, path, "accelerators");
        return cfg_fail(r->err, count, kp, "accelerators counts the accelerator named by "
                                           "`accelerator:`, which is not given");
    }
    if (!vcpus && !per && !acc)
        return cfg_fail(r->err, n, path, "hardware states nothing: give vcpus, "
                                         "memory_per_vcpu or accelerator");
    if (vcpus) {
        cfg_path_join(kp, path, "vcpus");
        if (cfg_get_number(r->err, vcpus, kp, &p->vcpus))
            return -1;
        if (!(p->vcpus > 0))
            return cfg_fail(r->err, vcpus, kp, "must be above 0, got %s", vcpus->text);
    }
    if (per) {
        cfg_path_join(kp, path, "memory_per_vcpu");
        if (cfg_get_size(r->err, per, kp, &p->memory_per_vcpu_bytes))
            return -1;
        if (p->memory_per_vcpu_bytes <= 0)
            return cfg_fail(r->err, per, kp, "must be above 0 bytes");
    }
    if (acc) {
        cfg_path_join(kp, path, "accelerator");
        if (catalog_get_accelerator(r, acc, kp, p->accelerator))
            return -1;
        p->accelerators = 1;
    }
    if (count) {
        cfg_path_join(kp, path, "accelerators");
        if (cfg_get_u32_range(r->err, count, kp, 1, MAX_ACCELERATORS, &p->accelerators))
            return -1;
    }
    /* The billing block bills GPUs per instance; a different count here would price one
     * instance and compute with another. */
    if (acc && p->gpus > 0 && p->gpus != (double)p->accelerators) {
        cfg_path_join(kp, path, count ? "accelerators" : "accelerator");
        return cfg_fail(r->err, count ? count : acc, kp, "%u x %s per instance, but billing "
                                                         "bills %g GPUs per instance",
                        p->accelerators, p->accelerator, p->gpus);
    }
    cfg_path_join(kp, path, "source");
    if (get_constant_source(r, ytree_get(n, "source"), kp, &src))
        return -1;
    memcpy(p->hardware_source, src.source, sizeof p->hardware_source);
    return 0;
}

/* A target utilisation at key of n, in (0, 1], into *out (0 when absent). */
static int get_target(const struct catalog_read *r, const struct ynode *n, const char *path,
                      const char *key, double *out)
{
    char kp[KEY_MAX];
    const struct ynode *v = ytree_get(n, key);
    *out = 0;
    if (!v)
        return 0;
    cfg_path_join(kp, path, key);
    if (cfg_get_number(r->err, v, kp, out))
        return -1;
    if (!(*out > 0 && *out <= 1))
        return cfg_fail(r->err, v, kp, "a target utilisation is a fraction in (0, 1], got %s",
                        v->text);
    return 0;
}

int profile_parse_autoscaling(const struct catalog_read *r, const struct ynode *n,
                              const char *path, struct platform_profile *p)
{
    char kp[KEY_MAX];
    static const char *const required[] = {"window", "tick", "source", NULL};
    struct coldstart_constant src;
    if (catalog_want_keys(r, n, path, "an autoscaling mapping {cpu_target, concurrency_target, "
                                      "window, tick, source}",
                          autoscaling_keys, required))
        return -1;
    if (get_target(r, n, path, "cpu_target", &p->scale_cpu_target) ||
        get_target(r, n, path, "concurrency_target", &p->scale_concurrency_target))
        return -1;
    if (!p->scale_cpu_target && !p->scale_concurrency_target)
        return cfg_fail(r->err, n, path, "autoscaling states no target: give cpu_target, "
                                         "concurrency_target or both");
    const struct ynode *v = ytree_get(n, "window");
    cfg_path_join(kp, path, "window");
    if (cfg_get_duration(r->err, v, kp, 0, &p->scale_window_ns))
        return -1;
    if (p->scale_window_ns <= 0)
        return cfg_fail(r->err, v, kp, "the averaging window must be above 0");
    v = ytree_get(n, "tick");
    cfg_path_join(kp, path, "tick");
    if (cfg_get_duration(r->err, v, kp, 0, &p->scale_tick_ns))
        return -1;
    if (p->scale_tick_ns <= 0)
        return cfg_fail(r->err, v, kp, "the autoscaler's tick must be above 0");
    /* the samples kept must span the window (autoscale.c) */
    if (p->scale_window_ns / p->scale_tick_ns > AUTOSCALE_TICKS_MAX)
        return cfg_fail(r->err, v, kp, "a window of more than %d ticks is not supported",
                        AUTOSCALE_TICKS_MAX);
    cfg_path_join(kp, path, "source");
    if (get_constant_source(r, ytree_get(n, "source"), kp, &src))
        return -1;
    memcpy(p->scale_source, src.source, sizeof p->scale_source);
    return 0;
}

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
