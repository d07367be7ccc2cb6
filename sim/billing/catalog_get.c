/* catalog_get.c - typed getters for pricing-catalog values: text, dates, bandwidths,
 * and prices that carry their source and date.
 *
 * They sit under every module that parses a catalog section (billing blocks,
 * platform profiles, the catalog's own lists) so that all of them read and fail
 * alike, with the scenario loader's messages where the two overlap. */
#include <stdio.h>
#include <string.h>

#include "catalog_get.h"

static const char *const price_keys[] = {"usd", "source", "date", NULL};

/* Accelerator names offered to the did-you-mean of an unknown one. */
#define CATALOG_ACCELERATORS_SUGGEST 256

int catalog_get_oom(const struct catalog_read *r, const struct ynode *at, const char *key)
{
    return slsim_error_set(r->err, at->src, at->line, at->column, key, "out of memory");
}

/* Free text of fewer than cap characters, without control characters; empty text
 * only when allow_empty. */
int catalog_get_text(const struct catalog_read *r, const struct ynode *n, const char *key,
                     int allow_empty, char *out, size_t cap)
{
    const char *t;
    if (n->kind == YNODE_SCALAR && ytree_is_null(n) && allow_empty)
        t = "";
    else if (!(t = cfg_want_scalar(r->err, n, key, "text")))
        return -1;
    size_t len = strlen(t);
    if (len >= cap)
        return cfg_fail(r->err, n, key, "text is longer than %zu characters", cap - 1);
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20)
            return cfg_fail(r->err, n, key, "text contains a control character");
    size_t lead = strspn(t, " \t");
    if (!allow_empty && lead == len)
        return cfg_fail(r->err, n, key, "must not be empty");
    memcpy(out, t, len + 1);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* 1 when t[0..n) are all decimal digits; their value in *v. */
int catalog_digits(const char *t, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return 0;
        *v = *v * 10 + (t[i] - '0');
    }
    return 1;
}

/* YYYY-MM-DD, or (unless full) YYYY-MM or YYYY: a source often states only the
 * month or the year, and inventing a day would claim more than it says. */
static int date_ok(const char *t, int full)
{
    size_t len = strlen(t);
    int y, m, d;
    if (len != 4 && len != 7 && len != 10)
        return 0;
    if (full && len != 10)
        return 0;
    if (!catalog_digits(t, 4, &y) || y < 1900)
        return 0;
    if (len == 4)
        return 1;
    if (t[4] != '-' || !catalog_digits(t + 5, 2, &m) || m < 1 || m > 12)
        return 0;
    if (len == 7)
        return 1;
    return t[7] == '-' && catalog_digits(t + 8, 2, &d) && d >= 1 && d <= days_in_month(y, m);
}

int catalog_get_date(const struct catalog_read *r, const struct ynode *n, const char *key,
                     int full, char out[16])
{
    const char *t = cfg_want_scalar(r->err, n, key, "a date");
    if (!t)
        return -1;
    if (!date_ok(t, full)) {
        if (full)
            return cfg_fail(r->err, n, key, "expected a date YYYY-MM-DD, got \"%s\"", t);
        return cfg_fail(r->err, n, key,
                        "expected a date YYYY-MM-DD, YYYY-MM or YYYY, got \"%s\" (a source "
                        "with no date gets the date it was read, and its source says so)",
                        t);
    }
    /* ISO dates of any precision compare as text: "2026-11" < "2026-11-27". */
    if (r->as_of && strcmp(t, r->as_of) > 0)
        return cfg_fail(r->err, n, key, "date %s is after the catalog's as_of %s", t,
                        r->as_of);
    memcpy(out, t, strlen(t) + 1);
    return 0;
}

/* A number >= lo. */
int catalog_get_min(const struct catalog_read *r, const struct ynode *n, const char *key,
                    double lo, double *out)
{
    if (cfg_get_number(r->err, n, key, out))
        return -1;
    if (*out < lo)
        return cfg_fail(r->err, n, key, "must be at least %g, got %s", lo, n->text);
    return 0;
}

/* A size per second such as 100MB/s, in bytes per second; above 0. */
int catalog_get_bandwidth(const struct catalog_read *r, const struct ynode *n, const char *key,
                          double *out)
{
    const char *t = cfg_want_scalar(r->err, n, key, "a bandwidth such as 100MB/s");
    if (!t)
        return -1;
    size_t len = strlen(t);
    while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
        len--;
    if (len < 3 || strncmp(t + len - 2, "/s", 2) != 0 || len - 2 >= 64)
        return cfg_fail(r->err, n, key, "expected a bandwidth such as 100MB/s or 1.5GiB/s, "
                                        "got \"%s\"", t);
    char size[64], why[200];
    memcpy(size, t, len - 2);
    size[len - 2] = '\0';
    int64_t bytes;
    if (units_parse_size(size, &bytes, why, sizeof why))
        return cfg_fail(r->err, n, key, "bad bandwidth \"%s\": %s", t, why);
    if (bytes <= 0)
        return cfg_fail(r->err, n, key, "a bandwidth must be above 0, got \"%s\"", t);
    *out = (double)bytes;
    return 0;
}

