/* report.c - choosing a writer by format. */
#include "writers.h"

int report_write(FILE *fp, enum report_format fmt, const struct scenario *s,
                 const struct run_output *out)
{
    switch (fmt) {
    case REPORT_JSON:
        return report_write_json(fp, s, out);
    case REPORT_CSV:
        return report_write_csv(fp, s, out);
    case REPORT_MD:
        return report_write_table(fp, 1, s, out);
    case REPORT_TEXT:
        break;
    }
    return report_write_table(fp, 0, s, out);
}
