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

#include "store/store_internal.h"
#include "web/json.h"
#include "web/source.h"
#include "web/web_internal.h"
#include "wijkbeeld/geoio.h"
#include "wijkbeeld/segregation.h"
#include "wijkbeeld/trend.h"

/* ---------------------------------------------------------------- SQL */

static const char *const sql[WB_Q__MAX] = {
    [WB_Q_AREA_GET] = "SELECT a.id, a.code, a.year, a.level, a.name, a.parent, "
                      "EXISTS (SELECT 1 FROM geometry g WHERE g.area_id = a.id) "
                      "FROM area a WHERE a.code = ?1 AND (?2 = 0 OR a.year = ?2) "
                      "ORDER BY a.year DESC LIMIT 1",
    [WB_Q_AREA_OBS] = "SELECT o.indicator_id, o.year, o.value FROM observation o "
                      "WHERE o.area_id = ?1 ORDER BY o.indicator_id, o.year",
    [WB_Q_INDICATORS] = "SELECT id, key, label_nl, label_en, unit, direction, dimension, source "
                        "FROM indicator ORDER BY key",
    [WB_Q_LABELS] = "SELECT l.name, l.description FROM label_member m JOIN label_set l "
                    "ON l.id = m.set_id WHERE m.area_id = ?1 ORDER BY l.name",
    [WB_Q_VALUES] = "SELECT a.code, o.value FROM observation o JOIN area a ON a.id = o.area_id "
                    "WHERE o.indicator_id = ?1 AND o.year = ?2 AND a.year = ?3 AND a.level = ?4 "
                    "AND o.value IS NOT NULL ORDER BY a.code",
    [WB_Q_VALUES_BYEAR] = "SELECT a.year FROM observation o JOIN area a ON a.id = o.area_id "
                          "WHERE o.indicator_id = ?1 AND o.year = ?2 AND a.level = ?3 "
                          "AND o.value IS NOT NULL GROUP BY a.year "
                          "ORDER BY count(*) DESC, a.year DESC LIMIT 1",
    [WB_Q_SERIES] = "SELECT o.year, o.value FROM observation o WHERE o.area_id = ?1 "
                    "AND o.indicator_id = ?2 ORDER BY o.year",
    [WB_Q_AREAS] = "SELECT a.code, a.year, a.level, a.name, a.parent FROM area a "
                   "WHERE (?1 IS NULL OR a.level = ?1) AND (?2 = 0 OR a.year = ?2) "
                   "AND (?3 IS NULL OR a.parent = ?3) ORDER BY a.year, a.code",
};

