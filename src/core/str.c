/** @file @brief Growable strings. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "wijkbeeld/core.h"
#include "wijkbeeld/errors.h"

static int grow(wb_str *s, size_t extra)
{
    size_t need = s->len + extra + 1;
    if (need <= s->cap)
        return 0;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = wb_realloc(s->ptr, cap);
    if (!p)
        return WB_ENOMEM;
    s->ptr = p;
    s->cap = cap;
    return 0;
}

int wb_str_put(wb_str *s, const char *p, size_t n)
{
    if (grow(s, n) < 0)
        return WB_ENOMEM;
    if (n)
        memcpy(s->ptr + s->len, p, n);
    s->len += n;
    s->ptr[s->len] = 0;
    return 0;
}

int wb_str_puts(wb_str *s, const char *p)
{
    return wb_str_put(s, p, strlen(p));
}

int wb_str_putc(wb_str *s, char c)
{
    return wb_str_put(s, &c, 1);
}

int wb_str_printf(wb_str *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return WB_ERROR;
    if ((size_t)n < sizeof small)
        return wb_str_put(s, small, (size_t)n);
    if (grow(s, (size_t)n) < 0)
        return WB_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(s->ptr + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
    return 0;
}

void wb_str_clear(wb_str *s)
{
    s->len = 0;
    if (s->ptr)
        s->ptr[0] = 0;
}

void wb_str_dispose(wb_str *s)
{
    wb_free(s->ptr);
    s->ptr = NULL;
    s->len = s->cap = 0;
}

char *wb_str_detach(wb_str *s)
{
    char *p = s->ptr ? s->ptr : wb_strdup("");
    s->ptr = NULL;
    s->len = s->cap = 0;
    return p;
}

const char *wb_str_cstr(const wb_str *s)
{
    return s->ptr ? s->ptr : "";
}

int wb_csv_formula(const char *s)
{
    if (!s || !*s || !strchr("=+-@\t\r", s[0]))
        return 0;
    if (s[0] == '-' || s[0] == '+') { /* a plain number is data, not a formula */
        char *end;
        double v = strtod(s, &end);
        if (end != s && !*end && isfinite(v))
            return 0;
    }
    return 1;
}

int wb__utf8_lead(unsigned char b0, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF)
        return 1;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (b0 == 0xE0)
            *lo = 0xA0; /* overlong */
        else if (b0 == 0xED)
            *hi = 0x9F; /* surrogates */
        return 2;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (b0 == 0xF0)
            *lo = 0x90; /* overlong */
        else if (b0 == 0xF4)
            *hi = 0x8F; /* beyond U+10FFFF */
        return 3;
    }
    return -1;
}
