/** @file @brief Gaps on a small hand-made panel (need criteria, weak dimensions, matching of
 *  running initiatives by target, theme, area and date).
 *
 * Model "t": three dimensions a = x1 (+), b = x2 (+), c = x3 (-), summed, no standardisation;
 * class thresholds -2 -1.5 -1 -0.5 0 0.5 1 1.5. Panel: 7 buurten, years 2008..2016, break
 * 2012; w(t) = +0.01 in even years, -0.01 in odd years (keeps the fits away from zero
 * residuals). x1 per area:
 *   A1 BU09990001  1.0 - 0.2 max(0, t - 2012) + w   declining          2016: 0.21
 *   A2 BU09990002 -1.0 + w                           flat, low          2016: -0.99
 *   A3 BU09990003  0.0 + 0.2 max(0, t - 2012) + w   improving          2016: 0.81
 *   A4 BU09990004  2.0 + w                           flat, high         2016: 2.01
 *   A5 BU09990005 -3.0 + 0.2 max(0, t - 2012) + w   improving, low     2016: -2.19
 *   A6 BU09990006  0.5 + w                           flat, above median 2016: 0.51
 *   A7 BU09990101  0.5 - 0.1 max(0, t - 2012) + w   declining          2016: 0.11
 * x2 = x3 = d per area (constant): d = -3 for A1, +3 for A2, 0 otherwise, so the score is x1
 * and b = d, c = -d.
 *
 * By hand (2016, reference = all 7 areas, sd with n - 1):
 *   a: mean 0.47/7 = 0.0671428571, sd 1.3389761547; z(A2) = -0.7895158203, z(A5) = -1.6857229677,
 *      z(A1) = 0.1066913271, z(A7) = 0.0320073981
 *   b: mean 0, sd sqrt(18/6) = sqrt(3); z(A1) = -sqrt(3), z(A2) = +sqrt(3), others 0
 *   c: z = -z(b)
 * Scores = x1: classes A1 6, A2 4 (-0.99 >= -1), A5 1, A7 6. Median of the last values 0.21 (A1),
 * so A2 (stagnating, below) needs attention and A4, A6 (stagnating, above) do not.
 */
#include "effort/efix.h"

static const char *const codes[] = {"BU09990001", "BU09990002", "BU09990003", "BU09990004",
                                    "BU09990005", "BU09990006", "BU09990101"};

typedef struct {
    wb_panel *p;
    wb_model *m;
    wb_scorer *s;
    wb_scores sc;
    wb_theme_map *tm;
} fixture;

static void setup(fixture *f)
{
    int years[9];
    for (int i = 0; i < 9; i++)
        years[i] = 2008 + i;
    const char *keys[] = {"x1", "x2", "x3"};
    WB_PASS(wb_panel_new(&f->p, 7, codes, 9, years, 3, keys, 2016));
    const double base[7] = {1.0, -1.0, 0.0, 2.0, -3.0, 0.5, 0.5};
    const double after[7] = {-0.2, 0, 0.2, 0, 0.2, 0, -0.1};
    const double d[7] = {-3, 3, 0, 0, 0, 0, 0};
    for (size_t a = 0; a < 7; a++)
        for (size_t t = 0; t < 9; t++) {
            int y = years[t];
            double w = y % 2 == 0 ? 0.01 : -0.01;
            wb_panel_set(f->p, a, t, 0, base[a] + after[a] * (y > 2012 ? y - 2012 : 0) + w);
            wb_panel_set(f->p, a, t, 1, d[a]);
            wb_panel_set(f->p, a, t, 2, d[a]);
        }
    const char *text = "[model]\nname = t\ntransform = none\naggregate = sum\nmin_coverage = 1\n"
                       "[dimension a]\nindicator x1 direction=+\n"
                       "[dimension b]\nindicator x2 direction=+\n"
                       "[dimension c]\nindicator x3 direction=-\n"
                       "[classes]\nthresholds = -2 -1.5 -1 -0.5 0 0.5 1 1.5\n";
    WB_PASS(wb_model_parse(&f->m, text, strlen(text), "t.model"));
    WB_PASS(wb_scorer_new(&f->s, f->m, f->p));
    wb_scores init = WB_SCORES_INIT;
    f->sc = init;
    WB_PASS(wb_scorer_run(&f->sc, f->s, 1));
    const char *map = "thema-a = x1\nthema-b = b   # by dimension key\nthema-c = t:c\n";
    WB_PASS(wb_theme_map_parse(&f->tm, map, strlen(map), "test.map"));
}

