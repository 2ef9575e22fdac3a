/** @file @brief The SQLite store: open and migrate, transactions, areas, indicators,
 *  observations, geometries, label sets. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "store/schema.h"
#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

_Static_assert(WB_NMIGRATIONS == WB_STORE_SCHEMA_VERSION, "one migration per schema version");

/* Statements prepared once per store; the import hot path reuses them. */
enum {
    ST_AREA_FIND,
    ST_AREA_INSERT,
    ST_AREA_UPDATE,
    ST_GEOM_PUT,
    ST__MAX
};

static const char *const stmt_sql[ST__MAX] = {
    [ST_AREA_FIND] = "SELECT id, name, parent FROM area WHERE code = ?1 AND year = ?2",
    [ST_AREA_INSERT] = "INSERT INTO area(code, year, level, name, parent) VALUES (?1,?2,?3,?4,?5)",
    [ST_AREA_UPDATE] = "UPDATE area SET name = coalesce(?2, name), parent = coalesce(?3, parent) "
                       "WHERE id = ?1",
    [ST_GEOM_PUT] = "INSERT OR REPLACE INTO geometry(area_id, wkb, minx, miny, maxx, maxy) "
                    "VALUES (?1,?2,?3,?4,?5,?6)",
};

/* A small open-addressing cache (code, year) -> id, valid within one transaction's view. */
typedef struct {
    char code[WB_CODE_MAX];
    int year;
    int64_t id;
} area_slot;

/* A statement of another store module, kept for the life of the store and found by the
 * address of its SQL text. */
typedef struct {
    const char *sql;
    sqlite3_stmt *s;
} kept_stmt;

struct wb_store {
    sqlite3 *db;
    wb_obs *obs;
    sqlite3_stmt *stmt[ST__MAX];
    int in_tx;
    int in_snapshot;   /* a read transaction of wb_store_snapshot_begin */
    int bulk;          /* wb_store_bulk_begin changed the page cache ... */
    int cache_before;  /* ... from this PRAGMA cache_size */
    area_slot *cache;
    size_t cache_cap, cache_n;
    int full_years[64];/* boundary years for which the cache holds every area (this transaction) */
    int nfull;
    kept_stmt *kept;   /* statements of the other store modules (wb_store__stmt) */
    size_t nkept, capkept;
};

sqlite3 *wb_store__db(wb_store *st)
{
    /* a failure is remembered by the observation layer and fails the commit */
    if (wb_obs__pending(st->obs))
        (void)wb_obs__flush(st->obs);
    return st->db;
}

wb_obs *wb_store__obs(wb_store *st)
{
    return st->obs;
}

int wb_store__obs_flush(wb_store *st)
{
    return wb_obs__flush(st->obs);
}

int wb_store__in_tx(wb_store *st)
{
    return st->in_tx;
}

int wb_store__error(wb_store *st, const char *what)
{
    wb_error_set(WB_ERRCLASS_STORE, "%s: %s", what, st && st->db ? sqlite3_errmsg(st->db) : "no database");
    return WB_ESTORE;
}

int wb_store__prepare(wb_store *st, sqlite3_stmt **out, const char *sql)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return wb_store__error(st, "preparing a query");
    }
    return 0;
}

int wb_store__stmt(wb_store *st, sqlite3_stmt **out, const char *sql)
{
    for (size_t i = 0; i < st->nkept; i++) {
        if (st->kept[i].sql == sql) {
            *out = st->kept[i].s;
            sqlite3_reset(*out);
            sqlite3_clear_bindings(*out);
            return 0;
        }
    }
    *out = NULL;
    if (wb__grow((void **)&st->kept, &st->capkept, st->nkept + 1, sizeof *st->kept) < 0)
        return WB_ENOMEM;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        return wb_store__error(st, "preparing a query");
    st->kept[st->nkept].sql = sql;
    st->kept[st->nkept].s = s;
    st->nkept++;
    *out = s;
    return 0;
}

static sqlite3_stmt *stmt(wb_store *st, int which)
{
    if (!st->stmt[which] &&
        sqlite3_prepare_v3(st->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &st->stmt[which], NULL) != SQLITE_OK) {
        wb_store__error(st, "preparing a statement");
        return NULL;
    }
    sqlite3_reset(st->stmt[which]);
    sqlite3_clear_bindings(st->stmt[which]);
    return st->stmt[which];
}

static void cache_clear(wb_store *st)
{
    wb_free(st->cache);
    st->cache = NULL;
    st->cache_cap = st->cache_n = 0;
    st->nfull = 0;
}

static int year_is_full(const wb_store *st, int year)
{
    for (int i = 0; i < st->nfull; i++)
        if (st->full_years[i] == year)
            return 1;
    return 0;
}

