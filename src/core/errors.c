/** @file @brief Thread-local last error (libgit2 style). */
#include <stdio.h>
#include <string.h>

#include "wijkbeeld/errors.h"

#define WB_ERRMSG_MAX 1024

static _Thread_local char errbuf[WB_ERRMSG_MAX];
static _Thread_local wb_error last = {WB_ERRCLASS_NONE, "no error"};

const wb_error *wb_error_last(void)
{
    return &last;
}

void wb_error_clear(void)
{
    last.klass = WB_ERRCLASS_NONE;
    last.message = "no error";
}

/* Messages quote input ("got '...'"), cut at a byte count: replace every byte that is not
 * part of a valid UTF-8 sequence (a Windows-1252 file, a sequence cut in two) by '?', so that
 * a message is always valid UTF-8 (a terminal, a JSON error body). Newlines become spaces:
 * the CLI prints exactly one line. */
static void tidy(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        unsigned char b = *p;
        size_t n = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (b < 0x80) {
            if (b == '\n' || b == '\r')
                *p = ' ';
            p++;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF)
            n = 1;
        else if (b >= 0xE0 && b <= 0xEF)
            n = 2, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
        else if (b >= 0xF0 && b <= 0xF4)
            n = 3, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
        size_t k = 1;
        while (n && k <= n && p[k] >= lo && p[k] <= hi) {
            k++;
            lo = 0x80;
            hi = 0xBF;
        }
        if (!n || k <= n) { /* invalid lead byte, or a sequence cut short */
            *p++ = '?';
            continue;
        }
        p += k;
    }
}

void wb_error_vset(int klass, const char *fmt, va_list ap)
{
    vsnprintf(errbuf, sizeof errbuf, fmt, ap);
    tidy(errbuf);
    last.klass = klass;
    last.message = errbuf;
}

void wb_error_set(int klass, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wb_error_vset(klass, fmt, ap);
    va_end(ap);
}

void wb_error_prefix(const char *fmt, ...)
{
    char prefix[512], old[WB_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(old, sizeof old, "%s", last.message);
    snprintf(errbuf, sizeof errbuf, "%s: %s", prefix, old);
    tidy(errbuf);
    last.message = errbuf;
}

const char *wb_strerror(int code)
{
    switch (code) {
    case WB_OK: return "success";
    case WB_ERROR: return "error";
    case WB_ENOTFOUND: return "not found";
    case WB_EINVALID: return "invalid argument";
    case WB_EPARSE: return "malformed input";
    case WB_ENOMEM: return "out of memory";
    case WB_EIO: return "input/output error";
    case WB_ESTORE: return "database error";
    case WB_EDENIED: return "not allowed";
    case WB_ECONFLICT: return "conflict";
    default: return "unknown error code";
    }
}
