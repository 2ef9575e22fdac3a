/**
 * @file
 * @brief Emerging hot spots: the category rules on hand-made spot series (docs/spacetime.md
 * lists the rules; each case below names the rule it exercises), and the Gi* part of
 * wb_ehsa against spdep's localG (NC SIDS, include.self, style B; tests/data/spdep).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"

/* "0010011" -> 0 0 1 0 0 1 1; '-' is a cold spot ("-" then the digit is not used: one char
 * per step: '1' hot, 'c' cold, '0' nothing) */
static wb_ehsa_category cat(const char *s, double tau, double p)
{
    signed char v[64];
    size_t n = strlen(s);
    for (size_t t = 0; t < n; t++)
        v[t] = (signed char)(s[t] == '1' ? 1 : s[t] == 'c' ? -1 : 0);
    return wb_ehsa_classify(v, n, tau, p, 0.05);
}

#define EXPECT_CAT(s, tau, p, c) \
    ASSERT_MSG(cat(s, tau, p) == (c), "%s: %s, expected %s", s, wb_ehsa_name(cat(s, tau, p)), wb_ehsa_name(c))

TEST(spacetime_hotspot, categories_by_hand)
{
    /* final step hot */
    EXPECT_CAT("0000000001", 0.5, 0.01, WB_EHSA_NEW_HOT);         /* only the final step */
    EXPECT_CAT("0000000111", 0.5, 0.01, WB_EHSA_CONSECUTIVE_HOT); /* one final run, nothing before */
    EXPECT_CAT("0100000011", 0.5, 0.01, WB_EHSA_SPORADIC_HOT);    /* hot before the final run */
    EXPECT_CAT("1010101011", 0.1, 0.50, WB_EHSA_SPORADIC_HOT);
    EXPECT_CAT("0c00000001", 0.5, 0.01, WB_EHSA_OSCILLATING_HOT); /* a cold spot before: not new */
    EXPECT_CAT("0c00000111", 0.5, 0.01, WB_EHSA_OSCILLATING_HOT); /* ... nor consecutive */
    EXPECT_CAT("0111111111", 0.5, 0.01, WB_EHSA_INTENSIFYING_HOT); /* 9 of 10 = 90%, z rising */
    EXPECT_CAT("0111111111", -0.5, 0.01, WB_EHSA_DIMINISHING_HOT);
    EXPECT_CAT("0111111111", 0.5, 0.06, WB_EHSA_PERSISTENT_HOT);   /* no significant trend */
    EXPECT_CAT("c111111111", 0.5, 0.30, WB_EHSA_PERSISTENT_HOT);   /* 90% hot beats oscillating */
    EXPECT_CAT("0011111111", 0.5, 0.01, WB_EHSA_CONSECUTIVE_HOT);  /* 8 of 10 < 90% */
    /* final step not significant */
    EXPECT_CAT("1111111110", 0.5, 0.01, WB_EHSA_HISTORICAL_HOT);
    EXPECT_CAT("1111111100", 0.5, 0.01, WB_EHSA_NONE);
    EXPECT_CAT("0000000000", 0.0, 1.00, WB_EHSA_NONE);
    EXPECT_CAT("1000000000", 0.0, 1.00, WB_EHSA_NONE);
    /* the mirror images */
    EXPECT_CAT("000000000c", -0.5, 0.01, WB_EHSA_NEW_COLD);
    EXPECT_CAT("0000000ccc", -0.5, 0.01, WB_EHSA_CONSECUTIVE_COLD);
    EXPECT_CAT("c0000000cc", -0.5, 0.01, WB_EHSA_SPORADIC_COLD);
    EXPECT_CAT("0100000ccc", -0.5, 0.01, WB_EHSA_OSCILLATING_COLD);
    EXPECT_CAT("0ccccccccc", -0.5, 0.01, WB_EHSA_INTENSIFYING_COLD); /* z falling: colder */
    EXPECT_CAT("0ccccccccc", 0.5, 0.01, WB_EHSA_DIMINISHING_COLD);
    EXPECT_CAT("cccccccccc", 0.0, 1.00, WB_EHSA_PERSISTENT_COLD);
    EXPECT_CAT("ccccccccc0", 0.0, 1.00, WB_EHSA_HISTORICAL_COLD);
    /* five steps (the Leefbaarometer years): 90% of 5 is all 5 */
    EXPECT_CAT("11111", 1.0, 0.0167, WB_EHSA_INTENSIFYING_HOT);
    EXPECT_CAT("01111", 1.0, 0.0167, WB_EHSA_CONSECUTIVE_HOT);
    EXPECT_CAT("11110", 1.0, 0.0167, WB_EHSA_NONE);
    ASSERT_EQ_S(wb_ehsa_name(WB_EHSA_OSCILLATING_COLD), "oscillating_cold");
    ASSERT_EQ_S(wb_ehsa_name(WB_EHSA_ISLAND), "island");
    ASSERT(wb_ehsa_name(WB_EHSA__MAX) == NULL);
}

