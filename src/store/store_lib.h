/**
 * @file
 * @brief Store functions for the library's other modules only (not in the public API), without
 * any SQLite type: what a module above the store may call beside include/wijkbeeld/store.h.
 */
#ifndef WB_STORE_LIB_H
#define WB_STORE_LIB_H

#include "wijkbeeld/store.h"

/**
 * Inside a transaction of wb_store_begin: when the store has no area with boundary year
 * @p year yet, remember that, so that wb_store_area_find answers WB_ENOTFOUND for that year
 * from its cache without a query (areas added with wb_store_area_put enter the cache). Until
 * the end of the transaction. @return 1 when the year is new, 0 when it has areas, < 0 on error.
 */
int wb_store__area_year_new(wb_store *st, int year);

#endif
