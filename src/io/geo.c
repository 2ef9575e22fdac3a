/**
 * @file
 * @brief Importing polygon files: format detection, code and name fields, the source CRS,
 * merging duplicate codes, and storing areas and geometries in one transaction.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#include "io/geo_internal.h"
#include "wijkbeeld/errors.h"

/* ---------------------------------------------------------------- raw features */

int wb_geo__raw_push(wb_geo__raw *r, char *code, char *name, wb_geom *g, unsigned flags,
                     size_t index)
{
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 256;
        char **c = wb_realloc(r->code, nc * sizeof *c);
        if (c)
            r->code = c;
        char **nm = c ? wb_realloc(r->name, nc * sizeof *nm) : NULL;
        if (nm)
            r->name = nm;
        wb_geom *gs = nm ? wb_realloc(r->geoms, nc * sizeof *gs) : NULL;
        if (gs)
            r->geoms = gs;
        unsigned *fl = gs ? wb_realloc(r->flags, nc * sizeof *fl) : NULL;
        if (fl)
            r->flags = fl;
        size_t *ix = fl ? wb_realloc(r->index, nc * sizeof *ix) : NULL;
        if (ix)
            r->index = ix;
        if (!ix) {
            wb_free(code);
            wb_free(name);
            wb_geom_dispose(g);
            return WB_ENOMEM;
        }
        r->cap = nc;
    }
    r->code[r->n] = code;
    r->name[r->n] = name;
    r->geoms[r->n] = *g;
    r->flags[r->n] = flags;
    r->index[r->n] = index;
    r->n++;
    wb_geom empty = WB_GEOM_INIT;
    *g = empty;
    return 0;
}

void wb_geo__raw_dispose(wb_geo__raw *r)
{
    for (size_t i = 0; i < r->n; i++) {
        wb_free(r->code[i]);
        wb_free(r->name[i]);
        wb_geom_dispose(&r->geoms[i]);
    }
    wb_free(r->code);
    wb_free(r->name);
    wb_free(r->geoms);
    wb_free(r->flags);
    wb_free(r->index);
    wb_geo__scan_dispose(r->scan);
    wb_free(r->scan);
    memset(r, 0, sizeof *r);
}

const char *wb_geo__where(char *buf, size_t n, const char *fname, const wb_geo__scan *scan,
                          const char *object, size_t index)
{
    size_t line = wb_geo__scan_line(scan, object, index);
    if (line)
        snprintf(buf, n, "%s:%zu", fname, line);
    else
        snprintf(buf, n, "%s", fname);
    return buf;
}

void wb_geo_features_dispose(wb_geo_features *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        if (f->names)
            wb_free(f->names[i]);
        if (f->geoms)
            wb_geom_dispose(&f->geoms[i]);
    }
    wb_free(f->codes);
    wb_free(f->levels);
    wb_free(f->names);
    wb_free(f->geoms);
    wb_free(f->flags);
    wb_geo_features empty = WB_GEO_FEATURES_INIT;
    *f = empty;
}

/* ---------------------------------------------------------------- JSON helpers */

char *wb_geo__json_text(json_t *v)
{
    char buf[64];
    if (!v)
        return NULL;
    if (json_is_string(v))
        return json_string_length(v) ? wb_strndup(json_string_value(v), json_string_length(v)) : NULL;
    if (json_is_integer(v)) {
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        return wb_strdup(buf);
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d == floor(d) && fabs(d) < 1e15)
            snprintf(buf, sizeof buf, "%.0f", d);
        else
            snprintf(buf, sizeof buf, "%.17g", d);
        return wb_strdup(buf);
    }
    return NULL;
}

