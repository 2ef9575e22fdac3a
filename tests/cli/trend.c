/** @file @brief `wijkbeeld trend` on a small store built in the test. */
#include <stdlib.h>

#include "test.h"

/* Six wijken on 2016 boundaries, indicator lbm (higher is better), data years 2004..2019 with
 * an alternating wiggle of +-0.05:
 *   WK000101  1 + 0.5 (t - 2012)                      rising throughout, ends at 4.55
 *   WK000102  -0.5 + 0.5 min(0, t - 2012)              rising, flat from 2012 at -0.5
 *   WK000103  2 + 0.5 (t - 2012) - 0.8 max(0, t-2012)  falling from 2012
 *   WK000201  two values only (2004, 2005)
 *   WK000202  -3 + 0.3 (t - 2019)                      rising, ends at -3 (+0.05)
 *   WK000203  -0.7                                     flat at -0.7 */
static double wiggle(int t)
{
    return (t % 2) ? 0.05 : -0.05;
}

static double value_of(int area, int t)
{
    double x = t - 2012;
    switch (area) {
    case 0: return 1 + 0.5 * x + wiggle(t);
    case 1: return -0.5 + 0.5 * (x < 0 ? x : 0) + wiggle(t);
    case 2: return 2 + 0.5 * x - 0.8 * (x > 0 ? x : 0) + wiggle(t);
    case 3: return t <= 2005 ? 1.0 + (t - 2004) : NAN;
    case 4: return -3 + 0.3 * (t - 2019) + wiggle(t);
    default: return -0.7 + wiggle(t);
    }
}

static const char *const CODES[] = {"WK000101", "WK000102", "WK000103",
                                    "WK000201", "WK000202", "WK000203"};

static const char *make_store(int second_boundary_year)
{
    const char *path = wbt_tmp("trend.db");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    wb_indicator ind = {0};
    ind.key = "lbm";
    ind.direction = WB_DIR_HIGHER_BETTER;
    int64_t iid;
    WB_PASS(wb_store_indicator_put(st, &iid, &ind));
    for (int a = 0; a < 6; a++) {
        int64_t aid;
        WB_PASS(wb_store_area_put(st, &aid, CODES[a], 2016, WB_LEVEL_WIJK, NULL, NULL));
        for (int t = 2004; t <= 2019; t++)
            if (!isnan(value_of(a, t)))
                WB_PASS(wb_store_obs_put(st, iid, aid, t, value_of(a, t)));
    }
    if (second_boundary_year) {
        int64_t aid;
        WB_PASS(wb_store_area_put(st, &aid, "WK000101", 2020, WB_LEVEL_WIJK, NULL, NULL));
        WB_PASS(wb_store_obs_put(st, iid, aid, 2020, 9.0));
    }
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    return path;
}

/* Field @p col (0-based) of the CSV line that starts with @p code; static buffer. */
static const char *field(const char *csv, const char *code, int col)
{
    static char buf[128];
    char key[40];
    snprintf(key, sizeof key, "\n%s,", code);
    const char *p = strstr(csv, key);
    ASSERT_MSG(p != NULL, "no row for %s", code);
    p++;
    for (int c = 0; c < col; c++) {
        p = strchr(p, ',');
        ASSERT(p != NULL);
        p++;
    }
    size_t n = strcspn(p, ",\n");
    ASSERT(n < sizeof buf);
    memcpy(buf, p, n);
    buf[n] = 0;
    return buf;
}

