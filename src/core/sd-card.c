/* sd-card.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-cloze.h"
#include "sd-collection-private.h"
#include "sd-template.h"

SdCard *
sd_card_new (gint64 note_id,
             gint64 deck_id,
             int    ord)
{
  SdCard *card = g_new0 (SdCard, 1);

  card->note_id = note_id;
  card->deck_id = deck_id;
  card->ord = ord;
  card->anki_extra = g_strdup ("");
  return card;
}

SdCard *
sd_card_copy (const SdCard *card)
{
  SdCard *copy = g_memdup2 (card, sizeof *card);

  copy->anki_extra = g_strdup (card->anki_extra);
  return copy;
}

void
sd_card_free (SdCard *card)
{
  if (card == NULL)
    return;
  g_free (card->anki_extra);
  g_free (card);
}

#define CARD_COLUMNS \
  "SELECT id, note_id, deck_id, ord, type, queue, due, interval, ease, stability," \
  " difficulty, last_review, reps, lapses, step, flags, position, desired_retention," \
  " mtime, anki_extra FROM cards "

static SdCard *
card_from_row (sqlite3_stmt *stmt)
{
  SdCard *card = g_new0 (SdCard, 1);

  card->id = sqlite3_column_int64 (stmt, 0);
  card->note_id = sqlite3_column_int64 (stmt, 1);
  card->deck_id = sqlite3_column_int64 (stmt, 2);
  card->ord = sqlite3_column_int (stmt, 3);
  card->type = sqlite3_column_int (stmt, 4);
  card->queue = sqlite3_column_int (stmt, 5);
  card->due = sqlite3_column_int64 (stmt, 6);
  card->interval = sqlite3_column_int (stmt, 7);
  card->ease = sqlite3_column_int (stmt, 8);
  card->stability = sqlite3_column_double (stmt, 9);
  card->difficulty = sqlite3_column_double (stmt, 10);
  card->last_review = sqlite3_column_int64 (stmt, 11);
  card->reps = sqlite3_column_int (stmt, 12);
  card->lapses = sqlite3_column_int (stmt, 13);
  card->step = sqlite3_column_int (stmt, 14);
  card->flags = sqlite3_column_int (stmt, 15);
  card->position = sqlite3_column_int64 (stmt, 16);
  card->desired_retention = sqlite3_column_double (stmt, 17);
  card->mtime = sqlite3_column_int64 (stmt, 18);
  card->anki_extra = sd_column_dup (stmt, 19);
  return card;
}

SdCard *
sd_card_load (SdCollection  *collection,
              gint64         id,
              GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, CARD_COLUMNS "WHERE id = ?", error);
  SdCard *card = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    card = card_from_row (stmt);
  else
    g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                 _("Card %" G_GINT64_FORMAT " does not exist"), id);
  sqlite3_reset (stmt);
  return card;
}

GPtrArray *
sd_card_list_for_note (SdCollection  *collection,
                       gint64         note_id,
                       GError       **error)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_card_free);
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              CARD_COLUMNS "WHERE note_id = ? ORDER BY ord",
                                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, note_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (cards, card_from_row (stmt));
  sqlite3_reset (stmt);
  return g_steal_pointer (&cards);
}

static void
bind_card (sqlite3_stmt *stmt,
           const SdCard *card)
{
  sqlite3_bind_int64 (stmt, 1, card->note_id);
  sqlite3_bind_int64 (stmt, 2, card->deck_id);
  sqlite3_bind_int (stmt, 3, card->ord);
  sqlite3_bind_int (stmt, 4, card->type);
  sqlite3_bind_int (stmt, 5, card->queue);
  sqlite3_bind_int64 (stmt, 6, card->due);
  sqlite3_bind_int (stmt, 7, card->interval);
  sqlite3_bind_int (stmt, 8, card->ease);
  if (card->stability > 0)
    {
      sqlite3_bind_double (stmt, 9, card->stability);
      sqlite3_bind_double (stmt, 10, card->difficulty);
    }
  else
    {
      sqlite3_bind_null (stmt, 9);
      sqlite3_bind_null (stmt, 10);
    }
  if (card->last_review > 0)
    sqlite3_bind_int64 (stmt, 11, card->last_review);
  else
    sqlite3_bind_null (stmt, 11);
  sqlite3_bind_int (stmt, 12, card->reps);
  sqlite3_bind_int (stmt, 13, card->lapses);
  sqlite3_bind_int (stmt, 14, card->step);
  sqlite3_bind_int (stmt, 15, card->flags);
  sqlite3_bind_int64 (stmt, 16, card->position);
  if (card->desired_retention > 0)
    sqlite3_bind_double (stmt, 17, card->desired_retention);
  else
    sqlite3_bind_null (stmt, 17);
  sqlite3_bind_int64 (stmt, 18, card->mtime);
  sd_bind_text (stmt, 19, card->anki_extra ? card->anki_extra : "");
  sqlite3_bind_int64 (stmt, 20, card->id);
}

/**
 * sd_card_next_position:
 *
 * Returns: the new-queue position after every card there is, so new cards
 *   are studied in the order they were added
 */
