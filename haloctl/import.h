/* keepalived.conf importer: a pure reader (preprocessor, tokenizer, block
 * tree) and a pure mapping to halo YAML; file access goes through the
 * callbacks of struct imp_io, so nothing here opens a file by itself. */
#ifndef HALO_IMPORT_H
#define HALO_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A warning (cannot be mapped) or an error (keepalived would reject it). */
struct imp_diag {
	bool error;
	char *file;
	unsigned line;
	char *msg;
};

struct imp_diags {
	struct imp_diag *v;
	size_t n, n_err;
};

void imp_diag_add(struct imp_diags *d, bool error, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void imp_diags_free(struct imp_diags *d);

/* One statement: keyword and arguments, with an optional { block }. */
struct imp_node {
	const char *file;              /* owned by the tree's file list */
	unsigned line;
	char **w;                      /* w[0] = keyword */
	size_t nw;
	struct imp_node **kids;
	size_t nkids;
	bool block;
	bool used;                     /* consumed by the mapping */
};

struct imp_tree {
	struct imp_node root;          /* kids = top-level statements */
	char **files;                  /* every file read, in order */
	size_t nfiles;
};

/* File access for include: read a whole file; expand a glob (sorted). */
struct imp_io {
	int (*read)(void *arg, const char *path, char **buf, size_t *len);
	int (*glob)(void *arg, const char *pattern, char ***paths, size_t *n);
	void *arg;
};

struct imp_opts {
	const char *config_id;         /* for @id lines; NULL = none matches */
	bool strict;
};

/* Reads `path` and everything it includes into a tree; 0, or -1 with
 * errors (file:line) in d. */
int imp_parse(const char *path, const struct imp_io *io, const struct imp_opts *o,
	      struct imp_tree *t, struct imp_diags *d);
/* Same from a buffer already in memory (includes still go through io). */
int imp_parse_buf(const char *name, const char *buf, size_t len, const struct imp_io *io,
		  const struct imp_opts *o, struct imp_tree *t, struct imp_diags *d);
void imp_tree_free(struct imp_tree *t);

/* Tree helpers for the mapping: each marks what it returns as used. */
struct imp_node *imp_get(struct imp_node *n, const char *kw);        /* last occurrence */
size_t imp_all(struct imp_node *n, const char *kw, struct imp_node ***out);  /* caller frees *out */
const char *imp_arg(const struct imp_node *n, size_t i);             /* NULL if absent */

/* Writes halo YAML for the tree to out; warnings and errors go to d.
 * `source` is named in the header comment. 0, or -1 if d has errors. */
int imp_map(struct imp_tree *t, const char *source, FILE *out, struct imp_diags *d);

/* Splits a keepalived script string into argv (quotes and backslashes as
 * keepalived does); NULL-terminated, caller frees with imp_argv_free. */
char **imp_split_argv(const char *s, size_t *argc);
void imp_argv_free(char **argv);

/* True if s[0..n) is valid UTF-8 (YAML text can hold nothing else). */
bool imp_utf8_ok(const unsigned char *s, size_t n);

/* keepalived timers: decimal seconds ("1", "0.5", "2.25") -> ms; -1 if bad. */
long long imp_parse_secs(const char *s);

#endif
