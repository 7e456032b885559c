/* test-search.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-search.h"
#include "sd-test-utils.h"

/* The tests run with TZ=UTC, so local time is UTC: 2026-03-02 12:00. */
#define NOON_MS   1772452800000LL
#define DAY_MS    86400000LL
#define DAY_S     86400LL

/* ---- the parser ---------------------------------------------------------- */

static void
assert_tree (const char *query,
             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSearchNode) node = sd_search_parse (query, NULL, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (node);
  text = sd_search_node_to_string (node);
  if (g_strcmp0 (text, expected) != 0)
    g_error ("“%s” parsed as\n  %s\nexpected\n  %s", query, text, expected);
}

static void
test_parse_text (void)
{
  assert_tree ("", "(all)");
  assert_tree ("   ", "(all)");
  assert_tree ("dog", "(text \"dog\")");
  assert_tree ("dog cat", "(and (text \"dog\") (text \"cat\"))");
  assert_tree ("  dog \t cat  ", "(and (text \"dog\") (text \"cat\"))");
  assert_tree ("\"a dog\"", "(text \"a dog\")");
  assert_tree ("-\"a dog\"", "(not (text \"a dog\"))");
  assert_tree ("d_g d*g", "(and (text \"d_g\") (text \"d*g\"))");
  /* Escapes the glob needs stay; the others become their character. */
  assert_tree ("d\\_g d\\*g a\\\\b",
               "(and (text \"d\\\\_g\") (text \"d\\\\*g\") (text \"a\\\\\\\\b\"))");
  assert_tree ("a\\:b \\(x\\) \\-y", "(and (text \"a:b\") (text \"(x)\") (text \"-y\"))");
  assert_tree ("\"some(text)\"", "(text \"some(text)\")");
  assert_tree ("\"say \\\"hi\\\"\"", "(text \"say \\\"hi\\\"\")");
  assert_tree ("école", "(text \"école\")");
  assert_tree ("nc:ecole", "(nc \"ecole\")");
  assert_tree ("re:^d.g$", "(re \"^d.g$\")");
  assert_tree ("dog\"cat\"", "(and (text \"dog\") (text \"cat\"))");
  assert_tree ("a(b)", "(and (text \"a\") (text \"b\"))");
}

static void
test_parse_boolean (void)
{
  assert_tree ("a or b", "(or (text \"a\") (text \"b\"))");
  assert_tree ("a OR b Or c", "(or (text \"a\") (text \"b\") (text \"c\"))");
  /* "and" binds tighter than "or", whether written or implied. */
  assert_tree ("a b or c", "(or (and (text \"a\") (text \"b\")) (text \"c\"))");
  assert_tree ("a or b c", "(or (text \"a\") (and (text \"b\") (text \"c\")))");
  assert_tree ("a and b or c and d",
               "(or (and (text \"a\") (text \"b\")) (and (text \"c\") (text \"d\")))");
  assert_tree ("a AND b", "(and (text \"a\") (text \"b\"))");
  assert_tree ("a (b or c)", "(and (text \"a\") (or (text \"b\") (text \"c\")))");
  assert_tree ("(a or b) (c or d)",
               "(and (or (text \"a\") (text \"b\")) (or (text \"c\") (text \"d\")))");
  assert_tree ("((a))", "(text \"a\")");
  assert_tree ("(a b) c", "(and (text \"a\") (text \"b\") (text \"c\"))");
  assert_tree ("-a", "(not (text \"a\"))");
  assert_tree ("-a -b", "(and (not (text \"a\")) (not (text \"b\")))");
  assert_tree ("-(a or b)", "(not (or (text \"a\") (text \"b\")))");
  assert_tree ("-a or b", "(or (not (text \"a\")) (text \"b\"))");
  assert_tree ("--a", "(not (text \"-a\"))");
  assert_tree ("-deck:x", "(not (deck \"x\"))");
  /* Quoted, "or" and "and" are words to search for. */
  assert_tree ("a \"or\" b", "(and (text \"a\") (text \"or\") (text \"b\"))");
  assert_tree ("orange android", "(and (text \"orange\") (text \"android\"))");
}

static void
test_parse_qualified (void)
{
  assert_tree ("deck:French", "(deck \"French\")");
  assert_tree ("DECK:French", "(deck \"French\")");
  assert_tree ("deck:Lang::French", "(deck \"Lang::French\")");
  assert_tree ("deck:lang*", "(deck \"lang*\")");
  assert_tree ("deck:\"french vocab\"", "(deck \"french vocab\")");
  assert_tree ("\"deck:french vocab\"", "(deck \"french vocab\")");
  assert_tree ("tag:animal", "(tag \"animal\")");
  assert_tree ("tag:lang::fr tag:ani*", "(and (tag \"lang::fr\") (tag \"ani*\"))");
  assert_tree ("tag:none", "(tag \"none\")");
  assert_tree ("note:Basic", "(note \"Basic\")");
  assert_tree ("\"note:Basic (and reversed card)\"", "(note \"Basic (and reversed card)\")");
  assert_tree ("card:2", "(card-ord 1)");
  assert_tree ("card:0", "(card-ord 0)");
  assert_tree ("card:Forward", "(card \"Forward\")");
  assert_tree ("\"card:Card 2\"", "(card \"Card 2\")");
  assert_tree ("is:new is:learn is:review is:due is:suspended is:buried",
               "(and (is new) (is learn) (is review) (is due) (is suspended) (is buried))");
  assert_tree ("is:DUE is:buried-manually is:buried-sibling",
               "(and (is due) (is buried-manually) (is buried-sibling))");
  assert_tree ("flag:0 flag:7", "(and (flag 0) (flag 7))");
  assert_tree ("prop:ivl>10", "(prop ivl > 10)");
  assert_tree ("prop:ivl>=10 prop:due=-1 prop:due!=1",
               "(and (prop ivl >= 10) (prop due = -1) (prop due != 1))");
  assert_tree ("prop:reps<10 prop:lapses<=3 prop:ease!=2.5",
               "(and (prop reps < 10) (prop lapses <= 3) (prop ease != 2.5))");
  assert_tree ("prop:s>30 prop:d<0.5 prop:pos=3",
               "(and (prop s > 30) (prop d < 0.5) (prop pos = 3))");
  assert_tree ("rated:7", "(rated 7)");
  assert_tree ("rated:7:1 rated:0", "(and (rated 7 1) (rated 1))");
  assert_tree ("added:1 added:30 edited:7", "(and (added 1) (added 30) (edited 7))");
  assert_tree ("nid:1,2 cid:3", "(and (nid 1 2) (cid 3))");
  assert_tree ("did:1 mid:5", "(and (did 1) (mid 5))");
  assert_tree ("front:dog", "(field \"front\" \"dog\")");
  assert_tree ("Front:*dog*", "(field \"Front\" \"*dog*\")");
  assert_tree ("front:", "(field \"front\" \"\")");
  assert_tree ("front:_*", "(field \"front\" \"_*\")");
  assert_tree ("fr*:text", "(field \"fr*\" \"text\")");
  assert_tree ("front:\"a dog\"", "(field \"front\" \"a dog\")");
  assert_tree ("w\\:e:b", "(field \"w:e\" \"b\")");
  assert_tree ("front:a:b", "(field \"front\" \"a:b\")");
  assert_tree ("front:re:^d", "(field-re \"front\" \"^d\")");
  assert_tree ("front:nc:ecole", "(field-nc \"front\" \"ecole\")");
  assert_tree ("deck:Lang tag:animal is:due",
               "(and (deck \"Lang\") (tag \"animal\") (is due))");
  assert_tree ("deck:a or -(tag:b is:new) flag:1",
               "(or (deck \"a\") (and (not (and (tag \"b\") (is new))) (flag 1)))");
}

