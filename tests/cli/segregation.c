/** @file @brief `wijkbeeld segregation`: output columns and values (hand-computed, see
 *  tests/stats/segregation.c), --lq, messages for left-out units and bad input, and the real
 *  SES-WOA 2019 Amsterdam data against the R reference fixture. */
#include <math.h>
#include <stdlib.h>

#include "stats/ses_woa_raw.h"
#include "test.h"

static const double LN2 = 0.69314718055994530942;
static const double LN3 = 1.09861228866810969140;

/* ---- a tiny CSV reader for the command's output ---- */

/* Field @p col of line @p row (0 = header) into buf; quotes handled. -1 when absent. */
static int csv_field(char *buf, size_t n, const char *text, int row, int col)
{
    const char *p = text;
    for (int r = 0; r < row; r++) {
        int inq = 0;
        for (; *p && (inq || *p != '\n'); p++)
            if (*p == '"')
                inq = !inq;
        if (!*p)
            return -1;
        p++;
    }
    for (int c = 0;; c++) {
        size_t len = 0;
        int inq = 0;
        while (*p && (inq || (*p != ',' && *p != '\n'))) {
            if (*p == '"') {
                if (inq && p[1] == '"') {
                    if (c == col && len + 1 < n)
                        buf[len++] = '"';
                    p += 2;
                    continue;
                }
                inq = !inq;
                p++;
                continue;
            }
            if (c == col && len + 1 < n)
                buf[len++] = *p;
            p++;
        }
        if (c == col) {
            buf[len] = 0;
            return 0;
        }
        if (*p != ',')
            return -1;
        p++;
    }
}

/* The cell of column @p name in data row @p row (1-based). */
static const char *cell(const char *text, int row, const char *name)
{
    static char buf[4][512];
    static int k;
    char *out = buf[k++ & 3];
    for (int c = 0; c < 200; c++) {
        if (csv_field(out, 512, text, 0, c) < 0)
            break;
        if (!strcmp(out, name)) {
            if (csv_field(out, 512, text, row, c) < 0)
                return NULL;
            return out;
        }
    }
    return NULL;
}

static double num(const char *text, int row, const char *name)
{
    const char *s = cell(text, row, name);
    if (!s || !*s)
        return NAN;
    return strtod(s, NULL);
}

/* ---- fixtures ---- */

static int64_t put_ind(wb_store *st, const char *key, const char *unit)
{
    wb_indicator d = {0};
    d.key = (char *)key;
    d.unit = (char *)unit;
    int64_t id = 0;
    WB_PASS(wb_store_indicator_put(st, &id, &d));
    return id;
}

static void put_val(wb_store *st, int64_t ind, const char *code, int year, double v)
{
    wb_level l = WB_LEVEL_OTHER;
    char norm[WB_CODE_MAX];
    WB_PASS(wb_code_normalize(norm, &l, code, strlen(code), WB_LEVEL__MAX));
    int64_t area;
    WB_PASS(wb_store_area_put(st, &area, norm, 2019, l, NULL, NULL));
    WB_PASS(wb_store_obs_put(st, ind, area, year, v));
}

/* The 3-group hand case of tests/stats/segregation.c (D = 4/5, M = (1/2) ln 2 + (3/8) ln 3,
 * M_between = ln 2 between the wijken WK999901 and WK999902) as a_w_all, a_nw_all and other =
 * a_inw - both, in 2019 and (identical) 2020; buurt 05 misses a_nw_all, buurt 06 has no value. */
static const char *small_db(void)
{
    static char path[4096]; /* wbt_tmp's buffers rotate: keep a copy */
    snprintf(path, sizeof path, "%s", wbt_tmp("seg.db"));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t w = put_ind(st, "a_w_all", "aantal"), nw = put_ind(st, "a_nw_all", "aantal");
    int64_t inw = put_ind(st, "a_inw", "aantal");
    const char *codes[] = {"BU99990101", "BU99990102", "BU99990203", "BU99990204"};
    const double t[] = {3, 1, 0, 1, 3, 0, 0, 0, 4, 0, 0, 4};
    for (int y = 2019; y <= 2020; y++) {
        for (int j = 0; j < 4; j++) {
            put_val(st, w, codes[j], y, t[j * 3]);
            put_val(st, nw, codes[j], y, t[j * 3 + 1]);
            put_val(st, inw, codes[j], y, t[j * 3] + t[j * 3 + 1] + t[j * 3 + 2]);
        }
        put_val(st, w, "BU99990205", y, 5);
        put_val(st, nw, "BU99990205", y, NAN);
        put_val(st, inw, "BU99990205", y, 9);
    }
    int64_t id;
    WB_PASS(wb_store_area_put(st, &id, "BU99990206", 2019, WB_LEVEL_BUURT, NULL, NULL));
    WB_PASS(wb_store_area_put(st, &id, "GM9999", 2019, WB_LEVEL_GEMEENTE, "Proefstad", NULL));
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    return path;
}

