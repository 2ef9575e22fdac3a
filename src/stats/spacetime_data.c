/**
 * @file
 * @brief An indicator over time, ready for the space-time statistics: the panel of one
 * indicator on one boundary year and, for the spatial ones, the polygons of those
 * boundaries, the weights on all of them, subset to the areas with a complete series (spdep
 * subset.nb), with counts of what was left out and why.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkbeeld/errors.h"
#include "wijkbeeld/spacetime.h"

void wb_spacetime_data_dispose(wb_spacetime_data *d)
{
    if (!d)
        return;
    wb_panel_free(d->panel);
    wb_free(d->y);
    wb_layer_dispose(&d->layer);
    wb_free(d->index);
    wb_weights_dispose(&d->w);
    wb_free(d->ym);
    wb_spacetime_data empty = WB_SPACETIME_DATA_INIT;
    *d = empty;
}

/* "klasse 1-9" -> 1, 9 */
static void class_range(const char *unit, int *lo, int *hi)
{
    int a, b, used = 0;
    *lo = *hi = 0;
    if (sscanf(unit, "klasse %d-%d%n", &a, &b, &used) == 2 && used == (int)strlen(unit) && a < b &&
        b - a < WB_MARKOV_MAX_STATES) {
        *lo = a;
        *hi = b;
    }
}

static int indicator_meta(wb_spacetime_data *d, wb_store *st)
{
    wb_indicator *inds = NULL;
    size_t ninds = 0;
    int error = wb_store_indicators(st, &inds, &ninds);
    if (error < 0)
        return error;
    for (size_t i = 0; i < ninds; i++)
        if (!strcmp(inds[i].key, d->key)) {
            snprintf(d->unit, sizeof d->unit, "%s", inds[i].unit ? inds[i].unit : "");
            d->direction = inds[i].direction;
        }
    wb_indicators_free(inds, ninds);
    class_range(d->unit, &d->class_lo, &d->class_hi);
    return 0;
}

static int load_spatial(wb_spacetime_data *d, wb_store *st, const wb_spacetime_query *q)
{
    int byear = wb_panel_boundary_year(d->panel);
    wb_weights full = WB_WEIGHTS_INIT;
    unsigned char *keep = NULL, *has_geom = NULL;
    int error = wb_store_layer_load(st, &d->layer, q->level, byear);
    if (error < 0)
        return error;
    size_t L = d->layer.n, n = d->n, T = d->T;
    if ((error = wb_weights_build(&full, &d->layer, &q->weights)) < 0) {
        wb_error_prefix("%s weights of the %d %s areas", wb_weights_type_name(q->weights.type), byear,
                        wb_level_name(q->level));
        goto done;
    }
    wb_weights_summarize(&d->full, &full);
    keep = wb_calloc(L ? L : 1, 1);
    has_geom = wb_calloc(n ? n : 1, 1);
    d->index = wb_malloc((L ? L : 1) * sizeof *d->index);
    if (!keep || !has_geom || !d->index) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t l = 0; l < L; l++) {
        long a = wb_panel_find_area(d->panel, d->layer.codes[l]);
        size_t seen = 0;
        if (a >= 0) {
            has_geom[a] = 1;
            for (size_t t = 0; t < T; t++)
                seen += isfinite(d->y[t * n + (size_t)a]) != 0;
        }
        if (seen == T) {
            keep[l] = 1;
            d->index[d->m++] = (size_t)a;
        } else if (seen > 0) {
            d->n_incomplete++;
        } else {
            d->n_no_value++;
        }
    }
    for (size_t a = 0; a < n; a++) {
        if (has_geom[a])
            continue;
        for (size_t t = 0; t < T; t++)
            if (isfinite(d->y[t * n + a])) {
                d->n_no_geometry++;
                break;
            }
    }
    if (d->m < 3) {
        wb_error_set(WB_ERRCLASS_STATS,
                     "%s: only %zu of the %zu %s areas of %d with a polygon have a value in each of the %zu data "
                     "years (%zu incomplete, %zu without any value); at least 3 are needed",
                     d->key, d->m, L, wb_level_name(q->level), byear, T, d->n_incomplete, d->n_no_value);
        error = WB_EINVALID;
        goto done;
    }
    if (!(d->ym = wb_malloc(d->m * T * sizeof *d->ym))) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t t = 0; t < T; t++)
        for (size_t i = 0; i < d->m; i++)
            d->ym[t * d->m + i] = d->y[t * n + d->index[i]];
    error = wb_weights_subset(&d->w, &full, keep);
