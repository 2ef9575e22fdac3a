/** @file @brief Roles, actors, the authorisation rules (one function), settings, audit log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

static const char *const role_names[WB_ROLE__MAX] = {
    [WB_ROLE_ANONYMOUS] = "anonymous", [WB_ROLE_ADMIN] = "admin", [WB_ROLE_PARTNER] = "partner",
    [WB_ROLE_RESIDENT] = "resident",   [WB_ROLE_VIEWER] = "viewer",
};

const char *wb_role_name(wb_role role)
{
    return (unsigned)role < WB_ROLE__MAX ? role_names[role] : NULL;
}

int wb_role_parse(wb_role *out, const char *name)
{
    for (int r = WB_ROLE_ADMIN; r < WB_ROLE__MAX; r++) {
        if (name && !strcmp(name, role_names[r])) {
            *out = (wb_role)r;
            return 0;
        }
    }
    static const char *const allowed[] = {"admin", "partner", "resident", "viewer", NULL};
    return wbc_check_oneof("role", name, allowed);
}

static const char *const action_names[WB_ACT__MAX] = {
    [WB_ACT_READ_MONITOR] = "read_monitor",
    [WB_ACT_READ_REGISTER] = "read_register",
    [WB_ACT_INITIATIVE_CREATE] = "initiative_create",
    [WB_ACT_INITIATIVE_EDIT] = "initiative_edit",
    [WB_ACT_INITIATIVE_DELETE] = "initiative_delete",
    [WB_ACT_CONTRIBUTION_EDIT] = "contribution_edit",
    [WB_ACT_PROPOSAL_FILE] = "proposal_file",
    [WB_ACT_PROPOSAL_SUPPORT] = "proposal_support",
    [WB_ACT_PROPOSAL_ADOPT] = "proposal_adopt",
    [WB_ACT_PROPOSAL_DECLINE] = "proposal_decline",
    [WB_ACT_PROPOSAL_HIDE] = "proposal_hide",
    [WB_ACT_USER_MANAGE] = "user_manage",
    [WB_ACT_PARTNER_MANAGE] = "partner_manage",
    [WB_ACT_THEME_MANAGE] = "theme_manage",
    [WB_ACT_SETTINGS_MANAGE] = "settings_manage",
    [WB_ACT_AUDIT_READ] = "audit_read",
    [WB_ACT_OWN_PASSWORD] = "own_password",
};

const char *wb_action_name(wb_action act)
{
    return (unsigned)act < WB_ACT__MAX ? action_names[act] : NULL;
}

void wb_actor_cli(wb_actor *out, const char *unix_user)
{
    memset(out, 0, sizeof *out);
    out->role = WB_ROLE_ADMIN;
    snprintf(out->name, sizeof out->name, "cli:%.80s", unix_user && *unix_user ? unix_user : "unknown");
}

typedef struct {
    wb_actor *out;
    const char *via;
} actor_of;

static int actor_of_row(void *payload, const wb_reg_user *u)
{
    actor_of *a = payload;
    wb_role role = WB_ROLE_ANONYMOUS;
    wb_role_parse(&role, u->role);
    if (u->disabled) {
        wb_error_set(WB_ERRCLASS_AUTH, "account '%s' is disabled", u->name);
        return WB_EDENIED;
    }
    a->out->user_id = u->id;
    a->out->role = role;
    a->out->partner_id = u->partner_id;
    if (a->via)
        snprintf(a->out->name, sizeof a->out->name, "%.40s as %.50s", a->via, u->name);
    else
        snprintf(a->out->name, sizeof a->out->name, "%.64s", u->name);
    return 0;
}

int wb_actor_of_user(wb_store *st, wb_actor *out, const char *name, const char *via)
{
    memset(out, 0, sizeof *out);
    actor_of a = {out, via};
    int error = wb_reg__user_by_name(st, name, actor_of_row, &a);
    if (error == WB_ENOTFOUND)
        wb_error_set(WB_ERRCLASS_AUTH, "no account named '%.64s'", name ? name : "");
    return error;
}

/* ---------------------------------------------------------------- the rules */

