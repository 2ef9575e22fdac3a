/**
 * @file
 * @brief Walks over the stored observation rows (the layout of obs.c): every value of one
 * area, and the means of a level per indicator and data year.
 *
 * The rows of one chunk of area ids are adjacent in rowid order (chunk << 32 | indicator << 12
 * | year), so both walks read rowid ranges: the values of an area are those of its chunk's
 * rows, and the level means visit the chunks that hold areas of the level, in ascending order
 * of area id. SQL through the `observation` virtual table answers the same questions
 * (GROUP BY, avg()) but pays for every value as a row of a join: the level means of a
 * national panel of 15 M values took seconds that way.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

static const char chunk_rows_sql[] = "SELECT id, data FROM obs_chunk WHERE id >= ?1 AND id <= ?2 ORDER BY id";

/* Bind the rowid range of every row of chunk @p chunk. */
static void bind_chunk(sqlite3_stmt *s, int64_t chunk)
{
    sqlite3_bind_int64(s, 1, chunk << 32);
    sqlite3_bind_int64(s, 2, chunk << 32 | 0xFFFFFFFFLL);
}

static int parse_row(wb_obs_row *r, sqlite3_stmt *s)
{
    return wb_obs__row_parse(r, sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1), sqlite3_column_bytes(s, 1));
}

/* ---------------------------------------------------------------- one area */

int wb_store_area_values(wb_store *st, wb_obs_value **out, size_t *n, int64_t area_id, int64_t indicator_id)
{
    *out = NULL;
    *n = 0;
    if (area_id < 1 || area_id > WB_OBS_MAX_AREA || indicator_id < 0 || indicator_id > WB_OBS_MAX_INDICATOR)
        return 0; /* no value can be stored for them */
    int error = wb_store__obs_flush(st);
    if (error < 0)
        return error;
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__stmt(st, &s, chunk_rows_sql)) < 0)
        return error;
    int64_t chunk = area_id / WB_OBS_CHUNK;
    if (indicator_id) { /* the rows of one indicator: one run of the chunk's rows */
        sqlite3_bind_int64(s, 1, chunk << 32 | indicator_id << 12);
        sqlite3_bind_int64(s, 2, chunk << 32 | indicator_id << 12 | 4095);
    } else {
        bind_chunk(s, chunk);
    }
    int slot = (int)(area_id % WB_OBS_CHUNK), rc;
    wb_obs_value *v = NULL;
    size_t cnt = 0, cap = 0;
    /* the rows come in (indicator, year) order: so do the values */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_obs_row r;
        if ((error = parse_row(&r, s)) < 0)
            break;
        int i = wb_obs__row_find(&r, slot);
        if (i < 0)
            continue;
        if (cnt == cap && wb__grow((void **)&v, &cap, cnt + 1, sizeof *v) < 0) {
            wb_error_set(WB_ERRCLASS_NOMEM, "out of memory reading the values of an area");
            error = WB_ENOMEM;
            break;
        }
        v[cnt].indicator_id = r.indicator_id;
        v[cnt].year = r.year;
        v[cnt].value = wb_obs__row_value(&r, i);
        cnt++;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading the values of an area");
    sqlite3_reset(s);
    if (error < 0) {
        wb_free(v);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

/* ---------------------------------------------------------------- level means */

/* A sum per (indicator, year): open addressing on the row key without its chunk. */
typedef struct {
    int64_t key; /* indicator << 12 | year; 0: empty slot */
    double sum;
    int64_t n;
} acc;

typedef struct {
    acc *a;
    size_t cap, n;
} acc_map;

static size_t acc_slot(int64_t key, size_t cap)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 20) & (cap - 1);
}

static acc *acc_get(acc_map *m, int64_t key)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        acc *na = wb_calloc(cap, sizeof *na);
        if (!na)
            return NULL;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->a[i].key)
                continue;
            size_t j = acc_slot(m->a[i].key, cap);
            while (na[j].key)
                j = (j + 1) & (cap - 1);
            na[j] = m->a[i];
        }
        wb_free(m->a);
        m->a = na;
        m->cap = cap;
    }
    size_t j = acc_slot(key, m->cap);
    while (m->a[j].key && m->a[j].key != key)
        j = (j + 1) & (m->cap - 1);
    if (!m->a[j].key) {
        m->a[j].key = key;
        m->n++;
    }
    return &m->a[j];
}

static int cmp_acc(const void *x, const void *y)
{
    int64_t a = ((const acc *)x)->key, b = ((const acc *)y)->key;
    return a < b ? -1 : a > b;
}

