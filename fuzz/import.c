/**
 * @file
 * @brief Fuzz target: whole tabular imports (import csv, kwb, lbm: src/io/import.c, kwb.c,
 * lbm.c, catalog.c) into an in-memory store that already holds data.
 *
 * Input: byte 0 chooses the importer and options (bits 0-1: csv, kwb, lbm, csv --long;
 * bit 2: --year 2019; bit 3: --decimal-comma; bit 4: --boundary-year 2016; bits 5-6: --level
 * none, gemeente, wijk, buurt; bit 7: the file is named kwb-2018.csv instead of input.csv);
 * the rest is the file. A NUL byte (never valid in a CSV file) ends the file: what follows
 * is written next to it as a StatLine codebook (input_DataProperties.json), which the kwb
 * importer picks up. The store starts from a baseline (areas of Amsterdam in 2016 and
 * 2019 with values, some missing) restored after every successful import.
 * Invariants:
 *  - on error: WB_EPARSE, WB_EINVALID or WB_ECONFLICT with a message naming the file (valid
 *    UTF-8), and the store is unchanged: a digest of every row of every table equals the
 *    baseline's;
 *  - on success:
 *    - every observation that is new or changed holds a value that some field of the file
 *      parses to (NULL only where a field is a missing marker): taken together, the new values
 *      are a sub-multiset of the file's parsed fields, so nothing is stored as 0 (or any other
 *      number) that the file did not say; no more of them than stats.values, no more NULLs
 *      than stats.missing;
 *    - every text in the store is valid UTF-8; every area code normalises to itself with its
 *      stored level, and its parent is the code's parent; years are within 1800..2200;
 *    - exactly one import_log row was added.
 */
#include <math.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "store/store_internal.h"
#include "wijkbeeld.h"

static wb_store *st;
static sqlite3 *snap; /* the baseline, for restoring after a successful import */
static uint64_t base_digest;
static int64_t base_log_rows;

/* ---------------------------------------------------------------- baseline */

static const char baseline_csv[] =
    "code;naam;jaar;a_inw;g_woz;p_koopw;lbm\n"
    "GM0363;Amsterdam;2016;834713;290;29,5;.\n"
    "WK036300;Burgwallen-Oude Zijde;2016;4200;.;20,1;0,12\n"
    "BU03630000;Kop Zeedijk;2016;1010;.;x;-0,05\n"
    "GM0363;Amsterdam;2019;862965;400;31;\n"
    "WK036300;Burgwallen-Oude Zijde;2019;4060;515;21,0;0,1\n"
    "BU03630000;Kop Zeedijk;2019;1030;450;.;0\n";

static void restore(void)
{
    sqlite3_backup *b = sqlite3_backup_init(wb_store__db(st), "main", snap, "main");
    WBF_CHECK(b && sqlite3_backup_step(b, -1) == SQLITE_DONE, "restoring the baseline: %s",
              sqlite3_errmsg(wb_store__db(st)));
    sqlite3_backup_finish(b);
    wb_store__cache_clear(st);
}

static void init(void)
{
    char path[600];
    wbf_write_file(wbf_tmp_path(path, sizeof path, "baseline.csv"), baseline_csv,
                   sizeof baseline_csv - 1);
    WBF_CHECK(wb_store_open(&st, ":memory:", WB_STORE_CREATE) == 0, "store");
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.decimal_comma = 1;
    WBF_CHECK(wb_import_csv(st, NULL, path, &o) == 0, "baseline import");
    WBF_CHECK(sqlite3_open(":memory:", &snap) == SQLITE_OK, "snapshot");
    sqlite3_backup *b = sqlite3_backup_init(snap, "main", wb_store__db(st), "main");
    WBF_CHECK(b && sqlite3_backup_step(b, -1) == SQLITE_DONE, "snapshot");
    sqlite3_backup_finish(b);
    base_digest = wbf_store_digest(wb_store__db(st), 1);
    base_log_rows = wbf_count_rows(wb_store__db(st), "import_log");
}

/* ---------------------------------------------------------------- value multisets */

