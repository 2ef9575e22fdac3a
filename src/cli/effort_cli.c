/** @file @brief Helpers shared by the issue-7 commands (see effort_cli.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/collab_cli.h"
#include "cli/effort_cli.h"
#include "cli/score_cli.h"

/* themes.map in the places where models are looked up (score_cli.h): $WIJKBEELD_MODELS,
 * ./models, the source tree's models/ two levels above the binary, ../share/wijkbeeld/models
 * next to the binary's directory, /usr/local/share and /usr/share. */
static int find_map(char *out, size_t n)
{
    const char *env = getenv("WIJKBEELD_MODELS");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
            snprintf(out, n, "%s/themes.map", d);
            if (access(out, R_OK) == 0) {
                free(copy);
                return 1;
            }
        }
        free(copy);
    }
    snprintf(out, n, "models/themes.map");
    if (access(out, R_OK) == 0)
        return 1;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(out, n, "%s/../../models/themes.map", exe);
            if (access(out, R_OK) == 0)
                return 1;
            snprintf(out, n, "%s/../share/wijkbeeld/models/themes.map", exe);
            if (access(out, R_OK) == 0)
                return 1;
        }
    }
    snprintf(out, n, "/usr/local/share/wijkbeeld/models/themes.map");
    if (access(out, R_OK) == 0)
        return 1;
    snprintf(out, n, "/usr/share/wijkbeeld/models/themes.map");
    return access(out, R_OK) == 0;
}

int wbx_themes(const wb_args *a, const wb_model *m, wb_theme_map **out)
{
    *out = NULL;
    const char *given = wb_arg(a, "themes");
    if (given) {
        if (wb_theme_map_load(out, given) < 0)
            return wb_cli_fail();
        return 0;
    }
    char path[4096] = "";
    const char *origin = m ? wb_model_origin(m) : NULL;
    const char *slash = origin ? strrchr(origin, '/') : NULL;
    if (slash)
        snprintf(path, sizeof path, "%.*s/themes.map", (int)(slash - origin), origin);
    else if (origin)
        snprintf(path, sizeof path, "themes.map");
    if ((!path[0] || access(path, R_OK) != 0) && !find_map(path, sizeof path)) {
        fprintf(stderr, "wijkbeeld: note: no themes.map next to the model nor where models are looked up: themes are "
                        "not matched to score dimensions, only targets are; give --themes FILE\n");
        return 0;
    }
    if (wb_theme_map_load(out, path) < 0)
        return wb_cli_fail();
    return 0;
}

void wbx_effort_done(wbx_effort *e)
{
    wb_effort_data_free(e->d);
    wb_theme_map_free(e->tm);
    wb_model_free(e->m);
    wb_store_free(e->st);
    memset(e, 0, sizeof *e);
}

int wbx_effort_load(wb_ctx *ctx, const wb_args *a, wbx_effort *e)
{
    memset(e, 0, sizeof *e);
    wb_level level = WB_LEVEL_BUURT;
    long byear;
    if (wb_arg_has(a, "level") && wb_arg_level(a, "level", 1, &level) < 0)
        return 2;
    if (wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0)
        return 2;
    if (level > WB_LEVEL_BUURT || level == WB_LEVEL_LAND)
        return wb_cli_usage("--level: expected gemeente, wijk or buurt");
    if (!(e->st = wb_cli_open(ctx, 0)))
        return 1;
    int rc = 0;
    wb_actor actor;
    if ((rc = wbx_actor(e->st, a, &actor)) != 0)
        goto fail;
    const char *model = wb_arg(a, "model") ? wb_arg(a, "model") : "lbm";
    if (!(e->m = wb_cli_model(model, e->st))) {
        rc = 1;
        goto fail;
    }
    if ((rc = wbx_themes(a, e->m, &e->tm)) != 0)
        goto fail;
    if (wb_effort_data_load(&e->d, e->st, &actor, e->m, level, (int)byear, e->tm) < 0) {
        rc = wb_cli_fail();
        goto fail;
    }
    e->in = wb_effort_data_input(e->d);
    return 0;
fail:
    wbx_effort_done(e);
    return rc;
}

int wbx_common_area_year(const wb_initiative *in, size_t n)
{
    int best = 0;
    size_t best_n = 0;
    for (size_t i = 0; i < n; i++) {
        if (!in[i].nareas)
            continue;
        size_t k = 0;
        for (size_t j = 0; j < n; j++)
            k += in[j].nareas && in[j].area_year == in[i].area_year;
        if (k > best_n || (k == best_n && in[i].area_year > best)) {
            best = in[i].area_year;
            best_n = k;
        }
        if (best_n * 2 > n)
            break;
    }
    return best;
}
