/**
 * @file
 * @brief API routes of space and time together (wijkbeeld/spacetime.h), as the commands
 * `markov`, `hotspots`, `lisa --bivariate` and `moran --bivariate`. Declared in the route
 * table in routes_api.c; documented in docs/web.md and docs/spacetime.md.
 *
 *   GET /api/markov?indicator=K&level=L[&boundary_year=B][&from=Y][&to=Y][&classes=N][&break=Y]
 *       [&spatial=1[&lag_classes=M]][&lisa=1][&in=CODE][&code=C][&weights=queen|rook|knn][&k=K]
 *       {indicator, level, boundary_year, years, kind, states, published, bins, in, n_counted,
 *        n_straddling, periods [{from, to, transitions, tests, chains [{lag_class, lag_upper,
 *        counts, p, steady, mfpt}]}], spatial {analysed, incomplete, no_value, no_geometry,
 *        islands}, path {code, years, classes, lag, lag_class} (with code=)}
 *   GET /api/hotspots?indicator=K&level=L[&boundary_year=B][&from=Y][&to=Y][&alpha=A][&fdr=0|1]
 *       [&weights=..][&k=K]
 *       {indicator, level, boundary_year, years, alpha, fdr, weights, counts {category: n},
 *        spatial {...}, areas [{code, category, n_hot, n_cold, tau, mk_p, z [..], spot [..]}]}
 *   GET /api/lisa?...&bivariate=K2   [{code, value, value2, Ibv, E_Ibv, Var_Ibv, z, p, p_perm, cluster}]
 *   GET /api/moran?...&bivariate=K2  {n, I, r, E_I, permutations, perm_ge, p_perm, ...}
 *
 * Every answer is cached per store generation (wb_web__cached), as the other analysis routes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/json.h"
#include "web/source.h"
#include "web/web_internal.h"
#include "wijkbeeld/spacetime.h"

/* ---------------------------------------------------------------- shared */

static void weights_of(wb_req *req, wb_weights_opts *wo, wb_weights_style style)
{
    wb_weights_opts d = WB_WEIGHTS_OPTS_INIT;
    *wo = d;
    wo->style = style;
    if (wb_req_has(req, "weights"))
        wo->type = (wb_weights_type)wb_req_int(req, "weights");
    if (wb_req_has(req, "k"))
        wo->k = (unsigned)wb_req_int(req, "k");
}

/* Parameters shared by /api/markov and /api/hotspots; 400 in resp on a bad combination. */
static int query_of(wb_spacetime_query *q, char *key, size_t keylen, wb_req *req, wb_resp *resp, const char *route,
                    int spatial, wb_weights_style style)
{
    wb_spacetime_query d = WB_SPACETIME_QUERY_INIT;
    *q = d;
    if (wb_req_has(req, "k") && (!wb_req_has(req, "weights") || wb_req_int(req, "weights") != WB_WEIGHTS_KNN)) {
        wb_resp_error(resp, 400, "k", "parameter 'k' only applies to weights=knn");
        return WB_EINVALID;
    }
    q->indicator = wb_req_text(req, "indicator");
    q->level = wb_req_level(req, "level");
    q->boundary_year = (int)wb_req_int(req, "boundary_year");
    q->year_from = (int)wb_req_int(req, "from");
    q->year_to = (int)wb_req_int(req, "to");
    q->spatial = spatial;
    weights_of(req, &q->weights, style);
    snprintf(key, keylen, "%s:%s:%s:%d:%d:%d:%s:%u", route, q->indicator, wb_level_name(q->level), q->boundary_year,
             q->year_from, q->year_to, wb_weights_type_name(q->weights.type), q->weights.k);
    return 0;
}

static void spatial_json(wb_json *j, const wb_spacetime_data *d)
{
    wb_json_key(j, "spatial");
    if (!d->ym) {
        wb_json_null(j);
        return;
    }
    wb_json_obj_open(j);
    wb_json_kint(j, "analysed", (long long)d->m);
    wb_json_kint(j, "incomplete", (long long)d->n_incomplete);
    wb_json_kint(j, "no_value", (long long)d->n_no_value);
    wb_json_kint(j, "no_geometry", (long long)d->n_no_geometry);
    wb_json_key(j, "islands");
    wb_json_arr_open(j);
    for (size_t i = 0; i < d->m; i++)
        if (d->w.row[i] == d->w.row[i + 1])
            wb_json_str(j, wb_panel_code(d->panel, d->index[i]));
    wb_json_arr_close(j);
    wb_json_obj_close(j);
}

