/**
 * @file
 * @brief The latest value of every indicator for a set of areas (wb_store_latest): what a
 * feature service shows as the properties of an area.
 *
 * It reads the rows of obs_chunk of the chunks that hold the areas asked for (a key range per
 * chunk: every indicator and data year of 248 consecutive area ids), so the cost follows the
 * areas asked for, not the size of the store or the catalogue: the 2,917 wijken of 2016 are
 * a dozen chunks. Going through the `observation` virtual table instead would either read one
 * chunk per area or scan every indicator's rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

typedef struct {
    int64_t id;
    size_t idx; /* position in the caller's array */
} id_pos;

static int cmp_id_pos(const void *a, const void *b)
{
    const id_pos *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The catalogue index of indicator @p id (the catalogue sorted by id in @p byid), or -1. */
static long find_ind(const id_pos *byid, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (byid[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && byid[lo].id == id ? (long)byid[lo].idx : -1;
}

void wb_latest_dispose(wb_latest *l)
{
    if (!l)
        return;
    wb_indicators_free(l->ind, l->nind);
    wb_free(l->value);
    wb_free(l->year);
    memset(l, 0, sizeof *l);
}

int wb_store_latest(wb_store *st, wb_latest *out, const int64_t *area_ids, size_t nareas, int year_from,
                    int year_to)
{
    memset(out, 0, sizeof *out);
    out->nareas = nareas;
    if (year_to == 0)
        year_to = 4095; /* the largest data year the chunk keys hold */
    wb_indicator *cat = NULL;
    size_t ncat = 0;
    id_pos *areas = NULL, *inds = NULL;
    double *val = NULL;
    int *yr = NULL;
    unsigned char *used = NULL;
    sqlite3_stmt *s = NULL;
    int error = wb_store_indicators(st, &cat, &ncat);
    if (error < 0)
        return error;
    if (nareas == 0 || ncat == 0)
        goto compact;
    areas = wb_malloc(nareas * sizeof *areas);
    inds = wb_malloc(ncat * sizeof *inds);
    val = wb_malloc(nareas * ncat * sizeof *val);
    yr = wb_calloc(nareas * ncat, sizeof *yr);
    used = wb_calloc(ncat, 1);
    if (!areas || !inds || !val || !yr || !used) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < nareas * ncat; i++)
        val[i] = NAN;
    for (size_t a = 0; a < nareas; a++)
        areas[a] = (id_pos){area_ids[a], a};
    for (size_t k = 0; k < ncat; k++)
        inds[k] = (id_pos){cat[k].id, k};
    qsort(areas, nareas, sizeof *areas, cmp_id_pos);
    qsort(inds, ncat, sizeof *inds, cmp_id_pos);
    /* wb_store__db writes buffered values first, so they are read too */
    (void)wb_store__db(st);
    if ((error = wb_store__prepare(st, &s, "SELECT id, data FROM obs_chunk WHERE id >= ?1 AND id <= ?2")) < 0)
        goto done;
    for (size_t a0 = 0; a0 < nareas;) {
        if (areas[a0].id < 0 || areas[a0].id > WB_OBS_MAX_AREA) {
            a0++; /* no observation can refer to it */
            continue;
        }
        int64_t chunk = areas[a0].id / WB_OBS_CHUNK;
        size_t a1 = a0;
        while (a1 < nareas && areas[a1].id / WB_OBS_CHUNK == chunk)
            a1++;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, chunk << 32);
        sqlite3_bind_int64(s, 2, chunk << 32 | 0xFFFFFFFFLL);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            wb_obs_row r;
            if ((error = wb_obs__row_parse(&r, sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1),
                                           sqlite3_column_bytes(s, 1))) < 0)
                goto done;
            if (r.year < year_from || r.year > year_to)
                continue;
            long k = find_ind(inds, ncat, r.indicator_id);
            if (k < 0)
                continue;
            for (size_t a = a0; a < a1; a++) {
                if (a > a0 && areas[a].id == areas[a - 1].id) {
                    /* the same area asked for twice: copy what its first copy got */
                    size_t p = areas[a - 1].idx * ncat + (size_t)k, q = areas[a].idx * ncat + (size_t)k;
                    val[q] = val[p];
                    yr[q] = yr[p];
                    continue;
                }
                int i = wb_obs__row_find(&r, (int)(areas[a].id - chunk * WB_OBS_CHUNK));
                if (i < 0)
                    continue;
                double v = wb_obs__row_value(&r, i);
                size_t cell = areas[a].idx * ncat + (size_t)k;
                if (isnan(v))
                    continue; /* observed as missing: an earlier value stays the latest */
                used[k] = 1;
                if (out->year_min == 0 || r.year < out->year_min)
                    out->year_min = r.year;
                if (r.year > out->year_max)
                    out->year_max = r.year;
                if (r.year > yr[cell]) {
                    val[cell] = v;
                    yr[cell] = r.year;
                }
            }
        }
        if (rc != SQLITE_DONE) {
            error = wb_store__error(st, "reading observations");
            goto done;
        }
        a0 = a1;
    }

compact:
    /* keep the indicators that have a value, in catalogue (key) order */
    for (size_t k = 0; k < ncat; k++)
        out->nind += used && used[k];
    if (out->nind) {
        out->ind = wb_calloc(out->nind, sizeof *out->ind);
        out->value = wb_malloc(nareas * out->nind * sizeof *out->value);
        out->year = wb_malloc(nareas * out->nind * sizeof *out->year);
        if (!out->ind || !out->value || !out->year) {
            wb_free(out->ind);
            out->ind = NULL;
            out->nind = 0;
            error = WB_ENOMEM;
            goto done;
        }
        size_t j = 0;
        for (size_t k = 0; k < ncat; k++) {
            if (!used[k])
                continue;
            out->ind[j] = cat[k]; /* take the strings */
            memset(&cat[k], 0, sizeof cat[k]);
            for (size_t a = 0; a < nareas; a++) {
                out->value[a * out->nind + j] = val[a * ncat + k];
                out->year[a * out->nind + j] = yr[a * ncat + k];
            }
            j++;
        }
    }
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory while reading the latest values");
    sqlite3_finalize(s);
    wb_indicators_free(cat, ncat);
    wb_free(areas);
    wb_free(inds);
    wb_free(val);
    wb_free(yr);
    wb_free(used);
    if (error < 0)
        wb_latest_dispose(out);
    return error;
}
