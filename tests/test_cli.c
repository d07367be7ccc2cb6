/* test_cli.c - the command line as users meet it: golden reports in every format,
 * exit statuses, and bad input that names file:line:column and leaves no output. */
#include <glob.h>

#include "cli_helpers.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


static void golden(const char *format)
{
    char args[256], path[256];
    snprintf(args, sizeof args, "run scenarios/quickstart.yaml --format %s", format);
    snprintf(path, sizeof path, "tests/golden/quickstart.%s", format);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *want = slurp(path);
    cr_assert(want, "missing %s", path);
    cr_assert_str_eq(o.out, want, "output differs from %s (scripts/update-golden.sh rewrites it "
                                  "after an intended change)", path);
    free(want);
    outcome_free(&o);
}

Test(cli, golden_quickstart_text, .timeout = 60) { golden("text"); }
Test(cli, golden_quickstart_json, .timeout = 60) { golden("json"); }
Test(cli, golden_quickstart_csv, .timeout = 60) { golden("csv"); }
Test(cli, golden_quickstart_md, .timeout = 60) { golden("md"); }

Test(cli, golden_quickstart_timeline_and_out_file, .timeout = 60)
{
    char dir[] = "/tmp/slsim-cli-XXXXXX";
    cr_assert(mkdtemp(dir));
    char args[1024], tl[300], out[300];
    snprintf(tl, sizeof tl, "%s/t.csv", dir);
    snprintf(out, sizeof out, "%s/r.json", dir);
    snprintf(args, sizeof args,
             "run scenarios/quickstart.yaml --timeline %s --timeline-interval 1h --format json"
             " --out %s",
             tl, out);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_assert_str_empty(o.out, "with --out nothing goes to standard output");
    char *got = slurp(tl), *want = slurp("tests/golden/quickstart-timeline.csv");
    cr_assert(got && want);
    cr_assert_str_eq(got, want);
    free(got);
    free(want);
    got = slurp(out);
    want = slurp("tests/golden/quickstart.json");
    cr_assert_str_eq(got, want, "--out must hold what standard output would");
    free(got);
    free(want);
    outcome_free(&o);
    /* An existing file is not overwritten without --force. */
    o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "--force"), "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(args + strlen(args), sizeof args - strlen(args), " --force");
    o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    unlink(tl);
    unlink(out);
    rmdir(dir);
}

struct bad_case {
    const char *args;  /* after `run` */
    const char *where; /* expected start of the message location */
    const char *says;  /* expected words */
};