sqlite3_stmt *wb_webdb__stmt(wb_webdb *db, int which)
{
    if (!db->q[which]) {
        sqlite3 *h = wb_store__db(db->st);
        if (sqlite3_prepare_v3(h, sql[which], -1, SQLITE_PREPARE_PERSISTENT, &db->q[which], NULL) !=
            SQLITE_OK) {
            wb_store__error(db->st, "preparing an API query");
            return NULL;
        }
    }
    sqlite3_reset(db->q[which]);
    sqlite3_clear_bindings(db->q[which]);
    return db->q[which];
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static double col_value(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

static int step_error(wb_webdb *db, sqlite3_stmt *s, int rc, const char *what)
{
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return 0;
    return wb_store__error(db->st, what);
}

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

typedef struct {
    int64_t id;
    char code[WB_CODE_MAX];
    int year;
    char level[16];
    char *name;
    char parent[WB_CODE_MAX];
    int has_geometry;
} area_row;

/* An area by code and boundary year (0: the latest); WB_ENOTFOUND when absent. */
static int area_get(wb_webdb *db, area_row *a, const char *code, int year)
{
    memset(a, 0, sizeof *a);
    sqlite3_stmt *s = wb_webdb__stmt(db, WB_Q_AREA_GET);
    if (!s)
        return WB_ESTORE;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        int error = step_error(db, s, rc, "reading an area");
        if (error < 0)
            return error;
        if (year)
            wb_error_set(WB_ERRCLASS_STORE, "no area %s with boundaries of %d", code, year);
        else
            wb_error_set(WB_ERRCLASS_STORE, "no area %s", code);
        return WB_ENOTFOUND;
    }
    a->id = sqlite3_column_int64(s, 0);
    snprintf(a->code, sizeof a->code, "%s", col_text(s, 1));
    a->year = sqlite3_column_int(s, 2);
    snprintf(a->level, sizeof a->level, "%s", col_text(s, 3) ? col_text(s, 3) : "");
    a->name = col_text(s, 4) ? wb_strdup(col_text(s, 4)) : NULL;
    snprintf(a->parent, sizeof a->parent, "%s", col_text(s, 5) ? col_text(s, 5) : "");
    a->has_geometry = sqlite3_column_int(s, 6);
    sqlite3_reset(s);
    return 0;
}

static void area_json(wb_json *j, const area_row *a)
{
    wb_json_obj_open(j);
    wb_json_kstr(j, "code", a->code);
    wb_json_kint(j, "year", a->year);
    wb_json_kstr(j, "level", a->level);
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
    sqlite3 *h = wb_store__db(req->db->st);
    sqlite3_stmt *cov = NULL;
    sqlite3_stmt *s = wb_webdb__stmt(req->db, WB_Q_INDICATORS);
    if (!s)
        return WB_ESTORE;
    int error = 0;
    if (sqlite3_prepare_v2(h,
                           "SELECT a.level, o.year, a.year, count(o.value) FROM observation o "
                           "JOIN area a ON a.id = o.area_id WHERE o.indicator_id = ?1 "
                           "GROUP BY a.level, o.year, a.year ORDER BY a.level, o.year, a.year",
                           -1, &cov, NULL) != SQLITE_OK)
        return wb_store__error(req->db->st, "preparing the coverage query");
    wb_str out = WB_STR_INIT;
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_arr_open(&j);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "key", col_text(s, 1));
        wb_json_kstr(&j, "label_nl", col_text(s, 2));
        wb_json_kstr(&j, "label_en", col_text(s, 3));
        wb_json_kstr(&j, "unit", col_text(s, 4));
        wb_json_kint(&j, "direction", sqlite3_column_int(s, 5));
        wb_json_kstr(&j, "dimension", col_text(s, 6));
        wb_json_kstr(&j, "source", col_text(s, 7));
        wb_json_key(&j, "coverage");
        wb_json_arr_open(&j);
        sqlite3_reset(cov);
        sqlite3_bind_int64(cov, 1, sqlite3_column_int64(s, 0));
        int rc2;
        while ((rc2 = sqlite3_step(cov)) == SQLITE_ROW) {
            if (sqlite3_column_int(cov, 3) == 0)
                continue; /* only missing values */
            wb_json_obj_open(&j);
            wb_json_kstr(&j, "level", col_text(cov, 0));
            wb_json_kint(&j, "year", sqlite3_column_int(cov, 1));
            wb_json_kint(&j, "boundary_year", sqlite3_column_int(cov, 2));
            wb_json_kint(&j, "n", sqlite3_column_int(cov, 3));
            wb_json_obj_close(&j);
        }
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
        if (rc2 != SQLITE_DONE) {
            error = wb_store__error(req->db->st, "reading coverage");
            break;
        }
    }
    if (!error)
        error = step_error(req->db, s, rc, "listing indicators");
    sqlite3_finalize(cov);
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
    sqlite3_stmt *s = wb_webdb__stmt(req->db, WB_Q_AREAS);
    if (!s)
        return WB_ESTORE;
    if (wb_req_has(req, "level"))
        sqlite3_bind_text(s, 1, wb_level_name(wb_req_level(req, "level")), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, (int)wb_req_int(req, "year"));
    if (wb_req_has(req, "parent"))
        sqlite3_bind_text(s, 3, wb_req_text(req, "parent"), -1, SQLITE_STATIC);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", col_text(s, 0));
        wb_json_kint(&j, "year", sqlite3_column_int(s, 1));
        wb_json_kstr(&j, "level", col_text(s, 2));
        wb_json_kstr(&j, "name", col_text(s, 3));
        wb_json_kstr(&j, "parent", col_text(s, 4));
        wb_json_obj_close(&j);
    }
    int error = step_error(req->db, s, rc, "listing areas");
    wb_json_arr_close(&j);
    return error < 0 ? error : json_done(&j);
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
    sqlite3_stmt *s;
    if (!byear) {
        /* the boundary year with the most values for this data year (a back-series such as
         * Leefbaarometer's gives 2012 values on 2016 boundaries) */
        if (!(s = wb_webdb__stmt(req->db, WB_Q_VALUES_BYEAR)))
            return WB_ESTORE;
        sqlite3_bind_int64(s, 1, ind);
        sqlite3_bind_int(s, 2, year);
        sqlite3_bind_text(s, 3, wb_level_name(level), -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            byear = sqlite3_column_int(s, 0);
        if ((error = step_error(req->db, s, rc == SQLITE_ROW ? SQLITE_DONE : rc, "choosing boundaries")) < 0)
            return error;
    }
    if (!(s = wb_webdb__stmt(req->db, WB_Q_VALUES)))
        return WB_ESTORE;
    sqlite3_bind_int64(s, 1, ind);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int(s, 3, byear);
    sqlite3_bind_text(s, 4, wb_level_name(level), -1, SQLITE_STATIC);
    wb_str out = WB_STR_INIT;
    wb_json j;
    wb_json_init(&j, &out);
    if (csv)
        wb_str_puts(&out, "code,value\r\n");
    else
        wb_json_arr_open(&j);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (csv) {
            csv_text(&out, col_text(s, 0), 0);
            csv_num(&out, col_value(s, 1), 1);
            continue;
        }
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", col_text(s, 0));
        wb_json_knum(&j, "value", col_value(s, 1));
        wb_json_obj_close(&j);
    }
    error = step_error(req->db, s, rc, "reading values");
    if (!error && !csv) {
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
    area_row a;
    if ((error = area_get(req->db, &a, wb_req_text(req, "code"), (int)wb_req_int(req, "year"))) < 0)
        return error;
    sqlite3_stmt *s = wb_webdb__stmt(req->db, WB_Q_SERIES);
    if (!s) {
        wb_free(a.name);
        return WB_ESTORE;
    }
    sqlite3_bind_int64(s, 1, a.id);
    sqlite3_bind_int64(s, 2, ind);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "code", a.code);
    wb_json_kint(&j, "boundary_year", a.year);
    wb_json_kstr(&j, "indicator", key);
    wb_json_key(&j, "series");
    wb_json_arr_open(&j);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "year", sqlite3_column_int(s, 0));
        wb_json_knum(&j, "value", col_value(s, 1));
        wb_json_obj_close(&j);
    }
    error = step_error(req->db, s, rc, "reading a series");
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    wb_free(a.name);
    return error < 0 ? error : json_done(&j);
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

