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
 * This file reads the file and its top-level lists (accelerators, platforms,
 * instance types, discounts), each through a row of `lists`; a platform's sections
 * are parsed by the modules they describe (`sections`): its cold start, limits and
 * hardware by the platform profile (platform/profile_config.c), its billing block by
 * the billing rules (billing/billing_config.c). The built-in catalog must say, for
 * every platform, what its cold start is (`coldstart: none` on purpose for generic):
 * a platform silent about it would start instances at once.
 *
 * Accelerators are read first, wherever the file writes them, so that a platform's
 * `hardware.accelerator` and an instance's `gpu_model` are checked against the list
 * at their own line. Their throughputs are written in TFLOPS (10^12 FLOP/s, dense)
 * with the unit in the key (fp16_tflops), as the datasheets quote them.
 *
 * Names are unique across platforms, instance types, discounts, accelerators and LLMs, not
 * only within each list: `slsim catalog show NAME` and error messages look a name up
 * without saying which kind it is. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../billing/billing_config.h"
#include "../billing/catalog_get.h"
#include "../platform/profile_config.h"
#include "catalog_models.h"

/* Built from scenarios/pricing/default.yaml by scripts/embed.sh (see the Makefile). */
extern const unsigned char slsim_default_catalog[];
extern const size_t slsim_default_catalog_len;

#define DEFAULT_SRC "(built-in default)"

/* Every item of a list starts with its name, so one lookup serves the three lists. */
_Static_assert(offsetof(struct platform_profile, name) == 0, "a platform starts with its name");
_Static_assert(offsetof(struct instance_type, name) == 0, "an instance starts with its name");
_Static_assert(offsetof(struct discount, name) == 0, "a discount starts with its name");
_Static_assert(offsetof(struct accelerator, name) == 0, "an accelerator starts with its name");
_Static_assert(offsetof(struct llm_model, name) == 0, "an LLM starts with its name");
#define MAX_GPUS 64

static const char *const top_keys[] = {"catalog",   "as_of",        "platforms", "instances",
                                       "discounts", "accelerators", "llms", NULL};
static const char *const platform_keys[] = {"name",      "summary", "keep_alive",
                                            "keep_alive_note", "scale_out_delay",
                                            "scale_out_delay_note", "coldstart", "limits",
                                            "billing",   "hardware", "autoscaling", NULL};
static const char *const instance_keys[] = {"name",   "provider", "vcpu",     "memory", "gpus",
                                            "gpu_model", "hourly", "rounding", "minimum", NULL};
static const char *const discount_keys[] = {"name", "off", "applies_to", "source", "date", NULL};
static const char *const llm_keys[] = {"name",     "summary",  "parameters", "layers",
                                        "hidden",   "kv_heads", "head_dim",   "context",
                                        "source",   "date",     NULL};
static const char *const accelerator_keys[] = {"name",        "summary",        "memory",
                                               "memory_bandwidth", "fp16_tflops", "fp8_tflops",
                                               "int8_tops",   "host_link",      "host_bandwidth",
                                               "memory_reported", "gpu_link",   "gpu_link_bandwidth", "gpu_link_source",
                                               "source",      "date",           NULL};

/* What the list parsers need besides their node: the getters' context, the catalog
 * read so far (names are unique across it) and whether it is the built-in one. */
struct ctx {
    struct catalog_read r;
    struct catalog *c;
    int builtin; /* the built-in catalog: every platform states its cold start */
};

/* ---- platforms ---- */

/* A section of a platform and the module that parses it, in the order they are read. */
enum section_need {
    SECTION_OPTIONAL,
    SECTION_STATED,   /* optional, but the built-in catalog states it */
    SECTION_REQUIRED,
};
static const struct section {
    const char *key;
    int (*parse)(const struct catalog_read *r, const struct ynode *n, const char *path,
                 struct platform_profile *p);
    enum section_need need;
} sections[] = {
    {"coldstart", profile_parse_coldstart, SECTION_STATED},
    {"limits", profile_parse_limits, SECTION_OPTIONAL},
    {"billing", billing_parse, SECTION_REQUIRED},
    {"hardware", profile_parse_hardware, SECTION_OPTIONAL}, /* after billing: checks its gpus */
    {"autoscaling", profile_parse_autoscaling, SECTION_OPTIONAL},
};

