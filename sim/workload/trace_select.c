/* trace_select.c - the counting pass and the selection of functions.
 *
 * Selection needs to know every function and its count before the replay, and so
 * do the platforms (they size per-function state up front): the trace is read once
 * to count, then opened again to replay. That costs a second read of the file and
 * keeps memory at O(functions), never O(events). Functions are numbered in order of
 * first appearance among those kept. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "slsim/containers.h"
#include "slsim/engine.h"
#include "trace_names.h"

int trace_listed(const struct trace_spec *spec, const char *name)
{
    const char *tail = strrchr(name, '/');
    for (size_t i = 0; i < spec->n_ids; i++)
        if (strcmp(spec->ids[i], name) == 0 || (tail && strcmp(spec->ids[i], tail + 1) == 0))
            return 1;
    return 0;
}

struct ranked {
    const char *name;
    uint64_t count;
};

static int by_count_then_name(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct ranked *)a)->name, ((const struct ranked *)b)->name);
}

int trace_clock_error(const struct trace_spec *spec, sim_time raw_ns, struct slsim_error *err)
{
    char at[32];
    units_format_duration(raw_ns - spec->window_start_ns, at, sizeof at);
    if (spec->origin[0])
        return slsim_error_set(err, spec->origin, spec->at_trace.line, spec->at_trace.column,
                               "workload.trace.time_scale",
                               "%s: a request at %s times %g is beyond the clock's range "
                               "(about 292 years)",
                               spec->path, at, spec->time_scale);
    return slsim_error_set(err, spec->path, 1, 1, "time_scale",
                           "a request at %s times %g is beyond the clock's range (about 292 "
                           "years)",
                           at, spec->time_scale);
}

/* Room in *slot and *gen (n entries) for format number id; new entries have gen
 * SIZE_MAX, which no map's capacity equals. 0, or -1 out of memory. */
static int grow_id_slots(size_t **slot, size_t **gen, size_t *n, uint32_t id)
{
    size_t m = *n ? *n : 64;
    while (m <= id)
        m *= 2;
    size_t *s = realloc(*slot, m * sizeof *s);
    if (s)
        *slot = s;
    size_t *g = s ? realloc(*gen, m * sizeof *g) : NULL;
    if (!g)
        return -1;
    *gen = g;
    for (size_t i = *n; i < m; i++)
        g[i] = SIZE_MAX;
    *n = m;
    return 0;
}

int trace_select_functions(const struct trace_spec *spec, uint64_t seed, uint32_t replication,
                           struct trace_selection *sel, struct slsim_error *err)
{
    return trace_select_keep(spec, seed, replication, sel, NULL, err);
}

