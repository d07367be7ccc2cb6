/* html.c - the shareable report page: parts appended to a body in memory, then the
 * page (head, one inline style sheet, body) written whole.
 *
 * The page is self-contained by construction: no <script>, no <link>, no @import,
 * no url() in the style sheet, and pictures inline as SVG, checked to refer only to
 * themselves. It is also well-formed XML (every element closed, only the five XML
 * escapes), so XML tools read it as well as browsers do. Only HTML 4 elements are used
 * apart from <figure>, <figcaption> and the SVG itself, which is what an old HTML 4
 * parser (libxml2's) does not know. */
#include "html.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct html_doc {
    char *title;        /* owned */
    char *body;         /* the parts so far, owned */
    size_t len, cap;    /* bytes used and allocated in body */
    unsigned figures;   /* pictures added: their id prefix */
    int failed;         /* a part could not be added */
    char why[160];      /* the first reason */
};

/* Remember the first failure; always -1. */
static int doc_fail(struct html_doc *d, const char *why)
{
    if (!d->failed)
        snprintf(d->why, sizeof d->why, "%s", why);
    d->failed = 1;
    return -1;
}

static int add_n(struct html_doc *d, const char *s, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 4096;
        while (cap < d->len + n + 1)
            cap *= 2;
        char *p = realloc(d->body, cap);
        if (!p)
            return doc_fail(d, "out of memory");
        d->body = p;
        d->cap = cap;
    }
    memcpy(d->body + d->len, s, n);
    d->len += n;
    d->body[d->len] = '\0';
    return 0;
}

static int add(struct html_doc *d, const char *s)
{
    return add_n(d, s, strlen(s));
}

/* s[0..n) with & < > " escaped, the only characters text or an attribute value
 * cannot hold as they are. */
static int add_esc_n(struct html_doc *d, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;"
                      : s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;" : NULL;
        if (!e)
            continue;
        if (add_n(d, s + run, i - run) != 0 || add(d, e) != 0)
            return -1;
        run = i + 1;
    }
    return add_n(d, s + run, n - run);
}

static int add_esc(struct html_doc *d, const char *s)
{
    return add_esc_n(d, s ? s : "", s ? strlen(s) : 0);
}

/* open, escaped text, close. */
static int add_element(struct html_doc *d, const char *open, const char *text, const char *close)
{
    if (add(d, open) != 0 || add_esc(d, text) != 0 || add(d, close) != 0)
        return -1;
    return 0;
}

struct html_doc *html_new(const char *title)
{
    struct html_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->title = strdup(title ? title : "slsim report");
    if (!d->title) {
        free(d);
        return NULL;
    }
    return d;
}

void html_free(struct html_doc *d)
{
    if (!d)
        return;
    free(d->title);
    free(d->body);
    free(d);
}

int html_heading(struct html_doc *d, int level, const char *text)
{
    level = level < 2 ? 2 : level > 6 ? 6 : level;
    char open[8], close[8];
    snprintf(open, sizeof open, "<h%d>", level);
    snprintf(close, sizeof close, "</h%d>\n", level);
    return add_element(d, open, text, close);
}

int html_paragraph(struct html_doc *d, const char *text)
{
    return add_element(d, "<p>", text, "</p>\n");
}

int html_pre(struct html_doc *d, const char *text)
{
    return add_element(d, "<pre>", text, "</pre>\n");
}

