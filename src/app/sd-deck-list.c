/* sd-deck-list.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-deck.h"
#include "sd-deck-list.h"
#include "sd-scheduler.h"

struct _SdDeckList
{
  GtkWidget     parent_instance;

  SdCollection *collection;
  gulong        changed_id;
  guint         n_decks;

  GtkWidget    *scroller;
  GtkListBox   *list;
};

G_DEFINE_FINAL_TYPE (SdDeckList, sd_deck_list, GTK_TYPE_WIDGET)

enum {
  DECK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
count_label (int         count,
             const char *style,
             const char *tooltip)
{
  g_autofree char *text = g_strdup_printf ("%d", count);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "deck-count");
  gtk_widget_add_css_class (label, style);
  gtk_widget_add_css_class (label, "numeric");
  if (count == 0)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_tooltip_text (label, tooltip);
  return label;
}

static GtkWidget *
deck_row (SdDeck            *deck,
          const SdDueCounts *counts)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (deck->name);
  g_autofree char *a11y = NULL;

  gtk_widget_set_margin_start (box, 12 * deck->depth);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count_label (counts->new_count, "new-count",
                                              _("New cards to study today")));
  gtk_box_append (GTK_BOX (box), count_label (counts->learn_count, "learn-count",
                                              _("Cards in learning due today")));
  gtk_box_append (GTK_BOX (box), count_label (counts->review_count, "review-count",
                                              _("Reviews due today")));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "deck-id64", g_memdup2 (&deck->id, sizeof deck->id),
                          g_free);

  a11y = g_strdup_printf (_("%s: %d new, %d learning, %d to review"), deck->full_name,
                          counts->new_count, counts->learn_count, counts->review_count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

static gint64
row_deck_id (GtkListBoxRow *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "deck-id64");
  return id ? *id : 0;
}

static void
reload (SdDeckList *self)
{
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GError) error = NULL;
  gint64 selected = sd_deck_list_get_selected (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_decks = 0;

  if (self->collection == NULL)
    return;

  decks = sd_deck_list (self->collection, &error);
  if (decks == NULL)
    {
      g_warning ("Failed to list decks: %s", error->message);
      return;
    }

  for (guint i = 0; i < decks->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (decks, i);
      SdDueCounts counts = { 0 };
      GtkWidget *row;

      if (!sd_scheduler_due_counts (self->collection, deck->id, &counts, &error))
        {
          g_warning ("Failed to count due cards of %s: %s", deck->full_name, error->message);
          g_clear_error (&error);
        }
      row = deck_row (deck, &counts);
      gtk_list_box_append (self->list, row);
      if (deck->id == selected)
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
      self->n_decks++;
    }
}

static void
row_activated_cb (SdDeckList    *self,
                  GtkListBoxRow *row)
{
  g_signal_emit (self, signals[DECK_ACTIVATED], 0, row_deck_id (row));
}

void
sd_deck_list_set_collection (SdDeckList   *self,
                             SdCollection *collection)
{
  g_return_if_fail (SD_IS_DECK_LIST (self));

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_set_object (&self->collection, collection);
  if (collection != NULL)
    self->changed_id = g_signal_connect_object (collection, "changed", G_CALLBACK (reload),
                                                self, G_CONNECT_SWAPPED);
  reload (self);
}

guint
sd_deck_list_get_n_decks (SdDeckList *self)
{
  g_return_val_if_fail (SD_IS_DECK_LIST (self), 0);

  return self->n_decks;
}

gint64
sd_deck_list_get_selected (SdDeckList *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (SD_IS_DECK_LIST (self), 0);

  row = gtk_list_box_get_selected_row (self->list);
  return row ? row_deck_id (row) : 0;
}

static void
sd_deck_list_dispose (GObject *object)
{
  SdDeckList *self = SD_DECK_LIST (object);

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_DECK_LIST);

  G_OBJECT_CLASS (sd_deck_list_parent_class)->dispose (object);
}

static void
sd_deck_list_class_init (SdDeckListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_deck_list_dispose;

  /**
   * SdDeckList::deck-activated:
   * @deck_id: the deck
   *
   * Emitted when the user opens a deck.
   */
  signals[DECK_ACTIVATED] = g_signal_new ("deck-activated",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-deck-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SdDeckList, scroller);
  gtk_widget_class_bind_template_child (widget_class, SdDeckList, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "decklist");
}

static void
sd_deck_list_init (SdDeckList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
