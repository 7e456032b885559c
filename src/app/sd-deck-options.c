/* sd-deck-options.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-compat.h"
#include "sd-deck.h"
#include "sd-deck-options.h"
#include "sd-preset.h"
#include "sd-preset-fsrs.h"

/* The options of one deck: which preset it uses and that preset's values.
 * Every valid change is saved at once; a value that does not make sense is
 * marked and not saved. */

struct _SdDeckOptions
{
  AdwPreferencesWindow parent_instance;

  SdCollection     *collection;
  gint64            deck_id;
  GPtrArray        *presets;      /* SdPreset, in the combo's order */
  SdPreset         *preset;       /* borrowed from presets */
  gboolean          loading;
  GCancellable     *cancellable;
  SdPresetFit      *fit;

  AdwComboRow      *preset_row;
  GtkSpinButton    *new_spin;
  GtkSpinButton    *review_spin;
  AdwEntryRow      *learn_row;
  AdwEntryRow      *relearn_row;
  AdwActionRow     *retention_row;
  GtkSpinButton    *retention_spin;
  GtkSpinButton    *max_spin;
  GtkSpinButton    *rollover_spin;
  GtkSpinButton    *leech_spin;
  GtkSwitch        *leech_switch;
  GtkSwitch        *bury_new_switch;
  GtkSwitch        *bury_review_switch;
  GtkSwitch        *bury_interday_switch;
  AdwActionRow     *params_row;
  GtkSpinner       *optimize_spinner;
  GtkWidget        *optimize_button;
  AdwActionRow     *fit_row;
};

G_DEFINE_FINAL_TYPE (SdDeckOptions, sd_deck_options, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (SdDeckOptions *self,
       const char    *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
update_workload (SdDeckOptions *self)
{
  g_autoptr(GError) error = NULL;
  double per_day = sd_preset_estimate_workload (self->collection, self->preset->id,
                                                self->preset->desired_retention, &error);
  g_autofree char *text = NULL;

  if (per_day < 0)
    text = g_strdup (error->message);
  else if (per_day < 0.5)
    text = g_strdup (_("No cards in review use this preset yet"));
  else
    text = g_strdup_printf (_("About %.0f reviews a day for the cards in review at this "
                              "retention"), per_day);
  adw_action_row_set_subtitle (self->retention_row, text);
}

static void
update_params (SdDeckOptions *self)
{
  adw_action_row_set_subtitle (self->params_row,
                               self->preset->fsrs_params[0] != '\0'
                               ? self->preset->fsrs_params
                               : _("FSRS-6 defaults (not fitted to your reviews yet)"));
}

static void
load_preset (SdDeckOptions *self)
{
  g_autofree char *learn = sd_preset_format_steps (self->preset->learn_steps);
  g_autofree char *relearn = sd_preset_format_steps (self->preset->relearn_steps);
  SdPreset *p = self->preset;

  self->loading = TRUE;
  gtk_spin_button_set_value (self->new_spin, p->new_per_day);
  gtk_spin_button_set_value (self->review_spin, p->reviews_per_day);
  gtk_editable_set_text (GTK_EDITABLE (self->learn_row), learn);
  gtk_editable_set_text (GTK_EDITABLE (self->relearn_row), relearn);
  gtk_widget_remove_css_class (GTK_WIDGET (self->learn_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->relearn_row), "error");
  gtk_spin_button_set_value (self->retention_spin, p->desired_retention);
  gtk_spin_button_set_value (self->max_spin, p->max_interval);
  gtk_spin_button_set_value (self->rollover_spin, p->rollover_hour);
  gtk_spin_button_set_value (self->leech_spin, p->leech_threshold);
  gtk_switch_set_active (self->leech_switch, p->leech_suspend);
  gtk_switch_set_active (self->bury_new_switch, p->bury_new);
  gtk_switch_set_active (self->bury_review_switch, p->bury_reviews);
  gtk_switch_set_active (self->bury_interday_switch, p->bury_interday);
  gtk_widget_set_visible (GTK_WIDGET (self->fit_row), FALSE);
  g_clear_pointer (&self->fit, g_free);
  self->loading = FALSE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "options.delete",
                                 p->id != SD_PRESET_DEFAULT_ID);
  update_workload (self);
  update_params (self);
}

static GArray *
read_steps (AdwEntryRow *row)
{
  g_autoptr(GError) error = NULL;
  GArray *steps = sd_preset_parse_steps (gtk_editable_get_text (GTK_EDITABLE (row)), &error);

  if (steps == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), error->message);
      return NULL;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
  return steps;
}

