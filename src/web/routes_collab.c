/**
 * @file
 * @brief The register over HTTP (issue 6): login, sessions, initiatives, milestones,
 * contributions, partners, themes, proposals, coalitions, accounts and the audit log.
 *
 * Routes are thin: the dispatcher (server.c) has validated the query and path parameters,
 * parsed the JSON body, loaded the session and checked the CSRF token; a handler checks the
 * body's fields (unknown fields, wrong types and missing fields are 400 naming the field),
 * calls one library function as req->actor and writes JSON. The library decides what the
 * actor may do (wb_authorize) and writes the audit log; a refusal comes back as WB_EDENIED
 * (403, or 401 when nobody is logged in) and, since every state-changing route runs in
 * one transaction that is rolled back on any error, nothing is changed.
 */
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/register.h"
#include "web/json.h"
#include "web/web_internal.h"

/* ---------------------------------------------------------------- JSON bodies */

typedef enum {
    F_STR,     /* a string */
    F_INT,     /* a whole number */
    F_NUM,     /* a number */
    F_BOOL,    /* true or false */
    F_STRS,    /* an array of strings */
    F_TARGETS  /* an array of {"indicator": "key", "direction": "up" | "down"} */
} ftype;

typedef struct {
    const char *name;
    ftype type;
    int required;
} fdef;

#define F_END {NULL, F_STR, 0}
#define MAX_LIST 500 /* entries of an array field */

static const char *const type_names[] = {"a string", "a whole number", "a number", "true or false",
                                         "an array of strings", "an array of {indicator, direction} objects"};

static int field_error(wb_resp *resp, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int field_error(wb_resp *resp, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wb_resp_error_field(resp, 400, field, msg);
    return 0; /* the response is filled; the dispatcher rolls the transaction back */
}

/* Check req->json against @p defs: 0 when fine, 1 with a 400 in @p resp. */
static int body_check(wb_req *req, wb_resp *resp, const fdef *defs)
{
    const char *key;
    json_t *v;
    json_object_foreach(req->json, key, v) {
        const fdef *d = NULL;
        for (const fdef *k = defs; k->name; k++)
            if (!strcmp(k->name, key))
                d = k;
        if (!d) {
            char shown[48];
            snprintf(shown, sizeof shown, "%.40s", key);
            field_error(resp, shown, "unknown field '%s'", shown);
            return 1;
        }
        if (json_is_null(v) && !d->required)
            continue;
        int ok = 1;
        switch (d->type) {
        case F_STR: ok = json_is_string(v); break;
        case F_INT: ok = json_is_integer(v); break;
        case F_NUM: ok = json_is_number(v); break;
        case F_BOOL: ok = json_is_boolean(v); break;
        case F_STRS:
        case F_TARGETS: {
            ok = json_is_array(v) && json_array_size(v) <= MAX_LIST;
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                if (!ok)
                    break;
                if (d->type == F_STRS) {
                    ok = json_is_string(e);
                    continue;
                }
                const char *ek;
                json_t *ev;
                ok = json_is_object(e) && json_object_size(e) == 2 &&
                     json_is_string(json_object_get(e, "indicator")) &&
                     json_is_string(json_object_get(e, "direction"));
                json_object_foreach(e, ek, ev) {
                    (void)ev;
                    if (strcmp(ek, "indicator") && strcmp(ek, "direction"))
                        ok = 0;
                }
            }
            break;
        }
        }
        if (!ok) {
            field_error(resp, d->name, "field '%s': expected %s%s", d->name, type_names[d->type],
                        d->type == F_STRS || d->type == F_TARGETS ? " (at most 500)" : "");
            return 1;
        }
    }
    for (const fdef *k = defs; k->name; k++) {
        json_t *x = json_object_get(req->json, k->name);
        if (k->required && (!x || json_is_null(x))) {
            field_error(resp, k->name, "field '%s' is required: %s", k->name, type_names[k->type]);
            return 1;
        }
    }
    return 0;
}

static int has(const wb_req *req, const char *name)
{
    json_t *x = json_object_get(req->json, name);
    return x && !json_is_null(x);
}

static const char *str(const wb_req *req, const char *name)
{
    return json_string_value(json_object_get(req->json, name));
}

static long long integer(const wb_req *req, const char *name, long long def)
{
    json_t *x = json_object_get(req->json, name);
    return json_is_integer(x) ? json_integer_value(x) : def;
}

static double number(const wb_req *req, const char *name, double def)
{
    json_t *x = json_object_get(req->json, name);
    return json_is_number(x) ? json_number_value(x) : def;
}

/* The strings of an array field (pointers into the JSON; the array is wb_malloc'ed). */
static int strings(const wb_req *req, const char *name, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    json_t *a = json_object_get(req->json, name);
    if (!json_is_array(a) || json_array_size(a) == 0)
        return 0;
    *out = wb_calloc(json_array_size(a), sizeof **out);
    if (!*out)
        return WB_ENOMEM;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) (*out)[(*n)++] = (char *)json_string_value(e);
    return 0;
}

/*
 * A library error: WB_EINVALID/WB_EPARSE become a 400 naming the field (the library's name,
 * or its JSON name from @p aliases: "lib", "json", ..., NULL); other codes are returned for
 * the dispatcher's table (403/401, 404, 409, 500).
 */
static int lib_fail(wb_resp *resp, int rc, const char *const *aliases)
{
    if (rc != WB_EINVALID && rc != WB_EPARSE)
        return rc;
    const char *msg = wb_error_last()->message;
    const char *f = strstr(msg, "field '");
    char field[64] = "";
    if (f) {
        f += 7;
        size_t n = strcspn(f, "'");
        if (n < sizeof field)
            snprintf(field, sizeof field, "%.*s", (int)n, f);
    }
    for (const char *const *a = aliases; a && a[0]; a += 2)
        if (!strcmp(field, a[0]))
            snprintf(field, sizeof field, "%s", a[1]);
    wb_resp_error_field(resp, 400, field[0] ? field : NULL, msg);
    return 0;
}

/* ---------------------------------------------------------------- JSON output */

static void kbool(wb_json *j, const char *key, int v)
{
    wb_json_key(j, key);
    wb_json_bool(j, v);
}

static void kid(wb_json *j, const char *key, int64_t id)
{
    if (id > 0)
        wb_json_kint(j, key, id);
    else
        wb_json_kstr(j, key, NULL);
}

/* May the actor do @p act on an object of these owners? (For the pages' buttons; the
 * library checks again when the action is sent.) */
static int may(const wb_req *req, wb_action act, int64_t partner, int64_t user)
{
    wb_owner o = {partner, user};
    int ok = wb_authorize(NULL, &req->actor, act, &o) == 0;
    wb_error_clear();
    return ok;
}

