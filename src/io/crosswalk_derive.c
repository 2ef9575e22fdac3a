/** @file @brief Deriving a crosswalk from the stored polygons of two boundary years, by area
 *  or dasymetrically by an indicator of the next finer level (wijkbeeld/crosswalkio.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "wijkbeeld/crosswalkio.h"
#include "wijkbeeld/errors.h"

/* Row ids of a layer's areas (the layer is in code order) and the size of its division. */
static int layer_ids(int64_t **out, size_t *ndivision, wb_store *st, const wb_layer *L)
{
    int64_t *ids = wb_malloc((L->n ? L->n : 1) * sizeof *ids);
    if (!ids)
        return WB_ENOMEM;
    int error = wb_store_area_ids(st, ids, L->level, L->year, (const char(*)[WB_CODE_MAX])L->codes, L->n);
    if (error == 0)
        error = wb_store_area_count(st, ndivision, L->level, L->year);
    if (error < 0) {
        wb_free(ids);
        return error;
    }
    *out = ids;
    return 0;
}

static void set_info(wb_crosswalk_info *info, const wb_crosswalk_derive_opts *o, const char *key, int data_year)
{
    memset(info, 0, sizeof *info);
    info->level = o->level;
    info->from_year = o->from_year;
    info->to_year = o->to_year;
    info->weight = key ? WB_XW_INDICATOR : WB_XW_AREA;
    if (key)
        snprintf(info->indicator, sizeof info->indicator, "%s", key);
    if (o->name && *o->name)
        snprintf(info->name, sizeof info->name, "%s", o->name);
    else
        snprintf(info->name, sizeof info->name, "%s_%d_%d_%s", wb_level_name(o->level), o->from_year, o->to_year,
                 key ? key : "area");
    if (key)
        snprintf(info->source, sizeof info->source,
                 "derived from polygons: %s of the %s %d (data year %d), each split over the %s %d by area, "
                 "counted in its enclosing %s", key, wb_level_name(o->level + 1), o->from_year, data_year,
                 wb_level_name(o->level), o->to_year, wb_level_name(o->level));
    else
        snprintf(info->source, sizeof info->source, "derived from polygons: %s %d x %s %d by area (m2)",
                 wb_level_name(o->level), o->from_year, wb_level_name(o->level), o->to_year);
}

static int derive_area(wb_crosswalk **out, wb_crosswalk_derive_summary *s, wb_store *st,
                       const wb_crosswalk_derive_opts *o)
{
    wb_layer A = WB_LAYER_INIT, B = WB_LAYER_INIT;
    int64_t *ida = NULL, *idb = NULL;
    double *area_a = NULL, *area_b = NULL;
    wb_overlay_piece *pieces = NULL;
    wb_xw_pair *pairs = NULL;
    size_t np = 0;
    int error = wb_store_layer_load(st, &A, o->level, o->from_year);
    if (error == 0)
        error = wb_store_layer_load(st, &B, o->level, o->to_year);
    if (error == 0)
        error = layer_ids(&ida, &s->from_division, st, &A);
    if (error == 0)
        error = layer_ids(&idb, &s->to_division, st, &B);
    if (error < 0)
        goto done;
    area_a = wb_malloc((A.n ? A.n : 1) * sizeof *area_a);
    area_b = wb_malloc((B.n ? B.n : 1) * sizeof *area_b);
    if (!area_a || !area_b) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = wb_overlay(&pieces, &np, area_a, area_b, A.geoms, A.n, B.geoms, B.n, &s->overlay)) < 0)
        goto done;
    if (!(pairs = wb_malloc((np ? np : 1) * sizeof *pairs))) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        pairs[k].from = pieces[k].a;
        pairs[k].to = pieces[k].b;
        pairs[k].weight = pieces[k].area_m2;
        pairs[k].implied = 0;
    }
    /* areas whose pieces add up to more than their area: the other year's polygons overlap
     * there (the totals stay the areas, as sf::st_interpolate_aw divides by them) */
    for (int side = 0; side < 2; side++) {
        double *tot = side ? area_b : area_a;
        size_t n = side ? B.n : A.n;
        double *sum = wb_calloc(n ? n : 1, sizeof *sum);
        if (!sum) {
            error = WB_ENOMEM;
            goto done;
        }
        for (size_t k = 0; k < np; k++)
            sum[side ? pieces[k].b : pieces[k].a] += pieces[k].area_m2;
        for (size_t i = 0; i < n; i++)
            if (sum[i] > tot[i] * (1 + 1e-6))
                *(side ? &s->overlapped_to : &s->overlapped_from) += 1;
        wb_free(sum);
    }
    s->from_areas = A.n;
    s->to_areas = B.n;
    wb_crosswalk_info info;
    set_info(&info, o, NULL, 0);
    error = wb_crosswalk_new(out, &info, A.n, ida, (const char(*)[WB_CODE_MAX])A.codes, area_a, B.n, idb,
                             (const char(*)[WB_CODE_MAX])B.codes, area_b, pairs, np);
