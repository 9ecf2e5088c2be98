/* fuzz_config.c -- the INI configuration (engine/config.c, inih) on one
 * file; a configuration that loads is printed back (--print-config). */
#include "config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "config.ini");
    if (!path)
        return 0;
    hr_config cfg;
    hr_err err = {0};
    if (hr_config_load(path, &cfg, &err) == HR_OK) {
        FILE *fp = fopen("/dev/null", "w");
        if (fp) {
            hr_config_print(&cfg, fp);
            fclose(fp);
        }
    }
    hr_config_clear(&cfg);
    return 0;
}
