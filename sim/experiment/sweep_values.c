/* sweep_values.c - the values of one `--vary KEY=VALUES` of `slsim sweep`.
 *
 * An axis's values are texts handed to --set as they are, so a literal item is kept
 * exactly as written and only two shapes are expanded: START:STOP:STEP and A..B*N,
 * whose parts are each a number with an optional unit of scenario files (a duration,
 * a size or a rate, read by units.c). Everything else, "aws-lambda", "1GiB" or a flow
 * mapping "{dist: constant, mean: 1s}", is a literal: the loader checks it for its key
 * later, with the key's own message. A generated value is written in the unit its
 * range starts with ("128MiB..10GiB*16" gives "10240MiB", not "10GiB"), so the texts
 * read as the user's own, and --set reads them back with the same unit grammar. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/containers.h"
#include "slsim/sweep.h"
#include "slsim/text.h"
#include "slsim/units.h"

#define VARY_FILE "--vary"
#define VARY_SHAPE "give KEY=VALUES, e.g. deployments.fn.memory=128MiB,256MiB or " \
                   "deployments.fn.provisioned=0:50:5"
/* How much of an item a message repeats: enough to recognise it, not a whole file. */
#define SHOWN_MAX 80
#define SHOW(p, n) (int)((n) < SHOWN_MAX ? (n) : SHOWN_MAX), (p)

/* Where the text being read lies, so an error can point into it: the --vary argument
 * itself (file "--vary", line 1) or one line of an @FILE. */
struct place {
    const char *file; /* "--vary" or FILE */
    int line;         /* 1 for the argument, else the line of FILE */
    const char *text; /* column 1 of the argument or of the line */
    const char *key;  /* the KEY part, for err->key */
    struct slsim_error *err;
};

static int fail_at(const struct place *pl, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* pl->err located at the character at (inside pl->text), with the message fmt; -1. */
static int fail_at(const struct place *pl, const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    slsim_error_vset(pl->err, pl->file, pl->line, (int)(at - pl->text) + 1, pl->key, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- the growing list of values ---------------------------------------------------- */

struct values {
    char **v;
    size_t n, cap;
};

/* Append a copy of text[0..len). 0, or -1 when out of memory. */
static int values_push(struct values *vs, const char *text, size_t len)
{
    if (vs->n == vs->cap && vec_grow((void **)&vs->v, &vs->cap, sizeof *vs->v, 16) != 0)
        return -1;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    vs->v[vs->n++] = copy;
    return 0;
}

static void values_free(struct values *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        free(vs->v[i]);
    free(vs->v);
    *vs = (struct values){0};
}

/* ---- numbers with units ------------------------------------------------------------ */

enum kind { KIND_NUMBER, KIND_DURATION, KIND_SIZE, KIND_RATE };

static const char *const kind_name[] = {"plain number", "duration", "size", "rate"};

/* One endpoint or step of a range: a number as strtod reads it, then directly a unit
 * (or none). */
struct endpoint {
    const char *text;  /* the part, trimmed (inside the item) */
    size_t len;
    double number;     /* the number as written, in its own unit */
    const char *unit;  /* the unit's text right after the number; unit_len 0: none */
    size_t unit_len;
    enum kind kind;    /* KIND_NUMBER when there is no unit */
    double scale;      /* base units (ns, bytes, per second) in one unit; 1 without */
    double base;       /* number * scale */
};

/* text[0..len) with its blanks on both ends dropped. */
static void trim(const char **text, size_t *len)
{
    while (*len && text_is_blank(**text)) {
        (*text)++;
        (*len)--;
    }
    while (*len && text_is_blank((*text)[*len - 1]))
        (*len)--;
}

/* Length of the decimal number that text[0..len) starts with, in strtod's decimal
 * syntax ([+-] digits [. digits] [e [+-] digits], at least one digit before the
 * exponent), or 0 if it starts with none. Written out rather than left to strtod,
 * which also takes "inf", "nan" and hexadecimal, none of them a range's endpoint. */
static size_t number_len(const char *t, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (t[i] == '+' || t[i] == '-'))
        i++;
    for (; i < len && t[i] >= '0' && t[i] <= '9'; i++)
        digits++;
    if (i < len && t[i] == '.')
        for (i++; i < len && t[i] >= '0' && t[i] <= '9'; i++)
            digits++;
    if (digits == 0)
        return 0;
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (t[j] == '+' || t[j] == '-'))
            j++;
        if (j < len && t[j] >= '0' && t[j] <= '9') {
            while (j < len && t[j] >= '0' && t[j] <= '9')
                j++;
            i = j;
        }
    }
    return i;
}

