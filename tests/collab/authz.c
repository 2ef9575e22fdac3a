/** @file @brief The authorisation matrix: every role x every action, through the library
 *  functions the CLI and the web API call. A refused action returns WB_EDENIED and leaves
 *  every table of the store exactly as it was; an allowed write changes the store and adds
 *  an audit entry. */
#include <stdlib.h>

#include "collab/cfix.h"

enum { R_ADMIN, R_EDA, R_EDB, R_RES1, R_RES2, R_VIEWER, R_ANON, R__MAX };
static const char *const role_label[R__MAX] = {"admin", "editor A", "editor B", "resident 1",
                                               "resident 2", "viewer", "logged out"};
static const char *const own_name[R__MAX] = {"beheerder", "editor-a", "editor-b", "bewoner1",
                                             "bewoner2", "kijker", "bewoner1"};

static const wb_actor *actor_of(cfix *f, int r)
{
    const wb_actor *a[R__MAX] = {&f->admin, &f->edA, &f->edB, &f->res1, &f->res2, &f->viewer, &f->anon};
    return a[r];
}

static wb_initiative base_initiative(int64_t lead, char **themes, char **areas)
{
    wb_initiative in;
    memset(&in, 0, sizeof in);
    in.title = "Nieuw initiatief";
    in.status = "gepland";
    in.start = "2024-01-01";
    in.end = "2024-12-31";
    in.lead_partner_id = lead;
    in.themes = themes;
    in.nthemes = 1;
    in.areas = areas;
    in.nareas = 1;
    in.area_year = 2020;
    return in;
}

typedef int (*action_fn)(cfix *f, const wb_actor *a, int role);

static int a_read_monitor(cfix *f, const wb_actor *a, int role)
{
    return wb_authorize_in(f->st, a, WB_ACT_READ_MONITOR, NULL);
}

static int a_read_register(cfix *f, const wb_actor *a, int role)
{
    wb_initiative *v = NULL;
    size_t n = 0;
    int rc = wb_initiative_list(f->st, a, &v, &n, NULL);
    if (rc == 0)
        ASSERT_EQ_I(n, 2);
    wb_initiatives_free(v, n);
    return rc;
}

static int create_with_lead(cfix *f, const wb_actor *a, int64_t lead)
{
    char *th[] = {"jeugd"}, *ar[] = {"BU09990002"};
    wb_initiative in = base_initiative(lead, th, ar);
    return wb_initiative_add(f->st, NULL, a, &in);
}

static int a_create_ini_A(cfix *f, const wb_actor *a, int role)
{
    return create_with_lead(f, a, f->pA);
}

static int a_create_ini_B(cfix *f, const wb_actor *a, int role)
{
    return create_with_lead(f, a, f->pB);
}

static int edit(cfix *f, const wb_actor *a, int64_t id, int64_t new_lead)
{
    wb_initiative *cur = NULL;
    WB_PASS(wb_initiative_get(f->st, &f->cli, &cur, id));
    wb_initiative in = *cur;
    in.title = "Nieuwe titel";
    if (new_lead)
        in.lead_partner_id = new_lead;
    int rc = wb_initiative_update(f->st, a, &in);
    wb_initiative_free(cur);
    return rc;
}

static int a_edit_ini_A(cfix *f, const wb_actor *a, int role)
{
    return edit(f, a, f->iniA, 0);
}

static int a_edit_ini_B(cfix *f, const wb_actor *a, int role)
{
    return edit(f, a, f->iniB, 0);
}

static int a_move_ini_A_to_B(cfix *f, const wb_actor *a, int role)
{
    return edit(f, a, f->iniA, f->pB);
}

static int a_delete_ini_A(cfix *f, const wb_actor *a, int role)
{
    return wb_initiative_delete(f->st, a, f->iniA);
}

static int a_milestone_A(cfix *f, const wb_actor *a, int role)
{
    wb_milestone m;
    memset(&m, 0, sizeof m);
    m.initiative_id = f->iniA;
    m.title = "Eerste resultaat";
    m.progress = 50;
    return wb_milestone_add(f->st, NULL, a, &m);
}

static int contribute(cfix *f, const wb_actor *a, int64_t partner, int64_t initiative)
{
    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.initiative_id = initiative;
    c.partner_id = partner;
    c.kind = "hours";
    c.amount = 10;
    c.start = "2022-01-01";
    c.end = "2022-06-30";
    return wb_contribution_add(f->st, NULL, a, &c);
}

static int a_contrib_A_to_iniB(cfix *f, const wb_actor *a, int role)
{
    return contribute(f, a, f->pA, f->iniB);
}

