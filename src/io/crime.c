/**
 * @file
 * @brief Registered crime per area as the police publish it through CBS: StatLine 47018NED
 * "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers", as the typed CSV or
 * the OData JSON (TypedDataSet): one row per crime type (SoortMisdrijf, "1.1.1   "), area
 * (WijkenEnBuurten, padded) and year (Perioden, "2023JJ00"), with the count in
 * GeregistreerdeMisdrijven_1.
 *
 * The importer stores four indicators per area and year, one per crime family, each the sum
 * of the counts of its crime types (the mapping below, documented in docs/import.md), and,
 * where the store holds the number of inhabitants (a_inw) of the same area and data year, the
 * same four per 1,000 inhabitants. The rates are computed here, at import, rather than when
 * they are read: then they are ordinary observations that every view (map, trend, compare,
 * score, export) uses as they are, and the import summary says for how many areas the
 * population was missing. Importing KWB after the crime figures therefore needs the crime
 * import run again to fill those rates (it replaces its own values).
 */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/import_internal.h"
#include "io/rows_internal.h"
#include "wijkbeeld/errors.h"

/* ---------------------------------------------------------------- the crime families */

enum { FAM_TOTAL, FAM_PROPERTY, FAM_VIOLENCE, FAM_VANDALISM, NFAM };

static const char *const fam_key[NFAM] = {"misdr_totaal", "misdr_vermogen", "misdr_geweld",
                                          "misdr_vernieling"};
static const char *const fam_rate_key[NFAM] = {"misdr_totaal_p1000", "misdr_vermogen_p1000",
                                               "misdr_geweld_p1000", "misdr_vernieling_p1000"};

/* The SoortMisdrijf codes of 47018NED in the families, with CBS's titles (the police's
 * classification of registered crimes). Property: theft and burglary; violence: the 1.4
 * group, street robbery and hold-ups included (theft with violence against a person);
 * vandalism and public order: damage, arson, nuisance and public-order offences. Fraud (3.9),
 * drugs trade, traffic and environmental offences belong to no family; they are in the total. */
static const struct {
    const char *code, *title;
    int family;
} crime_types[] = {
    {"0.0.0", "Totaal misdrijven", FAM_TOTAL},
    {"1.1.1", "Diefstal/inbraak woning", FAM_PROPERTY},
    {"1.1.2", "Diefstal/inbraak box/garage/schuur", FAM_PROPERTY},
    {"1.2.1", "Diefstal uit/vanaf motorvoertuigen", FAM_PROPERTY},
    {"1.2.2", "Diefstal van motorvoertuigen", FAM_PROPERTY},
    {"1.2.3", "Diefstal van brom-, snor-, fietsen", FAM_PROPERTY},
    {"1.2.4", "Zakkenrollerij", FAM_PROPERTY},
    {"1.2.5", "Diefstal af/uit/van ov. voertuigen", FAM_PROPERTY},
    {"1.5.2", "Diefstallen (water)", FAM_PROPERTY},
    {"1.6.2", "Overige vermogensdelicten", FAM_PROPERTY},
    {"2.5.1", "Diefstal/inbraak bedrijven enz.", FAM_PROPERTY},
    {"2.5.2", "Winkeldiefstal", FAM_PROPERTY},
    {"1.4.1", "Zedenmisdrijf", FAM_VIOLENCE},
    {"1.4.2", "Moord, doodslag", FAM_VIOLENCE},
    {"1.4.3", "Openlijk geweld (persoon)", FAM_VIOLENCE},
    {"1.4.4", "Bedreiging", FAM_VIOLENCE},
    {"1.4.5", "Mishandeling", FAM_VIOLENCE},
    {"1.4.6", "Straatroof", FAM_VIOLENCE},
    {"1.4.7", "Overval", FAM_VIOLENCE},
    {"1.6.1", "Brand/ontploffing", FAM_VANDALISM},
    {"2.1.1", "Drugs/drankoverlast", FAM_VANDALISM},
    {"2.2.1", "Vernieling cq. zaakbeschadiging", FAM_VANDALISM},
    {"2.4.2", "Huisvredebreuk", FAM_VANDALISM},
    {"2.7.3", "Leefbaarheid (overig)", FAM_VANDALISM},
    {"3.6.4", "Aantasting openbare orde", FAM_VANDALISM},
};
#define NTYPES (sizeof crime_types / sizeof crime_types[0])