static void milestone_json(wb_json *j, const wb_milestone *m)
{
    wb_json_obj_open(j);
    wb_json_kint(j, "id", m->id);
    wb_json_kint(j, "initiative_id", m->initiative_id);
    wb_json_kstr(j, "title", m->title);
    wb_json_kstr(j, "due", m->due);
    wb_json_kint(j, "progress", m->progress);
    wb_json_kstr(j, "note", m->note);
    wb_json_obj_close(j);
}

static void contribution_json(wb_json *j, const wb_req *req, const wb_contribution *c)
{
    wb_json_obj_open(j);
    wb_json_kint(j, "id", c->id);
    wb_json_kint(j, "initiative_id", c->initiative_id);
    wb_json_kint(j, "partner_id", c->partner_id);
    wb_json_kstr(j, "partner", c->partner);
    wb_json_kstr(j, "kind", c->kind);
    wb_json_knum(j, "amount", c->amount);
    wb_json_kstr(j, "start", c->start);
    wb_json_kstr(j, "end", c->end);
    wb_json_kstr(j, "note", c->note);
    kbool(j, "can_edit", may(req, WB_ACT_CONTRIBUTION_EDIT, c->partner_id, 0));
    wb_json_obj_close(j);
}

static void initiative_json(wb_json *j, const wb_req *req, const wb_initiative *in, int full)
{
    wb_json_obj_open(j);
    wb_json_kint(j, "id", in->id);
    wb_json_kstr(j, "title", in->title);
    wb_json_kstr(j, "description", in->description);
    wb_json_kstr(j, "status", in->status);
    wb_json_kstr(j, "start", in->start);
    wb_json_kstr(j, "end", in->end);
    wb_json_kint(j, "lead_partner_id", in->lead_partner_id);
    wb_json_kstr(j, "lead_partner", in->lead_partner);
    kid(j, "proposal_id", in->proposal_id);
    wb_json_key(j, "themes");
    wb_json_arr_open(j);
    for (size_t i = 0; i < in->nthemes; i++)
        wb_json_str(j, in->themes[i]);
    wb_json_arr_close(j);
    if (in->nareas)
        wb_json_kint(j, "area_year", in->area_year);
    else
        wb_json_kstr(j, "area_year", NULL);
    wb_json_key(j, "areas");
    wb_json_arr_open(j);
    for (size_t i = 0; i < in->nareas; i++)
        wb_json_str(j, in->areas[i]);
    wb_json_arr_close(j);
    wb_json_key(j, "targets");
    wb_json_arr_open(j);
    for (size_t i = 0; i < in->ntargets; i++) {
        wb_json_obj_open(j);
        wb_json_kstr(j, "indicator", in->targets[i].indicator);
        wb_json_kstr(j, "direction", in->targets[i].direction > 0 ? "up" : "down");
        wb_json_obj_close(j);
    }
    wb_json_arr_close(j);
    wb_json_kstr(j, "created", in->created);
    wb_json_kstr(j, "updated", in->updated);
    kbool(j, "can_edit", may(req, WB_ACT_INITIATIVE_EDIT, in->lead_partner_id, 0));
    kbool(j, "can_delete", may(req, WB_ACT_INITIATIVE_DELETE, in->lead_partner_id, 0));
    if (full) {
        wb_json_key(j, "milestones");
        wb_json_arr_open(j);
        for (size_t i = 0; i < in->nmilestones; i++)
            milestone_json(j, &in->milestones[i]);
        wb_json_arr_close(j);
        wb_json_key(j, "contributions");
        wb_json_arr_open(j);
        for (size_t i = 0; i < in->ncontributions; i++)
            contribution_json(j, req, &in->contributions[i]);
        wb_json_arr_close(j);
    }
    wb_json_obj_close(j);
}

static void proposal_json(wb_json *j, const wb_req *req, const wb_proposal *p)
{
    int open = !strcmp(p->status, "open");
    int own = p->user_id > 0 && p->user_id == req->actor.user_id;
    wb_json_obj_open(j);
    wb_json_kint(j, "id", p->id);
    wb_json_kstr(j, "author", p->author); /* null unless the reader is the admin or the author */
    wb_json_kstr(j, "area", p->area);
    wb_json_kint(j, "area_year", p->area_year);
    wb_json_kstr(j, "title", p->title);
    wb_json_kstr(j, "text", p->text);
    wb_json_kstr(j, "theme", p->theme);
    wb_json_knum(j, "est_cost_eur", p->est_cost_eur);
    wb_json_kstr(j, "status", p->status);
    wb_json_kstr(j, "decline_reason", p->decline_reason);
    kid(j, "initiative_id", p->initiative_id);
    wb_json_kint(j, "supports", p->supports);
    kbool(j, "supported", p->supported);
    kbool(j, "own", own);
    wb_json_kstr(j, "created", p->created);
    kbool(j, "can_support", open && !p->supported && may(req, WB_ACT_PROPOSAL_SUPPORT, 0, own ? p->user_id : 0));
    kbool(j, "can_adopt", open && may(req, WB_ACT_PROPOSAL_ADOPT, req->actor.partner_id, 0));
    kbool(j, "can_decline", open && may(req, WB_ACT_PROPOSAL_DECLINE, 0, 0));
    kbool(j, "can_hide", strcmp(p->status, "adopted") && strcmp(p->status, "hidden") &&
                             may(req, WB_ACT_PROPOSAL_HIDE, 0, 0));
    wb_json_obj_close(j);
}

static void partner_json(wb_json *j, const wb_partner *p)
{
    wb_json_obj_open(j);
    wb_json_kint(j, "id", p->id);
    wb_json_kstr(j, "name", p->name);
    wb_json_kstr(j, "type", p->type);
    wb_json_kstr(j, "contact", p->contact);
    wb_json_obj_close(j);
}

/* ---------------------------------------------------------------- login, logout, me */

static const fdef login_fields[] = {{"user", F_STR, 1}, {"password", F_STR, 1}, F_END};

static int partner_name(wb_req *req, const wb_actor *reader, char *out, size_t n, int64_t id)
{
    out[0] = 0;
    wb_partner *v = NULL;
    size_t k = 0;
    int rc = wb_partner_list(req->db->st, reader, &v, &k);
    if (rc < 0) {
        wb_error_clear();
        return 0; /* the name is a courtesy; a closed register hides it */
    }
    for (size_t i = 0; i < k; i++)
        if (v[i].id == id)
            snprintf(out, n, "%s", v[i].name);
    wb_partners_free(v, k);
    return 0;
}

