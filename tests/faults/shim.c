/* shim.c -- fault injection for tests/faults/run.sh, as an LD_PRELOAD
 * shared object ($(BUILD)/faults/libhrfault.so).
 *
 * Owns: wrappers of the calls through which headroom changes the disk or
 * gets memory, grouped in kinds, each kind with its own call counter:
 *   write   write, pwrite, pwrite64, writev, pwritev (fd 0-2 excluded,
 *           so the error message itself is never lost)    -> ENOSPC
 *   fsync   fsync, fdatasync                              -> EIO
 *   rename  rename, renameat, renameat2                   -> EIO
 *   create  open/open64/openat/openat64/creat with O_CREAT, mkdir,
 *           symlink, of a path that does not exist yet    -> ENOSPC
 *   malloc  malloc, calloc, realloc (a size > 0)          -> NULL, ENOMEM
 * HR_FAULT=KIND:N makes the N-th call of KIND (counted from this object's
 * constructor, so not inside the dynamic loader) fail once, with the errno
 * above; every other call goes through. KIND:N@WHERE counts only the
 * calls made from (16 frames) a shared object whose file name contains
 * WHERE, or an exported function named WHERE (malloc:1@jansson: jansson's
 * first allocation; malloc:3@H5Fopen), points that stay put when
 * headroom's own calls change. HR_FAULT_COUNT=FILE writes, at
 * exit, one line per kind "KIND CALLS" and "fired 0|1", which is how the
 * driver knows how many injection points a command has and whether the
 * fault was reached. HR_FAULT_TRACE=1 prints a backtrace to stderr where
 * the fault is injected and where the program crashes, if it does (the
 * driver tells crashes inside libhdf5 from ours by it), and where exit()
 * is called from after the fault.
 *
 * The counters are atomic, but a deterministic count needs one thread:
 * run the program with OMP_NUM_THREADS=1. malloc is forwarded to glibc's
 * __libc_malloc and friends, not looked up with dlsym (which allocates
 * itself); free, memalign and posix_memalign are not wrapped. Under
 * AddressSanitizer preload libasan first: its malloc then shadows this
 * one (the malloc kind counts 0) and its write interceptors call these. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { K_WRITE, K_FSYNC, K_RENAME, K_CREATE, K_MALLOC, K_N };
static const char *const kind_name[K_N] = {"write", "fsync", "rename", "create", "malloc"};
static const int kind_errno[K_N] = {ENOSPC, EIO, EIO, ENOSPC, ENOMEM};

static atomic_long calls[K_N], matched;
static char fault_from[256];
static atomic_int armed, fired;
static int fault_kind = -1, trace;
static long fault_n;
static char count_path[4096];

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

/* Counts one call of kind k; nonzero (errno set) when this one fails. */
static int fail_now(int k)
{
    if (!atomic_load(&armed))
        return 0;
    long c = atomic_fetch_add(&calls[k], 1) + 1;
    if (k != fault_kind)
        return 0;
    if (fault_from[0]) {
        /* the first 16 frames outside this object: the caller and its
         * callers (jansson allocates through a function pointer that
         * headroom may set to its own malloc; HDF5 calls malloc many
         * frames below its API function) */
        void *bt[24];
        int nb = backtrace(bt, 24), hit = 0, seen = 0;
        Dl_info di;
        for (int i = 0; i < nb && seen < 16 && !hit; i++) {
            if (!dladdr(bt[i], &di) || !di.dli_fname || strstr(di.dli_fname, "libhrfault"))
                continue;
            seen++;
            hit = strstr(di.dli_fname, fault_from) || (di.dli_sname && strcmp(di.dli_sname, fault_from) == 0);
        }
        if (!hit)
            return 0;
        c = atomic_fetch_add(&matched, 1) + 1;
    }
    if (c != fault_n)
        return 0;
    atomic_store(&fired, 1);
    if (trace) {
        static const char m[] = "hrfault: injecting here:\n";
        (void)!write(2, m, sizeof m - 1); /* fd 2 is not counted */
        void *bt[32];
        backtrace_symbols_fd(bt, backtrace(bt, 32), 2);
    }
    errno = kind_errno[k];
    return 1;
}

/* HR_FAULT_TRACE=1: where a crash happened, so the driver can tell a
 * crash inside libhdf5 from one in headroom; then the default action. */
