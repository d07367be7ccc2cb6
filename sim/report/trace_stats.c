/* trace_stats.c - what a trace holds (`slsim trace stats`) as text, JSON and CSV.
 *
 * Text is a summary for reading, with the busiest functions; JSON has every figure,
 * the per-minute series and the busiest functions; CSV one row of the figures.
 * Figures a count format does not have (per_arrival 0) are said so in text, null in
 * JSON and empty in CSV. Token totals appear, in text and JSON, only for a format
 * whose requests carry tokens (azure-llm), so other traces' output is unchanged. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "writers.h"

/* Of all requests, the share of n (a fraction; 0 for a trace without requests). */
static double share(const struct trace_stats *st, uint64_t n)
{
    return st->requests ? (double)n / (double)st->requests : 0;
}

/* A total over all requests per request (0 for a trace without requests). */
static double mean_per_request(const struct trace_stats *st, uint64_t total)
{
    return st->requests ? (double)total / (double)st->requests : 0;
}

int report_trace_stats_json(FILE *fp, const struct trace_stats *st)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "trace", st->path);
    cJSON_AddStringToObject(root, "format", trace_format_name(st->format));
    cJSON_AddNumberToObject(root, "requests", (double)st->requests);
    cJSON_AddNumberToObject(root, "functions", st->functions);
    cJSON_AddNumberToObject(root, "span_s", st->span_s);
    cJSON_AddNumberToObject(root, "rate_per_min_mean", st->rate_per_min_mean);
    cJSON_AddNumberToObject(root, "rate_per_min_peak", st->rate_per_min_peak);
    cJSON_AddNumberToObject(root, "peak_to_mean", st->peak_to_mean);
    cJSON_AddNumberToObject(root, "duty_cycle", st->duty_cycle);
    if (st->per_arrival) {
        cJSON_AddNumberToObject(root, "interarrival_cv", st->interarrival_cv);
        cJSON *idle = cJSON_AddObjectToObject(root, "idle_time_s");
        cJSON_AddNumberToObject(idle, "p50", st->idle_p50_s);
        cJSON_AddNumberToObject(idle, "p90", st->idle_p90_s);
        cJSON_AddNumberToObject(idle, "p99", st->idle_p99_s);
    } else {
        cJSON_AddNullToObject(root, "interarrival_cv");
        cJSON_AddNullToObject(root, "idle_time_s");
    }
    cJSON_AddNumberToObject(root, "mean_duration_s",
                            st->with_duration ? st->duration_sum_s / (double)st->with_duration
                                              : 0);
    if (st->tokens) {
        cJSON *tok = cJSON_AddObjectToObject(root, "tokens");
        cJSON_AddNumberToObject(tok, "prompt_total", (double)st->prompt_tokens);
        cJSON_AddNumberToObject(tok, "prompt_mean", mean_per_request(st, st->prompt_tokens));
        cJSON_AddNumberToObject(tok, "output_total", (double)st->output_tokens);
        cJSON_AddNumberToObject(tok, "output_mean", mean_per_request(st, st->output_tokens));
    }
    cJSON_AddNumberToObject(root, "skipped_rows", (double)st->skipped_rows);
    cJSON_AddNumberToObject(root, "series_bin_min", st->series_bin_min);
    cJSON *series = cJSON_AddArrayToObject(root, "requests_per_minute");
    for (size_t m = 0; m < st->n_series; m++)
        cJSON_AddItemToArray(series, cJSON_CreateNumber((double)st->series[m]));
    cJSON *arr = cJSON_AddArrayToObject(root, "top_functions");
    for (uint32_t i = 0; i < st->n_top; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "function", st->top[i].name);
        cJSON_AddNumberToObject(f, "requests", (double)st->top[i].requests);
        cJSON_AddNumberToObject(f, "share", share(st, st->top[i].requests));
        cJSON_AddItemToArray(arr, f);
    }
    return report_json_emit(fp, root);
}

