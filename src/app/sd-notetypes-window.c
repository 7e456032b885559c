/* sd-notetypes-window.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sd-card.h"
#include "sd-card-render.h"
#include "sd-card-view.h"
#include "sd-compat.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-notetypes-window.h"
#include "sd-template.h"

/* Manage note types: a list of them with their note counts (add by cloning
 * a stock or an existing type, rename, delete with their notes), and for the
 * selected one its fields and its card templates with a live preview.
 *
 * Adding, renaming and deleting a note type are written at once. Changes to
 * fields, card types, templates and styling collect in a copy of the note
 * type until Save, which writes them with the notes and cards that follow
 * in one transaction (sd_notetype_save_changes()): a half-typed template is
 * never saved, and a removed field or card type can still be brought back
 * by discarding. Leaving a note type or closing the window with unsaved
 * changes asks what to do with them. */

#define PREVIEW_DELAY_MS 250

typedef enum
{
  PENDING_NONE,
  PENDING_OPEN,
  PENDING_CLOSE,
} Pending;

struct _SdNotetypesWindow
{
  AdwWindow             parent_instance;

  SdCollection         *collection;
  GPtrArray            *notetypes;       /* SdNotetype as saved, in list order */
  SdNotetype           *edited;          /* the selected one, with unsaved changes */
  SdNotetypeUsage       usage;           /* of the selected one */
  SdNote               *sample;          /* its first note, for the preview, or NULL */
  gboolean              modified;
  gboolean              loading;
  guint                 preview_id;
  char                 *template_error;
  Pending               pending;
  gint64                pending_id;
  GCancellable         *cancellable;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *type_list;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  AdwPreferencesGroup  *fields_group;
  GtkListBox           *field_list;
  AdwComboRow          *sort_row;
  GtkDropDown          *template_dropdown;
  GtkLabel             *template_note_label;
  GtkStack             *editor_stack;
  GtkToggleButton      *front_editor_toggle;
  GtkToggleButton      *back_editor_toggle;
  GtkToggleButton      *css_editor_toggle;
  GtkSourceView        *front_view;
  GtkSourceView        *back_view;
  GtkSourceView        *css_view;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkToggleButton      *front_toggle;
  GtkToggleButton      *back_toggle;
  GtkLabel             *preview_source_label;
  SdCardView           *preview;
};

G_DEFINE_FINAL_TYPE (SdNotetypesWindow, sd_notetypes_window, ADW_TYPE_WINDOW)

static void open_notetype (SdNotetypesWindow *self,
                           gint64             id);

static void
toast (SdNotetypesWindow *self,
       const char        *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static GtkTextBuffer *
buffer_of (GtkSourceView *view)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static guint
current_template (SdNotetypesWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->template_dropdown);

  if (self->edited == NULL || selected >= self->edited->templates->len)
    return 0;
  return selected;
}

static SdCardTemplate *
current_tmpl (SdNotetypesWindow *self)
{
  return g_ptr_array_index (self->edited->templates, current_template (self));
}

static void
remove_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static char *
describe_usage (const SdNotetypeUsage *usage)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GINT64_FORMAT " note",
                                       "%" G_GINT64_FORMAT " notes", usage->notes),
                          usage->notes);
}

/* ---- state -------------------------------------------------------------- */

static GtkListBoxRow *
row_for (SdNotetypesWindow *self,
         gint64             id)
{
  for (guint i = 0; self->notetypes != NULL && i < self->notetypes->len; i++)
    if (((SdNotetype *) g_ptr_array_index (self->notetypes, i))->id == id)
      return gtk_list_box_get_row_at_index (self->type_list, (int) i);
  return NULL;
}

static void
update_row (SdNotetypesWindow *self)
{
  GtkListBoxRow *row;
  GtkLabel *caption;
  g_autofree char *text = NULL;

  if (self->edited == NULL || (row = row_for (self, self->edited->id)) == NULL)
    return;
  caption = g_object_get_data (G_OBJECT (row), "caption");
  text = self->modified ? g_strdup (_("Unsaved changes")) : describe_usage (&self->usage);
  gtk_label_set_label (caption, text);
}

static void
update_title (SdNotetypesWindow *self)
{
  g_autofree char *usage = NULL;

  if (self->edited == NULL)
    return;
  usage = describe_usage (&self->usage);
  adw_view_switcher_title_set_title (self->switcher_title, self->edited->name);
  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        self->modified ? _("Unsaved changes") : usage);
  update_row (self);
}

static void
update_actions (SdNotetypesWindow *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean have = self->edited != NULL;
  gboolean locked = have && self->usage.file_notes > 0;
  gboolean standard = have && self->edited->kind == SD_NOTETYPE_STANDARD;
  guint n_fields = have ? self->edited->fields->len : 0;
  guint n_templates = have ? self->edited->templates->len : 0;
  guint sel = current_template (self);
  const char *notice = NULL;

  gtk_widget_action_set_enabled (w, "notetypes.save", self->modified);
  gtk_widget_action_set_enabled (w, "notetypes.discard", self->modified);
  gtk_widget_action_set_enabled (w, "notetypes.rename", have);
  gtk_widget_action_set_enabled (w, "notetypes.delete",
                                 have && self->notetypes != NULL && self->notetypes->len > 1);
  gtk_widget_action_set_enabled (w, "field.add", have && !locked);
  gtk_widget_action_set_enabled (w, "field.rename", have);
  gtk_widget_action_set_enabled (w, "field.remove", have && !locked && n_fields > 1);
  gtk_widget_action_set_enabled (w, "field.move-up", have && !locked);
  gtk_widget_action_set_enabled (w, "field.move-down", have && !locked);
  gtk_widget_action_set_enabled (w, "template.add", standard && !locked);
  gtk_widget_action_set_enabled (w, "template.rename", have);
  gtk_widget_action_set_enabled (w, "template.remove", standard && !locked && n_templates > 1);
  gtk_widget_action_set_enabled (w, "template.move-earlier", standard && !locked && sel > 0);
  gtk_widget_action_set_enabled (w, "template.move-later",
                                 standard && !locked && sel + 1 < n_templates);

  if (locked)
    notice = _("Cards written in your note files use this note type and fill its fields in "
               "order, so fields can be renamed but not added, deleted or moved. Clone the "
               "note type for one of another shape.");
  adw_preferences_group_set_description (self->fields_group, notice);

  if (locked)
    notice = _("Cards written in your note files use this note type, so its card types "
               "stay as they are; their templates can be edited.");
  else if (have && !standard)
    notice = _("A cloze note type has one card type, which makes a card for every cloze "
               "number: c1, c2…");
  gtk_label_set_label (self->template_note_label, notice ? notice : "");
  gtk_widget_set_visible (GTK_WIDGET (self->template_note_label), notice != NULL);
}

