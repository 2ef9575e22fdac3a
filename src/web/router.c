/** @file @brief The router: path patterns, typed parameter validation, strict decoding. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/json.h"
#include "web/web_internal.h"

/* Longest decoded parameter value we look at; anything longer is refused. */
#define VALUE_MAX 256

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long wb_web__unescape(char *out, size_t cap, const char *in, size_t len, int plus)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= len)
                return -1;
            int h = hexval(in[i + 1]), l = hexval(in[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            c = (char)(h * 16 + l);
            if (c == 0)
                return -1;
            i += 2;
        } else if (c == '+' && plus) {
            c = ' ';
        } else if (c == 0) {
            return -1;
        }
        if (n + 1 >= cap)
            return -1;
        out[n++] = c;
    }
    out[n] = 0;
    return (long)n;
}

/* Length of the valid UTF-8 sequence at @p p (no overlong forms, surrogates, > U+10FFFF),
 * or 0 when the byte there does not start one. */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char b = p[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        n = 1;
    else if (b >= 0xE0 && b <= 0xEF)
        n = 2, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 3, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    for (size_t k = 1; k <= n; k++) {
        if (p[k] < lo || p[k] > hi) /* also stops at the NUL */
            return 0;
        lo = 0x80;
        hi = 0xBF;
    }
    return n + 1;
}

/* Replace every byte of @p s that is not part of a valid UTF-8 sequence by '?': error bodies
 * quote request input (cut at a byte count), and a JSON body must be valid UTF-8. */
static void utf8_tidy(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t k = utf8_seq(p);
        if (!k)
            *p++ = '?';
        else
            p += k;
    }
}

/* ---------------------------------------------------------------- errors */

void wb_resp_error(wb_resp *resp, int status, const char *param, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_tidy(msg);
    /* a copy: @p param may be the caller's buffer (an unknown parameter's decoded name) */
    resp->param_buf[0] = 0;
    if (param) {
        snprintf(resp->param_buf, sizeof resp->param_buf, "%s", param);
        utf8_tidy(resp->param_buf);
    }
    wb_str_clear(&resp->body);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "error", msg);
    if (param)
        wb_json_kstr(&j, "param", resp->param_buf);
    wb_json_obj_close(&j);
    wb_json_finish(&j); /* out of memory leaves an empty body; the status still goes out */
    resp->status = status;
    resp->type = "application/json";
    resp->error_param = param ? resp->param_buf : NULL;
}

void wb_resp_error_field(wb_resp *resp, int status, const char *field, const char *text)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", text);
    utf8_tidy(msg);
    resp->field_buf[0] = 0;
    if (field) {
        snprintf(resp->field_buf, sizeof resp->field_buf, "%s", field);
    } else {
        /* the library names the field as "field 'X': ..." */
        const char *f = strstr(msg, "field '");
        if (f) {
            f += 7;
            size_t n = strcspn(f, "'");
            if (f[n] == '\'' && n > 0 && n < sizeof resp->field_buf)
                snprintf(resp->field_buf, sizeof resp->field_buf, "%.*s", (int)n, f);
        }
    }
    utf8_tidy(resp->field_buf);
    wb_str_clear(&resp->body);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "error", msg);
    if (resp->field_buf[0])
        wb_json_kstr(&j, "field", resp->field_buf);
    wb_json_obj_close(&j);
    wb_json_finish(&j);
    resp->status = status;
    resp->type = "application/json";
    resp->error_field = resp->field_buf[0] ? resp->field_buf : NULL;
}

/* ---------------------------------------------------------------- validators */

