/* sd-search.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anki's search language over the collection: a parser into a small tree,
 * and a writer from the tree into SQL.
 *
 * Terms, separated by spaces, all of which must match (an implicit "and");
 * "or" (any case) between terms binds looser than "and"; "-" in front of a
 * term or a parenthesised group negates it:
 *
 *   dog  "a dog"  d_g  d*g      text in any field (case-insensitive), "_" one
 *                               character and "*" any run of them
 *   nc:uber                     the same, ignoring accents (combining marks)
 *   re:d.g                      a regular expression over the fields
 *   front:dog  front:*dog*      a whole field (exact unless wildcards);
 *   front:  front:_*  fr*:x     an empty field, a non-empty one, field names
 *   front:re:x  front:nc:x      with wildcards; regex and accent-free forms
 *   deck:Lang  deck:Lang::Fr    a deck and its subdecks, wildcards allowed
 *   deck:"My deck"  "deck:My deck"
 *   tag:lang                    a tag or its children (lang::fr); wildcards;
 *   tag:none                    notes without tags
 *   note:Basic                  a note type (wildcards)
 *   card:2  card:Forward        a card template by number or name
 *   is:new|learn|review|due|suspended|buried|buried-manually|buried-sibling
 *   flag:0..7
 *   prop:ivl>=10  prop:due=1  prop:reps<3  prop:lapses>3  prop:ease!=2.5
 *   prop:pos<=100  prop:s>30  prop:d>0.5   (=, !=, <, >, <=, >=)
 *   rated:7  rated:7:1          answered in the last N days (with a rating)
 *   added:7  edited:7           card created, note edited in the last N days
 *   nid:1,2  cid:3  did:4  mid:5
 *
 * Escapes as in Anki: \" \* \_ \\ \: \( \) \-.  Nothing the user typed is
 * pasted into SQL: text goes in bound parameters, and so do the numbers and
 * the id lists resolved from deck, note type and template names. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-scheduler.h"
#include "sd-search.h"

G_DEFINE_QUARK (sd-search-error-quark, sd_search_error)

typedef enum
{
  SN_ALL,
  SN_AND,
  SN_OR,
  SN_NOT,
  SN_TEXT,
  SN_REGEX,
  SN_FIELD,
  SN_DECK,
  SN_DECK_IDS,
  SN_TAG,
  SN_NOTETYPE,
  SN_NOTETYPE_ID,
  SN_TEMPLATE_ORD,
  SN_TEMPLATE_NAME,
  SN_STATE,
  SN_FLAG,
  SN_PROP,
  SN_RATED,
  SN_ADDED,
  SN_EDITED,
  SN_NOTE_IDS,
  SN_CARD_IDS,
} NodeKind;

typedef enum
{
  STATE_NEW,
  STATE_LEARN,
  STATE_REVIEW,
  STATE_DUE,
  STATE_SUSPENDED,
  STATE_BURIED,
  STATE_BURIED_MANUALLY,
  STATE_BURIED_SIBLING,
} StateKind;

static const char * const state_names[] = {
  "new", "learn", "review", "due", "suspended", "buried", "buried-manually", "buried-sibling",
};

typedef enum
{
  PROP_IVL,
  PROP_DUE,
  PROP_REPS,
  PROP_LAPSES,
  PROP_EASE,
  PROP_POS,
  PROP_STABILITY,
  PROP_DIFFICULTY,
} PropKind;

/* Longer names first, so "due" is not read as "d". */
static const struct
{
  const char *name;
  PropKind    kind;
  gboolean    integer;
  gboolean    may_be_negative;
} props[] = {
  { "ivl", PROP_IVL, TRUE, FALSE },
  { "due", PROP_DUE, TRUE, TRUE },
  { "reps", PROP_REPS, TRUE, FALSE },
  { "lapses", PROP_LAPSES, TRUE, FALSE },
  { "ease", PROP_EASE, FALSE, FALSE },
  { "pos", PROP_POS, TRUE, FALSE },
  { "s", PROP_STABILITY, FALSE, FALSE },
  { "d", PROP_DIFFICULTY, FALSE, FALSE },
};

typedef enum
{
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_GT,
  OP_LE,
  OP_GE,
} CompareOp;

/* Two-character operators first. */
static const struct
{
  const char *text;
  CompareOp   op;
} operators[] = {
  { "<=", OP_LE }, { ">=", OP_GE }, { "!=", OP_NE }, { "=", OP_EQ }, { "<", OP_LT }, { ">", OP_GT },
};

static const char * const op_sql[] = { "=", "!=", "<", ">", "<=", ">=" };

/* Matching flags shared by the SQL functions. */
#define MATCH_NO_COMBINING 1

struct _SdSearchNode
{
  NodeKind   kind;
  int        position;       /* 1-based character of the term in the query */
  GPtrArray *children;       /* AND, OR, NOT */
  char      *name;           /* FIELD: the field name, a glob */
  char      *text;           /* the value: a glob (escapes kept), or a regex */
  int        number;         /* STATE, FLAG, TEMPLATE_ORD, PROP kind, days */
  int        number2;        /* RATED: the rating or 0; PROP: the operator */
  double     value;          /* PROP */
  guint      match_flags;    /* TEXT, FIELD: MATCH_NO_COMBINING */
  gboolean   regex;          /* FIELD: text is a regular expression */
  GArray    *ids;            /* NOTE_IDS, CARD_IDS, DECK_IDS, NOTETYPE_ID */
};

void
sd_search_node_free (SdSearchNode *node)
{
  if (node == NULL)
    return;
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node->name);
  g_free (node->text);
  g_clear_pointer (&node->ids, g_array_unref);
  g_free (node);
}

static SdSearchNode *
node_new (NodeKind kind,
          int      position)
{
  SdSearchNode *node = g_new0 (SdSearchNode, 1);

  node->kind = kind;
  node->position = position;
  return node;
}

/* ---- text, globs and matching ------------------------------------------ */

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* A glob keeps Anki's escapes \\ \* \_ ; "*" and "_" unescaped are wildcards. */
static gboolean
glob_is_wild (const char *glob)
{
  for (const char *p = glob; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '*' || *p == '_')
        return TRUE;
    }
  return FALSE;
}

