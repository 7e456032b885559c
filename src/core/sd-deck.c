/* sd-deck.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"

/* Full names come from walking up parent_id; the tree is small (hundreds of
 * decks at most), so one recursive query builds every name at once. */
#define DECK_TREE_SQL \
  "WITH RECURSIVE tree (id, full_name, depth) AS (" \
  "  SELECT id, name, 0 FROM decks WHERE parent_id IS NULL" \
  "  UNION ALL" \
  "  SELECT d.id, tree.full_name || '::' || d.name, tree.depth + 1" \
  "  FROM decks d JOIN tree ON d.parent_id = tree.id" \
  ") SELECT d.id, coalesce (d.parent_id, 0), d.name, tree.full_name, tree.depth," \
  " d.preset_id, d.description, d.collapsed, d.mtime, d.anki_extra" \
  " FROM decks d JOIN tree USING (id) "

void
sd_deck_free (SdDeck *deck)
{
  if (deck == NULL)
    return;
  g_free (deck->name);
  g_free (deck->full_name);
  g_free (deck->description);
  g_free (deck->anki_extra);
  g_free (deck);
}

static SdDeck *
deck_from_row (sqlite3_stmt *stmt)
{
  SdDeck *deck = g_new0 (SdDeck, 1);

  deck->id = sqlite3_column_int64 (stmt, 0);
  deck->parent_id = sqlite3_column_int64 (stmt, 1);
  deck->name = sd_column_dup (stmt, 2);
  deck->full_name = sd_column_dup (stmt, 3);
  deck->depth = sqlite3_column_int (stmt, 4);
  deck->preset_id = sqlite3_column_int64 (stmt, 5);
  deck->description = sd_column_dup (stmt, 6);
  deck->collapsed = sqlite3_column_int (stmt, 7);
  deck->mtime = sqlite3_column_int64 (stmt, 8);
  deck->anki_extra = sd_column_dup (stmt, 9);
  return deck;
}

/**
 * sd_deck_list:
 *
 * Returns: (transfer full) (element-type SdDeck): every deck, parents before
 *   their children, siblings by name
 */
GPtrArray *
sd_deck_list (SdCollection  *collection,
              GError       **error)
{
  g_autoptr(GPtrArray) decks = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_deck_free);
  sqlite3_stmt *stmt;

  /* Sorting on the full name with "::" replaced by a control character puts
   * "A::B" right after "A" and before "A B". */
  stmt = sd_collection_prepare (collection,
                                DECK_TREE_SQL
                                "ORDER BY replace (tree.full_name, '::', char (1))"
                                " COLLATE NOCASE",
                                error);
  if (stmt == NULL)
    return NULL;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (decks, deck_from_row (stmt));
  sqlite3_reset (stmt);

  return g_steal_pointer (&decks);
}

SdDeck *
sd_deck_load (SdCollection  *collection,
              gint64         id,
              GError       **error)
{
  sqlite3_stmt *stmt;
  SdDeck *deck = NULL;

  stmt = sd_collection_prepare (collection, DECK_TREE_SQL "WHERE d.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    deck = deck_from_row (stmt);
  else
    g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                 _("Deck %" G_GINT64_FORMAT " does not exist"), id);
  sqlite3_reset (stmt);
  return deck;
}

/**
 * sd_deck_split_name:
 *
 * Splits "A::B::C" into its components, trimming spaces around each as Anki
 * does. Empty components are an error.
 *
 * Returns: (transfer full): the components, or %NULL with @error set
 */
char **
sd_deck_split_name (const char  *full_name,
                    GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (full_name == NULL || !g_utf8_validate (full_name, -1, NULL))
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("A deck name must be valid UTF-8 text"));
      return NULL;
    }

  parts = g_strsplit (full_name, "::", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        {
          g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                       _("Deck name “%s” has an empty part"), full_name);
          return NULL;
        }
    }
  return g_steal_pointer (&parts);
}

static gint64
find_child (SdCollection *collection,
            gint64        parent_id,
            const char   *name)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  stmt = sd_collection_prepare (collection,
                                "SELECT id FROM decks WHERE coalesce (parent_id, 0) = ?"
                                " AND name = ? COLLATE NOCASE",
                                NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/**
 * sd_deck_find:
 *
 * Returns: the id of the deck called @full_name (case-insensitive, as Anki
 *   matches deck names), or 0
 */
gint64
sd_deck_find (SdCollection *collection,
              const char   *full_name)
{
  g_auto(GStrv) parts = sd_deck_split_name (full_name, NULL);
  gint64 id = 0;

  if (parts == NULL)
    return 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      id = find_child (collection, id, parts[i]);
      if (id == 0)
        return 0;
    }
  return id;
}

