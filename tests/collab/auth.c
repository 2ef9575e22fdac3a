/** @file @brief Accounts, password hashes, rate limiting, sessions with an injected clock, CSRF. */
#include <sodium.h>
#include <stdlib.h>

#include "collab/cfix.h"
#include "store/store_internal.h"

/* Does the file (or its WAL) contain these bytes anywhere? */
static int file_contains(const char *path, const char *needle)
{
    size_t len = 0, nl = strlen(needle);
    char *buf = wbt_slurp(path, &len);
    int found = 0;
    for (size_t i = 0; buf && i + nl <= len && !found; i++)
        found = !memcmp(buf + i, needle, nl);
    free(buf);
    return found;
}

static wb_auth_opts clocked(const cfix *f, int64_t now)
{
    wb_auth_opts o = f->fast;
    o.now = now;
    return o;
}

TEST(collab_auth, hashes_are_argon2id_and_the_file_never_holds_the_password)
{
    const char *db = wbt_tmp("pw.db");
    wb_store *st = cfix_areas_store(db);
    wb_actor cli;
    wb_actor_cli(&cli, "tester");
    const char *pw = "Correct-Horse-Battery-Staple-7";
    /* the default cost: Argon2id, INTERACTIVE limits (t=2, 64 MiB) */
    WB_PASS(wb_auth_user_add(st, NULL, &cli, "anna", WB_ROLE_RESIDENT, 0, pw, NULL));
    sqlite3_stmt *s = NULL;
    ASSERT(sqlite3_prepare_v2(wb_store__db(st), "SELECT hash FROM users WHERE name = 'anna'", -1, &s, NULL) == 0);
    ASSERT(sqlite3_step(s) == SQLITE_ROW);
    const char *hash = (const char *)sqlite3_column_text(s, 0);
    ASSERT(!strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31));
    ASSERT(strstr(hash, pw) == NULL);
    sqlite3_finalize(s);
    /* the audit entry of the new account carries no hash */
    wb_audit_entry *e = NULL;
    size_t n = 0;
    WB_PASS(wb_audit_list(st, &cli, &e, &n, "user", 0, 0));
    ASSERT_EQ_I(n, 1);
    ASSERT(strstr(e[0].after, "anna") != NULL);
    ASSERT(strstr(e[0].after, "argon2") == NULL && strstr(e[0].after, pw) == NULL);
    wb_audit_free(e, n);
    /* a password change, a failed and a good login: still never in the file or its WAL */
    WB_PASS(wb_auth_user_passwd(st, &cli, "anna", "Another-Long-Passphrase-9", NULL));
    wb_actor who;
    WB_FAILS(WB_EDENIED, wb_auth_verify(st, &who, "anna", pw, "10.0.0.1", NULL));
    WB_PASS(wb_auth_verify(st, &who, "anna", "Another-Long-Passphrase-9", "10.0.0.1", NULL));
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", db);
    ASSERT(!file_contains(db, pw) && !file_contains(wal, pw));
    ASSERT(!file_contains(db, "Another-Long-Passphrase-9") && !file_contains(wal, "Another-Long-Passphrase-9"));
    wb_store_free(st); /* checkpoints the WAL into the file */
    ASSERT(!file_contains(db, pw) && !file_contains(db, "Another-Long-Passphrase-9"));
    ASSERT(file_contains(db, "$argon2id$"));
}

TEST(collab_auth, password_rules_name_the_field_and_never_echo_the_password)
{
    cfix f;
    cfix_open(&f, NULL);
    char *before = cfix_snapshot(f.st);
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "piet", WB_ROLE_VIEWER, 0, "kort-7", &f.fast));
    ASSERT(strstr(wb_error_last()->message, "field 'password': too short (6 characters, at least 10)"));
    ASSERT(!strstr(wb_error_last()->message, "kort-7"));
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "pietjepuk1", WB_ROLE_VIEWER, 0, "PietjePuk1", &f.fast));
    ASSERT(strstr(wb_error_last()->message, "must differ from the user name"));
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "piet", WB_ROLE_VIEWER, 0, "\xff\xfe-invalid-utf8", &f.fast));
    ASSERT(strstr(wb_error_last()->message, "field 'password': not valid UTF-8"));
    char huge[WB_PASSWORD_MAX + 10];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = 0;
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "piet", WB_ROLE_VIEWER, 0, huge, &f.fast));
    ASSERT(strstr(wb_error_last()->message, "field 'password': too long"));
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "piet jan", WB_ROLE_VIEWER, 0, "lang-genoeg-wachtwoord", &f.fast));
    ASSERT(strstr(wb_error_last()->message, "field 'name'"));
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "piet", WB_ROLE_PARTNER, 0, "lang-genoeg-wachtwoord", &f.fast));
    ASSERT(strstr(wb_error_last()->message, "field 'partner'"));
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "piet", WB_ROLE_PARTNER, 999, "lang-genoeg-wachtwoord", &f.fast));
    WB_FAILS(WB_EINVALID, wb_auth_user_add(f.st, NULL, &f.cli, "piet", WB_ROLE_RESIDENT, f.pA, "lang-genoeg-wachtwoord", &f.fast));
    char *after = cfix_snapshot(f.st);
    ASSERT_EQ_S(after, before);
    /* names are unique regardless of case */
    WB_FAILS(WB_ECONFLICT, wb_auth_user_add(f.st, NULL, &f.cli, "BEWONER1", WB_ROLE_VIEWER, 0, "lang-genoeg-wachtwoord", &f.fast));
    ASSERT(strstr(wb_error_last()->message, "exists"));
    wb_free(before);
    wb_free(after);
    cfix_close(&f);
}

