/**
 * @file
 * @brief OGC API - Features under /ogc: the monitor's polygons with their latest values as
 * feature collections that QGIS (through GDAL's OAPIF driver) opens directly.
 *
 *   GET /ogc                                            landing page (self, service-desc, conformance, data)
 *   GET /ogc/api                                        the API definition (OpenAPI 3.0)
 *   GET /ogc/conformance                                core, geojson, oas30
 *   GET /ogc/collections                                one collection per level and boundary
 *                                                       year with polygons: {level}-{year}
 *   GET /ogc/collections/{collectionId}                 its title, extent, links
 *   GET /ogc/collections/{collectionId}/schema          JSON Schema of its features (GDAL types
 *                                                       the fields from it)
 *   GET /ogc/collections/{collectionId}/items           limit, offset, bbox, properties, year,
 *                                                       datetime: a page of GeoJSON features
 *   GET /ogc/collections/{collectionId}/items/{code}    one feature
 *
 * Features are the areas of one level and boundary year that have a polygon, ordered by code,
 * in CRS84 (WGS84 longitude, latitude) with 6 decimals (about 0.1 m), always MultiPolygons.
 * Properties: code, name, level, boundary_year, parent, and per indicator with values for
 * these areas KEY (the latest value) and KEY_year (its data year), or the latest in the data
 * years that year= or datetime= select.
 *
 * What the store gives for a collection (polygons reprojected and rounded once, the latest
 * values) is prepared on first use and cached per store generation, like the GeoJSON layers
 * of the map; a page then costs a filter, a slice and the GeoJSON writer of the library.
 * Links are absolute URLs built from the Host header of the request (GDAL resolves a
 * relative link against the landing page, not the server).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/internal.h"
#include "web/json.h"
#include "web/web_internal.h"
#include "wijkbeeld/geoio.h"

#define OGC_LIMIT_DEFAULT 100
#define OGC_LIMIT_MAX 10000
#define OGC_DECIMALS 6
#define OGC_SCALE 1e6

#define CRS84 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#define TYPE_JSON "application/json"
#define TYPE_GEOJSON "application/geo+json"
#define TYPE_OPENAPI "application/vnd.oai.openapi+json;version=3.0"
#define TYPE_SCHEMA "application/schema+json"

const char *const wb_web__ogc_formats[] = {"json", NULL};

static const char *const conformance[] = {
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    NULL,
};

/* Properties every feature has besides the indicators (the writer adds code and name). */
static const char *const fixed_props[] = {"id", "code", "name", "level", "boundary_year", "parent", NULL};

/* ---------------------------------------------------------------- the prepared collection */

/* One collection as the store gives it, in one allocation (the pointers point into it), so
 * that it can live in the server's cache of blobs and be shared by concurrent requests. */
typedef struct {
    wb_level level;
    int byear;
    size_t n;                       /* features, ordered by code */
    size_t nkeys;                   /* indicators with values for these areas */
    int data_from, data_to;         /* first and last data year with a value (0: none) */
    double bbox[4];                 /* CRS84 extent of the served coordinates */
    int64_t built;                  /* when the store was read (unix seconds) */
    char (*codes)[WB_CODE_MAX];
    char **names;                   /* NULL entries where there is no name */
    char (*parents)[WB_CODE_MAX];   /* "" where unknown */
    int64_t *ids;                   /* area row ids */
    wb_geom *geoms;                 /* CRS84, rounded to OGC_DECIMALS */
    char (*keys)[64];               /* canonical indicator keys, in key order */
    char **labels;                  /* label_nl per key, or NULL */
    char **units;                   /* unit per key, or NULL */
    double *latest;                 /* n x nkeys: the latest value, NaN: none */
    int *latest_year;               /* n x nkeys: its data year, 0: none */
    char **props;                   /* per feature its properties after code and name as
                                       JSON (",\"level\":..."), for a request without
                                       properties=, year= or datetime=: most pages then
                                       copy them instead of formatting numbers */
} ogc_coll;

/* A bump allocator run twice: once to measure (base NULL), once to place. */
typedef struct {
    unsigned char *base;
    size_t off;
} flat;

static void *take(flat *f, size_t n)
{
    f->off = (f->off + 15) & ~(size_t)15;
    void *p = f->base ? f->base + f->off : NULL;
    f->off += n;
    return p;
}