typedef struct {
    double *v;
    size_t n, cap;
    size_t nnan;
} dbag;

static void bag_add(dbag *b, double x)
{
    if (isnan(x)) {
        b->nnan++;
        return;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->v = realloc(b->v, b->cap * sizeof *b->v);
        WBF_CHECK(b->v != NULL, "out of memory");
    }
    b->v[b->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 1 when @p sub is a sub-multiset of @p all (NaN counted apart; -0 equals 0). */
static int sub_bag(dbag *sub, dbag *all, double *missing)
{
    if (sub->nnan > all->nnan) {
        *missing = NAN;
        return 0;
    }
    if (sub->n)
        qsort(sub->v, sub->n, sizeof *sub->v, cmp_double);
    if (all->n)
        qsort(all->v, all->n, sizeof *all->v, cmp_double);
    size_t j = 0;
    for (size_t i = 0; i < sub->n; i++) {
        while (j < all->n && all->v[j] < sub->v[i])
            j++;
        if (j == all->n || all->v[j] != sub->v[i]) {
            *missing = sub->v[i];
            return 0;
        }
        j++;
    }
    return 1;
}

/* Every field of the file that parses as a number or a missing marker. */
static void file_values(dbag *out, const char *path, const wb_import_opts *o)
{
    wb_csv_opts co = WB_CSV_OPTS_INIT;
    co.delimiter = o->delimiter;
    co.decimal_comma = o->decimal_comma;
    wb_csv *c = NULL;
    WBF_CHECK(wb_csv_open(&c, path, &co) == 0, "the imported file does not open again");
    while (wb_csv_next(c) > 0) {
        for (size_t i = 0; i < wb_csv_ncols(c); i++) {
            size_t len;
            const char *f = wb_csv_field(c, i, &len);
            double v;
            if (wb_parse_number(&v, f, len, o->decimal_comma) >= 0)
                bag_add(out, v);
        }
    }
    wb_csv_free(c);
}

/* Observations that differ from the baseline snapshot (new keys or new values). */
static void changed_values(dbag *out)
{
    sqlite3 *db = wb_store__db(st);
    sqlite3_stmt *s = NULL;
    WBF_CHECK(sqlite3_exec(db, "ATTACH ':memory:' AS base", NULL, NULL, NULL) == SQLITE_OK,
              "attach: %s", sqlite3_errmsg(db));
    sqlite3_backup *b = sqlite3_backup_init(db, "base", snap, "main");
    WBF_CHECK(b && sqlite3_backup_step(b, -1) == SQLITE_DONE, "copy baseline");
    sqlite3_backup_finish(b);
    WBF_CHECK(sqlite3_prepare_v2(db,
                                 "SELECT o.value, o.year FROM main.observation o "
                                 "LEFT JOIN base.observation p ON p.indicator_id = o.indicator_id "
                                 "AND p.year = o.year AND p.area_id = o.area_id "
                                 "WHERE p.area_id IS NULL OR NOT (p.value IS o.value)",
                                 -1, &s, NULL) == SQLITE_OK,
              "%s", sqlite3_errmsg(db));
    while (sqlite3_step(s) == SQLITE_ROW) {
        int y = sqlite3_column_int(s, 1);
        WBF_CHECK(y >= 1800 && y <= 2200, "observation in year %d", y);
        bag_add(out, sqlite3_column_type(s, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 0));
    }
    sqlite3_finalize(s);
    WBF_CHECK(sqlite3_exec(db, "DETACH base", NULL, NULL, NULL) == SQLITE_OK, "detach: %s",
              sqlite3_errmsg(db));
}

static void check_areas(void)
{
    sqlite3_stmt *s = NULL;
    WBF_CHECK(sqlite3_prepare_v2(wb_store__db(st), "SELECT code, year, level, parent FROM area", -1,
                                 &s, NULL) == SQLITE_OK,
              "areas");
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(s, 0);
        int year = sqlite3_column_int(s, 1);
        const char *level = (const char *)sqlite3_column_text(s, 2);
        const char *parent = (const char *)sqlite3_column_text(s, 3);
        char norm[WB_CODE_MAX], par[WB_CODE_MAX];
        wb_level lv;
        WBF_CHECK(code && wb_code_normalize(norm, &lv, code, strlen(code), WB_LEVEL__MAX) == 0 &&
                      !strcmp(norm, code),
                  "area code '%s' is not normalised", code ? code : "(null)");
        WBF_CHECK(!strcmp(level, wb_level_name(lv)), "area %s has level %s", code, level);
        WBF_CHECK(year >= 1800 && year <= 2200, "area %s in year %d", code, year);
        if (wb_code_parent(par, code) == 0)
            WBF_CHECK(parent && !strcmp(parent, par), "area %s has parent %s", code,
                      parent ? parent : "(null)");
        else
            WBF_CHECK(!parent, "area %s has parent %s", code, parent);
    }
    sqlite3_finalize(s);
}

/* ---------------------------------------------------------------- the target */

WBF_TARGET(import)
{
    if (!st)
        init();
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    static const wb_level levels[4] = {WB_LEVEL__MAX, WB_LEVEL_GEMEENTE, WB_LEVEL_WIJK,
                                       WB_LEVEL_BUURT};
    int kind = opt & 3;
    o.long_format = kind == 3;
    o.year = (opt & 4) ? 2019 : 0;
    o.decimal_comma = (opt >> 3) & 1;
    o.boundary_year = (opt & 16) ? 2016 : 0;
    o.level = levels[(opt >> 5) & 3];
    const char *fname = (opt & 128) ? "kwb-2018.csv" : "input.csv";
    char path[600], cbpath[600];
    const uint8_t *nul = memchr(data + 1, 0, size - 1);
    size_t flen = nul ? (size_t)(nul - (data + 1)) : size - 1;
    wbf_write_file(wbf_tmp_path(path, sizeof path, fname), data + 1, flen);
    wbf_tmp_path(cbpath, sizeof cbpath, "input_DataProperties.json");
    if (nul)
        wbf_write_file(cbpath, nul + 1, size - 1 - flen - 1);

    wb_import_stats stats;
    int r = kind == 1   ? wb_import_kwb(st, &stats, path, &o)
            : kind == 2 ? wb_import_lbm(st, &stats, path, &o)
                        : wb_import_csv(st, &stats, path, &o);
    wbf_note(r);
    if (nul)
        unlink(cbpath);
    WBF_CHECK(!wb_store__in_tx(st), "a transaction left open");
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE || r == WB_EINVALID || r == WB_ECONFLICT, "returned %d", r);
        WBF_CHECK_ERROR(r, nul && kind == 1 && !strstr(wb_error_last()->message, fname)
                               ? "DataProperties.json" : fname, 0);
        uint64_t d = wbf_store_digest(wb_store__db(st), 0);
        if (d != base_digest) {
            restore();
            WBF_CHECK(0, "the store changed although the import failed");
        }
        return 0;
    }
    WBF_CHECK(r == 0, "returned %d", r);
    WBF_CHECK(stats.missing <= stats.values && stats.skipped <= stats.rows,
              "stats: %zu missing of %zu values, %zu skipped of %zu rows", stats.missing,
              stats.values, stats.skipped, stats.rows);
    WBF_CHECK(wbf_count_rows(wb_store__db(st), "import_log") == base_log_rows + 1,
              "not one import_log row");
    wbf_store_digest(wb_store__db(st), 1); /* every text UTF-8 */
    check_areas();

    dbag all = {0}, changed = {0};
    file_values(&all, path, &o);
    changed_values(&changed);
    WBF_CHECK(changed.n + changed.nnan <= stats.values && changed.nnan <= stats.missing,
              "%zu values changed (%zu missing), stats say %zu (%zu missing)",
              changed.n + changed.nnan, changed.nnan, stats.values, stats.missing);
    double bad = 0;
    int ok = sub_bag(&changed, &all, &bad);
    WBF_CHECK(ok, "the store holds %s%.17g that no field of the file gives",
              isnan(bad) ? "more missing values than the file has markers, e.g. " : "", bad);
    free(all.v);
    free(changed.v);
    restore();
    return 0;
}
