/* sd-notes-pane.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sd-compat.h"
#include "sd-library.h"
#include "sd-library-links.h"
#include "sd-markdown.h"
#include "sd-markdown-text.h"
#include "sd-note-cards.h"
#include "sd-note-file.h"
#include "sd-notes-pane.h"
#include "sd-rich-view.h"

/* Notes above this size are parsed in a worker so the window stays live. */
#define ASYNC_RENDER_SIZE (256 * 1024)

typedef struct
{
  char *path;
  char *slug;
} HistoryEntry;

struct _SdNotesPane
{
  GtkWidget        parent_instance;

  SdCollection    *collection;
  gulong           changed_id;
  GCancellable    *cancellable;

  char            *path;
  char            *hash;         /* of the text on disk when it was read or saved */
  gint64           disk_mtime;
  char            *text;         /* the saved text */
  gboolean         editing;
  gboolean         outline_visible;
  gboolean         asking;       /* a conflict question is open */
  char            *pending_slug; /* where to go once an async render is done */
  int              render_serial;

  GPtrArray       *history;      /* HistoryEntry */
  guint            history_pos;  /* index of the current entry */

  GtkStack        *stack;
  GtkWidget       *toolbar;
  GtkLabel        *title_label;
  GtkWidget       *save_button;
  GtkWidget       *study_button;
  GPtrArray       *anchors;      /* SdNoteCardAnchor of the open note */
  GArray          *anchor_ranges;/* int pairs: each anchor's start and end offset */
  gint64           current_card;
  gboolean         conceal_current;
  GtkWidget       *edit_button;
  GtkWidget       *outline_button;
  GtkStack        *mode_stack;
  SdRichView      *view;
  GtkSourceView   *source_view;
  GtkRevealer     *outline_revealer;
  GtkListBox      *outline;
  AdwStatusPage   *error_page;
};

G_DEFINE_FINAL_TYPE (SdNotesPane, sd_notes_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EDITING,
  PROP_OUTLINE_VISIBLE,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  STUDY_CARDS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
history_entry_free (HistoryEntry *entry)
{
  g_free (entry->path);
  g_free (entry->slug);
  g_free (entry);
}

static void
toast (SdNotesPane *self,
       const char  *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

static gboolean
is_dirty (SdNotesPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));

  return gtk_text_buffer_get_modified (buffer);
}

static char *
buffer_text (SdNotesPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static void
update_actions (SdNotesPane *self)
{
  gboolean open = self->path != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.back", self->history_pos > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.forward",
                                 self->history->len > 0
                                 && self->history_pos + 1 < self->history->len);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.save", open && is_dirty (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.edit", open && self->text != NULL);
  gtk_widget_set_visible (self->save_button, open && is_dirty (self));
}

static void
show_error (SdNotesPane *self,
            const char  *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* ---- links -------------------------------------------------------------- */

static char *
resolve_uri (SdNotesPane *self,
             const char  *uri)
{
  g_autofree char *note = NULL;
  g_autofree char *slug = NULL;
  SdRichLinkKind kind = sd_rich_link_classify (uri);

  if (kind != SD_RICH_LINK_RELATIVE && kind != SD_RICH_LINK_WIKILINK)
    return NULL;
  if (!sd_markdown_link_target (uri, &note, &slug) || note == NULL || note[0] == '\0')
    return NULL;
  return sd_library_resolve_link (self->collection, self->path, note,
                                  kind == SD_RICH_LINK_WIKILINK);
}

static gboolean
resolve_cb (const char *uri,
            gpointer    user_data)
{
  g_autofree char *path = resolve_uri (user_data, uri);

  return path != NULL;
}

static void open_path (SdNotesPane *self, const char *path, const char *slug, gboolean push);

static gboolean
link_activated_cb (SdNotesPane *self,
                   const char  *uri)
{
  g_autofree char *path = NULL;
  g_autofree char *note = NULL;
  g_autofree char *slug = NULL;

  switch (sd_rich_link_classify (uri))
    {
    case SD_RICH_LINK_EXTERNAL:
      gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), uri, GDK_CURRENT_TIME);
      return TRUE;

    case SD_RICH_LINK_RELATIVE:
    case SD_RICH_LINK_WIKILINK:
      sd_markdown_link_target (uri, &note, &slug);
      path = resolve_uri (self, uri);
      if (path == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("There is no note “%s”"), note ? note : uri);
          toast (self, message);
          return TRUE;
        }
      open_path (self, path, slug, TRUE);
      return TRUE;

    case SD_RICH_LINK_ANCHOR:
      return FALSE;

    case SD_RICH_LINK_OTHER:
    default:
      {
        g_autofree char *message = g_strdup_printf (_("StudyDeck does not open links like “%s”"), uri);
        toast (self, message);
        return TRUE;
      }
    }
}