static void iso_time(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* {"user": {...} | null, "csrf": ..., "expires": ..., "monitor_public": bool} */
static int me_json(wb_req *req, wb_resp *resp, const wb_session *s)
{
    wb_policy pol = {1};
    int rc = wb_policy_load(req->db->st, &pol);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_key(&j, "user");
    if (s) {
        char pname[256] = "";
        if (s->actor.role == WB_ROLE_PARTNER)
            partner_name(req, &s->actor, pname, sizeof pname, s->actor.partner_id);
        wb_json_obj_open(&j);
        wb_json_kint(&j, "id", s->actor.user_id);
        wb_json_kstr(&j, "name", s->actor.name);
        wb_json_kstr(&j, "role", wb_role_name(s->actor.role));
        kid(&j, "partner_id", s->actor.partner_id);
        wb_json_kstr(&j, "partner", s->actor.role == WB_ROLE_PARTNER && pname[0] ? pname : NULL);
        wb_json_obj_close(&j);
        /* readable only by our own pages (no CORS): they need it after a reload, since the
         * session cookie is HttpOnly */
        wb_json_kstr(&j, "csrf", s->csrf);
        char exp[32];
        iso_time(exp, s->expires);
        wb_json_kstr(&j, "expires", exp);
    } else {
        wb_json_null(&j);
        if (req->session_error[0])
            wb_json_kstr(&j, "session_error", req->session_error);
    }
    kbool(&j, "monitor_public", pol.monitor_public);
    wb_json_obj_close(&j);
    return wb_json_finish(&j);
}

int wb_web__h_login(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, login_fields))
        return 0;
    char token[WB_TOKEN_MAX];
    wb_session sess;
    if (req->logged_in) /* a new login ends the session this browser had */
        wb_session_logout(req->db->st, req->token);
    int rc = wb_auth_login(req->db->st, token, &sess, str(req, "user"), str(req, "password"),
                           req->client[0] ? req->client : NULL, &req->auth);
    /* the clear password is not needed any longer */
    const char *pw = str(req, "password");
    sodium_memzero((void *)pw, strlen(pw));
    if (rc == WB_EDENIED) {
        const char *msg = wb_error_last()->message;
        long long wait = 0;
        const char *again = strstr(msg, "try again in ");
        if (again && sscanf(again, "try again in %lld s", &wait) == 1 && wait > 0) {
            resp->retry_after = (long)wait;
            wb_resp_error(resp, 429, NULL, "%s", msg);
        } else {
            wb_resp_error(resp, 401, NULL, "%s", msg);
        }
        return 0;
    }
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    size_t purged;
    wb_auth_purge(req->db->st, &req->auth, &purged); /* housekeeping, best effort */
    wb_error_clear();
    wb_web__cookie(req, resp, token, req->auth.session_ttl_s);
    sodium_memzero(token, sizeof token);
    rc = me_json(req, resp, &sess);
    sodium_memzero(&sess, sizeof sess);
    return rc;
}

int wb_web__h_logout(wb_req *req, wb_resp *resp)
{
    int rc = wb_session_logout(req->db->st, req->token);
    if (rc < 0)
        return rc;
    wb_web__cookie(req, resp, NULL, 0);
    return wb_str_puts(&resp->body, "{\"ok\":true}") < 0 ? WB_ENOMEM : 0;
}

int wb_web__h_me(wb_req *req, wb_resp *resp)
{
    if (!req->logged_in && req->session_error[0])
        wb_web__cookie(req, resp, NULL, 0); /* the browser holds an ended session: forget it */
    return me_json(req, resp, req->logged_in ? &req->sess : NULL);
}

static const fdef password_fields[] = {{"old_password", F_STR, 1}, {"new_password", F_STR, 1}, F_END};

int wb_web__h_password(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, password_fields))
        return 0;
    const char *old = str(req, "old_password"), *pw = str(req, "new_password");
    wb_actor who;
    /* the old password first (rate limited like a login: this route must not be a way
     * around the lockout) */
    int rc = wb_auth_verify(req->db->st, &who, req->actor.name, old, req->client[0] ? req->client : NULL,
                            &req->auth);
    if (rc == 0 && who.user_id != req->actor.user_id)
        rc = WB_EDENIED;
    if (rc == WB_EDENIED) {
        wb_resp_error_field(resp, 403, "old_password", wb_error_last()->message);
        goto out;
    }
    if (rc < 0)
        goto out;
    if ((rc = wb_auth_user_passwd(req->db->st, &req->actor, req->actor.name, pw, &req->auth)) < 0) {
        static const char *const aliases[] = {"password", "new_password", NULL};
        rc = lib_fail(resp, rc, aliases);
        goto out;
    }
    /* every session of the account has ended: start a new one for this browser */
    char token[WB_TOKEN_MAX];
    wb_session sess;
    if ((rc = wb_session_create(req->db->st, token, &sess, &req->actor, &req->auth)) == 0) {
        wb_web__cookie(req, resp, token, req->auth.session_ttl_s);
        rc = me_json(req, resp, &sess);
    }
    sodium_memzero(token, sizeof token);
    sodium_memzero(&sess, sizeof sess);
out:
    sodium_memzero((void *)old, strlen(old));
    sodium_memzero((void *)pw, strlen(pw));
    return rc;
}

/* ---------------------------------------------------------------- initiatives */

static const char *const initiative_aliases[] = {"lead", "lead_partner_id", NULL};

/* Does the period of @p in overlap the calendar year? (open ends count as open) */
static int active_in(const wb_initiative *in, long year)
{
    char lo[11], hi[11];
    snprintf(lo, sizeof lo, "%04ld-01-01", year);
    snprintf(hi, sizeof hi, "%04ld-12-31", year);
    return (!in->start || strcmp(in->start, hi) <= 0) && (!in->end || strcmp(in->end, lo) >= 0);
}

int wb_web__h_initiatives(wb_req *req, wb_resp *resp)
{
    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    if (wb_req_has(req, "theme"))
        q.theme = wb_req_text(req, "theme");
    q.partner_id = wb_req_int(req, "partner");
    if (wb_req_has(req, "status"))
        q.status = wb_req_text(req, "status");
    if (wb_req_has(req, "area"))
        q.area = wb_req_text(req, "area");
    q.area_year = (int)wb_req_int(req, "year");
    long active = wb_req_int(req, "active");
    wb_initiative *v = NULL;
    size_t n = 0;
    int rc = wb_initiative_list(req->db->st, &req->actor, &v, &n, &q);
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        if (!active || active_in(&v[i], active))
            initiative_json(&j, req, &v[i], 0);
    wb_json_arr_close(&j);
    wb_initiatives_free(v, n);
    return wb_json_finish(&j);
}

static const fdef initiative_fields[] = {
    {"title", F_STR, 1},    {"description", F_STR, 0}, {"status", F_STR, 0},
    {"start", F_STR, 0},    {"end", F_STR, 0},         {"lead_partner_id", F_INT, 1},
    {"themes", F_STRS, 0},  {"areas", F_STRS, 0},      {"area_year", F_INT, 0},
    {"targets", F_TARGETS, 0}, F_END};

