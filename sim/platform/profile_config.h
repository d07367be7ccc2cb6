/* profile_config.h - the platform-profile sections of a catalog platform (internal:
 * the catalog loader calls these for `platforms[].coldstart` and `.limits`). */
#ifndef SLSIM_PROFILE_CONFIG_H
#define SLSIM_PROFILE_CONFIG_H

#include "../billing/catalog_get.h"

/* `coldstart:` at path into p: a profile mapping {init, fetch_bandwidth or artifacts,
 * load_bandwidth, init_timeout, sources}, or `none` said on purpose. Every constant
 * given needs its entry in `sources:` and no entry may name a constant not given.
 * Once init is read p->has_coldstart is 1 and p->init is owned by p (catalog_destroy
 * frees it), failure or not. Returns 0, or -1 with r->err set. */
int profile_parse_coldstart(const struct catalog_read *r, const struct ynode *n,
                            const char *path, struct platform_profile *p);

/* `limits:` at path into p: memory settings (memory_sizes, or memory_min, memory_max
 * and memory_step), the unit the provider writes them in, concurrency per instance,
 * timeout and account concurrency. Returns 0, or -1 with r->err set. */
int profile_parse_limits(const struct catalog_read *r, const struct ynode *n,
                         const char *path, struct platform_profile *p);

#endif
