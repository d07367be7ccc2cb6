/* test_bad_inputs.c - the bad-input catalogue: every tests/bad_inputs/CASE.expect is
 * one mistake a user makes, run through the binary, which must refuse it with the
 * expected exit status and message, print nothing on standard output and leave no
 * file behind.
 *
 * An .expect file holds, one per line:
 *   # a comment (what the case checks)
 *   args: COMMAND LINE after `slsim`
 *   exit: STATUS
 *   message: a fragment of standard error (repeatable; all must appear)
 *   existing-out: yes    (optional: {out} exists beforehand and must be left as it was)
 * In args, `{}` is the case's input file (the one other entry of tests/bad_inputs/
 * named CASE.*), `{out}` a path in a fresh temporary folder and `{dir}`
 * tests/bad_inputs. Commands run from the repository root, with standard input
 * from /dev/null. */
#include "cli_helpers.h"
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CATALOGUE "tests/bad_inputs"
/* What the catalogue must hold at least: one case per kind of mistake users make. */
#define MIN_CASES 60
#define MAX_MESSAGES 16
/* What {out} holds when a case says `existing-out: yes`: a report slsim refused to
 * write must not have replaced or truncated it. */
#define SENTINEL "this file was here before slsim ran and must be left as it was\n"

struct expect {
    char args[2048];
    int exit_status;
    int has_args, has_exit, existing_out;
    int n_messages;
    char messages[MAX_MESSAGES][512];
};

/* Copy S (N bytes) into DST without blanks at either end. 0 if it does not fit. */
static int copy_trimmed(char *dst, size_t cap, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= cap)
        return 0;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 1;
}

/* Parse the text of an .expect file into E. Returns 0 and a reason in WHY for a
 * malformed file: an unknown line, a repeated args/exit, a missing args, exit or
 * message, an empty fragment or a status that is not a number. A malformed case
 * fails rather than checking less than it says. */
static int parse_expect(const char *text, struct expect *e, char *why, size_t cap)
{
    memset(e, 0, sizeof *e);
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = eol ? eol + 1 : p + n;
        char line[2048];
        lineno++;
        if (!copy_trimmed(line, sizeof line, p, n)) {
            snprintf(why, cap, "line %d is too long", lineno);
            return 0;
        }
        p = next;
        if (!line[0] || line[0] == '#')
            continue;
        char *colon = strchr(line, ':');
        if (!colon) {
            snprintf(why, cap, "line %d: \"%.200s\" is not KEY: VALUE", lineno, line);
            return 0;
        }
        *colon = '\0';
        char value[2048];
        copy_trimmed(value, sizeof value, colon + 1, strlen(colon + 1));
        if (!strcmp(line, "args")) {
            if (e->has_args || !value[0]) {
                snprintf(why, cap, "line %d: %s args", lineno, value[0] ? "a second" : "empty");
                return 0;
            }
            strcpy(e->args, value);
            e->has_args = 1;
        } else if (!strcmp(line, "exit")) {
            char *end;
            long v = strtol(value, &end, 10);
            if (e->has_exit || !value[0] || *end || v < 0 || v > 255) {
                snprintf(why, cap, "line %d: exit \"%.200s\" %s", lineno, value,
                         e->has_exit ? "repeats it" : "is not a status 0 to 255");
                return 0;
            }
            e->exit_status = (int)v;
            e->has_exit = 1;
        } else if (!strcmp(line, "message")) {
            if (!value[0] || e->n_messages == MAX_MESSAGES) {
                snprintf(why, cap, "line %d: %s", lineno,
                         value[0] ? "too many messages" : "an empty message matches anything");
                return 0;
            }
            strcpy(e->messages[e->n_messages++], value);
        } else if (!strcmp(line, "existing-out")) {
            if (strcmp(value, "yes") && strcmp(value, "no")) {
                snprintf(why, cap, "line %d: existing-out is yes or no, not \"%.200s\"", lineno,
                         value);
                return 0;
            }
            e->existing_out = !strcmp(value, "yes");
        } else {
            snprintf(why, cap, "line %d: unknown line \"%.200s:\" (args, exit, message, "
                               "existing-out or # comment)",
                     lineno, line);
            return 0;
        }
    }
    if (!e->has_args || !e->has_exit || !e->n_messages) {
        snprintf(why, cap, "no %s line", !e->has_args ? "args" : !e->has_exit ? "exit" : "message");
        return 0;
    }
    if (e->existing_out && !strstr(e->args, "{out}")) {
        snprintf(why, cap, "existing-out: yes, but the args have no {out}");
        return 0;
    }
    return 1;
}

/* The names in the catalogue folder, sorted so that cases run and report in a
 * stable order. */
