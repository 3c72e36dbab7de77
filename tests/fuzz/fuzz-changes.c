/* fuzz-changes.c: libFuzzer target for the pull side's decoder and the merge of pulled changes
 * (_motcua_wire_decode, read from the text as a replica reads a pull's items, then
 * _motcua_replica_apply_batch)
 *
 * Each input is a batch of changes, a bare array as the hub hands them out (or the list of
 * {"changes": [...]}), as text: nothing is skipped, the decoder reads any bytes. It is decoded
 * compact too (and that batch dropped), and whole applied to a commune desk of T.D.A that has
 * pulled the province's catalogue and FUZZ_CASE_A (fuzz-common.c). Every failure must come back as a
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
#include "motcua-json-scan-private.h"
#include "motcua-wire-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) compact_error = NULL;
  g_autoptr(MotcuaWireBatch) batch = NULL;
  g_autoptr(MotcuaWireBatch) compact = NULL;
  g_autofree char *rest = NULL;
  const char *text = (const char *) data;
  gsize length = size;
  FuzzProvince *province;
  MotcuaReplica *desk;
  MotcuaJsonValue list;
  guint64 seq_before;
  guint n_won = G_MAXUINT;
  guint64 n_inputs;
  gboolean ok;

  province = fuzz_province_for_input (data, size, &n_inputs);

  /* {"changes": [...]} stands for its list, as a pull's answer for its items. */
  rest = _motcua_json_cut_member (text, length, "changes", &list, NULL);
  if (rest != NULL && list.kind != 0)
    {
      text = list.start;
      length = (gsize) (list.end - list.start);
    }

  compact = _motcua_wire_decode (text, length, TRUE, FALSE, &compact_error);
  if (compact == NULL && (compact_error == NULL
                          || !g_utf8_validate (compact_error->message, -1, NULL)))
    fuzz_fail ("a compact list was refused without a UTF-8 error");
  batch = _motcua_wire_decode (text, length, FALSE, FALSE, &error);

  desk = province->desk.replica;
  seq_before = motcua_replica_get_last_seq (desk);

  ok = batch != NULL && _motcua_replica_apply_batch (desk, batch, &n_won, &error);

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
