/* motcua-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-error.h"

G_DEFINE_QUARK (motcua-error-quark, motcua_error)