static void
set_modified (SdNotetypesWindow *self,
              gboolean           modified)
{
  self->modified = modified;
  update_title (self);
  update_actions (self);
}

/* ---- preview ------------------------------------------------------------ */

/* Field values for a note type nobody uses yet: each field's name, and a
 * deletion for cloze so that there is a card to show. */
static char **
sample_values (const SdNotetype *notetype)
{
  char **values = g_new0 (char *, notetype->fields->len + 1);
  int cloze_field = -1;

  if (notetype->kind == SD_NOTETYPE_CLOZE)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, 0);
      g_autoptr(SdTemplate) parsed = sd_template_parse (tmpl->front, NULL);

      if (parsed != NULL)
        {
          g_auto(GStrv) used = sd_template_referenced_cloze_fields (parsed);
          if (used[0] != NULL)
            cloze_field = sd_notetype_field_index (notetype, used[0]);
        }
    }

  for (guint i = 0; i < notetype->fields->len; i++)
    {
      const SdField *field = g_ptr_array_index (notetype->fields, i);
      g_autofree char *escaped = g_markup_escape_text (field->name, -1);

      if ((int) i == cloze_field)
        values[i] = g_strdup (_("This is a {{c1::sample}} cloze deletion."));
      else
        values[i] = g_strdup_printf ("(%s)", escaped);
    }
  return values;
}

static void
update_preview (SdNotetypesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  g_autoptr(SdRenderedCard) card = NULL;
  g_autofree char *tags = NULL;
  guint sel;
  int ord;

  g_clear_handle_id (&self->preview_id, g_source_remove);
  if (self->edited == NULL)
    return;
  sel = current_template (self);

  /* A broken template is named with what is wrong; the preview shows the
   * same message on the card, as review would. */
  g_clear_pointer (&self->template_error, g_free);
  if (!sd_notetype_check_template (self->edited, sel, &error))
    {
      self->template_error = g_strdup (error->message);
      gtk_label_set_label (self->error_label, error->message);
    }
  gtk_revealer_set_reveal_child (self->error_revealer, self->template_error != NULL);

  if (self->sample != NULL)
    {
      values = sd_notetype_map_fields (self->edited, (const char * const *) self->sample->fields);
      tags = g_strjoinv (" ", self->sample->tags);
      gtk_label_set_label (self->preview_source_label,
                           _("Shown with the first note of this type"));
    }
  else
    {
      values = sample_values (self->edited);
      gtk_label_set_label (self->preview_source_label,
                           _("Sample text: no note uses this type yet"));
    }

  ord = (int) sel;
  if (self->edited->kind == SD_NOTETYPE_CLOZE)
    {
      g_autoptr(SdNote) probe = sd_note_new (self->edited->id, (const char * const *) values);
      g_autoptr(GArray) ords = sd_card_ords_for_note (self->edited, probe);

      ord = (int) g_array_index (ords, guint, 0);
    }

  card = sd_card_render_preview (self->edited, (const char * const *) values, tags, NULL, ord);
  sd_card_view_set_card (self->preview,
                         gtk_toggle_button_get_active (self->back_toggle) ? card->answer
                                                                          : card->question,
                         card->css, sd_collection_get_media_dir (self->collection));
}

static gboolean
preview_timeout_cb (gpointer user_data)
{
  SdNotetypesWindow *self = user_data;

  self->preview_id = 0;
  update_preview (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (SdNotetypesWindow *self)
{
  if (self->preview_id == 0)
    self->preview_id = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

/* ---- pages -------------------------------------------------------------- */

static GtkWidget *
row_button (const char *icon,
            const char *tooltip,
            const char *action,
            guint       index,
            gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  /* An action would make the button sensitive again whenever it is enabled:
   * a button at the end of the list has none. */
  if (sensitive)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", index);
    }
  else
    gtk_widget_set_sensitive (button, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  return button;
}

static void
fill_sort (SdNotetypesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->edited->fields->len; i++)
    gtk_string_list_append (names, ((SdField *) g_ptr_array_index (self->edited->fields, i))->name);

  self->loading = TRUE;
  adw_combo_row_set_model (self->sort_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->sort_row, self->edited->sort_field);
  self->loading = FALSE;
}

static void
fill_fields (SdNotetypesWindow *self)
{
  guint n = self->edited->fields->len;

  remove_rows (self->field_list);
  for (guint i = 0; i < n; i++)
    {
      const SdField *field = g_ptr_array_index (self->edited->fields, i);
      GtkWidget *row = adw_action_row_new ();
      const char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->name);
      if (i == self->edited->sort_field && field->ord < 0)
        subtitle = _("Sort field · new");
      else if (i == self->edited->sort_field)
        subtitle = _("Sort field");
      else if (field->ord < 0)
        subtitle = _("New");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
      gtk_widget_set_tooltip_text (row, _("Rename"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "field.rename");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "u", i);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("go-up-symbolic", _("Move Up"), "field.move-up",
                                             i, i > 0));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("go-down-symbolic", _("Move Down"),
                                             "field.move-down", i, i + 1 < n));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("user-trash-symbolic", _("Delete Field"),
                                             "field.remove", i, TRUE));
      gtk_list_box_append (self->field_list, row);
    }
  fill_sort (self);
}

