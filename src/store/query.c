/**
 * @file
 * @brief What the programs and the other modules ask the store beyond single rows: the
 * latest boundary year, deleting areas and values, the indicator catalogue as a catalogue
 * defines it, where an indicator has values and on which boundaries most, single values,
 * label sets. Statements are prepared once per connection (wb_store__stmt): a web server
 * asks the same questions again and again.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

static char *dup_col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? wb_strdup((const char *)t) : NULL;
}

/* The error of a statement that stopped with @p rc (SQLITE_DONE: none); resets it. */
static int done_or_error(wb_store *st, sqlite3_stmt *s, int rc, const char *what)
{
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : wb_store__error(st, what);
}

/* The cached statement @p sql, after the buffered values reached the table (the statement
 * reads or deletes observations). */
static int after_flush(wb_store *st, sqlite3_stmt **s, const char *sql)
{
    int error = wb_store__obs_flush(st);
    return error < 0 ? error : wb_store__stmt(st, s, sql);
}

/* ---------------------------------------------------------------- areas */

int wb_store_area_latest_year(wb_store *st, int *year, wb_level level)
{
    static const char any[] = "SELECT max(year) FROM area";
    static const char one[] = "SELECT max(year) FROM area WHERE level = ?1";
    *year = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, level == WB_LEVEL__MAX ? any : one);
    if (error < 0)
        return error;
    if (level != WB_LEVEL__MAX)
        sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *year = sqlite3_column_int(s, 0); /* NULL (no area) reads as 0 */
        rc = SQLITE_DONE;
    }
    return done_or_error(st, s, rc, "looking for the latest boundary year");
}

int wb_store_area_delete(wb_store *st, int64_t area_id)
{
    static const char sql[] = "DELETE FROM area WHERE id = ?1";
    /* buffered values of the area must reach the table first, so that its trigger deletes
     * them too (a later flush would refuse them: the area is gone) */
    sqlite3_stmt *s = NULL;
    int error = after_flush(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, area_id);
    error = done_or_error(st, s, sqlite3_step(s), "deleting an area");
    /* the (code, year) -> id cache must not answer with the deleted id */
    wb_store__cache_clear(st);
    return error;
}

/* ---------------------------------------------------------------- indicators */

int wb_store_indicator_find(wb_store *st, int64_t *id, const char *key)
{
    static const char sql[] = "SELECT id FROM indicator WHERE key = ?1";
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return 0;
    }
    error = done_or_error(st, s, rc, "looking up an indicator");
    if (error < 0)
        return error;
    wb_error_set(WB_ERRCLASS_STORE, "no indicator with key '%s'", key);
    return WB_ENOTFOUND;
}

int wb_store_indicator_define(wb_store *st, const wb_indicator *ind, const char *aliases)
{
    /* written only where something differs, so that defining again changes no row */
    static const char put[] =
        "INSERT INTO indicator(key, label_nl, label_en, unit, direction, dimension, source) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(key) DO UPDATE SET label_nl = excluded.label_nl, "
        "label_en = excluded.label_en, unit = excluded.unit, direction = excluded.direction, "
        "dimension = excluded.dimension, source = excluded.source WHERE "
        "label_nl IS NOT excluded.label_nl OR label_en IS NOT excluded.label_en OR "
        "unit IS NOT excluded.unit OR direction IS NOT excluded.direction OR "
        "dimension IS NOT excluded.dimension OR source IS NOT excluded.source";
    static const char alias[] =
        "INSERT INTO indicator_alias(alias, indicator_id) SELECT ?1, id FROM indicator "
        "WHERE key = ?2 ON CONFLICT(alias) DO UPDATE SET indicator_id = excluded.indicator_id "
        "WHERE indicator_id IS NOT excluded.indicator_id";
    if (!ind->key || !*ind->key) {
        wb_error_set(WB_ERRCLASS_ARG, "an indicator needs a key");
        return WB_EINVALID;
    }
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, put);
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, ind->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, ind->label_nl, -1, SQLITE_STATIC); /* NULL binds NULL */
    sqlite3_bind_text(s, 3, ind->label_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, ind->unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, ind->direction);
    sqlite3_bind_text(s, 6, ind->dimension, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, ind->source, -1, SQLITE_STATIC);
    error = done_or_error(st, s, sqlite3_step(s), "seeding the indicator catalogue");
    if (error < 0)
        return error;
    for (const char *a = aliases; a && *a;) {
        const char *bar = strchr(a, '|');
        size_t n = bar ? (size_t)(bar - a) : strlen(a);
        if ((error = wb_store__stmt(st, &s, alias)) < 0)
            return error;
        sqlite3_bind_text(s, 1, a, (int)n, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, ind->key, -1, SQLITE_STATIC);
        if ((error = done_or_error(st, s, sqlite3_step(s), "seeding the indicator aliases")) < 0)
            return error;
        a += n + (bar ? 1 : 0);
    }
    return 0;
}

