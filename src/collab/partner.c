/** @file @brief Partner organisations and the theme list. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

static const char *const partner_types[] = {
    "gemeente", "woningcorporatie", "zorg en welzijn", "politie", "onderwijs",
    "bewonersorganisatie", "ondernemers", "overig", NULL};

static const char *const partner_json_sql =
    "SELECT id, name, type, contact, created FROM partner WHERE id = ?1";

static int check_partner(const char *name, const char *type, const char *contact)
{
    int error;
    if ((error = wbc_check_text("name", name, 1, 200, 0)) < 0 ||
        (error = wbc_check_oneof("type", type, partner_types)) < 0 ||
        (error = wbc_check_text("contact", contact, 0, 500, 1)) < 0)
        return error;
    return 0;
}

int wb_partner_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                   const char *type, const char *contact)
{
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_PARTNER_MANAGE, 0, 0)) < 0 ||
        (error = check_partner(name, type, contact)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    json_t *after = NULL;
    if ((error = wb_store__prepare(st, &s, "INSERT INTO partner(name, type, contact) VALUES (?1,?2,?3)")) < 0)
        goto done;
    wbc_bind_text(s, 1, name);
    wbc_bind_text(s, 2, type);
    wbc_bind_opt(s, 3, contact);
    if ((error = wbc_step_change(st, s, "partner")) < 0) {
        if (error == WB_ECONFLICT)
            wb_error_set(WB_ERRCLASS_ARG, "field 'name': a partner named '%s' exists", name);
        goto done;
    }
    int64_t pid = sqlite3_last_insert_rowid(wb_store__db(st));
    if ((error = wbc_row_json(st, &after, partner_json_sql, pid)) < 0)
        goto done;
    error = wbc_audit(st, actor, "create", "partner", pid, NULL, after);
    after = NULL;
    if (error == 0 && id)
        *id = pid;
done:
    json_decref(after);
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

int wb_partner_update(wb_store *st, const wb_actor *actor, const wb_partner *p)
{
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_PARTNER_MANAGE, 0, 0)) < 0 ||
        (error = check_partner(p->name, p->type, p->contact)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    json_t *before = NULL, *after = NULL;
    if ((error = wbc_row_json(st, &before, partner_json_sql, p->id)) < 0)
        goto done;
    if (!before) {
        wb_error_set(WB_ERRCLASS_ARG, "no partner with id %lld", (long long)p->id);
        error = WB_ENOTFOUND;
        goto done;
    }
    if ((error = wb_store__prepare(st, &s, "UPDATE partner SET name = ?2, type = ?3, contact = ?4"
                                           " WHERE id = ?1")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, p->id);
    wbc_bind_text(s, 2, p->name);
    wbc_bind_text(s, 3, p->type);
    wbc_bind_opt(s, 4, p->contact);
    if ((error = wbc_step_change(st, s, "partner")) < 0) {
        if (error == WB_ECONFLICT)
            wb_error_set(WB_ERRCLASS_ARG, "field 'name': a partner named '%s' exists", p->name);
        goto done;
    }
    if ((error = wbc_row_json(st, &after, partner_json_sql, p->id)) < 0)
        goto done;
    error = wbc_audit(st, actor, "update", "partner", p->id, before, after);
    before = after = NULL;
done:
    json_decref(before);
    json_decref(after);
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

int wb_partner_list(wb_store *st, const wb_actor *actor, wb_partner **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s, "SELECT id, name, type, contact FROM partner ORDER BY name")) < 0)
        return error;
    wb_partner *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 16;
            wb_partner *nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        wb_partner *p = &v[cnt++];
        p->id = sqlite3_column_int64(s, 0);
        p->name = wbc_col_dup(s, 1);
        p->type = wbc_col_dup(s, 2);
        p->contact = wbc_col_dup(s, 3);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing partners");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_partners_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

void wb_partners_free(wb_partner *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(p[i].name);
        wb_free(p[i].type);
        wb_free(p[i].contact);
    }
    wb_free(p);
}

int wb_partner_find(wb_store *st, int64_t *id, const char *ref)
{
    const char *r = ref ? ref : "";
    int digits = *r != 0;
    for (const char *p = r; *p; p++)
        digits = digits && isdigit((unsigned char)*p);
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, digits ? "SELECT id FROM partner WHERE id = ?1"
                                                 : "SELECT id FROM partner WHERE name = ?1");
    if (error < 0)
        return error;
    if (digits)
        sqlite3_bind_int64(s, 1, strtoll(r, NULL, 10));
    else
        wbc_bind_text(s, 1, r);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
    } else if (rc == SQLITE_DONE) {
        wb_error_set(WB_ERRCLASS_ARG, "no partner '%.100s' (see 'wijkbeeld partner list')", r);
        error = WB_ENOTFOUND;
    } else {
        error = wb_store__error(st, "looking up a partner");
    }
    sqlite3_finalize(s);
    return error;
}

/* ---------------------------------------------------------------- themes */

int wb_theme_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name)
{
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_THEME_MANAGE, 0, 0)) < 0 ||
        (error = wbc_check_text("name", name, 1, 100, 0)) < 0)
        return error;
    if (strpbrk(name, ",;|")) {
        /* lists of themes are separated by these in the CSV import and the CLI */
        wb_error_set(WB_ERRCLASS_ARG, "field 'name': a theme name may not contain , ; or |");
        return WB_EINVALID;
    }
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    json_t *after = NULL;
    if ((error = wb_store__prepare(st, &s, "INSERT INTO theme(name) VALUES (?1)")) < 0)
        goto done;
    wbc_bind_text(s, 1, name);
    if ((error = wbc_step_change(st, s, "theme")) < 0) {
        if (error == WB_ECONFLICT)
            wb_error_set(WB_ERRCLASS_ARG, "field 'name': theme '%s' exists", name);
        goto done;
    }
    int64_t tid = sqlite3_last_insert_rowid(wb_store__db(st));
    if ((error = wbc_row_json(st, &after, "SELECT id, name, builtin FROM theme WHERE id = ?1", tid)) < 0)
        goto done;
    error = wbc_audit(st, actor, "create", "theme", tid, NULL, after);
    after = NULL;
    if (error == 0 && id)
        *id = tid;
done:
    json_decref(after);
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

int wb_theme_list(wb_store *st, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT name FROM theme ORDER BY id");
    if (error < 0)
        return error;
    char **v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 16;
            char **nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        v[cnt++] = wbc_col_dup(s, 0);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing themes");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_strings_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

void wb_strings_free(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        wb_free(s[i]);
    wb_free(s);
}
