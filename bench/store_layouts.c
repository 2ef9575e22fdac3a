/**
 * @file
 * @brief Experiment behind docs/store.md: how fast can SQLite take and give back observations
 * in different table layouts? Writes AREAS x YEARS x INDICATORS values (about 1.5% missing)
 * into a new file in one transaction, then reads them back as a panel (every value into a
 * dense array) and as profiles (every value of one area, for 500 random areas).
 *
 * Layouts (all in one transaction, synchronous = NORMAL like the store):
 *   long+idx    the schema of version 1: observation(indicator_id, area_id, year, value)
 *               WITHOUT ROWID, PRIMARY KEY (indicator_id, year, area_id), index (area_id, ...),
 *               one INSERT per value in file order (year, area, indicator), index kept
 *   long-idx    the same, index dropped before and created after (the bulk path of version 1)
 *   rowid       obs(id INTEGER PRIMARY KEY, value REAL), id = indicator<<44 | year<<32 | area,
 *               values sorted by id first (rowid appends), one INSERT per value
 *   rowid x100  the same, 100 rows per INSERT statement
 *   rowid vtab  the same, INSERT INTO obs SELECT k, v FROM a virtual table over the C array
 *   rowid+area  rowid, plus an index on the area (expression on id) built afterwards
 *   chunk       one row per (248 areas, indicator, year): a 32-byte presence bitmap and the
 *               present values as float64 (NaN = missing); id = chunk<<32 | indicator<<12 | year
 * Each layout runs with journal_mode WAL and DELETE (rollback journal).
 *
 * usage: store_layouts DIR [AREAS YEARS INDICATORS [LAYOUT...]]
 * Prints one line per layout and journal: write wall/cpu, file size, panel load wall and
 * values/s, profile p50/p99.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "store_layouts: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
}

static size_t NA, NY, NK;
static const int Y0 = 2003;

/* the value of (area a, year t, indicator k): deterministic, ~1.5% missing */
static double value_of(size_t a, size_t t, size_t k)
{
    uint64_t x = (a * 1000003u + t * 7919u + k * 104729u) * 0x9E3779B97F4A7C15ULL;
    x ^= x >> 31;
    if (x % 1000 < 15)
        return NAN;
    return (double)(x >> 20) / 1048576.0;
}

static int64_t rowid_key(size_t k, size_t t, size_t a)
{
    return (int64_t)((uint64_t)(k + 1) << 44 | (uint64_t)(Y0 + t) << 32 | (uint64_t)(a + 1));
}

/* ---------------------------------------------------------------- a virtual table over an array */

typedef struct {
    int64_t k;
    double v;
} kv;
static kv *ARR;
static size_t NARR;

typedef struct {
    sqlite3_vtab_cursor base;
    size_t i;
} arr_cursor;

static int arr_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err)
{
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(k INTEGER, v REAL)");
    if (rc != SQLITE_OK)
        return rc;
    *out = sqlite3_malloc(sizeof **out);
    memset(*out, 0, sizeof **out);
    return SQLITE_OK;
}
static int arr_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}
static int arr_best(sqlite3_vtab *v, sqlite3_index_info *info)
{
    info->estimatedCost = (double)NARR;
    if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == 0 && !info->aOrderBy[0].desc)
        info->orderByConsumed = 1;
    return SQLITE_OK;
}
static int arr_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    arr_cursor *c = sqlite3_malloc(sizeof *c);
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}
static int arr_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}
static int arr_filter(sqlite3_vtab_cursor *c, int idx, const char *s, int argc, sqlite3_value **argv)
{
    ((arr_cursor *)c)->i = 0;
    return SQLITE_OK;
}
static int arr_next(sqlite3_vtab_cursor *c)
{
    ((arr_cursor *)c)->i++;
    return SQLITE_OK;
}
static int arr_eof(sqlite3_vtab_cursor *c)
{
    return ((arr_cursor *)c)->i >= NARR;
}
static int arr_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
    const kv *e = &ARR[((arr_cursor *)c)->i];
    if (col == 0)
        sqlite3_result_int64(ctx, e->k);
    else if (isnan(e->v))
        sqlite3_result_null(ctx);
    else
        sqlite3_result_double(ctx, e->v);
    return SQLITE_OK;
}
static int arr_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *r)
{
    *r = (sqlite3_int64)((arr_cursor *)c)->i;
    return SQLITE_OK;
}
static sqlite3_module arr_module = {
    .xConnect = arr_connect, .xBestIndex = arr_best, .xDisconnect = arr_disconnect, .xOpen = arr_open,
    .xClose = arr_close, .xFilter = arr_filter, .xNext = arr_next, .xEof = arr_eof, .xColumn = arr_column,
    .xRowid = arr_rowid};

