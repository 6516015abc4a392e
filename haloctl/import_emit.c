/* The keepalived -> halo mapping's frame: YAML writer, diagnostics, the
 * top-level order of sections and the sweep that reports every statement
 * no mapping consumed. It writes only to the stream it is given. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "config.h"
#include "import_map.h"

static void diag(struct imp_map *m, bool error, const struct imp_node *n, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	imp_diag_add(m->d, error, n ? n->file : NULL, n ? n->line : 0, "%s", msg);
	free(msg);
}

void imp_warn(struct imp_map *m, const struct imp_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(m, false, n, fmt, ap);
	va_end(ap);
}

void imp_err(struct imp_map *m, const struct imp_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(m, true, n, fmt, ap);
	va_end(ap);
}

bool imp_need_args(struct imp_map *m, const struct imp_node *n, size_t lo, size_t hi)
{
	if (n->nw - 1 >= lo && n->nw - 1 <= hi)
		return true;
	if (lo == hi)
		imp_err(m, n, "%s takes %zu argument%s", n->w[0], lo, lo == 1 ? "" : "s");
	else
		imp_err(m, n, "%s takes %zu to %zu arguments", n->w[0], lo, hi);
	return false;
}

bool imp_int(struct imp_map *m, const struct imp_node *n, size_t i, long long lo, long long hi, long long *out)
{
	const char *s = imp_arg(n, i);
	char *end;
	long long v;

	if (!s) {
		imp_err(m, n, "%s needs a value", n->w[0]);
		return false;
	}
	v = strtoll(s, &end, 10);
	if (!*s || *end || (!isdigit((unsigned char)*s) && *s != '-') || v < lo || v > hi) {
		imp_err(m, n, "%s %s: keepalived expects an integer %lld..%lld", n->w[0], s, lo, hi);
		return false;
	}
	*out = v;
	return true;
}

bool imp_secs(struct imp_map *m, const struct imp_node *n, size_t i, long long *ms)
{
	const char *s = imp_arg(n, i);
	long long v = imp_parse_secs(s);

	if (v == -2) {
		imp_err(m, n, "%s %s: halo keeps timers in milliseconds", n->w[0], s);
		return false;
	}
	if (v < 0) {
		imp_err(m, n, "%s %s: keepalived expects seconds (e.g. 3 or 0.5)", n->w[0], s ? s : "(none)");
		return false;
	}
	*ms = v;
	return true;
}

bool imp_ifname(struct imp_map *m, const struct imp_node *n, const char *name)
{
	/* the loader's own rule (found by fuzz_import: "." passed here) */
	if (config_ifname_ok(name))
		return true;
	if (name == n->w[0])    /* a track_interface entry is the name itself */
		imp_err(m, n, "\"%s\" is not an interface name (1..15 characters, no '/', ':' or spaces)", name);
	else
		imp_err(m, n, "%s: \"%s\" is not an interface name (1..15 characters, no '/', ':' or spaces)",
			n->w[0], name);
	return false;
}

bool imp_is_addr(const char *s, int *family)
{
	unsigned char b[16];

	if (s && inet_pton(AF_INET, s, b) == 1) {
		*family = AF_INET;
		return true;
	}
	if (s && inet_pton(AF_INET6, s, b) == 1) {
		*family = AF_INET6;
		return true;
	}
	return false;
}

/* ---------------- YAML ---------------- */

static bool plain_ok(const char *s)
{
	static const char *const words[] = { "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", NULL };
	char *end;

	if (!*s || !(isalnum((unsigned char)*s) || *s == '/' || *s == '_' || *s == '.'))
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_./@+=-:", *p))
			return false;
	for (int i = 0; words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return false;
	(void)strtod(s, &end);
	return *end && s[strlen(s) - 1] != ':' && strspn(s, "0123456789_:+-") != strlen(s);
}

/* UTF-8 that a YAML reader refuses (C1 controls, U+FFFE, U+FFFF) or reads
 * as a line break or byte-order mark (U+0085, U+2028, U+2029, U+FEFF)
 * inside a double-quoted scalar (found by fuzz_import: U+009C in a
 * UDP_CHECK payload): bytes it takes, with the code point in *cp, else 0.
 * Input is valid UTF-8 (the parser refuses the rest). */
static size_t yaml_unprintable(const unsigned char *q, unsigned *cp)
{
	if (q[0] == 0xc2 && q[1] >= 0x80 && q[1] <= 0x9f)
		*cp = q[1];
	else if (q[0] == 0xe2 && q[1] == 0x80 && (q[2] == 0xa8 || q[2] == 0xa9))
		*cp = 0x2000 | (q[2] - 0x80);
	else if (q[0] == 0xef && q[1] == 0xbf && (q[2] == 0xbe || q[2] == 0xbf))
		*cp = 0xffc0 | (q[2] - 0x80);
	else if (q[0] == 0xef && q[1] == 0xbb && q[2] == 0xbf)
		*cp = 0xfeff;
	else
		return 0;
	return *cp < 0x100 ? 2 : 3;
}

static void scalar(FILE *f, const char *s, bool flow)
{
	size_t n;
	unsigned cp;

	if (plain_ok(s) && !(flow && strchr(s, ':'))) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
		if (*q == '"' || *q == '\\')
			fprintf(f, "\\%c", *q);
		else if (*q == '\t')
			fputs("\\t", f);
		else if (*q < 0x20 || *q == 0x7f)
			fprintf(f, "\\x%02x", *q);
		else if ((n = yaml_unprintable(q, &cp))) {
			fprintf(f, cp < 0x100 ? "\\x%02x" : "\\u%04x", cp);
			q += n - 1;
		} else {
			fputc(*q, f);
		}
	}
	fputc('"', f);
}

