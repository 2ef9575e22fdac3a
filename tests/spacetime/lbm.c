/**
 * @file
 * @brief The real use, end to end through the commands: the Leefbaarometer 2.0 classes of
 * 2002-2016 and the dimension scores of 2016 on the 2016 wijken (imported from ../shared/data
 * with 'import geo' and 'import lbm'), against the R reference
 * tests/reference/spacetime/lbm_spacetime.R (fixtures tests/data/spacetime/lbm_*.csv.gz):
 * class Markov chain (whole series and around 2012), spatial Markov (queen, W, four lag
 * classes) with its homogeneity tests and paths, LISA Markov, emerging hot spots, and the
 * local and global bivariate Moran of housing with the neighbours' nuisance and safety.
 * Counts and classes exactly, every other number within 1e-9 relative
 * (|a - b| <= 1e-9 |ref| + 1e-12). Skipped without the shared data.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/doc_tables.h"
#include "spatial/refdata.h"
#include "test.h"

#define TOL 1e-9

static void import_lbm(void)
{
    const char *geo = wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson");
    const char *kl = wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_classes_2002_2016.csv");
    const char *dm = wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv");
    wbt_run_result r = wbt_run(NULL, "--db w.db --quiet import geo '%s' --year 2016", geo);
    ASSERT_MSG(r.status == 0, "import geo: %s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db w.db --quiet import lbm '%s'", kl);
    ASSERT_MSG(r.status == 0, "import lbm: %s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db w.db --quiet import lbm '%s'", dm);
    ASSERT_MSG(r.status == 0, "import lbm: %s", r.err);
    wbt_run_free(&r);
}

/* Run a command and parse its CSV output. */
static void run_csv(ref_csv *c, const char *args)
{
    wbt_run_result r = wbt_run(NULL, "--db w.db --quiet %s --format csv", args);
    ASSERT_MSG(r.status == 0, "%s: %s", args, r.err);
    char *text = strdup(r.out);
    wbt_run_free(&r);
    ref_csv_parse(c, text, args);
}

/* Compare a numeric column: exact when tol is 0; Inf in the reference = empty here. */
static void same_num(const ref_csv *a, size_t ra, const char *ca, const ref_csv *b, size_t rb, const char *cb,
                     double tol, const char *what)
{
    double x = ref_num(a, ra, ref_col(a, ca)), y = ref_num(b, rb, ref_col(b, cb));
    if (isinf(y)) {
        ASSERT_MSG(isnan(x), "%s row %zu %s: %.17g, reference never (Inf)", what, rb + 1, cb, x);
        return;
    }
    int ok = tol == 0 ? (x == y || (isnan(x) && isnan(y))) : ref_close(x, y, tol);
    ASSERT_MSG(ok, "%s row %zu %s: %.17g, reference %.17g", what, rb + 1, cb, x, y);
}

static void same_str(const ref_csv *a, size_t ra, const char *ca, const ref_csv *b, size_t rb, const char *cb,
                     const char *what)
{
    const char *x = ref_str(a, ra, ref_col(a, ca)), *y = ref_str(b, rb, ref_col(b, cb));
    ASSERT_MSG(!strcmp(x, y), "%s row %zu %s: '%s', reference '%s'", what, rb + 1, cb, x, y);
}

/* The rows of the fixture whose column "tag" is one of @p tags, in order, against the CLI
 * rows in order (both list periods, then lag classes, then from-major states). */
static void compare_chain(const char *args, const char *fixture, const char *const *tags, size_t ntags,
                          const char *const *keys, const char *const *nums, int spatial)
{
    ref_csv out, ref;
    run_csv(&out, args);
    ref_csv_read(&ref, fixture);
    size_t r = 0;
    for (size_t t = 0; t < ntags; t++)
        for (size_t rr = 0; rr < ref.nrows; rr++) {
            if (strcmp(ref_str(&ref, rr, ref_col(&ref, "tag")), tags[t]))
                continue;
            ASSERT_MSG(r < out.nrows, "%s: %zu rows, the reference has more", args, out.nrows);
            if (ntags > 1)
                ASSERT_EQ_S(ref_str(&out, r, ref_col(&out, "period")), tags[t]);
            if (spatial)
                same_num(&out, r, "lag_class", &ref, rr, "lag_class", 0, fixture);
            for (size_t k = 0; keys[k]; k++)
                same_str(&out, r, keys[k], &ref, rr, keys[k], fixture);
            for (size_t k = 0; nums[k]; k++)
                same_num(&out, r, nums[k], &ref, rr, nums[k], !strcmp(nums[k], "count") ? 0 : TOL, fixture);
            r++;
        }
    ASSERT_MSG(r == out.nrows && r > 0, "%s: %zu rows, reference %zu", args, out.nrows, r);
    ref_csv_free(&out);
    ref_csv_free(&ref);
}

