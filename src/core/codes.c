/** @file @brief Area levels and CBS area codes (GMxxxx, WKxxxxxx, BUxxxxxxxx, NL00). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "wijkbeeld/core.h"
#include "wijkbeeld/errors.h"

static const char *const level_names[WB_LEVEL__MAX] = {"land", "gemeente", "wijk", "buurt",
                                                       "other"};

const char *wb_level_name(wb_level level)
{
    return (unsigned)level < WB_LEVEL__MAX ? level_names[level] : NULL;
}

int wb_level_parse(wb_level *out, const char *name)
{
    static const struct {
        const char *name;
        wb_level level;
    } tab[] = {
        {"land", WB_LEVEL_LAND},         {"nl", WB_LEVEL_LAND},
        {"country", WB_LEVEL_LAND},      {"nederland", WB_LEVEL_LAND},
        {"gemeente", WB_LEVEL_GEMEENTE}, {"gm", WB_LEVEL_GEMEENTE},
        {"municipality", WB_LEVEL_GEMEENTE}, {"gemeenten", WB_LEVEL_GEMEENTE},
        {"wijk", WB_LEVEL_WIJK},         {"wk", WB_LEVEL_WIJK},
        {"district", WB_LEVEL_WIJK},     {"wijken", WB_LEVEL_WIJK},
        {"buurt", WB_LEVEL_BUURT},       {"bu", WB_LEVEL_BUURT},
        {"neighbourhood", WB_LEVEL_BUURT}, {"neighborhood", WB_LEVEL_BUURT},
        {"buurten", WB_LEVEL_BUURT},     {"other", WB_LEVEL_OTHER},
    };
    for (size_t i = 0; name && i < sizeof tab / sizeof tab[0]; i++) {
        if (!strcasecmp(name, tab[i].name)) {
            *out = tab[i].level;
            return 0;
        }
    }
    wb_error_set(WB_ERRCLASS_ARG, "unknown level '%s': expected land, gemeente, wijk, buurt or other",
                 name ? name : "");
    return WB_EINVALID;
}

static int digits_only(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    return n > 0;
}

/* A CBS code body: the 4-digit gemeente number, then (wijk, buurt) two characters per level
 * that are digits, or since 2022 upper-case letters (Amsterdam: WK0363AA, BU0363AA01). */
static int cbs_body(const char *p, size_t n)
{
    if (n < 4 || !digits_only(p, 4))
        return 0;
    for (size_t i = 4; i < n; i++)
        if (!isdigit((unsigned char)p[i]) && !(p[i] >= 'A' && p[i] <= 'Z'))
            return 0;
    return 1;
}

static const struct {
    const char *prefix;
    size_t ndigits;
    wb_level level;
} cbs[] = {{"GM", 4, WB_LEVEL_GEMEENTE}, {"WK", 6, WB_LEVEL_WIJK}, {"BU", 8, WB_LEVEL_BUURT}};

int wb_code_normalize(char out[WB_CODE_MAX], wb_level *level, const char *in, size_t len,
                      wb_level hint)
{
    /* trim spaces, tabs and quotes that survive from padded fixed-width exports */
    while (len && (isspace((unsigned char)*in) || *in == '"' || *in == '\'')) {
        in++;
        len--;
    }
    while (len && (isspace((unsigned char)in[len - 1]) || in[len - 1] == '"' || in[len - 1] == '\'')) {
        len--;
    }
    if (len == 0) {
        wb_error_set(WB_ERRCLASS_ARG, "empty area code");
        return WB_EINVALID;
    }
    if (len >= WB_CODE_MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "area code of %zu characters: expected at most %d", len,
                     WB_CODE_MAX - 1);
        return WB_EINVALID;
    }
    char up[WB_CODE_MAX];
    for (size_t i = 0; i < len; i++)
        up[i] = (char)toupper((unsigned char)in[i]);
    up[len] = 0;

    if (len == 4 && !strcmp(up, "NL00")) {
        memcpy(out, "NL00", 5);
        if (level)
            *level = WB_LEVEL_LAND;
        return 0;
    }
    for (size_t k = 0; k < 3; k++) {
        if (len >= 2 && !strncmp(up, cbs[k].prefix, 2)) {
            if (len - 2 != cbs[k].ndigits || !cbs_body(up + 2, len - 2)) {
                wb_error_set(WB_ERRCLASS_ARG,
                             "malformed area code '%s': expected %s followed by %zu digits%s", up,
                             cbs[k].prefix, cbs[k].ndigits,
                             k ? " (after the first 4, letters A-Z are allowed too)" : "");
                return WB_EINVALID;
            }
            memcpy(out, up, len + 1);
            if (level)
                *level = cbs[k].level;
            return 0;
        }
    }
    if (digits_only(up, len)) {
        for (size_t k = 0; k < 3; k++) {
            int fits = hint == cbs[k].level ? len <= cbs[k].ndigits
                                            : (hint == WB_LEVEL__MAX && len == cbs[k].ndigits);
            if (fits) {
                snprintf(out, WB_CODE_MAX, "%s%0*d", cbs[k].prefix, (int)cbs[k].ndigits, 0);
                memcpy(out + 2 + cbs[k].ndigits - len, up, len);
                if (level)
                    *level = cbs[k].level;
                return 0;
            }
        }
        wb_error_set(WB_ERRCLASS_ARG,
                     "area code '%s' has no GM/WK/BU prefix: expected 4, 6 or 8 digits, "
                     "or give the level",
                     up);
        return WB_EINVALID;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (!isalnum(c) && c != '_' && c != '-' && c != '.') {
            wb_error_set(WB_ERRCLASS_ARG,
                         "malformed area code '%.*s': unexpected character at position %zu",
                         (int)len, in, i + 1);
            return WB_EINVALID;
        }
    }
    memcpy(out, in, len);
    out[len] = 0;
    if (level)
        *level = WB_LEVEL_OTHER;
    return 0;
}

int wb_code_parent(char out[WB_CODE_MAX], const char *code)
{
    size_t len = strlen(code);
    if (len == 10 && !strncmp(code, "BU", 2) && cbs_body(code + 2, 8)) {
        memcpy(out, "WK", 2);
        memcpy(out + 2, code + 2, 6);
        out[8] = 0;
        return 0;
    }
    if (len == 8 && !strncmp(code, "WK", 2) && cbs_body(code + 2, 6)) {
        memcpy(out, "GM", 2);
        memcpy(out + 2, code + 2, 4);
        out[6] = 0;
        return 0;
    }
    if (len == 6 && !strncmp(code, "GM", 2) && digits_only(code + 2, 4)) {
        memcpy(out, "NL00", 5);
        return 0;
    }
    out[0] = 0;
    return WB_ENOTFOUND;
}

long wb__code_find(const char *first, size_t n, size_t stride, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(first + mid * stride, code);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
