/* test_html.c - the shareable report page (sim/html.c): one self-contained HTML file
 * that parses, holds every number of the report it shows, inlines each picture as one
 * SVG, and refers to nothing outside itself.
 *
 * Parsing is checked twice with xmllint (scripts/install-deps.sh installs it): as
 * XML, which is strict (every element closed, every & < > escaped), and as HTML. The
 * HTML parser of libxml2 before 2.14 knows only HTML 4, so it calls the HTML 5
 * <figure>, <figcaption> and the inline SVG's elements "invalid": those lines, and
 * only those, are allowed. */
#include "../sim/html.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_helpers.h"

static int have(const char *program)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", program);
    return system(cmd) == 0;
}

/* Occurrences of needle in hay. */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* hay with every attribute xmlns="..." and xmlns:NAME="..." (either quote) taken out:
 * the namespace names of SVG are http: addresses that nothing fetches. */
static char *strip_xmlns(const char *hay)
{
    char *out = strdup(hay);
    cr_assert(out);
    char *w = out;
    for (const char *p = hay; *p;) {
        if (strncmp(p, "xmlns", 5) == 0 && (p[5] == '=' || p[5] == ':')) {
            const char *q = p + strcspn(p, "=");
            if (q[0] == '=' && (q[1] == '"' || q[1] == '\'')) {
                const char *close = strchr(q + 2, q[1]);
                if (close) {
                    p = close + 1;
                    continue;
                }
            }
        }
        *w++ = *p++;
    }
    *w = '\0';
    return out;
}

/* 1 when an element named name (in any case) starts inside an <svg> of page. */
static int in_svg(const char *page, const char *name)
{
    size_t n = strlen(name);
    for (const char *svg = strstr(page, "<svg"); svg; svg = strstr(svg + 1, "<svg")) {
        const char *end = strstr(svg, "</svg>");
        for (const char *p = svg; end && p < end; p++) {
            if (*p != '<')
                continue;
            size_t i = 0;
            while (i < n && tolower((unsigned char)p[1 + i]) == tolower((unsigned char)name[i]))
                i++;
            if (i == n && strchr(" \t\r\n/>", p[1 + n]))
                return 1;
        }
    }
    return 0;
}

/* xmllint on path: as XML it must say nothing; as HTML, only "Tag NAME invalid" for
 * the HTML 5 <figure> and <figcaption> and the elements of an inline SVG. Both must
 * exit 0. */
static void assert_parses(const char *path)
{
    if (!have("xmllint"))
        cr_skip_test("xmllint is not installed (scripts/install-deps.sh installs it)");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
    struct outcome x = run_shell(cmd);
    cr_assert_eq(x.status, 0, "as XML: %s", x.err);
    cr_assert_str_empty(x.err, "as XML: %s", x.err);
    outcome_free(&x);

    snprintf(cmd, sizeof cmd, "xmllint --html --noout %s", path);
    struct outcome h = run_shell(cmd);
    cr_assert_eq(h.status, 0, "as HTML: %s", h.err);
    char *page = slurp(path);
    cr_assert(page);
    for (char *line = strtok(h.err, "\n"); line; line = strtok(NULL, "\n")) {
        const char *e = strstr(line, "parser error : ");
        if (!e && !strstr(line, "error") && !strstr(line, "warning"))
            continue;   /* the source line and caret printed under each error */
        cr_assert(e, "as HTML: %s", line);
        char name[64] = "";
        cr_assert_eq(sscanf(e, "parser error : Tag %63s invalid", name), 1, "as HTML: %s", line);
        cr_assert(strcmp(name, "figure") == 0 || strcmp(name, "figcaption") == 0 ||
                      in_svg(page, name),
                  "as HTML: %s", line);
    }
    free(page);
    outcome_free(&h);
}

/* A picture as gnuplot draws it, or, without gnuplot, one written here the same way:
 * an XML prolog, a DOCTYPE, width and height, a viewBox, and #references. */
