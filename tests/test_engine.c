/* test_engine.c - the event heap and the random streams. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>

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
