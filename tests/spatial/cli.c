/**
 * @file
 * @brief The weights, moran, lisa and getis commands end to end, on a store holding the
 * NC SIDS polygons (level "other", year 2000) and its variables; expected numbers are the
 * spdep fixtures of tests/reference/spdep/fixtures.R (tolerance 1e-9 relative).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"

#define DB "nc.db"
#define Q "--db " DB " "

/* The value of "key": in a one-object JSON document; NaN for null, fails when absent. */
static double json_num(const char *doc, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(doc, pat);
    ASSERT_MSG(p != NULL, "JSON has no key %s: %s", key, doc);
    p += strlen(pat);
    if (!strncmp(p, "null", 4))
        return NAN;
    char *end;
    double v = strtod(p, &end);
    ASSERT_MSG(end != p, "key %s is not a number", key);
    return v;
}

/* Index (0-based file position) of each code, from nc_values.csv. */
static size_t file_pos(const char *code)
{
    static ref_csv c;
    static int loaded;
    if (!loaded) {
        ref_csv_read(&c, "nc_values.csv");
        loaded = 1;
    }
    for (size_t r = 0; r < c.nrows; r++)
        if (!strcmp(ref_str(&c, r, 0), code))
            return r;
    wbt_fail(__FILE__, __LINE__, "unknown code %s", code);
}

/* Split CSV text into lines and fields (in place). Returns the number of data rows. */
static size_t csv_rows(char *text, char ***rows_out, size_t *ncols)
{
    size_t cap = 0, n = 0;
    char **rows = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (n == cap) {
            cap = cap ? 2 * cap : 128;
            rows = realloc(rows, cap * sizeof *rows);
        }
        rows[n++] = line;
    }
    *rows_out = rows;
    *ncols = 0;
    if (n) {
        *ncols = 1;
        for (char *p = rows[0]; *p; p++)
            *ncols += *p == ',';
    }
    return n ? n - 1 : 0;
}

static void fields(char *line, char **f, size_t nf)
{
    size_t k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < nf; p++)
        if (*p == ',') {
            *p = 0;
            f[k++] = p + 1;
        }
    for (char *p = f[k - 1]; *p; p++)
        if (*p == ',')
            *p = 0;
    ASSERT_EQ_I(k, nf);
}

static double num(const char *s)
{
    return *s ? strtod(s, NULL) : NAN;
}

/* Parse a GAL file into a 100 x 100 link matrix by file position; ids are codes
 * (@p by_code) or 1-based positions (spdep's write.nb.gal of an sf object). */
static void gal_links(char *text, unsigned char *m, int by_code)
{
    char *save;
    char *line = strtok_r(text, "\n", &save); /* header */
    ASSERT(line);
    size_t areas = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char id[32];
        size_t k;
        ASSERT(sscanf(line, "%31s %zu", id, &k) == 2);
        size_t i = by_code ? file_pos(id) : (size_t)atoi(id) - 1;
        areas++;
        if (!k)
            continue; /* an island's empty neighbour line was skipped by strtok */
        char *nbl = strtok_r(NULL, "\n", &save);
        ASSERT(nbl);
        size_t cnt = 0;
        for (char *t = strtok(nbl, " "); t; t = strtok(NULL, " ")) {
            size_t j = by_code ? file_pos(t) : (size_t)atoi(t) - 1;
            m[i * 100 + j] = 1;
            cnt++;
        }
        ASSERT_EQ_I(cnt, k);
    }
    ASSERT_EQ_I(areas, 100);
}

TEST(spatial_cli, weights_gal_equals_spdep_write_nb_gal)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wbt_run_result r = wbt_run(NULL, Q "weights --level other --year 2000 --type queen --format gal");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strncmp(r.out, "0 100 other_2000 code\n", 22) == 0);
    ASSERT(strstr(r.err, "100 other areas of 2000: 490 links") != NULL);
    ASSERT(strstr(r.err, "0 islands") != NULL);
    char *ref = wbt_slurp(wbt_fixture("spdep/nc_queen.gal"), NULL);
    ASSERT(ref);
    unsigned char *a = calloc(100 * 100, 1), *b = calloc(100 * 100, 1);
    gal_links(r.out, a, 1);
    gal_links(ref, b, 0);
    ASSERT(memcmp(a, b, 100 * 100) == 0);
    free(a);
    free(b);
    free(ref);
    wbt_run_free(&r);
}

