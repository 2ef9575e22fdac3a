/**
 * @file
 * @brief The engine shared by the tabular importers (csv, kwb, lbm): column roles, the row
 * loop, areas, duplicate detection, the transaction. Library-internal.
 */
#ifndef WB_IO_IMPORT_INTERNAL_H
#define WB_IO_IMPORT_INTERNAL_H

#include <stdint.h>

#include "wijkbeeld/io.h"

/** What a column holds. */
typedef enum {
    COL_IGNORE = 0, /* not imported: names of other levels, row numbers, postcodes ... */
    COL_KEY,        /* the area code */
    COL_YEAR,       /* the data year of the row (LBM development: EINDE) */
    COL_NAME,       /* the area's name */
    COL_LEVEL,      /* a level column (GM/WK/BU, Gemeente/Wijk/Buurt): checked against the code */
    COL_VALUE,      /* values of one indicator */
    COL_PERIOD,     /* LBM development: change since the row's BEGIN year, key <base>_ontw_<BEGIN> */
    COL_BEGIN,      /* LBM development: the BEGIN year */
    COL_LONG_IND,   /* long format: the indicator name */
    COL_LONG_VALUE, /* long format: the value */
    COL__MAX
} wb_col_role;

#define WB_MAX_PERIODS 16

typedef struct {
    wb_col_role role;
    int64_t ind;    /* COL_VALUE: indicator row id */
    int year;       /* COL_VALUE: fixed data year of the column (LBM KLyy), 0: the row's */
    char key[64];   /* COL_VALUE: indicator key; COL_PERIOD: the base key */
    struct {
        int begin;
        int64_t id;
    } per[WB_MAX_PERIODS]; /* COL_PERIOD: indicators by BEGIN year, made when first seen */
    int nper;
} wb_colspec;

typedef struct wb_importer wb_importer;

/** Per-importer behaviour. */
typedef struct {
    const char *kind;           /* "csv", "kwb", "lbm" (import log, messages) */
    const char *default_source; /* source of new indicators */
    /* Give every column a role (imp->cols[i]); may create indicators. */
    int (*classify)(wb_importer *imp);
    /* 1: CBS's own missing markers count as missing too: the text NaN (kwb-YYYY CSV) and the
     * negative codes of the Wijk- en Buurtkaart (wb_imp__cbs_missing_code) */
    int cbs_missing;
} wb_import_profile;

/** What a reader tells the import about its file. */
typedef struct {
    char note[200]; /* a remark for the summary ("" when none): a paged OData file ... */
} wb_table_info;

/** Opens the table of an import (and again, for the second passes of an import). */
typedef int (*wb_table_open_fn)(wb_csv **out, const char *path, const wb_import_opts *o,
                                wb_table_info *info, void *ctx);

struct wb_importer {
    wb_store *st;
    wb_csv *csv;
    const char *path;
    const wb_import_opts *o;
    const wb_import_profile *pf;
    wb_colspec *cols;
    size_t ncols;
    long key_col, year_col, name_col, level_col, begin_col, ind_col, val_col;
    int boundary_year;     /* fixed boundary year, 0: the data year of each row */
    int default_year;      /* data year when there is no year column, 0: none */
    wb_import_stats *stats;
    wb_table_open_fn open; /* how the table is opened (wb_imp__open_table by default) */
    void *open_ctx;
    /* codebook (KWB): StatLine Key -> title and unit */
    struct wb_codebook *codebook;
    /* indicators with data (for the stats) */
    int64_t *inds_seen;
    size_t ninds_seen, capinds_seen;
    char note[256];
};

/* ---- column helpers (import.c) ---- */

/** Index of the first header equal to one of @p names (ASCII case-insensitive), or -1. */
long wb_imp__find_any(const wb_csv *c, const char *const *names);

/** Find the area code column: o->key_column, else the usual names. Sets the error. */
int wb_imp__find_key(wb_importer *imp);