/* The glob as a LIKE pattern with "\" as the escape character. */
static char *
glob_to_like (const char *glob)
{
  GString *out = g_string_sized_new (strlen (glob) + 2);

  for (const char *p = glob; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          if (*p == '*')
            g_string_append_c (out, '*');
          else
            {
              g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
        }
      else if (*p == '*')
        g_string_append_c (out, '%');
      else if (*p == '%')
        g_string_append (out, "\\%");
      else if (*p == '\\')
        g_string_append (out, "\\\\");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The glob's literal text, for a LIKE pattern that must match it as is. */
static char *
glob_to_literal_like (const char *glob)
{
  GString *out = g_string_sized_new (strlen (glob) + 2);

  for (const char *p = glob; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_mark (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Case-folded (and, with MATCH_NO_COMBINING, accent-free) code points. */
static gunichar *
fold_text (const char *text,
           gssize      len,
           guint       flags,
           glong      *n_chars)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;
  gunichar *chars;

  if (!g_utf8_validate_len (text, len < 0 ? strlen (text) : (gsize) len, NULL))
    text = valid = g_utf8_make_valid (text, len), len = -1;
  folded = g_utf8_casefold (text, len);

  if (flags & MATCH_NO_COMBINING)
    {
      g_autofree char *nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
      glong n = 0, kept = 0;

      chars = g_utf8_to_ucs4_fast (nfd ? nfd : folded, -1, &n);
      for (glong i = 0; i < n; i++)
        if (!is_mark (chars[i]))
          chars[kept++] = chars[i];
      chars[kept] = 0;
      *n_chars = kept;
      return chars;
    }

  return g_utf8_to_ucs4_fast (folded, -1, n_chars);
}

/* fold_text() without allocating for the common case, text in ASCII that
 * fits @buf; *owned is set when it did not, to free. */
#define FOLD_BUF 1024

static const gunichar *
fold_fast (const char *text,
           int         len,
           guint       flags,
           gunichar   *buf,
           glong      *n_chars,
           gunichar  **owned)
{
  *owned = NULL;
  if (len <= FOLD_BUF)
    {
      int i;

      for (i = 0; i < len && (guchar) text[i] < 0x80; i++)
        buf[i] = g_ascii_tolower (text[i]);
      if (i == len)
        {
          *n_chars = len;
          return buf;
        }
    }
  *owned = fold_text (text, len, flags, n_chars);
  return *owned;
}

/* LIKE semantics over code points: "%" any run, "_" one character, "\" makes
 * the next character literal. Backtracks only to the last "%", which is
 * enough for patterns without other repetition. */
static gboolean
like_match (const gunichar *pattern,
            glong           n_pattern,
            const gunichar *text,
            glong           n_text)
{
  glong pi = 0, ti = 0, star_pi = -1, star_ti = 0;

  while (ti < n_text)
    {
      if (pi < n_pattern)
        {
          gunichar pc = pattern[pi];

          if (pc == '%')
            {
              star_pi = ++pi;
              star_ti = ti;
              continue;
            }
          if (pc == '_')
            {
              pi++;
              ti++;
              continue;
            }
          if (pc == '\\' && pi + 1 < n_pattern)
            {
              if (pattern[pi + 1] == text[ti])
                {
                  pi += 2;
                  ti++;
                  continue;
                }
            }
          else if (pc == text[ti])
            {
              pi++;
              ti++;
              continue;
            }
        }
      if (star_pi < 0)
        return FALSE;
      pi = star_pi;
      ti = ++star_ti;
    }

  while (pi < n_pattern && pattern[pi] == '%')
    pi++;
  return pi == n_pattern;
}

/**
 * sd_search_glob_match:
 * @glob: a name pattern as the search language writes it ("lang*", "d_g")
 *
 * Returns: whether @glob matches the whole of @text, case-insensitively
 */
gboolean
sd_search_glob_match (const char *glob,
                      const char *text)
{
  g_autofree char *like = glob_to_like (glob);
  g_autofree gunichar *p = NULL;
  g_autofree gunichar *t = NULL;
  glong np, nt;

  p = fold_text (like, -1, 0, &np);
  t = fold_text (text, -1, 0, &nt);
  return like_match (p, np, t, nt);
}

/* ---- SQL functions ----------------------------------------------------- */

/* The text of a value, folded; the text first, then its length, as SQLite
 * asks. */
static gunichar *
fold_value (sqlite3_value *value,
            guint          flags,
            glong         *n_chars)
{
  const char *text = (const char *) sqlite3_value_text (value);

  return fold_text (text ? text : "", text ? sqlite3_value_bytes (value) : 0, flags, n_chars);
}

static const gunichar *
fold_value_fast (sqlite3_value  *value,
                 guint           flags,
                 gunichar       *buf,
                 glong          *n_chars,
                 gunichar      **owned)
{
  const char *text = (const char *) sqlite3_value_text (value);

  return fold_fast (text ? text : "", text ? sqlite3_value_bytes (value) : 0, flags, buf,
                    n_chars, owned);
}

typedef struct
{
  gunichar *chars;
  glong     n;
} FoldedPattern;

static void
folded_pattern_free (gpointer data)
{
  FoldedPattern *pattern = data;

  g_free (pattern->chars);
  g_free (pattern);
}

static FoldedPattern *
get_pattern (sqlite3_context *ctx,
             sqlite3_value   *value,
             guint            flags)
{
  FoldedPattern *pattern = sqlite3_get_auxdata (ctx, 0);

  if (pattern != NULL)
    return pattern;
  pattern = g_new0 (FoldedPattern, 1);
  pattern->chars = fold_value (value, flags, &pattern->n);
  sqlite3_set_auxdata (ctx, 0, pattern, folded_pattern_free);
  /* SQLite may free it at once; ask again. */
  return sqlite3_get_auxdata (ctx, 0);
}

/* sd_search_like (pattern, text, flags): LIKE, case-insensitive beyond ASCII. */
static void
sql_like (sqlite3_context  *ctx,
          int               argc,
          sqlite3_value   **argv)
{
  guint flags = sqlite3_value_int (argv[2]);
  g_autofree gunichar *own = NULL;
  g_autofree gunichar *owned = NULL;
  gunichar buf[FOLD_BUF];
  const gunichar *text;
  FoldedPattern *pattern;
  glong n_own = 0, n_text;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL || sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  pattern = get_pattern (ctx, argv[0], flags);
  if (pattern == NULL)
    {
      own = fold_value (argv[0], flags, &n_own);
    }
  text = fold_value_fast (argv[1], flags, buf, &n_text, &owned);
  sqlite3_result_int (ctx, pattern ? like_match (pattern->chars, pattern->n, text, n_text)
                                   : like_match (own, n_own, text, n_text));
}

/* sd_search_field (fields, ord): one field of a note's joined fields. */
static void
sql_field (sqlite3_context  *ctx,
           int               argc,
           sqlite3_value   **argv)
{
  const char *fields = (const char *) sqlite3_value_text (argv[0]);
  int n = sqlite3_value_bytes (argv[0]);
  int ord = sqlite3_value_int (argv[1]);
  const char *start = fields, *end;

  if (fields == NULL || ord < 0)
    {
      sqlite3_result_null (ctx);
      return;
    }
  for (int i = 0; i < ord; i++)
    {
      start = memchr (start, 0x1f, n - (start - fields));
      if (start == NULL)
        {
          sqlite3_result_null (ctx);
          return;
        }
      start++;
    }
  end = memchr (start, 0x1f, n - (start - fields));
  if (end == NULL)
    end = fields + n;
  sqlite3_result_text (ctx, start, end - start, SQLITE_TRANSIENT);
}

/* sd_search_tag (pattern, tags): whether a tag of " a b::c " is the pattern
 * or one of its children. */
static void
sql_tag (sqlite3_context  *ctx,
         int               argc,
         sqlite3_value   **argv)
{
  g_autofree gunichar *owned = NULL;
  gunichar buf[FOLD_BUF];
  const gunichar *tags;
  FoldedPattern *pattern;
  g_autofree gunichar *own = NULL;
  const gunichar *p;
  glong n_tags, n_p;
  gboolean found = FALSE;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL || sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  pattern = get_pattern (ctx, argv[0], 0);
  if (pattern != NULL)
    p = pattern->chars, n_p = pattern->n;
  else
    p = own = fold_value (argv[0], 0, &n_p);
  tags = fold_value_fast (argv[1], 0, buf, &n_tags, &owned);

  for (glong i = 0; i < n_tags && !found;)
    {
      glong start, end;

      while (i < n_tags && g_unichar_isspace (tags[i]))
        i++;
      start = i;
      while (i < n_tags && !g_unichar_isspace (tags[i]))
        i++;
      end = i;
      if (end == start)
        break;
      /* The whole tag, or a parent part of it ending before "::". */
      for (glong k = start; k <= end && !found; k++)
        if (k == end || (k + 1 < end && tags[k] == ':' && tags[k + 1] == ':'))
          found = like_match (p, n_p, tags + start, k - start);
    }
  sqlite3_result_int (ctx, found);
}

/* sd_search_regexp (regex, text): case-insensitive regular expression. */
static void
sql_regexp (sqlite3_context  *ctx,
            int               argc,
            sqlite3_value   **argv)
{
  GRegex *regex;
  const char *text;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL || sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  regex = sqlite3_get_auxdata (ctx, 0);
  if (regex == NULL)
    {
      g_autoptr(GError) error = NULL;

      regex = g_regex_new ((const char *) sqlite3_value_text (argv[0]),
                           G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);
      if (regex == NULL)
        {
          sqlite3_result_error (ctx, error->message, -1);
          return;
        }
      sqlite3_set_auxdata (ctx, 0, regex, (void (*) (void *)) g_regex_unref);
      regex = sqlite3_get_auxdata (ctx, 0);
    }
  text = (const char *) sqlite3_value_text (argv[1]);
  if (regex == NULL)
    {
      g_autoptr(GRegex) once = g_regex_new ((const char *) sqlite3_value_text (argv[0]),
                                            G_REGEX_CASELESS, 0, NULL);
      sqlite3_result_int (ctx, once != NULL && g_utf8_validate (text, -1, NULL)
                               && g_regex_match (once, text, 0, NULL));
      return;
    }
  sqlite3_result_int (ctx, g_utf8_validate (text, -1, NULL)
                           && g_regex_match (regex, text, 0, NULL));
}

/**
 * sd_search_register_functions:
 *
 * Adds the SQL functions search queries use to the collection's
 * connection; once per connection.
 */
gboolean
sd_search_register_functions (SdCollection  *collection,
                              GError       **error)
{
  static GQuark quark;
  sqlite3 *db = sd_collection_get_db (collection);
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  static const struct
  {
    const char *name;
    int         n_args;
    void      (*func) (sqlite3_context *, int, sqlite3_value **);
  } functions[] = {
    { "sd_search_like", 3, sql_like },
    { "sd_search_field", 2, sql_field },
    { "sd_search_tag", 2, sql_tag },
    { "sd_search_regexp", 2, sql_regexp },
  };

  if (quark == 0)
    quark = g_quark_from_static_string ("sd-search-functions");
  if (g_object_get_qdata (G_OBJECT (collection), quark) != NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (sqlite3_create_function (db, functions[i].name, functions[i].n_args, flags, NULL,
                                 functions[i].func, NULL, NULL) != SQLITE_OK)
      return sd_collection_set_error (collection, error);

  g_object_set_qdata (G_OBJECT (collection), quark, GINT_TO_POINTER (1));
  return TRUE;
}

/* ---- the parser -------------------------------------------------------- */

/* Deeper nesting than any search needs, and shallow enough for the stack
 * and for SQLite's expression depth limit. */
#define MAX_DEPTH 100

typedef struct
{
  const char  *query;
  const char  *p;
  GError     **error;
  int          error_position;
  int          depth;
  const char  *mark;        /* a place whose position is known, so counting */
  int          mark_position;  /* characters goes on from there */
} Parser;

/* The 1-based character position of @at. Terms are met left to right, so
 * counting from the last place asked for keeps a long search linear. */
static int
position_of (Parser     *parser,
             const char *at)
{
  if (parser->mark == NULL || at < parser->mark)
    {
      parser->mark = parser->query;
      parser->mark_position = 1;
    }
  parser->mark_position += (int) g_utf8_pointer_to_offset (parser->mark, at);
  parser->mark = at;
  return parser->mark_position;
}

static gpointer
fail (Parser     *parser,
      int         position,
      int         code,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

static gpointer
fail (Parser     *parser,
      int         position,
      int         code,
      const char *format,
      ...)
{
  va_list args;

  if (parser->error_position == 0)
    parser->error_position = position;
  if (parser->error != NULL && *parser->error == NULL)
    {
      va_start (args, format);
      *parser->error = g_error_new_valist (SD_SEARCH_ERROR, code, format, args);
      va_end (args);
    }
  return NULL;
}

static gboolean
at_space (const char *p)
{
  return *p != '\0' && g_unichar_isspace (g_utf8_get_char (p));
}

static void
skip_space (Parser *parser)
{
  while (at_space (parser->p))
    parser->p = g_utf8_next_char (parser->p);
}

/* One search term as written, before its key and value are read. */
typedef struct
{
  const char *start;
  char       *raw;          /* without outer quotes; the key too when partial */
  char       *value;        /* partial: the quoted value */
  gboolean    quoted;
  gboolean    partial;      /* key:"value" */
} Term;

static void
term_clear (Term *term)
{
  g_free (term->raw);
  g_free (term->value);
}

/* The first ":" that no backslash escapes, or NULL. */
static const char *
find_colon (const char *text,
            const char *end)
{
  for (const char *p = text; p < end && *p; p++)
    {
      if (*p == '\\' && p + 1 < end)
        p++;
      else if (*p == ':')
        return p;
    }
  return NULL;
}

/* Text between double quotes; escapes stay for unescape(). */
static char *
read_quoted (Parser *parser)
{
  const char *open = parser->p;
  const char *p = open + 1;

  while (*p != '\0' && *p != '"')
    {
      if (*p == '\\')
        {
          if (p[1] == '\0')
            break;
          p++;
        }
      p = g_utf8_next_char (p);
    }
  if (*p != '"')
    return fail (parser, position_of (parser, open), SD_SEARCH_ERROR_SYNTAX,
                 _("Unclosed quote at position %d: the “\"” has no closing “\"”"),
                 position_of (parser, open));
  if (p == open + 1)
    return fail (parser, position_of (parser, open), SD_SEARCH_ERROR_SYNTAX,
                 _("Empty quotes at position %d: put the text to search between them"),
                 position_of (parser, open));
  parser->p = p + 1;
  return g_strndup (open + 1, p - open - 1);
}

static gboolean
read_term (Parser *parser,
           Term   *term)
{
  const char *start = parser->p;
  const char *p = start;

  memset (term, 0, sizeof *term);
  term->start = start;

  if (*p == '"')
    {
      term->quoted = TRUE;
      term->raw = read_quoted (parser);
      return term->raw != NULL;
    }

  while (*p != '\0')
    {
      if (*p == '\\')
        {
          if (p[1] == '\0')
            {
              fail (parser, position_of (parser, p), SD_SEARCH_ERROR_SYNTAX,
                    _("The search ends in a lone “\\” at position %d; write “\\\\” to search "
                      "for a backslash"),
                    position_of (parser, p));
              return FALSE;
            }
          p = g_utf8_next_char (p + 1);
          continue;
        }
      if (at_space (p) || *p == '(' || *p == ')')
        break;
      if (*p == '"')
        {
          /* key:"quoted value" */
          if (p > start && p[-1] == ':' && find_colon (start, p) == p - 1)
            {
              term->raw = g_strndup (start, p - start - 1);
              parser->p = p;
              term->value = read_quoted (parser);
              term->partial = TRUE;
              return term->value != NULL;
            }
          break;
        }
      p = g_utf8_next_char (p);
    }

  term->raw = g_strndup (start, p - start);
  parser->p = p;
  return TRUE;
}

/* Anki's escapes: \" \: \( \) \- become the character; \\ \* \_ stay, as
 * the glob needs them; anything else after a backslash is an error. */
static char *
unescape (Parser     *parser,
          const Term *term,
          const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case '\\':
        case '*':
        case '_':
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
          break;
        case '"':
        case ':':
        case '(':
        case ')':
        case '-':
          g_string_append_c (out, *p);
          break;
        default:
          {
            g_autofree char *seq = g_strndup (p - 1, g_utf8_next_char (p) - (p - 1));
            g_string_free (out, TRUE);
            return fail (parser, position_of (parser, term->start), SD_SEARCH_ERROR_SYNTAX,
                         _("Unknown escape “%s” in the term at position %d; a backslash can "
                           "only come before \\ \" * _ : ( ) or -"),
                         seq, position_of (parser, term->start));
          }
        }
    }
  return g_string_free (out, FALSE);
}

/* For regular expressions: only \" means something to the parser. */
static char *
unescape_quotes (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p++)
    {
      if (*p == '\\' && p[1] == '"')
        p++;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_uint (const char *text,
            gint64      max,
            gint64     *out)
{
  guint64 value;

  if (text[0] < '0' || text[0] > '9')
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, (guint64) max, &value, NULL))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

static gboolean
parse_int (const char *text,
           gint64     *out)
{
  const char *digits = text[0] == '-' || text[0] == '+' ? text + 1 : text;

  if (digits[0] < '0' || digits[0] > '9')
    return FALSE;
  return g_ascii_string_to_signed (text, 10, -1000000, 1000000, out, NULL);
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;
  double value;

  if (text[0] == '\0' || g_ascii_isspace (text[0]))
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

static GArray *
parse_id_list (const char *text)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!parse_uint (parts[i], G_MAXINT64, &id))
        return NULL;
      g_array_append_val (ids, id);
    }
  return ids->len > 0 ? g_steal_pointer (&ids) : NULL;
}

static SdSearchNode *
parse_prop (Parser     *parser,
            const Term *term,
            const char *value,
            int         position)
{
  g_autoptr(SdSearchNode) node = node_new (SN_PROP, position);
  const char *rest = NULL;
  guint which = G_N_ELEMENTS (props);
  gint64 integer;

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    if (g_ascii_strncasecmp (value, props[i].name, strlen (props[i].name)) == 0)
      {
        which = i;
        rest = value + strlen (props[i].name);
        break;
      }
  if (which == G_N_ELEMENTS (props))
    return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                 _("Unknown property in “prop:%s” at position %d; expected ivl, due, reps, "
                   "lapses, ease, pos, s or d"),
                 value, position);

  node->number = props[which].kind;
  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    if (g_str_has_prefix (rest, operators[i].text))
      {
        node->number2 = operators[i].op;
        rest += strlen (operators[i].text);
        goto have_operator;
      }
  /* A property name followed by more letters is another, unknown, name. */
  if (g_ascii_isalpha (*rest))
    return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                 _("Unknown property in “prop:%s” at position %d; expected ivl, due, reps, "
                   "lapses, ease, pos, s or d"),
                 value, position);
  return fail (parser, position, SD_SEARCH_ERROR_INVALID,
               _("Missing comparison in “prop:%s” at position %d; expected one of "
                 "= != < > <= >= after “%s”"),
               value, position, props[which].name);

have_operator:
  if (props[which].integer)
    {
      gboolean ok = props[which].may_be_negative ? parse_int (rest, &integer)
                                                 : parse_uint (rest, G_MAXINT, &integer);
      if (!ok)
        return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                     props[which].may_be_negative
                       ? _("Invalid number “%s” in “prop:%s” at position %d; expected a whole "
                           "number of days")
                       : _("Invalid number “%s” in “prop:%s” at position %d; expected a whole "
                           "number, 0 or more"),
                     rest, value, position);
      node->value = (double) integer;
    }
  else if (!parse_number (rest, &node->value) || node->value < 0)
    return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                 _("Invalid number “%s” in “prop:%s” at position %d; expected a number such as "
                   "2.5"),
                 rest, value, position);
  return g_steal_pointer (&node);
}

