/* csv_reader.c - the streaming line reader every trace format uses.
 *
 * One line in memory at a time, split in place; positions are kept so that a bad
 * field is reported with its file, line and column. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

int csv_open(struct csv_reader *r, const char *path, struct slsim_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "rb");
    if (!r->f)
        return slsim_error_set(err, path, 0, 0, NULL, "cannot open trace file: %s",
                               strerror(errno));
    if (fseek(r->f, 0, SEEK_END) == 0) {
        r->size = ftell(r->f);
        fseek(r->f, 0, SEEK_SET);
    }
    return 0;
}

void csv_close(struct csv_reader *r)
{
    if (r->f)
        fclose(r->f);
    free(r->line);
    r->f = NULL;
    r->line = NULL;
}

/* One physical line into r->line; 1, 0 at EOF, -1 on error. */
static int read_line(struct csv_reader *r, struct slsim_error *err)
{
    size_t len = 0;
    int c;
    r->ended_without_newline = 0;
    for (;;) {
        c = getc(r->f);
        if (c == EOF)
            break;
        r->pos++;
        if (len + 1 >= r->cap) {
            size_t n = r->cap ? 2 * r->cap : 256;
            char *b = realloc(r->line, n);
            if (!b)
                return slsim_error_set(err, r->path, (int)r->lineno + 1, 0, NULL,
                                       "out of memory reading a line");
            r->line = b;
            r->cap = n;
        }
        if (c == '\n')
            break;
        r->line[len++] = (char)c;
    }
    if (ferror(r->f))
        return slsim_error_set(err, r->path, (int)r->lineno + 1, 0, NULL,
                               "cannot read trace file: %s", strerror(errno));
    if (c == EOF && len == 0)
        return 0;
    if (c == EOF)
        r->ended_without_newline = 1;
    if (len && r->line[len - 1] == '\r')
        len--;
    r->line[len] = '\0';
    r->lineno++;
    return 1;
}

int csv_next(struct csv_reader *r, struct slsim_error *err)
{
    for (;;) {
        int rc = read_line(r, err);
        if (rc <= 0)
            return rc;
        if (r->line[0] == '\0')
            continue;
        r->n = 0;
        char *p = r->line;
        for (;;) {
            if (r->n == CSV_MAX_FIELDS)
                return slsim_error_set(err, r->path, (int)r->lineno, (int)(p - r->line) + 1, NULL,
                                       "more than %d fields on one line", CSV_MAX_FIELDS);
            char *start = p;
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            size_t flen = strlen(start);
            if (flen >= 2 && start[0] == '"' && start[flen - 1] == '"') {
                start[flen - 1] = '\0';
                start++;
            }
            r->col[r->n] = (size_t)(p - r->line) + 1;
            r->field[r->n++] = start;
            if (!comma)
                break;
            p = comma + 1;
        }
        return 1;
    }
}

int csv_find(const struct csv_reader *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->field[i], name) == 0)
            return (int)i;
    return -1;
}

/* The column just past the end of the line (the line is split in place, so it is
 * found from the last field). */
static int end_column(const struct csv_reader *r)
{
    return r->n ? (int)(r->col[r->n - 1] + strlen(r->field[r->n - 1])) : 1;
}

int csv_double(const struct csv_reader *r, size_t i, const char *what, double *out,
               struct slsim_error *err)
{
    if (i >= r->n)
        return slsim_error_set(err, r->path, (int)r->lineno, end_column(r), what,
                               "missing field: the line has %zu fields, %s is field %zu", r->n,
                               what, i + 1);
    char *end;
    errno = 0;
    double v = strtod(r->field[i], &end);
    if (end == r->field[i] || *end != '\0' || !isfinite(v))
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                               "expected a number, got \"%s\"", r->field[i]);
    *out = v;
    return 0;
}

int csv_u64(const struct csv_reader *r, size_t i, const char *what, uint64_t *out,
            struct slsim_error *err)
{
    if (i >= r->n)
        return slsim_error_set(err, r->path, (int)r->lineno, end_column(r), what,
                               "missing field: the line has %zu fields, %s is field %zu", r->n,
                               what, i + 1);
    const char *t = r->field[i];
    uint64_t v = 0;
    if (!*t)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                               "expected a whole number, got an empty field");
    for (const char *c = t; *c; c++) {
        if (*c < '0' || *c > '9' || v > (UINT64_MAX - 9) / 10)
            return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                                   "expected a whole number, got \"%s\"", t);
        v = v * 10 + (uint64_t)(*c - '0');
    }
    *out = v;
    return 0;
}

double csv_progress(const struct csv_reader *r)
{
    return r->size > 0 ? (double)r->pos / (double)r->size : 0.0;
}
