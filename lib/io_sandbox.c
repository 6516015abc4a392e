/* Per-process seccomp allow-lists (see io_sandbox.h). Only system calls the
 * daemons make after start-up are listed; execve, fork, ptrace, mount, kexec
 * and the rest are not. A refused call traps into sigsys_cb, which makes it
 * return -EPERM and counts it; the timer logs it where it is safe to. */
#include "io_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "log.h"

#if defined(__x86_64__) || defined(__aarch64__)
#define SANDBOX_DEFAULT SCMP_ACT_TRAP          /* EPERM + counted, see sigsys_cb */
#else
#define SANDBOX_DEFAULT SCMP_ACT_KILL_PROCESS  /* no register to set the result in */
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_SANITIZER 1
#endif
#endif

/* What every halo process does once running: memory, time, signals, the
 * event loop, sockets it already has or opens anew, syslog, config reloads. */
static const char *const base_calls[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "close", "lseek",
	"fstat", "newfstatat", "stat", "lstat", "statx", "readlink", "readlinkat", "getcwd",
	"mmap", "munmap", "mprotect", "mremap", "brk", "madvise",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "restart_syscall",
	"getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getgroups",
	"clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
	"timerfd_create", "timerfd_settime", "timerfd_gettime", "signalfd4", "eventfd2", "pipe2",
	"poll", "ppoll", "select", "pselect6",
	"socket", "socketpair", "bind", "connect", "accept", "accept4", "listen", "shutdown",
	"getsockopt", "setsockopt", "getsockname", "getpeername",
	"sendto", "sendmsg", "sendmmsg", "recvfrom", "recvmsg", "recvmmsg",
	"fcntl", "ioctl", "dup", "dup2", "dup3",
	"futex", "set_robust_list", "get_robust_list", "rseq", "sched_yield", "sched_getaffinity",
	"uname", "sysinfo", "getrandom", "prlimit64", "getrlimit", "umask",
	"mkdir", "mkdirat", "unlink", "unlinkat", "chmod", "fchmodat",  /* control socket again */
	"tgkill", "exit", "exit_group",
	"wait4", "waitid",          /* reaping its own children (the script runner, the socket keeper) */
	NULL,
};

static const char *const vrrpd_calls[] = {
	"openat", "open", "getdents64",                    /* state file, VMAC sysctls, /proc */
	"rename", "renameat", "renameat2", "fsync", "fdatasync",
	"inotify_init1", "inotify_add_watch", "inotify_rm_watch",
	NULL,
};

static const char *const checker_calls[] = {
	"getdents64", "fadvise64", "access", "faccessat", "faccessat2",
	"set_tid_address", "membarrier",                   /* libcurl's resolver threads */
	NULL,
};

static const char *const ipvs_calls[] = {
	"rename", "renameat", "renameat2",                 /* the drained set's state file */
	NULL,
};

#ifdef SANDBOX_SANITIZER
/* LeakSanitizer stops the world at exit from a tracer task cloned with
 * CLONE_VM (see allow_sanitizer); it ptraces the threads and reads /proc. */
static const char *const sanitizer_calls[] = {
	"ptrace", "wait4", "waitid", "prctl", "getdents", "getdents64",
	"mincore", "kill", "sched_getaffinity", "rt_sigtimedwait", "pipe2",
	NULL,
};
#endif

/* Refused calls by number, filled by the handler (async-signal-safe atomics). */
#define DENIED_SLOTS 32
static struct { int nr; uint32_t count, logged; } denied[DENIED_SLOTS];
static uint64_t denied_total;
static struct ev_timer report_timer;
static struct ev_loop *report_loop;

