/* uk_xml.c - STUB, replaced by the UK Sanctions List XML (FCDO) parser. */
#include "format.h"
#include "../util/error.h"
static int detect(const char *path) { (void)path; return 0; }
static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{ (void)ctx; return eg__error_set(err, EG_EUNSUPPORTED, "%s: not yet", path); }
const eg__format eg__format_uk_xml = {"uk-xml", "uk-fcdo", "UK Sanctions List XML (FCDO)", detect, parse};
