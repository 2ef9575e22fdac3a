/** @file @brief Initiatives (themes, areas, targets), milestones and contributions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

static const char *const statuses[] = {"idee", "gepland", "lopend", "afgerond", "gestopt", NULL};
static const char *const kinds[] = {"money_eur", "hours", "in_kind", NULL};

#define MAX_LIST 10000 /* themes, areas or targets of one initiative */

static int not_found(const char *what, int64_t id)
{
    wb_error_set(WB_ERRCLASS_ARG, "no %s with id %lld", what, (long long)id);
    return WB_ENOTFOUND;
}

static int initiative_lead(wb_store *st, int64_t *lead, int64_t id)
{
    int error = wbc_query_int(st, lead, "SELECT lead_partner_id FROM initiative WHERE id = ?1", id);
    return error == WB_ENOTFOUND ? not_found("initiative", id) : error;
}

int wbc_initiative_json(wb_store *st, json_t **out, int64_t id)
{
    json_t *o = NULL;
    int error = wbc_row_json(st, &o,
                             "SELECT id, title, description, status, start_date, end_date,"
                             " lead_partner_id, proposal_id FROM initiative WHERE id = ?1",
                             id);
    if (error < 0 || !o) {
        *out = NULL;
        return error;
    }
    if ((error = wbc_list_json(st, o, "themes",
                               "SELECT t.name FROM initiative_theme it JOIN theme t ON t.id = it.theme_id"
                               " WHERE it.initiative_id = ?1 ORDER BY t.id",
                               id)) < 0 ||
        (error = wbc_list_json(st, o, "areas",
                               "SELECT a.code || '@' || a.year FROM initiative_area ia"
                               " JOIN area a ON a.id = ia.area_id WHERE ia.initiative_id = ?1"
                               " ORDER BY a.code",
                               id)) < 0 ||
        (error = wbc_list_json(st, o, "targets",
                               "SELECT indicator || ':' || CASE direction WHEN 1 THEN 'up' ELSE 'down' END"
                               " FROM initiative_target WHERE initiative_id = ?1 ORDER BY indicator",
                               id)) < 0) {
        json_decref(o);
        *out = NULL;
        return error;
    }
    *out = o;
    return 0;
}

/* ---------------------------------------------------------------- validation */

typedef struct {
    const char *status;
    char start[11], end[11];
    int64_t *theme_ids;
    int64_t *area_ids;
    wb_initiative_target *targets;
} resolved;

static void resolved_dispose(resolved *r)
{
    wb_free(r->theme_ids);
    wb_free(r->area_ids);
    wb_free(r->targets);
}

static int check_period(const char *start, const char *end)
{
    if (start[0] && end[0] && strcmp(end, start) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'end': %s is before the start %s", end, start);
        return WB_EINVALID;
    }
    return 0;
}

static int resolve_target(wb_store *st, wb_initiative_target *out, const wb_initiative_target *in)
{
    char key[64];
    if (wbc_check_text("targets", in->indicator, 1, 63, 0) < 0)
        return WB_EINVALID;
    if (in->direction != 1 && in->direction != -1) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'targets': the direction of '%s' must be up or down",
                     in->indicator);
        return WB_EINVALID;
    }
    if (wb_store_indicator_resolve(st, NULL, key, in->indicator) == 0) {
        snprintf(out->indicator, sizeof out->indicator, "%s", key);
    } else if (wbc_known_target(in->indicator)) {
        snprintf(out->indicator, sizeof out->indicator, "%s", in->indicator);
    } else {
        wb_error_set(WB_ERRCLASS_ARG,
                     "field 'targets': unknown indicator or score dimension '%s' (see 'wijkbeeld indicators')",
                     in->indicator);
        return WB_EINVALID;
    }
    out->direction = in->direction;
    return 0;
}