/* Add values @p from .. @p to - 1 of a row to a sum, in order (NaN: stored as missing). Its
 * own function, so that the sum stays in a register: the additions form one chain, which is
 * what takes the time, and their order must stay that of the area ids. */
static void add_run(acc *a, const wb_obs_row *r, int from, int to)
{
    double sum = a->sum;
    int64_t n = a->n;
    for (int i = from; i < to; i++) {
        double x = wb_obs__row_value(r, i);
        if (!isnan(x)) {
            sum += x;
            n++;
        }
    }
    a->sum = sum;
    a->n = n;
}

/* The chunks holding areas of the level, ascending, each with the slots of those areas. */
typedef struct {
    int64_t chunk;
    uint64_t mask[4];
} level_chunk;

static int level_chunks(wb_store *st, level_chunk **out, size_t *n, wb_level level, int byear)
{
    static const char sql[] = "SELECT id FROM area WHERE level = ?1 AND year = ?2 ORDER BY id";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__stmt(st, &s, sql);
    if (error < 0)
        return error;
    sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, byear);
    level_chunk *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (id < 1 || id > WB_OBS_MAX_AREA)
            continue; /* no value can be stored for it */
        int64_t c = id / WB_OBS_CHUNK;
        if (cnt == 0 || v[cnt - 1].chunk != c) {
            if (cnt == cap && wb__grow((void **)&v, &cap, cnt + 1, sizeof *v) < 0) {
                error = WB_ENOMEM;
                break;
            }
            v[cnt].chunk = c;
            memset(v[cnt].mask, 0, sizeof v[cnt].mask);
            cnt++;
        }
        int slot = (int)(id % WB_OBS_CHUNK);
        v[cnt - 1].mask[slot >> 6] |= (uint64_t)1 << (slot & 63);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "listing the areas of a level");
    sqlite3_reset(s);
    if (error < 0) {
        wb_free(v);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int wb_store_level_means(wb_store *st, wb_obs_value **out, size_t *n, wb_level level, int boundary_year)
{
    *out = NULL;
    *n = 0;
    level_chunk *chunks = NULL;
    size_t nchunks = 0;
    acc_map m = {NULL, 0, 0};
    wb_obs_value *v = NULL;
    int error = wb_store__obs_flush(st);
    if (error < 0 || (error = level_chunks(st, &chunks, &nchunks, level, boundary_year)) < 0)
        goto done;
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__stmt(st, &s, chunk_rows_sql)) < 0)
        goto done;
    /* chunk by chunk, slot by slot: every sum adds its values in ascending area id, as the
     * SQL join over the area index did */
    for (size_t c = 0; c < nchunks && error == 0; c++) {
        const uint64_t *mask = chunks[c].mask;
        sqlite3_reset(s);
        bind_chunk(s, chunks[c].chunk);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            wb_obs_row r;
            if ((error = parse_row(&r, s)) < 0)
                break;
            if (!(r.bits[0] & mask[0]) && !(r.bits[1] & mask[1]) && !(r.bits[2] & mask[2]) &&
                !(r.bits[3] & mask[3]))
                continue; /* no area of the level in this row */
            acc *a = acc_get(&m, r.indicator_id << 12 | r.year);
            if (!a) {
                error = WB_ENOMEM;
                break;
            }
            int i = 0; /* index of the first value of word w: the set bits before it */
            for (int w = 0; w < 4; w++) {
                uint64_t bits = r.bits[w], in = bits & mask[w];
                int nw = __builtin_popcountll(bits);
                if (in == bits) /* every value of the word: a run */
                    add_run(a, &r, i, i + nw);
                else
                    for (uint64_t b = in; b; b &= b - 1) {
                        int k = i + __builtin_popcountll(bits & ((b & -b) - 1));
                        add_run(a, &r, k, k + 1);
                    }
                i += nw;
            }
        }
        if (error == 0 && rc != SQLITE_DONE)
            error = wb_store__error(st, "reading observations");
    }
    sqlite3_reset(s);
    if (error < 0)
        goto done;
    /* gather the sums in key order: by indicator, then year */
    size_t k = 0;
    for (size_t i = 0; i < m.cap; i++)
        if (m.a[i].key)
            m.a[k++] = m.a[i];
    if (k)
        qsort(m.a, k, sizeof *m.a, cmp_acc);
    if (k && !(v = wb_malloc(k * sizeof *v))) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < k; i++) {
        v[i].indicator_id = m.a[i].key >> 12;
        v[i].year = (int)(m.a[i].key & 4095);
        v[i].value = m.a[i].sum / (double)m.a[i].n;
    }
    *out = v;
    *n = k;
    v = NULL;
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory computing level means");
    wb_free(v);
    wb_free(m.a);
    wb_free(chunks);
    return error;
}
