/**
 * @file
 * @brief A streaming check of a GeoJSON or TopoJSON document before anything parses it whole.
 *
 * One pass over the bytes (a file, gzipped or not, or memory) with a recursive-descent
 * recogniser that keeps no document: JSON syntax with line and column; nesting at most
 * WB_GEO_MAX_DEPTH deep (before jansson or GDAL recurse into it); for gzip, at most a given
 * number of inflated bytes (a bomb is refused while it inflates); the shape of every GeoJSON
 * geometry's "coordinates" (GDAL turns a Polygon whose coordinates are a string, or nested
 * too deep, into a null geometry without a word); and the line on which each feature (or
 * TopoJSON geometry) starts, so that later errors can name it. The top-level "type" and
 * whether a "crs" member exists are kept for the caller.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/internal.h"
#include "io/geo_internal.h"
#include "wijkbeeld/errors.h"

enum { K_NONE, K_STRING, K_NUMBER, K_TRUE, K_FALSE, K_NULL, K_ARRAY, K_OBJECT };

/* Where a value sits, as far as the GeoJSON and TopoJSON structure goes. */
typedef enum {
    R_NONE,
    R_ROOT,
    R_FEATURES,  /* the top-level "features" array */
    R_FEATURE,   /* one of its elements */
    R_GEOMETRY,  /* a GeoJSON geometry object */
    R_GEOMS,     /* a GeometryCollection's "geometries" */
    R_OBJECTS,   /* TopoJSON "objects" */
    R_TOBJECT,   /* one TopoJSON object */
    R_TGEOMS,    /* its "geometries" */
} role;

/* What a value looked like: enough to check "coordinates" without keeping them. */
typedef struct {
    int kind;
    int depth;              /* arrays: levels down to the numbers; -1: empty (fits any) */
    int mixed;              /* an array whose elements differ in kind or depth */
    int short_pos;          /* a position (array of numbers) of fewer than 2 numbers */
    size_t bad_line, bad_col; /* the first mixed element or short position */
    size_t line, col;       /* where the value starts */
} shape;

typedef struct {
    /* input: a gzFile or memory */
    gzFile gz;
    const unsigned char *mem;
    size_t memlen;
    unsigned char *buf;
    size_t len, pos;
    uint64_t consumed;      /* bytes before buf */
    uint64_t limit;         /* inflated bytes at most (0: none) */
    int compressed;
    int eof;
    size_t line, col;
    const char *fname;
    wb_geo__scan *out;
    size_t tobject;         /* the TopoJSON object being read */
    int error;
} scanner;

#define SCAN_BUF (1 << 16)

static int fill(scanner *s)
{
    if (s->eof)
        return 0;
    if (s->mem) {
        s->eof = 1;
        return 0;
    }
    s->consumed += s->len;
    int got = gzread(s->gz, s->buf, SCAN_BUF);
    if (got < 0) {
        int zerr;
        const char *msg = gzerror(s->gz, &zerr);
        wb_error_set(WB_ERRCLASS_OS, "%s: %s%s", s->fname,
                     zerr == Z_ERRNO ? "read error: " : "corrupt or truncated gzip data: ",
                     zerr == Z_ERRNO ? strerror(errno) : msg);
        s->error = zerr == Z_ERRNO ? WB_EIO : WB_EPARSE;
        s->len = s->pos = 0;
        s->eof = 1;
        return 0;
    }
    s->len = (size_t)got;
    s->pos = 0;
    if (got == 0) {
        s->eof = 1;
        int zerr;
        const char *msg = gzerror(s->gz, &zerr);
        if (zerr != Z_OK && !s->error) { /* a truncated gzip stream */
            wb_error_set(WB_ERRCLASS_OS, "%s: corrupt or truncated gzip data: %s", s->fname, msg);
            s->error = WB_EPARSE;
        }
        return 0;
    }
    if (s->consumed == 0)
        s->compressed = !gzdirect(s->gz);
    if (s->compressed && s->limit && s->consumed + s->len > s->limit) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: inflates to more than %llu MiB (the limit; raise it with --max-inflated MB)",
                     s->fname, (unsigned long long)(s->limit >> 20));
        s->error = WB_EINVALID;
        s->len = s->pos = 0;
        s->eof = 1;
        return 0;
    }
    return 1;
}

