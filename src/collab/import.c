/** @file @brief Bulk import of initiatives from a municipality's CSV spreadsheet.
 *
 * TODO(lead): this file has a minimal local CSV reader because the shared reader of branch
 * `importers` was not in main yet; switch to src/io's reader once it is merged (it must
 * keep the line numbers of records and accept ';' as separator).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"

#define MAX_FILE (64u << 20) /* a spreadsheet of initiatives is far smaller */
#define MAX_FIELDS 64

/* ---------------------------------------------------------------- a minimal CSV reader */

typedef struct {
    const char *path;
    const char *p, *end;
    size_t line;  /* line of the next character */
    char sep;
    wb_str field[MAX_FIELDS];
} csv_reader;

static int csv_error(const csv_reader *r, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int csv_error(const csv_reader *r, size_t line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: %s", r->path, line, msg);
    return WB_EPARSE;
}

/*
 * Read one record into r->field. @return the number of fields, 0 at the end of the file,
 * or WB_EPARSE. @p line receives the line the record starts on. Empty lines are skipped.
 */
static int csv_next(csv_reader *r, size_t *line)
{
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
        if (*r->p == '\n')
            r->line++;
        r->p++;
    }
    if (r->p >= r->end)
        return 0;
    *line = r->line;
    int n = 0;
    for (;;) {
        if (n == MAX_FIELDS)
            return csv_error(r, *line, "more than %d fields", MAX_FIELDS);
        wb_str *f = &r->field[n++];
        wb_str_clear(f);
        wb_str_put(f, "", 0);
        if (r->p < r->end && *r->p == '"') {
            size_t open_line = r->line;
            r->p++;
            for (;;) {
                if (r->p >= r->end)
                    return csv_error(r, open_line, "field %d: a quoted field is not closed", n);
                char c = *r->p++;
                if (c == '"') {
                    if (r->p < r->end && *r->p == '"') {
                        wb_str_putc(f, '"');
                        r->p++;
                        continue;
                    }
                    break;
                }
                if (c == '\0')
                    return csv_error(r, r->line, "field %d: a NUL byte in the text", n);
                if (c == '\n')
                    r->line++;
                wb_str_putc(f, c);
            }
            if (r->p < r->end && *r->p != r->sep && *r->p != '\n' && *r->p != '\r')
                return csv_error(r, r->line, "field %d: text after a closing quote", n);
        } else {
            while (r->p < r->end && *r->p != r->sep && *r->p != '\n' && *r->p != '\r') {
                if (*r->p == '"')
                    return csv_error(r, r->line, "field %d: a quote inside an unquoted field (quote the whole field)", n);
                if (*r->p == '\0')
                    return csv_error(r, r->line, "field %d: a NUL byte in the text", n);
                wb_str_putc(f, *r->p++);
            }
        }
        if (r->p < r->end && *r->p == r->sep) {
            r->p++;
            continue;
        }
        /* end of record */
        if (r->p < r->end && *r->p == '\r')
            r->p++;
        if (r->p < r->end && *r->p == '\n') {
            r->p++;
            r->line++;
        }
        return n;
    }
}

static char detect_sep(const char *p, const char *end)
{
    size_t commas = 0, semis = 0;
    int quoted = 0;
    for (; p < end && (quoted || *p != '\n'); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ',')
            commas++;
        else if (!quoted && *p == ';')
            semis++;
    }
    return semis > commas ? ';' : ',';
}

/* ---------------------------------------------------------------- columns */

enum {
    COL_ID, COL_TITLE, COL_DESCRIPTION, COL_STATUS, COL_START, COL_END, COL_LEAD, COL_THEMES,
    COL_AREAS, COL_AREA_YEAR, COL_TARGETS, COL_IGNORED, COL__MAX
};

static const struct {
    const char *name;
    int col;
} column_names[] = {
    {"id", COL_ID},
    {"title", COL_TITLE}, {"titel", COL_TITLE}, {"naam", COL_TITLE},
    {"description", COL_DESCRIPTION}, {"omschrijving", COL_DESCRIPTION}, {"beschrijving", COL_DESCRIPTION},
    {"status", COL_STATUS},
    {"start", COL_START}, {"begin", COL_START}, {"startdatum", COL_START},
    {"end", COL_END}, {"eind", COL_END}, {"einde", COL_END}, {"einddatum", COL_END},
    {"lead", COL_LEAD}, {"trekker", COL_LEAD}, {"penvoerder", COL_LEAD}, {"lead_partner", COL_LEAD},
    {"themes", COL_THEMES}, {"theme", COL_THEMES}, {"thema", COL_THEMES}, {"thema's", COL_THEMES},
    {"themas", COL_THEMES},
    {"areas", COL_AREAS}, {"gebieden", COL_AREAS}, {"buurten", COL_AREAS}, {"wijken", COL_AREAS},
    {"area_year", COL_AREA_YEAR}, {"jaar", COL_AREA_YEAR}, {"gebiedsjaar", COL_AREA_YEAR},
    {"targets", COL_TARGETS}, {"doelen", COL_TARGETS},
    /* written by export, not imported */
    {"proposal_id", COL_IGNORED}, {"lead_partner_id", COL_IGNORED}, {"created", COL_IGNORED},
    {"updated", COL_IGNORED},
};