typedef struct
{
  const char *query;
  int         code;
  int         position;
  const char *words;       /* the message must say this */
} BadQuery;

static void
test_parse_errors (void)
{
  static const BadQuery cases[] = {
    { "(a", SD_SEARCH_ERROR_SYNTAX, 1, "Unclosed parenthesis" },
    { "a (b or (c)", SD_SEARCH_ERROR_SYNTAX, 3, "Unclosed parenthesis" },
    { "a)", SD_SEARCH_ERROR_SYNTAX, 2, "Unmatched “)”" },
    { "(a))", SD_SEARCH_ERROR_SYNTAX, 4, "Unmatched “)”" },
    { ")", SD_SEARCH_ERROR_SYNTAX, 1, "Unmatched “)”" },
    { "()", SD_SEARCH_ERROR_SYNTAX, 1, "Empty parentheses" },
    { "a ( )", SD_SEARCH_ERROR_SYNTAX, 3, "Empty parentheses" },
    { "\"abc", SD_SEARCH_ERROR_SYNTAX, 1, "Unclosed quote" },
    { "dog \"a b", SD_SEARCH_ERROR_SYNTAX, 5, "Unclosed quote" },
    { "deck:\"a b", SD_SEARCH_ERROR_SYNTAX, 6, "Unclosed quote" },
    { "\"abc\\\"", SD_SEARCH_ERROR_SYNTAX, 1, "Unclosed quote" },
    { "a \"\"", SD_SEARCH_ERROR_SYNTAX, 3, "Empty quotes" },
    { "or a", SD_SEARCH_ERROR_SYNTAX, 1, "“or” at position 1 has no search term before it" },
    { "a or", SD_SEARCH_ERROR_SYNTAX, 3, "“or” at position 3 has no search term after it" },
    { "a or or b", SD_SEARCH_ERROR_SYNTAX, 6, "“or” at position 6" },
    { "(a or) b", SD_SEARCH_ERROR_SYNTAX, 4, "has no search term after it" },
    { "a and", SD_SEARCH_ERROR_SYNTAX, 3, "“and” at position 3 has no search term after it" },
    { "and a", SD_SEARCH_ERROR_SYNTAX, 1, "“and” at position 1" },
    { "a and or b", SD_SEARCH_ERROR_SYNTAX, 7, "follows “and”" },
    { "-", SD_SEARCH_ERROR_SYNTAX, 1, "Nothing to negate" },
    { "a - b", SD_SEARCH_ERROR_SYNTAX, 3, "Nothing to negate after the “-” at position 3" },
    { "(a -)", SD_SEARCH_ERROR_SYNTAX, 4, "Nothing to negate" },
    { "-(a", SD_SEARCH_ERROR_SYNTAX, 2, "Unclosed parenthesis" },
    { ":abc", SD_SEARCH_ERROR_SYNTAX, 1, "Nothing before the “:”" },
    { "a\\qb", SD_SEARCH_ERROR_SYNTAX, 1, "Unknown escape “\\q”" },
    { "x deck:a\\é", SD_SEARCH_ERROR_SYNTAX, 3, "Unknown escape “\\é”" },
    { "dog\\", SD_SEARCH_ERROR_SYNTAX, 4, "lone “\\”" },
    { "is:foo", SD_SEARCH_ERROR_INVALID, 1, "Unknown card state “is:foo”" },
    { "dog is:", SD_SEARCH_ERROR_INVALID, 5, "Unknown card state" },
    { "flag:8", SD_SEARCH_ERROR_INVALID, 1, "Invalid flag “flag:8”" },
    { "flag:red", SD_SEARCH_ERROR_INVALID, 1, "Invalid flag" },
    { "flag:-1", SD_SEARCH_ERROR_INVALID, 1, "Invalid flag" },
    { "prop:foo>1", SD_SEARCH_ERROR_INVALID, 1, "Unknown property in “prop:foo>1”" },
    { "prop:ivlx>1", SD_SEARCH_ERROR_INVALID, 1, "Unknown property" },
    { "prop:ivl", SD_SEARCH_ERROR_INVALID, 1, "Missing comparison in “prop:ivl”" },
    { "prop:ivl10", SD_SEARCH_ERROR_INVALID, 1, "Missing comparison" },
    { "prop:ivl>x", SD_SEARCH_ERROR_INVALID, 1, "Invalid number “x”" },
    { "prop:ivl>", SD_SEARCH_ERROR_INVALID, 1, "Invalid number" },
    { "prop:ivl>-1", SD_SEARCH_ERROR_INVALID, 1, "Invalid number “-1”" },
    { "prop:ivl>1.5", SD_SEARCH_ERROR_INVALID, 1, "Invalid number" },
    { "prop:due>1x", SD_SEARCH_ERROR_INVALID, 1, "Invalid number" },
    { "prop:ease>two", SD_SEARCH_ERROR_INVALID, 1, "Invalid number “two”" },
    { "prop:ease>nan", SD_SEARCH_ERROR_INVALID, 1, "Invalid number" },
    { "prop:r>0.9", SD_SEARCH_ERROR_INVALID, 1, "Unknown property" },
    { "rated:x", SD_SEARCH_ERROR_INVALID, 1, "Invalid number of days “x”" },
    { "rated:1:5", SD_SEARCH_ERROR_INVALID, 1, "Invalid rating “5”" },
    { "rated:1:", SD_SEARCH_ERROR_INVALID, 1, "Invalid rating" },
    { "added:-1", SD_SEARCH_ERROR_INVALID, 1, "Invalid number of days" },
    { "a edited:", SD_SEARCH_ERROR_INVALID, 3, "Invalid number of days" },
    { "nid:1,a", SD_SEARCH_ERROR_INVALID, 1, "Invalid id list in “nid:1,a”" },
    { "cid:", SD_SEARCH_ERROR_INVALID, 1, "Invalid id list" },
    { "cid:1,,2", SD_SEARCH_ERROR_INVALID, 1, "Invalid id list" },
    { "mid:1,2", SD_SEARCH_ERROR_INVALID, 1, "Invalid id" },
    { "\"re:(\"", SD_SEARCH_ERROR_INVALID, 1, "Invalid regular expression" },
    { "re:(", SD_SEARCH_ERROR_SYNTAX, 4, "Unclosed parenthesis" },
    { "front:re:[a", SD_SEARCH_ERROR_INVALID, 1, "Invalid regular expression" },
    { "w:dog", SD_SEARCH_ERROR_INVALID, 1, "not supported" },
    { "dog tag:re:x", SD_SEARCH_ERROR_INVALID, 5, "not supported" },
    /* Positions count characters, not bytes. */
    { "école (a", SD_SEARCH_ERROR_SYNTAX, 7, "position 7" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdSearchNode) node = NULL;
      int position = -1;

      node = sd_search_parse (cases[i].query, &position, &error);
      if (node != NULL)
        {
          g_autofree char *text = sd_search_node_to_string (node);
          g_error ("“%s” parsed as %s but should fail", cases[i].query, text);
        }
      if (error->code != cases[i].code)
        g_error ("“%s”: error code %d (%s), expected %d", cases[i].query, error->code,
                 error->message, cases[i].code);
      if (position != cases[i].position || strstr (error->message, cases[i].words) == NULL)
        g_error ("“%s”: position %d, message “%s”; expected position %d and “%s”",
                 cases[i].query, position, error->message, cases[i].position, cases[i].words);
      {
        g_autofree char *at = g_strdup_printf ("position %d", cases[i].position);
        if (strstr (error->message, at) == NULL)
          g_error ("“%s”: the message “%s” does not name %s", cases[i].query, error->message, at);
      }
    }

  /* Deep nesting is refused, not followed down the stack; a long flat
   * search is fine. */
  {
    g_autoptr(GString) deep = g_string_new (NULL);
    g_autoptr(GString) wide = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SdSearchNode) node = NULL;
    int position = -1;

    for (int i = 0; i < 100000; i++)
      g_string_append_c (deep, '(');
    g_assert_null (sd_search_parse (deep->str, &position, &error));
    g_assert_error (error, SD_SEARCH_ERROR, SD_SEARCH_ERROR_SYNTAX);
    g_assert_nonnull (strstr (error->message, "nested"));
    g_assert_cmpint (position, ==, 101);
    g_clear_error (&error);

    g_string_truncate (deep, 100);
    g_string_append_c (deep, 'a');
    for (int i = 0; i < 100; i++)
      g_string_append_c (deep, ')');
    node = sd_search_parse (deep->str, &position, &error);
    g_assert_no_error (error);
    g_clear_pointer (&node, sd_search_node_free);

    for (int i = 0; i < 20000; i++)
      g_string_append_printf (wide, "-w%d or ", i);
    g_string_append (wide, "end");
    node = sd_search_parse (wide->str, &position, &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(GError) error = NULL;
    int position = -1;

    g_assert_null (sd_search_parse ("bad \xff text", &position, &error));
    g_assert_error (error, SD_SEARCH_ERROR, SD_SEARCH_ERROR_SYNTAX);
    g_assert_cmpint (position, ==, 1);
  }
}

