/** @file @brief Crosswalks in the SQLite store (tables of migration 4): store, list, load,
 *  find by years, remove. The in-memory side is crosswalk_matrix.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store_internal.h"
#include "wijkbeeld/crosswalk.h"
#include "wijkbeeld/errors.h"

static void copy_text(char *dst, size_t n, const unsigned char *src)
{
    snprintf(dst, n, "%s", src ? (const char *)src : "");
}

/* Crosswalks that a new one named @p name for (level, a, b) would collide with. */
#define CONFLICT_SQL                                                                          \
    "SELECT id, name, source, from_year, to_year FROM crosswalk WHERE name = ?1 OR (level = ?2 " \
    "AND min(from_year, to_year) = min(?3, ?4) AND max(from_year, to_year) = max(?3, ?4)) "   \
    "ORDER BY id"

static int check_conflicts(wb_store *st, const wb_crosswalk_info *in, int replace)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, CONFLICT_SQL);
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, in->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, wb_level_name(in->level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, in->from_year);
    sqlite3_bind_int(s, 4, in->to_year);
    int64_t ids[8];
    size_t nids = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!replace) {
            const char *name = (const char *)sqlite3_column_text(s, 1);
            if (!strcmp(name, in->name))
                wb_error_set(WB_ERRCLASS_STORE, "a crosswalk named '%s' is stored already (source: %s); "
                             "remove it first ('crosswalk remove %s') or replace it", name,
                             (const char *)sqlite3_column_text(s, 2), name);
            else
                wb_error_set(WB_ERRCLASS_STORE, "crosswalk '%s' (source: %s) already links the %s areas of "
                             "%d and %d: one crosswalk per level and pair of years; remove it first "
                             "('crosswalk remove %s') or replace it", name,
                             (const char *)sqlite3_column_text(s, 2), wb_level_name(in->level),
                             sqlite3_column_int(s, 3), sqlite3_column_int(s, 4), name);
            sqlite3_finalize(s);
            return WB_ECONFLICT;
        }
        if (nids < sizeof ids / sizeof ids[0])
            ids[nids++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return wb_store__error(st, "looking for crosswalks");
    /* at most two: the same name, and the same level and years (the unique index) */
    for (size_t i = 0; i < nids; i++) {
        if ((error = wb_store__prepare(st, &s, "DELETE FROM crosswalk WHERE id = ?1")) < 0)
            return error;
        sqlite3_bind_int64(s, 1, ids[i]);
        rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return wb_store__error(st, "replacing a crosswalk");
    }
    return 0;
}

/* After inserting: every area must be of the crosswalk's level, from-areas of the from-year,
 * to-areas of the to-year. One query each instead of a lookup per area. */
static int check_areas(wb_store *st, int64_t id, const wb_crosswalk_info *in)
{
    static const char *const sql =
        "SELECT a.code, a.year, a.level, 'from' FROM crosswalk_pair p JOIN area a ON a.id = p.from_area_id "
        " WHERE p.crosswalk_id = ?1 AND (a.year <> ?3 OR a.level <> ?2) UNION ALL "
        "SELECT a.code, a.year, a.level, 'to' FROM crosswalk_pair p JOIN area a ON a.id = p.to_area_id "
        " WHERE p.crosswalk_id = ?1 AND (a.year <> ?4 OR a.level <> ?2) UNION ALL "
        "SELECT a.code, a.year, a.level, 'listed' FROM crosswalk_area x JOIN area a ON a.id = x.area_id "
        " WHERE x.crosswalk_id = ?1 AND (a.year NOT IN (?3, ?4) OR a.level <> ?2) LIMIT 1";
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, wb_level_name(in->level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, in->from_year);
    sqlite3_bind_int(s, 4, in->to_year);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        wb_error_set(WB_ERRCLASS_STORE, "crosswalk '%s': %s-area %s is a %s of %d, expected a %s of %d", in->name,
                     (const char *)sqlite3_column_text(s, 3), (const char *)sqlite3_column_text(s, 0),
                     (const char *)sqlite3_column_text(s, 2), sqlite3_column_int(s, 1),
                     wb_level_name(in->level),
                     !strcmp((const char *)sqlite3_column_text(s, 3), "to") ? in->to_year : in->from_year);
        error = WB_EINVALID;
    } else if (rc != SQLITE_DONE) {
        error = wb_store__error(st, "checking the areas of a crosswalk");
    }
    sqlite3_finalize(s);
    return error;
}

static int insert_side(wb_store *st, sqlite3_stmt *s, int64_t id, const wb_xw_side *side, const char *which,
                       const char *name)
{
    for (size_t k = 0; k < side->n; k++) {
        if (side->id[k] <= 0) {
            wb_error_set(WB_ERRCLASS_STORE, "crosswalk '%s': %s-area %s is not a stored area", name, which,
                         side->code[k]);
            return WB_EINVALID;
        }
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, side->id[k]);
        sqlite3_bind_double(s, 3, side->total[k]);
        if (sqlite3_step(s) != SQLITE_DONE)
            return wb_store__error(st, "storing the areas of a crosswalk");
    }
    return 0;
}