static int deny(const wb_actor *a, wb_action act, const char *why)
{
    const char *role = a && a->role != WB_ROLE_ANONYMOUS ? wb_role_name(a->role) : NULL;
    wb_error_set(WB_ERRCLASS_AUTH, "denied: %s may not %s: %s",
                 role ? role : "a visitor without an account",
                 wb_action_name(act) ? wb_action_name(act) : "do this", why);
    return WB_EDENIED;
}

int wb_authorize(const wb_policy *policy, const wb_actor *actor, wb_action act,
                 const wb_owner *owner)
{
    static const wb_policy defaults = {1};
    static const wb_actor nobody = WB_ACTOR_ANONYMOUS;
    static const wb_owner none = {0, 0};
    const wb_policy *p = policy ? policy : &defaults;
    const wb_actor *a = actor ? actor : &nobody;
    const wb_owner *o = owner ? owner : &none;
    wb_role role = (unsigned)a->role < WB_ROLE__MAX ? a->role : WB_ROLE_ANONYMOUS;
    /* a partner editor without a partner, or another role claiming one, is malformed */
    int partner_ok = role == WB_ROLE_PARTNER && a->partner_id > 0;
    int own_partner = partner_ok && o->partner_id > 0 && o->partner_id == a->partner_id;

    if ((unsigned)act >= WB_ACT__MAX)
        return deny(a, act, "unknown action");

    switch (act) {
    case WB_ACT_READ_MONITOR:
    case WB_ACT_READ_REGISTER:
        if (role != WB_ROLE_ANONYMOUS || p->monitor_public)
            return 0;
        return deny(a, act, "the admin has closed the monitor to visitors; log in");
    case WB_ACT_INITIATIVE_CREATE:
    case WB_ACT_INITIATIVE_EDIT:
        if (role == WB_ROLE_ADMIN || own_partner)
            return 0;
        if (role == WB_ROLE_PARTNER)
            return deny(a, act, "a partner editor only manages initiatives led by their own partner");
        return deny(a, act, "only the admin and the lead partner's editors manage an initiative");
    case WB_ACT_CONTRIBUTION_EDIT:
        if (role == WB_ROLE_ADMIN || own_partner)
            return 0;
        if (role == WB_ROLE_PARTNER)
            return deny(a, act, "a partner editor only manages their own partner's contributions");
        return deny(a, act, "only the admin and the partner's editors manage contributions");
    case WB_ACT_PROPOSAL_FILE:
        if (role == WB_ROLE_ADMIN || role == WB_ROLE_RESIDENT)
            return 0;
        return deny(a, act, "proposals are filed by residents");
    case WB_ACT_PROPOSAL_SUPPORT:
        if (role != WB_ROLE_RESIDENT)
            return deny(a, act, "only residents support proposals");
        if (a->user_id <= 0)
            return deny(a, act, "supporting needs an account");
        if (o->user_id == a->user_id)
            return deny(a, act, "nobody supports their own proposal");
        return 0;
    case WB_ACT_PROPOSAL_ADOPT:
        if (role == WB_ROLE_ADMIN || own_partner)
            return 0;
        if (role == WB_ROLE_PARTNER)
            return deny(a, act, "a partner editor adopts a proposal only as their own partner's initiative");
        return deny(a, act, "proposals are adopted by a partner or the admin");
    case WB_ACT_PROPOSAL_DECLINE:
        if (role == WB_ROLE_ADMIN || partner_ok)
            return 0;
        return deny(a, act, "proposals are declined by a partner or the admin");
    case WB_ACT_OWN_PASSWORD:
        if (role == WB_ROLE_ADMIN)
            return 0;
        if (role != WB_ROLE_ANONYMOUS && a->user_id > 0 && o->user_id == a->user_id)
            return 0;
        return deny(a, act, "only the account itself or the admin changes a password");
    case WB_ACT_INITIATIVE_DELETE:
    case WB_ACT_PROPOSAL_HIDE:
    case WB_ACT_USER_MANAGE:
    case WB_ACT_PARTNER_MANAGE:
    case WB_ACT_THEME_MANAGE:
    case WB_ACT_SETTINGS_MANAGE:
    case WB_ACT_AUDIT_READ:
        if (role == WB_ROLE_ADMIN)
            return 0;
        return deny(a, act, "only the admin does this");
    case WB_ACT__MAX:
        break;
    }
    return deny(a, act, "unknown action");
}