/* ---- outline ------------------------------------------------------------ */

static void
fill_outline (SdNotesPane *self,
              SdRichDoc   *doc)
{
  GtkWidget *child;
  guint n = sd_rich_doc_get_n_headings (doc);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->outline))) != NULL)
    gtk_list_box_remove (self->outline, child);

  for (guint i = 0; i < n; i++)
    {
      const SdRichHeading *heading = sd_rich_doc_get_heading (doc, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (heading->text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 12 * (heading->level - 1));
      if (heading->level == 1)
        gtk_widget_add_css_class (label, "heading");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_widget_set_tooltip_text (row, heading->text);
      g_object_set_data_full (G_OBJECT (row), "slug", g_strdup (heading->slug), g_free);
      gtk_list_box_append (self->outline, row);
    }
}

static void
outline_activated_cb (SdNotesPane   *self,
                      GtkListBoxRow *row)
{
  const char *slug = g_object_get_data (G_OBJECT (row), "slug");

  if (self->editing)
    g_object_set (self, "editing", FALSE, NULL);
  sd_rich_view_scroll_to_heading (self->view, slug);
}

static void
current_heading_cb (SdNotesPane *self)
{
  const char *slug = sd_rich_view_get_current_heading (self->view);
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->outline)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "slug"), slug) == 0)
        {
          gtk_list_box_select_row (self->outline, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
  gtk_list_box_unselect_all (self->outline);
}

/* ---- showing a note ----------------------------------------------------- */

/* ---- the cards in the note --------------------------------------------- */

static GtkTextTag *
card_tag (const char *name)
{
  GtkTextTagTable *table = sd_rich_text_get_tag_table ();
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  if (tag != NULL)
    return tag;

  /* Translucent, so they read in light and dark: a hint of the accent for
   * every card, stronger for the card under review. */
  tag = gtk_text_tag_new (name);
  if (g_str_equal (name, "card-current"))
    g_object_set (tag, "paragraph-background-rgba",
                  &(GdkRGBA) { 0.96f, 0.76f, 0.07f, 0.28f }, NULL);
  else if (g_str_equal (name, "card-concealed"))
    /* Pango reads an alpha of 0 as "not set", that is opaque: almost 0. */
    g_object_set (tag,
                  "foreground-rgba", &(GdkRGBA) { 0, 0, 0, 0.01f },
                  "background-rgba", &(GdkRGBA) { 0, 0, 0, 0.01f },
                  NULL);
  else
    g_object_set (tag, "paragraph-background-rgba",
                  &(GdkRGBA) { 0.21f, 0.52f, 0.89f, 0.08f }, NULL);
  gtk_text_tag_table_add (table, tag);
  g_object_unref (tag);
  return tag;
}

/* The character range of the passage on the lines [first, last] of the
 * file: the blocks the renderer named after their source lines. */
static gboolean
passage_range (SdRichDoc *doc,
               int        first,
               int        last,
               int       *start,
               int       *end)
{
  gboolean found = FALSE;

  for (guint i = 0; i < sd_rich_doc_get_n_ranges (doc); i++)
    {
      const SdRichRange *range = sd_rich_doc_get_range (doc, i);
      int a, b;

      if (sscanf (range->name, "src:%d-%d", &a, &b) != 2 || b < first || a > last)
        continue;
      if (!found || range->start < *start)
        *start = range->start;
      if (!found || range->end > *end)
        *end = range->end;
      found = TRUE;
    }
  return found;
}

static char *
describe_card (const SdNoteCardAnchor *anchor)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *date = NULL;

  if (anchor->retired)
    return g_strdup (_("Card retired: its text left the note"));
  if (anchor->queue == SD_QUEUE_SUSPENDED)
    return g_strdup (_("Card suspended"));
  if (anchor->type == SD_CARD_NEW)
    return g_strdup (_("New card, not studied yet"));
  if (anchor->due_time <= 0)
    return g_strdup (_("Card"));
  when = g_date_time_new_from_unix_local (anchor->due_time);
  date = g_date_time_format (when, "%x");
  if (anchor->due_time <= g_get_real_time () / G_USEC_PER_SEC)
    return g_strdup_printf (_("Card due now (since %s)"), date);
  return g_strdup_printf (_("Card due on %s"), date);
}

