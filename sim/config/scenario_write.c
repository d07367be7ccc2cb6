/* scenario_write.c - a loaded scenario written back as a scenario file.
 *
 * What `slsim plan` hands the user is a file that runs the chosen configuration as
 * it is: the document as loaded (s->tree, `--set` overrides already spliced in),
 * keys in the order they were written, cut down to one deployment when asked. The
 * tree, not the validated structs, is what is written, so every unit and every
 * default stays as the user gave it and a later `slsim run` parses it the same way.
 *
 * libyaml's emitter does the quoting: a scalar quoted in the source is written as
 * one that cannot be read as anything but a string (`"yes"`, `"012"`, a name with
 * ": "), a plain one as plain, so each key reads back with the type it had.
 *
 * Three things change on the way so that loading the file gives the same scenario
 * from any folder: every file the scenario names (the catalog of `pricing:`, the
 * trace and its azure2019 side files) is written as the absolute path the loader
 * found; a scenario named after its file (no `name:`) gets that name written; and
 * a deployment kept alone gets its `name:` written when it had the default
 * <type>-<index>, since its index changes. Paths are made absolute against the
 * working directory of the call, which must be the one the scenario was loaded from
 * (files a loader found relative to it). */
/* realpath() is XSI, not in the POSIX base the build asks for. */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "slsim/scenario.h"
#include "../base/yaml_tree.h"

/* A scalar of the tree written as other text: a file name made absolute. */
struct rewrite {
    const struct ynode *node;
    char text[PATH_MAX];
};

/* Files a scenario can name: `pricing:` and workload.trace's path, durations and
 * memory. */
#define MAX_REWRITES 4

/* Deep nodes whose items are all scalars and whose text is this short are written in
 * flow style ({dist: lognormal, mean: 120ms}), as people write them. */
#define FLOW_MAX_CHARS 60

struct writer {
    yaml_emitter_t em;
    const struct scenario *s;
    const char *only;                  /* the deployment kept, NULL: all */
    struct rewrite rw[MAX_REWRITES];
    size_t n_rw;
    struct slsim_error *err;
};

static int emit(struct writer *w, yaml_event_t *ev)
{
    if (yaml_emitter_emit(&w->em, ev))
        return 0;
    /* The emitter frees the event on success and on failure. */
    if (w->em.error == YAML_MEMORY_ERROR)
        return slsim_error_set(w->err, NULL, 0, 0, NULL, "out of memory writing a scenario");
    return slsim_error_set(w->err, NULL, 0, 0, NULL, "cannot write the scenario: %s",
                           w->em.problem ? w->em.problem : "write error");
}

/* A scalar: plain ones may be written plain (the emitter quotes them where YAML needs
 * it), quoted ones are quoted again so that they stay strings. A plain empty
 * scalar is YAML's null; in flow style libyaml would write it as '', a string, so
 * it is written as `~`. */
static int emit_text(struct writer *w, const char *text, int plain, int in_flow)
{
    yaml_event_t ev;
    if (plain && in_flow && !text[0])
        text = "~";
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
                                      plain, 1, YAML_ANY_SCALAR_STYLE))
        return slsim_error_set(w->err, NULL, 0, 0, NULL, "out of memory writing a scenario");
    return emit(w, &ev);
}

/* 1 when n is a mapping or sequence of scalars short enough for one flow line. */
static int fits_flow(const struct ynode *n)
{
    size_t chars = 0, count = n->kind == YNODE_MAPPING ? n->n_pairs : n->n_items;
    if (count == 0)
        return 1;
    for (size_t i = 0; i < count; i++) {
        const struct ynode *v = n->kind == YNODE_MAPPING ? n->pairs[i].value : n->items[i];
        if (v->kind != YNODE_SCALAR)
            return 0;
        chars += strlen(v->text) + 2;
        if (n->kind == YNODE_MAPPING)
            chars += strlen(n->pairs[i].key->text) + 2;
    }
    return chars <= FLOW_MAX_CHARS;
}

static int emit_node(struct writer *w, const struct ynode *n, int depth, int in_flow);

static int emit_pair(struct writer *w, const struct ynode *key, const struct ynode *value,
                     int depth, int in_flow)
{
    if (emit_text(w, key->text, key->plain, in_flow))
        return -1;
    return emit_node(w, value, depth + 1, in_flow);
}

