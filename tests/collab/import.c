/** @file @brief Bulk import of initiatives from CSV: good files, and bad ones that store nothing. */
#include <stdlib.h>

#include "collab/cfix.h"

static void write_file(const char *path, const char *text)
{
    wbt_write(path, text);
}

TEST(collab_import, good_file_dutch_columns_semicolons_bom_quotes)
{
    cfix f;
    cfix_open(&f, NULL);
    const char *path = wbt_tmp("gemeente.csv");
    /* as saved by a Dutch spreadsheet: BOM, ';', Dutch headers, DD-MM-YYYY, quoted fields
     * with the separator, a doubled quote and a line break; an extra column; a blank line */
    write_file(path,
               "\xEF\xBB\xBFTitel;Trekker;Omschrijving;Status;Begin;Eind;Thema's;Buurten;Jaar;Doelen;Opmerkingen\r\n"
               "Buurtkamer;Woonstichting A;\"Inloop; koffie en \"\"praatje\"\"\nelke dag\";Lopend;01-03-2022;"
               "28-02-2025;\"jeugd; wonen\";BU09990001 BU09990002;2020;lbm_soc:up;intern\r\n"
               "\r\n"
               "Veilig naar school;2;;gepland;2024-09-01;;veiligheid;BU09990003;2020;\"g_misdr:down|lbm_onv:omhoog\";\r\n"
               "Idee zonder gebied;politie b;;;;;;;;;\r\n");
    wb_import_result r;
    WB_PASS(wb_initiative_import_csv(f.st, &f.cli, path, &r));
    ASSERT_EQ_I(r.added, 3);
    ASSERT_EQ_I(r.updated, 0);
    ASSERT_EQ_S(r.ignored, "opmerkingen");
    wb_free(r.ignored);
    wb_initiative *v = NULL;
    size_t n = 0;
    WB_PASS(wb_initiative_list(f.st, &f.cli, &v, &n, NULL));
    ASSERT_EQ_I(n, 5);
    const wb_initiative *a = &v[2], *b = &v[3], *c = &v[4];
    ASSERT_EQ_S(a->title, "Buurtkamer");
    ASSERT_EQ_S(a->description, "Inloop; koffie en \"praatje\"\nelke dag");
    ASSERT_EQ_S(a->status, "lopend");
    ASSERT_EQ_S(a->start, "2022-03-01");
    ASSERT_EQ_S(a->end, "2025-02-28");
    ASSERT_EQ_I(a->lead_partner_id, f.pA);
    ASSERT_EQ_I(a->nthemes, 2);
    ASSERT_EQ_S(a->themes[1], "wonen");
    ASSERT_EQ_I(a->nareas, 2);
    ASSERT_EQ_I(a->area_year, 2020);
    ASSERT_EQ_I(a->ntargets, 1);
    ASSERT_EQ_S(a->targets[0].indicator, "lbm_soc");
    ASSERT_EQ_I(b->lead_partner_id, f.pB); /* by id */
    ASSERT(b->end == NULL);
    ASSERT_EQ_I(b->ntargets, 2);
    ASSERT_EQ_S(b->targets[0].indicator, "g_misdr");
    ASSERT_EQ_I(b->targets[0].direction, -1);
    ASSERT_EQ_I(b->targets[1].direction, 1);
    ASSERT_EQ_S(c->status, "idee");
    ASSERT_EQ_I(c->lead_partner_id, f.pB); /* by name, any case */
    ASSERT_EQ_I(c->nareas, 0);
    wb_initiatives_free(v, n);
    /* audited per row, logged once */
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM audit_log WHERE action = 'import'"), 3);
    ASSERT_EQ_I(cfix_int(f.st, "SELECT count(*) FROM import_log WHERE kind = 'initiatives'"), 1);
    cfix_close(&f);
}

TEST(collab_import, rows_with_an_id_replace_that_initiative)
{
    cfix f;
    cfix_open(&f, NULL);
    const char *path = wbt_tmp("update.csv");
    char text[512];
    snprintf(text, sizeof text,
             "id,title,lead,status,areas,area_year,themes,created\n"
             "%lld,Nieuwe naam voor A,Woonstichting A,afgerond,BU09990004,2020,wonen,2020-01-01T00:00:00Z\n"
             ",Helemaal nieuw,Woonstichting A,idee,,,,\n",
             (long long)f.iniA);
    write_file(path, text);
    wb_import_result r;
    WB_PASS(wb_initiative_import_csv(f.st, &f.cli, path, &r));
    ASSERT_EQ_I(r.added, 1);
    ASSERT_EQ_I(r.updated, 1);
    ASSERT(r.ignored == NULL);
    wb_initiative *in = NULL;
    WB_PASS(wb_initiative_get(f.st, &f.cli, &in, f.iniA));
    ASSERT_EQ_S(in->title, "Nieuwe naam voor A");
    ASSERT_EQ_S(in->status, "afgerond");
    ASSERT_EQ_S(in->areas[0], "BU09990004");
    wb_initiative_free(in);
    /* an editor of B may not rewrite A's initiative through the import either */
    WB_FAILS(WB_EDENIED, wb_initiative_import_csv(f.st, &f.edB, path, &r));
    cfix_close(&f);
}