static int a_contrib_B_to_iniA(cfix *f, const wb_actor *a, int role)
{
    return contribute(f, a, f->pB, f->iniA);
}

static int a_edit_contrib_B(cfix *f, const wb_actor *a, int role)
{
    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.id = f->contribB;
    c.kind = "hours";
    c.amount = 80;
    c.start = "2021-01-01";
    c.end = "2021-12-31";
    return wb_contribution_update(f->st, a, &c);
}

static int a_delete_contrib_A(cfix *f, const wb_actor *a, int role)
{
    return wb_contribution_delete(f->st, a, f->contribA);
}

static int a_file_proposal(cfix *f, const wb_actor *a, int role)
{
    wb_proposal p;
    memset(&p, 0, sizeof p);
    p.area = "BU09990002";
    p.area_year = 2020;
    p.title = "Speeltuin";
    p.text = "Een speeltuin voor de kleintjes.";
    p.theme = "jeugd";
    p.est_cost_eur = 1500;
    return wb_proposal_add(f->st, NULL, a, &p);
}

static int a_support(cfix *f, const wb_actor *a, int role)
{
    return wb_proposal_support(f->st, a, f->prop);
}

static int a_adopt_lead_A(cfix *f, const wb_actor *a, int role)
{
    return wb_proposal_adopt(f->st, NULL, a, f->prop, f->pA, NULL);
}

static int a_decline(cfix *f, const wb_actor *a, int role)
{
    return wb_proposal_decline(f->st, a, f->prop, "Past niet in het budget van dit jaar.");
}

static int a_hide(cfix *f, const wb_actor *a, int role)
{
    return wb_proposal_hide(f->st, a, f->prop);
}

static int a_user_add(cfix *f, const wb_actor *a, int role)
{
    return wb_auth_user_add(f->st, NULL, a, "nieuw", WB_ROLE_VIEWER, 0, "een-lang-wachtwoord", &f->fast);
}

static int a_user_list(cfix *f, const wb_actor *a, int role)
{
    wb_user *u = NULL;
    size_t n = 0;
    int rc = wb_auth_user_list(f->st, a, &u, &n);
    wb_users_free(u, n);
    return rc;
}

static int a_passwd_admin(cfix *f, const wb_actor *a, int role)
{
    return wb_auth_user_passwd(f->st, a, "beheerder", "een-ander-wachtwoord", &f->fast);
}

static int a_passwd_own(cfix *f, const wb_actor *a, int role)
{
    return wb_auth_user_passwd(f->st, a, own_name[role], "een-ander-wachtwoord", &f->fast);
}

static int a_disable_user(cfix *f, const wb_actor *a, int role)
{
    return wb_auth_user_disable(f->st, a, "bewoner2", 1);
}

static int a_partner_add(cfix *f, const wb_actor *a, int role)
{
    return wb_partner_add(f->st, NULL, a, "Nieuwe partner", "overig", NULL);
}

static int a_partner_edit(cfix *f, const wb_actor *a, int role)
{
    wb_partner p = {f->pA, "Woonstichting A (nieuw)", "woningcorporatie", NULL};
    return wb_partner_update(f->st, a, &p);
}

static int a_theme_add(cfix *f, const wb_actor *a, int role)
{
    return wb_theme_add(f->st, NULL, a, "cultuur");
}

static int a_setting(cfix *f, const wb_actor *a, int role)
{
    return wb_setting_set(f->st, a, "monitor_public", "0");
}

static int a_audit_read(cfix *f, const wb_actor *a, int role)
{
    wb_audit_entry *e = NULL;
    size_t n = 0;
    int rc = wb_audit_list(f->st, a, &e, &n, NULL, 0, 0);
    wb_audit_free(e, n);
    return rc;
}

enum { SETUP_NONE, SETUP_CLOSED, SETUP_SUPPORTED };