typedef struct {
    int64_t ind;
    int year;
    double v;
} obs;

typedef struct {
    obs *v;
    size_t n, cap;
} obs_list;

static int obs_load(wb_webdb *db, obs_list *l, int64_t area_id)
{
    l->n = 0;
    if (!area_id)
        return 0;
    sqlite3_stmt *s = wb_webdb__stmt(db, WB_Q_AREA_OBS);
    if (!s)
        return WB_ESTORE;
    sqlite3_bind_int64(s, 1, area_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (l->n == l->cap) {
            size_t nc = l->cap ? l->cap * 2 : 128;
            obs *nv = wb_realloc(l->v, nc * sizeof *nv);
            if (!nv) {
                sqlite3_reset(s);
                return WB_ENOMEM;
            }
            l->v = nv;
            l->cap = nc;
        }
        l->v[l->n].ind = sqlite3_column_int64(s, 0);
        l->v[l->n].year = sqlite3_column_int(s, 1);
        l->v[l->n].v = col_value(s, 2);
        l->n++;
    }
    return step_error(db, s, rc, "reading observations");
}

/* The value for (indicator, year) in a list sorted by (indicator, year); NaN when absent. */
static double obs_find(const obs_list *l, int64_t ind, int year)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const obs *o = &l->v[mid];
        if (o->ind < ind || (o->ind == ind && o->year < year))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < l->n && l->v[lo].ind == ind && l->v[lo].year == year)
        return l->v[lo].v;
    return NAN;
}

