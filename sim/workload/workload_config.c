/* workload_config.c - the scenario's `workload:` section: an arrival pattern with
 * the keys that apply to it, bursts on top of it, the functions sharing the traffic,
 * or a trace to replay (workload_trace_config.c).
 *
 * Keys that do not apply to the pattern (duty_cycle without arrival: onoff, a rate
 * with a trace) are errors rather than ignored: the user expected them to do
 * something. The pattern's rates and volume are held to the limits of limits.h at
 * the key that pushes them over.
 *
 * workload.tokens gives the requests' prompt and output tokens (an LLM's work) as
 * distributions of counts, for any workload whose requests get none from the
 * trace: every synthetic pattern, and a trace format without tokens. A trace that
 * carries them (azure-llm) refuses it: two sources for one number. */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>

#include "slsim/dist_config.h"
#include "slsim/limits.h"
#include "slsim/workload_config.h"
#include "../base/yaml_get.h"

#define DEFAULT_PEAK_TO_MEAN 2.0

static const char *const workload_keys[] = {"arrival",      "rate",   "duty_cycle", "period",
                                            "peak_to_mean", "spikes", "functions",  "zipf",
                                            "trace",        "tokens", NULL};
static const char *const arrival_names[] = {"poisson", "constant", "onoff", "diurnal", "trace",
                                            NULL};
static const enum arrival_kind arrival_kinds[] = {ARRIVAL_POISSON, ARRIVAL_CONSTANT,
                                                  ARRIVAL_ONOFF, ARRIVAL_DIURNAL, ARRIVAL_TRACE};
static const char *const arrival_later[] = {"mmpp", NULL};
static const char *const spike_keys[] = {"at", "duration", "factor", "ramp", "function",
                                          NULL};
#define SPIKE_REQUIRED 3 /* the first three of spike_keys; ramp defaults to 0, a step */
static const char *const token_keys[] = {"prompt", "output", NULL};

struct spike_at {
    struct spike sp;
    const struct ynode *node; /* for errors about overlaps */
    size_t index;             /* 1-based position in the file */
};

