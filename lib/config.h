/* The parsed halo.yaml: one immutable tree shared by every daemon and haloctl.
 * Built only by config_load(); nothing here does I/O beyond reading the file. */
#ifndef HALO_CONFIG_H
#define HALO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

/* Durations are stored in milliseconds ("10ms", "1s", "1.5s", "2m", "1h"). */
typedef uint64_t cfg_ms;

struct cfg_pos {
	unsigned line, col;            /* 1-based position of the mapping in the file */
};

/* An argv vector (argv[argc] == NULL). */
struct cfg_argv {
	char **argv;
	size_t argc;
};

struct cfg_global {
	char *router_id;               /* default: hostname */
	int log_facility;              /* syslog LOG_* value; default LOG_DAEMON */
	char *script_user;             /* default "halo-script" */
	char *checker_user;            /* default "nobody" */
	int realtime_priority;         /* 0..99, default 50; 0 = off */
	char *metrics_listen;          /* "127.0.0.1:9650", NULL = off */
	bool script_security;          /* refuse scripts others could change; default true */
	bool seccomp;                  /* per-process system call allow-list; default true */
};

/* ---------------- vrrp ---------------- */

struct cfg_vrrp_script {
	char *name;
	struct cfg_argv command;
	cfg_ms interval;               /* default 1s */
	cfg_ms timeout;                /* default = interval */
	unsigned rise, fall;           /* default 1, 1 */
	int weight;                    /* -254..254; 0 = failure puts the instance in FAULT */
	struct cfg_pos pos;
};

struct cfg_vaddr {
	struct halo_addr addr;
	uint8_t prefixlen;             /* default 32 / 128 */
	char *dev;                     /* NULL = the instance's interface */
	char *label;                   /* NULL = none (IPv4 only) */
};

struct cfg_track_if {
	char *name;
	int weight;                    /* 0 = link down puts the instance in FAULT */
	bool reverse;                  /* down counts as up and the other way round */
	cfg_ms delay_up, delay_down;   /* debounce: a change counts after this long, default 0 */
};

struct cfg_track_script {
	char *name;                    /* key into vrrp.scripts */
	int weight;
	bool weight_set;               /* false: use the script's own weight */
	bool reverse;
};

/* An integer read from a file (inotify-driven), multiplied by weight. */
struct cfg_track_file {
	char *path;
	int weight;                    /* default 1; 0 = a non-zero value puts the instance in FAULT */
	bool reverse;
};

/* A process name (/proc/PID/comm) running at least `quorum` times. */
struct cfg_track_process {
	char *name;
	unsigned quorum;               /* default 1 */
	int weight;                    /* default 0 = too few puts the instance in FAULT */
	bool reverse;
};

/* A virtual server whose quorum, from halo-checker's results, counts. */
struct cfg_track_vs {
	char *ref;                     /* a virtual server's name, its checker name
	                                * ("[addr]:proto:port", "fwmark:N") or address:port */
	bool has_addr;                 /* ref is address:port ([v6]:port) */
	struct halo_addr addr;
	uint16_t port;
	int protocol;                  /* enum cfg_proto (defined below); with address:port, default tcp */
	bool has_protocol;
	int weight;                    /* default 0 = quorum lost puts the instance in FAULT */
	size_t vs;                     /* index into virtual_servers, resolved after parsing */
	struct cfg_pos pos;            /* of ref, for the unresolved-reference error */
};

/* Accepted TTL / hop limit of adverts from one unicast peer (default 255..255). */
struct cfg_peer_ttl {
	uint8_t min, max;
};

struct cfg_garp {
	unsigned repeat;               /* default 5 */
	cfg_ms interval;               /* between packets of a burst, default 0 */
	cfg_ms refresh;                /* periodic re-announce while MASTER, 0 = off */
	cfg_ms second_burst_delay;     /* default 5s, 0 = no second burst */
};

struct cfg_notify {
	struct cfg_argv master, backup, fault, stop, any;   /* argc 0 = unset */
	cfg_ms timeout;                /* default 10s */
};

