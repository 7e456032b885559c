/* sd-deck-list.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sd-compat.h"
#include "sd-deck.h"
#include "sd-deck-list.h"
#include "sd-deck-options.h"
#include "sd-scheduler.h"

/* Decks in the sidebar. Right-click (or the Menu key) on a deck offers
 * Study, New Subdeck, Rename, Options and Delete; F2 renames, Delete
 * deletes; dragging a deck onto another makes it a subdeck, onto the empty
 * space below the list a top-level deck. Deleting is the window's business
 * (it offers an undo), so it is a signal here. */

struct _SdDeckList
{
  GtkWidget     parent_instance;

  SdCollection *collection;
  gulong        changed_id;
  guint         n_decks;
  GHashTable   *hidden;       /* gint64* decks waiting to be deleted */
  GMenuModel   *menu;

  GtkWidget    *scroller;
  GtkListBox   *list;
};

G_DEFINE_FINAL_TYPE (SdDeckList, sd_deck_list, GTK_TYPE_WIDGET)

enum {
  DECK_ACTIVATED,
  STUDY_REQUESTED,
  DELETE_REQUESTED,
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
  g_object_set_data_full (G_OBJECT (row), "deck-name", g_strdup (deck->full_name), g_free);

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
popup_menu (SdDeckList    *self,
            GtkListBoxRow *row,
            double         x,
            double         y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) first = g_menu_new ();
  g_autoptr(GMenu) second = g_menu_new ();
  GtkWidget *popover;
  gint64 id = row_deck_id (row);
  GVariant *target = g_variant_new_int64 (id);
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  g_variant_ref_sink (target);
  {
    static const struct { const char *label; const char *action; gboolean second; } items[] = {
      { N_("_Study"), "decks.study", FALSE },
      { N_("New _Subdeck…"), "decks.add-subdeck", FALSE },
      { N_("_Rename…"), "decks.rename", FALSE },
      { N_("_Options…"), "decks.options", FALSE },
      { N_("_Browse"), "win.browse-deck", FALSE },
      { N_("S_tatistics"), "win.deck-statistics", FALSE },
      { N_("_Export…"), "win.export-deck", FALSE },
      { N_("_Delete"), "decks.delete", TRUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (items); i++)
      {
        g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), NULL);
        g_menu_item_set_action_and_target_value (item, items[i].action, target);
        g_menu_append_item (items[i].second ? second : first, item);
      }
  }
  g_variant_unref (target);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (first));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (second));

  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, GTK_WIDGET (row));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &rect);
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                SdDeckList      *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
  popup_menu (self, GTK_LIST_BOX_ROW (row), x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 gpointer       user_data)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autofree char *value = g_strdup_printf ("studydeck-deck:%" G_GINT64_FORMAT,
                                            row_deck_id (GTK_LIST_BOX_ROW (row)));

  return gdk_content_provider_new_typed (G_TYPE_STRING, value);
}

static gint64
dragged_deck (const GValue *value)
{
  const char *text = G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;

  if (text == NULL || !g_str_has_prefix (text, "studydeck-deck:"))
    return 0;
  return g_ascii_strtoll (text + strlen ("studydeck-deck:"), NULL, 10);
}

static void
move_deck (SdDeckList *self,
           gint64      deck_id,
           const char *new_parent)
{
  g_autoptr(SdDeck) deck = sd_deck_load (self->collection, deck_id, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (deck == NULL)
    return;
  name = new_parent ? g_strconcat (new_parent, "::", deck->name, NULL) : g_strdup (deck->name);
  if (g_str_equal (name, deck->full_name))
    return;
  if (!sd_deck_rename (self->collection, deck_id, name, &error))
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (error->message));
    }
}

static gboolean
row_drop_cb (GtkDropTarget *target,
             const GValue  *value,
             double         x,
             double         y,
             SdDeckList    *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  gint64 deck_id = dragged_deck (value);

  if (deck_id == 0 || deck_id == row_deck_id (GTK_LIST_BOX_ROW (row)))
    return FALSE;
  move_deck (self, deck_id, g_object_get_data (G_OBJECT (row), "deck-name"));
  return TRUE;
}

