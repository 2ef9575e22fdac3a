/**
 * @file
 * @brief API routes of trends with a break year and the RIGO groups (wijkbeeld/trend.h), and
 * the score card of the profile page (an area's score and dimensions beside its wijk,
 * gemeente and the nation). Declared in the route table in routes_api.c; docs/web.md.
 *
 *   GET /api/trend?indicator=K|model=M&level=L[&boundary_year=B][&code=C][&break=2012]
 *       {.., break_year, reference, scale, counts, groups, results [{code, n, first_year,
 *        last_year, mk_s, mk_tau, mk_p, sen_slope, slope_before, slope_after, p_after, rule,
 *        class_slope, class_p, trend, group, level, level_z}]}     (one area with code=)
 *   GET /api/scorecard?model=M&code=C[&year=Y][&boundary_year=B]
 *       {model, title, year, boundary_year, dims, rows [{role, code, name, score, class, label,
 *        coverage, dims[]}]}   roles: area, wijk, gemeente, nation or level_mean
 *
 * The trend class since the break uses the hinge model (slope after the break, its t-test);
 * where the hinge cannot be fitted (fewer than two years before the break, as for series that
 * start in the break year) Theil-Sen and Mann-Kendall on the years from the break decide
 * ("rule": "sen"). The RIGO groups need a level reference: the median and standard deviation
 * of the last values of all areas of the level, so the whole level is computed once and cached.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/json.h"
#include "web/source.h"
#include "web/web_internal.h"
#include "wijkbeeld/trend.h"

#define DEFAULT_BREAK 2012

/* ---------------------------------------------------------------- one series */

/* The class since the break: the hinge, else the Theil-Sen rule from the break. */
static int trend_classed(wb_trend_result *tr, const char **rule, const double *years, const double *values,
                         size_t n, wb_trend_opts *o)
{
    o->rule = WB_TREND_RULE_HINGE;
    int error = wb_trend_series(tr, years, values, n, o);
    *rule = "hinge";
    if (error == 0 && tr->trend == WB_TREND_UNKNOWN) {
        wb_trend_result t2;
        o->rule = WB_TREND_RULE_SEN;
        if (wb_trend_series(&t2, years, values, n, o) == 0 && t2.trend != WB_TREND_UNKNOWN) {
            *tr = t2;
            *rule = "sen";
        }
        o->rule = WB_TREND_RULE_HINGE;
    }
    return error;
}

static void trend_fields(wb_json *j, const wb_trend_result *tr, const char *rule)
{
    wb_json_kint(j, "n", tr->n);
    wb_json_kint(j, "first_year", tr->first_year);
    wb_json_kint(j, "last_year", tr->last_year);
    wb_json_kint(j, "mk_s", tr->mk.s);
    wb_json_knum(j, "mk_tau", tr->mk.tau);
    wb_json_knum(j, "mk_p", tr->mk.p);
    wb_json_knum(j, "sen_slope", tr->sen.slope);
    wb_json_knum(j, "break_year", tr->break_year);
    wb_json_knum(j, "slope_before", tr->hinge.ok ? tr->hinge.slope_before : NAN);
    wb_json_knum(j, "slope_after", tr->hinge.ok ? tr->hinge.slope_after : NAN);
    wb_json_knum(j, "p_after", tr->hinge.ok ? tr->hinge.p_after : NAN);
    wb_json_kstr(j, "rule", tr->trend == WB_TREND_UNKNOWN ? NULL : rule);
    wb_json_knum(j, "class_slope", tr->class_slope);
    wb_json_knum(j, "class_p", tr->class_p);
    wb_json_kstr(j, "trend", wb_trend_class_name(tr->trend));
}

void wb_web__trend_member(wb_json *j, const double *years, const double *values, size_t n, int direction,
                          int break_year)
{
    wb_json_key(j, "trend");
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    o.break_mode = WB_BREAK_FIXED;
    o.break_year = break_year;
    o.draws = 0;
    o.direction = direction < 0 ? -1 : 1;
    o.nthreads = 1;
    wb_trend_result tr;
    const char *rule;
    if (n < 3 || trend_classed(&tr, &rule, years, values, n, &o) < 0) {
        wb_error_clear();
        wb_json_null(j);
        return;
    }
    wb_json_obj_open(j);
    wb_json_kstr(j, "class", wb_trend_class_name(tr.trend));
    wb_json_knum(j, "slope", tr.class_slope);
    wb_json_knum(j, "p", tr.class_p);
    trend_fields(j, &tr, rule);
    wb_json_obj_close(j);
}

