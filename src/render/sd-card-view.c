/* sd-card-view.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#if defined(__has_include)
# if __has_include("config.h")
#  include "config.h"
# endif
#endif
#ifndef GETTEXT_PACKAGE
# define GETTEXT_PACKAGE "studydeck"
#endif

#include "sd-card-view.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "sd-card-html.h"

#define ENTRY_MAX_WIDTH 560
#define ENTRY_MIN_WIDTH 120

typedef struct
{
  GtkWidget      *widget;   /* a button, or a label for a missing file */
  char           *path;     /* NULL: missing */
  GtkMediaStream *stream;   /* made on first play */
} Sound;

struct _SdCardView
{
  GtkWidget        parent_instance;

  GtkWidget       *scroller;
  SdRichView      *view;
  SdRichText      *text;

  char            *html;
  char            *css;
  char            *media_dir;
  int              card_ord;

  GdkRGBA          page_color;
  gboolean         has_page_color;

  GtkWidget       *entry;     /* in the text; NULL when the card has none */
  GArray          *sounds;    /* Sound */
  GPtrArray       *revealed;  /* hint ids */
  int              entry_width;
};

G_DEFINE_FINAL_TYPE (SdCardView, sd_card_view, GTK_TYPE_WIDGET)

enum {
  ANSWER_REQUESTED,
  LINK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char card_view_css[] =
  ".sd-card-view.sd-card-page textview,\n"
  ".sd-card-view.sd-card-page textview > text {\n"
  "  background: none;\n"
  "}\n"
  ".sd-card-view .sd-card-entry {\n"
  "  margin: 4px 0;\n"
  "}\n"
  ".sd-card-view .sd-card-sound {\n"
  "  min-width: 28px;\n"
  "  min-height: 28px;\n"
  "  padding: 0;\n"
  "  margin: 0 3px;\n"
  "}\n"
  ".sd-card-view .sd-card-missing-sound {\n"
  "  margin: 0 3px;\n"
  "  font-size: smaller;\n"
  "}\n"
  /* The rule and table look of notes (sd-rich-view.css), for card views
   * in windows that do not load it. */
  ".sd-card-view .sd-rule {\n"
  "  min-height: 1px;\n"
  "  background-color: alpha(currentColor, 0.25);\n"
  "  margin: 8px 0;\n"
  "}\n"
  ".sd-card-view .sd-table-frame {\n"
  "  margin: 4px 0;\n"
  "}\n"
  ".sd-card-view .sd-table {\n"
  "  border: 1px solid alpha(currentColor, 0.22);\n"
  "  border-radius: 6px;\n"
  "}\n"
  ".sd-card-view .sd-table-cell {\n"
  "  padding: 5px 10px;\n"
  "  border-right: 1px solid alpha(currentColor, 0.15);\n"
  "  border-bottom: 1px solid alpha(currentColor, 0.15);\n"
  "}\n"
  ".sd-card-view .sd-table-cell.sd-table-last-col {\n"
  "  border-right: none;\n"
  "}\n"
  ".sd-card-view .sd-table-cell.sd-table-last-row {\n"
  "  border-bottom: none;\n"
  "}\n"
  ".sd-card-view .sd-table-header {\n"
  "  background-color: alpha(currentColor, 0.07);\n"
  "}\n";

static void
ensure_css (GtkWidget *widget)
{
  static GdkDisplay *done_for;
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || display == done_for)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, card_view_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  done_for = display;
}

static void
sound_clear (gpointer data)
{
  Sound *sound = data;

  if (sound->stream != NULL)
    {
      gtk_media_stream_pause (sound->stream);
      g_signal_handlers_disconnect_by_data (sound->stream, sound->widget);
    }
  g_clear_object (&sound->stream);
  g_clear_pointer (&sound->path, g_free);
  g_clear_object (&sound->widget);
}

/* ------------------------------------------------------------------------
 * Sounds
 * ------------------------------------------------------------------------ */

