/* motcua.h: the one public header of libmotcua
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define MOTCUA_INSIDE

#include <glib.h>

#include "motcua-version.h"
#include "motcua-error.h"
#include "motcua-uuid.h"
#include "motcua-hlc.h"
#include "motcua-text.h"
#include "motcua-lunar.h"
#include "motcua-workdays.h"
#include "motcua-workflow.h"
#include "motcua-records.h"
#include "motcua-replica.h"
#include "motcua-import.h"
#include "motcua-report.h"
#include "motcua-reorganisation.h"
#include "motcua-export.h"
#include "motcua-conflicts.h"
#include "motcua-sync.h"
#include "motcua-hub.h"
#include "motcua-attachments.h"

#undef MOTCUA_INSIDE