/* A unit's spelling: letters, '/' (rates) or the bytes of a UTF-8 letter (µs). A unit
 * with a digit, a blank or a dot ("1h30m", "5 s") does not make a range's shape: such
 * an item is left a literal. */
static int unit_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' ||
           (unsigned char)c >= 0x80;
}

/* Whether text[0..len) has an endpoint's shape: a number, then directly a unit or
 * nothing. Fills ep's text, number and unit; kind and scale come from ep_read. */
static int ep_shape(const char *text, size_t len, struct endpoint *ep)
{
    trim(&text, &len);
    size_t nl = number_len(text, len);
    if (nl == 0)
        return 0;
    for (size_t i = nl; i < len; i++)
        if (!unit_char(text[i]))
            return 0;
    char buf[64];
    if (nl >= sizeof buf)
        return 0;
    memcpy(buf, text, nl);
    buf[nl] = '\0';
    *ep = (struct endpoint){.text = text, .len = len, .number = strtod(buf, NULL),
                            .unit = text + nl, .unit_len = len - nl, .scale = 1};
    return 1;
}

/* The kind and scale of ep's unit, and its value checked by the unit's own parser
 * (which refuses negative durations, sizes and rates and sizes past 8 EiB). what
 * names the item in messages ("range 1m:5m:1m"). 0, or -1 with the error placed on
 * the part. */
static int ep_read(const struct place *pl, const char *what, const char *item, size_t item_len,
                   struct endpoint *ep)
{
    if (!isfinite(ep->number))
        return fail_at(pl, ep->text, "%s %.*s: %.*s is too large", what, SHOW(item, item_len),
                       SHOW(ep->text, ep->len));
    ep->base = ep->number;
    if (ep->unit_len == 0)
        return 0;
    char one[64], part[128], why[200] = "";
    if (ep->unit_len + 2 > sizeof one || ep->len + 1 > sizeof part)
        return fail_at(pl, ep->unit, "%s %.*s: \"%.*s\" is not a unit", what,
                       SHOW(item, item_len), SHOW(ep->unit, ep->unit_len));
    snprintf(one, sizeof one, "1%.*s", (int)ep->unit_len, ep->unit);
    snprintf(part, sizeof part, "%.*s", (int)ep->len, ep->text);
    sim_time ns;
    int64_t bytes;
    double per_s;
    int rc;
    /* The three unit tables share no spelling, so at most one parser takes "1<unit>". */
    if (units_parse_duration(one, &ns, NULL, 0) == 0) {
        ep->kind = KIND_DURATION;
        ep->scale = (double)ns;
        rc = units_parse_duration(part, &ns, why, sizeof why);
    } else if (units_parse_size(one, &bytes, NULL, 0) == 0) {
        ep->kind = KIND_SIZE;
        ep->scale = (double)bytes;
        rc = units_parse_size(part, &bytes, why, sizeof why);
    } else if (units_parse_rate(one, &per_s, NULL, 0) == 0) {
        ep->kind = KIND_RATE;
        ep->scale = per_s;
        rc = units_parse_rate(part, &per_s, why, sizeof why);
    } else {
        return fail_at(pl, ep->unit,
                       "%s %.*s: \"%.*s\" is not a unit; expected a duration (ms, s, m, h), a "
                       "size (MB, MiB, GiB) or a rate (/s, /min)",
                       what, SHOW(item, item_len), SHOW(ep->unit, ep->unit_len));
    }
    if (rc != 0)
        return fail_at(pl, ep->text, "%s %.*s: %s", what, SHOW(item, item_len), why);
    ep->base = ep->number * ep->scale;
    return 0;
}

