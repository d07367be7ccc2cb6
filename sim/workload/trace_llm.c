/* trace_llm.c - the Azure LLM inference traces (2023 and 2024:
 * TIMESTAMP,ContextTokens,GeneratedTokens; one row per request, sorted by time).
 *
 * TIMESTAMP is a wall-clock time without a zone ("2023-11-16 18:17:03.9799600",
 * 100 ns ticks); time 0 is the first row. The trace has no service times, so a
 * request's duration comes from a linear token model,
 *     base + prefill x ContextTokens + decode x GeneratedTokens,
 * a simplification of LLM serving (it ignores batching and the KV cache) that keeps
 * the cost of a request proportional to the work in it. With the three
 * coefficients 0 the duration is left to the scenario's model (-1).
 * Every request belongs to one function, "llm": the trace does not say which
 * model or deployment served it. A time going backwards is a malformed row. */
#include <stdlib.h>
#include <string.h>

#include "trace_counting.h"
#include "trace_rows.h"

#define LLM_FUNCTION "llm"

struct llm {
    struct csv_reader csv;
    char path[TRACE_PATH_MAX];
    size_t c_time, c_context, c_generated; /* 0-based field indexes */
    size_t width;                          /* fields in the header, and in every row */
    sim_time base_ns, prefill_ns, decode_ns; /* the token model */
    int skip_bad;
    uint64_t skipped;
    int have_first;         /* origin_ns is set */
    sim_time origin_ns;     /* time of the first row: time 0 */
    sim_time last_ns;       /* time of the last row returned */
    uint64_t last_line;     /* its line */
    int pending;            /* ev_pending was read by open, not yet returned */
    struct raw_event ev_pending;
};

/* base + prefill x context + decode x generated, or -1 if it overflows. */
static sim_time token_model(const struct llm *s, uint64_t context, uint64_t generated)
{
    sim_time d = s->base_ns;
    const uint64_t tokens[2] = {context, generated};
    const sim_time per[2] = {s->prefill_ns, s->decode_ns};
    for (int i = 0; i < 2; i++) {
        if (per[i] && tokens[i] > (uint64_t)((SIM_TIME_FOREVER - d) / per[i]))
            return -1;
        d += per[i] * (sim_time)tokens[i];
    }
    return d;
}

/* Parse the current row into ev: 0, or -1 with err. */
static int parse_row(struct llm *s, struct raw_event *ev, struct slsim_error *err)
{
    const struct csv_reader *r = &s->csv;
    const char *ts = trace_row_field(r, s->c_time, "TIMESTAMP", err);
    char why[300];
    sim_time t;
    uint64_t context, generated;
    if (!ts || trace_row_width(r, s->width, err))
        return -1;
    if (trace_parse_iso8601(ts, &t, why, sizeof why))
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[s->c_time],
                               "TIMESTAMP", "%s", why);
    if (!trace_row_field(r, s->c_context, "ContextTokens", err) ||
        !trace_row_field(r, s->c_generated, "GeneratedTokens", err) ||
        csv_u64(r, s->c_context, "ContextTokens", &context, err) ||
        csv_u64(r, s->c_generated, "GeneratedTokens", &generated, err))
        return -1;
    if (s->have_first && t < s->last_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[s->c_time],
                               "TIMESTAMP",
                               "time goes backwards: %s is %.7f s before line %llu; an "
                               "azure-llm trace must be sorted by TIMESTAMP",
                               ts, (double)(s->last_ns - t) / 1e9,
                               (unsigned long long)s->last_line);
    sim_time d = -1;
    if (s->base_ns || s->prefill_ns || s->decode_ns) {
        d = token_model(s, context, generated);
        if (d < 0)
            return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[s->c_context],
                                   "ContextTokens",
                                   "the token model's duration overflows for %llu context "
                                   "and %llu generated tokens",
                                   (unsigned long long)context, (unsigned long long)generated);
    }
    if (!s->have_first) {
        s->origin_ns = t;
        s->have_first = 1;
    }
    s->last_ns = t;
    s->last_line = r->lineno;
    ev->t_ns = t - s->origin_ns;
    ev->key = LLM_FUNCTION;
    ev->duration_ns = d;
    ev->memory_mb = 0;
    return 0;
}

/* The next valid row into ev: 1, 0 at the end, -1 with err. */
static int read_row(struct llm *s, struct raw_event *ev, struct slsim_error *err)
{
    for (;;) {
        int rc = csv_next(&s->csv, err);
        if (rc <= 0)
            return rc;
        if (parse_row(s, ev, err) == 0)
            return 1;
        if (!s->skip_bad)
            return trace_row_note_truncated(&s->csv, err);
        s->skipped++;
    }
}

static void llm_close(void *self)
{
    struct llm *s = self;
    if (!s)
        return;
    csv_close(&s->csv);
    free(s);
}

static int find_column(struct llm *s, const char *name, size_t *out, struct slsim_error *err)
{
    int i = csv_find(&s->csv, name);
    if (i < 0)
        return slsim_error_set(err, s->path, (int)s->csv.lineno, 1, NULL,
                               "not an azure-llm trace: the header has no column \"%s\" "
                               "(expected TIMESTAMP,ContextTokens,GeneratedTokens)",
                               name);
    *out = (size_t)i;
    return 0;
}

static void *llm_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    (void)rng;
    struct llm *s = calloc(1, sizeof *s);
    if (!s) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", spec->path);
    s->base_ns = spec->llm_base_ns;
    s->prefill_ns = spec->llm_prefill_ns_per_token;
    s->decode_ns = spec->llm_decode_ns_per_token;
    s->skip_bad = spec->skip_bad;
    if (s->base_ns < 0 || s->prefill_ns < 0 || s->decode_ns < 0) {
        slsim_error_set(err, NULL, 0, 0, NULL, "the token model's coefficients must be >= 0");
        goto fail;
    }
    if (csv_open(&s->csv, s->path, err))
        goto fail;
    int rc = csv_next(&s->csv, err);
    if (rc < 0)
        goto fail;
    if (rc == 0) {
        slsim_error_set(err, s->path, 1, 1, NULL,
                        "empty file: expected a header TIMESTAMP,ContextTokens,"
                        "GeneratedTokens");
        goto fail;
    }
    if (find_column(s, "TIMESTAMP", &s->c_time, err) ||
        find_column(s, "ContextTokens", &s->c_context, err) ||
        find_column(s, "GeneratedTokens", &s->c_generated, err) ||
        csv_keep_header(&s->csv, err))
        goto fail;
    s->width = s->csv.n;
    /* The first row sets time 0. A file without one is trace.c's to report, in the
     * words every format shares. */
    rc = read_row(s, &s->ev_pending, err);
    if (rc < 0)
        goto fail;
    s->pending = rc == 1;
    return s;
fail:
    llm_close(s);
    return NULL;
}

static int llm_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct llm *s = self;
    if (s->pending) {
        s->pending = 0;
        *ev = s->ev_pending;
        return 1;
    }
    return read_row(s, ev, err);
}

static double llm_progress(void *self)
{
    return csv_progress(&((struct llm *)self)->csv);
}

static uint64_t llm_skipped(void *self)
{
    return ((struct llm *)self)->skipped;
}

const struct trace_format_ops trace_llm_ops = {
    .open = llm_open,
    .next = llm_next,
    .next_row = NULL,
    .progress = llm_progress,
    .skipped = llm_skipped,
    .close = llm_close,
};
