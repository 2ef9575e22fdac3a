/**
 * @file
 * @brief The JSON API: the route table and its handlers.
 *
 *   GET /api/indicators                               the catalogue, with coverage
 *   GET /api/areas?level=L&year=Y&parent=C            areas [{code, year, level, name, parent}]
 *   GET /api/areas/{code}?year=Y&format=json|csv      the profile of an area
 *   GET /api/values?indicator=K&level=L&year=Y&boundary_year=B&format=json|csv
 *                                                     [{code, value}] for a map
 *   GET /api/series?code=C&indicator=K&year=B         time series of an area
 *   GET /api/geojson?level=L&year=Y&code=C            WGS84 polygons, simplified (geoio.h)
 *
 * and the register with accounts (routes_collab.c, docs/web.md): /api/login, /api/logout,
 * /api/me, /api/initiatives[/{id}[/milestones|/contributions|/coalitions]],
 * /api/milestones/{id}, /api/contributions/{id}, /api/partners[/{id}], /api/themes,
 * /api/proposals[/{id}[/support|/adopt|/decline|/hide]], /api/coalitions[/matrix],
 * /api/areas/{code}/register, /api/users, /api/settings, /api/audit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/json.h"
#include "web/source.h"
#include "web/web_internal.h"
#include "wijkbeeld/geoio.h"
#include "wijkbeeld/segregation.h"
#include "wijkbeeld/trend.h"

/* ---------------------------------------------------------------- CSV */

/* A CSV field; text that a spreadsheet would run as a formula gets an apostrophe. */
static void csv_text(wb_str *o, const char *s, int last)
{
    if (s) {
        int formula = wb_csv_formula(s);
        if (formula || strpbrk(s, ",\"\r\n")) {
            wb_str_putc(o, '"');
            if (formula)
                wb_str_putc(o, '\'');
            for (; *s; s++) {
                if (*s == '"')
                    wb_str_putc(o, '"');
                wb_str_putc(o, *s);
            }
            wb_str_putc(o, '"');
        } else {
            wb_str_puts(o, s);
        }
    }
    wb_str_puts(o, last ? "\r\n" : ",");
}

static void csv_num(wb_str *o, double v, int last)
{
    if (isfinite(v)) {
        char buf[40];
        snprintf(buf, sizeof buf, "%.15g", v);
        if (strtod(buf, NULL) != v)
            snprintf(buf, sizeof buf, "%.17g", v);
        wb_str_puts(o, buf);
    }
    wb_str_puts(o, last ? "\r\n" : ",");
}

static int csv_done(wb_resp *resp, const char *filename)
{
    if (!resp->body.ptr && wb_str_puts(&resp->body, "") < 0)
        return WB_ENOMEM;
    resp->type = "text/csv; charset=utf-8";
    snprintf(resp->filename, sizeof resp->filename, "%s", filename);
    return 0;
}

/* ---------------------------------------------------------------- shared pieces */

static const char *const formats[] = {"json", "csv", NULL};

static void area_json(wb_json *j, const wb_area *a)
{
    wb_json_obj_open(j);
    wb_json_kstr(j, "code", a->code);
    wb_json_kint(j, "year", a->year);
    wb_json_kstr(j, "level", wb_level_name(a->level));
    wb_json_kstr(j, "name", a->name);
    wb_json_kstr(j, "parent", a->parent[0] ? a->parent : NULL);
    wb_json_key(j, "has_geometry");
    wb_json_bool(j, a->has_geometry);
    wb_json_obj_close(j);
}

static int json_done(wb_json *j)
{
    return wb_json_finish(j);
}

/* The members of an indicator that the catalogue and the profile share. */
static void indicator_fields(wb_json *j, const wb_indicator *d)
{
    wb_json_kstr(j, "key", d->key);
    wb_json_kstr(j, "label_nl", d->label_nl);
    wb_json_kstr(j, "label_en", d->label_en);
    wb_json_kstr(j, "unit", d->unit);
    wb_json_kint(j, "direction", d->direction);
    wb_json_kstr(j, "dimension", d->dimension);
    wb_json_kstr(j, "source", d->source);
}

/* ---------------------------------------------------------------- /api/indicators */

/* Which (level, data year, boundary year) combinations each indicator has values for: the
 * dashboard fills its year choices from it. A full scan of the observations, so the whole
 * response is cached until the store file changes. */
static int h_indicators(wb_req *req, wb_resp *resp)
{
    uint64_t gen = wb_web__generation(req->srv);
    wb_blob *b = wb_web__cache_get(req->srv, "indicators", gen);
    if (b) {
        resp->blob = b;
        return 0;
    }
    wb_indicator *inds = NULL;
    size_t ninds = 0;
    int error = wb_store_indicators(req->db->st, &inds, &ninds);
    if (error < 0)
        return error;
    wb_str out = WB_STR_INIT;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < ninds && !error; i++) {
        const wb_indicator *d = &inds[i];
        wb_coverage *cov = NULL;
        size_t ncov = 0;
        if ((error = wb_store_indicator_coverage(req->db->st, &cov, &ncov, d->id)) < 0)
            break;
        wb_json_obj_open(&j);
        indicator_fields(&j, d);
        wb_json_key(&j, "coverage");
        wb_json_arr_open(&j);
        for (size_t c = 0; c < ncov; c++) {
            if (cov[c].n == 0)
                continue; /* only missing values */
            wb_json_obj_open(&j);
            wb_json_kstr(&j, "level", wb_level_name(cov[c].level));
            wb_json_kint(&j, "year", cov[c].year);
            wb_json_kint(&j, "boundary_year", cov[c].boundary_year);
            wb_json_kint(&j, "n", (long long)cov[c].n);
            wb_json_obj_close(&j);
        }
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
        wb_free(cov);
    }
    wb_indicators_free(inds, ninds);
    wb_json_arr_close(&j);
    if (!error)
        error = json_done(&j);
    size_t len = out.len;
    if (!error)
        error = wb_blob__new(&b, (unsigned char *)wb_str_detach(&out), len, "application/json");
    wb_str_dispose(&out);
    if (error < 0)
        return error;
    wb_web__cache_put(req->srv, "indicators", gen, b);
    resp->blob = b;
    return 0;
}

