/* test_tokens.c - requests carry prompt and output tokens: from the Azure LLM traces
 * (ContextTokens, GeneratedTokens) or drawn from workload.tokens, on a stream of their
 * own; the per-request token formula trace.tokens is retired. */
#include <math.h>
#include <string.h>

#include "cli_helpers.h"
#include "helpers.h"
#include "slsim/workload.h"

#define LLM_CONV "traces/azure-llm/AzureLLMInferenceTrace_conv.csv"
#define LLM_CODE "traces/azure-llm/AzureLLMInferenceTrace_code.csv"

/* The samples' totals, by awk over the files themselves:
 *   awk -F, 'NR>1 {n++; c+=$2; g+=$3; if ($2+$3 > 4096) o++}
 *            END {print n, c, g, o}' traces/azure-llm/AzureLLMInferenceTrace_conv.csv
 * conv: 19366 requests, 22361870 context tokens, 4088665 generated tokens, and 1612
 * requests whose prompt plus output exceeds Llama-2's 4,096-token context (the
 * number issue 15 gives; the LLM scheduler rejects and counts them);
 * code: 8819 requests, 18059974 context, 245896 generated, 1257 over 4,096. */
#define CONV_REQUESTS 19366u
#define CONV_PROMPT_TOKENS 22361870u
#define CONV_OUTPUT_TOKENS 4088665u
#define CONV_OVER_4096 1612u
#define CODE_REQUESTS 8819u
#define CODE_PROMPT_TOKENS 18059974u
#define CODE_OUTPUT_TOKENS 245896u
#define CODE_OVER_4096 1257u

struct totals {
    uint64_t requests, prompt, output, over_4096;
    uint64_t zero_tokens; /* requests with a 0 in either count */
    sim_time service_min, service_max;
};

/* Every request of replication 0 of s, summed. */
static struct totals replay(const struct scenario *s)
{
    struct slsim_error err;
    struct workload *w =
        workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    cr_assert(w, "%s", err.message);
    struct totals t = {0, 0, 0, 0, 0, SIM_TIME_FOREVER, 0};
    struct request r;
    int got;
    while ((got = workload_next(w, &r)) == 1) {
        t.requests++;
        t.prompt += r.prompt_tokens;
        t.output += r.output_tokens;
        t.over_4096 += (uint64_t)r.prompt_tokens + r.output_tokens > 4096;
        t.zero_tokens += r.prompt_tokens == 0 || r.output_tokens == 0;
        t.service_min = r.service_ns < t.service_min ? r.service_ns : t.service_min;
        t.service_max = r.service_ns > t.service_max ? r.service_ns : t.service_max;
    }
    cr_assert_eq(got, 0, "%s", workload_error(w)->message);
    workload_destroy(w);
    return t;
}

static struct totals replay_yaml(const char *yaml)
{
    struct scenario *s = load_yaml(yaml);
    struct totals t = replay(s);
    scenario_destroy(s);
    return t;
}

/* ---- (a) the Azure LLM samples ----------------------------------------------------- */

Test(tokens, conv_sample_replays_with_its_exact_request_and_token_totals)
{
    struct totals t = replay_yaml("duration: 2h\nmodel: {service: 50ms}\n"
                                  "workload: {arrival: trace, trace: {format: azure-llm, path: "
                                  LLM_CONV "}}\ndeployments: [{coldstart: none}]\n");
    cr_assert_eq(t.requests, CONV_REQUESTS);
    cr_assert_eq(t.prompt, CONV_PROMPT_TOKENS);
    cr_assert_eq(t.output, CONV_OUTPUT_TOKENS);
    cr_assert_eq(t.over_4096, CONV_OVER_4096);
    cr_assert_eq(t.zero_tokens, 0);
    /* No durations in the trace: every request takes model.service. */
    cr_assert_eq(t.service_min, 50 * SIM_NS_PER_MS);
    cr_assert_eq(t.service_max, 50 * SIM_NS_PER_MS);
}

