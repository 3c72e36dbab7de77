/* motcua-cases-page.c: the dossiers, as a table that stays smooth at a million rows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-case-item.h"
#include "motcua-case-list-model.h"
#include "motcua-case-page.h"
#include "motcua-cases-page.h"
#include "motcua-format.h"

/* The status filter: "any", "open", then each status. */
#define STATUS_ANY  0
#define STATUS_OPEN 1

struct _MotcuaCasesPage
{
  AdwBin               parent_instance;

  MotcuaSession       *session;
  MotcuaCaseListModel *model;
  GPtrArray           *office_codes;      /* NULL for "every office" at 0 */
  GPtrArray           *procedure_codes;   /* likewise */
  gboolean             loaded;            /* the filters and the list, once first shown */
  gboolean             dirty;             /* the replica changed while we were hidden */

  AdwLeaflet          *leaflet;
  GtkWidget           *list_box;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *overdue_toggle;
  GtkToggleButton     *week_toggle;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *channel_dropdown;
  GtkDropDown         *office_dropdown;
  GtkDropDown         *procedure_dropdown;
  GtkWidget           *spinner;
  GtkLabel            *count_label;
  GtkStack            *list_stack;
  GtkColumnView       *column_view;
  MotcuaCasePage      *case_page;
};

G_DEFINE_FINAL_TYPE (MotcuaCasesPage, motcua_cases_page, ADW_TYPE_BIN)

/* Cells */

typedef enum
{
  CELL_TEXT,
  CELL_STATUS,
  CELL_DUE,
} CellKind;

typedef struct
{
  const char *property;
  CellKind    kind;
} CellSpec;

static void
update_cell (GtkLabel       *label,
             MotcuaCaseItem *item)
{
  const CellSpec *spec = g_object_get_data (G_OBJECT (label), "cell-spec");
  g_autofree char *text = NULL;

  g_object_get (item, spec->property, &text, NULL);
  gtk_label_set_label (label, text);

  if (spec->kind == CELL_STATUS)
    {
      g_autofree char *css = NULL;
      const char *classes[] = { "status-pill", NULL, NULL };

      g_object_get (item, "status-class", &css, NULL);
      classes[1] = css;
      gtk_widget_set_css_classes (GTK_WIDGET (label), motcua_case_item_get_loaded (item)
                                                      ? classes : NULL);
    }
  else if (spec->kind == CELL_DUE)
    {
      gboolean overdue = motcua_case_item_get_overdue (item);

      /* Only on a change: setting a tooltip asks the display where the pointer is, a round trip
       * per cell that slowed scrolling down to a few frames a second. */
      if (overdue != gtk_widget_has_css_class (GTK_WIDGET (label), "overdue"))
        {
          if (overdue)
            gtk_widget_add_css_class (GTK_WIDGET (label), "overdue");
          else
            gtk_widget_remove_css_class (GTK_WIDGET (label), "overdue");
          gtk_widget_set_tooltip_text (GTK_WIDGET (label), overdue ? _("Overdue") : NULL);
        }
    }
}

static void
item_loaded_cb (MotcuaCaseItem *item,
                GParamSpec     *pspec,
                GtkLabel       *label)
{
  update_cell (label, item);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               const CellSpec           *spec)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (spec->kind == CELL_STATUS)
    gtk_widget_set_halign (label, GTK_ALIGN_START);
  if (spec->kind != CELL_TEXT || g_str_equal (spec->property, "receipt"))
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "cell-spec", (gpointer) spec);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              const CellSpec           *spec)
{
  MotcuaCaseItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  update_cell (GTK_LABEL (label), item);
  g_signal_connect_object (item, "notify::loaded", G_CALLBACK (item_loaded_cb), label, 0);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                const CellSpec           *spec)
{
  MotcuaCaseItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  g_signal_handlers_disconnect_by_func (item, item_loaded_cb, label);
}

static void
add_column (MotcuaCasesPage *self,
            const char      *title,
            const CellSpec  *spec,
            gboolean         expand,
            int              fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), (gpointer) spec);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), (gpointer) spec);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), (gpointer) spec);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

/* Filters */

static void
update_count (MotcuaCasesPage *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  gboolean loading = self->model != NULL && motcua_case_list_model_get_loading (self->model);
  g_autofree char *count = motcua_format_count (n);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s dossier",
                                                        "%s dossiers", n), count);

  /* Until the count comes, the list's length is only how far it has been read. */
  if (self->model != NULL && motcua_case_list_model_get_counting (self->model) && n > 0)
    gtk_label_set_label (self->count_label, _("Counting…"));
  else
    gtk_label_set_label (self->count_label, text);
  gtk_widget_set_visible (self->spinner, loading);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 || loading ? "list" : "empty");
}