static char *take_str(flat *f, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = take(f, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static void *take_copy(flat *f, const void *src, size_t n)
{
    void *p = take(f, n);
    if (p && n) {
        if (src)
            memcpy(p, src, n);
        else
            memset(p, 0, n);
    }
    return p;
}

/* What a collection is built from, before it is laid out flat. */
typedef struct {
    wb_level level;
    int byear;
    size_t n;
    const size_t *order;  /* feature f is layer area order[f] (by code) */
    const wb_layer *layer;
    const wb_area *areas; /* matching the layer (same index) */
    const wb_latest *lt;
    const size_t *keep;   /* indicators of lt kept */
    size_t nkeep;
    double bbox[4];
    int64_t built;
    char *const *props;   /* the default properties of feature f, or NULL */
} coll_src;

/* Lay a collection out in @p f (measure when f->base is NULL). */
static ogc_coll *lay_out(flat *f, const coll_src *s)
{
    ogc_coll *c = take(f, sizeof *c);
    size_t n = s->n, nk = s->nkeep;
    char (*codes)[WB_CODE_MAX] = take(f, n * WB_CODE_MAX);
    char (*parents)[WB_CODE_MAX] = take(f, n * WB_CODE_MAX);
    char **names = take(f, n * sizeof *names);
    int64_t *ids = take(f, n * sizeof *ids);
    wb_geom *geoms = take(f, n * sizeof *geoms);
    char (*keys)[64] = take(f, nk * 64 + 1);
    char **labels = take(f, nk * sizeof *labels + 1);
    char **units = take(f, nk * sizeof *units + 1);
    double *latest = take(f, n * nk * sizeof *latest + 1);
    int *latest_year = take(f, n * nk * sizeof *latest_year + 1);
    char **props = s->props ? take(f, n * sizeof *props) : NULL;
    for (size_t i = 0; i < n; i++) {
        size_t a = s->order[i];
        const wb_geom *g = &s->layer->geoms[a];
        char *name = take_str(f, s->layer->names[a]);
        char *prop = s->props ? take_str(f, s->props[i]) : NULL;
        wb_point *pts = take_copy(f, g->pts, g->npts * sizeof *pts);
        size_t *ring_off = take_copy(f, g->ring_off, (g->nrings + 1) * sizeof *ring_off);
        size_t *poly_off = take_copy(f, g->poly_off, (g->npolys + 1) * sizeof *poly_off);
        if (!f->base)
            continue;
        memcpy(codes[i], s->layer->codes[a], WB_CODE_MAX);
        memcpy(parents[i], s->areas[a].parent, WB_CODE_MAX);
        names[i] = name;
        if (props)
            props[i] = prop;
        ids[i] = s->areas[a].id;
        geoms[i] = *g;
        geoms[i].pts = pts;
        geoms[i].ring_off = ring_off;
        geoms[i].poly_off = poly_off;
        for (size_t k = 0; k < nk; k++) {
            size_t src = a * s->lt->nind + s->keep[k];
            latest[i * nk + k] = s->lt->value[src];
            latest_year[i * nk + k] = s->lt->year[src];
        }
    }
    for (size_t k = 0; k < nk; k++) {
        const wb_indicator *ind = &s->lt->ind[s->keep[k]];
        char *label = take_str(f, ind->label_nl), *unit = take_str(f, ind->unit);
        if (!f->base)
            continue;
        snprintf(keys[k], 64, "%s", ind->key);
        labels[k] = label;
        units[k] = unit;
    }
    if (!f->base)
        return NULL;
    *c = (ogc_coll){s->level, s->byear, n, nk, s->lt->year_min, s->lt->year_max, {0, 0, 0, 0}, s->built,
                    codes, names, parents, ids, geoms, keys, labels, units, latest, latest_year, props};
    memcpy(c->bbox, s->bbox, sizeof c->bbox);
    return c;
}

/* Lay a collection out in one new allocation of @p len bytes. */
static int lay_out_alloc(const coll_src *s, unsigned char **out, size_t *len)
{
    flat f = {NULL, 0};
    lay_out(&f, s);
    *len = f.off;
    if (!(f.base = wb_calloc(1, f.off))) {
        *out = NULL;
        return WB_ENOMEM;
    }
    f.off = 0;
    lay_out(&f, s);
    *out = f.base;
    return 0;
}

/* The default properties of every feature (below, with the page writer). */
static int default_props(const ogc_coll *c, char ***out);

/* Does the indicator key collide with a fixed property, or KEY_year with another key? Such
 * an indicator is left out rather than written as a duplicate JSON member. */
static int key_collides(const wb_latest *lt, size_t k)
{
    const char *key = lt->ind[k].key;
    for (int i = 0; fixed_props[i]; i++)
        if (!strcmp(key, fixed_props[i]))
            return 1;
    size_t n = strlen(key);
    for (size_t j = 0; j < lt->nind; j++) {
        const char *other = lt->ind[j].key;
        size_t m = strlen(other);
        if (j != k && n == m + 5 && !strncmp(key, other, m) && !strcmp(key + m, "_year"))
            return 1;
    }
    return 0;
}

/* Layer rows sorted by code (the store gives them so; sorting makes it a property here). */
static int cmp_layer_code(const void *a, const void *b, void *layer)
{
    const wb_layer *l = layer;
    return strcmp(l->codes[*(const size_t *)a], l->codes[*(const size_t *)b]);
}

/* Round a CRS84 geometry to the served precision, so that what the bbox filter tests is
 * what the client gets. */
static int round_geom(wb_geom *g)
{
    for (size_t i = 0; i < g->npts; i++) {
        g->pts[i].x = (double)llround(g->pts[i].x * OGC_SCALE) / OGC_SCALE;
        g->pts[i].y = (double)llround(g->pts[i].y * OGC_SCALE) / OGC_SCALE;
    }
    int error = wb_geom_clean(g, NULL);
    if (error == 0)
        wb_geom_update_bbox(g);
    return error;
}

/* Read one collection from the store and lay it out flat into a blob. */
static int coll_build(wb_store *st, wb_reproj **rp, wb_level level, int byear, wb_blob **out)
{
    *out = NULL;
    wb_layer layer = WB_LAYER_INIT;
    wb_area *areas = NULL, *matched = NULL;
    size_t nareas = 0, *order = NULL, *keep = NULL;
    wb_latest lt = WB_LATEST_INIT;
    int64_t *ids = NULL;
    unsigned char *first = NULL, *final = NULL;
    char **props = NULL;
    int error = wb_store_layer_load(st, &layer, level, byear);
    if (error < 0)
        goto done;
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.level = level;
    q.year = byear;
    q.with_geometry = 1;
    if ((error = wb_store_areas(st, &areas, &nareas, &q)) < 0)
        goto done;
    order = wb_malloc((layer.n ? layer.n : 1) * sizeof *order);
    matched = wb_calloc(layer.n ? layer.n : 1, sizeof *matched);
    ids = wb_malloc((layer.n ? layer.n : 1) * sizeof *ids);
    if (!order || !matched || !ids) {
        error = WB_ENOMEM;
        goto done;
    }
    if (!*rp && (error = wb_reproj_new(rp, WB_CRS_RD, WB_CRS_WGS84)) < 0)
        goto done;
    /* areas come by year then code, so by code within one year */
    double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < layer.n; i++) {
        order[i] = i;
        long a = nareas ? wb__code_find(areas[0].code, nareas, sizeof *areas, layer.codes[i]) : -1;
        if (a >= 0)
            matched[i] = areas[a]; /* shallow: areas keeps the names */
        else
            matched[i].id = -1;
        ids[i] = matched[i].id;
        if ((error = wb_reproj_geom(*rp, &layer.geoms[i])) < 0 || (error = round_geom(&layer.geoms[i])) < 0)
            goto done;
        if (layer.geoms[i].npolys) {
            bb[0] = fmin(bb[0], layer.geoms[i].bbox[0]);
            bb[1] = fmin(bb[1], layer.geoms[i].bbox[1]);
            bb[2] = fmax(bb[2], layer.geoms[i].bbox[2]);
            bb[3] = fmax(bb[3], layer.geoms[i].bbox[3]);
        }
    }
    qsort_r(order, layer.n, sizeof *order, cmp_layer_code, &layer);
    if ((error = wb_store_latest(st, &lt, ids, layer.n, 0, 0)) < 0)
        goto done;
    keep = wb_malloc((lt.nind ? lt.nind : 1) * sizeof *keep);
    if (!keep) {
        error = WB_ENOMEM;
        goto done;
    }
    size_t nkeep = 0;
    for (size_t k = 0; k < lt.nind; k++)
        if (!key_collides(&lt, k))
            keep[nkeep++] = k;
    coll_src src = {level, byear, layer.n, order, &layer, matched, &lt, keep, nkeep,
                    {bb[0], bb[1], bb[2], bb[3]}, (int64_t)time(NULL), NULL};
    /* laid out once to write the default properties from it, then again with them */
    size_t len;
    if ((error = lay_out_alloc(&src, &first, &len)) < 0 ||
        (error = default_props((const ogc_coll *)(const void *)first, &props)) < 0)
        goto done;
    src.props = props;
    if ((error = lay_out_alloc(&src, &final, &len)) < 0)
        goto done;
    error = wb_blob__new(out, final, len, "application/octet-stream");
done:
    if (props)
        for (size_t i = 0; i < layer.n; i++)
            wb_free(props[i]);
    wb_free(props);
    wb_free(first);
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory preparing a feature collection");
    wb_layer_dispose(&layer);
    wb_areas_free(areas, nareas);
    wb_free(matched);
    wb_free(order);
    wb_free(ids);
    wb_free(keep);
    wb_latest_dispose(&lt);
    return error;
}

/* The prepared collection of (level, boundary year) from the cache, or built and cached.
 * WB_ENOTFOUND when no polygons of that level and year are stored. */
static int coll_get(wb_req *req, wb_reproj **rp, wb_level level, int byear, wb_blob **out)
{
    char key[64];
    snprintf(key, sizeof key, "ogc:%s:%d", wb_level_name(level), byear);
    uint64_t gen = wb_web__generation(req->srv);
    if ((*out = wb_web__cache_get(req->srv, key, gen)))
        return 0;
    int error = coll_build(req->db->st, rp, level, byear, out);
    if (error == 0)
        wb_web__cache_put(req->srv, key, gen, *out);
    return error;
}

static const ogc_coll *coll_of(const wb_blob *b)
{
    return (const ogc_coll *)(const void *)b->data;
}

/* The id of a collection: "wijk-2016". */
static void coll_name(const ogc_coll *c, char id[48])
{
    snprintf(id, 48, "%s-%d", wb_level_name(c->level), c->byear);
}

/* "wijk-2016" -> (wijk, 2016): the level's own name, a dash, a four-digit year. 404 with a
 * message in @p resp when it is not a collection id. */
static int parse_collection_id(wb_resp *resp, const char *id, wb_level *level, int *year)
{
    const char *dash = strrchr(id, '-');
    char lv[32];
    if (dash && (size_t)(dash - id) < sizeof lv && strlen(dash + 1) == 4 && isdigit((unsigned char)dash[1]) &&
        isdigit((unsigned char)dash[2]) && isdigit((unsigned char)dash[3]) && isdigit((unsigned char)dash[4])) {
        memcpy(lv, id, (size_t)(dash - id));
        lv[dash - id] = 0;
        *year = atoi(dash + 1);
        if (wb_level_parse(level, lv) == 0 && !strcmp(wb_level_name(*level), lv))
            return 0;
    }
    wb_resp_error(resp, 404, NULL, "no collection '%.64s' (collections are named level-year, such as wijk-2016: see "
                  "/ogc/collections)", id);
    return WB_ENOTFOUND;
}

/* The collection named by the request's collectionId: 0 with a blob reference in @p out; a
 * 404 in @p resp (returns 1) when there is none; or an error. */
static int request_coll(wb_req *req, wb_resp *resp, wb_blob **out)
{
    wb_level level;
    int year;
    const char *id = wb_req_text(req, "collectionId");
    if (parse_collection_id(resp, id, &level, &year) < 0)
        return 1;
    wb_reproj *rp = NULL;
    int error = coll_get(req, &rp, level, year, out);
    wb_reproj_free(rp);
    if (error == WB_ENOTFOUND) {
        wb_error_clear();
        wb_resp_error(resp, 404, NULL, "no collection '%s': no %s polygons with boundaries of %d are stored", id,
                      wb_level_name(level), year);
        return 1;
    }
    return error;
}

/* ---------------------------------------------------------------- links */

/* The base of absolute links ("http://host:port"), from the Host header; "" without one
 * (links are then relative to the server). A Host that is not a host name, an IPv4 or a
 * bracketed IPv6 address with an optional port is refused: it is echoed into every link. */
static int base_url(wb_req *req, wb_resp *resp, char out[300])
{
    out[0] = 0;
    const char *h = req->host;
    if (!h || !*h)
        return 0;
    size_t n = strlen(h);
    int ok = n < 256;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)h[i]) || strchr(".-:[]_", h[i]);
    if (!ok) {
        wb_resp_error(resp, 400, NULL, "the Host header is not a host name with an optional port");
        return 1;
    }
    snprintf(out, 300, "%s://%s", req->https ? "https" : "http", h);
    return 0;
}