static void
load_editors (SdNotetypesWindow *self)
{
  SdCardTemplate *tmpl = current_tmpl (self);
  struct { GtkSourceView *view; const char *text; } editors[] = {
    { self->front_view, tmpl->front },
    { self->back_view, tmpl->back },
    { self->css_view, self->edited->css },
  };

  /* Undo stays within one template: loading another is not an edit. */
  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (editors); i++)
    {
      GtkTextBuffer *buffer = buffer_of (editors[i].view);
      g_autofree char *now = buffer_text (buffer);

      if (g_strcmp0 (now, editors[i].text) == 0)
        continue;
      gtk_text_buffer_begin_irreversible_action (buffer);
      gtk_text_buffer_set_text (buffer, editors[i].text ? editors[i].text : "", -1);
      gtk_text_buffer_end_irreversible_action (buffer);
    }
  self->loading = FALSE;
  update_actions (self);
  update_preview (self);
}

static void
fill_templates (SdNotetypesWindow *self,
                guint              select)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->edited->templates->len; i++)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (self->edited->templates, i);
      gtk_string_list_append (names, tmpl->name);
    }

  self->loading = TRUE;
  gtk_drop_down_set_model (self->template_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->template_dropdown,
                              MIN (select, self->edited->templates->len - 1));
  self->loading = FALSE;
  load_editors (self);
}

/* Shows @saved, a note type of the list, with nothing changed yet. */
static void
load_notetype (SdNotetypesWindow *self,
               const SdNotetype  *saved,
               guint              template_index)
{
  g_autoptr(GError) error = NULL;
  gint64 note_id;

  g_clear_pointer (&self->edited, sd_notetype_free);
  g_clear_pointer (&self->sample, sd_note_free);
  self->edited = sd_notetype_copy (saved);
  if (!sd_notetype_get_usage (self->collection, saved->id, &self->usage, &error))
    {
      memset (&self->usage, 0, sizeof self->usage);
      toast (self, error->message);
    }
  note_id = sd_notetype_first_note_id (self->collection, saved->id);
  if (note_id != 0)
    self->sample = sd_note_load (self->collection, note_id, NULL);

  self->modified = FALSE;
  fill_fields (self);
  fill_templates (self, template_index);
  update_title (self);
  update_actions (self);
}

/* ---- the list of note types --------------------------------------------- */

static GtkWidget *
make_type_row (SdNotetypesWindow *self,
               const SdNotetype  *notetype)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (notetype->name);
  GtkWidget *caption = gtk_label_new (NULL);
  SdNotetypeUsage usage = { 0 };
  g_autofree char *text = NULL;

  if (sd_notetype_get_usage (self->collection, notetype->id, &usage, &error))
    text = describe_usage (&usage);
  gtk_label_set_label (GTK_LABEL (caption), text);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "caption", caption);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  notetype->name, -1);
  return row;
}

/* Reads the note types again; the row of the one being edited stays
 * selected and its editor untouched. */
static void
reload_list (SdNotetypesWindow *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = sd_notetype_list (self->collection, &error);

  if (list == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_clear_pointer (&self->notetypes, g_ptr_array_unref);
  self->notetypes = list;

  self->loading = TRUE;
  remove_rows (self->type_list);
  for (guint i = 0; i < list->len; i++)
    gtk_list_box_append (self->type_list, make_type_row (self, g_ptr_array_index (list, i)));
  if (self->edited != NULL)
    gtk_list_box_select_row (self->type_list, row_for (self, self->edited->id));
  self->loading = FALSE;
  update_title (self);
  update_actions (self);
}

static void
open_notetype (SdNotetypesWindow *self,
               gint64             id)
{
  GtkListBoxRow *row = row_for (self, id);

  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->type_list, 0);
  if (row == NULL)
    return;

  self->loading = TRUE;
  gtk_list_box_select_row (self->type_list, row);
  self->loading = FALSE;
  load_notetype (self, g_ptr_array_index (self->notetypes, gtk_list_box_row_get_index (row)), 0);
}

static gboolean
save (SdNotetypesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  SdNotetypeChanges changes = { 0 };
  guint template_index = current_template (self);
  const char *page = gtk_stack_get_visible_child_name (self->editor_stack);
  g_autofree char *page_name = g_strdup (page);

  if (!self->modified)
    return TRUE;
  if (!sd_notetype_save_changes (self->collection, self->edited, &changes, &error))
    {
      toast (self, error->message);
      return FALSE;
    }

  g_string_printf (message, _("Saved “%s”"), self->edited->name);
  if (changes.cards_added > 0)
    {
      g_string_append (message, " · ");
      g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, "%u card added",
                                                    "%u cards added", changes.cards_added),
                              changes.cards_added);
    }
  if (changes.cards_removed > 0)
    {
      g_string_append (message, " · ");
      g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, "%u card deleted",
                                                    "%u cards deleted", changes.cards_removed),
                              changes.cards_removed);
    }
  toast (self, message->str);

  self->modified = FALSE;
  reload_list (self);
  {
    GtkListBoxRow *row = row_for (self, self->edited->id);
    if (row != NULL)
      load_notetype (self, g_ptr_array_index (self->notetypes, gtk_list_box_row_get_index (row)),
                     template_index);
  }
  gtk_stack_set_visible_child_name (self->editor_stack, page_name);
  return TRUE;
}

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
run_pending (SdNotetypesWindow *self)
{
  Pending pending = self->pending;

  self->pending = PENDING_NONE;
  switch (pending)
    {
    case PENDING_OPEN:
      open_notetype (self, self->pending_id);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
      break;
    case PENDING_CLOSE:
      /* Once the dialog that asked is gone: it still refers to its parent. */
      g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
      break;
    case PENDING_NONE:
    default:
      break;
    }
}

