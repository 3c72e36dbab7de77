/* motcua-report-chart.c: the one-stop report as stacked bars, one per office
 *
 * Each office gets a bar of its cases in the period (its own plus the offices below it):
 * resolved early, on time and late, withdrawn, in progress within the deadline and overdue,
 * in the colours the officers read at a glance (GNOME's palette).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "motcua-format.h"
#include "motcua-report-chart.h"

#define BAR_HEIGHT  22.0
#define ROW_HEIGHT  34.0
#define LEGEND      36.0
#define LABEL_WIDTH 230.0

struct _MotcuaReportChart
{
  GtkWidget     parent_instance;

  MotcuaReport *report;
};

G_DEFINE_FINAL_TYPE (MotcuaReportChart, motcua_report_chart, GTK_TYPE_WIDGET)

typedef struct
{
  const char *label;
  double      r, g, b;
} Segment;

#define N_SEGMENTS 7

static void
segments (Segment out[N_SEGMENTS])
{
  /* GNOME palette: green 4, green 2, red 3, light 5, blue 3, orange 4, yellow 3 */
  out[0] = (Segment) { _("Resolved early"), 0x26 / 255., 0xa2 / 255., 0x69 / 255. };
  out[1] = (Segment) { _("On time"), 0x8f / 255., 0xf0 / 255., 0xa4 / 255. };
  out[2] = (Segment) { _("Late"), 0xe0 / 255., 0x1b / 255., 0x24 / 255. };
  out[3] = (Segment) { _("Withdrawn"), 0x9a / 255., 0x99 / 255., 0x96 / 255. };
  out[4] = (Segment) { _("In progress"), 0x35 / 255., 0x84 / 255., 0xe4 / 255. };
  out[5] = (Segment) { _("Overdue"), 0xff / 255., 0x78 / 255., 0x00 / 255. };
  out[6] = (Segment) { _("Awaiting papers"), 0xf6 / 255., 0xd3 / 255., 0x2d / 255. };
}

static void
values (const MotcuaReportFigures *f,
        gint64                     out[N_SEGMENTS])
{
  out[0] = f->resolved_early;
  out[1] = f->resolved_on_time;
  out[2] = f->resolved_late;
  out[3] = f->withdrawn;
  out[4] = f->pending_within;
  out[5] = f->pending_overdue;
  out[6] = f->pending_supplement;
}

static void
show_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      width,
           double      size,
           gboolean    bold,
           PangoAlignment alignment)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int height;

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, NULL, &height);
  cairo_move_to (cr, x, y - (double) height / PANGO_SCALE / 2);
  pango_cairo_show_layout (cr, layout);
}

double
motcua_report_chart_height (MotcuaReport *report)
{
  return LEGEND + (report != NULL ? motcua_report_get_n_rows (report) : 0) * ROW_HEIGHT + 8;
}

void
motcua_report_chart_draw (MotcuaReport *report,
                          cairo_t      *cr,
                          double        width,
                          double        height,
                          gboolean      dark)
{
  Segment segs[N_SEGMENTS];
  gint64 max = 1;
  double fg = dark ? 1.0 : 0.0;
  double label_width = MIN (LABEL_WIDTH, width * 0.35);
  double bar_x = label_width + 12;
  /* Room after the longest bar for its total ("1,000,000"). */
  double bar_width = width - bar_x - 78;
  double x = 0;

  if (report == NULL || bar_width <= 10)
    return;
  segments (segs);

  /* The legend. */
  for (guint i = 0; i < G_N_ELEMENTS (segs); i++)
    {
      cairo_set_source_rgb (cr, segs[i].r, segs[i].g, segs[i].b);
      cairo_rectangle (cr, x, 10, 12, 12);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fg, fg, fg, 0.8);
      show_text (cr, segs[i].label, x + 17, 16, 120, 9, FALSE, PANGO_ALIGN_LEFT);
      x += 130;
    }

  for (guint r = 0; r < motcua_report_get_n_rows (report); r++)
    {
      const MotcuaReportRow *row = motcua_report_get_row (report, r);

      max = MAX (max, row->total.received_total);
    }

  for (guint r = 0; r < motcua_report_get_n_rows (report); r++)
    {
      const MotcuaReportRow *row = motcua_report_get_row (report, r);
      double y = LEGEND + r * ROW_HEIGHT + ROW_HEIGHT / 2;
      double indent = row->depth * 14.0;
      gint64 v[N_SEGMENTS];
      double bx = bar_x;
      g_autofree char *total = motcua_format_count (row->total.received_total);

      cairo_set_source_rgba (cr, fg, fg, fg, 0.85);
      show_text (cr, row->office_name, indent, y, label_width - indent, 10, row->depth == 0,
                 PANGO_ALIGN_LEFT);

      /* The track, then the segments. */
      cairo_set_source_rgba (cr, fg, fg, fg, 0.06);
      cairo_rectangle (cr, bar_x, y - BAR_HEIGHT / 2, bar_width, BAR_HEIGHT);
      cairo_fill (cr);
      values (&row->total, v);
      for (guint i = 0; i < G_N_ELEMENTS (segs); i++)
        {
          double w = bar_width * (double) v[i] / (double) max;

          if (v[i] <= 0)
            continue;
          cairo_set_source_rgb (cr, segs[i].r, segs[i].g, segs[i].b);
          cairo_rectangle (cr, bx, y - BAR_HEIGHT / 2, w, BAR_HEIGHT);
          cairo_fill (cr);
          bx += w;
        }
      cairo_set_source_rgba (cr, fg, fg, fg, 0.85);
      show_text (cr, total, bx + 6, y, 72, 9.5, TRUE, PANGO_ALIGN_LEFT);
    }
}

static void
motcua_report_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  MotcuaReportChart *self = MOTCUA_REPORT_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->report == NULL || width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  motcua_report_chart_draw (self->report, cr, width, height,
                            adw_style_manager_get_dark (adw_style_manager_get_default ()));
  cairo_destroy (cr);
}

static void
motcua_report_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  MotcuaReportChart *self = MOTCUA_REPORT_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 300;
      *natural = 800;
    }
  else
    *minimum = *natural = (int) motcua_report_chart_height (self->report);
}

static void
motcua_report_chart_dispose (GObject *object)
{
  MotcuaReportChart *self = MOTCUA_REPORT_CHART (object);

  g_clear_pointer (&self->report, motcua_report_unref);

  G_OBJECT_CLASS (motcua_report_chart_parent_class)->dispose (object);
}

static void
motcua_report_chart_class_init (MotcuaReportChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_report_chart_dispose;
  widget_class->snapshot = motcua_report_chart_snapshot;
  widget_class->measure = motcua_report_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "reportchart");
}

static void
motcua_report_chart_init (MotcuaReportChart *self)
{
}

GtkWidget *
motcua_report_chart_new (void)
{
  return g_object_new (MOTCUA_TYPE_REPORT_CHART, NULL);
}

void
motcua_report_chart_set_report (MotcuaReportChart *self,
                                MotcuaReport      *report)
{
  g_return_if_fail (MOTCUA_IS_REPORT_CHART (self));

  g_clear_pointer (&self->report, motcua_report_unref);
  if (report != NULL)
    self->report = motcua_report_ref (report);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
