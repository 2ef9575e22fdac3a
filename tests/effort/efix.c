/** @file @brief Helpers of the issue-7 tests (see efix.h). */
#include "effort/efix.h"

typedef struct {
    char buf[3][512];
    char *themes[16], *areas[16];
    wb_initiative_target targets[16];
} slot;

static slot slots[64];
static int next_slot;

static size_t split(char *s, char **out, size_t max)
{
    size_t n = 0;
    for (char *p = strtok(s, "|"); p && n < max; p = strtok(NULL, "|"))
        out[n++] = p;
    return n;
}

void efix_init(wb_initiative *in, int64_t id, const char *status, const char *start, const char *end, int64_t lead,
               const char *lead_name, const char *themes, int area_year, const char *areas, const char *targets)
{
    slot *s = &slots[next_slot++ % 64];
    memset(in, 0, sizeof *in);
    in->id = id;
    in->title = (char *)"initiative";
    in->status = (char *)status;
    in->start = (char *)start;
    in->end = (char *)end;
    in->lead_partner_id = lead;
    in->lead_partner = (char *)lead_name;
    snprintf(s->buf[0], sizeof s->buf[0], "%s", themes ? themes : "");
    snprintf(s->buf[1], sizeof s->buf[1], "%s", areas ? areas : "");
    snprintf(s->buf[2], sizeof s->buf[2], "%s", targets ? targets : "");
    in->nthemes = split(s->buf[0], s->themes, 16);
    in->themes = s->themes;
    in->area_year = area_year;
    in->nareas = split(s->buf[1], s->areas, 16);
    in->areas = s->areas;
    char *tv[16];
    size_t nt = split(s->buf[2], tv, 16);
    for (size_t i = 0; i < nt; i++) {
        char *c = strchr(tv[i], ':');
        *c = 0;
        snprintf(s->targets[i].indicator, sizeof s->targets[i].indicator, "%s", tv[i]);
        s->targets[i].direction = !strcmp(c + 1, "up") ? 1 : -1;
    }
    in->ntargets = nt;
    in->targets = s->targets;
}

wb_contribution efix_contrib(int64_t initiative, int64_t partner, const char *partner_name, const char *kind,
                             double amount, const char *start, const char *end)
{
    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.initiative_id = initiative;
    c.partner_id = partner;
    c.partner = (char *)partner_name;
    c.kind = (char *)kind;
    c.amount = amount;
    c.start = (char *)start;
    c.end = (char *)end;
    return c;
}
