/* motcua-json-scan-private.h: reading JSON text in place, without building a tree
 *
 * The lists of changes a sync carries are the bulk of its bytes: read through json-glib, every
 * change became a tree of nodes, parsed, walked and freed (half a replica's CPU in a first sync).
 * This reader checks a value once, then walks it where it lies: a value is a span of the text
 * with its kind, and a string's text is read out of it only when it is used.
 *
 * Layer: base.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How deep a JSON value may nest: deeper is refused (a reader that recursed once per level
 * would run out of stack). */
#define MOTCUA_JSON_MAX_DEPTH 32

typedef enum
{
  MOTCUA_JSON_NULL = 1,
  MOTCUA_JSON_FALSE,
  MOTCUA_JSON_TRUE,
  MOTCUA_JSON_INT,      /* a whole number that fits in 64 bits */
  MOTCUA_JSON_REAL,     /* any other number */
  MOTCUA_JSON_STRING,
  MOTCUA_JSON_ARRAY,
  MOTCUA_JSON_OBJECT,
} MotcuaJsonKind;

typedef struct
{
  MotcuaJsonKind kind;
  const char    *start;     /* the value's text; a string's between its quotes */
  const char    *end;       /* one past it */
  gint64         integer;   /* MOTCUA_JSON_INT */
  guint          length;    /* an array's elements or an object's members */
  gboolean       escaped;   /* a string holding a backslash escape */
} MotcuaJsonValue;

/* Checks that @text is one JSON value, with only white space around it: strings of UTF-8
 * without control characters, escapes well formed (a surrogate only as a pair, no \u0000), at
 * most MOTCUA_JSON_MAX_DEPTH deep. FALSE with @problem (untranslated, for N_()) otherwise. */
gboolean     _motcua_json_scan           (const char            *text,
                                          gsize                  length,
                                          MotcuaJsonValue       *value,
                                          const char           **problem);

/* Walks the elements of an array or the members of an object that was scanned. */
typedef struct
{
  const char *p;
  const char *end;
} MotcuaJsonIter;

void         _motcua_json_iter_init      (MotcuaJsonIter        *iter,
                                          const MotcuaJsonValue *container);
/* The next element (@name NULL) or member; FALSE after the last. */
gboolean     _motcua_json_iter_next      (MotcuaJsonIter        *iter,
                                          MotcuaJsonValue       *name,
                                          MotcuaJsonValue       *value);

/* A string's text, its escapes read: in place when it has none (not NUL-terminated: use
 * @length), else in @scratch. */
const char  *_motcua_json_string_text    (const MotcuaJsonValue *value,
                                          GString               *scratch,
                                          gsize                 *length);
/* Whether a string's text is @s. */
gboolean     _motcua_json_string_is      (const MotcuaJsonValue *value,
                                          const char            *s);

/* The member @name of the object @text, checked whole: its value in @member (kind 0 when it
 * has none), and a copy of @text with that value replaced by an empty array, for a reader of
 * the rest. NULL with @problem when @text is not one JSON object. */
char        *_motcua_json_cut_member     (const char            *text,
                                          gsize                  length,
                                          const char            *name,
                                          MotcuaJsonValue       *member,
                                          const char           **problem);

G_END_DECLS
