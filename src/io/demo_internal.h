/**
 * @file
 * @brief Library-internal parts of the demo generator, visible to its tests: the PRNG.
 *
 * xoshiro256** 1.0 (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021; reference code at prng.di.unimi.it) with its state filled by splitmix64
 * (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014),
 * as the authors recommend. Integer-only, so identical on every machine.
 */
#ifndef WB_IO_DEMO_INTERNAL_H
#define WB_IO_DEMO_INTERNAL_H

#include <stdint.h>

/** State of xoshiro256**. */
typedef struct {
    uint64_t s[4];
} wb_demo_rng;

/** splitmix64: advance @p x and return the next output. */
uint64_t wb_demo__splitmix64(uint64_t *x);

/** Fill the state from @p seed with four splitmix64 outputs. */
void wb_demo__rng_seed(wb_demo_rng *r, uint64_t seed);

/** Next 64-bit output of xoshiro256**. */
uint64_t wb_demo__rng_next(wb_demo_rng *r);

/** Uniform double in [0, 1): the top 53 bits of the next output times 2^-53. */
double wb_demo__rng_uniform(wb_demo_rng *r);

/**
 * Approximately standard normal: the Irwin-Hall sum of 12 uniforms minus 6 (mean 0,
 * variance 1, tails cut at +-6). Uses additions only, so it is bit-identical everywhere,
 * which a Box-Muller transform through log/cos would not guarantee.
 */
double wb_demo__rng_normal(wb_demo_rng *r);

#endif
