/**
 * @file
 * @brief Shared parts of the fuzz targets (fuzz/<target>.c).
 *
 * A target is a function `int wbfuzz_<name>(const uint8_t *data, size_t size)` that parses
 * the input, checks invariants with WBF_CHECK and frees everything. It is reached three ways:
 *  - libFuzzer (`make fuzz`: clang -fsanitize=fuzzer,address,undefined, WBF_LIBFUZZER
 *    defined): WBF_TARGET also defines LLVMFuzzerTestOneInput;
 *  - the standalone driver fuzz/standalone.c (gcc + ASan/UBSan), which runs files or
 *    directories through a named target;
 *  - the test runner (tests/fuzz/replay.c), which replays fuzz/corpora/<name>/ in make check.
 * A failed invariant prints what failed and aborts, so libFuzzer saves the input as a crash.
 * Every target is listed once in WBF_TARGETS below.
 */
#ifndef WB_FUZZ_H
#define WB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "wijkbeeld/geo.h"

/* X(name): one line per target; corpora live in fuzz/corpora/<name>/. */
#define WBF_TARGETS(X) \
    X(code)            \
    X(csv)             \
    X(geojson)         \
    X(http_headers)    \
    X(http_query)      \
    X(import)          \
    X(json_body)       \
    X(labels)          \
    X(model)           \
    X(themes)          \
    X(topojson)        \
    X(wkb)

#define WBF_DECLARE(name) int wbfuzz_##name(const uint8_t *data, size_t size);
WBF_TARGETS(WBF_DECLARE)
#undef WBF_DECLARE

#ifdef WBF_LIBFUZZER
#define WBF_TARGET(name)                                                                     \
    int wbfuzz_##name(const uint8_t *data, size_t size);                                     \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                            \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                             \
    {                                                                                        \
        return wbfuzz_##name(data, size);                                                    \
    }                                                                                        \
    int wbfuzz_##name(const uint8_t *data, size_t size)
#else
#define WBF_TARGET(name) int wbfuzz_##name(const uint8_t *data, size_t size)
#endif

/** Report a failed invariant (file:line, message, the library's last error) and abort(). */
void wbf_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

#define WBF_CHECK(cond, ...)                                                                 \
    do {                                                                                     \
        if (!(cond))                                                                         \
            wbf_fail(__FILE__, __LINE__, __VA_ARGS__);                                       \
    } while (0)

/**
 * Check the message of a failed call: set, naming @p name (the file name given to the
 * parser), and when @p need_line, followed by ":<line>" somewhere after the name.
 */
void wbf_check_error(const char *file, int line, int rc, const char *name, int need_line);
#define WBF_CHECK_ERROR(rc, name, need_line) wbf_check_error(__FILE__, __LINE__, rc, name, need_line)

/** With WBF_VERBOSE set in the environment: print the input's name, @p rc and the error. */
void wbf_note(int rc);

/** 1 when @p s (@p n bytes) is valid UTF-8 (no overlong forms, surrogates, > U+10FFFF). */
int wbf_utf8_valid(const char *s, size_t n);

/**
 * A private temporary directory for this process (created on first use, removed at exit),
 * and a path in it. Static buffer per call site is not needed: the result is a new path in
 * @p buf of @p n bytes.
 */
const char *wbf_tmp_path(char *buf, size_t n, const char *file);

/**
 * Check a geometry: offsets start at 0, never decrease and end at nrings / npts; the bounding
 * box holds every finite point. With @p valid also the documented wb_geom invariants: every
 * polygon has an exterior ring, rings are closed with at least 4 points, and every
 * coordinate is finite.
 */
void wbf_check_geom(const wb_geom *g, int valid, const char *what);

/**
 * The polygon importer on a JSON document in memory (wb_geo_read_buffer), with options from
 * byte 0 (CRS option, level, code field, object) and the checks described in topojson.c.
 */
int wbf_geo_run(const uint8_t *data, size_t size, const char *name);

struct sqlite3;
/** A digest of every row of every table of @p db; with @p check_text every text value must be
 *  UTF-8 (else the invariant fails). */
uint64_t wbf_store_digest(struct sqlite3 *db, int check_text);
/** Rows of @p table, or -1. */
int64_t wbf_count_rows(struct sqlite3 *db, const char *table);

/** Write @p size bytes to @p path (aborts on failure). */
void wbf_write_file(const char *path, const void *data, size_t size);

#endif
