/* sd-library-watch.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sd-library.h"
#include "sd-library-watch.h"

/* Watches every folder of the notes library and says, once things have
 * settled, that a rescan is due. Editors save through temporary files and
 * renames, so events come in bursts; they are folded into one signal.
 * Folders handed out by the document portal send no events at all (the
 * FUSE mount under /run/user/UID/doc does not pass inotify through), so
 * for those the owner polls instead: see sd_library_watch_needs_polling(). */

#define SETTLE_MS 400

struct _SdLibraryWatch
{
  GObject       parent_instance;

  SdCollection *collection;
  GPtrArray    *monitors;     /* GFileMonitor, one per directory */
  gboolean      needs_polling;
  guint         settle_id;
};

G_DEFINE_FINAL_TYPE (SdLibraryWatch, sd_library_watch, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * sd_library_path_is_watchable:
 *
 * Returns: whether file change events arrive for @path; document portal
 *   folders never send any
 */
gboolean
sd_library_path_is_watchable (const char *path)
{
  return !(g_str_has_prefix (path, "/run/user/") && strstr (path, "/doc/") != NULL);
}

static gboolean
settled_cb (gpointer user_data)
{
  SdLibraryWatch *self = user_data;

  self->settle_id = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
add_dir (SdLibraryWatch *self,
         const char     *path,
         GHashTable     *visited,
         guint           depth);

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  SdLibraryWatch *self = user_data;
  g_autofree char *name = g_file_get_basename (file);

  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED
      || event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT)
    return;
  /* Hidden files are editor swap files and tool state. */
  if (name != NULL && name[0] == '.')
    return;

  /* A new subfolder needs its own monitor. */
  if (event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_MOVED_IN)
    {
      g_autofree char *path = g_file_get_path (file);
      if (path != NULL && g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          add_dir (self, path, visited, 0);
        }
    }

  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MS, settled_cb, self);
}

static void
add_dir (SdLibraryWatch *self,
         const char     *path,
         GHashTable     *visited,
         guint           depth)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *real = g_canonicalize_filename (path, NULL);
  const char *name;

  /* Symlink loops and very deep trees stop here. */
  if (depth > 32 || !g_hash_table_add (visited, g_steal_pointer (&real)))
    return;

  monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL)
    {
      g_debug ("Cannot watch %s (%s); it will be polled", path, error->message);
      self->needs_polling = TRUE;
      return;
    }
  g_signal_connect (monitor, "changed", G_CALLBACK (monitor_changed_cb), self);
  g_ptr_array_add (self->monitors, g_steal_pointer (&monitor));

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = NULL;

      if (name[0] == '.')
        continue;
      child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        add_dir (self, child, visited, depth + 1);
    }
}

static void
clear_monitors (SdLibraryWatch *self)
{
  for (guint i = 0; i < self->monitors->len; i++)
    {
      GFileMonitor *monitor = g_ptr_array_index (self->monitors, i);
      g_signal_handlers_disconnect_by_data (monitor, self);
      g_file_monitor_cancel (monitor);
    }
  g_ptr_array_set_size (self->monitors, 0);
}

/**
 * sd_library_watch_reload:
 *
 * Watches the library's folders as they are now (after one was added or
 * removed).
 */
void
sd_library_watch_reload (SdLibraryWatch *self)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_if_fail (SD_IS_LIBRARY_WATCH (self));

  clear_monitors (self);
  self->needs_polling = FALSE;

  folders = sd_library_list_folders (self->collection, NULL);
  for (guint i = 0; folders != NULL && i < folders->len; i++)
    {
      SdNoteFolder *folder = g_ptr_array_index (folders, i);

      if (!sd_library_path_is_watchable (folder->path))
        self->needs_polling = TRUE;
      else
        add_dir (self, folder->path, visited, 0);
    }
}

/**
 * sd_library_watch_needs_polling:
 *
 * Returns: whether some folder sends no change events, so the owner should
 *   rescan on a timer and when the window gets the focus
 */
gboolean
sd_library_watch_needs_polling (SdLibraryWatch *self)
{
  g_return_val_if_fail (SD_IS_LIBRARY_WATCH (self), TRUE);

  return self->needs_polling;
}

guint
sd_library_watch_get_n_monitors (SdLibraryWatch *self)
{
  g_return_val_if_fail (SD_IS_LIBRARY_WATCH (self), 0);

  return self->monitors->len;
}

static void
sd_library_watch_dispose (GObject *object)
{
  SdLibraryWatch *self = SD_LIBRARY_WATCH (object);

  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->monitors != NULL)
    clear_monitors (self);
  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (sd_library_watch_parent_class)->dispose (object);
}

static void
sd_library_watch_class_init (SdLibraryWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sd_library_watch_dispose;

  /**
   * SdLibraryWatch::changed:
   *
   * Emitted once files in a watched folder stopped changing for a moment:
   * time to rescan the library.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
sd_library_watch_init (SdLibraryWatch *self)
{
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);
}

SdLibraryWatch *
sd_library_watch_new (SdCollection *collection)
{
  SdLibraryWatch *self = g_object_new (SD_TYPE_LIBRARY_WATCH, NULL);

  self->collection = g_object_ref (collection);
  sd_library_watch_reload (self);
  return self;
}