int html_facts(struct html_doc *d, const char *const *keys, const char *const *values, size_t n)
{
    if (add(d, "<table class=\"facts\"><tbody>\n") != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (add_element(d, "<tr><th scope=\"row\">", keys[i], "</th>") != 0 ||
            add_element(d, "<td>", values[i], "</td></tr>\n") != 0)
            return -1;
    return add(d, "</tbody></table>\n");
}

/* ---- CSV ---- */

/* One cell: [start, start+len) of the CSV text, quoted or not. */
struct csv_cell {
    const char *start;
    size_t len;
    int quoted;     /* "" inside stands for one quote */
};

struct csv {
    struct csv_cell *cells;   /* row-major, ncols per row; owned */
    size_t ncols, nrows;      /* nrows counts the header */
    size_t cap;
};

/* Split text into rows of cells. Each row is as long as the header: a short row is
 * padded with empty cells, a long one cut (slsim writes neither). 0, -1 out of memory,
 * or -2 no header. */
static int csv_parse(const char *text, struct csv *c)
{
    memset(c, 0, sizeof *c);
    const char *p = text;
    size_t row_cells = 0;
    while (*p) {
        if (row_cells == 0 && *p == '#') {
            p += strcspn(p, "\n");
            if (*p)
                p++;
            continue;
        }
        if (row_cells == 0 && (*p == '\n' || (*p == '\r' && p[1] == '\n'))) {
            p += *p == '\r' ? 2 : 1;   /* a blank line is no row */
            continue;
        }
        struct csv_cell cell = {p, 0, 0};
        if (*p == '"') {
            cell.quoted = 1;
            cell.start = ++p;
            while (*p && !(*p == '"' && p[1] != '"'))
                p += *p == '"' ? 2 : 1;
            cell.len = (size_t)(p - cell.start);
            if (*p == '"')
                p++;
            p += strcspn(p, ",\r\n");   /* anything after the closing quote is dropped */
        } else {
            cell.len = strcspn(p, ",\r\n");
            p += cell.len;
        }
        int row_ends = *p != ',';
        if (*p == ',')
            p++;
        else if (*p == '\r')
            p += p[1] == '\n' ? 2 : 1;
        else if (*p == '\n')
            p++;
        if (c->nrows == 0 || row_cells < c->ncols) {
            size_t n = c->nrows * c->ncols + row_cells;
            if (n + 1 > c->cap) {
                size_t cap = c->cap ? 2 * c->cap : 256;
                struct csv_cell *q = realloc(c->cells, cap * sizeof *q);
                if (!q)
                    return -1;
                c->cells = q;
                c->cap = cap;
            }
            c->cells[n] = cell;
        }
        row_cells++;
        if (row_ends) {
            if (c->nrows == 0) {
                c->ncols = row_cells;
            } else {
                size_t need = (c->nrows + 1) * c->ncols;
                if (need > c->cap) {
                    struct csv_cell *q = realloc(c->cells, need * sizeof *q);
                    if (!q)
                        return -1;
                    c->cells = q;
                    c->cap = need;
                }
                for (size_t k = row_cells; k < c->ncols; k++)
                    c->cells[c->nrows * c->ncols + k] = (struct csv_cell){"", 0, 0};
            }
            c->nrows++;
            row_cells = 0;
        }
    }
    return c->nrows > 0 && c->ncols > 0 ? 0 : -2;
}

/* 1 when the cell reads whole as a number (strtod's grammar), so it is aligned right. */
static int cell_is_number(const struct csv_cell *c)
{
    if (c->len == 0 || c->len >= 64)
        return 0;
    char buf[64];
    memcpy(buf, c->start, c->len);
    buf[c->len] = '\0';
    if (isspace((unsigned char)buf[0]))
        return 0;
    char *end;
    strtod(buf, &end);
    return end != buf && *end == '\0';
}

/* One cell as <th> or <td>, its "" pairs read as one quote. */
static int add_cell(struct html_doc *d, const struct csv_cell *c, int header, int row_header)
{
    const char *open = header ? "<th scope=\"col\">"
                     : row_header ? "<th scope=\"row\">"
                     : cell_is_number(c) ? "<td class=\"num\">" : "<td>";
    if (add(d, open) != 0)
        return -1;
    size_t run = 0;
    for (size_t i = 0; c->quoted && i + 1 < c->len; i++)
        if (c->start[i] == '"' && c->start[i + 1] == '"') {
            if (add_esc_n(d, c->start + run, i + 1 - run) != 0)
                return -1;
            run = ++i + 1;
        }
    if (add_esc_n(d, c->start + run, c->len - run) != 0)
        return -1;
    return add(d, header || row_header ? "</th>" : "</td>");
}

/* 1 when header cell h is named name. */
static int cell_is(const struct csv_cell *h, const char *name)
{
    return !h->quoted && strlen(name) == h->len && strncmp(h->start, name, h->len) == 0;
}

/* Keep the columns of c that keep[0..n) names, and every column before the one named
 * before (NULL: none), in their order. */
static void csv_keep(struct csv *c, const char *const *keep, size_t n, const char *before)
{
    size_t kept = 0, cut = c->ncols;
    for (size_t k = 0; before && k < c->ncols; k++)
        if (cell_is(&c->cells[k], before)) {
            cut = k;
            break;
        }
    unsigned char *on = calloc(c->ncols ? c->ncols : 1, 1);
    if (!on)
        return;
    for (size_t k = 0; k < c->ncols; k++) {
        on[k] = before && k < cut;
        for (size_t i = 0; i < n && !on[k]; i++)
            on[k] = cell_is(&c->cells[k], keep[i]);
    }
    for (size_t r = 0; r < c->nrows; r++)
        for (size_t k = 0; k < c->ncols; k++)
            if (on[k])
                c->cells[kept++] = c->cells[r * c->ncols + k];
    size_t ncols = 0;
    for (size_t k = 0; k < c->ncols; k++)
        ncols += on[k];
    c->ncols = ncols;
    free(on);
}

int html_csv_table(struct html_doc *d, const char *csv_text)
{
    return html_csv_table_some(d, csv_text, NULL, 0, NULL);
}

int html_csv_table_some(struct html_doc *d, const char *csv_text, const char *const *keep,
                        size_t n_keep, const char *before)
{
    struct csv c;
    int parsed = csv_parse(csv_text ? csv_text : "", &c);
    if (parsed != 0) {
        free(c.cells);
        return doc_fail(d, parsed == -2 ? "a table without a header row" : "out of memory");
    }
    if (keep)
        csv_keep(&c, keep, n_keep, before);
    /* A report of a few rows and many columns reads (and prints) better turned: one
     * line per column, its name first. */
    int turned = c.nrows <= 5 && c.ncols > 8;
    int rc = add(d, "<div class=\"wide\"><table class=\"data\">\n<thead><tr>");
    if (rc == 0 && turned) {
        rc = add(d, "<th scope=\"col\">field</th>");
        /* each row's column headed by its deployment (and tier), where the CSV has one */
        size_t dep = c.ncols, tier = c.ncols;
        for (size_t k = 0; k < c.ncols; k++) {
            if (cell_is(&c.cells[k], "deployment"))
                dep = k;
            if (cell_is(&c.cells[k], "tier"))
                tier = k;
        }
        for (size_t r = 1; rc == 0 && r < c.nrows; r++) {
            char label[256];
            if (dep < c.ncols) {
                const struct csv_cell *a = &c.cells[r * c.ncols + dep];
                const struct csv_cell *t = tier < c.ncols ? &c.cells[r * c.ncols + tier] : NULL;
                snprintf(label, sizeof label, "%.*s%s%.*s%s", (int)a->len, a->start,
                         t && t->len ? " (" : "", t ? (int)t->len : 0, t ? t->start : "",
                         t && t->len ? ")" : "");
            } else {
                snprintf(label, sizeof label, "row %zu", r);
            }
            rc = add_element(d, "<th scope=\"col\">", label, "</th>");
        }
        rc = rc ? rc : add(d, "</tr></thead>\n<tbody>\n");
        for (size_t k = 0; rc == 0 && k < c.ncols; k++) {
            rc = add(d, "<tr>");
            for (size_t r = 0; rc == 0 && r < c.nrows; r++)
                rc = add_cell(d, &c.cells[r * c.ncols + k], 0, r == 0);
            rc = rc ? rc : add(d, "</tr>\n");
        }
    } else if (rc == 0) {
        for (size_t k = 0; rc == 0 && k < c.ncols; k++)
            rc = add_cell(d, &c.cells[k], 1, 0);
        rc = rc ? rc : add(d, "</tr></thead>\n<tbody>\n");
        for (size_t r = 1; rc == 0 && r < c.nrows; r++) {
            rc = add(d, "<tr>");
            for (size_t k = 0; rc == 0 && k < c.ncols; k++)
                rc = add_cell(d, &c.cells[r * c.ncols + k], 0, 0);
            rc = rc ? rc : add(d, "</tr>\n");
        }
    }
    free(c.cells);
    return rc ? rc : add(d, "</tbody></table></div>\n");
}

/* ---- SVG ---- */

/* s[0..n) starts with the ASCII word w, in any case. */
static int starts_with_ci(const char *s, const char *end, const char *w)
{
    for (; *w; s++, w++)
        if (s >= end || tolower((unsigned char)*s) != *w)
            return 0;
    return 1;
}

/* Why the picture s..end would not be self-contained, or NULL: a script, an @import,
 * or a url() that is not to one of its own ids or a data: URI. (href and src are
 * checked attribute by attribute, in svg_add_tag.) */
static const char *svg_outside(const char *s, const char *end)
{
    for (const char *p = s; p < end; p++) {
        if (*p == '<' && starts_with_ci(p + 1, end, "script"))
            return "a picture with a script";
        if (*p == '@' && starts_with_ci(p + 1, end, "import"))
            return "a picture that imports a style sheet";
        if ((*p == 'u' || *p == 'U') && starts_with_ci(p, end, "url(")) {
            const char *q = p + 4;
            q += q < end && (*q == '\'' || *q == '"');
            if (!(q < end && *q == '#') && !starts_with_ci(q, end, "data:"))
                return "a picture that refers to a file or address outside itself";
        }
    }
    return NULL;
}

/* value[0..n) copied with every url(#ID) made url(#PREFIX-ID). */
static int add_value(struct html_doc *d, const char *v, size_t n, const char *prefix)
{
    size_t run = 0;
    for (size_t i = 0; i + 4 <= n; i++) {
        if (!starts_with_ci(v + i, v + n, "url("))
            continue;
        size_t h = i + 4 + (i + 4 < n && (v[i + 4] == '\'' || v[i + 4] == '"'));
        if (h < n && v[h] == '#') {
            if (add_n(d, v + run, h + 1 - run) != 0 || add(d, prefix) != 0)
                return -1;
            run = h + 1;
        }
    }
    return add_n(d, v + run, n - run);
}

/* What rewriting one picture remembers: its id prefix and the ids seen so far. */
struct svg_ids {
    char prefix[32];        /* "figN-" */
    const char **id;        /* into the picture's text; owned array */
    size_t *id_len;
    size_t n, cap;
};

/* How many times the id v[0..n) was seen before in this picture; it is then counted.
 * -1 out of memory. */
static long svg_id_seen(struct svg_ids *ids, const char *v, size_t n)
{
    long seen = 0;
    for (size_t i = 0; i < ids->n; i++)
        seen += ids->id_len[i] == n && memcmp(ids->id[i], v, n) == 0;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? 2 * ids->cap : 64;
        const char **a = realloc(ids->id, cap * sizeof *a);
        if (a)
            ids->id = a;
        size_t *b = realloc(ids->id_len, cap * sizeof *b);
        if (b)
            ids->id_len = b;
        if (!a || !b)
            return -1;
        ids->cap = cap;
    }
    ids->id[ids->n] = v;
    ids->id_len[ids->n++] = n;
    return seen;
}

