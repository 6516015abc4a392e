/* libFuzzer harness for the YAML config loader: the whole input is one file.
 * A refused file must come with at least one error, every error line naming
 * the file (file:line:col); an accepted one must print. Test code only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void errors_check(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	if (len == 0)
		abort();            /* refused without saying why */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (strncmp(p, "f.yaml:", 7) != 0)
			abort();        /* an error line that does not name the file */
		p = nl ? nl + 1 : end;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&text, &len);
	struct halo_config *cfg;

	if (!errs)
		return 0;
	cfg = config_load_buf("f.yaml", (const char *)data, size, errs);
	fclose(errs);
	if (cfg) {
		FILE *out = fopen("/dev/null", "w");
		if (out) {
			config_print(cfg, out);
			fclose(out);
		}
		config_free(cfg);
	} else {
		errors_check(text, len);
	}
	free(text);
	return 0;
}
