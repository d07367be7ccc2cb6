/* llm_engine.c - an LLM instance's iteration-level scheduler, with vLLM's semantics.
 *
 * A sequence is a request in the engine: its tokens (prompt + output generated so
 * far), how many of them have their KV cache computed, and the KV blocks it holds.
 * Each iteration, planned when the previous one ends, takes the token budget
 * (max_num_batched_tokens) as vLLM V1's scheduler does (vllm/v1/core/sched/
 * scheduler.py, FCFS):
 *
 *  1. running sequences first, in the order they were admitted: each gets the tokens
 *     it still needs (a decode: 1; a prompt: its next chunk), up to what is left of the
 *     budget, and the KV blocks those tokens need; when a block cannot be had, the
 *     most recently admitted running sequence is preempted (its blocks freed, it goes
 *     back to the front of the waiting queue and is later recomputed: prompt and the
 *     output so far prefilled again), until the blocks are there or the sequence
 *     itself was the one preempted;
 *  2. then, if nothing was preempted, waiting requests in order while the budget lasts
 *     and fewer than max_num_seqs run: each its prompt's first chunk (the whole of what
 *     is left of the budget at most), if the blocks are free.
 *
 * With enable_chunked_prefill off (vLLM V0's scheduler) an iteration is all prefills
 * or all decodes: waiting prompts are admitted whole while they fit the budget and
 * the free blocks, and only when none is admitted do the running sequences decode
 * (preempting as above). V0's free-block watermark (1% of the blocks) is not
 * modelled.
 *
 * When an iteration ends, every sequence whose computed tokens caught up with its
 * tokens has a new token: the first (time to first token, from its arrival), or the
 * next (an inter-token gap); one with all its output is finished, frees its blocks
 * and goes back to the platform. Prefix caching is off: the traces carry no prompt
 * contents to share. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "llm_engine.h"

struct llm_seq {
    struct request r;
    sim_time start_ns;   /* when the platform gave it its slot */
    sim_time cold_ns;    /* the platform's: the cold start its arrival caused */
    sim_time first_ns;   /* its first output token */
    sim_time last_ns;    /* its latest output token */
    uint32_t flags;      /* the platform's */
    uint32_t prompt;     /* prompt tokens, >= 1 */
    uint32_t output;     /* output tokens to generate, >= 1 */
    uint32_t tokens;     /* prompt + output generated so far */
    uint32_t computed;   /* tokens whose KV is computed */
    uint32_t generated;  /* output tokens generated */
    uint32_t blocks;     /* KV blocks held */
    uint32_t sched;      /* tokens scheduled in the iteration under way */
    uint32_t next_free;  /* the pool's free list */
};

enum { PENDING_NONE, PENDING_START, PENDING_ITERATION };

struct llm_inst {
    uint32_t *running;      /* sequences admitted, oldest first */
    uint32_t n_running, cap_running;
    struct llm_ids waiting; /* FIFO; preempted ones at the front */
    uint32_t *batch;        /* sequences in the iteration under way */
    uint32_t n_batch, cap_batch;
    uint32_t *done;         /* finished at the last iteration's end, popped in order */
    uint32_t n_done, cap_done, done_at;
    uint64_t free_blocks;
    sim_time due_ns;        /* the pending event; SIM_TIME_FOREVER: none */
    /* the iteration under way: when it began, what it computes, what it counted */
    sim_time begin_ns;
    sim_time d_ns;          /* its time, as launched */
    uint64_t tokens;
    double pairs, kv;
    uint32_t budget;        /* tokens left of max_num_batched_tokens */
    uint8_t open;           /* its admissions stopped only because no request waited */
    uint8_t pending;        /* PENDING_*: what the pending event is */
    uint8_t between;        /* between llm_engine_due and llm_engine_reschedule */
};

struct llm_engine {
    const struct llm_perf *perf;
    struct event_heap *heap;
    uint32_t kind;
    struct occupancy *occ;
    struct llm_stats *st;
    sim_time warmup_ns, end_ns;
    struct llm_seq *seq;    /* the pool */
    uint32_t n_seq, cap_seq, free_seq;
    struct llm_inst *inst;
    uint32_t n_inst;
};

#define NO_SEQ UINT32_MAX

