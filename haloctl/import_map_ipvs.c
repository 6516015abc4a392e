/* keepalived's IPVS globals (lvs_sync_daemon, lvs_timeouts,
 * lvs_flush_onstop in global_defs) -> halo's ipvs section. Pure: writes
 * YAML to m->out, diagnostics to m->d. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "import_map.h"

/* Options are read first and written once each, in one order: a repeated
 * one keeps the last value, as in keepalived (found by fuzz_import for
 * lvs_timeouts: a repeated option made a duplicate key the loader refuses). */
static void map_sync_daemon(struct imp_map *m, struct imp_node *root, struct imp_node *n)
{
	static const char *const num_key[3] = { "maxlen", "port", "ttl" };
	static const long long num_lo[3] = { 1, 1, 1 }, num_hi[3] = { 65507, 65535, 255 };
	long long id = -1, num[3] = { -1, -1, -1 }, v;
	const char *group = NULL, *follow = NULL;
	int af, k;

	if (n->nw < 2) {
		imp_err(m, n, "lvs_sync_daemon needs an interface");
		return;
	}
	if (!imp_ifname(m, n, n->w[1]))
		return;
	for (size_t i = 2; i < n->nw; i++) {
		const char *w = n->w[i];

		for (k = 0; k < 3 && strcmp(w, num_key[k]); k++)
			;
		if (k < 3) {
			if (imp_int(m, n, ++i, num_lo[k], num_hi[k], &v))
				num[k] = v;
		} else if (!strcmp(w, "id")) {
			if (imp_int(m, n, ++i, 0, 255, &v))
				id = v;
		} else if (!strcmp(w, "group")) {
			unsigned char b[16];

			if (!imp_arg(n, ++i) || !imp_is_addr(n->w[i], &af) ||
			    inet_pton(af, n->w[i], b) != 1 || (af == AF_INET ? (b[0] & 0xf0) != 0xe0 : b[0] != 0xff))
				imp_err(m, n, "lvs_sync_daemon group %s: expected a multicast address",
					imp_arg(n, i) ? n->w[i] : "");
			else
				group = n->w[i];
		} else if (i == 2 && !imp_is_addr(w, &af) && !imp_find_instance(root, w)) {
			imp_err(m, n, "lvs_sync_daemon: no vrrp_instance %s", w);
		} else if (i == 2 && !imp_is_addr(w, &af)) {
			follow = w;
		} else {
			imp_err(m, n, "lvs_sync_daemon: keepalived does not know '%s'", w);
		}
	}
	y_key(m, 2, "sync_daemon");
	y_str(m, 4, "interface", n->w[1]);
	if (follow)
		y_str(m, 4, "follow_instance", follow);
	if (id >= 0)
		y_int(m, 4, "sync_id", id);
	if (num[0] >= 0 && num[0] < 1024)
		imp_warn(m, n, "lvs_sync_daemon maxlen %lld: the kernel raises a backup's to 1024; converted as 1024",
			 num[0]);
	if (num[0] >= 0)
		y_int(m, 4, "maxlen", num[0] < 1024 ? 1024 : num[0] > 65487 ? 65487 : num[0]);
	for (k = 1; k < 3; k++)
		if (num[k] >= 0)
			y_int(m, 4, num_key[k], num[k]);
	if (group)
		y_str(m, 4, "group", group);
}

static void map_timeouts(struct imp_map *m, struct imp_node *n)
{
	static const char *const keys[3] = { "tcp", "tcpfin", "udp" };
	long long v, val[3] = { -1, -1, -1 };
	int k;

	if (n->nw < 3 || n->nw % 2 == 0) {
		imp_err(m, n, "lvs_timeouts: expected tcp N tcpfin N udp N");
		return;
	}
	for (size_t i = 1; i + 1 < n->nw; i += 2) {
		for (k = 0; k < 3 && strcmp(n->w[i], keys[k]); k++)
			;
		if (k == 3)
			imp_err(m, n, "lvs_timeouts: keepalived does not know '%s'", n->w[i]);
		else if (imp_int(m, n, i + 1, 0, 2147483, &v))
			val[k] = v;     /* a repeated one: the last counts, as in keepalived */
	}
	/* written once each (found by fuzz_import: "tcp 900 tcp 192" made a
	 * duplicate key the loader refuses) */
	y_key(m, 2, "timeouts");
	for (k = 0; k < 3; k++)
		if (val[k] >= 0)
			y_ms(m, 4, keys[k], val[k] * 1000);
}

void imp_map_ipvs(struct imp_map *m, struct imp_node *root)
{
	struct imp_node **gs, *sd = NULL, *to = NULL, *fl = NULL, *n;
	size_t ng = imp_all(root, "global_defs", &gs);

	for (size_t i = 0; i < ng; i++) {
		if ((n = imp_get(gs[i], "lvs_sync_daemon")))
			sd = n;
		if ((n = imp_get(gs[i], "lvs_timeouts")))
			to = n;
		if ((n = imp_get(gs[i], "lvs_flush_onstop")))
			fl = n;
	}
	free(gs);
	if (!sd && !to && !fl)
		return;
	y_key(m, 0, "ipvs");
	if (sd)
		map_sync_daemon(m, root, sd);
	if (to)
		map_timeouts(m, to);
	if (fl && fl->nw > 1 && strcmp(fl->w[1], "VS"))
		imp_warn(m, fl, "lvs_flush_onstop %s: halo flushes the whole table or nothing; converted as the whole table",
			 fl->w[1]);
	if (fl)
		y_bool(m, 2, "flush_on_stop", true);
}
