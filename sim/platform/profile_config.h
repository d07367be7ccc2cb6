/* profile_config.h - the platform-profile sections of a catalog platform (internal:
 * the catalog loader calls these for `platforms[].coldstart`, `.limits` and
 * `.hardware`). */
#ifndef SLSIM_PROFILE_CONFIG_H
#define SLSIM_PROFILE_CONFIG_H

#include "../billing/catalog_get.h"

/* `coldstart:` at path into p: a profile mapping {init, fetch_bandwidth or artifacts,
 * load_bandwidth, copy_bandwidth, engine, llm_engine, init_timeout, sources}, or `none`
 * said on purpose. engine and llm_engine (an LLM's engine start, in its place) are
 * durations or non-empirical distributions. Every constant
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

/* `hardware:` at path into p: what one instance computes with, for the performance
 * models: vcpus (a fixed count) or memory_per_vcpu (vCPUs proportional to memory),
 * accelerator (a name of the catalog's `accelerators:`, read before the platforms)
 * and accelerators (per instance, default 1 when one is named), and a source for them
 * (a year or date, or "assumed: ..."). An accelerator count must match the billing
 * block's gpus when both are given, so p's billing is read first. Returns 0, or -1
 * with r->err set. */
int profile_parse_hardware(const struct catalog_read *r, const struct ynode *n,
                           const char *path, struct platform_profile *p);

/* The most ticks an autoscaling window may span (the samples autoscale.c keeps, less
 * one for the window's start). */
#define AUTOSCALE_TICKS_MAX 62

/* `autoscaling:` at path into p: metrics-based autoscaling (Cloud Run), targets of
 * CPU utilisation and of the maximum concurrency (each a fraction in (0, 1], at least
 * one), the averaging window, how often the autoscaler decides (tick), and a source.
 * Returns 0, or -1 with r->err set. */
int profile_parse_autoscaling(const struct catalog_read *r, const struct ynode *n,
                              const char *path, struct platform_profile *p);

#endif