static char *picture(const char *yaml)
{
    if (have("gnuplot")) {
        char svg_path[64], args[512];
        snprintf(svg_path, sizeof svg_path, "/tmp/slsim-html-plot-%ld.svg", (long)getpid());
        snprintf(args, sizeof args, "run %s --plot %s --force --quiet", yaml, svg_path);
        struct outcome o = run(args);
        cr_assert_eq(o.status, 0, "%s", o.err);
        outcome_free(&o);
        char *svg = slurp(svg_path);
        unlink(svg_path);
        cr_assert(svg);
        return svg;
    }
    return strdup("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>\n"
                  "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                  "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
                  "<svg width=\"600\" height=\"400\" viewBox=\"0 0 600 400\" "
                  "xmlns=\"http://www.w3.org/2000/svg\" "
                  "xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
                  "<defs><circle id='gpPt5' r='1'/></defs>\n"
                  "<use xlink:href='#gpPt5' x='10' y='10'/>\n"
                  "<text x='5' y='20'>latency &amp; cost</text>\n</svg>\n");
}

static char *tmp_page(void)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/slsim-html-%ld.html", (long)getpid());
    unlink(path);
    return path;
}

/* The report's page: the facts, the scenario as text, the CSV report as a table and
 * one picture. Every cell of the CSV is on the page, there is one <svg per picture,
 * and no address outside the SVG namespace names, no script, no link, no src=. */
Test(html, report_page_is_whole_and_self_contained)
{
    const char *yaml = "tests/data/sweep/small.yaml";
    char args[256];
    snprintf(args, sizeof args, "run %s --format csv --quiet", yaml);
    struct outcome csv = run(args);
    cr_assert_eq(csv.status, 0, "%s", csv.err);
    char *svg = picture(yaml);

    struct html_doc *d = html_new("sweep-small: a run");
    cr_assert(d);
    const char *keys[] = {"scenario", "slsim", "pricing catalog"};
    const char *values[] = {yaml, "0.1.0", "built-in, as of 2026-11-27"};
    cr_assert_eq(html_facts(d, keys, values, 3), 0);
    cr_assert_eq(html_heading(d, 2, "Scenario"), 0);
    cr_assert_eq(html_pre(d, "<yaml & stuff>"), 0);
    cr_assert_eq(html_heading(d, 2, "Report"), 0);
    cr_assert_eq(html_csv_table(d, csv.out), 0);
    cr_assert_eq(html_svg(d, svg, "Latency: P(latency > x) & cost"), 0);
    const char *path = tmp_page();
    struct slsim_error err = {0};
    cr_assert_eq(html_write(d, path, 0, &err), 0, "%s", err.message);
    html_free(d);

    assert_parses(path);
    char *page = slurp(path);
    cr_assert(page);
    cr_assert(strncmp(page, "<!DOCTYPE html>", 15) == 0);
    cr_assert(strstr(page, "<meta charset=\"utf-8\"/>"));
    cr_assert(strstr(page, "<title>sweep-small: a run</title>"));
    cr_assert(strstr(page, "@media print"));
    /* Escaped: & < > " each as its entity, in text and in the caption. */
    cr_assert(strstr(page, "<pre>&lt;yaml &amp; stuff&gt;</pre>"), "%s", page);
    cr_assert(strstr(page, "<figcaption>Latency: P(latency &gt; x) &amp; cost</figcaption>"));

    /* Every cell of the CSV (header and rows, split at commas and line ends: slsim's
     * run report quotes no cell) is a cell of the page. */
    char *cells = strdup(csv.out);
    size_t n_cells = 0;
    for (char *c = strtok(cells, ",\n"); c; c = strtok(NULL, ",\n"), n_cells++) {
        char cell[256];
        snprintf(cell, sizeof cell, ">%s</t", c);
        cr_assert(strstr(page, cell), "cell %s is not on the page", c);
    }
    cr_assert_gt(n_cells, 100);   /* header + 2 rows of about 63 columns */
    free(cells);

    cr_assert_eq(count(page, "<svg"), 1);
    cr_assert_eq(count(page, "</svg>"), 1);
    cr_assert_eq(count(page, "<?xml"), 0);
    cr_assert_eq(count(page, "<!DOCTYPE svg"), 0);
    char *bare = strip_xmlns(page);
    cr_assert_null(strstr(bare, "http://"), "%s", strstr(bare, "http://"));
    cr_assert_null(strstr(bare, "https://"));
    cr_assert_null(strstr(bare, "<script"));
    cr_assert_null(strstr(bare, "<link"));
    cr_assert_null(strstr(bare, "src="));
    cr_assert_null(strstr(bare, "@import"));
    free(bare);
    free(page);
    free(svg);
    outcome_free(&csv);
    unlink(path);
}

