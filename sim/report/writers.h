/* writers.h - the per-format writers behind report_write (internal to report/). */
#ifndef SLSIM_REPORT_WRITERS_H
#define SLSIM_REPORT_WRITERS_H

#include "slsim/report.h"

int report_write_json(FILE *fp, const struct scenario *s, const struct run_output *out);
int report_write_table(FILE *fp, int markdown, const struct scenario *s,
                       const struct run_output *out);
int report_write_csv(FILE *fp, const struct scenario *s, const struct run_output *out);

/* The value of the field at path in f[0..n), or 0 if absent. */
double report_field_value(const struct report_field *f, size_t n, const char *path);

#endif
