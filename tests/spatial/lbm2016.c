/**
 * @file
 * @brief The real use: Moran's I, LISA and Gi* of the Leefbaarometer 2016 score over the
 * 2016 wijken of the whole country, imported with 'import geo' and 'import lbm' from
 * ../shared/data, against spdep on the same polygons and scores (fixtures from
 * tests/reference/spdep/lbm2016.R): 2,793 of 2,917 wijken with a polygon have a score, 5 of
 * them are islands. All numbers within 1e-9 relative. Skipped without the shared data.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"

static void import_lbm2016(void)
{
    const char *geo = wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson");
    const char *lbm = wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv");
    wbt_run_result r = wbt_run(NULL, "--db w.db --quiet import geo '%s' --year 2016", geo);
    ASSERT_MSG(r.status == 0, "import geo: %s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db w.db --quiet import lbm '%s'", lbm);
    ASSERT_MSG(r.status == 0, "import lbm: %s", r.err);
    wbt_run_free(&r);
}

static double json_num(const char *doc, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(doc, pat);
    ASSERT_MSG(p != NULL, "no key %s", key);
    return strtod(p + strlen(pat), NULL);
}

/* code -> fixture row */
static size_t row_of(const ref_csv *c, const char *code)
{
    for (size_t r = 0; r < c->nrows; r++)
        if (!strcmp(ref_str(c, r, 0), code))
            return r;
    wbt_fail(__FILE__, __LINE__, "%s not in the fixture", code);
}

TEST(spatial_lbm2016, moran_lisa_getis_equal_spdep)
{
    import_lbm2016();
    wbt_run_result r = wbt_run(NULL, "--db w.db moran --indicator lbm --level wijk --year 2016 --format json");
    ASSERT_EQ_I(r.status, 0);
    ref_csv m;
    ref_csv_read(&m, "lbm2016_moran.csv.gz");
    const char *keys[] = {"n", "islands", "I", "E_I", "var_norm", "z_norm", "p_norm", "var_rand", "z_rand", "p_rand"};
    for (size_t k = 0; k < 10; k++)
        ASSERT_MSG(ref_close(json_num(r.out, keys[k]), ref_num(&m, 0, ref_col(&m, keys[k])), 1e-9), "%s", keys[k]);
    ASSERT(strstr(r.err, "124 of 2917 areas with a geometry left out (and dropped from the weights): "
                         "112 with a missing value, 12 without a value for 2016") != NULL);
    ref_csv_free(&m);
    wbt_run_free(&r);

    ref_csv c;
    ref_csv_read(&c, "lbm2016_local.csv.gz");
    r = wbt_run(NULL, "--db w.db lisa --indicator lbm --level wijk --year 2016 --permutations 99 --format csv");
    ASSERT_EQ_I(r.status, 0);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + c.nrows);
    size_t islands = 0;
    char *save;
    strtok_r(r.out, "\n", &save);
    for (char *line; (line = strtok_r(NULL, "\n", &save));) {
        char *f[9];
        size_t k = 0;
        f[k++] = line;
        for (char *p = line; *p && k < 9; p++)
            if (*p == ',') {
                *p = 0;
                f[k++] = p + 1;
            }
        ASSERT_EQ_I(k, 9);
        size_t row = row_of(&c, f[0]);
        const char *cols[] = {"value", "Ii", "E_Ii", "Var_Ii", "Z_Ii", "P_Ii"};
        for (int j = 0; j < 6; j++) {
            double got = *f[1 + j] ? strtod(f[1 + j], NULL) : NAN;
            ASSERT_MSG(ref_close(got, ref_num(&c, row, ref_col(&c, cols[j])), 1e-9), "%s %s", f[0], cols[j]);
        }
        islands += !strcmp(f[8], "island");
    }
    ASSERT_EQ_I(islands, 5);
    wbt_run_free(&r);

    r = wbt_run(NULL, "--db w.db getis --star --style B --indicator lbm --level wijk --year 2016 --format csv");
    ASSERT_EQ_I(r.status, 0);
    strtok_r(r.out, "\n", &save);
    for (char *line; (line = strtok_r(NULL, "\n", &save));) {
        char *code = line, *p = strchr(line, ',');
        *p = 0;
        /* value,G,z,p */
        char *zf = strchr(strchr(p + 1, ',') + 1, ',') + 1;
        ASSERT(ref_close(strtod(zf, NULL), ref_num(&c, row_of(&c, code), ref_col(&c, "Gs_z")), 1e-9));
    }
    wbt_run_free(&r);
    ref_csv_free(&c);
}
