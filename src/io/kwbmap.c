/**
 * @file
 * @brief The CBS Wijk- en Buurtkaart as a GeoPackage (wijkenbuurten_YYYY_vN.gpkg): the
 * polygons of its gemeente, wijk and buurt layers and the kerncijfers CBS joins to them as
 * attributes, in one import and one transaction.
 *
 * The attributes go through the KWB importer (same catalogue, aliases and checks as
 * kwb-YYYY.csv): the layers are read one after the other as records whose leading columns
 * "code", "naam" and "level" come from each layer's own code and name fields (BU_CODE,
 * WK_CODE, GM_CODE or buurtcode ...). CBS's negative codes for secret or missing figures
 * become missing values (the KWB profile). Features with WATER = JA (water) or B (Belgian
 * territory around Baarle-Nassau) are left out, polygons and values alike: the areas of the
 * map are the land areas (docs/import.md).
 */
#include <ctype.h>
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io/geo_internal.h"
#include "io/import_internal.h"
#include "io/rows_internal.h"
#include "wijkbeeld/errors.h"

#define MAXLAYER 128

/* One level's layer and its fields. */
typedef struct {
    wb_level level;
    char layer[MAXLAYER];
    char code[64], name[64], water[64];
    char where[160];
    size_t features, water_features;
    size_t figures; /* numeric fields that can hold kerncijfers */
} map_layer;

typedef struct {
    map_layer ml[3];
    size_t n;
    wb_ogr_part parts[3];
    char display[256];
} map_ctx;

static const char *const level_text[] = {
    [WB_LEVEL_GEMEENTE] = "gemeente", [WB_LEVEL_WIJK] = "wijk", [WB_LEVEL_BUURT] = "buurt"};

/* The level a layer name stands for: gemeente(n), wijk(en), buurt(en), possibly with a
 * prefix or year ("cbs_buurten_2023"); WB_LEVEL__MAX for other layers. */
static wb_level layer_level(const char *name)
{
    char low[MAXLAYER];
    size_t n = 0;
    for (; name[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)name[n]);
    low[n] = 0;
    int gm = strstr(low, "gemeente") != NULL, wk = strstr(low, "wijk") != NULL,
        bu = strstr(low, "buurt") != NULL;
    if (gm + wk + bu != 1)
        return WB_LEVEL__MAX; /* none, or "wijkenbuurten": not one level */
    return gm ? WB_LEVEL_GEMEENTE : wk ? WB_LEVEL_WIJK : WB_LEVEL_BUURT;
}

static int field_named(OGRFeatureDefnH defn, const char *const *names, char *out, size_t n)
{
    for (const char *const *nm = names; *nm; nm++)
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
            const char *f = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
            if (!strcasecmp(f, *nm)) {
                snprintf(out, n, "%s", f);
                return 1;
            }
        }
    return 0;
}

/* Numeric fields that can be kerncijfers (not an ESRI length or area, not a row id). */
static size_t count_figures(OGRFeatureDefnH defn)
{
    static const char *const not_figures[] = {"Shape_Length", "Shape_Area", "Shape_Leng",
                                              "OBJECTID", "FID", "ogc_fid", NULL};
    size_t n = 0;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        OGRFieldType t = OGR_Fld_GetType(fd);
        if (t != OFTInteger && t != OFTInteger64 && t != OFTReal)
            continue;
        int skip = 0;
        for (const char *const *nf = not_figures; *nf && !skip; nf++)
            skip = !strcasecmp(OGR_Fld_GetNameRef(fd), *nf);
        n += !skip;
    }
    return n;
}

