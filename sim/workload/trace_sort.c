/* trace_sort.c - external merge sort of an event trace by arrival time.
 *
 * Pass 1 reads the file with the readers' own row parsing (trace_rows.c), keeps
 * rows up to the memory budget, sorts them by (time, line) and writes each such
 * run to a temporary file as binary records (time, line, length, bytes). Pass 2
 * merges up to SORT_FANIN runs at a time through a small heap, in several rounds
 * if there are more (each round's output is a new run), and the last merge writes
 * the text. The line number as second key makes the order total, hence the sort
 * stable. If everything fits in one run, nothing goes to disk.
 *
 * The output goes to a temporary file beside out and is renamed over it only when
 * complete, so a failure (a bad row, a full disk) leaves out as it was. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slsim/containers.h"
#include "slsim/trace_sort.h"
#include "trace_counting.h"
#include "trace_rows.h"

#define SORT_FANIN 64

/* One row: where it goes, and where its text is. */
struct sort_rec {
    sim_time key_ns; /* arrival time */
    uint64_t line;   /* line in the input: orders equal times */
    size_t off;      /* offset of the text in the run's arena */
    uint32_t len;    /* bytes of text, without a newline */
};

/* How to get a row's arrival time. */
struct sort_keyer {
    const struct trace_format_ops *ops; /* the format's sort_begin and sort_key */
    struct trace_sort_key key;
    size_t width; /* fields in every row: the header's, else the first row's */
};

struct sort_state {
    const char *in;
    const char *out;
    struct slsim_error *err;
    struct csv_reader csv;
    char *header;              /* the header line, owned; NULL if none */
    size_t memory_bytes;
    struct sort_rec *recs;     /* the run being filled */
    size_t n, cap;
    char *arena;               /* the text of its rows */
    size_t arena_len, arena_cap;
    char tmpl[TRACE_PATH_MAX]; /* mkstemp template for runs */
    char **runs;               /* paths of the runs on disk, owned */
    size_t n_runs, cap_runs;
    struct trace_sort_stats st;
};

/* csv_next splits the line in place: commas become NULs, and a quoted field loses
 * its closing quote (a NUL) and its opening one (the field starts one later).
 * Put the line back as it was read and return its length. */
static size_t restore_line(struct csv_reader *r)
{
    for (size_t i = 0; i < r->n; i++) {
        char *start = r->line + r->col[i] - 1;
        if (r->field[i] != start)
            r->field[i][strlen(r->field[i])] = '"';
        if (i + 1 < r->n)
            r->line[r->col[i + 1] - 2] = ',';
    }
    return strlen(r->line);
}

static int row_key(const struct sort_keyer *k, const struct csv_reader *r, sim_time *key,
                   struct slsim_error *err)
{
    /* The readers refuse a row of another width; so does the sort. */
    if (trace_row_width(r, k->width, err))
        return -1;
    return k->ops->sort_key(&k->key, r, key, err);
}

static int rec_cmp(const void *a, const void *b)
{
    const struct sort_rec *x = a, *y = b;
    if (x->key_ns != y->key_ns)
        return x->key_ns < y->key_ns ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int io_error(struct sort_state *s, const char *path, const char *what)
{
    return slsim_error_set(s->err, path, 0, 0, NULL, "%s: %s", what, strerror(errno));
}

static int oom(struct sort_state *s)
{
    return slsim_error_set(s->err, s->in, 0, 0, NULL, "out of memory while sorting");
}

/* ---- run files: records of (key, line, len, bytes) ----------------------------- */

struct run_cursor {
    FILE *f;
    struct sort_rec rec; /* the current record; its text in buf */
    char *buf;
    size_t cap;
    const char *path;
};

static int rec_write(FILE *f, const struct sort_rec *r, const char *text)
{
    return fwrite(&r->key_ns, sizeof r->key_ns, 1, f) == 1 &&
                   fwrite(&r->line, sizeof r->line, 1, f) == 1 &&
                   fwrite(&r->len, sizeof r->len, 1, f) == 1 &&
                   fwrite(text, 1, r->len, f) == r->len
               ? 0
               : -1;
}

/* The next record of c: 1, 0 at the end, -1 on a read error. */
static int cursor_next(struct run_cursor *c)
{
    if (fread(&c->rec.key_ns, sizeof c->rec.key_ns, 1, c->f) != 1)
        return ferror(c->f) ? -1 : 0;
    if (fread(&c->rec.line, sizeof c->rec.line, 1, c->f) != 1 ||
        fread(&c->rec.len, sizeof c->rec.len, 1, c->f) != 1)
        return -1;
    if (c->rec.len + 1 > c->cap) {
        char *b = realloc(c->buf, c->rec.len + 1);
        if (!b)
            return -1;
        c->buf = b;
        c->cap = c->rec.len + 1;
    }
    if (fread(c->buf, 1, c->rec.len, c->f) != c->rec.len)
        return -1;
    return 1;
}

/* A new empty run file; its path is added to s->runs. NULL with err. */
static FILE *run_create(struct sort_state *s)
{
    if (s->n_runs == s->cap_runs &&
        vec_grow((void **)&s->runs, &s->cap_runs, sizeof *s->runs, 16)) {
        oom(s);
        return NULL;
    }
    char *path = strdup(s->tmpl);
    if (!path) {
        oom(s);
        return NULL;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        io_error(s, s->tmpl, "cannot create a temporary file for the sort");
        free(path);
        return NULL;
    }
    s->runs[s->n_runs++] = path;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        io_error(s, path, "cannot write a temporary file");
    }
    return f;
}