#define GROUPS3 "--groups a_w_all,a_nw_all --total a_inw --other"

TEST(segregation_cli, indices_as_csv_match_the_hand_case)
{
    const char *db = small_db();
    wbt_run_result r = wbt_run(NULL, "--db %s segregation " GROUPS3 " --year 2019 --format csv", db);
    ASSERT_MSG(r.status == 0, "status %d: %s", r.status, r.err);
    ASSERT_EQ_I(wbt_count_lines(r.out), 2);
    ASSERT_EQ_S(cell(r.out, 1, "parent"), "GM9999");
    ASSERT_EQ_S(cell(r.out, 1, "name"), "Proefstad");
    ASSERT_EQ_S(cell(r.out, 1, "groups"), "a_w_all,a_nw_all,other");
    ASSERT_EQ_S(cell(r.out, 1, "source"), "counts; other = a_inw - sum");
    ASSERT_EQ_S(cell(r.out, 1, "within_level"), "wijk"); /* default for buurt by gemeente */
    ASSERT_CLOSE(num(r.out, 1, "areas"), 6, 0);
    ASSERT_CLOSE(num(r.out, 1, "units"), 4, 0);
    ASSERT_CLOSE(num(r.out, 1, "missing"), 2, 0);
    ASSERT_CLOSE(num(r.out, 1, "n_sub"), 2, 0);
    ASSERT_CLOSE(num(r.out, 1, "population"), 16, 0);
    /* printed with 15-17 significant digits, read back exactly */
    ASSERT_CLOSE(num(r.out, 1, "D"), 0.8, 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "M"), 0.5 * LN2 + 0.375 * LN3, 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "H"), 1.0 / 3 + 0.25 * LN3 / LN2, 1e-14);
    ASSERT_CLOSE(num(r.out, 1, "M_between"), LN2, 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "M_within"), 0.375 * LN3 - 0.5 * LN2, 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "between_share"), LN2 / (0.5 * LN2 + 0.375 * LN3), 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "xPx:a_w_all"), 5.0 / 8, 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "xPy:a_w_all:a_nw_all"), 3.0 / 8, 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "xPx:other"), 1, 1e-15);
    ASSERT_EQ_S(cell(r.out, 1, "note"), "");
    /* one line on stderr says what was left out and why */
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "2 of 6 buurt areas left out: 2 with a missing value (a_w_all 1, "
                         "a_nw_all 2, a_inw 1)") != NULL);
    wbt_run_free(&r);

    r = wbt_run(NULL, "--db %s --quiet segregation " GROUPS3 " --year 2019 --format csv", db);
    ASSERT_EQ_I(r.status, 0);
    ASSERT_EQ_S(r.err, "");
    wbt_run_free(&r);
}

TEST(segregation_cli, years_json_and_no_decomposition)
{
    const char *db = small_db();
    wbt_run_result r = wbt_run(NULL, "--db %s segregation " GROUPS3
                               " --years 2019-2020 --within-level none --format csv", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_I(wbt_count_lines(r.out), 3);
    ASSERT_EQ_S(cell(r.out, 1, "year"), "2019");
    ASSERT_EQ_S(cell(r.out, 2, "year"), "2020");
    ASSERT_EQ_S(cell(r.out, 2, "M_between"), "");
    ASSERT_EQ_S(cell(r.out, 2, "within_level"), "");
    ASSERT(strstr(cell(r.out, 2, "note"), "no decomposition") != NULL);
    ASSERT_CLOSE(num(r.out, 2, "D"), 0.8, 1e-15);
    wbt_run_free(&r);

    r = wbt_run(NULL, "--db %s segregation " GROUPS3 " --year 2020 --format json", db);
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "\"parent\": \"GM9999\"") != NULL);
    ASSERT(strstr(r.out, "\"D\": 0.8,") != NULL);
    ASSERT(strstr(r.out, "\"n_sub\": 2,") != NULL);
    ASSERT(strstr(r.out, "\"note\": null") != NULL);
    wbt_run_free(&r);
}

