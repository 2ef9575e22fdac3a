/**
 * @file
 * @brief Reading tabular files: a streaming CSV reader, the built-in indicator catalogue, and
 * the importers of CBS Kerncijfers Wijken en Buurten (KWB), Leefbaarometer (LBM), generic
 * area-keyed CSV tables and label sets.
 *
 * The CSV reader streams (memory stays bounded by the longest record, never the file). It
 * accepts RFC 4180 files: a header line, fields separated by ',' ';' or tab (sniffed from the
 * header line outside quotes, or given), fields optionally in double quotes with doubled
 * quotes inside and line breaks allowed in quotes, LF or CRLF line ends, an optional UTF-8
 * byte order mark. Input must be UTF-8: any other byte sequence (Windows-1252, UTF-16, NUL
 * bytes) is rejected with file:line:column, because guessing an encoding silently garbles
 * names; convert with `iconv -f WINDOWS-1252 -t UTF-8` first. Completely empty lines are
 * skipped. Every record must have as many fields as the header.
 *
 * Every error message names the file, the line (and column where known) and what was
 * expected: "x.csv:12:7: expected a number ..., got 'abc'".
 *
 * Importers run in one store transaction (their own, or the caller's when one is open): on
 * any error nothing is written.
 */
#ifndef WIJKBEELD_IO_H
#define WIJKBEELD_IO_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ CSV reader */

/** A CSV file being read. Opaque. */
typedef struct wb_csv wb_csv;

/** Options of wb_csv_open. */
typedef struct {
    int version;       /**< 1 */
    char delimiter;    /**< ',' ';' '\\t' (or any byte but '"', CR, LF); 0: sniff from the header */
    int decimal_comma; /**< 1: numbers use a decimal comma ("12,5"); a '.' is then rejected */
    const char *name;  /**< name used in messages (default: the path, or "input") */
} wb_csv_opts;

#define WB_CSV_OPTS_INIT {1, 0, 0, NULL}

/** Header cells become indicator labels and aliases: longer ones are refused (file:1:col). */
#define WB_CSV_MAX_HEADER_BYTES 256
/** Columns of a CSV file at most (each may become an indicator). */
#define WB_CSV_MAX_COLUMNS 4096

/**
 * Open a file and read its header line.
 * @param out  OUT: free with wb_csv_free
 * @param path the file
 * @param o    options, or NULL for WB_CSV_OPTS_INIT
 * @return 0; WB_ENOTFOUND when the file does not exist, WB_EIO when it cannot be read,
 *         WB_EPARSE when the header is malformed or empty (message with file:line:column).
 */
int wb_csv_open(wb_csv **out, const char *path, const wb_csv_opts *o);

/**
 * As wb_csv_open, reading from memory. @p data must stay valid until wb_csv_free.
 */
int wb_csv_open_buffer(wb_csv **out, const char *data, size_t len, const wb_csv_opts *o);

/** Close and free. Accepts NULL. */
void wb_csv_free(wb_csv *c);

/** Number of columns of the header. */
size_t wb_csv_ncols(const wb_csv *c);

/** Header name of column @p i (surrounding spaces removed). Borrowed. */
const char *wb_csv_header(const wb_csv *c, size_t i);

/** Index of the first column whose name equals @p name (ASCII case-insensitive), or -1. */
long wb_csv_find(const wb_csv *c, const char *name);

/** The delimiter in use (given or sniffed). */
char wb_csv_delimiter(const wb_csv *c);

/** The name used in messages. Borrowed. */
const char *wb_csv_name(const wb_csv *c);

/**
 * Read the next record.
 * @return 1 when a record was read, 0 at the end of the file, or a negative error:
 *         WB_EPARSE for malformed input (a field count different from the header, an
 *         unterminated quote at the end of the file, text after a closing quote, invalid
 *         UTF-8), WB_EIO for a read error.
 */
int wb_csv_next(wb_csv *c);

/**
 * Field @p i of the current record: the unquoted text, NUL-terminated (it contains no NUL).
 * Borrowed until the next wb_csv_next.
 * @param len OUT: its length in bytes (may be NULL)
 */
