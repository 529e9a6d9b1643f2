/* xml_formats.h - in-memory entry points of the XML list formats, for the
 * fuzz targets and the tests.
 *
 * Each parses len bytes at data (called name in messages) exactly as the
 * format's parse() parses a file: entities are appended to ctx->set, the
 * publication date goes into ctx->set->published, every byte is added to
 * ctx->sha (if not NULL), unknown elements give one warning each through
 * ctx->warn. Returns 0 or a negative EG_E* code with err naming
 * "name:LINE: ELEMENT/PATH: what"; the set is then to be discarded. */
#ifndef EG_XML_FORMATS_H
#define EG_XML_FORMATS_H

#include "format.h"

/* The UN Security Council consolidated list (CONSOLIDATED_LIST). */
int eg__un_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                         const char *name, eg_error *err);
/* OFAC's classic sdnList XML (SDN.XML, CONSOLIDATED.XML). */
int eg__ofac_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                           const char *name, eg_error *err);
/* OFAC's enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML). */
int eg__ofac_enhanced_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                                    const char *name, eg_error *err);

#endif
