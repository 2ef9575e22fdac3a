/**
 * @file
 * @brief Reading polygon layers through GDAL/OGR: GeoJSON, GeoPackage, Shapefile and the
 * other OGR vector formats. GDAL's own messages are captured, never printed.
 */
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io/geo_internal.h"
#include "wijkbeeld/errors.h"

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_drivers(void)
{
    GDALAllRegister();
}

/* Start a block of GDAL calls: drivers registered, errors captured instead of printed. */
void wb_ogr__begin(void)
{
    pthread_once(&registered, register_drivers);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
}

void wb_ogr__end(void)
{
    CPLPopErrorHandler();
}

static const char *gdal_msg(void)
{
    const char *m = CPLGetLastErrorMsg();
    return m && *m ? m : "no details from GDAL";
}

static int is_polygonal(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface;
}

/* Convert an OGR geometry to polygons appended to @p out. */
static int to_wb(OGRGeometryH g, wb_geom *out, int depth, const char **bad)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int error = 0;
    if (OGR_G_IsEmpty(g))
        return 0;
    if (t == wkbPolygon || t == wkbMultiPolygon) {
        size_t n = (size_t)OGR_G_WkbSizeEx(g);
        unsigned char *wkb = wb_malloc(n ? n : 1);
        if (!wkb)
            return WB_ENOMEM;
        if (OGR_G_ExportToIsoWkb(g, wkbNDR, wkb) != OGRERR_NONE) {
            wb_free(wkb);
            wb_error_set(WB_ERRCLASS_GEO, "GDAL cannot encode the geometry: %s", gdal_msg());
            return WB_EPARSE;
        }
        wb_geom part = WB_GEOM_INIT;
        error = wb_geom_from_wkb(&part, wkb, n);
        wb_free(wkb);
        if (error == 0)
            error = wb_geom_append(out, &part);
        wb_geom_dispose(&part);
        return error;
    }
    if (t == wkbCurvePolygon || t == wkbMultiSurface) {
        OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (!lin) {
            wb_error_set(WB_ERRCLASS_GEO, "GDAL cannot linearise a curved polygon: %s", gdal_msg());
            return WB_EPARSE;
        }
        error = to_wb(lin, out, depth + 1, bad);
        OGR_G_DestroyGeometry(lin);
        return error;
    }
    if (t == wkbPolyhedralSurface || t == wkbTIN) {
        OGRGeometryH mp = OGR_G_ForceToMultiPolygon(OGR_G_Clone(g));
        error = mp ? to_wb(mp, out, depth + 1, bad) : WB_ENOMEM;
        OGR_G_DestroyGeometry(mp);
        return error;
    }
    if (t == wkbGeometryCollection && depth < 8) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g) && error == 0; i++)
            error = to_wb(OGR_G_GetGeometryRef(g, i), out, depth + 1, bad);
        return error;
    }
    *bad = OGRGeometryTypeToName(t);
    return WB_EPARSE;
}

static char *field_text(OGRFeatureH f, int idx)
{
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return NULL;
    const char *s = OGR_F_GetFieldAsString(f, idx);
    return s && *s ? wb_strdup(s) : NULL;
}

static OGRLayerH choose_layer(GDALDatasetH ds, const wb_geo_opts *opts, const char *fname,
                              const char *display_name, int *error)
{
    int n = GDALDatasetGetLayerCount(ds);
    *error = 0;
    if (opts->object) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, opts->object);
        if (!l && n == 1 && display_name && !strcmp(display_name, opts->object))
            l = GDALDatasetGetLayer(ds, 0);
        if (!l) {
            char list[400] = "";
            size_t len = 0;
            for (int i = 0; i < n; i++) {
                int w = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                                 OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
                if (w < 0 || (size_t)w >= sizeof list - len)
                    break;
                len += (size_t)w;
            }
            wb_error_set(WB_ERRCLASS_GEO, "%s: no layer '%s' (layers: %s)", fname, opts->object,
                         n ? list : "none");
            *error = WB_ENOTFOUND;
        }
        return l;
    }
    for (int i = 0; i < n; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (is_polygonal(OGR_L_GetGeomType(l)))
            return l;
    }
    if (n == 0) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: no layers", fname);
        *error = WB_EPARSE;
        return NULL;
    }
    return GDALDatasetGetLayer(ds, 0); /* unknown geometry type (GeoJSON): check per feature */
}

