/* eu_fsf_xml.c - STUB, replaced by the EU financial sanctions files (FSF) XML parser. */
#include "format.h"
#include "../util/error.h"
static int detect(const char *path) { (void)path; return 0; }
static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{ (void)ctx; return eg__error_set(err, EG_EUNSUPPORTED, "%s: not yet", path); }
const eg__format eg__format_eu_fsf_xml = {"eu-fsf-xml", "eu-fsf", "EU financial sanctions files (FSF) XML", detect, parse};
