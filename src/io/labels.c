/**
 * @file
 * @brief Label sets from a file of area codes, or of area names with their gemeente (such as
 * the 40 aandachtswijken of 2007: nr,gemeente,gm_code,wijk_naam,...), matched to the areas of
 * one boundary year in the store.
 *
 * Names are compared after folding case and Latin-1 accents and dropping everything that is
 * not a letter or digit ("Bos en Lommer" = "bos-en-lommer"), among the wijken and buurten of
 * the given gemeente. Several areas with the same name at the preferred level make the row
 * ambiguous (reported, not guessed). An optional match file maps names to codes by hand, e.g.
 * a policy "wijk" to its buurten: columns name and code (or codes: several codes in one field,
 * separated by ';', ',', '|' or spaces), optionally gm_code, and optionally a quality column
 * (match) that opts->match_quality filters on. A row of a label file that the match file
 * knows is decided by the match file alone: its codes, or "excluded" when its quality is not
 * accepted, or nothing when it gives no code; it never falls back to matching by name.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/import_internal.h"
#include "wijkbeeld/errors.h"

/* Fold a name for comparison: ASCII lower case with Latin-1 accents folded; words kept apart
 * first so that the numbering CBS puts before many names ("Wijk 27 Stationsbuurt", "Wijk 17
 * Stadsdeel Gestel") and a leading article ("Het Arnhemse Broek" = "Arnhemse broek") can be
 * dropped; then only [a-z0-9] remain ("Bos en Lommer" = "bos-en-lommer"). */
static void fold_name(char *out, size_t outn, const char *in)
{
    static const char map[64] = "aaaaaaaceeeeiiiidnooooo ouuuuyts"
                                "aaaaaaaceeeeiiiidnooooo ouuuuyty";
    char words[512];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 2 < sizeof words; p++) {
        char ch = ' ';
        if (*p < 0x80) {
            if (isalnum(*p))
                ch = (char)tolower(*p);
            else if (*p == '\'')
                continue; /* 't, Hof's */
        } else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            unsigned cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
            if (cp >= 0xC0 && cp <= 0xFF && map[cp - 0xC0] != ' ')
                ch = map[cp - 0xC0];
            p++;
        }
        if (ch == ' ' && (n == 0 || words[n - 1] == ' '))
            continue;
        words[n++] = ch;
    }
    words[n] = 0;
    const char *w = words;
    /* "wijk 27 ", "buurt 03 " */
    if (!strncmp(w, "wijk ", 5) || !strncmp(w, "buurt ", 6)) {
        const char *q = strchr(w, ' ') + 1;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q))
                q++;
            if (*q == ' ')
                w = q + 1;
        }
    }
    if (!strncmp(w, "stadsdeel ", 10))
        w += 10;
    if (!strncmp(w, "de ", 3) && w[3])
        w += 3;
    else if (!strncmp(w, "het ", 4) && w[4])
        w += 4;
    else if (!strncmp(w, "t ", 2) && w[2])
        w += 2;
    size_t k = 0;
    for (; *w && k + 1 < outn; w++)
        if (*w != ' ')
            out[k++] = *w;
    out[k] = 0;
}

void wb_label_result_dispose(wb_label_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        wb_free(r->rows[i].input);
        wb_free(r->rows[i].name);
        wb_free(r->rows[i].quality);
    }
    wb_free(r->rows);
    memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- areas of one gemeente */

typedef struct {
    char gm[WB_CODE_MAX];
    wb_area *areas;
    size_t n;
    char **folded;
} gm_areas;

typedef struct {
    wb_store *st;
    int year;
    gm_areas *g;
    size_t ng;
    /* match file: one row per (name, code); a name given without codes has code "" */
    struct mrow {
        char gm[WB_CODE_MAX];
        char *folded;
        char code[WB_CODE_MAX];
        char quality[32]; /* the quality column, "" without one */
        int excluded;     /* quality not in opts->match_quality */
    } *m;
    size_t nm;
} ctx;

