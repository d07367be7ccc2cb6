/* fuzz_azure_llm - the Azure LLM inference reader (TIMESTAMP,ContextTokens,
 * GeneratedTokens per request), with or without the token model.
 *
 * Input: byte 0 the reader options (fuzz_spec_common; bit 4 a token model of
 * 20 ms + 0.2 ms per context token + 25 ms per generated token, bit 5 service from
 * the model), byte 1 the replay options, then the file. */
#include "fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct trace_spec t;
    fuzz_spec(&t, TRACE_AZURE_LLM, data + 2, size - 2);
    fuzz_spec_common(&t, data[0]);
    if ((data[0] >> 4) & 1) {
        t.llm_base_ns = 20 * 1000000LL;
        t.llm_prefill_ns_per_token = 200000LL;
        t.llm_decode_ns_per_token = 25 * 1000000LL;
    }
    t.service_from_model = (data[0] >> 5) & 1;
    fuzz_trace_check(&t, data[1]);
    trace_spec_free(&t);
    return 0;
}
