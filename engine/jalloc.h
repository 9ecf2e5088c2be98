/* jalloc.h -- counts jansson's failed allocations.
 * jansson does not report every allocation that fails: a value it could
 * not make is dropped (json_object_set_new(o, k, NULL) does nothing, so a
 * report would lose a key and still be written), and a parser's is
 * reported as a syntax error. hr_jalloc_install() makes jansson allocate
 * through a malloc that counts its failures; a caller compares
 * hr_jalloc_failures() before and after building or parsing documents.
 * Prints nothing. Thread-safe: the count is atomic; install before any
 * thread uses jansson (it sets jansson's global allocator, which stays
 * compatible with values made before: malloc and free underneath). */
#ifndef HR_JALLOC_H
#define HR_JALLOC_H

void hr_jalloc_install(void);

/* Failed jansson allocations since the program started. */
unsigned long hr_jalloc_failures(void);

#endif
