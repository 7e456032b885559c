/* sd-preset.c
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
#include "sd-preset.h"

static GArray *
steps_new (const guint *seconds,
           guint        n)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (guint));

  g_array_append_vals (steps, seconds, n);
  return steps;
}

SdPreset *
sd_preset_new (const char *name)
{
  static const guint learn[] = { 60, 600 };
  static const guint relearn[] = { 600 };
  SdPreset *preset = g_new0 (SdPreset, 1);

  preset->name = g_strdup (name);
  preset->fsrs_params = g_strdup ("");
  preset->desired_retention = 0.9;
  preset->learn_steps = steps_new (learn, G_N_ELEMENTS (learn));
  preset->relearn_steps = steps_new (relearn, G_N_ELEMENTS (relearn));
  preset->new_per_day = 20;
  preset->reviews_per_day = 200;
  preset->max_interval = 36500;
  preset->rollover_hour = 4;
  preset->leech_threshold = 8;
  preset->leech_suspend = TRUE;
  preset->anki_extra = g_strdup ("");
  return preset;
}

void
sd_preset_free (SdPreset *preset)
{
  if (preset == NULL)
    return;
  g_free (preset->name);
  g_free (preset->fsrs_params);
  g_clear_pointer (&preset->learn_steps, g_array_unref);
  g_clear_pointer (&preset->relearn_steps, g_array_unref);
  g_free (preset->anki_extra);
  g_free (preset);
}

/**
 * sd_preset_parse_steps:
 * @text: steps as the user writes them: "1m 10m 1h 1d", or plain seconds
 *
 * Returns: (transfer full) (element-type guint): the steps in seconds
 */
GArray *
sd_preset_parse_steps (const char  *text,
                       GError     **error)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) words = g_strsplit_set (text ? text : "", " \t,", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      char *end = NULL;
      double value;
      guint seconds;

      if (words[i][0] == '\0')
        continue;
      value = g_ascii_strtod (words[i], &end);
      if (end == words[i] || value <= 0)
        goto bad;
      switch (*end)
        {
        case '\0':
        case 's': seconds = (guint) value; break;
        case 'm': seconds = (guint) (value * 60); break;
        case 'h': seconds = (guint) (value * 3600); break;
        case 'd': seconds = (guint) (value * 86400); break;
        default: goto bad;
        }
      if (*end != '\0' && end[1] != '\0')
        goto bad;
      if (seconds == 0)
        goto bad;
      g_array_append_val (steps, seconds);
      continue;

bad:
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("“%s” is not a learning step; write steps like “1m 10m 1d”"), words[i]);
      return NULL;
    }

  return g_steal_pointer (&steps);
}

/**
 * sd_preset_format_steps:
 *
 * Returns: (transfer full): the steps in the short form users type ("1m 10m")
 */
char *
sd_preset_format_steps (GArray *steps)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      guint s = g_array_index (steps, guint, i);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (s % 86400 == 0)
        g_string_append_printf (out, "%ud", s / 86400);
      else if (s % 3600 == 0)
        g_string_append_printf (out, "%uh", s / 3600);
      else if (s % 60 == 0)
        g_string_append_printf (out, "%um", s / 60);
      else
        g_string_append_printf (out, "%us", s);
    }
  return g_string_free (out, FALSE);
}

static char *
steps_to_column (GArray *steps)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; steps != NULL && i < steps->len; i++)
    g_string_append_printf (out, "%s%u", i ? " " : "", g_array_index (steps, guint, i));
  return g_string_free (out, FALSE);
}

#define PRESET_COLUMNS \
  "SELECT id, name, fsrs_params, desired_retention, learn_steps, relearn_steps," \
  " new_per_day, reviews_per_day, max_interval, rollover_hour, leech_threshold," \
  " leech_suspend, bury_new, bury_reviews, bury_interday, mtime, anki_extra FROM presets "

static SdPreset *
preset_from_row (sqlite3_stmt *stmt)
{
  SdPreset *preset = sd_preset_new ((const char *) sqlite3_column_text (stmt, 1));
  GArray *steps;

  preset->id = sqlite3_column_int64 (stmt, 0);
  g_free (preset->fsrs_params);
  preset->fsrs_params = sd_column_dup (stmt, 2);
  preset->desired_retention = sqlite3_column_double (stmt, 3);
  if ((steps = sd_preset_parse_steps ((const char *) sqlite3_column_text (stmt, 4), NULL)))
    {
      g_array_unref (preset->learn_steps);
      preset->learn_steps = steps;
    }
  if ((steps = sd_preset_parse_steps ((const char *) sqlite3_column_text (stmt, 5), NULL)))
    {
      g_array_unref (preset->relearn_steps);
      preset->relearn_steps = steps;
    }
  preset->new_per_day = sqlite3_column_int (stmt, 6);
  preset->reviews_per_day = sqlite3_column_int (stmt, 7);
  preset->max_interval = sqlite3_column_int (stmt, 8);
  preset->rollover_hour = sqlite3_column_int (stmt, 9);
  preset->leech_threshold = sqlite3_column_int (stmt, 10);
  preset->leech_suspend = sqlite3_column_int (stmt, 11);
  preset->bury_new = sqlite3_column_int (stmt, 12);
  preset->bury_reviews = sqlite3_column_int (stmt, 13);
  preset->bury_interday = sqlite3_column_int (stmt, 14);
  preset->mtime = sqlite3_column_int64 (stmt, 15);
  g_free (preset->anki_extra);
  preset->anki_extra = sd_column_dup (stmt, 16);
  return preset;
}

