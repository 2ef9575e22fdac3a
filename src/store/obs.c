/**
 * @file
 * @brief Observations in chunks (schema version 3; docs/store.md has the measurements behind
 * this layout).
 *
 * The values live in the table obs_chunk, one row per (chunk of WB_OBS_CHUNK consecutive area
 * ids, indicator, data year). Its rowid packs the key, chunk << 32 | indicator << 12 | year,
 * so the rows of one chunk (every value of an area) are adjacent, and an index on the
 * generated columns (indicator_id, year) finds the rows of a map or a panel. The blob:
 *
 *   bytes 0..31   presence bitmap: 4 little-endian 64-bit words; bit s of word w set = area id
 *                 chunk * 248 + 64 w + s has a stored value in this row (bits 248..255 are 0)
 *   then          one little-endian IEEE-754 double per set bit, in slot order;
 *                 NaN = stored as missing (NULL), never 0
 *
 * An absent bit means "no observation"; a set bit with NaN means "observed as missing". With
 * 248 slots a full row is 2,016 bytes, so two rows fill a 4 KiB page without overflow pages.
 *
 * Writes through wb_store_obs_put collect in a per-store buffer (one dense edit per row key)
 * and reach the table in key order at a flush: before a commit, before any read of
 * observations through the store, when the buffer exceeds wb_obs__flush_bytes, and whenever
 * library code takes the raw handle (wb_store__db). A flush merges each edit with the stored
 * row. Area and indicator ids are checked at the flush (a value for an id that does not exist
 * fails, as the foreign keys of version 1 did).
 *
 * For SQL, every connection of a store gets the eponymous virtual table `observation`
 * (indicator_id, area_id, year, value): the shape of the version-1 table, readable with
 * constraints on area_id (one chunk), indicator_id and year (the index), and writable (an
 * INSERT replaces, DELETE and UPDATE work). Writes through it go to the table at once. The
 * triggers of migration 3 delete the values of a deleted area through it, and drop the rows
 * of a deleted indicator directly.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

#define BITMAP_BYTES 32
#define SLAB 256                        /* edits per allocation */

size_t wb_obs__flush_bytes = (size_t)128 << 20;

_Static_assert(WB_OBS_CHUNK <= 256 && WB_OBS_CHUNK > 192, "the bitmap has four words");

/* ---------------------------------------------------------------- byte order */

