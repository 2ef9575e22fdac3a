/**
 * @file
 * @brief Fuzz target: JSON bodies of the collab write routes through the code their handlers
 * run before the store (wb_web__collab_body, src/web/routes_collab.c): the dispatcher's strict
 * JSON parsing (wb_web__body_json), the field check (unknown, mistyped, missing fields) and the
 * typed extraction into a login, an initiative (new, or a PATCH over a stored one) or a
 * resident proposal.
 *
 * Input: byte 0 chooses the route (mod 4: login, new initiative, initiative PATCH, proposal),
 * the rest is the body.
 * Invariants:
 *  - refused: status 400 and a response body that is a JSON object (jansson: valid UTF-8)
 *    with an "error" string. When the body is a JSON object, "field" names the field at fault
 *    (a declared field of the route, or an unknown key of the body, cut to 40 bytes) and the
 *    message quotes it (an empty key "" is refused as "unknown field ''" without "field");
 *    otherwise the message is about "the request body";
 *  - accepted: the typed values meet the route's constraints: login user and password
 *    strings; an initiative has a title (new), a lead partner id >= 1, area_year 0..9999,
 *    themes and areas exactly the body's string arrays (or the base's, PATCH without them),
 *    targets with keys shorter than 64 bytes and directions +-1, as many as sent; a proposal
 *    has area, title, text and theme, area_year 1800..2200, a finite cost or NaN (none);
 *  - errors other than a refusal only for out of memory; nothing leaks (LeakSanitizer).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "web/web_internal.h"
#include "wijkbeeld.h"

static const char *const login_f[] = {"user", "password", NULL};
static const char *const initiative_f[] = {"title", "description", "status", "start", "end",
                                           "lead_partner_id", "themes", "areas", "area_year",
                                           "targets", NULL};
static const char *const proposal_f[] = {"area", "area_year", "title", "text", "theme",
                                         "est_cost_eur", NULL};

static int declared(const char *const *f, const char *name)
{
    for (; *f; f++)
        if (!strcmp(*f, name))
            return 1;
    return 0;
}

/* The body's key that @p field names: equal, or its first 40 bytes with the bytes of a
 * UTF-8 sequence cut there shown as '?'; NULL when none. */
static const char *key_named(json_t *obj, const char *field)
{
    const char *key;
    json_t *v;
    size_t fn = strlen(field);
    json_object_foreach(obj, key, v) {
        (void)v;
        if (!strcmp(key, field))
            return key;
        if (strlen(key) <= 40 || fn != 40)
            continue;
        size_t i = 0;
        while (i < fn && (key[i] == field[i] || ((unsigned char)key[i] >= 0x80 && field[i] == '?')))
            i++;
        if (i == fn)
            return key;
    }
    return NULL;
}

static void check_refusal(const wb_req *req, const wb_resp *resp, const char *const *fields)
{
    WBF_CHECK(resp->status == 400, "refused with status %d", resp->status);
    json_error_t err;
    json_t *b = json_loadb(resp->body.ptr, resp->body.len, JSON_REJECT_DUPLICATES, &err);
    WBF_CHECK(b != NULL, "error body is not JSON (%s): %.*s", err.text, (int)resp->body.len,
              resp->body.ptr ? resp->body.ptr : "");
    const char *msg = json_string_value(json_object_get(b, "error"));
    const char *field = json_string_value(json_object_get(b, "field"));
    WBF_CHECK(json_is_object(b) && msg && msg[0], "error body without an error message");
    if (!req->json) {
        WBF_CHECK(!strncmp(msg, "the request body", 16), "body refused with '%s'", msg);
    } else {
        if (!field && !strcmp(msg, "unknown field ''") && json_object_get(req->json, "")) {
            json_decref(b); /* the empty key: "field" cannot name it */
            return;
        }
        WBF_CHECK(field && field[0], "refusal names no field: '%s'", msg);
        WBF_CHECK(declared(fields, field) || key_named(req->json, field),
                  "field '%s' is neither declared nor in the body", field);
        char quoted[128];
        snprintf(quoted, sizeof quoted, "'%s'", field);
        WBF_CHECK(strstr(msg, quoted), "message '%s' does not quote field '%s'", msg, field);
        WBF_CHECK(resp->error_field && !strcmp(resp->error_field, field), "error_field differs");
    }
    json_decref(b);
}

/* @p got (n strings) equals the body's string array @p name. */
static void check_strings(json_t *body, const char *name, char **got, size_t n)
{
    json_t *a = json_object_get(body, name);
    size_t want = json_is_array(a) ? json_array_size(a) : 0;
    WBF_CHECK(n == want, "'%s': %zu strings, body has %zu", name, n, want);
    for (size_t i = 0; i < n; i++)
        WBF_CHECK(got[i] && !strcmp(got[i], json_string_value(json_array_get(a, i))),
                  "'%s'[%zu] differs", name, i);
}

