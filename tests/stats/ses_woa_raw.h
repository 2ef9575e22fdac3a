/** @file @brief Counts of the raw CBS SES-WOA 2019 Amsterdam file, taken from the file
 *  itself, to check what `import kwb` loaded and what the segregation module left out. */
#ifndef WBT_SES_WOA_RAW_H
#define WBT_SES_WOA_RAW_H

#include <stddef.h>

/** What the raw file holds. */
typedef struct {
    size_t rows;          /**< data rows */
    size_t buurten;       /**< rows with a BU code */
    size_t bu_empty;      /**< buurten with 0 households */
    size_t bu_missing;    /**< buurten with households > 0 but a missing education share */
    double bu_pop;        /**< sum over complete buurten of households x (laag+mid+hoog)/100 */
} wbt_ses_stats;

/**
 * Read ses_woa_2019_amsterdam_wijk_buurt.csv (SOURCES.md: "Perioden";"Wijken en buurten";
 * "Regiocode ...";households;laag %;middelbaar %;hoog %;SES-WOA;spreiding; CBS '.' =
 * missing) and count. Fails the test when the file does not have that layout.
 */
void wbt_ses_woa_raw(const char *path, wbt_ses_stats *stats);

#endif
