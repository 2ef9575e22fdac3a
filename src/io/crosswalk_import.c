/** @file @brief Import of crosswalk files: the VNG grenswijzigen layout and a plain layout
 *  (wijkbeeld/crosswalkio.h, docs/crosswalk.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "wijkbeeld/crosswalkio.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/io.h"

/* One data row. */
typedef struct {
    char from[WB_CODE_MAX], to[WB_CODE_MAX];
    int from_year, to_year;
    double w;
    size_t line;
    size_t from_col, to_col; /* columns of the codes, for messages */
} xrow;

enum { LAYOUT_VNG, LAYOUT_PLAIN };

typedef struct {
    wb_csv *csv;
    const char *file;
    int layout;
    long c_from, c_fy, c_to, c_ty, c_w; /* column indices */
    wb_xw_weight weight;
    char indicator[64];
    wb_level level;
    size_t level_line;
    xrow *rows;
    size_t nrows, cap;
} ximport;

void wb_crosswalk_import_summary_dispose(wb_crosswalk_import_summary *s)
{
    if (!s)
        return;
    wb_free(s->items);
    s->items = NULL;
    s->n = 0;
}

static void list_header(wb_str *s, const wb_csv *c)
{
    for (size_t i = 0; i < wb_csv_ncols(c); i++)
        wb_str_printf(s, "%s%s", i ? "," : "", wb_csv_header(c, i));
}

/* Which layout, by the header; and what the weight column counts. */
static int read_header(ximport *x, wb_store *st, const wb_crosswalk_import_opts *o)
{
    wb_csv *c = x->csv;
    long vj = wb_csv_find(c, "van_jaar"), nj = wb_csv_find(c, "naar_jaar");
    if (vj >= 0 && nj >= 0) {
        x->layout = LAYOUT_VNG;
        x->c_fy = vj, x->c_ty = nj;
        x->c_from = wb_csv_find(c, "wijk_van"), x->c_to = wb_csv_find(c, "wijk_naar");
        if (x->c_from < 0 && x->c_to < 0)
            x->c_from = wb_csv_find(c, "buurt_van"), x->c_to = wb_csv_find(c, "buurt_naar");
        x->c_w = wb_csv_find(c, "n_adressen");
        x->weight = WB_XW_ADDRESSES;
        if (x->c_from < 0 || x->c_to < 0 || x->c_w < 0)
            goto bad;
    } else {
        x->layout = LAYOUT_PLAIN;
        x->c_from = wb_csv_find(c, "from_code"), x->c_fy = wb_csv_find(c, "from_year");
        x->c_to = wb_csv_find(c, "to_code"), x->c_ty = wb_csv_find(c, "to_year");
        static const struct {
            const char *col;
            wb_xw_weight w;
        } wcols[] = {{"share", WB_XW_SHARE}, {"addresses", WB_XW_ADDRESSES}, {"n_adressen", WB_XW_ADDRESSES},
                     {"area", WB_XW_AREA}, {"area_m2", WB_XW_AREA}, {"inhabitants", WB_XW_INHABITANTS},
                     {"weight", WB_XW_WEIGHT__MAX}};
        x->c_w = -1;
        for (size_t i = 0; i < sizeof wcols / sizeof wcols[0] && x->c_w < 0; i++)
            if ((x->c_w = wb_csv_find(c, wcols[i].col)) >= 0)
                x->weight = wcols[i].w;
        if (x->c_from < 0 || x->c_fy < 0 || x->c_to < 0 || x->c_ty < 0 || x->c_w < 0)
            goto bad;
    }
    if (o->weight && x->layout == LAYOUT_PLAIN && x->weight == WB_XW_WEIGHT__MAX) {
        wb_xw_weight w;
        if (strcmp(o->weight, "indicator") && wb_xw_weight_parse(&w, o->weight) == 0) {
            x->weight = w;
        } else {
            /* not one of the fixed names: an indicator key */
            char key[64];
            wb_error_clear();
            if (wb_store_indicator_resolve(st, NULL, key, o->weight) < 0)
                return WB_ENOTFOUND;
            x->weight = WB_XW_INDICATOR;
            snprintf(x->indicator, sizeof x->indicator, "%s", key);
        }
    } else if (o->weight) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: --weight applies to a column named 'weight'; this file's weight "
                     "column '%s' says what it counts", x->file, wb_csv_header(c, (size_t)x->c_w));
        return WB_EINVALID;
    } else if (x->weight == WB_XW_WEIGHT__MAX) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: the column 'weight' needs --weight addresses|area|inhabitants|"
                     "INDICATOR to say what it counts", x->file);
        return WB_EINVALID;
    }
    return 0;
