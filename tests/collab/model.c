/** @file @brief The register: validation (nothing stored on bad input), audit entries,
 *  injection strings, proposals, coalitions, the partners x areas x themes matrix, and the
 *  migration of a version-1 store. */
#include <jansson.h>
#include <stdlib.h>

#include "collab/cfix.h"
#include "store/schema.h"
#include "store/store_internal.h"

static wb_initiative good(cfix *f, char **themes, char **areas)
{
    wb_initiative in;
    memset(&in, 0, sizeof in);
    in.title = "Speelplein";
    in.status = "gepland";
    in.start = "2024-01-01";
    in.end = "2024-12-31";
    in.lead_partner_id = f->pA;
    in.themes = themes;
    in.nthemes = 1;
    in.areas = areas;
    in.nareas = 1;
    in.area_year = 2020;
    return in;
}

/* Expect a refusal naming a field, with the store unchanged. */
#define REFUSED(f, code, call, text)                                                         \
    do {                                                                                     \
        char *b_ = cfix_snapshot((f)->st);                                                   \
        WB_FAILS(code, call);                                                                \
        ASSERT_MSG(strstr(wb_error_last()->message, text) != NULL, "message '%s' lacks '%s'", \
                   wb_error_last()->message, text);                                          \
        char *a_ = cfix_snapshot((f)->st);                                                   \
        ASSERT_MSG(!strcmp(a_, b_), "the store changed after a refused call");               \
        wb_free(a_);                                                                         \
        wb_free(b_);                                                                         \
    } while (0)

TEST(collab_model, bad_initiatives_name_the_field_and_store_nothing)
{
    cfix f;
    cfix_open(&f, NULL);
    char *th[] = {"jeugd"}, *ar[] = {"BU09990001"};
    wb_initiative in = good(&f, th, ar);
    WB_PASS(wb_initiative_add(f.st, NULL, &f.edA, &in)); /* the good one passes */

    /* an area code unknown for the boundary year (it exists in 2020, not in 2019) */
    in = good(&f, th, ar);
    in.area_year = 2019;
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in),
            "field 'areas': unknown area code BU09990001 for boundary year 2019");
    char *bad_area[] = {"BU99999999"};
    in = good(&f, th, bad_area);
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'areas': unknown area code BU99999999");
    char *garbage[] = {"<script>"};
    in = good(&f, th, garbage);
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'areas'");
    in = good(&f, th, ar);
    in.area_year = 0;
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'area_year'");
    /* a period that ends before it starts */
    in = good(&f, th, ar);
    in.end = "2023-12-31";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in),
            "field 'end': 2023-12-31 is before the start 2024-01-01");
    in = good(&f, th, ar);
    in.start = "2021-02-30";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'start': expected a date");
    in = good(&f, th, ar);
    in.end = "morgen";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'end'");
    /* overlong text: 200 characters fit, 201 do not (characters, not bytes) */
    char title[1024] = "";
    for (int i = 0; i < 200; i++)
        strcat(title, "\xc3\xa9"); /* é: 2 bytes, 1 character */
    in = good(&f, th, ar);
    in.title = title;
    WB_PASS(wb_initiative_add(f.st, NULL, &f.edA, &in));
    strcat(title, "e");
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in),
            "field 'title': too long (201 characters, at most 200)");
    char *desc = malloc(10002);
    memset(desc, 'x', 10001);
    desc[10001] = 0;
    in = good(&f, th, ar);
    in.description = desc;
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'description': too long");
    free(desc);
    in = good(&f, th, ar);
    in.title = "";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'title': required");
    in.title = "Twee\nregels";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'title': control character");
    in.title = "Kapot \xc3\x28 UTF-8";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'title': not valid UTF-8");
    in.title = "Overlong \xc0\xaf slash";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "not valid UTF-8");
    /* unknown status, theme, partner, target */
    in = good(&f, th, ar);
    in.status = "bezig";
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in),
            "field 'status': expected one of idee, gepland, lopend, afgerond, gestopt, got 'bezig'");
    char *bad_theme[] = {"ruimtevaart"};
    in = good(&f, th, ar);
    in.themes = bad_theme;
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "field 'themes': unknown theme 'ruimtevaart'");
    in = good(&f, th, ar);
    in.lead_partner_id = 999;
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.cli, &in), "field 'lead': no partner with id 999");
    wb_initiative_target tg[2] = {{"geluk", 1}, {"lbm_onv", 1}};
    in = good(&f, th, ar);
    in.targets = tg;
    in.ntargets = 1;
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in),
            "field 'targets': unknown indicator or score dimension 'geluk'");
    tg[0].direction = 0;
    snprintf(tg[0].indicator, sizeof tg[0].indicator, "lbm_onv");
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "must be up or down");
    tg[0].direction = -1;
    in.ntargets = 2;
    REFUSED(&f, WB_EINVALID, wb_initiative_add(f.st, NULL, &f.edA, &in), "'lbm_onv' is given twice");
    /* targets: the shared vocabulary and the store's catalogue both work */
    snprintf(tg[0].indicator, sizeof tg[0].indicator, "eigen_indicator");
    WB_PASS(wb_initiative_add(f.st, NULL, &f.edA, &in));
    cfix_close(&f);
}