int report_trace_stats_csv(FILE *fp, const struct trace_stats *st)
{
    fputs("trace,format,requests,functions,span_s,rate_per_min_mean,rate_per_min_peak,"
          "peak_to_mean,duty_cycle,interarrival_cv,idle_time_s_p50,idle_time_s_p90,"
          "idle_time_s_p99,skipped_rows\n",
          fp);
    fprintf(fp, "%s,%s,%llu,%u,%.9g,%.9g,%.9g,%.9g,%.9g,", st->path,
            trace_format_name(st->format), (unsigned long long)st->requests, st->functions,
            st->span_s, st->rate_per_min_mean, st->rate_per_min_peak, st->peak_to_mean,
            st->duty_cycle);
    if (st->per_arrival)
        fprintf(fp, "%.9g,%.9g,%.9g,%.9g,", st->interarrival_cv, st->idle_p50_s, st->idle_p90_s,
                st->idle_p99_s);
    else
        fputs(",,,,", fp); /* not reported for counts: see the help */
    fprintf(fp, "%llu\n", (unsigned long long)st->skipped_rows);
    return ferror(fp) ? -1 : 0;
}

int report_trace_stats_text(FILE *fp, const struct trace_stats *st)
{
    double bin_min = st->series_bin_min;
    fprintf(fp, "%s (%s)\n", st->path, trace_format_name(st->format));
    fprintf(fp, "  requests          %llu\n", (unsigned long long)st->requests);
    fprintf(fp, "  functions         %u\n", st->functions);
    fprintf(fp, "  span              %.1f s (%.2f h)\n", st->span_s, st->span_s / 3600);
    fprintf(fp, "  rate per minute   mean %.1f, peak %.0f, peak-to-mean %.2f\n",
            st->rate_per_min_mean, st->rate_per_min_peak, st->peak_to_mean);
    if (bin_min > 1)
        fprintf(fp, "  series bins       %.0f minutes (the span is too long for one-minute "
                    "bins: peak and duty cycle are per bin)\n",
                bin_min);
    fprintf(fp, "  duty cycle        %.3f (share of %s with a request)\n", st->duty_cycle,
            bin_min > 1 ? "bins" : "minutes");
    if (st->per_arrival) {
        fprintf(fp, "  inter-arrival CV  %.3f (1 for Poisson)\n", st->interarrival_cv);
        fprintf(fp, "  idle time         p50 %.3g s, p90 %.3g s, p99 %.3g s (per function)\n",
                st->idle_p50_s, st->idle_p90_s, st->idle_p99_s);
    } else {
        fprintf(fp, "  inter-arrival CV  not reported: a count format's arrivals within an "
                    "interval come from within_minute\n");
    }
    if (st->with_duration)
        fprintf(fp, "  mean duration     %.4g s (%llu requests with a duration)\n",
                st->duration_sum_s / (double)st->with_duration,
                (unsigned long long)st->with_duration);
    if (st->tokens) {
        fprintf(fp, "  prompt tokens     %llu, mean %.1f per request\n",
                (unsigned long long)st->prompt_tokens, mean_per_request(st, st->prompt_tokens));
        fprintf(fp, "  output tokens     %llu, mean %.1f per request\n",
                (unsigned long long)st->output_tokens, mean_per_request(st, st->output_tokens));
    }
    if (st->skipped_rows)
        fprintf(fp, "  skipped rows      %llu\n", (unsigned long long)st->skipped_rows);
    if (st->n_top) {
        fprintf(fp, "\n  top %u functions          requests    share\n", st->n_top);
        for (uint32_t i = 0; i < st->n_top; i++) {
            const char *name = st->top[i].name;
            size_t len = strlen(name);
            /* long names (app/function hashes) keep their distinctive end */
            fprintf(fp, "  %-24.24s %10llu  %6.2f%%\n", len > 24 ? name + len - 24 : name,
                    (unsigned long long)st->top[i].requests,
                    st->requests ? 100.0 * (double)st->top[i].requests / (double)st->requests
                                 : 0);
        }
    }
    return ferror(fp) ? -1 : 0;
}
