/* yaml_get.h - typed getters over yaml_tree nodes, for the loaders of scenario and
 * catalog files and the section parsers of the modules they dispatch to. */
#ifndef SLSIM_YAML_GET_H
#define SLSIM_YAML_GET_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/text.h"
#include "slsim/units.h"
#include "yaml_tree.h"

/* Every key path fits: slsim_error.key has this size. */
#define KEY_MAX 256

/* Fill err at node at (its file, line, column) for key; returns -1. */
int cfg_fail(struct slsim_error *err, const struct ynode *at, const char *key, const char *fmt,
             ...) __attribute__((format(printf, 4, 5)));

/* parent.key and parent[index1] (1-based), cut to KEY_MAX - 1 characters. */
void cfg_path_join(char *out, const char *parent, const char *key);
void cfg_path_index(char *out, const char *parent, size_t index1);

/* The nearest of the NULL-terminated cands within a few edits of word, or NULL. */
const char *cfg_suggest(const char *word, const char *const *cands);
/* 1 when word is in the NULL-terminated list (which may be NULL). */
int cfg_in_list(const char *word, const char *const *list);
/* "a, b, c" from a NULL-terminated list, cut to n bytes. */
void cfg_join_list(char *out, size_t n, const char *const *list);

/* Every key of mapping map is in the NULL-terminated known and none appears twice;
 * an unknown key gets a did-you-mean, or the list of known keys. */
int cfg_check_keys(struct slsim_error *err, const struct ynode *map, const char *path,
                   const char *const *known);
/* "missing required key" at parent. */
int cfg_missing(struct slsim_error *err, const struct ynode *parent, const char *path,
                const char *key);

/* The text of scalar n, or NULL with "expected <what>, got a mapping" in err. */
const char *cfg_want_scalar(struct slsim_error *err, const struct ynode *n, const char *key,
                            const char *what);
/* Units (units.h); allow_forever lets a duration be `forever`. */
int cfg_get_duration(struct slsim_error *err, const struct ynode *n, const char *key,
                     int allow_forever, sim_time *out);
int cfg_get_seconds(struct slsim_error *err, const struct ynode *n, const char *key,
                    double *out_s);
int cfg_get_size(struct slsim_error *err, const struct ynode *n, const char *key,
                 int64_t *out);
int cfg_get_rate(struct slsim_error *err, const struct ynode *n, const char *key, double *out);
int cfg_get_number(struct slsim_error *err, const struct ynode *n, const char *key,
                   double *out);
/* true or false (1 or 0). */
int cfg_get_bool(struct slsim_error *err, const struct ynode *n, const char *key, int *out);

/* Whole numbers: decimal digits only. A value that is not one is refused with a
 * message starting CFG_WANTS_WHOLE (what scenario_error_wants_whole_number reads). */
#define CFG_WANTS_WHOLE "expected a whole number"
int cfg_get_u64(struct slsim_error *err, const struct ynode *n, const char *key,
                uint64_t *out);
int cfg_get_u32_range(struct slsim_error *err, const struct ynode *n, const char *key,
                      uint32_t lo, uint32_t hi, uint32_t *out);

enum name_rule {
    NAME_TEXT,      /* any printable text */
    NAME_IDENT,     /* letters, digits, '-', '_' */
    NAME_IDENT_DOT, /* the same and '.' */
};
int cfg_is_ident(const char *t, int allow_dot);
/* A name of fewer than SLSIM_NAME_MAX characters following rule. */
int cfg_get_name(struct slsim_error *err, const struct ynode *n, const char *key,
                 enum name_rule rule, char out[SLSIM_NAME_MAX]);
/* Index into the NULL-terminated names of n's text; what names the kind of value in
 * messages; later lists values of later versions. */
int cfg_get_enum(struct slsim_error *err, const struct ynode *n, const char *key,
                 const char *what, const char *const *names, const char *const *later,
                 int *out);

/* The whole of file path, malloc'd, with its length; what names the kind of file in
 * messages ("scenario", "catalog"). NULL with err set on failure. */
char *cfg_read_file(const char *path, const char *what, size_t *len, struct slsim_error *err);

#endif
