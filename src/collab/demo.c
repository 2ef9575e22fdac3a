/** @file @brief Demo data for the register: partners, accounts, initiatives with changing
 *  coalitions, milestones, proposals, with one planted gap and one planted overlap. */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

static const char *const dims[] = {"lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv"};
/* the theme closest to each dimension, for the gap buurt's (unanswered) proposal */
static const char *const dim_theme[] = {"wonen", "openbare ruimte", "gezondheid",
                                        "meedoen en participatie", "veiligheid"};

/* Value of an indicator for an area code in a data year; NaN when absent. */
static double value_of(wb_store *st, const char *key, const char *code, int byear, int year)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = code;
    q.boundary_year = byear;
    q.year = year;
    wb_value *v = NULL;
    size_t n = 0;
    double out = NAN;
    if (wb_store_values(st, &v, &n, NULL, &q) == 0 && n > 0)
        out = v[n - 1].value;
    wb_free(v);
    wb_error_clear();
    return out;
}

/* The break year of the Dutch livability series (policy changed after 2012; BRIEF). */
#define BREAK_YEAR 2012

/*
 * The gap buurt: among buurten whose lbm fell since the break year 2012 (or since the first
 * data year when 2012 is not inside the data), the one with the lowest value in the last
 * data year; without a decline anywhere, the lowest. Returns -1 when there are no lbm
 * values for these buurten.
 */
static int pick_gap(wb_store *st, const char *gm, const wb_area *b, size_t nb, int *data_year)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = "lbm";
    q.boundary_year = b[0].year;
    q.level = WB_LEVEL_BUURT;
    q.within = gm;
    wb_value *v = NULL;
    size_t n = 0;
    if (wb_store_values(st, &v, &n, NULL, &q) < 0 || n == 0) {
        wb_free(v);
        wb_error_clear();
        return -1;
    }
    int first = v[0].year, last = v[n - 1].year; /* ordered by data year */
    if (first <= BREAK_YEAR && BREAK_YEAR < last)
        first = BREAK_YEAR;
    int best = -1, best_declining = -1;
    double bestv = INFINITY, bestdv = INFINITY;
    for (size_t i = 0; i < nb; i++) {
        double a = NAN, z = NAN;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(v[k].code, b[i].code))
                continue;
            if (v[k].year == first)
                a = v[k].value;
            if (v[k].year == last)
                z = v[k].value;
        }
        if (isnan(z))
            continue;
        if (z < bestv) {
            bestv = z;
            best = (int)i;
        }
        if (!isnan(a) && last > first && z < a && z < bestdv) {
            bestdv = z;
            best_declining = (int)i;
        }
    }
    wb_free(v);
    *data_year = last;
    return best_declining >= 0 ? best_declining : best;
}