int wb_store_crosswalk_put(wb_store *st, int64_t *id, const wb_crosswalk *xw, int flags)
{
    const wb_crosswalk_info *in = &xw->info;
    if (!wb_store__in_tx(st)) {
        wb_error_set(WB_ERRCLASS_STORE, "storing a crosswalk needs an open transaction");
        return WB_ESTORE;
    }
    if (!in->name[0] || !wb_level_name(in->level) || in->from_year == in->to_year ||
        !wb_xw_weight_name(in->weight) || (in->weight == WB_XW_INDICATOR) != (in->indicator[0] != 0) ||
        !in->source[0]) {
        wb_error_set(WB_ERRCLASS_ARG, "a crosswalk needs a name, a level, two different years, a weight "
                     "(with its indicator when it is one) and a source");
        return WB_EINVALID;
    }
    if (xw->reversed) {
        wb_error_set(WB_ERRCLASS_ARG, "crosswalk '%s' was turned around: store it as it was loaded", in->name);
        return WB_EINVALID;
    }
    int error = check_conflicts(st, in, flags & WB_XW_REPLACE);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s, "INSERT INTO crosswalk(name, level, from_year, to_year, weight, "
                                           "indicator, source) VALUES (?1,?2,?3,?4,?5,?6,?7)")) < 0)
        return error;
    sqlite3_bind_text(s, 1, in->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, wb_level_name(in->level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, in->from_year);
    sqlite3_bind_int(s, 4, in->to_year);
    sqlite3_bind_text(s, 5, wb_xw_weight_name(in->weight), -1, SQLITE_STATIC);
    if (in->indicator[0])
        sqlite3_bind_text(s, 6, in->indicator, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, in->source, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return wb_store__error(st, "storing a crosswalk");
    int64_t cid = sqlite3_last_insert_rowid(wb_store__db(st));
    if ((error = wb_store__prepare(st, &s, "INSERT INTO crosswalk_area(crosswalk_id, area_id, total) "
                                           "VALUES (?1,?2,?3)")) < 0)
        return error;
    error = insert_side(st, s, cid, &xw->from, "from", in->name);
    if (error == 0)
        error = insert_side(st, s, cid, &xw->to, "to", in->name);
    sqlite3_finalize(s);
    if (error < 0)
        return error;
    if ((error = wb_store__prepare(st, &s, "INSERT INTO crosswalk_pair(crosswalk_id, from_area_id, to_area_id, "
                                           "weight, implied) VALUES (?1,?2,?3,?4,?5)")) < 0)
        return error;
    const wb_xw_side *F = &xw->from, *T = &xw->to;
    for (size_t f = 0; f < F->n && error == 0; f++)
        for (size_t p = F->off[f]; p < F->off[f + 1]; p++) {
            sqlite3_reset(s);
            sqlite3_bind_int64(s, 1, cid);
            sqlite3_bind_int64(s, 2, F->id[f]);
            sqlite3_bind_int64(s, 3, T->id[F->other[p]]);
            sqlite3_bind_double(s, 4, F->w[p]);
            sqlite3_bind_int(s, 5, F->implied[p]);
            if (sqlite3_step(s) != SQLITE_DONE) {
                error = wb_store__error(st, "storing the pairs of a crosswalk");
                break;
            }
        }
    sqlite3_finalize(s);
    if (error == 0)
        error = check_areas(st, cid, in);
    if (error == 0 && id)
        *id = cid;
    return error;
}

#define INFO_COLS                                                                             \
    "c.id, c.name, c.level, c.from_year, c.to_year, c.weight, c.indicator, c.source, c.created, " \
    "(SELECT count(*) FROM crosswalk_area x JOIN area a ON a.id = x.area_id "                  \
    "  WHERE x.crosswalk_id = c.id AND a.year = c.from_year), "                              \
    "(SELECT count(*) FROM crosswalk_area x JOIN area a ON a.id = x.area_id "                  \
    "  WHERE x.crosswalk_id = c.id AND a.year = c.to_year), "                                \
    "(SELECT count(*) FROM crosswalk_pair p WHERE p.crosswalk_id = c.id)"

static void read_info(sqlite3_stmt *s, wb_crosswalk_info *o)
{
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(s, 0);
    copy_text(o->name, sizeof o->name, sqlite3_column_text(s, 1));
    wb_level l = WB_LEVEL_OTHER;
    wb_level_parse(&l, (const char *)sqlite3_column_text(s, 2));
    o->level = l;
    o->from_year = sqlite3_column_int(s, 3);
    o->to_year = sqlite3_column_int(s, 4);
    wb_xw_weight w = WB_XW_AREA;
    wb_xw_weight_parse(&w, (const char *)sqlite3_column_text(s, 5));
    o->weight = w;
    copy_text(o->indicator, sizeof o->indicator, sqlite3_column_text(s, 6));
    copy_text(o->source, sizeof o->source, sqlite3_column_text(s, 7));
    copy_text(o->created, sizeof o->created, sqlite3_column_text(s, 8));
    o->nfrom = (size_t)sqlite3_column_int64(s, 9);
    o->nto = (size_t)sqlite3_column_int64(s, 10);
    o->npairs = (size_t)sqlite3_column_int64(s, 11);
}

int wb_store_crosswalks(wb_store *st, wb_crosswalk_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT " INFO_COLS " FROM crosswalk c "
                                          "ORDER BY c.level, c.from_year, c.to_year, c.name");
    if (error < 0)
        return error;
    wb_crosswalk_info *arr = NULL;
    size_t cap = 0, cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((error = wb__grow((void **)&arr, &cap, cnt + 1, sizeof *arr)) < 0)
            break;
        read_info(s, &arr[cnt++]);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing crosswalks");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_free(arr);
        return error;
    }
    *out = arr;
    *n = cnt;
    return 0;
}