int wb_web__warm(wb_server *srv, wb_webdb *db)
{
    wb_req req;
    wb_resp resp;
    memset(&req, 0, sizeof req);
    memset(&resp, 0, sizeof resp);
    req.srv = srv;
    req.db = db;
    int error = h_indicators(&req, &resp);
    wb_blob__unref(resp.blob);
    wb_str_dispose(&resp.body);
    return error;
}

/* ---------------------------------------------------------------- /api/areas */

static int h_areas(wb_req *req, wb_resp *resp)
{
    wb_area_query q = WB_AREA_QUERY_INIT;
    if (wb_req_has(req, "level"))
        q.level = wb_req_level(req, "level");
    q.year = (int)wb_req_int(req, "year");
    if (wb_req_has(req, "parent"))
        q.parent = wb_req_text(req, "parent");
    wb_area *areas = NULL;
    size_t n = 0;
    int error = wb_store_areas(req->db->st, &areas, &n, &q);
    if (error < 0)
        return error;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", areas[i].code);
        wb_json_kint(&j, "year", areas[i].year);
        wb_json_kstr(&j, "level", wb_level_name(areas[i].level));
        wb_json_kstr(&j, "name", areas[i].name);
        wb_json_kstr(&j, "parent", areas[i].parent[0] ? areas[i].parent : NULL);
        wb_json_obj_close(&j);
    }
    wb_areas_free(areas, n);
    wb_json_arr_close(&j);
    return json_done(&j);
}

/* ---------------------------------------------------------------- /api/values */

/* A map's values are asked for again and again, and change only with the store: the
 * response is cached per (indicator, level, year, boundary year, format) and store generation. */
static int h_values(wb_req *req, wb_resp *resp)
{
    int64_t ind;
    char key[64];
    int error = wb_store_indicator_resolve(req->db->st, &ind, key, wb_req_text(req, "indicator"));
    if (error < 0)
        return error;
    wb_level level = wb_req_level(req, "level");
    int year = (int)wb_req_int(req, "year");
    int byear = (int)wb_req_int(req, "boundary_year");
    int csv = wb_req_int(req, "format") == 1;
    char ckey[96], fn[96];
    snprintf(ckey, sizeof ckey, "values:%s:%s:%d:%d:%d", key, wb_level_name(level), year, byear, csv);
    snprintf(fn, sizeof fn, "wijkbeeld-%s-%s-%d.csv", key, wb_level_name(level), year);
    uint64_t gen = wb_web__generation(req->srv);
    wb_blob *b = wb_web__cache_get(req->srv, ckey, gen);
    if (b) {
        resp->blob = b;
        if (b->aux)
            snprintf(resp->boundary_year, sizeof resp->boundary_year, "%d", b->aux);
        if (csv)
            snprintf(resp->filename, sizeof resp->filename, "%s", fn);
        return 0;
    }
    /* the boundary year with the most values for this data year (a back-series such as
     * Leefbaarometer's gives 2012 values on 2016 boundaries) */
    if (!byear && (error = wb_store_values_boundary_year(req->db->st, &byear, ind, level, year)) < 0)
        return error;
    wb_value *vals = NULL;
    size_t n = 0;
    if (byear) { /* none: no values at this level, an empty answer */
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = key;
        q.year = year;
        q.boundary_year = byear;
        q.level = level;
        if ((error = wb_store_values(req->db->st, &vals, &n, NULL, &q)) < 0)
            return error;
    }
    wb_str out = WB_STR_INIT;
    wb_json j;
    wb_json_init(&j, &out);
    if (csv)
        wb_str_puts(&out, "code,value\r\n");
    else
        wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        if (csv) {
            csv_text(&out, vals[i].code, 0);
            csv_num(&out, vals[i].value, 1);
            continue;
        }
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", vals[i].code);
        wb_json_knum(&j, "value", vals[i].value);
        wb_json_obj_close(&j);
    }
    wb_free(vals);
    if (!csv) {
        wb_json_arr_close(&j);
        error = json_done(&j);
    }
    size_t len = out.len;
    if (!error)
        error = wb_blob__new(&b, (unsigned char *)wb_str_detach(&out), len,
                             csv ? "text/csv; charset=utf-8" : "application/json");
    wb_str_dispose(&out);
    if (error < 0)
        return error;
    b->aux = byear;
    wb_web__cache_put(req->srv, ckey, gen, b);
    resp->blob = b;
    if (byear)
        snprintf(resp->boundary_year, sizeof resp->boundary_year, "%d", byear);
    if (csv)
        snprintf(resp->filename, sizeof resp->filename, "%s", fn);
    return 0;
}

/* ---------------------------------------------------------------- /api/series */

static int h_series(wb_req *req, wb_resp *resp)
{
    int64_t ind;
    char key[64];
    int error = wb_store_indicator_resolve(req->db->st, &ind, key, wb_req_text(req, "indicator"));
    if (error < 0)
        return error;
    wb_area *a = NULL;
    wb_obs_value *v = NULL;
    size_t n = 0;
    if ((error = wb_store_area_get(req->db->st, &a, wb_req_text(req, "code"), (int)wb_req_int(req, "year"))) < 0 ||
        (error = wb_store_area_values(req->db->st, &v, &n, a->id, ind)) < 0) {
        wb_areas_free(a, a ? 1 : 0);
        return error;
    }
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "code", a->code);
    wb_json_kint(&j, "boundary_year", a->year);
    wb_json_kstr(&j, "indicator", key);
    wb_json_key(&j, "series");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "year", v[i].year);
        wb_json_knum(&j, "value", v[i].value);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    wb_areas_free(a, 1);
    wb_free(v);
    return json_done(&j);
}