/* Random bytes from the query alphabet never crash the parser, and whatever
 * it accepts compiles. */
static void
test_parse_fuzz (void)
{
  static const char *pieces[] = {
    "(", ")", "\"", "-", " ", "or", "and", "\\", ":", "deck:", "tag:", "is:due", "prop:",
    "ivl", ">", "=", "1", "*", "_", "é", "front:", "re:", "nc:", "rated:2:", "flag:",
  };
  GRand *rand = g_rand_new_with_seed (7);

  for (int i = 0; i < 20000; i++)
    {
      g_autoptr(GString) query = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SdSearchNode) node = NULL;
      int n = g_rand_int_range (rand, 0, 8);
      int position = 0;

      for (int j = 0; j < n; j++)
        g_string_append (query, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      node = sd_search_parse (query->str, &position, &error);
      if (node == NULL)
        {
          g_assert_nonnull (error);
          g_assert_cmpint (position, >=, 1);
          g_assert_cmpint (position, <=, (int) g_utf8_strlen (query->str, -1) + 1);
        }
      else
        {
          g_autofree char *text = sd_search_node_to_string (node);
          g_assert_no_error (error);
          g_assert_nonnull (text);
        }
    }
  g_rand_free (rand);
}

/* ---- the SQL ------------------------------------------------------------- */

typedef struct
{
  char         *dir;
  SdCollection *collection;
  GHashTable   *names;         /* card id -> label */
  GHashTable   *ids;           /* label -> card id */
  GHashTable   *notes;         /* label -> note id */
  gint64        today;
} Fixture;