const char *wb_geo__crs_member(json_t *crs, char *buf, size_t n)
{
    if (!json_is_object(crs))
        return NULL;
    const char *type = json_string_value(json_object_get(crs, "type"));
    json_t *props = json_object_get(crs, "properties");
    if (!type || !json_is_object(props))
        return NULL;
    if (!strcasecmp(type, "name")) {
        const char *name = json_string_value(json_object_get(props, "name"));
        if (!name || !*name)
            return NULL;
        snprintf(buf, n, "%s", name);
        return buf;
    }
    if (!strcasecmp(type, "EPSG")) { /* the older GeoJSON 2008 drafts */
        json_t *code = json_object_get(props, "code");
        if (json_is_integer(code)) {
            snprintf(buf, n, "EPSG:%lld", (long long)json_integer_value(code));
            return buf;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- fields */

static const char *find_field(const wb_geo__fields *f, const char *want)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcasecmp(f->names[i], want))
            return f->names[i];
    return NULL;
}

static void list_fields(const wb_geo__fields *f, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < f->n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", f->names[i]);
        if (w < 0 || (size_t)w >= n - len)
            break;
        len += (size_t)w;
    }
    if (!f->n)
        snprintf(buf, n, "none");
}

int wb_geo__pick_fields(wb_geo_summary *sum, const wb_geo__fields *avail, const wb_geo_opts *opts,
                        const char *fname)
{
    char list[400];
    const char *code = NULL, *name = NULL;
    if (opts->code_field) {
        code = find_field(avail, opts->code_field);
        if (!code) {
            list_fields(avail, list, sizeof list);
            wb_error_set(WB_ERRCLASS_GEO, "%s: no field '%s' for the codes (fields: %s)", fname,
                         opts->code_field, list);
            return WB_ENOTFOUND;
        }
    } else {
        static const char *const by_level[WB_LEVEL__MAX][2] = {
            [WB_LEVEL_GEMEENTE] = {"gm_code", "gemeentecode"},
            [WB_LEVEL_WIJK] = {"wk_code", "wijkcode"},
            [WB_LEVEL_BUURT] = {"bu_code", "buurtcode"},
        };
        static const char *const generic[] = {"statcode", "gwb_code", "gwb_code_10", "bu_code",
                                               "buurtcode", "wk_code", "wijkcode", "gm_code",
                                               "gemeentecode", "code", "regiocode", "gbd", "id"};
        if (opts->level < WB_LEVEL__MAX)
            for (int k = 0; k < 2 && !code && by_level[opts->level][k]; k++)
                code = find_field(avail, by_level[opts->level][k]);
        for (size_t k = 0; !code && k < sizeof generic / sizeof *generic; k++)
            code = find_field(avail, generic[k]);
        if (!code) {
            list_fields(avail, list, sizeof list);
            wb_error_set(WB_ERRCLASS_GEO,
                         "%s: no code field found (looked for statcode, gwb_code, BU_CODE, WK_CODE, "
                         "GM_CODE, code, id; fields: %s); name it with --code-field",
                         fname, list);
            return WB_ENOTFOUND;
        }
    }
    if (opts->name_field) {
        if (*opts->name_field && !(name = find_field(avail, opts->name_field))) {
            list_fields(avail, list, sizeof list);
            wb_error_set(WB_ERRCLASS_GEO, "%s: no field '%s' for the names (fields: %s)", fname,
                         opts->name_field, list);
            return WB_ENOTFOUND;
        }
    } else {
        /* BU_CODE goes with BU_NAAM, buurtcode with buurtnaam */
        char paired[64] = "";
        size_t cl = strlen(code);
        if (cl > 4 && cl < sizeof paired && !strcasecmp(code + cl - 4, "code")) {
            snprintf(paired, sizeof paired, "%.*snaam", (int)(cl - 4), code);
            name = find_field(avail, paired);
        }
        static const char *const generic[] = {"statnaam", "name", "naam", "regio", "regionaam",
                                               "bu_naam", "buurtnaam", "wk_naam", "wijknaam",
                                               "gm_naam", "gemeentenaam"};
        for (size_t k = 0; !name && k < sizeof generic / sizeof *generic; k++)
            name = find_field(avail, generic[k]);
    }
    snprintf(sum->code_field, sizeof sum->code_field, "%s", code);
    snprintf(sum->name_field, sizeof sum->name_field, "%s", name ? name : "");
    return 0;
}

/* ---------------------------------------------------------------- CRS */

int wb_geo__is_rd(const char *crs)
{
    return !strcasecmp(crs, "EPSG:28992");
}

static int fits_lonlat(const double *b)
{
    return b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90;
}

/* An extent for a message: whole metres, or a few significant digits for absurd values (a
 * coordinate of 1e300 must not print as 300 digits). */