/* ---------------------------------------------------------------- /api/trend */

/* The boundary year with the most values of the indicator at the level over all data years. */
static int trend_byear(wb_req *req, const wb_web_src *src, wb_level level, int *byear)
{
    *byear = (int)wb_req_int(req, "boundary_year");
    if (*byear)
        return 0;
    int error = wb_store_values_boundary_year(req->db->st, byear, src->ind, level, 0);
    if (error < 0)
        return error;
    if (!*byear) {
        wb_error_set(WB_ERRCLASS_STORE, "no values of %s at level %s", src->key, wb_level_name(level));
        return WB_ENOTFOUND;
    }
    return 0;
}

/* The cached batch: a header, then one record per area (code order). */
typedef struct {
    double reference, scale;
    size_t nseries, nyears;
    int years[WB_TREND_MAX_YEARS];
    int break_year, direction, byear;
} trend_head;

typedef struct {
    char code[WB_CODE_MAX];
    wb_trend_result r;
    char rule; /* 'h' hinge, 's' sen */
} trend_rec;

/* A series matrix [series x years] of the source on (level, byear), every data year. */
typedef struct {
    size_t ns, ny;
    char (*codes)[WB_CODE_MAX];
    double years[WB_TREND_MAX_YEARS];
    double *v; /* ns * ny, NaN = gap */
} series_set;

static void series_dispose(series_set *s)
{
    wb_free(s->codes);
    wb_free(s->v);
    memset(s, 0, sizeof *s);
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static int series_load(series_set *out, wb_req *req, const wb_web_src *src, wb_level level, int byear)
{
    memset(out, 0, sizeof *out);
    int error = 0;
    if (src->is_model) {
        wb_web_scoring s;
        if ((error = wb_web__score_run(&s, req, level, byear)) == 0) {
            size_t na = s.res.nareas, ny = s.res.nyears;
            if (ny > WB_TREND_MAX_YEARS) {
                wb_error_set(WB_ERRCLASS_STATS, "more than %d data years", WB_TREND_MAX_YEARS);
                error = WB_EINVALID;
            } else if (!(out->codes = wb_malloc((na ? na : 1) * sizeof *out->codes)) ||
                       !(out->v = wb_malloc((na * ny > 0 ? na * ny : 1) * sizeof *out->v))) {
                error = WB_ENOMEM;
            } else {
                out->ns = na;
                out->ny = ny;
                for (size_t t = 0; t < ny; t++)
                    out->years[t] = wb_panel_year(s.p, t);
                for (size_t a = 0; a < na; a++) {
                    snprintf(out->codes[a], WB_CODE_MAX, "%s", wb_panel_code(s.p, a));
                    for (size_t t = 0; t < ny; t++)
                        out->v[a * ny + t] = s.res.score[t * na + a];
                }
            }
        }
        wb_web__score_done(&s);
        return error;
    }
    wb_value *vals = NULL;
    size_t n = 0;
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = src->key;
    q.boundary_year = byear;
    q.level = level;
    if ((error = wb_store_values(req->db->st, &vals, &n, NULL, &q)) < 0)
        return error;
    /* years (the rows come ordered by year, then code) and the sorted distinct codes */
    char(*codes)[WB_CODE_MAX] = wb_malloc((n ? n : 1) * sizeof *codes);
    if (!codes) {
        wb_free(vals);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(codes[i], vals[i].code, WB_CODE_MAX);
        if (out->ny == 0 || out->years[out->ny - 1] != vals[i].year) {
            if (out->ny == WB_TREND_MAX_YEARS) {
                wb_error_set(WB_ERRCLASS_STATS, "%s has more than %d data years", src->key, WB_TREND_MAX_YEARS);
                wb_free(codes);
                wb_free(vals);
                return WB_EINVALID;
            }
            out->years[out->ny++] = vals[i].year;
        }
    }
    qsort(codes, n, sizeof *codes, cmp_code);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++)
        if (ns == 0 || strcmp(codes[ns - 1], codes[i]))
            memmove(codes[ns++], codes[i], WB_CODE_MAX);
    out->codes = codes;
    out->ns = ns;
    if (!(out->v = wb_malloc((ns * out->ny > 0 ? ns * out->ny : 1) * sizeof *out->v))) {
        wb_free(vals);
        series_dispose(out);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < ns * out->ny; i++)
        out->v[i] = NAN;
    size_t t = 0;
    for (size_t i = 0; i < n; i++) {
        while (out->years[t] != vals[i].year)
            t++;
        char(*hit)[WB_CODE_MAX] = bsearch(vals[i].code, codes, ns, sizeof *codes, cmp_code);
        out->v[(size_t)(hit - codes) * out->ny + t] = vals[i].value;
    }
    wb_free(vals);
    return 0;
}