/* ---------------------------------------------------------------- /api/areas/{code}: profile */

/* Indicators shown as charts on the profile page, in this order, when the area has them. */
static const char *const key_indicators[] = {
    "lbm", "lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv", "lbm_klasse", "ses_woa",
    "a_inw", "g_woz", "g_ink_pi", "p_hh_li", "p_wcorpw", "p_soz_wb", "g_misdr", NULL};

static int key_rank(const char *key)
{
    for (int i = 0; key_indicators[i]; i++)
        if (!strcmp(key_indicators[i], key))
            return i;
    return -1;
}

/* Values sorted by (indicator, year), as the store gives them. */
typedef struct {
    const wb_obs_value *v;
    size_t n;
} obs_list;

/* The value for (indicator, year) in a sorted list; NaN when absent. */
static double obs_find(const obs_list *l, int64_t ind, int year)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const wb_obs_value *o = &l->v[mid];
        if (o->indicator_id < ind || (o->indicator_id == ind && o->year < year))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < l->n && l->v[lo].indicator_id == ind && l->v[lo].year == year)
        return l->v[lo].value;
    return NAN;
}

/* The values of an area (none for id 0). */
static int obs_load(wb_webdb *db, wb_obs_value **out, size_t *n, int64_t area_id)
{
    *out = NULL;
    *n = 0;
    return area_id ? wb_store_area_values(db->st, out, n, area_id, 0) : 0;
}

/* The unweighted mean of every area of one level and boundary year, per indicator and data
 * year: the reference when the store has no national (NL00) values. Cached per store
 * generation as a blob of sorted wb_obs_value records. */
static int level_means(wb_req *req, wb_blob **out, wb_level level, int byear)
{
    char key[64];
    snprintf(key, sizeof key, "levelmean:%s:%d", wb_level_name(level), byear);
    uint64_t gen = wb_web__generation(req->srv);
    if ((*out = wb_web__cache_get(req->srv, key, gen)))
        return 0;
    wb_obs_value *v = NULL;
    size_t n = 0;
    int error = wb_store_level_means(req->db->st, &v, &n, level, byear);
    if (error == 0 && !v && !(v = wb_malloc(sizeof *v)))
        error = WB_ENOMEM;
    if (error < 0) {
        wb_free(v);
        return error;
    }
    if ((error = wb_blob__new(out, (unsigned char *)v, n * sizeof *v, "application/octet-stream")) < 0)
        return error;
    wb_web__cache_put(req->srv, key, gen, *out);
    return 0;
}

/* The catalogue (without aliases) packed into one allocation, the strings after the records
 * that point into it, so that it can live in the cache as a blob: every profile needs it, and
 * it changes only with the store. */
static int catalogue(wb_req *req, wb_blob **out)
{
    uint64_t gen = wb_web__generation(req->srv);
    if ((*out = wb_web__cache_get(req->srv, "catalogue", gen)))
        return 0;
    wb_indicator *inds = NULL;
    size_t n = 0;
    int error = wb_store_indicators(req->db->st, &inds, &n);
    if (error < 0)
        return error;
    size_t bytes = (n ? n : 1) * sizeof(wb_indicator);
    for (size_t i = 0; i < n; i++) {
        char *f[6] = {inds[i].key, inds[i].label_nl, inds[i].label_en, inds[i].unit, inds[i].dimension,
                      inds[i].source};
        for (int k = 0; k < 6; k++)
            bytes += f[k] ? strlen(f[k]) + 1 : 0;
    }
    unsigned char *buf = wb_malloc(bytes);
    if (!buf) {
        wb_indicators_free(inds, n);
        return WB_ENOMEM;
    }
    wb_indicator *rows = (wb_indicator *)buf;
    char *text = (char *)(buf + (n ? n : 1) * sizeof(wb_indicator));
    for (size_t i = 0; i < n; i++) {
        wb_indicator *d = &rows[i];
        memset(d, 0, sizeof *d);
        d->id = inds[i].id;
        d->direction = inds[i].direction;
        char **to[6] = {&d->key, &d->label_nl, &d->label_en, &d->unit, &d->dimension, &d->source};
        char *from[6] = {inds[i].key, inds[i].label_nl, inds[i].label_en, inds[i].unit, inds[i].dimension,
                         inds[i].source};
        for (int k = 0; k < 6; k++)
            if (from[k]) {
                size_t len = strlen(from[k]) + 1;
                memcpy(text, from[k], len);
                *to[k] = text;
                text += len;
            }
    }
    wb_indicators_free(inds, n);
    if ((error = wb_blob__new(out, buf, n * sizeof(wb_indicator), "application/octet-stream")) < 0)
        return error;
    wb_web__cache_put(req->srv, "catalogue", gen, *out);
    return 0;
}

static void ref_values(wb_json *j, const obs_list *par, const obs_list *nat, const obs_list *means, int64_t ind,
                       int year)
{
    wb_json_knum(j, "parent", obs_find(par, ind, year));
    wb_json_knum(j, "nation", obs_find(nat, ind, year));
    wb_json_knum(j, "level_mean", obs_find(means, ind, year));
}

