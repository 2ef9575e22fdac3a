/** @file @brief The register in SQLite: resident proposals and their supports. */
#include <math.h>
#include <stdio.h>

#include "store/register_internal.h"

int wb_reg__proposal_state(wb_store *st, int64_t id, int64_t *author, char status[16])
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "SELECT user_id, status FROM proposal WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *author = sqlite3_column_int64(s, 0);
        snprintf(status, 16, "%s", wb_reg__text(s, 1));
    } else if (rc == SQLITE_DONE) {
        error = WB_ENOTFOUND;
    } else {
        error = wb_store__error(st, "reading a proposal");
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__proposal_insert(wb_store *st, int64_t *id, int64_t user_id, int64_t area_id,
                            const char *title, const char *text, int64_t theme_id,
                            double est_cost_eur)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO proposal(user_id, area_id, title, body, theme_id,"
                               " est_cost_eur) VALUES (?1,?2,?3,?4,?5,?6)");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, user_id);
    sqlite3_bind_int64(s, 2, area_id);
    wb_reg__bind_text(s, 3, title);
    wb_reg__bind_text(s, 4, text);
    sqlite3_bind_int64(s, 5, theme_id);
    if (isnan(est_cost_eur))
        sqlite3_bind_null(s, 6);
    else
        sqlite3_bind_double(s, 6, est_cost_eur);
    return wb_reg__insert(st, s, "proposal", id);
}

int wb_reg__proposal_set_status(wb_store *st, int64_t id, wb_reg_proposal_status status,
                                const char *reason, int64_t initiative_id)
{
    static const char *const sql[] = {
        [WB_REG_PROPOSAL_DECLINED] = "UPDATE proposal SET status = 'declined', decline_reason = ?2 WHERE id = ?1",
        [WB_REG_PROPOSAL_HIDDEN] = "UPDATE proposal SET status = 'hidden' WHERE id = ?1",
        [WB_REG_PROPOSAL_ADOPTED] = "UPDATE proposal SET status = 'adopted', initiative_id = ?2 WHERE id = ?1",
    };
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql[status]);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    if (status == WB_REG_PROPOSAL_DECLINED)
        wb_reg__bind_text(s, 2, reason);
    else if (status == WB_REG_PROPOSAL_ADOPTED)
        sqlite3_bind_int64(s, 2, initiative_id);
    return wb_reg__change(st, s, "proposal");
}

int wb_reg__support_exists(wb_store *st, int64_t proposal_id, int64_t user_id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "SELECT 1 FROM support WHERE proposal_id = ?1 AND user_id = ?2");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, proposal_id);
    sqlite3_bind_int64(s, 2, user_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        error = 1;
    else if (rc != SQLITE_DONE)
        error = wb_store__error(st, "reading supports");
    sqlite3_reset(s);
    return error;
}

int wb_reg__support_add(wb_store *st, int64_t proposal_id, int64_t user_id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "INSERT INTO support(proposal_id, user_id) VALUES (?1,?2)");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, proposal_id);
    sqlite3_bind_int64(s, 2, user_id);
    return wb_reg__change(st, s, "support");
}

int wb_reg__proposal_list(wb_store *st, const wb_reg_proposal_query *q, wb_reg_proposal_fn fn,
                          void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(
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
    sqlite3_bind_int64(s, 1, q->only_id);
    sqlite3_bind_int(s, 2, q->see_hidden);
    wb_reg__bind_opt(s, 3, q->status);
    wb_reg__bind_opt(s, 4, q->area);
    sqlite3_bind_int(s, 5, q->area_year);
    wb_reg__bind_opt(s, 6, q->theme);
    /* ids start at 1: -1 matches no support */
    sqlite3_bind_int64(s, 7, q->viewer_id > 0 ? q->viewer_id : -1);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_proposal p = {
            .id = sqlite3_column_int64(s, 0),
            .user_id = sqlite3_column_int64(s, 1),
            .author = wb_reg__text(s, 2),
            .area = wb_reg__text(s, 3),
            .area_year = sqlite3_column_int(s, 4),
            .title = wb_reg__text(s, 5),
            .text = wb_reg__text(s, 6),
            .theme = wb_reg__text(s, 7),
            .est_cost_eur = sqlite3_column_type(s, 8) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 8),
            .status = wb_reg__text(s, 9),
            .decline_reason = wb_reg__text(s, 10),
            .initiative_id = sqlite3_column_int64(s, 11),
            .supports = (long)sqlite3_column_int64(s, 12),
            .created = wb_reg__text(s, 13),
            .supported = sqlite3_column_int(s, 14),
        };
        if ((error = fn(payload, &p)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing proposals");
    sqlite3_reset(s);
    return error;
}
