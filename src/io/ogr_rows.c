/**
 * @file
 * @brief Tables read through GDAL/OGR as records for the import engine: the sheets of a
 * spreadsheet (XLSX, XLS, ODS) and the attribute rows of vector layers (the CBS Wijk- en
 * Buurtkaart GeoPackage). No spreadsheet or GeoPackage parsing of our own: GDAL reads the
 * file, this turns its features into text fields (rows_internal.h).
 */
#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/geo_internal.h"
#include "io/rows_internal.h"
#include "wijkbeeld/errors.h"

static const char *gdal_msg(void)
{
    const char *m = CPLGetLastErrorMsg();
    return m && *m ? m : "no details from GDAL";
}

/* The spreadsheet drivers' options: the first row is the header, cells are text. They are
 * configuration options in GDAL 3.6 (open options came later), set for this thread while a
 * sheet is open and restored when it is closed. */
static const char *const sheet_options[][2] = {
    {"OGR_XLSX_HEADERS", "FORCE"}, {"OGR_XLSX_FIELD_TYPES", "STRING"},
    {"OGR_XLS_HEADERS", "FORCE"},  {"OGR_XLS_FIELD_TYPES", "STRING"},
    {"OGR_ODS_HEADERS", "FORCE"},  {"OGR_ODS_FIELD_TYPES", "STRING"},
};
#define NSHEETOPT (sizeof sheet_options / sizeof sheet_options[0])

typedef struct {
    OGRLayerH layer;
    char unit[160];   /* "layer buurten, feature" */
    int *field;       /* per output column: OGR field index, -1 when the layer lacks it */
    int code, name;   /* OGR field of the synthetic columns, -1: none */
    const char *level;
} part;

typedef struct {
    GDALDatasetH ds;
    int sheet;        /* 1: a spreadsheet (row numbers, empty rows skipped) */
    char *saved[NSHEETOPT];
    int options_set;
    part *parts;
    size_t nparts, cur;
    size_t ncols, nsynth; /* columns; of which leading synthetic ones (code, naam, level) */
    int synth_code, synth_name, synth_level; /* column of each synthetic one, -1: none */
    unsigned char *text_cols;
    char *display;
    char num[64];
    size_t last_number;
} reader;

static void restore_options(reader *r)
{
    if (!r->options_set)
        return;
    for (size_t i = 0; i < NSHEETOPT; i++) {
        CPLSetThreadLocalConfigOption(sheet_options[i][0], r->saved[i]);
        CPLFree(r->saved[i]);
        r->saved[i] = NULL;
    }
    r->options_set = 0;
}

static void reader_free(void *payload)
{
    reader *r = payload;
    if (!r)
        return;
    wb_ogr__begin();
    if (r->ds)
        GDALClose(r->ds);
    restore_options(r);
    wb_ogr__end();
    for (size_t i = 0; i < r->nparts; i++)
        wb_free(r->parts[i].field);
    wb_free(r->parts);
    wb_free(r->text_cols);
    wb_free(r->display);
    wb_free(r);
}

static int is_numeric_type(OGRFieldType t)
{
    return t == OFTInteger || t == OFTInteger64 || t == OFTReal;
}


/* The text of field @p idx of feature @p f ("" when unset or null). */
static const char *field_text(reader *r, OGRFeatureH f, int idx)
{
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return "";
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, idx));
    if (t == OFTInteger || t == OFTInteger64) {
        snprintf(r->num, sizeof r->num, "%lld", (long long)OGR_F_GetFieldAsInteger64(f, idx));
        return r->num;
    }
    if (t == OFTReal) {
        double v = OGR_F_GetFieldAsDouble(f, idx);
        if (!isfinite(v))
            return "NaN"; /* refused as a number, with its position */
        return wb_csv__number_text(r->num, sizeof r->num, v);
    }
    const char *s = OGR_F_GetFieldAsString(f, idx);
    return s ? s : "";
}

