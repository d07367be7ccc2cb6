/* yaml_tree.c - build a position-keeping node tree from libyaml's event stream.
 *
 * libyaml's loader (yaml_document_t) keeps marks for nodes but not a way to splice
 * in a node parsed from elsewhere, which `--set` needs; walking events ourselves is
 * about as short and leaves us one plain tree to validate. Aliases are expanded by
 * copying the anchored node, with a cap on the total node count so that a nested
 * "billion laughs" document fails instead of eating the machine. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yaml_tree.h"

/* Deeper nesting than this is not a scenario; the cap keeps recursion bounded. */
#define YTREE_MAX_DEPTH 64
/* Alias expansion can multiply nodes; no real scenario comes near this. */
#define YTREE_MAX_NODES 1000000

struct anchor {
    char *name;         /* owned */
    struct ynode *node; /* the anchored node, owned by the tree */
};

struct builder {
    yaml_parser_t parser;
    const char *text;       /* the whole input, for positions of reader errors */
    size_t len;
    const char *src;        /* file name put on every node and error */
    int flat_offset;        /* see ytree_parse */
    const char *errkey;     /* key path put on errors, may be NULL */
    struct slsim_error *err;
    struct anchor *anchors; /* in definition order: a redefined anchor wins from then on */
    size_t n_anchors, cap_anchors;
    size_t n_nodes;         /* nodes made so far, alias copies included */
};

static void place(const struct builder *b, yaml_mark_t m, int *line, int *column)
{
    if (b->flat_offset >= 0) {
        *line = 1;
        *column = b->flat_offset + 1 + (int)m.index;
    } else {
        *line = (int)m.line + 1;
        *column = (int)m.column + 1;
    }
}

static int fail_at(struct builder *b, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct builder *b, yaml_mark_t m, const char *fmt, ...)
{
    int line, column;
    char msg[sizeof b->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    place(b, m, &line, &column);
    return slsim_error_set(b->err, b->src, line, column, b->errkey, "%s", msg);
}

static int fail_oom(struct builder *b)
{
    return slsim_error_set(b->err, b->src, 0, 0, b->errkey, "out of memory reading YAML");
}

/* Whether line (0-based) of the input is indented with a tab; *column (1-based)
 * is then the tab's. libyaml reports such a line as "found character that cannot
 * start any token", which does not say what to change. */
static int tab_in_indentation(const struct builder *b, size_t line, int *column)
{
    size_t i = 0;
    for (size_t l = 0; l < line && i < b->len; i++)
        if (b->text[i] == '\n')
            l++;
    for (size_t bol = i; i < b->len && (b->text[i] == ' ' || b->text[i] == '\t'); i++)
        if (b->text[i] == '\t') {
            *column = (int)(i - bol) + 1;
            return 1;
        }
    return 0;
}

/* The parser stopped: say what libyaml said, where it said it. */
static int fail_parser(struct builder *b)
{
    const yaml_parser_t *p = &b->parser;
    int line, column;
    if (p->error == YAML_MEMORY_ERROR)
        return fail_oom(b);
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors (bad UTF-8, NUL bytes) carry a byte offset, not a mark. */
        size_t off = p->problem_offset < b->len ? p->problem_offset : b->len;
        if (b->flat_offset >= 0) {
            line = 1;
            column = b->flat_offset + 1 + (int)off;
        } else {
            line = 1;
            size_t bol = 0;
            for (size_t i = 0; i < off; i++)
                if (b->text[i] == '\n') {
                    line++;
                    bol = i + 1;
                }
            column = (int)(off - bol) + 1;
        }
        return slsim_error_set(b->err, b->src, line, column, b->errkey,
                               "YAML syntax error: %s", p->problem ? p->problem : "bad input");
    }
    size_t tab_line = p->problem_mark.line;
    if (b->flat_offset < 0 &&
        (tab_in_indentation(b, tab_line, &column) ||
         (p->context && tab_in_indentation(b, tab_line = p->context_mark.line, &column))))
        return slsim_error_set(b->err, b->src, (int)tab_line + 1, column, b->errkey,
                               "a tab character in the indentation (YAML allows only spaces)");
    place(b, p->problem_mark, &line, &column);
    if (p->context) {
        int cl, cc;
        place(b, p->context_mark, &cl, &cc);
        return slsim_error_set(b->err, b->src, line, column, b->errkey,
                               "YAML syntax error: %s (%s at line %d, column %d)",
                               p->problem ? p->problem : "bad input", p->context, cl, cc);
    }
    return slsim_error_set(b->err, b->src, line, column, b->errkey, "YAML syntax error: %s",
                           p->problem ? p->problem : "bad input");
}

