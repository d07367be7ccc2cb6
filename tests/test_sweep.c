/* test_sweep.c - `slsim sweep` as users meet it: the grid and --zip, each value syntax
 * through the command line, rounding to settings, the three formats, --out with
 * FILE.partial, --resume after a cut and after a kill, output independent of --jobs
 * and of mpirun -np, failed points as rows, bad keys, and the common seed.
 *
 * The scenario is tests/data/sweep/small.yaml: Poisson at 2/s for 30 minutes (about
 * 3600 requests) and two Lambda deployments, `lambda` and `other`, so a point takes a
 * few milliseconds and each point gives two rows. The value parser itself is tested
 * in test_sweep_values.c. */
#include "cli_helpers.h"
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SMALL "tests/data/sweep/small.yaml"
#define NDEP 2 /* deployments in SMALL: lambda, other */

/* ---- helpers ---- */

TestSuite(sweep, .fini = remove_made_dir);

static void remove_dir(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fwrite(text, 1, n, f), n);
    fclose(f);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}


/* The CSV's data lines: lines not starting with '#', less the header. Returns the
 * count; *header gets the header line (malloc'd), rows[k] the k-th data line
 * (malloc'd, up to max). */
static size_t csv_rows(const char *csv, char **header, char **rows, size_t max)
{
    size_t n = 0;
    int seen_header = 0;
    const char *p = csv;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (*p != '#' && len > 0) {
            char *line = strndup(p, len);
            if (!seen_header) {
                seen_header = 1;
                if (header)
                    *header = line;
                else
                    free(line);
            } else {
                if (rows && n < max)
                    rows[n] = line;
                else
                    free(line);
                n++;
            }
        }
        p = e ? e + 1 : p + len;
    }
    return n;
}

static void free_lines(char **rows, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(rows[k]);
}

/* Field k (from 0) of a CSV line, quotes removed ("" inside quotes is one "). */
static char *field(const char *line, int k)
{
    static char buf[4096];
    int col = 0, quoted = 0;
    size_t n = 0;
    for (const char *p = line; *p; p++) {
        if (quoted) {
            if (*p == '"' && p[1] == '"') {
                if (col == k && n + 1 < sizeof buf)
                    buf[n++] = '"';
                p++;
            } else if (*p == '"') {
                quoted = 0;
            } else if (col == k && n + 1 < sizeof buf) {
                buf[n++] = *p;
            }
        } else if (*p == '"') {
            quoted = 1;
        } else if (*p == ',') {
            if (col == k)
                break;
            col++;
        } else if (col == k && n + 1 < sizeof buf) {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    cr_assert(col == k, "line has no field %d: %s", k, line);
    return buf;
}

/* The number of fields of a CSV line (commas outside quotes + 1). */
static int nfields(const char *line)
{
    int n = 1, quoted = 0;
    for (const char *p = line; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ',' && !quoted)
            n++;
    }
    return n;
}

/* The index of the header column named NAME, or -1. */
static int column(const char *header, const char *name)
{
    int n = nfields(header);
    for (int k = 0; k < n; k++)
        if (strcmp(field(header, k), name) == 0)
            return k;
    return -1;
}

/* ---- 1. the grid and --zip ---- */

/* Rule: several --vary form a grid, the first varying slowest; a row per point and
 * deployment; the varied keys are the columns right after `point`. 3 x 2 = 6 points,
 * x 2 deployments = 12 rows; point p has memory index p / 2 and reserved index p % 2. */
Test(sweep, grid_of_3_by_2_gives_6_points_in_grid_order, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lambda.memory=1GiB,2GiB,3GiB"
                           " --vary deployments.other.reserved=2,4 --jobs 2 --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *header = NULL, *rows[32];
    size_t n = csv_rows(o.out, &header, rows, 32);
    cr_assert_eq(n, 6 * NDEP, "%zu data rows, not 6 points x 2 deployments", n);
    cr_assert_str_eq(field(header, 0), "point");
    cr_assert_str_eq(field(header, 1), "deployments.lambda.memory");
    cr_assert_str_eq(field(header, 2), "deployments.other.reserved");
    cr_assert_str_eq(field(header, 3), "deployment");
    static const char *mem[] = {"1GiB", "2GiB", "3GiB"}, *res[] = {"2", "4"},
                      *dep[] = {"lambda", "other"};
    for (size_t r = 0; r < n; r++) {
        size_t p = r / NDEP;
        char want[8];
        snprintf(want, sizeof want, "%zu", p);
        cr_assert_str_eq(field(rows[r], 0), want, "row %zu: %s", r, rows[r]);
        cr_assert_str_eq(field(rows[r], 1), mem[p / 2], "row %zu: %s", r, rows[r]);
        cr_assert_str_eq(field(rows[r], 2), res[p % 2], "row %zu: %s", r, rows[r]);
        cr_assert_str_eq(field(rows[r], 3), dep[r % NDEP], "row %zu: %s", r, rows[r]);
    }
    /* the varied memory is the simulated one: 1 GiB = 1073.741824 MB on lambda */
    int mb = column(header, "memory_mb");
    cr_assert(mb > 0);
    cr_assert_str_eq(field(rows[0], mb), "1073.741824");
    cr_assert_str_eq(field(rows[4 * NDEP], mb), "3221.225472");
    free_lines(rows, n);
    free(header);
    outcome_free(&o);
}

/* Rule: --zip pairs the lists one for one: 3 values each give 3 points (1GiB,2), (2GiB,4),
 * (3GiB,6), not 9. */
Test(sweep, zip_pairs_the_lists, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --zip --vary deployments.lambda.memory=1GiB,2GiB,3GiB"
                           " --vary deployments.other.reserved=2,4,6 --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *rows[32];
    size_t n = csv_rows(o.out, NULL, rows, 32);
    cr_assert_eq(n, 3 * NDEP);
    static const char *mem[] = {"1GiB", "2GiB", "3GiB"}, *res[] = {"2", "4", "6"};
    for (size_t r = 0; r < n; r++) {
        cr_assert_str_eq(field(rows[r], 1), mem[r / NDEP], "row %zu: %s", r, rows[r]);
        cr_assert_str_eq(field(rows[r], 2), res[r / NDEP], "row %zu: %s", r, rows[r]);
    }
    free_lines(rows, n);
    outcome_free(&o);
}

/* Rule: --zip needs lists of one length; otherwise exit 2 naming both keys, no output. */
Test(sweep, zip_of_unequal_lists_is_refused, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --zip --vary deployments.lambda.memory=1GiB,2GiB,3GiB"
                           " --vary deployments.other.reserved=2,4 --quiet");
    cr_assert_eq(o.status, 2);
    cr_assert_str_eq(o.out, "");
    cr_assert(strstr(o.err, "deployments.lambda.memory"), "stderr: %s", o.err);
    cr_assert(strstr(o.err, "deployments.other.reserved"), "stderr: %s", o.err);
    outcome_free(&o);
}