gint64
sd_card_next_position (SdCollection *collection)
{
  return sd_collection_scalar (collection,
                               "SELECT max(position) + 1 FROM cards", 1);
}

/**
 * sd_card_fill_defaults:
 *
 * Gives @card what sd_card_insert() gives a card that lacks it: a fresh id,
 * the current time, the next new-queue position and, for a new card, that
 * position as its due. For code that writes many cards in one statement.
 */
void
sd_card_fill_defaults (SdCollection *collection,
                       SdCard       *card)
{
  if (card->id == 0)
    card->id = sd_collection_new_id (collection, "cards");
  if (card->mtime == 0)
    card->mtime = sd_clock_now ();
  if (card->position == 0 && card->type == SD_CARD_NEW)
    card->position = sd_card_next_position (collection);
  if (card->queue == SD_QUEUE_NEW && card->due == 0)
    card->due = card->position;
}

gboolean
sd_card_insert (SdCollection  *collection,
                SdCard        *card,
                GError       **error)
{
  sqlite3_stmt *stmt;

  sd_card_fill_defaults (collection, card);

  stmt = sd_collection_prepare (collection,
                                "INSERT INTO cards (note_id, deck_id, ord, type, queue, due,"
                                " interval, ease, stability, difficulty, last_review, reps,"
                                " lapses, step, flags, position, desired_retention, mtime,"
                                " anki_extra, id)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                " ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  bind_card (stmt, card);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}

static gboolean
write_card (SdCollection  *collection,
            const SdCard  *card,
            GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sd_collection_prepare (collection,
                                "UPDATE cards SET note_id = ?, deck_id = ?, ord = ?, type = ?,"
                                " queue = ?, due = ?, interval = ?, ease = ?, stability = ?,"
                                " difficulty = ?, last_review = ?, reps = ?, lapses = ?,"
                                " step = ?, flags = ?, position = ?, desired_retention = ?,"
                                " mtime = ?, anki_extra = ? WHERE id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  bind_card (stmt, card);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  if (sqlite3_changes (sd_collection_get_db (collection)) == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Card %" G_GINT64_FORMAT " does not exist"), card->id);
      return FALSE;
    }
  sd_collection_touch (collection);
  return TRUE;
}

gboolean
sd_card_update (SdCollection  *collection,
                SdCard        *card,
                GError       **error)
{
  card->mtime = sd_clock_now ();
  return write_card (collection, card, error);
}

/**
 * sd_card_restore:
 *
 * Writes @card back exactly as it was saved before, modification time
 * included, for undo.
 */
gboolean
sd_card_restore (SdCollection  *collection,
                 const SdCard  *card,
                 GError       **error)
{
  return write_card (collection, card, error);
}