static int any_field_set(OGRFeatureH f)
{
    int n = OGR_F_GetFieldCount(f);
    for (int i = 0; i < n; i++)
        if (OGR_F_IsFieldSetAndNotNull(f, i) && *OGR_F_GetFieldAsString(f, i))
            return 1;
    return 0;
}

static int fill(reader *r, wb_csv *c, part *p, OGRFeatureH f)
{
    int e = 0;
    for (size_t col = 0; col < r->ncols && e == 0; col++) {
        int idx;
        if ((int)col == r->synth_code)
            idx = p->code;
        else if ((int)col == r->synth_name)
            idx = p->name;
        else if ((int)col == r->synth_level) {
            const char *lv = p->level ? p->level : "";
            e = wb_csv__put(c, lv, strlen(lv));
            continue;
        } else
            idx = p->field[col];
        if (idx < 0 && col >= r->nsynth) {
            e = wb_csv__put_absent(c);
            continue;
        }
        const char *s = field_text(r, f, idx);
        e = wb_csv__put(c, s, strlen(s));
    }
    return e;
}

static int reader_next(void *payload, wb_csv *c)
{
    reader *r = payload;
    int result = 0;
    wb_ogr__begin();
    while (r->cur < r->nparts) {
        part *p = &r->parts[r->cur];
        OGRFeatureH f = OGR_L_GetNextFeature(p->layer);
        if (!f) {
            if (CPLGetLastErrorType() >= CE_Failure) {
                wb_error_set(WB_ERRCLASS_GEO, "%s: %s after %s %zu: %s", r->display,
                             r->sheet ? "reading the sheet" : "reading", r->sheet ? "row" : p->unit,
                             r->last_number, gdal_msg());
                result = WB_EPARSE;
                break;
            }
            r->cur++;
            continue;
        }
        GIntBig fid = OGR_F_GetFID(f);
        size_t number = fid >= 0 ? (size_t)fid : r->last_number + 1;
        r->last_number = number;
        if (r->sheet && !any_field_set(f)) { /* an empty row, as CSV's empty lines */
            OGR_F_Destroy(f);
            continue;
        }
        wb_csv__set_record(c, number, r->sheet ? NULL : p->unit);
        result = fill(r, c, p, f);
        OGR_F_Destroy(f);
        if (result == 0)
            result = 1;
        break;
    }
    wb_ogr__end();
    return result;
}

/* Index of the field named @p name (ASCII case-insensitive) in @p defn, or -1. */
static int find_field(OGRFeatureDefnH defn, const char *name)
{
    if (!name)
        return -1;
    int n = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < n; i++)
        if (!strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), name))
            return i;
    return -1;
}

/* Header names of the reader, growing. */
typedef struct {
    char **h;
    size_t n, cap;
} names;

static long names_find(const names *nm, const char *s)
{
    for (size_t i = 0; i < nm->n; i++)
        if (!strcasecmp(nm->h[i], s))
            return (long)i;
    return -1;
}

static int names_add(names *nm, const char *s)
{
    if (nm->n == nm->cap) {
        size_t cap = nm->cap ? nm->cap * 2 : 64;
        char **h = wb_realloc(nm->h, cap * sizeof *h);
        if (!h)
            return WB_ENOMEM;
        nm->h = h;
        nm->cap = cap;
    }
    if (!(nm->h[nm->n] = wb_strdup(s)))
        return WB_ENOMEM;
    nm->n++;
    return 0;
}

static void names_dispose(names *nm)
{
    for (size_t i = 0; i < nm->n; i++)
        wb_free(nm->h[i]);
    wb_free(nm->h);
}

/* Lay out the columns: the synthetic ones, then every field of every layer once. Fills each
 * part's field map and the text-column flags. */
