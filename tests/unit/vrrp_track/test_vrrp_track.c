/* The pure tracking and sync-group functions: effective priority for every
 * weight sign with and without reverse, files times weight, hysteresis,
 * debounce on a fake clock, and sync-group commands. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_auth.h"
#include "vrrp_sync.h"
#include "config.h"
#include "vrrp_track.h"
#include "vs_health.h"

static struct vrrp_track bin(int weight, bool reverse, bool up)
{
	return (struct vrrp_track){ .weight = weight, .reverse = reverse, .up = up, .known = true };
}

static struct vrrp_track file(int weight, bool reverse, long value)
{
	return (struct vrrp_track){ .weight = weight, .reverse = reverse, .is_value = true,
	                            .value = value, .known = true };
}

static struct vrrp_prio prio(uint8_t base, const struct vrrp_track *t, size_t n)
{
	struct vrrp_prio p;

	vrrp_track_priority(base, t, n, &p);
	return p;
}

START_TEST(test_weights)
{
	struct vrrp_track t[3];

	ck_assert_uint_eq(prio(100, NULL, 0).priority, 100);
	/* positive: added while good */
	t[0] = bin(20, false, true);
	ck_assert_uint_eq(prio(100, t, 1).priority, 120);
	t[0] = bin(20, false, false);
	ck_assert_uint_eq(prio(100, t, 1).priority, 100);
	/* negative: subtracted while bad */
	t[0] = bin(-30, false, false);
	ck_assert_uint_eq(prio(100, t, 1).priority, 70);
	ck_assert_int_eq(prio(100, t, 1).delta, -30);
	t[0] = bin(-30, false, true);
	ck_assert_uint_eq(prio(100, t, 1).priority, 100);
	/* zero: bad means FAULT, the priority is untouched */
	t[0] = bin(0, false, false);
	ck_assert(prio(100, t, 1).fault);
	ck_assert_uint_eq(prio(100, t, 1).priority, 100);
	t[0] = bin(0, false, true);
	ck_assert(!prio(100, t, 1).fault);
	/* sums, clamped to 1..254 */
	t[0] = bin(-60, false, false);
	t[1] = bin(-60, false, false);
	t[2] = bin(50, false, true);
	ck_assert_uint_eq(prio(100, t, 3).priority, 30);
	ck_assert_uint_eq(prio(50, t, 3).priority, 1);
	t[0] = bin(200, false, true);
	ck_assert_uint_eq(prio(100, t, 1).priority, 254);
}
END_TEST

START_TEST(test_reverse)
{
	struct vrrp_track t;

	t = bin(20, true, false);     /* reverse: down is good */
	ck_assert_uint_eq(prio(100, &t, 1).priority, 120);
	t = bin(20, true, true);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 100);
	t = bin(-20, true, true);     /* reverse: up is bad */
	ck_assert_uint_eq(prio(100, &t, 1).priority, 80);
	t = bin(0, true, true);
	ck_assert(prio(100, &t, 1).fault);
	t = bin(0, true, false);
	ck_assert(!prio(100, &t, 1).fault);
}
END_TEST

START_TEST(test_files)
{
	struct vrrp_track t;

	t = file(1, false, 15);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 115);
	t = file(-2, false, 15);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 70);
	t = file(2, true, 15);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 70);
	t = file(1, false, -254);     /* at or below -254: failure */
	ck_assert(prio(100, &t, 1).fault);
	t = file(1, false, -253);
	ck_assert(!prio(100, &t, 1).fault);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 1);
	t = file(0, false, 3);        /* weight 0: non-zero is a failure */
	ck_assert(prio(100, &t, 1).fault);
	t = file(0, false, 0);
	ck_assert(!prio(100, &t, 1).fault);
	t = file(0, true, 0);
	ck_assert(prio(100, &t, 1).fault);
	t = file(100, false, 1000000);  /* no overflow: capped */
	ck_assert_uint_eq(prio(100, &t, 1).priority, 254);
}
END_TEST

