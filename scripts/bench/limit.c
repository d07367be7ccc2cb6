/* limit.c - the least work a serverless discrete-event simulator must do per request.
 *
 * One function, Poisson arrivals, exponential warm/cold service times, unbounded
 * concurrency, fixed keep-alive; a warm request takes the most recently freed
 * instance (MRU). Completions live in a binary heap of times. Nothing else: no
 * metrics, no billing, no configuration. Its throughput is the yardstick that the
 * simulator's own throughput is measured against, as a ratio, in one run.
 *
 *   cc -O2 -o limit limit.c -lm
 *   ./limit REQUESTS RATE WARM_MEAN_S COLD_MEAN_S KEEP_ALIVE_S
 *   ./limit 20000000 100 1.991 2.244 600
 *
 * Prints one line: requests, cold-start ratio, wall seconds, requests per second.
 *
 * This is the common yardstick simulators of this model are measured against, kept
 * here unchanged but for this paragraph so that `make bench` needs nothing outside
 * the repository and its slsim/limit ratio stays comparable with other simulators'.
 * scripts/bench/reference.c is slsim's own minimal loop of exactly the probe's model
 * (a constant cold start before the warm service); this one draws a cold request's
 * service as one exponential of mean cold start + warm mean. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rng_state = 88172645463325252ull;

static double uniform_pos(void) /* xorshift64, (0,1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return ((rng_state >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double *heap;
static size_t heap_len;

static void heap_push(double v)
{
    size_t i = heap_len++;
    while (i) {
        size_t p = (i - 1) / 2;
        if (heap[p] <= v)
            break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = v;
}

static double heap_pop(void)
{
    double top = heap[0], v = heap[--heap_len];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= heap_len)
            break;
        if (c + 1 < heap_len && heap[c + 1] < heap[c])
            c++;
        if (heap[c] >= v)
            break;
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = v;
    return top;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 20000000;
    double rate = argc > 2 ? atof(argv[2]) : 100.0;
    double warm_mean = argc > 3 ? atof(argv[3]) : 1.991;
    double cold_mean = argc > 4 ? atof(argv[4]) : 2.244;
    double keep_alive = argc > 5 ? atof(argv[5]) : 600.0;
    size_t cap = 1u << 24;
    heap = malloc(sizeof *heap * cap);
    double *idle = malloc(sizeof *idle * cap); /* free times, newest on top */
    size_t idle_len = 0;
    if (!heap || !idle)
        return 1;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double now = 0;
    long cold = 0;
    for (long i = 0; i < n; i++) {
        now += -log(uniform_pos()) / rate;
        while (heap_len && heap[0] <= now)
            idle[idle_len++] = heap_pop();
        /* The newest idle instance serves; if it has expired, all older ones have too. */
        int warm = idle_len && now - idle[idle_len - 1] < keep_alive;
        if (warm)
            idle_len--;
        else
            idle_len = 0, cold++;
        double service = -log(uniform_pos()) * (warm ? warm_mean : cold_mean);
        if (heap_len == cap)
            return 1;
        heap_push(now + service);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    printf("requests %ld cold_ratio %.6f wall_s %.3f requests_per_s %.0f\n",
           n, (double)cold / n, wall, n / wall);
    return 0;
}
