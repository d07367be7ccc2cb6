/* cmd_trace_sort.c - `slsim trace sort`: an unsorted per-event trace (azure2021,
 * csv, azure-llm) in time order, through sorted runs on disk, so that memory is
 * --buffer whatever the size of the file (trace_sort.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_trace.h"
#include "slsim/trace_sort.h"

int cmd_trace_sort(const struct trace_cmd_args *a)
{
    if (!a->out_path)
        return cli_usage_error("trace", "sort needs --out FILE");
    int64_t budget = 256000000;
    char why[200];
    if (a->buffer_text && (units_parse_size(a->buffer_text, &budget, why, sizeof why) != 0 ||
                           budget < 65536))
        return cli_usage_error("trace", "--buffer wants a size of at least 64kB, such as "
                                        "256MB");
    struct slsim_error err;
    struct trace_sort_stats ss;
    memset(&err, 0, sizeof err);
    int rc = trace_sort_file(a->spec->path, a->out_path, a->spec, NULL, (size_t)budget, &ss,
                             &err);
    if (rc != 0) {
        cli_report_error(&err);
        return err.line ? EXIT_USAGE : EXIT_RUN;
    }
    fprintf(stderr, "slsim: sorted %llu rows (%llu runs)%s", (unsigned long long)ss.rows,
            (unsigned long long)ss.runs,
            ss.out_of_order ? "" : "; the input was already in order");
    if (ss.out_of_order)
        fprintf(stderr, "; %llu rows were out of order, the latest by %.3f s",
                (unsigned long long)ss.out_of_order, (double)ss.max_lateness_ns / 1e9);
    fputc('\n', stderr);
    return EXIT_OK;
}
