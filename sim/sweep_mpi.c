/* sweep_mpi.c - `slsim sweep` over Open MPI (see sweep_mpi.h).
 *
 * The protocol, all point-to-point with rank 0:
 *   worker -> 0   TAG_ASK     int: how many points it takes at once (its --jobs)
 *   0 -> worker   TAG_POINTS  uint64 [ci95, k1, k2, ...]; just [ci95]: stop
 *   worker -> 0   TAG_ROWS    a point's rows: uint64 [k, rows_len, error_len], then the
 *                             rows' bytes and the error's (empty when it did not fail)
 * A worker asks, simulates what it got, sends each point's rows, and asks again; a
 * failed point travels as its error, so no rank waits for a point that never comes.
 * Rank 0's main thread alone calls MPI (MPI_THREAD_FUNNELED): it answers asks and
 * takes rows while a thread of its own simulates points from the same queue. Rows are
 * formatted where they were simulated and written by rank 0 in point order, so the
 * file has the bytes a single process writes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sweep_mpi.h"

static const char *launcher_env(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return vars[i];
    return NULL;
}

#ifndef SLSIM_HAVE_MPI

int sweep_mpi_refuse_launcher(void)
{
    const char *var = launcher_env();
    if (!var)
        return 0;
    fprintf(stderr,
            "slsim sweep: started by an MPI launcher (%s is set), but this slsim was built "
            "without MPI: every process would run the whole sweep. Install Open MPI "
            "(apt-get install libopenmpi-dev openmpi-bin, or scripts/install-deps.sh) and "
            "rebuild (make clean && make); `slsim --version` then says \"with MPI\".\n",
            var);
    return -1;
}

int sweep_mpi_start(struct sweep_mpi *m, unsigned jobs)
{
    (void)jobs;
    *m = (struct sweep_mpi){.size = 1, .rank = 0, .root = 1, .started = 0};
    return 0;
}

int sweep_mpi_lead(struct sweep_mpi *m, const struct sweep *sw,
                   const struct sweep_point_info *info, size_t first, unsigned jobs, int quiet,
                   int progress_forced, struct sweep_out *w)
{
    (void)m;
    return sweep_cmd_run_local(sw, info, first, jobs, quiet, progress_forced, w);
}

int sweep_mpi_work(struct sweep_mpi *m, const struct sweep *sw, enum report_format fmt,
                   const struct report_sweep *r, unsigned jobs)
{
    (void)m, (void)sw, (void)fmt, (void)r, (void)jobs;
    return 1;
}

void sweep_mpi_abort(struct sweep_mpi *m)
{
    (void)m;
}

void sweep_mpi_end(struct sweep_mpi *m)
{
    (void)m;
}

#else /* SLSIM_HAVE_MPI */

#include <mpi.h>
#include <pthread.h>
#include <time.h>

enum { TAG_ASK = 1, TAG_POINTS = 2, TAG_ROWS = 3 };

int sweep_mpi_refuse_launcher(void)
{
    return 0;
}