/* The name a GeoJSON layer read through /vsigzip/ shows: GDAL names it after the inner file
 * ("x.geojson"); the file's name without its extensions ("x") is what a plain file gives. */
static void strip_extension(char *name)
{
    char *dot = strrchr(name, '.');
    if (dot && dot != name && (!strcasecmp(dot, ".geojson") || !strcasecmp(dot, ".json")))
        *dot = 0;
}

static int ogr_read(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, const char *open_path,
                    const char *const *drivers, int use_file_crs, const wb_geo_opts *opts,
                    const char *filter)
{
    int error = 0;
    wb_reproj *rp = NULL;
    char *wkt = NULL;
    const char **names = NULL;
    char where[600];
    wb_ogr__begin();
    GDALDatasetH ds = GDALOpenEx(open_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (!ds) {
        wb_error_set(WB_ERRCLASS_GEO,
                     "%s: not a polygon file wijkbeeld can read (TopoJSON, GeoJSON, GeoPackage, "
                     "Shapefile): %s",
                     fname, gdal_msg());
        error = WB_EPARSE;
        goto done;
    }
    GDALDriverH drv = GDALGetDatasetDriver(ds);
    snprintf(sum->format, sizeof sum->format, "%s", drv ? GDALGetDriverShortName(drv) : "OGR");
    sum->nobjects = (size_t)GDALDatasetGetLayerCount(ds);
    char display[sizeof sum->object] = "";
    if (drivers && sum->nobjects == 1) {
        snprintf(display, sizeof display, "%s", OGR_L_GetName(GDALDatasetGetLayer(ds, 0)));
        strip_extension(display);
    }
    OGRLayerH layer = choose_layer(ds, opts, fname, display[0] ? display : NULL, &error);
    if (!layer)
        goto done;
    snprintf(sum->object, sizeof sum->object, "%s", display[0] ? display : OGR_L_GetName(layer));

    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nf = OGR_FD_GetFieldCount(defn);
    names = wb_malloc((size_t)(nf > 0 ? nf : 1) * sizeof *names);
    if (!names) {
        error = WB_ENOMEM;
        goto done;
    }
    for (int k = 0; k < nf; k++)
        names[k] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k));
    wb_geo__fields avail = {names, (size_t)nf};
    if ((error = wb_geo__pick_fields(sum, &avail, opts, fname)) < 0)
        goto done;
    int icode = OGR_FD_GetFieldIndex(defn, sum->code_field);
    int iname = sum->name_field[0] ? OGR_FD_GetFieldIndex(defn, sum->name_field) : -1;

    double bbox[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    if (filter && OGR_L_SetAttributeFilter(layer, filter) != OGRERR_NONE) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: layer '%s': GDAL refuses the filter %s: %s", fname,
                     sum->object, filter, gdal_msg());
        error = WB_EINVALID;
        goto done;
    }
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    GIntBig total = OGR_L_GetFeatureCount(layer, 0);
    size_t i = 0;
    CPLErrorReset();
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        char *code = field_text(f, icode), *name = field_text(f, iname);
        wb_geom g = WB_GEOM_INIT;
        unsigned flags = 0;
        OGRGeometryH gh = OGR_F_GetGeometryRef(f);
        const char *bad = NULL;
        wb_geo__where(where, sizeof where, fname, out->scan, NULL, i);
        if (!code) {
            wb_error_set(WB_ERRCLASS_GEO,
                         "%s: layer '%s', feature %zu: no code in field '%s' (choose another with "
                         "--code-field)",
                         where, sum->object, i + 1, sum->code_field);
            error = WB_EPARSE;
        } else if (!gh || OGR_G_IsEmpty(gh)) {
            flags = WB_GEO_NULL;
        } else if ((error = to_wb(gh, &g, 0, &bad)) < 0) {
            if (bad)
                wb_error_set(WB_ERRCLASS_GEO,
                             "%s: layer '%s', feature %zu (%s): a %s, expected Polygon, "
                             "MultiPolygon or null (wijkbeeld imports polygon layers)",
                             where, sum->object, i + 1, code, bad);
            else
                wb_error_prefix("%s: layer '%s', feature %zu (%s)", where, sum->object, i + 1, code);
        } else if ((error = wb_geom_clean(&g, &sum->clean)) == 0) {
            if (!g.npolys)
                flags = WB_GEO_COLLAPSED;
            bbox[0] = fmin(bbox[0], g.bbox[0]);
            bbox[1] = fmin(bbox[1], g.bbox[1]);
            bbox[2] = fmax(bbox[2], g.bbox[2]);
            bbox[3] = fmax(bbox[3], g.bbox[3]);
        }
        OGR_F_Destroy(f);
        if (error < 0) {
            wb_free(code);
            wb_free(name);
            wb_geom_dispose(&g);
            goto done;
        }
        if ((error = wb_geo__raw_push(out, code, name, &g, flags, i)) < 0)
            goto done;
        i++;
        if (opts->progress && i % WB_GEO_PROGRESS_EVERY == 0)
            opts->progress(opts->progress_payload, "features", i, total > 0 ? (size_t)total : 0);
    }
    if (CPLGetLastErrorType() >= CE_Failure) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: layer '%s', after feature %zu: %s", fname, sum->object, i,
                     gdal_msg());
        error = WB_EPARSE;
        goto done;
    }

    /* the CRS: the layer's, unless --crs overrides */
    const char *file_crs = NULL;
    char authbuf[96];
    OGRSpatialReferenceH srs = use_file_crs ? OGR_L_GetSpatialRef(layer) : NULL;
    if (srs) {
        const char *an = OSRGetAuthorityName(srs, NULL), *ac = OSRGetAuthorityCode(srs, NULL);
        if (an && ac) {
            snprintf(authbuf, sizeof authbuf, "%s:%s", an, ac);
            file_crs = authbuf;
        } else {
            const char *wopts[] = {"FORMAT=WKT2_2019", NULL};
            if (OSRExportToWktEx(srs, &wkt, wopts) == OGRERR_NONE)
                file_crs = wkt;
        }
    }
    int have = bbox[0] <= bbox[2];
    if ((error = wb_geo__resolve_crs(sum, file_crs, opts->crs, have ? bbox : NULL, fname)) < 0)
        goto done;
    if (!wb_geo__is_rd(sum->crs) && have) {
        if ((error = wb_reproj_new(&rp, opts->crs ? opts->crs : file_crs ? file_crs : sum->crs,
                                   WB_CRS_RD)) < 0) {
            wb_error_prefix("%s", fname);
            goto done;
        }
        for (size_t k = 0; k < out->n; k++) {
            if (out->geoms[k].npolys && (error = wb_reproj_geom(rp, &out->geoms[k])) < 0) {
                wb_error_prefix("%s: feature %zu", wb_geo__where(where, sizeof where, fname, out->scan, NULL, out->index[k]),
                                out->index[k] + 1);
                goto done;
            }
        }
    }
    if (opts->progress)
        opts->progress(opts->progress_payload, "features", i, i);