static int parse_platform(struct ctx *x, const struct ynode *n, const char *path, void *item)
{
    struct platform_profile *p = item;
    const struct catalog_read *r = &x->r;
    char kp[KEY_MAX];
    const struct ynode *v;
    if ((v = catalog_opt(n, path, "summary", kp)) &&
        catalog_get_text(r, v, kp, 1, p->summary, sizeof p->summary))
        return -1;
    if (!(v = ytree_get(n, "keep_alive")))
        return cfg_missing(r->err, n, path, "keep_alive");
    cfg_path_join(kp, path, "keep_alive");
    if (cfg_get_duration(r->err, v, kp, 1, &p->default_keep_alive_ns))
        return -1;
    if ((v = catalog_opt(n, path, "keep_alive_note", kp)) &&
        catalog_get_text(r, v, kp, 1, p->keep_alive_note, sizeof p->keep_alive_note))
        return -1;
    /* how long a batching queue must outgrow the instances before one more starts */
    if ((v = catalog_opt(n, path, "scale_out_delay", kp))) {
        if (cfg_get_duration(r->err, v, kp, 0, &p->scale_out_delay_ns))
            return -1;
        if (p->scale_out_delay_ns < 0)
            return cfg_fail(r->err, v, kp, "a delay is 0 or more");
        const struct ynode *note = ytree_get(n, "scale_out_delay_note");
        cfg_path_join(kp, path, "scale_out_delay_note");
        if (!note)
            return cfg_missing(r->err, n, path, "scale_out_delay_note");
        if (catalog_get_text(r, note, kp, 1, p->scale_out_delay_note,
                             sizeof p->scale_out_delay_note))
            return -1;
    }
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
        const struct section *s = &sections[i];
        if (!(v = ytree_get(n, s->key))) {
            if (s->need == SECTION_REQUIRED)
                return cfg_missing(r->err, n, path, s->key);
            /* Silence would read as "starts at once": the built-in catalog says so or not. */
            if (s->need == SECTION_STATED && x->builtin)
                return cfg_fail(r->err, n, path, "platform \"%s\" has no coldstart: give its "
                                                 "profile, or `coldstart: none` if its "
                                                 "instances truly start at once", p->name);
            continue;
        }
        cfg_path_join(kp, path, s->key);
        if (s->parse(r, v, kp, p))
            return -1;
    }
    return 0;
}

/* ---- instance types and discounts ---- */

static int parse_instance(struct ctx *x, const struct ynode *n, const char *path, void *item)
{
    struct instance_type *it = item;
    const struct catalog_read *r = &x->r;
    char kp[KEY_MAX];
    const struct ynode *v;
    cfg_path_join(kp, path, "provider");
    if (cfg_get_name(r->err, ytree_get(n, "provider"), kp, NAME_IDENT, it->provider))
        return -1;
    v = ytree_get(n, "vcpu");
    cfg_path_join(kp, path, "vcpu");
    if (cfg_get_number(r->err, v, kp, &it->vcpu))
        return -1;
    if (!(it->vcpu > 0))
        return cfg_fail(r->err, v, kp, "must be above 0, got %s", v->text);
    v = ytree_get(n, "memory");
    cfg_path_join(kp, path, "memory");
    if (cfg_get_size(r->err, v, kp, &it->memory_bytes))
        return -1;
    if (it->memory_bytes <= 0)
        return cfg_fail(r->err, v, kp, "must be above 0 bytes");
    if ((v = catalog_opt(n, path, "gpus", kp)) &&
        cfg_get_u32_range(r->err, v, kp, 0, MAX_GPUS, &it->gpus))
        return -1;
    v = ytree_get(n, "gpu_model");
    cfg_path_join(kp, path, "gpu_model");
    if (v && !it->gpus)
        return cfg_fail(r->err, v, kp, "gpu_model given but gpus is 0");
    if (!v && it->gpus)
        return cfg_missing(r->err, n, path, "gpu_model");
    if (v && catalog_get_accelerator(r, v, kp, it->gpu_model))
        return -1;
    cfg_path_join(kp, path, "hourly");
    if (catalog_get_price(r, ytree_get(n, "hourly"), kp, &it->hourly))
        return -1;
    cfg_path_join(kp, path, "rounding");
    if (catalog_get_period(r, ytree_get(n, "rounding"), kp, &it->round_ns))
        return -1;
    if ((v = catalog_opt(n, path, "minimum", kp)) &&
        cfg_get_duration(r->err, v, kp, 0, &it->minimum_ns))
        return -1;
    return 0;
}

