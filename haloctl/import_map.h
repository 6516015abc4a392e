/* Internals shared by the keepalived -> halo mapping files: the YAML writer
 * and the diagnostics helpers. Nothing here reads files. */
#ifndef HALO_IMPORT_MAP_H
#define HALO_IMPORT_MAP_H

#include "import.h"

struct imp_map {
	FILE *out;
	struct imp_diags *d;
	struct imp_tree *t;
	bool dash;                     /* next key opens a list item */
	/* global_defs that act as defaults elsewhere */
	int vrrp_version;              /* 2 unless vrrp_version */
	bool vrrp_strict;
	long long garp_delay, garp_repeat, garp_refresh, garp_interval;   /* -1 = unset */
	long long startup_delay;       /* vrrp_startup_delay, -1 = unset */
	bool check_unicast_src;        /* vrrp_check_unicast_src */
	const char *ssl_ca, *ssl_cert, *ssl_key;
	struct imp_diags *quiet;       /* swallows repeats when one block is written twice */
};

void imp_warn(struct imp_map *m, const struct imp_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void imp_err(struct imp_map *m, const struct imp_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Argument parsers: report an error naming the keyword and return false. */
bool imp_int(struct imp_map *m, const struct imp_node *n, size_t i, long long lo, long long hi, long long *out);
bool imp_secs(struct imp_map *m, const struct imp_node *n, size_t i, long long *ms);
bool imp_need_args(struct imp_map *m, const struct imp_node *n, size_t lo, size_t hi);
bool imp_is_addr(const char *s, int *family);
/* An interface name the kernel takes (1..15 characters, no '/', ':' or
 * white space); reports an error naming the keyword if not. */
bool imp_ifname(struct imp_map *m, const struct imp_node *n, const char *name);

/* YAML writer: indentation in spaces; a key opens a mapping when v is NULL. */
void y_key(struct imp_map *m, int ind, const char *k);
void y_str(struct imp_map *m, int ind, const char *k, const char *v);
void y_int(struct imp_map *m, int ind, const char *k, long long v);
void y_ms(struct imp_map *m, int ind, const char *k, long long ms);
void y_bool(struct imp_map *m, int ind, const char *k, bool v);
void y_argv(struct imp_map *m, int ind, const char *k, char *const *argv);
void y_comment(struct imp_map *m, int ind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void y_listval(struct imp_map *m, int ind, const char *v);        /* "- v" */
void y_raw(struct imp_map *m, int ind, const char *k, const char *raw);   /* no quoting */
void y_item(struct imp_map *m);   /* the next y_* opens a "- " list item */
void y_scalar(FILE *f, const char *s);

/* The sections. */
void imp_map_global(struct imp_map *m, struct imp_node *root);
void imp_map_vrrp(struct imp_map *m, struct imp_node *root);
void imp_map_ipvs(struct imp_map *m, struct imp_node *root);
void imp_map_vs(struct imp_map *m, struct imp_node *root);
struct imp_node *imp_find_instance(struct imp_node *root, const char *name);   /* vrrp_instance NAME */
bool imp_tracks_weighted(struct imp_node *root, struct imp_node *vi);
void imp_map_tracks(struct imp_map *m, struct imp_node *root, struct imp_node *vi);
void imp_map_check(struct imp_map *m, struct imp_node *chk, struct imp_node *rs, struct imp_node *vs, int ind);

#endif