/* The same fields, none required (PATCH: the fields sent replace those stored). */
static const fdef initiative_patch_fields[] = {
    {"title", F_STR, 0},    {"description", F_STR, 0}, {"status", F_STR, 0},
    {"start", F_STR, 0},    {"end", F_STR, 0},         {"lead_partner_id", F_INT, 0},
    {"themes", F_STRS, 0},  {"areas", F_STRS, 0},      {"area_year", F_INT, 0},
    {"targets", F_TARGETS, 0}, F_END};

/* An initiative from the body; with @p base (PATCH) absent fields keep base's values.
 * Arrays are wb_malloc'ed (free with initiative_in_free); strings point into the JSON or
 * base. 0, or 1 with a 400 in resp. */
static int initiative_in(wb_req *req, wb_resp *resp, wb_initiative *in, const wb_initiative *base)
{
    memset(in, 0, sizeof *in);
    if (base) {
        *in = *base;
        in->milestones = NULL;
        in->nmilestones = 0;
        in->contributions = NULL;
        in->ncontributions = 0;
    }
    /* the arrays are ours (freed by initiative_in_free), filled below */
    in->themes = in->areas = NULL;
    in->targets = NULL;
    in->nthemes = in->nareas = in->ntargets = 0;
#define TAKE_STR(f, key)                                                                     \
    if (!base || json_object_get(req->json, key))                                            \
        in->f = (char *)str(req, key);
    TAKE_STR(title, "title")
    TAKE_STR(description, "description")
    TAKE_STR(status, "status")
    TAKE_STR(start, "start")
    TAKE_STR(end, "end")
#undef TAKE_STR
    if (!base || has(req, "lead_partner_id")) {
        long long lead = integer(req, "lead_partner_id", 0);
        if (lead <= 0)
            return field_error(resp, "lead_partner_id", "field 'lead_partner_id': expected a partner id (1 or more)") + 1;
        in->lead_partner_id = lead;
    }
    if (!base || json_object_get(req->json, "area_year")) {
        long long y = integer(req, "area_year", 0);
        if (y < 0 || y > 9999)
            return field_error(resp, "area_year", "field 'area_year': expected a year") + 1;
        in->area_year = (int)y;
    }
    int rc = 0;
    char **themes = NULL, **areas = NULL;
    size_t nthemes = 0, nareas = 0;
    if ((rc = strings(req, "themes", &themes, &nthemes)) < 0 || (rc = strings(req, "areas", &areas, &nareas)) < 0) {
        wb_free(themes);
        wb_free(areas);
        return rc;
    }
    if (!base || json_object_get(req->json, "themes")) {
        in->themes = themes;
        in->nthemes = nthemes;
    } else {
        wb_free(themes);
        in->themes = wb_calloc(base->nthemes + 1, sizeof *in->themes);
        if (!in->themes) {
            rc = WB_ENOMEM;
        } else {
            if (base->nthemes)
                memcpy(in->themes, base->themes, base->nthemes * sizeof *in->themes);
            in->nthemes = base->nthemes;
        }
    }
    if (!base || json_object_get(req->json, "areas")) {
        in->areas = areas;
        in->nareas = nareas;
    } else {
        wb_free(areas);
        in->areas = wb_calloc(base->nareas + 1, sizeof *in->areas);
        if (!in->areas) {
            rc = WB_ENOMEM;
        } else {
            if (base->nareas)
                memcpy(in->areas, base->areas, base->nareas * sizeof *in->areas);
            in->nareas = base->nareas;
        }
    }
    json_t *targets = json_object_get(req->json, "targets");
    if (!base || targets) {
        size_t nt = json_is_array(targets) ? json_array_size(targets) : 0;
        in->targets = wb_calloc(nt + 1, sizeof *in->targets);
        in->ntargets = 0;
        if (!in->targets)
            return WB_ENOMEM;
        for (size_t i = 0; i < nt; i++) {
            json_t *t = json_array_get(targets, i);
            const char *key = json_string_value(json_object_get(t, "indicator"));
            const char *dir = json_string_value(json_object_get(t, "direction"));
            if (strlen(key) >= sizeof in->targets[i].indicator)
                return field_error(resp, "targets", "field 'targets': indicator key '%.40s...' is too long", key) + 1;
            if (strcmp(dir, "up") && strcmp(dir, "down"))
                return field_error(resp, "targets", "field 'targets': direction of '%.60s' must be \"up\" or \"down\"", key) + 1;
            snprintf(in->targets[i].indicator, sizeof in->targets[i].indicator, "%s", key);
            in->targets[i].direction = strcmp(dir, "up") ? -1 : 1;
            in->ntargets++;
        }
    } else {
        in->targets = wb_calloc(base->ntargets + 1, sizeof *in->targets);
        if (!in->targets)
            return WB_ENOMEM;
        if (base->ntargets)
            memcpy(in->targets, base->targets, base->ntargets * sizeof *in->targets);
        in->ntargets = base->ntargets;
    }
    return rc;
}

static void initiative_in_free(wb_initiative *in)
{
    wb_free(in->themes);
    wb_free(in->areas);
    wb_free(in->targets);
}

/* Write the initiative @p id as it is now (after a change: within the transaction). */
static int initiative_out(wb_req *req, wb_resp *resp, int64_t id)
{
    wb_initiative *in = NULL;
    int rc = wb_initiative_get(req->db->st, &req->actor, &in, id);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    initiative_json(&j, req, in, 1);
    wb_initiative_free(in);
    return wb_json_finish(&j);
}

int wb_web__h_initiative_add(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, initiative_fields))
        return 0;
    wb_initiative in;
    int rc = initiative_in(req, resp, &in, NULL);
    if (rc == 0) {
        int64_t id = 0;
        rc = wb_initiative_add(req->db->st, &id, &req->actor, &in);
        if (rc == 0 && (rc = initiative_out(req, resp, id)) == 0)
            resp->status = 201;
        else
            rc = lib_fail(resp, rc, initiative_aliases);
    }
    initiative_in_free(&in);
    return rc > 0 ? 0 : rc;
}

int wb_web__h_initiative_get(wb_req *req, wb_resp *resp)
{
    return initiative_out(req, resp, wb_req_int(req, "id"));
}

int wb_web__h_initiative_put(wb_req *req, wb_resp *resp)
{
    int patch = !strcmp(req->method, "PATCH");
    if (body_check(req, resp, patch ? initiative_patch_fields : initiative_fields))
        return 0;
    int64_t id = wb_req_int(req, "id");
    wb_initiative *cur = NULL;
    int rc = wb_initiative_get(req->db->st, &req->actor, &cur, id);
    if (rc < 0)
        return rc;
    wb_initiative in;
    rc = initiative_in(req, resp, &in, patch ? cur : NULL);
    if (rc == 0) {
        in.id = id;
        if ((rc = wb_initiative_update(req->db->st, &req->actor, &in)) == 0)
            rc = initiative_out(req, resp, id);
        else
            rc = lib_fail(resp, rc, initiative_aliases);
    }
    initiative_in_free(&in);
    wb_initiative_free(cur);
    return rc > 0 ? 0 : rc;
}