static gboolean
list_drop_cb (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              SdDeckList    *self)
{
  gint64 deck_id = dragged_deck (value);

  if (deck_id == 0)
    return FALSE;
  move_deck (self, deck_id, NULL);
  return TRUE;
}

static void
setup_row_controllers (SdDeckList *self,
                       GtkWidget  *row)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), self);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), NULL);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (drop, "drop", G_CALLBACK (row_drop_cb), self);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drop));
}

static void
reload (SdDeckList *self)
{
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GHashTable) hidden_here = g_hash_table_new (g_int64_hash, g_int64_equal);
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

      /* A deck waiting to be deleted hides its subdecks too; parents come
       * before their children in the list. */
      if (g_hash_table_contains (self->hidden, &deck->id)
          || g_hash_table_contains (hidden_here, &deck->parent_id))
        {
          g_hash_table_add (hidden_here, &deck->id);
          continue;
        }

      if (!sd_scheduler_due_counts (self->collection, deck->id, &counts, &error))
        {
          g_warning ("Failed to count due cards of %s: %s", deck->full_name, error->message);
          g_clear_error (&error);
        }
      row = deck_row (deck, &counts);
      setup_row_controllers (self, row);
      gtk_list_box_append (self->list, row);
      if (deck->id == selected)
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
      self->n_decks++;
    }
}

static GtkWindow *
parent_window (SdDeckList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
say (SdDeckList *self,
     const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

typedef struct
{
  SdDeckList *self;
  gint64      deck_id;   /* 0 for a new top-level deck */
  gboolean    rename;
} NameRequest;

static void
named_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree NameRequest *request = user_data;
  g_autoptr(SdDeckList) self = request->self;
  g_autofree char *name = sd_compat_ask_text_finish (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDeck) deck = NULL;
  g_autofree char *full = NULL;

  if (name == NULL || g_strstrip (name)[0] == '\0' || self->collection == NULL)
    return;

  if (request->rename)
    {
      if (!sd_deck_rename (self->collection, request->deck_id, name, &error))
        say (self, error->message);
      return;
    }

  if (request->deck_id != 0)
    {
      deck = sd_deck_load (self->collection, request->deck_id, NULL);
      full = deck ? g_strconcat (deck->full_name, "::", name, NULL) : g_strdup (name);
    }
  else
    full = g_strdup (name);

  if (sd_deck_find (self->collection, full) != 0)
    {
      g_autofree char *text = g_strdup_printf (_("A deck called “%s” already exists"), full);
      say (self, text);
      return;
    }
  if (sd_deck_ensure (self->collection, full, &error) == 0)
    say (self, error->message);
}

static void
ask_name (SdDeckList *self,
          gint64      deck_id,
          gboolean    rename)
{
  NameRequest *request = g_new0 (NameRequest, 1);
  g_autoptr(SdDeck) deck = deck_id ? sd_deck_load (self->collection, deck_id, NULL) : NULL;

  request->self = g_object_ref (self);
  request->deck_id = deck_id;
  request->rename = rename;
  if (rename)
    sd_compat_ask_text (parent_window (self), _("Rename Deck"),
                        _("Use “::” to put it under another deck, as in “Languages::French”."),
                        deck ? deck->full_name : "", _("_Rename"), NULL, named_cb, request);
  else
    sd_compat_ask_text (parent_window (self), deck ? _("New Subdeck") : _("New Deck"),
                        _("Use “::” for a hierarchy, as in “Languages::French”."),
                        "", _("_Create"), NULL, named_cb, request);
}

/**
 * sd_deck_list_new_deck:
 *
 * Asks for the name of a new top-level deck and creates it.
 */
void
sd_deck_list_new_deck (SdDeckList *self)
{
  g_return_if_fail (SD_IS_DECK_LIST (self));

  if (self->collection != NULL)
    ask_name (self, 0, FALSE);
}

static void
study_deck_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_signal_emit (widget, signals[STUDY_REQUESTED], 0, g_variant_get_int64 (parameter));
}

