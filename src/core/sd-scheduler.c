/* sd-scheduler.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-fsrs.h"
#include "sd-note.h"
#include "sd-preset.h"
#include "sd-revlog.h"
#include "sd-scheduler.h"

/* Cards whose text was deleted from their Markdown note are retired: kept
 * with their history, never shown or counted.
 *
 * The scheduler studies one deck and its subdecks. Each deck's daily limits
 * apply to it and everything below it, as in Anki's v3 scheduler: a card
 * is shown only while its deck and every ancestor up to the studied deck
 * still have room. The day's review and new cards are chosen once (the
 * queue) and consumed in order; learning cards are asked for live, since
 * their due times move with every answer. */

typedef struct
{
  gint64        id;
  gint64        parent_id;     /* 0 at the studied deck */
  SdPreset     *preset;        /* borrowed from the presets table */
  int           new_left;      /* room left today in this deck's subtree */
  int           review_left;
  int           new_direct;    /* cards of this deck itself, for counting */
  int           review_direct;
} DeckNode;

typedef struct
{
  SdPreset     *preset;
  SdFsrsParams  params;
} PresetInfo;

typedef struct
{
  GPtrArray    *cards;         /* SdCard snapshots to write back */
  gint64        revlog_id;     /* the answer's review log row, or 0 */
  gint64        note_id;       /* note whose tags changed, or 0 */
  char         *note_tags;
  gint64        card_id;       /* card to show again */
} UndoStep;

struct _SdScheduler
{
  GObject        parent_instance;

  SdCollection  *collection;
  gint64         deck_id;
  gint64         today;
  int            rollover_hour;

  GHashTable    *decks;        /* gint64* -> DeckNode */
  GHashTable    *presets;      /* gint64* -> PresetInfo */
  GString       *deck_list;    /* "1,2,3" for SQL IN lists */
  GString       *scope;        /* "deck_id IN (…)" or, for a chosen set, "id IN (…)" */
  GArray        *card_set;     /* the chosen cards, or NULL for a deck */

  GArray        *reviews;      /* card ids, in order */
  guint          review_pos;
  GArray        *news;
  guint          new_pos;

  GQueue        *undo;         /* UndoStep, newest first */
  gint64         pending_card; /* shown next after an undo */
};

G_DEFINE_FINAL_TYPE (SdScheduler, sd_scheduler, G_TYPE_OBJECT)

#define MAX_UNDO 64

static void
undo_step_free (UndoStep *step)
{
  g_ptr_array_unref (step->cards);
  g_free (step->note_tags);
  g_free (step);
}

static void
preset_info_free (PresetInfo *info)
{
  sd_preset_free (info->preset);
  g_free (info);
}

static void
sd_scheduler_finalize (GObject *object)
{
  SdScheduler *self = SD_SCHEDULER (object);

  g_clear_object (&self->collection);
  g_clear_pointer (&self->decks, g_hash_table_unref);
  g_clear_pointer (&self->presets, g_hash_table_unref);
  g_string_free (self->deck_list, TRUE);
  g_string_free (self->scope, TRUE);
  g_clear_pointer (&self->card_set, g_array_unref);
  g_array_unref (self->reviews);
  g_array_unref (self->news);
  g_queue_free_full (self->undo, (GDestroyNotify) undo_step_free);

  G_OBJECT_CLASS (sd_scheduler_parent_class)->finalize (object);
}

static void
sd_scheduler_class_init (SdSchedulerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_scheduler_finalize;
}

static void
sd_scheduler_init (SdScheduler *self)
{
  self->decks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->presets = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) preset_info_free);
  self->deck_list = g_string_new (NULL);
  self->scope = g_string_new (NULL);
  self->reviews = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->news = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->undo = g_queue_new ();
}

/* ---- the deck tree and its limits -------------------------------------- */

static PresetInfo *
preset_info (GHashTable    *presets,
             SdCollection  *collection,
             gint64         preset_id,
             GError       **error)
{
  PresetInfo *info = g_hash_table_lookup (presets, &preset_id);
  g_autoptr(SdPreset) preset = NULL;

  if (info != NULL)
    return info;

  preset = sd_preset_load (collection, preset_id, error);
  if (preset == NULL)
    return NULL;

  info = g_new0 (PresetInfo, 1);
  sd_fsrs_params_init_default (&info->params);
  if (preset->fsrs_params[0] != '\0')
    {
      g_autoptr(GError) bad = NULL;
      if (!sd_fsrs_params_parse_json (&info->params, preset->fsrs_params, &bad))
        {
          /* A damaged parameter list must not stop studying; the defaults
           * schedule reasonably while the user fixes it. */
          g_warning ("Options “%s”: %s; using the default FSRS parameters",
                     preset->name, bad->message);
          sd_fsrs_params_init_default (&info->params);
        }
    }
  info->preset = g_steal_pointer (&preset);
  g_hash_table_insert (presets, &info->preset->id, info);
  return info;
}

