/**
 * @file
 * @brief Library-internal helpers shared across modules (not part of the public API):
 * growing arrays, and the pseudo-random generator used by the demo and the trend simulation.
 *
 * The generator is xoshiro256** 1.0 (Blackman and Vigna, "Scrambled linear pseudorandom
 * number generators", ACM TOMS 2021; reference code at prng.di.unimi.it) with its state filled
 * by splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014), as the authors recommend. Integer-only, so identical on every machine.
 */
#ifndef WB_CORE_INTERNAL_H
#define WB_CORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/**
 * Make room for @p need elements of @p elem bytes in the array *@p arr of capacity *@p cap
 * (counted in elements): doubles the capacity, starting at 16, until it suffices.
 * @return 0, or WB_ENOMEM (the array is left as it was).
 */
int wb__grow(void **arr, size_t *cap, size_t need, size_t elem);

/**
 * The UTF-8 sequence a byte >= 0x80 starts (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF): the number of continuation bytes (1..3), and in *@p lo, *@p hi
 * the range allowed for the first of them (the others are 0x80..0xBF); -1 when @p b0 cannot
 * start a sequence.
 */
int wb__utf8_lead(unsigned char b0, unsigned char *lo, unsigned char *hi);

/** State of xoshiro256**. */
typedef struct {
    uint64_t s[4];
} wb__rng;

/** splitmix64: advance @p x and return the next output. */
uint64_t wb__splitmix64(uint64_t *x);

/** Fill the state from @p seed with four splitmix64 outputs. */
void wb__rng_seed(wb__rng *r, uint64_t seed);

/** Next 64-bit output of xoshiro256**. */
uint64_t wb__rng_next(wb__rng *r);

/** Uniform double in [0, 1): the top 53 bits of the next output times 2^-53. */
double wb__rng_uniform(wb__rng *r);

/**
 * Binary search for @p code among @p n NUL-terminated codes in ascending strcmp order,
 * @p stride bytes apart from @p first: a char[WB_CODE_MAX] array (stride WB_CODE_MAX), or
 * the code member of the first element of an array of structs (stride: the struct's size).
 * @return the index, or -1 when absent.
 */
long wb__code_find(const char *first, size_t n, size_t stride, const char *code);

#endif