/* ---- 2. value syntaxes through the command line ---- */

static void expect_key_values(const char *args, const char *const *want, size_t nwant)
{
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "%s\nstderr: %s", args, o.err);
    char *rows[64];
    size_t n = csv_rows(o.out, NULL, rows, 64);
    cr_assert_eq(n, nwant * NDEP, "%s: %zu rows, not %zu", args, n, nwant * NDEP);
    for (size_t r = 0; r < n; r++)
        cr_assert_str_eq(field(rows[r], 1), want[r / NDEP], "%s: row %zu: %s", args, r, rows[r]);
    free_lines(rows, n);
    outcome_free(&o);
}

/* Rule: start:stop:step includes stop when it lands on a step: 0:4:2 is 0, 2, 4. */
Test(sweep, range_through_the_cli, .timeout = 60)
{
    static const char *want[] = {"0", "2", "4"};
    expect_key_values("sweep " SMALL " --vary deployments.other.reserved=0:4:2 --quiet", want, 3);
}

/* Rule: a..b*n is n values evenly spaced in log, ends included: 1..100*3 is 1, 10, 100
 * (ratio (100/1)^(1/2) = 10). */
Test(sweep, log_range_through_the_cli, .timeout = 60)
{
    static const char *want[] = {"1", "10", "100"};
    expect_key_values("sweep " SMALL " --vary deployments.other.reserved=1..100*3 --quiet", want,
                      3);
}

/* Rule: VALUES may be @FILE, one value per line, '#' lines and blank lines skipped (the
 * whole of VALUES: a file name may hold commas). */
Test(sweep, at_file_through_the_cli, .timeout = 60)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char path[300], args[1024];
    snprintf(path, sizeof path, "%s/values.txt", dir);
    const char *text = "# reserved instances\n3\n\n5\n# done\n7\n";
    write_file(path, text, strlen(text));
    static const char *want[] = {"3", "5", "7"};
    snprintf(args, sizeof args, "sweep " SMALL " --vary deployments.other.reserved=@%s --quiet",
             path);
    expect_key_values(args, want, 3);
    remove_dir(dir);
}

/* Rule: a bad value is a located error at file "--vary", line 1, the column of the
 * fault: in deployments.other.provisioned=0:50:0 the key and '=' take 30 columns, so
 * the step (the last 0) is at column 31 + 5 = 36. Exit 2, no output. */
Test(sweep, bad_range_is_a_located_error, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.other.provisioned=0:50:0 --quiet");
    cr_assert_eq(o.status, 2);
    cr_assert_str_eq(o.out, "");
    cr_assert(strstr(o.err, "--vary:1:36:"), "stderr: %s", o.err);
    cr_assert(strstr(o.err, "deployments.other.provisioned"), "stderr: %s", o.err);
    outcome_free(&o);
}

/* ---- 3. rounding to settings ---- */

/* Rule: a value between settings is rounded to the nearest one: Lambda memory is set in
 * 1 MiB steps, and 1000MB = 10^9 B = 953.67 MiB -> 954 MiB (= 1000.341504 MB). The CSV
 * says so in a '#' line, stderr in a note. */
Test(sweep, memory_between_steps_is_rounded, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lambda.memory=1000MB,2GiB");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_assert(
        strstr(o.out, "\n# deployments.lambda.memory: 1000MB rounded to the setting 954MiB\n"),
        "output: %.400s", o.out);
    cr_assert(strstr(o.err, "1000MB -> 954MiB"), "stderr: %s", o.err);
    char *header = NULL, *rows[8];
    size_t n = csv_rows(o.out, &header, rows, 8);
    cr_assert_eq(n, 2 * NDEP);
    cr_assert_str_eq(field(rows[0], 1), "954MiB");
    cr_assert_str_eq(field(rows[1], 1), "954MiB");
    cr_assert_str_eq(field(rows[2], 1), "2GiB");
    int mb = column(header, "memory_mb");
    cr_assert(mb > 0);
    cr_assert_str_eq(field(rows[0], mb), "1000.341504"); /* 954 x 1.048576 */
    free_lines(rows, n);
    free(header);
    outcome_free(&o);
}

/* Rule: values equal after rounding are one point: 1000MB and 954MiB are both 954 MiB,
 * so 1000MB,954MiB,1GiB gives 2 points, and the output says 1 value was dropped. */