static const char *extent_text(char *buf, size_t n, const double *b)
{
    char v[4][32];
    for (int i = 0; i < 4; i++)
        snprintf(v[i], sizeof v[i], fabs(b[i]) < 1e9 ? "%.0f" : "%.3g", b[i]);
    snprintf(buf, n, "x %s..%s, y %s..%s", v[0], v[2], v[1], v[3]);
    return buf;
}

int wb_geo__resolve_crs(wb_geo_summary *sum, const char *file_crs, const char *opt_crs,
                        const double *bbox, const char *fname)
{
    char canon[64] = "", file_canon[64] = "";
    int geographic = 0, error;
    const char *chosen;
    if (opt_crs) {
        if ((error = wb_crs_check(opt_crs, &geographic, canon, sizeof canon)) < 0) {
            wb_error_prefix("--crs");
            return error;
        }
        chosen = opt_crs;
        if (file_crs && wb_crs_check(file_crs, NULL, file_canon, sizeof file_canon) == 0 &&
            strcmp(file_canon, canon))
            snprintf(sum->crs_source, sizeof sum->crs_source, "--crs option (the file says %.100s)",
                     file_canon[0] ? file_canon : file_crs);
        else
            snprintf(sum->crs_source, sizeof sum->crs_source, "--crs option");
    } else if (file_crs) {
        if ((error = wb_crs_check(file_crs, &geographic, canon, sizeof canon)) < 0) {
            wb_error_prefix("%s: the file's CRS", fname);
            return error;
        }
        chosen = file_crs;
        snprintf(sum->crs_source, sizeof sum->crs_source, "file");
    } else if (!bbox || fits_lonlat(bbox)) {
        chosen = "OGC:CRS84";
        snprintf(canon, sizeof canon, "OGC:CRS84");
        geographic = 1;
        snprintf(sum->crs_source, sizeof sum->crs_source,
                 bbox ? "assumed: no CRS in the file, coordinates within lon/lat range"
                      : "assumed: no CRS in the file and no coordinates");
    } else {
        char ext[160];
        wb_error_set(WB_ERRCLASS_GEO,
                     "%s: the file names no CRS and its coordinates (%s) "
                     "are not longitude/latitude; give the CRS with --crs (e.g. --crs EPSG:28992 "
                     "for RD New metres)",
                     fname, extent_text(ext, sizeof ext, bbox));
        return WB_EINVALID;
    }
    snprintf(sum->crs, sizeof sum->crs, "%s", canon[0] ? canon : chosen);
    if (bbox && geographic && !fits_lonlat(bbox)) {
        char ext[160];
        wb_error_set(WB_ERRCLASS_GEO,
                     "%s: coordinates (%s) are not longitude/latitude, but "
                     "the CRS is %s (%s); give the right one with --crs (EPSG:28992 for RD New)",
                     fname, extent_text(ext, sizeof ext, bbox), sum->crs, sum->crs_source);
        return WB_EINVALID;
    }
    if (bbox && !geographic && fits_lonlat(bbox) &&
        fabs(bbox[2] - bbox[0]) + fabs(bbox[3] - bbox[1]) > 0) {
        wb_error_set(WB_ERRCLASS_GEO,
                     "%s: coordinates (x %.4g..%.4g, y %.4g..%.4g) look like longitude/latitude, "
                     "but the CRS is the projected %s (%s); give --crs EPSG:4326 if they are degrees",
                     fname, bbox[0], bbox[2], bbox[1], bbox[3], sum->crs, sum->crs_source);
        return WB_EINVALID;
    }
    return 0;
}

/* ---------------------------------------------------------------- reading files */

static int file_starts_like_json(const char *path, int *is_json)
{
    *is_json = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? WB_ENOTFOUND : WB_EIO;
    }
    unsigned char head[64];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
        *is_json = 2; /* gzip: decide after decompressing */
        return 0;
    }
    size_t i = 0;
    if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    *is_json = i < n && (head[i] == '{' || head[i] == '[');
    return 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int is_geojson_type(const char *type)
{
    static const char *const types[] = {"FeatureCollection", "Feature", "Polygon", "MultiPolygon",
                                        "GeometryCollection", NULL};
    for (int i = 0; types[i]; i++)
        if (!strcmp(type, types[i]))
            return 1;
    return 0;
}