START_TEST(test_owner_and_unknown)
{
	struct vrrp_track t[2] = { bin(-50, false, false), bin(0, false, false) };

	ck_assert_uint_eq(prio(255, t, 1).priority, 255);
	ck_assert(!prio(255, t, 1).fault);
	ck_assert(prio(255, t, 2).fault);
	/* an object without a result yet counts as neither good nor bad */
	t[0].known = false;
	t[1].known = false;
	ck_assert_uint_eq(prio(100, t, 2).priority, 100);
	ck_assert(!prio(100, t, 2).fault);
}
END_TEST

START_TEST(test_hysteresis)
{
	bool known = false, up = false;
	unsigned streak = 0;

	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);
	ck_assert(up && known);               /* the first result counts at once */
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	ck_assert(up);
	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);   /* streak broken */
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	ck_assert(up);
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	ck_assert(!up);                       /* fall = 3 */
	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);
	ck_assert(!up);
	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);
	ck_assert(up);                        /* rise = 2 */
}
END_TEST

START_TEST(test_debounce)
{
	struct vrrp_debounce db = { .state = true, .pending = true };
	uint64_t dl;

	/* down after 100 ms, up after 2 s */
	ck_assert(vrrp_track_debounce(&db, false, 1000, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 1100);
	ck_assert(vrrp_track_debounce(&db, false, 1050, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 1100);
	ck_assert(!vrrp_track_debounce(&db, false, 1100, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 0);
	/* a flap up shorter than delay_up is ignored */
	ck_assert(!vrrp_track_debounce(&db, true, 1200, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 3200);
	ck_assert(!vrrp_track_debounce(&db, false, 1300, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 0);
	ck_assert(!vrrp_track_debounce(&db, true, 1400, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 3400);
	ck_assert(vrrp_track_debounce(&db, true, 3400, 2000, 100, &dl));
	/* no delay: at once */
	ck_assert(!vrrp_track_debounce(&db, false, 5000, 0, 0, &dl));
	ck_assert_uint_eq(dl, 0);
}
END_TEST

static void decide(struct vrrp_sync_member *m, size_t n, size_t who, const char *want)
{
	enum vrrp_sync_cmd cmd[8];
	static const char letters[] = "-FCTR";
	char got[9];

	vrrp_sync_decide(m, n, who, cmd);
	for (size_t i = 0; i < n; i++)
		got[i] = letters[cmd[i]];
	got[n] = '\0';
	ck_assert_str_eq(got, want);
}

START_TEST(test_sync_decide)
{
	struct vrrp_sync_member m[3] = {
		{ VRRP_STATE_MASTER, false, false }, { VRRP_STATE_BACKUP, false, false }, { VRRP_STATE_BACKUP, false, false },
	};

	decide(m, 3, 0, "-TT");                 /* one became Master: the Backups follow */
	m[1].state = m[2].state = VRRP_STATE_MASTER;
	decide(m, 3, 1, "---");
	m[1].state = VRRP_STATE_BACKUP;         /* preempted: the other Masters resign */
	decide(m, 3, 1, "R-R");
	/* a member loses its link: the whole group goes FAULT */
	m[0].state = m[2].state = VRRP_STATE_MASTER;
	m[1].state = VRRP_STATE_FAULT;
	m[1].own_fault = true;
	decide(m, 3, 1, "F-F");
	m[0].state = m[2].state = VRRP_STATE_FAULT;
	decide(m, 3, 1, "---");
	/* a second fault; the first clears: still FAULT */
	m[2].own_fault = true;
	m[1].own_fault = false;
	decide(m, 3, 1, "---");
	/* none left: everyone leaves FAULT together */
	m[2].own_fault = false;
	decide(m, 3, 2, "CCC");
	/* INIT members (startup_delay) are left alone */
	m[0].state = VRRP_STATE_INIT;
	m[1].state = VRRP_STATE_MASTER;
	m[2].state = VRRP_STATE_BACKUP;
	decide(m, 3, 1, "--T");
}
END_TEST

START_TEST(test_sync_may_master)
{
	struct vrrp_sync_member m[3] = {
		{ VRRP_STATE_BACKUP, false, true }, { VRRP_STATE_BACKUP, false, false },
		{ VRRP_STATE_INIT, false, false },
	};
	struct vrrp_fsm vr;

	/* member 1 hears a higher master: member 0 must stay Backup (no thrashing) */
	ck_assert(!vrrp_sync_may_master(m, 3, 0));
	ck_assert(vrrp_sync_may_master(m, 3, 1));
	m[1].wants_master = true;
	ck_assert(vrrp_sync_may_master(m, 3, 0));   /* INIT members do not count */
	memset(&vr, 0, sizeof(vr));
	vr.state = VRRP_STATE_BACKUP;
	vr.priority = 100;
	vr.master_priority = 0;                     /* no master known */
	ck_assert(vrrp_sync_wants_master(&vr));
	vr.master_priority = 90;
	ck_assert(vrrp_sync_wants_master(&vr));
	vr.master_priority = 110;
	ck_assert(!vrrp_sync_wants_master(&vr));
	vr.state = VRRP_STATE_MASTER;
	ck_assert(vrrp_sync_wants_master(&vr));
	vr.state = VRRP_STATE_FAULT;
	ck_assert(!vrrp_sync_wants_master(&vr));
}
END_TEST

START_TEST(test_sync_state)
{
	struct vrrp_sync_member m[2] = { { VRRP_STATE_MASTER, false, false }, { VRRP_STATE_MASTER, false, false } };

	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_MASTER);
	m[1].state = VRRP_STATE_BACKUP;
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_INIT);
	m[0].state = VRRP_STATE_BACKUP;
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_BACKUP);
	m[0].state = VRRP_STATE_FAULT;
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_FAULT);
}
END_TEST

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void hmac1(const uint8_t *key, size_t klen, const char *data, const char *want)
{
	uint8_t out[VRRP_SHA256_LEN];
	const uint8_t *parts[1] = { (const uint8_t *)data };
	size_t lens[1] = { strlen(data) };
	char got[65];

	vrrp_hmac_sha256(key, klen, parts, lens, 1, out);
	hex(out, sizeof(out), got);
	ck_assert_str_eq(got, want);
}

/* FIPS 180-4 examples and RFC 4231 4.2, 4.3 and 4.7 */
START_TEST(test_hmac_vectors)
{
	uint8_t out[VRRP_SHA256_LEN], k1[20], k6[131];
	char got[65];

	vrrp_sha256((const uint8_t *)"abc", 3, out);
	hex(out, sizeof(out), got);
	ck_assert_str_eq(got, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	vrrp_sha256((const uint8_t *)"", 0, out);
	hex(out, sizeof(out), got);
	ck_assert_str_eq(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	memset(k1, 0x0b, sizeof(k1));
	hmac1(k1, sizeof(k1), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	hmac1((const uint8_t *)"Jefe", 4, "what do ya want for nothing?",
	      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(k6, 0xaa, sizeof(k6));
	hmac1(k6, sizeof(k6), "Test Using Larger Than Block-Size Key - Hash Key First",
	      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

/* An advert's trailer: verifies with the key, not with another key, not
 * after any byte of message, addresses or trailer changed. */
START_TEST(test_auth_trailer)
{
	uint8_t msg[20], tr[VRRP_AUTH_TRAILER];
	struct halo_addr src, dst;
	const uint8_t key[] = "0123456789abcdef";

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	ck_assert_int_eq(halo_addr_parse("192.0.2.1", &src), 0);
	ck_assert_int_eq(halo_addr_parse("224.0.0.18", &dst), 0);
	vrrp_auth_sign(tr, 7, key, 16, 0x0102030405060708ULL, &src, &dst, msg, sizeof(msg));
	ck_assert_uint_eq(tr[0], VRRP_AUTH_MAGIC);
	ck_assert_uint_eq(vrrp_auth_key_id(tr), 7);
	ck_assert(vrrp_auth_seq(tr) == 0x0102030405060708ULL);
	ck_assert(vrrp_auth_verify(tr, key, 16, &src, &dst, msg, sizeof(msg)));
	ck_assert(!vrrp_auth_verify(tr, (const uint8_t *)"0123456789abcdeX", 16, &src, &dst, msg, sizeof(msg)));
	msg[3] ^= 1;
	ck_assert(!vrrp_auth_verify(tr, key, 16, &src, &dst, msg, sizeof(msg)));
	msg[3] ^= 1;
	tr[11] ^= 1;                                  /* the sequence is covered */
	ck_assert(!vrrp_auth_verify(tr, key, 16, &src, &dst, msg, sizeof(msg)));
	tr[11] ^= 1;
	ck_assert_int_eq(halo_addr_parse("192.0.2.2", &src), 0);
	ck_assert(!vrrp_auth_verify(tr, key, 16, &src, &dst, msg, sizeof(msg)));
}
END_TEST

START_TEST(test_replay_window)
{
	struct vrrp_replay w = { 0, 0 };

	ck_assert(!vrrp_replay_check(&w, 0));
	ck_assert(vrrp_replay_check(&w, 100));
	ck_assert(!vrrp_replay_check(&w, 100));      /* replay */
	ck_assert(vrrp_replay_check(&w, 102));
	ck_assert(vrrp_replay_check(&w, 101));       /* late but new, inside the window */
	ck_assert(!vrrp_replay_check(&w, 101));
	ck_assert(vrrp_replay_check(&w, 200));
	ck_assert(!vrrp_replay_check(&w, 136));      /* 64 behind: outside */
	ck_assert(vrrp_replay_check(&w, 137));       /* 63 behind: inside */
	ck_assert(!vrrp_replay_check(&w, 137));
	ck_assert(vrrp_replay_check(&w, 1000));      /* a jump clears the window */
	ck_assert(!vrrp_replay_check(&w, 200));
	ck_assert(vrrp_replay_check(&w, 999));
}
END_TEST

/* track_virtual_servers over the health table halo-ipvs-sync uses: quorum 2
 * of three weight-1 real servers with hysteresis 0, then one with
 * hysteresis 1 (lost below 1, back at 3). */
static const char vs_yaml[] =
	"virtual_servers:\n"
	"  - name: web\n"
	"    address: 192.168.0.100\n"
	"    port: 80\n"
	"    quorum: 2\n"
	"    real_servers:\n"
	"      - { address: 10.0.0.1, port: 80, check: { tcp: {} } }\n"
	"      - { address: 10.0.0.2, port: 80, check: { tcp: {} } }\n"
	"      - { address: 10.0.0.3, port: 80, check: { tcp: {}, alpha: true } }\n"
	"  - address: 192.168.0.100\n"
	"    port: 443\n"
	"    quorum: 2\n"
	"    hysteresis: 1\n"
	"    real_servers:\n"
	"      - { address: 10.0.0.1, port: 443, weight: 1 }\n"
	"      - { address: 10.0.0.2, port: 443, weight: 2 }\n";

static int rs_msg(struct vs_health *h, struct vs_health_id *ids, size_t n, const char *vs,
                  const char *rs, bool up)
{
	char buf[256];
	struct json_object *o;
	int r;

	snprintf(buf, sizeof(buf), "{\"vs\":\"%s\",\"rs\":\"%s\",\"up\":%s}", vs, rs, up ? "true" : "false");
	o = json_tokener_parse(buf);
	ck_assert_ptr_nonnull(o);
	r = vs_health_apply(h, ids, n, o);
	json_object_put(o);
	return r;
}

START_TEST(test_track_vs)
{
	struct halo_config *cfg = config_load_buf("t.yaml", vs_yaml, sizeof(vs_yaml) - 1, stderr);
	const char *web = "[192.168.0.100]:tcp:80", *tls = "[192.168.0.100]:tcp:443";
	struct vrrp_track t = { .weight = -50 };
	struct vrrp_prio pr;
	struct vs_health *h;
	struct vs_health_id *ids;
	size_t n;

	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(vs_health_init(cfg, &h, &ids, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert(!h[0].rs[2].up);           /* alpha: down until the checker says up */
	/* before the checker's first snapshot: up whatever the table says */
	ck_assert(rs_msg(h, ids, n, web, "[10.0.0.1]:tcp:80", false) == 1);
	ck_assert(vrrp_track_vs(&t, &cfg->virtual_servers[0], &h[0], false));
	ck_assert(t.up && t.known);
	ck_assert(!vrrp_track_vs(&t, &cfg->virtual_servers[0], &h[0], false));
	/* after it: 1 of 3 up (weight 1 < quorum 2) -> down; priority 100 - 50 */
	ck_assert(vrrp_track_vs(&t, &cfg->virtual_servers[0], &h[0], true));
	ck_assert(!t.up);
	vrrp_track_priority(100, &t, 1, &pr);
	ck_assert_uint_eq(pr.priority, 50);
	ck_assert(!pr.fault);
	t.weight = 0;                        /* weight 0: FAULT instead */
	vrrp_track_priority(100, &t, 1, &pr);
	ck_assert(pr.fault);
	/* unchanged, unknown and malformed entries */
	ck_assert_int_eq(rs_msg(h, ids, n, web, "[10.0.0.1]:tcp:80", false), 0);
	ck_assert_int_eq(rs_msg(h, ids, n, web, "[10.0.0.9]:tcp:80", true), VS_HEALTH_UNKNOWN);
	{
		struct json_object *o = json_tokener_parse("{\"vs\":\"x\",\"up\":true}");
		ck_assert_int_eq(vs_health_apply(h, ids, n, o), -1);
		json_object_put(o);
	}
	/* the alpha server comes up: 2 of 3 -> quorum again */
	ck_assert_int_eq(rs_msg(h, ids, n, web, "[10.0.0.3]:tcp:80", true), 1);
	ck_assert(vrrp_track_vs(&t, &cfg->virtual_servers[0], &h[0], true));
	ck_assert(t.up);
	/* hysteresis 1 on the second: 2 of 3 weight is enough to stay up ... */
	t = (struct vrrp_track){ .weight = -10 };
	ck_assert_int_eq(rs_msg(h, ids, n, tls, "[10.0.0.1]:tcp:443", false), 1);
	vrrp_track_vs(&t, &cfg->virtual_servers[1], &h[1], true);
	ck_assert(t.up);
	/* ... 0 is lost; 2 again is not enough to come back (needs 3) */
	ck_assert_int_eq(rs_msg(h, ids, n, tls, "[10.0.0.2]:tcp:443", false), 1);
	ck_assert(vrrp_track_vs(&t, &cfg->virtual_servers[1], &h[1], true));
	ck_assert(!t.up);
	ck_assert_int_eq(rs_msg(h, ids, n, tls, "[10.0.0.2]:tcp:443", true), 1);
	ck_assert(!vrrp_track_vs(&t, &cfg->virtual_servers[1], &h[1], true));
	ck_assert(!t.up);
	ck_assert_int_eq(rs_msg(h, ids, n, tls, "[10.0.0.1]:tcp:443", true), 1);
	ck_assert(vrrp_track_vs(&t, &cfg->virtual_servers[1], &h[1], true));
	ck_assert(t.up);
	vs_health_free(h, cfg->n_virtual_servers, ids, n);
	config_free(cfg);
}
END_TEST

/* The checker-event dispatch both daemons use: a snapshot applies every good
 * entry even around a malformed one; unknown pairs are counted; other event
 * types change nothing. */
START_TEST(test_vs_health_message)
{
	struct halo_config *cfg = config_load_buf("t.yaml", vs_yaml, sizeof(vs_yaml) - 1, stderr);
	struct vs_health *h;
	struct vs_health_id *ids;
	struct vs_health_result r;
	struct json_object *o;
	size_t n;

	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(vs_health_init(cfg, &h, &ids, &n), 0);
	o = json_tokener_parse("{\"type\":\"snapshot\",\"real_servers\":["
			       "{\"vs\":\"[192.168.0.100]:tcp:80\",\"rs\":\"[10.0.0.1]:tcp:80\",\"up\":false},"
			       "{\"vs\":\"[192.168.0.100]:tcp:80\",\"up\":true},"
			       "{\"vs\":\"[192.168.0.100]:tcp:80\",\"rs\":\"[10.0.0.9]:tcp:80\",\"up\":true},"
			       "{\"vs\":\"[192.168.0.100]:tcp:80\",\"rs\":\"[10.0.0.3]:tcp:80\",\"up\":true,"
			       "\"weight\":7}]}");
	r = vs_health_message(h, ids, n, o);
	json_object_put(o);
	ck_assert(r.snapshot && r.malformed);
	ck_assert_uint_eq(r.changed, 2);
	ck_assert_uint_eq(r.unknown, 1);
	ck_assert(!h[0].rs[0].up);
	ck_assert(h[0].rs[2].up && h[0].rs[2].weight == 7);

	o = json_tokener_parse("{\"type\":\"rs\",\"vs\":\"[192.168.0.100]:tcp:80\","
			       "\"rs\":\"[10.0.0.1]:tcp:80\",\"up\":true}");
	r = vs_health_message(h, ids, n, o);
	json_object_put(o);
	ck_assert(!r.snapshot && !r.malformed && r.changed == 1 && r.unknown == 0);
	ck_assert(h[0].rs[0].up);

	o = json_tokener_parse("{\"type\":\"check\",\"vs\":\"[192.168.0.100]:tcp:80\","
			       "\"rs\":\"[10.0.0.1]:tcp:80\",\"up\":false}");
	r = vs_health_message(h, ids, n, o);
	json_object_put(o);
	ck_assert(!r.snapshot && !r.malformed && r.changed == 0);
	ck_assert(h[0].rs[0].up);

	o = json_tokener_parse("{\"type\":\"snapshot\",\"real_servers\":{}}");
	r = vs_health_message(h, ids, n, o);
	json_object_put(o);
	ck_assert(r.malformed && !r.snapshot && r.changed == 0);
	o = json_tokener_parse("{\"type\":5}");
	r = vs_health_message(h, ids, n, o);
	json_object_put(o);
	ck_assert(r.malformed);

	vs_health_free(h, cfg->n_virtual_servers, ids, n);
	config_free(cfg);
}
END_TEST

/* A reload keeps the checker's word about servers that remain and the
 * quorum memory of virtual servers that remain. */
START_TEST(test_track_vs_carry)
{
	struct halo_config *a = config_load_buf("a.yaml", vs_yaml, sizeof(vs_yaml) - 1, stderr);
	struct halo_config *b = config_load_buf("b.yaml", vs_yaml, sizeof(vs_yaml) - 1, stderr);
	struct vs_health *ha, *hb;
	struct vs_health_id *ia, *ib;
	size_t na, nb;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(vs_health_init(a, &ha, &ia, &na), 0);
	ck_assert_int_eq(vs_health_init(b, &hb, &ib, &nb), 0);
	rs_msg(ha, ia, na, "[192.168.0.100]:tcp:80", "[10.0.0.3]:tcp:80", true);
	ha[1].quorum_up = false;
	vs_health_carry(a, ha, ia, na, b, hb, ib, nb);
	ck_assert(hb[0].rs[2].up);
	ck_assert(!hb[1].quorum_up);
	ck_assert(hb[0].quorum_up);
	vs_health_free(ha, a->n_virtual_servers, ia, na);
	vs_health_free(hb, b->n_virtual_servers, ib, nb);
	config_free(a);
	config_free(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrrp_track");
	TCase *tc = tcase_create("track");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_weights);
	tcase_add_test(tc, test_reverse);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_owner_and_unknown);
	tcase_add_test(tc, test_hysteresis);
	tcase_add_test(tc, test_debounce);
	tcase_add_test(tc, test_sync_decide);
	tcase_add_test(tc, test_sync_state);
	tcase_add_test(tc, test_sync_may_master);
	tcase_add_test(tc, test_hmac_vectors);
	tcase_add_test(tc, test_auth_trailer);
	tcase_add_test(tc, test_replay_window);
	tcase_add_test(tc, test_track_vs);
	tcase_add_test(tc, test_track_vs_carry);
	tcase_add_test(tc, test_vs_health_message);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
