/* catalog_models.h - the items of the catalog's `accelerators:` and `llms:` lists
 * (internal to the catalog loader). */
#ifndef SLSIM_CONFIG_CATALOG_MODELS_H
#define SLSIM_CONFIG_CATALOG_MODELS_H

#include "../billing/catalog_get.h"

/* An `accelerators:` item at path into *item (a struct accelerator, its name read):
 * memory, bandwidth, dense TFLOPS, host link, source and date. 0, or -1 with r->err. */
int catalog_parse_accelerator(const struct catalog_read *r, const struct ynode *n,
                              const char *path, void *item);

/* An `llms:` item at path into *item (a struct llm_model, its name read): parameters,
 * layers, hidden, kv_heads, head_dim, context, source and date. 0, or -1 with r->err. */
int catalog_parse_llm(const struct catalog_read *r, const struct ynode *n, const char *path,
                      void *item);

#endif
