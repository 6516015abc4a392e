/* systemd's notify protocol (sd_notify) over $NOTIFY_SOCKET, written by hand
 * from the documented datagram format so the daemons need no libsystemd.
 * A no-op when not started by systemd. */
#ifndef HALO_IO_SDNOTIFY_H
#define HALO_IO_SDNOTIFY_H

#include <stdint.h>

#include "evloop.h"

/* Sends one state string ("READY=1", "RELOADING=1\nMONOTONIC_USEC=...",
 * "STOPPING=1", "WATCHDOG=1", "STATUS=..."); returns 0, or -1 if not under
 * systemd or on error. */
int sd_notify_send(const char *state);
/* READY=1 with a status line. */
void sd_notify_ready(const char *status);
/* RELOADING=1 with MONOTONIC_USEC (Type=notify-reload wants it). */
void sd_notify_reloading(void);
void sd_notify_stopping(void);
/* Arms a loop timer sending WATCHDOG=1 at half of $WATCHDOG_USEC, if set. */
void sd_notify_watchdog_start(struct ev_loop *loop);

#endif
