/* replay.c -- runs a fuzz harness without libFuzzer: calls
 * LLVMFuzzerTestOneInput once per file named on the command line (the
 * corpus and the crash reproducers), so `make check` and `make asan`
 * replay them with the normal compiler. Prints "replay: N inputs" and
 * exits 0; a harness that crashes or trips a sanitizer ends the process
 * with its report. Exit 66 when a file cannot be read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        if (!fp) {
            fprintf(stderr, "replay: %s: cannot open\n", argv[i]);
            return 66;
        }
        size_t cap = 4096, len = 0, got;
        uint8_t *buf = malloc(cap);
        while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
            len += got;
            if (len == cap) {
                uint8_t *nb = realloc(buf, cap *= 2);
                if (!nb) {
                    free(buf);
                    buf = NULL;
                }
                buf = nb;
            }
        }
        int bad = ferror(fp);
        fclose(fp);
        if (!buf || bad) {
            fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
            free(buf);
            return 66;
        }
        /* an exact-size copy, so reading past the input is caught as in libFuzzer */
        uint8_t *in = malloc(len ? len : 1);
        if (!in) {
            free(buf);
            return 70;
        }
        for (size_t k = 0; k < len; k++)
            in[k] = buf[k];
        free(buf);
        LLVMFuzzerTestOneInput(in, len);
        free(in);
        n++;
    }
    printf("replay: %d inputs\n", n);
    return 0;
}
