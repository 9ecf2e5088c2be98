/* fuzz_numfmt.c -- numbers in and out: the sample value parser
 * (hr_value_parse) on the text, and the shortest round-trip formatter
 * (hr_fmt_double) on every 8 bytes read as a double, which must read
 * back as that double (-0 as 0); CSV quoting (hr_csv_put) of the text. */
#include <math.h>

#include "fuzz.h"
#include "ingest.h"
#include "numfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double v;
    const char *why;
    int r = hr_value_parse((const char *)data, size, &v, &why);
    if (r == 0 && !isnan(v) && !(fabs(v) <= HR_ABSURD_VALUE))
        abort(); /* an accepted value is finite and not absurd */
    char buf[64];
    for (size_t i = 0; i + 8 <= size; i += 8) {
        double x;
        memcpy(&x, data + i, sizeof x);
        hr_fmt_double(x, buf, sizeof buf);
        if (isfinite(x)) {
            char *e;
            double y = strtod(buf, &e);
            if (*e || y != x)
                abort(); /* not the same double back (-0 is written "0") */
        }
    }
    char *s = fuzz_str(data, size);
    FILE *fp = fopen("/dev/null", "w");
    if (s && fp)
        hr_csv_put(fp, s);
    if (fp)
        fclose(fp);
    free(s);
    return 0;
}
