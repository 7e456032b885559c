/* sd-stats-window.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-stats-view.h"
#include "sd-stats-window.h"

/* The statistics of one deck or of all of them, in a window of their own so
 * they can stay open beside the review. */
struct _SdStatsWindow
{
  AdwWindow       parent_instance;

  SdStatsView    *view;
};

G_DEFINE_FINAL_TYPE (SdStatsWindow, sd_stats_window, ADW_TYPE_WINDOW)

static void
sd_stats_window_class_init (SdStatsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
sd_stats_window_init (SdStatsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  /* The page has its own title and deck choice below a flat bar. */
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));
  gtk_widget_add_css_class (header, "flat");

  self->view = SD_STATS_VIEW (sd_stats_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->view), TRUE);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->view));
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_title (GTK_WINDOW (self), _("Statistics"));
  gtk_window_set_default_size (GTK_WINDOW (self), 960, 820);
}

/**
 * sd_stats_window_new:
 * @deck_id: the deck to show, with its subdecks; 0 for the whole collection
 */
SdStatsWindow *
sd_stats_window_new (GtkWindow    *parent,
                     SdCollection *collection,
                     gint64        deck_id)
{
  SdStatsWindow *self;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);

  self = g_object_new (SD_TYPE_STATS_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  sd_stats_view_set_collection (self->view, collection);
  sd_stats_view_set_deck (self->view, deck_id);
  return self;
}

gint64
sd_stats_window_get_deck (SdStatsWindow *self)
{
  g_return_val_if_fail (SD_IS_STATS_WINDOW (self), 0);

  return sd_stats_view_get_deck (self->view);
}

void
sd_stats_window_set_deck (SdStatsWindow *self,
                          gint64         deck_id)
{
  g_return_if_fail (SD_IS_STATS_WINDOW (self));

  sd_stats_view_set_deck (self->view, deck_id);
}

GtkWidget *
sd_stats_window_get_view (SdStatsWindow *self)
{
  g_return_val_if_fail (SD_IS_STATS_WINDOW (self), NULL);

  return GTK_WIDGET (self->view);
}
