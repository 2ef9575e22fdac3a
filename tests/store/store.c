/** @file @brief Tests of the SQLite store: schema, transactions, areas, values. */
#include <stdlib.h>
#include <sys/stat.h>

#include "test.h"

static wb_store *fresh(void)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    return st;
}

TEST(store, open_sets_schema_version_and_refuses_missing_file)
{
    wb_store *st = fresh();
    ASSERT_EQ_I(wb_store_schema_version(st), WB_STORE_SCHEMA_VERSION);
    wb_store_free(st);
    WB_FAILS(WB_ENOTFOUND, wb_store_open(&st, wbt_tmp("nope.db"), 0));
    ASSERT(st == NULL);
}

/* The store holds password and session hashes and residents' names: a new file and its
 * -wal and -shm are for the owner only, whatever the umask says. */
TEST(store, new_files_are_private_whatever_the_umask)
{
    umask(022);
    const char *p = wbt_tmp("private.db");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, p, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_commit(st));
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char f[4096];
        snprintf(f, sizeof f, "%s%s", p, suffix[i]);
        struct stat sb;
        ASSERT_MSG(stat(f, &sb) == 0, "%s does not exist", f);
        ASSERT_MSG((sb.st_mode & 0777) == 0600, "%s has mode %03o, expected 600", f, (unsigned)(sb.st_mode & 0777));
    }
    wb_store_free(st);
    /* an existing file keeps the mode its owner gave it */
    ASSERT(chmod(p, 0640) == 0);
    WB_PASS(wb_store_open(&st, p, WB_STORE_CREATE));
    wb_store_free(st);
    struct stat sb;
    ASSERT(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0640);
}

TEST(store, refuses_a_file_that_is_not_a_database)
{
    const char *p = wbt_tmp("notdb.db");
    wbt_write(p, "this is not sqlite, just text that is long enough to look like a header....\n");
    wb_store *st = NULL;
    WB_FAILS(WB_ESTORE, wb_store_open(&st, p, 0));
    ASSERT(strstr(wb_error_last()->message, "not an SQLite database") != NULL);
}

TEST(store, areas_derive_parents_and_keep_years_apart)
{
    wb_store *st = fresh();
    int64_t a14, a16, again;
    WB_PASS(wb_store_area_put(st, &a14, "WK036300", 2014, WB_LEVEL_WIJK, "Centrum", NULL));
    WB_PASS(wb_store_area_put(st, &a16, "WK036300", 2016, WB_LEVEL_WIJK, "Burgwallen-Oude Zijde", NULL));
    ASSERT(a14 != a16);
    WB_PASS(wb_store_area_put(st, &again, "WK036300", 2014, WB_LEVEL_WIJK, NULL, NULL));
    ASSERT_EQ_I(again, a14);
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "WK036300", 2014));
    ASSERT_EQ_S(a->name, "Centrum");
    ASSERT_EQ_S(a->parent, "GM0363");
    wb_areas_free(a, 1);
    WB_PASS(wb_store_area_get(st, &a, "WK036300", 0)); /* latest boundaries */
    ASSERT_EQ_I(a->year, 2016);
    wb_areas_free(a, 1);
    WB_FAILS(WB_ENOTFOUND, wb_store_area_get(st, &a, "WK036399", 0));
    wb_store_free(st);
}

TEST(store, within_filters_by_code_hierarchy)
{
    wb_store *st = fresh();
    WB_PASS(wb_store_area_put(st, NULL, "BU03630000", 2014, WB_LEVEL_BUURT, NULL, NULL));
    WB_PASS(wb_store_area_put(st, NULL, "BU03630101", 2014, WB_LEVEL_BUURT, NULL, NULL));
    WB_PASS(wb_store_area_put(st, NULL, "BU05990101", 2014, WB_LEVEL_BUURT, NULL, NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK036300", 2014, WB_LEVEL_WIJK, NULL, NULL));
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.within = "GM0363";
    q.level = WB_LEVEL_BUURT;
    wb_area *a = NULL;
    size_t n = 0;
    WB_PASS(wb_store_areas(st, &a, &n, &q));
    ASSERT_EQ_I(n, 2);
    wb_areas_free(a, n);
    q.within = "WK036300";
    WB_PASS(wb_store_areas(st, &a, &n, &q));
    ASSERT_EQ_I(n, 1);
    ASSERT_EQ_S(a[0].code, "BU03630000");
    wb_areas_free(a, n);
    wb_store_free(st);
}

TEST(store, missing_values_stay_missing)
{
    wb_store *st = fresh();
    wb_indicator ind = {0};
    ind.key = "lbm";
    int64_t iid, aid, bid;
    WB_PASS(wb_store_indicator_put(st, &iid, &ind));
    WB_PASS(wb_store_alias_put(st, "RLBRMTR", "lbm"));
    WB_PASS(wb_store_area_put(st, &aid, "WK036300", 2016, WB_LEVEL_WIJK, NULL, NULL));
    WB_PASS(wb_store_area_put(st, &bid, "WK036301", 2016, WB_LEVEL_WIJK, NULL, NULL));
    WB_PASS(wb_store_obs_put(st, iid, aid, 2014, 0.125));
    WB_PASS(wb_store_obs_put(st, iid, bid, 2014, NAN));
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = "rlbrmtr"; /* alias, any case */
    wb_value *v = NULL;
    size_t n, miss;
    WB_PASS(wb_store_values(st, &v, &n, &miss, &q));
    ASSERT_EQ_I(n, 1);
    ASSERT_EQ_I(miss, 1);
    ASSERT_CLOSE(v[0].value, 0.125, 0);
    ASSERT_EQ_I(v[0].year, 2014);
    ASSERT_EQ_I(v[0].boundary_year, 2016);
    wb_free(v);
    q.with_missing = 1;
    WB_PASS(wb_store_values(st, &v, &n, &miss, &q));
    ASSERT_EQ_I(n, 2);
    ASSERT(isnan(v[1].value));
    wb_free(v);
    q.indicator = "nope";
    WB_FAILS(WB_ENOTFOUND, wb_store_values(st, &v, &n, &miss, &q));
    wb_store_free(st);
}

TEST(store, rollback_forgets_everything_including_cached_ids)
{
    const char *p = wbt_tmp("tx.db");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, p, WB_STORE_CREATE));
    int64_t id1, id2;
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_area_put(st, &id1, "GM0363", 2016, WB_LEVEL_GEMEENTE, "Amsterdam", NULL));
    WB_PASS(wb_store_rollback(st));
    wb_area *a = NULL;
    WB_FAILS(WB_ENOTFOUND, wb_store_area_get(st, &a, "GM0363", 2016));
    /* the id cache must not hand out the rolled-back id */
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_area_put(st, &id2, "GM0599", 2016, WB_LEVEL_GEMEENTE, "Rotterdam", NULL));
    WB_PASS(wb_store_area_put(st, &id1, "GM0363", 2016, WB_LEVEL_GEMEENTE, "Amsterdam", NULL));
    WB_PASS(wb_store_commit(st));
    WB_PASS(wb_store_area_get(st, &a, "GM0363", 2016));
    ASSERT_EQ_I(a->id, id1);
    wb_areas_free(a, 1);
    wb_store_free(st);
}