/* Compute (or fetch) the batch for the request: a blob of trend_head + records. */
static int trend_batch(wb_blob **out, wb_req *req, const wb_web_src *src, wb_level level, int byear, int brk)
{
    char full[256], key[96];
    snprintf(full, sizeof full, "trendbin:%c:%s:%s:%d:%d", src->is_model ? 'm' : 'i', src->key,
             wb_level_name(level), byear, brk);
    wb_web__cache_key(key, full);
    uint64_t gen = wb_web__generation(req->srv);
    if ((*out = wb_web__cache_get(req->srv, key, gen)))
        return 0;
    series_set ss;
    int error = series_load(&ss, req, src, level, byear);
    if (error < 0)
        return error;
    size_t bytes = sizeof(trend_head) + ss.ns * sizeof(trend_rec);
    unsigned char *buf = wb_calloc(1, bytes);
    wb_trend_result *res = wb_malloc((ss.ns ? ss.ns : 1) * sizeof *res);
    if (!buf || !res) {
        wb_free(buf);
        wb_free(res);
        series_dispose(&ss);
        return WB_ENOMEM;
    }
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    o.break_mode = WB_BREAK_FIXED;
    o.break_year = brk;
    o.draws = 0;
    o.direction = src->direction < 0 ? -1 : 1;
    o.nthreads = 2;
    wb_trend_summary sum;
    if (ss.ns && ss.ny && (error = wb_trend_batch(res, &sum, ss.years, ss.ny, ss.v, ss.ns, &o, NULL, NULL)) < 0) {
        wb_free(buf);
        wb_free(res);
        series_dispose(&ss);
        return error;
    }
    trend_head *h = (trend_head *)buf;
    trend_rec *rec = (trend_rec *)(buf + sizeof *h);
    h->reference = ss.ns ? sum.reference : NAN;
    h->scale = ss.ns ? sum.scale : NAN;
    h->nseries = ss.ns;
    h->nyears = ss.ny;
    for (size_t t = 0; t < ss.ny; t++)
        h->years[t] = (int)ss.years[t];
    h->break_year = brk;
    h->direction = o.direction;
    h->byear = byear;
    /* where the hinge cannot be fitted, the Theil-Sen rule from the break (same reference) */
    o.reference = h->reference;
    o.scale = h->scale;
    o.nthreads = 1;
    for (size_t i = 0; i < ss.ns; i++) {
        memcpy(rec[i].code, ss.codes[i], WB_CODE_MAX);
        rec[i].r = res[i];
        rec[i].rule = 'h';
        if (res[i].trend == WB_TREND_UNKNOWN) {
            const char *rule;
            wb_trend_result tr;
            if (trend_classed(&tr, &rule, ss.years, ss.v + i * ss.ny, ss.ny, &o) == 0 && tr.trend != WB_TREND_UNKNOWN) {
                rec[i].r = tr;
                rec[i].rule = 's';
            }
        }
    }
    wb_free(res);
    series_dispose(&ss);
    if ((error = wb_blob__new(out, buf, bytes, "application/octet-stream")) < 0)
        return error;
    wb_web__cache_put(req->srv, key, gen, *out);
    return 0;
}

static void result_json(wb_json *j, const trend_rec *r)
{
    wb_json_obj_open(j);
    wb_json_kstr(j, "code", r->code);
    trend_fields(j, &r->r, r->rule == 's' ? "sen" : "hinge");
    wb_json_kstr(j, "group", wb_trend_group_name(r->r.group));
    wb_json_knum(j, "level", r->r.level);
    wb_json_knum(j, "level_z", r->r.level_z);
    wb_json_obj_close(j);
}