/* cli_write_file's rule: a page that exists is kept unless force. */
Test(html, existing_page_is_kept_without_force)
{
    const char *path = tmp_page();
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("mine", f);
    fclose(f);
    struct html_doc *d = html_new("t");
    cr_assert(d);
    html_paragraph(d, "new");
    struct slsim_error err = {0};
    cr_assert_eq(html_write(d, path, 0, &err), -1);
    cr_assert(strstr(err.message, "already exists"), "%s", err.message);
    char *kept = slurp(path);
    cr_assert_str_eq(kept, "mine");
    free(kept);
    cr_assert_eq(html_write(d, path, 1, &err), 0, "%s", err.message);
    char *page = slurp(path);
    cr_assert(strstr(page, "<p>new</p>"));
    free(page);
    html_free(d);
    unlink(path);
}

/* RFC 4180 as slsim writes it: "x,1" is one cell, "" inside quotes is one quote, a
 * '#' line is no row; a cell that is a number (3, -1.5e-3) is aligned right, one that
 * is not (<4>, 1x) is not. */
Test(html, csv_quoting_comments_and_numbers)
{
    struct html_doc *d = html_new("t");
    cr_assert(d);
    cr_assert_eq(html_csv_table(d, "# a comment line\r\na,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",3\r\n"
                                   "# another\r\n<4>,1x,-1.5e-3\r\n"),
                 0);
    char *page = html_render(d);
    cr_assert(page);
    cr_assert(strstr(page, "<th scope=\"col\">a</th><th scope=\"col\">b</th>"), "%s", page);
    cr_assert(strstr(page, "<td>x,1</td><td>say &quot;hi&quot;</td><td class=\"num\">3</td>"),
              "%s", page);
    cr_assert(strstr(page, "<td>&lt;4&gt;</td><td>1x</td><td class=\"num\">-1.5e-3</td>"), "%s",
              page);
    cr_assert_null(strstr(page, "comment"));
    cr_assert_null(strstr(page, "another"));
    cr_assert_eq(count(page, "<tr>"), 3);
    free(page);
    html_free(d);
}

/* A report of 1 row and 10 columns is shown turned: 10 lines, each a column's name
 * (a row header) and its value. */
Test(html, wide_short_table_is_turned)
{
    struct html_doc *d = html_new("t");
    cr_assert(d);
    cr_assert_eq(html_csv_table(d, "c0,c1,c2,c3,c4,c5,c6,c7,c8,c9\n0,1,2,3,4,5,6,7,8,9\n"), 0);
    char *page = html_render(d);
    cr_assert(strstr(page, "<th scope=\"col\">field</th><th scope=\"col\">row 1</th>"), "%s", page);
    cr_assert(strstr(page, "<tr><th scope=\"row\">c7</th><td class=\"num\">7</td></tr>"), "%s",
              page);
    cr_assert_eq(count(page, "<tr>"), 11);
    free(page);
    html_free(d);
}

/* The picture scales: its width and height go, a viewBox is made of them (0 0 400
 * 300) when it has none; its ids and #references are its own (fig1-, fig2-), so two
 * pictures do not share an id. */