static int neither(const char *fname, const char *type)
{
    wb_error_set(WB_ERRCLASS_GEO, "%s: JSON, but neither TopoJSON nor GeoJSON (top-level \"type\" is %s%s%s)",
                 fname, *type ? "\"" : "", *type ? type : "missing", *type ? "\"" : "");
    return WB_EPARSE;
}

static int json_failed(const char *fname, const json_error_t *jerr)
{
    if (jerr->line > 0)
        wb_error_set(WB_ERRCLASS_JSON, "%s:%d:%d: invalid JSON: %s", fname, jerr->line, jerr->column, jerr->text);
    else
        wb_error_set(WB_ERRCLASS_JSON, "%s: invalid JSON: %s", fname, jerr->text);
    return WB_EPARSE;
}

/* Attach a fresh scan to @p raw (which owns it from then on). */
static wb_geo__scan *new_scan(wb_geo__raw *raw)
{
    raw->scan = wb_calloc(1, sizeof *raw->scan);
    return raw->scan;
}

/* Decode JSON held in memory (TopoJSON with our decoder, GeoJSON through OGR). @p fname names
 * it in messages; @p buf is not modified and need not be NUL-terminated. */
static int read_json(wb_geo__raw *raw, wb_geo_summary *sum, const char *fname, const char *buf,
                     size_t len, const wb_geo_opts *opts)
{
    wb_geo__scan *sc = new_scan(raw);
    if (!sc)
        return WB_ENOMEM;
    int error = wb_geo__scan_buffer(sc, fname, buf, len);
    if (error < 0)
        return error;
    if (!strcmp(sc->type, "Topology")) {
        size_t skip = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
        json_error_t jerr;
        json_t *root = json_loadb(buf + skip, len - skip, 0, &jerr);
        if (!root)
            return json_failed(fname, &jerr);
        error = wb_topojson__read(raw, sum, fname, root, opts);
        json_decref(root);
        return error;
    }
    if (!is_geojson_type(sc->type))
        return neither(fname, sc->type);
    /* GeoJSON: OGR reads it from memory. The layer takes the document's base name, as when
     * OGR opens the file itself. */
    char vsi[512], base[256];
    snprintf(base, sizeof base, "%s", base_name(fname));
    size_t bl = strlen(base);
    if (bl > 3 && !strcmp(base + bl - 3, ".gz"))
        base[bl -= 3] = 0;
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = 0;
    snprintf(vsi, sizeof vsi, "/vsimem/wijkbeeld_%p/%s.geojson", (const void *)buf, base);
    return wb_ogr__read_mem(raw, sum, fname, vsi, buf, len, sc->has_crs, opts);
}

static size_t gz_feed(void *buffer, size_t buflen, void *data)
{
    int got = gzread((gzFile)data, buffer, (unsigned)(buflen > (1u << 30) ? (1u << 30) : buflen));
    return got < 0 ? (size_t)-1 : (size_t)got;
}

/* A JSON file, gzipped or not: checked in one streaming pass first (wb_geo__scan_file), then
 * TopoJSON is parsed straight from the (inflating) stream and GeoJSON handed to GDAL, which
 * streams it too (/vsigzip/ for gzip). The inflated text is never held in memory. */
