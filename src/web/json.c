/** @file @brief The streaming JSON writer (see json.h). */
#include "web/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkbeeld/errors.h"

void wb_json_init(wb_json *j, wb_str *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

static void put(wb_json *j, const char *s, size_t n)
{
    if (!j->error && wb_str_put(j->out, s, n) < 0)
        j->error = WB_ENOMEM;
}

/* Before any value: a comma when the enclosing container already has an element. */
static void sep(wb_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth - 1])
            put(j, ",", 1);
        j->first[j->depth - 1] = 0;
    }
}

static void jopen(wb_json *j, char c)
{
    sep(j);
    if (j->depth >= WB_JSON_MAX_DEPTH) {
        if (!j->error)
            j->error = WB_EINVALID;
        return;
    }
    put(j, &c, 1);
    j->kind[j->depth] = c;
    j->first[j->depth++] = 1;
}

static void jclose(wb_json *j, char c)
{
    if (j->depth <= 0 || j->after_key || j->kind[j->depth - 1] != (c == '}' ? '{' : '[')) {
        if (!j->error)
            j->error = WB_EINVALID;
        return;
    }
    j->depth--;
    put(j, &c, 1);
}

void wb_json_obj_open(wb_json *j)
{
    jopen(j, '{');
}

void wb_json_obj_close(wb_json *j)
{
    jclose(j, '}');
}

void wb_json_arr_open(wb_json *j)
{
    jopen(j, '[');
}

void wb_json_arr_close(wb_json *j)
{
    jclose(j, ']');
}

int wb_json_escape(wb_str *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    int rc = wb_str_putc(out, '"');
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        size_t elen = 0;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            elen = 2;
        } else if (c == '\n') {
            memcpy(esc, "\\n", 2);
            elen = 2;
        } else if (c == '\r') {
            memcpy(esc, "\\r", 2);
            elen = 2;
        } else if (c == '\t') {
            memcpy(esc, "\\t", 2);
            elen = 2;
        } else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        } else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
            /* U+2028/U+2029 are valid in JSON but end a line in older JavaScript */
            memcpy(esc, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
            elen = 6;
            if (i > run)
                rc = wb_str_put(out, s + run, i - run);
            if (rc == 0)
                rc = wb_str_put(out, esc, elen);
            i += 2;
            run = i + 1;
            continue;
        }
        if (elen) {
            if (i > run)
                rc = wb_str_put(out, s + run, i - run);
            if (rc == 0)
                rc = wb_str_put(out, esc, elen);
            run = i + 1;
        }
    }
    if (rc == 0 && n > run)
        rc = wb_str_put(out, s + run, n - run);
    if (rc == 0)
        rc = wb_str_putc(out, '"');
    return rc;
}

void wb_json_key(wb_json *j, const char *key)
{
    if (j->depth <= 0 || j->after_key || j->kind[j->depth - 1] != '{') {
        if (!j->error)
            j->error = WB_EINVALID;
        return;
    }
    sep(j);
    if (!j->error && wb_json_escape(j->out, key, strlen(key)) < 0)
        j->error = WB_ENOMEM;
    put(j, ":", 1);
    j->after_key = 1;
}

void wb_json_strn(wb_json *j, const char *s, size_t n)
{
    sep(j);
    if (!j->error && wb_json_escape(j->out, s, n) < 0)
        j->error = WB_ENOMEM;
}

void wb_json_str(wb_json *j, const char *s)
{
    if (!s)
        wb_json_null(j);
    else
        wb_json_strn(j, s, strlen(s));
}

void wb_json_null(wb_json *j)
{
    sep(j);
    put(j, "null", 4);
}

void wb_json_bool(wb_json *j, int v)
{
    sep(j);
    put(j, v ? "true" : "false", v ? 4 : 5);
}

void wb_json_int(wb_json *j, long long v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", v);
    sep(j);
    put(j, buf, (size_t)n);
}

void wb_json_num(wb_json *j, double v)
{
    if (!isfinite(v)) {
        wb_json_null(j);
        return;
    }
    char buf[40];
    int n;
    if (v == floor(v) && fabs(v) < 1e15) {
        n = snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        n = snprintf(buf, sizeof buf, "%.15g", v);
        if (strtod(buf, NULL) != v)
            n = snprintf(buf, sizeof buf, "%.17g", v);
    }
    sep(j);
    put(j, buf, (size_t)n);
}

void wb_json_fixed(wb_json *j, double v, int decimals)
{
    if (!isfinite(v)) {
        wb_json_null(j);
        return;
    }
    char buf[48];
    int n = snprintf(buf, sizeof buf, "%.*f", decimals, v);
    /* trim trailing zeros: 5.10000 -> 5.1, 4.00000 -> 4 */
    if (memchr(buf, '.', (size_t)n)) {
        while (n > 0 && buf[n - 1] == '0')
            n--;
        if (n > 0 && buf[n - 1] == '.')
            n--;
    }
    if (n == 2 && buf[0] == '-' && buf[1] == '0')
        buf[0] = '0', n = 1;
    sep(j);
    put(j, buf, (size_t)n);
}

void wb_json_raw(wb_json *j, const char *raw, size_t n)
{
    sep(j);
    put(j, raw, n);
}

void wb_json_kstr(wb_json *j, const char *key, const char *s)
{
    wb_json_key(j, key);
    wb_json_str(j, s);
}

void wb_json_knum(wb_json *j, const char *key, double v)
{
    wb_json_key(j, key);
    wb_json_num(j, v);
}

void wb_json_kint(wb_json *j, const char *key, long long v)
{
    wb_json_key(j, key);
    wb_json_int(j, v);
}

int wb_json_finish(wb_json *j)
{
    if (!j->error && (j->depth != 0 || j->after_key))
        j->error = WB_EINVALID;
    if (j->error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory writing JSON");
    else if (j->error)
        wb_error_set(WB_ERRCLASS_JSON, "JSON writer misused (unbalanced or too deep)");
    return j->error;
}