static struct ynode *node_new(enum ynode_kind kind, const char *src, int line, int column)
{
    struct ynode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->src = src;
    n->line = line;
    n->column = column;
    return n;
}

struct ynode *ytree_new_scalar(const char *text, const char *src, int line, int column)
{
    struct ynode *n = node_new(YNODE_SCALAR, src, line, column);
    if (!n)
        return NULL;
    n->plain = 1;
    n->text = strdup(text);
    if (!n->text) {
        free(n);
        return NULL;
    }
    return n;
}

struct ynode *ytree_new_mapping(const char *src, int line, int column)
{
    return node_new(YNODE_MAPPING, src, line, column);
}

void ytree_free(struct ynode *n)
{
    if (!n)
        return;
    free(n->text);
    for (size_t i = 0; i < n->n_pairs; i++) {
        ytree_free(n->pairs[i].key);
        ytree_free(n->pairs[i].value);
    }
    free(n->pairs);
    for (size_t i = 0; i < n->n_items; i++)
        ytree_free(n->items[i]);
    free(n->items);
    free(n);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

static int map_append(struct ynode *map, struct ynode *key, struct ynode *value)
{
    if (grow((void **)&map->pairs, &map->cap, map->n_pairs + 1, sizeof *map->pairs))
        return -1;
    map->pairs[map->n_pairs].key = key;
    map->pairs[map->n_pairs].value = value;
    map->n_pairs++;
    return 0;
}

static int seq_append(struct ynode *seq, struct ynode *item)
{
    if (grow((void **)&seq->items, &seq->cap, seq->n_items + 1, sizeof *seq->items))
        return -1;
    seq->items[seq->n_items++] = item;
    return 0;
}

/* Deep copy for alias expansion; counts against the node cap. */
static struct ynode *copy_node(struct builder *b, const struct ynode *n)
{
    if (++b->n_nodes > YTREE_MAX_NODES)
        return NULL;
    struct ynode *c = node_new(n->kind, n->src, n->line, n->column);
    if (!c)
        return NULL;
    c->plain = n->plain;
    if (n->text && !(c->text = strdup(n->text)))
        goto fail;
    for (size_t i = 0; i < n->n_pairs; i++) {
        struct ynode *k = copy_node(b, n->pairs[i].key);
        struct ynode *v = k ? copy_node(b, n->pairs[i].value) : NULL;
        if (!v || map_append(c, k, v)) {
            ytree_free(k);
            ytree_free(v);
            goto fail;
        }
    }
    for (size_t i = 0; i < n->n_items; i++) {
        struct ynode *v = copy_node(b, n->items[i]);
        if (!v || seq_append(c, v)) {
            ytree_free(v);
            goto fail;
        }
    }
    return c;
fail:
    ytree_free(c);
    return NULL;
}

static int add_anchor(struct builder *b, const yaml_char_t *name, struct ynode *node)
{
    if (!name)
        return 0;
    if (grow((void **)&b->anchors, &b->cap_anchors, b->n_anchors + 1, sizeof *b->anchors))
        return -1;
    char *copy = strdup((const char *)name);
    if (!copy)
        return -1;
    b->anchors[b->n_anchors].name = copy;
    b->anchors[b->n_anchors].node = node;
    b->n_anchors++;
    return 0;
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev))
        return fail_parser(b);
    return 0;
}

/* Build the node that event ev starts (ev is consumed). NULL with err set on failure. */
static struct ynode *parse_node(struct builder *b, yaml_event_t *ev, int depth)
{
    int line, column;
    struct ynode *n = NULL;
    place(b, ev->start_mark, &line, &column);

