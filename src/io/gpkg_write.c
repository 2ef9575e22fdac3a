/** @file @brief GeoPackage output through GDAL/OGR (a layer of one level and year, RD New). */
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <sys/stat.h>

#include "io/geo_internal.h"
#include "wijkbeeld/errors.h"

static int gdal_fail(const char *path, const char *what)
{
    const char *m = CPLGetLastErrorMsg();
    wb_error_set(WB_ERRCLASS_GEO, "%s: %s%s%s", path, what, m && *m ? ": " : "", m && *m ? m : "");
    return WB_EIO;
}

int wb_gpkg_export(const char *path, wb_store *st, wb_level level, int year, const char *indicator,
                   int data_year, size_t *nfeatures)
{
    struct stat sb;
    if (nfeatures)
        *nfeatures = 0;
    if (stat(path, &sb) == 0) {
        wb_error_set(WB_ERRCLASS_ARG, "%s: exists already", path);
        return WB_ECONFLICT;
    }
    wb_layer layer = WB_LAYER_INIT;
    double *values = NULL;
    int error = wb_geo__load_layer_values(&layer, &values, st, level, year, indicator, data_year);
    if (error < 0)
        return error;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = NULL;
    OGRFeatureH feat = NULL;
    int created = 0, in_tx = 0;
    wb_ogr__begin();
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv) {
        error = gdal_fail(path, "GDAL has no GeoPackage driver");
        goto done;
    }
    ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds) {
        error = gdal_fail(path, "cannot create the GeoPackage");
        goto done;
    }
    created = 1;
    srs = OSRNewSpatialReference(NULL);
    if (OSRImportFromEPSG(srs, 28992) != OGRERR_NONE) {
        error = gdal_fail(path, "EPSG:28992 unknown to GDAL");
        goto done;
    }
    char lname[64];
    snprintf(lname, sizeof lname, "%s_%d", wb_level_name(level), year);
    OGRLayerH l = GDALDatasetCreateLayer(ds, lname, srs, wkbMultiPolygon, NULL);
    if (!l) {
        error = gdal_fail(path, "cannot create the layer");
        goto done;
    }
    const char *names[3] = {"code", "name", "value"};
    for (int k = 0; k < (values ? 3 : 2); k++) {
        OGRFieldDefnH fd = OGR_Fld_Create(names[k], k < 2 ? OFTString : OFTReal);
        OGRErr e = OGR_L_CreateField(l, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            error = gdal_fail(path, "cannot create a field");
            goto done;
        }
    }
    if (OGR_L_StartTransaction(l) == OGRERR_NONE)
        in_tx = 1;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    for (size_t i = 0; i < layer.n; i++) {
        unsigned char *wkb = NULL;
        size_t len = 0;
        if ((error = wb_geom_to_wkb(&wkb, &len, &layer.geoms[i])) < 0)
            goto done;
        OGRGeometryH g = NULL;
        OGRErr e = OGR_G_CreateFromWkbEx(wkb, NULL, &g, len);
        wb_free(wkb);
        if (e != OGRERR_NONE || !g) {
            error = gdal_fail(path, "GDAL refused a geometry");
            goto done;
        }
        g = OGR_G_ForceToMultiPolygon(g);
        feat = OGR_F_Create(defn);
        OGR_F_SetFieldString(feat, 0, layer.codes[i]);
        if (layer.names[i])
            OGR_F_SetFieldString(feat, 1, layer.names[i]);
        if (values) {
            if (isnan(values[i]))
                OGR_F_SetFieldNull(feat, 2);
            else
                OGR_F_SetFieldDouble(feat, 2, values[i]);
        }
        OGR_F_SetGeometryDirectly(feat, g);
        if (OGR_L_CreateFeature(l, feat) != OGRERR_NONE) {
            error = gdal_fail(path, "cannot write a feature");
            goto done;
        }
        OGR_F_Destroy(feat);
        feat = NULL;
        if (nfeatures)
            (*nfeatures)++;
    }
    if (in_tx && OGR_L_CommitTransaction(l) != OGRERR_NONE)
        error = gdal_fail(path, "cannot commit");
done:
    if (feat)
        OGR_F_Destroy(feat);
    if (ds) {
        CPLErrorReset();
        GDALClose(ds);
        if (CPLGetLastErrorType() >= CE_Failure && error == 0)
            error = gdal_fail(path, "cannot finish the GeoPackage");
    }
    if (srs)
        OSRDestroySpatialReference(srs);
    if (error < 0 && created)
        VSIUnlink(path);
    wb_ogr__end();
    wb_free(values);
    wb_layer_dispose(&layer);
    return error;
}
