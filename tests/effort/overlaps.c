/** @file @brief Overlaps of initiatives: partners, themes, areas, periods, neighbours. */
#include "effort/efix.h"

static const wb_overlap *pair(const wb_overlaps *o, int64_t a, int64_t b)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->pairs[i].a == a && o->pairs[i].b == b)
            return &o->pairs[i];
    return NULL;
}

TEST(effort_overlaps, partners_themes_areas_and_periods)
{
    wb_initiative in[16];
    size_t n = 0;
    /* 1 and 2: different leads, theme veiligheid, same buurt, 2021-2024 / 2022-03..2025-06 */
    efix_init(&in[n++], 1, "lopend", "2021-01-01", "2024-12-31", 10, "Politie", "veiligheid", 2022, "BU09990000", NULL);
    efix_init(&in[n++], 2, "lopend", "2022-03-01", "2025-06-30", 11, "Corporatie", "veiligheid|wonen", 2022,
              "BU09990000", NULL);
    /* 3: same lead as 1: no pair with 1 (one partner does not need to talk to itself) */
    efix_init(&in[n++], 3, "lopend", "2021-01-01", "2022-12-31", 10, "Politie", "veiligheid", 2022, "BU09990000", NULL);
    /* 4: another theme in the same buurt */
    efix_init(&in[n++], 4, "lopend", "2021-01-01", "2022-12-31", 12, "School", "jeugd", 2022, "BU09990000", NULL);
    /* 5: veiligheid in the same buurt, but 2019-2020: before 1, 2 and 3 */
    efix_init(&in[n++], 5, "lopend", "2019-01-01", "2020-12-31", 12, "School", "veiligheid", 2022, "BU09990000", NULL);
    /* 6: veiligheid on the enclosing wijk, open-ended */
    efix_init(&in[n++], 6, "gepland", "2024-01-01", NULL, 13, "Gemeente", "Veiligheid", 2022, "WK099900", NULL);
    /* 7: veiligheid on the same code but another boundary year */
    efix_init(&in[n++], 7, "lopend", NULL, NULL, 14, "Welzijn", "veiligheid", 2021, "BU09990000", NULL);
    /* 8: veiligheid in a neighbouring buurt */
    efix_init(&in[n++], 8, "lopend", "2023-01-01", "2023-12-31", 14, "Welzijn", "veiligheid", 2022, "BU09990001", NULL);
    /* 9: an idea (not considered by default) in the same buurt */
    efix_init(&in[n++], 9, "idee", NULL, NULL, 15, "Bewoners", "veiligheid", 2022, "BU09990000", NULL);
    wb_contribution c[3] = {efix_contrib(1, 16, "Bewonersvereniging", "hours", 100, "2021-01-01", "2021-12-31"),
                            efix_contrib(2, 10, "Politie", "money_eur", 10, "2022-03-01", "2022-12-31"),
                            efix_contrib(7, 17, "Niet erbij", "hours", 1, "2021-01-01", "2021-12-31")};
    wb_overlaps ov = WB_OVERLAPS_INIT;
    WB_PASS(wb_overlaps_compute(&ov, in, n, c, 3, NULL));
    ASSERT_EQ_I(ov.nconsidered, 8); /* all but the idea */
    /* expected pairs: 1-2 same (2022-03-01 .. 2024-12-31), 2-3 same (2022-03-01 .. 2022-12-31),
     * 1-6 within (2024), 2-6 within (2024-01-01 .. 2025-06-30); 3-6 do not overlap in time;
     * 5 overlaps nobody in time; 7 is on other boundaries; 8 only neighbours (not given) */
    ASSERT_EQ_I(ov.n, 4);
    const wb_overlap *p12 = pair(&ov, 1, 2);
    ASSERT(p12);
    ASSERT_EQ_I(p12->relation, WB_OVERLAP_SAME);
    ASSERT_EQ_S(p12->themes, "veiligheid");
    ASSERT_EQ_S(p12->from, "2022-03-01");
    ASSERT_EQ_S(p12->to, "2024-12-31");
    ASSERT_EQ_S(p12->area_a, "BU09990000");
    ASSERT_EQ_S(p12->partners, "Bewonersvereniging, Corporatie, Politie");
    ASSERT(pair(&ov, 2, 3) && pair(&ov, 2, 3)->relation == WB_OVERLAP_SAME);
    const wb_overlap *p16 = pair(&ov, 1, 6);
    ASSERT(p16);
    ASSERT_EQ_I(p16->relation, WB_OVERLAP_WITHIN);
    ASSERT_EQ_S(p16->area_a, "BU09990000");
    ASSERT_EQ_S(p16->area_b, "WK099900");
    ASSERT_EQ_S(p16->from, "2024-01-01");
    ASSERT_EQ_S(p16->to, "2024-12-31");
    const wb_overlap *p26 = pair(&ov, 2, 6);
    ASSERT(p26);
    ASSERT_EQ_S(p26->to, "2025-06-30");
    ASSERT_EQ_S(wb_overlap_relation_name(p26->relation), "within");
    /* order: by relation, then ids */
    ASSERT(ov.pairs[0].relation == WB_OVERLAP_SAME && ov.pairs[0].a == 1 && ov.pairs[1].a == 2);
    ASSERT(ov.pairs[3].relation == WB_OVERLAP_WITHIN);
    wb_overlaps_dispose(&ov);

    /* neighbours: BU09990000 - BU09990001 (CSR as spatial.h's weights) */
    const char *codes[] = {"BU09990000", "BU09990001", "BU09990002"};
    const size_t row[] = {0, 1, 2, 2};
    const uint32_t col[] = {1, 0};
    wb_neighbours nb = {3, codes, 2022, row, col};
    wb_overlaps_opts o = WB_OVERLAPS_OPTS_INIT;
    o.neighbours = &nb;
    WB_PASS(wb_overlaps_compute(&ov, in, n, c, 3, &o));
    /* 8 (2023) neighbours 1 and 2; 3 ended in 2022; 6 is the wijk (within, but 2024 on) */
    ASSERT_EQ_I(ov.n, 6);
    ASSERT(pair(&ov, 1, 8) && pair(&ov, 1, 8)->relation == WB_OVERLAP_NEIGHBOUR);
    ASSERT_EQ_S(pair(&ov, 2, 8)->area_b, "BU09990001");
    ASSERT(!pair(&ov, 3, 8));
    wb_overlaps_dispose(&ov);

    /* one year: 2022 keeps the pairs whose common period touches it */
    o = (wb_overlaps_opts)WB_OVERLAPS_OPTS_INIT;
    o.year = 2022;
    WB_PASS(wb_overlaps_compute(&ov, in, n, c, 3, &o));
    ASSERT_EQ_I(ov.n, 2);
    ASSERT(pair(&ov, 1, 2) && pair(&ov, 2, 3));
    wb_overlaps_dispose(&ov);

    /* statuses: ideas too; 9 has no period (open) and overlaps 1, 2, 3 and 5 in the buurt and
     * 6 on the wijk */
    o = (wb_overlaps_opts)WB_OVERLAPS_OPTS_INIT;
    o.statuses = "idee,gepland,lopend";
    WB_PASS(wb_overlaps_compute(&ov, in, n, c, 3, &o));
    ASSERT_EQ_I(ov.n, 9);
    ASSERT(pair(&ov, 5, 9) && pair(&ov, 6, 9) && pair(&ov, 6, 9)->relation == WB_OVERLAP_WITHIN);
    ASSERT_EQ_S(pair(&ov, 5, 9)->from, "2019-01-01");
    wb_overlaps_dispose(&ov);

    o.statuses = "running";
    WB_FAILS(WB_EINVALID, wb_overlaps_compute(&ov, in, n, c, 3, &o));
    ASSERT(strstr(wb_error_last()->message, "running"));
}

