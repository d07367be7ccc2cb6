/* test_sweep_nompi.c - a slsim built without MPI refuses to run a sweep under mpirun.
 *
 * The build here may have MPI, so this compiles sweep_mpi.c's own code without it
 * (SLSIM_HAVE_MPI undefined) and checks its answer to a launcher's environment:
 * Open MPI sets OMPI_COMM_WORLD_SIZE in every process it starts, PMIx PMIX_RANK, and
 * MPICH's Hydra PMI_SIZE. Without MPI, each process would otherwise run the whole
 * sweep and write the same file N times. */
#undef SLSIM_HAVE_MPI
#include "../sim/sweep_mpi.c"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const launcher_vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"};

static void clear_launcher(void)
{
    for (size_t i = 0; i < sizeof launcher_vars / sizeof launcher_vars[0]; i++)
        unsetenv(launcher_vars[i]);
}

/* The refusal's text, from stderr redirected into a file. */
static int refuse_into(char *msg, size_t n)
{
    char path[] = "/tmp/slsim-nompi-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    int rc = sweep_mpi_refuse_launcher();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    ssize_t got = read(fd, msg, n - 1);
    msg[got > 0 ? got : 0] = '\0';
    close(fd);
    unlink(path);
    return rc;
}

Test(sweep_nompi, refuses_under_each_launcher)
{
    for (size_t i = 0; i < sizeof launcher_vars / sizeof launcher_vars[0]; i++) {
        clear_launcher();
        setenv(launcher_vars[i], "2", 1);
        char msg[1024];
        cr_assert_eq(refuse_into(msg, sizeof msg), -1, "%s", launcher_vars[i]);
        cr_assert(strstr(msg, launcher_vars[i]), "%s", msg);
        cr_assert(strstr(msg, "built without MPI"), "%s", msg);
        cr_assert(strstr(msg, "libopenmpi-dev"), "the message says how to build with MPI: %s",
                  msg);
    }
    clear_launcher();
}

Test(sweep_nompi, runs_alone_without_a_launcher)
{
    clear_launcher();
    char msg[1024];
    cr_assert_eq(refuse_into(msg, sizeof msg), 0);
    cr_assert_str_empty(msg);
    struct sweep_mpi m;
    cr_assert_eq(sweep_mpi_start(&m, 4), 0);
    cr_assert_eq(m.size, 1);
    cr_assert(m.root);
}
