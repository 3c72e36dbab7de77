/* motcua-protocol-private.h: protocol v1, the hub's side, without the network
 *
 * motcua-server (app/server/) reads HTTP requests, checks the limits that belong to the
 * transport (body size, requests per second, slow clients), undoes gzip, and hands each request
 * to _motcua_hub_handle(). The tests call the same function in process, through a fault layer.
 * The protocol itself is documented in sync/PROTOCOL.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include <json-glib/json-glib.h>

#include "motcua-hub-private.h"

G_BEGIN_DECLS

/* motcua_hub_handle() on the store itself (the tests call it in process). */
MotcuaHubResponse *_motcua_hub_handle        (MotcuaReplica          *hub,
                                              const MotcuaHubLimits  *limits,
                                              const MotcuaHubRequest *request);

/* The blob endpoints (motcua-hub-blobs.c), called by _motcua_hub_handle() once the request is
 * authenticated. @query is the URL's parsed query, or NULL. */
MotcuaHubResponse *_motcua_hub_blobs_status (MotcuaReplica          *hub,
                                             const MotcuaHubLimits  *limits,
                                             MotcuaHubPeer          *peer,
                                             const MotcuaHubRequest *request);
MotcuaHubResponse *_motcua_hub_blob_get     (MotcuaReplica          *hub,
                                             const MotcuaHubLimits  *limits,
                                             MotcuaHubPeer          *peer,
                                             const MotcuaHubRequest *request,
                                             GHashTable             *query);
MotcuaHubResponse *_motcua_hub_blob_put     (MotcuaReplica          *hub,
                                             const MotcuaHubLimits  *limits,
                                             MotcuaHubPeer          *peer,
                                             const MotcuaHubRequest *request,
                                             GHashTable             *query);

/* Helpers of motcua-protocol.c the blob endpoints share. */
MotcuaHubResponse *_motcua_hub_json_answer  (MotcuaReplica          *hub,
                                             guint                   status,
                                             JsonObject             *body);
MotcuaHubResponse *_motcua_hub_error_from   (const GError           *error);
/* The body as a JSON object holding only @members, in *out; an error response otherwise. */
MotcuaHubResponse *_motcua_hub_parse_body   (const MotcuaHubRequest *request,
                                             const char *const      *members,
                                             JsonNode              **out);

G_END_DECLS
