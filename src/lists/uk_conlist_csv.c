/* uk_conlist_csv.c - STUB, replaced by the UK HM Treasury ConList CSV parser. */
#include "format.h"
#include "../util/error.h"
static int detect(const char *path) { (void)path; return 0; }
static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{ (void)ctx; return eg__error_set(err, EG_EUNSUPPORTED, "%s: not yet", path); }
const eg__format eg__format_uk_conlist_csv = {"uk-conlist-csv", "uk-hmt", "UK HM Treasury ConList CSV", detect, parse};