TEST(collab_model, bad_contributions_milestones_partners_proposals)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.initiative_id = f.iniA;
    c.partner_id = f.pA;
    c.kind = "money_eur";
    c.amount = -5;
    c.start = "2022-01-01";
    c.end = "2022-12-31";
    REFUSED(&f, WB_EINVALID, wb_contribution_add(f.st, NULL, &f.edA, &c),
            "field 'amount': expected a number from 0 to 1e12, got -5");
    c.amount = NAN;
    REFUSED(&f, WB_EINVALID, wb_contribution_add(f.st, NULL, &f.edA, &c), "field 'amount'");
    c.amount = 0; /* zero is a valid (symbolic) contribution */
    c.kind = "euros";
    REFUSED(&f, WB_EINVALID, wb_contribution_add(f.st, NULL, &f.edA, &c),
            "field 'kind': expected one of money_eur, hours, in_kind");
    c.kind = "hours";
    c.end = "2021-12-31";
    REFUSED(&f, WB_EINVALID, wb_contribution_add(f.st, NULL, &f.edA, &c), "field 'end': 2021-12-31 is before");
    c.end = NULL;
    REFUSED(&f, WB_EINVALID, wb_contribution_add(f.st, NULL, &f.edA, &c), "field 'end': a contribution needs a period");
    c.end = "2022-12-31";
    c.initiative_id = 999;
    REFUSED(&f, WB_EINVALID, wb_contribution_add(f.st, NULL, &f.edA, &c), "field 'initiative': no initiative with id 999");
    c.initiative_id = f.iniA;
    WB_PASS(wb_contribution_add(f.st, NULL, &f.edA, &c));
    /* a contribution keeps its partner */
    c.id = f.contribA;
    c.partner_id = f.pB;
    REFUSED(&f, WB_EINVALID, wb_contribution_update(f.st, &f.cli, &c), "field 'partner'");
    WB_FAILS(WB_ENOTFOUND, wb_contribution_delete(f.st, &f.cli, 999));

    wb_milestone m;
    memset(&m, 0, sizeof m);
    m.initiative_id = f.iniA;
    m.title = "Halverwege";
    m.progress = 101;
    REFUSED(&f, WB_EINVALID, wb_milestone_add(f.st, NULL, &f.edA, &m), "field 'progress': expected 0 to 100");
    m.progress = -1;
    REFUSED(&f, WB_EINVALID, wb_milestone_add(f.st, NULL, &f.edA, &m), "field 'progress'");
    m.progress = 100;
    m.due = "31-12-2024"; /* the Dutch order is accepted */
    int64_t mid;
    WB_PASS(wb_milestone_add(f.st, &mid, &f.edA, &m));
    m.id = mid;
    m.progress = 40;
    m.note = "vertraagd";
    WB_PASS(wb_milestone_update(f.st, &f.edA, &m));
    WB_FAILS(WB_EDENIED, wb_milestone_update(f.st, &f.edB, &m));
    wb_initiative *in = NULL;
    WB_PASS(wb_initiative_get(f.st, &f.viewer, &in, f.iniA));
    ASSERT_EQ_I(in->nmilestones, 1);
    ASSERT_EQ_S(in->milestones[0].due, "2024-12-31");
    ASSERT_EQ_I(in->milestones[0].progress, 40);
    ASSERT_EQ_S(in->milestones[0].note, "vertraagd");
    ASSERT_EQ_I(in->ncontributions, 3);
    wb_initiative_free(in);

    REFUSED(&f, WB_EINVALID, wb_partner_add(f.st, NULL, &f.cli, "Kerk", "kerkgenootschap", NULL),
            "field 'type': expected one of gemeente, woningcorporatie, zorg en welzijn");
    REFUSED(&f, WB_ECONFLICT, wb_partner_add(f.st, NULL, &f.cli, "woonstichting a", "overig", NULL),
            "a partner named 'woonstichting a' exists");
    REFUSED(&f, WB_EINVALID, wb_theme_add(f.st, NULL, &f.cli, "a;b"), "field 'name'");
    REFUSED(&f, WB_ECONFLICT, wb_theme_add(f.st, NULL, &f.cli, "Veiligheid"), "theme 'Veiligheid' exists");

    wb_proposal p;
    memset(&p, 0, sizeof p);
    p.area = "WK099900";
    p.area_year = 2020;
    p.title = "Meer groen";
    p.text = "Bomen in de straat.";
    p.theme = "openbare ruimte";
    p.est_cost_eur = -1;
    REFUSED(&f, WB_EINVALID, wb_proposal_add(f.st, NULL, &f.res2, &p), "field 'cost'");
    p.est_cost_eur = NAN;
    p.area = "GM0999"; /* proposals are for a buurt or wijk */
    REFUSED(&f, WB_EINVALID, wb_proposal_add(f.st, NULL, &f.res2, &p), "field 'area'");
    p.area = "WK099900";
    p.theme = "onbekend";
    REFUSED(&f, WB_EINVALID, wb_proposal_add(f.st, NULL, &f.res2, &p), "field 'theme'");
    p.theme = "openbare ruimte";
    p.text = "";
    REFUSED(&f, WB_EINVALID, wb_proposal_add(f.st, NULL, &f.res2, &p), "field 'text': required");
    p.text = "Bomen in de straat.";
    WB_PASS(wb_proposal_add(f.st, NULL, &f.res2, &p));
    /* the admin files only with an account of its own (the command line has none) */
    REFUSED(&f, WB_EINVALID, wb_proposal_add(f.st, NULL, &f.cli, &p), "author account");
    REFUSED(&f, WB_EINVALID, wb_proposal_decline(f.st, &f.edA, f.prop, ""), "field 'reason': required");
    cfix_close(&f);
}