static void
model_changed_cb (MotcuaCasesPage *self)
{
  update_count (self);
}

static void
filter_changed_cb (MotcuaCasesPage *self)
{
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  guint channel = gtk_drop_down_get_selected (self->channel_dropdown);
  guint office = gtk_drop_down_get_selected (self->office_dropdown);
  guint procedure = gtk_drop_down_get_selected (self->procedure_dropdown);
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (
                                                   GTK_EDITABLE (self->search_entry))));

  if (self->model == NULL || !self->loaded)
    return;

  if (status == STATUS_OPEN)
    filter.open_only = TRUE;
  else if (status != STATUS_ANY && status != GTK_INVALID_LIST_POSITION)
    filter.status = (int) status - 2;
  if (channel > 0 && channel != GTK_INVALID_LIST_POSITION)
    filter.channel = (int) channel - 1;
  if (self->office_codes != NULL && office > 0 && office < self->office_codes->len)
    filter.office = g_ptr_array_index (self->office_codes, office);
  if (self->procedure_codes != NULL && procedure > 0 && procedure < self->procedure_codes->len)
    filter.procedure_code = g_ptr_array_index (self->procedure_codes, procedure);
  filter.overdue = gtk_toggle_button_get_active (self->overdue_toggle);
  filter.due_this_week = gtk_toggle_button_get_active (self->week_toggle);
  filter.query = *query != '\0' ? query : NULL;

  motcua_case_list_model_set_filter (self->model, &filter);
}

/* The filters; the offices and procedures of the replica too when @with_replica. */
static void
fill_dropdowns (MotcuaCasesPage *self,
                gboolean         with_replica)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) offices = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) procedures = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) expression = NULL;

  gtk_string_list_append (statuses, _("Any status"));
  gtk_string_list_append (statuses, _("Open"));
  for (int i = 0; i < MOTCUA_N_STATUSES; i++)
    gtk_string_list_append (statuses, motcua_format_status ((MotcuaStatus) i));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));

  gtk_string_list_append (channels, _("Any channel"));
  for (int i = 0; i < MOTCUA_N_CHANNELS; i++)
    gtk_string_list_append (channels, motcua_format_channel ((MotcuaChannel) i));
  gtk_drop_down_set_model (self->channel_dropdown, G_LIST_MODEL (channels));

  g_clear_pointer (&self->office_codes, g_ptr_array_unref);
  g_clear_pointer (&self->procedure_codes, g_ptr_array_unref);
  self->office_codes = g_ptr_array_new_with_free_func (g_free);
  self->procedure_codes = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (offices, _("Every office"));
  g_ptr_array_add (self->office_codes, NULL);
  gtk_string_list_append (procedures, _("Any procedure"));
  g_ptr_array_add (self->procedure_codes, NULL);

  if (self->session != NULL && with_replica)
    {
      MotcuaReplica *replica = motcua_session_get_replica (self->session);
      g_autoptr(GPtrArray) subtree = motcua_replica_list_subtree (
        replica, motcua_replica_get_office_code (replica), NULL);
      g_autoptr(GPtrArray) catalogue = motcua_replica_list_procedures (replica, NULL, -1, NULL);

      for (guint i = 0; subtree != NULL && i < subtree->len; i++)
        {
          MotcuaOffice *office = g_ptr_array_index (subtree, i);

          gtk_string_list_append (offices, office->name);
          g_ptr_array_add (self->office_codes, g_strdup (office->code));
        }
      for (guint i = 0; catalogue != NULL && i < catalogue->len; i++)
        {
          MotcuaProcedure *procedure = g_ptr_array_index (catalogue, i);
          g_autofree char *label = g_strdup_printf ("%s (%s)", procedure->name, procedure->code);

          gtk_string_list_append (procedures, label);
          g_ptr_array_add (self->procedure_codes, g_strdup (procedure->code));
        }
    }
  gtk_drop_down_set_model (self->office_dropdown, G_LIST_MODEL (offices));
  gtk_widget_set_visible (GTK_WIDGET (self->office_dropdown), self->office_codes->len > 2);
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->procedure_dropdown, expression);
  gtk_drop_down_set_model (self->procedure_dropdown, G_LIST_MODEL (procedures));
}