static int cmp_kv(const void *x, const void *y)
{
    int64_t a = ((const kv *)x)->k, b = ((const kv *)y)->k;
    return a < b ? -1 : a > b;
}

/* every value in file order (year, area, indicator), as sorted (key, value) pairs */
static void build_sorted(void)
{
    NARR = NA * NY * NK;
    ARR = malloc(NARR * sizeof *ARR);
    size_t n = 0;
    for (size_t t = 0; t < NY; t++)
        for (size_t a = 0; a < NA; a++)
            for (size_t k = 0; k < NK; k++)
                ARR[n++] = (kv){rowid_key(k, t, a), value_of(a, t, k)};
    qsort(ARR, NARR, sizeof *ARR, cmp_kv);
}

/* ---------------------------------------------------------------- writers */

enum { L_LONG_IDX, L_LONG_NOIDX, L_ROWID, L_ROWID100, L_ROWID_VTAB, L_ROWID_AREA, L_CHUNK, L__MAX };
static const char *const lname[L__MAX] = {"long+idx", "long-idx", "rowid", "rowid x100", "rowid vtab",
                                          "rowid+area", "chunk"};

static void bind_value(sqlite3_stmt *s, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_double(s, i, v);
}

static void write_long(sqlite3 *db, int keep_index)
{
    exec(db, "CREATE TABLE observation (indicator_id INTEGER NOT NULL, area_id INTEGER NOT NULL, "
             "year INTEGER NOT NULL, value REAL, PRIMARY KEY (indicator_id, year, area_id)) WITHOUT ROWID;"
             "CREATE INDEX observation_area ON observation(area_id, indicator_id, year);");
    exec(db, "BEGIN");
    if (!keep_index)
        exec(db, "DROP INDEX observation_area");
    sqlite3_stmt *s;
    check(db, sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO observation(indicator_id, year, area_id, value) "
                                     "VALUES (?1,?2,?3,?4)", -1, &s, NULL), "prepare");
    for (size_t t = 0; t < NY; t++)
        for (size_t a = 0; a < NA; a++)
            for (size_t k = 0; k < NK; k++) {
                sqlite3_bind_int64(s, 1, (int64_t)k + 1);
                sqlite3_bind_int(s, 2, Y0 + (int)t);
                sqlite3_bind_int64(s, 3, (int64_t)a + 1);
                bind_value(s, 4, value_of(a, t, k));
                check(db, sqlite3_step(s), "insert");
                sqlite3_reset(s);
            }
    sqlite3_finalize(s);
    if (!keep_index)
        exec(db, "CREATE INDEX observation_area ON observation(area_id, indicator_id, year)");
    exec(db, "COMMIT");
}

