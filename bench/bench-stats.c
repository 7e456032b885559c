/* bench-stats.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Statistics speed: sd_stats_compute() on a collection of 100,000 cards in
 * 10 decks with 500,000 answers over three years, for the whole collection,
 * a deck holding 40 % of the cards in itself and three subdecks, and a
 * 10 % deck without subdecks. Timings are printed, never asserted.
 *
 *   bench-stats [RUNS]
 *
 * prints a Markdown table of the best and the median of RUNS runs (9). */

#include <locale.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-stats.h"

#define N_CARDS 100000
#define N_REVIEWS 500000
#define HISTORY_DAYS (3 * 365)

/* Cards go round these decks in turn, so each holds a tenth of them and
 * "Lang" with its three subdecks holds four tenths. */
static const char *deck_names[] = {
  "Lang", "Lang::French", "Lang::Spanish", "Lang::French::Verbs",
  "Science", "Science::Biology", "Science::Chemistry", "History", "Geography", "Music",
};

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Cards in the mix a long-used collection has: a fifth new, a few in
 * (re)learning, the rest in review with some suspended or buried; every
 * card but the new ones has a memory state, so the FSRS figures have work. */
static void
fill_cards (SdCollection *collection,
            GRand        *rand,
            gint64        first_id,
            gint64        now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  gint64 today = sd_clock_day_number (now, 4);
  gint64 decks[G_N_ELEMENTS (deck_names)];
  sqlite3_stmt *note, *card;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (deck_names); i++)
    {
      decks[i] = sd_deck_ensure (collection, deck_names[i], &error);
      g_assert_no_error (error);
    }

  note = sd_collection_prepare (collection,
                                "INSERT INTO notes (id, guid, notetype_id, fields, mtime)"
                                " VALUES (?, ?, ?, ?, ?)", &error);
  g_assert_no_error (error);
  card = sd_collection_prepare (collection,
                                "INSERT INTO cards (id, note_id, deck_id, ord, type, queue, due,"
                                " interval, stability, difficulty, last_review, mtime)"
                                " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)", &error);
  g_assert_no_error (error);

  for (int i = 0; i < N_CARDS; i++)
    {
      gint64 id = first_id + i;
      g_autofree char *guid = g_strdup_printf ("bench%d", i);
      g_autofree char *fields = g_strdup_printf ("Question %d\x1f" "Answer %d", i, i);
      double p = g_rand_double (rand);
      int type, queue, interval = 0;
      gint64 due;

      if (p < 0.20)
        type = SD_CARD_NEW, queue = SD_QUEUE_NEW, due = i;
      else if (p < 0.25)
        {
          type = SD_CARD_LEARNING;
          queue = g_rand_boolean (rand) ? SD_QUEUE_LEARNING : SD_QUEUE_DAY_LEARNING;
          due = queue == SD_QUEUE_LEARNING ? now + g_rand_int_range (rand, -3600, 36000)
                                           : today + g_rand_int_range (rand, -2, 3);
        }
      else if (p < 0.27)
        type = SD_CARD_RELEARNING, queue = SD_QUEUE_LEARNING, due = now + 600;
      else
        {
          type = SD_CARD_REVIEW;
          queue = p < 0.98 ? SD_QUEUE_REVIEW
                  : p < 0.99 ? SD_QUEUE_SUSPENDED : SD_QUEUE_SIBLING_BURIED;
          interval = g_rand_int_range (rand, 1, 200);
          due = today + g_rand_int_range (rand, -5, interval);
        }

      sqlite3_bind_int64 (note, 1, id);
      sqlite3_bind_text (note, 2, guid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (note, 3, basic->id);
      sqlite3_bind_text (note, 4, fields, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (note, 5, id / 1000);
      if (!sd_collection_step_done (collection, note, &error))
        g_error ("%s", error->message);

      sqlite3_bind_int64 (card, 1, id);
      sqlite3_bind_int64 (card, 2, id);
      sqlite3_bind_int64 (card, 3, decks[i % G_N_ELEMENTS (deck_names)]);
      sqlite3_bind_int (card, 4, type);
      sqlite3_bind_int (card, 5, queue);
      sqlite3_bind_int64 (card, 6, due);
      sqlite3_bind_int (card, 7, interval);
      if (type != SD_CARD_NEW)
        {
          sqlite3_bind_double (card, 8, g_rand_double_range (rand, 0.5, 300));
          sqlite3_bind_double (card, 9, g_rand_double_range (rand, 1, 10));
          sqlite3_bind_int64 (card, 10, now - 86400 * (gint64) g_rand_int_range (rand, 0, 100));
        }
      else
        {
          sqlite3_bind_null (card, 8);
          sqlite3_bind_null (card, 9);
          sqlite3_bind_null (card, 10);
        }
      sqlite3_bind_int64 (card, 11, id / 1000);
      if (!sd_collection_step_done (collection, card, &error))
        g_error ("%s", error->message);
    }
}

/* Answers in time order, evenly over the last three years, to cards past
 * the first fifth of the ids: seven in ten reviews, the rest learning and
 * relearning steps. */
static void
fill_reviews (SdCollection *collection,
              GRand        *rand,
              gint64        first_card_id,
              gint64        now)
{
  g_autoptr(GError) error = NULL;
  gint64 start_ms = (now - HISTORY_DAYS * (gint64) 86400) * 1000;
  gint64 step_ms = HISTORY_DAYS * (gint64) 86400 * 1000 / N_REVIEWS;
  sqlite3_stmt *review;

  review = sd_collection_prepare (collection,
                                  "INSERT INTO revlog (id, card_id, rating, kind, interval,"
                                  " last_interval, ease, duration_ms)"
                                  " VALUES (?, ?, ?, ?, 10, ?, 2500, ?)", &error);
  g_assert_no_error (error);

  for (int i = 0; i < N_REVIEWS; i++)
    {
      gboolean review_kind = g_rand_int_range (rand, 0, 10) < 7;
      int kind = review_kind ? SD_REVLOG_REVIEW
                 : g_rand_boolean (rand) ? SD_REVLOG_LEARNING : SD_REVLOG_RELEARNING;

      /* Ids are answer times in ms; a jitter below the step keeps them apart. */
      sqlite3_bind_int64 (review, 1, start_ms + step_ms * i + g_rand_int_range (rand, 0, step_ms));
      sqlite3_bind_int64 (review, 2, first_card_id + g_rand_int_range (rand, N_CARDS / 5, N_CARDS));
      sqlite3_bind_int (review, 3, g_rand_int_range (rand, 1, 5));
      sqlite3_bind_int (review, 4, kind);
      sqlite3_bind_int (review, 5, review_kind ? g_rand_int_range (rand, 1, 100) : -600);
      sqlite3_bind_int (review, 6, g_rand_int_range (rand, 2000, 20000));
      if (!sd_collection_step_done (collection, review, &error))
        g_error ("%s", error->message);
    }
}

static void
fill (SdCollection *collection)
{
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  gint64 now = sd_clock_now ();
  gint64 first_card_id = (now - HISTORY_DAYS * (gint64) 86400) * 1000;

  if (!sd_collection_begin (collection, &error))
    g_error ("%s", error->message);
  fill_cards (collection, rand, first_card_id, now);
  fill_reviews (collection, rand, first_card_id, now);
  if (!sd_collection_commit (collection, &error))
    g_error ("%s", error->message);
  /* As after a long use: the planner knows the tables. */
  sd_collection_exec (collection, "ANALYZE", NULL);
  g_rand_free (rand);
}

static void
time_stats (SdCollection *collection,
            const char   *deck_name,
            const char   *label,
            int           runs)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 deck_id = deck_name != NULL ? sd_deck_find (collection, deck_name) : 0;
  guint cards = 0, answers = 0;

  for (int i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdStats) stats = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      stats = sd_stats_compute (collection, deck_id, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (stats == NULL)
        g_error ("%s: %s", label, error->message);
      g_array_append_val (samples, ms);

      /* What the figures cover, to see that each run did the whole work. */
      cards = stats->card_states.new_cards + stats->card_states.learning
              + stats->card_states.relearning + stats->card_states.young
              + stats->card_states.mature + stats->card_states.suspended
              + stats->card_states.buried;
      answers = 0;
      for (guint b = 0; b < SD_STATS_N_GROUPS; b++)
        for (guint r = 0; r < 4; r++)
          answers += stats->buttons[b][r];
    }

  g_array_sort (samples, compare_double);
  g_print ("| %s | %u | %u | %.1f | %.1f |\n", label, cards, answers,
           g_array_index (samples, double, 0), g_array_index (samples, double, samples->len / 2));
}

static void
remove_collection (const char *dir,
                   const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *media = g_build_filename (dir, "media", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (media);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int runs = argc > 1 ? atoi (argv[1]) : 9;
  gint64 start;

  setlocale (LC_ALL, "");
  if (runs < 1)
    {
      g_printerr ("Usage: %s [RUNS]\n", argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("bench-stats-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "collection.db", NULL);
  collection = sd_collection_open (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  fill (collection);
  g_print ("Filled %d cards and %d answers in %.1f s; sd_stats_compute (), best and median"
           " of %d runs, in ms:\n\n", N_CARDS, N_REVIEWS,
           (g_get_monotonic_time () - start) / 1e6, runs);

  g_print ("| statistics of | cards | answers counted | best | median |\n"
           "|---|---:|---:|---:|---:|\n");
  time_stats (collection, NULL, "whole collection", runs);
  time_stats (collection, "Lang", "“Lang” and its 3 subdecks (40 %)", runs);
  time_stats (collection, "Lang::French::Verbs", "“Lang::French::Verbs” (10 %)", runs);

  g_clear_object (&collection);
  remove_collection (dir, path);
  return 0;
}
