/* heap.c - growth and renumbering of the flat event heap.
 *
 * Push and pop are inline in engine.h (they run once or twice per simulated
 * request); only the rare growth and the renumbering after 2^32 pushes live here. */
#include <stdlib.h>
#include <string.h>

#include "slsim/engine.h"

/* ev[0] sits 48 bytes into a 64-byte aligned block, so that the children of node
 * i, ev[4i+1..4i+4], always share one cache line. */
#define HEAP_LINE 64
#define HEAP_SKEW (3 * sizeof(event_key))

void heap_init(struct event_heap *h)
{
    h->ev = NULL;
    h->block = NULL;
    h->len = h->cap = 0;
    h->next_seq = 0;
}

void heap_destroy(struct event_heap *h)
{
    free(h->block);
    heap_init(h);
}

int heap_reserve(struct event_heap *h, size_t n)
{
    if (n <= h->cap)
        return 0;
    if (n > (SIZE_MAX - HEAP_LINE) / sizeof(event_key))
        return -1;
    size_t bytes = HEAP_SKEW + n * sizeof(event_key);
    bytes = (bytes + HEAP_LINE - 1) / HEAP_LINE * HEAP_LINE; /* aligned_alloc wants a multiple */
    void *block = aligned_alloc(HEAP_LINE, bytes);
    if (!block)
        return -1;
    event_key *ev = (event_key *)((char *)block + HEAP_SKEW);
    if (h->len)
        memcpy(ev, h->ev, h->len * sizeof *ev);
    free(h->block);
    h->block = block;
    h->ev = ev;
    h->cap = n;
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    event_key x = *(const event_key *)a, y = *(const event_key *)b;
    return (x > y) - (x < y);
}

void heap_renumber(struct event_heap *h)
{
    /* A sorted array is a heap, and sorting by key is sorting by (time, sequence):
     * the order of the held events is kept, and their new numbers are all below
     * those the next pushes get. */
    qsort(h->ev, h->len, sizeof *h->ev, key_cmp);
    const uint64_t low = (UINT64_C(1) << 32) - 1; /* kind and index */
    for (size_t i = 0; i < h->len; i++) {
        uint64_t lo = (uint64_t)h->ev[i];
        event_key hi = h->ev[i] >> 64 << 64;
        h->ev[i] = hi | ((uint64_t)i << 32 | (lo & low));
    }
    h->next_seq = h->len;
}
