/* sd-revlog.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-revlog.h"

/**
 * sd_revlog_insert:
 *
 * Appends a review. A zero id becomes "now"; ids are answer times in epoch
 * milliseconds and unique, so a second answer in the same millisecond moves
 * one millisecond on, as Anki does.
 */
gboolean
sd_revlog_insert (SdCollection   *collection,
                  SdRevlogEntry  *entry,
                  GError        **error)
{
  sqlite3_stmt *stmt;

  if (entry->id == 0)
    entry->id = sd_collection_new_id (collection, "revlog");

  stmt = sd_collection_prepare (collection,
                                "INSERT INTO revlog (id, card_id, rating, kind, interval,"
                                " last_interval, ease, stability, difficulty, duration_ms)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->id);
  sqlite3_bind_int64 (stmt, 2, entry->card_id);
  sqlite3_bind_int (stmt, 3, entry->rating);
  sqlite3_bind_int (stmt, 4, entry->kind);
  sqlite3_bind_int (stmt, 5, entry->interval);
  sqlite3_bind_int (stmt, 6, entry->last_interval);
  sqlite3_bind_int (stmt, 7, entry->ease);
  /* Anki's logs carry FSRS difficulty without stability; keep what is known. */
  if (entry->stability > 0)
    sqlite3_bind_double (stmt, 8, entry->stability);
  else
    sqlite3_bind_null (stmt, 8);
  if (entry->difficulty > 0)
    sqlite3_bind_double (stmt, 9, entry->difficulty);
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_int (stmt, 10, entry->duration_ms);
  return sd_collection_step_done (collection, stmt, error);
}

gboolean
sd_revlog_delete (SdCollection  *collection,
                  gint64         id,
                  GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, "DELETE FROM revlog WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sd_collection_step_done (collection, stmt, error);
}

/**
 * sd_revlog_list_for_card:
 *
 * Returns: (transfer full) (element-type SdRevlogEntry): the card's reviews,
 *   oldest first
 */
GArray *
sd_revlog_list_for_card (SdCollection  *collection,
                         gint64         card_id,
                         GError       **error)
{
  GArray *entries;
  sqlite3_stmt *stmt;

  stmt = sd_collection_prepare (collection,
                                "SELECT id, card_id, rating, kind, interval, last_interval, ease,"
                                " coalesce (stability, 0), coalesce (difficulty, 0), duration_ms"
                                " FROM revlog WHERE card_id = ? ORDER BY id",
                                error);
  if (stmt == NULL)
    return NULL;

  entries = g_array_new (FALSE, TRUE, sizeof (SdRevlogEntry));
  sqlite3_bind_int64 (stmt, 1, card_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SdRevlogEntry entry = {
        .id = sqlite3_column_int64 (stmt, 0),
        .card_id = sqlite3_column_int64 (stmt, 1),
        .rating = sqlite3_column_int (stmt, 2),
        .kind = sqlite3_column_int (stmt, 3),
        .interval = sqlite3_column_int (stmt, 4),
        .last_interval = sqlite3_column_int (stmt, 5),
        .ease = sqlite3_column_int (stmt, 6),
        .stability = sqlite3_column_double (stmt, 7),
        .difficulty = sqlite3_column_double (stmt, 8),
        .duration_ms = sqlite3_column_int (stmt, 9),
      };
      g_array_append_val (entries, entry);
    }
  sqlite3_reset (stmt);
  return entries;
}