/**
 * sd_card_ords_for_note:
 *
 * Which cards a note makes, by Anki's rules: for a standard note type every
 * template whose front shows a non-empty field; for a cloze note type one
 * card per cloze number found in any field (ord = number - 1). A note that
 * would make no card at all still gets the first one, as Anki does, so it
 * stays reachable.
 *
 * Returns: (transfer full) (element-type guint): the ordinals, ascending
 */
GArray *
sd_card_ords_for_note (const SdNotetype *notetype,
                       const SdNote     *note)
{
  GArray *ords = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_fields = g_strv_length (note->fields);

  if (notetype->kind == SD_NOTETYPE_CLOZE)
    {
      g_autoptr(GArray) numbers = sd_cloze_numbers_in_fields ((const char * const *) note->fields,
                                                              n_fields);
      for (guint i = 0; i < numbers->len; i++)
        {
          guint ord = sd_cloze_card_ord_for_number (g_array_index (numbers, guint, i));
          if (ords->len == 0 || g_array_index (ords, guint, ords->len - 1) != ord)
            g_array_append_val (ords, ord);
        }
    }
  else
    {
      g_autofree const char **names = g_new0 (const char *, notetype->fields->len + 1);

      for (guint i = 0; i < notetype->fields->len; i++)
        names[i] = ((SdField *) g_ptr_array_index (notetype->fields, i))->name;

      for (guint i = 0; i < notetype->templates->len; i++)
        {
          const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);
          g_autoptr(SdTemplate) parsed = sd_template_parse (tmpl->front, NULL);
          SdTemplateContext ctx = {
            .field_names = names,
            .field_values = (const char * const *) note->fields,
            .n_fields = MIN (n_fields, notetype->fields->len),
            .card_ord = i,
          };

          if (parsed != NULL && sd_template_renders_nonempty (parsed, &ctx))
            g_array_append_val (ords, i);
        }
    }

  if (ords->len == 0)
    {
      guint first = 0;
      g_array_append_val (ords, first);
    }
  return ords;
}

/**
 * sd_card_generate:
 * @n_added: (out) (optional): how many cards were added
 *
 * Adds the cards @note should have and does not yet, new, into @deck_id
 * (a template's deck override wins when it names an existing deck).
 */
gboolean
sd_card_generate (SdCollection  *collection,
                  const SdNote  *note,
                  gint64         deck_id,
                  guint         *n_added,
                  GError       **error)
{
  g_autoptr(SdNotetype) notetype = sd_notetype_load (collection, note->notetype_id, error);
  g_autoptr(GArray) ords = NULL;
  guint added = 0;

  if (notetype == NULL)
    return FALSE;

  ords = sd_card_ords_for_note (notetype, note);
  if (!sd_collection_begin (collection, error))
    return FALSE;

  for (guint i = 0; i < ords->len; i++)
    {
      guint ord = g_array_index (ords, guint, i);
      g_autoptr(SdCard) card = NULL;
      sqlite3_stmt *stmt;
      gboolean exists;
      gint64 target = deck_id;

      stmt = sd_collection_prepare (collection,
                                    "SELECT 1 FROM cards WHERE note_id = ? AND ord = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, note->id);
      sqlite3_bind_int (stmt, 2, ord);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (exists)
        continue;

      if (notetype->kind == SD_NOTETYPE_STANDARD && ord < notetype->templates->len)
        {
          const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, ord);
          if (tmpl->deck_override != 0)
            {
              stmt = sd_collection_prepare (collection, "SELECT 1 FROM decks WHERE id = ?", NULL);
              if (stmt != NULL)
                {
                  sqlite3_bind_int64 (stmt, 1, tmpl->deck_override);
                  if (sqlite3_step (stmt) == SQLITE_ROW)
                    target = tmpl->deck_override;
                  sqlite3_reset (stmt);
                }
            }
        }

      card = sd_card_new (note->id, target, ord);
      if (!sd_card_insert (collection, card, error))
        goto fail;
      added++;
    }

  if (!sd_collection_commit (collection, error))
    return FALSE;
  if (n_added != NULL)
    *n_added = added;
  return TRUE;

fail:
  sd_collection_rollback (collection);
  return FALSE;
}
