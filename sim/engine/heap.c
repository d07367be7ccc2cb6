/* heap.c - growth of the flat event heap and of the platforms' record pools.
 *
 * Push and pop are inline in engine.h (they run once or twice per simulated
 * request); only the rare growth lives here. */
#include <stdlib.h>

#include "slsim/engine.h"

void heap_init(struct event_heap *h)
{
    h->ev = NULL;
    h->len = h->cap = 0;
    h->next_seq = 0;
}

void heap_destroy(struct event_heap *h)
{
    free(h->ev);
    heap_init(h);
}

int heap_reserve(struct event_heap *h, size_t n)
{
    if (n <= h->cap)
        return 0;
    struct event *ev = realloc(h->ev, n * sizeof *ev);
    if (!ev)
        return -1;
    h->ev = ev;
    h->cap = n;
    return 0;
}

int pool_grow(void **items, uint32_t *cap, size_t item_size, uint32_t first)
{
    uint32_t n = *cap ? 2 * *cap : first;
    if (n <= *cap)
        return -1; /* the index space is exhausted */
    void *b = realloc(*items, (size_t)n * item_size);
    if (!b)
        return -1;
    *items = b;
    *cap = n;
    return 0;
}
