/**
 * @file
 * @brief API routes of issue 7 (include/wijkbeeld/effort.h), with models and the theme map
 * (themes.map) from the server's models directory:
 *
 *   GET /api/gaps?model=M&level=L&year=Y&break=B&boundary_year=B&code=C&all=1&lisa=0
 *       {model, year, break_year, boundary_year, level, dims, summary, unmapped,
 *        areas [{code, name, need [..], score, class, trend, group, status, weak [{dim, label,
 *        value, z, initiatives [ids]}], gaps [dim keys], initiatives [ids]}]}
 *       (code: only areas within it, e.g. one buurt for its profile; all=1: every scored
 *       area, also without need, for the map; LISA clusters of the score, 999 permutations,
 *       seed 1, are a need criterion when the store has the geometry, unless lisa=0)
 *   GET /api/overlaps?year=Y&status=gepland,lopend&neighbours=0
 *       {count, considered, pairs [{themes, relation, a {id, title, lead}, b {...}, area_a,
 *        area_b, from, to, partners}]}
 *   GET /api/effort?year=Y&model=M&level=L&split=population|even&boundary_year=B
 *       {year, score_year, model, totals, rank {n, rho_eur, p_eur, rho_hours, p_hours},
 *        areas [{code, name, inhabitants, money_eur, in_kind_eur, hours, eur_per_inh,
 *        hours_per_inh, score, class, initiatives}]}
 *   GET /api/initiatives/{id}/effect?seed=S&draws=N
 *       the measured effect on each target indicator, with the plain words (as `wijkbeeld
 *       effect ID --format json`), and "measurable": true; an initiative without a start
 *       date, targets or areas answers {id, measurable: false, reason}
 *
 * Results depend only on the store, so they are cached per store generation.
 *
 * Who reads: the routes are WB_AUTH_REGISTER (the register's read rule, checked by the
 * dispatcher), and the library calls act as the request's actor (the session's account, or
 * anonymous), so they apply the same rule again.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/json.h"
#include "web/web_internal.h"
#include "wijkbeeld/effort.h"

/* Who makes the request: the session's account, or anonymous. */
static wb_actor request_actor(const wb_req *req)
{
    return req->actor;
}

/* Load models/NAME.model (a validated key) and resolve it against the store. */
static int load_model(wb_model **out, wb_req *req, const char *name)
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

/* The theme map of the models directory; NULL (not an error) when there is none. */
static int load_themes(wb_theme_map **out, wb_req *req)
{
    *out = NULL;
    const char *dir = wb_web__models_dir(req->srv);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/themes.map", dir ? dir : "");
    if (!dir || access(path, R_OK) != 0)
        return 0;
    return wb_theme_map_load(out, path);
}

/* Cached blob for key under the current generation, or compute it with fn. */
static int cached(wb_req *req, wb_resp *resp, const char *key, int (*fn)(wb_req *, wb_json *))
{
    uint64_t gen = wb_web__generation(req->srv);
    if ((resp->blob = wb_web__cache_get(req->srv, key, gen)))
        return 0;
    wb_str out = WB_STR_INIT;
    wb_json j;
    wb_json_init(&j, &out);
    int error = fn(req, &j);
    if (error == 0)
        error = wb_json_finish(&j);
    size_t len = out.len;
    wb_blob *b = NULL;
    if (error == 0)
        error = wb_blob__new(&b, (unsigned char *)wb_str_detach(&out), len, "application/json");
    wb_str_dispose(&out);
    if (error < 0)
        return error;
    wb_web__cache_put(req->srv, key, gen, b);
    resp->blob = b;
    return 0;
}

static void ids_json(wb_json *j, const int64_t *v, size_t n)
{
    wb_json_arr_open(j);
    for (size_t i = 0; i < n; i++)
        wb_json_int(j, v[i]);
    wb_json_arr_close(j);
}

/* 1 when area a of p lies within code c (itself, its wijk or gemeente). */
static int within(const wb_panel *p, size_t a, const char *c)
{
    const char *code = wb_panel_code(p, a);
    if (!strcmp(code, c))
        return 1;
    char cur[WB_CODE_MAX], up[WB_CODE_MAX];
    snprintf(cur, sizeof cur, "%s", code);
    while (wb_code_parent(up, cur) == 0) {
        if (!strcmp(up, c))
            return 1;
        snprintf(cur, sizeof cur, "%s", up);
    }
    wb_error_clear();
    return 0;
}

