/* dist.h -- the ranks of a job that runs past one machine. `make mpi`
 * builds ./headroom-mpi with engine/dist.c compiled against MPI (Open
 * MPI): `mpirun -n R ./headroom-mpi run ...` starts R ranks, each
 * analysing its share of the series (with OpenMP inside the rank), rank
 * 0 gathering the results and writing the reports. The plain build is
 * one rank of one, and these calls cost nothing there.
 * Owns: MPI start and end, the rank and the number of ranks, and moving
 * bytes between ranks (any length: in pieces MPI's int counts can carry).
 * Not: what the bytes are (engine/run.c packs the results), which series
 * go where. Call from the main thread only (MPI_THREAD_FUNNELED). */
#ifndef HR_DIST_H
#define HR_DIST_H

#include <stddef.h>

/* Starts MPI (a no-op in the plain build). 0 on success. */
int hr_dist_init(int *argc, char ***argv);
/* Ends MPI; after it no other hr_dist_ call. */
void hr_dist_finalize(void);
int hr_dist_rank(void);  /* 0 .. hr_dist_size() - 1 */
int hr_dist_size(void);  /* 1 in the plain build */
/* Rank 0's v, on every rank. */
int hr_dist_bcast_int(int v);
/* Sends len bytes to rank dest / receives what rank src sent (a new
 * buffer, free() it). 0 on success, -1 on a failure of MPI or memory. */
int hr_dist_send(const void *buf, size_t len, int dest);
int hr_dist_recv(void **buf, size_t *len, int src);

#endif
