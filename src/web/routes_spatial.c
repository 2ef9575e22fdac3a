/**
 * @file
 * @brief API routes of the map's classes and of the spatial statistics (wijkbeeld/spatial.h),
 * for an indicator or a score model of the server's models directory. Declared in the route
 * table in routes_api.c; documented in docs/web.md.
 *
 *   GET /api/classes?indicator=K|model=M&level=L&year=Y[&boundary_year=B][&method=auto|quantile|equal][&k=5]
 *       the classes a map is coloured by, with the class of every area: the nine Leefbaarometer
 *       classes for Leefbaarometer scores, else quantiles or equal intervals
 *   GET /api/lisa?indicator=K|model=M&level=L&year=Y[&boundary_year=B][&weights=queen|rook|knn][&k=4]
 *       [&permutations=999][&seed=1][&alpha=0.05][&fdr=0|1]
 *       [{code, value, Ii, E_Ii, Var_Ii, z, p, p_perm, cluster}] (as `wijkbeeld lisa`)
 *   GET /api/moran?... (the same without alpha and fdr)   global Moran's I (as `wijkbeeld moran`)
 *   GET /api/getis?...&star=0|1&alpha&fdr                 [{code, value, G, z, p, spot}]
 *
 * Every answer is wb_web__cached per store generation (the permutation tests take a while on 12,000
 * buurten) and says which boundaries it used in X-Boundary-Year; X-Cache tells hit or miss.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/json.h"
#include "web/source.h"
#include "web/web_internal.h"
#include "wijkbeeld/spatial.h"

/* ---------------------------------------------------------------- /api/classes */

enum { M_AUTO, M_QUANTILE, M_EQUAL };

typedef struct {
    int klass;
    double from, to; /* NaN: open or unknown */
    size_t n;
} class_row;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile or equal-interval breaks over the finite values: up to k - 1 strictly increasing
 * breaks; class = 1 + number of breaks <= value. */
static int data_breaks(double *breaks, size_t *nbreaks, double *lo, double *hi, const double *v, size_t n,
                       int k, int equal)
{
    *nbreaks = 0;
    double *s = wb_malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return WB_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            s[m++] = v[i];
    if (m == 0) {
        wb_free(s);
        *lo = *hi = NAN;
        return 0;
    }
    qsort(s, m, sizeof *s, cmp_double);
    *lo = s[0];
    *hi = s[m - 1];
    for (int i = 1; i < k; i++) {
        double b = equal ? *lo + (*hi - *lo) * i / k : s[((size_t)i * m) / (size_t)k];
        if (b > *lo && (*nbreaks == 0 || b > breaks[*nbreaks - 1]) && b <= *hi)
            breaks[(*nbreaks)++] = b;
    }
    wb_free(s);
    return 0;
}

static int class_of(double v, const double *breaks, size_t nb)
{
    if (!isfinite(v))
        return 0;
    int c = 1;
    for (size_t i = 0; i < nb; i++)
        if (v >= breaks[i])
            c++;
    return c;
}

/* A Leefbaarometer class indicator: lbm_klasse, lbm_<dim>_klasse (1..9). */
static int is_lbm_class_key(const char *key, const char *unit)
{
    size_t n = strlen(key);
    if (!strncmp(key, "lbm", 3) && n >= 10 && !strcmp(key + n - 7, "_klasse") && !strstr(key, "vklasse"))
        return 1;
    return !strcmp(unit, "klasse 1-9");
}

/*
 * The nine-class boundaries that separate published classes: for each pair of adjacent
 * classes the middle of the gap between the highest value of the lower class and the lowest
 * of the upper one (docs/models.md derives the LBM 2.0 thresholds the same way); NaN when a
 * class is empty or the two overlap.
 */
