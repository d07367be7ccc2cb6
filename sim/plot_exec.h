/* plot_exec.h - `--plot` on the commands: options checked before simulating, and the
 * picture drawn by gnuplot. Internal to the program. */
#ifndef SLSIM_PLOT_EXEC_H
#define SLSIM_PLOT_EXEC_H

#include "slsim/plot.h"

/* --plot FILE, --plot-kind K, --plot-size WxH, --plot-script DIR, as given (NULL when
 * absent), and what checking them found. */
struct plot_opts {
    const char *path;        /* --plot: the picture, .svg, .png or .pdf */
    const char *kind_text;
    const char *size_text;
    const char *script_dir;  /* --plot-script: keep the script and data there */
    enum plot_kind kind;
    struct plot_size size;
    char gnuplot[4096];      /* the program found */
};

/* Check o for command cmd, which draws the kinds kinds[0..n) (the first the default),
 * before anything is simulated: the picture's extension, the kind, the size, the
 * script folder (made if missing), an existing picture (refused unless force), and
 * gnuplot itself (SLSIM_GNUPLOT, else `gnuplot` on PATH; missing: the Debian package
 * named). Nothing to check without --plot (then 0; --plot-kind and the rest without
 * --plot are a usage error). 0, or -1 after saying why (exit 2). */
int plot_opts_check(struct plot_opts *o, const char *cmd, const enum plot_kind *kinds, size_t n,
                    int force);

/* Draw p with gnuplot into o->path (whole: a temporary file renamed), the script and
 * data kept in o->script_dir when given. 0, or -1 after saying why (exit 1). */
int plot_render(const struct plot *p, const struct plot_opts *o, int force);

/* For --html: find gnuplot before simulating (as --plot does) into gnuplot[n]. 0, or -1
 * after saying why (exit 2). */
int plot_find_gnuplot(char *gnuplot, size_t n, const char *cmd);

/* p drawn as an SVG, its text into *svg (malloc'd; the caller frees), with the gnuplot
 * found by plot_find_gnuplot, at size. 0, or -1 after saying why. */
int plot_svg_text(const struct plot *p, const char *gnuplot, const struct plot_size *size,
                  char **svg);

#endif
