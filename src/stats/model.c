/** @file @brief Score model files: parser, validation against the catalogue, classes. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stats/model_internal.h"
#include "wijkbeeld/errors.h"

static const char *const class_labels[WB_NCLASSES] = {
    "zeer onvoldoende", "ruim onvoldoende", "onvoldoende", "zwak",      "voldoende",
    "ruim voldoende",   "goed",             "zeer goed",   "uitstekend"};

const char *wb_class_label(int klass)
{
    return klass >= 1 && klass <= WB_NCLASSES ? class_labels[klass - 1] : NULL;
}

void wb_model_free(wb_model *m)
{
    if (!m)
        return;
    for (size_t d = 0; d < m->ndims; d++) {
        wb_free(m->dims[d].key);
        wb_free(m->dims[d].label);
    }
    for (size_t i = 0; i < m->nind; i++)
        wb_free(m->keys[i]);
    wb_free(m->dims);
    wb_free(m->inds);
    wb_free(m->keys);
    wb_free(m->origin);
    wb_free(m->name);
    wb_free(m->title);
    wb_free(m->off_years);
    wb_free(m->off_vals);
    wb_free(m);
}

/* ---------------------------------------------------------------- accessors */

const char *wb_model_name(const wb_model *m) { return m->name; }
const char *wb_model_title(const wb_model *m) { return m->title; }
const char *wb_model_origin(const wb_model *m) { return m->origin; }
wb_transform wb_model_transform(const wb_model *m) { return m->transform; }
wb_aggregate wb_model_aggregate(const wb_model *m) { return m->aggregate; }
const char *wb_model_reference(const wb_model *m) { return m->reference[0] ? m->reference : NULL; }
int wb_model_base_year(const wb_model *m) { return m->base_year; }
double wb_model_min_coverage(const wb_model *m) { return m->min_coverage; }
size_t wb_model_ndims(const wb_model *m) { return m->ndims; }
const char *wb_model_dim_key(const wb_model *m, size_t d) { return m->dims[d].key; }
const char *wb_model_dim_label(const wb_model *m, size_t d)
{
    return m->dims[d].label ? m->dims[d].label : m->dims[d].key;
}
double wb_model_dim_weight(const wb_model *m, size_t d) { return m->dims[d].weight; }
size_t wb_model_nindicators(const wb_model *m) { return m->nind; }
const wb_model_indicator *wb_model_indicator_at(const wb_model *m, size_t i) { return &m->inds[i]; }
const char *const *wb_model_keys(const wb_model *m) { return (const char *const *)m->keys; }
int wb_model_has_classes(const wb_model *m) { return m->has_classes; }

int wb_model_thresholds(const wb_model *m, int year, double thr[WB_NTHRESHOLDS], double *offset)
{
    double off = 0;
    if (offset)
        *offset = NAN;
    if (!m->has_classes)
        return 0;
    if (m->noff) {
        size_t i;
        for (i = 0; i < m->noff; i++)
            if (m->off_years[i] == year)
                break;
        if (i == m->noff)
            return 0;
        off = m->off_vals[i];
        if (offset)
            *offset = off;
    }
    for (int k = 0; k < WB_NTHRESHOLDS; k++)
        thr[k] = m->thr[k] - off;
    return 1;
}

int wb_model_classify(const wb_model *m, double score, int year)
{
    if (!m->has_classes || isnan(score))
        return 0;
    double v = score;
    if (m->noff) {
        size_t i;
        for (i = 0; i < m->noff; i++)
            if (m->off_years[i] == year)
                break;
        if (i == m->noff)
            return 0;
        v += m->off_vals[i];
    }
    int k = 1;
    for (int i = 0; i < WB_NTHRESHOLDS; i++)
        if (v >= m->thr[i])
            k++;
    return k;
}

/* ---------------------------------------------------------------- parser */

typedef struct {
    wb_model *m;
    const char *origin;
    int line;
    enum { SEC_NONE, SEC_MODEL, SEC_DIM, SEC_CLASSES } sec;
    /* lines where [model] keys were set (0 = not yet), to reject duplicates */
    int seen_name, seen_title, seen_transform, seen_reference, seen_base_year, seen_aggregate,
        seen_min_coverage, seen_thresholds, seen_description, seen_dim_label, seen_dim_weight,
        seen_offset;
} parser;

