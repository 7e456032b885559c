/* sd-cli-search.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* studydeck-cli search [--json] [--notes] [--sort COLUMN] [--reverse] [--] QUERY…
 *
 * The browser's search from the command line: the words after the options
 * are one query in Anki's syntax. Options are read by hand, not with
 * GOptionContext, because a query may well start with "-" ("-tag:x"). */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-browse.h"
#include "sd-card.h"
#include "sd-cli-search.h"

static const struct
{
  const char     *name;
  SdBrowseColumn  column;
} columns[] = {
  { "created", SD_BROWSE_COLUMN_CREATED },
  { "sort-field", SD_BROWSE_COLUMN_SORT_FIELD },
  { "deck", SD_BROWSE_COLUMN_DECK },
  { "due", SD_BROWSE_COLUMN_DUE },
  { "interval", SD_BROWSE_COLUMN_INTERVAL },
  { "ease", SD_BROWSE_COLUMN_EASE },
  { "reviews", SD_BROWSE_COLUMN_REVIEWS },
  { "lapses", SD_BROWSE_COLUMN_LAPSES },
  { "modified", SD_BROWSE_COLUMN_MODIFIED },
  { "notetype", SD_BROWSE_COLUMN_NOTETYPE },
  { "template", SD_BROWSE_COLUMN_TEMPLATE },
};

static void
print_help (void)
{
  g_print (_("Usage: studydeck-cli search [--json] [--notes] [--sort COLUMN] [--reverse] "
             "[--] QUERY…\n\n"));
  g_print (_("Lists the cards (or notes) matching a search in Anki's syntax, such as\n"
             "  deck:French tag:verbs is:due\n"
             "  \"a phrase\" -is:suspended (flag:1 or prop:ivl>30)\n\n"));
  g_print (_("Options:\n"));
  g_print ("  --json           %s\n", _("Print a JSON array, one object per card"));
  g_print ("  --notes          %s\n", _("One line per note that has a matching card"));
  g_print ("  --sort COLUMN    %s\n", _("created (default), sort-field, deck, due, interval, "
                                        "ease, reviews, lapses, modified, notetype, template"));
  g_print ("  --reverse        %s\n", _("Sort in descending order"));
  g_print ("  --               %s\n", _("Everything after it is the query"));
}

/* Anki's due column for one card: a date, "new #N", or null for cards
 * that are not due at all (suspended, buried). */
static void
add_due (JsonBuilder       *builder,
         const SdBrowseRow *row)
{
  json_builder_set_member_name (builder, "due");
  if (row->queue < 0)
    json_builder_add_null_value (builder);
  else if (row->type == SD_CARD_NEW || row->queue == SD_QUEUE_NEW)
    {
      g_autofree char *text = g_strdup_printf ("new #%" G_GINT64_FORMAT, row->due);
      json_builder_add_string_value (builder, text);
    }
  else if (row->due_date != NULL)
    json_builder_add_string_value (builder, row->due_date);
  else
    json_builder_add_null_value (builder);
}

static int
print_cards (SdCollection  *collection,
             GArray        *ids,
             gboolean       json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = sd_browse_card_rows (collection, (const gint64 *) ids->data,
                                                   ids->len, &error);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (rows == NULL)
    return sd_cli_fail (error);

  if (!json)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          const SdBrowseRow *row = rows->pdata[i];
          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", row->card_id, row->due_text, row->deck,
                   row->sort_field);
        }
      return 0;
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const SdBrowseRow *row = rows->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "card_id");
      json_builder_add_int_value (builder, row->card_id);
      json_builder_set_member_name (builder, "note_id");
      json_builder_add_int_value (builder, row->note_id);
      json_builder_set_member_name (builder, "sort_field");
      json_builder_add_string_value (builder, row->sort_field);
      json_builder_set_member_name (builder, "deck");
      json_builder_add_string_value (builder, row->deck);
      add_due (builder, row);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  sd_cli_print_json (root);
  return 0;
}

static int
print_notes (SdCollection  *collection,
             GArray        *ids,
             gboolean       json)
{
  g_autoptr(JsonBuilder) builder = json ? json_builder_new () : NULL;
  g_autoptr(JsonNode) root = NULL;

  if (json)
    json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      SdBrowseRow row;

      if (!sd_browse_note_row (collection, g_array_index (ids, gint64, i), &row, &error))
        return sd_cli_fail (error);
      if (!json)
        g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", row.note_id, row.due_text, row.deck,
                 row.sort_field);
      else
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "note_id");
          json_builder_add_int_value (builder, row.note_id);
          json_builder_set_member_name (builder, "sort_field");
          json_builder_add_string_value (builder, row.sort_field);
          json_builder_set_member_name (builder, "deck");
          json_builder_add_string_value (builder, row.deck);
          json_builder_set_member_name (builder, "cards");
          json_builder_add_int_value (builder, row.n_cards);
          json_builder_set_member_name (builder, "due");
          if (row.due_date != NULL)
            json_builder_add_string_value (builder, row.due_date);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      sd_browse_row_clear (&row);
    }
  if (json)
    {
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sd_cli_print_json (root);
    }
  return 0;
}

int
sd_cli_search (const SdCliContext  *ctx,
               int                  argc,
               char               **argv)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *query = NULL;
  SdBrowseColumn column = SD_BROWSE_COLUMN_CREATED;
  gboolean json = FALSE, notes = FALSE, reverse = FALSE, options = TRUE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (options && g_str_equal (arg, "--"))
        options = FALSE;
      else if (options && g_str_equal (arg, "--json"))
        json = TRUE;
      else if (options && g_str_equal (arg, "--notes"))
        notes = TRUE;
      else if (options && g_str_equal (arg, "--reverse"))
        reverse = TRUE;
      else if (options && (g_str_equal (arg, "--help") || g_str_equal (arg, "-h")))
        {
          print_help ();
          return 0;
        }
      else if (options && (g_str_equal (arg, "--sort") || g_str_has_prefix (arg, "--sort=")))
        {
          const char *name = arg[6] == '=' ? arg + 7 : i + 1 < argc ? argv[++i] : NULL;
          gboolean found = FALSE;

          for (guint j = 0; name != NULL && j < G_N_ELEMENTS (columns); j++)
            if (g_str_equal (name, columns[j].name))
              {
                column = columns[j].column;
                found = TRUE;
              }
          if (!found)
            return sd_cli_usage_error (_("search: unknown sort column “%s”; expected created, "
                                         "sort-field, deck, due, interval, ease, reviews, "
                                         "lapses, modified, notetype or template"),
                                       name ? name : "");
        }
      else if (options && g_str_has_prefix (arg, "--"))
        return sd_cli_usage_error (_("search: unknown option “%s” (put “--” before a query "
                                     "that starts with “--”)"),
                                   arg);
      else
        g_ptr_array_add (words, (gpointer) arg);
    }

  if (words->len == 0)
    return sd_cli_usage_error (_("search: expected a query (\"\" lists every card)"));
  g_ptr_array_add (words, NULL);
  query = g_strjoinv (" ", (char **) words->pdata);

  collection = sd_cli_open_collection (ctx, &error);
  if (collection == NULL)
    return sd_cli_fail (error);

  if (notes)
    ids = sd_browse_notes (collection, query, column, !reverse, &error);
  else
    ids = sd_browse_cards (collection, query, column, !reverse, &error);
  if (ids == NULL)
    return sd_cli_fail (error);

  return notes ? print_notes (collection, ids, json) : print_cards (collection, ids, json);
}