static const struct {
    const char *name;
    action_fn fn;
    int writes;
    int setup;
    const char *expect; /* per role in enum order: Y allowed, n refused with WB_EDENIED */
} actions[] = {
    /*                                                          admin edA edB res1 res2 view anon */
    {"read monitor", a_read_monitor, 0, SETUP_NONE, "YYYYYYY"},
    {"read monitor (closed by admin)", a_read_monitor, 0, SETUP_CLOSED, "YYYYYYn"},
    {"read register", a_read_register, 0, SETUP_NONE, "YYYYYYY"},
    {"read register (closed by admin)", a_read_register, 0, SETUP_CLOSED, "YYYYYYn"},
    {"create initiative led by A", a_create_ini_A, 1, SETUP_NONE, "YYnnnnn"},
    {"create initiative led by B", a_create_ini_B, 1, SETUP_NONE, "YnYnnnn"},
    {"edit initiative of A", a_edit_ini_A, 1, SETUP_NONE, "YYnnnnn"},
    {"edit initiative of B", a_edit_ini_B, 1, SETUP_NONE, "YnYnnnn"},
    {"hand initiative of A to lead B", a_move_ini_A_to_B, 1, SETUP_NONE, "Ynnnnnn"},
    {"delete initiative of A", a_delete_ini_A, 1, SETUP_NONE, "Ynnnnnn"},
    {"add milestone to initiative of A", a_milestone_A, 1, SETUP_NONE, "YYnnnnn"},
    {"add contribution of A (to B's initiative)", a_contrib_A_to_iniB, 1, SETUP_NONE, "YYnnnnn"},
    {"add contribution of B (to A's initiative)", a_contrib_B_to_iniA, 1, SETUP_NONE, "YnYnnnn"},
    {"edit contribution of B", a_edit_contrib_B, 1, SETUP_NONE, "YnYnnnn"},
    {"delete contribution of A", a_delete_contrib_A, 1, SETUP_NONE, "YYnnnnn"},
    {"file proposal", a_file_proposal, 1, SETUP_NONE, "YnnYYnn"},
    {"support proposal of resident 1", a_support, 1, SETUP_NONE, "nnnnYnn"},
    {"support proposal a second time", a_support, 1, SETUP_SUPPORTED, "nnnnnnn"},
    {"adopt proposal (lead A)", a_adopt_lead_A, 1, SETUP_NONE, "YYnnnnn"},
    {"decline proposal", a_decline, 1, SETUP_NONE, "YYYnnnn"},
    {"hide proposal", a_hide, 1, SETUP_NONE, "Ynnnnnn"},
    {"add user", a_user_add, 1, SETUP_NONE, "Ynnnnnn"},
    {"list users", a_user_list, 0, SETUP_NONE, "Ynnnnnn"},
    {"disable user", a_disable_user, 1, SETUP_NONE, "Ynnnnnn"},
    {"change the admin's password", a_passwd_admin, 1, SETUP_NONE, "Ynnnnnn"},
    {"change own password", a_passwd_own, 1, SETUP_NONE, "YYYYYYn"},
    {"add partner", a_partner_add, 1, SETUP_NONE, "Ynnnnnn"},
    {"edit partner", a_partner_edit, 1, SETUP_NONE, "Ynnnnnn"},
    {"add theme", a_theme_add, 1, SETUP_NONE, "Ynnnnnn"},
    {"change settings", a_setting, 1, SETUP_NONE, "Ynnnnnn"},
    {"read audit log", a_audit_read, 0, SETUP_NONE, "Ynnnnnn"},
};

TEST(collab_authz, matrix_every_role_every_action)
{
    size_t checked = 0;
    for (size_t k = 0; k < sizeof actions / sizeof actions[0]; k++) {
        ASSERT_EQ_I(strlen(actions[k].expect), R__MAX);
        for (int r = 0; r < R__MAX; r++) {
            cfix f;
            cfix_open(&f, NULL);
            if (actions[k].setup == SETUP_CLOSED)
                WB_PASS(wb_setting_set(f.st, &f.cli, "monitor_public", "0"));
            if (actions[k].setup == SETUP_SUPPORTED)
                WB_PASS(wb_proposal_support(f.st, &f.res2, f.prop));
            char *before = cfix_snapshot(f.st);
            long long audits = cfix_int(f.st, "SELECT count(*) FROM audit_log");
            wb_error_clear();
            int rc = actions[k].fn(&f, actor_of(&f, r), r);
            char *after = cfix_snapshot(f.st);
            int allowed = actions[k].expect[r] == 'Y';
            if (allowed) {
                ASSERT_MSG(rc == 0, "%s by %s: expected allowed, got %d (%s)", actions[k].name,
                           role_label[r], rc, wb_error_last()->message);
                if (actions[k].writes) {
                    ASSERT_MSG(strcmp(before, after) != 0, "%s by %s: allowed but nothing changed",
                               actions[k].name, role_label[r]);
                    ASSERT_MSG(cfix_int(f.st, "SELECT count(*) FROM audit_log") > audits,
                               "%s by %s: no audit entry", actions[k].name, role_label[r]);
                } else {
                    ASSERT_MSG(!strcmp(before, after), "%s by %s: a read changed the store",
                               actions[k].name, role_label[r]);
                }
            } else {
                ASSERT_MSG(rc == WB_EDENIED, "%s by %s: expected WB_EDENIED, got %d (%s)", actions[k].name,
                           role_label[r], rc, wb_error_last()->message);
                ASSERT_MSG(strstr(wb_error_last()->message, "denied") ||
                               strstr(wb_error_last()->message, "closed"),
                           "%s by %s: message '%s'", actions[k].name, role_label[r], wb_error_last()->message);
                ASSERT_MSG(!strcmp(before, after), "%s by %s: refused, yet the store changed",
                           actions[k].name, role_label[r]);
            }
            wb_free(before);
            wb_free(after);
            cfix_close(&f);
            checked++;
        }
    }
    ASSERT_EQ_I(checked, (sizeof actions / sizeof actions[0]) * R__MAX);
}

