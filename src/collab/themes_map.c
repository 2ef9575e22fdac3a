/** @file @brief The theme map (models/themes.map): which score dimensions each theme of the
 *  register works on. Format and matching rules: include/wijkbeeld/effort.h, docs/effort.md. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"
#include "wijkbeeld/effort.h"
#include "wijkbeeld/errors.h"

typedef struct {
    char *theme;
    char **tokens;
    size_t ntokens;
    int line;
} tm_entry;

struct wb_theme_map {
    tm_entry *e;
    size_t n;
};

static int nomem(void)
{
    wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    return WB_ENOMEM;
}

void wb_theme_map_free(wb_theme_map *tm)
{
    if (!tm)
        return;
    for (size_t i = 0; i < tm->n; i++) {
        wb_free(tm->e[i].theme);
        for (size_t k = 0; k < tm->e[i].ntokens; k++)
            wb_free(tm->e[i].tokens[k]);
        wb_free(tm->e[i].tokens);
    }
    wb_free(tm->e);
    wb_free(tm);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/* A printable excerpt of bad input for a message. */
static void excerpt(char *out, size_t n, const char *s, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 4 < n; i++)
        out[k++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    if (len > 0 && k + 4 >= n)
        memcpy(out + k, "...", 4), k += 3;
    out[k] = 0;
}

/* Parse one non-empty line (comment removed, trimmed) into an entry. */
static int parse_line(tm_entry *e, const char *s, size_t len, const char *origin, int line)
{
    char ex[64];
    const char *eq = memchr(s, '=', len);
    if (!eq) {
        excerpt(ex, sizeof ex, s, len);
        wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: expected 'THEME = TOKEN ...', got '%s'", origin, line, ex);
        return WB_EPARSE;
    }
    size_t tl = (size_t)(eq - s);
    while (tl > 0 && is_space(s[tl - 1]))
        tl--;
    if (tl == 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: expected a theme name before '=', got nothing", origin, line);
        return WB_EPARSE;
    }
    if (tl > 100) {
        wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: expected a theme name of at most 100 characters, got %zu", origin,
                     line, tl);
        return WB_EPARSE;
    }
    for (size_t i = 0; i < tl; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            wb_error_set(WB_ERRCLASS_MODEL, "%s:%d:%zu: expected a theme name without control characters", origin,
                         line, i + 1);
            return WB_EPARSE;
        }
    char name[101];
    memcpy(name, s, tl);
    name[tl] = 0;
    if (wbc_utf8_len(name) == (size_t)-1) { /* the theme is printed and sent as JSON */
        wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: expected a theme name in UTF-8 (convert the file, e.g. with iconv)",
                     origin, line);
        return WB_EPARSE;
    }
    if (!(e->theme = wb_strndup(s, tl)))
        return nomem();
    e->line = line;
    const char *p = eq + 1, *end = s + len;
    while (p < end) {
        while (p < end && (is_space(*p) || *p == ','))
            p++;
        if (p >= end)
            break;
        const char *q = p;
        int colons = 0;
        while (q < end && !is_space(*q) && *q != ',') {
            if (*q == ':')
                colons++;
            else if (!token_char((unsigned char)*q)) {
                excerpt(ex, sizeof ex, p, (size_t)(end - p) < 40 ? (size_t)(end - p) : 40);
                wb_error_set(WB_ERRCLASS_MODEL,
                             "%s:%d:%zu: expected an indicator key, a dimension key or MODEL:DIMENSION "
                             "(letters, digits, _ - .), got '%s'",
                             origin, line, (size_t)(q - s) + 1, ex);
                return WB_EPARSE;
            }
            q++;
        }
        size_t n = (size_t)(q - p);
        if (colons > 1 || (colons == 1 && (p[0] == ':' || p[n - 1] == ':')) || n > 127) {
            excerpt(ex, sizeof ex, p, n);
            wb_error_set(WB_ERRCLASS_MODEL, "%s:%d:%zu: expected KEY or MODEL:DIMENSION, got '%s'", origin, line,
                         (size_t)(p - s) + 1, ex);
            return WB_EPARSE;
        }
        char **nt = wb_realloc(e->tokens, (e->ntokens + 1) * sizeof *nt);
        if (!nt)
            return nomem();
        e->tokens = nt;
        if (!(e->tokens[e->ntokens] = wb_strndup(p, n)))
            return nomem();
        e->ntokens++;
        p = q;
    }
    if (e->ntokens == 0) {
        wb_error_set(WB_ERRCLASS_MODEL,
                     "%s:%d: theme '%s': expected at least one indicator key, dimension key or MODEL:DIMENSION "
                     "after '='",
                     origin, line, e->theme);
        return WB_EPARSE;
    }
    return 0;
}

