/**
 * @file
 * @brief `import lbm` on the real Leefbaarometer files of ../shared/data. Every expected value
 * is read from the file by the test itself (a plain comma split: these files have no quotes)
 * and compared value by value with what `export values` gives back; the counts in comments
 * are those of SOURCES.md.
 */
#include <stdlib.h>

#include "test.h"

#define LBM2 "leefbaarometer2_minorproject/"

/* A comma-separated file without quotes, split into rows of fields (test helper). */
typedef struct {
    char *text;
    char **cell; /* row-major, nrows * ncols */
    size_t nrows, ncols;
} table;

static table load(const char *path)
{
    table t = {0};
    t.text = wbt_slurp(path, NULL);
    ASSERT_MSG(t.text != NULL, "cannot read %s", path);
    size_t cap = 0;
    char *save = NULL;
    for (char *line = strtok_r(t.text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[len - 1] = 0;
        size_t n = 1;
        for (char *p = line; *p; p++)
            n += *p == ',';
        if (!t.ncols)
            t.ncols = n;
        ASSERT_EQ_I(n, t.ncols);
        if ((t.nrows + 1) * t.ncols > cap) {
            cap = cap ? cap * 2 : 1024 * t.ncols;
            t.cell = realloc(t.cell, cap * sizeof *t.cell);
            ASSERT(t.cell != NULL);
        }
        char *f = line;
        for (size_t k = 0; k < n; k++) {
            char *comma = strchr(f, ',');
            if (comma)
                *comma = 0;
            t.cell[t.nrows * t.ncols + k] = f;
            f = comma ? comma + 1 : f + strlen(f);
        }
        t.nrows++;
    }
    return t;
}

static const char *cell(const table *t, size_t row, const char *col)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (!strcmp(t->cell[k], col))
            return t->cell[row * t->ncols + k];
    wbt_fail(__FILE__, __LINE__, "no column %s", col);
}

static void unload(table *t)
{
    free(t->text);
    free(t->cell);
}

/* The rows of an `export values` CSV as a table (header code,year,value). */
static table export_values(const char *args)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db export values --format csv --with-missing %s", args);
    ASSERT_MSG(r.status == 0, "export failed: %s", r.err);
    const char *p = wbt_tmp("export.csv");
    wbt_write(p, r.out);
    wbt_run_free(&r);
    table t = load(p);
    ASSERT_EQ_S(t.cell[0], "code");
    ASSERT_EQ_S(t.cell[2], "value");
    return t;
}

/* Compare the file's values of one column (rows selected by @p keep) with the export:
 * same codes, same values bit for bit, missing stays missing. Returns the number of
 * non-missing values. */
static size_t compare(const table *file, const char *code_col, const char *val_col,
                      int (*keep)(const table *, size_t), const table *exp, size_t *nmissing)
{
    size_t nfile = 0, nvalues = 0, miss = 0;
    for (size_t i = 1; i < file->nrows; i++) {
        if (!keep(file, i))
            continue;
        nfile++;
        const char *code = cell(file, i, code_col), *v = cell(file, i, val_col);
        int is_missing = !*v || !strcmp(v, "#N/A");
        size_t k;
        for (k = 1; k < exp->nrows; k++)
            if (!strcmp(exp->cell[k * 3], code))
                break;
        ASSERT_MSG(k < exp->nrows, "%s is not in the export", code);
        const char *got = exp->cell[k * 3 + 2];
        if (is_missing) {
            ASSERT_MSG(!*got, "%s: missing in the file, exported as '%s'", code, got);
            miss++;
        } else {
            ASSERT_MSG(*got, "%s: %s in the file, missing in the export", code, v);
            ASSERT_MSG(strtod(got, NULL) == strtod(v, NULL), "%s: file %s, export %s", code, v, got);
            nvalues++;
        }
    }
    ASSERT_EQ_I(exp->nrows - 1, nfile); /* nothing more in the export either */
    if (nmissing)
        *nmissing = miss;
    return nvalues;
}

static int year2014(const table *t, size_t i)
{
    return !strcmp(cell(t, i, "JAAR"), "2014");
}

static int year2016(const table *t, size_t i)
{
    return !strcmp(cell(t, i, "JAAR"), "2016");
}