static int h_profile(wb_req *req, wb_resp *resp)
{
    wb_area *a = NULL, *par = NULL, *nat = NULL;
    wb_obs_value *mv = NULL, *pv = NULL, *nv = NULL;
    size_t mn = 0, pn = 0, nn = 0;
    wb_label_set *sets = NULL;
    size_t nsets = 0;
    wb_blob *lm = NULL, *cat = NULL;
    int error = wb_store_area_get(req->db->st, &a, wb_req_text(req, "code"), (int)wb_req_int(req, "year"));
    if (error < 0)
        return error;
    if (a->parent[0] && (error = wb_store_area_get(req->db->st, &par, a->parent, a->year)) < 0 &&
        error != WB_ENOTFOUND)
        goto done;
    if (strcmp(a->code, "NL00")) {
        /* the nation of the same boundary year: NL00 of another data set (the demo's on its
         * own boundaries) must not stand in for it; the level mean does then */
        if ((error = wb_store_area_get(req->db->st, &nat, "NL00", a->year)) < 0 && error != WB_ENOTFOUND)
            goto done;
    }
    if ((error = catalogue(req, &cat)) < 0 || (error = obs_load(req->db, &mv, &mn, a->id)) < 0 ||
        (error = obs_load(req->db, &pv, &pn, par ? par->id : 0)) < 0 ||
        (error = obs_load(req->db, &nv, &nn, nat ? nat->id : 0)) < 0 ||
        (error = level_means(req, &lm, a->level, a->year)) < 0)
        goto done;
    const wb_indicator *inds = (const wb_indicator *)cat->data;
    size_t ninds = cat->len / sizeof(wb_indicator);
    obs_list mine = {mv, mn}, pobs = {pv, pn}, nobs = {nv, nn};
    obs_list means = {(const wb_obs_value *)lm->data, lm->len / sizeof(wb_obs_value)};

    int csv = wb_req_int(req, "format") == 1;
    wb_json j;
    wb_json_init(&j, &resp->body);
    if (csv) {
        wb_str_puts(&resp->body, "code,name,indicator,label,unit,year,value,parent_value,"
                                 "nation_value,level_mean\r\n");
    } else {
        wb_json_obj_open(&j);
        wb_json_key(&j, "area");
        area_json(&j, a);
        wb_json_key(&j, "parent");
        if (par)
            area_json(&j, par);
        else
            wb_json_null(&j);
        wb_json_key(&j, "nation");
        if (nat)
            area_json(&j, nat);
        else
            wb_json_null(&j);
        if ((error = wb_store_label_sets(req->db->st, &sets, &nsets, a->id)) < 0)
            goto done;
        wb_json_key(&j, "labels");
        wb_json_arr_open(&j);
        for (size_t i = 0; i < nsets; i++) {
            wb_json_obj_open(&j);
            wb_json_kstr(&j, "name", sets[i].name);
            wb_json_kstr(&j, "description", sets[i].description);
            wb_json_obj_close(&j);
        }
        wb_json_arr_close(&j);
        wb_json_key(&j, "key_indicators");
        wb_json_arr_open(&j);
        for (int k = 0; key_indicators[k]; k++)
            wb_json_str(&j, key_indicators[k]);
        wb_json_arr_close(&j);
        wb_json_key(&j, "indicators");
        wb_json_arr_open(&j);
    }
    /* my observations are sorted by indicator id, then year: walk them in runs */
    for (size_t i = 0; i < ninds; i++) {
        size_t lo = 0, hi = mine.n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (mine.v[mid].indicator_id < inds[i].id)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < mine.n && mine.v[end].indicator_id == inds[i].id)
            end++;
        if (end == lo)
            continue;
        const wb_indicator *d = &inds[i];
        if (csv) {
            for (size_t k = lo; k < end; k++) {
                char yr[16];
                snprintf(yr, sizeof yr, "%d", mine.v[k].year);
                csv_text(&resp->body, a->code, 0);
                csv_text(&resp->body, a->name, 0);
                csv_text(&resp->body, d->key, 0);
                csv_text(&resp->body, d->label_nl, 0);
                csv_text(&resp->body, d->unit, 0);
                csv_text(&resp->body, yr, 0);
                csv_num(&resp->body, mine.v[k].value, 0);
                csv_num(&resp->body, obs_find(&pobs, d->id, mine.v[k].year), 0);
                csv_num(&resp->body, obs_find(&nobs, d->id, mine.v[k].year), 0);
                csv_num(&resp->body, obs_find(&means, d->id, mine.v[k].year), 1);
            }
            continue;
        }
        wb_json_obj_open(&j);
        indicator_fields(&j, d);
        wb_json_key(&j, "key_indicator");
        wb_json_bool(&j, key_rank(d->key) >= 0);
        /* latest: the last data year with a value */
        size_t last = end;
        for (size_t k = end; k-- > lo;)
            if (!isnan(mine.v[k].value)) {
                last = k;
                break;
            }
        wb_json_key(&j, "latest");
        if (last == end) {
            wb_json_null(&j);
        } else {
            wb_json_obj_open(&j);
            wb_json_kint(&j, "year", mine.v[last].year);
            wb_json_knum(&j, "value", mine.v[last].value);
            ref_values(&j, &pobs, &nobs, &means, d->id, mine.v[last].year);
            wb_json_obj_close(&j);
        }
        /* the trend since 2012 (routes_trend.c): hinge model, else Theil-Sen and
         * Mann-Kendall from 2012, in the indicator's direction (neutral ones as
         * higher-is-better: "improving" then means rising) */
        {
            double ty[WB_TREND_MAX_YEARS], tv[WB_TREND_MAX_YEARS];
            size_t tn = 0;
            for (size_t k = lo; k < end && tn < WB_TREND_MAX_YEARS; k++)
                if (!isnan(mine.v[k].value)) {
                    ty[tn] = mine.v[k].year;
                    tv[tn++] = mine.v[k].value;
                }
            wb_web__trend_member(&j, ty, tv, tn, d->direction, 2012);
        }
        wb_json_key(&j, "series");
        wb_json_arr_open(&j);
        for (size_t k = lo; k < end; k++) {
            wb_json_obj_open(&j);
            wb_json_kint(&j, "year", mine.v[k].year);
            wb_json_knum(&j, "value", mine.v[k].value);
            ref_values(&j, &pobs, &nobs, &means, d->id, mine.v[k].year);
            wb_json_obj_close(&j);
        }
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
    }
    if (csv) {
        char fn[96];
        snprintf(fn, sizeof fn, "wijkbeeld-%s-%d.csv", a->code, a->year);
        error = csv_done(resp, fn);
    } else {
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
        error = json_done(&j);
    }
