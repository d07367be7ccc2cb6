/* plot_exec.c - gnuplot found before simulating, and run on the script slsim writes.
 *
 * slsim draws with gnuplot (Debian `gnuplot-nox`: its svg, pngcairo and pdfcairo
 * terminals) rather than a plotting library of its own: the script and data it writes
 * are the user's to restyle (--plot-script), and gnuplot is on every Linux machine a
 * planner uses. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "plot_exec.h"

#define GNUPLOT_PACKAGE "gnuplot-nox"

static int executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The gnuplot to run into out: SLSIM_GNUPLOT, else `gnuplot` on PATH. 0, or -1 after
 * saying why. */
static int find_gnuplot(char *out, size_t n, const char *cmd)
{
    const char *env = getenv("SLSIM_GNUPLOT");
    if (env && *env) {
        if (!strchr(env, '/')) {
            /* a bare name: looked up on PATH like the default */
        } else if (executable(env)) {
            snprintf(out, n, "%s", env);
            return 0;
        } else {
            fprintf(stderr, "slsim %s: drawing needs gnuplot, and SLSIM_GNUPLOT=%s is not a "
                            "program that can run; install gnuplot (Debian: apt-get install "
                            "%s) or point SLSIM_GNUPLOT at it\n",
                    cmd, env, GNUPLOT_PACKAGE);
            return -1;
        }
    }
    const char *name = env && *env ? env : "gnuplot";
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        char cand[4096];
        snprintf(cand, sizeof cand, "%.*s/%s", (int)len, len ? path : ".", name);
        if (executable(cand)) {
            snprintf(out, n, "%s", cand);
            return 0;
        }
        path += len + (path[len] == ':');
    }
    fprintf(stderr, "slsim %s: drawing needs gnuplot, and %s is not on PATH; install it "
                    "(Debian: apt-get install %s, which scripts/install-deps.sh does) or set "
                    "SLSIM_GNUPLOT\n",
            cmd, name, GNUPLOT_PACKAGE);
    return -1;
}

int plot_opts_check(struct plot_opts *o, const char *cmd, const enum plot_kind *kinds, size_t n,
                    int force)
{
    if (!o->path) {
        const char *stray = o->kind_text    ? "--plot-kind"
                            : o->size_text  ? "--plot-size"
                            : o->script_dir ? "--plot-script"
                                            : NULL;
        if (stray) {
            cli_usage_error(cmd, "%s goes with --plot FILE", stray);
            return -1;
        }
        return 0;
    }
    if (cli_is_device(o->path)) {
        cli_usage_error(cmd, "--plot %s: name a file (the picture is written beside it and "
                             "renamed into place)",
                        o->path);
        return -1;
    }
    if (!plot_format_of(o->path)) {
        cli_usage_error(cmd, "--plot %s: name a .svg, .png or .pdf file", o->path);
        return -1;
    }
    o->kind = kinds[0];
    if (o->kind_text) {
        enum plot_kind k;
        int ok = plot_kind_parse(o->kind_text, &k) == 0;
        size_t i = 0;
        while (ok && i < n && kinds[i] != k)
            i++;
        if (!ok || i == n) {
            char names[256] = "";
            for (size_t j = 0; j < n; j++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                         j ? ", " : "", plot_kind_name(kinds[j]));
            cli_usage_error(cmd, "--plot-kind: %s draws %s; got \"%s\"", cmd, names,
                            o->kind_text);
            return -1;
        }
        o->kind = k;
    }
    o->size = (struct plot_size){1200, 800, 0};
    if (o->size_text) {
        char why[200];
        if (plot_size_parse(o->size_text, &o->size, why, sizeof why) != 0) {
            cli_usage_error(cmd, "--plot-size: %s", why);
            return -1;
        }
    }
    if (o->script_dir) {
        struct stat st;
        if (stat(o->script_dir, &st) != 0 && mkdir(o->script_dir, 0777) != 0) {
            fprintf(stderr, "slsim %s: --plot-script %s: cannot make the folder: %s\n", cmd,
                    o->script_dir, strerror(errno));
            return -1;
        }
    }
    if (cli_check_target(o->path, force, "") != 0)
        return -1;
    return find_gnuplot(o->gnuplot, sizeof o->gnuplot, cmd);
}