Test(cli, bad_input_exits_2_names_the_place_and_writes_nothing, .timeout = 60)
{
    static const struct bad_case cases[] = {
        {"tests/data/bad/typo.yaml", "tests/data/bad/typo.yaml:9:5: deployments.lambda.keep_alvie",
         "did you mean \"keep_alive\""},
        {"tests/data/bad/negative-rate.yaml", "tests/data/bad/negative-rate.yaml:6:9: workload.rate",
         "negative"},
        {"tests/data/bad/bad-unit.yaml", "tests/data/bad/bad-unit.yaml:4:9: model.size", "98 parsecs"},
        {"tests/data/bad/wrong-type.yaml", "tests/data/bad/wrong-type.yaml:7:18:", "sequence"},
        {"tests/data/bad/syntax.yaml", "tests/data/bad/syntax.yaml:5:", "YAML"},
        {"tests/data/bad/bad-enum.yaml", "tests/data/bad/bad-enum.yaml:8:16: deployments.fn.idle_pick",
         "mru, newest, lru, random"},
        {"tests/data/bad/unknown-platform.yaml",
         "tests/data/bad/unknown-platform.yaml:7:15: deployments.fn.platform", "aws-lambda"},
        {"tests/data/bad/memory-limit.yaml",
         "tests/data/bad/memory-limit.yaml:8:13: deployments.fn.memory", "128 MiB"},
        {"tests/data/bad/model-too-large.yaml",
         "tests/data/bad/model-too-large.yaml:9:13: deployments.fn.memory", "does not fit"},
        {"tests/data/bad/model-too-large-default.yaml",
         "tests/data/bad/model-too-large-default.yaml:3:9: model.size", "does not fit"},
        {"scenarios/quickstart.yaml --set model.size=3GB", "--set:1:12: model.size",
         "does not fit"},
        {"tests/data/bad/truncated.yaml", "tests/data/bad/truncated.yaml:6:1:", "expected ':'"},
        {"tests/data/bad/missing.yaml", "tests/data/bad/missing.yaml", "No such file"},
        {"scenarios/quickstart.yaml --set deployments.nope.keep_alive=1m", "--set:1:",
         "lambda, lambda-ka-1m, lambda-capped"},
        {"scenarios/quickstart.yaml --set workload.rate", "--set:1:", "no '='"},
        {"scenarios/quickstart.yaml --set workload.rate=-3/s", "--set:1:", "negative"},
    };
    char dir[] = "/tmp/slsim-cli-XXXXXX";
    cr_assert(mkdtemp(dir));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[512], out[300];
        snprintf(out, sizeof out, "%s/report.json", dir);
        snprintf(args, sizeof args, "run %s --format json --out %s", cases[i].args, out);
        struct outcome o = run(args);
        cr_assert_eq(o.status, 2, "%s: exit %d, stderr: %s", cases[i].args, o.status, o.err);
        char want[400];
        snprintf(want, sizeof want, "slsim: %s", cases[i].where);
        cr_assert(strncmp(o.err, want, strlen(want)) == 0, "%s: stderr \"%s\" should start \"%s\"",
                  cases[i].args, o.err, want);
        cr_assert(strstr(o.err, cases[i].says), "%s: stderr \"%s\" should say \"%s\"",
                  cases[i].args, o.err, cases[i].says);
        cr_assert(strchr(o.err, '\n') == o.err + strlen(o.err) - 1, "one line: %s", o.err);
        struct stat st;
        cr_assert(stat(out, &st) != 0, "%s: an output file was written", cases[i].args);
        outcome_free(&o);
        /* validate agrees */
        snprintf(args, sizeof args, "validate %s", cases[i].args);
        o = run(args);
        cr_assert_eq(o.status, 2, "validate %s: exit %d", cases[i].args, o.status);
        outcome_free(&o);
    }
    rmdir(dir);
}

Test(cli, usage_errors_exit_2)
{
    const char *cases[] = {
        "",
        "nonsense",
        "run",
        "run scenarios/quickstart.yaml --format yaml",
        "run scenarios/quickstart.yaml --bogus",
        "run scenarios/quickstart.yaml --jobs 0",
        "run scenarios/quickstart.yaml --out scenarios/quickstart.yaml",
        "help nonsense",
    };
    /* An option's value is refused under the option's name, even where the
     * option becomes an override (--seed N is --set seed=N). */
    static const char *const named[][2] = {
        {"run scenarios/quickstart.yaml --seed abc", "--seed wants a whole number"},
        {"compare tests/data/compare/small.yaml --seed 1x", "--seed wants a whole number"},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        struct outcome o = run(named[i][0]);
        cr_assert_eq(o.status, 2, "'%s': exit %d", named[i][0], o.status);
        cr_assert(strstr(o.err, named[i][1]) && !strstr(o.err, "--set"), "'%s': %s",
                  named[i][0], o.err);
        outcome_free(&o);
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct outcome o = run(cases[i]);
        cr_assert_eq(o.status, 2, "'%s': exit %d", cases[i], o.status);
        cr_assert_str_not_empty(o.err, "'%s' must say why", cases[i]);
        outcome_free(&o);
    }
}

Test(cli, help_and_version)
{
    struct outcome o = run("--version");
    cr_assert_eq(o.status, 0);
    cr_assert(strncmp(o.out, "slsim ", 6) == 0);
    outcome_free(&o);
    const char *helps[] = {"help", "--help", "help run", "run --help", "validate --help",
                           "help validate"};
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++) {
        o = run(helps[i]);
        cr_assert_eq(o.status, 0, "%s", helps[i]);
        cr_assert(strstr(o.out, "usage: slsim"), "%s: %s", helps[i], o.out);
        outcome_free(&o);
    }
    o = run("help run");
    cr_assert(strstr(o.out, "--timeline"));
    outcome_free(&o);
}

