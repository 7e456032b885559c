/* sd-cli-notes.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-cli.h"
#include "sd-cli-notes-cards.h"
#include "sd-library.h"

static int
notes_add_folder (SdCollection  *collection,
                  int            argc,
                  char         **argv)
{
  g_autoptr(GError) error = NULL;
  SdScanStats stats;

  if (argc != 2)
    return sd_cli_usage_error (_("notes add-folder: expected one folder"));

  if (sd_library_add_folder (collection, argv[1], &error) == 0
      || !sd_library_scan (collection, NULL, &stats, &error))
    return sd_cli_fail (error);

  g_print (_("Indexed %u new, %u changed, %u removed notes (%u could not be read)\n"),
           stats.added, stats.updated, stats.removed, stats.failed);
  return 0;
}

static int
notes_remove_folder (SdCollection  *collection,
                     int            argc,
                     char         **argv)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;

  if (argc != 2)
    return sd_cli_usage_error (_("notes remove-folder: expected one folder"));

  canonical = g_canonicalize_filename (argv[1], NULL);
  folders = sd_library_list_folders (collection, &error);
  if (folders == NULL)
    return sd_cli_fail (error);

  for (guint i = 0; i < folders->len; i++)
    {
      SdNoteFolder *folder = g_ptr_array_index (folders, i);
      if (g_str_equal (folder->path, canonical))
        {
          if (!sd_library_remove_folder (collection, folder->id, &error))
            return sd_cli_fail (error);
          return 0;
        }
    }

  g_printerr (_("studydeck-cli: “%s” is not a notes folder of this collection\n"), canonical);
  return 1;
}

static int
notes_scan (SdCollection  *collection,
            int            argc,
            char         **argv)
{
  g_autoptr(GError) error = NULL;
  SdScanStats stats;

  if (!sd_library_scan (collection, NULL, &stats, &error))
    return sd_cli_fail (error);
  g_print (_("Indexed %u new, %u changed, %u removed notes (%u could not be read)\n"),
           stats.added, stats.updated, stats.removed, stats.failed);
  return 0;
}

static int
notes_list (SdCollection  *collection,
            gboolean       json,
            GError       **error)
{
  g_autoptr(GPtrArray) files = sd_library_list_files (collection, error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (files == NULL)
    return sd_cli_fail (*error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      SdNoteFile *file = g_ptr_array_index (files, i);
      g_autoptr(GPtrArray) headings = sd_library_list_headings (collection, file->id, NULL);

      if (!json)
        {
          g_print ("%s\t%s%s%s\n", file->path, file->title,
                   file->error[0] ? "\t" : "", file->error);
          continue;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, file->path);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, file->title);
      json_builder_set_member_name (builder, "headings");
      json_builder_begin_array (builder);
      for (guint j = 0; headings != NULL && j < headings->len; j++)
        {
          SdNoteHeading *heading = g_ptr_array_index (headings, j);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "level");
          json_builder_add_int_value (builder, heading->level);
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, heading->text);
          json_builder_set_member_name (builder, "line");
          json_builder_add_int_value (builder, heading->line);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "error");
      if (file->error[0])
        json_builder_add_string_value (builder, file->error);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      root = json_builder_get_root (builder);
      sd_cli_print_json (root);
    }
  return 0;
}

/* Snippets mark matches with control characters; on a terminal and in JSON
 * they read better as Markdown bold. */
static char *
plain_snippet (const char *snippet)
{
  g_autoptr(GString) out = g_string_new (snippet);

  g_string_replace (out, SD_LIBRARY_MATCH_START, "**", 0);
  g_string_replace (out, SD_LIBRARY_MATCH_END, "**", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
notes_search (SdCollection  *collection,
              int            argc,
              char         **argv,
              gboolean       json,
              int            limit)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *query = NULL;

  if (argc < 2)
    return sd_cli_usage_error (_("notes search: expected what to search for"));
  query = g_strjoinv (" ", argv + 1);

  hits = sd_library_search (collection, query, limit, &error);
  if (hits == NULL)
    return sd_cli_fail (error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < hits->len; i++)
    {
      SdNoteHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *snippet = plain_snippet (hit->snippet);

      if (!json)
        {
          g_print ("%s:%d\t%s%s%s\n\t%s\n", hit->path, hit->line, hit->title,
                   hit->heading[0] ? " › " : "", hit->heading, snippet);
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, hit->path);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, hit->title);
      json_builder_set_member_name (builder, "heading");
      json_builder_add_string_value (builder, hit->heading);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, hit->line);
      json_builder_set_member_name (builder, "snippet");
      json_builder_add_string_value (builder, snippet);
      json_builder_set_member_name (builder, "rank");
      json_builder_add_double_value (builder, hit->rank);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      root = json_builder_get_root (builder);
      sd_cli_print_json (root);
    }
  return 0;
}

int
sd_cli_notes (const SdCliContext  *ctx,
              int                  argc,
              char               **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("add-folder DIR | remove-folder DIR | scan | list | search QUERY | cards FILE"));
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most N search results (50)"), N_("N") },
    { NULL }
  };

  /* "cards" parses its own options. */
  if (argc >= 2 && g_str_equal (argv[1], "cards"))
    return sd_cli_notes_cards (ctx->collection_path, argc - 1, argv + 1);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv))
    return 2;
  if (argc < 2)
    return sd_cli_usage_error (_("notes: expected add-folder, remove-folder, scan, list, search or cards"));

  collection = sd_cli_open_collection (ctx, &error);
  if (collection == NULL)
    return sd_cli_fail (error);

  if (g_str_equal (argv[1], "add-folder"))
    return notes_add_folder (collection, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "remove-folder"))
    return notes_remove_folder (collection, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "scan"))
    return notes_scan (collection, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "list"))
    return notes_list (collection, json, &error);
  if (g_str_equal (argv[1], "search"))
    return notes_search (collection, argc - 1, argv + 1, json, limit);

  return sd_cli_usage_error (_("notes: unknown subcommand “%s”"), argv[1]);
}
