/* jobs.c - the thread pool every experiment runs its trials on. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "jobs.h"

struct pool {
    size_t n;
    int descending;
    job_fn fn;
    void *ctx;
    atomic_size_t next;
    pthread_mutex_t lock;        /* guards failed and err */
    size_t failed;               /* lowest failing slot so far, n when none */
    struct slsim_error *err;
};

static void *worker(void *arg)
{
    struct pool *p = arg;
    struct slsim_error err;
    for (;;) {
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->n)
            return NULL;
        size_t slot = p->descending ? p->n - 1 - k : k;
        if (p->fn(p->ctx, slot, &err) == 0)
            continue;
        pthread_mutex_lock(&p->lock);
        if (slot < p->failed) {
            p->failed = slot;
            *p->err = err;
        }
        pthread_mutex_unlock(&p->lock);
    }
}

int jobs_run(size_t n, unsigned threads, int descending, job_fn fn, void *ctx,
             struct slsim_error *err)
{
    struct pool p = {.n = n, .descending = descending, .fn = fn, .ctx = ctx, .failed = n,
                     .err = err};
    atomic_init(&p.next, 0);
    pthread_mutex_init(&p.lock, NULL);
    unsigned want = threads ? threads : 1;
    if (want > n)
        want = n ? (unsigned)n : 1;
    pthread_t *th = calloc(want, sizeof *th);
    unsigned started = 0;
    if (th)
        for (; started + 1 < want; started++)
            if (pthread_create(&th[started], NULL, worker, &p) != 0)
                break;
    worker(&p); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    pthread_mutex_destroy(&p.lock);
    return p.failed < n ? -1 : 0;
}
