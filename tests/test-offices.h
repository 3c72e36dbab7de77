/* test-offices.h: what the files of test-offices share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-test-utils.h"

/* The fixture's reform of 1 July 2025 (test-offices.c). */
void test_offices_reform              (MotcuaFixture *f);

/* test-reorganisation.c */
void test_reorganisation_add_tests    (void);
