/* motcua-reports-page.c: the standard one-stop report, as figures, a chart and a table
 *
 * The report is computed in the session's worker (its cost grows with the number of cases);
 * export writes CSV (libmotcua's) or a PDF drawn with cairo.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "motcua-format.h"
#include "motcua-pdf.h"
#include "motcua-report-chart.h"
#include "motcua-reports-page.h"
#include "motcua-window.h"

struct _MotcuaReportsPage
{
  AdwBin             parent_instance;

  MotcuaSession     *session;
  MotcuaReport      *report;
  GCancellable      *cancellable;
  GPtrArray         *office_codes;
  gboolean           dirty;
  char              *from;
  char              *to;

  GtkDropDown       *office_dropdown;
  GtkDropDown       *period_dropdown;
  GtkLabel          *period_label;
  GtkWidget         *spinner;
  GtkBox            *cards_box;
  MotcuaReportChart *chart;
  GtkColumnView     *table;
};

G_DEFINE_FINAL_TYPE (MotcuaReportsPage, motcua_reports_page, ADW_TYPE_BIN)

/* Report rows as list items */

#define MOTCUA_TYPE_REPORT_ROW_ITEM (motcua_report_row_item_get_type ())
G_DECLARE_FINAL_TYPE (MotcuaReportRowItem, motcua_report_row_item, MOTCUA, REPORT_ROW_ITEM,
                      GObject)

struct _MotcuaReportRowItem
{
  GObject                parent_instance;
  MotcuaReport          *report;
  const MotcuaReportRow *row;
};

G_DEFINE_FINAL_TYPE (MotcuaReportRowItem, motcua_report_row_item, G_TYPE_OBJECT)

static void
motcua_report_row_item_finalize (GObject *object)
{
  MotcuaReportRowItem *self = MOTCUA_REPORT_ROW_ITEM (object);

  g_clear_pointer (&self->report, motcua_report_unref);
  G_OBJECT_CLASS (motcua_report_row_item_parent_class)->finalize (object);
}

static void
motcua_report_row_item_class_init (MotcuaReportRowItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = motcua_report_row_item_finalize;
}

static void
motcua_report_row_item_init (MotcuaReportRowItem *self)
{
}

/* Columns: what each shows of a row's rolled-up figures. */
typedef enum
{
  COL_OFFICE,
  COL_CARRIED,
  COL_NEW_ONLINE,
  COL_NEW_DIRECT,
  COL_RECEIVED,
  COL_EARLY,
  COL_ON_TIME,
  COL_LATE,
  COL_WITHDRAWN,
  COL_WITHIN,
  COL_OVERDUE,
  COL_SUPPLEMENT,
  COL_ONLINE_RATE,
  N_COLS
} Column;

static const char *
column_title (Column column)
{
  switch (column)
    {
    case COL_OFFICE: return _("Office");
    case COL_CARRIED: return _("Carried over");
    case COL_NEW_ONLINE: return _("New online");
    case COL_NEW_DIRECT: return _("New direct");
    case COL_RECEIVED: return _("Received");
    case COL_EARLY: return _("Early");
    case COL_ON_TIME: return _("On time");
    case COL_LATE: return _("Late");
    case COL_WITHDRAWN: return _("Withdrawn");
    case COL_WITHIN: return _("In progress");
    case COL_OVERDUE: return _("Overdue");
    case COL_SUPPLEMENT: return _("Awaiting papers");
    case COL_ONLINE_RATE: return _("Online");
    case N_COLS:
    default:
      return "";
    }
}

