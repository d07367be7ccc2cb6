/* sweep_mpi.h - `slsim sweep` over Open MPI: rank 0 hands points out and writes the
 * rows; every rank (rank 0 too) simulates. Internal to the program.
 *
 * Built in when pkg-config finds Open MPI (ompi-c: Debian's libopenmpi-dev), else
 * every function here is the single-process one and a start under mpirun is refused.
 * MPI is started only under a launcher (its environment: OMPI_COMM_WORLD_SIZE,
 * PMIX_RANK or PMI_SIZE), so a plain `slsim sweep` never starts MPI. */
#ifndef SLSIM_SWEEP_MPI_H
#define SLSIM_SWEEP_MPI_H

#include <stddef.h>

#include "slsim/report.h"
#include "slsim/sweep.h"
#include "sweep_out.h"

struct sweep_mpi {
    int size;    /* processes; 1 without MPI */
    int rank;    /* this one's */
    int root;    /* 1 on rank 0, which writes */
    int started; /* MPI was initialised here */
};

/* A build without MPI started by an MPI launcher: say so, with how to build with MPI,
 * and return -1 (the caller exits 2). 0 otherwise (always, in a build with MPI). */
int sweep_mpi_refuse_launcher(void);

/* Start MPI when launched by mpirun (threads funneled: only the main thread calls
 * MPI), else a single process. 0, or -1 after saying why. */
int sweep_mpi_start(struct sweep_mpi *m, unsigned jobs);

/* Rank 0: hand points [first, n) of sw out (heaviest first, by info[].weight) to the
 * other ranks as they ask, up to their --jobs at a time, simulate points itself on a
 * thread of its own meanwhile, and put every point's rows into w. Every worker is
 * told to stop. 0, or -1 after saying why. */
int sweep_mpi_lead(struct sweep_mpi *m, const struct sweep *sw,
                   const struct sweep_point_info *info, size_t first, unsigned jobs, int quiet,
                   int progress_forced, struct sweep_out *w);

/* A worker rank: ask rank 0 for points, simulate them on jobs threads, send their rows
 * (formatted in fmt, as r says) back, until told to stop. An exit status. */
int sweep_mpi_work(struct sweep_mpi *m, const struct sweep *sw, enum report_format fmt,
                   const struct report_sweep *r, unsigned jobs);

/* Rank 0 giving up before any point: tell every worker to stop. */
void sweep_mpi_abort(struct sweep_mpi *m);

/* MPI_Finalize where MPI was started. */
void sweep_mpi_end(struct sweep_mpi *m);

/* Simulate points [first, n) of sw in this process on jobs threads, into w (the local
 * run of cmd_sweep.c, also rank 0's share). 0, or -1 after saying why. */
int sweep_cmd_run_local(const struct sweep *sw, const struct sweep_point_info *info,
                        size_t first, unsigned jobs, int quiet, int progress_forced,
                        struct sweep_out *w);

#endif
