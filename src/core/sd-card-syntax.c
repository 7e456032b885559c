/* sd-card-syntax.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sd-autocleanups.h"
#include "sd-card-syntax.h"
#include "sd-cloze.h"
#include "sd-markdown-text.h"

/* How the parser works: cmark (with source positions) tells which lines of
 * the body are paragraphs, code, HTML, headings or thematic breaks, and where
 * list items and block quotes start, so fences, indented code and container
 * prefixes are read exactly as the notes pane renders them. Cards are then
 * found line by line inside "chunks": runs of lines with no blank line (one
 * inside a code block or a $$ math block does not count) and no heading. */

SdCardSyntaxSettings *
sd_card_syntax_settings_new (void)
{
  SdCardSyntaxSettings *settings = g_new0 (SdCardSyntaxSettings, 1);

  settings->inline_separator = g_strdup ("::");
  settings->inline_reversed_separator = g_strdup (":::");
  settings->multiline_separator = g_strdup ("?");
  settings->multiline_reversed_separator = g_strdup ("??");
  settings->highlight_clozes = FALSE;
  return settings;
}

SdCardSyntaxSettings *
sd_card_syntax_settings_copy (const SdCardSyntaxSettings *settings)
{
  SdCardSyntaxSettings *copy = g_new0 (SdCardSyntaxSettings, 1);

  copy->inline_separator = g_strdup (settings->inline_separator);
  copy->inline_reversed_separator = g_strdup (settings->inline_reversed_separator);
  copy->multiline_separator = g_strdup (settings->multiline_separator);
  copy->multiline_reversed_separator = g_strdup (settings->multiline_reversed_separator);
  copy->highlight_clozes = settings->highlight_clozes;
  return copy;
}

void
sd_card_syntax_settings_free (SdCardSyntaxSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->inline_separator);
  g_free (settings->inline_reversed_separator);
  g_free (settings->multiline_separator);
  g_free (settings->multiline_reversed_separator);
  g_free (settings);
}

void
sd_card_syntax_card_free (SdCardSyntaxCard *card)
{
  if (card == NULL)
    return;
  g_free (card->front);
  g_free (card->back);
  g_clear_pointer (&card->cloze, g_array_unref);
  g_free (card->deck);
  g_strfreev (card->tags);
  g_strfreev (card->heading);
  g_free (card->block_id);
  g_free (card);
}

const char *
sd_card_syntax_kind_to_string (SdCardSyntaxKind kind)
{
  switch (kind)
    {
    case SD_CARD_SYNTAX_BASIC:
      return "basic";
    case SD_CARD_SYNTAX_REVERSED:
      return "reversed";
    case SD_CARD_SYNTAX_CLOZE:
      return "cloze";
    default:
      return "unknown";
    }
}

static inline const char *
nonnull (const char *s)
{
  return s ? s : "";
}

/* ------------------------------------------------------------------------ */
/* Inline spans that never hold a separator, a cloze or a highlight.        */

enum
{
  MASK_CODE   = 1 << 0,  /* `code` */
  MASK_MATH   = 1 << 1,  /* $…$, $$…$$ */
  MASK_URL    = 1 << 2,  /* scheme://… and (link destinations) */
  MASK_HTML   = 1 << 3,  /* <tag …>, <autolink> */
  MASK_BRACES = 1 << 4,  /* {{…}}: Anki clozes and template text */
  MASK_WIKI   = 1 << 5,  /* [[…]] */
  MASK_FIELD  = 1 << 6,  /* Dataview [key:: value] and (key:: value) */
  MASK_ESCAPE = 1 << 7,  /* \x */
  MASK_ALL    = 0xff,
};

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

/* An identifier directly followed by "::" and then a space, or the end. */
static gboolean
is_field_at (const char *s,
             gsize       len)
{
  gsize i = 0;

  if (len == 0 || !(g_ascii_isalpha (s[0]) || s[0] == '_'))
    return FALSE;
  while (i < len && is_key_char (s[i]))
    i++;
  if (i + 2 > len || s[i] != ':' || s[i + 1] != ':')
    return FALSE;
  i += 2;
  return i == len || s[i] == ' ' || s[i] == '\t';
}

static gsize
run_of (const char *s,
        gsize       len,
        gsize       i,
        char        c)
{
  gsize n = 0;

  while (i + n < len && s[i + n] == c)
    n++;
  return n;
}

/* Where a code span opened by @n backticks closes: a run of exactly @n. */
static gboolean
find_code_end (const char *s,
               gsize       len,
               gsize       from,
               gsize       n,
               gsize      *end)
{
  gsize i = from;

  while (i < len)
    {
      if (s[i] == '`')
        {
          gsize m = run_of (s, len, i, '`');
          if (m == n)
            {
              *end = i + m;
              return TRUE;
            }
          i += m;
        }
      else
        i++;
    }
  return FALSE;
}

/* Inline math as Pandoc and Obsidian read it: "$$…$$", or "$…$" where the
 * opening $ is not followed by a space, the closing one not preceded by a
 * space nor followed by a digit ("$5 and $6" is no math). */