/* Parse an audit entry's JSON and return the string member @p key of before/after. */
static char *json_member(const char *doc, const char *key)
{
    json_error_t err;
    json_t *j = json_loads(doc, 0, &err);
    ASSERT_MSG(j != NULL, "audit JSON does not parse: %s", doc);
    json_t *v = json_object_get(j, key);
    char *out = NULL;
    if (json_is_string(v))
        out = strdup(json_string_value(v));
    else if (json_is_integer(v))
        asprintf(&out, "%lld", (long long)json_integer_value(v));
    else if (v)
        out = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
    return out;
}

TEST(collab_model, every_change_has_an_audit_entry_with_before_and_after)
{
    cfix f;
    cfix_open(&f, NULL);
    /* the fixture itself: 2 partners, 6 users, 2 initiatives, 2 contributions, 1 proposal */
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM audit_log WHERE action = 'create'"), 13);
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM audit_log WHERE actor = 'cli:tester'"), 12);
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM audit_log WHERE actor = 'bewoner1' AND user_id IS NOT NULL"), 1);

    wb_initiative *cur = NULL;
    WB_PASS(wb_initiative_get(f.st, &f.edA, &cur, f.iniA));
    wb_initiative in = *cur;
    in.title = "Andere titel";
    in.status = "afgerond";
    wb_initiative_target tg = {"lbm_onv", 1};
    in.targets = &tg;
    in.ntargets = 1;
    WB_PASS(wb_initiative_update(f.st, &f.edA, &in));
    wb_initiative_free(cur);
    WB_PASS(wb_proposal_support(f.st, &f.res2, f.prop));
    int64_t ini;
    WB_PASS(wb_proposal_adopt(f.st, &ini, &f.edB, f.prop, 0, NULL));
    WB_PASS(wb_contribution_delete(f.st, &f.edA, f.contribA));
    WB_PASS(wb_setting_set(f.st, &f.admin, "monitor_public", "0"));
    WB_PASS(wb_initiative_delete(f.st, &f.admin, f.iniB));

    wb_audit_entry *e = NULL;
    size_t n = 0;
    WB_PASS(wb_audit_list(f.st, &f.admin, &e, &n, NULL, 0, 0));
    /* newest first */
    ASSERT_EQ_S(e[0].action, "delete");
    ASSERT_EQ_S(e[0].entity, "initiative");
    ASSERT_EQ_I(e[0].entity_id, f.iniB);
    ASSERT(e[0].after == NULL);
    char *v = json_member(e[0].before, "title");
    ASSERT_EQ_S(v, "Initiatief van B");
    free(v);
    ASSERT_EQ_S(e[0].actor, "beheerder");
    ASSERT_EQ_I(e[0].user_id, f.admin.user_id);

    ASSERT_EQ_S(e[1].entity, "setting");
    v = json_member(e[1].before, "value");
    ASSERT_EQ_S(v, "1");
    free(v);
    v = json_member(e[1].after, "value");
    ASSERT_EQ_S(v, "0");
    free(v);

    ASSERT_EQ_S(e[2].entity, "contribution");
    ASSERT_EQ_S(e[2].action, "delete");
    ASSERT_EQ_S(e[2].actor, "editor-a");
    v = json_member(e[2].before, "amount");
    ASSERT_EQ_S(v, "1000.0");
    free(v);

    /* adopt: the proposal's status, and the new initiative that remembers it */
    ASSERT_EQ_S(e[3].entity, "proposal");
    ASSERT_EQ_S(e[3].action, "adopt");
    v = json_member(e[3].before, "status");
    ASSERT_EQ_S(v, "open");
    free(v);
    v = json_member(e[3].after, "initiative_id");
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%lld", (long long)ini);
    ASSERT_EQ_S(v, idtext);
    free(v);
    ASSERT_EQ_S(e[4].entity, "initiative");
    ASSERT_EQ_S(e[4].action, "adopt");
    v = json_member(e[4].after, "proposal_id");
    snprintf(idtext, sizeof idtext, "%lld", (long long)f.prop);
    ASSERT_EQ_S(v, idtext);
    free(v);
    v = json_member(e[4].after, "areas");
    ASSERT_EQ_S(v, "[\"BU09990001@2020\"]");
    free(v);

    ASSERT_EQ_S(e[5].action, "support");
    ASSERT_EQ_S(e[5].actor, "bewoner2");

    ASSERT_EQ_S(e[6].action, "update");
    ASSERT_EQ_S(e[6].entity, "initiative");
    v = json_member(e[6].before, "title");
    ASSERT_EQ_S(v, "Initiatief van A");
    free(v);
    v = json_member(e[6].after, "title");
    ASSERT_EQ_S(v, "Andere titel");
    free(v);
    v = json_member(e[6].after, "targets");
    ASSERT_EQ_S(v, "[\"lbm_onv:up\"]");
    free(v);
    v = json_member(e[6].before, "targets");
    ASSERT_EQ_S(v, "[]");
    free(v);
    wb_audit_free(e, n);

    /* filters, and the log is append-only */
    WB_PASS(wb_audit_list(f.st, &f.admin, &e, &n, "proposal", f.prop, 0));
    ASSERT_EQ_I(n, 3); /* create, support, adopt */
    wb_audit_free(e, n);
    WB_PASS(wb_audit_list(f.st, &f.admin, &e, &n, NULL, 0, 2));
    ASSERT_EQ_I(n, 2);
    wb_audit_free(e, n);
    sqlite3 *db = wb_store__db(f.st);
    ASSERT(sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", NULL, NULL, NULL) != SQLITE_OK);
    ASSERT(strstr(sqlite3_errmsg(db), "append-only"));
    ASSERT(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL) != SQLITE_OK);
    cfix_close(&f);
}