int trace_select_keep(const struct trace_spec *spec, uint64_t seed, uint32_t replication,
                      struct trace_selection *sel, void **kept, struct slsim_error *err)
{
    if (kept)
        *kept = NULL;
    const struct trace_format_ops *ops = trace_format_row(spec->format)->ops;
    struct name_map all = {0};
    char **order = NULL;
    size_t n_order = 0, cap_order = 0;
    /* Formats that number their functions (ev.id): the slot of each number in `all`,
     * valid while the map has not grown (slot_gen), so most events skip the hash. */
    size_t *slot_of_id = NULL, *slot_gen = NULL, n_ids = 0;
    gsl_rng *rng = rng_stream_create(seed, replication, RNG_SERVICE);
    void *fmt = rng ? ops->open(spec, rng, err) : NULL;
    int rc = -1;
    if (!fmt)
        goto out;
    struct raw_event ev;
    int got;
    struct {
        const char *key;
        size_t slot;
        size_t gen; /* the map's size when cached: a grown map has moved its slots */
    } seen[256];
    memset(seen, 0, sizeof seen);
    uint64_t events = 0, in_window = 0, weight = 1; /* requests the event stands for */
    /* Over the whole trace a row's requests all count, wherever they fall in it. */
    int by_row = ops->next_row && spec->window_start_ns <= 0 &&
                 spec->window_end_ns == SIM_TIME_FOREVER;
    if (ops->times_only)
        ops->times_only(fmt); /* durations are not counted */
    for (;;) {
        ev.id = RAW_NO_ID;
        got = by_row ? ops->next_row(fmt, &ev, &weight, err) : ops->next(fmt, &ev, err);
        if (got != 1)
            break;
        events += weight;
        if (ev.t_ns < spec->window_start_ns)
            continue;
        if (ev.t_ns >= spec->window_end_ns)
            break;
        in_window += weight;
        /* A row stands for arrivals up to the end of its interval (duration_ns). */
        sim_time last = by_row ? ev.t_ns + ev.duration_ns - 1 : ev.t_ns, scaled;
        if (trace_scaled_time(spec, last, &scaled, err))
            goto out;
        if (spec->select == SELECT_LIST && !trace_listed(spec, ev.key))
            continue;
        int added = 0;
        size_t c = ((uintptr_t)ev.key >> 4) & 255, slot;
        if (ev.id != RAW_NO_ID && ev.id >= n_ids &&
            grow_id_slots(&slot_of_id, &slot_gen, &n_ids, ev.id) != 0) {
            slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
            goto out;
        }
        if (ev.id != RAW_NO_ID && slot_gen[ev.id] == all.cap) {
            slot = slot_of_id[ev.id]; /* the map has not grown since: the slot still holds */
        } else if (ev.id == RAW_NO_ID && seen[c].key == ev.key && seen[c].gen == all.cap &&
                   strcmp(all.key[seen[c].slot], ev.key) == 0) {
            slot = seen[c].slot; /* the map has not grown since: the slot still holds */
        } else {
            slot = name_map_put(&all, ev.key, &added);
            if (slot == (size_t)-1) {
                slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
                goto out;
            }
            seen[c].key = ev.key;
            seen[c].slot = slot;
            seen[c].gen = all.cap;
            if (ev.id != RAW_NO_ID) {
                slot_of_id[ev.id] = slot;
                slot_gen[ev.id] = all.cap;
            }
        }
        all.count[slot] += weight;
        if (added) {
            if (n_order == cap_order &&
                vec_grow((void **)&order, &cap_order, sizeof *order, 256)) {
                slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
                goto out;
            }
            order[n_order++] = all.key[slot];
        }
    }
    if (got < 0)
        goto out;
    if (n_order == 0 && !(spec->select == SELECT_LIST && in_window > 0)) {
        /* A listed function missing from the window is named below. */
        trace_no_requests(spec, events, in_window, ops->skipped(fmt), err);
        goto out;
    }
    /* Which names survive selection. */
    struct ranked *rank = calloc(n_order ? n_order : 1, sizeof *rank);
    if (!rank) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_order; i++) {
        rank[i].name = order[i];
        rank[i].count = all.count[name_map_find(&all, order[i])];
    }
    size_t n_keep = spec->select_n < n_order ? spec->select_n : n_order;
    if (spec->select == SELECT_TOP) {
        qsort(rank, n_order, sizeof *rank, by_count_then_name);
    } else if (spec->select == SELECT_SAMPLE) {
        /* Sample from the names in sorted order, so the draw does not depend on the
         * order the file lists them in. */
        qsort(rank, n_order, sizeof *rank, by_name);
        gsl_rng *pick = rng_stream_create(seed, replication, RNG_PLACEMENT);
        if (!pick) {
            free(rank);
            slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n_keep; i++) { /* partial Fisher-Yates */
            size_t j = i + gsl_rng_uniform_int(pick, n_order - i);
            struct ranked t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        gsl_rng_free(pick);
    }
    struct name_map chosen = {0};
    if (spec->select == SELECT_TOP || spec->select == SELECT_SAMPLE)
        for (size_t i = 0; i < n_keep; i++) {
            int added;
            if (name_map_put(&chosen, rank[i].name, &added) == (size_t)-1) {
                name_map_free(&chosen);
                free(rank);
                slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
                goto out;
            }
        }
    /* Indices in order of first appearance among the kept names. */
    sel->names = calloc(n_order ? n_order : 1, sizeof *sel->names);
    if (!sel->names) {
        name_map_free(&chosen);
        free(rank);
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_order; i++) {
        if ((spec->select == SELECT_TOP || spec->select == SELECT_SAMPLE) &&
            name_map_find(&chosen, order[i]) < 0)
            continue;
        int added;
        size_t slot = name_map_put(&sel->map, order[i], &added);
        if (slot == (size_t)-1) {
            name_map_free(&chosen);
            free(rank);
            slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
            goto out;
        }
        sel->map.value[slot] = sel->n_names;
        sel->names[sel->n_names++] = sel->map.key[slot];
    }
    /* names[] points into the map, whose keys move when it grows: refresh. */
    for (size_t i = 0; i < sel->map.cap; i++)
        if (sel->map.key[i])
            sel->names[sel->map.value[i]] = sel->map.key[i];
    name_map_free(&chosen);
    free(rank);
    if (spec->select == SELECT_LIST && sel->n_names < spec->n_ids) {
        for (size_t i = 0; i < spec->n_ids; i++) {
            int found = 0;
            for (uint32_t k = 0; k < sel->n_names && !found; k++) {
                const char *tail = strrchr(sel->names[k], '/');
                found = strcmp(sel->names[k], spec->ids[i]) == 0 ||
                        (tail && strcmp(tail + 1, spec->ids[i]) == 0);
            }
            if (!found) {
                if (spec->origin[0])
                    slsim_error_set(err, spec->origin, spec->at_trace.line,
                                    spec->at_trace.column, "workload.trace.functions",
                                    "function \"%s\" is not in the trace %s (or not in its "
                                    "window)",
                                    spec->ids[i], spec->path);
                else
                    slsim_error_set(err, spec->path, 1, 1, "functions",
                                    "function \"%s\" is not in the trace (or not in its "
                                    "window)",
                                    spec->ids[i]);
                goto out;
            }
        }
    }
    if (sel->n_names == 0) {
        trace_no_requests(spec, events, in_window, ops->skipped(fmt), err);
        goto out;
    }
    rc = 0;
    if (kept && ops->rewind) { /* the replay starts it over (with its own stream) */
        *kept = fmt;
        fmt = NULL;
    }
out:
    if (fmt)
        ops->close(fmt);
    if (rng)
        gsl_rng_free(rng);
    free(order);
    free(slot_of_id);
    free(slot_gen);
    name_map_free(&all);
    return rc;
}