/* The start tag at *pp (just past its '<'), rebuilt into d: ids prefixed (and an id
 * given twice, as gnuplot's multiplot does, made unique with -2, -3...: a reference
 * meant the first), #references prefixed too, and on the root (root set) width and
 * height taken off, a viewBox made of them when there is none. *pp is left past the
 * tag's '>'. 0, or -1 with d failed. */
static int svg_add_tag(struct html_doc *d, const char **pp, const char *end, struct svg_ids *ids,
                       int root)
{
    const char *prefix = ids->prefix;
    const char *p = *pp;
    size_t name_len = strcspn(p, " \t\r\n/>");
    if (add(d, "<") != 0 || add_n(d, p, name_len) != 0)
        return -1;
    p += name_len;
    const char *w = NULL, *h = NULL;   /* the root's width and height values */
    size_t w_len = 0, h_len = 0;
    int has_viewbox = 0;
    for (;;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p < end && (*p == '>' || (*p == '/' && p + 1 < end && p[1] == '>')))
            break;
        const char *name = p;
        while (p < end && *p != '=' && *p != '>' && !isspace((unsigned char)*p))
            p++;
        size_t nlen = (size_t)(p - name);
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (nlen == 0 || p >= end || *p != '=')
            return doc_fail(d, "a picture that is not well-formed SVG");
        p++;
        while (p < end && isspace((unsigned char)*p))
            p++;
        char q = p < end ? *p : 0;
        const char *close = (q == '"' || q == '\'') ? memchr(p + 1, q, (size_t)(end - p - 1)) : NULL;
        if (!close)
            return doc_fail(d, "a picture that is not well-formed SVG");
        const char *v = p + 1;
        size_t vlen = (size_t)(close - v);
        p = close + 1;
#define IS(s) (nlen == strlen(s) && memcmp(name, s, nlen) == 0)
        if (root && IS("width")) {
            w = v, w_len = vlen;
            continue;
        }
        if (root && IS("height")) {
            h = v, h_len = vlen;
            continue;
        }
        has_viewbox |= IS("viewBox");
        int is_ref = IS("href") || IS("xlink:href") || IS("src");
#undef IS
        if (is_ref && !(vlen > 0 && v[0] == '#') && !starts_with_ci(v, close, "data:"))
            return doc_fail(d, "a picture that refers to a file or address outside itself");
        char qs[2] = {q, 0};
        if (add(d, " ") != 0 || add_n(d, name, nlen) != 0 || add(d, "=") != 0 || add(d, qs) != 0)
            return -1;
        int is_id = nlen == 2 && memcmp(name, "id", 2) == 0;
        long seen = is_id ? svg_id_seen(ids, v, vlen) : 0;
        char again[24] = "";
        if (seen < 0)
            return doc_fail(d, "out of memory");
        if (seen > 0)
            snprintf(again, sizeof again, "-%ld", seen + 1);
        if (is_id || (is_ref && v[0] == '#')) {
            if (add_n(d, v, (size_t)is_ref) != 0 || add(d, prefix) != 0 ||
                add_n(d, v + is_ref, vlen - (size_t)is_ref) != 0 || add(d, again) != 0)
                return -1;
        } else if (add_value(d, v, vlen, prefix) != 0) {
            return -1;
        }
        if (add(d, qs) != 0)
            return -1;
    }
    if (root && (w || h)) {
        /* Without width and height the picture takes the page's width (the style sheet
         * says so) and its viewBox keeps the shape; with no viewBox, one is made from
         * plain numbers (px), else the size stays as given. */
        char *we, *he;
        char wb[32] = "", hb[32] = "";
        if (w && h && w_len < sizeof wb && h_len < sizeof hb) {
            memcpy(wb, w, w_len);
            memcpy(hb, h, h_len);
        }
        double wv = strtod(wb, &we), hv = strtod(hb, &he);
        int plain = we != wb && he != hb && (!*we || !strcmp(we, "px")) &&
                    (!*he || !strcmp(he, "px")) && wv > 0 && hv > 0;
        char extra[96];
        if (has_viewbox)
            extra[0] = '\0';
        else if (plain)
            snprintf(extra, sizeof extra, " viewBox=\"0 0 %g %g\"", wv, hv);
        else
            snprintf(extra, sizeof extra, "%s%.*s%s%s%.*s%s", w ? " width=\"" : "", (int)w_len,
                     w ? w : "", w ? "\"" : "", h ? " height=\"" : "", (int)h_len, h ? h : "",
                     h ? "\"" : "");
        if (add(d, extra) != 0)
            return -1;
    }
    size_t tail = *p == '/' ? 2 : 1;
    if (add_n(d, p, tail) != 0)
        return -1;
    *pp = p + tail;
    return 0;
}

