/**
 * @file
 * @brief Fuzz target: what the server does with the header text a client sends
 * (src/web/headers.c) and with a session cookie and CSRF token (wb_session_validate,
 * wb_csrf_check in src/collab/session.c, against an in-memory store with one session).
 *
 * Input: byte 0 has one bit per field below: set = the header is absent (NULL); bit 7 = the
 * request came over HTTPS. The rest is split at '\n' into: 0 Accept-Encoding, 1 If-None-Match,
 * 2 Sec-Fetch-Site, 3 Origin, 4 Host, 5 X-Forwarded-For, 6 the session cookie's value, 7 the
 * X-CSRF-Token header, 8 (the rest, newlines included) text for the access log.
 * Invariants:
 *  - accepts gzip only when the header names gzip (any case) or '*';
 *  - an If-None-Match without '*' matches only when it holds the tag itself; the tag alone
 *    always matches;
 *  - a state-changing request passes the origin check exactly when Sec-Fetch-Site is absent,
 *    "same-origin" or "none", and Origin is absent or equals scheme "://" Host (scheme from
 *    HTTPS, compared without case), checked independently;
 *  - a normalised address parses back and normalises to itself; the last X-Forwarded-For
 *    entry is what the server would take;
 *  - escaped log text has no control byte and no DEL, fits its buffer, and unescapes to a
 *    prefix of the input;
 *  - Content-Length headers are refused (400) exactly when two differ;
 *  - a cookie value is accepted only when it is the session's token (then with its user),
 *    else refused with WB_EDENIED and a UTF-8 message; the CSRF check passes only for the
 *    session's own token.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "web/conn.h"
#include "wijkbeeld.h"

#define NFIELDS 9

static wb_store *st;
static char token[WB_TOKEN_MAX];
static wb_session sess;

static void init(void)
{
    WBF_CHECK(wb_store_open(&st, ":memory:", WB_STORE_CREATE) == 0, "store");
    wb_actor cli;
    wb_actor_cli(&cli, "fuzz");
    int64_t id;
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    o.opslimit = 1; /* the cheapest Argon2id: the password is not what is fuzzed */
    o.memlimit = 8192;
    WBF_CHECK(wb_auth_user_add(st, &id, &cli, "beheerder", WB_ROLE_ADMIN, 0, "een lang genoeg wachtwoord", &o) == 0,
              "user");
    wb_actor a = WB_ACTOR_ANONYMOUS;
    a.user_id = id;
    snprintf(a.name, sizeof a.name, "beheerder");
    a.role = WB_ROLE_ADMIN;
    WBF_CHECK(wb_session_create(st, token, &sess, &a, NULL) == 0, "session");
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (!strncasecmp(p, needle, n))
            return 1;
    return 0;
}

static void check_escape(const char *in, size_t len)
{
    char out[256];
    wb_http__log_escape(out, sizeof out, in, len);
    size_t n = strlen(out);
    WBF_CHECK(n < sizeof out, "escaped text overflows");
    for (size_t i = 0; i < n; i++)
        WBF_CHECK((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] != 0x7f, "a control byte 0x%02x escaped",
                  (unsigned char)out[i]);
    /* unescape: a prefix of the input */
    size_t k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        unsigned char c = (unsigned char)out[i];
        if (c == '\\') {
            WBF_CHECK(i + 1 < n, "a dangling backslash");
            if (out[i + 1] == '\\') {
                c = '\\';
                i++;
            } else {
                WBF_CHECK(out[i + 1] == 'x' && i + 3 < n, "a broken escape");
                char hex[3] = {out[i + 2], out[i + 3], 0};
                c = (unsigned char)strtoul(hex, NULL, 16);
                i += 3;
            }
        }
        WBF_CHECK(k < len && (unsigned char)in[k] == c, "escaped text does not unescape to the input");
    }
}

