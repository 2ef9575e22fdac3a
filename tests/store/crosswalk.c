/** @file @brief Crosswalks in memory and in the store (src/store/crosswalk*.c): the two
 *  compressed-row sides, turning around, moving counts and means, the classification, and
 *  storing, listing, finding, replacing and removing, with the refusals. Every expected number
 *  is worked out by hand in the comments. */
#include <stdlib.h>

#include "store/store_internal.h"
#include "test.h"

/* from A (total 4), B (total 4); to X, Y, Z:
 *   A -> X 3, A -> Y 1, B -> Y 2, B -> Z 2 */
static wb_crosswalk *small(void)
{
    wb_crosswalk_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.name, sizeof info.name, "small");
    info.level = WB_LEVEL_WIJK;
    info.from_year = 2016;
    info.to_year = 2017;
    info.weight = WB_XW_ADDRESSES;
    snprintf(info.source, sizeof info.source, "hand");
    /* given out of code order on purpose: the sides come out sorted */
    static const char fc[2][WB_CODE_MAX] = {"WK000002", "WK000001"}; /* B, A */
    static const char tc[3][WB_CODE_MAX] = {"WK000013", "WK000011", "WK000012"}; /* Z, X, Y */
    wb_xw_pair p[4] = {{1, 1, 3, 0}, {1, 2, 1, 0}, {0, 2, 2, 0}, {0, 0, 2, 1}};
    wb_crosswalk *xw = NULL;
    WB_PASS(wb_crosswalk_new(&xw, &info, 2, NULL, fc, NULL, 3, NULL, tc, NULL, p, 4));
    return xw;
}

TEST(store_crosswalk, compressed_rows_both_ways)
{
    wb_crosswalk *xw = small();
    ASSERT_EQ_S(xw->from.code[0], "WK000001");
    ASSERT_EQ_S(xw->to.code[2], "WK000013");
    ASSERT_EQ_I(xw->npairs, 4);
    /* A: X 3, Y 1; B: Y 2, Z 2 */
    ASSERT_EQ_I(xw->from.off[0], 0);
    ASSERT_EQ_I(xw->from.off[1], 2);
    ASSERT_EQ_I(xw->from.off[2], 4);
    ASSERT_EQ_I(xw->from.other[0], 0);
    ASSERT_CLOSE(xw->from.w[0], 3, 0);
    ASSERT_EQ_I(xw->from.other[3], 2);
    ASSERT_EQ_I(xw->from.implied[3], 1);
    /* by to-area: X <- A 3; Y <- A 1, B 2; Z <- B 2 */
    ASSERT_EQ_I(xw->to.off[1], 1);
    ASSERT_EQ_I(xw->to.off[2], 3);
    ASSERT_EQ_I(xw->to.other[1], 0);
    ASSERT_EQ_I(xw->to.other[2], 1);
    ASSERT_CLOSE(xw->to.w[2], 2, 0);
    ASSERT_CLOSE(xw->from.total[0], 4, 0);
    ASSERT_CLOSE(xw->to.total[1], 3, 0);
    ASSERT_EQ_I(wb_crosswalk_find_code(xw, 1, "WK000012"), 1);
    ASSERT_EQ_I(wb_crosswalk_find_code(xw, 0, "WK000003"), -1);
    wb_crosswalk_free(xw);
}