TEST(collab_model, injection_strings_are_stored_verbatim_and_escaped_on_output)
{
    cfix f;
    cfix_open(&f, NULL);
    const char *sqli = "Robert'); DROP TABLE initiative; --";
    const char *xss = "<script>alert('x')</script> & \"quotes\"";
    char *th[] = {"jeugd"}, *ar[] = {"BU09990001"};
    wb_initiative in = good(&f, th, ar);
    in.title = (char *)sqli;
    in.description = (char *)xss;
    int64_t id;
    WB_PASS(wb_initiative_add(f.st, &id, &f.edA, &in));
    WB_PASS(wb_partner_add(f.st, NULL, &f.cli, xss, "overig", sqli));
    wb_proposal p;
    memset(&p, 0, sizeof p);
    p.area = "BU09990002";
    p.area_year = 2020;
    p.title = (char *)xss;
    p.text = (char *)sqli;
    p.theme = "jeugd";
    p.est_cost_eur = NAN;
    int64_t pid;
    WB_PASS(wb_proposal_add(f.st, &pid, &f.res2, &p));
    /* the tables are all there and the text came back byte for byte */
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM initiative"), 3);
    wb_initiative *got = NULL;
    WB_PASS(wb_initiative_get(f.st, &f.anon, &got, id));
    ASSERT_EQ_S(got->title, sqli);
    ASSERT_EQ_S(got->description, xss);
    char *esc = wb_html_escape(got->description);
    ASSERT_EQ_S(esc, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;");
    wb_free(esc);
    wb_initiative_free(got);
    wb_proposal *pp = NULL;
    WB_PASS(wb_proposal_get(f.st, &f.anon, &pp, pid));
    ASSERT_EQ_S(pp->title, xss);
    ASSERT_EQ_S(pp->text, sqli);
    wb_proposal_free(pp);
    /* filters are parameters, not SQL */
    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    q.theme = "x' OR '1'='1";
    wb_initiative *v = NULL;
    size_t n = 0;
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 0);
    wb_initiatives_free(v, n);
    q.theme = NULL;
    q.status = "lopend' OR 1=1 --";
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 0);
    wb_initiatives_free(v, n);
    int64_t pidx;
    WB_FAILS(WB_ENOTFOUND, wb_partner_find(f.st, &pidx, "' OR 1=1 --"));
    cfix_close(&f);
}

TEST(collab_model, html_escape_cases)
{
    /* expected outputs written out by hand from the five replacements */
    struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"plain tekst, met é en ü", "plain tekst, met é en ü"},
        {"&", "&amp;"},
        {"&amp;", "&amp;amp;"},
        {"<a href=\"x\" onclick='y'>", "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;"},
        {"a<b>c", "a&lt;b&gt;c"},
        {"\"\"", "&quot;&quot;"},
        {"einde<", "einde&lt;"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = wb_html_escape(cases[i].in);
        ASSERT_EQ_S(e, cases[i].out);
        wb_free(e);
    }
    char *e = wb_html_escape(NULL);
    ASSERT_EQ_S(e, "");
    wb_free(e);
    wb_str s = WB_STR_INIT;
    WB_PASS(wb_str_puts(&s, "<p>"));
    WB_PASS(wb_html_escape_str(&s, "1 < 2"));
    WB_PASS(wb_str_puts(&s, "</p>"));
    ASSERT_EQ_S(wb_str_cstr(&s), "<p>1 &lt; 2</p>");
    wb_str_dispose(&s);
}