int html_svg(struct html_doc *d, const char *svg_text, const char *caption)
{
    const char *s = svg_text ? svg_text : "";
    const char *start = s;
    while ((start = strstr(start, "<svg")) && !strchr(" \t\r\n>", start[4]))
        start += 4;
    const char *end = NULL;
    for (const char *e = start ? strstr(start, "</svg>") : NULL; e; e = strstr(e + 1, "</svg>"))
        end = e + strlen("</svg>");
    if (!start || !end)
        return doc_fail(d, "a picture that is not an SVG");
    const char *why = svg_outside(start, end);
    if (why)
        return doc_fail(d, why);

    size_t mark = d->len;
    struct svg_ids ids = {.n = 0};
    snprintf(ids.prefix, sizeof ids.prefix, "fig%u-", ++d->figures);
    int rc = add(d, "<figure>\n");
    for (const char *p = start; rc == 0 && p < end;) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        rc = add_n(d, p, (size_t)(lt - p));   /* end is past a '>', so lt is found */
        p = lt;
        /* Comments, CDATA, declarations and end tags are copied as they are. */
        const char *until = starts_with_ci(p, end, "<!--") ? "-->"
                          : starts_with_ci(p, end, "<![cdata[") ? "]]>"
                          : (p[1] == '!' || p[1] == '?' || p[1] == '/') ? ">" : NULL;
        if (rc == 0 && until) {
            const char *stop = strstr(p, until);
            if (!stop || stop >= end) {
                rc = doc_fail(d, "a picture that is not well-formed SVG");
                break;
            }
            stop += strlen(until);
            rc = add_n(d, p, (size_t)(stop - p));
            p = stop;
        } else if (rc == 0) {
            p++;
            rc = svg_add_tag(d, &p, end, &ids, p - 1 == start);
        }
    }
    free(ids.id);
    free(ids.id_len);
    if (rc != 0) {
        d->len = mark;   /* no half picture; the page is not written anyway */
        if (d->body)
            d->body[mark] = '\0';
        return -1;
    }
    if (add(d, "\n") != 0 || (caption && add_element(d, "<figcaption>", caption, "</figcaption>") != 0))
        return -1;
    return add(d, "\n</figure>\n");
}