static int validate(wb_store *st, resolved *r, const wb_initiative *in)
{
    int error;
    int64_t x;
    memset(r, 0, sizeof *r);
    r->status = in->status && *in->status ? in->status : "idee";
    if ((error = wbc_check_text("title", in->title, 1, 200, 0)) < 0 ||
        (error = wbc_check_text("description", in->description, 0, 10000, 1)) < 0 ||
        (error = wbc_check_oneof("status", r->status, statuses)) < 0 ||
        (error = wbc_parse_date(r->start, "start", in->start)) < 0 ||
        (error = wbc_parse_date(r->end, "end", in->end)) < 0 ||
        (error = check_period(r->start, r->end)) < 0)
        return error;
    if (wbc_query_int(st, &x, "SELECT id FROM partner WHERE id = ?1", in->lead_partner_id) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'lead': no partner with id %lld", (long long)in->lead_partner_id);
        return WB_EINVALID;
    }
    if (in->nthemes > MAX_LIST || in->nareas > MAX_LIST || in->ntargets > MAX_LIST) {
        wb_error_set(WB_ERRCLASS_ARG, "field '%s': more than %d entries",
                     in->nthemes > MAX_LIST ? "themes" : in->nareas > MAX_LIST ? "areas" : "targets",
                     MAX_LIST);
        return WB_EINVALID;
    }
    r->theme_ids = wb_calloc(in->nthemes + 1, sizeof *r->theme_ids);
    r->area_ids = wb_calloc(in->nareas + 1, sizeof *r->area_ids);
    r->targets = wb_calloc(in->ntargets + 1, sizeof *r->targets);
    if (!r->theme_ids || !r->area_ids || !r->targets)
        return WB_ENOMEM;
    for (size_t i = 0; i < in->nthemes; i++)
        if ((error = wbc_theme_id(st, &r->theme_ids[i], "themes", in->themes[i])) < 0)
            return error;
    if (in->nareas && (in->area_year < 1800 || in->area_year > 2200)) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'area_year': the boundary year of the areas is required (got %d)",
                     in->area_year);
        return WB_EINVALID;
    }
    for (size_t i = 0; i < in->nareas; i++)
        if ((error = wbc_area_id(st, &r->area_ids[i], "areas", in->areas[i], in->area_year, 1)) < 0)
            return error;
    for (size_t i = 0; i < in->ntargets; i++) {
        if ((error = resolve_target(st, &r->targets[i], &in->targets[i])) < 0)
            return error;
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(r->targets[j].indicator, r->targets[i].indicator)) {
                wb_error_set(WB_ERRCLASS_ARG, "field 'targets': '%s' is given twice",
                             r->targets[i].indicator);
                return WB_EINVALID;
            }
        }
    }
    return 0;
}

static int write_links(wb_store *st, int64_t id, const wb_initiative *in, const resolved *r)
{
    int error;
    sqlite3_stmt *s = NULL;
    if ((error = wbc_exec_id(st, "DELETE FROM initiative_theme WHERE initiative_id = ?1", id)) < 0 ||
        (error = wbc_exec_id(st, "DELETE FROM initiative_area WHERE initiative_id = ?1", id)) < 0 ||
        (error = wbc_exec_id(st, "DELETE FROM initiative_target WHERE initiative_id = ?1", id)) < 0)
        return error;
    if ((error = wb_store__prepare(st, &s, "INSERT OR IGNORE INTO initiative_theme(initiative_id,"
                                           " theme_id) VALUES (?1,?2)")) < 0)
        return error;
    for (size_t i = 0; i < in->nthemes && error == 0; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, r->theme_ids[i]);
        error = wbc_step_change(st, s, "initiative theme");
    }
    sqlite3_finalize(s);
    if (error < 0 || (error = wb_store__prepare(st, &s, "INSERT OR IGNORE INTO initiative_area("
                                                        "initiative_id, area_id) VALUES (?1,?2)")) < 0)
        return error;
    for (size_t i = 0; i < in->nareas && error == 0; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, r->area_ids[i]);
        error = wbc_step_change(st, s, "initiative area");
    }
    sqlite3_finalize(s);
    if (error < 0 || (error = wb_store__prepare(st, &s, "INSERT INTO initiative_target(initiative_id,"
                                                        " indicator, direction) VALUES (?1,?2,?3)")) < 0)
        return error;
    for (size_t i = 0; i < in->ntargets && error == 0; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        wbc_bind_text(s, 2, r->targets[i].indicator);
        sqlite3_bind_int(s, 3, r->targets[i].direction);
        error = wbc_step_change(st, s, "initiative target");
    }
    sqlite3_finalize(s);
    return error;
}

