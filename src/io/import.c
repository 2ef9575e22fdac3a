/**
 * @file
 * @brief The tabular import engine (shared by import csv, kwb and lbm) and the generic
 * area-keyed CSV importer.
 *
 * One import is one transaction: the catalogue is seeded, the columns classified (creating
 * indicators for unknown ones), then every record is validated and written; any error rolls
 * the whole transaction back, so the database is left exactly as it was.
 *
 * Hot path per record: parse (csv.c), normalise the code, find the area through the store's
 * (code, year) -> id cache, check the (area, year) pair against a hash of the rows seen, and
 * hand each value to wb_store_obs_put, which buffers it in memory; the store writes the
 * buffer in key order before the commit (src/store/obs.c). Nothing is allocated per record.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/import_internal.h"
#include "io/rows_internal.h"
#include "store/store_lib.h"
#include "wijkbeeld/errors.h"

/* ---------------------------------------------------------------- a small hash map */

/* Keys (a, b, c) -> a value; open addressing, linear probing, power-of-two capacity. */
typedef struct {
    int64_t a;
    int32_t b, c;
    uint64_t v;
} hslot;

typedef struct {
    hslot *s;
    unsigned char *used;
    size_t cap, n;
} hmap;

static uint64_t hkey(int64_t a, int32_t b, int32_t c)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ULL;
    h ^= ((uint64_t)(uint32_t)b << 32 | (uint32_t)c) * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
    return h;
}

static int hmap_grow(hmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    hslot *ns = wb_malloc(ncap * sizeof *ns);
    unsigned char *nu = wb_calloc(ncap, 1);
    if (!ns || !nu) {
        wb_free(ns);
        wb_free(nu);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->used[i])
            continue;
        size_t j = hkey(m->s[i].a, m->s[i].b, m->s[i].c) & (ncap - 1);
        while (nu[j])
            j = (j + 1) & (ncap - 1);
        ns[j] = m->s[i];
        nu[j] = 1;
    }
    wb_free(m->s);
    wb_free(m->used);
    m->s = ns;
    m->used = nu;
    m->cap = ncap;
    return 0;
}

/* Find (a,b,c): returns its slot, inserting it with value v when absent (*fresh = 1). */
static hslot *hmap_upsert(hmap *m, int64_t a, int32_t b, int32_t c, uint64_t v, int *fresh)
{
    if ((m->n + 1) * 4 > m->cap * 3 && hmap_grow(m) < 0)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = hkey(a, b, c) & mask;; i = (i + 1) & mask) {
        if (!m->used[i]) {
            m->used[i] = 1;
            m->s[i] = (hslot){a, b, c, v};
            m->n++;
            *fresh = 1;
            return &m->s[i];
        }
        hslot *s = &m->s[i];
        if (s->a == a && s->b == b && s->c == c) {
            *fresh = 0;
            return s;
        }
    }
}

static void hmap_dispose(hmap *m)
{
    wb_free(m->s);
    wb_free(m->used);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- column helpers */

static int name_eq(const char *a, const char *b)
{
    return !strcasecmp(a, b);
}

static int name_prefix(const char *h, const char *prefix)
{
    return !strncasecmp(h, prefix, strlen(prefix));
}

long wb_imp__find_any(const wb_csv *c, const char *const *names)
{
    for (const char *const *n = names; *n; n++) {
        long i = wb_csv_find(c, *n);
        if (i >= 0)
            return i;
    }
    return -1;
}

/* Area code columns, most specific first. */
static const char *const key_names[] = {
    "code", "gwb_code_10", "gwb_code", "statcode", "regiocode", "codering", "WijkenEnBuurten",
    "gbd", "bu_code",
    "wk_code", "gm_code", "buurtcode", "wijkcode", "gemeentecode", "areacode", "area_code",
    "gebiedscode", "id", NULL};
/* ... and by prefix: StatLine titles and keys. */
static const char *const key_prefixes[] = {"Regiocode", "Codering", NULL};

int wb_imp__is_key_name(const char *h)
{
    for (const char *const *n = key_names; *n; n++)
        if (name_eq(h, *n))
            return 1;
    for (const char *const *n = key_prefixes; *n; n++)
        if (name_prefix(h, *n))
            return 1;
    return 0;
}

static void list_columns(wb_str *s, const wb_csv *c)
{
    for (size_t i = 0; i < wb_csv_ncols(c) && s->len < 300; i++)
        wb_str_printf(s, "%s'%s'", i ? ", " : "", wb_csv_header(c, i));
    if (s->len >= 300)
        wb_str_puts(s, ", ...");
}

int wb_imp__find_key(wb_importer *imp)
{
    const wb_csv *c = imp->csv;
    if (imp->o->key_column) {
        imp->key_col = wb_csv_find(c, imp->o->key_column);
        if (imp->key_col < 0) {
            wb_str s = WB_STR_INIT;
            list_columns(&s, c);
            wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected a column '%s' (--key), got the columns %s",
                         wb_csv_name(c), imp->o->key_column, wb_str_cstr(&s));
            wb_str_dispose(&s);
            return WB_EINVALID;
        }
        return 0;
    }
    imp->key_col = wb_imp__find_any(c, key_names);
    for (const char *const *n = key_prefixes; imp->key_col < 0 && *n; n++)
        for (size_t i = 0; i < wb_csv_ncols(c); i++)
            if (name_prefix(wb_csv_header(c, i), *n)) {
                imp->key_col = (long)i;
                break;
            }
    if (imp->key_col < 0) {
        wb_str s = WB_STR_INIT;
        list_columns(&s, c);
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:1: expected an area code column (code, gwb_code, GBD, WK_CODE, BU_CODE, "
                     "GM_CODE, id, Regiocode ...; or give --key), got the columns %s%s",
                     wb_csv_name(c), wb_str_cstr(&s),
                     wb_csv_ncols(c) == 1 ? " (one column: is the delimiter right?)" : "");
        wb_str_dispose(&s);
        return WB_EINVALID;
    }
    return 0;
}