static char *
cell_text (const MotcuaReportRow *row,
           Column                 column)
{
  const MotcuaReportFigures *f = &row->total;
  gint64 value;

  switch (column)
    {
    case COL_OFFICE: return g_strdup (row->office_name);
    case COL_CARRIED: value = f->carried_over; break;
    case COL_NEW_ONLINE: value = f->new_online; break;
    case COL_NEW_DIRECT: value = f->new_direct; break;
    case COL_RECEIVED: value = f->received_total; break;
    case COL_EARLY: value = f->resolved_early; break;
    case COL_ON_TIME: value = f->resolved_on_time; break;
    case COL_LATE: value = f->resolved_late; break;
    case COL_WITHDRAWN: value = f->withdrawn; break;
    case COL_WITHIN: value = f->pending_within; break;
    case COL_OVERDUE: value = f->pending_overdue; break;
    case COL_SUPPLEMENT: value = f->pending_supplement; break;
    case COL_ONLINE_RATE:
      return g_strdup_printf ("%.1f %%", 100 * motcua_report_figures_online_rate (f));
    case N_COLS:
    default:
      return g_strdup ("");
    }
  return motcua_format_count (value);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COL_OFFICE ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* Offices are named, not numbered: when the columns do not fit, the page scrolls sideways
   * rather than squeezing the names to a letter. */
  if (column == COL_OFFICE)
    gtk_label_set_width_chars (GTK_LABEL (label), 22);
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  MotcuaReportRowItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = cell_text (item->row, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  if (column == COL_OFFICE)
    gtk_widget_set_margin_start (label, 16 * (int) item->row->depth);
  if (item->row->depth == 0)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
  if (column == COL_OVERDUE || column == COL_LATE)
    {
      if ((column == COL_OVERDUE ? item->row->total.pending_overdue
                                 : item->row->total.resolved_late) > 0)
        gtk_widget_add_css_class (label, "overdue");
      else
        gtk_widget_remove_css_class (label, "overdue");
    }
}

/* Figures */

static GtkWidget *
stat_card (const char *title,
           const char *value,
           const char *detail,
           gboolean    alarm)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "stat-card");
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "figure");
  gtk_widget_add_css_class (label, "numeric");
  if (alarm)
    gtk_widget_add_css_class (label, "overdue");
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (detail);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
fill_cards (MotcuaReportsPage *self)
{
  GtkWidget *child;
  const MotcuaReportRow *row;
  const MotcuaReportFigures *f;
  g_autofree char *received = NULL, *resolved = NULL, *pending = NULL, *overdue = NULL;
  g_autofree char *supplement = NULL;
  g_autofree char *online = NULL, *received_detail = NULL, *resolved_detail = NULL;
  g_autofree char *pending_detail = NULL, *online_detail = NULL, *new_count = NULL;
  g_autofree char *carried = NULL;
  double on_time_rate;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cards_box))) != NULL)
    gtk_box_remove (self->cards_box, child);
  if (self->report == NULL || motcua_report_get_n_rows (self->report) == 0)
    return;

  row = motcua_report_get_row (self->report, 0);
  f = &row->total;
  received = motcua_format_count (f->received_total);
  new_count = motcua_format_count (f->new_online + f->new_direct);
  carried = motcua_format_count (f->carried_over);
  received_detail = g_strdup_printf (_("%s new, %s carried over"), new_count, carried);
  resolved = motcua_format_count (f->resolved_total);
  on_time_rate = f->resolved_total > 0
                 ? 100.0 * (f->resolved_early + f->resolved_on_time) / f->resolved_total : 100;
  resolved_detail = g_strdup_printf (_("%.1f %% early or on time"), on_time_rate);
  pending = motcua_format_count (f->pending_total);
  overdue = motcua_format_count (f->pending_overdue);
  supplement = motcua_format_count (f->pending_supplement);
  /* Translators: "136 overdue, 5 awaiting papers": the applicant was asked for a supplement. */
  pending_detail = g_strdup_printf (_("%s overdue, %s awaiting papers"), overdue,
                                    supplement);
  online = g_strdup_printf ("%.1f %%", 100 * motcua_report_figures_online_rate (f));
  online_detail = g_strdup_printf (_("digitised %.1f %%"),
                                   100 * motcua_report_figures_digitisation_rate (f));

  gtk_box_append (self->cards_box, stat_card (_("Received"), received, received_detail, FALSE));
  gtk_box_append (self->cards_box, stat_card (_("Resolved"), resolved, resolved_detail,
                                              f->resolved_late > 0));
  gtk_box_append (self->cards_box, stat_card (_("In progress"), pending, pending_detail,
                                              f->pending_overdue > 0));
  gtk_box_append (self->cards_box, stat_card (_("Submitted online"), online, online_detail,
                                              FALSE));
}

