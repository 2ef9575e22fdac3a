/**
 * @file
 * @brief What a map, a statistic or a trend of the API is computed on: an indicator of the
 * catalogue or the score of a model in the server's models directory, its boundaries and its
 * values; and the cache helpers of the analysis routes. Library-internal (src/web).
 */
#ifndef WB_WEB_SOURCE_H
#define WB_WEB_SOURCE_H

#include <stdint.h>

#include "web/web_internal.h"
#include "wijkbeeld/score.h"

/** An indicator, or the score of a model (parameters indicator= or model= of a route). */
typedef struct {
    int is_model;
    char key[64];    /**< canonical indicator key, or the model name */
    int64_t ind;     /**< the indicator; for a model its first indicator in the store (it
                          chooses the boundaries) */
    int direction;   /**< +1 higher is better, -1 higher is worse, 0 neutral; models +1 */
    char unit[32];   /**< the indicator's unit ("" for a model) */
    wb_model *model; /**< the model (not resolved against the store), or NULL */
} wb_web_src;

/**
 * Read indicator= or model= of the request (exactly one: else 400 in @p resp and
 * WB_EINVALID). WB_ENOTFOUND for an unknown indicator or model. Close with wb_web__src_close
 * (also after an error).
 */
int wb_web__src_open(wb_web_src *src, wb_req *req, wb_resp *resp);
void wb_web__src_close(wb_web_src *src);

/** Load models/NAME.model of the server (no resolving). WB_ENOTFOUND when absent. */
int wb_web__model_file(wb_model **out, wb_req *req, const char *name);

/**
 * The boundary year: the request's boundary_year when given, else the one with the most
 * values of the source in data year @p year at @p level (as /api/values chooses it).
 * WB_ENOTFOUND when there are none.
 */
int wb_web__src_byear(wb_req *req, const wb_web_src *src, wb_level level, int year, int *byear);

/** Values of a source on the areas of one level and boundary year, in code order. */
typedef struct {
    size_t n;
    char (*codes)[WB_CODE_MAX];
    double *v;            /**< NaN: stored missing (indicator) or no score (model) */
    unsigned char *klass; /**< model: its class 1..9 (0 none); NULL for an indicator */
} wb_web_vals;

/** The values of indicator @p key in data year @p year (stored missing values as NaN). */
int wb_web__indicator_values(wb_web_vals *vs, wb_req *req, const char *key, wb_level level, int year,
                             int byear);
/** The source's values in data year @p year (a model is scored for it). */
int wb_web__src_values(wb_web_vals *vs, wb_req *req, const wb_web_src *src, wb_level level, int year,
                       int byear);
void wb_web__vals_dispose(wb_web_vals *vs);

/** A cache key of at most 95 bytes: longer keys are shortened with a 64-bit hash. */
void wb_web__cache_key(char out[96], const char *full);
/** 1 and the cached body in @p resp (X-Cache: hit, X-Boundary-Year) when cached, else 0. */
int wb_web__cached(wb_req *req, wb_resp *resp, const char *key, uint64_t gen);
/** Cache the finished JSON in @p out (taken) and answer with it (X-Cache: miss). */
int wb_web__publish(wb_req *req, wb_resp *resp, const char *key, uint64_t gen, wb_str *out, int byear);

/** Enumerations of the route table, defined in routes_spatial.c. */
extern const char *const wb_web__methods[];
extern const char *const wb_web__weight_types[];
extern const char *const wb_web__alphas[];

#endif
