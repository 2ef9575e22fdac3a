/** @file @brief The collaboration commands of the wijkbeeld program. */
#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "collab/cfix.h"

/* A store with the fixture's areas (no partners, no accounts), closed again. */
static const char *areas_db(void)
{
    const char *path = wbt_tmp("cli.db");
    static char keep[4096];
    snprintf(keep, sizeof keep, "%s", path);
    wb_store_free(cfix_areas_store(keep));
    return keep;
}

static void copy_file(const char *from, const char *to)
{
    size_t n = 0;
    char *buf = wbt_slurp(from, &n);
    ASSERT(buf != NULL);
    FILE *f = fopen(to, "wb");
    ASSERT(f && fwrite(buf, 1, n, f) == n && fclose(f) == 0);
    free(buf);
}

#define RUN_OK(r, stdin_text, ...)                                                           \
    do {                                                                                     \
        r = wbt_run(stdin_text, __VA_ARGS__);                                                \
        ASSERT_MSG(r.status == 0, "exit %d: %s", r.status, r.err);                           \
    } while (0)

TEST(collab_cli, user_add_reads_the_password_from_stdin_only)
{
    const char *db = areas_db();
    wbt_run_result r;
    RUN_OK(r, "lang-genoeg-wachtwoord\n", "--db '%s' user add anna --role resident --password-stdin", db);
    ASSERT(strstr(r.out, "added resident account 'anna'"));
    wbt_run_free(&r);
    /* without --password-stdin: a usage error, one line */
    r = wbt_run("lang-genoeg-wachtwoord\n", "--db '%s' user add bram --role resident", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "--password-stdin (never on the command line)"));
    wbt_run_free(&r);
    /* a password option does not exist */
    r = wbt_run(NULL, "--db '%s' user add bram --role resident --password geheim123456", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "unknown option '--password'"));
    wbt_run_free(&r);
    /* too short: the field is named, the password is not repeated */
    r = wbt_run("kort123\n", "--db '%s' user add bram --role resident --password-stdin", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "field 'password': too short (7 characters, at least 10)"));
    ASSERT(!strstr(r.err, "kort123") && !strstr(r.out, "kort123"));
    wbt_run_free(&r);
    r = wbt_run("", "--db '%s' user add bram --role resident --password-stdin", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "no password on stdin"));
    wbt_run_free(&r);
    r = wbt_run("een-wachtwoord\nnog-een-regel\n", "--db '%s' user add bram --role resident --password-stdin", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "one line"));
    wbt_run_free(&r);
    r = wbt_run("lang-genoeg-wachtwoord", "--db '%s' user add bram --role baas --password-stdin", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "field 'role': expected one of admin, partner, resident, viewer, got 'baas'"));
    wbt_run_free(&r);
    r = wbt_run("lang-genoeg-wachtwoord", "--db '%s' user add piet --role partner --password-stdin", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "needs --partner ID"));
    wbt_run_free(&r);
    r = wbt_run("lang-genoeg-wachtwoord", "--db '%s' user add piet --role partner --partner 7 --password-stdin", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "no partner '7'"));
    wbt_run_free(&r);
    r = wbt_run("lang-genoeg-wachtwoord\n", "--db '%s' user add ANNA --role viewer --password-stdin", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "an account named 'ANNA' exists"));
    wbt_run_free(&r);
    /* a trailing CRLF is not part of the password; passwd changes it */
    RUN_OK(r, "nieuw-wachtwoord-123\r\n", "--db '%s' user passwd anna --password-stdin", db);
    wbt_run_free(&r);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    wb_actor who;
    WB_PASS(wb_auth_verify(st, &who, "anna", "nieuw-wachtwoord-123", NULL, NULL));
    WB_FAILS(WB_EDENIED, wb_auth_verify(st, &who, "anna", "lang-genoeg-wachtwoord", NULL, NULL));
    wb_store_free(st);
    /* the list shows no hashes */
    RUN_OK(r, NULL, "--db '%s' user list --format csv", db);
    ASSERT(strstr(r.out, "id,name,role,partner_id,partner,created,disabled\n"));
    ASSERT(strstr(r.out, ",anna,resident,,,"));
    ASSERT(!strstr(r.out, "argon2"));
    wbt_run_free(&r);
    /* the audit log records the command line's unix user */
    struct passwd *pw = getpwuid(geteuid());
    char who_cli[128];
    snprintf(who_cli, sizeof who_cli, ",cli:%s,passwd,user,", pw ? pw->pw_name : "?");
    RUN_OK(r, NULL, "--db '%s' audit --format csv", db);
    ASSERT_MSG(strstr(r.out, who_cli), "no '%s' in %s", who_cli, r.out);
    ASSERT(!strstr(r.out, "nieuw-wachtwoord-123") && !strstr(r.out, "argon2"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' user disable anna", db);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' user list --format csv", db);
    ASSERT(strstr(r.out, ",anna,resident,,,") && strstr(r.out, ",1\n"));
    wbt_run_free(&r);
}

TEST(collab_cli, register_end_to_end_with_roles)
{
    const char *db = areas_db();
    wbt_run_result r;
    RUN_OK(r, NULL, "--db '%s' partner add 'Woonstichting A' --type woningcorporatie --contact a@example.org", db);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' partner add 'Politie B' --type politie", db);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' partner add Kerk --type kerk", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "field 'type': expected one of gemeente"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' partner list --format csv", db);
    ASSERT(strstr(r.out, "1,Woonstichting A,woningcorporatie,a@example.org\n"));
    wbt_run_free(&r);
    RUN_OK(r, "editor-a-wachtwoord", "--db '%s' user add editor-a --role partner --partner 'Woonstichting A' --password-stdin", db);
    wbt_run_free(&r);
    RUN_OK(r, "editor-b-wachtwoord", "--db '%s' user add editor-b --role partner --partner 2 --password-stdin", db);
    wbt_run_free(&r);
    RUN_OK(r, "anna-wachtwoord-1", "--db '%s' user add anna --role resident --password-stdin", db);
    wbt_run_free(&r);
    RUN_OK(r, "bram-wachtwoord-1", "--db '%s' user add bram --role resident --password-stdin", db);
    wbt_run_free(&r);

    RUN_OK(r, NULL,
           "--db '%s' initiative add 'Veilige buurt' --lead 'Woonstichting A' --status lopend --start 2021-01-01"
           " --end 2023-12-31 --theme 'veiligheid,wonen' --area BU09990001,BU09990002 --year 2020"
           " --target lbm_onv:up,g_misdr:down --as editor-a",
           db);
    ASSERT(strstr(r.out, "added initiative 1"));
    wbt_run_free(&r);
    /* bad input: one line, exit 1, the field named */
    r = wbt_run(NULL, "--db '%s' initiative add X --lead 1 --area BU09990001 --year 2019", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "field 'areas': unknown area code BU09990001 for boundary year 2019"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' initiative add X --lead 1 --start 2022-01-01 --end 2021-01-01", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "field 'end'"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' initiative add X --lead 1 --target lbm_onv:sideways", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "--target: expected KEY:up or KEY:down"));
    wbt_run_free(&r);
    /* another partner's editor is refused, and nothing changes */
    r = wbt_run(NULL, "--db '%s' initiative update 1 --title Overgenomen --as editor-b", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "denied: partner may not initiative_edit"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' initiative update 1 --status afgerond --as editor-a", db);
    wbt_run_free(&r);
    RUN_OK(r, NULL,
           "--db '%s' contribution add --initiative 1 --partner 'Politie B' --kind hours --amount 120"
           " --start 2022-01-01 --end 2022-12-31 --as editor-b",
           db);
    wbt_run_free(&r);
    r = wbt_run(NULL,
                "--db '%s' contribution add --initiative 1 --partner 'Woonstichting A' --kind money_eur --amount 5"
                " --start 2022-01-01 --end 2022-12-31 --as editor-b",
                db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "denied"));
    wbt_run_free(&r);
    r = wbt_run(NULL,
                "--db '%s' contribution add --initiative 1 --partner 1 --kind money_eur --amount -5"
                " --start 2022-01-01 --end 2022-12-31",
                db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "field 'amount'"));
    wbt_run_free(&r);
    RUN_OK(r, NULL,
           "--db '%s' contribution add --initiative 1 --partner 1 --kind money_eur --amount 10000"
           " --start 2021-01-01 --end 2021-12-31",
           db);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' milestone add 1 'Schouw gedaan' --due 2021-06-30 --progress 100 --as editor-a", db);
    wbt_run_free(&r);

    RUN_OK(r, NULL, "--db '%s' initiative list --format csv", db);
    ASSERT(strstr(r.out, "1,Veilige buurt,afgerond,2021-01-01,2023-12-31,Woonstichting A,veiligheid; wonen,"
                         "BU09990001 BU09990002,2020\n"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' initiative show 1", db);
    ASSERT(strstr(r.out, "targets:  g_misdr:down, lbm_onv:up"));
    ASSERT(strstr(r.out, "100%  2021-06-30  Schouw gedaan"));
    ASSERT(strstr(r.out, "2022  Politie B  [joined: Politie B]  [left: Woonstichting A]"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' initiative show 1 --format json", db);
    json_error_t err;
    json_t *j = json_loads(r.out, 0, &err);
    ASSERT(j != NULL);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "contributions")), 2);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "coalitions")), 2);
    json_decref(j);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' coalitions --by year --format csv", db);
    ASSERT(strstr(r.out, "1,Veilige buurt,2021,1,Woonstichting A,Woonstichting A,,10000.00,0.00,0.00\n"));
    ASSERT(strstr(r.out, "1,Veilige buurt,2022,1,Politie B,Politie B,Woonstichting A,0.00,120.00,0.00\n"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' coalitions --at 2022-05-01 --format csv", db);
    ASSERT(strstr(r.out, "1,Veilige buurt,Woonstichting A,2022-05-01,Politie B\n"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' coalitions --matrix --format csv", db);
    ASSERT(strstr(r.out, "2,Politie B,BU09990002,2020,wonen,1,0.00,120.00,0.00\n"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' coalitions --by partner", db);
    ASSERT_EQ_I(r.status, 2);
    wbt_run_free(&r);

    /* proposals: filed and supported as residents, adopted by a partner editor */
    RUN_OK(r, NULL,
           "--db '%s' proposal add --as anna --area BU09990003 --year 2020 --title 'Bankjes' --text 'Om te zitten.'"
           " --theme 'openbare ruimte' --cost 2500",
           db);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' proposal support 1 --as bram", db);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' proposal support 1 --as bram", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "already support"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' proposal support 1 --as anna", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "own proposal"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' proposal support 1", db);
    ASSERT_EQ_I(r.status, 2);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' proposal adopt 1 --as editor-b", db);
    ASSERT(strstr(r.out, "proposal 1 adopted as initiative 2"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' proposal list --format csv", db);
    ASSERT(strstr(r.out, "1,Bankjes,anna,BU09990003,2020,openbare ruimte,2500,adopted,1,2,,Om te zitten.\n"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' proposal decline 1 --reason 'te laat'", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "proposal 1 is adopted: only open proposals can be declined"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' initiative show 2", db);
    ASSERT(strstr(r.out, "from resident proposal 1"));
    ASSERT(strstr(r.out, "lead:     Politie B"));
    wbt_run_free(&r);
    /* the monitor can be closed to visitors */
    RUN_OK(r, NULL, "--db '%s' setting set monitor_public 0", db);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' setting set monitor_public maybe", db);
    ASSERT_EQ_I(r.status, 1);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' initiative delete 1 --as editor-a", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "only the admin"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' initiative delete 1", db);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' audit --entity initiative --id 1 --format csv", db);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 3); /* header, create, update, delete */
    ASSERT(strstr(r.out, "as editor-a,update,initiative,1,"));
    wbt_run_free(&r);
}

TEST(collab_cli, import_export_round_trip_and_failed_import_leaves_the_file_untouched)
{
    const char *db = areas_db();
    wbt_run_result r;
    RUN_OK(r, NULL, "--db '%s' partner add 'Gemeente Testdorp' --type gemeente", db);
    wbt_run_free(&r);
    const char *csv = wbt_tmp("in.csv");
    char keep_csv[4096];
    snprintf(keep_csv, sizeof keep_csv, "%s", csv);
    wbt_write(keep_csv, "titel;trekker;begin;eind;themas;buurten;jaar;doelen;kolom\n"
                        "Eerste;Gemeente Testdorp;01-01-2022;31-12-2023;jeugd;BU09990001;2020;lbm_soc:up;x\n"
                        "\"Tweede; met puntkomma\";1;;;\"wonen|jeugd\";\"BU09990002 BU09990003\";2020;;y\n");
    RUN_OK(r, NULL, "--db '%s' import initiatives '%s'", db, keep_csv);
    ASSERT(strstr(r.out, "2 initiatives added, 0 updated"));
    ASSERT(strstr(r.err, "ignored unknown columns: kolom"));
    wbt_run_free(&r);
    /* export, re-import: the same rows are replaced, nothing added */
    RUN_OK(r, NULL, "--db '%s' export initiatives", db);
    ASSERT(strstr(r.out, "id,title,description,status,start,end,lead,lead_partner_id,themes,areas,area_year,targets,"
                         "proposal_id,created,updated\n"));
    ASSERT(strstr(r.out, "2,Tweede; met puntkomma,,idee,,,Gemeente Testdorp,1,jeugd;wonen,BU09990002;BU09990003,"
                         "2020,,,"));
    char exported[4096];
    snprintf(exported, sizeof exported, "%s", wbt_tmp("export.csv"));
    wbt_write(exported, r.out);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' import initiatives '%s'", db, exported);
    ASSERT(strstr(r.out, "0 initiatives added, 2 updated"));
    ASSERT_EQ_I(strlen(r.err), 0);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' export initiatives --format json", db);
    json_error_t err;
    json_t *j = json_loads(r.out, 0, &err);
    ASSERT(j && json_array_size(j) == 2);
    json_t *first = json_array_get(j, 0);
    ASSERT_EQ_S(json_string_value(json_object_get(first, "start")), "2022-01-01");
    json_t *t0 = json_array_get(json_object_get(first, "targets"), 0);
    ASSERT(t0 != NULL);
    ASSERT_EQ_S(json_string_value(json_object_get(t0, "indicator")), "lbm_soc");
    ASSERT_EQ_S(json_string_value(json_object_get(t0, "direction")), "up");
    json_decref(j);
    wbt_run_free(&r);
    /* text a spreadsheet would run as a formula is exported with an apostrophe, and the
     * import takes it off again */
    RUN_OK(r, NULL, "--db '%s' initiative add '=HYPERLINK(\"http://x\")' --lead 1 --description '-5 + 3'", db);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' export initiatives", db);
    ASSERT(strstr(r.out, "\n3,\"'=HYPERLINK(\"\"http://x\"\")\",'-5 + 3,idee,"));
    wbt_write(exported, r.out);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' import initiatives '%s'", db, exported);
    ASSERT(strstr(r.out, "0 initiatives added, 3 updated"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' initiative show 3 --format json", db);
    j = json_loads(r.out, 0, &err);
    ASSERT(j != NULL);
    ASSERT_EQ_S(json_string_value(json_object_get(j, "title")), "=HYPERLINK(\"http://x\")");
    ASSERT_EQ_S(json_string_value(json_object_get(j, "description")), "-5 + 3");
    json_decref(j);
    wbt_run_free(&r);
    /* a bad row on line 3: an error naming the line and field; the file keeps every byte */
    wbt_write(keep_csv, "title,lead,areas,area_year\n"
                        "Goed,1,BU09990001,2020\n"
                        "Fout,1,BU12345678,2020\n");
    char before[4096];
    snprintf(before, sizeof before, "%s", wbt_tmp("before.db"));
    copy_file(db, before);
    r = wbt_run(NULL, "--db '%s' import initiatives '%s'", db, keep_csv);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "in.csv:3: field 'areas': unknown area code BU12345678 for boundary year 2020"));
    wbt_run_free(&r);
    ASSERT(wbt_same_bytes(db, before));
    wbt_write(keep_csv, "title,lead\n\"open,1\n");
    r = wbt_run(NULL, "--db '%s' import initiatives '%s'", db, keep_csv);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "in.csv:3:1: expected a closing quote for the field opened at line 2, column 1"));
    wbt_run_free(&r);
    ASSERT(wbt_same_bytes(db, before));
}

TEST(collab_cli, demo_register_prints_random_passwords_once)
{
    const char *db = areas_db();
    wbt_run_result r;
    RUN_OK(r, NULL, "--db '%s' demo register GM0999 --year 2020", db);
    ASSERT(strstr(r.out, "demo register: 8 partners, 9 initiatives"));
    ASSERT(strstr(r.out, "planted overlap: initiatives 1 and 2 (veiligheid)"));
    /* every account's printed password logs in; none is in the file */
    const char *names[] = {"demo-admin", "linden-editor", "politie-editor", "bewoner-anna", "bewoner-bram",
                           "bewoner-cem", "demo-kijker"};
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    char pws[7][64];
    for (size_t i = 0; i < 7; i++) {
        const char *line = strstr(r.out, names[i]);
        ASSERT_MSG(line != NULL, "account %s not printed", names[i]);
        char name[64], role[32];
        ASSERT(sscanf(line, "%63s %31s %63s", name, role, pws[i]) == 3);
        ASSERT_EQ_I(strlen(pws[i]), 20);
        wb_actor who;
        WB_PASS(wb_auth_verify(st, &who, names[i], pws[i], NULL, NULL));
        for (size_t k = 0; k < i; k++)
            ASSERT(strcmp(pws[k], pws[i]) != 0);
    }
    wb_store_free(st);
    wbt_run_free(&r);
    size_t len = 0;
    char *bytes = wbt_slurp(db, &len);
    for (size_t i = 0; i < 7; i++)
        ASSERT(memmem(bytes, len, pws[i], strlen(pws[i])) == NULL);
    free(bytes);
    /* a second run refuses; so does a gemeente without buurten */
    r = wbt_run(NULL, "--db '%s' demo register GM0999", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "already has partners"));
    wbt_run_free(&r);
}