Test(tokens, code_sample_replays_with_its_exact_request_and_token_totals)
{
    struct totals t = replay_yaml("duration: 2h\nmodel: {service: 50ms}\n"
                                  "workload: {arrival: trace, trace: {format: azure-llm, path: "
                                  LLM_CODE "}}\ndeployments: [{coldstart: none}]\n");
    cr_assert_eq(t.requests, CODE_REQUESTS);
    cr_assert_eq(t.prompt, CODE_PROMPT_TOKENS);
    cr_assert_eq(t.output, CODE_OUTPUT_TOKENS);
    cr_assert_eq(t.over_4096, CODE_OVER_4096);
}

Test(tokens, rate_scale_copies_carry_the_tokens_of_their_request)
{
    /* rate_scale 2: each request exactly twice, tokens and all: 2 x the totals. */
    struct totals t = replay_yaml("duration: 2h\nmodel: {service: 50ms}\n"
                                  "workload: {arrival: trace, trace: {format: azure-llm, path: "
                                  LLM_CODE ", rate_scale: 2}}\ndeployments: [{coldstart: none}]\n");
    cr_assert_eq(t.requests, 2 * CODE_REQUESTS);
    cr_assert_eq(t.prompt, 2 * (uint64_t)CODE_PROMPT_TOKENS);
    cr_assert_eq(t.output, 2 * (uint64_t)CODE_OUTPUT_TOKENS);
}

Test(tokens, a_trace_without_tokens_and_a_synthetic_workload_without_them_carry_none)
{
    struct totals t = replay_yaml("duration: 10s\nmodel: {service: 1ms}\n"
                                  "workload: {arrival: poisson, rate: 100/s}\n"
                                  "deployments: [{coldstart: none}]\n");
    cr_assert_gt(t.requests, 0);
    cr_assert_eq(t.prompt + t.output, 0);
    t = replay_yaml("duration: 1h\nmodel: {service: 1ms}\n"
                    "workload: {arrival: trace, trace: {format: csv, path: "
                    "tests/data/traces/events/csv_seconds.csv, columns: {time: ts, function: fn,"
                    " duration: dur_ms}, duration_unit: 1ms}}\n"
                    "deployments: [{coldstart: none}]\n");
    cr_assert_gt(t.requests, 0);
    cr_assert_eq(t.prompt + t.output, 0);
}

/* ---- (b) workload.tokens ----------------------------------------------------------- */

#define SYNTH(tokens)                                                                      \
    "duration: 100s\nseed: 7\nmodel: {llm: llama-3-8b, service: 1ms}\n"                   \
    "workload: {arrival: poisson, rate: 100/s, tokens: " tokens "}\n"                      \
    "deployments: [{type: dedicated, instance: g6e.xlarge}]\n"

Test(tokens, a_constant_distribution_gives_exactly_its_value_to_every_request)
{
    /* {dist: constant, value: 128} and the plain 7: n requests, 128 n and 7 n. */
    struct totals t = replay_yaml(SYNTH("{prompt: {dist: constant, value: 128}, output: 7}"));
    cr_assert_gt(t.requests, 9000);
    cr_assert_eq(t.prompt, 128 * t.requests);
    cr_assert_eq(t.output, 7 * t.requests);
    cr_assert_eq(t.zero_tokens, 0);
}

Test(tokens, samples_round_to_the_nearest_token_halves_up_and_never_below_1)
{
    /* 2.5 rounds to 3 (halves up), 1.49 to 1; 0.3 and 0 round below 1 and are
     * floored to 1 (a request has a prompt and makes a token). */
    struct totals t = replay_yaml(SYNTH("{prompt: 2.5, output: 1.49}"));
    cr_assert_eq(t.prompt, 3 * t.requests);
    cr_assert_eq(t.output, 1 * t.requests);
    t = replay_yaml(SYNTH("{prompt: 0.3, output: {dist: constant, value: 0}}"));
    cr_assert_eq(t.prompt, t.requests);
    cr_assert_eq(t.output, t.requests);
    /* Past what a request holds (2^32 - 1): the most it holds. */
    t = replay_yaml(SYNTH("{prompt: 1e12, output: 4294967294.6}"));
    cr_assert_eq(t.prompt, 4294967295ull * t.requests);
    cr_assert_eq(t.output, 4294967295ull * t.requests);
}

