/* trace_llm.c - the Azure LLM inference traces (2023 and 2024:
 * TIMESTAMP,ContextTokens,GeneratedTokens; one row per request, sorted by time).
 *
 * TIMESTAMP is a wall-clock time without a zone ("2023-11-16 18:17:03.9799600",
 * 100 ns ticks); time 0 is the first row. Each request carries its tokens,
 * ContextTokens as its prompt and GeneratedTokens as its output (each at most
 * UINT32_MAX). The trace has no service times, so the duration is left to the
 * scenario (-1): an LLM model's iteration-level scheduler times a request from its
 * tokens, batched with the others, which no per-request formula could.
 * Every request belongs to one function, "llm": the trace does not say which
 * model or deployment served it. A time going backwards is a malformed row. */
#include <stdlib.h>
#include <string.h>

#include "trace_counting.h"
#include "trace_rows.h"

#define LLM_FUNCTION "llm"

struct llm {
    struct row_stream rs;                  /* first: the file, skipped rows, time origin */
    size_t c_time, c_context, c_generated; /* 0-based field indexes */
    size_t width;                          /* fields in the header, and in every row */
};

/* Token count column c of the current row into *out: a whole number that fits a
 * request's uint32_t. 0, or -1 with err at the field. */
static int token_field(const struct csv_reader *r, size_t c, const char *what, uint32_t *out,
                       struct slsim_error *err)
{
    uint64_t v;
    if (!trace_row_field(r, c, what, err) || csv_u64(r, c, what, &v, err))
        return -1;
    if (v > UINT32_MAX)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c], what,
                               "%llu tokens is more than a request can carry (at most %lu)",
                               (unsigned long long)v, (unsigned long)UINT32_MAX);
    *out = (uint32_t)v;
    return 0;
}

/* Parse the current row into ev: 0, or -1 with err (a row_parse_fn). */
static int parse_row(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct llm *s = self;
    const struct csv_reader *r = &s->rs.csv;
    const char *ts = trace_row_field(r, s->c_time, "TIMESTAMP", err);
    char why[300];
    sim_time t;
    uint32_t context, generated;
    if (!ts || trace_row_width(r, s->width, err))
        return -1;
    if (trace_parse_iso8601(ts, &t, why, sizeof why))
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[s->c_time],
                               "TIMESTAMP", "%s", why);
    if (token_field(r, s->c_context, "ContextTokens", &context, err) ||
        token_field(r, s->c_generated, "GeneratedTokens", &generated, err))
        return -1;
    if (s->rs.have_first && t < s->rs.last_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[s->c_time],
                               "TIMESTAMP",
                               "time goes backwards: %s is %.7f s before line %llu; an "
                               "azure-llm trace must be sorted by TIMESTAMP",
                               ts, (double)(s->rs.last_ns - t) / 1e9,
                               (unsigned long long)s->rs.last_line);
    ev->t_ns = row_stream_stamp(&s->rs, t);
    ev->key = LLM_FUNCTION;
    ev->duration_ns = -1;
    ev->memory_mb = 0;
    ev->prompt_tokens = context;
    ev->output_tokens = generated;
    return 0;
}

static void llm_close(void *self)
{
    struct llm *s = self;
    if (!s)
        return;
    csv_close(&s->rs.csv);
    free(s);
}

static int find_column(struct llm *s, const char *name, size_t *out, struct slsim_error *err)
{
    int i = csv_find(&s->rs.csv, name);
    if (i < 0)
        return slsim_error_set(err, s->rs.path, (int)s->rs.csv.lineno, 1, NULL,
                               "not an azure-llm trace: the header has no column \"%s\" "
                               "(expected TIMESTAMP,ContextTokens,GeneratedTokens)",
                               name);
    *out = (size_t)i;
    return 0;
}

static void *llm_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    (void)rng;
    struct llm *s = row_stream_alloc(sizeof *s, spec, err);
    if (!s)
        return NULL;
    if (row_stream_begin(&s->rs, 1, "a header TIMESTAMP,ContextTokens,GeneratedTokens", err) ||
        find_column(s, "TIMESTAMP", &s->c_time, err) ||
        find_column(s, "ContextTokens", &s->c_context, err) ||
        find_column(s, "GeneratedTokens", &s->c_generated, err) ||
        csv_keep_header(&s->rs.csv, err))
        goto fail;
    s->width = s->rs.csv.n;
    if (row_stream_prime(&s->rs, parse_row, err))
        goto fail;
    return s;
fail:
    llm_close(s);
    return NULL;
}

static int llm_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    return row_stream_next(self, parse_row, ev, err);
}

/* The sort reads TIMESTAMP as a csv trace's ISO 8601 time column. */
static int llm_sort_begin(const struct trace_spec *spec, const struct csv_reader *r,
                          const char *path, struct trace_sort_key *key, struct slsim_error *err)
{
    struct trace_spec llm = *spec;
    snprintf(llm.col_time, sizeof llm.col_time, "TIMESTAMP");
    llm.col_function[0] = llm.col_duration[0] = llm.col_memory[0] = '\0';
    llm.time_unit = TIME_ISO8601;
    llm.header = 1;
    key->unit = llm.time_unit;
    return csv_columns_resolve(r, path, &llm, &key->cols, err);
}

const struct trace_format_ops trace_llm_ops = {
    .open = llm_open,
    .next = llm_next,
    .next_row = NULL,
    .progress = row_stream_progress,
    .skipped = row_stream_skipped,
    .close = llm_close,
    .sort_begin = llm_sort_begin,
    .sort_key = csv_sort_key,
};
