/** @file @brief Helpers shared by the fuzz targets (see fuzz.h). */
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include <unistd.h>

#include "fuzz.h"
#include "wijkbeeld.h"

/* Set by the drivers (standalone, replay) to the file being run, for failure messages. */
const char *wbf_current_input;

void wbf_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "\n%s:%d: invariant failed: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    const wb_error *e = wb_error_last();
    fprintf(stderr, "\n  last library error (class %d): %s\n", e->klass, e->message);
    if (wbf_current_input)
        fprintf(stderr, "  input: %s\n", wbf_current_input);
    fflush(stderr);
    abort();
}

void wbf_note(int rc)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("WBF_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "%s: %d %s\n", wbf_current_input ? wbf_current_input : "input", rc,
                rc < 0 ? wb_error_last()->message : "");
}

void wbf_check_error(const char *file, int line, int rc, const char *name, int need_line)
{
    const wb_error *e = wb_error_last();
    if (rc >= 0)
        wbf_fail(file, line, "expected an error code, got %d", rc);
    if (rc == WB_ENOMEM)
        return;
    if (e->klass == WB_ERRCLASS_NONE || !e->message[0])
        wbf_fail(file, line, "error %d without a message", rc);
    if (!wbf_utf8_valid(e->message, strlen(e->message)))
        wbf_fail(file, line, "error message is not UTF-8");
    const char *at = name ? strstr(e->message, name) : e->message;
    if (!at)
        wbf_fail(file, line, "error message does not name '%s'", name);
    if (need_line) {
        at += name ? strlen(name) : 0;
        if (at[0] != ':' || at[1] < '1' || at[1] > '9')
            wbf_fail(file, line, "error message does not give a line (from 1) after '%s'", name);
    }
}

int wbf_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (b < 0x80) {
            i++;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            k = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            k = 2;
            if (b == 0xE0)
                lo = 0xA0;
            if (b == 0xED)
                hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            k = 3;
            if (b == 0xF0)
                lo = 0x90;
            if (b == 0xF4)
                hi = 0x8F;
        } else {
            return 0;
        }
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n)
                return 0;
            unsigned c = s[i + j];
            if (c < lo || c > hi)
                return 0;
            lo = 0x80;
            hi = 0xBF;
        }
        i += k + 1;
    }
    return 1;
}

static char tmpdir[512];

static void rm_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(tmpdir);
}

const char *wbf_tmp_path(char *buf, size_t n, const char *file)
{
    static pid_t owner;
    if (!tmpdir[0] || owner != getpid()) { /* a forked test child gets its own */
        /* $TMPDIR, else /dev/shm: files written per input on a disk-backed /tmp make the
         * import and csv targets ten times slower */
        const char *t = getenv("TMPDIR");
        if (!t || !*t)
            t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(tmpdir, sizeof tmpdir, "%s/wbfuzz.XXXXXX", t);
        if (!mkdtemp(tmpdir)) {
            perror("wbfuzz: mkdtemp");
            abort();
        }
        owner = getpid();
        atexit(rm_tmpdir);
    }
    snprintf(buf, n, "%s/%s", tmpdir, file);
    return buf;
}

void wbf_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