static int read_json_file(wb_geo__raw *raw, wb_geo_summary *sum, const char *path, const wb_geo_opts *opts)
{
    wb_geo__scan *sc = new_scan(raw);
    if (!sc)
        return WB_ENOMEM;
    uint64_t limit = (uint64_t)(opts->max_inflated_mb ? opts->max_inflated_mb : WB_GEO_MAX_INFLATED_MB) << 20;
    int error = wb_geo__scan_file(sc, path, path, limit);
    if (error < 0)
        return error;
    if (!strcmp(sc->type, "Topology")) {
        gzFile gz = gzopen(path, "rb");
        if (!gz) {
            wb_error_set(WB_ERRCLASS_OS, "%s: %s", path, strerror(errno ? errno : EIO));
            return WB_EIO;
        }
        gzbuffer(gz, 1 << 17);
        /* a byte order mark was allowed by the check; jansson does not skip it */
        unsigned char bom[3];
        if (gzread(gz, bom, 3) != 3 || memcmp(bom, "\xEF\xBB\xBF", 3))
            gzrewind(gz);
        json_error_t jerr;
        json_t *root = json_load_callback(gz_feed, gz, 0, &jerr);
        gzclose(gz);
        if (!root)
            return json_failed(path, &jerr);
        error = wb_topojson__read(raw, sum, path, root, opts);
        json_decref(root);
        return error;
    }
    if (!is_geojson_type(sc->type))
        return neither(path, sc->type);
    if (!sc->compressed)
        return wb_ogr__read_geojson(raw, sum, path, path, sc->has_crs, opts);
    wb_str vsi = WB_STR_INIT;
    if (wb_str_printf(&vsi, "/vsigzip/%s", path) < 0)
        return WB_ENOMEM;
    error = wb_ogr__read_geojson(raw, sum, path, wb_str_cstr(&vsi), sc->has_crs, opts);
    wb_str_dispose(&vsi);
    return error;
}

static int read_raw(wb_geo__raw *raw, wb_geo_summary *sum, const char *path, const wb_geo_opts *opts)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? WB_ENOTFOUND : WB_EIO;
    }
    if (S_ISDIR(sb.st_mode)) /* a directory of shapefiles: OGR reads it */
        return wb_ogr__read(raw, sum, path, path, 1, opts, NULL);
    int is_json = 0, error = file_starts_like_json(path, &is_json);
    if (error < 0)
        return error;
    if (!is_json)
        return wb_ogr__read(raw, sum, path, path, 1, opts, NULL);
    return read_json_file(raw, sum, path, opts);
}

/* ---------------------------------------------------------------- normalising */

typedef struct {
    const char *code;
    size_t i;
} code_ix;

