/* cmd_catalog.c - `slsim catalog`: what the pricing catalog holds, and where each
 * number comes from.
 *
 * `list` is the overview a user needs to pick a `platform:`, `instance:` or
 * discount name; `list gpus` the accelerators alone, the figures the performance
 * models compute with; `show NAME` prints one entry whole, every price or figure
 * beside its source and date, so a number in a report can be traced back to where
 * it was read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "base/yaml_get.h" /* cfg_suggest: the did-you-mean every other message uses */
#include "slsim/catalog.h"

static const char catalog_help[] =
    "usage: slsim catalog list [gpus] [--pricing FILE] [--format text|json]\n"
    "       slsim catalog show NAME [--pricing FILE] [--format text|json]\n"
    "\n"
    "list   the catalog's serverless platforms (billing mode, summary), instance types\n"
    "       (vCPU, memory, GPUs, on-demand $/hour), discounts, accelerators and LLMs, with\n"
    "       the catalog's name and the date it was written.\n"
    "list gpus\n"
    "       the accelerators alone: memory, memory bandwidth, dense FP16 and FP8\n"
    "       tensor TFLOPS (without sparsity, half the datasheets' headline figure) and\n"
    "       the host link with its bandwidth in one direction.\n"
    "show   one platform, instance type, discount, accelerator or LLM, with every price,\n"
    "       limit, cold-start and hardware figure, and the source and date of each\n"
    "       price and accelerator.\n"
    "\n"
    "options:\n"
    "  --pricing FILE   read the catalog FILE instead of the built-in default\n"
    "                   (scenarios/pricing/default.yaml when slsim was built)\n"
    "  --format FORMAT  text (default) or json\n"
    "  -h, --help       this text\n"
    "\n"
    "exit status: 0 done, 1 output failed, 2 bad usage, a bad catalog or an unknown NAME.\n";

/* "no ... named NAME", with a suggestion among all names and the known ones. */
static int unknown_name(const struct catalog *c, const char *name)
{
    size_t n = c->n_platforms + c->n_instances + c->n_discounts + c->n_accelerators +
               c->n_llms,
           k = 0;
    const char **all = calloc(n + 1, sizeof *all);
    if (!all) {
        fprintf(stderr, "slsim: out of memory\n");
        return EXIT_RUN;
    }
    for (size_t i = 0; i < c->n_platforms; i++)
        all[k++] = c->platforms[i].name;
    for (size_t i = 0; i < c->n_instances; i++)
        all[k++] = c->instances[i].name;
    for (size_t i = 0; i < c->n_discounts; i++)
        all[k++] = c->discounts[i].name;
    for (size_t i = 0; i < c->n_accelerators; i++)
        all[k++] = c->accelerators[i].name;
    for (size_t i = 0; i < c->n_llms; i++)
        all[k++] = c->llms[i].name;
    const char *s = cfg_suggest(name, all);
    free(all);
    char buf[4096];
    fprintf(stderr, "slsim catalog: no platform, instance type, discount, accelerator or "
                    "LLM named \"%s\" in catalog %s",
            name, c->name);
    if (s)
        fprintf(stderr, "; did you mean \"%s\"?", s);
    catalog_platform_names(c, buf, sizeof buf);
    fprintf(stderr, "\nknown platforms: %s\n", buf);
    catalog_instance_names(c, buf, sizeof buf);
    fprintf(stderr, "known instance types: %s\n", buf);
    catalog_discount_names(c, buf, sizeof buf);
    fprintf(stderr, "known discounts: %s\n", buf);
    if (c->n_accelerators) {
        catalog_accelerator_names(c, buf, sizeof buf);
        fprintf(stderr, "known accelerators: %s\n", buf);
    }
    if (c->n_llms) {
        catalog_llm_names(c, buf, sizeof buf);
        fprintf(stderr, "known LLMs: %s\n", buf);
    }
    return EXIT_USAGE;
}

/* Write what was asked on standard output: 0, or EXIT_RUN when it cannot be
 * formatted or written. Output is flushed here, so that a failed write (a full
 * disk) is seen and not reported as success. */
static int emit(enum report_format fmt, const struct catalog *c, const char *name, int gpus)
{
    int rc = name ? report_write_catalog_entry(stdout, fmt, c, name)
             : gpus ? report_write_catalog_accelerators(stdout, fmt, c)
                    : report_write_catalog(stdout, fmt, c);
    if (fmt == REPORT_TEXT)
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUN;
    if (rc != 0 && !ferror(stdout))
        fprintf(stderr, "slsim: out of memory formatting JSON\n");
    if (rc == 0 && fflush(stdout) != 0)
        rc = -1;
    return rc == 0 ? EXIT_OK : EXIT_RUN;
}

static int cmd_catalog(int argc, char **argv)
{
    const char *sub = NULL, *name = NULL, *pricing = NULL, *format = "text";
    int rc, quiet = 0, gpus = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(catalog_help, stdout);
            return EXIT_OK;
        } else if ((rc = cli_option(argc, argv, &i, "--pricing", &pricing, "catalog")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--format", &format, "catalog")) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
        } else if (cli_progress_option(a, &quiet, &quiet)) {
            continue; /* accepted like everywhere; nothing here runs long */
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("catalog", "unknown option %s", a);
        } else if (!sub) {
            sub = a;
        } else if (!name && strcmp(sub, "show") == 0) {
            name = a;
        } else if (!gpus && strcmp(sub, "list") == 0 && strcmp(a, "gpus") == 0) {
            gpus = 1;
        } else {
            return cli_usage_error("catalog", "unexpected argument \"%s\"", a);
        }
    }
    if (!sub)
        return cli_usage_error("catalog", "missing what to do: list or show NAME");
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0)
        return cli_usage_error("catalog", "unknown subcommand \"%s\"; expected list or show", sub);
    if (strcmp(sub, "show") == 0 && !name)
        return cli_usage_error("catalog", "show needs a NAME (see 'slsim catalog list')");
    enum report_format fmt;
    if (report_format_for(format, REPORT_OF_CATALOG, &fmt) != 0) {
        char names[128];
        return cli_usage_error("catalog", "unknown format \"%s\"; expected %s", format,
                               report_format_list(REPORT_OF_CATALOG, names, sizeof names));
    }

    struct catalog *c = NULL;
    struct slsim_error err;
    if ((pricing ? catalog_load_file(pricing, &c, &err) : catalog_load_default(&c, &err)) != 0) {
        cli_report_error(&err);
        return EXIT_USAGE;
    }
    if (name && !catalog_find_platform(c, name) && !catalog_find_instance(c, name) &&
        !catalog_find_discount(c, name) && !catalog_find_accelerator(c, name) &&
        !catalog_find_llm(c, name))
        rc = unknown_name(c, name);
    else
        rc = emit(fmt, c, name, gpus);
    catalog_destroy(c);
    return rc;
}

const struct command cmd_catalog_entry = {
    "catalog", cmd_catalog, "list the pricing catalog, or show one entry with its sources",
    catalog_help,
};