static const char *kind_expect(const wb_param_def *d, char *buf, size_t n)
{
    switch (d->kind) {
    case WB_PARAM_INT:
        snprintf(buf, n, "a whole number from %ld to %ld", d->min, d->max);
        return buf;
    case WB_PARAM_YEAR:
        return "a year from 1900 to 2100";
    case WB_PARAM_LEVEL:
        return "a level: gemeente, wijk, buurt or land";
    case WB_PARAM_INDICATOR:
        return "an indicator key (letters, digits, '_', starting with a letter)";
    case WB_PARAM_CODE:
        return "an area code such as GM0363, WK036300 or BU03630000";
    case WB_PARAM_KEYLIST:
        snprintf(buf, n, "1 to %ld indicator keys separated by commas", d->max);
        return buf;
    case WB_PARAM_NAME:
        snprintf(buf, n, "a name of 1 to %ld characters", d->max);
        return buf;
    case WB_PARAM_ENUM: {
        size_t off = (size_t)snprintf(buf, n, "one of");
        for (const char *const *c = d->choices; *c && off < n; c++)
            off += (size_t)snprintf(buf + off, n - off, "%s %s", c == d->choices ? "" : ",", *c);
        return buf;
    }
    default:
        return "a valid value";
    }
}

static int parse_long(const char *s, long *out)
{
    if (!*s || isspace((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno == ERANGE || *end)
        return -1;
    *out = v;
    return 0;
}

/* Validate @p s (decoded, NUL-terminated) against @p d into @p v. 0 or -1. */
static int validate(const wb_param_def *d, const char *s, size_t len, wb_param_val *v)
{
    memset(v, 0, sizeof *v);
    if (len == 0)
        return -1;
    switch (d->kind) {
    case WB_PARAM_INT:
        if (parse_long(s, &v->i) < 0 || v->i < d->min || v->i > d->max)
            return -1;
        break;
    case WB_PARAM_YEAR:
        if (len != 4 || parse_long(s, &v->i) < 0 || v->i < 1900 || v->i > 2100)
            return -1;
        break;
    case WB_PARAM_LEVEL:
        for (size_t i = 0; i < len; i++)
            if (!isalpha((unsigned char)s[i]))
                return -1;
        if (wb_level_parse(&v->level, s) < 0 || v->level == WB_LEVEL_OTHER)
            return -1;
        snprintf(v->text, sizeof v->text, "%s", wb_level_name(v->level));
        break;
    case WB_PARAM_INDICATOR:
        if (len > 63 || !isalpha((unsigned char)s[0]))
            return -1;
        for (size_t i = 0; i < len; i++)
            if (!isalnum((unsigned char)s[i]) && s[i] != '_')
                return -1;
        memcpy(v->text, s, len + 1);
        break;
    case WB_PARAM_NAME:
        if (len > (size_t)d->max || len >= sizeof v->text)
            return -1;
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return -1;
        for (size_t i = 0, k; i < len; i += k) /* UTF-8, as declared (a name is echoed in JSON) */
            if (!(k = utf8_seq((const unsigned char *)s + i)))
                return -1;
        memcpy(v->text, s, len + 1);
        break;
    case WB_PARAM_KEYLIST: {
        if (len >= sizeof v->text)
            return -1;
        long count = 0;
        for (size_t i = 0; i <= len; i++) {
            size_t start = i;
            while (i < len && s[i] != ',')
                i++;
            size_t klen = i - start;
            if (klen == 0 || klen > 63 || !isalpha((unsigned char)s[start]))
                return -1;
            for (size_t k = start; k < i; k++)
                if (!isalnum((unsigned char)s[k]) && s[k] != '_')
                    return -1;
            count++;
        }
        if (count < 1 || count > d->max)
            return -1;
        memcpy(v->text, s, len + 1);
        v->i = count;
        break;
    }
    case WB_PARAM_CODE: {
        /* wb_code_normalize tolerates spaces and quotes from files; a URL must be exact */
        for (size_t i = 0; i < len; i++)
            if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
                return -1;
        if (len >= WB_CODE_MAX || s[0] == '.' || s[0] == '-')
            return -1;
        char code[WB_CODE_MAX];
        if (wb_code_normalize(code, &v->level, s, len, WB_LEVEL__MAX) < 0)
            return -1;
        snprintf(v->text, sizeof v->text, "%s", code);
        break;
    }
    case WB_PARAM_ENUM:
        for (long k = 0; d->choices[k]; k++)
            if (!strcmp(d->choices[k], s)) {
                v->i = k;
                snprintf(v->text, sizeof v->text, "%s", s);
                v->present = 1;
                return 0;
            }
        return -1;
    default:
        return -1;
    }
    v->present = 1;
    return 0;
}

static int bad_param(wb_resp *resp, const wb_param_def *d, const char *name, const char *raw)
{
    char buf[256];
    if (!d) {
        /* the name as given, cut to 40 bytes (wb_resp_error makes it UTF-8) */
        char shown[48];
        snprintf(shown, sizeof shown, "%.40s", name);
        utf8_tidy(shown);
        wb_resp_error(resp, 400, shown, "unknown parameter '%s'", shown);
    } else {
        /* echo at most 40 characters of the value; JSON escaping makes it harmless */
        wb_resp_error(resp, 400, d->name, "parameter '%s': expected %s, got '%.40s'", d->name,
                      kind_expect(d, buf, sizeof buf), raw);
    }
    return WB_MATCH_BADPARAM;
}

/* ---------------------------------------------------------------- matching */

/* Compare a pattern with the raw path; on a match fill the path parameters' raw spans. */
typedef struct {
    const char *name;
    size_t name_len;
    const char *raw;
    size_t raw_len;
} path_arg;

static int match_pattern(const char *pat, const char *path, size_t plen, path_arg *args, int *nargs)
{
    size_t i = 0;
    const char *p = pat;
    *nargs = 0;
    while (*p && i <= plen) {
        if (*p != '/' || i >= plen || path[i] != '/')
            return 0;
        p++;
        i++;
        const char *pe = strchr(p, '/');
        size_t seglen = pe ? (size_t)(pe - p) : strlen(p);
        size_t j = i;
        while (j < plen && path[j] != '/')
            j++;
        if (seglen >= 2 && p[0] == '{' && p[seglen - 1] == '}') {
            if (j == i || *nargs >= 4)
                return 0;
            args[*nargs].name = p + 1;
            args[*nargs].name_len = seglen - 2;
            args[*nargs].raw = path + i;
            args[*nargs].raw_len = j - i;
            (*nargs)++;
        } else if (j - i != seglen || memcmp(path + i, p, seglen) != 0) {
            return 0; /* literal segments match only unencoded */
        }
        p += seglen;
        i = j;
    }
    return !*p && i == plen;
}

static const wb_param_def *find_def(const wb_route *r, const char *name, size_t len, int *idx)
{
    for (int k = 0; k < WB_MAX_PARAMS && r->params[k].name; k++)
        if (strlen(r->params[k].name) == len && !memcmp(r->params[k].name, name, len)) {
            *idx = k;
            return &r->params[k];
        }
    return NULL;
}

static int method_is(const char *route_method, const char *method)
{
    if (!strcmp(route_method, method))
        return 1;
    return !strcmp(method, "HEAD") && !strcmp(route_method, "GET");
}

wb_match wb_web__route(wb_req *req, wb_resp *resp, const char *method, const char *path,
                       size_t path_len, const char *query)
{
    const wb_route *found = NULL;
    path_arg args[4];
    int nargs = 0, path_known = 0;
    resp->allow[0] = 0;
    for (size_t r = 0; r < wb_web__nroutes; r++) {
        path_arg a[4];
        int na;
        if (!match_pattern(wb_web__routes[r].pattern, path, path_len, a, &na))
            continue;
        path_known = 1;
        if (method_is(wb_web__routes[r].method, method)) {
            found = &wb_web__routes[r];
            memcpy(args, a, sizeof a);
            nargs = na;
            break;
        }
        /* collect the Allow header: each method once, GET implies HEAD */
        const char *m = wb_web__routes[r].method;
        if (!strstr(resp->allow, m)) {
            size_t off = strlen(resp->allow);
            snprintf(resp->allow + off, sizeof resp->allow - off, "%s%s%s", off ? ", " : "", m,
                     !strcmp(m, "GET") ? ", HEAD" : "");
        }
    }
    if (!found)
        return path_known ? WB_MATCH_METHOD : WB_MATCH_NOTFOUND;
    req->route = found;
    memset(req->p, 0, sizeof req->p);
    char val[VALUE_MAX + 1], name[VALUE_MAX + 1];

    /* path parameters */
    for (int k = 0; k < nargs; k++) {
        int idx;
        const wb_param_def *d = find_def(found, args[k].name, args[k].name_len, &idx);
        assert(d && (d->flags & WB_P_PATH)); /* the table declares every {param} */
        long n = wb_web__unescape(val, sizeof val, args[k].raw, args[k].raw_len, 0);
        if (n < 0 || validate(d, val, (size_t)n, &req->p[idx]) < 0)
            return bad_param(resp, d, d->name, n < 0 ? "(malformed escape)" : val);
    }

    /* query parameters: k=v pairs separated by '&'; empty pieces are ignored */
    const char *q = query;
    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t plen = amp ? (size_t)(amp - q) : strlen(q);
        if (plen > 0) {
            const char *eq = memchr(q, '=', plen);
            size_t klen = eq ? (size_t)(eq - q) : plen;
            long nk = wb_web__unescape(name, sizeof name, q, klen, 1);
            if (nk <= 0) {
                wb_resp_error(resp, 400, NULL, "malformed query string");
                return WB_MATCH_BADPARAM;
            }
            int idx;
            const wb_param_def *d = find_def(found, name, (size_t)nk, &idx);
            if (!d || (d->flags & WB_P_PATH))
                return bad_param(resp, NULL, name, NULL);
            if (req->p[idx].present) {
                wb_resp_error(resp, 400, d->name, "parameter '%s' given more than once", d->name);
                return WB_MATCH_BADPARAM;
            }
            long nv = eq ? wb_web__unescape(val, sizeof val, eq + 1, plen - klen - 1, 1) : 0;
            if (nv < 0)
                return bad_param(resp, d, d->name, "(malformed or too long)");
            if (!eq)
                val[0] = 0;
            if (validate(d, val, (size_t)nv, &req->p[idx]) < 0)
                return bad_param(resp, d, d->name, val);
        }
        q = amp ? amp + 1 : NULL;
    }

    for (int k = 0; k < WB_MAX_PARAMS && found->params[k].name; k++)
        if ((found->params[k].flags & WB_P_REQUIRED) && !req->p[k].present) {
            char buf[256];
            wb_resp_error(resp, 400, found->params[k].name, "parameter '%s' is required: %s",
                          found->params[k].name, kind_expect(&found->params[k], buf, sizeof buf));
            return WB_MATCH_BADPARAM;
        }
    return WB_MATCH_OK;
}

/* ---------------------------------------------------------------- accessors */

const wb_param_val *wb_req_param(const wb_req *req, const char *name)
{
    for (int k = 0; k < WB_MAX_PARAMS && req->route->params[k].name; k++)
        if (!strcmp(req->route->params[k].name, name))
            return &req->p[k];
    assert(!"handler reads a parameter its route does not declare");
    static const wb_param_val none;
    return &none;
}

int wb_req_has(const wb_req *req, const char *name)
{
    return wb_req_param(req, name)->present;
}

long wb_req_int(const wb_req *req, const char *name)
{
    return wb_req_param(req, name)->i;
}

const char *wb_req_text(const wb_req *req, const char *name)
{
    return wb_req_param(req, name)->text;
}

wb_level wb_req_level(const wb_req *req, const char *name)
{
    const wb_param_val *v = wb_req_param(req, name);
    return v->present ? v->level : WB_LEVEL__MAX;
}