const char *wb_csv_field(const wb_csv *c, size_t i, size_t *len);

/** Line (1-based) on which the current record starts. */
size_t wb_csv_line(const wb_csv *c);

/** Line and column (1-based, in characters) where field @p i of the current record starts. */
void wb_csv_pos(const wb_csv *c, size_t i, size_t *line, size_t *col);

/** Bytes consumed so far and the input size (0 when unknown), for progress reports. */
void wb_csv_progress(const wb_csv *c, uint64_t *done, uint64_t *total);

/**
 * Field @p i as a number (see wb_parse_number).
 * @param out OUT: the value; NaN when the field is a missing-value marker
 * @return 0 for a number, 1 for a missing value, WB_EPARSE with "file:line:col: column 'X':
 *         expected a number ..., got '...'" otherwise.
 */
int wb_csv_number(const wb_csv *c, size_t i, double *out);

/**
 * Field @p i as a CBS area code (see wb_code_normalize).
 * @return 0, or WB_EPARSE with file:line:col and what was expected.
 */
int wb_csv_code(const wb_csv *c, size_t i, char out[WB_CODE_MAX], wb_level *level, wb_level hint);

/**
 * 1 when @p s (length @p len, surrounding spaces ignored) is a missing-value marker: empty,
 * ".", "x", "X", "-", "?", "#N/A", "NA", "N/A" (CBS StatLine, Excel and R conventions).
 */
int wb_is_missing(const char *s, size_t len);

/**
 * Parse a number strictly: surrounding spaces are ignored; then an optional sign, digits with
 * at most one decimal separator ('.' or, with @p decimal_comma, ','), and an optional exponent.
 * Rejects trailing text, thousands separators, hexadecimal, NaN and infinities, and values
 * that overflow a double.
 * @param out OUT: the value; NaN for a missing-value marker (wb_is_missing)
 * @return 0 for a number, 1 for a missing value, WB_EINVALID otherwise (message: what was
 *         expected, without a position).
 */
int wb_parse_number(double *out, const char *s, size_t len, int decimal_comma);

/**
 * Parse a data year: "2019", or a StatLine period "2019JJ00" (a whole year). Surrounding
 * spaces are ignored. @return 0, or WB_EINVALID for anything else or a year outside 1800..2200.
 */
int wb_parse_year(int *out, const char *s, size_t len);

/* ================================================================ indicator catalogue */

/** One built-in indicator. Aliases are separated by '|'. */
typedef struct {
    const char *key;
    const char *label_nl;
    const char *label_en;
    const char *unit;
    int direction;         /**< a wb_direction */
    const char *dimension; /**< one of wb_catalog_dimensions() ("wonen", "bewoners",
                                "voorzieningen", "veiligheid", "fysiek", "duurzaamheid"),
                                or NULL */
    const char *source;
    const char *aliases;   /**< '|'-separated names under which the value was published */
} wb_catalog_entry;

/** The built-in catalogue (static, @p n entries). docs/indicators.md lists it
 *  (`wijkbeeld indicators --builtin`). */
const wb_catalog_entry *wb_catalog(size_t *n);

/** One dimension of the shared vocabulary: catalogue entries, the demo and the score models
 *  (the NAME of a model's [dimension NAME] section) use these keys. */
typedef struct {
    const char *key;      /**< "wonen", "bewoners", ... */
    const char *label_nl;
    const char *label_en;
} wb_catalog_dimension;

/** The dimension vocabulary (static, @p n entries). */
const wb_catalog_dimension *wb_catalog_dimensions(size_t *n);

/** The built-in entry of @p key (exact key, not an alias), or NULL. Static storage. */
const wb_catalog_entry *wb_catalog_find(const char *key);

/**
 * The store's indicator @p key; when the store does not have it yet, the built-in entry
 * (with its aliases) is added first. An existing entry is left as it is.
 * @param id OUT: indicator row id (may be NULL)
 * @return 0; WB_ENOTFOUND when @p key is neither in the store nor built in; WB_ESTORE.
 */
int wb_catalog_ensure(wb_store *st, int64_t *id, const char *key);

