/* test_csvread.c -- the CSV reader's fast path (memchr split of plain
 * lines) against libcsv itself: on random unquoted lines with blanks,
 * empty fields, CRLF and a missing last line end, hr_csv_read must give
 * exactly the records and fields that libcsv gives; and the line-at-a-time
 * interface must agree with hr_csv_read on quoted, multi-line records. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csvread.h"

/* A record list flattened to text: fields joined by '|', records by '\n',
 * each record prefixed with its line number when lines is set. */
typedef struct flat {
    char buf[1 << 16];
    size_t n;
    int lines;
    size_t nf; /* fields of the record being flattened (libcsv side) */
} flat;

static void put(flat *f, const char *s, size_t n)
{
    if (f->n + n + 1 < sizeof f->buf) {
        memcpy(f->buf + f->n, s, n);
        f->n += n;
        f->buf[f->n] = '\0';
    }
}

static int on_rec(const hr_csvrow *row, void *ud)
{
    flat *f = ud;
    char ln[32];
    if (f->lines) {
        snprintf(ln, sizeof ln, "%lu:", row->line);
        put(f, ln, strlen(ln));
    }
    for (size_t i = 0; i < row->nf; i++) {
        put(f, row->f[i], row->len[i]);
        put(f, i + 1 < row->nf ? "|" : "\n", 1);
    }
    return 0;
}

static void lib_field(void *s, size_t n, void *ud)
{
    flat *f = ud;
    if (f->nf++)
        put(f, "|", 1);
    put(f, s ? s : "", n);
}

static void lib_row(int c, void *ud)
{
    (void)c;
    flat *f = ud;
    f->nf = 0;
    put(f, "\n", 1);
}

/* libcsv's record list for text (strict), as on_rec would flatten it. */
static void by_libcsv(const char *text, size_t n, unsigned char delim, flat *out)
{
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(&p, delim);
    csv_parse(&p, text, n, lib_field, lib_row, out);
    csv_fini(&p, lib_field, lib_row, out);
    csv_free(&p);
}

static void by_reader(const char *text, size_t n, unsigned char delim, flat *out)
{
    FILE *fp = fmemopen((void *)text, n, "rb");
    hr_err err = {0};
    int rc = hr_csv_read(fp, "t.csv", delim, on_rec, NULL, out, &err);
    CHECK_EQ_INT(rc, 0);
    fclose(fp);
}

static void test_random_plain(void)
{
    static const char alpha[] = "ab1 \t,;.\xc3\xa9-";
    const unsigned char delims[] = {',', ';', '\t'};
    unsigned long seed = 12345;
    int mismatches = 0;
    for (int iter = 0; iter < 4000; iter++) {
        char text[512];
        size_t n = 0;
        int nlines = 1 + (int)((seed >> 16) % 4);
        /* a first line that is not blank, so that hr_csv_read starts a
         * record there as libcsv does */
        text[n++] = 'h';
        for (int l = 0; l < nlines; l++) {
            int len = (int)((seed >> 8) % 12);
            for (int k = 0; k < len && n < sizeof text - 4; k++) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                text[n++] = alpha[(seed >> 33) % (sizeof alpha - 1)];
            }
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            if ((seed >> 40) % 3 == 0)
                text[n++] = '\r';
            if (l + 1 < nlines || (seed >> 20) % 2)
                text[n++] = '\n';
        }
        text[n] = '\0';
        unsigned char d = delims[iter % 3];
        flat *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        by_libcsv(text, n, d, a);
        by_reader(text, n, d, b);
        if (a->n != b->n || memcmp(a->buf, b->buf, a->n) != 0) {
            if (mismatches++ < 3)
                fprintf(stderr, "delim %d text [%s]: libcsv [%s] reader [%s]\n", d, text, a->buf, b->buf);
        }
        free(a);
        free(b);
    }
    CHECK_EQ_INT(mismatches, 0);
}

/* Feeding lines one at a time gives what hr_csv_read gives, with line
 * numbers, on a mix of plain lines, quoted fields and a record whose
 * quoted field spans two lines; pending says a record is open. */
static void test_feed(void)
{
    static const char text[] = "a,b,c\r\n1, x ,2\n\n\"q,1\",\"y\"\"z\",3\n"
                               "4,\"two\nlines\",5\n6,7,8";
    flat *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    a->lines = b->lines = 1;
    by_reader(text, sizeof text - 1, ',', a);
    hr_err err = {0};
    hr_csv *r = hr_csv_alloc("t.csv", ',', on_rec, NULL, b);
    const char *s = text, *end = text + sizeof text - 1;
    unsigned long ln = 0;
    int pend_seen = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
        CHECK_EQ_INT(hr_csv_feed(r, s, n, ++ln, &err), 0);
        pend_seen += hr_csv_pending(r);
        s += n;
    }
    CHECK_EQ_INT(pend_seen, 1);
    CHECK_EQ_INT(hr_csv_finish(r, &err), 0);
    hr_csv_free(r);
    CHECK_STR(b->buf, a->buf);
    CHECK_STR(a->buf, "1:a|b|c\n2:1|x|2\n4:q,1|y\"z|3\n5:4|two\nlines|5\n7:6|7|8\n");
    free(a);
    free(b);
}

int main(void)
{
    test_random_plain();
    test_feed();
    return check_summary("csvread");
}