static int parse_spikes(struct slsim_error *err, const struct ynode *seq, sim_time duration_ns,
                        struct workload_spec *w)
{
    const char *path = "workload.spikes";
    if (ytree_is_null(seq))
        return 0;
    if (seq->kind != YNODE_SEQUENCE)
        return cfg_fail(err, seq, path, "expected a sequence of {at, duration, factor}, got %s",
                    ytree_describe(seq));
    if (!seq->n_items)
        return 0;
    struct spike_at *sa = calloc(seq->n_items, sizeof *sa);
    if (!sa)
        return slsim_error_set(err, seq->src, seq->line, seq->column, path, "out of memory");
    int rc = -1;
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct ynode *n = seq->items[i];
        char sp[KEY_MAX], kp[KEY_MAX];
        cfg_path_index(sp, path, i + 1);
        if (n->kind != YNODE_MAPPING) {
            cfg_fail(err, n, sp, "expected a mapping {at, duration, factor}, got %s",
                 ytree_describe(n));
            goto done;
        }
        if (cfg_check_keys(err, n, sp, spike_keys))
            goto done;
        for (size_t k = 0; k < SPIKE_REQUIRED; k++)
            if (!ytree_get(n, spike_keys[k])) {
                cfg_missing(err, n, sp, spike_keys[k]);
                goto done;
            }
        struct spike *s = &sa[i].sp;
        const struct ynode *v = ytree_get(n, "at");
        cfg_path_join(kp, sp, "at");
        if (cfg_get_duration(err, v, kp, 0, &s->at_ns))
            goto done;
        if (s->at_ns >= duration_ns) {
            /* It would change nothing, which is never what was meant. */
            char at[32], dur[32];
            units_format_duration(s->at_ns, at, sizeof at);
            units_format_duration(duration_ns, dur, sizeof dur);
            cfg_fail(err, v, kp,
                     "the spike at %s starts at or after the end of the simulation "
                     "(duration %s)",
                     at, dur);
            goto done;
        }
        v = ytree_get(n, "duration");
        cfg_path_join(kp, sp, "duration");
        if (cfg_get_duration(err, v, kp, 0, &s->duration_ns))
            goto done;
        if (s->duration_ns <= 0) {
            cfg_fail(err, v, kp, "a spike's duration must be above 0");
            goto done;
        }
        v = ytree_get(n, "factor");
        cfg_path_join(kp, sp, "factor");
        if (cfg_get_number(err, v, kp, &s->factor))
            goto done;
        if (!(s->factor > 0)) {
            cfg_fail(err, v, kp, "factor must be above 0, got %s", v->text);
            goto done;
        }
        if ((v = ytree_get(n, "ramp"))) {
            cfg_path_join(kp, sp, "ramp");
            if (cfg_get_duration(err, v, kp, 0, &s->ramp_ns))
                goto done;
            if (s->ramp_ns < 0 || s->ramp_ns > s->duration_ns / 2) {
                /* rise and fall each take a ramp: longer than half the spike, they
                 * would overlap and the plateau would never be reached */
                char ramp[32], dur[32];
                units_format_duration(s->ramp_ns, ramp, sizeof ramp);
                units_format_duration(s->duration_ns, dur, sizeof dur);
                cfg_fail(err, v, kp,
                         "ramp %s is longer than half the spike's duration %s (the rate "
                         "rises over one ramp and falls over another)",
                         ramp, dur);
                goto done;
            }
        }
        if ((v = ytree_get(n, "function"))) {
            /* one function floods, the others go on as before: a superposition of the
             * pattern and the extra arrivals of that function, so the workload's rate is
             * multiplied by 1 + share x (factor - 1) */
            uint32_t k;
            cfg_path_join(kp, sp, "function");
            if (w->arrival == ARRIVAL_TRACE) {
                cfg_fail(err, v, kp, "a spike of one function needs a synthetic workload "
                                     "(workload.functions): a trace's functions are numbered "
                                     "only as it is read");
                goto done;
            }
            if (cfg_get_u32_range(err, v, kp, 1, w->functions, &k))
                goto done;
            if (s->factor < 1) {
                cfg_path_join(kp, sp, "factor");
                cfg_fail(err, ytree_get(n, "factor"), kp,
                         "a spike of one function multiplies its traffic by at least 1, got "
                         "factor %g (a dip of one function is not supported)", s->factor);
                goto done;
            }
            double sum = 0, mine = 0;
            for (uint32_t j = 1; j <= w->functions; j++) {
                double wj = pow((double)j, -w->zipf);
                sum += wj;
                if (j == k)
                    mine = wj;
            }
            s->one_function = w->functions > 1;
            s->function = k - 1;
            s->fn_factor = s->factor;
            s->factor = 1.0 + mine / sum * (s->factor - 1.0);
        }
        sa[i].node = n;
        sa[i].index = i + 1;
    }
    /* Insertion sort: stable, and a scenario has a handful of spikes. */
    for (size_t i = 1; i < seq->n_items; i++) {
        struct spike_at t = sa[i];
        size_t j = i;
        for (; j > 0 && sa[j - 1].sp.at_ns > t.sp.at_ns; j--)
            sa[j] = sa[j - 1];
        sa[j] = t;
    }
    /* Overlaps would make "factor" ambiguous (multiply? replace?); say no. */
    for (size_t i = 1; i < seq->n_items; i++) {
        const struct spike *a = &sa[i - 1].sp, *b = &sa[i].sp;
        if (b->at_ns - a->at_ns < a->duration_ns) {
            char sp[KEY_MAX], at[32], end[32];
            cfg_path_index(sp, path, sa[i].index);
            units_format_duration(b->at_ns, at, sizeof at);
            units_format_duration(a->at_ns + a->duration_ns, end, sizeof end);
            cfg_fail(err, sa[i].node, sp, "spike at %s overlaps %s[%zu], which lasts until %s", at,
                 path, sa[i - 1].index, end);
            goto done;
        }
    }
    w->spikes = calloc(seq->n_items, sizeof *w->spikes);
    if (!w->spikes) {
        slsim_error_set(err, seq->src, seq->line, seq->column, path, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < seq->n_items; i++)
        w->spikes[i] = sa[i].sp;
    w->n_spikes = seq->n_items;
    rc = 0;
done:
    free(sa);
    return rc;
}