/* The next byte without taking it; -1 at the end (or after an input error). */
static inline int peek(scanner *s)
{
    if (s->pos == s->len && !fill(s))
        return -1;
    return s->buf[s->pos];
}

static inline int take(scanner *s)
{
    int c = peek(s);
    if (c < 0)
        return c;
    s->pos++;
    if (c == '\n') {
        s->line++;
        s->col = 1;
    } else {
        s->col++;
    }
    return c;
}

static void skip_ws(scanner *s)
{
    for (;;) {
        if (s->pos == s->len && !fill(s))
            return;
        /* the fast path: a bomb of blanks costs one comparison per byte */
        const unsigned char *p = s->buf + s->pos, *e = s->buf + s->len;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        s->col += (size_t)(p - (s->buf + s->pos));
        s->pos = (size_t)(p - s->buf);
        if (p == e)
            continue;
        if (*p != '\n')
            return;
        s->pos++;
        s->line++;
        s->col = 1;
    }
}

static int fail_at(scanner *s, size_t line, size_t col, int code, const char *fmt, const char *what)
{
    if (s->error)
        return s->error;
    char msg[200];
    snprintf(msg, sizeof msg, fmt, what ? what : "");
    wb_error_set(code == WB_EPARSE ? WB_ERRCLASS_JSON : WB_ERRCLASS_GEO, "%s:%zu:%zu: %s", s->fname, line, col, msg);
    s->error = code;
    return code;
}

/* "invalid JSON: expected X, got Y" at the current position. */
static int expected(scanner *s, const char *what)
{
    if (s->error)
        return s->error;
    int c = peek(s);
    char got[32];
    if (c < 0)
        snprintf(got, sizeof got, "the end of the file");
    else if (c >= 0x20 && c < 0x7f)
        snprintf(got, sizeof got, "'%c'", c);
    else
        snprintf(got, sizeof got, "byte 0x%02x", c);
    char msg[160];
    snprintf(msg, sizeof msg, "invalid JSON: expected %s, got %s", what, got);
    return fail_at(s, s->line, s->col, WB_EPARSE, "%s", msg);
}

/* Four hexadecimal digits of a \u escape. */
static int hex4(scanner *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int h = peek(s);
        if (h < 0 || !strchr("0123456789abcdefABCDEF", h))
            return expected(s, "four hexadecimal digits after \\u");
        take(s);
        v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    *out = v;
    return 0;
}

/* The continuation bytes of a UTF-8 sequence whose lead byte @p c was taken (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), as jansson checks them. */
static int utf8_rest(scanner *s, int c)
{
    unsigned char lo, hi;
    int n = wb__utf8_lead((unsigned char)c, &lo, &hi);
    for (int k = 0; k < n; k++) {
        int b = peek(s);
        if (b < 0 || b < lo || b > hi)
            n = -1;
        else
            take(s);
        lo = 0x80;
        hi = 0xBF;
    }
    if (n < 0) {
        char what[80];
        snprintf(what, sizeof what, "invalid JSON: expected UTF-8 text, got byte 0x%02X", (unsigned)c);
        return fail_at(s, s->line, s->col > 1 ? s->col - 1 : 1, WB_EPARSE, "%s", what);
    }
    return 0;
}

/* A string; its first @p cap - 1 bytes (escapes kept as written) into @p out when given.
 * Valid UTF-8, no NUL (not even as \u0000), surrogates only in pairs: what jansson accepts. */