static void
mark_cards (SdNotesPane *self,
            SdRichDoc   *doc)
{
  g_autoptr(SdNoteFile) file = NULL;
  SdRichText *rich = sd_rich_view_get_text (self->view);
  GtkTextBuffer *buffer = rich ? sd_rich_text_get_buffer (rich) : NULL;
  guint live = 0;

  g_clear_pointer (&self->anchors, g_ptr_array_unref);
  g_array_set_size (self->anchor_ranges, 0);

  if (self->collection != NULL && self->path != NULL)
    file = sd_library_find_file (self->collection, self->path);
  if (file != NULL)
    self->anchors = sd_note_cards_for_file (self->collection, file->id, NULL);

  for (guint i = 0; self->anchors != NULL && i < self->anchors->len; i++)
    {
      SdNoteCardAnchor *anchor = g_ptr_array_index (self->anchors, i);
      int start = 0, end = 0;
      GtkTextIter a, b;

      if (!passage_range (doc, anchor->line_start, anchor->line_end, &start, &end))
        start = end = -1;
      g_array_append_val (self->anchor_ranges, start);
      g_array_append_val (self->anchor_ranges, end);
      if (!anchor->retired)
        live++;
      if (start < 0 || buffer == NULL || anchor->retired)
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &a, start);
      gtk_text_buffer_get_iter_at_offset (buffer, &b, end);
      gtk_text_buffer_apply_tag (buffer, card_tag ("card-passage"), &a, &b);
    }

  gtk_widget_set_visible (self->study_button, live > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.study", live > 0);
  if (live > 0)
    {
      g_autofree char *tooltip =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Review the card written in this note",
                                      "Review the %u cards written in this note", live),
                         live);

      gtk_widget_set_tooltip_text (self->study_button, tooltip);
    }
}

static gboolean
query_tooltip_cb (SdNotesPane *self,
                  int          x,
                  int          y,
                  gboolean     keyboard,
                  GtkTooltip  *tooltip)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->view);
  GtkTextIter iter;
  int bx, by, offset;

  if (keyboard || self->anchors == NULL)
    return FALSE;
  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by))
    return FALSE;
  offset = gtk_text_iter_get_offset (&iter);

  for (guint i = 0; i < self->anchors->len; i++)
    {
      int start = g_array_index (self->anchor_ranges, int, 2 * i);
      int end = g_array_index (self->anchor_ranges, int, 2 * i + 1);

      if (start >= 0 && offset >= start && offset < end)
        {
          g_autofree char *text = describe_card (g_ptr_array_index (self->anchors, i));
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }
  return FALSE;
}