Test(cli, validate_accepts_every_shipped_scenario, .timeout = 60)
{
    /* every scenario the project ships: the quickstart, the examples, the benchmarks and
     * the published-results scenarios */
    const char *patterns[] = {"scenarios/quickstart.yaml", "scenarios/examples/*.yaml",
                              "scenarios/bench/*.yaml", "scenarios/published/*.yaml"};
    size_t checked = 0;
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        glob_t g;
        cr_assert_eq(glob(patterns[p], 0, NULL, &g), 0, "%s matches nothing", patterns[p]);
        for (size_t i = 0; i < g.gl_pathc; i++) {
            char args[300];
            snprintf(args, sizeof args, "validate %s", g.gl_pathv[i]);
            struct outcome o = run(args);
            cr_assert_eq(o.status, 0, "%s: %s", g.gl_pathv[i], o.err);
            cr_assert(strstr(o.out, "valid"));
            outcome_free(&o);
            checked++;
        }
        globfree(&g);
    }
    cr_assert_geq(checked, 14);
}

Test(cli, seed_option_changes_the_result_and_set_overrides_apply, .timeout = 60)
{
    struct outcome a = run("run scenarios/quickstart.yaml --format csv --seed 42");
    struct outcome b = run("run scenarios/quickstart.yaml --format csv --seed 43");
    struct outcome c = run("run scenarios/quickstart.yaml --format csv --jobs 2");
    cr_assert_eq(a.status, 0);
    cr_assert_str_neq(a.out, b.out);
    cr_assert_str_eq(a.out, c.out, "--jobs must not change the output");
    struct outcome d = run("run scenarios/quickstart.yaml --format csv "
                           "--set deployments.lambda.keep_alive=forever");
    cr_assert_eq(d.status, 0, "%s", d.err);
    cr_assert_str_neq(a.out, d.out);
    outcome_free(&a);
    outcome_free(&b);
    outcome_free(&c);
    outcome_free(&d);
}

/* Output paths are checked before simulating: a report whose folder is missing
 * would otherwise be lost after the whole run. The scenario is made to take far
 * longer than the test allows (a year at 2000/s), so only a check made up front
 * can exit 2 in time; nothing is written. */
Test(cli, output_in_a_missing_folder_is_refused_before_simulating, .timeout = 20)
{
    static const char *const cases[] = {
        "run scenarios/quickstart.yaml --set duration=365d --set workload.rate=2000/s "
        "--out /tmp/slsim-no-such-folder/r.json",
        "run scenarios/quickstart.yaml --set duration=365d --set workload.rate=2000/s "
        "--timeline /tmp/slsim-no-such-folder/t.csv",
        "compare tests/data/compare/small.yaml --set duration=365d --set workload.rate=2000/s "
        "--out /tmp/slsim-no-such-folder/c.csv",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct outcome o = run(cases[i]);
        cr_assert_eq(o.status, 2, "%s: exit %d, stderr: %s", cases[i], o.status, o.err);
        cr_assert(strstr(o.err, "the folder /tmp/slsim-no-such-folder does not exist"),
                  "%s: stderr: %s", cases[i], o.err);
        cr_assert_str_empty(o.out, "%s: no partial output", cases[i]);
        struct stat st;
        cr_assert(stat("/tmp/slsim-no-such-folder", &st) != 0);
        outcome_free(&o);
    }
}

/* `trace synth --out DIR` makes DIR (and the folders above it). */
Test(cli, trace_synth_makes_its_folder, .timeout = 60)
{
    char dir[] = "/tmp/slsim-cli-XXXXXX";
    cr_assert(mkdtemp(dir));
    char args[512], path[400];
    snprintf(args, sizeof args, "trace synth --out %s/a/b --functions 3 --invocations 50", dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    static const char *const names[] = {"invocations.csv", "durations.csv", "memory.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/a/b/%s", dir, names[i]);
        struct stat st;
        cr_assert(stat(path, &st) == 0, "missing %s", path);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/a/b", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/a", dir);
    rmdir(path);
    rmdir(dir);
}

/* validate makes the checks run makes before simulating: a trace whose header
 * lacks the format's columns fails both, exit 2, at the trace file. */
