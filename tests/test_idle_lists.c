/* test_idle_lists.c - every function keeps its own idle instances, whatever the
 * number of functions sharing the platform.
 *
 * The serverless platform keeps one function's idle instances in a list through
 * their records and, under a fixed keep-alive, expires them from that list's tail
 * when there is one function and from a ring over all functions when there are
 * several. The same pattern of requests, given to one function alone or to three
 * functions interleaved in time, must give every function the same cold starts,
 * under every idle pick and keep-alive whose choices do not depend on the other
 * functions (a random pick draws from a stream they share; the evicting policies
 * share a memory capacity). */
#include "helpers.h"

/* One function's requests: (time s, duration s). At 12 s the instance freed at 2 s
 * reaches its 10 s keep-alive, so an arrival at that instant finds it gone. */
static const double pattern[][2] = {
    {0, 5}, {1, 1}, {6, 1}, {12, 1}, {12, 1}, {16, 1}, {16, 1}, {16, 1},
};
#define PATTERN_LEN (sizeof pattern / sizeof pattern[0])

/* A CSV trace of the pattern for n functions (n <= 4), function k shifted by k/4 s,
 * all starting at 1 s; rows in time order. The path is filled in. */
static void write_trace(char *path, unsigned n)
{
    double rows[4 * PATTERN_LEN][3]; /* time, function, duration */
    size_t m = 0;
    for (unsigned k = 0; k < n; k++)
        for (size_t r = 0; r < PATTERN_LEN; r++, m++) {
            rows[m][0] = 1 + pattern[r][0] + k / 4.0;
            rows[m][1] = k;
            rows[m][2] = pattern[r][1];
        }
    /* insertion sort by time, stable: requests at one instant keep their order */
    for (size_t a = 1; a < m; a++)
        for (size_t b = a; b > 0 && rows[b][0] < rows[b - 1][0]; b--)
            for (int c = 0; c < 3; c++) {
                double t = rows[b][c];
                rows[b][c] = rows[b - 1][c];
                rows[b - 1][c] = t;
            }
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text, "time,fn,dur\n");
    for (size_t r = 0; r < m; r++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%.2f,f%.0f,%g\n", rows[r][0],
                                rows[r][1], rows[r][2]);
    cr_assert_lt(len, sizeof text);
    write_temp(path, text);
}

/* Cold starts of each of n functions (out[0..n)) under keep_alive and idle_pick. */
static void cold_starts(unsigned n, const char *keep_alive, const char *pick, uint64_t *out)
{
    char path[] = "/tmp/slsim-lists-XXXXXX";
    write_trace(path, n);
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 40s\n"
             "model: {service: 1s}\n"
             "workload: {arrival: trace, trace: {format: csv, path: %s,"
             " columns: {time: time, function: fn, duration: dur}}}\n"
             "deployments: [{platform: generic, keep_alive: %s, idle_pick: %s,"
             " coldstart: none}]\n",
             path, keep_alive, pick);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    unlink(path);
    cr_assert_eq(r.functions, n);
    cr_assert_eq(r.served, n * PATTERN_LEN);
    uint64_t sum = 0;
    for (unsigned k = 0; k < n; k++)
        sum += out[k] = r.fn_cold_starts[k];
    cr_assert_eq(sum, r.cold_starts);
    result_free(&r);
    scenario_destroy(s);
}

/* The pattern's cold starts alone equal each of three interleaved functions'. */
static uint64_t alone_equals_shared(const char *keep_alive, const char *pick)
{
    uint64_t one, three[3];
    cold_starts(1, keep_alive, pick, &one);
    cold_starts(3, keep_alive, pick, three);
    for (unsigned k = 0; k < 3; k++)
        cr_assert_eq(three[k], one, "keep_alive %s, idle_pick %s: function %u has %llu cold"
                     " starts with two others, %llu alone", keep_alive, pick, k,
                     (unsigned long long)three[k], (unsigned long long)one);
    return one;
}

Test(idle_lists, each_pick_takes_from_its_functions_idle_instances)
{
    /* By hand, 10 s keep-alive. i0 runs 0-5 s, i1 1-2 s (both cold). At 6 s mru
     * takes i0 (freed last), lru and newest i1 (freed first, made last). At 12 s
     * i1 (mru: freed at 2 s) expires as the first request arrives, so mru serves
     * the two with i0 and a cold i2, lru and newest with both. At 16 s two are
     * idle for three requests: one more cold start each. */
    cr_assert_eq(alone_equals_shared("10s", "mru"), 4);
    cr_assert_eq(alone_equals_shared("10s", "lru"), 3);
    cr_assert_eq(alone_equals_shared("10s", "newest"), 3);
}

Test(idle_lists, every_keep_alive_expires_a_functions_instances_alone)
{
    cr_assert_eq(alone_equals_shared("none", "mru"), PATTERN_LEN);
    cr_assert_eq(alone_equals_shared("forever", "mru"), 3);
    cr_assert_eq(alone_equals_shared("forever", "lru"), 3);
    /* A keep-alive of exactly 4 s: the instance freed at 2 s is gone at 6 s. */
    cr_assert_eq(alone_equals_shared("4s", "lru"), 5);
    alone_equals_shared("{policy: hybrid-histogram}", "mru");
    alone_equals_shared("{policy: hybrid-histogram}", "newest");
}