/* ---------------------------------------------------------------- gaps */

static int gaps_json(wb_req *req, wb_json *j)
{
    wb_model *m = NULL;
    wb_theme_map *tm = NULL;
    wb_effort_data *d = NULL;
    wb_gaps g = WB_GAPS_INIT;
    const char **lisa = NULL;
    wb_actor actor = request_actor(req);
    wb_level level = wb_req_has(req, "level") ? wb_req_level(req, "level") : WB_LEVEL_BUURT;
    const char *model = wb_req_has(req, "model") ? wb_req_text(req, "model") : "lbm";
    int error = 0;
    if (level == WB_LEVEL_LAND || level > WB_LEVEL_BUURT) {
        wb_error_set(WB_ERRCLASS_ARG, "gaps exist for gemeenten, wijken and buurten");
        return WB_EINVALID;
    }
    if ((error = load_model(&m, req, model)) < 0 || (error = load_themes(&tm, req)) < 0 ||
        (error = wb_effort_data_load(&d, req->db->st, &actor, m, level, (int)wb_req_int(req, "boundary_year"), tm)) < 0)
        goto done;
    wb_gaps_opts o = WB_GAPS_OPTS_INIT;
    o.year = (int)wb_req_int(req, "year");
    if (wb_req_has(req, "break"))
        o.break_year = (int)wb_req_int(req, "break");
    o.all = wb_req_has(req, "all") && wb_req_int(req, "all");
    o.nthreads = 1;
    const wb_effort_input *in = wb_effort_data_input(d);
    if (!wb_req_has(req, "lisa") || wb_req_int(req, "lisa")) {
        int le = wb_effort_lisa(&lisa, req->db->st, in, o.year, 999, 1, 0.05);
        if (le < 0 && le != WB_ENOTFOUND && le != WB_EINVALID) {
            error = le;
            goto done;
        }
        wb_error_clear(); /* no geometry (or too few areas): gaps without the LISA criterion */
    }
    o.lisa = lisa;
    if ((error = wb_gaps_compute(&g, in, &o)) < 0)
        goto done;
    const wb_panel *p = in->panel;
    const char *only = wb_req_has(req, "code") ? wb_req_text(req, "code") : NULL;
    wb_json_obj_open(j);
    wb_json_kstr(j, "model", wb_model_name(m));
    wb_json_kint(j, "year", g.year);
    wb_json_key(j, "break_year");
    if (g.break_year)
        wb_json_int(j, g.break_year);
    else
        wb_json_null(j);
    wb_json_kint(j, "boundary_year", wb_panel_boundary_year(p));
    wb_json_kstr(j, "level", wb_level_name(level));
    wb_json_key(j, "dims");
    wb_json_arr_open(j);
    for (size_t k = 0; k < wb_model_ndims(m); k++) {
        wb_json_obj_open(j);
        wb_json_kstr(j, "key", wb_model_dim_key(m, k));
        wb_json_kstr(j, "label", wb_model_dim_label(m, k));
        wb_json_obj_close(j);
    }
    wb_json_arr_close(j);
    wb_json_key(j, "summary");
    wb_json_obj_open(j);
    wb_json_kint(j, "scored", (long long)g.nscored);
    wb_json_kint(j, "classed", (long long)g.nclassed);
    wb_json_kint(j, "need", (long long)g.nneed);
    wb_json_kint(j, "gap", (long long)g.ngap);
    wb_json_kint(j, "covered", (long long)g.ncovered);
    wb_json_kint(j, "considered", (long long)g.nconsidered);
    wb_json_kint(j, "other_year", (long long)g.nother_year);
    wb_json_obj_close(j);
    wb_json_kstr(j, "unmapped", g.unmapped);
    wb_json_key(j, "themes_map");
    wb_json_bool(j, tm != NULL);
    wb_json_key(j, "lisa");
    wb_json_bool(j, lisa != NULL);
    wb_json_key(j, "areas");
    wb_json_arr_open(j);
    for (size_t i = 0; i < g.n; i++) {
        const wb_gap_area *x = &g.areas[i];
        if (only && !within(p, x->area, only))
            continue;
        wb_json_obj_open(j);
        wb_json_kstr(j, "code", x->code);
        wb_json_kstr(j, "name", wb_panel_name(p, x->area));
        wb_json_key(j, "need");
        wb_json_arr_open(j);
        for (unsigned f = 1; f <= WB_NEED_LISA_LH; f <<= 1)
            if (x->need & f)
                wb_json_str(j, wb_need_name(f));
        wb_json_arr_close(j);
        wb_json_knum(j, "score", x->score);
        wb_json_key(j, "class");
        if (x->klass)
            wb_json_int(j, x->klass);
        else
            wb_json_null(j);
        wb_json_kstr(j, "trend", wb_trend_class_name(x->trend));
        wb_json_kstr(j, "group", wb_trend_group_name(x->group));
        wb_json_kstr(j, "status", !x->need ? "none" : x->ngaps ? "gap" : "covered");
        wb_json_kstr(j, "cluster", lisa ? lisa[x->area] : NULL);
        wb_json_key(j, "weak");
        wb_json_arr_open(j);
        for (size_t q = 0; q < x->nweak; q++) {
            const wb_gap_dim *w = &x->weak[q];
            wb_json_obj_open(j);
            wb_json_kstr(j, "dim", wb_model_dim_key(m, w->dim));
            wb_json_kstr(j, "label", wb_model_dim_label(m, w->dim));
            wb_json_knum(j, "value", w->value);
            wb_json_knum(j, "z", w->z);
            wb_json_key(j, "initiatives");
            ids_json(j, w->initiatives, w->ninitiatives);
            wb_json_obj_close(j);
        }
        wb_json_arr_close(j);
        wb_json_key(j, "gaps");
        wb_json_arr_open(j);
        for (size_t q = 0; q < x->nweak; q++)
            if (!x->weak[q].ninitiatives)
                wb_json_str(j, wb_model_dim_key(m, x->weak[q].dim));
        wb_json_arr_close(j);
        wb_json_key(j, "initiatives");
        ids_json(j, x->initiatives, x->ninitiatives);
        wb_json_obj_close(j);
    }
    wb_json_arr_close(j);
    wb_json_obj_close(j);
done:
    wb_free(lisa);
    wb_gaps_dispose(&g);
    wb_effort_data_free(d);
    wb_theme_map_free(tm);
    wb_model_free(m);
    return error;
}

