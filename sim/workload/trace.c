/* trace.c - what every trace format shares: functions, selection, window, scaling.
 *
 * A format reader (trace_*.c, one row of trace_formats.c) yields raw events in time
 * order with a function name; this layer names functions by index (in order of first
 * appearance), keeps only the selected ones (trace_select.c: a counting pass before
 * the replay), cuts a time window, and scales time and rate.
 *
 * Rate scaling below 1 keeps each event with that probability (thinning: a
 * Poisson process stays Poisson); above 1 each event is repeated floor(scale)
 * times and once more with the fractional part as probability, the copies
 * arriving together (a burst, not a spread: amplification cannot invent the
 * timing the trace does not have). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "slsim/engine.h"
#include "trace_names.h"

struct trace_reader {
    const struct trace_spec *spec; /* borrowed */
    const struct trace_format_ops *ops;
    void *fmt;
    int tokens;         /* the format gives each request's tokens (TRACE_FORMAT_TOKENS) */
    gsl_rng *fmt_rng;   /* randomness of the format (arrivals within intervals) */
    gsl_rng *scale_rng; /* thinning and amplification */
    struct trace_selection sel; /* selected names -> function index, and back */
    struct trace_event pending; /* amplification: the event being repeated */
    uint32_t copies_left;
    /* Readers often hand out the same pointer for a function's name every time
     * (count formats keep one copy per function): remember the last lookups by
     * pointer, checked by content, so most events skip the hash. */
    struct {
        const char *key;
        long slot;
    } cache[256];
    /* Formats that number their functions (raw_event.id): the selection's slot of
     * each number, -1 not selected, -2 not yet looked up; grown on demand. */
    long *slot_of_id;
    size_t n_ids;
};

/* The selection's slot of the function with format number id (name key): looked up
 * by name the first time only. -1 when not selected; -2 when out of memory. */
static long slot_by_id(struct trace_reader *r, uint32_t id, const char *key)
{
    if (id >= r->n_ids) {
        size_t n = r->n_ids ? r->n_ids : 64;
        while (n <= id)
            n *= 2;
        long *g = realloc(r->slot_of_id, n * sizeof *g);
        if (!g)
            return -2;
        for (size_t i = r->n_ids; i < n; i++)
            g[i] = -2;
        r->slot_of_id = g;
        r->n_ids = n;
    }
    if (r->slot_of_id[id] == -2)
        r->slot_of_id[id] = name_map_find(&r->sel.map, key);
    return r->slot_of_id[id];
}

void trace_spec_default(struct trace_spec *t)
{
    memset(t, 0, sizeof *t);
    t->format = TRACE_CSV;
    t->within = WITHIN_POISSON;
    t->select = SELECT_ALL;
    t->time_scale = 1.0;
    t->duration_scale = 1.0;
    t->rate_scale = 1.0;
    t->window_end_ns = SIM_TIME_FOREVER;
    t->reorder_ns = 60 * SIM_NS_PER_S;
    t->time_unit = TIME_SECONDS;
    t->duration_unit_s = 1.0;
    t->header = 1;
    t->interval_ns = 60 * SIM_NS_PER_S;
}

void trace_spec_free(struct trace_spec *t)
{
    for (size_t i = 0; i < t->n_ids; i++)
        free(t->ids[i]);
    free(t->ids);
    t->ids = NULL;
    t->n_ids = 0;
}

struct trace_reader *trace_open(const struct trace_spec *spec, uint64_t seed,
                                uint32_t replication, struct slsim_error *err)
{
    struct trace_reader *r = calloc(1, sizeof *r);
    if (!r) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    r->spec = spec;
    r->ops = trace_format_row(spec->format)->ops;
    r->tokens = (trace_format_props(spec->format) & TRACE_FORMAT_TOKENS) != 0;
    void *kept = NULL;
    if (trace_check_files(spec, err) != 0 ||
        trace_select_keep(spec, seed, replication, &r->sel, &kept, err) != 0) {
        trace_close(r);
        return NULL;
    }
    /* The replay draws the same format randomness as the counting pass did, so the
     * two passes see the same events. */
    r->fmt_rng = rng_stream_create(seed, replication, RNG_SERVICE);
    r->scale_rng = rng_stream_create(seed, replication, RNG_ARRIVALS);
    if (!r->fmt_rng || !r->scale_rng) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        if (kept)
            r->ops->close(kept);
        trace_close(r);
        return NULL;
    }
    /* A format that can start over replays from the counting pass's reader: its files
     * are read once per replay, not twice. */
    if (kept && r->ops->rewind(kept, r->fmt_rng, err) != 0) {
        r->ops->close(kept);
        trace_close(r);
        return NULL;
    }
    r->fmt = kept ? kept : r->ops->open(spec, r->fmt_rng, err);
    if (!r->fmt) {
        trace_close(r);
        return NULL;
    }
    return r;
}