static void link(wb_json *j, const char *base, const char *path, const char *rel, const char *type, const char *title)
{
    wb_str href = WB_STR_INIT;
    wb_str_printf(&href, "%s%s", base, path);
    wb_json_obj_open(j);
    wb_json_kstr(j, "href", href.ptr ? href.ptr : "");
    wb_json_kstr(j, "rel", rel);
    if (type)
        wb_json_kstr(j, "type", type);
    if (title)
        wb_json_kstr(j, "title", title);
    wb_json_obj_close(j);
    wb_str_dispose(&href);
}

/* Percent-encode a query value (keeping the characters a query may carry as they are). */
static void put_query_value(wb_str *o, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~,:/", *p))
            wb_str_putc(o, (char)*p);
        else
            wb_str_printf(o, "%%%02X", *p);
    }
}

/* What every route of one collection starts with: the base of its links and the
 * collection. 0 with both; 1 with a 400 or 404 in @p resp; or an error. */
static int coll_begin(wb_req *req, wb_resp *resp, char base[300], wb_blob **b)
{
    if (base_url(req, resp, base))
        return 1;
    return request_coll(req, resp, b);
}

/* ---------------------------------------------------------------- names */

static const char *level_title(wb_level level)
{
    switch (level) {
    case WB_LEVEL_LAND: return "Nederland";
    case WB_LEVEL_GEMEENTE: return "Gemeenten";
    case WB_LEVEL_WIJK: return "Wijken";
    case WB_LEVEL_BUURT: return "Buurten";
    default: return "Gebieden";
    }
}

static void collection_json(wb_json *j, const ogc_coll *c, const char *base)
{
    char id[48], path[128], title[64];
    coll_name(c, id);
    snprintf(title, sizeof title, "%s %d", level_title(c->level), c->byear);
    wb_json_obj_open(j);
    wb_json_kstr(j, "id", id);
    wb_json_kstr(j, "title", title);
    wb_str d = WB_STR_INIT;
    wb_str_printf(&d, "%s (%s) on the boundaries of %d: %zu area%s with a polygon. Properties: code, name, level, "
                  "boundary_year, parent and, for each of %zu indicators, the latest value KEY with its data year "
                  "KEY_year (year= or datetime= choose the data years).",
                  level_title(c->level), wb_level_name(c->level), c->byear, c->n, c->n == 1 ? "" : "s", c->nkeys);
    wb_json_kstr(j, "description", d.ptr ? d.ptr : "");
    wb_str_dispose(&d);
    wb_json_key(j, "extent");
    wb_json_obj_open(j);
    wb_json_key(j, "spatial");
    wb_json_obj_open(j);
    wb_json_key(j, "bbox");
    wb_json_arr_open(j);
    wb_json_arr_open(j);
    if (c->bbox[0] <= c->bbox[2])
        for (int k = 0; k < 4; k++)
            wb_json_fixed(j, c->bbox[k], OGC_DECIMALS);
    wb_json_arr_close(j);
    wb_json_arr_close(j);
    wb_json_kstr(j, "crs", CRS84);
    wb_json_obj_close(j);
    if (c->data_from) {
        char from[32], to[32];
        snprintf(from, sizeof from, "%04d-01-01T00:00:00Z", c->data_from);
        snprintf(to, sizeof to, "%04d-12-31T23:59:59Z", c->data_to);
        wb_json_key(j, "temporal");
        wb_json_obj_open(j);
        wb_json_key(j, "interval");
        wb_json_arr_open(j);
        wb_json_arr_open(j);
        wb_json_str(j, from);
        wb_json_str(j, to);
        wb_json_arr_close(j);
        wb_json_arr_close(j);
        wb_json_kstr(j, "trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian");
        wb_json_obj_close(j);
    }
    wb_json_obj_close(j);
    wb_json_kstr(j, "itemType", "feature");
    wb_json_key(j, "crs");
    wb_json_arr_open(j);
    wb_json_str(j, CRS84);
    wb_json_arr_close(j);
    wb_json_key(j, "links");
    wb_json_arr_open(j);
    snprintf(path, sizeof path, "/ogc/collections/%s", id);
    link(j, base, path, "self", TYPE_JSON, title);
    snprintf(path, sizeof path, "/ogc/collections/%s/items", id);
    link(j, base, path, "items", TYPE_GEOJSON, "the features");
    snprintf(path, sizeof path, "/ogc/collections/%s/schema", id);
    link(j, base, path, "describedby", TYPE_SCHEMA, "JSON Schema of the features");
    /* the same link once more for GDAL up to 3.6, which looks for "describedBy" only (link
     * relations compare case-insensitively, RFC 8288, so both name the same relation) */
    link(j, base, path, "describedBy", TYPE_SCHEMA, "JSON Schema of the features");
    wb_json_arr_close(j);
    wb_json_obj_close(j);
}

/* ---------------------------------------------------------------- landing, conformance, API */