static void
update_sound_button (GtkWidget      *button,
                     GtkMediaStream *stream)
{
  const GError *error = gtk_media_stream_get_error (stream);

  if (error != NULL)
    {
      g_autofree char *tooltip = g_strdup_printf (_("Cannot play this sound: %s"),
                                                  error->message);

      gtk_button_set_icon_name (GTK_BUTTON (button), "dialog-warning-symbolic");
      gtk_widget_set_tooltip_text (button, tooltip);
      return;
    }

  if (gtk_media_stream_get_playing (stream))
    {
      gtk_button_set_icon_name (GTK_BUTTON (button), "media-playback-stop-symbolic");
      gtk_widget_set_tooltip_text (button, _("Stop"));
    }
  else
    {
      gtk_button_set_icon_name (GTK_BUTTON (button), "media-playback-start-symbolic");
      gtk_widget_set_tooltip_text (button, _("Play sound"));
    }
}

static void
on_stream_changed (GtkMediaStream *stream,
                   GParamSpec     *pspec,
                   GtkWidget      *button)
{
  update_sound_button (button, stream);
}

static Sound *
find_sound (SdCardView *self,
            GtkWidget  *widget,
            guint      *index)
{
  for (guint i = 0; i < self->sounds->len; i++)
    {
      Sound *sound = &g_array_index (self->sounds, Sound, i);

      if (sound->widget == widget)
        {
          if (index != NULL)
            *index = i;
          return sound;
        }
    }

  return NULL;
}

/**
 * sd_card_view_play_sound:
 * @i: the sound, in card order
 *
 * Plays the sound from its start (stops it if it is playing).
 *
 * Returns: FALSE if the file is missing or cannot be played
 */
gboolean
sd_card_view_play_sound (SdCardView *self,
                         guint       i)
{
  Sound *sound;

  g_return_val_if_fail (SD_IS_CARD_VIEW (self), FALSE);
  g_return_val_if_fail (i < self->sounds->len, FALSE);

  sound = &g_array_index (self->sounds, Sound, i);
  if (sound->path == NULL)
    return FALSE;

  if (sound->stream == NULL)
    {
      sound->stream = GTK_MEDIA_STREAM (gtk_media_file_new_for_filename (sound->path));
      g_signal_connect_object (sound->stream, "notify::playing",
                               G_CALLBACK (on_stream_changed), sound->widget, 0);
      g_signal_connect_object (sound->stream, "notify::error",
                               G_CALLBACK (on_stream_changed), sound->widget, 0);
    }

  if (gtk_media_stream_get_error (sound->stream) != NULL)
    {
      update_sound_button (sound->widget, sound->stream);
      return FALSE;
    }

  if (gtk_media_stream_get_playing (sound->stream))
    {
      gtk_media_stream_pause (sound->stream);
      return TRUE;
    }

  /* Other sounds of the card stop: one voice at a time. */
  for (guint j = 0; j < self->sounds->len; j++)
    if (j != i && g_array_index (self->sounds, Sound, j).stream != NULL)
      gtk_media_stream_pause (g_array_index (self->sounds, Sound, j).stream);

  if (gtk_media_stream_get_ended (sound->stream) ||
      gtk_media_stream_get_timestamp (sound->stream) > 0)
    gtk_media_stream_seek (sound->stream, 0);
  gtk_media_stream_play (sound->stream);
  update_sound_button (sound->widget, sound->stream);

  return gtk_media_stream_get_error (sound->stream) == NULL;
}

void
sd_card_view_stop_sounds (SdCardView *self)
{
  g_return_if_fail (SD_IS_CARD_VIEW (self));

  for (guint i = 0; i < self->sounds->len; i++)
    {
      Sound *sound = &g_array_index (self->sounds, Sound, i);

      if (sound->stream != NULL)
        gtk_media_stream_pause (sound->stream);
    }
}

static void
on_sound_clicked (GtkButton  *button,
                  SdCardView *self)
{
  guint i;

  if (find_sound (self, GTK_WIDGET (button), &i) != NULL)
    sd_card_view_play_sound (self, i);
}

