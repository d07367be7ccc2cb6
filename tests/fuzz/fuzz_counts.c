/* fuzz_counts - the counts reader: time and request count per interval, for one
 * function.
 *
 * Input: byte 0 the reader options (fuzz_spec_common: within mode, skip_bad,
 * header) and bits 4-5 the time unit, bits 6-7 the interval (60 s, 1 s, 1 ms,
 * 5 min); byte 1 the replay options, then the file. */
#include "fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum trace_time_unit units[] = {TIME_SECONDS, TIME_MILLISECONDS,
                                                 TIME_MICROSECONDS, TIME_ISO8601};
    static const sim_time intervals[] = {60 * SIM_NS_PER_S, SIM_NS_PER_S, 1000000LL,
                                         300 * SIM_NS_PER_S};
    if (size < 2 || fuzz_counts_too_many(data + 2, size - 2, 1))
        return 0;
    struct trace_spec t;
    fuzz_spec(&t, TRACE_COUNTS, data + 2, size - 2);
    fuzz_spec_common(&t, data[0]);
    t.time_unit = units[(data[0] >> 4) & 3];
    t.interval_ns = intervals[(data[0] >> 6) & 3];
    t.interval_given = 1;
    fuzz_trace_check(&t, data[1]);
    trace_spec_free(&t);
    return 0;
}
