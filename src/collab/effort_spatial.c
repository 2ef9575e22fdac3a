/** @file @brief The spatial context of the issue-7 analyses, from spatial.h: LISA clusters of
 *  the score (a need criterion of gaps) and queen neighbours (overlaps; spillover areas left
 *  out of the effect's comparison pool). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collab/effort_internal.h"
#include "wijkbeeld/spatial.h"

int wb_effort_lisa(const char ***out, wb_store *st, const wb_effort_input *in, int year, size_t permutations,
                   uint64_t seed, double alpha)
{
    *out = NULL;
    const wb_panel *p = in->panel;
    const wb_scores *sc = in->scores;
    size_t na = wb_panel_nareas(p), ny = wb_panel_nyears(p);
    long t = -1;
    if (year)
        t = wb_panel_find_year(p, year);
    else
        for (size_t k = ny; k-- > 0 && t < 0;)
            for (size_t a = 0; a < na; a++)
                if (!isnan(sc->score[k * na + a])) {
                    t = (long)k;
                    break;
                }
    if (t < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "LISA of the score: no scores %s", year ? "in that year" : "in any year");
        return WB_ENOTFOUND;
    }
    wb_layer layer = WB_LAYER_INIT;
    wb_weights all = WB_WEIGHTS_INIT, w = WB_WEIGHTS_INIT;
    size_t *pidx = NULL;
    unsigned char *keep = NULL;
    double *x = NULL;
    int *cl = NULL;
    const char **names = NULL;
    int error = wb_store_layer_load(st, &layer, wb_panel_level(p), wb_panel_boundary_year(p));
    if (error < 0)
        goto done;
    if (!(pidx = wb_malloc((layer.n + 1) * sizeof *pidx)) || !(keep = wb_calloc(layer.n + 1, 1)) ||
        !(x = wb_malloc((layer.n + 1) * sizeof *x)) || !(cl = wb_malloc((layer.n + 1) * sizeof *cl)) ||
        !(names = wb_calloc(na + 1, sizeof *names))) {
        error = eff_nomem();
        goto done;
    }
    /* the layer's areas that are panel areas with a score, in layer order */
    size_t n = 0;
    for (size_t i = 0; i < layer.n; i++) {
        long a = wb_panel_find_area(p, layer.codes[i]);
        if (a < 0 || isnan(sc->score[(size_t)t * na + (size_t)a]))
            continue;
        keep[i] = 1;
        pidx[n] = (size_t)a;
        x[n++] = sc->score[(size_t)t * na + (size_t)a];
    }
    wb_weights_opts wo = WB_WEIGHTS_OPTS_INIT;
    if ((error = wb_weights_build(&all, &layer, &wo)) < 0 || (error = wb_weights_subset(&w, &all, keep)) < 0)
        goto done;
    wb_lisa_opts lo = WB_LISA_OPTS_INIT;
    lo.permutations = permutations;
    lo.seed = seed;
    lo.alpha = alpha;
    wb_lisa_out lout;
    memset(&lout, 0, sizeof lout);
    lout.cluster = cl;
    if ((error = wb_lisa_local_moran(&lout, &w, x, &lo)) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        names[pidx[i]] = wb_lisa_cluster_name((wb_lisa_cluster)cl[i]);
    *out = names;
    names = NULL;
done:
    wb_free(names);
    wb_free(pidx);
    wb_free(keep);
    wb_free(x);
    wb_free(cl);
    wb_weights_dispose(&all);
    wb_weights_dispose(&w);
    wb_layer_dispose(&layer);
    return error;
}

struct wb_neighbour_set {
    char (*codes)[WB_CODE_MAX];
    const char **cp;
    size_t *row;
    uint32_t *col;
    wb_neighbours nb;
};

void wb_neighbour_set_free(wb_neighbour_set *s)
{
    if (!s)
        return;
    wb_free(s->codes);
    wb_free(s->cp);
    wb_free(s->row);
    wb_free(s->col);
    wb_free(s);
}

const wb_neighbours *wb_neighbour_set_get(const wb_neighbour_set *s)
{
    return &s->nb;
}

int wb_neighbour_set_load(wb_neighbour_set **out, wb_store *st, int year)
{
    *out = NULL;
    wb_neighbour_set *s = wb_calloc(1, sizeof *s);
    if (!s)
        return eff_nomem();
    static const wb_level levels[2] = {WB_LEVEL_WIJK, WB_LEVEL_BUURT};
    wb_layer layer[2] = {WB_LAYER_INIT, WB_LAYER_INIT};
    wb_weights w[2] = {WB_WEIGHTS_INIT, WB_WEIGHTS_INIT};
    int error = 0, found = 0;
    for (int k = 0; k < 2; k++) {
        if (wb_store_layer_load(st, &layer[k], levels[k], year) < 0) {
            wb_error_clear(); /* this level has no geometry in that year */
            continue;
        }
        wb_weights_opts wo = WB_WEIGHTS_OPTS_INIT;
        wo.style = WB_STYLE_B;
        if ((error = wb_weights_build(&w[k], &layer[k], &wo)) < 0)
            goto done;
        found++;
    }
    if (!found) {
        wb_error_set(WB_ERRCLASS_GEO, "no geometry of wijken or buurten of boundary year %d: neighbours unknown", year);
        error = WB_ENOTFOUND;
        goto done;
    }
    size_t n = layer[0].n + layer[1].n, links = w[0].nlinks + w[1].nlinks;
    if (!(s->codes = wb_malloc((n + 1) * sizeof *s->codes)) || !(s->cp = wb_malloc((n + 1) * sizeof *s->cp)) ||
        !(s->row = wb_malloc((n + 1) * sizeof *s->row)) || !(s->col = wb_malloc((links + 1) * sizeof *s->col))) {
        error = eff_nomem();
        goto done;
    }
    size_t i = 0, l = 0, base = 0;
    s->row[0] = 0;
    for (int k = 0; k < 2; k++) {
        for (size_t a = 0; a < layer[k].n; a++, i++) {
            memcpy(s->codes[i], layer[k].codes[a], WB_CODE_MAX);
            s->cp[i] = s->codes[i];
            if (w[k].n)
                for (size_t q = w[k].row[a]; q < w[k].row[a + 1]; q++)
                    s->col[l++] = (uint32_t)(base + w[k].col[q]);
            s->row[i + 1] = l;
        }
        base += layer[k].n;
    }
    s->nb.n = n;
    s->nb.codes = s->cp;
    s->nb.year = year;
    s->nb.row = s->row;
    s->nb.col = s->col;
done:
    for (int k = 0; k < 2; k++) {
        wb_weights_dispose(&w[k]);
        wb_layer_dispose(&layer[k]);
    }
    if (error < 0) {
        wb_neighbour_set_free(s);
        return error;
    }
    *out = s;
    return 0;
}