/* ------------------------------------------------------------------------
 * Widgets in the text
 * ------------------------------------------------------------------------ */

static void
on_entry_activate (GtkEntry   *entry,
                   SdCardView *self)
{
  g_signal_emit (self, signals[ANSWER_REQUESTED], 0);
}

static GtkWidget *
create_entry (SdCardView *self)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Type the answer"));
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 16);
  gtk_widget_add_css_class (entry, "sd-card-entry");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Your answer"),
                                  -1);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), self);
  if (self->entry_width > 0)
    gtk_widget_set_size_request (entry, self->entry_width, -1);

  return entry;
}

static GtkWidget *
create_sound (SdCardView *self,
              const char *path)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  g_autofree char *name = g_path_get_basename (path);

  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "sd-card-sound");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Play sound"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Play sound"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, name,
                                  -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_sound_clicked), self);

  return button;
}

static GtkWidget *
create_missing_sound (const char *name)
{
  g_autofree char *text = g_strdup_printf (_("Missing sound: %s"), name);
  GtkWidget *label = gtk_label_new (text);

  /* Not ellipsized: a text view gives its children their minimum size. */
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "sd-card-missing-sound");

  return label;
}

/* A child widget stands on the text's baseline; buttons and labels look
 * right centred on the line instead, a few pixels lower. */
static void
lower_widget (SdCardView *self,
              int         offset)
{
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (self->text);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, "sd-card-widget");
  GtkTextIter start, end;

  if (tag == NULL)
    {
      tag = gtk_text_tag_new ("sd-card-widget");
      g_object_set (tag, "rise", -6 * PANGO_SCALE, NULL);
      gtk_text_tag_table_add (table, tag);
      g_object_unref (tag);
    }

  gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
}

static void
add_widgets (SdCardView *self)
{
  SdRichDoc *doc = sd_rich_text_get_doc (self->text);

  for (guint i = 0; i < sd_rich_doc_get_n_widgets (doc); i++)
    {
      const SdRichWidget *place = sd_rich_doc_get_widget (doc, i);
      GtkTextChildAnchor *anchor = sd_rich_text_get_widget_anchor (self->text, i);
      GtkWidget *widget = NULL;

      if (g_str_equal (place->kind, SD_CARD_HTML_WIDGET_TYPE_ANSWER) && self->entry == NULL)
        {
          widget = self->entry = create_entry (self);
        }
      else if (g_str_equal (place->kind, SD_CARD_HTML_WIDGET_SOUND) ||
               g_str_equal (place->kind, SD_CARD_HTML_WIDGET_MISSING_SOUND))
        {
          gboolean missing = g_str_equal (place->kind, SD_CARD_HTML_WIDGET_MISSING_SOUND);
          Sound sound = { 0, };

          widget = missing ? create_missing_sound (place->data) : create_sound (self, place->data);
          sound.widget = g_object_ref (widget);
          sound.path = missing ? NULL : g_strdup (place->data);
          g_array_append_val (self->sounds, sound);
        }

      if (widget != NULL)
        {
          gtk_text_view_add_child_at_anchor (GTK_TEXT_VIEW (self->view), widget, anchor);
          if (widget != self->entry)
            lower_widget (self, place->offset);
        }
    }
}

/* ------------------------------------------------------------------------
 * Hints
 * ------------------------------------------------------------------------ */

