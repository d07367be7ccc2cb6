/* text.h - names and the short texts every layer shares.
 *
 * Names of things a user writes (scenarios, deployments, platforms, instance types,
 * models) are identifiers of fewer than SLSIM_NAME_MAX bytes, so they travel in
 * fixed arrays and results can be copied as plain data. */
#ifndef SLSIM_TEXT_H
#define SLSIM_TEXT_H

#include <stddef.h>

#define SLSIM_NAME_MAX 64

/* The base name of path without its directory and without a trailing `.yaml` or
 * `.yml`, cut to fit out (n bytes, n >= 1): the label of a scenario or catalog
 * that names itself nothing. */
void text_file_stem(const char *path, char *out, size_t n);

#endif