int wb_web__h_trend(wb_req *req, wb_resp *resp)
{
    wb_web_src src;
    wb_blob *b = NULL;
    wb_str out = WB_STR_INIT;
    int error = wb_web__src_open(&src, req, resp);
    if (error < 0)
        goto done;
    wb_level level = wb_req_level(req, "level");
    int brk = wb_req_has(req, "break") ? (int)wb_req_int(req, "break") : DEFAULT_BREAK, byear;
    const char *code = wb_req_has(req, "code") ? wb_req_text(req, "code") : NULL;
    if ((error = trend_byear(req, &src, level, &byear)) < 0)
        goto done;
    char full[256], key[96];
    snprintf(full, sizeof full, "trend:%c:%s:%s:%d:%d", src.is_model ? 'm' : 'i', src.key, wb_level_name(level),
             byear, brk);
    wb_web__cache_key(key, full);
    uint64_t gen = wb_web__generation(req->srv);
    if (!code && wb_web__cached(req, resp, key, gen))
        goto done;
    if ((error = trend_batch(&b, req, &src, level, byear, brk)) < 0)
        goto done;
    const trend_head *h = (const trend_head *)b->data;
    const trend_rec *rec = (const trend_rec *)(b->data + sizeof *h);
    const trend_rec *one = NULL;
    if (code) {
        for (size_t i = 0; i < h->nseries && !one; i++)
            if (!strcmp(rec[i].code, code))
                one = &rec[i];
        if (!one) {
            wb_error_set(WB_ERRCLASS_STORE, "no series of %s for %s on the %s of %d", src.key, code,
                         wb_level_name(level), byear);
            error = WB_ENOTFOUND;
            goto done;
        }
    }
    size_t counts[WB_TREND__MAX] = {0}, groups[WB_GROUP__MAX] = {0};
    for (size_t i = 0; i < h->nseries; i++) {
        counts[rec[i].r.trend]++;
        groups[rec[i].r.group]++;
    }
    wb_json j;
    wb_json_init(&j, &out);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "indicator", src.is_model ? NULL : src.key);
    wb_json_kstr(&j, "model", src.is_model ? src.key : NULL);
    wb_json_kstr(&j, "level", wb_level_name(level));
    wb_json_kint(&j, "boundary_year", byear);
    wb_json_kint(&j, "break_year", brk);
    wb_json_kint(&j, "direction", h->direction);
    wb_json_key(&j, "years");
    wb_json_arr_open(&j);
    for (size_t t = 0; t < h->nyears; t++)
        wb_json_int(&j, h->years[t]);
    wb_json_arr_close(&j);
    wb_json_knum(&j, "reference", h->reference);
    wb_json_knum(&j, "scale", h->scale);
    wb_json_knum(&j, "alpha", 0.05);
    wb_json_kint(&j, "n", (long long)h->nseries);
    wb_json_key(&j, "counts");
    wb_json_obj_open(&j);
    for (int c = 0; c < WB_TREND__MAX; c++)
        wb_json_kint(&j, wb_trend_class_name((wb_trend_class)c), (long long)counts[c]);
    wb_json_obj_close(&j);
    wb_json_key(&j, "groups");
    wb_json_obj_open(&j);
    for (int g = 0; g < WB_GROUP__MAX; g++)
        wb_json_kint(&j, wb_trend_group_name((wb_trend_group)g), (long long)groups[g]);
    wb_json_obj_close(&j);
    wb_json_key(&j, "results");
    wb_json_arr_open(&j);
    if (one)
        result_json(&j, one);
    else
        for (size_t i = 0; i < h->nseries; i++)
            result_json(&j, &rec[i]);
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    if ((error = wb_json_finish(&j)) < 0)
        goto done;
    if (!code) {
        error = wb_web__publish(req, resp, key, gen, &out, byear);
    } else {
        resp->body = out;
        memset(&out, 0, sizeof out);
        snprintf(resp->boundary_year, sizeof resp->boundary_year, "%d", byear);
    }
done:
    wb_str_dispose(&out);
    wb_blob__unref(b);
    wb_web__src_close(&src);
    return error;
}

/* ---------------------------------------------------------------- /api/scorecard */

/* The raw values of the model's indicators for area @p code in data year @p year on boundary
 * year @p byear (never another boundary year: a national row of another data set, such as the
 * demo's NL00 on 2022 boundaries, must not stand in for the nation of 2016 wijken). */