Test(sweep, duplicates_after_rounding_are_dropped, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lambda.memory=1000MB,954MiB,1GiB");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *rows[16];
    size_t n = csv_rows(o.out, NULL, rows, 16);
    cr_assert_eq(n, 2 * NDEP, "%zu rows: %s", n, o.out);
    cr_assert_str_eq(field(rows[0], 1), "954MiB");
    cr_assert_str_eq(field(rows[2], 1), "1GiB");
    cr_assert(strstr(o.out, "# deployments.lambda.memory: 1 value dropped"), "output: %.400s",
              o.out);
    cr_assert(strstr(o.err, "1 duplicate dropped"), "stderr: %s", o.err);
    free_lines(rows, n);
    outcome_free(&o);
}

/* Rule: a whole-number key rounds a fraction: reserved=2.4 is 2, and with it the other
 * deployment throttles exactly as with reserved=2 (same rows apart from the key). */
Test(sweep, fraction_of_a_whole_number_key_is_rounded, .timeout = 60)
{
    struct outcome a = run("sweep " SMALL " --vary deployments.other.reserved=2.4");
    struct outcome b = run("sweep " SMALL " --vary deployments.other.reserved=2 --quiet");
    cr_assert_eq(a.status, 0, "stderr: %s", a.err);
    cr_assert_eq(b.status, 0, "stderr: %s", b.err);
    cr_assert(strstr(a.out, "# deployments.other.reserved: 2.4 rounded to the setting 2\n"),
              "output: %.400s", a.out);
    cr_assert(strstr(a.err, "2.4 -> 2"), "stderr: %s", a.err);
    char *ra[4], *rb[4];
    size_t na = csv_rows(a.out, NULL, ra, 4), nb = csv_rows(b.out, NULL, rb, 4);
    cr_assert_eq(na, NDEP);
    cr_assert_eq(nb, NDEP);
    for (size_t r = 0; r < na; r++)
        cr_assert_str_eq(ra[r], rb[r]);
    cr_assert_str_eq(field(ra[1], 1), "2");
    free_lines(ra, na);
    free_lines(rb, nb);
    outcome_free(&a);
    outcome_free(&b);
}

/* ---- 4. formats and --out ---- */

/* Rule: the CSV opens with '# slsim sweep ' and a 16-hex-digit hash of the sweep. */
Test(sweep, csv_head_is_the_hash, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.other.reserved=2,4 --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    const char *pre = "# slsim sweep ";
    cr_assert(strncmp(o.out, pre, strlen(pre)) == 0, "first line: %.60s", o.out);
    const char *h = o.out + strlen(pre);
    for (int k = 0; k < 16; k++)
        cr_assert(isxdigit((unsigned char)h[k]), "hash digit %d in %.40s", k, o.out);
    cr_assert_eq(h[16], '\n', "the hash is not 16 digits: %.40s", o.out);
    /* another sweep (other values) has another hash */
    struct outcome p = run("sweep " SMALL " --vary deployments.other.reserved=2,5 --quiet");
    cr_assert_eq(p.status, 0);
    cr_assert(strncmp(o.out, p.out, strlen(pre) + 16) != 0, "same hash for other values");
    outcome_free(&o);
    outcome_free(&p);
}

/* Rule: JSONL's first record is the head {slsim_sweep: HASH, ...}; then one record per
 * row: 2 points x 2 deployments = 4, each with its point and its varied key. */
Test(sweep, jsonl_head_and_records, .timeout = 60)
{
    struct outcome o =
        run("sweep " SMALL " --vary deployments.other.reserved=2,4 --format jsonl --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    int records = 0;
    char *save = NULL;
    for (char *line = strtok_r(o.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *j = cJSON_Parse(line);
        cr_assert(j, "not JSON: %s", line);
        if (records == 0) {
            cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "slsim_sweep");
            cr_assert(cJSON_IsString(h) && strlen(h->valuestring) == 16, "head: %s", line);
        } else {
            int p = (records - 1) / NDEP;
            cJSON *pt = cJSON_GetObjectItemCaseSensitive(j, "point");
            cr_assert(cJSON_IsNumber(pt) && pt->valueint == p, "record %d: %s", records, line);
            cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "vary");
            cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "deployments.other.reserved");
            cr_assert(cJSON_IsString(r), "record %d: %s", records, line);
            cr_assert_str_eq(r->valuestring, p == 0 ? "2" : "4");
        }
        cJSON_Delete(j);
        records++;
    }
    cr_assert_eq(records, 1 + 2 * NDEP);
    outcome_free(&o);
}

/* Rule: JSON is one object with the rows in `rows`: 3 points x 2 deployments = 6. */
Test(sweep, json_parses_with_rows, .timeout = 60)
{
    struct outcome o =
        run("sweep " SMALL " --vary deployments.other.reserved=2,4,6 --format json --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cJSON *j = cJSON_Parse(o.out);
    cr_assert(j, "not JSON: %.300s", o.out);
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(j, "rows");
    cr_assert(cJSON_IsArray(rows));
    cr_assert_eq(cJSON_GetArraySize(rows), 3 * NDEP);
    cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "slsim_sweep");
    cr_assert(cJSON_IsString(h));
    cJSON_Delete(j);
    outcome_free(&o);
}

/* Rule: with --out the rows go to FILE.partial, renamed FILE at the end: FILE exists,
 * FILE.partial does not, nothing on stdout, and FILE holds what stdout would. A second
 * run without --force refuses (exit 2) and leaves FILE as it was; --force overwrites. */
