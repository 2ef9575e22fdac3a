/**
 * @file
 * @brief Internals of the spatial statistics: a counter-based choice of random streams
 * and a small parallel-for on pthreads (library-internal).
 *
 * Reproducibility at any thread count comes from giving each unit of work (an area of a
 * LISA, a permutation of the global Moran test) its own generator, seeded from
 * (seed, domain, index) alone; which thread runs the unit does not matter.
 */
#ifndef WB_STATS_SPATIAL_INTERNAL_H
#define WB_STATS_SPATIAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "wijkbeeld/spatial.h"

/** Stream domains, so that the same seed gives unrelated streams in different tests. */
#define WB_RNG_DOMAIN_MORAN 0x4d4f52414eULL /* "MORAN" */
#define WB_RNG_DOMAIN_LISA 0x4c495341ULL    /* "LISA" */
#define WB_RNG_DOMAIN_LISA_BV 0x4c49534142ULL /* "LISAB" */
#define WB_RNG_DOMAIN_MORAN_BV 0x4d4f52414e42ULL /* "MORANB" */

/** SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer. */
static inline uint64_t wb_rng__mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/** xoshiro256** (Blackman & Vigna 2018). */
typedef struct {
    uint64_t s[4];
} wb_rng;

static inline uint64_t wb_rng__rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/** Seed the stream of unit @p index in @p domain from @p seed (state via SplitMix64). */
static inline void wb_rng_seed(wb_rng *r, uint64_t seed, uint64_t domain, uint64_t index)
{
    uint64_t x = wb_rng__mix(seed ^ wb_rng__mix(domain)) ^ wb_rng__mix(index * 0xd1b54a32d192ed03ULL);
    for (int k = 0; k < 4; k++) {
        x += 0x9e3779b97f4a7c15ULL;
        r->s[k] = wb_rng__mix(x);
    }
}

static inline uint64_t wb_rng_next(wb_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = wb_rng__rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = wb_rng__rotl(s[3], 45);
    return result;
}

/**
 * 32 random bits at a time: each 64-bit output of the generator serves two calls (high
 * half first). The sequence depends only on the seed.
 */
typedef struct {
    wb_rng r;
    uint64_t cache;
    int have;
} wb_rng32;

static inline void wb_rng32_seed(wb_rng32 *g, uint64_t seed, uint64_t domain, uint64_t index)
{
    wb_rng_seed(&g->r, seed, domain, index);
    g->have = 0;
    g->cache = 0;
}

static inline uint32_t wb_rng32_next(wb_rng32 *g)
{
    if (g->have) {
        g->have = 0;
        return (uint32_t)g->cache;
    }
    g->cache = wb_rng_next(&g->r);
    g->have = 1;
    return (uint32_t)(g->cache >> 32);
}

/** Uniform integer in [0, range), 0 < range < 2^32, without bias (Lemire 2019). */
static inline uint32_t wb_rng32_below(wb_rng32 *g, uint32_t range)
{
    uint64_t m = (uint64_t)wb_rng32_next(g) * range;
    uint32_t l = (uint32_t)m;
    if (l < range) {
        uint32_t t = (uint32_t)(-range) % range;
        while (l < t) {
            m = (uint64_t)wb_rng32_next(g) * range;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/** Uniform integer in [0, range), range < 2^32, without bias (Lemire 2019, with rejection). */
static inline uint32_t wb_rng_below(wb_rng *r, uint32_t range)
{
    uint64_t m = (wb_rng_next(r) >> 32) * (uint64_t)range;
    uint32_t l = (uint32_t)m;
    if (l < range) {
        uint32_t t = (uint32_t)(-range) % range;
        while (l < t) {
            m = (wb_rng_next(r) >> 32) * (uint64_t)range;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/**
 * Run fn(ctx, begin, end, tid) over [0, n) in chunks of @p chunk on @p threads threads
 * (0: one per online processor; never more than there are chunks). Thread 0 is the
 * calling thread, and only it calls @p progress (after each of its chunks, with the
 * number of items finished by all threads). @p nthreads_out receives the number of
 * threads used (so callers can size per-thread scratch beforehand with
 * wb_spatial__threads).
 * When a thread cannot be started the others (at least the caller) take its chunks: the
 * results are the same, only later. @return 0.
 */
int wb_spatial__parallel(size_t n, size_t chunk, unsigned threads,
                         void (*fn)(void *ctx, size_t begin, size_t end, unsigned tid), void *ctx,
                         void (*progress)(void *payload, const char *what, size_t done, size_t total),
                         void *payload, const char *what);

/** The number of threads wb_spatial__parallel will use for these arguments. */
unsigned wb_spatial__threads(size_t n, size_t chunk, unsigned threads);

/**
 * Check that @p x (length n) is finite and not constant, and centre it: z = x - mean, with
 * the mean computed as R's mean() does (long double sum, then one correction pass).
 * @p what names the statistic in messages. @return 0 or WB_EINVALID.
 */
int wb_spatial__center(double *z, double *mean, const double *x, size_t n, const char *what);

/**
 * A conditional permutation test of a local statistic zs_i / fdiv * sum_j w_ij zn_j: area i
 * keeps zs_i, its neighbours get zn values drawn without replacement from the other n - 1
 * areas (local Moran: zs = zn = z, fdiv = m2; bivariate: zs = zx, zn = zy, fdiv = 1).
 */
typedef struct {
    const wb_weights *w;
    const double *zs;       /**< own values: the sign picks the tail; 0 = constant statistic */
    double fdiv;
    const double *zn;       /**< the values drawn for the neighbours */
    const double *lag;      /**< the observed sum_j w_ij zn_j */
    size_t permutations;
    uint64_t seed, domain;  /**< streams: (seed, domain, area index) */
    unsigned threads;
    wb_progress_fn progress;
    void *payload;
    const char *what;
} wb_lisa__perm_job;

/**
 * Run the test: per area the folded pseudo p (min(M, N - M) + 1) / (N + 1), M = draws at
 * least as large as observed, and the mean and variance of the permuted statistic (NaN for
 * islands; p = 1, variance 0 when the statistic cannot change). NaN everywhere when no
 * permutations are asked. Identical results at any thread count. @return 0, WB_ENOMEM.
 */
int wb_lisa__permute(double *pperm, double *pmean, double *pvar, const wb_lisa__perm_job *job);

/**
 * LISA clusters from own values @p zs, observed lags and p-values (Benjamini-Hochberg
 * adjusted first when @p fdr): island, ns (p > alpha or NaN), else the quadrant (0 = low).
 * @return 0, WB_ENOMEM.
 */
int wb_lisa__clusters(int *cluster, const wb_weights *w, const double *zs, const double *lag, const double *p,
                      double alpha, int fdr);

/** Two-sided standard normal p of z: 2 * (1 - Phi(|z|)), via erfc (NaN stays NaN). */
double wb_spatial__p2(double z);

#endif