/* Read the n parts of a range and check that they are of one kind: a plain number
 * among units is refused (but a bare 0, which is 0 in every unit). *unit is the part
 * whose unit the values are written in: the first, or where the first is a bare 0,
 * the first with a unit. 0, or -1 with the error placed on the part at fault. */
static int eps_read(const struct place *pl, const char *what, const char *item, size_t item_len,
                    struct endpoint *ep, size_t n, const struct endpoint **unit)
{
    for (size_t i = 0; i < n; i++)
        if (ep_read(pl, what, item, item_len, &ep[i]) != 0)
            return -1;
    *unit = &ep[0];
    for (size_t i = 0; i < n && (*unit)->kind == KIND_NUMBER; i++)
        if (ep[i].kind != KIND_NUMBER)
            *unit = &ep[i];
    enum kind kind = (*unit)->kind;
    for (size_t i = 0; i < n; i++) {
        if (ep[i].kind == kind || (ep[i].kind == KIND_NUMBER && ep[i].number == 0))
            continue;
        return fail_at(pl, ep[i].text,
                       "%s %.*s: mixes a %s and a %s; give every part in units of one kind",
                       what, SHOW(item, item_len), kind_name[kind], kind_name[ep[i].kind]);
    }
    return 0;
}

/* Append base value v (in base units) written in unit's unit with digits significant
 * digits: "%.12g" or "%.6g" then the unit as its part spelt it. */
static int push_number(struct values *vs, double v, const struct endpoint *unit, int digits)
{
    char buf[128];
    double x = v / unit->scale;
    if (x == 0)
        x = 0; /* no "-0" */
    int n = snprintf(buf, sizeof buf, "%.*g%.*s", digits, x, (int)unit->unit_len, unit->unit);
    return n < 0 || (size_t)n >= sizeof buf ? -1 : values_push(vs, buf, (size_t)n);
}

/* ---- the items --------------------------------------------------------------------- */

/* Whether the STOP of a range is reached: within 1e-9 of a STEP past it still counts,
 * so 0.1:0.3:0.1 ends on 0.3 although 0.1 + 2 x 0.1 is 0.30000000000000004. */
#define RANGE_EPS 1e-9

/* START:STOP:STEP, when item has that shape: 1 after appending its values, 0 if it is
 * not a range, -1 on an error. */