Test(tokens, lognormal_sample_mean_is_near_the_mean)
{
    /* Lognormal mean 1000, cv 1.2: sd 1200, so over n ~ 1e5 requests the sample
     * mean's standard error is 1200 / sqrt(1e5) = 3.8 tokens; rounding to whole
     * tokens moves the mean by well under 0.01, and the floor of 1 never acts
     * (P(X < 1.5) = Phi((ln 1.5 - 6.46) / 0.944) ~ 1e-10). Allow 5 standard errors.
     * Output: exponential mean 200 (sd 200, se 0.63); the floor raises the 0.25%
     * of samples below 0.5 from 0 to 1, adding under 0.003 tokens to the mean, and
     * rounding moves it by about 1 / (12 x 200) = 0.0004: within 5 se + 0.05. */
    struct totals t = replay_yaml(
        "duration: 1000s\nseed: 3\nmodel: {llm: llama-3-8b, service: 1ms}\n"
        "workload: {arrival: poisson, rate: 100/s, tokens: {prompt: {dist: lognormal, mean: "
        "1000, cv: 1.2}, output: {dist: exponential, mean: 200}}}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge}]\n");
    double n = (double)t.requests;
    cr_assert_gt(n, 99000);
    double prompt_mean = (double)t.prompt / n, output_mean = (double)t.output / n;
    cr_assert(fabs(prompt_mean - 1000) < 5 * 1200 / sqrt(n), "prompt mean %.2f", prompt_mean);
    cr_assert(fabs(output_mean - 200) < 5 * 200 / sqrt(n) + 0.05, "output mean %.2f",
              output_mean);
}

Test(tokens, a_trace_without_tokens_takes_workload_tokens)
{
    struct totals t = replay_yaml("duration: 1h\nmodel: {llm: llama-3-8b, service: 1ms}\n"
                                  "workload: {arrival: trace, trace: {format: csv, path: "
                                  "tests/data/traces/events/csv_seconds.csv, columns: {time: ts, "
                                  "function: fn}}, tokens: {prompt: 64, output: 16}}\n"
                                  "deployments: [{type: dedicated, instance: g6e.xlarge}]\n");
    cr_assert_gt(t.requests, 0);
    cr_assert_eq(t.prompt, 64 * t.requests);
    cr_assert_eq(t.output, 16 * t.requests);
}

/* ---- (c) the same seed, the same tokens; nothing else moves ------------------------ */

#define CMP_REQUESTS 5000

/* The first CMP_REQUESTS requests of replication rep of yaml into out; the count. */
static size_t first_requests(const char *yaml, uint32_t rep, struct request *out)
{
    struct scenario *s = load_yaml(yaml);
    struct slsim_error err;
    struct workload *w =
        workload_create(&s->workload, &s->model.service, s->seed, rep, s->duration_ns, &err);
    cr_assert(w, "%s", err.message);
    size_t n = 0;
    while (n < CMP_REQUESTS && workload_next(w, &out[n]) == 1)
        n++;
    workload_destroy(w);
    scenario_destroy(s);
    return n;
}

Test(tokens, the_same_seed_draws_the_same_tokens_and_tokens_move_no_other_draw)
{
    static struct request a[CMP_REQUESTS], b[CMP_REQUESTS], c[CMP_REQUESTS], d[CMP_REQUESTS];
    const char *with = "duration: 100s\nseed: 11\nmodel: {llm: llama-3-8b, service: {dist: "
                       "exponential, mean: 10ms}}\nworkload: {arrival: poisson, rate: 100/s, "
                       "functions: 5, tokens: {prompt: {dist: lognormal, mean: 500, cv: 1}, "
                       "output: {dist: gamma, mean: 100, cv: 0.5}}}\n"
                       "deployments: [{type: dedicated, instance: g6e.xlarge}]\n";
    const char *without = "duration: 100s\nseed: 11\nmodel: {service: {dist: exponential, mean: "
                          "10ms}}\nworkload: {arrival: poisson, rate: 100/s, functions: 5}\n"
                          "deployments: [{coldstart: none}]\n";
    size_t n = first_requests(with, 0, a);
    cr_assert_eq(n, CMP_REQUESTS);
    /* Another workload from the same (seed, replication): what a second deployment
     * of the scenario is fed. */
    cr_assert_eq(first_requests(with, 0, b), n);
    cr_assert_eq(first_requests(without, 0, c), n);
    size_t differ = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(a[i].prompt_tokens, b[i].prompt_tokens, "request %zu", i);
        cr_assert_eq(a[i].output_tokens, b[i].output_tokens, "request %zu", i);
        cr_assert_gt(a[i].prompt_tokens, 0);
        /* Without tokens: the same arrival, service and function, no tokens. */
        cr_assert_eq(a[i].arrival_ns, c[i].arrival_ns, "request %zu", i);
        cr_assert_eq(a[i].service_ns, c[i].service_ns, "request %zu", i);
        cr_assert_eq(a[i].function, c[i].function, "request %zu", i);
        cr_assert_eq(c[i].prompt_tokens + c[i].output_tokens, 0);
    }
    /* Another replication draws other tokens. */
    cr_assert_eq(first_requests(with, 1, d), n);
    for (size_t i = 0; i < n; i++)
        differ += d[i].prompt_tokens != a[i].prompt_tokens;
    cr_assert_gt(differ, n / 2, "%zu of %zu differ", differ, n);
}

