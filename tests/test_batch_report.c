/* test_batch_report.c - dynamic batching's numbers in every report format
 * (docs/REPORT.md, "Batching"): batch size mean and histogram, accelerator busy
 * fraction, wait share, items per second and queue rejections, worked by hand; a
 * hybrid's total from its parts; and no batching field in a run that does not batch. */
#include <cjson/cJSON.h>
#include <math.h>

#include "csv_helpers.h"
#include "helpers.h"
#include "slsim/report.h"
#include "slsim/summary.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"

/* The fleet of test_batching.c: one box8 machine, a batch of b taking 2 ms + b x 1 ms,
 * max_batch_size 32 and a 45 ms delay. */
#define GPU                                                                          \
    "{name: gpu, type: dedicated, instance: box8, count: 1,"                         \
    " perf: {linear: {base: 2ms, per_item: 1ms}},"                                   \
    " batching: {max_batch_size: 32, max_queue_delay: 45ms}}"
#define PLAIN "{name: plain, type: dedicated, instance: box8, count: 1}"

/* Constant arrivals at 100/s for 10.005 s (at 10, 20, ..., 10,000 ms: 1,000 of them),
 * service 10 ms, replications as given, the deployments as given. */
static struct scenario *constant(const char *deployments, int replications)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "name: constant\nduration: 10.005s\nseed: 1\nreplications: %d\n"
                     "model: {service: 10ms}\nworkload: {arrival: constant, rate: 100/s}\n"
                     "deployments: [%s]\n",
             replications, deployments);
    return load_yaml(yaml);
}

static char *render(const struct scenario *s, const struct run_output *out,
                    enum report_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(report_write(f, fmt, s, out), 0);
    fclose(f);
    return buf;
}

static void run_all(const struct scenario *s, struct run_output *out)
{
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 1};
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, out, &err), 0, "run failed: %s", err.message);
}

/* The constant-arrival case by hand. The first request of each batch waits the 45 ms
 * delay, by when 5 have come, so all 1,000 requests go in 200 batches of 5 (bucket
 * 5-8). A batch takes 2 + 5 x 1 = 7 ms, so its requests end 52, 42, 32, 22 and 12 ms
 * after they came, having waited 45, 35, 25, 15 and 5 ms: wait share 125 / 160 =
 * 0.78125. Items per second: 1,000 / 10.005 s. Batch k (from 0) is sent at
 * 10 + 50 k + 45 ms; the last (k = 199) at 10,005 ms, the end of the run, so its time
 * falls outside the measured period: busy 199 x 7 ms = 1.393 s of the machine's
 * 10.005 s. */
#define HAND_BATCHES 200
#define HAND_WAIT_SHARE (125.0 / 160.0)
#define HAND_ITEMS_PER_S (1000.0 / 10.005)
#define HAND_BUSY (199 * 0.007 / 10.005)

Test(batch_report, constant_arrivals_by_hand_mean_histogram_busy_wait_items)
{
    struct scenario *s = constant(GPU, 1);
    struct deployment_result r = run_one(s, 0);
    cr_assert(r.batch.on);
    cr_assert_float_eq(result_batch_mean(&r), 5.0, 1e-12);
    cr_assert_float_eq(result_batch_wait_share(&r), HAND_WAIT_SHARE, 1e-9);
    cr_assert_float_eq(result_items_per_s(&r), HAND_ITEMS_PER_S, 1e-9);
    cr_assert_float_eq(result_accelerator_busy_fraction(&r), HAND_BUSY, 1e-9, "%.12g",
                       result_accelerator_busy_fraction(&r));

    /* The same numbers through the record and the field list every format prints. */
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f);
    cr_assert_float_eq(summary_field_value(f, n, "batches"), HAND_BATCHES, 0);
    cr_assert_float_eq(summary_field_value(f, n, "batch_size.mean"), 5.0, 1e-12);
    cr_assert_float_eq(summary_field_value(f, n, "batch_size.histogram.5-8"), HAND_BATCHES, 0);
    cr_assert_float_eq(summary_field_value(f, n, "batch_size.histogram.3-4"), 0, 0);
    cr_assert_float_eq(summary_field_value(f, n, "accelerator_busy_fraction"), HAND_BUSY, 1e-9);
    cr_assert_float_eq(summary_field_value(f, n, "batch_wait_share"), HAND_WAIT_SHARE, 1e-9);
    cr_assert_float_eq(summary_field_value(f, n, "items_per_s"), HAND_ITEMS_PER_S, 1e-9);
    cr_assert_float_eq(summary_field_value(f, n, "queue_rejected"), 0, 0);
    for (size_t i = 0; i < n; i++) /* the LLM fields are absent: the model is no LLM */
        cr_assert(!f[i].absent || f[i].llm, "%s is absent on a deployment that batches",
                  f[i].path);
    result_free(&r);
    scenario_destroy(s);
}

