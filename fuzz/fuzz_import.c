/* libFuzzer harness for the keepalived.conf importer (haloctl/import_*.c,
 * compiled in): the input is the keepalived.conf; an include of any path
 * reads the same input again, up to 8 times per input (the importer bounds
 * the depth, not the fan-out: 2 includes per level read 2^depth files, slow
 * but finite). Oracle, from
 * haloctl/import_cmd.c: YAML converted without errors must load with the
 * loader every daemon uses. Test code only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in_data;
static size_t in_size;
static unsigned in_reads;

static int mem_read(void *arg, const char *path, char **buf, size_t *len)
{
	(void)arg;
	(void)path;
	if (++in_reads > 8)
		return -1;
	if (!(*buf = malloc(in_size + 1)))
		return -1;
	memcpy(*buf, in_data, in_size);
	(*buf)[in_size] = '\0';
	*len = in_size;
	return 0;
}

static int mem_glob(void *arg, const char *pattern, char ***paths, size_t *n)
{
	(void)arg;
	*paths = calloc(2, sizeof(**paths));
	if (!*paths || !((*paths)[0] = strdup(pattern)))
		return -1;
	*n = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imp_io io = { mem_read, mem_glob, NULL };
	struct imp_opts o = { .config_id = "lb1" };
	struct imp_diags d = { 0 };
	struct imp_tree t;
	char *yaml = NULL;
	size_t len = 0;
	FILE *mem;

	in_data = data;
	in_size = size;
	in_reads = 0;
	if (imp_parse_buf("keepalived.conf", (const char *)data, size, &io, &o, &t, &d) == 0 &&
	    (mem = open_memstream(&yaml, &len))) {
		imp_map(&t, "keepalived.conf", mem, &d);
		fclose(mem);
		if (d.n_err == 0) {
			struct halo_config *cfg = config_load_buf("converted.yaml", yaml, len, stderr);
			if (!cfg) {
				fprintf(stderr, "converted YAML does not load:\n%s\n", yaml);
				abort();
			}
			config_free(cfg);
		}
	}
	free(yaml);
	imp_tree_free(&t);
	imp_diags_free(&d);
	if (size < 64) {
		char s[64];
		size_t argc;
		memcpy(s, data, size);
		s[size] = '\0';
		imp_argv_free(imp_split_argv(s, &argc));
		(void)imp_parse_secs(s);
	}
	return 0;
}