done:
    wb_layer_dispose(&A);
    wb_layer_dispose(&B);
    wb_free(ida);
    wb_free(idb);
    wb_free(area_a);
    wb_free(area_b);
    wb_free(pieces);
    wb_free(pairs);
    return error;
}

/* ---------------------------------------------------------------- dasymetric */

typedef struct {
    size_t from, to;
    double w;
} rawpair;

static int cmp_rawpair(const void *pa, const void *pb)
{
    const rawpair *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return (a->to > b->to) - (a->to < b->to);
}

static long area_index(const wb_area *a, size_t n, const char *code)
{
    return n ? wb__code_find(a[0].code, n, sizeof *a, code) : -1;
}

static int derive_dasymetric(wb_crosswalk **out, wb_crosswalk_derive_summary *s, wb_store *st,
                             const wb_crosswalk_derive_opts *o)
{
    if (o->level != WB_LEVEL_GEMEENTE && o->level != WB_LEVEL_WIJK) {
        wb_error_set(WB_ERRCLASS_ARG, "--weight %s: a %s crosswalk has no finer level to take the weights from "
                     "(gemeente takes wijk, wijk takes buurt); use --weight area", o->weight, wb_level_name(o->level));
        return WB_EINVALID;
    }
    wb_level fine = (wb_level)(o->level + 1);
    int data_year = o->data_year ? o->data_year : o->from_year;
    char key[64];
    int error = wb_store_indicator_resolve(st, NULL, key, o->weight);
    if (error < 0)
        return error;
    wb_layer U = WB_LAYER_INIT, B = WB_LAYER_INIT;
    wb_area *units = NULL, *from = NULL;
    size_t nunits = 0, nfrom = 0, np = 0, nraw = 0;
    int64_t *idb = NULL, *ida = NULL;
    double *vals = NULL, *area_u = NULL, *ftot = NULL;
    long *parent = NULL;
    wb_value *v = NULL;
    size_t nv = 0;
    wb_overlay_piece *pieces = NULL;
    rawpair *raw = NULL;
    wb_xw_pair *pairs = NULL;
    char(*fcode)[WB_CODE_MAX] = NULL;
    if ((error = wb_store_layer_load(st, &U, fine, o->from_year)) < 0 ||
        (error = wb_store_layer_load(st, &B, o->level, o->to_year)) < 0 ||
        (error = layer_ids(&idb, &s->to_division, st, &B)) < 0)
        goto done;
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.level = fine;
    q.year = o->from_year;
    if ((error = wb_store_areas(st, &units, &nunits, &q)) < 0)
        goto done;
    q.level = o->level;
    if ((error = wb_store_areas(st, &from, &nfrom, &q)) < 0)
        goto done;
    s->from_division = nfrom;
    wb_value_query vq = WB_VALUE_QUERY_INIT;
    vq.indicator = key;
    vq.year = data_year;
    vq.boundary_year = o->from_year;
    vq.level = fine;
    if ((error = wb_store_values(st, &v, &nv, NULL, &vq)) < 0)
        goto done;
    if (!nv) {
        wb_error_set(WB_ERRCLASS_STORE, "no values of %s for the %s of %d in %d: the dasymetric weights need them",
                     key, wb_level_name(fine), o->from_year, data_year);
        error = WB_ENOTFOUND;
        goto done;
    }
    vals = wb_malloc((U.n ? U.n : 1) * sizeof *vals);
    parent = wb_malloc((U.n ? U.n : 1) * sizeof *parent);
    area_u = wb_malloc((U.n ? U.n : 1) * sizeof *area_u);
    ftot = wb_calloc(nfrom ? nfrom : 1, sizeof *ftot);
    if (!vals || !parent || !area_u || !ftot) {
        error = WB_ENOMEM;
        goto done;
    }
    /* values and parents of the units (values ordered by code within the one data year) */
    size_t kv = 0;
    for (size_t i = 0; i < U.n; i++) {
        while (kv < nv && strcmp(v[kv].code, U.codes[i]) < 0)
            kv++;
        vals[i] = kv < nv && !strcmp(v[kv].code, U.codes[i]) ? v[kv].value : NAN;
        if (vals[i] < 0) {
            wb_error_set(WB_ERRCLASS_ARG, "%s of %s (%d) is %g: weights cannot be negative", key, U.codes[i],
                         data_year, vals[i]);
            error = WB_EINVALID;
            goto done;
        }
        long ku = area_index(units, nunits, U.codes[i]);
        parent[i] = ku >= 0 && units[ku].parent[0] ? area_index(from, nfrom, units[ku].parent) : -1;
        s->units_without_value += isnan(vals[i]);
        s->units_without_parent += parent[i] < 0;
        if (parent[i] >= 0 && !isnan(vals[i]))
            ftot[parent[i]] += vals[i];
    }
    s->units = U.n;
    if ((error = wb_overlay(&pieces, &np, area_u, NULL, U.geoms, U.n, B.geoms, B.n, &s->overlay)) < 0)
        goto done;
    if (!(raw = wb_malloc((np ? np : 1) * sizeof *raw))) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        size_t u = pieces[k].a;
        if (parent[u] < 0 || isnan(vals[u]) || !(vals[u] > 0) || !(area_u[u] > 0))
            continue;
        raw[nraw].from = (size_t)parent[u];
        raw[nraw].to = pieces[k].b;
        raw[nraw].w = vals[u] * fmin(1.0, pieces[k].area_m2 / area_u[u]);
        nraw++;
    }
    qsort(raw, nraw, sizeof *raw, cmp_rawpair);
    /* from-areas: those of the division that hold at least one unit with a polygon */
    size_t *fidx = wb_malloc((nfrom ? nfrom : 1) * sizeof *fidx);
    unsigned char *has = wb_calloc(nfrom ? nfrom : 1, 1);
    if (!fidx || !has) {
        wb_free(fidx);
        wb_free(has);
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < U.n; i++)
        if (parent[i] >= 0)
            has[parent[i]] = 1;
    size_t nf = 0;
    ida = wb_malloc((nfrom ? nfrom : 1) * sizeof *ida);
    fcode = wb_malloc((nfrom ? nfrom : 1) * sizeof *fcode);
    double *tot = wb_malloc((nfrom ? nfrom : 1) * sizeof *tot);
    if (!ida || !fcode || !tot) {
        wb_free(fidx);
        wb_free(has);
        wb_free(tot);
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < nfrom; k++) {
        if (!has[k])
            continue;
        fidx[k] = nf;
        ida[nf] = from[k].id;
        memcpy(fcode[nf], from[k].code, WB_CODE_MAX);
        tot[nf] = ftot[k];
        s->from_without_weight += !(ftot[k] > 0);
        nf++;
    }
    if (!(pairs = wb_malloc((nraw ? nraw : 1) * sizeof *pairs))) {
        wb_free(fidx);
        wb_free(has);
        wb_free(tot);
        error = WB_ENOMEM;
        goto done;
    }
    size_t npairs = 0;
    for (size_t k = 0; k < nraw; k++) {
        if (npairs && pairs[npairs - 1].from == fidx[raw[k].from] && pairs[npairs - 1].to == raw[k].to) {
            pairs[npairs - 1].weight += raw[k].w;
            continue;
        }
        pairs[npairs].from = fidx[raw[k].from];
        pairs[npairs].to = raw[k].to;
        pairs[npairs].weight = raw[k].w;
        pairs[npairs].implied = 0;
        npairs++;
    }
    s->from_areas = nf;
    s->to_areas = B.n;
    wb_crosswalk_info info;
    set_info(&info, o, key, data_year);
    error = wb_crosswalk_new(out, &info, nf, ida, (const char(*)[WB_CODE_MAX])fcode, tot, B.n, idb,
                             (const char(*)[WB_CODE_MAX])B.codes, NULL, pairs, npairs);
    wb_free(fidx);
    wb_free(has);
    wb_free(tot);
