/* test_occupancy.c - instance-time and slot-time kept by their changes (occupancy.h):
 * a count n that changes by d_k at t_k has the area n E - sum_k d_k c(t_k) over the
 * measured period [W, E], c clamping to it. Each case is a short history whose areas
 * are worked out by hand as sums of rectangles, clipped to the period, and checked
 * to the nanosecond: before the period, across its start, after its end, and with a
 * timeline whose rows must add up to the totals. */
#include <criterion/criterion.h>

#include "slsim/occupancy.h"
#include "slsim/result.h"

#define S 1000000000LL /* ns */

static struct deployment_result finish(struct occupancy *o)
{
    struct deployment_result r;
    struct slsim_error err;
    result_init(&r);
    r.slots = 1;
    cr_assert_eq(occupancy_finish(o, &r, &err), 0);
    return r;
}

/* Measured period [10 s, 100 s]. One instance: starting at 0 s, ready and busy at 5 s,
 * idle at 20 s, busy at 50 s, idle at 120 s (after the end), retired at 130 s.
 * By rectangles, clipped to [10, 100]:
 *   initializing [0, 5):   0 s inside
 *   busy [5, 20) + [50, 120):  10 + 50 = 60 s
 *   idle [20, 50) + [120, 130): 30 + 0 = 30 s
 *   running (a request executing while busy): the same 60 s. */
Test(occupancy, areas_by_changes_clipped_to_the_period)
{
    struct occupancy o;
    struct slsim_error err;
    cr_assert_eq(occupancy_init(&o, 10 * S, 100 * S, 0, &err), 0);
    occupancy_advance(&o, 0);
    occupancy_add_init(&o, 1);
    occupancy_advance(&o, 5 * S);
    occupancy_add_init(&o, -1);
    occupancy_add_busy(&o, 1);
    occupancy_add_running(&o, 1);
    occupancy_advance(&o, 20 * S);
    occupancy_idle_to_busy(&o, -1);
    occupancy_add_running(&o, -1);
    occupancy_advance(&o, 50 * S);
    occupancy_idle_to_busy(&o, 1);
    occupancy_add_running(&o, 1);
    occupancy_advance(&o, 120 * S);
    occupancy_idle_to_busy(&o, -1);
    occupancy_add_running(&o, -1);
    occupancy_advance(&o, 130 * S);
    occupancy_add_idle(&o, -1);
    struct deployment_result r = finish(&o);
    cr_assert_eq(r.init_instance_s, 0.0);
    cr_assert_eq(r.busy_instance_s, 60.0, "busy %.9f s, want 60", r.busy_instance_s);
    cr_assert_eq(r.idle_instance_s, 30.0, "idle %.9f s, want 30", r.idle_instance_s);
    cr_assert_eq(r.running_s, 60.0);
    cr_assert_eq(r.instance_s, 90.0);
    cr_assert_eq(r.instances_peak, 1);
    result_free(&r);
    occupancy_free(&o);
}

/* Instances still alive at the end count up to it; a change by more than one at a
 * time (several requests on a starting instance at once); the clock moved back
 * changes nothing; the peak is the platform's to note. Period [0, 10 s]:
 *   3 starting at 1 s, ready at 4 s: init 3 x 3 = 9 s
 *   then 2 busy, 1 idle until the end: busy 2 x 6 = 12 s, idle 1 x 6 = 6 s
 *   4 requests running from 4 s: 4 x 6 = 24 s. */
Test(occupancy, open_at_the_end_and_changes_by_several)
{
    struct occupancy o;
    struct slsim_error err;
    cr_assert_eq(occupancy_init(&o, 0, 10 * S, 0, &err), 0);
    occupancy_advance(&o, 1 * S);
    occupancy_add_init(&o, 3);
    occupancy_note_peak(&o, 1 * S); /* the platform's part */
    occupancy_advance(&o, 4 * S);
    occupancy_advance(&o, 3 * S); /* behind the clock: ignored */
    occupancy_add_init(&o, -3);
    occupancy_add_busy(&o, 2);
    occupancy_add_idle(&o, 1);
    occupancy_add_running(&o, 4);
    struct deployment_result r = finish(&o);
    cr_assert_eq(r.init_instance_s, 9.0);
    cr_assert_eq(r.busy_instance_s, 12.0);
    cr_assert_eq(r.idle_instance_s, 6.0);
    cr_assert_eq(r.running_s, 24.0);
    cr_assert_eq(r.instances_peak, 3);
    result_free(&r);
    occupancy_free(&o);
}

/* With a timeline of 10 s rows over [0, 30 s]: one instance busy [5, 25), idle
 * after. Rows: busy 5, 10, 5 s (0.5, 1, 0.5 of a row); idle 0, 0, 5 s. The totals
 * agree with the rows. */
Test(occupancy, timeline_rows_add_up_to_the_totals)
{
    struct occupancy o;
    struct slsim_error err;
    cr_assert_eq(occupancy_init(&o, 0, 30 * S, 10 * S, &err), 0);
    occupancy_advance(&o, 5 * S);
    occupancy_add_busy(&o, 1);
    occupancy_advance(&o, 25 * S);
    occupancy_idle_to_busy(&o, -1);
    struct deployment_result r = finish(&o);
    cr_assert_eq(r.n_timeline, 3);
    double busy[] = {0.5, 1.0, 0.5}, idle[] = {0, 0, 0.5};
    for (size_t k = 0; k < 3; k++) {
        cr_assert_eq(r.timeline[k].busy, busy[k], "row %zu busy %.3f", k, r.timeline[k].busy);
        cr_assert_eq(r.timeline[k].idle, idle[k], "row %zu idle %.3f", k, r.timeline[k].idle);
    }
    cr_assert_eq(r.busy_instance_s, 20.0);
    cr_assert_eq(r.idle_instance_s, 5.0);
    result_free(&r);
    occupancy_free(&o);
}