TEST(store_crosswalk, moves_counts_and_means)
{
    wb_crosswalk *xw = small();
    double in[2] = {8, 4}, out[3], cov[3];
    /* counts: X = 8*3/4 = 6; Y = 8*1/4 + 4*2/4 = 4; Z = 4*2/4 = 2 (sum 12 = 8 + 4) */
    WB_PASS(wb_crosswalk_move(xw, WB_XW_COUNT, in, out, cov));
    ASSERT_CLOSE(out[0], 6, 1e-15);
    ASSERT_CLOSE(out[1], 4, 1e-15);
    ASSERT_CLOSE(out[2], 2, 1e-15);
    ASSERT_CLOSE(cov[1], 1, 0);
    /* means: X = 8; Y = (1*8 + 2*4)/3 = 16/3; Z = 4 */
    WB_PASS(wb_crosswalk_move(xw, WB_XW_MEAN, in, out, NULL));
    ASSERT_CLOSE(out[1], 16.0 / 3, 1e-15);
    ASSERT_CLOSE(out[2], 4, 0);
    /* B missing: Y gets only A's part, coverage 1/3; Z has no source */
    in[1] = NAN;
    WB_PASS(wb_crosswalk_move(xw, WB_XW_COUNT, in, out, cov));
    ASSERT_CLOSE(out[1], 2, 1e-15);
    ASSERT_CLOSE(cov[1], 1.0 / 3, 1e-15);
    ASSERT(isnan(out[2]));
    ASSERT_CLOSE(cov[2], 0, 0);
    WB_PASS(wb_crosswalk_move(xw, WB_XW_MEAN, in, out, NULL));
    ASSERT_CLOSE(out[1], 8, 0);
    ASSERT(isnan(out[2]));
    /* backwards, X 6, Y 3, Z 3 (totals X 3, Y 3, Z 2):
     * A = 6*3/3 + 3*1/3 = 7, B = 3*2/3 + 3*2/2 = 5 */
    WB_PASS(wb_crosswalk_reverse(xw));
    ASSERT_EQ_I(xw->info.from_year, 2017);
    ASSERT_EQ_I(xw->from.n, 3);
    double back_in[3] = {6, 3, 3}, back[2];
    WB_PASS(wb_crosswalk_move(xw, WB_XW_COUNT, back_in, back, NULL));
    ASSERT_CLOSE(back[0], 7, 1e-15);
    ASSERT_CLOSE(back[1], 5, 1e-15);
    wb_crosswalk_free(xw);
}

TEST(store_crosswalk, refuses_bad_pairs)
{
    wb_crosswalk_info info;
    memset(&info, 0, sizeof info);
    info.weight = WB_XW_AREA;
    static const char fc[2][WB_CODE_MAX] = {"A", "B"};
    static const char dup[2][WB_CODE_MAX] = {"A", "A"};
    wb_crosswalk *xw = NULL;
    wb_xw_pair twice[2] = {{0, 0, 1, 0}, {0, 0, 2, 0}};
    WB_FAILS(WB_EINVALID, wb_crosswalk_new(&xw, &info, 2, NULL, fc, NULL, 2, NULL, fc, NULL, twice, 2));
    ASSERT(strstr(wb_error_last()->message, "the pair A -> A is listed twice"));
    wb_xw_pair neg = {1, 0, -1, 0};
    WB_FAILS(WB_EINVALID, wb_crosswalk_new(&xw, &info, 2, NULL, fc, NULL, 2, NULL, fc, NULL, &neg, 1));
    ASSERT(strstr(wb_error_last()->message, "the weight of B -> A is -1"));
    wb_xw_pair out = {2, 0, 1, 0};
    WB_FAILS(WB_EINVALID, wb_crosswalk_new(&xw, &info, 2, NULL, fc, NULL, 2, NULL, fc, NULL, &out, 1));
    WB_FAILS(WB_EINVALID, wb_crosswalk_new(&xw, &info, 2, NULL, dup, NULL, 2, NULL, fc, NULL, NULL, 0));
    ASSERT(strstr(wb_error_last()->message, "from-area A is listed twice"));
    double tot[2] = {1, NAN};
    WB_FAILS(WB_EINVALID, wb_crosswalk_new(&xw, &info, 2, NULL, fc, tot, 2, NULL, fc, NULL, NULL, 0));
    ASSERT(xw == NULL);
    info.weight = WB_XW_SHARE;
    WB_PASS(wb_crosswalk_new(&xw, &info, 2, NULL, fc, NULL, 2, NULL, fc, NULL, NULL, 0));
    WB_FAILS(WB_EINVALID, wb_crosswalk_reverse(xw));
    wb_crosswalk_free(xw);
}

