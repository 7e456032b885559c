/* studydeck-cli.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-cli.h"
#include "sd-cli-export.h"
#include "sd-cli-fsrs.h"
#include "sd-cli-fsrs-optimize.h"
#include "sd-cli-import.h"
#include "sd-cli-search.h"
#include "sd-cli-stats.h"

typedef struct
{
  const char *name;
  int (*run) (const SdCliContext *ctx, int argc, char **argv);
  const char *summary;
} Command;

static int
run_fsrs (const SdCliContext *ctx,
          int                 argc,
          char              **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "replay"))
    return sd_cli_fsrs_replay (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "optimize"))
    return sd_cli_fsrs_optimize (ctx->collection_path, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "evaluate"))
    return sd_cli_fsrs_evaluate (argc - 1, argv + 1);
  return sd_cli_usage_error (_("fsrs: expected a subcommand: replay, optimize or evaluate"));
}

static const Command commands[] = {
  { "info", sd_cli_info, N_("Print what the collection holds (--json)") },
  { "import", sd_cli_import, N_("Import an Anki package (.apkg/.colpkg) or a CSV/TSV file (--json)") },
  { "export", sd_cli_export, N_("Export a deck or the whole collection as an Anki package (--json)") },
  { "notes", sd_cli_notes, N_("Notes folders: add-folder, remove-folder, scan, list, search, cards") },
  { "search", sd_cli_search, N_("List the cards matching a search in Anki's syntax (--json)") },
  { "stats", sd_cli_stats, N_("Review statistics of the collection or a deck (--deck, --json)") },
  { "fsrs", run_fsrs, N_("FSRS tools: replay histories, optimize and evaluate parameters") },
};

SdCollection *
sd_cli_open_collection (const SdCliContext  *ctx,
                        GError             **error)
{
  g_autofree char *path = ctx->collection_path ? g_strdup (ctx->collection_path)
                                               : sd_collection_default_path ();
  return sd_collection_open (path, error);
}

void
sd_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

int
sd_cli_fail (const GError *error)
{
  g_printerr ("studydeck-cli: %s\n", error->message);
  return 1;
}

int
sd_cli_usage_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("studydeck-cli: %s\n", message);
  g_printerr (_("Run “studydeck-cli --help” to see the commands.\n"));
  return 2;
}

gboolean
sd_cli_parse_options (GOptionContext   *context,
                      int              *argc,
                      char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      sd_cli_usage_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_help (void)
{
  g_print (_("Usage: studydeck-cli [--collection PATH] COMMAND [ARGS…]\n\n"));
  g_print (_("StudyDeck without a window: the same collection, notes and scheduler.\n\n"));
  g_print (_("Options:\n"));
  g_print ("  --collection PATH  %s\n", _("Use this collection file (default: the user's own)"));
  g_print ("  --version          %s\n", _("Print the version and exit"));
  g_print ("  --help             %s\n\n", _("Print this help and exit"));
  g_print (_("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-17s  %s\n", commands[i].name, _(commands[i].summary));
}

int
main (int    argc,
      char **argv)
{
  SdCliContext ctx = { NULL };
  int first = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options come before the command; everything after it belongs to
   * the command. */
  while (first < argc && argv[first][0] == '-')
    {
      const char *arg = argv[first];

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_help ();
          return 0;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("studydeck-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      else if (g_str_equal (arg, "--collection"))
        {
          if (first + 1 >= argc)
            return sd_cli_usage_error (_("--collection needs a file path"));
          ctx.collection_path = argv[first + 1];
          first += 2;
        }
      else if (g_str_has_prefix (arg, "--collection="))
        {
          ctx.collection_path = arg + strlen ("--collection=");
          first++;
        }
      else
        return sd_cli_usage_error (_("Unknown option “%s”"), arg);
    }

  if (first >= argc)
    {
      print_help ();
      return 2;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[first], commands[i].name))
      return commands[i].run (&ctx, argc - first, argv + first);

  return sd_cli_usage_error (_("Unknown command “%s”"), argv[first]);
}
