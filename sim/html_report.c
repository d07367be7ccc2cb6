/* html_report.c - the page `--html FILE.html` writes for run, compare, sweep and plan:
 * what was simulated (facts, the scenario as loaded), the result (the text report, its
 * CSV as a table) and its pictures (inline SVG), in one self-contained file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "html.h"
#include "html_report.h"
#include "plot_exec.h"

static int scenario_text(FILE *fp, void *arg)
{
    struct slsim_error err;
    return scenario_write(arg, NULL, NULL, fp, &err);
}

int html_report_write(const struct html_input *in, struct slsim_error *err)
{
    const struct scenario *s = in->s;
    char title[512];
    snprintf(title, sizeof title, "slsim %s: %s", in->cmd, s->name);
    struct html_doc *d = html_new(title);
    if (!d)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    char seed[32], reps[32], span[64], measured[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->seed);
    snprintf(reps, sizeof reps, "%u", s->replications);
    units_format_duration(s->duration_ns, span, sizeof span);
    units_format_duration(s->duration_ns - s->warmup_ns, measured, sizeof measured);
    const char *keys[] = {"scenario",  "file",         "command",   "seed", "replications",
                          "simulated", "measured",     "prices",    "prices as of",
                          "slsim"};
    const char *values[] = {s->name,  s->path,    in->command_line,
                            seed,     reps,       span,
                            measured, s->pricing, s->catalog ? s->catalog->as_of : "",
                            SLSIM_VERSION};
    html_facts(d, keys, values, sizeof keys / sizeof keys[0]);
    for (size_t i = 0; i < in->n_plots; i++) {
        char *svg = NULL;
        if (plot_svg_text(&in->plots[i], in->gnuplot, &in->size, &svg) != 0) {
            html_free(d);
            return slsim_error_set(err, NULL, 0, 0, NULL, "--html: a picture could not be drawn");
        }
        html_svg(d, svg, in->plots[i].title);
        free(svg);
    }
    if (in->report_text) {
        html_heading(d, 2, "Report");
        html_pre(d, in->report_text);
    }
    if (in->csv_text) {
        html_heading(d, 2, in->csv_title ? in->csv_title : "Every number");
        if (in->csv_keep) {
            html_paragraph(d, "The main columns; every report field is in the command's "
                              "CSV output (--format csv).");
            html_csv_table_some(d, in->csv_text, in->csv_keep, in->n_csv_keep,
                                in->csv_before);
        } else {
            html_csv_table(d, in->csv_text);
        }
    }
    char *yaml = cli_format(scenario_text, (void *)s, NULL);
    html_heading(d, 2, "Scenario, as simulated (overrides applied)");
    html_pre(d, yaml ? yaml : "(could not be written)");
    free(yaml);
    int rc = html_write(d, in->path, in->force, err);
    html_free(d);
    return rc;
}

void html_command_line(int argc, char **argv, const char *cmd, char *buf, size_t n)
{
    size_t w = (size_t)snprintf(buf, n, "slsim %s", cmd);
    for (int i = 1; i < argc && w < n; i++)
        w += (size_t)snprintf(buf + w, n - w, " %s", argv[i]);
}