TEST(segregation_cli, location_quotients)
{
    /* Group shares of GM9999: pi = (4/16, 4/16, 8/16). Buurt 01 = (3,1,0)/4:
     * LQ = (3/4)/(1/4) = 3, (1/4)/(1/4) = 1, 0; buurt 03 = (0,0,4)/4: LQ other = 1/(1/2) = 2. */
    const char *db = small_db();
    wbt_run_result r = wbt_run(NULL, "--db %s segregation " GROUPS3 " --year 2019 --lq --format csv", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 4 * 3);
    ASSERT_EQ_S(cell(r.out, 1, "unit"), "BU99990101");
    ASSERT_EQ_S(cell(r.out, 1, "sub"), "WK999901");
    ASSERT_EQ_S(cell(r.out, 1, "group"), "a_w_all");
    ASSERT_CLOSE(num(r.out, 1, "lq"), 3, 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "share"), 0.75, 1e-15);
    ASSERT_CLOSE(num(r.out, 2, "lq"), 1, 1e-15);
    ASSERT_CLOSE(num(r.out, 3, "lq"), 0, 0);
    ASSERT_EQ_S(cell(r.out, 9, "unit"), "BU99990203");
    ASSERT_EQ_S(cell(r.out, 9, "group"), "other");
    ASSERT_CLOSE(num(r.out, 9, "lq"), 2, 1e-15);
    ASSERT_CLOSE(num(r.out, 9, "count"), 4, 0);
    wbt_run_free(&r);
}

TEST(segregation_cli, bad_input_gives_one_clear_line)
{
    const char *db = small_db();
    struct {
        const char *args;
        int status;
        const char *msg;
    } cases[] = {
        {"--groups a_w_all,nope", 1, "unknown indicator 'nope'"},
        {"--groups a_w_all,a_nw_all --year 2030", 1, "no buurt values of a_w_all in 2030"},
        {"--groups a_w_all,a_nw_all --in GM0363", 1, "no buurt values of a_w_all within GM0363"},
        {"--groups a_w_all", 2, "at least two indicators"},
        {"--total a_inw", 2, "--groups KEY1,KEY2[,...] is required"},
        {"--groups a_w_all,a_nw_all --year 2019 --years 2019-2020", 2, "not both"},
        {"--groups a_w_all,a_nw_all --years 2020", 2, "--years expects A-B"},
        {"--groups a_w_all,a_nw_all --excess ignore", 2, "unknown excess policy 'ignore'"},
        {"--groups a_w_all,a_nw_all --input guess", 2, "--input must be auto, counts or shares"},
        {"--groups a_w_all,a_nw_all --other", 1, "needs a total indicator"},
        {"--groups a_w_all,a_nw_all --unit gemeente --by buurt", 1, "must lie within"},
        {"--groups a_w_all,a_nw_all --within-level land", 1, "decomposition level must lie between"},
        {"--groups a_w_all,a_nw_all --in BU12", 2, "--in"},
        {"--groups a_w_all,a_nw_all --in XX12", 1, "no buurt values of a_w_all within XX12"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wbt_run_result r = wbt_run(NULL, "--db %s segregation %s --format csv", db, cases[i].args);
        ASSERT_MSG(r.status == cases[i].status, "'%s': status %d, expected %d (%s)", cases[i].args,
                   r.status, cases[i].status, r.err);
        ASSERT_MSG(wbt_count_lines(r.err) == 1 && strstr(r.err, cases[i].msg),
                   "'%s': stderr '%s', expected '%s'", cases[i].args, r.err, cases[i].msg);
        ASSERT_EQ_S(r.out, "");
        wbt_run_free(&r);
    }
}

TEST(segregation_cli, group_larger_than_total)
{
    const char *db = small_db();
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    int64_t w;
    WB_PASS(wb_store_indicator_resolve(st, &w, NULL, "a_w_all"));
    WB_PASS(wb_store_begin(st));
    put_val(st, w, "BU99990204", 2019, 6); /* a_inw = 4 */
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    wbt_run_result r = wbt_run(NULL, "--db %s segregation " GROUPS3 " --year 2019 --format csv", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "BU99990204 (2019): a_w_all = 6 is larger than its total a_inw = 4") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s segregation " GROUPS3 " --year 2019 --excess drop --format csv", db);
    ASSERT_EQ_I(r.status, 0);
    ASSERT_CLOSE(num(r.out, 1, "excess"), 1, 0);
    ASSERT_CLOSE(num(r.out, 1, "units"), 3, 0);
    ASSERT(strstr(r.err, "1 with a group larger than its total (--excess drop)") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s segregation " GROUPS3 " --year 2019 --excess clamp --format csv", db);
    ASSERT_EQ_I(r.status, 0);
    ASSERT_CLOSE(num(r.out, 1, "units"), 4, 0);
    ASSERT(strstr(r.err, "1 kept with a group capped at its total (--excess clamp)") != NULL);
    wbt_run_free(&r);
}

TEST(segregation_cli, help_lists_the_command)
{
    wbt_run_result r = wbt_run(NULL, "help segregation");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "--within-level") != NULL && strstr(r.out, "--excess") != NULL);
    wbt_run_free(&r);
}

