/* test_plot_run_kinds.c - the plots of a run besides its latency: the timeline (from the
 * run in memory and from the CSV `run --timeline` wrote, the same data), the batch-size
 * histogram and the TTFT and TPOT CCDFs. Each data file written by plot_write is read
 * back and held against the run's own numbers; where gnuplot is installed, each script
 * draws a well-formed SVG. */
#include "cli_helpers.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/histogram.h"
#include "slsim/plot.h"
#include "slsim/run.h"
#include "slsim/scenario.h"

#define BATCHING "scenarios/examples/gpu-vision-batching.yaml"
#define LLM "scenarios/examples/llm-chat.yaml"
#define SMALL "tests/data/sweep/small.yaml"

/* 18 h at 2/s: both spikes (9 h and 17 h, x4 for 30 min) fall inside. */
static const char *const batching_sets[] = {"duration=18h", "workload.rate=2/s"};

static struct scenario *load(const char *path, const char *const *sets, size_t n)
{
    struct scenario *s = NULL;
    struct slsim_error err = {0};
    cr_assert_eq(scenario_load(path, sets, n, &s, &err), 0, "%s: %s", path, err.message);
    return s;
}

static void simulate(const struct scenario *s, sim_time step_ns, struct run_output *out)
{
    struct run_options opt = {.timeline_step_ns = step_ns, .jobs = 1};
    struct slsim_error err = {0};
    cr_assert_eq(run_scenario(s, &opt, out, &err), 0, "%s", err.message);
}

/* The data file and the script plot_write gives for p, into memory. */
struct written {
    char *data, *script;
    size_t data_len, script_len;
};

static struct written write_plot(const struct plot *p, const char *data_path,
                                 const char *out_path)
{
    struct written w = {0};
    FILE *d = open_memstream(&w.data, &w.data_len);
    FILE *sc = open_memstream(&w.script, &w.script_len);
    cr_assert(d && sc);
    struct plot_size size = {1200, 800, 0};
    cr_assert_eq(plot_write(p, sc, d, data_path, out_path, &size), 0);
    fclose(d);
    fclose(sc);
    return w;
}

static void written_free(struct written *w)
{
    free(w->data);
    free(w->script);
}

/* Block `index` of a data file (blocks apart by two blank lines, each after a "# title"
 * line): its title and its rows' first two numbers. */
struct block {
    char title[128];
    size_t n;
    double x[20000], y[20000];
};

static void read_block(const char *data, size_t index, struct block *b)
{
    const char *at = data;
    for (size_t i = 0; i < index; i++) {
        at = strstr(at, "\n\n\n");
        cr_assert(at, "no block %zu", index);
        at += 3;
    }
    cr_assert_eq(*at, '#');
    const char *eol = strchr(at, '\n');
    snprintf(b->title, sizeof b->title, "%.*s", (int)(eol - at - 2), at + 2);
    at = eol + 1;
    b->n = 0;
    while (*at && *at != '\n') {
        char *end;
        b->x[b->n] = strtod(at, &end);
        b->y[b->n] = strtod(end, &end);
        b->n++;
        at = strchr(end, '\n') + 1;
    }
}

static double printed(const char *fmt, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    return strtod(buf, NULL);
}

static int have_gnuplot(void)
{
    return system("command -v gnuplot >/dev/null 2>&1 && command -v xmllint >/dev/null 2>&1") ==
           0;
}

