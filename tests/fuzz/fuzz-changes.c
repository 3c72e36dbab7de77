/* fuzz-changes.c: libFuzzer target for the merge of pulled changes
 * (_motcua_replica_apply_changes, the pull side's decoder)
 *
 * Each input is a batch of changes, a bare array as the hub hands them out (or {"changes":
 * [...]}); anything else is ignored. It is applied to a commune desk of T.D.A that has pulled
 * the province's catalogue and FUZZ_CASE_A (fuzz-common.c). Every failure must come back as a
 * GError, never a crash, a leak, a GLib critical or warning. A database error is allowed here
 * (a batch naming rows the desk does not have breaks a foreign key: the hub never sends one).
 *
 * After each input: no transaction is left open, the desk's own change log did not move (merged
 * changes are not the desk's). Every 500 inputs,
 * PRAGMA quick_check. Every 20,000 inputs the province is made anew.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "motcua-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  FuzzProvince *province;
  MotcuaReplica *desk;
  JsonArray *changes;
  guint64 seq_before;
  guint n_won = G_MAXUINT;
  guint64 n_inputs;
  gboolean ok;

  province = fuzz_province_for_input (data, size, &n_inputs);

  parser = json_parser_new ();
  changes = fuzz_parse_changes (parser, data, size);
  if (changes == NULL)
    return 0;

  desk = province->desk.replica;
  seq_before = motcua_replica_get_last_seq (desk);

  ok = _motcua_replica_apply_changes (desk, changes, &n_won, &error);

  fuzz_check_replica (desk, n_inputs % FUZZ_QUICK_CHECK_EVERY == 0);
  if (motcua_replica_get_last_seq (desk) != seq_before)
    fuzz_fail ("merging changed the desk's own log: seq %" G_GUINT64_FORMAT " → %"
               G_GUINT64_FORMAT, seq_before, motcua_replica_get_last_seq (desk));

  if (!ok)
    {
      if (error == NULL)
        fuzz_fail ("the batch was refused without an error");
      if (error->domain != MOTCUA_ERROR || error->code == MOTCUA_ERROR_CORRUPT)
        fuzz_fail ("refused as %s %d: %s", g_quark_to_string (error->domain), error->code,
                   error->message);
      if (!g_utf8_validate (error->message, -1, NULL))
        fuzz_fail ("the error message is not UTF-8: %s", error->message);
      return 0;
    }

  if (error != NULL)
    fuzz_fail ("the batch was applied with an error: %s", error->message);
  if (n_won == G_MAXUINT)
    fuzz_fail ("the batch was applied without saying how many changes won");

  return 0;
}
