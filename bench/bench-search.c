/* bench-search.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Search speed on a collection of 100,000 cards in 60 decks (10 subjects
 * of 5 units) with tags and a review log: each search parsed, written as
 * SQL and run to the list of ids, as the browser does, many times over.
 *
 *   bench-search [N_CARDS] [--plan] [--tags-index]
 *
 * prints a Markdown table; --plan adds SQLite's query plans; --tags-index
 * first adds an index on notes (tags), to see what one would bring. */

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sd-browse.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-notetype.h"
#include "sd-search.h"

#define RUNS 30

static const char *tag_pool[] = {
  "verb", "noun", "adjective", "lang::fr", "lang::de", "lang::es", "exam::2026", "leech",
  "hard", "review-me", "chapter::1", "chapter::2", "chapter::3", "chapter::4",
};

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  p)
{
  g_array_sort (samples, compare_gint64);
  return g_array_index (samples, gint64, MIN (samples->len - 1, (guint) (p * samples->len)))
         / 1000.0;
}

static void
fill (SdCollection *collection,
      int           n_cards)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  GRand *rand = g_rand_new_with_seed (42);
  gint64 decks[60];
  gint64 now = sd_clock_now ();
  gint64 today = sd_clock_day_number (now, 4);
  sqlite3_stmt *note, *card, *review;
  gint64 revlog_id = (now - 400 * 86400) * 1000;

  for (int i = 0; i < 60; i++)
    {
      g_autofree char *name = i % 6 == 0 ? g_strdup_printf ("Subject %d", i / 6)
                                         : g_strdup_printf ("Subject %d::Unit %d", i / 6, i % 6);
      decks[i] = sd_deck_ensure (collection, name, &error);
    }

  sd_collection_begin (collection, &error);
  note = sd_collection_prepare (collection,
                                "INSERT INTO notes (id, guid, notetype_id, fields, sort_field,"
                                " tags, mtime) VALUES (?, ?, ?, ?, ?, ?, ?)", &error);
  card = sd_collection_prepare (collection,
                                "INSERT INTO cards (id, note_id, deck_id, ord, type, queue, due,"
                                " interval, ease, stability, difficulty, last_review, reps,"
                                " lapses, flags, position, mtime)"
                                " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                &error);
  review = sd_collection_prepare (collection,
                                  "INSERT INTO revlog (id, card_id, rating, kind, interval,"
                                  " last_interval, ease) VALUES (?, ?, ?, 1, ?, ?, 2500)", &error);
  for (int i = 0; i < n_cards; i++)
    {
      gint64 id = (now - 365 * 86400) * 1000 + (gint64) i * 300000;
      g_autofree char *guid = g_strdup_printf ("bench%d", i);
      g_autofree char *front = g_strdup_printf ("Question %d %s", i,
                                                i % 97 == 0 ? "école" : "ecole");
      g_autofree char *fields = g_strdup_printf ("%s\x1f" "Answer %d word%d", front, i, i % 1000);
      int second = g_rand_int_range (rand, 7, G_N_ELEMENTS (tag_pool));
      g_autofree char *tags = g_strdup_printf (" %s %s ",
                                               tag_pool[g_rand_int_range (rand, 0, 7)],
                                               tag_pool[second]);
      int kind = g_rand_int_range (rand, 0, 20);   /* 6 new, 11 review, 2 learning, 1 suspended */
      int type, queue, interval = 0, ease = 0, reps = 0;
      gint64 due;

      if (kind < 6)
        type = 0, queue = 0, due = i + 1;
      else if (kind < 17)
        {
          type = 2, queue = 2;
          due = today + g_rand_int_range (rand, -30, 60);
          interval = g_rand_int_range (rand, 1, 200);
          ease = 1300 + g_rand_int_range (rand, 0, 1700);
          reps = g_rand_int_range (rand, 1, 30);
        }
      else if (kind < 19)
        type = 1, queue = 1, due = now + g_rand_int_range (rand, -3600, 7200), reps = 1;
      else
        type = 2, queue = -1, due = today - 10, interval = 10, ease = 2500, reps = 4;

      sqlite3_bind_int64 (note, 1, id);
      sqlite3_bind_text (note, 2, guid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (note, 3, basic->id);
      sqlite3_bind_text (note, 4, fields, -1, SQLITE_STATIC);
      sqlite3_bind_text (note, 5, front, -1, SQLITE_STATIC);
      sqlite3_bind_text (note, 6, tags, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (note, 7, id / 1000);
      sd_collection_step_done (collection, note, &error);

      sqlite3_bind_int64 (card, 1, id);
      sqlite3_bind_int64 (card, 2, id);
      sqlite3_bind_int64 (card, 3, decks[g_rand_int_range (rand, 0, 60)]);
      sqlite3_bind_int (card, 4, type);
      sqlite3_bind_int (card, 5, queue);
      sqlite3_bind_int64 (card, 6, due);
      sqlite3_bind_int (card, 7, interval);
      sqlite3_bind_int (card, 8, ease);
      if (type == 2)
        {
          sqlite3_bind_double (card, 9, interval * 1.1);
          sqlite3_bind_double (card, 10, 1 + g_rand_double (rand) * 9);
          sqlite3_bind_int64 (card, 11, now - interval * 86400);
        }
      else
        {
          sqlite3_bind_null (card, 9);
          sqlite3_bind_null (card, 10);
          sqlite3_bind_null (card, 11);
        }
      sqlite3_bind_int (card, 12, reps);
      sqlite3_bind_int (card, 13, reps / 8);
      sqlite3_bind_int (card, 14, i % 50 == 0 ? 1 + i % 7 : 0);
      sqlite3_bind_int64 (card, 15, i + 1);
      sqlite3_bind_int64 (card, 16, id / 1000);
      sd_collection_step_done (collection, card, &error);

      /* About three reviews for every review card, the last ones recent. */
      for (int r = 0; type == 2 && r < 3; r++)
        {
          gint64 recent = (now - g_rand_int_range (rand, 0, 30 * 86400)) * 1000 + i % 1000;

          revlog_id += g_rand_int_range (rand, 1, 100000);
          sqlite3_bind_int64 (review, 1, r == 2 ? recent : revlog_id);
          sqlite3_bind_int64 (review, 2, id);
          sqlite3_bind_int (review, 3, g_rand_int_range (rand, 1, 5));
          sqlite3_bind_int (review, 4, interval);
          sqlite3_bind_int (review, 5, interval / 2);
          if (!sd_collection_step_done (collection, review, NULL))
            continue;   /* the rare id taken twice */
        }
    }
  if (!sd_collection_commit (collection, &error))
    g_error ("%s", error->message);
  sd_collection_exec (collection, "ANALYZE", NULL);
  g_rand_free (rand);
}

static void
print_plan (SdCollection *collection,
            const char   *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSearchQuery) compiled = sd_search_query_new (collection, query, SD_SEARCH_CARDS,
                                                           &error);
  g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", sd_search_query_get_sql (compiled),
                                      NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_print ("\n`%s`\n\n    %s\n", query, sd_search_query_get_sql (compiled));
  sqlite3_prepare_v2 (sd_collection_get_db (collection), sql, -1, &stmt, NULL);
  sd_search_query_bind (compiled, stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_print ("    %d %s\n", sqlite3_column_int (stmt, 1), sqlite3_column_text (stmt, 3));
}

typedef enum
{
  RUN_SEARCH,
  RUN_BROWSE_DUE,
  RUN_BROWSE_SORT_FIELD,
  RUN_NOTES,
} RunKind;

static void
time_query (SdCollection *collection,
            const char   *query,
            RunKind       kind,
            const char   *label)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint matches = 0;

  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      switch (kind)
        {
        case RUN_SEARCH:
          ids = sd_search_cards (collection, query, &error);
          break;
        case RUN_BROWSE_DUE:
          ids = sd_browse_cards (collection, query, SD_BROWSE_COLUMN_DUE, TRUE, &error);
          break;
        case RUN_BROWSE_SORT_FIELD:
          ids = sd_browse_cards (collection, query, SD_BROWSE_COLUMN_SORT_FIELD, TRUE, &error);
          break;
        case RUN_NOTES:
          ids = sd_browse_notes (collection, query, SD_BROWSE_COLUMN_CREATED, TRUE, &error);
          break;
        }
      elapsed = g_get_monotonic_time () - start;
      if (ids == NULL)
        g_error ("%s: %s", query, error->message);
      matches = ids->len;
      g_array_append_val (samples, elapsed);
    }
  g_print ("| `%s`%s | %u | %.1f | %.1f |\n", query, label, matches, percentile (samples, 0.5),
           percentile (samples, 0.95));
}

