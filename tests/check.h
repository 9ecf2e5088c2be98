/* check.h -- a tiny test harness: asserts that print file:line and both
 * values, and a summary line "<module>: N passed, N failed".
 * Usage: CHECK(cond); CHECK_EQ_INT(a, b); CHECK_NEAR(a, b, rel);
 *        CHECK_STR(a, b); CHECK_CONTAINS(haystack, needle); then
 *        return check_summary("module"); from main. */
#ifndef HR_CHECK_H
#define HR_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_pass_, check_fail_;

#define CHECK_REPORT_(ok, ...)                                      \
    do {                                                            \
        if (ok) {                                                   \
            check_pass_++;                                          \
        } else {                                                    \
            check_fail_++;                                          \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);   \
            fprintf(stderr, __VA_ARGS__);                           \
            fputc('\n', stderr);                                    \
        }                                                           \
    } while (0)

#define CHECK(c) CHECK_REPORT_((c), "%s", #c)
#define CHECK_EQ_INT(a, b)                                                               \
    do {                                                                                 \
        long long a_ = (long long)(a), b_ = (long long)(b);                              \
        CHECK_REPORT_(a_ == b_, "%s == %s: got %lld, want %lld", #a, #b, a_, b_);        \
    } while (0)
#define CHECK_NEAR(a, b, rel)                                                            \
    do {                                                                                 \
        double a_ = (a), b_ = (b);                                                       \
        int ok_ = (isnan(a_) && isnan(b_)) ||                                            \
                  fabs(a_ - b_) <= (rel) * fmax(fabs(b_), 1e-300) || a_ == b_;           \
        CHECK_REPORT_(ok_, "%s ~ %s: got %.17g, want %.17g", #a, #b, a_, b_);            \
    } while (0)
#define CHECK_STR(a, b)                                                                  \
    do {                                                                                 \
        const char *a_ = (a), *b_ = (b);                                                 \
        CHECK_REPORT_(a_ && b_ && strcmp(a_, b_) == 0, "%s == %s: got \"%s\", want \"%s\"", \
                      #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                   \
    } while (0)
#define CHECK_CONTAINS(h, n)                                                             \
    do {                                                                                 \
        const char *h_ = (h), *n_ = (n);                                                 \
        CHECK_REPORT_(h_ && strstr(h_, n_), "%s contains \"%s\": got \"%s\"", #h, n_,     \
                      h_ ? h_ : "(null)");                                               \
    } while (0)

static int check_summary(const char *module)
{
    printf("%s: %d passed, %d failed\n", module, check_pass_, check_fail_);
    return check_fail_ ? 1 : 0;
}

#endif