static const char *const whole[] = {"2002-2016"}, *const halves[] = {"2002-2012", "2012-2016"};
static const char *const k_trans[] = {"from_class", "to_class", NULL}, *const n_trans[] = {"count", "probability", NULL};
static const char *const k_steady[] = {"recurrent_class", "class", NULL}, *const n_steady[] = {"probability", NULL};
static const char *const n_mfpt[] = {"mfpt", NULL};

TEST(spacetime_lbm, class_markov_equals_reference)
{
    import_lbm();
    const char *m = "markov --indicator lbm_klasse --level wijk";
    char a[256];
    compare_chain(m, "../spacetime/lbm_markov_transitions.csv.gz", whole, 1, k_trans, n_trans, 0);
    snprintf(a, sizeof a, "%s --what steady", m);
    compare_chain(a, "../spacetime/lbm_markov_steady.csv.gz", whole, 1, k_steady, n_steady, 0);
    snprintf(a, sizeof a, "%s --what mfpt", m);
    compare_chain(a, "../spacetime/lbm_markov_mfpt.csv.gz", whole, 1, k_trans, n_mfpt, 0);
    snprintf(a, sizeof a, "%s --break 2012", m);
    compare_chain(a, "../spacetime/lbm_markov_transitions.csv.gz", halves, 2, k_trans, n_trans, 0);
    snprintf(a, sizeof a, "%s --break 2012 --what steady", m);
    compare_chain(a, "../spacetime/lbm_markov_steady.csv.gz", halves, 2, k_steady, n_steady, 0);
    snprintf(a, sizeof a, "%s --break 2012 --what mfpt", m);
    compare_chain(a, "../spacetime/lbm_markov_mfpt.csv.gz", halves, 2, k_trans, n_mfpt, 0);
    /* the stderr summary counts what was counted */
    wbt_run_result r = wbt_run(NULL, "--db w.db %s --format csv", m);
    ASSERT(strstr(r.err, "the 9 published classes 1-9; 2981 areas counted"));
    ASSERT(strstr(r.err, "2002-2016: 11187 transitions, 1 recurrent class"));
    wbt_run_free(&r);
}

