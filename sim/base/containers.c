/* containers.c - growth of the growable arrays; everything else is inline in
 * containers.h. */
#include "slsim/containers.h"

int vec_grow(void **items, size_t *cap, size_t item_size, size_t first)
{
    size_t n = *cap ? 2 * *cap : first;
    if (n <= *cap || n > SIZE_MAX / item_size)
        return -1; /* the index space is exhausted */
    void *b = realloc(*items, n * item_size);
    if (!b)
        return -1;
    *items = b;
    *cap = n;
    return 0;
}

int vec_grow32(void **items, uint32_t *cap, size_t item_size, uint32_t first)
{
    size_t c = *cap;
    if (c * 2 > UINT32_MAX)
        return -1;
    if (vec_grow(items, &c, item_size, first) != 0)
        return -1;
    *cap = (uint32_t)c;
    return 0;
}