TEST(spatial_cli, weights_csv_links_and_weights)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wbt_run_result r = wbt_run(NULL, Q "weights --level other --year 2000 --type rook --format csv");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strncmp(r.out, "code,neighbour,weight\n", 22) == 0);
    char **rows;
    size_t nc;
    size_t n = csv_rows(r.out, &rows, &nc);
    ASSERT_EQ_I(n, 462); /* spdep rook links on NC */
    ref_csv c;
    ref_csv_read(&c, "nc_nb_rook.csv");
    unsigned char *link = calloc(100 * 100, 1);
    size_t *deg = calloc(100, sizeof *deg);
    for (size_t k = 0; k < c.nrows; k++) {
        size_t i = (size_t)ref_num(&c, k, 0) - 1, j = (size_t)ref_num(&c, k, 1) - 1;
        link[i * 100 + j] = 1;
        deg[i]++;
    }
    for (size_t k = 1; k <= n; k++) {
        char *f[3];
        fields(rows[k], f, 3);
        size_t i = file_pos(f[0]), j = file_pos(f[1]);
        ASSERT_MSG(link[i * 100 + j], "link %s -> %s not in spdep's rook list", f[0], f[1]);
        ASSERT_CLOSE(num(f[2]), 1.0 / (double)deg[i], 1e-15);
    }
    free(link);
    free(deg);
    free(rows);
    ref_csv_free(&c);
    wbt_run_free(&r);
}

TEST(spatial_cli, weights_gwt_knn_and_table_with_islands)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wbt_run_result r = wbt_run(NULL, Q "weights --level other --year 2000 --type knn --k 4 --style B --format gwt");
    ASSERT_EQ_I(r.status, 0);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 400);
    ASSERT(strstr(r.err, "(asymmetric)") != NULL);
    char code[32], nb[32];
    double wgt;
    ASSERT(sscanf(strchr(r.out, '\n') + 1, "%31s %31s %lf", code, nb, &wgt) == 3);
    ASSERT_CLOSE(wgt, 1, 0);
    wbt_run_free(&r);
    /* the 0.9-quantile band of the fixture (in the layer's units) leaves 10 islands */
    double band = ref_param("nc", "band");
    r = wbt_run(NULL, Q "weights --level other --year 2000 --type distance --band %.17g --format table", band);
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "islands") != NULL);
    size_t isl = 0;
    for (const char *p = r.out; (p = strstr(p, "\nisland ")); p++)
        isl++;
    ASSERT_EQ_I(isl, 10);
    wbt_run_free(&r);
}

TEST(spatial_cli, moran_json_all_keys_equal_spdep)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wbt_run_result r = wbt_run(NULL, Q "moran --indicator sidr74 --level other --year 2000 --weights queen "
                                       "--permutations 999 --seed 1 --format json");
    ASSERT_EQ_I(r.status, 0);
    ref_csv c;
    ref_csv_read(&c, "nc_moran.csv");
    size_t row = 0; /* queen_W, sidr74, adjust_n 1 is the first row */
    ASSERT_EQ_S(ref_str(&c, row, ref_col(&c, "weights")), "queen_W");
    const char *keys[] = {"n", "I", "E_I", "var_norm", "z_norm", "p_norm", "var_rand", "z_rand", "p_rand"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        ASSERT_MSG(ref_close(json_num(r.out, keys[k]), ref_num(&c, row, ref_col(&c, keys[k])), 1e-9),
                   "%s differs from spdep", keys[k]);
    ASSERT_CLOSE(json_num(r.out, "permutations"), 999, 0);
    double pp = json_num(r.out, "p_perm");
    ASSERT(pp > 0 && pp < 0.01); /* I is 3.7 sd above E[I]: few permutations reach it */
    ASSERT(strstr(r.out, "\"p_perm_tail\": \"greater\"") != NULL);
    ref_csv_free(&c);
    wbt_run_free(&r);
    r = wbt_run(NULL, Q "moran --indicator sidr74 --level other --year 2000 --format csv");
    ASSERT_EQ_I(r.status, 0);
    static const char head[] = "n,I,E_I,var_norm,z_norm,p_norm,var_rand,z_rand,p_rand,permutations,p_perm,";
    ASSERT(strncmp(r.out, head, sizeof head - 1) == 0);
    ASSERT_EQ_I(wbt_count_lines(r.out), 2);
    wbt_run_free(&r);
}