/* ---- the page ---- */

/* System fonts, a readable measure, bordered zebra tables with numbers on the right;
 * in print, no margins of the screen layout, no page break inside a figure or a table
 * row, headings kept with what follows, and the table header repeated on each page.
 * No url() and no @import: nothing to fetch. */
static const char style_sheet[] =
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
    "Arial,sans-serif;line-height:1.45;color:#1a1a1a;background:#fff;max-width:72rem;"
    "margin:0 auto;padding:1rem 1.5rem}\n"
    "h1,h2,h3,h4{line-height:1.2;margin:1.4em 0 .5em}\n"
    "p{max-width:48rem}\n"
    "pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\","
    "monospace;font-size:.85rem;background:#f6f8fa;border:1px solid #d0d7de;"
    "padding:.6rem .8rem;overflow-x:auto}\n"
    ".wide{overflow-x:auto}\n"
    "table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1rem}\n"
    "th,td{border:1px solid #c8ccd0;padding:.2rem .5rem;text-align:left;vertical-align:top}\n"
    "thead th,table.facts th{background:#eef1f4}\n"
    "tbody th{font-weight:600}\n"
    "tbody tr:nth-child(even){background:#f6f8fa}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "figure{margin:1rem 0}\n"
    "figure svg{display:block;width:100%;height:auto;max-width:60rem}\n"
    "figcaption{font-size:.9rem;color:#444;margin-top:.3rem}\n"
    ".footer{margin-top:2rem;font-size:.8rem;color:#666}\n"
    "@media print{\n"
    "@page{margin:15mm}\n"
    "body{max-width:none;margin:0;padding:0;font-size:10pt}\n"
    "pre{white-space:pre;overflow:visible;background:none;border-color:#999;font-size:6.5pt}\n"
    ".wide{overflow:visible}\n"
    "table{font-size:8pt}\n"
    "thead{display:table-header-group}\n"
    "tr,figure{break-inside:avoid;page-break-inside:avoid}\n"
    "h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}\n"
    "figure svg{max-width:100%}\n"
    "tbody tr:nth-child(even){-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "}\n";