int wb_store__area_year_new(wb_store *st, int year)
{
    if (!st->in_tx || year_is_full(st, year))
        return year_is_full(st, year);
    if (st->nfull == (int)(sizeof st->full_years / sizeof st->full_years[0]))
        return 0;
    sqlite3_stmt *s = NULL;
    /* through the index on (level, year): one probe per level */
    if (wb_store__prepare(st, &s, "SELECT 1 FROM area WHERE level IN ('land','gemeente','wijk','buurt','other') "
                                  "AND year = ?1 LIMIT 1") < 0)
        return WB_ESTORE;
    sqlite3_bind_int(s, 1, year);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE) {
        st->full_years[st->nfull++] = year;
        return 1;
    }
    return rc == SQLITE_ROW ? 0 : wb_store__error(st, "looking for areas");
}

void wb_store__cache_clear(wb_store *st)
{
    cache_clear(st);
}

static uint64_t hash_key(const char *code, int year)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uint32_t)year;
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static area_slot *cache_lookup(wb_store *st, const char *code, int year)
{
    if (!st->cache)
        return NULL;
    size_t mask = st->cache_cap - 1;
    for (size_t i = hash_key(code, year) & mask;; i = (i + 1) & mask) {
        area_slot *s = &st->cache[i];
        if (!s->code[0])
            return NULL;
        if (s->year == year && !strcmp(s->code, code))
            return s;
    }
}

static void cache_insert(wb_store *st, const char *code, int year, int64_t id)
{
    if ((st->cache_n + 1) * 2 > st->cache_cap) {
        size_t ncap = st->cache_cap ? st->cache_cap * 2 : 1024;
        area_slot *nc = wb_calloc(ncap, sizeof *nc);
        if (!nc) {
            st->nfull = 0; /* the cache is no longer complete for any year */
            return;        /* a cache miss costs a query, nothing more */
        }
        for (size_t i = 0; i < st->cache_cap; i++) {
            area_slot *s = &st->cache[i];
            if (!s->code[0])
                continue;
            size_t j = hash_key(s->code, s->year) & (ncap - 1);
            while (nc[j].code[0])
                j = (j + 1) & (ncap - 1);
            nc[j] = *s;
        }
        wb_free(st->cache);
        st->cache = nc;
        st->cache_cap = ncap;
    }
    size_t mask = st->cache_cap - 1;
    size_t i = hash_key(code, year) & mask;
    while (st->cache[i].code[0])
        i = (i + 1) & mask;
    size_t len = strlen(code);
    if (len >= WB_CODE_MAX)
        len = WB_CODE_MAX - 1;
    memcpy(st->cache[i].code, code, len);
    st->cache[i].code[len] = 0;
    st->cache[i].year = year;
    st->cache[i].id = id;
    st->cache_n++;
}

static int exec(wb_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        wb_error_set(WB_ERRCLASS_STORE, "%s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return WB_ESTORE;
    }
    return 0;
}

static int get_user_version(wb_store *st, int *v)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "PRAGMA user_version");
    if (error < 0)
        return error;
    if (sqlite3_step(s) != SQLITE_ROW)
        error = wb_store__error(st, "reading the schema version");
    else
        *v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return error;
}