static void check_lisa_csv(char *out, const char *ws)
{
    char **rows;
    size_t nc;
    ASSERT(strncmp(out, "code,value,Ii,E_Ii,Var_Ii,z,p,p_perm,cluster\n", 45) == 0);
    size_t n = csv_rows(out, &rows, &nc);
    ASSERT_EQ_I(n, 100);
    ref_csv c;
    ref_csv_read(&c, "nc_local.csv");
    size_t base = (size_t)-1;
    for (size_t r = 0; r < c.nrows; r++)
        if (!strcmp(ref_str(&c, r, 0), ws) && !strcmp(ref_str(&c, r, 1), "sidr74")) {
            base = r;
            break;
        }
    ASSERT(base != (size_t)-1);
    for (size_t k = 1; k <= n; k++) {
        char *f[9];
        fields(rows[k], f, 9);
        size_t r = base + file_pos(f[0]);
        ASSERT(ref_close(num(f[2]), ref_num(&c, r, ref_col(&c, "Ii")), 1e-9));
        ASSERT(ref_close(num(f[3]), ref_num(&c, r, ref_col(&c, "E_Ii")), 1e-9));
        ASSERT(ref_close(num(f[4]), ref_num(&c, r, ref_col(&c, "Var_Ii")), 1e-9));
        ASSERT(ref_close(num(f[5]), ref_num(&c, r, ref_col(&c, "Z_Ii")), 1e-9));
        ASSERT(ref_close(num(f[6]), ref_num(&c, r, ref_col(&c, "P_Ii")), 1e-9));
        const char *cl = f[8];
        if (!strcmp(cl, "island")) {
            ASSERT(!*f[5] && !*f[6] && !*f[7]);
        } else {
            double pp = num(f[7]);
            ASSERT(pp > 0 && pp <= 1);
            ASSERT(!strcmp(cl, "ns") || !strcmp(cl, "HH") || !strcmp(cl, "LL") || !strcmp(cl, "HL") ||
                   !strcmp(cl, "LH"));
            if (strcmp(cl, "ns"))
                ASSERT(pp <= 0.05);
            /* quadrant: HH/HL have a value above the mean (z > 0 <=> Ii sign with lag) */
        }
    }
    free(rows);
    ref_csv_free(&c);
}

TEST(spatial_cli, lisa_csv_equals_spdep_and_threads_do_not_matter)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wbt_run_result r1 = wbt_run(NULL, Q "lisa --indicator sidr74 --level other --year 2000 --weights queen "
                                        "--permutations 999 --seed 5 --threads 1 --format csv");
    wbt_run_result r2 = wbt_run(NULL, Q "lisa --indicator sidr74 --level other --year 2000 --weights queen "
                                        "--permutations 999 --seed 5 --threads 2 --format csv");
    ASSERT_EQ_I(r1.status, 0);
    ASSERT_EQ_I(r2.status, 0);
    ASSERT_EQ_S(r1.out, r2.out);
    ASSERT(strstr(r1.err, "clusters at alpha 0.05 (permutation p, seed 5): HH ") != NULL);
    check_lisa_csv(r1.out, "queen_W");
    wbt_run_free(&r1);
    wbt_run_free(&r2);
}

TEST(spatial_cli, lisa_islands_documented)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    double band = ref_param("nc", "band");
    wbt_run_result r = wbt_run(NULL, Q "lisa --indicator sidr74 --level other --year 2000 --weights distance "
                                       "--band %.17g --permutations 99 --format csv", band);
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.err, "10 islands") != NULL);
    ASSERT(strstr(r.err, "islands (no neighbours): ") != NULL);
    size_t isl = 0;
    for (const char *p = r.out; (p = strstr(p, ",island\n")); p++)
        isl++;
    ASSERT_EQ_I(isl, 10);
    check_lisa_csv(r.out, "dist_W");
    wbt_run_free(&r);
}

