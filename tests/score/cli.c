/** @file @brief The score, explain and compare commands on a small hand-made store.
 *
 * Store: gemeente GM0001 with wijken WK000101..04; indicators x, y, a_inw; years 2012, 2014:
 *            x 2012  y 2012  a_inw 2012   x 2014  y 2014
 *   WK000101    1      10       100          1      10
 *   WK000102    2      10       100          .      25
 *   WK000103    3      20       200          .       .
 *   WK000104    4      40       600          5      30
 *   NL00        2.7     .         .
 * The z model (tests/score/transform.c has the same numbers worked out) gives WK000101 in
 * 2012 the score 0.23985633492435432 and WK000104 in 2014 -0.04620716761398347.
 */
#include <jansson.h>
#include <stdlib.h>

#include "test.h"

static char db[4096], modelpath[4096];

static const char model_text[] =
    "[model]\nname = hand\ntransform = z\nbase_year = 2012\naggregate = mean\nmin_coverage = 0.5\n"
    "[dimension a]\nweight = 1\nindicator x direction=+ weight=2\n"
    "[dimension b]\nweight = 3\nindicator y direction=- weight=1\n"
    "[classes]\nthresholds = -1.5 -1 -0.6 -0.3 -0.1 0.1 0.35 0.7\n";

static void make_store(void)
{
    snprintf(db, sizeof db, "%s", wbt_tmp("hand.db"));
    snprintf(modelpath, sizeof modelpath, "%s", wbt_tmp("hand.model"));
    wbt_write(modelpath, model_text);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    static const char *const keys[] = {"x", "y", "a_inw"};
    int64_t ids[3];
    for (int k = 0; k < 3; k++) {
        wb_indicator ind = {0};
        ind.key = (char *)keys[k];
        WB_PASS(wb_store_indicator_put(st, &ids[k], &ind));
    }
    static const char *const codes[] = {"WK000101", "WK000102", "WK000103", "WK000104"};
    static const double x12[] = {1, 2, 3, 4}, y12[] = {10, 10, 20, 40}, inw[] = {100, 100, 200, 600};
    static const double x14[] = {1, NAN, NAN, 5}, y14[] = {10, 25, NAN, 30};
    for (int a = 0; a < 4; a++) {
        int64_t aid;
        WB_PASS(wb_store_area_put(st, &aid, codes[a], 2016, WB_LEVEL_WIJK, NULL, NULL));
        WB_PASS(wb_store_obs_put(st, ids[0], aid, 2012, x12[a]));
        WB_PASS(wb_store_obs_put(st, ids[1], aid, 2012, y12[a]));
        WB_PASS(wb_store_obs_put(st, ids[2], aid, 2012, inw[a]));
        WB_PASS(wb_store_obs_put(st, ids[0], aid, 2014, x14[a]));
        WB_PASS(wb_store_obs_put(st, ids[1], aid, 2014, y14[a]));
    }
    int64_t gm, nl;
    WB_PASS(wb_store_area_put(st, &gm, "GM0001", 2016, WB_LEVEL_GEMEENTE, "Gemeente Een", NULL));
    WB_PASS(wb_store_area_put(st, &nl, "NL00", 2016, WB_LEVEL_LAND, "Nederland", NULL));
    WB_PASS(wb_store_obs_put(st, ids[0], nl, 2012, 2.7));
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
}

/* The CSV row of @p code and @p year in @p out, split into fields (in a static buffer). */
static int csv_row(const char *out, const char *code, const char *year, char **f, int max)
{
    static char buf[4096];
    char key[64];
    snprintf(key, sizeof key, "\n%s,%s,", code, year);
    const char *p = strstr(out, key);
    if (!p)
        return 0;
    p++;
    size_t n = strcspn(p, "\n");
    snprintf(buf, sizeof buf, "%.*s", (int)n, p);
    return wbt_split(buf, f, max);
}