/* SES-WOA 2019 Amsterdam, education low/middle/high x households, buurten within wijken
 * within GM0363, through the command line. Expected values: the R reference fixture
 * (tests/reference/segregation.R -> tests/data/segregation/amsterdam_2019.csv), 1e-12. */
TEST(segregation_cli, amsterdam_ses_woa_2019)
{
    const char *path = wbt_shared("ses_woa_cbs/ses_woa_2019_amsterdam_wijk_buurt.csv");
    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("ams.db"));
    wbt_ses_stats raw;
    wbt_ses_woa_raw(path, &raw);
    wbt_run_result r = wbt_run(NULL, "--db %s import kwb '%s'", db, path);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    char summary[128];
    snprintf(summary, sizeof summary, ": %zu rows, %zu areas (%zu new)", raw.rows, raw.rows, raw.rows);
    ASSERT_MSG(strstr(r.out, summary) != NULL, "'%s' does not say '%s'", r.out, summary);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s segregation --groups p_opl_laag,p_opl_mid,p_opl_hoog "
                                     "--total a_hh --unit buurt --by gemeente --within-level wijk "
                                     "--year 2019 --format csv",
                               db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_S(cell(r.out, 1, "parent"), "GM0363");
    ASSERT_EQ_S(cell(r.out, 1, "source"), "shares x total a_hh");
    char *ref = wbt_slurp(wbt_fixture("segregation/amsterdam_2019.csv"), NULL);
    ASSERT(ref != NULL);
    ASSERT(wbt_count_lines(ref) > 10);
    struct {
        const char *col, *ref;
    } m[] = {{"D", "D"},
             {"H", "H"},
             {"M", "M"},
             {"M_between", "M_between"},
             {"M_within", "M_within"},
             {"entropy", "entropy"},
             {"population", "population"},
             {"xPx:p_opl_laag", "xPx_laag"},
             {"xPx:p_opl_hoog", "xPx_hoog"},
             {"xPy:p_opl_laag:p_opl_hoog", "xPy_laag_hoog"},
             {"xPy:p_opl_hoog:p_opl_laag", "xPy_hoog_laag"},
             {"units", "units"},
             {"n_sub", "wijken"},
             {"empty", "empty"},
             {"missing", "missing"}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        double got = num(r.out, 1, m[i].col);
        char key[64];
        snprintf(key, sizeof key, "\n%s,", m[i].ref);
        const char *p = strstr(ref, key);
        ASSERT_MSG(p != NULL, "no %s in the reference", m[i].ref);
        double want = strtod(p + strlen(key), NULL);
        ASSERT_MSG(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)), "%s = %.17g, R reference %.17g",
                   m[i].col, got, want);
    }
    ASSERT_CLOSE(num(r.out, 1, "between_share"), num(r.out, 1, "M_between") / num(r.out, 1, "M"),
                 1e-15);
    ASSERT_CLOSE(num(r.out, 1, "areas"), (double)raw.buurten, 0);
    /* the left-out counts as the raw file has them (households 0 = empty; '.' = missing) */
    char msg[256];
    snprintf(msg, sizeof msg, "%zu of %zu buurt areas left out: %zu with zero population, %zu with a "
             "missing value", raw.bu_empty + raw.bu_missing, raw.buurten, raw.bu_empty, raw.bu_missing);
    ASSERT_MSG(strstr(r.err, msg) != NULL, "stderr '%s', expected '%s'", r.err, msg);
    free(ref);
    wbt_run_free(&r);
}
