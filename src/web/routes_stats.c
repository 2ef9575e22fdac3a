/**
 * @file
 * @brief API routes of the analyses: segregation over time (more follow as the score,
 * trend and spatial modules land). The routes are declared in the table in routes_api.c.
 *
 *   GET /api/segregation?groups=K1,K2[,..]&total=K&other=0|1&in=CODE&unit=buurt&by=gemeente
 *       &within=wijk|none&from=Y&to=Y&boundary_year=Y&excess=error|drop|clamp
 *   GET /api/labels                                   label sets with member counts
 *   GET /api/compare?label=NAME&indicator=K&level=L&year=B   a labelled set against the rest
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"
#include "web/json.h"
#include "web/web_internal.h"
#include "wijkbeeld/segregation.h"

int wb_web__h_segregation(wb_req *req, wb_resp *resp)
{
    wb_seg_query q = WB_SEG_QUERY_INIT;
    char groups[256];
    snprintf(groups, sizeof groups, "%s", wb_req_text(req, "groups"));
    /* the validator guaranteed 1..16 non-empty keys */
    q.ngroups = 0;
    for (char *p = groups; p && *p && q.ngroups < WB_SEG_GROUPS_MAX;) {
        q.groups[q.ngroups++] = p;
        char *comma = strchr(p, ',');
        if (comma)
            *comma++ = 0;
        p = comma;
    }
    if (wb_req_has(req, "total"))
        q.total = wb_req_text(req, "total");
    q.other = (int)wb_req_int(req, "other");
    if (wb_req_has(req, "unit"))
        q.unit_level = wb_req_level(req, "unit");
    if (wb_req_has(req, "by"))
        q.by_level = wb_req_level(req, "by");
    /* sub-areas of the decomposition: by default the level just above the units (as the CLI) */
    const char *within = wb_req_has(req, "within") ? wb_req_text(req, "within") : NULL;
    if (within && !strcmp(within, "none"))
        q.within_level = WB_LEVEL__MAX;
    else if (within)
        wb_level_parse(&q.within_level, within);
    else if (q.unit_level > WB_LEVEL_GEMEENTE && q.unit_level < WB_LEVEL_OTHER && q.by_level < q.unit_level - 1)
        q.within_level = (wb_level)(q.unit_level - 1);
    if (wb_req_has(req, "in"))
        q.in = wb_req_text(req, "in");
    q.year_from = (int)wb_req_int(req, "from");
    q.year_to = (int)wb_req_int(req, "to");
    if (q.year_from && q.year_to && q.year_from > q.year_to) {
        wb_resp_error(resp, 400, "to", "parameter 'to' (%d) is before 'from' (%d)", q.year_to, q.year_from);
        return WB_EINVALID;
    }
    q.boundary_year = (int)wb_req_int(req, "boundary_year");
    if (wb_req_has(req, "excess"))
        q.excess = (wb_seg_excess)wb_req_int(req, "excess");
    wb_seg_data d;
    int error = wb_seg_load(&d, req->db->st, &q);
    if (error < 0)
        return error;
    size_t K = d.ngroups;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_key(&j, "groups");
    wb_json_arr_open(&j);
    for (size_t x = 0; x < K; x++)
        wb_json_str(&j, d.group_keys[x]);
    wb_json_arr_close(&j);
    wb_json_kstr(&j, "total", d.total_key[0] ? d.total_key : NULL);
    wb_json_kstr(&j, "source", d.source);
    wb_json_kstr(&j, "unit_level", wb_level_name(q.unit_level));
    wb_json_kstr(&j, "by_level", wb_level_name(q.by_level));
    wb_json_kstr(&j, "within_level", q.within_level == WB_LEVEL__MAX ? NULL : wb_level_name(q.within_level));
    wb_json_key(&j, "results");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < d.nblocks && !error; i++) {
        const wb_seg_block *b = &d.blocks[i];
        wb_seg_result r;
        if ((error = wb_seg_compute(&r, b->counts, b->nunits, K, b->sub, b->nsub, NULL, NULL)) < 0)
            break;
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", b->parent);
        wb_json_kstr(&j, "name", b->parent_name);
        wb_json_kint(&j, "year", b->year);
        wb_json_kint(&j, "boundary_year", b->boundary_year);
        wb_json_kint(&j, "n_areas", (long long)b->n_areas);
        wb_json_kint(&j, "n_units", (long long)r.n_units);
        wb_json_kint(&j, "n_empty", (long long)r.n_empty);
        wb_json_kint(&j, "n_missing", (long long)b->n_missing);
        wb_json_kint(&j, "n_excess", (long long)b->n_excess);
        wb_json_knum(&j, "population", r.population);
        wb_json_knum(&j, "D", r.D);
        wb_json_knum(&j, "H", r.H);
        wb_json_knum(&j, "M", r.n_units ? r.M : NAN);
        wb_json_knum(&j, "M_between", r.M_between);
        wb_json_knum(&j, "M_within", r.M_within);
        wb_json_knum(&j, "between_share", b->sub && r.M > 0 ? r.M_between / r.M : NAN);
        wb_json_key(&j, "group_share");
        wb_json_arr_open(&j);
        for (size_t x = 0; x < K; x++)
            wb_json_num(&j, r.group_share[x]);
        wb_json_arr_close(&j);
        wb_json_key(&j, "isolation");
        wb_json_arr_open(&j);
        for (size_t x = 0; x < K; x++)
            wb_json_num(&j, r.exposure[x][x]);
        wb_json_arr_close(&j);
        wb_json_kstr(&j, "note", r.note && *r.note ? r.note : NULL);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    wb_seg_data_dispose(&d);
    return error < 0 ? error : wb_json_finish(&j);
}