/* The unweighted mean of every area of one level and boundary year, per indicator and data
 * year: the reference when the store has no national (NL00) values. Cached per store
 * generation as a blob of sorted obs records. */
static int level_means(wb_req *req, wb_blob **out, const char *level, int byear)
{
    char key[64];
    snprintf(key, sizeof key, "levelmean:%s:%d", level, byear);
    uint64_t gen = wb_web__generation(req->srv);
    if ((*out = wb_web__cache_get(req->srv, key, gen)))
        return 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(wb_store__db(req->db->st),
                           "SELECT o.indicator_id, o.year, avg(o.value) FROM area a JOIN observation o "
                           "ON o.area_id = a.id WHERE a.level = ?1 AND a.year = ?2 AND o.value IS NOT NULL "
                           "GROUP BY o.indicator_id, o.year ORDER BY o.indicator_id, o.year",
                           -1, &s, NULL) != SQLITE_OK)
        return wb_store__error(req->db->st, "preparing level means");
    sqlite3_bind_text(s, 1, level, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, byear);
    obs_list l = {NULL, 0, 0};
    int rc, error = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (l.n == l.cap) {
            size_t nc = l.cap ? l.cap * 2 : 256;
            obs *nv = wb_realloc(l.v, nc * sizeof *nv);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            l.v = nv;
            l.cap = nc;
        }
        l.v[l.n].ind = sqlite3_column_int64(s, 0);
        l.v[l.n].year = sqlite3_column_int(s, 1);
        l.v[l.n].v = sqlite3_column_double(s, 2);
        l.n++;
    }
    if (!error && rc != SQLITE_DONE)
        error = wb_store__error(req->db->st, "computing level means");
    sqlite3_finalize(s);
    if (!error && !l.v && !(l.v = wb_malloc(sizeof *l.v)))
        error = WB_ENOMEM;
    if (error < 0) {
        wb_free(l.v);
        return error;
    }
    if ((error = wb_blob__new(out, (unsigned char *)l.v, l.n * sizeof *l.v, "application/octet-stream")) < 0)
        return error;
    wb_web__cache_put(req->srv, key, gen, *out);
    return 0;
}

typedef struct {
    int64_t id;
    char *key, *label_nl, *label_en, *unit, *dimension, *source;
    int direction;
} ind_row;

static void inds_free(ind_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        wb_free(v[i].key);
        wb_free(v[i].label_nl);
        wb_free(v[i].label_en);
        wb_free(v[i].unit);
        wb_free(v[i].dimension);
        wb_free(v[i].source);
    }
    wb_free(v);
}

static char *dup_or_null(const char *s)
{
    return s ? wb_strdup(s) : NULL;
}

static int inds_load(wb_webdb *db, ind_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = wb_webdb__stmt(db, WB_Q_INDICATORS);
    if (!s)
        return WB_ESTORE;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            ind_row *nv = wb_realloc(*out, cap * sizeof *nv);
            if (!nv) {
                sqlite3_reset(s);
                return WB_ENOMEM;
            }
            *out = nv;
        }
        ind_row *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(s, 0);
        r->key = dup_or_null(col_text(s, 1));
        r->label_nl = dup_or_null(col_text(s, 2));
        r->label_en = dup_or_null(col_text(s, 3));
        r->unit = dup_or_null(col_text(s, 4));
        r->direction = sqlite3_column_int(s, 5);
        r->dimension = dup_or_null(col_text(s, 6));
        r->source = dup_or_null(col_text(s, 7));
    }
    return step_error(db, s, rc, "listing indicators");
}

static void ref_values(wb_json *j, const obs_list *par, const obs_list *nat, const wb_blob *lm,
                       int64_t ind, int year)
{
    obs_list means = {lm ? (obs *)lm->data : NULL, lm ? lm->len / sizeof(obs) : 0, 0};
    wb_json_knum(j, "parent", obs_find(par, ind, year));
    wb_json_knum(j, "nation", obs_find(nat, ind, year));
    wb_json_knum(j, "level_mean", obs_find(&means, ind, year));
}