static void teardown(fixture *f)
{
    wb_theme_map_free(f->tm);
    wb_scores_dispose(&f->sc);
    wb_scorer_free(f->s);
    wb_model_free(f->m);
    wb_panel_free(f->p);
}

/* The initiatives of the test (see the comments for what each one checks). */
static size_t initiatives(wb_initiative *in)
{
    size_t n = 0;
    /* 10: theme b on A1 */
    efix_init(&in[n++], 10, "lopend", NULL, NULL, 1, "P1", "thema-b", 2016, "BU09990001", NULL);
    /* 11: target x3 down (x3 is higher-worse: improves c) on wijk WK099900 (A1..A6) */
    efix_init(&in[n++], 11, "lopend", NULL, NULL, 2, "P2", NULL, 2016, "WK099900", "x3:down");
    /* 12: target x1 DOWN: against x1's direction, so it does not address a */
    efix_init(&in[n++], 12, "lopend", NULL, NULL, 3, "P3", NULL, 2016, "BU09990005", "x1:down");
    /* 13: theme a but finished: not running */
    efix_init(&in[n++], 13, "afgerond", NULL, NULL, 1, "P1", "thema-a", 2016, "BU09990005", NULL);
    /* 14: running, but its areas are of boundary year 2015: not matched on the code */
    efix_init(&in[n++], 14, "lopend", NULL, NULL, 1, "P1", "thema-a", 2015, "BU09990002", NULL);
    /* 15: planned, with a theme the map does not know */
    efix_init(&in[n++], 15, "gepland", NULL, NULL, 1, "P1", "onbekend", 2016, "BU09990101", NULL);
    /* 16: theme a on the whole gemeente, but over 2010-2011 only */
    efix_init(&in[n++], 16, "lopend", "2010-01-01", "2011-12-31", 4, "P4", "thema-a", 2016, "GM0999", NULL);
    return n;
}

static const wb_gap_area *find(const wb_gaps *g, const char *code)
{
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->areas[i].code, code))
            return &g->areas[i];
    return NULL;
}

static void ids_are(const int64_t *v, size_t n, const int64_t *want, size_t nwant)
{
    ASSERT_EQ_I(n, nwant);
    for (size_t i = 0; i < n; i++)
        ASSERT_EQ_I(v[i], want[i]);
}

