/**
 * @file
 * @brief Import of CBS Kerncijfers Wijken en Buurten (KWB) and other StatLine tables, with
 * the StatLine codebook (DataProperties.json) for labels and units.
 *
 * Three layouts share one column classification:
 *  - the StatLine CSV download: "Perioden";"Wijken en buurten";"Regiocode (gemeente, wijk,
 *    buurt) (code)";"Aantal inwoners (aantal)";... (titles with units; the name is in
 *    "Wijken en buurten", the code in Regiocode/Codering, codes padded with spaces);
 *  - StatLine typed data (keys with a numeric suffix: gwb_code, AantalInwoners_5, ...);
 *  - the yearly kwb-YYYY tables (gwb_code_10/gwb_code, regio, gm_naam, recs, a_inw, ...).
 * Known columns map to catalogue keys through the aliases (catalog.c); other numeric columns
 * become new indicators labelled from the codebook.
 */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/import_internal.h"
#include "io/rows_internal.h"
#include "wijkbeeld/errors.h"

/* ---------------------------------------------------------------- codebook */

typedef struct {
    char *key, *title, *unit;
} cb_entry;

struct wb_codebook {
    cb_entry *e;
    size_t n;
    int map_year; /* GeoDetail.MapYear: the boundary year of the table */
};

void wb_codebook__free(wb_codebook *cb)
{
    if (!cb)
        return;
    for (size_t i = 0; i < cb->n; i++) {
        wb_free(cb->e[i].key);
        wb_free(cb->e[i].title);
        wb_free(cb->e[i].unit);
    }
    wb_free(cb->e);
    wb_free(cb);
}

int wb_codebook__lookup(const wb_codebook *cb, const char *key, const char **title, const char **unit)
{
    for (size_t i = 0; cb && i < cb->n; i++)
        if (!strcmp(cb->e[i].key, key)) {
            *title = cb->e[i].title;
            *unit = cb->e[i].unit;
            return 1;
        }
    return 0;
}

static char *dup_trimmed(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    return n ? wb_strndup(s, n) : NULL;
}

/* Read a StatLine DataProperties.json: an array (or {"value": [...]}) of objects with Type,
 * Key, Title, Unit; Topic entries are columns, the GeoDetail gives MapYear. */
static int codebook_load(wb_codebook **out, const char *path)
{
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        wb_error_set(WB_ERRCLASS_JSON, "%s:%d:%d: expected a StatLine DataProperties.json, %s", path,
                     jerr.line, jerr.column, jerr.text);
        return WB_EPARSE;
    }
    json_t *arr = json_is_array(root) ? root : json_object_get(root, "value");
    int error = 0;
    wb_codebook *cb = wb_calloc(1, sizeof *cb);
    if (!cb) {
        error = WB_ENOMEM;
        goto done;
    }
    if (!json_is_array(arr)) {
        wb_error_set(WB_ERRCLASS_JSON, "%s: expected a StatLine DataProperties.json (an array of "
                     "properties), got another JSON document", path);
        error = WB_EPARSE;
        goto done;
    }
    cb->e = wb_calloc(json_array_size(arr) + 1, sizeof *cb->e);
    if (!cb->e) {
        error = WB_ENOMEM;
        goto done;
    }
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it)
    {
        const char *type = json_string_value(json_object_get(it, "Type"));
        const char *key = json_string_value(json_object_get(it, "Key"));
        if (type && !strcmp(type, "GeoDetail")) {
            json_t *my = json_object_get(it, "MapYear");
            if (json_is_integer(my)) {
                json_int_t y = json_integer_value(my);
                if (y < 1800 || y > 2200) { /* it becomes the data and boundary year */
                    wb_error_set(WB_ERRCLASS_JSON,
                                 "%s: GeoDetail MapYear: expected a year from 1800 to 2200, got %lld",
                                 path, (long long)y);
                    error = WB_EPARSE;
                    goto done;
                }
                cb->map_year = (int)y;
            }
            continue;
        }
        if (!type || strcmp(type, "Topic") || !key || !*key)
            continue;
        cb_entry *e = &cb->e[cb->n++];
        e->key = wb_strdup(key);
        e->title = dup_trimmed(json_string_value(json_object_get(it, "Title")));
        e->unit = dup_trimmed(json_string_value(json_object_get(it, "Unit")));
        if (!e->key) {
            error = WB_ENOMEM;
            goto done;
        }
    }
