/* catalog_gpus.h - `slsim catalog list gpus`: the catalog's accelerators alone, for
 * the catalog command (the whole catalog goes through report_write_catalog). */
#ifndef SLSIM_REPORT_CATALOG_GPUS_H
#define SLSIM_REPORT_CATALOG_GPUS_H

#include <stdio.h>

#include "slsim/catalog.h"
#include "slsim/report.h"

/* Write the accelerators of c in fmt: text the catalog's name and date, then a table
 * (name, memory, bandwidth, dense FP16 and FP8 TFLOPS, host link); json an object
 * {catalog, as_of, path, accelerators: [...]} with every figure in base units (bytes,
 * bytes/s, FLOP/s). 0, or -1 on a write error, when out of memory, or for a format
 * other than text and json. */
int report_write_catalog_accelerators(FILE *fp, enum report_format fmt, const struct catalog *c);

/* The JSON half of it (catalog_json.c). */
int report_catalog_accelerators_json(FILE *fp, const struct catalog *c);

#endif