done:
    wb_areas_free(a, 1);
    wb_areas_free(par, par ? 1 : 0);
    wb_areas_free(nat, nat ? 1 : 0);
    wb_label_sets_free(sets, nsets);
    wb_free(mv);
    wb_free(pv);
    wb_free(nv);
    wb_blob__unref(lm);
    wb_blob__unref(cat);
    return error;
}

/* ---------------------------------------------------------------- /api/geojson */

/* Simplification tolerance per level, in metres (topology-preserving, so neighbours keep
 * their shared borders): below a pixel when a municipality (buurten) or the country
 * (gemeenten) fills a laptop screen. */
static double tolerance_m(wb_level level)
{
    switch (level) {
    case WB_LEVEL_LAND: return 200;
    case WB_LEVEL_GEMEENTE: return 50;
    case WB_LEVEL_WIJK: return 15;
    default: return 4;
    }
}

/* The library's GeoJSON writer (wijkbeeld/geoio.h), WGS84 with 5 decimals (about 1 m). A
 * whole layer is cached per store generation; one area (code=) is a download. */
static int h_geojson(wb_req *req, wb_resp *resp)
{
    wb_level level = wb_req_level(req, "level");
    int year = (int)wb_req_int(req, "year");
    const char *code = wb_req_has(req, "code") ? wb_req_text(req, "code") : NULL;
    char key[96];
    snprintf(key, sizeof key, "geojson:%s:%d", wb_level_name(level), year);
    uint64_t gen = wb_web__generation(req->srv);
    if (!code && (resp->blob = wb_web__cache_get(req->srv, key, gen)))
        return 0;
    wb_geojson_opts o = WB_GEOJSON_OPTS_INIT;
    o.precision = 5;
    o.simplify = tolerance_m(level);
    wb_str out = WB_STR_INIT;
    int error;
    if (!code) {
        error = wb_geojson_export(wb_write_to_str, &out, req->db->st, level, year, NULL, 0, &o, NULL);
    } else {
        wb_layer layer = WB_LAYER_INIT;
        if ((error = wb_store_layer_load(req->db->st, &layer, level, year)) < 0)
            return error;
        size_t i = 0;
        while (i < layer.n && strcmp(layer.codes[i], code))
            i++;
        if (i == layer.n) {
            wb_error_set(WB_ERRCLASS_GEO, "no geometry for %s in %d", code, year);
            error = WB_ENOTFOUND;
        } else {
            /* a one-area view into the layer */
            wb_layer one = {1, &layer.codes[i], &layer.names[i], &layer.geoms[i], year, level};
            error = wb_geojson_write(wb_write_to_str, &out, &one, NULL, &o, NULL);
        }
        wb_layer_dispose(&layer);
    }
    if (error < 0) {
        wb_str_dispose(&out);
        return error;
    }
    if (code) {
        resp->body = out;
        resp->type = "application/geo+json";
        snprintf(resp->filename, sizeof resp->filename, "wijkbeeld-%s-%d.geojson", code, year);
        return 0;
    }
    size_t len = out.len;
    wb_blob *b;
    if ((error = wb_blob__new(&b, (unsigned char *)wb_str_detach(&out), len, "application/geo+json")) < 0)
        return error;
    wb_web__cache_put(req->srv, key, gen, b);
    resp->blob = b;
    return 0;
}

/* ---------------------------------------------------------------- the table */

#define P_LEVEL(flags) {"level", WB_PARAM_LEVEL, (flags), 0, 0, NULL}
#define P_YEAR(name, flags) {name, WB_PARAM_YEAR, (flags), 0, 0, NULL}
#define P_CODE(name, flags) {name, WB_PARAM_CODE, (flags), 0, 0, NULL}
#define P_INDICATOR(flags) {"indicator", WB_PARAM_INDICATOR, (flags), 0, 0, NULL}
#define P_FORMAT {"format", WB_PARAM_ENUM, 0, 0, 0, formats}
#define P_END {NULL, WB_PARAM__MAX, 0, 0, 0, NULL}

static const char *const within_levels[] = {"gemeente", "wijk", "buurt", "none", NULL};
static const char *const excess_names[] = {"error", "drop", "clamp", NULL}; /* as wb_seg_excess */
static const char *const initiative_statuses[] = {"idee", "gepland", "lopend", "afgerond", "gestopt", NULL};
static const char *const proposal_statuses[] = {"open", "adopted", "declined", "hidden", NULL};

/* ids up to 2^53 - 1, so that JavaScript reads them exactly */
#define P_POSINT(name, flags) {name, WB_PARAM_INT, (flags), 1, 9007199254740991L, NULL}
#define P_ID P_POSINT("id", WB_P_PATH | WB_P_REQUIRED)
#define P_NAME(name) {name, WB_PARAM_NAME, 0, 0, 100, NULL}
#define W WB_ROUTE_WRITE
#define C WB_ROUTE_CSRF
#define B WB_ROUTE_BODY_JSON