TEST(collab_model, proposals_adopt_decline_hide)
{
    cfix f;
    cfix_open(&f, NULL);
    WB_PASS(wb_proposal_support(f.st, &f.res2, f.prop));
    wb_proposal *p = NULL;
    WB_PASS(wb_proposal_get(f.st, &f.anon, &p, f.prop));
    ASSERT_EQ_I(p->supports, 1);
    ASSERT_EQ_S(p->status, "open");
    ASSERT(isnan(p->est_cost_eur));
    /* the author's account name only for the admin and the author */
    ASSERT(p->author == NULL && p->user_id == 0);
    wb_proposal_free(p);
    WB_PASS(wb_proposal_get(f.st, &f.res2, &p, f.prop));
    ASSERT(p->author == NULL);
    wb_proposal_free(p);
    WB_PASS(wb_proposal_get(f.st, &f.res1, &p, f.prop));
    ASSERT_EQ_S(p->author, "bewoner1");
    wb_proposal_free(p);
    WB_PASS(wb_proposal_get(f.st, &f.admin, &p, f.prop));
    ASSERT_EQ_S(p->author, "bewoner1");
    ASSERT_EQ_I(p->user_id, f.res1.user_id);
    wb_proposal_free(p);
    /* a partner editor adopts as their own partner */
    int64_t ini;
    WB_PASS(wb_proposal_adopt(f.st, &ini, &f.edA, f.prop, 0, NULL));
    wb_initiative *in = NULL;
    WB_PASS(wb_initiative_get(f.st, &f.anon, &in, ini));
    ASSERT_EQ_I(in->proposal_id, f.prop);
    ASSERT_EQ_I(in->lead_partner_id, f.pA);
    ASSERT_EQ_S(in->title, "Bankjes op het plein");
    ASSERT_EQ_S(in->description, "Er is nergens een plek om te zitten.");
    ASSERT_EQ_S(in->status, "gepland");
    ASSERT_EQ_I(in->nthemes, 1);
    ASSERT_EQ_S(in->themes[0], "openbare ruimte");
    ASSERT_EQ_I(in->nareas, 1);
    ASSERT_EQ_S(in->areas[0], "BU09990001");
    ASSERT_EQ_I(in->area_year, 2020);
    wb_initiative_free(in);
    WB_PASS(wb_proposal_get(f.st, &f.anon, &p, f.prop));
    ASSERT_EQ_S(p->status, "adopted");
    ASSERT_EQ_I(p->initiative_id, ini);
    wb_proposal_free(p);
    /* only open proposals are adopted, declined or supported; adopted ones are not hidden */
    WB_FAILS(WB_ECONFLICT, wb_proposal_adopt(f.st, NULL, &f.admin, f.prop, f.pB, NULL));
    WB_FAILS(WB_ECONFLICT, wb_proposal_decline(f.st, &f.admin, f.prop, "nee"));
    WB_FAILS(WB_ECONFLICT, wb_proposal_hide(f.st, &f.admin, f.prop));
    wb_actor res3;
    WB_PASS(wb_auth_user_add(f.st, NULL, &f.cli, "bewoner3", WB_ROLE_RESIDENT, 0, "lang-genoeg-wachtwoord", &f.fast));
    WB_PASS(wb_actor_of_user(f.st, &res3, "bewoner3", NULL));
    WB_FAILS(WB_ECONFLICT, wb_proposal_support(f.st, &res3, f.prop));
    /* the admin adopts only with a lead partner */
    wb_proposal np;
    memset(&np, 0, sizeof np);
    np.area = "BU09990003";
    np.area_year = 2020;
    np.title = "Buurtfeest";
    np.text = "Eén keer per jaar.";
    np.theme = "meedoen en participatie";
    np.est_cost_eur = 800;
    int64_t p2, p3;
    WB_PASS(wb_proposal_add(f.st, &p2, &f.res2, &np));
    WB_PASS(wb_proposal_add(f.st, &p3, &f.admin, &np));
    WB_FAILS(WB_EINVALID, wb_proposal_adopt(f.st, NULL, &f.admin, p2, 0, NULL));
    WB_FAILS(WB_EINVALID, wb_proposal_adopt(f.st, NULL, &f.admin, p2, f.pA, "bezig"));
    WB_PASS(wb_proposal_decline(f.st, &f.edB, p2, "Dit doet de bewonersvereniging al."));
    WB_PASS(wb_proposal_get(f.st, &f.anon, &p, p2));
    ASSERT_EQ_S(p->status, "declined");
    ASSERT_EQ_S(p->decline_reason, "Dit doet de bewonersvereniging al.");
    wb_proposal_free(p);
    WB_PASS(wb_proposal_hide(f.st, &f.admin, p3));
    WB_PASS(wb_proposal_hide(f.st, &f.admin, p3)); /* again is fine */
    WB_FAILS(WB_ENOTFOUND, wb_proposal_support(f.st, &f.res2, 999));
    /* list filters */
    wb_proposal_query q = WB_PROPOSAL_QUERY_INIT;
    wb_proposal *v = NULL;
    size_t n = 0;
    q.status = "declined";
    WB_PASS(wb_proposal_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 1);
    wb_proposals_free(v, n);
    q.status = NULL;
    q.area = "WK099900"; /* buurten of the wijk */
    WB_PASS(wb_proposal_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 2); /* the hidden one is left out */
    wb_proposals_free(v, n);
    WB_PASS(wb_proposal_list(f.st, &f.admin, &v, &n, &q));
    ASSERT_EQ_I(n, 3);
    wb_proposals_free(v, n);
    cfix_close(&f);
}

