/* dist.c -- see dist.h. Compiled twice: without HR_MPI into the plain
 * build (one rank), with -DHR_MPI by mpicc into ./headroom-mpi. */
#include "dist.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef HR_MPI

int hr_dist_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
void hr_dist_finalize(void) {}
int hr_dist_rank(void) { return 0; }
int hr_dist_size(void) { return 1; }
int hr_dist_bcast_int(int v) { return v; }
int hr_dist_send(const void *buf, size_t len, int dest)
{
    (void)buf;
    (void)len;
    (void)dest;
    return -1; /* one rank: nobody to send to */
}
int hr_dist_recv(void **buf, size_t *len, int src)
{
    (void)src;
    *buf = NULL;
    *len = 0;
    return -1;
}

#else

#include <mpi.h>

/* Pieces of at most 1 GiB: MPI counts are ints. */
#define PIECE ((size_t)1 << 30)
#define TAG_LEN 17
#define TAG_DATA 18

int hr_dist_init(int *argc, char ***argv)
{
    int provided = 0;
    return MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS &&
                   provided >= MPI_THREAD_FUNNELED
               ? 0
               : -1;
}

void hr_dist_finalize(void) { MPI_Finalize(); }

int hr_dist_rank(void)
{
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int hr_dist_size(void)
{
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

int hr_dist_bcast_int(int v)
{
    MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v;
}

int hr_dist_send(const void *buf, size_t len, int dest)
{
    uint64_t n = len;
    if (MPI_Send(&n, 1, MPI_UINT64_T, dest, TAG_LEN, MPI_COMM_WORLD) != MPI_SUCCESS)
        return -1;
    const char *p = buf;
    for (size_t off = 0; off < len; off += PIECE) {
        size_t k = len - off < PIECE ? len - off : PIECE;
        if (MPI_Send(p + off, (int)k, MPI_BYTE, dest, TAG_DATA, MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

int hr_dist_recv(void **buf, size_t *len, int src)
{
    uint64_t n = 0;
    *buf = NULL;
    *len = 0;
    if (MPI_Recv(&n, 1, MPI_UINT64_T, src, TAG_LEN, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return -1;
    char *p = malloc(n ? (size_t)n : 1);
    if (!p) {
        /* the sender is blocked on a message nobody can take: end the
         * job, with the out-of-memory exit code, rather than hang */
        fprintf(stderr, "headroom: error: out of memory receiving %llu bytes from rank %d\n",
                (unsigned long long)n, src);
        MPI_Abort(MPI_COMM_WORLD, 70);
        return -1;
    }
    for (size_t off = 0; off < n; off += PIECE) {
        size_t k = n - off < PIECE ? (size_t)n - off : PIECE;
        if (MPI_Recv(p + off, (int)k, MPI_BYTE, src, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            free(p);
            return -1;
        }
    }
    *buf = p;
    *len = (size_t)n;
    return 0;
}

#endif
