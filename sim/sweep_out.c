/* sweep_out.c - a sweep's rows written in point order, and an interrupted sweep's
 * file checked and continued.
 *
 * Rows reach FILE.partial a point at a time, each point in one write followed by a
 * flush, so an interruption leaves whole points and at most one partly written. On
 * --resume the file must begin with exactly the head this sweep would write (which
 * holds its hash and its columns); then its rows are read back, each checked whole,
 * and the last point kept only when all its rows are there. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sweep_out.h"

int sweep_out_init(struct sweep_out *w, FILE *fp, enum report_format fmt,
                   const struct report_sweep *r, size_t first, size_t end)
{
    memset(w, 0, sizeof *w);
    w->fp = fp;
    w->fmt = fmt;
    w->r = r;
    w->first = w->next = first;
    w->end = end;
    size_t n = end > first ? end - first : 1;
    w->pending = calloc(n, sizeof *w->pending);
    w->pending_len = calloc(n, sizeof *w->pending_len);
    w->failed = calloc(SWEEP_OUT_MAX_LISTED, sizeof *w->failed);
    w->failed_k = calloc(SWEEP_OUT_MAX_LISTED, sizeof *w->failed_k);
    if (!w->pending || !w->pending_len || !w->failed || !w->failed_k) {
        sweep_out_free(w);
        return -1;
    }
    pthread_mutex_init(&w->lock, NULL);
    return 0;
}

void sweep_out_free(struct sweep_out *w)
{
    size_t n = w->end > w->first ? w->end - w->first : 1;
    for (size_t i = 0; w->pending && i < n; i++)
        free(w->pending[i]);
    for (size_t i = 0; w->failed && i < SWEEP_OUT_MAX_LISTED; i++)
        free(w->failed[i]);
    if (w->pending)
        pthread_mutex_destroy(&w->lock);
    free(w->pending);
    free(w->pending_len);
    free(w->failed);
    free(w->failed_k);
    memset(w, 0, sizeof *w);
}

void sweep_out_error_text(const struct sweep *sw, size_t k, const struct slsim_error *err,
                          char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "point %zu (", k);
    for (size_t a = 0; a < sw->n_axes && used < n; a++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s=%s", a ? " " : "",
                                 sw->axes[a].key,
                                 sw->axes[a].values[sweep_value_index(sw, k, a)]);
    if (used < n) {
        char msg[1200];
        slsim_error_format(err, msg, sizeof msg);
        snprintf(buf + used, n - used, "): %s", msg);
    }
}

int sweep_out_format(const struct sweep_out *w, size_t k, const struct scenario *s,
                     const struct run_output *out, const struct slsim_error *err, char **rows,
                     size_t *len)
{
    *rows = NULL;
    *len = 0;
    FILE *mem = open_memstream(rows, len);
    if (!mem)
        return -1;
    int rc = report_sweep_point(mem, w->fmt, w->r, k, s, out, err);
    if (fclose(mem) != 0 || rc != 0) {
        free(*rows);
        *rows = NULL;
        return -1;
    }
    return 0;
}

void sweep_out_point_done(void *ctx, size_t k, const struct scenario *s,
                          const struct run_output *out, const struct slsim_error *err)
{
    struct sweep_out *w = ctx;
    char *rows;
    size_t len;
    char msg[1600];
    if (err)
        sweep_out_error_text(w->r->sw, k, err, msg, sizeof msg);
    if (sweep_out_format(w, k, s, out, err, &rows, &len) != 0)
        rows = NULL;
    sweep_out_put(w, k, rows, len, err ? msg : NULL);
}

void sweep_out_put(struct sweep_out *w, size_t k, char *rows, size_t len, const char *error)
{
    pthread_mutex_lock(&w->lock);
    if (error) {
        /* The list keeps the lowest points: they may arrive in any order. */
        size_t at = w->n_failed < SWEEP_OUT_MAX_LISTED ? w->n_failed : SWEEP_OUT_MAX_LISTED;
        while (at > 0 && w->failed_k[at - 1] > k)
            at--;
        if (at < SWEEP_OUT_MAX_LISTED) {
            free(w->failed[SWEEP_OUT_MAX_LISTED - 1]);
            memmove(&w->failed[at + 1], &w->failed[at],
                    (SWEEP_OUT_MAX_LISTED - 1 - at) * sizeof *w->failed);
            memmove(&w->failed_k[at + 1], &w->failed_k[at],
                    (SWEEP_OUT_MAX_LISTED - 1 - at) * sizeof *w->failed_k);
            size_t n = strlen(error) + 1;
            w->failed[at] = malloc(n);
            if (w->failed[at])
                memcpy(w->failed[at], error, n);
            w->failed_k[at] = k;
        }
        w->n_failed++;
    }
    if (k < w->first || k >= w->end) {
        free(rows);
        pthread_mutex_unlock(&w->lock);
        return;
    }
    if (w->progress)
        cli_progress_report(w->progress, k - w->first, 1.0, 1);
    w->pending[k - w->first] = rows;
    w->pending_len[k - w->first] = len;
    if (!rows)
        w->write_failed = 1; /* could not be formatted: the file would miss a point */
    while (w->next < w->end && w->pending[w->next - w->first]) {
        size_t i = w->next - w->first;
        if (!w->write_failed && fwrite(w->pending[i], 1, w->pending_len[i], w->fp) !=
                                    w->pending_len[i])
            w->write_failed = 1;
        if (w->copy && fwrite(w->pending[i], 1, w->pending_len[i], w->copy) != w->pending_len[i])
            w->write_failed = 1;
        free(w->pending[i]);
        w->pending[i] = NULL;
        w->next++;
        if (fflush(w->fp) != 0)
            w->write_failed = 1;
    }
    pthread_mutex_unlock(&w->lock);
}