enum cfg_v3_checksum {
	CFG_V3_CKSUM_AUTO = 0,
	CFG_V3_CKSUM_RFC5798,          /* IPv4 pseudo-header included */
	CFG_V3_CKSUM_RFC9568,          /* VRRP message only */
};

enum cfg_auth {
	CFG_AUTH_NONE = 0,
	CFG_AUTH_PASS,
	CFG_AUTH_HMAC,                 /* halo extension: HMAC-SHA256 trailer, v2 and v3 */
};

struct cfg_hmac_key {
	uint8_t id;                    /* 1..255 */
	char *secret;                  /* 16..64 characters */
};

struct cfg_vrrp_instance {
	char *name;
	char *interface;
	uint8_t vrid;                  /* 1..255 */
	uint8_t priority;              /* 1..255, default 100 */
	uint8_t version;               /* 2 | 3, default 3 */
	int family;                    /* AF_INET / AF_INET6: from the VIPs (all one family) */
	cfg_ms advert_interval;        /* default 1s */
	bool preempt;                  /* default true */
	cfg_ms preempt_delay;          /* default 0 */
	bool accept;                   /* default false */
	enum cfg_v3_checksum v3_checksum;
	struct cfg_vaddr *vaddrs;
	size_t n_vaddrs;
	bool has_unicast_source;
	struct halo_addr unicast_source;
	struct halo_addr *unicast_peers;
	size_t n_unicast_peers;
	struct cfg_peer_ttl *unicast_peer_ttl;   /* n_unicast_peers entries (NULL without peers) */
	bool check_unicast_source;     /* default true: adverts only from listed peers */
	bool unicast_fault_no_peer;    /* default false: FAULT when no peer is on-link */
	enum cfg_auth auth_type;       /* pass: v2 only; hmac: v2 and v3 */
	char auth_pass[9];             /* up to 8 chars, NUL padded */
	struct cfg_hmac_key *hmac_keys;   /* hmac: every key accepted on receive */
	size_t n_hmac_keys;
	uint8_t hmac_send_key;         /* hmac: key id used to send, default the first */
	struct cfg_track_if *track_ifs;
	size_t n_track_ifs;
	struct cfg_track_script *track_scripts;
	size_t n_track_scripts;
	struct cfg_track_file *track_files;
	size_t n_track_files;
	struct cfg_track_process *track_processes;
	size_t n_track_processes;
	struct cfg_track_vs *track_vss;   /* track_virtual_servers */
	size_t n_track_vss;
	cfg_ms startup_delay;          /* stay in INIT this long after start, default 0 */
	cfg_ms startup_hold;           /* after start, do not preempt a master for this long */
	bool use_vmac;                 /* macvlan vrrp.<vrid> with the virtual MAC */
	bool vmac_xmit_base;           /* adverts from the base interface, not the macvlan */
	struct cfg_garp garp;
	struct cfg_notify notify;
	struct cfg_pos pos;
};

struct cfg_sync_group {
	char *name;
	char **instances;
	size_t n_instances;
	struct cfg_notify notify;
	struct cfg_pos pos;
};

struct cfg_vrrp {
	struct cfg_vrrp_script *scripts;
	size_t n_scripts;
	struct cfg_vrrp_instance *instances;
	size_t n_instances;
	struct cfg_sync_group *sync_groups;
	size_t n_sync_groups;
};

/* ---------------- ipvs ---------------- */

/* Which kernel sync threads run: the kernel has one master and one backup
 * thread per network namespace, and can run both at once. */
enum cfg_sync_mode {
	CFG_SYNC_FOLLOW = 0,           /* default: follow_instance's state (master without one) */
	CFG_SYNC_MASTER,
	CFG_SYNC_BACKUP,
	CFG_SYNC_BOTH,                 /* both threads at once (active/active directors) */
};

struct cfg_sync_daemon {
	bool enabled;
	enum cfg_sync_mode mode;
	char *interface;
	char *follow_instance;         /* vrrp instance name */
	uint8_t sync_id;               /* 0..255, default 0 */
	uint16_t maxlen, port;         /* 0 = the kernel's (maxlen from the MTU, port 8848) */
	uint8_t ttl;                   /* 0 = the kernel's (1) */
	struct halo_addr group;        /* family 0 = the kernel's (224.0.0.81) */
};

