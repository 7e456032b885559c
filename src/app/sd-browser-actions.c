/* sd-browser-actions.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sd-browser-window-private.h"
#include "sd-card.h"
#include "sd-compat.h"
#include "sd-deck.h"

/* The browser's bulk actions on the selected cards, the dialogs that ask
 * for what they need, and their undo. Every action returns an undo record;
 * the records stack up (Ctrl+Z takes the last one back) until something
 * else changes the collection, since a record puts back whole rows and
 * would then undo that change too. */

#define MAX_UNDO 30

/* ---- undo ---------------------------------------------------------------- */

static void
undo_toast_dismissed_cb (AdwToast        *toast,
                         SdBrowserWindow *self)
{
  if (self->undo_toast == toast)
    self->undo_toast = NULL;
}

void
_sd_browser_window_dismiss_undo_toast (SdBrowserWindow *self)
{
  AdwToast *toast = g_steal_pointer (&self->undo_toast);

  if (toast != NULL)
    adw_toast_dismiss (toast);
}

void
_sd_browser_window_update_undo_action (SdBrowserWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.undo", self->undo->len > 0);
}

void
_sd_browser_window_clear_undo (SdBrowserWindow *self)
{
  _sd_browser_window_dismiss_undo_toast (self);
  g_ptr_array_set_size (self->undo, 0);
  _sd_browser_window_update_undo_action (self);
}

static void
push_undo (SdBrowserWindow *self,
           SdBrowseUndo    *undo,
           const char      *message)
{
  AdwToast *toast;

  if (self->undo->len >= MAX_UNDO)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_add (self->undo, undo);
  _sd_browser_window_update_undo_action (self);

  /* One Undo button at a time, and it takes back the newest action. */
  _sd_browser_window_dismiss_undo_toast (self);
  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "browser.undo");
  adw_toast_set_timeout (toast, 8);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self, 0);
  self->undo_toast = toast;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* After a bulk action: its undo record goes on the stack with a toast
 * that says what it did (@message, taken), or its error is shown; the
 * list shows the cards as they are now. */
static void
finish_action (SdBrowserWindow *self,
               SdBrowseUndo    *undo,
               GError          *error,
               char            *message)
{
  g_autofree char *text = message;

  self->acting = FALSE;
  if (undo == NULL)
    {
      _sd_browser_window_toast (self, error != NULL ? error->message : _("The change could not be made"));
      return;
    }
  push_undo (self, undo, text);
  _sd_browser_window_refresh (self);
}

void
_sd_browser_window_undo_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdBrowseUndo) undo = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  if (self->undo->len == 0)
    return;
  undo = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  _sd_browser_window_dismiss_undo_toast (self);
  _sd_browser_window_update_undo_action (self);

  self->acting = TRUE;
  ok = sd_browse_undo (self->collection, undo, &error);
  self->acting = FALSE;
  if (!ok)
    {
      _sd_browser_window_toast (self, error->message);
      return;
    }
  /* Translators: %s names the action, e.g. "Change Deck". */
  text = g_strdup_printf (_("Undid “%s”"), sd_browse_undo_get_label (undo));
  _sd_browser_window_toast (self, text);
  _sd_browser_window_refresh (self);
}

/* ---- bulk actions -------------------------------------------------------- */

static GArray *
cards_for_action (SdBrowserWindow *self)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = _sd_browser_window_selected_card_ids (self, &error);

  if (ids == NULL)
    _sd_browser_window_toast (self, error->message);
  else if (ids->len == 0)
    g_clear_pointer (&ids, g_array_unref);
  return ids;
}

static void
set_deck (SdBrowserWindow *self,
          GArray          *ids,
          const char      *deck_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (deck_name));
  SdBrowseUndo *undo = NULL;
  gint64 deck_id;
  guint n;

  self->acting = TRUE;
  deck_id = sd_deck_find (self->collection, name);
  if (deck_id == 0)
    deck_id = sd_deck_ensure (self->collection, name, &error);
  if (deck_id > 0)
    undo = sd_browse_set_deck (self->collection, (const gint64 *) ids->data, ids->len, deck_id,
                               &error);
  n = undo != NULL ? sd_browse_undo_get_n_cards (undo) : 0;
  finish_action (self, undo, error,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved %u card to “%s”",
                                               "Moved %u cards to “%s”", n),
                                  n, name));
}

