/* heap.c - growth of the flat event heap.
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
