/**
 * @file
 * @brief Helpers of the spatial tests: read the committed spdep fixtures (simple CSV
 * without quotes, tests/data/spdep/) and build the weights spdep built for them.
 */
#ifndef WB_TESTS_SPATIAL_REFDATA_H
#define WB_TESTS_SPATIAL_REFDATA_H

#include <stddef.h>

#include "wijkbeeld.h"

/** A CSV file in memory: header names and rows of fields (strings). */
typedef struct {
    size_t ncols, nrows;
    char **names;
    char ***rows; /* nrows x ncols */
    char *buf;
} ref_csv;

/** Read tests/data/spdep/<file>; fails the test when unreadable. */
void ref_csv_read(ref_csv *c, const char *file);
/** Parse CSV text (taking ownership of @p text, a malloc'd string); @p what names it in failures. */
void ref_csv_parse(ref_csv *c, char *text, const char *what);
void ref_csv_free(ref_csv *c);
/** Column index by name; fails the test when absent. */
size_t ref_col(const ref_csv *c, const char *name);
/** Field as a number ("" and "NA" give NaN). */
double ref_num(const ref_csv *c, size_t row, size_t col);
const char *ref_str(const ref_csv *c, size_t row, size_t col);

/** The layer of a dataset ("nc", "columbus") read with GDAL/OGR from <name>.gpkg. */
void ref_layer(wb_layer *out, const char *name);
/** The centroids R used (<name>_coords.csv), in file order. Caller frees with free(). */
wb_point *ref_coords(const char *name, size_t *n);
/** A parameter of <name>_params.csv ("snap", "band", "band_lo", "band_hi"). */
double ref_param(const char *name, const char *param);

/**
 * The weights spdep built under a fixture name: queen, rook, queen_snap, rook_snap, knn4,
 * dist, dist_gt, in @p style.
 */
void ref_weights(wb_weights *out, const char *name, const char *nbname, wb_weights_style style);

/** The values of variable @p var of a dataset, in file order (<name>_values.csv). */
double *ref_values(const char *name, const char *var, size_t *n);

/** Relative closeness: |a - b| <= tol * |b| + tol / 1000, or both NaN. */
int ref_close(double a, double b, double tol);

/**
 * Create a store at @p db with the polygons of dataset @p name as areas of level "other",
 * boundary year 2000, and its variables as indicators (same names) for data year 2000.
 * Areas whose 1-based file position is in @p missing (0-terminated, may be NULL) get a
 * stored missing value for every variable; those in @p absent get no value at all.
 */
void ref_store(const char *db, const char *name, const int *missing, const int *absent);

#endif