int wbc_initiative_put(wb_store *st, int64_t *id, const wb_actor *actor, const wb_initiative *in,
                       int64_t proposal_id, const char *audit_action)
{
    int error;
    int64_t cur_lead = 0;
    /* authorise before looking at the data: a refused editor learns nothing more */
    if (in->id) {
        if ((error = initiative_lead(st, &cur_lead, in->id)) < 0 ||
            (error = wbc_authorize(st, actor, WB_ACT_INITIATIVE_EDIT, cur_lead, 0)) < 0)
            return error;
        if (in->lead_partner_id != cur_lead &&
            (error = wbc_authorize(st, actor, WB_ACT_INITIATIVE_CREATE, in->lead_partner_id, 0)) < 0)
            return error;
    } else if ((error = wbc_authorize(st, actor, WB_ACT_INITIATIVE_CREATE, in->lead_partner_id, 0)) < 0) {
        return error;
    }
    resolved r;
    json_t *before = NULL, *after = NULL;
    sqlite3_stmt *s = NULL;
    if ((error = validate(st, &r, in)) < 0)
        goto done;
    if (in->id && (error = wbc_initiative_json(st, &before, in->id)) < 0)
        goto done;
    if (in->id)
        error = wb_store__prepare(st, &s,
                                  "UPDATE initiative SET title = ?2, description = ?3, status = ?4,"
                                  " start_date = ?5, end_date = ?6, lead_partner_id = ?7,"
                                  " updated = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1");
    else
        error = wb_store__prepare(st, &s,
                                  "INSERT INTO initiative(title, description, status, start_date,"
                                  " end_date, lead_partner_id, proposal_id) VALUES (?2,?3,?4,?5,?6,?7,?8)");
    if (error < 0)
        goto done;
    if (in->id)
        sqlite3_bind_int64(s, 1, in->id);
    wbc_bind_text(s, 2, in->title);
    wbc_bind_opt(s, 3, in->description);
    wbc_bind_text(s, 4, r.status);
    wbc_bind_opt(s, 5, r.start);
    wbc_bind_opt(s, 6, r.end);
    sqlite3_bind_int64(s, 7, in->lead_partner_id);
    if (!in->id) {
        if (proposal_id)
            sqlite3_bind_int64(s, 8, proposal_id);
        else
            sqlite3_bind_null(s, 8);
    }
    if ((error = wbc_step_change(st, s, "initiative")) < 0)
        goto done;
    int64_t iid = in->id ? in->id : sqlite3_last_insert_rowid(wb_store__db(st));
    if ((error = write_links(st, iid, in, &r)) < 0 || (error = wbc_initiative_json(st, &after, iid)) < 0)
        goto done;
    error = wbc_audit(st, actor, audit_action ? audit_action : in->id ? "update" : "create",
                      "initiative", iid, before, after);
    before = after = NULL;
    if (error == 0 && id)
        *id = iid;
done:
    sqlite3_finalize(s);
    json_decref(before);
    json_decref(after);
    resolved_dispose(&r);
    return error;
}

int wb_initiative_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_initiative *in)
{
    wb_initiative copy = *in;
    copy.id = 0;
    wbc_tx tx;
    int error = wbc_tx_begin(st, &tx);
    if (error < 0)
        return error;
    error = wbc_initiative_put(st, id, actor, &copy, 0, NULL);
    return wbc_tx_end(st, &tx, error);
}

int wb_initiative_update(wb_store *st, const wb_actor *actor, const wb_initiative *in)
{
    if (in->id <= 0)
        return not_found("initiative", in->id);
    wbc_tx tx;
    int error = wbc_tx_begin(st, &tx);
    if (error < 0)
        return error;
    error = wbc_initiative_put(st, NULL, actor, in, 0, NULL);
    return wbc_tx_end(st, &tx, error);
}

