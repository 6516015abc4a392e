/* Regular expressions from a config (http.body_regex) and from an imported
 * keepalived.conf are compiled with glibc's regcomp(), which expands every
 * bounded repetition into copies of the repeated tree: a{1,10000} takes
 * about 770 MB (bench/regex_mem.sh) and nesting multiplies (the fuzzer
 * found a 30-byte pattern that passed 2 GB). regex_compile() first bounds the expanded size with a
 * pure walk of the pattern, then compiles. Pure but for regcomp. */
#ifndef HALO_CONFIG_REGEX_H
#define HALO_CONFIG_REGEX_H

#include <regex.h>
#include <stddef.h>

enum {
	REGEX_MAX_LEN = 1024,     /* pattern bytes */
	REGEX_MAX_DUP = 255,      /* each {m,n} bound: POSIX's _POSIX_RE_DUP_MAX */
	REGEX_MAX_NODES = 4096,   /* estimated expanded size (atoms after expansion) */
	REGEX_MAX_DEPTH = 32,     /* nested groups */
};

/* 0 when the POSIX extended pattern stays inside the limits above, else -1
 * with a one-line reason in err. Back-references (\1..\9) are refused too:
 * they are not POSIX ERE and make matching exponential. */
int regex_guard(const char *pattern, char *err, size_t errlen);

/* regex_guard() then regcomp(REG_EXTENDED | REG_NOSUB | extra_flags).
 * 0 and *re compiled (regfree() it), or -1 with the reason in err. */
int regex_compile(regex_t *re, const char *pattern, int extra_flags, char *err, size_t errlen);

#endif
