/* Unit tests of the script path safety walk (lib/config_script.c) over a
 * fake file system, and of the config-level check's messages. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "config_script.h"

struct fake { const char *path; uid_t uid; mode_t mode; const char *link; };

static const struct fake fs[] = {
	{ "/", 0, S_IFDIR | 0755, NULL },
	{ "/usr", 0, S_IFDIR | 0755, NULL },
	{ "/usr/bin", 0, S_IFDIR | 0755, NULL },
	{ "/usr/bin/true", 0, S_IFREG | 0755, NULL },
	{ "/bin", 0, S_IFLNK | 0777, "/usr/bin" },
	{ "/tmp", 0, S_IFDIR | 01777, NULL },
	{ "/tmp/x.sh", 0, S_IFREG | 0755, NULL },
	{ "/tmp/bob.sh", 1000, S_IFREG | 0755, NULL },
	{ "/tmp/bob", 1000, S_IFLNK | 0777, "/usr/bin/true" },
	{ "/pub", 0, S_IFDIR | 0777, NULL },
	{ "/pub/x.sh", 0, S_IFREG | 0755, NULL },
	{ "/etc", 0, S_IFDIR | 0755, NULL },
	{ "/etc/halo", 0, S_IFDIR | 0775, NULL },
	{ "/etc/halo/n.sh", 0, S_IFREG | 0755, NULL },
	{ "/home", 0, S_IFDIR | 0755, NULL },
	{ "/home/bob", 1000, S_IFDIR | 0755, NULL },
	{ "/home/bob/s.sh", 0, S_IFREG | 0755, NULL },
	{ "/opt", 0, S_IFDIR | 0755, NULL },
	{ "/opt/ok", 0, S_IFLNK | 0777, "/tmp/x.sh" },
	{ "/opt/bad", 0, S_IFLNK | 0777, "/pub/x.sh" },
	{ "/opt/mine.sh", 0, S_IFREG | 0775, NULL },
	{ "/opt/loop", 0, S_IFLNK | 0777, "/opt/loop" },
};

static int fake_stat(const char *path, struct script_stat *st, void *arg)
{
	int *calls = arg;

	(*calls)++;
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		if (strcmp(fs[i].path, path))
			continue;
		st->is_link = S_ISLNK(fs[i].mode);
		st->uid = fs[i].uid;
		st->mode = fs[i].mode;
		snprintf(st->resolved, sizeof(st->resolved), "%s", fs[i].link ? fs[i].link : "");
		return 0;
	}
	return -1;
}

static int check(const char *path, char *err)
{
	int calls = 0;

	err[0] = '\0';
	return script_path_check(path, fake_stat, &calls, err, 256);
}

START_TEST(test_safe_paths)
{
	char err[256];

	ck_assert_int_eq(check("/usr/bin/true", err), 0);
	ck_assert_int_eq(check("/bin/true", err), 0);          /* through a root-owned link */
	ck_assert_int_eq(check("/usr//bin/true", err), 0);
	ck_assert_int_eq(check("/usr/bin/missing", err), 0);   /* only root can create it */
	ck_assert_int_eq(check("/nonexistent/dir/x", err), 0);
	/* a sticky directory others write to (/tmp): its root-owned entries
	 * cannot be renamed or removed by anyone else */
	ck_assert_int_eq(check("/tmp/x.sh", err), 0);
	ck_assert_int_eq(check("/opt/ok", err), 0);            /* a link to it */
}
END_TEST

