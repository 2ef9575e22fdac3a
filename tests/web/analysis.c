/**
 * @file
 * @brief API tests of the analysis routes (src/web/routes_spatial.c, routes_trend.c): map
 * classes, LISA, global Moran, Gi*, trends since 2012 and the score card, over real HTTP on
 * the fixture store (tests/web/helpers.c). Expected values come from wbt_fixture_value (what
 * the fixture stored), from hand computations written out below, or from the `wijkbeeld`
 * commands run on the same store (LISA, Moran, Gi*, trend), which the spatial and trend
 * modules test against spdep and R.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "web/webtest.h"

/* ---------------------------------------------------------------- helpers */

static json_t *get_json_h(int port, const char *target, int want_status, char *xcache, size_t n)
{
    wbt_http r = wbt_http_req(port, "GET", target, NULL);
    ASSERT_MSG(r.status == want_status, "GET %s: status %d, expected %d; body %.300s", target, r.status,
               want_status, r.body);
    char ct[128];
    ASSERT_MSG(wbt_http_header(&r, "Content-Type", ct, sizeof ct) && strstr(ct, "json"), "GET %s: Content-Type %s",
               target, r.head);
    if (xcache && !wbt_http_header(&r, "X-Cache", xcache, n))
        xcache[0] = 0;
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    ASSERT_MSG(j, "GET %s: invalid JSON (%s): %.200s", target, err.text, r.body);
    wbt_http_free(&r);
    return j;
}

static json_t *get_json(int port, const char *target)
{
    return get_json_h(port, target, 200, NULL, 0);
}

/* A 4xx/5xx with the JSON error body; returns its "param" ("" when none; static). */
static const char *expect_error(int port, const char *target, int status)
{
    static char param[64];
    wbt_http r = wbt_http_req(port, "GET", target, NULL);
    ASSERT_MSG(r.status == status, "GET %s: status %d, expected %d; body %s", target, r.status, status, r.body);
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    ASSERT_MSG(j && json_is_string(json_object_get(j, "error")), "GET %s: no JSON error body: %s", target, r.body);
    const char *p = json_string_value(json_object_get(j, "param"));
    snprintf(param, sizeof param, "%s", p ? p : "");
    json_decref(j);
    wbt_http_free(&r);
    return param;
}

static double num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Models of the tests (written to the test's temp dir):
 * - t: the Leefbaarometer dimension lbm_won alone (transform none, sum), nine classes with an
 *   offset for 2016 only: class boundaries on lbm_won + 4;
 * - same: lbm alone, so its score is lbm itself;
 * - lbm: an lbm.model over the fixture's lbm with classes in 2018 (the lbm indicator falls
 *   back to it where no lbm_klasse is published). */
static const char *models_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s", wbt_tmp("models"));
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    ASSERT(system(cmd) == 0);
    char p[4200];
    snprintf(p, sizeof p, "%s/t.model", dir);
    wbt_write(p, "[model]\nname = t\ntitle = Test\ntransform = none\naggregate = sum\nmin_coverage = 1\n"
                 "[dimension won]\nlabel = woningen\nindicator lbm_won direction=+ weight=1\n"
                 "[classes]\nthresholds = 3.86 3.88 3.90 3.92 3.94 3.96 3.98 4.00\noffset 2016 = 4\n");
    snprintf(p, sizeof p, "%s/same.model", dir);
    wbt_write(p, "[model]\nname = same\ntransform = none\naggregate = sum\n"
                 "[dimension all]\nindicator lbm direction=+ weight=1\n");
    snprintf(p, sizeof p, "%s/lbm.model", dir);
    wbt_write(p, "[model]\nname = lbm\ntransform = none\naggregate = sum\n"
                 "[dimension all]\nindicator lbm direction=+ weight=1\n"
                 "[classes]\nthresholds = 0.8 0.85 0.9 0.95 1.0 1.05 1.1 1.15\noffset 2018 = 1\n");
    return dir;
}

typedef struct {
    wb_server *srv;
    int port;
    char db[4096];
} fx;

static fx setup(void)
{
    fx f;
    snprintf(f.db, sizeof f.db, "%s", wbt_tmp("fx.db"));
    wbt_fixture_db(f.db);
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.threads = 2;
    o.models_dir = models_dir();
    f.srv = NULL;
    WB_PASS(wb_server_start(&f.srv, f.db, &o));
    f.port = wb_server_port(f.srv);
    return f;
}

/* The class 1..9 of score s with thresholds t[0..7]: k + 1 when s >= t[k-1] (hand rule of
 * wb_model_classify). */