static int h_profile(wb_req *req, wb_resp *resp)
{
    area_row a, par, nat;
    memset(&par, 0, sizeof par);
    memset(&nat, 0, sizeof nat);
    ind_row *inds = NULL;
    size_t ninds = 0;
    obs_list mine = {0}, pobs = {0}, nobs = {0};
    wb_blob *lm = NULL;
    int error = area_get(req->db, &a, wb_req_text(req, "code"), (int)wb_req_int(req, "year"));
    if (error < 0)
        return error;
    int has_parent = 0, has_nation = 0;
    if (a.parent[0]) {
        error = area_get(req->db, &par, a.parent, a.year);
        if (error == 0)
            has_parent = 1;
        else if (error != WB_ENOTFOUND)
            goto done;
    }
    if (strcmp(a.code, "NL00")) {
        /* the nation of the same boundary year: NL00 of another data set (the demo's on its
         * own boundaries) must not stand in for it; the level mean does then */
        error = area_get(req->db, &nat, "NL00", a.year);
        if (error == 0)
            has_nation = 1;
        else if (error != WB_ENOTFOUND)
            goto done;
    }
    error = 0;
    if ((error = inds_load(req->db, &inds, &ninds)) < 0 || (error = obs_load(req->db, &mine, a.id)) < 0 ||
        (error = obs_load(req->db, &pobs, has_parent ? par.id : 0)) < 0 ||
        (error = obs_load(req->db, &nobs, has_nation ? nat.id : 0)) < 0 ||
        (error = level_means(req, &lm, a.level, a.year)) < 0)
        goto done;

    int csv = wb_req_int(req, "format") == 1;
    wb_json j;
    wb_json_init(&j, &resp->body);
    if (csv) {
        wb_str_puts(&resp->body, "code,name,indicator,label,unit,year,value,parent_value,"
                                 "nation_value,level_mean\r\n");
    } else {
        wb_json_obj_open(&j);
        wb_json_key(&j, "area");
        area_json(&j, &a);
        wb_json_key(&j, "parent");
        if (has_parent)
            area_json(&j, &par);
        else
            wb_json_null(&j);
        wb_json_key(&j, "nation");
        if (has_nation)
            area_json(&j, &nat);
        else
            wb_json_null(&j);
        wb_json_key(&j, "labels");
        wb_json_arr_open(&j);
        sqlite3_stmt *s = wb_webdb__stmt(req->db, WB_Q_LABELS);
        if (!s) {
            error = WB_ESTORE;
            goto done;
        }
        sqlite3_bind_int64(s, 1, a.id);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            wb_json_obj_open(&j);
            wb_json_kstr(&j, "name", col_text(s, 0));
            wb_json_kstr(&j, "description", col_text(s, 1));
            wb_json_obj_close(&j);
        }
        if ((error = step_error(req->db, s, rc, "reading labels")) < 0)
            goto done;
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
            if (mine.v[mid].ind < inds[i].id)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < mine.n && mine.v[end].ind == inds[i].id)
            end++;
        if (end == lo)
            continue;
        const ind_row *d = &inds[i];
        if (csv) {
            for (size_t k = lo; k < end; k++) {
                obs_list means = {lm ? (obs *)lm->data : NULL, lm ? lm->len / sizeof(obs) : 0, 0};
                char yr[16];
                snprintf(yr, sizeof yr, "%d", mine.v[k].year);
                csv_text(&resp->body, a.code, 0);
                csv_text(&resp->body, a.name, 0);
                csv_text(&resp->body, d->key, 0);
                csv_text(&resp->body, d->label_nl, 0);
                csv_text(&resp->body, d->unit, 0);
                csv_text(&resp->body, yr, 0);
                csv_num(&resp->body, mine.v[k].v, 0);
                csv_num(&resp->body, obs_find(&pobs, d->id, mine.v[k].year), 0);
                csv_num(&resp->body, obs_find(&nobs, d->id, mine.v[k].year), 0);
                csv_num(&resp->body, obs_find(&means, d->id, mine.v[k].year), 1);
            }
            continue;
        }
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "key", d->key);
        wb_json_kstr(&j, "label_nl", d->label_nl);
        wb_json_kstr(&j, "label_en", d->label_en);
        wb_json_kstr(&j, "unit", d->unit);
        wb_json_kint(&j, "direction", d->direction);
        wb_json_kstr(&j, "dimension", d->dimension);
        wb_json_kstr(&j, "source", d->source);
        wb_json_key(&j, "key_indicator");
        wb_json_bool(&j, key_rank(d->key) >= 0);
        /* latest: the last data year with a value */
        size_t last = end;
        for (size_t k = end; k-- > lo;)
            if (!isnan(mine.v[k].v)) {
                last = k;
                break;
            }
        wb_json_key(&j, "latest");
        if (last == end) {
            wb_json_null(&j);
        } else {
            wb_json_obj_open(&j);
            wb_json_kint(&j, "year", mine.v[last].year);
            wb_json_knum(&j, "value", mine.v[last].v);
            ref_values(&j, &pobs, &nobs, lm, d->id, mine.v[last].year);
            wb_json_obj_close(&j);
        }
        /* the trend since 2012 (routes_trend.c): hinge model, else Theil-Sen and
         * Mann-Kendall from 2012, in the indicator's direction (neutral ones as
         * higher-is-better: "improving" then means rising) */
        {
            double ty[WB_TREND_MAX_YEARS], tv[WB_TREND_MAX_YEARS];
            size_t tn = 0;
            for (size_t k = lo; k < end && tn < WB_TREND_MAX_YEARS; k++)
                if (!isnan(mine.v[k].v)) {
                    ty[tn] = mine.v[k].year;
                    tv[tn++] = mine.v[k].v;
                }
            wb_web__trend_member(&j, ty, tv, tn, d->direction, 2012);
        }
        wb_json_key(&j, "series");
        wb_json_arr_open(&j);
        for (size_t k = lo; k < end; k++) {
            wb_json_obj_open(&j);
            wb_json_kint(&j, "year", mine.v[k].year);
            wb_json_knum(&j, "value", mine.v[k].v);
            ref_values(&j, &pobs, &nobs, lm, d->id, mine.v[k].year);
            wb_json_obj_close(&j);
        }
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
    }
    if (csv) {
        char fn[96];
        snprintf(fn, sizeof fn, "wijkbeeld-%s-%d.csv", a.code, a.year);
        error = csv_done(resp, fn);
    } else {
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
        error = json_done(&j);
    }