static uint64_t get_le64(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

static void put_le64(unsigned char *p, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    memcpy(p, &x, 8);
}

static void put_double(unsigned char *p, double d)
{
    uint64_t u;
    if (isnan(d))
        d = NAN; /* one canonical NaN for "missing" */
    memcpy(&u, &d, 8);
    put_le64(p, u);
}

static int popcount4(const uint64_t b[4])
{
    return __builtin_popcountll(b[0]) + __builtin_popcountll(b[1]) + __builtin_popcountll(b[2]) +
           __builtin_popcountll(b[3]);
}

int wb_obs__row_parse(wb_obs_row *r, int64_t key, const void *blob, int len)
{
    const unsigned char *p = blob;
    r->key = key;
    r->chunk = key >> 32;
    r->indicator_id = (key >> 12) & WB_OBS_MAX_INDICATOR;
    r->year = (int)(key & 4095);
    if (len < BITMAP_BYTES || !p)
        goto corrupt;
    for (int w = 0; w < 4; w++)
        r->bits[w] = get_le64(p + 8 * w);
    if (r->bits[3] >> (WB_OBS_CHUNK - 192))
        goto corrupt;
    r->n = popcount4(r->bits);
    if (len != BITMAP_BYTES + 8 * r->n)
        goto corrupt;
    r->vals = p + BITMAP_BYTES;
    return 0;
corrupt:
    wb_error_set(WB_ERRCLASS_STORE, "corrupt observation row %lld (%d bytes): expected a 32-byte bitmap and "
                                    "8 bytes per set bit", (long long)key, len);
    return WB_ESTORE;
}

int wb_obs__row_find(const wb_obs_row *r, int slot)
{
    int w = slot >> 6, b = slot & 63;
    if (!(r->bits[w] >> b & 1))
        return -1;
    int rank = __builtin_popcountll(r->bits[w] & (((uint64_t)1 << b) - 1));
    for (int i = 0; i < w; i++)
        rank += __builtin_popcountll(r->bits[i]);
    return rank;
}

/* Dense form of a row: bits and one value per slot. */
typedef struct {
    uint64_t bits[4];
    double v[WB_OBS_CHUNK];
} dense;

static void row_to_dense(dense *d, const wb_obs_row *r)
{
    memcpy(d->bits, r->bits, sizeof d->bits);
    int i = 0;
    for (int w = 0; w < 4; w++)
        for (uint64_t m = r->bits[w]; m; m &= m - 1)
            d->v[w * 64 + __builtin_ctzll(m)] = wb_obs__row_value(r, i++);
}

/* Encode; returns the length (BITMAP_BYTES + 8 per set bit). */
static size_t dense_encode(unsigned char *out, const dense *d)
{
    for (int w = 0; w < 4; w++)
        put_le64(out + 8 * w, d->bits[w]);
    unsigned char *p = out + BITMAP_BYTES;
    for (int w = 0; w < 4; w++)
        for (uint64_t m = d->bits[w]; m; m &= m - 1) {
            put_double(p, d->v[w * 64 + __builtin_ctzll(m)]);
            p += 8;
        }
    return (size_t)(p - out);
}

/* ---------------------------------------------------------------- state */

typedef struct {
    int64_t key;
    dense d; /* d.bits: slots written in this buffer */
} edit;

enum { Q_GET, Q_PUT, Q_DEL, Q_AREAS, Q_AREA, Q_IND, Q__MAX };
static const char *const qsql[Q__MAX] = {
    [Q_GET] = "SELECT data FROM obs_chunk WHERE id = ?1",
    [Q_PUT] = "INSERT OR REPLACE INTO obs_chunk(id, data) VALUES (?1, ?2)",
    [Q_DEL] = "DELETE FROM obs_chunk WHERE id = ?1",
    [Q_AREAS] = "SELECT id FROM area WHERE id >= ?1 AND id < ?2",
    [Q_AREA] = "SELECT 1 FROM area WHERE id = ?1",
    [Q_IND] = "SELECT 1 FROM indicator WHERE id = ?1",
};

struct wb_obs {
    wb_store *st;
    sqlite3 *db;
    sqlite3_stmt *q[Q__MAX];
    edit **slabs;
    size_t n, nslabs;
    int64_t *hkey; /* open addressing: key -> index + 1 in hidx */
    uint32_t *hidx;
    size_t hcap;
    int failed;    /* a flush failed: the transaction must not commit */
    int flushing;
    int migrating; /* values of ids that do not exist are dropped, not refused */
    size_t dropped;
    uint64_t gen;  /* counts writes to obs_chunk: invalidates rows cached by cursors */
};

static edit *edit_at(wb_obs *o, size_t i)
{
    return &o->slabs[i / SLAB][i % SLAB];
}

static void buffer_clear(wb_obs *o)
{
    for (size_t i = 0; i < o->nslabs; i++)
        wb_free(o->slabs[i]);
    wb_free(o->slabs);
    wb_free(o->hkey);
    wb_free(o->hidx);
    o->slabs = NULL;
    o->hkey = NULL;
    o->hidx = NULL;
    o->n = o->nslabs = o->hcap = 0;
}

static size_t hslot(int64_t key, size_t cap)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int hash_grow(wb_obs *o)
{
    size_t ncap = o->hcap ? o->hcap * 2 : 1024;
    int64_t *nk = wb_malloc(ncap * sizeof *nk);
    uint32_t *ni = wb_calloc(ncap, sizeof *ni);
    if (!nk || !ni) {
        wb_free(nk);
        wb_free(ni);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < o->hcap; i++) {
        if (!o->hidx[i])
            continue;
        size_t j = hslot(o->hkey[i], ncap);
        while (ni[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = o->hkey[i];
        ni[j] = o->hidx[i];
    }
    wb_free(o->hkey);
    wb_free(o->hidx);
    o->hkey = nk;
    o->hidx = ni;
    o->hcap = ncap;
    return 0;
}

/* The buffered edit of a row key, created when absent. */
static edit *edit_get(wb_obs *o, int64_t key)
{
    if ((o->n + 1) * 2 > o->hcap && hash_grow(o) < 0)
        return NULL;
    size_t j = hslot(key, o->hcap);
    while (o->hidx[j]) {
        if (o->hkey[j] == key)
            return edit_at(o, o->hidx[j] - 1);
        j = (j + 1) & (o->hcap - 1);
    }
    if (o->n == o->nslabs * SLAB) {
        if (o->n >= UINT32_MAX - SLAB)
            return NULL;
        edit **ns = wb_realloc(o->slabs, (o->nslabs + 1) * sizeof *ns);
        if (!ns)
            return NULL;
        o->slabs = ns;
        if (!(o->slabs[o->nslabs] = wb_malloc(SLAB * sizeof(edit))))
            return NULL;
        o->nslabs++;
    }
    edit *e = edit_at(o, o->n);
    e->key = key;
    memset(e->d.bits, 0, sizeof e->d.bits);
    o->hkey[j] = key;
    o->hidx[j] = (uint32_t)++o->n;
    return e;
}

static sqlite3_stmt *q(wb_obs *o, int which)
{
    if (!o->q[which] &&
        sqlite3_prepare_v3(o->db, qsql[which], -1, SQLITE_PREPARE_PERSISTENT, &o->q[which], NULL) != SQLITE_OK) {
        wb_store__error(o->st, "preparing an observation statement");
        return NULL;
    }
    sqlite3_reset(o->q[which]);
    return o->q[which];
}

static int obs_error(wb_obs *o, const char *what)
{
    return wb_store__error(o->st, what);
}

/* ---------------------------------------------------------------- keys and limits */

int wb_obs__check(int64_t indicator_id, int64_t area_id, int year)
{
    if (indicator_id < 1 || indicator_id > WB_OBS_MAX_INDICATOR) {
        wb_error_set(WB_ERRCLASS_ARG, "indicator id %lld: expected 1..%d", (long long)indicator_id,
                     WB_OBS_MAX_INDICATOR);
        return WB_EINVALID;
    }
    if (area_id < 1 || area_id > WB_OBS_MAX_AREA) {
        wb_error_set(WB_ERRCLASS_ARG, "area id %lld: expected 1..%lld", (long long)area_id,
                     (long long)WB_OBS_MAX_AREA);
        return WB_EINVALID;
    }
    if (year < 1 || year > 4095) {
        wb_error_set(WB_ERRCLASS_ARG, "data year %d: expected 1..4095", year);
        return WB_EINVALID;
    }
    return 0;
}

static int64_t row_key(int64_t indicator_id, int64_t area_id, int year)
{
    return (area_id / WB_OBS_CHUNK) << 32 | indicator_id << 12 | (int64_t)year;
}

/* ---------------------------------------------------------------- buffered writes */

int wb_obs__put(wb_obs *o, int64_t indicator_id, int64_t area_id, int year, double value)
{
    int error = wb_obs__check(indicator_id, area_id, year);
    if (error < 0)
        return error;
    if (o->failed) {
        wb_error_set(WB_ERRCLASS_STORE, "an earlier write of observations failed: roll the transaction back");
        return WB_ESTORE;
    }
    edit *e = edit_get(o, row_key(indicator_id, area_id, year));
    if (!e) {
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory buffering observations");
        return WB_ENOMEM;
    }
    int s = (int)(area_id % WB_OBS_CHUNK);
    e->d.bits[s >> 6] |= (uint64_t)1 << (s & 63);
    e->d.v[s] = value;
    if (sqlite3_get_autocommit(o->db) || o->n * sizeof(edit) > wb_obs__flush_bytes)
        return wb_obs__flush(o);
    return 0;
}

static int cmp_edit(const void *x, const void *y)
{
    int64_t a = (*(edit *const *)x)->key, b = (*(edit *const *)y)->key;
    return a < b ? -1 : a > b;
}

/* Read the stored row of a key into @p r (0: found, 1: absent, < 0: error). The row points
 * into the statement's memory until the statement is reset. */
static int row_get(wb_obs *o, sqlite3_stmt *s, wb_obs_row *r, int64_t key)
{
    sqlite3_bind_int64(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return 1;
    if (rc != SQLITE_ROW)
        return obs_error(o, "reading observations");
    return wb_obs__row_parse(r, key, sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
}

static int row_put(wb_obs *o, int64_t key, const dense *d)
{
    o->gen++;
    if (!popcount4(d->bits)) {
        sqlite3_stmt *s = q(o, Q_DEL);
        if (!s)
            return WB_ESTORE;
        sqlite3_bind_int64(s, 1, key);
        if (sqlite3_step(s) != SQLITE_DONE)
            return obs_error(o, "deleting observations");
        return 0;
    }
    unsigned char blob[BITMAP_BYTES + 8 * WB_OBS_CHUNK];
    size_t len = dense_encode(blob, d);
    sqlite3_stmt *s = q(o, Q_PUT);
    if (!s)
        return WB_ESTORE;
    sqlite3_bind_int64(s, 1, key);
    sqlite3_bind_blob(s, 2, blob, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return obs_error(o, "storing observations");
    return 0;
}

/* The areas of a chunk that exist, as a bitmap. */
static int chunk_areas(wb_obs *o, uint64_t out[4], int64_t chunk)
{
    memset(out, 0, 4 * sizeof *out);
    sqlite3_stmt *s = q(o, Q_AREAS);
    if (!s)
        return WB_ESTORE;
    sqlite3_bind_int64(s, 1, chunk * WB_OBS_CHUNK);
    sqlite3_bind_int64(s, 2, (chunk + 1) * WB_OBS_CHUNK);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int slot = (int)(sqlite3_column_int64(s, 0) - chunk * WB_OBS_CHUNK);
        out[slot >> 6] |= (uint64_t)1 << (slot & 63);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : obs_error(o, "checking areas");
}

static int exists(wb_obs *o, int which, int64_t id, int *yes)
{
    sqlite3_stmt *s = q(o, which);
    if (!s)
        return WB_ESTORE;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return obs_error(o, "checking an id");
    *yes = rc == SQLITE_ROW;
    return 0;
}

/* Check (or, while migrating, drop) the values of areas and indicators that do not exist.
 * @p e: the edits sorted by key. */
static int check_ids(wb_obs *o, edit **e, size_t n)
{
    int64_t last_ind[8] = {0}; /* a few indicator ids known to exist */
    for (size_t i = 0; i < n;) {
        int64_t chunk = e[i]->key >> 32;
        size_t j = i;
        uint64_t used[4] = {0};
        for (; j < n && e[j]->key >> 32 == chunk; j++) {
            for (int w = 0; w < 4; w++)
                used[w] |= e[j]->d.bits[w];
            int64_t ind = (e[j]->key >> 12) & WB_OBS_MAX_INDICATOR;
            int known = 0;
            for (int k = 0; k < 8; k++)
                known |= last_ind[k] == ind;
            if (known)
                continue;
            int yes, error = exists(o, Q_IND, ind, &yes);
            if (error < 0)
                return error;
            if (!yes && !o->migrating) {
                wb_error_set(WB_ERRCLASS_STORE, "a value for indicator id %lld, which does not exist",
                             (long long)ind);
                return WB_ENOTFOUND;
            }
            if (!yes) {
                o->dropped += (size_t)popcount4(e[j]->d.bits);
                memset(e[j]->d.bits, 0, sizeof e[j]->d.bits);
                continue;
            }
            memmove(last_ind + 1, last_ind, 7 * sizeof *last_ind);
            last_ind[0] = ind;
        }
        uint64_t have[4];
        int error = chunk_areas(o, have, chunk);
        if (error < 0)
            return error;
        for (int w = 0; w < 4; w++) {
            uint64_t bad = used[w] & ~have[w];
            if (!bad)
                continue;
            if (!o->migrating) {
                wb_error_set(WB_ERRCLASS_STORE, "a value for area id %lld, which does not exist",
                             (long long)(chunk * WB_OBS_CHUNK + w * 64 + __builtin_ctzll(bad)));
                return WB_ENOTFOUND;
            }
            for (size_t k = i; k < j; k++) {
                o->dropped += (size_t)__builtin_popcountll(e[k]->d.bits[w] & bad);
                e[k]->d.bits[w] &= ~bad;
            }
        }
        i = j;
    }
    return 0;
}

static int exec_db(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : WB_ESTORE;
}

int wb_obs__flush(wb_obs *o)
{
    if (!o || !o->n)
        return 0;
    if (o->flushing) {
        wb_error_set(WB_ERRCLASS_STORE, "observations flushed from within a flush");
        return WB_ESTORE;
    }
    /* inside a running write statement the flush would be undone by that statement's
     * rollback while the buffer is gone: refuse (the buffer stays) */
    for (sqlite3_stmt *s = sqlite3_next_stmt(o->db, NULL); s; s = sqlite3_next_stmt(o->db, s)) {
        if (sqlite3_stmt_busy(s) && !sqlite3_stmt_readonly(s)) {
            wb_error_set(WB_ERRCLASS_STORE, "%zu rows of buffered observations cannot be written from within "
                                            "the running statement '%.60s': flush them first (wb_store__db)",
                         o->n, sqlite3_sql(s));
            return WB_ESTORE;
        }
    }
    /* take the buffer: the commit hook must see it empty */
    wb_obs taken = *o;
    o->slabs = NULL;
    o->hkey = NULL;
    o->hidx = NULL;
    o->n = o->nslabs = o->hcap = 0;
    o->flushing = 1;
    int error = 0, own = sqlite3_get_autocommit(o->db);
    edit **order = wb_malloc(taken.n * sizeof *order);
    if (!order) {
        error = WB_ENOMEM;
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory writing observations");
        goto done;
    }
    for (size_t i = 0; i < taken.n; i++)
        order[i] = edit_at(&taken, i);
    qsort(order, taken.n, sizeof *order, cmp_edit);
    if (own && exec_db(o->db, "BEGIN IMMEDIATE") < 0) {
        error = obs_error(o, "writing observations");
        own = 0;
        goto done;
    }
    if ((error = check_ids(o, order, taken.n)) < 0)
        goto done;
    sqlite3_stmt *get = q(o, Q_GET);
    if (!get) {
        error = WB_ESTORE;
        goto done;
    }
    for (size_t i = 0; i < taken.n && error == 0; i++) {
        edit *e = order[i];
        if (!popcount4(e->d.bits))
            continue; /* all dropped */
        wb_obs_row r;
        int found = row_get(o, get, &r, e->key);
        if (found < 0) {
            error = found;
        } else if (found == 0) {
            dense d;
            row_to_dense(&d, &r);
            sqlite3_reset(get);
            for (int w = 0; w < 4; w++) {
                for (uint64_t m = e->d.bits[w]; m; m &= m - 1) {
                    int s = w * 64 + __builtin_ctzll(m);
                    d.v[s] = e->d.v[s];
                }
                d.bits[w] |= e->d.bits[w];
            }
            error = row_put(o, e->key, &d);
        } else {
            sqlite3_reset(get);
            error = row_put(o, e->key, &e->d);
        }
    }
    sqlite3_reset(get);
done:
    if (own) {
        if (error == 0 && exec_db(o->db, "COMMIT") < 0)
            error = obs_error(o, "committing observations");
        if (error < 0 && !sqlite3_get_autocommit(o->db))
            sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
    } else if (error < 0) {
        o->failed = error; /* the open transaction holds part of this flush */
    }
    o->flushing = 0;
    wb_free(order);
    buffer_clear(&taken);
    return error;
}

void wb_obs__discard(wb_obs *o)
{
    if (!o)
        return;
    buffer_clear(o);
    o->failed = 0;
}

size_t wb_obs__pending(const wb_obs *o)
{
    return o ? o->n : 0;
}

/* ---------------------------------------------------------------- immediate writes */

/* Write or delete one value now (the SQL path). The buffer must be empty. */
static int write_now(wb_obs *o, int64_t ind, int64_t area, int year, double value, int del)
{
    int error = wb_obs__check(ind, area, year);
    if (error < 0)
        return error;
    if (o->n) {
        wb_error_set(WB_ERRCLASS_STORE, "%zu rows of observations are buffered (wb_store_obs_put): flush them "
                                        "(wb_store__db) before writing observations with SQL", o->n);
        return WB_ESTORE;
    }
    if (!del) {
        int yes;
        if ((error = exists(o, Q_AREA, area, &yes)) < 0)
            return error;
        if (!yes) {
            wb_error_set(WB_ERRCLASS_STORE, "a value for area id %lld, which does not exist", (long long)area);
            return WB_ENOTFOUND;
        }
        if ((error = exists(o, Q_IND, ind, &yes)) < 0)
            return error;
        if (!yes) {
            wb_error_set(WB_ERRCLASS_STORE, "a value for indicator id %lld, which does not exist", (long long)ind);
            return WB_ENOTFOUND;
        }
    }
    int64_t key = row_key(ind, area, year);
    int s = (int)(area % WB_OBS_CHUNK);
    sqlite3_stmt *get = q(o, Q_GET);
    if (!get)
        return WB_ESTORE;
    wb_obs_row r;
    dense d;
    int found = row_get(o, get, &r, key);
    if (found < 0) {
        sqlite3_reset(get);
        return found;
    }
    if (found == 0)
        row_to_dense(&d, &r);
    else
        memset(d.bits, 0, sizeof d.bits);
    sqlite3_reset(get);
    uint64_t bit = (uint64_t)1 << (s & 63);
    if (del) {
        if (!(d.bits[s >> 6] & bit))
            return 0;
        d.bits[s >> 6] &= ~bit;
    } else {
        d.bits[s >> 6] |= bit;
        d.v[s] = value;
    }
    return row_put(o, key, &d);
}

/* ---------------------------------------------------------------- reading */

int wb_obs__rows(wb_obs *o, int64_t indicator_id, int year_from, int year_to, wb_obs_row_fn fn, void *payload)
{
    int error = wb_obs__flush(o);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(o->db,
                           "SELECT id, data FROM obs_chunk WHERE indicator_id = ?1 AND year >= ?2 AND year <= ?3 "
                           "ORDER BY indicator_id, year, id",
                           -1, &s, NULL) != SQLITE_OK)
        return obs_error(o, "reading observations");
    sqlite3_bind_int64(s, 1, indicator_id);
    sqlite3_bind_int(s, 2, year_from);
    sqlite3_bind_int(s, 3, year_to);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_obs_row r;
        if ((error = wb_obs__row_parse(&r, sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1),
                                       sqlite3_column_bytes(s, 1))) < 0 ||
            (error = fn(payload, &r)) != 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = obs_error(o, "reading observations");
    sqlite3_finalize(s);
    return error;
}

int wb_obs__presence(wb_obs *o, int64_t indicator_id, uint64_t *bitmap, size_t nbits)
{
    int error = wb_obs__flush(o);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    /* the bitmap only: the first 32 bytes of each row */
    if (sqlite3_prepare_v2(o->db, "SELECT id, substr(data, 1, 32) FROM obs_chunk WHERE indicator_id = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        return obs_error(o, "reading observations");
    sqlite3_bind_int64(s, 1, indicator_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(s, 1);
        if (sqlite3_column_bytes(s, 1) != BITMAP_BYTES) {
            wb_error_set(WB_ERRCLASS_STORE, "corrupt observation row %lld", (long long)sqlite3_column_int64(s, 0));
            error = WB_ESTORE;
            break;
        }
        int64_t base = (sqlite3_column_int64(s, 0) >> 32) * WB_OBS_CHUNK;
        for (int w = 0; w < 4; w++)
            for (uint64_t m = get_le64(b + 8 * w); m; m &= m - 1) {
                int64_t id = base + w * 64 + __builtin_ctzll(m);
                if ((uint64_t)id < nbits)
                    bitmap[id / 64] |= (uint64_t)1 << (id % 64);
            }
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = obs_error(o, "reading observations");
    sqlite3_finalize(s);
    return error;
}

int wb_obs__years(wb_obs *o, int64_t indicator_id, int year_from, int year_to, int **years, size_t *n)
{
    *years = NULL;
    *n = 0;
    int error = wb_obs__flush(o);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(o->db,
                           "SELECT DISTINCT year FROM obs_chunk WHERE indicator_id = ?1 AND year >= ?2 AND "
                           "year <= ?3 ORDER BY year",
                           -1, &s, NULL) != SQLITE_OK)
        return obs_error(o, "listing data years");
    sqlite3_bind_int64(s, 1, indicator_id);
    sqlite3_bind_int(s, 2, year_from);
    sqlite3_bind_int(s, 3, year_to);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            int *ny = wb_realloc(*years, cap * sizeof *ny);
            if (!ny) {
                error = WB_ENOMEM;
                break;
            }
            *years = ny;
        }
        (*years)[(*n)++] = sqlite3_column_int(s, 0);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = obs_error(o, "listing data years");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_free(*years);
        *years = NULL;
        *n = 0;
    }
    return error;
}

/* ---------------------------------------------------------------- the virtual table */

enum { C_IND, C_AREA, C_YEAR, C_VALUE };

typedef struct {
    sqlite3_vtab base;
    wb_obs *o;
} ovtab;

typedef struct {
    sqlite3_vtab_cursor base;
    ovtab *vt;
    sqlite3_stmt *s;
    int kind;          /* which query c->s is: 1 chunk range, 2 indicator, 3 everything */
    int64_t want_area; /* 0: any */
    int want_year;     /* 0: any */
    int eof;
    /* the current row and slot */
    int64_t chunk, ind;
    int year;
    uint64_t bits[4];
    double vals[WB_OBS_CHUNK]; /* packed, in slot order */
    int slot, idx;             /* current slot and its index in vals */
    int single;                /* the current row is the only one (from the cache below) */
    /* the last row fetched by its exact key (a nested loop asks for the areas of one chunk
     * one by one): key, o->gen when read, bits (0: no such row) and values */
    int64_t full_key;
    uint64_t full_gen;
    uint64_t full_bits[4];
    double full_vals[WB_OBS_CHUNK];
    /* every row of one chunk, as copied blobs: a nested loop over the areas of a level asks
     * for the values of each area of the chunk in turn (filled on the second request for
     * the same chunk, so that a single profile does not copy the chunk) */
    int64_t last_chunk;  /* chunk of the previous request by area; -1 */
    int64_t cc_chunk;    /* the cached chunk; -1 */
    uint64_t cc_gen;
    size_t cc_n, cc_cap, cc_len, cc_lcap;
    int64_t *cc_key;
    size_t *cc_off;      /* [cc_n + 1] offsets into cc_data */
    unsigned char *cc_data;
    size_t cc_pos;       /* next cached row; iterating the cache when from_cache */
    int from_cache;
} ocursor;

#define CHUNK_CACHE_MAX ((size_t)16 << 20) /* bytes of blobs a cursor caches at most */

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err)
{
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(indicator_id INTEGER, area_id INTEGER, year INTEGER, "
                                      "value REAL)");
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    ovtab *v = sqlite3_malloc(sizeof *v);
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->o = aux;
    *out = &v->base;
    return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

/* idxNum: bit 0 area_id =, bit 1 indicator_id =, bit 2 year =; the arguments come in that
 * order. (SQLite itself ignores orderByConsumed when an IN list feeds a constraint.) */
static int vt_best(sqlite3_vtab *v, sqlite3_index_info *info)
{
    int use[3] = {-1, -1, -1};
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        int col = c->iColumn == C_AREA ? 0 : c->iColumn == C_IND ? 1 : c->iColumn == C_YEAR ? 2 : -1;
        if (col >= 0 && use[col] < 0)
            use[col] = i;
    }
    int plan = 0, arg = 1;
    for (int k = 0; k < 3; k++) {
        if (use[k] < 0)
            continue;
        plan |= 1 << k;
        info->aConstraintUsage[use[k]].argvIndex = arg++;
        info->aConstraintUsage[use[k]].omit = 1;
    }
    info->idxNum = plan;
    /* rough row counts of a national store */
    double rows = (plan & 1) ? ((plan & 2) ? ((plan & 4) ? 1 : 20) : (plan & 4) ? 50 : 1000)
                : (plan & 2) ? ((plan & 4) ? 20000 : 400000)
                : (plan & 4) ? 2e6 : 2e7;
    info->estimatedRows = (sqlite3_int64)rows;
    info->estimatedCost = (plan & 3) ? rows : rows * 2; /* without an index: the whole table */
    if ((plan & 7) == 7)
        info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    /* the natural order of the rows: (indicator, year) for one area, (year, area) for one
     * indicator; columns fixed by an equality drop out */
    int nat[2], nn = 0;
    if (plan & 1) {
        if (!(plan & 2))
            nat[nn++] = C_IND;
        if (!(plan & 4))
            nat[nn++] = C_YEAR;
    } else if (plan & 2) {
        if (!(plan & 4))
            nat[nn++] = C_YEAR;
        nat[nn++] = C_AREA;
    }
    int ok = (plan & 3) != 0, k = 0;
    for (int i = 0; ok && i < info->nOrderBy; i++) {
        int col = info->aOrderBy[i].iColumn;
        int fixed = (col == C_AREA && (plan & 1)) || (col == C_IND && (plan & 2)) || (col == C_YEAR && (plan & 4));
        if (info->aOrderBy[i].desc)
            ok = 0;
        else if (fixed)
            continue;
        else if (k < nn && nat[k] == col)
            k++;
        else
            ok = 0;
    }
    if (ok && info->nOrderBy > 0)
        info->orderByConsumed = 1;
    return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    ocursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->vt = (ovtab *)v;
    c->eof = 1;
    c->full_key = -1;
    c->last_chunk = -1;
    c->cc_chunk = -1;
    *out = &c->base;
    return SQLITE_OK;
}

static int vt_close(sqlite3_vtab_cursor *cur)
{
    ocursor *c = (ocursor *)cur;
    sqlite3_finalize(c->s);
    wb_free(c->cc_key);
    wb_free(c->cc_off);
    wb_free(c->cc_data);
    sqlite3_free(c);
    return SQLITE_OK;
}

static int vt_fail(sqlite3_vtab *v, int code)
{
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("%s", wb_error_last()->message);
    return code == WB_ENOMEM ? SQLITE_NOMEM : code == WB_EINVALID ? SQLITE_MISMATCH : SQLITE_ERROR;
}

/* Load the next row of the statement; 0 with c->eof set at the end. */
/* The next stored row of the query, from the statement or from the chunk cache; 1 at the
 * end. */
static int next_row(ocursor *c, wb_obs_row *r)
{
    if (c->from_cache) {
        if (c->cc_pos >= c->cc_n)
            return 1;
        size_t i = c->cc_pos++;
        return wb_obs__row_parse(r, c->cc_key[i], c->cc_data + c->cc_off[i], (int)(c->cc_off[i + 1] - c->cc_off[i]));
    }
    int rc = sqlite3_step(c->s);
    if (rc == SQLITE_DONE)
        return 1;
    if (rc != SQLITE_ROW) {
        wb_store__error(c->vt->o->st, "reading observations");
        return WB_ESTORE;
    }
    return wb_obs__row_parse(r, sqlite3_column_int64(c->s, 0), sqlite3_column_blob(c->s, 1),
                             sqlite3_column_bytes(c->s, 1));
}

static int load_row(ocursor *c)
{
    for (;;) {
        wb_obs_row r;
        int error = next_row(c, &r);
        if (error < 0)
            return error;
        if (error == 1) {
            c->eof = 1;
            return 0;
        }
        if (c->want_year && r.year != c->want_year)
            continue;
        if (c->want_area) {
            int i = wb_obs__row_find(&r, (int)(c->want_area % WB_OBS_CHUNK));
            if (i < 0)
                continue;
            memset(c->bits, 0, sizeof c->bits);
            int s = (int)(c->want_area % WB_OBS_CHUNK);
            c->bits[s >> 6] = (uint64_t)1 << (s & 63);
            c->vals[0] = wb_obs__row_value(&r, i);
        } else {
            memcpy(c->bits, r.bits, sizeof c->bits);
            for (int i = 0; i < r.n; i++)
                c->vals[i] = wb_obs__row_value(&r, i);
        }
        c->chunk = r.chunk;
        c->ind = r.indicator_id;
        c->year = r.year;
        c->slot = -1;
        c->idx = -1;
        return 0;
    }
}

/* Copy every row of a chunk into the cursor's cache (0; 1 when it does not fit: the caller
 * reads through SQL). */
static int cache_chunk(ocursor *c, int64_t chunk)
{
    wb_obs *o = c->vt->o;
    c->cc_chunk = -1;
    c->cc_n = c->cc_len = 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(o->db, "SELECT id, data FROM obs_chunk WHERE id >= ?1 AND id <= ?2 ORDER BY id", -1, &s,
                           NULL) != SQLITE_OK)
        return wb_store__error(o->st, "reading observations");
    sqlite3_bind_int64(s, 1, chunk << 32);
    sqlite3_bind_int64(s, 2, chunk << 32 | 0xFFFFFFFFLL);
    int rc, error = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(s, 1);
        if (c->cc_len + len > CHUNK_CACHE_MAX) {
            error = 1;
            break;
        }
        if (c->cc_n + 2 > c->cc_cap) {
            size_t cap = c->cc_cap ? 2 * c->cc_cap : 256;
            int64_t *k = wb_realloc(c->cc_key, cap * sizeof *k);
            if (k)
                c->cc_key = k;
            size_t *off = k ? wb_realloc(c->cc_off, cap * sizeof *off) : NULL;
            if (!off) {
                error = WB_ENOMEM;
                break;
            }
            c->cc_off = off;
            c->cc_cap = cap;
        }
        if (c->cc_len + len > c->cc_lcap) {
            size_t cap = c->cc_lcap ? 2 * c->cc_lcap : 65536;
            while (cap < c->cc_len + len)
                cap *= 2;
            unsigned char *d = wb_realloc(c->cc_data, cap);
            if (!d) {
                error = WB_ENOMEM;
                break;
            }
            c->cc_data = d;
            c->cc_lcap = cap;
        }
        c->cc_key[c->cc_n] = sqlite3_column_int64(s, 0);
        c->cc_off[c->cc_n] = c->cc_len;
        if (len)
            memcpy(c->cc_data + c->cc_len, sqlite3_column_blob(s, 1), len);
        c->cc_len += len;
        c->cc_n++;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(o->st, "reading observations");
    sqlite3_finalize(s);
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory reading observations");
    /* a chunk without any row leaves the offsets unallocated, and they need one entry */
    if (error == 0 && !c->cc_off && !(c->cc_off = wb_malloc(sizeof *c->cc_off))) {
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory reading observations");
        error = WB_ENOMEM;
    }
    if (error != 0)
        return error;
    c->cc_off[c->cc_n] = c->cc_len;
    c->cc_chunk = chunk;
    c->cc_gen = o->gen;
    return 0;
}

/* Advance to the next set slot, loading rows as needed. */
static int advance(ocursor *c)
{
    while (!c->eof) {
        int s = c->slot + 1;
        while (s < WB_OBS_CHUNK) {
            uint64_t m = c->bits[s >> 6] >> (s & 63);
            if (m) {
                s += __builtin_ctzll(m);
                break;
            }
            s = (s | 63) + 1;
        }
        if (s < WB_OBS_CHUNK) {
            c->slot = s;
            c->idx++;
            return 0;
        }
        if (c->single) {
            c->eof = 1;
            return 0;
        }
        int error = load_row(c);
        if (error < 0)
            return error;
    }
    return 0;
}

/* Make the cursor's cached row the row of @p key (read unless cached and unchanged). */
static int fetch_full(ocursor *c, int64_t key)
{
    wb_obs *o = c->vt->o;
    if (c->full_key == key && c->full_gen == o->gen)
        return 0;
    sqlite3_stmt *get = q(o, Q_GET);
    if (!get)
        return WB_ESTORE;
    wb_obs_row r;
    int found = row_get(o, get, &r, key);
    if (found < 0) {
        sqlite3_reset(get);
        return found;
    }
    if (found == 0) {
        memcpy(c->full_bits, r.bits, sizeof c->full_bits);
        for (int i = 0; i < r.n; i++)
            c->full_vals[i] = wb_obs__row_value(&r, i);
    } else {
        memset(c->full_bits, 0, sizeof c->full_bits);
    }
    sqlite3_reset(get);
    c->full_key = key;
    c->full_gen = o->gen;
    return 0;
}

static int vt_filter(sqlite3_vtab_cursor *cur, int plan, const char *unused, int argc, sqlite3_value **argv)
{
    ocursor *c = (ocursor *)cur;
    wb_obs *o = c->vt->o;
    int error = wb_obs__flush(o);
    if (error < 0)
        return vt_fail(cur->pVtab, error);
    c->eof = 1;
    c->single = 0;
    c->want_area = 0;
    c->want_year = 0;
    int64_t area = 0, ind = 0, year = 0;
    int a = 0;
    if ((plan & 1) && a < argc)
        area = sqlite3_value_int64(argv[a++]);
    if ((plan & 2) && a < argc)
        ind = sqlite3_value_int64(argv[a++]);
    if ((plan & 4) && a < argc)
        year = sqlite3_value_int64(argv[a++]);
    /* keys outside the limits match nothing */
    if (((plan & 1) && (area < 1 || area > WB_OBS_MAX_AREA)) ||
        ((plan & 2) && (ind < 1 || ind > WB_OBS_MAX_INDICATOR)) || ((plan & 4) && (year < 1 || year > 4095)))
        return SQLITE_OK;
    static const char *const sql[] = {
        NULL,
        /* 1: one chunk (narrowed by indicator and year) */
        "SELECT id, data FROM obs_chunk WHERE id >= ?1 AND id <= ?2 ORDER BY id",
        /* 2: the index on (indicator_id, year) */
        "SELECT id, data FROM obs_chunk WHERE indicator_id = ?1 AND year >= ?2 AND year <= ?2 + ?3 "
        "ORDER BY indicator_id, year, id",
        /* 3: everything */
        "SELECT id, data FROM obs_chunk ORDER BY id",
    };
    if ((plan & 7) == 7) { /* one value: through the cached row */
        int64_t key = (area / WB_OBS_CHUNK) << 32 | ind << 12 | year;
        if ((error = fetch_full(c, key)) < 0)
            return vt_fail(cur->pVtab, error);
        int slot = (int)(area % WB_OBS_CHUNK);
        wb_obs_row r;
        memcpy(r.bits, c->full_bits, sizeof r.bits);
        int i = wb_obs__row_find(&r, slot);
        if (i < 0)
            return SQLITE_OK;
        memset(c->bits, 0, sizeof c->bits);
        c->bits[slot >> 6] = (uint64_t)1 << (slot & 63);
        c->vals[0] = c->full_vals[i];
        c->chunk = key >> 32;
        c->ind = ind;
        c->year = (int)year;
        c->slot = -1;
        c->idx = -1;
        c->single = 1;
        c->eof = 0;
        if ((error = advance(c)) < 0)
            return vt_fail(cur->pVtab, error);
        return SQLITE_OK;
    }
    c->from_cache = 0;
    if ((plan & 3) == 1) { /* by area (and year): the chunk cache on a repeated chunk */
        int64_t chunk = area / WB_OBS_CHUNK;
        if (!(c->cc_chunk == chunk && c->cc_gen == o->gen) && c->last_chunk == chunk &&
            (error = cache_chunk(c, chunk)) < 0)
            return vt_fail(cur->pVtab, error);
        c->last_chunk = chunk;
        if (c->cc_chunk == chunk && c->cc_gen == o->gen) {
            c->from_cache = 1;
            c->cc_pos = 0;
            c->want_area = area;
            if (plan & 4)
                c->want_year = (int)year;
            c->eof = 0;
            if ((error = load_row(c)) < 0 || (error = advance(c)) < 0)
                return vt_fail(cur->pVtab, error);
            return SQLITE_OK;
        }
    }
    int kind = (plan & 1) ? 1 : (plan & 2) ? 2 : 3;
    if (c->s && c->kind == kind) { /* a nested loop calls xFilter once per outer row */
        sqlite3_reset(c->s);
    } else {
        sqlite3_finalize(c->s);
        c->s = NULL;
        if (sqlite3_prepare_v3(o->db, sql[kind], -1, SQLITE_PREPARE_PERSISTENT, &c->s, NULL) != SQLITE_OK) {
            wb_store__error(o->st, "reading observations");
            return vt_fail(cur->pVtab, WB_ESTORE);
        }
        c->kind = kind;
    }
    if (plan & 1) {
        int64_t base = (area / WB_OBS_CHUNK) << 32, lo = base, hi = base | 0xFFFFFFFFLL;
        if (plan & 2) {
            lo = base | ind << 12;
            hi = lo | 4095;
            if (plan & 4)
                lo = hi = base | ind << 12 | year;
        }
        sqlite3_bind_int64(c->s, 1, lo);
        sqlite3_bind_int64(c->s, 2, hi);
        c->want_area = area;
    } else if (plan & 2) {
        sqlite3_bind_int64(c->s, 1, ind);
        sqlite3_bind_int64(c->s, 2, (plan & 4) ? year : 1);
        sqlite3_bind_int64(c->s, 3, (plan & 4) ? 0 : 4094);
    }
    if (plan & 4)
        c->want_year = (int)year;
    c->eof = 0;
    if ((error = load_row(c)) < 0 || (error = advance(c)) < 0)
        return vt_fail(cur->pVtab, error);
    (void)unused;
    return SQLITE_OK;
}

static int vt_next(sqlite3_vtab_cursor *cur)
{
    ocursor *c = (ocursor *)cur;
    int error = advance(c);
    return error < 0 ? vt_fail(cur->pVtab, error) : SQLITE_OK;
}

static int vt_eof(sqlite3_vtab_cursor *cur)
{
    return ((ocursor *)cur)->eof;
}

static int64_t cur_area(const ocursor *c)
{
    return c->chunk * WB_OBS_CHUNK + c->slot;
}

static int vt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    ocursor *c = (ocursor *)cur;
    switch (col) {
    case C_IND: sqlite3_result_int64(ctx, c->ind); break;
    case C_AREA: sqlite3_result_int64(ctx, cur_area(c)); break;
    case C_YEAR: sqlite3_result_int(ctx, c->year); break;
    default: {
        double v = c->vals[c->idx];
        if (isnan(v))
            sqlite3_result_null(ctx);
        else
            sqlite3_result_double(ctx, v);
    }
    }
    return SQLITE_OK;
}

/* rowid = area << 32 | indicator << 12 | year (areas below 2^31) */
static int vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    ocursor *c = (ocursor *)cur;
    *out = cur_area(c) << 32 | c->ind << 12 | c->year;
    return SQLITE_OK;
}

static int int_arg(sqlite3_value *v, int64_t *out)
{
    if (sqlite3_value_numeric_type(v) != SQLITE_INTEGER)
        return -1;
    *out = sqlite3_value_int64(v);
    return 0;
}

static int vt_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite3_int64 *rowid)
{
    wb_obs *o = ((ovtab *)vt)->o;
    int error = 0;
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL) { /* DELETE, or the old row of an UPDATE */
        int64_t old = sqlite3_value_int64(argv[0]);
        if ((error = write_now(o, (old >> 12) & WB_OBS_MAX_INDICATOR, old >> 32, (int)(old & 4095), 0, 1)) < 0)
            return vt_fail(vt, error);
    }
    if (argc == 1)
        return SQLITE_OK;
    int64_t ind, area, year;
    if (int_arg(argv[2 + C_IND], &ind) < 0 || int_arg(argv[2 + C_AREA], &area) < 0 ||
        int_arg(argv[2 + C_YEAR], &year) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "observation: indicator_id, area_id and year must be integers");
        return vt_fail(vt, WB_EINVALID);
    }
    if (year < 1 || year > 4095) {
        wb_error_set(WB_ERRCLASS_ARG, "data year %lld: expected 1..4095", (long long)year);
        return vt_fail(vt, WB_EINVALID);
    }
    sqlite3_value *val = argv[2 + C_VALUE];
    double v;
    int t = sqlite3_value_numeric_type(val);
    if (t == SQLITE_NULL)
        v = NAN;
    else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
        v = sqlite3_value_double(val);
    else {
        wb_error_set(WB_ERRCLASS_ARG, "observation value: expected a number or NULL");
        return vt_fail(vt, WB_EINVALID);
    }
    if ((error = write_now(o, ind, area, (int)year, v, 0)) < 0)
        return vt_fail(vt, error);
    *rowid = area << 32 | ind << 12 | year;
    return SQLITE_OK;
}

