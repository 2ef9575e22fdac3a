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

#include "web/json.h"
#include "web/web_internal.h"
#include "wijkbeeld/compare.h"
#include "wijkbeeld/panel.h"
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
    wb_label_set *sets = NULL;
    size_t n = 0;
    int error = wb_store_label_sets(req->db->st, &sets, &n, 0);
    if (error < 0)
        return error;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "name", sets[i].name);
        wb_json_kstr(&j, "description", sets[i].description);
        wb_json_kint(&j, "n", (long long)sets[i].members);
        wb_json_obj_close(&j);
    }
    wb_label_sets_free(sets, n);
    wb_json_arr_close(&j);
    return wb_json_finish(&j);
}

/* The boundary year with the most members of the set at @p level (of equal counts the later
 * one); 0 when no member is of that level. */
static int members_boundary_year(const wb_area *mem, size_t nmem, wb_level level)
{
    int best = 0;
    size_t best_n = 0;
    for (size_t i = 0; i < nmem; i++) {
        if (mem[i].level != level)
            continue;
        size_t cnt = 0;
        for (size_t k = 0; k < nmem; k++)
            cnt += mem[k].level == level && mem[k].year == mem[i].year;
        if (cnt > best_n || (cnt == best_n && mem[i].year > best)) {
            best = mem[i].year;
            best_n = cnt;
        }
    }
    return best;
}

/*
 * GET /api/compare?label=NAME&indicator=K&level=L&year=B: a labelled set against the rest
 * over time: per data year the unweighted mean of the members and of the other areas of
 * the same level and boundary year (default: the boundary year with most members there).
 * The computation of 'wijkbeeld compare' (wb_compare_years on the panel of that level).
 */
int wb_web__h_compare(wb_req *req, wb_resp *resp)
{
    int64_t ind;
    char key[64];
    const char *label = wb_req_text(req, "label");
    wb_level level = wb_req_level(req, "level");
    int error = wb_store_indicator_resolve(req->db->st, &ind, key, wb_req_text(req, "indicator"));
    if (error < 0)
        return error;
    wb_area *mem = NULL;
    size_t nmem = 0;
    if ((error = wb_store_label_members(req->db->st, &mem, &nmem, label)) < 0)
        return error;
    int byear = (int)wb_req_int(req, "year");
    if (!byear)
        byear = members_boundary_year(mem, nmem, level);
    wb_panel *p = NULL;
    wb_compare_year *rows = NULL;
    unsigned char *in_set = NULL;
    long *gm = NULL;
    int *years = NULL;
    size_t ny = 0;
    if (byear) { /* else no member at this level: an empty series */
        wb_panel_opts po = WB_PANEL_OPTS_INIT;
        po.level = level;
        po.boundary_year = byear;
        po.with_parents = 0;
        const char *keys[1] = {key};
        if ((error = wb_panel_load(&p, req->db->st, keys, 1, &po)) == WB_ENOTFOUND) {
            error = 0; /* no areas of that level and boundary year: an empty series */
            wb_error_clear();
        }
        if (error < 0)
            goto done;
    }
    if (p) {
        size_t na = wb_panel_nareas(p);
        ny = wb_panel_nyears(p);
        in_set = wb_calloc(na ? na : 1, 1);
        gm = wb_malloc((na ? na : 1) * sizeof *gm);
        years = wb_malloc((ny ? ny : 1) * sizeof *years);
        if (!in_set || !gm || !years) {
            error = WB_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < nmem; i++) {
            long a = mem[i].level == level && mem[i].year == byear ? wb_panel_find_area(p, mem[i].code) : -1;
            if (a >= 0)
                in_set[a] = 1;
        }
        for (size_t a = 0; a < na; a++)
            gm[a] = -1; /* the gemeenten group is not part of this answer */
        for (size_t t = 0; t < ny; t++)
            years[t] = wb_panel_year(p, t);
        /* the indicator's columns are contiguous: [t * na + a] */
        if ((error = wb_compare_years(&rows, wb_panel_ccolumn(p, 0, 0), na, ny, years, in_set, gm, 0)) < 0)
            goto done;
    }
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "label", label);
    wb_json_kstr(&j, "indicator", key);
    wb_json_kstr(&j, "level", wb_level_name(level));
    wb_json_kint(&j, "boundary_year", byear);
    wb_json_key(&j, "series");
    wb_json_arr_open(&j);
    for (size_t t = 0; t < ny; t++) {
        const wb_compare_year *r = &rows[t];
        wb_json_obj_open(&j);
        wb_json_kint(&j, "year", r->year);
        wb_json_knum(&j, "members", r->g[WB_CMP_SET].mean);
        wb_json_kint(&j, "n_members", (long long)r->g[WB_CMP_SET].n);
        wb_json_knum(&j, "rest", r->g[WB_CMP_REST].mean);
        wb_json_kint(&j, "n_rest", (long long)r->g[WB_CMP_REST].n);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    error = wb_json_finish(&j);
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory comparing a label set");
    wb_free(rows);
    wb_free(in_set);
    wb_free(gm);
    wb_free(years);
    wb_panel_free(p);
    wb_areas_free(mem, nmem);
    return error;
}