int wb_web__h_ogc_landing(wb_req *req, wb_resp *resp)
{
    char base[300];
    if (base_url(req, resp, base))
        return 0;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "title", "wijkbeeld");
    wb_json_kstr(&j, "description",
                 "The neighbourhood monitor as OGC API - Features: polygons of gemeenten, wijken and buurten per "
                 "boundary year with the latest value of every indicator. Data: CBS (CC BY 4.0), Leefbaarometer "
                 "(CC0) and what this monitor imported.");
    wb_json_key(&j, "links");
    wb_json_arr_open(&j);
    link(&j, base, "/ogc", "self", TYPE_JSON, "this document");
    link(&j, base, "/ogc/api", "service-desc", TYPE_OPENAPI, "the API definition");
    link(&j, base, "/ogc/conformance", "conformance", TYPE_JSON, "conformance classes");
    link(&j, base, "/ogc/collections", "data", TYPE_JSON, "the collections");
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    return wb_json_finish(&j);
}

int wb_web__h_ogc_conformance(wb_req *req, wb_resp *resp)
{
    (void)req;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_key(&j, "conformsTo");
    wb_json_arr_open(&j);
    for (int i = 0; conformance[i]; i++)
        wb_json_str(&j, conformance[i]);
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    return wb_json_finish(&j);
}

/* The OpenAPI 3.0 definition; %1$s is the server URL ("http://host/ogc"). */
static const char openapi[] =
    "{\"openapi\":\"3.0.3\","
    "\"info\":{\"title\":\"wijkbeeld OGC API - Features\",\"version\":\"1.0.0\","
    "\"description\":\"The monitor's polygons with their latest values (docs/ogc.md).\","
    "\"license\":{\"name\":\"EUPL-1.2\"}},"
    "\"servers\":[{\"url\":\"%1$s\"}],"
    "\"paths\":{"
    "\"/\":{\"get\":{\"summary\":\"landing page\",\"operationId\":\"getLandingPage\","
    "\"parameters\":[{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"$ref\":\"#/components/responses/JSON\"}}}},"
    "\"/api\":{\"get\":{\"summary\":\"this API definition\",\"operationId\":\"getAPI\","
    "\"parameters\":[{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"description\":\"the definition\",\"content\":{\"" TYPE_OPENAPI
    "\":{\"schema\":{\"type\":\"object\"}}}}}}},"
    "\"/conformance\":{\"get\":{\"summary\":\"conformance classes\",\"operationId\":\"getConformance\","
    "\"parameters\":[{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"$ref\":\"#/components/responses/JSON\"}}}},"
    "\"/collections\":{\"get\":{\"summary\":\"the collections: one per level and boundary year with polygons\","
    "\"operationId\":\"getCollections\",\"parameters\":[{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"$ref\":\"#/components/responses/JSON\"}}}},"
    "\"/collections/{collectionId}\":{\"get\":{\"summary\":\"one collection\",\"operationId\":\"describeCollection\","
    "\"parameters\":[{\"$ref\":\"#/components/parameters/collectionId\"},{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"$ref\":\"#/components/responses/JSON\"},"
    "\"404\":{\"$ref\":\"#/components/responses/Error\"}}}},"
    "\"/collections/{collectionId}/schema\":{\"get\":{\"summary\":\"JSON Schema of the features\","
    "\"operationId\":\"getSchema\",\"parameters\":[{\"$ref\":\"#/components/parameters/collectionId\"},"
    "{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"description\":\"the schema\",\"content\":{\"" TYPE_SCHEMA
    "\":{\"schema\":{\"type\":\"object\"}}}},\"404\":{\"$ref\":\"#/components/responses/Error\"}}}},"
    "\"/collections/{collectionId}/items\":{\"get\":{\"summary\":\"features of a collection, ordered by code\","
    "\"operationId\":\"getFeatures\",\"parameters\":["
    "{\"$ref\":\"#/components/parameters/collectionId\"},{\"$ref\":\"#/components/parameters/limit\"},"
    "{\"$ref\":\"#/components/parameters/offset\"},{\"$ref\":\"#/components/parameters/bbox\"},"
    "{\"$ref\":\"#/components/parameters/datetime\"},{\"$ref\":\"#/components/parameters/year\"},"
    "{\"$ref\":\"#/components/parameters/properties\"},{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"$ref\":\"#/components/responses/Features\"},"
    "\"400\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{\"$ref\":\"#/components/responses/Error\"}}}},"
    "\"/collections/{collectionId}/items/{featureId}\":{\"get\":{\"summary\":\"one feature\","
    "\"operationId\":\"getFeature\",\"parameters\":["
    "{\"$ref\":\"#/components/parameters/collectionId\"},{\"$ref\":\"#/components/parameters/featureId\"},"
    "{\"$ref\":\"#/components/parameters/datetime\"},{\"$ref\":\"#/components/parameters/year\"},"
    "{\"$ref\":\"#/components/parameters/properties\"},{\"$ref\":\"#/components/parameters/f\"}],"
    "\"responses\":{\"200\":{\"$ref\":\"#/components/responses/Feature\"},"
    "\"400\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{\"$ref\":\"#/components/responses/Error\"}}}}},"
    "\"components\":{"
    "\"parameters\":{"
    "\"f\":{\"name\":\"f\",\"in\":\"query\",\"required\":false,\"description\":\"the format: json only\","
    "\"schema\":{\"type\":\"string\",\"enum\":[\"json\"]}},"
    "\"collectionId\":{\"name\":\"collectionId\",\"in\":\"path\",\"required\":true,"
    "\"description\":\"level-year, such as wijk-2016\",\"schema\":{\"type\":\"string\"}},"
    "\"featureId\":{\"name\":\"featureId\",\"in\":\"path\",\"required\":true,"
    "\"description\":\"the CBS code of the area, such as WK036300\",\"schema\":{\"type\":\"string\"}},"
    "\"limit\":{\"name\":\"limit\",\"in\":\"query\",\"required\":false,"
    "\"description\":\"features per page; larger values are taken as the maximum\","
    "\"schema\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10000,\"default\":100}},"
    "\"offset\":{\"name\":\"offset\",\"in\":\"query\",\"required\":false,"
    "\"description\":\"features to skip (the next links carry it)\","
    "\"schema\":{\"type\":\"integer\",\"minimum\":0,\"default\":0}},"
    "\"bbox\":{\"name\":\"bbox\",\"in\":\"query\",\"required\":false,\"style\":\"form\",\"explode\":false,"
    "\"description\":\"minimum longitude, minimum latitude, maximum longitude, maximum latitude (CRS84); "
    "features whose polygon intersects the box\","
    "\"schema\":{\"type\":\"array\",\"minItems\":4,\"maxItems\":6,\"items\":{\"type\":\"number\"}}},"
    "\"datetime\":{\"name\":\"datetime\",\"in\":\"query\",\"required\":false,\"style\":\"form\",\"explode\":false,"
    "\"description\":\"an instant or interval (RFC 3339, open ends ..) choosing the data years of the values: "
    "the latest value within them\",\"schema\":{\"type\":\"string\"}},"
    "\"year\":{\"name\":\"year\",\"in\":\"query\",\"required\":false,"
    "\"description\":\"the values of this data year (as datetime=YEAR)\","
    "\"schema\":{\"type\":\"integer\",\"minimum\":1900,\"maximum\":2100}},"
    "\"properties\":{\"name\":\"properties\",\"in\":\"query\",\"required\":false,\"style\":\"form\","
    "\"explode\":false,\"description\":\"only these indicators (keys)\","
    "\"schema\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}},"
    "\"responses\":{"
    "\"JSON\":{\"description\":\"a JSON document\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}},"
    "\"Features\":{\"description\":\"a GeoJSON FeatureCollection with links, numberMatched, numberReturned, "
    "timeStamp\",\"content\":{\"application/geo+json\":{\"schema\":{\"type\":\"object\"}}}},"
    "\"Feature\":{\"description\":\"a GeoJSON Feature\",\"content\":{\"application/geo+json\":"
    "{\"schema\":{\"type\":\"object\"}}}},"
    "\"Error\":{\"description\":\"{error, param}\",\"content\":{\"application/json\":"
    "{\"schema\":{\"type\":\"object\",\"properties\":{\"error\":{\"type\":\"string\"},"
    "\"param\":{\"type\":\"string\"}}}}}}}}}";