static void
apply_reveal (SdCardView *self,
              const char *id)
{
  g_autofree char *name = g_strconcat (SD_CARD_HTML_HINT_RANGE_PREFIX, id, NULL);
  g_autofree char *uri = g_strconcat (SD_CARD_HTML_HINT_PREFIX, id, NULL);
  SdRichDoc *doc = sd_rich_text_get_doc (self->text);
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (self->text);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *hidden = gtk_text_tag_table_lookup (table, "hidden");
  GtkTextTag *alt = gtk_text_tag_table_lookup (table, "image-alt");
  const SdRichRange *range = sd_rich_doc_find_range (doc, name);
  GtkTextIter start, end;

  if (range == NULL)
    return;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, range->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, range->end);
  gtk_text_buffer_remove_tag (buffer, hidden, &start, &end);

  /* Alt texts stay behind the images that are shown. */
  for (guint i = 0; i < sd_rich_doc_get_n_images (doc); i++)
    {
      const SdRichImage *image = sd_rich_doc_get_image (doc, i);

      if (image->offset < range->start || image->offset >= range->end ||
          image->alt_end <= image->alt_start)
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, image->alt_start);
      if (gtk_text_iter_has_tag (&start, alt))
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &end, image->alt_end);
      gtk_text_buffer_apply_tag (buffer, hidden, &start, &end);
    }

  /* The link that revealed it goes, as in Anki. */
  for (guint i = 0; i < sd_rich_doc_get_n_links (doc); i++)
    {
      const SdRichLink *link = sd_rich_doc_get_link (doc, i);

      if (!g_str_equal (link->uri, uri))
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, link->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, link->end);
      gtk_text_buffer_apply_tag (buffer, hidden, &start, &end);
    }
}

/**
 * sd_card_view_reveal_hint:
 * @id: the hint's id (what follows "sd-hint:" in its link)
 *
 * Shows the hint's content and hides its link.
 *
 * Returns: FALSE if the card has no such hint
 */
gboolean
sd_card_view_reveal_hint (SdCardView *self,
                          const char *id)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (SD_IS_CARD_VIEW (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->text == NULL)
    return FALSE;

  name = g_strconcat (SD_CARD_HTML_HINT_RANGE_PREFIX, id, NULL);
  if (sd_rich_doc_find_range (sd_rich_text_get_doc (self->text), name) == NULL)
    return FALSE;

  apply_reveal (self, id);
  if (!g_ptr_array_find_with_equal_func (self->revealed, id, g_str_equal, NULL))
    g_ptr_array_add (self->revealed, g_strdup (id));

  return TRUE;
}

static gboolean
on_view_link_activated (SdRichView *view,
                        const char *uri,
                        SdCardView *self)
{
  gboolean handled = FALSE;

  if (g_str_has_prefix (uri, SD_CARD_HTML_HINT_PREFIX))
    return sd_card_view_reveal_hint (self, uri + strlen (SD_CARD_HTML_HINT_PREFIX));

  g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri, &handled);

  return handled;
}