int wb_web__h_gaps(wb_req *req, wb_resp *resp)
{
    char key[200];
    snprintf(key, sizeof key, "gaps:%s:%s:%ld:%ld:%ld:%s:%ld:%ld", wb_req_text(req, "model"), wb_req_text(req, "level"),
             wb_req_int(req, "year"), wb_req_has(req, "break") ? wb_req_int(req, "break") : -1L,
             wb_req_int(req, "boundary_year"), wb_req_text(req, "code"), wb_req_int(req, "all"),
             wb_req_has(req, "lisa") ? wb_req_int(req, "lisa") : 1L);
    return cached(req, resp, key, gaps_json);
}

/* ---------------------------------------------------------------- overlaps */

static int overlaps_json(wb_req *req, wb_json *j)
{
    wb_actor actor = request_actor(req);
    wb_initiative *in = NULL;
    wb_contribution *c = NULL;
    size_t n = 0, nc = 0;
    wb_overlaps ov = WB_OVERLAPS_INIT;
    wb_overlaps_opts o = WB_OVERLAPS_OPTS_INIT;
    o.year = (int)wb_req_int(req, "year");
    o.statuses = wb_req_has(req, "status") ? wb_req_text(req, "status") : NULL;
    wb_neighbour_set *ns = NULL;
    int error;
    if ((error = wb_initiative_list(req->db->st, &actor, &in, &n, NULL)) < 0 ||
        (error = wb_contribution_list(req->db->st, &actor, &c, &nc, 0, 0)) < 0)
        goto done;
    /* neighbours: queen contiguity of the boundary year most initiatives use */
    int year = 0;
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        for (size_t q = 0; q < n && in[i].nareas; q++)
            k += in[q].nareas && in[q].area_year == in[i].area_year;
        if (k > best) {
            best = k;
            year = in[i].area_year;
        }
        if (2 * best > n)
            break;
    }
    if (year && (!wb_req_has(req, "neighbours") || wb_req_int(req, "neighbours"))) {
        int le = wb_neighbour_set_load(&ns, req->db->st, year);
        if (le < 0 && le != WB_ENOTFOUND) {
            error = le;
            goto done;
        }
        wb_error_clear();
    }
    o.neighbours = ns ? wb_neighbour_set_get(ns) : NULL;
    if ((error = wb_overlaps_compute(&ov, in, n, c, nc, &o)) < 0)
        goto done;
    wb_json_obj_open(j);
    wb_json_kint(j, "count", (long long)ov.n);
    wb_json_kint(j, "considered", (long long)ov.nconsidered);
    wb_json_key(j, "neighbours");
    wb_json_bool(j, ns != NULL);
    wb_json_key(j, "pairs");
    wb_json_arr_open(j);
    for (size_t i = 0; i < ov.n; i++) {
        const wb_overlap *x = &ov.pairs[i];
        wb_json_obj_open(j);
        wb_json_kstr(j, "themes", x->themes);
        wb_json_kstr(j, "relation", wb_overlap_relation_name(x->relation));
        const wb_initiative *two[2] = {&in[x->ia], &in[x->ib]};
        const char *names[2] = {"a", "b"};
        for (int k = 0; k < 2; k++) {
            wb_json_key(j, names[k]);
            wb_json_obj_open(j);
            wb_json_kint(j, "id", two[k]->id);
            wb_json_kstr(j, "title", two[k]->title);
            wb_json_kstr(j, "status", two[k]->status);
            wb_json_kstr(j, "lead", two[k]->lead_partner);
            wb_json_obj_close(j);
        }
        wb_json_kstr(j, "area_a", x->area_a);
        wb_json_kstr(j, "area_b", x->area_b);
        wb_json_kstr(j, "from", x->from[0] ? x->from : NULL);
        wb_json_kstr(j, "to", x->to[0] ? x->to : NULL);
        wb_json_kstr(j, "partners", x->partners);
        wb_json_obj_close(j);
    }
    wb_json_arr_close(j);
    wb_json_obj_close(j);