Test(cli, validate_reads_trace_headers_like_run, .timeout = 60)
{
    char dir[] = "/tmp/slsim-cli-XXXXXX";
    cr_assert(mkdtemp(dir));
    char trace[300], scen[300], args[700];
    snprintf(trace, sizeof trace, "%s/t.csv", dir);
    snprintf(scen, sizeof scen, "%s/s.yaml", dir);
    FILE *f = fopen(trace, "w");
    cr_assert(f);
    fputs("when,who\n1,a\n", f);
    fclose(f);
    f = fopen(scen, "w");
    cr_assert(f);
    fprintf(f, "duration: 1h\nmodel: {service: 10ms}\nworkload:\n  arrival: trace\n"
               "  trace: {path: %s, format: azure2021}\ndeployments: [{coldstart: none}]\n",
            trace);
    fclose(f);
    const char *cmds[] = {"validate", "run"};
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args, "%s %s", cmds[i], scen);
        struct outcome o = run(args);
        cr_assert_eq(o.status, 2, "%s: exit %d, stderr: %s", cmds[i], o.status, o.err);
        cr_assert(strstr(o.err, trace), "%s must name the trace: %s", cmds[i], o.err);
        cr_assert_str_empty(o.out, "%s: no output", cmds[i]);
        outcome_free(&o);
    }
    /* a spike after the end, likewise */
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args,
                 "%s scenarios/quickstart.yaml --set 'workload.spikes=[{at: 7d, duration: 1m, "
                 "factor: 2}]'",
                 cmds[i]);
        struct outcome o = run(args);
        cr_assert_eq(o.status, 2, "%s: exit %d, stderr: %s", cmds[i], o.status, o.err);
        cr_assert(strstr(o.err, "workload.spikes[1].at"), "%s: %s", cmds[i], o.err);
        outcome_free(&o);
    }
    unlink(trace);
    unlink(scen);
    rmdir(dir);
}

/* --progress shows the progress line whatever standard error is (here a file):
 * share done, a throughput and an ETA, ending at 100%; --quiet silences it and
 * every command accepts it. The compare sweep is 2 points x 2 deployments of
 * 1.44 million requests at most (200/s for 2 h), enough for interim reports. */
Test(cli, forced_progress_has_rate_and_eta_and_quiet_silences_it, .timeout = 120)
{
    static const char *const cases[][2] = {
        {"compare tests/data/compare/small.yaml --set workload.rate=200/s "
         "--duty-cycles 0.5,1 --jobs 2 --progress",
         "requests/s, ETA"},
        {"trace stats traces/azure2021/Azure2021_200.csv --as azure2021 --progress",
         "rows/s, ETA"},
        {"trace convert traces/azure2021/Azure2021_200.csv --as azure2021 --progress "
         "--out /dev/null --force",
         "rows/s, ETA"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct outcome o = run(cases[i][0]);
        cr_assert_eq(o.status, 0, "%s: exit %d: %s", cases[i][0], o.status, o.err);
        cr_assert(strstr(o.err, cases[i][1]), "%s: stderr: %s", cases[i][0], o.err);
        cr_assert(strstr(o.err, "slsim: 100% done"), "%s: stderr: %s", cases[i][0], o.err);
        cr_assert(!strstr(o.err, " 0 requests/s") && !strstr(o.err, " 0 rows/s"),
                  "%s: a throughput is measured: %s", cases[i][0], o.err);
        outcome_free(&o);
    }
    static const char *const quiet[] = {
        "run scenarios/quickstart.yaml --quiet --set duration=1h --set warmup=0 --set workload.spikes=",
        "compare tests/data/compare/small.yaml --quiet --duty-cycles 1",
        "validate scenarios/quickstart.yaml --quiet",
        "catalog list --quiet",
        "trace stats traces/azure2021/Azure2021_200.csv --as azure2021 --quiet --progress",
    };
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) {
        struct outcome o = run(quiet[i]);
        cr_assert_eq(o.status, 0, "%s: exit %d: %s", quiet[i], o.status, o.err);
        cr_assert(!strstr(o.err, "ETA"), "%s: %s", quiet[i], o.err);
        outcome_free(&o);
    }
}

/* Every trace key of a scenario is a `trace` option of the same name: a CSV of
 * milliseconds (100 and 199) with --duration-unit 1ms has a mean duration of
 * (0.100 + 0.199) / 2 = 0.1495 s, not the 149.5 s of reading them as seconds;
 * the option's value is checked like the key (a bare 1 has no unit). */