static void
changed_cb (SdDeckOptions *self)
{
  g_autoptr(GError) error = NULL;
  GArray *learn, *relearn;
  SdPreset *p = self->preset;

  if (self->loading || p == NULL)
    return;

  learn = read_steps (self->learn_row);
  relearn = read_steps (self->relearn_row);
  if (learn == NULL || relearn == NULL)
    {
      g_clear_pointer (&learn, g_array_unref);
      g_clear_pointer (&relearn, g_array_unref);
      return;
    }

  g_array_unref (p->learn_steps);
  p->learn_steps = learn;
  g_array_unref (p->relearn_steps);
  p->relearn_steps = relearn;
  p->new_per_day = gtk_spin_button_get_value_as_int (self->new_spin);
  p->reviews_per_day = gtk_spin_button_get_value_as_int (self->review_spin);
  p->desired_retention = gtk_spin_button_get_value (self->retention_spin);
  p->max_interval = gtk_spin_button_get_value_as_int (self->max_spin);
  p->rollover_hour = gtk_spin_button_get_value_as_int (self->rollover_spin);
  p->leech_threshold = gtk_spin_button_get_value_as_int (self->leech_spin);
  p->leech_suspend = gtk_switch_get_active (self->leech_switch);
  p->bury_new = gtk_switch_get_active (self->bury_new_switch);
  p->bury_reviews = gtk_switch_get_active (self->bury_review_switch);
  p->bury_interday = gtk_switch_get_active (self->bury_interday_switch);

  if (!sd_preset_update (self->collection, p, &error))
    {
      toast (self, error->message);
      return;
    }
  update_workload (self);
}

static void
fill_presets (SdDeckOptions *self,
              gint64         select_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (&self->presets, g_ptr_array_unref);
  self->presets = sd_preset_list (self->collection, &error);
  if (self->presets == NULL)
    {
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < self->presets->len; i++)
    {
      SdPreset *preset = g_ptr_array_index (self->presets, i);
      gtk_string_list_append (names, preset->name);
      if (preset->id == select_id)
        selected = i;
    }

  self->loading = TRUE;
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->preset_row, selected);
  self->loading = FALSE;
  self->preset = g_ptr_array_index (self->presets, selected);
  load_preset (self);
}

static void
preset_selected_cb (SdDeckOptions *self)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->preset_row);
  SdPreset *preset;

  if (self->loading || self->presets == NULL || selected >= self->presets->len)
    return;
  preset = g_ptr_array_index (self->presets, selected);
  if (!sd_deck_set_preset (self->collection, self->deck_id, preset->id, &error))
    {
      toast (self, error->message);
      return;
    }
  self->preset = preset;
  load_preset (self);
}

static void
clone_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdDeckOptions *self = SD_DECK_OPTIONS (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) copy = sd_preset_load (self->collection, self->preset->id, &error);

  if (copy == NULL)
    {
      toast (self, error->message);
      return;
    }
  copy->id = 0;
  g_free (copy->name);
  copy->name = g_strdup_printf (_("%s (copy)"), self->preset->name);
  if (!sd_preset_insert (self->collection, copy, &error)
      || !sd_deck_set_preset (self->collection, self->deck_id, copy->id, &error))
    {
      toast (self, error->message);
      return;
    }
  fill_presets (self, copy->id);
}

static void
renamed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdDeckOptions) self = user_data;
  g_autofree char *name = sd_compat_ask_text_finish (result);
  g_autoptr(GError) error = NULL;

  if (name == NULL || g_strstrip (name)[0] == '\0')
    return;
  g_free (self->preset->name);
  self->preset->name = g_strdup (name);
  if (!sd_preset_update (self->collection, self->preset, &error))
    toast (self, error->message);
  fill_presets (self, self->preset->id);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdDeckOptions *self = SD_DECK_OPTIONS (widget);

  sd_compat_ask_text (GTK_WINDOW (self), _("Rename Preset"), NULL, self->preset->name,
                      _("_Rename"), self->cancellable, renamed_cb, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdDeckOptions *self = SD_DECK_OPTIONS (widget);
  g_autoptr(GError) error = NULL;

  /* Its decks fall back to the default preset. */
  if (!sd_preset_delete (self->collection, self->preset->id, &error))
    {
      toast (self, error->message);
      return;
    }
  fill_presets (self, SD_PRESET_DEFAULT_ID);
}

static char *
describe_metrics (const SdFsrsMetrics *metrics)
{
  return g_strdup_printf (_("log loss %.4f, RMSE %.2f %%"), metrics->log_loss,
                          metrics->rmse_bins * 100);
}

