/* motcua-catalogue-page.c: browse and search the procedures; a detail with a QR for citizens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-catalogue-page.h"
#include "motcua-format.h"
#include "motcua-qr.h"
#include "motcua-window.h"

#define SEARCH_LIMIT 200

struct _MotcuaCataloguePage
{
  AdwBin           parent_instance;

  MotcuaSession   *session;
  gboolean         loaded;         /* the catalogue, read when the page is first shown */
  GHashTable      *procedures;     /* code → MotcuaProcedure */
  GPtrArray       *sectors;        /* NULL first: any sector */
  GtkStringList   *codes;          /* the list shown */
  MotcuaProcedure *shown;
  GPtrArray       *detail_rows;

  AdwLeaflet      *leaflet;
  GtkWidget       *list_pane;
  GtkSearchEntry  *search_entry;
  GtkDropDown     *sector_dropdown;
  GtkDropDown     *level_dropdown;
  GtkLabel        *count_label;
  GtkListView     *list_view;
  GtkStack        *detail_stack;
  GtkLabel        *name_label;
  GtkLabel        *code_label;
  GtkWidget       *sample_label;
  GtkPicture      *qr_picture;
  AdwActionRow    *time_row;
  AdwActionRow    *fee_row;
  AdwActionRow    *levels_row;
  AdwActionRow    *online_row;
  AdwActionRow    *force_row;
  AdwPreferencesGroup *papers_group;
  AdwPreferencesGroup *legal_group;
};

G_DEFINE_FINAL_TYPE (MotcuaCataloguePage, motcua_catalogue_page, ADW_TYPE_BIN)

static const MotcuaProcedure *
lookup (MotcuaCataloguePage *self,
        const char          *code)
{
  return self->procedures != NULL ? g_hash_table_lookup (self->procedures, code) : NULL;
}

/* The list */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             MotcuaCataloguePage      *self)
{
  GtkStringObject *code = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  const MotcuaProcedure *procedure = lookup (self, gtk_string_object_get_string (code));
  g_autofree char *days = NULL;
  g_autofree char *detail = NULL;

  if (procedure == NULL)
    return;
  days = motcua_format_days (procedure->processing_days, procedure->time_unit);
  detail = g_strdup_printf ("%s · %s · %s", procedure->code, procedure->sector, days);
  gtk_label_set_label (GTK_LABEL (title), procedure->name);
  gtk_label_set_label (GTK_LABEL (subtitle), detail);
}

static gboolean
matches (const MotcuaProcedure *procedure,
         const char            *sector,
         int                    level)
{
  if (sector != NULL && g_strcmp0 (procedure->sector, sector) != 0)
    return FALSE;
  if (level >= 0 && (procedure->levels & (1u << level)) == 0)
    return FALSE;
  return TRUE;
}

static void
filter_changed_cb (MotcuaCataloguePage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->search_entry))));
  guint sector_index = gtk_drop_down_get_selected (self->sector_dropdown);
  guint level_index = gtk_drop_down_get_selected (self->level_dropdown);
  const char *sector = NULL;
  int level = -1;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) codes = NULL;
  g_autofree char *count = NULL;
  guint n;

  if (self->session == NULL || !self->loaded)
    return;
  if (self->sectors != NULL && sector_index > 0 && sector_index < self->sectors->len)
    sector = g_ptr_array_index (self->sectors, sector_index);
  if (level_index > 0 && level_index != GTK_INVALID_LIST_POSITION)
    level = (int) level_index - 1;

  /* The catalogue is a few thousand rows at most: these run on the main thread. */
  if (*text != '\0')
    found = motcua_replica_search_procedures (motcua_session_get_replica (self->session), text,
                                              SEARCH_LIMIT, NULL);
  else
    found = motcua_replica_list_procedures (motcua_session_get_replica (self->session), sector,
                                            level, NULL);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      MotcuaProcedure *procedure = g_ptr_array_index (found, i);

      if (matches (procedure, sector, level))
        g_strv_builder_add (builder, procedure->code);
    }
  codes = g_strv_builder_end (builder);
  n = g_strv_length (codes);
  gtk_string_list_splice (self->codes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->codes)),
                          (const char * const *) codes);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u procedure", "%u procedures", n), n);
  gtk_label_set_label (self->count_label, count);
}

/* The detail */