static int scan_string(scanner *s, char *out, size_t cap)
{
    size_t n = 0;
    int error;
    take(s); /* the opening quote */
    for (;;) {
        int c = peek(s);
        if (c < 0)
            return expected(s, "a closing quote");
        if (c < 0x20)
            return expected(s, "a character of a string (control bytes must be escaped)");
        take(s);
        if (c == '"')
            break;
        if (c >= 0x80) {
            if ((error = utf8_rest(s, c)) < 0)
                return error;
            continue;
        }
        if (c == '\\') {
            int e = peek(s);
            if (e < 0 || !strchr("\"\\/bfnrtu", e))
                return expected(s, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            take(s);
            if (e == 'u') {
                unsigned v;
                if ((error = hex4(s, &v)) < 0)
                    return error;
                if (v == 0)
                    return fail_at(s, s->line, s->col, WB_EPARSE, "%s", "invalid JSON: a NUL character (\\u0000) in a string");
                if (v >= 0xDC00 && v <= 0xDFFF)
                    return fail_at(s, s->line, s->col, WB_EPARSE, "%s", "invalid JSON: a lone low surrogate in a string");
                if (v >= 0xD800 && v <= 0xDBFF) {
                    unsigned lo;
                    if (peek(s) != '\\')
                        return expected(s, "a low surrogate \\uDC00..\\uDFFF after a high one");
                    take(s);
                    if (peek(s) != 'u')
                        return expected(s, "a low surrogate \\uDC00..\\uDFFF after a high one");
                    take(s);
                    if ((error = hex4(s, &lo)) < 0)
                        return error;
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return fail_at(s, s->line, s->col, WB_EPARSE, "%s",
                                       "invalid JSON: expected a low surrogate \\uDC00..\\uDFFF after a high one");
                }
            }
            continue;
        }
        if (out && n + 1 < cap)
            out[n++] = (char)c;
    }
    if (out && cap)
        out[n < cap ? n : cap - 1] = 0;
    return 0;
}

static int digits(scanner *s)
{
    int c = peek(s), k = 0;
    while (c >= '0' && c <= '9') {
        take(s);
        k++;
        c = peek(s);
    }
    return k;
}

static int scan_number(scanner *s)
{
    if (peek(s) == '-')
        take(s);
    int c = peek(s);
    if (c == '0')
        take(s);
    else if (!digits(s))
        return expected(s, "a digit");
    if (peek(s) == '.') {
        take(s);
        if (!digits(s))
            return expected(s, "a digit after the decimal point");
    }
    c = peek(s);
    if (c == 'e' || c == 'E') {
        take(s);
        c = peek(s);
        if (c == '+' || c == '-')
            take(s);
        if (!digits(s))
            return expected(s, "a digit in the exponent");
    }
    return 0;
}

static int scan_literal(scanner *s, const char *word)
{
    for (const char *w = word; *w; w++) {
        if (peek(s) != *w)
            return expected(s, "a JSON value");
        take(s);
    }
    return 0;
}

static int scan_value(scanner *s, role r, int depth, shape *sh);

/* The coordinates levels and what they hold, per GeoJSON geometry type. */
static const struct {
    const char *type;
    int depth;
    const char *elems; /* what the outer array holds */
    const char *holds; /* the whole nesting */
} geom_types[] = {
    {"Point", 1, "numbers", "an [x, y] position"},
    {"MultiPoint", 2, "positions", "[x, y] positions"},
    {"LineString", 2, "positions", "[x, y] positions"},
    {"MultiLineString", 3, "lines", "lines of [x, y] positions"},
    {"Polygon", 3, "rings", "rings of [x, y] positions"},
    {"MultiPolygon", 4, "polygons", "polygons of rings of [x, y] positions"},
};

static const char *kind_name(int kind)
{
    switch (kind) {
    case K_STRING: return "a string";
    case K_NUMBER: return "a number";
    case K_TRUE: return "true";
    case K_FALSE: return "false";
    case K_NULL: return "null";
    case K_OBJECT: return "an object";
    default: return "something else";
    }
}

/* A geometry object has been read: do its coordinates have its type's shape? */
static int check_geometry(scanner *s, const char *type, const shape *co, int have_co, size_t line, size_t col)
{
    for (size_t i = 0; i < sizeof geom_types / sizeof *geom_types; i++) {
        if (strcmp(type, geom_types[i].type))
            continue;
        char msg[200];
        const char *what = geom_types[i].elems;
        if (!have_co) {
            snprintf(msg, sizeof msg, "a %s without 'coordinates': expected an array of %s", type, what);
            return fail_at(s, line, col, WB_EPARSE, "%s", msg);
        }
        if (co->kind != K_ARRAY) {
            snprintf(msg, sizeof msg, "a %s whose 'coordinates' is %s: expected an array of %s", type,
                     kind_name(co->kind), what);
            return fail_at(s, co->line, co->col, WB_EPARSE, "%s", msg);
        }
        if (co->mixed) {
            snprintf(msg, sizeof msg, "a %s whose 'coordinates' mix arrays and other values: expected %s", type,
                     geom_types[i].holds);
            return fail_at(s, co->bad_line, co->bad_col, WB_EPARSE, "%s", msg);
        }
        if (co->depth >= 0 && co->depth != geom_types[i].depth) {
            snprintf(msg, sizeof msg, "a %s whose 'coordinates' are nested %d deep: expected %d (%s)", type,
                     co->depth, geom_types[i].depth, geom_types[i].holds);
            return fail_at(s, co->line, co->col, WB_EPARSE, "%s", msg);
        }
        if (co->short_pos) {
            snprintf(msg, sizeof msg, "a %s with a position of fewer than 2 numbers", type);
            return fail_at(s, co->bad_line, co->bad_col, WB_EPARSE, "%s", msg);
        }
        return 0;
    }
    return 0; /* GeometryCollection, Feature, Topology, or a type GDAL will refuse itself */
}

static int push_line(size_t **v, size_t *n, size_t *cap, size_t line)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        size_t *nv = wb_realloc(*v, nc * sizeof *nv);
        if (!nv)
            return WB_ENOMEM;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = line;
    return 0;
}