static void sigsys_cb(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	int nr = si->si_syscall;

	(void)sig;
	__atomic_add_fetch(&denied_total, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < DENIED_SLOTS; i++) {
		int cur = __atomic_load_n(&denied[i].nr, __ATOMIC_RELAXED);
		if (cur == 0) {
			int zero = 0;
			if (!__atomic_compare_exchange_n(&denied[i].nr, &zero, nr + 1, false,
			                                 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
				cur = zero;
			else
				cur = nr + 1;
		}
		if (cur == nr + 1) {
			__atomic_add_fetch(&denied[i].count, 1, __ATOMIC_RELAXED);
			break;
		}
	}
#if defined(__x86_64__)
	uc->uc_mcontext.gregs[REG_RAX] = -EPERM;
#elif defined(__aarch64__)
	uc->uc_mcontext.regs[0] = (unsigned long long)-EPERM;
#else
	(void)uc;
#endif
}

static void report_cb(void *arg)
{
	(void)arg;
	for (int i = 0; i < DENIED_SLOTS; i++) {
		int nr = __atomic_load_n(&denied[i].nr, __ATOMIC_RELAXED) - 1;
		uint32_t n = __atomic_load_n(&denied[i].count, __ATOMIC_RELAXED);
		if (nr < 0 || n == denied[i].logged)
			continue;
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		log_warnx("seccomp: denied system call %s (%d): %u time(s) so far; "
		          "global.seccomp: false turns the filter off", name ? name : "?", nr, n);
		free(name);
		denied[i].logged = n;
	}
	ev_timer_arm(report_loop, &report_timer, ev_now_us() + 1000000);
}

uint64_t sandbox_denied(void)
{
	return __atomic_load_n(&denied_total, __ATOMIC_RELAXED);
}

static int allow_list(scmp_filter_ctx ctx, const char *const *names)
{
	for (; *names; names++) {
		int nr = seccomp_syscall_resolve_name(*names);
		if (nr == __NR_SCMP_ERROR)
			continue;   /* not on this architecture */
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) < 0)
			return -1;
	}
	return 0;
}

/* Opens that cannot write, create or truncate anything. */
static int allow_open_readonly(scmp_filter_ctx ctx)
{
	const scmp_datum_t w = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;

	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, w, 0)) < 0)
		return -1;
#ifdef __NR_open
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, w, 0)) < 0)
		return -1;
#endif
	return 0;
}

/* New files only (O_CREAT|O_EXCL, no truncation): a state file written
 * to a temporary name and renamed; no existing file is opened for writing. */
static int allow_open_new(scmp_filter_ctx ctx)
{
	const scmp_datum_t m = O_CREAT | O_EXCL | O_TRUNC | O_APPEND;

	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
	                     SCMP_A2(SCMP_CMP_MASKED_EQ, m, O_CREAT | O_EXCL)) < 0)
		return -1;
#ifdef __NR_open
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
	                     SCMP_A1(SCMP_CMP_MASKED_EQ, m, O_CREAT | O_EXCL)) < 0)
		return -1;
#endif
	return 0;
}

/* Threads yes (libcurl's resolver), new processes no; clone3's arguments
 * cannot be inspected, so glibc is told it does not exist and uses clone. */
static int allow_threads(scmp_filter_ctx ctx)
{
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) < 0)
		return -1;
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

#ifdef SANDBOX_SANITIZER
static int allow_sanitizer(scmp_filter_ctx ctx)
{
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_VM, CLONE_VM)) < 0)
		return -1;
	return allow_list(ctx, sanitizer_calls);
}
#endif

static scmp_filter_ctx sandbox_build(enum sandbox_kind kind)
{
	scmp_filter_ctx ctx = seccomp_init(SANDBOX_DEFAULT);
	int rc = 0;

	if (!ctx)
		return NULL;
	rc |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	rc |= allow_list(ctx, base_calls);
#ifdef SANDBOX_SANITIZER
	rc |= allow_sanitizer(ctx);
#endif
	switch (kind) {
	case SANDBOX_VRRPD:
		rc |= allow_list(ctx, vrrpd_calls);
		break;
	case SANDBOX_CHECKER:
		rc |= allow_list(ctx, checker_calls);
		rc |= allow_threads(ctx);
		rc |= allow_open_readonly(ctx);
		break;
	case SANDBOX_IPVS_SYNC:
		rc |= allow_list(ctx, ipvs_calls);
		rc |= allow_open_readonly(ctx);
		rc |= allow_open_new(ctx);
		break;
	case SANDBOX_KEEPER:
#ifdef SANDBOX_SANITIZER
		rc |= allow_open_readonly(ctx);   /* the sanitizer reads /proc/self/maps */
#endif
		break;
	}
	if (rc) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

int sandbox_enter(enum sandbox_kind kind, struct ev_loop *loop)
{
	struct sigaction sa;
	scmp_filter_ctx ctx = sandbox_build(kind);
	int rc;

	if (!ctx) {
		errno = EINVAL;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_cb;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	if (loop) {
		report_loop = loop;
		ev_timer_init(&report_timer, report_cb, NULL);
		ev_timer_arm(loop, &report_timer, ev_now_us() + 1000000);
	}
	return 0;
}
