/* html.h - a shareable report page (--html FILE.html): one self-contained HTML file
 * built from parts in order (headings, paragraphs, facts, preformatted text, CSV
 * tables, SVG pictures), that opens in any browser without a network or scripts and
 * prints cleanly. Internal to the program.
 *
 * Every text given is escaped (& < > "). A part that cannot be added (out of memory,
 * an SVG that is not one or that reaches outside the page) makes its function return
 * -1 and is remembered: html_write then writes nothing and says why, so a caller may
 * add all its parts and check once. */
#ifndef SLSIM_HTML_H
#define SLSIM_HTML_H

#include <stddef.h>

#include "slsim/error.h"

struct html_doc;

/* An empty page whose <title> and first <h1> are title (copied). NULL when out of
 * memory. Free with html_free. */
struct html_doc *html_new(const char *title);

/* A heading <hN>; level 2 for a section, 3 below it (clamped to 2..6: the page's
 * title is its only <h1>). 0, or -1. */
int html_heading(struct html_doc *d, int level, const char *text);

/* A paragraph of plain text. 0, or -1. */
int html_paragraph(struct html_doc *d, const char *text);

/* A two-column table of facts, keys[i] beside values[i] for i < n: the scenario, the
 * slsim version, the pricing catalog and its date. A NULL value shows as empty. 0, or
 * -1. */
int html_facts(struct html_doc *d, const char *const *keys, const char *const *values, size_t n);

/* Preformatted text kept as it is (the scenario's YAML, the text report). 0, or -1. */
int html_pre(struct html_doc *d, const char *text);

/* A CSV as a table: the first row its header, then one row per line; fields as slsim
 * writes them (RFC 4180: comma-separated, a field with a comma, quote or line break in
 * double quotes with "" for a quote; CRLF or LF line ends); lines starting with '#'
 * outside a quoted field are skipped. A cell that reads whole as a number is
 * right-aligned. A CSV of at most 4 rows and more than 8 columns (a run's or a
 * comparison's report) is shown turned, one line per column, so it fits a page.
 * 0, or -1 (no header row: not a CSV). */
int html_csv_table(struct html_doc *d, const char *csv_text);

/* The same with only some columns: those keep[0..n_keep) names, and every column
 * before the one named before (NULL: none), in the CSV's order; for a table that would
 * not fit a printed page (a sweep's hundred columns). 0, or -1. */
int html_csv_table_some(struct html_doc *d, const char *csv_text, const char *const *keep,
                        size_t n_keep, const char *before);

/* An SVG picture (as gnuplot's svg terminal writes it) inline, in a <figure> with
 * caption (NULL: none) as its <figcaption>. Only the <svg>...</svg> element is kept
 * (an <?xml?> prolog, a DOCTYPE or comments around it are dropped); its width and
 * height attributes are taken off so it scales to the page (a viewBox is made from
 * them when it has none); its ids, and the #references to them, get a prefix of
 * their own so two pictures on one page do not share ids. Refused (-1): no <svg>
 * element, a <script>, or a reference (href, src, url()) to anything but the picture
 * itself or a data: URI. 0, or -1. */
int html_svg(struct html_doc *d, const char *svg_text, const char *caption);

/* The whole page written to path, whole (cli_write_file: a temporary file renamed;
 * an existing file refused unless force). 0, or -1 with err set: the write failed or
 * a part could not be added. */
int html_write(struct html_doc *d, const char *path, int force, struct slsim_error *err);

/* The page as it would be written, NUL-terminated, owned by the caller (free); NULL
 * when out of memory or a part could not be added. */
char *html_render(struct html_doc *d);

void html_free(struct html_doc *d);

#endif