TEST(spacetime_lbm, spatial_markov_equals_reference)
{
    import_lbm();
    const char *m = "markov --indicator lbm_klasse --level wijk --spatial";
    char a[256];
    compare_chain(m, "../spacetime/lbm_smarkov_transitions.csv.gz", whole, 1, k_trans, n_trans, 1);
    snprintf(a, sizeof a, "%s --what steady", m);
    compare_chain(a, "../spacetime/lbm_smarkov_steady.csv.gz", whole, 1, k_steady, n_steady, 1);
    snprintf(a, sizeof a, "%s --what mfpt", m);
    compare_chain(a, "../spacetime/lbm_smarkov_mfpt.csv.gz", whole, 1, k_trans, n_mfpt, 1);
    snprintf(a, sizeof a, "%s --break 2012", m);
    compare_chain(a, "../spacetime/lbm_smarkov_transitions.csv.gz", halves, 2, k_trans, n_trans, 1);

    /* homogeneity tests, whole and around 2012 */
    ref_csv out, ref;
    ref_csv_read(&ref, "../spacetime/lbm_smarkov_tests.csv.gz");
    for (int b = 0; b < 2; b++) {
        snprintf(a, sizeof a, "%s --what tests%s", m, b ? " --break 2012" : "");
        run_csv(&out, a);
        ASSERT_EQ_I(out.nrows, b ? 4 : 2);
        for (size_t r = 0; r < out.nrows; r++) {
            const char *period = ref_str(&out, r, ref_col(&out, "period"));
            size_t rr = 0;
            while (rr < ref.nrows && strcmp(ref_str(&ref, rr, 0), period))
                rr++;
            ASSERT_MSG(rr < ref.nrows, "period %s", period);
            int lr = !strcmp(ref_str(&out, r, ref_col(&out, "statistic")), "LR");
            same_num(&out, r, "value", &ref, rr, lr ? "LR" : "Q", TOL, "tests");
            same_num(&out, r, "p", &ref, rr, lr ? "LR_p" : "Q_p", TOL, "tests");
            same_num(&out, r, "dof", &ref, rr, "dof", 0, "tests");
            same_num(&out, r, "transitions", &ref, rr, "transitions", 0, "tests");
        }
        ref_csv_free(&out);
    }
    /* the lag classes' upper bounds are in the stderr summary */
    wbt_run_result r = wbt_run(NULL, "--db w.db %s --format csv", m);
    char bounds[128];
    snprintf(bounds, sizeof bounds, "upper bounds: %.6g, %.6g, %.6g, %.6g", ref_num(&ref, 0, ref_col(&ref, "bin1")),
             ref_num(&ref, 0, ref_col(&ref, "bin2")), ref_num(&ref, 0, ref_col(&ref, "bin3")),
             ref_num(&ref, 0, ref_col(&ref, "bin4")));
    ASSERT_MSG(strstr(r.err, bounds), "%s not in: %s", bounds, r.err);
    ASSERT(strstr(r.err, "on 2711 wijk areas of 2016 with a polygon and a value in each of the 5 years"));
    ASSERT(strstr(r.err, "6 islands"));
    ASSERT(strstr(r.err, "WK006000 WK008800 WK009600 WK016012 WK047301 WK059913"));
    wbt_run_free(&r);
    ref_csv_free(&ref);

    /* paths: class, lag and lag class of every analysed wijk and year */
    run_csv(&out, "markov --indicator lbm_klasse --level wijk --spatial --what paths");
    ref_csv_read(&ref, "../spacetime/lbm_smarkov_paths.csv.gz");
    ASSERT_EQ_I(out.nrows, ref.nrows);
    size_t nc = ref.nrows / 5; /* the reference is year-major, the output area-major */
    for (size_t rr = 0; rr < ref.nrows; rr++) {
        size_t area = rr % nc, year = rr / nc, ro = area * 5 + year;
        same_str(&out, ro, "code", &ref, rr, "code", "paths");
        same_num(&out, ro, "year", &ref, rr, "year", 0, "paths");
        same_num(&out, ro, "class", &ref, rr, "class", 0, "paths");
        same_num(&out, ro, "lag", &ref, rr, "lag", TOL, "paths");
        same_num(&out, ro, "lag_class", &ref, rr, "lag_class", 0, "paths");
    }
    ref_csv_free(&out);
    ref_csv_free(&ref);
}

TEST(spacetime_lbm, lisa_markov_equals_reference)
{
    import_lbm();
    ref_csv out, ref;
    run_csv(&out, "markov --indicator lbm_klasse --level wijk --lisa");
    ref_csv_read(&ref, "../spacetime/lbm_lisamarkov_transitions.csv.gz");
    static const char *const quad[] = {"HH", "LH", "LL", "HL"};
    ASSERT_EQ_I(out.nrows, 16);
    ASSERT_EQ_I(ref.nrows, 16);
    for (size_t r = 0; r < 16; r++) {
        ASSERT_EQ_S(ref_str(&out, r, ref_col(&out, "from_class")),
                    quad[(int)ref_num(&ref, r, ref_col(&ref, "from_class")) - 1]);
        ASSERT_EQ_S(ref_str(&out, r, ref_col(&out, "to_class")),
                    quad[(int)ref_num(&ref, r, ref_col(&ref, "to_class")) - 1]);
        same_num(&out, r, "count", &ref, r, "count", 0, "lisa markov");
        same_num(&out, r, "probability", &ref, r, "probability", TOL, "lisa markov");
    }
    ref_csv_free(&out);
    ref_csv_free(&ref);
    run_csv(&out, "markov --indicator lbm_klasse --level wijk --lisa --what steady");
    ref_csv_read(&ref, "../spacetime/lbm_lisamarkov_steady.csv.gz");
    ASSERT_EQ_I(out.nrows, ref.nrows);
    for (size_t r = 0; r < out.nrows; r++)
        same_num(&out, r, "probability", &ref, r, "probability", TOL, "lisa steady");
    ref_csv_free(&out);
    ref_csv_free(&ref);
}