static void
unsaved_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     SdNotetypesWindow *self)
{
  /* Answered once: closing the dialog emits ::response again. */
  g_signal_handlers_disconnect_by_func (dialog, unsaved_response_cb, self);
  gtk_window_close (GTK_WINDOW (dialog));

  if (g_strcmp0 (response, "save") == 0 && save (self))
    run_pending (self);
  else if (g_strcmp0 (response, "discard") == 0)
    {
      self->modified = FALSE;
      run_pending (self);
    }
  else
    {
      /* Stay: the row of the note type being edited is selected again. */
      self->pending = PENDING_NONE;
      if (self->edited != NULL)
        {
          self->loading = TRUE;
          gtk_list_box_select_row (self->type_list, row_for (self, self->edited->id));
          self->loading = FALSE;
        }
    }
}

static void
ask_unsaved (SdNotetypesWindow *self,
             Pending            pending,
             gint64             id)
{
  g_autofree char *body = g_strdup_printf (_("“%s” has changes to its fields or templates "
                                             "that are not saved yet."), self->edited->name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body);

  self->pending = pending;
  self->pending_id = id;
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unsaved_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Opens note type @id, asking first what to do with unsaved changes. */
static void
request_open (SdNotetypesWindow *self,
              gint64             id)
{
  if (self->edited != NULL && self->edited->id == id)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  else if (self->modified && self->edited != NULL)
    ask_unsaved (self, PENDING_OPEN, id);
  else
    {
      self->pending = PENDING_OPEN;
      self->pending_id = id;
      run_pending (self);
    }
}

static void
type_selected_cb (SdNotetypesWindow *self,
                  GtkListBoxRow     *row)
{
  SdNotetype *notetype;

  if (self->loading || row == NULL || self->notetypes == NULL)
    return;
  notetype = g_ptr_array_index (self->notetypes, gtk_list_box_row_get_index (row));
  if (self->edited != NULL && notetype->id == self->edited->id)
    {
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
      return;
    }
  request_open (self, notetype->id);
}

static void
back_clicked_cb (SdNotetypesWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
message_response_cb (AdwMessageDialog *dialog)
{
  g_signal_handlers_disconnect_by_func (dialog, message_response_cb, NULL);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
show_message (SdNotetypesWindow *self,
              const char        *heading,
              const char        *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  g_signal_connect (dialog, "response", G_CALLBACK (message_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- note type actions -------------------------------------------------- */

/* @base, or "base 2", "base 3"… when a note type has that name. */
static char *
unique_name (SdNotetypesWindow *self,
             const char        *base)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (base) : g_strdup_printf ("%s %u", base, n);
      g_autofree char *folded = g_utf8_casefold (candidate, -1);
      gboolean taken = FALSE;

      for (guint i = 0; i < self->notetypes->len && !taken; i++)
        {
          const SdNotetype *notetype = g_ptr_array_index (self->notetypes, i);
          g_autofree char *other = g_utf8_casefold (notetype->name, -1);

          taken = g_strcmp0 (folded, other) == 0;
        }
      if (!taken)
        return g_steal_pointer (&candidate);
    }
}

static gboolean
name_available (SdNotetypesWindow *self,
                const char        *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));
  g_autofree char *unique = NULL;

  if (stripped[0] == '\0')
    return FALSE;
  unique = unique_name (self, stripped);
  return g_strcmp0 (unique, stripped) == 0;
}

typedef struct
{
  SdNotetypesWindow *self;
  GPtrArray         *sources;   /* SdNotetype: stock ones, then the collection's */
  AdwComboRow       *source_row;
  AdwEntryRow       *name_row;
  AdwMessageDialog  *dialog;
} AddDialog;

static void
add_dialog_free (AddDialog *add)
{
  g_object_unref (add->self);
  g_ptr_array_unref (add->sources);
  g_free (add);
}

static void
add_name_changed_cb (AddDialog *add)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (add->name_row));
  gboolean ok = name_available (add->self, name);

  adw_message_dialog_set_response_enabled (add->dialog, "add", ok);
  if (ok || name[0] == '\0')
    gtk_widget_remove_css_class (GTK_WIDGET (add->name_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (add->name_row), "error");
}

static void
add_source_changed_cb (AddDialog *add)
{
  guint i = adw_combo_row_get_selected (add->source_row);
  const SdNotetype *source;
  g_autofree char *name = NULL;

  if (i >= add->sources->len)
    return;
  source = g_ptr_array_index (add->sources, i);
  name = unique_name (add->self, source->name);
  gtk_editable_set_text (GTK_EDITABLE (add->name_row), name);
}

static void
add_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 AddDialog        *add)
{
  SdNotetypesWindow *self = add->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) added = NULL;
  guint i = adw_combo_row_get_selected (add->source_row);

  g_signal_handlers_disconnect_by_func (dialog, add_response_cb, add);
  if (g_strcmp0 (response, "add") != 0 || i >= add->sources->len)
    {
      gtk_window_close (GTK_WINDOW (dialog));
      return;
    }

  added = sd_notetype_clone (self->collection, g_ptr_array_index (add->sources, i),
                             gtk_editable_get_text (GTK_EDITABLE (add->name_row)), &error);
  gtk_window_close (GTK_WINDOW (dialog));
  if (added == NULL)
    {
      toast (self, error->message);
      return;
    }
  reload_list (self);
  request_open (self, added->id);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  static const SdStockKind stock[] = {
    SD_STOCK_BASIC,
    SD_STOCK_BASIC_AND_REVERSED,
    SD_STOCK_BASIC_OPTIONAL_REVERSED,
    SD_STOCK_BASIC_TYPING,
    SD_STOCK_CLOZE,
  };
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  AddDialog *add = g_new0 (AddDialog, 1);
  GtkWidget *group = adw_preferences_group_new ();

  add->self = g_object_ref (self);
  add->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_notetype_free);
  for (guint i = 0; i < G_N_ELEMENTS (stock); i++)
    {
      SdNotetype *notetype = sd_notetype_new_stock (stock[i]);
      g_autofree char *label = g_strdup_printf (_("Add: %s"), notetype->name);

      g_ptr_array_add (add->sources, notetype);
      gtk_string_list_append (labels, label);
    }
  for (guint i = 0; self->notetypes != NULL && i < self->notetypes->len; i++)
    {
      const SdNotetype *notetype = g_ptr_array_index (self->notetypes, i);
      g_autofree char *label = g_strdup_printf (_("Clone: %s"), notetype->name);

      g_ptr_array_add (add->sources, sd_notetype_copy (notetype));
      gtk_string_list_append (labels, label);
    }

  add->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                            _("Add Note Type"),
                                                            _("A new note type starts as a copy "
                                                              "of a stock type or of one of "
                                                              "yours, with its fields, "
                                                              "templates and styling.")));
  add->source_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add->source_row), _("Based on"));
  adw_combo_row_set_model (add->source_row, G_LIST_MODEL (labels));
  add->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add->name_row), _("Name"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (add->source_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (add->name_row));
  adw_message_dialog_set_extra_child (add->dialog, group);

  adw_message_dialog_add_responses (add->dialog,
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (add->dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (add->dialog, "add");
  adw_message_dialog_set_close_response (add->dialog, "cancel");

  g_signal_connect_swapped (add->source_row, "notify::selected",
                            G_CALLBACK (add_source_changed_cb), add);
  g_signal_connect_swapped (add->name_row, "changed", G_CALLBACK (add_name_changed_cb), add);
  g_signal_connect (add->dialog, "response", G_CALLBACK (add_response_cb), add);
  g_object_set_data_full (G_OBJECT (add->dialog), "sd-add", add, (GDestroyNotify) add_dialog_free);
  add_source_changed_cb (add);
  gtk_window_present (GTK_WINDOW (add->dialog));
}

static void
renamed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdNotetypesWindow) self = user_data;
  g_autofree char *name = sd_compat_ask_text_finish (result);
  g_autoptr(GError) error = NULL;

  if (name == NULL || self->edited == NULL)
    return;
  if (!sd_notetype_rename (self->collection, self->edited, name, &error))
    {
      toast (self, error->message);
      return;
    }
  reload_list (self);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);

  sd_compat_ask_text (GTK_WINDOW (self), _("Rename Note Type"), NULL, self->edited->name,
                      _("_Rename"), self->cancellable, renamed_cb, g_object_ref (self));
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdNotetypesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!sd_compat_confirm_finish (result) || self->edited == NULL)
    return;
  name = g_strdup (self->edited->name);
  if (!sd_notetype_delete_with_notes (self->collection, self->edited->id, &error))
    {
      toast (self, error->message);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Deleted “%s”"), name);
    toast (self, text);
  }
  g_clear_pointer (&self->edited, sd_notetype_free);
  self->modified = FALSE;
  reload_list (self);
  open_notetype (self, 0);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  SdNotetypeUsage usage;

  if (!sd_notetype_get_usage (self->collection, self->edited->id, &usage, &error))
    {
      toast (self, error->message);
      return;
    }

  /* The core says why it refuses; say it before asking anything. */
  if (usage.file_notes > 0)
    {
      sd_notetype_delete_with_notes (self->collection, self->edited->id, &error);
      heading = g_strdup_printf (_("“%s” Cannot Be Deleted"), self->edited->name);
      show_message (self, heading, error ? error->message : NULL);
      return;
    }

  heading = g_strdup_printf (_("Delete “%s”?"), self->edited->name);
  if (usage.notes > 0)
    {
      g_autofree char *notes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%" G_GINT64_FORMAT " note",
                                                             "%" G_GINT64_FORMAT " notes",
                                                             usage.notes), usage.notes);
      g_autofree char *cards = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%" G_GINT64_FORMAT " card",
                                                             "%" G_GINT64_FORMAT " cards",
                                                             usage.cards), usage.cards);
      /* Translators: "Its 12 notes and their 20 cards …" */
      body = g_strdup_printf (_("Its %s and their %s will be deleted with their review "
                                "history. This cannot be undone."), notes, cards);
    }
  else
    body = g_strdup (_("No note uses it."));

  sd_compat_confirm (GTK_WINDOW (self), heading, body, _("_Delete"), TRUE, self->cancellable,
                     deleted_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (SD_NOTETYPES_WINDOW (widget));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  GtkListBoxRow *row;

  if (self->edited == NULL || (row = row_for (self, self->edited->id)) == NULL)
    return;
  load_notetype (self, g_ptr_array_index (self->notetypes, gtk_list_box_row_get_index (row)),
                 current_template (self));
}

