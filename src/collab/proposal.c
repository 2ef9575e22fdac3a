/** @file @brief Resident proposals: filing, support, adoption into an initiative, decline, hiding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

static const char *const proposal_json_sql =
    "SELECT id, user_id, area_id, title, body, theme_id, est_cost_eur, status, decline_reason,"
    " initiative_id FROM proposal WHERE id = ?1";

static int not_found(int64_t id)
{
    wb_error_set(WB_ERRCLASS_ARG, "no proposal with id %lld", (long long)id);
    return WB_ENOTFOUND;
}

/* Author and status of a proposal; hidden ones do not exist for actors that may not hide. */
static int proposal_state(wb_store *st, const wb_actor *actor, int64_t id, int64_t *author,
                          char status[16])
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT user_id, status FROM proposal WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *author = sqlite3_column_int64(s, 0);
        snprintf(status, 16, "%s", sqlite3_column_text(s, 1));
    } else if (rc == SQLITE_DONE) {
        error = not_found(id);
    } else {
        error = wb_store__error(st, "reading a proposal");
    }
    sqlite3_finalize(s);
    if (error == 0 && !strcmp(status, "hidden") &&
        wb_authorize(NULL, actor, WB_ACT_PROPOSAL_HIDE, NULL) < 0)
        error = not_found(id);
    return error;
}

static int must_be_open(int64_t id, const char *status, const char *what)
{
    if (strcmp(status, "open")) {
        wb_error_set(WB_ERRCLASS_ARG, "proposal %lld is %s: only open proposals can be %s",
                     (long long)id, status, what);
        return WB_ECONFLICT;
    }
    return 0;
}

int wb_proposal_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_proposal *p)
{
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_PROPOSAL_FILE, 0, 0)) < 0)
        return error;
    if (!actor || actor->user_id <= 0) {
        wb_error_set(WB_ERRCLASS_AUTH, "a proposal needs an author account (on the command line: --as NAME)");
        return WB_EINVALID;
    }
    int64_t area_id, theme_id;
    if ((error = wbc_check_text("title", p->title, 1, 200, 0)) < 0 ||
        (error = wbc_check_text("text", p->text, 1, 5000, 1)) < 0 ||
        (error = wbc_area_id(st, &area_id, "area", p->area, p->area_year, 0)) < 0 ||
        (error = wbc_theme_id(st, &theme_id, "theme", p->theme)) < 0)
        return error;
    if (!isnan(p->est_cost_eur) && (!isfinite(p->est_cost_eur) || p->est_cost_eur < 0 ||
                                    p->est_cost_eur >= 1e12)) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'cost': expected an amount in euros of 0 or more, got %g",
                     p->est_cost_eur);
        return WB_EINVALID;
    }
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    json_t *after = NULL;
    if ((error = wb_store__prepare(st, &s, "INSERT INTO proposal(user_id, area_id, title, body,"
                                           " theme_id, est_cost_eur) VALUES (?1,?2,?3,?4,?5,?6)")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, actor->user_id);
    sqlite3_bind_int64(s, 2, area_id);
    wbc_bind_text(s, 3, p->title);
    wbc_bind_text(s, 4, p->text);
    sqlite3_bind_int64(s, 5, theme_id);
    if (isnan(p->est_cost_eur))
        sqlite3_bind_null(s, 6);
    else
        sqlite3_bind_double(s, 6, p->est_cost_eur);
    if ((error = wbc_step_change(st, s, "proposal")) < 0)
        goto done;
    int64_t pid = sqlite3_last_insert_rowid(wb_store__db(st));
    if ((error = wbc_row_json(st, &after, proposal_json_sql, pid)) < 0)
        goto done;
    error = wbc_audit(st, actor, "create", "proposal", pid, NULL, after);
    after = NULL;
    if (error == 0 && id)
        *id = pid;
done:
    json_decref(after);
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

int wb_proposal_support(wb_store *st, const wb_actor *actor, int64_t id)
{
    int64_t author = 0;
    char status[16];
    int error;
    /* the role is checked before the proposal is looked at */
    if ((error = wbc_authorize(st, actor, WB_ACT_PROPOSAL_SUPPORT, 0, 0)) < 0 ||
        (error = proposal_state(st, actor, id, &author, status)) < 0 ||
        (error = wbc_authorize(st, actor, WB_ACT_PROPOSAL_SUPPORT, 0, author)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s, "SELECT 1 FROM support WHERE proposal_id = ?1 AND user_id = ?2")) < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, actor->user_id);
    int again = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    s = NULL;
    if (again) {
        wb_error_set(WB_ERRCLASS_AUTH, "denied: you already support proposal %lld (one support per person)",
                     (long long)id);
        return WB_EDENIED;
    }
    if ((error = must_be_open(id, status, "supported")) < 0)
        return error;
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    if ((error = wb_store__prepare(st, &s, "INSERT INTO support(proposal_id, user_id) VALUES (?1,?2)")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, actor->user_id);
    if ((error = wbc_step_change(st, s, "support")) < 0) {
        if (error == WB_ECONFLICT) { /* a concurrent second support */
            wb_error_set(WB_ERRCLASS_AUTH, "denied: you already support proposal %lld", (long long)id);
            error = WB_EDENIED;
        }
        goto done;
    }
    error = wbc_audit(st, actor, "support", "proposal", id, NULL,
                      json_pack("{s:I,s:I}", "proposal_id", (json_int_t)id, "user_id",
                                (json_int_t)actor->user_id));
done:
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

/* Change the status of a proposal with an audit entry; the SQL gets ?1 = id, ?2 = text,
 * ?3 = num (binding a parameter the SQL does not use is harmless). */
static int set_state(wb_store *st, const wb_actor *actor, int64_t id, const char *sql,
                     const char *text, int64_t num, const char *action)
{
    wbc_tx tx;
    int error = wbc_tx_begin(st, &tx);
    if (error < 0)
        return error;
    json_t *before = NULL, *after = NULL;
    sqlite3_stmt *s = NULL;
    if ((error = wbc_row_json(st, &before, proposal_json_sql, id)) < 0 ||
        (error = wb_store__prepare(st, &s, sql)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, id);
    wbc_bind_text(s, 2, text);
    sqlite3_bind_int64(s, 3, num);
    if ((error = wbc_step_change(st, s, "proposal")) < 0 ||
        (error = wbc_row_json(st, &after, proposal_json_sql, id)) < 0)
        goto done;
    error = wbc_audit(st, actor, action, "proposal", id, before, after);
    before = after = NULL;
done:
    json_decref(before);
    json_decref(after);
    sqlite3_finalize(s);
    return wbc_tx_end(st, &tx, error);
}

int wb_proposal_decline(wb_store *st, const wb_actor *actor, int64_t id, const char *reason)
{
    int64_t author;
    char status[16];
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_PROPOSAL_DECLINE, 0, 0)) < 0 ||
        (error = proposal_state(st, actor, id, &author, status)) < 0 ||
        (error = must_be_open(id, status, "declined")) < 0 ||
        (error = wbc_check_text("reason", reason, 1, 2000, 1)) < 0)
        return error;
    return set_state(st, actor, id,
                     "UPDATE proposal SET status = 'declined', decline_reason = ?2 WHERE id = ?1",
                     reason, 0, "decline");
}