static int is_wijkbeeld_db(wb_store *st)
{
    sqlite3_stmt *s = NULL;
    int n = -1;
    if (wb_store__prepare(st, &s, "SELECT count(*) FROM sqlite_master") < 0)
        return 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

static int migrate(wb_store *st, const char *path)
{
    int v = 0, error;
    if ((error = get_user_version(st, &v)) < 0)
        return error;
    if (v > WB_STORE_SCHEMA_VERSION) {
        wb_error_set(WB_ERRCLASS_STORE,
                     "%s has schema version %d, newer than this wijkbeeld (%d): upgrade wijkbeeld",
                     path, v, WB_STORE_SCHEMA_VERSION);
        return WB_ESTORE;
    }
    if (v == 0 && is_wijkbeeld_db(st) != 0) {
        wb_error_set(WB_ERRCLASS_STORE, "%s is an SQLite database, but not a wijkbeeld store", path);
        return WB_ESTORE;
    }
    for (; v < WB_STORE_SCHEMA_VERSION; v++) {
        char pragma[64];
        if ((error = exec(st, "BEGIN IMMEDIATE")) < 0)
            return error;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if ((error = exec(st, wb_migrations[v])) < 0 || (v + 1 == 3 && (error = wb_obs__migrate_v3(st->obs)) < 0) ||
            (error = exec(st, pragma)) < 0) {
            wb_error_prefix("%s: migrating the schema to version %d", path, v + 1);
            exec(st, "ROLLBACK");
            return error;
        }
        if ((error = exec(st, "COMMIT")) < 0)
            return error;
    }
    return 0;
}

int wb_store_open(wb_store **out, const char *path, int flags)
{
    *out = NULL;
    int memory = !strcmp(path, ":memory:");
    struct stat sb;
    if (!memory && stat(path, &sb) != 0 && !(flags & WB_STORE_CREATE)) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: no such database (create it with an import or demo)", path);
        return WB_ENOTFOUND;
    }
    wb_store *st = wb_calloc(1, sizeof *st);
    if (!st)
        return WB_ENOMEM;
    int oflags = (flags & WB_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int error = 0;
    /* A new store is for its owner only (it holds password and session hashes): create the
     * file 0600 ourselves, whatever the umask; SQLite gives the -wal and -shm files the
     * mode of the database file. An empty file is a valid new database. */
    if (!memory && !(flags & WB_STORE_READONLY)) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        error = wb_store__error(st, path);
        goto done;
    }
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 1);
    if ((error = wb_obs__attach(&st->obs, st, st->db)) < 0)
        goto done;
    if ((error = exec(st, "PRAGMA foreign_keys = ON")) < 0)
        goto done;
    /* reads through a memory map: no read() and copy per page (docs/store.md: the panel load
     * and the profiles of the benchmark take ~20% and ~40% less CPU) */
    if (!memory && (error = exec(st, "PRAGMA mmap_size = 1073741824")) < 0)
        goto done;
    if (!(flags & WB_STORE_READONLY)) {
        /* NORMAL first: switching a new file to WAL is itself a rollback-journal write */
        if ((error = exec(st, "PRAGMA synchronous = NORMAL")) < 0)
            goto done;
        if (!memory && (error = exec(st, "PRAGMA journal_mode = WAL")) < 0) {
            wb_error_prefix("%s", path);
            goto done;
        }
        if ((error = migrate(st, path)) < 0)
            goto done;
    } else {
        int v = 0;
        if ((error = get_user_version(st, &v)) < 0)
            goto done;
        if (v != WB_STORE_SCHEMA_VERSION) {
            wb_error_set(WB_ERRCLASS_STORE, "%s has schema version %d, expected %d (open it writable once to migrate)",
                         path, v, WB_STORE_SCHEMA_VERSION);
            error = WB_ESTORE;
            goto done;
        }
    }
done:
    if (error < 0) {
        if (st->db && strstr(wb_error_last()->message, "file is not a database")) {
            wb_error_set(WB_ERRCLASS_STORE, "%s is not an SQLite database", path);
            error = WB_ESTORE;
        }
        wb_store_free(st);
        return error;
    }
    *out = st;
    return 0;
}

void wb_store_free(wb_store *st)
{
    if (!st)
        return;
    if ((st->in_tx || st->in_snapshot) && st->db)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < ST__MAX; i++)
        sqlite3_finalize(st->stmt[i]);
    for (size_t i = 0; i < st->nkept; i++)
        sqlite3_finalize(st->kept[i].s);
    wb_free(st->kept);
    if (st->db) {
        sqlite3_commit_hook(st->db, NULL, NULL);
        sqlite3_rollback_hook(st->db, NULL, NULL);
    }
    wb_obs__free(st->obs);
    sqlite3_close(st->db);
    cache_clear(st);
    wb_free(st);
}

int wb_store_schema_version(wb_store *st)
{
    int v = -1;
    get_user_version(st, &v);
    return v;
}

int wb_store_begin(wb_store *st)
{
    if (st->in_tx) {
        wb_error_set(WB_ERRCLASS_STORE, "a transaction is already open");
        return WB_ESTORE;
    }
    int error = exec(st, "BEGIN IMMEDIATE");
    if (error == 0)
        st->in_tx = 1;
    st->nfull = 0;
    return error;
}

int wb_store_commit(wb_store *st)
{
    if (!st->in_tx) {
        wb_error_set(WB_ERRCLASS_STORE, "no transaction to commit");
        return WB_ESTORE;
    }
    int error = wb_obs__flush(st->obs);
    if (error < 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", wb_error_last()->message);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        wb_obs__discard(st->obs);
        cache_clear(st);
        st->in_tx = 0;
        wb_error_set(WB_ERRCLASS_STORE, "commit failed: %s", msg);
        return error;
    }
    error = exec(st, "COMMIT");
    if (error < 0) {
        /* keep this message, roll back what is left */
        char msg[512];
        snprintf(msg, sizeof msg, "%s", wb_error_last()->message);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        cache_clear(st);
        wb_error_set(WB_ERRCLASS_STORE, "commit failed: %s", msg);
    }
    st->in_tx = 0;
    st->nfull = 0;
    return error;
}

int wb_store_rollback(wb_store *st)
{
    if (!st->in_tx)
        return 0;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL); /* keeps the caller's message */
    wb_obs__discard(st->obs);
    st->in_tx = 0;
    cache_clear(st); /* ids inserted in the transaction are gone */
    return 0;
}

