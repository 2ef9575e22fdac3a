/**
 * @file
 * @brief Error codes and the thread-local last-error message.
 *
 * Every library function returns 0 (WB_OK) on success or a negative wb_error_code.
 * Before returning an error it sets a one-line message, readable with wb_error_last()
 * until the next error on the same thread. Messages about input name the file, the line
 * (and column where known) and what was expected: "data.csv:12:3: expected a number, got 'abc'".
 * A message is always valid UTF-8 on one line: quoted input bytes that are not UTF-8 (or a
 * sequence cut by a length limit) show as '?', line breaks as spaces.
 */
#ifndef WIJKBEELD_ERRORS_H
#define WIJKBEELD_ERRORS_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Return codes. Only the specific ones a caller can act on get their own code. */
typedef enum {
    WB_OK = 0,
    WB_ERROR = -1,     /**< anything else */
    WB_ENOTFOUND = -2, /**< an area, indicator, file or record does not exist */
    WB_EINVALID = -3,  /**< an argument or option is not acceptable */
    WB_EPARSE = -4,    /**< malformed input file or document */
    WB_ENOMEM = -5,    /**< out of memory */
    WB_EIO = -6,       /**< reading or writing a file failed */
    WB_ESTORE = -7,    /**< the database refused an operation */
    WB_EDENIED = -8,   /**< not allowed (authorisation) */
    WB_ECONFLICT = -9  /**< conflicts with existing data (duplicate key, already done) */
} wb_error_code;

/** Where an error came from. */
typedef enum {
    WB_ERRCLASS_NONE = 0,
    WB_ERRCLASS_OS,
    WB_ERRCLASS_NOMEM,
    WB_ERRCLASS_ARG,
    WB_ERRCLASS_CSV,
    WB_ERRCLASS_JSON,
    WB_ERRCLASS_GEO,
    WB_ERRCLASS_STORE,
    WB_ERRCLASS_STATS,
    WB_ERRCLASS_MODEL,
    WB_ERRCLASS_HTTP,
    WB_ERRCLASS_AUTH,
    WB_ERRCLASS__MAX
} wb_error_class;

/** The last error of this thread. */
typedef struct {
    int klass;           /**< a wb_error_class */
    const char *message; /**< one line, no trailing newline; never NULL */
} wb_error;

/**
 * The last error set on this thread. Never NULL: without an error, klass is
 * WB_ERRCLASS_NONE and message is "no error". Borrowed; valid until the next error.
 */
const wb_error *wb_error_last(void);

/** Forget the last error of this thread. */
void wb_error_clear(void);

/** A short English description of a wb_error_code, e.g. "not found". Static string. */
const char *wb_strerror(int code);

/**
 * Set this thread's error message (printf-style). Used by the library and by programs
 * built on it that report through the same channel.
 */
void wb_error_set(int klass, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** As wb_error_set, with a va_list. */
void wb_error_vset(int klass, const char *fmt, va_list ap);

/** Prefix the current message with "prefix: " (e.g. a file name). */
void wb_error_prefix(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