int catalog_get_period(const struct catalog_read *r, const struct ynode *n, const char *key,
                       sim_time *out)
{
    if (cfg_get_duration(r->err, n, key, 0, out))
        return -1;
    if (*out <= 0)
        return cfg_fail(r->err, n, key, "must be above 0");
    return 0;
}

int catalog_want_mapping(const struct catalog_read *r, const struct ynode *n, const char *key,
                         const char *what)
{
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(r->err, n, key, "expected %s, got %s", what, ytree_describe(n));
    return 0;
}

const struct ynode *catalog_opt(const struct ynode *map, const char *path, const char *key,
                                char kp[KEY_MAX])
{
    const struct ynode *v = ytree_get(map, key);
    if (v)
        cfg_path_join(kp, path, key);
    return v;
}

int catalog_want_keys(const struct catalog_read *r, const struct ynode *n, const char *path,
                      const char *what, const char *const *known, const char *const *required)
{
    if (catalog_want_mapping(r, n, path, what))
        return -1;
    if (cfg_check_keys(r->err, n, path, known))
        return -1;
    for (size_t k = 0; required && required[k]; k++)
        if (!ytree_get(n, required[k]))
            return cfg_missing(r->err, n, path, required[k]);
    return 0;
}

int catalog_get_accelerator(const struct catalog_read *r, const struct ynode *n, const char *key,
                            char out[SLSIM_NAME_MAX])
{
    char name[SLSIM_NAME_MAX], known[1024];
    if (cfg_get_name(r->err, n, key, NAME_IDENT_DOT, name))
        return -1;
    const struct catalog *c = r->catalog;
    if (c && catalog_find_accelerator(c, name)) {
        memcpy(out, name, strlen(name) + 1);
        return 0;
    }
    if (!c || !c->n_accelerators)
        return cfg_fail(r->err, n, key, "unknown accelerator \"%s\": the catalog has no "
                                        "`accelerators:` list to name it in", name);
    const char *cands[CATALOG_ACCELERATORS_SUGGEST + 1];
    size_t k = 0;
    for (size_t i = 0; i < c->n_accelerators && k < CATALOG_ACCELERATORS_SUGGEST; i++)
        cands[k++] = c->accelerators[i].name;
    cands[k] = NULL;
    const char *s = cfg_suggest(name, cands);
    catalog_accelerator_names(c, known, sizeof known);
    if (s)
        return cfg_fail(r->err, n, key, "unknown accelerator \"%s\"; did you mean \"%s\"? "
                                        "(known: %s)", name, s, known);
    return cfg_fail(r->err, n, key, "unknown accelerator \"%s\" (known: %s)", name, known);
}

/* {usd, source, date} at path into *p. */
int catalog_get_price(const struct catalog_read *r, const struct ynode *n, const char *path,
                      struct price *p)
{
    char kp[KEY_MAX];
    static const char *const required[] = {"usd", NULL};
    if (catalog_want_keys(r, n, path, "a price {usd: N, source: \"...\", date: YYYY-MM-DD}",
                          price_keys, required))
        return -1;
    const struct ynode *usd = ytree_get(n, "usd"), *src = ytree_get(n, "source"),
                       *date = ytree_get(n, "date");
    if (!src)
        return cfg_fail(r->err, n, path, "price has no source: every price says where it "
                                         "was read (source) and when (date)");
    if (!date)
        return cfg_fail(r->err, n, path, "price has no date: every price says where it was "
                                         "read (source) and when (date)");
    cfg_path_join(kp, path, "usd");
    if (cfg_get_number(r->err, usd, kp, &p->usd))
        return -1;
    if (p->usd < 0)
        return cfg_fail(r->err, usd, kp, "a price cannot be negative, got %s", usd->text);
    cfg_path_join(kp, path, "source");
    if (catalog_get_text(r, src, kp, 0, p->source, sizeof p->source))
        return -1;
    cfg_path_join(kp, path, "date");
    if (catalog_get_date(r, date, kp, 0, p->date))
        return -1;
    p->set = 1;
    return 0;
}
