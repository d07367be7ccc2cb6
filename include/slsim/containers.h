/* containers.h - the containers every layer builds on: one growable array, one
 * binary heap, one ring, one index set.
 *
 * They are generic through a type and an order given at compile time, not through
 * void pointers and callbacks, because they sit on the per-request path of the
 * engine and the platforms: a heap of events is sifted once or twice per simulated
 * request, and an indirect call per comparison would cost more than the
 * comparison. Memory is owned by the struct a caller embeds them in; a zeroed
 * struct is an empty container, and growth is the only allocation. */
#ifndef SLSIM_CONTAINERS_H
#define SLSIM_CONTAINERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- growable array --------------------------------------------------------------
 * Room for more items in *items: doubles *cap (first to `first` when it is 0),
 * keeping the contents. 0, or -1 when out of memory or when the count would no longer
 * fit the cap's type (the array is then unchanged). */
int vec_grow(void **items, size_t *cap, size_t item_size, size_t first);
/* The same for records indexed by 32-bit numbers (instances, machines, functions). */
int vec_grow32(void **items, uint32_t *cap, size_t item_size, uint32_t first);

/* ---- binary min-heap -------------------------------------------------------------
 * HEAPQ_DEFINE(name, type, before) defines, for an array a of type holding a heap
 * ordered by before(const type *x, const type *y) (1 when x goes first):
 *
 *   name_up(a, i, x)    puts x in the hole at index i (a new last slot) and sifts it
 *                       up: push is `name_up(a, len++, x)` once the array has room;
 *   name_down(a, n, x)  puts x in the hole at the root of the n-item heap a and sifts
 *                       it down: pop is `top = a[0]; if (--len) name_down(a, len, a[len]);`
 *   name_down_from(a, n, i, x)  the same from the hole at index i (building a heap
 *                       bottom-up: for i from n/2 down to 0, name_down_from(a, n, i, a[i]));
 *   name_pop(a, &len)   that pop, returning the earliest item (precondition len > 0).
 *
 * Both move a hole rather than swapping, so each level costs one comparison and one
 * copy. Ties keep no order of their own: break them in `before` where order matters. */
#define HEAPQ_DEFINE(name, type, before)                                                    \
    static inline void name##_up(type *a, size_t i, type x)                                 \
    {                                                                                       \
        while (i > 0) {                                                                     \
            size_t parent = (i - 1) / 2;                                                    \
            if (!before(&x, &a[parent]))                                                    \
                break;                                                                      \
            a[i] = a[parent];                                                               \
            i = parent;                                                                     \
        }                                                                                   \
        a[i] = x;                                                                           \
    }                                                                                       \
    static inline void name##_down_from(type *a, size_t n, size_t i, type x)                \
    {                                                                                       \
        for (;;) {                                                                          \
            size_t c = 2 * i + 1;                                                           \
            if (c >= n)                                                                     \
                break;                                                                      \
            if (c + 1 < n && before(&a[c + 1], &a[c]))                                      \
                c++;                                                                        \
            if (!before(&a[c], &x))                                                         \
                break;                                                                      \
            a[i] = a[c];                                                                    \
            i = c;                                                                          \
        }                                                                                   \
        a[i] = x;                                                                           \
    }                                                                                       \
    static inline void name##_down(type *a, size_t n, type x)                               \
    {                                                                                       \
        name##_down_from(a, n, 0, x);                                                       \
    }                                                                                       \
    static inline type name##_pop(type *a, size_t *len)                                     \
    {                                                                                       \
        type top = a[0];                                                                    \
        if (--*len)                                                                         \
            name##_down(a, *len, a[*len]);                                                  \
        return top;                                                                         \
    }

