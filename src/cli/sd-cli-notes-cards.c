/* sd-cli-notes-cards.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-card-syntax.h"
#include "sd-cli.h"
#include "sd-cli-notes-cards.h"
#include "sd-library.h"
#include "sd-note-cards.h"

/* With a collection that has the file inside one of its notes folders, the
 * deck and the syntax are the collection's; otherwise the defaults, and the
 * file's own folder as the deck. Opening the collection reads it only; a
 * path that does not exist is not created. */
static void
deck_and_settings (const char            *collection_path,
                   const char            *path,
                   char                 **deck,
                   SdCardSyntaxSettings **settings)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = g_path_get_dirname (canonical);

  *deck = NULL;
  *settings = NULL;

  if (collection_path != NULL && g_file_test (collection_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(SdCollection) collection = sd_collection_open (collection_path, NULL);
      g_autoptr(GPtrArray) folders = NULL;

      if (collection != NULL)
        {
          *settings = sd_note_cards_get_settings (collection);
          folders = sd_library_list_folders (collection, NULL);
        }
      for (guint i = 0; folders != NULL && i < folders->len; i++)
        {
          SdNoteFolder *folder = g_ptr_array_index (folders, i);
          gsize len = strlen (folder->path);

          if (strncmp (canonical, folder->path, len) == 0 && canonical[len] == G_DIR_SEPARATOR)
            {
              g_autofree char *name = g_path_get_basename (folder->path);
              *deck = sd_card_syntax_folder_deck (name, canonical + len + 1);
              break;
            }
        }
    }

  if (*deck == NULL)
    {
      g_autofree char *name = g_path_get_basename (dir);
      *deck = sd_card_syntax_folder_deck (name, NULL);
    }
  if (*deck == NULL)
    *deck = g_strdup ("Default");
  if (*settings == NULL)
    *settings = sd_card_syntax_settings_new ();
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
print_json (GPtrArray *cards)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < cards->len; i++)
    {
      SdCardSyntaxCard *card = g_ptr_array_index (cards, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, sd_card_syntax_kind_to_string (card->kind));
      json_builder_set_member_name (builder, "front");
      json_builder_add_string_value (builder, card->front);
      json_builder_set_member_name (builder, "back");
      json_builder_add_string_value (builder, card->back);
      json_builder_set_member_name (builder, "cloze");
      json_builder_begin_array (builder);
      for (guint k = 0; k < card->cloze->len; k++)
        json_builder_add_int_value (builder, g_array_index (card->cloze, guint, k));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "deck");
      if (card->deck != NULL)
        json_builder_add_string_value (builder, card->deck);
      else
        json_builder_add_null_value (builder);
      add_strv (builder, "tags", (const char * const *) card->tags);
      add_strv (builder, "heading", (const char * const *) card->heading);
      json_builder_set_member_name (builder, "line_start");
      json_builder_add_int_value (builder, card->line_start);
      json_builder_set_member_name (builder, "line_end");
      json_builder_add_int_value (builder, card->line_end);
      json_builder_set_member_name (builder, "block_id");
      if (card->block_id != NULL)
        json_builder_add_string_value (builder, card->block_id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  sd_cli_print_json (root);
}

static void
print_text (const char *path,
            GPtrArray  *cards)
{
  for (guint i = 0; i < cards->len; i++)
    {
      SdCardSyntaxCard *card = g_ptr_array_index (cards, i);
      g_autofree char *heading = g_strjoinv (" › ", card->heading);
      g_autofree char *tags = g_strjoinv (" #", card->tags);
      g_autofree char *front = g_strdelimit (g_strdup (card->front), "\n", ' ');
      g_autofree char *back = g_strdelimit (g_strdup (card->back), "\n", ' ');

      g_print ("%s:%d-%d\t%s\t%s\t%s%s%s\n", path, card->line_start, card->line_end,
               sd_card_syntax_kind_to_string (card->kind), card->deck ? card->deck : "",
               heading, tags[0] ? "\t#" : "", tags);
      if (card->kind == SD_CARD_SYNTAX_CLOZE)
        g_print ("\t%s\n", front);
      else
        g_print ("\t%s\n\t→ %s\n", front, back);
    }
}

int
sd_cli_notes_cards (const char  *collection_path,
                    int          argc,
                    char       **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE — the cards written in a note"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardSyntaxSettings) settings = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autofree char *deck = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  gsize len;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv))
    return 2;
  if (argc != 2)
    return sd_cli_usage_error (_("notes cards: expected one note file"));

  if (!g_file_get_contents (argv[1], &text, &len, &error))
    return sd_cli_fail (error);
  if (memchr (text, '\0', len) != NULL || !g_utf8_validate_len (text, len, NULL))
    {
      g_printerr (_("studydeck-cli: “%s” is not a UTF-8 text note\n"), argv[1]);
      return 1;
    }

  deck_and_settings (collection_path, argv[1], &deck, &settings);
  cards = sd_card_syntax_parse (text, settings, deck);

  if (json)
    print_json (cards);
  else
    print_text (argv[1], cards);
  return 0;
}
