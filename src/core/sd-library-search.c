/* sd-library-search.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Full-text search over the notes index: the typed query as FTS5 syntax,
 * ranking bounded to what a keystroke may take, and snippets. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-collection-private.h"
#include "sd-library.h"

void
sd_note_hit_free (SdNoteHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->path);
  g_free (hit->title);
  g_free (hit->heading);
  g_free (hit->snippet);
  g_free (hit);
}

static void
append_term (GString    *out,
             const char *term,
             gsize       len,
             gboolean    prefix)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (term[i] == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, term[i]);
    }
  g_string_append_c (out, '"');
  if (prefix)
    g_string_append_c (out, '*');
}

typedef struct
{
  const char *start;
  gsize       len;
} QueryTerm;

/* Cuts what the user typed into words and "exact phrases". Returns whether
 * the last term is a word still being typed (no space after it yet). */
static gboolean
split_query (const char *query,
             GArray     *terms)
{
  const char *p = query ? query : "";
  gboolean last_is_word = FALSE;

  while (*p != '\0')
    {
      QueryTerm term;
      const char *end;
      gboolean is_word;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      if (*p == '"')
        {
          term.start = p + 1;
          end = strchr (term.start, '"');
          if (end == NULL)
            end = term.start + strlen (term.start);
          p = *end ? end + 1 : end;
          is_word = FALSE;
        }
      else
        {
          term.start = p;
          while (*p != '\0' && !g_ascii_isspace (*p) && *p != '"')
            p++;
          end = p;
          is_word = TRUE;
        }

      if (end > term.start)
        {
          term.len = end - term.start;
          g_array_append_val (terms, term);
          last_is_word = is_word;
        }
      else
        last_is_word = FALSE;
    }

  return terms->len > 0 && last_is_word && query[strlen (query) - 1] != ' ';
}

/**
 * sd_library_fts_query:
 * @query: what the user typed: words, and "exact phrases" in quotes
 *
 * Turns typed text into an FTS5 query in which every word must match and
 * nothing the user types is read as FTS5 syntax. The last word matches as a
 * prefix, so results follow the typing.
 *
 * Returns: (transfer full) (nullable): the FTS5 query, or %NULL when there is
 *   nothing to search for
 */