done:
    wb_reproj_free(rp);
    CPLFree(wkt);
    wb_free(names);
    if (ds)
        GDALClose(ds);
    wb_ogr__end();
    return error;
}

int wb_ogr__read(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, const char *open_path,
                 int use_file_crs, const wb_geo_opts *opts, const char *where)
{
    return ogr_read(out, sum, fname, open_path, NULL, use_file_crs, opts, where);
}

int wb_ogr__read_geojson(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, const char *open_path,
                         int has_crs, const wb_geo_opts *opts)
{
    static const char *const geojson[] = {"GeoJSON", NULL};
    return ogr_read(out, sum, fname, open_path, geojson, has_crs, opts, NULL);
}

int wb_ogr__read_mem(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, const char *vsi,
                     const char *data, size_t len, int has_crs, const wb_geo_opts *opts)
{
    wb_ogr__begin();
    VSILFILE *fp = VSIFileFromMemBuffer(vsi, (GByte *)(uintptr_t)data, (vsi_l_offset)len, FALSE);
    wb_ogr__end();
    if (!fp) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: GDAL cannot map the file into memory", fname);
        return WB_ERROR;
    }
    VSIFCloseL(fp);
    int error = wb_ogr__read_geojson(out, sum, fname, vsi, has_crs, opts);
    VSIUnlink(vsi);
    return error;
}