static void
show_report (MotcuaReportsPage *self)
{
  g_autoptr(GListStore) store = g_list_store_new (MOTCUA_TYPE_REPORT_ROW_ITEM);
  g_autoptr(GtkNoSelection) selection = NULL;

  for (guint i = 0; self->report != NULL && i < motcua_report_get_n_rows (self->report); i++)
    {
      g_autoptr(MotcuaReportRowItem) item = g_object_new (MOTCUA_TYPE_REPORT_ROW_ITEM, NULL);

      item->report = motcua_report_ref (self->report);
      item->row = motcua_report_get_row (self->report, i);
      g_list_store_append (store, item);
    }
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (store)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  motcua_report_chart_set_report (self->chart, self->report);
  fill_cards (self);
}

/* Computing */

typedef struct
{
  char         *office;
  char         *from;
  char         *to;
  MotcuaReport *report;
} Job;

static void
job_free (gpointer pointer)
{
  Job *job = pointer;

  g_free (job->office);
  g_free (job->from);
  g_free (job->to);
  g_clear_pointer (&job->report, motcua_report_unref);
  g_free (job);
}

static gboolean
report_in_thread (MotcuaReplica  *reader,
                  gpointer        data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  Job *job = data;

  job->report = motcua_replica_report (reader, job->office, job->from, job->to, error);
  return job->report != NULL;
}

static void
reported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MotcuaReportsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  Job *job = NULL;

  if (!motcua_session_run_finish (MOTCUA_SESSION (source), result, (gpointer *) &job, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_widget_set_visible (self->spinner, FALSE);
          motcua_window_toast (GTK_WIDGET (self), error->message);
        }
      return;
    }
  gtk_widget_set_visible (self->spinner, FALSE);
  g_clear_pointer (&self->report, motcua_report_unref);
  self->report = g_steal_pointer (&job->report);
  show_report (self);
}

/* The period chosen, as [from, to] dates: the reporting periods the rules close on the 14th
 * (motcua_report_period()), the one today falls in or the one before. */
static void
compute_period (MotcuaReportsPage *self)
{
  static const struct
  {
    MotcuaPeriodKind kind;
    int              back;   /* periods before today's */
  } choices[] = {
    { MOTCUA_PERIOD_MONTH, 0 },     /* This month */
    { MOTCUA_PERIOD_MONTH, 1 },     /* Last month */
    { MOTCUA_PERIOD_QUARTER, 0 },   /* This quarter */
    { MOTCUA_PERIOD_YEAR, 0 },      /* This year */
    { MOTCUA_PERIOD_YEAR, 1 },      /* Last year */
  };
  g_autofree char *today = self->session != NULL ? motcua_session_dup_today (self->session)
                                                 : NULL;
  guint choice = MIN (gtk_drop_down_get_selected (self->period_dropdown),
                      G_N_ELEMENTS (choices) - 1);
  MotcuaPeriodKind kind = choices[choice].kind;
  int year, number;
  char from[11], to[11];

  if (today == NULL || !motcua_report_period_of (kind, today, &year, &number))
    return;
  if (choices[choice].back > 0 && --number == 0)
    {
      year--;
      number = kind == MOTCUA_PERIOD_MONTH ? 12 : kind == MOTCUA_PERIOD_QUARTER ? 4 : 1;
    }
  if (!motcua_report_period (kind, year, number, from, to))
    return;

  g_free (self->from);
  self->from = g_strdup (from);
  g_free (self->to);
  self->to = g_strdup (to);
}

static void
refresh (MotcuaReportsPage *self)
{
  Job *job;
  guint office = gtk_drop_down_get_selected (self->office_dropdown);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *period = NULL;

  if (self->session == NULL || self->office_codes == NULL || self->office_codes->len == 0)
    return;

  compute_period (self);
  from = motcua_format_date (self->from);
  to = motcua_format_date (self->to);
  /* Translators: a period, "01/11/2026 – 24/11/2026". */
  period = g_strdup_printf (_("%s – %s"), from, to);
  gtk_label_set_label (self->period_label, period);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->office = g_strdup (g_ptr_array_index (self->office_codes,
                                             office < self->office_codes->len ? office : 0));
  job->from = g_strdup (self->from);
  job->to = g_strdup (self->to);
  gtk_widget_set_visible (self->spinner, TRUE);
  motcua_session_run_async (self->session, MOTCUA_SESSION_SLOW, report_in_thread, job, job_free,
                            self->cancellable, reported_cb, self);
}