int wb_web__h_initiative_delete(wb_req *req, wb_resp *resp)
{
    int64_t id = wb_req_int(req, "id");
    int rc = wb_initiative_delete(req->db->st, &req->actor, id);
    if (rc < 0)
        return rc;
    return wb_str_printf(&resp->body, "{\"deleted\":%lld}", (long long)id) < 0 ? WB_ENOMEM : 0;
}

/* ---------------------------------------------------------------- milestones */

int wb_web__h_milestones(wb_req *req, wb_resp *resp)
{
    wb_initiative *in = NULL;
    int rc = wb_initiative_get(req->db->st, &req->actor, &in, wb_req_int(req, "id"));
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < in->nmilestones; i++)
        milestone_json(&j, &in->milestones[i]);
    wb_json_arr_close(&j);
    wb_initiative_free(in);
    return wb_json_finish(&j);
}

static const fdef milestone_fields[] = {
    {"title", F_STR, 1}, {"due", F_STR, 0}, {"progress", F_INT, 0}, {"note", F_STR, 0}, F_END};

static int milestone_in(wb_req *req, wb_resp *resp, wb_milestone *m)
{
    memset(m, 0, sizeof *m);
    m->title = (char *)str(req, "title");
    m->due = (char *)str(req, "due");
    m->note = (char *)str(req, "note");
    long long p = integer(req, "progress", 0);
    if (p < 0 || p > 100)
        return field_error(resp, "progress", "field 'progress': expected 0 to 100 per cent, got %lld", p) + 1;
    m->progress = (int)p;
    return 0;
}

static int milestone_out(wb_req *req, wb_resp *resp, int64_t initiative_id, int64_t id)
{
    wb_initiative *in = NULL;
    int rc = wb_initiative_get(req->db->st, &req->actor, &in, initiative_id);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    for (size_t i = 0; i < in->nmilestones; i++)
        if (in->milestones[i].id == id)
            milestone_json(&j, &in->milestones[i]);
    wb_initiative_free(in);
    return wb_json_finish(&j);
}

int wb_web__h_milestone_add(wb_req *req, wb_resp *resp)
{
    wb_milestone m;
    if (body_check(req, resp, milestone_fields) || milestone_in(req, resp, &m))
        return 0;
    m.initiative_id = wb_req_int(req, "id");
    int64_t id = 0;
    int rc = wb_milestone_add(req->db->st, &id, &req->actor, &m);
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    resp->status = 201;
    return milestone_out(req, resp, m.initiative_id, id);
}

int wb_web__h_milestone_put(wb_req *req, wb_resp *resp)
{
    wb_milestone m;
    if (body_check(req, resp, milestone_fields) || milestone_in(req, resp, &m))
        return 0;
    m.id = wb_req_int(req, "id");
    int rc = wb_milestone_update(req->db->st, &req->actor, &m);
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    int64_t initiative_id = 0;
    if ((rc = wb_reg__milestone_initiative(req->db->st, &initiative_id, m.id)) < 0 && rc != WB_ENOTFOUND)
        return rc;
    return milestone_out(req, resp, initiative_id, m.id);
}

/* ---------------------------------------------------------------- contributions */

static const char *const contribution_aliases[] = {"partner", "partner_id", "initiative", "initiative_id", NULL};

static int contributions_out(wb_req *req, wb_resp *resp, int64_t initiative_id, int64_t partner_id,
                             int64_t only)
{
    wb_contribution *v = NULL;
    size_t n = 0;
    int rc = wb_contribution_list(req->db->st, &req->actor, &v, &n, initiative_id, partner_id);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    if (!only)
        wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        if (!only || v[i].id == only)
            contribution_json(&j, req, &v[i]);
    if (!only)
        wb_json_arr_close(&j);
    wb_contributions_free(v, n);
    return wb_json_finish(&j);
}

int wb_web__h_contributions(wb_req *req, wb_resp *resp)
{
    wb_initiative *in = NULL; /* 404 for an unknown initiative, not an empty list */
    int rc = wb_initiative_get(req->db->st, &req->actor, &in, wb_req_int(req, "id"));
    wb_initiative_free(in);
    if (rc < 0)
        return rc;
    return contributions_out(req, resp, wb_req_int(req, "id"), 0, 0);
}

static const fdef contribution_fields[] = {
    {"partner_id", F_INT, 1}, {"kind", F_STR, 1}, {"amount", F_NUM, 1}, {"start", F_STR, 1},
    {"end", F_STR, 1},        {"note", F_STR, 0}, F_END};

/* PUT: the partner stays (the library refuses a change); sending it is optional. */
static const fdef contribution_put_fields[] = {
    {"partner_id", F_INT, 0}, {"kind", F_STR, 1}, {"amount", F_NUM, 1}, {"start", F_STR, 1},
    {"end", F_STR, 1},        {"note", F_STR, 0}, F_END};

static void contribution_in(wb_req *req, wb_contribution *c)
{
    memset(c, 0, sizeof *c);
    c->partner_id = integer(req, "partner_id", 0);
    c->kind = (char *)str(req, "kind");
    c->amount = number(req, "amount", NAN);
    c->start = (char *)str(req, "start");
    c->end = (char *)str(req, "end");
    c->note = (char *)str(req, "note");
}

int wb_web__h_contribution_add(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, contribution_fields))
        return 0;
    wb_contribution c;
    contribution_in(req, &c);
    if (c.partner_id <= 0)
        return field_error(resp, "partner_id", "field 'partner_id': expected a partner id (1 or more)");
    c.initiative_id = wb_req_int(req, "id");
    wb_initiative *in = NULL; /* 404 for an unknown initiative */
    int rc = wb_initiative_get(req->db->st, &req->actor, &in, c.initiative_id);
    wb_initiative_free(in);
    if (rc < 0)
        return rc;
    int64_t id = 0;
    if ((rc = wb_contribution_add(req->db->st, &id, &req->actor, &c)) < 0)
        return lib_fail(resp, rc, contribution_aliases);
    resp->status = 201;
    return contributions_out(req, resp, c.initiative_id, 0, id);
}

int wb_web__h_contribution_put(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, contribution_put_fields))
        return 0;
    wb_contribution c;
    contribution_in(req, &c);
    c.id = wb_req_int(req, "id");
    int rc = wb_contribution_update(req->db->st, &req->actor, &c);
    if (rc < 0)
        return lib_fail(resp, rc, contribution_aliases);
    return contributions_out(req, resp, 0, 0, c.id);
}