static void years_json(wb_json *j, const wb_spacetime_data *d)
{
    wb_json_key(j, "years");
    wb_json_arr_open(j);
    for (size_t t = 0; t < d->T; t++)
        wb_json_int(j, wb_panel_year(d->panel, t));
    wb_json_arr_close(j);
}

/* a k x k matrix as rows; non-finite numbers (never reached) as null */
static void matrix_json(wb_json *j, const char *name, const double *m, size_t rows, size_t k)
{
    wb_json_key(j, name);
    wb_json_arr_open(j);
    for (size_t i = 0; i < rows; i++) {
        wb_json_arr_open(j);
        for (size_t c = 0; c < k; c++) {
            if (isfinite(m[i * k + c]))
                wb_json_num(j, m[i * k + c]);
            else
                wb_json_null(j);
        }
        wb_json_arr_close(j);
    }
    wb_json_arr_close(j);
}

static void chain_json(wb_json *j, const wb_markov_chain *c, long lag_class, double lag_upper)
{
    wb_json_obj_open(j);
    wb_json_key(j, "lag_class");
    if (lag_class > 0)
        wb_json_int(j, lag_class);
    else
        wb_json_null(j);
    wb_json_knum(j, "lag_upper", lag_upper);
    wb_json_knum(j, "transitions", c->ntransitions);
    matrix_json(j, "counts", c->count, c->k, c->k);
    matrix_json(j, "p", c->p, c->k, c->k);
    matrix_json(j, "steady", c->steady, c->nsteady, c->k);
    matrix_json(j, "mfpt", c->mfpt, c->k, c->k);
    wb_json_obj_close(j);
}

/* ---------------------------------------------------------------- /api/markov */