int wb_imp__is_row_index(const char *h)
{
    if (!*h || name_eq(h, "rownames") || name_eq(h, "row.names") || name_prefix(h, "Unnamed:"))
        return 1;
    for (const char *p = h; *p; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    return 1;
}

int wb_imp__skipped_by_option(const wb_importer *imp, const char *h)
{
    const char *s = imp->o->skip_columns;
    size_t hl = strlen(h);
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        while (n && *s == ' ') {
            s++;
            n--;
        }
        while (n && s[n - 1] == ' ')
            n--;
        if (n == hl && !strncasecmp(s, h, n))
            return 1;
        s = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Columns that describe an area or a record but are no statistic. */
int wb_imp__is_descriptive(const char *h)
{
    static const char *const exact[] = {
        "gwb_code_8", "ind_wbi", "pst_mvp", "pst_dekp", "jrstatcode", "rubriek", "fid",
        "objectid", "ogc_fid", "regio", "wijken en buurten", "regio's", "statnaam", "gemeente", "wijk",
        "buurt", "provincie", "water", NULL};
    static const char *const prefix[] = {
        "Gemeentenaam", "Indelingswijziging", "MeestVoorkomendePostcode",
        "Meest voorkomende postcode", "Dekkingspercentage", "SoortRegio", "Soort regio", NULL};
    for (const char *const *n = exact; *n; n++)
        if (name_eq(h, *n))
            return 1;
    for (const char *const *n = prefix; *n; n++)
        if (name_prefix(h, *n))
            return 1;
    size_t len = strlen(h);
    /* names: gm_naam, wk_naam, bu_naam, wijk_naam, "Gemeentenaam (naam)" */
    if ((len >= 4 && !strcasecmp(h + len - 4, "naam")) || (len >= 5 && !strcasecmp(h + len - 5, "_name")) ||
        (len >= 6 && !strcasecmp(h + len - 6, "(naam)")))
        return 1;
    return wb_imp__is_key_name(h);
}

static const char *const year_names[] = {"perioden", "jaar", "year", "periode", NULL};
static const char *const level_names[] = {"level", "recs", "niveau", NULL};

/* The area name column: generic names first, then the one that goes with the key column
 * (wk_code -> wk_naam), so that a buurt file's wk_naam is not taken for the buurt name. */
long wb_imp__find_name(const wb_importer *imp)
{
    static const char *const generic[] = {"naam", "name", "regio", "regionaam", "statnaam",
                                          "Wijken en buurten", "Regio's", "gebiedsnaam",
                                          "gebiednaam", NULL};
    long i = wb_imp__find_any(imp->csv, generic);
    if (i >= 0 || imp->key_col < 0)
        return i;
    const char *k = wb_csv_header(imp->csv, (size_t)imp->key_col);
    size_t kl = strlen(k);
    if (kl > 5 && !strcasecmp(k + kl - 5, "_code")) {
        char nm[128];
        snprintf(nm, sizeof nm, "%.*s_naam", (int)(kl - 5), k);
        return wb_csv_find(imp->csv, nm);
    }
    return -1;
}

/* Remember that an indicator got data; count distinct ones. */
static int note_indicator(wb_importer *imp, int64_t id)
{
    for (size_t i = 0; i < imp->ninds_seen; i++)
        if (imp->inds_seen[i] == id)
            return 0;
    if (imp->ninds_seen == imp->capinds_seen) {
        size_t cap = imp->capinds_seen ? imp->capinds_seen * 2 : 32;
        int64_t *n = wb_realloc(imp->inds_seen, cap * sizeof *n);
        if (!n)
            return WB_ENOMEM;
        imp->inds_seen = n;
        imp->capinds_seen = cap;
    }
    imp->inds_seen[imp->ninds_seen++] = id;
    return 0;
}

/* The unit in a header's trailing parentheses: "Particuliere huishoudens (Aantal)" -> "Aantal". */
static int header_unit(char out[64], const char *h)
{
    size_t n = strlen(h);
    while (n && h[n - 1] == ' ')
        n--;
    if (n < 3 || h[n - 1] != ')')
        return 0;
    size_t open = n - 1;
    while (open > 0 && h[open] != '(')
        open--;
    if (h[open] != '(' || open == 0 || n - open - 2 == 0 || n - open - 2 >= 64)
        return 0;
    snprintf(out, 64, "%.*s", (int)(n - open - 2), h + open + 1);
    return 1;
}

int wb_imp__indicator(wb_importer *imp, int64_t *id, const char *key, const char *label_nl,
                      const char *unit)
{
    int r = wb_store_indicator_resolve(imp->st, id, NULL, key);
    if (r != WB_ENOTFOUND)
        return r;
    wb_error_clear();
    wb_indicator ind = {0};
    ind.key = (char *)key;
    ind.label_nl = (char *)label_nl;
    ind.unit = (char *)unit;
    ind.source = (char *)(imp->o->source ? imp->o->source : imp->pf->default_source);
    if ((r = wb_store_indicator_put(imp->st, id, &ind)) < 0)
        return r;
    imp->stats->new_indicators++;
    return 0;
}

int wb_imp__value_column(wb_importer *imp, size_t i, const char *label, const char *unit)
{
    const char *h = wb_csv_header(imp->csv, i);
    int64_t id;
    char key[64];
    int r = wb_catalog_resolve(imp->st, &id, key, h);
    if (r < 0 && r != WB_ENOTFOUND)
        return r;
    if (r == WB_ENOTFOUND) {
        if (wb_key_sanitize(key, h) < 0) {
            wb_error_prefix("%s:1:", wb_csv_name(imp->csv));
            return WB_EINVALID;
        }
        char hunit[64];
        if (!unit && header_unit(hunit, h))
            unit = hunit;
        if ((r = wb_imp__indicator(imp, &id, key, label ? label : h, unit)) < 0)
            return r;
        if (strcasecmp(h, key) && (r = wb_store_alias_put(imp->st, h, key)) < 0)
            return r;
        /* a StatLine key: also alias it without the yearly numeric suffix */
        char base[256];
        snprintf(base, sizeof base, "%s", h);
        char *us = strrchr(base, '_');
        if (us && us[1] && strspn(us + 1, "0123456789") == strlen(us + 1) &&
            strspn(base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                strlen(base) && strpbrk(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL) {
            *us = 0;
            if (strcasecmp(base, key) && (r = wb_store_alias_put(imp->st, base, key)) < 0)
                return r;
        }
    }
    return wb_imp__set_value(imp, i, id, key);
}

int wb_imp__set_value(wb_importer *imp, size_t i, int64_t id, const char *key)
{
    wb_colspec *col = &imp->cols[i];
    const char *h = wb_csv_header(imp->csv, i);
    for (size_t k = 0; k < imp->ncols; k++) {
        if (k != i && imp->cols[k].role == COL_VALUE && imp->cols[k].ind == id &&
            imp->cols[k].year == col->year) {
            wb_error_set(WB_ERRCLASS_CSV,
                         "%s:1: columns %zu ('%s') and %zu ('%s') both hold indicator %s: expected "
                         "one column per indicator",
                         wb_csv_name(imp->csv), k + 1, wb_csv_header(imp->csv, k), i + 1, h, key);
            return WB_EINVALID;
        }
    }
    col->role = COL_VALUE;
    col->ind = id;
    snprintf(col->key, sizeof col->key, "%s", key);
    return 0;
}

/* ---------------------------------------------------------------- the row loop */

/* Rows seen, to refuse a second row for the same area and year: per (area, extra) a bitmask
 * of the years base .. base+63 (extra is the indicator in the long format, the BEGIN year of
 * LBM development rows, else 0). Years outside that window go to an exact set. This keeps
 * the memory per area, not per row (a million rows of 50,000 buurten need ~50,000 slots);
 * the line of the first row is found again by a second pass when a duplicate turns up.
 *
 * The areas of an import sit in a table in the order rows first name them. Files repeat
 * their order of areas every year (or name one area for several years in a row), so the area
 * of a row is first compared with the one that followed the previous row's area last time,
 * and with that area itself; only then hashed. The comparisons walk the table in order,
 * which keeps a file of 50,000 areas out of cache misses. In the wide layout (extra always 0)
 * the year bitmask lives in the table too. */
typedef struct {
    char code[WB_CODE_MAX];
    int byear;
    int32_t next;   /* the area of the row that followed this one's last row; -1 */
    int64_t id;
    uint64_t years; /* wide layout: the year bitmask */
} aentry;

typedef struct {
    hmap rows;   /* (area, 0, extra) -> year bitmask, when extra can be non-zero */
    hmap other;  /* (area, year, extra) for years outside the window */
    int base;    /* year of bit 0; 0 until the first row */
    aentry *ae;  /* the areas of this import */
    size_t nae, capae;
    uint32_t *ah; /* hash of (code, boundary year) -> entry + 1 */
    size_t ahcap;
    int32_t prev; /* entry of the previous row; -1 */
    int checked[64]; /* boundary years looked up with wb_store__area_year_new */
    int nchecked;
    int64_t *long_ids;
    char **long_names;
    size_t nlong;
} loopstate;

static void loop_dispose(loopstate *ls)
{
    hmap_dispose(&ls->rows);
    hmap_dispose(&ls->other);
    wb_free(ls->ae);
    wb_free(ls->ah);
    for (size_t i = 0; i < ls->nlong; i++)
        wb_free(ls->long_names[i]);
    wb_free(ls->long_names);
    wb_free(ls->long_ids);
}

static uint64_t code_hash(const char *code, int byear)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uint32_t)byear;
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h ^ (h >> 31);
}

static int same_area(const aentry *e, const char *code, int byear)
{
    return e->byear == byear && !strcmp(e->code, code);
}

/* The entry of (code, byear), or -1. */
static int32_t area_lookup(const loopstate *ls, const char *code, int byear)
{
    if (!ls->ahcap)
        return -1;
    for (size_t j = code_hash(code, byear) & (ls->ahcap - 1);; j = (j + 1) & (ls->ahcap - 1)) {
        if (!ls->ah[j])
            return -1;
        if (same_area(&ls->ae[ls->ah[j] - 1], code, byear))
            return (int32_t)(ls->ah[j] - 1);
    }
}

static int32_t area_add(loopstate *ls, const char *code, int byear, int64_t id)
{
    if (ls->nae >= INT32_MAX - 1)
        return WB_ENOMEM;
    if (ls->nae == ls->capae) {
        size_t cap = ls->capae ? 2 * ls->capae : 1024;
        aentry *n = wb_realloc(ls->ae, cap * sizeof *n);
        if (!n)
            return WB_ENOMEM;
        ls->ae = n;
        ls->capae = cap;
    }
    if ((ls->nae + 1) * 2 > ls->ahcap) {
        size_t cap = ls->ahcap ? 2 * ls->ahcap : 2048;
        uint32_t *h = wb_calloc(cap, sizeof *h);
        if (!h)
            return WB_ENOMEM;
        for (size_t i = 0; i < ls->nae; i++) {
            size_t j = code_hash(ls->ae[i].code, ls->ae[i].byear) & (cap - 1);
            while (h[j])
                j = (j + 1) & (cap - 1);
            h[j] = (uint32_t)(i + 1);
        }
        wb_free(ls->ah);
        ls->ah = h;
        ls->ahcap = cap;
    }
    aentry *e = &ls->ae[ls->nae];
    snprintf(e->code, sizeof e->code, "%s", code);
    e->byear = byear;
    e->next = -1;
    e->id = id;
    e->years = 0;
    size_t j = code_hash(code, byear) & (ls->ahcap - 1);
    while (ls->ah[j])
        j = (j + 1) & (ls->ahcap - 1);
    ls->ah[j] = (uint32_t)(ls->nae + 1);
    return (int32_t)ls->nae++;
}

/* 1 when (area, year, extra) was seen before (and record it), 0 when new, < 0 on error.
 * @p entry: the area's entry (its bitmask serves when extra is 0). */
static int seen_before(loopstate *ls, aentry *entry, int64_t area, int year, int32_t extra)
{
    int fresh;
    if (!ls->base)
        ls->base = year - 32;
    int bit = year - ls->base;
    if (bit < 0 || bit > 63) {
        if (!hmap_upsert(&ls->other, area, year, extra, 1, &fresh))
            return WB_ENOMEM;
        return !fresh;
    }
    uint64_t *mask = &entry->years;
    if (extra) {
        hslot *s = hmap_upsert(&ls->rows, area, 0, extra, 0, &fresh);
        if (!s)
            return WB_ENOMEM;
        mask = &s->v;
    }
    uint64_t m = (uint64_t)1 << bit;
    if (*mask & m)
        return 1;
    *mask |= m;
    return 0;
}

static int field_error_in(wb_csv *c, size_t col)
{
    char where[512];
    wb_error_prefix("%s: column '%s'", wb_csv__where(c, (long)col, where, sizeof where),
                    wb_csv_header(c, col));
    return WB_EPARSE;
}

static int field_error(wb_importer *imp, size_t col)
{
    return field_error_in(imp->csv, col);
}

/* The key of a record: code, level, data year, BEGIN. 0 = use it, 1 = skipped by --year or
 * --level, < 0 = malformed (message set). */
typedef struct {
    char code[WB_CODE_MAX];
    wb_level level;
    int year, begin;
} rowkey;

static int parse_key(const wb_importer *imp, wb_csv *c, rowkey *k)
{
    const wb_import_opts *o = imp->o;
    if (wb_csv_code(c, (size_t)imp->key_col, k->code, &k->level, o->level) < 0)
        return WB_EPARSE;
    if (o->level != WB_LEVEL__MAX && k->level != o->level)
        return 1;
    k->year = imp->default_year;
    size_t len;
    if (imp->year_col >= 0) {
        const char *s = wb_csv_field(c, (size_t)imp->year_col, &len);
        if (wb_parse_year(&k->year, s, len) < 0)
            return field_error_in(c, (size_t)imp->year_col);
        if (o->year && k->year != o->year)
            return 1;
    }
    k->begin = 0;
    if (imp->begin_col >= 0) {
        const char *s = wb_csv_field(c, (size_t)imp->begin_col, &len);
        if (wb_parse_year(&k->begin, s, len) < 0)
            return field_error_in(c, (size_t)imp->begin_col);
        if (k->begin >= k->year) {
            wb_error_set(WB_ERRCLASS_CSV, "expected a BEGIN year before the end year %d, got %d",
                         k->year, k->begin);
            return field_error_in(c, (size_t)imp->begin_col);
        }
    }
    return 0;
}

/* A field trimmed of spaces and tabs, copied whole into @p buf (reused from record to record,
 * so nothing is allocated once it is large enough; never cut: a cut name or indicator name
 * would be stored wrong, or split a UTF-8 sequence). NULL when out of memory. */
static const char *trimmed(wb_csv *c, size_t col, wb_str *buf)
{
    size_t len;
    const char *s = wb_csv_field(c, col, &len);
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    wb_str_clear(buf);
    if (wb_str_put(buf, s, len) < 0)
        return NULL;
    return wb_str_cstr(buf);
}

/* Second pass after a duplicate: where the first record with the same key is ("line 3",
 * "row 3", "layer buurten, feature 3"), written to @p buf; 0 when it cannot be found. */
static int first_line(const wb_importer *imp, const loopstate *ls, const rowkey *want,
                      const char *long_name, char *buf, size_t bufn)
{
    if (!strcmp(imp->path, "-"))
        return 0;
    wb_import_opts o = *imp->o;
    o.delimiter = wb_csv_delimiter(imp->csv);
    wb_csv *c = NULL;
    wb_str nmbuf = WB_STR_INIT;
    size_t line = 0;
    wb_table_info info;
    if (imp->open(&c, imp->path, &o, &info, imp->open_ctx) < 0) {
        wb_error_clear();
        return 0;
    }
    int64_t want_ind = 0;
    for (size_t i = 0; long_name && i < ls->nlong; i++)
        if (!strcmp(ls->long_names[i], long_name))
            want_ind = ls->long_ids[i];
    while (!line && wb_csv_next(c) > 0) {
        rowkey k;
        if (parse_key(imp, c, &k) != 0 || strcmp(k.code, want->code) || k.year != want->year ||
            k.begin != want->begin)
            continue;
        if (long_name) {
            const char *nm = trimmed(c, (size_t)imp->ind_col, &nmbuf);
            if (!nm)
                break;
            int64_t id = 0;
            for (size_t i = 0; i < ls->nlong; i++)
                if (!strcmp(ls->long_names[i], nm))
                    id = ls->long_ids[i];
            if (id != want_ind)
                continue;
        }
        line = wb_csv_line(c);
        wb_csv__record_name(c, buf, bufn);
    }
    wb_csv_free(c);
    wb_str_dispose(&nmbuf);
    wb_error_clear();
    return line != 0;
}

/* The area of a row: predicted from the previous row, else found through the store's cache
 * or created. A name is written the first time the area is seen in this import. */
static int row_area(wb_importer *imp, loopstate *ls, int32_t *entry, const char *code, int byear,
                    wb_level level, const char *name)
{
    int32_t e = -1;
    if (ls->prev >= 0) {
        const aentry *p = &ls->ae[ls->prev];
        if (p->next >= 0 && same_area(&ls->ae[p->next], code, byear))
            e = p->next;
        else if (same_area(p, code, byear))
            e = ls->prev;
    }
    if (e < 0)
        e = area_lookup(ls, code, byear);
    if (e < 0) {
        int64_t id;
        int r = 0;
        int known = 0;
        for (int i = 0; i < ls->nchecked && !known; i++)
            known = ls->checked[i] == byear;
        if (!known && ls->nchecked < (int)(sizeof ls->checked / sizeof ls->checked[0])) {
            /* a boundary year without areas yet: no query per new area */
            if ((r = wb_store__area_year_new(imp->st, byear)) < 0)
                return r;
            ls->checked[ls->nchecked++] = byear;
        }
        r = wb_store_area_find(imp->st, &id, code, byear);
        if (r == WB_ENOTFOUND) {
            wb_error_clear();
            if ((r = wb_store_area_put(imp->st, &id, code, byear, level, name, NULL)) < 0)
                return r;
            imp->stats->new_areas++;
        } else if (r < 0) {
            return r;
        } else if (name && *name && (r = wb_store_area_put(imp->st, &id, code, byear, level, name, NULL)) < 0) {
            return r;
        }
        if ((e = area_add(ls, code, byear, id)) < 0)
            return e;
        imp->stats->areas++;
    }
    if (ls->prev >= 0)
        ls->ae[ls->prev].next = e;
    ls->prev = e;
    *entry = e;
    return 0;
}

static int put_value(wb_importer *imp, int64_t ind, int64_t area, int year, double v)
{
    int r = wb_store_obs_put(imp->st, ind, area, year, v);
    if (r < 0)
        return r;
    imp->stats->values++;
    if (isnan(v))
        imp->stats->missing++;
    wb_import_stats *s = imp->stats;
    if (!s->min_year || year < s->min_year)
        s->min_year = year;
    if (year > s->max_year)
        s->max_year = year;
    return 0;
}

/* Long format: the indicator of a row's indicator name, resolved once per distinct name. */
static int long_indicator(wb_importer *imp, loopstate *ls, int64_t *id, const char *name)
{
    for (size_t i = 0; i < ls->nlong; i++)
        if (!strcmp(ls->long_names[i], name)) {
            *id = ls->long_ids[i];
            return 0;
        }
    char key[64];
    int r = wb_catalog_resolve(imp->st, id, key, name);
    if (r == WB_ENOTFOUND) {
        if (wb_key_sanitize(key, name) < 0)
            return WB_EINVALID;
        if ((r = wb_imp__indicator(imp, id, key, name, NULL)) < 0)
            return r;
        if (strcasecmp(name, key) && (r = wb_store_alias_put(imp->st, name, key)) < 0)
            return r;
    } else if (r < 0) {
        return r;
    }
    char **nn = wb_realloc(ls->long_names, (ls->nlong + 1) * sizeof *nn);
    if (!nn)
        return WB_ENOMEM;
    ls->long_names = nn;
    int64_t *ni = wb_realloc(ls->long_ids, (ls->nlong + 1) * sizeof *ni);
    if (!ni)
        return WB_ENOMEM;
    ls->long_ids = ni;
    if (!(ls->long_names[ls->nlong] = wb_strdup(name)))
        return WB_ENOMEM;
    ls->long_ids[ls->nlong++] = *id;
    return 0;
}

/* LBM development: the indicator <base>_ontw_<begin>, made the first time a BEGIN is seen. */
static int period_indicator(wb_importer *imp, wb_colspec *col, int begin, int64_t *id)
{
    for (int k = 0; k < col->nper; k++)
        if (col->per[k].begin == begin) {
            *id = col->per[k].id;
            return 0;
        }
    if (col->nper == WB_MAX_PERIODS) {
        wb_error_set(WB_ERRCLASS_CSV, "%s: more than %d different BEGIN years", wb_csv_name(imp->csv),
                     WB_MAX_PERIODS);
        return WB_EINVALID;
    }
    char key[64], label[256];
    snprintf(key, sizeof key, "%s_ontw_%d", col->key, begin);
    const wb_catalog_entry *ce = wb_catalog_find(col->key);
    const char *base_label = ce ? ce->label_nl : col->key, *dim = ce ? ce->dimension : NULL;
    snprintf(label, sizeof label, "%s: verandering sinds %d", base_label, begin);
    int r = wb_store_indicator_resolve(imp->st, id, NULL, key);
    if (r == WB_ENOTFOUND) {
        wb_error_clear();
        wb_indicator ind = {0};
        ind.key = key;
        ind.label_nl = label;
        ind.unit = "verschil in score";
        ind.direction = WB_DIR_HIGHER_BETTER;
        ind.dimension = (char *)dim;
        ind.source = (char *)(imp->o->source ? imp->o->source : imp->pf->default_source);
        if ((r = wb_store_indicator_put(imp->st, id, &ind)) < 0)
            return r;
        imp->stats->new_indicators++;
    } else if (r < 0) {
        return r;
    }
    col->per[col->nper].begin = begin;
    col->per[col->nper].id = *id;
    col->nper++;
    return 0;
}

int wb_imp__cbs_missing_code(double v)
{
    /* -99999999 (secret) and its neighbours in the older maps, -99997 and its neighbours in
     * the newer ones; no kerncijfer comes near these values (docs/import.md) */
    return (v <= -99999990.0 && v >= -99999999.0 && v == floor(v)) ||
           (v <= -99990.0 && v >= -99999.0 && v == floor(v));
}

/* The text NaN (padded): how CBS's kwb-YYYY CSV writes an empty cell. */
static int is_nan_text(const wb_csv *c, size_t i)
{
    size_t len;
    const char *s = wb_csv_field(c, i, &len);
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return len == 3 && !strncmp(s, "NaN", 3);
}

static int run_rows(wb_importer *imp)
{
    wb_csv *c = imp->csv;
    const wb_import_opts *o = imp->o;
    wb_import_stats *stats = imp->stats;
    loopstate ls;
    memset(&ls, 0, sizeof ls);
    ls.prev = -1;
    wb_str levelbuf = WB_STR_INIT, namebuf = WB_STR_INIT, nmbuf = WB_STR_INIT;
    int r = 0;
    const char *fname = wb_csv_name(c);
    char where[512];
    const char *slash = strrchr(fname, '/');
    char what[160];
    snprintf(what, sizeof what, "importing %s", slash ? slash + 1 : fname);

    while ((r = wb_csv_next(c)) > 0) {
        stats->rows++;
        if ((stats->rows & 4095) == 0) {
            if (o->progress) {
                uint64_t done, total;
                wb_csv_progress(c, &done, &total);
                o->progress(o->progress_payload, what, (size_t)done, (size_t)total);
            }
        }
        rowkey k;
        if ((r = parse_key(imp, c, &k)) < 0)
            goto done;
        if (r == 1) {
            stats->skipped++;
            continue;
        }
        if (imp->level_col >= 0 && k.level != WB_LEVEL_OTHER) {
            const char *b = trimmed(c, (size_t)imp->level_col, &levelbuf);
            if (!b) {
                r = WB_ENOMEM;
                goto done;
            }
            wb_level given;
            if (*b && (wb_level_parse(&given, b) < 0 || given != k.level)) {
                wb_error_set(WB_ERRCLASS_CSV, "expected the level of %s (%s), got '%s'", k.code,
                             wb_level_name(k.level), b);
                r = field_error(imp, (size_t)imp->level_col);
                goto done;
            }
        }
        int byear = imp->boundary_year ? imp->boundary_year : k.year;
        const char *name = NULL;
        if (imp->name_col >= 0 && !(name = trimmed(c, (size_t)imp->name_col, &namebuf))) {
            r = WB_ENOMEM;
            goto done;
        }
        int32_t entry;
        if ((r = row_area(imp, &ls, &entry, k.code, byear, k.level, name)) < 0)
            goto done;
        int64_t area = ls.ae[entry].id;

        /* one row per (area, year[, BEGIN | indicator]) */
        int64_t long_ind = 0;
        const char *nm = "";
        if (imp->ind_col >= 0) {
            if (!(nm = trimmed(c, (size_t)imp->ind_col, &nmbuf))) {
                r = WB_ENOMEM;
                goto done;
            }
            if (!*nm) {
                wb_error_set(WB_ERRCLASS_CSV, "expected an indicator name, got an empty field");
                r = field_error(imp, (size_t)imp->ind_col);
                goto done;
            }
            if ((r = long_indicator(imp, &ls, &long_ind, nm)) < 0) {
                if (r == WB_EINVALID)
                    r = field_error(imp, (size_t)imp->ind_col);
                goto done;
            }
        }
        if ((r = seen_before(&ls, &ls.ae[entry], area, k.year, (int32_t)(long_ind ? long_ind : k.begin))) < 0)
            goto done;
        if (r) {
            char extra[300] = "", yr[32] = "", first[160] = "an earlier line";
            if (long_ind)
                snprintf(extra, sizeof extra, ", indicator '%s'", nm);
            else if (k.begin)
                snprintf(extra, sizeof extra, ", period %d-%d", k.begin, k.year);
            if (k.year)
                snprintf(yr, sizeof yr, " in %d", k.year);
            first_line(imp, &ls, &k, long_ind ? nm : NULL, first, sizeof first);
            wb_error_set(WB_ERRCLASS_CSV,
                         "%s: expected one row per area and year, got a second row for %s%s%s "
                         "(the first is on %s)",
                         wb_csv__where(c, -1, where, sizeof where), k.code, yr, extra, first);
            r = WB_ECONFLICT;
            goto done;
        }

        for (size_t i = 0; i < imp->ncols; i++) {
            wb_colspec *col = &imp->cols[i];
            if (col->role != COL_VALUE && col->role != COL_PERIOD && col->role != COL_LONG_VALUE)
                continue;
            if (wb_csv__absent(c, i)) /* a column of another layer */
                continue;
            double v;
            if (imp->pf->cbs_missing && is_nan_text(c, i)) {
                v = NAN;
            } else if ((r = wb_csv_number(c, i, &v)) < 0) {
                goto done;
            } else if (imp->pf->cbs_missing && wb_imp__cbs_missing_code(v)) {
                v = NAN;
                stats->missing_codes++;
            }
            int64_t ind = col->ind;
            int y = col->year ? col->year : k.year;
            if (col->role == COL_PERIOD && (r = period_indicator(imp, col, k.begin, &ind)) < 0)
                goto done;
            if (col->role == COL_LONG_VALUE)
                ind = long_ind;
            if (!y) {
                wb_error_set(WB_ERRCLASS_CSV, "%s: no data year for this row (give --year)",
                             wb_csv__where(c, -1, where, sizeof where));
                r = WB_EINVALID;
                goto done;
            }
            if ((r = put_value(imp, ind, area, y, v)) < 0 || (r = note_indicator(imp, ind)) < 0)
                goto done;
        }
    }
done:
    if (r == 0 && o->progress) {
        uint64_t done, total;
        wb_csv_progress(c, &done, &total);
        o->progress(o->progress_payload, what, (size_t)total, (size_t)total);
    }
    loop_dispose(&ls);
    wb_str_dispose(&levelbuf);
    wb_str_dispose(&namebuf);
    wb_str_dispose(&nmbuf);
    return r < 0 ? r : 0;
}

/* ---------------------------------------------------------------- running an import */

static void make_summary(wb_str *s, const wb_import_stats *st)
{
    wb_str_printf(s, "%zu rows, %zu areas (%zu new), %zu indicators (%zu new), %zu values "
                     "(%zu missing), %zu rows skipped",
                  st->rows, st->areas, st->new_areas, st->indicators, st->new_indicators,
                  st->values, st->missing, st->skipped);
    if (st->min_year)
        wb_str_printf(s, "; years %d-%d", st->min_year, st->max_year);
    if (st->boundary_year)
        wb_str_printf(s, "; boundaries %d", st->boundary_year);
}

int wb_imp__run(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o,
                const wb_import_profile *pf)
{
    return wb_imp__run_with(st, stats, path, o, pf, wb_imp__open_table, NULL);
}

const wb_import_opts *wb_imp__defaults(const wb_import_opts *o, wb_import_stats **stats,
                                      wb_import_stats *local)
{
    static const wb_import_opts def = WB_IMPORT_OPTS_INIT;
    if (!*stats)
        *stats = local;
    memset(*stats, 0, sizeof **stats);
    return o ? o : &def;
}

int wb_imp__run_with(wb_store *st, wb_import_stats *stats, const char *path,
                     const wb_import_opts *o, const wb_import_profile *pf, wb_table_open_fn open,
                     void *ctx)
{
    wb_import_stats local;
    o = wb_imp__defaults(o, &stats, &local);
    wb_importer imp;
    memset(&imp, 0, sizeof imp);
    imp.st = st;
    imp.path = path;
    imp.o = o;
    imp.pf = pf;
    imp.stats = stats;
    imp.open = open;
    imp.open_ctx = ctx;
    imp.key_col = imp.year_col = imp.name_col = imp.level_col = imp.begin_col = imp.ind_col =
        imp.val_col = -1;
    imp.boundary_year = o->boundary_year;
    int own_tx = 0, error = 0, bulk = 0;
    wb_str summary = WB_STR_INIT;

    if (o->year && (o->year < 1800 || o->year > 2200)) {
        wb_error_set(WB_ERRCLASS_ARG, "year %d: expected 1800..2200", o->year);
        return WB_EINVALID;
    }
    if (o->boundary_year && (o->boundary_year < 1800 || o->boundary_year > 2200)) {
        wb_error_set(WB_ERRCLASS_ARG, "boundary year %d: expected 1800..2200", o->boundary_year);
        return WB_EINVALID;
    }
    wb_table_info info;
    memset(&info, 0, sizeof info);
    if ((error = open(&imp.csv, path, o, &info, ctx)) < 0)
        goto done;
    snprintf(imp.note, sizeof imp.note, "%s", info.note);
    imp.ncols = wb_csv_ncols(imp.csv);
    imp.cols = wb_calloc(imp.ncols, sizeof *imp.cols);
    if (!imp.cols) {
        error = WB_ENOMEM;
        goto done;
    }
    if (!wb_store_in_transaction(st)) {
        /* Our own transaction, in the store's bulk mode (ended afterwards). The values
         * collect in the store's buffer and reach the table in key order at the commit. */
        if (wb_store_bulk_begin(st) == 0)
            bulk = 1;
        else
            wb_error_clear(); /* only slower without it */
        if ((error = wb_store_begin(st)) < 0)
            goto done;
        own_tx = 1;
    }
    if ((error = wb_catalog_seed(st)) < 0 || (error = pf->classify(&imp)) < 0)
        goto done;
    /* what the classification found */
    size_t nvalue = 0, nfixed = 0;
    for (size_t i = 0; i < imp.ncols; i++) {
        wb_colspec *col = &imp.cols[i];
        nvalue += col->role == COL_VALUE || col->role == COL_PERIOD || col->role == COL_LONG_VALUE;
        nfixed += col->role == COL_VALUE && col->year;
        stats->ignored_cols += col->role == COL_IGNORE;
    }
    if (!nvalue) {
        wb_str s = WB_STR_INIT;
        list_columns(&s, imp.csv);
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected at least one indicator column, got the columns %s",
                     wb_csv_name(imp.csv), wb_str_cstr(&s));
        wb_str_dispose(&s);
        error = WB_EINVALID;
        goto done;
    }
    if (imp.year_col < 0 && !imp.default_year)
        imp.default_year = o->year;
    if (imp.year_col < 0 && !imp.default_year && nfixed < nvalue) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:1: expected a year column (Perioden, JAAR, jaar, year) or --year Y, got "
                     "neither",
                     wb_csv_name(imp.csv));
        error = WB_EINVALID;
        goto done;
    }
    if (imp.year_col < 0 && !imp.boundary_year && nfixed == nvalue) {
        wb_error_set(WB_ERRCLASS_ARG, "%s: every column has its own year: give --boundary-year",
                     wb_csv_name(imp.csv));
        error = WB_EINVALID;
        goto done;
    }
    if ((error = run_rows(&imp)) < 0)
        goto done;
    stats->indicators = imp.ninds_seen;
    if (imp.boundary_year)
        stats->boundary_year = imp.boundary_year;
    else if (stats->min_year == stats->max_year)
        stats->boundary_year = stats->min_year;
    snprintf(stats->note, sizeof stats->note, "%s", imp.note);
    make_summary(&summary, stats);
    if ((error = wb_store_log_import(st, pf->kind, path, wb_str_cstr(&summary))) < 0)
        goto done;
    if (own_tx) {
        own_tx = 0;
        error = wb_store_commit(st);
    }