static SdSearchNode *
parse_days (Parser     *parser,
            NodeKind    kind,
            const char *key,
            const char *value,
            int         position)
{
  SdSearchNode *node;
  gint64 days;

  if (!parse_uint (value, G_MAXINT, &days))
    return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                 _("Invalid number of days “%s” in “%s:%s” at position %d; expected a whole "
                   "number such as 7"),
                 value, key, value, position);
  node = node_new (kind, position);
  node->number = (int) CLAMP (days, 1, 36500);
  return node;
}

static SdSearchNode *
parse_rated (Parser     *parser,
             const char *value,
             int         position)
{
  g_auto(GStrv) parts = g_strsplit (value, ":", 2);
  g_autoptr(SdSearchNode) node = parse_days (parser, SN_RATED, "rated", parts[0], position);
  gint64 rating;

  if (node == NULL)
    return NULL;
  if (parts[1] != NULL)
    {
      if (!parse_uint (parts[1], 4, &rating) || rating < 1)
        return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                     _("Invalid rating “%s” in “rated:%s” at position %d; expected 1 (again), "
                       "2 (hard), 3 (good) or 4 (easy)"),
                     parts[1], value, position);
      node->number2 = (int) rating;
    }
  return g_steal_pointer (&node);
}

static SdSearchNode *
term_node (Parser     *parser,
           const Term *term)
{
  g_autofree char *key_raw = NULL;
  g_autofree char *value_raw = NULL;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  g_autoptr(SdSearchNode) node = NULL;
  int position = position_of (parser, term->start);
  const char *colon;

  if (term->partial)
    {
      key_raw = g_strdup (term->raw);
      value_raw = g_strdup (term->value);
    }
  else
    {
      colon = find_colon (term->raw, term->raw + strlen (term->raw));
      if (colon == NULL)
        {
          node = node_new (SN_TEXT, position);
          node->text = unescape (parser, term, term->raw);
          return node->text ? g_steal_pointer (&node) : NULL;
        }
      key_raw = g_strndup (term->raw, colon - term->raw);
      value_raw = g_strdup (colon + 1);
    }

  if (key_raw[0] == '\0')
    return fail (parser, position, SD_SEARCH_ERROR_SYNTAX,
                 _("Nothing before the “:” of the term at position %d; write a field name "
                   "or a keyword such as deck: or tag:, or “\\:” to search for a colon"),
                 position);

  key = g_ascii_strdown (key_raw, -1);

  if (g_str_equal (key, "re"))
    {
      g_autoptr(GRegex) check = NULL;
      g_autoptr(GError) regex_error = NULL;

      node = node_new (SN_REGEX, position);
      node->text = unescape_quotes (value_raw);
      check = g_regex_new (node->text, G_REGEX_CASELESS, 0, &regex_error);
      if (check == NULL)
        return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                     _("Invalid regular expression in the term at position %d: %s"),
                     position, regex_error->message);
      return g_steal_pointer (&node);
    }

  if (g_str_equal (key, "is"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
        if (g_ascii_strcasecmp (value_raw, state_names[i]) == 0)
          {
            node = node_new (SN_STATE, position);
            node->number = i;
            return g_steal_pointer (&node);
          }
      return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                   _("Unknown card state “is:%s” at position %d; expected new, learn, review, "
                     "due, suspended, buried, buried-manually or buried-sibling"),
                   value_raw, position);
    }

  if (g_str_equal (key, "flag"))
    {
      gint64 flag;

      if (!parse_uint (value_raw, 7, &flag))
        return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                     _("Invalid flag “flag:%s” at position %d; expected a number from 0 (no "
                       "flag) to 7"),
                     value_raw, position);
      node = node_new (SN_FLAG, position);
      node->number = (int) flag;
      return g_steal_pointer (&node);
    }

  if (g_str_equal (key, "prop"))
    return parse_prop (parser, term, value_raw, position);
  if (g_str_equal (key, "added"))
    return parse_days (parser, SN_ADDED, "added", value_raw, position);
  if (g_str_equal (key, "edited"))
    return parse_days (parser, SN_EDITED, "edited", value_raw, position);
  if (g_str_equal (key, "rated"))
    return parse_rated (parser, value_raw, position);

  if (g_str_equal (key, "nid") || g_str_equal (key, "cid") || g_str_equal (key, "did")
      || g_str_equal (key, "mid"))
    {
      g_autoptr(GArray) ids = parse_id_list (value_raw);

      if (ids == NULL || (g_str_equal (key, "mid") && ids->len != 1))
        return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                     g_str_equal (key, "mid")
                       ? _("Invalid id in “%s:%s” at position %d; expected a number")
                       : _("Invalid id list in “%s:%s” at position %d; expected numbers "
                           "separated by commas"),
                     key, value_raw, position);
      node = node_new (g_str_equal (key, "nid") ? SN_NOTE_IDS
                       : g_str_equal (key, "cid") ? SN_CARD_IDS
                       : g_str_equal (key, "did") ? SN_DECK_IDS
                       : SN_NOTETYPE_ID,
                       position);
      node->ids = g_steal_pointer (&ids);
      return g_steal_pointer (&node);
    }

  if (g_str_equal (key, "w") || g_str_equal (key, "dupe") || g_str_equal (key, "introduced")
      || g_str_equal (key, "resched") || g_str_equal (key, "has-cd") || g_str_equal (key, "preset")
      || g_str_equal (key, "sc"))
    return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                 _("Searches with “%s:” (at position %d) are not supported"),
                 key_raw, position);

  if (g_str_equal (key, "tag") && (g_str_has_prefix (value_raw, "re:")
                                   || g_str_has_prefix (value_raw, "nc:")))
    return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                 _("Searches with “tag:%.3s” (at position %d) are not supported"),
                 value_raw, position);

  if (g_str_equal (key, "card"))
    {
      gint64 number;

      if (parse_uint (value_raw, G_MAXINT, &number))
        {
          node = node_new (SN_TEMPLATE_ORD, position);
          node->number = (int) MAX (number, 1) - 1;
          return g_steal_pointer (&node);
        }
      node = node_new (SN_TEMPLATE_NAME, position);
    }
  else if (g_str_equal (key, "deck"))
    node = node_new (SN_DECK, position);
  else if (g_str_equal (key, "tag"))
    node = node_new (SN_TAG, position);
  else if (g_str_equal (key, "note"))
    node = node_new (SN_NOTETYPE, position);
  else if (g_str_equal (key, "nc"))
    {
      node = node_new (SN_TEXT, position);
      node->match_flags = MATCH_NO_COMBINING;
    }
  else
    {
      node = node_new (SN_FIELD, position);
      node->name = unescape (parser, term, key_raw);
      if (node->name == NULL)
        return NULL;
      if (g_str_has_prefix (value_raw, "re:"))
        {
          g_autoptr(GRegex) check = NULL;
          g_autoptr(GError) regex_error = NULL;

          node->regex = TRUE;
          node->text = unescape_quotes (value_raw + 3);
          check = g_regex_new (node->text, G_REGEX_CASELESS, 0, &regex_error);
          if (check == NULL)
            return fail (parser, position, SD_SEARCH_ERROR_INVALID,
                         _("Invalid regular expression in the term at position %d: %s"),
                         position, regex_error->message);
          return g_steal_pointer (&node);
        }
      if (g_str_has_prefix (value_raw, "nc:"))
        {
          node->match_flags = MATCH_NO_COMBINING;
          node->text = unescape (parser, term, value_raw + 3);
          return node->text ? g_steal_pointer (&node) : NULL;
        }
    }

  node->text = unescape (parser, term, value_raw);
  return node->text ? g_steal_pointer (&node) : NULL;
}