static role member_role(role parent, const char *key)
{
    switch (parent) {
    case R_ROOT:
        if (!strcmp(key, "features"))
            return R_FEATURES;
        if (!strcmp(key, "objects"))
            return R_OBJECTS;
        if (!strcmp(key, "geometry"))
            return R_GEOMETRY;
        if (!strcmp(key, "geometries"))
            return R_GEOMS;
        return R_NONE;
    case R_FEATURE: return !strcmp(key, "geometry") ? R_GEOMETRY : R_NONE;
    case R_GEOMETRY: return !strcmp(key, "geometries") ? R_GEOMS : R_NONE;
    case R_OBJECTS: return R_TOBJECT;
    case R_TOBJECT: return !strcmp(key, "geometries") ? R_TGEOMS : R_NONE;
    default: return R_NONE;
    }
}

static int scan_object(scanner *s, role r, int depth)
{
    size_t line = s->line, col = s->col;
    take(s); /* { */
    char type[40] = "";
    shape co;
    memset(&co, 0, sizeof co);
    int have_co = 0, error;
    skip_ws(s);
    if (peek(s) == '}') {
        take(s);
        return r == R_GEOMETRY ? check_geometry(s, type, &co, 0, line, col) : 0;
    }
    for (;;) {
        skip_ws(s);
        if (peek(s) != '"')
            return expected(s, "a member name in quotes");
        char key[64];
        if ((error = scan_string(s, key, sizeof key)) < 0)
            return error;
        skip_ws(s);
        if (peek(s) != ':')
            return expected(s, "':' after a member name");
        take(s);
        skip_ws(s);
        role cr = member_role(r, key);
        if (r == R_OBJECTS) { /* a TopoJSON object: remember its name for its geometries */
            wb_geo__scan_object *o = NULL;
            if (s->out->nobjects == s->out->capobjects) {
                size_t nc = s->out->capobjects ? 2 * s->out->capobjects : 8;
                wb_geo__scan_object *nv = wb_realloc(s->out->objects, nc * sizeof *nv);
                if (!nv)
                    return s->error = WB_ENOMEM;
                s->out->objects = nv;
                s->out->capobjects = nc;
            }
            o = &s->out->objects[s->out->nobjects++];
            memset(o, 0, sizeof *o);
            if (!(o->name = wb_strdup(key)))
                return s->error = WB_ENOMEM;
            s->tobject = s->out->nobjects - 1;
        }
        shape sh;
        int is_type = !strcmp(key, "type"), is_co = !strcmp(key, "coordinates");
        if (is_type && peek(s) == '"') {
            if ((error = scan_string(s, type, sizeof type)) < 0)
                return error;
        } else if ((error = scan_value(s, cr, depth + 1, &sh)) < 0) {
            return error;
        }
        if (is_co && (r == R_GEOMETRY || r == R_ROOT)) {
            co = sh;
            have_co = 1;
        }
        if (r == R_ROOT && is_type)
            snprintf(s->out->type, sizeof s->out->type, "%s", type);
        if (r == R_ROOT && !strcmp(key, "crs"))
            s->out->has_crs = 1;
        skip_ws(s);
        int c = peek(s);
        if (c == ',') {
            take(s);
            continue;
        }
        if (c == '}') {
            take(s);
            break;
        }
        return expected(s, "',' or '}' after an object member");
    }
    if (r == R_GEOMETRY || (r == R_ROOT && strcmp(type, "Topology")))
        return check_geometry(s, type, &co, have_co, line, col);
    return 0;
}

