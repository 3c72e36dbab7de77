/* test-desk.h: what the files of test-desk share: the desk fixture and its main-loop helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <motcua/motcua.h>

#include "motcua-application.h"
#include "motcua-window.h"

typedef struct
{
  char              *dir;
  char              *path;
  MotcuaApplication *app;
  MotcuaWindow      *window;
  gint64             n_cases;
} DeskFixture;

typedef gboolean (*Condition) (gpointer data);

void fixture_set_up (DeskFixture   *fixture,
                     gconstpointer  data);

void fixture_tear_down (DeskFixture   *fixture,
                        gconstpointer  data);

extern const char *names[];

extern const char *offices[];

gboolean wait_for (Condition condition,
                   gpointer  data,
                   guint     timeout_ms);

gboolean widget_mapped (gpointer data);

void save_screenshot (GtkWidget  *widget,
                      const char *name);

GtkWidget *show_page (DeskFixture *fixture,
                      const char  *name);

GtkWidget *window_content (DeskFixture *fixture);

gint64 count_cases (DeskFixture *fixture);

GtkWidget *page_child (GtkWidget  *page,
                       GType       type,
                       const char *name);

GListModel *cases_model (GtkWidget *cases_page);

AdwMessageDialog *find_message_dialog (void);

gboolean report_ready (gpointer data);

gboolean message_dialog_shown (gpointer data);

void scroll_to (GtkWidget *widget);

GSubprocess *serve_two_desks (DeskFixture *fixture,
                              const char  *path_b,
                              const char  *config);

char *server_cli (const char *store,
                  ...) G_GNUC_NULL_TERMINATED;

char *first_line (const char *text);

GSubprocess *server_serve (const char  *store,
                           const char  *config,
                           char       **url_out);

void sync_replica (const char *path);

void test_desk_pages_add_tests (void);
void test_desk_attachments_add_tests (void);
void test_desk_sync_add_tests (void);
void test_desk_reorganisation_add_tests (void);
void test_desk_big_add_big_tests (void);
void test_desk_big_add_tests (void);