static void write_rowid(sqlite3 *db, int per_stmt, int area_index)
{
    exec(db, "CREATE TABLE obs (id INTEGER PRIMARY KEY, value REAL)");
    exec(db, "BEGIN");
    build_sorted();
    char *sql = malloc(64 + (size_t)per_stmt * 16);
    strcpy(sql, "INSERT OR REPLACE INTO obs(id, value) VALUES (?,?)");
    for (int i = 1; i < per_stmt; i++)
        strcat(sql, ",(?,?)");
    sqlite3_stmt *s, *one;
    check(db, sqlite3_prepare_v2(db, sql, -1, &s, NULL), "prepare");
    check(db, sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO obs(id, value) VALUES (?,?)", -1, &one, NULL), "prepare");
    size_t i = 0;
    for (; i + (size_t)per_stmt <= NARR; i += (size_t)per_stmt) {
        for (int j = 0; j < per_stmt; j++) {
            sqlite3_bind_int64(s, 2 * j + 1, ARR[i + (size_t)j].k);
            bind_value(s, 2 * j + 2, ARR[i + (size_t)j].v);
        }
        check(db, sqlite3_step(s), "insert");
        sqlite3_reset(s);
    }
    for (; i < NARR; i++) {
        sqlite3_bind_int64(one, 1, ARR[i].k);
        bind_value(one, 2, ARR[i].v);
        check(db, sqlite3_step(one), "insert");
        sqlite3_reset(one);
    }
    sqlite3_finalize(s);
    sqlite3_finalize(one);
    free(sql);
    free(ARR);
    if (area_index)
        exec(db, "CREATE INDEX obs_area ON obs((id & 4294967295), id)");
    exec(db, "COMMIT");
}

static void write_rowid_vtab(sqlite3 *db)
{
    exec(db, "CREATE TABLE obs (id INTEGER PRIMARY KEY, value REAL)");
    exec(db, "BEGIN");
    build_sorted();
    exec(db, "INSERT INTO obs(id, value) SELECT k, v FROM wbarr ORDER BY k");
    free(ARR);
    exec(db, "COMMIT");
}

static size_t CHUNK = 248; /* areas per chunk row (environment CHUNK; the store uses 248) */
static int PAGE = 4096;    /* page size of the new file (environment PAGE) */
static int64_t chunk_key(size_t chunk, size_t k, size_t t)
{
    return (int64_t)((uint64_t)chunk << 32 | (uint64_t)(k + 1) << 12 | (uint64_t)(Y0 + t));
}

static void write_chunk(sqlite3 *db)
{
    exec(db, "CREATE TABLE obs_chunk (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    exec(db, "BEGIN");
    /* buffer every chunk in memory as the importer would (file order in, key order out) */
    size_t nch = (NA + CHUNK) / CHUNK; /* area ids 1..NA: chunk = id / 256 */
    size_t nbuf = nch * NK * NY;
    uint64_t(*bits)[8] = calloc(nbuf, sizeof *bits);
    double *vals = malloc(nbuf * CHUNK * sizeof *vals);
    for (size_t t = 0; t < NY; t++)
        for (size_t a = 0; a < NA; a++)
            for (size_t k = 0; k < NK; k++) {
                size_t id = a + 1, c = id / CHUNK, off = id % CHUNK;
                size_t b = (c * NK + k) * NY + t;
                bits[b][off / 64] |= (uint64_t)1 << (off % 64);
                vals[b * CHUNK + off] = value_of(a, t, k);
            }
    sqlite3_stmt *s;
    check(db, sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO obs_chunk(id, data) VALUES (?1, ?2)", -1, &s, NULL),
          "prepare");
    unsigned char *blob = malloc(64 + CHUNK * 8);
    size_t nb = (CHUNK + 63) / 64 * 8;
    for (size_t c = 0; c < nch; c++)
        for (size_t k = 0; k < NK; k++)
            for (size_t t = 0; t < NY; t++) {
                size_t b = (c * NK + k) * NY + t, n = 0;
                memcpy(blob, bits[b], nb);
                for (size_t off = 0; off < CHUNK; off++)
                    if (bits[b][off / 64] >> (off % 64) & 1)
                        memcpy(blob + nb + 8 * n++, &vals[b * CHUNK + off], 8);
                if (!n)
                    continue;
                sqlite3_bind_int64(s, 1, chunk_key(c, k, t));
                sqlite3_bind_blob(s, 2, blob, (int)(nb + 8 * n), SQLITE_STATIC);
                check(db, sqlite3_step(s), "insert chunk");
                sqlite3_reset(s);
            }
    sqlite3_finalize(s);
    free(blob);
    free(bits);
    free(vals);
    exec(db, "COMMIT");
}

/* ---------------------------------------------------------------- readers */

static double *PANEL;
#define CELL(a, t, k) PANEL[((k) * NY + (t)) * NA + (a)]

static size_t read_panel(sqlite3 *db, int layout)
{
    for (size_t i = 0; i < NA * NY * NK; i++)
        PANEL[i] = NAN;
    size_t n = 0;
    sqlite3_stmt *s;
    if (layout == L_LONG_IDX || layout == L_LONG_NOIDX) {
        check(db, sqlite3_prepare_v2(db, "SELECT year, area_id, value FROM observation WHERE indicator_id = ?1",
                                     -1, &s, NULL), "prepare");
        for (size_t k = 0; k < NK; k++) {
            sqlite3_bind_int64(s, 1, (int64_t)k + 1);
            while (sqlite3_step(s) == SQLITE_ROW) {
                size_t t = (size_t)(sqlite3_column_int(s, 0) - Y0), a = (size_t)sqlite3_column_int64(s, 1) - 1;
                if (sqlite3_column_type(s, 2) != SQLITE_NULL)
                    CELL(a, t, k) = sqlite3_column_double(s, 2);
                n++;
            }
            sqlite3_reset(s);
        }
    } else if (layout == L_CHUNK) {
        check(db, sqlite3_prepare_v2(db, "SELECT id, data FROM obs_chunk", -1, &s, NULL), "prepare");
        while (sqlite3_step(s) == SQLITE_ROW) {
            uint64_t id = (uint64_t)sqlite3_column_int64(s, 0);
            size_t c = id >> 32, k = ((id >> 12) & 0xFFFFF) - 1, t = (id & 0xFFF) - Y0;
            const unsigned char *b = sqlite3_column_blob(s, 1);
            uint64_t bits[8];
            size_t nb = (CHUNK + 63) / 64 * 8;
            memcpy(bits, b, nb);
            const unsigned char *v = b + nb;
            for (size_t w = 0; w < nb / 8; w++)
                for (uint64_t m = bits[w]; m; m &= m - 1) {
                    size_t off = (size_t)w * 64 + (size_t)__builtin_ctzll(m);
                    double x;
                    memcpy(&x, v, 8);
                    v += 8;
                    CELL(c * CHUNK + off - 1, t, k) = x;
                    n++;
                }
        }
    } else {
        check(db, sqlite3_prepare_v2(db, "SELECT id, value FROM obs WHERE id >= ?1 AND id < ?2", -1, &s, NULL),
              "prepare");
        for (size_t k = 0; k < NK; k++) {
            sqlite3_bind_int64(s, 1, (int64_t)(k + 1) << 44);
            sqlite3_bind_int64(s, 2, (int64_t)(k + 2) << 44);
            while (sqlite3_step(s) == SQLITE_ROW) {
                uint64_t id = (uint64_t)sqlite3_column_int64(s, 0);
                size_t t = ((id >> 32) & 0xFFF) - Y0, a = (id & 0xFFFFFFFF) - 1;
                if (sqlite3_column_type(s, 1) != SQLITE_NULL)
                    CELL(a, t, k) = sqlite3_column_double(s, 1);
                n++;
            }
            sqlite3_reset(s);
        }
    }
    sqlite3_finalize(s);
    return n;
}

/* every value of one area (1-based id); returns how many */
static size_t read_profile(sqlite3 *db, sqlite3_stmt *s, int layout, size_t id, double *out)
{
    size_t n = 0;
    if (layout == L_LONG_IDX || layout == L_LONG_NOIDX) {
        sqlite3_bind_int64(s, 1, (int64_t)id);
        while (sqlite3_step(s) == SQLITE_ROW)
            out[n++] = sqlite3_column_double(s, 2);
    } else if (layout == L_ROWID_AREA) {
        sqlite3_bind_int64(s, 1, (int64_t)id);
        while (sqlite3_step(s) == SQLITE_ROW)
            out[n++] = sqlite3_column_double(s, 1);
    } else if (layout == L_CHUNK) {
        size_t c = id / CHUNK, off = id % CHUNK;
        sqlite3_bind_int64(s, 1, (int64_t)c << 32);
        sqlite3_bind_int64(s, 2, (int64_t)(c + 1) << 32);
        while (sqlite3_step(s) == SQLITE_ROW) {
            const unsigned char *b = sqlite3_column_blob(s, 1);
            uint64_t bits[8];
            size_t nb = (CHUNK + 63) / 64 * 8;
            memcpy(bits, b, nb);
            if (!(bits[off / 64] >> (off % 64) & 1))
                continue;
            size_t rank = 0;
            for (size_t w = 0; w < off / 64; w++)
                rank += (size_t)__builtin_popcountll(bits[w]);
            rank += (size_t)__builtin_popcountll(bits[off / 64] & (((uint64_t)1 << (off % 64)) - 1));
            memcpy(&out[n++], b + nb + 8 * rank, 8);
        }
    } else { /* rowid without an area index: one seek per (indicator, year) */
        for (size_t k = 0; k < NK; k++)
            for (size_t t = 0; t < NY; t++) {
                sqlite3_bind_int64(s, 1, rowid_key(k, t, id - 1));
                if (sqlite3_step(s) == SQLITE_ROW)
                    out[n++] = sqlite3_column_double(s, 0);
                sqlite3_reset(s);
            }
        return n;
    }
    sqlite3_reset(s);
    return n;
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void profiles(sqlite3 *db, int layout, double *p50, double *p99)
{
    static const char *const sql[L__MAX] = {
        [L_LONG_IDX] = "SELECT indicator_id, year, value FROM observation WHERE area_id = ?1",
        [L_LONG_NOIDX] = "SELECT indicator_id, year, value FROM observation WHERE area_id = ?1",
        [L_ROWID] = "SELECT value FROM obs WHERE id = ?1",
        [L_ROWID100] = "SELECT value FROM obs WHERE id = ?1",
        [L_ROWID_VTAB] = "SELECT value FROM obs WHERE id = ?1",
        [L_ROWID_AREA] = "SELECT id, value FROM obs WHERE (id & 4294967295) = ?1",
        [L_CHUNK] = "SELECT id, data FROM obs_chunk WHERE id >= ?1 AND id < ?2",
    };
    sqlite3_stmt *s;
    check(db, sqlite3_prepare_v2(db, sql[layout], -1, &s, NULL), "prepare profile");
    enum { NP = 500 };
    double lat[NP];
    double *out = malloc(NY * NK * sizeof *out);
    uint64_t x = 12345;
    for (int i = 0; i < NP; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t id = 1 + (x >> 33) % NA;
        double t0 = now();
        size_t n = read_profile(db, s, layout, id, out);
        lat[i] = now() - t0;
        if (n != NY * NK) {
            fprintf(stderr, "store_layouts: profile of %zu gave %zu values\n", id, n);
            exit(1);
        }
    }
    qsort(lat, NP, sizeof *lat, cmp_d);
    *p50 = lat[NP / 2];
    *p99 = lat[NP * 99 / 100];
    free(out);
    sqlite3_finalize(s);
}

static void run(const char *dir, int layout, const char *journal)
{
    char path[512];
    snprintf(path, sizeof path, "%s/layout.db", dir);
    unlink(path);
    char side[600];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
    double w0 = now(), c0 = cpu();
    sqlite3 *db;
    check(NULL, sqlite3_open(path, &db), "open");
    check(db, sqlite3_create_module(db, "wbarr", &arr_module, NULL), "module");
    char pragma[160];
    snprintf(pragma, sizeof pragma, "PRAGMA page_size = %d; PRAGMA journal_mode = %s; PRAGMA synchronous = NORMAL; "
                                    "PRAGMA cache_size = -16384", PAGE, journal);
    exec(db, pragma);
    switch (layout) {
    case L_LONG_IDX: write_long(db, 1); break;
    case L_LONG_NOIDX: write_long(db, 0); break;
    case L_ROWID: write_rowid(db, 1, 0); break;
    case L_ROWID100: write_rowid(db, 100, 0); break;
    case L_ROWID_VTAB: write_rowid_vtab(db); break;
    case L_ROWID_AREA: write_rowid(db, 1, 1); break;
    case L_CHUNK: write_chunk(db); break;
    }
    sqlite3_close(db);
    double ww = now() - w0, wc = cpu() - c0;
    struct stat sb;
    stat(path, &sb);

    check(NULL, sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), "open");
    exec(db, "PRAGMA cache_size = -65536");
    read_panel(db, layout); /* warm the page cache, as a server would be */
    double r0 = now(), rc0 = cpu();
    size_t n = read_panel(db, layout);
    double rw = now() - r0, rc = cpu() - rc0;
    double p50, p99;
    profiles(db, layout, &p50, &p99);
    sqlite3_close(db);
    printf("%-11s %-6s | %7.2f %7.2f %9.0f %7.1f | %7.3f %7.3f %8.2f | %8.3f %8.3f\n", lname[layout], journal, ww,
           wc, (double)(NA * NY * NK) / wc, (double)sb.st_size / 1048576.0, rw, rc, (double)n / rc / 1e6,
           p50 * 1e3, p99 * 1e3);
    fflush(stdout);
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: store_layouts DIR [AREAS YEARS INDICATORS [LAYOUT...]]\n");
        return 2;
    }
    NA = argc > 2 ? strtoul(argv[2], NULL, 10) : 50400;
    NY = argc > 3 ? strtoul(argv[3], NULL, 10) : 20;
    NK = argc > 4 ? strtoul(argv[4], NULL, 10) : 4;
    if (getenv("CHUNK"))
        CHUNK = strtoul(getenv("CHUNK"), NULL, 10);
    if (getenv("PAGE"))
        PAGE = atoi(getenv("PAGE"));
    if (CHUNK < 1 || CHUNK > 512) {
        fprintf(stderr, "store_layouts: CHUNK must be 1..512\n");
        return 2;
    }
    PANEL = malloc(NA * NY * NK * sizeof *PANEL);
    printf("%zu areas x %zu years x %zu indicators = %zu values; sqlite %s; page %d, chunk %zu\n", NA, NY, NK,
           NA * NY * NK, sqlite3_libversion(), PAGE, CHUNK);
    printf("%-18s | %-33s | %-24s | %-17s\n", "", "write (one transaction)", "panel load (warm)", "profile ms");
    printf("%-11s %-6s | %7s %7s %9s %7s | %7s %7s %8s | %8s %8s\n", "layout", "journ", "wall_s", "cpu_s",
           "values/s", "MB", "wall_s", "cpu_s", "M val/s", "p50", "p99");
    for (int l = 0; l < L__MAX; l++) {
        int want = argc <= 5;
        for (int i = 5; i < argc; i++)
            want |= !strcmp(argv[i], lname[l]);
        if (!want)
            continue;
        run(argv[1], l, "WAL");
        run(argv[1], l, "DELETE");
    }
    free(PANEL);
    return 0;
}
