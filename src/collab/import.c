/** @file @brief Bulk import of initiatives from a municipality's CSV spreadsheet, read with
 *  the project's streaming CSV reader (include/wijkbeeld/io.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"
#include "wijkbeeld/io.h"

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
        if (errno || *end || v <= 0) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'id': expected an initiative id or nothing, got '%.40s'",
                         cell[COL_ID]);
            return WB_EINVALID;
        }
        if (wb_reg__exists(st, WB_REG_INITIATIVE, v) < 0) {
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
    wb_str ignored = WB_STR_INIT;
    wb_csv *csv = NULL;
    int *colmap = NULL;
    wb_str *cellbuf = NULL;
    int seen[COL__MAX] = {0};

    if ((error = wb_csv_open(&csv, path, NULL)) < 0)
        return error;
    size_t ncols = wb_csv_ncols(csv);
    colmap = wb_calloc(ncols, sizeof *colmap);
    cellbuf = wb_calloc(COL__MAX, sizeof *cellbuf);
    if (!colmap || !cellbuf) {
        error = WB_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ncols; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s", wb_csv_header(csv, i));
        char *t = trim(name);
        for (char *p = t; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        colmap[i] = -1;
        for (size_t k = 0; k < sizeof column_names / sizeof column_names[0]; k++)
            if (!strcmp(t, column_names[k].name))
                colmap[i] = column_names[k].col;
        if (colmap[i] < 0) {
            if (*t)
                wb_str_printf(&ignored, "%s%s", ignored.len ? "," : "", t);
            colmap[i] = COL_IGNORED;
            continue;
        }
        if (colmap[i] != COL_IGNORED && seen[colmap[i]]++) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:1: column '%s' appears twice (column %zu: '%s')", path,
                         canonical[colmap[i]], i + 1, t);
            error = WB_EPARSE;
            goto out;
        }
    }
    if (!seen[COL_TITLE] || !seen[COL_LEAD]) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: the header needs the columns title and lead (no %s)", path,
                     seen[COL_TITLE] ? "lead" : "title");
        error = WB_EPARSE;
        goto out;
    }

    /* every row in one transaction: a bad row anywhere means nothing is stored */
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        goto out;
    size_t added = 0, updated = 0;
    int rc;
    while ((rc = wb_csv_next(csv)) == 1) {
        size_t line = wb_csv_line(csv);
        char *cell[COL__MAX] = {0};
        for (size_t i = 0; i < ncols; i++) {
            if (colmap[i] == COL_IGNORED)
                continue;
            wb_str *b = &cellbuf[colmap[i]];
            wb_str_clear(b);
            if (wb_str_puts(b, wb_csv_field(csv, i, NULL)) < 0 || wb_str_put(b, "", 0) < 0) {
                error = WB_ENOMEM;
                break;
            }
            char *c = trim(b->ptr); /* never NULL after a put */
            /* the apostrophe that 'export initiatives' puts before formula-like text */
            if (c[0] == '\'' && c[1] && strchr("=+-@\t\r", c[1]))
                c++;
            cell[colmap[i]] = c;
        }
        if (error < 0)
            break;
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
    if (error == 0 && rc < 0)
        error = rc; /* malformed CSV: the reader's message names file, line and column */
    if (error == 0) {
        char summary[96];
        snprintf(summary, sizeof summary, "%zu initiatives added, %zu updated", added, updated);
        error = wb_store_log_import(st, "initiatives", path, summary);
    }
    error = wb_reg__end(st, &tx, error);
    if (error == 0 && result) {
        result->added = added;
        result->updated = updated;
        result->ignored = ignored.len ? wb_str_detach(&ignored) : NULL;
    }
out:
    for (int i = 0; cellbuf && i < COL__MAX; i++)
        wb_str_dispose(&cellbuf[i]);
    wb_free(cellbuf);
    wb_free(colmap);
    wb_csv_free(csv);
    wb_str_dispose(&ignored);
    return error;
}