char *html_render(struct html_doc *d)
{
    if (d->failed)
        return NULL;
    struct html_doc page = {0};
    int rc = add(&page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    rc = rc ? rc : add_element(&page, "<meta name=\"generator\" content=\"slsim ", SLSIM_VERSION, "\"/>\n");
    rc = rc ? rc : add_element(&page, "<title>", d->title, "</title>\n");
    rc = rc ? rc : add(&page, "<style>\n");
    rc = rc ? rc : add(&page, style_sheet);
    rc = rc ? rc : add(&page, "</style>\n</head>\n<body>\n");
    rc = rc ? rc : add_element(&page, "<h1>", d->title, "</h1>\n");
    rc = rc ? rc : add_n(&page, d->body ? d->body : "", d->len);
    rc = rc ? rc : add_element(&page, "<p class=\"footer\">Written by slsim ", SLSIM_VERSION,
                               ". This page is whole in itself: it needs no network and "
                               "no scripts.</p>\n</body>\n</html>\n");
    if (rc != 0) {
        free(page.body);
        return NULL;
    }
    return page.body;
}

int html_write(struct html_doc *d, const char *path, int force, struct slsim_error *err)
{
    if (d->failed)
        return slsim_error_set(err, path, 0, 0, NULL, "cannot write the page: %s", d->why);
    char *page = html_render(d);
    if (!page)
        return slsim_error_set(err, path, 0, 0, NULL, "out of memory");
    int rc = cli_write_file(path, page, strlen(page), force, err);
    free(page);
    return rc;
}