TEST(spatial_cli, getis_star_equals_spdep_localG)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wbt_run_result r = wbt_run(NULL, Q "getis --star --indicator nwbr74 --level other --year 2000 --weights rook "
                                       "--style B --format csv");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strncmp(r.out, "code,value,G,z,p\n", 17) == 0);
    char **rows;
    size_t nc;
    size_t n = csv_rows(r.out, &rows, &nc);
    ASSERT_EQ_I(n, 100);
    ref_csv c;
    ref_csv_read(&c, "nc_local.csv");
    size_t base = (size_t)-1;
    for (size_t k = 0; k < c.nrows; k++)
        if (!strcmp(ref_str(&c, k, 0), "rook_B") && !strcmp(ref_str(&c, k, 1), "nwbr74")) {
            base = k;
            break;
        }
    ASSERT(base != (size_t)-1);
    for (size_t k = 1; k <= n; k++) {
        char *f[5];
        fields(rows[k], f, 5);
        size_t row = base + file_pos(f[0]);
        ASSERT(ref_close(num(f[2]), ref_num(&c, row, ref_col(&c, "Gs")), 1e-9));
        double z = ref_num(&c, row, ref_col(&c, "Gs_z"));
        ASSERT(ref_close(num(f[3]), z, 1e-9));
        ASSERT(ref_close(num(f[4]), erfc(fabs(z) / sqrt(2.0)), 1e-9));
    }
    free(rows);
    ref_csv_free(&c);
    wbt_run_free(&r);
}

/* Missing values: 3 counties stored missing and 2 without a value are left out, with a
 * message; the weights are subset as spdep's moran.test(na.action = na.omit) does
 * (nc_moran_na.csv drops exactly counties 3, 17, 40, 41 and 88). */
TEST(spatial_cli, moran_missing_values_left_out_with_message)
{
    static const int missing[] = {3, 17, 40, 0}, absent[] = {41, 88, 0};
    ref_store(wbt_tmp(DB), "nc", missing, absent);
    wbt_run_result r = wbt_run(NULL, Q "moran --indicator sidr74 --level other --year 2000 --permutations 0 "
                                       "--format json");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.err, "5 of 100 areas with a geometry left out (and dropped from the weights): "
                         "3 with a missing value, 2 without a value for 2000") != NULL);
    ref_csv c;
    ref_csv_read(&c, "nc_moran_na.csv");
    ASSERT_EQ_S(ref_str(&c, 0, 0), "3 17 40 41 88");
    ASSERT_CLOSE(json_num(r.out, "n"), 95, 0);
    ASSERT_CLOSE(json_num(r.out, "left_out"), 5, 0);
    const char *keys[] = {"I", "E_I", "var_norm", "var_rand", "z_rand", "p_rand"};
    for (size_t k = 0; k < 6; k++)
        ASSERT_MSG(ref_close(json_num(r.out, keys[k]), ref_num(&c, 0, ref_col(&c, keys[k])), 1e-9), "%s", keys[k]);
    ASSERT(isnan(json_num(r.out, "p_perm")));
    ref_csv_free(&c);
    wbt_run_free(&r);
}