/* ---- (d) the retired formula --------------------------------------------------------- */

Test(tokens, trace_tokens_is_retired_in_a_scenario_and_as_an_option)
{
    struct slsim_error err = load_yaml_error(
        "duration: 1h\nmodel: {service: 1s}\n"
        "workload:\n  arrival: trace\n  trace:\n    format: azure-llm\n    path: " LLM_CODE
        "\n    tokens: {base: 40ms, prefill: 0.12ms, decode: 22ms}\n"
        "deployments: [{coldstart: none}]\n");
    cr_assert_str_eq(err.key, "workload.trace.tokens");
    cr_assert_eq(err.line, 8);
    cr_assert_eq(err.column, 13);
    cr_assert(strstr(err.message, "was retired"), "%s", err.message);
    cr_assert(strstr(err.message, "model.llm (llama-2-7b, llama-2-13b, llama-2-70b, llama-3-8b, "
                                  "llama-3-70b"),
              "%s", err.message);
    cr_assert(strstr(err.message, "serving:"), "%s", err.message);
    struct outcome o = run("trace stats " LLM_CODE " --tokens 40ms");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "--tokens:1:1: workload.trace.tokens") && strstr(o.err, "retired"),
              "%s", o.err);
    outcome_free(&o);
}

Test(tokens, workload_tokens_with_a_trace_that_gives_tokens_is_an_error)
{
    struct slsim_error err = load_yaml_error(
        "duration: 1h\nmodel: {service: 1s}\n"
        "workload: {arrival: trace, trace: {format: azure-llm, path: " LLM_CODE "},"
        " tokens: {prompt: 1, output: 1}}\ndeployments: [{coldstart: none}]\n");
    cr_assert_str_eq(err.key, "workload.tokens");
    cr_assert(strstr(err.message, "gives each request its tokens"), "%s", err.message);
}

/* ---- trace stats ---------------------------------------------------------------------- */

Test(tokens, trace_stats_gives_an_llm_traces_token_totals_and_means)
{
    /* conv: 22361870 / 19366 = 1154.7 prompt tokens a request, 4088665 / 19366 =
     * 211.1 output tokens. */
    struct outcome o = run("trace stats " LLM_CONV);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "prompt tokens     22361870, mean 1154.7 per request\n"), "%s", o.out);
    cr_assert(strstr(o.out, "output tokens     4088665, mean 211.1 per request\n"), "%s", o.out);
    outcome_free(&o);
    /* code, in JSON: 18059974 / 8819 = 2047.848..., 245896 / 8819 = 27.882... */
    o = run("trace stats " LLM_CODE " --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "\"prompt_total\":\t18059974,"), "%s", o.out);
    cr_assert(strstr(o.out, "\"prompt_mean\":\t2047.84828"), "%s", o.out);
    cr_assert(strstr(o.out, "\"output_total\":\t245896,"), "%s", o.out);
    cr_assert(strstr(o.out, "\"output_mean\":\t27.88252"), "%s", o.out);
    outcome_free(&o);
    /* A trace without tokens says nothing of them. */
    o = run("trace stats traces/azure2021/Azure2021_200.csv --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(!strstr(o.out, "tokens"), "%s", o.out);
    outcome_free(&o);
}