static void
highlight_current (SdNotesPane *self)
{
  SdRichText *rich = sd_rich_view_get_text (self->view);
  GtkTextBuffer *buffer;
  GtkTextMark *mark;
  GtkTextIter a, b;

  if (rich == NULL)
    return;
  buffer = sd_rich_text_get_buffer (rich);
  gtk_text_buffer_get_bounds (buffer, &a, &b);
  gtk_text_buffer_remove_tag (buffer, card_tag ("card-current"), &a, &b);
  gtk_text_buffer_remove_tag (buffer, card_tag ("card-concealed"), &a, &b);

  for (guint i = 0; self->anchors != NULL && i < self->anchors->len; i++)
    {
      SdNoteCardAnchor *anchor = g_ptr_array_index (self->anchors, i);
      int start = g_array_index (self->anchor_ranges, int, 2 * i);
      int end = g_array_index (self->anchor_ranges, int, 2 * i + 1);

      if (anchor->card_id != self->current_card || start < 0)
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &a, start);
      gtk_text_buffer_get_iter_at_offset (buffer, &b, end);
      gtk_text_buffer_apply_tag (buffer, card_tag ("card-current"), &a, &b);
      if (self->conceal_current)
        gtk_text_buffer_apply_tag (buffer, card_tag ("card-concealed"), &a, &b);
      /* A note just opened has no measured lines yet: a mark waits for them
       * where an iter would scroll by estimates. */
      mark = gtk_text_buffer_get_mark (buffer, "sd-card-current");
      if (mark == NULL)
        mark = gtk_text_buffer_create_mark (buffer, "sd-card-current", &a, TRUE);
      else
        gtk_text_buffer_move_mark (buffer, mark, &a);
      gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view), mark, 0.1, TRUE, 0.0, 0.25);
      return;
    }
}

static void
show_doc (SdNotesPane *self,
          SdRichDoc   *doc,
          const char  *slug)
{
  g_autoptr(SdRichText) rich = sd_rich_text_new (doc);
  /* The slug may be the view's own current heading, which set_text frees. */
  g_autofree char *target = g_strdup (slug);

  sd_rich_view_set_text (self->view, rich);
  mark_cards (self, doc);
  fill_outline (self, doc);
  gtk_stack_set_visible_child_name (self->stack, "note");
  if (target != NULL && target[0] != '\0')
    sd_rich_view_scroll_to_heading (self->view, target);
  if (self->current_card != 0)
    highlight_current (self);
  current_heading_cb (self);
}

typedef struct
{
  SdNotesPane *self;
  int          serial;
} RenderRequest;

static void
rendered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree RenderRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRichDoc) doc = NULL;
  SdNotesPane *self = request->self;

  doc = sd_markdown_render_finish (result, resolve_cb, self, NULL, &error);
  if (doc == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      g_object_unref (self);
      return;
    }
  if (request->serial == self->render_serial)
    show_doc (self, doc, self->pending_slug);
  g_object_unref (self);
}

static void
render (SdNotesPane *self,
        const char  *text,
        const char  *slug)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  gsize len = strlen (text);

  self->render_serial++;
  g_free (self->pending_slug);
  self->pending_slug = g_strdup (slug);

  if (len > ASYNC_RENDER_SIZE)
    {
      RenderRequest *request = g_new0 (RenderRequest, 1);

      request->self = g_object_ref (self);
      request->serial = self->render_serial;
      sd_markdown_render_async (text, len, dir, self->cancellable, rendered_cb, request);
      return;
    }

  {
    g_autoptr(SdRichDoc) doc = sd_markdown_render (text, len, dir, resolve_cb, self, NULL);
    show_doc (self, doc, slug);
  }
}

static void
set_source_text (SdNotesPane *self,
                 const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
  GtkTextIter start;

  /* Loading a note is not an edit the user could undo. */
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_set_modified (buffer, FALSE);
}