static int cmp_code_ix(const void *a, const void *b)
{
    const code_ix *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* Normalise the codes of what a reader found, merge duplicate codes and total up. Disposes
 * of @p raw in any case; on error @p out is disposed of too. */
static int finish(wb_geo_features *out, wb_geo_summary *sum, wb_geo__raw *rawp, int error,
                  const char *fname, const wb_geo_opts *opts)
{
    wb_geo__raw raw = *rawp;
    memset(rawp, 0, sizeof *rawp);
    code_ix *order = NULL;
    size_t *target = NULL, *slot = NULL;
    if (error < 0)
        goto done;
    sum->features = raw.n;

    /* normalise codes, check levels */
    char (*codes)[WB_CODE_MAX] = wb_malloc((raw.n ? raw.n : 1) * sizeof *codes);
    wb_level *levels = wb_malloc((raw.n ? raw.n : 1) * sizeof *levels);
    out->codes = codes;
    out->levels = levels;
    if (!codes || !levels) {
        error = WB_ENOMEM;
        goto done;
    }
    const char *topo_object = !strcmp(sum->format, "TopoJSON") ? sum->object : NULL;
    for (size_t i = 0; i < raw.n; i++) {
        wb_level lv;
        char where[600];
        if ((error = wb_code_normalize(codes[i], &lv, raw.code[i], strlen(raw.code[i]), opts->level)) < 0) {
            wb_error_prefix("%s: feature %zu, field '%s'",
                            wb_geo__where(where, sizeof where, fname, raw.scan, topo_object, raw.index[i]),
                            raw.index[i] + 1, sum->code_field);
            goto done;
        }
        if (opts->level < WB_LEVEL__MAX) {
            if (lv == WB_LEVEL_OTHER)
                lv = opts->level;
            else if (lv != opts->level) {
                wb_error_set(WB_ERRCLASS_GEO, "%s: feature %zu: %s is a %s code, but the level is %s",
                             wb_geo__where(where, sizeof where, fname, raw.scan, topo_object, raw.index[i]),
                             raw.index[i] + 1, codes[i], wb_level_name(lv),
                             wb_level_name(opts->level));
                error = WB_EINVALID;
                goto done;
            }
        }
        levels[i] = lv;
        if (raw.flags[i] & WB_GEO_NULL)
            sum->null_geometries++;
        if (raw.flags[i] & WB_GEO_COLLAPSED)
            sum->collapsed++;
    }

    /* merge duplicate codes into their first occurrence */
    order = wb_malloc((raw.n ? raw.n : 1) * sizeof *order);
    target = wb_malloc((raw.n ? raw.n : 1) * sizeof *target);
    if (!order || !target) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < raw.n; i++) {
        order[i].code = codes[i];
        order[i].i = i;
        target[i] = i;
    }
    qsort(order, raw.n, sizeof *order, cmp_code_ix);
    for (size_t k = 1; k < raw.n; k++)
        if (!strcmp(order[k].code, order[k - 1].code))
            target[order[k].i] = target[order[k - 1].i];
    size_t nout = 0;
    for (size_t i = 0; i < raw.n; i++)
        nout += target[i] == i;
    out->names = wb_calloc(nout ? nout : 1, sizeof *out->names);
    out->geoms = wb_calloc(nout ? nout : 1, sizeof *out->geoms);
    out->flags = wb_calloc(nout ? nout : 1, sizeof *out->flags);
    if (!out->names || !out->geoms || !out->flags) {
        error = WB_ENOMEM;
        goto done;
    }
    /* the output slot of each first occurrence */
    slot = wb_malloc((raw.n ? raw.n : 1) * sizeof *slot);
    if (!slot) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0, k = 0; i < raw.n; i++)
        if (target[i] == i)
            slot[i] = k++;
    for (size_t i = 0; i < raw.n; i++) {
        size_t s = slot[target[i]];
        if (target[i] == i) {
            memmove(codes[s], codes[i], WB_CODE_MAX);
            levels[s] = levels[i];
            out->names[s] = raw.name[i];
            raw.name[i] = NULL;
            out->geoms[s] = raw.geoms[i];
            wb_geom e = WB_GEOM_INIT;
            raw.geoms[i] = e;
            out->flags[s] = raw.flags[i];
            out->n = s + 1;
        } else {
            sum->duplicate_codes++;
            if ((error = wb_geom_append(&out->geoms[s], &raw.geoms[i])) < 0)
                goto done;
            if (!out->names[s] && raw.name[i]) {
                out->names[s] = raw.name[i];
                raw.name[i] = NULL;
            }
            if (out->geoms[s].npolys)
                out->flags[s] = 0;
            else if (!((out->flags[s] & WB_GEO_NULL) && (raw.flags[i] & WB_GEO_NULL)))
                out->flags[s] = WB_GEO_COLLAPSED;
        }
    }
    /* total up */
    sum->areas = out->n;
    double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < out->n; i++) {
        wb_geom *g = &out->geoms[i];
        if (!g->npolys) {
            sum->without_geometry++;
            continue;
        }
        sum->imported++;
        sum->polygons += g->npolys;
        sum->rings += g->nrings;
        sum->points += g->npts;
        sum->area_km2 += wb_geom_area(g) / 1e6;
        bb[0] = fmin(bb[0], g->bbox[0]);
        bb[1] = fmin(bb[1], g->bbox[1]);
        bb[2] = fmax(bb[2], g->bbox[2]);
        bb[3] = fmax(bb[3], g->bbox[3]);
    }
    if (sum->imported)
        memcpy(sum->bbox, bb, sizeof bb);
done:
    wb_free(order);
    wb_free(target);
    wb_free(slot);
    wb_geo__raw_dispose(&raw);
    if (error < 0)
        wb_geo_features_dispose(out);
    return error;
}

static int start_read(wb_geo_features *out, wb_geo_summary **sum, wb_geo_summary *local,
                      const wb_geo_opts **opts)
{
    static const wb_geo_opts defaults = WB_GEO_OPTS_INIT;
    wb_geo_features empty = WB_GEO_FEATURES_INIT;
    *out = empty;
    if (!*sum)
        *sum = local;
    memset(*sum, 0, sizeof **sum);
    if (!*opts)
        *opts = &defaults;
    if ((*opts)->level > WB_LEVEL__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "invalid level");
        return WB_EINVALID;
    }
    return 0;
}