/* Rule: gnuplot draws the script into an SVG that is well-formed XML (xmllint --noout). */
static void draws_svg(const struct plot *p, const char *name)
{
    if (!have_gnuplot())
        return; /* each caller's numbers are checked whatever; the drawing needs gnuplot */
    char dir[] = "/tmp/slsim-plot-kinds-XXXXXX";
    cr_assert(mkdtemp(dir));
    char data_path[128], svg_path[128], script_path[128], cmd[512];
    snprintf(data_path, sizeof data_path, "%s/%s.dat", dir, name);
    snprintf(svg_path, sizeof svg_path, "%s/%s.svg", dir, name);
    snprintf(script_path, sizeof script_path, "%s/%s.gp", dir, name);
    FILE *d = fopen(data_path, "w"), *sc = fopen(script_path, "w");
    cr_assert(d && sc);
    struct plot_size size = {1200, 800, 0};
    cr_assert_eq(plot_write(p, sc, d, data_path, svg_path, &size), 0);
    fclose(d);
    fclose(sc);
    snprintf(cmd, sizeof cmd, "gnuplot %s 2>%s/err && xmllint --noout %s", script_path, dir,
             svg_path);
    int rc = system(cmd);
    snprintf(cmd, sizeof cmd, "%s/err", dir);
    char *gp_err = slurp(cmd);
    cr_assert_eq(rc, 0, "%s: gnuplot or xmllint failed: %s", name, gp_err ? gp_err : "");
    free(gp_err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ---- timeline ---- */

/* Rule: the three stacked lines of the first deployment are busy, busy + idle and
 * busy + idle + starting of each timeline row (as the CSV prints them, %.6f), their top
 * the row's instances (to the CSV's rounding, 3 x 5e-7); x is the row's start in hours
 * (18 h run: hours); the lower panel's block is the row's arrivals. Each other
 * deployment's line is its instances. The spike at 9 h for 30 min is marked at x = 9
 * and 9.5. */
Test(plot_timeline, stacks_the_rows, .timeout = 120)
{
    struct scenario *s = load(BATCHING, batching_sets, 2);
    struct run_output out;
    simulate(s, 60 * SIM_NS_PER_S, &out);
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_timeline(s, &out, &p, &err), 0, "%s", err.message);
    cr_assert_eq(p.n_panels, 2);
    cr_assert(strstr(p.title, s->name), "the title names the scenario");
    cr_assert_str_eq(p.panel[0].xlabel, "time (h)");
    cr_assert_str_eq(p.panel[1].ylabel, "arrivals per 1 min");
    struct written w = write_plot(&p, "t.dat", "t.svg");
    struct block *b = malloc(sizeof *b);
    const struct trial_timeline *tl = &out.timelines[0];
    const char *name = run_output_part(&out, 0, 0, 0)->name;
    for (int layer = 0; layer < 3; layer++) {
        read_block(w.data, (size_t)layer, b);
        cr_assert_eq(b->n, tl->n[0]);
        cr_assert(strncmp(b->title, name, strlen(name)) == 0, "%s", b->title);
        for (size_t k = 0; k < b->n; k++) {
            const struct timeline_row *r = &tl->rows[0][k];
            double want = printed("%.6f", r->busy) +
                          (layer >= 1 ? printed("%.6f", r->idle) : 0) +
                          (layer >= 2 ? printed("%.6f", r->initializing) : 0);
            cr_assert_float_eq(b->y[k], want, 1e-9 * (1 + want), "layer %d row %zu", layer, k);
            double x = printed("%.9g", (double)r->start_ns / 1e9) / 3600;
            cr_assert_float_eq(b->x[k], x, 1e-9 * (1 + x), "row %zu", k); /* %.10g */
            if (layer == 2)
                cr_assert_float_eq(b->y[k], r->busy + r->idle + r->initializing, 2e-6);
        }
    }
    for (size_t d = 1; d < out.n_deployments; d++) {
        read_block(w.data, 2 + d, b);
        const struct trial_timeline *t = &out.timelines[d];
        cr_assert_eq(b->n, t->n[0]);
        for (size_t k = 0; k < b->n; k++)
            cr_assert_float_eq(b->y[k],
                               t->rows[0][k].busy + t->rows[0][k].idle +
                                   t->rows[0][k].initializing,
                               2e-6, "deployment %zu row %zu", d, k);
    }
    read_block(w.data, 3 + out.n_deployments - 1, b);
    cr_assert_str_eq(b->title, "arrivals");
    cr_assert_eq(b->n, tl->n[0]);
    uint64_t total = 0;
    for (size_t k = 0; k < b->n; k++) {
        cr_assert_eq(b->y[k], (double)tl->rows[0][k].arrivals);
        total += tl->rows[0][k].arrivals;
    }
    cr_assert_gt(total, 0);
    cr_assert_eq(p.series[p.n_series - 1].panel, 1, "the arrivals are the lower panel");
    int spike_start = 0, spike_end = 0;
    for (size_t m = 0; m < p.n_markers; m++) {
        /* a shaded span from 9 h to 9.5 h, its factor named */
        spike_start += p.markers[m].x == 9 && p.markers[m].panel == 0 &&
                       strstr(p.markers[m].label, "x4");
        spike_end += p.markers[m].x2 == 9.5 && p.markers[m].panel == 0;
    }
    cr_assert_eq(spike_start, 1, "the 9 h spike's start is marked, its factor named");
    cr_assert_eq(spike_end, 1, "its end at 9.5 h");
    draws_svg(&p, "timeline");
    free(b);
    written_free(&w);
    plot_free(&p);
    run_output_free(&out);
    scenario_destroy(s);
}

/* Rule: the timeline drawn from the CSV that `slsim run --timeline` wrote is the
 * timeline drawn from the same run in memory: the data files are the same bytes. */
Test(plot_timeline, csv_gives_the_same_data, .timeout = 180)
{
    struct scenario *s = load(BATCHING, batching_sets, 2);
    struct run_output out;
    simulate(s, 60 * SIM_NS_PER_S, &out);
    struct plot mem, csv;
    struct slsim_error err = {0};
    cr_assert_eq(plot_timeline(s, &out, &mem, &err), 0, "%s", err.message);

    char dir[] = "/tmp/slsim-plot-tl-XXXXXX";
    cr_assert(mkdtemp(dir));
    char args[512], path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    snprintf(args, sizeof args,
             "run " BATCHING " -q --set duration=18h --set workload.rate=2/s "
             "--timeline %s --timeline-interval 1min --out /dev/null --force",
             path);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    char *text = slurp(path);
    cr_assert(text);
    cr_assert_eq(plot_timeline_csv(text, strlen(text), path, &csv, &err), 0, "%s", err.message);
    struct written a = write_plot(&mem, "t.dat", "t.svg");
    struct written b = write_plot(&csv, "t.dat", "t.svg");
    cr_assert_gt(a.data_len, 1000);
    cr_assert_eq(a.data_len, b.data_len, "the data files differ in length");
    cr_assert(memcmp(a.data, b.data, a.data_len) == 0, "the data files differ");
    cr_assert(strstr(csv.title, "t.csv"), "the title names the file: %s", csv.title);
    cr_assert_eq(csv.n_markers, 0, "a CSV holds no scenario: no spikes");
    draws_svg(&csv, "timeline-csv");
    written_free(&a);
    written_free(&b);
    free(text);
    plot_free(&mem);
    plot_free(&csv);
    run_output_free(&out);
    scenario_destroy(s);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    cr_assert_eq(system(args), 0);
}

/* Rule: a hybrid's tier rows (tier not empty) are left out, as its total is drawn; a
 * quoted name with a comma is one cell; a file that is no timeline CSV, or a row with a
 * cell that is no number, is refused naming the file and the line. */
Test(plot_timeline, csv_rows_and_refusals)
{
    static const char good[] =
        "deployment,tier,t_start_s,busy,idle,initializing,instances,arrivals,cold_starts,"
        "cost_usd\n"
        "\"a,b\",,0,1.5,0.5,0,2,10,1,0.1\n"
        "\"a,b\",,60,2,0,0.25,2.25,12,0,0.2\n"
        "\"a,b\",base,0,9,9,9,27,10,0,0.05\n";
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_timeline_csv(good, strlen(good), "g.csv", &p, &err), 0, "%s",
                 err.message);
    cr_assert_str_eq(p.series[0].title, "a,b busy");
    cr_assert_eq(p.series[0].n, 2, "the tier row is left out");
    /* 60 s of run: seconds; top of the stack 1.5 + 0.5 + 0 = 2 and 2 + 0 + 0.25 = 2.25 */
    cr_assert_str_eq(p.panel[0].xlabel, "time (s)");
    cr_assert_eq(p.series[2].y[0], 2);
    cr_assert_eq(p.series[2].y[1], 2.25);
    cr_assert_eq(p.series[3].y[1], 12, "arrivals");
    plot_free(&p);

    static const char no_col[] = "deployment,tier,t_start_s,busy\nx,,0,1\n";
    cr_assert_eq(plot_timeline_csv(no_col, strlen(no_col), "n.csv", &p, &err), -1);
    cr_assert_str_eq(err.file, "n.csv");
    cr_assert(strstr(err.message, "\"idle\""), "%s", err.message);

    static const char bad_cell[] =
        "deployment,tier,t_start_s,busy,idle,initializing,instances,arrivals\n"
        "x,,0,1,0,0,1,3\n"
        "x,,60,lots,0,0,1,3\n";
    cr_assert_eq(plot_timeline_csv(bad_cell, strlen(bad_cell), "b.csv", &p, &err), -1);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.column, 7, "the cell \"lots\" starts at column 7");
    cr_assert(strstr(err.message, "lots"), "%s", err.message);
}

