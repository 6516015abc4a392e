/* YAML text -> node tree with positions, through libyaml's event parser; it
 * knows nothing of the halo schema and refuses aliases, anchors, deep nesting
 * and huge scalars. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config_priv.h"

/* Every node, string and child array of one tree comes from one arena and
 * goes in one cnode_free() of the root: a 10,000-server file has ~200,000
 * of them, and freeing them one by one cost a quarter of the load. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct cnode_arena {
	struct arena_chunk *head;
};

enum { ARENA_CHUNK = 64 * 1024 };

static void *arena_alloc(struct cnode_arena *a, size_t size)
{
	struct arena_chunk *ch = a->head;
	void *p;

	size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!ch || ch->size - ch->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		ch = malloc(sizeof(*ch) + cap);
		if (!ch)
			abort();
		ch->size = cap;
		ch->used = 0;
		ch->next = a->head;
		a->head = ch;
	}
	p = (char *)ch->data + ch->used;
	ch->used += size;
	memset(p, 0, size);
	return p;
}

static void arena_free(struct cnode_arena *a)
{
	while (a && a->head) {
		struct arena_chunk *ch = a->head;

		a->head = ch->next;
		free(ch);
	}
	free(a);
}

struct builder {
	struct cnode_arena *arena;
	struct cfg_ctx *c;
	struct cnode *stack[CFG_MAX_DEPTH + 1];
	size_t depth;
	struct cnode *root;
	unsigned docs;
	bool failed;
};

/* The key path of the node about to be attached, for errors found here. */
static void builder_path(struct builder *b)
{
	struct cfg_ctx *c = b->c;

	c->path_len = 0;
	c->path[0] = '\0';
	for (size_t i = 0; i < b->depth; i++) {
		const struct cnode *p = b->stack[i];
		bool top = i + 1 == b->depth;      /* inner frames hold the open child last */

		if (p->type == CNODE_SEQ)
			cfg_path_index(c, top ? p->n_kids : p->n_kids - 1);
		else if (top && p->n_kids % 2 == 1)
			cfg_path_key(c, p->kids[p->n_kids - 1]->str);
		else if (!top && p->n_kids >= 2)
			cfg_path_key(c, p->kids[p->n_kids - 2]->str);
	}
}

static void builder_error(struct builder *b, const yaml_mark_t *m, const char *msg)
{
	builder_path(b);
	cfg_error_at(b->c, (unsigned)m->line + 1, (unsigned)m->column + 1, "%s", msg);
	b->c->path_len = 0;
	b->c->path[0] = '\0';
}

static struct cnode *node_new(struct builder *b, enum cnode_type t, const yaml_mark_t *m)
{
	struct cnode *n = arena_alloc(b->arena, sizeof(*n));

	n->type = t;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	return n;
}

static char *node_str(struct builder *b, const char *s, size_t len)
{
	char *p = arena_alloc(b->arena, len + 1);

	memcpy(p, s, len);
	return p;
}

/* Grows by doubling inside the arena (the old array stays there until the
 * tree is freed: at most as much again). */
static void node_append(struct builder *b, struct cnode *p, struct cnode *k)
{
	if (p->n_kids == p->cap) {
		struct cnode **kids;

		p->cap = p->cap ? p->cap * 2 : 4;
		kids = arena_alloc(b->arena, p->cap * sizeof(*kids));
		if (p->n_kids)
			memcpy(kids, p->kids, p->n_kids * sizeof(*kids));
		p->kids = kids;
	}
	p->kids[p->n_kids++] = k;
}

static void builder_attach(struct builder *b, struct cnode *n)
{
	if (b->depth == 0) {
		b->root = n;             /* a replaced root stays in the arena */
		return;
	}
	node_append(b, b->stack[b->depth - 1], n);
}

