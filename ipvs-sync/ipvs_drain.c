/* The drained set: parsing targets and forcing weight 0 in a desired table.
 * Pure: it never talks to the kernel and never logs. */
#include "ipvs_drain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return "port is not a number";
	v = strtoul(s, &end, 10);
	if (*end || v < 1 || v > 65535)
		return "port out of range (1..65535)";
	*port = (uint16_t)v;
	return NULL;
}

const char *ipvs_drain_parse(const char *s, struct ipvs_drain_target *t)
{
	char buf[HALO_ADDRSTRLEN + 2];
	const char *colon, *close, *port = NULL;
	size_t len;

	memset(t, 0, sizeof(*t));
	if (!s || !*s)
		return "empty target";
	if (s[0] == '[') {                          /* [v6]:port or [v6] */
		if (!(close = strchr(s, ']')))
			return "missing ] after an IPv6 address";
		if (close[1] && (close[1] != ':' || !close[2]))
			return "expected :PORT after ]";
		port = close[1] ? close + 2 : NULL;
		s++;
		len = (size_t)(close - s);
	} else if ((colon = strchr(s, ':')) && !strchr(colon + 1, ':')) {   /* v4:port */
		port = colon + 1;
		len = (size_t)(colon - s);
	} else {                                    /* v4 or bare v6 */
		len = strlen(s);
	}
	if (len == 0 || len >= sizeof(buf))
		return "not an IP address";
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (halo_addr_parse(buf, &t->addr) < 0)
		return "not an IP address";
	return port ? parse_port(port, &t->port) : NULL;
}

const char *ipvs_drain_str(const struct ipvs_drain_target *t, char buf[IPVS_DRAIN_STRLEN])
{
	char a[HALO_ADDRSTRLEN];

	halo_addr_str(&t->addr, a);
	if (!t->port)
		strcpy(buf, a);
	else if (t->addr.family == AF_INET6)
		snprintf(buf, IPVS_DRAIN_STRLEN, "[%s]:%u", a, t->port);
	else
		snprintf(buf, IPVS_DRAIN_STRLEN, "%s:%u", a, t->port);
	return buf;
}

static size_t find(const struct ipvs_drain_set *set, const struct ipvs_drain_target *t)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].port == t->port && halo_addr_eq(&set->v[i].addr, &t->addr))
			break;
	return i;
}

int ipvs_drain_add(struct ipvs_drain_set *set, const struct ipvs_drain_target *t)
{
	struct ipvs_drain_target *nv;

	if (find(set, t) < set->n)
		return 1;
	if (!(nv = realloc(set->v, (set->n + 1) * sizeof(*nv))))
		return -1;
	set->v = nv;
	set->v[set->n++] = *t;
	return 0;
}

int ipvs_drain_del(struct ipvs_drain_set *set, const struct ipvs_drain_target *t)
{
	size_t i = find(set, t);

	if (i == set->n)
		return 1;
	memmove(&set->v[i], &set->v[i + 1], (set->n - i - 1) * sizeof(set->v[0]));
	set->n--;
	return 0;
}

void ipvs_drain_free(struct ipvs_drain_set *set)
{
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

char *ipvs_drain_format(const struct ipvs_drain_set *set)
{
	char b[IPVS_DRAIN_STRLEN], *text = malloc(set->n * (IPVS_DRAIN_STRLEN + 1) + 1);
	size_t o = 0;

	if (!text)
		return NULL;
	for (size_t i = 0; i < set->n; i++)
		o += (size_t)sprintf(text + o, "%s\n", ipvs_drain_str(&set->v[i], b));
	text[o] = '\0';
	return text;
}

int ipvs_drain_load(struct ipvs_drain_set *set, const char *text)
{
	struct ipvs_drain_target t;
	char line[IPVS_DRAIN_STRLEN + 2];
	int bad = 0;

	while (*text) {
		size_t len = strcspn(text, "\n");

		if (len >= sizeof(line)) {
			bad++;
		} else if (len > 0) {
			memcpy(line, text, len);
			line[len] = '\0';
			if (ipvs_drain_parse(line, &t))
				bad++;
			else if (ipvs_drain_add(set, &t) < 0)
				return -1;
		}
		text += len;
		if (*text == '\n')
			text++;
	}
	return bad;
}

int ipvs_drain_match(const struct ipvs_drain_target *t, const struct ipvs_dest *d)
{
	return halo_addr_eq(&t->addr, &d->addr) && (!t->port || t->port == d->port);
}

static int drained(const struct ipvs_drain_set *set, const struct ipvs_drain_target *only,
                   const struct ipvs_dest *d)
{
	if (!set)
		return ipvs_drain_match(only, d);
	for (size_t i = 0; i < set->n; i++)
		if (ipvs_drain_match(&set->v[i], d))
			return 1;
	return 0;
}

size_t ipvs_drain_apply(const struct ipvs_drain_set *set, const struct ipvs_drain_target *only,
                        struct ipvs_table *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_svcs; i++)
		for (size_t j = 0; j < t->svcs[i].n_dests; j++)
			if (drained(set, only, &t->svcs[i].dests[j])) {
				t->svcs[i].dests[j].weight = 0;
				n++;
			}
	return n;
}