struct llm_engine *llm_engine_create(const struct llm_perf *perf, struct event_heap *heap,
                                     uint32_t kind, struct occupancy *occ,
                                     struct deployment_result *res, sim_time warmup_ns,
                                     sim_time end_ns)
{
    struct llm_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    *e = (struct llm_engine){.perf = perf, .heap = heap, .kind = kind, .occ = occ,
                             .st = res->llm, .warmup_ns = warmup_ns, .end_ns = end_ns,
                             .free_seq = NO_SEQ};
    if (e->st) {
        /* an instance's cache: each of its engines (data_parallel_size) holds kv_blocks */
        e->st->kv_blocks = perf->kv_blocks * (perf->dp ? perf->dp : 1);
        e->st->tp = perf->tp ? perf->tp : 1;
        e->st->dp = perf->dp ? perf->dp : 1;
        e->st->block_size = perf->block_size;
        e->st->max_num_seqs = perf->max_num_seqs;
        e->st->max_num_batched_tokens = perf->max_num_batched_tokens;
        e->st->chunked_prefill = perf->chunked_prefill;
    }
    return e;
}

void llm_engine_destroy(struct llm_engine *e)
{
    if (!e)
        return;
    for (uint32_t i = 0; i < e->n_inst; i++) {
        struct llm_inst *in = &e->inst[i];
        free(in->running);
        free(in->batch);
        free(in->done);
        llm_ids_free(&in->waiting);
    }
    free(e->inst);
    free(e->seq);
    free(e);
}

/* Instance index's state, made on first use; NULL when out of memory. */
static struct llm_inst *inst_of(struct llm_engine *e, uint32_t index)
{
    if (index >= e->n_inst) {
        uint32_t cap = e->n_inst;
        while (cap <= index)
            if (vec_grow32((void **)&e->inst, &cap, sizeof *e->inst, 16) != 0)
                return NULL;
        for (uint32_t k = e->n_inst; k < cap; k++)
            e->inst[k] = (struct llm_inst){.free_blocks = e->perf->kv_blocks,
                                           .due_ns = SIM_TIME_FOREVER};
        e->n_inst = cap;
    }
    return &e->inst[index];
}

/* Append id to a growable array of ids: 0, or -1 when out of memory. */
static int ids_push(uint32_t **a, uint32_t *n, uint32_t *cap, uint32_t id)
{
    if (*n == *cap && vec_grow32((void **)a, cap, sizeof **a, 16) != 0)
        return -1;
    (*a)[(*n)++] = id;
    return 0;
}

/* Put id at the front of the waiting queue (a preempted sequence goes first). */
static int waiting_push_front(struct llm_ids *q, uint32_t id)
{
    if (q->len == (q->e ? q->mask + 1 : 0) && llm_ids_grow(q) != 0)
        return -1;
    q->head = (q->head - 1) & q->mask;
    q->e[q->head] = id;
    q->len++;
    return 0;
}

static inline uint32_t prompt_of(const struct request *r)
{
    return r->prompt_tokens ? r->prompt_tokens : 1;
}

/* A request asks for at least one output token (vLLM's max_tokens >= 1). */
static inline uint32_t output_of(const struct request *r)
{
    return r->output_tokens ? r->output_tokens : 1;
}

int llm_engine_refuse(struct llm_engine *e, const struct request *r)
{
    /* Only the context can refuse: llm_perf_build made the cache hold one full context
     * and, with chunked prefill off, the token budget at least the context. */
    uint64_t p = prompt_of(r), o = output_of(r);
    int never = p + o > e->perf->context;
    if (never && e->st && r->arrival_ns >= e->warmup_ns)
        e->st->rejected++;
    return never;
}

static int join_at_start(struct llm_engine *e, uint32_t index, struct llm_inst *in);

uint64_t llm_engine_blocks_used(const struct llm_engine *e, uint32_t index)
{
    return index < e->n_inst ? e->perf->kv_blocks - e->inst[index].free_blocks : 0;
}

/* The engines of instance `machine`: sub-indexes machine x dp .. + dp - 1. */
static inline uint32_t engines_of(const struct llm_engine *e)
{
    return e->perf->dp ? e->perf->dp : 1;
}

uint64_t llm_engine_machine_blocks(const struct llm_engine *e, uint32_t machine)
{
    uint64_t used = 0;
    for (uint32_t k = 0, dp = engines_of(e); k < dp; k++)
        used += llm_engine_blocks_used(e, machine * dp + k);
    return used;
}

uint32_t llm_engine_owner(const struct llm_engine *e, uint32_t index)
{
    return index / engines_of(e);
}