static void derived_thresholds(double thr[WB_NTHRESHOLDS], const double *v, const unsigned char *kl, size_t n)
{
    double lo[WB_NCLASSES + 1], hi[WB_NCLASSES + 1];
    for (int c = 0; c <= WB_NCLASSES; c++) {
        lo[c] = INFINITY;
        hi[c] = -INFINITY;
    }
    for (size_t i = 0; i < n; i++)
        if (kl[i] && isfinite(v[i])) {
            if (v[i] < lo[kl[i]])
                lo[kl[i]] = v[i];
            if (v[i] > hi[kl[i]])
                hi[kl[i]] = v[i];
        }
    for (int c = 1; c < WB_NCLASSES; c++)
        thr[c - 1] = isfinite(hi[c]) && isfinite(lo[c + 1]) && hi[c] < lo[c + 1] ? (hi[c] + lo[c + 1]) / 2 : NAN;
}

int wb_web__h_classes(wb_req *req, wb_resp *resp)
{
    wb_web_src src;
    int error = wb_web__src_open(&src, req, resp);
    if (error < 0)
        return error;
    wb_level level = wb_req_level(req, "level");
    int year = (int)wb_req_int(req, "year"), byear = 0;
    int method = wb_req_has(req, "method") ? (int)wb_req_int(req, "method") : M_AUTO;
    int k = wb_req_has(req, "k") ? (int)wb_req_int(req, "k") : 5;
    wb_web_vals vs = {0}, pub = {0};
    wb_model *lbmm = NULL;
    unsigned char *klass = NULL;
    wb_str out = WB_STR_INIT;
    if ((error = wb_web__src_byear(req, &src, level, year, &byear)) < 0)
        goto done;
    char full[256], key[96];
    snprintf(full, sizeof full, "classes:%c:%s:%s:%d:%d:%d:%d", src.is_model ? 'm' : 'i', src.key,
             wb_level_name(level), year, byear, method, k);
    wb_web__cache_key(key, full);
    uint64_t gen = wb_web__generation(req->srv);
    if (wb_web__cached(req, resp, key, gen))
        goto done;
    if ((error = wb_web__src_values(&vs, req, &src, level, year, byear)) < 0)
        goto done;
    if (!(klass = wb_calloc(vs.n ? vs.n : 1, 1))) {
        error = WB_ENOMEM;
        goto done;
    }

    /* the scheme (see docs/web.md, "Map classes") */
    const char *scheme = "quantile", *source_name = "data", *thr_source = NULL, *reason = NULL;
    const char *thr_model = NULL;
    double thr[WB_NTHRESHOLDS], offset = NAN;
    size_t agree_n = 0, agree_eq = 0;
    int lbm9 = 0;
    if (method == M_AUTO) {
        if (src.is_model) {
            if (wb_model_thresholds(src.model, year, thr, &offset)) {
                lbm9 = 1;
                source_name = "model";
                thr_source = "model";
                thr_model = src.key;
                memcpy(klass, vs.klass, vs.n);
            } else {
                reason = wb_model_has_classes(src.model) ? "no_thresholds_for_year" : "model_without_classes";
            }
        } else if (is_lbm_class_key(src.key, src.unit)) {
            lbm9 = 1;
            source_name = "published";
            for (size_t i = 0; i < vs.n; i++)
                klass[i] = isfinite(vs.v[i]) && vs.v[i] >= 1 && vs.v[i] <= 9 ? (unsigned char)lround(vs.v[i]) : 0;
            for (int t = 0; t < WB_NTHRESHOLDS; t++)
                thr[t] = NAN; /* the value is the class */
        } else if (!strcmp(src.key, "lbm")) {
            /* the published class where stored, else models/lbm.model's thresholds */
            int has_thr = wb_web__model_file(&lbmm, req, "lbm") == 0 && wb_model_thresholds(lbmm, year, thr, &offset);
            if (!has_thr)
                wb_error_clear();
            size_t npub = 0;
            int64_t kid;
            char kkey[64];
            if (wb_store_indicator_resolve(req->db->st, &kid, kkey, "lbm_klasse") == 0) {
                if ((error = wb_web__indicator_values(&pub, req, "lbm_klasse", level, year, byear)) < 0)
                    goto done;
                /* both lists are in code order */
                for (size_t i = 0, p = 0; i < vs.n; i++) {
                    while (p < pub.n && strcmp(pub.codes[p], vs.codes[i]) < 0)
                        p++;
                    if (p < pub.n && !strcmp(pub.codes[p], vs.codes[i]) && isfinite(pub.v[p]) && pub.v[p] >= 1 &&
                        pub.v[p] <= 9 && isfinite(vs.v[i])) {
                        klass[i] = (unsigned char)lround(pub.v[p]);
                        npub++;
                        if (has_thr) {
                            agree_n++;
                            agree_eq += wb_model_classify(lbmm, vs.v[i], year) == klass[i];
                        }
                    }
                }
            } else {
                wb_error_clear();
            }
            if (npub) {
                lbm9 = 1;
                source_name = "published";
                if (has_thr && agree_eq >= 0.99 * (double)agree_n) {
                    thr_source = "model";
                    thr_model = "lbm";
                } else {
                    derived_thresholds(thr, vs.v, klass, vs.n);
                    thr_source = "derived";
                    offset = NAN;
                }
                /* a value without a published class gets the model's class, when there is one */
                for (size_t i = 0; i < vs.n; i++)
                    if (!klass[i] && has_thr)
                        klass[i] = (unsigned char)wb_model_classify(lbmm, vs.v[i], year);
            } else if (has_thr) {
                lbm9 = 1;
                source_name = "model";
                thr_source = "model";
                thr_model = "lbm";
                for (size_t i = 0; i < vs.n; i++)
                    klass[i] = (unsigned char)wb_model_classify(lbmm, vs.v[i], year);
            } else {
                reason = "no_lbm_classes_for_year";
            }
        }
    }
    class_row rows[WB_NCLASSES];
    size_t nrows = 0;
    double breaks[WB_NCLASSES];
    size_t nb = 0;
    double lo = NAN, hi = NAN;
    if (lbm9) {
        scheme = "lbm";
        nrows = WB_NCLASSES;
        for (int c = 1; c <= WB_NCLASSES; c++) {
            rows[c - 1].klass = c;
            rows[c - 1].from = c == 1 ? NAN : thr[c - 2];
            rows[c - 1].to = c == WB_NCLASSES ? NAN : thr[c - 1];
            rows[c - 1].n = 0;
        }
    } else {
        int equal = method == M_EQUAL;
        scheme = equal ? "equal" : "quantile";
        if ((error = data_breaks(breaks, &nb, &lo, &hi, vs.v, vs.n, k, equal)) < 0)
            goto done;
        for (size_t i = 0; i < vs.n; i++)
            klass[i] = (unsigned char)class_of(vs.v[i], breaks, nb);
        nrows = isfinite(lo) ? nb + 1 : 0;
        for (size_t c = 0; c < nrows; c++) {
            rows[c].klass = (int)c + 1;
            rows[c].from = c == 0 ? lo : breaks[c - 1];
            rows[c].to = c == nb ? hi : breaks[c];
            rows[c].n = 0;
        }
    }
    size_t nval = 0, nmissing = 0;
    for (size_t i = 0; i < vs.n; i++) {
        if (!isfinite(vs.v[i])) {
            nmissing++;
            continue;
        }
        nval++;
        if (klass[i] >= 1 && klass[i] <= nrows)
            rows[klass[i] - 1].n++;
    }

    wb_json j;
    wb_json_init(&j, &out);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "indicator", src.is_model ? NULL : src.key);
    wb_json_kstr(&j, "model", src.is_model ? src.key : NULL);
    wb_json_kstr(&j, "level", wb_level_name(level));
    wb_json_kint(&j, "year", year);
    wb_json_kint(&j, "boundary_year", byear);
    wb_json_kint(&j, "direction", src.direction);
    wb_json_kstr(&j, "scheme", scheme);
    wb_json_kstr(&j, "source", source_name);
    wb_json_kstr(&j, "thresholds_source", thr_source);
    wb_json_kstr(&j, "thresholds_model", thr_model);
    wb_json_knum(&j, "offset", offset);
    wb_json_kstr(&j, "reason", reason);
    wb_json_kstr(&j, "palette", lbm9 ? "lbm" : src.direction > 0 ? "diverging" : src.direction < 0 ? "diverging_reversed" : "sequential");
    wb_json_kint(&j, "n", (long long)nval);
    wb_json_kint(&j, "n_missing", (long long)nmissing);
    wb_json_key(&j, "agreement");
    if (agree_n) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "n", (long long)agree_n);
        wb_json_kint(&j, "equal", (long long)agree_eq);
        wb_json_obj_close(&j);
    } else {
        wb_json_null(&j);
    }
    wb_json_key(&j, "classes");
    wb_json_arr_open(&j);
    for (size_t c = 0; c < nrows; c++) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "class", rows[c].klass);
        wb_json_kstr(&j, "label", lbm9 ? wb_class_label(rows[c].klass) : NULL);
        wb_json_knum(&j, "from", rows[c].from);
        wb_json_knum(&j, "to", rows[c].to);
        wb_json_knum(&j, "from_abs", rows[c].from + offset);
        wb_json_knum(&j, "to_abs", rows[c].to + offset);
        wb_json_kint(&j, "n", (long long)rows[c].n);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_key(&j, "values");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < vs.n; i++) {
        if (!isfinite(vs.v[i]))
            continue;
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", vs.codes[i]);
        wb_json_knum(&j, "value", vs.v[i]);
        wb_json_key(&j, "class");
        if (klass[i])
            wb_json_int(&j, klass[i]);
        else
            wb_json_null(&j);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, key, gen, &out, byear);