TEST(store, geometry_round_trips_through_wkb)
{
    wb_store *st = fresh();
    wb_point pts[] = {{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0},
                      {10, 10}, {10, 20}, {20, 20}, {20, 10}, {10, 10}};
    size_t ro[] = {0, 5, 10}, po[] = {0, 2};
    wb_geom g = {pts, 10, ro, 2, po, 1, {0, 0, 100, 100}};
    ASSERT_CLOSE(wb_geom_area(&g), 10000 - 100, 1e-9);
    wb_point c = wb_geom_centroid(&g);
    /* square minus hole at (15,15): centroid x = (10000*50 - 100*15)/9900 */
    ASSERT_CLOSE(c.x, (10000.0 * 50 - 100.0 * 15) / 9900, 1e-9);
    int64_t id;
    WB_PASS(wb_store_area_put(st, &id, "BU03630000", 2014, WB_LEVEL_BUURT, "A", NULL));
    WB_PASS(wb_store_geom_put(st, id, &g));
    wb_layer L;
    WB_PASS(wb_store_layer_load(st, &L, WB_LEVEL_BUURT, 2014));
    ASSERT_EQ_I(L.n, 1);
    ASSERT_EQ_I(L.geoms[0].npts, 10);
    ASSERT_EQ_I(L.geoms[0].nrings, 2);
    ASSERT_CLOSE(L.geoms[0].pts[7].x, 20, 0);
    ASSERT_CLOSE(L.geoms[0].bbox[2], 100, 0);
    wb_layer_dispose(&L);
    WB_FAILS(WB_ENOTFOUND, wb_store_layer_load(st, &L, WB_LEVEL_WIJK, 2014));
    wb_store_free(st);
}

TEST(geo, wkb_rejects_truncation)
{
    wb_point pts[] = {{0, 0}, {1, 0}, {1, 1}, {0, 0}};
    size_t ro[] = {0, 4}, po[] = {0, 1};
    wb_geom g = {pts, 4, ro, 1, po, 1, {0, 0, 1, 1}}, back = WB_GEOM_INIT;
    unsigned char *wkb;
    size_t n;
    WB_PASS(wb_geom_to_wkb(&wkb, &n, &g));
    WB_FAILS(WB_EPARSE, wb_geom_from_wkb(&back, wkb, n - 3));
    WB_PASS(wb_geom_from_wkb(&back, wkb, n));
    ASSERT_EQ_I(back.npts, 4);
    wb_geom_dispose(&back);
    wb_free(wkb);
}

TEST(geo, transform_rd_to_wgs84_and_back)
{
    /* Amersfoort, the origin of RD: x=155000, y=463000 is 52.15517 N, 5.38721 E. */
    wb_point pts[] = {{155000, 463000}, {155100, 463000}, {155100, 463100}, {155000, 463000}};
    size_t ro[] = {0, 4}, po[] = {0, 1};
    wb_geom g = {pts, 4, ro, 1, po, 1, {0, 0, 0, 0}};
    WB_PASS(wb_geom_transform(&g, "EPSG:28992", "EPSG:4326"));
    ASSERT_CLOSE(pts[0].x, 5.38721, 1e-4);
    ASSERT_CLOSE(pts[0].y, 52.15517, 1e-4);
    WB_PASS(wb_geom_transform(&g, "EPSG:4326", "EPSG:28992"));
    ASSERT_CLOSE(pts[0].x, 155000, 1e-3);
    WB_FAILS(WB_EINVALID, wb_geom_transform(&g, "EPSG:999999", "EPSG:4326"));
}