static void
parameters_changed_cb (MotcuaReportsPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  else
    self->dirty = TRUE;
}

static void
session_changed_cb (MotcuaReportsPage *self)
{
  parameters_changed_cb (self);
}

static void
motcua_reports_page_map (GtkWidget *widget)
{
  MotcuaReportsPage *self = MOTCUA_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (motcua_reports_page_parent_class)->map (widget);
  if (self->dirty)
    {
      self->dirty = FALSE;
      refresh (self);
    }
}

/* Export */

static void
draw_pdf_table (MotcuaReport *report,
                cairo_t      *cr,
                double        x,
                double        y,
                double        width)
{
  const double widths[N_COLS] = { 3.2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  double total = 0, unit, row_height = 16;
  PangoFontDescription *font = pango_font_description_from_string ("Sans 7.5");
  PangoFontDescription *bold = pango_font_description_from_string ("Sans Bold 7.5");

  for (int c = 0; c < N_COLS; c++)
    total += widths[c];
  unit = width / total;

  for (int r = -1; r < (int) motcua_report_get_n_rows (report); r++)
    {
      const MotcuaReportRow *row = r >= 0 ? motcua_report_get_row (report, (guint) r) : NULL;
      double cx = x;

      if (r % 2 == 1 || r == -1)
        {
          cairo_set_source_rgb (cr, r == -1 ? 0.9 : 0.96, r == -1 ? 0.9 : 0.96,
                                r == -1 ? 0.9 : 0.96);
          cairo_rectangle (cr, x, y, width, row_height);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      for (int c = 0; c < N_COLS; c++)
        {
          g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
          g_autofree char *text = row != NULL ? cell_text (row, (Column) c)
                                              : g_strdup (column_title ((Column) c));
          double indent = (row != NULL && c == 0) ? 8.0 * row->depth : 0;

          pango_layout_set_font_description (layout, row == NULL || row->depth == 0 ? bold : font);
          pango_layout_set_width (layout, (int) ((widths[c] * unit - 6 - indent) * PANGO_SCALE));
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_alignment (layout, c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
          pango_layout_set_text (layout, text, -1);
          cairo_move_to (cr, cx + 3 + indent, y + 3);
          pango_cairo_show_layout (cr, layout);
          cx += widths[c] * unit;
        }
      y += row_height;
    }
  pango_font_description_free (font);
  pango_font_description_free (bold);
}

static gboolean
save_pdf (MotcuaReportsPage  *self,
          const char         *path,
          GError            **error)
{
  /* A4 landscape. */
  const double width = 841.89, height = 595.28, margin = 36;
  cairo_surface_t *surface = cairo_pdf_surface_create (path, width, height);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autofree char *from = motcua_format_date (self->from);
  g_autofree char *to = motcua_format_date (self->to);
  const MotcuaReportRow *top = motcua_report_get_row (self->report, 0);
  g_autofree char *title = NULL;
  double chart_height = MIN (motcua_report_chart_height (self->report), 220);
  double y = margin;

  title = g_markup_printf_escaped ("<span size=\"14000\" weight=\"bold\">%s</span>\n%s · %s – %s",
                                   _("One-stop report"), top->office_name, from, to);
  pango_layout_set_markup (layout, title, -1);
  cairo_move_to (cr, margin, y);
  pango_cairo_show_layout (cr, layout);
  y += 44;

  cairo_save (cr);
  cairo_translate (cr, margin, y);
  cairo_rectangle (cr, 0, 0, width - 2 * margin, chart_height);
  cairo_clip (cr);
  motcua_report_chart_draw (self->report, cr, width - 2 * margin, chart_height, FALSE);
  cairo_restore (cr);
  y += chart_height + 12;

  draw_pdf_table (self->report, cr, margin, y, width - 2 * margin);

  return motcua_pdf_finish (cr, surface, path, error);
}

static void
export_response_cb (GtkNativeDialog   *dialog,
                    int                response,
                    MotcuaReportsPage *self)
{
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pdf"));

  if (response == GTK_RESPONSE_ACCEPT && self->report != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (pdf)
        ok = save_pdf (self, path, &error);
      else
        {
          g_autofree char *csv = motcua_report_to_csv (self->report);

          ok = g_file_set_contents (path, csv, -1, &error);
        }
      motcua_window_toast (GTK_WIDGET (self), ok ? _("Report exported") : error->message);
    }
  g_object_unref (dialog);
}

static void
export (MotcuaReportsPage *self,
        gboolean           pdf)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  const MotcuaReportRow *top;

  if (self->report == NULL || motcua_report_get_n_rows (self->report) == 0)
    return;
  top = motcua_report_get_row (self->report, 0);
  dialog = gtk_file_chooser_native_new (_("Export the Report"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s_%s_%s.%s", top->office_code, self->from, self->to,
                          pdf ? "pdf" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "pdf", GINT_TO_POINTER (pdf));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (MOTCUA_REPORTS_PAGE (widget), FALSE);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (MOTCUA_REPORTS_PAGE (widget), TRUE);
}

MotcuaReport *
motcua_reports_page_get_report (MotcuaReportsPage *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPORTS_PAGE (self), NULL);

  return self->report;
}

gboolean
motcua_reports_page_save_pdf (MotcuaReportsPage  *self,
                              const char         *path,
                              GError            **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPORTS_PAGE (self), FALSE);
  g_return_val_if_fail (self->report != NULL, FALSE);

  return save_pdf (self, path, error);
}

void
motcua_reports_page_set_session (MotcuaReportsPage *self,
                                 MotcuaSession     *session)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_return_if_fail (MOTCUA_IS_REPORTS_PAGE (self));

  if (!motcua_session_follow (&self->session, session, self, G_CALLBACK (session_changed_cb)))
    return;
  g_clear_pointer (&self->report, motcua_report_unref);
  g_clear_pointer (&self->office_codes, g_ptr_array_unref);
  self->office_codes = g_ptr_array_new_with_free_func (g_free);

  if (session != NULL)
    {
      MotcuaReplica *replica = motcua_session_get_replica (session);
      g_autoptr(GPtrArray) subtree =
        motcua_replica_list_subtree (replica, motcua_replica_get_office_code (replica), NULL);

      for (guint i = 0; subtree != NULL && i < subtree->len; i++)
        {
          MotcuaOffice *office = g_ptr_array_index (subtree, i);

          gtk_string_list_append (names, office->name);
          g_ptr_array_add (self->office_codes, g_strdup (office->code));
        }
    }
  gtk_drop_down_set_model (self->office_dropdown, G_LIST_MODEL (names));
  show_report (self);
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    motcua_reports_page_map (GTK_WIDGET (self));
}

