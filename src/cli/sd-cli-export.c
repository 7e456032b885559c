/* sd-cli-export.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "sd-anki-export.h"
#include "sd-cli-export.h"
#include "sd-deck.h"

/**
 * sd_cli_export:
 *
 * `studydeck-cli [--collection PATH] export OUT.apkg [--deck NAME]
 * [--with-scheduling] [--with-media] [--json]` writes an Anki package of
 * the deck NAME with its subdecks, or of the whole collection. With
 * `--json` it prints `{"notes": N, "cards": N, "revlog": N, "media": N,
 * "decks": N, "notetypes": N}` (what the package holds); the exit status is
 * 0 on success, 1 with the error on stderr when the export failed (no file
 * is left behind then) and 2 for a usage error.
 */
int
sd_cli_export (const SdCliContext  *ctx,
               int                  argc,
               char               **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("OUT.apkg"));
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deck = NULL;
  SdAnkiExportOptions options;
  SdExportStats stats = { 0 };
  gboolean json = FALSE;
  gboolean scheduling = FALSE;
  gboolean media = FALSE;
  const char *path;
  const GOptionEntry entries[] = {
    { "deck", 0, 0, G_OPTION_ARG_STRING, &deck,
      N_("Export this deck and its subdecks (“Parent::Child”) instead of every deck"),
      N_("NAME") },
    { "with-scheduling", 0, 0, G_OPTION_ARG_NONE, &scheduling,
      N_("Keep card states and the review history"), NULL },
    { "with-media", 0, 0, G_OPTION_ARG_NONE, &media,
      N_("Put the images and sounds the notes use in the package"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print what was exported as JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Export cards as an Anki package (.apkg) that Anki, AnkiDroid "
                                  "and AnkiMobile import.\nWithout --with-scheduling every card "
                                  "arrives as new."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv))
    return 2;
  if (argc < 2)
    return sd_cli_usage_error (_("export: where to? Give the package file, such as deck.apkg"));
  if (argc > 2)
    return sd_cli_usage_error (_("export: unexpected argument “%s”"), argv[2]);
  path = argv[1];

  /* Refused before the collection is even opened. */
  if (!sd_anki_export_check_path (path, &error))
    return sd_cli_fail (error);

  collection = sd_cli_open_collection (ctx, &error);
  if (collection == NULL)
    return sd_cli_fail (error);

  sd_anki_export_options_init (&options);
  options.with_scheduling = scheduling;
  options.with_media = media;
  if (deck != NULL)
    {
      options.deck_id = sd_deck_find (collection, deck);
      if (options.deck_id == 0)
        {
          g_printerr ("studydeck-cli: ");
          g_printerr (_("export: there is no deck “%s”"), deck);
          g_printerr ("\n");
          return 1;
        }
    }

  if (!sd_anki_export_package (collection, path, &options, NULL, NULL, NULL, &stats, &error))
    return sd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const struct { const char *key; guint value; } members[] = {
        { "notes", stats.notes }, { "cards", stats.cards }, { "revlog", stats.revlog },
        { "media", stats.media }, { "decks", stats.decks }, { "notetypes", stats.notetypes },
      };

      json_builder_begin_object (builder);
      for (guint i = 0; i < G_N_ELEMENTS (members); i++)
        {
          json_builder_set_member_name (builder, members[i].key);
          json_builder_add_int_value (builder, members[i].value);
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sd_cli_print_json (root);
      return 0;
    }

  g_print (_("Exported %s to %s:\n"), deck != NULL ? deck : _("the whole collection"), path);
  g_print (_("  notes:       %u\n"), stats.notes);
  g_print (_("  cards:       %u\n"), stats.cards);
  g_print (_("  reviews:     %u\n"), stats.revlog);
  g_print (_("  media files: %u\n"), stats.media);
  g_print (_("  decks:       %u\n"), stats.decks);
  g_print (_("  note types:  %u\n"), stats.notetypes);
  return 0;
}
