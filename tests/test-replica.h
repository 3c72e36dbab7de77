/* test-replica.h: what the files of test-replica share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* test-replica-input.c */
void test_replica_input_add_tests (void);