struct cfg_ipvs {
	struct cfg_sync_daemon sync_daemon;
	bool timeouts_set;
	cfg_ms timeout_tcp, timeout_tcpfin, timeout_udp;   /* 0 = leave the kernel's */
	bool flush_on_stop;            /* default false */
};

/* ---------------- virtual_servers ---------------- */

enum cfg_proto { CFG_PROTO_TCP = 0, CFG_PROTO_UDP, CFG_PROTO_SCTP };
enum cfg_fwd { CFG_FWD_DR = 0, CFG_FWD_NAT, CFG_FWD_TUN };

/* forwarding: tun's encapsulation (the kernel's IPVS_DEST_ATTR_TUN_*). */
enum cfg_tun_type { CFG_TUN_IPIP = 0, CFG_TUN_GUE, CFG_TUN_GRE };
enum cfg_tun_csum { CFG_TUN_CSUM_NONE = 0, CFG_TUN_CSUM, CFG_TUN_REMCSUM };
struct cfg_tunnel {
	enum cfg_tun_type type;        /* default ipip */
	uint16_t port;                 /* gue only (required there) */
	enum cfg_tun_csum checksum;    /* gue and gre; default none */
};

enum cfg_check_kind {
	CFG_CHECK_NONE = 0,
	CFG_CHECK_HTTP,
	CFG_CHECK_HTTPS,
	CFG_CHECK_TCP,
	CFG_CHECK_SCRIPT,
	CFG_CHECK_SMTP,
	CFG_CHECK_DNS,
	CFG_CHECK_UDP,
	CFG_CHECK_PING,
};

struct cfg_status_range {
	uint16_t lo, hi;               /* inclusive; "200", "200-299" */
};

enum cfg_digest { CFG_DIGEST_NONE = 0, CFG_DIGEST_MD5, CFG_DIGEST_SHA256 };

struct cfg_check_http {            /* http and https */
	char *path;                    /* default "/" */
	bool head;                     /* method: GET (default) | HEAD */
	char *host;                    /* Host header / virtual host, NULL = address */
	char **headers;                /* "Name: value" */
	size_t n_headers;
	struct cfg_status_range *status;   /* default [200] */
	size_t n_status;
	enum cfg_digest digest_kind;
	uint8_t digest[32];            /* md5 uses the first 16 bytes */
	char *body_regex;              /* POSIX extended, NULL = none */
	size_t max_body;               /* default 64 KiB */
	bool reuse_connection;         /* keep the connection between attempts; default false */
	/* https only */
	char *sni;                     /* default: host */
	char *ca_file;
	bool verify;                   /* default true */
	char *client_cert, *client_key;
	unsigned cert_expiry_warn_days; /* default 14, 0 = off */
};

struct cfg_check_tcp {
	char *send;                    /* NULL = connect only */
	char *expect;                  /* expected reply prefix */
};

struct cfg_check_script {
	struct cfg_argv command;
	bool dynamic;                  /* keepalived misc_dynamic: exit 2..255 sets weight-2 */
};

struct cfg_check_smtp {
	char *helo_name;               /* default router_id */
};

struct cfg_check_dns {
	char *name;                    /* default "." */
	uint16_t type;                 /* A=1 (default), NS, CNAME, SOA, MX, TXT, AAAA */
};

struct cfg_check_udp {
	char *payload;                 /* default empty */
	char *expect;                  /* NULL = no reply needed (ICMP unreachable = down) */
};

struct cfg_check {
	enum cfg_check_kind kind;
	union {
		struct cfg_check_http http;
		struct cfg_check_tcp tcp;
		struct cfg_check_script script;
		struct cfg_check_smtp smtp;
		struct cfg_check_dns dns;
		struct cfg_check_udp udp;
	};
	bool has_connect_address;
	struct halo_addr connect_address;  /* default: the real server's */
	uint16_t connect_port;             /* 0 = the real server's */
	cfg_ms interval;               /* default 6s (keepalived delay_loop) */
	cfg_ms timeout;                /* default 5s (connect_timeout) */
	unsigned retry;                /* default 1 (nb_get_retry) */
	cfg_ms retry_delay;            /* default 1s */
	unsigned rise;                 /* default 1 */
	cfg_ms warmup;                 /* random start spread, default 0 */
	bool alpha;                    /* start as down, default false */
	struct cfg_pos pos;
};

