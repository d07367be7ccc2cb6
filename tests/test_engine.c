/* test_engine.c - the event heap and the random streams. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "slsim/engine.h"

Test(engine, heap_pops_in_time_order)
{
    struct event_heap h;
    heap_init(&h);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    for (uint32_t i = 0; i < 100000; i++)
        cr_assert_eq(heap_push(&h, (sim_time)gsl_rng_uniform_int(r, 1000000), 0, i), 0);
    sim_time last = -1;
    while (h.len) {
        struct event e = heap_pop(&h);
        cr_assert_geq(e.t_ns, last);
        last = e.t_ns;
    }
    gsl_rng_free(r);
    heap_destroy(&h);
}

Test(engine, heap_breaks_ties_in_insertion_order)
{
    struct event_heap h;
    heap_init(&h);
    /* Many events at three instants, pushed interleaved: within an instant they
     * must come out in the order they went in. */
    for (uint32_t i = 0; i < 3000; i++)
        heap_push(&h, (sim_time)(i % 3) * 10, 0, i);
    uint32_t last_idx[3] = {0, 0, 0};
    int seen[3] = {0, 0, 0};
    sim_time last_t = -1;
    while (h.len) {
        struct event e = heap_pop(&h);
        cr_assert_geq(e.t_ns, last_t);
        int k = (int)(e.t_ns / 10);
        if (seen[k])
            cr_assert_gt(e.idx, last_idx[k], "tie broken out of insertion order");
        seen[k] = 1;
        last_idx[k] = e.idx;
        last_t = e.t_ns;
    }
    heap_destroy(&h);
}

/* The heap against a plain model of its contract: events come out by (time,
 * insertion order). Times are drawn from a small range so that ties are common,
 * pushes and pops interleave, and the model is a list scanned for its least
 * (time, push number). */
Test(engine, heap_matches_a_model_of_time_then_insertion_order)
{
    enum { OPS = 20000 };
    struct event_heap h;
    heap_init(&h);
    struct {
        sim_time t;
        uint32_t n;
    } *model = malloc(OPS * sizeof *model);
    size_t len = 0;
    uint32_t pushed = 0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    for (int op = 0; op < OPS; op++) {
        if (len == 0 || gsl_rng_uniform(r) < 0.55) {
            sim_time t = (sim_time)gsl_rng_uniform_int(r, 50) - 5; /* some negative */
            cr_assert_eq(heap_push(&h, t, pushed % EVENT_KINDS, pushed), 0);
            model[len].t = t;
            model[len].n = pushed++;
            len++;
        } else {
            size_t m = 0;
            for (size_t k = 1; k < len; k++)
                if (model[k].t < model[m].t || (model[k].t == model[m].t && model[k].n < model[m].n))
                    m = k;
            cr_assert_eq(heap_top_time(&h), model[m].t);
            struct event e = heap_pop(&h);
            cr_assert_eq(e.t_ns, model[m].t);
            cr_assert_eq(e.idx, model[m].n, "popped push %u, want push %u", e.idx, model[m].n);
            cr_assert_eq(e.kind, model[m].n % EVENT_KINDS);
            model[m] = model[--len];
        }
        cr_assert_eq(h.len, len);
    }
    gsl_rng_free(r);
    free(model);
    heap_destroy(&h);
}

/* Sequence numbers are 32 bits of the key: when they run out the held events are
 * renumbered in their order, and ties keep insertion order across the wrap. */
Test(engine, heap_keeps_insertion_order_across_sequence_wrap)
{
    struct event_heap h;
    heap_init(&h);
    h.next_seq = EVENT_SEQ_LIMIT - 7;
    for (uint32_t i = 0; i < 40; i++) {
        cr_assert_eq(heap_push(&h, (sim_time)(i % 2) * 100, 3, i), 0);
        if (i % 5 == 4) { /* pops in between, as a run does */
            struct event e = heap_pop(&h);
            cr_assert_eq(e.t_ns, 0);
        }
    }
    cr_assert_lt(h.next_seq, 64, "no renumbering happened");
    uint32_t last[2] = {0, 0};
    int seen[2] = {0, 0};
    sim_time last_t = -1;
    while (h.len) {
        struct event e = heap_pop(&h);
        cr_assert_geq(e.t_ns, last_t);
        int k = e.t_ns == 100;
        if (seen[k])
            cr_assert_gt(e.idx, last[k], "tie out of insertion order after the wrap");
        seen[k] = 1;
        last[k] = e.idx;
        last_t = e.t_ns;
        cr_assert_eq(e.kind, 3);
    }
    heap_destroy(&h);
}

