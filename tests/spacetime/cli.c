/**
 * @file
 * @brief The markov and hotspots commands on a small store built here (no shared data): a
 * 4 x 4 grid of square wijken, one wijk far away (an island) and one without a polygon,
 * three data years. Checked: counts and classes derived by hand from the stored values,
 * islands reported and never counted silently, --in, --break, and every bad input with its
 * message and exit status.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* The class (1-3) of grid cell (r, c) in year index t: a diagonal band that moves. */
static int klass(int r, int c, int t)
{
    return 1 + (r + c + t) % 3;
}

static void square(wb_geom *g, wb_point *pts, size_t *ro, size_t *po, double x, double y)
{
    pts[0] = (wb_point){x, y};
    pts[1] = (wb_point){x + 100, y};
    pts[2] = (wb_point){x + 100, y + 100};
    pts[3] = (wb_point){x, y + 100};
    pts[4] = pts[0];
    ro[0] = 0;
    ro[1] = 5;
    po[0] = 0;
    po[1] = 1;
    *g = (wb_geom)WB_GEOM_INIT;
    g->pts = pts;
    g->npts = 5;
    g->ring_off = ro;
    g->nrings = 1;
    g->poly_off = po;
    g->npolys = 1;
    wb_geom_update_bbox(g);
}

/* WK000100 .. WK000115 (gemeente GM0001): the grid, row-major; in GM0002 WK000200, an island
 * far away, and WK000201 without a polygon. */
static void build(const char *db)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t klas, once, flat;
    wb_indicator in = {0};
    in.key = "klas";
    in.unit = "klasse 1-3";
    WB_PASS(wb_store_indicator_put(st, &klas, &in));
    in.key = "once";
    in.unit = "score";
    WB_PASS(wb_store_indicator_put(st, &once, &in));
    in.key = "flat";
    WB_PASS(wb_store_indicator_put(st, &flat, &in));
    static const int years[3] = {2010, 2012, 2014};
    for (int a = 0; a < 18; a++) {
        char code[16];
        snprintf(code, sizeof code, a < 16 ? "WK0001%02d" : "WK0002%02d", a < 16 ? a : a - 16);
        int64_t id;
        WB_PASS(wb_store_area_put(st, &id, code, 2016, WB_LEVEL_WIJK, NULL, NULL));
        if (a < 17) {
            wb_geom g;
            wb_point pts[5];
            size_t ro[2], po[2];
            square(&g, pts, ro, po, a < 16 ? 100.0 * (a % 4) : 5000, a < 16 ? 100.0 * (a / 4) : 5000);
            WB_PASS(wb_store_geom_put(st, id, &g));
        }
        for (int t = 0; t < 3; t++) {
            int k = a < 16 ? klass(a / 4, a % 4, t) : 1 + t % 3;
            WB_PASS(wb_store_obs_put(st, klas, id, years[t], k));
            WB_PASS(wb_store_obs_put(st, flat, id, years[t], a == 0 && t == 0 ? 2 : 1));
        }
        WB_PASS(wb_store_obs_put(st, once, id, 2014, a));
    }
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
}

static int count_lines_with(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

TEST(spacetime_cli, markov_counts_by_hand)
{
    build(wbt_tmp("t.db"));
    /* 18 areas x 2 periods = 36 transitions. On the grid the class of (r, c) moves 1->2->3->1:
     * every grid transition is c -> c % 3 + 1, 32 of them; the island and the area without a
     * polygon go 1 -> 2 -> 3: 2 more 1->2 and 2 more 2->3. Per class: the grid cells of class
     * 1 in 2010 are r + c = 0, 3, 6 (6 cells), class 2 (r + c = 1, 4) 5, class 3 (2, 5) 5;
     * in 2012 class 1 is r + c = 2, 5 (5), 2: 0, 3, 6 (6), 3: 1, 4 (5). So 1->2: 6 + 5 + 2 = 13,
     * 2->3: 5 + 6 + 2 = 13, 3->1: 5 + 5 = 10. */
    wbt_run_result r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "from_class,to_class,count,probability\n"));
    ASSERT(strstr(r.out, "\n1,2,13,1\n"));
    ASSERT(strstr(r.out, "\n2,3,13,1\n"));
    ASSERT(strstr(r.out, "\n3,1,10,1\n"));
    ASSERT(strstr(r.out, "\n1,1,0,0\n"));
    ASSERT(strstr(r.err, "the 3 published classes 1-3; 18 areas counted"));
    ASSERT(strstr(r.err, "2010-2014: 36 transitions, 1 recurrent class"));
    wbt_run_free(&r);
    /* a cycle 1 -> 2 -> 3 -> 1: steady state 1/3 each, passage times 1, 2 and recurrence 3 */
    r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --what steady --format csv");
    ASSERT(strstr(r.out, "1,1,0.33333333333333") && strstr(r.out, "1,3,0.33333333333333"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --what mfpt --format csv");
    ASSERT(strstr(r.out, "\n1,1,3\n1,2,1\n1,3,2\n"));
    wbt_run_free(&r);
    /* --break 2012: before 2010->2012, after 2012->2014 */
    r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --break 2012 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "period,from_class,to_class,count,probability\n"));
    ASSERT(strstr(r.out, "\n2010-2012,1,2,8,1\n"));  /* 6 grid cells and the two others */
    ASSERT(strstr(r.out, "\n2012-2014,1,2,5,1\n"));  /* 5 grid cells */
    ASSERT(strstr(r.out, "\n2012-2014,2,3,8,1\n"));  /* 6 grid cells and the two others */
    wbt_run_free(&r);
    /* --in: the two wijken of GM0002 go 1 -> 2 -> 3 */
    r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --in GM0002 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "\n1,2,2,1\n") && strstr(r.out, "\n2,3,2,1\n") && strstr(r.out, "\n3,1,0,0\n"));
    ASSERT(strstr(r.err, "2 areas counted within GM0002"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --in GM0001 --format csv");
    ASSERT(strstr(r.err, "16 areas counted within GM0001"));
    wbt_run_free(&r);
    /* quantile classes of a class indicator: the 54 values are 18 each of 1, 2 and 3; the
     * thirds (type 7) are at index 1 + 53/3 = 18.67 (between the last 1 and the first 2:
     * 1.667) and 1 + 106/3 = 36.33 (2.333), so the classes are the published ones again */
    r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --classes 3 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "\n1,2,13,1\n"));
    ASSERT(strstr(r.err, "3 quantile classes (pooled over areas and years) with upper bounds 1.66667, 2.33333, 3"));
    wbt_run_free(&r);
}