static void
assert_sql (Fixture      *f,
            const char   *query,
            SdSearchMode  mode,
            const char   *sql,
            const char   *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSearchNode) node = sd_search_parse (query, NULL, &error);
  g_autoptr(SdSearchQuery) compiled = NULL;
  g_autoptr(GString) list = g_string_new (NULL);

  g_assert_no_error (error);
  compiled = sd_search_compile (f->collection, node, mode, 4, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= sd_search_query_get_n_params (compiled); i++)
    {
      g_autofree char *value = sd_search_query_describe_param (compiled, i);
      g_string_append_printf (list, "%s%s", i > 1 ? " " : "", value);
    }
  if ((sql != NULL && g_strcmp0 (sd_search_query_get_sql (compiled), sql) != 0)
      || (params != NULL && g_strcmp0 (list->str, params) != 0))
    g_error ("“%s” gave\n  %s\n  [%s]\nexpected\n  %s\n  [%s]", query,
             sd_search_query_get_sql (compiled), list->str, sql, params ? params : "…");
}

static void fixture_setup (Fixture *f, gconstpointer data);
static void fixture_teardown (Fixture *f, gconstpointer data);

#define CARDS "SELECT c.id FROM cards c WHERE "
#define CARDS_NOTES "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE "

static void
test_sql (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *today = g_strdup_printf ("%" G_GINT64_FORMAT, f->today);
  g_autofree char *due_params = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                                                 f->today, (gint64) (NOON_MS / 1000 + 1200));
  gint64 three_days_ago = (NOON_MS / 1000 - 8 * 3600 - 2 * DAY_S) * 1000;
  g_autofree char *rated = g_strdup_printf ("%" G_GINT64_FORMAT " 1", three_days_ago);

  assert_sql (f, "", SD_SEARCH_CARDS, CARDS "1", "");
  assert_sql (f, "flag:3", SD_SEARCH_CARDS, CARDS "(c.flags & 7) = ?1", "3");
  assert_sql (f, "dog", SD_SEARCH_CARDS,
              CARDS_NOTES "(n.sort_field LIKE ?1 ESCAPE '\\' OR n.fields LIKE ?1 ESCAPE '\\')",
              "'%dog%'");
  assert_sql (f, "d*g_", SD_SEARCH_CARDS,
              CARDS_NOTES "(n.sort_field LIKE ?1 ESCAPE '\\' OR n.fields LIKE ?1 ESCAPE '\\')",
              "'%d%g_%'");
  /* SQL wildcards typed by the user are literal; escaped globs too. */
  assert_sql (f, "100%", SD_SEARCH_CARDS,
              CARDS_NOTES "(n.sort_field LIKE ?1 ESCAPE '\\' OR n.fields LIKE ?1 ESCAPE '\\')",
              "'%100\\%%'");
  assert_sql (f, "a\\_b\\*c", SD_SEARCH_CARDS,
              CARDS_NOTES "(n.sort_field LIKE ?1 ESCAPE '\\' OR n.fields LIKE ?1 ESCAPE '\\')",
              "'%a\\_b*c%'");
  /* Beyond ASCII, the matcher that folds every script's case. */
  assert_sql (f, "école", SD_SEARCH_CARDS,
              CARDS_NOTES "(sd_search_like(?1, n.sort_field, 0)"
              " OR sd_search_like(?1, n.fields, 0))",
              "'%école%'");
  assert_sql (f, "nc:ecole", SD_SEARCH_CARDS,
              CARDS_NOTES "(sd_search_like(?1, n.sort_field, 1)"
              " OR sd_search_like(?1, n.fields, 1))",
              "'%ecole%'");
  assert_sql (f, "is:due", SD_SEARCH_CARDS,
              CARDS "(c.queue IN (1, 2, 3) AND ((c.queue IN (2, 3) AND c.due <= ?1)"
              " OR (c.queue = 1 AND c.due <= ?2)))",
              due_params);
  assert_sql (f, "is:new -is:suspended", SD_SEARCH_CARDS,
              CARDS "(c.type = 0 AND NOT (c.queue = -1))", "");
  assert_sql (f, "a or b c", SD_SEARCH_CARDS,
              CARDS_NOTES "((n.sort_field LIKE ?1 ESCAPE '\\' OR n.fields LIKE ?1 ESCAPE '\\')"
              " OR ((n.sort_field LIKE ?2 ESCAPE '\\' OR n.fields LIKE ?2 ESCAPE '\\')"
              " AND (n.sort_field LIKE ?3 ESCAPE '\\' OR n.fields LIKE ?3 ESCAPE '\\')))",
              "'%a%' '%b%' '%c%'");
  assert_sql (f, "prop:ivl>=10 prop:ease=2.5", SD_SEARCH_CARDS,
              CARDS "(c.interval >= ?1 AND c.ease = ?2)", "10 2500");
  assert_sql (f, "prop:d>0.5", SD_SEARCH_CARDS, CARDS "c.difficulty > ?1", "5.5");
  assert_sql (f, "rated:3:1", SD_SEARCH_CARDS,
              CARDS "c.id IN (SELECT card_id FROM revlog WHERE id >= ?1 AND rating = ?2)", rated);
  assert_sql (f, "cid:5,6", SD_SEARCH_CARDS, CARDS "c.id IN (?1, ?2)", "5 6");
  assert_sql (f, "nid:5", SD_SEARCH_CARDS, CARDS "c.note_id IN (?1)", "5");
  assert_sql (f, "deck:nothing", SD_SEARCH_CARDS, CARDS "0", "");
  assert_sql (f, "deck:*", SD_SEARCH_CARDS, CARDS "1", "");
  assert_sql (f, "tag:lang::fr", SD_SEARCH_CARDS,
              CARDS_NOTES "(n.tags LIKE ?1 ESCAPE '\\' OR n.tags LIKE ?2 ESCAPE '\\')",
              "'% lang::fr %' '% lang::fr::%'");
  assert_sql (f, "tag:a_b*", SD_SEARCH_CARDS, CARDS_NOTES "sd_search_tag(?1, n.tags)", "'a_b%'");
  assert_sql (f, "tag:none", SD_SEARCH_CARDS, CARDS_NOTES "n.tags = ''", "");
  assert_sql (f, "front:x*", SD_SEARCH_CARDS, NULL, NULL);

  /* Notes: from the notes alone when no card column is asked about. */
  assert_sql (f, "tag:x", SD_SEARCH_NOTES,
              "SELECT n.id FROM notes n WHERE (n.tags LIKE ?1 ESCAPE '\\' OR n.tags LIKE ?2"
              " ESCAPE '\\')", NULL);
  assert_sql (f, "nid:5", SD_SEARCH_NOTES, "SELECT n.id FROM notes n WHERE n.id IN (?1)", "5");
  assert_sql (f, "tag:x is:new", SD_SEARCH_NOTES,
              "SELECT DISTINCT c.note_id FROM cards c JOIN notes n ON n.id = c.note_id WHERE"
              " ((n.tags LIKE ?1 ESCAPE '\\' OR n.tags LIKE ?2 ESCAPE '\\') AND c.type = 0)", NULL);
  assert_sql (f, "is:new", SD_SEARCH_NOTES,
              "SELECT DISTINCT c.note_id FROM cards c WHERE c.type = 0", "");
}

