/** @file @brief Accounts: Argon2id password hashes, login with rate limiting, account admin. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"

/*
 * Verified against when a name is unknown, so that the answer takes as long as for a
 * known name. An Argon2id hash (INTERACTIVE limits) of 32 random bytes nobody kept.
 */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$Oy6Z6hC9nrETn5qUH7FgrQ$TlojAVwQESg5YcoM2VEPwVEctOnxYSyDKEoksaeCELA";

#define FAILURE_MEMORY_S (24 * 3600) /* failed-login counts are forgotten after this */

static const wb_auth_opts default_opts = WB_AUTH_OPTS_INIT;

static int sodium_ready(void)
{
    if (sodium_init() < 0) {
        wb_error_set(WB_ERRCLASS_AUTH, "libsodium could not be initialised");
        return WB_ERROR;
    }
    return 0;
}

static unsigned long long ops_of(const wb_auth_opts *o)
{
    return o->opslimit ? o->opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

static size_t mem_of(const wb_auth_opts *o)
{
    return o->memlimit ? o->memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

static int check_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'name': a user name has 1 to 64 characters");
        return WB_EINVALID;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!isalnum(c) && c != '.' && c != '_' && c != '-' && c != '@') {
            wb_error_set(WB_ERRCLASS_ARG,
                         "field 'name': a user name has only letters, digits and . _ - @ (character %zu is not)",
                         i + 1);
            return WB_EINVALID;
        }
    }
    return 0;
}

/* Never quotes the password in a message. */
static int check_password(const char *name, const char *pw, const wb_auth_opts *o)
{
    if (!pw || !*pw) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'password': required, got an empty password");
        return WB_EINVALID;
    }
    if (strlen(pw) > WB_PASSWORD_MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'password': too long (at most %d bytes)", WB_PASSWORD_MAX);
        return WB_EINVALID;
    }
    size_t n = wbc_utf8_len(pw);
    if (n == (size_t)-1) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'password': not valid UTF-8 text");
        return WB_EINVALID;
    }
    if (n < o->min_password) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'password': too short (%zu characters, at least %zu)", n,
                     o->min_password);
        return WB_EINVALID;
    }
    if (name && !strcasecmp(pw, name)) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'password': must differ from the user name");
        return WB_EINVALID;
    }
    return 0;
}

static int hash_password(char out[crypto_pwhash_STRBYTES], const char *name, const char *pw,
                         const wb_auth_opts *o)
{
    int error;
    if ((error = sodium_ready()) < 0 || (error = check_password(name, pw, o)) < 0)
        return error;
    if (crypto_pwhash_str(out, pw, strlen(pw), ops_of(o), mem_of(o)) != 0) {
        wb_error_set(WB_ERRCLASS_NOMEM, "hashing the password: out of memory (Argon2id needs %zu MiB)",
                     mem_of(o) >> 20);
        return WB_ENOMEM;
    }
    return 0;
}

static const char *const user_json_sql =
    "SELECT id, name, role, partner_id, created, disabled FROM users WHERE id = ?1";

static int insert_user(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                       wb_role role, int64_t partner_id, const char *hash)
{
    int error;
    if ((error = check_name(name)) < 0)
        return error;
    if (role <= WB_ROLE_ANONYMOUS || role >= WB_ROLE__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'role': expected admin, partner, resident or viewer");
        return WB_EINVALID;
    }
    if (role == WB_ROLE_PARTNER) {
        int64_t x;
        if (partner_id <= 0) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'partner': a partner editor needs a partner (--partner ID)");
            return WB_EINVALID;
        }
        if (wbc_query_int(st, &x, "SELECT id FROM partner WHERE id = ?1", partner_id) < 0) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'partner': no partner with id %lld", (long long)partner_id);
            return WB_EINVALID;
        }
    } else if (partner_id != 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'partner': only partner editors belong to a partner");
        return WB_EINVALID;
    }
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s, "INSERT INTO users(name, role, partner_id, hash)"
                                           " VALUES (?1,?2,?3,?4)")) < 0)
        return error;
    wbc_bind_text(s, 1, name);
    wbc_bind_text(s, 2, wb_role_name(role));
    if (partner_id)
        sqlite3_bind_int64(s, 3, partner_id);
    wbc_bind_text(s, 4, hash);
    error = wbc_step_change(st, s, "user");
    sqlite3_finalize(s);
    if (error == WB_ECONFLICT)
        wb_error_set(WB_ERRCLASS_ARG, "field 'name': an account named '%s' exists", name);
    if (error < 0)
        return error;
    int64_t uid = sqlite3_last_insert_rowid(wb_store__db(st));
    json_t *after = NULL;
    if ((error = wbc_row_json(st, &after, user_json_sql, uid)) < 0)
        return error;
    if ((error = wbc_audit(st, actor, "create", "user", uid, NULL, after)) < 0)
        return error;
    if (id)
        *id = uid;
    return 0;
}

