/** @file @brief The register in SQLite: initiatives with their themes, areas and targets,
 *  milestones, contributions, coalitions and the partners x areas x themes matrix. */
#include <string.h>

#include "store/register_internal.h"

/* ---------------------------------------------------------------- initiatives */

static void bind_initiative(sqlite3_stmt *s, const wb_reg_initiative *in)
{
    wb_reg__bind_text(s, 2, in->title);
    wb_reg__bind_opt(s, 3, in->description);
    wb_reg__bind_text(s, 4, in->status);
    wb_reg__bind_opt(s, 5, in->start);
    wb_reg__bind_opt(s, 6, in->end);
    sqlite3_bind_int64(s, 7, in->lead_partner_id);
}

int wb_reg__initiative_insert(wb_store *st, int64_t *id, const wb_reg_initiative *in)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO initiative(title, description, status, start_date,"
                               " end_date, lead_partner_id, proposal_id) VALUES (?2,?3,?4,?5,?6,?7,?8)");
    if (error < 0)
        return error;
    bind_initiative(s, in);
    wb_reg__bind_id(s, 8, in->proposal_id);
    return wb_reg__insert(st, s, "initiative", id);
}

int wb_reg__initiative_update(wb_store *st, int64_t id, const wb_reg_initiative *in)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "UPDATE initiative SET title = ?2, description = ?3, status = ?4,"
                               " start_date = ?5, end_date = ?6, lead_partner_id = ?7,"
                               " updated = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    bind_initiative(s, in);
    return wb_reg__change(st, s, "initiative");
}

int wb_reg__initiative_lead(wb_store *st, int64_t *lead, int64_t id)
{
    return wb_reg__query_int(st, lead, "SELECT lead_partner_id FROM initiative WHERE id = ?1", id);
}

int wb_reg__initiative_delete(wb_store *st, int64_t id)
{
    int error = wb_reg__exec_id(st, "UPDATE proposal SET initiative_id = NULL WHERE initiative_id = ?1", id);
    if (error == 0)
        error = wb_reg__exec_id(st, "DELETE FROM initiative WHERE id = ?1", id);
    return error;
}

int wb_reg__initiative_links_clear(wb_store *st, int64_t id)
{
    int error;
    if ((error = wb_reg__exec_id(st, "DELETE FROM initiative_theme WHERE initiative_id = ?1", id)) < 0 ||
        (error = wb_reg__exec_id(st, "DELETE FROM initiative_area WHERE initiative_id = ?1", id)) < 0)
        return error;
    return wb_reg__exec_id(st, "DELETE FROM initiative_target WHERE initiative_id = ?1", id);
}

static int link_add(wb_store *st, const char *sql, int64_t id, int64_t other, const char *what)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, other);
    return wb_reg__change(st, s, what);
}

int wb_reg__initiative_theme_add(wb_store *st, int64_t id, int64_t theme_id)
{
    return link_add(st, "INSERT OR IGNORE INTO initiative_theme(initiative_id, theme_id) VALUES (?1,?2)",
                    id, theme_id, "initiative theme");
}

int wb_reg__initiative_area_add(wb_store *st, int64_t id, int64_t area_id)
{
    return link_add(st, "INSERT OR IGNORE INTO initiative_area(initiative_id, area_id) VALUES (?1,?2)",
                    id, area_id, "initiative area");
}

int wb_reg__initiative_target_add(wb_store *st, int64_t id, const char *indicator, int direction)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO initiative_target(initiative_id, indicator, direction)"
                               " VALUES (?1,?2,?3)");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    wb_reg__bind_text(s, 2, indicator);
    sqlite3_bind_int(s, 3, direction);
    return wb_reg__change(st, s, "initiative target");
}