/**
 * Write the built-in catalogue (indicators and aliases) into a store. Idempotent: existing
 * entries are updated only where they differ. Use inside a transaction.
 */
int wb_catalog_seed(wb_store *st);

/**
 * Resolve a column header to an indicator of the store: as key or alias (case-insensitive),
 * then without a trailing unit in parentheses ("Aantal inwoners (aantal)"), then as a
 * StatLine key without its numeric suffix ("AantalInwoners_5" -> "AantalInwoners"), then as
 * its sanitised key (wb_key_sanitize).
 * @param id  OUT: indicator row id
 * @param key OUT: canonical key (64 bytes; may be NULL)
 * @return 0 or WB_ENOTFOUND (no message set on WB_ENOTFOUND)
 */
int wb_catalog_resolve(wb_store *st, int64_t *id, char key[64], const char *header);

/**
 * A key for a new indicator from a column header: ASCII lower case, CamelCase split with '_'
 * ("NieuwbouwWoningen_36" -> "nieuwbouw_woningen"; a StatLine numeric suffix is dropped),
 * accents folded, any other character run replaced by '_', a unit in parentheses at the end
 * dropped, prefixed with "c_" when it would start with a digit; at most 63 bytes.
 * @return 0, or WB_EINVALID when nothing usable remains.
 */
int wb_key_sanitize(char out[64], const char *header);

/* ================================================================ importers */

/** Options shared by the importers; fields at their _INIT value mean "not given". */
typedef struct {
    int version;               /**< 1 */
    const char *key_column;    /**< the area code column (default: found by name) */
    int year;                  /**< data year; with a year column: import only that year */
    int boundary_year;         /**< boundary year of the areas (default: see each importer) */
    wb_level level;            /**< level of bare numeric codes; rows of other levels are
                                    skipped. WB_LEVEL__MAX: any */
    char delimiter;            /**< 0: sniff */
    int decimal_comma;         /**< numbers with a decimal comma */
    int long_format;           /**< 1: columns code, indicator, value [, year]; 0: detect */
    const char *codebook;      /**< KWB: a StatLine DataProperties.json (default: one found
                                    next to the file) */
    const char *source;        /**< source text for new indicators (default per importer) */
    const char *skip_columns;  /**< comma-separated column names not to import, or NULL */
    wb_progress_fn progress;   /**< called every few thousand rows, or NULL */
    void *progress_payload;
} wb_import_opts;

#define WB_IMPORT_OPTS_INIT {1, NULL, 0, 0, WB_LEVEL__MAX, 0, 0, 0, NULL, NULL, NULL, NULL, NULL}

/** What an import did. */
typedef struct {
    size_t rows;           /**< data records read */
    size_t areas;          /**< distinct areas with data */
    size_t new_areas;      /**< of which created by this import */
    size_t indicators;     /**< distinct indicators with data */
    size_t new_indicators; /**< of which created by this import */
    size_t values;         /**< observations written (including missing ones) */
    size_t missing;        /**< of which missing (stored as NULL, never 0) */
    size_t missing_codes;  /**< of the missing: CBS's negative codes for secret or missing
                                figures (-99999999, -99997 ...: import kwb) */
    size_t skipped;        /**< records skipped by --year / --level filters */
    size_t ignored_cols;   /**< columns not imported (names, row numbers, codes) */
    int min_year, max_year;/**< range of data years written (0 when none) */
    int boundary_year;     /**< boundary year used when one for the whole file, else 0 */
    char note[256];        /**< a remark for the summary ("" when none) */
} wb_import_stats;

/**
 * Import an area-keyed table (wide: one column per indicator; or long: code, indicator,
 * value [, year]). Key column by name (code, gwb_code, GBD, WK_CODE, BU_CODE, GM_CODE, id,
 * Regiocode ...) or o->key_column; data year from o->year or a year column (Perioden, JAAR,
 * jaar, year). Known column names map to catalogue keys through the aliases; other numeric
 * columns become new indicators (sanitised key, the header as label). Boundary year: o->
 * boundary_year, default the data year.
 * @param stats OUT: counts (may be NULL)
 * @return 0; WB_ENOTFOUND (no such file), WB_EPARSE (malformed file: file:line:col),
 *         WB_ECONFLICT (the same area and year twice: both lines), WB_EINVALID (bad options,
 *         no key column, a boundary crosswalk), WB_ESTORE.
 */
