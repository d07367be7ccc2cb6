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

/* A row of a trace in microseconds. */
struct row {
    int64_t t_us;
    unsigned fn;
};

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    return (x->t_us > y->t_us) - (x->t_us < y->t_us);
}

/* n functions (n <= 350), function k called every 250 ms from k x 0.7 ms until
 * 10 + k mod 30 s (100 ms each), then once more exactly when the 10 s keep-alive of
 * its one instance ends, while the others go on. */
static struct deployment_result many_functions(unsigned n, const char *pick)
{
    struct row *rows = malloc((size_t)n * 162 * sizeof *rows);
    cr_assert(rows);
    size_t m = 0;
    for (unsigned k = 0; k < n; k++) {
        int64_t t = 0, last = 4 * (10 + k % 30);
        for (int64_t j = 0; j <= last; j++)
            rows[m++] = (struct row){t = k * 700 + j * 250000, k};
        rows[m++] = (struct row){t + 100000 + 10000000, k};
    }
    qsort(rows, m, sizeof *rows, row_cmp);
    size_t cap = m * 32 + 64, len = 0;
    char *text = malloc(cap);
    cr_assert(text);
    len += (size_t)snprintf(text, cap, "time,fn,dur\n");
    for (size_t r = 0; r < m; r++)
        len += (size_t)snprintf(text + len, cap - len, "%lld,f%u,100000\n",
                                (long long)rows[r].t_us, rows[r].fn);
    cr_assert_lt(len, cap);
    free(rows);
    char path[] = "/tmp/slsim-lists-XXXXXX";
    write_temp(path, text);
    free(text);
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 70s\n"
             "model: {service: 1s}\n"
             "workload: {arrival: trace, trace: {format: csv, path: %s, time_unit: us,"
             " duration_unit: 1us, columns: {time: time, function: fn, duration: dur}}}\n"
             "deployments: [{platform: generic, keep_alive: 10s, idle_pick: %s,"
             " coldstart: none}]\n",
             path, pick);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    unlink(path);
    scenario_destroy(s);
    return r;
}

Test(idle_lists, the_expiry_ring_keeps_every_live_instance_through_its_sweeps)
{
    /* Four times a second each function's one instance is taken from the middle of
     * the ring, leaving a stale entry: about 12,000 entries for 10 s of keep-alive
     * against a few hundred idle instances, so the ring is swept many times while
     * the instances of the functions that stopped wait for their expiry. Each must
     * expire exactly when its keep-alive ends: two cold starts per function, the
     * first call and the last. */
    const char *picks[] = {"mru", "lru", "newest", "random"};
    for (size_t q = 0; q < sizeof picks / sizeof picks[0]; q++) {
        struct deployment_result r = many_functions(300, picks[q]);
        cr_assert_eq(r.functions, 300);
        for (unsigned k = 0; k < 300; k++)
            cr_assert_eq(r.fn_cold_starts[k], 2, "idle_pick %s: function %u has %llu cold starts",
                         picks[q], k, (unsigned long long)r.fn_cold_starts[k]);
        result_free(&r);
    }
}