/* The themes, areas and targets of one initiative, to the sink. */
static int send_links(wb_store *st, const wb_reg_initiative_sink *sink, int64_t id)
{
    static const char *const sql[3] = {
        [WB_REG_LINK_THEME] = "SELECT t.name, 0 FROM initiative_theme it JOIN theme t ON t.id = it.theme_id"
                              " WHERE it.initiative_id = ?1 ORDER BY t.id",
        [WB_REG_LINK_AREA] = "SELECT a.code, a.year FROM initiative_area ia JOIN area a ON a.id = ia.area_id"
                             " WHERE ia.initiative_id = ?1 ORDER BY a.code",
        [WB_REG_LINK_TARGET] = "SELECT indicator, direction FROM initiative_target WHERE initiative_id = ?1"
                               " ORDER BY indicator",
    };
    for (int k = WB_REG_LINK_THEME; k <= WB_REG_LINK_TARGET; k++) {
        sqlite3_stmt *s = NULL;
        int error = wb_store__stmt(st, &s, sql[k]);
        if (error < 0)
            return error;
        sqlite3_bind_int64(s, 1, id);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            if ((error = sink->link(sink->payload, (wb_reg_link)k, wb_reg__text(s, 0),
                                    sqlite3_column_int(s, 1))) != 0)
                break;
        if (error == 0 && rc != SQLITE_DONE)
            error = wb_store__error(st, k == WB_REG_LINK_TARGET ? "reading targets" : "reading an initiative");
        sqlite3_reset(s);
        if (error < 0)
            return error;
    }
    return 0;
}

int wb_reg__initiative_list(wb_store *st, const wb_reg_initiative_query *q,
                            const wb_reg_initiative_sink *sink)
{
    /* initiatives of the enclosing wijk and gemeente concern the area too */
    char up1[WB_CODE_MAX] = "", up2[WB_CODE_MAX] = "";
    if (q->area && *q->area) {
        if (wb_code_parent(up1, q->area) == 0 && wb_code_parent(up2, up1) < 0)
            up2[0] = 0;
        wb_error_clear();
    }
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(
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
    sqlite3_bind_int64(s, 1, q->only_id);
    wb_reg__bind_opt(s, 2, q->theme);
    sqlite3_bind_int64(s, 3, q->partner_id);
    wb_reg__bind_opt(s, 4, q->status);
    wb_reg__bind_opt(s, 5, q->area);
    sqlite3_bind_int(s, 6, q->area_year);
    wb_reg__bind_text(s, 7, up1);
    wb_reg__bind_text(s, 8, up2);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_initiative in = {
            .id = sqlite3_column_int64(s, 0),
            .title = wb_reg__text(s, 1),
            .description = wb_reg__text(s, 2),
            .status = wb_reg__text(s, 3),
            .start = wb_reg__text(s, 4),
            .end = wb_reg__text(s, 5),
            .lead_partner_id = sqlite3_column_int64(s, 6),
            .lead_partner = wb_reg__text(s, 7),
            .proposal_id = sqlite3_column_int64(s, 8),
            .created = wb_reg__text(s, 9),
            .updated = wb_reg__text(s, 10),
        };
        if ((error = sink->row(sink->payload, &in)) != 0 || (error = send_links(st, sink, in.id)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing initiatives");
    sqlite3_reset(s);
    return error;
}

/* ---------------------------------------------------------------- milestones */

static void bind_milestone(sqlite3_stmt *s, int64_t first, const wb_reg_milestone *m)
{
    sqlite3_bind_int64(s, 1, first);
    wb_reg__bind_text(s, 2, m->title);
    wb_reg__bind_opt(s, 3, m->due);
    sqlite3_bind_int(s, 4, m->progress);
    wb_reg__bind_opt(s, 5, m->note);
}

int wb_reg__milestone_insert(wb_store *st, int64_t *id, const wb_reg_milestone *m)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO milestone(initiative_id, title, due, progress, note)"
                               " VALUES (?1,?2,?3,?4,?5)");
    if (error < 0)
        return error;
    bind_milestone(s, m->initiative_id, m);
    return wb_reg__insert(st, s, "milestone", id);
}

int wb_reg__milestone_update(wb_store *st, const wb_reg_milestone *m)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "UPDATE milestone SET title = ?2, due = ?3, progress = ?4, note = ?5"
                               " WHERE id = ?1");
    if (error < 0)
        return error;
    bind_milestone(s, m->id, m);
    return wb_reg__change(st, s, "milestone");
}

int wb_reg__milestone_initiative(wb_store *st, int64_t *initiative_id, int64_t id)
{
    return wb_reg__query_int(st, initiative_id, "SELECT initiative_id FROM milestone WHERE id = ?1", id);
}