static int raw_values(wb_req *req, double *raw, const wb_model *m, const char *code, int byear, int year,
                      size_t *npresent)
{
    size_t ni = wb_model_nindicators(m);
    *npresent = 0;
    for (size_t i = 0; i < ni; i++)
        raw[i] = NAN;
    wb_area *a = NULL;
    int error = wb_store_area_get(req->db->st, &a, code, byear);
    if (error == WB_ENOTFOUND) { /* no such area: nothing present */
        wb_error_clear();
        return 0;
    }
    int64_t area = error == 0 ? a->id : 0;
    wb_areas_free(a, a ? 1 : 0);
    for (size_t i = 0; i < ni && error == 0; i++) {
        /* the model's keys as stored keys (not aliases) */
        int64_t ind;
        if ((error = wb_store_indicator_find(req->db->st, &ind, wb_model_keys(m)[i])) == 0 &&
            (error = wb_store_value_get(req->db->st, &raw[i], ind, area, year)) == 0 && !isnan(raw[i]))
            (*npresent)++;
        if (error == WB_ENOTFOUND) {
            error = 0;
            wb_error_clear();
        }
    }
    return error;
}

/* The name of area @p code on boundary year @p byear, else of its latest boundary year. */
static char *area_name(wb_req *req, const char *code, int byear)
{
    wb_area *a = NULL;
    char *name = NULL;
    if (wb_store_area_get(req->db->st, &a, code, byear) == 0 || wb_store_area_get(req->db->st, &a, code, 0) == 0)
        name = a->name ? wb_strdup(a->name) : NULL;
    wb_areas_free(a, a ? 1 : 0);
    return name;
}

static void card_row(wb_json *j, const char *role, const char *code, const char *name, double score, int klass,
                     double coverage, const double *dims, size_t nd, size_t n_areas)
{
    wb_json_obj_open(j);
    wb_json_kstr(j, "role", role);
    wb_json_kstr(j, "code", code);
    wb_json_kstr(j, "name", name);
    wb_json_knum(j, "score", score);
    wb_json_key(j, "class");
    if (klass)
        wb_json_int(j, klass);
    else
        wb_json_null(j);
    wb_json_kstr(j, "label", klass ? wb_class_label(klass) : NULL);
    wb_json_knum(j, "coverage", coverage);
    wb_json_key(j, "dims");
    wb_json_arr_open(j);
    for (size_t d = 0; d < nd; d++)
        wb_json_num(j, dims[d]);
    wb_json_arr_close(j);
    if (n_areas)
        wb_json_kint(j, "n_areas", (long long)n_areas);
    wb_json_obj_close(j);
}