static int layout(reader *r, names *nm, int with_code, int with_name, int with_level)
{
    int e;
    r->synth_code = r->synth_name = r->synth_level = -1;
    if (with_code) {
        r->synth_code = (int)nm->n;
        if ((e = names_add(nm, "code")) < 0)
            return e;
    }
    if (with_name) {
        r->synth_name = (int)nm->n;
        if ((e = names_add(nm, "naam")) < 0)
            return e;
    }
    if (with_level) {
        r->synth_level = (int)nm->n;
        if ((e = names_add(nm, "level")) < 0)
            return e;
    }
    r->nsynth = nm->n;
    for (size_t k = 0; k < r->nparts; k++) {
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->parts[k].layer);
        int nf = OGR_FD_GetFieldCount(defn);
        for (int i = 0; i < nf; i++) {
            const char *fn = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
            long at = names_find(nm, fn);
            if (at >= 0 && (size_t)at < r->nsynth)
                continue; /* a field named like a synthetic column: the latter wins */
            if (at < 0 && (e = names_add(nm, fn)) < 0)
                return e;
        }
    }
    r->ncols = nm->n;
    if (!(r->text_cols = wb_calloc(r->ncols ? r->ncols : 1, 1)))
        return WB_ENOMEM;
    for (size_t col = 0; col < r->ncols; col++)
        r->text_cols[col] = col < r->nsynth || !r->sheet;
    for (size_t k = 0; k < r->nparts; k++) {
        part *p = &r->parts[k];
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(p->layer);
        if (!(p->field = wb_malloc(r->ncols * sizeof *p->field)))
            return WB_ENOMEM;
        for (size_t col = 0; col < r->ncols; col++) {
            p->field[col] = col < r->nsynth ? -1 : find_field(defn, nm->h[col]);
            if (p->field[col] >= 0 && !r->sheet &&
                is_numeric_type(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, p->field[col]))))
                r->text_cols[col] = 0; /* numbers in at least one layer */
        }
    }
    return 0;
}

static char *base_name_dup(const char *path)
{
    const char *slash = strrchr(path, '/');
    return wb_strdup(slash ? slash + 1 : path);
}

static int finish_open(wb_csv **out, reader *r, names *nm, wb_rows_kind kind)
{
    GIntBig total = 0;
    for (size_t k = 0; k < r->nparts; k++) {
        GIntBig n = OGR_L_GetFeatureCount(r->parts[k].layer, TRUE);
        total += n > 0 ? n : 0;
        OGR_L_ResetReading(r->parts[k].layer);
    }
    wb_rows_source src = {kind, reader_next, reader_free, r, (uint64_t)total, r->text_cols};
    return wb_csv__open_rows(out, r->display, (const char *const *)nm->h, nm->n, &src);
}

