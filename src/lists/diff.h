/* diff.h - what changed between two versions of one list: entities added,
 * removed, and changed field by field, entities matched by their uid. */
#ifndef EG_DIFF_H
#define EG_DIFF_H

#include "exportgate.h"
#include "entity.h"
#include "../util/arena.h"

/*
 * Compares from with to and fills out (whose versions the caller sets),
 * allocating everything in arena. Entries come in to's order (added and
 * changed), then removed ones in from's order. Returns 0 or EG_ENOMEM.
 * Pure: reads the sets only.
 */
int eg__diff_sets(eg_diff *out, eg__arena *arena, const eg__entity_set *from,
                  const eg__entity_set *to);

#endif
