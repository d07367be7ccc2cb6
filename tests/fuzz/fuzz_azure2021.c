/* fuzz_azure2021 - the Azure Functions 2021 reader (app,func,end_timestamp,duration
 * per invocation, unsorted within a reordering window).
 *
 * Input: byte 0 the reader options (fuzz_spec_common; bits 4-5 the reordering
 * window: 60 s, 0, 1 s or 1 h), byte 1 the replay options, then the file. */
#include "fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const sim_time reorder[] = {60 * SIM_NS_PER_S, 0, SIM_NS_PER_S, 3600 * SIM_NS_PER_S};
    if (size < 2)
        return 0;
    struct trace_spec t;
    fuzz_spec(&t, TRACE_AZURE2021, data + 2, size - 2);
    fuzz_spec_common(&t, data[0]);
    t.reorder_ns = reorder[(data[0] >> 4) & 3];
    fuzz_trace_check(&t, data[1]);
    trace_spec_free(&t);
    return 0;
}