static void
change_tags (SdBrowserWindow *self,
             GArray          *ids,
             const char      *tags,
             gboolean         add)
{
  g_autoptr(GError) error = NULL;
  SdBrowseUndo *undo;
  guint n;

  self->acting = TRUE;
  undo = add ? sd_browse_add_tags (self->collection, (const gint64 *) ids->data, ids->len, tags,
                                   &error)
             : sd_browse_remove_tags (self->collection, (const gint64 *) ids->data, ids->len,
                                      tags, &error);
  n = undo != NULL ? sd_browse_undo_get_n_notes (undo) : 0;
  finish_action (self, undo, error,
                 g_strdup_printf (add ? g_dngettext (GETTEXT_PACKAGE, "Added tags to %u note",
                                                     "Added tags to %u notes", n)
                                      : g_dngettext (GETTEXT_PACKAGE, "Removed tags from %u note",
                                                     "Removed tags from %u notes", n),
                                  n));
}

static void
set_due_date (SdBrowserWindow *self,
              GArray          *ids,
              const char      *days)
{
  g_autoptr(GError) error = NULL;
  SdBrowseUndo *undo;
  guint n;

  self->acting = TRUE;
  undo = sd_browse_set_due_date (self->collection, (const gint64 *) ids->data, ids->len, days,
                                 &error);
  if (undo != NULL)
    {
      g_free (self->last_due);
      self->last_due = g_strdup (days);
    }
  n = undo != NULL ? sd_browse_undo_get_n_cards (undo) : 0;
  finish_action (self, undo, error,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rescheduled %u card",
                                               "Rescheduled %u cards", n),
                                  n));
}

static void
forget (SdBrowserWindow     *self,
        GArray              *ids,
        SdBrowseForgetFlags  flags)
{
  g_autoptr(GError) error = NULL;
  SdBrowseUndo *undo;
  guint n;

  self->acting = TRUE;
  undo = sd_browse_forget (self->collection, (const gint64 *) ids->data, ids->len, flags, &error);
  n = undo != NULL ? sd_browse_undo_get_n_cards (undo) : 0;
  finish_action (self, undo, error,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reset %u card to new",
                                               "Reset %u cards to new", n),
                                  n));
}

static void
delete_cards (SdBrowserWindow *self,
              GArray          *ids)
{
  g_autoptr(GError) error = NULL;
  SdBrowseUndo *undo;
  guint n;

  self->acting = TRUE;
  undo = sd_browse_delete_cards (self->collection, (const gint64 *) ids->data, ids->len, &error);
  n = undo != NULL ? sd_browse_undo_get_n_cards (undo) : 0;
  finish_action (self, undo, error,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %u card",
                                               "Deleted %u cards", n),
                                  n));
}

void
_sd_browser_window_toggle_suspend_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GArray) ids = cards_for_action (self);
  g_autoptr(SdBrowserItem) first = _sd_browser_window_first_selected_item (self);
  g_autoptr(GError) error = NULL;
  const SdBrowseRow *row = first != NULL ? sd_browser_item_get_row (first) : NULL;
  gboolean suspend = row == NULL || row->queue != SD_QUEUE_SUSPENDED;
  SdBrowseUndo *undo;
  guint n;

  if (ids == NULL)
    return;
  self->acting = TRUE;
  undo = sd_browse_set_suspended (self->collection, (const gint64 *) ids->data, ids->len,
                                  suspend, &error);
  n = undo != NULL ? sd_browse_undo_get_n_cards (undo) : 0;
  finish_action (self, undo, error,
                 g_strdup_printf (suspend ? g_dngettext (GETTEXT_PACKAGE, "Suspended %u card",
                                                         "Suspended %u cards", n)
                                          : g_dngettext (GETTEXT_PACKAGE, "Unsuspended %u card",
                                                         "Unsuspended %u cards", n),
                                  n));
}

/* Ctrl+1 to Ctrl+7: a second press of the flag the first selected card
 * already has takes it off again, as in Anki. */
void
_sd_browser_window_toggle_flag_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GArray) ids = cards_for_action (self);
  g_autoptr(SdBrowserItem) first = _sd_browser_window_first_selected_item (self);
  g_autoptr(GError) error = NULL;
  const SdBrowseRow *row = first != NULL ? sd_browser_item_get_row (first) : NULL;
  int flag = g_variant_get_int32 (parameter);
  SdBrowseUndo *undo;
  guint n;

  if (ids == NULL || flag < 0 || flag > 7)
    return;
  if (row != NULL && flag != 0 && row->flags == flag)
    flag = 0;
  self->acting = TRUE;
  undo = sd_browse_set_flag (self->collection, (const gint64 *) ids->data, ids->len, flag, &error);
  n = undo != NULL ? sd_browse_undo_get_n_cards (undo) : 0;
  finish_action (self, undo, error,
                 g_strdup_printf (flag != 0 ? g_dngettext (GETTEXT_PACKAGE, "Flagged %u card",
                                                           "Flagged %u cards", n)
                                            : g_dngettext (GETTEXT_PACKAGE,
                                                           "Took the flag off %u card",
                                                           "Took the flag off %u cards", n),
                                  n));
}

