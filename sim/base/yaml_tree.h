/* yaml_tree.h - a YAML document as a small tree that remembers where each node was.
 *
 * libyaml's own document API drops positions of keys and gives nodes by integer id;
 * validation wants "file:line:col" for every key and value and an easy way to
 * replace a node (for `--set`). So this builds its own tree from libyaml events.
 * Read by the file loaders (sim/config) and the section parsers they dispatch to
 * (each module's *_config.c); the rest of the program sees only the validated structs. */
#ifndef SLSIM_YAML_TREE_H
#define SLSIM_YAML_TREE_H

#include <stddef.h>

#include "slsim/error.h"

enum ynode_kind {
    YNODE_SCALAR,   /* text, quoted or plain */
    YNODE_MAPPING,  /* ordered key/value pairs; keys are scalars */
    YNODE_SEQUENCE, /* ordered items */
};

struct ynode;

struct ypair {
    struct ynode *key;   /* always a scalar, owned */
    struct ynode *value; /* owned */
};

struct ynode {
    enum ynode_kind kind;
    const char *src;        /* where the node came from (a file name or "--set"); not owned */
    int line;               /* 1-based line of the node's first character */
    int column;             /* 1-based column of the node's first character */
    char *text;             /* scalar: its value, NUL-terminated, owned */
    int plain;              /* scalar: 1 when written without quotes (so `~` can mean null) */
    struct ypair *pairs;    /* mapping: pairs in document order, owned */
    size_t n_pairs;         /* mapping: number of pairs */
    struct ynode **items;   /* sequence: items in document order, owned */
    size_t n_items;         /* sequence: number of items */
    size_t cap;             /* allocated length of pairs or items */
};

/* Parse one YAML document from text[0..len). Every node gets src; positions are the
 * libyaml marks made 1-based, unless flat_offset >= 0: then every node is on line 1
 * at column flat_offset + 1 + its character offset in text (for a value cut out of a
 * one-line `--set key=value`, flat_offset is the index of the value in that line).
 * An empty document gives a null scalar. Aliases are expanded into copies.
 * Returns the root (caller frees with ytree_free), or NULL with err filled: file src,
 * the position of the problem, key errkey (may be NULL), libyaml's problem text. */
struct ynode *ytree_parse(const char *text, size_t len, const char *src, int flat_offset,
                          const char *errkey, struct slsim_error *err);

void ytree_free(struct ynode *n);

/* A new scalar holding a copy of text, or NULL on ENOMEM. */
struct ynode *ytree_new_scalar(const char *text, const char *src, int line, int column);

/* A new empty mapping, or NULL on ENOMEM. */
struct ynode *ytree_new_mapping(const char *src, int line, int column);

/* 1 when n is a plain scalar written as nothing, `~` or `null`: YAML's null. */
int ytree_is_null(const struct ynode *n);

/* "a scalar", "a mapping", "a sequence", or "an empty value" for a null scalar. */
const char *ytree_describe(const struct ynode *n);

/* Index of the first pair of mapping map whose key is key, or -1. */
long ytree_find(const struct ynode *map, const char *key);

/* The value under key in mapping map, or NULL when map is NULL, not a mapping, or
 * has no such key. */
struct ynode *ytree_get(const struct ynode *map, const char *key);

/* Replace the value of key in map (freeing the old value and the new key node) or
 * append the pair. Takes ownership of key and value in every case; returns 0, or -1
 * on ENOMEM. */
int ytree_map_put(struct ynode *map, struct ynode *key, struct ynode *value);

/* Remove and free pair i of mapping map. */
void ytree_map_remove(struct ynode *map, size_t i);

/* Replace item i of sequence seq with value (the old item is freed). */
void ytree_seq_replace(struct ynode *seq, size_t i, struct ynode *value);

/* Remove and free item i of sequence seq. */
void ytree_seq_remove(struct ynode *seq, size_t i);

#endif
