/**
 * @file
 * @brief Fuzz target: request targets of the HTTP API through the router and its typed
 * parameter validators (wb_web__route, src/web/router.c), without a network or a store.
 *
 * Input: byte 0 chooses the method (mod 6: GET, HEAD, POST, PUT, DELETE, PATCH); the rest,
 * up to a NUL, is the request target as libmicrohttpd hands it to the server: a raw
 * (percent-encoded) path, then '?' and the raw query string (a '#' fragment is dropped, as
 * the dispatcher does). Every route of the table is reachable (/api/values, /api/areas/{code},
 * /api/lisa, the register ...); only paths under /api reach the router, as in the server.
 * Invariants:
 *  - WB_MATCH_OK: the matched route has the method (HEAD: a GET route) and its pattern
 *    matches the path; every required parameter is present; every present value satisfies its
 *    declared type, checked here independently of the validator: INT in [min, max]; YEAR in
 *    1900..2100; LEVEL land/gemeente/wijk/buurt with its canonical name; INDICATOR
 *    [A-Za-z][A-Za-z0-9_]{0,62}; CODE normalised (wb_code_normalize gives it back with the
 *    same level); ENUM one of the choices at its index; KEYLIST 1..max valid keys, counted;
 *    NAME 1..max bytes of valid UTF-8 without control characters;
 *  - WB_MATCH_BADPARAM: status 400 and a body that is a JSON object (jansson, so valid UTF-8)
 *    with an "error" string; "param" names the parameter at fault and the message quotes it
 *    ('name'), except "malformed query string" (a name that cannot be decoded);
 *  - WB_MATCH_METHOD: an Allow list; WB_MATCH_NOTFOUND: nothing else.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "web/web_internal.h"
#include "wijkbeeld.h"

static const char *const methods[6] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};

static int key_ok(const char *s, size_t n)
{
    if (n < 1 || n > 63 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

/* A present value against its declaration. */
static void check_value(const wb_param_def *d, const wb_param_val *v)
{
    const char *t = v->text;
    WBF_CHECK(memchr(t, 0, sizeof v->text) != NULL, "'%s': text not terminated", d->name);
    size_t n = strlen(t);
    switch (d->kind) {
    case WB_PARAM_INT:
        WBF_CHECK(v->i >= d->min && v->i <= d->max, "'%s' = %ld outside [%ld, %ld]", d->name, v->i,
                  d->min, d->max);
        break;
    case WB_PARAM_YEAR:
        WBF_CHECK(v->i >= 1900 && v->i <= 2100, "'%s' = year %ld", d->name, v->i);
        break;
    case WB_PARAM_LEVEL:
        WBF_CHECK(v->level == WB_LEVEL_LAND || v->level == WB_LEVEL_GEMEENTE ||
                      v->level == WB_LEVEL_WIJK || v->level == WB_LEVEL_BUURT,
                  "'%s' = level %d", d->name, (int)v->level);
        WBF_CHECK(!strcmp(t, wb_level_name(v->level)), "'%s' = '%s', level %s", d->name, t,
                  wb_level_name(v->level));
        break;
    case WB_PARAM_INDICATOR:
        WBF_CHECK(key_ok(t, n), "'%s' = indicator '%s'", d->name, t);
        break;
    case WB_PARAM_CODE: {
        char again[WB_CODE_MAX];
        wb_level lv;
        WBF_CHECK(n > 0 && n < WB_CODE_MAX, "'%s' = code of %zu bytes", d->name, n);
        WBF_CHECK(wb_code_normalize(again, &lv, t, n, WB_LEVEL__MAX) == 0 && !strcmp(again, t) &&
                      lv == v->level,
                  "'%s' = code '%s' (level %d) is not normalised", d->name, t, (int)v->level);
        break;
    }
    case WB_PARAM_ENUM: {
        long k = 0;
        while (d->choices[k])
            k++;
        WBF_CHECK(v->i >= 0 && v->i < k && !strcmp(d->choices[v->i], t), "'%s' = '%s' (choice %ld)",
                  d->name, t, v->i);
        break;
    }
    case WB_PARAM_KEYLIST: {
        long count = 0;
        const char *s = t;
        for (;;) {
            size_t len = strcspn(s, ",");
            WBF_CHECK(key_ok(s, len), "'%s' = key list '%s'", d->name, t);
            count++;
            if (!s[len])
                break;
            s += len + 1;
        }
        WBF_CHECK(count >= 1 && count <= d->max && count == v->i, "'%s' = %ld keys, counted %ld",
                  d->name, count, v->i);
        break;
    }
    case WB_PARAM_NAME:
        WBF_CHECK(n >= 1 && n <= (size_t)d->max, "'%s' = name of %zu bytes", d->name, n);
        for (size_t i = 0; i < n; i++)
            WBF_CHECK((unsigned char)t[i] >= 0x20 && t[i] != 0x7f, "'%s': control character",
                      d->name);
        WBF_CHECK(wbf_utf8_valid(t, n), "'%s' = name that is not UTF-8", d->name);
        break;
    default:
        WBF_CHECK(0, "'%s': unknown kind %d", d->name, (int)d->kind);
    }
}