int wb_policy_load(wb_store *st, wb_policy *out)
{
    out->monitor_public = 1;
    char *v = NULL;
    int error = wb_reg__setting_get(st, &v, "monitor_public");
    if (error == 0 && v)
        out->monitor_public = strcmp(v, "0") != 0;
    wb_free(v);
    return error;
}

int wb_authorize_in(wb_store *st, const wb_actor *actor, wb_action act, const wb_owner *owner)
{
    wb_policy p;
    int error = wb_policy_load(st, &p);
    if (error < 0)
        return error;
    return wb_authorize(&p, actor, act, owner);
}

int wbc_authorize(wb_store *st, const wb_actor *a, wb_action act, int64_t owner_partner,
                  int64_t owner_user)
{
    wb_owner o = {owner_partner, owner_user};
    if (act == WB_ACT_READ_MONITOR || act == WB_ACT_READ_REGISTER)
        return wb_authorize_in(st, a, act, &o);
    return wb_authorize(NULL, a, act, &o);
}

/* ---------------------------------------------------------------- settings */

int wb_setting_set(wb_store *st, const wb_actor *actor, const char *key, const char *value)
{
    int error;
    static const char *const keys[] = {"monitor_public", NULL};
    static const char *const bools[] = {"0", "1", NULL};
    if ((error = wbc_authorize(st, actor, WB_ACT_SETTINGS_MANAGE, 0, 0)) < 0)
        return error;
    if ((error = wbc_check_oneof("key", key, keys)) < 0 ||
        (error = wbc_check_oneof("value", value, bools)) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL;
    char *old = NULL;
    if ((error = wb_reg__setting_get(st, &old, key)) < 0)
        goto done;
    if (old)
        before = json_pack("{s:s,s:s}", "key", key, "value", old);
    if ((error = wb_reg__setting_put(st, key, value)) < 0)
        goto done;
    error = wbc_audit(st, actor, "update", "setting", 0, before,
                      json_pack("{s:s,s:s}", "key", key, "value", value));
    before = NULL;
done:
    json_decref(before);
    wb_free(old);
    return wb_reg__end(st, &tx, error);
}

/* ---------------------------------------------------------------- audit log */

static int collect_entry(void *payload, const wb_reg_audit *r)
{
    wb_audit_entry *e = wbc_vec_push(payload);
    if (!e)
        return WB_ENOMEM;
    e->id = r->id;
    e->at = wbc_strdup(r->at);
    e->user_id = r->user_id;
    e->actor = wbc_strdup(r->actor);
    e->action = wbc_strdup(r->action);
    e->entity = wbc_strdup(r->entity);
    e->entity_id = r->entity_id;
    e->before = wbc_strdup(r->before);
    e->after = wbc_strdup(r->after);
    return 0;
}

int wb_audit_list(wb_store *st, const wb_actor *actor, wb_audit_entry **out, size_t *n,
                  const char *entity, int64_t entity_id, size_t limit)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_AUDIT_READ, 0, 0);
    if (error < 0)
        return error;
    wbc_vec av = WBC_VEC_INIT(wb_audit_entry);
    if ((error = wb_reg__audit_list(st, entity, entity_id, limit, collect_entry, &av)) < 0) {
        wb_audit_free(av.v, av.n);
        return error;
    }
    *out = av.v;
    *n = av.n;
    return 0;
}

void wb_audit_free(wb_audit_entry *e, size_t n)
{
    if (!e)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(e[i].at);
        wb_free(e[i].actor);
        wb_free(e[i].action);
        wb_free(e[i].entity);
        wb_free(e[i].before);
        wb_free(e[i].after);
    }
    wb_free(e);
}