done:
    wb_free(a.name);
    wb_free(par.name);
    wb_free(nat.name);
    inds_free(inds, ninds);
    wb_free(mine.v);
    wb_free(pobs.v);
    wb_free(nobs.v);
    wb_blob__unref(lm);
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
    {"GET", "/api/classes", wb_web__h_classes, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0),
      {"method", WB_PARAM_ENUM, 0, 0, 0, wb_web__methods}, {"k", WB_PARAM_INT, 0, 3, 9, NULL}, P_END}},
    {"GET", "/api/lisa", wb_web__h_lisa, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_WEIGHTS,
      P_PERM, P_ALPHA, P_END}},
    {"GET", "/api/moran", wb_web__h_moran, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_WEIGHTS,
      P_PERM, P_END}},
    {"GET", "/api/getis", wb_web__h_getis, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("year", WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_WEIGHTS,
      {"star", WB_PARAM_INT, 0, 0, 1, NULL}, P_ALPHA, P_END}},
    {"GET", "/api/trend", wb_web__h_trend, 0, WB_AUTH_MONITOR,
     {P_SOURCE, P_LEVEL(WB_P_REQUIRED), P_YEAR("boundary_year", 0), P_CODE("code", 0), P_YEAR("break", 0), P_END}},
    {"GET", "/api/scorecard", wb_web__h_scorecard, 0, WB_AUTH_MONITOR,
     {{"model", WB_PARAM_INDICATOR, WB_P_REQUIRED, 0, 0, NULL}, P_CODE("code", WB_P_REQUIRED), P_YEAR("year", 0),
      P_YEAR("boundary_year", 0), P_END}},

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
