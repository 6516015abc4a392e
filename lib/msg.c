/* The catalogue tables and their checker; pure. */
#include "msg.h"

#include <stdio.h>
#include <string.h>

struct msg_field {
	const char *name;
	enum json_type type;
	const struct msg_field *each;   /* for arrays: fields of every element */
};

struct msg_def {
	const char *producer;           /* NULL: requests */
	const char *type;               /* event type, or request cmd */
	const struct msg_field *fields; /* {NULL} terminated */
};

#define END { NULL, json_type_null, NULL }

static const struct msg_field f_instance[] = {
	{ "name", json_type_string, NULL }, { "state", json_type_string, NULL },
	{ "priority", json_type_int, NULL }, { "vrid", json_type_int, NULL }, END,
};
static const struct msg_field f_vrrp_snapshot[] = {
	{ "instances", json_type_array, f_instance }, END,
};
static const struct msg_field f_vrrp_instance[] = {
	{ "instance", json_type_object, f_instance }, END,
};
static const struct msg_field f_rs[] = {
	{ "vs", json_type_string, NULL }, { "rs", json_type_string, NULL },
	{ "up", json_type_boolean, NULL }, { "weight", json_type_int, NULL }, END,
};
static const struct msg_field f_checker_snapshot[] = {
	{ "real_servers", json_type_array, f_rs }, END,
};
static const struct msg_field f_reconcile[] = {
	{ "ops", json_type_int, NULL }, END,
};
static const struct msg_field f_none[] = { END };
static const struct msg_field f_name[] = { { "name", json_type_string, NULL }, END };
static const struct msg_field f_target[] = { { "target", json_type_string, NULL }, END };

static const struct msg_def catalogue[] = {
	{ "halo-vrrpd", "snapshot", f_vrrp_snapshot },
	{ "halo-vrrpd", "status", f_vrrp_snapshot },
	{ "halo-vrrpd", "instance", f_vrrp_instance },
	{ "halo-checker", "snapshot", f_checker_snapshot },
	{ "halo-checker", "status", f_checker_snapshot },
	{ "halo-checker", "rs", f_rs },
	{ "halo-ipvs-sync", "snapshot", f_none },
	{ "halo-ipvs-sync", "status", f_none },
	{ "halo-ipvs-sync", "reconcile", f_reconcile },
	{ NULL, "status", f_none },
	{ NULL, "subscribe", f_none },
	{ NULL, "reload", f_none },
	{ NULL, "resync", f_none },
	{ NULL, "failover", f_name },
	{ NULL, "drain", f_target },
	{ NULL, "undrain", f_target },
};

static bool type_ok(struct json_object *v, enum json_type want)
{
	if (want == json_type_double)
		return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int);
	return json_object_is_type(v, want);
}

static int fields_check(struct json_object *o, const struct msg_field *f, const char **err)
{
	for (; f->name; f++) {
		struct json_object *v;
		if (!json_object_object_get_ex(o, f->name, &v) || !type_ok(v, f->type)) {
			*err = f->name;
			return -1;
		}
		if (f->each && f->type == json_type_object && fields_check(v, f->each, err) < 0)
			return -1;
		if (f->each && f->type == json_type_array) {
			for (size_t i = 0; i < json_object_array_length(v); i++) {
				struct json_object *e = json_object_array_get_idx(v, i);
				if (!json_object_is_type(e, json_type_object) || fields_check(e, f->each, err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

static const struct msg_def *lookup(const char *producer, const char *type)
{
	for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++) {
		const struct msg_def *d = &catalogue[i];
		if (strcmp(d->type, type) != 0)
			continue;
		if ((!producer && !d->producer) || (producer && d->producer && strcmp(producer, d->producer) == 0))
			return d;
	}
	return NULL;
}

static int msg_check(const char *producer, const char *key, struct json_object *msg,
                     size_t line_len, const char **err)
{
	struct json_object *v, *t;
	const struct msg_def *d;
	static char why[96];

	if (line_len > HALO_MSG_MAX_LINE) {
		*err = "message too long";
		return -1;
	}
	if (!msg || !json_object_is_type(msg, json_type_object)) {
		*err = "not a JSON object";
		return -1;
	}
	if (producer && (!json_object_object_get_ex(msg, "v", &v) || !json_object_is_type(v, json_type_int) ||
	                 json_object_get_int(v) != HALO_MSG_VERSION)) {
		*err = "missing or unsupported version";
		return -1;
	}
	if (!json_object_object_get_ex(msg, key, &t) || !json_object_is_type(t, json_type_string)) {
		*err = producer ? "missing type" : "missing cmd";
		return -1;
	}
	d = lookup(producer, json_object_get_string(t));
	if (!d) {
		*err = producer ? "unknown type" : "unknown command";
		return -1;
	}
	if (fields_check(msg, d->fields, err) < 0) {
		snprintf(why, sizeof(why), "missing or mistyped field %s", *err);
		*err = why;
		return -1;
	}
	return 0;
}

int halo_msg_check_event(const char *producer, struct json_object *msg, size_t line_len, const char **err)
{
	return msg_check(producer, "type", msg, line_len, err);
}

int halo_msg_check_request(struct json_object *req, size_t line_len, const char **err)
{
	return msg_check(NULL, "cmd", req, line_len, err);
}

struct json_object *halo_msg_new(const char *type)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "v", json_object_new_int(HALO_MSG_VERSION));
	json_object_object_add(o, "type", json_object_new_string(type));
	return o;
}