/* Map an area row id to its index on a side: ids sorted with their index, binary search. */
typedef struct {
    int64_t id;
    size_t i;
} id_ref;

static int cmp_id_ref(const void *pa, const void *pb)
{
    const id_ref *a = pa, *b = pb;
    return (a->id > b->id) - (a->id < b->id);
}

static long find_ref(const id_ref *r, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].id == id)
            return (long)r[mid].i;
        if (r[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* What a crosswalk is loaded into before wb_crosswalk_new. */
typedef struct {
    size_t n, cap;
    int64_t *id;
    char (*code)[WB_CODE_MAX];
    double *total;
    id_ref *refs;
} load_side;

static void load_side_free(load_side *s)
{
    wb_free(s->id);
    wb_free(s->code);
    wb_free(s->total);
    wb_free(s->refs);
}

static int load_side_add(load_side *s, int64_t id, const unsigned char *code, double total)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        int64_t *a = wb_realloc(s->id, cap * sizeof *a);
        if (a)
            s->id = a;
        char(*c)[WB_CODE_MAX] = a ? wb_realloc(s->code, cap * sizeof *c) : NULL;
        if (c)
            s->code = c;
        double *t = c ? wb_realloc(s->total, cap * sizeof *t) : NULL;
        if (!t)
            return WB_ENOMEM;
        s->total = t;
        s->cap = cap;
    }
    s->id[s->n] = id;
    copy_text(s->code[s->n], WB_CODE_MAX, code);
    s->total[s->n] = total;
    s->n++;
    return 0;
}

static int load_side_index(load_side *s)
{
    if (!(s->refs = wb_malloc((s->n ? s->n : 1) * sizeof *s->refs)))
        return WB_ENOMEM;
    for (size_t i = 0; i < s->n; i++) {
        s->refs[i].id = s->id[i];
        s->refs[i].i = i;
    }
    qsort(s->refs, s->n, sizeof *s->refs, cmp_id_ref);
    return 0;
}