/* ---- field actions ------------------------------------------------------ */

static void
fields_changed (SdNotetypesWindow *self)
{
  fill_fields (self);
  load_editors (self);   /* a rename or removal rewrote the templates */
  set_modified (self, TRUE);
}

static void
field_added_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SdNotetypesWindow) self = user_data;
  g_autofree char *name = sd_compat_ask_text_finish (result);
  g_autofree char *valid = NULL;
  g_autoptr(GError) error = NULL;

  if (name == NULL || self->edited == NULL)
    return;
  valid = sd_notetype_valid_field_name (self->edited, name, -1, &error);
  if (valid == NULL)
    {
      toast (self, error->message);
      return;
    }
  sd_notetype_add_field (self->edited, valid);
  fields_changed (self);
}

static void
field_add_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);

  sd_compat_ask_text (GTK_WINDOW (self), _("Add Field"),
                      _("Every note of this type gets the field, empty."), NULL, _("_Add"),
                      self->cancellable, field_added_cb, g_object_ref (self));
}

typedef struct
{
  SdNotetypesWindow *self;
  guint              index;
} FieldOp;

static void
field_op_free (FieldOp *op)
{
  g_object_unref (op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FieldOp, field_op_free)

static FieldOp *
field_op_new (SdNotetypesWindow *self,
              guint              index)
{
  FieldOp *op = g_new0 (FieldOp, 1);

  op->self = g_object_ref (self);
  op->index = index;
  return op;
}

static void
field_renamed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FieldOp) op = user_data;
  g_autofree char *name = sd_compat_ask_text_finish (result);
  g_autoptr(GError) error = NULL;
  SdNotetype *edited = op->self->edited;

  if (name == NULL || edited == NULL || op->index >= edited->fields->len)
    return;
  if (!sd_notetype_rename_field (edited, op->index, name, &error))
    {
      toast (op->self, error->message);
      return;
    }
  fields_changed (op->self);
}

