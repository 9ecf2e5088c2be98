/* input.h -- opening an export for reading: a file, or standard input
 * for "-", plain or gzip-compressed (told by its magic bytes, inflated by
 * zlib), as a FILE * stream whose first bytes are read ahead so the
 * format can be told without seeking (a pipe cannot seek).
 * Owns: the descriptor, zlib, the look-ahead; nothing about formats. */
#ifndef HR_INPUT_H
#define HR_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

typedef struct hr_input hr_input;

/* Opens path ("-": standard input) and reads its head (up to 64 KiB; a
 * UTF-8 byte-order mark is stepped over). Returns the stream, read from
 * the start of the head (fclose frees everything, *in with it), and the
 * file's size in *bytes (0 for a pipe); or NULL with err set: HR_ENOINPUT
 * (cannot open, a directory), HR_EIO (read error, "path:1: ..."),
 * HR_EINPUT (corrupt gzip data), HR_ESOFTWARE (out of memory). */
FILE *hr_input_open(const char *path, hr_input **in, uint64_t *bytes, hr_err *err);

/* The head: its bytes after any BOM, *n of them. */
const unsigned char *hr_input_head(const hr_input *in, size_t *n);

/* What zlib said of corrupt or truncated gzip data met while reading, or
 * NULL: check before fclose (a reader sees such data as an early end). */
const char *hr_input_zerror(const hr_input *in);

/* True when the input's bytes are read as they are (not gzip): a plain
 * file can then be read again by offset. */
int hr_input_plain(const hr_input *in);

#endif
