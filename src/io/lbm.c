/**
 * @file
 * @brief Import of Leefbaarometer scores (LBM 2.0 and 3.0 layouts) under the fixed keys
 * lbm, lbm_won, lbm_fys, lbm_vrz, lbm_soc, lbm_onv, lbm_klasse.
 *
 * Layouts (see io.h for the complete mapping):
 *  - LBM 2.0 "stand": GBD|WK_CODE, JAAR, RLBRMTR, RLBWON, RLBBEV, RLBVRZ, RLBVEI, RLBFYS
 *  - LBM 2.0 classes: WK_CODE, KL02..KL16 (class in 2002..2016), VKLaabb (development class
 *    between 20aa and 20bb: key lbm_vklasse_20aa, data year 20bb)
 *  - LBM 2.0 development: GBD, BEGIN, EINDE, DLBRMTR, DLBWON, ... (the change since BEGIN:
 *    key <key>_ontw_<BEGIN>, data year EINDE, e.g. lbm_ontw_2012 in 2014 and 2016)
 *  - LBM 3.0: id|gm_code|wk_code|bu_code, jaar|year, afw, won, fys, vrz, soc, onv, kscore,
 *    kwon ..., and lbm = the absolute score (lbm_abs)
 * Any other column (except names, codes and a row index) is refused: this importer is for
 * Leefbaarometer files; use `import csv` for other data.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/import_internal.h"
#include "wijkbeeld/errors.h"

/* LBM 2.0 dimension columns (also the DLB* development columns after their first letter). */
static const struct {
    const char *col; /* without the leading R / D */
    const char *key;
} lbm2[] = {{"LBRMTR", "lbm"},  {"LBWON", "lbm_won"}, {"LBBEV", "lbm_soc"},
            {"LBVRZ", "lbm_vrz"}, {"LBVEI", "lbm_onv"}, {"LBFYS", "lbm_fys"}};

/* LBM 3.0 short names. "lbm" is handled apart (absolute score). */
static const struct {
    const char *col;
    const char *key;
} lbm3[] = {{"afw", "lbm"},           {"won", "lbm_won"},           {"fys", "lbm_fys"},
            {"vrz", "lbm_vrz"},       {"soc", "lbm_soc"},           {"onv", "lbm_onv"},
            {"kscore", "lbm_klasse"}, {"kwon", "lbm_won_klasse"},   {"kfys", "lbm_fys_klasse"},
            {"kvrz", "lbm_vrz_klasse"}, {"ksoc", "lbm_soc_klasse"}, {"konv", "lbm_onv_klasse"}};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const year_cols[] = {"jaar", "year", "einde", NULL};

