/** @file @brief The register in SQLite: units of work, rows for the audit log, the audit log,
 *  settings, partners and themes. Statements are prepared once per store (wb_store__stmt). */
#include <stdio.h>
#include <string.h>

#include "store/register_internal.h"

/* ---------------------------------------------------------------- units of work */

int wb_reg__begin(wb_store *st, wb_reg_tx *tx)
{
    sqlite3 *db = wb_store__db(st);
    if (sqlite3_get_autocommit(db)) {
        tx->own = 1;
        return wb_store_begin(st);
    }
    tx->own = 0;
    if (sqlite3_exec(db, "SAVEPOINT wb_reg", NULL, NULL, NULL) != SQLITE_OK)
        return wb_store__error(st, "starting a savepoint");
    return 0;
}

int wb_reg__end(wb_store *st, wb_reg_tx *tx, int error)
{
    sqlite3 *db = wb_store__db(st);
    if (error >= 0) {
        if (tx->own)
            return wb_store_commit(st);
        if (sqlite3_exec(db, "RELEASE wb_reg", NULL, NULL, NULL) != SQLITE_OK)
            return wb_store__error(st, "releasing a savepoint");
        return 0;
    }
    if (tx->own)
        wb_store_rollback(st);
    else
        sqlite3_exec(db, "ROLLBACK TO wb_reg; RELEASE wb_reg", NULL, NULL, NULL);
    return error;
}

/* ---------------------------------------------------------------- statement helpers */

void wb_reg__bind_opt(sqlite3_stmt *s, int i, const char *t)
{
    if (t && *t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

void wb_reg__bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

void wb_reg__bind_id(sqlite3_stmt *s, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(s, i, id);
    else
        sqlite3_bind_null(s, i);
}

int wb_reg__change(wb_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s), error = 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        sqlite3 *db = wb_store__db(st);
        int ext = sqlite3_extended_errcode(db);
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
            wb_error_set(WB_ERRCLASS_STORE, "%s: already exists", what);
            error = WB_ECONFLICT;
        } else if ((ext & 0xff) == SQLITE_CONSTRAINT) {
            wb_error_set(WB_ERRCLASS_ARG, "%s: refused by the database (%s)", what, sqlite3_errmsg(db));
            error = WB_EINVALID;
        } else {
            error = wb_store__error(st, what);
        }
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__insert(wb_store *st, sqlite3_stmt *s, const char *what, int64_t *id)
{
    int error = wb_reg__change(st, s, what);
    if (error == 0 && id)
        *id = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
    return error;
}

int wb_reg__exec_id(wb_store *st, const char *sql, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    return wb_reg__change(st, s, "updating the store");
}

int wb_reg__query_int(wb_store *st, int64_t *out, const char *sql, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        error = WB_ENOTFOUND;
    else
        error = wb_store__error(st, "querying");
    sqlite3_reset(s);
    return error;
}

/* ---------------------------------------------------------------- entities */

static const char *const exists_sql[WB_REG__MAX] = {
    [WB_REG_USER] = "SELECT id FROM users WHERE id = ?1",
    [WB_REG_PARTNER] = "SELECT id FROM partner WHERE id = ?1",
    [WB_REG_THEME] = "SELECT id FROM theme WHERE id = ?1",
    [WB_REG_INITIATIVE] = "SELECT id FROM initiative WHERE id = ?1",
    [WB_REG_MILESTONE] = "SELECT id FROM milestone WHERE id = ?1",
    [WB_REG_CONTRIBUTION] = "SELECT id FROM contribution WHERE id = ?1",
    [WB_REG_PROPOSAL] = "SELECT id FROM proposal WHERE id = ?1",
};

/* The columns recorded in the audit log: an account without its password hash. */
static const char *const row_sql[WB_REG__MAX] = {
    [WB_REG_USER] = "SELECT id, name, role, partner_id, created, disabled FROM users WHERE id = ?1",
    [WB_REG_PARTNER] = "SELECT id, name, type, contact, created FROM partner WHERE id = ?1",
    [WB_REG_THEME] = "SELECT id, name, builtin FROM theme WHERE id = ?1",
    [WB_REG_INITIATIVE] = "SELECT id, title, description, status, start_date, end_date,"
                          " lead_partner_id, proposal_id FROM initiative WHERE id = ?1",
    [WB_REG_MILESTONE] = "SELECT id, initiative_id, title, due, progress, note FROM milestone"
                         " WHERE id = ?1",
    [WB_REG_CONTRIBUTION] = "SELECT id, initiative_id, partner_id, kind, amount, start_date,"
                            " end_date, note FROM contribution WHERE id = ?1",
    [WB_REG_PROPOSAL] = "SELECT id, user_id, area_id, title, body, theme_id, est_cost_eur, status,"
                        " decline_reason, initiative_id FROM proposal WHERE id = ?1",
};

static const char *const list_sql[WB_REG_LIST__MAX] = {
    [WB_REG_INITIATIVE_THEMES] = "SELECT t.name FROM initiative_theme it JOIN theme t ON t.id = it.theme_id"
                                 " WHERE it.initiative_id = ?1 ORDER BY t.id",
    [WB_REG_INITIATIVE_AREAS] = "SELECT a.code || '@' || a.year FROM initiative_area ia"
                                " JOIN area a ON a.id = ia.area_id WHERE ia.initiative_id = ?1"
                                " ORDER BY a.code",
    [WB_REG_INITIATIVE_TARGETS] = "SELECT indicator || ':' || CASE direction WHEN 1 THEN 'up' ELSE 'down' END"
                                  " FROM initiative_target WHERE initiative_id = ?1 ORDER BY indicator",
    [WB_REG_INITIATIVE_CONTRIBUTIONS] = "SELECT json_object('id', id, 'partner_id', partner_id, 'kind', kind,"
                                        " 'amount', amount, 'start', start_date, 'end', end_date)"
                                        " FROM contribution WHERE initiative_id = ?1 ORDER BY id",
};

static const char *const entity_names[WB_REG__MAX] = {
    [WB_REG_USER] = "an account",         [WB_REG_PARTNER] = "a partner",
    [WB_REG_THEME] = "a theme",           [WB_REG_INITIATIVE] = "an initiative",
    [WB_REG_MILESTONE] = "a milestone",   [WB_REG_CONTRIBUTION] = "a contribution",
    [WB_REG_PROPOSAL] = "a proposal",
};

int wb_reg__exists(wb_store *st, wb_reg_entity e, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, exists_sql[e]);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        error = WB_ENOTFOUND;
    } else if (rc != SQLITE_ROW) {
        char what[64];
        snprintf(what, sizeof what, "looking up %s", entity_names[e]);
        error = wb_store__error(st, what);
    }
    sqlite3_reset(s);
    return error;
}