TEST(collab_model, update_replaces_links_and_lists_filter)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_initiative *cur = NULL;
    WB_PASS(wb_initiative_get(f.st, &f.edA, &cur, f.iniA));
    wb_initiative in = *cur;
    char *th[] = {"jeugd", "wonen", "jeugd"}, *ar[] = {"bu09990002", " BU09990003 ", "WK099901"};
    in.themes = th;
    in.nthemes = 3;
    in.areas = ar;
    in.nareas = 3;
    WB_PASS(wb_initiative_update(f.st, &f.edA, &in));
    wb_initiative_free(cur);
    WB_PASS(wb_initiative_get(f.st, &f.anon, &cur, f.iniA));
    ASSERT_EQ_I(cur->nthemes, 2);
    ASSERT_EQ_S(cur->themes[0], "jeugd");
    ASSERT_EQ_S(cur->themes[1], "wonen");
    ASSERT_EQ_I(cur->nareas, 3);
    ASSERT_EQ_S(cur->areas[0], "BU09990002");
    ASSERT_EQ_S(cur->areas[2], "WK099901");
    wb_initiative_free(cur);

    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    wb_initiative *v = NULL;
    size_t n = 0;
    q.theme = "jeugd";
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 1);
    ASSERT_EQ_I(v[0].id, f.iniA);
    wb_initiatives_free(v, n);
    q.theme = NULL;
    q.partner_id = f.pB; /* leads iniB, contributes to iniA */
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 2);
    wb_initiatives_free(v, n);
    q.partner_id = 0;
    q.area = "BU09990101"; /* in WK099901, which iniA targets as a whole */
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 1);
    wb_initiatives_free(v, n);
    q.area = "WK099900"; /* contains BU09990001 (iniB) and BU09990002/3 (iniA) */
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 2);
    wb_initiatives_free(v, n);
    q.area = "BU09990004";
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 0);
    wb_initiatives_free(v, n);
    q.area = "GM0999"; /* everything of the gemeente in 2020 */
    q.area_year = 2020;
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 2);
    wb_initiatives_free(v, n);
    q.area_year = 2019;
    WB_PASS(wb_initiative_list(f.st, &f.anon, &v, &n, &q));
    ASSERT_EQ_I(n, 0);
    wb_initiatives_free(v, n);
    WB_FAILS(WB_ENOTFOUND, wb_initiative_get(f.st, &f.anon, &cur, 999));
    WB_FAILS(WB_ENOTFOUND, wb_initiative_delete(f.st, &f.admin, 999));
    cfix_close(&f);
}

/* One contribution of a partner (by name) to an initiative. */
static void contrib(cfix *f, int64_t ini, int64_t partner, const char *kind, double amount, const char *start,
                    const char *end)
{
    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.initiative_id = ini;
    c.partner_id = partner;
    c.kind = (char *)kind;
    c.amount = amount;
    c.start = (char *)start;
    c.end = (char *)end;
    WB_PASS(wb_contribution_add(f->st, NULL, &f->cli, &c));
}

