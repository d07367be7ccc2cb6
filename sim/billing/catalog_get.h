/* catalog_get.h - typed getters for pricing-catalog values (internal to the modules
 * that parse catalog sections: billing, platform profiles, the catalog loader).
 *
 * A catalog holds data a reader must be able to check, so these are stricter than the
 * scenario getters they build on (base/yaml_get.h): every price is a {usd, source,
 * date} mapping, no date is later than the catalog's as_of, and text has no control
 * characters. Each returns 0, or -1 with err naming file, line, column and key. */
#ifndef SLSIM_CATALOG_GET_H
#define SLSIM_CATALOG_GET_H

#include <stddef.h>

#include "slsim/catalog.h"
#include "../base/yaml_get.h"
#include "../base/yaml_tree.h"

/* What every section parser needs besides its node: where errors go and the
 * catalog's date, which no price may be newer than. */
struct catalog_read {
    struct slsim_error *err;
    const char *as_of; /* YYYY-MM-DD; NULL while as_of itself is read */
    const struct catalog *catalog; /* read so far: its accelerators are read before the
                                      platforms and instances that name them; may be NULL */
};

/* "out of memory" at node at, for key; returns -1. */
int catalog_get_oom(const struct catalog_read *r, const struct ynode *at, const char *key);

/* 1 when t[0..n) are all decimal digits; their value in *v. */
int catalog_digits(const char *t, size_t n, int *v);

/* Free text of fewer than cap characters, without control characters, into out;
 * empty (or null) text only when allow_empty. */
int catalog_get_text(const struct catalog_read *r, const struct ynode *n, const char *key,
                     int allow_empty, char *out, size_t cap);

/* A date YYYY-MM-DD, or (unless full) YYYY-MM or YYYY, not after as_of, into out. */
int catalog_get_date(const struct catalog_read *r, const struct ynode *n, const char *key,
                     int full, char out[16]);

/* A number >= lo. */
int catalog_get_min(const struct catalog_read *r, const struct ynode *n, const char *key,
                    double lo, double *out);

/* A size per second such as 100MB/s, in bytes per second; above 0. */
int catalog_get_bandwidth(const struct catalog_read *r, const struct ynode *n, const char *key,
                          double *out);

/* A duration above 0, ns. */
int catalog_get_period(const struct catalog_read *r, const struct ynode *n, const char *key,
                       sim_time *out);

/* 0 when n is a mapping; else "expected <what>, got ..." at key. */
int catalog_want_mapping(const struct catalog_read *r, const struct ynode *n, const char *key,
                         const char *what);

/* The node under key of map, or NULL; when there, kp gets path.key for messages. */
const struct ynode *catalog_opt(const struct ynode *map, const char *path, const char *key,
                                char kp[KEY_MAX]);

/* 0 when n is a mapping (else "expected <what>, got ...") whose keys are all in known,
 * each once, and which has every key of required (NULL: none). */
int catalog_want_keys(const struct catalog_read *r, const struct ynode *n, const char *path,
                      const char *what, const char *const *known, const char *const *required);

/* The name of an accelerator of r->catalog's `accelerators:` into out; an unknown
 * name is refused with the nearest known one and the list of known names. */
int catalog_get_accelerator(const struct catalog_read *r, const struct ynode *n, const char *key,
                            char out[SLSIM_NAME_MAX]);

/* A price {usd, source, date} at path into *p (p->set becomes 1). */
int catalog_get_price(const struct catalog_read *r, const struct ynode *n, const char *path,
                      struct price *p);

#endif