static int klass9(double s, const double *t)
{
    int k = 1;
    for (int i = 0; i < 8; i++)
        if (s >= t[i])
            k++;
    return k;
}

/* ---------------------------------------------------------------- /api/classes */

TEST(web_analysis, classes_published_lbm_classes)
{
    fx f = setup();
    /* lbm with lbm_klasse stored: every area gets its published class (the fixture's
     * lbm_klasse is 1 + (3 area + t) mod 9, independent of lbm, so the boundaries between
     * classes cannot be derived from the data: all null) */
    json_t *j = get_json(f.port, "/api/classes?indicator=lbm&level=buurt&year=2016");
    ASSERT_EQ_S(str(j, "scheme"), "lbm");
    ASSERT_EQ_S(str(j, "source"), "published");
    ASSERT_EQ_S(str(j, "palette"), "lbm");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "boundary_year")), 2016);
    json_t *vals = json_object_get(j, "values");
    ASSERT_EQ_I(json_array_size(vals), 12);
    size_t counts[10] = {0};
    for (int w = 0; w < WBT_NWIJK; w++)
        for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++) {
            json_t *v = json_array_get(vals, (size_t)(w * WBT_NBUURT_PER_WIJK + b));
            int a = wbt_area_index_buurt(w, b);
            ASSERT_EQ_S(str(v, "code"), wbt_buurt_code(w, b));
            ASSERT_CLOSE(num(v, "value"), wbt_fixture_value(0, a, 2016), 0);
            int k = (int)wbt_fixture_value(5, a, 2016);
            ASSERT_EQ_I(json_integer_value(json_object_get(v, "class")), k);
            counts[k]++;
        }
    json_t *cl = json_object_get(j, "classes");
    ASSERT_EQ_I(json_array_size(cl), 9);
    for (int k = 1; k <= 9; k++) {
        json_t *c = json_array_get(cl, (size_t)(k - 1));
        ASSERT_EQ_I(json_integer_value(json_object_get(c, "class")), k);
        ASSERT_EQ_I(json_integer_value(json_object_get(c, "n")), (long long)counts[k]);
    }
    ASSERT_EQ_S(str(json_array_get(cl, 0), "label"), "zeer onvoldoende");
    ASSERT_EQ_S(str(json_array_get(cl, 8), "label"), "uitstekend");
    json_decref(j);
    /* lbm_klasse itself: the value is the class */
    j = get_json(f.port, "/api/classes?indicator=lbm_klasse&level=wijk&year=2014");
    ASSERT_EQ_S(str(j, "scheme"), "lbm");
    json_t *v0 = json_array_get(json_object_get(j, "values"), 0);
    ASSERT_EQ_I(json_integer_value(json_object_get(v0, "class")), (int)wbt_fixture_value(5, 1, 2014));
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, classes_from_the_model_thresholds_with_a_yearly_offset)
{
    fx f = setup();
    /* model t: score = lbm_won; thresholds 3.86 .. 4.00 on score + 4 (2016), i.e. -0.14 ..
     * 0.00 on the score scale. lbm_won of buurt area a in 2016 (t = 2) is
     * -0.125 + 0.015625 (a mod 5) + 0.0625 */
    const double thr[8] = {3.86, 3.88, 3.90, 3.92, 3.94, 3.96, 3.98, 4.00};
    json_t *j = get_json(f.port, "/api/classes?model=t&level=buurt&year=2016");
    ASSERT_EQ_S(str(j, "scheme"), "lbm");
    ASSERT_EQ_S(str(j, "source"), "model");
    ASSERT_EQ_S(str(j, "thresholds_source"), "model");
    ASSERT_CLOSE(num(j, "offset"), 4, 0);
    json_t *cl = json_object_get(j, "classes");
    ASSERT(isnan(num(json_array_get(cl, 0), "from")));
    for (int k = 2; k <= 9; k++) {
        ASSERT_CLOSE(num(json_array_get(cl, (size_t)(k - 1)), "from"), thr[k - 2] - 4, 1e-12);
        ASSERT_CLOSE(num(json_array_get(cl, (size_t)(k - 1)), "from_abs"), thr[k - 2], 1e-12);
    }
    json_t *vals = json_object_get(j, "values");
    ASSERT_EQ_I(json_array_size(vals), 12);
    for (int w = 0; w < WBT_NWIJK; w++)
        for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++) {
            json_t *v = json_array_get(vals, (size_t)(w * WBT_NBUURT_PER_WIJK + b));
            double s = wbt_fixture_value(1, wbt_area_index_buurt(w, b), 2016);
            ASSERT_CLOSE(num(v, "value"), s, 1e-15);
            ASSERT_EQ_I(json_integer_value(json_object_get(v, "class")), klass9(s + 4, thr));
        }
    json_decref(j);
    /* 2014 has no offset: no classes for that year, quantiles instead, and it says why */
    j = get_json(f.port, "/api/classes?model=t&level=buurt&year=2014");
    ASSERT_EQ_S(str(j, "scheme"), "quantile");
    ASSERT_EQ_S(str(j, "reason"), "no_thresholds_for_year");
    ASSERT_EQ_S(str(j, "palette"), "diverging");
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, classes_lbm_falls_back_to_the_lbm_model)
{
    fx f = setup();
    /* no published class in 2018: every buurt's lbm_klasse stored as missing */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, f.db, 0));
    int64_t ind, area;
    WB_PASS(wb_store_indicator_resolve(st, &ind, NULL, "lbm_klasse"));
    for (int w = 0; w < WBT_NWIJK; w++)
        for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++) {
            WB_PASS(wb_store_area_find(st, &area, wbt_buurt_code(w, b), WBT_BYEAR));
            WB_PASS(wb_store_obs_put(st, ind, area, 2018, NAN));
        }
    wb_store_free(st);
    /* the test's lbm.model: thresholds 0.80 .. 1.15 on lbm + 1 in 2018. lbm of buurt area a
     * in 2018 (t = 3): -0.25 + 0.03125 a + 0.1875 (- 0.25 for a = 5) */
    const double thr[8] = {0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15};
    json_t *j = get_json(f.port, "/api/classes?indicator=lbm&level=buurt&year=2018");
    ASSERT_EQ_S(str(j, "scheme"), "lbm");
    ASSERT_EQ_S(str(j, "source"), "model");
    ASSERT_EQ_S(str(j, "thresholds_model"), "lbm");
    json_t *vals = json_object_get(j, "values");
    for (int w = 0; w < WBT_NWIJK; w++)
        for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++) {
            json_t *v = json_array_get(vals, (size_t)(w * WBT_NBUURT_PER_WIJK + b));
            double s = wbt_fixture_value(0, wbt_area_index_buurt(w, b), 2018);
            ASSERT_EQ_I(json_integer_value(json_object_get(v, "class")), klass9(s + 1, thr));
        }
    json_decref(j);
    /* 2020: published classes again, and the model has no offset: no agreement reported */
    j = get_json(f.port, "/api/classes?indicator=lbm&level=buurt&year=2020");
    ASSERT_EQ_S(str(j, "source"), "published");
    ASSERT(json_is_null(json_object_get(j, "agreement")));
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, classes_quantiles_and_equal_intervals_in_the_direction)
{
    fx f = setup();
    /* p_hh_li (higher is worse) of the 12 buurten in 2016: 5 + 0.5 a - 0.5 for a = 4..15, i.e.
     * 6.5, 7.0, ..., 12.0. Quantiles (k = 5): sorted s[0..11], breaks s[floor(i 12 / 5)] for
     * i = 1..4 = s[2], s[4], s[7], s[9] = 7.5, 8.5, 10.0, 11.0; class sizes 2, 2, 3, 2, 3. */
    json_t *j = get_json(f.port, "/api/classes?indicator=p_hh_li&level=buurt&year=2016");
    ASSERT_EQ_S(str(j, "scheme"), "quantile");
    ASSERT_EQ_S(str(j, "palette"), "diverging_reversed");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "direction")), -1);
    json_t *cl = json_object_get(j, "classes");
    ASSERT_EQ_I(json_array_size(cl), 5);
    const double qb[4] = {7.5, 8.5, 10.0, 11.0};
    const int qn[5] = {2, 2, 3, 2, 3};
    for (int c = 0; c < 5; c++) {
        json_t *x = json_array_get(cl, (size_t)c);
        ASSERT_CLOSE(num(x, "from"), c ? qb[c - 1] : 6.5, 0);
        ASSERT_CLOSE(num(x, "to"), c < 4 ? qb[c] : 12.0, 0);
        ASSERT_EQ_I(json_integer_value(json_object_get(x, "n")), qn[c]);
    }
    json_decref(j);
    /* equal intervals: width (12 - 6.5) / 5 = 1.1, breaks 7.6, 8.7, 9.8, 10.9; sizes 3, 2, 2, 2, 3 */
    j = get_json(f.port, "/api/classes?indicator=p_hh_li&level=buurt&year=2016&method=equal");
    ASSERT_EQ_S(str(j, "scheme"), "equal");
    cl = json_object_get(j, "classes");
    const int en[5] = {3, 2, 2, 2, 3};
    for (int c = 0; c < 5; c++) {
        json_t *x = json_array_get(cl, (size_t)c);
        if (c)
            ASSERT_CLOSE(num(x, "from"), 6.5 + 1.1 * c, 1e-12);
        ASSERT_EQ_I(json_integer_value(json_object_get(x, "n")), en[c]);
    }
    json_decref(j);
    /* lbm forced to quantiles (k = 3); a neutral indicator is sequential */
    j = get_json(f.port, "/api/classes?indicator=lbm&level=buurt&year=2016&method=quantile&k=3");
    ASSERT_EQ_S(str(j, "scheme"), "quantile");
    ASSERT_EQ_I(json_array_size(json_object_get(j, "classes")), 3);
    json_decref(j);
    j = get_json(f.port, "/api/classes?indicator=a_inw&level=buurt&year=2016");
    ASSERT_EQ_S(str(j, "palette"), "sequential");
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, classes_bad_requests_and_cache)
{
    fx f = setup();
    ASSERT_EQ_S(expect_error(f.port, "/api/classes?level=buurt&year=2016", 400), "indicator");
    ASSERT_EQ_S(expect_error(f.port, "/api/classes?indicator=lbm&model=t&level=buurt&year=2016", 400), "model");
    ASSERT_EQ_S(expect_error(f.port, "/api/classes?indicator=lbm&level=buurt", 400), "year");
    ASSERT_EQ_S(expect_error(f.port, "/api/classes?indicator=lbm&level=buurt&year=2016&method=jenks", 400), "method");
    ASSERT_EQ_S(expect_error(f.port, "/api/classes?indicator=lbm&level=buurt&year=2016&k=2", 400), "k");
    ASSERT_EQ_S(expect_error(f.port, "/api/classes?indicator=lbm&level=buurt&year=2016&k=10", 400), "k");
    ASSERT_EQ_S(expect_error(f.port, "/api/classes?model=..%2Ft&level=buurt&year=2016", 400), "model");
    expect_error(f.port, "/api/classes?indicator=nope&level=buurt&year=2016", 404);
    expect_error(f.port, "/api/classes?model=nope&level=buurt&year=2016", 404);
    expect_error(f.port, "/api/classes?indicator=lbm&level=buurt&year=2013", 404);
    /* cached: a miss, then a hit with the same bytes; a store change is seen */
    char xc[16];
    json_t *a = get_json_h(f.port, "/api/classes?indicator=g_woz&level=wijk&year=2016", 200, xc, sizeof xc);
    ASSERT_EQ_S(xc, "miss");
    json_t *b = get_json_h(f.port, "/api/classes?indicator=g_woz&level=wijk&year=2016", 200, xc, sizeof xc);
    ASSERT_EQ_S(xc, "hit");
    ASSERT(json_equal(a, b));
    json_decref(b);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, f.db, 0));
    int64_t ind, area;
    WB_PASS(wb_store_indicator_resolve(st, &ind, NULL, "g_woz"));
    WB_PASS(wb_store_area_find(st, &area, "WK999901", 2016));
    WB_PASS(wb_store_obs_put(st, ind, area, 2016, 999.5));
    wb_store_free(st);
    b = get_json_h(f.port, "/api/classes?indicator=g_woz&level=wijk&year=2016", 200, xc, sizeof xc);
    ASSERT_EQ_S(xc, "miss");
    ASSERT_CLOSE(num(json_array_get(json_object_get(b, "values"), 0), "value"), 999.5, 0);
    json_decref(a);
    json_decref(b);
    wb_server_stop(f.srv, 1000);
}