int wb_theme_map_parse(wb_theme_map **out, const char *text, size_t len, const char *origin)
{
    *out = NULL;
    if (!origin)
        origin = "themes";
    wb_theme_map *tm = wb_calloc(1, sizeof *tm);
    if (!tm)
        return nomem();
    int error = 0, line = 0;
    size_t pos = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        pos = 3;
    while (pos < len) {
        line++;
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - s) : len - pos;
        pos += ll + (nl ? 1 : 0);
        if (memchr(s, 0, ll)) {
            wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: expected text, got a NUL byte", origin, line);
            error = WB_EPARSE;
            break;
        }
        /* comment: '#' at the start or after white space */
        for (size_t i = 0; i < ll; i++)
            if (s[i] == '#' && (i == 0 || is_space(s[i - 1]))) {
                ll = i;
                break;
            }
        while (ll > 0 && is_space(s[ll - 1]))
            ll--;
        while (ll > 0 && is_space(*s))
            s++, ll--;
        if (ll == 0)
            continue;
        tm_entry *ne = wb_realloc(tm->e, (tm->n + 1) * sizeof *ne);
        if (!ne) {
            error = nomem();
            break;
        }
        tm->e = ne;
        memset(&tm->e[tm->n], 0, sizeof tm->e[0]);
        tm->n++;
        if ((error = parse_line(&tm->e[tm->n - 1], s, ll, origin, line)) < 0)
            break;
        for (size_t i = 0; i + 1 < tm->n; i++)
            if (!strcasecmp(tm->e[i].theme, tm->e[tm->n - 1].theme)) {
                wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: theme '%s' is already listed on line %d; expected each theme once",
                             origin, line, tm->e[tm->n - 1].theme, tm->e[i].line);
                error = WB_EPARSE;
                break;
            }
        if (error < 0)
            break;
    }
    if (error < 0) {
        wb_theme_map_free(tm);
        return error;
    }
    *out = tm;
    return 0;
}

int wb_theme_map_load(wb_theme_map **out, const char *path)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? WB_ENOTFOUND : WB_EIO;
    }
    wb_str s = WB_STR_INIT;
    char buf[8192];
    size_t n;
    int error = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (wb_str_put(&s, buf, n) < 0) {
            error = nomem();
            break;
        }
        if (s.len > (1u << 20)) {
            wb_error_set(WB_ERRCLASS_MODEL, "%s: larger than 1 MB; not a theme map", path);
            error = WB_EPARSE;
            break;
        }
    }
    if (!error && ferror(f)) {
        wb_error_set(WB_ERRCLASS_OS, "%s: read error", path);
        error = WB_EIO;
    }
    fclose(f);
    if (!error)
        error = wb_theme_map_parse(out, s.ptr ? s.ptr : "", s.len, path);
    wb_str_dispose(&s);
    return error;
}

size_t wb_theme_map_count(const wb_theme_map *tm)
{
    return tm ? tm->n : 0;
}

const char *wb_theme_map_theme(const wb_theme_map *tm, size_t i)
{
    return tm && i < tm->n ? tm->e[i].theme : NULL;
}

static const tm_entry *find(const wb_theme_map *tm, const char *theme)
{
    for (size_t i = 0; tm && theme && i < tm->n; i++)
        if (!strcasecmp(tm->e[i].theme, theme))
            return &tm->e[i];
    return NULL;
}

int wb_theme_map_dims(const wb_theme_map *tm, const char *theme, const wb_model *m, unsigned char *hit)
{
    size_t nd = wb_model_ndims(m), ni = wb_model_nindicators(m);
    memset(hit, 0, nd);
    const tm_entry *e = find(tm, theme);
    if (!e)
        return 0;
    const char *mname = wb_model_name(m);
    for (size_t k = 0; k < e->ntokens; k++) {
        const char *tok = e->tokens[k], *colon = strchr(tok, ':');
        if (colon) {
            size_t ml = (size_t)(colon - tok);
            if (!mname || strlen(mname) != ml || strncasecmp(mname, tok, ml))
                continue;
            for (size_t d = 0; d < nd; d++)
                if (!strcasecmp(wb_model_dim_key(m, d), colon + 1))
                    hit[d] = 1;
            continue;
        }
        for (size_t d = 0; d < nd; d++)
            if (!strcasecmp(wb_model_dim_key(m, d), tok))
                hit[d] = 1;
        for (size_t i = 0; i < ni; i++) {
            const wb_model_indicator *mi = wb_model_indicator_at(m, i);
            if (!strcasecmp(mi->key, tok))
                hit[mi->dim] = 1;
        }
    }
    return 1;
}

int wb_theme_map_lists(const wb_theme_map *tm, const char *theme, const char *key)
{
    const tm_entry *e = find(tm, theme);
    for (size_t k = 0; e && key && k < e->ntokens; k++)
        if (!strcasecmp(e->tokens[k], key))
            return 1;
    return 0;
}
