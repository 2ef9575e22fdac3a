/**
 * @file
 * @brief API tests of /api/markov, /api/hotspots and /api/lisa|moran?bivariate= (src/web/
 * routes_spacetime.c) over real HTTP on the fixture store (tests/web/helpers.c): every
 * number equals what the `markov`, `hotspots`, `lisa --bivariate` and `moran --bivariate`
 * commands print for the same store (those are tested against R and spdep in
 * tests/spacetime), and bad requests get a 400 or 404 naming the parameter.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"
#include "web/webtest.h"

static json_t *get_json(int port, const char *target)
{
    wbt_http r = wbt_http_req(port, "GET", target, NULL);
    ASSERT_MSG(r.status == 200, "GET %s: status %d; body %.300s", target, r.status, r.body);
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    ASSERT_MSG(j, "GET %s: invalid JSON (%s)", target, err.text);
    wbt_http_free(&r);
    return j;
}

static void expect_error(int port, const char *target, int status, const char *param, const char *msg)
{
    wbt_http r = wbt_http_req(port, "GET", target, NULL);
    ASSERT_MSG(r.status == status, "GET %s: status %d, expected %d; body %s", target, r.status, status, r.body);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    ASSERT_MSG(j, "GET %s: no JSON body", target);
    if (param)
        ASSERT_EQ_S(json_string_value(json_object_get(j, "param")), param);
    if (msg)
        ASSERT_MSG(strstr(json_string_value(json_object_get(j, "error")), msg), "GET %s: %s", target, r.body);
    json_decref(j);
    wbt_http_free(&r);
}

static double jnum(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void cli_csv(ref_csv *c, const char *db, const char *args)
{
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' %s --format csv", db, args);
    ASSERT_MSG(r.status == 0, "%s: %s", args, r.err);
    char *t = strdup(r.out);
    wbt_run_free(&r);
    ref_csv_parse(c, t, args);
}

static void same(double api, double cli, const char *what)
{
    ASSERT_MSG((isnan(api) && isnan(cli)) || api == cli, "%s: API %.17g, CLI %.17g", what, api, cli);
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
    f.srv = NULL;
    WB_PASS(wb_server_start(&f.srv, f.db, &o));
    f.port = wb_server_port(f.srv);
    return f;
}

/* chains[chain] of periods[0] against the CLI's rows (lag_class = chain when spatial) */
static void chain_equals_cli(json_t *period, size_t chain, const ref_csv *tr, const ref_csv *st, const ref_csv *mf,
                             size_t k, int spatial)
{
    json_t *c = json_array_get(json_object_get(period, "chains"), chain);
    ASSERT(c);
    json_t *counts = json_object_get(c, "counts"), *p = json_object_get(c, "p"), *m = json_object_get(c, "mfpt");
    size_t off = spatial ? (chain - 1) * k * k : 0, hits = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            size_t r = off + i * k + j;
            if (spatial)
                ASSERT_EQ_I(ref_num(tr, r, ref_col(tr, "lag_class")), chain);
            same(jnum(json_array_get(json_array_get(counts, i), j)), ref_num(tr, r, ref_col(tr, "count")), "count");
            same(jnum(json_array_get(json_array_get(p, i), j)), ref_num(tr, r, ref_col(tr, "probability")), "p");
            same(jnum(json_array_get(json_array_get(m, i), j)), ref_num(mf, r, ref_col(mf, "mfpt")), "mfpt");
            hits++;
        }
    json_t *s = json_object_get(c, "steady");
    size_t rows = 0;
    for (size_t r = 0; r < st->nrows; r++) {
        if (spatial && ref_num(st, r, ref_col(st, "lag_class")) != (double)chain)
            continue;
        size_t rc = (size_t)ref_num(st, r, ref_col(st, "recurrent_class")) - 1;
        size_t cl = rows++ % k;
        same(jnum(json_array_get(json_array_get(s, rc), cl)), ref_num(st, r, ref_col(st, "probability")), "steady");
    }
    ASSERT_EQ_I(rows, json_array_size(s) * k);
    ASSERT(hits == k * k);
}