int wb_web__h_ogc_api(wb_req *req, wb_resp *resp)
{
    char base[300];
    if (base_url(req, resp, base))
        return 0;
    wb_str url = WB_STR_INIT;
    wb_str_printf(&url, "%s/ogc", base);
    /* the URL goes into a JSON string: escape it (the Host header is checked, but anyway) */
    wb_str esc = WB_STR_INIT;
    int error = wb_json_escape(&esc, url.ptr, url.len);
    if (error == 0) {
        /* esc has its quotes; the template supplies them */
        esc.ptr[esc.len - 1] = 0;
        error = wb_str_printf(&resp->body, openapi, esc.ptr + 1) < 0 ? WB_ENOMEM : 0;
    }
    wb_str_dispose(&url);
    wb_str_dispose(&esc);
    resp->type = TYPE_OPENAPI;
    return error;
}

/* ---------------------------------------------------------------- collections */

/* The (level, boundary year) pairs with polygons, in level order then year. */
typedef struct {
    wb_level level;
    int year;
} layer_key;

static int cmp_layer_key(const void *a, const void *b)
{
    const layer_key *x = a, *y = b;
    return x->level != y->level ? (x->level < y->level ? -1 : 1) : (x->year > y->year) - (x->year < y->year);
}

/* The distinct (level, boundary year) of the areas with polygons, as a blob of layer_key
 * records, cached per store generation (listing the areas of a national store takes tens of
 * milliseconds). */
static int layer_keys(wb_req *req, wb_blob **out)
{
    uint64_t gen = wb_web__generation(req->srv);
    if ((*out = wb_web__cache_get(req->srv, "ogc:layers", gen)))
        return 0;
    wb_area *areas = NULL;
    size_t n = 0, nk = 0;
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.with_geometry = 1;
    int error = wb_store_areas(req->db->st, &areas, &n, &q);
    if (error < 0)
        return error;
    layer_key *keys = wb_malloc((n ? n : 1) * sizeof *keys);
    if (!keys) {
        wb_areas_free(areas, n);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (i == 0 || areas[i].level != areas[i - 1].level || areas[i].year != areas[i - 1].year)
            keys[nk++] = (layer_key){areas[i].level, areas[i].year};
    wb_areas_free(areas, n);
    qsort(keys, nk, sizeof *keys, cmp_layer_key);
    /* areas come by year then code: a level can recur within a year, so drop repeats */
    size_t m = 0;
    for (size_t i = 0; i < nk; i++)
        if (m == 0 || cmp_layer_key(&keys[i], &keys[m - 1]))
            keys[m++] = keys[i];
    if ((error = wb_blob__new(out, (unsigned char *)keys, m * sizeof *keys, "application/octet-stream")) < 0)
        return error;
    wb_web__cache_put(req->srv, "ogc:layers", gen, *out);
    return 0;
}

int wb_web__h_ogc_collections(wb_req *req, wb_resp *resp)
{
    char base[300];
    if (base_url(req, resp, base))
        return 0;
    wb_blob *lb = NULL;
    wb_reproj *rp = NULL;
    int error = layer_keys(req, &lb);
    if (error < 0)
        return error;
    const layer_key *keys = (const layer_key *)(const void *)lb->data;
    size_t nk = lb->len / sizeof *keys;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_key(&j, "links");
    wb_json_arr_open(&j);
    link(&j, base, "/ogc/collections", "self", TYPE_JSON, "the collections");
    wb_json_arr_close(&j);
    wb_json_key(&j, "collections");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < nk && error == 0; i++) {
        wb_blob *b = NULL;
        if ((error = coll_get(req, &rp, keys[i].level, keys[i].year, &b)) == WB_ENOTFOUND) {
            wb_error_clear(); /* polygons that all collapsed: no collection */
            error = 0;
            continue;
        }
        if (error == 0)
            collection_json(&j, coll_of(b), base);
        wb_blob__unref(b);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    wb_reproj_free(rp);
    wb_blob__unref(lb);
    return error < 0 ? error : wb_json_finish(&j);
}

int wb_web__h_ogc_collection(wb_req *req, wb_resp *resp)
{
    char base[300];
    wb_blob *b = NULL;
    int error = coll_begin(req, resp, base, &b);
    if (error)
        return error < 0 ? error : 0;
    wb_json j;
    wb_json_init(&j, &resp->body);
    collection_json(&j, coll_of(b), base);
    wb_blob__unref(b);
    return wb_json_finish(&j);
}

/* A property of the schema: {"type": type, "title": title, "description": ...}. */
static void schema_prop(wb_json *j, const char *name, const char *type, const char *title, const char *desc)
{
    wb_json_key(j, name);
    wb_json_obj_open(j);
    wb_json_kstr(j, "type", type);
    if (title)
        wb_json_kstr(j, "title", title);
    if (desc)
        wb_json_kstr(j, "description", desc);
    wb_json_obj_close(j);
}

/* The JSON Schema of the GeoJSON features of a collection. GDAL's OAPIF driver (what QGIS
 * uses) types the fields from it: without it, a field whose first page holds only nulls
 * would become text. Values and years are null where an area has none; the types say what
 * they are when present ("nullable" is an annotation for readers). */
int wb_web__h_ogc_schema(wb_req *req, wb_resp *resp)
{
    char base[300], id[48], url[400];
    wb_blob *b = NULL;
    int error = coll_begin(req, resp, base, &b);
    if (error)
        return error < 0 ? error : 0;
    const ogc_coll *c = coll_of(b);
    coll_name(c, id);
    snprintf(url, sizeof url, "%s/ogc/collections/%s/schema", base, id);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "$schema", "https://json-schema.org/draft/2019-09/schema");
    wb_json_kstr(&j, "$id", url);
    wb_json_kstr(&j, "title", id);
    wb_json_kstr(&j, "type", "object");
    wb_json_key(&j, "required");
    wb_json_arr_open(&j);
    wb_json_str(&j, "type");
    wb_json_str(&j, "geometry");
    wb_json_str(&j, "properties");
    wb_json_arr_close(&j);
    wb_json_key(&j, "properties");
    wb_json_obj_open(&j);
    wb_json_key(&j, "type");
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "type", "string");
    wb_json_key(&j, "enum");
    wb_json_arr_open(&j);
    wb_json_str(&j, "Feature");
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    schema_prop(&j, "id", "string", "CBS code", NULL);
    schema_prop(&j, "geometry", "object", "MultiPolygon in CRS84 (longitude, latitude), 6 decimals", NULL);
    wb_json_key(&j, "properties");
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "type", "object");
    wb_json_key(&j, "properties");
    wb_json_obj_open(&j);
    schema_prop(&j, "code", "string", "CBS code", NULL);
    schema_prop(&j, "name", "string", "name", NULL);
    schema_prop(&j, "level", "string", "level: gemeente, wijk or buurt", NULL);
    schema_prop(&j, "boundary_year", "integer", "year of the boundaries", NULL);
    schema_prop(&j, "parent", "string", "code of the enclosing area", NULL);
    for (size_t k = 0; k < c->nkeys; k++) {
        char yk[80], title[160];
        wb_json_key(&j, c->keys[k]);
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "type", "number");
        wb_json_key(&j, "nullable");
        wb_json_bool(&j, 1);
        if (c->labels[k])
            wb_json_kstr(&j, "title", c->labels[k]);
        if (c->units[k])
            wb_json_kstr(&j, "description", c->units[k]);
        wb_json_obj_close(&j);
        snprintf(yk, sizeof yk, "%s_year", c->keys[k]);
        snprintf(title, sizeof title, "data year of %s", c->keys[k]);
        wb_json_key(&j, yk);
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "type", "integer");
        wb_json_key(&j, "nullable");
        wb_json_bool(&j, 1);
        wb_json_kstr(&j, "title", title);
        wb_json_obj_close(&j);
    }
    wb_json_obj_close(&j);
    wb_json_obj_close(&j);
    wb_json_obj_close(&j);
    wb_json_obj_close(&j);
    wb_blob__unref(b);
    resp->type = TYPE_SCHEMA;
    return wb_json_finish(&j);
}

