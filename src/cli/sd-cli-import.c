/* sd-cli-import.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "sd-anki-import.h"
#include "sd-cli-import.h"
#include "sd-csv-import.h"

static gboolean
parse_separator (const char *text,
                 gunichar   *separator)
{
  static const struct { const char *name; gunichar c; } names[] = {
    { "tab", '\t' }, { "comma", ',' }, { "semicolon", ';' }, { "pipe", '|' },
    { "colon", ':' }, { "space", ' ' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *separator = names[i].c;
        return TRUE;
      }
  if (g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) == 1)
    {
      *separator = g_utf8_get_char (text);
      return TRUE;
    }
  return FALSE;
}

/**
 * sd_cli_import:
 *
 * `studydeck-cli [--collection PATH] import FILE [--json]` imports an Anki
 * package (.apkg, .colpkg) or a CSV/TSV text file. With `--json` it prints
 * `{"notes": N, "cards": N, "revlog": N, "media": N, "decks": N,
 * "notetypes": N, "updated": N, "skipped": N}`; the exit status is 0 on
 * success and 1 with the error on stderr when the import failed (the
 * collection is then unchanged).
 */
int
sd_cli_import (const SdCliContext  *ctx,
               int                  argc,
               char               **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deck = NULL;
  g_autofree char *notetype = NULL;
  g_autofree char *separator = NULL;
  SdImportStats stats = { 0 };
  gboolean json = FALSE;
  gboolean html = FALSE;
  const char *path;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print what was imported as JSON"), NULL },
    { "deck", 0, 0, G_OPTION_ARG_STRING, &deck,
      N_("Text files: the deck for the notes"), N_("NAME") },
    { "notetype", 0, 0, G_OPTION_ARG_STRING, &notetype,
      N_("Text files: the note type of the notes"), N_("NAME") },
    { "separator", 0, 0, G_OPTION_ARG_STRING, &separator,
      N_("Text files: tab, comma, semicolon, pipe, colon, space or one character"), N_("SEP") },
    { "html", 0, 0, G_OPTION_ARG_NONE, &html, N_("Text files: the fields are HTML"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Import an Anki package (.apkg, .colpkg) or a CSV/TSV file.\n"
                                  "A .colpkg is merged into the collection, not put in its "
                                  "place."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv))
    return 2;
  if (argc < 2)
    return sd_cli_usage_error (_("import: which file?"));
  if (argc > 2)
    return sd_cli_usage_error (_("import: unexpected argument “%s”"), argv[2]);
  path = argv[1];

  collection = sd_cli_open_collection (ctx, &error);
  if (collection == NULL)
    return sd_cli_fail (error);

  if (deck != NULL || notetype != NULL || separator != NULL || html)
    {
      SdCsvImportOptions options;

      sd_csv_import_options_init (&options);
      options.deck = deck;
      options.notetype = notetype;
      if (html)
        options.html = 1;
      if (separator != NULL && !parse_separator (separator, &options.separator))
        return sd_cli_usage_error (_("import: “%s” is not a separator"), separator);
      if (!sd_csv_import_file (collection, path, &options, NULL, NULL, NULL, &stats, &error))
        return sd_cli_fail (error);
    }
  else if (!sd_anki_import_file (collection, path, NULL, NULL, NULL, &stats, &error))
    return sd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const struct { const char *key; guint value; } members[] = {
        { "notes", stats.notes }, { "cards", stats.cards }, { "revlog", stats.revlog },
        { "media", stats.media }, { "decks", stats.decks }, { "notetypes", stats.notetypes },
        { "updated", stats.updated }, { "skipped", stats.skipped },
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

  g_print (_("Imported %s into %s:\n"), path, sd_collection_get_path (collection));
  g_print (_("  notes added:       %u\n"), stats.notes);
  g_print (_("  notes updated:     %u\n"), stats.updated);
  g_print (_("  cards added:       %u\n"), stats.cards);
  g_print (_("  reviews added:     %u\n"), stats.revlog);
  g_print (_("  media files added: %u\n"), stats.media);
  g_print (_("  decks created:     %u\n"), stats.decks);
  g_print (_("  note types added:  %u\n"), stats.notetypes);
  g_print (_("  already there:     %u\n"), stats.skipped);
  return 0;
}