/* ---- --resume ---- */

/* One row read back: its point, whether it is a failed point's, where it ends. */
struct row_seen {
    size_t point;
    int error;
    char message[1200]; /* a failed point's error, as its row holds it */
    long end; /* offset just after the row (CSV, JSON Lines: its newline; JSON: its '}') */
};

/* The last cell of a CSV line, unquoted, into out. */
static void csv_last_cell(const char *line, size_t len, char *out, size_t n)
{
    size_t start = 0;
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (line[i] == ',' && !quoted)
            start = i + 1;
    }
    size_t w = 0;
    int q = start < len && line[start] == '"';
    for (size_t i = start + q; i < len && w + 1 < n; i++) {
        if (q && line[i] == '"') {
            if (i + 1 < len && line[i + 1] == '"')
                i++;
            else
                break;
        }
        out[w++] = line[i];
    }
    out[w] = '\0';
}

/* Read a row from line (len bytes, without its newline, and in JSON without the comma
 * that follows a row; complete: it had a newline). 0 with *row filled, or -1 when it is
 * not a whole row. */
static int read_row(enum report_format fmt, char *line, size_t len, int complete,
                    struct row_seen *row)
{
    if (fmt == REPORT_CSV) {
        if (!complete || len == 0 || line[0] < '0' || line[0] > '9')
            return -1;
        char *end;
        errno = 0;
        unsigned long long k = strtoull(line, &end, 10);
        if (errno || *end != ',')
            return -1;
        row->point = (size_t)k;
        row->error = line[len - 1] != ','; /* a row's last cell, error, is empty when fine */
        if (row->error)
            csv_last_cell(line, len, row->message, sizeof row->message);
        return 0;
    }
    if (fmt == REPORT_JSONL && !complete)
        return -1;
    cJSON *o = cJSON_ParseWithLength(line, len);
    const cJSON *k = o ? cJSON_GetObjectItemCaseSensitive(o, "point") : NULL;
    int ok = cJSON_IsObject(o) && cJSON_IsNumber(k) && k->valuedouble >= 0;
    if (ok) {
        row->point = (size_t)k->valuedouble;
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
        row->error = e != NULL;
        if (cJSON_IsString(e))
            snprintf(row->message, sizeof row->message, "%s", e->valuestring);
    }
    cJSON_Delete(o);
    return ok ? 0 : -1;
}