static void ctx_dispose(ctx *x)
{
    for (size_t i = 0; i < x->ng; i++) {
        for (size_t k = 0; k < x->g[i].n; k++)
            wb_free(x->g[i].folded[k]);
        wb_free(x->g[i].folded);
        wb_areas_free(x->g[i].areas, x->g[i].n);
    }
    wb_free(x->g);
    for (size_t i = 0; i < x->nm; i++)
        wb_free(x->m[i].folded);
    wb_free(x->m);
}

static int load_gm(ctx *x, gm_areas **out, const char *gm)
{
    for (size_t i = 0; i < x->ng; i++)
        if (!strcmp(x->g[i].gm, gm)) {
            *out = &x->g[i];
            return 0;
        }
    gm_areas *ng = wb_realloc(x->g, (x->ng + 1) * sizeof *ng);
    if (!ng)
        return WB_ENOMEM;
    x->g = ng;
    gm_areas *g = &x->g[x->ng++];
    memset(g, 0, sizeof *g);
    snprintf(g->gm, sizeof g->gm, "%s", gm);
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.year = x->year;
    q.within = gm;
    int r = wb_store_areas(x->st, &g->areas, &g->n, &q);
    if (r < 0)
        return r;
    g->folded = wb_calloc(g->n + 1, sizeof *g->folded);
    if (!g->folded)
        return WB_ENOMEM;
    for (size_t k = 0; k < g->n; k++) {
        char buf[256];
        fold_name(buf, sizeof buf, g->areas[k].name ? g->areas[k].name : "");
        if (!(g->folded[k] = wb_strdup(buf)))
            return WB_ENOMEM;
    }
    *out = g;
    return 0;
}

/* Latest boundary year with wijken or buurten in the store. */
static int latest_year(wb_store *st, int *year)
{
    int wijk = 0, buurt = 0;
    int r = wb_store_area_latest_year(st, &wijk, WB_LEVEL_WIJK);
    if (r < 0 || (r = wb_store_area_latest_year(st, &buurt, WB_LEVEL_BUURT)) < 0)
        return r;
    *year = wijk > buurt ? wijk : buurt;
    if (!*year) {
        wb_error_set(WB_ERRCLASS_STORE, "no wijken or buurten in the store to match labels to "
                     "(import areas first, e.g. with import geo or import kwb)");
        return WB_ENOTFOUND;
    }
    return 0;
}

/* Is @p q one of the comma-separated @p list (case-insensitive)? */
static int in_list(const char *list, const char *q)
{
    size_t n = strlen(q);
    for (const char *p = list; *p;) {
        p += strspn(p, ", ");
        size_t k = strcspn(p, ",");
        size_t e = k;
        while (e && p[e - 1] == ' ')
            e--;
        if (e && e == n && !strncasecmp(p, q, n))
            return 1;
        p += k;
    }
    return 0;
}

static int add_mrow(ctx *x, const char *gm, const char *folded, const char *code, const char *quality,
                    int excluded)
{
    struct mrow *nm = wb_realloc(x->m, (x->nm + 1) * sizeof *nm);
    if (!nm)
        return WB_ENOMEM;
    x->m = nm;
    struct mrow *m = &x->m[x->nm];
    memset(m, 0, sizeof *m);
    snprintf(m->gm, sizeof m->gm, "%s", gm);
    snprintf(m->code, sizeof m->code, "%s", code);
    snprintf(m->quality, sizeof m->quality, "%s", quality);
    m->excluded = excluded;
    if (!(m->folded = wb_strdup(folded)))
        return WB_ENOMEM;
    x->nm++;
    return 0;
}

