/**
 * @file
 * @brief An indicator on a layer of areas, ready for the spatial statistics: geometry and
 * values from the store, weights on the whole layer, then subset to the areas that have a
 * value (spdep subset.nb), with counts of what was left out and why.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wijkbeeld/errors.h"
#include "wijkbeeld/spatial.h"
#include "wijkbeeld/store.h"

void wb_spatial_data_dispose(wb_spatial_data *d)
{
    if (!d)
        return;
    wb_layer_dispose(&d->layer);
    wb_weights_dispose(&d->w);
    wb_free(d->index);
    wb_free(d->x);
    wb_free(d->left_out);
    wb_free(d->y);
    wb_spatial_data empty = WB_SPATIAL_DATA_INIT;
    *d = empty;
}

static long find_code(const wb_layer *l, const char *code)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->codes[mid], code);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The values of one indicator and data year on the areas of a layer: x[i] (NaN when none),
 * why[i] (0, or the wb_left_out reason), and how many values have no area in the layer. */
static int layer_values(double *x, unsigned char *why, size_t *no_geometry, wb_store *st, const wb_layer *layer,
                        wb_level level, const char *indicator, int year, int byear)
{
    wb_value *vals = NULL;
    size_t nvals = 0;
    wb_value_query vq = WB_VALUE_QUERY_INIT;
    vq.indicator = indicator;
    vq.year = year;
    vq.boundary_year = byear;
    vq.level = level;
    vq.with_missing = 1;
    int error = wb_store_values(st, &vals, &nvals, NULL, &vq);
    if (error < 0)
        return error;
    for (size_t i = 0; i < layer->n; i++) {
        why[i] = WB_LEFT_OUT_NO_VALUE;
        x[i] = NAN;
    }
    for (size_t k = 0; k < nvals; k++) {
        long i = find_code(layer, vals[k].code);
        if (i < 0) {
            if (!isnan(vals[k].value))
                (*no_geometry)++;
            continue;
        }
        if (isnan(vals[k].value)) {
            why[i] = WB_LEFT_OUT_MISSING;
        } else {
            why[i] = 0;
            x[i] = vals[k].value;
        }
    }
    wb_free(vals);
    return 0;
}

int wb_spatial_load(wb_spatial_data *out, wb_store *st, const wb_spatial_query *q)
{
    wb_spatial_data empty = WB_SPATIAL_DATA_INIT;
    *out = empty;
    if (!q || !q->indicator || !*q->indicator) {
        wb_error_set(WB_ERRCLASS_ARG, "an indicator is required");
        return WB_EINVALID;
    }
    if (q->year <= 0) {
        wb_error_set(WB_ERRCLASS_ARG, "a data year is required");
        return WB_EINVALID;
    }
    if ((unsigned)q->level >= WB_LEVEL__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "a level is required (gemeente, wijk or buurt)");
        return WB_EINVALID;
    }
    int byear = q->boundary_year ? q->boundary_year : q->year;
    wb_weights full = WB_WEIGHTS_INIT;
    double *xfull = NULL, *yfull = NULL;
    unsigned char *keep = NULL;
    int error = wb_store_layer_load(st, &out->layer, q->level, byear);
    if (error < 0)
        goto done;
    size_t L = out->layer.n;
    if ((error = wb_weights_build(&full, &out->layer, &q->weights)) < 0) {
        wb_error_prefix("%s weights of the %d %s areas", wb_weights_type_name(q->weights.type),
                        byear, wb_level_name(q->level));
        goto done;
    }
    wb_weights_summarize(&out->full, &full);
    out->left_out = wb_malloc(L * sizeof *out->left_out);
    xfull = wb_malloc(L * sizeof *xfull);
    keep = wb_calloc(L, 1);
    if (!out->left_out || !xfull || !keep) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = layer_values(xfull, out->left_out, &out->n_no_geometry, st, &out->layer, q->level, q->indicator,
                              q->year, byear)) < 0)
        goto done;
    if (q->version >= 2 && q->indicator2) {
        unsigned char *lo2 = wb_malloc(L * sizeof *lo2);
        size_t nog2 = 0;
        if (!lo2 || !(yfull = wb_malloc(L * sizeof *yfull))) {
            wb_free(lo2);
            error = WB_ENOMEM;
            goto done;
        }
        error = layer_values(yfull, lo2, &nog2, st, &out->layer, q->level, q->indicator2, q->year2 ? q->year2 : q->year,
                             byear);
        for (size_t i = 0; error == 0 && i < L; i++)
            if (!out->left_out[i])
                out->left_out[i] = lo2[i];
        wb_free(lo2);
        if (error < 0)
            goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < L; i++) {
        keep[i] = out->left_out[i] == 0;
        n += keep[i];
        out->n_missing += out->left_out[i] == WB_LEFT_OUT_MISSING;
        out->n_no_value += out->left_out[i] == WB_LEFT_OUT_NO_VALUE;
    }
    if (n == 0) {
        const char *and2 = yfull ? " and " : "", *ind2 = yfull ? q->indicator2 : "";
        wb_error_set(WB_ERRCLASS_STATS,
                     "no value of %s%s%s for %d on any of the %zu %s areas of %d (%zu missing, %zu without a value)",
                     q->indicator, and2, ind2, q->year, L, wb_level_name(q->level), byear, out->n_missing,
                     out->n_no_value);
        error = WB_ENOTFOUND;
        goto done;
    }
    out->n = n;
    out->index = wb_malloc(n * sizeof *out->index);
    out->x = wb_malloc(n * sizeof *out->x);
    if (yfull && !(out->y = wb_malloc(n * sizeof *out->y))) {
        error = WB_ENOMEM;
        goto done;
    }
    if (!out->index || !out->x) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0, k = 0; i < L; i++) {
        if (keep[i]) {
            out->index[k] = i;
            out->x[k] = xfull[i];
            if (yfull)
                out->y[k] = yfull[i];
            k++;
        }
    }
    error = wb_weights_subset(&out->w, &full, keep);
done:
    wb_weights_dispose(&full);
    wb_free(xfull);
    wb_free(yfull);
    wb_free(keep);
    if (error < 0)
        wb_spatial_data_dispose(out);
    return error;
}
