/** @file @brief Effort per inhabitant: contributions pro rata over their periods, split over
 *  areas by inhabitants or evenly, against the score with Spearman's rho.
 *
 * Panel: buurten BU09990001..03 (wijk WK099900) and BU09990101; data years 2020, 2021.
 * a_inw 2020: 100, 300, 600, 1000; 2021: 100, 300, missing, 1000 (BU09990003 then uses 2020).
 * Score (model: one dimension, x): 2021: 4, 3, 2, 1.
 * Contributions in 2021, by hand:
 *   initiative 1 (BU09990001, BU09990002): 730 euro over 2021-01-01..2022-12-31 (730 days) ->
 *     365 in 2021, split 100:300 -> 91.25 and 273.75; plus 100 euro in 2019 (not in 2021)
 *   initiative 2 (wijk WK099900 -> its three buurten): 1000 hours in 2021 -> 100, 300, 600
 *   initiative 3 (areas of boundary year 2019): 500 euro in 2021 -> not on these areas
 *   initiative 4 (BU09990101): 200 euro in kind over 2020-07-01..2021-06-30 (365 days, 181 in
 *     2021) -> 200 * 181 / 365 = 99.17808219178082
 * Per inhabitant: euros 0.9125, 0.9125, 0, 0.09917808; hours 1, 1, 1, 0.
 * Spearman against the score (4, 3, 2, 1): euros: ranks (3.5, 3.5, 1, 2) -> rho = 3.5 /
 * sqrt(4.5 * 5) = 0.7378647873726218; hours: ranks (3, 3, 3, 1) -> rho = 3 / sqrt(15) =
 * 0.7745966692414834. p-values from R: cor.test(x, y, method = "spearman", exact = FALSE)
 * gives 0.262135212627378 and 0.225403330758517.
 */
#include "effort/efix.h"

