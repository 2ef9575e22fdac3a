/** @file @brief Helpers of the issue-7 tests: initiatives built in memory. */
#ifndef WB_TESTS_EFIX_H
#define WB_TESTS_EFIX_H

#include <stdlib.h>
#include <string.h>

#include "test.h"

/** Fill an initiative from '|'-separated lists (strings are borrowed from static storage
 *  the helper owns per slot; up to 64 initiatives per test). targets "x1:up|x3:down". */
void efix_init(wb_initiative *in, int64_t id, const char *status, const char *start, const char *end,
               int64_t lead, const char *lead_name, const char *themes, int area_year, const char *areas,
               const char *targets);

/** A contribution (strings borrowed). */
wb_contribution efix_contrib(int64_t initiative, int64_t partner, const char *partner_name, const char *kind,
                             double amount, const char *start, const char *end);

#endif