static gboolean
sd_card_view_real_link_activated (SdCardView *self,
                                  const char *uri)
{
  GtkRoot *root;

  if (sd_rich_link_classify (uri) != SD_RICH_LINK_EXTERNAL)
    return FALSE;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------ */

static void
clear_widgets (SdCardView *self)
{
  g_array_set_size (self->sounds, 0);
  self->entry = NULL;
}

static void
render (SdCardView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (manager);
  g_autofree char *typed = NULL;
  g_autoptr(SdRichDoc) doc = NULL;
  SdCardHtmlOptions options = { 0, };
  guint32 bg = 0;

  if (self->entry != NULL)
    typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  /* The old text's widgets go with its buffer. */
  clear_widgets (self);

  if (self->html == NULL)
    {
      sd_rich_view_set_text (self->view, NULL);
      g_clear_object (&self->text);
      self->has_page_color = FALSE;
      gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-card-page");
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  options.css = self->css;
  options.media_dir = self->media_dir;
  options.night_mode = dark;
  options.card_ord = self->card_ord;
  doc = sd_card_html_render_with_options (self->html, &options);

  g_clear_object (&self->text);
  self->text = sd_rich_text_new (doc);
  /* Cards are short; a long one is styled at once so the widgets and
   * revealed hints live in its only buffer. */
  sd_rich_text_complete (self->text);

  self->has_page_color = sd_card_html_get_background (self->css, dark, self->card_ord, &bg);
  self->page_color.red = ((bg >> 24) & 0xff) / 255.f;
  self->page_color.green = ((bg >> 16) & 0xff) / 255.f;
  self->page_color.blue = ((bg >> 8) & 0xff) / 255.f;
  self->page_color.alpha = 1.f;
  if (self->has_page_color)
    gtk_widget_add_css_class (GTK_WIDGET (self), "sd-card-page");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-card-page");

  sd_rich_view_set_text (self->view, self->text);
  add_widgets (self);

  if (typed != NULL && self->entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), typed);
  for (guint i = 0; i < self->revealed->len; i++)
    apply_reveal (self, g_ptr_array_index (self->revealed, i));

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_dark_changed (AdwStyleManager *manager,
                 GParamSpec      *pspec,
                 SdCardView      *self)
{
  if (self->html != NULL)
    render (self);
}

/**
 * sd_card_view_set_card_full:
 * @html: (nullable): a rendered card side (sd_card_render()); NULL clears
 * @css: (nullable): the note type's CSS
 * @media_dir: (nullable): the collection's media folder
 * @card_ord: the template ordinal (for `.card1` rules), or -1
 *
 * Shows a card side. The typed answer and revealed hints of the previous
 * card are forgotten.
 */
void
sd_card_view_set_card_full (SdCardView *self,
                            const char *html,
                            const char *css,
                            const char *media_dir,
                            int         card_ord)
{
  g_return_if_fail (SD_IS_CARD_VIEW (self));

  sd_card_view_stop_sounds (self);
  /* A new card starts empty. */
  if (self->entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  clear_widgets (self);
  g_ptr_array_set_size (self->revealed, 0);

  g_free (self->html);
  g_free (self->css);
  g_free (self->media_dir);
  self->html = g_strdup (html);
  self->css = g_strdup (css);
  self->media_dir = g_strdup (media_dir);
  self->card_ord = card_ord;

  render (self);
}

void
sd_card_view_set_card (SdCardView *self,
                       const char *html,
                       const char *css,
                       const char *media_dir)
{
  sd_card_view_set_card_full (self, html, css, media_dir, -1);
}

/* ------------------------------------------------------------------------
 * Widget
 * ------------------------------------------------------------------------ */

static void
sd_card_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SdCardView *self = SD_CARD_VIEW (widget);

  if (self->has_page_color)
    gtk_snapshot_append_color (snapshot, &self->page_color,
                               &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                    gtk_widget_get_height (widget)));

  GTK_WIDGET_CLASS (sd_card_view_parent_class)->snapshot (widget, snapshot);
}

static void
sd_card_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  SdCardView *self = SD_CARD_VIEW (widget);

  gtk_widget_measure (self->scroller, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
sd_card_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  SdCardView *self = SD_CARD_VIEW (widget);
  /* The text's width, less the slack SdRichView leaves its children and
   * room for an overlay scrollbar. */
  int entry_width = CLAMP (width - 2 * SD_RICH_TEXT_MARGIN - 16, ENTRY_MIN_WIDTH, ENTRY_MAX_WIDTH);

  if (entry_width != self->entry_width)
    {
      self->entry_width = entry_width;
      if (self->entry != NULL)
        gtk_widget_set_size_request (self->entry, entry_width, -1);
    }

  gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
}

static void
sd_card_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sd_card_view_parent_class)->root (widget);

  ensure_css (widget);
}

static void
sd_card_view_dispose (GObject *object)
{
  SdCardView *self = SD_CARD_VIEW (object);

  sd_card_view_stop_sounds (self);
  clear_widgets (self);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  self->view = NULL;

  G_OBJECT_CLASS (sd_card_view_parent_class)->dispose (object);
}

static void
sd_card_view_finalize (GObject *object)
{
  SdCardView *self = SD_CARD_VIEW (object);

  g_clear_object (&self->text);
  g_array_unref (self->sounds);
  g_ptr_array_unref (self->revealed);
  g_free (self->html);
  g_free (self->css);
  g_free (self->media_dir);

  G_OBJECT_CLASS (sd_card_view_parent_class)->finalize (object);
}