done:
    wb_str_dispose(&out);
    wb_free(klass);
    wb_web__vals_dispose(&vs);
    wb_web__vals_dispose(&pub);
    wb_model_free(lbmm);
    wb_web__src_close(&src);
    return error;
}

/* ---------------------------------------------------------------- spatial data */

static int weights_param(wb_req *req, wb_resp *resp, wb_weights_opts *wo)
{
    wb_weights_opts d = WB_WEIGHTS_OPTS_INIT;
    *wo = d;
    if (wb_req_has(req, "weights"))
        wo->type = (wb_weights_type)wb_req_int(req, "weights");
    if (wb_req_has(req, "k")) {
        if (wo->type != WB_WEIGHTS_KNN) {
            wb_resp_error(resp, 400, "k", "parameter 'k' only applies to weights=knn");
            return WB_EINVALID;
        }
        wo->k = (unsigned)wb_req_int(req, "k");
    }
    return 0;
}

/* An indicator through wb_spatial_load (what the CLI does); a model's scores the same way:
 * weights on the whole layer, subset to the areas with a score (spdep subset.nb). */
static int spatial_prepare(wb_spatial_data *d, wb_req *req, const wb_web_src *src, wb_level level, int year, int byear,
                           const wb_weights_opts *wo)
{
    if (!src->is_model) {
        wb_spatial_query q = WB_SPATIAL_QUERY_INIT;
        q.indicator = src->key;
        q.year = year;
        q.boundary_year = byear;
        q.level = level;
        q.weights = *wo;
        return wb_spatial_load(d, req->db->st, &q);
    }
    wb_spatial_data empty = WB_SPATIAL_DATA_INIT;
    *d = empty;
    wb_web_vals vs = {0};
    wb_weights full = WB_WEIGHTS_INIT;
    unsigned char *keep = NULL;
    int error;
    if ((error = wb_web__src_values(&vs, req, src, level, year, byear)) < 0 ||
        (error = wb_store_layer_load(req->db->st, &d->layer, level, byear)) < 0)
        goto done;
    if ((error = wb_weights_build(&full, &d->layer, wo)) < 0)
        goto done;
    wb_weights_summarize(&d->full, &full);
    size_t L = d->layer.n;
    d->left_out = wb_malloc((L ? L : 1) * sizeof *d->left_out);
    double *xfull = wb_malloc((L ? L : 1) * sizeof *xfull);
    keep = wb_calloc(L ? L : 1, 1);
    if (!d->left_out || !xfull || !keep) {
        wb_free(xfull);
        error = WB_ENOMEM;
        goto done;
    }
    /* both in code order */
    size_t p = 0;
    for (size_t i = 0; i < L; i++) {
        d->left_out[i] = WB_LEFT_OUT_NO_VALUE;
        xfull[i] = NAN;
        while (p < vs.n && strcmp(vs.codes[p], d->layer.codes[i]) < 0) {
            d->n_no_geometry += isfinite(vs.v[p]) != 0;
            p++;
        }
        if (p < vs.n && !strcmp(vs.codes[p], d->layer.codes[i])) {
            if (isfinite(vs.v[p])) {
                d->left_out[i] = 0;
                xfull[i] = vs.v[p];
                keep[i] = 1;
                d->n++;
            } else {
                d->left_out[i] = WB_LEFT_OUT_MISSING;
                d->n_missing++;
            }
            p++;
        } else {
            d->n_no_value++;
        }
    }
    for (; p < vs.n; p++)
        d->n_no_geometry += isfinite(vs.v[p]) != 0;
    if (d->n == 0) {
        wb_error_set(WB_ERRCLASS_STATS, "no score of model %s for %d on any of the %zu %s areas of %d", src->key, year,
                     L, wb_level_name(level), byear);
        wb_free(xfull);
        error = WB_ENOTFOUND;
        goto done;
    }
    d->index = wb_malloc(d->n * sizeof *d->index);
    d->x = wb_malloc(d->n * sizeof *d->x);
    if (!d->index || !d->x) {
        wb_free(xfull);
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0, q = 0; i < L; i++)
        if (keep[i]) {
            d->index[q] = i;
            d->x[q++] = xfull[i];
        }
    wb_free(xfull);
    error = wb_weights_subset(&d->w, &full, keep);
done:
    wb_weights_dispose(&full);
    wb_free(keep);
    wb_web__vals_dispose(&vs);
    if (error < 0)
        wb_spatial_data_dispose(d);
    return error;
}