/* Two "years" = NC's two variables (sidr74, nwbr74): the Gi* z of each equals spdep's
 * localG on include.self(queen), style B (column Gs_z of nc_local.csv), within 1e-9. */
TEST(spacetime_hotspot, gi_star_per_year_equals_spdep)
{
    wb_weights w = WB_WEIGHTS_INIT;
    ref_weights(&w, "nc", "queen", WB_STYLE_B);
    size_t n;
    double *x1 = ref_values("nc", "sidr74", &n), *x2 = ref_values("nc", "nwbr74", &n);
    double *y = malloc(2 * n * sizeof *y), *z = malloc(2 * n * sizeof *z), *p = malloc(2 * n * sizeof *p);
    memcpy(y, x1, n * sizeof *y);
    memcpy(y + n, x2, n * sizeof *y);
    int *category = malloc(n * sizeof *category), *nh = malloc(n * sizeof *nh);
    wb_ehsa_out o = {z, p, NULL, NULL, NULL, nh, NULL, category};
    wb_ehsa_opts eo = WB_EHSA_OPTS_INIT;
    eo.fdr = 0;
    const double years[2] = {2000, 2001};
    WB_PASS(wb_ehsa(&o, &w, y, n, years, 2, &eo));
    ref_csv c;
    ref_csv_read(&c, "nc_local.csv");
    size_t seen = 0;
    for (size_t r = 0; r < c.nrows; r++) {
        if (strcmp(ref_str(&c, r, ref_col(&c, "weights")), "queen_B"))
            continue;
        int t = !strcmp(ref_str(&c, r, ref_col(&c, "var")), "nwbr74");
        size_t i = (size_t)ref_num(&c, r, ref_col(&c, "i")) - 1;
        double ref = ref_num(&c, r, ref_col(&c, "Gs_z"));
        ASSERT_MSG(ref_close(z[t * n + i], ref, 1e-9), "year %d area %zu: %.17g, spdep %.17g", t, i + 1,
                   z[t * n + i], ref);
        ASSERT_CLOSE(p[t * n + i], erfc(fabs(ref) / sqrt(2.0)), 1e-12);
        seen++;
    }
    ASSERT_EQ_I(seen, 2 * n);
    for (size_t i = 0; i < n; i++) {
        int h = (p[i] <= 0.05 && z[i] > 0) + (p[n + i] <= 0.05 && z[n + i] > 0);
        ASSERT_EQ_I(nh[i], h);
    }
    /* with FDR the p-values of each year are Benjamini-Hochberg adjusted: never smaller */
    double *pf = malloc(2 * n * sizeof *pf);
    wb_ehsa_out of = {NULL, pf, NULL, NULL, NULL, NULL, NULL, NULL};
    eo.fdr = 1;
    WB_PASS(wb_ehsa(&of, &w, y, n, years, 2, &eo));
    for (size_t e = 0; e < 2 * n; e++)
        ASSERT(pf[e] >= p[e]);
    /* bad input */
    WB_FAILS(WB_EINVALID, wb_ehsa(&o, &w, y, n, years, 1, &eo));
    ASSERT(strstr(wb_error_last()->message, "1 year, at least 2 needed"));
    for (size_t i = 0; i < n; i++)
        y[n + i] = 3;
    WB_FAILS(WB_EINVALID, wb_ehsa(&o, &w, y, n, years, 2, &eo));
    ASSERT(strstr(wb_error_last()->message, "year 2001"));
    ASSERT(strstr(wb_error_last()->message, "zero variance"));
    ref_csv_free(&c);
    free(x1), free(x2), free(y), free(z), free(p), free(pf), free(category), free(nh);
    wb_weights_dispose(&w);
}