TEST(effort_effort, pro_rata_split_and_rank_correlation)
{
    const char *codes[] = {"BU09990001", "BU09990002", "BU09990003", "BU09990101"};
    const int years[] = {2020, 2021};
    const char *keys[] = {"x", "a_inw"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, 4, codes, 2, years, 2, keys, 2020));
    const double pop20[] = {100, 300, 600, 1000}, pop21[] = {100, 300, NAN, 1000}, x21[] = {4, 3, 2, 1};
    for (size_t a = 0; a < 4; a++) {
        wb_panel_set(p, a, 0, 1, pop20[a]);
        wb_panel_set(p, a, 1, 1, pop21[a]);
        wb_panel_set(p, a, 1, 0, x21[a]);
    }
    const char *text = "[model]\nname = m\ntransform = none\n[dimension d]\nindicator x direction=+\n";
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "m.model"));
    wb_scorer *s = NULL;
    wb_scores sc = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&sc, s, 1));
    wb_initiative in[4];
    efix_init(&in[0], 1, "lopend", "2019-01-01", "2022-12-31", 1, "A", "wonen", 2020, "BU09990001|BU09990002", NULL);
    efix_init(&in[1], 2, "afgerond", "2021-01-01", "2021-12-31", 2, "B", "jeugd", 2020, "WK099900", NULL);
    efix_init(&in[2], 3, "lopend", NULL, NULL, 3, "C", "jeugd", 2019, "BU09990001", NULL);
    efix_init(&in[3], 4, "lopend", NULL, NULL, 4, "D", "jeugd", 2020, "BU09990101", NULL);
    wb_contribution c[5] = {efix_contrib(1, 1, "A", "money_eur", 730, "2021-01-01", "2022-12-31"),
                            efix_contrib(1, 1, "A", "money_eur", 100, "2019-01-01", "2019-12-31"),
                            efix_contrib(2, 2, "B", "hours", 1000, "2021-01-01", "2021-12-31"),
                            efix_contrib(3, 3, "C", "money_eur", 500, "2021-03-01", "2021-03-31"),
                            efix_contrib(4, 4, "D", "in_kind", 200, "2020-07-01", "2021-06-30")};
    wb_effort_input ei = {m, p, &sc, in, 4, c, 5, NULL};
    wb_effort_opts o = WB_EFFORT_OPTS_INIT;
    o.year = 2021;
    wb_effort e = WB_EFFORT_INIT;
    WB_PASS(wb_effort_compute(&e, &ei, &o));
    ASSERT_EQ_I(e.n, 4);
    ASSERT_EQ_I(e.score_year, 2021);
    ASSERT_CLOSE(e.money_eur, 865, 1e-9);
    ASSERT_CLOSE(e.in_kind_eur, 99.17808219178082, 1e-9);
    ASSERT_CLOSE(e.hours, 1000, 1e-9);
    ASSERT_CLOSE(e.unallocated_eur, 500, 1e-9);
    ASSERT_CLOSE(e.unallocated_hours, 0, 0);
    ASSERT_CLOSE(e.areas[0].money_eur, 91.25, 1e-9);
    ASSERT_CLOSE(e.areas[1].money_eur, 273.75, 1e-9);
    ASSERT_CLOSE(e.areas[2].money_eur, 0, 0);
    ASSERT_CLOSE(e.areas[2].hours, 600, 1e-9);
    ASSERT_EQ_I(e.areas[2].pop_year, 2020);
    ASSERT_CLOSE(e.areas[2].inhabitants, 600, 0);
    ASSERT_CLOSE(e.areas[3].in_kind_eur, 99.17808219178082, 1e-9);
    ASSERT_CLOSE(e.areas[0].eur_per_inh, 0.9125, 1e-12);
    ASSERT_CLOSE(e.areas[3].eur_per_inh, 0.09917808219178082, 1e-12);
    ASSERT_CLOSE(e.areas[0].hours_per_inh, 1, 1e-12);
    ASSERT_EQ_I(e.areas[0].ninitiatives, 2);
    ASSERT_EQ_I(e.areas[2].ninitiatives, 1);
    ASSERT_CLOSE(e.areas[1].score, 3, 0);
    ASSERT_EQ_I(e.nrank, 4);
    ASSERT_CLOSE(e.rho_eur, 0.7378647873726218, 1e-12);
    ASSERT_CLOSE(e.p_eur, 0.262135212627378, 1e-9);
    ASSERT_CLOSE(e.rho_hours, 0.7745966692414834, 1e-12);
    ASSERT_CLOSE(e.p_hours, 0.225403330758517, 1e-9);
    wb_effort_dispose(&e);

    /* even split: 182.5 each for initiative 1, 333.33 hours each for initiative 2 */
    o.split = WB_SPLIT_EVEN;
    WB_PASS(wb_effort_compute(&e, &ei, &o));
    ASSERT_CLOSE(e.areas[0].money_eur, 182.5, 1e-9);
    ASSERT_CLOSE(e.areas[1].money_eur, 182.5, 1e-9);
    ASSERT_CLOSE(e.areas[2].hours, 1000.0 / 3, 1e-9);
    wb_effort_dispose(&e);

    /* statuses: only running ones -> initiative 2 (afgerond) is left out entirely */
    o.split = WB_SPLIT_POPULATION;
    o.statuses = "lopend";
    WB_PASS(wb_effort_compute(&e, &ei, &o));
    ASSERT_CLOSE(e.hours, 0, 0);
    ASSERT_CLOSE(e.areas[2].hours, 0, 0);
    wb_effort_dispose(&e);

    /* 2022: only initiative 1's second year; the score is the latest <= 2022 (2021) */
    o.statuses = NULL;
    o.year = 2022;
    WB_PASS(wb_effort_compute(&e, &ei, &o));
    ASSERT_EQ_I(e.score_year, 2021);
    ASSERT_CLOSE(e.money_eur, 365, 1e-9);
    ASSERT_CLOSE(e.in_kind_eur, 0, 0);
    wb_effort_dispose(&e);

    o.year = 0;
    WB_FAILS(WB_EINVALID, wb_effort_compute(&e, &ei, &o));
    wb_scores_dispose(&sc);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}