int wb_store_in_transaction(const wb_store *st)
{
    return st->in_tx;
}

int wb_store_snapshot_begin(wb_store *st)
{
    if (st->in_tx || st->in_snapshot) {
        wb_error_set(WB_ERRCLASS_STORE, "a transaction is already open");
        return WB_ESTORE;
    }
    /* deferred: the snapshot is taken by the first read */
    int error = exec(st, "BEGIN");
    if (error == 0)
        st->in_snapshot = 1;
    return error;
}

void wb_store_snapshot_end(wb_store *st)
{
    if (!st->in_snapshot)
        return;
    /* nothing was written: COMMIT only ends the read; a failure leaves nothing to keep */
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_snapshot = 0;
}

int wb_store_bulk_begin(wb_store *st)
{
    if (st->bulk)
        return 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "PRAGMA cache_size");
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW)
        st->cache_before = sqlite3_column_int(s, 0);
    else
        error = wb_store__error(st, "reading the page cache size");
    sqlite3_finalize(s);
    /* 16 MiB of pages: the B-tree pages that a bulk write touches again stay in memory */
    if (error == 0 && (error = exec(st, "PRAGMA cache_size = -16384")) == 0)
        st->bulk = 1;
    return error;
}

void wb_store_bulk_end(wb_store *st)
{
    if (!st->bulk)
        return;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %d", st->cache_before);
    sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
    st->bulk = 0;
}

int wb_store_transact(wb_store *st, int (*fn)(wb_store *st, void *payload), void *payload)
{
    int error = wb_store_begin(st);
    if (error < 0)
        return error;
    int rc = fn(st, payload);
    if (rc < 0) {
        wb_store_rollback(st);
        return rc;
    }
    error = wb_store_commit(st);
    return error < 0 ? error : rc;
}

/* ---------------------------------------------------------------- areas */

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *t)
{
    if (t && *t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

int wb_store_area_find(wb_store *st, int64_t *id, const char *code, int year)
{
    area_slot *c = cache_lookup(st, code, year);
    if (c) {
        if (id)
            *id = c->id;
        return 0;
    }
    if (st->nfull && year_is_full(st, year)) {
        wb_error_set(WB_ERRCLASS_STORE, "no area %s in %d", code, year);
        return WB_ENOTFOUND;
    }
    sqlite3_stmt *s = stmt(st, ST_AREA_FIND);
    if (!s)
        return WB_ESTORE;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int64_t found = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        cache_insert(st, code, year, found);
        if (id)
            *id = found;
        return 0;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return wb_store__error(st, "looking up an area");
    wb_error_set(WB_ERRCLASS_STORE, "no area %s in %d", code, year);
    return WB_ENOTFOUND;
}

int wb_store_area_put(wb_store *st, int64_t *id, const char *code, int year, wb_level level,
                      const char *name, const char *parent)
{
    char derived[WB_CODE_MAX];
    if (!parent && wb_code_parent(derived, code) == 0)
        parent = derived;
    const char *lname = wb_level_name(level);
    if (!lname || !code || !*code) {
        wb_error_set(WB_ERRCLASS_ARG, "area needs a code and a valid level");
        return WB_EINVALID;
    }
    int64_t found;
    int error = wb_store_area_find(st, &found, code, year);
    if (error == 0) {
        if ((name && *name) || (parent && *parent)) {
            sqlite3_stmt *s = stmt(st, ST_AREA_UPDATE);
            if (!s)
                return WB_ESTORE;
            sqlite3_bind_int64(s, 1, found);
            bind_text_or_null(s, 2, name);
            bind_text_or_null(s, 3, parent);
            int rc = sqlite3_step(s);
            sqlite3_reset(s);
            if (rc != SQLITE_DONE)
                return wb_store__error(st, "updating an area");
        }
        if (id)
            *id = found;
        return 0;
    }
    if (error != WB_ENOTFOUND)
        return error;
    sqlite3_stmt *s = stmt(st, ST_AREA_INSERT);
    if (!s)
        return WB_ESTORE;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_text(s, 3, lname, -1, SQLITE_STATIC);
    bind_text_or_null(s, 4, name);
    bind_text_or_null(s, 5, parent);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return wb_store__error(st, "inserting an area");
    int64_t nid = sqlite3_last_insert_rowid(st->db);
    cache_insert(st, code, year, nid);
    if (id)
        *id = nid;
    return 0;
}

static int level_from_text(const unsigned char *t)
{
    wb_level l = WB_LEVEL_OTHER;
    if (t)
        wb_level_parse(&l, (const char *)t);
    return (int)l;
}

static void copy_code(char dst[WB_CODE_MAX], const unsigned char *src)
{
    snprintf(dst, WB_CODE_MAX, "%s", src ? (const char *)src : "");
}

void wb_areas_free(wb_area *areas, size_t n)
{
    if (!areas)
        return;
    for (size_t i = 0; i < n; i++)
        wb_free(areas[i].name);
    wb_free(areas);
}

/* Collect areas from a statement whose columns are id, code, year, level, name, parent, has_geom. */
static int collect_areas(wb_store *st, sqlite3_stmt *s, wb_area **out, size_t *n)
{
    size_t cap = 0, cnt = 0;
    wb_area *arr = NULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            wb_area *na = wb_realloc(arr, cap * sizeof *na);
            if (!na) {
                wb_areas_free(arr, cnt);
                return WB_ENOMEM;
            }
            arr = na;
        }
        wb_area *a = &arr[cnt];
        memset(a, 0, sizeof *a);
        a->id = sqlite3_column_int64(s, 0);
        copy_code(a->code, sqlite3_column_text(s, 1));
        a->year = sqlite3_column_int(s, 2);
        a->level = (wb_level)level_from_text(sqlite3_column_text(s, 3));
        const unsigned char *name = sqlite3_column_text(s, 4);
        a->name = name ? wb_strdup((const char *)name) : NULL;
        copy_code(a->parent, sqlite3_column_text(s, 5));
        a->has_geometry = sqlite3_column_int(s, 6);
        cnt++;
        if (name && !a->name) {
            wb_areas_free(arr, cnt);
            return WB_ENOMEM;
        }
    }
    if (rc != SQLITE_DONE) {
        wb_areas_free(arr, cnt);
        return wb_store__error(st, "listing areas");
    }
    *out = arr;
    *n = cnt;
    return 0;
}