Test(batch_report, queue_rejected_counts_max_queue_size_rejections)
{
    /* test_batching.c's case: max_batch_size 1, no delay, 100 ms a request, arrivals
     * every 20 ms from 20 to 1,000 ms (50), max_queue_size 2: 12 accepted, 38 rejected
     * at max_queue_size. */
    struct scenario *s = load_yaml(
        PRICING "duration: 1.01s\nseed: 1\nmodel: {service: 100ms}\n"
                "workload: {arrival: constant, rate: 50/s}\n"
                "deployments: [{type: dedicated, instance: box8, count: 1,"
                " batching: {max_batch_size: 1, max_queue_size: 2}}]\n");
    struct deployment_result r = run_one(s, 0);
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f);
    cr_assert_float_eq(summary_field_value(f, n, "queue_rejected"), 38, 0);
    /* 12 batches of one: all in bucket 1, mean 1. */
    cr_assert_float_eq(summary_field_value(f, n, "batches"), 12, 0);
    cr_assert_float_eq(summary_field_value(f, n, "batch_size.histogram.1"), 12, 0);
    cr_assert_float_eq(summary_field_value(f, n, "batch_size.mean"), 1, 0);
    result_free(&r);
    scenario_destroy(s);
}

Test(batch_report, a_deployment_that_does_not_batch_has_its_batching_fields_absent)
{
    struct scenario *s = constant(PLAIN, 1);
    struct deployment_result r = run_one(s, 0);
    cr_assert(!r.batch.on);
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f);
    size_t batching = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(f[i].absent, f[i].batching || f[i].llm, "%s", f[i].path);
        batching += (size_t)f[i].batching;
    }
    /* batches, the mean, 13 buckets, busy fraction, wait share, items/s, rejected. */
    cr_assert_eq(batching, 6 + BATCH_BUCKETS);
    result_free(&r);
    scenario_destroy(s);
}

Test(batch_report, bucket_names_hold_the_sizes_batch_bucket_puts_there)
{
    /* Bucket k holds (2^(k-1), 2^k]: its name "lo-hi" (or "n" for one size) contains
     * exactly the sizes batch_bucket maps to k. */
    for (uint32_t size = 1; size <= 4096; size++) {
        int k = batch_bucket(size);
        const char *name = batch_bucket_name(k);
        unsigned lo = 0, hi = 0;
        int got = sscanf(name, "%u-%u", &lo, &hi);
        if (got == 1)
            hi = lo;
        cr_assert(got >= 1 && lo <= size && size <= hi, "size %u in bucket %d named %s", size,
                  k, name);
    }
    /* The field paths use the same names. */
    struct trial_record rec;
    memset(&rec, 0, sizeof rec);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f);
    for (int k = 0; k < BATCH_BUCKETS; k++) {
        char path[64];
        snprintf(path, sizeof path, "batch_size.histogram.%s", batch_bucket_name(k));
        size_t i = 0;
        while (i < n && strcmp(f[i].path, path) != 0)
            i++;
        cr_assert_lt(i, n, "no field %s", path);
    }
}