/* Rule: odd texts are refused, or read, without reading past text[len): empty (no
 * header), a header alone (no rows), a quote that never ends (its line named), a last
 * row without a newline (read), a text cut short of its NUL. */
Test(plot_timeline, csv_odd_texts)
{
    static const char head[] =
        "deployment,tier,t_start_s,busy,idle,initializing,instances,arrivals\n";
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_timeline_csv("", 0, "e.csv", &p, &err), -1);
    cr_assert_eq(plot_timeline_csv(head, strlen(head), "h.csv", &p, &err), -1);
    cr_assert(strstr(err.message, "no rows"), "%s", err.message);
    static const char quote[] =
        "deployment,tier,t_start_s,busy,idle,initializing,instances,arrivals\n"
        "\"x,,0,1,0,0,1,3\n";
    cr_assert_eq(plot_timeline_csv(quote, strlen(quote), "q.csv", &p, &err), -1);
    cr_assert_eq(err.line, 2);
    static const char last[] =
        "deployment,tier,t_start_s,busy,idle,initializing,instances,arrivals\n"
        "x,,0,1,0.5,0,1.5,3";
    cr_assert_eq(plot_timeline_csv(last, strlen(last), "l.csv", &p, &err), 0, "%s",
                 err.message);
    cr_assert_eq(p.series[1].y[0], 1.5, "busy 1 + idle 0.5");
    plot_free(&p);
    /* the same text cut before its last cell: the row is one cell short */
    char *cut = malloc(strlen(last) - 2);
    memcpy(cut, last, strlen(last) - 2);
    cr_assert_eq(plot_timeline_csv(cut, strlen(last) - 2, "c.csv", &p, &err), -1);
    cr_assert_eq(err.line, 2);
    free(cut);
}

