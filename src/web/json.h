/**
 * @file
 * @brief A streaming JSON writer into a wb_str: objects and arrays are opened and closed,
 * commas are placed by the writer, strings are escaped (control characters, quotes,
 * backslash, and '<' '>' '&' U+2028 U+2029 as \\u escapes so JSON can never close an HTML
 * script context), numbers round-trip and NaN/Inf become null. Library-internal.
 */
#ifndef WB_WEB_JSON_H
#define WB_WEB_JSON_H

#include <stddef.h>

#include "wijkbeeld/core.h"

#define WB_JSON_MAX_DEPTH 32

typedef struct {
    wb_str *out;
    int depth;
    unsigned char first[WB_JSON_MAX_DEPTH]; /**< 1 while the container at this depth is empty */
    char kind[WB_JSON_MAX_DEPTH];           /**< '{' or '[' */
    unsigned char after_key;                /**< a key was written; the value follows */
    int error;                              /**< first error (WB_ENOMEM, WB_EINVALID), sticky */
} wb_json;

void wb_json_init(wb_json *j, wb_str *out);
void wb_json_obj_open(wb_json *j);
void wb_json_obj_close(wb_json *j);
void wb_json_arr_open(wb_json *j);
void wb_json_arr_close(wb_json *j);
void wb_json_key(wb_json *j, const char *key);
/** A string value; NULL writes null. */
void wb_json_str(wb_json *j, const char *s);
/** A string value of @p n bytes. */
void wb_json_strn(wb_json *j, const char *s, size_t n);
/** A number; NaN and infinities write null. Shortest form that reads back exactly. */
void wb_json_num(wb_json *j, double v);
/** A number rounded to @p decimals places (coordinates). */
void wb_json_fixed(wb_json *j, double v, int decimals);
void wb_json_int(wb_json *j, long long v);
void wb_json_bool(wb_json *j, int v);
void wb_json_null(wb_json *j);
/** Pre-serialised JSON copied as it is (caller guarantees it is valid). */
void wb_json_raw(wb_json *j, const char *raw, size_t n);

/* key + value in one call */
void wb_json_kstr(wb_json *j, const char *key, const char *s);
void wb_json_knum(wb_json *j, const char *key, double v);
void wb_json_kint(wb_json *j, const char *key, long long v);

/** 0 when everything was written and every container closed; else the error. */
int wb_json_finish(wb_json *j);

/** Escape @p s as a JSON string literal (with quotes) into @p out. */
int wb_json_escape(wb_str *out, const char *s, size_t n);

#endif