char *
sd_library_fts_query (const char *query)
{
  g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (QueryTerm));
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean typing = split_query (query, terms);

  if (terms->len == 0)
    return NULL;

  for (guint i = 0; i < terms->len; i++)
    {
      QueryTerm *term = &g_array_index (terms, QueryTerm, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      append_term (out, term->start, term->len, typing && i == terms->len - 1);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A prefix costs FTS5 a merge of the lists of every word it starts, on
 * each statement that matches it: a short one (the "no" of "notes") can
 * start most words of the notes. So the word being typed matches as a
 * prefix in the text once it has this many bytes (bytes, not characters:
 * two ideographs start far fewer words than two letters)... */
#define PREFIX_MIN_BODY 4
/* ...and before that, from this many, in titles and headings only, where the
 * lists are short; shorter still, it matches as a whole word. */
#define PREFIX_MIN_HEADS 3

/* The query sd_library_search() runs: that of sd_library_fts_query(), with
 * the word being typed matched as the lengths above allow. */
static char *
search_query (const char *query,
              GArray     *terms,
              gboolean    typing)
{
  g_autoptr(GString) out = g_string_new (NULL);
  QueryTerm *last;

  if (terms->len == 0)
    return NULL;
  last = &g_array_index (terms, QueryTerm, terms->len - 1);
  if (!typing || last->len >= PREFIX_MIN_BODY)
    return sd_library_fts_query (query);

  /* FTS5 takes a parenthesised group only after an explicit AND. */
  for (guint i = 0; i + 1 < terms->len; i++)
    {
      QueryTerm *term = &g_array_index (terms, QueryTerm, i);

      append_term (out, term->start, term->len, FALSE);
      g_string_append (out, " AND ");
    }
  if (last->len < PREFIX_MIN_HEADS)
    {
      append_term (out, last->start, last->len, FALSE);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  g_string_append_c (out, '(');
  append_term (out, last->start, last->len, FALSE);
  g_string_append (out, " OR {title heading} : ");
  append_term (out, last->start, last->len, TRUE);
  g_string_append_c (out, ')');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Ranking touches every section it is asked to rank, and bm25 costs about a
 * microsecond a section: a word in most of 60,000 sections takes tens of
 * milliseconds, more than a keystroke may. Past this many matches, the
 * sections whose title or heading matches come first, then the newest
 * matches; below it, every match is ranked. */
#define RANK_MAX 2000

/* Our own bm25, the one FTS5 documents (k1 = 1.2, b = 0.75) with the
 * columns weighed 10 (title), 4 (heading) and 1 (text), but for one thing:
 * a query of a single phrase skips the phrase's inverse document frequency.
 * That factor scales every score alike, so the order is bm25's, and finding
 * it costs FTS5 a pass over every match (for a prefix, a merge of the lists
 * of every word it starts) on each search. */
#define RANK_K1 1.2
#define RANK_B 0.75

static const double rank_weights[] = { 10.0, 4.0, 1.0 };

typedef struct
{
  int     n_phrases;
  double  avgdl;
  double *idf;
  double *freq;   /* per phrase, for the row being ranked */
} RankData;

static void
rank_data_free (gpointer data)
{
  RankData *rank = data;

  g_free (rank->idf);
  g_free (rank->freq);
  g_free (rank);
}

static int
count_match (const Fts5ExtensionApi *api,
             Fts5Context            *fts,
             void                   *user_data)
{
  (*(sqlite3_int64 *) user_data)++;
  return SQLITE_OK;
}

static RankData *
rank_data_new (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               int                     *rc)
{
  RankData *rank = g_new0 (RankData, 1);
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;

  rank->n_phrases = api->xPhraseCount (fts);
  rank->idf = g_new (double, rank->n_phrases);
  rank->freq = g_new (double, rank->n_phrases);

  *rc = api->xRowCount (fts, &rows);
  if (*rc == SQLITE_OK)
    *rc = api->xColumnTotalSize (fts, -1, &tokens);
  rows = MAX (rows, 1);
  rank->avgdl = (double) tokens / rows;

  for (int i = 0; i < rank->n_phrases && *rc == SQLITE_OK; i++)
    {
      sqlite3_int64 matches = 0;
      double idf;

      rank->idf[i] = 1.0;
      if (rank->n_phrases == 1)
        break;
      *rc = api->xQueryPhrase (fts, i, &matches, count_match);
      /* A phrase in more than half the rows would weigh less than nothing. */
      idf = log ((rows - matches + 0.5) / (matches + 0.5));
      rank->idf[i] = idf > 0 ? idf : 1e-6;
    }
  return rank;
}

static void
rank_function (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               sqlite3_context         *context,
               int                      n_values,
               sqlite3_value          **values)
{
  RankData *rank = api->xGetAuxdata (fts, 0);
  int rc = SQLITE_OK;
  int n_inst = 0;
  int n_tokens = 0;
  double length_norm;
  double score = 0;

  if (rank == NULL)
    {
      rank = rank_data_new (api, fts, &rc);
      if (rc == SQLITE_OK)
        rc = api->xSetAuxdata (fts, rank, rank_data_free);
      else
        rank_data_free (rank);
      if (rc != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
    }

  memset (rank->freq, 0, sizeof (double) * rank->n_phrases);
  rc = api->xInstCount (fts, &n_inst);
  for (int i = 0; i < n_inst && rc == SQLITE_OK; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK)
        rank->freq[phrase] += column < (int) G_N_ELEMENTS (rank_weights)
                              ? rank_weights[column] : 1.0;
    }
  if (rc == SQLITE_OK)
    rc = api->xColumnSize (fts, -1, &n_tokens);
  if (rc != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  length_norm = RANK_K1 * (1 - RANK_B + RANK_B * n_tokens / rank->avgdl);
  for (int i = 0; i < rank->n_phrases; i++)
    score += rank->idf[i] * (rank->freq[i] * (RANK_K1 + 1)) / (rank->freq[i] + length_norm);

  /* Lower is better, as with bm25 (). */
  sqlite3_result_double (context, -score);
}

/* FTS5 functions belong to a connection: each collection registers ours on
 * its first search and keeps the FTS5 interface, which lives as long as the
 * connection. */
static fts5_api *
search_api (SdCollection  *collection,
            GError       **error)
{
  sqlite3 *db = sd_collection_get_db (collection);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  fts5_api *fts5 = g_object_get_data (G_OBJECT (collection), "sd-library-fts5");

  if (fts5 != NULL)
    return fts5;

  if (sqlite3_prepare_v2 (db, "SELECT fts5 (?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  sqlite3_bind_pointer (stmt, 1, &fts5, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  if (fts5 == NULL || fts5->iVersion < 2
      || fts5->xCreateFunction (fts5, "sd_rank", NULL, rank_function, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_SQL,
                   _("Collection “%s”: full-text search is not available"),
                   sd_collection_get_path (collection));
      return NULL;
    }

  g_object_set_data (G_OBJECT (collection), "sd-library-fts5", fts5);
  return fts5;
}

typedef struct
{
  gint64 id;
  double score;
} RankedHit;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const RankedHit *x = a;
  const RankedHit *y = b;

  if (x->score != y->score)
    return x->score < y->score ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

/* The newest @max sections matching @fts (highest rowid: sections of the
 * notes indexed last), best first. Ranking runs on the full-text table
 * alone; the joins and snippets are done for the few shown. */
static GArray *
rank_newest (SdCollection  *collection,
             const char    *fts,
             guint          max,
             GError       **error)
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (RankedHit));
  sqlite3_stmt *stmt;
  int rc;

  stmt = sd_collection_prepare (collection,
                                "SELECT rowid, sd_rank (note_fts) FROM note_fts"
                                " WHERE note_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RankedHit hit = { sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1) };

      g_array_append_val (ranked, hit);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  g_array_sort (ranked, compare_ranked);
  return g_steal_pointer (&ranked);
}

/* For a query with too many matches to rank: the sections whose title or
 * heading matches, best first, then the newest matches. The second tier's
 * scores move up behind the first's, so that rank still only grows down
 * the list. */
static GArray *
rank_broad (SdCollection  *collection,
            const char    *fts,
            GArray        *newest,
            GError       **error)
{
  g_autofree char *heads_fts = g_strdup_printf ("{title heading} : (%s)", fts);
  g_autoptr(GArray) heads = rank_newest (collection, heads_fts, RANK_MAX, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  double floor = -G_MAXDOUBLE;
  double shift = 0;
  guint first = 0;

  if (heads == NULL)
    return NULL;

  for (guint i = 0; i < heads->len; i++)
    {
      RankedHit *hit = &g_array_index (heads, RankedHit, i);

      g_hash_table_add (seen, &hit->id);
      floor = MAX (floor, hit->score);
    }
  while (first < newest->len
         && g_hash_table_contains (seen, &g_array_index (newest, RankedHit, first).id))
    first++;
  if (heads->len > 0 && first < newest->len)
    shift = MAX (0, floor - g_array_index (newest, RankedHit, first).score);

  for (guint i = first; i < newest->len; i++)
    {
      RankedHit hit = g_array_index (newest, RankedHit, i);

      if (g_hash_table_contains (seen, &hit.id))
        continue;
      hit.score += shift;
      g_array_append_val (heads, hit);
    }
  return g_steal_pointer (&heads);
}

/* Snippets are made here rather than by FTS5's snippet (), which needs the
 * query matched once more: for a prefix that is another merge of the lists
 * of every word it starts, and a walk over every match to reach the few
 * shown. The text is cut into words by the same tokenizer as the index. */

/* How many words a snippet shows. */
#define SNIPPET_WORDS 12

typedef struct
{
  fts5_tokenizer  tokenizer;
  Fts5Tokenizer  *instance;
} Tokenizer;

static void
tokenizer_free (Tokenizer *tokenizer)
{
  if (tokenizer->instance != NULL)
    tokenizer->tokenizer.xDelete (tokenizer->instance);
  g_free (tokenizer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tokenizer, tokenizer_free)

static Tokenizer *
tokenizer_new (fts5_api  *fts5,
               GError   **error)
{
  /* As note_fts was created with (schema version 2). */
  const char *args[] = { "remove_diacritics", "2" };
  g_autoptr(Tokenizer) tokenizer = g_new0 (Tokenizer, 1);
  void *user_data = NULL;

  if (fts5->xFindTokenizer (fts5, "unicode61", &user_data, &tokenizer->tokenizer) != SQLITE_OK
      || tokenizer->tokenizer.xCreate (user_data, args, G_N_ELEMENTS (args),
                                       &tokenizer->instance) != SQLITE_OK)
    {
      tokenizer->instance = NULL;
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_SQL,
                           _("The full-text tokenizer is not available"));
      return NULL;
    }
  return g_steal_pointer (&tokenizer);
}

/* Words as the tokenizer gives them: folded, and where they are. */
typedef struct
{
  GArray  *starts;   /* int, byte offsets in the text */
  GArray  *ends;
  GArray  *folded;   /* gsize, offsets in text */
  GString *text;     /* the folded words, each ending in a NUL */
} Words;

static void
words_init (Words *words)
{
  words->starts = g_array_new (FALSE, FALSE, sizeof (int));
  words->ends = g_array_new (FALSE, FALSE, sizeof (int));
  words->folded = g_array_new (FALSE, FALSE, sizeof (gsize));
  words->text = g_string_new (NULL);
}

static void
words_clear (Words *words)
{
  g_array_unref (words->starts);
  g_array_unref (words->ends);
  g_array_unref (words->folded);
  g_string_free (words->text, TRUE);
}

static int
add_word (void       *user_data,
          int         flags,
          const char *token,
          int         n_token,
          int         start,
          int         end)
{
  Words *words = user_data;
  gsize offset = words->text->len;

  /* A synonym stands at the place of the word before it. */
  if (flags & FTS5_TOKEN_COLOCATED)
    return SQLITE_OK;
  g_array_append_val (words->starts, start);
  g_array_append_val (words->ends, end);
  g_array_append_val (words->folded, offset);
  g_string_append_len (words->text, token, n_token);
  g_string_append_c (words->text, '\0');
  return SQLITE_OK;
}

static const char *
word_at (Words *words,
         guint  i)
{
  return words->text->str + g_array_index (words->folded, gsize, i);
}

static gboolean
tokenize (Tokenizer  *tokenizer,
          int         flags,
          const char *text,
          gsize       len,
          Words      *words)
{
  return tokenizer->tokenizer.xTokenize (tokenizer->instance, words, flags, text, (int) len,
                                         add_word) == SQLITE_OK;
}

/* A phrase of the query as it matches the text of a section. */
typedef struct
{
  Words    words;
  gboolean prefix;   /* its last word matches as a prefix */
} SnippetPhrase;

static void
snippet_phrase_free (SnippetPhrase *phrase)
{
  words_clear (&phrase->words);
  g_free (phrase);
}

/* The phrases of @terms as search_query () matches them in the text. */
static GPtrArray *
snippet_phrases (Tokenizer *tokenizer,
                 GArray    *terms,
                 gboolean   typing)
{
  GPtrArray *phrases = g_ptr_array_new_with_free_func ((GDestroyNotify) snippet_phrase_free);

  for (guint i = 0; i < terms->len; i++)
    {
      QueryTerm *term = &g_array_index (terms, QueryTerm, i);
      SnippetPhrase *phrase = g_new0 (SnippetPhrase, 1);
      int flags = FTS5_TOKENIZE_QUERY;

      phrase->prefix = typing && i == terms->len - 1 && term->len >= PREFIX_MIN_BODY;
      if (phrase->prefix)
        flags |= FTS5_TOKENIZE_PREFIX;
      words_init (&phrase->words);
      if (!tokenize (tokenizer, flags, term->start, term->len, &phrase->words)
          || phrase->words.starts->len == 0)
        {
          snippet_phrase_free (phrase);
          continue;
        }
      g_ptr_array_add (phrases, phrase);
    }
  return phrases;
}

static gboolean
phrase_matches_at (SnippetPhrase *phrase,
                   Words         *words,
                   guint          at)
{
  guint n = phrase->words.starts->len;

  if (at + n > words->starts->len)
    return FALSE;
  for (guint k = 0; k < n; k++)
    {
      const char *want = word_at (&phrase->words, k);
      const char *have = word_at (words, at + k);

      if (phrase->prefix && k == n - 1 ? !g_str_has_prefix (have, want) : strcmp (have, want) != 0)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  guint first;   /* words */
  guint last;
  guint phrase;
} Match;

/* How good a snippet starting at @start is: the phrases it shows whole,
 * then how many matches. */
static guint
window_score (GArray *matches,
              guint   start,
              guint   n_phrases)
{
  g_autofree gboolean *shown = g_new0 (gboolean, n_phrases);
  guint distinct = 0;
  guint count = 0;

  for (guint i = 0; i < matches->len; i++)
    {
      Match *m = &g_array_index (matches, Match, i);

      if (m->first < start || m->last >= start + SNIPPET_WORDS)
        continue;
      count++;
      if (!shown[m->phrase])
        {
          shown[m->phrase] = TRUE;
          distinct++;
        }
    }
  return distinct * 10000 + count;
}

/* About SNIPPET_WORDS words of @text around its best matches, the matches
 * between SD_LIBRARY_MATCH_START and _END, with an ellipsis where text is
 * left out. A section that matched only by its title or heading shows its
 * first words. */
static char *
make_snippet (Tokenizer  *tokenizer,
              GPtrArray  *phrases,
              const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (Match));
  gsize len = strlen (text);
  Words words;
  guint n_words;
  guint start = 0;
  guint end;
  guint best = 0;
  gsize pos;

  words_init (&words);
  if (!tokenize (tokenizer, FTS5_TOKENIZE_DOCUMENT, text, len, &words))
    {
      words_clear (&words);
      return g_strdup ("");
    }
  n_words = words.starts->len;
  if (n_words == 0)
    {
      words_clear (&words);
      return g_strdup ("");
    }

  for (guint i = 0; i < n_words; i++)
    for (guint p = 0; p < phrases->len; p++)
      {
        SnippetPhrase *phrase = g_ptr_array_index (phrases, p);

        if (phrase_matches_at (phrase, &words, i))
          {
            Match m = { i, i + phrase->words.starts->len - 1, p };
            g_array_append_val (matches, m);
          }
      }

  /* Try a snippet starting at each match; the best one is then moved to
   * have its matches in the middle. */
  if (n_words > SNIPPET_WORDS)
    for (guint i = 0; i < matches->len; i++)
      {
        Match *m = &g_array_index (matches, Match, i);
        guint score = window_score (matches, m->first, phrases->len);

        if (score > best)
          {
            best = score;
            start = m->first;
          }
      }
  if (best > 0)
    {
      guint first = G_MAXUINT;
      guint last = 0;

      for (guint i = 0; i < matches->len; i++)
        {
          Match *m = &g_array_index (matches, Match, i);

          if (m->first >= start && m->last < start + SNIPPET_WORDS)
            {
              first = MIN (first, m->first);
              last = MAX (last, m->last);
            }
        }
      start = first - MIN (first, (SNIPPET_WORDS - (last - first + 1)) / 2);
    }
  start = MIN (start, n_words > SNIPPET_WORDS ? n_words - SNIPPET_WORDS : 0);
  end = MIN (start + SNIPPET_WORDS, n_words) - 1;

  /* The text of the words shown, from the start of the text when they are
   * its first and to its end when they are its last. */
  if (start > 0)
    g_string_append (out, "…");
  pos = start > 0 ? (gsize) g_array_index (words.starts, int, start) : 0;
  for (guint i = 0; i < matches->len; i++)
    {
      Match m = g_array_index (matches, Match, i);

      /* Overlapping matches are marked as one. */
      while (i + 1 < matches->len && g_array_index (matches, Match, i + 1).first <= m.last)
        m.last = MAX (m.last, g_array_index (matches, Match, ++i).last);
      if (m.last < start || m.first > end)
        continue;
      m.first = MAX (m.first, start);
      m.last = MIN (m.last, end);
      g_string_append_len (out, text + pos, g_array_index (words.starts, int, m.first) - pos);
      g_string_append (out, SD_LIBRARY_MATCH_START);
      g_string_append_len (out, text + g_array_index (words.starts, int, m.first),
                           g_array_index (words.ends, int, m.last)
                           - g_array_index (words.starts, int, m.first));
      g_string_append (out, SD_LIBRARY_MATCH_END);
      pos = g_array_index (words.ends, int, m.last);
    }
  if (end == n_words - 1)
    g_string_append_len (out, text + pos, len - pos);
  else
    {
      g_string_append_len (out, text + pos, g_array_index (words.ends, int, end) - pos);
      g_string_append (out, "…");
    }

  words_clear (&words);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * sd_library_search:
 * @limit: the most results to return
 *
 * Full-text search over note titles, headings and text. A hit is a section
 * of a note, best first: title matches weigh most, then headings. The word
 * still being typed matches as a prefix once it has four bytes (four ASCII
 * letters), in titles and headings from three. A query that matches more
 * sections than can be ranked at typing speed lists those whose title or
 * heading matches first, then the newest matches.
 *
 * Returns: (transfer full) (element-type SdNoteHit): the hits
 */
GPtrArray *
sd_library_search (SdCollection  *collection,
                   const char    *query,
                   guint          limit,
                   GError       **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_note_hit_free);
  g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (QueryTerm));
  gboolean typing = split_query (query, terms);
  g_autofree char *fts = search_query (query, terms, typing);
  g_autoptr(GArray) ranked = NULL;
  g_autoptr(GHashTable) order = NULL;
  g_autoptr(GString) ids = NULL;
  g_autoptr(Tokenizer) tokenizer = NULL;
  g_autoptr(GPtrArray) phrases = NULL;
  fts5_api *fts5;
  sqlite3_stmt *stmt;
  int rc;

  if (fts == NULL || limit == 0)
    return g_steal_pointer (&hits);
  fts5 = search_api (collection, error);
  if (fts5 == NULL)
    return NULL;

  ranked = rank_newest (collection, fts, RANK_MAX, error);
  if (ranked == NULL)
    return NULL;
  if (ranked->len >= RANK_MAX)
    {
      GArray *broad = rank_broad (collection, fts, ranked, error);

      if (broad == NULL)
        return NULL;
      g_array_unref (ranked);
      ranked = broad;
    }
  if (ranked->len > limit)
    g_array_set_size (ranked, limit);
  if (ranked->len == 0)
    return g_steal_pointer (&hits);

  tokenizer = tokenizer_new (fts5, error);
  if (tokenizer == NULL)
    return NULL;
  phrases = snippet_phrases (tokenizer, terms, typing);

  order = g_hash_table_new (g_int64_hash, g_int64_equal);
  ids = g_string_new ("[");
  g_ptr_array_set_size (hits, ranked->len);
  for (guint i = 0; i < ranked->len; i++)
    {
      RankedHit *hit = &g_array_index (ranked, RankedHit, i);

      g_hash_table_insert (order, &hit->id, GUINT_TO_POINTER (i + 1));
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "", hit->id);
    }
  g_string_append_c (ids, ']');

  stmt = sd_collection_prepare (collection,
                                "SELECT s.id, s.file_id, d.path, f.relpath, f.title, s.heading,"
                                " s.line, t.body"
                                " FROM note_sections s JOIN note_files f ON f.id = s.file_id"
                                " JOIN note_folders d ON d.id = f.folder_id"
                                " JOIN note_fts t ON t.rowid = s.id"
                                " WHERE s.id IN (SELECT value FROM json_each (?))",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ids->str, ids->len, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (order, &id));
      const char *body = (const char *) sqlite3_column_text (stmt, 7);
      SdNoteHit *hit;

      if (index == 0 || g_ptr_array_index (hits, index - 1) != NULL)
        continue;
      hit = g_new0 (SdNoteHit, 1);
      hit->file_id = sqlite3_column_int64 (stmt, 1);
      hit->path = g_build_filename ((const char *) sqlite3_column_text (stmt, 2),
                                    (const char *) sqlite3_column_text (stmt, 3), NULL);
      hit->title = sd_column_dup (stmt, 4);
      hit->heading = sd_column_dup (stmt, 5);
      hit->line = sqlite3_column_int (stmt, 6);
      hit->snippet = make_snippet (tokenizer, phrases, body ? body : "");
      g_strdelimit (hit->snippet, "\n\t", ' ');
      hit->rank = g_array_index (ranked, RankedHit, index - 1).score;
      g_ptr_array_index (hits, index - 1) = hit;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }

  /* A section whose note went away since it was ranked is no hit. */
  for (guint i = hits->len; i > 0; i--)
    if (g_ptr_array_index (hits, i - 1) == NULL)
      g_ptr_array_remove_index (hits, i - 1);

  return g_steal_pointer (&hits);
}