done:
    json_decref(root);
    if (error < 0) {
        wb_codebook__free(cb);
        return error;
    }
    *out = cb;
    return 0;
}

/* A DataProperties.json in the directory of @p path; with several, the one whose name
 * shares the longest prefix with the file's name. */
static int find_codebook(char *out, size_t outn, const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    const char *base = slash ? slash + 1 : path;
    DIR *d = opendir(dir[0] ? dir : "/");
    if (!d)
        return 0;
    struct dirent *e;
    size_t best = 0;
    int found = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        static const char suffix[] = "DataProperties.json";
        if (n < sizeof suffix - 1 || strcmp(e->d_name + n - (sizeof suffix - 1), suffix))
            continue;
        size_t common = 0;
        while (e->d_name[common] && e->d_name[common] == base[common])
            common++;
        if (!found || common > best) {
            best = common;
            found = 1;
            snprintf(out, outn, "%s/%s", dir[0] ? dir : "", e->d_name);
        }
    }
    closedir(d);
    return found;
}

/* "kwb-2019.csv", "kwb2024_85984NED...", "wijkenbuurten_2023_v1.gpkg": the year after
 * "kwb" or "wijkenbuurten". */
int wb_kwb__year_from_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    for (const char *p = b; *p; p++) {
        size_t skip = !strncasecmp(p, "kwb", 3) ? 3 : !strncasecmp(p, "wijkenbuurten", 13) ? 13 : 0;
        if (!skip)
            continue;
        const char *q = p + skip;
        if (*q == '-' || *q == '_')
            q++;
        if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]) &&
            isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]) &&
            !isdigit((unsigned char)q[4])) {
            int y = atoi(q);
            if (y >= 1990 && y <= 2200)
                return y;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- columns */

static int is_pct(const char *unit)
{
    return unit && unit[0] == '%' && !unit[1];
}

/* A value column, with the codebook's title and unit. When the codebook's unit contradicts
 * the catalogue's (a percentage published under the key of a count, as CBS did for age
 * groups in older years), the column goes to the percentage twin (a_00_14 -> p_00_14) or to
 * an indicator of its own, never into the count. */
static int kwb_value_column(wb_importer *imp, size_t i)
{
    const char *h = wb_csv_header(imp->csv, i);
    const char *title = NULL, *unit = NULL;
    wb_codebook__lookup(imp->codebook, h, &title, &unit);
    int64_t id;
    char key[64];
    int r = wb_catalog_resolve(imp->st, &id, key, h);
    if (r < 0 && r != WB_ENOTFOUND)
        return r;
    const wb_catalog_entry *ce = r == 0 ? wb_catalog_find(key) : NULL;
    if (!ce || !unit || is_pct(unit) == is_pct(ce->unit))
        return wb_imp__value_column(imp, i, title, unit);
    char twin[64];
    snprintf(twin, sizeof twin, "%s", key);
    if (twin[0] == 'a' && twin[1] == '_')
        twin[0] = 'p';
    else if (twin[0] == 'p' && twin[1] == '_')
        twin[0] = 'a';
    const wb_catalog_entry *te = wb_catalog_find(twin);
    if (!te || is_pct(te->unit) != is_pct(unit)) {
        char sk[64];
        if (wb_key_sanitize(sk, h) < 0)
            return WB_EINVALID;
        snprintf(twin, sizeof twin, "%.56s%s", sk, is_pct(unit) ? "_pct" : "_n");
    }
    if ((r = wb_imp__indicator(imp, &id, twin, title ? title : h, unit)) < 0)
        return r;
    size_t used = strlen(imp->note);
    snprintf(imp->note + used, sizeof imp->note - used, "%s%s is in '%s' here: imported as %s",
             used ? "; " : "", h, unit, twin);
    return wb_imp__set_value(imp, i, id, twin);
}

static int classify_kwb(wb_importer *imp)
{
    wb_csv *c = imp->csv;
    const wb_import_opts *o = imp->o;
    int r;
    char cbpath[4096];
    const char *cbp = o->codebook;
    if (!cbp && strcmp(imp->path, "-") && find_codebook(cbpath, sizeof cbpath, imp->path))
        cbp = cbpath;
    if (cbp && (r = codebook_load(&imp->codebook, cbp)) < 0)
        return r;
    int name_year = strcmp(imp->path, "-") ? wb_kwb__year_from_name(imp->path) : 0;
    if (!o->codebook && imp->codebook && imp->codebook->map_year && name_year &&
        imp->codebook->map_year != name_year) {
        /* a codebook found next to the file belongs to another year's table (kwb-2013.xls
         * beside a 2023 DataProperties.json): neither its year nor its labels apply */
        const char *cs = strrchr(cbp, '/');
        snprintf(imp->note + strlen(imp->note), sizeof imp->note - strlen(imp->note),
                 "%s%s not used: its MapYear %d is not the year %d of the file name",
                 imp->note[0] ? "; " : "", cs ? cs + 1 : cbp, imp->codebook->map_year, name_year);
        wb_codebook__free(imp->codebook);
        imp->codebook = NULL;
    }
    if ((r = wb_imp__find_key(imp)) < 0)
        return r;
    imp->cols[imp->key_col].role = COL_KEY;
    static const char *const years[] = {"perioden", "jaar", "year", NULL};
    imp->year_col = wb_imp__find_any(c, years);
    static const char *const names[] = {"regio", "Wijken en buurten", "Regio's", "naam",
                                        "name", "regionaam", "statnaam", NULL};
    imp->name_col = wb_imp__find_any(c, names);
    if (imp->name_col < 0)
        imp->name_col = wb_imp__find_name(imp);
    static const char *const levels[] = {"level", "recs", "niveau", NULL};
    imp->level_col = wb_imp__find_any(c, levels);
    for (size_t i = 0; imp->level_col < 0 && i < imp->ncols; i++)
        if (!strncasecmp(wb_csv_header(c, i), "SoortRegio", 10) ||
            !strncasecmp(wb_csv_header(c, i), "Soort regio", 11))
            imp->level_col = (long)i;
    if (imp->year_col >= 0)
        imp->cols[imp->year_col].role = COL_YEAR;
    if (imp->name_col >= 0)
        imp->cols[imp->name_col].role = COL_NAME;
    if (imp->level_col >= 0)
        imp->cols[imp->level_col].role = COL_LEVEL;
    if (imp->year_col < 0 && !o->year) {
        /* a typed-data extract carries no period: the codebook's MapYear or the file name */
        if (imp->codebook && imp->codebook->map_year)
            imp->default_year = imp->codebook->map_year;
        else
            imp->default_year = name_year;
    }
    for (size_t i = 0; i < imp->ncols; i++) {
        if (imp->cols[i].role != COL_IGNORE || (long)i == imp->key_col)
            continue;
        const char *h = wb_csv_header(c, i);
        if (wb_imp__skipped_by_option(imp, h) || wb_imp__is_row_index(h) ||
            wb_imp__is_descriptive(h) || wb_csv__text_column(c, i))
            continue;
        if ((r = kwb_value_column(imp, i)) < 0)
            return r;
    }
    return 0;
}

int wb_import_kwb(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o)
{
    static const wb_import_profile pf = {"kwb", "CBS Kerncijfers Wijken en Buurten", classify_kwb, 1};
    if (wb_imp__is_sqlite(path)) /* the Wijk- en Buurtkaart: polygons and kerncijfers */
        return wb_kwbmap__import(st, stats, path, o, &pf);
    return wb_imp__run(st, stats, path, o, &pf);
}
