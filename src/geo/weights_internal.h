/** @file @brief Helpers shared by the weights and the spatial statistics (library-internal). */
#ifndef WB_GEO_WEIGHTS_INTERNAL_H
#define WB_GEO_WEIGHTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "wijkbeeld/spatial.h"

/** LSD radix sort of @p n keys below 2^bits; @p tmp has room for n keys. */
void wb_weights__radix_u64(uint64_t *a, uint64_t *tmp, size_t n, unsigned bits);

/** 1 when row i of @p w has neighbour j (binary search). */
int wb_weights__has_link(const wb_weights *w, size_t i, size_t j);

/** w_ij, or 0 when j is not a neighbour of i. */
double wb_weights__weight(const wb_weights *w, size_t i, size_t j);

#endif