/* A run of terms joined by "and", or of such runs joined by "or", as one
 * node: flat, so "a b c" is one "and" of three. */
static SdSearchNode *
combine (NodeKind   kind,
         GPtrArray *nodes)
{
  SdSearchNode *node;

  if (nodes->len == 1)
    return g_ptr_array_steal_index (nodes, 0);

  node = node_new (kind, ((SdSearchNode *) nodes->pdata[0])->position);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_search_node_free);
  for (guint i = 0; i < nodes->len; i++)
    {
      SdSearchNode *child = nodes->pdata[i];

      if (child->kind == kind)
        {
          for (guint j = 0; j < child->children->len; j++)
            g_ptr_array_add (node->children, g_ptr_array_steal_index (child->children, j--));
          sd_search_node_free (child);
        }
      else
        g_ptr_array_add (node->children, child);
      nodes->pdata[i] = NULL;
    }
  g_ptr_array_set_size (nodes, 0);
  return node;
}

static SdSearchNode *parse_sequence (Parser *parser, gboolean *empty);

static SdSearchNode *
parse_group (Parser *parser)
{
  const char *open = parser->p;
  SdSearchNode *inner;
  gboolean empty = FALSE;

  if (++parser->depth > MAX_DEPTH)
    return fail (parser, position_of (parser, open), SD_SEARCH_ERROR_SYNTAX,
                 _("Too many nested parentheses at position %d: at most %d levels"),
                 position_of (parser, open), MAX_DEPTH);
  parser->p++;
  inner = parse_sequence (parser, &empty);
  parser->depth--;
  if (inner == NULL && !empty)
    return NULL;
  if (*parser->p != ')')
    {
      sd_search_node_free (inner);
      return fail (parser, position_of (parser, open), SD_SEARCH_ERROR_SYNTAX,
                   _("Unclosed parenthesis at position %d: the “(” has no matching “)”"),
                   position_of (parser, open));
    }
  if (empty)
    return fail (parser, position_of (parser, open), SD_SEARCH_ERROR_SYNTAX,
                 _("Empty parentheses at position %d: put a search between them"),
                 position_of (parser, open));
  parser->p++;
  return inner;
}

static SdSearchNode *
parse_negation (Parser *parser)
{
  const char *minus = parser->p;
  SdSearchNode *child;
  SdSearchNode *node;
  Term term;

  parser->p++;
  if (*parser->p == '\0' || at_space (parser->p) || *parser->p == ')')
    return fail (parser, position_of (parser, minus), SD_SEARCH_ERROR_SYNTAX,
                 _("Nothing to negate after the “-” at position %d; write “\\-” to search "
                   "for a hyphen"),
                 position_of (parser, minus));

  if (*parser->p == '(')
    child = parse_group (parser);
  else
    {
      if (!read_term (parser, &term))
        {
          term_clear (&term);
          return NULL;
        }
      child = term_node (parser, &term);
      term_clear (&term);
    }
  if (child == NULL)
    return NULL;

  node = node_new (SN_NOT, position_of (parser, minus));
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_search_node_free);
  g_ptr_array_add (node->children, child);
  return node;
}

