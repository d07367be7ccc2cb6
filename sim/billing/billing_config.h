/* billing_config.h - the billing block of a catalog platform (internal: the catalog
 * loader calls it for `platforms[].billing`). */
#ifndef SLSIM_BILLING_CONFIG_H
#define SLSIM_BILLING_CONFIG_H

#include "catalog_get.h"

/* Read the billing mapping n at path into p's billing fields: the mode, rounding and
 * resources, the prices with their sources, tiers and free tier, and the keys of
 * every billing rule (rules.h); then check the keys against each other and derive
 * p->provisioned_rule. p->name must be set (generic alone may have no price).
 * Returns 0, or -1 with r->err naming file, line, column and key path. */
int billing_parse(const struct catalog_read *r, const struct ynode *n, const char *path,
                  struct platform_profile *p);

#endif