int wb_web__h_contribution_delete(wb_req *req, wb_resp *resp)
{
    int64_t id = wb_req_int(req, "id");
    int rc = wb_contribution_delete(req->db->st, &req->actor, id);
    if (rc < 0)
        return rc;
    return wb_str_printf(&resp->body, "{\"deleted\":%lld}", (long long)id) < 0 ? WB_ENOMEM : 0;
}

/* ---------------------------------------------------------------- coalitions */

static int coalitions_out(wb_req *req, wb_resp *resp, int64_t initiative_id, long year)
{
    wb_coalition_year *v = NULL;
    size_t n = 0;
    int rc = wb_coalitions_by_year(req->db->st, &req->actor, &v, &n, initiative_id);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        if (year && v[i].year != year)
            continue;
        wb_json_obj_open(&j);
        wb_json_kint(&j, "initiative_id", v[i].initiative_id);
        wb_json_kstr(&j, "title", v[i].title);
        wb_json_kint(&j, "year", v[i].year);
        wb_json_kstr(&j, "partners", v[i].partners);
        wb_json_kint(&j, "npartners", (long long)v[i].npartners);
        wb_json_kstr(&j, "joined", v[i].joined);
        wb_json_kstr(&j, "left", v[i].left);
        wb_json_knum(&j, "money_eur", v[i].money_eur);
        wb_json_knum(&j, "hours", v[i].hours);
        wb_json_knum(&j, "in_kind_eur", v[i].in_kind_eur);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_coalitions_free(v, n);
    return wb_json_finish(&j);
}

int wb_web__h_initiative_coalitions(wb_req *req, wb_resp *resp)
{
    wb_initiative *in = NULL;
    int rc = wb_initiative_get(req->db->st, &req->actor, &in, wb_req_int(req, "id"));
    wb_initiative_free(in);
    if (rc < 0)
        return rc;
    return coalitions_out(req, resp, wb_req_int(req, "id"), 0);
}

int wb_web__h_coalitions(wb_req *req, wb_resp *resp)
{
    return coalitions_out(req, resp, wb_req_int(req, "initiative"), wb_req_int(req, "year"));
}

int wb_web__h_matrix(wb_req *req, wb_resp *resp)
{
    wb_collab_cell *v = NULL;
    size_t n = 0;
    int rc = wb_collab_matrix(req->db->st, &req->actor, &v, &n, (int)wb_req_int(req, "year"));
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "partner_id", v[i].partner_id);
        wb_json_kstr(&j, "partner", v[i].partner);
        wb_json_kstr(&j, "code", v[i].code);
        wb_json_kint(&j, "area_year", v[i].area_year);
        wb_json_kstr(&j, "theme", v[i].theme);
        wb_json_kint(&j, "initiatives", (long long)v[i].initiatives);
        wb_json_knum(&j, "money_eur", v[i].money_eur);
        wb_json_knum(&j, "hours", v[i].hours);
        wb_json_knum(&j, "in_kind_eur", v[i].in_kind_eur);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_collab_cells_free(v, n);
    return wb_json_finish(&j);
}

/* ---------------------------------------------------------------- partners and themes */

int wb_web__h_partners(wb_req *req, wb_resp *resp)
{
    wb_partner *v = NULL;
    size_t n = 0;
    int rc = wb_partner_list(req->db->st, &req->actor, &v, &n);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        partner_json(&j, &v[i]);
    wb_json_arr_close(&j);
    wb_partners_free(v, n);
    return wb_json_finish(&j);
}

/* One partner with the initiatives it leads or contributes to and its contributions. */
static int partner_out(wb_req *req, wb_resp *resp, int64_t id)
{
    wb_partner *v = NULL;
    size_t n = 0;
    int rc = wb_partner_list(req->db->st, &req->actor, &v, &n);
    if (rc < 0)
        return rc;
    const wb_partner *p = NULL;
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            p = &v[i];
    if (!p) {
        wb_partners_free(v, n);
        wb_error_set(WB_ERRCLASS_ARG, "no partner with id %lld", (long long)id);
        return WB_ENOTFOUND;
    }
    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    q.partner_id = id;
    wb_initiative *ini = NULL;
    size_t nini = 0;
    wb_contribution *c = NULL;
    size_t nc = 0;
    if ((rc = wb_initiative_list(req->db->st, &req->actor, &ini, &nini, &q)) < 0 ||
        (rc = wb_contribution_list(req->db->st, &req->actor, &c, &nc, 0, id)) < 0)
        goto done;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kint(&j, "id", p->id);
    wb_json_kstr(&j, "name", p->name);
    wb_json_kstr(&j, "type", p->type);
    wb_json_kstr(&j, "contact", p->contact);
    kbool(&j, "can_edit", may(req, WB_ACT_PARTNER_MANAGE, 0, 0));
    wb_json_key(&j, "initiatives");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < nini; i++)
        initiative_json(&j, req, &ini[i], 0);
    wb_json_arr_close(&j);
    wb_json_key(&j, "contributions");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < nc; i++)
        contribution_json(&j, req, &c[i]);
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    rc = wb_json_finish(&j);
done:
    wb_initiatives_free(ini, nini);
    wb_contributions_free(c, nc);
    wb_partners_free(v, n);
    return rc;
}

int wb_web__h_partner_get(wb_req *req, wb_resp *resp)
{
    return partner_out(req, resp, wb_req_int(req, "id"));
}

static const fdef partner_fields[] = {{"name", F_STR, 1}, {"type", F_STR, 1}, {"contact", F_STR, 0}, F_END};

int wb_web__h_partner_add(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, partner_fields))
        return 0;
    int64_t id = 0;
    int rc = wb_partner_add(req->db->st, &id, &req->actor, str(req, "name"), str(req, "type"), str(req, "contact"));
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    resp->status = 201;
    return partner_out(req, resp, id);
}

int wb_web__h_partner_put(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, partner_fields))
        return 0;
    wb_partner p;
    memset(&p, 0, sizeof p);
    p.id = wb_req_int(req, "id");
    p.name = (char *)str(req, "name");
    p.type = (char *)str(req, "type");
    p.contact = (char *)str(req, "contact");
    int rc = wb_partner_update(req->db->st, &req->actor, &p);
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    return partner_out(req, resp, p.id);
}

int wb_web__h_themes(wb_req *req, wb_resp *resp)
{
    char **v = NULL;
    size_t n = 0;
    int rc = wb_theme_list(req->db->st, &v, &n);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        wb_json_str(&j, v[i]);
    wb_json_arr_close(&j);
    wb_strings_free(v, n);
    return wb_json_finish(&j);
}

static const fdef theme_fields[] = {{"name", F_STR, 1}, F_END};