static bool is_null_text(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static void builder_scalar(struct builder *b, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct cnode *n = node_new(b, CNODE_SCALAR, &ev->start_mark);

	if (len > CFG_MAX_SCALAR) {
		builder_error(b, &ev->start_mark, "scalar longer than 65536 bytes");
		n->bad = true;
		len = 0;
	} else if (memchr(v, '\0', len)) {
		builder_error(b, &ev->start_mark, "scalar contains a NUL character");
		n->bad = true;
		len = 0;
	}
	n->str = node_str(b, v, len);
	n->len = len;
	if (!n->bad && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && is_null_text(n->str))
		n->type = CNODE_NULL;
	builder_attach(b, n);
}

static void builder_open(struct builder *b, const yaml_event_t *ev, enum cnode_type t)
{
	struct cnode *n;

	if (b->depth >= CFG_MAX_DEPTH) {
		builder_error(b, &ev->start_mark, "nesting deeper than 64 levels");
		b->failed = true;
		return;
	}
	n = node_new(b, t, &ev->start_mark);
	builder_attach(b, n);
	b->stack[b->depth++] = n;
}

static const char *event_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

static void builder_event(struct builder *b, const yaml_event_t *ev)
{
	if (event_anchor(ev))
		builder_error(b, &ev->start_mark, "anchors are not allowed (no aliases in halo.yaml)");
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1) {
			builder_error(b, &ev->start_mark, "only one YAML document is allowed");
			b->failed = true;
		}
		break;
	case YAML_ALIAS_EVENT: {
		struct cnode *n = node_new(b, CNODE_NULL, &ev->start_mark);

		builder_error(b, &ev->start_mark, "aliases are not allowed");
		n->str = node_str(b, "", 0);
		n->bad = true;
		builder_attach(b, n);
		break;
	}
	case YAML_SCALAR_EVENT:
		builder_scalar(b, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		builder_open(b, ev, CNODE_SEQ);
		break;
	case YAML_MAPPING_START_EVENT:
		builder_open(b, ev, CNODE_MAP);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth)
			b->depth--;
		break;
	default:
		break;
	}
}

/* Line and column of a byte offset, for reader errors that carry no mark. */
static yaml_mark_t offset_mark(const char *buf, size_t len, size_t off)
{
	yaml_mark_t m = { 0 };

	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			m.line++;
			m.column = 0;
		} else {
			m.column++;
		}
	}
	return m;
}

static void syntax_error(struct cfg_ctx *c, const yaml_parser_t *p, const char *buf, size_t len)
{
	yaml_mark_t m = p->problem_mark;
	const char *problem = p->problem ? p->problem : "cannot parse";

	if (p->error == YAML_READER_ERROR)
		m = offset_mark(buf, len, p->problem_offset);
	if (p->context)
		cfg_error_at(c, (unsigned)m.line + 1, (unsigned)m.column + 1,
			     "syntax error: %s (%s at %zu:%zu)", problem, p->context,
			     p->context_mark.line + 1, p->context_mark.column + 1);
	else
		cfg_error_at(c, (unsigned)m.line + 1, (unsigned)m.column + 1,
			     "syntax error: %s", problem);
}

struct cnode *cnode_parse(struct cfg_ctx *c, const char *buf, size_t len)
{
	struct builder b = { .c = c, .arena = calloc(1, sizeof(struct cnode_arena)) };
	yaml_parser_t p;
	yaml_event_t ev;
	bool done = false;

	if (!b.arena || !yaml_parser_initialize(&p))
		abort();
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && !b.failed) {
		if (!yaml_parser_parse(&p, &ev)) {
			syntax_error(c, &p, buf, len);
			b.failed = true;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		if (!done)
			builder_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (b.failed) {
		arena_free(b.arena);
		return NULL;
	}
	if (!b.root) {
		yaml_mark_t m = { 0 };

		b.root = node_new(&b, CNODE_NULL, &m);
		b.root->str = node_str(&b, "", 0);
	}
	b.root->arena = b.arena;
	return b.root;
}

void cnode_free(struct cnode *root)
{
	if (root)
		arena_free(root->arena);
}

const struct cnode *cnode_map_get(const struct cnode *map, const char *key)
{
	if (!map || map->type != CNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n_kids; i += 2)
		if (map->kids[i]->str && !strcmp(map->kids[i]->str, key))
			return map->kids[i + 1];
	return NULL;
}

size_t cnode_len(const struct cnode *n)
{
	if (!n)
		return 0;
	if (n->type == CNODE_MAP)
		return n->n_kids / 2;
	return n->type == CNODE_SEQ ? n->n_kids : 0;
}