SdPreset *
sd_preset_load (SdCollection  *collection,
                gint64         id,
                GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, PRESET_COLUMNS "WHERE id = ?", error);
  SdPreset *preset = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    preset = preset_from_row (stmt);
  else
    g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                 _("Options preset %" G_GINT64_FORMAT " does not exist"), id);
  sqlite3_reset (stmt);
  return preset;
}

SdPreset *
sd_preset_load_for_deck (SdCollection  *collection,
                         gint64         deck_id,
                         GError       **error)
{
  g_autoptr(SdDeck) deck = sd_deck_load (collection, deck_id, error);

  if (deck == NULL)
    return NULL;
  return sd_preset_load (collection, deck->preset_id, error);
}

GPtrArray *
sd_preset_list (SdCollection  *collection,
                GError       **error)
{
  g_autoptr(GPtrArray) presets = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_preset_free);
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              PRESET_COLUMNS "ORDER BY id = 1 DESC, name",
                                              error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (presets, preset_from_row (stmt));
  sqlite3_reset (stmt);
  return g_steal_pointer (&presets);
}

static gboolean
validate (const SdPreset  *preset,
          GError         **error)
{
  const char *problem = NULL;

  if (preset->name == NULL || preset->name[0] == '\0')
    problem = _("an options preset needs a name");
  else if (!(preset->desired_retention >= 0.7 && preset->desired_retention <= 0.99))
    problem = _("desired retention must be between 0.70 and 0.99");
  else if (preset->new_per_day < 0 || preset->reviews_per_day < 0)
    problem = _("daily limits cannot be negative");
  else if (preset->max_interval < 1)
    problem = _("the maximum interval must be at least one day");
  else if (preset->rollover_hour < 0 || preset->rollover_hour > 23)
    problem = _("the next day starts at an hour between 0 and 23");
  else if (preset->leech_threshold < 0)
    problem = _("the leech threshold cannot be negative");

  if (problem != NULL)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Options “%s”: %s"), preset->name ? preset->name : "", problem);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_preset (SdCollection  *collection,
              SdPreset      *preset,
              const char    *sql,
              GError       **error)
{
  g_autofree char *learn = steps_to_column (preset->learn_steps);
  g_autofree char *relearn = steps_to_column (preset->relearn_steps);
  sqlite3_stmt *stmt;

  if (!validate (preset, error))
    return FALSE;

  preset->mtime = sd_clock_now ();
  stmt = sd_collection_prepare (collection, sql, error);
  if (stmt == NULL)
    return FALSE;
  sd_bind_text (stmt, 1, preset->name);
  sd_bind_text (stmt, 2, preset->fsrs_params ? preset->fsrs_params : "");
  sqlite3_bind_double (stmt, 3, preset->desired_retention);
  sd_bind_text (stmt, 4, learn);
  sd_bind_text (stmt, 5, relearn);
  sqlite3_bind_int (stmt, 6, preset->new_per_day);
  sqlite3_bind_int (stmt, 7, preset->reviews_per_day);
  sqlite3_bind_int (stmt, 8, preset->max_interval);
  sqlite3_bind_int (stmt, 9, preset->rollover_hour);
  sqlite3_bind_int (stmt, 10, preset->leech_threshold);
  sqlite3_bind_int (stmt, 11, preset->leech_suspend);
  sqlite3_bind_int (stmt, 12, preset->bury_new);
  sqlite3_bind_int (stmt, 13, preset->bury_reviews);
  sqlite3_bind_int (stmt, 14, preset->bury_interday);
  sqlite3_bind_int64 (stmt, 15, preset->mtime);
  sd_bind_text (stmt, 16, preset->anki_extra ? preset->anki_extra : "");
  sqlite3_bind_int64 (stmt, 17, preset->id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}

gboolean
sd_preset_insert (SdCollection  *collection,
                  SdPreset      *preset,
                  GError       **error)
{
  if (preset->id == 0)
    preset->id = sd_collection_new_id (collection, "presets");
  return write_preset (collection, preset,
                       "INSERT INTO presets (name, fsrs_params, desired_retention, learn_steps,"
                       " relearn_steps, new_per_day, reviews_per_day, max_interval,"
                       " rollover_hour, leech_threshold, leech_suspend, bury_new, bury_reviews,"
                       " bury_interday, mtime, anki_extra, id)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       error);
}

gboolean
sd_preset_update (SdCollection  *collection,
                  SdPreset      *preset,
                  GError       **error)
{
  if (!write_preset (collection, preset,
                     "UPDATE presets SET name = ?, fsrs_params = ?, desired_retention = ?,"
                     " learn_steps = ?, relearn_steps = ?, new_per_day = ?, reviews_per_day = ?,"
                     " max_interval = ?, rollover_hour = ?, leech_threshold = ?,"
                     " leech_suspend = ?, bury_new = ?, bury_reviews = ?, bury_interday = ?,"
                     " mtime = ?, anki_extra = ? WHERE id = ?",
                     error))
    return FALSE;

  if (sqlite3_changes (sd_collection_get_db (collection)) == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Options preset %" G_GINT64_FORMAT " does not exist"), preset->id);
      return FALSE;
    }
  return TRUE;
}

/* Decks using a deleted preset fall back to the default one (ON DELETE SET DEFAULT). */
gboolean
sd_preset_delete (SdCollection  *collection,
                  gint64         id,
                  GError       **error)
{
  sqlite3_stmt *stmt;

  if (id == SD_PRESET_DEFAULT_ID)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("The default options preset cannot be deleted"));
      return FALSE;
    }

  stmt = sd_collection_prepare (collection, "DELETE FROM presets WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}
