/**
 * @file
 * @brief Checks of the header text a client sends: content negotiation, conditional
 * requests, the origin of state-changing requests, proxy addresses, Content-Length, and the
 * escaping of anything client-controlled that goes into the access log.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/conn.h"

int wb_http__accepts_gzip(const char *ae)
{
    if (!ae)
        return 0;
    const char *p = ae;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t tlen = (size_t)(p - tok);
        double q = 1;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                    q = strtod(p + 2, NULL);
            } else {
                p++;
            }
        }
        if (((tlen == 4 && !strncasecmp(tok, "gzip", 4)) || (tlen == 1 && tok[0] == '*')) && q > 0)
            return 1;
    }
    return 0;
}

int wb_http__etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return 0;
    size_t elen = strlen(etag);
    const char *p = inm;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '*')
            return 1;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *tok = p;
        if (*p == '"') {
            p++;
            while (*p && *p != '"')
                p++;
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',')
                p++;
        }
        if ((size_t)(p - tok) == elen && !memcmp(tok, etag, elen))
            return 1;
        while (*p && *p != ',')
            p++;
    }
    return 0;
}

int wb_http__same_origin(const char *site, const char *origin, const char *host, int https)
{
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return 0;
    if (!origin)
        return 1;
    /* Origin is scheme "://" host [":" port], exactly; Host is host [":" port]. An http
     * page must not post to the https site (or the reverse): they are different origins. */
    const char *scheme = https ? "https://" : "http://";
    size_t sl = strlen(scheme);
    return host && *host && !strncasecmp(origin, scheme, sl) && !strcasecmp(origin + sl, host);
}

int wb_http__normalise_ip(char *out, size_t n, const char *in, size_t len)
{
    char buf[64];
    unsigned char bin[16];
    while (len && (*in == ' ' || *in == '\t'))
        in++, len--;
    while (len && (in[len - 1] == ' ' || in[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof buf || memchr(in, 0, len))
        return -1;
    memcpy(buf, in, len);
    buf[len] = 0;
    if (inet_pton(AF_INET, buf, bin) == 1)
        return inet_ntop(AF_INET, bin, out, (socklen_t)n) ? 0 : -1;
    if (inet_pton(AF_INET6, buf, bin) == 1)
        return inet_ntop(AF_INET6, bin, out, (socklen_t)n) ? 0 : -1;
    return -1;
}

void wb_http__log_escape(char *out, size_t n, const char *in, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (n == 0)
        return;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        char esc[5];
        size_t el;
        if (c == '\\') {
            esc[0] = esc[1] = '\\';
            el = 2;
        } else if (c < 0x20 || c == 0x7f) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 15];
            el = 4;
        } else {
            esc[0] = (char)c;
            el = 1;
        }
        if (o + el > n - 1)
            break;
        memcpy(out + o, esc, el);
        o += el;
    }
    out[o] = 0;
}

int wb_http__check_content_length(const char *const *values, size_t count)
{
    /* RFC 9112 6.3: several Content-Length headers with different values make the message
     * length unknowable: a request smuggling vector between a proxy and us. Refuse. */
    for (size_t i = 1; i < count; i++)
        if (!values[0] || !values[i] || strcmp(values[0], values[i]))
            return 400;
    return 0;
}