static gboolean
find_math_end (const char *s,
               gsize       len,
               gsize       i,
               gsize      *end)
{
  if (i + 1 < len && s[i + 1] == '$')
    {
      for (gsize j = i + 2; j + 1 < len; j++)
        if (s[j] == '$' && s[j + 1] == '$' && s[j - 1] != '\\')
          {
            *end = j + 2;
            return TRUE;
          }
      return FALSE;
    }

  if (i + 1 >= len || g_ascii_isspace (s[i + 1]))
    return FALSE;
  for (gsize j = i + 1; j < len; j++)
    {
      if (s[j] == '\\')
        {
          j++;
          continue;
        }
      if (s[j] == '$' && j > i + 1 && !g_ascii_isspace (s[j - 1])
          && !(j + 1 < len && g_ascii_isdigit (s[j + 1])))
        {
          *end = j + 1;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
find_pair_end (const char *s,
               gsize       len,
               gsize       i,
               const char *open,
               const char *close,
               gsize      *end)
{
  gsize ol = strlen (open), cl = strlen (close);
  int depth = 0;

  for (gsize j = i; j < len;)
    {
      if (j + ol <= len && memcmp (s + j, open, ol) == 0)
        {
          depth++;
          j += ol;
        }
      else if (j + cl <= len && memcmp (s + j, close, cl) == 0)
        {
          depth--;
          j += cl;
          if (depth == 0)
            {
              *end = j;
              return TRUE;
            }
        }
      else
        j++;
    }
  return FALSE;
}

/* "scheme://…" up to the next space. */
static gsize
url_end (const char *s,
         gsize       len,
         gsize       i)
{
  gsize j = i;

  while (j < len && (g_ascii_isalnum (s[j]) || s[j] == '+' || s[j] == '.' || s[j] == '-'))
    j++;
  if (j == i || j + 3 > len || memcmp (s + j, "://", 3) != 0)
    return 0;
  j += 3;
  while (j < len && !g_ascii_isspace (s[j]))
    j++;
  return j;
}

static guint8 *
compute_mask (const char *s,
              gsize       len,
              guint       what)
{
  guint8 *mask = g_malloc0 (len + 1);
  gsize i = 0;

  while (i < len)
    {
      char c = s[i];
      gsize end = 0;

      /* A backslash escape is always literal text, so an escaped backtick
       * or dollar opens nothing. */
      if (c == '\\' && i + 1 < len && g_ascii_ispunct (s[i + 1]))
        {
          if (what & MASK_ESCAPE)
            mask[i] = mask[i + 1] = 1;
          i += 2;
          continue;
        }

      if (c == '`')
        {
          gsize n = run_of (s, len, i, '`');
          if ((what & MASK_CODE) && find_code_end (s, len, i + n, n, &end))
            {
              memset (mask + i, 1, end - i);
              i = end;
            }
          else
            i += n;
          continue;
        }

      if (c == '$' && (what & MASK_MATH) && find_math_end (s, len, i, &end))
        goto masked;

      if (c == '{' && i + 1 < len && s[i + 1] == '{' && (what & MASK_BRACES))
        {
          if (find_pair_end (s, len, i, "{{", "}}", &end))
            goto masked;
          /* An unclosed cloze is a broken cloze, not a separator. */
          if (i + 2 < len && s[i + 2] == 'c')
            {
              gsize j = i + 3;
              while (j < len && (g_ascii_isdigit (s[j]) || s[j] == ','))
                j++;
              if (j > i + 3 && j + 1 < len && s[j] == ':' && s[j + 1] == ':')
                {
                  end = len;
                  goto masked;
                }
            }
        }

      if (c == '[' && i + 1 < len && s[i + 1] == '[' && (what & MASK_WIKI)
          && find_pair_end (s, len, i, "[[", "]]", &end))
        goto masked;

      if ((c == '[' || c == '(') && (what & MASK_FIELD))
        {
          const char *close = c == '[' ? "]" : ")";
          gsize j = i + 1;

          while (j < len && is_key_char (s[j]))
            j++;
          if (j > i + 1 && j + 2 <= len && s[j] == ':' && s[j + 1] == ':'
              && find_pair_end (s, len, i, c == '[' ? "[" : "(", close, &end))
            goto masked;
        }

      if (c == '<' && (what & MASK_HTML) && i + 1 < len
          && (g_ascii_isalpha (s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!' || s[i + 1] == '?'))
        {
          const char *gt = memchr (s + i, '>', len - i);
          if (gt != NULL)
            {
              end = gt - s + 1;
              goto masked;
            }
        }

      if ((what & MASK_URL) && c == ']' && i + 1 < len && s[i + 1] == '('
          && find_pair_end (s, len, i + 1, "(", ")", &end))
        goto masked;

      if ((what & MASK_URL) && g_ascii_isalpha (c) && (i == 0 || !g_ascii_isalnum (s[i - 1]))
          && (end = url_end (s, len, i)) != 0)
        goto masked;

      i++;
      continue;

    masked:
      memset (mask + i, 1, end - i);
      i = end;
    }

  return mask;
}

/* ------------------------------------------------------------------------ */
/* Tags, block ids and the spaced-repetition plugin's scheduling comments.   */

static gboolean
is_tag_token (const char *s,
              gsize       len)
{
  gboolean non_digit = FALSE;

  if (len < 2 || s[0] != '#')
    return FALSE;
  for (gsize i = 1; i < len; i++)
    {
      guchar c = s[i];
      if (g_ascii_isdigit (c))
        continue;
      if (g_ascii_isalpha (c) || c == '_' || c == '-' || c == '/' || c >= 0x80)
        non_digit = TRUE;
      else
        return FALSE;
    }
  return non_digit;
}

static gboolean
is_block_id_token (const char *s,
                   gsize       len)
{
  if (len < 2 || s[0] != '^')
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '-')
      return FALSE;
  return TRUE;
}

typedef struct
{
  GPtrArray *tags;      /* char*, in the order written */
  char      *block_id;
} Extras;

/* Takes tags (when @tags; at the start too when @leading) and, when asked,
 * a block id and a trailing <!--SR:…--> comment off s[*start, *end). */
static void
strip_extras (const char *s,
              gsize      *start,
              gsize      *end,
              gboolean    tags,
              gboolean    leading,
              gboolean    block_id,
              Extras     *extras)
{
  g_autoptr(GPtrArray) trailing = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      gsize e = *end, b;

      while (e > *start && g_ascii_isspace (s[e - 1]))
        e--;
      *end = e;
      if (e == *start)
        break;

      if (block_id && e - *start >= 7 && memcmp (s + e - 3, "-->", 3) == 0)
        {
          const char *sr = g_strstr_len (s + *start, e - *start, "<!--SR:");
          if (sr != NULL)
            {
              *end = sr - s;
              continue;
            }
        }

      b = e;
      while (b > *start && !g_ascii_isspace (s[b - 1]))
        b--;

      if (block_id && extras->block_id == NULL && is_block_id_token (s + b, e - b))
        {
          extras->block_id = g_strndup (s + b + 1, e - b - 1);
          *end = b;
          continue;
        }
      if (tags && is_tag_token (s + b, e - b))
        {
          g_ptr_array_insert (trailing, 0, g_strndup (s + b + 1, e - b - 1));
          *end = b;
          continue;
        }
      break;
    }

  while (tags && leading && *start < *end)
    {
      gsize b = *start, e = b;

      while (e < *end && !g_ascii_isspace (s[e]))
        e++;
      if (!is_tag_token (s + b, e - b))
        break;
      g_ptr_array_add (extras->tags, g_strndup (s + b + 1, e - b - 1));
      while (e < *end && g_ascii_isspace (s[e]))
        e++;
      *start = e;
    }

  for (guint i = 0; i < trailing->len; i++)
    g_ptr_array_add (extras->tags, g_strdup (trailing->pdata[i]));
}

/* ------------------------------------------------------------------------ */
/* Front matter: the few keys cards need, read by hand.                      */

typedef struct
{
  char      *deck;
  GPtrArray *tags;
  gboolean   highlight;
} FrontMatter;

static char *
yaml_scalar (const char *s)
{
  g_autofree char *v = g_strstrip (g_strdup (s));
  gsize len = strlen (v);

  if (len >= 2 && ((v[0] == '"' && v[len - 1] == '"') || (v[0] == '\'' && v[len - 1] == '\'')))
    return g_strndup (v + 1, len - 2);

  /* An unquoted value ends at a comment. */
  for (gsize i = 0; i < len; i++)
    if (v[i] == '#' && i > 0 && (v[i - 1] == ' ' || v[i - 1] == '\t'))
      {
        v[i] = '\0';
        g_strstrip (v);
        break;
      }
  return g_steal_pointer (&v);
}

static void
add_tag (GPtrArray  *tags,
         const char *raw)
{
  g_autofree char *tag = yaml_scalar (raw);
  const char *t = tag;

  if (t[0] == '#')
    t++;
  if (t[0] == '\0')
    return;
  /* Anki tags hold no spaces. */
  g_ptr_array_add (tags, g_strdelimit (g_strdup (t), " \t", '_'));
}

static void
add_yaml_list (GPtrArray  *values,
               const char *value)
{
  g_autofree char *v = g_strstrip (g_strdup (value));
  gsize len = strlen (v);
  g_auto(GStrv) items = NULL;

  if (len >= 2 && v[0] == '[' && v[len - 1] == ']')
    {
      v[len - 1] = '\0';
      items = g_strsplit (v + 1, ",", -1);
    }
  else
    items = g_strsplit_set (v, ", ", -1);

  for (guint i = 0; items[i] != NULL; i++)
    add_tag (values, items[i]);
}

static void
parse_front_matter (const char  *yaml,
                    FrontMatter *fm)
{
  g_auto(GStrv) lines = g_strsplit (nonnull (yaml), "\n", -1);
  GPtrArray *list = NULL;
  g_autoptr(GPtrArray) cloze = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      char *colon;
      g_autofree char *key = NULL;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';

      if (line[0] == ' ' || line[0] == '\t' || line[0] == '-')
        {
          const char *item = line;
          while (*item == ' ' || *item == '\t')
            item++;
          if (list != NULL && item[0] == '-' && (item[1] == ' ' || item[1] == '\0'))
            add_tag (list, item + 1);
          continue;
        }

      list = NULL;
      colon = strchr (line, ':');
      if (colon == NULL)
        continue;
      key = g_ascii_strdown (line, colon - line);
      g_strstrip (key);

      if (g_str_equal (key, "deck"))
        {
          g_free (fm->deck);
          fm->deck = yaml_scalar (colon + 1);
          if (fm->deck[0] == '\0')
            g_clear_pointer (&fm->deck, g_free);
        }
      else if (g_str_equal (key, "tags") || g_str_equal (key, "tag"))
        {
          if (*g_strstrip (colon + 1) == '\0')
            list = fm->tags;
          else
            add_yaml_list (fm->tags, colon + 1);
        }
      else if (g_str_equal (key, "cloze") || g_str_equal (key, "clozes"))
        {
          if (*g_strstrip (colon + 1) == '\0')
            list = cloze;
          else
            add_yaml_list (cloze, colon + 1);
        }
    }

  for (guint i = 0; i < cloze->len; i++)
    if (g_ascii_strcasecmp (cloze->pdata[i], "highlight") == 0
        || g_ascii_strcasecmp (cloze->pdata[i], "highlights") == 0)
      fm->highlight = TRUE;
}

/* "flashcards/a/b" names deck "a::b"; a bare "flashcards" names none. */
static gboolean
flashcards_tag (const char  *tag,
                char       **deck)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) kept = NULL;

  *deck = NULL;
  if (g_ascii_strncasecmp (tag, "flashcards", 10) != 0 || (tag[10] != '\0' && tag[10] != '/'))
    return FALSE;
  if (tag[10] == '\0')
    return TRUE;

  parts = g_strsplit (tag + 11, "/", -1);
  builder = g_strv_builder_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  kept = g_strv_builder_end (builder);
  if (kept[0] != NULL)
    *deck = g_strjoinv ("::", kept);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The body, line by line.                                                    */

typedef enum
{
  LINE_BLANK,    /* blank, or holding only container markers */
  LINE_TEXT,     /* paragraph text */
  LINE_CODE,     /* fenced or indented code */
  LINE_MATH,     /* inside a $$ block */
  LINE_TABLE,    /* a pipe table */
  LINE_HTML,     /* an HTML block */
  LINE_SKIP,     /* a <!--SR:…--> line, left out of everything */
  LINE_HEADING,
  LINE_BREAK,    /* a thematic break */
} LineKind;

typedef struct
{
  const char *text;
  gsize       len;          /* without the line ending */
  LineKind    kind;
  guint8      items;        /* list items starting on this line */
  guint8      quotes;       /* block quotes around it */
  int         heading_level;
  char       *heading;      /* on a heading's first line */
  gboolean    consumed;
} Line;

typedef struct
{
  int   level;
  char *text;
} HeadingEntry;

static void
heading_entry_free (HeadingEntry *entry)
{
  g_free (entry->text);
  g_free (entry);
}

typedef struct
{
  const SdCardSyntaxSettings *settings;
  gboolean     highlight;
  Line        *lines;
  int          n_lines;
  int          first_line;     /* the file line of lines[0] */
  GPtrArray   *headings;       /* HeadingEntry stack */
  FrontMatter  fm;
  char        *note_deck;      /* from a #flashcards/… tag in the body */
  const char  *default_deck;
  GPtrArray   *cards;
  GArray      *line_decks;     /* gboolean per card: named on its own lines */
} Parser;

static void
append_inline_text (GString    *out,
                    cmark_node *node)
{
  for (cmark_node *child = cmark_node_first_child (node); child; child = cmark_node_next (child))
    {
      switch (cmark_node_get_type (child))
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
          g_string_append (out, cmark_node_get_literal (child));
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (out, ' ');
          break;
        default:
          append_inline_text (out, child);
          break;
        }
    }
}

/* The line after its block-quote markers (and nothing else). */
static const char *
after_quotes (const Line *line,
              gsize      *len)
{
  const char *p = line->text, *end = line->text + line->len;

  for (int q = line->quotes; q > 0; q--)
    {
      const char *t = p;
      while (t < end && (*t == ' ' || *t == '\t'))
        t++;
      if (t >= end || *t != '>')
        break;
      p = t + 1;
      if (p < end && *p == ' ')
        p++;
    }
  *len = end - p;
  return p;
}

static gsize
list_marker_len (const char *p,
                 const char *end)
{
  const char *q = p;

  if (q < end && (*q == '-' || *q == '*' || *q == '+'))
    q++;
  else
    {
      while (q < end && q - p < 9 && g_ascii_isdigit (*q))
        q++;
      if (q == p || q >= end || (*q != '.' && *q != ')'))
        return 0;
      q++;
    }
  if (q < end && *q != ' ' && *q != '\t')
    return 0;
  return q - p;
}

/* The line's text: block-quote markers, list bullets (when @items), a task
 * box and the surrounding white space taken off. */
static const char *
line_content (const Line *line,
              gboolean    items,
              gsize      *len)
{
  const char *p = line->text, *end = line->text + line->len;
  int quotes = line->quotes, markers = items ? line->items : 0;

  for (;;)
    {
      gsize n;

      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (quotes > 0 && p < end && *p == '>')
        {
          p++;
          quotes--;
          continue;
        }
      if (markers > 0 && (n = list_marker_len (p, end)) > 0)
        {
          p += n;
          markers--;
          while (p < end && (*p == ' ' || *p == '\t'))
            p++;
          /* A task list box: [ ], [x] and Obsidian's other states. */
          if (end - p >= 3 && p[0] == '[' && p[2] == ']' && (end - p == 3 || p[3] == ' '))
            p += 3;
          continue;
        }
      break;
    }
  while (end > p && g_ascii_isspace (end[-1]))
    end--;
  *len = end - p;
  return p;
}

static gsize
leading_space (const char *s,
               gsize       len)
{
  gsize n = 0;

  while (n < len && (s[n] == ' ' || s[n] == '\t'))
    n++;
  return n;
}

static gboolean
content_is (const Line *line,
            const char *what)
{
  gsize len;
  const char *c;

  if (what == NULL || what[0] == '\0')
    return FALSE;
  c = line_content (line, FALSE, &len);
  return len == strlen (what) && memcmp (c, what, len) == 0;
}

static gboolean
is_delimiter_row (const char *s,
                  gsize       len)
{
  gboolean dash = FALSE, pipe = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '-')
        dash = TRUE;
      else if (s[i] == '|')
        pipe = TRUE;
      else if (s[i] != ':' && s[i] != ' ' && s[i] != '\t')
        return FALSE;
    }
  return dash && pipe;
}

