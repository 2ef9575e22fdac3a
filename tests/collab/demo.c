/** @file @brief The demo register: what it plants for issue 7 is checked through the
 *  library's own queries, not taken from the result structure. */
#include <sodium.h>
#include <stdlib.h>

#include "collab/cfix.h"

static const char *const buurten[] = {"BU09990001", "BU09990002", "BU09990003",
                                      "BU09990004", "BU09990005", "BU09990006"};

/*
 * Leefbaarometer-style deviations for 2018 and 2020 (made up for the test):
 *   BU09990002 is the lowest in 2020 (-0.30) but improving (from -0.40);
 *   BU09990004 fell from 0.10 to -0.20: the lowest of the declining buurten, so the gap;
 *   its weakest dimension in 2020 is lbm_soc (-0.15; the others -0.05 .. 0.02).
 */
static wb_store *demo_store(int with_scores)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_area_put(st, NULL, "GM0999", 2020, WB_LEVEL_GEMEENTE, "Testdorp", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK099900", 2020, WB_LEVEL_WIJK, "Midden", NULL));
    int64_t ids[6];
    for (int i = 0; i < 6; i++)
        WB_PASS(wb_store_area_put(st, &ids[i], buurten[i], 2020, WB_LEVEL_BUURT, "Buurt", NULL));
    if (!with_scores)
        return st;
    const char *keys[] = {"lbm", "lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv"};
    int64_t ind[6];
    for (int k = 0; k < 6; k++) {
        wb_indicator x = {0};
        x.key = (char *)keys[k];
        WB_PASS(wb_store_indicator_put(st, &ind[k], &x));
    }
    const double lbm2018[6] = {0.05, -0.40, 0.00, 0.10, 0.20, -0.10};
    const double lbm2020[6] = {0.06, -0.30, 0.02, -0.20, 0.25, -0.05};
    for (int i = 0; i < 6; i++) {
        WB_PASS(wb_store_obs_put(st, ind[0], ids[i], 2018, lbm2018[i]));
        WB_PASS(wb_store_obs_put(st, ind[0], ids[i], 2020, lbm2020[i]));
        for (int k = 1; k < 6; k++) {
            double v = i == 3 ? (k == 4 ? -0.15 : -0.05 + 0.02 * k) : 0.0;
            WB_PASS(wb_store_obs_put(st, ind[k], ids[i], 2020, v));
        }
    }
    return st;
}

static int periods_overlap(const wb_initiative *a, const wb_initiative *b)
{
    return strcmp(a->start, b->end) <= 0 && strcmp(b->start, a->end) <= 0;
}