int wb_initiative_delete(wb_store *st, const wb_actor *actor, int64_t id)
{
    int error;
    int64_t lead;
    if ((error = wbc_authorize(st, actor, WB_ACT_INITIATIVE_DELETE, 0, 0)) < 0 ||
        (error = initiative_lead(st, &lead, id)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL;
    if ((error = wbc_initiative_json(st, &before, id)) < 0 ||
        (error = wbc_list_json(st, before, "contributions",
                               "SELECT json_object('id', id, 'partner_id', partner_id, 'kind', kind,"
                               " 'amount', amount, 'start', start_date, 'end', end_date)"
                               " FROM contribution WHERE initiative_id = ?1 ORDER BY id",
                               id)) < 0 ||
        (error = wbc_exec_id(st, "UPDATE proposal SET initiative_id = NULL WHERE initiative_id = ?1", id)) < 0 ||
        (error = wbc_exec_id(st, "DELETE FROM initiative WHERE id = ?1", id)) < 0)
        goto done;
    error = wbc_audit(st, actor, "delete", "initiative", id, before, NULL);
    before = NULL;
done:
    json_decref(before);
    return wbc_tx_end(st, &tx, error);
}

/* ---------------------------------------------------------------- reading */

static void initiative_clear(wb_initiative *in)
{
    wb_free(in->title);
    wb_free(in->description);
    wb_free(in->status);
    wb_free(in->start);
    wb_free(in->end);
    wb_free(in->lead_partner);
    wb_strings_free(in->themes, in->nthemes);
    wb_strings_free(in->areas, in->nareas);
    wb_free(in->targets);
    for (size_t i = 0; i < in->nmilestones; i++) {
        wb_free(in->milestones[i].title);
        wb_free(in->milestones[i].due);
        wb_free(in->milestones[i].note);
    }
    wb_free(in->milestones);
    wb_contributions_free(in->contributions, in->ncontributions);
    wb_free(in->created);
    wb_free(in->updated);
}

void wb_initiative_free(wb_initiative *in)
{
    if (!in)
        return;
    initiative_clear(in);
    wb_free(in);
}

void wb_initiatives_free(wb_initiative *in, size_t n)
{
    if (!in)
        return;
    for (size_t i = 0; i < n; i++)
        initiative_clear(&in[i]);
    wb_free(in);
}

/* Collect one text column of a prepared statement (?1 = id) into a string array. */
static int collect_strings(wb_store *st, sqlite3_stmt *s, int64_t id, char ***out, size_t *n,
                           int *year)
{
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            char **nv = wb_realloc(*out, cap * sizeof **out);
            if (!nv)
                return WB_ENOMEM;
            *out = nv;
        }
        (*out)[(*n)++] = wbc_col_dup(s, 0);
        if (year)
            *year = sqlite3_column_int(s, 1);
    }
    return rc == SQLITE_DONE ? 0 : wb_store__error(st, "reading an initiative");
}

static int fill_links(wb_store *st, sqlite3_stmt *const q[3], wb_initiative *in)
{
    int error;
    if ((error = collect_strings(st, q[0], in->id, &in->themes, &in->nthemes, NULL)) < 0 ||
        (error = collect_strings(st, q[1], in->id, &in->areas, &in->nareas, &in->area_year)) < 0)
        return error;
    sqlite3_reset(q[2]);
    sqlite3_bind_int64(q[2], 1, in->id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q[2])) == SQLITE_ROW) {
        if (in->ntargets == cap) {
            cap = cap ? 2 * cap : 4;
            wb_initiative_target *nv = wb_realloc(in->targets, cap * sizeof *nv);
            if (!nv)
                return WB_ENOMEM;
            in->targets = nv;
        }
        wb_initiative_target *t = &in->targets[in->ntargets++];
        snprintf(t->indicator, sizeof t->indicator, "%s", sqlite3_column_text(q[2], 0));
        t->direction = sqlite3_column_int(q[2], 1);
    }
    return rc == SQLITE_DONE ? 0 : wb_store__error(st, "reading targets");
}