static void on_crash(int sig)
{
    static const char m[] = "hrfault: crashed here:\n";
    (void)!write(2, m, sizeof m - 1);
    void *bt[32];
    backtrace_symbols_fd(bt, backtrace(bt, 32), 2);
    raise(sig); /* SA_RESETHAND: the default action now */
}

__attribute__((constructor)) static void hrfault_init(void)
{
    const char *f = getenv("HR_FAULT"), *c = getenv("HR_FAULT_COUNT"), *t = getenv("HR_FAULT_TRACE");
    if (f && *f) {
        const char *colon = strchr(f, ':');
        for (int k = 0; colon && k < K_N; k++)
            if (strlen(kind_name[k]) == (size_t)(colon - f) && strncmp(f, kind_name[k], (size_t)(colon - f)) == 0)
                fault_kind = k;
        char *end = NULL;
        fault_n = colon ? strtol(colon + 1, &end, 10) : 0;
        if (end && *end == '@')
            snprintf(fault_from, sizeof fault_from, "%s", end + 1);
        if (fault_kind < 0 || fault_n <= 0) {
            static const char m[] = "hrfault: HR_FAULT must be KIND:N[@OBJECT], KIND one of write fsync rename create malloc\n";
            (void)!write(2, m, sizeof m - 1);
            _exit(127);
        }
    }
    if (c)
        snprintf(count_path, sizeof count_path, "%s", c);
    trace = t && *t == '1';
    if (trace || fault_from[0]) { /* backtrace() loads libgcc on first use: not at the fault */
        void *bt[2];
        (void)backtrace(bt, 2);
        /* on an alternate stack: a crash may be a stack overflow */
        static char alt[1 << 16];
        stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
        sigaltstack(&ss, NULL);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_crash;
        sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        sigaction(SIGABRT, &sa, NULL);
    }
    atomic_store(&armed, 1);
}

__attribute__((destructor)) static void hrfault_fini(void)
{
    atomic_store(&armed, 0);
    if (!count_path[0])
        return;
    int (*ropen)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    ssize_t (*rwrite)(int, const void *, size_t) = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (!ropen || !rwrite)
        return;
    int fd = ropen(count_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    char b[512];
    int n = 0;
    for (int k = 0; k < K_N; k++)
        n += snprintf(b + n, sizeof b - (size_t)n, "%s %ld\n", kind_name[k], atomic_load(&calls[k]));
    n += snprintf(b + n, sizeof b - (size_t)n, "fired %d\n", atomic_load(&fired));
    (void)!rwrite(fd, b, (size_t)n);
    close(fd);
}

/* The next definition of name (libc's, or a sanitizer's interceptor). */
#define REAL(ret, name, ...)                                                   \
    static ret (*real)(__VA_ARGS__);                                           \
    if (!real)                                                                 \
        real = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, name)

/* HR_FAULT_TRACE=1: where exit() is called from, so the driver can tell
 * a library that gives up (libhdf5 calls exit(-1) when its own start-up
 * fails) from headroom's exit status. */
void exit(int status)
{
    static void (*real)(int);
    if (!real)
        real = (void (*)(int))dlsym(RTLD_NEXT, "exit");
    if (trace && atomic_load(&fired)) {
        static const char m[] = "hrfault: exit called here:\n";
        (void)!write(2, m, sizeof m - 1);
        void *bt[32];
        backtrace_symbols_fd(bt, backtrace(bt, 32), 2);
    }
    real(status);
    __builtin_unreachable();
}

/* ---- write ------------------------------------------------------------ */

ssize_t write(int fd, const void *b, size_t n)
{
    REAL(ssize_t, "write", int, const void *, size_t);
    if (fd > 2 && fail_now(K_WRITE))
        return -1;
    return real(fd, b, n);
}

ssize_t pwrite(int fd, const void *b, size_t n, off_t off)
{
    REAL(ssize_t, "pwrite", int, const void *, size_t, off_t);
    if (fd > 2 && fail_now(K_WRITE))
        return -1;
    return real(fd, b, n, off);
}

ssize_t pwrite64(int fd, const void *b, size_t n, off_t off)
{
    REAL(ssize_t, "pwrite64", int, const void *, size_t, off_t);
    if (fd > 2 && fail_now(K_WRITE))
        return -1;
    return real(fd, b, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
    REAL(ssize_t, "writev", int, const struct iovec *, int);
    if (fd > 2 && fail_now(K_WRITE))
        return -1;
    return real(fd, iov, n);
}

ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
    REAL(ssize_t, "pwritev", int, const struct iovec *, int, off_t);
    if (fd > 2 && fail_now(K_WRITE))
        return -1;
    return real(fd, iov, n, off);
}