/* Terms up to the end or an unmatched ")": "a b or c" is (a and b) or c. */
static SdSearchNode *
parse_sequence (Parser   *parser,
                gboolean *empty)
{
  g_autoptr(GPtrArray) alternatives = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  const char *pending_or = NULL;
  const char *pending_and = NULL;

  alternatives = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_search_node_free);
  terms = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_search_node_free);
  *empty = FALSE;
  for (;;)
    {
      SdSearchNode *node = NULL;

      skip_space (parser);
      if (*parser->p == '\0' || *parser->p == ')')
        break;

      if (*parser->p == '(')
        node = parse_group (parser);
      else if (*parser->p == '-')
        node = parse_negation (parser);
      else
        {
          Term term;
          gboolean ok = read_term (parser, &term);
          gboolean bare = ok && !term.quoted && !term.partial;

          if (ok && bare && g_ascii_strcasecmp (term.raw, "or") == 0)
            {
              const char *start = term.start;
              int at = position_of (parser, start);

              term_clear (&term);
              if (pending_and != NULL)
                return fail (parser, at, SD_SEARCH_ERROR_SYNTAX,
                             _("“or” at position %d follows “and” with no search term "
                               "between them"),
                             at);
              if (terms->len == 0)
                return fail (parser, at, SD_SEARCH_ERROR_SYNTAX,
                             _("“or” at position %d has no search term before it"), at);
              g_ptr_array_add (alternatives, combine (SN_AND, terms));
              pending_or = start;
              continue;
            }
          if (ok && bare && g_ascii_strcasecmp (term.raw, "and") == 0)
            {
              const char *start = term.start;
              int at = position_of (parser, start);

              term_clear (&term);
              if (terms->len == 0 || pending_and != NULL)
                return fail (parser, at, SD_SEARCH_ERROR_SYNTAX,
                             _("“and” at position %d has no search term before it"), at);
              pending_and = start;
              continue;
            }
          if (ok)
            node = term_node (parser, &term);
          term_clear (&term);
        }

      if (node == NULL)
        return NULL;
      g_ptr_array_add (terms, node);
      pending_or = pending_and = NULL;
    }

  if (pending_and != NULL)
    return fail (parser, position_of (parser, pending_and), SD_SEARCH_ERROR_SYNTAX,
                 _("“and” at position %d has no search term after it"),
                 position_of (parser, pending_and));
  if (pending_or != NULL)
    return fail (parser, position_of (parser, pending_or), SD_SEARCH_ERROR_SYNTAX,
                 _("“or” at position %d has no search term after it"),
                 position_of (parser, pending_or));

  if (terms->len == 0 && alternatives->len == 0)
    {
      *empty = TRUE;
      return NULL;
    }
  if (terms->len > 0)
    g_ptr_array_add (alternatives, combine (SN_AND, terms));
  return combine (SN_OR, alternatives);
}

/**
 * sd_search_parse:
 * @query: a search in Anki's syntax; "" matches everything
 * @error_position: (out) (optional): on a malformed @query, the 1-based
 *   character position of the problem (also named in the message), else 0
 *
 * Returns: (transfer full): the search as a tree, or %NULL with @error set
 */
SdSearchNode *
sd_search_parse (const char  *query,
                 int         *error_position,
                 GError     **error)
{
  Parser parser = { query, query, error, 0, 0, NULL, 0 };
  SdSearchNode *node;
  gboolean empty = FALSE;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_position != NULL)
    *error_position = 0;

  if (!g_utf8_validate (query, -1, NULL))
    {
      g_set_error (error, SD_SEARCH_ERROR, SD_SEARCH_ERROR_SYNTAX,
                   _("The search is not valid UTF-8 text"));
      if (error_position != NULL)
        *error_position = 1;
      return NULL;
    }

  node = parse_sequence (&parser, &empty);
  if (node == NULL && !empty)
    {
      if (error_position != NULL)
        *error_position = parser.error_position;
      return NULL;
    }
  if (*parser.p == ')')
    {
      sd_search_node_free (node);
      fail (&parser, position_of (&parser, parser.p), SD_SEARCH_ERROR_SYNTAX,
            _("Unmatched “)” at position %d: no “(” before it is open"),
            position_of (&parser, parser.p));
      if (error_position != NULL)
        *error_position = parser.error_position;
      return NULL;
    }
  if (empty)
    return node_new (SN_ALL, 1);
  return node;
}

/* ---- the tree as text, for tests and debugging ------------------------- */

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_ids (GString *out,
            GArray  *ids)
{
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, " %" G_GINT64_FORMAT, g_array_index (ids, gint64, i));
}

static void
append_node (GString            *out,
             const SdSearchNode *node)
{
  static const char * const prop_names[] = {
    "ivl", "due", "reps", "lapses", "ease", "pos", "s", "d",
  };
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  switch (node->kind)
    {
    case SN_ALL:
      g_string_append (out, "(all)");
      return;
    case SN_AND:
    case SN_OR:
    case SN_NOT:
      g_string_append (out, node->kind == SN_AND ? "(and" : node->kind == SN_OR ? "(or" : "(not");
      for (guint i = 0; i < node->children->len; i++)
        {
          g_string_append_c (out, ' ');
          append_node (out, node->children->pdata[i]);
        }
      g_string_append_c (out, ')');
      return;
    case SN_TEXT:
      g_string_append (out, node->match_flags & MATCH_NO_COMBINING ? "(nc " : "(text ");
      append_quoted (out, node->text);
      break;
    case SN_REGEX:
      g_string_append (out, "(re ");
      append_quoted (out, node->text);
      break;
    case SN_FIELD:
      g_string_append (out, node->regex ? "(field-re "
                            : node->match_flags & MATCH_NO_COMBINING ? "(field-nc " : "(field ");
      append_quoted (out, node->name);
      g_string_append_c (out, ' ');
      append_quoted (out, node->text);
      break;
    case SN_DECK:
      g_string_append (out, "(deck ");
      append_quoted (out, node->text);
      break;
    case SN_TAG:
      g_string_append (out, "(tag ");
      append_quoted (out, node->text);
      break;
    case SN_NOTETYPE:
      g_string_append (out, "(note ");
      append_quoted (out, node->text);
      break;
    case SN_TEMPLATE_NAME:
      g_string_append (out, "(card ");
      append_quoted (out, node->text);
      break;
    case SN_TEMPLATE_ORD:
      g_string_append_printf (out, "(card-ord %d", node->number);
      break;
    case SN_STATE:
      g_string_append_printf (out, "(is %s", state_names[node->number]);
      break;
    case SN_FLAG:
      g_string_append_printf (out, "(flag %d", node->number);
      break;
    case SN_PROP:
      g_ascii_formatd (number, sizeof number, "%g", node->value);
      g_string_append_printf (out, "(prop %s %s %s", prop_names[node->number],
                              op_sql[node->number2], number);
      break;
    case SN_RATED:
      g_string_append_printf (out, "(rated %d", node->number);
      if (node->number2 != 0)
        g_string_append_printf (out, " %d", node->number2);
      break;
    case SN_ADDED:
      g_string_append_printf (out, "(added %d", node->number);
      break;
    case SN_EDITED:
      g_string_append_printf (out, "(edited %d", node->number);
      break;
    case SN_NOTE_IDS:
      g_string_append (out, "(nid");
      append_ids (out, node->ids);
      break;
    case SN_CARD_IDS:
      g_string_append (out, "(cid");
      append_ids (out, node->ids);
      break;
    case SN_DECK_IDS:
      g_string_append (out, "(did");
      append_ids (out, node->ids);
      break;
    case SN_NOTETYPE_ID:
      g_string_append (out, "(mid");
      append_ids (out, node->ids);
      break;
    default:
      g_assert_not_reached ();
    }
  g_string_append_c (out, ')');
}

/**
 * sd_search_node_to_string:
 *
 * Returns: (transfer full): the tree as an s-expression, for example
 *   `(or (and (text "dog") (deck "Animals")) (not (tag "cat")))`
 */
char *
sd_search_node_to_string (const SdSearchNode *node)
{
  GString *out = g_string_new (NULL);

  append_node (out, node);
  return g_string_free (out, FALSE);
}

/* ---- the tree as SQL --------------------------------------------------- */

typedef struct
{
  int     type;      /* SQLITE_INTEGER, SQLITE_FLOAT or SQLITE_TEXT */
  gint64  integer;
  double  number;
  char   *text;
} Param;

static void
param_free (gpointer data)
{
  Param *param = data;

  g_free (param->text);
  g_free (param);
}

struct _SdSearchQuery
{
  char      *sql;
  char      *where;
  GPtrArray *params;
  gboolean   uses_cards;
  gboolean   uses_notes;
  gint64     today;
  int        rollover_hour;
};

void
sd_search_query_free (SdSearchQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->sql);
  g_free (query->where);
  g_clear_pointer (&query->params, g_ptr_array_unref);
  g_free (query);
}

typedef struct
{
  gint64  id;
  gint64  parent_id;
  char   *full_name;
} DeckName;

typedef struct
{
  SdCollection *collection;
  SdSearchMode  mode;
  GString      *sql;
  GPtrArray    *params;
  gboolean      uses_cards;
  gboolean      uses_notes;
  gint64        now;
  gint64        today;
  int           rollover;
  GPtrArray    *decks;        /* DeckName, parents first; loaded once */
} Writer;

static void
deck_name_free (gpointer data)
{
  DeckName *deck = data;

  g_free (deck->full_name);
  g_free (deck);
}