static sqlite3_module obs_module = {
    .iVersion = 1,
    .xConnect = vt_connect,
    .xBestIndex = vt_best,
    .xDisconnect = vt_disconnect,
    .xDestroy = vt_disconnect,
    .xOpen = vt_open,
    .xClose = vt_close,
    .xFilter = vt_filter,
    .xNext = vt_next,
    .xEof = vt_eof,
    .xColumn = vt_column,
    .xRowid = vt_rowid,
    .xUpdate = vt_update,
};

/* ---------------------------------------------------------------- attach, hooks, migration */

static int on_commit(void *payload)
{
    wb_obs *o = payload;
    return (o->n && !o->flushing) || o->failed; /* non-zero turns the commit into a rollback */
}

static void on_rollback(void *payload)
{
    wb_obs *o = payload;
    if (!o->flushing)
        wb_obs__discard(o);
}

int wb_obs__attach(wb_obs **out, wb_store *st, sqlite3 *db)
{
    wb_obs *o = wb_calloc(1, sizeof *o);
    if (!o)
        return WB_ENOMEM;
    o->st = st;
    o->db = db;
    if (sqlite3_create_module(db, "observation", &obs_module, o) != SQLITE_OK) {
        int error = wb_store__error(st, "registering the observation table");
        wb_free(o);
        return error;
    }
    sqlite3_commit_hook(db, on_commit, o);
    sqlite3_rollback_hook(db, on_rollback, o);
    *out = o;
    return 0;
}