static int mapping_start(struct writer *w, int flow)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                        flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    return emit(w, &ev);
}

static int mapping_end(struct writer *w)
{
    yaml_event_t ev;
    yaml_mapping_end_event_initialize(&ev);
    return emit(w, &ev);
}

static int sequence_start(struct writer *w, int flow)
{
    yaml_event_t ev;
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                         flow ? YAML_FLOW_SEQUENCE_STYLE
                                              : YAML_BLOCK_SEQUENCE_STYLE);
    return emit(w, &ev);
}

static int sequence_end(struct writer *w)
{
    yaml_event_t ev;
    yaml_sequence_end_event_initialize(&ev);
    return emit(w, &ev);
}

/* A node below the top level. Top-level sections and their direct values stay in
 * block style; deeper small nodes go on one line. */
static int emit_node(struct writer *w, const struct ynode *n, int depth, int in_flow)
{
    if (n->kind == YNODE_SCALAR) {
        for (size_t i = 0; i < w->n_rw; i++)
            if (w->rw[i].node == n)
                return emit_text(w, w->rw[i].text, 1, in_flow);
        return emit_text(w, n->text, n->plain, in_flow);
    }
    int flow = in_flow || (depth >= 2 && fits_flow(n));
    if (n->kind == YNODE_MAPPING) {
        if (mapping_start(w, flow))
            return -1;
        for (size_t i = 0; i < n->n_pairs; i++)
            if (emit_pair(w, n->pairs[i].key, n->pairs[i].value, depth, flow))
                return -1;
        return mapping_end(w);
    }
    if (sequence_start(w, flow))
        return -1;
    for (size_t i = 0; i < n->n_items; i++)
        if (emit_node(w, n->items[i], depth + 1, flow))
            return -1;
    return sequence_end(w);
}

/* Deployment d of the tree, in block style (a deployment is read as a unit). Kept
 * alone, it gets `name: <its name>` first when it has no `name:` of its own: its
 * default name counts its place in the list, which then changes. */
static int emit_deployment(struct writer *w, const struct ynode *n, size_t d)
{
    if (n->kind != YNODE_MAPPING)
        return emit_node(w, n, 2, 0);
    if (mapping_start(w, 0))
        return -1;
    if (w->only && !ytree_get(n, "name") &&
        (emit_text(w, "name", 1, 0) || emit_text(w, w->s->deployments[d].name, 1, 0)))
        return -1;
    for (size_t i = 0; i < n->n_pairs; i++)
        if (emit_pair(w, n->pairs[i].key, n->pairs[i].value, 2, 0))
            return -1;
    return mapping_end(w);
}

/* `deployments:`, all of them or only the one named w->only. The tree's items are
 * the scenario's deployments in the same order (the loader fills one per item). */
static int emit_deployments(struct writer *w, const struct ynode *v)
{
    if (v->kind != YNODE_SEQUENCE)
        return emit_node(w, v, 1, 0);
    if (sequence_start(w, 0))
        return -1;
    for (size_t d = 0; d < v->n_items && d < w->s->n_deployments; d++)
        if ((!w->only || strcmp(w->s->deployments[d].name, w->only) == 0) &&
            emit_deployment(w, v->items[d], d))
            return -1;
    return sequence_end(w);
}

/* Record that scalar node n (if any) is written as the absolute form of path. */
static int add_rewrite(struct writer *w, const struct ynode *n, const char *path)
{
    if (!n || n->kind != YNODE_SCALAR || !path[0])
        return 0;
    struct rewrite *r = &w->rw[w->n_rw];
    if (!realpath(path, r->text))
        return slsim_error_set(w->err, n->src, n->line, n->column, NULL,
                               "cannot find \"%s\" again to write its absolute path", path);
    r->node = n;
    w->n_rw++;
    return 0;
}

/* The files the scenario names, found as the loader found them: the trace's from
 * the spec (the loader keeps the path it opened), the catalog's by the loader's
 * rule (as written from the working directory, else from the scenario's folder). */