TEST(web_spacetime, markov_equals_the_cli)
{
    fx f = setup();
    /* lbm_klasse of the fixture has the unit "klasse" without a range: quantile classes */
    json_t *j = get_json(f.port, "/api/markov?indicator=lbm_klasse&level=buurt&classes=3&code=BU99990100");
    ref_csv tr, st, mf, pa;
    cli_csv(&tr, f.db, "markov --indicator lbm_klasse --level buurt --classes 3");
    cli_csv(&st, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --what steady");
    cli_csv(&mf, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --what mfpt");
    cli_csv(&pa, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --what paths");
    ASSERT_EQ_S(json_string_value(json_object_get(j, "kind")), "classes");
    ASSERT_EQ_I(json_array_size(json_object_get(j, "years")), 5);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "states")), 3);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "bins")), 3);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "n_counted")), 12);
    json_t *per = json_array_get(json_object_get(j, "periods"), 0);
    chain_equals_cli(per, 0, &tr, &st, &mf, 3, 0);
    ASSERT(json_is_null(json_object_get(per, "tests")));
    json_t *path = json_object_get(j, "path");
    ASSERT_EQ_S(json_string_value(json_object_get(path, "code")), "BU99990100");
    for (size_t t = 0; t < 5; t++) {
        ASSERT_EQ_S(ref_str(&pa, t, 0), "BU99990100");
        same(jnum(json_array_get(json_object_get(path, "classes"), t)), ref_num(&pa, t, ref_col(&pa, "class")),
             "path class");
        same(jnum(json_array_get(json_object_get(path, "values"), t)), wbt_fixture_value(5, 4, 2012 + 2 * (int)t),
             "path value");
    }
    ASSERT(json_is_null(json_object_get(path, "lag")));
    json_decref(j);
    ref_csv_free(&tr), ref_csv_free(&st), ref_csv_free(&mf), ref_csv_free(&pa);

    /* spatial, two lag classes */
    j = get_json(f.port, "/api/markov?indicator=lbm_klasse&level=buurt&classes=3&spatial=1&lag_classes=2"
                         "&code=BU99990203");
    cli_csv(&tr, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --spatial --lag-classes 2");
    cli_csv(&st, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --spatial --lag-classes 2 --what steady");
    cli_csv(&mf, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --spatial --lag-classes 2 --what mfpt");
    cli_csv(&pa, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --spatial --lag-classes 2 --what paths");
    ref_csv te;
    cli_csv(&te, f.db, "markov --indicator lbm_klasse --level buurt --classes 3 --spatial --lag-classes 2 --what tests");
    per = json_array_get(json_object_get(j, "periods"), 0);
    ASSERT_EQ_I(json_array_size(json_object_get(per, "chains")), 3); /* pooled and two lag classes */
    chain_equals_cli(per, 1, &tr, &st, &mf, 3, 1);
    chain_equals_cli(per, 2, &tr, &st, &mf, 3, 1);
    json_t *tests = json_object_get(per, "tests");
    same(jnum(json_object_get(tests, "Q")), ref_num(&te, 0, ref_col(&te, "value")), "Q");
    same(jnum(json_object_get(tests, "LR_p")), ref_num(&te, 1, ref_col(&te, "p")), "LR_p");
    same(jnum(json_object_get(tests, "dof")), ref_num(&te, 0, ref_col(&te, "dof")), "dof");
    path = json_object_get(j, "path");
    ASSERT(json_is_true(json_object_get(path, "analysed")));
    size_t r0 = 0;
    while (r0 < pa.nrows && strcmp(ref_str(&pa, r0, 0), "BU99990203"))
        r0++;
    for (size_t t = 0; t < 5; t++) {
        same(jnum(json_array_get(json_object_get(path, "lag"), t)), ref_num(&pa, r0 + t, ref_col(&pa, "lag")), "lag");
        same(jnum(json_array_get(json_object_get(path, "lag_class"), t)),
             ref_num(&pa, r0 + t, ref_col(&pa, "lag_class")), "lag class");
    }
    ASSERT_EQ_I(json_integer_value(json_object_get(json_object_get(j, "spatial"), "analysed")), 12);
    json_decref(j);
    ref_csv_free(&tr), ref_csv_free(&st), ref_csv_free(&mf), ref_csv_free(&pa), ref_csv_free(&te);

    /* LISA Markov and a break: the counts of the CLI */
    j = get_json(f.port, "/api/markov?indicator=lbm&level=buurt&lisa=1&break=2016");
    cli_csv(&tr, f.db, "markov --indicator lbm --level buurt --lisa --break 2016");
    ASSERT_EQ_I(json_array_size(json_object_get(j, "periods")), 2);
    ASSERT_EQ_S(json_string_value(json_array_get(json_object_get(j, "states"), 3)), "HL");
    for (size_t p = 0; p < 2; p++) {
        json_t *c = json_array_get(json_object_get(json_array_get(json_object_get(j, "periods"), p), "chains"), 0);
        for (size_t e = 0; e < 16; e++)
            same(jnum(json_array_get(json_array_get(json_object_get(c, "counts"), e / 4), e % 4)),
                 ref_num(&tr, p * 16 + e, ref_col(&tr, "count")), "lisa count");
    }
    json_decref(j);
    ref_csv_free(&tr);
    wb_server_stop(f.srv, 1000);
}

TEST(web_spacetime, hotspots_and_bivariate_equal_the_cli)
{
    fx f = setup();
    json_t *j = get_json(f.port, "/api/hotspots?indicator=lbm&level=buurt&fdr=0&alpha=0.1");
    ref_csv a, s;
    cli_csv(&a, f.db, "hotspots --indicator lbm --level buurt --no-fdr --alpha 0.1");
    cli_csv(&s, f.db, "hotspots --indicator lbm --level buurt --no-fdr --alpha 0.1 --what series");
    json_t *areas = json_object_get(j, "areas");
    ASSERT_EQ_I(json_array_size(areas), a.nrows);
    ASSERT_EQ_I(a.nrows, 12);
    for (size_t i = 0; i < a.nrows; i++) {
        json_t *o = json_array_get(areas, i);
        ASSERT_EQ_S(json_string_value(json_object_get(o, "code")), ref_str(&a, i, 0));
        ASSERT_EQ_S(json_string_value(json_object_get(o, "category")), ref_str(&a, i, 1));
        same(jnum(json_object_get(o, "n_hot")), ref_num(&a, i, ref_col(&a, "n_hot")), "n_hot");
        same(jnum(json_object_get(o, "tau")), ref_num(&a, i, ref_col(&a, "tau")), "tau");
        same(jnum(json_object_get(o, "mk_p")), ref_num(&a, i, ref_col(&a, "mk_p")), "mk_p");
        for (size_t t = 0; t < 5; t++) {
            double z = ref_num(&s, i * 5 + t, ref_col(&s, "z"));
            /* the map gets z to 4 decimals */
            ASSERT_CLOSE(jnum(json_array_get(json_object_get(o, "z"), t)), z, 0.5e-4 + 1e-12);
            const char *sp = ref_str(&s, i * 5 + t, ref_col(&s, "spot"));
            ASSERT_EQ_I(json_integer_value(json_array_get(json_object_get(o, "spot"), t)),
                        !strcmp(sp, "hot") ? 1 : !strcmp(sp, "cold") ? -1 : 0);
        }
    }
    json_decref(j);
    ref_csv_free(&a), ref_csv_free(&s);

    j = get_json(f.port, "/api/lisa?indicator=lbm&bivariate=p_hh_li&level=buurt&year=2018&permutations=99");
    cli_csv(&a, f.db, "lisa --indicator lbm --bivariate p_hh_li --level buurt --year 2018 --boundary-year 2016 --permutations 99");
    ASSERT_EQ_I(json_array_size(j), a.nrows);
    static const char *const keys[] = {"value", "value2", "Ibv", "E_Ibv", "Var_Ibv", "z", "p", "p_perm"};
    for (size_t i = 0; i < a.nrows; i++) {
        json_t *o = json_array_get(j, i);
        ASSERT_EQ_S(json_string_value(json_object_get(o, "code")), ref_str(&a, i, 0));
        for (size_t k = 0; k < 8; k++)
            same(jnum(json_object_get(o, keys[k])), ref_num(&a, i, ref_col(&a, keys[k])), keys[k]);
        ASSERT_EQ_S(json_string_value(json_object_get(o, "cluster")), ref_str(&a, i, ref_col(&a, "cluster")));
    }
    json_decref(j);
    ref_csv_free(&a);
    j = get_json(f.port, "/api/moran?indicator=lbm&bivariate=p_hh_li&level=buurt&year=2018&permutations=99");
    cli_csv(&a, f.db, "moran --indicator lbm --bivariate p_hh_li --level buurt --year 2018 --boundary-year 2016 --permutations 99");
    static const char *const gk[] = {"n", "I", "r", "E_I", "perm_ge", "p_perm", "perm_mean", "perm_sd"};
    for (size_t k = 0; k < 8; k++)
        same(jnum(json_object_get(j, gk[k])), ref_num(&a, 0, ref_col(&a, gk[k])), gk[k]);
    json_decref(j);
    ref_csv_free(&a);
    /* the same answer again comes from the cache */
    wbt_http r = wbt_http_req(f.port, "GET", "/api/hotspots?indicator=lbm&level=buurt&fdr=0&alpha=0.1", NULL);
    char xc[16];
    ASSERT(wbt_http_header(&r, "X-Cache", xc, sizeof xc) && !strcmp(xc, "hit"));
    wbt_http_free(&r);
    wb_server_stop(f.srv, 1000);
}

TEST(web_spacetime, bad_requests)
{
    fx f = setup();
    int p = f.port;
    expect_error(p, "/api/markov?indicator=lbm_klasse&level=buurt&classes=3&spatial=1&lisa=1", 400, "lisa", NULL);
    expect_error(p, "/api/markov?indicator=lbm_klasse&level=buurt&lisa=1&classes=3", 400, "classes", NULL);
    expect_error(p, "/api/markov?indicator=lbm_klasse&level=buurt&classes=30", 400, "classes", NULL);
    expect_error(p, "/api/markov?indicator=lbm_klasse&level=buurt&classes=3&lag_classes=12", 400, "lag_classes", NULL);
    expect_error(p, "/api/markov?indicator=lbm&level=buurt", 400, NULL, "is not a class indicator");
    expect_error(p, "/api/markov?indicator=lbm&level=buurt&classes=3&from=2020", 400, NULL, "one data year only");
    expect_error(p, "/api/markov?indicator=lbm&level=buurt&classes=3&break=2030", 400, NULL, "not inside the data years");
    expect_error(p, "/api/markov?indicator=lbm&level=buurt&classes=3&code=BU99990999", 404, NULL, "is not a buurt area");
    expect_error(p, "/api/markov?indicator=lbm&level=buurt&classes=3&in=GM0001", 404, NULL, "lies within GM0001");
    expect_error(p, "/api/markov?indicator=nope&level=buurt&classes=3", 404, NULL, NULL);
    expect_error(p, "/api/markov?indicator=lbm&level=buurt&classes=3&k=4", 400, "k", NULL);
    expect_error(p, "/api/markov?level=buurt", 400, "indicator", NULL);
    expect_error(p, "/api/hotspots?indicator=lbm&level=buurt&alpha=0.2", 400, "alpha", NULL);
    expect_error(p, "/api/hotspots?indicator=lbm&level=buurt&to=2012", 400, NULL, "one data year only");
    expect_error(p, "/api/lisa?model=same&bivariate=lbm&level=buurt&year=2018", 400, "bivariate", NULL);
    expect_error(p, "/api/lisa?indicator=lbm&bivariate=1x&level=buurt&year=2018", 400, "bivariate", NULL);
    expect_error(p, "/api/lisa?indicator=lbm&bivariate=nope&level=buurt&year=2018", 404, NULL, NULL);
    wb_server_stop(f.srv, 1000);
}