int wbc_user_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                 wb_role role, int64_t partner_id, const char *password, const wb_auth_opts *o)
{
    char hash[crypto_pwhash_STRBYTES];
    int error = hash_password(hash, name, password, o ? o : &default_opts);
    if (error == 0)
        error = insert_user(st, id, actor, name, role, partner_id, hash);
    sodium_memzero(hash, sizeof hash);
    return error;
}

int wb_auth_user_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                     wb_role role, int64_t partner_id, const char *password,
                     const wb_auth_opts *opts)
{
    const wb_auth_opts *o = opts ? opts : &default_opts;
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_USER_MANAGE, 0, 0)) < 0 ||
        (error = check_name(name)) < 0)
        return error;
    /* hash before taking the write lock: Argon2id takes ~0.1 s */
    char hash[crypto_pwhash_STRBYTES];
    if ((error = hash_password(hash, name, password, o)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) == 0) {
        error = insert_user(st, id, actor, name, role, partner_id, hash);
        error = wbc_tx_end(st, &tx, error);
    }
    sodium_memzero(hash, sizeof hash);
    return error;
}

/* Look up an account for passwd/disable; unknown names are WB_EDENIED for non-admins. */
static int find_user(wb_store *st, int64_t *id, const wb_actor *actor, const char *name)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT id FROM users WHERE name = ?1");
    if (error < 0)
        return error;
    wbc_bind_text(s, 1, name ? name : "");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
    } else if (rc == SQLITE_DONE) {
        if (actor && actor->role == WB_ROLE_ADMIN) {
            wb_error_set(WB_ERRCLASS_ARG, "no account named '%.64s'", name ? name : "");
            error = WB_ENOTFOUND;
        } else {
            error = wb_authorize(NULL, actor, WB_ACT_USER_MANAGE, NULL);
        }
    } else {
        error = wb_store__error(st, "looking up an account");
    }
    sqlite3_finalize(s);
    return error;
}

int wb_auth_user_passwd(wb_store *st, const wb_actor *actor, const char *name,
                        const char *password, const wb_auth_opts *opts)
{
    const wb_auth_opts *o = opts ? opts : &default_opts;
    int64_t uid = 0;
    int error;
    if ((error = find_user(st, &uid, actor, name)) < 0 ||
        (error = wbc_authorize(st, actor, WB_ACT_OWN_PASSWORD, 0, uid)) < 0)
        return error;
    char hash[crypto_pwhash_STRBYTES];
    if ((error = hash_password(hash, name, password, o)) < 0)
        return error;
    wbc_tx tx;
    json_t *before = NULL, *after = NULL;
    sqlite3_stmt *s = NULL;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        goto out;
    if ((error = wbc_row_json(st, &before, user_json_sql, uid)) < 0 ||
        (error = wb_store__prepare(st, &s, "UPDATE users SET hash = ?2 WHERE id = ?1")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, uid);
    wbc_bind_text(s, 2, hash);
    if ((error = wbc_step_change(st, s, "password")) < 0 ||
        (error = wbc_exec_id(st, "DELETE FROM session WHERE user_id = ?1", uid)) < 0 ||
        (error = wbc_row_json(st, &after, user_json_sql, uid)) < 0)
        goto done;
    json_object_set_new(after, "password", json_string("changed; sessions ended"));
    error = wbc_audit(st, actor, "passwd", "user", uid, before, after);
    before = after = NULL;
done:
    sqlite3_finalize(s);
    json_decref(before);
    json_decref(after);
    error = wbc_tx_end(st, &tx, error);
out:
    sodium_memzero(hash, sizeof hash);
    return error;
}

int wb_auth_user_disable(wb_store *st, const wb_actor *actor, const char *name, int disabled)
{
    int64_t uid = 0;
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_USER_MANAGE, 0, 0)) < 0 ||
        (error = find_user(st, &uid, actor, name)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL, *after = NULL;
    if ((error = wbc_row_json(st, &before, user_json_sql, uid)) < 0 ||
        (error = wbc_exec_id(st, disabled ? "UPDATE users SET disabled = 1 WHERE id = ?1"
                                          : "UPDATE users SET disabled = 0 WHERE id = ?1",
                             uid)) < 0 ||
        (disabled && (error = wbc_exec_id(st, "DELETE FROM session WHERE user_id = ?1", uid)) < 0) ||
        (error = wbc_row_json(st, &after, user_json_sql, uid)) < 0)
        goto done;
    error = wbc_audit(st, actor, disabled ? "disable" : "enable", "user", uid, before, after);
    before = after = NULL;
done:
    json_decref(before);
    json_decref(after);
    return wbc_tx_end(st, &tx, error);
}