/* ---- dialogs ------------------------------------------------------------- */

/* What a dialog acts on: the cards selected when it opened. */
typedef struct
{
  SdBrowserWindow *self;
  GArray          *ids;
  GPtrArray       *decks;      /* the deck chooser's SdDeck */
  GtkListBox      *list;
  GtkEditable     *entry;
  GtkCheckButton  *restore;
  GtkCheckButton  *reset_counts;
  gboolean         filling;
} Pending;

static Pending *
pending_new (SdBrowserWindow *self,
             GArray          *ids)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = g_object_ref (self);
  pending->ids = g_array_ref (ids);
  return pending;
}

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->self);
  g_clear_pointer (&pending->ids, g_array_unref);
  g_clear_pointer (&pending->decks, g_ptr_array_unref);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static const char *
deck_name_of_row (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "sd-deck-name");
}

static gboolean
deck_filter (GtkListBoxRow *row,
             gpointer       user_data)
{
  Pending *pending = user_data;
  g_autofree char *wanted = g_utf8_casefold (gtk_editable_get_text (pending->entry), -1);
  g_autofree char *name = g_utf8_casefold (deck_name_of_row (row), -1);

  g_strstrip (wanted);
  return wanted[0] == '\0' || strstr (name, wanted) != NULL;
}

static void
deck_entry_changed_cb (GtkEditable *entry,
                       Pending     *pending)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_root (GTK_WIDGET (entry)));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (pending->filling)
    return;
  gtk_list_box_unselect_all (pending->list);
  gtk_list_box_invalidate_filter (pending->list);
  adw_message_dialog_set_response_enabled (dialog, "move", text[0] != '\0');
  if (text[0] != '\0' && sd_deck_find (pending->self->collection, text) == 0)
    adw_message_dialog_set_response_label (dialog, "move", _("_Create and Move"));
  else
    adw_message_dialog_set_response_label (dialog, "move", _("_Move"));
}

static void
deck_row_selected_cb (GtkListBox    *list,
                      GtkListBoxRow *row,
                      Pending       *pending)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_root (GTK_WIDGET (list)));

  if (row == NULL)
    return;
  /* The chosen deck's full name goes in the entry, which keeps it listed. */
  pending->filling = TRUE;
  gtk_editable_set_text (pending->entry, deck_name_of_row (row));
  gtk_editable_set_position (pending->entry, -1);
  pending->filling = FALSE;
  adw_message_dialog_set_response_enabled (dialog, "move", TRUE);
  adw_message_dialog_set_response_label (dialog, "move", _("_Move"));
}

static void
deck_row_activated_cb (GtkListBox    *list,
                       GtkListBoxRow *row,
                       Pending       *pending)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_root (GTK_WIDGET (list)));

  deck_row_selected_cb (list, row, pending);
  adw_message_dialog_response (dialog, "move");
}

static void
deck_entry_activate_cb (GtkEditable *entry,
                        Pending     *pending)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_root (GTK_WIDGET (entry)));

  if (adw_message_dialog_get_response_enabled (dialog, "move"))
    adw_message_dialog_response (dialog, "move");
}

static void
deck_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  g_autoptr(Pending) pending = user_data;

  /* Closing the dialog would answer once more. */
  g_signal_handlers_disconnect_by_func (dialog, deck_response_cb, user_data);
  if (g_strcmp0 (response, "move") == 0)
    {
      g_autofree char *name = g_strdup (gtk_editable_get_text (pending->entry));
      set_deck (pending->self, pending->ids, name);
    }
  gtk_window_close (GTK_WINDOW (dialog));
}

void
_sd_browser_window_change_deck_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GArray) ids = cards_for_action (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  Pending *pending;
  GtkWidget *dialog, *box, *entry, *scroller, *list;

  if (ids == NULL)
    return;
  pending = pending_new (self, ids);
  pending->decks = sd_deck_list (self->collection, &error);
  if (pending->decks == NULL)
    {
      _sd_browser_window_toast (self, error->message);
      pending_free (pending);
      return;
    }

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Move %u Card", "Move %u Cards",
                                          ids->len),
                             ids->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Choose a deck, or type the name of a new one."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  entry = gtk_search_entry_new ();
  g_object_set (entry, "placeholder-text", _("Deck name"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Deck name"), -1);
  gtk_box_append (GTK_BOX (box), entry);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_SINGLE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  for (guint i = 0; i < pending->decks->len; i++)
    {
      SdDeck *deck = pending->decks->pdata[i];
      GtkWidget *label = gtk_label_new (deck->full_name);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data (G_OBJECT (row), "sd-deck-name", deck->full_name);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 220);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_box_append (GTK_BOX (box), scroller);

  pending->list = GTK_LIST_BOX (list);
  pending->entry = GTK_EDITABLE (entry);
  gtk_list_box_set_filter_func (GTK_LIST_BOX (list), deck_filter, pending, NULL);
  g_signal_connect (entry, "changed", G_CALLBACK (deck_entry_changed_cb), pending);
  g_signal_connect (entry, "activate", G_CALLBACK (deck_entry_activate_cb), pending);
  g_signal_connect (list, "row-selected", G_CALLBACK (deck_row_selected_cb), pending);
  g_signal_connect (list, "row-activated", G_CALLBACK (deck_row_activated_cb), pending);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "move", _("_Move"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "move");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (deck_response_cb), pending);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
tags_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data,
              gboolean      add)
{
  g_autoptr(Pending) pending = user_data;
  g_autofree char *tags = sd_compat_ask_text_finish (result);

  if (tags != NULL)
    change_tags (pending->self, pending->ids, tags, add);
}