int wb_import_csv(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o);

/**
 * Import CBS Kerncijfers Wijken en Buurten: a StatLine CSV download ("Perioden";"Wijken en
 * buurten";"Regiocode (gemeente, wijk, buurt) (code)";...), a StatLine typed-data extract
 * (gwb_code, AantalInwoners_5, ...) as CSV or as saved OData JSON (TypedDataSet), or a
 * kwb-YYYY table (gwb_code_10, regio, gm_naam, recs, a_inw, ...) as CSV, XLSX or XLS (read
 * through GDAL/OGR; the kind of file is told by its first bytes). Areas get their names from
 * regio / "Wijken en buurten". Labels and units of new indicators come from the StatLine
 * codebook (DataProperties.json) when one is given or lies next to the file (one found there
 * whose MapYear contradicts the year in the file name is not used). Data year: o->year, the
 * Perioden column, the codebook's MapYear, or "kwb-YYYY"/"kwbYYYY" in the file name. Boundary
 * year default: the data year. Besides the usual markers, the text NaN and CBS's negative
 * codes for secret or missing figures (-99999999 .. -99999990, -99999 .. -99990) are missing.
 *
 * A GeoPackage is read as the CBS Wijk- en Buurtkaart (wijkenbuurten_YYYY_vN.gpkg): the
 * polygons of its gemeente, wijk and buurt layers (codes from GM_CODE, WK_CODE, BU_CODE or
 * gemeentecode ...) and the kerncijfers among their attributes, in one transaction; features
 * with WATER = JA or B are left out (polygons and values). Year: o->year or the file name.
 */
int wb_import_kwb(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o);

/**
 * Import Leefbaarometer scores.
 *  - LBM 2.0 (GBD or WK_CODE, JAAR, RLBRMTR, RLBWON, RLBBEV, RLBVRZ, RLBVEI, RLBFYS):
 *    keys lbm, lbm_won, lbm_soc (RLBBEV), lbm_vrz, lbm_onv (RLBVEI), lbm_fys.
 *  - LBM 2.0 classes (KL02..KL16 = lbm_klasse in 2002..2016; VKLaabb = development class
 *    from 20aa to 20bb, key lbm_vklasse_20aa with data year 20bb).
 *  - LBM 2.0 development (BEGIN, EINDE, DLBRMTR, DLBWON, ...): the change since BEGIN,
 *    key <key>_ontw_<BEGIN> (lbm_ontw_2012, lbm_won_ontw_2012, ...) with data year EINDE.
 *  - LBM 3.0 (id | gm_code | wk_code | bu_code, jaar | year, afw, won, fys, vrz, soc, onv,
 *    kscore, kwon, kfys, kvrz, ksoc, konv, lbm): afw -> lbm, won -> lbm_won, ...,
 *    kscore -> lbm_klasse, kwon -> lbm_won_klasse, ..., and a column lbm (the absolute
 *    score, ~4.1) -> lbm_abs. A column headed by a bare number (a row index) is ignored.
 * Boundary year default: the latest data year in the file, because the Leefbaarometer
 * publishes its back-series on the boundaries of its latest measurement (LBM 2.0 meting 2016:
 * 2002-2016 on 2016 wijken). o->boundary_year overrides it.
 */
int wb_import_lbm(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o);