#define AREA_COLS "a.id, a.code, a.year, a.level, a.name, a.parent, " \
                  "EXISTS (SELECT 1 FROM geometry g WHERE g.area_id = a.id)"

/* Areas within a code at any depth: CBS codes nest by prefix (GM0363 > WK036300 > BU03630000),
 * other codes by following parent links. */
#define WITHIN_SQL                                                                          \
    "(?3 IS NULL OR a.code = ?3 OR a.parent = ?3 OR "                                         \
    " (substr(?3,1,2) = 'GM' AND substr(a.code,1,2) IN ('WK','BU') AND substr(a.code,3,4) = substr(?3,3,4)) OR " \
    " (substr(?3,1,2) = 'WK' AND substr(a.code,1,2) = 'BU' AND substr(a.code,3,6) = substr(?3,3,6)) OR " \
    " ?3 = 'NL00')"

int wb_store_areas(wb_store *st, wb_area **out, size_t *n, const wb_area_query *q)
{
    static const wb_area_query none = WB_AREA_QUERY_INIT;
    if (!q)
        q = &none;
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(
        st, &s,
        "SELECT " AREA_COLS " FROM area a "
        "WHERE (?1 IS NULL OR a.level = ?1) AND (?2 = 0 OR a.year = ?2) AND " WITHIN_SQL
        " AND (?4 = 0 OR EXISTS (SELECT 1 FROM geometry g WHERE g.area_id = a.id)) "
        "AND (?5 IS NULL OR a.parent = ?5) ORDER BY a.year, a.code");
    if (error < 0)
        return error;
    if (q->level != WB_LEVEL__MAX)
        sqlite3_bind_text(s, 1, wb_level_name(q->level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, q->year);
    bind_text_or_null(s, 3, q->within);
    sqlite3_bind_int(s, 4, q->with_geometry);
    bind_text_or_null(s, 5, q->parent);
    error = collect_areas(st, s, out, n);
    sqlite3_finalize(s);
    return error;
}

int wb_store_area_get(wb_store *st, wb_area **out, const char *code, int year)
{
    *out = NULL;
    /* prepared once: a web profile asks for three areas */
    static const char sql[] = "SELECT " AREA_COLS " FROM area a WHERE a.code = ?1 "
                              "AND (?2 = 0 OR a.year = ?2) ORDER BY a.year DESC LIMIT 1";
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    size_t n = 0;
    error = collect_areas(st, s, out, &n);
    sqlite3_reset(s);
    if (error == 0 && n == 0) {
        if (year)
            wb_error_set(WB_ERRCLASS_STORE, "no area %s with boundaries of %d", code, year);
        else
            wb_error_set(WB_ERRCLASS_STORE, "no area %s", code);
        return WB_ENOTFOUND;
    }
    return error;
}

/* ---------------------------------------------------------------- indicators */

int wb_store_indicator_put(wb_store *st, int64_t *id, const wb_indicator *ind)
{
    if (!ind->key || !*ind->key) {
        wb_error_set(WB_ERRCLASS_ARG, "an indicator needs a key");
        return WB_EINVALID;
    }
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(
        st, &s,
        "INSERT INTO indicator(key, label_nl, label_en, unit, direction, dimension, source) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(key) DO UPDATE SET "
        "label_nl = coalesce(?2, label_nl), label_en = coalesce(?3, label_en), "
        "unit = coalesce(?4, unit), direction = CASE WHEN ?5 != 0 THEN ?5 ELSE direction END, "
        "dimension = coalesce(?6, dimension), source = coalesce(?7, source) RETURNING id");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, ind->key, -1, SQLITE_STATIC);
    bind_text_or_null(s, 2, ind->label_nl);
    bind_text_or_null(s, 3, ind->label_en);
    bind_text_or_null(s, 4, ind->unit);
    sqlite3_bind_int(s, 5, ind->direction);
    bind_text_or_null(s, 6, ind->dimension);
    bind_text_or_null(s, 7, ind->source);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = wb_store__error(st, "storing an indicator");
    } else if (id) {
        *id = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return error;
}