/* ---------------------------------------------------------------- LISA, Moran, Gi* */

/* Split a CSV line in place (no quoting in these outputs). */
static int split(char *line, char **cols, int max)
{
    int n = 0;
    for (char *p = line; p && n < max;) {
        cols[n++] = p;
        char *c = strchr(p, ',');
        if (c)
            *c++ = 0;
        p = c;
    }
    return n;
}

static double cell_num(const char *s)
{
    return *s ? strtod(s, NULL) : NAN;
}

static void same_num(double api, double cli, const char *what, const char *code)
{
    ASSERT_MSG((isnan(api) && isnan(cli)) || api == cli, "%s of %s: API %.17g, CLI %.17g", what, code, api, cli);
}

/* /api/lisa against `wijkbeeld lisa ... --format csv` on the same store: the same areas in
 * the same order, every number bit for bit, the same clusters. */
static void lisa_equals_cli(int port, const char *db, const char *query, const char *cli_args)
{
    char target[512];
    snprintf(target, sizeof target, "/api/lisa?%s", query);
    json_t *j = get_json(port, target);
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' lisa %s --format csv", db, cli_args);
    ASSERT_MSG(r.status == 0, "lisa %s: %s", cli_args, r.err);
    char *save = NULL, *line = strtok_r(r.out, "\n", &save);
    ASSERT_EQ_S(line, "code,value,Ii,E_Ii,Var_Ii,z,p,p_perm,cluster");
    size_t i = 0;
    static const char *const keys[] = {"value", "Ii", "E_Ii", "Var_Ii", "z", "p", "p_perm"};
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *c[9];
        ASSERT_EQ_I(split(line, c, 9), 9);
        json_t *o = json_array_get(j, i++);
        ASSERT_MSG(o, "the API has fewer rows than the CLI (%zu)", i);
        ASSERT_EQ_S(str(o, "code"), c[0]);
        for (int k = 0; k < 7; k++)
            same_num(num(o, keys[k]), cell_num(c[k + 1]), keys[k], c[0]);
        ASSERT_EQ_S(str(o, "cluster"), c[8]);
    }
    ASSERT_EQ_I(i, json_array_size(j));
    ASSERT(i > 0);
    wbt_run_free(&r);
    json_decref(j);
}