    if (depth > YTREE_MAX_DEPTH) {
        fail_at(b, ev->start_mark, "YAML nested deeper than %d levels", YTREE_MAX_DEPTH);
        yaml_event_delete(ev);
        return NULL;
    }
    if (ev->type != YAML_SCALAR_EVENT && ev->type != YAML_ALIAS_EVENT &&
        ev->type != YAML_SEQUENCE_START_EVENT && ev->type != YAML_MAPPING_START_EVENT) {
        /* libyaml only produces node events here; anything else is a bug of ours. */
        fail_at(b, ev->start_mark, "unexpected YAML event");
        yaml_event_delete(ev);
        return NULL;
    }
    if (++b->n_nodes > YTREE_MAX_NODES) {
        fail_at(b, ev->start_mark, "YAML document too large (over %d nodes)", YTREE_MAX_NODES);
        yaml_event_delete(ev);
        return NULL;
    }

    if (ev->type == YAML_ALIAS_EVENT) {
        const char *name = (const char *)ev->data.alias.anchor;
        const struct ynode *target = NULL;
        for (size_t i = b->n_anchors; i-- > 0;)
            if (strcmp(b->anchors[i].name, name) == 0) {
                target = b->anchors[i].node;
                break;
            }
        if (!target) {
            /* Also catches an alias to a node still being built (a cycle). */
            fail_at(b, ev->start_mark, "alias *%s refers to no anchor defined before it", name);
        } else if (!(n = copy_node(b, target))) {
            if (b->n_nodes > YTREE_MAX_NODES)
                fail_at(b, ev->start_mark, "YAML aliases expand to over %d nodes", YTREE_MAX_NODES);
            else
                fail_oom(b);
        } else {
            /* The copy reports errors where the alias is used, which is where the
             * reader will look first. */
            n->line = line;
            n->column = column;
        }
        yaml_event_delete(ev);
        return n;
    }

    if (ev->type == YAML_SCALAR_EVENT) {
        n = node_new(YNODE_SCALAR, b->src, line, column);
        if (n) {
            n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            n->text = malloc(ev->data.scalar.length + 1);
            if (n->text) {
                memcpy(n->text, ev->data.scalar.value, ev->data.scalar.length);
                n->text[ev->data.scalar.length] = '\0';
            }
        }
        if (!n || !n->text || add_anchor(b, ev->data.scalar.anchor, n)) {
            ytree_free(n);
            fail_oom(b);
            n = NULL;
        }
        yaml_event_delete(ev);
        return n;
    }

    int is_map = ev->type == YAML_MAPPING_START_EVENT;
    yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    char *anchor_copy = anchor ? strdup((const char *)anchor) : NULL;
    yaml_event_delete(ev);
    n = node_new(is_map ? YNODE_MAPPING : YNODE_SEQUENCE, b->src, line, column);
    if (!n || (anchor && !anchor_copy)) {
        free(anchor_copy);
        ytree_free(n);
        fail_oom(b);
        return NULL;
    }

    for (;;) {
        yaml_event_t e;
        if (next_event(b, &e))
            goto fail;
        if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&e);
            break;
        }
        if (!is_map) {
            struct ynode *item = parse_node(b, &e, depth + 1);
            if (!item)
                goto fail;
            if (seq_append(n, item)) {
                ytree_free(item);
                fail_oom(b);
                goto fail;
            }
            continue;
        }
        struct ynode *key = parse_node(b, &e, depth + 1);
        if (!key)
            goto fail;
        if (key->kind != YNODE_SCALAR) {
            slsim_error_set(b->err, b->src, key->line, key->column, b->errkey,
                            "a mapping key must be a scalar, not %s", ytree_describe(key));
            ytree_free(key);
            goto fail;
        }
        yaml_event_t ve;
        if (next_event(b, &ve)) {
            ytree_free(key);
            goto fail;
        }
        struct ynode *value = parse_node(b, &ve, depth + 1);
        if (!value) {
            ytree_free(key);
            goto fail;
        }
        if (map_append(n, key, value)) {
            ytree_free(key);
            ytree_free(value);
            fail_oom(b);
            goto fail;
        }
    }
    /* Registered only now, so an alias inside the node to itself finds nothing. */
    if (add_anchor(b, (const yaml_char_t *)anchor_copy, n)) {
        fail_oom(b);
        goto fail;
    }
    free(anchor_copy);
    return n;
fail:
    free(anchor_copy);
    ytree_free(n);
    return NULL;
}