/* Write a sorted record set to out as text: header, then one line per record. */
static int write_text_line(FILE *f, const char *text, size_t len)
{
    return (fwrite(text, 1, len, f) == len && putc('\n', f) != EOF) ? 0 : -1;
}

/* Sort the rows in memory and write them as a run (or, final, as the output). */
static int flush_run(struct sort_state *s, FILE *final_out)
{
    qsort(s->recs, s->n, sizeof *s->recs, rec_cmp);
    if (final_out) {
        for (size_t i = 0; i < s->n; i++)
            if (write_text_line(final_out, s->arena + s->recs[i].off, s->recs[i].len))
                return io_error(s, s->out, "cannot write the sorted trace");
        s->st.rows += s->n;
        s->n = s->arena_len = 0;
        return 0;
    }
    FILE *f = run_create(s);
    if (!f)
        return -1;
    int bad = 0;
    for (size_t i = 0; i < s->n && !bad; i++)
        bad = rec_write(f, &s->recs[i], s->arena + s->recs[i].off);
    if (fclose(f) != 0 || bad)
        return io_error(s, s->runs[s->n_runs - 1], "cannot write a temporary file");
    s->st.runs++;
    s->n = s->arena_len = 0;
    return 0;
}

/* Keep the current row (already restored) in the run; flush first if full. */
static int add_row(struct sort_state *s, sim_time key, size_t len)
{
    size_t need = sizeof(struct sort_rec) + len;
    size_t used = s->n * sizeof(struct sort_rec) + s->arena_len;
    if (len > UINT32_MAX)
        return slsim_error_set(s->err, s->in, (int)s->csv.lineno, 1, NULL, "line too long");
    if (s->n > 0 && used + need > s->memory_bytes && flush_run(s, NULL))
        return -1;
    if (s->n == s->cap && vec_grow((void **)&s->recs, &s->cap, sizeof *s->recs, 256))
        return oom(s);
    while (s->arena_len + len > s->arena_cap)
        if (vec_grow((void **)&s->arena, &s->arena_cap, 1, 4096))
            return oom(s);
    memcpy(s->arena + s->arena_len, s->csv.line, len);
    s->recs[s->n++] = (struct sort_rec){key, s->csv.lineno, s->arena_len, (uint32_t)len};
    s->arena_len += len;
    return 0;
}

/* Cursors in the order of their current records: (key, line), as in a run. */
static inline int cursor_before(struct run_cursor *const *a, struct run_cursor *const *b)
{
    return rec_cmp(&(*a)->rec, &(*b)->rec) < 0;
}

HEAPQ_DEFINE(cursor_heap, struct run_cursor *, cursor_before)