static const char *const effort_splits[] = {"population", "even", NULL};

const wb_route wb_web__routes[] = {
    {"GET", "/api/indicators", h_indicators, 0, WB_AUTH_MONITOR, {P_END}},
    {"GET", "/api/areas", h_areas, 0, WB_AUTH_MONITOR,
     {P_LEVEL(0), P_YEAR("year", 0), P_CODE("parent", 0), P_END}},
    {"GET", "/api/areas/{code}", h_profile, 0, WB_AUTH_MONITOR,
     {P_CODE("code", WB_P_PATH | WB_P_REQUIRED), P_YEAR("year", 0), P_FORMAT, P_END}},
    {"GET", "/api/values", h_values, 0, WB_AUTH_MONITOR,
     {P_INDICATOR(WB_P_REQUIRED), P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED),
      P_YEAR("boundary_year", 0), P_FORMAT, P_END}},
    {"GET", "/api/series", h_series, 0, WB_AUTH_MONITOR,
     {P_CODE("code", WB_P_REQUIRED), P_INDICATOR(WB_P_REQUIRED), P_YEAR("year", 0), P_END}},
    {"GET", "/api/geojson", h_geojson, 0, WB_AUTH_MONITOR,
     {P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_CODE("code", 0), P_END}},
    {"GET", "/api/segregation", wb_web__h_segregation, 0, WB_AUTH_MONITOR,
     {{"groups", WB_PARAM_KEYLIST, WB_P_REQUIRED, 1, WB_SEG_GROUPS_MAX, NULL},
      {"total", WB_PARAM_INDICATOR, 0, 0, 0, NULL},
      {"other", WB_PARAM_INT, 0, 0, 1, NULL},
      {"in", WB_PARAM_CODE, 0, 0, 0, NULL},
      {"unit", WB_PARAM_LEVEL, 0, 0, 0, NULL},
      {"by", WB_PARAM_LEVEL, 0, 0, 0, NULL},
      {"within", WB_PARAM_ENUM, 0, 0, 0, within_levels},
      P_YEAR("from", 0), P_YEAR("to", 0), P_YEAR("boundary_year", 0),
      {"excess", WB_PARAM_ENUM, 0, 0, 0, excess_names}, P_END}},
    {"GET", "/api/labels", wb_web__h_labels, 0, WB_AUTH_MONITOR, {P_END}},
    /* issue 7: gaps, overlaps, effort against need, effect of an initiative (routes_effort.c);
     * they read the register */
    {"GET", "/api/gaps", wb_web__h_gaps, 0, WB_AUTH_REGISTER,
     {{"model", WB_PARAM_INDICATOR, 0, 0, 0, NULL}, P_LEVEL(0), P_YEAR("year", 0), P_YEAR("break", 0),
      P_YEAR("boundary_year", 0), P_CODE("code", 0), {"all", WB_PARAM_INT, 0, 0, 1, NULL},
      {"lisa", WB_PARAM_INT, 0, 0, 1, NULL}, P_END}},
    {"GET", "/api/overlaps", wb_web__h_overlaps, 0, WB_AUTH_REGISTER,
     {P_YEAR("year", 0), {"status", WB_PARAM_KEYLIST, 0, 0, 5, NULL}, {"neighbours", WB_PARAM_INT, 0, 0, 1, NULL},
      P_END}},
    {"GET", "/api/effort", wb_web__h_effort, 0, WB_AUTH_REGISTER,
     {P_YEAR("year", WB_P_REQUIRED), {"model", WB_PARAM_INDICATOR, 0, 0, 0, NULL}, P_LEVEL(0),
      P_YEAR("boundary_year", 0), {"split", WB_PARAM_ENUM, 0, 0, 0, effort_splits}, P_END}},
    {"GET", "/api/initiatives/{id}/effect", wb_web__h_effect, 0, WB_AUTH_REGISTER,
     {{"id", WB_PARAM_INT, WB_P_PATH | WB_P_REQUIRED, 1, 0x7fffffffL, NULL},
      {"seed", WB_PARAM_INT, 0, 0, 0x7fffffffL, NULL}, {"draws", WB_PARAM_INT, 0, 0, 9999, NULL}, P_END}},
    {"GET", "/api/models", wb_web__h_models, 0, WB_AUTH_MONITOR, {P_END}},
    {"GET", "/api/score", wb_web__h_score, 0, WB_AUTH_MONITOR,
     {{"model", WB_PARAM_INDICATOR, WB_P_REQUIRED, 0, 0, NULL}, P_LEVEL(WB_P_REQUIRED),
      P_YEAR("year", 0), P_YEAR("boundary_year", 0), P_END}},
    {"GET", "/api/explain", wb_web__h_explain, 0, WB_AUTH_MONITOR,
     {{"model", WB_PARAM_INDICATOR, WB_P_REQUIRED, 0, 0, NULL}, P_CODE("code", WB_P_REQUIRED),
      P_YEAR("year", 0), P_YEAR("boundary_year", 0), P_END}},
    {"GET", "/api/compare", wb_web__h_compare, 0, WB_AUTH_MONITOR,
     {{"label", WB_PARAM_NAME, WB_P_REQUIRED, 0, 100, NULL}, P_INDICATOR(WB_P_REQUIRED),
      P_LEVEL(WB_P_REQUIRED), P_YEAR("year", 0), P_END}},
    /* map classes, spatial statistics, trends: routes_spatial.c, routes_trend.c; monitor data,
     * so readable as the other monitor routes are (WB_AUTH_MONITOR) */