/* A polygon file; with @p where (an OGR attribute filter) only the features passing it. */
static int read_file(wb_geo_features *out, wb_geo_summary *summary, const char *path,
                     const wb_geo_opts *opts, const char *where)
{
    wb_geo_summary local;
    int error = start_read(out, &summary, &local, &opts);
    if (error < 0)
        return error;
    wb_geo__raw raw;
    memset(&raw, 0, sizeof raw);
    error = where ? wb_ogr__read(&raw, summary, path, path, 1, opts, where)
                  : read_raw(&raw, summary, path, opts);
    return finish(out, summary, &raw, error, path, opts);
}

int wb_geo_read(wb_geo_features *out, wb_geo_summary *summary, const char *path,
                const wb_geo_opts *opts)
{
    return read_file(out, summary, path, opts, NULL);
}

int wb_geo__read_layer(wb_geo_features *out, wb_geo_summary *summary, const char *path,
                       const wb_geo_opts *opts, const char *where)
{
    return read_file(out, summary, path, opts, where);
}

int wb_geo_read_buffer(wb_geo_features *out, wb_geo_summary *summary, const char *name,
                       const void *data, size_t len, const wb_geo_opts *opts)
{
    wb_geo_summary local;
    int error = start_read(out, &summary, &local, &opts);
    if (error < 0)
        return error;
    if (!name)
        name = "input";
    wb_geo__raw raw;
    memset(&raw, 0, sizeof raw);
    error = read_json(&raw, summary, name, data ? data : "", data ? len : 0, opts);
    return finish(out, summary, &raw, error, name, opts);
}

/* ---------------------------------------------------------------- storing */

int wb_geo__store(wb_store *st, const wb_geo_features *f, const wb_geo_opts *opts,
                  wb_geo_summary *sum)
{
    int error = 0;
    for (size_t i = 0; i < f->n; i++) {
        int64_t id;
        int found = wb_store_area_find(st, &id, f->codes[i], opts->year);
        if (found < 0 && found != WB_ENOTFOUND)
            return found;
        if (found == 0)
            sum->areas_updated++;
        else
            sum->areas_new++;
        if ((error = wb_store_area_put(st, &id, f->codes[i], opts->year, f->levels[i],
                                       f->names[i], NULL)) < 0)
            return error;
        if (f->geoms[i].npolys && (error = wb_store_geom_put(st, id, &f->geoms[i])) < 0)
            return error;
        if (opts->progress && (i + 1) % WB_GEO_PROGRESS_EVERY == 0)
            opts->progress(opts->progress_payload, "storing", i + 1, f->n);
    }
    if (opts->progress)
        opts->progress(opts->progress_payload, "storing", f->n, f->n);
    return 0;
}

int wb_geo_import(wb_store *st, const char *path, const wb_geo_opts *opts, wb_geo_summary *summary)
{
    wb_geo_summary local;
    wb_geo_summary *sum = summary ? summary : &local;
    memset(sum, 0, sizeof *sum);
    if (!opts || opts->year <= 0) {
        wb_error_set(WB_ERRCLASS_ARG, "importing polygons needs the boundary year");
        return WB_EINVALID;
    }
    wb_geo_features f;
    int error = wb_geo_read(&f, sum, path, opts);
    if (error < 0)
        return error;
    if ((error = wb_store_begin(st)) < 0)
        goto done;
    error = wb_geo__store(st, &f, opts, sum);
    if (error == 0) {
        char text[512];
        snprintf(text, sizeof text,
                 "%s object '%s', CRS %s (%s), year %d: %zu features, %zu areas, %zu with geometry, "
                 "%zu without (%zu null, %zu collapsed), %zu duplicate codes merged, %zu degenerate "
                 "rings and %zu empty polygons dropped, %zu self-intersecting polygons repaired",
                 sum->format, sum->object, sum->crs, sum->crs_source, opts->year, sum->features,
                 sum->areas, sum->imported, sum->without_geometry, sum->null_geometries,
                 sum->collapsed, sum->duplicate_codes, sum->clean.degenerate_rings,
                 sum->clean.empty_polygons, sum->clean.repaired_polygons);
        error = wb_store_log_import(st, "geo", base_name(path), text);
    }
    if (error < 0) {
        wb_store_rollback(st);
        sum->areas_new = sum->areas_updated = 0;
        goto done;
    }
    error = wb_store_commit(st);
done:
    wb_geo_features_dispose(&f);
    return error;
}