/* ---------------------------------------------------------------- parameters of items */

/* Parse a number of a bbox: finite, the whole text up to @p end. */
static int parse_coord(const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf || isspace((unsigned char)s[0]))
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno == ERANGE || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* bbox=minx,miny,maxx,maxy (or with minz and maxz) in CRS84. A box with minx > maxx crosses
 * the antimeridian. 0, or a 400 in @p resp (returns 1). */
static int parse_bbox(wb_resp *resp, const char *text, double bb[4])
{
    double v[6];
    int n = 0;
    const char *p = text;
    for (;;) {
        size_t len = strcspn(p, ",");
        if (n == 6 || parse_coord(p, len, &v[n]) < 0) {
            n = -1;
            break;
        }
        n++;
        if (!p[len])
            break;
        p += len + 1;
    }
    if (n == 4 || n == 6) {
        int z = n == 6;
        bb[0] = v[0], bb[1] = v[1], bb[2] = v[2 + z], bb[3] = v[3 + z];
        if (bb[0] >= -180 && bb[0] <= 180 && bb[2] >= -180 && bb[2] <= 180 && bb[1] >= -90 && bb[3] <= 90 &&
            bb[1] <= bb[3] && (!z || v[2] <= v[5]))
            return 0;
    }
    wb_resp_error(resp, 400, "bbox",
                  "parameter 'bbox': expected minimum longitude, minimum latitude, maximum longitude, maximum "
                  "latitude (CRS84 degrees, 4 or 6 numbers separated by commas, south <= north), got '%.60s'",
                  text);
    return 1;
}

/* The year of an RFC 3339 date or date-time in UTC, or of a bare year; -1 when malformed. */
static int instant_year(const char *s)
{
    int y, mo = 1, d = 1, h = 0, mi = 0, sec = 0, consumed = 0;
    size_t n = strlen(s);
    if (n == 4 && sscanf(s, "%4d%n", &y, &consumed) == 1 && consumed == 4)
        return y >= 1 && y <= 4095 ? y : -1;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10)
        return -1;
    const char *t = s + 10;
    long offset = 0;
    if (*t) {
        if ((*t != 'T' && *t != 't') || sscanf(t + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &consumed) != 3 || consumed != 8)
            return -1;
        t += 9;
        if (*t == '.') { /* fractions of seconds do not move the year */
            t++;
            if (!isdigit((unsigned char)*t))
                return -1;
            while (isdigit((unsigned char)*t))
                t++;
        }
        int oh, om;
        if ((*t == 'Z' || *t == 'z') && !t[1])
            offset = 0;
        else if ((*t == '+' || *t == '-') && sscanf(t + 1, "%2d:%2d%n", &oh, &om, &consumed) == 2 && consumed == 5 &&
                 !t[6] && oh < 24 && om < 60)
            offset = (*t == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
        else
            return -1;
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t at = timegm(&tm);
    if (tm.tm_mday != d || tm.tm_mon != mo - 1) /* timegm normalised an impossible date */
        return -1;
    at -= offset;
    struct tm utc;
    if (!gmtime_r(&at, &utc))
        return -1;
    return utc.tm_year + 1900;
}

/* Which values a request shows: the indicators (all of the collection, or properties=) and
 * the window of data years (year=, datetime=; none: the latest of all). */
typedef struct {
    size_t *keys;        /* indexes into the collection's keys */
    size_t nkeys;
    int window;          /* 1 when year= or datetime= was given */
    int from, to;        /* the data years of the window (0: open) */
} value_sel;

static void sel_dispose(value_sel *s)
{
    wb_free(s->keys);
    s->keys = NULL;
}

/* Parse properties=, year= and datetime=. 0, 1 with a 400 in @p resp, or an error. */
static int parse_values(wb_req *req, wb_resp *resp, const ogc_coll *c, value_sel *s)
{
    memset(s, 0, sizeof *s);
    if (!(s->keys = wb_malloc((c->nkeys ? c->nkeys : 1) * sizeof *s->keys)))
        return WB_ENOMEM;
    if (!wb_req_has(req, "properties")) {
        for (size_t k = 0; k < c->nkeys; k++)
            s->keys[s->nkeys++] = k;
    } else {
        const char *p = wb_req_text(req, "properties");
        while (*p) {
            size_t len = strcspn(p, ",");
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)len, p);
            size_t k = 0;
            while (k < c->nkeys && strcasecmp(c->keys[k], key))
                k++;
            if (k == c->nkeys) {
                wb_resp_error(resp, 400, "properties",
                              "parameter 'properties': '%s' is not an indicator with values in this collection "
                              "(see its schema)", key);
                return 1;
            }
            for (size_t i = 0; i < s->nkeys; i++)
                if (s->keys[i] == k) {
                    wb_resp_error(resp, 400, "properties", "parameter 'properties': '%s' is given twice", key);
                    return 1;
                }
            s->keys[s->nkeys++] = k;
            p += len;
            if (*p == ',')
                p++;
        }
    }
    int has_year = wb_req_has(req, "year"), has_dt = wb_req_has(req, "datetime");
    if (has_year && has_dt) {
        wb_resp_error(resp, 400, "datetime", "give year or datetime, not both");
        return 1;
    }
    if (has_year) {
        s->window = 1;
        s->from = s->to = (int)wb_req_int(req, "year");
    } else if (has_dt) {
        const char *dt = wb_req_text(req, "datetime");
        const char *slash = strchr(dt, '/');
        char a[64] = "", b[64] = "";
        int ok = 1;
        if (slash) {
            snprintf(a, sizeof a, "%.*s", (int)(slash - dt), dt);
            snprintf(b, sizeof b, "%s", slash + 1);
            if (strchr(b, '/'))
                ok = 0;
        } else {
            snprintf(a, sizeof a, "%s", dt);
        }
        int open_a = slash && (!a[0] || !strcmp(a, "..")), open_b = slash && (!b[0] || !strcmp(b, ".."));
        s->from = open_a ? 0 : instant_year(a);
        s->to = !slash ? s->from : open_b ? 0 : instant_year(b);
        if (!ok || s->from < 0 || s->to < 0 || (s->from && s->to && s->from > s->to)) {
            wb_resp_error(resp, 400, "datetime",
                          "parameter 'datetime': expected an RFC 3339 date or date-time (or a year), or an "
                          "interval start/end with '..' for an open end, got '%.60s'", dt);
            return 1;
        }
        s->window = s->from || s->to;
    }
    return 0;
}

/* ---------------------------------------------------------------- bbox filter */

