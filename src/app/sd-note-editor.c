/* sd-note-editor.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-card.h"
#include "sd-card-render.h"
#include "sd-card-view.h"
#include "sd-deck.h"
#include "sd-media.h"
#include "sd-note.h"
#include "sd-note-editor.h"
#include "sd-notetype.h"

/* Adds a note of any note type, or edits one: its fields by name (their
 * HTML), the deck, tags with completion, and a live preview of every card
 * the note makes, drawn like in review. Images pasted into a field or
 * dropped on it go to the media folder. Ctrl+Enter adds or saves. */

struct _SdNoteEditor
{
  AdwWindow        parent_instance;

  SdCollection    *collection;
  SdNote          *note;          /* the note being edited, NULL when adding */
  GPtrArray       *notetypes;     /* SdNotetype */
  SdNotetype      *notetype;      /* borrowed from notetypes */
  GPtrArray       *decks;         /* SdDeck */
  GPtrArray       *field_views;   /* GtkTextView, one per field */
  GArray          *ords;          /* the cards the note makes now */
  guint            preview_id;
  guint            n_added;

  AdwToastOverlay *toast_overlay;
  GtkWidget       *save_button;
  GtkWidget       *notetype_label;
  GtkDropDown     *notetype_dropdown;
  GtkDropDown     *deck_dropdown;
  GtkBox          *fields_box;
  GtkEntry        *tags_entry;
  GtkDropDown     *card_dropdown;
  GtkToggleButton *back_toggle;
  GtkWidget       *no_cards_label;
  SdCardView      *preview;
};

G_DEFINE_FINAL_TYPE (SdNoteEditor, sd_note_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (SdNoteEditor *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GStrv
current_fields (SdNoteEditor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->field_views->len; i++)
    {
      g_autofree char *text = view_text (g_ptr_array_index (self->field_views, i));
      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

static const char *
current_deck_name (SdNoteEditor *self)
{
  guint i = gtk_drop_down_get_selected (self->deck_dropdown);

  if (self->decks == NULL || i >= self->decks->len)
    return NULL;
  return ((SdDeck *) g_ptr_array_index (self->decks, i))->full_name;
}

/* ---- preview ------------------------------------------------------------ */

static void changed_cb (SdNoteEditor *self);

static gboolean
update_preview_cb (gpointer user_data)
{
  SdNoteEditor *self = user_data;
  g_auto(GStrv) fields = current_fields (self);
  g_autoptr(SdNote) probe = NULL;
  g_autoptr(SdRenderedCard) card = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = gtk_drop_down_get_selected (self->card_dropdown);
  gboolean had_cards;
  int ord;

  self->preview_id = 0;
  if (self->notetype == NULL)
    return G_SOURCE_REMOVE;

  probe = sd_note_new (self->notetype->id, (const char * const *) fields);
  had_cards = self->ords != NULL && self->ords->len > 0;
  g_clear_pointer (&self->ords, g_array_unref);
  self->ords = sd_card_ords_for_note (self->notetype, probe);

  /* A note with nothing to show on a front still gets its first card; the
   * preview says what is missing instead of showing an empty card. */
  if (self->notetype->kind == SD_NOTETYPE_STANDARD)
    {
      gboolean any = FALSE;
      for (guint i = 0; fields[i] != NULL && !any; i++)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (fields[i]));
          any = trimmed[0] != '\0';
        }
      if (!any)
        g_array_set_size (self->ords, 0);
    }

  for (guint i = 0; i < self->ords->len; i++)
    {
      guint o = g_array_index (self->ords, guint, i);
      g_autofree char *name = NULL;

      if (self->notetype->kind == SD_NOTETYPE_CLOZE)
        name = g_strdup_printf (_("Cloze %u"), o + 1);
      else
        name = g_strdup (((SdCardTemplate *) g_ptr_array_index (self->notetype->templates, o))->name);
      gtk_string_list_append (names, name);
    }

  /* Replacing the card list must not ask for another preview. */
  g_signal_handlers_block_by_func (self->card_dropdown, changed_cb, self);
  gtk_drop_down_set_model (self->card_dropdown, G_LIST_MODEL (names));
  if (had_cards && selected < self->ords->len)
    gtk_drop_down_set_selected (self->card_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->card_dropdown, changed_cb, self);

  gtk_widget_set_visible (self->no_cards_label, self->ords->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->preview), self->ords->len > 0);
  if (self->ords->len == 0)
    return G_SOURCE_REMOVE;

  ord = (int) g_array_index (self->ords, guint,
                             MIN (gtk_drop_down_get_selected (self->card_dropdown),
                                  self->ords->len - 1));
  {
    g_autofree char *tags = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tags_entry)));
    card = sd_card_render_preview (self->notetype, (const char * const *) fields, tags,
                                   current_deck_name (self), ord);
  }
  sd_card_view_set_card (self->preview,
                         gtk_toggle_button_get_active (self->back_toggle) ? card->answer
                                                                          : card->question,
                         card->css, sd_collection_get_media_dir (self->collection));
  return G_SOURCE_REMOVE;
}