bad:;
    wb_str s = WB_STR_INIT;
    list_header(&s, c);
    wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected the columns van_jaar,naar_jaar,wijk_van,wijk_naar,n_adressen "
                 "(VNG grenswijzigen) or from_code,from_year,to_code,to_year and weight, share, addresses, "
                 "area or inhabitants; got '%s'", x->file, wb_str_cstr(&s));
    wb_str_dispose(&s);
    return WB_EPARSE;
}

static int field_year(ximport *x, long col, int *out)
{
    size_t len, line, c;
    const char *s = wb_csv_field(x->csv, (size_t)col, &len);
    if (wb_parse_year(out, s, len) < 0) {
        wb_csv_pos(x->csv, (size_t)col, &line, &c);
        wb_error_set(WB_ERRCLASS_CSV, "%s:%zu:%zu: column '%s': expected a year (1800..2200), got '%.*s'", x->file,
                     line, c, wb_csv_header(x->csv, (size_t)col), (int)(len > 40 ? 40 : len), s);
        return WB_EPARSE;
    }
    return 0;
}

static int read_rows(ximport *x)
{
    int rc;
    while ((rc = wb_csv_next(x->csv)) == 1) {
        int error = wb__grow((void **)&x->rows, &x->cap, x->nrows + 1, sizeof *x->rows);
        if (error < 0)
            return error;
        xrow *r = &x->rows[x->nrows];
        memset(r, 0, sizeof *r);
        r->line = wb_csv_line(x->csv);
        size_t col;
        wb_csv_pos(x->csv, (size_t)x->c_from, &r->line, &col);
        r->from_col = col;
        wb_csv_pos(x->csv, (size_t)x->c_to, &r->line, &col);
        r->to_col = col;
        wb_level lf, lt;
        if ((error = wb_csv_code(x->csv, (size_t)x->c_from, r->from, &lf, WB_LEVEL__MAX)) < 0 ||
            (error = wb_csv_code(x->csv, (size_t)x->c_to, r->to, &lt, WB_LEVEL__MAX)) < 0 ||
            (error = field_year(x, x->c_fy, &r->from_year)) < 0 || (error = field_year(x, x->c_ty, &r->to_year)) < 0)
            return error;
        if (lf != lt || (x->nrows && lf != x->level)) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: expected codes of one level (%s, as on line %zu), got %s -> %s",
                         x->file, r->line, wb_level_name(x->nrows ? x->level : lf),
                         x->nrows ? x->level_line : r->line, r->from, r->to);
            return WB_EPARSE;
        }
        if (!x->nrows) {
            x->level = lf;
            x->level_line = r->line;
        }
        if (r->from_year == r->to_year) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: expected two different years, got %d -> %d", x->file, r->line,
                         r->from_year, r->to_year);
            return WB_EPARSE;
        }
        double w;
        int m = wb_csv_number(x->csv, (size_t)x->c_w, &w);
        if (m < 0)
            return m;
        size_t line, c;
        wb_csv_pos(x->csv, (size_t)x->c_w, &line, &c);
        if (m == 1 || !(w >= 0) || (x->weight == WB_XW_SHARE && w > 1 + 1e-9)) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu:%zu: column '%s': expected %s, got '%s'", x->file, line, c,
                         wb_csv_header(x->csv, (size_t)x->c_w),
                         x->weight == WB_XW_SHARE ? "a share from 0 to 1" : "a weight >= 0",
                         wb_csv_field(x->csv, (size_t)x->c_w, NULL));
            return WB_EPARSE;
        }
        r->w = w;
        x->nrows++;
    }
    if (rc < 0)
        return rc;
    if (!x->nrows) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:2: expected rows after the header, got none", x->file);
        return WB_EPARSE;
    }
    return 0;
}