void y_scalar(FILE *f, const char *s)
{
	scalar(f, s, false);
}

static void indent(struct imp_map *m, int ind)
{
	if (m->dash) {
		fprintf(m->out, "%*s- ", ind - 2, "");
		m->dash = false;
	} else {
		fprintf(m->out, "%*s", ind, "");
	}
}

void y_item(struct imp_map *m)
{
	m->dash = true;
}

void y_key(struct imp_map *m, int ind, const char *k)
{
	indent(m, ind);
	y_scalar(m->out, k);
	fputs(":\n", m->out);
}

void y_str(struct imp_map *m, int ind, const char *k, const char *v)
{
	indent(m, ind);
	fprintf(m->out, "%s: ", k);
	y_scalar(m->out, v);
	fputc('\n', m->out);
}

void y_int(struct imp_map *m, int ind, const char *k, long long v)
{
	indent(m, ind);
	fprintf(m->out, "%s: %lld\n", k, v);
}

void y_ms(struct imp_map *m, int ind, const char *k, long long ms)
{
	indent(m, ind);
	if (ms % 1000)
		fprintf(m->out, "%s: %lldms\n", k, ms);
	else
		fprintf(m->out, "%s: %llds\n", k, ms / 1000);
}

void y_listval(struct imp_map *m, int ind, const char *v)
{
	fprintf(m->out, "%*s- ", ind - 2, "");
	y_scalar(m->out, v);
	fputc('\n', m->out);
}

void y_raw(struct imp_map *m, int ind, const char *k, const char *raw)
{
	indent(m, ind);
	fprintf(m->out, "%s: %s\n", k, raw);
}

void y_bool(struct imp_map *m, int ind, const char *k, bool v)
{
	indent(m, ind);
	fprintf(m->out, "%s: %s\n", k, v ? "true" : "false");
}

void y_argv(struct imp_map *m, int ind, const char *k, char *const *argv)
{
	indent(m, ind);
	fprintf(m->out, "%s: [", k);
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			fputs(", ", m->out);
		scalar(m->out, argv[i], true);
	}
	fputs("]\n", m->out);
}

void y_comment(struct imp_map *m, int ind, const char *fmt, ...)
{
	va_list ap;
	char buf[512];
	unsigned cp;
	size_t n;

	va_start(ap, fmt);
	n = (size_t)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= sizeof(buf))   /* cut: drop a partial UTF-8 character at the end */
		for (n = sizeof(buf) - 1; n && ((unsigned char)buf[n - 1] & 0x80); n--)
			buf[n - 1] = '\0';
	fprintf(m->out, "%*s# ", ind, "");
	/* names from the input go into comments too: a control character or
	 * a line break there would break or end the comment, so '?' */
	for (const unsigned char *q = (const unsigned char *)buf; *q; q++) {
		if (*q < 0x20 || *q == 0x7f) {
			fputc('?', m->out);
		} else if ((n = yaml_unprintable(q, &cp)) && q[n - 1]) {
			fputc('?', m->out);
			q += n - 1;
		} else {
			fputc(*q, m->out);
		}
	}
	fputc('\n', m->out);
}

/* ---------------- the whole file ---------------- */

static void sweep(struct imp_map *m, const struct imp_node *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct imp_node *k = n->kids[i];

		if (!k->used)
			imp_warn(m, k, "'%s' is not supported by halo; not converted", k->w[0]);
		else if (k->block)
			sweep(m, k);
	}
}

/* File order (as read), then line; equal keys keep their order. */
static void diags_sort(struct imp_diags *d, const struct imp_tree *t, size_t from)
{
	for (size_t i = from + 1; i < d->n; i++) {
		struct imp_diag x = d->v[i];
		size_t j = i;
		size_t fx = t->nfiles;

		for (size_t k = 0; k < t->nfiles; k++)
			if (!strcmp(t->files[k], x.file)) {
				fx = k;
				break;
			}
		while (j > from) {
			size_t fy = t->nfiles;
			for (size_t k = 0; k < t->nfiles; k++)
				if (!strcmp(t->files[k], d->v[j - 1].file)) {
					fy = k;
					break;
				}
			if (fy < fx || (fy == fx && d->v[j - 1].line <= x.line))
				break;
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
}

int imp_map(struct imp_tree *t, const char *source, FILE *out, struct imp_diags *d)
{
	struct imp_map m = {
		.out = out, .d = d, .t = t, .vrrp_version = 2,
		.garp_delay = -1, .garp_repeat = -1, .garp_refresh = -1, .garp_interval = -1,
		.startup_delay = -1,
	};
	size_t before = d->n_err, first = d->n;

	fprintf(out, "# halo configuration converted by haloctl import-keepalived\n# from ");
	y_scalar(out, source);
	fputs("\n# Check it with: haloctl check FILE\n", out);
	imp_map_global(&m, &t->root);
	imp_map_vrrp(&m, &t->root);
	imp_map_ipvs(&m, &t->root);
	imp_map_vs(&m, &t->root);
	sweep(&m, &t->root);
	diags_sort(d, t, first);
	return d->n_err > before ? -1 : 0;
}