TEST(spacetime_cli, islands_reported_never_dropped_silently)
{
    build(wbt_tmp("t.db"));
    wbt_run_result r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --spatial --lag-classes 2 "
                                     "--format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.err, "on 17 wijk areas of 2016 with a polygon and a value in each of the 3 years 2010-2014"));
    ASSERT(strstr(r.err, "0 with some years missing, 0 without any value, 1 with values but no polygon; 1 island"));
    ASSERT(strstr(r.err, "islands (no neighbours among the analysed areas; not counted): WK000200"));
    ASSERT(strstr(r.err, "16 areas counted"));
    ASSERT(strstr(r.err, "32 transitions"));
    wbt_run_free(&r);
    /* paths: the island has its classes and no lag */
    r = wbt_run(NULL, "--db t.db markov --indicator klas --level wijk --spatial --lag-classes 2 --what paths "
                      "--format csv");
    ASSERT(strstr(r.out, "code,year,class,lag,lag_class\n"));
    ASSERT(strstr(r.out, "\nWK000200,2010,1,,\n"));
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 17 * 3);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db hotspots --indicator klas --level wijk --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "\nWK000200,island,0,0,,,,\n"));
    ASSERT_EQ_I(count_lines_with(r.out, "\nWK"), 17);
    ASSERT(strstr(r.err, "island 1"));
    wbt_run_free(&r);
}

TEST(spacetime_cli, bad_input)
{
    build(wbt_tmp("t.db"));
    struct {
        const char *args, *msg;
        int status;
    } cases[] = {
        {"markov --indicator once --level wijk", "once has values for one data year only (2014) on the wijk areas of "
                                                 "2016: change over time needs at least two", 1},
        {"hotspots --indicator once --level wijk", "one data year only", 1},
        {"markov --indicator flat --level wijk --classes 3", "too few distinct values for 3 quantile classes", 1},
        {"markov --indicator once --level wijk --classes 2 --from 2014", "one data year only", 1},
        {"markov --indicator flat --level wijk", "flat (unit 'score') is not a class indicator", 1},
        {"markov --indicator klas --level wijk --break 2010", "break 2010 is not inside the data years 2010-2014", 1},
        {"markov --indicator klas --level wijk --spatial --lag-classes 40", "classes of the spatial lag", 1},
        {"markov --indicator klas --level wijk --in GM0003", "no wijk area of 2016 lies within GM0003", 1},
        {"markov --indicator nope --level wijk", "nope", 1},
        {"markov --indicator klas --level wijk --spatial --lisa", "give one", 2},
        {"markov --indicator klas --level wijk --lisa --classes 3", "--classes does not apply", 2},
        {"markov --indicator klas --level wijk --lag-classes 3", "--lag-classes only applies to --spatial", 2},
        {"markov --indicator klas --level wijk --what tests", "--spatial", 2},
        {"markov --indicator klas --level wijk --weights knn", "apply to --spatial and --lisa only", 2},
        {"markov --indicator klas --level wijk --what nothing", "expected transitions, matrix, steady, mfpt, tests or paths", 2},
        {"markov --indicator klas --level wijk --classes 1", "--classes: expected a whole number from 2 to 64", 2},
        {"markov --level wijk", "--indicator KEY is required", 2},
        {"hotspots --indicator klas --level wijk --alpha 2", "--alpha: expected a number between 0 and 1", 2},
        {"hotspots --indicator klas --level wijk --what all", "expected areas or series", 2},
        {"markov --indicator klas --level wijk --from 2014 --to 2012", "--from 2014 is after --to 2012", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wbt_run_result r = wbt_run(NULL, "--db t.db %s --format csv", cases[i].args);
        ASSERT_MSG(r.status == cases[i].status, "%s: status %d, expected %d (%s)", cases[i].args, r.status,
                   cases[i].status, r.err);
        ASSERT_MSG(strstr(r.err, cases[i].msg), "%s: stderr '%s' lacks '%s'", cases[i].args, r.err, cases[i].msg);
        ASSERT_MSG(wbt_count_lines(r.err) == 1, "%s: one line expected: %s", cases[i].args, r.err);
        ASSERT_MSG(!*r.out, "%s: output on error: %s", cases[i].args, r.out);
        wbt_run_free(&r);
    }
}