static int cmp_row(const void *pa, const void *pb)
{
    const xrow *a = pa, *b = pb;
    if (a->from_year != b->from_year)
        return a->from_year < b->from_year ? -1 : 1;
    if (a->to_year != b->to_year)
        return a->to_year < b->to_year ? -1 : 1;
    int c = strcmp(a->from, b->from);
    if (c)
        return c;
    if ((c = strcmp(a->to, b->to)))
        return c;
    return (a->line > b->line) - (a->line < b->line);
}

/* ---------------------------------------------------------------- one year pair */

/* The stored areas of a level and year, sorted by code (wb_store_areas orders by year, code). */
typedef struct {
    wb_area *a;
    size_t n;
} division;

static long div_find(const division *d, const char *code)
{
    return d->n ? wb__code_find(d->a[0].code, d->n, sizeof *d->a, code) : -1;
}

/* The areas of one side as they are collected: codes with their row ids. */
typedef struct {
    size_t n, cap;
    char (*code)[WB_CODE_MAX];
    int64_t *id;
} xside;

static long side_add(xside *s, const char *code, int64_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        char(*c)[WB_CODE_MAX] = wb_realloc(s->code, cap * sizeof *c);
        if (!c)
            return WB_ENOMEM;
        s->code = c;
        int64_t *i = wb_realloc(s->id, cap * sizeof *i);
        if (!i)
            return WB_ENOMEM;
        s->id = i;
        s->cap = cap;
    }
    snprintf(s->code[s->n], WB_CODE_MAX, "%s", code);
    s->id[s->n] = id;
    return (long)s->n++;
}

/* The row id of code in year: from the stored division, or created when the year has none
 * and create_areas is set. */
static int resolve(ximport *x, wb_store *st, const division *d, const char *code, int year, int create,
                   size_t line, size_t col, int64_t *id, size_t *created)
{
    long k = div_find(d, code);
    if (k >= 0) {
        *id = d->a[k].id;
        return 0;
    }
    if (d->n) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:%zu:%zu: unknown %s %s in %d: the stored %d division has no such code",
                     x->file, line, col, wb_level_name(x->level), code, year, year);
        return WB_ENOTFOUND;
    }
    if (!create) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:%zu:%zu: %s %s of %d: no %s areas of %d are stored; import that year's "
                     "division first, or pass --create-areas", x->file, line, col, wb_level_name(x->level), code,
                     year, wb_level_name(x->level), year);
        return WB_ENOTFOUND;
    }
    int error = wb_store_area_find(st, id, code, year);
    if (error == WB_ENOTFOUND) {
        wb_error_clear();
        if ((error = wb_store_area_put(st, id, code, year, x->level, NULL, NULL)) == 0)
            (*created)++;
    }
    return error;
}

/* Index of a code on a side, through a sorted index of the side's areas (the sides are
 * thousands of areas: a linear probe per row would be quadratic). */
typedef struct {
    const xside *s;
    size_t *v; /* indices into s, in code order */
    size_t n, cap;
} code_map;