/* One bulk action on the cards of a search, and its undo, timed once. */
static void
time_action (SdCollection *collection,
             const char   *query,
             const char   *label,
             SdBrowseUndo *(*action) (SdCollection *, const gint64 *, gsize, GError **))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = sd_search_cards (collection, query, &error);
  g_autoptr(SdBrowseUndo) undo = NULL;
  gint64 start, done, undone;

  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  undo = action (collection, (const gint64 *) ids->data, ids->len, &error);
  done = g_get_monotonic_time ();
  if (undo == NULL || !sd_browse_undo (collection, undo, &error))
    g_error ("%s: %s", label, error->message);
  undone = g_get_monotonic_time ();
  g_print ("| %s, `%s` | %u | %.0f | %.0f |\n", label, query, ids->len, (done - start) / 1000.0,
           (undone - done) / 1000.0);
}

static SdBrowseUndo *
flag_red (SdCollection *collection, const gint64 *ids, gsize n, GError **error)
{
  return sd_browse_set_flag (collection, ids, n, 1, error);
}

static SdBrowseUndo *
add_tag (SdCollection *collection, const gint64 *ids, gsize n, GError **error)
{
  return sd_browse_add_tags (collection, ids, n, "bench::bulk", error);
}

static SdBrowseUndo *
forget (SdCollection *collection, const gint64 *ids, gsize n, GError **error)
{
  return sd_browse_forget (collection, ids, n, SD_BROWSE_FORGET_DEFAULT, error);
}