static void
changed_cb (SdNoteEditor *self)
{
  if (self->preview_id == 0)
    self->preview_id = g_timeout_add (150, update_preview_cb, self);
}

/* ---- images into fields ------------------------------------------------- */

static void
insert_image (SdNoteEditor *self,
              GtkTextView  *view,
              const char   *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *tag = g_strdup_printf ("<img src=\"%s\">", escaped);

  gtk_text_buffer_insert_at_cursor (buffer, tag, -1);
}

static void
texture_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkTextView) view = user_data;
  SdNoteEditor *self = SD_NOTE_EDITOR (gtk_widget_get_root (GTK_WIDGET (view)));
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source),
                                                                     result, &error);
  g_autoptr(GBytes) png = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *name = NULL;
  g_autofree char *stored = NULL;

  if (texture == NULL || !SD_IS_NOTE_EDITOR (self))
    return;
  png = gdk_texture_save_to_png_bytes (texture);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, png);
  name = g_strdup_printf ("pasted-%.12s.png", sha);
  stored = sd_media_add_bytes (self->collection, name, png, NULL, &error);
  if (stored == NULL)
    {
      toast (self, error->message);
      return;
    }
  insert_image (self, view, stored);
}

static void
paste_cb (GtkTextView  *view,
          SdNoteEditor *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (!gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE)
      || gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    return;

  g_signal_stop_emission_by_name (view, "paste-clipboard");
  gdk_clipboard_read_texture_async (clipboard, NULL, texture_read_cb, g_object_ref (view));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SdNoteEditor  *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target)));
  GSList *files = g_value_get_boxed (value);
  gboolean any = FALSE;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;

      if (path == NULL)
        continue;
      name = sd_media_add_file (self->collection, path, &error);
      if (name == NULL)
        {
          toast (self, error->message);
          continue;
        }
      insert_image (self, view, name);
      any = TRUE;
    }
  return any;
}

/* ---- fields ------------------------------------------------------------- */

static void
build_fields (SdNoteEditor *self,
              const char * const *values)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box))) != NULL)
    gtk_box_remove (self->fields_box, child);
  g_ptr_array_set_size (self->field_views, 0);

  for (guint i = 0; i < self->notetype->fields->len; i++)
    {
      const SdField *field = g_ptr_array_index (self->notetype->fields, i);
      GtkWidget *label = gtk_label_new (field->name);
      GtkWidget *frame = gtk_frame_new (NULL);
      GtkWidget *view = gtk_text_view_new ();
      GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
      gtk_widget_set_size_request (view, -1, 64);
      if (field->rtl)
        gtk_widget_set_direction (view, GTK_TEXT_DIR_RTL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      field->name, -1);
      if (values != NULL && values[i] != NULL)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), values[i], -1);
      g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                                G_CALLBACK (changed_cb), self);
      g_signal_connect (view, "paste-clipboard", G_CALLBACK (paste_cb), self);
      g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
      gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (drop));

      gtk_frame_set_child (GTK_FRAME (frame), view);
      gtk_widget_add_css_class (frame, "view");
      gtk_box_append (self->fields_box, label);
      gtk_box_append (self->fields_box, frame);
      g_ptr_array_add (self->field_views, view);
    }
  changed_cb (self);
}

