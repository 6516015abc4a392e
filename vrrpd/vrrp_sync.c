/* Sync-group decisions as pure functions over member states; no instance,
 * timer or log access here. */
#include "vrrp_sync.h"

static bool sync_any_fault(const struct vrrp_sync_member *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].own_fault)
			return true;
	return false;
}

void vrrp_sync_decide(const struct vrrp_sync_member *m, size_t n, size_t who,
                      enum vrrp_sync_cmd *cmd)
{
	bool fault = sync_any_fault(m, n);

	for (size_t i = 0; i < n; i++) {
		cmd[i] = VRRP_SYNC_NONE;
		if (m[i].state == VRRP_STATE_INIT)
			continue;
		if (fault) {
			if (m[i].state != VRRP_STATE_FAULT)
				cmd[i] = VRRP_SYNC_FAULT;
			continue;
		}
		if (m[i].state == VRRP_STATE_FAULT) {
			cmd[i] = VRRP_SYNC_FAULT_CLEAR;
			continue;
		}
		if (i == who || who >= n)
			continue;
		if (m[who].state == VRRP_STATE_MASTER && m[i].state == VRRP_STATE_BACKUP)
			cmd[i] = VRRP_SYNC_TAKEOVER;
		else if (m[who].state == VRRP_STATE_BACKUP && m[i].state == VRRP_STATE_MASTER)
			cmd[i] = VRRP_SYNC_RESIGN;
	}
}

enum vrrp_state vrrp_sync_state(const struct vrrp_sync_member *m, size_t n)
{
	size_t masters = 0, backups = 0;

	for (size_t i = 0; i < n; i++) {
		if (m[i].state == VRRP_STATE_FAULT)
			return VRRP_STATE_FAULT;
		masters += m[i].state == VRRP_STATE_MASTER;
		backups += m[i].state == VRRP_STATE_BACKUP;
	}
	if (n && masters == n)
		return VRRP_STATE_MASTER;
	if (n && backups == n)
		return VRRP_STATE_BACKUP;
	return VRRP_STATE_INIT;
}

bool vrrp_sync_wants_master(const struct vrrp_fsm *vr)
{
	if (vr->state == VRRP_STATE_MASTER)
		return true;
	return vr->state == VRRP_STATE_BACKUP && vr->master_priority < vr->priority;
}

bool vrrp_sync_may_master(const struct vrrp_sync_member *m, size_t n, size_t who)
{
	for (size_t i = 0; i < n; i++)
		if (i != who && m[i].state != VRRP_STATE_INIT && !m[i].wants_master)
			return false;
	return true;
}