int wb_web__h_theme_add(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, theme_fields))
        return 0;
    int rc = wb_theme_add(req->db->st, NULL, &req->actor, str(req, "name"));
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    resp->status = 201;
    return wb_web__h_themes(req, resp);
}

/* ---------------------------------------------------------------- proposals */

static int proposals_out(wb_req *req, wb_resp *resp, const wb_proposal_query *q, wb_json *outer)
{
    wb_proposal *v = NULL;
    size_t n = 0;
    int rc = wb_proposal_list(req->db->st, &req->actor, &v, &n, q);
    if (rc < 0)
        return rc;
    wb_json own, *j = outer ? outer : &own;
    if (!outer)
        wb_json_init(&own, &resp->body);
    wb_json_arr_open(j);
    for (size_t i = 0; i < n; i++)
        proposal_json(j, req, &v[i]);
    wb_json_arr_close(j);
    wb_proposals_free(v, n);
    return outer ? 0 : wb_json_finish(&own);
}

int wb_web__h_proposals(wb_req *req, wb_resp *resp)
{
    wb_proposal_query q = WB_PROPOSAL_QUERY_INIT;
    if (wb_req_has(req, "status"))
        q.status = wb_req_text(req, "status");
    if (wb_req_has(req, "area"))
        q.area = wb_req_text(req, "area");
    q.area_year = (int)wb_req_int(req, "year");
    if (wb_req_has(req, "theme"))
        q.theme = wb_req_text(req, "theme");
    return proposals_out(req, resp, &q, NULL);
}

static int proposal_out(wb_req *req, wb_resp *resp, int64_t id)
{
    wb_proposal *p = NULL;
    int rc = wb_proposal_get(req->db->st, &req->actor, &p, id);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    proposal_json(&j, req, p);
    wb_proposal_free(p);
    return wb_json_finish(&j);
}

int wb_web__h_proposal_get(wb_req *req, wb_resp *resp)
{
    return proposal_out(req, resp, wb_req_int(req, "id"));
}

static const fdef proposal_fields[] = {
    {"area", F_STR, 1}, {"area_year", F_INT, 1}, {"title", F_STR, 1}, {"text", F_STR, 1},
    {"theme", F_STR, 1}, {"est_cost_eur", F_NUM, 0}, F_END};

/* A proposal from the body (strings point into the JSON). 0, or 1 with a 400 in resp. */
static int proposal_in(wb_req *req, wb_resp *resp, wb_proposal *p)
{
    memset(p, 0, sizeof *p);
    if (body_check(req, resp, proposal_fields))
        return 1;
    p->area = (char *)str(req, "area");
    long long y = integer(req, "area_year", 0);
    if (y < 1800 || y > 2200)
        return field_error(resp, "area_year", "field 'area_year': expected a boundary year, got %lld", y) + 1;
    p->area_year = (int)y;
    p->title = (char *)str(req, "title");
    p->text = (char *)str(req, "text");
    p->theme = (char *)str(req, "theme");
    p->est_cost_eur = number(req, "est_cost_eur", NAN);
    return 0;
}

int wb_web__h_proposal_add(wb_req *req, wb_resp *resp)
{
    wb_proposal p;
    if (proposal_in(req, resp, &p))
        return 0;
    int64_t id = 0;
    int rc = wb_proposal_add(req->db->st, &id, &req->actor, &p);
    if (rc < 0) {
        static const char *const aliases[] = {"cost", "est_cost_eur", NULL};
        return lib_fail(resp, rc, aliases);
    }
    resp->status = 201;
    return proposal_out(req, resp, id);
}

int wb_web__h_proposal_support(wb_req *req, wb_resp *resp)
{
    int64_t id = wb_req_int(req, "id");
    int rc = wb_proposal_support(req->db->st, &req->actor, id);
    if (rc == WB_EDENIED) {
        /* a second support by the same resident is a conflict with what is stored (409);
         * everything else the library refuses stays 403 */
        char msg[256];
        snprintf(msg, sizeof msg, "%s", wb_error_last()->message);
        wb_proposal *p = NULL;
        int supported = wb_proposal_get(req->db->st, &req->actor, &p, id) == 0 && p->supported;
        wb_proposal_free(p);
        wb_error_set(WB_ERRCLASS_AUTH, "%s", msg);
        if (supported) {
            wb_resp_error(resp, 409, NULL, "%s", msg);
            return 0;
        }
    }
    if (rc < 0)
        return rc;
    return proposal_out(req, resp, id);
}

static const fdef adopt_fields[] = {{"lead_partner_id", F_INT, 0}, {"status", F_STR, 0}, F_END};

int wb_web__h_proposal_adopt(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, adopt_fields))
        return 0;
    long long lead = integer(req, "lead_partner_id", 0);
    if (lead < 0)
        return field_error(resp, "lead_partner_id", "field 'lead_partner_id': expected a partner id");
    int64_t iid = 0;
    int rc = wb_proposal_adopt(req->db->st, &iid, &req->actor, wb_req_int(req, "id"), lead, str(req, "status"));
    if (rc < 0)
        return lib_fail(resp, rc, initiative_aliases);
    resp->status = 201;
    return initiative_out(req, resp, iid);
}

static const fdef decline_fields[] = {{"reason", F_STR, 1}, F_END};

int wb_web__h_proposal_decline(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, decline_fields))
        return 0;
    int64_t id = wb_req_int(req, "id");
    int rc = wb_proposal_decline(req->db->st, &req->actor, id, str(req, "reason"));
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    return proposal_out(req, resp, id);
}

int wb_web__h_proposal_hide(wb_req *req, wb_resp *resp)
{
    int64_t id = wb_req_int(req, "id");
    int rc = wb_proposal_hide(req->db->st, &req->actor, id);
    if (rc < 0)
        return rc;
    return proposal_out(req, resp, id);
}

/* The initiatives and proposals of an area, for its profile page. */
int wb_web__h_area_register(wb_req *req, wb_resp *resp)
{
    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    q.area = wb_req_text(req, "code");
    q.area_year = (int)wb_req_int(req, "year");
    wb_initiative *v = NULL;
    size_t n = 0;
    int rc = wb_initiative_list(req->db->st, &req->actor, &v, &n, &q);
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "code", q.area);
    wb_json_key(&j, "initiatives");
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        initiative_json(&j, req, &v[i], 0);
    wb_json_arr_close(&j);
    wb_initiatives_free(v, n);
    wb_proposal_query pq = WB_PROPOSAL_QUERY_INIT;
    pq.area = q.area;
    pq.area_year = q.area_year;
    wb_json_key(&j, "proposals");
    if ((rc = proposals_out(req, resp, &pq, &j)) < 0)
        return rc;
    kbool(&j, "can_file", may(req, WB_ACT_PROPOSAL_FILE, 0, 0));
    wb_json_obj_close(&j);
    return wb_json_finish(&j);
}