/* Does @p pattern match the raw @p path ({x} = one non-empty segment)? */
static int pattern_matches(const char *pat, const char *path, size_t plen)
{
    size_t i = 0;
    while (*pat) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            size_t j = i;
            while (j < plen && path[j] != '/')
                j++;
            if (!close || j == i)
                return 0;
            pat = close + 1;
            i = j;
        } else {
            if (i >= plen || path[i] != *pat)
                return 0;
            pat++;
            i++;
        }
    }
    return i == plen;
}

static void check_error_body(const wb_resp *resp)
{
    json_error_t err;
    json_t *b = json_loadb(resp->body.ptr, resp->body.len, JSON_REJECT_DUPLICATES, &err);
    WBF_CHECK(b != NULL, "error body is not JSON (%s): %.*s", err.text, (int)resp->body.len,
              resp->body.ptr ? resp->body.ptr : "");
    const char *msg = json_string_value(json_object_get(b, "error"));
    const char *param = json_string_value(json_object_get(b, "param"));
    WBF_CHECK(json_is_object(b) && msg && msg[0], "error body without an error message");
    if (param) {
        char quoted[300];
        snprintf(quoted, sizeof quoted, "'%s'", param);
        WBF_CHECK(param[0] && strstr(msg, quoted), "message '%s' does not name parameter '%s'", msg,
                  param);
        WBF_CHECK(resp->error_param && !strcmp(resp->error_param, param),
                  "error_param differs from the body's param '%s'", param);
    } else {
        WBF_CHECK(!strcmp(msg, "malformed query string"), "error '%s' names no parameter", msg);
    }
    json_decref(b);
}

WBF_TARGET(http_query)
{
    if (size < 1)
        return 0;
    const char *method = methods[data[0] % 6];
    size_t n = strnlen((const char *)data + 1, size - 1);
    char *uri = malloc(n + 1);
    if (!uri)
        return 0;
    memcpy(uri, data + 1, n);
    uri[n] = 0;
    /* as dispatch() in server.c: path up to '?' or '#', query up to '#' */
    size_t path_len = strcspn(uri, "?#");
    char *query = uri[path_len] == '?' ? uri + path_len + 1 : NULL;
    if (query)
        query[strcspn(query, "#")] = 0;
    int api = (path_len == 4 && !memcmp(uri, "/api", 4)) || (path_len > 4 && !memcmp(uri, "/api/", 5));
    if (!api) {
        free(uri);
        return 0;
    }

    wb_req req;
    wb_resp resp;
    memset(&req, 0, sizeof req);
    memset(&resp, 0, sizeof resp);
    req.method = method;
    wb_match m = wb_web__route(&req, &resp, method, uri, path_len, query);
    wbf_note((int)m);
    switch (m) {
    case WB_MATCH_OK: {
        const wb_route *r = req.route;
        WBF_CHECK(r && (!strcmp(r->method, method) || (!strcmp(method, "HEAD") && !strcmp(r->method, "GET"))),
                  "route for %s has method %s", method, r ? r->method : "-");
        WBF_CHECK(pattern_matches(r->pattern, uri, path_len), "pattern %s does not match %.*s", r->pattern,
                  (int)path_len, uri);
        for (int k = 0; k < WB_MAX_PARAMS && r->params[k].name; k++) {
            const wb_param_def *d = &r->params[k];
            if (d->flags & WB_P_REQUIRED)
                WBF_CHECK(req.p[k].present, "required '%s' absent on %s", d->name, r->pattern);
            if (req.p[k].present)
                check_value(d, &req.p[k]);
        }
        WBF_CHECK(resp.body.len == 0, "accepted request with a response body");
        break;
    }
    case WB_MATCH_BADPARAM:
        WBF_CHECK(req.route != NULL, "parameter error without a route");
        WBF_CHECK(resp.status == 400, "parameter error with status %d", resp.status);
        check_error_body(&resp);
        break;
    case WB_MATCH_METHOD:
        WBF_CHECK(resp.allow[0] != 0, "405 without an Allow list");
        break;
    case WB_MATCH_NOTFOUND:
        WBF_CHECK(resp.body.len == 0, "404 from the router with a body");
        break;
    default:
        WBF_CHECK(0, "router returned %d", (int)m);
    }
    wb_str_dispose(&resp.body);
    free(uri);
    return 0;
}