/* Every class once. from a..g, to p..w (codes equal where the area persists):
 *   a -> a 100 (1:1, same code)                          unchanged / unchanged
 *   b -> q 100 (1:1, other code)                         recoded / recoded
 *   c -> c 95, c -> r 0.5 (r total 50): c's pieces: 95 of 100, r gets 0.5/50 = 1%
 *        c->r share_from 0.005, share_to 0.01 -> with sliver 0.02 a sliver; c is 1:1 with
 *        shares 0.95 / 0.95 (c total 100, to c total 100): with tolerance 0.04
 *                                                        reshaped / reshaped
 *   d -> s 60, d -> t 40 (s, t totals 60, 40)            split / split, split
 *   e -> u 50, f -> u 50 (u total 100)                   merged, merged / merged
 *   g (no pairs)                                         unmatched
 *   to w (total 10, no pairs)                            unmatched (new)
 *   to r: its one significant source? none: r's only piece is a sliver -> unmatched */
TEST(store_crosswalk, classifies_every_kind_of_change)
{
    wb_crosswalk_info info;
    memset(&info, 0, sizeof info);
    info.weight = WB_XW_AREA;
    static const char fc[7][WB_CODE_MAX] = {"a", "b", "c", "d", "e", "f", "g"};
    static const char tc[8][WB_CODE_MAX] = {"a", "c", "q", "r", "s", "t", "u", "w"};
    double ftot[7] = {100, 100, 100, 100, 50, 50, 10};
    double ttot[8] = {100, 100, 100, 50, 60, 40, 100, 10};
    wb_xw_pair p[] = {{0, 0, 100, 0}, {1, 2, 100, 0}, {2, 1, 95, 0}, {2, 3, 0.5, 0}, {3, 4, 60, 0},
                      {3, 5, 40, 0},  {4, 6, 50, 0},  {5, 6, 50, 0}};
    wb_crosswalk *xw = NULL;
    WB_PASS(wb_crosswalk_new(&xw, &info, 7, NULL, fc, ftot, 8, NULL, tc, ttot, p, sizeof p / sizeof p[0]));
    unsigned char f[7], t[8];
    wb_xw_counts c;
    WB_PASS(wb_crosswalk_classify(xw, 0.02, 0.04, f, t, &c));
    static const unsigned char fexp[7] = {WB_XW_UNCHANGED, WB_XW_RECODED, WB_XW_RESHAPED, WB_XW_SPLIT,
                                          WB_XW_MERGED, WB_XW_MERGED, WB_XW_UNMATCHED};
    static const unsigned char texp[8] = {WB_XW_UNCHANGED, WB_XW_RESHAPED, WB_XW_RECODED, WB_XW_UNMATCHED,
                                          WB_XW_SPLIT, WB_XW_SPLIT, WB_XW_MERGED, WB_XW_UNMATCHED};
    for (int i = 0; i < 7; i++)
        ASSERT_MSG(f[i] == fexp[i], "from %s: %s, expected %s", fc[i], wb_xw_class_name(f[i]), wb_xw_class_name(fexp[i]));
    for (int i = 0; i < 8; i++)
        ASSERT_MSG(t[i] == texp[i], "to %s: %s, expected %s", tc[i], wb_xw_class_name(t[i]), wb_xw_class_name(texp[i]));
    ASSERT_EQ_I(c.slivers, 1);
    ASSERT_EQ_I(c.from[WB_XW_MERGED], 2);
    ASSERT_EQ_I(c.to[WB_XW_MERGED], 1);
    /* a tolerance of 0.06 makes c (0.95) unchanged */
    WB_PASS(wb_crosswalk_classify(xw, 0.02, 0.06, f, NULL, NULL));
    ASSERT_EQ_I(f[2], WB_XW_UNCHANGED);
    /* with a sliver threshold of 0.005 the c -> r piece counts (share_to 0.01): c splits */
    WB_PASS(wb_crosswalk_classify(xw, 0.005, 0.06, f, NULL, NULL));
    ASSERT_EQ_I(f[2], WB_XW_SPLIT);
    WB_FAILS(WB_EINVALID, wb_crosswalk_classify(xw, 1, 0, NULL, NULL, NULL));
    wb_crosswalk_free(xw);
}

