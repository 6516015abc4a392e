/* Loader plumbing: error collection with key paths, scalar conversions and the
 * table-driven mapping walk. Errors are recorded, never printed until flushed. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

void *cfg_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

char *cfg_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

/* One error is one line: control characters a value carried (a flow item
 * spanning lines, a tab) are written as \xNN, so no config can forge a
 * second line in the log. */
static void escape_controls(char *out, size_t cap, const char *in)
{
	size_t o = 0;

	for (; *in && o + 5 < cap; in++) {
		unsigned char ch = (unsigned char)*in;
		if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
}

static void cfg_verror(struct cfg_ctx *c, unsigned line, unsigned col, const char *fmt, va_list ap)
{
	char msg[512], path[512], *text;
	int n;

	if (c->n_errs >= CFG_MAX_ERRORS)
		return;
	char raw[sizeof(msg)];

	/* the key path is escaped too: a key can carry control characters
	 * (a quoted or flow key spanning lines, found by fuzz_config) */
	vsnprintf(raw, sizeof(raw), fmt, ap);
	escape_controls(msg, sizeof(msg), raw);
	escape_controls(path, sizeof(path), c->path_len ? c->path : "");
	if (c->path_len)
		n = asprintf(&text, "%s:%u:%u: %s: %s", c->name, line, col, path, msg);
	else
		n = asprintf(&text, "%s:%u:%u: %s", c->name, line, col, msg);
	if (n < 0)
		abort();
	if (c->n_errs == c->cap_errs) {
		c->cap_errs = c->cap_errs ? c->cap_errs * 2 : 16;
		c->errs = realloc(c->errs, c->cap_errs * sizeof(*c->errs));
		if (!c->errs)
			abort();
	}
	c->errs[c->n_errs] = (struct cfg_err){ line, col, c->n_errs, text };
	c->n_errs++;
}

void cfg_error_at(struct cfg_ctx *c, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(c, line, col, fmt, ap);
	va_end(ap);
}

void cfg_error(struct cfg_ctx *c, const struct cnode *at, const char *fmt, ...)
{
	va_list ap;

	if (at && at->bad)             /* reported once where it was read */
		return;
	va_start(ap, fmt);
	cfg_verror(c, at ? at->line : 1, at ? at->col : 1, fmt, ap);
	va_end(ap);
}

static int err_cmp(const void *a, const void *b)
{
	const struct cfg_err *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void cfg_errors_flush(struct cfg_ctx *c, FILE *errs)
{
	if (c->n_errs)
		qsort(c->errs, c->n_errs, sizeof(*c->errs), err_cmp);
	for (size_t i = 0; i < c->n_errs; i++) {
		if (errs)
			fprintf(errs, "%s\n", c->errs[i].text);
		free(c->errs[i].text);
	}
	if (errs && c->n_errs >= CFG_MAX_ERRORS)
		fprintf(errs, "%s: too many errors, stopped after %d\n", c->name, CFG_MAX_ERRORS);
	free(c->errs);
	c->errs = NULL;
	c->n_errs = c->cap_errs = 0;
}

static size_t path_append(struct cfg_ctx *c, const char *text)
{
	size_t old = c->path_len, n = strlen(text);

	if (n < sizeof(c->path) - old) {
		memcpy(c->path + old, text, n + 1);
		c->path_len += n;
	}
	return old;
}

size_t cfg_path_key(struct cfg_ctx *c, const char *key)
{
	size_t old = c->path_len;

	if (c->path_len)
		path_append(c, ".");
	path_append(c, key ? key : "?");
	return old;
}

size_t cfg_path_index(struct cfg_ctx *c, size_t i)
{
	char buf[32], *p = buf + sizeof(buf);

	/* by hand: this runs for every list item of a big file, snprintf was 5 % of a load */
	*--p = '\0';
	*--p = ']';
	do
		*--p = (char)('0' + i % 10);
	while ((i /= 10));
	*--p = '[';
	return path_append(c, p);
}

void cfg_path_pop(struct cfg_ctx *c, size_t old_len)
{
	c->path_len = old_len;
	c->path[old_len] = '\0';
}

static const char *node_kind(const struct cnode *n)
{
	switch (n->type) {
	case CNODE_MAP:
		return "a mapping";
	case CNODE_SEQ:
		return "a list";
	case CNODE_NULL:
		return "nothing (null)";
	default:
		return "a scalar";
	}
}

static bool want_scalar(struct cfg_ctx *c, const struct cnode *n, const char *what)
{
	if (n->bad)
		return false;
	if (n->type == CNODE_SCALAR)
		return true;
	cfg_error(c, n, "expected %s, found %s", what, node_kind(n));
	return false;
}

bool cfg_get_str(struct cfg_ctx *c, const struct cnode *n, bool nonempty, char **out)
{
	if (!want_scalar(c, n, "a string"))
		return false;
	if (nonempty && !n->len) {
		cfg_error(c, n, "must not be empty");
		return false;
	}
	free(*out);
	*out = cfg_strdup(n->str);
	return true;
}

bool cfg_get_int(struct cfg_ctx *c, const struct cnode *n, long long lo, long long hi, long long *out)
{
	const char *s = n->str;
	char *end;
	long long v;

	if (!want_scalar(c, n, "an integer"))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (!(isdigit((unsigned char)*s) || (*s == '-' && isdigit((unsigned char)s[1]))) || *end) {
		cfg_error(c, n, "expected an integer, found \"%.64s\"", s);
		return false;
	}
	if (s[*s == '-'] == '0' && s[(*s == '-') + 1]) {
		cfg_error(c, n, "%.64s: no leading zeros (YAML 1.1 would read it as octal)", s);
		return false;
	}
	if (errno == ERANGE || v < lo || v > hi) {
		cfg_error(c, n, "%.64s is out of range (%lld..%lld)", s, lo, hi);
		return false;
	}
	*out = v;
	return true;
}

bool cfg_get_bool(struct cfg_ctx *c, const struct cnode *n, bool *out)
{
	if (!want_scalar(c, n, "true or false"))
		return false;
	if (!strcmp(n->str, "true") || !strcmp(n->str, "True") || !strcmp(n->str, "TRUE"))
		*out = true;
	else if (!strcmp(n->str, "false") || !strcmp(n->str, "False") || !strcmp(n->str, "FALSE"))
		*out = false;
	else {
		cfg_error(c, n, "expected true or false, found \"%.64s\"", n->str);
		return false;
	}
	return true;
}

static const char *unit_mult(const char *u, uint64_t *mult)
{
	if (!*u)
		return "missing unit (ms, s, m or h)";
	if (!strcmp(u, "ms"))
		*mult = 1;
	else if (!strcmp(u, "s"))
		*mult = 1000;
	else if (!strcmp(u, "m"))
		*mult = 60000;
	else if (!strcmp(u, "h"))
		*mult = 3600000;
	else if (!strcmp(u, "us") || !strcmp(u, "ns") || !strcmp(u, "\xc2\xb5s"))
		return "below the 1ms resolution";
	else
		return "unknown unit (use ms, s, m or h)";
	return NULL;
}

const char *cfg_duration_parse(const char *s, cfg_ms *out)
{
	uint64_t whole = 0, frac = 0, fdiv = 1, mult = 0;
	const char *err;

	if (!isdigit((unsigned char)*s))
		return "expected a duration such as 500ms, 1s, 1.5s, 2m or 1h";
	for (; isdigit((unsigned char)*s); s++) {
		if (whole > UINT64_MAX / 100)
			return "too large";
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return "expected digits after the decimal point";
		for (; isdigit((unsigned char)*s); s++) {
			if (fdiv >= 1000000000)
				return "below the 1ms resolution";
			frac = frac * 10 + (uint64_t)(*s - '0');
			fdiv *= 10;
		}
	}
	if ((err = unit_mult(s, &mult)))
		return err;
	if (whole > UINT64_MAX / 4 / mult)
		return "too large";
	if (frac * mult % fdiv)
		return "below the 1ms resolution";
	*out = whole * mult + frac * mult / fdiv;
	return NULL;
}

int config_parse_duration(const char *s, cfg_ms *out)
{
	return s && cfg_duration_parse(s, out) == NULL ? 0 : -1;
}

char *cfg_duration_fmt(cfg_ms ms, char buf[32])
{
	size_t n;

	if (ms % 1000 == 0)
		snprintf(buf, 32, "%llus", (unsigned long long)(ms / 1000));
	else if (ms < 1000)
		snprintf(buf, 32, "%llums", (unsigned long long)ms);
	else {
		snprintf(buf, 32, "%llu.%03u", (unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
		n = strlen(buf);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
		strcat(buf, "s");
	}
	return buf;
}

bool cfg_get_ms(struct cfg_ctx *c, const struct cnode *n, cfg_ms lo, cfg_ms hi, bool whole_s, cfg_ms *out)
{
	char a[32], b[32];
	const char *err;
	cfg_ms v;

	if (!want_scalar(c, n, "a duration"))
		return false;
	if ((err = cfg_duration_parse(n->str, &v))) {
		cfg_error(c, n, "bad duration \"%.64s\": %s", n->str, err);
		return false;
	}
	if (v < lo || v > hi) {
		cfg_error(c, n, "%.64s is out of range (%s..%s)", n->str,
			  cfg_duration_fmt(lo, a), cfg_duration_fmt(hi, b));
		return false;
	}
	if (whole_s && v % 1000) {
		cfg_error(c, n, "%.64s: must be whole seconds", n->str);
		return false;
	}
	*out = v;
	return true;
}

bool cfg_get_addr(struct cfg_ctx *c, const struct cnode *n, struct halo_addr *a)
{
	if (!want_scalar(c, n, "an address"))
		return false;
	if (halo_addr_parse(n->str, a) < 0) {
		cfg_error(c, n, "bad address \"%.64s\" (expected IPv4 or IPv6, no prefix)", n->str);
		return false;
	}
	return true;
}

bool cfg_get_enum(struct cfg_ctx *c, const struct cnode *n, const char *const *names, int *out)
{
	char list[256] = "";

	if (!want_scalar(c, n, "a name"))
		return false;
	for (int i = 0; names[i]; i++) {
		if (!strcmp(n->str, names[i])) {
			*out = i;
			return true;
		}
		if (i)
			strncat(list, names[i + 1] ? ", " : " or ", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	cfg_error(c, n, "unknown value \"%.64s\" (expected %s)", n->str, list);
	return false;
}

bool cfg_get_seq(struct cfg_ctx *c, const struct cnode *n, size_t *count)
{
	*count = 0;
	if (n->bad)
		return false;
	if (n->type == CNODE_NULL)
		return true;
	if (n->type != CNODE_SEQ) {
		cfg_error(c, n, "expected a list, found %s", node_kind(n));
		return false;
	}
	*count = n->n_kids;
	return true;
}

bool cfg_get_argv(struct cfg_ctx *c, const struct cnode *n, struct cfg_argv *out)
{
	size_t cnt;
	bool ok = true;

	if (n->type == CNODE_SCALAR) {
		cfg_error(c, n, "expected a list (argv, run without a shell), found a scalar");
		return false;
	}
	if (!cfg_get_seq(c, n, &cnt))
		return false;
	if (!cnt) {
		cfg_error(c, n, "must not be empty");
		return false;
	}
	cfg_argv_free(out);
	out->argv = cfg_calloc(cnt + 1, sizeof(char *));
	out->argc = cnt;
	for (size_t i = 0; i < cnt; i++) {
		size_t old = cfg_path_index(c, i);

		if (!cfg_get_str(c, n->kids[i], i == 0, &out->argv[i]))
			ok = false;
		else if (i == 0 && out->argv[0][0] != '/') {
			cfg_error(c, n->kids[i], "the command must be an absolute path");
			ok = false;
		}
		cfg_path_pop(c, old);
		if (!out->argv[i])
			out->argv[i] = cfg_strdup("");
	}
	return ok;
}

bool config_ifname_ok(const char *s)
{
	size_t len = strlen(s);

	return len >= 1 && len <= 15 && !strpbrk(s, "/: \t") && strcmp(s, ".") && strcmp(s, "..");
}

bool cfg_get_ifname(struct cfg_ctx *c, const struct cnode *n, char **out)
{
	char *s = NULL;

	if (!cfg_get_str(c, n, true, &s))
		return false;
	if (!config_ifname_ok(s)) {
		cfg_error(c, n, "bad interface name \"%.64s\" (1..15 characters, no '/', ':' or spaces)", s);
		free(s);
		return false;
	}
	free(*out);
	*out = s;
	return true;
}

bool cfg_map_key_ok(struct cfg_ctx *c, const struct cnode *map, size_t pair)
{
	const struct cnode *k = map->kids[2 * pair];
	size_t old;

	if (k->type == CNODE_MAP || k->type == CNODE_SEQ) {
		cfg_error(c, k, "mapping keys must be scalars");
		return false;
	}
	for (size_t j = 0; j < pair; j++) {
		const struct cnode *p = map->kids[2 * j];

		if (p->str && !strcmp(p->str, k->str)) {
			old = cfg_path_key(c, k->str);
			cfg_error(c, k, "duplicate key (first at line %u)", p->line);
			cfg_path_pop(c, old);
			return false;
		}
	}
	return true;
}

static void field_int(struct cfg_ctx *c, const struct cnode *v, const struct cfg_field *f, char *p)
{
	long long x;

	if (!cfg_get_int(c, v, f->min, f->max, &x))
		return;
	switch (f->type) {
	case CFT_U8:
		*(uint8_t *)p = (uint8_t)x;
		break;
	case CFT_U16:
		*(uint16_t *)p = (uint16_t)x;
		break;
	case CFT_U32:
		*(uint32_t *)p = (uint32_t)x;
		break;
	default:
		*(int *)p = (int)x;
		break;
	}
}

static void field_set(struct cfg_ctx *c, const struct cnode *v, const struct cfg_field *f, void *obj)
{
	char *p = f->type == CFT_FN ? NULL : (char *)obj + f->off;

	switch (f->type) {
	case CFT_STR:
	case CFT_NAME:
		cfg_get_str(c, v, f->type == CFT_NAME, (char **)p);
		break;
	case CFT_IFNAME:
		cfg_get_ifname(c, v, (char **)p);
		break;
	case CFT_BOOL:
		cfg_get_bool(c, v, (bool *)p);
		break;
	case CFT_U8:
	case CFT_U16:
	case CFT_U32:
	case CFT_INT:
		field_int(c, v, f, p);
		break;
	case CFT_MS:
	case CFT_SEC:
		cfg_get_ms(c, v, (cfg_ms)f->min, (cfg_ms)f->max, f->type == CFT_SEC, (cfg_ms *)p);
		break;
	case CFT_ARGV:
		cfg_get_argv(c, v, (struct cfg_argv *)p);
		break;
	case CFT_ADDR:
		cfg_get_addr(c, v, (struct halo_addr *)p);
		break;
	case CFT_ENUM:
		cfg_get_enum(c, v, f->names, (int *)p);
		break;
	case CFT_FN:
		f->fn(c, v, obj);
		break;
	}
}

/* Edit distance of short keys, for "did you mean"; capped at 3. */
static unsigned key_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64], prev, tmp;

	if (la >= 64 || lb >= 64)
		return 3;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = prev < row[j] ? prev : row[j];

			if (row[j - 1] < best)
				best = row[j - 1];
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev : best + 1;
			prev = tmp;
		}
	}
	return row[lb] < 3 ? row[lb] : 3;
}

static void unknown_key(struct cfg_ctx *c, const struct cnode *k, const struct cfg_field *f)
{
	const char *best = NULL;
	unsigned d, best_d = 3;

	for (; f->key; f++)
		if ((d = key_distance(k->str, f->key)) < best_d) {
			best_d = d;
			best = f->key;
		}
	if (best)
		cfg_error(c, k, "unknown key (did you mean %s?)", best);
	else
		cfg_error(c, k, "unknown key");
}

static const struct cfg_field *field_find(const struct cfg_field *f, const char *key)
{
	for (; f->key; f++)
		if (!strcmp(f->key, key))
			return f;
	return NULL;
}

bool cfg_map_walk(struct cfg_ctx *c, const struct cnode *n, const struct cfg_field *fields, void *obj)
{
	size_t old;

	if (n->bad)
		return false;
	if (n->type != CNODE_MAP && n->type != CNODE_NULL) {
		cfg_error(c, n, "expected a mapping, found %s", node_kind(n));
		return false;
	}
	for (size_t i = 0; i < cnode_len(n); i++) {
		const struct cnode *k = n->kids[2 * i];
		const struct cfg_field *f;

		if (!cfg_map_key_ok(c, n, i))
			continue;
		old = cfg_path_key(c, k->str);
		if (!(f = field_find(fields, k->str)))
			unknown_key(c, k, fields);
		else
			field_set(c, n->kids[2 * i + 1], f, obj);
		cfg_path_pop(c, old);
	}
	for (const struct cfg_field *f = fields; f->key; f++) {
		if (f->required && !cnode_map_get(n, f->key)) {
			old = cfg_path_key(c, f->key);
			cfg_error(c, n, "missing required key");
			cfg_path_pop(c, old);
		}
	}
	return true;
}
