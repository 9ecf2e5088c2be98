/* fuzz_units.c -- the unit of a series key (hr_unit_infer) and numbers
 * for people (hr_fmt_unit): the text is a key and a unit name, the last
 * 8 bytes a double. The outputs must fit their buffers, terminated. */
#include "fuzz.h"
#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_str(data, size);
    if (!s)
        return 0;
    char unit[HR_UNIT_MAX], buf[48];
    for (int counter = 0; counter < 2; counter++) {
        hr_unit_infer(s, counter, unit, sizeof unit);
        if (strnlen(unit, sizeof unit) >= sizeof unit)
            abort();
    }
    double x = 1234.5;
    if (size >= 8)
        memcpy(&x, data + size - 8, sizeof x);
    hr_fmt_unit(x, unit, buf, sizeof buf);
    if (strnlen(buf, sizeof buf) >= sizeof buf)
        abort();
    hr_fmt_unit(x, s, buf, sizeof buf); /* any unit name the inventory may give */
    if (strnlen(buf, sizeof buf) >= sizeof buf)
        abort();
    hr_fmt_unit(x, NULL, buf, sizeof buf);
    free(s);
    return 0;
}