done:
    wb_neighbour_set_free(ns);
    wb_overlaps_dispose(&ov);
    wb_initiatives_free(in, n);
    wb_contributions_free(c, nc);
    return error;
}

int wb_web__h_overlaps(wb_req *req, wb_resp *resp)
{
    char key[200];
    snprintf(key, sizeof key, "overlaps:%ld:%s:%ld", wb_req_int(req, "year"), wb_req_text(req, "status"),
             wb_req_has(req, "neighbours") ? wb_req_int(req, "neighbours") : 1L);
    return cached(req, resp, key, overlaps_json);
}

/* ---------------------------------------------------------------- effort */

static int effort_json(wb_req *req, wb_json *j)
{
    wb_model *m = NULL;
    wb_effort_data *d = NULL;
    wb_effort e = WB_EFFORT_INIT;
    wb_actor actor = request_actor(req);
    wb_level level = wb_req_has(req, "level") ? wb_req_level(req, "level") : WB_LEVEL_BUURT;
    const char *model = wb_req_has(req, "model") ? wb_req_text(req, "model") : "lbm";
    int error = 0;
    if (level == WB_LEVEL_LAND || level > WB_LEVEL_BUURT) {
        wb_error_set(WB_ERRCLASS_ARG, "effort is given for gemeenten, wijken and buurten");
        return WB_EINVALID;
    }
    if ((error = load_model(&m, req, model)) < 0 ||
        (error = wb_effort_data_load(&d, req->db->st, &actor, m, level, (int)wb_req_int(req, "boundary_year"), NULL)) < 0)
        goto done;
    wb_effort_opts o = WB_EFFORT_OPTS_INIT;
    o.year = (int)wb_req_int(req, "year");
    o.split = wb_req_has(req, "split") ? (wb_effort_split)wb_req_int(req, "split") : WB_SPLIT_POPULATION;
    const wb_effort_input *in = wb_effort_data_input(d);
    if ((error = wb_effort_compute(&e, in, &o)) < 0)
        goto done;
    wb_json_obj_open(j);
    wb_json_kint(j, "year", e.year);
    wb_json_kint(j, "score_year", e.score_year);
    wb_json_kstr(j, "model", wb_model_name(m));
    wb_json_kstr(j, "level", wb_level_name(level));
    wb_json_kint(j, "boundary_year", wb_panel_boundary_year(in->panel));
    wb_json_kstr(j, "split", o.split == WB_SPLIT_EVEN ? "even" : "population");
    wb_json_key(j, "totals");
    wb_json_obj_open(j);
    wb_json_knum(j, "money_eur", e.money_eur);
    wb_json_knum(j, "in_kind_eur", e.in_kind_eur);
    wb_json_knum(j, "hours", e.hours);
    wb_json_knum(j, "unallocated_eur", e.unallocated_eur);
    wb_json_knum(j, "unallocated_hours", e.unallocated_hours);
    wb_json_obj_close(j);
    wb_json_key(j, "rank");
    wb_json_obj_open(j);
    wb_json_kint(j, "n", (long long)e.nrank);
    wb_json_knum(j, "rho_eur", e.rho_eur);
    wb_json_knum(j, "p_eur", e.p_eur);
    wb_json_knum(j, "rho_hours", e.rho_hours);
    wb_json_knum(j, "p_hours", e.p_hours);
    wb_json_obj_close(j);
    wb_json_key(j, "areas");
    wb_json_arr_open(j);
    for (size_t i = 0; i < e.n; i++) {
        const wb_effort_area *x = &e.areas[i];
        wb_json_obj_open(j);
        wb_json_kstr(j, "code", x->code);
        wb_json_kstr(j, "name", wb_panel_name(in->panel, x->area));
        wb_json_knum(j, "inhabitants", x->inhabitants);
        wb_json_knum(j, "money_eur", x->money_eur);
        wb_json_knum(j, "in_kind_eur", x->in_kind_eur);
        wb_json_knum(j, "hours", x->hours);
        wb_json_knum(j, "eur_per_inh", x->eur_per_inh);
        wb_json_knum(j, "hours_per_inh", x->hours_per_inh);
        wb_json_knum(j, "score", x->score);
        wb_json_key(j, "class");
        if (x->klass)
            wb_json_int(j, x->klass);
        else
            wb_json_null(j);
        wb_json_kint(j, "initiatives", (long long)x->ninitiatives);
        wb_json_obj_close(j);
    }
    wb_json_arr_close(j);
    wb_json_obj_close(j);
done:
    wb_effort_dispose(&e);
    wb_effort_data_free(d);
    wb_model_free(m);
    return error;
}

