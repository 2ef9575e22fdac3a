/** @file @brief wb_store_latest (src/store/latest.c): the latest value per area and
 *  indicator, across id chunks, past values stored as missing, in a window of data years,
 *  with buffered writes; every expected number is written out by hand below. */
#include <stdlib.h>

#include "test.h"

static int64_t indicator(wb_store *st, const char *key, const char *label)
{
    wb_indicator ind = {0};
    ind.key = (char *)key;
    ind.label_nl = (char *)label;
    int64_t id;
    WB_PASS(wb_store_indicator_put(st, &id, &ind));
    return id;
}

/* The cell of area row @p a (as asked) and indicator key @p key; fails when the key is absent. */
static size_t cell(const wb_latest *l, size_t a, const char *key)
{
    for (size_t k = 0; k < l->nind; k++)
        if (!strcmp(l->ind[k].key, key))
            return a * l->nind + k;
    wbt_fail(__FILE__, __LINE__, "indicator %s not in the result", key);
}

TEST(store_latest, latest_values_across_chunks_missing_and_windows)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    /* indicators made in this order; the result lists them by key */
    int64_t z = indicator(st, "z_last", "laatste"), a = indicator(st, "a_first", "eerste"),
            none = indicator(st, "m_none", NULL);
    (void)none; /* never given a value: left out */
    /* 600 areas, so that ids run over three chunks of 248 */
    int64_t ids[600];
    for (int i = 0; i < 600; i++) {
        char code[16];
        snprintf(code, sizeof code, "BU%08d", i);
        WB_PASS(wb_store_area_put(st, &ids[i], code, 2020, WB_LEVEL_BUURT, NULL, NULL));
    }
    /* area 10: a_first 2014 = 1.5, 2016 = 2.5, 2018 = missing -> latest 2.5 (2016)
     * area 300: a_first 2012 = -4; z_last 2018 = 7, 2020 = 8 -> latest -4 (2012), 8 (2020)
     * area 599: z_last 2016 = missing only -> none
     * area 0: nothing */
    WB_PASS(wb_store_obs_put(st, a, ids[10], 2014, 1.5));
    WB_PASS(wb_store_obs_put(st, a, ids[10], 2016, 2.5));
    WB_PASS(wb_store_obs_put(st, a, ids[10], 2018, NAN));
    WB_PASS(wb_store_obs_put(st, a, ids[300], 2012, -4));
    WB_PASS(wb_store_obs_put(st, z, ids[300], 2018, 7));
    WB_PASS(wb_store_obs_put(st, z, ids[300], 2020, 8));
    WB_PASS(wb_store_obs_put(st, z, ids[599], 2016, NAN));
    /* still buffered (no commit yet): read all the same */
    int64_t ask[] = {ids[599], ids[10], ids[300], ids[0], ids[10]};
    wb_latest l = WB_LATEST_INIT;
    WB_PASS(wb_store_latest(st, &l, ask, 5, 0, 0));
    ASSERT_EQ_I(l.nareas, 5);
    ASSERT_EQ_I(l.nind, 2);
    ASSERT_EQ_S(l.ind[0].key, "a_first");
    ASSERT_EQ_S(l.ind[0].label_nl, "eerste");
    ASSERT_EQ_S(l.ind[1].key, "z_last");
    ASSERT_EQ_I(l.year_min, 2012);
    ASSERT_EQ_I(l.year_max, 2020);
    /* row 0: area 599 has only a missing value */
    ASSERT(isnan(l.value[cell(&l, 0, "z_last")]));
    ASSERT_EQ_I(l.year[cell(&l, 0, "z_last")], 0);
    ASSERT(isnan(l.value[cell(&l, 0, "a_first")]));
    /* rows 1 and 4: area 10, asked twice */
    for (size_t r = 1; r <= 4; r += 3) {
        ASSERT_CLOSE(l.value[cell(&l, r, "a_first")], 2.5, 0);
        ASSERT_EQ_I(l.year[cell(&l, r, "a_first")], 2016);
        ASSERT(isnan(l.value[cell(&l, r, "z_last")]));
    }
    ASSERT_CLOSE(l.value[cell(&l, 2, "a_first")], -4, 0);
    ASSERT_EQ_I(l.year[cell(&l, 2, "a_first")], 2012);
    ASSERT_CLOSE(l.value[cell(&l, 2, "z_last")], 8, 0);
    ASSERT_EQ_I(l.year[cell(&l, 2, "z_last")], 2020);
    ASSERT_EQ_I(l.year[cell(&l, 3, "a_first")], 0);
    wb_latest_dispose(&l);
    WB_PASS(wb_store_commit(st));

    /* a window: up to 2018 gives z_last 7 (2018); 2015..2017 gives only a_first 2.5 */
    WB_PASS(wb_store_latest(st, &l, ask, 5, 0, 2018));
    ASSERT_CLOSE(l.value[cell(&l, 2, "z_last")], 7, 0);
    ASSERT_EQ_I(l.year[cell(&l, 2, "z_last")], 2018);
    ASSERT_EQ_I(l.year_max, 2018);
    wb_latest_dispose(&l);
    WB_PASS(wb_store_latest(st, &l, ask, 5, 2015, 2017));
    ASSERT_EQ_I(l.nind, 1);
    ASSERT_CLOSE(l.value[cell(&l, 1, "a_first")], 2.5, 0);
    ASSERT(isnan(l.value[cell(&l, 2, "a_first")]));
    ASSERT_EQ_I(l.year_min, 2016);
    ASSERT_EQ_I(l.year_max, 2016);
    wb_latest_dispose(&l);
    /* one year with only a missing value: no indicator at all */
    WB_PASS(wb_store_latest(st, &l, ask, 5, 2018, 2018));
    ASSERT_EQ_I(l.nind, 1); /* z_last 2018 = 7 of area 300 */
    wb_latest_dispose(&l);
    WB_PASS(wb_store_latest(st, &l, (int64_t[]){ids[599]}, 1, 2016, 2016));
    ASSERT_EQ_I(l.nind, 0);
    ASSERT_EQ_I(l.year_min, 0);
    wb_latest_dispose(&l);
    /* no areas, and an id no area has */
    WB_PASS(wb_store_latest(st, &l, NULL, 0, 0, 0));
    ASSERT_EQ_I(l.nind, 0);
    wb_latest_dispose(&l);
    WB_PASS(wb_store_latest(st, &l, (int64_t[]){999999}, 1, 0, 0));
    ASSERT_EQ_I(l.nind, 0);
    wb_latest_dispose(&l);
    wb_latest_dispose(NULL);
    wb_store_free(st);
}
