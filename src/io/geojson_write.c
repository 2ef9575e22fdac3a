/**
 * @file
 * @brief GeoJSON output of a layer: optional topology-preserving simplification, reprojection
 * (WGS84 lon/lat by default, RFC 7946), fixed-precision coordinates, RFC 7946 winding.
 * Streams through a wb_write_fn in 64 KiB pieces.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/geo_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/geoio.h"

int wb_write_to_str(void *payload, const char *data, size_t len)
{
    return wb_str_put(payload, data, len);
}

typedef struct {
    wb_write_fn fn;
    void *payload;
    size_t n;
    int error;
    char buf[1 << 16];
} out_t;

static void flush(out_t *o)
{
    if (o->error == 0 && o->n) {
        int rc = o->fn(o->payload, o->buf, o->n);
        if (rc < 0)
            o->error = rc;
    }
    o->n = 0;
}

static void put(out_t *o, const char *s, size_t len)
{
    if (o->error)
        return;
    if (o->n + len > sizeof o->buf) {
        flush(o);
        if (len > sizeof o->buf) {
            int rc = o->error ? o->error : o->fn(o->payload, s, len);
            if (rc < 0)
                o->error = rc;
            return;
        }
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

static void puts_(out_t *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_json_string(out_t *o, const char *s)
{
    char esc[8];
    put(o, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(o, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"': puts_(o, "\\\""); break;
        case '\\': puts_(o, "\\\\"); break;
        case '\n': puts_(o, "\\n"); break;
        case '\r': puts_(o, "\\r"); break;
        case '\t': puts_(o, "\\t"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(o, esc);
        }
    }
    put(o, run, (size_t)(s - run));
    put(o, "\"", 1);
}

static void put_double(out_t *o, double v)
{
    char b[40];
    if (!isfinite(v)) {
        puts_(o, "null");
        return;
    }
    snprintf(b, sizeof b, "%.15g", v);
    if (strtod(b, NULL) != v)
        snprintf(b, sizeof b, "%.17g", v);
    puts_(o, b);
}

/* A coordinate stored as round(v * 10^precision). */
static void put_fixed(out_t *o, int64_t r, int precision, int64_t scale)
{
    char b[48], *p = b + sizeof b;
    uint64_t u = r < 0 ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
    uint64_t ip = u / (uint64_t)scale, fp = u % (uint64_t)scale;
    /* fraction without trailing zeros */
    int digits = precision;
    while (digits > 0 && fp % 10 == 0) {
        fp /= 10;
        digits--;
    }
    if (digits > 0) {
        for (int d = 0; d < digits; d++) {
            *--p = (char)('0' + fp % 10);
            fp /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (r < 0)
        *--p = '-';
    put(o, p, (size_t)(b + sizeof b - p));
}

typedef struct {
    int64_t x, y;
} ipt;

static double iring_area2(const ipt *p, size_t n)
{
    double a = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        double x1 = (double)(p[i].x - p[0].x), y1 = (double)(p[i].y - p[0].y);
        double x2 = (double)(p[i + 1].x - p[0].x), y2 = (double)(p[i + 1].y - p[0].y);
        a += x1 * y2 - x2 * y1;
    }
    return a;
}

typedef struct {
    ipt *pts;
    size_t cap;
    size_t *ring_off; /* rings kept for the current feature */
    size_t *ring_poly;
    size_t nrings, cap_rings;
} scratch;

/* Round the rings of one geometry into the scratch space: drop repeated points; rings that
 * become degenerate are dropped (an exterior with its polygon). Orient per RFC 7946. */
static int round_geom(scratch *s, const wb_geom *g, double mult, int winding, size_t *dropped,
                      size_t *npolys_out)
{
    size_t np = 0, cap_needed = g->npts + 1;
    int error;
    if ((error = wb__grow((void **)&s->pts, &s->cap, cap_needed, sizeof *s->pts)) < 0 ||
        (error = wb__grow((void **)&s->ring_off, &s->cap_rings, g->nrings + 2, sizeof *s->ring_off)) < 0)
        return error;
    size_t cap_rp = s->cap_rings;
    s->ring_poly = wb_realloc(s->ring_poly, cap_rp * sizeof *s->ring_poly);
    if (!s->ring_poly)
        return WB_ENOMEM;
    s->nrings = 0;
    s->ring_off[0] = 0;
    size_t npolys = 0;
    for (size_t p = 0; p < g->npolys; p++) {
        int exterior_kept = 0;
        for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
            size_t start = np;
            for (size_t i = g->ring_off[r]; i < g->ring_off[r + 1]; i++) {
                ipt q = {llround(g->pts[i].x * mult), llround(g->pts[i].y * mult)};
                if (np > start && s->pts[np - 1].x == q.x && s->pts[np - 1].y == q.y)
                    continue;
                s->pts[np++] = q;
            }
            size_t n = np - start;
            double a = n >= 4 ? iring_area2(s->pts + start, n) : 0;
            int is_ext = r == g->poly_off[p];
            if (n < 4 || a == 0 || (!is_ext && !exterior_kept)) {
                if (n < 4 || a == 0)
                    (*dropped)++;
                np = start;
                if (is_ext)
                    break;
                continue;
            }
            if (winding) {
                int want_ccw = is_ext;
                if ((a > 0) != want_ccw) {
                    for (size_t i = start, j = np - 1; i < j; i++, j--) {
                        ipt t = s->pts[i];
                        s->pts[i] = s->pts[j];
                        s->pts[j] = t;
                    }
                }
            }
            if (is_ext) {
                exterior_kept = 1;
                npolys++;
            }
            s->ring_poly[s->nrings] = npolys - 1;
            s->nrings++;
            s->ring_off[s->nrings] = np;
        }
    }
    *npolys_out = npolys;
    return 0;
}

