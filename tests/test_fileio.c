/* test_fileio.c -- hr_memstream: what it holds after fflush and fclose,
 * long and empty outputs, and (in a child with a small address-space
 * limit) a buffer that cannot grow: the writes fail, ferror is set and
 * fclose returns EOF, where glibc's open_memstream closed with 0 having
 * dropped the bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "fileio.h"

#if defined(__SANITIZE_ADDRESS__)
#define HR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HR_ASAN 1
#endif
#endif

#ifndef HR_ASAN
/* In a child: an address-space limit 48 MiB above what the process uses,
 * then 256 MiB written in 1 MiB pieces. Exit 0 when the stream failed as
 * it should (a write or fflush failed, ferror set, fclose EOF), 1 when it
 * claimed success, 2 when the setup failed. */
static int child_out_of_memory(void)
{
    long pages = 0;
    FILE *st = fopen("/proc/self/statm", "r");
    if (!st || fscanf(st, "%ld", &pages) != 1)
        return 2;
    fclose(st);
    static char piece[1 << 20];
    memset(piece, 'x', sizeof piece);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&buf, &len);
    if (!f)
        return 2;
    rlim_t lim = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)48 << 20);
    struct rlimit rl = {lim, lim};
    if (setrlimit(RLIMIT_AS, &rl) != 0)
        return 2;
    int failed = 0;
    for (int i = 0; i < 256 && !failed; i++)
        failed = fwrite(piece, 1, sizeof piece, f) != sizeof piece || fflush(f) != 0;
    int err = ferror(f);
    int closed = fclose(f);
    free(buf);
    return failed && err && closed == EOF ? 0 : 1;
}
#endif

int main(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&buf, &len);
    CHECK(f != NULL);
    if (f) {
        fprintf(f, "a %d b", 42);
        fflush(f);
        CHECK_EQ_INT(len, 6);
        CHECK_STR(buf, "a 42 b");
        for (int i = 0; i < 100000; i++)
            fputs("0123456789", f);
        CHECK_EQ_INT(fclose(f), 0);
        CHECK_EQ_INT(len, 6 + 1000000);
        CHECK(buf && buf[len] == '\0' && memcmp(buf + len - 10, "0123456789", 10) == 0);
    }
    free(buf);

    /* nothing written: an empty string, not NULL */
    f = hr_memstream(&buf, &len);
    CHECK(f != NULL);
    if (f)
        CHECK_EQ_INT(fclose(f), 0);
    CHECK(buf && buf[0] == '\0' && len == 0);
    free(buf);

#ifndef HR_ASAN /* ASan reserves terabytes of shadow: no address-space limit */
    pid_t pid = fork();
    if (pid == 0)
        _exit(child_out_of_memory());
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    if (!WIFEXITED(status))
        fprintf(stderr, "test_fileio: the child died of signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    CHECK(WIFEXITED(status));
    CHECK_EQ_INT(WEXITSTATUS(status), 0);
#endif
    return check_summary("fileio");
}
