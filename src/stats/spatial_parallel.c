/** @file @brief A parallel-for on pthreads for the spatial statistics (see spatial_internal.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "stats/spatial_internal.h"
#include "wijkbeeld/core.h"
#include "wijkbeeld/errors.h"

typedef struct {
    size_t n, chunk;
    atomic_size_t next; /* next chunk start */
    atomic_size_t done; /* items finished */
    void (*fn)(void *ctx, size_t begin, size_t end, unsigned tid);
    void *ctx;
} job;

typedef struct {
    job *j;
    unsigned tid;
} worker_arg;

/* Take chunks until none is left; returns after each chunk when @p one is set. */
static int work(job *j, unsigned tid, int one)
{
    for (;;) {
        size_t b = atomic_fetch_add(&j->next, j->chunk);
        if (b >= j->n)
            return 0;
        size_t e = b + j->chunk < j->n ? b + j->chunk : j->n;
        j->fn(j->ctx, b, e, tid);
        atomic_fetch_add(&j->done, e - b);
        if (one)
            return 1;
    }
}

static void *worker(void *p)
{
    worker_arg *a = p;
    work(a->j, a->tid, 0);
    return NULL;
}

unsigned wb_spatial__threads(size_t n, size_t chunk, unsigned threads)
{
    if (threads == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (unsigned)c : 1;
    }
    if (threads > 256)
        threads = 256;
    size_t chunks = chunk ? (n + chunk - 1) / chunk : 1;
    if (chunks < 1)
        chunks = 1;
    if (threads > chunks)
        threads = (unsigned)chunks;
    return threads ? threads : 1;
}

int wb_spatial__parallel(size_t n, size_t chunk, unsigned threads,
                         void (*fn)(void *ctx, size_t begin, size_t end, unsigned tid), void *ctx,
                         void (*progress)(void *payload, const char *what, size_t done, size_t total),
                         void *payload, const char *what)
{
    if (chunk == 0)
        chunk = 1;
    unsigned nt = wb_spatial__threads(n, chunk, threads);
    job j;
    j.n = n;
    j.chunk = chunk;
    atomic_init(&j.next, 0);
    atomic_init(&j.done, 0);
    j.fn = fn;
    j.ctx = ctx;
    pthread_t tids[256];
    worker_arg args[256];
    unsigned started = 1;
    int error = 0;
    for (unsigned t = 1; t < nt; t++) {
        args[t].j = &j;
        args[t].tid = t;
        if (pthread_create(&tids[t], NULL, worker, &args[t]) != 0) {
            /* run with the threads we have: the work is shared by chunks, so the result
             * is complete and unchanged, only slower */
            break;
        }
        started++;
    }
    while (work(&j, 0, 1))
        if (progress)
            progress(payload, what, atomic_load(&j.done), n);
    for (unsigned t = 1; t < started; t++)
        pthread_join(tids[t], NULL);
    if (progress)
        progress(payload, what, n, n);
    return error;
}