int wb_auth_user_list(wb_store *st, const wb_actor *actor, wb_user **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_USER_MANAGE, 0, 0);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s,
                                   "SELECT u.id, u.name, u.role, coalesce(u.partner_id, 0), p.name,"
                                   " u.created, u.disabled FROM users u"
                                   " LEFT JOIN partner p ON p.id = u.partner_id ORDER BY u.name")) < 0)
        return error;
    wb_user *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 16;
            wb_user *nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        wb_user *u = &v[cnt++];
        memset(u, 0, sizeof *u);
        u->id = sqlite3_column_int64(s, 0);
        u->name = wbc_col_dup(s, 1);
        wb_role_parse(&u->role, (const char *)sqlite3_column_text(s, 2));
        u->partner_id = sqlite3_column_int64(s, 3);
        u->partner = wbc_col_dup(s, 4);
        u->created = wbc_col_dup(s, 5);
        u->disabled = sqlite3_column_int(s, 6);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing accounts");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_users_free(v, cnt);
        return error;
    }
    wb_error_clear();
    *out = v;
    *n = cnt;
    return 0;
}

void wb_users_free(wb_user *users, size_t n)
{
    if (!users)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(users[i].name);
        wb_free(users[i].partner);
        wb_free(users[i].created);
    }
    wb_free(users);
}

/* ---------------------------------------------------------------- login and rate limiting */

typedef struct {
    char key[128];
    int active;
    int failures;
    int64_t last_at, locked_until;
} failure_row;

static int load_failures(wb_store *st, failure_row *r)
{
    r->failures = 0;
    r->last_at = r->locked_until = 0;
    if (!r->active)
        return 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT failures, last_at, locked_until FROM login_failure"
                                          " WHERE key = ?1");
    if (error < 0)
        return error;
    wbc_bind_text(s, 1, r->key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        r->failures = sqlite3_column_int(s, 0);
        r->last_at = sqlite3_column_int64(s, 1);
        r->locked_until = sqlite3_column_int64(s, 2);
    } else if (rc != SQLITE_DONE) {
        error = wb_store__error(st, "reading failed logins");
    }
    sqlite3_finalize(s);
    return error;
}

static int record_failure(wb_store *st, failure_row *r, int max, const wb_auth_opts *o,
                          int64_t now)
{
    if (!r->active)
        return 0;
    int error = load_failures(st, r); /* again, inside the write transaction */
    if (error < 0)
        return error;
    if (now - r->last_at > FAILURE_MEMORY_S)
        r->failures = 0;
    r->failures++;
    r->locked_until = 0;
    if (r->failures >= max) {
        int shift = r->failures - max;
        int64_t lock = (int64_t)o->lockout_base_s << (shift > 20 ? 20 : shift);
        if (lock > o->lockout_max_s)
            lock = o->lockout_max_s;
        r->locked_until = now + lock;
    }
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s, "INSERT OR REPLACE INTO login_failure(key, failures,"
                                           " last_at, locked_until) VALUES (?1,?2,?3,?4)")) < 0)
        return error;
    wbc_bind_text(s, 1, r->key);
    sqlite3_bind_int(s, 2, r->failures);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, r->locked_until);
    error = wbc_step_change(st, s, "recording a failed login");
    sqlite3_finalize(s);
    return error;
}