uint32_t llm_engine_waiting(const struct llm_engine *e, uint32_t machine)
{
    uint32_t n = 0;
    for (uint32_t k = 0, dp = engines_of(e); k < dp; k++) {
        uint32_t i = machine * dp + k;
        n += i < e->n_inst ? e->inst[i].waiting.len : 0;
    }
    return n;
}

int llm_engine_add(struct llm_engine *e, uint32_t machine, const struct request *r,
                   sim_time start_ns, sim_time cold_ns, uint32_t flags)
{
    /* the machine's engine with the fewest requests (then the first), as vLLM's data
     * parallel front end balances its engines */
    uint32_t dp = engines_of(e), index = machine * dp;
    struct llm_inst *in = inst_of(e, index + dp - 1);
    if (!in)
        return -1;
    for (uint32_t k = 1; k < dp; k++) {
        const struct llm_inst *a = &e->inst[machine * dp + k], *b = &e->inst[index];
        if (a->n_running + a->waiting.len < b->n_running + b->waiting.len)
            index = machine * dp + k;
    }
    in = &e->inst[index];
    uint32_t id = e->free_seq;
    if (id == NO_SEQ) {
        if (e->n_seq == e->cap_seq &&
            vec_grow32((void **)&e->seq, &e->cap_seq, sizeof *e->seq, 64) != 0)
            return -1;
        id = e->n_seq++;
    } else {
        e->free_seq = e->seq[id].next_free;
    }
    uint32_t p = prompt_of(r);
    e->seq[id] = (struct llm_seq){.r = *r, .start_ns = start_ns, .cold_ns = cold_ns,
                                  .flags = flags, .prompt = p, .output = output_of(r),
                                  .tokens = p, .next_free = NO_SEQ};
    if (llm_ids_push(&in->waiting, id) != 0)
        return -1;
    if (in->pending == PENDING_ITERATION && in->open && in->begin_ns == start_ns)
        return join_at_start(e, index, in);
    if (in->pending == PENDING_NONE && !in->between) {
        /* an idle engine starts its first iteration when the request may start; others
         * arriving by then join it */
        in->pending = PENDING_START;
        in->due_ns = start_ns;
        if (heap_push(e->heap, start_ns, e->kind, index) != 0)
            return -1;
    }
    return 0;
}

static inline uint64_t blocks_for(const struct llm_perf *l, uint64_t tokens)
{
    return (tokens + l->block_size - 1) / l->block_size;
}

/* Sequence id computes n more tokens in in's iteration, its blocks already had. */
static int schedule(struct llm_engine *e, struct llm_inst *in, uint32_t id, uint32_t n)
{
    struct llm_seq *s = &e->seq[id];
    s->sched = n;
    in->tokens += n;
    in->pairs += (double)n * s->computed + (double)n * (n + 1) / 2.0;
    in->kv += (double)s->computed + n;
    in->budget -= n;
    return ids_push(&in->batch, &in->n_batch, &in->cap_batch, id);
}

/* Take the blocks id needs to hold `upto` tokens, if free: 1, else 0. */
static int take_blocks(struct llm_engine *e, struct llm_inst *in, uint32_t id, uint64_t upto)
{
    struct llm_seq *s = &e->seq[id];
    uint64_t want = blocks_for(e->perf, upto);
    if (want <= s->blocks)
        return 1;
    if (want - s->blocks > in->free_blocks)
        return 0;
    in->free_blocks -= want - s->blocks;
    s->blocks = (uint32_t)want;
    return 1;
}

/* Preempt the most recently admitted running sequence at now: its blocks go back and
 * it waits, first in line, to be recomputed. Its id, or NO_SEQ on out of memory. */
static uint32_t preempt_last(struct llm_engine *e, struct llm_inst *in, sim_time now)
{
    uint32_t id = in->running[--in->n_running];
    struct llm_seq *s = &e->seq[id];
    in->free_blocks += s->blocks;
    if (e->st && now >= e->warmup_ns && now < e->end_ns) {
        e->st->preemptions++;
        e->st->recomputed_tokens += s->computed;
    }
    s->blocks = 0;
    s->computed = 0;
    if (waiting_push_front(&in->waiting, id) != 0)
        return NO_SEQ;
    return id;
}

/* Running sequences, oldest first, each its next tokens (at most `cap` each, 0: no cap),
 * preempting from the back for blocks. 1 when something was preempted; -1 on out of
 * memory. */