int wb_store_alias_put(wb_store *st, const char *alias, const char *key)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(
        st, &s,
        "INSERT INTO indicator_alias(alias, indicator_id) "
        "SELECT ?1, id FROM indicator WHERE key = ?2 "
        "ON CONFLICT(alias) DO UPDATE SET indicator_id = excluded.indicator_id");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, alias, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        error = wb_store__error(st, "storing an alias");
    else if (sqlite3_changes(st->db) == 0) {
        wb_error_set(WB_ERRCLASS_STORE, "alias '%s' for unknown indicator '%s'", alias, key);
        error = WB_ENOTFOUND;
    }
    sqlite3_finalize(s);
    return error;
}

int wb_store_indicator_resolve(wb_store *st, int64_t *id, char key[64], const char *name)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(
        st, &s,
        "SELECT id, key FROM indicator WHERE key = ?1 UNION ALL "
        "SELECT i.id, i.key FROM indicator_alias a JOIN indicator i ON i.id = a.indicator_id "
        "WHERE a.alias = ?1 LIMIT 1");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(s, 0);
        if (key)
            snprintf(key, 64, "%s", (const char *)sqlite3_column_text(s, 1));
    } else if (rc == SQLITE_DONE) {
        wb_error_set(WB_ERRCLASS_STORE, "unknown indicator '%s' (see 'wijkbeeld indicators')", name);
        error = WB_ENOTFOUND;
    } else {
        error = wb_store__error(st, "resolving an indicator");
    }
    sqlite3_finalize(s);
    return error;
}

static char *dup_col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? wb_strdup((const char *)t) : NULL;
}

void wb_indicators_free(wb_indicator *inds, size_t n)
{
    if (!inds)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(inds[i].key);
        wb_free(inds[i].label_nl);
        wb_free(inds[i].label_en);
        wb_free(inds[i].unit);
        wb_free(inds[i].dimension);
        wb_free(inds[i].source);
        wb_free(inds[i].aliases);
    }
    wb_free(inds);
}

/* An indicator from the columns id, key, label_nl, label_en, unit, direction, dimension,
 * source and (when the statement has it) aliases. WB_ENOMEM when a text could not be copied. */
static int read_indicator(wb_indicator *d, sqlite3_stmt *s)
{
    memset(d, 0, sizeof *d);
    char **text[9] = {NULL, &d->key, &d->label_nl, &d->label_en, &d->unit, NULL, &d->dimension, &d->source,
                      &d->aliases};
    d->id = sqlite3_column_int64(s, 0);
    d->direction = sqlite3_column_int(s, 5);
    int ncols = sqlite3_column_count(s);
    for (int c = 1; c < ncols && c < 9; c++)
        if (text[c] && !(*text[c] = dup_col(s, c)) && sqlite3_column_type(s, c) != SQLITE_NULL) {
            wb_error_set(WB_ERRCLASS_NOMEM, "out of memory reading indicators");
            return WB_ENOMEM;
        }
    return 0;
}

int wb_store_indicator_get(wb_store *st, wb_indicator **out, int64_t id)
{
    static const char sql[] = "SELECT id, key, label_nl, label_en, unit, direction, dimension, source "
                              "FROM indicator WHERE id = ?1";
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    wb_indicator *d = NULL;
    if (rc == SQLITE_ROW) {
        if (!(d = wb_calloc(1, sizeof *d))) {
            wb_error_set(WB_ERRCLASS_NOMEM, "out of memory reading an indicator");
            error = WB_ENOMEM;
        } else {
            error = read_indicator(d, s);
        }
    } else if (rc == SQLITE_DONE) {
        wb_error_set(WB_ERRCLASS_STORE, "no indicator with id %lld", (long long)id);
        error = WB_ENOTFOUND;
    } else {
        error = wb_store__error(st, "reading an indicator");
    }
    sqlite3_reset(s);
    if (error < 0) {
        wb_indicators_free(d, d ? 1 : 0);
        return error;
    }
    *out = d;
    return 0;
}

