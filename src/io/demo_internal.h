/**
 * @file
 * @brief Library-internal parts of the demo generator, visible to its tests: the PRNG
 * (xoshiro256** seeded by splitmix64, shared with the trend simulation: core/internal.h)
 * and the demo's normal deviates.
 */
#ifndef WB_IO_DEMO_INTERNAL_H
#define WB_IO_DEMO_INTERNAL_H

#include <stdint.h>

#include "core/internal.h"

/** The generator of the demo: xoshiro256** seeded by splitmix64 (core/internal.h). */
typedef wb__rng wb_demo_rng;

/**
 * Approximately standard normal: the Irwin-Hall sum of 12 uniforms minus 6 (mean 0,
 * variance 1, tails cut at +-6). Uses additions only, so it is bit-identical everywhere,
 * which a Box-Muller transform through log/cos would not guarantee.
 */
double wb_demo__rng_normal(wb_demo_rng *r);

#endif