/* Quotes, semicolons and SQL in a search are text to look for, nothing more. */
static void
test_sql_injection (Fixture       *f,
                    gconstpointer  data)
{
  static const char *queries[] = {
    "\"'; DROP TABLE cards; --\"",
    "deck:\"x') OR 1=1 --\"",
    "tag:\"x' OR '1'='1\"",
    "front:\"') OR 1 --\"",
    "note:\"Basic' OR 1 --\"",
    "\"card:x' OR 1 --\"",
    "re:\"x' OR 1 --\"",
  };
  gint64 before = sd_collection_scalar (f->collection, "SELECT count(*) FROM cards", -1);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdSearchQuery) query = sd_search_query_new (f->collection, queries[i],
                                                            SD_SEARCH_CARDS, &error);
      g_autoptr(GArray) ids = NULL;

      g_assert_no_error (error);
      g_assert_null (strstr (sd_search_query_get_sql (query), "DROP"));
      g_assert_null (strstr (sd_search_query_get_sql (query), "'1'"));
      g_assert_null (strstr (sd_search_query_get_sql (query), "OR 1"));
      ids = sd_search_cards (f->collection, queries[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ids->len, ==, 0);
    }
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM cards", -1),
                   ==, before);
}

/* ---- matching a small collection ----------------------------------------- */

static gint64
add_note (Fixture     *f,
          const char  *deck_name,
          SdStockKind  stock,
          const char  *front,
          const char  *back,
          const char  *tags,
          const char  *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (f->collection, stock, &error);
  const char *fields[] = { front, back, NULL };
  g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);
  g_autoptr(GPtrArray) cards = NULL;
  gint64 deck = sd_deck_ensure (f->collection, deck_name, &error);

  g_assert_no_error (error);
  g_strfreev (note->tags);
  note->tags = sd_note_split_tags (tags);
  g_assert_true (sd_note_insert (f->collection, note, &error));
  g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
  g_assert_no_error (error);
  g_hash_table_insert (f->notes, g_strdup (label), g_memdup2 (&note->id, sizeof note->id));

  cards = sd_card_list_for_note (f->collection, note->id, &error);
  for (guint i = 0; i < cards->len; i++)
    {
      SdCard *card = cards->pdata[i];
      char *name = cards->len == 1 ? g_strdup (label) : g_strdup_printf ("%s%u", label, i + 1);

      g_hash_table_insert (f->names, g_memdup2 (&card->id, sizeof card->id), name);
      g_hash_table_insert (f->ids, g_strdup (name), g_memdup2 (&card->id, sizeof card->id));
    }
  return note->id;
}

static gint64
card_id (Fixture    *f,
         const char *label)
{
  gint64 *id = g_hash_table_lookup (f->ids, label);

  g_assert_nonnull (id);
  return *id;
}

static gint64
note_id (Fixture    *f,
         const char *label)
{
  gint64 *id = g_hash_table_lookup (f->notes, label);

  g_assert_nonnull (id);
  return *id;
}

static void
set_card (Fixture    *f,
          const char *label,
          int         type,
          int         queue,
          gint64      due,
          int         interval,
          int         ease,
          int         reps,
          int         lapses)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCard) card = sd_card_load (f->collection, card_id (f, label), &error);

  g_assert_no_error (error);
  card->type = type;
  card->queue = queue;
  card->due = due;
  card->interval = interval;
  card->ease = ease;
  card->reps = reps;
  card->lapses = lapses;
  g_assert_true (sd_card_update (f->collection, card, &error));
  g_assert_no_error (error);
}

static void
update_card (Fixture    *f,
             const char *label,
             void      (*change) (SdCard *card))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCard) card = sd_card_load (f->collection, card_id (f, label), &error);

  change (card);
  g_assert_true (sd_card_update (f->collection, card, &error));
  g_assert_no_error (error);
}

static void
flag_orange (SdCard *card)
{
  card->flags = 2;
}

static void
give_memory (SdCard *card)
{
  card->stability = 2.5;
  card->difficulty = 6.4;
}

static void
add_review (Fixture    *f,
            const char *label,
            gint64      when_ms,
            int         rating)
{
  g_autoptr(GError) error = NULL;
  SdRevlogEntry entry = { 0 };

  entry.id = when_ms;
  entry.card_id = card_id (f, label);
  entry.rating = rating;
  entry.kind = rating == 0 ? SD_REVLOG_MANUAL : SD_REVLOG_REVIEW;
  entry.interval = 1;
  g_assert_true (sd_revlog_insert (f->collection, &entry, &error));
  g_assert_no_error (error);
}