WBF_TARGET(http_headers)
{
    static int ready;
    if (!ready) {
        init();
        ready = 1;
    }
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    /* the fields, NUL-terminated copies (header values never hold a NUL) */
    char *f[NFIELDS] = {NULL};
    size_t flen[NFIELDS] = {0};
    size_t pos = 0;
    for (int k = 0; k < NFIELDS; k++) {
        size_t end = pos;
        if (k < NFIELDS - 1)
            while (end < len && text[end] != '\n')
                end++;
        else
            end = len;
        if (pos > len)
            end = pos = len;
        f[k] = malloc(end - pos + 1);
        WBF_CHECK(f[k], "out of memory");
        memcpy(f[k], text + pos, end - pos);
        f[k][end - pos] = 0;
        flen[k] = end - pos;
        pos = end + 1;
    }
    const char *v[NFIELDS];
    for (int k = 0; k < NFIELDS; k++)
        v[k] = (k < 7 && (flags >> k) & 1) || strlen(f[k]) != flen[k] ? NULL : f[k];
    int https = (flags >> 7) & 1;

    /* Accept-Encoding */
    int gz = wb_http__accepts_gzip(v[0]);
    WBF_CHECK(gz == 0 || gz == 1, "accepts_gzip returned %d", gz);
    if (gz)
        WBF_CHECK(v[0] && (contains_ci(v[0], "gzip") || strchr(v[0], '*')), "gzip accepted from '%s'", v[0]);

    /* If-None-Match */
    static const char etag[] = "\"0123456789abcdef0123456789abcdef\"";
    int m = wb_http__etag_matches(v[1], etag);
    if (m && v[1] && !strchr(v[1], '*'))
        WBF_CHECK(strstr(v[1], etag), "'%s' matched a tag it does not hold", v[1]);
    WBF_CHECK(wb_http__etag_matches(etag, etag) == 1, "the tag does not match itself");

    /* the origin check, against an independent statement of the rule */
    int so = wb_http__same_origin(v[2], v[3], v[4], https);
    int site_ok = !v[2] || !strcmp(v[2], "same-origin") || !strcmp(v[2], "none");
    int origin_ok = 1;
    if (v[3]) {
        const char *scheme = https ? "https://" : "http://";
        size_t sl = strlen(scheme);
        origin_ok = v[4] && *v[4] && strlen(v[3]) == sl + strlen(v[4]) && !strncasecmp(v[3], scheme, sl) &&
                    !strcasecmp(v[3] + sl, v[4]);
    }
    WBF_CHECK(so == (site_ok && origin_ok), "same_origin(%s, %s, %s, %d) = %d", v[2] ? v[2] : "NULL",
              v[3] ? v[3] : "NULL", v[4] ? v[4] : "NULL", https, so);

    /* X-Forwarded-For: the last entry, as the server takes it */
    if (v[5]) {
        const char *last = strrchr(v[5], ',');
        last = last ? last + 1 : v[5];
        char ip[64], again[64];
        if (wb_http__normalise_ip(ip, sizeof ip, last, strlen(last)) == 0) {
            unsigned char bin[16];
            WBF_CHECK(inet_pton(AF_INET, ip, bin) == 1 || inet_pton(AF_INET6, ip, bin) == 1, "'%s' does not parse", ip);
            WBF_CHECK(wb_http__normalise_ip(again, sizeof again, ip, strlen(ip)) == 0 && !strcmp(ip, again),
                      "'%s' does not normalise to itself", ip);
        }
    }

    /* Content-Length: the first two fields as two values */
    const char *cl[2] = {f[0], f[1]};
    int clr = wb_http__check_content_length(cl, 2);
    WBF_CHECK(clr == (strcmp(f[0], f[1]) ? 400 : 0), "content lengths '%s' and '%s': %d", f[0], f[1], clr);
    WBF_CHECK(wb_http__check_content_length(cl, 1) == 0, "one Content-Length refused");

    /* the session cookie and the CSRF token */
    wb_session s;
    int r = wb_session_validate(st, &s, v[6], NULL);
    if (v[6] && !strcmp(v[6], token)) {
        WBF_CHECK(r == 0 && !strcmp(s.actor.name, "beheerder"), "the real token refused (%d)", r);
    } else {
        WBF_CHECK(r == WB_EDENIED, "cookie '%s': %d, expected WB_EDENIED", v[6] ? v[6] : "NULL", r);
        const char *msg = wb_error_last()->message;
        WBF_CHECK(wbf_utf8_valid(msg, strlen(msg)), "message not UTF-8");
    }
    int c = wb_csrf_check(&sess, v[7]);
    WBF_CHECK((c == 0) == (v[7] && !strcmp(v[7], sess.csrf)), "CSRF '%s': %d", v[7] ? v[7] : "NULL", c);

    /* the access log */
    check_escape(f[8], flen[8]);
    check_escape(text, len);
    wbf_note(r);
    for (int k = 0; k < NFIELDS; k++)
        free(f[k]);
    wb_error_clear();
    return 0;
}