static int load_match_file(ctx *x, const char *path, char delim, const char *accept)
{
    wb_csv_opts co = WB_CSV_OPTS_INIT;
    co.delimiter = delim;
    wb_csv *c = NULL;
    int r = wb_csv_open(&c, path, &co);
    if (r < 0)
        return r;
    static const char *const names[] = {"name", "naam", "wijk_naam", "buurt_naam", "gebied", NULL};
    static const char *const codes[] = {"code", "area_code", "bu_code", "wk_code", "codes", "area_codes",
                                        "wk_codes", "bu_codes", NULL};
    static const char *const gms[] = {"gm_code", "gemeentecode", NULL};
    static const char *const quals[] = {"match", "quality", "kwaliteit", NULL};
    long ni = wb_imp__find_any(c, names), ci = wb_imp__find_any(c, codes), gi = wb_imp__find_any(c, gms),
         qi = wb_imp__find_any(c, quals);
    if (ni < 0 || ci < 0) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected the columns name and code (or codes) and "
                     "optionally gm_code and match", wb_csv_name(c));
        r = WB_EINVALID;
        goto done;
    }
    if (accept && qi < 0) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected a quality column (match, quality) to select rows "
                     "by quality (--match-quality %s)", wb_csv_name(c), accept);
        r = WB_EINVALID;
        goto done;
    }
    while ((r = wb_csv_next(c)) > 0) {
        char gm[WB_CODE_MAX] = "", folded[256], quality[32] = "";
        if (gi >= 0 && (r = wb_csv_code(c, (size_t)gi, gm, NULL, WB_LEVEL_GEMEENTE)) < 0)
            goto done;
        fold_name(folded, sizeof folded, wb_csv_field(c, (size_t)ni, NULL));
        if (qi >= 0) {
            size_t ql;
            const char *q = wb_csv_field(c, (size_t)qi, &ql);
            while (ql && *q == ' ')
                q++, ql--;
            while (ql && q[ql - 1] == ' ')
                ql--;
            snprintf(quality, sizeof quality, "%.*s", (int)ql, q);
        }
        int excluded = accept && !in_list(accept, quality);
        /* one or more codes: ';' ',' '|' or spaces between them */
        size_t len, nc = 0;
        const char *f = wb_csv_field(c, (size_t)ci, &len), *end = f + len;
        while (f < end) {
            size_t k = 0;
            while (f < end && strchr(";,| ", *f))
                f++;
            while (f + k < end && !strchr(";,| ", f[k]))
                k++;
            if (!k)
                break;
            char code[WB_CODE_MAX];
            if (wb_code_normalize(code, NULL, f, k, WB_LEVEL__MAX) < 0) {
                size_t line, col;
                wb_csv_pos(c, (size_t)ci, &line, &col);
                wb_error_prefix("%s:%zu:%zu: column '%s'", wb_csv_name(c), line, col,
                                wb_csv_header(c, (size_t)ci));
                r = WB_EPARSE;
                goto done;
            }
            if ((r = add_mrow(x, gm, folded, code, quality, excluded)) < 0)
                goto done;
            nc++;
            f += k;
        }
        /* a name the match file knows but gives no area */
        if (!nc && (r = add_mrow(x, gm, folded, "", quality, excluded)) < 0)
            goto done;
    }
done:
    wb_csv_free(c);
    return r < 0 ? r : 0;
}

/* ---------------------------------------------------------------- import */

