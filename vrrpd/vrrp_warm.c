/* Warm restart decision and the state file's text; pure, it must not read
 * the file, the interfaces or the clock itself. */
#include <stdio.h>
#include <string.h>

#include "vrrp_warm.h"

const char *vrrp_start_name(enum vrrp_start_kind k)
{
	switch (k) {
	case VRRP_START_WARM:              return "warm";
	case VRRP_START_COLD_NO_RECORD:    return "no_record";
	case VRRP_START_COLD_NOT_MASTER:   return "not_master";
	case VRRP_START_COLD_VIPS_MISSING: return "vips_missing";
	case VRRP_START_COLD_DELAYED:      return "startup_delay";
	case VRRP_START_COLD_VMAC:         return "use_vmac";
	}
	return "unknown";
}

enum vrrp_start_kind vrrp_start_decide(const struct vrrp_start_in *in)
{
	if (!in->recorded)
		return VRRP_START_COLD_NO_RECORD;
	if (in->prev != VRRP_STATE_MASTER)
		return VRRP_START_COLD_NOT_MASTER;
	if (in->startup_delay)
		return VRRP_START_COLD_DELAYED;
	if (in->use_vmac)
		return VRRP_START_COLD_VMAC;
	if (in->n_present < in->n_vips)
		return VRRP_START_COLD_VIPS_MISSING;
	return VRRP_START_WARM;
}

int vrrp_warm_line(char *buf, size_t len, const char *name, enum vrrp_state state)
{
	int n;

	if (strchr(name, '\n'))
		return -1;
	n = snprintf(buf, len, "state=%s instance=%s\n", vrrp_state_name(state), name);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

static bool warm_state_parse(const char *s, size_t n, enum vrrp_state *out)
{
	static const enum vrrp_state all[] = { VRRP_STATE_INIT, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
	                                       VRRP_STATE_FAULT };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *name = vrrp_state_name(all[i]);
		if (strlen(name) == n && memcmp(name, s, n) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

bool vrrp_warm_lookup(const char *text, const char *name, enum vrrp_state *state)
{
	size_t name_len = strlen(name);

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n'), *sp;

		if (!end)
			return false;          /* a cut last line is not trusted */
		sp = memchr(line, ' ', (size_t)(end - line));
		if (strncmp(line, "state=", 6) == 0 && sp && strncmp(sp + 1, "instance=", 9) == 0 &&
		    (size_t)(end - (sp + 10)) == name_len && memcmp(sp + 10, name, name_len) == 0)
			return warm_state_parse(line + 6, (size_t)(sp - (line + 6)), state);
		line = end + 1;
	}
	return false;
}

enum vrrp_state vrrp_warm_record_state(const struct vrrp_fsm *fsm)
{
	return fsm->warm_deadline ? VRRP_STATE_MASTER : fsm->state;
}
