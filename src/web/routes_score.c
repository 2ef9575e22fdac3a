/**
 * @file
 * @brief API routes of the composite score (wijkbeeld/score.h), with models from the
 * server's models directory:
 *
 *   GET /api/models                                   [{name, title, dims [{key, label}]}]
 *   GET /api/score?model=M&level=L&year=Y&boundary_year=B
 *       {model, title, boundary_year, dims, results [{code, year, score, dims[], class, label,
 *        coverage}]}  (every data year without year=; cached per store generation)
 *   GET /api/explain?model=M&code=C&year=Y&boundary_year=B
 *       the contribution of every dimension and indicator to the area's score in a year
 */
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/json.h"
#include "web/web_internal.h"
#include "wijkbeeld/panel.h"
#include "wijkbeeld/score.h"

static int cmp_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Load and resolve models/NAME.model (the name is a validated key: no '/' or '.'). */
static int model_load(wb_model **out, wb_req *req, const char *name)
{
    *out = NULL;
    const char *dir = wb_web__models_dir(req->srv);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.model", dir ? dir : "", name);
    if (!dir || access(path, R_OK) != 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "no score model '%s' on this server", name);
        return WB_ENOTFOUND;
    }
    int error = wb_model_load(out, path);
    if (error == 0)
        error = wb_model_resolve(*out, req->db->st);
    if (error < 0) {
        wb_model_free(*out);
        *out = NULL;
    }
    return error;
}

static void dims_json(wb_json *j, const wb_model *m)
{
    wb_json_key(j, "dims");
    wb_json_arr_open(j);
    for (size_t d = 0; d < wb_model_ndims(m); d++) {
        wb_json_obj_open(j);
        wb_json_kstr(j, "key", wb_model_dim_key(m, d));
        wb_json_kstr(j, "label", wb_model_dim_label(m, d));
        wb_json_obj_close(j);
    }
    wb_json_arr_close(j);
}

int wb_web__h_models(wb_req *req, wb_resp *resp)
{
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    const char *dir = wb_web__models_dir(req->srv);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    /* names in a stable order: collect, then sort */
    char names[64][64];
    size_t n = 0;
    while (d && (e = readdir(d)) && n < 64) {
        size_t len = strlen(e->d_name);
        if (len > 6 && len < 64 && !strcmp(e->d_name + len - 6, ".model") && e->d_name[0] != '.') {
            memcpy(names[n], e->d_name, len - 6);
            names[n++][len - 6] = 0;
        }
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], cmp_name);
    for (size_t i = 0; i < n; i++) {
        wb_model *m = NULL;
        if (model_load(&m, req, names[i]) < 0)
            continue; /* a model whose indicators this store lacks is not offered */
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "name", wb_model_name(m));
        wb_json_kstr(&j, "title", wb_model_title(m));
        wb_json_key(&j, "classes");
        wb_json_bool(&j, wb_model_has_classes(m));
        dims_json(&j, m);
        wb_json_key(&j, "indicators");
        wb_json_arr_open(&j);
        for (size_t k = 0; k < wb_model_nindicators(m); k++)
            wb_json_str(&j, wb_model_keys(m)[k]);
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
        wb_model_free(m);
    }
    wb_json_arr_close(&j);
    return wb_json_finish(&j);
}

/* Model, panel of a level and boundary year, scorer and scores, all freed by score_done. */
typedef wb_web_scoring scoring;

static int score_run(scoring *s, wb_req *req, wb_level level, int byear)
{
    wb_scores init = WB_SCORES_INIT;
    memset(s, 0, sizeof *s);
    s->res = init;
    int error = model_load(&s->m, req, wb_req_text(req, "model"));
    if (error < 0)
        return error;
    wb_panel_opts po = WB_PANEL_OPTS_INIT;
    po.level = level;
    po.boundary_year = byear;
    if ((error = wb_panel_load(&s->p, req->db->st, wb_model_keys(s->m), wb_model_nindicators(s->m), &po)) < 0 ||
        (error = wb_scorer_new(&s->sc, s->m, s->p)) < 0 || (error = wb_scorer_run(&s->res, s->sc, 1)) < 0)
        return error;
    return 0;
}