static void
notetype_changed_cb (SdNoteEditor *self)
{
  guint i = gtk_drop_down_get_selected (self->notetype_dropdown);
  g_auto(GStrv) keep = NULL;

  if (self->notetypes == NULL || i >= self->notetypes->len || self->note != NULL)
    return;

  /* Field text carries over by position, as far as it goes. */
  if (self->field_views->len > 0)
    keep = current_fields (self);
  self->notetype = g_ptr_array_index (self->notetypes, i);
  build_fields (self, (const char * const *) keep);
}

/* ---- saving ------------------------------------------------------------- */

static gboolean
save (SdNoteEditor  *self,
      GError       **error)
{
  g_auto(GStrv) fields = current_fields (self);
  g_auto(GStrv) tags = sd_note_split_tags (gtk_editable_get_text (GTK_EDITABLE (self->tags_entry)));
  g_autofree char *first = g_strstrip (g_strdup (fields[0] ? fields[0] : ""));
  guint deck_index = gtk_drop_down_get_selected (self->deck_dropdown);
  gint64 deck_id;
  gint64 note_id;

  if (first[0] == '\0')
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("The first field, “%s”, is empty"),
                   ((SdField *) g_ptr_array_index (self->notetype->fields, 0))->name);
      return FALSE;
    }

  deck_id = self->decks != NULL && deck_index < self->decks->len
            ? ((SdDeck *) g_ptr_array_index (self->decks, deck_index))->id : SD_DECK_DEFAULT_ID;

  if (!sd_collection_begin (self->collection, error))
    return FALSE;

  if (self->note == NULL)
    {
      g_autoptr(SdNote) note = sd_note_new (self->notetype->id, (const char * const *) fields);

      g_strfreev (note->tags);
      note->tags = g_steal_pointer (&tags);
      if (!sd_note_insert (self->collection, note, error)
          || !sd_card_generate (self->collection, note, deck_id, NULL, error))
        goto fail;
      note_id = note->id;
    }
  else
    {
      /* Existing cards keep their decks; cards the edit adds go to the deck
       * of the note's first card. */
      g_autoptr(GPtrArray) cards = sd_card_list_for_note (self->collection, self->note->id, NULL);

      g_strfreev (self->note->fields);
      self->note->fields = g_steal_pointer (&fields);
      g_strfreev (self->note->tags);
      self->note->tags = g_steal_pointer (&tags);
      if (cards != NULL && cards->len > 0)
        deck_id = ((SdCard *) g_ptr_array_index (cards, 0))->deck_id;
      if (!sd_note_update (self->collection, self->note, error)
          || !sd_card_generate (self->collection, self->note, deck_id, NULL, error))
        goto fail;
      note_id = self->note->id;
    }

  if (!sd_collection_commit (self->collection, error))
    return FALSE;
  g_signal_emit (self, signals[SAVED], 0, note_id);
  return TRUE;

fail:
  sd_collection_rollback (self->collection);
  return FALSE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdNoteEditor *self = SD_NOTE_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (!save (self, &error))
    {
      toast (self, error->message);
      return;
    }

  if (self->note != NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* Ready for the next note: sticky fields keep their text, as in Anki. */
  self->n_added++;
  for (guint i = 0; i < self->field_views->len; i++)
    {
      const SdField *field = g_ptr_array_index (self->notetype->fields, i);
      if (!field->sticky)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (g_ptr_array_index (self->field_views, i)),
                                  "", 0);
    }
  gtk_widget_grab_focus (g_ptr_array_index (self->field_views, 0));
  toast (self, _("Added"));
}

