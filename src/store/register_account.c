/** @file @brief The register in SQLite: accounts, failed logins and sessions. */
#include "store/register_internal.h"

/* ---------------------------------------------------------------- accounts */

int wb_reg__user_insert(wb_store *st, int64_t *id, const char *name, const char *role,
                        int64_t partner_id, const char *hash)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "INSERT INTO users(name, role, partner_id, hash) VALUES (?1,?2,?3,?4)");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, name);
    wb_reg__bind_text(s, 2, role);
    wb_reg__bind_id(s, 3, partner_id);
    wb_reg__bind_text(s, 4, hash);
    return wb_reg__insert(st, s, "user", id);
}

int wb_reg__user_by_name(wb_store *st, const char *name, wb_reg_user_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT id, name, role, coalesce(partner_id, 0), disabled, hash"
                               " FROM users WHERE name = ?1");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, name ? name : "");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        wb_reg_user u = {
            .id = sqlite3_column_int64(s, 0),
            .name = wb_reg__text(s, 1),
            .role = wb_reg__text(s, 2),
            .partner_id = sqlite3_column_int64(s, 3),
            .disabled = sqlite3_column_int(s, 4),
            .hash = wb_reg__text(s, 5),
        };
        error = fn(payload, &u);
    } else if (rc == SQLITE_DONE) {
        error = WB_ENOTFOUND;
    } else {
        error = wb_store__error(st, "looking up an account");
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__user_list(wb_store *st, wb_reg_user_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT u.id, u.name, u.role, coalesce(u.partner_id, 0), p.name,"
                               " u.created, u.disabled FROM users u"
                               " LEFT JOIN partner p ON p.id = u.partner_id ORDER BY u.name");
    if (error < 0)
        return error;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_user u = {
            .id = sqlite3_column_int64(s, 0),
            .name = wb_reg__text(s, 1),
            .role = wb_reg__text(s, 2),
            .partner_id = sqlite3_column_int64(s, 3),
            .partner = wb_reg__text(s, 4),
            .created = wb_reg__text(s, 5),
            .disabled = sqlite3_column_int(s, 6),
        };
        if ((error = fn(payload, &u)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing accounts");
    sqlite3_reset(s);
    return error;
}

static int set_hash(wb_store *st, int64_t id, const char *hash, const char *what)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "UPDATE users SET hash = ?2 WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    wb_reg__bind_text(s, 2, hash);
    return wb_reg__change(st, s, what);
}

int wb_reg__user_set_hash(wb_store *st, int64_t id, const char *hash)
{
    return set_hash(st, id, hash, "password");
}

int wb_reg__user_set_disabled(wb_store *st, int64_t id, int disabled)
{
    return wb_reg__exec_id(st, disabled ? "UPDATE users SET disabled = 1 WHERE id = ?1"
                                        : "UPDATE users SET disabled = 0 WHERE id = ?1",
                           id);
}

int wb_reg__admin_count(wb_store *st, int64_t *n)
{
    return wb_reg__query_int(st, n, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0", 0);
}

/* ---------------------------------------------------------------- failed logins */

int wb_reg__failure_get(wb_store *st, const char *key, int *failures, int64_t *last_at,
                        int64_t *locked_until)
{
    *failures = 0;
    *last_at = *locked_until = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT failures, last_at, locked_until FROM login_failure WHERE key = ?1");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *failures = sqlite3_column_int(s, 0);
        *last_at = sqlite3_column_int64(s, 1);
        *locked_until = sqlite3_column_int64(s, 2);
    } else if (rc != SQLITE_DONE) {
        error = wb_store__error(st, "reading failed logins");
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__failure_put(wb_store *st, const char *key, int failures, int64_t last_at,
                        int64_t locked_until)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT OR REPLACE INTO login_failure(key, failures, last_at,"
                               " locked_until) VALUES (?1,?2,?3,?4)");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, key);
    sqlite3_bind_int(s, 2, failures);
    sqlite3_bind_int64(s, 3, last_at);
    sqlite3_bind_int64(s, 4, locked_until);
    return wb_reg__change(st, s, "recording a failed login");
}

int wb_reg__login_ok(wb_store *st, const char *key, int64_t user_id, const char *new_hash)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "DELETE FROM login_failure WHERE key = ?1");
    if (error < 0)
        return error;
    wb_reg__bind_text(s, 1, key);
    if ((error = wb_reg__change(st, s, "resetting failed logins")) < 0)
        return error;
    if (new_hash && *new_hash)
        error = set_hash(st, user_id, new_hash, "re-hashing a password");
    return error;
}

