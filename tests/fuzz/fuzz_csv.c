/* fuzz_csv - the generic csv reader: a column mapping by header name or by number,
 * in every time unit.
 *
 * Input: byte 0 the reader options (fuzz_spec_common: bit 3 clear = a header) and
 * bits 4-5 the time unit, bits 6-7 the column mapping; byte 1 the replay options,
 * then the file. */
#include "fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* time, function, duration, memory; names with a header, numbers without. */
static const char *const named[4][4] = {
    {"ts", "fn", "dur_ms", "mem"},
    {"time", "", "", ""},
    {"t", "f", "", ""},
    {"when", "fn", "", ""},
};
static const char *const numbered[4][4] = {
    {"2", "1", "3", ""},
    {"1", "", "", ""},
    {"1", "2", "3", "4"},
    {"1", "2", "", "3"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum trace_time_unit units[] = {TIME_SECONDS, TIME_MILLISECONDS,
                                                 TIME_MICROSECONDS, TIME_ISO8601};
    if (size < 2)
        return 0;
    struct trace_spec t;
    fuzz_spec(&t, TRACE_CSV, data + 2, size - 2);
    fuzz_spec_common(&t, data[0]);
    t.time_unit = units[(data[0] >> 4) & 3];
    const char *const *map = (t.header ? named : numbered)[(data[0] >> 6) & 3];
    char *cols[] = {t.col_time, t.col_function, t.col_duration, t.col_memory};
    for (int i = 0; i < 4; i++)
        snprintf(cols[i], TRACE_NAME_MAX, "%s", map[i]);
    t.duration_unit_s = (data[1] & 1) ? 1.0 : 0.001;
    fuzz_trace_check(&t, data[1]);
    trace_spec_free(&t);
    return 0;
}