static gint64
insert_deck (SdCollection  *collection,
             gint64         parent_id,
             const char    *name,
             gint64         preset_id,
             GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 id = sd_collection_new_id (collection, "decks");

  stmt = sd_collection_prepare (collection,
                                "INSERT INTO decks (id, parent_id, name, preset_id, mtime)"
                                " VALUES (?, nullif (?, 0), ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, parent_id);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, preset_id);
  sqlite3_bind_int64 (stmt, 5, sd_clock_now ());
  if (!sd_collection_step_done (collection, stmt, error))
    return 0;
  return id;
}

static gint64
preset_of (SdCollection *collection,
           gint64        deck_id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT preset_id FROM decks WHERE id = ?", NULL);
  gint64 preset = 1;

  if (stmt == NULL)
    return 1;
  sqlite3_bind_int64 (stmt, 1, deck_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    preset = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return preset;
}

/**
 * sd_deck_ensure:
 *
 * Finds the deck called @full_name, creating it and any missing parents.
 * New decks inherit the options preset of their parent.
 *
 * Returns: the deck id, or 0 with @error set
 */
gint64
sd_deck_ensure (SdCollection  *collection,
                const char    *full_name,
                GError       **error)
{
  g_auto(GStrv) parts = sd_deck_split_name (full_name, error);
  gint64 id = 0;

  if (parts == NULL)
    return 0;

  if (!sd_collection_begin (collection, error))
    return 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 child = find_child (collection, id, parts[i]);

      if (child == 0)
        {
          child = insert_deck (collection, id, parts[i], id ? preset_of (collection, id) : 1, error);
          if (child == 0)
            {
              sd_collection_rollback (collection);
              return 0;
            }
        }
      id = child;
    }

  if (!sd_collection_commit (collection, error))
    return 0;
  return id;
}

static gboolean
is_descendant (SdCollection *collection,
               gint64        maybe_child,
               gint64        ancestor)
{
  g_autoptr(GArray) ids = sd_deck_subtree_ids (collection, ancestor, NULL);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == maybe_child)
      return TRUE;
  return FALSE;
}

/**
 * sd_deck_rename:
 *
 * Renames a deck, which moves it when the parent part of the name changes
 * (missing parents are created). Its subdecks move with it.
 */
gboolean
sd_deck_rename (SdCollection  *collection,
                gint64         id,
                const char    *new_full_name,
                GError       **error)
{
  g_auto(GStrv) parts = sd_deck_split_name (new_full_name, error);
  sqlite3_stmt *stmt;
  gint64 parent = 0;
  gint64 existing;
  guint n;

  if (parts == NULL)
    return FALSE;
  n = g_strv_length (parts);

  if (!sd_collection_begin (collection, error))
    return FALSE;

  for (guint i = 0; i + 1 < n; i++)
    {
      gint64 child = find_child (collection, parent, parts[i]);
      if (child == 0)
        child = insert_deck (collection, parent, parts[i], preset_of (collection, id), error);
      if (child == 0)
        goto fail;
      parent = child;
    }

  if (parent != 0 && (parent == id || is_descendant (collection, parent, id)))
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("A deck cannot be moved into itself or one of its subdecks"));
      goto fail;
    }

  existing = find_child (collection, parent, parts[n - 1]);
  if (existing != 0 && existing != id)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("A deck called “%s” already exists"), new_full_name);
      goto fail;
    }

  stmt = sd_collection_prepare (collection,
                                "UPDATE decks SET parent_id = nullif (?, 0), name = ?, mtime = ?"
                                " WHERE id = ?",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, parent);
  sqlite3_bind_text (stmt, 2, parts[n - 1], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, sd_clock_now ());
  sqlite3_bind_int64 (stmt, 4, id);
  if (!sd_collection_step_done (collection, stmt, error))
    goto fail;
  if (sqlite3_changes (sd_collection_get_db (collection)) == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Deck %" G_GINT64_FORMAT " does not exist"), id);
      goto fail;
    }

  return sd_collection_commit (collection, error);

fail:
  sd_collection_rollback (collection);
  return FALSE;
}

static gboolean
update_column (SdCollection  *collection,
               const char    *sql,
               gint64         id,
               gint64         int_value,
               const char    *text_value,
               GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text_value != NULL)
    sqlite3_bind_text (stmt, 1, text_value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, int_value);
  sqlite3_bind_int64 (stmt, 2, sd_clock_now ());
  sqlite3_bind_int64 (stmt, 3, id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}

