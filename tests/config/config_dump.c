/* Golden-test driver: prints the canonical form of a config (or its errors on
 * stderr, exit 1) and checks that the printed form loads back to the same
 * config (exit 2 if not). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static char *print_mem(const struct halo_config *cfg, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);

	if (!m)
		exit(3);
	config_print(cfg, m);
	fclose(m);
	return buf;
}

static int check_equal(const struct halo_config *a, const struct halo_config *b)
{
	if (a->vrrp.n_instances != b->vrrp.n_instances || a->n_virtual_servers != b->n_virtual_servers)
		return -1;
	for (size_t i = 0; i < a->vrrp.n_instances; i++)
		if (!config_instance_equal(&a->vrrp.instances[i], &b->vrrp.instances[i]))
			return -1;
	for (size_t i = 0; i < a->n_virtual_servers; i++) {
		const struct cfg_virtual_server *x = &a->virtual_servers[i], *y = &b->virtual_servers[i];

		if (x->n_real_servers != y->n_real_servers)
			return -1;
		for (size_t j = 0; j < x->n_real_servers; j++)
			if (!config_check_equal(&x->real_servers[j].check, &y->real_servers[j].check))
				return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct halo_config *cfg, *again;
	char *a, *b;
	size_t alen, blen;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: config_dump FILE\n");
		return 64;
	}
	cfg = config_load(argv[1], stderr);
	if (!cfg)
		return 1;
	a = print_mem(cfg, &alen);
	fwrite(a, 1, alen, stdout);
	again = config_load_buf("(printed)", a, alen, stderr);
	if (!again) {
		fprintf(stderr, "round trip: the printed config does not load\n");
		rc = 2;
	} else {
		b = print_mem(again, &blen);
		if (alen != blen || memcmp(a, b, alen) || check_equal(cfg, again)) {
			fprintf(stderr, "round trip: the printed config loads differently\n%s", b);
			rc = 2;
		}
		free(b);
	}
	config_free(again);
	config_free(cfg);
	free(a);
	return rc;
}