static void score_done(scoring *s)
{
    wb_scores_dispose(&s->res);
    wb_scorer_free(s->sc);
    wb_panel_free(s->p);
    wb_model_free(s->m);
}

int wb_web__h_score(wb_req *req, wb_resp *resp)
{
    wb_level level = wb_req_level(req, "level");
    int year = (int)wb_req_int(req, "year"), byear = (int)wb_req_int(req, "boundary_year");
    char key[160];
    snprintf(key, sizeof key, "score:%s:%s:%d:%d", wb_req_text(req, "model"), wb_level_name(level), year, byear);
    uint64_t gen = wb_web__generation(req->srv);
    if ((resp->blob = wb_web__cache_get(req->srv, key, gen)))
        return 0;
    scoring s;
    int error = score_run(&s, req, level, byear);
    long only_t = -1;
    if (error == 0 && year && (only_t = wb_panel_find_year(s.p, year)) < 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "no values of model %s for %s areas in %d", wb_model_name(s.m),
                     wb_level_name(level), year);
        error = WB_ENOTFOUND;
    }
    if (error < 0) {
        score_done(&s);
        return error;
    }
    wb_str out = WB_STR_INIT;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "model", wb_model_name(s.m));
    wb_json_kstr(&j, "title", wb_model_title(s.m));
    wb_json_kint(&j, "boundary_year", wb_panel_boundary_year(s.p));
    dims_json(&j, s.m);
    wb_json_key(&j, "results");
    wb_json_arr_open(&j);
    size_t na = s.res.nareas, nd = s.res.ndims;
    for (size_t t = 0; t < s.res.nyears; t++) {
        if (only_t >= 0 && t != (size_t)only_t)
            continue;
        for (size_t a = 0; a < na; a++) {
            size_t ix = t * na + a;
            wb_json_obj_open(&j);
            wb_json_kstr(&j, "code", wb_panel_code(s.p, a));
            wb_json_kint(&j, "year", wb_panel_year(s.p, t));
            wb_json_knum(&j, "score", s.res.score[ix]);
            wb_json_key(&j, "dims");
            wb_json_arr_open(&j);
            for (size_t d = 0; d < nd; d++)
                wb_json_num(&j, s.res.dims[(t * nd + d) * na + a]);
            wb_json_arr_close(&j);
            wb_json_key(&j, "class");
            if (s.res.klass[ix])
                wb_json_int(&j, s.res.klass[ix]);
            else
                wb_json_null(&j);
            wb_json_kstr(&j, "label", s.res.klass[ix] ? wb_class_label(s.res.klass[ix]) : NULL);
            wb_json_knum(&j, "coverage", s.res.coverage[ix]);
            wb_json_obj_close(&j);
        }
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    score_done(&s);
    size_t len = out.len;
    wb_blob *b = NULL;
    if ((error = wb_json_finish(&j)) == 0)
        error = wb_blob__new(&b, (unsigned char *)wb_str_detach(&out), len, "application/json");
    wb_str_dispose(&out);
    if (error < 0)
        return error;
    wb_web__cache_put(req->srv, key, gen, b);
    resp->blob = b;
    return 0;
}

