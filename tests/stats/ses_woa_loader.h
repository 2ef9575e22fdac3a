/** @file @brief Test helper: load the CBS SES-WOA 2019 Amsterdam file into a store.
 *
 * TODO(importers): replace by `wijkbeeld import kwb` once the importer on branch `importers`
 * is merged into main; until then this tiny loader reads the file itself (UTF-8 BOM,
 * semicolons, double quotes, right-padded codes, CBS missing marker '.') and writes through
 * the public store API. */
#ifndef WBT_SES_WOA_LOADER_H
#define WBT_SES_WOA_LOADER_H

#include <stddef.h>

#include "wijkbeeld.h"

/** What the loader saw, for tests that check the analysis against the raw file. */
typedef struct {
    size_t rows;          /**< data rows */
    size_t buurten;       /**< rows with a BU code */
    size_t bu_empty;      /**< buurten with 0 households */
    size_t bu_missing;    /**< buurten with households > 0 but a missing education share */
    double bu_pop;        /**< sum over complete buurten of a_hh x (laag+mid+hoog)/100 */
} wbt_ses_stats;

/**
 * Load ses_woa_2019_amsterdam_wijk_buurt.csv into @p st (one transaction): areas GM/WK/BU
 * with boundary year 2019 and names; indicators a_hh (aantal), p_opl_laag, p_opl_mid,
 * p_opl_hoog (%), ses_woa; observations for data year 2019 ('.' stored as missing).
 * @return 0, or a negative code with wb_error_last() naming file and line.
 */
int wbt_load_ses_woa(wb_store *st, const char *path, wbt_ses_stats *stats);

#endif