static const char *const canonical[COL__MAX] = {
    "id", "title", "description", "status", "start", "end", "lead", "themes", "areas",
    "area_year", "targets", ""};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

/* Split a list cell in place on any of @p seps; empty items are dropped. */
static int split(char *s, const char *seps, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    for (char *tok = s; tok;) {
        char *next = strpbrk(tok, seps);
        if (next)
            *next++ = 0;
        char *t = trim(tok);
        if (*t) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 8;
                char **nv = wb_realloc(*out, cap * sizeof **out);
                if (!nv)
                    return WB_ENOMEM;
                *out = nv;
            }
            (*out)[(*n)++] = t;
        }
        tok = next;
    }
    return 0;
}

/* ---------------------------------------------------------------- import */

static int parse_row(wb_store *st, wb_initiative *in, int64_t *id, char **cell, wb_initiative_target **targets)
{
    int error;
    *id = 0;
    if (cell[COL_ID] && *cell[COL_ID]) {
        char *end;
        errno = 0;
        long long v = strtoll(cell[COL_ID], &end, 10);
        int64_t x;
        if (errno || *end || v <= 0) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'id': expected an initiative id or nothing, got '%.40s'",
                         cell[COL_ID]);
            return WB_EINVALID;
        }
        if (wbc_query_int(st, &x, "SELECT id FROM initiative WHERE id = ?1", v) < 0) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'id': no initiative with id %lld", v);
            return WB_EINVALID;
        }
        *id = v;
    }
    in->title = cell[COL_TITLE];
    in->description = cell[COL_DESCRIPTION];
    if (cell[COL_STATUS])
        for (char *p = cell[COL_STATUS]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    in->status = cell[COL_STATUS];
    in->start = cell[COL_START];
    in->end = cell[COL_END];
    if (!cell[COL_LEAD] || !*cell[COL_LEAD]) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'lead': required (partner name or id)");
        return WB_EINVALID;
    }
    if (wb_partner_find(st, &in->lead_partner_id, cell[COL_LEAD]) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'lead': no partner '%.100s' (add it with 'wijkbeeld partner add')",
                     cell[COL_LEAD]);
        return WB_EINVALID;
    }
    if (cell[COL_AREA_YEAR] && *cell[COL_AREA_YEAR]) {
        char *end;
        errno = 0;
        long y = strtol(cell[COL_AREA_YEAR], &end, 10);
        if (errno || *end || y < 1800 || y > 2200) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'area_year': expected a boundary year, got '%.40s'",
                         cell[COL_AREA_YEAR]);
            return WB_EINVALID;
        }
        in->area_year = (int)y;
    }
    if ((error = split(cell[COL_THEMES] ? cell[COL_THEMES] : (char[]){0}, ",;|", &in->themes, &in->nthemes)) < 0 ||
        (error = split(cell[COL_AREAS] ? cell[COL_AREAS] : (char[]){0}, ",;| \t", &in->areas, &in->nareas)) < 0)
        return error;
    char **tg = NULL;
    size_t ntg = 0;
    if ((error = split(cell[COL_TARGETS] ? cell[COL_TARGETS] : (char[]){0}, ",;|", &tg, &ntg)) < 0)
        return error;
    *targets = wb_calloc(ntg + 1, sizeof **targets);
    if (!*targets) {
        wb_free(tg);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < ntg; i++) {
        char *colon = strrchr(tg[i], ':');
        const char *dir = colon ? trim(colon + 1) : "";
        int d = !strcasecmp(dir, "up") || !strcasecmp(dir, "omhoog") ? 1
                : !strcasecmp(dir, "down") || !strcasecmp(dir, "omlaag") ? -1 : 0;
        if (!colon || !d) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'targets': expected KEY:up or KEY:down, got '%.60s'", tg[i]);
            wb_free(tg);
            return WB_EINVALID;
        }
        *colon = 0;
        snprintf((*targets)[i].indicator, sizeof (*targets)[i].indicator, "%s", trim(tg[i]));
        (*targets)[i].direction = d;
    }
    in->targets = *targets;
    in->ntargets = ntg;
    wb_free(tg);
    return 0;
}