/* A bad file: the error names the file, the line and the field; nothing is stored. */
static void bad(const char *content, int code, const char *expect)
{
    cfix f;
    cfix_open(&f, NULL);
    const char *path = wbt_tmp("bad.csv");
    write_file(path, content);
    char *before = cfix_snapshot(f.st);
    wb_import_result r;
    int rc = wb_initiative_import_csv(f.st, &f.cli, path, &r);
    ASSERT_MSG(rc == code, "expected %d, got %d (%s) for:\n%s", code, rc, wb_error_last()->message, content);
    ASSERT_MSG(strstr(wb_error_last()->message, expect) != NULL, "message '%s' lacks '%s'",
               wb_error_last()->message, expect);
    ASSERT_MSG(!strncmp(wb_error_last()->message, path, strlen(path)), "message '%s' does not start with the file",
               wb_error_last()->message);
    char *after = cfix_snapshot(f.st);
    ASSERT_MSG(!strcmp(before, after), "a failed import changed the store");
    wb_free(before);
    wb_free(after);
    cfix_close(&f);
}

#define HEAD "title,lead,start,end,themes,areas,area_year\n"
#define GOOD "Goed,Woonstichting A,2022-01-01,2022-12-31,jeugd,BU09990001,2020\n"

TEST(collab_import, bad_rows_name_line_and_field_and_store_nothing)
{
    /* the good rows before the bad one are rolled back too */
    bad(HEAD GOOD GOOD "Fout gebied,Woonstichting A,2022-01-01,2022-12-31,jeugd,BU09990099,2020\n", WB_EINVALID,
        ":4: field 'areas': unknown area code BU09990099 for boundary year 2020");
    bad(HEAD GOOD "Verkeerd om,Woonstichting A,2022-01-01,2021-12-31,jeugd,,\n", WB_EINVALID,
        ":3: field 'end': 2021-12-31 is before the start 2022-01-01");
    bad(HEAD "Onbekende trekker,Niemand BV,,,,,\n", WB_EINVALID, ":2: field 'lead': no partner 'Niemand BV'");
    bad(HEAD "Leeg,,,,,,\n", WB_EINVALID, ":2: field 'lead': required");
    bad(HEAD ",Woonstichting A,,,,,\n", WB_EINVALID, ":2: field 'title': required");
    bad(HEAD "Thema,Woonstichting A,,,ruimtevaart,,\n", WB_EINVALID, ":2: field 'themes': unknown theme");
    bad(HEAD "Jaar,Woonstichting A,,,,BU09990001,twintig\n", WB_EINVALID, ":2: field 'area_year'");
    bad(HEAD "Geen jaar,Woonstichting A,,,,BU09990001,\n", WB_EINVALID, ":2: field 'area_year'");
    bad(HEAD "Datum,Woonstichting A,31-02-2022,,,,\n", WB_EINVALID, ":2: field 'start'");
    bad("title,lead,targets\nDoel,Woonstichting A,lbm_onv\n", WB_EINVALID, ":2: field 'targets': expected KEY:up");
    bad("title,lead,status\nStatus,Woonstichting A,bezig\n", WB_EINVALID, ":2: field 'status'");
    bad("id,title,lead\n999,Bestaat niet,Woonstichting A\n", WB_EINVALID, ":2: field 'id': no initiative with id 999");
    bad("id,title,lead\nabc,Geen id,Woonstichting A\n", WB_EINVALID, ":2: field 'id'");
    /* malformed CSV */
    bad(HEAD GOOD "\"Niet gesloten,Woonstichting A,,,,,\n", WB_EPARSE,
        "expected a closing quote for the field opened at line 3, column 1");
    bad(HEAD GOOD GOOD "Te weinig,Woonstichting A\n", WB_EPARSE, ":4: expected 7 fields as in the header");
    bad(HEAD "Te veel,Woonstichting A,,,,,,extra\n", WB_EPARSE, ":2: expected 7 fields");
    bad(HEAD "\"Quote\"x,Woonstichting A,,,,,\n", WB_EPARSE,
        ":2:8: expected the delimiter ',' or the end of the line after a closing quote, got 'x'");
    bad(HEAD "Latin-1 \xe9,Woonstichting A,,,,,\n", WB_EPARSE, ":2:9: expected UTF-8 text");
    bad("titel;omschrijving\nZonder trekker;tekst\n", WB_EPARSE, ":1: the header needs the columns title and lead");
    bad("title,lead,titel\nx,y,z\n", WB_EPARSE, ":1: column 'title' appears twice");
    bad("", WB_EPARSE, "expected a header line, got an empty file");
    /* line numbers count the lines inside quoted fields */
    bad("title,lead,description\nA,Woonstichting A,\"twee\nregels\"\nB,Niemand,\n", WB_EINVALID,
        ":4: field 'lead'");
}

TEST(collab_import, missing_file_and_nul_bytes)
{
    cfix f;
    cfix_open(&f, NULL);
    wb_import_result r;
    WB_FAILS(WB_ENOTFOUND, wb_initiative_import_csv(f.st, &f.cli, wbt_tmp("nope.csv"), &r));
    ASSERT(strstr(wb_error_last()->message, "nope.csv"));
    const char *path = wbt_tmp("nul.csv");
    FILE *fp = fopen(path, "wb");
    fwrite("title,lead\nA\0B,Woonstichting A\n", 1, 31, fp);
    fclose(fp);
    WB_FAILS(WB_EPARSE, wb_initiative_import_csv(f.st, &f.cli, path, &r));
    ASSERT(strstr(wb_error_last()->message, ":2:2: expected text, got a NUL byte"));
    cfix_close(&f);
}