int wb_reg__purge(wb_store *st, int64_t now, int64_t failure_memory_s, int64_t session_idle_s,
                  size_t *removed)
{
    *removed = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "DELETE FROM login_failure WHERE locked_until <= ?1 AND last_at < ?1 - ?2");
    if (error < 0)
        return error;
    sqlite3 *db = sqlite3_db_handle(s);
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, failure_memory_s);
    if ((error = wb_reg__change(st, s, "purging failed logins")) < 0)
        return error;
    *removed += (size_t)sqlite3_changes(db);
    if ((error = wb_store__stmt(st, &s, "DELETE FROM session WHERE expires <= ?1 OR last_seen <= ?1 - ?2")) < 0)
        return error;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, session_idle_s);
    if ((error = wb_reg__change(st, s, "purging sessions")) < 0)
        return error;
    *removed += (size_t)sqlite3_changes(db);
    return 0;
}

/* ---------------------------------------------------------------- sessions */

int wb_reg__session_insert(wb_store *st, const unsigned char hash[WB_REG_TOKEN_HASH],
                           int64_t user_id, int64_t created, int64_t expires)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO session(token_hash, user_id, created, expires, last_seen)"
                               " VALUES (?1,?2,?3,?4,?3)");
    if (error < 0)
        return error;
    sqlite3_bind_blob(s, 1, hash, WB_REG_TOKEN_HASH, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, created);
    sqlite3_bind_int64(s, 4, expires);
    return wb_reg__change(st, s, "starting a session");
}

int wb_reg__session_get(wb_store *st, const unsigned char hash[WB_REG_TOKEN_HASH],
                        wb_reg_session_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT s.id, s.created, s.expires, s.last_seen, u.id, u.name, u.role,"
                               " coalesce(u.partner_id, 0), u.disabled FROM session s"
                               " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_blob(s, 1, hash, WB_REG_TOKEN_HASH, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        wb_reg_session r = {
            .id = sqlite3_column_int64(s, 0),
            .created = sqlite3_column_int64(s, 1),
            .expires = sqlite3_column_int64(s, 2),
            .last_seen = sqlite3_column_int64(s, 3),
            .user_id = sqlite3_column_int64(s, 4),
            .name = wb_reg__text(s, 5),
            .role = wb_reg__text(s, 6),
            .partner_id = sqlite3_column_int64(s, 7),
            .disabled = sqlite3_column_int(s, 8),
        };
        error = fn(payload, &r);
    } else if (rc == SQLITE_DONE) {
        error = WB_ENOTFOUND;
    } else {
        error = wb_store__error(st, "reading a session");
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__session_touch(wb_store *st, int64_t id, int64_t now)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "UPDATE session SET last_seen = ?2 WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return wb_reg__change(st, s, "recording the use of a session");
}

int wb_reg__session_end(wb_store *st, const unsigned char hash[WB_REG_TOKEN_HASH])
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "DELETE FROM session WHERE token_hash = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_blob(s, 1, hash, WB_REG_TOKEN_HASH, SQLITE_TRANSIENT);
    return wb_reg__change(st, s, "ending a session");
}

int wb_reg__user_sessions_end(wb_store *st, int64_t user_id)
{
    return wb_reg__exec_id(st, "DELETE FROM session WHERE user_id = ?1", user_id);
}