static void write_ring(out_t *o, const scratch *s, size_t r, int precision, int64_t scale,
                       size_t *points)
{
    put(o, "[", 1);
    for (size_t i = s->ring_off[r]; i < s->ring_off[r + 1]; i++) {
        if (i > s->ring_off[r])
            put(o, ",", 1);
        put(o, "[", 1);
        put_fixed(o, s->pts[i].x, precision, scale);
        put(o, ",", 1);
        put_fixed(o, s->pts[i].y, precision, scale);
        put(o, "]", 1);
    }
    *points += s->ring_off[r + 1] - s->ring_off[r];
    put(o, "]", 1);
}

static int is_wgs84(const char *canon)
{
    return !strcmp(canon, "EPSG:4326") || !strcmp(canon, "OGC:CRS84");
}

int wb_geojson_write(wb_write_fn fn, void *payload, const wb_layer *layer, const double *values,
                     const wb_geojson_opts *opts, wb_geojson_stats *stats)
{
    static const wb_geojson_opts defaults = WB_GEOJSON_OPTS_INIT;
    wb_geojson_stats local;
    wb_geojson_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    if (!opts)
        opts = &defaults;
    const char *out_crs = opts->crs ? opts->crs : WB_CRS_WGS84;
    const char *layer_crs = opts->layer_crs ? opts->layer_crs : WB_CRS_RD;
    const char *value_name = opts->value_name ? opts->value_name : "value";
    int geographic = 0, error;
    char canon[64];
    /* WGS84 output of a layer already in WGS84 needs no PROJ at all: a server writes pages
     * of such layers many times a second, and PROJ's lookups cost about 1 ms a call */
    int same_crs = !strcmp(out_crs, layer_crs);
    if (!strcmp(out_crs, WB_CRS_WGS84)) {
        geographic = 1;
        snprintf(canon, sizeof canon, "%s", WB_CRS_WGS84);
    } else if ((error = wb_crs_check(out_crs, &geographic, canon, sizeof canon)) < 0) {
        return error;
    }
    int precision = opts->precision < 0 ? (geographic ? 6 : 2) : opts->precision;
    if (precision > 12) {
        wb_error_set(WB_ERRCLASS_ARG, "coordinate precision must be 0..12 decimals, got %d",
                     opts->precision);
        return WB_EINVALID;
    }
    if (!(opts->simplify >= 0) || !isfinite(opts->simplify)) {
        wb_error_set(WB_ERRCLASS_ARG, "simplification tolerance must be a finite number >= 0");
        return WB_EINVALID;
    }
    if (opts->feature_only && layer->n != 1) {
        wb_error_set(WB_ERRCLASS_ARG, "one feature asked for, but the layer has %zu areas", layer->n);
        return WB_EINVALID;
    }
    int64_t scale = 1;
    for (int i = 0; i < precision; i++)
        scale *= 10;
    double mult = (double)scale;

    out_t *o = wb_malloc(sizeof *o);
    wb_geom *geoms = wb_calloc(layer->n ? layer->n : 1, sizeof *geoms);
    wb_reproj *rp = NULL;
    wb_str props = WB_STR_INIT;
    scratch s;
    memset(&s, 0, sizeof s);
    if (!o || !geoms) {
        error = WB_ENOMEM;
        goto done;
    }
    o->fn = fn;
    o->payload = payload;
    o->n = 0;
    o->error = 0;
    for (size_t i = 0; i < layer->n; i++) {
        if ((error = wb_geom_copy(&geoms[i], &layer->geoms[i])) < 0)
            goto done;
        st->points_in += geoms[i].npts;
    }
    if (opts->simplify > 0 && (error = wb_geoms_simplify(geoms, layer->n, opts->simplify)) < 0)
        goto done;
    if (!same_crs && (error = wb_reproj_new(&rp, layer_crs, out_crs)) < 0)
        goto done;
    double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < layer->n; i++) {
        if (rp && (error = wb_reproj_geom(rp, &geoms[i])) < 0) {
            wb_error_prefix("%s", layer->codes[i]);
            goto done;
        }
        if (geoms[i].npts) {
            bb[0] = fmin(bb[0], geoms[i].bbox[0]);
            bb[1] = fmin(bb[1], geoms[i].bbox[1]);
            bb[2] = fmax(bb[2], geoms[i].bbox[2]);
            bb[3] = fmax(bb[3], geoms[i].bbox[3]);
        }
        if (fabs(geoms[i].bbox[0]) * mult > 9e15 || fabs(geoms[i].bbox[2]) * mult > 9e15 ||
            fabs(geoms[i].bbox[1]) * mult > 9e15 || fabs(geoms[i].bbox[3]) * mult > 9e15) {
            wb_error_set(WB_ERRCLASS_ARG, "coordinates too large for %d decimals", precision);
            error = WB_EINVALID;
            goto done;
        }
    }

    if (!opts->feature_only) {
        puts_(o, "{\"type\":\"FeatureCollection\"");
        if (!is_wgs84(canon) && !strncmp(canon, "EPSG:", 5)) {
            puts_(o, ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::");
            puts_(o, canon + 5);
            puts_(o, "\"}}");
        }
        if (bb[0] <= bb[2]) {
            puts_(o, ",\"bbox\":[");
            for (int k = 0; k < 4; k++) {
                if (k)
                    put(o, ",", 1);
                /* outward rounding, so the box contains every written point */
                double v = k < 2 ? floor(bb[k] * mult) : ceil(bb[k] * mult);
                put_fixed(o, (int64_t)v, precision, scale);
            }
            puts_(o, "]");
        }
        puts_(o, ",\"features\":[");
    }
    for (size_t i = 0; i < layer->n; i++) {
        size_t npolys = 0;
        if ((error = round_geom(&s, &geoms[i], mult, opts->rfc7946_winding, &st->rings_dropped,
                                &npolys)) < 0)
            goto done;
        if (!opts->feature_only)
            puts_(o, i ? ",\n" : "\n");
        puts_(o, "{\"type\":\"Feature\",\"id\":");
        put_json_string(o, layer->codes[i]);
        puts_(o, ",\"properties\":{\"code\":");
        put_json_string(o, layer->codes[i]);
        puts_(o, ",\"name\":");
        if (layer->names && layer->names[i])
            put_json_string(o, layer->names[i]);
        else
            puts_(o, "null");
        if (values) {
            put(o, ",", 1);
            put_json_string(o, value_name);
            put(o, ":", 1);
            put_double(o, values[i]);
            if (isfinite(values[i]))
                st->with_value++;
            else
                st->null_value++;
        }
        if (opts->props) {
            wb_str_clear(&props);
            if ((error = opts->props(opts->props_payload, i, &props)) < 0)
                goto done;
            put(o, props.ptr ? props.ptr : "", props.len);
        }
        puts_(o, "},\"geometry\":");
        int single = npolys == 1 && !opts->multi;
        if (npolys == 0) {
            puts_(o, "null");
            st->null_geometry++;
        } else {
            puts_(o, single ? "{\"type\":\"Polygon\",\"coordinates\":"
                            : "{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (size_t r = 0; r < s.nrings; r++) {
                int first_of_poly = r == 0 || s.ring_poly[r] != s.ring_poly[r - 1];
                if (first_of_poly) {
                    if (r)
                        puts_(o, "],");
                    put(o, "[", 1);
                } else {
                    put(o, ",", 1);
                }
                write_ring(o, &s, r, precision, scale, &st->points_out);
            }
            puts_(o, single ? "]}" : "]]}");
        }
        if (opts->feature_only && opts->members) {
            put(o, ",", 1);
            puts_(o, opts->members);
        }
        put(o, "}", 1);
        st->features++;
        if (o->error)
            break;
    }
    if (!opts->feature_only) {
        puts_(o, "\n]");
        if (opts->members) {
            put(o, ",", 1);
            puts_(o, opts->members);
        }
        puts_(o, "}");
    }
    puts_(o, "\n");
    flush(o);
    error = o->error;
done:
    if (geoms)
        for (size_t i = 0; i < layer->n; i++)
            wb_geom_dispose(&geoms[i]);
    wb_free(geoms);
    wb_free(o);
    wb_reproj_free(rp);
    wb_str_dispose(&props);
    wb_free(s.pts);
    wb_free(s.ring_off);
    wb_free(s.ring_poly);
    return error;
}