Test(engine, heap_carries_every_kind_and_index_that_fit_and_refuses_the_rest)
{
    struct event_heap h;
    heap_init(&h);
    cr_assert_eq(heap_push(&h, SIM_TIME_FOREVER, EVENT_KINDS - 1, EVENT_MAX_INDEX), 0);
    cr_assert_eq(heap_push(&h, INT64_MIN, 0, 0), 0);
    cr_assert_eq(heap_push(&h, 1, EVENT_KINDS, 0), -1);
    cr_assert_eq(heap_push(&h, 1, 0, EVENT_MAX_INDEX + 1), -1);
    cr_assert_eq(h.len, 2);
    struct event e = heap_pop(&h);
    cr_assert_eq(e.t_ns, INT64_MIN);
    e = heap_pop(&h);
    cr_assert_eq(e.t_ns, SIM_TIME_FOREVER);
    cr_assert_eq(e.kind, EVENT_KINDS - 1);
    cr_assert_eq(e.idx, EVENT_MAX_INDEX);
    /* Four children of a node share a cache line. */
    cr_assert_eq(heap_reserve(&h, 1000), 0);
    cr_assert_eq((uintptr_t)&h.ev[1] % 64, 0);
    heap_destroy(&h);
}

Test(engine, heap_top_time_of_empty_heap_is_forever)
{
    struct event_heap h;
    heap_init(&h);
    cr_assert_eq(heap_top_time(&h), SIM_TIME_FOREVER);
    heap_push(&h, 5, 1, 2);
    cr_assert_eq(heap_top_time(&h), 5);
    struct event e = heap_pop(&h);
    cr_assert_eq(e.kind, 1);
    cr_assert_eq(e.idx, 2);
    cr_assert_eq(heap_top_time(&h), SIM_TIME_FOREVER);
    heap_destroy(&h);
}

Test(engine, rng_streams_reproduce_and_differ_by_purpose_seed_and_replication)
{
    gsl_rng *a = rng_stream_create(42, 0, RNG_ARRIVALS);
    gsl_rng *b = rng_stream_create(42, 0, RNG_ARRIVALS);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
    unsigned long base = rng_stream_seed(42, 0, RNG_ARRIVALS);
    cr_assert_neq(base, rng_stream_seed(42, 0, RNG_SERVICE));
    cr_assert_neq(base, rng_stream_seed(42, 0, RNG_COLDSTART));
    cr_assert_neq(base, rng_stream_seed(43, 0, RNG_ARRIVALS));
    cr_assert_neq(base, rng_stream_seed(42, 1, RNG_ARRIVALS));
}

/* The inline taus2 step (rng_uniform) is GSL's: the same numbers from the same
 * state, for streams of several seeds, and a generator of another type still goes
 * through GSL. */
Test(engine, inline_uniform_draws_what_gsl_draws)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        gsl_rng *a = rng_stream_create(seed, (uint32_t)seed, RNG_SERVICE);
        gsl_rng *b = gsl_rng_clone(a);
        for (int i = 0; i < 200000; i++) {
            double x = i % 3 ? rng_uniform(a) : rng_uniform_pos(a);
            double y = i % 3 ? gsl_rng_uniform(b) : gsl_rng_uniform_pos(b);
            cr_assert_eq(x, y, "draw %d of seed %llu: %.17g, GSL %.17g", i,
                         (unsigned long long)seed, x, y);
        }
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
    gsl_rng *m = gsl_rng_alloc(gsl_rng_mt19937), *n = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rng_uniform(m), gsl_rng_uniform(n));
    gsl_rng_free(m);
    gsl_rng_free(n);
}