Test(sweep, out_file_and_refusal_without_force, .timeout = 60)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char file[300], partial[310], args[1024];
    snprintf(file, sizeof file, "%s/a.csv", dir);
    snprintf(partial, sizeof partial, "%s.partial", file);
    snprintf(args, sizeof args,
             "sweep " SMALL " --vary deployments.other.reserved=2,4 --quiet --out %s", file);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_assert_str_eq(o.out, "");
    cr_assert(exists(file));
    cr_assert(!exists(partial), "%s remains after success", partial);
    char *first = slurp(file);
    struct outcome s = run("sweep " SMALL " --vary deployments.other.reserved=2,4 --quiet");
    cr_assert_str_eq(first, s.out, "--out FILE differs from standard output");
    outcome_free(&s);
    outcome_free(&o);

    snprintf(args, sizeof args,
             "sweep " SMALL " --vary deployments.other.reserved=3 --quiet --out %s", file);
    o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "--force"), "stderr: %s", o.err);
    char *second = slurp(file);
    cr_assert_str_eq(second, first, "FILE changed by a refused run");
    cr_assert(!exists(partial));
    outcome_free(&o);
    free(second);

    snprintf(args, sizeof args,
             "sweep " SMALL " --vary deployments.other.reserved=3 --quiet --force --out %s", file);
    o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    second = slurp(file);
    cr_assert_eq(csv_rows(second, NULL, NULL, 0), 1 * NDEP, "--force did not overwrite");
    outcome_free(&o);
    free(second);
    free(first);
    remove_dir(dir);
}

/* Rule: "1 ... the output could not be written" (slsim sweep --help): standard output
 * on a full device is exit 1, not 0. */
Test(sweep, unwritable_output_is_exit_1, .timeout = 60)
{
    if (access("/dev/full", W_OK) != 0)
        cr_skip_test("no /dev/full here");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "( %s sweep " SMALL " --vary deployments.other.reserved=2,4 --quiet >/dev/full )",
             slsim());
    struct outcome o = run_shell(cmd);
    cr_assert_eq(o.status, 1, "exit %d, stderr: %s", o.status, o.err);
    outcome_free(&o);
}

/* ---- 5. resume ---- */

#define RESUME_VARY                                                                                \
    " --vary deployments.lambda.memory=1GiB,2GiB --vary deployments.other.reserved=2,4,6"

/* Rule: --resume continues FILE.partial and the result is the uninterrupted file, byte
 * for byte, wherever the cut fell: inside the head, inside the second line, at the end
 * of the second line, in the middle of a row (the cut row is dropped), exactly at a
 * row's end, one byte short of the end, and with nothing missing at all; in each
 * format (json: the head line, then a row a line, then the closing line). */
static void resume_after_cuts(const char *format)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char a[300], b[300], partial[310], args[1024];
    snprintf(a, sizeof a, "%s/a.out", dir);
    snprintf(b, sizeof b, "%s/b.out", dir);
    snprintf(partial, sizeof partial, "%s.partial", b);
    snprintf(args, sizeof args, "sweep " SMALL RESUME_VARY " --format %s --jobs 2 --quiet --out %s",
             format, a);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    char *whole = slurp(a);
    size_t len = strlen(whole);

    const char *line1 = strchr(whole, '\n') + 1;
    const char *line2 = strchr(line1, '\n') + 1;
    const char *line4 = strchr(strchr(line2, '\n') + 1, '\n') + 1;
    const char *line5 = strchr(line4, '\n') + 1;
    size_t cuts[] = {5,
                     (size_t)(line1 - whole) + 10,
                     (size_t)(line2 - whole),
                     (size_t)(line4 - whole) + (size_t)(line5 - line4) / 2,
                     (size_t)(line5 - whole),
                     len - 1,
                     len};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        unlink(b);
        write_file(partial, whole, cuts[k]);
        snprintf(args, sizeof args,
                 "sweep " SMALL RESUME_VARY " --format %s --jobs 2 --quiet --resume --out %s",
                 format, b);
        o = run(args);
        cr_assert_eq(o.status, 0, "%s, cut at %zu: stderr: %s", format, cuts[k], o.err);
        char *got = slurp(b);
        cr_assert(got, "%s, cut at %zu: no %s", format, cuts[k], b);
        cr_assert_str_eq(got, whole, "%s, cut at byte %zu of %zu: the resumed file differs", format,
                         cuts[k], len);
        cr_assert(!exists(partial), "%s, cut at %zu: %s remains", format, cuts[k], partial);
        free(got);
        outcome_free(&o);
    }
    free(whole);
    remove_dir(dir);
}

Test(sweep, resume_after_cuts_csv, .timeout = 120) { resume_after_cuts("csv"); }
Test(sweep, resume_after_cuts_jsonl, .timeout = 120) { resume_after_cuts("jsonl"); }
Test(sweep, resume_after_cuts_json, .timeout = 120) { resume_after_cuts("json"); }

/* Rule: a sweep killed (SIGKILL) halfway and resumed gives the same bytes as one not
 * interrupted. 12 points of about 0.06 s each on one thread (Poisson at 20/s for 4 h,
 * about 288000 requests; several times longer under the sanitizers); killed once
 * FILE.partial holds 2 rows after the header. */
#define KILL_ARGS                                                                                  \
    " " SMALL " --set duration=4h --set workload.rate=20/s"                                        \
    " --vary deployments.other.reserved=1:12:1 --jobs 1 --quiet --out "

static size_t data_rows_in(const char *path)
{
    char *text = slurp(path);
    if (!text)
        return 0;
    /* only whole lines count: the last may be cut */
    size_t n = 0;
    for (char *p = text; *p; p++)
        n += *p == '\n';
    size_t rows = 0;
    if (n >= 2)
        rows = n - 2; /* the hash line and the header */
    free(text);
    return rows;
}

