/* libFuzzer harness for the config printer: whatever the loader accepts,
 * config_print's canonical YAML must load again and print identically.
 * Test code only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *print(const struct halo_config *cfg, size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);

	if (!out)
		abort();
	config_print(cfg, out);
	fclose(out);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct halo_config *a = config_load_buf("f.yaml", (const char *)data, size, NULL), *b;
	size_t la, lb;
	char *pa, *pb;

	if (!a)
		return 0;
	pa = print(a, &la);
	b = config_load_buf("f.yaml", pa, la, stderr);
	if (!b) {
		fprintf(stderr, "printed config does not load again:\n%s\n", pa);
		abort();
	}
	pb = print(b, &lb);
	if (la != lb || memcmp(pa, pb, la) != 0) {
		fprintf(stderr, "printed twice differently:\n--- first\n%s\n--- second\n%s\n", pa, pb);
		abort();
	}
	free(pa);
	free(pb);
	config_free(a);
	config_free(b);
	return 0;
}