int wb_reg__milestone_list(wb_store *st, int64_t initiative_id, wb_reg_milestone_fn fn,
                           void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT id, initiative_id, title, due, progress, note FROM milestone"
                               " WHERE initiative_id = ?1 ORDER BY due IS NULL, due, id");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_milestone m = {
            .id = sqlite3_column_int64(s, 0),
            .initiative_id = sqlite3_column_int64(s, 1),
            .title = wb_reg__text(s, 2),
            .due = wb_reg__text(s, 3),
            .progress = sqlite3_column_int(s, 4),
            .note = wb_reg__text(s, 5),
        };
        if ((error = fn(payload, &m)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading milestones");
    sqlite3_reset(s);
    return error;
}

/* ---------------------------------------------------------------- contributions */

int wb_reg__contribution_insert(wb_store *st, int64_t *id, const wb_reg_contribution *c)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "INSERT INTO contribution(initiative_id, partner_id, kind, amount,"
                               " start_date, end_date, note) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, c->initiative_id);
    sqlite3_bind_int64(s, 2, c->partner_id);
    wb_reg__bind_text(s, 3, c->kind);
    sqlite3_bind_double(s, 4, c->amount);
    wb_reg__bind_text(s, 5, c->start);
    wb_reg__bind_text(s, 6, c->end);
    wb_reg__bind_opt(s, 7, c->note);
    return wb_reg__insert(st, s, "contribution", id);
}

int wb_reg__contribution_update(wb_store *st, const wb_reg_contribution *c)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "UPDATE contribution SET kind = ?2, amount = ?3, start_date = ?4,"
                               " end_date = ?5, note = ?6 WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, c->id);
    wb_reg__bind_text(s, 2, c->kind);
    sqlite3_bind_double(s, 3, c->amount);
    wb_reg__bind_text(s, 4, c->start);
    wb_reg__bind_text(s, 5, c->end);
    wb_reg__bind_opt(s, 6, c->note);
    return wb_reg__change(st, s, "contribution");
}

int wb_reg__contribution_owner(wb_store *st, int64_t id, int64_t *partner_id,
                               int64_t *initiative_id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, "SELECT partner_id, initiative_id FROM contribution WHERE id = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *partner_id = sqlite3_column_int64(s, 0);
        *initiative_id = sqlite3_column_int64(s, 1);
    } else if (rc == SQLITE_DONE) {
        error = WB_ENOTFOUND;
    } else {
        error = wb_store__error(st, "querying");
    }
    sqlite3_reset(s);
    return error;
}

int wb_reg__contribution_delete(wb_store *st, int64_t id)
{
    return wb_reg__exec_id(st, "DELETE FROM contribution WHERE id = ?1", id);
}