TEST(score_cli, score_csv_has_the_documented_columns_and_hand_values)
{
    make_store();
    wbt_run_result r = wbt_run(NULL, "--db %s score --model %s --level wijk --format csv", db, modelpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(!strncmp(r.out, "code,year,score,a,b,class,label,coverage\n", 41));
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 4 * 2);
    char *f[16];
    ASSERT_EQ_I(csv_row(r.out, "WK000101", "2012", f, 16), 8);
    ASSERT_CLOSE(strtod(f[2], NULL), 0.23985633492435432, 1e-12);
    ASSERT_CLOSE(strtod(f[3], NULL), -1.161895003862225, 1e-12);
    ASSERT_EQ_S(f[5], "7"); /* 0.2399 lies in [0.1, 0.35): class 7 */
    ASSERT_EQ_S(f[6], "goed");
    ASSERT_EQ_S(f[7], "1");
    ASSERT_EQ_I(csv_row(r.out, "WK000104", "2014", f, 16), 8);
    ASSERT_CLOSE(strtod(f[2], NULL), -0.04620716761398347, 1e-12);
    ASSERT_EQ_S(f[6], "ruim voldoende"); /* in [-0.1, 0.1) */
    ASSERT_EQ_I(csv_row(r.out, "WK000103", "2014", f, 16), 8);
    ASSERT_EQ_S(f[2], ""); /* no values: no score, no class */
    ASSERT_EQ_S(f[5], "");
    ASSERT_EQ_S(f[7], "0");
    wbt_run_free(&r);

    r = wbt_run(NULL, "--db %s score --model %s --level wijk --year 2014 --in WK000104 --format json", db, modelpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    ASSERT_MSG(j && json_is_array(j), "not JSON: %s", je.text);
    ASSERT_EQ_I(json_array_size(j), 1);
    json_t *o = json_array_get(j, 0);
    ASSERT_EQ_S(json_string_value(json_object_get(o, "code")), "WK000104");
    ASSERT_CLOSE(json_real_value(json_object_get(o, "score")), -0.04620716761398347, 1e-12);
    ASSERT_EQ_I(json_integer_value(json_object_get(o, "class")), 6);
    json_decref(j);
    wbt_run_free(&r);

    r = wbt_run(NULL, "--db %s score --model %s --level wijk --year 2013", db, modelpath);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "years with values: 2012, 2014") != NULL);
    wbt_run_free(&r);
}

TEST(score_cli, explain_adds_up_and_compares_with_gemeente_and_nation)
{
    make_store();
    wbt_run_result r = wbt_run(NULL, "--db %s explain WK000101 --model %s --year 2012 --format csv", db, modelpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(!strncmp(r.out, "part,dimension,indicator,direction,weight,value,std,contribution,gm_value,gm_std,"
                           "gm_contribution,nl_value,nl_std,nl_contribution,gm_source,nl_source\n", 140));
    double sum_ind = 0, sum_dim = 0, score = NAN;
    double gm_x = NAN, nl_x = NAN, nl_y = NAN;
    char *copy = strdup(r.out), *save = NULL;
    strtok_r(copy, "\n", &save);
    int nind = 0;
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[20];
        ASSERT_EQ_I(wbt_split(line, f, 20), 16);
        if (!strcmp(f[0], "indicator")) {
            nind++;
            sum_ind += strtod(f[7], NULL);
            if (!strcmp(f[2], "x")) {
                gm_x = strtod(f[8], NULL);
                nl_x = strtod(f[11], NULL);
                ASSERT_EQ_S(f[14], "a_inw-weighted mean");
                ASSERT_EQ_S(f[15], "stored");
                ASSERT_CLOSE(strtod(f[6], NULL), -1.161895003862225, 1e-12);
            } else {
                nl_y = strtod(f[11], NULL);
            }
        } else if (!strcmp(f[0], "dimension")) {
            sum_dim += strtod(f[7], NULL);
        } else if (!strcmp(f[0], "score")) {
            score = strtod(f[5], NULL);
        }
    }
    free(copy);
    ASSERT_EQ_I(nind, 2);
    ASSERT_CLOSE(score, 0.23985633492435432, 1e-12);
    ASSERT_CLOSE(sum_ind, score, 1e-12);
    ASSERT_CLOSE(sum_dim, score, 1e-12);
    /* gemeente: nothing stored for GM0001, so the a_inw-weighted mean of its wijken:
     * x = (1*100 + 2*100 + 3*200 + 4*600) / 1000 = 3.3; the nation has x = 2.7 stored and y
     * from the wijken: (10*100 + 10*100 + 20*200 + 40*600) / 1000 = 30 */
    ASSERT_CLOSE(gm_x, 3.3, 1e-12);
    ASSERT_CLOSE(nl_x, 2.7, 1e-15);
    ASSERT_CLOSE(nl_y, 30, 1e-12);
    wbt_run_free(&r);

    r = wbt_run(NULL, "--db %s explain WK009999 --model %s", db, modelpath);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "WK009999 is not a wijk") != NULL);
    wbt_run_free(&r);
}

