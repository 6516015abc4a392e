/* Private to lib/config*.c: the YAML node tree, the loader context that
 * collects errors, and the schema-walk helpers. Nothing here prints or logs. */
#ifndef HALO_CONFIG_PRIV_H
#define HALO_CONFIG_PRIV_H

#include <stdarg.h>

#include "config.h"

#define CFG_MAX_DEPTH   64
#define CFG_MAX_SCALAR  65536
#define CFG_MAX_FILE    (16u << 20)
#define CFG_MAX_ERRORS  1000

enum cnode_type { CNODE_NULL, CNODE_SCALAR, CNODE_MAP, CNODE_SEQ };

/* One YAML node with its start mark (1-based). */
struct cnode {
	enum cnode_type type;
	unsigned line, col;
	char *str;                     /* scalars (and null): the text */
	size_t len;
	struct cnode **kids;           /* map: key, value, key, value...; seq: items */
	size_t n_kids, cap;
	bool bad;                      /* an alias: already reported, ignore quietly */
	struct cnode_arena *arena;     /* the root only: where the whole tree lives */
};

struct cfg_err {
	unsigned line, col;
	size_t seq;
	char *text;
};

struct cfg_ctx {
	const char *name;              /* file name in messages */
	char path[1024];               /* current key path */
	size_t path_len;
	struct cfg_err *errs;
	size_t n_errs, cap_errs;
	struct halo_config *cfg;
};

/* config_yaml.c: libyaml events -> node tree (aliases, anchors, depth and
 * scalar length limits enforced). NULL on a fatal error (already recorded). */
struct cnode *cnode_parse(struct cfg_ctx *c, const char *buf, size_t len);
void cnode_free(struct cnode *root);     /* the whole tree, from its root */
const struct cnode *cnode_map_get(const struct cnode *map, const char *key);
size_t cnode_len(const struct cnode *n);   /* map pairs or seq items */

/* config_value.c: errors and key paths. */
void cfg_error(struct cfg_ctx *c, const struct cnode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_error_at(struct cfg_ctx *c, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
size_t cfg_path_key(struct cfg_ctx *c, const char *key);      /* returns the old length */
size_t cfg_path_index(struct cfg_ctx *c, size_t i);
void cfg_path_pop(struct cfg_ctx *c, size_t old_len);
void cfg_errors_flush(struct cfg_ctx *c, FILE *errs);        /* sorted by position */
void *cfg_calloc(size_t n, size_t size);
char *cfg_strdup(const char *s);

/* Scalar conversions: each reports its own error and returns false. */
bool cfg_get_str(struct cfg_ctx *c, const struct cnode *n, bool nonempty, char **out);
bool cfg_get_int(struct cfg_ctx *c, const struct cnode *n, long long lo, long long hi, long long *out);
bool cfg_get_bool(struct cfg_ctx *c, const struct cnode *n, bool *out);
bool cfg_get_ms(struct cfg_ctx *c, const struct cnode *n, cfg_ms lo, cfg_ms hi, bool whole_s, cfg_ms *out);
bool cfg_get_addr(struct cfg_ctx *c, const struct cnode *n, struct halo_addr *a);
bool cfg_get_enum(struct cfg_ctx *c, const struct cnode *n, const char *const *names, int *out);
bool cfg_get_argv(struct cfg_ctx *c, const struct cnode *n, struct cfg_argv *out);
bool cfg_get_ifname(struct cfg_ctx *c, const struct cnode *n, char **out);
/* Seq: true with the item count (a null node is an empty list). */
bool cfg_get_seq(struct cfg_ctx *c, const struct cnode *n, size_t *count);
const char *cfg_duration_parse(const char *s, cfg_ms *out);   /* NULL or the error */
char *cfg_duration_fmt(cfg_ms ms, char buf[32]);

/* Table-driven mapping walk: unknown, duplicate and missing keys are errors. */
enum cfg_ftype {
	CFT_STR, CFT_NAME, CFT_IFNAME, CFT_BOOL, CFT_U8, CFT_U16, CFT_U32, CFT_INT,
	CFT_MS, CFT_SEC, CFT_ARGV, CFT_ADDR, CFT_ENUM, CFT_FN,
};
struct cfg_field;
typedef void (*cfg_field_fn)(struct cfg_ctx *c, const struct cnode *val, void *obj);
struct cfg_field {
	const char *key;
	enum cfg_ftype type;
	size_t off;
	long long min, max;
	cfg_field_fn fn;
	const char *const *names;      /* CFT_ENUM: value = index */
	bool required;
};
#define CFG_END { NULL, CFT_STR, 0, 0, 0, NULL, NULL, false }
#define CFG_F(k, t, T, m, lo, hi) { k, t, offsetof(T, m), lo, hi, NULL, NULL, false }
#define CFG_REQ(k, t, T, m, lo, hi) { k, t, offsetof(T, m), lo, hi, NULL, NULL, true }
#define CFG_ENUM(k, T, m, names) { k, CFT_ENUM, offsetof(T, m), 0, 0, NULL, names, false }
#define CFG_FN(k, f) { k, CFT_FN, 0, 0, 0, f, NULL, false }
#define CFG_FN_REQ(k, f) { k, CFT_FN, 0, 0, 0, f, NULL, true }

/* false if n is neither a mapping nor null (error reported). */
bool cfg_map_walk(struct cfg_ctx *c, const struct cnode *n, const struct cfg_field *f, void *obj);
/* Checks a mapping's keys only (for free-form maps): scalar, unique. */
bool cfg_map_key_ok(struct cfg_ctx *c, const struct cnode *map, size_t pair);

/* Section parsers (config_vrrp.c, config_vs.c, config_check.c). */
void cfg_parse_global(struct cfg_ctx *c, const struct cnode *n, void *obj);
void cfg_parse_vrrp(struct cfg_ctx *c, const struct cnode *n, void *obj);
void cfg_parse_ipvs(struct cfg_ctx *c, const struct cnode *n, void *obj);
void cfg_parse_virtual_servers(struct cfg_ctx *c, const struct cnode *n, void *obj);
void cfg_parse_check(struct cfg_ctx *c, const struct cnode *n, struct cfg_check *chk,
		     const struct halo_config *cfg);
void cfg_check_init(struct cfg_check *chk);
/* config_track.c: vrrp.instances[].track_* */
void cfg_inst_track_ifs(struct cfg_ctx *c, const struct cnode *v, void *obj);
void cfg_inst_track_scripts(struct cfg_ctx *c, const struct cnode *v, void *obj);
void cfg_inst_track_files(struct cfg_ctx *c, const struct cnode *v, void *obj);
void cfg_inst_track_processes(struct cfg_ctx *c, const struct cnode *v, void *obj);
void cfg_inst_track_vss(struct cfg_ctx *c, const struct cnode *v, void *obj);
/* After every section: track_virtual_servers name configured virtual servers. */
void cfg_resolve_track_vss(struct cfg_ctx *c);

/* Free functions for the pieces (config.c). */
void cfg_argv_free(struct cfg_argv *a);
void cfg_check_free(struct cfg_check *chk);
bool cfg_argv_equal(const struct cfg_argv *a, const struct cfg_argv *b);

extern const char *const cfg_fwd_names[];
extern const char *const cfg_proto_names[];
extern const char *const cfg_check_kind_names[];

#endif