int trace_next(struct trace_reader *r, struct trace_event *ev, struct slsim_error *err)
{
    const struct trace_spec *spec = r->spec;
    if (r->copies_left) {
        r->copies_left--;
        *ev = r->pending;
        return 1;
    }
    for (;;) {
        struct raw_event raw;
        raw.id = RAW_NO_ID;
        int got = r->ops->next(r->fmt, &raw, err);
        if (got <= 0)
            return got;
        if (raw.t_ns < spec->window_start_ns)
            continue;
        if (raw.t_ns >= spec->window_end_ns)
            return 0;
        size_t c = ((uintptr_t)raw.key >> 4) & 255;
        long slot;
        if (raw.id != RAW_NO_ID) {
            slot = slot_by_id(r, raw.id, raw.key);
            if (slot == -2)
                return slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        } else if (r->cache[c].key == raw.key && r->cache[c].slot >= 0 &&
            strcmp(r->sel.map.key[r->cache[c].slot], raw.key) == 0) {
            slot = r->cache[c].slot;
        } else {
            slot = name_map_find(&r->sel.map, raw.key);
            r->cache[c].key = raw.key;
            r->cache[c].slot = slot;
        }
        if (slot < 0)
            continue; /* not selected */
        if (trace_scaled_time(spec, raw.t_ns, &ev->t_ns, err))
            return -1;
        ev->function = r->sel.map.value[slot];
        ev->duration_ns = raw.duration_ns;
        ev->memory_mb = raw.memory_mb;
        ev->prompt_tokens = r->tokens ? raw.prompt_tokens : 0;
        ev->output_tokens = r->tokens ? raw.output_tokens : 0;
        if (spec->rate_scale == 1.0)
            return 1;
        double whole = (double)(uint64_t)spec->rate_scale;
        double frac = spec->rate_scale - whole;
        uint32_t copies = (uint32_t)whole + (gsl_rng_uniform(r->scale_rng) < frac);
        if (copies == 0)
            continue;
        r->pending = *ev;
        r->copies_left = copies - 1;
        return 1;
    }
}

uint32_t trace_functions(const struct trace_reader *r)
{
    return r->sel.n_names;
}

const char *trace_function_name(const struct trace_reader *r, uint32_t function)
{
    return function < r->sel.n_names ? r->sel.names[function] : "";
}

uint64_t trace_skipped(const struct trace_reader *r)
{
    return r->fmt ? r->ops->skipped(r->fmt) : 0;
}

double trace_progress(const struct trace_reader *r)
{
    return r->fmt ? r->ops->progress(r->fmt) : 0.0;
}

void trace_close(struct trace_reader *r)
{
    if (!r)
        return;
    if (r->fmt)
        r->ops->close(r->fmt);
    if (r->fmt_rng)
        gsl_rng_free(r->fmt_rng);
    if (r->scale_rng)
        gsl_rng_free(r->scale_rng);
    free(r->sel.names);
    name_map_free(&r->sel.map);
    free(r->slot_of_id);
    free(r);
}

int trace_check(const struct trace_spec *spec, struct slsim_error *err)
{
    if (trace_check_files(spec, err))
        return -1;
    gsl_rng *rng = rng_stream_create(1, 0, RNG_SERVICE);
    if (!rng)
        return slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
    const struct trace_format_ops *ops = trace_format_row(spec->format)->ops;
    void *fmt = ops->open(spec, rng, err);
    int rc = fmt ? 1 : -1;
    uint64_t events = 0, in_window = 0;
    struct raw_event ev;
    /* The first event the replay would keep; selection by count needs the whole
     * trace, but any function with a request in the window can be selected. */
    while (rc == 1 && (rc = ops->next(fmt, &ev, err)) == 1) {
        events++;
        if (ev.t_ns < spec->window_start_ns)
            continue;
        if (ev.t_ns >= spec->window_end_ns) {
            rc = 0;
            break;
        }
        in_window++;
        if (spec->select != SELECT_LIST || trace_listed(spec, ev.key))
            break;
    }
    if (rc == 0)
        trace_no_requests(spec, events, in_window, ops->skipped(fmt), err);
    if (fmt)
        ops->close(fmt);
    gsl_rng_free(rng);
    return rc == 1 ? 0 : -1;
}