/**
 * Import registered crime as the police publish it through CBS: StatLine 47018NED
 * (Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers) as the typed CSV or
 * the saved OData JSON (TypedDataSet): columns SoortMisdrijf (a code such as "1.1.1", padded;
 * or its title), WijkenEnBuurten (codes, padded), Perioden ("2023JJ00") and
 * GeregistreerdeMisdrijven_1 (the count). Stored per area and data year: one indicator per
 * crime family, the sum of its crime types (misdr_totaal = 0.0.0, misdr_vermogen,
 * misdr_geweld, misdr_vernieling; the codes of each are listed in docs/import.md), written only
 * when the file holds every crime type of the family; a family with a missing count in an
 * area and year is missing there. And the same per 1,000 inhabitants (misdr_*_p1000), computed
 * at import from the a_inw of the same area and data year in the store (missing where there
 * is none). o->codebook: the SoortMisdrijf dimension JSON (Key, Title), for files that give
 * titles instead of codes (default: a *SoortMisdrijf*.json next to the file). Boundary year
 * default: the data year.
 * @return as wb_import_csv; WB_ECONFLICT for a second row of one area, year and crime type;
 *         WB_EINVALID when the file has no complete family.
 */
int wb_import_crime(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o);

/** How one row of a label file was matched. */
typedef enum {
    WB_MATCH_CODE = 0,  /**< by area code */
    WB_MATCH_NAME,      /**< by name within the gemeente */
    WB_MATCH_FILE,      /**< through the --match file */
    WB_MATCH_NONE,      /**< nothing found */
    WB_MATCH_AMBIGUOUS, /**< several areas have that name */
    WB_MATCH_EXCLUDED,  /**< the match file has it, with a quality not accepted */
    WB_MATCH__MAX
} wb_match_kind;

/** One row of a label file and the area(s) it matched. */
typedef struct {
    size_t line;
    char *input;          /**< the code or name as written */
    char gemeente[WB_CODE_MAX]; /**< gemeente code given, or "" */
    wb_match_kind kind;
    char code[WB_CODE_MAX]; /**< matched code (first one when several through --match) */
    char *name;           /**< matched area's name, or candidates when ambiguous; may be NULL */
    size_t nareas;        /**< areas added for this row */
    char *quality;        /**< the match file's quality of this row ("exact" ...), or NULL */
} wb_label_match;

/** Options of wb_import_labels. */
typedef struct {
    int version;              /**< 1 */
    int year;                 /**< boundary year of the areas to match; 0: the latest one */
    wb_level level;           /**< match only areas of this level; WB_LEVEL__MAX: wijk first,
                                   then buurt, then gemeente */
    const char *match_file;   /**< CSV mapping names to codes, or NULL: columns name and code
                                   (or codes: several, separated by ';' ',' '|' or spaces),
                                   optionally gm_code and a quality column match */
    const char *description;  /**< of the set (default: the file name) */
    char delimiter;           /**< 0: sniff */
    const char *match_quality;/**< comma-separated qualities of match-file rows to use (e.g.
                                   "exact,approx"); rows of other qualities are reported as
                                   WB_MATCH_EXCLUDED. NULL: every row */
} wb_label_opts;

#define WB_LABEL_OPTS_INIT {1, 0, WB_LEVEL__MAX, NULL, NULL, 0, NULL}

/** Result of wb_import_labels. Free with wb_label_result_dispose. */
typedef struct {
    wb_label_match *rows;
    size_t n;
    size_t matched;   /**< rows that matched at least one area */
    size_t members;   /**< distinct areas added to the set */
    int year;         /**< boundary year matched against */
} wb_label_result;

#define WB_LABEL_RESULT_INIT {NULL, 0, 0, 0, 0}

/** Free the rows of a result. Accepts a zeroed result. */
void wb_label_result_dispose(wb_label_result *r);

/**
 * Create (or extend) the label set @p set from a CSV of area codes (a code column found as
 * by wb_import_csv) or of names with a gemeente code (columns like wijk_naam/naam/name and
 * gm_code/gemeentecode), matched to the areas of one boundary year in the store: by code, or
 * by name within the gemeente ignoring case, accents, spaces and punctuation. A row that the
 * match file (o->match_file) names is matched through that file only, never by name.
 * @param res OUT: per row how it matched (filled also on WB_ENOTFOUND)
 * @return 0 when at least one row matched; WB_ENOTFOUND when nothing matched (then nothing
 *         is written), WB_EPARSE, WB_EINVALID, WB_ESTORE.
 */
int wb_import_labels(wb_store *st, wb_label_result *res, const char *path, const char *set,
                     const wb_label_opts *o);

#ifdef __cplusplus
}
#endif
#endif
