/* reference.c - our own minimal loop for the benchmark probe (scenarios/bench/probe.yaml).
 *
 * `make bench` divides slsim's simulation throughput by this program's, so this has to
 * simulate exactly the model of the probe while doing as little work per request as
 * possible: any work it skips that slsim does is what the ratio measures.
 *
 *   Poisson arrivals at RATE; each request takes one instance, no concurrency cap.
 *   A free instance waits KEEP_ALIVE_S and is then gone; an arrival at exactly the
 *   expiry instant finds it gone (warm iff now < freed + keep-alive).
 *   An arrival takes the most recently freed idle instance (MRU); if there is none,
 *   it starts a new one, which costs a constant COLD_S before the warm service.
 *   Warm service is exponential with mean WARM_MEAN_S.
 *
 * Hence the shape: busy instances are only their completion times, in a binary min-heap;
 * idle instances are only their expiry times, on a stack. Completions leave the heap in
 * time order, so the stack is sorted with the newest on top: if the top has expired, all
 * have, and the stack is emptied at once. No events besides completions, no metrics, no
 * configuration, one xoshiro256+ stream seeded through splitmix64, exponentials by
 * inversion (-mean * log u). Wall time covers the simulation loop only.
 *
 *   cc -O2 -o reference reference.c -lm
 *   ./reference REQUESTS RATE WARM_MEAN_S COLD_S KEEP_ALIVE_S
 *   ./reference 20000000 100 1.991 0.253 600
 *
 * Prints one line: requests N cold_ratio X wall_s Y requests_per_s Z */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t s[4];

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline double uniform_pos(void) /* xoshiro256+, uniform on (0,1) */
{
    uint64_t r = s[0] + s[3], t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return ((double)(r >> 11) + 0.5) * 0x1.0p-53;
}

static double *heap, *idle; /* completion times; expiry times, newest on top */
static size_t heap_len, idle_len, cap;

static void grow(void)
{
    cap = cap ? 2 * cap : 1024;
    heap = realloc(heap, cap * sizeof *heap);
    idle = realloc(idle, cap * sizeof *idle);
    if (!heap || !idle) {
        fputs("reference: out of memory\n", stderr);
        exit(1);
    }
}

static inline void heap_push(double v)
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

static inline double heap_pop(void)
{
    double top = heap[0], v = heap[--heap_len];
    size_t i = 0, n = heap_len;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && heap[c + 1] < heap[c])
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
    if (argc != 6) {
        fputs("usage: reference REQUESTS RATE WARM_MEAN_S COLD_S KEEP_ALIVE_S\n", stderr);
        return 2;
    }
    long n = atol(argv[1]);
    double rate = atof(argv[2]), warm_mean = atof(argv[3]);
    double cold = atof(argv[4]), keep_alive = atof(argv[5]);
    if (n <= 0 || !(rate > 0) || !(warm_mean > 0) || !(cold >= 0) || !(keep_alive >= 0)) {
        fputs("reference: REQUESTS, RATE, WARM_MEAN_S must be > 0; COLD_S, KEEP_ALIVE_S >= 0\n",
              stderr);
        return 2;
    }
    uint64_t seed = 1;
    for (int k = 0; k < 4; k++)
        s[k] = splitmix64(&seed);
    grow();

    double gap_mean = 1.0 / rate, now = 0;
    long colds = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
        now -= gap_mean * log(uniform_pos());
        while (heap_len && heap[0] <= now)
            idle[idle_len++] = heap_pop() + keep_alive;
        double start = now;
        if (idle_len && now < idle[idle_len - 1]) {
            idle_len--; /* warm: the most recently freed instance */
        } else {
            idle_len = 0; /* the newest has expired, so have all older ones */
            colds++;
            start += cold;
            if (heap_len == cap) /* busy + idle never exceeds cap */
                grow();
        }
        heap_push(start - warm_mean * log(uniform_pos()));
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);

    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    printf("requests %ld cold_ratio %.6e wall_s %.6f requests_per_s %.0f\n", n,
           (double)colds / (double)n, wall, (double)n / wall);
    free(heap);
    free(idle);
    return 0;
}