static PresetInfo *
preset_for_deck (SdScheduler  *self,
                 gint64        deck_id,
                 GError      **error)
{
  DeckNode *node = g_hash_table_lookup (self->decks, &deck_id);

  if (node != NULL)
    return g_hash_table_lookup (self->presets, &node->preset->id);

  /* A card outside the studied tree (answered from the browser, say). */
  {
    sqlite3_stmt *stmt = sd_collection_prepare (self->collection,
                                                "SELECT preset_id FROM decks WHERE id = ?", error);
    gint64 preset_id = 1;

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, deck_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      preset_id = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    return preset_info (self->presets, self->collection, preset_id, error);
  }
}

/* Loads the studied deck's subtree with each deck's room left today: its
 * limits less what was studied today in it and below it. */
static gboolean
load_tree (SdCollection  *collection,
           gint64         root,
           gint64         day_start,
           GHashTable    *decks,
           GHashTable    *presets,
           GString       *deck_list,
           GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_hash_table_remove_all (decks);
  g_string_truncate (deck_list, 0);

  stmt = sd_collection_prepare (collection,
                                "WITH RECURSIVE sub (id, parent) AS ("
                                " SELECT id, 0 FROM decks WHERE id = ?1 UNION ALL"
                                " SELECT d.id, d.parent_id FROM decks d JOIN sub ON d.parent_id = sub.id)"
                                " SELECT sub.id, sub.parent, d.preset_id FROM sub"
                                " JOIN decks d ON d.id = sub.id",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, root);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeckNode *node = g_new0 (DeckNode, 1);
      PresetInfo *info;

      node->id = sqlite3_column_int64 (stmt, 0);
      node->parent_id = sqlite3_column_int64 (stmt, 1);
      info = preset_info (presets, collection, sqlite3_column_int64 (stmt, 2), error);
      if (info == NULL)
        {
          g_free (node);
          sqlite3_reset (stmt);
          return FALSE;
        }
      node->preset = info->preset;
      node->new_left = info->preset->new_per_day;
      node->review_left = info->preset->reviews_per_day;
      g_hash_table_insert (decks, &node->id, node);
      g_string_append_printf (deck_list, "%s%" G_GINT64_FORMAT, deck_list->len ? "," : "",
                              node->id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (collection, error);

  if (g_hash_table_size (decks) == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Deck %" G_GINT64_FORMAT " does not exist"), root);
      return FALSE;
    }

  /* Today's answers, newest first through the primary key: a short range
   * scan however large the log is. A card counts as new today when its
   * first review ever is today's. */
  stmt = sd_collection_prepare (collection,
                                "SELECT c.deck_id,"
                                " sum (r.kind = 0 AND NOT EXISTS (SELECT 1 FROM revlog p"
                                "   WHERE p.card_id = r.card_id AND p.id < r.id)),"
                                " sum (r.kind IN (1, 2) AND r.rating > 0)"
                                " FROM revlog r JOIN cards c ON c.id = r.card_id"
                                " WHERE r.id >= ? GROUP BY c.deck_id",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day_start * 1000);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 deck_id = sqlite3_column_int64 (stmt, 0);
      int new_done = sqlite3_column_int (stmt, 1);
      int reviews_done = sqlite3_column_int (stmt, 2);
      DeckNode *node = g_hash_table_lookup (decks, &deck_id);

      for (; node != NULL; node = node->parent_id ? g_hash_table_lookup (decks, &node->parent_id) : NULL)
        {
          node->new_left -= new_done;
          node->review_left -= reviews_done;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (collection, error);

  return TRUE;
}

/* Whether a card of @deck_id fits under every limit up to the studied
 * deck; takes the room when it does. */
static gboolean
take_room (GHashTable *decks,
           gint64      deck_id,
           gboolean    is_new)
{
  DeckNode *node;

  for (node = g_hash_table_lookup (decks, &deck_id); node != NULL;
       node = node->parent_id ? g_hash_table_lookup (decks, &node->parent_id) : NULL)
    if ((is_new ? node->new_left : node->review_left) <= 0)
      return FALSE;

  for (node = g_hash_table_lookup (decks, &deck_id); node != NULL;
       node = node->parent_id ? g_hash_table_lookup (decks, &node->parent_id) : NULL)
    {
      if (is_new)
        node->new_left--;
      else
        node->review_left--;
    }
  return TRUE;
}

/* Buried cards come back the next day. */
static gboolean
unbury_for_day (SdCollection  *collection,
                gint64         today,
                GError       **error)
{
  g_autofree char *last = sd_collection_get_config (collection, "unburied-day");
  g_autofree char *value = NULL;

  if (last != NULL && g_ascii_strtoll (last, NULL, 10) >= today)
    return TRUE;

  value = g_strdup_printf ("%" G_GINT64_FORMAT, today);
  if (!sd_collection_begin (collection, error))
    return FALSE;
  if (!sd_collection_exec (collection,
                           "UPDATE cards SET queue = CASE type WHEN 0 THEN 0 WHEN 2 THEN 2"
                           " ELSE CASE WHEN due > 1000000000 THEN 1 ELSE 3 END END"
                           " WHERE queue IN (-2, -3)",
                           error)
      || !sd_collection_set_config (collection, "unburied-day", value, error))
    {
      sd_collection_rollback (collection);
      return FALSE;
    }
  return sd_collection_commit (collection, error);
}

static int
session_rollover (SdCollection *collection,
                  gint64        deck_id)
{
  g_autoptr(SdPreset) preset = sd_preset_load_for_deck (collection, deck_id, NULL);

  return preset ? preset->rollover_hour : 4;
}

/* ---- counts for the deck list ------------------------------------------ */

static int
subtree_total (GHashTable *decks,
               GHashTable *children,
               DeckNode   *node,
               gboolean    is_new)
{
  GPtrArray *kids = g_hash_table_lookup (children, &node->id);
  int total = is_new ? node->new_direct : node->review_direct;
  int room = is_new ? node->new_left : node->review_left;

  for (guint i = 0; kids != NULL && i < kids->len; i++)
    total += subtree_total (decks, children, g_ptr_array_index (kids, i), is_new);
  return MAX (0, MIN (total, room));
}

/**
 * sd_scheduler_due_counts:
 *
 * What @deck_id and its subdecks have for today, within the daily limits
 * of each deck on the way: new cards, learning cards due now (and
 * interday learning due today), and reviews due today.
 */
gboolean
sd_scheduler_due_counts (SdCollection  *collection,
                         gint64         deck_id,
                         SdDueCounts   *counts,
                         GError       **error)
{
  g_autoptr(GHashTable) decks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  g_autoptr(GHashTable) presets = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                         (GDestroyNotify) preset_info_free);
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GString) deck_list = g_string_new (NULL);
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GHashTableIter iter;
  gpointer value;
  DeckNode *root;
  int rollover = session_rollover (collection, deck_id);
  gint64 now = sd_clock_now ();
  gint64 today = sd_clock_day_number (now, rollover);

  if (!load_tree (collection, deck_id, sd_clock_day_start (today, rollover), decks, presets,
                  deck_list, error))
    return FALSE;

  g_hash_table_iter_init (&iter, decks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DeckNode *node = value;
      GPtrArray *kids;

      if (node->parent_id == 0)
        continue;
      kids = g_hash_table_lookup (children, &node->parent_id);
      if (kids == NULL)
        {
          DeckNode *parent = g_hash_table_lookup (decks, &node->parent_id);
          kids = g_ptr_array_new ();
          g_hash_table_insert (children, &parent->id, kids);
        }
      g_ptr_array_add (kids, node);
    }

  sql = g_strdup_printf ("SELECT deck_id, sum (queue = 0), sum (queue = 2 AND due <= ?2),"
                         " sum ((queue = 1 AND due <= ?1) OR (queue = 3 AND due <= ?2))"
                         " FROM cards WHERE deck_id IN (%s) AND queue BETWEEN 0 AND 3 AND retired = 0"
                         " GROUP BY deck_id",
                         deck_list->str);
  if (sqlite3_prepare_v2 (sd_collection_get_db (collection), sql, -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (collection, error);
  sqlite3_bind_int64 (stmt, 1, now + SD_SCHEDULER_LEARN_AHEAD);
  sqlite3_bind_int64 (stmt, 2, today);

  counts->learn_count = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      DeckNode *node = g_hash_table_lookup (decks, &id);

      node->new_direct = sqlite3_column_int (stmt, 1);
      node->review_direct = sqlite3_column_int (stmt, 2);
      counts->learn_count += sqlite3_column_int (stmt, 3);
    }

  root = g_hash_table_lookup (decks, &deck_id);
  counts->new_count = subtree_total (decks, children, root, TRUE);
  counts->review_count = subtree_total (decks, children, root, FALSE);
  return TRUE;
}

/* ---- the session -------------------------------------------------------- */

/**
 * sd_scheduler_new:
 *
 * Starts studying @deck_id and its subdecks: buried cards of earlier days
 * come back and today's queue is built.
 */
SdScheduler *
sd_scheduler_new (SdCollection  *collection,
                  gint64         deck_id,
                  GError       **error)
{
  g_autoptr(SdScheduler) self = g_object_new (SD_TYPE_SCHEDULER, NULL);

  self->collection = g_object_ref (collection);
  self->deck_id = deck_id;
  if (!sd_scheduler_rebuild (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sd_scheduler_new_for_cards:
 * @card_ids: (element-type gint64): the cards to study
 *
 * Studies a chosen set of cards (the cards of one note, say) whatever their
 * deck and due date and past the daily limits; suspended, buried and
 * retired cards stay out.
 */
SdScheduler *
sd_scheduler_new_for_cards (SdCollection  *collection,
                            GArray        *card_ids,
                            GError       **error)
{
  g_autoptr(SdScheduler) self = g_object_new (SD_TYPE_SCHEDULER, NULL);
  g_autoptr(SdCard) first = NULL;

  g_return_val_if_fail (card_ids != NULL && card_ids->len > 0, NULL);

  first = sd_card_load (collection, g_array_index (card_ids, gint64, 0), error);
  if (first == NULL)
    return NULL;

  self->collection = g_object_ref (collection);
  self->deck_id = first->deck_id;
  self->card_set = g_array_copy (card_ids);
  if (!sd_scheduler_rebuild (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

gint64
sd_scheduler_get_deck_id (SdScheduler *self)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);

  return self->deck_id;
}

gint64
sd_scheduler_get_today (SdScheduler *self)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);

  return self->today;
}

static gboolean
fill_queue (SdScheduler  *self,
            const char   *where,
            GArray       *queue,
            gboolean      is_new,
            GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id, deck_id FROM cards WHERE %s AND %s",
                                          self->scope->str, where);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_array_set_size (queue, 0);
  if (sqlite3_prepare_v2 (sd_collection_get_db (self->collection), sql, -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (self->collection, error);
  sqlite3_bind_int64 (stmt, 1, self->today);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      /* A chosen set of cards is studied whole, past the daily limits. */
      if (self->card_set != NULL || take_room (self->decks, sqlite3_column_int64 (stmt, 1), is_new))
        g_array_append_val (queue, id);
    }
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (self->collection, error);
  return TRUE;
}

/**
 * sd_scheduler_rebuild:
 *
 * Builds the day's queue: reviews due today in due order (a stable
 * shuffle inside a day, so sibling cards are not back to back), then new
 * cards in the order they were added, each within the limits.
 */
gboolean
sd_scheduler_rebuild (SdScheduler  *self,
                      GError      **error)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);

  self->rollover_hour = session_rollover (self->collection, self->deck_id);
  self->today = sd_clock_day_number (sd_clock_now (), self->rollover_hour);

  if (!unbury_for_day (self->collection, self->today, error))
    return FALSE;

  g_string_truncate (self->scope, 0);
  if (self->card_set != NULL)
    {
      g_string_append (self->scope, "id IN (");
      for (guint i = 0; i < self->card_set->len; i++)
        g_string_append_printf (self->scope, "%s%" G_GINT64_FORMAT, i ? "," : "",
                                g_array_index (self->card_set, gint64, i));
      g_string_append_c (self->scope, ')');
    }
  else
    {
      if (!load_tree (self->collection, self->deck_id,
                      sd_clock_day_start (self->today, self->rollover_hour),
                      self->decks, self->presets, self->deck_list, error))
        return FALSE;
      g_string_append_printf (self->scope, "deck_id IN (%s)", self->deck_list->str);
    }

  /* A chosen set includes its reviews that are not due yet: studying a note
   * means going through all of its cards. */
  if (!fill_queue (self, self->card_set != NULL
                         ? "queue = 2 AND ?1 IS NOT NULL AND retired = 0 ORDER BY due, id"
                         : "queue = 2 AND due <= ?1 AND retired = 0 ORDER BY due, ((id % 1000003) * 2654435761) % 4294967296",
                   self->reviews, FALSE, error)
      || !fill_queue (self, "queue = 0 AND ?1 IS NOT NULL AND retired = 0 ORDER BY due, id",
                      self->news, TRUE, error))
    return FALSE;

  self->review_pos = 0;
  self->new_pos = 0;
  return TRUE;
}

static SdCard *
next_learning (SdScheduler *self,
               gint64       cutoff,
               GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM cards WHERE %s"
                                          " AND queue = 1 AND due <= ? AND retired = 0 ORDER BY due, id LIMIT 1",
                                          self->scope->str);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id = 0;

  if (sqlite3_prepare_v2 (sd_collection_get_db (self->collection), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (self->collection, error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, cutoff);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  return id ? sd_card_load (self->collection, id, error) : NULL;
}

static SdCard *
next_day_learning (SdScheduler *self,
                   GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM cards WHERE %s"
                                          " AND queue = 3 AND due <= ? AND retired = 0 ORDER BY due, id LIMIT 1",
                                          self->scope->str);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id = 0;

  if (sqlite3_prepare_v2 (sd_collection_get_db (self->collection), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (self->collection, error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, self->today);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  return id ? sd_card_load (self->collection, id, error) : NULL;
}

/* The next still valid card of a prepared queue; cards answered, buried or
 * suspended since the queue was built are passed over. */
static SdCard *
next_from (SdScheduler *self,
           GArray      *queue,
           guint       *pos,
           SdCardQueue  wanted)
{
  while (*pos < queue->len)
    {
      gint64 id = g_array_index (queue, gint64, *pos);
      SdCard *card = sd_card_load (self->collection, id, NULL);

      (*pos)++;
      if (card != NULL && card->queue == wanted
          && (wanted != SD_QUEUE_REVIEW || card->due <= self->today || self->card_set != NULL))
        return card;
      sd_card_free (card);
    }
  return NULL;
}

/**
 * sd_scheduler_next_card:
 *
 * The card to show now: learning cards that are due, then interday
 * learning and reviews due today, then new cards; when only learning cards
 * due within the learn-ahead limit are left, those.
 *
 * Returns: (transfer full) (nullable): the card, or %NULL when nothing is
 *   left today (and @error is not set)
 */
SdCard *
sd_scheduler_next_card (SdScheduler  *self,
                        GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 now = sd_clock_now ();
  SdCard *card;

  g_return_val_if_fail (SD_IS_SCHEDULER (self), NULL);

  if (sd_clock_day_number (now, self->rollover_hour) != self->today
      && !sd_scheduler_rebuild (self, error))
    return NULL;

  if (self->pending_card != 0)
    {
      gint64 id = self->pending_card;
      self->pending_card = 0;
      card = sd_card_load (self->collection, id, NULL);
      if (card != NULL && card->queue >= SD_QUEUE_NEW)
        return card;
      sd_card_free (card);
    }

  if ((card = next_learning (self, now, &local_error)) != NULL)
    return card;
  if (local_error == NULL && (card = next_day_learning (self, &local_error)) != NULL)
    return card;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if ((card = next_from (self, self->reviews, &self->review_pos, SD_QUEUE_REVIEW)) != NULL)
    return card;
  if ((card = next_from (self, self->news, &self->new_pos, SD_QUEUE_NEW)) != NULL)
    return card;
  return next_learning (self, now + SD_SCHEDULER_LEARN_AHEAD, error);
}

static int
count_valid (SdScheduler *self,
             GArray      *queue,
             guint        pos,
             SdCardQueue  wanted)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int n = 0;

  if (pos >= queue->len)
    return 0;
  for (guint i = pos; i < queue->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > pos ? "," : "",
                            g_array_index (queue, gint64, i));
  sql = g_strdup_printf ("SELECT count(*) FROM cards WHERE id IN (%s) AND queue = %d",
                         ids->str, wanted);
  if (sqlite3_prepare_v2 (sd_collection_get_db (self->collection), sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  return n;
}

/**
 * sd_scheduler_get_counts:
 *
 * What is left of today's session: new and review cards still in the
 * queue, and learning cards due now.
 */
gboolean
sd_scheduler_get_counts (SdScheduler  *self,
                         SdDueCounts  *counts,
                         GError      **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);

  counts->new_count = count_valid (self, self->news, self->new_pos, SD_QUEUE_NEW);
  counts->review_count = count_valid (self, self->reviews, self->review_pos, SD_QUEUE_REVIEW);

  sql = g_strdup_printf ("SELECT count(*) FROM cards WHERE %s AND"
                         " ((queue = 1 AND due <= ?) OR (queue = 3 AND due <= ?)) AND retired = 0",
                         self->scope->str);
  if (sqlite3_prepare_v2 (sd_collection_get_db (self->collection), sql, -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (self->collection, error);
  sqlite3_bind_int64 (stmt, 1, sd_clock_now () + SD_SCHEDULER_LEARN_AHEAD);
  sqlite3_bind_int64 (stmt, 2, self->today);
  counts->learn_count = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  return TRUE;
}

/**
 * sd_scheduler_next_due_time:
 *
 * Returns: when the next card of the studied decks becomes due, in epoch
 *   seconds, or 0 when no card is scheduled at all
 */
gint64
sd_scheduler_next_due_time (SdScheduler *self)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 learn = 0, day = 0, best = 0;

  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);

  sql = g_strdup_printf ("SELECT (SELECT min(due) FROM cards WHERE %s AND queue = 1 AND retired = 0),"
                         " (SELECT min(due) FROM cards WHERE %s AND queue IN (2, 3) AND retired = 0)",
                         self->scope->str, self->scope->str);
  if (sqlite3_prepare_v2 (sd_collection_get_db (self->collection), sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  learn = sqlite3_column_int64 (stmt, 0);
  day = sqlite3_column_int64 (stmt, 1);

  if (learn > 0)
    best = learn;
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    {
      gint64 start = sd_clock_day_start (MAX (day, self->today + 1), self->rollover_hour);
      if (day <= self->today)
        start = sd_clock_now ();
      if (best == 0 || start < best)
        best = start;
    }
  return best;
}

/* ---- answering ---------------------------------------------------------- */

static guint
step_delay (GArray *steps,
            int     step,
            int     rating)
{
  guint first = steps->len > 0 ? g_array_index (steps, guint, 0) : 600;

  switch (rating)
    {
    case SD_FSRS_RATING_AGAIN:
      return first;
    case SD_FSRS_RATING_HARD:
      /* Hard repeats the current step; on the first step it waits between
       * the first two (or half again the only one, at most a day more). */
      if (step <= 0)
        {
          if (steps->len > 1)
            return (first + g_array_index (steps, guint, 1)) / 2;
          return MIN (first * 3 / 2, first + 86400);
        }
      return g_array_index (steps, guint, MIN ((guint) step, steps->len - 1));
    default:
      return g_array_index (steps, guint, MIN ((guint) step, steps->len - 1));
    }
}

static void
set_learning_due (SdAnswerPreview *out,
                  gint64           now,
                  guint            delay,
                  int              rollover,
                  gint64           today)
{
  gint64 when = now + delay;
  gint64 day = sd_clock_day_number (when, rollover);

  out->due_time = when;
  out->interval = 0;
  if (day > today)
    {
      /* A step that crosses into another day is kept by day, as Anki does. */
      out->queue = SD_QUEUE_DAY_LEARNING;
      out->due = day;
      out->due_time = sd_clock_day_start (day, rollover);
    }
  else
    {
      out->queue = SD_QUEUE_LEARNING;
      out->due = when;
    }
}

static void
set_review_due (SdAnswerPreview *out,
                int              interval,
                int              rollover,
                gint64           today)
{
  out->type = SD_CARD_REVIEW;
  out->queue = SD_QUEUE_REVIEW;
  out->interval = interval;
  out->due = today + interval;
  out->due_time = sd_clock_day_start (out->due, rollover);
  out->step = 0;
}

static void
compute_previews (const SdCard     *card,
                  const PresetInfo *info,
                  gint64            now,
                  gint64            today,
                  int               rollover,
                  SdAnswerPreview   previews[4])
{
  const SdPreset *preset = info->preset;
  SdFsrsState state = { card->stability, card->difficulty };
  double retention = card->desired_retention > 0 ? card->desired_retention
                                                 : preset->desired_retention;
  guint delta_t = 0;
  SdFsrsState next[4];
  double ivl[4];
  int hard, good, easy, again_ivl;
  gboolean learning = card->type != SD_CARD_REVIEW;
  GArray *steps = card->type == SD_CARD_RELEARNING || card->type == SD_CARD_REVIEW
                  ? preset->relearn_steps : preset->learn_steps;

  if (card->last_review > 0)
    {
      gint64 last_day = sd_clock_day_number (card->last_review, rollover);
      delta_t = today > last_day ? (guint) (today - last_day) : 0;
    }

  for (int r = 1; r <= 4; r++)
    {
      next[r - 1] = sd_fsrs_next_state (&info->params, state.stability > 0 ? &state : NULL,
                                        delta_t, r);
      ivl[r - 1] = sd_fsrs_interval (&info->params, next[r - 1].stability, retention);
    }

  /* Review intervals for the passing buttons keep hard < good < easy; fuzz
   * only for cards already in review, deterministic per card and answer. */
  sd_fsrs_passing_intervals (ivl[1], ivl[2], ivl[3], preset->max_interval,
                             card->type == SD_CARD_REVIEW,
                             sd_fsrs_fuzz_seed (card->id, card->reps),
                             &hard, &good, &easy);
  again_ivl = sd_fsrs_round_interval (ivl[0], preset->max_interval);

  for (int r = 1; r <= 4; r++)
    {
      SdAnswerPreview *out = &previews[r - 1];

      memset (out, 0, sizeof *out);
      out->rating = r;
      out->stability = next[r - 1].stability;
      out->difficulty = next[r - 1].difficulty;
      out->type = card->type;
      out->step = card->step;
    }

  if (learning)
    {
      SdCardType type = card->type == SD_CARD_NEW ? SD_CARD_LEARNING : card->type;

      /* Graduating intervals stand alone (hard is a step, not a review);
       * only easy must beat good. */
      hard = sd_fsrs_round_interval (ivl[1], preset->max_interval);
      good = sd_fsrs_round_interval (ivl[2], preset->max_interval);
      easy = MIN (MAX (sd_fsrs_round_interval (ivl[3], preset->max_interval), good + 1),
                  preset->max_interval);

      /* Again */
      if (steps->len > 0)
        {
          previews[0].type = type;
          previews[0].step = 0;
          set_learning_due (&previews[0], now, step_delay (steps, 0, 1), rollover, today);
        }
      else
        set_review_due (&previews[0], again_ivl, rollover, today);

      /* Hard */
      if (steps->len > 0)
        {
          previews[1].type = type;
          previews[1].step = card->step;
          set_learning_due (&previews[1], now, step_delay (steps, card->step, 2), rollover, today);
        }
      else
        set_review_due (&previews[1], hard, rollover, today);

      /* Good: the next step, or graduation after the last one. */
      if ((guint) card->step + 1 < steps->len)
        {
          previews[2].type = type;
          previews[2].step = card->step + 1;
          set_learning_due (&previews[2], now, step_delay (steps, card->step + 1, 3), rollover, today);
        }
      else
        set_review_due (&previews[2], good, rollover, today);

      /* Easy graduates at once. */
      set_review_due (&previews[3], easy, rollover, today);
    }
  else
    {
      if (preset->relearn_steps->len > 0)
        {
          previews[0].type = SD_CARD_RELEARNING;
          previews[0].step = 0;
          set_learning_due (&previews[0], now, g_array_index (preset->relearn_steps, guint, 0),
                            rollover, today);
        }
      else
        set_review_due (&previews[0], again_ivl, rollover, today);
      set_review_due (&previews[1], hard, rollover, today);
      set_review_due (&previews[2], good, rollover, today);
      set_review_due (&previews[3], easy, rollover, today);
    }
}

/**
 * sd_scheduler_preview:
 * @previews: (out caller-allocates): what Again, Hard, Good and Easy would do
 *
 * The four outcomes shown on the answer buttons.
 */
gboolean
sd_scheduler_preview (SdScheduler      *self,
                      const SdCard     *card,
                      SdAnswerPreview   previews[4],
                      GError          **error)
{
  PresetInfo *info;

  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);

  info = preset_for_deck (self, card->deck_id, error);
  if (info == NULL)
    return FALSE;
  compute_previews (card, info, sd_clock_now (), self->today, self->rollover_hour, previews);
  return TRUE;
}

static gboolean
snapshot (GPtrArray     *cards,
          SdCollection  *collection,
          gint64         card_id,
          GError       **error)
{
  SdCard *card = sd_card_load (collection, card_id, error);

  if (card == NULL)
    return FALSE;
  g_ptr_array_add (cards, card);
  return TRUE;
}

static gboolean
bury_siblings (SdScheduler   *self,
               const SdCard  *card,
               const SdPreset *preset,
               UndoStep      *undo,
               GError       **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!preset->bury_new && !preset->bury_reviews && !preset->bury_interday)
    return TRUE;

  stmt = sd_collection_prepare (self->collection,
                                "SELECT id FROM cards WHERE note_id = ?1 AND id <> ?2 AND"
                                " ((?3 AND queue = 0) OR (?4 AND queue = 2 AND due <= ?6)"
                                "  OR (?5 AND queue = 3))",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, card->note_id);
  sqlite3_bind_int64 (stmt, 2, card->id);
  sqlite3_bind_int (stmt, 3, preset->bury_new);
  sqlite3_bind_int (stmt, 4, preset->bury_reviews);
  sqlite3_bind_int (stmt, 5, preset->bury_interday);
  sqlite3_bind_int64 (stmt, 6, self->today);
  if (!sd_collection_append_ids (self->collection, stmt, ids, error))
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      if (!snapshot (undo->cards, self->collection, id, error))
        return FALSE;
      stmt = sd_collection_prepare (self->collection,
                                    "UPDATE cards SET queue = -2 WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!sd_collection_step_done (self->collection, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
mark_leech (SdScheduler    *self,
            SdCard         *card,
            const SdPreset *preset,
            UndoStep       *undo,
            GError        **error)
{
  g_autoptr(SdNote) note = NULL;
  int threshold = preset->leech_threshold;
  g_auto(GStrv) tags = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (threshold <= 0 || card->lapses < threshold
      || (card->lapses - threshold) % MAX (threshold / 2, 1) != 0)
    return TRUE;

  if (preset->leech_suspend)
    card->queue = SD_QUEUE_SUSPENDED;

  note = sd_note_load (self->collection, card->note_id, error);
  if (note == NULL)
    return FALSE;
  if (note->tags != NULL && g_strv_contains ((const char * const *) note->tags, "leech"))
    return TRUE;

  undo->note_id = note->id;
  undo->note_tags = sd_note_join_tags ((const char * const *) note->tags);
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) note->tags);
  g_strv_builder_add (builder, "leech");
  g_strfreev (note->tags);
  note->tags = g_strv_builder_end (builder);
  return sd_note_update (self->collection, note, error);
}

static SdRevlogKind
revlog_kind (SdCardType type)
{
  switch (type)
    {
    case SD_CARD_REVIEW:
      return SD_REVLOG_REVIEW;
    case SD_CARD_RELEARNING:
      return SD_REVLOG_RELEARNING;
    case SD_CARD_NEW:
    case SD_CARD_LEARNING:
    default:
      return SD_REVLOG_LEARNING;
    }
}

/**
 * sd_scheduler_answer:
 * @rating: 1 Again, 2 Hard, 3 Good, 4 Easy
 * @duration_ms: how long the answer took
 *
 * Records an answer: the card's new state and its review log row are
 * written in one transaction, so an answer is either fully there or not at
 * all. The answer can be undone with sd_scheduler_undo().
 */
gboolean
sd_scheduler_answer (SdScheduler  *self,
                     gint64        card_id,
                     int           rating,
                     guint         duration_ms,
                     GError      **error)
{
  g_autoptr(SdCard) card = NULL;
  UndoStep *undo;
  PresetInfo *info;
  SdAnswerPreview previews[4];
  SdAnswerPreview *result;
  SdRevlogEntry entry = { 0 };
  gint64 now = sd_clock_now ();

  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);

  if (rating < 1 || rating > 4)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("An answer is rated 1 (Again) to 4 (Easy), not %d"), rating);
      return FALSE;
    }

  card = sd_card_load (self->collection, card_id, error);
  if (card == NULL)
    return FALSE;
  if (card->queue < SD_QUEUE_NEW)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Card %" G_GINT64_FORMAT " is suspended or buried and cannot be answered"),
                   card_id);
      return FALSE;
    }

  info = preset_for_deck (self, card->deck_id, error);
  if (info == NULL)
    return FALSE;
  compute_previews (card, info, now, self->today, self->rollover_hour, previews);
  result = &previews[rating - 1];

  undo = g_new0 (UndoStep, 1);
  undo->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_card_free);
  undo->card_id = card->id;
  g_ptr_array_add (undo->cards, sd_card_copy (card));

  if (!sd_collection_begin (self->collection, error))
    {
      undo_step_free (undo);
      return FALSE;
    }

  entry.card_id = card->id;
  entry.rating = rating;
  entry.kind = revlog_kind (card->type);
  entry.last_interval = card->type == SD_CARD_REVIEW ? card->interval : 0;
  entry.interval = result->queue == SD_QUEUE_REVIEW ? result->interval
                                                    : -(int) MIN (result->due_time - now, G_MAXINT);
  entry.stability = result->stability;
  entry.difficulty = result->difficulty;
  /* Anki keeps FSRS difficulty in the ease column of the log, 100..1100. */
  entry.ease = (int) lround (((result->difficulty - 1.0) / 9.0 + 0.1) * 1000.0);
  entry.duration_ms = (int) MIN (duration_ms, 3600000u);

  if (card->type == SD_CARD_REVIEW && rating == SD_FSRS_RATING_AGAIN)
    card->lapses++;
  card->type = result->type;
  card->queue = result->queue;
  card->due = result->due;
  card->interval = result->queue == SD_QUEUE_REVIEW ? result->interval
                                                    : (card->type == SD_CARD_RELEARNING ? card->interval : 0);
  card->step = result->step;
  card->stability = result->stability;
  card->difficulty = result->difficulty;
  card->last_review = now;
  card->reps++;

  if (!sd_revlog_insert (self->collection, &entry, error))
    goto fail;
  undo->revlog_id = entry.id;

  if (entry.kind == SD_REVLOG_REVIEW && rating == SD_FSRS_RATING_AGAIN
      && !mark_leech (self, card, info->preset, undo, error))
    goto fail;

  if (!sd_card_update (self->collection, card, error))
    goto fail;
  if (!bury_siblings (self, card, info->preset, undo, error))
    goto fail;

  if (!sd_collection_commit (self->collection, error))
    {
      undo_step_free (undo);
      return FALSE;
    }

  g_queue_push_head (self->undo, undo);
  while (g_queue_get_length (self->undo) > MAX_UNDO)
    undo_step_free (g_queue_pop_tail (self->undo));
  return TRUE;

