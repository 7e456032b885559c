/* bench-export.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anki export speed and memory: a collection of N notes (100,000 by default)
 * in a tree of decks, filled with direct SQL inserts: 60 % review cards with
 * FSRS memory state, 30 % new, 10 % learning; two review-log entries per
 * card that was studied. Each run exports the whole collection with
 * scheduling into an .apkg in a child process (this program again, with
 * --export), so the peak resident memory reported is the export's alone.
 *
 *   bench-export [N_NOTES] [RUNS]    (prints a Markdown table) */

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "sd-anki-export.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-notetype.h"

static void
fill (SdCollection *collection,
      int           n_notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  gint64 decks[12];
  gint64 now = sd_clock_now ();
  gint64 today = sd_clock_day_number (now, 4);
  sqlite3_stmt *note, *card, *revlog;

  for (int i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bench::Part %d::Unit %d", i / 4, i % 4);
      decks[i] = sd_deck_ensure (collection, name, &error);
    }

  sd_collection_begin (collection, &error);
  note = sd_collection_prepare (collection,
                                "INSERT INTO notes (id, guid, notetype_id, fields, sort_field,"
                                " checksum, tags, mtime) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                                &error);
  card = sd_collection_prepare (collection,
                                "INSERT INTO cards (id, note_id, deck_id, ord, type, queue, due,"
                                " interval, stability, difficulty, last_review, reps, position,"
                                " mtime) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                &error);
  revlog = sd_collection_prepare (collection,
                                  "INSERT INTO revlog (id, card_id, rating, kind, interval,"
                                  " last_interval, ease, stability, difficulty, duration_ms)"
                                  " VALUES (?, ?, 3, ?, ?, ?, 500, 10.0, 5.0, 4000)",
                                  &error);
  g_assert_no_error (error);

  for (int i = 0; i < n_notes; i++)
    {
      gint64 id = G_GINT64_CONSTANT (1600000000000) + i;
      g_autofree char *guid = g_strdup_printf ("bench%d", i);
      g_autofree char *fields = g_strdup_printf ("Question <b>%d</b> about something\x1f"
                                                 "Answer %d with a longer explanation", i, i);
      g_autofree char *sort = g_strdup_printf ("Question %d about something", i);
      int kind = i % 10;   /* 6 review, 3 new, 1 learning */

      sqlite3_bind_int64 (note, 1, id);
      sqlite3_bind_text (note, 2, guid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (note, 3, basic->id);
      sqlite3_bind_text (note, 4, fields, -1, SQLITE_STATIC);
      sqlite3_bind_text (note, 5, sort, -1, SQLITE_STATIC);
      sqlite3_bind_text (note, 6, i % 3 == 0 ? " bench chapter::one " : " bench ", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (note, 7, now - 86400);
      sqlite3_step (note);
      sqlite3_reset (note);

      sqlite3_bind_int64 (card, 1, id);
      sqlite3_bind_int64 (card, 2, id);
      sqlite3_bind_int64 (card, 3, decks[i % 12]);
      if (kind < 6)
        {
          sqlite3_bind_int (card, 4, 2);
          sqlite3_bind_int (card, 5, 2);
          sqlite3_bind_int64 (card, 6, today - 20 + g_random_int_range (0, 60));
          sqlite3_bind_int (card, 7, 10);
          sqlite3_bind_double (card, 8, 10.0 + g_random_double ());
          sqlite3_bind_double (card, 9, 5.0 + g_random_double ());
          sqlite3_bind_int64 (card, 10, now - 10 * 86400);
          sqlite3_bind_int (card, 11, 3);
        }
      else if (kind < 9)
        {
          sqlite3_bind_int (card, 4, 0);
          sqlite3_bind_int (card, 5, 0);
          sqlite3_bind_int64 (card, 6, i + 1);
          sqlite3_bind_int (card, 7, 0);
          sqlite3_bind_null (card, 8);
          sqlite3_bind_null (card, 9);
          sqlite3_bind_null (card, 10);
          sqlite3_bind_int (card, 11, 0);
        }
      else
        {
          sqlite3_bind_int (card, 4, 1);
          sqlite3_bind_int (card, 5, 1);
          sqlite3_bind_int64 (card, 6, now + g_random_int_range (-3600, 7200));
          sqlite3_bind_int (card, 7, 0);
          sqlite3_bind_double (card, 8, 1.0);
          sqlite3_bind_double (card, 9, 5.0);
          sqlite3_bind_int64 (card, 10, now - 600);
          sqlite3_bind_int (card, 11, 1);
        }
      sqlite3_bind_int64 (card, 12, i + 1);
      sqlite3_bind_int64 (card, 13, now - 86400);
      sqlite3_step (card);
      sqlite3_reset (card);

      if (kind < 6 || kind == 9)
        for (int r = 0; r < 2; r++)
          {
            sqlite3_bind_int64 (revlog, 1, (now - (40 - 20 * r) * 86400) * 1000 + i);
            sqlite3_bind_int64 (revlog, 2, id);
            sqlite3_bind_int (revlog, 3, r == 0 ? 0 : 1);
            sqlite3_bind_int (revlog, 4, r == 0 ? -600 : 10);
            sqlite3_bind_int (revlog, 5, r == 0 ? 0 : 3);
            sqlite3_step (revlog);
            sqlite3_reset (revlog);
          }
    }
  sd_collection_commit (collection, &error);
  g_assert_no_error (error);
}

/* The child: one export, its time on stdout. */
static int
export_once (const char *db_path,
             const char *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = sd_collection_open (db_path, &error);
  SdAnkiExportOptions options;
  SdExportStats stats = { 0 };
  gint64 t;

  g_assert_no_error (error);
  sd_anki_export_options_init (&options);
  options.with_scheduling = TRUE;
  options.with_media = TRUE;
  t = g_get_monotonic_time ();
  if (!sd_anki_export_package (collection, out, &options, NULL, NULL, NULL, &stats, &error))
    g_error ("%s", error->message);
  t = g_get_monotonic_time () - t;
  g_print ("%" G_GINT64_FORMAT " %u %u %u\n", t, stats.notes, stats.cards, stats.revlog);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  int n_notes, runs;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *self = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  long peak_kib = 0;
  guint notes = 0, cards = 0, revlog = 0;
  GStatBuf st;

  setlocale (LC_ALL, "");
  if (argc == 4 && g_str_equal (argv[1], "--export"))
    return export_once (argv[2], argv[3]);

  n_notes = argc > 1 ? atoi (argv[1]) : 100000;
  runs = argc > 2 ? atoi (argv[2]) : 3;
  dir = g_dir_make_tmp ("studydeck-bench-XXXXXX", NULL);
  path = g_build_filename (dir, "collection.db", NULL);
  out = g_build_filename (dir, "bench.apkg", NULL);
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    self = g_strdup (argv[0]);

  g_random_set_seed (42);
  {
    g_autoptr(SdCollection) collection = sd_collection_open (path, &error);
    g_assert_no_error (error);
    fill (collection, n_notes);
    sd_collection_exec (collection, "PRAGMA wal_checkpoint (TRUNCATE)", NULL);
  }

  for (int i = 0; i < runs; i++)
    {
      const char *child_argv[] = { self, "--export", path, out, NULL };
      g_autofree char *output = NULL;
      int status = 0;
      struct rusage usage;
      gint64 t = 0;

      g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &output, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      sscanf (output, "%" G_GINT64_FORMAT " %u %u %u", &t, &notes, &cards, &revlog);
      g_array_append_val (times, t);
      /* The largest child so far: every child does the same export. */
      getrusage (RUSAGE_CHILDREN, &usage);
      peak_kib = MAX (peak_kib, usage.ru_maxrss);
    }

  g_stat (out, &st);
  {
    gint64 best = G_MAXINT64, sum = 0;

    for (guint i = 0; i < times->len; i++)
      {
        best = MIN (best, g_array_index (times, gint64, i));
        sum += g_array_index (times, gint64, i);
      }
    g_print ("%u notes, %u cards, %u review-log entries, 12 decks; %d runs\n\n",
             notes, cards, revlog, runs);
    g_print ("| export with scheduling | best | mean | peak RSS | package |\n");
    g_print ("| --- | --- | --- | --- | --- |\n");
    g_print ("| whole collection to .apkg | %.2f s | %.2f s | %.0f MiB | %.1f MiB |\n",
             best / 1e6, sum / 1e6 / times->len, peak_kib / 1024.0,
             st.st_size / 1048576.0);
  }

  g_unlink (out);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