static void
split_lines (Parser     *p,
             const char *body)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (Line));
  const char *s = body;

  while (*s != '\0')
    {
      const char *nl = strchr (s, '\n');
      Line line = { 0 };

      line.text = s;
      line.len = nl ? (gsize) (nl - s) : strlen (s);
      if (line.len > 0 && s[line.len - 1] == '\r')
        line.len--;
      g_array_append_val (lines, line);
      if (nl == NULL)
        break;
      s = nl + 1;
    }

  p->n_lines = lines->len;
  p->lines = (Line *) g_array_free (lines, FALSE);
}

static void
classify_lines (Parser     *p,
                const char *body)
{
  g_autoptr(cmark_node) doc = cmark_parse_document (body, strlen (body),
                                                    CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);
  g_autoptr(cmark_iter) iter = cmark_iter_new (doc);
  cmark_event_type event;

  if (p->n_lines == 0)
    return;

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      cmark_node_type type = cmark_node_get_type (node);
      int start, end;
      LineKind kind;

      if (event != CMARK_EVENT_ENTER)
        continue;

      start = CLAMP (cmark_node_get_start_line (node), 1, p->n_lines) - 1;
      end = CLAMP (cmark_node_get_end_line (node), start + 1, p->n_lines) - 1;

      switch (type)
        {
        case CMARK_NODE_BLOCK_QUOTE:
          for (int i = start; i <= end; i++)
            p->lines[i].quotes++;
          continue;
        case CMARK_NODE_ITEM:
          p->lines[start].items++;
          continue;
        case CMARK_NODE_PARAGRAPH:
          kind = LINE_TEXT;
          break;
        case CMARK_NODE_CODE_BLOCK:
          kind = LINE_CODE;
          break;
        case CMARK_NODE_HTML_BLOCK:
          kind = LINE_HTML;
          break;
        case CMARK_NODE_THEMATIC_BREAK:
          kind = LINE_BREAK;
          break;
        case CMARK_NODE_HEADING:
          {
            GString *text = g_string_new (NULL);

            append_inline_text (text, node);
            p->lines[start].heading_level = cmark_node_get_heading_level (node);
            g_free (p->lines[start].heading);
            p->lines[start].heading = g_strstrip (g_string_free (text, FALSE));
            kind = LINE_HEADING;
            cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
          }
          break;
        default:
          continue;
        }

      for (int i = start; i <= end; i++)
        p->lines[i].kind = kind;

      if (type == CMARK_NODE_PARAGRAPH)
        {
          /* Core cmark has no tables: a header row and a delimiter row make
           * the rest of the paragraph a table. */
          for (int i = start + 1; i <= end; i++)
            {
              gsize len, prev_len;
              const char *c = line_content (&p->lines[i], FALSE, &len);
              const char *prev = line_content (&p->lines[i - 1], FALSE, &prev_len);

              if (is_delimiter_row (c, len) && memchr (prev, '|', prev_len) != NULL)
                {
                  for (int j = i - 1; j <= end; j++)
                    p->lines[j].kind = LINE_TABLE;
                  break;
                }
            }
        }
      else if (type == CMARK_NODE_HTML_BLOCK)
        {
          for (int i = start; i <= end; i++)
            {
              gsize len;
              const char *c = line_content (&p->lines[i], FALSE, &len);

              if (len >= 10 && g_str_has_prefix (c, "<!--SR:")
                  && memcmp (c + len - 3, "-->", 3) == 0)
                p->lines[i].kind = LINE_SKIP;
            }
        }
    }

  /* $$ blocks are paragraphs to cmark. One opens on a line starting with $$
   * and closes on the next line ending with $$; an unclosed $$ is text. */
  for (int i = 0; i < p->n_lines; i++)
    {
      gsize len;
      const char *c;

      if (p->lines[i].kind != LINE_TEXT)
        continue;
      c = line_content (&p->lines[i], FALSE, &len);
      if (len < 2 || memcmp (c, "$$", 2) != 0)
        continue;
      if (len >= 4 && memcmp (c + len - 2, "$$", 2) == 0)
        {
          p->lines[i].kind = LINE_MATH;
          continue;
        }
      for (int j = i + 1; j < p->n_lines; j++)
        {
          LineKind k = p->lines[j].kind;
          gsize jl;
          const char *jc;

          if (k != LINE_TEXT && k != LINE_BLANK)
            break;
          jc = line_content (&p->lines[j], FALSE, &jl);
          if (k == LINE_TEXT && jl >= 2 && memcmp (jc + jl - 2, "$$", 2) == 0)
            {
              for (int m = i; m <= j; m++)
                p->lines[m].kind = LINE_MATH;
              i = j;
              break;
            }
        }
    }
}

