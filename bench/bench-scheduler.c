/* bench-scheduler.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Scheduler speed on a collection of 100,000 cards in a tree of decks:
 * building the day's queue for the whole tree, and answering a card plus
 * fetching the next one, each against a bare SQLite write transaction
 * (BEGIN IMMEDIATE; one UPDATE; COMMIT) on the same file as the floor.
 *
 *   bench-scheduler [N_CARDS]    (prints a Markdown table) */

#include <locale.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-scheduler.h"

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static gint64
percentile (GArray *samples,
            double  p)
{
  g_array_sort (samples, compare_gint64);
  return g_array_index (samples, gint64, MIN (samples->len - 1, (guint) (p * samples->len)));
}

static void
fill (SdCollection *collection,
      int           n_cards)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdPreset) preset = sd_preset_load (collection, 1, &error);
  gint64 decks[12];
  gint64 today = sd_clock_day_number (sd_clock_now (), 4);
  gint64 now = sd_clock_now ();
  sqlite3_stmt *note, *card;

  preset->new_per_day = 50;
  preset->reviews_per_day = 9999;
  sd_preset_update (collection, preset, &error);

  for (int i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bench::Part %d::Unit %d", i / 4, i % 4);
      decks[i] = sd_deck_ensure (collection, name, &error);
    }

  sd_collection_begin (collection, &error);
  note = sd_collection_prepare (collection,
                                "INSERT INTO notes (id, guid, notetype_id, fields, sort_field, mtime)"
                                " VALUES (?, ?, ?, ?, ?, 0)", &error);
  card = sd_collection_prepare (collection,
                                "INSERT INTO cards (id, note_id, deck_id, ord, type, queue, due,"
                                " interval, stability, difficulty, last_review, reps, position, mtime)"
                                " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", &error);
  for (int i = 0; i < n_cards; i++)
    {
      gint64 id = 1000000 + i;
      g_autofree char *guid = g_strdup_printf ("bench%d", i);
      g_autofree char *fields = g_strdup_printf ("Question %d\x1f" "Answer %d", i, i);
      int kind = i % 10;   /* 6 review, 3 new, 1 learning */

      sqlite3_bind_int64 (note, 1, id);
      sqlite3_bind_text (note, 2, guid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (note, 3, basic->id);
      sqlite3_bind_text (note, 4, fields, -1, SQLITE_STATIC);
      sqlite3_bind_text (note, 5, fields, -1, SQLITE_STATIC);
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
          sqlite3_bind_double (card, 8, 10.0);
          sqlite3_bind_double (card, 9, 5.0);
          sqlite3_bind_int64 (card, 10, now - 10 * 86400);
          sqlite3_bind_int (card, 11, 3);
        }
      else if (kind < 9)
        {
          sqlite3_bind_int (card, 4, 0);
          sqlite3_bind_int (card, 5, 0);
          sqlite3_bind_int64 (card, 6, i);
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
      sqlite3_bind_int64 (card, 12, i);
      sqlite3_step (card);
      sqlite3_reset (card);
    }
  sd_collection_commit (collection, &error);
  sd_collection_exec (collection, "ANALYZE", NULL);
}

int
main (int    argc,
      char **argv)
{
  int n_cards = argc > 1 ? atoi (argv[1]) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("studydeck-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "collection.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = sd_collection_open (path, &error);
  g_autoptr(GArray) build = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) answer = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(SdScheduler) scheduler = NULL;
  gint64 root, bare50, bare99, t;
  SdCard *card;

  g_assert_no_error (error);
  setlocale (LC_ALL, "");
  g_random_set_seed (42);
  fill (collection, n_cards);
  root = sd_deck_find (collection, "Bench");

  for (int i = 0; i < 20; i++)
    {
      t = g_get_monotonic_time ();
      g_clear_object (&scheduler);
      scheduler = sd_scheduler_new (collection, root, &error);
      g_assert_no_error (error);
      t = g_get_monotonic_time () - t;
      g_array_append_val (build, t);
    }

  card = sd_scheduler_next_card (scheduler, &error);
  for (int i = 0; i < 2000 && card != NULL; i++)
    {
      gint64 id = card->id;

      sd_card_free (card);
      t = g_get_monotonic_time ();
      if (!sd_scheduler_answer (scheduler, id, 1 + i % 4, 3000, &error))
        g_error ("%s", error->message);
      card = sd_scheduler_next_card (scheduler, &error);
      t = g_get_monotonic_time () - t;
      g_array_append_val (answer, t);
    }
  sd_card_free (card);

  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; UPDATE cards SET flags = %d"
                                              " WHERE id = %d; COMMIT;", i % 2, 1000000 + i);
      t = g_get_monotonic_time ();
      sd_collection_exec (collection, sql, &error);
      t = g_get_monotonic_time () - t;
      g_array_append_val (bare, t);
    }

  bare50 = percentile (bare, 0.5);
  bare99 = percentile (bare, 0.99);
  g_print ("%d cards, 12 decks under one parent, %u answers\n\n", n_cards, answer->len);
  g_print ("| operation | p50 | p99 | p50 / bare | p99 / bare |\n");
  g_print ("| --- | --- | --- | --- | --- |\n");
  g_print ("| bare SQLite write transaction | %" G_GINT64_FORMAT " µs | %" G_GINT64_FORMAT " µs | 1 | 1 |\n",
           bare50, bare99);
  g_print ("| answer + fetch next card | %" G_GINT64_FORMAT " µs | %" G_GINT64_FORMAT " µs | %.1f | %.1f |\n",
           percentile (answer, 0.5), percentile (answer, 0.99),
           (double) percentile (answer, 0.5) / bare50, (double) percentile (answer, 0.99) / bare99);
  g_print ("| build the day's queue (whole tree) | %" G_GINT64_FORMAT " µs | %" G_GINT64_FORMAT " µs | %.1f | %.1f |\n",
           percentile (build, 0.5), percentile (build, 0.99),
           (double) percentile (build, 0.5) / bare50, (double) percentile (build, 0.99) / bare99);

  g_clear_object (&scheduler);
  g_clear_object (&collection);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return 0;
}