static void
add_subdeck_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ask_name (SD_DECK_LIST (widget), g_variant_get_int64 (parameter), FALSE);
}

static void
rename_deck_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ask_name (SD_DECK_LIST (widget), g_variant_get_int64 (parameter), TRUE);
}

static void
options_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdDeckList *self = SD_DECK_LIST (widget);
  SdDeckOptions *options;

  if (self->collection == NULL)
    return;
  options = sd_deck_options_new (parent_window (self), self->collection,
                                 g_variant_get_int64 (parameter));
  gtk_window_present (GTK_WINDOW (options));
}

static void
delete_deck_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdDeckList *self = SD_DECK_LIST (widget);
  gint64 id = g_variant_get_int64 (parameter);

  if (id == SD_DECK_DEFAULT_ID)
    {
      say (self, _("The Default deck cannot be deleted"));
      return;
    }
  g_signal_emit (self, signals[DELETE_REQUESTED], 0, id);
}

/* Keyboard: F2, Delete and Menu act on the selected deck. */
static void
key_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SdDeckList *self = SD_DECK_LIST (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  const char *what = g_variant_get_string (parameter, NULL);
  gint64 id;

  if (row == NULL)
    return;
  id = row_deck_id (row);
  if (g_str_equal (what, "rename"))
    gtk_widget_activate_action (widget, "decks.rename", "x", id);
  else if (g_str_equal (what, "delete"))
    gtk_widget_activate_action (widget, "decks.delete", "x", id);
  else if (g_str_equal (what, "menu"))
    popup_menu (self, row, 24, gtk_widget_get_height (GTK_WIDGET (row)) / 2.0);
}

/**
 * sd_deck_list_set_hidden:
 *
 * Hides a deck (and its subdecks) while its deletion can still be undone.
 */
void
sd_deck_list_set_hidden (SdDeckList *self,
                         gint64      deck_id,
                         gboolean    hidden)
{
  g_return_if_fail (SD_IS_DECK_LIST (self));

  if (hidden)
    g_hash_table_add (self->hidden, g_memdup2 (&deck_id, sizeof deck_id));
  else
    g_hash_table_remove (self->hidden, &deck_id);
  reload (self);
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

/* Selects the row of @deck_id without activating it. */
void
sd_deck_list_select (SdDeckList *self,
                     gint64      deck_id)
{
  GtkWidget *child;

  g_return_if_fail (SD_IS_DECK_LIST (self));

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && row_deck_id (GTK_LIST_BOX_ROW (child)) == deck_id)
        {
          gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
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
  g_clear_pointer (&self->hidden, g_hash_table_unref);
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

  /**
   * SdDeckList::study-requested:
   * @deck_id: the deck
   *
   * Emitted when the user asks to study a deck from its menu.
   */
  signals[STUDY_REQUESTED] = g_signal_new ("study-requested",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * SdDeckList::delete-requested:
   * @deck_id: the deck
   *
   * Emitted when the user asks to delete a deck; the handler deletes it.
   */
  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested",
                                            G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "decks.study", "x", study_deck_action);
  gtk_widget_class_install_action (widget_class, "decks.add-subdeck", "x", add_subdeck_action);
  gtk_widget_class_install_action (widget_class, "decks.rename", "x", rename_deck_action);
  gtk_widget_class_install_action (widget_class, "decks.options", "x", options_action);
  gtk_widget_class_install_action (widget_class, "decks.delete", "x", delete_deck_action);
  gtk_widget_class_install_action (widget_class, "decks.key", "s", key_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "decks.key", "s", "rename");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "decks.key", "s", "delete");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "decks.key", "s", "menu");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "decks.key", "s", "menu");

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
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hidden = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  /* Dropped below the decks: make it a top-level deck. */
  g_signal_connect (drop, "drop", G_CALLBACK (list_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (drop));
}