static gint64
file_mtime (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
}

/* The note's first heading, as the sidebar names it, from @text: what is
 * on disk, or what the source says while it is edited. */
static void
show_title (SdNotesPane *self,
            const char  *text)
{
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *title = sd_library_title_for_text (text, base);

  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), self->path);
}

static gboolean
load (SdNotesPane *self,
      const char  *slug)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *text = sd_note_file_read (self->path, &hash, &error);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->hash, g_free);

  if (text == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s\n%s", self->path, error->message);
      show_error (self, message);
      update_actions (self);
      return FALSE;
    }

  self->hash = g_steal_pointer (&hash);
  self->disk_mtime = file_mtime (self->path);
  show_title (self, text);
  set_source_text (self, text);
  render (self, text, slug);
  self->text = g_steal_pointer (&text);
  update_actions (self);
  return TRUE;
}

static void
open_path (SdNotesPane *self,
           const char  *path,
           const char  *slug,
           gboolean     push)
{
  if (push)
    {
      HistoryEntry *entry;

      /* Remember where the current note was left, then cut the forward part. */
      if (self->history->len > 0)
        {
          HistoryEntry *current = g_ptr_array_index (self->history, self->history_pos);
          g_free (current->slug);
          current->slug = g_strdup (sd_rich_view_get_current_heading (self->view));
        }
      if (self->history->len > 0)
        g_ptr_array_set_size (self->history, self->history_pos + 1);
      entry = g_new0 (HistoryEntry, 1);
      entry->path = g_strdup (path);
      entry->slug = g_strdup (slug);
      g_ptr_array_add (self->history, entry);
      self->history_pos = self->history->len - 1;
    }

  if (self->editing)
    g_object_set (self, "editing", FALSE, NULL);

  if (g_strcmp0 (self->path, path) != 0)
    {
      g_free (self->path);
      self->path = g_strdup (path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
    }
  load (self, slug);
}

static void
go_history (SdNotesPane *self,
            int          delta)
{
  HistoryEntry *current, *target;
  int pos = (int) self->history_pos + delta;

  if (pos < 0 || pos >= (int) self->history->len)
    return;
  current = g_ptr_array_index (self->history, self->history_pos);
  g_free (current->slug);
  current->slug = g_strdup (sd_rich_view_get_current_heading (self->view));
  self->history_pos = pos;
  target = g_ptr_array_index (self->history, pos);
  open_path (self, target->path, target->slug, FALSE);
}

/* ---- saving and changes on disk ----------------------------------------- */

static gboolean
save (SdNotesPane *self,
      gboolean     overwrite)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = buffer_text (self);
  g_autofree char *hash = NULL;

  if (!sd_note_file_save (self->path, text, overwrite ? NULL : self->hash, &hash, &error))
    {
      if (g_error_matches (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_CONFLICT))
        return FALSE;
      toast (self, error->message);
      return TRUE;
    }

  g_free (self->hash);
  self->hash = g_steal_pointer (&hash);
  self->disk_mtime = file_mtime (self->path);
  g_free (self->text);
  self->text = g_steal_pointer (&text);
  gtk_text_buffer_set_modified (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)), FALSE);
  show_title (self, self->text);
  render (self, self->text, sd_rich_view_get_current_heading (self->view));
  update_actions (self);
  g_signal_emit (self, signals[SAVED], 0, self->path);
  return TRUE;
}

static void
overwrite_answered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(SdNotesPane) self = user_data;

  self->asking = FALSE;
  if (sd_compat_confirm_finish (result))
    save (self, TRUE);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdNotesPane *self = SD_NOTES_PANE (widget);

  if (self->path == NULL || !is_dirty (self))
    return;
  if (save (self, FALSE))
    return;

  self->asking = TRUE;
  sd_compat_confirm (GTK_WINDOW (gtk_widget_get_root (widget)),
                     _("The Note Changed on Disk"),
                     _("Another program changed this note after you started editing it. "
                       "Saving replaces those changes with yours."),
                     _("_Replace"), TRUE, self->cancellable,
                     overwrite_answered_cb, g_object_ref (self));
}

