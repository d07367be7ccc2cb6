/* csv_reader.c - the streaming line reader every trace format uses.
 *
 * One line in memory at a time, split in place; positions are kept so that a bad
 * field is reported with its file, line and column. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_internal.h"

int csv_file_kind(const char *path, int fd, char *why, size_t n)
{
    struct stat st;
    if ((fd >= 0 ? fstat(fd, &st) : stat(path, &st)) != 0) {
        snprintf(why, n, "cannot open the file: %s", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(why, n, "is a directory, not a file");
        return -1;
    }
    /* A device (/dev/zero, a terminal) never ends or blocks for ever; a pipe is
     * how a trace is streamed from a decompressor, so it is let through. */
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        snprintf(why, n, "is %s, not a regular file or a pipe",
                 S_ISCHR(st.st_mode)    ? "a character device"
                 : S_ISBLK(st.st_mode)  ? "a block device"
                 : S_ISSOCK(st.st_mode) ? "a socket"
                                        : "not a file");
        return -1;
    }
    return S_ISREG(st.st_mode) ? 1 : 0;
}

int csv_open(struct csv_reader *r, const char *path, struct slsim_error *err)
{
    char why[160];
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "rb");
    if (!r->f)
        return slsim_error_set(err, path, 1, 1, NULL, "cannot open trace file: %s",
                               strerror(errno));
    int kind = csv_file_kind(path, fileno(r->f), why, sizeof why);
    if (kind < 0) {
        fclose(r->f);
        r->f = NULL;
        return slsim_error_set(err, path, 1, 1, NULL, "%s", why);
    }
    /* Only a regular file has a size to measure progress against. */
    if (kind == 1 && fseek(r->f, 0, SEEK_END) == 0) {
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
    free(r->head);
    free(r->buf);
    r->buf = NULL;
    r->buf_len = r->buf_pos = 0;
    r->f = NULL;
    r->line = NULL;
    r->head = NULL;
    r->head_n = 0;
}

int csv_keep_header(struct csv_reader *r, struct slsim_error *err)
{
    size_t len = 0;
    for (size_t i = 0; i < r->n; i++)
        len += strlen(r->field[i]) + 1;
    char *h = malloc(len ? len : 1);
    if (!h)
        return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL, "out of memory");
    char *p = h;
    for (size_t i = 0; i < r->n; i++) {
        size_t n = strlen(r->field[i]) + 1;
        memcpy(p, r->field[i], n);
        p += n;
    }
    free(r->head);
    r->head = h;
    r->head_n = r->n;
    return 0;
}

const char *csv_header_name(const struct csv_reader *r, size_t i)
{
    if (!r->head || i >= r->head_n)
        return NULL;
    const char *p = r->head;
    while (i--)
        p += strlen(p) + 1;
    return p;
}

/* One physical line into r->line; 1, 0 at EOF, -1 on error (a read error, a NUL
 * byte, a line longer than CSV_MAX_LINE). A UTF-8 byte-order mark (EF BB BF) at the
 * start of the file is dropped, so the first field is named as written and starts
 * at column 1; columns count bytes after it. */
static int read_line(struct csv_reader *r, struct slsim_error *err)
{
    size_t len = 0, nul_at = 0;
    int eof = 0;
    r->ended_without_newline = 0;
    /* The file is read in blocks and each line found with memchr: a byte at a time
     * through getc cost more than all the parsing after it. */
    for (;;) {
        if (r->buf_pos == r->buf_len) {
            if (!r->buf && !(r->buf = malloc(CSV_BLOCK)))
                return slsim_error_set(err, r->path, (int)r->lineno + 1, 1, NULL,
                                       "out of memory reading a line");
            r->buf_len = fread(r->buf, 1, CSV_BLOCK, r->f);
            r->buf_pos = 0;
            if (r->buf_len == 0) {
                eof = 1;
                break;
            }
        }
        const char *seg = r->buf + r->buf_pos;
        const char *nl = memchr(seg, '\n', r->buf_len - r->buf_pos);
        size_t n = nl ? (size_t)(nl - seg) : r->buf_len - r->buf_pos;
        /* The line and a \r before its newline fit in CSV_MAX_LINE + 1 bytes. */
        if (len + n > CSV_MAX_LINE + 1 || (len + n == CSV_MAX_LINE + 1 && seg[n - 1] != '\r'))
            return slsim_error_set(err, r->path, (int)r->lineno + 1, 1, NULL,
                                   "line longer than %d bytes (%d MiB), the longest a trace "
                                   "line may be: is this a text trace?",
                                   CSV_MAX_LINE, CSV_MAX_LINE >> 20);
        if (len + n + 1 > r->cap) { /* with the final NUL: at most CSV_MAX_LINE + 2 */
            size_t want = r->cap ? 2 * r->cap : 256;
            while (want < len + n + 1)
                want *= 2;
            if (want > CSV_MAX_LINE + 2)
                want = CSV_MAX_LINE + 2;
            char *b = realloc(r->line, want);
            if (!b)
                return slsim_error_set(err, r->path, (int)r->lineno + 1, 1, NULL,
                                       "out of memory reading a line");
            r->line = b;
            r->cap = want;
        }
        memcpy(r->line + len, seg, n);
        const char *z = nul_at ? NULL : memchr(seg, '\0', n);
        if (z)
            nul_at = len + (size_t)(z - seg) + 1;
        len += n;
        r->buf_pos += n + (nl != NULL);
        r->pos += (long)(n + (nl != NULL));
        if (nl)
            break;
    }
    if (ferror(r->f))
        return slsim_error_set(err, r->path, (int)r->lineno + 1, 1, NULL,
                               "cannot read trace file: %s", strerror(errno));
    if (eof && len == 0)
        return 0;
    if (eof)
        r->ended_without_newline = 1;
    if (len && r->line[len - 1] == '\r')
        len--;
    r->line[len] = '\0';
    r->lineno++;
    size_t skip = 0;
    if (r->lineno == 1 && len >= 3 && memcmp(r->line, "\xEF\xBB\xBF", 3) == 0) {
        skip = 3;
        memmove(r->line, r->line + 3, len - 2); /* with the NUL */
        len -= 3;
    }
    if (nul_at)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)(nul_at - skip), NULL,
                               "a NUL byte in the line: a text trace has none (is the file "
                               "binary, or compressed?)");
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
            char *start = p, *comma = p;
            while (*comma && *comma != ',')
                comma++;
            size_t flen = (size_t)(comma - start);
            if (*comma)
                *comma = '\0';
            else
                comma = NULL;
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