static void merge_child(shape *a, const shape *c, size_t *n, int *first_depth)
{
    int cd = c->kind == K_NUMBER ? 0 : c->kind == K_ARRAY ? c->depth : -2;
    if (cd == -2 || (cd >= 0 && *first_depth >= 0 && cd != *first_depth) || c->mixed) {
        if (!a->mixed) {
            a->mixed = 1;
            a->bad_line = c->mixed ? c->bad_line : c->line;
            a->bad_col = c->mixed ? c->bad_col : c->col;
        }
    }
    if (cd >= 0 && *first_depth < 0)
        *first_depth = cd;
    if (c->short_pos && !a->short_pos && !a->mixed) {
        a->short_pos = 1;
        a->bad_line = c->bad_line;
        a->bad_col = c->bad_col;
    }
    (*n)++;
}

static int scan_array(scanner *s, role r, int depth, shape *sh)
{
    take(s); /* [ */
    size_t n = 0;
    int first_depth = -1, error;
    skip_ws(s);
    if (peek(s) == ']') {
        take(s);
        sh->depth = -1;
        return 0;
    }
    role cr = r == R_FEATURES ? R_FEATURE : r == R_GEOMS ? R_GEOMETRY : R_NONE;
    for (;;) {
        skip_ws(s);
        if (r == R_FEATURES && (error = push_line(&s->out->feature_line, &s->out->nfeatures,
                                                  &s->out->capfeatures, s->line)) < 0)
            return s->error = error;
        if (r == R_TGEOMS) {
            wb_geo__scan_object *o = &s->out->objects[s->tobject];
            if ((error = push_line(&o->line, &o->n, &o->cap, s->line)) < 0)
                return s->error = error;
        }
        shape c;
        if ((error = scan_value(s, cr, depth + 1, &c)) < 0)
            return error;
        merge_child(sh, &c, &n, &first_depth);
        skip_ws(s);
        int ch = peek(s);
        if (ch == ',') {
            take(s);
            continue;
        }
        if (ch == ']') {
            take(s);
            break;
        }
        return expected(s, "',' or ']' after an array element");
    }
    sh->depth = first_depth < 0 ? -1 : first_depth + 1;
    if (first_depth == 0 && n < 2 && !sh->mixed && !sh->short_pos) {
        sh->short_pos = 1;
        sh->bad_line = sh->line;
        sh->bad_col = sh->col;
    }
    return 0;
}