/* Codes of each family as a bit mask over crime_types. */
static uint32_t family_mask(int fam)
{
    uint32_t m = 0;
    for (size_t i = 0; i < NTYPES; i++)
        if (crime_types[i].family == fam)
            m |= (uint32_t)1 << i;
    return m;
}

/* ---------------------------------------------------------------- SoortMisdrijf values */

/* Extra titles from a saved SoortMisdrijf dimension (Key, Title). */
typedef struct {
    char **title;
    int *type;
    size_t n;
} title_map;

static void title_map_dispose(title_map *tm)
{
    for (size_t i = 0; i < tm->n; i++)
        wb_free(tm->title[i]);
    wb_free(tm->title);
    wb_free(tm->type);
    memset(tm, 0, sizeof *tm);
}

/* "1.1.1" at the start of @p s (then a space or the end): its length, else 0. */
static size_t code_prefix(const char *s, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 3; part++) {
        size_t d = 0;
        while (i < len && isdigit((unsigned char)s[i]))
            i++, d++;
        if (!d)
            return 0;
        if (part < 2) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
    }
    return i == len || s[i] == ' ' ? i : 0;
}

static int type_of_code(const char *code, size_t len)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (strlen(crime_types[i].code) == len && !strncmp(crime_types[i].code, code, len))
            return (int)i;
    return -1;
}

/* Read a SoortMisdrijf dimension ({"value": [{"Key": "1.1.1   ", "Title": ...}]}): the titles
 * of the family codes, so that a table with titles instead of codes is read too. */
static int load_dimension(title_map *tm, const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        wb_error_set(WB_ERRCLASS_JSON, "%s:%d:%d: expected the SoortMisdrijf dimension (JSON), %s",
                     path, jerr.line, jerr.column, jerr.text);
        return WB_EPARSE;
    }
    json_t *arr = json_is_array(root) ? root : json_object_get(root, "value");
    size_t i;
    json_t *it;
    int error = 0;
    if (!json_is_array(arr)) {
        wb_error_set(WB_ERRCLASS_JSON, "%s: expected the SoortMisdrijf dimension (a \"value\" "
                     "array of Key and Title), got another JSON document", path);
        error = WB_EPARSE;
        goto done;
    }
    tm->title = wb_calloc(json_array_size(arr) + 1, sizeof *tm->title);
    tm->type = wb_calloc(json_array_size(arr) + 1, sizeof *tm->type);
    if (!tm->title || !tm->type) {
        error = WB_ENOMEM;
        goto done;
    }
    json_array_foreach(arr, i, it)
    {
        const char *key = json_string_value(json_object_get(it, "Key"));
        const char *title = json_string_value(json_object_get(it, "Title"));
        if (!key || !title)
            continue;
        size_t kl = strlen(key);
        while (kl && key[kl - 1] == ' ')
            kl--;
        int t = type_of_code(key, kl);
        if (t < 0)
            continue;
        if (!(tm->title[tm->n] = wb_strdup(title))) {
            error = WB_ENOMEM;
            goto done;
        }
        tm->type[tm->n++] = t;
    }
done:
    json_decref(root);
    return error;
}

static int text_eq(const char *a, size_t alen, const char *b)
{
    size_t bl = strlen(b);
    while (bl && b[bl - 1] == ' ')
        bl--;
    return alen == bl && !strncasecmp(a, b, alen);
}

/* The crime type of a SoortMisdrijf value: a code ("1.1.1", "1.1.1 Diefstal/inbraak woning")
 * or a title. >= 0: its index; -1: a crime type of no family; -2: not a crime type at all. */
static int crime_type(const char *s, size_t len, const title_map *tm)
{
    size_t cl = code_prefix(s, len);
    if (cl)
        return type_of_code(s, cl);
    for (size_t i = 0; i < NTYPES; i++)
        if (text_eq(s, len, crime_types[i].title))
            return (int)i;
    for (size_t i = 0; i < tm->n; i++)
        if (text_eq(s, len, tm->title[i]))
            return tm->type[i];
    return len ? -1 : -2;
}

/* ---------------------------------------------------------------- per area and year */

typedef struct {
    char code[WB_CODE_MAX];
    wb_level level;
    int year;
    int64_t area;
    double sum[NFAM];
    uint32_t seen;    /* crime types with a row */
    uint32_t missing; /* crime types whose count is missing */
} cell;

