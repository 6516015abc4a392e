/* Small state files in the run dir that must outlive a daemon's crash and
 * restart (tmpfs: not a reboot): written whole and atomically (a temporary
 * file renamed over the old one), mode 0600, never through a symlink. */
#ifndef HALO_IO_STATE_H
#define HALO_IO_STATE_H

#include <stddef.h>

/* Writes text as DIR/NAME; an empty text removes the file. 0 or -1 (errno). */
int io_state_write(const char *dir, const char *name, const char *text);
/* Reads DIR/NAME (at most max bytes) into a malloc'd, NUL-terminated string.
 * NULL with errno ENOENT when there is none, or on error. */
char *io_state_read(const char *dir, const char *name, size_t max);

#endif