static void
add_tags_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  tags_done_cb (source, result, user_data, TRUE);
}

static void
remove_tags_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  tags_done_cb (source, result, user_data, FALSE);
}

void
_sd_browser_window_tags_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GArray) ids = cards_for_action (self);
  gboolean add = g_str_equal (action_name, "browser.add-tags");

  if (ids == NULL)
    return;
  sd_compat_ask_text (GTK_WINDOW (self),
                      add ? _("Add Tags") : _("Remove Tags"),
                      add ? _("Separate tags with spaces. “::” makes a child tag, as in "
                              "“lang::fr”.")
                          : _("Separate tags with spaces. Removing a tag removes its "
                              "child tags too."),
                      "", add ? _("_Add") : _("_Remove"),
                      self->cancellable,
                      add ? add_tags_done_cb : remove_tags_done_cb,
                      pending_new (self, ids));
}

static void
due_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autofree char *days = sd_compat_ask_text_finish (result);

  if (days != NULL)
    set_due_date (pending->self, pending->ids, g_strstrip (days));
}

void
_sd_browser_window_set_due_date_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GArray) ids = cards_for_action (self);

  if (ids == NULL)
    return;
  sd_compat_ask_text (GTK_WINDOW (self), _("Set Due Date"),
                      _("Days from today: 0 is today, 1 tomorrow, and 3-7 a day between 3 and 7 "
                        "days away, picked at random. Add “!” to set the interval to that "
                        "distance too, as in 1!."),
                      self->last_due != NULL ? self->last_due : "0",
                      _("_Set"), self->cancellable, due_done_cb, pending_new (self, ids));
}

static void
forget_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(Pending) pending = user_data;

  g_signal_handlers_disconnect_by_func (dialog, forget_response_cb, user_data);
  if (g_strcmp0 (response, "forget") == 0)
    {
      SdBrowseForgetFlags flags = SD_BROWSE_FORGET_DEFAULT;

      if (gtk_check_button_get_active (pending->restore))
        flags |= SD_BROWSE_FORGET_RESTORE_POSITION;
      if (gtk_check_button_get_active (pending->reset_counts))
        flags |= SD_BROWSE_FORGET_RESET_COUNTS;
      forget (pending->self, pending->ids, flags);
    }
  gtk_window_close (GTK_WINDOW (dialog));
}

void
_sd_browser_window_forget_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GArray) ids = cards_for_action (self);
  g_autofree char *heading = NULL;
  Pending *pending;
  GtkWidget *dialog, *box, *restore, *reset;

  if (ids == NULL)
    return;
  pending = pending_new (self, ids);
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Forget %u Card?", "Forget %u Cards?",
                                          ids->len),
                             ids->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("They become new cards again and lose what their schedule "
                                     "knew; their review history stays."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  restore = gtk_check_button_new_with_mnemonic (_("Put them back in their _original new "
                                                  "position"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (restore), TRUE);
  reset = gtk_check_button_new_with_mnemonic (_("Reset the _review and lapse counts"));
  gtk_box_append (GTK_BOX (box), restore);
  gtk_box_append (GTK_BOX (box), reset);
  pending->restore = GTK_CHECK_BUTTON (restore);
  pending->reset_counts = GTK_CHECK_BUTTON (reset);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "forget", _("_Forget"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "forget",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (forget_response_cb), pending);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;

  if (sd_compat_confirm_finish (result))
    delete_cards (pending->self, pending->ids);
}

void
_sd_browser_window_delete_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GArray) ids = cards_for_action (self);
  g_autofree char *heading = NULL;

  if (ids == NULL)
    return;
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u Card?", "Delete %u Cards?",
                                          ids->len),
                             ids->len);
  sd_compat_confirm (GTK_WINDOW (self), heading,
                     _("Their review history goes too, and so does each note left without "
                       "cards."),
                     _("_Delete"), TRUE, self->cancellable, delete_done_cb,
                     pending_new (self, ids));
}