static void
field_rename_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);
  const SdField *field;

  if (index >= self->edited->fields->len)
    return;
  field = g_ptr_array_index (self->edited->fields, index);
  sd_compat_ask_text (GTK_WINDOW (self), _("Rename Field"),
                      _("The templates that show the field are changed to its new name."),
                      field->name, _("_Rename"), self->cancellable, field_renamed_cb,
                      field_op_new (self, index));
}

static void
field_removed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FieldOp) op = user_data;
  g_autoptr(GError) error = NULL;
  SdNotetype *edited = op->self->edited;

  if (!sd_compat_confirm_finish (result) || edited == NULL || op->index >= edited->fields->len)
    return;
  if (!sd_notetype_remove_field (edited, op->index, &error))
    {
      toast (op->self, error->message);
      return;
    }
  fields_changed (op->self);
}

static void
field_remove_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);
  const SdField *field;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  gint64 with_text = 0;

  if (index >= self->edited->fields->len)
    return;
  field = g_ptr_array_index (self->edited->fields, index);
  if (field->ord >= 0)
    with_text = sd_notetype_count_field_notes (self->collection, self->edited->id,
                                               (guint) field->ord, NULL);

  heading = g_strdup_printf (_("Delete Field “%s”?"), field->name);
  if (with_text > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%" G_GINT64_FORMAT " note has text in this field. "
                                         "It will be lost when you save, and the templates "
                                         "no longer show the field.",
                                         "%" G_GINT64_FORMAT " notes have text in this field. "
                                         "It will be lost when you save, and the templates "
                                         "no longer show the field.",
                                         with_text),
                            with_text);
  else
    body = g_strdup (_("No note has text in this field. The templates no longer show it."));

  sd_compat_confirm (GTK_WINDOW (self), heading, body, _("_Delete"), TRUE, self->cancellable,
                     field_removed_cb, field_op_new (self, index));
}

static void
field_move_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);
  gboolean up = g_str_has_suffix (action_name, "up");
  guint n = self->edited->fields->len;

  if (index >= n || (up && index == 0) || (!up && index + 1 >= n))
    return;
  sd_notetype_move_field (self->edited, index, up ? index - 1 : index + 1);
  fill_fields (self);
  set_modified (self, TRUE);
  schedule_preview (self);
}

static void
sort_selected_cb (SdNotetypesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->sort_row);

  if (self->loading || self->edited == NULL || selected >= self->edited->fields->len
      || selected == self->edited->sort_field)
    return;
  self->edited->sort_field = selected;
  fill_fields (self);
  set_modified (self, TRUE);
}

/* ---- card type actions -------------------------------------------------- */

static void
templates_changed (SdNotetypesWindow *self,
                   guint              select)
{
  fill_templates (self, select);
  set_modified (self, TRUE);
}

static void
template_added_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SdNotetypesWindow) self = user_data;
  g_autofree char *name = sd_compat_ask_text_finish (result);
  g_autofree char *valid = NULL;
  g_autofree char *front = NULL;
  g_autofree char *back = NULL;
  g_autoptr(GError) error = NULL;
  SdNotetype *edited = self->edited;
  const SdField *asked, *answer;
  guint n_fields, k;

  if (name == NULL || edited == NULL)
    return;
  valid = sd_notetype_valid_template_name (edited, name, -1, &error);
  if (valid == NULL)
    {
      toast (self, error->message);
      return;
    }

  /* A card type asking for the next field, answered by the one after: for
   * Basic the new Card 2 is the reversed card. */
  n_fields = edited->fields->len;
  k = edited->templates->len % n_fields;
  asked = g_ptr_array_index (edited->fields, k);
  answer = g_ptr_array_index (edited->fields, (k + 1) % n_fields);
  front = g_strdup_printf ("{{%s}}", asked->name);
  back = g_strdup_printf ("{{FrontSide}}\n\n<hr id=answer>\n\n{{%s}}", answer->name);
  sd_notetype_add_template (edited, valid, front, back);
  templates_changed (self, edited->templates->len - 1);
  gtk_stack_set_visible_child_name (self->editor_stack, "front");
}

static void
template_add_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  g_autofree char *name = sd_notetype_new_template_name (self->edited);

  sd_compat_ask_text (GTK_WINDOW (self), _("Add Card Type"),
                      _("When you save, every note that fills in a field its front shows "
                        "gets a new card of this type."),
                      name, _("_Add"), self->cancellable, template_added_cb,
                      g_object_ref (self));
}

static void
template_renamed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SdNotetypesWindow) self = user_data;
  g_autofree char *name = sd_compat_ask_text_finish (result);
  g_autoptr(GError) error = NULL;
  guint index;

  if (name == NULL || self->edited == NULL)
    return;
  index = current_template (self);
  if (!sd_notetype_rename_template (self->edited, index, name, &error))
    {
      toast (self, error->message);
      return;
    }
  templates_changed (self, index);
}