int wb_store_indicators(wb_store *st, wb_indicator **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(
        st, &s,
        "SELECT i.id, i.key, i.label_nl, i.label_en, i.unit, i.direction, i.dimension, i.source, "
        "(SELECT group_concat(alias, ',') FROM (SELECT alias FROM indicator_alias a "
        " WHERE a.indicator_id = i.id ORDER BY alias)) FROM indicator i ORDER BY i.key");
    if (error < 0)
        return error;
    size_t cap = 0, cnt = 0;
    wb_indicator *arr = NULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            wb_indicator *na = wb_realloc(arr, cap * sizeof *na);
            if (!na) {
                error = WB_ENOMEM;
                break;
            }
            arr = na;
        }
        if ((error = read_indicator(&arr[cnt++], s)) < 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing indicators");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_indicators_free(arr, cnt);
        return error;
    }
    *out = arr;
    *n = cnt;
    return 0;
}

/* ---------------------------------------------------------------- observations */

int wb_store_obs_put(wb_store *st, int64_t indicator_id, int64_t area_id, int year, double value)
{
    return wb_obs__put(st->obs, indicator_id, area_id, year, value);
}

int wb_store_values(wb_store *st, wb_value **out, size_t *n, size_t *missing,
                    const wb_value_query *q)
{
    *out = NULL;
    *n = 0;
    if (missing)
        *missing = 0;
    int64_t ind;
    int error = wb_store_indicator_resolve(st, &ind, NULL, q->indicator);
    if (error < 0 || (error = wb_obs__flush(st->obs)) < 0)
        return error;
    sqlite3_stmt *s = NULL;
    error = wb_store__prepare(
        st, &s,
        "SELECT a.id, a.code, o.year, a.year, a.level, o.value FROM observation o "
        "JOIN area a ON a.id = o.area_id "
        "WHERE o.indicator_id = ?5 AND (?6 = 0 OR o.year = ?6) AND (?7 = 0 OR a.year = ?7) "
        "AND (?1 IS NULL OR a.level = ?1) AND (?8 IS NULL OR a.code = ?8) AND " WITHIN_SQL
        " ORDER BY o.year, a.code, a.year");
    if (error < 0)
        return error;
    if (q->level != WB_LEVEL__MAX)
        sqlite3_bind_text(s, 1, wb_level_name(q->level), -1, SQLITE_STATIC);
    bind_text_or_null(s, 3, q->within);
    sqlite3_bind_int64(s, 5, ind);
    sqlite3_bind_int(s, 6, q->year);
    sqlite3_bind_int(s, 7, q->boundary_year);
    bind_text_or_null(s, 8, q->code);
    size_t cap = 0, cnt = 0, nmiss = 0;
    wb_value *arr = NULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int isnull = sqlite3_column_type(s, 5) == SQLITE_NULL;
        if (isnull) {
            nmiss++;
            if (!q->with_missing)
                continue;
        }
        if (cnt == cap) {
            cap = cap ? cap * 2 : 256;
            wb_value *na = wb_realloc(arr, cap * sizeof *na);
            if (!na) {
                error = WB_ENOMEM;
                break;
            }
            arr = na;
        }
        wb_value *v = &arr[cnt++];
        v->area_id = sqlite3_column_int64(s, 0);
        copy_code(v->code, sqlite3_column_text(s, 1));
        v->year = sqlite3_column_int(s, 2);
        v->boundary_year = sqlite3_column_int(s, 3);
        v->level = (wb_level)level_from_text(sqlite3_column_text(s, 4));
        v->value = isnull ? NAN : sqlite3_column_double(s, 5);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading values");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_free(arr);
        return error;
    }
    *out = arr;
    *n = cnt;
    if (missing)
        *missing = q->with_missing ? 0 : nmiss;
    return 0;
}

/* ---------------------------------------------------------------- geometry */

int wb_store_geom_put(wb_store *st, int64_t area_id, const wb_geom *g)
{
    unsigned char *wkb = NULL;
    size_t len = 0;
    int error = wb_geom_to_wkb(&wkb, &len, g);
    if (error < 0)
        return error;
    sqlite3_stmt *s = stmt(st, ST_GEOM_PUT);
    if (!s) {
        wb_free(wkb);
        return WB_ESTORE;
    }
    sqlite3_bind_int64(s, 1, area_id);
    sqlite3_bind_blob(s, 2, wkb, (int)len, SQLITE_STATIC);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(s, 3 + i, g->bbox[i]);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    wb_free(wkb);
    if (rc != SQLITE_DONE)
        return wb_store__error(st, "storing a geometry");
    return 0;
}

