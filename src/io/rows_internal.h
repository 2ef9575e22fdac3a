/**
 * @file
 * @brief Records from readers other than CSV text behind the wb_csv interface: spreadsheet
 * sheets and GeoPackage layers read through GDAL/OGR (ogr_rows.c) and StatLine OData JSON
 * (odata.c). A reader hands each record over as text fields, so every importer applies the
 * same row logic (codes, years, missing markers, numbers, duplicates) whatever the file
 * format. Library-internal.
 */
#ifndef WB_IO_ROWS_INTERNAL_H
#define WB_IO_ROWS_INTERNAL_H

#include <stdint.h>

#include "io/import_internal.h"
#include "wijkbeeld/io.h"

/** How positions in a source are named in messages. */
typedef enum {
    WB_ROWS_CSV = 0, /**< CSV text: file:line:column */
    WB_ROWS_SHEET,   /**< a spreadsheet: file:row:column (cell C5); the header is row 1 */
    WB_ROWS_RECORD   /**< a JSON array or a vector layer: "file: <unit> N" */
} wb_rows_kind;

/** A reader of records. */
typedef struct {
    wb_rows_kind kind;
    /**
     * Fill the next record: wb_csv__set_record, then one wb_csv__put (or wb_csv__put_absent)
     * per header column, in order. @return 1 for a record, 0 at the end, < 0 on an error
     * (message set, naming the file and position).
     */
    int (*next)(void *payload, wb_csv *c);
    /** Free the payload (called by wb_csv_free, and by wb_csv__open_rows when it fails). */
    void (*free)(void *payload);
    void *payload;
    uint64_t total;                 /**< records in all for progress reports; 0: unknown */
    const unsigned char *text_cols; /**< NULL, or per column 1 when the reader knows that the
                                         column holds text, never numbers (a GeoPackage TEXT
                                         field); owned by the payload */
} wb_rows_source;

/**
 * A wb_csv whose records come from @p src instead of CSV text. @p headers are copied.
 * On failure src->free(src->payload) has been called.
 * @param name names the source in messages ("kwb-2023.xlsx")
 */
int wb_csv__open_rows(wb_csv **out, const char *name, const char *const *headers, size_t n,
                      const wb_rows_source *src);

/**
 * Start the next record (inside wb_rows_source.next): its number (the sheet row, the record
 * or feature number) and, for WB_ROWS_RECORD, the unit it is counted in ("record", "layer
 * buurten, feature"; borrowed until the next record).
 */
void wb_csv__set_record(wb_csv *c, size_t number, const char *unit);

/** Append the next field of the record being filled; @p s must be valid UTF-8 without NUL
 *  bytes (else WB_EPARSE with its position). */
int wb_csv__put(wb_csv *c, const char *s, size_t len);

/** Append a field that this record does not have at all (a column of another layer): the
 *  importers write no value for it, not even a missing one. */
int wb_csv__put_absent(wb_csv *c);

/** 1 when field @p i of the current record was put with wb_csv__put_absent. */
int wb_csv__absent(const wb_csv *c, size_t i);

/** A number as the shortest text (15 to 17 significant digits) that reads back to the same
 *  double: 0.1 stays "0.1", without the noise of %.17g. Written to @p buf, returned. */
const char *wb_csv__number_text(char *buf, size_t n, double v);

/** 1 when the reader declared column @p i a text column (wb_rows_source.text_cols). */
int wb_csv__text_column(const wb_csv *c, size_t i);

/**
 * Where field @p field (or, for @p field < 0, the current record) is, for a message:
 * "x.csv:12:7", "x.csv:12"; "x.xlsx:12:3 (cell C12)", "x.xlsx:12"; "x.json: record 12";
 * "x.gpkg: layer buurten, feature 12". Written to @p buf, which is returned.
 */
const char *wb_csv__where(const wb_csv *c, long field, char *buf, size_t n);

/** The current record as the second half of "(the first is on ...)": "line 12", "row 12",
 *  "record 12", "layer buurten, feature 12". Written to @p buf, which is returned. */
const char *wb_csv__record_name(const wb_csv *c, char *buf, size_t n);

/* ---------------------------------------------------------------- the readers */

/**
 * A spreadsheet (XLSX, XLS, ODS) through GDAL/OGR: the first sheet that has an area code
 * column (else the first sheet); its first row is the header (GDAL's header option forced),
 * every cell is read as the text the file holds (XLSX, ODS) or as GDAL formats the number (XLS:
 * 15 significant digits). Empty rows are skipped. Positions are sheet rows and columns.
 */
int wb_ogr__open_sheet(wb_csv **out, const char *path);

/** One layer of a vector file read as records (attributes only, no geometry). */
typedef struct {
    const char *layer;      /**< layer name */
    const char *where;      /**< OGR attribute filter, or NULL */
    const char *code_field; /**< field copied into the leading column "code" (NULL: none) */
    const char *name_field; /**< field copied into the column "naam" (NULL: none) */
    const char *level;      /**< text of the column "level" for every record (NULL: none) */
} wb_ogr_part;

/**
 * The records of several layers of one vector file, one after the other, under the union of
 * their fields (a field a layer lacks is absent, wb_csv__put_absent). With code_field etc.
 * the columns "code", "naam" and "level" come first, and fields of those names are left out.
 * Numbers are given as the shortest text that reads back to the same double; non-numeric
 * fields are text columns (wb_csv__text_column). Records are named "layer L, feature FID".
 * @param display names the file in messages
 */
int wb_ogr__open_layers(wb_csv **out, const char *path, const char *display,
                        const wb_ogr_part *parts, size_t nparts);

/** A StatLine OData JSON file: {"value": [{...}, ...]} (v3 and v4) or a bare array of
 *  objects; the header is the keys of the first object. A paged file (odata.nextLink) is
 *  read, and info->note says that rows may be missing. */
int wb_odata__open(wb_csv **out, const char *path, wb_table_info *info);

#endif