Test(sweep, resume_after_a_kill_is_byte_identical, .timeout = 240)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char a[300], b[300], partial[310], args[1024];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(partial, sizeof partial, "%s.partial", b);
    snprintf(args, sizeof args, "sweep" KILL_ARGS "%s", a);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    char *whole = slurp(a);

    char cmd[1024];
    snprintf(cmd, sizeof cmd, "exec %s sweep" KILL_ARGS "%s >/dev/null 2>&1 </dev/null", slsim(),
             b);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    /* poll every 5 ms (for at most 120 s) until 2 rows are written */
    int status = 0, done = 0;
    for (int k = 0; k < 24000; k++) {
        if (data_rows_in(partial) >= 2)
            break;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            done = 1;
            break;
        }
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
    cr_assert(!done, "the sweep ended before it could be killed");
    cr_assert_eq(kill(pid, SIGKILL), 0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the sweep was not killed");
    cr_assert(!exists(b), "%s exists after the kill", b);
    size_t had = data_rows_in(partial);
    cr_assert(had >= 2 && had < 12 * NDEP, "%zu rows at the kill", had);

    /* without --quiet, so that it says where it goes on from: after the whole points
     * written (a point is NDEP rows; a point cut short is simulated again) */
    snprintf(args, sizeof args, "sweep" KILL_ARGS "%s --resume", b);
    char *quiet = strstr(args, " --quiet");
    cr_assert(quiet);
    memmove(quiet, quiet + 8, strlen(quiet + 8) + 1);
    o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char want[400];
    snprintf(want, sizeof want, "resuming %s at point %zu of 12", partial, had / NDEP);
    cr_assert(strstr(o.err, want), "want \"%s\" in stderr: %s", want, o.err);
    char *got = slurp(b);
    cr_assert(got, "no %s after --resume", b);
    cr_assert_str_eq(got, whole, "killed at %zu rows and resumed: the file differs", had);
    cr_assert(!exists(partial));
    free(got);
    free(whole);
    outcome_free(&o);
    remove_dir(dir);
}

/* Rule: --resume continues only this sweep's partial file (the hash in its first line):
 * other --vary values or another scenario are refused with exit 2, the partial file
 * left as it was. */
Test(sweep, resume_of_another_sweep_is_refused, .timeout = 60)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char a[300], b[300], partial[310], args[1024];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(partial, sizeof partial, "%s.partial", b);
    snprintf(args, sizeof args, "sweep " SMALL RESUME_VARY " --quiet --out %s", a);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    char *whole = slurp(a);
    size_t cut = strlen(whole) / 2;
    write_file(partial, whole, cut);
    char *before = slurp(partial);

    const char *others[] = {
        /* other values */
        "sweep " SMALL " --vary deployments.lambda.memory=1GiB,3GiB"
        " --vary deployments.other.reserved=2,4,6 --quiet --resume --out %s",
        /* another scenario */
        "sweep tests/data/compare/small.yaml --vary deployments.lambda.memory=1GiB,2GiB"
        " --quiet --resume --out %s",
        /* the same values, another format */
        "sweep " SMALL RESUME_VARY " --format jsonl --quiet --resume --out %s",
    };
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        snprintf(args, sizeof args, others[k], b);
        o = run(args);
        cr_assert_eq(o.status, 2, "case %zu: exit %d, stderr: %s", k, o.status, o.err);
        cr_assert(strstr(o.err, "--force"), "case %zu: stderr: %s", k, o.err);
        char *after = slurp(partial);
        cr_assert(after, "case %zu: the partial file is gone", k);
        cr_assert_str_eq(after, before, "case %zu: the partial file changed", k);
        cr_assert(!exists(b), "case %zu: %s was written", k, b);
        free(after);
        outcome_free(&o);
    }
    free(before);
    free(whole);
    remove_dir(dir);
}

/* Rule: --resume needs --out (exit 2); a FILE.partial there without --resume is exit 2
 * with a hint to --resume or --force, and is left alone. */
Test(sweep, resume_usage_errors, .timeout = 60)
{
    struct outcome o =
        run("sweep " SMALL " --vary deployments.other.reserved=2,4 --quiet --resume");
    cr_assert_eq(o.status, 2);
    cr_assert_str_eq(o.out, "");
    cr_assert(strstr(o.err, "--out"), "stderr: %s", o.err);
    outcome_free(&o);

    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char b[300], partial[310], args[1024];
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(partial, sizeof partial, "%s.partial", b);
    const char *stub = "# slsim sweep 0123456789abcdef\n";
    write_file(partial, stub, strlen(stub));
    snprintf(args, sizeof args,
             "sweep " SMALL " --vary deployments.other.reserved=2,4 --quiet --out %s", b);
    o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "--resume"), "stderr: %s", o.err);
    cr_assert(strstr(o.err, "--force"), "stderr: %s", o.err);
    char *after = slurp(partial);
    cr_assert_str_eq(after, stub);
    cr_assert(!exists(b));
    free(after);
    outcome_free(&o);
    remove_dir(dir);
}

/* ---- 6. the output does not depend on --jobs ---- */

#define JOBS_VARY                                                                                  \
    " --vary deployments.lambda.memory=1GiB,2GiB,3GiB --vary deployments.other.reserved=1:4:1"

static void same_for_jobs(const char *format, const char *extra)
{
    char args[1024];
    snprintf(args, sizeof args, "sweep " SMALL JOBS_VARY " --format %s %s --quiet --jobs 1", format,
             extra);
    struct outcome one = run(args);
    cr_assert_eq(one.status, 0, "stderr: %s", one.err);
    for (int jobs = 2; jobs <= 3; jobs++) {
        snprintf(args, sizeof args, "sweep " SMALL JOBS_VARY " --format %s %s --quiet --jobs %d",
                 format, extra, jobs);
        struct outcome many = run(args);
        cr_assert_eq(many.status, 0, "stderr: %s", many.err);
        cr_assert_str_eq(many.out, one.out, "--format %s %s: --jobs %d differs from --jobs 1",
                         format, extra, jobs);
        outcome_free(&many);
    }
    outcome_free(&one);
}

