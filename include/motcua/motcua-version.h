#pragma once

#include "motcua-inside.h"
/* The replica's schema version. A replica made by an older build is migrated forward on open;
 * one whose version is greater is refused (MOTCUA_ERROR_SCHEMA_TOO_NEW). */
#define MOTCUA_SCHEMA_VERSION 11

/* The replication protocol version spoken with motcua-server. */
#define MOTCUA_PROTOCOL_VERSION 1