/* Merge runs [0, k) into out: the output text (as_text) or a new run. */
static int merge_runs(struct sort_state *s, size_t k, FILE *out, int as_text)
{
    struct run_cursor *cur = calloc(k, sizeof *cur);
    struct run_cursor **heap = calloc(k, sizeof *heap);
    size_t n = 0;
    int rc = -1;
    if (!cur || !heap) {
        oom(s);
        goto done;
    }
    for (size_t i = 0; i < k; i++) {
        cur[i].path = s->runs[i];
        cur[i].f = fopen(s->runs[i], "rb");
        if (!cur[i].f) {
            io_error(s, s->runs[i], "cannot read a temporary file");
            goto done;
        }
        int got = cursor_next(&cur[i]);
        if (got < 0) {
            io_error(s, s->runs[i], "cannot read a temporary file");
            goto done;
        }
        if (got)
            heap[n++] = &cur[i];
    }
    for (size_t i = n / 2; i-- > 0;)
        cursor_heap_down_from(heap, n, i, heap[i]);
    while (n > 0) {
        struct run_cursor *c = heap[0];
        if (as_text) {
            if (write_text_line(out, c->buf, c->rec.len)) {
                io_error(s, s->out, "cannot write the sorted trace");
                goto done;
            }
            s->st.rows++;
        } else if (rec_write(out, &c->rec, c->buf)) {
            io_error(s, s->runs[s->n_runs - 1], "cannot write a temporary file");
            goto done;
        }
        int got = cursor_next(c);
        if (got < 0) {
            io_error(s, c->path, "cannot read a temporary file");
            goto done;
        }
        if (got)
            cursor_heap_down(heap, n, c);
        else
            cursor_heap_pop(heap, &n);
    }
    rc = 0;
done:
    for (size_t i = 0; cur && i < k; i++) {
        if (cur[i].f)
            fclose(cur[i].f);
        free(cur[i].buf);
    }
    free(cur);
    free(heap);
    return rc;
}

/* Remove runs [0, k) from disk and from the list. */
static void drop_runs(struct sort_state *s, size_t k)
{
    if (k == 0)
        return;
    for (size_t i = 0; i < k; i++) {
        unlink(s->runs[i]);
        free(s->runs[i]);
    }
    memmove(s->runs, s->runs + k, (s->n_runs - k) * sizeof *s->runs);
    s->n_runs -= k;
}

/* Merge rounds until at most SORT_FANIN runs are left. */
static int reduce_runs(struct sort_state *s)
{
    while (s->n_runs > SORT_FANIN) {
        FILE *f = run_create(s);
        if (!f)
            return -1;
        int rc = merge_runs(s, SORT_FANIN, f, 0);
        if (fclose(f) != 0 && rc == 0)
            rc = io_error(s, s->runs[s->n_runs - 1], "cannot write a temporary file");
        if (rc)
            return -1;
        drop_runs(s, SORT_FANIN);
    }
    return 0;
}

/* Read the header (if any) and set up the keyer. 0, or -1 with err. */
static int read_header(struct sort_state *s, const struct trace_spec *spec,
                       struct sort_keyer *k)
{
    k->ops = trace_format_row(spec->format)->ops;
    k->width = 0;
    if (trace_has_header(spec)) {
        int rc = csv_next(&s->csv, s->err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return slsim_error_set(s->err, s->in, 1, 1, NULL,
                                   "empty file: expected a header line");
        if (k->ops->sort_begin(spec, &s->csv, s->in, &k->key, s->err) ||
            csv_keep_header(&s->csv, s->err))
            return -1;
        k->width = s->csv.n;
        size_t len = restore_line(&s->csv);
        s->header = malloc(len + 1);
        if (!s->header)
            return oom(s);
        memcpy(s->header, s->csv.line, len + 1);
        return 0;
    }
    return k->ops->sort_begin(spec, NULL, s->in, &k->key, s->err);
}

/* The output file beside out: path in tmp (size TRACE_PATH_MAX + 16). */
static FILE *create_output(struct sort_state *s, char *tmp, mode_t mode)
{
    snprintf(tmp, TRACE_PATH_MAX + 16, "%s.tmp-XXXXXX", s->out);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        io_error(s, s->out, "cannot create a file beside it");
        tmp[0] = '\0';
        return NULL;
    }
    /* mkstemp makes the file 0600; the sorted trace is as shared as the input. */
    fchmod(fd, mode & 0777);
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        io_error(s, s->out, "cannot write");
    }
    return f;
}