/* The synthetic pattern's rates and volume against SCENARIO_MAX_RATE_PER_S and
 * SCENARIO_MAX_EVENTS, each refused at the key that pushes it over: the rate, the
 * diurnal peak_to_mean, a spike's factor; the volume at the rate. */
static int check_workload_limits(struct slsim_error *err, const struct ynode *n,
                                 sim_time duration_ns, const struct workload_spec *w)
{
    const struct ynode *v = ytree_get(n, "rate");
    if (w->rate_per_s > SCENARIO_MAX_RATE_PER_S)
        return cfg_fail(err, v, "workload.rate",
                        "rate %g/s is above the limit of %g/s: the clock ticks in "
                        "nanoseconds, so a faster rate has more than one arrival per tick",
                        w->rate_per_s, SCENARIO_MAX_RATE_PER_S);
    double base = w->rate_per_s;
    if (w->arrival == ARRIVAL_DIURNAL) {
        const struct ynode *p = ytree_get(n, "peak_to_mean");
        base *= w->peak_to_mean;
        if (p && w->peak_to_mean > SCENARIO_MAX_PEAK_TO_MEAN)
            return cfg_fail(err, p, "workload.peak_to_mean",
                            "peak_to_mean %g is above the limit of %g", w->peak_to_mean,
                            SCENARIO_MAX_PEAK_TO_MEAN);
        if (base > SCENARIO_MAX_RATE_PER_S)
            return cfg_fail(err, p ? p : v, p ? "workload.peak_to_mean" : "workload.rate",
                            "the diurnal peak, rate %g/s x peak_to_mean %g = %g/s, is above the "
                            "limit of %g/s (one arrival per nanosecond)",
                            w->rate_per_s, w->peak_to_mean, base, SCENARIO_MAX_RATE_PER_S);
    }
    /* w->spikes is sorted by start; the items are read in the file's order so that
     * the first factor written that goes over is the one named. */
    const struct ynode *seq = ytree_get(n, "spikes");
    for (size_t i = 0; i < w->n_spikes; i++) {
        char kp[KEY_MAX], fp[KEY_MAX];
        double factor;
        const struct ynode *f = ytree_get(seq->items[i], "factor");
        cfg_path_index(kp, "workload.spikes", i + 1);
        cfg_path_join(fp, kp, "factor");
        if (cfg_get_number(err, f, fp, &factor))
            return -1;
        if (base * factor > SCENARIO_MAX_RATE_PER_S)
            return cfg_fail(err, f, fp,
                            "factor %g makes the rate %g/s x %g = %g/s, above the limit of "
                            "%g/s (one arrival per nanosecond)",
                            factor, base, factor, base * factor, SCENARIO_MAX_RATE_PER_S);
    }
    if (w->arrival == ARRIVAL_ONOFF && w->n_spikes &&
        2.0 * (double)duration_ns / (double)w->period_ns > SCENARIO_MAX_EVENTS) {
        /* With spikes, on/off is drawn phase by phase (synthetic.c, thinning), each on
         * and each off phase a step of its own, arrivals or not. */
        char per[32];
        units_format_duration(w->period_ns, per, sizeof per);
        return cfg_fail(err, ytree_get(n, "period"), "workload.period",
                        "period %s with spikes is %.3g on and off phases per replication, "
                        "above the limit of %g", per, 2.0 * (double)duration_ns /
                        (double)w->period_ns, SCENARIO_MAX_EVENTS);
    }
    double draws = workload_expected_draws(w, duration_ns);
    if (draws > SCENARIO_MAX_EVENTS) {
        char dur[32];
        units_format_duration(duration_ns, dur, sizeof dur);
        return cfg_fail(err, v, "workload.rate",
                        "rate %g/s over duration %s is %.3g expected arrivals per "
                        "replication%s, above the limit of %g: lower the rate or the duration",
                        w->rate_per_s, dur, draws,
                        w->arrival == ARRIVAL_DIURNAL ? " (candidates drawn at the peak rate)"
                        : w->n_spikes ? " (spikes included)" : "",
                        SCENARIO_MAX_EVENTS);
    }
    return 0;
}