int wb_web__h_scorecard(wb_req *req, wb_resp *resp)
{
    const char *code = wb_req_text(req, "code");
    wb_level level = wb_req_param(req, "code")->level;
    if (level < WB_LEVEL_GEMEENTE || level > WB_LEVEL_BUURT) {
        wb_resp_error(resp, 400, "code", "score cards exist for gemeenten, wijken and buurten");
        return WB_EINVALID;
    }
    int byear = (int)wb_req_int(req, "boundary_year");
    if (!byear) { /* the latest boundary year of the code */
        wb_area *latest = NULL;
        int error = wb_store_area_get(req->db->st, &latest, code, 0);
        if (error < 0)
            return error; /* WB_ENOTFOUND: "no area CODE" */
        byear = latest->year;
        wb_areas_free(latest, 1);
    }
    wb_web_scoring s;
    double *raw = NULL, *means = NULL;
    char *names[4] = {NULL, NULL, NULL, NULL};
    int error = wb_web__score_run(&s, req, level, byear);
    long a = -1, t = -1;
    if (error == 0 && (a = wb_panel_find_area(s.p, code)) < 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "no area %s among the %s of %d", code, wb_level_name(level), byear);
        error = WB_ENOTFOUND;
    }
    if (error == 0) {
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
    size_t ni = error == 0 ? wb_model_nindicators(s.m) : 0, nd = error == 0 ? s.res.ndims : 0;
    if (error == 0 && (!(raw = wb_calloc(ni ? ni : 1, sizeof *raw)) || !(means = wb_calloc(nd + 1, sizeof *means))))
        error = WB_ENOMEM;
    if (error < 0)
        goto done;
    int year = wb_panel_year(s.p, (size_t)t);
    size_t na = s.res.nareas;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "model", wb_model_name(s.m));
    wb_json_kstr(&j, "title", wb_model_title(s.m));
    wb_json_kstr(&j, "code", code);
    wb_json_kint(&j, "year", year);
    wb_json_kint(&j, "boundary_year", byear);
    wb_json_key(&j, "dims");
    wb_json_arr_open(&j);
    for (size_t d = 0; d < nd; d++) {
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "key", wb_model_dim_key(s.m, d));
        wb_json_kstr(&j, "label", wb_model_dim_label(s.m, d));
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_key(&j, "rows");
    wb_json_arr_open(&j);
    /* the area itself, from the scores */
    size_t ix = (size_t)t * na + (size_t)a;
    for (size_t d = 0; d < nd; d++)
        means[d] = s.res.dims[((size_t)t * nd + d) * na + (size_t)a];
    names[0] = area_name(req, code, byear);
    card_row(&j, "area", code, names[0], s.res.score[ix], s.res.klass[ix], s.res.coverage[ix], means, nd, 0);
    /* the enclosing wijk (of a buurt), the gemeente and the nation: their own raw values,
     * standardised and weighted as the area's (wb_scorer_explain) */
    char chain[3][WB_CODE_MAX];
    const char *roles[3];
    int nchain = 0;
    char cur[WB_CODE_MAX];
    snprintf(cur, sizeof cur, "%s", code);
    while (nchain < 3 && wb_code_parent(chain[nchain], cur) == 0) {
        wb_level pl;
        wb_code_normalize(cur, &pl, chain[nchain], strlen(chain[nchain]), WB_LEVEL__MAX);
        roles[nchain] = pl == WB_LEVEL_WIJK ? "wijk" : pl == WB_LEVEL_GEMEENTE ? "gemeente" : "nation";
        nchain++;
    }
    wb_error_clear();
    int has_nation = 0;
    for (int c = 0; c < nchain && !error; c++) {
        size_t present = 0;
        if ((error = raw_values(req, raw, s.m, chain[c], byear, year, &present)) < 0)
            break;
        if (!present)
            continue;
        wb_explain ex = WB_EXPLAIN_INIT;
        if ((error = wb_scorer_explain(&ex, s.sc, raw, year)) < 0)
            break;
        double *dv = wb_malloc((nd ? nd : 1) * sizeof *dv);
        if (!dv) {
            wb_explain_dispose(&ex);
            error = WB_ENOMEM;
            break;
        }
        for (size_t d = 0; d < nd; d++)
            dv[d] = d < ex.ndims ? ex.dims[d].raw : NAN;
        names[c + 1] = area_name(req, chain[c], byear);
        card_row(&j, roles[c], chain[c], names[c + 1], ex.score, ex.klass, ex.coverage, dv, nd, 0);
        has_nation |= !strcmp(roles[c], "nation") && isfinite(ex.score);
        wb_free(dv);
        wb_explain_dispose(&ex);
    }
    if (error < 0)
        goto done;
    /* without national values: the unweighted mean of the level's scores */
    if (!has_nation) {
        size_t cnt = 0;
        double sum = 0;
        for (size_t d = 0; d < nd; d++)
            means[d] = 0;
        size_t *dcnt = wb_calloc(nd + 1, sizeof *dcnt);
        if (!dcnt) {
            error = WB_ENOMEM;
            goto done;
        }
        for (size_t k = 0; k < na; k++) {
            double v = s.res.score[(size_t)t * na + k];
            if (isnan(v))
                continue;
            sum += v;
            cnt++;
            for (size_t d = 0; d < nd; d++) {
                double dv = s.res.dims[((size_t)t * nd + d) * na + k];
                if (!isnan(dv)) {
                    means[d] += dv;
                    dcnt[d]++;
                }
            }
        }
        for (size_t d = 0; d < nd; d++)
            means[d] = dcnt[d] ? means[d] / (double)dcnt[d] : NAN;
        wb_free(dcnt);
        double mscore = cnt ? sum / (double)cnt : NAN;
        card_row(&j, "level_mean", NULL, NULL, mscore, wb_model_classify(s.m, mscore, year), NAN, means, nd, cnt);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    error = wb_json_finish(&j);
done:
    for (int c = 0; c < 4; c++)
        wb_free(names[c]);
    wb_free(raw);
    wb_free(means);
    wb_web__score_done(&s);
    return error;
}