static int list_internal(wb_store *st, wb_initiative **out, size_t *n, const wb_initiative_query *q,
                         int64_t only_id)
{
    static const wb_initiative_query none = WB_INITIATIVE_QUERY_INIT;
    if (!q)
        q = &none;
    *out = NULL;
    *n = 0;
    char code[WB_CODE_MAX] = "", up1[WB_CODE_MAX] = "", up2[WB_CODE_MAX] = "";
    if (q->area && *q->area) {
        if (wb_code_normalize(code, NULL, q->area, strlen(q->area), WB_LEVEL__MAX) < 0) {
            wb_error_prefix("field 'area'");
            return WB_EINVALID;
        }
        /* initiatives of the enclosing wijk and gemeente concern the area too */
        if (wb_code_parent(up1, code) == 0 && wb_code_parent(up2, up1) < 0)
            up2[0] = 0;
        wb_error_clear();
    }
    sqlite3_stmt *s = NULL, *links[3] = {NULL, NULL, NULL};
    int error = wb_store__prepare(
        st, &s,
        "SELECT i.id, i.title, i.description, i.status, i.start_date, i.end_date,"
        " i.lead_partner_id, p.name, coalesce(i.proposal_id, 0), i.created, i.updated"
        " FROM initiative i JOIN partner p ON p.id = i.lead_partner_id"
        " WHERE (?1 = 0 OR i.id = ?1)"
        " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM initiative_theme it JOIN theme t"
        "   ON t.id = it.theme_id WHERE it.initiative_id = i.id AND t.name = ?2))"
        " AND (?3 = 0 OR i.lead_partner_id = ?3 OR EXISTS (SELECT 1 FROM contribution c"
        "   WHERE c.initiative_id = i.id AND c.partner_id = ?3))"
        " AND (?4 IS NULL OR i.status = ?4)"
        " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM initiative_area ia JOIN area a"
        "   ON a.id = ia.area_id WHERE ia.initiative_id = i.id AND (?6 = 0 OR a.year = ?6)"
        "   AND (a.code IN (?5, ?7, ?8) OR a.parent = ?5"
        "     OR (SELECT w.parent FROM area w WHERE w.code = a.parent AND w.year = a.year) = ?5)))"
        " ORDER BY i.id");
    if (error < 0)
        return error;
    if ((error = wb_store__prepare(st, &links[0],
                                   "SELECT t.name FROM initiative_theme it JOIN theme t ON t.id ="
                                   " it.theme_id WHERE it.initiative_id = ?1 ORDER BY t.id")) < 0 ||
        (error = wb_store__prepare(st, &links[1],
                                   "SELECT a.code, a.year FROM initiative_area ia JOIN area a ON"
                                   " a.id = ia.area_id WHERE ia.initiative_id = ?1 ORDER BY a.code")) < 0 ||
        (error = wb_store__prepare(st, &links[2],
                                   "SELECT indicator, direction FROM initiative_target WHERE"
                                   " initiative_id = ?1 ORDER BY indicator")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, only_id);
    wbc_bind_opt(s, 2, q->theme);
    sqlite3_bind_int64(s, 3, q->partner_id);
    wbc_bind_opt(s, 4, q->status);
    wbc_bind_opt(s, 5, code);
    sqlite3_bind_int(s, 6, q->area_year);
    wbc_bind_text(s, 7, up1);
    wbc_bind_text(s, 8, up2);
    wb_initiative *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 16;
            wb_initiative *nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        wb_initiative *in = &v[cnt++];
        memset(in, 0, sizeof *in);
        in->id = sqlite3_column_int64(s, 0);
        in->title = wbc_col_dup(s, 1);
        in->description = wbc_col_dup(s, 2);
        in->status = wbc_col_dup(s, 3);
        in->start = wbc_col_dup(s, 4);
        in->end = wbc_col_dup(s, 5);
        in->lead_partner_id = sqlite3_column_int64(s, 6);
        in->lead_partner = wbc_col_dup(s, 7);
        in->proposal_id = sqlite3_column_int64(s, 8);
        in->created = wbc_col_dup(s, 9);
        in->updated = wbc_col_dup(s, 10);
        if ((error = fill_links(st, links, in)) < 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing initiatives");
    if (error < 0) {
        wb_initiatives_free(v, cnt);
    } else {
        *out = v;
        *n = cnt;
    }
done:
    sqlite3_finalize(s);
    for (int i = 0; i < 3; i++)
        sqlite3_finalize(links[i]);
    return error;
}

int wb_initiative_list(wb_store *st, const wb_actor *actor, wb_initiative **out, size_t *n,
                       const wb_initiative_query *q)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    return list_internal(st, out, n, q, 0);
}

static int load_milestones(wb_store *st, wb_initiative *in)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT id, initiative_id, title, due, progress, note"
                                          " FROM milestone WHERE initiative_id = ?1"
                                          " ORDER BY due IS NULL, due, id");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, in->id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (in->nmilestones == cap) {
            cap = cap ? 2 * cap : 4;
            wb_milestone *nv = wb_realloc(in->milestones, cap * sizeof *nv);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            in->milestones = nv;
        }
        wb_milestone *m = &in->milestones[in->nmilestones++];
        m->id = sqlite3_column_int64(s, 0);
        m->initiative_id = sqlite3_column_int64(s, 1);
        m->title = wbc_col_dup(s, 2);
        m->due = wbc_col_dup(s, 3);
        m->progress = sqlite3_column_int(s, 4);
        m->note = wbc_col_dup(s, 5);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading milestones");
    sqlite3_finalize(s);
    return error;
}

