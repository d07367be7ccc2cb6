/* html_report.h - `--html FILE.html` on run, compare, sweep and plan: one page with the
 * facts of the run, its pictures, its report and the scenario as simulated (html.h
 * builds the page). Internal to the program. */
#ifndef SLSIM_HTML_REPORT_H
#define SLSIM_HTML_REPORT_H

#include "slsim/plot.h"
#include "slsim/scenario.h"

struct html_input {
    const char *path;          /* the page */
    int force;                 /* overwrite it */
    const char *cmd;           /* "run", "compare", ... */
    const char *command_line;  /* as typed, for the facts */
    const struct scenario *s;
    const char *report_text;   /* the text report, or NULL */
    const char *csv_text;      /* a CSV shown as a table, or NULL */
    const char *csv_title;     /* its heading (NULL: "Every number") */
    const char *const *csv_keep; /* NULL: every column; else only these (and those before
                                    csv_before), with a note that the file has them all */
    size_t n_csv_keep;
    const char *csv_before;
    const struct plot *plots;  /* drawn as SVG, in order */
    size_t n_plots;
    const char *gnuplot;       /* plot_find_gnuplot's */
    struct plot_size size;
};

/* Write the page. 0, or -1 with err. */
int html_report_write(const struct html_input *in, struct slsim_error *err);

/* argv[0..argc) joined with blanks into buf (for the facts). */
void html_command_line(int argc, char **argv, const char *cmd, char *buf, size_t n);

#endif