int wb_web__h_markov(wb_req *req, wb_resp *resp)
{
    wb_spacetime_query q;
    char full[256], key[96];
    int spatial = wb_req_has(req, "spatial") && wb_req_int(req, "spatial");
    int lisa = wb_req_has(req, "lisa") && wb_req_int(req, "lisa");
    if (spatial && lisa) {
        wb_resp_error(resp, 400, "lisa", "spatial and lisa are different chains; give one");
        return WB_EINVALID;
    }
    if (lisa && wb_req_has(req, "classes")) {
        wb_resp_error(resp, 400, "classes", "the states of the LISA Markov chain are the four quadrants");
        return WB_EINVALID;
    }
    int error = query_of(&q, full, sizeof full, req, resp, "markov", spatial || lisa, WB_STYLE_W);
    if (error < 0)
        return error;
    size_t flen = strlen(full);
    snprintf(full + flen, sizeof full - flen, ":%ld:%ld:%d:%d:%ld:%s:%s", wb_req_int(req, "classes"),
             wb_req_int(req, "break"), spatial, lisa, wb_req_has(req, "lag_classes") ? wb_req_int(req, "lag_classes") : 4,
             wb_req_text(req, "in"), wb_req_text(req, "code"));
    wb_web__cache_key(key, full);
    uint64_t gen = wb_web__generation(req->srv);
    if (wb_web__cached(req, resp, key, gen))
        return 0;
    wb_spacetime_data d = WB_SPACETIME_DATA_INIT;
    wb_markov_result r;
    memset(&r, 0, sizeof r);
    unsigned char *in = NULL;
    wb_str out = WB_STR_INIT;
    if ((error = wb_spacetime_load(&d, req->db->st, &q)) < 0)
        goto done;
    if (wb_req_has(req, "in")) {
        if (!(in = wb_malloc(d.n ? d.n : 1))) {
            error = WB_ENOMEM;
            goto done;
        }
        if ((error = wb_spacetime_within(in, NULL, req->db->st, &d, wb_req_text(req, "in"))) < 0)
            goto done;
    }
    long path_row = -1; /* the row of code= in the analysis, or -1 */
    long path_area = -1;
    if (wb_req_has(req, "code")) {
        path_area = wb_panel_find_area(d.panel, wb_req_text(req, "code"));
        if (path_area < 0) {
            wb_error_set(WB_ERRCLASS_ARG, "%s is not a %s area of %d", wb_req_text(req, "code"),
                         wb_level_name(q.level), wb_panel_boundary_year(d.panel));
            error = WB_ENOTFOUND;
            goto done;
        }
    }
    wb_markov_opts mo = WB_MARKOV_OPTS_INIT;
    mo.classes = (size_t)wb_req_int(req, "classes");
    mo.break_year = (int)wb_req_int(req, "break");
    mo.spatial = spatial;
    mo.lisa = lisa;
    if (wb_req_has(req, "lag_classes"))
        mo.lag_classes = (size_t)wb_req_int(req, "lag_classes");
    mo.areas = in;
    if ((error = wb_markov_run(&r, &d, &mo)) < 0)
        goto done;
    if (path_area >= 0) {
        if (r.rows) {
            for (size_t i = 0; i < r.nrows; i++)
                if (r.rows[i] == (size_t)path_area)
                    path_row = (long)i;
        } else {
            path_row = path_area;
        }
    }
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "indicator", d.key);
    wb_json_kstr(&j, "level", wb_level_name(q.level));
    wb_json_kint(&j, "boundary_year", wb_panel_boundary_year(d.panel));
    years_json(&j, &d);
    wb_json_kstr(&j, "kind", spatial ? "spatial" : lisa ? "lisa" : "classes");
    wb_json_key(&j, "states");
    wb_json_arr_open(&j);
    for (size_t s = 0; s < r.k; s++) {
        if (lisa)
            wb_json_str(&j, wb_quadrant_name((wb_quadrant)s));
        else
            wb_json_int(&j, (long long)s + r.class_lo);
    }
    wb_json_arr_close(&j);
    wb_json_key(&j, "published");
    wb_json_bool(&j, r.published);
    wb_json_key(&j, "bins");
    if (!lisa && !r.published) {
        wb_json_arr_open(&j);
        for (size_t s = 0; s < r.k; s++)
            wb_json_num(&j, r.bins[s]);
        wb_json_arr_close(&j);
    } else {
        wb_json_null(&j);
    }
    wb_json_kstr(&j, "in", in ? wb_req_text(req, "in") : NULL);
    wb_json_kint(&j, "n_counted", (long long)r.n_counted);
    wb_json_kint(&j, "n_straddling", (long long)r.n_straddling);
    wb_json_key(&j, "periods");
    wb_json_arr_open(&j);
    for (size_t p = 0; p < r.nperiods; p++) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "from", r.period_from[p]);
        wb_json_kint(&j, "to", r.period_to[p]);
        const wb_markov_chain *pooled = spatial ? &r.sm[p].pooled : &r.chain[p];
        wb_json_knum(&j, "transitions", pooled->ntransitions);
        wb_json_key(&j, "tests");
        if (spatial) {
            const wb_markov_homogeneity *h = &r.sm[p].ht;
            wb_json_obj_open(&j);
            wb_json_knum(&j, "Q", h->Q);
            wb_json_knum(&j, "Q_p", h->Q_p);
            wb_json_knum(&j, "LR", h->LR);
            wb_json_knum(&j, "LR_p", h->LR_p);
            wb_json_kint(&j, "dof", h->dof);
            wb_json_obj_close(&j);
        } else {
            wb_json_null(&j);
        }
        wb_json_key(&j, "chains");
        wb_json_arr_open(&j);
        chain_json(&j, pooled, 0, NAN);
        if (spatial)
            for (size_t l = 0; l < r.sm[p].m; l++)
                chain_json(&j, &r.sm[p].cond[l], (long)l + 1, r.sm[p].lag_bins[l]);
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    spatial_json(&j, &d);
    wb_json_key(&j, "path");
    if (path_area >= 0) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", wb_panel_code(d.panel, (size_t)path_area));
        wb_json_key(&j, "analysed");
        wb_json_bool(&j, path_row >= 0);
        wb_json_key(&j, "values");
        wb_json_arr_open(&j);
        for (size_t t = 0; t < d.T; t++)
            wb_json_num(&j, d.y[t * d.n + (size_t)path_area]);
        wb_json_arr_close(&j);
        const char *names[3] = {"classes", "lag", "lag_class"};
        for (int f = 0; f < 3; f++) {
            wb_json_key(&j, names[f]);
            if (path_row < 0 || (f > 0 && !spatial)) {
                wb_json_null(&j);
                continue;
            }
            wb_json_arr_open(&j);
            for (size_t t = 0; t < d.T; t++) {
                size_t e = t * r.nrows + (size_t)path_row;
                int c = f == 0 ? r.cls[e] : r.sm[0].lag_class[e];
                if (f == 1)
                    wb_json_num(&j, r.sm[0].lag[e]);
                else if (c < 0)
                    wb_json_null(&j);
                else if (f == 0 && lisa)
                    wb_json_str(&j, wb_quadrant_name((wb_quadrant)c));
                else
                    wb_json_int(&j, f == 0 ? c + r.class_lo : c + 1);
            }
            wb_json_arr_close(&j);
        }
        wb_json_obj_close(&j);
    } else {
        wb_json_null(&j);
    }
    wb_json_obj_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, key, gen, &out, wb_panel_boundary_year(d.panel));