struct names {
    char **v;
    size_t n;
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct names list_catalogue(void)
{
    struct names s = {NULL, 0};
    DIR *d = opendir(CATALOGUE);
    cr_assert(d, "cannot open %s (tests run from the repository root): %s", CATALOGUE,
              strerror(errno));
    size_t cap = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        if (s.n == cap) {
            cap = cap ? 2 * cap : 256;
            s.v = realloc(s.v, cap * sizeof *s.v);
            cr_assert(s.v);
        }
        s.v[s.n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(s.v, s.n, sizeof *s.v, by_name);
    return s;
}

static void names_free(struct names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The base name of a catalogue entry: up to its first dot (case names have none). */
static size_t base_len(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : strlen(name);
}

/* Replace every {}, {out} and {dir} of SRC into DST. 0 if it does not fit. */
static int substitute(char *dst, size_t cap, const char *src, const char *input,
                      const char *out)
{
    size_t n = 0;
    for (const char *p = src; *p;) {
        const char *with = NULL;
        size_t skip = 0;
        if (!strncmp(p, "{}", 2))
            with = input, skip = 2;
        else if (!strncmp(p, "{out}", 5))
            with = out, skip = 5;
        else if (!strncmp(p, "{dir}", 5))
            with = CATALOGUE, skip = 5;
        if (with) {
            size_t m = strlen(with);
            if (n + m >= cap)
                return 0;
            memcpy(dst + n, with, m);
            n += m;
            p += skip;
        } else {
            if (n + 1 >= cap)
                return 0;
            dst[n++] = *p++;
        }
    }
    dst[n] = '\0';
    return 1;
}

/* A failure report for one case, built up and printed whole. */
struct report {
    char text[16384];
    size_t n;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void say(struct report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(r->text + r->n, sizeof r->text - r->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        r->n = r->n + (size_t)k < sizeof r->text ? r->n + (size_t)k : sizeof r->text - 1;
}

/* Remove what a case left in its temporary folder, naming each entry in R, then the
 * folder. Returns how many entries there were, OUT aside (checked on its own). */
static int sweep(const char *dir, const char *out, struct report *r)
{
    int left = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (!strcmp(path, out)) {
            unlink(path);
            continue;
        }
        left++;
        say(r, "  left behind: %s\n", path);
        if (unlink(path) != 0)
            rmdir(path);
    }
    closedir(d);
    rmdir(dir);
    return left;
}

/* Run one case. Returns 1 if it holds; otherwise R says why. */
static int run_case(const char *name, const struct names *all, struct report *r)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CATALOGUE, name);
    char *text = slurp(path);
    if (!text) {
        say(r, "  cannot read %s\n", path);
        return 0;
    }
    struct expect e;
    char why[512];
    int ok = parse_expect(text, &e, why, sizeof why);
    free(text);
    if (!ok) {
        say(r, "  %s is malformed: %s\n", path, why);
        return 0;
    }

    /* {}: the one other entry with this base name. */
    size_t blen = base_len(name);
    char input[512] = "";
    int inputs = 0;
    for (size_t i = 0; i < all->n; i++) {
        const char *other = all->v[i];
        if (base_len(other) == blen && !strncmp(other, name, blen) && strcmp(other, name)) {
            if (inputs++ == 0)
                snprintf(input, sizeof input, "%s/%s", CATALOGUE, other);
            else
                say(r, "  several input files: %s and %s\n", input, other);
        }
    }
    if (inputs > 1)
        return 0;
    if (strstr(e.args, "{}") && !inputs) {
        say(r, "  args use {} but there is no %.*s.* input file\n", (int)blen, name);
        return 0;
    }

    char dir[] = "/tmp/slsim-bad-input-XXXXXX";
    cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    char out[600];
    snprintf(out, sizeof out, "%s/out", dir);
    if (e.existing_out) {
        FILE *f = fopen(out, "w");
        cr_assert(f && fputs(SENTINEL, f) >= 0 && fclose(f) == 0, "cannot write %s", out);
    }
    char args[3000];
    if (!substitute(args, sizeof args, e.args, input, out)) {
        say(r, "  args too long after substitution\n");
        sweep(dir, out, r);
        return 0;
    }

    /* R is read only when the case fails: the command first, then what differed. */
    say(r, "  command: %s %s\n", slsim(), args);
    struct outcome o = run(args);
    ok = 1;
    if (o.status != e.exit_status) {
        say(r, "  exit status: expected %d, got %d%s\n", e.exit_status, o.status,
            o.status < 0 ? " (killed by a signal)" : "");
        ok = 0;
    }
    for (int i = 0; i < e.n_messages; i++)
        if (!o.err || !strstr(o.err, e.messages[i])) {
            say(r, "  missing from stderr: %s\n", e.messages[i]);
            ok = 0;
        }
    if (o.out && o.out[0]) {
        say(r, "  stdout is not empty: %.300s\n", o.out);
        ok = 0;
    }
    struct stat st;
    if (e.existing_out) {
        char *now = slurp(out);
        if (!now || strcmp(now, SENTINEL)) {
            say(r, "  the existing %s was %s\n", out, now ? "changed" : "removed");
            ok = 0;
        }
        free(now);
    } else if (stat(out, &st) == 0) {
        say(r, "  {out} was written: %s\n", out);
        ok = 0;
    }
    if (sweep(dir, out, r))
        ok = 0;
    say(r, "  stderr: %s", o.err && o.err[0] ? o.err : "(empty)\n");
    outcome_free(&o);
    return ok;
}

/* Every case runs, and each failure is reported whole, before the test fails. */
Test(bad_inputs, every_case_is_refused_as_expected, .timeout = 600)
{
    struct names all = list_catalogue();
    int cases = 0, failed = 0;
    char failed_names[4096] = "";
    for (size_t i = 0; i < all.n; i++) {
        if (!ends_with(all.v[i], ".expect"))
            continue;
        cases++;
        static struct report r;
        r.n = 0;
        r.text[0] = '\0';
        if (!run_case(all.v[i], &all, &r)) {
            failed++;
            fprintf(stderr, "bad input case %.*s failed:\n%s", (int)base_len(all.v[i]),
                    all.v[i], r.text);
            size_t used = strlen(failed_names);
            snprintf(failed_names + used, sizeof failed_names - used, " %.*s",
                     (int)base_len(all.v[i]), all.v[i]);
        }
    }
    names_free(&all);
    cr_assert(cases > 0, "no .expect files in %s", CATALOGUE);
    cr_assert_eq(failed, 0, "%d of %d bad-input cases failed:%s", failed, cases, failed_names);
}

Test(bad_inputs, the_catalogue_has_enough_cases)
{
    struct names all = list_catalogue();
    int cases = 0;
    for (size_t i = 0; i < all.n; i++)
        cases += ends_with(all.v[i], ".expect");
    names_free(&all);
    cr_assert_geq(cases, MIN_CASES, "%s holds %d cases; it should hold at least %d", CATALOGUE,
                  cases, MIN_CASES);
}

/* An input without its .expect would never be run; data/ holds what cases refer to. */
Test(bad_inputs, every_input_has_an_expect)
{
    struct names all = list_catalogue();
    char orphans[4096] = "";
    for (size_t i = 0; i < all.n; i++) {
        const char *name = all.v[i];
        if (ends_with(name, ".expect") || !strcmp(name, "data"))
            continue;
        char expect[512];
        snprintf(expect, sizeof expect, "%s/%.*s.expect", CATALOGUE, (int)base_len(name), name);
        if (access(expect, F_OK) != 0) {
            size_t used = strlen(orphans);
            snprintf(orphans + used, sizeof orphans - used, " %s", name);
        }
    }
    names_free(&all);
    cr_assert_str_empty(orphans, "inputs without an .expect in %s:%s", CATALOGUE, orphans);
}

/* The parser refuses what would make a case check less than it appears to. */
Test(bad_inputs, a_malformed_expect_is_refused)
{
    static const char *const bad[][2] = {
        {"exit: 2\nmessage: x\n", "no args"},
        {"args: run x\nmessage: x\n", "no exit"},
        {"args: run x\nexit: 2\n", "no message"},
        {"args: run x\nexit: 2\nmessage: x\nmesage: y\n", "unknown line \"mesage:\""},
        {"args: run x\nexit: 2\nmessage: x\njust words\n", "not KEY: VALUE"},
        {"args: run x\nexit: two\nmessage: x\n", "not a status"},
        {"args: run x\nexit: 2\nmessage:\n", "empty message"},
        {"args: run x\nargs: run y\nexit: 2\nmessage: x\n", "a second args"},
        {"args: run x\nexit: 2\nexit: 1\nmessage: x\n", "repeats it"},
        {"args: run x\nexit: 2\nmessage: x\nexisting-out: yes\n", "no {out}"},
        {"args: run x --out {out}\nexit: 2\nmessage: x\nexisting-out: maybe\n", "yes or no"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct expect e;
        char why[512] = "";
        cr_assert_not(parse_expect(bad[i][0], &e, why, sizeof why), "accepted:\n%s", bad[i][0]);
        cr_assert(strstr(why, bad[i][1]), "\"%s\" should say \"%s\"", why, bad[i][1]);
    }
    struct expect e;
    char why[512] = "";
    cr_assert(parse_expect("# what it checks\n\nargs:  run {} --out {out} \r\nexit: 2\n"
                           "message: a.yaml:3:5\nmessage: did you mean\nexisting-out: yes\n",
                           &e, why, sizeof why),
              "%s", why);
    cr_assert_str_eq(e.args, "run {} --out {out}");
    cr_assert_eq(e.exit_status, 2);
    cr_assert_eq(e.n_messages, 2);
    cr_assert_str_eq(e.messages[1], "did you mean");
    cr_assert(e.existing_out);
}