TEST(score_cli, models_by_name_and_clear_errors)
{
    make_store();
    /* the shipped lbm model is found by name from any directory, and its indicators are unknown here */
    wbt_run_result r = wbt_run(NULL, "--db %s score --model lbm --level wijk", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT_MSG(strstr(r.err, "models/lbm.model:") && strstr(r.err, "unknown indicator 'lbm_won'"), "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s score --model nosuch --level wijk", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "model 'nosuch' not found") != NULL);
    wbt_run_free(&r);
    wbt_write(modelpath, "[model]\ntransform = z\n[dimension a]\nindicator x direction=+\n");
    r = wbt_run(NULL, "--db %s score --model %s --level wijk", db, modelpath);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "hand.model:2: ") && strstr(r.err, "base_year"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s score --level wijk", db);
    ASSERT_EQ_I(r.status, 2);
    wbt_run_free(&r);
}

TEST(score_cli, compare_a_set_by_hand)
{
    make_store();
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    int64_t set, a1, a2;
    WB_PASS(wb_store_label_set_put(st, &set, "focus", NULL));
    WB_PASS(wb_store_area_find(st, &a1, "WK000101", 2016));
    WB_PASS(wb_store_area_find(st, &a2, "WK000102", 2016));
    WB_PASS(wb_store_label_add(st, set, a1));
    WB_PASS(wb_store_label_add(st, set, a2));
    wb_store_free(st);
    /* x 2012: set {1,2} mean 1.5; the other wijken of GM0001 {3,4} mean 3.5; nation mean 2.5
     * (all four wijken; NL00's stored 2.7 is not a wijk) */
    wbt_run_result r = wbt_run(NULL, "--db %s compare --set focus --indicator x --format csv", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    char *f[20];
    const char *p = strstr(r.out, "\n2012,");
    ASSERT(p);
    char line[1024];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
    ASSERT_EQ_I(wbt_split(line, f, 20), 17);
    ASSERT_EQ_S(f[1], "2");
    ASSERT_CLOSE(strtod(f[2], NULL), 1.5, 1e-15);
    ASSERT_CLOSE(strtod(f[5], NULL), 3.5, 1e-15);
    ASSERT_CLOSE(strtod(f[11], NULL), 2.5, 1e-15);
    ASSERT_CLOSE(strtod(f[13], NULL), -1, 1e-15);
    ASSERT_CLOSE(strtod(f[14], NULL), -2, 1e-15);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s compare --set nope --indicator x", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "unknown label set 'nope'") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s compare --set focus --indicator x --model %s", db, modelpath);
    ASSERT_EQ_I(r.status, 2);
    wbt_run_free(&r);
}

/* The shipped kwb model on a small store: 6 wijken, 2016 and 2018, every kwb indicator except
 * the three sustainability ones. Coverage is 11/14; dimension duurzaamheid is missing; the
 * score is the mean of the other five dimensions; 2018 is standardised on 2016. */