START_TEST(test_refused_paths)
{
	char err[256];

	ck_assert_int_eq(check("/pub/x.sh", err), -1);
	ck_assert_str_eq(err, "/pub is writable by others (mode 0777)");
	ck_assert_int_eq(check("/tmp/bob.sh", err), -1);
	ck_assert_str_eq(err, "/tmp/bob.sh is owned by uid 1000 in /tmp, which others may write to");
	ck_assert_int_eq(check("/tmp/bob", err), -1);          /* a link its owner may swap */
	ck_assert_str_eq(err, "/tmp/bob is owned by uid 1000 in /tmp, which others may write to");
	ck_assert_int_eq(check("/etc/halo/n.sh", err), -1);
	ck_assert_str_eq(err, "/etc/halo is writable by its group (mode 0775)");
	ck_assert_int_eq(check("/home/bob/s.sh", err), -1);
	ck_assert_str_eq(err, "/home/bob is owned by uid 1000, not root");
	ck_assert_int_eq(check("/opt/mine.sh", err), -1);
	ck_assert_str_eq(err, "/opt/mine.sh is writable by its group (mode 0775)");
	/* a safe link to an unsafe place is judged where it leads */
	ck_assert_int_eq(check("/opt/bad", err), -1);
	ck_assert_str_eq(err, "/pub is writable by others (mode 0777)");
	ck_assert_int_eq(check("/opt/loop", err), -1);
	ck_assert_str_eq(err, "/opt/loop: too many levels of symbolic links");
	ck_assert_int_eq(check("relative/x", err), -1);
	ck_assert_str_eq(err, "relative/x is not an absolute path");
	/* a missing file in an unsafe directory is still refused: anyone could create it */
	ck_assert_int_eq(check("/tmp/later.sh", err), -1);
	ck_assert_str_eq(err, "/tmp/later.sh does not exist and anyone may create it in /tmp");
	ck_assert_int_eq(check("/pub/later.sh", err), -1);
	ck_assert_str_eq(err, "/pub is writable by others (mode 0777)");
}
END_TEST

START_TEST(test_config_messages)
{
	static const char yaml[] =
		"global: { script_user: nobody }\n"
		"vrrp:\n"
		"  scripts:\n"
		"    chk: { command: [/pub/x.sh] }\n"
		"  instances:\n"
		"    - { name: VI_1, interface: eth0, vrid: 1, priority: 100, virtual_addresses: [10.0.0.1/24],\n"
		"        track_scripts: [chk], notify: { master: [/usr/bin/true], any: [/home/bob/s.sh] } }\n"
		"virtual_servers:\n"
		"  - address: 10.0.0.1\n"
		"    port: 80\n"
		"    real_servers:\n"
		"      - { address: 10.0.0.2, port: 80, check: { script: { command: [/etc/halo/n.sh] } } }\n";
	struct halo_config *cfg = config_load_buf("t.yaml", yaml, sizeof(yaml) - 1, stderr);
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	int calls = 0;

	ck_assert_ptr_nonnull(cfg);
	f = open_memstream(&out, &len);
	ck_assert_uint_eq(config_scripts_check(cfg, SCRIPTS_VRRP, fake_stat, &calls, f), 2);
	fclose(f);
	ck_assert_str_eq(out,
		"t.yaml: vrrp.scripts.chk.command: script /pub/x.sh refused: /pub is writable by others (mode 0777) (global.script_security)\n"
		"t.yaml: vrrp.instances.VI_1.notify.any: script /home/bob/s.sh refused: /home/bob is owned by uid 1000, not root (global.script_security)\n");
	free(out);
	f = open_memstream(&out, &len);
	ck_assert_uint_eq(config_scripts_check(cfg, SCRIPTS_CHECKER, fake_stat, &calls, f), 1);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "virtual_servers[0].real_servers[0].check.script: script /etc/halo/n.sh refused"));
	free(out);
	cfg->global.script_security = false;
	calls = 0;
	ck_assert_uint_eq(config_scripts_check(cfg, SCRIPTS_VRRP | SCRIPTS_CHECKER, fake_stat, &calls, stderr), 0);
	ck_assert_int_eq(calls, 0);
	config_free(cfg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("script_path");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_safe_paths);
	tcase_add_test(tc, test_refused_paths);
	tcase_add_test(tc, test_config_messages);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