Test(html, svg_scales_and_keeps_its_ids)
{
    const char *svg = "<?xml version=\"1.0\"?>\n<!-- drawn -->\n"
                      "<svg width=\"400\" height=\"300px\" xmlns=\"http://www.w3.org/2000/svg\" "
                      "xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
                      "<defs><clipPath id=\"c\"><rect width='4' height='3'/></clipPath>"
                      "<path id='a' d='M0,0'/></defs>"
                      "<use xlink:href='#a'/><g clip-path=\"url(#c)\"><text>1 &lt; 2</text></g>"
                      "</svg>\n";
    struct html_doc *d = html_new("t");
    cr_assert(d);
    cr_assert_eq(html_svg(d, svg, NULL), 0);
    cr_assert_eq(html_svg(d, svg, "second"), 0);
    char *page = html_render(d);
    cr_assert(page);
    cr_assert_eq(count(page, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                             "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                             "viewBox=\"0 0 400 300\">"),
                 2, "%s", page);
    cr_assert(strstr(page, "<path id='fig1-a'"));
    cr_assert(strstr(page, "<use xlink:href='#fig1-a'/>"));
    cr_assert(strstr(page, "clip-path=\"url(#fig2-c)\""));
    cr_assert(strstr(page, "<rect width='4' height='3'/>"));   /* only the root's size goes */
    cr_assert(strstr(page, "<text>1 &lt; 2</text>"));
    cr_assert_eq(count(page, "<figure>"), 2);
    cr_assert_eq(count(page, "<figcaption>"), 1);
    cr_assert_null(strstr(page, "drawn"));
    cr_assert_null(strstr(page, "<?xml"));
    const char *path = tmp_page();
    FILE *f = fopen(path, "w");
    fputs(page, f);
    fclose(f);
    assert_parses(path);
    unlink(path);
    free(page);
    html_free(d);
}

/* A picture that reaches outside the page (a script, an address) is refused, and then
 * the page is not written at all, with the reason. */
Test(html, picture_reaching_outside_is_refused)
{
    static const char *const bad[] = {
        "<svg><script>alert(1)</script></svg>",
        "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"http://x/y.png\"/></svg>",
        "<svg><g style=\"fill:url(https://x/p.svg#a)\"/></svg>",
        "no picture here",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct html_doc *d = html_new("t");
        cr_assert(d);
        cr_assert_eq(html_svg(d, bad[i], "c"), -1, "%s", bad[i]);
        cr_assert_null(html_render(d));
        const char *path = tmp_page();
        struct slsim_error err = {0};
        cr_assert_eq(html_write(d, path, 1, &err), -1);
        cr_assert(strstr(err.message, "picture"), "%s", err.message);
        struct stat st;
        cr_assert_neq(stat(path, &st), 0, "%s was written", path);
        html_free(d);
    }
    /* A data: URI is inside the page. */
    struct html_doc *d = html_new("t");
    cr_assert_eq(html_svg(d, "<svg><image href=\"data:image/png;base64,AAAA\"/></svg>", NULL), 0);
    html_free(d);
}

/* Rule: html_csv_table_some keeps the columns it names and every column before the one
 * named `before`, in the CSV's order, and drops the rest (a sweep's hundred columns
 * would not fit a printed page); a short, wide table turned is headed by each row's
 * deployment (and tier). */
Test(html, some_columns_and_deployment_headers)
{
    static const char csv[] = "point,deployments.fn.memory,deployment,tier,a,b,c,error\n"
                              "0,1GiB,fn,,1,2,3,\n"
                              "1,2GiB,fn,,4,5,6,\n";
    struct html_doc *d = html_new("t");
    static const char *const keep[] = {"deployment", "b", "error"};
    cr_assert_eq(html_csv_table_some(d, csv, keep, 3, "deployment"), 0);
    char *page = html_render(d);
    cr_assert(page);
    cr_assert(strstr(page, "deployments.fn.memory"), "a column before `deployment` kept");
    cr_assert(strstr(page, ">5<"), "b kept");
    cr_assert_null(strstr(page, ">a<"), "a dropped");
    cr_assert_null(strstr(page, ">6<"), "c dropped");
    free(page);
    html_free(d);
    static const char wide[] = "deployment,tier,c1,c2,c3,c4,c5,c6,c7,c8\n"
                               "lambda,,1,2,3,4,5,6,7,8\n"
                               "mixed,base,1,2,3,4,5,6,7,8\n";
    d = html_new("t");
    cr_assert_eq(html_csv_table(d, wide), 0);
    page = html_render(d);
    cr_assert(strstr(page, "<th scope=\"col\">lambda</th>"), "%s", page);
    cr_assert(strstr(page, "<th scope=\"col\">mixed (base)</th>"), "%s", page);
    free(page);
    html_free(d);
}