int sweep_mpi_start(struct sweep_mpi *m, unsigned jobs)
{
    (void)jobs;
    *m = (struct sweep_mpi){.size = 1, .rank = 0, .root = 1, .started = 0};
    if (!launcher_env())
        return 0;
    int provided;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "slsim sweep: MPI did not start\n");
        return -1;
    }
    m->started = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &m->size);
    MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
    m->root = m->rank == 0;
    if (provided < MPI_THREAD_FUNNELED) {
        if (m->root)
            fprintf(stderr, "slsim sweep: this MPI gives no thread support (funneled is "
                            "needed: rank 0 simulates on a thread while it serves the "
                            "others)\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    return 0;
}

void sweep_mpi_end(struct sweep_mpi *m)
{
    if (m->started)
        MPI_Finalize();
    m->started = 0;
}

/* ---- rank 0 ---- */

/* The points still to hand out, heaviest first; taken under lock by rank 0's own
 * simulating thread and, for the workers, by its main thread. */
struct queue {
    pthread_mutex_t lock;
    size_t *order; /* points by weight, heaviest first, ties by index */
    size_t n, next;
};

static const struct sweep_point_info *sort_info;

static int by_weight(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double wa = sort_info[a].weight, wb = sort_info[b].weight;
    if (wa != wb)
        return wa > wb ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Up to max points into out; returns how many (0: none left). */
static size_t queue_take(struct queue *q, size_t *out, size_t max)
{
    pthread_mutex_lock(&q->lock);
    size_t got = 0;
    while (got < max && q->next < q->n)
        out[got++] = q->order[q->next++];
    pthread_mutex_unlock(&q->lock);
    return got;
}

struct lead {
    const struct sweep *sw;
    const struct sweep_point_info *info;
    struct queue *q;
    unsigned jobs;
    struct sweep_out *w;
    int failed; /* rank 0's own simulation could not run */
};

/* Rank 0's own share: points from the queue, jobs at a time. */
static void *lead_simulate(void *arg)
{
    struct lead *l = arg;
    size_t *batch = malloc(l->jobs * sizeof *batch);
    struct sweep_point_info *bi = malloc(l->jobs * sizeof *bi);
    size_t got;
    while (batch && bi && (got = queue_take(l->q, batch, l->jobs)) > 0) {
        for (size_t i = 0; i < got; i++)
            bi[i] = l->info[batch[i]];
        struct slsim_error err;
        if (sweep_run(l->sw, batch, got, bi, l->jobs, NULL, NULL, sweep_out_point_done, l->w,
                      &err) != 0)
            l->failed = 1;
    }
    if (!batch || !bi)
        l->failed = 1;
    free(batch);
    free(bi);
    return NULL;
}

static void nap(void)
{
    struct timespec ts = {0, 1000000}; /* 1 ms between polls */
    nanosleep(&ts, NULL);
}

/* A TAG_ROWS message from source: into w. */
static int take_rows(struct lead *l, int source, const MPI_Status *probe)
{
    int bytes;
    MPI_Get_count(probe, MPI_BYTE, &bytes);
    char *buf = malloc(bytes > 0 ? (size_t)bytes : 1);
    if (!buf)
        return -1;
    MPI_Recv(buf, bytes, MPI_BYTE, source, TAG_ROWS, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    uint64_t head[3];
    if (bytes < (int)sizeof head) {
        free(buf);
        return -1;
    }
    memcpy(head, buf, sizeof head);
    if (sizeof head + head[1] + head[2] != (uint64_t)bytes) {
        free(buf);
        return -1;
    }
    /* No rows: the worker could not format them, and the file cannot be whole. */
    char *rows = head[1] ? malloc(head[1]) : NULL;
    char *error = head[2] ? malloc(head[2] + 1) : NULL;
    if (rows)
        memcpy(rows, buf + sizeof head, head[1]);
    if (error) {
        memcpy(error, buf + sizeof head + head[1], head[2]);
        error[head[2]] = '\0';
    }
    free(buf);
    sweep_out_put(l->w, (size_t)head[0], rows, head[1], error);
    free(error);
    return 0;
}

/* Serve the workers until every one is told to stop and every point handed out came
 * back. give: 0 to hand out nothing (stop at the first ask). */
static int serve(struct sweep_mpi *m, struct lead *l, int give, int ci95)
{
    int stopped = 0, bad = 0;
    size_t out_at_workers = 0;
    uint64_t *msg = NULL;
    size_t cap = 0;
    while (stopped < m->size - 1 || out_at_workers > 0) {
        int flag;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            nap();
            continue;
        }
        if (st.MPI_TAG == TAG_ROWS) {
            if (take_rows(l, st.MPI_SOURCE, &st) != 0)
                bad = 1;
            out_at_workers--;
            continue;
        }
        int want;
        MPI_Recv(&want, 1, MPI_INT, st.MPI_SOURCE, TAG_ASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (want < 1)
            want = 1;
        if ((size_t)want + 1 > cap) {
            free(msg);
            cap = (size_t)want + 1;
            msg = malloc(cap * sizeof *msg);
            if (!msg) {
                cap = 0;
                want = 0;
            }
        }
        size_t got = 0;
        if (give && msg) {
            size_t *pts = malloc((size_t)want * sizeof *pts);
            got = pts ? queue_take(l->q, pts, (size_t)want) : 0;
            for (size_t i = 0; i < got; i++)
                msg[1 + i] = pts[i];
            free(pts);
        }
        uint64_t stop = (uint64_t)ci95;
        if (msg)
            msg[0] = (uint64_t)ci95;
        MPI_Send(msg ? msg : &stop, (int)(1 + got), MPI_UINT64_T, st.MPI_SOURCE, TAG_POINTS,
                 MPI_COMM_WORLD);
        out_at_workers += got;
        if (!got)
            stopped++;
    }
    free(msg);
    return bad ? -1 : 0;
}

int sweep_mpi_lead(struct sweep_mpi *m, const struct sweep *sw,
                   const struct sweep_point_info *info, size_t first, unsigned jobs, int quiet,
                   int progress_forced, struct sweep_out *w)
{
    struct queue q = {.n = sw->n_points - first};
    q.order = malloc((q.n ? q.n : 1) * sizeof *q.order);
    if (!q.order) {
        sweep_mpi_abort(m);
        fprintf(stderr, "slsim: out of memory\n");
        return -1;
    }
    /* Progress by points: rank 0 hears of the workers' points only when they end. */
    struct cli_progress progress;
    cli_progress_init(&progress, sw->n_points - first, quiet, progress_forced, "points");
    if (progress.enabled)
        w->progress = &progress;
    for (size_t i = 0; i < q.n; i++)
        q.order[i] = first + i;
    sort_info = info;
    qsort(q.order, q.n, sizeof *q.order, by_weight);
    pthread_mutex_init(&q.lock, NULL);
    struct lead l = {.sw = sw, .info = info, .q = &q, .jobs = jobs ? jobs : 1, .w = w};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, lead_simulate, &l) == 0;
    int rc = serve(m, &l, 1, w->r->ci95);
    if (threaded)
        pthread_join(th, NULL);
    else
        lead_simulate(&l); /* no thread: rank 0 simulates what is left after serving */
    pthread_mutex_destroy(&q.lock);
    free(q.order);
    w->progress = NULL;
    cli_progress_done(&progress);
    if (rc != 0 || l.failed) {
        fprintf(stderr, "slsim sweep: %s\n",
                rc != 0 ? "a worker's rows came back damaged" : "out of memory");
        return -1;
    }
    return 0;
}

void sweep_mpi_abort(struct sweep_mpi *m)
{
    if (m->started && m->root && m->size > 1) {
        struct lead l = {0};
        serve(m, &l, 0, 0);
    }
}

/* ---- workers ---- */

struct work {
    const struct sweep *sw;
    enum report_format fmt;
    struct report_sweep r;
    char **rows;      /* [batch]: a point's rows, formatted on the pool's threads */
    size_t *len;
    char **error;
    const size_t *batch;
    size_t n;
};

static void work_point_done(void *ctx, size_t k, const struct scenario *s,
                            const struct run_output *out, const struct slsim_error *err)
{
    struct work *wk = ctx;
    size_t i = 0;
    while (i < wk->n && wk->batch[i] != k)
        i++;
    if (i == wk->n)
        return;
    struct sweep_out fake = {.fmt = wk->fmt, .r = &wk->r};
    if (sweep_out_format(&fake, k, s, out, err, &wk->rows[i], &wk->len[i]) != 0)
        wk->rows[i] = NULL;
    if (err) {
        char msg[1600];
        sweep_out_error_text(wk->sw, k, err, msg, sizeof msg);
        size_t n = strlen(msg) + 1;
        if ((wk->error[i] = malloc(n)) != NULL)
            memcpy(wk->error[i], msg, n);
    }
}

int sweep_mpi_work(struct sweep_mpi *m, const struct sweep *sw, enum report_format fmt,
                   const struct report_sweep *r, unsigned jobs)
{
    /* A worker exits 0 even when its points failed: rank 0 lists them and sets the
     * status, and mpirun would abort the others at a worker's non-zero exit. */
    int want = jobs ? (int)jobs : 1, status = 0;
    uint64_t *msg = malloc(((size_t)want + 1) * sizeof *msg);
    size_t *batch = malloc((size_t)want * sizeof *batch);
    struct work wk = {.sw = sw, .fmt = fmt, .r = *r};
    wk.rows = calloc((size_t)want, sizeof *wk.rows);
    wk.len = calloc((size_t)want, sizeof *wk.len);
    wk.error = calloc((size_t)want, sizeof *wk.error);
    if (!msg || !batch || !wk.rows || !wk.len || !wk.error) {
        fprintf(stderr, "slsim: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    for (;;) {
        MPI_Send(&want, 1, MPI_INT, 0, TAG_ASK, MPI_COMM_WORLD);
        MPI_Status st;
        int count;
        MPI_Recv(msg, want + 1, MPI_UINT64_T, 0, TAG_POINTS, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_UINT64_T, &count);
        if (count <= 1)
            break; /* stop */
        wk.r.ci95 = (int)msg[0];
        wk.n = (size_t)count - 1;
        for (size_t i = 0; i < wk.n; i++)
            batch[i] = (size_t)msg[1 + i];
        wk.batch = batch;
        struct slsim_error err;
        if (sweep_run(sw, batch, wk.n, NULL, jobs, NULL, NULL, work_point_done, &wk, &err) !=
            0) {
            fprintf(stderr, "slsim sweep: rank %d: out of memory\n", m->rank);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (size_t i = 0; i < wk.n; i++) {
            uint64_t head[3] = {batch[i], wk.rows[i] ? wk.len[i] : 0,
                                wk.error[i] ? strlen(wk.error[i]) : 0};
            size_t total = sizeof head + head[1] + head[2];
            char *buf = malloc(total);
            if (!buf) {
                fprintf(stderr, "slsim: out of memory\n");
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
            memcpy(buf, head, sizeof head);
            if (head[1])
                memcpy(buf + sizeof head, wk.rows[i], head[1]);
            if (head[2])
                memcpy(buf + sizeof head + head[1], wk.error[i], head[2]);
            MPI_Send(buf, (int)total, MPI_BYTE, 0, TAG_ROWS, MPI_COMM_WORLD);
            free(buf);
            free(wk.rows[i]);
            free(wk.error[i]);
            wk.rows[i] = NULL;
            wk.error[i] = NULL;
        }
    }
    free(msg);
    free(batch);
    free(wk.rows);
    free(wk.len);
    free(wk.error);
    return status;
}

#endif /* SLSIM_HAVE_MPI */