static int range_item(const struct place *pl, const char *item, size_t len, struct values *vs)
{
    /* A part of a range is a number and a unit, so a ':' inside brackets or quotes
     * ("{a: 1}") makes a part that is no endpoint: splitting at every ':' is enough. */
    const char *cut[2];
    size_t n_cuts = 0;
    for (size_t i = 0; i < len; i++)
        if (item[i] == ':') {
            if (n_cuts == 2)
                return 0;
            cut[n_cuts++] = item + i;
        }
    struct endpoint ep[3];
    if (n_cuts == 1 && ep_shape(item, (size_t)(cut[0] - item), &ep[0]) &&
        ep_shape(cut[0] + 1, (size_t)(item + len - cut[0] - 1), &ep[1]))
        /* Two endpoints and no step: a range missing its step, not a value to pass on
         * (a literal with a ':' can be quoted, "12:30"). */
        return fail_at(pl, item + len, "range %.*s: wants START:STOP:STEP, e.g. %.*s:STEP, "
                                       "or A..B*N for N values spaced evenly in log",
                       SHOW(item, len), SHOW(item, len));
    if (n_cuts != 2)
        return 0;
    if (!ep_shape(item, (size_t)(cut[0] - item), &ep[0]) ||
        !ep_shape(cut[0] + 1, (size_t)(cut[1] - cut[0] - 1), &ep[1]) ||
        !ep_shape(cut[1] + 1, (size_t)(item + len - cut[1] - 1), &ep[2]))
        return 0;
    const struct endpoint *unit;
    if (eps_read(pl, "range", item, len, ep, 3, &unit) != 0)
        return -1;
    double start = ep[0].base, stop = ep[1].base, step = ep[2].base;
    if (!(step > 0) || !isfinite(step))
        return fail_at(pl, ep[2].text, "range %.*s: the step must be above 0", SHOW(item, len));
    if (start > stop)
        return fail_at(pl, ep[1].text,
                       "range %.*s: the stop is below the start; give START:STOP:STEP with "
                       "START <= STOP",
                       SHOW(item, len));
    double span = (stop - start) / step;
    if (!(span < (double)(SWEEP_MAX_VALUES - vs->n)))
        return fail_at(pl, item, "range %.*s: gives more than %d values; use a larger step",
                       SHOW(item, len), SWEEP_MAX_VALUES);
    for (size_t i = 0;; i++) {
        /* START + i STEP, not a running sum: no drift over many steps. */
        double v = start + (double)i * step;
        if (v > stop + RANGE_EPS * step)
            break;
        if (v > stop)
            v = stop;
        if (fabs(v) < RANGE_EPS * step)
            v = 0; /* -0.3 + 3 x 0.1 is 5.6e-17, which is 0 as a person wrote it */
        if (vs->n >= SWEEP_MAX_VALUES)
            return fail_at(pl, item, "range %.*s: gives more than %d values; use a larger step",
                           SHOW(item, len), SWEEP_MAX_VALUES);
        if (push_number(vs, v, unit, 12) != 0)
            return fail_at(pl, pl->text, "out of memory");
    }
    return 1;
}

/* A..B*N, when item has that shape (N an integer): 1 after appending its values, 0 if
 * it is not a log range, -1 on an error. */
static int log_item(const struct place *pl, const char *item, size_t len, struct values *vs)
{
    const char *dots = NULL, *star = NULL;
    for (size_t i = 0; i + 1 < len && !dots; i++)
        if (item[i] == '.' && item[i + 1] == '.')
            dots = item + i;
    if (!dots)
        return 0;
    for (const char *p = item + len; p > dots + 2; p--)
        if (p[-1] == '*') {
            star = p - 1;
            break;
        }
    if (!star) {
        struct endpoint ep[2];
        if (ep_shape(item, (size_t)(dots - item), &ep[0]) &&
            ep_shape(dots + 2, (size_t)(item + len - dots - 2), &ep[1]))
            return fail_at(pl, item + len, "log range %.*s: wants A..B*N, the number of values "
                                           "N after a '*', e.g. %.*s*7",
                           SHOW(item, len), SHOW(item, len));
        return 0;
    }
    const char *nt = star + 1;
    size_t nlen = (size_t)(item + len - nt);
    trim(&nt, &nlen);
    size_t d = nlen && (nt[0] == '+' || nt[0] == '-') ? 1 : 0;
    if (d == nlen)
        return 0;
    for (size_t i = d; i < nlen; i++)
        if (nt[i] < '0' || nt[i] > '9')
            return 0;
    struct endpoint ep[2];
    if (!ep_shape(item, (size_t)(dots - item), &ep[0]) ||
        !ep_shape(dots + 2, (size_t)(star - dots - 2), &ep[1]))
        return 0;
    const struct endpoint *unit;
    if (eps_read(pl, "log range", item, len, ep, 2, &unit) != 0)
        return -1;
    /* N's digits past what a long holds are as many values as past the limit */
    long n = SWEEP_MAX_VALUES + 1L;
    char nbuf[32];
    if (nlen < sizeof nbuf) {
        memcpy(nbuf, nt, nlen);
        nbuf[nlen] = '\0';
        n = strtol(nbuf, NULL, 10);
    }
    if (n < 2)
        return fail_at(pl, nt, "log range %.*s: wants N >= 2 values, e.g. %.*s..%.*s*7",
                       SHOW(item, len), SHOW(ep[0].text, ep[0].len), SHOW(ep[1].text, ep[1].len));
    if (n > (long)(SWEEP_MAX_VALUES - vs->n))
        return fail_at(pl, nt, "log range %.*s: gives more than %d values", SHOW(item, len),
                       SWEEP_MAX_VALUES);
    for (int i = 0; i < 2; i++)
        if (!(ep[i].base > 0))
            return fail_at(pl, ep[i].text,
                           "log range %.*s: %s must be above 0 (a log range spaces its values "
                           "by ratios)",
                           SHOW(item, len), i == 0 ? "the start" : "the end");
    double a = ep[0].base, b = ep[1].base;
    for (long i = 0; i < n; i++) {
        /* The ends are A and B themselves, not pow's approximation of them: B in A's
         * unit where it is a whole number of it (1m..1h ends on 60m), else B as written
         * (1h..1m ends on 1m, where 0.0166667h would be 60.0012 s). */
        double v = i == 0 ? a : i == n - 1 ? b : a * pow(b / a, (double)i / (double)(n - 1));
        int rc;
        if (i == n - 1 && unit == &ep[0] && b / unit->scale != floor(b / unit->scale))
            rc = values_push(vs, ep[1].text, ep[1].len);
        else
            rc = push_number(vs, v, unit, 6);
        if (rc != 0)
            return fail_at(pl, pl->text, "out of memory");
    }
    return 1;
}