TEST(effort_gaps, needs_weak_dimensions_and_matching_initiatives)
{
    fixture f;
    setup(&f);
    wb_initiative in[16];
    size_t n = initiatives(in);
    wb_effort_input ei = {f.m, f.p, &f.sc, in, n, NULL, 0, f.tm};
    wb_gaps_opts o = WB_GAPS_OPTS_INIT;
    o.on = "2016-06-01";
    wb_gaps g = WB_GAPS_INIT;
    WB_PASS(wb_gaps_compute(&g, &ei, &o));
    ASSERT_EQ_I(g.year, 2016);
    ASSERT_EQ_I(g.break_year, 2012);
    ASSERT_EQ_I(g.nscored, 7);
    ASSERT_EQ_I(g.nclassed, 7);
    ASSERT_EQ_I(g.n, 4);
    ASSERT_EQ_I(g.nneed, 4);
    ASSERT_EQ_I(g.ngap, 3);
    ASSERT_EQ_I(g.ncovered, 1);
    ASSERT_EQ_I(g.nconsidered, 4); /* 10, 11, 12, 15 (16 is outside the date, 13 finished) */
    ASSERT_EQ_I(g.nother_year, 1); /* 14 */
    ASSERT_EQ_S(g.unmapped, "onbekend");

    const wb_gap_area *a1 = find(&g, "BU09990001");
    ASSERT(a1);
    ASSERT_EQ_I(a1->need, WB_NEED_DECLINING);
    ASSERT_EQ_I(a1->trend, WB_TREND_DECLINING);
    ASSERT_EQ_I(a1->klass, 6);
    ASSERT_EQ_I(a1->nweak, 1);
    ASSERT_EQ_I(a1->weak[0].dim, 1);
    ASSERT_CLOSE(a1->weak[0].z, -sqrt(3.0), 1e-12);
    ASSERT_CLOSE(a1->weak[0].value, -3, 0);
    ids_are(a1->weak[0].initiatives, a1->weak[0].ninitiatives, (int64_t[]){10}, 1);
    ASSERT_EQ_I(a1->ngaps, 0);
    ids_are(a1->initiatives, a1->ninitiatives, (int64_t[]){10, 11}, 2);

    const wb_gap_area *a2 = find(&g, "BU09990002");
    ASSERT(a2);
    ASSERT_EQ_I(a2->need, WB_NEED_LOW_CLASS | WB_NEED_STAGNATING);
    ASSERT_EQ_I(a2->klass, 4);
    ASSERT_EQ_I(a2->nweak, 2); /* c (-1.73) then a (-0.79); b is +1.73 */
    ASSERT_EQ_I(a2->weak[0].dim, 2);
    ASSERT_CLOSE(a2->weak[0].z, -sqrt(3.0), 1e-12);
    ASSERT_EQ_I(a2->weak[1].dim, 0);
    ASSERT_CLOSE(a2->weak[1].z, -0.7895158203016235, 1e-12);
    ids_are(a2->weak[0].initiatives, a2->weak[0].ninitiatives, (int64_t[]){11}, 1);
    ASSERT_EQ_I(a2->weak[1].ninitiatives, 0);
    ASSERT_EQ_I(a2->ngaps, 1);

    const wb_gap_area *a5 = find(&g, "BU09990005");
    ASSERT(a5);
    ASSERT_EQ_I(a5->need, WB_NEED_LOW_CLASS); /* improving, but class 1 */
    ASSERT_EQ_I(a5->trend, WB_TREND_IMPROVING);
    ASSERT_EQ_I(a5->klass, 1);
    ASSERT_EQ_I(a5->nweak, 1);
    ASSERT_EQ_I(a5->weak[0].dim, 0);
    ASSERT_CLOSE(a5->weak[0].z, -1.685722967671034, 1e-12);
    ASSERT_EQ_I(a5->weak[0].ninitiatives, 0); /* 12 aims the wrong way, 11 at c */
    ids_are(a5->initiatives, a5->ninitiatives, (int64_t[]){11, 12}, 2);

    const wb_gap_area *a7 = find(&g, "BU09990101");
    ASSERT(a7);
    ASSERT_EQ_I(a7->need, WB_NEED_DECLINING);
    /* nothing at or below -0.5: the weakest one, b (z 0 < a's 0.032; b before c on the tie) */
    ASSERT_EQ_I(a7->nweak, 1);
    ASSERT_EQ_I(a7->weak[0].dim, 1);
    ASSERT_CLOSE(a7->weak[0].z, 0, 1e-12);
    ids_are(a7->initiatives, a7->ninitiatives, (int64_t[]){15}, 1);
    ASSERT_EQ_I(a7->ngaps, 1);

    /* A3 improving, A4 and A6 stagnating above the median: no need */
    ASSERT(!find(&g, "BU09990003") && !find(&g, "BU09990004") && !find(&g, "BU09990006"));
    char buf[64];
    ASSERT_EQ_S(wb_need_text(buf, sizeof buf, a2->need), "low_class+stagnating");
    wb_gaps_dispose(&g);
    teardown(&f);
}