/* Rows and the case page */

static void
row_activated_cb (MotcuaCasesPage *self,
                  guint            position)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (self->column_view);
  g_autoptr(MotcuaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (selection), position);
  const MotcuaCase *record;

  if (item == NULL || (record = motcua_case_item_get_case (item)) == NULL)
    return;
  motcua_cases_page_show_case (self, record->id);
}

static void
case_back_cb (MotcuaCasesPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_box);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

void
motcua_cases_page_show_case (MotcuaCasesPage *self,
                             const char      *key)
{
  g_return_if_fail (MOTCUA_IS_CASES_PAGE (self));

  if (self->session == NULL)
    return;
  if (motcua_case_page_show (self->case_page, self->session, key))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->case_page));
}

void
motcua_cases_page_focus_search (MotcuaCasesPage *self)
{
  g_return_if_fail (MOTCUA_IS_CASES_PAGE (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_box);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
session_changed_cb (MotcuaCasesPage *self)
{
  if (!self->loaded)
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    motcua_case_list_model_reload (self->model);
  else
    self->dirty = TRUE;
}

/* What the page shows is loaded when it is first shown, not while the desk starts: the
 * procedure filter alone is 1,800 entries on a province's replica. */
static void
load (MotcuaCasesPage *self)
{
  fill_dropdowns (self, TRUE);
  self->loaded = TRUE;
  self->dirty = FALSE;
  filter_changed_cb (self);
}

static void
motcua_cases_page_map (GtkWidget *widget)
{
  MotcuaCasesPage *self = MOTCUA_CASES_PAGE (widget);

  GTK_WIDGET_CLASS (motcua_cases_page_parent_class)->map (widget);
  if (self->model == NULL)
    return;
  if (!self->loaded)
    load (self);
  else if (self->dirty)
    {
      self->dirty = FALSE;
      motcua_case_list_model_reload (self->model);
    }
}

void
motcua_cases_page_set_session (MotcuaCasesPage *self,
                               MotcuaSession   *session)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (MOTCUA_IS_CASES_PAGE (self));

  if (!motcua_session_follow (&self->session, session, self, G_CALLBACK (session_changed_cb)))
    return;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_changed_cb, self);
  g_clear_object (&self->model);
  gtk_column_view_set_model (self->column_view, NULL);

  self->loaded = FALSE;
  fill_dropdowns (self, FALSE);
  adw_leaflet_set_visible_child (self->leaflet, self->list_box);
  if (session == NULL)
    return;

  self->model = motcua_case_list_model_new (session);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
  update_count (self);
}

static void
motcua_cases_page_dispose (GObject *object)
{
  MotcuaCasesPage *self = MOTCUA_CASES_PAGE (object);

  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_CASES_PAGE);
  g_clear_object (&self->model);
  motcua_session_follow (&self->session, NULL, self, G_CALLBACK (session_changed_cb));
  g_clear_pointer (&self->office_codes, g_ptr_array_unref);
  g_clear_pointer (&self->procedure_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_cases_page_parent_class)->dispose (object);
}

static void
motcua_cases_page_class_init (MotcuaCasesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_cases_page_dispose;
  widget_class->map = motcua_cases_page_map;

  g_type_ensure (MOTCUA_TYPE_CASE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-cases-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, overdue_toggle);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, week_toggle);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, office_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, procedure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasesPage, case_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, case_back_cb);
}

static const CellSpec receipt_cell = { "receipt", CELL_TEXT };
static const CellSpec applicant_cell = { "applicant", CELL_TEXT };
static const CellSpec procedure_cell = { "procedure", CELL_TEXT };
static const CellSpec status_cell = { "status", CELL_STATUS };
static const CellSpec due_cell = { "due", CELL_DUE };
static const CellSpec channel_cell = { "channel", CELL_TEXT };

static void
motcua_cases_page_init (MotcuaCasesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_column (self, _("Receipt"), &receipt_cell, FALSE, 210);
  add_column (self, _("Applicant"), &applicant_cell, FALSE, 200);
  add_column (self, _("Procedure"), &procedure_cell, TRUE, -1);
  add_column (self, _("Submitted"), &channel_cell, FALSE, 130);
  add_column (self, _("Status"), &status_cell, FALSE, 170);
  add_column (self, _("Due"), &due_cell, FALSE, 110);
  fill_dropdowns (self, FALSE);
  update_count (self);
}