/* The collection the matching tests search:
 *
 *   label    deck            note type            tags                 state
 *   chien    Lang::French    Basic                lang::fr animal      new
 *   hund     Lang::German    Basic                lang::de animal      review, due today
 *   katze    Lang::German    Basic                lang::de             review in 5 days, orange
 *   ecole    Lang::French    Basic                lang::fr             learning, due a minute ago
 *   two      Math            Basic                (none)               suspended review
 *   example  Math            Basic                Math::Algebra        buried new
 *   sun1/2   Language        Basic (and reversed) astro                review 2 days late / new
 *   paris1/2 Lang::French    Cloze                (none)               relearning today / new
 *
 * chien, hund and katze were added 10 days ago; the rest today. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sd_clock_set_fixed (NOON_MS - 10 * DAY_MS);
  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);
  f->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  f->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->today = sd_clock_day_number (NOON_MS / 1000, 4);

  add_note (f, "Lang::French", SD_STOCK_BASIC, "chien", "dog", "lang::fr animal", "chien");
  add_note (f, "Lang::German", SD_STOCK_BASIC, "Hund", "dog", "lang::de animal", "hund");
  add_note (f, "Lang::German", SD_STOCK_BASIC, "Katze", "cat", "lang::de", "katze");

  sd_clock_set_fixed (NOON_MS);
  add_note (f, "Lang::French", SD_STOCK_BASIC, "ÉCOLE", "school", "lang::fr", "ecole");
  add_note (f, "Math", SD_STOCK_BASIC, "two + two", "four", "", "two");
  add_note (f, "Math", SD_STOCK_BASIC, "<b>ex</b>ample", "x_y 100%", "Math::Algebra", "example");
  add_note (f, "Language", SD_STOCK_BASIC_AND_REVERSED, "sun", "soleil", "astro", "sun");
  {
    g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (f->collection, SD_STOCK_CLOZE, &error);
    const char *fields[] = { "{{c1::Paris}} is in {{c2::France}}", "", NULL };
    g_autoptr(SdNote) note = sd_note_new (cloze->id, fields);
    g_autoptr(GPtrArray) cards = NULL;
    gint64 deck = sd_deck_find (f->collection, "Lang::French");

    g_assert_true (sd_note_insert (f->collection, note, &error));
    g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
    g_assert_no_error (error);
    g_hash_table_insert (f->notes, g_strdup ("paris"), g_memdup2 (&note->id, sizeof note->id));
    cards = sd_card_list_for_note (f->collection, note->id, &error);
    g_assert_cmpuint (cards->len, ==, 2);
    for (guint i = 0; i < cards->len; i++)
      {
        SdCard *card = cards->pdata[i];
        char *name = g_strdup_printf ("paris%u", i + 1);

        g_hash_table_insert (f->names, g_memdup2 (&card->id, sizeof card->id), name);
        g_hash_table_insert (f->ids, g_strdup (name), g_memdup2 (&card->id, sizeof card->id));
      }
  }

  set_card (f, "hund", 2, 2, f->today, 10, 2500, 5, 1);
  set_card (f, "katze", 2, 2, f->today + 5, 30, 2300, 8, 4);
  update_card (f, "katze", flag_orange);
  set_card (f, "ecole", 1, 1, NOON_MS / 1000 - 60, 0, 0, 1, 0);
  update_card (f, "ecole", give_memory);
  set_card (f, "two", 2, -1, f->today - 3, 3, 2500, 3, 0);
  set_card (f, "example", 0, -3, 6, 0, 0, 0, 0);
  set_card (f, "sun1", 2, 2, f->today - 2, 4, 2600, 2, 0);
  set_card (f, "paris1", 3, 3, f->today, 1, 2100, 6, 2);

  add_review (f, "hund", NOON_MS - 3600 * 1000, 3);
  add_review (f, "katze", NOON_MS - 2 * DAY_MS, 1);
  add_review (f, "sun1", NOON_MS - 60 * 1000, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->collection);
  g_hash_table_unref (f->names);
  g_hash_table_unref (f->ids);
  g_hash_table_unref (f->notes);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
  sd_clock_reset ();
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The labels of the cards @query finds, sorted, space-separated. */
static char *
labels (Fixture    *f,
        GArray     *ids)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      const char *name = g_hash_table_lookup (f->names, &g_array_index (ids, gint64, i));
      g_assert_nonnull (name);
      g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
check (Fixture    *f,
       const char *query,
       const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = sd_search_cards (f->collection, query, &error);
  g_autofree char *found = NULL;

  g_assert_no_error (error);
  found = labels (f, ids);
  if (g_strcmp0 (found, expected) != 0)
    g_error ("“%s” found [%s], expected [%s]", query, found, expected);
}

#define ALL "chien ecole example hund katze paris1 paris2 sun1 sun2 two"

static void
test_match_text (Fixture       *f,
                 gconstpointer  data)
{
  check (f, "", ALL);
  check (f, "dog", "chien hund");
  check (f, "DOG", "chien hund");
  check (f, "dog cat", "");
  check (f, "\"two + two\"", "two");
  check (f, "\"two two\"", "");
  check (f, "d_g", "chien hund");
  check (f, "d*g", "chien hund");
  check (f, "s*l", "ecole sun1 sun2");
  /* Found through the sort field, which has no HTML. */
  check (f, "example", "example");
  check (f, "x_y", "example");
  check (f, "x\\_y", "example");
  check (f, "a\\_y", "");
  check (f, "100%", "example");
  check (f, "0%", "example");
  check (f, "1%0", "");
  /* Case folds beyond ASCII; accents count unless nc: is used. */
  check (f, "école", "ecole");
  check (f, "ecole", "");
  check (f, "nc:ecole", "ecole");
  check (f, "nc:ÉCOLE", "ecole");
  check (f, "ÉCO*", "ecole");
  check (f, "re:^chien", "chien");
  check (f, "re:H.ND", "hund");
  check (f, "re:^dog", "");
  check (f, "paris", "paris1 paris2");
}

static void
test_match_fields (Fixture       *f,
                   gconstpointer  data)
{
  check (f, "front:chien", "chien");
  check (f, "FRONT:CHIEN", "chien");
  check (f, "front:chie", "");
  check (f, "front:chie*", "chien");
  check (f, "front:*ie*", "chien");
  check (f, "back:dog", "chien hund");
  check (f, "back:_*", "chien ecole example hund katze sun1 sun2 two");
  check (f, "front:", "");
  check (f, "\"back extra:\"", "paris1 paris2");
  check (f, "front:*", "chien ecole example hund katze sun1 sun2 two");
  check (f, "f*:hund", "hund");
  check (f, "*:dog", "chien hund");
  check (f, "text:paris", "");
  check (f, "text:*paris*", "paris1 paris2");
  check (f, "front:école", "ecole");
  check (f, "front:nc:ecole", "ecole");
  check (f, "front:re:^h", "hund");
  check (f, "nosuchfield:x", "");
  check (f, "-front:chien", "ecole example hund katze paris1 paris2 sun1 sun2 two");
}