/* ---------------------------------------------------------------- accounts, settings, audit */

int wb_web__h_users(wb_req *req, wb_resp *resp)
{
    wb_user *v = NULL;
    size_t n = 0;
    int rc = wb_auth_user_list(req->db->st, &req->actor, &v, &n);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "id", v[i].id);
        wb_json_kstr(&j, "name", v[i].name);
        wb_json_kstr(&j, "role", wb_role_name(v[i].role));
        kid(&j, "partner_id", v[i].partner_id);
        wb_json_kstr(&j, "partner", v[i].partner);
        wb_json_kstr(&j, "created", v[i].created);
        kbool(&j, "disabled", v[i].disabled);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_users_free(v, n);
    return wb_json_finish(&j);
}

static const fdef user_fields[] = {
    {"name", F_STR, 1}, {"role", F_STR, 1}, {"partner_id", F_INT, 0}, {"password", F_STR, 1}, F_END};

int wb_web__h_user_add(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, user_fields))
        return 0;
    const char *pw = str(req, "password");
    wb_role role = WB_ROLE_ANONYMOUS;
    int rc = wb_role_parse(&role, str(req, "role"));
    int64_t id = 0;
    if (rc == 0)
        rc = wb_auth_user_add(req->db->st, &id, &req->actor, str(req, "name"), role,
                              integer(req, "partner_id", 0), pw, &req->auth);
    sodium_memzero((void *)pw, strlen(pw));
    if (rc < 0) {
        static const char *const aliases[] = {"partner", "partner_id", NULL};
        return lib_fail(resp, rc, aliases);
    }
    resp->status = 201;
    return wb_str_printf(&resp->body, "{\"id\":%lld}", (long long)id) < 0 ? WB_ENOMEM : 0;
}

static const fdef disable_fields[] = {{"disabled", F_BOOL, 1}, F_END};

int wb_web__h_user_disable(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, disable_fields))
        return 0;
    int off = json_is_true(json_object_get(req->json, "disabled"));
    int rc = wb_auth_user_disable(req->db->st, &req->actor, wb_req_text(req, "name"), off);
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    return wb_str_printf(&resp->body, "{\"disabled\":%s}", off ? "true" : "false") < 0 ? WB_ENOMEM : 0;
}

static const fdef settings_fields[] = {{"monitor_public", F_BOOL, 1}, F_END};

int wb_web__h_settings_put(wb_req *req, wb_resp *resp)
{
    if (body_check(req, resp, settings_fields))
        return 0;
    int on = json_is_true(json_object_get(req->json, "monitor_public"));
    int rc = wb_setting_set(req->db->st, &req->actor, "monitor_public", on ? "1" : "0");
    if (rc < 0)
        return lib_fail(resp, rc, NULL);
    return wb_str_printf(&resp->body, "{\"monitor_public\":%s}", on ? "true" : "false") < 0 ? WB_ENOMEM : 0;
}

/* Pre-serialised JSON from the library, with < > & U+2028 U+2029 escaped as the writer does
 * (outside strings these cannot occur in JSON, so replacing the bytes is safe). */
static void raw_json(wb_json *j, const char *s)
{
    if (!s) {
        wb_json_null(j);
        return;
    }
    wb_str t = WB_STR_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '<')
            wb_str_puts(&t, "\\u003c");
        else if (*p == '>')
            wb_str_puts(&t, "\\u003e");
        else if (*p == '&')
            wb_str_puts(&t, "\\u0026");
        else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            wb_str_puts(&t, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
            p += 2;
        } else
            wb_str_putc(&t, (char)*p);
    }
    wb_json_raw(j, t.ptr ? t.ptr : "null", t.ptr ? t.len : 4);
    wb_str_dispose(&t);
}

int wb_web__h_audit(wb_req *req, wb_resp *resp)
{
    wb_audit_entry *v = NULL;
    size_t n = 0;
    const char *entity = wb_req_has(req, "entity") ? wb_req_text(req, "entity") : NULL;
    long limit = wb_req_has(req, "limit") ? wb_req_int(req, "limit") : 200;
    int rc = wb_audit_list(req->db->st, &req->actor, &v, &n, entity, wb_req_int(req, "id"), (size_t)limit);
    if (rc < 0)
        return rc;
    wb_json j;
    wb_json_init(&j, &resp->body);
    wb_json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        wb_json_obj_open(&j);
        wb_json_kint(&j, "id", v[i].id);
        wb_json_kstr(&j, "at", v[i].at);
        kid(&j, "user_id", v[i].user_id);
        wb_json_kstr(&j, "actor", v[i].actor);
        wb_json_kstr(&j, "action", v[i].action);
        wb_json_kstr(&j, "entity", v[i].entity);
        wb_json_kint(&j, "entity_id", v[i].entity_id);
        /* before and after are JSON objects written by the library */
        wb_json_key(&j, "before");
        raw_json(&j, v[i].before);
        wb_json_key(&j, "after");
        raw_json(&j, v[i].after);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_audit_free(v, n);
    return wb_json_finish(&j);
}

/* ---------------------------------------------------------------- body parsing without a store */

/*
 * Internal entry point for the fuzz target fuzz/json_body.c (not used by the server): the
 * body of a collab write route through the same code its handler runs before it touches the
 * store: wb_web__body_json (the dispatcher's strict JSON rules), body_check and the typed
 * extraction (initiative_in, proposal_in, the login fields).
 */
int wb_web__collab_body(wb_web_body *out, wb_req *req, wb_resp *resp, wb_web_body_kind kind,
                        const wb_initiative *base, const char *body, size_t len)
{
    memset(out, 0, sizeof *out);
    req->json = NULL;
    if (wb_web__body_json(req, resp, body, len) < 0)
        return 1;
    switch (kind) {
    case WB_WEB_BODY_LOGIN:
        if (body_check(req, resp, login_fields))
            return 1;
        out->user = str(req, "user");
        out->password = str(req, "password");
        return 0;
    case WB_WEB_BODY_INITIATIVE:
    case WB_WEB_BODY_INITIATIVE_PATCH: {
        if (kind == WB_WEB_BODY_INITIATIVE)
            base = NULL;
        if (body_check(req, resp, base ? initiative_patch_fields : initiative_fields))
            return 1;
        int rc = initiative_in(req, resp, &out->initiative, base);
        out->has_initiative = 1;
        return rc;
    }
    case WB_WEB_BODY_PROPOSAL:
        return proposal_in(req, resp, &out->proposal);
    default:
        return WB_EINVALID;
    }
}

void wb_web__collab_body_free(wb_web_body *out, wb_req *req)
{
    if (out->has_initiative)
        initiative_in_free(&out->initiative);
    out->has_initiative = 0;
    json_decref(req->json);
    req->json = NULL;
}
