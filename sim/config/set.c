/* set.c - key paths into a scenario's tree: `--set key.path=value` overrides, and
 * where a key path was written, for problems found after loading.
 *
 * Overrides go into the tree rather than into the structs so that they are checked
 * by exactly the code that checks the file, and a bad one is reported at its own
 * position in the override text. Paths beyond docs/SCENARIO.md: `name[N]` picks item
 * N (1-based, as errors count) of a sequence, e.g. workload.spikes[1].factor=2; an
 * empty or `~` value removes the key, so an override can take back a key that no
 * longer applies. Deployments are addressed by name, or by the name they get when
 * they have none (deployment_default_name). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "slsim/deployment_config.h"
#include "slsim/scenario.h"
#include "set.h"
#include "../base/yaml_get.h"
#include "../base/yaml_tree.h"

/* One step of an override path: a key (in a mapping, or a name in a sequence) or a
 * 1-based [index] into a sequence. */
struct step {
    char text[KEY_MAX]; /* key or name; empty for an index */
    size_t index;       /* 1-based, 0 for a key */
    int column;         /* 1-based position in the override text */
    size_t prefix_len;  /* length of the path before this step, for messages */
};

#define MAX_STEPS 32

static int set_fail(struct slsim_error *err, int column, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_fail(struct slsim_error *err, int column, const char *key, const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return slsim_error_set(err, "--set", 1, column, key, "%s", msg);
}

/* Split "a.b[2].c" into steps. A dot after "slo." belongs to the key, because
 * latency_p99.9 is one key. */
static int split_path(struct slsim_error *err, const char *key, struct step *steps, size_t *n)
{
    size_t len = strlen(key), i = 0;
    *n = 0;
    while (i <= len) {
        size_t start = i;
        int whole = *n == 1 && strcmp(steps[0].text, "slo") == 0;
        while (i < len && key[i] != '[' && (whole || key[i] != '.'))
            i++;
        if (i == start)
            return set_fail(err, (int)start + 1, key, "empty key in \"%s\"", key);
        if (*n + 1 >= MAX_STEPS || i - start >= KEY_MAX)
            return set_fail(err, (int)start + 1, key, "key path too long");
        struct step *st = &steps[(*n)++];
        memcpy(st->text, key + start, i - start);
        st->text[i - start] = '\0';
        st->index = 0;
        st->column = (int)start + 1;
        st->prefix_len = start ? start - 1 : 0;
        while (i < len && key[i] == '[') {
            size_t open = i++;
            size_t v = 0, digits = 0;
            for (; i < len && key[i] >= '0' && key[i] <= '9' && digits < 9; i++, digits++)
                v = v * 10 + (size_t)(key[i] - '0');
            if (!digits || i >= len || key[i] != ']' || v == 0)
                return set_fail(err, (int)open + 1, key,
                                "expected [N] with N a number from 1, e.g. spikes[1]");
            i++;
            if (*n + 1 >= MAX_STEPS)
                return set_fail(err, (int)open + 1, key, "key path too long");
            st = &steps[(*n)++];
            st->text[0] = '\0';
            st->index = v;
            st->column = (int)open + 1;
            st->prefix_len = open;
        }
        if (i < len && key[i] != '.')
            return set_fail(err, (int)i + 1, key, "expected '.' or '=' after ']'");
        if (i == len)
            break;
        i++; /* the dot */
        if (i == len)
            return set_fail(err, (int)i + 1, key, "empty key at the end of \"%s\"", key);
    }
    return 0;
}

/* Name of item i of a sequence, as --set addresses it: its `name`, or for
 * deployments the default <type>-<index>. */
static void item_name(const struct ynode *item, size_t i, int is_deployments, char *out,
                      size_t len)
{
    const struct ynode *nm = ytree_get(item, "name");
    out[0] = '\0';
    if (nm && nm->kind == YNODE_SCALAR)
        snprintf(out, len, "%s", nm->text);
    else if (is_deployments && item->kind == YNODE_MAPPING)
        deployment_default_name(item, i + 1, out, len);
}

int scenario_apply_set(struct slsim_error *err, struct ynode **root, const char *set)
{
    const char *eq = strchr(set, '=');
    if (!eq)
        return set_fail(err, (int)strlen(set) + 1, set,
                        "expected key=value, such as workload.rate=50/s; no '=' in \"%s\"", set);
    char key[KEY_MAX];
    size_t klen = (size_t)(eq - set);
    if (klen == 0)
        return set_fail(err, 1, "", "no key before '=' in \"%s\"", set);
    if (klen >= KEY_MAX)
        return set_fail(err, 1, "", "key path longer than %d characters", KEY_MAX - 1);
    memcpy(key, set, klen);
    key[klen] = '\0';

    struct step steps[MAX_STEPS];
    size_t n;
    if (split_path(err, key, steps, &n))
        return -1;
    const char *text = eq + 1;
    struct ynode *value = ytree_parse(text, strlen(text), "--set", (int)(text - set), key, err);
    if (!value)
        return -1;
    /* A null value (`key=` or `key=~`) removes the key, so an override can take back
     * a key of the file, such as duty_cycle when switching arrival to poisson. */
    int remove = ytree_is_null(value);

    struct ynode **slot = root;
    for (size_t i = 0; i < n; i++) {
        const struct step *st = &steps[i];
        struct ynode *cur = *slot;
        int last = i + 1 == n;
        char prefix[KEY_MAX];
        snprintf(prefix, sizeof prefix, "%.*s", (int)st->prefix_len, key);

        if (st->index) {
            if (cur->kind != YNODE_SEQUENCE) {
                set_fail(err, st->column, key, "%s is %s, not a sequence", prefix,
                         ytree_describe(cur));
                goto fail;
            }
            if (st->index > cur->n_items) {
                set_fail(err, st->column, key, "%s has %zu items; no item %zu", prefix,
                         cur->n_items, st->index);
                goto fail;
            }
            if (!last) {
                slot = &cur->items[st->index - 1];
                continue;
            }
            if (remove)
                ytree_seq_remove(cur, st->index - 1);
            else
                ytree_seq_replace(cur, st->index - 1, value);
            goto done;
        }

        if (cur->kind == YNODE_SEQUENCE) {
            int is_dep = i == 1 && strcmp(steps[0].text, "deployments") == 0;
            size_t found = SIZE_MAX;
            char names[300] = "", nm[SLSIM_NAME_MAX + 40];
            size_t w = 0;
            for (size_t j = 0; j < cur->n_items; j++) {
                item_name(cur->items[j], j, is_dep, nm, sizeof nm);
                if (found == SIZE_MAX && strcmp(nm, st->text) == 0)
                    found = j;
                if (nm[0] && w < sizeof names) {
                    int k = snprintf(names + w, sizeof names - w, "%s%s", w ? ", " : "", nm);
                    if (k > 0)
                        w += (size_t)k;
                }
            }
            if (found == SIZE_MAX) {
                if (is_dep)
                    set_fail(err, st->column, key, "no deployment named \"%s\"; %s%s", st->text,
                             w ? "deployments are: " : "there are no deployments", names);
                else
                    set_fail(err, st->column, key, "no item named \"%s\" in %s; address items "
                             "by index, such as %s[1]", st->text, prefix, prefix);
                goto fail;
            }
            if (!last) {
                slot = &cur->items[found];
                continue;
            }
            if (remove)
                ytree_seq_remove(cur, found);
            else
                ytree_seq_replace(cur, found, value);
            goto done;
        }

        if (ytree_is_null(cur) && !remove) {
            /* `model:` left empty in the file: the override fills it in. */
            struct ynode *m = ytree_new_mapping("--set", 1, st->column);
            if (!m)
                goto oom;
            ytree_free(cur);
            *slot = cur = m;
        }
        if (cur->kind != YNODE_MAPPING) {
            set_fail(err, st->column, key, "%s is %s; it has no key \"%s\"", prefix,
                     ytree_describe(cur), st->text);
            goto fail;
        }
        long at = ytree_find(cur, st->text);
        if (last) {
            if (remove) {
                if (at >= 0)
                    ytree_map_remove(cur, (size_t)at);
                goto done;
            }
            struct ynode *k = ytree_new_scalar(st->text, "--set", 1, st->column);
            if (!k)
                goto oom;
            if (ytree_map_put(cur, k, value)) {
                value = NULL; /* freed by ytree_map_put */
                goto oom;
            }
            return 0;
        }
        if (at < 0) {
            if (remove)
                goto done; /* removing inside something absent: nothing to do */
            if (steps[i + 1].index) {
                set_fail(err, st->column, key, "there is no sequence %.*s to index",
                         (int)steps[i + 1].prefix_len, key);
                goto fail;
            }
            /* A new key; if it is not one the scenario knows, validation says so. */
            struct ynode *k = ytree_new_scalar(st->text, "--set", 1, st->column);
            struct ynode *m = ytree_new_mapping("--set", 1, st->column);
            if (!k || !m) {
                ytree_free(k);
                ytree_free(m);
                goto oom;
            }
            if (ytree_map_put(cur, k, m))
                goto oom;
            at = (long)cur->n_pairs - 1;
        }
        slot = &cur->pairs[at].value;
    }
done:
    if (remove)
        ytree_free(value);
    return 0;
oom:
    set_fail(err, 1, key, "out of memory");
fail:
    ytree_free(value);
    return -1;
}

/* The node where key path kp was written: its value, or, when kp took its default,
 * the nearest enclosing key that was written (the root at worst). */
static const struct ynode *locate(const struct ynode *root, const char *kp)
{
    struct step steps[MAX_STEPS];
    size_t n;
    struct slsim_error scratch;
    if (!root || split_path(&scratch, kp, steps, &n))
        return root;
    const struct ynode *at = root;
    for (size_t i = 0; i < n; i++) {
        const struct ynode *next = NULL;
        if (steps[i].index && at->kind == YNODE_SEQUENCE && steps[i].index <= at->n_items) {
            next = at->items[steps[i].index - 1];
        } else if (!steps[i].index && at->kind == YNODE_MAPPING) {
            next = ytree_get(at, steps[i].text);
        } else if (!steps[i].index && at->kind == YNODE_SEQUENCE) {
            int is_deployments = i == 1 && strcmp(steps[0].text, "deployments") == 0;
            for (size_t k = 0; k < at->n_items && !next; k++) {
                char name[SLSIM_NAME_MAX];
                item_name(at->items[k], k, is_deployments, name, sizeof name);
                if (strcmp(name, steps[i].text) == 0)
                    next = at->items[k];
            }
        }
        if (!next)
            break;
        at = next;
    }
    return at;
}

int scenario_error_at(const struct scenario *s, const char *kp, struct slsim_error *err,
                      const char *fmt, ...)
{
    if (!err)
        return -1;
    const struct ynode *at = locate(s->tree, kp);
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!at)
        return slsim_error_set(err, s->path, 0, 0, kp, "%s", msg);
    return slsim_error_set(err, at->src, at->line, at->column, kp, "%s", msg);
}

int scenario_error_wants_whole_number(const struct slsim_error *err)
{
    return strncmp(err->message, CFG_WANTS_WHOLE, strlen(CFG_WANTS_WHOLE)) == 0;
}