static char *
qr_text (const MotcuaProcedure *procedure)
{
  GString *text = g_string_new (NULL);
  g_autofree char *days = motcua_format_days (procedure->processing_days, procedure->time_unit);
  g_autofree char *fee = motcua_format_fee (procedure->fee);

  g_string_append_printf (text, "%s (%s)\n%s: %s\n%s: %s\n%s:\n", procedure->name,
                          procedure->code, _("Processing time"), days, _("Fee"), fee,
                          _("Papers to bring"));
  for (guint i = 0; procedure->documents != NULL && procedure->documents[i] != NULL; i++)
    g_string_append_printf (text, "%u. %s\n", i + 1, procedure->documents[i]);
  return g_string_free (text, FALSE);
}

static void
add_text_row (MotcuaCataloguePage *self,
              AdwPreferencesGroup *group,
              const char          *text,
              const char          *prefix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (prefix != NULL)
    {
      GtkWidget *label = gtk_label_new (prefix);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), label);
    }
  adw_preferences_group_add (group, row);
  g_object_set_data (G_OBJECT (row), "group", group);
  g_ptr_array_add (self->detail_rows, row);
}

static void
show_procedure (MotcuaCataloguePage   *self,
                const MotcuaProcedure *procedure)
{
  g_autofree char *days = motcua_format_days (procedure->processing_days, procedure->time_unit);
  g_autofree char *fee = motcua_format_fee (procedure->fee);
  g_autofree char *code = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *force = NULL;
  g_autofree char *qr = qr_text (procedure);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GString) levels = g_string_new (NULL);

  g_clear_pointer (&self->shown, motcua_procedure_free);
  self->shown = motcua_procedure_copy (procedure);

  for (guint i = 0; i < self->detail_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->detail_rows, i);

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "group"), row);
    }
  g_ptr_array_set_size (self->detail_rows, 0);

  gtk_label_set_label (self->name_label, procedure->name);
  code = g_strdup_printf ("%s · %s%s", procedure->code, procedure->sector,
                          procedure->code_official ? "" : _(" · code used by this project, "
                                                             "not the national database's"));
  gtk_label_set_label (self->code_label, code);
  gtk_widget_set_visible (self->sample_label, procedure->sample);
  adw_action_row_set_subtitle (self->time_row, days);
  if (procedure->fee_note != NULL && *procedure->fee_note != '\0')
    {
      g_autofree char *text = g_markup_printf_escaped ("%s — %s", fee, procedure->fee_note);

      adw_action_row_set_subtitle (self->fee_row, text);
    }
  else
    adw_action_row_set_subtitle (self->fee_row, fee);
  for (int level = 0; level < MOTCUA_N_LEVELS; level++)
    if (procedure->levels & (1u << level))
      g_string_append_printf (levels, "%s%s", levels->len > 0 ? ", " : "",
                              motcua_format_level ((MotcuaLevel) level));
  adw_action_row_set_subtitle (self->levels_row, levels->str);
  adw_action_row_set_subtitle (self->online_row, procedure->online_full
                                                 ? _("Full: from application to result")
                                                 : _("Partial: some steps at the desk"));
  from = motcua_format_date (procedure->in_force_from);
  to = procedure->in_force_to != NULL ? motcua_format_date (procedure->in_force_to) : NULL;
  force = to != NULL ? g_strdup_printf (_("%s to %s"), from, to)
                     : g_strdup_printf (_("Since %s"), from);
  adw_action_row_set_subtitle (self->force_row, force);

  for (guint i = 0; procedure->documents != NULL && procedure->documents[i] != NULL; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i + 1);

      add_text_row (self, self->papers_group, procedure->documents[i], number);
    }
  for (guint i = 0; procedure->legal_basis != NULL && procedure->legal_basis[i] != NULL; i++)
    add_text_row (self, self->legal_group, procedure->legal_basis[i], NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->legal_group),
                          procedure->legal_basis != NULL && procedure->legal_basis[0] != NULL);

  texture = motcua_qr_texture_new (qr, 296);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail_stack));
}

static void
procedure_activated_cb (MotcuaCataloguePage *self,
                        guint                position)
{
  const char *code = gtk_string_list_get_string (self->codes, position);
  const MotcuaProcedure *procedure = code != NULL ? lookup (self, code) : NULL;

  if (procedure != NULL)
    show_procedure (self, procedure);
}

static void
search_activate_cb (MotcuaCataloguePage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->codes)) > 0)
    procedure_activated_cb (self, 0);
}

static void
back_clicked_cb (MotcuaCataloguePage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

static void
receive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MotcuaCataloguePage *self = MOTCUA_CATALOGUE_PAGE (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, MOTCUA_TYPE_WINDOW);
  GtkWidget *reception;

  if (self->shown == NULL || window == NULL)
    return;
  reception = motcua_window_get_page (MOTCUA_WINDOW (window), "reception");
  motcua_window_show_page (MOTCUA_WINDOW (window), "reception");
  gtk_widget_activate_action (reception, "reception.select-procedure", "s", self->shown->code);
}