done:
    wb_weights_dispose(&full);
    wb_free(keep);
    wb_free(has_geom);
    return error;
}

int wb_spacetime_load(wb_spacetime_data *out, wb_store *st, const wb_spacetime_query *q)
{
    wb_spacetime_data empty = WB_SPACETIME_DATA_INIT;
    *out = empty;
    if (!q || !q->indicator || !*q->indicator) {
        wb_error_set(WB_ERRCLASS_ARG, "an indicator is required");
        return WB_EINVALID;
    }
    if ((unsigned)q->level >= WB_LEVEL__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "a level is required (gemeente, wijk or buurt)");
        return WB_EINVALID;
    }
    wb_panel_opts po = WB_PANEL_OPTS_INIT;
    po.level = q->level;
    po.boundary_year = q->boundary_year;
    po.year_from = q->year_from;
    po.year_to = q->year_to;
    po.with_parents = 0;
    const char *keys[1] = {q->indicator};
    int error = wb_panel_load(&out->panel, st, keys, 1, &po);
    if (error < 0)
        goto done;
    snprintf(out->key, sizeof out->key, "%s", wb_panel_key(out->panel, 0));
    out->n = wb_panel_nareas(out->panel);
    out->T = wb_panel_nyears(out->panel);
    if (out->T < 2) {
        if (out->T == 1)
            wb_error_set(WB_ERRCLASS_STATS,
                         "%s has values for one data year only (%d) on the %s areas of %d: change over time needs "
                         "at least two",
                         out->key, wb_panel_year(out->panel, 0), wb_level_name(q->level),
                         wb_panel_boundary_year(out->panel));
        else
            wb_error_set(WB_ERRCLASS_STATS, "%s has no values on the %s areas of %d%s", out->key,
                         wb_level_name(q->level), wb_panel_boundary_year(out->panel),
                         q->year_from || q->year_to ? " in the years asked" : "");
        error = out->T == 1 ? WB_EINVALID : WB_ENOTFOUND;
        goto done;
    }
    if (!(out->y = wb_malloc(out->n * out->T * sizeof *out->y))) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t t = 0; t < out->T; t++)
        memcpy(out->y + t * out->n, wb_panel_ccolumn(out->panel, 0, t), out->n * sizeof *out->y);
    if ((error = indicator_meta(out, st)) < 0)
        goto done;
    if (q->spatial)
        error = load_spatial(out, st, q);
done:
    if (error < 0)
        wb_spacetime_data_dispose(out);
    return error;
}

int wb_spacetime_within(unsigned char *flags, size_t *count, wb_store *st, const wb_spacetime_data *d,
                        const char *code)
{
    size_t c = 0;
    if (!strcmp(code, "NL00")) {
        memset(flags, 1, d->n);
        c = d->n;
    } else {
        memset(flags, 0, d->n);
        wb_area *areas = NULL;
        size_t na = 0;
        wb_area_query aq = WB_AREA_QUERY_INIT;
        aq.level = wb_panel_level(d->panel);
        aq.year = wb_panel_boundary_year(d->panel);
        aq.within = code;
        int error = wb_store_areas(st, &areas, &na, &aq);
        if (error < 0)
            return error;
        for (size_t i = 0; i < na; i++) {
            long a = wb_panel_find_area(d->panel, areas[i].code);
            if (a >= 0 && !flags[a]) {
                flags[a] = 1;
                c++;
            }
        }
        wb_areas_free(areas, na);
        if (c == 0) {
            wb_error_set(WB_ERRCLASS_ARG, "no %s area of %d lies within %s", wb_level_name(wb_panel_level(d->panel)),
                         wb_panel_boundary_year(d->panel), code);
            return WB_ENOTFOUND;
        }
    }
    if (count)
        *count = c;
    return 0;
}