static wbt_run_result import_ok(const char *kind, const char *path)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db import %s '%s'", kind, path);
    ASSERT_MSG(r.status == 0, "import failed (%d): %s", r.status, r.err);
    return r;
}

/* The acceptance test of the issue. */
TEST(cli_import_lbm, wijk_2014_scores_come_back_exactly)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared(LBM2 "lbm2_wijk2016_dimensions_2012_2014_2016.csv"));
    wbt_run_result r = import_ok("lbm", path);
    /* 8,886 rows = 2,962 wijken x 3 years; 403 rows without scores x 6 columns missing */
    ASSERT(strstr(r.out, "8886 rows, 2962 areas (2962 new), 6 indicators (0 new), 53316 values, "
                         "2418 missing, 0 skipped; years 2012-2016; boundaries 2016") != NULL);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1);
    wbt_run_free(&r);

    /* exactly as asked: 2,814 rows, no missing ones, no zeros instead of missing */
    r = wbt_run(NULL, "--db t.db export values --indicator lbm --year 2014 --level wijk --format csv");
    ASSERT_EQ_I(r.status, 0);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 2814);
    ASSERT(strstr(r.err, "148 areas with a missing value left out") != NULL);
    wbt_run_free(&r);

    table file = load(path);
    table exp = export_values("--indicator lbm --year 2014 --level wijk");
    size_t missing;
    ASSERT_EQ_I(compare(&file, "GBD", "RLBRMTR", year2014, &exp, &missing), 2814);
    ASSERT_EQ_I(missing, 148);
    unload(&exp);
    /* the dimensions too, under their fixed keys */
    static const char *const dims[][2] = {{"lbm_won", "RLBWON"}, {"lbm_soc", "RLBBEV"},
                                          {"lbm_vrz", "RLBVRZ"}, {"lbm_onv", "RLBVEI"},
                                          {"lbm_fys", "RLBFYS"}};
    for (size_t d = 0; d < 5; d++) {
        char args[128];
        snprintf(args, sizeof args, "--indicator %s --year 2016", dims[d][0]);
        exp = export_values(args);
        compare(&file, "GBD", dims[d][1], year2016, &exp, NULL);
        unload(&exp);
    }
    unload(&file);
    /* all years on the 2016 boundaries: one area per wijk */
    r = wbt_run(NULL, "--db t.db areas --level wijk --format csv");
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 2962);
    wbt_run_free(&r);
}

TEST(cli_import_lbm, gemeente_file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared(LBM2 "lbm2_gemeente2016_dimensions_2012_2014_2016.csv"));
    wbt_run_result r = import_ok("lbm", path);
    /* 1,170 rows = 390 gemeenten x 3 years, no missing values */
    ASSERT(strstr(r.out, "1170 rows, 390 areas (390 new), 6 indicators (0 new), 7020 values, 0 missing") != NULL);
    wbt_run_free(&r);
    table file = load(path);
    table exp = export_values("--indicator lbm --year 2016 --level gemeente");
    ASSERT_EQ_I(compare(&file, "GBD", "RLBRMTR", year2016, &exp, NULL), 390);
    unload(&exp);
    unload(&file);
}

static int kl16(const table *t, size_t i)
{
    (void)t;
    (void)i;
    return 1;
}

TEST(cli_import_lbm, class_file_with_na_markers)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared(LBM2 "lbm2_wijk2016_classes_2002_2016.csv"));
    table file = load(path);
    size_t na = 0;
    for (size_t i = 1; i < file.nrows; i++)
        for (size_t k = 1; k < file.ncols; k++)
            na += !strcmp(file.cell[i * file.ncols + k], "#N/A");
    ASSERT_EQ_I(na, 2740); /* SOURCES.md */
    wbt_run_result r = import_ok("lbm", path);
    char want[160];
    /* 2,981 wijken x 15 columns (5 classes, 10 development classes) */
    snprintf(want, sizeof want, "2981 rows, 2981 areas (2981 new), 5 indicators (4 new), 44715 values, %zu missing", na);
    ASSERT_MSG(strstr(r.out, want) != NULL, "got %s", r.out);
    wbt_run_free(&r);
    static const char *const years[] = {"KL02", "KL08", "KL12", "KL14", "KL16"};
    for (size_t y = 0; y < 5; y++) {
        char args[64];
        snprintf(args, sizeof args, "--indicator lbm_klasse --year 20%s", years[y] + 2);
        table exp = export_values(args);
        compare(&file, "WK_CODE", years[y], kl16, &exp, NULL);
        unload(&exp);
    }
    table exp = export_values("--indicator lbm_vklasse_2008 --year 2016");
    compare(&file, "WK_CODE", "VKL0816", kl16, &exp, NULL);
    unload(&exp);
    unload(&file);
}