static void
reload_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SdNotesPane) self = user_data;

  self->asking = FALSE;
  if (sd_compat_confirm_finish (result))
    load (self, sd_rich_view_get_current_heading (self->view));
  else
    self->disk_mtime = file_mtime (self->path);  /* keep the edits; ask again on the next change */
}

/* The library was rescanned: reload the open note if it changed on disk,
 * but never over unsaved edits without asking. */
static void
collection_changed_cb (SdNotesPane *self)
{
  g_autofree char *hash = NULL;
  g_autofree char *text = NULL;
  gint64 mtime;

  if (self->path == NULL || self->asking)
    return;
  mtime = file_mtime (self->path);
  if (mtime == self->disk_mtime)
    return;

  text = sd_note_file_read (self->path, &hash, NULL);
  if (text != NULL && g_strcmp0 (hash, self->hash) == 0)
    {
      self->disk_mtime = mtime;
      return;
    }

  if (!is_dirty (self))
    {
      load (self, sd_rich_view_get_current_heading (self->view));
      return;
    }

  self->asking = TRUE;
  sd_compat_confirm (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                     _("The Note Changed on Disk"),
                     _("Another program changed this note while you have unsaved edits. "
                       "Load the new version and drop your edits, or keep editing yours?"),
                     _("_Load New Version"), TRUE, self->cancellable,
                     reload_answered_cb, g_object_ref (self));
}

static void
modified_changed_cb (SdNotesPane *self)
{
  update_actions (self);
}

/* ---- properties and actions --------------------------------------------- */

static void
set_editing (SdNotesPane *self,
             gboolean     editing)
{
  if (self->editing == editing || (editing && self->text == NULL))
    return;
  self->editing = editing;

  if (editing)
    {
      gtk_stack_set_visible_child_name (self->mode_stack, "edit");
      gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
    }
  else
    {
      /* Back to reading: show what the source says now, saved or not. */
      g_autofree char *text = buffer_text (self);

      show_title (self, text);
      render (self, text, sd_rich_view_get_current_heading (self->view));
      gtk_stack_set_visible_child_name (self->mode_stack, "read");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
}

static void
set_outline_visible (SdNotesPane *self,
                     gboolean     visible)
{
  if (self->outline_visible == visible)
    return;
  self->outline_visible = visible;
  gtk_revealer_set_reveal_child (self->outline_revealer, visible);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTLINE_VISIBLE]);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  go_history (SD_NOTES_PANE (widget), -1);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  go_history (SD_NOTES_PANE (widget), 1);
}

static void
update_scheme (SdNotesPane *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer), scheme);
}

/* ---- public API --------------------------------------------------------- */

void
sd_notes_pane_set_collection (SdNotesPane  *self,
                              SdCollection *collection)
{
  g_return_if_fail (SD_IS_NOTES_PANE (self));

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_set_object (&self->collection, collection);
  if (collection != NULL)
    self->changed_id = g_signal_connect_object (collection, "changed",
                                                G_CALLBACK (collection_changed_cb), self,
                                                G_CONNECT_SWAPPED);
}

void
sd_notes_pane_open (SdNotesPane *self,
                    const char  *path)
{
  g_return_if_fail (SD_IS_NOTES_PANE (self));

  open_path (self, path, NULL, TRUE);
}

/**
 * sd_notes_pane_open_at_line:
 * @line: the 1-based line of the note file to show, or 0 for the top
 *
 * Opens a note at the section holding @line.
 */