void wbf_check_geom(const wb_geom *g, int valid, const char *what)
{
    if (!g->npolys && !g->nrings && !g->npts && !g->poly_off && !g->ring_off)
        return; /* WB_GEOM_INIT: no geometry */
    WBF_CHECK(g->poly_off && g->ring_off, "%s: offsets missing", what);
    WBF_CHECK(g->poly_off[0] == 0 && g->ring_off[0] == 0, "%s: offsets do not start at 0", what);
    for (size_t p = 0; p < g->npolys; p++)
        WBF_CHECK(g->poly_off[p] <= g->poly_off[p + 1], "%s: polygon offsets decrease", what);
    WBF_CHECK(g->poly_off[g->npolys] == g->nrings, "%s: polygons end at ring %zu of %zu", what,
              g->poly_off[g->npolys], g->nrings);
    for (size_t r = 0; r < g->nrings; r++)
        WBF_CHECK(g->ring_off[r] <= g->ring_off[r + 1], "%s: ring offsets decrease", what);
    WBF_CHECK(g->ring_off[g->nrings] == g->npts, "%s: rings end at point %zu of %zu", what,
              g->ring_off[g->nrings], g->npts);
    for (size_t i = 0; i < g->npts; i++) {
        wb_point q = g->pts[i];
        if (valid)
            WBF_CHECK(isfinite(q.x) && isfinite(q.y), "%s: point %zu is (%g, %g)", what, i, q.x,
                      q.y);
        if (isfinite(q.x) && isfinite(q.y))
            WBF_CHECK(q.x >= g->bbox[0] && q.x <= g->bbox[2] && q.y >= g->bbox[1] &&
                          q.y <= g->bbox[3],
                      "%s: point %zu outside the bounding box", what, i);
    }
    if (!valid)
        return;
    for (size_t p = 0; p < g->npolys; p++)
        WBF_CHECK(g->poly_off[p + 1] > g->poly_off[p], "%s: polygon %zu without rings", what, p);
    for (size_t r = 0; r < g->nrings; r++) {
        const wb_point *q = g->pts + g->ring_off[r];
        size_t n = WB_RING_NPTS(g, r);
        WBF_CHECK(n >= 4, "%s: ring %zu has %zu points", what, r, n);
        WBF_CHECK(q[0].x == q[n - 1].x && q[0].y == q[n - 1].y, "%s: ring %zu is open", what, r);
    }
}

/* ---------------------------------------------------------------- polygon files */

int wbf_geo_run(const uint8_t *data, size_t size, const char *name)
{
    if (size < 1)
        return 0;
    static const char *const crs[4] = {NULL, "EPSG:28992", "EPSG:4326", NULL};
    static const wb_level levels[8] = {WB_LEVEL__MAX, WB_LEVEL_GEMEENTE, WB_LEVEL_WIJK,
                                       WB_LEVEL_BUURT, WB_LEVEL__MAX, WB_LEVEL__MAX,
                                       WB_LEVEL_OTHER, WB_LEVEL__MAX};
    unsigned opt = data[0];
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.year = 2016;
    o.crs = crs[opt & 3];
    o.level = levels[(opt >> 2) & 7];
    o.code_field = (opt & 0x20) ? "id" : NULL;
    o.object = (opt & 0x40) ? "a" : NULL;
    wb_geo_features f;
    wb_geo_summary s;
    int r = wb_geo_read_buffer(&f, &s, name, data + 1, size - 1, &o);
    wbf_note(r);
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE || r == WB_EINVALID || r == WB_ENOTFOUND, "returned %d", r);
        WBF_CHECK_ERROR(r, name, 0);
        WBF_CHECK(f.n == 0 && !f.codes && !f.geoms && !f.names && !f.levels && !f.flags,
                  "features left after an error");
        return 0;
    }
    WBF_CHECK(r == 0, "returned %d", r);
    WBF_CHECK(s.areas == f.n && s.features == s.areas + s.duplicate_codes,
              "%zu features, %zu areas, %zu duplicates, n %zu", s.features, s.areas,
              s.duplicate_codes, f.n);
    WBF_CHECK(s.imported + s.without_geometry == f.n, "imported %zu + without %zu != %zu",
              s.imported, s.without_geometry, f.n);
    size_t polys = 0, rings = 0, pts = 0, with = 0;
    for (size_t i = 0; i < f.n; i++) {
        const char *code = f.codes[i];
        char again[WB_CODE_MAX];
        wb_level lv;
        WBF_CHECK(strnlen(code, WB_CODE_MAX) < WB_CODE_MAX, "code %zu not terminated", i);
        WBF_CHECK(wb_code_normalize(again, &lv, code, strlen(code), o.level) == 0 &&
                      !strcmp(again, code),
                  "code '%s' does not normalise to itself", code);
        if (o.level != WB_LEVEL__MAX)
            WBF_CHECK(f.levels[i] == o.level, "level %d of '%s', asked %d", (int)f.levels[i], code,
                      (int)o.level);
        else
            WBF_CHECK(f.levels[i] == lv, "level %d of '%s', code says %d", (int)f.levels[i], code,
                      (int)lv);
        for (size_t j = 0; j < i; j++)
            WBF_CHECK(strcmp(f.codes[j], code), "code '%s' twice", code);
        if (f.names[i])
            WBF_CHECK(wbf_utf8_valid(f.names[i], strlen(f.names[i])), "name of '%s' not UTF-8", code);
        const wb_geom *g = &f.geoms[i];
        wbf_check_geom(g, 1, code);
        if (g->npolys) {
            WBF_CHECK(f.flags[i] == 0, "'%s' has polygons and flags %u", code, f.flags[i]);
            with++;
            unsigned char *wkb = NULL;
            size_t n = 0;
            wb_geom back = WB_GEOM_INIT;
            WBF_CHECK(wb_geom_to_wkb(&wkb, &n, g) == 0 && wb_geom_from_wkb(&back, wkb, n) == 0 &&
                          back.npts == g->npts && g->npts &&
                          !memcmp(back.pts, g->pts, g->npts * sizeof *g->pts),
                      "'%s' does not survive WKB", code);
            wb_free(wkb);
            wb_geom_dispose(&back);
        } else {
            WBF_CHECK(f.flags[i] == WB_GEO_NULL || f.flags[i] == WB_GEO_COLLAPSED,
                      "'%s' has no polygons and flags %u", code, f.flags[i]);
        }
        polys += g->npolys;
        rings += g->nrings;
        pts += g->npts;
    }
    WBF_CHECK(with == s.imported && polys == s.polygons && rings == s.rings && pts == s.points,
              "summary totals differ from the features");
    wb_geo_features_dispose(&f);
    return 0;
}