static int find_files(struct writer *w)
{
    const struct scenario *s = w->s;
    const struct ynode *pricing = ytree_get(s->tree, "pricing");
    if (pricing && pricing->kind == YNODE_SCALAR && strcmp(s->pricing, "built-in") != 0) {
        char path[PATH_MAX + 4096];
        const char *slash = strrchr(s->path, '/');
        snprintf(path, sizeof path, "%s", s->pricing);
        if (access(path, F_OK) != 0 && s->pricing[0] != '/' && slash)
            snprintf(path, sizeof path, "%.*s/%s", (int)(slash - s->path), s->path, s->pricing);
        if (add_rewrite(w, pricing, path))
            return -1;
    }
    if (s->workload.arrival != ARRIVAL_TRACE)
        return 0;
    const struct ynode *trace = ytree_get(ytree_get(s->tree, "workload"), "trace");
    const struct trace_spec *t = &s->workload.trace;
    if (add_rewrite(w, ytree_get(trace, "path"), t->path) ||
        add_rewrite(w, ytree_get(trace, "durations"), t->durations) ||
        add_rewrite(w, ytree_get(trace, "memory"), t->memory))
        return -1;
    return 0;
}

/* `header` as '#' lines, one per line of it. */
static int write_header(FILE *fp, const char *header)
{
    while (header && *header) {
        size_t len = strcspn(header, "\n");
        if (fprintf(fp, "#%s%.*s\n", len ? " " : "", (int)len, header) < 0)
            return -1;
        header += len + (header[len] == '\n');
    }
    return 0;
}

static int write_document(struct writer *w)
{
    const struct scenario *s = w->s;
    const struct ynode *root = s->tree;
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    if (emit(w, &ev))
        return -1;
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    if (emit(w, &ev) || mapping_start(w, 0))
        return -1;
    /* Without `name:` the scenario is named after its file; the written file has
     * another name. */
    if (!ytree_get(root, "name") &&
        (emit_text(w, "name", 1, 0) || emit_text(w, s->name, 1, 0)))
        return -1;
    for (size_t i = 0; i < root->n_pairs; i++) {
        const struct ynode *key = root->pairs[i].key, *v = root->pairs[i].value;
        if (emit_text(w, key->text, key->plain, 0))
            return -1;
        if (strcmp(key->text, "deployments") == 0 ? emit_deployments(w, v) : emit_node(w, v, 1, 0))
            return -1;
    }
    if (mapping_end(w))
        return -1;
    yaml_document_end_event_initialize(&ev, 1);
    if (emit(w, &ev))
        return -1;
    yaml_stream_end_event_initialize(&ev);
    return emit(w, &ev);
}

int scenario_write(const struct scenario *s, const char *only, const char *header, FILE *fp,
                   struct slsim_error *err)
{
    struct writer *w = calloc(1, sizeof *w);
    if (!w)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory writing a scenario");
    w->s = s;
    w->only = only;
    w->err = err;
    int rc = 0, found = !only;
    for (size_t d = 0; only && d < s->n_deployments; d++)
        found |= strcmp(s->deployments[d].name, only) == 0;
    if (!found)
        rc = slsim_error_set(err, s->path, 0, 0, "deployments", "no deployment named \"%s\"",
                             only);
    if (rc == 0)
        rc = find_files(w);
    if (rc == 0 && write_header(fp, header))
        rc = slsim_error_set(err, NULL, 0, 0, NULL, "cannot write the scenario's header");
    if (rc == 0) {
        if (!yaml_emitter_initialize(&w->em)) {
            free(w);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory writing a scenario");
        }
        yaml_emitter_set_output_file(&w->em, fp);
        yaml_emitter_set_unicode(&w->em, 1);
        yaml_emitter_set_width(&w->em, -1); /* a long value stays on its line */
        yaml_emitter_set_indent(&w->em, 2);
        rc = write_document(w);
        if (rc == 0 && !yaml_emitter_flush(&w->em))
            rc = slsim_error_set(err, NULL, 0, 0, NULL, "cannot write the scenario");
        yaml_emitter_delete(&w->em);
    }
    if (rc == 0 && (fflush(fp) != 0 || ferror(fp)))
        rc = slsim_error_set(err, NULL, 0, 0, NULL, "cannot write the scenario: write error");
    free(w);
    return rc;
}