void
sd_notes_pane_open_at_line (SdNotesPane *self,
                            const char  *path,
                            int          line)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  SdRichText *rich;
  SdRichDoc *doc;
  int heading = -1;

  g_return_if_fail (SD_IS_NOTES_PANE (self));

  sd_notes_pane_open (self, path);
  if (line <= 1 || self->text == NULL)
    return;

  /* The index and the renderer see the same headings in the same order. */
  sections = sd_markdown_text_sections (self->text);
  for (guint i = 0; i < sections->len; i++)
    {
      SdMarkdownSection *section = g_ptr_array_index (sections, i);
      if (section->level > 0 && section->line <= line)
        heading++;
    }

  rich = sd_rich_view_get_text (self->view);
  doc = rich ? sd_rich_text_get_doc (rich) : NULL;
  if (doc != NULL && heading >= 0 && (guint) heading < sd_rich_doc_get_n_headings (doc))
    sd_rich_view_scroll_to_heading (self->view, sd_rich_doc_get_heading (doc, heading)->slug);
}

/**
 * sd_notes_pane_show_card:
 *
 * Shows the note a card was written in, at the card, highlighted; for a
 * card that comes from no note, says so (the last note stays one click
 * away).
 *
 * Returns: whether the card has a source note
 */
gboolean
sd_notes_pane_show_card (SdNotesPane *self,
                         gint64       card_id)
{
  g_autoptr(SdNoteCardAnchor) anchor = NULL;

  g_return_val_if_fail (SD_IS_NOTES_PANE (self), FALSE);

  self->current_card = card_id;
  if (self->collection != NULL)
    anchor = sd_note_cards_anchor_for_card (self->collection, card_id, NULL);
  if (anchor == NULL || anchor->path == NULL)
    {
      if (!self->editing || !is_dirty (self))
        gtk_stack_set_visible_child_name (self->stack, "no-source");
      return FALSE;
    }

  /* Never swap a note with unsaved edits away under the user. */
  if (self->editing && is_dirty (self) && g_strcmp0 (self->path, anchor->path) != 0)
    return TRUE;

  if (g_strcmp0 (self->path, anchor->path) != 0 || self->text == NULL)
    open_path (self, anchor->path, NULL, TRUE);
  else
    gtk_stack_set_visible_child_name (self->stack, "note");
  highlight_current (self);
  return TRUE;
}

/**
 * sd_notes_pane_set_conceal_card:
 *
 * While the card under review asks its question, its passage in the note
 * keeps its place and highlight but not its text: the note must not give
 * the answer away.
 */
void
sd_notes_pane_set_conceal_card (SdNotesPane *self,
                                gboolean     conceal)
{
  g_return_if_fail (SD_IS_NOTES_PANE (self));

  conceal = !!conceal;
  if (self->conceal_current == conceal)
    return;
  self->conceal_current = conceal;
  if (self->current_card != 0)
    highlight_current (self);
}

gboolean
sd_notes_pane_get_conceal_card (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), FALSE);

  return self->conceal_current;
}

static void
show_last_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdNotesPane *self = SD_NOTES_PANE (widget);

  if (self->path != NULL && self->text != NULL)
    gtk_stack_set_visible_child_name (self->stack, "note");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
study_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdNotesPane *self = SD_NOTES_PANE (widget);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; self->anchors != NULL && i < self->anchors->len; i++)
    {
      SdNoteCardAnchor *anchor = g_ptr_array_index (self->anchors, i);
      if (!anchor->retired)
        g_array_append_val (ids, anchor->card_id);
    }
  if (ids->len > 0)
    g_signal_emit (self, signals[STUDY_CARDS], 0, ids);
}

guint
sd_notes_pane_get_n_cards (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), 0);

  return self->anchors ? self->anchors->len : 0;
}

/**
 * sd_notes_pane_get_title:
 *
 * Returns: the title shown above the note: its first heading, else its
 *   file name; "" when none is open
 */
const char *
sd_notes_pane_get_title (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), NULL);

  return gtk_label_get_text (self->title_label);
}

