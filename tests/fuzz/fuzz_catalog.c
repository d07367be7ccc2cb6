/* fuzz_catalog - loading a pricing catalog file, then every lookup and memory
 * rule a scenario and a report use on what was loaded.
 *
 * Input: the catalog file.
 *
 * Checks: a load either gives a catalog and no error, or no catalog and an error
 * that follows the error rule (fuzz_common.h); each platform, instance and
 * discount is found by its name; the memory rules agree with each other
 * (catalog.h): catalog_memory_round_up gives a setting, and the settings
 * catalog_memory_nearest names are settings on the right side of the size. */
#include "fuzz_common.h"
#include "slsim/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_memory(const struct platform_profile *p)
{
    static const int64_t sizes[] = {1,           128LL << 20, 1000000000LL, 2LL << 30,
                                     3008LL << 20, 10LL << 30, 1LL << 40};
    char buf[512];
    catalog_memory_settings(p, buf, sizeof buf);
    int limited = p->memory_min_bytes || p->memory_max_bytes || p->n_memory_sizes;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        int64_t b = sizes[i];
        int64_t up = catalog_memory_round_up(p, b);
        if (limited)
            FUZZ_CHECK(catalog_memory_is_setting(p, up),
                       "platform %s: %lld rounds up to %lld, not a setting (%s)", p->name,
                       (long long)b, (long long)up, buf);
        else
            FUZZ_CHECK(up == b, "platform %s sets no limit but rounds %lld up to %lld", p->name,
                       (long long)b, (long long)up);
        int64_t below = 0, above = 0;
        catalog_memory_nearest(p, b, &below, &above);
        if (below)
            FUZZ_CHECK(below <= b && catalog_memory_is_setting(p, below),
                       "platform %s: %lld named as the setting below %lld (%s)", p->name,
                       (long long)below, (long long)b, buf);
        if (above)
            FUZZ_CHECK(above >= b && catalog_memory_is_setting(p, above),
                       "platform %s: %lld named as the setting above %lld (%s)", p->name,
                       (long long)above, (long long)b, buf);
        char why[512];
        int ok = catalog_check_memory(p, b, "2048MB", why, sizeof why) == 0;
        FUZZ_CHECK(ok == catalog_memory_is_setting(p, b),
                   "platform %s: catalog_check_memory and catalog_memory_is_setting disagree "
                   "on %lld", p->name, (long long)b);
        if (!ok)
            FUZZ_CHECK(why[0] != '\0', "platform %s: %lld refused without a reason", p->name,
                       (long long)b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(0, ".yaml", data, size);
    struct catalog *c = (struct catalog *)&c; /* not NULL: the loader must clear it */
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    int rc = catalog_load_file(path, &c, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "catalog_load_file returned %d", rc);
        FUZZ_CHECK(c == NULL, "a failed load left a catalog: %s", err.message);
        fuzz_check_error(&err, "catalog_load_file");
        return 0;
    }
    FUZZ_CHECK(c != NULL, "a load succeeded without a catalog");
    FUZZ_CHECK(err.message[0] == '\0', "a load gave both a catalog and an error: %s",
               err.message);
    char names[1024];
    catalog_platform_names(c, names, sizeof names);
    catalog_instance_names(c, names, sizeof names);
    catalog_discount_names(c, names, sizeof names);
    for (size_t i = 0; i < c->n_platforms; i++) {
        const struct platform_profile *p = &c->platforms[i];
        const struct platform_profile *q = catalog_find_platform(c, p->name);
        FUZZ_CHECK(q && strcmp(q->name, p->name) == 0, "platform \"%s\" is not found by name",
                   p->name);
        char why[512];
        (void)catalog_check_provisioned(p, why, sizeof why);
        (void)catalog_billing_name(p->billing);
        (void)catalog_provisioned_rule_name(p->provisioned_rule);
        check_memory(p);
        for (size_t d = 0; d < c->n_discounts; d++)
            (void)catalog_discount_applies(&c->discounts[d], p->name);
    }
    for (size_t i = 0; i < c->n_instances; i++) {
        const struct instance_type *t = catalog_find_instance(c, c->instances[i].name);
        FUZZ_CHECK(t && strcmp(t->name, c->instances[i].name) == 0,
                   "instance \"%s\" is not found by name", c->instances[i].name);
        for (size_t d = 0; d < c->n_discounts; d++)
            (void)catalog_discount_applies(&c->discounts[d], t->provider);
    }
    for (size_t i = 0; i < c->n_discounts; i++) {
        const struct discount *d = catalog_find_discount(c, c->discounts[i].name);
        FUZZ_CHECK(d && strcmp(d->name, c->discounts[i].name) == 0,
                   "discount \"%s\" is not found by name", c->discounts[i].name);
        FUZZ_CHECK(d->off >= 0 && d->off < 1, "discount \"%s\" takes %g off", d->name, d->off);
    }
    catalog_destroy(c);
    return 0;
}
