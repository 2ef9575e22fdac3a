/**
 * @file
 * @brief What a map or a statistic of the API is computed on (an indicator or a model's
 * score), its values in one data year, and the cache helpers the analysis routes share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/source.h"

/* ---------------------------------------------------------------- what is analysed */

void wb_web__src_close(wb_web_src *s)
{
    wb_model_free(s->model);
    s->model = NULL;
}

/* Load models/NAME.model of the server (a validated name: no '/' or '.'); NULL when absent. */
int wb_web__model_file(wb_model **out, wb_req *req, const char *name)
{
    *out = NULL;
    const char *dir = wb_web__models_dir(req->srv);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.model", dir ? dir : "", name);
    if (!dir || access(path, R_OK) != 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "no score model '%s' on this server", name);
        return WB_ENOTFOUND;
    }
    return wb_model_load(out, path);
}

static int indicator_info(wb_req *req, int64_t ind, int *direction, char *unit, size_t unit_cap)
{
    wb_indicator *d = NULL;
    int error = wb_store_indicator_get(req->db->st, &d, ind);
    if (error == 0) {
        *direction = d->direction;
        snprintf(unit, unit_cap, "%s", d->unit ? d->unit : "");
    }
    wb_indicators_free(d, d ? 1 : 0);
    return error;
}

/* indicator= or model= (exactly one): 400 otherwise. */
int wb_web__src_open(wb_web_src *src, wb_req *req, wb_resp *resp)
{
    memset(src, 0, sizeof *src);
    int has_i = wb_req_has(req, "indicator"), has_m = wb_req_has(req, "model");
    if (has_i == has_m) {
        wb_resp_error(resp, 400, has_i ? "model" : "indicator",
                      has_i ? "give either indicator or model, not both" : "indicator or model is required");
        return WB_EINVALID;
    }
    int error;
    if (has_i) {
        if ((error = wb_store_indicator_resolve(req->db->st, &src->ind, src->key, wb_req_text(req, "indicator"))) < 0)
            return error;
        return indicator_info(req, src->ind, &src->direction, src->unit, sizeof src->unit);
    }
    src->is_model = 1;
    src->direction = 1; /* scores are higher-is-better */
    if ((error = wb_web__model_file(&src->model, req, wb_req_text(req, "model"))) < 0)
        return error;
    snprintf(src->key, sizeof src->key, "%s", wb_model_name(src->model));
    /* the first indicator that the store knows chooses the boundaries */
    for (size_t i = 0; i < wb_model_nindicators(src->model); i++) {
        char key[64];
        if (wb_store_indicator_resolve(req->db->st, &src->ind, key, wb_model_keys(src->model)[i]) == 0)
            return 0;
    }
    wb_error_set(WB_ERRCLASS_MODEL, "model %s: none of its indicators is in this store", src->key);
    wb_web__src_close(src);
    return WB_ENOTFOUND;
}

/* The boundary year with the most values of the source in data year @p year at @p level, as
 * /api/values chooses it; the request's boundary_year when given. */
int wb_web__src_byear(wb_req *req, const wb_web_src *src, wb_level level, int year, int *byear)
{
    *byear = (int)wb_req_int(req, "boundary_year");
    if (*byear)
        return 0;
    int error = wb_store_values_boundary_year(req->db->st, byear, src->ind, level, year);
    if (error < 0)
        return error;
    if (!*byear) {
        wb_error_set(WB_ERRCLASS_STORE, "no values of %s %s for %d on any %s boundaries",
                     src->is_model ? "model" : "indicator", src->key, year, wb_level_name(level));
        return WB_ENOTFOUND;
    }
    return 0;
}

/* A cache key that fits the cache's 96 bytes: long keys are hashed (FNV-1a 64). */
void wb_web__cache_key(char out[96], const char *full)
{
    size_t n = strlen(full);
    if (n < 96) {
        memcpy(out, full, n + 1);
        return;
    }
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)full[i]) * 1099511628211ULL;
    snprintf(out, 96, "%.60s#%016llx", full, (unsigned long long)h);
}

