/* trace_names.c - function names to indexes: a map that owns its names (the
 * layer every format shares) and an index over names someone else owns (a
 * reader's table of functions). Both are open addressing with linear probing,
 * at most half full. */
#include <stdlib.h>
#include <string.h>

#include "trace_names.h"

void name_map_free(struct name_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->key ? m->key[i] : NULL);
    free(m->key);
    free(m->value);
    free(m->count);
    memset(m, 0, sizeof *m);
}

static int name_map_grow(struct name_map *m)
{
    struct name_map n = {0};
    n.cap = m->cap ? 2 * m->cap : 1024;
    n.key = calloc(n.cap, sizeof *n.key);
    n.value = calloc(n.cap, sizeof *n.value);
    n.count = calloc(n.cap, sizeof *n.count);
    if (!n.key || !n.value || !n.count) {
        name_map_free(&n);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->key[i]) {
            size_t j = name_map_slot(&n, m->key[i]);
            n.key[j] = m->key[i];
            n.value[j] = m->value[i];
            n.count[j] = m->count[i];
        }
    n.len = m->len;
    free(m->key);
    free(m->value);
    free(m->count);
    *m = n;
    return 0;
}

size_t name_map_put(struct name_map *m, const char *name, int *added)
{
    *added = 0;
    if ((m->len + 1) * 2 > m->cap && name_map_grow(m) != 0)
        return (size_t)-1;
    size_t i = name_map_slot(m, name);
    if (!m->key[i]) {
        if (!(m->key[i] = strdup(name)))
            return (size_t)-1;
        m->len++;
        *added = 1;
    }
    return i;
}

static struct name_slot *name_probe(const struct name_index *ix, const char *s)
{
    size_t i = (size_t)name_hash(s) & (ix->cap - 1);
    while (ix->slot[i].name && strcmp(ix->slot[i].name, s) != 0)
        i = (i + 1) & (ix->cap - 1);
    return &ix->slot[i];
}

uint32_t name_index_find(const struct name_index *ix, const char *s)
{
    if (ix->cap == 0)
        return NAME_NONE;
    const struct name_slot *sl = name_probe(ix, s);
    return sl->name ? sl->value : NAME_NONE;
}

int name_index_add(struct name_index *ix, const char *s, uint32_t value)
{
    if (2 * (ix->n + 1) > ix->cap) {
        struct name_index bigger = {NULL, ix->cap ? 2 * ix->cap : 1024, 0};
        bigger.slot = calloc(bigger.cap, sizeof *bigger.slot);
        if (!bigger.slot)
            return -1;
        for (size_t i = 0; i < ix->cap; i++)
            if (ix->slot[i].name)
                *name_probe(&bigger, ix->slot[i].name) = ix->slot[i];
        bigger.n = ix->n;
        free(ix->slot);
        *ix = bigger;
    }
    struct name_slot *sl = name_probe(ix, s);
    sl->name = s;
    sl->value = value;
    ix->n++;
    return 0;
}

void name_index_free(struct name_index *ix)
{
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}