/* Rule: the output does not depend on --jobs: the same bytes for 1, 2 and 3 threads. */
Test(sweep, jobs_do_not_change_csv, .timeout = 120) { same_for_jobs("csv", ""); }
Test(sweep, jobs_do_not_change_jsonl, .timeout = 120) { same_for_jobs("jsonl", ""); }
Test(sweep, jobs_do_not_change_replications, .timeout = 120)
{
    same_for_jobs("csv", "--replications 2");
    same_for_jobs("jsonl", "--replications 2");
}

/* Rule: --replications N gives each number its 95% interval in NAME_ci95, next to it;
 * with 2 replications of a random run the interval of the p99 is a number, and the
 * count of requests differs between replications (independent streams), so its
 * interval is not 0. */
Test(sweep, replications_give_ci95_columns, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.other.reserved=2,4 --replications 2"
                           " --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *header = NULL, *rows[8];
    size_t n = csv_rows(o.out, &header, rows, 8);
    cr_assert_eq(n, 2 * NDEP);
    int req = column(header, "requests"), ci = column(header, "requests_ci95");
    cr_assert(req > 0 && ci == req + 1, "requests at %d, requests_ci95 at %d", req, ci);
    for (size_t r = 0; r < n; r++) {
        const char *v = field(rows[r], ci);
        cr_assert(*v, "row %zu: requests_ci95 is empty", r);
        cr_assert(strtod(v, NULL) > 0, "row %zu: requests_ci95 is %s", r, v);
    }
    free_lines(rows, n);
    free(header);
    outcome_free(&o);
}

/* ---- 7. mpirun ---- */

static int have_mpi(void)
{
    if (system("command -v mpirun >/dev/null 2>&1") != 0)
        return 0;
    struct outcome v = run("--version");
    int with = v.out && strstr(v.out, "with MPI") != NULL;
    outcome_free(&v);
    return with;
}

#define MPI_ENV                                                                                    \
    "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"                                \
    " OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1"           \
    " ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe -np "

/* Rule: `mpirun -np N slsim sweep` gives the bytes of the single-process run, for N = 2
 * and 3, a failing point (a platform of no such name) included, with exit 1. */
Test(sweep, mpirun_gives_the_same_bytes, .timeout = 180)
{
    if (!have_mpi()) {
        cr_skip_test("mpirun is not on PATH or slsim is built without MPI");
    }
    const char *sweeps[] = {
        " --vary deployments.lambda.memory=1GiB,2GiB,3GiB --vary deployments.other.reserved=2,4",
        " --vary deployments.lambda.platform=nope,aws-lambda,aws-lambda-arm64 --vary "
        "deployments.other.reserved=2,4",
    };
    for (size_t s = 0; s < 2; s++) {
        char args[1024];
        snprintf(args, sizeof args, "sweep " SMALL "%s --quiet --jobs 1", sweeps[s]);
        struct outcome one = run(args);
        cr_assert_eq(one.status, (int)s, "stderr: %s", one.err);
        for (int np = 2; np <= 3; np++) {
            char cmd[2048];
            snprintf(cmd, sizeof cmd, MPI_ENV "%d %s sweep " SMALL "%s --quiet", np, slsim(),
                     sweeps[s]);
            struct outcome many = run_shell(cmd);
            cr_assert_eq(many.status, (int)s, "np %d: exit %d, stderr: %s", np, many.status,
                         many.err);
            cr_assert_str_eq(many.out, one.out, "mpirun -np %d differs from one process", np);
            if (s == 1)
                cr_assert(strstr(many.err, "point 0 (deployments.lambda.platform=nope"),
                          "np %d: stderr: %s", np, many.err);
            outcome_free(&many);
        }
        outcome_free(&one);
    }
}

/* ---- 8. a failing point ---- */

/* Rule: a point that fails gives one row with its error in `error` and every other
 * cell but the point and its key empty; the other points complete; exit 1; stderr
 * lists the failed point. The catalog has no platform "nope". */
Test(sweep, failing_point_is_an_error_row, .timeout = 60)
{
    struct outcome o =
        run("sweep " SMALL " --vary deployments.lambda.platform=nope,aws-lambda --quiet");
    cr_assert_eq(o.status, 1, "stderr: %s", o.err);
    char *header = NULL, *rows[8];
    size_t n = csv_rows(o.out, &header, rows, 8);
    cr_assert_eq(n, 1 + NDEP, "%zu rows: one for the failed point, 2 for the other", n);
    int err = column(header, "error"), cols = nfields(header);
    cr_assert(err > 0);
    cr_assert_eq(nfields(rows[0]), cols);
    cr_assert_str_eq(field(rows[0], 0), "0");
    cr_assert_str_eq(field(rows[0], 1), "nope");
    for (int k = 2; k < cols; k++)
        if (k != err)
            cr_assert_str_eq(field(rows[0], k), "", "failed row, column %d (%s) is not empty", k,
                             field(header, k));
    cr_assert(strstr(field(rows[0], err), "unknown platform \"nope\""), "error: %s",
              field(rows[0], err));
    int served = column(header, "served"), p99 = column(header, "latency_ms_p99");
    cr_assert(served > 0 && p99 > 0);
    for (size_t r = 1; r < n; r++) {
        cr_assert_str_eq(field(rows[r], 0), "1");
        cr_assert_str_eq(field(rows[r], err), "", "row %zu has an error", r);
        cr_assert(strtod(field(rows[r], served), NULL) > 3000, "row %zu served %s", r,
                  field(rows[r], served));
        cr_assert(*field(rows[r], p99), "row %zu: no p99", r);
    }
    cr_assert_str_eq(field(rows[1], 2), "lambda");
    cr_assert_str_eq(field(rows[2], 2), "other");
    cr_assert(strstr(o.err, "1 of 2 points failed"), "stderr: %s", o.err);
    cr_assert(strstr(o.err, "point 0 (deployments.lambda.platform=nope)"), "stderr: %s", o.err);
    free_lines(rows, n);
    free(header);
    outcome_free(&o);
}