Test(cli, trace_options_mirror_the_scenario_trace_keys, .timeout = 60)
{
    char path[] = "/tmp/slsim-cli-ms-XXXXXX";
    write_temp(path, "time,function,duration\n0,a,100\n1,b,199\n");
    char args[512];
    snprintf(args, sizeof args,
             "trace stats %s --as csv --columns time=time,function=function,duration=duration "
             "--duration-unit 1ms",
             path);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_assert(strstr(o.out, "mean duration     0.1495 s"), "%s", o.out);
    outcome_free(&o);
    char out[64];
    snprintf(out, sizeof out, "%s.out", path);
    snprintf(args, sizeof args, "trace convert %s --as csv --duration-unit=1ms "
                                "--columns '{time: time, duration: duration}' --out %s",
             path, out);
    o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *got = slurp(out);
    cr_assert(got && strstr(got, ",0.199000000,"), "%s", got);
    free(got);
    unlink(out);
    outcome_free(&o);
    snprintf(args, sizeof args, "trace stats %s --as csv --duration-unit 1", path);
    o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "--duration-unit") && strstr(o.err, "1 needs a unit: 1ms or 1s?"),
              "%s", o.err);
    cr_assert_str_empty(o.out);
    outcome_free(&o);
    unlink(path);
}

/* Without --as the format comes from the header, for each format that has its
 * own: the shipped samples of azure2019, azure2021 and azure-llm. A header that
 * fits none names the formats and what it holds. */
Test(cli, trace_format_is_read_from_the_header, .timeout = 60)
{
    static const char *const cases[][2] = {
        {"traces/azure2019/invocations.csv --durations traces/azure2019/durations.csv",
         "(azure2019)"},
        {"traces/azure2021/Azure2021_200.csv", "(azure2021)"},
        {"traces/azure-llm/AzureLLMInferenceTrace_code.csv", "(azure-llm)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[300];
        snprintf(args, sizeof args, "trace stats %s --top 0", cases[i][0]);
        struct outcome o = run(args);
        cr_assert_eq(o.status, 0, "%s: %s", cases[i][0], o.err);
        cr_assert(strstr(o.out, cases[i][1]), "%s: %s", cases[i][0], o.out);
        outcome_free(&o);
    }
    struct outcome o = run("trace stats tests/data/traces/memory.csv");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "tests/data/traces/memory.csv:1:1: cannot tell the format from the "
                            "header \"time,fn,dur,mem\""),
              "%s", o.err);
    cr_assert(strstr(o.err, "azure2019") && strstr(o.err, "azure2021") &&
                  strstr(o.err, "azure-llm") && strstr(o.err, "--as csv"),
              "%s", o.err);
    outcome_free(&o);
}

/* Options follow the scenario's unit rule: a bare number other than 0 is refused
 * with the readings it could have, before anything is simulated. */
Test(cli, timeline_interval_without_a_unit_offers_the_readings, .timeout = 30)
{
    struct outcome o = run("run scenarios/quickstart.yaml --timeline-interval 60 "
                           "--timeline /tmp/slsim-never-written.csv");
    cr_assert_eq(o.status, 2, "%s", o.err);
    cr_assert(strstr(o.err, "--timeline-interval: 60 needs a unit: 60ms or 60s?"), "%s", o.err);
    cr_assert_eq(access("/tmp/slsim-never-written.csv", F_OK), -1);
    outcome_free(&o);
}

/* Rows skip_bad dropped are requests missing from the report: run says how many. The
 * file has six rows after its header: 2.0 lacks a field, 3.0 has a negative duration,
 * 4.0 a duration that is no number; 1.0, 3.5 (after the last good row, 1.0) and 5.0
 * are replayed. */
Test(cli, run_says_how_many_rows_skip_bad_skipped)
{
    char path[] = "/tmp/slsim-skip-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char yaml[] = "duration: 10s\n"
                        "model: {service: 10ms}\n"
                        "workload:\n"
                        "  arrival: trace\n"
                        "  trace: {format: csv, path: tests/data/traces/events/csv_bad_rows.csv,\n"
                        "          columns: {time: ts, function: fn, duration: dur_ms},\n"
                        "          duration_unit: 1ms, skip_bad: true}\n"
                        "deployments: [{platform: generic}]\n";
    cr_assert_eq(write(fd, yaml, sizeof yaml - 1), (ssize_t)(sizeof yaml - 1));
    close(fd);
    char args[256];
    snprintf(args, sizeof args, "run %s --format json", path);
    struct outcome o = run(args);
    cr_expect_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.err, "skip_bad skipped 3 malformed rows of "
                            "tests/data/traces/events/csv_bad_rows.csv"),
              "%s", o.err);
    cr_expect(strstr(o.out, "\"requests\":\t3"), "%s", o.out);
    outcome_free(&o);
    unlink(path);
}