static void
fitted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdDeckOptions) self = user_data;
  g_autoptr(GError) error = NULL;
  SdPresetFit *fit = sd_preset_fit_finish (SD_COLLECTION (source), result, &error);

  gtk_spinner_stop (self->optimize_spinner);
  gtk_widget_set_sensitive (self->optimize_button, TRUE);
  if (fit == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  g_clear_pointer (&self->fit, g_free);
  self->fit = fit;
  if (!fit->trained)
    {
      toast (self, _("Not enough reviews yet to fit parameters; the defaults stay"));
      return;
    }

  {
    g_autofree char *current = describe_metrics (&fit->current_metrics);
    g_autofree char *fitted = describe_metrics (&fit->fitted_metrics);
    g_autofree char *text = g_strdup_printf (_("On %zu of your reviews.\nCurrent parameters: %s\n"
                                               "Fitted parameters: %s"),
                                             fit->n_items, current, fitted);
    adw_action_row_set_subtitle (self->fit_row, text);
    gtk_widget_set_visible (GTK_WIDGET (self->fit_row), TRUE);
  }
}

static void
optimize_clicked_cb (SdDeckOptions *self)
{
  gtk_spinner_start (self->optimize_spinner);
  gtk_widget_set_sensitive (self->optimize_button, FALSE);
  sd_preset_fit_async (self->collection, self->preset->id, self->cancellable, fitted_cb,
                       g_object_ref (self));
}

static void
apply_clicked_cb (SdDeckOptions *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) fresh = NULL;

  if (self->fit == NULL)
    return;
  if (!sd_preset_apply_params (self->collection, self->preset->id, &self->fit->fitted, &error))
    {
      toast (self, error->message);
      return;
    }
  fresh = sd_preset_load (self->collection, self->preset->id, NULL);
  if (fresh != NULL)
    {
      g_free (self->preset->fsrs_params);
      self->preset->fsrs_params = g_strdup (fresh->fsrs_params);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fit_row), FALSE);
  update_params (self);
  update_workload (self);
  toast (self, _("The fitted parameters are in use"));
}

/**
 * sd_deck_options_new:
 *
 * Returns: (transfer full): the options window of @deck_id
 */
SdDeckOptions *
sd_deck_options_new (GtkWindow    *parent,
                     SdCollection *collection,
                     gint64        deck_id)
{
  SdDeckOptions *self = g_object_new (SD_TYPE_DECK_OPTIONS,
                                      "transient-for", parent,
                                      NULL);
  g_autoptr(SdDeck) deck = sd_deck_load (collection, deck_id, NULL);

  self->collection = g_object_ref (collection);
  self->deck_id = deck_id;
  if (deck != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Options for “%s”"), deck->full_name);
      gtk_window_set_title (GTK_WINDOW (self), title);
      fill_presets (self, deck->preset_id);
    }
  return self;
}

SdPreset *
sd_deck_options_get_preset (SdDeckOptions *self)
{
  g_return_val_if_fail (SD_IS_DECK_OPTIONS (self), NULL);

  return self->preset;
}

static void
sd_deck_options_dispose (GObject *object)
{
  SdDeckOptions *self = SD_DECK_OPTIONS (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_DECK_OPTIONS);

  G_OBJECT_CLASS (sd_deck_options_parent_class)->dispose (object);
}

static void
sd_deck_options_finalize (GObject *object)
{
  SdDeckOptions *self = SD_DECK_OPTIONS (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_clear_pointer (&self->fit, g_free);

  G_OBJECT_CLASS (sd_deck_options_parent_class)->finalize (object);
}

static void
sd_deck_options_class_init (SdDeckOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_deck_options_dispose;
  object_class->finalize = sd_deck_options_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-deck-options.ui");
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, preset_row);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, new_spin);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, review_spin);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, learn_row);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, relearn_row);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, retention_row);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, retention_spin);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, max_spin);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, rollover_spin);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, leech_spin);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, leech_switch);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, bury_new_switch);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, bury_review_switch);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, bury_interday_switch);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, params_row);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, optimize_spinner);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, optimize_button);
  gtk_widget_class_bind_template_child (widget_class, SdDeckOptions, fit_row);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preset_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, optimize_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_clicked_cb);

  gtk_widget_class_install_action (widget_class, "options.clone", NULL, clone_action);
  gtk_widget_class_install_action (widget_class, "options.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "options.delete", NULL, delete_action);
}

static void
sd_deck_options_init (SdDeckOptions *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