done:
    wb_str_dispose(&out);
    wb_free(in);
    wb_markov_result_dispose(&r);
    wb_spacetime_data_dispose(&d);
    return error;
}

/* ---------------------------------------------------------------- /api/hotspots */

int wb_web__h_hotspots(wb_req *req, wb_resp *resp)
{
    wb_spacetime_query q;
    char full[256], key[96];
    /* Gi* counts the area and its neighbours alike: binary weights, as ArcGIS */
    int error = query_of(&q, full, sizeof full, req, resp, "hotspots", 1, WB_STYLE_B);
    if (error < 0)
        return error;
    double alpha = wb_req_has(req, "alpha") ? strtod(wb_req_text(req, "alpha"), NULL) : 0.05;
    int fdr = wb_req_has(req, "fdr") ? (int)wb_req_int(req, "fdr") : 1;
    size_t flen = strlen(full);
    snprintf(full + flen, sizeof full - flen, ":%g:%d", alpha, fdr);
    wb_web__cache_key(key, full);
    uint64_t gen = wb_web__generation(req->srv);
    if (wb_web__cached(req, resp, key, gen))
        return 0;
    wb_spacetime_data d = WB_SPACETIME_DATA_INIT;
    double *buf = NULL;
    int *ibuf = NULL;
    signed char *spot = NULL;
    wb_str out = WB_STR_INIT;
    if ((error = wb_spacetime_load(&d, req->db->st, &q)) < 0)
        goto done;
    size_t n = d.m, T = d.T;
    double years[64];
    if (T > 64) {
        wb_error_set(WB_ERRCLASS_ARG, "more than 64 data years: narrow them with from and to");
        error = WB_EINVALID;
        goto done;
    }
    for (size_t t = 0; t < T; t++)
        years[t] = wb_panel_year(d.panel, t);
    buf = wb_malloc((n * T + 2 * n) * sizeof *buf);
    ibuf = wb_malloc(3 * n * sizeof *ibuf);
    spot = wb_malloc(n * T);
    if (!buf || !ibuf || !spot) {
        error = WB_ENOMEM;
        goto done;
    }
    wb_ehsa_out o = {buf, NULL, spot, buf + n * T, buf + n * T + n, ibuf, ibuf + n, ibuf + 2 * n};
    wb_ehsa_opts eo = WB_EHSA_OPTS_INIT;
    eo.alpha = alpha;
    eo.fdr = fdr;
    if ((error = wb_ehsa(&o, &d.w, d.ym, n, years, T, &eo)) < 0)
        goto done;
    size_t counts[WB_EHSA__MAX] = {0};
    for (size_t i = 0; i < n; i++)
        counts[o.category[i]]++;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "indicator", d.key);
    wb_json_kstr(&j, "level", wb_level_name(q.level));
    wb_json_kint(&j, "boundary_year", wb_panel_boundary_year(d.panel));
    years_json(&j, &d);
    wb_json_knum(&j, "alpha", alpha);
    wb_json_key(&j, "fdr");
    wb_json_bool(&j, fdr);
    wb_json_kstr(&j, "weights", wb_weights_type_name(q.weights.type));
    wb_json_key(&j, "counts");
    wb_json_obj_open(&j);
    for (int c = 0; c < WB_EHSA__MAX; c++)
        wb_json_kint(&j, wb_ehsa_name((wb_ehsa_category)c), (long long)counts[c]);
    wb_json_obj_close(&j);
    spatial_json(&j, &d);
    wb_json_key(&j, "areas");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", wb_panel_code(d.panel, d.index[i]));
        wb_json_kstr(&j, "category", wb_ehsa_name((wb_ehsa_category)o.category[i]));
        wb_json_kint(&j, "n_hot", o.n_hot[i]);
        wb_json_kint(&j, "n_cold", o.n_cold[i]);
        wb_json_knum(&j, "tau", o.tau[i]);
        wb_json_knum(&j, "mk_p", o.mk_p[i]);
        wb_json_key(&j, "z");
        wb_json_arr_open(&j);
        for (size_t t = 0; t < T; t++) {
            if (isfinite(o.z[t * n + i]))
                wb_json_fixed(&j, o.z[t * n + i], 4);
            else
                wb_json_null(&j);
        }
        wb_json_arr_close(&j);
        wb_json_key(&j, "spot");
        wb_json_arr_open(&j);
        for (size_t t = 0; t < T; t++)
            wb_json_int(&j, spot[t * n + i]);
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, key, gen, &out, wb_panel_boundary_year(d.panel));
done:
    wb_str_dispose(&out);
    wb_free(buf);
    wb_free(ibuf);
    wb_free(spot);
    wb_spacetime_data_dispose(&d);
    return error;
}

