/* libFuzzer harness for the IPC consumers: each input line goes through
 * json_tokener_parse (as lib/io_ctl.c reads a line) and then to
 * halo-ipvs-sync's handlers for halo-checker and halo-vrrpd messages
 * (ipvs-sync/ipvsd_health.c, compiled in). A malformed message may drop the
 * connection, never the process. Test code only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "ipvsd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_yaml[] =
	"vrrp:\n"
	"  instances:\n"
	"    - { name: VI_1, interface: eth0, vrid: 51, priority: 100,"
	" virtual_addresses: [192.168.0.100/24] }\n"
	"ipvs:\n"
	"  sync_daemon: { interface: eth0, follow_instance: VI_1, sync_id: 51 }\n"
	"virtual_servers:\n"
	"  - address: 192.168.0.100\n"
	"    port: 80\n"
	"    protocol: tcp\n"
	"    real_servers:\n"
	"      - { address: 10.0.0.2, port: 80, check: { tcp: {} } }\n"
	"      - { address: 10.0.0.3, port: 80 }\n"
	"  - fwmark: 7\n"
	"    real_servers:\n"
	"      - { address: 10.0.0.4, port: 80 }\n";

static unsigned long kicks;

/* The shell's only call out of ipvsd_health.c: schedule a reconcile pass. */
void ipvsd_kick(struct ipvsd *d)
{
	(void)d;
	kicks++;
}

static struct ipvsd *daemon_get(void)
{
	static struct ipvsd d;
	static bool ready;

	if (ready)
		return &d;
	d.cfg = config_load_buf("fuzz.yaml", fuzz_yaml, sizeof(fuzz_yaml) - 1, stderr);
	if (!d.cfg || ipvsd_health_init(&d, d.cfg, &d.health, &d.ids, &d.n_ids) < 0)
		abort();
	ready = true;
	return &d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipvsd *d = daemon_get();
	char *text = malloc(size + 1);
	char *line, *save = NULL;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ipvsd_checker_state(true, d);
	ipvsd_vrrp_state(true, d);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json_object *msg = json_tokener_parse(line);
		if (!msg)
			continue;           /* io_ctl drops the connection here */
		ipvsd_checker_msg(msg, d);
		ipvsd_vrrp_msg(msg, d);
		json_object_put(msg);
	}
	ipvsd_checker_state(false, d);
	ipvsd_vrrp_state(false, d);
	free(text);
	return 0;
}