done:
    if (own_tx)
        wb_store_rollback(st);
    if (bulk)
        wb_store_bulk_end(st);
    wb_str_dispose(&summary);
    wb_csv_free(imp.csv);
    wb_free(imp.cols);
    wb_free(imp.inds_seen);
    wb_codebook__free(imp.codebook);
    return error;
}

int wb_imp__max_year(int *out, const wb_importer *imp, const char *const *col_names)
{
    *out = 0;
    wb_csv *c = NULL;
    wb_table_info info;
    int r = imp->open(&c, imp->path, imp->o, &info, imp->open_ctx);
    if (r < 0)
        return r;
    long col = wb_imp__find_any(c, col_names);
    while (col >= 0 && (r = wb_csv_next(c)) > 0) {
        size_t len;
        const char *s = wb_csv_field(c, (size_t)col, &len);
        int y;
        if (wb_parse_year(&y, s, len) == 0 && y > *out)
            *out = y;
    }
    wb_csv_free(c);
    wb_error_clear();
    return 0; /* a malformed file is reported by the import itself, with its position */
}

/* ---------------------------------------------------------------- generic CSV */

static const char *const ind_names[] = {"indicator", "variabele", "variable", "onderwerp",
                                        "kenmerk", NULL};
static const char *const value_names[] = {"value", "waarde", NULL};