Test(batch_report, result_combine_adds_batch_stats_and_busy_counts_batching_tiers_only)
{
    /* Base: batches 3 of 10 requests (sizes 2, 4, 4), 4 s busy of 10 s machine-time,
     * wait 2 s of 5 s latency, 1 rejected. Overflow: no batching, 30 s of instances.
     * The sum batches, with every count and time added; its busy fraction is over the
     * base's 10 s (4 / 10 = 0.4), not the 40 s of both tiers (0.1). */
    struct deployment_result parts[2];
    result_init(&parts[0]);
    result_init(&parts[1]);
    parts[0].instance_s = 10;
    parts[0].measured_s = 20;
    parts[0].batch = (struct batch_stats){.on = 1, .batches = 3, .items = 10, .busy_s = 4,
                                          .wait_s = 2, .latency_s = 5, .queue_rejected = 1};
    parts[0].batch.size_buckets[batch_bucket(2)] = 1;
    parts[0].batch.size_buckets[batch_bucket(4)] = 2;
    parts[1].instance_s = 30;
    parts[1].measured_s = 20;
    struct deployment_result sum;
    cr_assert_eq(result_combine(&sum, parts, 2), 0);
    cr_assert(sum.batch.on);
    cr_assert_eq(sum.batch.batches, 3);
    cr_assert_eq(sum.batch.items, 10);
    cr_assert_eq(sum.batch.size_buckets[1], 1);
    cr_assert_eq(sum.batch.size_buckets[2], 2);
    cr_assert_eq(sum.batch.queue_rejected, 1);
    cr_assert_float_eq(sum.batch.busy_s, 4, 0);
    cr_assert_float_eq(result_batch_mean(&sum), 10.0 / 3, 1e-12);
    cr_assert_float_eq(result_batch_wait_share(&sum), 0.4, 1e-12);
    cr_assert_float_eq(result_items_per_s(&sum), 0.5, 1e-12);
    sum.tiers = parts; /* as hybrid.c attaches them */
    sum.n_tiers = 2;
    cr_assert_float_eq(result_accelerator_busy_fraction(&sum), 0.4, 1e-12);
    cr_assert_float_eq(result_accelerator_busy_fraction(&parts[0]), 0.4, 1e-12);
    cr_assert_float_eq(result_accelerator_busy_fraction(&parts[1]), 0, 0);
    sum.tiers = NULL;
    sum.n_tiers = 0;
    result_free(&sum);
}

Test(batch_report, a_hybrid_carries_its_bases_batches_into_its_total_and_tier_records)
{
    /* The constant-arrival fleet as a hybrid's base, taking a request while fewer than
     * 10 wait (never more than 4 do): it takes every request, so the overflow stays
     * empty and the total's numbers are the base's, worked by hand above. */
    struct scenario *s =
        constant("{name: mixed, type: hybrid, base: {instance: box8, count: 1,"
                 " perf: {linear: {base: 2ms, per_item: 1ms}},"
                 " batching: {max_batch_size: 32, max_queue_delay: 45ms}},"
                 " overflow: {platform: busy-100ms, coldstart: none}, overflow_queue: 10}",
                 1);
    struct deployment_result r = run_one(s, 0);
    struct trial_record rec, tiers[TRIAL_MAX_TIERS];
    trial_flatten(&r, &s->slo, &rec, tiers);
    cr_assert(rec.batch.on);
    cr_assert(tiers[0].batch.on);
    cr_assert(!tiers[1].batch.on);
    cr_assert_eq(tiers[1].requests, 0);
    cr_assert_eq(rec.batch.batches, HAND_BATCHES);
    cr_assert_eq(rec.batch.size_buckets[batch_bucket(5)], HAND_BATCHES);
    cr_assert_float_eq(rec.batch_size_mean, 5.0, 1e-12);
    cr_assert_float_eq(rec.batch_wait_share, HAND_WAIT_SHARE, 1e-9);
    cr_assert_float_eq(rec.items_per_s, HAND_ITEMS_PER_S, 1e-9);
    cr_assert_float_eq(rec.accelerator_busy_fraction, HAND_BUSY, 1e-9, "%.12g",
                       rec.accelerator_busy_fraction);
    cr_assert_float_eq(tiers[0].accelerator_busy_fraction, HAND_BUSY, 1e-9);
    result_free(&r);
    scenario_destroy(s);
}