TEST(effort_gaps, dates_statuses_all_and_lisa)
{
    fixture f;
    setup(&f);
    wb_initiative in[16];
    size_t n = initiatives(in);
    wb_effort_input ei = {f.m, f.p, &f.sc, in, n, NULL, 0, f.tm};
    wb_gaps g = WB_GAPS_INIT;

    /* without a date, 16 (gemeente-wide, theme a) counts: A2's a and A5's a are addressed */
    WB_PASS(wb_gaps_compute(&g, &ei, NULL));
    ASSERT_EQ_I(g.nconsidered, 5);
    ASSERT_EQ_I(g.ngap, 1);
    ASSERT_EQ_I(g.ncovered, 3);
    const wb_gap_area *a5 = find(&g, "BU09990005");
    ids_are(a5->weak[0].initiatives, a5->weak[0].ninitiatives, (int64_t[]){16}, 1);
    wb_gaps_dispose(&g);

    /* statuses: with 'afgerond' too, 13 (theme a on A5) counts */
    wb_gaps_opts o = WB_GAPS_OPTS_INIT;
    o.on = "2016-06-01";
    o.statuses = "lopend, afgerond";
    WB_PASS(wb_gaps_compute(&g, &ei, &o));
    a5 = find(&g, "BU09990005");
    ids_are(a5->weak[0].initiatives, a5->weak[0].ninitiatives, (int64_t[]){13}, 1);
    ASSERT(!g.unmapped); /* 15 is only planned: not considered now */
    wb_gaps_dispose(&g);

    /* every area, and LISA clusters as the spatial module names them */
    const char *lisa[7] = {"ns", "ns", "LL", "HH", "ns", "LH", NULL};
    o = (wb_gaps_opts)WB_GAPS_OPTS_INIT;
    o.on = "2016-06-01";
    o.lisa = lisa;
    o.all = 1;
    WB_PASS(wb_gaps_compute(&g, &ei, &o));
    ASSERT_EQ_I(g.n, 7);
    ASSERT_EQ_I(g.nneed, 6);
    ASSERT_EQ_I(find(&g, "BU09990003")->need, WB_NEED_LISA_LL);
    ASSERT_EQ_I(find(&g, "BU09990006")->need, WB_NEED_LISA_LH);
    ASSERT_EQ_I(find(&g, "BU09990004")->need, 0);
    wb_gaps_dispose(&g);

    /* low class off: A5 (improving, class 1) no longer needs attention */
    o = (wb_gaps_opts)WB_GAPS_OPTS_INIT;
    o.low_class = 0;
    WB_PASS(wb_gaps_compute(&g, &ei, &o));
    ASSERT(!find(&g, "BU09990005"));
    ASSERT_EQ_I(find(&g, "BU09990002")->need, WB_NEED_STAGNATING);
    wb_gaps_dispose(&g);

    /* bad options: nothing computed, a message */
    o = (wb_gaps_opts)WB_GAPS_OPTS_INIT;
    o.statuses = "lopend,bezig";
    WB_FAILS(WB_EINVALID, wb_gaps_compute(&g, &ei, &o));
    ASSERT(strstr(wb_error_last()->message, "bezig"));
    o = (wb_gaps_opts)WB_GAPS_OPTS_INIT;
    o.on = "2016-02-30";
    WB_FAILS(WB_EINVALID, wb_gaps_compute(&g, &ei, &o));
    o = (wb_gaps_opts)WB_GAPS_OPTS_INIT;
    o.year = 2030;
    WB_FAILS(WB_EINVALID, wb_gaps_compute(&g, &ei, &o));
    ASSERT(strstr(wb_error_last()->message, "2030"));
    o = (wb_gaps_opts)WB_GAPS_OPTS_INIT;
    o.max_weak = 0;
    WB_FAILS(WB_EINVALID, wb_gaps_compute(&g, &ei, &o));
    ASSERT_EQ_I(g.n, 0);
    teardown(&f);
}

TEST(effort_gaps, no_break_inside_the_years_means_whole_series)
{
    fixture f;
    setup(&f);
    wb_effort_input ei = {f.m, f.p, &f.sc, NULL, 0, NULL, 0, NULL};
    wb_gaps_opts o = WB_GAPS_OPTS_INIT;
    o.break_year = 2020; /* after the data: the whole-series trend decides */
    wb_gaps g = WB_GAPS_INIT;
    WB_PASS(wb_gaps_compute(&g, &ei, &o));
    ASSERT_EQ_I(g.break_year, 0);
    /* A1 falls only from 2013 on, but over the whole series it still falls significantly
     * (Mann-Kendall on 9 points: 1.01, 0.99, 1.01, 0.99, 1.01, 0.79, 0.61, 0.39, 0.21) */
    ASSERT_EQ_I(find(&g, "BU09990001")->trend, WB_TREND_DECLINING);
    /* without initiatives every weak dimension is a gap */
    for (size_t i = 0; i < g.n; i++)
        ASSERT_EQ_I(g.areas[i].ngaps, g.areas[i].nweak);
    wb_gaps_dispose(&g);
    teardown(&f);
}