void
motcua_catalogue_page_focus_search (MotcuaCataloguePage *self)
{
  g_return_if_fail (MOTCUA_IS_CATALOGUE_PAGE (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void load (MotcuaCataloguePage *self);

void
motcua_catalogue_page_show_procedure (MotcuaCataloguePage *self,
                                      const char          *code)
{
  const MotcuaProcedure *procedure;

  g_return_if_fail (MOTCUA_IS_CATALOGUE_PAGE (self));

  if (!self->loaded)
    load (self);
  procedure = lookup (self, code);
  if (procedure != NULL)
    show_procedure (self, procedure);
}

/* Reads the catalogue of the session: when the page is first shown, not while the desk starts
 * (a province's is 1,800 procedures). */
static void
load (MotcuaCataloguePage *self)
{
  g_autoptr(GtkStringList) sectors = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) levels = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_clear_pointer (&self->procedures, g_hash_table_unref);
  g_clear_pointer (&self->sectors, g_ptr_array_unref);
  g_clear_pointer (&self->shown, motcua_procedure_free);
  self->procedures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) motcua_procedure_free);
  self->sectors = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->sectors, NULL);
  gtk_string_list_append (sectors, _("Every sector"));

  if (self->session != NULL)
    all = motcua_replica_list_procedures (motcua_session_get_replica (self->session), NULL, -1,
                                          NULL);
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      MotcuaProcedure *procedure = motcua_procedure_copy (g_ptr_array_index (all, i));

      g_hash_table_replace (self->procedures, procedure->code, procedure);
      if (procedure->sector != NULL && !g_hash_table_contains (seen, procedure->sector))
        {
          g_hash_table_add (seen, procedure->sector);
          g_ptr_array_add (self->sectors, g_strdup (procedure->sector));
        }
    }
  for (guint i = 1; i < self->sectors->len; i++)
    gtk_string_list_append (sectors, g_ptr_array_index (self->sectors, i));
  gtk_drop_down_set_model (self->sector_dropdown, G_LIST_MODEL (sectors));

  gtk_string_list_append (levels, _("Every level"));
  for (int level = 0; level < MOTCUA_N_LEVELS; level++)
    gtk_string_list_append (levels, motcua_format_level ((MotcuaLevel) level));
  gtk_drop_down_set_model (self->level_dropdown, G_LIST_MODEL (levels));

  gtk_stack_set_visible_child_name (self->detail_stack, "empty");
  self->loaded = TRUE;
  filter_changed_cb (self);
}

void
motcua_catalogue_page_set_session (MotcuaCataloguePage *self,
                                   MotcuaSession       *session)
{
  g_return_if_fail (MOTCUA_IS_CATALOGUE_PAGE (self));

  if (!g_set_object (&self->session, session))
    return;
  self->loaded = FALSE;
  g_clear_pointer (&self->shown, motcua_procedure_free);
  gtk_string_list_splice (self->codes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->codes)),
                          NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "empty");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
}

static void
motcua_catalogue_page_map (GtkWidget *widget)
{
  MotcuaCataloguePage *self = MOTCUA_CATALOGUE_PAGE (widget);

  GTK_WIDGET_CLASS (motcua_catalogue_page_parent_class)->map (widget);
  if (!self->loaded)
    load (self);
}

static void
motcua_catalogue_page_dispose (GObject *object)
{
  MotcuaCataloguePage *self = MOTCUA_CATALOGUE_PAGE (object);

  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_CATALOGUE_PAGE);
  g_clear_object (&self->session);
  g_clear_object (&self->codes);
  g_clear_pointer (&self->procedures, g_hash_table_unref);
  g_clear_pointer (&self->sectors, g_ptr_array_unref);
  g_clear_pointer (&self->shown, motcua_procedure_free);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_catalogue_page_parent_class)->dispose (object);
}

static void
motcua_catalogue_page_class_init (MotcuaCataloguePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_catalogue_page_dispose;
  widget_class->map = motcua_catalogue_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-catalogue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, sector_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, code_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, sample_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, time_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, fee_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, levels_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, online_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, force_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, papers_group);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCataloguePage, legal_group);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, procedure_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "catalogue.receive", NULL, receive_action);
}

static void
motcua_catalogue_page_init (MotcuaCataloguePage *self)
{
  GtkListItemFactory *factory;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->detail_rows = g_ptr_array_new ();
  self->codes = gtk_string_list_new (NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->codes)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
}