int wb_web__h_effort(wb_req *req, wb_resp *resp)
{
    char key[200];
    snprintf(key, sizeof key, "effort:%s:%s:%ld:%ld:%ld", wb_req_text(req, "model"), wb_req_text(req, "level"),
             wb_req_int(req, "year"), wb_req_int(req, "boundary_year"),
             wb_req_has(req, "split") ? wb_req_int(req, "split") : 0L);
    return cached(req, resp, key, effort_json);
}

/* ---------------------------------------------------------------- effect */

static int effect_json(wb_req *req, wb_json *j)
{
    wb_actor actor = request_actor(req);
    wb_theme_map *tm = NULL;
    wb_effect_report r;
    memset(&r, 0, sizeof r);
    wb_effect_opts o = WB_EFFECT_OPTS_INIT;
    if (wb_req_has(req, "seed"))
        o.seed = (uint64_t)wb_req_int(req, "seed");
    if (wb_req_has(req, "draws"))
        o.draws = (size_t)wb_req_int(req, "draws");
    int error;
    if ((error = load_themes(&tm, req)) < 0)
        goto done;
    error = wb_effect_initiative(&r, req->db->st, &actor, wb_req_int(req, "id"), tm, &o);
    if (error == WB_EINVALID) {
        /* no start date, no targets or no areas: nothing to measure, which is an answer */
        wb_json_obj_open(j);
        wb_json_kint(j, "id", wb_req_int(req, "id"));
        wb_json_key(j, "measurable");
        wb_json_bool(j, 0);
        wb_json_kstr(j, "reason", wb_error_last()->message);
        wb_json_obj_close(j);
        wb_error_clear();
        error = 0;
        goto done;
    }
    if (error < 0)
        goto done;
    wb_json_obj_open(j);
    wb_json_kint(j, "id", r.id);
    wb_json_key(j, "measurable");
    wb_json_bool(j, 1);
    wb_json_kstr(j, "title", r.title);
    wb_json_kstr(j, "status", r.status);
    wb_json_kstr(j, "start", r.start);
    wb_json_kstr(j, "end", r.end[0] ? r.end : NULL);
    wb_json_kint(j, "area_year", r.area_year);
    wb_json_kstr(j, "level", wb_level_name(r.level));
    wb_json_kint(j, "last_pre", r.last_pre);
    wb_json_kint(j, "first_post", r.first_post);
    wb_json_key(j, "neighbours");
    wb_json_bool(j, r.neighbours);
    wb_json_key(j, "results");
    wb_json_arr_open(j);
    for (size_t i = 0; i < r.nresults; i++) {
        const wb_effect_result *e = &r.results[i];
        wb_json_obj_open(j);
        wb_json_kstr(j, "indicator", e->indicator);
        wb_json_kint(j, "direction", e->direction);
        wb_json_kstr(j, "status", wb_effect_status_name(e->status));
        wb_json_kstr(j, "reason", e->reason[0] ? e->reason : NULL);
        wb_json_knum(j, "estimate", e->estimate);
        wb_json_knum(j, "lo", e->lo);
        wb_json_knum(j, "hi", e->hi);
        wb_json_knum(j, "level", e->level);
        wb_json_knum(j, "p", e->p);
        wb_json_kint(j, "draws", (long long)e->draws);
        wb_json_kint(j, "seed", (long long)e->seed);
        wb_json_kint(j, "treated", (long long)e->ntreated);
        wb_json_kint(j, "controls", (long long)e->ncontrols);
        wb_json_kint(j, "pool", (long long)e->npool);
        wb_json_kint(j, "neighbours_left_out", (long long)e->nneighbours);
        wb_json_kstr(j, "pool_scope", e->pool_scope);
        wb_json_kint(j, "first_pre", e->first_pre);
        wb_json_kint(j, "last_pre", e->last_pre);
        wb_json_kint(j, "first_post", e->first_post);
        wb_json_kint(j, "last_post", e->last_post);
        wb_json_knum(j, "treated_change", e->treated_change);
        wb_json_knum(j, "control_change", e->control_change);
        wb_json_knum(j, "smd_level", e->status == WB_EFFECT_OK ? e->smd_level : NAN);
        wb_json_knum(j, "smd_slope", e->status == WB_EFFECT_OK ? e->smd_slope : NAN);
        wb_json_key(j, "areas");
        wb_json_arr_open(j);
        for (size_t k = 0; k < e->nareas; k++) {
            wb_json_obj_open(j);
            wb_json_kstr(j, "code", e->areas[k].code);
            wb_json_knum(j, "change", e->areas[k].change);
            wb_json_knum(j, "control_change", e->areas[k].control_change);
            wb_json_knum(j, "did", e->areas[k].did);
            wb_json_obj_close(j);
        }
        wb_json_arr_close(j);
        wb_json_obj_close(j);
    }
    wb_json_arr_close(j);
    wb_json_kstr(j, "words", r.words);
    wb_json_obj_close(j);
done:
    wb_effect_report_dispose(&r);
    wb_theme_map_free(tm);
    return error;
}

int wb_web__h_effect(wb_req *req, wb_resp *resp)
{
    char key[200];
    snprintf(key, sizeof key, "effect:%ld:%ld:%ld", wb_req_int(req, "id"),
             wb_req_has(req, "seed") ? wb_req_int(req, "seed") : 1L,
             wb_req_has(req, "draws") ? wb_req_int(req, "draws") : 999L);
    return cached(req, resp, key, effect_json);
}
