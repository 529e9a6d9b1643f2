/* version.c - the version of the library, as built. */
#include "exportgate.h"

/* meson.build passes its project version's parts as EG__BUILD_VERSION_*: a
 * header whose EG_VERSION_* macros were not bumped with it fails here. */
#if defined(EG__BUILD_VERSION_MAJOR) &&                      \
	(EG_VERSION_MAJOR != EG__BUILD_VERSION_MAJOR ||          \
	 EG_VERSION_MINOR != EG__BUILD_VERSION_MINOR ||          \
	 EG_VERSION_PATCH != EG__BUILD_VERSION_PATCH)
#error "include/exportgate.h: EG_VERSION_* differ from meson.build's project version"
#endif

const char *eg_version(void)
{
	return EG_VERSION_STRING;
}
