/** @file @brief The score model structure, shared by the parser (model.c) and the scorer (score.c). */
#ifndef WB_STATS_MODEL_INTERNAL_H
#define WB_STATS_MODEL_INTERNAL_H

#include "wijkbeeld/score.h"

typedef struct {
    char *key;
    char *label;     /* NULL: use the key */
    double weight;
    int line;        /* line of the [dimension] header */
    size_t nind;
} wb_model_dim;

struct wb_model {
    char *origin, *name, *title;
    wb_transform transform;
    wb_aggregate aggregate;
    char reference[WB_CODE_MAX]; /* "" = the nation */
    int base_year;
    double min_coverage;
    wb_model_dim *dims;
    size_t ndims;
    wb_model_indicator *inds;
    char **keys;                 /* nind + 1, NULL-terminated; inds[i].key points here */
    size_t nind;
    int has_classes;
    double thr[WB_NTHRESHOLDS];
    int *off_years;
    double *off_vals;
    size_t noff;
};

#endif