TEST(web_analysis, lisa_equals_the_cli)
{
    fx f = setup();
    lisa_equals_cli(f.port, f.db, "indicator=lbm&level=buurt&year=2016&permutations=199&seed=7",
                    "--indicator lbm --level buurt --year 2016 --boundary-year 2016 --permutations 199 --seed 7");
    lisa_equals_cli(f.port, f.db, "indicator=g_woz&level=buurt&year=2020&weights=rook&alpha=0.1&fdr=1",
                    "--indicator g_woz --level buurt --year 2020 --boundary-year 2016 --weights rook --alpha 0.1 --fdr");
    lisa_equals_cli(f.port, f.db, "indicator=p_hh_li&level=buurt&year=2012&weights=knn&k=3&permutations=0",
                    "--indicator p_hh_li --level buurt --year 2012 --boundary-year 2016 --weights knn --k 3 --permutations 0");
    /* the defaults of the route are the CLI's: queen, 999 permutations, seed 1, alpha 0.05 */
    lisa_equals_cli(f.port, f.db, "indicator=lbm_won&level=buurt&year=2014",
                    "--indicator lbm_won --level buurt --year 2014 --boundary-year 2016");
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, lisa_of_a_model_score_and_bad_requests)
{
    fx f = setup();
    /* model "same" scores lbm itself: its LISA is the LISA of lbm, bit for bit */
    json_t *a = get_json(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2018&permutations=99");
    json_t *b = get_json(f.port, "/api/lisa?model=same&level=buurt&year=2018&permutations=99");
    ASSERT(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    /* one buurt without a value (g_woz 2020 of BU99990203 is missing): left out, as the CLI does */
    a = get_json(f.port, "/api/lisa?indicator=g_woz&level=buurt&year=2020");
    ASSERT_EQ_I(json_array_size(a), 11);
    json_decref(a);
    a = get_json(f.port, "/api/moran?indicator=g_woz&level=buurt&year=2020&permutations=9");
    ASSERT_EQ_I(json_integer_value(json_object_get(a, "n")), 11);
    ASSERT_EQ_I(json_integer_value(json_object_get(a, "n_missing")), 1);
    json_decref(a);
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&permutations=10000", 400),
                "permutations");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&permutations=-1", 400),
                "permutations");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&seed=x", 400), "seed");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&alpha=0.2", 400), "alpha");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&fdr=2", 400), "fdr");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&weights=bishop", 400), "weights");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&k=3", 400), "k");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&weights=knn&k=0", 400), "k");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?level=buurt&year=2016", 400), "indicator");
    ASSERT_EQ_S(expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&sort=1", 400), "sort");
    ASSERT_EQ_S(expect_error(f.port, "/api/moran?indicator=lbm&level=buurt&year=2016&alpha=0.05", 400), "alpha");
    expect_error(f.port, "/api/lisa?indicator=nope&level=buurt&year=2016", 404);
    expect_error(f.port, "/api/lisa?indicator=lbm&level=buurt&year=2016&boundary_year=2015", 404);
    /* zero variance (lbm_klasse 2016 of the wijken is 1 + (3 a + 2) mod 9 = 6, 9, 3: not
     * constant; a constant: the same value everywhere, written here) */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, f.db, 0));
    int64_t ind, area;
    WB_PASS(wb_store_indicator_resolve(st, &ind, NULL, "lbm_won"));
    for (int w = 0; w < WBT_NWIJK; w++)
        for (int bb = 0; bb < WBT_NBUURT_PER_WIJK; bb++) {
            WB_PASS(wb_store_area_find(st, &area, wbt_buurt_code(w, bb), WBT_BYEAR));
            WB_PASS(wb_store_obs_put(st, ind, area, 2012, 0.5));
        }
    wb_store_free(st);
    expect_error(f.port, "/api/lisa?indicator=lbm_won&level=buurt&year=2012", 400);
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, moran_and_getis_equal_the_cli)
{
    fx f = setup();
    char xc[16];
    json_t *m = get_json_h(f.port, "/api/moran?indicator=lbm&level=buurt&year=2016&permutations=499&seed=3", 200, xc,
                           sizeof xc);
    ASSERT_EQ_S(xc, "miss");
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' moran --indicator lbm --level buurt --year 2016 "
                                     "--permutations 499 --seed 3 --format json",
                               f.db);
    ASSERT_MSG(r.status == 0, "moran: %s", r.err);
    json_error_t err;
    json_t *c = json_loads(r.out, 0, &err);
    ASSERT_MSG(c, "moran JSON: %s", err.text);
    static const char *const keys[] = {"n", "I", "E_I", "var_norm", "z_norm", "p_norm", "var_rand", "z_rand",
                                       "p_rand", "permutations", "p_perm"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        same_num(num(m, keys[k]), num(c, keys[k]), keys[k], "moran");
    json_decref(c);
    json_decref(m);
    wbt_run_free(&r);
    m = get_json_h(f.port, "/api/moran?indicator=lbm&level=buurt&year=2016&permutations=499&seed=3", 200, xc, sizeof xc);
    ASSERT_EQ_S(xc, "hit");
    json_decref(m);
    /* Gi* */
    json_t *g = get_json(f.port, "/api/getis?indicator=g_woz&level=buurt&year=2016&star=1");
    r = wbt_run(NULL, "--quiet --db '%s' getis --star --indicator g_woz --level buurt --year 2016 --format csv", f.db);
    ASSERT_MSG(r.status == 0, "getis: %s", r.err);
    char *save = NULL, *line = strtok_r(r.out, "\n", &save);
    ASSERT_EQ_S(line, "code,value,G,z,p");
    size_t i = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *col[5];
        ASSERT_EQ_I(split(line, col, 5), 5);
        json_t *o = json_array_get(g, i++);
        ASSERT_EQ_S(str(o, "code"), col[0]);
        same_num(num(o, "G"), cell_num(col[2]), "G", col[0]);
        same_num(num(o, "z"), cell_num(col[3]), "z", col[0]);
        same_num(num(o, "p"), cell_num(col[4]), "p", col[0]);
        /* the spot at alpha 0.05 */
        double z = cell_num(col[3]), p = cell_num(col[4]);
        ASSERT_EQ_S(str(o, "spot"), p < 0.05 ? (z > 0 ? "hot" : "cold") : "ns");
    }
    ASSERT_EQ_I(i, json_array_size(g));
    ASSERT_EQ_I(i, 12);
    wbt_run_free(&r);
    json_decref(g);
    wb_server_stop(f.srv, 1000);
}