TEST(spacetime_lbm, hotspots_equal_reference)
{
    import_lbm();
    ref_csv out, ser, ref;
    run_csv(&out, "hotspots --indicator lbm_klasse --level wijk");
    run_csv(&ser, "hotspots --indicator lbm_klasse --level wijk --what series");
    ref_csv_read(&ref, "../spacetime/lbm_ehsa.csv.gz");
    ASSERT_EQ_I(out.nrows, ref.nrows);
    ASSERT_EQ_I(ser.nrows, 5 * ref.nrows);
    static const char *const years[] = {"2002", "2008", "2012", "2014", "2016"};
    size_t categories = 0;
    for (size_t r = 0; r < out.nrows; r++) {
        const char *code = ref_str(&out, r, 0);
        size_t rr = 0;
        /* both lists are in code order; fall back to a search */
        if (r < ref.nrows && !strcmp(ref_str(&ref, r, 0), code))
            rr = r;
        else
            while (rr < ref.nrows && strcmp(ref_str(&ref, rr, 0), code))
                rr++;
        ASSERT_MSG(rr < ref.nrows, "%s not in the reference", code);
        same_str(&out, r, "category", &ref, rr, "category", "hotspots");
        categories += strcmp(ref_str(&ref, rr, ref_col(&ref, "category")), "none") != 0;
        same_num(&out, r, "n_hot", &ref, rr, "n_hot", 0, "hotspots");
        same_num(&out, r, "n_cold", &ref, rr, "n_cold", 0, "hotspots");
        if (strcmp(ref_str(&ref, rr, ref_col(&ref, "category")), "island")) {
            same_num(&out, r, "tau", &ref, rr, "tau", TOL, "hotspots");
            same_num(&out, r, "mk_p", &ref, rr, "mk_p", TOL, "hotspots");
        }
        same_num(&out, r, "z_last", &ref, rr, "z2016", TOL, "hotspots");
        same_num(&out, r, "p_last", &ref, rr, "p2016", TOL, "hotspots");
        for (size_t t = 0; t < 5; t++) {
            char zc[16], pc[16];
            snprintf(zc, sizeof zc, "z%s", years[t]);
            snprintf(pc, sizeof pc, "p%s", years[t]);
            ASSERT_EQ_S(ref_str(&ser, r * 5 + t, 0), code);
            ASSERT_EQ_S(ref_str(&ser, r * 5 + t, 1), years[t]);
            same_num(&ser, r * 5 + t, "z", &ref, rr, zc, TOL, "hotspot series");
            same_num(&ser, r * 5 + t, "p", &ref, rr, pc, TOL, "hotspot series");
        }
    }
    ASSERT(categories > 300); /* not a vacuous comparison: 306 areas have a pattern, 6 are islands */
    ref_csv_free(&out);
    ref_csv_free(&ser);
    ref_csv_free(&ref);
}

TEST(spacetime_lbm, bivariate_equals_spdep)
{
    import_lbm();
    ref_csv out, ref;
    run_csv(&out, "lisa --indicator lbm_won --bivariate lbm_onv --level wijk --year 2016 --permutations 99");
    ref_csv_read(&ref, "../spacetime/lbm_bivariate.csv.gz");
    ASSERT_EQ_I(out.nrows, ref.nrows);
    for (size_t r = 0; r < out.nrows; r++) {
        same_str(&out, r, "code", &ref, r, "code", "bivariate");
        /* R's read.csv is not always correctly rounded: the values agree to the last bit or two */
        same_num(&out, r, "value", &ref, r, "x", 1e-15, "bivariate");
        same_num(&out, r, "value2", &ref, r, "y", 1e-15, "bivariate");
        same_num(&out, r, "Ibv", &ref, r, "Ibv", TOL, "bivariate");
    }
    ref_csv_free(&out);
    run_csv(&out, "moran --indicator lbm_won --bivariate lbm_onv --level wijk --year 2016 --permutations 0");
    ASSERT_EQ_I(out.nrows, 1);
    same_num(&out, 0, "I", &ref, 0, "I_B", TOL, "bivariate global");
    ASSERT_EQ_I(ref_num(&out, 0, ref_col(&out, "n")), ref.nrows);
    ref_csv_free(&out);
    ref_csv_free(&ref);
}

/* The tables of docs/spacetime.md are what the commands print on these data. */
TEST(spacetime_lbm, docs_tables_are_the_program_output)
{
    import_lbm();
    ASSERT_EQ_I(wbt_doc_check("docs/spacetime.md", "w.db"), 4);
}
