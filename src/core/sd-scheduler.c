/* sd-scheduler.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-preset.h"
#include "sd-scheduler.h"

/**
 * sd_scheduler_due_counts:
 *
 * Counts what @deck_id and its subdecks have for today: new cards within the
 * deck's daily limit (less those already started today), learning cards due
 * now, and reviews due today within the review limit.
 */
gboolean
sd_scheduler_due_counts (SdCollection  *collection,
                         gint64         deck_id,
                         SdDueCounts   *counts,
                         GError       **error)
{
  g_autoptr(SdPreset) preset = sd_preset_load_for_deck (collection, deck_id, error);
  sqlite3_stmt *stmt;
  gint64 now = sd_clock_now ();
  gint64 today, day_start;
  int new_done = 0, reviews_done = 0;

  if (preset == NULL)
    return FALSE;

  today = sd_clock_day_number (now, preset->rollover_hour);
  day_start = sd_clock_day_start (today, preset->rollover_hour);

  stmt = sd_collection_prepare (collection,
                                "WITH RECURSIVE sub (id) AS (SELECT ?1 UNION ALL"
                                " SELECT d.id FROM decks d JOIN sub ON d.parent_id = sub.id)"
                                " SELECT"
                                " (SELECT count(*) FROM cards WHERE deck_id IN sub AND queue = 0),"
                                " (SELECT count(*) FROM cards WHERE deck_id IN sub AND"
                                "   ((queue = 1 AND due <= ?2) OR (queue = 3 AND due <= ?3))),"
                                " (SELECT count(*) FROM cards WHERE deck_id IN sub AND queue = 2"
                                "   AND due <= ?3),"
                                " (SELECT count(DISTINCT r.card_id) FROM revlog r JOIN cards c"
                                "   ON c.id = r.card_id WHERE c.deck_id IN sub AND r.id >= ?4"
                                "   AND r.kind = 0 AND NOT EXISTS (SELECT 1 FROM revlog p"
                                "   WHERE p.card_id = r.card_id AND p.id < ?4)),"
                                " (SELECT count(*) FROM revlog r JOIN cards c ON c.id = r.card_id"
                                "   WHERE c.deck_id IN sub AND r.id >= ?4 AND r.kind IN (1, 2))",
                                error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, deck_id);
  sqlite3_bind_int64 (stmt, 2, now + SD_SCHEDULER_LEARN_AHEAD);
  sqlite3_bind_int64 (stmt, 3, today);
  sqlite3_bind_int64 (stmt, 4, day_start * 1000);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return sd_collection_set_error (collection, error);
    }

  new_done = sqlite3_column_int (stmt, 3);
  reviews_done = sqlite3_column_int (stmt, 4);
  counts->new_count = MIN (sqlite3_column_int (stmt, 0), MAX (0, preset->new_per_day - new_done));
  counts->learn_count = sqlite3_column_int (stmt, 1);
  counts->review_count = MIN (sqlite3_column_int (stmt, 2),
                              MAX (0, preset->reviews_per_day - reviews_done));
  sqlite3_reset (stmt);
  return TRUE;
}