void wb_obs__free(wb_obs *o)
{
    if (!o)
        return;
    for (int i = 0; i < Q__MAX; i++)
        sqlite3_finalize(o->q[i]);
    buffer_clear(o);
    wb_free(o);
}

int wb_obs__migrate_v3(wb_obs *o)
{
    sqlite3_stmt *s = NULL;
    int error = 0;
    if (sqlite3_prepare_v2(o->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'observation'",
                           -1, &s, NULL) != SQLITE_OK)
        return obs_error(o, "migrating observations");
    int old = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
    sqlite3_finalize(s);
    if (!old)
        return 0;
    if (sqlite3_prepare_v2(o->db, "SELECT indicator_id, area_id, year, value FROM main.observation "
                                  "ORDER BY area_id, indicator_id, year", -1, &s, NULL) != SQLITE_OK)
        return obs_error(o, "migrating observations");
    o->migrating = 1;
    o->dropped = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t ind = sqlite3_column_int64(s, 0), area = sqlite3_column_int64(s, 1);
        int64_t year = sqlite3_column_int64(s, 2);
        double v = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 3);
        if (year < 1 || year > 4095) {
            wb_error_set(WB_ERRCLASS_STORE, "observation of indicator %lld, area %lld has the data year %lld: "
                                            "expected 1..4095", (long long)ind, (long long)area, (long long)year);
            error = WB_ESTORE;
            break;
        }
        if ((error = wb_obs__put(o, ind, area, (int)year, v)) < 0)
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = obs_error(o, "migrating observations");
    sqlite3_finalize(s);
    if (error == 0)
        error = wb_obs__flush(o);
    o->migrating = 0;
    if (error == 0 && exec_db(o->db, "DROP TABLE main.observation") < 0)
        error = obs_error(o, "dropping the version-1 observation table");
    if (error < 0)
        wb_obs__discard(o);
    return error;
}