static int schedule_running(struct llm_engine *e, struct llm_inst *in, uint32_t cap,
                            sim_time now)
{
    int preempted = 0;
    for (uint32_t k = 0; k < in->n_running && in->budget > 0; k++) {
        uint32_t id = in->running[k];
        struct llm_seq *s = &e->seq[id];
        uint32_t n = s->tokens - s->computed;
        if (cap && n > cap)
            n = cap;
        if (n > in->budget)
            n = in->budget;
        int self = 0;
        while (!take_blocks(e, in, id, (uint64_t)s->computed + n)) {
            uint32_t victim = preempt_last(e, in, now);
            if (victim == NO_SEQ)
                return -1;
            preempted = 1;
            if (victim == id) {
                self = 1;
                break;
            }
            s = &e->seq[id];
        }
        if (self)
            break;
        if (schedule(e, in, id, n) != 0)
            return -1;
    }
    return preempted;
}

/* Waiting requests, in order, while the budget, max_num_seqs and the free blocks
 * allow: each its first chunk (whole: only if it fits the budget). The number
 * admitted, or -1 on out of memory; in->open says whether admissions stopped only
 * because no request was left waiting. */
static int admit_waiting(struct llm_engine *e, struct llm_inst *in, int whole)
{
    int admitted = 0;
    while (in->waiting.len && in->budget > 0 && in->n_running < e->perf->max_num_seqs) {
        uint32_t id = *llm_ids_front(&in->waiting);
        struct llm_seq *s = &e->seq[id];
        uint32_t n = s->tokens - s->computed;
        if (n > in->budget) {
            if (whole)
                break;
            n = in->budget;
        }
        if (!take_blocks(e, in, id, (uint64_t)s->computed + n))
            break;
        llm_ids_pop_front(&in->waiting);
        if (ids_push(&in->running, &in->n_running, &in->cap_running, id) != 0 ||
            schedule(e, in, id, n) != 0)
            return -1;
        admitted++;
    }
    in->open = in->waiting.len == 0;
    return admitted;
}

/* in's iteration (planned, begun at in->begin_ns) in the statistics and the timeline
 * with weight sign (+1 counts it, -1 takes it back before it is planned again). */
static void account(struct llm_engine *e, struct llm_inst *in, sim_time d, double sign)
{
    sim_time now = in->begin_ns, done = sim_time_add(now, d);
    if (e->st && now >= e->warmup_ns && now < e->end_ns) {
        struct llm_stats *st = e->st;
        double s = sign * (double)((done < e->end_ns ? done : e->end_ns) - now) / 1e9;
        st->iterations += sign > 0 ? 1 : -1;
        st->iteration_s += s;
        st->seq_iteration_s += (double)in->n_batch * s;
        st->kv_block_s += (double)(e->perf->kv_blocks - in->free_blocks) * s;
    }
    if (e->occ->tl) {
        struct occupancy_row *row = occupancy_row(e->occ, now);
        if (row)
            row->llm_seq_s += sign * (double)in->n_batch * (double)d / 1e9;
    }
}

/* Start (or start again) in's iteration of instance index: its time from what it
 * computes, its end as the pending event. 0, or -1 on out of memory. */
static int launch(struct llm_engine *e, uint32_t index, struct llm_inst *in)
{
    sim_time d = (sim_time)ceil(llm_iteration_ns(e->perf, in->tokens, in->pairs, in->kv));
    sim_time done = sim_time_add(in->begin_ns, d);
    in->pending = PENDING_ITERATION;
    in->d_ns = d;
    account(e, in, d, +1.0);
    if (done == in->due_ns)
        return 0;
    in->due_ns = done;
    return heap_push(e->heap, done, e->kind, index);
}

/* Plan and start instance index's next iteration at now. 0, or -1 on out of memory. */
static int iterate(struct llm_engine *e, uint32_t index, struct llm_inst *in, sim_time now)
{
    const struct llm_perf *l = e->perf;
    in->n_batch = 0;
    in->tokens = 0;
    in->pairs = in->kv = 0;
    in->budget = l->max_num_batched_tokens;
    in->begin_ns = now;
    in->open = 0;
    if (l->chunked_prefill) {
        int pre = schedule_running(e, in, 0, now);
        if (pre < 0)
            return -1;
        if (!pre && admit_waiting(e, in, 0) < 0)
            return -1;
    } else {
        int admitted = admit_waiting(e, in, 1);
        if (admitted < 0)
            return -1;
        /* a decode iteration: an arrival at this instant would have made it a prefill
         * one, so none joins it */
        if (!admitted) {
            in->open = 0;
            if (schedule_running(e, in, 1, now) < 0)
                return -1;
        }
    }
    if (!in->n_batch) /* nothing can run: cannot happen while a sequence fits the cache */
        return 0;
    return launch(e, index, in);
}

