/**
 * @file
 * @brief Benchmark of the register's writes and session checks, through the public API only,
 * so that the same program links against the library of another revision (bench/register.sh
 * runs both side by side).
 *
 * On a new store file (WAL, as a server uses it), timed per operation:
 * - partner_add:       wb_partner_add (authorise, insert, audit row)
 * - initiative_add:    wb_initiative_add with 2 themes and 1 target (validation, links, audit)
 * - initiative_update: wb_initiative_update of an existing one (before and after for the audit)
 * - contribution_add:  wb_contribution_add
 * - session_check:     wb_session_validate of a live session (no touch: a read per request)
 * - policy_read:       wb_authorize_in for reading the register (the setting, per request)
 * - initiative_list:   wb_initiative_list of all initiatives, with their lists
 *
 * usage: register STORE [N]   (N: operations per kind, default 2000; the store is replaced)
 * Prints "RESULT <name> <microseconds per operation>" lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wijkbeeld.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "register: %s: %s\n", what, wb_error_last()->message);
        exit(1);
    }
}

static void report(const char *name, double t0, int n)
{
    printf("RESULT %s %.2f\n", name, (now() - t0) * 1e6 / n);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: register STORE [N]\n");
        return 2;
    }
    const char *path = argv[1];
    int n = argc > 2 ? atoi(argv[2]) : 2000;
    if (n < 1)
        n = 1;
    char extra[1024];
    unlink(path);
    snprintf(extra, sizeof extra, "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", path);
    unlink(extra);

    wb_store *st = NULL;
    check(wb_store_open(&st, path, WB_STORE_CREATE), "opening the store");
    wb_actor admin;
    wb_actor_cli(&admin, "bench");
    /* the cheapest Argon2id the library accepts: the password hash is not what is measured */
    wb_auth_opts ao = WB_AUTH_OPTS_INIT;
    ao.opslimit = 1;
    ao.memlimit = 8192;
    ao.min_password = 1;
    ao.touch = 0;

    int64_t *partners = malloc((size_t)n * sizeof *partners);
    int64_t *initiatives = malloc((size_t)n * sizeof *initiatives);
    if (!partners || !initiatives)
        return 1;
    char name[64];
    double t0 = now();
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "Partner %d", i);
        check(wb_partner_add(st, &partners[i], &admin, name, "overig", "bench@example.org"),
              "adding a partner");
    }
    report("partner_add", t0, n);

    char *themes[2] = {"veiligheid", "leefbaarheid"};
    char **theme_list = NULL;
    size_t ntheme_list = 0;
    check(wb_theme_list(st, &theme_list, &ntheme_list), "listing themes");
    if (ntheme_list >= 2) {
        themes[0] = theme_list[0];
        themes[1] = theme_list[1];
    }
    wb_initiative_target target = {"lbm", 1};
    t0 = now();
    for (int i = 0; i < n; i++) {
        wb_initiative in;
        memset(&in, 0, sizeof in);
        snprintf(name, sizeof name, "Initiatief %d", i);
        in.title = name;
        in.description = "Een initiatief van de benchmark.";
        in.status = "lopend";
        in.start = "2022-01-01";
        in.end = "2025-12-31";
        in.lead_partner_id = partners[i % n];
        in.themes = themes;
        in.nthemes = 2;
        in.targets = &target;
        in.ntargets = 1;
        check(wb_initiative_add(st, &initiatives[i], &admin, &in), "adding an initiative");
    }
    report("initiative_add", t0, n);

    t0 = now();
    for (int i = 0; i < n; i++) {
        wb_initiative in;
        memset(&in, 0, sizeof in);
        snprintf(name, sizeof name, "Initiatief %d (bijgewerkt)", i);
        in.id = initiatives[i];
        in.title = name;
        in.status = "afgerond";
        in.start = "2022-01-01";
        in.end = "2024-06-30";
        in.lead_partner_id = partners[i % n];
        in.themes = themes;
        in.nthemes = 1;
        check(wb_initiative_update(st, &admin, &in), "updating an initiative");
    }
    report("initiative_update", t0, n);

    t0 = now();
    for (int i = 0; i < n; i++) {
        wb_contribution c;
        memset(&c, 0, sizeof c);
        c.initiative_id = initiatives[i];
        c.partner_id = partners[(i + 1) % n];
        c.kind = "hours";
        c.amount = 40 + i % 7;
        c.start = "2023-01-01";
        c.end = "2023-12-31";
        check(wb_contribution_add(st, NULL, &admin, &c), "adding a contribution");
    }
    report("contribution_add", t0, n);

    int64_t uid = 0;
    check(wb_auth_user_add(st, &uid, &admin, "bewoner", WB_ROLE_RESIDENT, 0, "geheim-wachtwoord", &ao),
          "adding an account");
    wb_actor who;
    check(wb_auth_verify(st, &who, "bewoner", "geheim-wachtwoord", NULL, &ao), "logging in");
    char token[WB_TOKEN_MAX];
    wb_session sess;
    check(wb_session_create(st, token, &sess, &who, &ao), "starting a session");
    int checks = 10 * n;
    t0 = now();
    for (int i = 0; i < checks; i++)
        check(wb_session_validate(st, &sess, token, &ao), "checking the session");
    report("session_check", t0, checks);

    t0 = now();
    for (int i = 0; i < checks; i++)
        check(wb_authorize_in(st, &who, WB_ACT_READ_REGISTER, NULL), "reading the policy");
    report("policy_read", t0, checks);

    int lists = n / 100 > 0 ? n / 100 : 1;
    t0 = now();
    for (int i = 0; i < lists; i++) {
        wb_initiative *all = NULL;
        size_t nall = 0;
        check(wb_initiative_list(st, &who, &all, &nall, NULL), "listing initiatives");
        if (nall != (size_t)n) {
            fprintf(stderr, "register: listed %zu initiatives, expected %d\n", nall, n);
            return 1;
        }
        wb_initiatives_free(all, nall);
    }
    report("initiative_list", t0, lists);

    wb_strings_free(theme_list, ntheme_list);
    free(partners);
    free(initiatives);
    wb_store_free(st);
    return 0;
}
