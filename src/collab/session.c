/** @file @brief Sessions (random tokens stored only as hashes) and CSRF tokens. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "collab/collab_internal.h"

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43 /* unpadded base64url of 32 bytes */

static const wb_auth_opts default_opts = WB_AUTH_OPTS_INIT;
static const char csrf_context[] = "wijkbeeld csrf v1";

/* Decode a raw token; anything but 43 base64url characters for 32 bytes is refused. */
static int token_decode(unsigned char raw[TOKEN_BYTES], const char *token)
{
    size_t len = token ? strnlen(token, WB_TOKEN_MAX) : 0, got = 0;
    const char *end = NULL;
    if (len != TOKEN_CHARS ||
        sodium_base642bin(raw, TOKEN_BYTES, token, len, NULL, &got, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        got != TOKEN_BYTES || end != token + len)
        return -1;
    /* only the one canonical spelling: libsodium's decoder also takes bytes >= 0x80 (and
     * stray low bits in the last character) as some value, so re-encode and compare */
    char again[WB_TOKEN_MAX];
    sodium_bin2base64(again, sizeof again, raw, TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return sodium_memcmp(again, token, TOKEN_CHARS) == 0 ? 0 : -1;
}

static void token_hash(unsigned char h[32], const unsigned char raw[TOKEN_BYTES])
{
    crypto_generichash(h, 32, raw, TOKEN_BYTES, NULL, 0);
}

/* The CSRF token is a keyed BLAKE2b of a fixed context under the session token: the
 * server recomputes it from the cookie, nothing is stored, and it reveals nothing of the
 * session token. */
static void csrf_of(char out[WB_TOKEN_MAX], const unsigned char raw[TOKEN_BYTES])
{
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, (const unsigned char *)csrf_context, sizeof csrf_context - 1,
                       raw, TOKEN_BYTES);
    sodium_bin2base64(out, WB_TOKEN_MAX, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(mac, sizeof mac);
}

static int denied(const char *why)
{
    wb_error_set(WB_ERRCLASS_AUTH, "%s", why);
    return WB_EDENIED;
}

int wb_session_create(wb_store *st, char token[WB_TOKEN_MAX], wb_session *out,
                      const wb_actor *actor, const wb_auth_opts *opts)
{
    const wb_auth_opts *o = opts ? opts : &default_opts;
    token[0] = 0;
    if (sodium_init() < 0) {
        wb_error_set(WB_ERRCLASS_AUTH, "libsodium could not be initialised");
        return WB_ERROR;
    }
    if (!actor || actor->user_id <= 0) {
        wb_error_set(WB_ERRCLASS_AUTH, "a session needs an account");
        return WB_EINVALID;
    }
    unsigned char raw[TOKEN_BYTES], h[32];
    randombytes_buf(raw, sizeof raw);
    token_hash(h, raw);
    int64_t now = wbc_now(o);
    int error = wb_reg__session_insert(st, h, actor->user_id, now, now + o->session_ttl_s);
    if (error == 0) {
        sodium_bin2base64(token, WB_TOKEN_MAX, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        if (out) {
            memset(out, 0, sizeof *out);
            out->actor = *actor;
            out->created = out->last_seen = now;
            out->expires = now + o->session_ttl_s;
            csrf_of(out->csrf, raw);
        }
    }
    sodium_memzero(raw, sizeof raw);
    return error;
}

int wb_auth_login(wb_store *st, char token[WB_TOKEN_MAX], wb_session *out, const char *name,
                  const char *password, const char *client_key, const wb_auth_opts *opts)
{
    wb_actor who;
    token[0] = 0;
    int error = wb_auth_verify(st, &who, name, password, client_key, opts);
    if (error < 0)
        return error;
    return wb_session_create(st, token, out, &who, opts);
}

/* The stored session and its account; the checks are wb_session_validate's. */
typedef struct {
    int64_t id;
    wb_session *out;
    int disabled;
} session_row;

static int session_of(void *payload, const wb_reg_session *r)
{
    session_row *sr = payload;
    sr->id = r->id;
    sr->out->created = r->created;
    sr->out->expires = r->expires;
    sr->out->last_seen = r->last_seen;
    sr->out->actor.user_id = r->user_id;
    snprintf(sr->out->actor.name, sizeof sr->out->actor.name, "%s", r->name);
    wb_role_parse(&sr->out->actor.role, r->role);
    sr->out->actor.partner_id = r->partner_id;
    sr->disabled = r->disabled;
    return 0;
}

int wb_session_validate(wb_store *st, wb_session *out, const char *token,
                        const wb_auth_opts *opts)
{
    const wb_auth_opts *o = opts ? opts : &default_opts;
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        wb_error_set(WB_ERRCLASS_AUTH, "libsodium could not be initialised");
        return WB_ERROR;
    }
    unsigned char raw[TOKEN_BYTES], h[32];
    if (!token || !*token)
        return denied("not logged in");
    if (token_decode(raw, token) < 0)
        return denied("not logged in: malformed session token");
    token_hash(h, raw);
    int64_t now = wbc_now(o);
    session_row sr = {0, out, 0};
    int error = wb_reg__session_get(st, h, session_of, &sr);
    if (error == WB_ENOTFOUND) {
        error = denied("not logged in: unknown or ended session");
        goto done;
    }
    if (error < 0)
        goto done;
    if (now >= out->expires) {
        error = denied("session expired: log in again");
        goto done;
    }
    if (now - out->last_seen >= o->session_idle_s) {
        error = denied("session expired after being idle: log in again");
        goto done;
    }
    if (sr.disabled) {
        error = denied("account disabled");
        goto done;
    }
    csrf_of(out->csrf, raw);
    if (o->touch && now - out->last_seen >= 60) {
        /* best effort: a read-only connection cannot record the use */
        if (wb_reg__session_touch(st, sr.id, now) == 0)
            out->last_seen = now;
        wb_error_clear();
    }
done:
    sodium_memzero(raw, sizeof raw);
    if (error < 0)
        memset(out, 0, sizeof *out);
    return error;
}

int wb_session_logout(wb_store *st, const char *token)
{
    unsigned char raw[TOKEN_BYTES], h[32];
    if (sodium_init() < 0 || token_decode(raw, token) < 0)
        return 0;
    token_hash(h, raw);
    sodium_memzero(raw, sizeof raw);
    return wb_reg__session_end(st, h);
}

int wb_csrf_check(const wb_session *session, const char *sent)
{
    if (!session || !session->csrf[0])
        return denied("CSRF check without a session");
    if (!sent || !*sent)
        return denied("missing CSRF token (send it in the X-CSRF-Token header)");
    size_t n = strlen(session->csrf);
    /* the length is public (always 43); the comparison of the bytes is constant-time */
    if (strnlen(sent, WB_TOKEN_MAX) != n || sodium_memcmp(sent, session->csrf, n) != 0)
        return denied("wrong CSRF token");
    return 0;
}