fail:
  sd_collection_rollback (self->collection);
  undo_step_free (undo);
  return FALSE;
}

gboolean
sd_scheduler_can_undo (SdScheduler *self)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);

  return !g_queue_is_empty (self->undo);
}

/**
 * sd_scheduler_undo:
 *
 * Reverts the last answer or card action exactly: the cards it changed get
 * their earlier state back and its review log row goes. The card is shown
 * again next.
 *
 * Returns: the card the undone step was about, or 0 (with @error set when
 *   it failed, unset when there was nothing to undo)
 */
gint64
sd_scheduler_undo (SdScheduler  *self,
                   GError      **error)
{
  UndoStep *step;

  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);

  step = g_queue_peek_head (self->undo);
  if (step == NULL)
    return 0;

  if (!sd_collection_begin (self->collection, error))
    return 0;

  for (guint i = 0; i < step->cards->len; i++)
    {
      if (!sd_card_restore (self->collection, g_ptr_array_index (step->cards, i), error))
        goto fail;
    }

  if (step->revlog_id != 0 && !sd_revlog_delete (self->collection, step->revlog_id, error))
    goto fail;

  if (step->note_id != 0)
    {
      g_autoptr(SdNote) note = sd_note_load (self->collection, step->note_id, error);
      if (note == NULL)
        goto fail;
      g_strfreev (note->tags);
      note->tags = sd_note_split_tags (step->note_tags);
      if (!sd_note_update (self->collection, note, error))
        goto fail;
    }

  if (!sd_collection_commit (self->collection, error))
    return 0;

  g_queue_pop_head (self->undo);
  self->pending_card = step->card_id;
  {
    gint64 id = step->card_id;
    undo_step_free (step);
    return id;
  }