TEST(cli_trend, classes_and_groups_with_a_fixed_break)
{
    const char *db = make_store(0);
    wbt_run_result r = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk --break 2012 "
                                     "--reference 0 --scale 1 --format csv",
                               db);
    ASSERT_MSG(r.status == 0, "status %d: %s", r.status, r.err);
    static const char head[] = "code,n,first_year,last_year,mk_s,mk_tau,mk_p,sen_slope,"
                               "slope_before,slope_after,trend,group,";
    ASSERT(strncmp(r.out, head, strlen(head)) == 0);
    ASSERT_EQ_I(wbt_count_lines(r.out), 7);
    ASSERT_EQ_S(field(r.out, "WK000101", 10), "improving");
    ASSERT_EQ_S(field(r.out, "WK000101", 11), "success");
    ASSERT_EQ_S(field(r.out, "WK000102", 10), "stagnating");
    ASSERT_EQ_S(field(r.out, "WK000102", 11), "early_warning");
    ASSERT_EQ_S(field(r.out, "WK000103", 10), "declining");
    ASSERT_EQ_S(field(r.out, "WK000103", 11), "relapse");
    ASSERT_EQ_S(field(r.out, "WK000201", 10), "unknown");
    ASSERT_EQ_S(field(r.out, "WK000201", 1), "2");
    ASSERT_EQ_S(field(r.out, "WK000202", 11), "slow_recovery");
    ASSERT_EQ_S(field(r.out, "WK000203", 11), "early_warning");
    /* WK000101 rises every year despite the wiggle (steps 0.5 +- 0.1): S = 16*15/2 = 120 */
    ASSERT_EQ_S(field(r.out, "WK000101", 4), "120");
    ASSERT_EQ_S(field(r.out, "WK000101", 2), "2004");
    ASSERT_EQ_S(field(r.out, "WK000101", 3), "2019");
    /* WK000103: before 0.5 per year, after 0.5 - 0.8 = -0.3 (the wiggle nearly cancels) */
    ASSERT_CLOSE(atof(field(r.out, "WK000103", 8)), 0.5, 0.02);
    ASSERT_CLOSE(atof(field(r.out, "WK000103", 9)), -0.3, 0.02);
    wbt_run_free(&r);
}

TEST(cli_trend, default_reference_is_the_median_of_last_values_of_all_areas)
{
    const char *db = make_store(0);
    /* the reference comes from all areas of the level, also when --in lists fewer */
    wbt_run_result all = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk --format csv", db);
    ASSERT_EQ_I(all.status, 0);
    wbt_run_result some = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk --in GM0002 "
                                        "--format csv",
                                  db);
    ASSERT_EQ_I(some.status, 0);
    ASSERT_EQ_I(wbt_count_lines(some.out), 4);
    ASSERT(strstr(some.out, "WK000101") == NULL);
    /* same level_z (column 25) with and without --in */
    char z_all[64];
    snprintf(z_all, sizeof z_all, "%s", field(all.out, "WK000202", 25));
    ASSERT_EQ_S(field(some.out, "WK000202", 25), z_all);
    /* median of the six last values: levels 4.55, -0.45, 2 + 3.5 - 5.6 + 0.05 = -0.05, 2.0,
     * -2.95, -0.65 -> sorted -2.95 -0.65 -0.45 -0.05 2.0 4.55 -> median (-0.45 - 0.05)/2 = -0.25 */
    ASSERT(strstr(all.err, "level reference -0.25") != NULL);
    wbt_run_free(&all);
    wbt_run_free(&some);
}

TEST(cli_trend, estimated_break_and_json)
{
    const char *db = make_store(0);
    wbt_run_result r = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk --break auto "
                                     "--draws 199 --seed 5 --format csv",
                               db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    /* WK000103 bends at 2012: found, with a tiny sup-F p (no simulated F reaches it) */
    ASSERT_EQ_S(field(r.out, "WK000103", 16), "2012");
    ASSERT_EQ_S(field(r.out, "WK000103", 22), "0.005");
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk --break 2012 --format json", db);
    ASSERT_EQ_I(r.status, 0);
    ASSERT(r.out[0] == '[');
    ASSERT(strstr(r.out, "\"trend\":\"declining\"") != NULL || strstr(r.out, "\"trend\": \"declining\"") != NULL);
    wbt_run_free(&r);
}

TEST(cli_trend, refuses_mixed_boundary_years_and_bad_options)
{
    const char *db = make_store(1);
    wbt_run_result r = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "2 boundary years (2016, 2020)") != NULL);
    ASSERT(strstr(r.err, "--boundary-year") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk --boundary-year 2016 --format csv", db);
    ASSERT_EQ_I(r.status, 0);
    ASSERT_EQ_I(wbt_count_lines(r.out), 7);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' trend --indicator lbm --level wijk --break soon", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "--break: expected a year, 'auto' or 'none'") != NULL);
    wbt_run_free(&r);
    /* the shipped lbm model needs the five LBM dimensions, which this store lacks */
    r = wbt_run(NULL, "--db '%s' trend --model lbm --level wijk", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "unknown indicator 'lbm_won'") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' trend --indicator nosuch --level wijk", db);
    ASSERT_EQ_I(r.status, 1);
    wbt_run_free(&r);
}