/* One item of the list (trimmed, not empty): a range, a log range or a literal. */
static int list_item(const struct place *pl, const char *item, size_t len, struct values *vs)
{
    int rc = range_item(pl, item, len, vs);
    if (rc == 0)
        rc = log_item(pl, item, len, vs);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (len > SWEEP_MAX_VALUE_LEN)
        return fail_at(pl, item, "a value of %zu bytes; at most %d", len, SWEEP_MAX_VALUE_LEN);
    if (vs->n >= SWEEP_MAX_VALUES)
        return fail_at(pl, item, "more than %d values", SWEEP_MAX_VALUES);
    if (values_push(vs, item, len) != 0)
        return fail_at(pl, pl->text, "out of memory");
    return 0;
}

/* The comma-separated list at p (to the end of the argument). Commas inside [], {}
 * or quotes belong to their value: a flow sequence or mapping is one value. As in
 * YAML, a quote opens a quoted text only where a value starts (at the item's start
 * or after [ { , :), so the apostrophe of "don't" is a letter. */
static int parse_list(const struct place *pl, const char *p, struct values *vs)
{
    const char *item = p;
    const char *opener = NULL; /* the outermost open bracket or the open quote */
    int depth = 0;
    char quote = 0;
    char prev = 0; /* the last non-blank character of the item so far; 0 at its start */
    for (const char *c = p;; c++) {
        if (*c && quote) {
            if (quote == '"' && *c == '\\' && c[1])
                c++; /* an escaped character inside "...", such as \" */
            else if (*c == quote)
                quote = 0;
            prev = *c;
            continue;
        }
        if ((*c == '"' || *c == '\'') && (!prev || strchr("[{,:", prev))) {
            quote = *c;
            if (depth == 0)
                opener = c;
        } else if (*c == '[' || *c == '{') {
            if (depth++ == 0)
                opener = c;
        } else if ((*c == ']' || *c == '}') && depth > 0) {
            depth--;
        } else if ((*c == ',' && depth == 0) || *c == '\0') {
            if (*c == '\0' && (quote || depth))
                return fail_at(pl, opener,
                               "%c is never closed; a value with commas goes in [], {} or "
                               "quotes, each closed",
                               *opener);
            const char *t = item;
            size_t len = (size_t)(c - item);
            trim(&t, &len);
            if (len == 0)
                return fail_at(pl, t, "an empty value (two commas, or one at an end); %s",
                               VARY_SHAPE);
            if (list_item(pl, t, len, vs) != 0)
                return -1;
            if (*c == '\0')
                return 0;
            item = c + 1;
            prev = 0;
            continue;
        }
        if (!text_is_blank(*c))
            prev = *c;
    }
}

/* @FILE: one value per line, kept as written but for blanks on its ends; blank lines
 * and lines whose first non-blank is '#' skipped. at is the file's name in the
 * argument, for an error opening it. */