/* ---------------------------------------------------------------- bivariate */

/* The two indicators through wb_spatial_load (areas with values of both). */
static int bv_load(wb_spatial_data *d, char *key, wb_req *req, wb_resp *resp, const char *route, int with_alpha)
{
    if (!wb_req_has(req, "indicator") || wb_req_has(req, "model")) {
        wb_resp_error(resp, 400, "bivariate", "bivariate statistics take indicator= (not model=) and bivariate=");
        return WB_EINVALID;
    }
    wb_spatial_query q = WB_SPATIAL_QUERY_INIT;
    q.indicator = wb_req_text(req, "indicator");
    q.indicator2 = wb_req_text(req, "bivariate");
    q.level = wb_req_level(req, "level");
    q.year = (int)wb_req_int(req, "year");
    /* the boundaries with the most values of the indicator, as /api/lisa chooses them */
    wb_web_src src;
    int error = wb_web__src_open(&src, req, resp);
    if (error == 0)
        error = wb_web__src_byear(req, &src, q.level, q.year, &q.boundary_year);
    wb_web__src_close(&src);
    if (error < 0)
        return error;
    if (wb_req_has(req, "k") && (!wb_req_has(req, "weights") || wb_req_int(req, "weights") != WB_WEIGHTS_KNN)) {
        wb_resp_error(resp, 400, "k", "parameter 'k' only applies to weights=knn");
        return WB_EINVALID;
    }
    weights_of(req, &q.weights, WB_STYLE_W);
    char full[256];
    snprintf(full, sizeof full, "%s:%s:%s:%s:%d:%d:%s:%u:%ld:%ld:%s:%ld", route, q.indicator, q.indicator2,
             wb_level_name(q.level), q.year, q.boundary_year, wb_weights_type_name(q.weights.type), q.weights.k,
             wb_req_has(req, "permutations") ? wb_req_int(req, "permutations") : 999,
             wb_req_has(req, "seed") ? wb_req_int(req, "seed") : 1, with_alpha ? wb_req_text(req, "alpha") : "",
             with_alpha ? wb_req_int(req, "fdr") : 0);
    wb_web__cache_key(key, full);
    if (wb_web__cached(req, resp, key, wb_web__generation(req->srv)))
        return 1;
    return wb_spatial_load(d, req->db->st, &q);
}