int wb_import_labels(wb_store *st, wb_label_result *res, const char *path, const char *set,
                     const wb_label_opts *o)
{
    static const wb_label_opts def = WB_LABEL_OPTS_INIT;
    if (!o)
        o = &def;
    memset(res, 0, sizeof *res);
    ctx x;
    memset(&x, 0, sizeof x);
    x.st = st;
    wb_csv *c = NULL;
    int own_tx = 0, r = 0;
    int64_t set_id = 0;
    int64_t *members = NULL, *found = NULL;
    size_t nmembers = 0, capmembers = 0;
    if (!set || !*set) {
        wb_error_set(WB_ERRCLASS_ARG, "a label set needs a name (--set NAME)");
        return WB_EINVALID;
    }
    wb_csv_opts co = WB_CSV_OPTS_INIT;
    co.delimiter = o->delimiter;
    if ((r = wb_csv_open(&c, path, &co)) < 0)
        goto done;
    if (o->match_quality && !o->match_file) {
        wb_error_set(WB_ERRCLASS_ARG, "a match quality (--match-quality) needs a match file (--match)");
        r = WB_EINVALID;
        goto done;
    }
    if (o->match_file && (r = load_match_file(&x, o->match_file, o->delimiter, o->match_quality)) < 0)
        goto done;
    x.year = o->year;
    if (!x.year && (r = latest_year(st, &x.year)) < 0)
        goto done;
    res->year = x.year;

    /* by name within a gemeente, or by code */
    static const char *const names[] = {"naam", "name", "wijk_naam", "buurt_naam", "wijknaam",
                                        "buurtnaam", "gebiedsnaam", "gebied", NULL};
    static const char *const gms[] = {"gm_code", "gemeentecode", "gemeente_code", NULL};
    long name_col = wb_imp__find_any(c, names), gm_col = wb_imp__find_any(c, gms), code_col = -1;
    if (name_col < 0 || gm_col < 0) {
        static const char *const codes[] = {"code", "area_code", "bu_code", "wk_code", "gwb_code",
                                            "statcode", "gbd", "gm_code", NULL};
        code_col = wb_imp__find_any(c, codes);
        if (code_col < 0) {
            wb_error_set(WB_ERRCLASS_CSV,
                         "%s:1: expected a code column (code, bu_code, wk_code, gm_code ...) or a "
                         "name column (naam, name, wijk_naam ...) with gm_code",
                         wb_csv_name(c));
            r = WB_EINVALID;
            goto done;
        }
        name_col = -1;
    }
    /* at most every code of the match file, or one area, per row */
    found = wb_malloc((x.nm + 1) * sizeof *found);
    if (!found) {
        r = WB_ENOMEM;
        goto done;
    }
    size_t cap = 0;
    while ((r = wb_csv_next(c)) > 0) {
        if (res->n == cap) {
            cap = cap ? cap * 2 : 64;
            wb_label_match *nr = wb_realloc(res->rows, cap * sizeof *nr);
            if (!nr) {
                r = WB_ENOMEM;
                goto done;
            }
            res->rows = nr;
        }
        wb_label_match *m = &res->rows[res->n++];
        memset(m, 0, sizeof *m);
        m->line = wb_csv_line(c);
        m->kind = WB_MATCH_NONE;
        size_t len;
        const char *in = wb_csv_field(c, (size_t)(code_col >= 0 ? code_col : name_col), &len);
        while (len && *in == ' ')
            in++, len--;
        while (len && in[len - 1] == ' ')
            len--;
        if (!(m->input = wb_strndup(in, len))) {
            r = WB_ENOMEM;
            goto done;
        }
        size_t nfound = 0;
        if (gm_col >= 0 && (r = wb_csv_code(c, (size_t)gm_col, m->gemeente, NULL, WB_LEVEL_GEMEENTE)) < 0)
            goto done;
        char folded[256];
        fold_name(folded, sizeof folded, m->input);
        /* 1. the match file: when it knows the row, it alone decides */
        int known = 0, excluded = 0;
        for (size_t k = 0; k < x.nm; k++) {
            if (strcmp(x.m[k].folded, folded) || (x.m[k].gm[0] && m->gemeente[0] && strcmp(x.m[k].gm, m->gemeente)))
                continue;
            if (!known++ && x.m[k].quality[0] && !(m->quality = wb_strdup(x.m[k].quality))) {
                r = WB_ENOMEM;
                goto done;
            }
            excluded |= x.m[k].excluded;
            int64_t id;
            if (x.m[k].excluded || !x.m[k].code[0])
                continue;
            if (wb_store_area_find(st, &id, x.m[k].code, x.year) == 0) {
                found[nfound++] = id;
                if (!m->code[0])
                    snprintf(m->code, sizeof m->code, "%s", x.m[k].code);
            } else
                wb_error_clear();
        }
        if (nfound) {
            m->kind = WB_MATCH_FILE;
            wb_area *a = NULL; /* the (first) matched area's name, for the report */
            if (wb_store_area_get(st, &a, m->code, x.year) == 0 && a->name && !(m->name = wb_strdup(a->name))) {
                wb_areas_free(a, 1);
                r = WB_ENOMEM;
                goto done;
            }
            wb_error_clear();
            wb_areas_free(a, a ? 1 : 0);
        } else if (known) {
            m->kind = excluded ? WB_MATCH_EXCLUDED : WB_MATCH_NONE;
        } else if (code_col >= 0) {
            /* 2. by code */
            char code[WB_CODE_MAX];
            if ((r = wb_csv_code(c, (size_t)code_col, code, NULL, o->level)) < 0)
                goto done;
            int64_t id;
            if (wb_store_area_find(st, &id, code, x.year) == 0) {
                found[nfound++] = id;
                m->kind = WB_MATCH_CODE;
                snprintf(m->code, sizeof m->code, "%s", code);
                wb_area *a = NULL;
                if (wb_store_area_get(st, &a, code, x.year) == 0 && a->name)
                    m->name = wb_strdup(a->name);
                wb_areas_free(a, a ? 1 : 0);
            } else {
                wb_error_clear();
            }
        } else if (m->gemeente[0] && folded[0]) {
            /* 3. by name within the gemeente: preferred level first */
            gm_areas *g;
            if ((r = load_gm(&x, &g, m->gemeente)) < 0)
                goto done;
            static const wb_level order[] = {WB_LEVEL_WIJK, WB_LEVEL_BUURT, WB_LEVEL_GEMEENTE};
            for (size_t lv = 0; lv < 3 && !nfound; lv++) {
                wb_level want = o->level != WB_LEVEL__MAX ? o->level : order[lv];
                wb_str cand = WB_STR_INIT;
                size_t hits = 0, first = 0;
                for (size_t k = 0; k < g->n; k++) {
                    if (g->areas[k].level != want || strcmp(g->folded[k], folded))
                        continue;
                    if (!hits++)
                        first = k;
                    wb_str_printf(&cand, "%s%s", cand.len ? " " : "", g->areas[k].code);
                }
                if (hits == 1) {
                    found[nfound++] = g->areas[first].id;
                    m->kind = WB_MATCH_NAME;
                    snprintf(m->code, sizeof m->code, "%s", g->areas[first].code);
                    m->name = g->areas[first].name ? wb_strdup(g->areas[first].name) : NULL;
                } else if (hits > 1) {
                    m->kind = WB_MATCH_AMBIGUOUS;
                    m->name = wb_str_detach(&cand);
                    break;
                }
                wb_str_dispose(&cand);
                if (o->level != WB_LEVEL__MAX)
                    break;
            }
        }
        m->nareas = nfound;
        if (nfound)
            res->matched++;
        for (size_t k = 0; k < nfound; k++) {
            size_t j;
            for (j = 0; j < nmembers && members[j] != found[k]; j++)
                ;
            if (j < nmembers)
                continue;
            if (nmembers == capmembers) {
                capmembers = capmembers ? capmembers * 2 : 64;
                int64_t *nmb = wb_realloc(members, capmembers * sizeof *nmb);
                if (!nmb) {
                    r = WB_ENOMEM;
                    goto done;
                }
                members = nmb;
            }
            members[nmembers++] = found[k];
        }
    }
    if (r < 0)
        goto done;
    res->members = nmembers;
    if (!nmembers) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s: expected at least one row to match an area of %d in the store, got none "
                     "of %zu (are the areas of that year imported, with names?)",
                     wb_csv_name(c), x.year, res->n);
        r = WB_ENOTFOUND;
        goto done;
    }
    if (!wb_store_in_transaction(st)) {
        if ((r = wb_store_begin(st)) < 0)
            goto done;
        own_tx = 1;
    }
    const char *desc = o->description;
    if (!desc) {
        const char *slash = strrchr(path, '/');
        desc = slash ? slash + 1 : path;
    }
    if ((r = wb_store_label_set_put(st, &set_id, set, desc)) < 0)
        goto done;
    for (size_t k = 0; k < nmembers; k++)
        if ((r = wb_store_label_add(st, set_id, members[k])) < 0)
            goto done;
    char summary[160];
    snprintf(summary, sizeof summary, "set %s: %zu rows, %zu matched, %zu areas, boundaries %d", set,
             res->n, res->matched, nmembers, x.year);
    if ((r = wb_store_log_import(st, "labels", path, summary)) < 0)
        goto done;
    if (own_tx) {
        own_tx = 0;
        r = wb_store_commit(st);
    }
done:
    if (own_tx)
        wb_store_rollback(st);
    wb_csv_free(c);
    ctx_dispose(&x);
    wb_free(members);
    wb_free(found);
    return r < 0 ? r : 0;
}