/* ---- fsync ------------------------------------------------------------ */

int fsync(int fd)
{
    REAL(int, "fsync", int);
    if (fail_now(K_FSYNC))
        return -1;
    return real(fd);
}

int fdatasync(int fd)
{
    REAL(int, "fdatasync", int);
    if (fail_now(K_FSYNC))
        return -1;
    return real(fd);
}

/* ---- rename ----------------------------------------------------------- */

int rename(const char *a, const char *b)
{
    REAL(int, "rename", const char *, const char *);
    if (fail_now(K_RENAME))
        return -1;
    return real(a, b);
}

int renameat(int da, const char *a, int db, const char *b)
{
    REAL(int, "renameat", int, const char *, int, const char *);
    if (fail_now(K_RENAME))
        return -1;
    return real(da, a, db, b);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned fl)
{
    REAL(int, "renameat2", int, const char *, int, const char *, unsigned);
    if (fail_now(K_RENAME))
        return -1;
    return real(da, a, db, b, fl);
}

/* ---- create ----------------------------------------------------------- */

/* Creating fails only what does not exist yet: open(O_CREAT) of an
 * existing file, or mkdir of an existing folder, cannot run out of space
 * (and hr_mkdirs expects EEXIST there). */
static int is_new(int d, const char *p)
{
    struct stat sb;
    return fstatat(d, p, &sb, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT;
}

/* open's mode argument is there only with O_CREAT (or O_TMPFILE). */
#define OPEN_MODE(fl)                                                          \
    mode_t mode = 0;                                                           \
    if ((fl) & (O_CREAT | __O_TMPFILE)) {                                      \
        va_list ap;                                                            \
        va_start(ap, fl);                                                      \
        mode = (mode_t)va_arg(ap, int);                                        \
        va_end(ap);                                                            \
    }

int open(const char *p, int fl, ...)
{
    REAL(int, "open", const char *, int, ...);
    OPEN_MODE(fl);
    if ((fl & O_CREAT) && is_new(AT_FDCWD, p) && fail_now(K_CREATE))
        return -1;
    return real(p, fl, mode);
}

int open64(const char *p, int fl, ...)
{
    REAL(int, "open64", const char *, int, ...);
    OPEN_MODE(fl);
    if ((fl & O_CREAT) && is_new(AT_FDCWD, p) && fail_now(K_CREATE))
        return -1;
    return real(p, fl, mode);
}

int openat(int d, const char *p, int fl, ...)
{
    REAL(int, "openat", int, const char *, int, ...);
    OPEN_MODE(fl);
    if ((fl & O_CREAT) && is_new(d, p) && fail_now(K_CREATE))
        return -1;
    return real(d, p, fl, mode);
}

int openat64(int d, const char *p, int fl, ...)
{
    REAL(int, "openat64", int, const char *, int, ...);
    OPEN_MODE(fl);
    if ((fl & O_CREAT) && is_new(d, p) && fail_now(K_CREATE))
        return -1;
    return real(d, p, fl, mode);
}

int creat(const char *p, mode_t mode)
{
    REAL(int, "creat", const char *, mode_t);
    if (is_new(AT_FDCWD, p) && fail_now(K_CREATE))
        return -1;
    return real(p, mode);
}

int creat64(const char *p, mode_t mode)
{
    REAL(int, "creat64", const char *, mode_t);
    if (is_new(AT_FDCWD, p) && fail_now(K_CREATE))
        return -1;
    return real(p, mode);
}

int mkdir(const char *p, mode_t mode)
{
    REAL(int, "mkdir", const char *, mode_t);
    if (is_new(AT_FDCWD, p) && fail_now(K_CREATE))
        return -1;
    return real(p, mode);
}

int symlink(const char *a, const char *b)
{
    REAL(int, "symlink", const char *, const char *);
    if (is_new(AT_FDCWD, b) && fail_now(K_CREATE))
        return -1;
    return real(a, b);
}

/* ---- malloc ----------------------------------------------------------- */

void *malloc(size_t n)
{
    if (fail_now(K_MALLOC))
        return NULL;
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    if (fail_now(K_MALLOC))
        return NULL;
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (n && fail_now(K_MALLOC))
        return NULL;
    return __libc_realloc(p, n);
}