/* Does the segment p-q meet the closed box? (Liang-Barsky clipping.) */
static int segment_meets_box(wb_point p, wb_point q, const double bb[4])
{
    double t0 = 0, t1 = 1, dx = q.x - p.x, dy = q.y - p.y;
    double pp[4] = {-dx, dx, -dy, dy}, qq[4] = {p.x - bb[0], bb[2] - p.x, p.y - bb[1], bb[3] - p.y};
    for (int i = 0; i < 4; i++) {
        if (pp[i] == 0) {
            if (qq[i] < 0)
                return 0;
        } else {
            double r = qq[i] / pp[i];
            if (pp[i] < 0) {
                if (r > t1)
                    return 0;
                if (r > t0)
                    t0 = r;
            } else {
                if (r < t0)
                    return 0;
                if (r < t1)
                    t1 = r;
            }
        }
    }
    return 1;
}

/* Is the point inside polygon p of g (even-odd over its rings, so holes are out)? */
static int point_in_polygon(const wb_geom *g, size_t p, wb_point pt)
{
    int in = 0;
    for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++)
        for (size_t i = g->ring_off[r], j = g->ring_off[r + 1] - 1; i < g->ring_off[r + 1]; j = i++) {
            wb_point a = g->pts[i], b = g->pts[j];
            if ((a.y > pt.y) != (b.y > pt.y) && pt.x < (b.x - a.x) * (pt.y - a.y) / (b.y - a.y) + a.x)
                in = !in;
        }
    return in;
}

/* Does the polygon geometry intersect the closed box (boundaries touching count, as in the
 * Simple Features "intersects")? Either a ring's edge meets the box (which covers a vertex
 * inside it), or the box lies wholly inside a polygon, so its corner does. */
static int geom_meets_box(const wb_geom *g, const double bb[4])
{
    if (g->npolys == 0 || g->bbox[0] > bb[2] || g->bbox[2] < bb[0] || g->bbox[1] > bb[3] || g->bbox[3] < bb[1])
        return 0;
    if (g->bbox[0] >= bb[0] && g->bbox[2] <= bb[2] && g->bbox[1] >= bb[1] && g->bbox[3] <= bb[3])
        return 1;
    for (size_t r = 0; r < g->nrings; r++)
        for (size_t i = g->ring_off[r]; i + 1 < g->ring_off[r + 1]; i++)
            if (segment_meets_box(g->pts[i], g->pts[i + 1], bb))
                return 1;
    wb_point corner = {bb[0], bb[1]};
    for (size_t p = 0; p < g->npolys; p++)
        if (point_in_polygon(g, p, corner))
            return 1;
    return 0;
}

static int meets_bbox(const wb_geom *g, const double bb[4])
{
    if (bb[0] <= bb[2])
        return geom_meets_box(g, bb);
    /* across the antimeridian: two boxes */
    double east[4] = {bb[0], bb[1], 180, bb[3]}, west[4] = {-180, bb[1], bb[2], bb[3]};
    return geom_meets_box(g, east) || geom_meets_box(g, west);
}

/* ---------------------------------------------------------------- features */

/* What the property writer of a page needs. */
typedef struct {
    const ogc_coll *c;
    const value_sel *sel;
    const size_t *feat;    /* feature index in the collection of page row i */
    const wb_latest *win;  /* the window's values of the page rows, or NULL: the latest */
    const size_t *win_key; /* per selected key, its index in win (SIZE_MAX: none) */
} page_props;

/* ,"level":..,"boundary_year":..,"parent":..,KEY:..,KEY_year:.. of page row @p i. */
static int write_props(void *payload, size_t i, wb_str *out)
{
    const page_props *pp = payload;
    const ogc_coll *c = pp->c;
    size_t f = pp->feat[i];
    /* continue the properties object the writer has open (it wrote code and name) */
    wb_json j;
    wb_json_init(&j, out);
    j.depth = 1;
    j.kind[0] = '{';
    j.first[0] = 0;
    wb_json_kstr(&j, "level", wb_level_name(c->level));
    wb_json_kint(&j, "boundary_year", c->byear);
    wb_json_kstr(&j, "parent", c->parents[f][0] ? c->parents[f] : NULL);
    for (size_t s = 0; s < pp->sel->nkeys; s++) {
        size_t k = pp->sel->keys[s];
        double v = NAN;
        int y = 0;
        if (!pp->win) {
            v = c->latest[f * c->nkeys + k];
            y = c->latest_year[f * c->nkeys + k];
        } else if (pp->win_key[s] != (size_t)-1) {
            v = pp->win->value[i * pp->win->nind + pp->win_key[s]];
            y = pp->win->year[i * pp->win->nind + pp->win_key[s]];
        }
        char yk[80];
        snprintf(yk, sizeof yk, "%s_year", c->keys[k]);
        wb_json_knum(&j, c->keys[k], v);
        wb_json_key(&j, yk);
        if (y)
            wb_json_int(&j, y);
        else
            wb_json_null(&j);
    }
    return j.error;
}

static void timestamp(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The query of a page's links: the request's own parameters with this offset. */
static void page_query(wb_str *q, wb_req *req, long limit, long offset)
{
    wb_str_printf(q, "?limit=%ld", limit);
    if (offset > 0)
        wb_str_printf(q, "&offset=%ld", offset);
    static const char *const pass[] = {"bbox", "datetime", "year", "properties", NULL};
    for (int i = 0; pass[i]; i++)
        if (wb_req_has(req, pass[i])) {
            wb_str_printf(q, "&%s=", pass[i]);
            if (!strcmp(pass[i], "year"))
                wb_str_printf(q, "%ld", wb_req_int(req, "year"));
            else
                put_query_value(q, wb_req_text(req, pass[i]));
        }
}

static int default_props(const ogc_coll *c, char ***out)
{
    int error = 0;
    size_t *all = wb_malloc((c->nkeys ? c->nkeys : 1) * sizeof *all);
    size_t *feat = wb_malloc((c->n ? c->n : 1) * sizeof *feat);
    char **props = wb_calloc(c->n ? c->n : 1, sizeof *props);
    wb_str buf = WB_STR_INIT;
    if (!all || !feat || !props) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < c->nkeys; k++)
        all[k] = k;
    for (size_t i = 0; i < c->n; i++)
        feat[i] = i;
    value_sel sel = {all, c->nkeys, 0, 0, 0};
    page_props pp = {c, &sel, feat, NULL, NULL};
    for (size_t i = 0; i < c->n && error == 0; i++) {
        wb_str_clear(&buf);
        if ((error = write_props(&pp, i, &buf)) == 0 && !(props[i] = wb_strdup(buf.ptr ? buf.ptr : "")))
            error = WB_ENOMEM;
    }
done:
    wb_str_dispose(&buf);
    wb_free(all);
    wb_free(feat);
    if (error < 0) {
        for (size_t i = 0; props && i < c->n; i++)
            wb_free(props[i]);
        wb_free(props);
        props = NULL;
    }
    *out = props;
    return error;
}

/* The prepared default properties of page row @p i. */
static int copy_props(void *payload, size_t i, wb_str *out)
{
    const page_props *pp = payload;
    return wb_str_puts(out, pp->c->props[pp->feat[i]]) < 0 ? WB_ENOMEM : 0;
}

/* Write features (page rows @p feat) as GeoJSON into resp->body: a collection, or with
 * @p one the single Feature. */