TEST(collab_demo, plants_a_gap_an_overlap_and_changing_coalitions)
{
    wb_store *st = demo_store(1);
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    o.opslimit = crypto_pwhash_OPSLIMIT_MIN;
    o.memlimit = crypto_pwhash_MEMLIMIT_MIN;
    wb_collab_demo_result r;
    WB_PASS(wb_collab_demo(st, &r, "GM0999", 0, &o));
    ASSERT_EQ_I(r.partners, 8);
    ASSERT_EQ_I(r.initiatives, 9);
    ASSERT_EQ_I(r.proposals, 4);
    ASSERT_EQ_I(r.supports, 5);
    ASSERT_EQ_I(r.contributions, (size_t)cfix_int(st, "SELECT count(*) FROM contribution"));
    ASSERT_EQ_I(r.initiatives, (size_t)cfix_int(st, "SELECT count(*) FROM initiative"));

    /* the gap: chosen from the scores, and no initiative there (nor on its wijk/gemeente) */
    ASSERT_EQ_I(r.gap_from_scores, 1);
    ASSERT_EQ_S(r.gap_area, "BU09990004");
    ASSERT_EQ_S(r.gap_dimension, "lbm_soc");
    wb_actor anon = WB_ACTOR_ANONYMOUS;
    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    q.area = r.gap_area;
    wb_initiative *v = NULL;
    size_t n = 0;
    WB_PASS(wb_initiative_list(st, &anon, &v, &n, &q));
    ASSERT_EQ_I(n, 0);
    wb_initiatives_free(v, n);
    /* ... while its residents ask for it: an open proposal on the matching theme */
    wb_proposal_query pq = WB_PROPOSAL_QUERY_INIT;
    pq.area = r.gap_area;
    wb_proposal *p = NULL;
    WB_PASS(wb_proposal_list(st, &anon, &p, &n, &pq));
    ASSERT_EQ_I(n, 1);
    ASSERT_EQ_S(p[0].status, "open");
    ASSERT_EQ_S(p[0].theme, "meedoen en participatie");
    ASSERT_EQ_I(p[0].supports, 2);
    wb_proposals_free(p, n);

    /* the overlap: different leads, a common theme, the same buurt, overlapping periods */
    wb_initiative *a = NULL, *b = NULL;
    WB_PASS(wb_initiative_get(st, &anon, &a, r.overlap[0]));
    WB_PASS(wb_initiative_get(st, &anon, &b, r.overlap[1]));
    ASSERT(a->lead_partner_id != b->lead_partner_id);
    ASSERT_EQ_S(a->status, "lopend");
    ASSERT_EQ_S(b->status, "lopend");
    ASSERT(periods_overlap(a, b));
    int common_theme = 0, common_area = 0;
    for (size_t i = 0; i < a->nthemes; i++)
        for (size_t k = 0; k < b->nthemes; k++)
            common_theme |= !strcmp(a->themes[i], b->themes[k]) && !strcmp(a->themes[i], r.overlap_theme);
    for (size_t i = 0; i < a->nareas; i++)
        for (size_t k = 0; k < b->nareas; k++)
            common_area |= !strcmp(a->areas[i], b->areas[k]) && !strcmp(a->areas[i], r.overlap_area);
    ASSERT(common_theme && common_area);
    ASSERT(strcmp(r.overlap_area, r.gap_area) != 0);
    ASSERT(a->nmilestones >= 1);
    wb_initiative_free(a);
    wb_initiative_free(b);

    /* coalitions change: partners join and leave over the years */
    wb_coalition_year *c = NULL;
    WB_PASS(wb_coalitions_by_year(st, &anon, &c, &n, 0));
    size_t joins = 0, leaves = 0;
    int first_year = 1;
    for (size_t i = 0; i < n; i++) {
        first_year = i == 0 || c[i].initiative_id != c[i - 1].initiative_id;
        if (!first_year && *c[i].joined)
            joins++;
        if (*c[i].left)
            leaves++;
    }
    ASSERT(joins >= 3 && leaves >= 3);
    int min_year = 3000, max_year = 0;
    for (size_t i = 0; i < n; i++) {
        min_year = c[i].year < min_year ? c[i].year : min_year;
        max_year = c[i].year > max_year ? c[i].year : max_year;
    }
    ASSERT(min_year <= 2019 && max_year >= 2025);
    wb_coalitions_free(c, n);

    /* proposals in every state; the adopted one became an initiative that remembers it */
    ASSERT_EQ_I(cfix_int(st, "SELECT count(DISTINCT status) FROM proposal"), 3);
    ASSERT_EQ_I(cfix_int(st, "SELECT count(*) FROM initiative i JOIN proposal p ON p.id = i.proposal_id"
                             " AND p.initiative_id = i.id AND p.status = 'adopted'"),
                1);

    /* accounts: one per role, random passwords that log in */
    ASSERT_EQ_I(r.naccounts, 7);
    for (size_t i = 0; i < r.naccounts; i++) {
        wb_actor who;
        ASSERT_EQ_I(strlen(r.accounts[i].password), 20);
        WB_PASS(wb_auth_verify(st, &who, r.accounts[i].name, r.accounts[i].password, NULL, &o));
        ASSERT_EQ_I(who.role, r.accounts[i].role);
    }
    ASSERT_EQ_I(cfix_int(st, "SELECT count(DISTINCT role) FROM users"), 4);
    /* a second run refuses and changes nothing */
    char *before = cfix_snapshot(st);
    wb_collab_demo_result r2;
    WB_FAILS(WB_ECONFLICT, wb_collab_demo(st, &r2, "GM0999", 2020, &o));
    char *after = cfix_snapshot(st);
    ASSERT_EQ_S(after, before);
    wb_free(before);
    wb_free(after);
    wb_store_free(st);
}