int wb_web__h_explain(wb_req *req, wb_resp *resp)
{
    const char *code = wb_req_text(req, "code");
    wb_level level = wb_req_param(req, "code")->level;
    if (level > WB_LEVEL_BUURT) {
        wb_resp_error(resp, 400, "code", "scores exist for gemeenten, wijken and buurten");
        return WB_EINVALID;
    }
    scoring s;
    wb_explain ex = WB_EXPLAIN_INIT;
    double *raw = NULL;
    int error = score_run(&s, req, level, (int)wb_req_int(req, "boundary_year"));
    long a = -1, t = -1;
    if (error == 0 && (a = wb_panel_find_area(s.p, code)) < 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "no area %s among the %s of %d", code, wb_level_name(level),
                     wb_panel_boundary_year(s.p));
        error = WB_ENOTFOUND;
    }
    if (error == 0) {
        /* the requested year, or the latest year with a score */
        if (wb_req_has(req, "year")) {
            t = wb_panel_find_year(s.p, (int)wb_req_int(req, "year"));
        } else {
            for (size_t k = s.res.nyears; k-- > 0 && t < 0;)
                if (!isnan(s.res.score[k * s.res.nareas + (size_t)a]))
                    t = (long)k;
        }
        if (t < 0) {
            wb_error_set(WB_ERRCLASS_MODEL, "no score of %s for %s in that year", wb_model_name(s.m), code);
            error = WB_ENOTFOUND;
        }
    }
    size_t ni = error == 0 ? wb_model_nindicators(s.m) : 0;
    if (error == 0 && !(raw = wb_calloc(ni ? ni : 1, sizeof *raw)))
        error = WB_ENOMEM;
    if (error == 0) {
        wb_scorer_profile(s.sc, raw, (size_t)a, (size_t)t);
        error = wb_scorer_explain(&ex, s.sc, raw, wb_panel_year(s.p, (size_t)t));
    }
    if (error < 0) {
        wb_free(raw);
        wb_explain_dispose(&ex);
        score_done(&s);
        return error;
    }
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "model", wb_model_name(s.m));
    wb_json_kstr(&j, "title", wb_model_title(s.m));
    wb_json_kstr(&j, "code", code);
    wb_json_kint(&j, "year", wb_panel_year(s.p, (size_t)t));
    wb_json_kint(&j, "boundary_year", wb_panel_boundary_year(s.p));
    wb_json_knum(&j, "score", ex.score);
    wb_json_knum(&j, "coverage", ex.coverage);
    wb_json_key(&j, "class");
    if (ex.klass)
        wb_json_int(&j, ex.klass);
    else
        wb_json_null(&j);
    wb_json_kstr(&j, "label", ex.klass ? wb_class_label(ex.klass) : NULL);
    wb_json_key(&j, "additive");
    wb_json_bool(&j, ex.additive);
    wb_json_key(&j, "dims");
    wb_json_arr_open(&j);
    for (size_t d = 0; d < ex.ndims; d++) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "key", wb_model_dim_key(s.m, d));
        wb_json_kstr(&j, "label", wb_model_dim_label(s.m, d));
        wb_json_knum(&j, "value", ex.dims[d].raw);
        wb_json_knum(&j, "weight", ex.dims[d].weight);
        wb_json_knum(&j, "contribution", ex.dims[d].contribution);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_key(&j, "indicators");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < ex.nind; i++) {
        const wb_model_indicator *mi = wb_model_indicator_at(s.m, i);
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "key", mi->key);
        wb_json_kstr(&j, "dimension", wb_model_dim_key(s.m, mi->dim));
        wb_json_kint(&j, "direction", mi->direction);
        wb_json_knum(&j, "raw", ex.ind[i].raw);
        wb_json_knum(&j, "std", ex.ind[i].std);
        wb_json_knum(&j, "weight", ex.ind[i].weight);
        wb_json_knum(&j, "contribution", ex.ind[i].contribution);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    wb_free(raw);
    wb_explain_dispose(&ex);
    score_done(&s);
    return wb_json_finish(&j);
}

/* For the routes of the spatial and trend views (routes_spatial.c, routes_trend.c). */
int wb_web__score_run(wb_web_scoring *s, wb_req *req, wb_level level, int byear)
{
    return score_run(s, req, level, byear);
}

void wb_web__score_done(wb_web_scoring *s)
{
    score_done(s);
}