static int perr(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(parser *ps, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: %s", ps->origin, ps->line, msg);
    return WB_EPARSE;
}

static int nomem(void)
{
    wb_error_set(WB_ERRCLASS_NOMEM, "out of memory while reading a model");
    return WB_ENOMEM;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

static int valid_key(const char *s)
{
    if (!*s || strlen(s) >= 64)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

static int parse_number(parser *ps, double *out, const char *s, const char *what)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return perr(ps, "%s: expected a number, got '%s'", what, s);
    *out = v;
    return 0;
}

static int parse_year(parser *ps, int *out, const char *s, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < 1800 || v > 2200)
        return perr(ps, "%s: expected a year from 1800 to 2200, got '%s'", what, s);
    *out = (int)v;
    return 0;
}

static int set_once(parser *ps, int *seen, const char *key)
{
    if (*seen)
        return perr(ps, "'%s' was already set on line %d", key, *seen);
    *seen = ps->line;
    return 0;
}

static int parse_thresholds(parser *ps, const char *val)
{
    wb_model *m = ps->m;
    char buf[1024];
    if (strlen(val) >= sizeof buf) /* never cut a list short: it would drop numbers silently */
        return perr(ps, "thresholds: expected %d numbers, got a value of %zu characters",
                    WB_NTHRESHOLDS, strlen(val));
    snprintf(buf, sizeof buf, "%s", val);
    int n = 0;
    for (char *tok = strtok(buf, " \t,"); tok; tok = strtok(NULL, " \t,")) {
        if (n == WB_NTHRESHOLDS)
            return perr(ps, "thresholds: expected %d numbers (the boundaries between the %d classes), got more",
                        WB_NTHRESHOLDS, WB_NCLASSES);
        int error = parse_number(ps, &m->thr[n], tok, "thresholds");
        if (error < 0)
            return error;
        if (n > 0 && !(m->thr[n] > m->thr[n - 1]))
            return perr(ps, "thresholds: expected increasing numbers, got %s after %g", tok, m->thr[n - 1]);
        n++;
    }
    if (n != WB_NTHRESHOLDS)
        return perr(ps, "thresholds: expected %d numbers (the boundaries between the %d classes), got %d",
                    WB_NTHRESHOLDS, WB_NCLASSES, n);
    m->has_classes = 1;
    return 0;
}

static int model_key(parser *ps, const char *key, const char *val)
{
    wb_model *m = ps->m;
    int error;
    if (!strcmp(key, "name")) {
        if ((error = set_once(ps, &ps->seen_name, key)) < 0)
            return error;
        if (!valid_key(val))
            return perr(ps, "name: expected letters, digits, '_', '-' or '.', got '%s'", val);
        wb_free(m->name);
        return (m->name = wb_strdup(val)) ? 0 : nomem();
    }
    if (!strcmp(key, "title")) {
        if ((error = set_once(ps, &ps->seen_title, key)) < 0)
            return error;
        return (m->title = wb_strdup(val)) ? 0 : nomem();
    }
    if (!strcmp(key, "description"))
        return set_once(ps, &ps->seen_description, key);
    if (!strcmp(key, "transform")) {
        if ((error = set_once(ps, &ps->seen_transform, key)) < 0)
            return error;
        static const char *const names[WB_TRANSFORM__MAX] = {"none", "z", "rank_normal", "rank_exp"};
        for (int t = 0; t < WB_TRANSFORM__MAX; t++) {
            if (!strcmp(val, names[t])) {
                m->transform = (wb_transform)t;
                return 0;
            }
        }
        return perr(ps, "transform: expected none, z, rank_normal or rank_exp, got '%s'", val);
    }
    if (!strcmp(key, "reference")) {
        if ((error = set_once(ps, &ps->seen_reference, key)) < 0)
            return error;
        if (!strcasecmp(val, "nation") || !strcasecmp(val, "NL00")) {
            m->reference[0] = 0;
            return 0;
        }
        wb_level lv;
        if (wb_code_normalize(m->reference, &lv, val, strlen(val), WB_LEVEL_GEMEENTE) < 0 ||
            lv != WB_LEVEL_GEMEENTE) {
            m->reference[0] = 0;
            return perr(ps, "reference: expected 'nation' or a gemeente code such as GM0363, got '%s'", val);
        }
        return 0;
    }
    if (!strcmp(key, "base_year")) {
        if ((error = set_once(ps, &ps->seen_base_year, key)) < 0)
            return error;
        return parse_year(ps, &m->base_year, val, "base_year");
    }
    if (!strcmp(key, "aggregate")) {
        if ((error = set_once(ps, &ps->seen_aggregate, key)) < 0)
            return error;
        if (!strcmp(val, "mean"))
            m->aggregate = WB_AGGREGATE_MEAN;
        else if (!strcmp(val, "sum"))
            m->aggregate = WB_AGGREGATE_SUM;
        else
            return perr(ps, "aggregate: expected mean or sum, got '%s'", val);
        return 0;
    }
    if (!strcmp(key, "min_coverage")) {
        if ((error = set_once(ps, &ps->seen_min_coverage, key)) < 0)
            return error;
        if ((error = parse_number(ps, &m->min_coverage, val, "min_coverage")) < 0)
            return error;
        if (m->min_coverage < 0 || m->min_coverage > 1)
            return perr(ps, "min_coverage: expected a share from 0 to 1, got '%s'", val);
        return 0;
    }
    if (!strcmp(key, "classes")) {
        if ((error = set_once(ps, &ps->seen_thresholds, key)) < 0)
            return error;
        return parse_thresholds(ps, val);
    }
    return perr(ps, "unknown key '%s' in [model] (expected name, title, description, transform, reference, "
                    "base_year, aggregate, min_coverage or classes)", key);
}

static int dim_key(parser *ps, const char *key, const char *val)
{
    wb_model_dim *d = &ps->m->dims[ps->m->ndims - 1];
    int error;
    if (!strcmp(key, "label")) {
        if ((error = set_once(ps, &ps->seen_dim_label, key)) < 0)
            return error;
        return (d->label = wb_strdup(val)) ? 0 : nomem();
    }
    if (!strcmp(key, "weight")) {
        if ((error = set_once(ps, &ps->seen_dim_weight, key)) < 0)
            return error;
        if ((error = parse_number(ps, &d->weight, val, "weight")) < 0)
            return error;
        if (!(d->weight > 0))
            return perr(ps, "weight: expected a number above 0, got '%s'", val);
        return 0;
    }
    return perr(ps, "unknown key '%s' in [dimension %s] (expected label, weight or 'indicator KEY "
                    "direction=+|- weight=W')", key, d->key);
}

static int classes_key(parser *ps, char *key, const char *val)
{
    wb_model *m = ps->m;
    int error;
    if (!strcmp(key, "thresholds")) {
        if ((error = set_once(ps, &ps->seen_thresholds, key)) < 0)
            return error;
        return parse_thresholds(ps, val);
    }
    if (!strncmp(key, "offset", 6) && isspace((unsigned char)key[6])) {
        int year;
        if ((error = parse_year(ps, &year, trim(key + 6), "offset")) < 0)
            return error;
        for (size_t i = 0; i < m->noff; i++)
            if (m->off_years[i] == year)
                return perr(ps, "offset for %d given twice", year);
        double v;
        if ((error = parse_number(ps, &v, val, "offset")) < 0)
            return error;
        int *ny = wb_realloc(m->off_years, (m->noff + 1) * sizeof *ny);
        if (!ny)
            return nomem();
        m->off_years = ny;
        double *nv = wb_realloc(m->off_vals, (m->noff + 1) * sizeof *nv);
        if (!nv)
            return nomem();
        m->off_vals = nv;
        if (!ps->seen_offset)
            ps->seen_offset = ps->line;
        m->off_years[m->noff] = year;
        m->off_vals[m->noff] = v;
        m->noff++;
        return 0;
    }
    return perr(ps, "unknown key '%s' in [classes] (expected 'thresholds = 8 numbers' or 'offset YEAR = VALUE')",
                key);
}

/* indicator KEY direction=+|- [weight=W] */
static int indicator_line(parser *ps, char *rest)
{
    wb_model *m = ps->m;
    if (ps->sec != SEC_DIM)
        return perr(ps, "'indicator' outside a [dimension NAME] section");
    char *save = NULL;
    char *key = strtok_r(rest, " \t", &save);
    if (!key || !valid_key(key))
        return perr(ps, "expected 'indicator KEY direction=+|- weight=W', got an invalid or missing KEY");
    for (size_t i = 0; i < m->nind; i++)
        if (!strcasecmp(m->keys[i], key))
            return perr(ps, "indicator '%s' already used on line %d", key, m->inds[i].line);
    int direction = 0;
    double weight = 1;
    int seen_w = 0;
    for (char *tok = strtok_r(NULL, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return perr(ps, "indicator %s: expected NAME=VALUE, got '%s'", key, tok);
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(tok, "direction")) {
            if (direction)
                return perr(ps, "indicator %s: direction given twice", key);
            if (!strcmp(v, "+") || !strcmp(v, "+1") || !strcmp(v, "1") || !strcmp(v, "higher_better"))
                direction = 1;
            else if (!strcmp(v, "-") || !strcmp(v, "-1") || !strcmp(v, "higher_worse"))
                direction = -1;
            else
                return perr(ps, "indicator %s: direction: expected + (higher is better) or - (higher is worse), "
                                "got '%s'", key, v);
        } else if (!strcmp(tok, "weight")) {
            if (seen_w++)
                return perr(ps, "indicator %s: weight given twice", key);
            int error = parse_number(ps, &weight, v, "weight");
            if (error < 0)
                return error;
            if (!(weight > 0))
                return perr(ps, "indicator %s: weight: expected a number above 0, got '%s'", key, v);
        } else {
            return perr(ps, "indicator %s: unknown attribute '%s' (expected direction or weight)", key, tok);
        }
    }
    if (!direction)
        return perr(ps, "indicator %s: direction=+ or direction=- is required", key);
    wb_model_indicator *ni = wb_realloc(m->inds, (m->nind + 1) * sizeof *ni);
    if (!ni)
        return nomem();
    m->inds = ni;
    char **nk = wb_realloc(m->keys, (m->nind + 2) * sizeof *nk);
    if (!nk)
        return nomem();
    m->keys = nk;
    if (!(m->keys[m->nind] = wb_strdup(key)))
        return nomem();
    m->keys[m->nind + 1] = NULL;
    wb_model_indicator *ind = &m->inds[m->nind];
    ind->key = m->keys[m->nind];
    ind->dim = m->ndims - 1;
    ind->direction = direction;
    ind->weight = weight;
    ind->line = ps->line;
    m->nind++;
    m->dims[m->ndims - 1].nind++;
    return 0;
}

static int section_line(parser *ps, char *s)
{
    wb_model *m = ps->m;
    size_t n = strlen(s);
    if (s[n - 1] != ']')
        return perr(ps, "expected ']' to close the section header");
    s[n - 1] = 0;
    char *name = trim(s + 1);
    if (!strcmp(name, "model")) {
        ps->sec = SEC_MODEL;
        return 0;
    }
    if (!strcmp(name, "classes")) {
        ps->sec = SEC_CLASSES;
        return 0;
    }
    if (!strncmp(name, "dimension", 9) && (name[9] == 0 || isspace((unsigned char)name[9]))) {
        char *key = trim(name + 9);
        if (!valid_key(key))
            return perr(ps, "expected [dimension NAME] with a NAME of letters, digits, '_' or '-'");
        for (size_t d = 0; d < m->ndims; d++)
            if (!strcmp(m->dims[d].key, key))
                return perr(ps, "dimension '%s' already defined on line %d", key, m->dims[d].line);
        wb_model_dim *nd = wb_realloc(m->dims, (m->ndims + 1) * sizeof *nd);
        if (!nd)
            return nomem();
        m->dims = nd;
        wb_model_dim *d = &m->dims[m->ndims];
        memset(d, 0, sizeof *d);
        d->weight = 1;
        d->line = ps->line;
        if (!(d->key = wb_strdup(key)))
            return nomem();
        m->ndims++;
        ps->sec = SEC_DIM;
        ps->seen_dim_label = ps->seen_dim_weight = 0;
        return 0;
    }
    return perr(ps, "unknown section [%s] (expected [model], [dimension NAME] or [classes])", name);
}

static int parse_line(parser *ps, char *s)
{
    /* a comment starts with '#' or ';' at the beginning or after white space */
    for (char *c = s; *c; c++) {
        if ((*c == '#' || *c == ';') && (c == s || isspace((unsigned char)c[-1]))) {
            *c = 0;
            break;
        }
    }
    s = trim(s);
    if (!*s)
        return 0;
    if (*s == '[')
        return section_line(ps, s);
    if (!strncmp(s, "indicator", 9) && isspace((unsigned char)s[9]))
        return indicator_line(ps, s + 9);
    char *eq = strchr(s, '=');
    if (!eq)
        return perr(ps, "expected 'key = value', a [section] or an 'indicator' line, got '%.40s'", s);
    *eq = 0;
    char *key = trim(s), *val = trim(eq + 1);
    if (!*key)
        return perr(ps, "missing key before '='");
    if (!*val)
        return perr(ps, "missing value after '%s ='", key);
    switch (ps->sec) {
    case SEC_MODEL: return model_key(ps, key, val);
    case SEC_DIM: return dim_key(ps, key, val);
    case SEC_CLASSES: return classes_key(ps, key, val);
    default: return perr(ps, "'%s' before any section: start with [model]", key);
    }
}

/* The base name of a path without directory and extension, as the default model name. */
static char *base_name(const char *origin)
{
    const char *b = strrchr(origin, '/');
    b = b ? b + 1 : origin;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    return wb_strndup(b, n);
}

int wb_model_parse(wb_model **out, const char *text, size_t len, const char *origin)
{
    *out = NULL;
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.origin = origin ? origin : "model";
    wb_model *m = wb_calloc(1, sizeof *m);
    if (!m)
        return nomem();
    ps.m = m;
    m->min_coverage = 0.5;
    int error = 0;
    if (!(m->origin = wb_strdup(ps.origin))) {
        error = nomem();
        goto fail;
    }
    const char *p = text, *end = text + len;
    char line[2048];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        ps.line++;
        if (n >= sizeof line) {
            error = perr(&ps, "line longer than %zu characters", sizeof line - 1);
            goto fail;
        }
        memcpy(line, p, n);
        line[n] = 0;
        if (memchr(line, 0, n)) {
            error = perr(&ps, "unexpected NUL byte");
            goto fail;
        }
        if ((error = parse_line(&ps, line)) < 0)
            goto fail;
        p += n + (nl ? 1 : 0);
    }
    /* whole-model checks (an empty text is reported on its line 1) */
    if (ps.line == 0)
        ps.line = 1;
    if (m->ndims == 0) {
        error = perr(&ps, "no [dimension NAME] section: a model needs at least one dimension with indicators");
        goto fail;
    }
    for (size_t d = 0; d < m->ndims; d++) {
        if (m->dims[d].nind == 0) {
            ps.line = m->dims[d].line;
            error = perr(&ps, "dimension '%s' has no indicator lines", m->dims[d].key);
            goto fail;
        }
    }
    if (m->transform != WB_TRANSFORM_NONE && !m->base_year) {
        ps.line = ps.seen_transform;
        error = perr(&ps, "this transform standardises against a reference year: set base_year = YEAR in [model]");
        goto fail;
    }
    if (m->noff && !m->has_classes) {
        ps.line = ps.seen_offset;
        error = perr(&ps, "class offsets given without 'thresholds' in [classes]");
        goto fail;
    }
    if (!m->name && !(m->name = base_name(ps.origin))) {
        error = nomem();
        goto fail;
    }
    *out = m;
    return 0;
fail:
    wb_model_free(m);
    return error;
}