/* The parameters every spatial route shares, and its cache key. */
typedef struct {
    wb_web_src src;
    wb_level level;
    int year, byear;
    wb_weights_opts wo;
    long permutations, seed;
    double alpha;
    int fdr;
    char key[96];
    uint64_t gen;
} spatial_req;

static int spatial_begin(spatial_req *s, wb_req *req, wb_resp *resp, const char *route, int with_perm,
                         int with_alpha, const char *extra)
{
    memset(s, 0, sizeof *s);
    int error = wb_web__src_open(&s->src, req, resp);
    if (error < 0)
        return error;
    s->level = wb_req_level(req, "level");
    s->year = (int)wb_req_int(req, "year");
    if ((error = weights_param(req, resp, &s->wo)) < 0 || (error = wb_web__src_byear(req, &s->src, s->level, s->year, &s->byear)) < 0)
        return error;
    s->permutations = with_perm && wb_req_has(req, "permutations") ? wb_req_int(req, "permutations") : with_perm ? 999 : 0;
    s->seed = with_perm && wb_req_has(req, "seed") ? wb_req_int(req, "seed") : 1;
    s->alpha = with_alpha && wb_req_has(req, "alpha") ? strtod(wb_req_text(req, "alpha"), NULL) : 0.05;
    s->fdr = with_alpha ? (int)wb_req_int(req, "fdr") : 0;
    char full[256];
    snprintf(full, sizeof full, "%s:%c:%s:%s:%d:%d:%s:%u:%ld:%ld:%g:%d:%s", route, s->src.is_model ? 'm' : 'i',
             s->src.key, wb_level_name(s->level), s->year, s->byear, wb_weights_type_name(s->wo.type), s->wo.k,
             s->permutations, s->seed, s->alpha, s->fdr, extra ? extra : "");
    wb_web__cache_key(s->key, full);
    s->gen = wb_web__generation(req->srv);
    return 0;
}