/* ---- construction ------------------------------------------------------- */

static void
fill_choices (SdNoteEditor *self,
              gint64        notetype_id,
              gint64        deck_id)
{
  g_autoptr(GtkStringList) notetype_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) deck_names = gtk_string_list_new (NULL);
  g_autoptr(GtkListStore) completions = NULL;
  g_auto(GStrv) tags = sd_note_all_tags (self->collection, NULL);
  GtkEntryCompletion *completion;
  guint nt_index = 0, deck_index = 0;

  self->notetypes = sd_notetype_list (self->collection, NULL);
  for (guint i = 0; self->notetypes != NULL && i < self->notetypes->len; i++)
    {
      SdNotetype *nt = g_ptr_array_index (self->notetypes, i);
      gtk_string_list_append (notetype_names, nt->name);
      if (nt->id == notetype_id)
        nt_index = i;
    }
  self->decks = sd_deck_list (self->collection, NULL);
  for (guint i = 0; self->decks != NULL && i < self->decks->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (self->decks, i);
      gtk_string_list_append (deck_names, deck->full_name);
      if (deck->id == deck_id)
        deck_index = i;
    }

  gtk_drop_down_set_model (self->deck_dropdown, G_LIST_MODEL (deck_names));
  gtk_drop_down_set_selected (self->deck_dropdown, deck_index);
  g_signal_handlers_block_by_func (self->notetype_dropdown, notetype_changed_cb, self);
  gtk_drop_down_set_model (self->notetype_dropdown, G_LIST_MODEL (notetype_names));
  gtk_drop_down_set_selected (self->notetype_dropdown, nt_index);
  g_signal_handlers_unblock_by_func (self->notetype_dropdown, notetype_changed_cb, self);
  if (self->notetypes != NULL && self->notetypes->len > 0)
    self->notetype = g_ptr_array_index (self->notetypes, nt_index);

  /* The last word of the tags entry completes from the tags in use. */
  completions = gtk_list_store_new (1, G_TYPE_STRING);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    gtk_list_store_insert_with_values (completions, NULL, -1, 0, tags[i], -1);
  completion = gtk_entry_completion_new ();
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (completions));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_inline_completion (completion, TRUE);
  gtk_entry_set_completion (self->tags_entry, completion);
  g_object_unref (completion);
}

/**
 * sd_note_editor_new_add:
 * @deck_id: the deck new notes go to at first
 *
 * Returns: (transfer full): an editor that adds notes
 */
SdNoteEditor *
sd_note_editor_new_add (GtkWindow    *parent,
                        SdCollection *collection,
                        gint64        deck_id)
{
  SdNoteEditor *self = g_object_new (SD_TYPE_NOTE_EDITOR, "transient-for", parent, NULL);
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, NULL);

  self->collection = g_object_ref (collection);
  fill_choices (self, basic ? basic->id : 0, deck_id ? deck_id : SD_DECK_DEFAULT_ID);
  if (self->notetype != NULL)
    build_fields (self, NULL);
  return self;
}

/**
 * sd_note_editor_new_edit:
 *
 * Returns: (transfer full) (nullable): an editor of the note, or %NULL with
 *   @error set when it cannot be read
 */
