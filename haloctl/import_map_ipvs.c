/* keepalived's IPVS globals (lvs_sync_daemon, lvs_timeouts,
 * lvs_flush_onstop in global_defs) -> halo's ipvs section. Pure: writes
 * YAML to m->out, diagnostics to m->d. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "import_map.h"

static void map_sync_daemon(struct imp_map *m, struct imp_node *root, struct imp_node *n)
{
	long long id = -1, v;
	int af;

	if (n->nw < 2) {
		imp_err(m, n, "lvs_sync_daemon needs an interface");
		return;
	}
	if (!imp_ifname(m, n, n->w[1]))
		return;
	y_key(m, 2, "sync_daemon");
	y_str(m, 4, "interface", n->w[1]);
	for (size_t i = 2; i < n->nw; i++) {
		const char *k = n->w[i];

		if (!strcmp(k, "id") && imp_int(m, n, ++i, 0, 255, &id))
			y_int(m, 4, "sync_id", id);
		else if (!strcmp(k, "maxlen") && imp_int(m, n, ++i, 1, 65507, &v)) {
			if (v < 1024)
				imp_warn(m, n, "lvs_sync_daemon maxlen %lld: the kernel raises a backup's to 1024; "
					 "converted as 1024", v);
			y_int(m, 4, "maxlen", v < 1024 ? 1024 : v > 65487 ? 65487 : v);
		} else if (!strcmp(k, "port") && imp_int(m, n, ++i, 1, 65535, &v))
			y_int(m, 4, "port", v);
		else if (!strcmp(k, "ttl") && imp_int(m, n, ++i, 1, 255, &v))
			y_int(m, 4, "ttl", v);
		else if (!strcmp(k, "group")) {
			unsigned char b[16];

			if (!imp_arg(n, ++i) || !imp_is_addr(n->w[i], &af) ||
			    inet_pton(af, n->w[i], b) != 1 || (af == AF_INET ? (b[0] & 0xf0) != 0xe0 : b[0] != 0xff))
				imp_err(m, n, "lvs_sync_daemon group %s: expected a multicast address",
					imp_arg(n, i) ? n->w[i] : "");
			else
				y_str(m, 4, "group", n->w[i]);
		} else if (!strcmp(k, "maxlen") || !strcmp(k, "port") || !strcmp(k, "ttl"))
			;                       /* imp_int reported it */
		else if (i == 2 && !imp_is_addr(k, &af) && !imp_find_instance(root, k))
			imp_err(m, n, "lvs_sync_daemon: no vrrp_instance %s", k);
		else if (i == 2 && !imp_is_addr(k, &af))
			y_str(m, 4, "follow_instance", k);
		else if (strcmp(k, "id"))
			imp_err(m, n, "lvs_sync_daemon: keepalived does not know '%s'", k);
	}
}

static void map_timeouts(struct imp_map *m, struct imp_node *n)
{
	long long v;

	if (n->nw < 3 || n->nw % 2 == 0) {
		imp_err(m, n, "lvs_timeouts: expected tcp N tcpfin N udp N");
		return;
	}
	y_key(m, 2, "timeouts");
	for (size_t i = 1; i + 1 < n->nw; i += 2) {
		if (strcmp(n->w[i], "tcp") && strcmp(n->w[i], "tcpfin") && strcmp(n->w[i], "udp")) {
			imp_err(m, n, "lvs_timeouts: keepalived does not know '%s'", n->w[i]);
			continue;
		}
		if (imp_int(m, n, i + 1, 0, 2147483, &v))
			y_ms(m, 4, n->w[i], v * 1000);
	}
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
