/** @file @brief Helpers shared by the issue-7 analyses (gaps, overlaps, effort, effect). */
#ifndef WB_COLLAB_EFFORT_INTERNAL_H
#define WB_COLLAB_EFFORT_INTERNAL_H

#include <limits.h>

#include "wijkbeeld/effort.h"
#include "wijkbeeld/errors.h"

/* ---- a string -> index hash map (keys are borrowed and must outlive the map) ---- */

typedef struct {
    const char **keys;
    size_t *vals;
    size_t cap; /* power of two */
    size_t n;
} eff_map;

int eff_map_init(eff_map *m, size_t expected);
void eff_map_dispose(eff_map *m);
/** Insert (key -> val); an existing key keeps its first value. */
int eff_map_put(eff_map *m, const char *key, size_t val);
/** The value of key, or (size_t)-1. */
size_t eff_map_get(const eff_map *m, const char *key);

/* ---- which panel areas an initiative's area code reaches ---- */

enum { EFF_SAME = 0, EFF_WITHIN = 1, EFF_PART = 2 };

typedef struct {
    char code[WB_CODE_MAX];
    size_t area;
} eff_anc;

typedef struct {
    const wb_panel *p;
    eff_map codes;    /* panel code -> panel index */
    eff_anc *anc;     /* (ancestor code, panel index), sorted by code */
    size_t nanc;
    eff_map ancmap;   /* ancestor code -> first index in anc */
} eff_index;

int eff_index_init(eff_index *x, const wb_panel *p);
void eff_index_dispose(eff_index *x);

/**
 * Call @p fn for every panel area that area @p code (of the panel's boundary year) reaches,
 * with the relation EFF_SAME, EFF_WITHIN (code encloses the area) or EFF_PART (code lies
 * inside the area). Returns the number of areas reached.
 */
size_t eff_reach(const eff_index *x, const char *code, void (*fn)(void *ctx, size_t area, int rel),
                 void *ctx);

/* ---- statuses and dates ---- */

/** Bit set of statuses from "gepland,lopend" (NULL: @p dflt). WB_EINVALID naming the bad one. */
int eff_statuses(unsigned *out, const char *list, const char *dflt);
/** The bit of a status name, 0 when unknown. */
unsigned eff_status_bit(const char *status);

/** Days since 1970-01-01 of an ISO date; @p open when NULL or "". */
long eff_day(const char *iso, long open);
#define EFF_OPEN_START LONG_MIN
#define EFF_OPEN_END LONG_MAX

/** Days of the calendar year @p y: [first, last]. */
void eff_year_days(int y, long *first, long *last);

/* ---- small vectors ---- */

typedef struct {
    int64_t *v;
    size_t n, cap;
} eff_ids;

int eff_ids_push(eff_ids *a, int64_t id);
void eff_ids_dispose(eff_ids *a);

int eff_nomem(void);

#endif