void wb_layer_dispose(wb_layer *layer)
{
    if (!layer)
        return;
    for (size_t i = 0; i < layer->n; i++) {
        if (layer->names)
            wb_free(layer->names[i]);
        if (layer->geoms)
            wb_geom_dispose(&layer->geoms[i]);
    }
    wb_free(layer->codes);
    wb_free(layer->names);
    wb_free(layer->geoms);
    wb_layer empty = WB_LAYER_INIT;
    *layer = empty;
}

int wb_store_layer_load(wb_store *st, wb_layer *out, wb_level level, int year)
{
    wb_layer empty = WB_LAYER_INIT;
    *out = empty;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s,
                                  "SELECT a.code, a.name, g.wkb FROM area a JOIN geometry g ON "
                                  "g.area_id = a.id WHERE a.level = ?1 AND a.year = ?2 ORDER BY a.code");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    size_t cap = 0;
    int rc;
    out->level = level;
    out->year = year;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 256;
            void *c = wb_realloc(out->codes, cap * sizeof *out->codes);
            if (c)
                out->codes = c;
            void *nm = c ? wb_realloc(out->names, cap * sizeof *out->names) : NULL;
            if (nm)
                out->names = nm;
            void *g = nm ? wb_realloc(out->geoms, cap * sizeof *out->geoms) : NULL;
            if (g)
                out->geoms = g;
            if (!g) {
                error = WB_ENOMEM;
                break;
            }
        }
        size_t i = out->n;
        copy_code(out->codes[i], sqlite3_column_text(s, 0));
        out->names[i] = dup_col(s, 1);
        wb_geom gm = WB_GEOM_INIT;
        out->geoms[i] = gm;
        out->n++;
        error = wb_geom_from_wkb(&out->geoms[i], sqlite3_column_blob(s, 2),
                                 (size_t)sqlite3_column_bytes(s, 2));
        if (error < 0) {
            wb_error_prefix("stored geometry of %s (%d)", out->codes[i], year);
            break;
        }
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "loading geometries");
    sqlite3_finalize(s);
    if (error == 0 && out->n == 0) {
        wb_error_set(WB_ERRCLASS_STORE, "no %s geometries for %d (import them with 'import geo')",
                     wb_level_name(level), year);
        error = WB_ENOTFOUND;
    }
    if (error < 0)
        wb_layer_dispose(out);
    return error;
}

/* ---------------------------------------------------------------- label sets */

int wb_store_label_set_put(wb_store *st, int64_t *id, const char *name, const char *description)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(
        st, &s,
        "INSERT INTO label_set(name, description) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE "
        "SET description = coalesce(?2, description) RETURNING id");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    bind_text_or_null(s, 2, description);
    if (sqlite3_step(s) != SQLITE_ROW)
        error = wb_store__error(st, "storing a label set");
    else if (id)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return error;
}

int wb_store_label_add(wb_store *st, int64_t set_id, int64_t area_id)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s,
                                  "INSERT OR IGNORE INTO label_member(set_id, area_id) VALUES (?1, ?2)");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, set_id);
    sqlite3_bind_int64(s, 2, area_id);
    if (sqlite3_step(s) != SQLITE_DONE)
        error = wb_store__error(st, "adding to a label set");
    sqlite3_finalize(s);
    return error;
}

int wb_store_label_members(wb_store *st, wb_area **out, size_t *n, const char *set)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT id FROM label_set WHERE name = ?1");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, set, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW) {
        wb_error_set(WB_ERRCLASS_STORE, "unknown label set '%s'", set);
        return WB_ENOTFOUND;
    }
    error = wb_store__prepare(st, &s,
                              "SELECT " AREA_COLS " FROM label_member m JOIN label_set l ON "
                              "l.id = m.set_id JOIN area a ON a.id = m.area_id WHERE l.name = ?1 "
                              "ORDER BY a.year, a.code");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, set, -1, SQLITE_STATIC);
    error = collect_areas(st, s, out, n);
    sqlite3_finalize(s);
    return error;
}

int wb_store_area_labels(wb_store *st, char **out, int64_t area_id)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s,
                                  "SELECT group_concat(name, ',') FROM (SELECT l.name FROM "
                                  "label_member m JOIN label_set l ON l.id = m.set_id WHERE "
                                  "m.area_id = ?1 ORDER BY l.name)");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, area_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        *out = wb_strdup(t ? (const char *)t : "");
        if (!*out)
            error = WB_ENOMEM;
    } else {
        error = wb_store__error(st, "reading labels");
    }
    sqlite3_finalize(s);
    return error;
}

int wb_store_log_import(wb_store *st, const char *kind, const char *file, const char *summary)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "INSERT INTO import_log(kind, file, summary) VALUES (?1,?2,?3)");
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    bind_text_or_null(s, 2, file);
    bind_text_or_null(s, 3, summary);
    if (sqlite3_step(s) != SQLITE_DONE)
        error = wb_store__error(st, "logging an import");
    sqlite3_finalize(s);
    return error;
}
