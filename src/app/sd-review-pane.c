/* sd-review-pane.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-deck.h"
#include "sd-review-pane.h"
#include "sd-scheduler.h"

struct _SdReviewPane
{
  GtkWidget      parent_instance;

  SdCollection  *collection;
  gulong         changed_id;
  gint64         deck_id;

  GtkStack      *stack;
  AdwStatusPage *overview_page;
  AdwStatusPage *error_page;
  GtkLabel      *new_label;
  GtkLabel      *learn_label;
  GtkLabel      *review_label;
};

G_DEFINE_FINAL_TYPE (SdReviewPane, sd_review_pane, GTK_TYPE_WIDGET)

static void
set_count (GtkLabel *label,
           int       count)
{
  g_autofree char *text = g_strdup_printf ("%d", count);
  gtk_label_set_text (label, text);
}

static void
refresh (SdReviewPane *self)
{
  g_autoptr(SdDeck) deck = NULL;
  g_autoptr(GError) error = NULL;
  SdDueCounts counts = { 0 };

  if (self->collection == NULL || self->deck_id == 0)
    return;

  deck = sd_deck_load (self->collection, self->deck_id, &error);
  if (deck == NULL || !sd_scheduler_due_counts (self->collection, self->deck_id, &counts, &error))
    {
      /* The deck went away (deleted or merged); fall back to the empty state. */
      self->deck_id = 0;
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  adw_status_page_set_title (self->overview_page, deck->full_name);
  if (counts.new_count + counts.learn_count + counts.review_count == 0)
    adw_status_page_set_description (self->overview_page,
                                     _("Nothing is due in this deck today."));
  else
    adw_status_page_set_description (self->overview_page, _("Due today"));
  set_count (self->new_label, counts.new_count);
  set_count (self->learn_label, counts.learn_count);
  set_count (self->review_label, counts.review_count);
  gtk_stack_set_visible_child_name (self->stack, "overview");
}

void
sd_review_pane_set_collection (SdReviewPane *self,
                               SdCollection *collection)
{
  g_return_if_fail (SD_IS_REVIEW_PANE (self));

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_set_object (&self->collection, collection);
  if (collection != NULL)
    self->changed_id = g_signal_connect_object (collection, "changed", G_CALLBACK (refresh),
                                                self, G_CONNECT_SWAPPED);
  refresh (self);
}

void
sd_review_pane_show_deck (SdReviewPane *self,
                          gint64        deck_id)
{
  g_return_if_fail (SD_IS_REVIEW_PANE (self));

  self->deck_id = deck_id;
  refresh (self);
}

void
sd_review_pane_show_error (SdReviewPane *self,
                           const char   *message)
{
  g_return_if_fail (SD_IS_REVIEW_PANE (self));

  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

const char *
sd_review_pane_get_page (SdReviewPane *self)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
sd_review_pane_dispose (GObject *object)
{
  SdReviewPane *self = SD_REVIEW_PANE (object);

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_REVIEW_PANE);

  G_OBJECT_CLASS (sd_review_pane_parent_class)->dispose (object);
}

static void
sd_review_pane_class_init (SdReviewPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_review_pane_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-review-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, overview_page);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, error_page);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, new_label);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, learn_label);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, review_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_review_pane_init (SdReviewPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
