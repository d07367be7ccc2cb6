/* hybrid.c - a dedicated base that serves first, serverless for the overflow.
 *
 * A request goes to the base when one of its slots is free or fewer than
 * `overflow_queue` requests wait there (0 by default: overflow as soon as the base
 * is full); otherwise to the serverless tier. The two tiers are the ordinary
 * dedicated and serverless platforms sharing one event heap, their event kinds
 * kept apart by an offset, so each tier behaves and is billed exactly as it would
 * alone. The report shows each tier and their total. */
#include <stdlib.h>
#include <string.h>

#include "slsim/platform.h"

#define OVERFLOW_KINDS 16 /* serverless events are numbered from here */

struct hybrid {
    const struct hybrid_spec *spec;
    const char *name; /* the deployment's, borrowed */
    void *base; /* dedicated */
    void *over; /* serverless */
};

static void on_arrival(void *self, const struct request *r)
{
    struct hybrid *h = self;
    if (!dedicated_offer(h->base, r, h->spec->overflow_queue))
        serverless_ops.arrival(h->over, r);
}

static void on_event(void *self, const struct event *e)
{
    struct hybrid *h = self;
    if (e->kind >= OVERFLOW_KINDS)
        serverless_ops.event(h->over, e);
    else
        dedicated_ops.event(h->base, e);
}

static int on_finish(void *self, struct deployment_result *out, struct slsim_error *err)
{
    struct hybrid *h = self;
    struct deployment_result *tiers = calloc(2, sizeof *tiers);
    if (!tiers)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    if (dedicated_ops.finish(h->base, &tiers[0], err) != 0) {
        free(tiers);
        return -1;
    }
    if (serverless_ops.finish(h->over, &tiers[1], err) != 0) {
        result_free(&tiers[0]);
        free(tiers);
        return -1;
    }
    snprintf(tiers[0].name, sizeof tiers[0].name, "base");
    snprintf(tiers[1].name, sizeof tiers[1].name, "overflow");
    if (result_combine(out, tiers, 2) != 0) {
        result_free(&tiers[0]);
        result_free(&tiers[1]);
        free(tiers);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    snprintf(out->name, sizeof out->name, "%s", h->name);
    snprintf(out->platform, sizeof out->platform, "%.31s+%.31s", tiers[0].platform,
             tiers[1].platform);
    out->type = DEPLOYMENT_HYBRID;
    out->tiers = tiers;
    out->n_tiers = 2;
    return 0;
}

static void on_destroy(void *self)
{
    struct hybrid *h = self;
    if (!h)
        return;
    if (h->base)
        dedicated_ops.destroy(h->base);
    if (h->over)
        serverless_ops.destroy(h->over);
    free(h);
}

void *hybrid_create(const char *name, const struct hybrid_spec *d,
                    const struct platform_env *env, struct slsim_error *err)
{
    struct hybrid *h = calloc(1, sizeof *h);
    if (!h) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    h->spec = d;
    h->name = name;
    struct platform_env over_env = *env;
    over_env.kind_base = env->kind_base + OVERFLOW_KINDS;
    h->base = dedicated_create(name, &d->base, env, err);
    if (h->base)
        h->over = serverless_create(name, &d->overflow, &over_env, err);
    if (!h->base || !h->over) {
        on_destroy(h);
        return NULL;
    }
    return h;
}

const struct platform_ops hybrid_ops = {
    .arrival = on_arrival,
    .event = on_event,
    .finish = on_finish,
    .destroy = on_destroy,
};

void *platform_create(const struct deployment_spec *d, const struct platform_env *env,
                      const struct platform_ops **ops, struct slsim_error *err)
{
    switch (d->type) {
    case DEPLOYMENT_DEDICATED:
        *ops = &dedicated_ops;
        return dedicated_create(d->name, &d->dedicated, env, err);
    case DEPLOYMENT_HYBRID:
        *ops = &hybrid_ops;
        return hybrid_create(d->name, &d->hybrid, env, err);
    case DEPLOYMENT_SERVERLESS:
        break;
    }
    *ops = &serverless_ops;
    return serverless_create(d->name, &d->serverless, env, err);
}