static void source_json(wb_json *j, const spatial_req *s, const wb_spatial_data *d)
{
    wb_json_kstr(j, "indicator", s->src.is_model ? NULL : s->src.key);
    wb_json_kstr(j, "model", s->src.is_model ? s->src.key : NULL);
    wb_json_kstr(j, "level", wb_level_name(s->level));
    wb_json_kint(j, "year", s->year);
    wb_json_kint(j, "boundary_year", s->byear);
    wb_json_kstr(j, "weights", wb_weights_type_name(s->wo.type));
    if (s->wo.type == WB_WEIGHTS_KNN)
        wb_json_kint(j, "k", s->wo.k);
    wb_json_kint(j, "n_areas", (long long)d->layer.n);
    wb_json_kint(j, "n_missing", (long long)d->n_missing);
    wb_json_kint(j, "n_no_value", (long long)d->n_no_value);
    wb_json_kint(j, "n_no_geometry", (long long)d->n_no_geometry);
}

/* ---------------------------------------------------------------- /api/lisa */

int wb_web__h_lisa(wb_req *req, wb_resp *resp)
{
    if (wb_req_has(req, "bivariate"))
        return wb_web__h_lisa_bv(req, resp);
    spatial_req s;
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    double *buf = NULL;
    int *cl = NULL;
    wb_str out = WB_STR_INIT;
    int error = spatial_begin(&s, req, resp, "lisa", 1, 1, NULL);
    if (error < 0 || wb_web__cached(req, resp, s.key, s.gen))
        goto done;
    if ((error = spatial_prepare(&d, req, &s.src, s.level, s.year, s.byear, &s.wo)) < 0)
        goto done;
    size_t n = d.n;
    buf = wb_malloc(6 * n * sizeof *buf);
    cl = wb_malloc(n * sizeof *cl);
    if (!buf || !cl) {
        error = WB_ENOMEM;
        goto done;
    }
    wb_lisa_out o = {buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, NULL, NULL, cl};
    wb_lisa_opts lo = WB_LISA_OPTS_INIT;
    lo.permutations = (size_t)s.permutations;
    lo.seed = (uint64_t)s.seed;
    lo.alpha = s.alpha;
    lo.fdr = s.fdr;
    if ((error = wb_lisa_local_moran(&o, &d.w, d.x, &lo)) < 0)
        goto done;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", d.layer.codes[d.index[i]]);
        wb_json_knum(&j, "value", d.x[i]);
        wb_json_knum(&j, "Ii", o.Ii[i]);
        wb_json_knum(&j, "E_Ii", o.E_Ii[i]);
        wb_json_knum(&j, "Var_Ii", o.Var_Ii[i]);
        wb_json_knum(&j, "z", o.z[i]);
        wb_json_knum(&j, "p", o.p[i]);
        wb_json_knum(&j, "p_perm", o.p_perm[i]);
        wb_json_kstr(&j, "cluster", wb_lisa_cluster_name((wb_lisa_cluster)cl[i]));
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, s.key, s.gen, &out, s.byear);
done:
    wb_str_dispose(&out);
    wb_free(buf);
    wb_free(cl);
    wb_spatial_data_dispose(&d);
    wb_web__src_close(&s.src);
    return error;
}