int wb_proposal_hide(wb_store *st, const wb_actor *actor, int64_t id)
{
    int64_t author;
    char status[16];
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_PROPOSAL_HIDE, 0, 0)) < 0 ||
        (error = proposal_state(st, actor, id, &author, status)) < 0)
        return error;
    if (!strcmp(status, "adopted")) {
        wb_error_set(WB_ERRCLASS_ARG, "proposal %lld is adopted: an initiative refers to it", (long long)id);
        return WB_ECONFLICT;
    }
    if (!strcmp(status, "hidden"))
        return 0;
    return set_state(st, actor, id, "UPDATE proposal SET status = 'hidden' WHERE id = ?1", NULL, 0,
                     "hide");
}

int wb_proposal_adopt(wb_store *st, int64_t *initiative_id, const wb_actor *actor, int64_t id,
                      int64_t lead_partner_id, const char *status)
{
    int64_t author, lead = lead_partner_id;
    char pstatus[16];
    int error;
    if (!lead && actor && actor->role == WB_ROLE_PARTNER)
        lead = actor->partner_id;
    if ((error = wbc_authorize(st, actor, WB_ACT_PROPOSAL_ADOPT, lead, 0)) < 0 ||
        (error = proposal_state(st, actor, id, &author, pstatus)) < 0 ||
        (error = must_be_open(id, pstatus, "adopted")) < 0)
        return error;
    if (lead <= 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'lead': adopting needs the lead partner of the new initiative");
        return WB_EINVALID;
    }
    wbc_tx tx;
    if ((error = wbc_tx_begin(st, &tx)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    char *theme = NULL, *code = NULL;
    wb_initiative in;
    memset(&in, 0, sizeof in);
    if ((error = wb_store__prepare(st, &s, "SELECT p.title, p.body, t.name, a.code, a.year FROM proposal p"
                                           " JOIN theme t ON t.id = p.theme_id JOIN area a ON a.id = p.area_id"
                                           " WHERE p.id = ?1")) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = wb_store__error(st, "reading a proposal");
        goto done;
    }
    in.title = wbc_col_dup(s, 0);
    in.description = wbc_col_dup(s, 1);
    theme = wbc_col_dup(s, 2);
    code = wbc_col_dup(s, 3);
    in.area_year = sqlite3_column_int(s, 4);
    in.status = (char *)(status && *status ? status : "gepland");
    in.lead_partner_id = lead;
    in.themes = &theme;
    in.nthemes = 1;
    in.areas = &code;
    in.nareas = 1;
    int64_t iid = 0;
    if ((error = wbc_initiative_put(st, &iid, actor, &in, id, "adopt")) < 0)
        goto done;
    if ((error = set_state(st, actor, id,
                           "UPDATE proposal SET status = 'adopted', initiative_id = ?3 WHERE id = ?1",
                           NULL, iid, "adopt")) < 0)
        goto done;
    if (initiative_id)
        *initiative_id = iid;
done:
    sqlite3_finalize(s);
    wb_free(in.title);
    wb_free(in.description);
    wb_free(theme);
    wb_free(code);
    return wbc_tx_end(st, &tx, error);
}

/* ---------------------------------------------------------------- reading */

static void proposal_clear(wb_proposal *p)
{
    wb_free(p->author);
    wb_free(p->area);
    wb_free(p->title);
    wb_free(p->text);
    wb_free(p->theme);
    wb_free(p->status);
    wb_free(p->decline_reason);
    wb_free(p->created);
}

void wb_proposal_free(wb_proposal *p)
{
    if (!p)
        return;
    proposal_clear(p);
    wb_free(p);
}

void wb_proposals_free(wb_proposal *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++)
        proposal_clear(&p[i]);
    wb_free(p);
}

static int list_internal(wb_store *st, const wb_actor *actor, wb_proposal **out, size_t *n,
                         const wb_proposal_query *q, int64_t only_id)
{
    static const wb_proposal_query none = WB_PROPOSAL_QUERY_INIT;
    if (!q)
        q = &none;
    *out = NULL;
    *n = 0;
    int see_hidden = wb_authorize(NULL, actor, WB_ACT_PROPOSAL_HIDE, NULL) == 0;
    wb_error_clear();
    char code[WB_CODE_MAX] = "";
    if (q->area && *q->area &&
        wb_code_normalize(code, NULL, q->area, strlen(q->area), WB_LEVEL__MAX) < 0) {
        wb_error_prefix("field 'area'");
        return WB_EINVALID;
    }
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(
        st, &s,
        "SELECT p.id, p.user_id, u.name, a.code, a.year, p.title, p.body, t.name,"
        " p.est_cost_eur, p.status, p.decline_reason, coalesce(p.initiative_id, 0),"
        " (SELECT count(*) FROM support x WHERE x.proposal_id = p.id), p.created,"
        " EXISTS (SELECT 1 FROM support y WHERE y.proposal_id = p.id AND y.user_id = ?7)"
        " FROM proposal p JOIN users u ON u.id = p.user_id JOIN area a ON a.id = p.area_id"
        " JOIN theme t ON t.id = p.theme_id"
        " WHERE (?1 = 0 OR p.id = ?1) AND (?2 OR p.status <> 'hidden')"
        " AND (?3 IS NULL OR p.status = ?3)"
        " AND (?4 IS NULL OR a.code = ?4 OR a.parent = ?4) AND (?5 = 0 OR a.year = ?5)"
        " AND (?6 IS NULL OR t.name = ?6) ORDER BY p.id");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, only_id);
    sqlite3_bind_int(s, 2, see_hidden);
    wbc_bind_opt(s, 3, q->status);
    wbc_bind_opt(s, 4, code);
    sqlite3_bind_int(s, 5, q->area_year);
    wbc_bind_opt(s, 6, q->theme);
    sqlite3_bind_int64(s, 7, actor && actor->user_id > 0 ? actor->user_id : -1);
    wb_proposal *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 16;
            wb_proposal *nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        wb_proposal *p = &v[cnt++];
        memset(p, 0, sizeof *p);
        p->id = sqlite3_column_int64(s, 0);
        p->user_id = sqlite3_column_int64(s, 1);
        /* residents' account names are personal data: shown to the admin and the author only */
        if (see_hidden || (actor && actor->user_id > 0 && actor->user_id == p->user_id)) {
            p->author = wbc_col_dup(s, 2);
        } else {
            p->user_id = 0;
            p->author = NULL;
        }
        p->area = wbc_col_dup(s, 3);
        p->area_year = sqlite3_column_int(s, 4);
        p->title = wbc_col_dup(s, 5);
        p->text = wbc_col_dup(s, 6);
        p->theme = wbc_col_dup(s, 7);
        p->est_cost_eur = sqlite3_column_type(s, 8) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 8);
        p->status = wbc_col_dup(s, 9);
        p->decline_reason = wbc_col_dup(s, 10);
        p->initiative_id = sqlite3_column_int64(s, 11);
        p->supports = (long)sqlite3_column_int64(s, 12);
        p->created = wbc_col_dup(s, 13);
        p->supported = sqlite3_column_int(s, 14);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing proposals");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_proposals_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int wb_proposal_list(wb_store *st, const wb_actor *actor, wb_proposal **out, size_t *n,
                     const wb_proposal_query *q)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    return list_internal(st, actor, out, n, q, 0);
}

int wb_proposal_get(wb_store *st, const wb_actor *actor, wb_proposal **out, int64_t id)
{
    *out = NULL;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    wb_proposal *v = NULL;
    size_t n = 0;
    if ((error = list_internal(st, actor, &v, &n, NULL, id)) < 0)
        return error;
    if (n == 0) {
        wb_free(v);
        return not_found(id);
    }
    *out = v;
    return 0;
}