/* ---------------------------------------------------------------- from the store */

static int cmp_code(const void *key, const void *elem)
{
    return strcmp(key, elem);
}

int wb_geo__load_layer_values(wb_layer *layer, double **values, wb_store *st, wb_level level,
                              int year, const char *indicator, int data_year)
{
    wb_value *v = NULL;
    size_t nv = 0;
    *values = NULL;
    int error = wb_store_layer_load(st, layer, level, year);
    if (error < 0 || !indicator)
        return error;
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = indicator;
    q.year = data_year ? data_year : year;
    q.boundary_year = year;
    q.level = level;
    if ((error = wb_store_values(st, &v, &nv, NULL, &q)) < 0)
        goto done;
    *values = wb_malloc((layer->n ? layer->n : 1) * sizeof **values);
    if (!*values) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < layer->n; i++)
        (*values)[i] = NAN;
    for (size_t k = 0; k < nv; k++) {
        /* the layer is ordered by code (SQLite's binary collation = strcmp) */
        char(*hit)[WB_CODE_MAX] =
            bsearch(v[k].code, layer->codes, layer->n, sizeof *layer->codes, cmp_code);
        if (hit)
            (*values)[hit - layer->codes] = v[k].value;
    }
done:
    wb_free(v);
    if (error < 0) {
        wb_layer_dispose(layer);
        wb_free(*values);
        *values = NULL;
    }
    return error;
}

int wb_geojson_export(wb_write_fn fn, void *payload, wb_store *st, wb_level level, int year,
                      const char *indicator, int data_year, const wb_geojson_opts *opts,
                      wb_geojson_stats *stats)
{
    wb_layer layer = WB_LAYER_INIT;
    double *values = NULL;
    int error = wb_geo__load_layer_values(&layer, &values, st, level, year, indicator, data_year);
    if (error == 0)
        error = wb_geojson_write(fn, payload, &layer, values, opts, stats);
    wb_free(values);
    wb_layer_dispose(&layer);
    return error;
}