static json_t *column_json(sqlite3_stmt *s, int i)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER:
        return json_integer((json_int_t)sqlite3_column_int64(s, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(s, i));
    case SQLITE_TEXT: {
        const char *t = (const char *)sqlite3_column_text(s, i);
        json_t *j = json_stringn(t, (size_t)sqlite3_column_bytes(s, i));
        /* stored text is validated UTF-8; anything else is recorded as a marker */
        return j ? j : json_string("(not UTF-8)");
    }
    case SQLITE_BLOB:
        return json_string("(binary)");
    default:
        return json_null();
    }
}

int wb_reg__row_json(wb_store *st, json_t **out, wb_reg_entity e, int64_t id)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, row_sql[e]);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        json_t *o = json_object();
        if (!o) {
            error = WB_ENOMEM;
        } else {
            for (int i = 0; i < sqlite3_column_count(s); i++)
                json_object_set_new(o, sqlite3_column_name(s, i), column_json(s, i));
            *out = o;
        }
    } else if (rc != SQLITE_DONE) {
        error = wb_store__error(st, "reading a row for the audit log");
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__list_json(wb_store *st, json_t **out, wb_reg_list l, int64_t initiative_id)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, list_sql[l]);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, column_json(s, 0));
    if (rc != SQLITE_DONE)
        error = wb_store__error(st, "reading a list for the audit log");
    sqlite3_reset(s);
    if (error < 0) {
        json_decref(arr);
        return error;
    }
    *out = arr;
    return arr ? 0 : WB_ENOMEM;
}

/* ---------------------------------------------------------------- audit log */

int wb_reg__audit_add(wb_store *st, int64_t user_id, const char *actor, const char *action,
                      const char *entity, int64_t entity_id, const char *before, const char *after)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO audit_log(user_id, actor, action, entity, entity_id,"
                               " before, after) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    if (error < 0)
        return error;
    wb_reg__bind_id(s, 1, user_id);
    wb_reg__bind_text(s, 2, actor);
    wb_reg__bind_text(s, 3, action);
    wb_reg__bind_text(s, 4, entity);
    wb_reg__bind_id(s, 5, entity_id);
    wb_reg__bind_text(s, 6, before);
    wb_reg__bind_text(s, 7, after);
    return wb_reg__change(st, s, "writing the audit log");
}

