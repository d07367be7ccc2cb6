/* perf.h - the model being served, and how long its work takes.
 *
 * A request carries its work: the time it would take on the model's reference
 * instance, a variate of model.service drawn once per request from the service
 * stream, so every deployment serves the very same work (common random numbers).
 * A performance model turns that work into time on the instance that serves it. */
#ifndef SLSIM_PERF_H
#define SLSIM_PERF_H

#include <stdint.h>

#include "slsim/dist.h"
#include "slsim/text.h"
#include "slsim/units.h"

struct model_spec {
    char name[SLSIM_NAME_MAX];    /* label for reports, "model" when not given */
    int64_t size_bytes;           /* artifact size: drives cold-start time */
    int size_line, size_column;   /* where model.size was written (0: not given), for errors */
    const char *size_src;         /* its file (or "--set"); borrowed from the loader, valid only while loading */
    int64_t memory_bytes;         /* memory of one serverless instance unless a deployment overrides (default 2GiB) */
    struct dist service;          /* warm execution time of one request on the reference instance */
};

#endif