struct cfg_real_server {
	struct halo_addr address;
	uint16_t port;                 /* 0 for fwmark services = same as client's */
	int weight;                    /* 0..65535, default 1 */
	enum cfg_fwd forwarding;       /* default: the virtual server's */
	struct cfg_tunnel tunnel;      /* forwarding tun; default: the virtual server's */
	uint32_t u_threshold, l_threshold;  /* default 0 */
	struct cfg_check check;        /* kind NONE = always up */
	struct cfg_pos pos;
};

struct cfg_virtual_server {
	char *name;                    /* optional; default "[addr]:proto:port" or "fwmark:N" */
	bool is_fwmark;
	uint32_t fwmark;
	int family;                    /* for fwmark: from `family:` or the real servers */
	struct halo_addr address;
	uint16_t port;
	enum cfg_proto protocol;       /* default tcp */
	char *scheduler;               /* default "wlc" */
	char **sched_flags;            /* "flag-1".. or "sh-fallback", "sh-port", "mh-..." */
	size_t n_sched_flags;
	enum cfg_fwd forwarding;       /* default dr */
	struct cfg_tunnel tunnel;      /* default for real servers forwarding tun */
	bool persistence;
	cfg_ms persistence_timeout;    /* default 300s when persistence given without timeout */
	struct halo_addr persistence_netmask;   /* v4 mask; v6: prefix in persistence_prefix */
	uint8_t persistence_prefix;
	char *persistence_engine;      /* NULL, or "sip" (the kernel's ip_vs_pe_sip) */
	unsigned quorum;               /* default 1 */
	unsigned hysteresis;           /* default 0 */
	bool inhibit_on_failure;       /* default false */
	bool has_sorry_server;
	struct halo_addr sorry_address;
	uint16_t sorry_port;
	enum cfg_fwd sorry_forwarding;
	struct cfg_real_server *real_servers;
	size_t n_real_servers;
	struct cfg_pos pos;
};

struct halo_config {
	char *path;
	struct cfg_global global;
	struct cfg_vrrp vrrp;
	struct cfg_ipvs ipvs;
	struct cfg_virtual_server *virtual_servers;
	size_t n_virtual_servers;
};

/* Parses and validates the whole file. On failure returns NULL and writes
 * every error, one per line, "file:line:col: key.path: message", to errs. */
struct halo_config *config_load(const char *path, FILE *errs);
/* Same from a memory buffer; `name` is used in messages. */
struct halo_config *config_load_buf(const char *name, const char *buf, size_t len, FILE *errs);
void config_free(struct halo_config *cfg);

/* Canonical YAML of the whole config (all defaults written out); golden tests use it. */
void config_print(const struct halo_config *cfg, FILE *out);

const struct cfg_vrrp_instance *config_find_instance(const struct halo_config *cfg, const char *name);
const struct cfg_vrrp_script *config_find_script(const struct halo_config *cfg, const char *name);

/* Field-by-field equality, used by reload to keep unchanged objects running. */
bool config_instance_equal(const struct cfg_vrrp_instance *a, const struct cfg_vrrp_instance *b);
bool config_check_equal(const struct cfg_check *a, const struct cfg_check *b);

/* An interface name the loader accepts: 1..15 characters, no '/', ':' or
 * blanks, not "." or "..". Pure; the keepalived importer uses it too. */
bool config_ifname_ok(const char *s);
/* Durations: "10ms", "1s", "1.5s", "2m", "1h"; 0 on success. Pure. */
int config_parse_duration(const char *s, cfg_ms *out);
const char *config_proto_name(enum cfg_proto p);
const char *config_fwd_name(enum cfg_fwd f);
const char *config_tun_type_name(enum cfg_tun_type t);
const char *config_sync_mode_name(enum cfg_sync_mode m);
const char *config_tun_csum_name(enum cfg_tun_csum c);
const char *config_check_kind_name(enum cfg_check_kind k);

#endif
