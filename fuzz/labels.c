/**
 * @file
 * @brief Fuzz target: `import labels` (wb_import_labels, src/io/labels.c) into an in-memory
 * store holding areas of two municipalities (names with accents, a name shared by a wijk and a
 * buurt, the same name in both municipalities).
 *
 * Input: byte 0 chooses options (bits 0-1: --level none, gemeente, wijk, buurt; bit 2: --year
 * 2016; bit 3: --match-quality exact; bit 4: delimiter ';'). The rest is the label file; a NUL
 * byte (never valid in a CSV file) ends it, and what follows is written as the --match file.
 * Invariants:
 *  - on error: WB_EPARSE, WB_EINVALID or WB_ENOTFOUND, with a UTF-8 message naming one of the
 *    two files; the store is unchanged (a digest of every row of every table);
 *  - on success: the set exists with exactly res.members members, all areas of the store;
 *    res.matched is the number of rows with areas; a row has areas exactly when it matched
 *    by code, name or the match file, and then its code is one of the store's codes; every
 *    text of the result and the store is UTF-8. The store is restored afterwards.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "store/store_internal.h"
#include "wijkbeeld.h"

static wb_store *st;
static sqlite3 *snap;
static uint64_t base_digest;

static const char baseline_csv[] =
    "code;naam;jaar;a_inw\n"
    "GM0363;Amsterdam;2016;1\n"
    "WK036300;Burgwallen-Oude Zijde;2016;1\n"
    "WK036301;Burgwallen-Nieuwe Zijde;2016;1\n"
    "BU03630000;Kop Zeedijk;2016;1\n"
    "BU03630001;Oude Kerk e.o.;2016;1\n"
    "BU03630100;Nieuwmarkt;2016;1\n"
    "GM0599;Rotterdam;2016;1\n"
    "WK059901;Stadsdriehoek;2016;1\n"
    "BU05990110;Stadsdriehoek;2016;1\n"
    "WK059902;Nieuwmarkt;2016;1\n"
    "BU05990200;Cool-Zuid \xc3\xa9\xc3\xa9n;2016;1\n";

static void init(void)
{
    char path[600];
    wbf_write_file(wbf_tmp_path(path, sizeof path, "baseline.csv"), baseline_csv, sizeof baseline_csv - 1);
    WBF_CHECK(wb_store_open(&st, ":memory:", WB_STORE_CREATE) == 0, "store");
    WBF_CHECK(wb_import_csv(st, NULL, path, NULL) == 0, "baseline import");
    WBF_CHECK(sqlite3_open(":memory:", &snap) == SQLITE_OK, "snapshot");
    sqlite3_backup *b = sqlite3_backup_init(snap, "main", wb_store__db(st), "main");
    WBF_CHECK(b && sqlite3_backup_step(b, -1) == SQLITE_DONE, "snapshot");
    sqlite3_backup_finish(b);
    base_digest = wbf_store_digest(wb_store__db(st), 1);
}

static void restore(void)
{
    sqlite3_backup *b = sqlite3_backup_init(wb_store__db(st), "main", snap, "main");
    WBF_CHECK(b && sqlite3_backup_step(b, -1) == SQLITE_DONE, "restoring the baseline");
    sqlite3_backup_finish(b);
    wb_store__cache_clear(st);
}

static int64_t one(const char *sql, const char *arg)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(wb_store__db(st), sql, -1, &s, NULL) == SQLITE_OK) {
        if (arg)
            sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return v;
}

WBF_TARGET(labels)
{
    static int ready;
    if (!ready) {
        init();
        ready = 1;
    }
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    const uint8_t *body = data + 1;
    size_t n = size - 1;
    const uint8_t *nul = memchr(body, 0, n);
    char path[600], match[600];
    wbf_tmp_path(path, sizeof path, "labels.csv");
    wbf_tmp_path(match, sizeof match, "match.csv");
    wbf_write_file(path, body, nul ? (size_t)(nul - body) : n);
    if (nul)
        wbf_write_file(match, nul + 1, n - (size_t)(nul - body) - 1);
    wb_label_opts o = WB_LABEL_OPTS_INIT;
    static const wb_level levels[] = {WB_LEVEL__MAX, WB_LEVEL_GEMEENTE, WB_LEVEL_WIJK, WB_LEVEL_BUURT};
    o.level = levels[flags & 3];
    o.year = (flags & 4) ? 2016 : 0;
    o.match_file = nul ? match : NULL;
    o.match_quality = (flags & 8) ? "exact" : NULL;
    o.delimiter = (flags & 16) ? ';' : 0;
    wb_label_result res = WB_LABEL_RESULT_INIT;
    int r = wb_import_labels(st, &res, path, "fuzzset", &o);
    wbf_note(r);
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE || r == WB_EINVALID || r == WB_ENOTFOUND, "unexpected error %d", r);
        const char *msg = wb_error_last()->message;
        WBF_CHECK(wbf_utf8_valid(msg, strlen(msg)), "message not UTF-8");
        /* a file error names the file; an option error names the option */
        WBF_CHECK(strstr(msg, "labels.csv") || strstr(msg, "match.csv") || (r == WB_EINVALID && strstr(msg, "(--")),
                  "the message names no file: %s", msg);
        WBF_CHECK(wbf_store_digest(wb_store__db(st), 0) == base_digest, "a failed import changed the store");
    } else {
        WBF_CHECK(res.matched >= 1, "success without a match");
        size_t matched = 0;
        for (size_t i = 0; i < res.n; i++) {
            const wb_label_match *m = &res.rows[i];
            WBF_CHECK(m->kind < WB_MATCH__MAX, "row %zu: kind %d", i, (int)m->kind);
            int by = m->kind == WB_MATCH_CODE || m->kind == WB_MATCH_NAME || m->kind == WB_MATCH_FILE;
            WBF_CHECK(by == (m->nareas > 0), "row %zu (line %zu): kind %d with %zu areas", i, m->line, (int)m->kind,
                      m->nareas);
            matched += m->nareas > 0;
            if (m->input)
                WBF_CHECK(wbf_utf8_valid(m->input, strlen(m->input)), "row %zu: input not UTF-8", i);
            if (m->name)
                WBF_CHECK(wbf_utf8_valid(m->name, strlen(m->name)), "row %zu: name not UTF-8", i);
            if (m->nareas)
                WBF_CHECK(one("SELECT count(*) FROM area WHERE code = ?1", m->code) >= 1, "row %zu: '%s' is no area", i,
                          m->code);
        }
        WBF_CHECK(matched == res.matched, "%zu rows matched, the result says %zu", matched, res.matched);
        int64_t members = one("SELECT count(*) FROM label_member m JOIN label_set s ON s.id = m.set_id "
                              "WHERE s.name = ?1", "fuzzset");
        WBF_CHECK(members == (int64_t)res.members, "%lld members stored, the result says %zu", (long long)members,
                  res.members);
        (void)wbf_store_digest(wb_store__db(st), 1); /* every text UTF-8 */
        restore();
    }
    wb_label_result_dispose(&res);
    wb_error_clear();
    return 0;
}