gboolean
sd_deck_set_preset (SdCollection  *collection,
                    gint64         id,
                    gint64         preset_id,
                    GError       **error)
{
  return update_column (collection, "UPDATE decks SET preset_id = ?, mtime = ? WHERE id = ?",
                        id, preset_id, NULL, error);
}

gboolean
sd_deck_set_description (SdCollection  *collection,
                         gint64         id,
                         const char    *description,
                         GError       **error)
{
  return update_column (collection, "UPDATE decks SET description = ?, mtime = ? WHERE id = ?",
                        id, 0, description ? description : "", error);
}

gboolean
sd_deck_set_anki_extra (SdCollection  *collection,
                        gint64         id,
                        const char    *anki_extra,
                        GError       **error)
{
  return update_column (collection, "UPDATE decks SET anki_extra = ?, mtime = ? WHERE id = ?",
                        id, 0, anki_extra ? anki_extra : "", error);
}

/**
 * sd_deck_count_cards:
 *
 * Returns: how many cards @id and its subdecks hold
 */
gint64
sd_deck_count_cards (SdCollection *collection,
                     gint64        id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "WITH RECURSIVE sub (id) AS (SELECT ? UNION ALL"
                                              " SELECT d.id FROM decks d JOIN sub ON d.parent_id = sub.id)"
                                              " SELECT count(*) FROM cards WHERE deck_id IN sub",
                                              NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/**
 * sd_deck_subtree_ids:
 *
 * Returns: (transfer full) (element-type gint64): @id and all its subdecks
 */
GArray *
sd_deck_subtree_ids (SdCollection  *collection,
                     gint64         id,
                     GError       **error)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  stmt = sd_collection_prepare (collection,
                                "WITH RECURSIVE sub (id) AS (SELECT ? UNION ALL"
                                " SELECT d.id FROM decks d JOIN sub ON d.parent_id = sub.id)"
                                " SELECT id FROM sub",
                                error);
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 sub = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, sub);
    }
  sqlite3_reset (stmt);
  return ids;
}

/**
 * sd_deck_delete:
 * @n_cards_deleted: (out) (optional): how many cards went with it
 *
 * Deletes a deck, its subdecks and their cards; notes left without cards go
 * too. The Default deck cannot be deleted.
 */
gboolean
sd_deck_delete (SdCollection  *collection,
                gint64         id,
                gint64        *n_cards_deleted,
                GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 n_cards = 0;

  if (id == SD_DECK_DEFAULT_ID)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("The Default deck cannot be deleted"));
      return FALSE;
    }

  if (!sd_collection_begin (collection, error))
    return FALSE;

  if (!sd_collection_exec (collection,
                           "CREATE TEMP TABLE IF NOT EXISTS doomed_decks (id INTEGER PRIMARY KEY);"
                           "DELETE FROM doomed_decks;",
                           error))
    goto fail;

  stmt = sd_collection_prepare (collection,
                                "INSERT INTO doomed_decks WITH RECURSIVE sub (id) AS ("
                                " SELECT id FROM decks WHERE id = ? UNION ALL"
                                " SELECT d.id FROM decks d JOIN sub ON d.parent_id = sub.id)"
                                " SELECT id FROM sub",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!sd_collection_step_done (collection, stmt, error))
    goto fail;

  n_cards = sd_collection_scalar (collection,
                                  "SELECT count(*) FROM cards WHERE deck_id IN"
                                  " (SELECT id FROM doomed_decks)", 0);

  if (!sd_collection_exec (collection,
                           "CREATE TEMP TABLE IF NOT EXISTS doomed_notes (id INTEGER PRIMARY KEY);"
                           "DELETE FROM doomed_notes;"
                           "INSERT INTO doomed_notes SELECT DISTINCT note_id FROM cards"
                           " WHERE deck_id IN (SELECT id FROM doomed_decks);"
                           "DELETE FROM cards WHERE deck_id IN (SELECT id FROM doomed_decks);"
                           "DELETE FROM notes WHERE id IN (SELECT id FROM doomed_notes)"
                           " AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.note_id = notes.id);"
                           "DELETE FROM decks WHERE id IN (SELECT id FROM doomed_decks);",
                           error))
    goto fail;

  if (!sd_collection_commit (collection, error))
    return FALSE;
  if (n_cards_deleted != NULL)
    *n_cards_deleted = n_cards;
  return TRUE;

fail:
  sd_collection_rollback (collection);
  return FALSE;
}