static int load_by_id(wb_store *st, wb_crosswalk **out, const wb_crosswalk_info *info)
{
    load_side F = {0, 0, NULL, NULL, NULL, NULL}, T = {0, 0, NULL, NULL, NULL, NULL};
    wb_xw_pair *pairs = NULL;
    size_t np = 0, pcap = 0;
    sqlite3_stmt *s = NULL;
    int rc, error = wb_store__prepare(st, &s, "SELECT x.area_id, a.code, a.year, x.total FROM crosswalk_area x "
                                              "JOIN area a ON a.id = x.area_id WHERE x.crosswalk_id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, info->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        load_side *side = sqlite3_column_int(s, 2) == info->from_year ? &F : &T;
        if ((error = load_side_add(side, sqlite3_column_int64(s, 0), sqlite3_column_text(s, 1),
                                   sqlite3_column_double(s, 3))) < 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "loading the areas of a crosswalk");
    sqlite3_finalize(s);
    s = NULL;
    if (error == 0 && ((error = load_side_index(&F)) < 0 || (error = load_side_index(&T)) < 0))
        goto done;
    if (error < 0 || (error = wb_store__prepare(st, &s, "SELECT from_area_id, to_area_id, weight, implied FROM "
                                                        "crosswalk_pair WHERE crosswalk_id = ?1")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, info->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long f = find_ref(F.refs, F.n, sqlite3_column_int64(s, 0));
        long t = find_ref(T.refs, T.n, sqlite3_column_int64(s, 1));
        if (f < 0 || t < 0) {
            wb_error_set(WB_ERRCLASS_STORE, "crosswalk '%s': a pair refers to an area it does not list", info->name);
            error = WB_ESTORE;
            break;
        }
        if ((error = wb__grow((void **)&pairs, &pcap, np + 1, sizeof *pairs)) < 0)
            break;
        pairs[np].from = (size_t)f;
        pairs[np].to = (size_t)t;
        pairs[np].weight = sqlite3_column_double(s, 2);
        pairs[np].implied = sqlite3_column_int(s, 3);
        np++;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "loading the pairs of a crosswalk");
    if (error == 0)
        error = wb_crosswalk_new(out, info, F.n, F.id, (const char(*)[WB_CODE_MAX])F.code, F.total, T.n, T.id,
                                 (const char(*)[WB_CODE_MAX])T.code, T.total, pairs, np);
done:
    sqlite3_finalize(s);
    load_side_free(&F);
    load_side_free(&T);
    wb_free(pairs);
    return error;
}

int wb_store_crosswalk_load(wb_store *st, wb_crosswalk **out, const char *name)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT " INFO_COLS " FROM crosswalk c WHERE c.name = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    wb_crosswalk_info info;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        read_info(s, &info);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE) {
        wb_error_set(WB_ERRCLASS_STORE, "no crosswalk named '%s' (see 'wijkbeeld crosswalk list')", name);
        return WB_ENOTFOUND;
    }
    if (rc != SQLITE_ROW)
        return wb_store__error(st, "loading a crosswalk");
    return load_by_id(st, out, &info);
}

int wb_store_crosswalk_find(wb_store *st, wb_crosswalk **out, wb_level level, int from_year, int to_year)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT " INFO_COLS " FROM crosswalk c WHERE c.level = ?1 AND "
                                          "((c.from_year = ?2 AND c.to_year = ?3) OR "
                                          " (c.from_year = ?3 AND c.to_year = ?2))");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, from_year);
    sqlite3_bind_int(s, 3, to_year);
    wb_crosswalk_info info;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        read_info(s, &info);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE) {
        wb_error_set(WB_ERRCLASS_STORE, "no crosswalk links the %s areas of %d and %d (import one with 'import "
                     "crosswalk' or derive one with 'crosswalk derive --store')", wb_level_name(level), from_year,
                     to_year);
        return WB_ENOTFOUND;
    }
    if (rc != SQLITE_ROW)
        return wb_store__error(st, "looking for a crosswalk");
    if (info.from_year != from_year && info.weight == WB_XW_SHARE) {
        wb_error_set(WB_ERRCLASS_ARG, "crosswalk '%s' holds shares of its %d areas: it cannot be used from %d to %d",
                     info.name, info.from_year, from_year, to_year);
        return WB_EINVALID;
    }
    if ((error = load_by_id(st, out, &info)) < 0)
        return error;
    if (info.from_year != from_year && (error = wb_crosswalk_reverse(*out)) < 0) {
        wb_crosswalk_free(*out);
        *out = NULL;
    }
    return error;
}

int wb_store_crosswalk_remove(wb_store *st, const char *name)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "DELETE FROM crosswalk WHERE name = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        error = wb_store__error(st, "removing a crosswalk");
    else if (sqlite3_changes(wb_store__db(st)) == 0) {
        wb_error_set(WB_ERRCLASS_STORE, "no crosswalk named '%s' (see 'wijkbeeld crosswalk list')", name);
        error = WB_ENOTFOUND;
    }
    sqlite3_finalize(s);
    return error;
}

int wb_store_area_ids(wb_store *st, int64_t *ids, wb_level level, int year, const char (*codes)[WB_CODE_MAX],
                      size_t n)
{
    for (size_t i = 0; i < n; i++)
        ids[i] = 0;
    sqlite3_stmt *s = NULL;
    /* one pass in code order, merged with the (sorted) codes asked for */
    int error = wb_store__prepare(st, &s, "SELECT id, code FROM area WHERE level = ?1 AND year = ?2 ORDER BY code");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    size_t i = 0;
    int rc;
    while (i < n && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(s, 1);
        while (i < n && strcmp(codes[i], code) < 0)
            i++;
        if (i < n && !strcmp(codes[i], code))
            ids[i++] = sqlite3_column_int64(s, 0);
    }
    if (i < n && rc != SQLITE_DONE)
        error = wb_store__error(st, "looking up areas");
    sqlite3_finalize(s);
    return error;
}

int wb_store_area_count(wb_store *st, size_t *n, wb_level level, int year)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT count(*) FROM area WHERE level = ?1 AND year = ?2");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(s, 0);
    else
        error = wb_store__error(st, "counting areas");
    sqlite3_finalize(s);
    return error;
}