SdNoteEditor *
sd_note_editor_new_edit (GtkWindow     *parent,
                         SdCollection  *collection,
                         gint64         note_id,
                         GError       **error)
{
  g_autoptr(SdNote) note = sd_note_load (collection, note_id, error);
  g_autoptr(GPtrArray) cards = NULL;
  g_autofree char *tags = NULL;
  SdNoteEditor *self;
  gint64 deck_id = SD_DECK_DEFAULT_ID;

  if (note == NULL)
    return NULL;
  cards = sd_card_list_for_note (collection, note_id, NULL);
  if (cards != NULL && cards->len > 0)
    deck_id = ((SdCard *) g_ptr_array_index (cards, 0))->deck_id;

  self = g_object_new (SD_TYPE_NOTE_EDITOR, "transient-for", parent, NULL);
  self->collection = g_object_ref (collection);
  fill_choices (self, note->notetype_id, deck_id);
  self->note = g_steal_pointer (&note);

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Note"));
  gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Save"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->notetype_dropdown), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->deck_dropdown), FALSE);
  tags = g_strjoinv (" ", self->note->tags);
  gtk_editable_set_text (GTK_EDITABLE (self->tags_entry), tags);
  build_fields (self, (const char * const *) self->note->fields);
  return self;
}

/**
 * sd_note_editor_get_field_view:
 *
 * Returns: (transfer none) (nullable): the text view of field @i
 */
GtkTextView *
sd_note_editor_get_field_view (SdNoteEditor *self,
                               guint         i)
{
  g_return_val_if_fail (SD_IS_NOTE_EDITOR (self), NULL);

  return i < self->field_views->len ? g_ptr_array_index (self->field_views, i) : NULL;
}

void
sd_note_editor_select_notetype (SdNoteEditor *self,
                                gint64        notetype_id)
{
  g_return_if_fail (SD_IS_NOTE_EDITOR (self));

  for (guint i = 0; self->notetypes != NULL && i < self->notetypes->len; i++)
    if (((SdNotetype *) g_ptr_array_index (self->notetypes, i))->id == notetype_id)
      gtk_drop_down_set_selected (self->notetype_dropdown, i);
}

guint
sd_note_editor_get_n_cards (SdNoteEditor *self)
{
  g_return_val_if_fail (SD_IS_NOTE_EDITOR (self), 0);

  if (self->preview_id != 0)
    {
      g_clear_handle_id (&self->preview_id, g_source_remove);
      update_preview_cb (self);
    }
  return self->ords ? self->ords->len : 0;
}

SdCardView *
sd_note_editor_get_preview (SdNoteEditor *self)
{
  g_return_val_if_fail (SD_IS_NOTE_EDITOR (self), NULL);

  return self->preview;
}

static void
sd_note_editor_dispose (GObject *object)
{
  SdNoteEditor *self = SD_NOTE_EDITOR (object);

  g_clear_handle_id (&self->preview_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_NOTE_EDITOR);

  G_OBJECT_CLASS (sd_note_editor_parent_class)->dispose (object);
}

static void
sd_note_editor_finalize (GObject *object)
{
  SdNoteEditor *self = SD_NOTE_EDITOR (object);

  g_clear_object (&self->collection);
  g_clear_pointer (&self->note, sd_note_free);
  g_clear_pointer (&self->notetypes, g_ptr_array_unref);
  g_clear_pointer (&self->decks, g_ptr_array_unref);
  g_clear_pointer (&self->field_views, g_ptr_array_unref);
  g_clear_pointer (&self->ords, g_array_unref);

  G_OBJECT_CLASS (sd_note_editor_parent_class)->finalize (object);
}

static void
sd_note_editor_class_init (SdNoteEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_note_editor_dispose;
  object_class->finalize = sd_note_editor_finalize;

  /**
   * SdNoteEditor::saved:
   * @note_id: the note added or changed
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-note-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, notetype_label);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, notetype_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, deck_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, fields_box);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, tags_entry);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, card_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, back_toggle);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, no_cards_label);
  gtk_widget_class_bind_template_child (widget_class, SdNoteEditor, preview);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, notetype_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (SD_TYPE_CARD_VIEW);
}

static void
sd_note_editor_init (SdNoteEditor *self)
{
  self->field_views = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
