/** @file @brief A labelled set against the rest on a small synthetic panel whose group means
 *  and medians are worked out by hand below. */
#include <stdlib.h>

#include "test.h"

/*
 * gemeente 1: A1 A2 A3 A4; gemeente 2: B1 B2 B3; the set is {A1, A2}.
 *          A1  A2  A3  A4  B1  B2  B3
 *   2012    1   3   5   7  10  20  30
 *   2016    2   .   6   8  11   .  31
 * 2012: set {1,3} mean 2 median 2; gemeenten (other areas of gemeente 1) {5,7} mean 6 median 6;
 *       rest {5,7,10,20,30} mean 14.4 median 10; nation (all 7) mean 76/7 median 7.
 * 2016: set {2}; gemeenten {6,8} mean 7 median 7; rest {6,8,11,31} mean 14 median 9.5;
 *       nation {2,6,8,11,31} mean 11.6 median 8.
 * balanced (only A1 A3 A4 B1 B3), 2012: set {1}; gemeenten {5,7} 6; rest {5,7,10,30} mean 13
 *       median 8.5; nation {1,5,7,10,30} mean 10.6 median 7.
 */
static const double vals[] = {1, 3, 5, 7, 10, 20, 30, 2, NAN, 6, 8, 11, NAN, 31};
static const int years[] = {2012, 2016};
static const unsigned char in_set[] = {1, 1, 0, 0, 0, 0, 0};
static const long gem[] = {1, 1, 1, 1, 2, 2, 2};

TEST(score_compare, means_medians_and_gaps_by_hand)
{
    wb_compare_year *r = NULL;
    WB_PASS(wb_compare_years(&r, vals, 7, 2, years, in_set, gem, 0));
    ASSERT_EQ_I(r[0].year, 2012);
    ASSERT_EQ_I(r[0].g[WB_CMP_SET].n, 2);
    ASSERT_CLOSE(r[0].g[WB_CMP_SET].mean, 2, 1e-15);
    ASSERT_CLOSE(r[0].g[WB_CMP_SET].median, 2, 1e-15);
    ASSERT_EQ_I(r[0].g[WB_CMP_GEMEENTEN].n, 2);
    ASSERT_CLOSE(r[0].g[WB_CMP_GEMEENTEN].mean, 6, 1e-15);
    ASSERT_CLOSE(r[0].g[WB_CMP_GEMEENTEN].median, 6, 1e-15);
    ASSERT_EQ_I(r[0].g[WB_CMP_REST].n, 5);
    ASSERT_CLOSE(r[0].g[WB_CMP_REST].mean, 14.4, 1e-13);
    ASSERT_CLOSE(r[0].g[WB_CMP_REST].median, 10, 1e-15);
    ASSERT_EQ_I(r[0].g[WB_CMP_NATION].n, 7);
    ASSERT_CLOSE(r[0].g[WB_CMP_NATION].mean, 76.0 / 7, 1e-13);
    ASSERT_CLOSE(r[0].g[WB_CMP_NATION].median, 7, 1e-15);
    ASSERT_CLOSE(r[0].gap_nation, 2 - 76.0 / 7, 1e-13);
    ASSERT_CLOSE(r[0].gap_gemeenten, -4, 1e-15);
    ASSERT_EQ_I(r[1].g[WB_CMP_SET].n, 1);
    ASSERT_CLOSE(r[1].g[WB_CMP_SET].median, 2, 1e-15);
    ASSERT_CLOSE(r[1].g[WB_CMP_GEMEENTEN].mean, 7, 1e-15);
    ASSERT_CLOSE(r[1].g[WB_CMP_REST].mean, 14, 1e-15);
    ASSERT_CLOSE(r[1].g[WB_CMP_REST].median, 9.5, 1e-15);
    ASSERT_CLOSE(r[1].g[WB_CMP_NATION].mean, 11.6, 1e-13);
    ASSERT_CLOSE(r[1].g[WB_CMP_NATION].median, 8, 1e-15);
    ASSERT_CLOSE(r[1].gap_nation, 2 - 11.6, 1e-13);
    ASSERT_CLOSE(r[1].gap_gemeenten, -5, 1e-15);
    wb_free(r);
}

TEST(score_compare, balanced_keeps_a_fixed_composition)
{
    wb_compare_year *r = NULL;
    WB_PASS(wb_compare_years(&r, vals, 7, 2, years, in_set, gem, 1));
    ASSERT_EQ_I(r[0].g[WB_CMP_SET].n, 1);
    ASSERT_CLOSE(r[0].g[WB_CMP_SET].mean, 1, 1e-15);
    ASSERT_CLOSE(r[0].g[WB_CMP_REST].mean, 13, 1e-15);
    ASSERT_CLOSE(r[0].g[WB_CMP_REST].median, 8.5, 1e-15);
    ASSERT_CLOSE(r[0].g[WB_CMP_NATION].mean, 10.6, 1e-13);
    ASSERT_EQ_I(r[1].g[WB_CMP_NATION].n, 5);
    wb_free(r);
}

TEST(score_compare, periods_before_and_after_a_break)
{
    /* set means 1, 3, 3 and nation means 5, 6, 8 in 2008, 2012, 2016: gaps -4, -3, -5 */
    wb_compare_year rows[3];
    memset(rows, 0, sizeof rows);
    static const int ys[] = {2008, 2012, 2016};
    static const double set[] = {1, 3, 3}, nl[] = {5, 6, 8};
    for (int i = 0; i < 3; i++) {
        rows[i].year = ys[i];
        rows[i].g[WB_CMP_SET].mean = set[i];
        rows[i].g[WB_CMP_NATION].mean = nl[i];
        rows[i].g[WB_CMP_GEMEENTEN].mean = rows[i].g[WB_CMP_REST].mean = NAN;
        rows[i].gap_nation = set[i] - nl[i];
        rows[i].gap_gemeenten = NAN;
    }
    wb_compare_period p[2];
    WB_PASS(wb_compare_periods(p, rows, 3, 2012));
    ASSERT_EQ_I(p[0].from, 2008);
    ASSERT_EQ_I(p[0].to, 2012);
    ASSERT_CLOSE(p[0].change[WB_CMP_SET], 0.5, 1e-15);
    ASSERT_CLOSE(p[0].change[WB_CMP_NATION], 0.25, 1e-15);
    ASSERT_CLOSE(p[0].gap_nation_change, 0.25, 1e-15);
    ASSERT_CLOSE(p[1].change[WB_CMP_SET], 0, 1e-15);
    ASSERT_CLOSE(p[1].gap_nation_change, -0.5, 1e-15);
    WB_FAILS(WB_EINVALID, wb_compare_periods(p, rows, 3, 2016));
    WB_FAILS(WB_EINVALID, wb_compare_periods(p, rows, 3, 2010));
}

TEST(score_compare, median_of_even_odd_and_empty)
{
    double a[] = {4, 1, 3}, b[] = {4, 1, 3, 2};
    ASSERT_CLOSE(wb_median_inplace(a, 3), 3, 0);
    ASSERT_CLOSE(wb_median_inplace(b, 4), 2.5, 0);
    ASSERT(isnan(wb_median_inplace(b, 0)));
}