typedef struct {
    cell *c;
    size_t n, cap;
    uint32_t *slot; /* hash of (code, year) -> cell + 1 */
    size_t nslot;
} cells;

static uint64_t cell_hash(const char *code, int year)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uint32_t)year;
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static int cells_grow(cells *cs)
{
    size_t ncap = cs->cap ? cs->cap * 2 : 1024;
    cell *nc = wb_realloc(cs->c, ncap * sizeof *nc);
    if (!nc)
        return WB_ENOMEM;
    cs->c = nc;
    cs->cap = ncap;
    size_t ns = ncap * 2;
    uint32_t *slot = wb_calloc(ns, sizeof *slot);
    if (!slot)
        return WB_ENOMEM;
    for (size_t i = 0; i < cs->n; i++) {
        size_t j = cell_hash(cs->c[i].code, cs->c[i].year) & (ns - 1);
        while (slot[j])
            j = (j + 1) & (ns - 1);
        slot[j] = (uint32_t)(i + 1);
    }
    wb_free(cs->slot);
    cs->slot = slot;
    cs->nslot = ns;
    return 0;
}

static cell *cells_get(cells *cs, const char *code, wb_level level, int year)
{
    if (cs->n == cs->cap && cells_grow(cs) < 0)
        return NULL;
    size_t j = cell_hash(code, year) & (cs->nslot - 1);
    for (; cs->slot[j]; j = (j + 1) & (cs->nslot - 1)) {
        cell *c = &cs->c[cs->slot[j] - 1];
        if (c->year == year && !strcmp(c->code, code))
            return c;
    }
    cell *c = &cs->c[cs->n];
    memset(c, 0, sizeof *c);
    snprintf(c->code, sizeof c->code, "%s", code);
    c->level = level;
    c->year = year;
    cs->slot[j] = (uint32_t)(++cs->n);
    return c;
}

static void cells_dispose(cells *cs)
{
    wb_free(cs->c);
    wb_free(cs->slot);
    memset(cs, 0, sizeof *cs);
}

/* ---------------------------------------------------------------- the import */

typedef struct {
    long key, soort, period, value;
} columns;

static const char *const soort_names[] = {"SoortMisdrijf", "Soort misdrijf", "soort_misdrijf",
                                          "misdrijf", NULL};
static const char *const period_names[] = {"Perioden", "jaar", "year", "periode", NULL};

static int is_count_column(const char *h)
{
    static const char *const prefixes[] = {"GeregistreerdeMisdrijven", "Geregistreerde misdrijven",
                                           "Totaal geregistreerde misdrijven", NULL};
    char low[256];
    size_t n = 0;
    for (; h[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)h[n]);
    low[n] = 0;
    if (strstr(low, "per1000") || strstr(low, "per 1000") || strstr(low, "per 1 000"))
        return 0; /* a rate, not the count */
    for (const char *const *p = prefixes; *p; p++)
        if (!strncasecmp(h, *p, strlen(*p)))
            return 1;
    return !strcasecmp(h, "value") || !strcasecmp(h, "waarde") || !strcasecmp(h, "aantal");
}

static int find_columns(columns *col, wb_csv *c, const wb_import_opts *o)
{
    wb_importer tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.csv = c;
    tmp.o = o;
    int r = wb_imp__find_key(&tmp);
    if (r < 0)
        return r;
    col->key = tmp.key_col;
    col->soort = wb_imp__find_any(c, soort_names);
    col->period = wb_imp__find_any(c, period_names);
    col->value = -1;
    for (size_t i = 0; i < wb_csv_ncols(c) && col->value < 0; i++)
        if (is_count_column(wb_csv_header(c, i)))
            col->value = (long)i;
    if (col->soort < 0 || col->value < 0) {
        wb_str s = WB_STR_INIT;
        for (size_t i = 0; i < wb_csv_ncols(c) && s.len < 300; i++)
            wb_str_printf(&s, "%s'%s'", i ? ", " : "", wb_csv_header(c, i));
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:1: expected the columns of 47018NED (SoortMisdrijf, WijkenEnBuurten, "
                     "Perioden, GeregistreerdeMisdrijven_1), got %s",
                     wb_csv_name(c), wb_str_cstr(&s));
        wb_str_dispose(&s);
        return WB_EINVALID;
    }
    if (col->period < 0 && !o->year) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected a column Perioden or --year Y, got neither",
                     wb_csv_name(c));
        return WB_EINVALID;
    }
    return 0;
}

