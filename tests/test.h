/**
 * @file
 * @brief A small test harness: TEST(suite, name) registers a test; assertions record the
 * first failure with file and line; SKIP(reason) marks a test skipped. One runner (main.c)
 * runs all tests or those whose "suite::name" starts with an argument, and ends with the
 * line "N passed, N failed, N skipped".
 */
#ifndef WB_TEST_H
#define WB_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "wijkbeeld.h"

typedef void (*wbt_fn)(void);
void wbt_register(const char *suite, const char *name, wbt_fn fn);
void wbt_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
void wbt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define TEST(suite, name)                                                                    \
    static void test_##suite##__##name(void);                                                \
    __attribute__((constructor)) static void reg_##suite##__##name(void)                     \
    {                                                                                        \
        wbt_register(#suite, #name, test_##suite##__##name);                                 \
    }                                                                                        \
    static void test_##suite##__##name(void)

#define SKIP(...) wbt_skip(__VA_ARGS__)

#define ASSERT(cond)                                                                         \
    do {                                                                                     \
        if (!(cond))                                                                         \
            wbt_fail(__FILE__, __LINE__, "assertion failed: %s", #cond);                     \
    } while (0)

#define ASSERT_MSG(cond, ...)                                                                \
    do {                                                                                     \
        if (!(cond))                                                                         \
            wbt_fail(__FILE__, __LINE__, __VA_ARGS__);                                       \
    } while (0)

/** Expect a library call to succeed; print wb_error_last() otherwise. */
#define WB_PASS(expr)                                                                        \
    do {                                                                                     \
        int wbt_rc_ = (expr);                                                                \
        if (wbt_rc_ < 0)                                                                     \
            wbt_fail(__FILE__, __LINE__, "%s returned %d: %s", #expr, wbt_rc_,               \
                     wb_error_last()->message);                                              \
    } while (0)

/** Expect a library call to fail with a given code. */
#define WB_FAILS(code, expr)                                                                 \
    do {                                                                                     \
        int wbt_rc_ = (expr);                                                                \
        if (wbt_rc_ != (code))                                                               \
            wbt_fail(__FILE__, __LINE__, "%s returned %d, expected %d (%s)", #expr, wbt_rc_, \
                     (int)(code), wb_error_last()->message);                                 \
    } while (0)

#define ASSERT_EQ_I(a, b)                                                                    \
    do {                                                                                     \
        long long wbt_a_ = (long long)(a), wbt_b_ = (long long)(b);                          \
        if (wbt_a_ != wbt_b_)                                                                \
            wbt_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, wbt_a_, #b,  \
                     wbt_b_);                                                                \
    } while (0)

#define ASSERT_EQ_S(a, b)                                                                    \
    do {                                                                                     \
        const char *wbt_a_ = (a), *wbt_b_ = (b);                                             \
        if (!wbt_a_ || !wbt_b_ || strcmp(wbt_a_, wbt_b_) != 0)                               \
            wbt_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,                \
                     wbt_a_ ? wbt_a_ : "(null)", wbt_b_ ? wbt_b_ : "(null)");                \
    } while (0)

/** |a - b| <= tol, or both NaN. */
#define ASSERT_CLOSE(a, b, tol)                                                              \
    do {                                                                                     \
        double wbt_a_ = (double)(a), wbt_b_ = (double)(b);                                   \
        if (!((isnan(wbt_a_) && isnan(wbt_b_)) || fabs(wbt_a_ - wbt_b_) <= (tol)))           \
            wbt_fail(__FILE__, __LINE__, "%s == %.17g, expected %.17g (tol %g)", #a, wbt_a_, \
                     wbt_b_, (double)(tol));                                                 \
    } while (0)

/* ---- helpers for integration tests ---- */

/** Path of a fixture under tests/data (static buffer, one per call site is fine). */
const char *wbt_fixture(const char *rel);
/** Path of a file in ../shared/data; SKIPs the test with a clear message when absent. */
const char *wbt_shared(const char *rel);
/** A fresh empty temporary directory for this test; removed at exit. */
const char *wbt_tmpdir(void);
/** Path in the test's temporary directory (static rotating buffers). */
const char *wbt_tmp(const char *name);

/** Result of running the wijkbeeld program. Free with wbt_run_free. */
typedef struct {
    int status; /**< exit status, or 128+signal */
    char *out;  /**< whole stdout */
    char *err;  /**< whole stderr */
} wbt_run_result;

/**
 * Run the wijkbeeld binary (env WB_BIN) with arguments given as one string that the shell
 * splits (quote as in sh). Optional stdin text (NULL for /dev/null).
 */
wbt_run_result wbt_run(const char *stdin_text, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void wbt_run_free(wbt_run_result *r);

/** Read a whole file (caller frees with free); NULL if unreadable. */
char *wbt_slurp(const char *path, size_t *len);
/** Write a file with the given contents. */
void wbt_write(const char *path, const char *contents);
/** Count lines (newline characters) in a string. */
size_t wbt_count_lines(const char *s);
/** Split a CSV line in place on commas (no quotes; a trailing CR/LF is cut off); fills at
 *  most @p max fields and returns their number. */
int wbt_split(char *line, char **f, int max);
/** 1 when two files have identical bytes. */
int wbt_same_bytes(const char *a, const char *b);

#endif