done:
    wb_layer_dispose(&U);
    wb_layer_dispose(&B);
    wb_areas_free(units, nunits);
    wb_areas_free(from, nfrom);
    wb_free(v);
    wb_free(idb);
    wb_free(ida);
    wb_free(fcode);
    wb_free(vals);
    wb_free(parent);
    wb_free(area_u);
    wb_free(ftot);
    wb_free(pieces);
    wb_free(raw);
    wb_free(pairs);
    return error;
}

int wb_crosswalk_derive(wb_crosswalk **out, wb_crosswalk_derive_summary *summary, wb_store *st,
                        const wb_crosswalk_derive_opts *opts)
{
    *out = NULL;
    wb_crosswalk_derive_summary s;
    memset(&s, 0, sizeof s);
    if (!wb_level_name(opts->level) || opts->level == WB_LEVEL__MAX || opts->from_year < 1800 ||
        opts->from_year > 2200 || opts->to_year < 1800 || opts->to_year > 2200 || opts->from_year == opts->to_year) {
        wb_error_set(WB_ERRCLASS_ARG, "crosswalk derive needs a level and two different boundary years (1800..2200)");
        return WB_EINVALID;
    }
    int by_area = !opts->weight || !strcmp(opts->weight, "area");
    int error = by_area ? derive_area(out, &s, st, opts) : derive_dasymetric(out, &s, st, opts);
    if (error == 0 && summary)
        *summary = s;
    return error;
}