TEST(collab_authz, pure_function_edge_cases)
{
    wb_policy open = {1}, closed = {0};
    wb_owner ownA = {3, 0}, nobody = {0, 0};
    /* a partner editor without a partner is refused, even against an owner of 0 */
    wb_actor broken = {7, WB_ROLE_PARTNER, 0, "broken"};
    WB_FAILS(WB_EDENIED, wb_authorize(&open, &broken, WB_ACT_INITIATIVE_EDIT, &nobody));
    WB_FAILS(WB_EDENIED, wb_authorize(&open, &broken, WB_ACT_PROPOSAL_DECLINE, &nobody));
    /* owner unknown (NULL) refuses partner editors for owner-dependent actions */
    wb_actor ed = {8, WB_ROLE_PARTNER, 3, "ed"};
    WB_FAILS(WB_EDENIED, wb_authorize(&open, &ed, WB_ACT_INITIATIVE_EDIT, NULL));
    WB_PASS(wb_authorize(&open, &ed, WB_ACT_INITIATIVE_EDIT, &ownA));
    /* an out-of-range role or action is refused */
    wb_actor odd = {9, (wb_role)42, 0, "odd"};
    WB_FAILS(WB_EDENIED, wb_authorize(&open, &odd, WB_ACT_INITIATIVE_CREATE, &ownA));
    WB_FAILS(WB_EDENIED, wb_authorize(&closed, &odd, WB_ACT_READ_MONITOR, NULL));
    WB_FAILS(WB_EDENIED, wb_authorize(&open, &ed, (wb_action)99, &ownA));
    /* anonymous: monitor follows the policy; NULL actor is anonymous */
    WB_PASS(wb_authorize(&open, NULL, WB_ACT_READ_MONITOR, NULL));
    WB_FAILS(WB_EDENIED, wb_authorize(&closed, NULL, WB_ACT_READ_MONITOR, NULL));
    /* every action is refused to an anonymous visitor except reading */
    for (int act = 0; act < WB_ACT__MAX; act++) {
        int rc = wb_authorize(&open, NULL, (wb_action)act, &ownA);
        if (act == WB_ACT_READ_MONITOR || act == WB_ACT_READ_REGISTER)
            ASSERT_EQ_I(rc, 0);
        else
            ASSERT_EQ_I(rc, WB_EDENIED);
        ASSERT(wb_action_name((wb_action)act) != NULL);
    }
    /* a resident never supports without an account id */
    wb_actor res0 = {0, WB_ROLE_RESIDENT, 0, "res0"};
    WB_FAILS(WB_EDENIED, wb_authorize(&open, &res0, WB_ACT_PROPOSAL_SUPPORT, &nobody));
}

TEST(collab_authz, hidden_proposals_are_invisible_to_everyone_but_the_admin)
{
    cfix f;
    cfix_open(&f, NULL);
    WB_PASS(wb_proposal_hide(f.st, &f.admin, f.prop));
    wb_proposal *p = NULL, *v = NULL;
    size_t n = 0;
    WB_FAILS(WB_ENOTFOUND, wb_proposal_get(f.st, &f.res1, &p, f.prop));
    WB_FAILS(WB_ENOTFOUND, wb_proposal_support(f.st, &f.res2, f.prop));
    WB_FAILS(WB_ENOTFOUND, wb_proposal_decline(f.st, &f.edA, f.prop, "nee"));
    WB_PASS(wb_proposal_list(f.st, &f.res2, &v, &n, NULL));
    ASSERT_EQ_I(n, 0);
    wb_proposals_free(v, n);
    WB_PASS(wb_proposal_get(f.st, &f.admin, &p, f.prop));
    ASSERT_EQ_S(p->status, "hidden");
    wb_proposal_free(p);
    WB_PASS(wb_proposal_list(f.st, &f.admin, &v, &n, NULL));
    ASSERT_EQ_I(n, 1);
    wb_proposals_free(v, n);
    cfix_close(&f);
}