TEST(collab_auth, verify_same_answer_for_unknown_wrong_and_disabled)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_actor who;
    wb_auth_opts o = clocked(&f, 1700000000);
    WB_PASS(wb_auth_verify(f.st, &who, "bewoner1", cfix_password("bewoner1"), NULL, &o));
    ASSERT_EQ_I(who.role, WB_ROLE_RESIDENT);
    ASSERT_EQ_S(who.name, "bewoner1");
    /* names are matched without regard to case */
    WB_PASS(wb_auth_verify(f.st, &who, "Bewoner1", cfix_password("bewoner1"), NULL, &o));
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner1", "fout-wachtwoord", NULL, &o));
    ASSERT_EQ_S(wb_error_last()->message, "wrong user name or password");
    ASSERT_EQ_I(who.user_id, 0);
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "niemand", "fout-wachtwoord", NULL, &o));
    ASSERT_EQ_S(wb_error_last()->message, "wrong user name or password");
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "'; DROP TABLE users; --", "x", NULL, &o));
    ASSERT_EQ_S(wb_error_last()->message, "wrong user name or password");
    WB_PASS(wb_auth_user_disable(f.st, &f.cli, "bewoner2", 1));
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner2", cfix_password("bewoner2"), NULL, &o));
    ASSERT_EQ_S(wb_error_last()->message, "wrong user name or password");
    WB_PASS(wb_auth_user_disable(f.st, &f.cli, "bewoner2", 0));
    WB_PASS(wb_auth_verify(f.st, &who, "bewoner2", cfix_password("bewoner2"), NULL, &o));
    cfix_close(&f);
}

TEST(collab_auth, rate_limit_locks_a_name_exponentially_then_recovers)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_actor who;
    int64_t t = 1700000000;
    wb_auth_opts o = clocked(&f, t);
    /* 4 failures: not yet locked; the 5th locks for lockout_base_s (60 s) */
    for (int i = 0; i < 5; i++)
        WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner1", "fout", NULL, &o));
    ASSERT_EQ_I(cfix_int(f.st, "SELECT locked_until FROM login_failure WHERE key = 'user:bewoner1'"), t + 60);
    /* while locked even the right password is refused, without saying it was right */
    o.now = t + 59;
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner1", cfix_password("bewoner1"), NULL, &o));
    ASSERT(strstr(wb_error_last()->message, "too many failed login attempts: try again in 1 s"));
    /* attempts during the lockout are not counted */
    ASSERT_EQ_I(cfix_int(f.st, "SELECT failures FROM login_failure WHERE key = 'user:bewoner1'"), 5);
    /* after it, a 6th failure locks for 120 s, a 7th for 240 s */
    o.now = t + 60;
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner1", "fout", NULL, &o));
    ASSERT_EQ_I(cfix_int(f.st, "SELECT locked_until FROM login_failure WHERE key = 'user:bewoner1'"), t + 180);
    o.now = t + 180;
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner1", "fout", NULL, &o));
    ASSERT_EQ_I(cfix_int(f.st, "SELECT locked_until FROM login_failure WHERE key = 'user:bewoner1'"), t + 420);
    /* other names are not affected */
    WB_PASS(wb_auth_verify(f.st, &who, "bewoner2", cfix_password("bewoner2"), NULL, &o));
    /* after the lockout the right password works and resets the count */
    o.now = t + 420;
    WB_PASS(wb_auth_verify(f.st, &who, "bewoner1", cfix_password("bewoner1"), NULL, &o));
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM login_failure WHERE key = 'user:bewoner1'"), 0);
    /* the longest lockout is capped at lockout_max_s */
    for (int i = 0; i < 30; i++) {
        o.now += 4000;
        WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner1", "fout", NULL, &o));
    }
    ASSERT_EQ_I(cfix_int(f.st, "SELECT locked_until FROM login_failure WHERE key = 'user:bewoner1'"), o.now + 3600);
    /* unknown names are locked the same way (no telling which names exist) */
    o.now = t;
    for (int i = 0; i < 5; i++)
        WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "niemand", "fout", NULL, &o));
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "niemand", "fout", NULL, &o));
    ASSERT(strstr(wb_error_last()->message, "too many failed login attempts"));
    /* counts are forgotten after a day without failures; purge removes them */
    size_t purged = 0;
    o.now = t + 2 * 86400;
    WB_PASS(wb_auth_purge(f.st, &o, &purged));
    ASSERT(purged >= 1);
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM login_failure WHERE key = 'user:niemand'"), 0);
    cfix_close(&f);
}