/* Rule: a failed point's row is a row like any other for --resume: cut before it, inside
 * its quoted error (which holds a comma) or right after it, the resumed file is the
 * uninterrupted one; and since that file holds a failed point, the exit status is 1
 * ("1 some point failed", slsim sweep --help) whether the point failed in this run or
 * was read back from FILE.partial, so a script never takes a file with error rows for
 * a clean one. */
Test(sweep, resume_through_a_failed_row, .timeout = 60)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char a[300], b[300], partial[310], args[1024];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(partial, sizeof partial, "%s.partial", b);
#define FAIL_VARY " --vary deployments.lambda.platform=aws-lambda,nope,aws-lambda-arm64 --quiet"
    snprintf(args, sizeof args, "sweep " SMALL FAIL_VARY " --out %s", a);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 1, "stderr: %s", o.err);
    outcome_free(&o);
    char *whole = slurp(a);
    const char *bad = strstr(whole, "\n1,nope,");
    cr_assert(bad, "no error row: %s", whole);
    const char *comma = strstr(bad, "generic, aws-lambda"); /* inside the quoted error */
    cr_assert(comma, "the error has no comma: %.300s", bad);
    size_t cuts[] = {(size_t)(bad + 1 - whole), (size_t)(comma + 8 - whole),
                     (size_t)(strchr(bad + 1, '\n') + 1 - whole)};
    for (size_t k = 0; k < 3; k++) {
        unlink(b);
        write_file(partial, whole, cuts[k]);
        snprintf(args, sizeof args, "sweep " SMALL FAIL_VARY " --resume --out %s", b);
        o = run(args);
        cr_assert_eq(o.status, 1, "cut at %zu: exit %d, stderr: %s", cuts[k], o.status, o.err);
        char *got = slurp(b);
        cr_assert(got, "cut at %zu: no %s", cuts[k], b);
        cr_assert_str_eq(got, whole, "cut at byte %zu: the resumed file differs", cuts[k]);
        free(got);
        outcome_free(&o);
    }
#undef FAIL_VARY
    free(whole);
    remove_dir(dir);
}

/* ---- 9. bad keys ---- */

/* Rule: a --vary key is checked as --set checks it: the same did-you-mean message, at
 * file "--vary"; exit 2, nothing written. */
Test(sweep, bad_key_gets_did_you_mean, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lambda.memroy=1GiB --quiet");
    cr_assert_eq(o.status, 2);
    cr_assert_str_eq(o.out, "");
    cr_assert(strstr(o.err, "--vary:1:"), "stderr: %s", o.err);
    cr_assert(strstr(o.err, "did you mean \"memory\""), "stderr: %s", o.err);
    /* the same words as --set */
    struct outcome s = run("run " SMALL " --set deployments.lambda.memroy=1GiB");
    cr_assert_eq(s.status, 2);
    const char *tail_v = strstr(o.err, "deployments.lambda.memroy:");
    const char *tail_s = strstr(s.err, "deployments.lambda.memroy:");
    cr_assert(tail_v && tail_s);
    cr_assert_str_eq(tail_v, tail_s);
    outcome_free(&s);
    outcome_free(&o);
}

/* Rule: an unknown deployment name lists the deployments of the scenario. */
Test(sweep, unknown_deployment_lists_them, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lamda.memory=1GiB --quiet");
    cr_assert_eq(o.status, 2);
    cr_assert_str_eq(o.out, "");
    cr_assert(strstr(o.err, "--vary:1:"), "stderr: %s", o.err);
    cr_assert(strstr(o.err, "\"lamda\""), "stderr: %s", o.err);
    cr_assert(strstr(o.err, "lambda, other"), "stderr: %s", o.err);
    outcome_free(&o);
}

/* ---- 10. the seed ---- */

/* Rule: every point uses the scenario's seed (common random numbers): varying a key of
 * `other` only leaves the rows of `lambda` the same apart from the point and key
 * columns; varying seed=1,2 changes the numbers of `lambda`. */
Test(sweep, common_seed_unless_seed_is_varied, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.other.reserved=2,4,6 --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *rows[8];
    size_t n = csv_rows(o.out, NULL, rows, 8);
    cr_assert_eq(n, 3 * NDEP);
    /* lambda's rows 0, 2, 4: equal from the deployment column (index 2) on */
    const char *l0 = strchr(strchr(rows[0], ',') + 1, ',');
    for (size_t p = 1; p < 3; p++) {
        cr_assert_str_eq(field(rows[p * NDEP], 2), "lambda");
        const char *lp = strchr(strchr(rows[p * NDEP], ',') + 1, ',');
        cr_assert_str_eq(lp, l0, "point %zu: lambda's row changed with other's key", p);
    }
    /* other's rows differ (reserved 2 throttles, 6 hardly) */
    cr_assert_str_neq(strchr(strchr(rows[1], ',') + 1, ','), strchr(strchr(rows[5], ',') + 1, ','));
    free_lines(rows, n);
    outcome_free(&o);

    o = run("sweep " SMALL " --vary seed=1,2 --quiet");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    n = csv_rows(o.out, NULL, rows, 8);
    cr_assert_eq(n, 2 * NDEP);
    cr_assert_str_eq(field(rows[0], 2), "lambda");
    cr_assert_str_eq(field(rows[2], 2), "lambda");
    cr_assert_str_neq(strchr(strchr(rows[0], ',') + 1, ','), strchr(strchr(rows[2], ',') + 1, ','),
                      "seed 1 and seed 2 gave the same numbers");
    free_lines(rows, n);
    outcome_free(&o);

    /* and the scenario's seed (7) is the seed of an unvaried sweep */
    struct outcome a = run("sweep " SMALL " --vary seed=7 --quiet");
    struct outcome b = run("sweep " SMALL " --vary deployments.other.reserved=2 --quiet");
    cr_assert_eq(a.status, 0);
    cr_assert_eq(b.status, 0);
    char *ra[4], *rb[4];
    size_t na = csv_rows(a.out, NULL, ra, 4), nb = csv_rows(b.out, NULL, rb, 4);
    cr_assert_eq(na, NDEP);
    cr_assert_eq(nb, NDEP);
    cr_assert_str_eq(strchr(strchr(ra[0], ',') + 1, ','), strchr(strchr(rb[0], ',') + 1, ','),
                     "the sweep does not run at the scenario's seed");
    free_lines(ra, na);
    free_lines(rb, nb);
    outcome_free(&a);
    outcome_free(&b);
}

