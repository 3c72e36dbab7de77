/* motcua-inside.h: libmotcua's headers are included through <motcua/motcua.h> only
 *
 * Each public header includes this one first: a program that includes one of them directly is
 * told so, since the umbrella header sets what they need in the order they need it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(MOTCUA_INSIDE) && !defined(MOTCUA_COMPILATION)
# error "Only <motcua/motcua.h> can be included directly."
#endif