static size_t map_lower(const code_map *m, const char *code)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(m->s->code[m->v[mid]], code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static long map_get(const code_map *m, const char *code)
{
    size_t k = map_lower(m, code);
    return k < m->n && !strcmp(m->s->code[m->v[k]], code) ? (long)m->v[k] : -1;
}

/* Add the area @p i of the side (its code already there). */
static int map_put(code_map *m, size_t i)
{
    if (wb__grow((void **)&m->v, &m->cap, m->n + 1, sizeof *m->v) < 0)
        return WB_ENOMEM;
    size_t lo = map_lower(m, m->s->code[i]);
    memmove(m->v + lo + 1, m->v + lo, (m->n - lo) * sizeof *m->v);
    m->v[lo] = i;
    m->n++;
    return 0;
}

static int import_pair(ximport *x, wb_store *st, const wb_crosswalk_import_opts *o, const xrow *rows, size_t n,
                       const char *name, wb_crosswalk_import_item *item)
{
    int fy = rows[0].from_year, ty = rows[0].to_year, error = 0;
    division dfrom = {NULL, 0}, dto = {NULL, 0};
    xside F = {0, 0, NULL, NULL}, T = {0, 0, NULL, NULL};
    code_map mf = {&F, NULL, 0, 0}, mt = {&T, NULL, 0, 0};
    wb_xw_pair *pairs = NULL;
    size_t np = 0, pcap = 0;
    wb_crosswalk *xw = NULL;
    double *fsum = NULL;
    size_t *first_line = NULL;
    memset(item, 0, sizeof *item);
    snprintf(item->name, sizeof item->name, "%s", name);
    item->level = x->level, item->from_year = fy, item->to_year = ty;
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.level = x->level;
    q.year = fy;
    if ((error = wb_store_areas(st, &dfrom.a, &dfrom.n, &q)) < 0)
        goto done;
    q.year = ty;
    if ((error = wb_store_areas(st, &dto.a, &dto.n, &q)) < 0)
        goto done;
    if (x->layout == LAYOUT_VNG && !dfrom.n) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: the VNG layout links the %s areas of %d that its rows leave out 1:1 "
                     "(they kept their code), so it needs the whole %d %s division stored first (for example "
                     "'import geo' of that year's polygons)", x->file, rows[0].line, wb_level_name(x->level), fy, fy,
                     wb_level_name(x->level));
        error = WB_ENOTFOUND;
        goto done;
    }
    /* listed pairs; rows are sorted by from, then to, then line */
    for (size_t i = 0; i < n; i++) {
        const xrow *r = &rows[i];
        if (i > 0 && !strcmp(r->from, rows[i - 1].from) && !strcmp(r->to, rows[i - 1].to)) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: the pair %s -> %s (%d -> %d) is listed twice (first on line %zu)",
                         x->file, r->line, r->from, r->to, fy, ty, rows[i - 1].line);
            error = WB_EPARSE;
            goto done;
        }
        long f = map_get(&mf, r->from), t = map_get(&mt, r->to);
        int64_t id;
        if (f < 0) {
            if ((error = resolve(x, st, &dfrom, r->from, fy, o->create_areas, r->line, r->from_col, &id,
                                 &item->created)) < 0 ||
                (f = side_add(&F, r->from, id)) < 0 || (error = map_put(&mf, (size_t)f)) < 0) {
                error = error < 0 ? error : WB_ENOMEM;
                goto done;
            }
        }
        if (t < 0) {
            if ((error = resolve(x, st, &dto, r->to, ty, o->create_areas, r->line, r->to_col, &id,
                                 &item->created)) < 0 ||
                (t = side_add(&T, r->to, id)) < 0 || (error = map_put(&mt, (size_t)t)) < 0) {
                error = error < 0 ? error : WB_ENOMEM;
                goto done;
            }
        }
        if ((error = wb__grow((void **)&pairs, &pcap, np + 1, sizeof *pairs)) < 0)
            goto done;
        pairs[np].from = (size_t)f, pairs[np].to = (size_t)t, pairs[np].weight = r->w, pairs[np].implied = 0;
        np++;
    }
    item->listed = np;
    /* the shares of each from-area: amounts must leave something to share, shares add up to 1 */
    fsum = wb_calloc(F.n ? F.n : 1, sizeof *fsum);
    first_line = wb_calloc(F.n ? F.n : 1, sizeof *first_line);
    if (!fsum || !first_line) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < np; i++) {
        fsum[pairs[i].from] += pairs[i].weight;
        if (!first_line[pairs[i].from] || rows[i].line < first_line[pairs[i].from])
            first_line[pairs[i].from] = rows[i].line;
    }
    for (size_t f = 0; f < F.n; f++) {
        if (x->weight == WB_XW_SHARE && fabs(fsum[f] - 1) > 1e-6) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: the shares of %s (%d) add up to %.9g, expected 1 (within 1e-6)",
                         x->file, first_line[f], F.code[f], fy, fsum[f]);
            error = WB_EINVALID;
            goto done;
        }
        if (!(fsum[f] > 0)) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: the weights of %s (%d) add up to 0: its shares are undefined",
                         x->file, first_line[f], F.code[f], fy);
            error = WB_EINVALID;
            goto done;
        }
    }
    if (x->layout == LAYOUT_VNG) {
        /* the publisher's rule: a from-area the year's rows leave out kept its code and its
         * addresses; it cannot share its to-area with listed sources */
        for (size_t k = 0; k < dfrom.n; k++) {
            const char *code = dfrom.a[k].code;
            if (map_get(&mf, code) >= 0)
                continue;
            long t = map_get(&mt, code);
            if (t >= 0) {
                size_t line = 0;
                for (size_t i = 0; i < n && !line; i++)
                    if (!strcmp(rows[i].to, code))
                        line = rows[i].line;
                wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: %s (%d) has no rows for %d, so it kept its code, but %s of %d "
                             "also receives addresses from other areas here: the file breaks the layout's rule",
                             x->file, line, code, fy, ty, code, ty);
                error = WB_EINVALID;
                goto done;
            }
            int64_t id = 0;
            long dk = div_find(&dto, code);
            if (dk >= 0)
                id = dto.a[dk].id;
            else if (dto.n) {
                /* kept in the from-side without a pair: its values have nowhere to go */
                if (!item->implied_missing++)
                    snprintf(item->missing_example, sizeof item->missing_example, "%s", code);
                long f = side_add(&F, code, dfrom.a[k].id);
                if (f < 0 || (error = map_put(&mf, (size_t)f)) < 0) {
                    error = error < 0 ? error : WB_ENOMEM;
                    goto done;
                }
                continue;
            } else if (o->create_areas) {
                if ((error = wb_store_area_put(st, &id, code, ty, x->level, NULL, NULL)) < 0)
                    goto done;
                item->created++;
            } else {
                wb_error_set(WB_ERRCLASS_CSV, "%s: no %s areas of %d are stored, and the unchanged %s areas (%s, ...) "
                             "keep their code in %d; import that year's division first, or pass --create-areas",
                             x->file, wb_level_name(x->level), ty, wb_level_name(x->level), code, ty);
                error = WB_ENOTFOUND;
                goto done;
            }
            long f = side_add(&F, code, dfrom.a[k].id);
            long tt = f < 0 ? f : side_add(&T, code, id);
            if (tt < 0 || (error = map_put(&mf, (size_t)f)) < 0 ||
                (error = map_put(&mt, (size_t)tt)) < 0 ||
                (error = wb__grow((void **)&pairs, &pcap, np + 1, sizeof *pairs)) < 0) {
                error = error < 0 ? error : WB_ENOMEM;
                goto done;
            }
            pairs[np].from = (size_t)f, pairs[np].to = (size_t)tt, pairs[np].weight = 1, pairs[np].implied = 1;
            np++;
            item->implied++;
        }
        /* the rest of the to-year division: areas without a source (new, no addresses) */
        for (size_t k = 0; k < dto.n; k++)
            if (map_get(&mt, dto.a[k].code) < 0) {
                long t = side_add(&T, dto.a[k].code, dto.a[k].id);
                if (t < 0 || (error = map_put(&mt, (size_t)t)) < 0) {
                    error = error < 0 ? error : WB_ENOMEM;
                    goto done;
                }
            }
    }
    wb_crosswalk_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.name, sizeof info.name, "%s", name);
    info.level = x->level;
    info.from_year = fy;
    info.to_year = ty;
    info.weight = x->weight;
    snprintf(info.indicator, sizeof info.indicator, "%s", x->indicator);
    snprintf(info.source, sizeof info.source, "%s (%s layout)", x->file,
             x->layout == LAYOUT_VNG ? "VNG grenswijzigen" : "plain");
    if ((error = wb_crosswalk_new(&xw, &info, F.n, F.id, (const char(*)[WB_CODE_MAX])F.code, NULL, T.n, T.id,
                                  (const char(*)[WB_CODE_MAX])T.code, NULL, pairs, np)) < 0) {
        wb_error_prefix("%s", x->file);
        goto done;
    }
    if ((error = wb_store_crosswalk_put(st, NULL, xw, o->replace ? WB_XW_REPLACE : 0)) < 0) {
        wb_error_prefix("%s", x->file);
        goto done;
    }
    item->from_areas = F.n;
    item->to_areas = T.n;
