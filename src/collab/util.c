/** @file @brief Collaboration helpers: audit entries, validation, lookups. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collab/collab_internal.h"

void *wbc_vec_push(wbc_vec *vec)
{
    if (wb__grow(&vec->v, &vec->cap, vec->n + 1, vec->elem) < 0)
        return NULL;
    void *e = (char *)vec->v + vec->n++ * vec->elem;
    memset(e, 0, vec->elem);
    return e;
}

char *wbc_strdup(const char *t)
{
    return t ? wb_strdup(t) : NULL;
}

int64_t wbc_now(const wb_auth_opts *o)
{
    return o && o->now ? o->now : (int64_t)time(NULL);
}

/* ---------------------------------------------------------------- audit */

int wbc_audit(wb_store *st, const wb_actor *a, const char *action, const char *entity,
              int64_t entity_id, json_t *before, json_t *after)
{
    char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
    char *f = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(before);
    json_decref(after);
    int error;
    if ((before && !b) || (after && !f))
        error = WB_ENOMEM;
    else
        error = wb_reg__audit_add(st, a ? a->user_id : 0, a && a->name[0] ? a->name : "anonymous",
                                  action, entity, entity_id, b, f);
    free(b);
    free(f);
    return error;
}

/* ---------------------------------------------------------------- validation */

size_t wbc_utf8_len(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = 0;
    while (*s) {
        unsigned c = *s;
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            k = 0;
            cp = c;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3;
            cp = c & 0x07;
        } else {
            return (size_t)-1;
        }
        for (size_t j = 1; j <= k; j++) {
            if ((s[j] & 0xC0) != 0x80)
                return (size_t)-1;
            cp = (cp << 6) | (s[j] & 0x3F);
        }
        /* overlong forms, surrogates and values beyond U+10FFFF are not UTF-8 */
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return (size_t)-1;
        s += k + 1;
        n++;
    }
    return n;
}

int wbc_check_text(const char *field, const char *s, size_t min, size_t max, int multiline)
{
    if (!s)
        s = "";
    size_t n = wbc_utf8_len(s);
    if (n == (size_t)-1) {
        wb_error_set(WB_ERRCLASS_ARG, "field '%s': not valid UTF-8 text", field);
        return WB_EINVALID;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 || *p == 0x7F) && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) {
            wb_error_set(WB_ERRCLASS_ARG, "field '%s': control character 0x%02x not allowed%s",
                         field, *p, multiline ? "" : " (one line of text expected)");
            return WB_EINVALID;
        }
    }
    if (n < min) {
        wb_error_set(WB_ERRCLASS_ARG, min == 1 ? "field '%s': required, got an empty value"
                                               : "field '%s': too short (at least %zu characters)",
                     field, min);
        return WB_EINVALID;
    }
    if (n > max) {
        wb_error_set(WB_ERRCLASS_ARG, "field '%s': too long (%zu characters, at most %zu)", field,
                     n, max);
        return WB_EINVALID;
    }
    return 0;
}

