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
        if (partner_id <= 0) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'partner': a partner editor needs a partner (--partner ID)");
            return WB_EINVALID;
        }
        if (wb_reg__exists(st, WB_REG_PARTNER, partner_id) < 0) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'partner': no partner with id %lld", (long long)partner_id);
            return WB_EINVALID;
        }
    } else if (partner_id != 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'partner': only partner editors belong to a partner");
        return WB_EINVALID;
    }
    int64_t uid = 0;
    error = wb_reg__user_insert(st, &uid, name, wb_role_name(role), partner_id, hash);
    if (error == WB_ECONFLICT)
        wb_error_set(WB_ERRCLASS_ARG, "field 'name': an account named '%s' exists", name);
    if (error < 0)
        return error;
    json_t *after = NULL;
    if ((error = wb_reg__row_json(st, &after, WB_REG_USER, uid)) < 0)
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
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) == 0) {
        error = insert_user(st, id, actor, name, role, partner_id, hash);
        error = wb_reg__end(st, &tx, error);
    }
    sodium_memzero(hash, sizeof hash);
    return error;
}

static int user_id_of(void *payload, const wb_reg_user *u)
{
    *(int64_t *)payload = u->id;
    return 0;
}

/* Look up an account for passwd/disable; unknown names are WB_EDENIED for non-admins. */
static int find_user(wb_store *st, int64_t *id, const wb_actor *actor, const char *name)
{
    int error = wb_reg__user_by_name(st, name, user_id_of, id);
    if (error == WB_ENOTFOUND) {
        if (actor && actor->role == WB_ROLE_ADMIN) {
            wb_error_set(WB_ERRCLASS_ARG, "no account named '%.64s'", name ? name : "");
            error = WB_ENOTFOUND;
        } else {
            error = wb_authorize(NULL, actor, WB_ACT_USER_MANAGE, NULL);
        }
    }
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
    wb_reg_tx tx;
    json_t *before = NULL, *after = NULL;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        goto out;
    if ((error = wb_reg__row_json(st, &before, WB_REG_USER, uid)) < 0 ||
        (error = wb_reg__user_set_hash(st, uid, hash)) < 0 ||
        (error = wb_reg__user_sessions_end(st, uid)) < 0 ||
        (error = wb_reg__row_json(st, &after, WB_REG_USER, uid)) < 0)
        goto done;
    json_object_set_new(after, "password", json_string("changed; sessions ended"));
    error = wbc_audit(st, actor, "passwd", "user", uid, before, after);
    before = after = NULL;
done:
    json_decref(before);
    json_decref(after);
    error = wb_reg__end(st, &tx, error);
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
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL, *after = NULL;
    if ((error = wb_reg__row_json(st, &before, WB_REG_USER, uid)) < 0 ||
        (error = wb_reg__user_set_disabled(st, uid, disabled)) < 0 ||
        (disabled && (error = wb_reg__user_sessions_end(st, uid)) < 0) ||
        (error = wb_reg__row_json(st, &after, WB_REG_USER, uid)) < 0)
        goto done;
    error = wbc_audit(st, actor, disabled ? "disable" : "enable", "user", uid, before, after);
    before = after = NULL;
done:
    json_decref(before);
    json_decref(after);
    return wb_reg__end(st, &tx, error);
}

static int collect_user(void *payload, const wb_reg_user *r)
{
    wb_user *u = wbc_vec_push(payload);
    if (!u)
        return WB_ENOMEM;
    u->id = r->id;
    u->name = wbc_strdup(r->name);
    wb_role_parse(&u->role, r->role);
    u->partner_id = r->partner_id;
    u->partner = wbc_strdup(r->partner);
    u->created = wbc_strdup(r->created);
    u->disabled = r->disabled;
    return 0;
}

int wb_auth_user_list(wb_store *st, const wb_actor *actor, wb_user **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_USER_MANAGE, 0, 0);
    if (error < 0)
        return error;
    wbc_vec uv = WBC_VEC_INIT(wb_user);
    if ((error = wb_reg__user_list(st, collect_user, &uv)) < 0) {
        wb_users_free(uv.v, uv.n);
        return error;
    }
    wb_error_clear();
    *out = uv.v;
    *n = uv.n;
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
    return wb_reg__failure_get(st, r->key, &r->failures, &r->last_at, &r->locked_until);
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
    return wb_reg__failure_put(st, r->key, r->failures, now, r->locked_until);
}

/* What wb_auth_verify reads of an account: actor, hash and whether it is disabled. */
typedef struct {
    wb_actor *who;
    char *hash; /* crypto_pwhash_STRBYTES */
    int *disabled;
} account;

static int account_of(void *payload, const wb_reg_user *u)
{
    account *acc = payload;
    acc->who->user_id = u->id;
    snprintf(acc->who->name, sizeof acc->who->name, "%s", u->name);
    wb_role_parse(&acc->who->role, u->role);
    acc->who->partner_id = u->partner_id;
    *acc->disabled = u->disabled;
    snprintf(acc->hash, crypto_pwhash_STRBYTES, "%s", u->hash);
    return 0;
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
        account acc = {&who, hash, &disabled};
        error = wb_reg__user_by_name(st, name, account_of, &acc);
        if (error == 0)
            found = 1;
        else if (error != WB_ENOTFOUND)
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

    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        goto out;
    if (ok) {
        error = wb_reg__login_ok(st, rows[0].key, who.user_id, newhash);
    } else {
        if ((error = record_failure(st, &rows[0], o->max_failures_user, o, now)) == 0)
            error = record_failure(st, &rows[1], o->max_failures_client, o, now);
    }
    error = wb_reg__end(st, &tx, error);
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
    size_t total = 0;
    wb_reg_tx tx;
    int error = wb_reg__begin(st, &tx);
    if (error < 0)
        return error;
    error = wb_reg__purge(st, now, FAILURE_MEMORY_S, o->session_idle_s, &total);
    error = wb_reg__end(st, &tx, error);
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
    if ((error = wb_reg__admin_count(st, &n)) < 0)
        return error;
    if (n > 0)
        return 0;
    /* 15 random bytes = 120 bits = 20 base64url characters; hashed before the write lock */
    unsigned char raw[15];
    char pw[WB_GENERATED_PASSWORD_MAX], hash[crypto_pwhash_STRBYTES], nm[64] = "admin";
    wb_reg_tx tx;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(pw, sizeof pw, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    if ((error = hash_password(hash, NULL, pw, o)) < 0)
        goto out;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        goto out;
    /* again inside the transaction: another server may have made one meanwhile */
    if ((error = wb_reg__admin_count(st, &n)) < 0 || n > 0)
        goto end;
    for (int k = 2;; k++) {
        int64_t other;
        if ((error = wb_reg__user_by_name(st, nm, user_id_of, &other)) == WB_ENOTFOUND)
            break;
        if (error < 0)
            goto end;
        snprintf(nm, sizeof nm, "admin%d", k);
    }
    error = 0;
    if ((error = insert_user(st, NULL, actor, nm, WB_ROLE_ADMIN, 0, hash)) == 0) {
        *created = 1;
        snprintf(name, 64, "%s", nm);
        snprintf(password, WB_GENERATED_PASSWORD_MAX, "%s", pw);
    }
end:
    error = wb_reg__end(st, &tx, error);
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