/* ---------------------------------------------------------------- trends and score card */

TEST(web_analysis, trend_since_2012_and_rigo_groups)
{
    fx f = setup();
    /* the fixture's years are 2012..2020: no two years before the break, so the hinge cannot
     * be fitted and Theil-Sen with Mann-Kendall on 2012..2020 decide, as `trend --rule sen` */
    json_t *j = get_json(f.port, "/api/trend?indicator=lbm&level=buurt");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "break_year")), 2012);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "boundary_year")), 2016);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "years")), 5);
    json_t *res = json_object_get(j, "results");
    ASSERT_EQ_I(json_array_size(res), 12);
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' trend --indicator lbm --level buurt --break 2012 --rule sen "
                                     "--format csv",
                               f.db);
    ASSERT_MSG(r.status == 0, "trend: %s", r.err);
    char *save = NULL, *line = strtok_r(r.out, "\n", &save);
    static const char head[] = "code,n,first_year,last_year,mk_s,mk_tau,mk_p,sen_slope,slope_before,slope_after,trend,group";
    ASSERT_MSG(!strncmp(line, head, sizeof head - 1), "trend header: %s", line);
    size_t i = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *c[12];
        ASSERT(split(line, c, 12) == 12);
        json_t *o = json_array_get(res, i++);
        ASSERT_EQ_S(str(o, "code"), c[0]);
        ASSERT_EQ_I(json_integer_value(json_object_get(o, "n")), atoi(c[1]));
        same_num(num(o, "mk_p"), cell_num(c[6]), "mk_p", c[0]);
        same_num(num(o, "sen_slope"), cell_num(c[7]), "sen_slope", c[0]);
        ASSERT_EQ_S(str(o, "trend"), c[10]);
        ASSERT_EQ_S(str(o, "group"), c[11]);
        ASSERT_EQ_S(str(o, "rule"), "sen");
    }
    ASSERT_EQ_I(i, 12);
    wbt_run_free(&r);
    /* lbm rises by 0.0625 every two years in every buurt: five increasing points, S = 10,
     * exact two-sided p = 2 / 5! = 1/60 < 0.05: improving, slope 0.03125 a year */
    json_t *o = json_array_get(res, 0);
    ASSERT_EQ_S(str(o, "trend"), "improving");
    ASSERT_CLOSE(num(o, "class_slope"), 0.03125, 1e-12);
    ASSERT_CLOSE(num(o, "mk_p"), 1.0 / 60, 1e-12);
    json_decref(j);
    /* one area */
    j = get_json(f.port, "/api/trend?indicator=lbm&level=buurt&code=BU99990101");
    ASSERT_EQ_I(json_array_size(json_object_get(j, "results")), 1);
    ASSERT_EQ_S(str(json_array_get(json_object_get(j, "results"), 0), "code"), "BU99990101");
    json_decref(j);
    expect_error(f.port, "/api/trend?indicator=lbm&level=buurt&code=BU99999999", 404);
    ASSERT_EQ_S(expect_error(f.port, "/api/trend?indicator=lbm&level=buurt&break=12", 400), "break");
    ASSERT_EQ_S(expect_error(f.port, "/api/trend?indicator=lbm", 400), "level");
    /* the profile's trend member has the break too */
    j = get_json(f.port, "/api/areas/BU99990101");
    json_t *inds = json_object_get(j, "indicators"), *ind;
    size_t k;
    int seen = 0;
    json_array_foreach(inds, k, ind)
    {
        if (strcmp(str(ind, "key"), "lbm"))
            continue;
        json_t *tr = json_object_get(ind, "trend");
        ASSERT_EQ_S(str(tr, "class"), "improving");
        ASSERT_CLOSE(num(tr, "break_year"), 2012, 0);
        ASSERT_EQ_S(str(tr, "rule"), "sen");
        ASSERT_CLOSE(num(tr, "slope"), 0.03125, 1e-12);
        seen = 1;
    }
    ASSERT(seen);
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, trend_with_years_before_the_break_uses_the_hinge)
{
    fx f = setup();
    /* add 2008 and 2010 for BU99990100 (area 4): lbm 0.375 and 0.125 before the fixture's
     * 2012..2020 values -0.125, -0.0625, 0, 0.0625, 0.125 (-0.25 + 0.03125 * 4 + 0.0625 t).
     * Both pieces are straight lines meeting at 2012, so the hinge at 2012 fits exactly:
     * slope before (0.125 - 0.375) / 2 = -0.125 a year, after 0.0625 / 2 = 0.03125 a year. */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, f.db, 0));
    int64_t ind, area;
    WB_PASS(wb_store_indicator_resolve(st, &ind, NULL, "lbm"));
    WB_PASS(wb_store_area_find(st, &area, "BU99990100", WBT_BYEAR));
    WB_PASS(wb_store_obs_put(st, ind, area, 2008, 0.375));
    WB_PASS(wb_store_obs_put(st, ind, area, 2010, 0.125));
    wb_store_free(st);
    json_t *j = get_json(f.port, "/api/trend?indicator=lbm&level=buurt&code=BU99990100");
    json_t *o = json_array_get(json_object_get(j, "results"), 0);
    ASSERT_EQ_S(str(o, "rule"), "hinge");
    ASSERT_CLOSE(num(o, "slope_before"), -0.125, 1e-9);
    ASSERT_CLOSE(num(o, "slope_after"), 0.03125, 1e-9);
    ASSERT_EQ_I(json_integer_value(json_object_get(o, "n")), 7);
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_analysis, score_card_beside_wijk_gemeente_and_the_level_mean)
{
    fx f = setup();
    /* model t: score = lbm_won; the fixture stores lbm_won for the buurt (area 5 =
     * BU99990101), its wijk WK999901 (area 1) and GM9999 (area 0), not for NL00: the last
     * column is the unweighted mean of the 12 buurten */
    json_t *j = get_json(f.port, "/api/scorecard?model=t&code=BU99990101&year=2016");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "year")), 2016);
    json_t *rows = json_object_get(j, "rows");
    ASSERT_EQ_I(json_array_size(rows), 4);
    static const char *const roles[] = {"area", "wijk", "gemeente", "level_mean"};
    static const char *const codes[] = {"BU99990101", "WK999901", "GM9999", NULL};
    static const int areas[] = {5, 1, 0};
    const double thr[8] = {3.86, 3.88, 3.90, 3.92, 3.94, 3.96, 3.98, 4.00};
    for (int r = 0; r < 4; r++) {
        json_t *o = json_array_get(rows, (size_t)r);
        ASSERT_EQ_S(str(o, "role"), roles[r]);
        double want;
        if (r < 3) {
            ASSERT_EQ_S(str(o, "code"), codes[r]);
            want = wbt_fixture_value(1, areas[r], 2016);
        } else {
            want = 0;
            for (int a = 4; a < 16; a++)
                want += wbt_fixture_value(1, a, 2016) / 12;
            ASSERT_EQ_I(json_integer_value(json_object_get(o, "n_areas")), 12);
        }
        ASSERT_CLOSE(num(o, "score"), want, 1e-12);
        ASSERT_CLOSE(json_number_value(json_array_get(json_object_get(o, "dims"), 0)), want, 1e-12);
        ASSERT_EQ_I(json_integer_value(json_object_get(o, "class")), klass9(want + 4, thr));
    }
    ASSERT_EQ_S(str(json_array_get(rows, 1), "name"), "Centrum");
    json_decref(j);
    /* a wijk: gemeente and level mean; the latest year with a score by default */
    j = get_json(f.port, "/api/scorecard?model=t&code=WK999902");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "year")), 2020);
    ASSERT_EQ_S(str(json_array_get(json_object_get(j, "rows"), 1), "role"), "gemeente");
    json_decref(j);
    ASSERT_EQ_S(expect_error(f.port, "/api/scorecard?model=t&code=NL00", 400), "code");
    ASSERT_EQ_S(expect_error(f.port, "/api/scorecard?code=WK999902", 400), "model");
    expect_error(f.port, "/api/scorecard?model=t&code=WK999909", 404);
    expect_error(f.port, "/api/scorecard?model=t&code=WK999902&year=2013", 404);
    wb_server_stop(f.srv, 1000);
}