/* Run gnuplot on script; its messages into log. The exit status, or -1. */
static int run_gnuplot(const char *gnuplot, const char *script, const char *log)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execl(gnuplot, gnuplot, script, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int plot_render(const struct plot *p, const struct plot_opts *o, int force)
{
    char dir[PATH_MAX], script[PATH_MAX + 32], data[PATH_MAX + 32], log[PATH_MAX + 32];
    char tmp_out[PATH_MAX + 32], out_abs[PATH_MAX];
    int own_dir = !o->script_dir;
    if (own_dir) {
        snprintf(dir, sizeof dir, "/tmp/slsim-plot-XXXXXX");
        if (!mkdtemp(dir)) {
            perror("slsim: --plot");
            return -1;
        }
    } else if (!realpath(o->script_dir, dir)) {
        perror(o->script_dir);
        return -1;
    }
    snprintf(script, sizeof script, "%s/plot.gp", dir);
    snprintf(data, sizeof data, "%s/plot.dat", dir);
    snprintf(log, sizeof log, "%s/gnuplot.log", dir);
    /* The picture goes to a temporary name beside its place, then is renamed: whole or
     * not at all. The kept script names the picture itself. */
    snprintf(out_abs, sizeof out_abs, "%s", o->path);
    snprintf(tmp_out, sizeof tmp_out, "%s.tmp-%ld%s", o->path, (long)getpid(),
             strrchr(o->path, '.'));
    FILE *fs = fopen(script, "w"), *fd = fopen(data, "w");
    int rc = -1;
    if (!fs || !fd) {
        fprintf(stderr, "slsim: --plot: cannot write in %s: %s\n", dir, strerror(errno));
        goto done;
    }
    if (plot_write(p, fs, fd, data, tmp_out, &o->size) != 0) {
        fprintf(stderr, "slsim: --plot: cannot write the script\n");
        goto done;
    }
    int bad = fclose(fs) != 0;
    bad |= fclose(fd) != 0;
    fs = fd = NULL;
    if (bad) {
        fprintf(stderr, "slsim: --plot: cannot write the script\n");
        goto done;
    }
    int status = run_gnuplot(o->gnuplot, script, log);
    struct stat st;
    if (status != 0 || stat(tmp_out, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "slsim: --plot: %s failed (exit %d); its messages:\n", o->gnuplot,
                status);
        FILE *l = fopen(log, "r");
        char line[512];
        for (int k = 0; l && k < 20 && fgets(line, sizeof line, l); k++)
            fprintf(stderr, "  %s", line);
        if (l)
            fclose(l);
        unlink(tmp_out);
        goto done;
    }
    if (!force && access(o->path, F_OK) == 0) {
        fprintf(stderr, "slsim: %s: already exists; pass --force to overwrite it\n", o->path);
        unlink(tmp_out);
        goto done;
    }
    if (rename(tmp_out, o->path) != 0) {
        perror(o->path);
        unlink(tmp_out);
        goto done;
    }
    rc = 0;
    if (!own_dir) {
        /* The kept script draws to the picture's own name. */
        FILE *ks = fopen(script, "w"), *kd = fopen(data, "w");
        if (ks && kd)
            plot_write(p, ks, kd, data, out_abs, &o->size);
        if (ks)
            fclose(ks);
        if (kd)
            fclose(kd);
        unlink(log);
    }
done:
    if (fs)
        fclose(fs);
    if (fd)
        fclose(fd);
    if (own_dir) {
        unlink(script);
        unlink(data);
        unlink(log);
        rmdir(dir);
    }
    return rc;
}

int plot_find_gnuplot(char *gnuplot, size_t n, const char *cmd)
{
    return find_gnuplot(gnuplot, n, cmd);
}

int plot_svg_text(const struct plot *p, const char *gnuplot, const struct plot_size *size,
                  char **svg)
{
    char dir[] = "/tmp/slsim-html-XXXXXX", path[64];
    *svg = NULL;
    if (!mkdtemp(dir)) {
        perror("slsim: --html");
        return -1;
    }
    snprintf(path, sizeof path, "%s/plot.svg", dir);
    struct plot_opts o = {.path = path, .size = *size};
    snprintf(o.gnuplot, sizeof o.gnuplot, "%s", gnuplot);
    int rc = plot_render(p, &o, 1);
    size_t len;
    if (rc == 0 && !(*svg = cli_read_file(path, &len)))
        rc = -1;
    unlink(path);
    rmdir(dir);
    return rc;
}