int wb_reg__audit_list(wb_store *st, const char *entity, int64_t entity_id, size_t limit,
                       wb_reg_audit_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT id, at, coalesce(user_id, 0), actor, action, entity,"
                               " coalesce(entity_id, 0), before, after FROM audit_log"
                               " WHERE (?1 IS NULL OR entity = ?1) AND (?2 = 0 OR entity_id = ?2)"
                               " ORDER BY id DESC LIMIT ?3");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, entity);
    sqlite3_bind_int64(s, 2, entity_id);
    sqlite3_bind_int64(s, 3, limit ? (sqlite3_int64)limit : -1);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_audit e = {
            .id = sqlite3_column_int64(s, 0),
            .at = wb_reg__text(s, 1),
            .user_id = sqlite3_column_int64(s, 2),
            .actor = wb_reg__text(s, 3),
            .action = wb_reg__text(s, 4),
            .entity = wb_reg__text(s, 5),
            .entity_id = sqlite3_column_int64(s, 6),
            .before = wb_reg__text(s, 7),
            .after = wb_reg__text(s, 8),
        };
        if ((error = fn(payload, &e)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading the audit log");
    sqlite3_reset(s);
    return error;
}

/* ---------------------------------------------------------------- settings */

int wb_reg__setting_get(wb_store *st, char **value, const char *key)
{
    *value = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "SELECT value FROM setting WHERE key = ?1");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *v = wb_reg__text(s, 0);
        if (v && !(*value = wb_strdup(v)))
            error = WB_ENOMEM;
    } else if (rc != SQLITE_DONE) {
        error = wb_store__error(st, "reading the settings");
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__setting_put(wb_store *st, const char *key, const char *value)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO setting(key, value) VALUES (?1, ?2)"
                               " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, key);
    wb_reg__bind_text(s, 2, value);
    return wb_reg__change(st, s, "setting");
}

/* ---------------------------------------------------------------- partners */

int wb_reg__partner_insert(wb_store *st, int64_t *id, const char *name, const char *type,
                           const char *contact)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "INSERT INTO partner(name, type, contact) VALUES (?1,?2,?3)");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, name);
    wb_reg__bind_text(s, 2, type);
    wb_reg__bind_opt(s, 3, contact);
    return wb_reg__insert(st, s, "partner", id);
}

int wb_reg__partner_update(wb_store *st, int64_t id, const char *name, const char *type,
                           const char *contact)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "UPDATE partner SET name = ?2, type = ?3, contact = ?4 WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    wb_reg__bind_text(s, 2, name);
    wb_reg__bind_text(s, 3, type);
    wb_reg__bind_opt(s, 4, contact);
    return wb_reg__change(st, s, "partner");
}

int wb_reg__partner_list(wb_store *st, wb_reg_partner_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "SELECT id, name, type, contact FROM partner ORDER BY name");
    if (error < 0)
        return error;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_partner p = {sqlite3_column_int64(s, 0), wb_reg__text(s, 1), wb_reg__text(s, 2),
                            wb_reg__text(s, 3)};
        if ((error = fn(payload, &p)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing partners");
    sqlite3_reset(s);
    return error;
}

/* One id by a text key: 0, WB_ENOTFOUND, or an error described by @p what. */
static int id_by_text(wb_store *st, int64_t *id, const char *sql, const char *key, const char *what)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, key ? key : "");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        error = WB_ENOTFOUND;
    else
        error = wb_store__error(st, what);
    sqlite3_reset(s);
    return error;
}

int wb_reg__partner_by_name(wb_store *st, int64_t *id, const char *name)
{
    return id_by_text(st, id, "SELECT id FROM partner WHERE name = ?1", name, "looking up a partner");
}

int wb_reg__partner_count(wb_store *st, int64_t *n)
{
    return wb_reg__query_int(st, n, "SELECT count(*) FROM partner", 0);
}

/* ---------------------------------------------------------------- themes */

int wb_reg__theme_insert(wb_store *st, int64_t *id, const char *name)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "INSERT INTO theme(name) VALUES (?1)");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, name);
    return wb_reg__insert(st, s, "theme", id);
}

int wb_reg__theme_by_name(wb_store *st, int64_t *id, const char *name)
{
    return id_by_text(st, id, "SELECT id FROM theme WHERE name = ?1", name, "looking up a theme");
}

int wb_reg__theme_list(wb_store *st, wb_reg_text_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "SELECT name FROM theme ORDER BY id");
    if (error < 0)
        return error;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((error = fn(payload, wb_reg__text(s, 0))) != 0)
            break;
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing themes");
    sqlite3_reset(s);
    return error;
}
