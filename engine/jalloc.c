/* jalloc.c -- see jalloc.h. */
#include "jalloc.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdlib.h>

static atomic_ulong failures;

static void *counting_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        atomic_fetch_add(&failures, 1);
    return p;
}

void hr_jalloc_install(void) { json_set_alloc_funcs(counting_malloc, free); }

unsigned long hr_jalloc_failures(void) { return atomic_load(&failures); }