static int write_features(wb_req *req, wb_resp *resp, const ogc_coll *c, const value_sel *sel, const size_t *feat,
                          size_t n, int one, const char *members_json)
{
    int error = 0;
    wb_latest win = WB_LATEST_INIT;
    char (*codes)[WB_CODE_MAX] = wb_malloc((n ? n : 1) * WB_CODE_MAX);
    char **names = wb_malloc((n ? n : 1) * sizeof *names);
    wb_geom *geoms = wb_malloc((n ? n : 1) * sizeof *geoms);
    int64_t *ids = wb_malloc((n ? n : 1) * sizeof *ids);
    size_t *win_key = wb_malloc((sel->nkeys ? sel->nkeys : 1) * sizeof *win_key);
    if (!codes || !names || !geoms || !ids || !win_key) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(codes[i], c->codes[feat[i]], WB_CODE_MAX);
        names[i] = c->names[feat[i]];
        geoms[i] = c->geoms[feat[i]]; /* the writer only reads (and copies) them */
        ids[i] = c->ids[feat[i]];
    }
    if (sel->window) {
        if ((error = wb_store_latest(req->db->st, &win, ids, n, sel->from, sel->to)) < 0)
            goto done;
        for (size_t s = 0; s < sel->nkeys; s++) {
            win_key[s] = (size_t)-1;
            for (size_t k = 0; k < win.nind; k++)
                if (!strcmp(win.ind[k].key, c->keys[sel->keys[s]]))
                    win_key[s] = k;
        }
    }
    page_props pp = {c, sel, feat, sel->window ? &win : NULL, win_key};
    wb_layer view = {n, codes, names, geoms, c->byear, c->level};
    wb_geojson_opts o = WB_GEOJSON_OPTS_INIT;
    o.precision = OGC_DECIMALS;
    o.layer_crs = WB_CRS_WGS84; /* prepared in CRS84 already: no reprojection */
    /* every indicator, the latest values: what was prepared with the collection */
    int all = !sel->window && sel->nkeys == c->nkeys && c->props;
    for (size_t s = 0; all && s < sel->nkeys; s++)
        all = sel->keys[s] == s;
    o.props = all ? copy_props : write_props;
    o.props_payload = &pp;
    o.members = members_json;
    o.feature_only = one;
    o.multi = 1;
    error = wb_geojson_write(wb_write_to_str, &resp->body, &view, NULL, &o, NULL);
    resp->type = TYPE_GEOJSON;
done:
    wb_latest_dispose(&win);
    wb_free(codes);
    wb_free(names);
    wb_free(geoms);
    wb_free(ids);
    wb_free(win_key);
    return error;
}

/* Finish a wb_json object and hand out its members without the braces (NUL-terminated). */
static const char *members_of(wb_json *j, wb_str *s)
{
    wb_json_obj_close(j);
    if (wb_json_finish(j) < 0 || s->len < 2)
        return NULL;
    s->ptr[s->len - 1] = 0;
    return s->ptr + 1;
}

int wb_web__h_ogc_items(wb_req *req, wb_resp *resp)
{
    char base[300], id[48], path[160], ts[32];
    wb_blob *b = NULL;
    int error = coll_begin(req, resp, base, &b);
    if (error)
        return error < 0 ? error : 0;
    const ogc_coll *c = coll_of(b);
    value_sel sel = {NULL, 0, 0, 0, 0};
    size_t *match = NULL;
    wb_str ms = WB_STR_INIT, q = WB_STR_INIT;
    double bb[4];
    int has_bbox = wb_req_has(req, "bbox");
    if (has_bbox && parse_bbox(resp, wb_req_text(req, "bbox"), bb))
        goto done;
    if ((error = parse_values(req, resp, c, &sel)) != 0)
        goto done;
    long limit = wb_req_has(req, "limit") ? wb_req_int(req, "limit") : OGC_LIMIT_DEFAULT;
    if (limit > OGC_LIMIT_MAX)
        limit = OGC_LIMIT_MAX; /* a larger limit is not an error: the maximum applies */
    long offset = wb_req_int(req, "offset");
    if (!(match = wb_malloc((c->n ? c->n : 1) * sizeof *match))) {
        error = WB_ENOMEM;
        goto done;
    }
    size_t nm = 0;
    for (size_t i = 0; i < c->n; i++)
        if (!has_bbox || meets_bbox(&c->geoms[i], bb))
            match[nm++] = i;
    size_t from = (size_t)offset < nm ? (size_t)offset : nm;
    size_t n = nm - from < (size_t)limit ? nm - from : (size_t)limit;

    coll_name(c, id);
    timestamp(ts, c->built);
    wb_json j;
    wb_json_init(&j, &ms);
    wb_json_obj_open(&j);
    wb_json_kint(&j, "numberMatched", (long long)nm);
    wb_json_kint(&j, "numberReturned", (long long)n);
    wb_json_kstr(&j, "timeStamp", ts);
    wb_json_key(&j, "links");
    wb_json_arr_open(&j);
    snprintf(path, sizeof path, "/ogc/collections/%s/items", id);
    wb_str_printf(&q, "%s", path);
    page_query(&q, req, limit, (long)from);
    link(&j, base, q.ptr, "self", TYPE_GEOJSON, "this page");
    if (from + n < nm) {
        wb_str_clear(&q);
        wb_str_printf(&q, "%s", path);
        page_query(&q, req, limit, (long)(from + n));
        link(&j, base, q.ptr, "next", TYPE_GEOJSON, "the next page");
    }
    if (from > 0) {
        wb_str_clear(&q);
        wb_str_printf(&q, "%s", path);
        page_query(&q, req, limit, from > (size_t)limit ? (long)(from - (size_t)limit) : 0);
        link(&j, base, q.ptr, "prev", TYPE_GEOJSON, "the previous page");
    }
    snprintf(path, sizeof path, "/ogc/collections/%s", id);
    link(&j, base, path, "collection", TYPE_JSON, "the collection");
    wb_json_arr_close(&j);
    const char *mem = members_of(&j, &ms);
    if (!mem) {
        error = j.error ? j.error : WB_ENOMEM;
        goto done;
    }
    error = write_features(req, resp, c, &sel, match + from, n, 0, mem);
done:
    sel_dispose(&sel);
    wb_free(match);
    wb_str_dispose(&ms);
    wb_str_dispose(&q);
    wb_blob__unref(b);
    return error < 0 ? error : 0;
}

int wb_web__h_ogc_item(wb_req *req, wb_resp *resp)
{
    char base[300], id[48], path[200];
    wb_blob *b = NULL;
    int error = coll_begin(req, resp, base, &b);
    if (error)
        return error < 0 ? error : 0;
    const ogc_coll *c = coll_of(b);
    value_sel sel = {NULL, 0, 0, 0, 0};
    wb_str ms = WB_STR_INIT;
    const char *code = wb_req_text(req, "featureId");
    /* the features are ordered by code */
    long hit = c->n ? wb__code_find(c->codes[0], c->n, WB_CODE_MAX, code) : -1;
    size_t lo = hit < 0 ? 0 : (size_t)hit;
    coll_name(c, id);
    if (hit < 0) {
        wb_resp_error(resp, 404, NULL, "no feature '%.64s' in collection %s", code, id);
        goto done;
    }
    if ((error = parse_values(req, resp, c, &sel)) != 0)
        goto done;
    wb_json j;
    wb_json_init(&j, &ms);
    wb_json_obj_open(&j);
    wb_json_key(&j, "links");
    wb_json_arr_open(&j);
    snprintf(path, sizeof path, "/ogc/collections/%s/items/%s", id, c->codes[lo]);
    link(&j, base, path, "self", TYPE_GEOJSON, "this feature");
    snprintf(path, sizeof path, "/ogc/collections/%s", id);
    link(&j, base, path, "collection", TYPE_JSON, "the collection");
    wb_json_arr_close(&j);
    const char *mem = members_of(&j, &ms);
    if (!mem) {
        error = j.error ? j.error : WB_ENOMEM;
        goto done;
    }
    error = write_features(req, resp, c, &sel, &lo, 1, 1, mem);
done:
    sel_dispose(&sel);
    wb_str_dispose(&ms);
    wb_blob__unref(b);
    return error < 0 ? error : 0;
}