/* Comma-separated names, each a provider or platform name, blanks around commas
 * allowed; "" means every provider. */
static int check_applies_to(const struct catalog_read *r, const struct ynode *n,
                            const char *key, const char *list)
{
    const char *p = list;
    while (*p) {
        size_t skip = strspn(p, " \t");
        const char *s = p + skip;
        size_t len = strcspn(s, ",");
        size_t end = len;
        while (end && (s[end - 1] == ' ' || s[end - 1] == '\t'))
            end--;
        char name[SLSIM_NAME_MAX];
        if (end == 0 || end >= sizeof name)
            return cfg_fail(r->err, n, key, "expected comma-separated provider or platform "
                                            "names, got \"%s\"", list);
        memcpy(name, s, end);
        name[end] = '\0';
        if (!cfg_is_ident(name, 1))
            return cfg_fail(r->err, n, key, "bad name \"%s\" in applies_to: use letters, digits, "
                                            "'-', '_' and '.'", name);
        p = s + len;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int parse_discount(struct ctx *x, const struct ynode *n, const char *path, void *item)
{
    struct discount *d = item;
    const struct catalog_read *r = &x->r;
    char kp[KEY_MAX];
    const struct ynode *v = catalog_opt(n, path, "off", kp);
    if (cfg_get_number(r->err, v, kp, &d->off))
        return -1;
    if (!(d->off >= 0 && d->off < 1))
        return cfg_fail(r->err, v, kp, "off is a fraction of the on-demand price, from 0 up "
                                       "to (not including) 1; got %s", v->text);
    if ((v = catalog_opt(n, path, "applies_to", kp)) &&
        (catalog_get_text(r, v, kp, 1, d->applies_to, sizeof d->applies_to) ||
         check_applies_to(r, v, kp, d->applies_to)))
        return -1;
    cfg_path_join(kp, path, "source");
    if (catalog_get_text(r, ytree_get(n, "source"), kp, 0, d->source, sizeof d->source))
        return -1;
    cfg_path_join(kp, path, "date");
    return catalog_get_date(r, ytree_get(n, "date"), kp, 0, d->date);
}

/* The accelerators' and LLMs' items (catalog_models.c). */
static int parse_accelerator(struct ctx *x, const struct ynode *n, const char *path, void *item)
{
    return catalog_parse_accelerator(&x->r, n, path, item);
}

static int parse_llm(struct ctx *x, const struct ynode *n, const char *path, void *item)
{
    return catalog_parse_llm(&x->r, n, path, item);
}

/* ---- the lists ---- */

/* A top-level list of the catalog, and how one of its items is read: the generic
 * part (a mapping of known keys, a unique name, the required keys) by parse_item,
 * the rest by parse. */
static const struct list {
    const char *key;              /* top-level key, and the path of its items */
    const char *kind;             /* an item's kind in messages */
    const char *what;             /* the mapping an item is, in messages */
    const char *const *keys;      /* an item's keys */
    const char *const *required;  /* required beside name, checked once the name is read */
    size_t size;                  /* of one item */
    int (*parse)(struct ctx *x, const struct ynode *n, const char *path, void *item);
} lists[] = {
    /* First: platforms and instances name accelerators of the list. */
    {"accelerators", "accelerator", "an accelerator mapping {name, memory, memory_bandwidth, "
                                    "fp16_tflops, host_link, host_bandwidth, source, date, ...}",
     accelerator_keys, (const char *const[]){"memory", "memory_bandwidth", "fp16_tflops",
                                             "host_link", "host_bandwidth", "source", "date",
                                             NULL},
     sizeof(struct accelerator), parse_accelerator},
    {"platforms", "platform", "a platform mapping {name, keep_alive, billing, ...}",
     platform_keys, NULL, sizeof(struct platform_profile), parse_platform},
    {"instances", "instance type", "an instance mapping {name, provider, vcpu, memory, ...}",
     instance_keys, (const char *const[]){"provider", "vcpu", "memory", "hourly", "rounding", NULL},
     sizeof(struct instance_type), parse_instance},
    {"discounts", "discount", "a discount mapping {name, off, applies_to, source, date}",
     discount_keys, (const char *const[]){"off", "source", "date", NULL},
     sizeof(struct discount), parse_discount},
    {"llms", "LLM", "an LLM mapping {name, parameters, layers, hidden, kv_heads, head_dim, "
                    "context, source, date}",
     llm_keys, (const char *const[]){"parameters", "layers", "hidden", "kv_heads", "head_dim",
                                     "context", "source", "date", NULL},
     sizeof(struct llm_model), parse_llm},
};
enum { LIST_ACCELERATORS, LIST_PLATFORMS, LIST_INSTANCES, LIST_DISCOUNTS, LIST_LLMS, N_LISTS };
_Static_assert(sizeof lists / sizeof *lists == N_LISTS, "one row per list");

/* The items of list k of c, their number in *n. */
static const char *list_items(const struct catalog *c, size_t k, size_t *n)
{
    switch (k) {
    case LIST_ACCELERATORS:
        *n = c->n_accelerators;
        return (const char *)c->accelerators;
    case LIST_PLATFORMS:
        *n = c->n_platforms;
        return (const char *)c->platforms;
    case LIST_INSTANCES:
        *n = c->n_instances;
        return (const char *)c->instances;
    case LIST_LLMS:
        *n = c->n_llms;
        return (const char *)c->llms;
    default:
        *n = c->n_discounts;
        return (const char *)c->discounts;
    }
}

/* Room for n zeroed items of list k in c; NULL when out of memory. */
static char *list_reserve(struct catalog *c, size_t k, size_t n)
{
    switch (k) {
    case LIST_ACCELERATORS:
        return (char *)(c->accelerators = calloc(n, sizeof *c->accelerators));
    case LIST_PLATFORMS:
        return (char *)(c->platforms = calloc(n, sizeof *c->platforms));
    case LIST_INSTANCES:
        return (char *)(c->instances = calloc(n, sizeof *c->instances));
    case LIST_LLMS:
        return (char *)(c->llms = calloc(n, sizeof *c->llms));
    default:
        return (char *)(c->discounts = calloc(n, sizeof *c->discounts));
    }
}

/* Items counted so far in list k, so that catalog_destroy frees what they hold. */
static void list_count(struct catalog *c, size_t k, size_t n)
{
    size_t *count[] = {[LIST_ACCELERATORS] = &c->n_accelerators,
                       [LIST_PLATFORMS] = &c->n_platforms,
                       [LIST_INSTANCES] = &c->n_instances,
                       [LIST_DISCOUNTS] = &c->n_discounts,
                       [LIST_LLMS] = &c->n_llms};
    *count[k] = n;
}

/* The item of c named name, other than self, in any list; NULL if none. *k and *i say
 * where. */
static const char *find_name(const struct catalog *c, const char *name, const void *self,
                             size_t *k, size_t *i)
{
    for (*k = 0; *k < N_LISTS; (*k)++) {
        size_t n;
        const char *items = list_items(c, *k, &n);
        for (*i = 0; *i < n; (*i)++) {
            const char *item = items + *i * lists[*k].size;
            if (item != self && strcmp(item, name) == 0)
                return item;
        }
    }
    return NULL;
}

/* "list.NAME" when item has a usable name, else "list[index1]". */
static void item_path(char *out, const struct ynode *item, const char *list, size_t index1)
{
    const struct ynode *nm = ytree_get(item, "name");
    if (item->kind == YNODE_MAPPING && nm && nm->kind == YNODE_SCALAR &&
        cfg_is_ident(nm->text, 1) && strlen(nm->text) < SLSIM_NAME_MAX)
        cfg_path_join(out, list, nm->text);
    else
        cfg_path_index(out, list, index1);
}

/* Item index1 of list l at node n into item (zeroed): the keys every item shares
 * checked, its required, unique name, then the rest by l->parse. */
static int parse_item(struct ctx *x, const struct list *l, const struct ynode *n, size_t index1,
                      char *item)
{
    char path[KEY_MAX], kp[KEY_MAX];
    static const char *const named[] = {"name", NULL};
    const struct ynode *nm;
    size_t k, i;
    item_path(path, n, l->key, index1);
    if (catalog_want_keys(&x->r, n, path, l->what, l->keys, named))
        return -1;
    nm = catalog_opt(n, path, "name", kp);
    if (cfg_get_name(x->r.err, nm, kp, NAME_IDENT_DOT, item))
        return -1;
    if (find_name(x->c, item, item, &k, &i))
        return cfg_fail(x->r.err, nm, kp, "duplicate %s name \"%s\" (%s[%zu] has it too; names "
                                          "are unique across platforms, instances, "
                                          "discounts, accelerators and LLMs)", l->kind, item, lists[k].key, i + 1);
    for (size_t q = 0; l->required && l->required[q]; q++)
        if (!ytree_get(n, l->required[q]))
            return cfg_missing(x->r.err, n, path, l->required[q]);
    return l->parse(x, n, path, item);
}

/* ---- the whole catalog ---- */

/* The sequence under key of root, or NULL when absent or empty; -1 when not a
 * sequence. */
static int get_list(const struct catalog_read *r, const struct ynode *root, const char *key,
                    const struct ynode **out)
{
    const struct ynode *n = ytree_get(root, key);
    *out = NULL;
    if (!n || ytree_is_null(n))
        return 0;
    if (n->kind != YNODE_SEQUENCE)
        return cfg_fail(r->err, n, key, "expected a sequence, got %s", ytree_describe(n));
    *out = n->n_items ? n : NULL;
    return 0;
}

static int parse_catalog(struct ctx *x, const struct ynode *root, const char *src)
{
    struct catalog *c = x->c;
    const struct ynode *v, *list;
    if (root->kind != YNODE_MAPPING)
        return cfg_fail(x->r.err, root, NULL, "expected a mapping of catalog keys (catalog, "
                                              "as_of, platforms, instances, discounts, "
                                              "accelerators), got %s",
                        ytree_describe(root));
    if (cfg_check_keys(x->r.err, root, "", top_keys))
        return -1;
    /* The date comes first: it is what makes the numbers below checkable, and every
     * price's date is compared with it. */
    if (!(v = ytree_get(root, "as_of")))
        return cfg_fail(x->r.err, root, "as_of",
                        "missing required key \"as_of\": the date the catalog was written "
                        "(YYYY-MM-DD)");
    if (catalog_get_date(&x->r, v, "as_of", 1, c->as_of))
        return -1;
    x->r.as_of = c->as_of;
    text_file_stem(src, c->name, sizeof c->name);
    if ((v = ytree_get(root, "catalog")) &&
        cfg_get_name(x->r.err, v, "catalog", NAME_TEXT, c->name))
        return -1;
    for (size_t k = 0; k < N_LISTS; k++) {
        const struct list *l = &lists[k];
        char *items;
        if (get_list(&x->r, root, l->key, &list))
            return -1;
        if (!list)
            continue;
        if (!(items = list_reserve(c, k, list->n_items)))
            return catalog_get_oom(&x->r, list, l->key);
        for (size_t i = 0; i < list->n_items; i++) {
            list_count(c, k, i + 1); /* counted at once, so destroy frees what it holds */
            if (parse_item(x, l, list->items[i], i + 1, items + i * l->size))
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
    struct ctx x = {{err, NULL, c}, c, builtin};
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

/* The built-in catalog, parsed by the first caller of catalog_load_default. */
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static struct catalog *default_catalog;
static struct slsim_error default_err;

static void parse_default(void)
{
    if (catalog_parse_builtin((const char *)slsim_default_catalog, slsim_default_catalog_len,
                              DEFAULT_SRC, &default_catalog, &default_err) == 0)
        default_catalog->shared = 1;
}

int catalog_load_default(struct catalog **out, struct slsim_error *err)
{
    pthread_once(&default_once, parse_default);
    *out = default_catalog;
    if (default_catalog)
        return 0;
    if (err)
        *err = default_err;
    return -1;
}

void catalog_destroy(struct catalog *c)
{
    if (!c || c->shared)
        return;
    for (size_t i = 0; i < c->n_platforms; i++) {
        if (c->platforms[i].has_coldstart)
            dist_free(&c->platforms[i].init);
        if (c->platforms[i].has_engine)
            dist_free(&c->platforms[i].engine);
        free(c->platforms[i].tiers);
    }
    free(c->platforms);
    free(c->instances);
    free(c->discounts);
    free(c->accelerators);
    free(c->llms);
    free(c);
}

/* ---- lookups ---- */

/* The item of list k named name; NULL if none. */
static const void *find_in(const struct catalog *c, size_t k, const char *name)
{
    size_t n;
    const char *items = list_items(c, k, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(items + i * lists[k].size, name) == 0)
            return items + i * lists[k].size;
    return NULL;
}

const struct platform_profile *catalog_find_platform(const struct catalog *c, const char *name)
{
    return find_in(c, LIST_PLATFORMS, name);
}

const struct instance_type *catalog_find_instance(const struct catalog *c, const char *name)
{
    return find_in(c, LIST_INSTANCES, name);
}

const struct discount *catalog_find_discount(const struct catalog *c, const char *name)
{
    return find_in(c, LIST_DISCOUNTS, name);
}

const struct accelerator *catalog_find_accelerator(const struct catalog *c, const char *name)
{
    return find_in(c, LIST_ACCELERATORS, name);
}

const struct llm_model *catalog_find_llm(const struct catalog *c, const char *name)
{
    return find_in(c, LIST_LLMS, name);
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


/* The names of list k, ", "-separated, into buf of size n; stops at the end. */
static void list_names(const struct catalog *c, size_t k, char *buf, size_t n)
{
    size_t w = 0, count;
    const char *items = list_items(c, k, &count);
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < count && w < n; i++) {
        int len = snprintf(buf + w, n - w, "%s%s", w ? ", " : "", items + i * lists[k].size);
        w = len < 0 ? n : w + (size_t)len;
    }
}

void catalog_platform_names(const struct catalog *c, char *buf, size_t n)
{
    list_names(c, LIST_PLATFORMS, buf, n);
}

void catalog_instance_names(const struct catalog *c, char *buf, size_t n)
{
    list_names(c, LIST_INSTANCES, buf, n);
}

void catalog_discount_names(const struct catalog *c, char *buf, size_t n)
{
    list_names(c, LIST_DISCOUNTS, buf, n);
}

void catalog_accelerator_names(const struct catalog *c, char *buf, size_t n)
{
    list_names(c, LIST_ACCELERATORS, buf, n);
}

void catalog_llm_names(const struct catalog *c, char *buf, size_t n)
{
    list_names(c, LIST_LLMS, buf, n);
}