int wb_initiative_import_csv(wb_store *st, const wb_actor *actor, const char *path,
                             wb_import_result *result)
{
    if (result)
        memset(result, 0, sizeof *result);
    int error = 0;
    char *buf = NULL;
    size_t len = 0;
    wb_str ignored = WB_STR_INIT;
    csv_reader r;
    memset(&r, 0, sizeof r);
    r.path = path;

    /* the whole file first: a bad row anywhere means nothing is stored */
    FILE *f = fopen(path, "rb");
    if (!f) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", path, strerror(errno));
        return WB_EIO;
    }
    size_t cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            cap = cap ? 2 * cap : 65536 * 2;
            char *nb = wb_realloc(buf, cap + 1);
            if (!nb) {
                fclose(f);
                wb_free(buf);
                return WB_ENOMEM;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > MAX_FILE) {
            fclose(f);
            wb_free(buf);
            wb_error_set(WB_ERRCLASS_CSV, "%s: larger than %u MiB", path, MAX_FILE >> 20);
            return WB_EINVALID;
        }
        if (got == 0)
            break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        wb_free(buf);
        wb_error_set(WB_ERRCLASS_OS, "%s: read error", path);
        return WB_EIO;
    }
    buf[len] = 0;
    r.p = buf;
    r.end = buf + len;
    r.line = 1;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        r.p += 3;
    r.sep = detect_sep(r.p, r.end);

    size_t line = 0;
    int ncols = csv_next(&r, &line);
    int colmap[MAX_FIELDS];
    if (ncols < 0) {
        error = ncols;
        goto out;
    }
    if (ncols == 0) {
        wb_error_set(WB_ERRCLASS_CSV, "%s: empty file (expected a header line with title, lead, ...)", path);
        error = WB_EPARSE;
        goto out;
    }
    int seen[COL__MAX] = {0};
    for (int i = 0; i < ncols; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s", wb_str_cstr(&r.field[i]));
        char *t = trim(name);
        for (char *p = t; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        colmap[i] = -1;
        for (size_t k = 0; k < sizeof column_names / sizeof column_names[0]; k++)
            if (!strcmp(t, column_names[k].name))
                colmap[i] = column_names[k].col;
        if (colmap[i] < 0) {
            if (wbc_utf8_len(t) != (size_t)-1)
                wb_str_printf(&ignored, "%s%s", ignored.len ? "," : "", t);
            colmap[i] = COL_IGNORED;
            continue;
        }
        if (colmap[i] != COL_IGNORED && seen[colmap[i]]++) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: column '%s' appears twice (column %d: '%s')", path, line,
                         canonical[colmap[i]], i + 1, t);
            error = WB_EPARSE;
            goto out;
        }
    }
    if (!seen[COL_TITLE] || !seen[COL_LEAD]) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: the header needs the columns title and lead (got %s%s)", path,
                     line, seen[COL_TITLE] ? "no lead" : "no title", ignored.len ? "; unknown columns were read" : "");
        error = WB_EPARSE;
        goto out;
    }

    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        goto out;
    size_t added = 0, updated = 0;
    for (;;) {
        int nf = csv_next(&r, &line);
        if (nf == 0)
            break;
        if (nf < 0) {
            error = nf;
            break;
        }
        if (nf != ncols) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: expected %d fields as in the header, got %d", path, line,
                         ncols, nf);
            error = WB_EPARSE;
            break;
        }
        char *cell[COL__MAX] = {0};
        for (int i = 0; i < nf; i++) {
            if (colmap[i] == COL_IGNORED)
                continue;
            char *c = trim(r.field[i].ptr);
            /* the apostrophe that 'export initiatives' puts before formula-like text */
            if (c[0] == '\'' && c[1] && strchr("=+-@\t\r", c[1]))
                c++;
            cell[colmap[i]] = c;
        }
        wb_initiative in;
        memset(&in, 0, sizeof in);
        wb_initiative_target *targets = NULL;
        int64_t id = 0;
        error = parse_row(st, &in, &id, cell, &targets);
        if (error == 0) {
            in.id = id;
            error = wbc_initiative_put(st, NULL, actor, &in, 0, id ? "import update" : "import");
        }
        wb_free(in.themes);
        wb_free(in.areas);
        wb_free(targets);
        if (error < 0) {
            wb_error_prefix("%s:%zu", path, line);
            break;
        }
        if (id)
            updated++;
        else
            added++;
    }
    if (error == 0) {
        char summary[96];
        snprintf(summary, sizeof summary, "%zu initiatives added, %zu updated", added, updated);
        error = wb_store_log_import(st, "initiatives", path, summary);
    }
    error = wbc_tx_end(st, &tx, error);
    if (error == 0 && result) {
        result->added = added;
        result->updated = updated;
        result->ignored = ignored.len ? wb_str_detach(&ignored) : NULL;
    }
out:
    for (int i = 0; i < MAX_FIELDS; i++)
        wb_str_dispose(&r.field[i]);
    wb_str_dispose(&ignored);
    wb_free(buf);
    return error;
}