/* Rule: a run without a timeline has none to draw. */
Test(plot_timeline, refused_without_timeline, .timeout = 60)
{
    struct scenario *s = load(SMALL, NULL, 0);
    struct run_output out;
    simulate(s, 0, &out);
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_timeline(s, &out, &p, &err), -1);
    cr_assert(strstr(err.message, "--timeline"), "%s", err.message);
    run_output_free(&out);
    scenario_destroy(s);
}

/* ---- batch sizes ---- */

/* Rule: the histogram of each batching deployment is its record's size_buckets summed
 * over replications, bucket k at size 2^k, up to the largest bucket any deployment
 * used; the deployments that do not batch (lambda) have no series; a deployment's look
 * is its index. */
Test(plot_batch, counts_are_the_records_buckets, .timeout = 120)
{
    static const char *const sets[] = {"duration=2h", "workload.rate=20/s", "workload.spikes=[]",
                                       "replications=2"};
    struct scenario *s = load(BATCHING, sets, 4);
    struct run_output out;
    simulate(s, 0, &out);
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_batch(s, &out, &p, &err), 0, "%s", err.message);
    struct written w = write_plot(&p, "b.dat", "b.svg");
    struct block *b = malloc(sizeof *b);
    size_t series = 0;
    for (size_t d = 0; d < out.n_deployments; d++) {
        const struct trial_record *r = run_output_part(&out, 0, d, 0);
        if (!r->batch.on)
            continue;
        cr_assert_eq(p.series[series].look, (int)d);
        read_block(w.data, series++, b);
        cr_assert_str_eq(b->title, r->name);
        uint64_t seen = 0, batches = 0;
        for (int k = 0; k < BATCH_BUCKETS; k++) {
            uint64_t want = run_output_part(&out, 0, d, 0)->batch.size_buckets[k] +
                            run_output_part(&out, 1, d, 0)->batch.size_buckets[k];
            batches += want;
            if ((size_t)k < b->n) {
                cr_assert_eq(b->x[k], (double)(1u << k));
                cr_assert_eq(b->y[k], (double)want, "%s bucket %d", r->name, k);
                seen += want;
            } else {
                cr_assert_eq(want, 0, "%s: bucket %d left out but not empty", r->name, k);
            }
        }
        cr_assert_eq(seen, batches);
        cr_assert_eq(batches, run_output_part(&out, 0, d, 0)->batch.batches +
                                  run_output_part(&out, 1, d, 0)->batch.batches);
    }
    cr_assert_eq(series, p.n_series);
    cr_assert_geq(series, 2, "modal-l4, g6 and the hybrid's base batch");
    draws_svg(&p, "batch");
    free(b);
    written_free(&w);
    plot_free(&p);
    run_output_free(&out);
    scenario_destroy(s);
}

