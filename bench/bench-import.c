/* bench-import.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Imports a large Anki package into a new, empty collection and prints the
 * wall time, the CPU time of all threads (steadier than the wall time on a
 * shared machine), what was imported and the peak resident memory (VmHWM).
 * Make the package with bench/make-big-apkg.py (100,000 notes, 200,000
 * cards, 200,000 review-log entries); the target is 2 s and 150 MB.
 * Timings are printed, never asserted.
 *
 *   python3 bench/make-big-apkg.py /tmp/big.apkg
 *   bench-import /tmp/big.apkg */

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "sd-anki-import.h"

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  SdImportStats stats = { 0 };
  gint64 start, end;
  double cpu_start, cpu_end;
  long before;

  if (argc != 2)
    {
      g_printerr ("Usage: %s PACKAGE.apkg  (make one with bench/make-big-apkg.py)\n", argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("studydeck-bench-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  db = g_build_filename (dir, "collection.db", NULL);
  collection = sd_collection_open (db, &error);
  if (collection == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  before = peak_rss_kb ();

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  if (!sd_anki_import_file (collection, argv[1], NULL, NULL, NULL, &stats, &error))
    {
      g_printerr ("import failed: %s\n", error->message);
      return 1;
    }
  end = g_get_monotonic_time ();
  cpu_end = cpu_seconds ();

  printf ("import %s: %.3f s, peak RSS %.1f MB (%.1f MB before the import)\n", argv[1],
          (end - start) / 1e6, peak_rss_kb () / 1024.0, before / 1024.0);
  printf ("  CPU %.3f s (user + system, all threads)\n", cpu_end - cpu_start);
  printf ("  notes %u, cards %u, revlog %u, media %u, decks %u, notetypes %u\n",
          stats.notes, stats.cards, stats.revlog, stats.media, stats.decks, stats.notetypes);

  g_clear_object (&collection);
  remove_tree (dir);
  return 0;
}