/* The first #flashcards/… tag of the body outside the cards names the
 * note's deck; one on a card's lines is that card's. */
static void
find_note_deck (Parser *p)
{
  for (int i = 0; i < p->n_lines && p->note_deck == NULL; i++)
    {
      gsize len;
      const char *c;
      g_autofree guint8 *mask = NULL;

      if (p->lines[i].kind != LINE_TEXT || p->lines[i].consumed)
        continue;
      c = line_content (&p->lines[i], TRUE, &len);
      if (g_strstr_len (c, len, "#") == NULL)
        continue;
      mask = compute_mask (c, len, MASK_CODE | MASK_URL | MASK_HTML | MASK_MATH);
      for (gsize j = 0; j < len; j++)
        {
          gsize e = j;
          g_autofree char *tag = NULL;
          char *deck = NULL;

          if (c[j] != '#' || mask[j] || (j > 0 && !g_ascii_isspace (c[j - 1])))
            continue;
          while (e < len && !g_ascii_isspace (c[e]))
            e++;
          if (!is_tag_token (c + j, e - j))
            continue;
          tag = g_strndup (c + j + 1, e - j - 1);
          if (flashcards_tag (tag, &deck) && deck != NULL)
            {
              p->note_deck = deck;
              break;
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Cards.                                                                     */

typedef struct
{
  int       index;
  char     *text;
  gboolean  prose;   /* text whose tags and ids are read, not code or math */
} Piece;

static void
piece_free (Piece *piece)
{
  g_free (piece->text);
  g_free (piece);
}

/* The lines [@from, @to] but @skip as card text: the first line without
 * its container markers (and its list bullet when @first_items), the others
 * without their block-quote markers and the indentation they share. */
static GPtrArray *
collect_pieces (Parser   *p,
                int       from,
                int       to,
                int       skip,
                gboolean  first_items)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) piece_free);
  gsize dedent = G_MAXSIZE;
  gboolean first = TRUE;

  for (int i = from; i <= to; i++)
    {
      gsize len;
      const char *rest;

      if (i == skip || p->lines[i].kind == LINE_SKIP || i == from)
        continue;
      rest = after_quotes (&p->lines[i], &len);
      if (leading_space (rest, len) < len)
        dedent = MIN (dedent, leading_space (rest, len));
    }
  if (dedent == G_MAXSIZE)
    dedent = 0;

  for (int i = from; i <= to; i++)
    {
      Line *line = &p->lines[i];
      Piece *piece;
      gsize len;
      const char *text;

      if (i == skip || line->kind == LINE_SKIP)
        continue;

      piece = g_new0 (Piece, 1);
      piece->index = i;
      piece->prose = line->kind == LINE_TEXT;
      if (first)
        {
          text = line_content (line, first_items, &len);
          first = FALSE;
        }
      else
        {
          gsize lead;

          text = after_quotes (line, &len);
          lead = MIN (dedent, leading_space (text, len));
          text += lead;
          len -= lead;
          if (piece->prose)
            while (len > 0 && g_ascii_isspace (text[len - 1]))
              len--;
        }
      piece->text = g_strndup (text, len);
      g_ptr_array_add (pieces, piece);
    }
  return pieces;
}

/* Takes the tags of every prose line (leading ones only on the first), the
 * block id of the last or first line, and drops lines left empty. Returns
 * the joined text. */
static char *
finish_pieces (GPtrArray *pieces,
               gboolean   tags,
               Extras    *extras,
               int       *first_line,
               int       *last_line)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean any = FALSE;

  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = pieces->pdata[i];
      gsize start = 0, end = strlen (piece->text);
      gboolean was_empty = end == 0;

      if (piece->prose)
        {
          strip_extras (piece->text, &start, &end, tags, i == 0,
                        i == pieces->len - 1 || i == 0, extras);
          if (end == start && !was_empty)
            continue;  /* a line of tags only */
        }
      if (any)
        g_string_append_c (out, '\n');
      g_string_append_len (out, piece->text + start, end - start);
      if (!any)
        *first_line = piece->index;
      *last_line = piece->index;
      any = TRUE;
    }

  /* Blank lines at either end are no part of the text. */
  while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
    g_string_truncate (out, out->len - 1);
  {
    gsize lead = 0;
    while (lead < out->len && (out->str[lead] == '\n' || out->str[lead] == '\r'))
      lead++;
    g_string_erase (out, 0, lead);
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GStrv
heading_path (Parser *p)
{
  GStrv path = g_new0 (char *, p->headings->len + 1);

  for (guint i = 0; i < p->headings->len; i++)
    path[i] = g_strdup (((HeadingEntry *) p->headings->pdata[i])->text);
  return path;
}

static SdCardSyntaxCard *
add_card (Parser           *p,
          SdCardSyntaxKind  kind,
          char             *front,
          char             *back,
          Extras           *extras,
          int               first,
          int               last)
{
  SdCardSyntaxCard *card = g_new0 (SdCardSyntaxCard, 1);
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *line_deck = NULL;
  gboolean named;

  card->kind = kind;
  card->front = front;
  card->back = back;
  card->cloze = g_array_new (FALSE, FALSE, sizeof (guint));
  card->heading = heading_path (p);
  card->line_start = p->first_line + first;
  card->line_end = p->first_line + last;
  card->block_id = g_steal_pointer (&extras->block_id);

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *list = pass == 0 ? p->fm.tags : extras->tags;

      for (guint i = 0; i < list->len; i++)
        {
          const char *tag = list->pdata[i];
          char *deck = NULL;

          if (flashcards_tag (tag, &deck))
            {
              if (pass == 1 && line_deck == NULL)
                line_deck = deck;
              else
                g_free (deck);
              continue;
            }
          if (g_hash_table_add (seen, g_utf8_casefold (tag, -1)))
            g_strv_builder_add (tags, tag);
        }
    }
  card->tags = g_strv_builder_end (tags);

  /* Decks not named on the card's own lines are filled in once the whole
   * note is read (see place_cards ()). */
  card->deck = g_steal_pointer (&line_deck);
  named = card->deck != NULL;
  g_array_append_val (p->line_decks, named);

  g_ptr_array_add (p->cards, card);
  return card;
}