static void
template_rename_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);

  sd_compat_ask_text (GTK_WINDOW (self), _("Rename Card Type"), NULL, current_tmpl (self)->name,
                      _("_Rename"), self->cancellable, template_renamed_cb,
                      g_object_ref (self));
}

static void
remove_current_template (SdNotetypesWindow *self)
{
  g_autoptr(GError) error = NULL;
  guint index = current_template (self);

  if (!sd_notetype_remove_template (self->edited, index, &error))
    {
      toast (self, error->message);
      return;
    }
  templates_changed (self, index > 0 ? index - 1 : 0);
}

static void
template_removed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SdNotetypesWindow) self = user_data;

  if (sd_compat_confirm_finish (result) && self->edited != NULL)
    remove_current_template (self);
}

static void
template_remove_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  const SdCardTemplate *tmpl = current_tmpl (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  gint64 cards = 0;

  if (tmpl->ord >= 0)
    cards = sd_notetype_count_template_cards (self->collection, self->edited->id,
                                              (guint) tmpl->ord, NULL);
  if (cards <= 0)
    {
      remove_current_template (self);
      return;
    }

  heading = g_strdup_printf (_("Delete Card Type “%s”?"), tmpl->name);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Its %" G_GINT64_FORMAT " card will be deleted with its "
                                       "review history when you save.",
                                       "Its %" G_GINT64_FORMAT " cards will be deleted with "
                                       "their review history when you save.",
                                       cards),
                          cards);
  sd_compat_confirm (GTK_WINDOW (self), heading, body, _("_Delete"), TRUE, self->cancellable,
                     template_removed_cb, g_object_ref (self));
}

static void
template_move_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (widget);
  gboolean earlier = g_str_has_suffix (action_name, "earlier");
  guint index = current_template (self);
  guint n = self->edited->templates->len;

  if ((earlier && index == 0) || (!earlier && index + 1 >= n))
    return;
  sd_notetype_move_template (self->edited, index, earlier ? index - 1 : index + 1);
  templates_changed (self, earlier ? index - 1 : index + 1);
}

static void
template_selected_cb (SdNotetypesWindow *self)
{
  if (self->loading || self->edited == NULL)
    return;
  load_editors (self);
}

/* ---- editors ------------------------------------------------------------ */

static void
editor_changed_cb (SdNotetypesWindow *self,
                   GtkTextBuffer     *buffer)
{
  char *text;

  if (self->loading || self->edited == NULL)
    return;

  text = buffer_text (buffer);
  if (buffer == buffer_of (self->front_view))
    {
      g_free (current_tmpl (self)->front);
      current_tmpl (self)->front = text;
    }
  else if (buffer == buffer_of (self->back_view))
    {
      g_free (current_tmpl (self)->back);
      current_tmpl (self)->back = text;
    }
  else
    {
      g_free (self->edited->css);
      self->edited->css = text;
    }
  if (!self->modified)
    set_modified (self, TRUE);
  schedule_preview (self);
}

static void
editor_toggled_cb (SdNotetypesWindow *self,
                   GtkToggleButton   *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->front_editor_toggle)
    gtk_stack_set_visible_child_name (self->editor_stack, "front");
  else if (button == self->back_editor_toggle)
    gtk_stack_set_visible_child_name (self->editor_stack, "back");
  else
    gtk_stack_set_visible_child_name (self->editor_stack, "styling");
}

/* The preview turns to the side being edited. */
static void
editor_switched_cb (SdNotetypesWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->editor_stack);

  if (g_strcmp0 (name, "front") == 0)
    {
      gtk_toggle_button_set_active (self->front_editor_toggle, TRUE);
      gtk_toggle_button_set_active (self->front_toggle, TRUE);
    }
  else if (g_strcmp0 (name, "back") == 0)
    {
      gtk_toggle_button_set_active (self->back_editor_toggle, TRUE);
      gtk_toggle_button_set_active (self->back_toggle, TRUE);
    }
  else
    gtk_toggle_button_set_active (self->css_editor_toggle, TRUE);
}

static void
side_toggled_cb (SdNotetypesWindow *self,
                 GtkToggleButton   *button)
{
  if (gtk_toggle_button_get_active (button) && self->edited != NULL)
    update_preview (self);
}

static void
update_scheme (SdNotetypesWindow *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;
  GtkSourceView *views[] = { self->front_view, self->back_view, self->css_view };

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer_of (views[i])), scheme);
}