int wb_web__cached(wb_req *req, wb_resp *resp, const char *key, uint64_t gen)
{
    wb_blob *b = wb_web__cache_get(req->srv, key, gen);
    if (!b)
        return 0;
    resp->blob = b;
    resp->cache = "hit";
    if (b->aux)
        snprintf(resp->boundary_year, sizeof resp->boundary_year, "%d", b->aux);
    return 1;
}

/* Turn the finished JSON in @p out into a wb_web__cached blob answered by @p resp. */
int wb_web__publish(wb_req *req, wb_resp *resp, const char *key, uint64_t gen, wb_str *out, int byear)
{
    size_t len = out->len;
    wb_blob *b = NULL;
    int error = wb_blob__new(&b, (unsigned char *)wb_str_detach(out), len, "application/json");
    wb_str_dispose(out);
    if (error < 0)
        return error;
    b->aux = byear;
    wb_web__cache_put(req->srv, key, gen, b);
    resp->blob = b;
    resp->cache = "miss";
    snprintf(resp->boundary_year, sizeof resp->boundary_year, "%d", byear);
    return 0;
}

/* ---------------------------------------------------------------- values of a wb_web_src */

void wb_web__vals_dispose(wb_web_vals *vs)
{
    wb_free(vs->codes);
    wb_free(vs->v);
    wb_free(vs->klass);
    memset(vs, 0, sizeof *vs);
}

static int vals_alloc(wb_web_vals *vs, size_t n, int with_class)
{
    memset(vs, 0, sizeof *vs);
    vs->codes = wb_malloc((n ? n : 1) * sizeof *vs->codes);
    vs->v = wb_malloc((n ? n : 1) * sizeof *vs->v);
    vs->klass = with_class ? wb_calloc(n ? n : 1, 1) : NULL;
    if (!vs->codes || !vs->v || (with_class && !vs->klass)) {
        wb_web__vals_dispose(vs);
        return WB_ENOMEM;
    }
    vs->n = n;
    return 0;
}

/* The values of indicator @p key on the areas of (level, byear) in data year @p year, in
 * code order (stored missing values as NaN). */
int wb_web__indicator_values(wb_web_vals *vs, wb_req *req, const char *key, wb_level level, int year, int byear)
{
    wb_value *vals = NULL;
    size_t n = 0;
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.year = year;
    q.boundary_year = byear;
    q.level = level;
    q.with_missing = 1;
    int error = wb_store_values(req->db->st, &vals, &n, NULL, &q);
    if (error == 0 && (error = vals_alloc(vs, n, 0)) == 0)
        for (size_t i = 0; i < n; i++) {
            memcpy(vs->codes[i], vals[i].code, WB_CODE_MAX);
            vs->v[i] = vals[i].value;
        }
    wb_free(vals);
    return error;
}

/* The source's values in data year @p year on (level, byear). */
int wb_web__src_values(wb_web_vals *vs, wb_req *req, const wb_web_src *src, wb_level level, int year, int byear)
{
    if (!src->is_model)
        return wb_web__indicator_values(vs, req, src->key, level, year, byear);
    wb_web_scoring s;
    int error = wb_web__score_run(&s, req, level, byear);
    long t = -1;
    if (error == 0 && (t = wb_panel_find_year(s.p, year)) < 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "no score of model %s for %d on the %s of %d", src->key, year,
                     wb_level_name(level), byear);
        error = WB_ENOTFOUND;
    }
    size_t na = error == 0 ? s.res.nareas : 0;
    if (error == 0 && (error = vals_alloc(vs, na, 1)) == 0)
        for (size_t a = 0; a < na; a++) {
            snprintf(vs->codes[a], WB_CODE_MAX, "%s", wb_panel_code(s.p, a));
            vs->v[a] = s.res.score[(size_t)t * na + a];
            vs->klass[a] = s.res.klass[(size_t)t * na + a];
        }
    wb_web__score_done(&s);
    return error;
}

