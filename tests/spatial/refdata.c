/** @file @brief Helpers of the spatial tests (see refdata.h). */
#include "spatial/refdata.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "geo/ogr_read.h"
#include "test.h"

/* A whole gzip file in memory, NUL-terminated. */
static char *slurp_gz(const char *path)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    int got;
    while (buf && (got = gzread(g, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    gzclose(g);
    if (buf)
        buf[n] = 0;
    return buf;
}

void ref_csv_read(ref_csv *c, const char *file)
{
    char rel[256];
    snprintf(rel, sizeof rel, "spdep/%s", file);
    size_t len = strlen(rel);
    char *buf;
    if (len > 3 && !strcmp(rel + len - 3, ".gz"))
        buf = slurp_gz(wbt_fixture(rel));
    else
        buf = wbt_slurp(wbt_fixture(rel), &len);
    ASSERT_MSG(buf != NULL, "cannot read fixture %s", rel);
    ref_csv_parse(c, buf, rel);
}

void ref_csv_parse(ref_csv *c, char *text, const char *rel)
{
    memset(c, 0, sizeof *c);
    c->buf = text;
    size_t cap = 0;
    char *save = NULL;
    int first = 1;
    for (char *line = strtok_r(c->buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t nf = 1;
        for (char *p = line; *p; p++)
            nf += *p == ',';
        char **f = calloc(nf, sizeof *f);
        ASSERT(f);
        size_t k = 0;
        f[k++] = line;
        for (char *p = line; *p; p++)
            if (*p == ',') {
                *p = 0;
                f[k++] = p + 1;
            }
        if (first) {
            c->names = f;
            c->ncols = nf;
            first = 0;
            continue;
        }
        ASSERT_MSG(nf == c->ncols, "%s: row %zu has %zu fields, expected %zu", rel, c->nrows + 1, nf,
                   c->ncols);
        if (c->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            c->rows = realloc(c->rows, cap * sizeof *c->rows);
            ASSERT(c->rows);
        }
        c->rows[c->nrows++] = f;
    }
}

void ref_csv_free(ref_csv *c)
{
    for (size_t r = 0; r < c->nrows; r++)
        free(c->rows[r]);
    free(c->rows);
    free(c->names);
    free(c->buf);
    memset(c, 0, sizeof *c);
}

size_t ref_col(const ref_csv *c, const char *name)
{
    for (size_t k = 0; k < c->ncols; k++)
        if (!strcmp(c->names[k], name))
            return k;
    wbt_fail(__FILE__, __LINE__, "fixture has no column '%s'", name);
}

double ref_num(const ref_csv *c, size_t row, size_t col)
{
    const char *s = c->rows[row][col];
    if (!*s || !strcmp(s, "NA") || !strcmp(s, "NaN"))
        return NAN;
    char *end;
    double v = strtod(s, &end);
    ASSERT_MSG(*end == 0, "not a number in fixture: '%s'", s);
    return v;
}

const char *ref_str(const ref_csv *c, size_t row, size_t col)
{
    return c->rows[row][col];
}

void ref_layer(wb_layer *out, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "spdep/%s.gpkg", name);
    WB_PASS(wb_geo__read_ogr(out, wbt_fixture(rel), "code", NULL));
}

wb_point *ref_coords(const char *name, size_t *n)
{
    char f[256];
    snprintf(f, sizeof f, "%s_coords.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t cx = ref_col(&c, "x"), cy = ref_col(&c, "y");
    wb_point *p = malloc(c.nrows * sizeof *p);
    ASSERT(p);
    for (size_t r = 0; r < c.nrows; r++) {
        p[r].x = ref_num(&c, r, cx);
        p[r].y = ref_num(&c, r, cy);
    }
    *n = c.nrows;
    ref_csv_free(&c);
    return p;
}

double ref_param(const char *name, const char *param)
{
    char f[256];
    snprintf(f, sizeof f, "%s_params.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t cn = ref_col(&c, "name"), cv = ref_col(&c, "value");
    double v = NAN;
    for (size_t r = 0; r < c.nrows; r++)
        if (!strcmp(ref_str(&c, r, cn), param))
            v = ref_num(&c, r, cv);
    ref_csv_free(&c);
    ASSERT_MSG(!isnan(v), "no parameter %s in %s", param, f);
    return v;
}

void ref_weights(wb_weights *out, const char *name, const char *nb, wb_weights_style style)
{
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.style = style;
    int contig = !strncmp(nb, "queen", 5) || !strncmp(nb, "rook", 4);
    o.type = !strncmp(nb, "queen", 5) ? WB_WEIGHTS_QUEEN
             : !strncmp(nb, "rook", 4) ? WB_WEIGHTS_ROOK
             : !strcmp(nb, "knn4")     ? WB_WEIGHTS_KNN
                                       : WB_WEIGHTS_DISTANCE;
    if (strstr(nb, "_snap"))
        o.snap = ref_param(name, "snap");
    if (!strcmp(nb, "knn4"))
        o.k = 4;
    if (!strcmp(nb, "dist")) {
        o.lower = 0;
        o.upper = ref_param(name, "band");
    } else if (!strcmp(nb, "dist_gt")) {
        o.lower = ref_param(name, "band_lo");
        o.upper = ref_param(name, "band_hi");
        o.lower_exclusive = 1;
    }
    if (contig) {
        wb_layer l = WB_LAYER_INIT;
        ref_layer(&l, name);
        WB_PASS(wb_weights_from_geoms(out, l.geoms, l.n, &o));
        wb_layer_dispose(&l);
    } else {
        size_t n;
        wb_point *p = ref_coords(name, &n);
        WB_PASS(wb_weights_from_points(out, p, n, &o));
        free(p);
    }
}

double *ref_values(const char *name, const char *var, size_t *n)
{
    char f[256];
    snprintf(f, sizeof f, "%s_values.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t cv = ref_col(&c, var);
    double *x = malloc(c.nrows * sizeof *x);
    ASSERT(x);
    for (size_t r = 0; r < c.nrows; r++)
        x[r] = ref_num(&c, r, cv);
    *n = c.nrows;
    ref_csv_free(&c);
    return x;
}

int ref_close(double a, double b, double tol)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= tol * fabs(b) + 1e-3 * tol;
}

static int in_list(const int *l, size_t i)
{
    for (; l && *l; l++)
        if ((size_t)*l == i)
            return 1;
    return 0;
}

void ref_store(const char *db, const char *name, const int *missing, const int *absent)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, WB_STORE_CREATE));
    wb_layer l = WB_LAYER_INIT;
    ref_layer(&l, name);
    char f[64];
    snprintf(f, sizeof f, "%s_values.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    ASSERT_EQ_I(c.nrows, l.n);
    WB_PASS(wb_store_begin(st));
    int64_t ind[8];
    for (size_t k = 1; k < c.ncols && k < 8; k++) {
        wb_indicator in = {0};
        in.key = c.names[k];
        in.unit = "test";
        WB_PASS(wb_store_indicator_put(st, &ind[k], &in));
    }
    for (size_t i = 0; i < l.n; i++) {
        int64_t id;
        ASSERT_EQ_S(ref_str(&c, i, 0), l.codes[i]);
        WB_PASS(wb_store_area_put(st, &id, l.codes[i], 2000, WB_LEVEL_OTHER, NULL, ""));
        WB_PASS(wb_store_geom_put(st, id, &l.geoms[i]));
        if (in_list(absent, i + 1))
            continue;
        for (size_t k = 1; k < c.ncols && k < 8; k++)
            WB_PASS(wb_store_obs_put(st, ind[k], id, 2000, in_list(missing, i + 1) ? NAN : ref_num(&c, i, k)));
    }
    WB_PASS(wb_store_commit(st));
    ref_csv_free(&c);
    wb_layer_dispose(&l);
    wb_store_free(st);
}