static int contribution_list(wb_store *st, wb_contribution **out, size_t *n, int64_t initiative_id,
                             int64_t partner_id);

int wb_initiative_get(wb_store *st, const wb_actor *actor, wb_initiative **out, int64_t id)
{
    *out = NULL;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    wb_initiative *v = NULL;
    size_t n = 0;
    if ((error = list_internal(st, &v, &n, NULL, id)) < 0)
        return error;
    if (n == 0) {
        wb_free(v);
        return not_found("initiative", id);
    }
    if ((error = load_milestones(st, v)) < 0 ||
        (error = contribution_list(st, &v->contributions, &v->ncontributions, id, 0)) < 0) {
        wb_initiatives_free(v, n);
        return error;
    }
    *out = v;
    return 0;
}

/* ---------------------------------------------------------------- milestones */

static const char *const milestone_json_sql =
    "SELECT id, initiative_id, title, due, progress, note FROM milestone WHERE id = ?1";

static int check_milestone(const wb_milestone *m, char due[11])
{
    int error;
    if ((error = wbc_check_text("title", m->title, 1, 200, 0)) < 0 ||
        (error = wbc_parse_date(due, "due", m->due)) < 0 ||
        (error = wbc_check_text("note", m->note, 0, 2000, 1)) < 0)
        return error;
    if (m->progress < 0 || m->progress > 100) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'progress': expected 0 to 100 per cent, got %d", m->progress);
        return WB_EINVALID;
    }
    return 0;
}