static void
setup_editor (SdNotetypesWindow *self,
              GtkSourceView     *view,
              const char        *language)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (buffer_of (view));

  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_source_view_set_show_line_numbers (view, TRUE);
  gtk_source_view_set_auto_indent (view, TRUE);
  gtk_source_view_set_tab_width (view, 2);
  gtk_source_view_set_insert_spaces_instead_of_tabs (view, TRUE);
  gtk_source_buffer_set_language (buffer,
                                  gtk_source_language_manager_get_language (languages, language));
  gtk_source_buffer_set_highlight_matching_brackets (buffer, TRUE);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (editor_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* ---- public API ----------------------------------------------------------- */

/**
 * sd_notetypes_window_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer full): the note types manager of @collection, showing
 *   the first note type
 */
SdNotetypesWindow *
sd_notetypes_window_new (GtkWindow    *parent,
                         SdCollection *collection)
{
  SdNotetypesWindow *self = g_object_new (SD_TYPE_NOTETYPES_WINDOW,
                                          "transient-for", parent,
                                          NULL);

  self->collection = g_object_ref (collection);
  reload_list (self);
  open_notetype (self, 0);
  return self;
}

/**
 * sd_notetypes_window_select_notetype:
 *
 * Shows note type @notetype_id, asking first about unsaved changes to the
 * one shown.
 *
 * Returns: whether the collection has that note type
 */
gboolean
sd_notetypes_window_select_notetype (SdNotetypesWindow *self,
                                     gint64             notetype_id)
{
  g_return_val_if_fail (SD_IS_NOTETYPES_WINDOW (self), FALSE);

  if (row_for (self, notetype_id) == NULL)
    return FALSE;
  request_open (self, notetype_id);
  return TRUE;
}

/**
 * sd_notetypes_window_get_notetype:
 *
 * Returns: (transfer none) (nullable): the note type shown, with its unsaved
 *   changes
 */
const SdNotetype *
sd_notetypes_window_get_notetype (SdNotetypesWindow *self)
{
  g_return_val_if_fail (SD_IS_NOTETYPES_WINDOW (self), NULL);

  return self->edited;
}

gboolean
sd_notetypes_window_get_modified (SdNotetypesWindow *self)
{
  g_return_val_if_fail (SD_IS_NOTETYPES_WINDOW (self), FALSE);

  return self->modified;
}

void
sd_notetypes_window_select_template (SdNotetypesWindow *self,
                                     guint              index)
{
  g_return_if_fail (SD_IS_NOTETYPES_WINDOW (self));

  if (self->edited != NULL && index < self->edited->templates->len)
    gtk_drop_down_set_selected (self->template_dropdown, index);
}

/**
 * sd_notetypes_window_get_editor:
 *
 * Returns: (transfer none): the buffer of one of the Templates page's editors
 */
GtkTextBuffer *
sd_notetypes_window_get_editor (SdNotetypesWindow *self,
                                SdNotetypesEditor  editor)
{
  g_return_val_if_fail (SD_IS_NOTETYPES_WINDOW (self), NULL);

  switch (editor)
    {
    case SD_NOTETYPES_EDITOR_FRONT:
      return buffer_of (self->front_view);
    case SD_NOTETYPES_EDITOR_BACK:
      return buffer_of (self->back_view);
    case SD_NOTETYPES_EDITOR_STYLING:
    default:
      return buffer_of (self->css_view);
    }
}

/**
 * sd_notetypes_window_get_template_error:
 *
 * Brings the preview up to date first.
 *
 * Returns: (nullable): what is wrong with the card type being edited, as
 *   shown under the editors, or %NULL
 */
const char *
sd_notetypes_window_get_template_error (SdNotetypesWindow *self)
{
  g_return_val_if_fail (SD_IS_NOTETYPES_WINDOW (self), NULL);

  if (self->preview_id != 0)
    update_preview (self);
  return self->template_error;
}

/**
 * sd_notetypes_window_get_preview:
 *
 * Brings the preview up to date first.
 *
 * Returns: (transfer none): the card preview of the Templates page
 */
SdCardView *
sd_notetypes_window_get_preview (SdNotetypesWindow *self)
{
  g_return_val_if_fail (SD_IS_NOTETYPES_WINDOW (self), NULL);

  if (self->preview_id != 0)
    update_preview (self);
  return self->preview;
}

/* ---- GObject ------------------------------------------------------------ */

static gboolean
sd_notetypes_window_close_request (GtkWindow *window)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (window);

  if (self->modified && self->edited != NULL)
    {
      ask_unsaved (self, PENDING_CLOSE, 0);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (sd_notetypes_window_parent_class)->close_request (window);
}

static void
sd_notetypes_window_dispose (GObject *object)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->preview_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_NOTETYPES_WINDOW);

  G_OBJECT_CLASS (sd_notetypes_window_parent_class)->dispose (object);
}

static void
sd_notetypes_window_finalize (GObject *object)
{
  SdNotetypesWindow *self = SD_NOTETYPES_WINDOW (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->notetypes, g_ptr_array_unref);
  g_clear_pointer (&self->edited, sd_notetype_free);
  g_clear_pointer (&self->sample, sd_note_free);
  g_clear_pointer (&self->template_error, g_free);

  G_OBJECT_CLASS (sd_notetypes_window_parent_class)->finalize (object);
}

static void
sd_notetypes_window_class_init (SdNotetypesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sd_notetypes_window_dispose;
  object_class->finalize = sd_notetypes_window_finalize;
  window_class->close_request = sd_notetypes_window_close_request;

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (SD_TYPE_CARD_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_PATH "/ui/sd-notetypes-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, type_list);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, fields_group);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, field_list);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, sort_row);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, template_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, template_note_label);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, front_editor_toggle);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, back_editor_toggle);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, css_editor_toggle);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, front_view);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, back_view);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, css_view);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, front_toggle);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, back_toggle);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, preview_source_label);
  gtk_widget_class_bind_template_child (widget_class, SdNotetypesWindow, preview);
  gtk_widget_class_bind_template_callback (widget_class, type_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_switched_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, side_toggled_cb);

  gtk_widget_class_install_action (widget_class, "notetypes.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "notetypes.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "notetypes.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "notetypes.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "notetypes.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "field.add", NULL, field_add_action);
  gtk_widget_class_install_action (widget_class, "field.rename", "u", field_rename_action);
  gtk_widget_class_install_action (widget_class, "field.remove", "u", field_remove_action);
  gtk_widget_class_install_action (widget_class, "field.move-up", "u", field_move_action);
  gtk_widget_class_install_action (widget_class, "field.move-down", "u", field_move_action);
  gtk_widget_class_install_action (widget_class, "template.add", NULL, template_add_action);
  gtk_widget_class_install_action (widget_class, "template.rename", NULL,
                                   template_rename_action);
  gtk_widget_class_install_action (widget_class, "template.remove", NULL,
                                   template_remove_action);
  gtk_widget_class_install_action (widget_class, "template.move-earlier", NULL,
                                   template_move_action);
  gtk_widget_class_install_action (widget_class, "template.move-later", NULL,
                                   template_move_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "notetypes.save", NULL);
}

static void
sd_notetypes_window_init (SdNotetypesWindow *self)
{
  gtk_source_init ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  setup_editor (self, self->front_view, "html");
  setup_editor (self, self->back_view, "html");
  setup_editor (self, self->css_view, "css");
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
  update_scheme (self);
  update_actions (self);
}