static int parse_file(const struct place *arg_pl, const char *at, const char *path,
                      struct values *vs)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fail_at(arg_pl, at, "cannot read \"%s\": %s; @FILE wants a file of one value a "
                       "line", path, strerror(errno));
    struct place pl = {.file = path, .line = 0, .key = arg_pl->key, .err = arg_pl->err};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        pl.line++;
        pl.text = line;
        const char *t = line;
        size_t len = (size_t)got;
        trim(&t, &len);
        if (len == 0 || t[0] == '#')
            continue;
        if (memchr(t, '\0', len)) {
            rc = fail_at(&pl, t, "a value with a NUL byte; \"%s\" should be text", path);
            break;
        }
        if (len > SWEEP_MAX_VALUE_LEN) {
            rc = fail_at(&pl, t, "a value of %zu bytes; at most %d", len, SWEEP_MAX_VALUE_LEN);
            break;
        }
        if (vs->n >= SWEEP_MAX_VALUES) {
            rc = fail_at(&pl, t, "more than %d values", SWEEP_MAX_VALUES);
            break;
        }
        if (values_push(vs, t, len) != 0) {
            rc = fail_at(&pl, t, "out of memory");
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = slsim_error_set(pl.err, path, 0, 0, arg_pl->key, "cannot read: %s",
                             strerror(errno));
    if (rc == 0 && vs->n == 0)
        rc = slsim_error_set(pl.err, path, 0, 0, arg_pl->key,
                             "no value: every line is blank or a comment (#); give one value "
                             "a line");
    free(line);
    fclose(f);
    return rc;
}

int sweep_parse_vary(const char *arg, struct sweep_axis *axis, struct slsim_error *err)
{
    *axis = (struct sweep_axis){0};
    struct place pl = {.file = VARY_FILE, .line = 1, .text = arg, .key = NULL, .err = err};
    const char *eq = strchr(arg, '=');
    const char *k = arg;
    size_t klen = eq ? (size_t)(eq - arg) : 0;
    trim(&k, &klen);
    if (!eq)
        return fail_at(&pl, arg, "\"%.*s\" has no '='; %s", SHOW(arg, strlen(arg)), VARY_SHAPE);
    if (klen == 0)
        return fail_at(&pl, arg, "no key before '='; %s", VARY_SHAPE);
    if (klen >= sizeof axis->key)
        return fail_at(&pl, arg, "a key of %zu bytes; at most %zu", klen, sizeof axis->key - 1);
    char key[sizeof axis->key];
    memcpy(key, k, klen);
    key[klen] = '\0';
    pl.key = key;
    const char *v = text_skip_blanks(eq + 1);
    if (*v == '\0')
        return fail_at(&pl, v, "no values after '='; %s", VARY_SHAPE);
    struct values vs = {0};
    int rc;
    if (*v == '@') {
        const char *name = text_skip_blanks(v + 1);
        size_t nlen = strlen(name);
        trim(&name, &nlen);
        if (nlen == 0)
            return fail_at(&pl, v, "@ wants a file name: @FILE, one value a line");
        char *path = malloc(nlen + 1);
        if (!path)
            return fail_at(&pl, arg, "out of memory");
        memcpy(path, name, nlen);
        path[nlen] = '\0';
        rc = parse_file(&pl, name, path, &vs); /* err holds a copy of path */
        free(path);
    } else {
        rc = parse_list(&pl, v, &vs);
    }
    if (rc != 0) {
        values_free(&vs);
        return -1;
    }
    memcpy(axis->key, key, klen + 1);
    axis->values = vs.v;
    axis->n = vs.n;
    return 0;
}

void sweep_axis_free(struct sweep_axis *axis)
{
    if (!axis)
        return;
    for (size_t i = 0; i < axis->n; i++) {
        free(axis->values[i]);
        if (axis->given)
            free(axis->given[i]);
    }
    free(axis->values);
    free(axis->given);
    *axis = (struct sweep_axis){0};
}
