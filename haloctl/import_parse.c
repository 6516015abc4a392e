/* keepalived.conf reader: comments, @id lines, $VAR definitions and
 * substitution, include globs, quoted words and { } blocks, into a tree of
 * statements with file:line. It reads files only through struct imp_io and
 * knows nothing of what the keywords mean. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

#define MAX_DEPTH 16            /* include nesting */
#define MAX_SUBST 32            /* substitution passes per line */

struct var {
	char *name, *value;
};

struct pctx {
	const struct imp_io *io;
	const struct imp_opts *o;
	struct imp_tree *t;
	struct imp_diags *d;
	struct var *vars;
	size_t nvars;
	char *ml_name, *ml_val;        /* a multi-line $NAME= \ definition being read */
	unsigned ml_line;
	struct imp_node *stack[64];    /* open blocks; stack[0] = root */
	size_t depth;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *r = strndup(s, n);

	if (!r)
		abort();
	return r;
}

void imp_diag_add(struct imp_diags *d, bool error, const char *file, unsigned line, const char *fmt, ...)
{
	struct imp_diag *g;
	va_list ap;

	d->v = xrealloc(d->v, (d->n + 1) * sizeof(*d->v));
	g = &d->v[d->n++];
	g->error = error;
	g->file = xstrndup(file ? file : "", strlen(file ? file : ""));
	g->line = line;
	va_start(ap, fmt);
	if (vasprintf(&g->msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	d->n_err += error;
}

void imp_diags_free(struct imp_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ---------------- lines: comments, variables, @id ---------------- */

static void strip_comment(char *s)
{
	bool q = false;

	for (char *p = s; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (!q && (*p == '#' || *p == '!')) {
			*p = '\0';
			return;
		}
	}
}

static const char *var_get(const struct pctx *c, const char *name, size_t n)
{
	for (size_t i = c->nvars; i-- > 0;)
		if (strlen(c->vars[i].name) == n && !strncmp(c->vars[i].name, name, n))
			return c->vars[i].value;
	return NULL;
}

static void var_set(struct pctx *c, const char *name, size_t n, const char *value)
{
	for (size_t i = 0; i < c->nvars; i++)
		if (strlen(c->vars[i].name) == n && !strncmp(c->vars[i].name, name, n)) {
			free(c->vars[i].value);
			c->vars[i].value = xstrndup(value, strlen(value));
			return;
		}
	c->vars = xrealloc(c->vars, (c->nvars + 1) * sizeof(*c->vars));
	c->vars[c->nvars].name = xstrndup(name, n);
	c->vars[c->nvars++].value = xstrndup(value, strlen(value));
}

static size_t name_len(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

/* One pass of $NAME (followed by white space or end) and ${NAME}; true if
 * anything was replaced. Undefined names stay as they are (keepalived). */
static bool subst_once(const struct pctx *c, char **line)
{
	char *s = *line;

	for (char *p = s; *p; p++) {
		bool brace = p[1] == '{';
		const char *nm = p + 1 + brace, *val;
		size_t n, skip;

		if (*p != '$' || !(n = name_len(nm)))
			continue;
		if (brace ? nm[n] != '}' : (nm[n] && !isspace((unsigned char)nm[n])))
			continue;
		if (!(val = var_get(c, nm, n)))
			continue;
		skip = 1 + brace + n + brace;
		char *r = NULL;
		if (asprintf(&r, "%.*s%s%s", (int)(p - s), s, val, p + skip) < 0)
			abort();
		free(s);
		*line = r;
		return true;
	}
	return false;
}

/* "$NAME=value" with nothing but white space before the '$'. */
static bool is_definition(const char *s, size_t *n)
{
	*n = s[0] == '$' ? name_len(s + 1) : 0;
	return *n && s[1 + *n] == '=';
}

/* @id / @^id prefix: false if the line is for another config id. */
static bool cond_keep(const struct pctx *c, char **p)
{
	char *s = *p + 1;
	bool neg = *s == '^';
	size_t n;
	bool match;

	s += neg;
	n = strcspn(s, " \t");
	match = c->o->config_id && strlen(c->o->config_id) == n && !strncmp(s, c->o->config_id, n);
	s += n;
	while (isspace((unsigned char)*s))
		s++;
	*p = s;
	return match != neg;
}

/* ---------------- words and blocks ---------------- */

static struct imp_node *node_new(struct pctx *c, const char *file, unsigned line)
{
	struct imp_node *parent = c->stack[c->depth], *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	n->file = file;
	n->line = line;
	parent->kids = xrealloc(parent->kids, (parent->nkids + 1) * sizeof(*parent->kids));
	parent->kids[parent->nkids++] = n;
	return n;
}

static void stmt_flush(struct pctx *c, char ***w, size_t *nw, const char *file, unsigned line)
{
	struct imp_node *n;

	if (!*nw)
		return;
	n = node_new(c, file, line);
	n->w = *w;
	n->nw = *nw;
	*w = NULL;
	*nw = 0;
}

static void open_block(struct pctx *c, char ***w, size_t *nw, const char *file, unsigned line)
{
	struct imp_node *parent = c->stack[c->depth], *n;

	if (*nw) {
		stmt_flush(c, w, nw, file, line);
		n = parent->kids[parent->nkids - 1];
	} else if (parent->nkids && !parent->kids[parent->nkids - 1]->block) {
		n = parent->kids[parent->nkids - 1];   /* "{" on the line after its keyword */
	} else {
		imp_diag_add(c->d, true, file, line, "'{' without a keyword");
		n = node_new(c, file, line);
		n->w = calloc(2, sizeof(char *));
		n->w[0] = xstrndup("", 0);
		n->nw = 1;
	}
	n->block = true;
	if (c->depth + 1 >= sizeof(c->stack) / sizeof(c->stack[0])) {
		imp_diag_add(c->d, true, file, line, "blocks nested too deeply");
		return;
	}
	c->stack[++c->depth] = n;
}

static void add_word(char ***w, size_t *nw, const char *s, size_t n)
{
	*w = xrealloc(*w, (*nw + 2) * sizeof(char *));
	(*w)[(*nw)++] = xstrndup(s, n);
	(*w)[*nw] = NULL;
}

/* A bare word ends at white space, a quote or a brace, except that an
 * undefined ${NAME} stays in its word (keepalived leaves it as text). */
static size_t word_len(const char *s)
{
	size_t n = 0;

	for (;;) {
		n += strcspn(s + n, " \t\r\n{}\"");
		if (s[n] == '{' && n && s[n - 1] == '$' && strchr(s + n, '}'))
			n = (size_t)(strchr(s + n, '}') - s) + 1;
		else
			return n;
	}
}

/* Splits a line into words; quoted strings are one word without quotes. */
static void line_words(struct pctx *c, const char *s, const char *file, unsigned line, char ***w, size_t *nw)
{
	while (*s) {
		size_t n;

		if (isspace((unsigned char)*s)) {
			s++;
		} else if (*s == '{') {
			open_block(c, w, nw, file, line);
			s++;
		} else if (*s == '}') {
			stmt_flush(c, w, nw, file, line);
			if (c->depth == 0)
				imp_diag_add(c->d, true, file, line, "'}' without an open block");
			else
				c->depth--;
			s++;
		} else if (*s == '"') {
			n = strcspn(s + 1, "\"");
			if (!s[1 + n])
				imp_diag_add(c->d, true, file, line, "unterminated quoted string");
			add_word(w, nw, s + 1, n);
			s += 1 + n + (s[1 + n] == '"');
		} else {
			n = word_len(s);
			add_word(w, nw, s, n);
			s += n;
		}
	}
}

static int parse_text(struct pctx *c, const char *file, const char *buf, size_t len, unsigned depth);

static char *dir_join(const char *from, const char *rel)
{
	const char *slash = strrchr(from, '/');
	char *r;

	if (rel[0] == '/' || !slash)
		return xstrndup(rel, strlen(rel));
	if (asprintf(&r, "%.*s/%s", (int)(slash - from), from, rel) < 0)
		abort();
	return r;
}

static int read_into(struct pctx *c, const char *path, const char *from, unsigned line, unsigned depth)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (c->io->read(c->io->arg, path, &buf, &len) < 0) {
		imp_diag_add(c->d, true, from, line, "cannot read %s", path);
		return -1;
	}
	rc = parse_text(c, path, buf, len, depth);
	free(buf);
	return rc;
}

static void do_include(struct pctx *c, char **w, size_t nw, const char *file, unsigned line, unsigned depth)
{
	if (nw < 2)
		imp_diag_add(c->d, true, file, line, "include needs a file name");
	if (depth + 1 >= MAX_DEPTH) {
		imp_diag_add(c->d, true, file, line, "include nested more than %d deep", MAX_DEPTH);
		return;
	}
	for (size_t i = 1; i < nw; i++) {
		char *pat = dir_join(file, w[i]), **paths = NULL;
		size_t n = 0;

		if (c->io->glob(c->io->arg, pat, &paths, &n) < 0 || !n)
			imp_diag_add(c->d, true, file, line, "include %s: no such file", w[i]);
		for (size_t k = 0; k < n; k++) {
			read_into(c, paths[k], file, line, depth + 1);
			free(paths[k]);
		}
		free(paths);
		free(pat);
	}
}

static void words_free(char **w, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		free(w[i]);
	free(w);
}

/* Substitutes variables, except on a line that defines one. */
static void subst_line(const struct pctx *c, char **text)
{
	const char *s = *text;
	size_t n, pass = 0;

	while (isspace((unsigned char)*s))
		s++;
	/* "@id $NAME=value" is a definition too: look past the condition
	 * (substituting into it made each such line up to 32 times longer) */
	if (*s == '@') {
		s += strcspn(s, " \t");
		while (isspace((unsigned char)*s))
			s++;
	}
	if (!is_definition(s, &n))
		while (pass++ < MAX_SUBST && subst_once(c, text))
			;
}

/* A line of a multi-line definition: "text \" continues it, the first
 * line without the backslash ends it. Lines are kept apart by newlines and
 * read one by one where the parameter is used. */
static void ml_continue(struct pctx *c, const char *text)
{
	size_t n = strlen(text), old = strlen(c->ml_val);
	bool more;

	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	more = n && text[n - 1] == '\\';
	n -= more;
	c->ml_val = realloc(c->ml_val, old + n + 2);
	if (!c->ml_val)
		abort();
	c->ml_val[old] = '\n';
	memcpy(c->ml_val + old + 1, text, n);
	c->ml_val[old + 1 + n] = '\0';
	if (more)
		return;
	var_set(c, c->ml_name, strlen(c->ml_name), c->ml_val);
	free(c->ml_name);
	free(c->ml_val);
	c->ml_name = c->ml_val = NULL;
}

static void handle_line(struct pctx *c, char *text, const char *file, unsigned line, unsigned depth)
{
	char *s, **w = NULL;
	size_t n, nw = 0;

	for (s = text; isspace((unsigned char)*s); s++)
		;
	if (*s == '@' && !cond_keep(c, &s))
		return;
	if (is_definition(s, &n)) {
		char *v = s + n + 2, *e = v + strlen(v);
		while (e > v && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (e > v && e[-1] == '\\') {
			*--e = '\0';
			c->ml_name = xstrndup(s + 1, n);
			c->ml_val = xstrndup(v, strlen(v));
			c->ml_line = line;
			return;
		}
		var_set(c, s + 1, n, v);
		return;
	}
	line_words(c, s, file, line, &w, &nw);
	if (nw && !strcmp(w[0], "include")) {
		do_include(c, w, nw, file, line, depth);
		words_free(w, nw);
		return;
	}
	stmt_flush(c, &w, &nw, file, line);
}

/* YAML carries only UTF-8 text: reject other bytes where they are read. */
bool imp_utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b = s[i];
		size_t k = b < 0x80 ? 0 : (b & 0xe0) == 0xc0 ? 1 : (b & 0xf0) == 0xe0 ? 2 : (b & 0xf8) == 0xf0 ? 3 : 9;
		uint32_t cp = k == 0 ? b : k == 1 ? b & 0x1f : k == 2 ? b & 0x0f : b & 0x07;

		if (k == 9 || i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += k + 1;
	}
	return true;
}

static int parse_text(struct pctx *c, const char *file, const char *buf, size_t len, unsigned depth)
{
	const char *end = buf + len, *p = buf;
	unsigned line = 0;
	const char *fname;

	c->t->files = xrealloc(c->t->files, (c->t->nfiles + 1) * sizeof(char *));
	fname = c->t->files[c->t->nfiles++] = xstrndup(file, strlen(file));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *text = xstrndup(p, n);

		line++;
		if (memchr(p, '\0', n))
			imp_diag_add(c->d, true, fname, line, "NUL byte in the file");
		else if (!imp_utf8_ok((const unsigned char *)p, n))
			imp_diag_add(c->d, true, fname, line, "not valid UTF-8 (halo's YAML is UTF-8)");
		strip_comment(text);
		if (c->ml_name) {
			ml_continue(c, text);
		} else {
			subst_line(c, &text);
			/* a multi-line parameter expands to several lines; one of
			 * them may start a multi-line definition, which the next
			 * ones continue (found by fuzz_import: a second start
			 * leaked the first) */
			for (char *piece = text, *nl2; piece; piece = nl2) {
				if ((nl2 = strchr(piece, '\n')))
					*nl2++ = '\0';
				if (c->ml_name)
					ml_continue(c, piece);
				else
					handle_line(c, piece, fname, line, depth);
			}
		}
		free(text);
		p += n + 1;
	}
	return 0;
}

int imp_parse_buf(const char *name, const char *buf, size_t len, const struct imp_io *io,
		  const struct imp_opts *o, struct imp_tree *t, struct imp_diags *d)
{
	struct pctx c = { .io = io, .o = o, .t = t, .d = d };
	size_t before = d->n_err;

	memset(t, 0, sizeof(*t));
	c.stack[0] = &t->root;
	t->root.block = true;
	parse_text(&c, name, buf, len, 0);
	if (c.ml_name) {
		imp_diag_add(d, true, name, c.ml_line, "$%s= \\ definition is never ended (its last line has no '\\')",
			     c.ml_name);
		free(c.ml_name);
		free(c.ml_val);
	}
	for (size_t i = c.depth; i > 0; i--)
		imp_diag_add(d, true, c.stack[i]->file, c.stack[i]->line, "block %s is never closed (missing '}')",
			     c.stack[i]->w[0]);
	for (size_t i = 0; i < c.nvars; i++) {
		free(c.vars[i].name);
		free(c.vars[i].value);
	}
	free(c.vars);
	return d->n_err > before ? -1 : 0;
}

int imp_parse(const char *path, const struct imp_io *io, const struct imp_opts *o,
	      struct imp_tree *t, struct imp_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (io->read(io->arg, path, &buf, &len) < 0) {
		memset(t, 0, sizeof(*t));
		imp_diag_add(d, true, path, 0, "cannot read the file");
		return -1;
	}
	rc = imp_parse_buf(path, buf, len, io, o, t, d);
	free(buf);
	return rc;
}

static void node_free(struct imp_node *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		node_free(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
	words_free(n->w, n->nw);
}

void imp_tree_free(struct imp_tree *t)
{
	node_free(&t->root);
	for (size_t i = 0; i < t->nfiles; i++)
		free(t->files[i]);
	free(t->files);
	memset(t, 0, sizeof(*t));
}

/* ---------------- helpers for the mapping ---------------- */

struct imp_node *imp_get(struct imp_node *n, const char *kw)
{
	struct imp_node *r = NULL;

	for (size_t i = 0; n && i < n->nkids; i++)
		if (!strcmp(n->kids[i]->w[0], kw)) {
			n->kids[i]->used = true;
			r = n->kids[i];
		}
	return r;
}

size_t imp_all(struct imp_node *n, const char *kw, struct imp_node ***out)
{
	size_t k = 0;

	*out = NULL;
	for (size_t i = 0; n && i < n->nkids; i++)
		if (!strcmp(n->kids[i]->w[0], kw)) {
			n->kids[i]->used = true;
			*out = xrealloc(*out, (k + 1) * sizeof(**out));
			(*out)[k++] = n->kids[i];
		}
	return k;
}

const char *imp_arg(const struct imp_node *n, size_t i)
{
	return n && i < n->nw ? n->w[i] : NULL;
}

long long imp_parse_secs(const char *s)
{
	long long whole = 0, frac = 0, scale = 1000;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > 100000000)
			return -1;
	}
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			scale /= 10;
			if (!scale && *p != '0')
				return -2;     /* finer than 1 ms */
			frac += (*p - '0') * scale;
		}
	}
	return *p ? -1 : whole * 1000 + frac;
}

static void argv_push(char ***v, size_t *n, const char *s, size_t len)
{
	*v = xrealloc(*v, (*n + 2) * sizeof(char *));
	(*v)[(*n)++] = xstrndup(s, len);
	(*v)[*n] = NULL;
}

char **imp_split_argv(const char *s, size_t *argc)
{
	char **v = NULL, *cur = malloc(strlen(s) + 1);
	size_t n = 0, k = 0;
	bool in = false;
	char q = 0;

	if (!cur)
		abort();
	for (const char *p = s;; p++) {
		if (!*p || (!q && isspace((unsigned char)*p))) {
			if (in)
				argv_push(&v, &n, cur, k);
			in = false;
			k = 0;
			if (!*p)
				break;
		} else if (!q && (*p == '\'' || *p == '"')) {
			q = *p;
			in = true;
		} else if (q && *p == q) {
			q = 0;
		} else if (*p == '\\' && p[1] && q != '\'') {
			cur[k++] = *++p;
			in = true;
		} else {
			cur[k++] = *p;
			in = true;
		}
	}
	free(cur);
	if (!v) {
		v = calloc(1, sizeof(char *));
		if (!v)
			abort();
	}
	*argc = n;
	return v;
}

void imp_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}
