/* fuzz_azure_llm - the Azure LLM inference reader (TIMESTAMP,ContextTokens,
 * GeneratedTokens per request: each request's prompt and output tokens).
 *
 * Input: byte 0 the reader options (fuzz_spec_common; bit 4 unused, once the
 * retired token model; bit 5 service from the model), byte 1 the replay options,
 * then the file. */
#include "fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct trace_spec t;
    fuzz_spec(&t, TRACE_AZURE_LLM, data + 2, size - 2);
    fuzz_spec_common(&t, data[0]);
    t.service_from_model = (data[0] >> 5) & 1;
    fuzz_trace_check(&t, data[1]);
    trace_spec_free(&t);
    return 0;
}
