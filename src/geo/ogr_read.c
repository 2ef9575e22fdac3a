/** @file @brief Read polygons with GDAL/OGR into a wb_layer (see ogr_read.h). */
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>

#include "geo/ogr_read.h"
#include "wijkbeeld/errors.h"

int wb_geo__read_ogr(wb_layer *out, const char *path, const char *id_field, size_t *skipped)
{
    if (skipped)
        *skipped = 0;
    wb_layer empty = WB_LAYER_INIT;
    *out = empty;
    out->level = WB_LEVEL_OTHER;
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: cannot open as a vector file: %s", path, CPLGetLastErrorMsg());
        return WB_EIO;
    }
    int error = 0;
    unsigned char *wkb = NULL;
    size_t wkbcap = 0, cap = 0;
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    if (!lyr) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: no layer", path);
        error = WB_EPARSE;
        goto done;
    }
    int fidx = -1;
    if (id_field) {
        fidx = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), id_field);
        if (fidx < 0) {
            wb_error_set(WB_ERRCLASS_GEO, "%s: no field '%s'", path, id_field);
            error = WB_EPARSE;
            goto done;
        }
    }
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    size_t k = 0;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        k++;
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (!g || OGR_G_IsEmpty(g)) {
            if (skipped) {
                (*skipped)++;
                OGR_F_Destroy(f);
                continue;
            }
            wb_error_set(WB_ERRCLASS_GEO, "%s: feature %zu has no geometry", path, k);
            error = WB_EPARSE;
        }
        if (error == 0 && out->n == cap) {
            cap = cap ? 2 * cap : 256;
            void *c = wb_realloc(out->codes, cap * sizeof *out->codes);
            if (c)
                out->codes = c;
            void *nm = c ? wb_realloc(out->names, cap * sizeof *out->names) : NULL;
            if (nm)
                out->names = nm;
            void *gg = nm ? wb_realloc(out->geoms, cap * sizeof *out->geoms) : NULL;
            if (gg)
                out->geoms = gg;
            if (!gg)
                error = WB_ENOMEM;
        }
        if (error == 0) {
            size_t sz = (size_t)OGR_G_WkbSize(g);
            if (sz > wkbcap) {
                unsigned char *nb = wb_realloc(wkb, sz);
                if (!nb)
                    error = WB_ENOMEM;
                else {
                    wkb = nb;
                    wkbcap = sz;
                }
            }
        }
        if (error == 0 && OGR_G_ExportToIsoWkb(g, wkbNDR, wkb) != OGRERR_NONE) {
            wb_error_set(WB_ERRCLASS_GEO, "%s: feature %zu: cannot export WKB", path, k);
            error = WB_EPARSE;
        }
        if (error == 0) {
            size_t i = out->n;
            wb_geom gm = WB_GEOM_INIT;
            out->geoms[i] = gm;
            out->names[i] = NULL;
            if (fidx >= 0)
                snprintf(out->codes[i], WB_CODE_MAX, "%s", OGR_F_GetFieldAsString(f, fidx));
            else
                snprintf(out->codes[i], WB_CODE_MAX, "%zu", k);
            out->n++;
            error = wb_geom_from_wkb(&out->geoms[i], wkb, (size_t)OGR_G_WkbSize(g));
            if (error < 0)
                wb_error_prefix("%s: feature %zu", path, k);
        }
        OGR_F_Destroy(f);
        if (error < 0)
            break;
    }
done:
    wb_free(wkb);
    GDALClose(ds);
    if (error < 0)
        wb_layer_dispose(out);
    return error;
}
