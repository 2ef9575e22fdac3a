/**
 * @file
 * @brief The panel's layout, for the library modules that fill one (the store's loader,
 * src/store/panel_load.c). Not part of the public API: programs use wijkbeeld/panel.h.
 */
#ifndef WB_CORE_PANEL_INTERNAL_H
#define WB_CORE_PANEL_INTERNAL_H

#include <stddef.h>

#include "wijkbeeld/panel.h"

struct wb_panel {
    wb_level level;
    int boundary_year;
    size_t na, ny, nk;
    char (*codes)[WB_CODE_MAX];
    char **names;     /* NULL or per area (entries may be NULL) */
    int *years;
    char **keys;
    double *data;     /* [(k * ny + t) * na + a] */
    size_t *by_code;  /* area indices sorted by code */
    long *gm;         /* per area: index in parents, or -1 */
    wb_panel *parents;
};

/**
 * A panel of @p na areas x @p ny years x @p nk indicators with every value NaN; codes, years
 * and keys are for the caller to fill (keys NULL until then), names and parents absent.
 * @return 0 or WB_ENOMEM (message set).
 */
int wb_panel__alloc(wb_panel **out, size_t na, size_t ny, size_t nk);

/** Sort the code index once the codes are filled. @return 0, or WB_EINVALID on a duplicate code. */
int wb_panel__index_codes(wb_panel *p);

/**
 * Build the parents panel (the gemeenten of the areas and NL00, all NaN, names absent) and the
 * area -> gemeente map: the gemeente by the CBS code hierarchy, else the stored parent when it
 * is a gemeente. @p parents_of gives each area's stored parent (NULL: none known).
 */
int wb_panel__build_parents(wb_panel *p, const char *const *parents_of);

/** Drop the years in which no indicator has a value for any area. */
void wb_panel__drop_empty_years(wb_panel *p);

#endif