int wb_auth_verify(wb_store *st, wb_actor *out, const char *name, const char *password,
                   const char *client_key, const wb_auth_opts *opts)
{
    const wb_auth_opts *o = opts ? opts : &default_opts;
    int error;
    memset(out, 0, sizeof *out);
    if ((error = sodium_ready()) < 0)
        return error;
    int64_t now = wbc_now(o);
    int valid_name = name && check_name(name) == 0;
    failure_row rows[2] = {{{0}, 0, 0, 0, 0}, {{0}, 0, 0, 0, 0}};
    if (valid_name) {
        int k = snprintf(rows[0].key, sizeof rows[0].key, "user:%s", name);
        for (int i = 5; i < k; i++)
            rows[0].key[i] = (char)tolower((unsigned char)rows[0].key[i]);
        rows[0].active = 1;
    }
    if (client_key && *client_key) {
        snprintf(rows[1].key, sizeof rows[1].key, "client:%.100s", client_key);
        rows[1].active = 1;
    }
    for (int i = 0; i < 2; i++) {
        if ((error = load_failures(st, &rows[i])) < 0)
            return error;
        if (rows[i].active && rows[i].locked_until > now) {
            wb_error_set(WB_ERRCLASS_AUTH, "too many failed login attempts: try again in %lld s",
                         (long long)(rows[i].locked_until - now));
            return WB_EDENIED;
        }
    }

    /* read the account, then verify outside any write lock */
    char hash[crypto_pwhash_STRBYTES] = "";
    int disabled = 1, found = 0;
    wb_actor who;
    memset(&who, 0, sizeof who);
    if (valid_name) {
        sqlite3_stmt *s = NULL;
        if ((error = wb_store__prepare(st, &s, "SELECT id, name, role, coalesce(partner_id, 0),"
                                               " disabled, hash FROM users WHERE name = ?1")) < 0)
            return error;
        wbc_bind_text(s, 1, name);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            found = 1;
            who.user_id = sqlite3_column_int64(s, 0);
            snprintf(who.name, sizeof who.name, "%s", sqlite3_column_text(s, 1));
            wb_role_parse(&who.role, (const char *)sqlite3_column_text(s, 2));
            who.partner_id = sqlite3_column_int64(s, 3);
            disabled = sqlite3_column_int(s, 4);
            snprintf(hash, sizeof hash, "%s", sqlite3_column_text(s, 5));
        } else if (rc != SQLITE_DONE) {
            error = wb_store__error(st, "looking up an account");
        }
        sqlite3_finalize(s);
        if (error < 0)
            return error;
    }
    const char *pw = password ? password : "";
    size_t pwlen = strnlen(pw, WB_PASSWORD_MAX + 1);
    int ok;
    if (found && pwlen <= WB_PASSWORD_MAX) {
        ok = crypto_pwhash_str_verify(hash, pw, pwlen) == 0;
    } else {
        /* same work as for a known name; the result does not matter */
        int ignored = crypto_pwhash_str_verify(dummy_hash, pw,
                                               pwlen > WB_PASSWORD_MAX ? WB_PASSWORD_MAX : pwlen);
        (void)ignored;
        ok = 0;
    }
    ok = ok && !disabled;

    char newhash[crypto_pwhash_STRBYTES] = "";
    if (ok && crypto_pwhash_str_needs_rehash(hash, ops_of(o), mem_of(o)) != 0 &&
        crypto_pwhash_str(newhash, pw, pwlen, ops_of(o), mem_of(o)) != 0)
        newhash[0] = 0; /* out of memory: keep the old hash */
    sodium_memzero(hash, sizeof hash);

    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        goto out;
    if (ok) {
        sqlite3_stmt *s = NULL;
        if ((error = wb_store__prepare(st, &s, "DELETE FROM login_failure WHERE key = ?1")) == 0) {
            wbc_bind_text(s, 1, rows[0].key);
            error = wbc_step_change(st, s, "resetting failed logins");
            sqlite3_finalize(s);
        }
        if (error == 0 && newhash[0] &&
            (error = wb_store__prepare(st, &s, "UPDATE users SET hash = ?2 WHERE id = ?1")) == 0) {
            sqlite3_bind_int64(s, 1, who.user_id);
            wbc_bind_text(s, 2, newhash);
            error = wbc_step_change(st, s, "re-hashing a password");
            sqlite3_finalize(s);
        }
    } else {
        if ((error = record_failure(st, &rows[0], o->max_failures_user, o, now)) == 0)
            error = record_failure(st, &rows[1], o->max_failures_client, o, now);
    }
    error = wbc_tx_end(st, &tx, error);