static int classify_csv(wb_importer *imp)
{
    wb_csv *c = imp->csv;
    /* a boundary crosswalk (van_jaar, naar_jaar, wijk_van, wijk_naar, n_adressen) is not area
     * data: refuse it rather than importing nonsense */
    int van = 0, naar = 0;
    for (size_t i = 0; i < imp->ncols; i++) {
        const char *h = wb_csv_header(c, i);
        size_t n = strlen(h);
        van += (n > 4 && !strcasecmp(h + n - 4, "_van")) || name_prefix(h, "van_");
        naar += (n > 5 && !strcasecmp(h + n - 5, "_naar")) || name_prefix(h, "naar_");
    }
    if (van && naar) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:1: expected area data, got a boundary crosswalk (columns *_van and "
                     "*_naar): crosswalks between boundary years are not imported (yet)",
                     wb_csv_name(c));
        return WB_EINVALID;
    }
    int r = wb_imp__find_key(imp);
    if (r < 0)
        return r;
    imp->cols[imp->key_col].role = COL_KEY;
    imp->ind_col = wb_imp__find_any(c, ind_names);
    imp->val_col = wb_imp__find_any(c, value_names);
    int is_long = imp->ind_col >= 0 && imp->val_col >= 0;
    if (imp->o->long_format && !is_long) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:1: --long: expected the columns indicator and value (or variabele, "
                     "waarde), got %s%s",
                     wb_csv_name(c), imp->ind_col < 0 ? "no indicator column" : "",
                     imp->val_col < 0 ? (imp->ind_col < 0 ? " and no value column" : "no value column") : "");
        return WB_EINVALID;
    }
    if (!is_long)
        imp->ind_col = imp->val_col = -1;
    imp->year_col = wb_imp__find_any(c, year_names);
    imp->name_col = wb_imp__find_name(imp);
    imp->level_col = wb_imp__find_any(c, level_names);
    if (imp->ind_col >= 0) {
        imp->cols[imp->ind_col].role = COL_LONG_IND;
        imp->cols[imp->val_col].role = COL_LONG_VALUE;
    }
    if (imp->year_col >= 0)
        imp->cols[imp->year_col].role = COL_YEAR;
    if (imp->name_col >= 0)
        imp->cols[imp->name_col].role = COL_NAME;
    if (imp->level_col >= 0)
        imp->cols[imp->level_col].role = COL_LEVEL;
    for (size_t i = 0; i < imp->ncols; i++) {
        if (imp->cols[i].role != COL_IGNORE || (long)i == imp->key_col)
            continue;
        const char *h = wb_csv_header(c, i);
        if (is_long || wb_imp__skipped_by_option(imp, h) || wb_imp__is_row_index(h) ||
            wb_imp__is_descriptive(h))
            continue;
        if ((r = wb_imp__value_column(imp, i, NULL, NULL)) < 0)
            return r;
    }
    return 0;
}

static const wb_import_profile csv_profile = {"csv", NULL, classify_csv, 0};

int wb_import_csv(wb_store *st, wb_import_stats *stats, const char *path, const wb_import_opts *o)
{
    wb_import_profile pf = csv_profile;
    const char *slash = strrchr(path, '/');
    pf.default_source = slash ? slash + 1 : path;
    return wb_imp__run(st, stats, path, o, &pf);
}
