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

void wb_error_vset(int klass, const char *fmt, va_list ap)
{
    vsnprintf(errbuf, sizeof errbuf, fmt, ap);
    /* one line: fold newlines so that the CLI prints exactly one line */
    for (char *p = errbuf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
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