static SdBrowseUndo *
due_in_week (SdCollection *collection, const gint64 *ids, gsize n, GError **error)
{
  return sd_browse_set_due_date (collection, ids, n, "1-7", error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int n_cards = 100000;
  gboolean plan = FALSE;
  gboolean tags_index = FALSE;
  gint64 start;
  static const char *searches[] = {
    "deck:\"Subject 3\" tag:verb is:due",
    "deck:\"Subject 3::Unit 2\" is:due",
    "is:due",
    "deck:\"Subject 3\"",
    "tag:verb",
    "tag:lang",
    "tag:chap*::2",
    "is:new -is:suspended",
    "word123",
    "école",
    "\"answer 4242 \"",
    "front:Question*99",
    "rated:7",
    "rated:30:1",
    "prop:ivl>100 prop:ease<2",
    "added:30",
    "flag:3 or is:suspended",
    "(tag:noun or tag:verb) deck:subject* -is:learn",
  };

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--plan"))
        plan = TRUE;
      else if (g_str_equal (argv[i], "--tags-index"))
        tags_index = TRUE;
      else
        n_cards = atoi (argv[i]);
    }

  dir = g_dir_make_tmp ("bench-search-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "collection.db", NULL);
  collection = sd_collection_open (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  fill (collection, n_cards);
  if (tags_index)
    sd_collection_exec (collection, "CREATE INDEX bench_notes_tags ON notes (tags); ANALYZE;",
                        NULL);
  g_print ("Filled %d cards in %.1f s; median and 95th percentile of %d runs, in ms,"
           " parse + SQL + ids:\n\n", n_cards, (g_get_monotonic_time () - start) / 1e6, RUNS);

  g_print ("| search | matches | median | p95 |\n|---|---:|---:|---:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    time_query (collection, searches[i], RUN_SEARCH, "");
  time_query (collection, searches[0], RUN_BROWSE_DUE, " (browser, by due)");
  time_query (collection, "deck:\"Subject 3\"", RUN_BROWSE_SORT_FIELD, " (browser, by sort field)");
  time_query (collection, "", RUN_BROWSE_SORT_FIELD, " (browser, by sort field)");
  time_query (collection, "tag:verb is:due", RUN_NOTES, " (notes)");

  {
    g_autoptr(GArray) ids = sd_browse_cards (collection, "", SD_BROWSE_COLUMN_DUE, TRUE, &error);
    g_autoptr(GPtrArray) rows = NULL;
    gint64 start_rows = g_get_monotonic_time ();
    guint n = MIN (ids->len, 1000);

    for (guint i = 0; i < n; i++)
      {
        SdBrowseRow row;

        if (!sd_browse_card_row (collection, g_array_index (ids, gint64, i), &row, &error))
          g_error ("%s", error->message);
        sd_browse_row_clear (&row);
      }
    g_print ("\nOne card row (sd_browse_card_row), over %u rows: %.1f µs\n", n,
             (double) (g_get_monotonic_time () - start_rows) / n);
    start_rows = g_get_monotonic_time ();
    rows = sd_browse_card_rows (collection, (const gint64 *) ids->data, ids->len, &error);
    g_print ("All %u card rows at once (sd_browse_card_rows): %.0f ms\n", ids->len,
             (g_get_monotonic_time () - start_rows) / 1000.0);
  }

  g_print ("\n| bulk action on the cards of a search | cards | action ms | undo ms |\n"
           "|---|---:|---:|---:|\n");
  time_action (collection, "deck:\"Subject 3\"", "flag", flag_red);
  time_action (collection, "deck:\"Subject 3\"", "add a tag", add_tag);
  time_action (collection, "deck:\"Subject 3\"", "forget", forget);
  time_action (collection, "deck:\"Subject 3\"", "set due date", due_in_week);
  time_action (collection, "deck:\"Subject 3\"", "delete", sd_browse_delete_cards);
  time_action (collection, "", "flag", flag_red);

  if (plan)
    for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
      print_plan (collection, searches[i]);

  g_clear_object (&collection);
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
  return 0;
}