/* Adds a parameter without writing it; returns its number. */
static guint
add_param (Writer *w,
           Param  *param)
{
  g_ptr_array_add (w->params, param);
  return w->params->len;
}

static void
append_param (Writer *w,
              Param  *param)
{
  g_string_append_printf (w->sql, "?%u", add_param (w, param));
}

static guint
add_int_param (Writer *w,
               gint64  value)
{
  Param *param = g_new0 (Param, 1);

  param->type = SQLITE_INTEGER;
  param->integer = value;
  return add_param (w, param);
}

static guint
add_text_param (Writer     *w,
                const char *text)
{
  Param *param = g_new0 (Param, 1);

  param->type = SQLITE_TEXT;
  param->text = g_strdup (text);
  return add_param (w, param);
}

static void
append_int (Writer *w,
            gint64  value)
{
  g_string_append_printf (w->sql, "?%u", add_int_param (w, value));
}

static void
append_double (Writer *w,
               double  value)
{
  Param *param = g_new0 (Param, 1);

  param->type = SQLITE_FLOAT;
  param->number = value;
  append_param (w, param);
}

static void
append_text (Writer     *w,
             const char *text)
{
  g_string_append_printf (w->sql, "?%u", add_text_param (w, text));
}

/* "(?1, ?2)"; long lists go in one JSON parameter. */
static void
append_id_list (Writer *w,
                GArray *ids)
{
  if (ids->len > 64)
    {
      GString *json = g_string_new ("[");

      for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                                g_array_index (ids, gint64, i));
      g_string_append_c (json, ']');
      g_string_append (w->sql, "(SELECT value FROM json_each(");
      append_text (w, json->str);
      g_string_append (w->sql, "))");
      g_string_free (json, TRUE);
      return;
    }

  g_string_append_c (w->sql, '(');
  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0)
        g_string_append (w->sql, ", ");
      append_int (w, g_array_index (ids, gint64, i));
    }
  g_string_append_c (w->sql, ')');
}

static gint64
day_start (Writer *w,
           gint64  day)
{
  return sd_clock_day_start (day, w->rollover);
}

/* Which tables a tree needs: cards (c), notes (n). */
static void
scan_tables (const SdSearchNode *node,
             gboolean           *cards,
             gboolean           *notes)
{
  switch (node->kind)
    {
    case SN_AND:
    case SN_OR:
    case SN_NOT:
      for (guint i = 0; i < node->children->len; i++)
        scan_tables (node->children->pdata[i], cards, notes);
      break;
    case SN_TEXT:
    case SN_REGEX:
    case SN_FIELD:
    case SN_TAG:
    case SN_NOTETYPE:
    case SN_NOTETYPE_ID:
    case SN_EDITED:
      *notes = TRUE;
      break;
    case SN_TEMPLATE_NAME:
      *notes = TRUE;
      *cards = TRUE;
      break;
    case SN_ALL:
    case SN_NOTE_IDS:
      break;
    default:
      *cards = TRUE;
      break;
    }
}

static gboolean
load_decks (Writer  *w,
            GError **error)
{
  g_autoptr(GPtrArray) decks = NULL;

  if (w->decks != NULL)
    return TRUE;
  decks = sd_deck_list (w->collection, error);
  if (decks == NULL)
    return FALSE;
  w->decks = g_ptr_array_new_with_free_func (deck_name_free);
  for (guint i = 0; i < decks->len; i++)
    {
      SdDeck *deck = decks->pdata[i];
      DeckName *name = g_new0 (DeckName, 1);

      name->id = deck->id;
      name->parent_id = deck->parent_id;
      name->full_name = g_strdup (deck->full_name);
      g_ptr_array_add (w->decks, name);
    }
  return TRUE;
}

/* Decks whose full name matches, and their subdecks. */
static GArray *
resolve_decks (Writer      *w,
               const char  *glob,
               GError     **error)
{
  g_autoptr(GHashTable) matched = g_hash_table_new (g_int64_hash, g_int64_equal);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!load_decks (w, error))
    {
      g_array_unref (ids);
      return NULL;
    }
  /* sd_deck_list() puts parents before their children. */
  for (guint i = 0; i < w->decks->len; i++)
    {
      DeckName *deck = w->decks->pdata[i];

      if (g_hash_table_contains (matched, &deck->parent_id)
          || sd_search_glob_match (glob, deck->full_name))
        {
          g_hash_table_add (matched, &deck->id);
          g_array_append_val (ids, deck->id);
        }
    }
  return ids;
}

static GArray *
resolve_notetypes (Writer      *w,
                   const char  *glob,
                   GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = sd_collection_prepare (w->collection,
                                              "SELECT id, name FROM notetypes ORDER BY id", error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);

      if (name != NULL && sd_search_glob_match (glob, name))
        g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&ids);
}

static gboolean write_node (Writer *w, const SdSearchNode *node, GError **error);

/* LIKE where the pattern is ASCII (SQLite folds ASCII case itself), else
 * our own matcher, which folds every script's case. */
static void
write_match (Writer     *w,
             const char *column,
             guint       param,
             gboolean    ascii,
             guint       flags)
{
  if (ascii && flags == 0)
    g_string_append_printf (w->sql, "%s LIKE ?%u ESCAPE '\\'", column, param);
  else
    g_string_append_printf (w->sql, "sd_search_like(?%u, %s, %u)", param, column, flags);
}

static void
write_text (Writer             *w,
            const SdSearchNode *node)
{
  g_autofree char *like = glob_to_like (node->text);
  g_autofree char *pattern = g_strconcat ("%", like, "%", NULL);
  gboolean ascii = is_ascii (pattern);
  guint param = add_text_param (w, pattern);

  /* The sort field is the sort field's text without HTML, so
   * "<b>ex</b>ample" is found as "example" there. */
  g_string_append_c (w->sql, '(');
  write_match (w, "n.sort_field", param, ascii, node->match_flags);
  g_string_append (w->sql, " OR ");
  write_match (w, "n.fields", param, ascii, node->match_flags);
  g_string_append_c (w->sql, ')');
}

static gboolean
write_field (Writer              *w,
             const SdSearchNode  *node,
             GError             **error)
{
  g_autoptr(GArray) notetypes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) ords = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  gboolean ascii;
  guint param = 0;

  stmt = sd_collection_prepare (w->collection,
                                "SELECT notetype_id, ord, name FROM notetype_fields"
                                " ORDER BY notetype_id, ord",
                                error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 notetype = sqlite3_column_int64 (stmt, 0);
      int ord = sqlite3_column_int (stmt, 1);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);

      if (name == NULL || !sd_search_glob_match (node->name, name))
        continue;
      if (notetypes->len == 0 || g_array_index (notetypes, gint64, notetypes->len - 1) != notetype)
        {
          g_array_append_val (notetypes, notetype);
          g_ptr_array_add (ords, g_array_new (FALSE, FALSE, sizeof (int)));
        }
      g_array_append_val (g_ptr_array_index (ords, ords->len - 1), ord);
    }
  sqlite3_reset (stmt);

  if (notetypes->len == 0)
    {
      g_string_append (w->sql, "0");
      return TRUE;
    }

  pattern = node->regex ? g_strdup (node->text) : glob_to_like (node->text);
  ascii = is_ascii (pattern);

  /* The pattern is one parameter, used for every field. */
  param = add_text_param (w, pattern);

  g_string_append_c (w->sql, '(');
  for (guint i = 0; i < notetypes->len; i++)
    {
      GArray *field_ords = ords->pdata[i];

      if (i > 0)
        g_string_append (w->sql, " OR ");
      g_string_append (w->sql, "(n.notetype_id = ");
      append_int (w, g_array_index (notetypes, gint64, i));
      g_string_append (w->sql, " AND (");
      for (guint j = 0; j < field_ords->len; j++)
        {
          g_autofree char *column = NULL;
          guint ord_param = add_int_param (w, g_array_index (field_ords, int, j));

          if (j > 0)
            g_string_append (w->sql, " OR ");
          column = g_strdup_printf ("sd_search_field(n.fields, ?%u)", ord_param);
          if (node->regex)
            g_string_append_printf (w->sql, "sd_search_regexp(?%u, %s)", param, column);
          else
            write_match (w, column, param, ascii, node->match_flags);
        }
      g_string_append (w->sql, "))");
    }
  g_string_append_c (w->sql, ')');
  return TRUE;
}

static void
write_tag (Writer             *w,
           const SdSearchNode *node)
{
  if (g_ascii_strcasecmp (node->text, "none") == 0)
    {
      g_string_append (w->sql, "n.tags = ''");
      return;
    }
  if (g_str_equal (node->text, "*"))
    {
      g_string_append (w->sql, "1");
      return;
    }

  if (!glob_is_wild (node->text) && is_ascii (node->text))
    {
      g_autofree char *literal = glob_to_literal_like (node->text);
      g_autofree char *exact = g_strconcat ("% ", literal, " %", NULL);
      g_autofree char *child = g_strconcat ("% ", literal, "::%", NULL);

      /* Tags never hold spaces, so a space-separated match is a whole tag. */
      g_string_append (w->sql, "(n.tags LIKE ");
      append_text (w, exact);
      g_string_append (w->sql, " ESCAPE '\\' OR n.tags LIKE ");
      append_text (w, child);
      g_string_append (w->sql, " ESCAPE '\\')");
      return;
    }

  {
    g_autofree char *like = glob_to_like (node->text);

    g_string_append (w->sql, "sd_search_tag(");
    append_text (w, like);
    g_string_append (w->sql, ", n.tags)");
  }
}