TEST(collab_auth, rate_limit_per_client_across_names)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_actor who;
    wb_auth_opts o = clocked(&f, 1700000000);
    char name[32];
    /* 20 failures from one client on 20 different names lock that client */
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "gok%d", i);
        WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, name, "fout", "192.0.2.7", &o));
    }
    WB_FAILS(WB_EDENIED, wb_auth_verify(f.st, &who, "bewoner1", cfix_password("bewoner1"), "192.0.2.7", &o));
    ASSERT(strstr(wb_error_last()->message, "too many failed login attempts"));
    /* another client logs in fine */
    WB_PASS(wb_auth_verify(f.st, &who, "bewoner1", cfix_password("bewoner1"), "198.51.100.1", &o));
    cfix_close(&f);
}

TEST(collab_auth, weaker_hashes_are_upgraded_at_login)
{
    cfix f;
    cfix_open(&f, NULL); /* accounts hashed at the minimum cost */
    ASSERT(cfix_int(f.st, "SELECT count(*) FROM users WHERE name = 'kijker' AND hash LIKE '%m=8,t=1%'") == 1);
    wb_actor who;
    WB_PASS(wb_auth_verify(f.st, &who, "kijker", cfix_password("kijker"), NULL, NULL));
    ASSERT(cfix_int(f.st, "SELECT count(*) FROM users WHERE name = 'kijker' AND hash LIKE '$argon2id$v=19$m=65536,t=2,p=1$%'") == 1);
    WB_PASS(wb_auth_verify(f.st, &who, "kijker", cfix_password("kijker"), NULL, NULL));
    cfix_close(&f);
}

TEST(collab_auth, sessions_expire_by_the_injected_clock)
{
    cfix f;
    cfix_open(&f, NULL);
    int64_t t = 1700000000;
    wb_auth_opts o = clocked(&f, t);
    o.session_ttl_s = 3600;
    o.session_idle_s = 600;
    char token[WB_TOKEN_MAX];
    wb_session s, v;
    WB_PASS(wb_auth_login(f.st, token, &s, "editor-a", cfix_password("editor-a"), "127.0.0.1", &o));
    ASSERT_EQ_I(strlen(token), 43);
    ASSERT_EQ_I(strlen(s.csrf), 43);
    ASSERT(strcmp(token, s.csrf) != 0);
    ASSERT_EQ_I(s.expires, t + 3600);
    /* only a hash of the token is stored; neither token nor CSRF token is in the store */
    char *snap = cfix_snapshot(f.st);
    ASSERT(strstr(snap, token) == NULL && strstr(snap, s.csrf) == NULL);
    wb_free(snap);
    ASSERT_EQ_I(cfix_int(f.st, "SELECT length(token_hash) FROM session"), 32);

    o.now = t + 300;
    WB_PASS(wb_session_validate(f.st, &v, token, &o));
    ASSERT_EQ_I(v.actor.role, WB_ROLE_PARTNER);
    ASSERT_EQ_I(v.actor.partner_id, f.pA);
    ASSERT_EQ_S(v.csrf, s.csrf);
    ASSERT_EQ_I(v.last_seen, t + 300); /* recorded use */
    /* idle: 600 s after the last use */
    o.now = t + 300 + 599;
    WB_PASS(wb_session_validate(f.st, &v, token, &o));
    o.now = t + 300 + 599 + 600;
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &v, token, &o));
    ASSERT(strstr(wb_error_last()->message, "idle"));
    ASSERT_EQ_I(v.actor.user_id, 0);
    /* absolute lifetime, however active the session */
    WB_PASS(wb_auth_login(f.st, token, &s, "editor-a", cfix_password("editor-a"), NULL, &o));
    int64_t t2 = o.now;
    for (int64_t k = 1; k <= 6; k++) {
        o.now = t2 + k * 500;
        if (o.now < t2 + 3600)
            WB_PASS(wb_session_validate(f.st, &v, token, &o));
    }
    o.now = t2 + 3600;
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &v, token, &o));
    ASSERT(strstr(wb_error_last()->message, "session expired"));
    /* purge removes expired sessions */
    size_t purged = 0;
    WB_PASS(wb_auth_purge(f.st, &o, &purged));
    ASSERT(purged >= 2);
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM session"), 0);
    cfix_close(&f);
}