TEST(spatial_cli, bad_input_gives_one_line_errors)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    /* a level/year without geometry */
    wbt_run_result r = wbt_run(NULL, Q "moran --indicator sidr74 --level wijk --year 2000");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "no wijk geometries for 2000") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, Q "lisa --indicator sidr74 --level other --year 1999");
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "no other geometries for 1999") != NULL);
    wbt_run_free(&r);
    /* boundaries of 2000 but no data for 2001 */
    r = wbt_run(NULL, Q "getis --indicator sidr74 --level other --year 2001 --boundary-year 2000");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "no value of sidr74 for 2001 on any of the 100 other areas of 2000") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, Q "moran --indicator nothere --level other --year 2000");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    wbt_run_free(&r);
    const char *usage[] = {
        "moran --level other --year 2000",
        "moran --indicator sidr74 --level other --year 2000 --weights knn --band 5",
        "moran --indicator sidr74 --level other --year 2000 --weights distance",
        "moran --indicator sidr74 --level other --year 2000 --weights distance --band 2,1",
        "moran --indicator sidr74 --level other --year 2000 --weights hex",
        "lisa --indicator sidr74 --level other --year 2000 --alpha 1.5",
        "weights --level other --year 2000 --format shp",
        "weights --level other --year 2000 --style X",
        "weights --level other --year 2000 --snap -1",
        "weights --level other"};
    for (size_t k = 0; k < sizeof usage / sizeof *usage; k++) {
        r = wbt_run(NULL, Q "%s", usage[k]);
        ASSERT_MSG(r.status == 2 && wbt_count_lines(r.err) == 1, "'%s': status %d, stderr %s", usage[k],
                   r.status, r.err);
        wbt_run_free(&r);
    }
    /* knn with k >= n is a library error with a clear message */
    r = wbt_run(NULL, Q "weights --level other --year 2000 --type knn --k 100");
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "k must be from 1 to the number of areas - 1 (99), got 100") != NULL);
    wbt_run_free(&r);
}

/* All values equal: Moran, LISA and Getis refuse with "zero variance". */
TEST(spatial_cli, zero_variance_is_a_clear_error)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wb_store *st;
    WB_PASS(wb_store_open(&st, wbt_tmp(DB), 0));
    wb_indicator in = {0};
    in.key = "flat";
    int64_t ind;
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_indicator_put(st, &ind, &in));
    wb_area *areas;
    size_t n;
    wb_area_query aq = WB_AREA_QUERY_INIT;
    WB_PASS(wb_store_areas(st, &areas, &n, &aq));
    for (size_t i = 0; i < n; i++)
        WB_PASS(wb_store_obs_put(st, ind, areas[i].id, 2000, 7.5));
    WB_PASS(wb_store_commit(st));
    wb_areas_free(areas, n);
    wb_store_free(st);
    const char *cmds[] = {"moran", "lisa", "getis", "getis --star"};
    for (size_t k = 0; k < 4; k++) {
        wbt_run_result r = wbt_run(NULL, Q "%s --indicator flat --level other --year 2000", cmds[k]);
        ASSERT_EQ_I(r.status, 1);
        ASSERT_EQ_I(wbt_count_lines(r.err), 1);
        ASSERT_MSG(strstr(r.err, "all 100 values are equal (7.5): zero variance") != NULL, "%s", r.err);
        wbt_run_free(&r);
    }
}

/* GAL and GWT output stays byte-identical to the committed files
 * tests/data/spdep/nc_queen_wijkbeeld.gal and nc_knn4_wijkbeeld.gwt, which spdep
 * (read.gal, read.gwt2nb: tests/reference/spdep/check_formats.R) and PySAL (libpysal.io:
 * tests/reference/pysal/check_formats.py) were checked to read as spdep's own queen and
 * kNN(4) lists. */
TEST(spatial_cli, gal_gwt_files_readable_by_spdep_and_pysal)
{
    ref_store(wbt_tmp(DB), "nc", NULL, NULL);
    wbt_run_result r = wbt_run(NULL, Q "--quiet weights --level other --year 2000 --format gal");
    ASSERT_EQ_I(r.status, 0);
    char *gal = wbt_slurp(wbt_fixture("spdep/nc_queen_wijkbeeld.gal"), NULL);
    ASSERT(gal);
    ASSERT_EQ_S(r.out, gal);
    free(gal);
    wbt_run_free(&r);
    r = wbt_run(NULL, Q "--quiet weights --level other --year 2000 --type knn --k 4 --format gwt");
    ASSERT_EQ_I(r.status, 0);
    char *gwt = wbt_slurp(wbt_fixture("spdep/nc_knn4_wijkbeeld.gwt"), NULL);
    ASSERT(gwt);
    ASSERT_EQ_S(r.out, gwt);
    free(gwt);
    wbt_run_free(&r);
}