struct ynode *ytree_parse(const char *text, size_t len, const char *src, int flat_offset,
                          const char *errkey, struct slsim_error *err)
{
    struct builder b;
    memset(&b, 0, sizeof b);
    b.text = text;
    b.len = len;
    b.src = src;
    b.flat_offset = flat_offset;
    b.errkey = errkey;
    b.err = err;
    if (!yaml_parser_initialize(&b.parser)) {
        fail_oom(&b);
        return NULL;
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);

    struct ynode *root = NULL;
    yaml_event_t ev;
    if (next_event(&b, &ev))
        goto done;
    yaml_event_delete(&ev); /* STREAM-START */
    if (next_event(&b, &ev))
        goto done;
    if (ev.type == YAML_STREAM_END_EVENT) {
        /* Nothing but blanks and comments: a null document, like `---` alone. */
        yaml_event_delete(&ev);
        root = ytree_new_scalar("", src, 1, flat_offset >= 0 ? flat_offset + 1 : 1);
        if (!root)
            fail_oom(&b);
        goto done;
    }
    yaml_event_delete(&ev); /* DOCUMENT-START */
    if (next_event(&b, &ev))
        goto done;
    root = parse_node(&b, &ev, 0);
    if (!root)
        goto done;
    if (next_event(&b, &ev)) /* DOCUMENT-END */
        goto fail;
    yaml_event_delete(&ev);
    if (next_event(&b, &ev))
        goto fail;
    if (ev.type != YAML_STREAM_END_EVENT) {
        fail_at(&b, ev.start_mark, "a second YAML document starts here; expected one");
        yaml_event_delete(&ev);
        goto fail;
    }
    yaml_event_delete(&ev);
    goto done;
fail:
    ytree_free(root);
    root = NULL;
done:
    for (size_t i = 0; i < b.n_anchors; i++)
        free(b.anchors[i].name);
    free(b.anchors);
    yaml_parser_delete(&b.parser);
    return root;
}

int ytree_is_null(const struct ynode *n)
{
    if (!n || n->kind != YNODE_SCALAR || !n->plain)
        return 0;
    const char *t = n->text;
    return t[0] == '\0' || strcmp(t, "~") == 0 || strcmp(t, "null") == 0 ||
           strcmp(t, "Null") == 0 || strcmp(t, "NULL") == 0;
}

const char *ytree_describe(const struct ynode *n)
{
    if (ytree_is_null(n))
        return "an empty value";
    switch (n->kind) {
    case YNODE_SCALAR:
        return "a scalar";
    case YNODE_MAPPING:
        return "a mapping";
    case YNODE_SEQUENCE:
        return "a sequence";
    }
    return "a node";
}

long ytree_find(const struct ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAPPING)
        return -1;
    for (size_t i = 0; i < map->n_pairs; i++)
        if (strcmp(map->pairs[i].key->text, key) == 0)
            return (long)i;
    return -1;
}

struct ynode *ytree_get(const struct ynode *map, const char *key)
{
    long i = ytree_find(map, key);
    return i < 0 ? NULL : map->pairs[i].value;
}

int ytree_map_put(struct ynode *map, struct ynode *key, struct ynode *value)
{
    long i = ytree_find(map, key->text);
    if (i >= 0) {
        ytree_free(map->pairs[i].value);
        map->pairs[i].value = value;
        ytree_free(key);
        return 0;
    }
    if (map_append(map, key, value)) {
        ytree_free(key);
        ytree_free(value);
        return -1;
    }
    return 0;
}

void ytree_map_remove(struct ynode *map, size_t i)
{
    ytree_free(map->pairs[i].key);
    ytree_free(map->pairs[i].value);
    memmove(&map->pairs[i], &map->pairs[i + 1], (map->n_pairs - i - 1) * sizeof *map->pairs);
    map->n_pairs--;
}

void ytree_seq_replace(struct ynode *seq, size_t i, struct ynode *value)
{
    ytree_free(seq->items[i]);
    seq->items[i] = value;
}

void ytree_seq_remove(struct ynode *seq, size_t i)
{
    ytree_free(seq->items[i]);
    memmove(&seq->items[i], &seq->items[i + 1], (seq->n_items - i - 1) * sizeof *seq->items);
    seq->n_items--;
}
