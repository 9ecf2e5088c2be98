/* fuzz.h -- what the harnesses of tests/fuzz/ share: the input written to
 * a file (most readers take a path, and the long CSV reader reads its
 * file again by offset, so a real file is the faithful entry point) and a
 * diag callback that drops messages (the readers format every one, which
 * the fuzzer still exercises).
 * Each harness is one fuzz_<target>.c defining LLVMFuzzerTestOneInput;
 * built with libFuzzer by `make fuzz`, and with tests/fuzz/replay.c by the
 * normal compiler so `make check` replays the corpus and the crashes.
 * Header-only on purpose: every harness is one translation unit. */
#ifndef HR_FUZZ_H
#define HR_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data[0..size) to DIR/hr-fuzz-PID-NAME and returns its path (the
 * same file each call; removed at exit), or NULL.
 * DIR is /dev/shm when there is one, else /tmp: on ext4 replacing a
 * file's contents costs a flush (about 3 ms, auto_da_alloc), which made
 * the readers' harnesses 20 times slower. The old file is unlinked
 * first, for the same reason. */
static char fuzz_path[256];

static void fuzz_file_remove(void)
{
    unlink(fuzz_path);
}

static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *name)
{
    char *path = fuzz_path;
    if (!path[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof fuzz_path, "%s/hr-fuzz-%ld-%s", dir, (long)getpid(), name);
        atexit(fuzz_file_remove);
    }
    unlink(path);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return NULL;
    if (size && fwrite(data, 1, size, fp) != size) {
        fclose(fp);
        return NULL;
    }
    if (fclose(fp))
        return NULL;
    return path;
}

/* Copies data into a new NUL-terminated string (caller frees), or NULL. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return NULL;
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Drops a message: the reader formatted it, nobody needs to read it. */
static inline void fuzz_diag(int level, const char *msg, void *ud)
{
    (void)level;
    (void)msg;
    (void)ud;
}

#endif