/* The analysis routes are monitor data: closed to visitors without an account when the admin
 * closes the monitor (`setting set monitor_public 0`), as /api/values is. */
TEST(web_analysis, closed_monitor_closes_the_analysis_routes)
{
    fx f = setup();
    static const char *const targets[] = {
        "/api/classes?indicator=lbm&level=buurt&year=2016", "/api/lisa?indicator=lbm&level=buurt&year=2016",
        "/api/moran?indicator=lbm&level=buurt&year=2016", "/api/getis?indicator=lbm&level=buurt&year=2016",
        "/api/trend?indicator=lbm&level=buurt", "/api/scorecard?model=t&code=BU99990101", "/api/values?indicator=lbm&level=buurt&year=2016"};
    size_t n = sizeof targets / sizeof targets[0];
    for (size_t i = 0; i < n; i++) {
        wbt_http r = wbt_http_req(f.port, "GET", targets[i], NULL);
        ASSERT_MSG(r.status == 200, "GET %s while public: %d", targets[i], r.status);
        wbt_http_free(&r);
    }
    wbt_run_result rr = wbt_run(NULL, "--quiet --db '%s' setting set monitor_public 0", f.db);
    ASSERT_MSG(rr.status == 0, "setting set: %s", rr.err);
    wbt_run_free(&rr);
    for (size_t i = 0; i < n; i++) {
        wbt_http r = wbt_http_req(f.port, "GET", targets[i], NULL);
        ASSERT_MSG(r.status == 401, "GET %s while closed: %d, expected 401 as /api/values", targets[i], r.status);
        wbt_http_free(&r);
    }
    wb_server_stop(f.srv, 1000);
}