int wbc_check_oneof(const char *field, const char *s, const char *const *allowed)
{
    for (size_t i = 0; s && allowed[i]; i++)
        if (!strcmp(s, allowed[i]))
            return 0;
    wb_str list = WB_STR_INIT;
    for (size_t i = 0; allowed[i]; i++)
        wb_str_printf(&list, "%s%s", i ? ", " : "", allowed[i]);
    /* quote only printable prefixes of what was given; it may be hostile */
    char shown[64];
    size_t k = 0;
    for (const char *p = s ? s : ""; *p && k + 1 < sizeof shown; p++)
        shown[k++] = ((unsigned char)*p < 0x20) ? '?' : *p;
    shown[k] = 0;
    wb_error_set(WB_ERRCLASS_ARG, "field '%s': expected one of %s, got '%s'", field,
                 wb_str_cstr(&list), shown);
    wb_str_dispose(&list);
    return WB_EINVALID;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int wbc_parse_date(char out[11], const char *field, const char *s)
{
    out[0] = 0;
    if (!s || !*s)
        return 0;
    int y = 0, m = 0, d = 0;
    size_t n = strlen(s);
    if (n == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) && all_digits(s + 5, 2) &&
        all_digits(s + 8, 2)) {
        y = atoi(s);
        m = atoi(s + 5);
        d = atoi(s + 8);
    } else {
        /* Dutch spreadsheets: D-M-YYYY or DD-MM-YYYY */
        const char *p = s;
        char *end;
        long dd = strtol(p, &end, 10);
        if (end > p && end - p <= 2 && *end == '-') {
            p = end + 1;
            long mm = strtol(p, &end, 10);
            if (end > p && end - p <= 2 && *end == '-') {
                p = end + 1;
                if (strlen(p) == 4 && all_digits(p, 4)) {
                    y = atoi(p);
                    m = (int)mm;
                    d = (int)dd;
                }
            }
        }
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] + (m == 2 && leap(y))) {
        char shown[32];
        snprintf(shown, sizeof shown, "%s", s);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
        wb_error_set(WB_ERRCLASS_ARG,
                     "field '%s': expected a date YYYY-MM-DD (or DD-MM-YYYY) from 1900 to 2200, got '%s'",
                     field, shown);
        return WB_EINVALID;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

long wbc_days(const char *iso)
{
    /* days from civil (H. Hinnant's algorithm), proleptic Gregorian calendar */
    long y = atol(iso), m = atol(iso + 5), d = atol(iso + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ---------------------------------------------------------------- lookups */

int wbc_area_id(wb_store *st, int64_t *id, const char *field, const char *code, int year,
                int allow_gemeente)
{
    char norm[WB_CODE_MAX];
    wb_level level;
    if (!code || !*code) {
        wb_error_set(WB_ERRCLASS_ARG, "field '%s': empty area code", field);
        return WB_EINVALID;
    }
    if (wb_code_normalize(norm, &level, code, strlen(code), WB_LEVEL__MAX) < 0) {
        wb_error_prefix("field '%s'", field);
        return WB_EINVALID;
    }
    if (level != WB_LEVEL_BUURT && level != WB_LEVEL_WIJK &&
        !(allow_gemeente && level == WB_LEVEL_GEMEENTE)) {
        wb_error_set(WB_ERRCLASS_ARG, "field '%s': %s is not a buurt%s or wijk code", field, norm,
                     allow_gemeente ? ", gemeente" : "");
        return WB_EINVALID;
    }
    if (year < 1800 || year > 2200) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'area_year': a boundary year is needed for area %s",
                     norm);
        return WB_EINVALID;
    }
    int error = wb_store_area_find(st, id, norm, year);
    if (error == WB_ENOTFOUND) {
        wb_error_set(WB_ERRCLASS_ARG, "field '%s': unknown area code %s for boundary year %d",
                     field, norm, year);
        return WB_EINVALID;
    }
    return error;
}

int wbc_theme_id(wb_store *st, int64_t *id, const char *field, const char *name)
{
    int error = wb_reg__theme_by_name(st, id, name);
    if (error == WB_ENOTFOUND) {
        char shown[80];
        snprintf(shown, sizeof shown, "%s", name ? name : "");
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
        wb_error_set(WB_ERRCLASS_ARG,
                     "field '%s': unknown theme '%s' (see 'wijkbeeld theme list'; the admin can add one)",
                     field, shown);
        error = WB_EINVALID;
    }
    return error;
}

int wbc_known_target(const char *key)
{
    /* the shared indicator vocabulary of the project (BRIEF), usable before any import */
    static const char *const known[] = {
        "lbm", "lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv", "lbm_klasse",
        "a_inw", "a_hh", "a_woning", "bev_dich", "g_woz", "p_koopw", "p_huurw", "p_wcorpw",
        "g_ink_pi", "p_hh_li", "a_soz_wb", "p_soz_wb", "g_misdr", "g_ele", "g_gas",
        "p_stadsv", "g_afs_hp", "g_afs_gs", "a_w_all", "a_nw_all", "p_opl_laag",
        "p_opl_mid", "p_opl_hoog", "ses_woa", NULL};
    for (size_t i = 0; known[i]; i++)
        if (!strcmp(known[i], key))
            return 1;
    return 0;
}