fail:
  sd_collection_rollback (self->collection);
  return 0;
}

static gboolean
change_card (SdScheduler  *self,
             gint64        card_id,
             int           queue,
             int           flag,
             GError      **error)
{
  g_autoptr(SdCard) card = sd_card_load (self->collection, card_id, error);
  UndoStep *undo;

  if (card == NULL)
    return FALSE;

  undo = g_new0 (UndoStep, 1);
  undo->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_card_free);
  g_ptr_array_add (undo->cards, sd_card_copy (card));

  if (queue != G_MININT)
    card->queue = queue;
  if (flag >= 0)
    card->flags = (card->flags & ~7) | flag;

  if (!sd_card_update (self->collection, card, error))
    {
      undo_step_free (undo);
      return FALSE;
    }

  /* Undoing a bury or suspend shows the card again; a flag change does not
   * interrupt the review. */
  undo->card_id = queue != G_MININT ? card_id : 0;
  g_queue_push_head (self->undo, undo);
  while (g_queue_get_length (self->undo) > MAX_UNDO)
    undo_step_free (g_queue_pop_tail (self->undo));
  return TRUE;
}

gboolean
sd_scheduler_bury_card (SdScheduler  *self,
                        gint64        card_id,
                        GError      **error)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);

  return change_card (self, card_id, SD_QUEUE_USER_BURIED, -1, error);
}