#define P_SOURCE P_INDICATOR(0), {"model", WB_PARAM_INDICATOR, 0, 0, 0, NULL}
#define P_WEIGHTS {"weights", WB_PARAM_ENUM, 0, 0, 0, wb_web__weight_types}, {"k", WB_PARAM_INT, 0, 1, 50, NULL}
#define P_PERM {"permutations", WB_PARAM_INT, 0, 0, 9999, NULL}, {"seed", WB_PARAM_INT, 0, 0, 2147483647L, NULL}
#define P_ALPHA {"alpha", WB_PARAM_ENUM, 0, 0, 0, wb_web__alphas}, {"fdr", WB_PARAM_INT, 0, 0, 1, NULL}
#define P_BIVARIATE {"bivariate", WB_PARAM_INDICATOR, 0, 0, 0, NULL}
#define P_SPACETIME P_INDICATOR(WB_P_REQUIRED), P_LEVEL(WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_YEAR("from", 0), \
    P_YEAR("to", 0), P_WEIGHTS
    {"GET", "/api/classes", wb_web__h_classes, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0),
      {"method", WB_PARAM_ENUM, 0, 0, 0, wb_web__methods}, {"k", WB_PARAM_INT, 0, 3, 9, NULL}, P_END}},
    {"GET", "/api/lisa", wb_web__h_lisa, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_WEIGHTS,
      P_PERM, P_ALPHA, P_BIVARIATE, P_END}},
    {"GET", "/api/moran", wb_web__h_moran, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_WEIGHTS,
      P_PERM, P_BIVARIATE, P_END}},
    {"GET", "/api/getis", wb_web__h_getis, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_WEIGHTS,
      {"star", WB_PARAM_INT, 0, 0, 1, NULL}, P_ALPHA, P_END}},
    /* space and time together (routes_spacetime.c) */
    {"GET", "/api/markov", wb_web__h_markov, 0, WB_AUTH_MONITOR,
     {P_SPACETIME, {"classes", WB_PARAM_INT, 0, 2, 20, NULL}, P_YEAR("break", 0), {"spatial", WB_PARAM_INT, 0, 0, 1, NULL},
      {"lisa", WB_PARAM_INT, 0, 0, 1, NULL}, {"lag_classes", WB_PARAM_INT, 0, 2, 9, NULL}, P_CODE("in", 0),
      P_CODE("code", 0), P_END}},
    {"GET", "/api/hotspots", wb_web__h_hotspots, 0, WB_AUTH_MONITOR, {P_SPACETIME, P_ALPHA, P_END}},
    {"GET", "/api/trend", wb_web__h_trend, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_CODE("code", 0), P_YEAR("break", 0), P_END}},
    {"GET", "/api/scorecard", wb_web__h_scorecard, 0, WB_AUTH_MONITOR,
     {{"model", WB_PARAM_INDICATOR, WB_P_REQUIRED, 0, 0, NULL}, P_CODE("code", WB_P_REQUIRED), P_YEAR("year", 0),
      P_YEAR("boundary_year", 0), P_END}},
    /* OGC API Features (routes_ogc.c, docs/ogc.md): the monitor's layers for QGIS and GDAL */