/* Rule: a run where no deployment batches has no histogram: -1, saying so. */
Test(plot_batch, refused_without_batching, .timeout = 60)
{
    struct scenario *s = load(SMALL, NULL, 0);
    struct run_output out;
    simulate(s, 0, &out);
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_batch(s, &out, &p, &err), -1);
    cr_assert(strstr(err.message, "no deployment batches"), "%s", err.message);
    cr_assert_eq(plot_ttft(s, &out, &p, &err), -1);
    cr_assert(strstr(err.message, "no deployment serves an LLM"), "%s", err.message);
    cr_assert_eq(plot_tpot(s, &out, &p, &err), -1);
    cr_assert(strstr(err.message, "TPOT"), "%s", err.message);
    run_output_free(&out);
    scenario_destroy(s);
}

/* ---- TTFT and TPOT ---- */

/* Rule: the CCDF of h (all replications merged) at each non-empty bucket's upper bound
 * (ms) is (count - cumulative count up to that bucket) / count; the last non-empty
 * bucket (P = 0) is left out. E.g. buckets of 3, 1 and 4 of 8: 5/8, 4/8. */
static void check_ccdf(const struct block *b, const struct run_output *out, size_t d, int ttft)
{
    uint64_t bucket[HISTOGRAM_BUCKETS] = {0}, count = 0;
    for (uint32_t rep = 0; rep < out->replications; rep++) {
        const struct llm_stats *l = run_output_part(out, rep, d, 0)->llm;
        const struct histogram *h = ttft ? &l->ttft : &l->tpot;
        for (uint32_t k = 0; k < HISTOGRAM_BUCKETS; k++)
            bucket[k] += h->bucket[k];
        count += h->count;
    }
    cr_assert_gt(count, 0);
    uint64_t cum = 0;
    size_t i = 0;
    for (uint32_t k = 0; k < HISTOGRAM_BUCKETS; k++) {
        if (!bucket[k])
            continue;
        cum += bucket[k];
        if (cum == count)
            break;
        cr_assert_lt(i, b->n);
        cr_assert_float_eq(b->x[i], printed("%.10g", (double)histogram_bucket_high(k) / 1e6),
                           0);
        cr_assert_float_eq(b->y[i], printed("%.10g", (double)(count - cum) / (double)count), 0,
                           "bucket %u", k);
        i++;
    }
    cr_assert_eq(i, b->n, "a point per non-empty bucket but the last");
}

Test(plot_llm, ttft_and_tpot_ccdfs, .timeout = 180)
{
    static const char *const sets[] = {"duration=10m", "warmup=1m", "replications=2"};
    struct scenario *s = load(LLM, sets, 3);
    struct run_output out;
    simulate(s, 0, &out);
    struct block *b = malloc(sizeof *b);
    for (int ttft = 1; ttft >= 0; ttft--) {
        struct plot p;
        struct slsim_error err = {0};
        int rc = ttft ? plot_ttft(s, &out, &p, &err) : plot_tpot(s, &out, &p, &err);
        cr_assert_eq(rc, 0, "%s", err.message);
        cr_assert_eq(p.kind, ttft ? PLOT_TTFT : PLOT_TPOT);
        cr_assert(strstr(p.title, s->name));
        cr_assert(p.panel[0].logx && p.panel[0].logy);
        /* the scenario's SLO: ttft_p99 2 s, tpot_p99 200 ms; share 1 - 0.99 */
        cr_assert_float_eq(p.panel[0].vline, ttft ? 2000.0 : 200.0, 1e-9);
        cr_assert_float_eq(p.panel[0].hline, 0.01, 1e-12);
        struct written w = write_plot(&p, "l.dat", "l.svg");
        size_t series = 0;
        for (size_t d = 0; d < out.n_deployments; d++) {
            const struct trial_record *r = run_output_part(&out, 0, d, 0);
            if (!r->llm || !(ttft ? r->llm->ttft.count : r->llm->tpot.count))
                continue;
            cr_assert_eq(p.series[series].look, (int)d);
            read_block(w.data, series++, b);
            cr_assert_str_eq(b->title, r->name);
            check_ccdf(b, &out, d, ttft);
        }
        cr_assert_eq(series, p.n_series);
        cr_assert_geq(series, 2);
        draws_svg(&p, ttft ? "ttft" : "tpot");
        written_free(&w);
        plot_free(&p);
    }
    free(b);
    run_output_free(&out);
    scenario_destroy(s);
}