int wb_model_load(wb_model **out, const char *path)
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
            wb_error_set(WB_ERRCLASS_MODEL, "%s: larger than 1 MB; not a model file", path);
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
        error = wb_model_parse(out, s.ptr ? s.ptr : "", s.len, path);
    wb_str_dispose(&s);
    return error;
}

int wb_model_resolve(wb_model *m, wb_store *st)
{
    for (size_t i = 0; i < m->nind; i++) {
        char canon[64];
        if (wb_store_indicator_resolve(st, NULL, canon, m->keys[i]) < 0) {
            wb_error_set(WB_ERRCLASS_MODEL,
                         "%s:%d: unknown indicator '%s' (not in the catalogue; 'wijkbeeld indicators' lists it)",
                         m->origin, m->inds[i].line, m->keys[i]);
            return WB_ENOTFOUND;
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcasecmp(m->keys[j], canon)) {
                wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: indicator '%s' is the same as '%s' on line %d",
                             m->origin, m->inds[i].line, m->keys[i], m->keys[j], m->inds[j].line);
                return WB_EPARSE;
            }
        }
        if (strcmp(canon, m->keys[i])) {
            char *c = wb_strdup(canon);
            if (!c)
                return nomem();
            wb_free(m->keys[i]);
            m->keys[i] = c;
            m->inds[i].key = c;
        }
    }
    return 0;
}