TEST(score_cli, kwb_model_scores_with_partial_coverage)
{
    static const char *const keys[] = {"g_woz", "p_koopw", "g_ink_pi", "p_hh_li", "p_soz_wb", "g_afs_hp",
                                       "g_afs_gs", "g_misdr", "bev_dich", "g_gas", "g_ele", "p_stadsv"};
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_tmp("kwb.db"));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t ids[12];
    for (int k = 0; k < 12; k++) {
        wb_indicator ind = {0};
        ind.key = (char *)keys[k];
        WB_PASS(wb_store_indicator_put(st, &ids[k], &ind));
    }
    for (int a = 0; a < 6; a++) {
        char code[16];
        snprintf(code, sizeof code, "WK0001%02d", a);
        int64_t aid;
        WB_PASS(wb_store_area_put(st, &aid, code, 2018, WB_LEVEL_WIJK, NULL, NULL));
        for (int k = 0; k < 9; k++) {
            /* wijk a has value a+1 (+10 k) in 2016 and a+2 (+10 k) in 2018 */
            WB_PASS(wb_store_obs_put(st, ids[k], aid, 2016, a + 1 + 10.0 * k));
            WB_PASS(wb_store_obs_put(st, ids[k], aid, 2018, a + 2 + 10.0 * k));
        }
    }
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    wbt_run_result r = wbt_run(NULL, "--db %s score --model kwb --level wijk --format csv", path);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(!strncmp(r.out, "code,year,score,wonen,bewoners,voorzieningen,veiligheid,fysiek,duurzaamheid,class,label,"
                           "coverage\n", 96));
    char *f[20];
    /* every indicator of wijk 0 in 2016 is at z = (1 - 3.5) / sd(1..6) = -2.5 / 1.8708287 = -1.336306;
     * with directions: wonen +,+ -> -1.3363; bewoners +,-,- -> (-1 + 1 + 1)/3 * 1.3363 = 0.4454;
     * voorzieningen -,- -> +1.3363; veiligheid - -> +1.3363; fysiek - -> +1.3363;
     * score = (-1.3363 + 0.4454 + 3 * 1.3363) / 5 = 0.62361 */
    ASSERT_EQ_I(csv_row(r.out, "WK000100", "2016", f, 20), 12);
    double z = -2.5 / sqrt(3.5);
    ASSERT_CLOSE(strtod(f[3], NULL), z, 1e-12);
    ASSERT_CLOSE(strtod(f[4], NULL), -z / 3, 1e-12);
    ASSERT_CLOSE(strtod(f[7], NULL), -z, 1e-12);
    ASSERT_EQ_S(f[8], "");
    ASSERT_CLOSE(strtod(f[2], NULL), (z - z / 3 - 3 * z) / 5, 1e-12);
    ASSERT_CLOSE(strtod(f[11], NULL), 9.0 / 12, 1e-3); /* printed with 4 significant digits */
    /* 2018 on the 2016 scale: every value one higher, z shifts by 1 / sd */
    ASSERT_EQ_I(csv_row(r.out, "WK000100", "2018", f, 20), 12);
    ASSERT_CLOSE(strtod(f[3], NULL), z + 1 / sqrt(3.5), 1e-12);
    wbt_run_free(&r);
}