/* ---------------------------------------------------------------- digest of a store */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

int64_t wbf_count_rows(sqlite3 *db, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* Every row of every table; also checks that every text is UTF-8 when @p check_text. */
uint64_t wbf_store_digest(sqlite3 *db, int check_text)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    sqlite3_stmt *t = NULL;
    WBF_CHECK(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                                 -1, &t, NULL) == SQLITE_OK,
              "listing tables: %s", sqlite3_errmsg(db));
    while (sqlite3_step(t) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(t, 0);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
        h = fnv(h, name, strlen(name) + 1);
        sqlite3_stmt *s = NULL;
        WBF_CHECK(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
        int nc = sqlite3_column_count(s);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int i = 0; i < nc; i++) {
                int type = sqlite3_column_type(s, i);
                h = fnv(h, &type, sizeof type);
                if (type == SQLITE_INTEGER) {
                    sqlite3_int64 v = sqlite3_column_int64(s, i);
                    h = fnv(h, &v, sizeof v);
                } else if (type == SQLITE_FLOAT) {
                    double v = sqlite3_column_double(s, i);
                    h = fnv(h, &v, sizeof v);
                } else if (type != SQLITE_NULL) {
                    const void *b = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(s, i)
                                                        : sqlite3_column_blob(s, i);
                    int n = sqlite3_column_bytes(s, i);
                    h = fnv(h, b, (size_t)n);
                    if (check_text && type == SQLITE_TEXT)
                        WBF_CHECK(wbf_utf8_valid(b, (size_t)n),
                                  "table %s, column %d: text that is not UTF-8: '%.*s'", name, i,
                                  n > 80 ? 80 : n, (const char *)b);
                }
            }
        }
        sqlite3_finalize(s);
    }
    sqlite3_finalize(t);
    return h;
}