/* ---------------------------------------------------------------- in the store */

static wb_store *with_areas(void)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    const char *codes[] = {"WK000001", "WK000002", "WK000011", "WK000012", "WK000013"};
    for (int i = 0; i < 5; i++)
        WB_PASS(wb_store_area_put(st, NULL, codes[i], i < 2 ? 2016 : 2017, WB_LEVEL_WIJK, NULL, NULL));
    WB_PASS(wb_store_area_put(st, NULL, "BU00000101", 2017, WB_LEVEL_BUURT, NULL, NULL));
    WB_PASS(wb_store_commit(st));
    return st;
}

/* small() with the store's ids */
static wb_crosswalk *small_stored(wb_store *st, const char *name, int from, int to)
{
    wb_crosswalk *xw = small();
    snprintf(xw->info.name, sizeof xw->info.name, "%s", name);
    xw->info.from_year = from;
    xw->info.to_year = to;
    for (size_t i = 0; i < xw->from.n; i++)
        if (wb_store_area_find(st, &xw->from.id[i], xw->from.code[i], 2016) < 0)
            xw->from.id[i] = 0;
    for (size_t i = 0; i < xw->to.n; i++)
        if (wb_store_area_find(st, &xw->to.id[i], xw->to.code[i], 2017) < 0)
            xw->to.id[i] = 0;
    wb_error_clear();
    return xw;
}

TEST(store_crosswalk, stores_lists_loads_and_finds_either_way)
{
    wb_store *st = with_areas();
    ASSERT_EQ_I(wb_store_schema_version(st), 4);
    wb_crosswalk *xw = small_stored(st, "vng", 2016, 2017);
    WB_FAILS(WB_ESTORE, wb_store_crosswalk_put(st, NULL, xw, 0)); /* needs a transaction */
    WB_PASS(wb_store_begin(st));
    int64_t id = 0;
    WB_PASS(wb_store_crosswalk_put(st, &id, xw, 0));
    WB_PASS(wb_store_commit(st));
    ASSERT(id > 0);
    wb_crosswalk_info *in = NULL;
    size_t n = 0;
    WB_PASS(wb_store_crosswalks(st, &in, &n));
    ASSERT_EQ_I(n, 1);
    ASSERT_EQ_S(in[0].name, "vng");
    ASSERT_EQ_I(in[0].nfrom, 2);
    ASSERT_EQ_I(in[0].nto, 3);
    ASSERT_EQ_I(in[0].npairs, 4);
    ASSERT_EQ_I(in[0].weight, WB_XW_ADDRESSES);
    ASSERT(strlen(in[0].created) == 20);
    wb_free(in);
    wb_crosswalk *back = NULL;
    WB_PASS(wb_store_crosswalk_load(st, &back, "vng"));
    ASSERT_EQ_I(back->npairs, 4);
    ASSERT_EQ_S(back->to.code[1], "WK000012");
    ASSERT_EQ_I(back->to.off[2], 3);
    ASSERT_CLOSE(back->from.w[1], 1, 0);
    ASSERT_EQ_I(back->from.implied[3], 1);
    ASSERT_EQ_I(back->from.id[0], xw->from.id[0]);
    wb_crosswalk_free(back);
    /* the other direction: turned around on loading */
    WB_PASS(wb_store_crosswalk_find(st, &back, WB_LEVEL_WIJK, 2017, 2016));
    ASSERT_EQ_I(back->reversed, 1);
    ASSERT_EQ_I(back->from.n, 3);
    ASSERT_EQ_I(back->info.to_year, 2016);
    wb_crosswalk_free(back);
    WB_FAILS(WB_ENOTFOUND, wb_store_crosswalk_find(st, &back, WB_LEVEL_BUURT, 2016, 2017));
    WB_FAILS(WB_ENOTFOUND, wb_store_crosswalk_load(st, &back, "nope"));
    ASSERT(strstr(wb_error_last()->message, "no crosswalk named 'nope'"));
    wb_crosswalk_free(xw);
    wb_store_free(st);
}