static int scan_value(scanner *s, role r, int depth, shape *sh)
{
    memset(sh, 0, sizeof *sh);
    skip_ws(s);
    sh->line = s->line;
    sh->col = s->col;
    int c = peek(s);
    if ((c == '{' || c == '[') && depth > WB_GEO_MAX_DEPTH)
        return fail_at(s, s->line, s->col, WB_EPARSE, "JSON nested deeper than %s levels", WB_GEO_MAX_DEPTH_TEXT);
    switch (c) {
    case '{': sh->kind = K_OBJECT; return scan_object(s, r, depth);
    case '[': sh->kind = K_ARRAY; return scan_array(s, r, depth, sh);
    case '"': sh->kind = K_STRING; return scan_string(s, NULL, 0);
    case 't': sh->kind = K_TRUE; return scan_literal(s, "true");
    case 'f': sh->kind = K_FALSE; return scan_literal(s, "false");
    case 'n': sh->kind = K_NULL; return scan_literal(s, "null");
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            sh->kind = K_NUMBER;
            return scan_number(s);
        }
        return expected(s, "a JSON value");
    }
}

static int run(scanner *s)
{
    shape sh;
    /* a byte order mark */
    if (peek(s) == 0xEF) {
        take(s);
        if (peek(s) != 0xBB)
            return expected(s, "a JSON value");
        take(s);
        if (peek(s) != 0xBF)
            return expected(s, "a JSON value");
        take(s);
        s->col = 1;
    }
    int error = scan_value(s, R_ROOT, 1, &sh);
    if (error < 0 || s->error)
        return s->error ? s->error : error;
    skip_ws(s);
    if (peek(s) >= 0)
        return expected(s, "the end of the document");
    s->out->bytes = s->consumed + s->len;
    return s->error;
}

int wb_geo__scan_file(wb_geo__scan *out, const char *fname, const char *path, uint64_t max_inflated)
{
    memset(out, 0, sizeof *out);
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", fname, strerror(errno ? errno : EIO));
        return WB_EIO;
    }
    gzbuffer(gz, 1 << 17);
    scanner s;
    memset(&s, 0, sizeof s);
    s.gz = gz;
    s.buf = wb_malloc(SCAN_BUF);
    s.limit = max_inflated;
    s.line = s.col = 1;
    s.fname = fname;
    s.out = out;
    int error = s.buf ? run(&s) : WB_ENOMEM;
    out->compressed = s.compressed;
    wb_free(s.buf);
    gzclose(gz);
    if (error < 0)
        wb_geo__scan_dispose(out);
    return error;
}

int wb_geo__scan_buffer(wb_geo__scan *out, const char *fname, const char *data, size_t len)
{
    memset(out, 0, sizeof *out);
    scanner s;
    memset(&s, 0, sizeof s);
    s.mem = (const unsigned char *)(data ? data : "");
    s.buf = (unsigned char *)(uintptr_t)s.mem;
    s.len = len;
    s.memlen = len;
    s.line = s.col = 1;
    s.fname = fname;
    s.out = out;
    int error = run(&s);
    if (error < 0)
        wb_geo__scan_dispose(out);
    return error;
}

void wb_geo__scan_dispose(wb_geo__scan *sc)
{
    if (!sc)
        return;
    wb_free(sc->feature_line);
    for (size_t i = 0; i < sc->nobjects; i++) {
        wb_free(sc->objects[i].name);
        wb_free(sc->objects[i].line);
    }
    wb_free(sc->objects);
    memset(sc, 0, sizeof *sc);
}

size_t wb_geo__scan_line(const wb_geo__scan *sc, const char *object, size_t index)
{
    if (!sc)
        return 0;
    if (!object)
        return index < sc->nfeatures ? sc->feature_line[index] : 0;
    for (size_t i = 0; i < sc->nobjects; i++)
        if (!strcmp(sc->objects[i].name, object))
            return index < sc->objects[i].n ? sc->objects[i].line[index] : 0;
    return 0;
}
