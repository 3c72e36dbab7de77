/* motcua-report-chart.h: the one-stop report as stacked bars, one per office
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

#define MOTCUA_TYPE_REPORT_CHART (motcua_report_chart_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaReportChart, motcua_report_chart, MOTCUA, REPORT_CHART, GtkWidget)

GtkWidget *motcua_report_chart_new        (void);
void       motcua_report_chart_set_report (MotcuaReportChart *self,
                                           MotcuaReport      *report);

/* Draws @report in (0, 0, @width, @height) with @cr: the widget and the PDF export share it.
 * @dark: light text on a dark background. */
void       motcua_report_chart_draw       (MotcuaReport      *report,
                                           cairo_t           *cr,
                                           double             width,
                                           double             height,
                                           gboolean           dark);
/* The height the chart wants for @report. */
double     motcua_report_chart_height     (MotcuaReport      *report);

G_END_DECLS