static gboolean
write_template_name (Writer              *w,
                     const SdSearchNode  *node,
                     GError             **error)
{
  sqlite3_stmt *stmt;
  gboolean any = FALSE;

  stmt = sd_collection_prepare (w->collection,
                                "SELECT t.notetype_id, t.ord, t.name, nt.kind"
                                " FROM notetype_templates t JOIN notetypes nt"
                                " ON nt.id = t.notetype_id ORDER BY t.notetype_id, t.ord",
                                error);
  if (stmt == NULL)
    return FALSE;

  g_string_append_c (w->sql, '(');
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 2);

      if (name == NULL || !sd_search_glob_match (node->text, name))
        continue;
      if (any)
        g_string_append (w->sql, " OR ");
      any = TRUE;
      g_string_append (w->sql, "(n.notetype_id = ");
      append_int (w, sqlite3_column_int64 (stmt, 0));
      /* Every card of a cloze note type comes from its one template. */
      if (sqlite3_column_int (stmt, 3) != 1)
        {
          g_string_append (w->sql, " AND c.ord = ");
          append_int (w, sqlite3_column_int (stmt, 1));
        }
      g_string_append_c (w->sql, ')');
    }
  sqlite3_reset (stmt);
  if (!any)
    g_string_append (w->sql, "0");
  g_string_append_c (w->sql, ')');
  return TRUE;
}