static void
sd_card_view_class_init (SdCardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_card_view_dispose;
  object_class->finalize = sd_card_view_finalize;

  widget_class->snapshot = sd_card_view_snapshot;
  widget_class->measure = sd_card_view_measure;
  widget_class->size_allocate = sd_card_view_size_allocate;
  widget_class->root = sd_card_view_root;

  /**
   * SdCardView::answer-requested:
   *
   * Enter was pressed in the type-answer entry: the app shows the answer
   * (with sd_card_view_get_typed_text() as the typed answer).
   */
  signals[ANSWER_REQUESTED] =
    g_signal_new ("answer-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * SdCardView::link-activated:
   * @uri: the link's target (http(s) or mailto; hints are handled inside)
   *
   * The default handler opens the link with gtk_show_uri().
   *
   * Returns: TRUE if the link was handled
   */
  signals[LINK_ACTIVATED] =
    g_signal_new_class_handler ("link-activated",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (sd_card_view_real_link_activated),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "sd-card-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_card_view_init (SdCardView *self)
{
  self->sounds = g_array_new (FALSE, TRUE, sizeof (Sound));
  g_array_set_clear_func (self->sounds, sound_clear);
  self->revealed = g_ptr_array_new_with_free_func (g_free);
  self->card_ord = -1;

  gtk_widget_add_css_class (GTK_WIDGET (self), "sd-card-view");

  self->scroller = gtk_scrolled_window_new ();
  /* EXTERNAL, not NEVER: the entry's width request (which follows the
   * view's width) must not become the window's minimum width. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_EXTERNAL, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  self->view = SD_RICH_VIEW (sd_rich_view_new ());
  g_signal_connect (self->view, "link-activated", G_CALLBACK (on_view_link_activated), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, 0);
}

GtkWidget *
sd_card_view_new (void)
{
  return g_object_new (SD_TYPE_CARD_VIEW, NULL);
}

/* Getters ---------------------------------------------------------------- */

/* Returns: (transfer none) (nullable): the rendered card */
SdRichText *
sd_card_view_get_rich_text (SdCardView *self)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), NULL);

  return self->text;
}

/* Returns: (transfer none): the text view */
SdRichView *
sd_card_view_get_rich_view (SdCardView *self)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), NULL);

  return self->view;
}

/* The colour painted behind the card, if the note type sets one. */
gboolean
sd_card_view_get_page_color (SdCardView *self,
                             GdkRGBA    *color)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), FALSE);

  if (self->has_page_color && color != NULL)
    *color = self->page_color;

  return self->has_page_color;
}

/* Returns: (transfer none) (nullable): the type-answer entry */
GtkEntry *
sd_card_view_get_type_entry (SdCardView *self)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), NULL);

  return self->entry != NULL ? GTK_ENTRY (self->entry) : NULL;
}

/* Returns: (nullable): what was typed, or NULL when the card asks nothing */
const char *
sd_card_view_get_typed_text (SdCardView *self)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), NULL);

  if (self->entry == NULL)
    return NULL;

  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

guint
sd_card_view_get_n_sounds (SdCardView *self)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), 0);

  return self->sounds->len;
}

/* Returns: (transfer none): the play button, or the label of a missing file */
GtkWidget *
sd_card_view_get_sound_widget (SdCardView *self,
                               guint       i)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), NULL);
  g_return_val_if_fail (i < self->sounds->len, NULL);

  return g_array_index (self->sounds, Sound, i).widget;
}

/* Returns: (nullable): the sound's file, NULL when it is missing */
const char *
sd_card_view_get_sound_path (SdCardView *self,
                             guint       i)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), NULL);
  g_return_val_if_fail (i < self->sounds->len, NULL);

  return g_array_index (self->sounds, Sound, i).path;
}

/* Scrolls so <hr id=answer> is at the top; FALSE if there is none. */
gboolean
sd_card_view_scroll_to_answer (SdCardView *self)
{
  g_return_val_if_fail (SD_IS_CARD_VIEW (self), FALSE);

  if (self->text == NULL)
    return FALSE;

  return sd_rich_view_scroll_to_heading (self->view, SD_CARD_HTML_ANSWER_MARK);
}
