/**
 * @file
 * @brief Class mobility of an indicator loaded with wb_spacetime_load: the states (the
 * published classes of a class indicator, or quantile classes pooled over areas and years as
 * giddy's Markov with fixed = True), the periods around a break, and the chains.
 */
#include <math.h>
#include <string.h>

#include "wijkbeeld/errors.h"
#include "wijkbeeld/spacetime.h"

void wb_markov_result_dispose(wb_markov_result *r)
{
    if (!r)
        return;
    for (size_t p = 0; p < 2; p++) {
        wb_markov_chain_dispose(&r->chain[p]);
        wb_spatial_markov_dispose(&r->sm[p]);
    }
    wb_free(r->cls);
    memset(r, 0, sizeof *r);
}

/* The states of the rows' values. */
static int make_classes(wb_markov_result *r, const wb_spacetime_data *d, const double *y, size_t n, size_t T,
                        size_t classes)
{
    if (classes == 0) {
        if (!d->class_hi) {
            wb_error_set(WB_ERRCLASS_ARG,
                         "%s (unit '%s') is not a class indicator (unit 'klasse A-B'): give the number of quantile "
                         "classes",
                         d->key, d->unit);
            return WB_EINVALID;
        }
        r->published = 1;
        r->class_lo = d->class_lo;
        r->k = (size_t)(d->class_hi - d->class_lo + 1);
        for (size_t e = 0; e < n * T; e++) {
            double v = y[e];
            if (isnan(v)) {
                r->cls[e] = -1;
                continue;
            }
            if (v != floor(v) || v < d->class_lo || v > d->class_hi) {
                size_t row = e % n;
                wb_error_set(WB_ERRCLASS_STATS, "%s: value %.15g of %s in %d is not one of the classes %d-%d", d->key,
                             v, wb_panel_code(d->panel, r->rows ? r->rows[row] : row),
                             wb_panel_year(d->panel, e / n), d->class_lo, d->class_hi);
                return WB_EINVALID;
            }
            r->cls[e] = (int)v - d->class_lo;
        }
        return 0;
    }
    r->class_lo = 1;
    r->k = classes;
    int error = wb_quantile_bins(r->bins, classes, y, n * T);
    if (error < 0) {
        wb_error_prefix("%s", d->key);
        return error;
    }
    for (size_t e = 0; e < n * T; e++)
        r->cls[e] = wb_bins_class(r->bins, classes, y[e]);
    return 0;
}

int wb_markov_run(wb_markov_result *r, const wb_spacetime_data *d, const wb_markov_opts *o)
{
    memset(r, 0, sizeof *r);
    wb_markov_opts defaults = WB_MARKOV_OPTS_INIT;
    if (!o)
        o = &defaults;
    int spatial = o->spatial || o->lisa;
    if (spatial && !d->ym) {
        wb_error_set(WB_ERRCLASS_ARG, "spatial Markov chains need the data loaded with its polygons");
        return WB_EINVALID;
    }
    size_t T = d->T, n = spatial ? d->m : d->n;
    const double *y = spatial ? d->ym : d->y;
    r->nrows = n;
    r->rows = spatial ? d->index : NULL;
    int error = 0;
    unsigned char *periods[2] = {NULL, NULL}, *areas = NULL;
    if (!(r->cls = wb_malloc(n * T * sizeof *r->cls)) || !(periods[0] = wb_calloc(T, 1)) ||
        !(periods[1] = wb_calloc(T, 1)) || !(areas = wb_malloc(n ? n : 1))) {
        error = WB_ENOMEM;
        goto done;
    }
    if (o->areas)
        for (size_t i = 0; i < n; i++)
            areas[i] = o->areas[r->rows ? r->rows[i] : i];
    else
        memset(areas, 1, n);
    /* periods t -> t + 1 */
    int y0 = wb_panel_year(d->panel, 0), y1 = wb_panel_year(d->panel, T - 1);
    if (o->break_year) {
        int B = o->break_year;
        if (B <= y0 || B >= y1) {
            wb_error_set(WB_ERRCLASS_ARG, "break %d is not inside the data years %d-%d", B, y0, y1);
            error = WB_EINVALID;
            goto done;
        }
        r->nperiods = 2;
        r->period_from[0] = y0;
        r->period_to[0] = B;
        r->period_from[1] = B;
        r->period_to[1] = y1;
        for (size_t t = 0; t + 1 < T; t++) {
            int a = wb_panel_year(d->panel, t), b = wb_panel_year(d->panel, t + 1);
            periods[0][t] = b <= B;
            periods[1][t] = a >= B;
        }
    } else {
        r->nperiods = 1;
        r->period_from[0] = y0;
        r->period_to[0] = y1;
        memset(periods[0], 1, T);
    }
    if (o->lisa) {
        for (size_t p = 0; p < r->nperiods; p++) {
            /* the quadrants are the same in both periods; only the counting differs */
            if ((error = wb_lisa_markov(&r->chain[p], r->cls, &d->w, y, n, T, areas, periods[p])) < 0)
                goto done;
        }
        r->k = WB_QUAD__MAX;
        r->class_lo = 0;
    } else {
        if ((error = make_classes(r, d, y, n, T, o->classes)) < 0)
            goto done;
        for (size_t p = 0; p < r->nperiods; p++) {
            if (o->spatial) {
                wb_spatial_markov_opts so = WB_SPATIAL_MARKOV_OPTS_INIT;
                so.lag_classes = o->lag_classes;
                so.areas = areas;
                so.periods = periods[p];
                if ((error = wb_spatial_markov_estimate(&r->sm[p], &d->w, y, r->cls, n, T, r->k, &so)) < 0)
                    goto done;
            } else {
                if ((error = wb_markov_chain_init(&r->chain[p], r->k)) < 0)
                    goto done;
                wb_markov_count(&r->chain[p], r->cls, n, T, areas, periods[p]);
                if ((error = wb_markov_chain_finish(&r->chain[p])) < 0)
                    goto done;
            }
        }
    }
    /* what was counted */
    for (size_t i = 0; i < n; i++) {
        int island = spatial && d->w.row[i] == d->w.row[i + 1];
        r->n_counted += areas[i] && !island;
        if (o->break_year && areas[i] && !island)
            for (size_t t = 0; t + 1 < T; t++)
                r->n_straddling += !periods[0][t] && !periods[1][t] && r->cls[t * n + i] >= 0 &&
                                   r->cls[(t + 1) * n + i] >= 0;
    }
done:
    wb_free(periods[0]);
    wb_free(periods[1]);
    wb_free(areas);
    if (error < 0)
        wb_markov_result_dispose(r);
    return error;
}
