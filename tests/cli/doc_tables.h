/** @file @brief Check generated tables in a document (see tests/cli/docs.c). */
#ifndef WBT_DOC_TABLES_H
#define WBT_DOC_TABLES_H

#include "test.h"

/**
 * Every table after a marker `<!-- wijkbeeld: ARGUMENTS -->` in @p doc (a path under the
 * project root) must equal the output of `wijkbeeld --quiet [--db DB] ARGUMENTS`; fails the
 * test otherwise. @return the number of tables checked.
 */
size_t wbt_doc_check(const char *doc, const char *db);

#endif
