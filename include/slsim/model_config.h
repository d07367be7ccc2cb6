/* model_config.h - the scenario's `model:` section (docs/SCENARIO.md). */
#ifndef SLSIM_MODEL_CONFIG_H
#define SLSIM_MODEL_CONFIG_H

#include "slsim/error.h"
#include "slsim/perf.h"

/* 2GiB: a memory setting of Lambda (its 2048 MB is 2048 MiB), SageMaker Serverless,
 * Flex and Cloud Run; 2GB (2e9 bytes) is not one of the first three's. The memory of
 * a serverless instance when neither model.memory nor the deployment gives one. */
#define MODEL_DEFAULT_MEMORY_BYTES 2147483648LL

struct ynode;

/* Fill *m from mapping n (the value of `model:`, key path "model"): name (default
 * "model"), size (0 when not given; where it was written in size_src/line/column,
 * which borrow n's file name), memory (bytes > 0, default MODEL_DEFAULT_MEMORY_BYTES)
 * and service, required. 0 with m->service owned by m (dist_free), or -1 with err
 * set at the offending node. */
int model_spec_parse(struct slsim_error *err, const struct ynode *n, struct model_spec *m);

#endif
