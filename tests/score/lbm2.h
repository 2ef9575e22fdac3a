/** @file @brief Test-only loaders for the Leefbaarometer 2.0 files in ../shared/data and the
 *  aandachtswijken match file (data/), through the store API. They stand in for the
 *  'import lbm' and 'import labels' commands in tests of the score module. */
#ifndef WBT_SCORE_LBM2_H
#define WBT_SCORE_LBM2_H

#include "test.h"

/** The LBM catalogue: lbm, lbm_won, lbm_fys, lbm_vrz, lbm_soc, lbm_onv, lbm_klasse. */
void wbt_lbm2_catalogue(wb_store *st);

/**
 * Load lbm2_wijk2016_dimensions_2012_2014_2016.csv (wijken, boundaries 2016) and, when
 * @p with_gemeenten, the gemeente file, and when @p with_classes the classes 2002-2016 as
 * lbm_klasse. SKIPs the test when the files are absent. @return observations stored.
 */
size_t wbt_lbm2_load(wb_store *st, int with_gemeenten, int with_classes);

/**
 * Label sets from data/aandachtswijken_2007_wijk2016.csv: "aandachtswijken" (matches exact
 * and approx) and "aandachtswijken_ruim" (also the coarse ones). @return wijken in the first.
 */
size_t wbt_aandachtswijken_load(wb_store *st);

/** Split a CSV line in place on commas (no quotes); returns the number of fields. */
int wbt_split(char *line, char **f, int max);

#endif