int trace_sort_file(const char *in, const char *out, const struct trace_spec *spec,
                    const char *tmpdir, size_t memory_bytes, struct trace_sort_stats *stats,
                    struct slsim_error *err)
{
    char names[200];
    if (!(trace_format_props(spec->format) & TRACE_FORMAT_SORTABLE))
        return slsim_error_set(err, in, 0, 0, NULL,
                               "only %s traces can be sorted; %s traces count requests per "
                               "interval",
                               trace_format_list(TRACE_FORMAT_SORTABLE, "", " and ", names,
                                                 sizeof names),
                               trace_format_name(spec->format));
    if (strlen(out) >= TRACE_PATH_MAX)
        return slsim_error_set(err, out, 0, 0, NULL, "path too long");
    /* The sorted trace is renamed over out: over a device or a pipe (/dev/null) that
     * would put a plain file in its place. */
    struct stat out_st;
    if (stat(out, &out_st) == 0 && !S_ISREG(out_st.st_mode))
        return slsim_error_set(err, out, 0, 0, NULL,
                               "is no plain file; the sorted trace is written beside it and "
                               "renamed into place: name a file");
    struct sort_state s = {.in = in, .out = out, .err = err, .memory_bytes = memory_bytes};
    struct sort_keyer k;
    char tmp_out[TRACE_PATH_MAX + 16] = "";
    FILE *fout = NULL;
    int rc = -1;

    if (tmpdir) {
        snprintf(s.tmpl, sizeof s.tmpl, "%s/slsim-sort-XXXXXX", tmpdir);
    } else {
        const char *slash = strrchr(out, '/');
        if (slash)
            snprintf(s.tmpl, sizeof s.tmpl, "%.*s/slsim-sort-XXXXXX", (int)(slash - out), out);
        else
            snprintf(s.tmpl, sizeof s.tmpl, "slsim-sort-XXXXXX");
    }
    if (csv_open(&s.csv, in, err))
        goto done;
    struct stat st;
    mode_t mode = fstat(fileno(s.csv.f), &st) == 0 ? st.st_mode : 0644;
    if (read_header(&s, spec, &k))
        goto done;

    int first = 1;
    sim_time prev = 0, latest = 0;
    for (;;) {
        int got = csv_next(&s.csv, err);
        if (got < 0)
            goto done;
        if (got == 0)
            break;
        sim_time key;
        if (!k.width)
            k.width = s.csv.n;
        if (row_key(&k, &s.csv, &key, err)) {
            if (!spec->skip_bad) {
                trace_row_note_truncated(&s.csv, err);
                goto done;
            }
            s.st.skipped++;
            continue;
        }
        if (!first && key < prev)
            s.st.out_of_order++;
        if (!first && latest - key > s.st.max_lateness_ns)
            s.st.max_lateness_ns = latest - key;
        if (first || key > latest)
            latest = key;
        prev = key;
        first = 0;
        if (add_row(&s, key, restore_line(&s.csv)))
            goto done;
    }

    fout = create_output(&s, tmp_out, mode);
    if (!fout)
        goto done;
    if (s.header && write_text_line(fout, s.header, strlen(s.header))) {
        io_error(&s, out, "cannot write the sorted trace");
        goto done;
    }
    if (s.n_runs == 0) {
        if (flush_run(&s, fout))
            goto done;
    } else {
        if ((s.n > 0 && flush_run(&s, NULL)) || reduce_runs(&s) ||
            merge_runs(&s, s.n_runs, fout, 1))
            goto done;
    }
    FILE *f = fout;
    fout = NULL;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        io_error(&s, out, "cannot write the sorted trace");
        fclose(f);
        goto done;
    }
    if (fclose(f) != 0) {
        io_error(&s, out, "cannot write the sorted trace");
        goto done;
    }
    if (rename(tmp_out, out) != 0) {
        io_error(&s, out, "cannot replace");
        goto done;
    }
    tmp_out[0] = '\0';
    if (stats)
        *stats = s.st;
    rc = 0;
done:
    if (fout)
        fclose(fout);
    if (tmp_out[0])
        unlink(tmp_out);
    drop_runs(&s, s.n_runs);
    free(s.runs);
    free(s.recs);
    free(s.arena);
    free(s.header);
    csv_close(&s.csv);
    return rc;
}