/** 1 when a header is a row index (empty, only digits, "Unnamed: 0", "rownames"). */
int wb_imp__is_row_index(const char *h);

/** 1 when the column is named in o->skip_columns. */
int wb_imp__skipped_by_option(const wb_importer *imp, const char *h);

/**
 * Resolve a header to an indicator, creating it when unknown (sanitised key, @p label or the
 * header as label, @p unit). Sets cols[i] to COL_VALUE.
 */
int wb_imp__value_column(wb_importer *imp, size_t i, const char *label, const char *unit);

/** Make column @p i a value column of indicator @p id (checks that no other column has it). */
int wb_imp__set_value(wb_importer *imp, size_t i, int64_t id, const char *key);

/** 1 for columns that describe an area or record (names, other codes, postcodes, flags). */
int wb_imp__is_descriptive(const char *h);

/** Find the area name column (generic names, then the one matching the key: wk_code -> wk_naam). */
long wb_imp__find_name(const wb_importer *imp);

/** The indicator of a fixed key from the catalogue (seeded) or created with these labels. */
int wb_imp__indicator(wb_importer *imp, int64_t *id, const char *key, const char *label_nl,
                      const char *unit);

/** Run an import with a profile: open, transaction, classify, rows, commit. */
int wb_imp__run(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o,
                const wb_import_profile *pf);

/** The options to use (@p o, or the defaults when NULL); points *stats at @p local when it is
 *  NULL and zeroes it. */
const wb_import_opts *wb_imp__defaults(const wb_import_opts *o, wb_import_stats **stats,
                                      wb_import_stats *local);

/** As wb_imp__run, with the table opened by @p open (called with @p ctx). */
int wb_imp__run_with(wb_store *st, wb_import_stats *stats, const char *path,
                     const wb_import_opts *o, const wb_import_profile *pf, wb_table_open_fn open,
                     void *ctx);

/** The latest year found in the columns @p col_names of the import's file (0 when none); a
 *  cheap pre-pass. */
int wb_imp__max_year(int *out, const wb_importer *imp, const char *const *col_names);

/** 1 when a header names an area code column (code, gwb_code_10, BU_CODE, Regiocode...). */
int wb_imp__is_key_name(const char *h);

/** 1 for CBS's negative codes of secret or missing figures in the Wijk- en Buurtkaart:
 *  -99999999 .. -99999990 and -99999 .. -99990. */
int wb_imp__cbs_missing_code(double v);

/* ---- the default opener (sources.c; the readers: rows_internal.h) ---- */

/**
 * The default opener: CSV text, a spreadsheet (.xlsx, .xls, .ods, read through GDAL/OGR) or
 * StatLine OData JSON (TypedDataSet), told apart by the first bytes of the file; standard
 * input ("-") is CSV. A GeoPackage is refused with advice (`import kwb` reads the CBS map).
 * @p ctx is unused.
 */
int wb_imp__open_table(wb_csv **out, const char *path, const wb_import_opts *o,
                       wb_table_info *info, void *ctx);

/* ---- KWB (kwb.c, kwbmap.c) ---- */

/** The year in a file name: "kwb-2019.csv", "kwb2024_85984NED...", "wijkenbuurten_2023_v1";
 *  0 when there is none. */
int wb_kwb__year_from_name(const char *path);

/** Import the CBS Wijk- en Buurtkaart GeoPackage (kwbmap.c) with the KWB profile. */
int wb_kwbmap__import(wb_store *st, wb_import_stats *stats, const char *path,
                      const wb_import_opts *o, const wb_import_profile *pf);

/** 1 when the file starts as an SQLite database (a GeoPackage), else 0. */
int wb_imp__is_sqlite(const char *path);

/* ---- codebook (kwb.c) ---- */
typedef struct wb_codebook wb_codebook;
void wb_codebook__free(wb_codebook *cb);
/** Title and unit of a StatLine key ("AantalInwoners_5"), or NULL. */
int wb_codebook__lookup(const wb_codebook *cb, const char *key, const char **title, const char **unit);

#endif