/**
 * sd_notes_pane_get_path:
 *
 * Returns: (nullable): the note shown
 */
const char *
sd_notes_pane_get_path (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), NULL);

  return self->path;
}

const char *
sd_notes_pane_get_page (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

SdRichView *
sd_notes_pane_get_view (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), NULL);

  return self->view;
}

GtkTextBuffer *
sd_notes_pane_get_source_buffer (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), NULL);

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
}

/* ---- GObject ------------------------------------------------------------ */

static void
sd_notes_pane_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SdNotesPane *self = SD_NOTES_PANE (object);

  switch (prop_id)
    {
    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;
    case PROP_OUTLINE_VISIBLE:
      g_value_set_boolean (value, self->outline_visible);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_notes_pane_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SdNotesPane *self = SD_NOTES_PANE (object);

  switch (prop_id)
    {
    case PROP_EDITING:
      set_editing (self, g_value_get_boolean (value));
      break;
    case PROP_OUTLINE_VISIBLE:
      set_outline_visible (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_notes_pane_dispose (GObject *object)
{
  SdNotesPane *self = SD_NOTES_PANE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_NOTES_PANE);

  G_OBJECT_CLASS (sd_notes_pane_parent_class)->dispose (object);
}

static void
sd_notes_pane_finalize (GObject *object)
{
  SdNotesPane *self = SD_NOTES_PANE (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->history);
  g_free (self->path);
  g_free (self->hash);
  g_free (self->text);
  g_free (self->pending_slug);
  g_clear_pointer (&self->anchors, g_ptr_array_unref);
  g_array_unref (self->anchor_ranges);

  G_OBJECT_CLASS (sd_notes_pane_parent_class)->finalize (object);
}

static void
sd_notes_pane_class_init (SdNotesPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_notes_pane_dispose;
  object_class->finalize = sd_notes_pane_finalize;
  object_class->get_property = sd_notes_pane_get_property;
  object_class->set_property = sd_notes_pane_set_property;

  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTLINE_VISIBLE] =
    g_param_spec_boolean ("outline-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SdNotesPane:path:
   *
   * The note file shown, or %NULL.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdNotesPane::saved:
   * @path: the note file
   *
   * Emitted after the note was written to disk.
   */
  signals[SAVED] = g_signal_new ("saved",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * SdNotesPane::study-cards:
   * @card_ids: (element-type gint64): the cards written in the note
   *
   * Emitted by "Study This Note".
   */
  signals[STUDY_CARDS] = g_signal_new ("study-cards",
                                       G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_ARRAY);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-notes-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, save_button);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, study_button);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, edit_button);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, outline_button);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, view);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, source_view);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, outline_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, outline);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, error_page);
  gtk_widget_class_bind_template_callback (widget_class, link_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_heading_cb);
  gtk_widget_class_bind_template_callback (widget_class, outline_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "notes.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "notes.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "notes.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "notes.study", NULL, study_action);
  gtk_widget_class_install_action (widget_class, "notes.show-last", NULL, show_last_action);
  gtk_widget_class_install_property_action (widget_class, "notes.edit", "editing");
  gtk_widget_class_install_property_action (widget_class, "notes.outline", "outline-visible");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "notes.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "notes.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "notes.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "notes.edit", NULL);

  g_type_ensure (SD_TYPE_RICH_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

static void
sd_notes_pane_init (SdNotesPane *self)
{
  GtkSourceLanguageManager *languages;
  GtkTextBuffer *buffer;

  gtk_source_init ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) history_entry_free);
  self->anchor_ranges = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect_object (self->view, "query-tooltip", G_CALLBACK (query_tooltip_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->view), TRUE);

  languages = gtk_source_language_manager_get_default ();
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer),
                                  gtk_source_language_manager_get_language (languages, "markdown"));
  g_signal_connect_object (buffer, "modified-changed", G_CALLBACK (modified_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
  update_scheme (self);
  update_actions (self);
}