/* trend --model: the scores of a model enter the trend command as an indicator's values */
TEST(score_cli, trend_of_a_model_score)
{
    make_store();
    wbt_run_result r = wbt_run(NULL, "--db %s trend --model %s --level wijk --format csv", db, modelpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(!strncmp(r.out, "code,n,first_year,last_year,", 28));
    /* the header names the columns; find 'level' */
    char head[1024];
    snprintf(head, sizeof head, "%.*s", (int)strcspn(r.out, "\n"), r.out);
    char *hf[40];
    int nh = wbt_split(head, hf, 40), lv = -1;
    for (int i = 0; i < nh; i++)
        if (!strcmp(hf[i], "level"))
            lv = i;
    ASSERT(lv > 0);
    const char *p = strstr(r.out, "\nWK000104,");
    ASSERT(p);
    char line[1024];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
    char *f[40];
    ASSERT_EQ_I(wbt_split(line, f, 40), nh);
    ASSERT_EQ_S(f[1], "2");
    ASSERT_EQ_S(f[2], "2012");
    ASSERT_EQ_S(f[3], "2014");
    ASSERT_CLOSE(strtod(f[lv], NULL), -0.04620716761398347, 1e-12); /* the 2014 score */
    wbt_run_free(&r);
}

/* compare --trend-classes on series whose post-2012 direction is plain:
 *   set:  A 1 2 3 4 5 (improving), B 5 5 5 4 3 (declining)
 *   rest: C 1 1 1 2 3 (improving), D 3 3 3 3 3 (flat: stagnating), E no values (left out)
 * years 2008 2010 2012 2014 2016, break 2012, classes by the sign of the hinge slope after it. */
TEST(score_cli, compare_counts_trend_classes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_tmp("tc.db"));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    wb_indicator ind = {0};
    ind.key = "v";
    ind.direction = WB_DIR_HIGHER_BETTER;
    int64_t iid, set;
    WB_PASS(wb_store_indicator_put(st, &iid, &ind));
    WB_PASS(wb_store_label_set_put(st, &set, "s", NULL));
    static const double v[5][5] = {{1, 2, 3, 4, 5}, {5, 5, 5, 4, 3}, {1, 1, 1, 2, 3}, {3, 3, 3, 3, 3},
                                   {NAN, NAN, NAN, NAN, NAN}};
    for (int a = 0; a < 5; a++) {
        char code[16];
        snprintf(code, sizeof code, "WK0001%02d", a);
        int64_t aid;
        WB_PASS(wb_store_area_put(st, &aid, code, 2016, WB_LEVEL_WIJK, NULL, NULL));
        for (int t = 0; t < 5; t++)
            WB_PASS(wb_store_obs_put(st, iid, aid, 2008 + 2 * t, v[a][t]));
        if (a < 2)
            WB_PASS(wb_store_label_add(st, set, aid));
    }
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    wbt_run_result r = wbt_run(NULL, "--db %s compare --set s --indicator v --break 2012 --trend-classes "
                                     "--no-significance --format csv", path);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(!strncmp(r.out, "kind,class,n_set,share_set,n_rest,share_rest\n", 45));
    ASSERT(strstr(r.out, "\ntrend,improving,1,0.5,1,0.5\n") != NULL);
    ASSERT(strstr(r.out, "\ntrend,declining,1,0.5,0,0\n") != NULL);
    ASSERT(strstr(r.out, "\ntrend,stagnating,0,0,1,0.5\n") != NULL);
    ASSERT(strstr(r.out, "\ntrend,unknown,0,0,0,0\n") != NULL);
    ASSERT(strstr(r.out, "\ngroup,relapse,1,0.5,0,0\n") != NULL); /* B: declining since the break */
    wbt_run_free(&r);
}

/* With wijken of a later boundary year in the store (say a KWB import next to the demo),
 * score --in and explain default to the boundary year of the area they are given, not to the
 * latest year with data; without --in the latest year with data stays the default. */
TEST(score_cli, in_and_explain_default_to_the_boundary_year_of_the_area)
{
    make_store();
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    WB_PASS(wb_store_begin(st));
    int64_t x, y, aid;
    WB_PASS(wb_store_indicator_resolve(st, &x, NULL, "x"));
    WB_PASS(wb_store_indicator_resolve(st, &y, NULL, "y"));
    for (int a = 0; a < 3; a++) {
        char code[16];
        snprintf(code, sizeof code, "WK00020%d", a + 1);
        WB_PASS(wb_store_area_put(st, &aid, code, 2024, WB_LEVEL_WIJK, NULL, NULL));
        WB_PASS(wb_store_obs_put(st, x, aid, 2012, a));
        WB_PASS(wb_store_obs_put(st, y, aid, 2012, 10 * a));
    }
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    wbt_run_result r = wbt_run(NULL, "--db %s score --model %s --level wijk --in GM0001 --format csv", db, modelpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 4 * 2); /* the four 2016 wijken of GM0001 */
    char *f[16];
    ASSERT_EQ_I(csv_row(r.out, "WK000101", "2012", f, 16), 8);
    ASSERT_CLOSE(strtod(f[2], NULL), 0.23985633492435432, 1e-12); /* as on the 2016 wijken alone */
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s explain WK000101 --model %s --year 2012 --format csv", db, modelpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s score --model %s --level wijk --format csv", db, modelpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "\nWK000201,2012,") != NULL); /* the latest boundary year with data */
    wbt_run_free(&r);
}