/* workload.tokens, mapping v: {prompt: DIST, output: DIST}, both required, each a
 * distribution of counts (dist_config.h). */
static int parse_tokens(struct slsim_error *err, const struct ynode *v, struct workload_spec *w)
{
    const char *path = "workload.tokens";
    if (w->arrival == ARRIVAL_TRACE &&
        (trace_format_props(w->trace.format) & TRACE_FORMAT_TOKENS))
        return cfg_fail(err, v, path,
                        "an %s trace gives each request its tokens (ContextTokens as the "
                        "prompt, GeneratedTokens as the output): drop workload.tokens",
                        trace_format_name(w->trace.format));
    if (v->kind != YNODE_MAPPING)
        return cfg_fail(err, v, path,
                        "expected {prompt: DIST, output: DIST} such as {prompt: {dist: "
                        "lognormal, mean: 1000, cv: 1.2}, output: 128}, got %s",
                        ytree_describe(v));
    if (cfg_check_keys(err, v, path, token_keys))
        return -1;
    struct dist *outs[] = {&w->tokens.prompt, &w->tokens.output};
    for (size_t i = 0; i < 2; i++) {
        const struct ynode *d = ytree_get(v, token_keys[i]);
        char kp[KEY_MAX];
        if (!d)
            return cfg_missing(err, v, path, token_keys[i]);
        cfg_path_join(kp, path, token_keys[i]);
        if (cfg_parse_count_dist(err, d, kp, outs[i]))
            return -1;
    }
    w->tokens.given = 1;
    return 0;
}

void workload_spec_free(struct workload_spec *w)
{
    free(w->spikes);
    w->spikes = NULL;
    w->n_spikes = 0;
    trace_spec_free(&w->trace);
    dist_free(&w->tokens.prompt);
    dist_free(&w->tokens.output);
    w->tokens.given = 0;
}

