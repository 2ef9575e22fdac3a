/** @file @brief Resident proposals: filing, support, adoption into an initiative, decline, hiding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

static int not_found(int64_t id)
{
    wb_error_set(WB_ERRCLASS_ARG, "no proposal with id %lld", (long long)id);
    return WB_ENOTFOUND;
}

/* Author and status of a proposal; hidden ones do not exist for actors that may not hide. */
static int proposal_state(wb_store *st, const wb_actor *actor, int64_t id, int64_t *author,
                          char status[16])
{
    int error = wb_reg__proposal_state(st, id, author, status);
    if (error == WB_ENOTFOUND)
        error = not_found(id);
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
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *after = NULL;
    int64_t pid = 0;
    if ((error = wb_reg__proposal_insert(st, &pid, actor->user_id, area_id, p->title, p->text,
                                         theme_id, p->est_cost_eur)) < 0 ||
        (error = wb_reg__row_json(st, &after, WB_REG_PROPOSAL, pid)) < 0)
        goto done;
    error = wbc_audit(st, actor, "create", "proposal", pid, NULL, after);
    after = NULL;
    if (error == 0 && id)
        *id = pid;
done:
    json_decref(after);
    return wb_reg__end(st, &tx, error);
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
    int again = wb_reg__support_exists(st, id, actor->user_id);
    if (again < 0)
        return again;
    if (again) {
        wb_error_set(WB_ERRCLASS_AUTH, "denied: you already support proposal %lld (one support per person)",
                     (long long)id);
        return WB_EDENIED;
    }
    if ((error = must_be_open(id, status, "supported")) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    if ((error = wb_reg__support_add(st, id, actor->user_id)) < 0) {
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
    return wb_reg__end(st, &tx, error);
}

/* Change the status of a proposal (with the decline reason or the initiative made of it) and
 * record it in the audit log. */
static int set_state(wb_store *st, const wb_actor *actor, int64_t id, wb_reg_proposal_status status,
                     const char *reason, int64_t initiative_id, const char *action)
{
    wb_reg_tx tx;
    int error = wb_reg__begin(st, &tx);
    if (error < 0)
        return error;
    json_t *before = NULL, *after = NULL;
    if ((error = wb_reg__row_json(st, &before, WB_REG_PROPOSAL, id)) < 0 ||
        (error = wb_reg__proposal_set_status(st, id, status, reason, initiative_id)) < 0 ||
        (error = wb_reg__row_json(st, &after, WB_REG_PROPOSAL, id)) < 0)
        goto done;
    error = wbc_audit(st, actor, action, "proposal", id, before, after);
    before = after = NULL;
done:
    json_decref(before);
    json_decref(after);
    return wb_reg__end(st, &tx, error);
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
    return set_state(st, actor, id, WB_REG_PROPOSAL_DECLINED, reason, 0, "decline");
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
    return set_state(st, actor, id, WB_REG_PROPOSAL_HIDDEN, NULL, 0, "hide");
}

static int list_internal(wb_store *st, const wb_actor *actor, int see_hidden, wb_proposal **out,
                         size_t *n, const wb_proposal_query *q, int64_t only_id);

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
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    char *theme = NULL, *code = NULL;
    wb_initiative in;
    memset(&in, 0, sizeof in);
    wb_proposal *p = NULL;
    size_t np = 0;
    if ((error = list_internal(st, actor, 1, &p, &np, NULL, id)) < 0)
        goto done;
    if (np != 1) {
        wb_error_set(WB_ERRCLASS_STORE, "reading a proposal: proposal %lld is gone", (long long)id);
        error = WB_ESTORE;
        goto done;
    }
    /* the initiative takes over the proposal's text, theme and area */
    in.title = p->title;
    in.description = p->text;
    theme = p->theme;
    code = p->area;
    in.area_year = p->area_year;
    in.status = (char *)(status && *status ? status : "gepland");
    in.lead_partner_id = lead;
    in.themes = &theme;
    in.nthemes = 1;
    in.areas = &code;
    in.nareas = 1;
    int64_t iid = 0;
    if ((error = wbc_initiative_put(st, &iid, actor, &in, id, "adopt")) < 0)
        goto done;
    if ((error = set_state(st, actor, id, WB_REG_PROPOSAL_ADOPTED, NULL, iid, "adopt")) < 0)
        goto done;
    if (initiative_id)
        *initiative_id = iid;
done:
    wb_proposals_free(p, np);
    return wb_reg__end(st, &tx, error);
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

/* Hidden proposals are seen by those who may hide them. */
static int sees_hidden(const wb_actor *actor)
{
    int yes = wb_authorize(NULL, actor, WB_ACT_PROPOSAL_HIDE, NULL) == 0;
    wb_error_clear();
    return yes;
}

typedef struct {
    wbc_vec all;
    const wb_actor *actor;
    int see_hidden;
} proposal_vec;

static int collect_proposal(void *payload, const wb_reg_proposal *r)
{
    proposal_vec *pv = payload;
    wb_proposal *p = wbc_vec_push(&pv->all);
    if (!p)
        return WB_ENOMEM;
    p->id = r->id;
    p->user_id = r->user_id;
    /* residents' account names are personal data: shown to the admin and the author only */
    const wb_actor *actor = pv->actor;
    if (pv->see_hidden || (actor && actor->user_id > 0 && actor->user_id == p->user_id)) {
        p->author = wbc_strdup(r->author);
    } else {
        p->user_id = 0;
        p->author = NULL;
    }
    p->area = wbc_strdup(r->area);
    p->area_year = r->area_year;
    p->title = wbc_strdup(r->title);
    p->text = wbc_strdup(r->text);
    p->theme = wbc_strdup(r->theme);
    p->est_cost_eur = r->est_cost_eur;
    p->status = wbc_strdup(r->status);
    p->decline_reason = wbc_strdup(r->decline_reason);
    p->initiative_id = r->initiative_id;
    p->supports = r->supports;
    p->created = wbc_strdup(r->created);
    p->supported = r->supported;
    return 0;
}

static int list_internal(wb_store *st, const wb_actor *actor, int see_hidden, wb_proposal **out,
                         size_t *n, const wb_proposal_query *q, int64_t only_id)
{
    static const wb_proposal_query none = WB_PROPOSAL_QUERY_INIT;
    if (!q)
        q = &none;
    *out = NULL;
    *n = 0;
    char code[WB_CODE_MAX] = "";
    if (q->area && *q->area &&
        wb_code_normalize(code, NULL, q->area, strlen(q->area), WB_LEVEL__MAX) < 0) {
        wb_error_prefix("field 'area'");
        return WB_EINVALID;
    }
    wb_reg_proposal_query rq = {
        .only_id = only_id,
        .see_hidden = see_hidden,
        .status = q->status,
        .area = code,
        .area_year = q->area_year,
        .theme = q->theme,
        .viewer_id = actor ? actor->user_id : 0,
    };
    proposal_vec pv = {WBC_VEC_INIT(wb_proposal), actor, see_hidden};
    int error = wb_reg__proposal_list(st, &rq, collect_proposal, &pv);
    if (error < 0) {
        wb_proposals_free(pv.all.v, pv.all.n);
        return error;
    }
    *out = pv.all.v;
    *n = pv.all.n;
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
    return list_internal(st, actor, sees_hidden(actor), out, n, q, 0);
}

int wb_proposal_get(wb_store *st, const wb_actor *actor, wb_proposal **out, int64_t id)
{
    *out = NULL;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    wb_proposal *v = NULL;
    size_t n = 0;
    if ((error = list_internal(st, actor, sees_hidden(actor), &v, &n, NULL, id)) < 0)
        return error;
    if (n == 0) {
        wb_free(v);
        return not_found(id);
    }
    *out = v;
    return 0;
}