/* Find the level layers and their fields (only the layer of @p only, unless WB_LEVEL__MAX). */
static int inspect(map_ctx *m, const char *path, const char *base, wb_level only)
{
    static const char *const code_names[WB_LEVEL__MAX][3] = {
        [WB_LEVEL_GEMEENTE] = {"GM_CODE", "gemeentecode", NULL},
        [WB_LEVEL_WIJK] = {"WK_CODE", "wijkcode", NULL},
        [WB_LEVEL_BUURT] = {"BU_CODE", "buurtcode", NULL}};
    static const char *const name_names[WB_LEVEL__MAX][3] = {
        [WB_LEVEL_GEMEENTE] = {"GM_NAAM", "gemeentenaam", NULL},
        [WB_LEVEL_WIJK] = {"WK_NAAM", "wijknaam", NULL},
        [WB_LEVEL_BUURT] = {"BU_NAAM", "buurtnaam", NULL}};
    static const char *const water_names[] = {"WATER", NULL};
    int error = 0;
    wb_ogr__begin();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, (const char *const[]){"GPKG", NULL},
                                 NULL, NULL);
    if (!ds) {
        const char *msg = CPLGetLastErrorMsg();
        wb_error_set(WB_ERRCLASS_GEO, "%s: expected a GeoPackage, GDAL cannot open it: %s", base,
                     msg && *msg ? msg : "no details from GDAL");
        error = WB_EPARSE;
        goto done;
    }
    char others[400] = "";
    size_t olen = 0;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        const char *lname = OGR_L_GetName(l);
        wb_level lv = layer_level(lname);
        if (lv != WB_LEVEL__MAX && only != WB_LEVEL__MAX && lv != only)
            continue; /* --level: the other levels' layers are not read */
        if (lv == WB_LEVEL__MAX) {
            int w = snprintf(others + olen, sizeof others - olen, "%s'%s'", olen ? ", " : "", lname);
            if (w > 0 && (size_t)w < sizeof others - olen)
                olen += (size_t)w;
            continue;
        }
        for (size_t k = 0; k < m->n; k++)
            if (m->ml[k].level == lv) {
                wb_error_set(WB_ERRCLASS_GEO, "%s: layers '%s' and '%s' are both %s layers: expected one "
                             "layer per level (gemeenten, wijken, buurten)",
                             base, m->ml[k].layer, lname, level_text[lv]);
                error = WB_EINVALID;
                goto done;
            }
        map_layer *ml = &m->ml[m->n];
        memset(ml, 0, sizeof *ml);
        ml->level = lv;
        snprintf(ml->layer, sizeof ml->layer, "%s", lname);
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
        if (!field_named(defn, code_names[lv], ml->code, sizeof ml->code)) {
            wb_error_set(WB_ERRCLASS_GEO, "%s: layer '%s': expected a code field %s or %s", base,
                         lname, code_names[lv][0], code_names[lv][1]);
            error = WB_EINVALID;
            goto done;
        }
        field_named(defn, name_names[lv], ml->name, sizeof ml->name);
        ml->figures = count_figures(defn);
        GIntBig all = OGR_L_GetFeatureCount(l, TRUE);
        ml->features = all > 0 ? (size_t)all : 0;
        if (field_named(defn, water_names, ml->water, sizeof ml->water)) {
            char wf[64];
            memcpy(wf, ml->water, sizeof wf);
            snprintf(ml->where, sizeof ml->where, "\"%s\" IS NULL OR \"%s\" NOT IN ('JA', 'B')",
                     wf, wf);
            if (OGR_L_SetAttributeFilter(l, ml->where) != OGRERR_NONE) {
                wb_error_set(WB_ERRCLASS_GEO, "%s: layer '%s': GDAL refuses the filter %s", base,
                             lname, ml->where);
                error = WB_EINVALID;
                goto done;
            }
            GIntBig land = OGR_L_GetFeatureCount(l, TRUE);
            ml->water_features = ml->features - (land > 0 ? (size_t)land : 0);
            OGR_L_SetAttributeFilter(l, NULL);
        }
        m->n++;
    }
    if (!m->n) {
        wb_error_set(WB_ERRCLASS_GEO,
                     "%s: expected the layers of the CBS Wijk- en Buurtkaart (gemeenten, wijken, "
                     "buurten), got %s",
                     base, olen ? others : "no layers");
        error = WB_EINVALID;
        goto done;
    }
    /* gemeenten, wijken, buurten: parents before children, as CBS lists them */
    for (size_t a = 0; a < m->n; a++)
        for (size_t b = a + 1; b < m->n; b++)
            if (m->ml[b].level < m->ml[a].level) {
                map_layer t = m->ml[a];
                m->ml[a] = m->ml[b];
                m->ml[b] = t;
            }
    for (size_t k = 0; k < m->n; k++) {
        map_layer *ml = &m->ml[k];
        m->parts[k] = (wb_ogr_part){ml->layer, ml->where[0] ? ml->where : NULL, ml->code,
                                    ml->name[0] ? ml->name : NULL, level_text[ml->level]};
    }
done:
    if (ds)
        GDALClose(ds);
    wb_ogr__end();
    return error;
}