/* ---------------------------------------------------------------- /api/moran */

int wb_web__h_moran(wb_req *req, wb_resp *resp)
{
    if (wb_req_has(req, "bivariate"))
        return wb_web__h_moran_bv(req, resp);
    spatial_req s;
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    wb_str out = WB_STR_INIT;
    int error = spatial_begin(&s, req, resp, "moran", 1, 0, NULL);
    if (error < 0 || wb_web__cached(req, resp, s.key, s.gen))
        goto done;
    if ((error = spatial_prepare(&d, req, &s.src, s.level, s.year, s.byear, &s.wo)) < 0)
        goto done;
    wb_moran_opts mo = WB_MORAN_OPTS_INIT;
    mo.permutations = (size_t)s.permutations;
    mo.seed = (uint64_t)s.seed;
    wb_moran_result m;
    if ((error = wb_moran_global(&m, &d.w, d.x, &mo)) < 0)
        goto done;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_obj_open(&j);
    source_json(&j, &s, &d);
    wb_json_kint(&j, "n", (long long)m.n);
    wb_json_knum(&j, "n_eff", m.n_eff);
    wb_json_kint(&j, "islands", (long long)m.islands);
    wb_json_knum(&j, "I", m.I);
    wb_json_knum(&j, "E_I", m.E_I);
    wb_json_knum(&j, "var_norm", m.var_norm);
    wb_json_knum(&j, "z_norm", m.z_norm);
    wb_json_knum(&j, "p_norm", m.p_norm);
    wb_json_knum(&j, "var_rand", m.var_rand);
    wb_json_knum(&j, "z_rand", m.z_rand);
    wb_json_knum(&j, "p_rand", m.p_rand);
    wb_json_kint(&j, "permutations", (long long)m.permutations);
    wb_json_knum(&j, "p_perm", m.p_perm);
    wb_json_kstr(&j, "p_perm_tail", "greater");
    wb_json_knum(&j, "perm_mean", m.perm_mean);
    wb_json_knum(&j, "perm_sd", m.perm_sd);
    wb_json_kint(&j, "seed", s.seed);
    wb_json_obj_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, s.key, s.gen, &out, s.byear);