static void
motcua_reports_page_dispose (GObject *object)
{
  MotcuaReportsPage *self = MOTCUA_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_REPORTS_PAGE);
  g_clear_object (&self->cancellable);
  motcua_session_follow (&self->session, NULL, self, G_CALLBACK (session_changed_cb));
  g_clear_pointer (&self->report, motcua_report_unref);
  g_clear_pointer (&self->office_codes, g_ptr_array_unref);
  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->to, g_free);

  G_OBJECT_CLASS (motcua_reports_page_parent_class)->dispose (object);
}

static void
motcua_reports_page_class_init (MotcuaReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_reports_page_dispose;
  widget_class->map = motcua_reports_page_map;

  g_type_ensure (MOTCUA_TYPE_REPORT_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaReportsPage, office_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReportsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReportsPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReportsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReportsPage, cards_box);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReportsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReportsPage, table);
  gtk_widget_class_bind_template_callback (widget_class, parameters_changed_cb);

  gtk_widget_class_install_action (widget_class, "reports.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "reports.export-pdf", NULL, export_pdf_action);
}

static void
motcua_reports_page_init (MotcuaReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (int c = 0; c < N_COLS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (column_title ((Column) c), factory);
      gtk_column_view_column_set_expand (column, c == COL_OFFICE);
      gtk_column_view_append_column (self->table, column);
      g_object_unref (column);
    }
}