int wb_reg__contribution_list(wb_store *st, int64_t initiative_id, int64_t partner_id,
                              wb_reg_contribution_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT c.id, c.initiative_id, c.partner_id, p.name, c.kind, c.amount,"
                               " c.start_date, c.end_date, c.note FROM contribution c"
                               " JOIN partner p ON p.id = c.partner_id"
                               " WHERE (?1 = 0 OR c.initiative_id = ?1) AND (?2 = 0 OR c.partner_id = ?2)"
                               " ORDER BY c.initiative_id, c.start_date, c.id");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    sqlite3_bind_int64(s, 2, partner_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_contribution c = {
            .id = sqlite3_column_int64(s, 0),
            .initiative_id = sqlite3_column_int64(s, 1),
            .partner_id = sqlite3_column_int64(s, 2),
            .partner = wb_reg__text(s, 3),
            .kind = wb_reg__text(s, 4),
            .amount = sqlite3_column_double(s, 5),
            .start = wb_reg__text(s, 6),
            .end = wb_reg__text(s, 7),
            .note = wb_reg__text(s, 8),
        };
        if ((error = fn(payload, &c)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing contributions");
    sqlite3_reset(s);
    return error;
}

int wb_reg__contribution_by_partner(wb_store *st, int64_t initiative_id,
                                    wb_reg_contribution_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT c.initiative_id, i.title, p.name, c.kind, c.amount, c.start_date,"
                               " c.end_date FROM contribution c JOIN initiative i ON i.id = c.initiative_id"
                               " JOIN partner p ON p.id = c.partner_id WHERE (?1 = 0 OR c.initiative_id = ?1)"
                               " ORDER BY c.initiative_id, p.name COLLATE NOCASE, p.name");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_contribution c = {
            .initiative_id = sqlite3_column_int64(s, 0),
            .initiative = wb_reg__text(s, 1),
            .partner = wb_reg__text(s, 2),
            .kind = wb_reg__text(s, 3),
            .amount = sqlite3_column_double(s, 4),
            .start = wb_reg__text(s, 5),
            .end = wb_reg__text(s, 6),
        };
        if ((error = fn(payload, &c)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading contributions");
    sqlite3_reset(s);
    return error;
}

int wb_reg__coalition_at(wb_store *st, int64_t initiative_id, const char *date,
                         wb_reg_text_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s,
                               "SELECT DISTINCT p.name FROM contribution c JOIN partner p"
                               " ON p.id = c.partner_id WHERE c.initiative_id = ?1"
                               " AND c.start_date <= ?2 AND c.end_date >= ?2"
                               " ORDER BY p.name COLLATE NOCASE, p.name");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    wb_reg__bind_text(s, 2, date);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((error = fn(payload, wb_reg__text(s, 0))) != 0)
            break;
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading a coalition");
    sqlite3_reset(s);
    return error;
}

/* ---------------------------------------------------------------- matrix */

int wb_reg__matrix(wb_store *st, int year, wb_reg_matrix_fn fn, void *payload)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(
        st, &s,
        "WITH yr(y, ys, ye) AS (SELECT ?1, printf('%04d-01-01', ?1), printf('%04d-12-31', ?1)),"
        " act(id, lead) AS (SELECT i.id, i.lead_partner_id FROM initiative i, yr WHERE yr.y = 0"
        "   OR ((i.start_date IS NULL OR i.start_date <= yr.ye)"
        "   AND (i.end_date IS NULL OR i.end_date >= yr.ys))),"
        " cf AS (SELECT c.initiative_id, c.partner_id, c.kind, c.amount * (CASE WHEN yr.y = 0 THEN 1.0"
        "   ELSE max(0.0, julianday(min(c.end_date, yr.ye)) - julianday(max(c.start_date, yr.ys)) + 1)"
        "   / (julianday(c.end_date) - julianday(c.start_date) + 1) END) AS share,"
        "   (yr.y = 0 OR (c.start_date <= yr.ye AND c.end_date >= yr.ys)) AS inyear"
        "   FROM contribution c, yr),"
        " pm(initiative_id, partner_id, money, hours, inkind) AS (SELECT initiative_id, partner_id,"
        "   sum(CASE kind WHEN 'money_eur' THEN share ELSE 0 END),"
        "   sum(CASE kind WHEN 'hours' THEN share ELSE 0 END),"
        "   sum(CASE kind WHEN 'in_kind' THEN share ELSE 0 END)"
        "   FROM cf WHERE inyear GROUP BY initiative_id, partner_id),"
        " inv(initiative_id, partner_id) AS (SELECT id, lead FROM act"
        "   UNION SELECT pm.initiative_id, pm.partner_id FROM pm JOIN act ON act.id = pm.initiative_id)"
        " SELECT p.id, p.name, a.code, a.year, t.name, count(*), sum(coalesce(pm.money, 0)),"
        "   sum(coalesce(pm.hours, 0)), sum(coalesce(pm.inkind, 0))"
        " FROM inv JOIN partner p ON p.id = inv.partner_id"
        " JOIN initiative_area ia ON ia.initiative_id = inv.initiative_id"
        " JOIN area a ON a.id = ia.area_id"
        " JOIN initiative_theme it ON it.initiative_id = inv.initiative_id"
        " JOIN theme t ON t.id = it.theme_id"
        " LEFT JOIN pm ON pm.initiative_id = inv.initiative_id AND pm.partner_id = inv.partner_id"
        " GROUP BY p.id, a.id, t.id ORDER BY p.name, a.code, t.id");
    if (error < 0)
        return error;
    sqlite3_bind_int(s, 1, year);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_reg_matrix_cell c = {
            .partner_id = sqlite3_column_int64(s, 0),
            .partner = wb_reg__text(s, 1),
            .code = wb_reg__text(s, 2),
            .area_year = sqlite3_column_int(s, 3),
            .theme = wb_reg__text(s, 4),
            .initiatives = sqlite3_column_int64(s, 5),
            .money_eur = sqlite3_column_double(s, 6),
            .hours = sqlite3_column_double(s, 7),
            .in_kind_eur = sqlite3_column_double(s, 8),
        };
        if ((error = fn(payload, &c)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "computing partners x areas x themes");
    sqlite3_reset(s);
    return error;
}
