/**
 * @file
 * @brief Which reader a table needs: CSV text, a spreadsheet (XLSX, XLS, ODS through
 * GDAL/OGR) or StatLine OData JSON, told apart by the first bytes of the file rather than its
 * name, so that a renamed download is still read right and a binary file never reaches the
 * CSV reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/rows_internal.h"
#include "wijkbeeld/errors.h"

typedef enum { SRC_CSV, SRC_ZIP, SRC_OLE2, SRC_SQLITE, SRC_JSON } source_kind;

/* The kind of file from its first bytes; CSV when it cannot be read (wb_csv_open then
 * reports why). */
static source_kind sniff(const char *path)
{
    unsigned char b[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return SRC_CSV;
    ssize_t n;
    do
        n = read(fd, b, sizeof b);
    while (n < 0 && errno == EINTR);
    close(fd);
    if (n < 4)
        return SRC_CSV;
    if (!memcmp(b, "PK\x03\x04", 4))
        return SRC_ZIP; /* XLSX and ODS are zip files */
    if (n >= 8 && !memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return SRC_OLE2; /* the BIFF .xls of Excel 97-2003 */
    if (n >= 16 && !memcmp(b, "SQLite format 3", 16))
        return SRC_SQLITE;
    size_t i = 0;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        i = 3;
    while (i < (size_t)n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    if (i < (size_t)n && (b[i] == '{' || b[i] == '['))
        return SRC_JSON;
    return SRC_CSV;
}

int wb_imp__is_sqlite(const char *path)
{
    return strcmp(path, "-") && sniff(path) == SRC_SQLITE;
}

int wb_imp__open_table(wb_csv **out, const char *path, const wb_import_opts *o,
                       wb_table_info *info, void *ctx)
{
    (void)ctx;
    memset(info, 0, sizeof *info);
    source_kind k = strcmp(path, "-") ? sniff(path) : SRC_CSV;
    switch (k) {
    case SRC_ZIP:
    case SRC_OLE2:
        return wb_ogr__open_sheet(out, path);
    case SRC_JSON:
        return wb_odata__open(out, path, info);
    case SRC_SQLITE:
        *out = NULL;
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s: a GeoPackage (SQLite) file, expected a table: `import kwb` reads the "
                     "CBS Wijk- en Buurtkaart, `import geo` other polygon files",
                     path);
        return WB_EINVALID;
    case SRC_CSV:
    default: {
        wb_csv_opts co = WB_CSV_OPTS_INIT;
        co.delimiter = o->delimiter;
        co.decimal_comma = o->decimal_comma;
        return wb_csv_open(out, path, &co);
    }
    }
}
