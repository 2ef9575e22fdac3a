/**
 * @file
 * @brief Core values: area levels, CBS area codes, growable strings, allocation hooks.
 */
#ifndef WIJKBEELD_CORE_H
#define WIJKBEELD_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest area code plus its terminating NUL. CBS codes are at most 10 characters. */
#define WB_CODE_MAX 32

/** Administrative levels of the CBS Wijk- en Buurtkaart. */
typedef enum {
    WB_LEVEL_LAND = 0,  /**< the Netherlands (NL00 in StatLine) */
    WB_LEVEL_GEMEENTE,  /**< municipality, GMxxxx */
    WB_LEVEL_WIJK,      /**< district, WKxxxxxx */
    WB_LEVEL_BUURT,     /**< neighbourhood, BUxxxxxxxx */
    WB_LEVEL_OTHER,     /**< anything else: grid cells, own areas */
    WB_LEVEL__MAX
} wb_level;

/** "land", "gemeente", "wijk", "buurt", "other"; NULL for an invalid value. Static string. */
const char *wb_level_name(wb_level level);

/**
 * Parse a level name: the Dutch names above, their English equivalents (country,
 * municipality, district, neighbourhood) and the code prefixes (NL, GM, WK, BU), any case.
 * @return 0, or WB_EINVALID with a message listing the accepted names.
 */
int wb_level_parse(wb_level *out, const char *name);

/**
 * Normalise a CBS area code as found in a file: surrounding spaces and quotes removed,
 * prefix upper-cased ("gm0363" -> "GM0363"), digits checked against the prefix (GM 4, WK 6,
 * BU 8 digits; NL00 for the country). A bare number is accepted when @p hint is a level
 * other than WB_LEVEL__MAX (it is zero-padded: 363 with WB_LEVEL_GEMEENTE -> GM0363) or when
 * it has exactly 4, 6 or 8 digits. Other codes (letters and digits, '_' '-' '.', no spaces)
 * are kept as they are with level WB_LEVEL_OTHER.
 *
 * @param out     buffer of WB_CODE_MAX bytes
 * @param level   OUT: the level implied by the code (may be NULL)
 * @param in      the raw text (need not be NUL-terminated)
 * @param len     its length in bytes
 * @param hint    expected level for bare numbers, or WB_LEVEL__MAX for none
 * @return 0, or WB_EINVALID with a message saying what was expected.
 */
int wb_code_normalize(char out[WB_CODE_MAX], wb_level *level, const char *in, size_t len,
                      wb_level hint);

/**
 * The code of the enclosing area by the CBS code hierarchy: BU03630000 -> WK036300 ->
 * GM0363 -> NL00. @return 0, or WB_ENOTFOUND for NL00 and non-CBS codes.
 */
int wb_code_parent(char out[WB_CODE_MAX], const char *code);

/** A growable NUL-terminated byte string. Initialise with WB_STR_INIT. */
typedef struct {
    char *ptr;  /**< always NUL-terminated once anything was added; NULL when empty */
    size_t len; /**< bytes used, without the NUL */
    size_t cap; /**< bytes allocated */
} wb_str;

#define WB_STR_INIT {NULL, 0, 0}

/** Append @p n bytes. @return 0 or WB_ENOMEM. */
int wb_str_put(wb_str *s, const char *p, size_t n);
/** Append a NUL-terminated string. */
int wb_str_puts(wb_str *s, const char *p);
/** Append one byte. */
int wb_str_putc(wb_str *s, char c);
/** Append formatted text. */
int wb_str_printf(wb_str *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Make empty, keep the allocation. */
void wb_str_clear(wb_str *s);
/** Free the buffer and reset to WB_STR_INIT. */
void wb_str_dispose(wb_str *s);
/** Take ownership of the buffer (never NULL: "" allocated when empty); resets @p s. */
char *wb_str_detach(wb_str *s);
/** The contents as a C string ("" when empty). Borrowed. */
const char *wb_str_cstr(const wb_str *s);

/**
 * Would a spreadsheet run this CSV cell as a formula (CSV injection, OWASP)? Text that
 * starts with '=', '+', '-', '@', a tab or a CR, unless the whole cell is a plain finite
 * number ("-5", "+1e3"). Every CSV writer of wijkbeeld puts an apostrophe before such text,
 * and readers of its own exports ('import initiatives') take it off again. NULL: 0.
 */
int wb_csv_formula(const char *text);

/** Allocation used throughout the library, so tests can make the Nth allocation fail. */
void *wb_malloc(size_t n);
void *wb_calloc(size_t n, size_t size);
void *wb_realloc(void *p, size_t n);
void wb_free(void *p);
char *wb_strdup(const char *s);
char *wb_strndup(const char *s, size_t n);

/**
 * Testing hook: after @p n more successful allocations, every allocation fails until
 * reset with a negative @p n. Not thread-safe; for tests only.
 */
void wb_alloc_fail_after(long n);

/**
 * Progress of long work: @p done of @p total units of @p what (total 0 when unknown).
 * Called by importers and analyses at most every few thousand units; the library itself
 * never prints.
 */
typedef void (*wb_progress_fn)(void *payload, const char *what, size_t done, size_t total);

/** Library version string, e.g. "0.1.0". */
const char *wb_version(void);

#ifdef __cplusplus
}
#endif
#endif
