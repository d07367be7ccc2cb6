/* csv_helpers.h - reading cells of a report's CSV lines in tests (no quoted commas in
 * these tests' lines). */
#ifndef SLSIM_TESTS_CSV_HELPERS_H
#define SLSIM_TESTS_CSV_HELPERS_H

#include <stdio.h>
#include <string.h>

/* Cells of one CSV line of len bytes. */
static inline size_t csv_cells(const char *line, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += line[i] == ',';
    return n;
}

/* The index of column name in the header line (which ends at '\n'), or -1. */
static inline int csv_column(const char *header, const char *name)
{
    char buf[16384];
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(header, "\n"), header);
    int k = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save), k++)
        if (strcmp(tok, name) == 0)
            return k;
    return -1;
}

/* Cell k of line (which ends at '\n'), into cell. */
static inline void csv_cell(const char *line, int k, char *cell, size_t n)
{
    for (int i = 0; i < k; i++)
        line = strchr(line, ',') + 1;
    snprintf(cell, n, "%.*s", (int)strcspn(line, ",\n"), line);
}

#endif
