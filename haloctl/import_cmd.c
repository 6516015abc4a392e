/* haloctl import-keepalived: the thin I/O shell around the importer (read
 * files, expand include globs, check the result with the real loader,
 * write stdout or -o FILE). The conversion itself lives in import_*.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "haloctl.h"
#include "import.h"

static int io_read(void *arg, const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "re"), *mem;
	char chunk[8192];
	size_t n;

	(void)arg;
	if (!f)
		return -1;
	mem = open_memstream(buf, len);
	if (!mem) {
		fclose(f);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	n = (size_t)ferror(f);
	fclose(f);
	fclose(mem);
	if (n) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

static int io_glob(void *arg, const char *pattern, char ***paths, size_t *n)
{
	glob_t g;

	(void)arg;
	*paths = NULL;
	*n = 0;
	if (glob(pattern, 0, NULL, &g))
		return 0;
	*paths = calloc(g.gl_pathc + 1, sizeof(char *));
	if (!*paths)
		abort();
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!((*paths)[i] = strdup(g.gl_pathv[i])))
			abort();
	*n = g.gl_pathc;
	globfree(&g);
	return 0;
}

static void print_diags(const struct imp_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct imp_diag *g = &d->v[i];

		if (g->line)
			fprintf(stderr, "%s:%u: %s: %s\n", g->file, g->line, g->error ? "error" : "warning", g->msg);
		else
			fprintf(stderr, "%s: %s: %s\n", g->file, g->error ? "error" : "warning", g->msg);
	}
}

/* keepalived's default config id: the host name up to the first dot. */
static char *default_config_id(void)
{
	char host[256] = "";

	if (gethostname(host, sizeof(host) - 1) < 0)
		return NULL;
	host[strcspn(host, ".")] = '\0';
	return strdup(host);
}

static int write_out(const char *out, const char *buf, size_t len)
{
	int fd;
	ssize_t w;

	if (!out)
		return fwrite(buf, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0) {
		fprintf(stderr, "haloctl: %s: %s\n", out, strerror(errno));
		return -1;
	}
	w = write(fd, buf, len);
	if (close(fd) < 0 || w != (ssize_t)len) {
		fprintf(stderr, "haloctl: %s: write failed\n", out);
		return -1;
	}
	return 0;
}

/* The converted text must load with the loader every daemon uses; if it
 * does not, that is the importer's bug and nothing is written. */
static int verify(const char *src, const char *buf, size_t len)
{
	struct halo_config *cfg = config_load_buf("(converted)", buf, len, stderr);

	if (cfg) {
		config_free(cfg);
		return 0;
	}
	fprintf(stderr, "haloctl: import-keepalived: BUG: the YAML converted from %s does not load (errors above); "
		"please report it with the keepalived.conf\n", src);
	return -1;
}

static void import_usage(FILE *f)
{
	fprintf(f, "usage: haloctl import-keepalived [-o FILE] [--strict] [--config-id ID] KEEPALIVED.CONF\n");
}

static int convert(const char *src, const char *out, const struct imp_opts *o)
{
	struct imp_io io = { io_read, io_glob, NULL };
	struct imp_diags d = { 0 };
	struct imp_tree t;
	char *buf = NULL;
	size_t len = 0, warnings;
	FILE *mem;
	int rc = 1;

	if (imp_parse(src, &io, o, &t, &d) < 0) {
		print_diags(&d);
		goto out;
	}
	if (!(mem = open_memstream(&buf, &len)))
		goto out;
	imp_map(&t, src, mem, &d);
	fclose(mem);
	print_diags(&d);
	warnings = d.n - d.n_err;
	if (d.n_err) {
		fprintf(stderr, "haloctl: %s: %zu error%s; nothing written\n", src, d.n_err, d.n_err == 1 ? "" : "s");
	} else if (verify(src, buf, len) == 0) {
		if (o->strict && warnings)
			fprintf(stderr, "haloctl: %s: %zu warning%s and --strict; nothing written\n", src, warnings,
				warnings == 1 ? "" : "s");
		else
			rc = write_out(out, buf, len) < 0;
	}
out:
	free(buf);
	imp_tree_free(&t);
	imp_diags_free(&d);
	return rc;
}

int haloctl_import(const struct haloctl *h, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "strict", no_argument, NULL, 's' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct imp_opts o = { 0 };
	const char *out = NULL;
	char *id = NULL;
	int c, rc;

	(void)h;
	optind = 0;                    /* re-initialise glibc getopt: options may follow the file */
	while ((c = getopt_long(argc, argv, "o:i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 's': o.strict = true; break;
		case 'i': free(id); id = strdup(optarg); break;
		case 'h': import_usage(stdout); free(id); return 0;
		default: import_usage(stderr); free(id); return 2;
		}
	}
	if (optind + 1 != argc) {
		import_usage(stderr);
		free(id);
		return 2;
	}
	o.config_id = id ? id : (id = default_config_id());
	rc = convert(argv[optind], out, &o);
	free(id);
	return rc;
}
