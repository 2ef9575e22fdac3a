/** @file @brief Collaboration helpers: transactions, audit entries, validation, SQLite. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collab/collab_internal.h"

/* ---------------------------------------------------------------- transactions */

int wbc_tx_begin(wb_store *st, wbc_tx *tx)
{
    sqlite3 *db = wb_store__db(st);
    if (sqlite3_get_autocommit(db)) {
        tx->own = 1;
        return wb_store_begin(st);
    }
    tx->own = 0;
    if (sqlite3_exec(db, "SAVEPOINT wbc", NULL, NULL, NULL) != SQLITE_OK)
        return wb_store__error(st, "starting a savepoint");
    return 0;
}

int wbc_tx_end(wb_store *st, wbc_tx *tx, int error)
{
    sqlite3 *db = wb_store__db(st);
    if (error >= 0) {
        if (tx->own)
            return wb_store_commit(st);
        if (sqlite3_exec(db, "RELEASE wbc", NULL, NULL, NULL) != SQLITE_OK)
            return wb_store__error(st, "releasing a savepoint");
        return 0;
    }
    if (tx->own)
        wb_store_rollback(st);
    else
        sqlite3_exec(db, "ROLLBACK TO wbc; RELEASE wbc", NULL, NULL, NULL);
    return error;
}

/* ---------------------------------------------------------------- SQLite helpers */

void wbc_bind_opt(sqlite3_stmt *s, int i, const char *t)
{
    if (t && *t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

void wbc_bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

char *wbc_col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? wb_strdup((const char *)t) : NULL;
}

int wbc_step_change(wb_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    sqlite3 *db = wb_store__db(st);
    int ext = sqlite3_extended_errcode(db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: already exists", what);
        return WB_ECONFLICT;
    }
    if ((ext & 0xff) == SQLITE_CONSTRAINT) {
        wb_error_set(WB_ERRCLASS_ARG, "%s: refused by the database (%s)", what, sqlite3_errmsg(db));
        return WB_EINVALID;
    }
    return wb_store__error(st, what);
}

int wbc_exec_id(wb_store *st, const char *sql, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    error = wbc_step_change(st, s, "updating the store");
    sqlite3_finalize(s);
    return error;
}

int wbc_query_int(wb_store *st, int64_t *out, const char *sql, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        error = WB_ENOTFOUND;
    else
        error = wb_store__error(st, "querying");
    sqlite3_finalize(s);
    return error;
}

int64_t wbc_now(const wb_auth_opts *o)
{
    return o && o->now ? o->now : (int64_t)time(NULL);
}

/* ---------------------------------------------------------------- audit */

static json_t *column_json(sqlite3_stmt *s, int i)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER:
        return json_integer((json_int_t)sqlite3_column_int64(s, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(s, i));
    case SQLITE_TEXT: {
        const char *t = (const char *)sqlite3_column_text(s, i);
        json_t *j = json_stringn(t, (size_t)sqlite3_column_bytes(s, i));
        /* stored text is validated UTF-8; anything else is recorded as a marker */
        return j ? j : json_string("(not UTF-8)");
    }
    case SQLITE_BLOB:
        return json_string("(binary)");
    default:
        return json_null();
    }
}

int wbc_row_json(wb_store *st, json_t **out, const char *sql, int64_t id)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        json_t *o = json_object();
        if (!o) {
            error = WB_ENOMEM;
        } else {
            for (int i = 0; i < sqlite3_column_count(s); i++)
                json_object_set_new(o, sqlite3_column_name(s, i), column_json(s, i));
            *out = o;
        }
    } else if (rc != SQLITE_DONE) {
        error = wb_store__error(st, "reading a row for the audit log");
    }
    sqlite3_finalize(s);
    return error;
}

int wbc_list_json(wb_store *st, json_t *obj, const char *key, const char *sql, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, column_json(s, 0));
    if (rc != SQLITE_DONE)
        error = wb_store__error(st, "reading a list for the audit log");
    json_object_set_new(obj, key, arr);
    sqlite3_finalize(s);
    return error;
}

int wbc_audit(wb_store *st, const wb_actor *a, const char *action, const char *entity,
              int64_t entity_id, json_t *before, json_t *after)
{
    char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
    char *f = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(before);
    json_decref(after);
    int error = 0;
    sqlite3_stmt *s = NULL;
    if ((before && !b) || (after && !f)) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = wb_store__prepare(st, &s,
                                   "INSERT INTO audit_log(user_id, actor, action, entity, entity_id,"
                                   " before, after) VALUES (?1,?2,?3,?4,?5,?6,?7)")) < 0)
        goto done;
    if (a && a->user_id)
        sqlite3_bind_int64(s, 1, a->user_id);
    else
        sqlite3_bind_null(s, 1);
    wbc_bind_text(s, 2, a && a->name[0] ? a->name : "anonymous");
    wbc_bind_text(s, 3, action);
    wbc_bind_text(s, 4, entity);
    if (entity_id)
        sqlite3_bind_int64(s, 5, entity_id);
    else
        sqlite3_bind_null(s, 5);
    wbc_bind_text(s, 6, b);
    wbc_bind_text(s, 7, f);
    error = wbc_step_change(st, s, "writing the audit log");
done:
    sqlite3_finalize(s);
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
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT id FROM theme WHERE name = ?1");
    if (error < 0)
        return error;
    wbc_bind_text(s, 1, name ? name : "");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
    } else if (rc == SQLITE_DONE) {
        char shown[80];
        snprintf(shown, sizeof shown, "%s", name ? name : "");
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
        wb_error_set(WB_ERRCLASS_ARG,
                     "field '%s': unknown theme '%s' (see 'wijkbeeld theme list'; the admin can add one)",
                     field, shown);
        error = WB_EINVALID;
    } else {
        error = wb_store__error(st, "looking up a theme");
    }
    sqlite3_finalize(s);
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
