/* sd-cli-info.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-cli.h"

int
sd_cli_info (const SdCliContext  *ctx,
             int                  argc,
             char               **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdCollectionCounts counts;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Print what the collection holds."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv))
    return 2;
  if (argc > 1)
    return sd_cli_usage_error (_("info: unexpected argument “%s”"), argv[1]);

  collection = sd_cli_open_collection (ctx, &error);
  if (collection == NULL || !sd_collection_get_counts (collection, &counts, &error))
    return sd_cli_fail (error);

  if (!json)
    {
      g_print (_("Collection: %s\n"), sd_collection_get_path (collection));
      g_print (_("Schema version: %d\n"), counts.schema);
      g_print (_("Decks: %" G_GINT64_FORMAT "\n"), counts.decks);
      g_print (_("Note types: %" G_GINT64_FORMAT "\n"), counts.notetypes);
      g_print (_("Notes: %" G_GINT64_FORMAT "\n"), counts.notes);
      g_print (_("Cards: %" G_GINT64_FORMAT "\n"), counts.cards);
      g_print (_("Reviews: %" G_GINT64_FORMAT "\n"), counts.revlog);
      g_print (_("Media files: %" G_GINT64_FORMAT "\n"), counts.media);
      return 0;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, counts.schema);
  json_builder_set_member_name (builder, "decks");
  json_builder_add_int_value (builder, counts.decks);
  json_builder_set_member_name (builder, "notetypes");
  json_builder_add_int_value (builder, counts.notetypes);
  json_builder_set_member_name (builder, "notes");
  json_builder_add_int_value (builder, counts.notes);
  json_builder_set_member_name (builder, "cards");
  json_builder_add_int_value (builder, counts.cards);
  json_builder_set_member_name (builder, "revlog");
  json_builder_add_int_value (builder, counts.revlog);
  json_builder_set_member_name (builder, "media");
  json_builder_add_int_value (builder, counts.media);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  sd_cli_print_json (root);
  return 0;
}