TEST(store_crosswalk, one_per_level_and_years_unless_replaced)
{
    wb_store *st = with_areas();
    wb_crosswalk *a = small_stored(st, "first", 2016, 2017);
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_crosswalk_put(st, NULL, a, 0));
    WB_PASS(wb_store_commit(st));
    /* the same years under another name: refused, nothing written */
    wb_crosswalk *b = small_stored(st, "second", 2016, 2017);
    WB_PASS(wb_store_begin(st));
    WB_FAILS(WB_ECONFLICT, wb_store_crosswalk_put(st, NULL, b, 0));
    ASSERT(strstr(wb_error_last()->message, "crosswalk 'first' (source: hand) already links the wijk areas of 2016 and 2017"));
    WB_PASS(wb_store_rollback(st));
    /* the same name: refused too */
    WB_PASS(wb_store_begin(st));
    WB_FAILS(WB_ECONFLICT, wb_store_crosswalk_put(st, NULL, a, 0));
    ASSERT(strstr(wb_error_last()->message, "a crosswalk named 'first' is stored already"));
    /* replace: the old one goes */
    WB_PASS(wb_store_crosswalk_put(st, NULL, b, WB_XW_REPLACE));
    WB_PASS(wb_store_commit(st));
    wb_crosswalk_info *in = NULL;
    size_t n = 0;
    WB_PASS(wb_store_crosswalks(st, &in, &n));
    ASSERT_EQ_I(n, 1);
    ASSERT_EQ_S(in[0].name, "second");
    wb_free(in);
    long long npairs = -1;
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s, "SELECT count(*) FROM crosswalk_pair"));
    if (sqlite3_step(s) == SQLITE_ROW)
        npairs = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    ASSERT_EQ_I(npairs, 4);
    /* areas in a crosswalk cannot be deleted behind its back */
    ASSERT(sqlite3_exec(wb_store__db(st), "DELETE FROM area WHERE code = 'WK000011'", NULL, NULL, NULL) != SQLITE_OK);
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_crosswalk_remove(st, "second"));
    WB_PASS(wb_store_commit(st));
    WB_FAILS(WB_ENOTFOUND, wb_store_crosswalk_remove(st, "second"));
    ASSERT(sqlite3_exec(wb_store__db(st), "DELETE FROM area WHERE code = 'WK000011'", NULL, NULL, NULL) == SQLITE_OK);
    wb_crosswalk_free(a);
    wb_crosswalk_free(b);
    wb_store_free(st);
}

TEST(store_crosswalk, refuses_areas_not_stored_or_of_another_year)
{
    wb_store *st = with_areas();
    wb_crosswalk *xw = small_stored(st, "x", 2016, 2017);
    WB_PASS(wb_store_begin(st));
    int64_t keep = xw->to.id[0];
    xw->to.id[0] = 0;
    WB_FAILS(WB_EINVALID, wb_store_crosswalk_put(st, NULL, xw, 0));
    ASSERT(strstr(wb_error_last()->message, "to-area WK000011 is not a stored area"));
    WB_PASS(wb_store_rollback(st));
    /* the buurt of 2017 in the place of a wijk */
    xw->to.id[0] = keep;
    WB_PASS(wb_store_area_find(st, &xw->to.id[1], "BU00000101", 2017));
    WB_PASS(wb_store_begin(st));
    WB_FAILS(WB_EINVALID, wb_store_crosswalk_put(st, NULL, xw, 0));
    ASSERT(strstr(wb_error_last()->message, "to-area BU00000101 is a buurt of 2017, expected a wijk of 2017"));
    WB_PASS(wb_store_rollback(st));
    wb_crosswalk_free(xw);
    wb_store_free(st);
}