/* workload_spec_parse but for workload.tokens: the arrivals, or the trace. */
static int parse_pattern(struct slsim_error *err, const struct ynode *n, const char *base_dir,
                         sim_time duration_ns, struct workload_spec *w)
{
    const struct ynode *v;
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, "workload", "expected a mapping, got %s", ytree_describe(n));
    if (cfg_check_keys(err, n, "workload", workload_keys))
        return -1;
    if (!(v = ytree_get(n, "arrival")))
        return cfg_missing(err, n, "workload", "arrival");
    int ai;
    if (cfg_get_enum(err, v, "workload.arrival", "arrival", arrival_names, arrival_later, &ai))
        return -1;
    w->arrival = arrival_kinds[ai];
    w->functions = 1;
    w->zipf = 1.0;
    if ((v = ytree_get(n, "functions")) &&
        cfg_get_u32_range(err, v, "workload.functions", 1, 1000000, &w->functions))
        return -1;
    if ((v = ytree_get(n, "zipf"))) {
        if (cfg_get_number(err, v, "workload.zipf", &w->zipf))
            return -1;
        if (w->zipf < 0)
            return cfg_fail(err, v, "workload.zipf", "zipf must be 0 (equal popularity) or more");
        if (w->functions == 1)
            return cfg_fail(err, v, "workload.zipf", "zipf applies only with functions > 1");
    }
    trace_spec_default(&w->trace);
    if (w->arrival == ARRIVAL_TRACE) {
        static const char *const synthetic_only[] = {"rate", "duty_cycle", "period",
                                                     "peak_to_mean", "spikes", "functions",
                                                     "zipf", NULL};
        for (size_t i = 0; i < n->n_pairs; i++)
            if (cfg_in_list(n->pairs[i].key->text, synthetic_only)) {
                char kp[KEY_MAX];
                cfg_path_join(kp, "workload", n->pairs[i].key->text);
                return cfg_fail(err, n->pairs[i].key, kp,
                                "\"%s\" is for synthetic patterns; a trace brings its own "
                                "arrivals (see workload.trace: time_scale, rate_scale, functions)",
                                n->pairs[i].key->text);
            }
        if (!(v = ytree_get(n, "trace")))
            return cfg_missing(err, n, "workload", "trace");
        return workload_trace_parse(err, v, base_dir, &w->trace);
    }
    if ((v = ytree_get(n, "trace")))
        return cfg_fail(err, v, "workload.trace", "trace applies only with arrival: trace");
    if (!(v = ytree_get(n, "rate")))
        return cfg_missing(err, n, "workload", "rate");
    if (cfg_get_rate(err, v, "workload.rate", &w->rate_per_s))
        return -1;
    if (!(w->rate_per_s > 0))
        return cfg_fail(err, v, "workload.rate", "rate must be above 0, got %s", v->text);

    /* Values that keep a pattern that lacks the key meaning "flat": always active, no
     * peak. Giving the key anyway is an error: the user expected it to do something. */
    int onoff = w->arrival == ARRIVAL_ONOFF, diurnal = w->arrival == ARRIVAL_DIURNAL;
    w->duty_cycle = 1.0;
    w->period_ns = 0;
    w->peak_to_mean = 1.0;
    if ((v = ytree_get(n, "duty_cycle"))) {
        if (!onoff)
            return cfg_fail(err, v, "workload.duty_cycle",
                        "duty_cycle applies only to arrival: onoff (arrival is %s)",
                        arrival_names[ai]);
        if (cfg_get_number(err, v, "workload.duty_cycle", &w->duty_cycle))
            return -1;
        if (!(w->duty_cycle > 0 && w->duty_cycle <= 1))
            return cfg_fail(err, v, "workload.duty_cycle",
                        "duty_cycle must be above 0 and at most 1, got %s", v->text);
    } else if (onoff) {
        return cfg_missing(err, n, "workload", "duty_cycle");
    }
    if ((v = ytree_get(n, "period"))) {
        if (!onoff && !diurnal)
            return cfg_fail(err, v, "workload.period",
                        "period applies only to arrival: onoff or diurnal (arrival is %s)",
                        arrival_names[ai]);
        if (cfg_get_duration(err, v, "workload.period", 0, &w->period_ns))
            return -1;
        if (w->period_ns <= 0)
            return cfg_fail(err, v, "workload.period", "period must be above 0");
    } else if (onoff || diurnal) {
        return cfg_missing(err, n, "workload", "period");
    }
    if (diurnal)
        w->peak_to_mean = DEFAULT_PEAK_TO_MEAN;
    if ((v = ytree_get(n, "peak_to_mean"))) {
        if (!diurnal)
            return cfg_fail(err, v, "workload.peak_to_mean",
                        "peak_to_mean applies only to arrival: diurnal (arrival is %s)",
                        arrival_names[ai]);
        if (cfg_get_number(err, v, "workload.peak_to_mean", &w->peak_to_mean))
            return -1;
        if (!(w->peak_to_mean >= 1))
            return cfg_fail(err, v, "workload.peak_to_mean",
                        "peak_to_mean must be at least 1, got %s", v->text);
    }
    if ((v = ytree_get(n, "spikes")) && parse_spikes(err, v, duration_ns, w))
        return -1;
    return check_workload_limits(err, n, duration_ns, w);
}

int workload_spec_parse(struct slsim_error *err, const struct ynode *n, const char *base_dir,
                        sim_time duration_ns, struct workload_spec *w)
{
    const struct ynode *v;
    if (parse_pattern(err, n, base_dir, duration_ns, w))
        return -1;
    /* After the pattern: whether the trace gives tokens decides whether it applies. */
    if ((v = ytree_get(n, "tokens")))
        return parse_tokens(err, v, w);
    return 0;
}

double workload_spec_known_functions(const struct workload_spec *w)
{
    if (w->arrival != ARRIVAL_TRACE)
        return w->functions ? w->functions : 1;
    if (w->trace.select == SELECT_TOP || w->trace.select == SELECT_SAMPLE)
        return w->trace.select_n;
    if (w->trace.select == SELECT_LIST)
        return (double)w->trace.n_ids;
    return 1;
}

const char *workload_arrival_name(enum arrival_kind k)
{
    for (size_t i = 0; i < sizeof arrival_kinds / sizeof *arrival_kinds; i++)
        if (arrival_kinds[i] == k)
            return arrival_names[i];
    return "?";
}
