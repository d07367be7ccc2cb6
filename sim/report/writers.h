/* writers.h - the per-format writers behind report_write (internal to report/). */
#ifndef SLSIM_REPORT_WRITERS_H
#define SLSIM_REPORT_WRITERS_H

#include "slsim/report.h"

int report_write_json(FILE *fp, const struct scenario *s, const struct run_output *out);
int report_write_table(FILE *fp, int markdown, const struct scenario *s,
                       const struct run_output *out);
int report_write_csv(FILE *fp, const struct scenario *s, const struct run_output *out);

#endif