TEST(collab_auth, logout_password_change_and_disable_end_sessions)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_auth_opts o = clocked(&f, 1700000000);
    char t1[WB_TOKEN_MAX], t2[WB_TOKEN_MAX], t3[WB_TOKEN_MAX];
    wb_session s;
    WB_PASS(wb_auth_login(f.st, t1, &s, "bewoner1", cfix_password("bewoner1"), NULL, &o));
    WB_PASS(wb_auth_login(f.st, t2, &s, "bewoner1", cfix_password("bewoner1"), NULL, &o));
    WB_PASS(wb_auth_login(f.st, t3, &s, "bewoner2", cfix_password("bewoner2"), NULL, &o));
    ASSERT(strcmp(t1, t2) != 0);
    WB_PASS(wb_session_logout(f.st, t1));
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &s, t1, &o));
    WB_PASS(wb_session_validate(f.st, &s, t2, &o));
    /* the user changes their own password: all of their sessions end */
    WB_PASS(wb_auth_user_passwd(f.st, &s.actor, "bewoner1", "nieuw-en-lang-genoeg", &f.fast));
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &s, t2, &o));
    WB_PASS(wb_session_validate(f.st, &s, t3, &o));
    WB_PASS(wb_auth_user_disable(f.st, &f.cli, "bewoner2", 1));
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &s, t3, &o));
    /* malformed and empty tokens */
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &s, "", &o));
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &s, NULL, &o));
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &s, "' OR 1=1 --", &o));
    WB_FAILS(WB_EDENIED, wb_session_validate(f.st, &s, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &o));
    ASSERT(strstr(wb_error_last()->message, "unknown or ended"));
    WB_PASS(wb_session_logout(f.st, "garbage"));
    /* a session needs an account: the command line has none */
    char t4[WB_TOKEN_MAX];
    WB_FAILS(WB_EINVALID, wb_session_create(f.st, t4, &s, &f.cli, &o));
    cfix_close(&f);
}

TEST(collab_auth, role_changes_apply_to_open_sessions)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_auth_opts o = clocked(&f, 1700000000);
    char tok[WB_TOKEN_MAX];
    wb_session s;
    WB_PASS(wb_auth_login(f.st, tok, &s, "editor-a", cfix_password("editor-a"), NULL, &o));
    /* the admin moves the account to partner B directly in the store (no API for it yet):
     * validation reads the role and partner of the account as they are now */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE users SET partner_id = %lld WHERE name = 'editor-a'", (long long)f.pB);
    ASSERT(sqlite3_exec(wb_store__db(f.st), sql, NULL, NULL, NULL) == SQLITE_OK);
    WB_PASS(wb_session_validate(f.st, &s, tok, &o));
    ASSERT_EQ_I(s.actor.partner_id, f.pB);
    cfix_close(&f);
}

TEST(collab_auth, csrf_wrong_or_missing_is_refused)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_auth_opts o = clocked(&f, 1700000000);
    char t1[WB_TOKEN_MAX], t2[WB_TOKEN_MAX];
    wb_session s1, s2, v;
    WB_PASS(wb_auth_login(f.st, t1, &s1, "editor-a", cfix_password("editor-a"), NULL, &o));
    WB_PASS(wb_auth_login(f.st, t2, &s2, "editor-a", cfix_password("editor-a"), NULL, &o));
    WB_PASS(wb_session_validate(f.st, &v, t1, &o));
    WB_PASS(wb_csrf_check(&v, s1.csrf));
    WB_FAILS(WB_EDENIED, wb_csrf_check(&v, NULL));
    ASSERT(strstr(wb_error_last()->message, "missing CSRF token"));
    WB_FAILS(WB_EDENIED, wb_csrf_check(&v, ""));
    /* the token of another session of the same user does not fit */
    WB_FAILS(WB_EDENIED, wb_csrf_check(&v, s2.csrf));
    ASSERT(strstr(wb_error_last()->message, "wrong CSRF token"));
    /* one character off, a prefix, the session token itself */
    char off[WB_TOKEN_MAX];
    snprintf(off, sizeof off, "%s", s1.csrf);
    off[10] = off[10] == 'A' ? 'B' : 'A';
    WB_FAILS(WB_EDENIED, wb_csrf_check(&v, off));
    off[10] = s1.csrf[10];
    off[42] = 0;
    WB_FAILS(WB_EDENIED, wb_csrf_check(&v, off));
    WB_FAILS(WB_EDENIED, wb_csrf_check(&v, t1));
    /* no session */
    wb_session none;
    memset(&none, 0, sizeof none);
    WB_FAILS(WB_EDENIED, wb_csrf_check(&none, s1.csrf));
    cfix_close(&f);
}