TEST(effort_overlaps, several_shared_themes_make_one_pair)
{
    wb_initiative in[2];
    efix_init(&in[0], 5, "lopend", NULL, NULL, 1, "A", "jeugd|wonen|gezondheid", 2022, "BU09990000|BU09990003", NULL);
    efix_init(&in[1], 3, "gepland", NULL, NULL, 2, "B", "wonen|jeugd", 2022, "BU09990003|WK099900", NULL);
    wb_overlaps ov = WB_OVERLAPS_INIT;
    WB_PASS(wb_overlaps_compute(&ov, in, 2, NULL, 0, NULL));
    ASSERT_EQ_I(ov.n, 1);
    ASSERT_EQ_I(ov.pairs[0].a, 3);
    ASSERT_EQ_I(ov.pairs[0].b, 5);
    ASSERT_EQ_I(ov.pairs[0].ia, 1);
    ASSERT_EQ_I(ov.pairs[0].relation, WB_OVERLAP_SAME);
    ASSERT_EQ_S(ov.pairs[0].area_a, "BU09990003");
    ASSERT_EQ_S(ov.pairs[0].themes, "wonen, jeugd"); /* in the order of initiative 3 */
    ASSERT_EQ_S(ov.pairs[0].from, "");
    ASSERT_EQ_S(ov.pairs[0].partners, "A, B");
    wb_overlaps_dispose(&ov);
}

/* Without geometry there are no neighbours and no LISA clusters: a clear "not found". */
TEST(effort_overlaps, no_geometry_no_neighbours)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_area_put(st, NULL, "BU09990000", 2022, WB_LEVEL_BUURT, "A", NULL));
    wb_neighbour_set *ns = NULL;
    WB_FAILS(WB_ENOTFOUND, wb_neighbour_set_load(&ns, st, 2022));
    ASSERT(ns == NULL);
    ASSERT(strstr(wb_error_last()->message, "2022"));
    wb_store_free(st);
}
