/* rng.c - seeding one GSL stream per purpose from the scenario seed.
 *
 * SplitMix64 mixes (seed, replication, purpose) so that neighbouring seeds and
 * purposes give unrelated streams; GSL's taus2 then generates. */
#include "slsim/engine.h"

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

unsigned long rng_stream_seed(uint64_t seed, uint32_t replication, enum rng_purpose purpose)
{
    uint64_t x = splitmix64(seed);
    x = splitmix64(x ^ ((uint64_t)replication << 8) ^ (uint64_t)purpose);
    unsigned long s = (unsigned long)(x & 0xFFFFFFFFu);
    return s ? s : 1; /* taus2 maps 0 to its default seed: keep streams distinct */
}

gsl_rng *rng_stream_create(uint64_t seed, uint32_t replication, enum rng_purpose purpose)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (r)
        gsl_rng_set(r, rng_stream_seed(seed, replication, purpose));
    return r;
}
