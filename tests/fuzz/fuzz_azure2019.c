/* fuzz_azure2019 - the Azure Functions 2019 reader: an invocations file, and
 * optionally a durations and a memory file.
 *
 * Input: byte 0 the reader options (fuzz_spec_common), byte 1 the replay options
 * (fuzz_opts_from), then the invocations file; a NUL byte starts the durations
 * file, a second NUL the memory file. */
#include "fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t b0 = data[0], b1 = data[1];
    data += 2;
    size -= 2;
    const uint8_t *part[3] = {data, NULL, NULL};
    size_t len[3] = {size, 0, 0};
    for (int i = 0; i < 2; i++) {
        const uint8_t *nul = memchr(part[i], 0, len[i]);
        if (!nul)
            break;
        part[i + 1] = nul + 1;
        len[i + 1] = len[i] - (size_t)(nul + 1 - part[i]);
        len[i] = (size_t)(nul - part[i]);
    }
    if (fuzz_counts_too_many(part[0], len[0], 4))
        return 0;
    struct trace_spec t;
    fuzz_spec(&t, TRACE_AZURE2019, part[0], len[0]);
    fuzz_spec_common(&t, b0);
    if (part[1])
        snprintf(t.durations, sizeof t.durations, "%s",
                 fuzz_write(1, ".csv", part[1], len[1]));
    if (part[2])
        snprintf(t.memory, sizeof t.memory, "%s", fuzz_write(2, ".csv", part[2], len[2]));
    fuzz_trace_check(&t, b1);
    trace_spec_free(&t);
    return 0;
}
