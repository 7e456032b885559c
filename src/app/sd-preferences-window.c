/* sd-preferences-window.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-card-syntax.h"
#include "sd-note-cards.h"
#include "sd-preferences-window.h"

/* Application settings live in GSettings; the card syntax belongs to the
 * collection, because the cards in it were read with that syntax. */
struct _SdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  SdCollection         *collection;
  SdCardSyntaxSettings *stored;
  GCancellable         *cancellable;
  gboolean              applying;

  AdwComboRow          *style_row;
  GtkSpinButton        *rescan_spin;
  AdwPreferencesPage   *cards_page;
  AdwEntryRow          *inline_row;
  AdwEntryRow          *inline_reversed_row;
  AdwEntryRow          *multiline_row;
  AdwEntryRow          *multiline_reversed_row;
  GtkSwitch            *highlight_switch;
  GtkLabel             *example_label;
  GtkLabel             *problem_label;
  GtkSpinner           *spinner;
  GtkWidget            *defaults_button;
  GtkWidget            *apply_button;
};

G_DEFINE_FINAL_TYPE (SdPreferencesWindow, sd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *const styles[] = { "follow", "light", "dark" };

static gboolean
style_to_row (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  const char *style = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (g_str_equal (style, styles[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
row_to_style (const GValue       *value,
              const GVariantType *expected_type,
              gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (styles) ? g_variant_new_string (styles[i]) : NULL;
}

static void
rescan_changed_cb (SdPreferencesWindow *self)
{
  g_settings_set_uint (self->settings, "notes-rescan-interval",
                       (guint) gtk_spin_button_get_value_as_int (self->rescan_spin));
}

/* ---- card syntax ---------------------------------------------------------- */

static SdCardSyntaxSettings *
syntax_from_rows (SdPreferencesWindow *self)
{
  SdCardSyntaxSettings *syntax = sd_card_syntax_settings_new ();
  struct { AdwEntryRow *row; char **value; } rows[] = {
    { self->inline_row, &syntax->inline_separator },
    { self->inline_reversed_row, &syntax->inline_reversed_separator },
    { self->multiline_row, &syntax->multiline_separator },
    { self->multiline_reversed_row, &syntax->multiline_reversed_separator },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_free (*rows[i].value);
      *rows[i].value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows[i].row)));
    }
  syntax->highlight_clozes = gtk_switch_get_active (self->highlight_switch);
  return syntax;
}

static void
show_syntax (SdPreferencesWindow        *self,
             const SdCardSyntaxSettings *syntax)
{
  gtk_editable_set_text (GTK_EDITABLE (self->inline_row), syntax->inline_separator);
  gtk_editable_set_text (GTK_EDITABLE (self->inline_reversed_row),
                         syntax->inline_reversed_separator);
  gtk_editable_set_text (GTK_EDITABLE (self->multiline_row), syntax->multiline_separator);
  gtk_editable_set_text (GTK_EDITABLE (self->multiline_reversed_row),
                         syntax->multiline_reversed_separator);
  gtk_switch_set_active (self->highlight_switch, syntax->highlight_clozes);
}

/* Returns: (nullable): what is wrong with @syntax, in words */
static char *
syntax_problem (const SdCardSyntaxSettings *syntax)
{
  const char *all[] = {
    syntax->inline_separator, syntax->inline_reversed_separator,
    syntax->multiline_separator, syntax->multiline_reversed_separator,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    for (const char *p = all[i]; *p != '\0'; p = g_utf8_next_char (p))
      if (g_unichar_isspace (g_utf8_get_char (p)))
        return g_strdup_printf (_("“%s” has a space in it; separators are written without spaces."),
                                all[i]);

  if (syntax->inline_separator[0] != '\0' &&
      g_str_equal (syntax->inline_separator, syntax->inline_reversed_separator))
    return g_strdup (_("The one-line separators must differ: one makes a card, the other a card each way."));
  if (syntax->multiline_separator[0] != '\0' &&
      g_str_equal (syntax->multiline_separator, syntax->multiline_reversed_separator))
    return g_strdup (_("The separator lines must differ: one makes a card, the other a card each way."));
  for (guint i = 2; i < G_N_ELEMENTS (all); i++)
    if (all[i][0] == '#' || g_str_has_prefix (all[i], "---") || g_str_equal (all[i], "-") ||
        g_str_equal (all[i], "*") || g_str_equal (all[i], ">"))
      return g_strdup_printf (_("A line with only “%s” already means something in Markdown."), all[i]);
  return NULL;
}

static char *
syntax_example (const SdCardSyntaxSettings *syntax)
{
  GString *out = g_string_new (NULL);

  if (syntax->inline_separator[0] != '\0')
    g_string_append_printf (out, "%s%s%s\n\n", _("Capital of France"), syntax->inline_separator,
                            _("Paris"));
  if (syntax->inline_reversed_separator[0] != '\0')
    g_string_append_printf (out, "%s%s%s\n\n", _("bonjour"), syntax->inline_reversed_separator,
                            _("hello"));
  if (syntax->multiline_separator[0] != '\0')
    g_string_append_printf (out, "%s\n%s\n%s\n\n", _("What does a pod hold?"),
                            syntax->multiline_separator,
                            _("One or more containers that share a network namespace."));
  g_string_append_printf (out, "%s", _("A {{c1::pod}} is the smallest unit Kubernetes schedules."));
  if (syntax->highlight_clozes)
    g_string_append_printf (out, "\n\n%s", _("An image is built from ==layers==."));
  return g_string_free (out, FALSE);
}

static gboolean
syntax_equal (const SdCardSyntaxSettings *a,
              const SdCardSyntaxSettings *b)
{
  return g_str_equal (a->inline_separator, b->inline_separator) &&
         g_str_equal (a->inline_reversed_separator, b->inline_reversed_separator) &&
         g_str_equal (a->multiline_separator, b->multiline_separator) &&
         g_str_equal (a->multiline_reversed_separator, b->multiline_reversed_separator) &&
         a->highlight_clozes == b->highlight_clozes;
}

static void
separators_changed_cb (SdPreferencesWindow *self)
{
  g_autoptr(SdCardSyntaxSettings) syntax = syntax_from_rows (self);
  g_autofree char *problem = syntax_problem (syntax);
  g_autofree char *example = syntax_example (syntax);

  gtk_label_set_text (self->example_label, example);
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  gtk_widget_set_sensitive (self->apply_button,
                            !self->applying && problem == NULL && self->stored != NULL &&
                            !syntax_equal (syntax, self->stored));
}

static void
set_applying (SdPreferencesWindow *self,
              gboolean             applying)
{
  self->applying = applying;
  gtk_spinner_set_spinning (self->spinner, applying);
  gtk_widget_set_sensitive (self->defaults_button, !applying);
  separators_changed_cb (self);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!sd_note_cards_apply_settings_finish (SD_COLLECTION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast = adw_toast_new_format (_("The notes could not be read again: %s"), error->message);
    }
  else
    {
      g_clear_pointer (&self->stored, sd_card_syntax_settings_free);
      self->stored = sd_note_cards_get_settings (self->collection);
      toast = adw_toast_new (_("Notes read again with the new separators"));
    }
  set_applying (self, FALSE);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
apply_cb (SdPreferencesWindow *self)
{
  g_autoptr(SdCardSyntaxSettings) syntax = syntax_from_rows (self);
  g_autofree char *problem = syntax_problem (syntax);

  if (problem != NULL || self->collection == NULL || self->applying)
    return;
  set_applying (self, TRUE);
  sd_note_cards_apply_settings_async (self->collection, syntax, self->cancellable,
                                      applied_cb, g_object_ref (self));
}

static void
defaults_cb (SdPreferencesWindow *self)
{
  g_autoptr(SdCardSyntaxSettings) defaults = sd_card_syntax_settings_new ();

  show_syntax (self, defaults);
}

/* ---- life cycle ------------------------------------------------------------ */

static void
sd_preferences_window_dispose (GObject *object)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->collection);
  g_clear_pointer (&self->stored, sd_card_syntax_settings_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (sd_preferences_window_parent_class)->dispose (object);
}

static void
sd_preferences_window_class_init (SdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/StudyDeck/ui/sd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, rescan_spin);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, cards_page);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, inline_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, inline_reversed_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, multiline_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, multiline_reversed_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, highlight_switch);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, example_label);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, defaults_button);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, apply_button);
  gtk_widget_class_bind_template_callback (widget_class, separators_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, defaults_cb);
}

static void
sd_preferences_window_init (SdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * sd_preferences_window_new:
 * @settings: the application's settings
 * @collection: (nullable): the open collection, for its card syntax
 */
SdPreferencesWindow *
sd_preferences_window_new (GtkWindow    *parent,
                           GSettings    *settings,
                           SdCollection *collection)
{
  SdPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SD_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->settings = g_object_ref (settings);
  g_settings_bind_with_mapping (settings, "color-scheme", self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, style_to_row, row_to_style, NULL, NULL);
  gtk_spin_button_set_value (self->rescan_spin,
                             g_settings_get_uint (settings, "notes-rescan-interval"));
  g_signal_connect_swapped (self->rescan_spin, "value-changed",
                            G_CALLBACK (rescan_changed_cb), self);

  if (collection != NULL)
    {
      self->collection = g_object_ref (collection);
      self->stored = sd_note_cards_get_settings (collection);
      show_syntax (self, self->stored);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->cards_page), collection != NULL);
  separators_changed_cb (self);
  return self;
}

gboolean
sd_preferences_window_is_applying (SdPreferencesWindow *self)
{
  g_return_val_if_fail (SD_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->applying;
}