#define P_OGC_F {"f", WB_PARAM_ENUM, 0, 0, 0, wb_web__ogc_formats}
#define P_OGC_COLL {"collectionId", WB_PARAM_NAME, WB_P_PATH | WB_P_REQUIRED, 0, 64, NULL}
#define P_OGC_VALUES {"properties", WB_PARAM_KEYLIST, 0, 0, 64, NULL}, P_YEAR("year", 0), \
        {"datetime", WB_PARAM_NAME, 0, 0, 100, NULL}
    {"GET", "/ogc", wb_web__h_ogc_landing, 0, WB_AUTH_MONITOR, {P_OGC_F, P_END}},
    {"GET", "/ogc/", wb_web__h_ogc_landing, 0, WB_AUTH_MONITOR, {P_OGC_F, P_END}},
    {"GET", "/ogc/api", wb_web__h_ogc_api, 0, WB_AUTH_MONITOR, {P_OGC_F, P_END}},
    {"GET", "/ogc/conformance", wb_web__h_ogc_conformance, 0, WB_AUTH_MONITOR, {P_OGC_F, P_END}},
    {"GET", "/ogc/collections", wb_web__h_ogc_collections, 0, WB_AUTH_MONITOR, {P_OGC_F, P_END}},
    {"GET", "/ogc/collections/{collectionId}", wb_web__h_ogc_collection, 0, WB_AUTH_MONITOR,
     {P_OGC_COLL, P_OGC_F, P_END}},
    {"GET", "/ogc/collections/{collectionId}/schema", wb_web__h_ogc_schema, 0, WB_AUTH_MONITOR,
     {P_OGC_COLL, P_OGC_F, P_END}},
    {"GET", "/ogc/collections/{collectionId}/items", wb_web__h_ogc_items, 0, WB_AUTH_MONITOR,
     {P_OGC_COLL, {"limit", WB_PARAM_INT, 0, 1, 2147483647L, NULL}, {"offset", WB_PARAM_INT, 0, 0, 2147483647L, NULL},
      {"bbox", WB_PARAM_NAME, 0, 0, 200, NULL}, P_OGC_VALUES, P_OGC_F, P_END}},
    {"GET", "/ogc/collections/{collectionId}/items/{featureId}", wb_web__h_ogc_item, 0, WB_AUTH_MONITOR,
     {P_OGC_COLL, {"featureId", WB_PARAM_NAME, WB_P_PATH | WB_P_REQUIRED, 0, 64, NULL}, P_OGC_VALUES, P_OGC_F, P_END}},

    /* the register and accounts (issue 6, routes_collab.c); W = WB_ROUTE_WRITE, C = CSRF,
     * B = JSON body */
    {"POST", "/api/login", wb_web__h_login, W | B | WB_ROUTE_OWN_TX, WB_AUTH_PUBLIC, {P_END}},
    {"POST", "/api/logout", wb_web__h_logout, W | C | WB_ROUTE_OWN_TX, WB_AUTH_LOGIN, {P_END}},
    {"GET", "/api/me", wb_web__h_me, 0, WB_AUTH_PUBLIC, {P_END}},
    {"POST", "/api/me/password", wb_web__h_password, W | C | B | WB_ROUTE_OWN_TX, WB_AUTH_LOGIN, {P_END}},
    {"GET", "/api/initiatives", wb_web__h_initiatives, 0, WB_AUTH_REGISTER,
     {P_NAME("theme"), P_POSINT("partner", 0), {"status", WB_PARAM_ENUM, 0, 0, 0, initiative_statuses},
      P_CODE("area", 0), P_YEAR("year", 0), P_YEAR("active", 0), P_END}},
    {"POST", "/api/initiatives", wb_web__h_initiative_add, W | C | B, WB_AUTH_LOGIN, {P_END}},
    {"GET", "/api/initiatives/{id}", wb_web__h_initiative_get, 0, WB_AUTH_REGISTER, {P_ID, P_END}},
    {"PUT", "/api/initiatives/{id}", wb_web__h_initiative_put, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"PATCH", "/api/initiatives/{id}", wb_web__h_initiative_put, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"DELETE", "/api/initiatives/{id}", wb_web__h_initiative_delete, W | C, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"GET", "/api/initiatives/{id}/milestones", wb_web__h_milestones, 0, WB_AUTH_REGISTER, {P_ID, P_END}},
    {"POST", "/api/initiatives/{id}/milestones", wb_web__h_milestone_add, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"PUT", "/api/milestones/{id}", wb_web__h_milestone_put, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"GET", "/api/initiatives/{id}/contributions", wb_web__h_contributions, 0, WB_AUTH_REGISTER, {P_ID, P_END}},
    {"POST", "/api/initiatives/{id}/contributions", wb_web__h_contribution_add, W | C | B, WB_AUTH_LOGIN,
     {P_ID, P_END}},
    {"PUT", "/api/contributions/{id}", wb_web__h_contribution_put, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"DELETE", "/api/contributions/{id}", wb_web__h_contribution_delete, W | C, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"GET", "/api/initiatives/{id}/coalitions", wb_web__h_initiative_coalitions, 0, WB_AUTH_REGISTER,
     {P_ID, P_END}},
    {"GET", "/api/coalitions", wb_web__h_coalitions, 0, WB_AUTH_REGISTER,
     {P_POSINT("initiative", 0), P_YEAR("year", 0), P_END}},
    {"GET", "/api/coalitions/matrix", wb_web__h_matrix, 0, WB_AUTH_REGISTER, {P_YEAR("year", 0), P_END}},
    {"GET", "/api/partners", wb_web__h_partners, 0, WB_AUTH_REGISTER, {P_END}},
    {"POST", "/api/partners", wb_web__h_partner_add, W | C | B, WB_AUTH_LOGIN, {P_END}},
    {"GET", "/api/partners/{id}", wb_web__h_partner_get, 0, WB_AUTH_REGISTER, {P_ID, P_END}},
    {"PUT", "/api/partners/{id}", wb_web__h_partner_put, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"GET", "/api/themes", wb_web__h_themes, 0, WB_AUTH_REGISTER, {P_END}},
    {"POST", "/api/themes", wb_web__h_theme_add, W | C | B, WB_AUTH_LOGIN, {P_END}},
    {"GET", "/api/proposals", wb_web__h_proposals, 0, WB_AUTH_REGISTER,
     {{"status", WB_PARAM_ENUM, 0, 0, 0, proposal_statuses}, P_CODE("area", 0), P_YEAR("year", 0),
      P_NAME("theme"), P_END}},
    {"POST", "/api/proposals", wb_web__h_proposal_add, W | C | B, WB_AUTH_LOGIN, {P_END}},
    {"GET", "/api/proposals/{id}", wb_web__h_proposal_get, 0, WB_AUTH_REGISTER, {P_ID, P_END}},
    {"POST", "/api/proposals/{id}/support", wb_web__h_proposal_support, W | C, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"POST", "/api/proposals/{id}/adopt", wb_web__h_proposal_adopt, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"POST", "/api/proposals/{id}/decline", wb_web__h_proposal_decline, W | C | B, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"POST", "/api/proposals/{id}/hide", wb_web__h_proposal_hide, W | C, WB_AUTH_LOGIN, {P_ID, P_END}},
    {"GET", "/api/areas/{code}/register", wb_web__h_area_register, 0, WB_AUTH_REGISTER,
     {P_CODE("code", WB_P_PATH | WB_P_REQUIRED), P_YEAR("year", 0), P_END}},
    {"GET", "/api/users", wb_web__h_users, 0, WB_AUTH_LOGIN, {P_END}},
    {"POST", "/api/users", wb_web__h_user_add, W | C | B, WB_AUTH_LOGIN, {P_END}},
    {"POST", "/api/users/{name}/disable", wb_web__h_user_disable, W | C | B, WB_AUTH_LOGIN,
     {{"name", WB_PARAM_NAME, WB_P_PATH | WB_P_REQUIRED, 0, 64, NULL}, P_END}},
    {"PUT", "/api/settings", wb_web__h_settings_put, W | C | B, WB_AUTH_LOGIN, {P_END}},
    {"GET", "/api/audit", wb_web__h_audit, 0, WB_AUTH_LOGIN,
     {P_NAME("entity"), P_POSINT("id", 0), {"limit", WB_PARAM_INT, 0, 1, 10000, NULL}, P_END}},
};

const size_t wb_web__nroutes = sizeof wb_web__routes / sizeof wb_web__routes[0];
