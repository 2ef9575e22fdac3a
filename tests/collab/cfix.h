/** @file @brief A small register for the collaboration tests: areas, two partners, one account
 *  per role, an initiative of each partner, contributions and an open proposal. */
#ifndef WB_TEST_CFIX_H
#define WB_TEST_CFIX_H

#include "test.h"

typedef struct {
    wb_store *st;
    wb_auth_opts fast;  /* Argon2id at its minimum cost: the tests hash many passwords */
    int64_t pA, pB;     /* partner A (woningcorporatie) and B (politie) */
    wb_actor cli, admin, edA, edB, res1, res2, viewer, anon;
    int64_t iniA, iniB; /* initiatives led by A and by B */
    int64_t contribA, contribB; /* contributions of A and of B to iniA */
    int64_t prop;       /* an open proposal of res1 in BU09990001 */
} cfix;

/** Build the register in a fresh store (@p path NULL: in memory). */
void cfix_open(cfix *f, const char *path);
void cfix_close(cfix *f);

/**
 * Every row of every table as sorted text lines (caller frees): equal snapshots mean that
 * nothing changed.
 */
char *cfix_snapshot(wb_store *st);

/** cfix_snapshot() without the table @p skip (NULL: every table). */
char *cfix_snapshot_except(wb_store *st, const char *skip);

/** The first column of the first row of @p sql as an integer (-1 without a row). */
long long cfix_int(wb_store *st, const char *sql);

/** A fresh store with the fixture's areas only. */
wb_store *cfix_areas_store(const char *path);

/** Password of the fixture account @p name. */
const char *cfix_password(const char *name);

#endif