int wb_store_indicator_coverage(wb_store *st, wb_coverage **out, size_t *n, int64_t indicator_id)
{
    static const char sql[] = "SELECT a.level, o.year, a.year, count(o.value) FROM observation o "
                              "JOIN area a ON a.id = o.area_id WHERE o.indicator_id = ?1 "
                              "GROUP BY a.level, o.year, a.year ORDER BY a.level, o.year, a.year";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = after_flush(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, indicator_id);
    wb_coverage *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap && wb__grow((void **)&v, &cap, cnt + 1, sizeof *v) < 0) {
            sqlite3_reset(s);
            wb_free(v);
            wb_error_set(WB_ERRCLASS_NOMEM, "out of memory reading coverage");
            return WB_ENOMEM;
        }
        wb_coverage *c = &v[cnt++];
        c->level = WB_LEVEL_OTHER;
        const unsigned char *lv = sqlite3_column_text(s, 0);
        if (lv)
            wb_level_parse(&c->level, (const char *)lv);
        c->year = sqlite3_column_int(s, 1);
        c->boundary_year = sqlite3_column_int(s, 2);
        c->n = (size_t)sqlite3_column_int64(s, 3);
    }
    if ((error = done_or_error(st, s, rc, "reading coverage")) < 0) {
        wb_free(v);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

/* ---------------------------------------------------------------- values */

int wb_store_value_get(wb_store *st, double *out, int64_t indicator_id, int64_t area_id, int year)
{
    static const char sql[] = "SELECT value FROM observation WHERE indicator_id = ?1 AND area_id = ?2 "
                              "AND year = ?3";
    *out = NAN;
    sqlite3_stmt *s = NULL;
    int error = after_flush(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, indicator_id);
    sqlite3_bind_int64(s, 2, area_id);
    sqlite3_bind_int(s, 3, year);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(s, 0) != SQLITE_NULL)
            *out = sqlite3_column_double(s, 0);
        sqlite3_reset(s);
        return 0;
    }
    error = done_or_error(st, s, rc, "reading a value");
    return error < 0 ? error : WB_ENOTFOUND;
}

int wb_store_obs_delete(wb_store *st, int64_t indicator_id, int64_t area_id)
{
    static const char sql[] = "DELETE FROM observation WHERE area_id = ?1 AND indicator_id = ?2";
    sqlite3_stmt *s = NULL;
    int error = after_flush(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, area_id);
    sqlite3_bind_int64(s, 2, indicator_id);
    return done_or_error(st, s, sqlite3_step(s), "deleting values");
}

int wb_store_values_boundary_year(wb_store *st, int *out, int64_t indicator_id, wb_level level, int year)
{
    static const char in_year[] = "SELECT a.year FROM observation o JOIN area a ON a.id = o.area_id "
                                  "WHERE o.indicator_id = ?1 AND o.year = ?3 AND a.level = ?2 "
                                  "AND o.value IS NOT NULL GROUP BY a.year "
                                  "ORDER BY count(*) DESC, a.year DESC LIMIT 1";
    static const char all_years[] = "SELECT a.year FROM observation o JOIN area a ON a.id = o.area_id "
                                    "WHERE o.indicator_id = ?1 AND a.level = ?2 AND o.value IS NOT NULL "
                                    "GROUP BY a.year ORDER BY count(*) DESC, a.year DESC LIMIT 1";
    *out = 0;
    sqlite3_stmt *s = NULL;
    int error = after_flush(st, &s, year ? in_year : all_years);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, indicator_id);
    sqlite3_bind_text(s, 2, wb_level_name(level), -1, SQLITE_STATIC);
    if (year)
        sqlite3_bind_int(s, 3, year);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0);
        rc = SQLITE_DONE;
    }
    return done_or_error(st, s, rc, "choosing boundaries");
}

/* ---------------------------------------------------------------- label sets */

void wb_label_sets_free(wb_label_set *sets, size_t n)
{
    if (!sets)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(sets[i].name);
        wb_free(sets[i].description);
    }
    wb_free(sets);
}

int wb_store_label_sets(wb_store *st, wb_label_set **out, size_t *n, int64_t area_id)
{
    static const char all[] = "SELECT l.id, l.name, l.description, count(m.area_id) FROM label_set l "
                              "LEFT JOIN label_member m ON m.set_id = l.id GROUP BY l.id ORDER BY l.name";
    static const char of_area[] = "SELECT l.id, l.name, l.description, 0 FROM label_member m JOIN label_set l "
                                  "ON l.id = m.set_id WHERE m.area_id = ?1 ORDER BY l.name";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, area_id ? of_area : all);
    if (error < 0)
        return error;
    if (area_id)
        sqlite3_bind_int64(s, 1, area_id);
    wb_label_set *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap && wb__grow((void **)&v, &cap, cnt + 1, sizeof *v) < 0) {
            error = WB_ENOMEM;
            break;
        }
        wb_label_set *l = &v[cnt++];
        l->id = sqlite3_column_int64(s, 0);
        l->name = dup_col(s, 1);
        l->description = dup_col(s, 2);
        l->members = (size_t)sqlite3_column_int64(s, 3);
        if (!l->name || (sqlite3_column_type(s, 2) != SQLITE_NULL && !l->description))
            error = WB_ENOMEM;
        if (error)
            break;
    }
    if (error == 0)
        error = done_or_error(st, s, rc, "listing label sets");
    else
        sqlite3_reset(s);
    if (error < 0) {
        if (error == WB_ENOMEM)
            wb_error_set(WB_ERRCLASS_NOMEM, "out of memory listing label sets");
        wb_label_sets_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}