/* A SoortMisdrijf dimension next to the file (a name with "SoortMisdrijf", ending in .json). */
static int find_dimension(char *out, size_t n, const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    DIR *d = opendir(dir[0] ? dir : "/");
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".json") && strstr(e->d_name, "SoortMisdrijf")) {
            snprintf(out, n, "%s/%s", dir, e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

typedef struct {
    wb_store *st;
    const wb_import_opts *o;
    wb_import_stats *stats;
    const char *path;
    wb_csv *c;
    columns col;
    title_map tm;
    cells cs;
    uint32_t seen;       /* crime types anywhere in the file */
    size_t other_rows;   /* rows of crime types of no family */
    int64_t ind[NFAM], rate[NFAM];
} crime_import;

static int field_error(wb_csv *c, long i)
{
    char where[512];
    wb_error_prefix("%s: column '%s'", wb_csv__where(c, i, where, sizeof where),
                    wb_csv_header(c, (size_t)i));
    return WB_EPARSE;
}

/* The record of the first row of (code, year, type), for the duplicate message. */
static void first_row(const crime_import *ci, const char *code, int year, int type, char *buf,
                      size_t n)
{
    snprintf(buf, n, "an earlier row");
    wb_csv *c = NULL;
    wb_table_info info;
    if (!strcmp(ci->path, "-") || wb_imp__open_table(&c, ci->path, ci->o, &info, NULL) < 0) {
        wb_error_clear();
        return;
    }
    while (wb_csv_next(c) > 0) {
        char k[WB_CODE_MAX];
        wb_level lv;
        int y = ci->o->year;
        size_t len;
        const char *s;
        if (wb_csv_code(c, (size_t)ci->col.key, k, &lv, ci->o->level) < 0 || strcmp(k, code))
            continue;
        if (ci->col.period >= 0) {
            s = wb_csv_field(c, (size_t)ci->col.period, &len);
            if (wb_parse_year(&y, s, len) < 0 || y != year)
                continue;
        }
        s = wb_csv_field(c, (size_t)ci->col.soort, &len);
        while (len && *s == ' ')
            s++, len--;
        while (len && s[len - 1] == ' ')
            len--;
        if (crime_type(s, len, &ci->tm) == type) {
            wb_csv__record_name(c, buf, n);
            break;
        }
    }
    wb_csv_free(c);
    wb_error_clear();
}

static int read_rows(crime_import *ci)
{
    wb_csv *c = ci->c;
    const wb_import_opts *o = ci->o;
    int r;
    const char *slash = strrchr(ci->path, '/');
    char what[160];
    snprintf(what, sizeof what, "importing %s", slash ? slash + 1 : ci->path);
    while ((r = wb_csv_next(c)) > 0) {
        ci->stats->rows++;
        if (o->progress && (ci->stats->rows & 4095) == 0) {
            uint64_t done, total;
            wb_csv_progress(c, &done, &total);
            o->progress(o->progress_payload, what, (size_t)done, (size_t)total);
        }
        char code[WB_CODE_MAX];
        wb_level level;
        if (wb_csv_code(c, (size_t)ci->col.key, code, &level, o->level) < 0)
            return WB_EPARSE;
        if (o->level != WB_LEVEL__MAX && level != o->level) {
            ci->stats->skipped++;
            continue;
        }
        int year = o->year;
        size_t len;
        const char *s;
        if (ci->col.period >= 0) {
            s = wb_csv_field(c, (size_t)ci->col.period, &len);
            if (wb_parse_year(&year, s, len) < 0)
                return field_error(c, ci->col.period);
            if (o->year && year != o->year) {
                ci->stats->skipped++;
                continue;
            }
        }
        s = wb_csv_field(c, (size_t)ci->col.soort, &len);
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        int type = crime_type(s, len, &ci->tm);
        if (type == -2) {
            wb_error_set(WB_ERRCLASS_CSV, "expected a crime type (a SoortMisdrijf code such as "
                         "0.0.0 or 1.1.1, or its title), got an empty field");
            return field_error(c, ci->col.soort);
        }
        double v;
        if ((r = wb_csv_number(c, (size_t)ci->col.value, &v)) < 0)
            return r;
        if (type < 0) {
            ci->other_rows++;
            continue;
        }
        if (!isnan(v) && (v < 0 || v != floor(v))) {
            wb_error_set(WB_ERRCLASS_CSV, "expected a count of crimes (a whole number, 0 or "
                         "more), got %g", v);
            return field_error(c, ci->col.value);
        }
        cell *cl = cells_get(&ci->cs, code, level, year);
        if (!cl)
            return WB_ENOMEM;
        uint32_t bit = (uint32_t)1 << type;
        if (cl->seen & bit) {
            char where[512], first[160];
            first_row(ci, code, year, type, first, sizeof first);
            wb_error_set(WB_ERRCLASS_CSV,
                         "%s: expected one row per area, year and crime type, got a second row "
                         "for %s in %d, %s (the first is on %s)",
                         wb_csv__where(c, -1, where, sizeof where), code, year,
                         crime_types[type].code, first);
            return WB_ECONFLICT;
        }
        cl->seen |= bit;
        ci->seen |= bit;
        if (isnan(v))
            cl->missing |= bit;
        else
            cl->sum[crime_types[type].family] += v;
    }
    if (r == 0 && o->progress) {
        uint64_t done, total;
        wb_csv_progress(c, &done, &total);
        o->progress(o->progress_payload, what, (size_t)total, (size_t)total);
    }
    return r;
}

static void put_stat(wb_import_stats *s, int year, double v)
{
    s->values++;
    if (isnan(v))
        s->missing++;
    if (!s->min_year || year < s->min_year)
        s->min_year = year;
    if (year > s->max_year)
        s->max_year = year;
}

static int cmp_value_area(const void *a, const void *b)
{
    const wb_value *x = a, *y = b;
    return (x->area_id > y->area_id) - (x->area_id < y->area_id);
}

/* Write the family counts and their rates per 1,000 inhabitants. */
static int write_cells(crime_import *ci, int complete[NFAM], size_t *rates, size_t *no_pop)
{
    wb_store *st = ci->st;
    int byear_opt = ci->o->boundary_year;
    int error = 0;
    for (size_t i = 0; i < ci->cs.n; i++) {
        cell *cl = &ci->cs.c[i];
        int byear = byear_opt ? byear_opt : cl->year;
        int r = wb_store_area_find(st, &cl->area, cl->code, byear);
        if (r == WB_ENOTFOUND) {
            wb_error_clear();
            if ((r = wb_store_area_put(st, &cl->area, cl->code, byear, cl->level, NULL, NULL)) < 0)
                return r;
            ci->stats->new_areas++;
        } else if (r < 0) {
            return r;
        }
        ci->stats->areas++;
        for (int f = 0; f < NFAM; f++) {
            if (!complete[f])
                continue;
            uint32_t m = family_mask(f);
            double v = (cl->seen & m) == m && !(cl->missing & m) ? cl->sum[f] : NAN;
            if ((error = wb_store_obs_put(st, ci->ind[f], cl->area, cl->year, v)) < 0)
                return error;
            put_stat(ci->stats, cl->year, v);
        }
    }
    /* rates, per (data year, boundary year): the population of the same areas and year */
    unsigned char *done = wb_calloc(ci->cs.n ? ci->cs.n : 1, 1);
    if (!done)
        return WB_ENOMEM;
    for (size_t i = 0; i < ci->cs.n && error == 0; i++) {
        if (done[i])
            continue;
        int year = ci->cs.c[i].year;
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = "a_inw";
        q.year = year;
        q.boundary_year = byear_opt ? byear_opt : year;
        q.with_missing = 1;
        wb_value *pop = NULL;
        size_t npop = 0;
        int r = wb_store_values(st, &pop, &npop, NULL, &q);
        if (r < 0 && r != WB_ENOTFOUND) {
            error = r;
            break;
        }
        wb_error_clear();
        if (npop)
            qsort(pop, npop, sizeof *pop, cmp_value_area);
        for (size_t k = i; k < ci->cs.n && error == 0; k++) {
            cell *cl = &ci->cs.c[k];
            if (done[k] || cl->year != year)
                continue;
            done[k] = 1;
            wb_value key;
            key.area_id = cl->area;
            wb_value *p = npop ? bsearch(&key, pop, npop, sizeof *pop, cmp_value_area) : NULL;
            double inh = p ? p->value : NAN;
            int have = isfinite(inh) && inh > 0;
            *(have ? rates : no_pop) += 1;
            for (int f = 0; f < NFAM && error == 0; f++) {
                if (!complete[f])
                    continue;
                uint32_t m = family_mask(f);
                double count = (cl->seen & m) == m && !(cl->missing & m) ? cl->sum[f] : NAN;
                double v = have && !isnan(count) ? count / inh * 1000.0 : NAN;
                if ((error = wb_store_obs_put(st, ci->rate[f], cl->area, cl->year, v)) == 0)
                    put_stat(ci->stats, cl->year, v);
            }
        }
        wb_free(pop);
    }
    wb_free(done);
    return error;
}

static int run(crime_import *ci)
{
    wb_table_info info;
    int error = wb_imp__open_table(&ci->c, ci->path, ci->o, &info, NULL);
    if (error < 0)
        return error;
    if ((error = find_columns(&ci->col, ci->c, ci->o)) < 0)
        return error;
    char dim[4096];
    const char *dp = ci->o->codebook;
    if (!dp && strcmp(ci->path, "-") && find_dimension(dim, sizeof dim, ci->path))
        dp = dim;
    if (dp && (error = load_dimension(&ci->tm, dp)) < 0)
        return error;
    if ((error = wb_catalog_seed(ci->st)) < 0)
        return error;
    for (int f = 0; f < NFAM; f++)
        if ((error = wb_catalog_ensure(ci->st, &ci->ind[f], fam_key[f])) < 0 ||
            (error = wb_catalog_ensure(ci->st, &ci->rate[f], fam_rate_key[f])) < 0)
            return error;
    if ((error = read_rows(ci)) < 0)
        return error;
    /* a family is written only when the file has every crime type of it */
    int complete[NFAM], nfam = 0;
    char lacking[200] = "";
    for (int f = 0; f < NFAM; f++) {
        uint32_t m = family_mask(f);
        complete[f] = (ci->seen & m) == m;
        nfam += complete[f];
        if (!complete[f] && (ci->seen & m)) {
            size_t used = strlen(lacking);
            snprintf(lacking + used, sizeof lacking - used, "%s%s", used ? ", " : "", fam_key[f]);
        }
    }
    if (!nfam) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s: expected the crime types of at least one family (the total 0.0.0, or "
                     "every type of a family: docs/import.md), got %s",
                     wb_csv_name(ci->c), ci->seen ? "only some types of each" : "none of them");
        return WB_EINVALID;
    }
    size_t rates = 0, no_pop = 0;
    if ((error = write_cells(ci, complete, &rates, &no_pop)) < 0)
        return error;
    wb_import_stats *s = ci->stats;
    s->indicators = 2 * (size_t)nfam;
    if (ci->o->boundary_year)
        s->boundary_year = ci->o->boundary_year;
    else if (s->min_year == s->max_year)
        s->boundary_year = s->min_year;
    snprintf(s->note, sizeof s->note,
             "%s%s%d crime families; per 1,000 inhabitants for %zu area-years, %zu without a "
             "population (a_inw) of that area and year%s%s; %zu rows of other crime types",
             info.note, info.note[0] ? "; " : "", nfam, rates, no_pop,
             lacking[0] ? "; not complete in the file: " : "", lacking, ci->other_rows);
    wb_str summary = WB_STR_INIT;
    wb_str_printf(&summary, "%zu rows, %zu areas (%zu new), %zu values (%zu missing); %s",
                  s->rows, s->areas, s->new_areas, s->values, s->missing, s->note);
    error = wb_store_log_import(ci->st, "crime", ci->path, wb_str_cstr(&summary));
    wb_str_dispose(&summary);
    return error;
}

int wb_import_crime(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o)
{
    wb_import_stats local;
    o = wb_imp__defaults(o, &stats, &local);
    if (o->year && (o->year < 1800 || o->year > 2200)) {
        wb_error_set(WB_ERRCLASS_ARG, "year %d: expected 1800..2200", o->year);
        return WB_EINVALID;
    }
    crime_import ci;
    memset(&ci, 0, sizeof ci);
    ci.st = st;
    ci.o = o;
    ci.stats = stats;
    ci.path = path;
    int own_tx = 0, error = 0;
    if (!wb_store_in_transaction(st)) {
        if ((error = wb_store_begin(st)) < 0)
            return error;
        own_tx = 1;
    }
    error = run(&ci);
    if (error == 0 && own_tx) {
        own_tx = 0;
        error = wb_store_commit(st);
    }
    if (own_tx)
        wb_store_rollback(st);
    if (error < 0)
        memset(stats, 0, sizeof *stats);
    wb_csv_free(ci.c);
    title_map_dispose(&ci.tm);
    cells_dispose(&ci.cs);
    return error;
}
