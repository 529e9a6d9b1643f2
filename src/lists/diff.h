/* diff.h - what changed between two versions of one list: entities added,
 * removed, and changed field by field, entities matched by their uid. */
#ifndef EG_DIFF_H
#define EG_DIFF_H

#include "exportgate.h"
#include "entity.h"
#include "../util/arena.h"

/*
 * Compares from with to and fills out, allocating everything in arena. The
 * caller sets out->from and out->to (the versions) before the call; their
 * format names are read: remarks are compared only between versions of one
 * format ("" counts as one format). Entries come in to's order (added and
 * changed), then removed ones in from's order. Returns 0 or EG_ENOMEM.
 *
 * Only kinds of field both sets carry are compared (eg__entity_set_carries
 * for aliases, addresses, countries and programs, countries only when both
 * or neither carry addresses, as formats fill countries from addresses
 * too; start and end dates,
 * remarks, names in a non-Latin script and each attribute key when some
 * entity of each set has one); out->not_compared names the kinds one set
 * carries and the other does not. Values are compared normalised: case,
 * spaces and punctuation do not count (addresses read street, city and
 * remarks as one text), countries are equal when they resolve to one ISO
 * code, the order of names, programs, countries and addresses does not
 * count, nor a type one version does not give (EG_TYPE_UNKNOWN).
 * Pure: reads the sets and out's versions only.
 */
int eg__diff_sets(eg_diff *out, eg__arena *arena, const eg__entity_set *from,
                  const eg__entity_set *to);

#endif