TEST(collab_demo, passwords_differ_between_runs)
{
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    o.opslimit = crypto_pwhash_OPSLIMIT_MIN;
    o.memlimit = crypto_pwhash_MEMLIMIT_MIN;
    wb_store *s1 = demo_store(0), *s2 = demo_store(0);
    wb_collab_demo_result r1, r2;
    WB_PASS(wb_collab_demo(s1, &r1, "GM0999", 2020, &o));
    WB_PASS(wb_collab_demo(s2, &r2, "GM0999", 2020, &o));
    for (size_t i = 0; i < r1.naccounts; i++)
        ASSERT(strcmp(r1.accounts[i].password, r2.accounts[i].password) != 0);
    /* without scores the gap is the last buurt by code */
    ASSERT_EQ_I(r1.gap_from_scores, 0);
    ASSERT_EQ_S(r1.gap_area, "BU09990006");
    ASSERT_EQ_S(r1.gap_dimension, "");
    wb_store_free(s1);
    wb_store_free(s2);
}

TEST(collab_demo, refuses_bad_gemeente_and_too_few_buurten_storing_nothing)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_area_put(st, NULL, "GM0999", 2020, WB_LEVEL_GEMEENTE, "Testdorp", NULL));
    for (int i = 0; i < 3; i++)
        WB_PASS(wb_store_area_put(st, NULL, buurten[i], 2020, WB_LEVEL_BUURT, "Buurt", NULL));
    char *before = cfix_snapshot(st);
    wb_collab_demo_result r;
    WB_FAILS(WB_ENOTFOUND, wb_collab_demo(st, &r, "GM0999", 0, NULL));
    ASSERT(strstr(wb_error_last()->message, "GM0999 has 3 buurten; at least 4 are needed"));
    WB_FAILS(WB_EINVALID, wb_collab_demo(st, &r, "WK099900", 0, NULL));
    WB_FAILS(WB_ENOTFOUND, wb_collab_demo(st, &r, "GM0363", 0, NULL));
    char *after = cfix_snapshot(st);
    ASSERT_EQ_S(after, before);
    wb_free(before);
    wb_free(after);
    wb_store_free(st);
}

/* The value of @p key for a buurt in a data year (boundary year 2022), NaN if none. */
static double value(wb_store *st, const char *key, const char *code, int year)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = code;
    q.year = year;
    wb_value *v = NULL;
    size_t n = 0;
    WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
    double out = n ? v[0].value : NAN;
    wb_free(v);
    return out;
}

TEST(collab_demo, on_the_demo_municipality_the_gap_is_the_lowest_decliner_since_2012)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_demo_build(st, NULL));
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    o.opslimit = crypto_pwhash_OPSLIMIT_MIN;
    o.memlimit = crypto_pwhash_MEMLIMIT_MIN;
    wb_collab_demo_result r;
    WB_PASS(wb_collab_demo(st, &r, WB_DEMO_GEMEENTE, 0, &o));
    ASSERT_EQ_I(r.gap_from_scores, 1);
    /* recompute the rule from the stored scores */
    wb_area_query aq = WB_AREA_QUERY_INIT;
    aq.level = WB_LEVEL_BUURT;
    aq.within = WB_DEMO_GEMEENTE;
    wb_area *b = NULL;
    size_t nb = 0;
    WB_PASS(wb_store_areas(st, &b, &nb, &aq));
    ASSERT(nb >= 4);
    double gap_last = value(st, "lbm", r.gap_area, 2022);
    ASSERT(gap_last < value(st, "lbm", r.gap_area, 2012));
    for (size_t i = 0; i < nb; i++) {
        double a = value(st, "lbm", b[i].code, 2012), z = value(st, "lbm", b[i].code, 2022);
        if (!isnan(a) && !isnan(z) && z < a)
            ASSERT_MSG(z >= gap_last, "%s declined to %g, below the gap %s (%g)", b[i].code, z, r.gap_area,
                       gap_last);
    }
    wb_areas_free(b, nb);
    static const char *const dims[] = {"lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv"};
    double weakest = value(st, r.gap_dimension, r.gap_area, 2022);
    for (int k = 0; k < 5; k++)
        ASSERT(value(st, dims[k], r.gap_area, 2022) >= weakest);
    wb_actor anon = WB_ACTOR_ANONYMOUS;
    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    q.area = r.gap_area;
    wb_initiative *v = NULL;
    size_t n = 0;
    WB_PASS(wb_initiative_list(st, &anon, &v, &n, &q));
    ASSERT_EQ_I(n, 0);
    wb_initiatives_free(v, n);
    wb_store_free(st);
}
