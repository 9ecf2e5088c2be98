/* err.c -- see err.h. */
#include "err.h"

#include <stdio.h>

int hr_err_set(hr_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void hr_err_clear(hr_err *err)
{
    if (err) {
        err->code = HR_OK;
        err->msg[0] = '\0';
    }
}
