/* trace_names.h - function names to indexes, for the layer every trace format
 * shares (internal to sim/workload): an open-addressing hash map that owns its
 * names, and the functions a replay keeps after selection.
 *
 * The lookup is inline: the replay asks it for every request whose name it has
 * not just seen (trace_next). */
#ifndef SLSIM_TRACE_NAMES_H
#define SLSIM_TRACE_NAMES_H

#include <stdint.h>
#include <string.h>

#include "trace_internal.h"

struct name_map {
    char **key;      /* names, owned; NULL for empty slots */
    uint32_t *value; /* index (or count) per slot */
    uint64_t *count; /* events per slot (counting pass) */
    size_t cap;      /* slots, a power of two */
    size_t len;      /* names held */
};

/* A hash of a name, eight bytes at a time (names are often 129-character hash
 * pairs, so a byte-at-a-time hash would dominate the replay). */
static inline uint64_t name_hash(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
}

/* The slot of name: its own, or the empty one where it would go (m->cap > 0). */
static inline size_t name_map_slot(const struct name_map *m, const char *name)
{
    size_t i = (size_t)name_hash(name) & (m->cap - 1);
    while (m->key[i] && strcmp(m->key[i], name) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The slot holding name, or -1. */
static inline long name_map_find(const struct name_map *m, const char *name)
{
    if (!m->cap)
        return -1;
    size_t i = name_map_slot(m, name);
    return m->key[i] ? (long)i : -1;
}

/* The slot of name, a copy of it added if absent (*added = 1; value and count 0).
 * Slots move when the map grows. (size_t)-1 when out of memory. */
size_t name_map_put(struct name_map *m, const char *name, int *added);

/* Free the names and the slots; the map is empty again. */
void name_map_free(struct name_map *m);

/* Names owned elsewhere (they must outlive the index) to uint32 values. */
struct name_slot {
    const char *name; /* borrowed; NULL = empty */
    uint32_t value;
};

struct name_index {
    struct name_slot *slot;
    size_t cap; /* power of two, 0 before the first insertion */
    size_t n;
};

#define NAME_NONE UINT32_MAX

/* The value stored for s, or NAME_NONE when there is none. */
uint32_t name_index_find(const struct name_index *ix, const char *s);

/* Map s (which must outlive the index and not be present) to value. 0 or -1 (out
 * of memory). */
int name_index_add(struct name_index *ix, const char *s, uint32_t value);

void name_index_free(struct name_index *ix);

/* The functions a replay keeps: names by index, in order of first appearance. */
struct trace_selection {
    struct name_map map; /* selected names -> function index (value) */
    char **names;        /* index -> name (borrowed from map) */
    uint32_t n_names;
};

/* The counting pass: read spec's trace once (window applied, no scaling), find its
 * functions and their requests, and keep those spec->select chooses, seeded by seed
 * and replication (SELECT_SAMPLE). sel must be zeroed. 0, or -1 with err: the
 * reader's errors, a request past the clock (trace_scaled_time), a listed function
 * not in the window, no request left (trace_no_requests), out of memory. */
int trace_select_functions(const struct trace_spec *spec, uint64_t seed, uint32_t replication,
                           struct trace_selection *sel, struct slsim_error *err);

/* A name given in `functions: [...]` matches a function by its full name or by
 * the part after the last '/' (a function hash without its app): 1 if name is
 * listed in spec->ids. */
int trace_listed(const struct trace_spec *spec, const char *name);

/* The error for a time past the int64 clock (trace_scaled_time). Returns -1. */
int trace_clock_error(const struct trace_spec *spec, sim_time raw_ns, struct slsim_error *err);

/* The replay time of a trace time raw_ns: (raw_ns - window start) x time_scale,
 * rounded to the nanosecond. 0, or -1 with err where that is past the int64 clock (a
 * trace of centuries, or one stretched by time_scale): the counting pass and the
 * replay both ask, so a trace fails at open, never halfway through a replay. */
static inline int trace_scaled_time(const struct trace_spec *spec, sim_time raw_ns,
                                    sim_time *out, struct slsim_error *err)
{
    double t = (double)(raw_ns - spec->window_start_ns) * spec->time_scale + 0.5;
    if (t < 9223372036854775807.0) { /* 2^63 as a double: the cast is defined below it */
        *out = (sim_time)t;
        return 0;
    }
    return trace_clock_error(spec, raw_ns, err);
}

#endif
