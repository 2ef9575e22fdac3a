/** @file @brief Partner organisations and the theme list. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

static const char *const partner_types[] = {
    "gemeente", "woningcorporatie", "zorg en welzijn", "politie", "onderwijs",
    "bewonersorganisatie", "ondernemers", "overig", NULL};

static int check_partner(const char *name, const char *type, const char *contact)
{
    int error;
    if ((error = wbc_check_text("name", name, 1, 200, 0)) < 0 ||
        (error = wbc_check_oneof("type", type, partner_types)) < 0 ||
        (error = wbc_check_text("contact", contact, 0, 500, 1)) < 0)
        return error;
    return 0;
}

int wb_partner_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                   const char *type, const char *contact)
{
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_PARTNER_MANAGE, 0, 0)) < 0 ||
        (error = check_partner(name, type, contact)) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *after = NULL;
    int64_t pid = 0;
    if ((error = wb_reg__partner_insert(st, &pid, name, type, contact)) < 0) {
        if (error == WB_ECONFLICT)
            wb_error_set(WB_ERRCLASS_ARG, "field 'name': a partner named '%s' exists", name);
        goto done;
    }
    if ((error = wb_reg__row_json(st, &after, WB_REG_PARTNER, pid)) < 0)
        goto done;
    error = wbc_audit(st, actor, "create", "partner", pid, NULL, after);
    after = NULL;
    if (error == 0 && id)
        *id = pid;
done:
    json_decref(after);
    return wb_reg__end(st, &tx, error);
}

int wb_partner_update(wb_store *st, const wb_actor *actor, const wb_partner *p)
{
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_PARTNER_MANAGE, 0, 0)) < 0 ||
        (error = check_partner(p->name, p->type, p->contact)) < 0)
        return error;
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *before = NULL, *after = NULL;
    if ((error = wb_reg__row_json(st, &before, WB_REG_PARTNER, p->id)) < 0)
        goto done;
    if (!before) {
        wb_error_set(WB_ERRCLASS_ARG, "no partner with id %lld", (long long)p->id);
        error = WB_ENOTFOUND;
        goto done;
    }
    if ((error = wb_reg__partner_update(st, p->id, p->name, p->type, p->contact)) < 0) {
        if (error == WB_ECONFLICT)
            wb_error_set(WB_ERRCLASS_ARG, "field 'name': a partner named '%s' exists", p->name);
        goto done;
    }
    if ((error = wb_reg__row_json(st, &after, WB_REG_PARTNER, p->id)) < 0)
        goto done;
    error = wbc_audit(st, actor, "update", "partner", p->id, before, after);
    before = after = NULL;
done:
    json_decref(before);
    json_decref(after);
    return wb_reg__end(st, &tx, error);
}

static int collect_partner(void *payload, const wb_reg_partner *r)
{
    wb_partner *p = wbc_vec_push(payload);
    if (!p)
        return WB_ENOMEM;
    p->id = r->id;
    p->name = wbc_strdup(r->name);
    p->type = wbc_strdup(r->type);
    p->contact = wbc_strdup(r->contact);
    return 0;
}

int wb_partner_list(wb_store *st, const wb_actor *actor, wb_partner **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    wbc_vec pv = WBC_VEC_INIT(wb_partner);
    if ((error = wb_reg__partner_list(st, collect_partner, &pv)) < 0) {
        wb_partners_free(pv.v, pv.n);
        return error;
    }
    *out = pv.v;
    *n = pv.n;
    return 0;
}

void wb_partners_free(wb_partner *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(p[i].name);
        wb_free(p[i].type);
        wb_free(p[i].contact);
    }
    wb_free(p);
}

int wb_partner_find(wb_store *st, int64_t *id, const char *ref)
{
    const char *r = ref ? ref : "";
    int digits = *r != 0;
    for (const char *p = r; *p; p++)
        digits = digits && isdigit((unsigned char)*p);
    int error;
    if (digits) {
        int64_t v = strtoll(r, NULL, 10);
        if ((error = wb_reg__exists(st, WB_REG_PARTNER, v)) == 0)
            *id = v;
    } else {
        error = wb_reg__partner_by_name(st, id, r);
    }
    if (error == WB_ENOTFOUND)
        wb_error_set(WB_ERRCLASS_ARG, "no partner '%.100s' (see 'wijkbeeld partner list')", r);
    return error;
}

/* ---------------------------------------------------------------- themes */

int wb_theme_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name)
{
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_THEME_MANAGE, 0, 0)) < 0 ||
        (error = wbc_check_text("name", name, 1, 100, 0)) < 0)
        return error;
    if (strpbrk(name, ",;|")) {
        /* lists of themes are separated by these in the CSV import and the CLI */
        wb_error_set(WB_ERRCLASS_ARG, "field 'name': a theme name may not contain , ; or |");
        return WB_EINVALID;
    }
    wb_reg_tx tx;
    if ((error = wb_reg__begin(st, &tx)) < 0)
        return error;
    json_t *after = NULL;
    int64_t tid = 0;
    if ((error = wb_reg__theme_insert(st, &tid, name)) < 0) {
        if (error == WB_ECONFLICT)
            wb_error_set(WB_ERRCLASS_ARG, "field 'name': theme '%s' exists", name);
        goto done;
    }
    if ((error = wb_reg__row_json(st, &after, WB_REG_THEME, tid)) < 0)
        goto done;
    error = wbc_audit(st, actor, "create", "theme", tid, NULL, after);
    after = NULL;
    if (error == 0 && id)
        *id = tid;
done:
    json_decref(after);
    return wb_reg__end(st, &tx, error);
}

static int collect_string(void *payload, const char *text)
{
    char **s = wbc_vec_push(payload);
    if (!s)
        return WB_ENOMEM;
    *s = wbc_strdup(text);
    return 0;
}

int wb_theme_list(wb_store *st, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    wbc_vec sv = WBC_VEC_INIT(char *);
    int error = wb_reg__theme_list(st, collect_string, &sv);
    if (error < 0) {
        wb_strings_free(sv.v, sv.n);
        return error;
    }
    *out = sv.v;
    *n = sv.n;
    return 0;
}

void wb_strings_free(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        wb_free(s[i]);
    wb_free(s);
}