TEST(collab_model, coalitions_change_year_by_year)
{
    cfix f;
    cfix_open(&f, NULL);
    int64_t pC;
    WB_PASS(wb_partner_add(f.st, &pC, &f.cli, "Brede school C", "onderwijs", NULL));
    /* iniB gets a coalition of its own:
     *   B: 730 euro over 2021-01-01..2022-12-31 (730 days: 365 in each year)
     *   C: 100 hours over 2022-07-01..2023-06-30 (365 days: 184 in 2022, 181 in 2023)
     *   A: 31 euro in kind over 2023-01-01..2023-01-31 */
    contrib(&f, f.iniB, f.pB, "money_eur", 730, "2021-01-01", "2022-12-31");
    contrib(&f, f.iniB, pC, "hours", 100, "2022-07-01", "2023-06-30");
    contrib(&f, f.iniB, f.pA, "in_kind", 31, "2023-01-01", "2023-01-31");
    wb_coalition_year *c = NULL;
    size_t n = 0;
    WB_PASS(wb_coalitions_by_year(f.st, &f.anon, &c, &n, f.iniB));
    ASSERT_EQ_I(n, 3);
    ASSERT_EQ_I(c[0].year, 2021);
    ASSERT_EQ_S(c[0].partners, "Politie B");
    ASSERT_EQ_S(c[0].joined, "Politie B");
    ASSERT_EQ_S(c[0].left, "");
    ASSERT_CLOSE(c[0].money_eur, 365, 1e-9);
    ASSERT_EQ_I(c[1].year, 2022);
    ASSERT_EQ_S(c[1].partners, "Brede school C, Politie B");
    ASSERT_EQ_S(c[1].joined, "Brede school C");
    ASSERT_CLOSE(c[1].money_eur, 365, 1e-9);
    ASSERT_CLOSE(c[1].hours, 100.0 * 184 / 365, 1e-9);
    ASSERT_EQ_I(c[2].year, 2023);
    ASSERT_EQ_I(c[2].npartners, 2);
    ASSERT_EQ_S(c[2].partners, "Brede school C, Woonstichting A");
    ASSERT_EQ_S(c[2].joined, "Woonstichting A");
    ASSERT_EQ_S(c[2].left, "Politie B");
    ASSERT_CLOSE(c[2].hours, 100.0 * 181 / 365, 1e-9);
    ASSERT_CLOSE(c[2].in_kind_eur, 31, 1e-9);
    ASSERT_CLOSE(c[2].money_eur, 0, 0);
    wb_coalitions_free(c, n);
    /* all initiatives: iniA (2021, fixture) and iniB */
    WB_PASS(wb_coalitions_by_year(f.st, &f.anon, &c, &n, 0));
    ASSERT_EQ_I(n, 4);
    ASSERT_EQ_I(c[0].initiative_id, f.iniA);
    ASSERT_EQ_S(c[0].partners, "Politie B, Woonstichting A");
    wb_coalitions_free(c, n);
    /* at a moment */
    char *at = NULL;
    WB_PASS(wb_coalition_at(f.st, &f.anon, &at, f.iniB, "2022-06-30"));
    ASSERT_EQ_S(at, "Politie B");
    wb_free(at);
    WB_PASS(wb_coalition_at(f.st, &f.anon, &at, f.iniB, "01-07-2022"));
    ASSERT_EQ_S(at, "Brede school C, Politie B");
    wb_free(at);
    WB_PASS(wb_coalition_at(f.st, &f.anon, &at, f.iniB, "2024-01-01"));
    ASSERT_EQ_S(at, "");
    wb_free(at);
    WB_FAILS(WB_EINVALID, wb_coalition_at(f.st, &f.anon, &at, f.iniB, "gisteren"));
    WB_FAILS(WB_ENOTFOUND, wb_coalition_at(f.st, &f.anon, &at, 999, "2022-01-01"));
    WB_FAILS(WB_ENOTFOUND, wb_coalitions_by_year(f.st, &f.anon, &c, &n, 999));
    /* with the monitor closed, visitors see no coalitions */
    WB_PASS(wb_setting_set(f.st, &f.admin, "monitor_public", "0"));
    WB_FAILS(WB_EDENIED, wb_coalitions_by_year(f.st, &f.anon, &c, &n, 0));
    WB_PASS(wb_coalitions_by_year(f.st, &f.viewer, &c, &n, 0));
    wb_coalitions_free(c, n);
    cfix_close(&f);
}

TEST(collab_model, partners_by_areas_by_themes)
{
    cfix f;
    cfix_open(&f, NULL);
    /* iniA (lead A, 2021-2023, veiligheid, BU09990001): A 1000 euro and B 40 hours in 2021.
     * iniB (lead B, same period, theme and buurt): no contributions. */
    wb_collab_cell *c = NULL;
    size_t n = 0;
    WB_PASS(wb_collab_matrix(f.st, &f.anon, &c, &n, 0));
    ASSERT_EQ_I(n, 2);
    ASSERT_EQ_S(c[0].partner, "Politie B"); /* by partner name */
    ASSERT_EQ_S(c[0].code, "BU09990001");
    ASSERT_EQ_S(c[0].theme, "veiligheid");
    ASSERT_EQ_I(c[0].initiatives, 2); /* leads iniB, contributes to iniA */
    ASSERT_CLOSE(c[0].hours, 40, 0);
    ASSERT_EQ_S(c[1].partner, "Woonstichting A");
    ASSERT_EQ_I(c[1].initiatives, 1);
    ASSERT_CLOSE(c[1].money_eur, 1000, 0);
    wb_collab_cells_free(c, n);
    /* 2022: the contributions were of 2021 only; both leads remain */
    WB_PASS(wb_collab_matrix(f.st, &f.anon, &c, &n, 2022));
    ASSERT_EQ_I(n, 2);
    ASSERT_EQ_I(c[0].initiatives, 1); /* B only leads iniB in 2022 */
    ASSERT_CLOSE(c[0].hours, 0, 0);
    ASSERT_CLOSE(c[1].money_eur, 0, 0);
    wb_collab_cells_free(c, n);
    /* 2024: after both initiatives ended */
    WB_PASS(wb_collab_matrix(f.st, &f.anon, &c, &n, 2024));
    ASSERT_EQ_I(n, 0);
    wb_collab_cells_free(c, n);
    /* half a year of a contribution counts half in each year (pro rata by days):
     * 181 days of 2021-07-01..2022-06-30 (365 days) fall in 2022 */
    contrib(&f, f.iniA, f.pA, "money_eur", 365, "2021-07-01", "2022-06-30");
    WB_PASS(wb_collab_matrix(f.st, &f.anon, &c, &n, 2022));
    ASSERT_CLOSE(c[1].money_eur, 181, 1e-9);
    wb_collab_cells_free(c, n);
    WB_FAILS(WB_EINVALID, wb_collab_matrix(f.st, &f.anon, &c, &n, 12));
    cfix_close(&f);
}