/* The member at dotted path under o, or NULL. */
static const cJSON *at(const cJSON *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && o; tok = strtok(NULL, "."))
        o = cJSON_GetObjectItemCaseSensitive(o, tok);
    return o;
}

/* The number at dotted path under o, which must be there. */
static double num(const cJSON *o, const char *path)
{
    const cJSON *v = at(o, path);
    cr_assert(v && cJSON_IsNumber(v), "no number at %s", path);
    return v->valuedouble;
}

Test(batch_report, json_nests_batch_size_lists_non_empty_buckets_and_omits_them_without_batching)
{
    struct scenario *s = constant(GPU ", " PLAIN, 1);
    struct run_output out;
    run_all(s, &out);
    char *text = render(s, &out, REPORT_JSON);
    cJSON *root = cJSON_Parse(text);
    cr_assert(root, "not JSON");
    const cJSON *gpu = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), 0);
    const cJSON *plain = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), 1);
    cr_assert_float_eq(num(gpu, "batches"), HAND_BATCHES, 0);
    cr_assert_float_eq(num(gpu, "batch_size.mean"), 5, 1e-12);
    const cJSON *hist = at(gpu, "batch_size.histogram");
    cr_assert(hist);
    cr_assert_eq(cJSON_GetArraySize(hist), 1, "only the non-empty bucket");
    cr_assert_float_eq(num(hist, "5-8"), HAND_BATCHES, 0);
    cr_assert_float_eq(num(gpu, "accelerator_busy_fraction"), HAND_BUSY, 1e-9);
    cr_assert_float_eq(num(gpu, "batch_wait_share"), HAND_WAIT_SHARE, 1e-9);
    cr_assert_float_eq(num(gpu, "items_per_s"), HAND_ITEMS_PER_S, 1e-9);
    cr_assert_float_eq(num(gpu, "queue_rejected"), 0, 0);
    static const char *const batching[] = {"batches", "batch_size", "accelerator_busy_fraction",
                                           "batch_wait_share", "items_per_s", "queue_rejected"};
    for (size_t i = 0; i < sizeof batching / sizeof batching[0]; i++)
        cr_assert_null(at(plain, batching[i]), "plain has %s", batching[i]);
    cr_assert(at(plain, "latency_ms.p99"));
    cJSON_Delete(root);
    free(text);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(batch_report, json_gives_batching_numbers_ci95_siblings_with_replications)
{
    /* Constant arrivals make every replication alike: means as by hand, intervals 0. */
    struct scenario *s = constant(GPU, 2);
    struct run_output out;
    run_all(s, &out);
    char *text = render(s, &out, REPORT_JSON);
    cJSON *root = cJSON_Parse(text);
    const cJSON *gpu = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), 0);
    cr_assert_float_eq(num(gpu, "batch_size.mean"), 5, 1e-12);
    cr_assert_float_eq(num(gpu, "batch_size.mean_ci95"), 0, 0);
    cr_assert_float_eq(num(gpu, "batch_size.histogram.5-8_ci95"), 0, 0);
    cr_assert_float_eq(num(gpu, "batch_wait_share_ci95"), 0, 1e-12);
    cr_assert(at(gpu, "queue_rejected_ci95"));
    cJSON_Delete(root);
    free(text);
    run_output_free(&out);
    scenario_destroy(s);
}


