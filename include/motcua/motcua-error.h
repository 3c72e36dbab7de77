#pragma once

#include "motcua-inside.h"
#include <glib.h>

G_BEGIN_DECLS

#define MOTCUA_ERROR (motcua_error_quark ())

/**
 * MotcuaError:
 * @MOTCUA_ERROR_INVALID: an input value is wrong; the message names the field and the value
 * @MOTCUA_ERROR_NOT_FOUND: a case, procedure or office does not exist in this replica
 * @MOTCUA_ERROR_EXISTS: the thing to create exists already (a replica file, a receipt number)
 * @MOTCUA_ERROR_ILLEGAL_TRANSITION: a workflow step not allowed from the current status
 * @MOTCUA_ERROR_NOT_AUTHORIZED: this replica's role may not write that table
 * @MOTCUA_ERROR_SCHEMA_TOO_NEW: the replica was written by a newer build
 * @MOTCUA_ERROR_CORRUPT: the replica file is not a Một Cửa replica or is damaged
 * @MOTCUA_ERROR_IMPORT: an imported file is malformed; the message names the line and field
 * @MOTCUA_ERROR_DATABASE: SQLite failed (disk full, I/O error, locked)
 * @MOTCUA_ERROR_NOT_ENROLLED: a token that no enrolled replica holds, or a revoked one
 * @MOTCUA_ERROR_GAP: pushed changes do not continue from the last acknowledged one
 * @MOTCUA_ERROR_CLOCK_SKEW: changes stamped too far ahead of the server's clock
 * @MOTCUA_ERROR_DIVERGED: the replica differs from the server even after pulling its scope again
 * @MOTCUA_ERROR_TOO_LARGE: a scan (or a request) over the size limit; the message names both
 * @MOTCUA_ERROR_NOT_AVAILABLE: a scan's bytes are not on this replica (or the server) yet
 * @MOTCUA_ERROR_CHECKSUM: bytes that arrived do not match the SHA-256 that names them
 */
typedef enum
{
  MOTCUA_ERROR_INVALID,
  MOTCUA_ERROR_NOT_FOUND,
  MOTCUA_ERROR_EXISTS,
  MOTCUA_ERROR_ILLEGAL_TRANSITION,
  MOTCUA_ERROR_NOT_AUTHORIZED,
  MOTCUA_ERROR_SCHEMA_TOO_NEW,
  MOTCUA_ERROR_CORRUPT,
  MOTCUA_ERROR_IMPORT,
  MOTCUA_ERROR_DATABASE,
  MOTCUA_ERROR_NOT_ENROLLED,
  MOTCUA_ERROR_GAP,
  MOTCUA_ERROR_CLOCK_SKEW,
  MOTCUA_ERROR_DIVERGED,
  MOTCUA_ERROR_TOO_LARGE,
  MOTCUA_ERROR_NOT_AVAILABLE,
  MOTCUA_ERROR_CHECKSUM,
} MotcuaError;

GQuark motcua_error_quark (void);

G_END_DECLS