/* ---------------------------------------------------------------- label sets */

/* GET /api/labels: [{name, description, n}] (members counted over every level and year). */
int wb_web__h_labels(wb_req *req, wb_resp *resp)
{
    sqlite3_stmt *s = NULL;
    if (wb_store__prepare(req->db->st, &s,
                          "SELECT l.name, l.description, count(m.area_id) FROM label_set l "
                          "LEFT JOIN label_member m ON m.set_id = l.id GROUP BY l.id ORDER BY l.name") < 0)
        return WB_ESTORE;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "name", (const char *)sqlite3_column_text(s, 0));
        wb_json_kstr(&j, "description", (const char *)sqlite3_column_text(s, 1));
        wb_json_kint(&j, "n", sqlite3_column_int(s, 2));
        wb_json_obj_close(&j);
    }
    int error = rc == SQLITE_DONE ? 0 : wb_store__error(req->db->st, "listing label sets");
    sqlite3_finalize(s);
    wb_json_arr_close(&j);
    return error < 0 ? error : wb_json_finish(&j);
}

/*
 * GET /api/compare?label=NAME&indicator=K&level=L&year=B: a labelled set against the rest
 * over time: per data year the unweighted mean of the members and of the other areas of
 * the same level and boundary year (default: the boundary year with most members there).
 */
int wb_web__h_compare(wb_req *req, wb_resp *resp)
{
    int64_t ind, set = 0;
    char key[64];
    const char *label = wb_req_text(req, "label");
    wb_level level = wb_req_level(req, "level");
    int error = wb_store_indicator_resolve(req->db->st, &ind, key, wb_req_text(req, "indicator"));
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    int byear = (int)wb_req_int(req, "year");
    if ((error = wb_store__prepare(req->db->st, &s,
                                   "SELECT l.id, (SELECT a.year FROM label_member m JOIN area a ON a.id = m.area_id "
                                   " WHERE m.set_id = l.id AND a.level = ?2 GROUP BY a.year "
                                   " ORDER BY count(*) DESC, a.year DESC LIMIT 1) FROM label_set l WHERE l.name = ?1")) < 0)
        return error;
    sqlite3_bind_text(s, 1, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, wb_level_name(level), -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        set = sqlite3_column_int64(s, 0);
        if (!byear)
            byear = sqlite3_column_int(s, 1);
    }
    sqlite3_finalize(s);
    if (!set) {
        wb_error_set(WB_ERRCLASS_STORE, "unknown label set '%s'", label);
        return WB_ENOTFOUND;
    }
    if ((error = wb_store__prepare(
             req->db->st, &s,
             "SELECT o.year, avg(CASE WHEN m.area_id IS NOT NULL THEN o.value END), "
             "count(CASE WHEN m.area_id IS NOT NULL THEN 1 END), "
             "avg(CASE WHEN m.area_id IS NULL THEN o.value END), count(CASE WHEN m.area_id IS NULL THEN 1 END) "
             "FROM area a JOIN observation o ON o.area_id = a.id "
             "LEFT JOIN label_member m ON m.area_id = a.id AND m.set_id = ?1 "
             "WHERE o.indicator_id = ?2 AND a.level = ?3 AND a.year = ?4 AND o.value IS NOT NULL "
             "GROUP BY o.year ORDER BY o.year")) < 0)
        return error;
    sqlite3_bind_int64(s, 1, set);
    sqlite3_bind_int64(s, 2, ind);
    sqlite3_bind_text(s, 3, wb_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, byear);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "label", label);
    wb_json_kstr(&j, "indicator", key);
    wb_json_kstr(&j, "level", wb_level_name(level));
    wb_json_kint(&j, "boundary_year", byear);
    wb_json_key(&j, "series");
    wb_json_arr_open(&j);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "year", sqlite3_column_int(s, 0));
        wb_json_knum(&j, "members", sqlite3_column_type(s, 1) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 1));
        wb_json_kint(&j, "n_members", sqlite3_column_int(s, 2));
        wb_json_knum(&j, "rest", sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 3));
        wb_json_kint(&j, "n_rest", sqlite3_column_int(s, 4));
        wb_json_obj_close(&j);
    }
    error = rc == SQLITE_DONE ? 0 : wb_store__error(req->db->st, "comparing");
    sqlite3_finalize(s);
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    return error < 0 ? error : wb_json_finish(&j);
}