static void
test_match_decks_tags (Fixture       *f,
                       gconstpointer  data)
{
  check (f, "deck:Lang", "chien ecole hund katze paris1 paris2");
  check (f, "deck:lang", "chien ecole hund katze paris1 paris2");
  check (f, "deck:lang*", "chien ecole hund katze paris1 paris2 sun1 sun2");
  check (f, "deck:Lang::French", "chien ecole paris1 paris2");
  check (f, "deck:*::German", "hund katze");
  check (f, "deck:Lang -deck:Lang::*", "");
  check (f, "deck:Lan_uage", "sun1 sun2");
  check (f, "\"deck:Lang::French\" or deck:math", "chien ecole example paris1 paris2 two");
  check (f, "deck:nothing", "");
  check (f, "deck:*", ALL);
  check (f, "tag:lang", "chien ecole hund katze");
  check (f, "tag:lang::fr", "chien ecole");
  check (f, "tag:LANG::FR", "chien ecole");
  check (f, "tag:lang::*", "chien ecole hund katze");
  check (f, "tag:animal", "chien hund");
  check (f, "tag:ani*", "chien hund");
  check (f, "tag:anim", "");
  check (f, "tag:math", "example");
  check (f, "tag:algebra", "");
  check (f, "tag:*::algebra", "example");
  check (f, "tag:m*a", "example");
  check (f, "tag:none", "paris1 paris2 two");
  check (f, "-tag:none", "chien ecole example hund katze sun1 sun2");
  check (f, "tag:*", ALL);
  check (f, "note:Cloze", "paris1 paris2");
  check (f, "note:basic", "chien ecole example hund katze two");
  check (f, "note:basic*", "chien ecole example hund katze sun1 sun2 two");
  check (f, "\"note:Basic (and reversed card)\"", "sun1 sun2");
  check (f, "card:1", "chien ecole example hund katze paris1 sun1 two");
  check (f, "card:2", "paris2 sun2");
  check (f, "\"card:card 2\"", "sun2");
  check (f, "card:cloze", "paris1 paris2");
  check (f, "card:nothing", "");
}

/* A quoted term matches its text exactly: quotes, backslashes and
 * wildcards in a deck's name are no search syntax. */
static void
test_quote_term (Fixture       *f,
                 gconstpointer  data)
{
  const char *odd = "Odd \"Q\" a_b*c\\d";
  g_autofree char *term = sd_search_quote_term ("deck", odd);

  add_note (f, odd, SD_STOCK_BASIC, "odd", "x", "", "odd");
  add_note (f, "Odd \"Q\" aXbzzc\\d", SD_STOCK_BASIC, "lookalike", "x", "", "lookalike");
  g_assert_cmpstr (term, ==, "deck:\"Odd \\\"Q\\\" a\\_b\\*c\\\\d\"");
  check (f, term, "odd");
  g_free (term);
  term = sd_search_quote_term ("deck", "Lang::French");
  check (f, term, "chien ecole paris1 paris2");
}

static void
test_match_states (Fixture       *f,
                   gconstpointer  data)
{
  check (f, "is:new", "chien example paris2 sun2");
  check (f, "is:learn", "ecole paris1");
  check (f, "is:review", "hund katze paris1 sun1 two");
  check (f, "is:due", "ecole hund paris1 sun1");
  check (f, "is:suspended", "two");
  check (f, "is:buried", "example");
  check (f, "is:buried-manually", "example");
  check (f, "is:buried-sibling", "");
  check (f, "is:learn is:review", "paris1");
  check (f, "-is:learn is:review", "hund katze sun1 two");
  check (f, "flag:2", "katze");
  check (f, "flag:0", "chien ecole example hund paris1 paris2 sun1 sun2 two");
  check (f, "flag:1", "");
}

static void
test_match_props (Fixture       *f,
                  gconstpointer  data)
{
  check (f, "prop:ivl>=10", "hund katze");
  check (f, "prop:ivl>10", "katze");
  check (f, "prop:ivl=0", "chien ecole example paris2 sun2");
  check (f, "prop:due=0", "ecole hund paris1");
  check (f, "prop:due<=0", "ecole hund paris1 sun1");
  check (f, "prop:due=5", "katze");
  check (f, "prop:due>0", "katze");
  check (f, "prop:due=-2", "sun1");
  check (f, "prop:due!=0", "katze sun1");
  check (f, "prop:reps>5", "katze paris1");
  check (f, "prop:lapses>=1", "hund katze paris1");
  check (f, "prop:ease=2.5", "hund two");
  check (f, "prop:ease<2.5 prop:ease>0", "katze paris1");
  check (f, "prop:s>2", "ecole");
  check (f, "prop:d>0.5", "ecole");
  check (f, "prop:d<0.5", "");
  check (f, "-prop:s>2", "");
  check (f, "prop:pos<=2", "chien");
}

static void
test_match_days (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *nid = g_strdup_printf ("nid:%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT,
                                          note_id (f, "sun"), note_id (f, "chien"));
  g_autofree char *cid = g_strdup_printf ("cid:%" G_GINT64_FORMAT, card_id (f, "katze"));

  check (f, "rated:1", "hund");
  check (f, "rated:3", "hund katze");
  check (f, "rated:2", "hund");
  check (f, "rated:3:1", "katze");
  check (f, "rated:1:3", "hund");
  check (f, "rated:1:1", "");
  check (f, "added:1", "ecole example paris1 paris2 sun1 sun2 two");
  check (f, "added:10", "ecole example paris1 paris2 sun1 sun2 two");
  check (f, "added:11", ALL);
  check (f, "edited:1", "ecole example paris1 paris2 sun1 sun2 two");
  check (f, "-edited:1", "chien hund katze");
  check (f, nid, "chien sun1 sun2");
  check (f, cid, "katze");

  /* The day starts at the rollover hour: at 03:00 it is still yesterday. */
  sd_clock_set_fixed (NOON_MS + 15 * 3600 * 1000);
  check (f, "rated:1", "hund");
  check (f, "is:due", "ecole hund paris1 sun1");
  sd_clock_set_fixed (NOON_MS + 17 * 3600 * 1000);
  check (f, "rated:1", "");
  check (f, "rated:2", "hund");
  check (f, "is:due", "ecole hund paris1 sun1");
  check (f, "prop:due=-1", "ecole hund paris1");
  sd_clock_set_fixed (NOON_MS + 5 * DAY_MS);
  check (f, "is:due", "ecole hund katze paris1 sun1");
  check (f, "added:5", "");
  check (f, "added:6", "ecole example paris1 paris2 sun1 sun2 two");
}