TEST(collab_model, migration_upgrades_a_version_1_store)
{
    const char *path = wbt_tmp("v1.db");
    sqlite3 *db = NULL;
    ASSERT(sqlite3_open(path, &db) == SQLITE_OK);
    /* exactly what a version-1 wijkbeeld wrote */
    ASSERT(sqlite3_exec(db, wb_migrations[0], NULL, NULL, NULL) == SQLITE_OK);
    ASSERT(sqlite3_exec(db, "PRAGMA user_version = 1;"
                            "INSERT INTO area(code, year, level, name, parent) VALUES"
                            " ('GM0999', 2020, 'gemeente', 'Testdorp', 'NL00'),"
                            " ('BU09990001', 2020, 'buurt', 'Centrum', 'WK099900');"
                            "INSERT INTO indicator(key) VALUES ('lbm');"
                            "INSERT INTO observation VALUES (1, 2, 2020, 0.25);",
                        NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, 0));
    ASSERT_EQ_I(wb_store_schema_version(st), WB_STORE_SCHEMA_VERSION);
    ASSERT(WB_STORE_SCHEMA_VERSION >= 2); /* 3: observations in chunks (src/store/obs.c) */
    /* the old data is intact, the new tables exist with the fixed themes */
    ASSERT_EQ_I(cfix_int(st, "SELECT count(*) FROM area"), 2);
    ASSERT_EQ_I(cfix_int(st, "SELECT count(*) FROM observation WHERE value = 0.25"), 1);
    ASSERT_EQ_I(cfix_int(st, "SELECT count(*) FROM theme WHERE builtin = 1"), 9);
    ASSERT_EQ_I(cfix_int(st, "SELECT count(*) FROM setting WHERE key = 'monitor_public' AND value = '1'"), 1);
    static const char *const tables[] = {"users", "login_failure", "session", "partner", "theme", "initiative",
                                         "initiative_theme", "initiative_area", "initiative_target", "milestone",
                                         "contribution", "proposal", "support", "audit_log", "setting"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", tables[i]);
        ASSERT_MSG(cfix_int(st, sql) == 1, "table %s missing after migration", tables[i]);
    }
    /* and it works: an initiative on the old area */
    wb_actor cli;
    wb_actor_cli(&cli, "tester");
    int64_t p, ini;
    WB_PASS(wb_partner_add(st, &p, &cli, "Gemeente Testdorp", "gemeente", NULL));
    char *ar[] = {"BU09990001"};
    wb_initiative in;
    memset(&in, 0, sizeof in);
    in.title = "Na de migratie";
    in.lead_partner_id = p;
    in.areas = ar;
    in.nareas = 1;
    in.area_year = 2020;
    WB_PASS(wb_initiative_add(st, &ini, &cli, &in));
    wb_store_free(st);
    /* opening again does not migrate twice */
    WB_PASS(wb_store_open(&st, path, 0));
    ASSERT_EQ_I(cfix_int(st, "SELECT count(*) FROM theme"), 9);
    wb_store_free(st);
}

TEST(collab_model, database_constraints_back_the_validation)
{
    /* even a caller that bypasses the library cannot store these */
    cfix f;
    cfix_open(&f, NULL);
    sqlite3 *db = wb_store__db(f.st);
    static const char *const bad[] = {
        "UPDATE contribution SET amount = -1",
        "UPDATE contribution SET end_date = '2020-01-01'",
        "UPDATE initiative SET end_date = '2000-01-01'",
        "UPDATE initiative SET start_date = '2021-02-30'",
        "UPDATE initiative SET status = 'bezig'",
        "UPDATE initiative SET lead_partner_id = 999",
        "INSERT INTO milestone(initiative_id, title, progress) VALUES (1, 'x', 101)",
        "UPDATE users SET hash = 'plaintext'",
        "UPDATE users SET partner_id = NULL WHERE role = 'partner'",
        "UPDATE proposal SET status = 'declined'",
        "INSERT INTO support(proposal_id, user_id) VALUES (1, 999)",
        "UPDATE partner SET type = 'kerk'",
        "UPDATE initiative SET title = ''",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ASSERT_MSG(sqlite3_exec(db, bad[i], NULL, NULL, NULL) != SQLITE_OK, "accepted: %s", bad[i]);
    cfix_close(&f);
}
