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
    int error = wb_reg__initiative_lead(st, lead, id);
    return error == WB_ENOTFOUND ? not_found("initiative", id) : error;
}

/* obj[key] = one of the initiative's lists. */
static int add_list(wb_store *st, json_t *obj, const char *key, wb_reg_list l, int64_t id)
{
    json_t *arr = NULL;
    int error = wb_reg__list_json(st, &arr, l, id);
    if (error == 0)
        json_object_set_new(obj, key, arr);
    return error;
}

int wbc_initiative_json(wb_store *st, json_t **out, int64_t id)
{
    json_t *o = NULL;
    int error = wb_reg__row_json(st, &o, WB_REG_INITIATIVE, id);
    if (error < 0 || !o) {
        *out = NULL;
        return error;
    }
    if ((error = add_list(st, o, "themes", WB_REG_INITIATIVE_THEMES, id)) < 0 ||
        (error = add_list(st, o, "areas", WB_REG_INITIATIVE_AREAS, id)) < 0 ||
        (error = add_list(st, o, "targets", WB_REG_INITIATIVE_TARGETS, id)) < 0) {
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
    memset(r, 0, sizeof *r);
    r->status = in->status && *in->status ? in->status : "idee";
    if ((error = wbc_check_text("title", in->title, 1, 200, 0)) < 0 ||
        (error = wbc_check_text("description", in->description, 0, 10000, 1)) < 0 ||
        (error = wbc_check_oneof("status", r->status, statuses)) < 0 ||
        (error = wbc_parse_date(r->start, "start", in->start)) < 0 ||
        (error = wbc_parse_date(r->end, "end", in->end)) < 0 ||
        (error = check_period(r->start, r->end)) < 0)
        return error;
    if (wb_reg__exists(st, WB_REG_PARTNER, in->lead_partner_id) < 0) {
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
    int error = wb_reg__initiative_links_clear(st, id);
    for (size_t i = 0; i < in->nthemes && error == 0; i++)
        error = wb_reg__initiative_theme_add(st, id, r->theme_ids[i]);
    for (size_t i = 0; i < in->nareas && error == 0; i++)
        error = wb_reg__initiative_area_add(st, id, r->area_ids[i]);
    for (size_t i = 0; i < in->ntargets && error == 0; i++)
        error = wb_reg__initiative_target_add(st, id, r->targets[i].indicator, r->targets[i].direction);
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
    if ((error = validate(st, &r, in)) < 0)
        goto done;
    if (in->id && (error = wbc_initiative_json(st, &before, in->id)) < 0)
        goto done;
    wb_reg_initiative row = {
        .title = in->title,
        .description = in->description,
        .status = r.status,
        .start = r.start,
        .end = r.end,
        .lead_partner_id = in->lead_partner_id,
        .proposal_id = proposal_id,
    };
    int64_t iid = in->id;
    if ((error = in->id ? wb_reg__initiative_update(st, in->id, &row)
                        : wb_reg__initiative_insert(st, &iid, &row)) < 0)
        goto done;
    if ((error = write_links(st, iid, in, &r)) < 0 || (error = wbc_initiative_json(st, &after, iid)) < 0)
        goto done;
    error = wbc_audit(st, actor, audit_action ? audit_action : in->id ? "update" : "create",
                      "initiative", iid, before, after);
    before = after = NULL;
    if (error == 0 && id)
        *id = iid;
done:
    json_decref(before);
    json_decref(after);
    resolved_dispose(&r);
    return error;
}

int wb_initiative_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_initiative *in)
{
    wb_initiative copy = *in;
    copy.id = 0;
    wb_reg_tx tx;
    int error = wb_reg__begin(st, &tx);
    if (error < 0)
        return error;
    error = wbc_initiative_put(st, id, actor, &copy, 0, NULL);
    return wb_reg__end(st, &tx, error);
}

int wb_initiative_update(wb_store *st, const wb_actor *actor, const wb_initiative *in)
{
    if (in->id <= 0)
        return not_found("initiative", in->id);
    wb_reg_tx tx;
    int error = wb_reg__begin(st, &tx);
    if (error < 0)
        return error;
    error = wbc_initiative_put(st, NULL, actor, in, 0, NULL);
    return wb_reg__end(st, &tx, error);
}

int wb_initiative_delete(wb_store *st, const wb_actor *actor, int64_t id)
{
    int error;
    int64_t lead;
    if ((error = wbc_authorize(st, actor, WB_ACT_INITIATIVE_DELETE, 0, 0)) < 0 ||
        (error = initiative_lead(st, &lead, id)) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL;
    if ((error = wbc_initiative_json(st, &before, id)) < 0 ||
        (error = add_list(st, before, "contributions", WB_REG_INITIATIVE_CONTRIBUTIONS, id)) < 0 ||
        (error = wb_reg__initiative_delete(st, id)) < 0)
        goto done;
    error = wbc_audit(st, actor, "delete", "initiative", id, before, NULL);
    before = NULL;
done:
    json_decref(before);
    return wb_reg__end(st, &tx, error);
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

/* Initiatives with their lists, as the store hands them over: each initiative, then its
 * themes, areas and targets. */
typedef struct {
    wbc_vec all;
    wbc_vec themes, areas, targets; /* of the last initiative */
} initiative_vec;

static int collect_initiative(void *payload, const wb_reg_initiative *r)
{
    initiative_vec *iv = payload;
    wb_initiative *in = wbc_vec_push(&iv->all);
    if (!in)
        return WB_ENOMEM;
    wbc_vec themes = WBC_VEC_INIT(char *), areas = WBC_VEC_INIT(char *),
            targets = WBC_VEC_INIT(wb_initiative_target);
    iv->themes = themes;
    iv->areas = areas;
    iv->targets = targets;
    in->id = r->id;
    in->title = wbc_strdup(r->title);
    in->description = wbc_strdup(r->description);
    in->status = wbc_strdup(r->status);
    in->start = wbc_strdup(r->start);
    in->end = wbc_strdup(r->end);
    in->lead_partner_id = r->lead_partner_id;
    in->lead_partner = wbc_strdup(r->lead_partner);
    in->proposal_id = r->proposal_id;
    in->created = wbc_strdup(r->created);
    in->updated = wbc_strdup(r->updated);
    return 0;
}

static int collect_link(void *payload, wb_reg_link kind, const char *text, int num)
{
    initiative_vec *iv = payload;
    wb_initiative *in = (wb_initiative *)iv->all.v + iv->all.n - 1;
    /* the initiative owns its lists as they grow, so that freeing it frees them */
    if (kind == WB_REG_LINK_TARGET) {
        wb_initiative_target *t = wbc_vec_push(&iv->targets);
        if (!t)
            return WB_ENOMEM;
        in->targets = iv->targets.v;
        in->ntargets = iv->targets.n;
        snprintf(t->indicator, sizeof t->indicator, "%s", text);
        t->direction = num;
        return 0;
    }
    wbc_vec *names = kind == WB_REG_LINK_THEME ? &iv->themes : &iv->areas;
    char **name = wbc_vec_push(names);
    if (!name)
        return WB_ENOMEM;
    *name = wbc_strdup(text);
    if (kind == WB_REG_LINK_THEME) {
        in->themes = names->v;
        in->nthemes = names->n;
    } else {
        in->areas = names->v;
        in->nareas = names->n;
        in->area_year = num;
    }
    return 0;
}

static int list_internal(wb_store *st, wb_initiative **out, size_t *n, const wb_initiative_query *q,
                         int64_t only_id)
{
    static const wb_initiative_query none = WB_INITIATIVE_QUERY_INIT;
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
    wb_reg_initiative_query rq = {
        .only_id = only_id,
        .theme = q->theme,
        .partner_id = q->partner_id,
        .status = q->status,
        .area = code,
        .area_year = q->area_year,
    };
    initiative_vec iv = {WBC_VEC_INIT(wb_initiative), WBC_VEC_INIT(char *), WBC_VEC_INIT(char *),
                         WBC_VEC_INIT(wb_initiative_target)};
    wb_reg_initiative_sink sink = {collect_initiative, collect_link, &iv};
    int error = wb_reg__initiative_list(st, &rq, &sink);
    if (error < 0) {
        wb_initiatives_free(iv.all.v, iv.all.n);
        return error;
    }
    *out = iv.all.v;
    *n = iv.all.n;
    return 0;
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

static int collect_milestone(void *payload, const wb_reg_milestone *r)
{
    wb_milestone *m = wbc_vec_push(payload);
    if (!m)
        return WB_ENOMEM;
    m->id = r->id;
    m->initiative_id = r->initiative_id;
    m->title = wbc_strdup(r->title);
    m->due = wbc_strdup(r->due);
    m->progress = r->progress;
    m->note = wbc_strdup(r->note);
    return 0;
}

static int load_milestones(wb_store *st, wb_initiative *in)
{
    wbc_vec mv = WBC_VEC_INIT(wb_milestone);
    int error = wb_reg__milestone_list(st, in->id, collect_milestone, &mv);
    in->milestones = mv.v; /* also when incomplete: freed with the initiative */
    in->nmilestones = mv.n;
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
    if (update && (error = wb_reg__milestone_initiative(st, &initiative_id, m->id)) < 0)
        return error == WB_ENOTFOUND ? not_found("milestone", m->id) : error;
    char due[11];
    if ((error = initiative_lead(st, &lead, initiative_id)) < 0 ||
        (error = wbc_authorize(st, actor, WB_ACT_INITIATIVE_EDIT, lead, 0)) < 0 ||
        (error = check_milestone(m, due)) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL, *after = NULL;
    if (update && (error = wb_reg__row_json(st, &before, WB_REG_MILESTONE, m->id)) < 0)
        goto done;
    wb_reg_milestone row = {m->id, initiative_id, m->title, due, m->progress, m->note};
    int64_t mid = m->id;
    if ((error = update ? wb_reg__milestone_update(st, &row) : wb_reg__milestone_insert(st, &mid, &row)) < 0 ||
        (error = wb_reg__row_json(st, &after, WB_REG_MILESTONE, mid)) < 0)
        goto done;
    error = wbc_audit(st, actor, update ? "update" : "create", "milestone", mid, before, after);
    before = after = NULL;
    if (error == 0 && id)
        *id = mid;
done:
    json_decref(before);
    json_decref(after);
    return wb_reg__end(st, &tx, error);
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
    int64_t partner = c->partner_id, initiative_id = c->initiative_id;
    if (update && (error = wb_reg__contribution_owner(st, c->id, &partner, &initiative_id)) < 0)
        return error == WB_ENOTFOUND ? not_found("contribution", c->id) : error;
    if ((error = wbc_authorize(st, actor, WB_ACT_CONTRIBUTION_EDIT, partner, 0)) < 0)
        return error;
    if (update && c->partner_id && c->partner_id != partner) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'partner': the partner of a contribution does not change"
                                      " (delete it and add a new one)");
        return WB_EINVALID;
    }
    if (wb_reg__exists(st, WB_REG_PARTNER, partner) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'partner': no partner with id %lld", (long long)partner);
        return WB_EINVALID;
    }
    if (wb_reg__exists(st, WB_REG_INITIATIVE, initiative_id) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'initiative': no initiative with id %lld",
                     (long long)initiative_id);
        return WB_EINVALID;
    }
    char start[11], end[11];
    if ((error = check_contribution(c, start, end)) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL, *after = NULL;
    if (update && (error = wb_reg__row_json(st, &before, WB_REG_CONTRIBUTION, c->id)) < 0)
        goto done;
    wb_reg_contribution row = {
        .id = c->id,
        .initiative_id = initiative_id,
        .partner_id = partner,
        .kind = c->kind,
        .amount = c->amount,
        .start = start,
        .end = end,
        .note = c->note,
    };
    int64_t cid = c->id;
    if ((error = update ? wb_reg__contribution_update(st, &row)
                        : wb_reg__contribution_insert(st, &cid, &row)) < 0 ||
        (error = wb_reg__row_json(st, &after, WB_REG_CONTRIBUTION, cid)) < 0)
        goto done;
    error = wbc_audit(st, actor, update ? "update" : "create", "contribution", cid, before, after);
    before = after = NULL;
    if (error == 0 && id)
        *id = cid;
done:
    json_decref(before);
    json_decref(after);
    return wb_reg__end(st, &tx, error);
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
    int64_t partner, initiative_id;
    int error = wb_reg__contribution_owner(st, id, &partner, &initiative_id);
    if (error < 0)
        return error == WB_ENOTFOUND ? not_found("contribution", id) : error;
    if ((error = wbc_authorize(st, actor, WB_ACT_CONTRIBUTION_EDIT, partner, 0)) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL;
    if ((error = wb_reg__row_json(st, &before, WB_REG_CONTRIBUTION, id)) < 0 ||
        (error = wb_reg__contribution_delete(st, id)) < 0)
        goto done;
    error = wbc_audit(st, actor, "delete", "contribution", id, before, NULL);
    before = NULL;
done:
    json_decref(before);
    return wb_reg__end(st, &tx, error);
}

static int collect_contribution(void *payload, const wb_reg_contribution *r)
{
    wb_contribution *c = wbc_vec_push(payload);
    if (!c)
        return WB_ENOMEM;
    c->id = r->id;
    c->initiative_id = r->initiative_id;
    c->partner_id = r->partner_id;
    c->partner = wbc_strdup(r->partner);
    c->kind = wbc_strdup(r->kind);
    c->amount = r->amount;
    c->start = wbc_strdup(r->start);
    c->end = wbc_strdup(r->end);
    c->note = wbc_strdup(r->note);
    return 0;
}

static int contribution_list(wb_store *st, wb_contribution **out, size_t *n, int64_t initiative_id,
                             int64_t partner_id)
{
    *out = NULL;
    *n = 0;
    wbc_vec cv = WBC_VEC_INIT(wb_contribution);
    int error = wb_reg__contribution_list(st, initiative_id, partner_id, collect_contribution, &cv);
    if (error < 0) {
        wb_contributions_free(cv.v, cv.n);
        return error;
    }
    *out = cv.v;
    *n = cv.n;
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