static int resume_fail(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int resume_fail(const char *path, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "slsim sweep: %s: ", path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

int sweep_out_resume(const char *path, enum report_format fmt, const struct report_sweep *r,
                     const size_t *rows, size_t n_points, size_t *first, FILE **fp,
                     void (*failed)(void *ctx, size_t k, const char *error), void *failed_ctx)
{
    char *head = NULL;
    size_t head_len = 0;
    FILE *mem = open_memstream(&head, &head_len);
    if (!mem || report_sweep_head(mem, fmt, r) != 0 || fclose(mem) != 0) {
        free(head);
        return resume_fail(path, "out of memory");
    }
    FILE *f = fopen(path, "r+");
    if (!f) {
        free(head);
        return resume_fail(path, "cannot open it to resume: %s", strerror(errno));
    }
    /* The head: the same bytes, or another sweep's file. */
    char *got = malloc(head_len + 1);
    size_t n_got = got ? fread(got, 1, head_len, f) : 0;
    int same = got && n_got == head_len && memcmp(got, head, head_len) == 0;
    /* Cut inside the head itself: nothing of the sweep is there yet, start it anew. */
    int cut_head = got && n_got < head_len && memcmp(got, head, n_got) == 0;
    free(got);
    if (cut_head) {
        int bad = fseek(f, 0, SEEK_SET) != 0 || ftruncate(fileno(f), 0) != 0 ||
                  fwrite(head, 1, head_len, f) != head_len || fflush(f) != 0;
        free(head);
        if (bad) {
            fclose(f);
            return resume_fail(path, "cannot write: %s", strerror(errno));
        }
        *first = 0;
        *fp = f;
        return 0;
    }
    free(head);
    if (!same) {
        fclose(f);
        return resume_fail(path, "was not written by this sweep: its head differs from "
                                 "this sweep's (a hash of the scenario file, --vary, --set, "
                                 "--seed, --replications, --zip and --format, and the columns "
                                 "of this slsim); resume with the command line that started "
                                 "it, or start over with --force");
    }
    long keep = (long)head_len; /* the file is cut here: after the last complete point */
    size_t point = 0, seen = 0, line_no = 0;
    int point_error = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long at = (long)head_len;
    int rc = 0;
    /* JSON: the head ends "[" and each row starts on a line of its own */
    while ((len = getline(&line, &cap, f)) > 0) {
        line_no++;
        int complete = line[len - 1] == '\n';
        size_t n = (size_t)len - complete;
        line[n] = '\0';
        long line_start = at;
        at += len;
        if (fmt == REPORT_JSON && line_no == 1 && n == 0)
            continue; /* the newline after the head's "[" */
        struct row_seen row;
        if (fmt == REPORT_JSON && strcmp(line, "]}") == 0)
            break;
        /* JSON: a row line is "{...}" and then the next row's comma */
        if (fmt == REPORT_JSON && n && line[n - 1] == ',')
            line[--n] = '\0';
        if (read_row(fmt, line, n, complete, &row) != 0) {
            if (!complete)
                break; /* the last row, cut short: dropped with its point */
            rc = resume_fail(path, "line %zu after the head is not a row of this sweep", line_no);
            break;
        }
        row.end = fmt == REPORT_JSON ? line_start + (long)n : at;
        if (row.point != point) {
            /* A new point: the previous one must be whole. */
            if (row.point != point + 1 || !(seen == rows[point] || (seen == 1 && point_error))) {
                rc = resume_fail(path, "line %zu after the head: point %zu follows point %zu "
                                       "with %zu of its rows; the file is damaged",
                                 line_no, row.point, point, seen);
                break;
            }
            point = row.point;
            seen = 0;
        }
        if (point >= n_points) {
            rc = resume_fail(path, "holds point %zu; this sweep has %zu", point, n_points);
            break;
        }
        seen++;
        point_error = row.error;
        if (seen == rows[point] || (seen == 1 && point_error)) {
            keep = row.end;
            *first = point + 1;
            if (point_error && failed)
                failed(failed_ctx, point, row.message);
        }
    }
    free(line);
    if (keep == (long)head_len)
        *first = 0;
    if (rc == 0 && (fflush(f) != 0 || ftruncate(fileno(f), keep) != 0 ||
                    fseek(f, keep, SEEK_SET) != 0))
        rc = resume_fail(path, "cannot cut it after its last whole point: %s", strerror(errno));
    if (rc != 0) {
        fclose(f);
        return -1;
    }
    *fp = f;
    return 0;
}