out:
    sodium_memzero(newhash, sizeof newhash);
    if (error < 0)
        return error;
    if (!ok) {
        wb_error_set(WB_ERRCLASS_AUTH, "wrong user name or password");
        return WB_EDENIED;
    }
    *out = who;
    return 0;
}

int wb_auth_purge(wb_store *st, const wb_auth_opts *opts, size_t *purged)
{
    const wb_auth_opts *o = opts ? opts : &default_opts;
    int64_t now = wbc_now(o);
    sqlite3 *db = wb_store__db(st);
    size_t total = 0;
    wbc_tx tx;
    int error = wbc_tx_begin(st, &tx);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s, "DELETE FROM login_failure WHERE locked_until <= ?1"
                                           " AND last_at < ?1 - ?2")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, FAILURE_MEMORY_S);
    if ((error = wbc_step_change(st, s, "purging failed logins")) < 0)
        goto done;
    total += (size_t)sqlite3_changes(db);
    sqlite3_finalize(s);
    s = NULL;
    if ((error = wb_store__prepare(st, &s, "DELETE FROM session WHERE expires <= ?1"
                                           " OR last_seen <= ?1 - ?2")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, o->session_idle_s);
    if ((error = wbc_step_change(st, s, "purging sessions")) < 0)
        goto done;
    total += (size_t)sqlite3_changes(db);
done:
    sqlite3_finalize(s);
    error = wbc_tx_end(st, &tx, error);
    if (error == 0 && purged)
        *purged = total;
    return error;
}

/* ---------------------------------------------------------------- first start */

int wb_auth_ensure_admin(wb_store *st, int *created, char name[64],
                         char password[WB_GENERATED_PASSWORD_MAX], const wb_actor *actor,
                         const wb_auth_opts *opts)
{
    const wb_auth_opts *o = opts ? opts : &default_opts;
    *created = 0;
    name[0] = 0;
    password[0] = 0;
    int error;
    if ((error = sodium_ready()) < 0 || (error = wbc_authorize(st, actor, WB_ACT_USER_MANAGE, 0, 0)) < 0)
        return error;
    int64_t n = 0;
    if ((error = wbc_query_int(st, &n, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0", 0)) < 0)
        return error;
    if (n > 0)
        return 0;
    /* 15 random bytes = 120 bits = 20 base64url characters; hashed before the write lock */
    unsigned char raw[15];
    char pw[WB_GENERATED_PASSWORD_MAX], hash[crypto_pwhash_STRBYTES], nm[64] = "admin";
    wbc_tx tx;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(pw, sizeof pw, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    if ((error = hash_password(hash, NULL, pw, o)) < 0)
        goto out;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        goto out;
    /* again inside the transaction: another server may have made one meanwhile */
    if ((error = wbc_query_int(st, &n, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0", 0)) < 0 || n > 0)
        goto end;
    for (int k = 2;; k++) {
        sqlite3_stmt *s = NULL;
        if ((error = wb_store__prepare(st, &s, "SELECT 1 FROM users WHERE name = ?1")) < 0)
            goto end;
        wbc_bind_text(s, 1, nm);
        int taken = sqlite3_step(s) == SQLITE_ROW;
        sqlite3_finalize(s);
        if (!taken)
            break;
        snprintf(nm, sizeof nm, "admin%d", k);
    }
    if ((error = insert_user(st, NULL, actor, nm, WB_ROLE_ADMIN, 0, hash)) == 0) {
        *created = 1;
        snprintf(name, 64, "%s", nm);
        snprintf(password, WB_GENERATED_PASSWORD_MAX, "%s", pw);
    }
end:
    error = wbc_tx_end(st, &tx, error);
    if (error < 0) {
        *created = 0;
        name[0] = 0;
        sodium_memzero(password, WB_GENERATED_PASSWORD_MAX);
    }
out:
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(hash, sizeof hash);
    return error;
}