/* ---- ring ------------------------------------------------------------------------
 * RING_DEFINE(name, type) defines struct name, a FIFO of type in a power-of-two
 * circular buffer that doubles when full (a zeroed struct is empty), and
 *
 *   name_push(r, x)   append x at the back: 0, or -1 when out of memory (unchanged);
 *   name_front(r), name_back(r), name_at(r, k)   pointers to the first, last and k-th
 *                     item (precondition: that many items);
 *   name_pop_front(r) drop the first item (precondition r->len > 0);
 *   name_free(r)      release the buffer, leaving an empty ring. */
#define RING_DEFINE(name, type)                                                             \
    struct name {                                                                           \
        type *e;       /* the buffer, mask + 1 items (NULL while empty and never grown) */  \
        uint32_t head; /* index of the first item */                                        \
        uint32_t len;  /* items held */                                                     \
        uint32_t mask; /* capacity - 1 */                                                   \
    };                                                                                      \
    static inline int name##_grow(struct name *r)                                           \
    {                                                                                       \
        uint32_t n = r->e ? 2 * (r->mask + 1) : 16;                                         \
        if (n == 0)                                                                         \
            return -1;                                                                      \
        type *b = malloc((size_t)n * sizeof *b);                                            \
        if (!b)                                                                             \
            return -1;                                                                      \
        for (uint32_t k = 0; k < r->len; k++)                                               \
            b[k] = r->e[(r->head + k) & r->mask];                                           \
        free(r->e);                                                                         \
        r->e = b;                                                                           \
        r->head = 0;                                                                        \
        r->mask = n - 1;                                                                    \
        return 0;                                                                           \
    }                                                                                       \
    static inline int name##_push(struct name *r, type x)                                   \
    {                                                                                       \
        if (r->len == (r->e ? r->mask + 1 : 0) && name##_grow(r) != 0)                      \
            return -1;                                                                      \
        r->e[(r->head + r->len++) & r->mask] = x;                                           \
        return 0;                                                                           \
    }                                                                                       \
    static inline type *name##_at(struct name *r, uint32_t k)                               \
    {                                                                                       \
        return &r->e[(r->head + k) & r->mask];                                              \
    }                                                                                       \
    static inline type *name##_front(struct name *r)                                        \
    {                                                                                       \
        return &r->e[r->head];                                                              \
    }                                                                                       \
    static inline type *name##_back(struct name *r)                                         \
    {                                                                                       \
        return &r->e[(r->head + r->len - 1) & r->mask];                                     \
    }                                                                                       \
    static inline void name##_pop_front(struct name *r)                                     \
    {                                                                                       \
        r->head = (r->head + 1) & r->mask;                                                  \
        r->len--;                                                                           \
    }                                                                                       \
    static inline void name##_free(struct name *r)                                          \
    {                                                                                       \
        free(r->e);                                                                         \
        r->e = NULL;                                                                        \
        r->head = r->len = r->mask = 0;                                                     \
    }

/* ---- index set -------------------------------------------------------------------
 * A set of 32-bit indices in a dense array, with O(1) add, remove and uniform pick:
 * the caller keeps each member's position (pos) in its own record and passes it
 * in, so the set itself is just the array. */
struct idxset {
    uint32_t *items; /* the members, in no order */
    uint32_t len;    /* members */
    uint32_t cap;    /* room in items */
};

/* Add index i, storing its position in *pos. 0, or -1 when out of memory (unchanged). */
static inline int idxset_add(struct idxset *s, uint32_t i, uint32_t *pos)
{
    if (s->len == s->cap && vec_grow32((void **)&s->items, &s->cap, sizeof *s->items, 16))
        return -1;
    *pos = s->len;
    s->items[s->len++] = i;
    return 0;
}

/* Remove the member at position pos. The last member moves into pos and is returned:
 * its owner writes pos into its record of that member's position. */
static inline uint32_t idxset_remove(struct idxset *s, uint32_t pos)
{
    uint32_t last = s->items[--s->len];
    s->items[pos] = last;
    return last; /* now at pos: its owner updates its record */
}

static inline void idxset_free(struct idxset *s)
{
    free(s->items);
    s->items = NULL;
    s->len = s->cap = 0;
}

#endif
