/* test_share.c - processor sharing in the execution core (core.h, CORE_PERF_SHARED).
 *
 * Under processor sharing with k requests in service each progresses at rate(k); a
 * request of work w finishes when the work it received, the integral of rate(k(t))
 * dt from its start, reaches w. The cases below are worked by hand from that rule. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "../sim/platform/core.h"

struct bench {
    struct event_heap heap;
    struct core core;
    struct occupancy occ;
    struct deployment_result res;
};

/* A core whose instances share at rate[k - 1] = base / k for k = 1..slots: one vCPU
 * split equally (M/M/1-PS's server). */
static void bench_init(struct bench *b, uint32_t slots, double base)
{
    memset(b, 0, sizeof *b);
    heap_init(&b->heap);
    result_init(&b->res);
    struct perf_model m = {.kind = PERF_SHARED, .name = "test", .speed = base, .n_rate = slots};
    m.rate = malloc(slots * sizeof *m.rate);
    for (uint32_t k = 1; k <= slots; k++)
        m.rate[k - 1] = base / k;
    core_init(&b->core, &b->heap, 7, &m, &b->occ, &b->res, 0, SIM_TIME_FOREVER);
    cr_assert_eq(b->core.how, CORE_PERF_SHARED);
}

static void bench_free(struct bench *b)
{
    core_destroy(&b->core);
    heap_destroy(&b->heap);
}

/* Run the heap dry; the completions of each job, in order, into done[] (start of the
 * job's request's arrival as its id) and their times into at[]. */
static size_t drain(struct bench *b, sim_time *id, sim_time *at, size_t max)
{
    size_t n = 0;
    while (b->heap.len) {
        struct event e = heap_pop(&b->heap);
        cr_assert_eq(e.kind, 7);
        if (!core_share_due(&b->core, e.idx, e.t_ns))
            continue;
        struct core_job j;
        while (core_share_pop(&b->core, e.idx, &j)) {
            cr_assert(n < max);
            id[n] = j.r.arrival_ns;
            at[n++] = e.t_ns;
        }
        core_share_reschedule(&b->core, e.idx, e.t_ns);
    }
    return n;
}

Test(share, two_requests_split_one_vcpu_then_the_longer_runs_alone)
{
    /* Work 10 and 20 from t = 0 at rate 1/2 each: the first has its 10 at t = 20; the
     * second then has 10 left alone at rate 1: done at 30. */
    struct bench b;
    bench_init(&b, 4, 1.0);
    core_share_start(&b.core, 0, &(struct request){.arrival_ns = 1, .service_ns = 10}, 0, 0, 0);
    core_share_start(&b.core, 0, &(struct request){.arrival_ns = 2, .service_ns = 20}, 0, 0, 0);
    sim_time id[4], at[4];
    cr_assert_eq(drain(&b, id, at, 4), 2);
    cr_assert_eq(id[0], 1);
    cr_assert_eq(at[0], 20);
    cr_assert_eq(id[1], 2);
    cr_assert_eq(at[1], 30);
    bench_free(&b);
}

Test(share, a_later_arrival_slows_the_request_in_service)
{
    /* Work 100 alone from 0 at rate 1 has 60 left at t = 40 when work 30 joins: both at
     * 1/2, the newcomer's 30 take 60 ns (done at 100, the first has 30 left); the first
     * alone again: done at 130. Without sharing it would have finished at 100. */
    struct bench b;
    bench_init(&b, 4, 1.0);
    core_share_start(&b.core, 3, &(struct request){.arrival_ns = 1, .service_ns = 100}, 0, 0, 0);
    /* the event of the first (due at 100) is superseded by the change at 40 */
    struct event e = heap_top(&b.heap);
    cr_assert_eq(e.t_ns, 100);
    core_share_start(&b.core, 3, &(struct request){.arrival_ns = 2, .service_ns = 30}, 40, 0, 0);
    sim_time id[4], at[4];
    cr_assert_eq(drain(&b, id, at, 4), 2);
    cr_assert_eq(id[0], 2);
    cr_assert_eq(at[0], 100);
    cr_assert_eq(id[1], 1);
    cr_assert_eq(at[1], 130);
    bench_free(&b);
}

Test(share, equal_work_started_together_finishes_together_and_instances_are_apart)
{
    /* Three requests of 10 on instance 0 at rate 1/3: all done at 30, in one event.
     * Instance 5, on its own, serves 7 alone in 7 at twice the base rate: 3.5, up to 4. */
    struct bench b;
    bench_init(&b, 4, 1.0);
    for (int k = 0; k < 3; k++)
        core_share_start(&b.core, 0, &(struct request){.arrival_ns = k, .service_ns = 10}, 0, 0, 0);
    sim_time id[8], at[8];
    cr_assert_eq(drain(&b, id, at, 8), 3);
    for (int k = 0; k < 3; k++)
        cr_assert_eq(at[k], 30);
    bench_free(&b);
    bench_init(&b, 2, 2.0);
    core_share_start(&b.core, 5, &(struct request){.arrival_ns = 9, .service_ns = 7}, 0, 0, 0);
    cr_assert_eq(drain(&b, id, at, 8), 1);
    cr_assert_eq(at[0], 4); /* 7 / 2 = 3.5 ns, rounded up to the ns */
    bench_free(&b);
}

Test(share, a_request_on_a_starting_instance_begins_at_ready)
{
    /* Two requests handed at t = 0 to an instance ready at 50: both begin at 50 and
     * share: work 10 and 10 at 1/2 each, done at 70. */
    struct bench b;
    bench_init(&b, 4, 1.0);
    core_share_start(&b.core, 1, &(struct request){.arrival_ns = 0, .service_ns = 10}, 50, 0, 0);
    core_share_start(&b.core, 1, &(struct request){.arrival_ns = 0, .service_ns = 10}, 50, 0, 0);
    sim_time id[4], at[4];
    cr_assert_eq(drain(&b, id, at, 4), 2);
    cr_assert_eq(at[0], 70);
    cr_assert_eq(at[1], 70);
    bench_free(&b);
}