static void random_password(char out[32])
{
    unsigned char raw[15];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, 32, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

typedef struct {
    wb_store *st;
    const wb_actor *admin;
    int year;  /* boundary year */
    wb_collab_demo_result *out;
} demo_ctx;

static int add_initiative(demo_ctx *d, int64_t *id, const char *title, const char *descr,
                          const char *status, const char *start, const char *end, int64_t lead,
                          const char *themes, const char *areas, const char *targets)
{
    /* themes and areas as '|'-separated lists, targets as "key:up|key:down" */
    char tb[256], ab[256], gb[256];
    char *tv[8], *av[8];
    wb_initiative_target tg[8];
    wb_initiative in;
    memset(&in, 0, sizeof in);
    snprintf(tb, sizeof tb, "%s", themes);
    snprintf(ab, sizeof ab, "%s", areas);
    snprintf(gb, sizeof gb, "%s", targets ? targets : "");
    for (char *p = strtok(tb, "|"); p && in.nthemes < 8; p = strtok(NULL, "|"))
        tv[in.nthemes++] = p;
    for (char *p = strtok(ab, "|"); p && in.nareas < 8; p = strtok(NULL, "|"))
        av[in.nareas++] = p;
    for (char *p = strtok(gb, "|"); p && in.ntargets < 8; p = strtok(NULL, "|")) {
        char *c = strchr(p, ':');
        *c = 0;
        snprintf(tg[in.ntargets].indicator, sizeof tg[0].indicator, "%s", p);
        tg[in.ntargets++].direction = !strcmp(c + 1, "up") ? 1 : -1;
    }
    in.title = (char *)title;
    in.description = (char *)descr;
    in.status = (char *)status;
    in.start = (char *)start;
    in.end = (char *)end;
    in.lead_partner_id = lead;
    in.themes = tv;
    in.areas = av;
    in.area_year = d->year;
    in.targets = tg;
    int error = wb_initiative_add(d->st, id, d->admin, &in);
    if (error == 0)
        d->out->initiatives++;
    return error;
}

static int add_contrib(demo_ctx *d, int64_t initiative, int64_t partner, const char *kind,
                       double amount, const char *start, const char *end, const char *note)
{
    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.initiative_id = initiative;
    c.partner_id = partner;
    c.kind = (char *)kind;
    c.amount = amount;
    c.start = (char *)start;
    c.end = (char *)end;
    c.note = (char *)note;
    int error = wb_contribution_add(d->st, NULL, d->admin, &c);
    if (error == 0)
        d->out->contributions++;
    return error;
}

static int add_milestone(demo_ctx *d, int64_t initiative, const char *title, const char *due,
                         int progress, const char *note)
{
    wb_milestone m;
    memset(&m, 0, sizeof m);
    m.initiative_id = initiative;
    m.title = (char *)title;
    m.due = (char *)due;
    m.progress = progress;
    m.note = (char *)note;
    return wb_milestone_add(d->st, NULL, d->admin, &m);
}

static int add_account(demo_ctx *d, int64_t *id, const char *name, wb_role role, int64_t partner,
                       const wb_auth_opts *o)
{
    wb_demo_account *a = &d->out->accounts[d->out->naccounts];
    snprintf(a->name, sizeof a->name, "%s", name);
    a->role = role;
    random_password(a->password);
    int error = wbc_user_add(d->st, id, d->admin, name, role, partner, a->password, o);
    if (error == 0)
        d->out->naccounts++;
    return error;
}

static int file_proposal(demo_ctx *d, int64_t *id, const char *author, const char *area,
                         const char *title, const char *text, const char *theme, double cost)
{
    wb_actor who;
    int error = wb_actor_of_user(d->st, &who, author, "demo");
    if (error < 0)
        return error;
    wb_proposal p;
    memset(&p, 0, sizeof p);
    p.area = (char *)area;
    p.area_year = d->year;
    p.title = (char *)title;
    p.text = (char *)text;
    p.theme = (char *)theme;
    p.est_cost_eur = cost;
    if ((error = wb_proposal_add(d->st, id, &who, &p)) == 0)
        d->out->proposals++;
    return error;
}

static int support(demo_ctx *d, const char *who_name, int64_t proposal)
{
    wb_actor who;
    int error = wb_actor_of_user(d->st, &who, who_name, "demo");
    if (error == 0 && (error = wb_proposal_support(d->st, &who, proposal)) == 0)
        d->out->supports++;
    return error;
}

static int fill(demo_ctx *d, const wb_area *gm, const wb_area *b, size_t nb, int gap,
                const wb_auth_opts *o)
{
    wb_store *st = d->st;
    wb_collab_demo_result *out = d->out;
    int error;
    /* the buurten other than the gap, by code */
    const char *bu[6];
    for (size_t k = 0, j = 0; k < 6; k++) {
        while ((int)(j % nb) == gap)
            j++;
        bu[k] = b[j % nb].code;
        j++;
    }
    snprintf(out->overlap_area, sizeof out->overlap_area, "%s", bu[0]);

    char gname[160];
    snprintf(gname, sizeof gname, "Gemeente %s", gm && gm->name ? gm->name : b[0].parent);
    int64_t P_gem, P_lin, P_ank, P_wel, P_pol, P_sch, P_bew, P_ond;
    struct {
        int64_t *id;
        const char *name, *type, *contact;
    } partners[] = {
        {&P_gem, gname, "gemeente", "wijkaanpak@example.org"},
        {&P_lin, "Woonstichting De Linden", "woningcorporatie", "leefbaarheid@delinden.example.org"},
        {&P_ank, "Wooncorporatie Het Anker", "woningcorporatie", "wijkconsulent@hetanker.example.org"},
        {&P_wel, "Welzijn Samen", "zorg en welzijn", "info@welzijnsamen.example.org"},
        {&P_pol, "Politie basisteam Centrum", "politie", "wijkagent@politie.example.org"},
        {&P_sch, "Brede school De Regenboog", "onderwijs", "directie@regenboog.example.org"},
        {&P_bew, "Bewonersvereniging Ons Plein", "bewonersorganisatie", "bestuur@onsplein.example.org"},
        {&P_ond, "Ondernemersvereniging Winkelhart", "ondernemers", "secretaris@winkelhart.example.org"},
    };
    for (size_t i = 0; i < sizeof partners / sizeof partners[0]; i++) {
        if ((error = wb_partner_add(st, partners[i].id, d->admin, partners[i].name, partners[i].type,
                                    partners[i].contact)) < 0)
            return error;
        out->partners++;
    }

    char a2[64], a34[64], a12[64];
    snprintf(a2, sizeof a2, "%s", bu[2]);
    snprintf(a34, sizeof a34, "%s|%s", bu[3], bu[4]);
    snprintf(a12, sizeof a12, "%s|%s", bu[1], bu[2]);

    int64_t I1, I2, I3, I4, I5, I6, I7, I8;
    /* the planted overlap: two leads, one theme, one buurt, overlapping periods */
    if ((error = add_initiative(d, &I1, "Buurtpreventie en betere verlichting",
                                "Buurtpreventieteam met bewoners, schouwen en extra lantaarnpalen op donkere plekken.",
                                "lopend", "2021-01-01", "2024-12-31", P_pol, "veiligheid", bu[0],
                                "lbm_onv:up|g_misdr:down")) < 0 ||
        (error = add_initiative(d, &I2, "Veilig wonen: hang- en sluitwerk",
                                "Inbraakwerend hang- en sluitwerk en portiekverlichting in de huurwoningen.",
                                "lopend", "2022-03-01", "2025-06-30", P_lin, "veiligheid|wonen", bu[0],
                                "lbm_onv:up")) < 0 ||
        (error = add_initiative(d, &I3, "Energiecoaches aan huis",
                                "Vrijwillige energiecoaches geven huishoudens advies en kleine maatregelen.",
                                "afgerond", "2019-01-01", "2023-12-31", P_gem, "verduurzaming en energie|armoede en schulden",
                                a12, "g_gas:down|g_ele:down")) < 0 ||
        (error = add_initiative(d, &I4, "Huiswerkbegeleiding en naschoolse activiteiten",
                                "Begeleiding na school voor kinderen uit de buurt, met sport en cultuur.",
                                "lopend", "2020-09-01", "2026-07-31", P_sch, "jeugd", a2, "p_opl_laag:down")) < 0 ||
        (error = add_initiative(d, &I5, "Schuldhulp aan de keukentafel",
                                "Vroegsignalering van betalingsachterstanden met huisbezoeken.",
                                "lopend", "2021-06-01", "2025-12-31", P_wel, "armoede en schulden", bu[3],
                                "p_hh_li:down")) < 0 ||
        (error = add_initiative(d, &I6, "Groene binnentuinen",
                                "Bewoners en corporatie vergroenen samen de binnentuinen.",
                                "lopend", "2023-04-01", "2026-10-31", P_ank, "openbare ruimte|meedoen en participatie",
                                a34, "lbm_fys:up|lbm_soc:up")) < 0 ||
        (error = add_initiative(d, &I7, "Ontmoetingsplek De Huiskamer",
                                "Inloop voor ouderen; gestopt toen de ruimte verviel.",
                                "gestopt", "2019-01-01", "2020-12-31", P_wel, "meedoen en participatie", bu[1],
                                "lbm_soc:up")) < 0 ||
        (error = add_initiative(d, &I8, "Gezond in de wijk", "Idee: beweegaanbod en gezonde kantine.",
                                "idee", NULL, NULL, P_gem, "gezondheid", a34, NULL)) < 0)
        return error;
    out->overlap[0] = I1;
    out->overlap[1] = I2;
    snprintf(out->overlap_theme, sizeof out->overlap_theme, "veiligheid");

    /* contributions: coalitions that change year by year */
    if ((error = add_contrib(d, I1, P_pol, "hours", 1600, "2021-01-01", "2024-12-31", "wijkagent en handhaving")) < 0 ||
        (error = add_contrib(d, I1, P_gem, "money_eur", 60000, "2021-01-01", "2022-12-31", "lantaarnpalen")) < 0 ||
        (error = add_contrib(d, I1, P_bew, "hours", 900, "2022-01-01", "2024-12-31", "buurtpreventieteam")) < 0 ||
        (error = add_contrib(d, I1, P_ond, "money_eur", 8000, "2023-01-01", "2024-12-31", "camera's winkelstraat")) < 0 ||
        (error = add_contrib(d, I2, P_lin, "money_eur", 240000, "2022-03-01", "2025-06-30", NULL)) < 0 ||
        (error = add_contrib(d, I2, P_gem, "in_kind", 5000, "2022-03-01", "2022-12-31", "advies inbraakpreventie")) < 0 ||
        (error = add_contrib(d, I3, P_gem, "money_eur", 150000, "2019-01-01", "2023-12-31", NULL)) < 0 ||
        (error = add_contrib(d, I3, P_ank, "hours", 400, "2020-01-01", "2021-12-31", NULL)) < 0 ||
        (error = add_contrib(d, I3, P_wel, "hours", 600, "2021-01-01", "2023-12-31", NULL)) < 0 ||
        (error = add_contrib(d, I4, P_sch, "hours", 3000, "2020-09-01", "2026-07-31", NULL)) < 0 ||
        (error = add_contrib(d, I4, P_wel, "hours", 800, "2020-09-01", "2022-08-31", NULL)) < 0 ||
        (error = add_contrib(d, I4, P_gem, "money_eur", 90000, "2023-01-01", "2026-07-31", NULL)) < 0 ||
        (error = add_contrib(d, I5, P_wel, "hours", 2500, "2021-06-01", "2025-12-31", NULL)) < 0 ||
        (error = add_contrib(d, I5, P_gem, "money_eur", 120000, "2021-06-01", "2025-12-31", NULL)) < 0 ||
        (error = add_contrib(d, I5, P_lin, "money_eur", 20000, "2024-01-01", "2025-12-31", NULL)) < 0 ||
        (error = add_contrib(d, I6, P_ank, "money_eur", 75000, "2023-04-01", "2026-10-31", NULL)) < 0 ||
        (error = add_contrib(d, I6, P_bew, "hours", 1200, "2023-04-01", "2026-10-31", NULL)) < 0 ||
        (error = add_contrib(d, I7, P_wel, "hours", 700, "2019-01-01", "2020-12-31", NULL)) < 0 ||
        (error = add_contrib(d, I7, P_gem, "money_eur", 15000, "2019-01-01", "2019-12-31", NULL)) < 0)
        return error;

    if ((error = add_milestone(d, I1, "Schouw met bewoners", "2021-04-30", 100, NULL)) < 0 ||
        (error = add_milestone(d, I1, "20 extra lantaarnpalen", "2022-12-31", 60, "12 geplaatst")) < 0 ||
        (error = add_milestone(d, I1, "Evaluatie met de buurt", "2024-11-30", 0, NULL)) < 0 ||
        (error = add_milestone(d, I2, "Alle portieken voorzien", "2025-06-30", 45, NULL)) < 0 ||
        (error = add_milestone(d, I3, "500 huisbezoeken", "2023-12-31", 100, "612 bezoeken")) < 0 ||
        (error = add_milestone(d, I4, "50 leerlingen ingeschreven", "2022-10-01", 100, NULL)) < 0 ||
        (error = add_milestone(d, I5, "Vroegsignalering met de corporatie", "2024-06-30", 70, NULL)) < 0 ||
        (error = add_milestone(d, I6, "Eerste binnentuin klaar", "2024-09-30", 30, NULL)) < 0)
        return error;

    /* accounts, with random passwords handed to the caller */
    int64_t uid;
    if ((error = add_account(d, &uid, "demo-admin", WB_ROLE_ADMIN, 0, o)) < 0 ||
        (error = add_account(d, &uid, "linden-editor", WB_ROLE_PARTNER, P_lin, o)) < 0 ||
        (error = add_account(d, &uid, "politie-editor", WB_ROLE_PARTNER, P_pol, o)) < 0 ||
        (error = add_account(d, &uid, "bewoner-anna", WB_ROLE_RESIDENT, 0, o)) < 0 ||
        (error = add_account(d, &uid, "bewoner-bram", WB_ROLE_RESIDENT, 0, o)) < 0 ||
        (error = add_account(d, &uid, "bewoner-cem", WB_ROLE_RESIDENT, 0, o)) < 0 ||
        (error = add_account(d, &uid, "demo-kijker", WB_ROLE_VIEWER, 0, o)) < 0)
        return error;

    /* proposals: one in the gap buurt that nobody has taken up */
    int k = 4;
    for (int i = 0; i < 5; i++)
        if (!strcmp(out->gap_dimension, dims[i]))
            k = i;
    int64_t Pgap, Ptuin, Pwifi, Pbank, Iadopt;
    char gap_title[200];
    snprintf(gap_title, sizeof gap_title, "Aandacht voor %s in onze buurt", dim_theme[k]);
    if ((error = file_proposal(d, &Pgap, "bewoner-anna", out->gap_area, gap_title,
                               "Het gaat achteruit in onze buurt en er gebeurt hier niets. "
                               "Wij willen graag met de gemeente en de corporaties om tafel.",
                               dim_theme[k], NAN)) < 0 ||
        (error = file_proposal(d, &Ptuin, "bewoner-bram", bu[2], "Buurtmoestuin op het braakliggende veld",
                               "Een moestuin die bewoners samen onderhouden, met een bank en een watertappunt.",
                               "openbare ruimte", 4500)) < 0 ||
        (error = file_proposal(d, &Pwifi, "bewoner-cem", bu[3], "Gratis wifi in het buurthuis",
                               "Veel bewoners hebben thuis geen goede verbinding.", "meedoen en participatie",
                               1200)) < 0 ||
        (error = file_proposal(d, &Pbank, "bewoner-anna", bu[1], "Bankjes langs de singel",
                               "Ouderen kunnen onderweg nergens even zitten.", "openbare ruimte", 2500)) < 0)
        return error;
    if ((error = support(d, "bewoner-bram", Pgap)) < 0 || (error = support(d, "bewoner-cem", Pgap)) < 0 ||
        (error = support(d, "bewoner-anna", Ptuin)) < 0 || (error = support(d, "bewoner-cem", Ptuin)) < 0 ||
        (error = support(d, "bewoner-bram", Pbank)) < 0)
        return error;
    if ((error = wb_proposal_adopt(st, &Iadopt, d->admin, Ptuin, P_ank, "gepland")) < 0 ||
        (error = wb_proposal_decline(st, d->admin, Pwifi,
                                     "Het buurthuis krijgt in 2025 glasvezel bij de verbouwing; wifi komt dan mee.")) < 0)
        return error;
    out->initiatives++;
    return 0;
}

int wb_collab_demo(wb_store *st, wb_collab_demo_result *out, const char *gemeente, int year,
                   const wb_auth_opts *hash_opts)
{
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        wb_error_set(WB_ERRCLASS_AUTH, "libsodium could not be initialised");
        return WB_ERROR;
    }
    char gm[WB_CODE_MAX];
    wb_level level;
    if (!gemeente || wb_code_normalize(gm, &level, gemeente, strlen(gemeente), WB_LEVEL_GEMEENTE) < 0 ||
        level != WB_LEVEL_GEMEENTE) {
        wb_error_set(WB_ERRCLASS_ARG, "demo: expected a gemeente code such as GM0363, got '%.20s'",
                     gemeente ? gemeente : "");
        return WB_EINVALID;
    }
    int64_t x;
    if (wb_reg__partner_count(st, &x) == 0 && x > 0) {
        wb_error_set(WB_ERRCLASS_ARG, "demo: the store already has partners; the demo register needs an empty one");
        return WB_ECONFLICT;
    }
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.level = WB_LEVEL_BUURT;
    q.within = gm;
    q.year = year;
    wb_area *b = NULL, *g = NULL;
    size_t nb = 0;
    int error = wb_store_areas(st, &b, &nb, &q);
    if (error < 0)
        return error;
    if (!year && nb) { /* the latest boundary year: areas are ordered by year */
        int latest = b[nb - 1].year;
        size_t k = 0;
        for (size_t i = 0; i < nb; i++) {
            if (b[i].year == latest) {
                wb_area tmp = b[k];
                b[k] = b[i];
                b[i] = tmp;
                k++;
            }
        }
        for (size_t i = k; i < nb; i++)
            wb_free(b[i].name);
        nb = k;
    }
    if (nb < 4) {
        wb_error_set(WB_ERRCLASS_ARG, "demo: %s has %zu buurten%s%s; at least 4 are needed", gm, nb,
                     year ? " in " : "", year ? "that year" : "");
        wb_areas_free(b, nb);
        return WB_ENOTFOUND;
    }
    if (wb_store_area_get(st, &g, gm, b[0].year) < 0) {
        g = NULL;
        wb_error_clear();
    }
    wb_actor admin;
    memset(&admin, 0, sizeof admin);
    admin.role = WB_ROLE_ADMIN;
    snprintf(admin.name, sizeof admin.name, "demo");
    demo_ctx d = {st, &admin, b[0].year, out};

    int data_year = 0;
    int gap = pick_gap(st, gm, b, nb, &data_year);
    if (gap >= 0) {
        out->gap_from_scores = 1;
        double best = INFINITY;
        for (int i = 0; i < 5; i++) {
            double v = value_of(st, dims[i], b[gap].code, b[gap].year, data_year);
            if (!isnan(v) && v < best) {
                best = v;
                snprintf(out->gap_dimension, sizeof out->gap_dimension, "%s", dims[i]);
            }
        }
    } else {
        gap = (int)nb - 1; /* no scores yet: the last buurt by code */
    }
    snprintf(out->gap_area, sizeof out->gap_area, "%s", b[gap].code);

    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) == 0) {
        error = fill(&d, g, b, nb, gap, hash_opts);
        error = wb_reg__end(st, &tx, error);
    }
    if (error < 0) {
        wb_error_prefix("demo register");
        for (size_t i = 0; i < out->naccounts; i++)
            sodium_memzero(out->accounts[i].password, sizeof out->accounts[i].password);
        memset(out, 0, sizeof *out);
    }
    wb_areas_free(b, nb);
    wb_areas_free(g, g ? 1 : 0);
    return error;
}