int wb_web__h_lisa_bv(wb_req *req, wb_resp *resp)
{
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    char key[96];
    uint64_t gen = wb_web__generation(req->srv);
    double *buf = NULL;
    int *cl = NULL;
    wb_str out = WB_STR_INIT;
    int error = bv_load(&d, key, req, resp, "lisa_bv", 1);
    if (error != 0) {
        error = error > 0 ? 0 : error;
        goto done;
    }
    size_t n = d.n;
    buf = wb_malloc(6 * n * sizeof *buf);
    cl = wb_malloc(n * sizeof *cl);
    if (!buf || !cl) {
        error = WB_ENOMEM;
        goto done;
    }
    wb_lisa_bv_out o = {buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, NULL, NULL, cl};
    wb_lisa_opts lo = WB_LISA_OPTS_INIT;
    lo.permutations = wb_req_has(req, "permutations") ? (size_t)wb_req_int(req, "permutations") : 999;
    lo.seed = wb_req_has(req, "seed") ? (uint64_t)wb_req_int(req, "seed") : 1;
    lo.alpha = wb_req_has(req, "alpha") ? strtod(wb_req_text(req, "alpha"), NULL) : 0.05;
    lo.fdr = (int)wb_req_int(req, "fdr");
    if ((error = wb_lisa_bv(&o, &d.w, d.x, d.y, &lo)) < 0)
        goto done;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", d.layer.codes[d.index[i]]);
        wb_json_knum(&j, "value", d.x[i]);
        wb_json_knum(&j, "value2", d.y[i]);
        wb_json_knum(&j, "Ibv", o.Ibv[i]);
        wb_json_knum(&j, "E_Ibv", o.E_Ibv[i]);
        wb_json_knum(&j, "Var_Ibv", o.Var_Ibv[i]);
        wb_json_knum(&j, "z", o.z[i]);
        wb_json_knum(&j, "p", o.p[i]);
        wb_json_knum(&j, "p_perm", o.p_perm[i]);
        wb_json_kstr(&j, "cluster", wb_lisa_cluster_name((wb_lisa_cluster)cl[i]));
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, key, gen, &out, d.layer.year);
done:
    wb_str_dispose(&out);
    wb_free(buf);
    wb_free(cl);
    wb_spatial_data_dispose(&d);
    return error;
}

int wb_web__h_moran_bv(wb_req *req, wb_resp *resp)
{
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    char key[96];
    uint64_t gen = wb_web__generation(req->srv);
    wb_str out = WB_STR_INIT;
    int error = bv_load(&d, key, req, resp, "moran_bv", 0);
    if (error != 0) {
        error = error > 0 ? 0 : error;
        goto done;
    }
    wb_moran_bv_opts mo = WB_MORAN_BV_OPTS_INIT;
    mo.permutations = wb_req_has(req, "permutations") ? (size_t)wb_req_int(req, "permutations") : 999;
    mo.seed = wb_req_has(req, "seed") ? (uint64_t)wb_req_int(req, "seed") : 1;
    wb_moran_bv_result m;
    if ((error = wb_moran_bv(&m, &d.w, d.x, d.y, &mo)) < 0)
        goto done;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "indicator", wb_req_text(req, "indicator"));
    wb_json_kstr(&j, "bivariate", wb_req_text(req, "bivariate"));
    wb_json_kstr(&j, "level", wb_level_name(d.layer.level));
    wb_json_kint(&j, "year", wb_req_int(req, "year"));
    wb_json_kint(&j, "boundary_year", d.layer.year);
    wb_json_kint(&j, "n", (long long)m.n);
    wb_json_knum(&j, "I", m.I);
    wb_json_knum(&j, "r", m.r);
    wb_json_knum(&j, "E_I", m.E_I);
    wb_json_kint(&j, "permutations", (long long)m.permutations);
    wb_json_key(&j, "perm_ge");
    if (m.permutations)
        wb_json_int(&j, (long long)m.perm_ge);
    else
        wb_json_null(&j);
    wb_json_knum(&j, "p_perm", m.p_perm);
    wb_json_knum(&j, "perm_mean", m.perm_mean);
    wb_json_knum(&j, "perm_sd", m.perm_sd);
    wb_json_obj_close(&j);
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_web__publish(req, resp, key, gen, &out, d.layer.year);
done:
    wb_str_dispose(&out);
    wb_spatial_data_dispose(&d);
    return error;
}