static int open_layers(wb_csv **out, const char *path, const wb_import_opts *o,
                       wb_table_info *info, void *ctx)
{
    (void)o;
    memset(info, 0, sizeof *info);
    map_ctx *m = ctx;
    return wb_ogr__open_layers(out, path, m->display, m->parts, m->n);
}

int wb_kwbmap__import(wb_store *st, wb_import_stats *stats, const char *path,
                      const wb_import_opts *o, const wb_import_profile *pf)
{
    wb_import_stats local;
    o = wb_imp__defaults(o, &stats, &local);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int year = o->year ? o->year : wb_kwb__year_from_name(path);
    if (!year) {
        wb_error_set(WB_ERRCLASS_ARG,
                     "%s: no year in the file name (wijkenbuurten_YYYY_vN.gpkg): give --year", base);
        return WB_EINVALID;
    }
    int byear = o->boundary_year ? o->boundary_year : year;
    map_ctx m;
    memset(&m, 0, sizeof m);
    snprintf(m.display, sizeof m.display, "%s", base);
    int error = inspect(&m, path, base, o->level);
    if (error < 0)
        return error;

    /* the kerncijfers: the KWB importer over the layers' records */
    wb_import_opts lo = *o;
    lo.year = year;
    lo.boundary_year = byear;
    lo.key_column = NULL;
    char skip[512];
    /* the lengths and areas of polygons that ESRI tools add are no kerncijfers */
    snprintf(skip, sizeof skip, "Shape_Length,Shape_Area,Shape_Leng%s%s", o->skip_columns ? "," : "",
             o->skip_columns ? o->skip_columns : "");
    lo.skip_columns = skip;
    int own_tx = 0;
    if (!wb_store_in_transaction(st)) {
        if ((error = wb_store_begin(st)) < 0)
            return error;
        own_tx = 1;
    }
    size_t figures = 0;
    for (size_t k = 0; k < m.n; k++)
        figures += m.ml[k].figures;
    /* the first version of a year's map has the polygons only: then there are no figures */
    if (figures && (error = wb_imp__run_with(st, stats, path, &lo, pf, open_layers, &m)) < 0)
        goto done;
    if (!figures)
        snprintf(stats->note, sizeof stats->note, "no kerncijfers in this version of the map");

    /* the polygons, with the same features */
    size_t polys[3] = {0, 0, 0}, water = 0;
    for (size_t k = 0; k < m.n; k++) {
        map_layer *ml = &m.ml[k];
        wb_geo_opts go = WB_GEO_OPTS_INIT;
        go.year = byear;
        go.level = ml->level;
        go.object = ml->layer;
        go.code_field = ml->code;
        go.name_field = ml->name[0] ? ml->name : "";
        go.progress = o->progress;
        go.progress_payload = o->progress_payload;
        wb_geo_features f;
        wb_geo_summary gs;
        memset(&gs, 0, sizeof gs);
        if ((error = wb_geo__read_layer(&f, &gs, path, &go, ml->where[0] ? ml->where : NULL)) < 0)
            goto done;
        error = wb_geo__store(st, &f, &go, &gs);
        wb_geo_features_dispose(&f);
        if (error < 0)
            goto done;
        polys[k] = gs.imported;
        water += ml->water_features;
        char text[400];
        snprintf(text, sizeof text,
                 "layer '%s' (%s), CRS %s (%s), year %d: %zu features, %zu areas, %zu with "
                 "geometry, %zu water features left out",
                 ml->layer, level_text[ml->level], gs.crs, gs.crs_source, byear, gs.features,
                 gs.areas, gs.imported, ml->water_features);
        if ((error = wb_store_log_import(st, "geo", base, text)) < 0)
            goto done;
    }
    size_t used = strlen(stats->note);
    int w = snprintf(stats->note + used, sizeof stats->note - used, "%spolygons:", used ? "; " : "");
    for (size_t k = 0; k < m.n && w > 0; k++) {
        used = strlen(stats->note);
        w = snprintf(stats->note + used, sizeof stats->note - used, "%s %zu %s", k ? "," : "",
                     polys[k], m.ml[k].layer);
    }
    used = strlen(stats->note);
    snprintf(stats->note + used, sizeof stats->note - used,
             "; %zu water features (WATER = JA or B) left out", water);
    if (own_tx) {
        own_tx = 0;
        error = wb_store_commit(st);
    }
done:
    if (own_tx)
        wb_store_rollback(st);
    if (error < 0)
        memset(stats, 0, sizeof *stats);
    return error;
}