int wb_ogr__open_sheet(wb_csv **out, const char *path)
{
    *out = NULL;
    reader *r = wb_calloc(1, sizeof *r);
    names nm = {0};
    int e = 0;
    if (!r || !(r->display = base_name_dup(path))) {
        reader_free(r);
        return WB_ENOMEM;
    }
    r->sheet = 1;
    wb_ogr__begin();
    for (size_t i = 0; i < NSHEETOPT; i++) {
        const char *v = CPLGetThreadLocalConfigOption(sheet_options[i][0], NULL);
        r->saved[i] = v ? CPLStrdup(v) : NULL;
        CPLSetThreadLocalConfigOption(sheet_options[i][0], sheet_options[i][1]);
    }
    r->options_set = 1;
    static const char *const drivers[] = {"XLSX", "XLS", "ODS", NULL};
    r->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (!r->ds) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s: expected a spreadsheet (xlsx, xls, ods) or a CSV file, got a binary "
                     "file GDAL cannot read as a spreadsheet: %s",
                     r->display, gdal_msg());
        e = WB_EPARSE;
        goto done;
    }
    int n = GDALDatasetGetLayerCount(r->ds);
    OGRLayerH chosen = NULL;
    for (int i = 0; i < n && !chosen; i++) {
        OGRLayerH l = GDALDatasetGetLayer(r->ds, i);
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
        for (int k = 0; k < OGR_FD_GetFieldCount(defn) && !chosen; k++)
            if (wb_imp__is_key_name(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k))))
                chosen = l;
    }
    if (!chosen && n > 0)
        chosen = GDALDatasetGetLayer(r->ds, 0);
    if (!chosen) {
        wb_error_set(WB_ERRCLASS_CSV, "%s: expected a sheet with a header row, got no sheet",
                     r->display);
        e = WB_EPARSE;
        goto done;
    }
    if (!(r->parts = wb_calloc(1, sizeof *r->parts))) {
        e = WB_ENOMEM;
        goto done;
    }
    r->nparts = 1;
    r->parts[0].layer = chosen;
    r->parts[0].code = r->parts[0].name = -1;
    if ((e = layout(r, &nm, 0, 0, 0)) < 0)
        goto done;
    if (r->ncols == 0) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected a header row, got an empty sheet '%s'",
                     r->display, OGR_L_GetName(chosen));
        e = WB_EPARSE;
        goto done;
    }
    e = finish_open(out, r, &nm, WB_ROWS_SHEET);
    r = NULL; /* owned by the wb_csv now, or freed by it */
done:
    wb_ogr__end();
    names_dispose(&nm);
    reader_free(r);
    return e;
}

int wb_ogr__open_layers(wb_csv **out, const char *path, const char *display,
                        const wb_ogr_part *parts, size_t nparts)
{
    *out = NULL;
    reader *r = wb_calloc(1, sizeof *r);
    names nm = {0};
    int e = 0;
    if (!r || !(r->display = wb_strdup(display)) ||
        !(r->parts = wb_calloc(nparts ? nparts : 1, sizeof *r->parts))) {
        reader_free(r);
        return WB_ENOMEM;
    }
    wb_ogr__begin();
    r->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!r->ds) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: GDAL cannot open it: %s", display, gdal_msg());
        e = WB_EPARSE;
        goto done;
    }
    int with_code = 0, with_name = 0, with_level = 0;
    for (size_t k = 0; k < nparts; k++, r->nparts++) {
        part *p = &r->parts[k];
        p->code = p->name = -1;
        p->layer = GDALDatasetGetLayerByName(r->ds, parts[k].layer);
        if (!p->layer) {
            wb_error_set(WB_ERRCLASS_GEO, "%s: no layer '%s'", display, parts[k].layer);
            e = WB_ENOTFOUND;
            goto done;
        }
        snprintf(p->unit, sizeof p->unit, "layer %s, feature", parts[k].layer);
        /* attributes only: the geometry is read by the polygon reader */
        static const char *const ignored[] = {"OGR_GEOMETRY", NULL};
        OGR_L_SetIgnoredFields(p->layer, (const char **)ignored);
        if (parts[k].where && OGR_L_SetAttributeFilter(p->layer, parts[k].where) != OGRERR_NONE) {
            wb_error_set(WB_ERRCLASS_GEO, "%s: layer %s: GDAL refuses the filter %s: %s", display,
                         parts[k].layer, parts[k].where, gdal_msg());
            e = WB_EINVALID;
            goto done;
        }
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(p->layer);
        p->code = find_field(defn, parts[k].code_field);
        p->name = find_field(defn, parts[k].name_field);
        p->level = parts[k].level;
        with_code |= parts[k].code_field != NULL;
        with_name |= parts[k].name_field != NULL;
        with_level |= parts[k].level != NULL;
    }
    if ((e = layout(r, &nm, with_code, with_name, with_level)) < 0)
        goto done;
    e = finish_open(out, r, &nm, WB_ROWS_RECORD);
    r = NULL;
done:
    wb_ogr__end();
    names_dispose(&nm);
    reader_free(r);
    return e;
}