/* "KL16" -> 2016; "VKL0816" -> from 2008 to 2016. */
static int two_digit_years(const char *s, size_t ndig, int *y)
{
    for (size_t i = 0; i < ndig; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    if (s[ndig])
        return 0;
    for (size_t i = 0; i < ndig / 2; i++)
        y[i] = 2000 + (s[2 * i] - '0') * 10 + (s[2 * i + 1] - '0');
    return 1;
}

static int fixed_key(wb_importer *imp, size_t i, const char *key, int year)
{
    int64_t id;
    int r = wb_imp__indicator(imp, &id, key, NULL, NULL);
    if (r < 0)
        return r;
    imp->cols[i].year = year;
    return wb_imp__set_value(imp, i, id, key);
}

static int classify_lbm(wb_importer *imp)
{
    wb_csv *c = imp->csv;
    const wb_import_opts *o = imp->o;
    int r;
    if ((r = wb_imp__find_key(imp)) < 0)
        return r;
    imp->cols[imp->key_col].role = COL_KEY;
    imp->year_col = wb_imp__find_any(c, year_cols);
    static const char *const begin_cols[] = {"begin", NULL};
    imp->begin_col = wb_imp__find_any(c, begin_cols);
    imp->name_col = wb_imp__find_name(imp);
    if (imp->year_col >= 0)
        imp->cols[imp->year_col].role = COL_YEAR;
    if (imp->begin_col >= 0)
        imp->cols[imp->begin_col].role = COL_BEGIN;
    if (imp->name_col >= 0)
        imp->cols[imp->name_col].role = COL_NAME;
    int is_lbm3 = 0;
    for (size_t k = 0; k < N(lbm3); k++)
        is_lbm3 |= wb_csv_find(c, lbm3[k].col) >= 0;

    int max_col_year = 0, nlbm = 0;
    for (size_t i = 0; i < imp->ncols; i++) {
        wb_colspec *col = &imp->cols[i];
        if (col->role != COL_IGNORE || (long)i == imp->key_col)
            continue;
        const char *h = wb_csv_header(c, i);
        if (wb_imp__skipped_by_option(imp, h) || wb_imp__is_row_index(h) || wb_imp__is_descriptive(h))
            continue;
        int years[2];
        const char *key = NULL;
        if ((h[0] == 'R' || h[0] == 'r') && imp->begin_col < 0) {
            for (size_t k = 0; k < N(lbm2); k++)
                if (!strcasecmp(h + 1, lbm2[k].col))
                    key = lbm2[k].key;
        } else if ((h[0] == 'D' || h[0] == 'd') && imp->begin_col >= 0) {
            for (size_t k = 0; k < N(lbm2); k++)
                if (!strcasecmp(h + 1, lbm2[k].col)) {
                    col->role = COL_PERIOD;
                    snprintf(col->key, sizeof col->key, "%s", lbm2[k].key);
                    nlbm++;
                    key = "";
                }
            if (key)
                continue;
        }
        if (!key && is_lbm3) {
            for (size_t k = 0; k < N(lbm3); k++)
                if (!strcasecmp(h, lbm3[k].col))
                    key = lbm3[k].key;
            if (!strcasecmp(h, "lbm"))
                key = "lbm_abs"; /* LBM 3.0 files: lbm is the absolute score, afw the deviation */
        }
        if (!key && !is_lbm3 && !strcasecmp(h, "lbm"))
            key = "lbm";
        if (key) {
            if ((r = fixed_key(imp, i, key, 0)) < 0)
                return r;
            nlbm++;
            continue;
        }
        if (!strncasecmp(h, "KL", 2) && two_digit_years(h + 2, 2, years)) {
            if (o->year && years[0] != o->year)
                continue;
            if ((r = fixed_key(imp, i, "lbm_klasse", years[0])) < 0)
                return r;
            if (years[0] > max_col_year)
                max_col_year = years[0];
            nlbm++;
            continue;
        }
        if (!strncasecmp(h, "VKL", 3) && two_digit_years(h + 3, 4, years) && years[0] < years[1]) {
            if (o->year && years[1] != o->year)
                continue;
            char vkey[64], label[128];
            snprintf(vkey, sizeof vkey, "lbm_vklasse_%d", years[0]);
            snprintf(label, sizeof label,
                     "Leefbaarometer: ontwikkelingsklasse sinds %d (1-7, 4 = geen significante "
                     "verandering)",
                     years[0]);
            int64_t id;
            if ((r = wb_imp__indicator(imp, &id, vkey, label, "klasse 1-7")) < 0)
                return r;
            col->year = years[1];
            if ((r = wb_imp__set_value(imp, i, id, vkey)) < 0)
                return r;
            if (years[1] > max_col_year)
                max_col_year = years[1];
            nlbm++;
            continue;
        }
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:1: column %zu '%s': expected a Leefbaarometer column (RLBRMTR RLBWON RLBBEV "
                     "RLBVRZ RLBVEI RLBFYS, KLyy, VKLyyyy, DLB..., or afw won fys vrz soc onv "
                     "kscore ...); use 'import csv' for other data or --skip",
                     wb_csv_name(c), i + 1, h);
        return WB_EINVALID;
    }
    if (imp->begin_col >= 0 && imp->year_col < 0) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected an EINDE column next to BEGIN", wb_csv_name(c));
        return WB_EINVALID;
    }
    (void)nlbm;
    /* Boundaries: the Leefbaarometer publishes its back-series on the boundaries of its
     * latest measurement, so the default is the latest year in the file. */
    if (!imp->boundary_year) {
        int maxy = max_col_year;
        if (imp->year_col >= 0 && !strcmp(imp->path, "-")) {
            wb_error_set(WB_ERRCLASS_ARG, "reading standard input: give --boundary-year (the "
                         "default, the latest year in the file, needs a second pass over it)");
            return WB_EINVALID;
        }
        if (imp->year_col >= 0) {
            int y;
            if ((r = wb_imp__max_year(&y, imp, year_cols)) < 0)
                return r;
            if (y > maxy)
                maxy = y;
        }
        imp->boundary_year = maxy;
        if (maxy)
            snprintf(imp->note, sizeof imp->note,
                     "boundary year %d = the latest year in the file (Leefbaarometer back-series "
                     "are on the boundaries of the latest measurement; --boundary-year overrides)",
                     maxy);
    }
    return 0;
}

int wb_import_lbm(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o)
{
    static const wb_import_profile pf = {"lbm", "Leefbaarometer (BZK/RIGO)", classify_lbm, 0};
    return wb_imp__run(st, stats, path, o, &pf);
}
