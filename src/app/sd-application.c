/* sd-application.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-application.h"
#include "sd-compat.h"
#include "sd-preferences-window.h"
#include "sd-window.h"

struct _SdApplication
{
  AdwApplication  parent_instance;

  char           *collection_path;
  SdCollection   *collection;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (SdApplication, sd_application, ADW_TYPE_APPLICATION)

SdApplication *
sd_application_new (void)
{
  return g_object_new (SD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", APP_PATH,
                       NULL);
}

/**
 * sd_application_get_collection:
 *
 * Returns: (transfer none) (nullable): the open collection, or %NULL when it
 *   could not be opened (the window then says why)
 */
SdCollection *
sd_application_get_collection (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);

  return self->collection;
}

const char *
sd_application_get_collection_path (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);

  return self->collection_path;
}

void
sd_application_set_collection_path (SdApplication *self,
                                    const char    *path)
{
  g_return_if_fail (SD_IS_APPLICATION (self));
  g_return_if_fail (self->collection == NULL);

  g_free (self->collection_path);
  self->collection_path = g_strdup (path);
}

GSettings *
sd_application_get_settings (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);

  return self->settings;
}

static SdWindow *
ensure_window (SdApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (window != NULL)
    return SD_WINDOW (window);

  if (self->collection == NULL)
    {
      if (self->collection_path == NULL)
        self->collection_path = sd_collection_default_path ();
      self->collection = sd_collection_open (self->collection_path, &error);
    }

  window = GTK_WINDOW (sd_window_new (self, self->collection, error));
  return SD_WINDOW (window);
}

static void
sd_application_activate (GApplication *app)
{
  SdWindow *window = ensure_window (SD_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
}

static void
sd_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  SdWindow *window = ensure_window (SD_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < n_files; i++)
    sd_window_open_file (window, files[i]);
}

static int
sd_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  SdApplication *self = SD_APPLICATION (app);
  const char *path = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  /* Another collection means another instance: a demo or test run must not
   * hand its files to the user's running StudyDeck. */
  if (g_variant_dict_lookup (options, "collection", "^&ay", &path))
    {
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);
      sd_application_set_collection_path (self, absolute);
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
apply_color_scheme (SdApplication *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
  AdwColorScheme adw_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (scheme, "light"))
    adw_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (scheme, "dark"))
    adw_scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), adw_scheme);
}

static void
sd_application_startup (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);

  G_APPLICATION_CLASS (sd_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_swapped (self->settings, "changed::color-scheme",
                            G_CALLBACK (apply_color_scheme), self);
  apply_color_scheme (self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.add-notes-folder",
                                         (const char *[]) { "<Control><Shift>o", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.add-note",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.import",
                                         (const char *[]) { "<Control>i", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.browse",
                                         (const char *[]) { "<Control>b", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export",
                                         (const char *[]) { "<Control><Shift>e", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.toggle-notes-pane",
                                         (const char *[]) { "F9", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search-notes",
                                         (const char *[]) { "<Control>f", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
sd_application_shutdown (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);

  g_clear_object (&self->collection);
  G_APPLICATION_CLASS (sd_application_parent_class)->shutdown (app);
}

static void
sd_application_finalize (GObject *object)
{
  SdApplication *self = SD_APPLICATION (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->settings);
  g_free (self->collection_path);

  G_OBJECT_CLASS (sd_application_parent_class)->finalize (object);
}

static void
sd_application_class_init (SdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sd_application_finalize;
  app_class->activate = sd_application_activate;
  app_class->open = sd_application_open;
  app_class->startup = sd_application_startup;
  app_class->shutdown = sd_application_shutdown;
  app_class->handle_local_options = sd_application_handle_local_options;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing the windows lets each one save its state first. */
  for (GList *l = windows; l != NULL;)
    {
      GList *next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      l = next;
    }
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);

  sd_compat_show_about (gtk_application_get_active_window (app));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  SdApplication *self = SD_APPLICATION (user_data);
  SdPreferencesWindow *preferences;

  if (self->settings == NULL)
    return;
  preferences = sd_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                           self->settings, self->collection);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
};

static void
sd_application_init (SdApplication *self)
{
  const GOptionEntry options[] = {
    { "collection", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open this collection file instead of the default one"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[FILES…]"));
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}
