#pragma once

#include "motcua-inside.h"
#include <glib.h>

#include "motcua-replica.h"

G_BEGIN_DECLS

/*
 * A reorganisation the province publishes (a "motcua-reorganisation" file, data/README.md):
 * on its effective day offices are created, end with a successor that takes their work over,
 * move under another parent, or are renamed. Applying it writes the offices (replicated like the
 * catalogue) and moves every open case an ended office handles to its successor's handling,
 * with a timeline entry; closed cases stay where they were received.
 */
typedef struct _MotcuaReorganisation MotcuaReorganisation;

typedef enum
{
  MOTCUA_REORG_CREATE,
  MOTCUA_REORG_END,
  MOTCUA_REORG_MOVE,
  MOTCUA_REORG_RENAME,
} MotcuaReorgAction;

/* One step of a reorganisation, as it would change a replica. */
typedef struct
{
  MotcuaReorgAction action;
  char             *code;
  char             *name;         /* CREATE: its name; RENAME: the new one; else the office's */
  char             *target;       /* CREATE, MOVE: the parent; END: the successor, or NULL */
  gboolean          done;         /* the replica already holds it: applied before */
  guint             open_cases;   /* END: open cases it handles, which move to the successor */
  guint             closed_cases; /* END: closed cases received there, which stay */
} MotcuaReorgStep;

void                  motcua_reorg_step_free              (MotcuaReorgStep        *step);

/* "create", "end", "move" or "rename": the action's name in JSON output, not translated. */
const char           *motcua_reorg_action_to_string       (MotcuaReorgAction       action);
/* What @step does, in the user's language ("ends; its work passes to LC.NAMHANG: 3 open cases
 * move there, 2 closed cases stay"): the one wording of a step, for the CLI and the desk. */
G_GNUC_WARN_UNUSED_RESULT
char                 *motcua_reorg_step_describe          (const MotcuaReorgStep  *step);

/* Reads and checks a file as a whole (its format, every entry's fields, no office twice):
 * MOTCUA_ERROR_IMPORT naming the entry and the field on any fault. */
MotcuaReorganisation *motcua_reorganisation_load_file     (const char             *path,
                                                           GError                **error);
MotcuaReorganisation *motcua_reorganisation_load_data     (const char             *data,
                                                           gsize                   length,
                                                           const char             *source,
                                                           GError                **error);
void                  motcua_reorganisation_free          (MotcuaReorganisation   *self);
const char           *motcua_reorganisation_get_effective (MotcuaReorganisation   *self);
const char           *motcua_reorganisation_get_title     (MotcuaReorganisation   *self);
const char           *motcua_reorganisation_get_legal_basis (MotcuaReorganisation *self);

/* What applying @reorg would do to @self, step by step (MotcuaReorgStep), checked against the
 * offices it holds: writes nothing. */
GPtrArray            *motcua_replica_plan_reorganisation  (MotcuaReplica          *self,
                                                           MotcuaReorganisation   *reorg,
                                                           GError                **error);
/* Whether @self may apply @reorg now, without writing: FALSE with MOTCUA_ERROR_INVALID saying
 * why when it is a desk enrolled with a server (not the province), or before the effective day.
 * What motcua_replica_apply_reorganisation() checks first, for a caller to say so beforehand. */
gboolean              motcua_replica_can_apply_reorganisation (MotcuaReplica      *self,
                                                               MotcuaReorganisation *reorg,
                                                               GError            **error);
/* Applies @reorg in one transaction, on or after its effective day, on a province replica (or
 * one enrolled with no server, which takes it as seed data): the steps not done yet, then the
 * moves of open cases. Applying it again changes nothing.
 * @n_moved (may be NULL) gets the number of cases moved. */
gboolean              motcua_replica_apply_reorganisation (MotcuaReplica          *self,
                                                           MotcuaReorganisation   *reorg,
                                                           guint                  *n_moved,
                                                           GError                **error);

/* Moves every open case that an ended office of this replica's jurisdiction still handles to
 * the office in charge today, with a timeline entry: what a desk re-homed by a reorganisation
 * does with the cases it received offline before it heard of it. */
gboolean              motcua_replica_move_cases_of_ended_offices (MotcuaReplica  *self,
                                                                  guint          *n_moved,
                                                                  GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaReorganisation, motcua_reorganisation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaReorgStep, motcua_reorg_step_free)

G_END_DECLS