static void
extras_init (Extras *extras)
{
  extras->tags = g_ptr_array_new_with_free_func (g_free);
  extras->block_id = NULL;
}

static void
extras_clear (Extras *extras)
{
  g_clear_pointer (&extras->tags, g_ptr_array_unref);
  g_clear_pointer (&extras->block_id, g_free);
}

static gboolean
find_separator (const char                 *s,
                gsize                       len,
                const SdCardSyntaxSettings *settings,
                gsize                      *pos,
                gsize                      *sep_len,
                SdCardSyntaxKind           *kind)
{
  const char *rev = nonnull (settings->inline_reversed_separator);
  const char *bas = nonnull (settings->inline_separator);
  gsize rl = strlen (rev), bl = strlen (bas);
  g_autofree guint8 *mask = NULL;

  if (rl == 0 && bl == 0)
    return FALSE;
  if (is_field_at (s, len))
    return FALSE;

  mask = compute_mask (s, len, MASK_ALL);
  for (gsize i = 0; i < len; i++)
    {
      if (mask[i])
        continue;
      for (guint pass = 0; pass < 2; pass++)
        {
          const char *sep = pass == 0 ? rev : bas;
          gsize sl = pass == 0 ? rl : bl;

          if (sl == 0 || i + sl > len || memcmp (s + i, sep, sl) != 0
              || memchr (mask + i, 1, sl) != NULL)
            continue;
          *pos = i;
          *sep_len = sl;
          *kind = pass == 0 ? SD_CARD_SYNTAX_REVERSED : SD_CARD_SYNTAX_BASIC;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
try_inline_card (Parser *p,
                 int     i)
{
  Line *line = &p->lines[i];
  gsize len;
  const char *c = line_content (line, TRUE, &len);
  g_autofree char *text = g_strndup (c, len);

  /* Tags come off first; but a side that is nothing but a tag-like word
   * ("Directive to include a header::#include") is text after all. */
  for (guint pass = 0; pass < 2; pass++)
    {
      gsize start = 0, end = len, pos, sep_len;
      g_autofree char *front = NULL;
      g_autofree char *back = NULL;
      SdCardSyntaxKind kind;
      Extras extras;

      extras_init (&extras);
      strip_extras (text, &start, &end, pass == 0, TRUE, TRUE, &extras);
      if (find_separator (text + start, end - start, p->settings, &pos, &sep_len, &kind))
        {
          front = g_strstrip (g_strndup (text + start, pos));
          back = g_strstrip (g_strndup (text + start + pos + sep_len,
                                        end - start - pos - sep_len));
          if (front[0] != '\0' && back[0] != '\0')
            {
              add_card (p, kind, g_steal_pointer (&front), g_steal_pointer (&back), &extras,
                        i, i);
              line->consumed = TRUE;
              extras_clear (&extras);
              return TRUE;
            }
        }
      extras_clear (&extras);
    }
  return FALSE;
}

static gsize
content_column (const Line *line)
{
  gsize rest_len, content_len;
  const char *rest = after_quotes (line, &rest_len);
  const char *content = line_content (line, TRUE, &content_len);

  return content - rest;
}

/* A "?" or "??" line at @sep in the chunk whose current block starts at
 * @block_start. Returns the last line of the card, or -1 when it is none. */
static int
try_multiline_card (Parser *p,
                    int     block_start,
                    int     sep,
                    int     chunk_end,
                    gboolean reversed)
{
  int qs = block_start, ae = chunk_end, item = -1;
  gsize sep_indent, rest_len, item_marker = 0;
  const char *rest = after_quotes (&p->lines[sep], &rest_len);
  g_autoptr(GPtrArray) question = NULL;
  g_autoptr(GPtrArray) answer = NULL;
  g_autofree char *front = NULL;
  g_autofree char *back = NULL;
  g_autofree char *question_id = NULL;
  Extras extras;
  int first = -1, last = -1, a_first = -1, a_last = -1;

  if (sep <= block_start)
    return -1;

  /* A separator indented into a list item makes a card of that item. */
  sep_indent = leading_space (rest, rest_len);
  for (int k = sep - 1; k >= block_start; k--)
    if (p->lines[k].items > 0 && p->lines[k].kind == LINE_TEXT)
      {
        if (sep_indent >= content_column (&p->lines[k]))
          {
            const char *krest = after_quotes (&p->lines[k], &rest_len);
            item = qs = k;
            item_marker = leading_space (krest, rest_len);
          }
        break;
      }

  if (item >= 0)
    for (int j = sep + 1; j <= chunk_end; j++)
      {
        const char *jrest = after_quotes (&p->lines[j], &rest_len);
        if (p->lines[j].items > 0 && leading_space (jrest, rest_len) <= item_marker)
          {
            ae = j - 1;
            break;
          }
      }
  if (ae <= sep)
    return -1;

  question = collect_pieces (p, qs, sep - 1, -1, item >= 0);
  answer = collect_pieces (p, sep + 1, ae, -1, FALSE);

  /* As for one-line cards, a side that is only tag-like words is text. */
  for (guint pass = 0; pass < 2; pass++)
    {
      extras_init (&extras);
      g_free (front);
      g_free (back);
      g_clear_pointer (&question_id, g_free);
      front = finish_pieces (question, pass == 0, &extras, &first, &last);
      /* The id goes at the end of the card; one on the question's line
       * counts when the answer has none. */
      question_id = g_steal_pointer (&extras.block_id);
      back = finish_pieces (answer, pass == 0, &extras, &a_first, &a_last);
      if (front[0] != '\0' && back[0] != '\0')
        break;
      extras_clear (&extras);
    }
  if (front[0] == '\0' || back[0] == '\0')
    return -1;
  if (extras.block_id == NULL)
    extras.block_id = g_steal_pointer (&question_id);

  add_card (p, reversed ? SD_CARD_SYNTAX_REVERSED : SD_CARD_SYNTAX_BASIC,
            g_steal_pointer (&front), g_steal_pointer (&back), &extras, first, a_last);
  for (int i = qs; i <= ae; i++)
    p->lines[i].consumed = TRUE;
  extras_clear (&extras);
  return ae;
}

/* ==text== at @i: not part of a longer run of '=', not opening on a space
 * nor closing after one. */
static gboolean
find_highlight (const char   *s,
                gsize         len,
                const guint8 *mask,
                gsize         i,
                gsize        *close)
{
  if (i + 5 > len || s[i] != '=' || s[i + 1] != '=' || mask[i] || mask[i + 1])
    return FALSE;
  if ((i > 0 && s[i - 1] == '=') || s[i + 2] == '=' || g_ascii_isspace (s[i + 2]))
    return FALSE;
  for (gsize j = i + 3; j + 1 < len; j++)
    {
      if (mask[j])
        continue;
      if (s[j] == '=' && s[j + 1] == '=' && !mask[j + 1])
        {
          if (g_ascii_isspace (s[j - 1]) || (j + 2 < len && s[j + 2] == '='))
            return FALSE;
          *close = j;
          return TRUE;
        }
    }
  return FALSE;
}

/* Turns ==text== into {{cN::text}}, numbering from @next. */
static char *
convert_highlights (const char *s,
                    guint      *next,
                    gboolean    convert)
{
  gsize len = strlen (s);
  g_autofree guint8 *mask = compute_mask (s, len, MASK_ALL);
  g_autoptr(GString) out = g_string_new (NULL);
  gsize i = 0;

  while (i < len)
    {
      gsize close;

      if (find_highlight (s, len, mask, i, &close))
        {
          if (convert)
            g_string_append_printf (out, "{{c%u::", (*next));
          (*next)++;
          g_string_append_len (out, s + i + 2, close - i - 2);
          if (convert)
            g_string_append (out, "}}");
          else
            g_string_append (out, "==");
          i = close + 2;
          continue;
        }
      g_string_append_c (out, s[i]);
      i++;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Cloze numbers written in @text, outside code and math; c0 makes no card. */
static GArray *
cloze_numbers (const char *text)
{
  gsize len = strlen (text);
  /* Raw HTML is left out of the card (cmark's safe mode), so a cloze in it
   * is none either. */
  g_autofree guint8 *mask = compute_mask (text, len, MASK_CODE | MASK_MATH | MASK_HTML);
  g_autofree char *visible = g_strdup (text);
  GArray *numbers;

  if (strstr (text, "{{") == NULL)
    return g_array_new (FALSE, FALSE, sizeof (guint));
  for (gsize i = 0; i < len; i++)
    if (mask[i])
      visible[i] = ' ';
  numbers = sd_cloze_numbers_in_text (visible);
  for (guint i = numbers->len; i > 0; i--)
    if (g_array_index (numbers, guint, i - 1) == 0)
      g_array_remove_index (numbers, i - 1);
  return numbers;
}

static void
try_cloze (Parser *p,
           int     from,
           int     to)
{
  g_autoptr(GPtrArray) pieces = collect_pieces (p, from, to, -1, TRUE);
  g_autoptr(GArray) numbers = NULL;
  g_autoptr(GArray) all = NULL;
  g_autofree char *text = NULL;
  g_autofree char *joined = NULL;
  guint highlights = 0, next, max = 0;
  int first = -1, last = -1;
  Extras extras;
  SdCardSyntaxCard *card;

  extras_init (&extras);
  text = finish_pieces (pieces, TRUE, &extras, &first, &last);
  numbers = cloze_numbers (text);

  if (p->highlight)
    {
      g_autofree char *unchanged = NULL;

      next = 0;
      unchanged = convert_highlights (text, &next, FALSE);
      highlights = next;
    }

  if ((numbers->len == 0 && highlights == 0) || text[0] == '\0')
    {
      extras_clear (&extras);
      return;
    }

  if (highlights > 0)
    {
      char *converted;

      if (numbers->len > 0)
        max = g_array_index (numbers, guint, numbers->len - 1);
      next = max + 1;
      converted = convert_highlights (text, &next, TRUE);
      g_free (text);
      text = converted;
    }

  all = cloze_numbers (text);
  card = add_card (p, SD_CARD_SYNTAX_CLOZE, g_steal_pointer (&text), g_strdup (""), &extras,
                   first, last);
  g_array_append_vals (card->cloze, all->data, all->len);
  for (int i = from; i <= to; i++)
    p->lines[i].consumed = TRUE;
  extras_clear (&extras);
}

static void
parse_chunk (Parser *p,
             int     lo,
             int     hi)
{
  const SdCardSyntaxSettings *s = p->settings;
  int block_start = lo;
  int group = -1;

  for (int i = lo; i <= hi; i++)
    {
      Line *line = &p->lines[i];
      gboolean rev;

      if (line->kind != LINE_TEXT || line->consumed)
        continue;

      rev = content_is (line, s->multiline_reversed_separator);
      if (rev || content_is (line, s->multiline_separator))
        {
          int end = try_multiline_card (p, block_start, i, hi, rev);
          if (end >= 0)
            {
              block_start = end + 1;
              i = end;
            }
          continue;
        }

      if (try_inline_card (p, i))
        block_start = i + 1;
    }

  /* What no other card took may hold clozes: a paragraph, or one list item,
   * at a time. */
  for (int i = lo; i <= hi + 1; i++)
    {
      gboolean member = i <= hi && !p->lines[i].consumed
                        && (p->lines[i].kind == LINE_TEXT || p->lines[i].kind == LINE_MATH
                            || p->lines[i].kind == LINE_TABLE);

      if (group >= 0 && (!member || p->lines[i].items > 0))
        {
          try_cloze (p, group, i - 1);
          group = -1;
        }
      if (member && group < 0)
        group = i;
    }
}

static gboolean
is_chunk_line (LineKind kind)
{
  return kind == LINE_TEXT || kind == LINE_CODE || kind == LINE_MATH
         || kind == LINE_TABLE || kind == LINE_SKIP;
}

/**
 * sd_card_syntax_parse:
 * @text: a whole note, front matter included
 * @settings: (nullable): the separators; %NULL for the defaults
 * @default_deck: (nullable): the deck of cards nothing else places
 *
 * Finds the flashcards written in a note. Pure: no I/O.
 *
 * Returns: (transfer full) (element-type SdCardSyntaxCard): the cards in
 *   the order they are written
 */
GPtrArray *
sd_card_syntax_parse (const char                 *text,
                      const SdCardSyntaxSettings *settings,
                      const char                 *default_deck)
{
  g_autoptr(SdCardSyntaxSettings) defaults = NULL;
  g_autofree char *yaml = NULL;
  const char *body;
  int body_line;
  Parser p = { 0 };

  g_return_val_if_fail (text != NULL, NULL);

  if (settings == NULL)
    settings = defaults = sd_card_syntax_settings_new ();

  p.settings = settings;
  p.cards = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_card_syntax_card_free);
  p.headings = g_ptr_array_new_with_free_func ((GDestroyNotify) heading_entry_free);
  p.default_deck = default_deck;
  p.fm.tags = g_ptr_array_new_with_free_func (g_free);
  p.line_decks = g_array_new (FALSE, FALSE, sizeof (gboolean));

  body = sd_markdown_text_skip_front_matter (text, &yaml, &body_line);
  parse_front_matter (yaml, &p.fm);
  p.highlight = settings->highlight_clozes || p.fm.highlight;
  p.first_line = body_line;

  for (guint i = 0; i < p.fm.tags->len && p.note_deck == NULL; i++)
    {
      char *deck = NULL;

      if (flashcards_tag (p.fm.tags->pdata[i], &deck))
        p.note_deck = deck;
    }

  split_lines (&p, body);
  classify_lines (&p, body);

  for (int i = 0; i < p.n_lines;)
    {
      Line *line = &p.lines[i];

      if (line->kind == LINE_HEADING && line->heading != NULL)
        {
          HeadingEntry *entry = g_new0 (HeadingEntry, 1);

          while (p.headings->len > 0
                 && ((HeadingEntry *) g_ptr_array_index (p.headings, p.headings->len - 1))->level
                    >= line->heading_level)
            g_ptr_array_remove_index (p.headings, p.headings->len - 1);
          entry->level = line->heading_level;
          entry->text = g_strdup (line->heading);
          g_ptr_array_add (p.headings, entry);
        }

      if (is_chunk_line (line->kind))
        {
          int hi = i;

          while (hi + 1 < p.n_lines && is_chunk_line (p.lines[hi + 1].kind))
            hi++;
          parse_chunk (&p, i, hi);
          i = hi + 1;
          continue;
        }
      i++;
    }

  find_note_deck (&p);
  for (guint i = 0; i < p.cards->len; i++)
    {
      SdCardSyntaxCard *card = g_ptr_array_index (p.cards, i);
      const char *deck = p.fm.deck ? p.fm.deck : p.note_deck ? p.note_deck : default_deck;

      if (!g_array_index (p.line_decks, gboolean, i))
        card->deck = g_strdup (deck);
    }

  for (int i = 0; i < p.n_lines; i++)
    g_free (p.lines[i].heading);
  g_free (p.lines);
  g_ptr_array_unref (p.headings);
  g_free (p.fm.deck);
  g_ptr_array_unref (p.fm.tags);
  g_free (p.note_deck);
  g_array_unref (p.line_decks);
  return p.cards;
}

/**
 * sd_card_syntax_may_contain_cards:
 *
 * A quick look for anything that could make a card, so notes without cards
 * cost no parse. %FALSE means sd_card_syntax_parse() would find none.
 */
gboolean
sd_card_syntax_may_contain_cards (const char                 *text,
                                  const SdCardSyntaxSettings *settings)
{
  g_autoptr(SdCardSyntaxSettings) defaults = NULL;
  const char *seps[2];
  const char *p;

  if (settings == NULL)
    settings = defaults = sd_card_syntax_settings_new ();

  if (strstr (text, "{{") != NULL || strstr (text, "==") != NULL)
    return TRUE;
  if (settings->inline_separator[0] != '\0' && strstr (text, settings->inline_separator) != NULL)
    return TRUE;
  if (settings->inline_reversed_separator[0] != '\0'
      && strstr (text, settings->inline_reversed_separator) != NULL)
    return TRUE;

  seps[0] = settings->multiline_separator;
  seps[1] = settings->multiline_reversed_separator;
  for (p = text; *p != '\0';)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl ? (gsize) (nl - p) : strlen (p);
      gsize b = 0, e = len;

      while (b < e && (p[b] == ' ' || p[b] == '\t' || p[b] == '>'))
        b++;
      while (e > b && g_ascii_isspace (p[e - 1]))
        e--;
      for (guint i = 0; i < 2; i++)
        if (seps[i][0] != '\0' && e - b == strlen (seps[i]) && memcmp (p + b, seps[i], e - b) == 0)
          return TRUE;
      if (nl == NULL)
        break;
      p = nl + 1;
    }
  return FALSE;
}

/**
 * sd_card_syntax_folder_deck:
 * @folder_name: the notes folder's own name
 * @relpath: the note's path inside it
 *
 * The deck of a note that names none: the folder's name, then the folders
 * down to the note ("samples::lab" for samples/lab/x.md).
 *
 * Returns: (transfer full) (nullable): the deck name
 */
char *
sd_card_syntax_folder_deck (const char *folder_name,
                            const char *relpath)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (nonnull (relpath), G_DIR_SEPARATOR_S, -1);
  g_auto(GStrv) names = NULL;
  guint n = g_strv_length (parts);

  if (folder_name != NULL)
    {
      g_autofree char *name = g_strdelimit (g_strstrip (g_strdup (folder_name)), ":", '_');
      if (name[0] != '\0' && !g_str_equal (name, G_DIR_SEPARATOR_S))
        g_strv_builder_add (builder, name);
    }
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *name = g_strdelimit (g_strstrip (g_strdup (parts[i])), ":", '_');
      if (name[0] != '\0' && !g_str_equal (name, "."))
        g_strv_builder_add (builder, name);
    }
  names = g_strv_builder_end (builder);
  return names[0] ? g_strjoinv ("::", names) : NULL;
}

/**
 * sd_card_syntax_mark_literal_braces:
 *
 * Puts %SD_CARD_SYNTAX_LITERAL_MARK between the braces of every "{{" inside
 * code or math, which the parser does not read as a cloze, so whoever turns
 * the text into a field can keep Anki from reading one there either.
 *
 * Returns: (transfer full): the marked text
 */
char *
sd_card_syntax_mark_literal_braces (const char *markdown)
{
  gsize len = strlen (markdown);
  g_autofree guint8 *mask = NULL;
  g_autoptr(GString) out = NULL;

  if (strstr (markdown, "{{") == NULL)
    return g_strdup (markdown);

  mask = compute_mask (markdown, len, MASK_CODE | MASK_MATH);
  out = g_string_sized_new (len + 8);
  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c (out, markdown[i]);
      if (markdown[i] == '{' && i + 1 < len && markdown[i + 1] == '{' && mask[i] && mask[i + 1])
        g_string_append (out, SD_CARD_SYNTAX_LITERAL_MARK);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