/* A request added at the instant in's iteration began joins it when the scheduler
 * would have admitted it had it been waiting then (its admissions stopped only for
 * want of requests): the engine sees every request of that instant, whichever of the
 * simulator's events came first. 0, or -1 on out of memory. */
static int join_at_start(struct llm_engine *e, uint32_t index, struct llm_inst *in)
{
    account(e, in, in->d_ns, -1.0);
    if (admit_waiting(e, in, !e->perf->chunked_prefill) < 0)
        return -1;
    return launch(e, index, in);
}

/* The iteration of instance in ended at now: each scheduled sequence's tokens are
 * computed; those caught up have a new token; the finished go to done. */
static int iteration_end(struct llm_engine *e, struct llm_inst *in, sim_time now)
{
    struct llm_stats *st = e->st;
    int finished = 0;
    for (uint32_t k = 0; k < in->n_batch; k++) {
        uint32_t id = in->batch[k];
        struct llm_seq *s = &e->seq[id];
        s->computed += s->sched;
        s->sched = 0;
        if (s->computed < s->tokens)
            continue; /* a prompt's chunk: no token yet */
        int measured = st && s->r.arrival_ns >= e->warmup_ns;
        s->generated++;
        if (s->generated == 1) {
            s->first_ns = now;
            if (measured)
                histogram_record(&st->ttft, now - s->r.arrival_ns);
        } else if (measured) {
            histogram_record(&st->itl, now - s->last_ns);
        }
        s->last_ns = now;
        if (s->generated < s->output) {
            s->tokens++;
            continue;
        }
        in->free_blocks += s->blocks;
        s->blocks = 0;
        finished = 1;
        if (measured) {
            if (s->output >= 2)
                histogram_record(&st->tpot, (now - s->first_ns) / (sim_time)(s->output - 1));
            st->prompt_tokens += s->prompt;
            st->output_tokens += s->output;
        }
        if (ids_push(&in->done, &in->n_done, &in->cap_done, id) != 0)
            return -1;
    }
    in->n_batch = 0;
    if (finished) { /* keep the running order, without the finished */
        uint32_t w = 0;
        for (uint32_t k = 0; k < in->n_running; k++) {
            const struct llm_seq *s = &e->seq[in->running[k]];
            if (s->generated < s->output)
                in->running[w++] = in->running[k];
        }
        in->n_running = w;
    }
    return 0;
}

int llm_engine_due(struct llm_engine *e, uint32_t index, sim_time now)
{
    if (index >= e->n_inst)
        return 0;
    struct llm_inst *in = &e->inst[index];
    if (in->pending == PENDING_NONE || in->due_ns != now)
        return 0;
    int ended = in->pending == PENDING_ITERATION;
    in->pending = PENDING_NONE;
    in->due_ns = SIM_TIME_FOREVER;
    in->between = 1;
    in->n_done = in->done_at = 0;
    if (ended && iteration_end(e, in, now) != 0)
        return -1;
    return 1;
}

int llm_engine_pop(struct llm_engine *e, uint32_t index, struct core_job *job)
{
    struct llm_inst *in = &e->inst[index];
    if (in->done_at == in->n_done)
        return 0;
    uint32_t id = in->done[in->done_at++];
    struct llm_seq *s = &e->seq[id];
    *job = (struct core_job){.r = s->r, .start_ns = s->start_ns, .cold_ns = s->cold_ns,
                             .flags = s->flags};
    s->next_free = e->free_seq;
    e->free_seq = id;
    return 1;
}

int llm_engine_reschedule(struct llm_engine *e, uint32_t index, sim_time now)
{
    struct llm_inst *in = &e->inst[index];
    in->between = 0;
    in->n_done = in->done_at = 0;
    if (in->pending != PENDING_NONE || !(in->n_running || in->waiting.len))
        return 0;
    return iterate(e, index, in, now);
}
