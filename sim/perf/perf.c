/* perf.c - performance models: from a deployment's `perf` and the instance it runs
 * on to the rate at which a request's work progresses. */
#include <stdlib.h>
#include <string.h>

#include "slsim/perf.h"

void perf_model_scaled(struct perf_model *m, double speed)
{
    *m = (struct perf_model){.kind = PERF_FIXED, .name = "scaled", .speed = speed};
}

void perf_model_free(struct perf_model *m)
{
    free(m->rate);
    m->rate = NULL;
    m->n_rate = 0;
}

int perf_build(struct slsim_error *err, const struct perf_spec *spec, const struct model_spec *m,
               const struct perf_target *t, struct perf_model *out)
{
    (void)err;
    (void)spec;
    (void)m;
    perf_model_scaled(out, t->speed);
    return 0;
}