done:
    wb_crosswalk_free(xw);
    wb_areas_free(dfrom.a, dfrom.n);
    wb_areas_free(dto.a, dto.n);
    wb_free(F.code);
    wb_free(F.id);
    wb_free(T.code);
    wb_free(T.id);
    wb_free(mf.v);
    wb_free(mt.v);
    wb_free(pairs);
    wb_free(fsum);
    wb_free(first_line);
    return error;
}

static void default_name(char *out, size_t n, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    const char *dot = strchr(base, '.');
    if (dot && dot > base)
        len = (size_t)(dot - base);
    if (len >= n)
        len = n - 1;
    memcpy(out, base, len);
    out[len] = 0;
}

int wb_crosswalk_import(wb_store *st, const char *path, const wb_crosswalk_import_opts *opts,
                        wb_crosswalk_import_summary *summary)
{
    wb_crosswalk_import_opts defaults = WB_CROSSWALK_IMPORT_OPTS_INIT;
    const wb_crosswalk_import_opts *o = opts ? opts : &defaults;
    if (summary)
        memset(summary, 0, sizeof *summary);
    ximport x;
    memset(&x, 0, sizeof x);
    x.file = path;
    wb_crosswalk_import_item *items = NULL;
    size_t nitems = 0, icap = 0;
    int error = wb_csv_open(&x.csv, path, NULL), own_tx = 0;
    if (error < 0)
        return error;
    if ((error = read_header(&x, st, o)) < 0 || (error = read_rows(&x)) < 0)
        goto done;
    qsort(x.rows, x.nrows, sizeof *x.rows, cmp_row);
    char base[WB_XW_NAME_MAX - 12];
    if (o->name && *o->name)
        snprintf(base, sizeof base, "%s", o->name);
    else
        default_name(base, sizeof base, path);
    int several = x.rows[0].from_year != x.rows[x.nrows - 1].from_year ||
                  x.rows[0].to_year != x.rows[x.nrows - 1].to_year;
    if ((error = wb_store_begin(st)) < 0)
        goto done;
    own_tx = 1;
    for (size_t i = 0; i < x.nrows;) {
        size_t j = i;
        while (j < x.nrows && x.rows[j].from_year == x.rows[i].from_year && x.rows[j].to_year == x.rows[i].to_year)
            j++;
        char name[WB_XW_NAME_MAX];
        if (several)
            snprintf(name, sizeof name, "%s_%d_%d", base, x.rows[i].from_year, x.rows[i].to_year);
        else
            snprintf(name, sizeof name, "%s", base);
        if ((error = wb__grow((void **)&items, &icap, nitems + 1, sizeof *items)) < 0 ||
            (error = import_pair(&x, st, o, x.rows + i, j - i, name, &items[nitems])) < 0)
            goto done;
        nitems++;
        i = j;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "%zu rows, %zu crosswalks (%s layout)", x.nrows, nitems,
             x.layout == LAYOUT_VNG ? "VNG grenswijzigen" : "plain");
    if ((error = wb_store_log_import(st, "crosswalk", path, msg)) < 0)
        goto done;
    error = wb_store_commit(st);
    own_tx = 0;
done:
    if (own_tx)
        wb_store_rollback(st);
    wb_csv_free(x.csv);
    wb_free(x.rows);
    if (error < 0 || !summary) {
        wb_free(items);
        return error;
    }
    snprintf(summary->layout, sizeof summary->layout, "%s", x.layout == LAYOUT_VNG ? "grenswijzigen" : "plain");
    summary->rows = x.nrows;
    summary->n = nitems;
    summary->items = items;
    return 0;
}