/* ---- what a first use tripped on ---- */

/* Rule: a value every point would refuse is a mistake in the --vary, refused before any
 * simulation (exit 2, no rows), not one failed row per point: keep_alive=1,2 has no
 * unit, and the loader refuses each. */
Test(sweep, an_axis_no_value_of_which_loads_is_refused, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lambda.keep_alive=1,2");
    cr_assert_eq(o.status, 2, "stderr: %s", o.err);
    cr_assert_str_eq(o.out, "");
    cr_assert(strstr(o.err, "--vary: deployments.lambda.keep_alive: 1 needs a unit"), "%s", o.err);
    cr_assert(strstr(o.err, "every other value"), "%s", o.err);
    outcome_free(&o);
}

/* Rule: values equal as durations are duplicates, however written: 1m and 60s are one
 * point (and "2m" another). */
Test(sweep, the_same_duration_written_two_ways_is_one_point, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lambda.keep_alive=1m,60s,2m");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *rows[16];
    size_t n = csv_rows(o.out, NULL, rows, 16);
    cr_assert_eq(n, 2 * NDEP, "%zu rows: %s", n, o.out);
    cr_assert_str_eq(field(rows[0], 1), "1m");
    cr_assert_str_eq(field(rows[NDEP], 1), "2m");
    cr_assert(strstr(o.err, "1 duplicate dropped"), "stderr: %s", o.err);
    free_lines(rows, n);
    outcome_free(&o);
}

/* Rule: --resume of a sweep that completed (FILE there, no FILE.partial) says there is
 * nothing to resume, exit 2, and FILE is left as it is; --resume with --force is a
 * contradiction. */
Test(sweep, resume_of_a_complete_sweep_says_so, .timeout = 60)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char a[300], args[1024];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(args, sizeof args, "sweep " SMALL " --vary deployments.other.reserved=2,4 -q --out %s",
             a);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    char *before = slurp(a);
    snprintf(args, sizeof args,
             "sweep " SMALL " --vary deployments.other.reserved=2,4 -q --out %s --resume", a);
    o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "complete, nothing to resume"), "stderr: %s", o.err);
    char *after = slurp(a);
    cr_assert_str_eq(after, before);
    outcome_free(&o);
    snprintf(args, sizeof args,
             "sweep " SMALL " --vary deployments.other.reserved=2,4 -q --out %s --resume --force",
             a);
    o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "give one of them"), "stderr: %s", o.err);
    free(before);
    free(after);
    outcome_free(&o);
    remove_dir(dir);
}

/* Rule: an interrupted sweep (SIGTERM) says how to continue: --resume, naming the
 * partial file. */
Test(sweep, an_interrupted_sweep_names_resume, .timeout = 120)
{
    char dir[] = "/tmp/slsim-sweep-XXXXXX";
    make_dir(dir);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s sweep " SMALL " --vary deployments.lambda.keep_alive=1m..1h*200 --jobs 1 -q "
             "--set duration=1d --out %s/k.csv 2>%s/err & pid=$!; "
             "until grep -q '^0,' %s/k.csv.partial 2>/dev/null; do sleep 0.05; done; "
             "kill -TERM $pid; wait $pid; exit 0",
             slsim(), dir, dir, dir);
    struct outcome o = run_shell(cmd);
    outcome_free(&o);
    char path[300];
    snprintf(path, sizeof path, "%s/err", dir);
    char *err = slurp(path);
    cr_assert(err && strstr(err, "interrupted") && strstr(err, "--resume") &&
                  strstr(err, "k.csv.partial"),
              "stderr: %s", err ? err : "(none)");
    free(err);
    remove_dir(dir);
}

/* Rule: a memory outside the platform's range is rounded to the end it passed (Lambda:
 * 128 to 10240 MiB): 64MiB is 128MiB and 12GiB is 10240MiB, each said. */
Test(sweep, memory_outside_the_range_goes_to_its_end, .timeout = 60)
{
    struct outcome o = run("sweep " SMALL " --vary deployments.lambda.memory=64MiB,12GiB");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    char *rows[16];
    size_t n = csv_rows(o.out, NULL, rows, 16);
    cr_assert_eq(n, 2 * NDEP, "%zu rows: %s", n, o.out);
    cr_assert_str_eq(field(rows[0], 1), "128MiB");
    cr_assert_str_eq(field(rows[NDEP], 1), "10GiB");
    cr_assert(strstr(o.out, "# deployments.lambda.memory: 64MiB rounded to the setting 128MiB"),
              "%.500s", o.out);
    cr_assert(strstr(o.out, "# deployments.lambda.memory: 12GiB rounded to the setting 10GiB"),
              "%.500s", o.out);
    free_lines(rows, n);
    outcome_free(&o);
}