static int begin2012_end2016(const table *t, size_t i)
{
    return !strcmp(cell(t, i, "BEGIN"), "2012") && !strcmp(cell(t, i, "EINDE"), "2016");
}

TEST(cli_import_lbm, development_file_as_change_indicators)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared(LBM2 "lbm2_wijk2016_development_2012_2016.csv"));
    wbt_run_result r = import_ok("lbm", path);
    /* 8,886 rows; 452 rows without values x 6 columns */
    ASSERT(strstr(r.out, "8886 rows, 2962 areas (2962 new), 12 indicators (12 new), 53316 values, "
                         "2712 missing") != NULL);
    wbt_run_free(&r);
    table file = load(path);
    table exp = export_values("--indicator lbm_ontw_2012 --year 2016");
    compare(&file, "GBD", "DLBRMTR", begin2012_end2016, &exp, NULL);
    unload(&exp);
    exp = export_values("--indicator lbm_soc_ontw_2012 --year 2016");
    compare(&file, "GBD", "DLBBEV", begin2012_end2016, &exp, NULL);
    unload(&exp);
    unload(&file);
}

/* SOURCES.md: lbm - afw = 4.102265 in every row, afw = fys + onv + soc + vrz + won (1e-4). */
TEST(cli_import_lbm, lbm3_amstelveen_identities)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("lbm3_amstelveen/lbm3_amstelveen_wijk2022_2014_2022.csv"));
    wbt_run_result r = import_ok("lbm", path);
    /* 56 rows = 14 wijken x 4 years; 7 columns (lbm, afw and five dimensions) */
    ASSERT(strstr(r.out, "56 rows, 14 areas (14 new), 7 indicators (0 new), 392 values, 0 missing, "
                         "0 skipped; years 2014-2022; boundaries 2022") != NULL);
    wbt_run_free(&r);
    static const char *const keys[] = {"lbm_abs", "lbm", "lbm_fys", "lbm_onv", "lbm_soc", "lbm_vrz", "lbm_won"};
    table t[7];
    for (size_t k = 0; k < 7; k++) {
        char args[64];
        snprintf(args, sizeof args, "--indicator %s", keys[k]);
        t[k] = export_values(args);
        ASSERT_EQ_I(t[k].nrows, 57);
    }
    for (size_t i = 1; i < 57; i++) {
        double v[7];
        for (size_t k = 0; k < 7; k++) {
            ASSERT_EQ_S(t[k].cell[i * 3], t[0].cell[i * 3]); /* same code and year order */
            ASSERT_EQ_S(t[k].cell[i * 3 + 1], t[0].cell[i * 3 + 1]);
            v[k] = strtod(t[k].cell[i * 3 + 2], NULL);
        }
        ASSERT_CLOSE(v[0] - v[1], 4.102265, 1e-6);
        ASSERT_CLOSE(v[1], v[2] + v[3] + v[4] + v[5] + v[6], 1e-4);
    }
    for (size_t k = 0; k < 7; k++)
        unload(&t[k]);
    r = wbt_run(NULL, "--db t.db areas --year 2022 --format csv");
    ASSERT(strstr(r.out, "WK036201,2022,wijk,Randwijck,GM0362") != NULL);
    wbt_run_free(&r);
}

TEST(cli_import_lbm, year_and_boundary_options)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared(LBM2 "lbm2_wijk2016_dimensions_2012_2014_2016.csv"));
    wbt_run_result r = wbt_run(NULL, "--db t.db import lbm '%s' --year 2014 --boundary-year 2014", path);
    ASSERT_EQ_I(r.status, 0);
    /* 2,962 rows of 2014 x 6 columns; 148 of those rows are empty: 888 missing */
    ASSERT(strstr(r.out, "8886 rows, 2962 areas (2962 new), 6 indicators (0 new), 17772 values, 888 "
                         "missing, 5924 skipped; years 2014-2014; boundaries 2014") != NULL);
    wbt_run_free(&r);
}
