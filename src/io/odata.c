/**
 * @file
 * @brief StatLine OData JSON as records for the import engine: a TypedDataSet (or
 * UntypedDataSet) saved from the CBS OData API, v3 ({"odata.metadata": ..., "value": [...]})
 * or v4 ({"@odata.context": ..., "value": [...]}), or a bare array of objects. The keys of the
 * first object are the header (ID, WijkenEnBuurten, Perioden, AantalInwoners_5, ...); each
 * value becomes the text the CSV download would hold: strings as they are (codes padded with
 * spaces), numbers as the shortest text that reads back to the same double, null as missing.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/rows_internal.h"
#include "wijkbeeld/errors.h"

typedef struct {
    json_t *root;
    json_t *rows;   /* borrowed from root */
    size_t next;
    const char **keys; /* borrowed from the first object */
    size_t nkeys;
    char *name;
    char num[64];
} odata;

static void odata_free(void *payload)
{
    odata *d = payload;
    if (!d)
        return;
    json_decref(d->root);
    wb_free(d->keys);
    wb_free(d->name);
    wb_free(d);
}


static int odata_next(void *payload, wb_csv *c)
{
    odata *d = payload;
    if (d->next >= json_array_size(d->rows))
        return 0;
    size_t idx = d->next++;
    json_t *obj = json_array_get(d->rows, idx);
    wb_csv__set_record(c, idx + 1, "record");
    char where[512];
    if (!json_is_object(obj)) {
        wb_error_set(WB_ERRCLASS_JSON, "%s: expected an object of fields, got %s",
                     wb_csv__where(c, -1, where, sizeof where),
                     json_is_array(obj) ? "an array" : "a single value");
        return WB_EPARSE;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t k = 0;
        while (k < d->nkeys && strcmp(d->keys[k], key))
            k++;
        if (k == d->nkeys) {
            wb_error_set(WB_ERRCLASS_JSON,
                         "%s: field '%s': expected the fields of the first record, got one more",
                         wb_csv__where(c, -1, where, sizeof where), key);
            return WB_EPARSE;
        }
    }
    for (size_t k = 0; k < d->nkeys; k++) {
        v = json_object_get(obj, d->keys[k]);
        const char *s = "";
        size_t len = 0;
        if (json_is_string(v)) {
            s = json_string_value(v);
            len = json_string_length(v);
        } else if (json_is_integer(v)) {
            snprintf(d->num, sizeof d->num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            s = d->num;
            len = strlen(s);
        } else if (json_is_real(v)) {
            s = wb_csv__number_text(d->num, sizeof d->num, json_real_value(v));
            len = strlen(s);
        } else if (v && !json_is_null(v)) {
            wb_error_set(WB_ERRCLASS_JSON,
                         "%s: field '%s': expected a number, text or null, got %s",
                         wb_csv__where(c, -1, where, sizeof where), d->keys[k],
                         json_is_boolean(v) ? "true/false" : json_is_array(v) ? "an array" : "an object");
            return WB_EPARSE;
        }
        int e = wb_csv__put(c, s, len);
        if (e < 0)
            return e;
    }
    return 1;
}

int wb_odata__open(wb_csv **out, const char *path, wb_table_info *info)
{
    *out = NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        wb_error_set(WB_ERRCLASS_JSON, "%s:%d:%d: expected StatLine OData JSON, %s", base,
                     jerr.line, jerr.column, jerr.text);
        return WB_EPARSE;
    }
    json_t *rows = json_is_array(root) ? root : json_object_get(root, "value");
    if (!json_is_array(rows)) {
        wb_error_set(WB_ERRCLASS_JSON,
                     "%s: expected StatLine OData JSON (an object with a \"value\" array of "
                     "records, as the TypedDataSet), got another JSON document",
                     base);
        json_decref(root);
        return WB_EPARSE;
    }
    json_t *first = json_array_get(rows, 0);
    if (!json_is_object(first) || json_object_size(first) == 0) {
        wb_error_set(WB_ERRCLASS_JSON, "%s: expected records in \"value\", got %s", base,
                     first ? "something else than an object of fields" : "none");
        json_decref(root);
        return WB_EPARSE;
    }
    odata *d = wb_calloc(1, sizeof *d);
    if (!d || !(d->name = wb_strdup(base)) ||
        !(d->keys = wb_malloc(json_object_size(first) * sizeof *d->keys))) {
        json_decref(root);
        odata_free(d);
        return WB_ENOMEM;
    }
    d->root = root;
    d->rows = rows;
    const char *key;
    json_t *v;
    json_object_foreach(first, key, v)
    d->keys[d->nkeys++] = key;
    if (json_is_object(root) && (json_object_get(root, "odata.nextLink") ||
                                 json_object_get(root, "@odata.nextLink")))
        snprintf(info->note, sizeof info->note,
                 "%s is one page of a longer result (odata.nextLink): the rows of the next "
                 "pages are not in it",
                 base);
    wb_rows_source src = {WB_ROWS_RECORD, odata_next, odata_free, d, json_array_size(rows), NULL};
    return wb_csv__open_rows(out, d->name, d->keys, d->nkeys, &src);
}