static void check_initiative(json_t *body, const wb_initiative *in, const wb_initiative *base)
{
    if (!base)
        WBF_CHECK(in->title != NULL, "initiative without a title");
    WBF_CHECK(in->lead_partner_id >= 1, "lead partner %lld", (long long)in->lead_partner_id);
    WBF_CHECK(in->area_year >= 0 && in->area_year <= 9999, "area_year %d", in->area_year);
    static const char *const strs[] = {"title", "description", "status", "start", "end"};
    const char *const got[] = {in->title, in->description, in->status, in->start, in->end};
    const char *const was[] = {base ? base->title : NULL, base ? base->description : NULL,
                               base ? base->status : NULL, base ? base->start : NULL,
                               base ? base->end : NULL};
    for (int k = 0; k < 5; k++) {
        json_t *x = json_object_get(body, strs[k]);
        const char *want = (!base || x) ? json_string_value(x) : was[k];
        WBF_CHECK((!want && !got[k]) || (want && got[k] && !strcmp(want, got[k])), "'%s' differs",
                  strs[k]);
    }
    if (!base || json_object_get(body, "themes"))
        check_strings(body, "themes", in->themes, in->nthemes);
    else
        WBF_CHECK(in->nthemes == base->nthemes && !strcmp(in->themes[0], base->themes[0]),
                  "PATCH lost the themes");
    if (!base || json_object_get(body, "areas"))
        check_strings(body, "areas", in->areas, in->nareas);
    else
        WBF_CHECK(in->nareas == base->nareas && !strcmp(in->areas[0], base->areas[0]),
                  "PATCH lost the areas");
    json_t *t = json_object_get(body, "targets");
    size_t nt = (!base || t) ? (json_is_array(t) ? json_array_size(t) : 0) : base->ntargets;
    WBF_CHECK(in->ntargets == nt, "%zu targets, expected %zu", in->ntargets, nt);
    for (size_t i = 0; i < in->ntargets; i++) {
        const wb_initiative_target *g = &in->targets[i];
        WBF_CHECK(memchr(g->indicator, 0, sizeof g->indicator) != NULL, "target %zu not terminated", i);
        WBF_CHECK(g->direction == 1 || g->direction == -1, "target %zu direction %d", i, g->direction);
        if (!base || t) {
            json_t *e = json_array_get(t, i);
            const char *dir = json_string_value(json_object_get(e, "direction"));
            WBF_CHECK(!strcmp(g->indicator, json_string_value(json_object_get(e, "indicator"))),
                      "target %zu key differs", i);
            WBF_CHECK(g->direction == (!strcmp(dir, "up") ? 1 : -1), "target %zu direction differs", i);
        }
    }
}

WBF_TARGET(json_body)
{
    if (size < 1)
        return 0;
    static char *base_themes[] = {"groen", NULL};
    static char *base_areas[] = {"BU03630000", NULL};
    static wb_initiative_target base_targets[] = {{"lbm", 1}};
    static const wb_initiative base = {
        .id = 3, .title = "Buurttuin", .description = "Samen tuinieren", .status = "lopend",
        .start = "2023-01-01", .lead_partner_id = 7, .themes = base_themes, .nthemes = 1,
        .area_year = 2023, .areas = base_areas, .nareas = 1, .targets = base_targets,
        .ntargets = 1};
    wb_web_body_kind kind = (wb_web_body_kind)(data[0] % 4);
    static const char *const *const fields[4] = {login_f, initiative_f, initiative_f, proposal_f};
    wb_req req;
    wb_resp resp;
    wb_web_body out;
    memset(&req, 0, sizeof req);
    memset(&resp, 0, sizeof resp);
    int rc = wb_web__collab_body(&out, &req, &resp, kind, &base, (const char *)data + 1, size - 1);
    wbf_note(rc);
    if (rc < 0) {
        WBF_CHECK(rc == WB_ENOMEM, "returned %d", rc);
    } else if (rc == 1) {
        check_refusal(&req, &resp, fields[kind]);
    } else {
        WBF_CHECK(rc == 0, "returned %d", rc);
        WBF_CHECK(req.json && json_is_object(req.json), "accepted without a JSON object");
        WBF_CHECK(resp.status == 0 && resp.body.len == 0, "accepted with a response");
        switch (kind) {
        case WB_WEB_BODY_LOGIN:
            WBF_CHECK(out.user && out.password, "login without user or password");
            break;
        case WB_WEB_BODY_INITIATIVE:
            check_initiative(req.json, &out.initiative, NULL);
            break;
        case WB_WEB_BODY_INITIATIVE_PATCH:
            check_initiative(req.json, &out.initiative, &base);
            break;
        case WB_WEB_BODY_PROPOSAL: {
            const wb_proposal *p = &out.proposal;
            WBF_CHECK(p->area && p->title && p->text && p->theme, "proposal without a text field");
            WBF_CHECK(p->area_year >= 1800 && p->area_year <= 2200, "area_year %d", p->area_year);
            WBF_CHECK(isnan(p->est_cost_eur) || isfinite(p->est_cost_eur), "cost %g", p->est_cost_eur);
            break;
        }
        default:
            break;
        }
    }
    wb_web__collab_body_free(&out, &req);
    wb_str_dispose(&resp.body);
    return 0;
}