static int milestone_write(wb_store *st, int64_t *id, const wb_actor *actor, const wb_milestone *m,
                           int update)
{
    int error;
    int64_t initiative_id = m->initiative_id, lead = 0;
    if (update && (error = wbc_query_int(st, &initiative_id,
                                         "SELECT initiative_id FROM milestone WHERE id = ?1", m->id)) < 0)
        return error == WB_ENOTFOUND ? not_found("milestone", m->id) : error;
    char due[11];
    if ((error = initiative_lead(st, &lead, initiative_id)) < 0 ||
        (error = wbc_authorize(st, actor, WB_ACT_INITIATIVE_EDIT, lead, 0)) < 0 ||
        (error = check_milestone(m, due)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    json_t *before = NULL, *after = NULL;
    if (update && (error = wbc_row_json(st, &before, milestone_json_sql, m->id)) < 0)
        goto done;
    if ((error = wb_store__prepare(st, &s, update ? "UPDATE milestone SET title = ?2, due = ?3,"
                                                    " progress = ?4, note = ?5 WHERE id = ?1"
                                                  : "INSERT INTO milestone(initiative_id, title, due,"
                                                    " progress, note) VALUES (?1,?2,?3,?4,?5)")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, update ? m->id : initiative_id);
    wbc_bind_text(s, 2, m->title);
    wbc_bind_opt(s, 3, due);
    sqlite3_bind_int(s, 4, m->progress);
    wbc_bind_opt(s, 5, m->note);
    if ((error = wbc_step_change(st, s, "milestone")) < 0)
        goto done;
    int64_t mid = update ? m->id : sqlite3_last_insert_rowid(wb_store__db(st));
    if ((error = wbc_row_json(st, &after, milestone_json_sql, mid)) < 0)
        goto done;
    error = wbc_audit(st, actor, update ? "update" : "create", "milestone", mid, before, after);
    before = after = NULL;
    if (error == 0 && id)
        *id = mid;
done:
    json_decref(before);
    json_decref(after);
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

int wb_milestone_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_milestone *m)
{
    return milestone_write(st, id, actor, m, 0);
}

int wb_milestone_update(wb_store *st, const wb_actor *actor, const wb_milestone *m)
{
    return milestone_write(st, NULL, actor, m, 1);
}

/* ---------------------------------------------------------------- contributions */

static const char *const contribution_json_sql =
    "SELECT id, initiative_id, partner_id, kind, amount, start_date, end_date, note"
    " FROM contribution WHERE id = ?1";

static int check_contribution(const wb_contribution *c, char start[11], char end[11])
{
    int error;
    if ((error = wbc_check_oneof("kind", c->kind, kinds)) < 0)
        return error;
    if (!isfinite(c->amount) || c->amount < 0 || c->amount >= 1e12) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'amount': expected a number from 0 to 1e12, got %g",
                     c->amount);
        return WB_EINVALID;
    }
    if ((error = wbc_parse_date(start, "start", c->start)) < 0 ||
        (error = wbc_parse_date(end, "end", c->end)) < 0)
        return error;
    if (!start[0] || !end[0]) {
        wb_error_set(WB_ERRCLASS_ARG, "field '%s': a contribution needs a period (start and end dates)",
                     start[0] ? "end" : "start");
        return WB_EINVALID;
    }
    if ((error = check_period(start, end)) < 0 ||
        (error = wbc_check_text("note", c->note, 0, 2000, 1)) < 0)
        return error;
    return 0;
}

static int contribution_write(wb_store *st, int64_t *id, const wb_actor *actor,
                              const wb_contribution *c, int update)
{
    int error;
    int64_t partner = c->partner_id, initiative_id = c->initiative_id, x;
    if (update) {
        if ((error = wbc_query_int(st, &partner, "SELECT partner_id FROM contribution WHERE id = ?1",
                                   c->id)) < 0)
            return error == WB_ENOTFOUND ? not_found("contribution", c->id) : error;
        if ((error = wbc_query_int(st, &initiative_id,
                                   "SELECT initiative_id FROM contribution WHERE id = ?1", c->id)) < 0)
            return error;
    }
    if ((error = wbc_authorize(st, actor, WB_ACT_CONTRIBUTION_EDIT, partner, 0)) < 0)
        return error;
    if (update && c->partner_id && c->partner_id != partner) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'partner': the partner of a contribution does not change"
                                      " (delete it and add a new one)");
        return WB_EINVALID;
    }
    if (wbc_query_int(st, &x, "SELECT id FROM partner WHERE id = ?1", partner) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'partner': no partner with id %lld", (long long)partner);
        return WB_EINVALID;
    }
    if (wbc_query_int(st, &x, "SELECT id FROM initiative WHERE id = ?1", initiative_id) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'initiative': no initiative with id %lld",
                     (long long)initiative_id);
        return WB_EINVALID;
    }
    char start[11], end[11];
    if ((error = check_contribution(c, start, end)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    json_t *before = NULL, *after = NULL;
    if (update && (error = wbc_row_json(st, &before, contribution_json_sql, c->id)) < 0)
        goto done;
    if ((error = wb_store__prepare(st, &s, update ? "UPDATE contribution SET kind = ?3, amount = ?4,"
                                                    " start_date = ?5, end_date = ?6, note = ?7"
                                                    " WHERE id = ?1"
                                                  : "INSERT INTO contribution(initiative_id, partner_id,"
                                                    " kind, amount, start_date, end_date, note)"
                                                    " VALUES (?1,?2,?3,?4,?5,?6,?7)")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, update ? c->id : initiative_id);
    sqlite3_bind_int64(s, 2, partner);
    wbc_bind_text(s, 3, c->kind);
    sqlite3_bind_double(s, 4, c->amount);
    wbc_bind_text(s, 5, start);
    wbc_bind_text(s, 6, end);
    wbc_bind_opt(s, 7, c->note);
    if ((error = wbc_step_change(st, s, "contribution")) < 0)
        goto done;
    int64_t cid = update ? c->id : sqlite3_last_insert_rowid(wb_store__db(st));
    if ((error = wbc_row_json(st, &after, contribution_json_sql, cid)) < 0)
        goto done;
    error = wbc_audit(st, actor, update ? "update" : "create", "contribution", cid, before, after);
    before = after = NULL;
    if (error == 0 && id)
        *id = cid;
done:
    json_decref(before);
    json_decref(after);
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

int wb_contribution_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_contribution *c)
{
    return contribution_write(st, id, actor, c, 0);
}

int wb_contribution_update(wb_store *st, const wb_actor *actor, const wb_contribution *c)
{
    return contribution_write(st, NULL, actor, c, 1);
}

int wb_contribution_delete(wb_store *st, const wb_actor *actor, int64_t id)
{
    int64_t partner;
    int error = wbc_query_int(st, &partner, "SELECT partner_id FROM contribution WHERE id = ?1", id);
    if (error < 0)
        return error == WB_ENOTFOUND ? not_found("contribution", id) : error;
    if ((error = wbc_authorize(st, actor, WB_ACT_CONTRIBUTION_EDIT, partner, 0)) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL;
    if ((error = wbc_row_json(st, &before, contribution_json_sql, id)) < 0 ||
        (error = wbc_exec_id(st, "DELETE FROM contribution WHERE id = ?1", id)) < 0)
        goto done;
    error = wbc_audit(st, actor, "delete", "contribution", id, before, NULL);
    before = NULL;
done:
    json_decref(before);
    return wbc_tx_end(st, &tx, error);
}

static int contribution_list(wb_store *st, wb_contribution **out, size_t *n, int64_t initiative_id,
                             int64_t partner_id)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s,
                                  "SELECT c.id, c.initiative_id, c.partner_id, p.name, c.kind, c.amount,"
                                  " c.start_date, c.end_date, c.note FROM contribution c"
                                  " JOIN partner p ON p.id = c.partner_id"
                                  " WHERE (?1 = 0 OR c.initiative_id = ?1) AND (?2 = 0 OR c.partner_id = ?2)"
                                  " ORDER BY c.initiative_id, c.start_date, c.id");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    sqlite3_bind_int64(s, 2, partner_id);
    wb_contribution *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 16;
            wb_contribution *nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        wb_contribution *c = &v[cnt++];
        c->id = sqlite3_column_int64(s, 0);
        c->initiative_id = sqlite3_column_int64(s, 1);
        c->partner_id = sqlite3_column_int64(s, 2);
        c->partner = wbc_col_dup(s, 3);
        c->kind = wbc_col_dup(s, 4);
        c->amount = sqlite3_column_double(s, 5);
        c->start = wbc_col_dup(s, 6);
        c->end = wbc_col_dup(s, 7);
        c->note = wbc_col_dup(s, 8);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing contributions");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_contributions_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int wb_contribution_list(wb_store *st, const wb_actor *actor, wb_contribution **out, size_t *n,
                         int64_t initiative_id, int64_t partner_id)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    return contribution_list(st, out, n, initiative_id, partner_id);
}

void wb_contributions_free(wb_contribution *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(c[i].partner);
        wb_free(c[i].kind);
        wb_free(c[i].start);
        wb_free(c[i].end);
        wb_free(c[i].note);
    }
    wb_free(c);
}