Test(batch_report, csv_appends_batching_columns_empty_for_a_deployment_that_does_not_batch)
{
    struct scenario *s = constant(GPU ", " PLAIN, 1);
    struct run_output out;
    run_all(s, &out);
    char *text = render(s, &out, REPORT_CSV);
    const char *row1 = strchr(text, '\n') + 1, *row2 = strchr(row1, '\n') + 1;
    size_t head = csv_cells(text, strcspn(text, "\n"));
    cr_assert_eq(csv_cells(row1, strcspn(row1, "\n")), head);
    cr_assert_eq(csv_cells(row2, strcspn(row2, "\n")), head);
    /* Appended: the last of them is the last column. */
    cr_assert_eq(csv_column(text, "queue_rejected"), (int)head - 1);
    static const struct {
        const char *column, *gpu;
    } want[] = {
        {"batches", "200"},
        {"batch_size_mean", "5"},
        {"batch_size_histogram_5-8", "200"},
        {"batch_size_histogram_1", "0"},
        {"batch_wait_share", "0.78125"},
        {"queue_rejected", "0"},
    };
    char cell[64];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int k = csv_column(text, want[i].column);
        cr_assert_geq(k, 0, "no column %s", want[i].column);
        csv_cell(row1, k, cell, sizeof cell);
        cr_assert_str_eq(cell, want[i].gpu, "%s", want[i].column);
        csv_cell(row2, k, cell, sizeof cell);
        cr_assert_str_eq(cell, "", "%s of plain", want[i].column);
    }
    int k = csv_column(text, "accelerator_busy_fraction");
    csv_cell(row1, k, cell, sizeof cell);
    cr_assert_float_eq(strtod(cell, NULL), HAND_BUSY, 1e-9);
    free(text);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(batch_report, csv_batching_columns_have_ci95_siblings_with_replications)
{
    struct scenario *s = constant(GPU ", " PLAIN, 2);
    struct run_output out;
    run_all(s, &out);
    char *text = render(s, &out, REPORT_CSV);
    int k = csv_column(text, "batch_size_mean");
    cr_assert_geq(k, 0);
    cr_assert_eq(csv_column(text, "batch_size_mean_ci95"), k + 1);
    cr_assert_eq(csv_column(text, "queue_rejected_ci95"),
                 (int)csv_cells(text, strcspn(text, "\n")) - 1);
    /* Every row as wide as the header: replications' rows and the means'. */
    size_t head = csv_cells(text, strcspn(text, "\n"));
    for (const char *line = strchr(text, '\n') + 1; *line; line = strchr(line, '\n') + 1)
        cr_assert_eq(csv_cells(line, strcspn(line, "\n")), head, "%.*s",
                     (int)strcspn(line, "\n"), line);
    free(text);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(batch_report, no_batching_field_in_any_format_of_a_run_that_does_not_batch)
{
    struct scenario *s = constant(PLAIN, 1);
    struct run_output out;
    run_all(s, &out);
    static const enum report_format fmts[] = {REPORT_TEXT, REPORT_JSON, REPORT_CSV, REPORT_MD};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        char *text = render(s, &out, fmts[i]);
        cr_assert_null(strstr(text, "batch"), "format %zu: %s", i, text);
        cr_assert_null(strstr(text, "accel"), "format %zu", i);
        cr_assert_null(strstr(text, "queue_rejected"), "format %zu", i);
        cr_assert_null(strstr(text, "items"), "format %zu", i);
        free(text);
    }
    run_output_free(&out);
    scenario_destroy(s);
}

Test(batch_report, text_and_md_add_a_batching_table_with_a_row_per_batching_deployment)
{
    /* batches 200, mean size 5, busy 1.393 / 10.005 = 13.9%, wait share 78.1%,
     * 99.95 items/s (%.3g: 100), none rejected; plain has no row. */
    struct scenario *s = constant(GPU ", " PLAIN, 1);
    struct run_output out;
    run_all(s, &out);
    char *text = render(s, &out, REPORT_TEXT);
    cr_assert(strstr(text, "deployment  batches  mean size  accel busy  wait share  items/s  "
                           "queue rejected\n"
                           "gpu             200          5       13.9%       78.1%      100  "
                           "             0\n\n"),
              "%s", text);
    cr_assert(strstr(text, "gpu: batches by size 5-8: 200\n"), "%s", text);
    cr_assert_null(strstr(text, "plain: batches"), "%s", text);
    cr_assert(strstr(text, "accel busy: the batching machines' time running a batch"));
    free(text);
    text = render(s, &out, REPORT_MD);
    cr_assert(strstr(text, "| deployment | batches | mean size | accel busy | wait share | "
                           "items/s | queue rejected |\n|---|---:|---:|---:|---:|---:|---:|\n"
                           "| gpu | 200 | 5 | 13.9% | 78.1% | 100 | 0 |\n\n"),
              "%s", text);
    cr_assert(strstr(text, "- gpu: batches by size 5-8: 200\n"), "%s", text);
    free(text);
    run_output_free(&out);
    scenario_destroy(s);
}
