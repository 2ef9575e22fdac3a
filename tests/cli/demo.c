/** @file @brief The `demo` and `overview` commands. */
#include <stdlib.h>

#include "test.h"

TEST(cli_demo, builds_then_refuses_a_second_run_and_leaves_the_file_unchanged)
{
    wbt_run_result r = wbt_run(NULL, "--db d.db demo");
    ASSERT_MSG(r.status == 0, "demo failed: %s", r.err);
    ASSERT(strstr(r.out, "GM9999") != NULL);
    ASSERT(strstr(r.out, "Wierhaven") != NULL);
    ASSERT(strstr(r.out, "fictional") != NULL);
    ASSERT(strstr(r.out, "80 buurten") != NULL);
    wbt_run_free(&r);
    /* a byte copy of the database, to compare after the refused run */
    size_t len = 0;
    char *bytes = wbt_slurp(wbt_tmp("d.db"), &len);
    ASSERT(bytes && len > 0);
    FILE *f = fopen(wbt_tmp("copy.db"), "wb");
    ASSERT(f && fwrite(bytes, 1, len, f) == len);
    fclose(f);
    free(bytes);
    r = wbt_run(NULL, "--db d.db demo");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "already holds the demo municipality GM9999") != NULL);
    ASSERT(strstr(r.err, "--force") != NULL);
    ASSERT_EQ_S(r.out, "");
    wbt_run_free(&r);
    ASSERT(wbt_same_bytes(wbt_tmp("d.db"), wbt_tmp("copy.db")));
}

TEST(cli_demo, force_replaces_and_the_same_seed_gives_the_same_values)
{
    wbt_run_result r = wbt_run(NULL, "--db d.db demo");
    ASSERT_EQ_I(r.status, 0);
    wbt_run_free(&r);
    wbt_run_result a = wbt_run(NULL, "--db d.db export values --indicator lbm --level buurt --format csv");
    ASSERT_EQ_I(a.status, 0);
    /* header + 79 scored buurten x 21 years, less the few sporadic gaps */
    ASSERT(wbt_count_lines(a.out) > 1600 && wbt_count_lines(a.out) <= 1 + 79 * 21);
    r = wbt_run(NULL, "--db d.db demo --force");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "Replaced") != NULL);
    wbt_run_free(&r);
    wbt_run_result b = wbt_run(NULL, "--db d.db export values --indicator lbm --level buurt --format csv");
    ASSERT_EQ_S(b.out, a.out);
    r = wbt_run(NULL, "--db d.db demo --force --seed 7");
    ASSERT_EQ_I(r.status, 0);
    wbt_run_free(&r);
    wbt_run_result c = wbt_run(NULL, "--db d.db export values --indicator lbm --level buurt --format csv");
    ASSERT(strcmp(c.out, a.out) != 0);
    wbt_run_free(&a);
    wbt_run_free(&b);
    wbt_run_free(&c);
}

TEST(cli_demo, bad_seed_is_a_usage_error)
{
    wbt_run_result r = wbt_run(NULL, "--db d.db demo --seed twelve");
    ASSERT_EQ_I(r.status, 2);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "--seed") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db d.db demo --seed -3");
    ASSERT_EQ_I(r.status, 2);
    wbt_run_free(&r);
}

TEST(cli_demo, overview_describes_the_demo_municipality)
{
    wbt_run_result r = wbt_run(NULL, "--db d.db demo");
    ASSERT_EQ_I(r.status, 0);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db d.db overview");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "Wierhaven (GM9999)") != NULL);
    ASSERT(strstr(r.out, "fictional") != NULL);
    ASSERT(strstr(r.out, "8 wijken, 80 buurten") != NULL);
    ASSERT(strstr(r.out, "inhabitants (2022)") != NULL);
    ASSERT(strstr(r.out, "classes of the 79 buurten") != NULL); /* the business park has no score */
    ASSERT(strstr(r.out, "best buurten") != NULL && strstr(r.out, "worst buurten") != NULL);
    ASSERT(strstr(r.out, "Since 2012") != NULL);
    ASSERT(strstr(r.out, "'aandachtswijken'") != NULL);
    wbt_run_free(&r);
    /* the same with the code given */
    r = wbt_run(NULL, "--db d.db overview GM9999");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "Wierhaven (GM9999)") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db d.db overview GM0001");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "GM0001") != NULL);
    wbt_run_free(&r);
}

TEST(cli_demo, overview_without_the_demo_says_what_to_do)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("e.db"), WB_STORE_CREATE));
    wb_store_free(st);
    wbt_run_result r = wbt_run(NULL, "--db e.db overview");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "wijkbeeld demo") != NULL);
    wbt_run_free(&r);
}

TEST(cli_demo, overview_of_a_gemeente_with_wijk_scores_only)
{
    /* the shape of the real LBM 2.0 data: scores and classes per wijk on 2016 boundaries */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("r.db"), WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    wb_indicator ind = {0};
    int64_t lbm, kl, gem, w[3], set;
    ind.key = "lbm";
    WB_PASS(wb_store_indicator_put(st, &lbm, &ind));
    ind.key = "lbm_klasse";
    WB_PASS(wb_store_indicator_put(st, &kl, &ind));
    WB_PASS(wb_store_area_put(st, &gem, "GM0003", 2016, WB_LEVEL_GEMEENTE, "Appingedam", NULL));
    static const char *const codes[3] = {"WK000300", "WK000301", "WK000302"};
    static const double v12[3] = {-0.06, 0.05, 0.12}, v16[3] = {-0.10, 0.06, 0.20};
    static const int k16[3] = {6, 7, 8};
    for (int i = 0; i < 3; i++) {
        WB_PASS(wb_store_area_put(st, &w[i], codes[i], 2016, WB_LEVEL_WIJK, NULL, NULL));
        WB_PASS(wb_store_obs_put(st, lbm, w[i], 2012, v12[i]));
        WB_PASS(wb_store_obs_put(st, lbm, w[i], 2016, v16[i]));
        WB_PASS(wb_store_obs_put(st, kl, w[i], 2016, k16[i]));
    }
    WB_PASS(wb_store_label_set_put(st, &set, "aandachtswijken2007", NULL));
    WB_PASS(wb_store_label_add(st, set, w[0]));
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    wbt_run_result r = wbt_run(NULL, "--db r.db overview GM0003");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "Appingedam (GM0003), boundaries 2016") != NULL);
    ASSERT(strstr(r.out, "fictional") == NULL);
    ASSERT(strstr(r.out, "3 wijken, 0 buurten") != NULL);
    ASSERT(strstr(r.out, "classes of the 3 wijken") != NULL);
    /* changes 2012 -> 2016: -0.04 (declined), +0.01 (same), +0.08 (improved) */
    ASSERT(strstr(r.out, "1 improved, 1 stayed about the same") != NULL);
    ASSERT(strstr(r.out, "and 1 declined") != NULL);
    ASSERT(strstr(r.out, "+0.200  class 8  WK000302") != NULL);
    ASSERT(strstr(r.out, "'aandachtswijken2007': 1 areas") != NULL);
    /* mean of the set -0.100 against (0.06 + 0.20) / 2 = +0.130 for the others */
    ASSERT(strstr(r.out, "mean score -0.100 in 2016 against +0.130 for the other wijken") != NULL);
    wbt_run_free(&r);
}