gboolean
sd_scheduler_suspend_card (SdScheduler  *self,
                           gint64        card_id,
                           GError      **error)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);

  return change_card (self, card_id, SD_QUEUE_SUSPENDED, -1, error);
}

/**
 * sd_scheduler_set_flag:
 * @flag: 0 (none) to 7, Anki's flag colours
 */
gboolean
sd_scheduler_set_flag (SdScheduler  *self,
                       gint64        card_id,
                       int           flag,
                       GError      **error)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (flag >= 0 && flag <= 7, FALSE);

  return change_card (self, card_id, G_MININT, flag, error);
}

/**
 * sd_scheduler_format_interval:
 *
 * Returns: (transfer full): a short, translated form of a wait for the
 *   answer buttons: "<1m", "10m", "3h", "4d", "2.5mo", "1.2y"
 */
char *
sd_scheduler_format_interval (gint64 seconds)
{
  double days = seconds / 86400.0;

  if (seconds < 60)
    return g_strdup (_("<1m"));
  if (seconds < 3600)
    return g_strdup_printf (_("%dm"), (int) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (_("%dh"), (int) lround (seconds / 3600.0));
  if (days < 30)
    return g_strdup_printf (_("%dd"), (int) lround (days));
  if (days < 365)
    return g_strdup_printf (_("%.1fmo"), days / 30.0);
  return g_strdup_printf (_("%.1fy"), days / 365.0);
}