static void
test_match_combined (Fixture       *f,
                     gconstpointer  data)
{
  check (f, "deck:Lang tag:animal is:due", "hund");
  check (f, "dog or cat", "chien hund katze");
  check (f, "dog OR cat -tag:lang::de", "chien hund");
  check (f, "(dog or cat) -tag:lang::de", "chien");
  check (f, "-deck:Lang", "example sun1 sun2 two");
  check (f, "(dog or cat) -is:new", "hund katze");
  check (f, "deck:lang* (is:new or is:due) -card:2", "chien ecole hund paris1 sun1");
  check (f, "-(is:new or is:review)", "ecole");
  check (f, "is:due or is:suspended or is:buried", "ecole example hund paris1 sun1 two");
  check (f, "tag:animal and -front:hund", "chien");
  check (f, "note:cloze card:2 or front:sun", "paris2 sun1 sun2");
}

/* A search far longer than anyone types either runs or says why not. */
static void
test_match_huge (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) query = g_string_new ("dog");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  for (int i = 0; i < 400; i++)
    g_string_append_printf (query, " or w%d", i);
  ids = sd_search_cards (f->collection, query->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_array_unref);

  for (int i = 0; i < 20000; i++)
    g_string_append_printf (query, " or w%d", i);
  ids = sd_search_cards (f->collection, query->str, &error);
  if (ids == NULL)
    g_assert_nonnull (error);
}

static void
test_match_notes (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = sd_search_notes (f->collection, "is:new", &error);
  g_autoptr(GArray) tagged = NULL;
  g_autoptr(GArray) all = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 4);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, note_id (f, "chien"));
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, note_id (f, "example"));
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, note_id (f, "sun"));
  g_assert_cmpint (g_array_index (ids, gint64, 3), ==, note_id (f, "paris"));

  tagged = sd_search_notes (f->collection, "tag:lang::de", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tagged->len, ==, 2);
  g_assert_cmpint (g_array_index (tagged, gint64, 0), ==, note_id (f, "hund"));

  all = sd_search_notes (f->collection, "", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 8);

  g_assert_null (sd_search_notes (f->collection, "is:nothing", &error));
  g_assert_error (error, SD_SEARCH_ERROR, SD_SEARCH_ERROR_INVALID);
}

static void
test_glob_match (void)
{
  g_assert_true (sd_search_glob_match ("lang*", "Language"));
  g_assert_true (sd_search_glob_match ("LANG", "lang"));
  g_assert_true (sd_search_glob_match ("d_g", "dog"));
  g_assert_false (sd_search_glob_match ("d_g", "dg"));
  g_assert_true (sd_search_glob_match ("d\\_g", "d_g"));
  g_assert_false (sd_search_glob_match ("d\\_g", "dog"));
  g_assert_true (sd_search_glob_match ("a\\*", "a*"));
  g_assert_false (sd_search_glob_match ("a\\*", "ab"));
  g_assert_true (sd_search_glob_match ("100%", "100%"));
  g_assert_false (sd_search_glob_match ("100%", "1000"));
  g_assert_true (sd_search_glob_match ("école", "ÉCOLE"));
  g_assert_true (sd_search_glob_match ("straße", "STRASSE"));
  g_assert_true (sd_search_glob_match ("*a*b*c*", "xxaxxbxxcxx"));
  g_assert_false (sd_search_glob_match ("*a*b*c*", "xxaxxcxxbxx"));
  g_assert_true (sd_search_glob_match ("", ""));
  g_assert_true (sd_search_glob_match ("*", ""));
  g_assert_false (sd_search_glob_match ("_", ""));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/search/parse/text", test_parse_text);
  g_test_add_func ("/studydeck/search/parse/boolean", test_parse_boolean);
  g_test_add_func ("/studydeck/search/parse/qualified", test_parse_qualified);
  g_test_add_func ("/studydeck/search/parse/errors", test_parse_errors);
  g_test_add_func ("/studydeck/search/parse/fuzz", test_parse_fuzz);
  g_test_add_func ("/studydeck/search/glob", test_glob_match);
  g_test_add ("/studydeck/search/sql/shape", Fixture, NULL, fixture_setup, test_sql,
              fixture_teardown);
  g_test_add ("/studydeck/search/sql/injection", Fixture, NULL, fixture_setup,
              test_sql_injection, fixture_teardown);
  g_test_add ("/studydeck/search/match/text", Fixture, NULL, fixture_setup, test_match_text,
              fixture_teardown);
  g_test_add ("/studydeck/search/match/fields", Fixture, NULL, fixture_setup, test_match_fields,
              fixture_teardown);
  g_test_add ("/studydeck/search/match/decks-tags", Fixture, NULL, fixture_setup,
              test_match_decks_tags, fixture_teardown);
  g_test_add ("/studydeck/search/match/quote-term", Fixture, NULL, fixture_setup, test_quote_term,
              fixture_teardown);
  g_test_add ("/studydeck/search/match/states", Fixture, NULL, fixture_setup, test_match_states,
              fixture_teardown);
  g_test_add ("/studydeck/search/match/props", Fixture, NULL, fixture_setup, test_match_props,
              fixture_teardown);
  g_test_add ("/studydeck/search/match/days", Fixture, NULL, fixture_setup, test_match_days,
              fixture_teardown);
  g_test_add ("/studydeck/search/match/combined", Fixture, NULL, fixture_setup,
              test_match_combined, fixture_teardown);
  g_test_add ("/studydeck/search/match/huge", Fixture, NULL, fixture_setup, test_match_huge,
              fixture_teardown);
  g_test_add ("/studydeck/search/match/notes", Fixture, NULL, fixture_setup, test_match_notes,
              fixture_teardown);

  return g_test_run ();
}