static void
write_state (Writer    *w,
             StateKind  state)
{
  switch (state)
    {
    case STATE_NEW:
      g_string_append (w->sql, "c.type = 0");
      break;
    case STATE_LEARN:
      g_string_append (w->sql, "c.type IN (1, 3)");
      break;
    case STATE_REVIEW:
      g_string_append (w->sql, "c.type IN (2, 3)");
      break;
    case STATE_SUSPENDED:
      g_string_append (w->sql, "c.queue = -1");
      break;
    case STATE_BURIED:
      g_string_append (w->sql, "c.queue IN (-2, -3)");
      break;
    case STATE_BURIED_MANUALLY:
      g_string_append (w->sql, "c.queue = -3");
      break;
    case STATE_BURIED_SIBLING:
      g_string_append (w->sql, "c.queue = -2");
      break;
    case STATE_DUE:
      /* Reviews and interday learning due today or earlier; intraday
       * learning due now, with the scheduler's learn-ahead allowance. The
       * outer queue test lets SQLite use the (deck_id, queue, due) index. */
      g_string_append (w->sql, "(c.queue IN (1, 2, 3) AND ((c.queue IN (2, 3) AND c.due <= ");
      append_int (w, w->today);
      g_string_append (w->sql, ") OR (c.queue = 1 AND c.due <= ");
      append_int (w, w->now + SD_SCHEDULER_LEARN_AHEAD);
      g_string_append (w->sql, ")))");
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Learning cards are due at a time, not on a day: compare the time with
 * the bounds of the days, so prop:due=1 is "due tomorrow" for them too. */
static void
write_learning_due (Writer    *w,
                    CompareOp  op,
                    gint64     days)
{
  gint64 from = day_start (w, w->today + days);
  gint64 to = day_start (w, w->today + days + 1);

  switch (op)
    {
    case OP_EQ:
      g_string_append (w->sql, "(c.due >= ");
      append_int (w, from);
      g_string_append (w->sql, " AND c.due < ");
      append_int (w, to);
      g_string_append_c (w->sql, ')');
      break;
    case OP_NE:
      g_string_append (w->sql, "(c.due < ");
      append_int (w, from);
      g_string_append (w->sql, " OR c.due >= ");
      append_int (w, to);
      g_string_append_c (w->sql, ')');
      break;
    case OP_LT:
      g_string_append (w->sql, "c.due < ");
      append_int (w, from);
      break;
    case OP_LE:
      g_string_append (w->sql, "c.due < ");
      append_int (w, to);
      break;
    case OP_GT:
      g_string_append (w->sql, "c.due >= ");
      append_int (w, to);
      break;
    case OP_GE:
      g_string_append (w->sql, "c.due >= ");
      append_int (w, from);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_prop (Writer             *w,
            const SdSearchNode *node)
{
  CompareOp op = node->number2;
  const char *sql_op = op_sql[op];

  switch ((PropKind) node->number)
    {
    case PROP_IVL:
      g_string_append_printf (w->sql, "c.interval %s ", sql_op);
      append_int (w, (gint64) node->value);
      break;
    case PROP_REPS:
      g_string_append_printf (w->sql, "c.reps %s ", sql_op);
      append_int (w, (gint64) node->value);
      break;
    case PROP_LAPSES:
      g_string_append_printf (w->sql, "c.lapses %s ", sql_op);
      append_int (w, (gint64) node->value);
      break;
    case PROP_EASE:
      /* Ease is kept in permille, as Anki's factor. */
      g_string_append_printf (w->sql, "c.ease %s ", sql_op);
      append_int (w, (gint64) lround (node->value * 1000));
      break;
    case PROP_POS:
      g_string_append_printf (w->sql, "(c.type = 0 AND c.due %s ", sql_op);
      append_int (w, (gint64) node->value);
      g_string_append_c (w->sql, ')');
      break;
    case PROP_STABILITY:
      g_string_append_printf (w->sql, "c.stability %s ", sql_op);
      append_double (w, node->value);
      break;
    case PROP_DIFFICULTY:
      /* Searched as Anki shows it, 0 to 1; stored as FSRS keeps it, 1 to 10. */
      g_string_append_printf (w->sql, "c.difficulty %s ", sql_op);
      append_double (w, node->value * 9 + 1);
      break;
    case PROP_DUE:
      g_string_append_printf (w->sql, "((c.queue IN (2, 3) AND c.due %s ", sql_op);
      append_int (w, w->today + (gint64) node->value);
      g_string_append (w->sql, ") OR (c.queue = 1 AND ");
      write_learning_due (w, op, (gint64) node->value);
      g_string_append (w->sql, "))");
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
write_node (Writer              *w,
            const SdSearchNode  *node,
            GError             **error)
{
  switch (node->kind)
    {
    case SN_ALL:
      g_string_append (w->sql, "1");
      return TRUE;

    case SN_AND:
    case SN_OR:
      g_string_append_c (w->sql, '(');
      for (guint i = 0; i < node->children->len; i++)
        {
          if (i > 0)
            g_string_append (w->sql, node->kind == SN_AND ? " AND " : " OR ");
          if (!write_node (w, node->children->pdata[i], error))
            return FALSE;
        }
      g_string_append_c (w->sql, ')');
      return TRUE;

    case SN_NOT:
      /* A missing value (a card without FSRS state for prop:s) is unknown
       * and stays out either way, as in Anki. */
      g_string_append (w->sql, "NOT (");
      if (!write_node (w, node->children->pdata[0], error))
        return FALSE;
      g_string_append_c (w->sql, ')');
      return TRUE;

    case SN_TEXT:
      write_text (w, node);
      return TRUE;

    case SN_REGEX:
      g_string_append (w->sql, "sd_search_regexp(");
      append_text (w, node->text);
      g_string_append (w->sql, ", n.fields)");
      return TRUE;

    case SN_FIELD:
      return write_field (w, node, error);

    case SN_DECK:
      {
        g_autoptr(GArray) ids = NULL;

        if (g_str_equal (node->text, "*"))
          {
            g_string_append (w->sql, "1");
            return TRUE;
          }
        ids = resolve_decks (w, node->text, error);
        if (ids == NULL)
          return FALSE;
        if (ids->len == 0)
          g_string_append (w->sql, "0");
        else if (ids->len == w->decks->len)
          g_string_append (w->sql, "1");
        else
          {
            g_string_append (w->sql, "c.deck_id IN ");
            append_id_list (w, ids);
          }
        return TRUE;
      }

    case SN_DECK_IDS:
      g_string_append (w->sql, "c.deck_id IN ");
      append_id_list (w, node->ids);
      return TRUE;

    case SN_TAG:
      write_tag (w, node);
      return TRUE;

    case SN_NOTETYPE:
      {
        g_autoptr(GArray) ids = resolve_notetypes (w, node->text, error);

        if (ids == NULL)
          return FALSE;
        if (ids->len == 0)
          g_string_append (w->sql, "0");
        else
          {
            g_string_append (w->sql, "n.notetype_id IN ");
            append_id_list (w, ids);
          }
        return TRUE;
      }

    case SN_NOTETYPE_ID:
      g_string_append (w->sql, "n.notetype_id = ");
      append_int (w, g_array_index (node->ids, gint64, 0));
      return TRUE;

    case SN_TEMPLATE_ORD:
      g_string_append (w->sql, "c.ord = ");
      append_int (w, node->number);
      return TRUE;

    case SN_TEMPLATE_NAME:
      return write_template_name (w, node, error);

    case SN_STATE:
      write_state (w, node->number);
      return TRUE;

    case SN_FLAG:
      g_string_append (w->sql, "(c.flags & 7) = ");
      append_int (w, node->number);
      return TRUE;

    case SN_PROP:
      write_prop (w, node);
      return TRUE;

    case SN_RATED:
      /* Manual entries (rating 0: forget, set due date) are no answers. */
      g_string_append (w->sql, "c.id IN (SELECT card_id FROM revlog WHERE id >= ");
      append_int (w, day_start (w, w->today + 1 - node->number) * 1000);
      if (node->number2 != 0)
        {
          g_string_append (w->sql, " AND rating = ");
          append_int (w, node->number2);
        }
      else
        g_string_append (w->sql, " AND rating > 0");
      g_string_append_c (w->sql, ')');
      return TRUE;

    case SN_ADDED:
      /* Card ids are creation times in milliseconds. */
      g_string_append (w->sql, "c.id >= ");
      append_int (w, day_start (w, w->today + 1 - node->number) * 1000);
      return TRUE;

    case SN_EDITED:
      g_string_append (w->sql, "n.mtime >= ");
      append_int (w, day_start (w, w->today + 1 - node->number));
      return TRUE;

    case SN_NOTE_IDS:
      g_string_append (w->sql, w->uses_cards ? "c.note_id IN " : "n.id IN ");
      append_id_list (w, node->ids);
      return TRUE;

    case SN_CARD_IDS:
      g_string_append (w->sql, "c.id IN ");
      append_id_list (w, node->ids);
      return TRUE;

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/**
 * sd_search_rollover_hour:
 *
 * Returns: the hour at which the collection's days start: that of the
 *   Default deck's preset
 */
int
sd_search_rollover_hour (SdCollection *collection)
{
  return (int) sd_collection_scalar (collection,
                                     "SELECT p.rollover_hour FROM decks d JOIN presets p"
                                     " ON p.id = d.preset_id WHERE d.id = 1",
                                     4);
}

/**
 * sd_search_compile:
 * @mode: whether the query lists card ids or note ids
 * @rollover_hour: the hour days start at for is:due, rated:, added:,
 *   prop:due…, or -1 for the Default deck's preset
 *
 * Writes @node as SQL for @collection now (sd_clock_now()): deck, note type
 * and template names are resolved to ids, and "today" is fixed.
 *
 * Returns: (transfer full): the query, or %NULL with @error set
 */
SdSearchQuery *
sd_search_compile (SdCollection        *collection,
                   const SdSearchNode  *node,
                   SdSearchMode         mode,
                   int                  rollover_hour,
                   GError             **error)
{
  g_autoptr(SdSearchQuery) query = g_new0 (SdSearchQuery, 1);
  g_autoptr(GString) select = g_string_new (NULL);
  Writer w = { 0 };
  gboolean ok;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  if (!sd_search_register_functions (collection, error))
    return NULL;

  w.collection = collection;
  w.mode = mode;
  w.sql = g_string_new (NULL);
  w.params = g_ptr_array_new_with_free_func (param_free);
  w.now = sd_clock_now ();
  w.rollover = rollover_hour >= 0 ? rollover_hour : sd_search_rollover_hour (collection);
  w.today = sd_clock_day_number (w.now, w.rollover);
  scan_tables (node, &w.uses_cards, &w.uses_notes);
  if (mode == SD_SEARCH_CARDS)
    w.uses_cards = TRUE;
  else if (!w.uses_cards)
    w.uses_notes = TRUE;

  ok = write_node (&w, node, error);
  g_clear_pointer (&w.decks, g_ptr_array_unref);
  if (!ok)
    {
      g_string_free (w.sql, TRUE);
      g_ptr_array_unref (w.params);
      return NULL;
    }

  if (mode == SD_SEARCH_CARDS)
    g_string_append (select, "SELECT c.id FROM cards c");
  else if (w.uses_cards)
    g_string_append (select, "SELECT DISTINCT c.note_id FROM cards c");
  else
    g_string_append (select, "SELECT n.id FROM notes n");
  if (w.uses_cards && w.uses_notes)
    g_string_append (select, " JOIN notes n ON n.id = c.note_id");
  g_string_append (select, " WHERE ");
  g_string_append (select, w.sql->str);

  query->where = g_string_free (w.sql, FALSE);
  query->sql = g_string_free (g_steal_pointer (&select), FALSE);
  query->params = w.params;
  query->uses_cards = w.uses_cards;
  query->uses_notes = w.uses_notes;
  query->today = w.today;
  query->rollover_hour = w.rollover;
  return g_steal_pointer (&query);
}

/**
 * sd_search_query_new:
 *
 * Parses and compiles @query with the collection's own rollover hour.
 */
SdSearchQuery *
sd_search_query_new (SdCollection  *collection,
                     const char    *query,
                     SdSearchMode   mode,
                     GError       **error)
{
  g_autoptr(SdSearchNode) node = sd_search_parse (query, NULL, error);

  if (node == NULL)
    return NULL;
  return sd_search_compile (collection, node, mode, -1, error);
}

/* The whole statement: "SELECT c.id FROM cards c … WHERE …" (or the note
 * ids), with parameters ?1…?N. */
const char *
sd_search_query_get_sql (const SdSearchQuery *query)
{
  return query->sql;
}

/* The condition alone, over "c" (cards) and "n" (notes). */
const char *
sd_search_query_get_where (const SdSearchQuery *query)
{
  return query->where;
}

gboolean
sd_search_query_uses_notes (const SdSearchQuery *query)
{
  return query->uses_notes;
}

gboolean
sd_search_query_uses_cards (const SdSearchQuery *query)
{
  return query->uses_cards;
}

guint
sd_search_query_get_n_params (const SdSearchQuery *query)
{
  return query->params->len;
}

gint64
sd_search_query_get_today (const SdSearchQuery *query)
{
  return query->today;
}

int
sd_search_query_get_rollover_hour (const SdSearchQuery *query)
{
  return query->rollover_hour;
}

/**
 * sd_search_query_describe_param:
 * @index: 1-based, as in the SQL
 *
 * Returns: (transfer full): the parameter's value as SQL would write it:
 *   `42`, `2.5` or `'%dog%'`
 */
char *
sd_search_query_describe_param (const SdSearchQuery *query,
                                guint                index)
{
  const Param *param;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (index >= 1 && index <= query->params->len, NULL);

  param = query->params->pdata[index - 1];
  switch (param->type)
    {
    case SQLITE_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, param->integer);
    case SQLITE_FLOAT:
      return g_strdup (g_ascii_formatd (number, sizeof number, "%g", param->number));
    default:
      return g_strdup_printf ("'%s'", param->text);
    }
}

/* Binds ?1…?N of a statement made from the query's SQL. */
void
sd_search_query_bind (const SdSearchQuery *query,
                      sqlite3_stmt        *stmt)
{
  for (guint i = 0; i < query->params->len; i++)
    {
      const Param *param = query->params->pdata[i];

      switch (param->type)
        {
        case SQLITE_INTEGER:
          sqlite3_bind_int64 (stmt, i + 1, param->integer);
          break;
        case SQLITE_FLOAT:
          sqlite3_bind_double (stmt, i + 1, param->number);
          break;
        default:
          sqlite3_bind_text (stmt, i + 1, param->text, -1, SQLITE_STATIC);
          break;
        }
    }
}

/**
 * sd_search_query_select_ids:
 * @sql: SQL that embeds the query's (sd_search_query_get_sql()) and gives
 *   ids in its first column
 *
 * Returns: (transfer full) (element-type gint64): the ids, in the order
 *   @sql gives them, or %NULL with @error set
 */
GArray *
sd_search_query_select_ids (const SdSearchQuery  *query,
                            SdCollection         *collection,
                            const char           *sql,
                            GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (sqlite3_prepare_v2 (sd_collection_get_db (collection), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  sd_search_query_bind (query, stmt);
  if (!sd_collection_append_ids (collection, stmt, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}

static GArray *
run_ids (SdCollection  *collection,
         const char    *text,
         SdSearchMode   mode,
         GError       **error)
{
  g_autoptr(SdSearchQuery) query = sd_search_query_new (collection, text, mode, error);
  g_autofree char *sql = NULL;

  if (query == NULL)
    return NULL;
  sql = g_strconcat (query->sql, " ORDER BY 1", NULL);
  return sd_search_query_select_ids (query, collection, sql, error);
}

/**
 * sd_search_quote_term:
 * @key: a search key such as "deck" or "tag"
 * @value: the exact text to look for: a deck's full name, a tag
 *
 * Returns: (transfer full): `key:"value"` with the quotes, backslashes and
 *   wildcards of @value escaped, so it matches @value and nothing else
 */
char *
sd_search_quote_term (const char *key,
                      const char *value)
{
  GString *out = g_string_new (key);

  g_string_append (out, ":\"");
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p == '*' || *p == '_')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/**
 * sd_search_cards:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the cards
 *   matching @query, ascending, or %NULL with @error set
 */
GArray *
sd_search_cards (SdCollection  *collection,
                 const char    *query,
                 GError       **error)
{
  return run_ids (collection, query, SD_SEARCH_CARDS, error);
}

/**
 * sd_search_notes:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the notes with
 *   a card matching @query, ascending, or %NULL with @error set
 */
GArray *
sd_search_notes (SdCollection  *collection,
                 const char    *query,
                 GError       **error)
{
  return run_ids (collection, query, SD_SEARCH_NOTES, error);
}