done:
    wb_str_dispose(&out);
    wb_spatial_data_dispose(&d);
    wb_web__src_close(&s.src);
    return error;
}

/* ---------------------------------------------------------------- /api/getis */

int wb_web__h_getis(wb_req *req, wb_resp *resp)
{
    spatial_req s;
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    double *buf = NULL;
    wb_str out = WB_STR_INIT;
    int star = wb_req_has(req, "star") ? (int)wb_req_int(req, "star") : 1;
    int error = spatial_begin(&s, req, resp, "getis", 0, 1, star ? "star" : "gi");
    if (error < 0 || wb_web__cached(req, resp, s.key, s.gen))
        goto done;
    if ((error = spatial_prepare(&d, req, &s.src, s.level, s.year, s.byear, &s.wo)) < 0)
        goto done;
    size_t n = d.n;
    if (!(buf = wb_malloc(4 * n * sizeof *buf))) {
        error = WB_ENOMEM;
        goto done;
    }
    double *G = buf, *z = buf + n, *p = buf + 2 * n, *padj = buf + 3 * n;
    if ((error = wb_getis_ord(G, z, p, &d.w, d.x, star)) < 0)
        goto done;
    if (s.fdr && (error = wb_p_adjust_bh(padj, p, n)) < 0)
        goto done;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        double pp = s.fdr ? padj[i] : p[i];
        const char *spot = isnan(z[i]) ? "island" : pp < s.alpha ? (z[i] > 0 ? "hot" : "cold") : "ns";
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", d.layer.codes[d.index[i]]);
        wb_json_knum(&j, "value", d.x[i]);
        wb_json_knum(&j, "G", G[i]);
        wb_json_knum(&j, "z", z[i]);
        wb_json_knum(&j, "p", p[i]);
        if (s.fdr)
            wb_json_knum(&j, "p_fdr", padj[i]);
        wb_json_kstr(&j, "spot", spot);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, s.key, s.gen, &out, s.byear);
done:
    wb_str_dispose(&out);
    wb_free(buf);
    wb_spatial_data_dispose(&d);
    wb_web__src_close(&s.src);
    return error;
}

/* The enumerations of the route table (routes_api.c declares the parameters): the index is
 * the value (methods as M_*, weight types as wb_weights_type). */
const char *const wb_web__methods[] = {"auto", "quantile", "equal", NULL};
const char *const wb_web__weight_types[] = {"queen", "rook", "knn", NULL};
const char *const wb_web__alphas[] = {"0.1", "0.05", "0.01", "0.001", NULL};
