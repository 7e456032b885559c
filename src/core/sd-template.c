/* sd-template.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#if defined(__has_include)
# if __has_include("config.h")
#  include "config.h"
# endif
#endif
#ifndef GETTEXT_PACKAGE
# define GETTEXT_PACKAGE "studydeck"
#endif

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sd-cloze.h"
#include "sd-html-text.h"
#include "sd-template.h"

#define ALT_SYNTAX_DIRECTIVE "{{=<% %>=}}"
#define TEMPLATE_ERROR_LINK \
  "https://docs.ankiweb.net/templates/errors.html#template-syntax-error"
#define TEMPLATE_BLANK_LINK \
  "https://docs.ankiweb.net/templates/errors.html#front-of-card-is-blank"
#define TEMPLATE_BLANK_CLOZE_LINK \
  "https://docs.ankiweb.net/templates/errors.html#no-cloze-filter-on-cloze-note-type"

/* Conditionals nested deeper than this are refused, which keeps parsing and
 * rendering (both recursive over the tree) safe from hostile templates. */
#define MAX_DEPTH 200

G_DEFINE_QUARK (sd-template-error-quark, sd_template_error)

/* Tree
 * ------------------------------------------------------------------------ */

typedef enum
{
  NODE_TEXT,
  NODE_COMMENT,
  NODE_REPLACEMENT,
  NODE_CONDITIONAL,
  NODE_NEGATED,
} NodeKind;

typedef struct _Node Node;

struct _Node
{
  NodeKind  kind;
  char     *text;       /* text, comment body, or the field name */
  gsize     len;
  char    **filters;    /* replacement: nearest to the field first */
  guint     n_filters;
  Node     *children;   /* conditionals */
  guint     n_children;
};

struct _SdTemplate
{
  Node  *nodes;
  guint  n_nodes;
};

static void
node_clear (gpointer data)
{
  Node *node = data;

  g_free (node->text);
  g_strfreev (node->filters);
  for (guint i = 0; i < node->n_children; i++)
    node_clear (&node->children[i]);
  g_free (node->children);
}

void
sd_template_free (SdTemplate *tmpl)
{
  if (tmpl == NULL)
    return;
  for (guint i = 0; i < tmpl->n_nodes; i++)
    node_clear (&tmpl->nodes[i]);
  g_free (tmpl->nodes);
  g_free (tmpl);
}

/* Small string helpers
 * ------------------------------------------------------------------------ */

static gssize
find_str (const char *s,
          gsize       len,
          gsize       from,
          const char *needle)
{
  gsize nlen = strlen (needle);

  while (from + nlen <= len)
    {
      const char *hit = memchr (s + from, needle[0], len - from - nlen + 1);

      if (hit == NULL)
        return -1;
      if (memcmp (hit, needle, nlen) == 0)
        return hit - s;
      from = (hit - s) + 1;
    }
  return -1;
}

typedef struct
{
  gsize    searched_from;
  gssize   found;
  gboolean valid;
} SearchCache;

/* First @needle at or after @from, reusing the previous answer when the
 * searches move forward, so that tokenizing stays linear. */
static gssize
cached_find (SearchCache *cache,
             const char  *s,
             gsize        len,
             gsize        from,
             const char  *needle)
{
  if (cache->valid && cache->searched_from <= from
      && (cache->found < 0 || (gsize) cache->found >= from))
    return cache->found;
  cache->valid = TRUE;
  cache->searched_from = from;
  cache->found = find_str (s, len, from, needle);
  return cache->found;
}

static void
trim_range (const char **s,
            gsize       *len,
            gboolean     start,
            gboolean     end)
{
  const char *b = *s, *e = *s + *len;

  while (start && b < e && sd_html_text_is_white_space (g_utf8_get_char (b)))
    b = g_utf8_next_char (b);
  while (end && e > b)
    {
      const char *prev = g_utf8_find_prev_char (b, e);

      if (prev == NULL || !sd_html_text_is_white_space (g_utf8_get_char (prev)))
        break;
      e = prev;
    }
  *s = b;
  *len = e - b;
}

static const char *
valid_utf8 (const char *text,
            GPtrArray  *owned)
{
  char *copy;

  if (text == NULL)
    return "";
  if (g_utf8_validate (text, -1, NULL))
    return text;
  copy = g_utf8_make_valid (text, -1);
  g_ptr_array_add (owned, copy);
  return copy;
}

/* Lexing
 * ------------------------------------------------------------------------ */

typedef enum
{
  TOKEN_END,
  TOKEN_TEXT,
  TOKEN_COMMENT,
  TOKEN_TAG,
} TokenKind;

typedef struct
{
  const char  *s;
  gsize        len;
  gsize        pos;
  const char  *open;
  const char  *close;
  SearchCache  next_open;
  SearchCache  next_close;
  SearchCache  next_comment;
  SearchCache  next_comment_end;
} Lexer;

/* The next text run, `<!--…-->` comment, or handlebar tag.  A tag or
 * comment without its closing delimiter is text, like in Anki. */
static TokenKind
lexer_next (Lexer *lx,
            gsize *start,
            gsize *end)
{
  gssize tag, comment, close;

  if (lx->pos >= lx->len)
    return TOKEN_END;

  tag = cached_find (&lx->next_open, lx->s, lx->len, lx->pos, lx->open);
  if (tag >= 0 && cached_find (&lx->next_close, lx->s, lx->len, tag + 2, lx->close) < 0)
    tag = -1;
  comment = cached_find (&lx->next_comment, lx->s, lx->len, lx->pos, "<!--");
  if (comment >= 0 && cached_find (&lx->next_comment_end, lx->s, lx->len, comment + 4, "-->") < 0)
    comment = -1;

  if (tag < 0 && comment < 0)
    {
      *start = lx->pos;
      *end = lx->pos = lx->len;
      return TOKEN_TEXT;
    }

  if (tag >= 0 && (comment < 0 || tag < comment))
    {
      if ((gsize) tag > lx->pos)
        {
          *start = lx->pos;
          *end = lx->pos = tag;
          return TOKEN_TEXT;
        }
      close = cached_find (&lx->next_close, lx->s, lx->len, tag + 2, lx->close);
      *start = tag + 2;
      *end = close;
      lx->pos = close + 2;
      return TOKEN_TAG;
    }

  if ((gsize) comment > lx->pos)
    {
      *start = lx->pos;
      *end = lx->pos = comment;
      return TOKEN_TEXT;
    }
  close = cached_find (&lx->next_comment_end, lx->s, lx->len, comment + 4, "-->");
  *start = comment + 4;
  *end = close;
  lx->pos = close + 3;
  return TOKEN_COMMENT;
}

/* Parsing
 * ------------------------------------------------------------------------ */

typedef struct
{
  GArray   *nodes;
  char     *key;
  NodeKind  kind;
} ParseFrame;

static void
parse_frame_clear (gpointer data)
{
  ParseFrame *frame = data;

  g_clear_pointer (&frame->nodes, g_array_unref);
  g_clear_pointer (&frame->key, g_free);
}

static void
push_frame (GArray     *frames,
            char       *key,
            NodeKind    kind)
{
  ParseFrame frame = { g_array_new (FALSE, TRUE, sizeof (Node)), key, kind };

  g_array_set_clear_func (frame.nodes, node_clear);
  g_array_append_val (frames, frame);
}

static GArray *
top_nodes (GArray *frames)
{
  return g_array_index (frames, ParseFrame, frames->len - 1).nodes;
}

static void
add_replacement (GArray     *nodes,
                 const char *tag,
                 gsize       len)
{
  Node node = { NODE_REPLACEMENT, NULL, 0, NULL, 0, NULL, 0 };
  g_autofree char *copy = g_strndup (tag, len);
  g_auto(GStrv) parts = g_strsplit (copy, ":", -1);
  guint n = g_strv_length (parts);

  node.text = g_strdup (parts[n - 1]);
  node.len = strlen (node.text);
  node.n_filters = n - 1;
  node.filters = g_new0 (char *, n);
  for (guint i = 0; i + 1 < n; i++)
    node.filters[i] = g_strdup (parts[n - 2 - i]);
  g_array_append_val (nodes, node);
}

SdTemplate *
sd_template_parse (const char *text,
                   GError    **error)
{
  g_autofree char *tmp = NULL;
  g_autoptr(GArray) frames = g_array_new (FALSE, TRUE, sizeof (ParseFrame));
  const char *s;
  gsize len, start, end;
  Lexer lx = { 0 };
  TokenKind kind;
  SdTemplate *tmpl;
  ParseFrame *root;

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    text = tmp = g_utf8_make_valid (text, -1);
  s = text;
  len = strlen (s);

  g_array_set_clear_func (frames, parse_frame_clear);
  push_frame (frames, NULL, NODE_TEXT);

  lx.open = "{{";
  lx.close = "}}";
  {
    const char *trimmed = s;
    gsize tlen = len;

    trim_range (&trimmed, &tlen, TRUE, FALSE);
    if (g_str_has_prefix (trimmed, ALT_SYNTAX_DIRECTIVE))
      {
        while (g_str_has_prefix (trimmed, ALT_SYNTAX_DIRECTIVE))
          trimmed += strlen (ALT_SYNTAX_DIRECTIVE);
        len -= trimmed - s;
        s = trimmed;
        lx.open = "<%";
        lx.close = "%>";
      }
  }
  lx.s = s;
  lx.len = len;

  while ((kind = lexer_next (&lx, &start, &end)) != TOKEN_END)
    {
      GArray *nodes = top_nodes (frames);
      const char *tag = s + start;
      gsize tag_len = end - start;
      Node node = { NODE_TEXT, NULL, 0, NULL, 0, NULL, 0 };

      if (kind == TOKEN_TEXT || kind == TOKEN_COMMENT)
        {
          node.kind = kind == TOKEN_TEXT ? NODE_TEXT : NODE_COMMENT;
          node.text = g_strndup (tag, tag_len);
          node.len = tag_len;
          g_array_append_val (nodes, node);
          continue;
        }

      while (tag_len > 0 && *tag == '{')
        {
          tag++;
          tag_len--;
        }
      trim_range (&tag, &tag_len, TRUE, TRUE);

      if (tag_len == 0)
        {
          g_set_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_EMPTY_TAG,
                       _("Found '%s', but there is no field called '%s'"), "{{}}", "");
          return NULL;
        }

      if (tag_len < 2 || (tag[0] != '#' && tag[0] != '^' && tag[0] != '/'))
        {
          add_replacement (nodes, tag, tag_len);
          continue;
        }

      {
        char sigil = tag[0];
        const char *key = tag + 1;
        gsize key_len = tag_len - 1;

        trim_range (&key, &key_len, TRUE, FALSE);
        if (sigil != '/')
          {
            if (frames->len > MAX_DEPTH)
              {
                g_set_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_TOO_DEEP,
                             _("Conditionals are nested more than %d levels deep"), MAX_DEPTH);
                return NULL;
              }
            push_frame (frames, g_strndup (key, key_len),
                        sigil == '#' ? NODE_CONDITIONAL : NODE_NEGATED);
            continue;
          }

        {
          g_autofree char *closed = g_strndup (key, key_len);
          g_autofree char *found = g_strdup_printf ("{{/%s}}", closed);
          ParseFrame *top = &g_array_index (frames, ParseFrame, frames->len - 1);

          if (frames->len == 1)
            {
              g_autofree char *m1 = g_strdup_printf ("{{#%s}}", closed);
              g_autofree char *m2 = g_strdup_printf ("{{^%s}}", closed);

              g_set_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_CONDITIONAL_NOT_OPEN,
                           _("Found '%s', but missing '%s' or '%s'"), found, m1, m2);
              return NULL;
            }
          if (strcmp (top->key, closed) != 0)
            {
              g_autofree char *expected = g_strdup_printf ("{{/%s}}", top->key);

              g_set_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_WRONG_CONDITIONAL_CLOSED,
                           _("Found '%s', but expected '%s'"), found, expected);
              return NULL;
            }

          node.kind = top->kind;
          node.text = g_steal_pointer (&top->key);
          node.len = strlen (node.text);
          node.n_children = top->nodes->len;
          node.children = (Node *) (void *) g_array_free (g_steal_pointer (&top->nodes), FALSE);
          g_array_set_size (frames, frames->len - 1);
          g_array_append_val (top_nodes (frames), node);
        }
      }
    }

  if (frames->len > 1)
    {
      ParseFrame *top = &g_array_index (frames, ParseFrame, frames->len - 1);
      g_autofree char *missing = g_strdup_printf ("{{/%s}}", top->key);

      g_set_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED,
                   _("Missing '%s'"), missing);
      return NULL;
    }

  root = &g_array_index (frames, ParseFrame, 0);
  tmpl = g_new0 (SdTemplate, 1);
  tmpl->n_nodes = root->nodes->len;
  tmpl->nodes = (Node *) (void *) g_array_free (g_steal_pointer (&root->nodes), FALSE);
  return tmpl;
}

/* Fields available to a template
 * ------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *value;
  int         nonempty;   /* -1 until computed */
  gboolean    note_field;
} FieldEntry;

typedef struct
{
  const SdTemplateContext *ctx;
  GArray                  *entries;
  GPtrArray               *owned;
  gboolean                 question;
  const char              *front_side;
} RenderState;

static FieldEntry *
lookup_field (RenderState *st,
              const char  *name)
{
  for (guint i = 0; i < st->entries->len; i++)
    {
      FieldEntry *e = &g_array_index (st->entries, FieldEntry, i);

      if (strcmp (e->name, name) == 0)
        return e;
    }
  return NULL;
}

static gboolean
entry_nonempty (FieldEntry *e)
{
  if (e->nonempty < 0)
    e->nonempty = !sd_html_text_field_is_empty (e->value);
  return e->nonempty;
}

/* Adds @name unless a note field already has it.  Takes @value. */
static void
add_special (RenderState *st,
             const char  *name,
             char        *value)
{
  FieldEntry e = { name, value, -1, FALSE };

  g_ptr_array_add (st->owned, value);
  if (lookup_field (st, name) == NULL)
    g_array_append_val (st->entries, e);
}

static char *
normalize_tags (const char *tags)
{
  g_auto(GStrv) parts = g_strsplit_set (tags != NULL ? tags : "", " \t\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

/* The fields Anki puts in the render map: the note's fields, the special
 * fields, and "c<ord+1>" = "1" (so {{#c2}} is true on the second card). */
static void
render_state_init (RenderState             *st,
                   const SdTemplateContext *ctx,
                   gboolean                 question)
{
  const char *deck;
  const char *subdeck;

  st->ctx = ctx;
  st->question = question;
  st->front_side = "";
  st->entries = g_array_new (FALSE, FALSE, sizeof (FieldEntry));
  st->owned = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ctx->n_fields; i++)
    {
      FieldEntry e = { NULL, NULL, -1, TRUE };

      if (ctx->field_names == NULL || ctx->field_names[i] == NULL)
        continue;
      e.name = valid_utf8 (ctx->field_names[i], st->owned);
      e.value = valid_utf8 (ctx->field_values != NULL ? ctx->field_values[i] : NULL,
                            st->owned);
      g_array_append_val (st->entries, e);
    }

  deck = valid_utf8 (ctx->deck_name != NULL ? ctx->deck_name : "(Deck)", st->owned);
  subdeck = deck;
  for (const char *p = strstr (deck, "::"); p != NULL; p = strstr (p + 2, "::"))
    subdeck = p + 2;

  add_special (st, "Tags", normalize_tags (valid_utf8 (ctx->tags, st->owned)));
  add_special (st, "Type", g_strdup (valid_utf8 (ctx->notetype_name, st->owned)));
  add_special (st, "Subdeck", g_strdup (subdeck));
  add_special (st, "Deck", g_strdup (deck));
  add_special (st, "CardFlag", g_strdup_printf ("flag%d", ctx->flag));
  add_special (st, "Card", g_strdup (valid_utf8 (ctx->card_name, st->owned)));
  add_special (st, "CardID", g_strdup_printf ("%" G_GINT64_FORMAT, ctx->card_id));

  {
    char *name = g_strdup_printf ("c%u", ctx->card_ord + 1);
    FieldEntry e = { name, "1", -1, FALSE };

    g_ptr_array_add (st->owned, name);
    if (lookup_field (st, name) == NULL)
      g_array_append_val (st->entries, e);
  }
}

static void
render_state_clear (RenderState *st)
{
  g_clear_pointer (&st->entries, g_array_unref);
  g_clear_pointer (&st->owned, g_ptr_array_unref);
}

/* "c" followed by a number that fits in 32 bits, like Rust's u32 parser
 * (which accepts a leading '+'). */
static gboolean
is_cloze_conditional (const char *key)
{
  const char *p = key;
  guint64 n = 0;

  if (*p++ != 'c')
    return FALSE;
  if (*p == '+')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      n = n * 10 + (*p - '0');
      if (n > G_MAXUINT32)
        return FALSE;
    }
  return TRUE;
}

/* Filters
 * ------------------------------------------------------------------------ */

typedef enum
{
  RUBY_FURIGANA,
  RUBY_KANJI,
  RUBY_KANA,
} RubyMode;

/* ` ?([^ >]+?)\[(.+?)\]` over the text with "&nbsp;" made a space:
 * "漢字[かんじ]" → ruby markup, the base text, or the reading.  Readings
 * starting with "sound:" are left alone. */
static char *
ruby_filter (const char *text,
             RubyMode    mode)
{
  g_autoptr(GString) src = g_string_new (text);
  GString *out;
  const char *s;
  gsize len, p = 0, copy_from = 0;
  SearchCache close_cache = { 0 }, nl_cache = { 0 };

  g_string_replace (src, "&nbsp;", " ", 0);
  s = src->str;
  len = src->len;
  out = g_string_sized_new (len + 32);

  while (p < len)
    {
      gsize g1 = s[p] == ' ' ? p + 1 : p;
      gsize k = g1;
      gboolean matched = FALSE;
      gsize base_end = 0, reading_start = 0, reading_end = 0;

      /* grow the base one character at a time, trying each '[' after it */
      while (k < len && s[k] != ' ' && s[k] != '>')
        {
          k += g_utf8_skip[(guchar) s[k]];
          if (k < len && s[k] == '[' && k + 1 < len && s[k + 1] != '\n')
            {
              gsize from = k + 1 + g_utf8_skip[(guchar) s[k + 1]];
              gssize close = cached_find (&close_cache, s, len, from, "]");
              gssize nl = cached_find (&nl_cache, s, len, k + 1, "\n");

              if (close >= 0 && (nl < 0 || nl > close))
                {
                  matched = TRUE;
                  base_end = k;
                  reading_start = k + 1;
                  reading_end = close;
                  break;
                }
            }
        }

      if (!matched)
        {
          /* no start inside this run can match either */
          p = MAX (k, p + 1);
          continue;
        }

      g_string_append_len (out, s + copy_from, p - copy_from);
      if (g_str_has_prefix (s + reading_start, "sound:"))
        g_string_append_len (out, s + p, reading_end + 1 - p);
      else if (mode == RUBY_KANJI)
        g_string_append_len (out, s + g1, base_end - g1);
      else if (mode == RUBY_KANA)
        g_string_append_len (out, s + reading_start, reading_end - reading_start);
      else
        {
          g_string_append (out, "<ruby><rb>");
          g_string_append_len (out, s + g1, base_end - g1);
          g_string_append (out, "</rb><rt>");
          g_string_append_len (out, s + reading_start, reading_end - reading_start);
          g_string_append (out, "</rt></ruby>");
        }
      copy_from = p = reading_end + 1;
    }
  g_string_append_len (out, s + copy_from, len - copy_from);
  return g_string_free (out, FALSE);
}

static char *
hint_filter (const char *text,
             const char *field_name)
{
  g_autoptr(GChecksum) sha1 = NULL;
  GString *out;
  const char *t = text;
  gsize tlen = strlen (text);
  char id[17];

  trim_range (&t, &tlen, TRUE, TRUE);
  if (tlen == 0)
    return g_strdup (text);

  sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sha1, (const guchar *) text, -1);
  g_checksum_update (sha1, (const guchar *) field_name, -1);
  g_strlcpy (id, g_checksum_get_string (sha1), sizeof id);

  out = g_string_new (NULL);
  g_string_append_printf (out, "<a class=\"hint\" href=\"sd-hint:%s\">", id);
  sd_html_text_append_escaped (out, field_name, -1);
  g_string_append_printf (out, "</a><div class=\"hint-content\" id=\"hint%s\" data-hint-id=\"%s\""
                               " style=\"display: none\">", id, id);
  g_string_append (out, text);
  g_string_append (out, "</div>");
  return g_string_free (out, FALSE);
}

/* Applies the filters nearest the field first.  When the leftmost filter is
 * "type", the whole tag becomes a type-answer marker (resolved once the side
 * is rendered) and the other filters are dropped, as in Anki. */
static char *
apply_filters (RenderState *st,
               const char  *key,
               const char  *value,
               char       **filters,
               guint        n_filters)
{
  static const char *type_only[] = { "type" };
  static const char *type_cloze[] = { "type-cloze" };
  static const char *type_nc[] = { "type-nc" };
  const char * const *names = (const char * const *) filters;
  char *text = g_strdup (value);

  if (n_filters == 2 && strcmp (filters[0], "cloze") == 0 && strcmp (filters[1], "type") == 0)
    names = type_cloze;
  else if (n_filters == 2 && strcmp (filters[0], "nc") == 0 && strcmp (filters[1], "type") == 0)
    names = type_nc;
  else if (n_filters > 0 && strcmp (filters[n_filters - 1], "type") == 0)
    names = type_only;
  if (names != (const char * const *) filters)
    n_filters = 1;

  for (guint i = 0; i < n_filters; i++)
    {
      const char *name = names[i];
      char *next = NULL;

      if (strcmp (name, "text") == 0)
        next = sd_html_text_strip (text);
      else if (strcmp (name, "furigana") == 0)
        next = ruby_filter (text, RUBY_FURIGANA);
      else if (strcmp (name, "kanji") == 0)
        next = ruby_filter (text, RUBY_KANJI);
      else if (strcmp (name, "kana") == 0)
        next = ruby_filter (text, RUBY_KANA);
      else if (strcmp (name, "type") == 0)
        next = g_strdup_printf ("[[type:%s]]", key);
      else if (strcmp (name, "type-cloze") == 0)
        next = g_strdup_printf ("[[type:cloze:%s]]", key);
      else if (strcmp (name, "type-nc") == 0)
        next = g_strdup_printf ("[[type:nc:%s]]", key);
      else if (strcmp (name, "hint") == 0)
        next = hint_filter (text, key);
      else if (strcmp (name, "cloze") == 0)
        next = sd_cloze_filter (text, st->ctx->card_ord, st->question);
      else if (strcmp (name, "cloze-only") == 0)
        next = sd_cloze_only_filter (text, st->ctx->card_ord, st->question);
      /* "", "tts …" and unknown filters leave the text as it is */

      if (next != NULL)
        {
          g_free (text);
          text = next;
        }
    }
  return text;
}

/* Rendering
 * ------------------------------------------------------------------------ */

static void
set_no_such_field (GError    **error,
                   const Node *node)
{
  g_autoptr(GString) found = g_string_new ("{{");

  for (guint i = node->n_filters; i > 0; i--)
    g_string_append_printf (found, "%s:", node->filters[i - 1]);
  g_string_append_printf (found, "%s}}", node->text);
  g_set_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_NO_SUCH_FIELD,
               _("Found '%s', but there is no field called '%s'"), found->str, node->text);
}

static gboolean
evaluate_conditional (RenderState *st,
                      const Node  *node,
                      gboolean    *result,
                      GError     **error)
{
  FieldEntry *e = lookup_field (st, node->text);
  gboolean negated = node->kind == NODE_NEGATED;

  if (e != NULL && entry_nonempty (e))
    *result = !negated;
  else if (e != NULL || is_cloze_conditional (node->text))
    *result = negated;
  else
    {
      g_autofree char *found = g_strdup_printf ("{{%c%s}}", negated ? '^' : '#', node->text);

      g_set_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_NO_SUCH_FIELD,
                   _("Found '%s', but there is no field called '%s'"), found, node->text);
      return FALSE;
    }
  return TRUE;
}

/* Renders @nodes into @out, or only checks them when @out is NULL: like
 * Anki, the inside of a false conditional must still be valid. */
static gboolean
render_nodes (RenderState *st,
              const Node  *nodes,
              guint        n_nodes,
              GString     *out,
              GError     **error)
{
  for (guint i = 0; i < n_nodes; i++)
    {
      const Node *node = &nodes[i];

      switch (node->kind)
        {
        case NODE_TEXT:
          if (out != NULL)
            g_string_append_len (out, node->text, node->len);
          break;

        case NODE_COMMENT:
          if (out != NULL)
            {
              g_string_append (out, "<!--");
              g_string_append_len (out, node->text, node->len);
              g_string_append (out, "-->");
            }
          break;

        case NODE_REPLACEMENT:
          if (strcmp (node->text, "FrontSide") == 0)
            {
              if (out != NULL)
                g_string_append (out, st->front_side);
            }
          else if (node->len == 0 && node->n_filters > 0)
            {
              /* {{filter:}}: a filter without a field adds nothing here */
            }
          else
            {
              FieldEntry *e = lookup_field (st, node->text);

              if (e == NULL)
                {
                  set_no_such_field (error, node);
                  return FALSE;
                }
              if (out == NULL)
                break;
              if (node->n_filters == 0)
                g_string_append (out, e->value);
              else
                {
                  g_autofree char *filtered =
                    apply_filters (st, node->text, e->value, node->filters, node->n_filters);

                  g_string_append (out, filtered);
                }
            }
          break;

        case NODE_CONDITIONAL:
        case NODE_NEGATED:
          {
            gboolean show;

            if (!evaluate_conditional (st, node, &show, error))
              return FALSE;
            if (!render_nodes (st, node->children, node->n_children, show ? out : NULL, error))
              return FALSE;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

static char *
render_raw (const SdTemplate        *tmpl,
            const SdTemplateContext *ctx,
            gboolean                 question,
            const char              *front_side,
            GError                 **error)
{
  RenderState st;
  g_autoptr(GString) out = g_string_sized_new (256);
  gboolean ok;

  render_state_init (&st, ctx, question);
  if (!question && front_side != NULL)
    st.front_side = valid_utf8 (front_side, st.owned);
  ok = render_nodes (&st, tmpl->nodes, tmpl->n_nodes, out, error);
  render_state_clear (&st);
  if (!ok)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
sd_template_check_fields (const SdTemplate   *tmpl,
                          const char * const *field_names,
                          guint               n_fields,
                          GError            **error)
{
  SdTemplateContext ctx = { 0 };
  RenderState st;
  gboolean ok;

  g_return_val_if_fail (tmpl != NULL, FALSE);

  ctx.field_names = field_names;
  ctx.n_fields = n_fields;
  render_state_init (&st, &ctx, TRUE);
  ok = render_nodes (&st, tmpl->nodes, tmpl->n_nodes, NULL, error);
  render_state_clear (&st);
  return ok;
}

/* Referenced fields
 * ------------------------------------------------------------------------ */

static void
collect_references (const Node *nodes,
                    guint       n_nodes,
                    gboolean    cloze_only,
                    GPtrArray  *names)
{
  for (guint i = 0; i < n_nodes; i++)
    {
      const Node *node = &nodes[i];
      gboolean add = FALSE;

      if (node->kind == NODE_REPLACEMENT)
        {
          add = !cloze_only;
          for (guint k = 0; k < node->n_filters && !add; k++)
            add = strcmp (node->filters[k], "cloze") == 0;
        }
      else if (node->kind == NODE_CONDITIONAL || node->kind == NODE_NEGATED)
        {
          add = !cloze_only && !is_cloze_conditional (node->text);
          collect_references (node->children, node->n_children, cloze_only, names);
        }

      if (add && !g_ptr_array_find_with_equal_func (names, node->text, g_str_equal, NULL))
        g_ptr_array_add (names, g_strdup (node->text));
    }
}

/* Every name used in a replacement or conditional (cloze conditionals such as
 * {{#c1}} aside), in order of first use.  Names need not be valid fields; a
 * special name such as "FrontSide" is included. */
char **
sd_template_referenced_fields (const SdTemplate *tmpl)
{
  GPtrArray *names = g_ptr_array_new ();

  g_return_val_if_fail (tmpl != NULL, NULL);
  collect_references (tmpl->nodes, tmpl->n_nodes, FALSE, names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* The fields used with the cloze: filter. */
char **
sd_template_referenced_cloze_fields (const SdTemplate *tmpl)
{
  GPtrArray *names = g_ptr_array_new ();

  g_return_val_if_fail (tmpl != NULL, NULL);
  collect_references (tmpl->nodes, tmpl->n_nodes, TRUE, names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* Empty cards
 * ------------------------------------------------------------------------ */

typedef gboolean (*NonemptyFunc) (gpointer    data,
                                  const char *name);

static gboolean
template_is_empty (const Node   *nodes,
                   guint         n_nodes,
                   NonemptyFunc  nonempty,
                   gpointer      data)
{
  for (guint i = 0; i < n_nodes; i++)
    {
      const Node *node = &nodes[i];

      switch (node->kind)
        {
        case NODE_REPLACEMENT:
          if (nonempty (data, node->text))
            return FALSE;
          break;
        case NODE_CONDITIONAL:
          if (nonempty (data, node->text)
              && !template_is_empty (node->children, node->n_children, nonempty, data))
            return FALSE;
          break;
        case NODE_NEGATED:
          if (!nonempty (data, node->text)
              && !template_is_empty (node->children, node->n_children, nonempty, data))
            return FALSE;
          break;
        case NODE_TEXT:
        case NODE_COMMENT:
        default:
          break;
        }
    }
  return TRUE;
}

static gboolean
render_state_nonempty (gpointer    data,
                       const char *name)
{
  FieldEntry *e = lookup_field (data, name);

  return e != NULL && entry_nonempty (e);
}

typedef struct
{
  const SdTemplateContext *ctx;
  gboolean                 has_tags;
} CardGenFields;

/* Anki's card generation: a note field counts when it has content; the
 * special fields always count (Tags only when the note has tags), except
 * FrontSide. */
static gboolean
cardgen_nonempty (gpointer    data,
                  const char *name)
{
  CardGenFields *cg = data;
  const SdTemplateContext *ctx = cg->ctx;

  for (guint i = 0; i < ctx->n_fields; i++)
    if (ctx->field_names != NULL && ctx->field_names[i] != NULL
        && strcmp (ctx->field_names[i], name) == 0)
      return ctx->field_values != NULL && !sd_html_text_field_is_empty (ctx->field_values[i]);

  if (strcmp (name, "Tags") == 0)
    return cg->has_tags;
  return strcmp (name, "Card") == 0 || strcmp (name, "CardFlag") == 0
         || strcmp (name, "Deck") == 0 || strcmp (name, "Subdeck") == 0
         || strcmp (name, "Type") == 0 || strcmp (name, "CardID") == 0;
}

/* Whether a standard note type's question template @tmpl makes a card for
 * the note in @ctx: it must reference a non-empty field outside any failing
 * conditional; literal text does not count. */
gboolean
sd_template_renders_nonempty (const SdTemplate        *tmpl,
                              const SdTemplateContext *ctx)
{
  CardGenFields cg = { ctx, FALSE };
  g_autofree char *tags = NULL;

  g_return_val_if_fail (tmpl != NULL, FALSE);
  g_return_val_if_fail (ctx != NULL, FALSE);

  tags = normalize_tags (ctx->tags);
  cg.has_tags = tags[0] != '\0';
  return !template_is_empty (tmpl->nodes, tmpl->n_nodes, cardgen_nonempty, &cg);
}

/* Comparing typed answers
 * ------------------------------------------------------------------------ */

typedef struct
{
  gsize a;
  gsize b;
  gsize size;
} MatchBlock;

/* Python's difflib.SequenceMatcher (no junk function, autojunk on), over
 * code points, which is what Anki's comparison uses. */
typedef struct
{
  const gunichar *a;
  gsize           la;
  const gunichar *b;
  gsize           lb;
  GHashTable     *b2j;      /* code point -> GArray of indexes into b */
  gsize          *j2len;
  gsize          *newj2len;
  GArray         *touched;
  GArray         *newtouched;
} Matcher;

static void
matcher_init (Matcher        *m,
              const gunichar *a,
              gsize           la,
              const gunichar *b,
              gsize           lb)
{
  m->a = a;
  m->la = la;
  m->b = b;
  m->lb = lb;
  m->b2j = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                  (GDestroyNotify) g_array_unref);
  for (gsize j = 0; j < lb; j++)
    {
      GArray *idx = g_hash_table_lookup (m->b2j, GUINT_TO_POINTER (b[j]));

      if (idx == NULL)
        {
          idx = g_array_new (FALSE, FALSE, sizeof (gsize));
          g_hash_table_insert (m->b2j, GUINT_TO_POINTER (b[j]), idx);
        }
      g_array_append_val (idx, j);
    }

  /* autojunk: in long sequences, very common elements are ignored */
  if (lb >= 200)
    {
      gsize ntest = lb / 100 + 1;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, m->b2j);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((GArray *) value)->len > ntest)
          g_hash_table_iter_remove (&iter);
    }

  m->j2len = g_new0 (gsize, lb + 1);
  m->newj2len = g_new0 (gsize, lb + 1);
  m->touched = g_array_new (FALSE, FALSE, sizeof (gsize));
  m->newtouched = g_array_new (FALSE, FALSE, sizeof (gsize));
}

static void
matcher_clear (Matcher *m)
{
  g_hash_table_unref (m->b2j);
  g_free (m->j2len);
  g_free (m->newj2len);
  g_array_unref (m->touched);
  g_array_unref (m->newtouched);
}

static MatchBlock
find_longest_match (Matcher *m,
                    gsize    alo,
                    gsize    ahi,
                    gsize    blo,
                    gsize    bhi)
{
  gsize besti = alo, bestj = blo, bestsize = 0;

  /* j2len[j + 1]: length of the match ending at a[i - 1] and b[j] */
  for (gsize i = alo; i < ahi; i++)
    {
      GArray *idx = g_hash_table_lookup (m->b2j, GUINT_TO_POINTER (m->a[i]));
      gsize *swap;
      GArray *tswap;

      g_array_set_size (m->newtouched, 0);
      if (idx != NULL)
        for (guint n = 0; n < idx->len; n++)
          {
            gsize j = g_array_index (idx, gsize, n);
            gsize k;

            if (j < blo)
              continue;
            if (j >= bhi)
              break;
            k = m->j2len[j] + 1;
            m->newj2len[j + 1] = k;
            g_array_append_val (m->newtouched, j);
            if (k > bestsize)
              {
                besti = i + 1 - k;
                bestj = j + 1 - k;
                bestsize = k;
              }
          }

      for (guint n = 0; n < m->touched->len; n++)
        m->j2len[g_array_index (m->touched, gsize, n) + 1] = 0;
      swap = m->j2len;
      m->j2len = m->newj2len;
      m->newj2len = swap;
      tswap = m->touched;
      m->touched = m->newtouched;
      m->newtouched = tswap;
    }
  for (guint n = 0; n < m->touched->len; n++)
    m->j2len[g_array_index (m->touched, gsize, n) + 1] = 0;
  g_array_set_size (m->touched, 0);

  while (besti > alo && bestj > blo && m->a[besti - 1] == m->b[bestj - 1])
    {
      besti--;
      bestj--;
      bestsize++;
    }
  while (besti + bestsize < ahi && bestj + bestsize < bhi
         && m->a[besti + bestsize] == m->b[bestj + bestsize])
    bestsize++;

  return (MatchBlock) { besti, bestj, bestsize };
}

static int
cmp_block (gconstpointer x,
           gconstpointer y)
{
  const MatchBlock *p = x, *q = y;

  if (p->a != q->a)
    return p->a < q->a ? -1 : 1;
  if (p->b != q->b)
    return p->b < q->b ? -1 : 1;
  return p->size < q->size ? -1 : p->size > q->size;
}

static GArray *
matching_blocks (Matcher *m)
{
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (gsize) * 4);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (MatchBlock));
  GArray *blocks = g_array_new (FALSE, FALSE, sizeof (MatchBlock));
  gsize first[4] = { 0, m->la, 0, m->lb };
  MatchBlock cur = { 0, 0, 0 }, sentinel = { m->la, m->lb, 0 };

  g_array_append_vals (queue, first, 1);
  while (queue->len > 0)
    {
      gsize r[4];
      MatchBlock x;

      memcpy (r, &g_array_index (queue, gsize, (queue->len - 1) * 4), sizeof r);
      g_array_set_size (queue, queue->len - 1);
      x = find_longest_match (m, r[0], r[1], r[2], r[3]);
      if (x.size == 0)
        continue;
      g_array_append_val (found, x);
      if (r[0] < x.a && r[2] < x.b)
        {
          gsize left[4] = { r[0], x.a, r[2], x.b };

          g_array_append_vals (queue, left, 1);
        }
      if (x.a + x.size < r[1] && x.b + x.size < r[3])
        {
          gsize right[4] = { x.a + x.size, r[1], x.b + x.size, r[3] };

          g_array_append_vals (queue, right, 1);
        }
    }
  g_array_sort (found, cmp_block);

  for (guint i = 0; i < found->len; i++)
    {
      MatchBlock x = g_array_index (found, MatchBlock, i);

      if (cur.a + cur.size == x.a && cur.b + cur.size == x.b)
        cur.size += x.size;
      else
        {
          if (cur.size > 0)
            g_array_append_val (blocks, cur);
          cur = x;
        }
    }
  if (cur.size > 0)
    g_array_append_val (blocks, cur);
  g_array_append_val (blocks, sentinel);
  return blocks;
}

typedef enum
{
  DIFF_GOOD,
  DIFF_BAD,
  DIFF_MISSED,
} DiffKind;

typedef struct
{
  DiffKind  kind;
  char     *text;
} DiffToken;

static void
diff_token_clear (gpointer data)
{
  g_free (((DiffToken *) data)->text);
}

static const char *
diff_class (DiffKind kind)
{
  switch (kind)
    {
    case DIFF_GOOD: return "typeGood";
    case DIFF_BAD: return "typeBad";
    case DIFF_MISSED: default: return "typeMissed";
    }
}

static void
add_token (GArray         *tokens,
           DiffKind        kind,
           const gunichar *chars,
           gsize           n)
{
  DiffToken t = { kind, g_ucs4_to_utf8 (chars, n, NULL, NULL, NULL) };

  if (t.text == NULL)
    t.text = g_strdup ("");
  g_array_append_val (tokens, t);
}

static void
diff_tokens (const gunichar *typed,
             gsize           ltyped,
             const gunichar *expected,
             gsize           lexpected,
             GArray         *typed_tokens,
             GArray         *expected_tokens)
{
  Matcher m;
  g_autoptr(GArray) blocks = NULL;
  gsize i = 0, j = 0;

  matcher_init (&m, typed, ltyped, expected, lexpected);
  blocks = matching_blocks (&m);
  matcher_clear (&m);

  for (guint n = 0; n < blocks->len; n++)
    {
      MatchBlock x = g_array_index (blocks, MatchBlock, n);

      if (i < x.a && j < x.b)
        {
          add_token (typed_tokens, DIFF_BAD, typed + i, x.a - i);
          add_token (expected_tokens, DIFF_MISSED, expected + j, x.b - j);
        }
      else if (i < x.a)
        add_token (typed_tokens, DIFF_BAD, typed + i, x.a - i);
      else if (j < x.b)
        {
          DiffToken dashes = { DIFF_MISSED, g_strnfill (x.b - j, '-') };

          g_array_append_val (typed_tokens, dashes);
          add_token (expected_tokens, DIFF_MISSED, expected + j, x.b - j);
        }
      if (x.size > 0)
        {
          add_token (typed_tokens, DIFF_GOOD, typed + x.a, x.size);
          add_token (expected_tokens, DIFF_GOOD, expected + x.b, x.size);
        }
      i = x.a + x.size;
      j = x.b + x.size;
    }
}

static gboolean
is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
         || type == G_UNICODE_ENCLOSING_MARK;
}

static void
render_tokens (GString *out,
               GArray  *tokens)
{
  for (guint i = 0; i < tokens->len; i++)
    {
      DiffToken *t = &g_array_index (tokens, DiffToken, i);

      g_string_append_printf (out, "<span class=\"%s\">", diff_class (t->kind));
      /* a leading combining mark would join the previous span's text */
      if (t->text[0] != '\0' && is_mark (g_utf8_get_char (t->text)))
        g_string_append (out, "\xc2\xa0");
      sd_html_text_append_escaped (out, t->text, -1);
      g_string_append (out, "</span>");
    }
}

/* Expected text with HTML, sounds and line breaks removed. */
static char *
strip_expected (const char *expected)
{
  g_autofree char *no_av = sd_html_text_strip_av_tags (expected);
  g_autoptr(GString) flat = g_string_sized_new (strlen (no_av));
  g_autofree char *stripped = NULL;
  const char *s = no_av;
  gsize len = strlen (s), i = 0;

  /* runs of `\n`, `<br>`, `<br/>`, `<br />`, `<div>`, `</div>` become one space */
  while (i < len)
    {
      gsize run = i;

      for (;;)
        {
          gsize k = run;

          if (k < len && s[k] == '\n')
            k++;
          else if (k + 3 <= len && g_ascii_strncasecmp (s + k, "<br", 3) == 0)
            {
              k += 3;
              if (k < len && sd_html_text_is_white_space (g_utf8_get_char (s + k)))
                k = g_utf8_next_char (s + k) - s;
              if (k < len && s[k] == '/')
                k++;
              k = (k < len && s[k] == '>') ? k + 1 : run;
            }
          else if (k < len && s[k] == '<')
            {
              k++;
              if (k < len && s[k] == '/')
                k++;
              k = (k + 4 <= len && g_ascii_strncasecmp (s + k, "div>", 4) == 0) ? k + 4 : run;
            }
          if (k == run)
            break;
          run = k;
        }

      if (run > i)
        {
          g_string_append_c (flat, ' ');
          i = run;
        }
      else
        g_string_append_c (flat, s[i++]);
    }

  stripped = sd_html_text_strip (flat->str);
  return sd_html_text_trim (stripped);
}

static void
gstring_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static gunichar *
nfkd_chars (const char *text,
            glong      *n)
{
  g_autofree char *nfkd = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);

  return g_utf8_to_ucs4_fast (nfkd != NULL ? nfkd : "", -1, n);
}

/* Anki's typed-answer comparison (rslib/src/typeanswer.rs): the typed text
 * on top with typeGood/typeBad/typeMissed spans, an arrow, then the expected
 * text.  With @combining FALSE, combining marks are ignored when comparing
 * but still shown in the expected text. */
char *
sd_template_compare_answer (const char *expected,
                            const char *typed,
                            gboolean    combining)
{
  g_autofree char *tmp_e = NULL;
  g_autofree char *tmp_t = NULL;
  g_autofree char *stripped = NULL;
  g_autofree gunichar *tchars = NULL;
  g_autofree gunichar *echars = NULL;
  g_autoptr(GArray) typed_tokens = NULL;
  g_autoptr(GArray) expected_tokens = NULL;
  g_autoptr(GPtrArray) expected_split = NULL;
  g_autofree char *expected_original = NULL;
  GString *out = g_string_new ("<code id=\"typeans\">");
  glong lt = 0, le = 0;

  expected = expected != NULL ? expected : "";
  typed = typed != NULL ? typed : "";
  if (!g_utf8_validate (expected, -1, NULL))
    expected = tmp_e = g_utf8_make_valid (expected, -1);
  if (!g_utf8_validate (typed, -1, NULL))
    typed = tmp_t = g_utf8_make_valid (typed, -1);

  stripped = strip_expected (expected);

  if (typed[0] == '\0')
    {
      sd_html_text_append_escaped (out, stripped, -1);
      g_string_append (out, "</code>");
      return g_string_free (out, FALSE);
    }

  if (combining)
    {
      g_autofree char *t_nfc = g_utf8_normalize (typed, -1, G_NORMALIZE_NFC);
      g_autofree char *e_nfc = g_utf8_normalize (stripped, -1, G_NORMALIZE_NFC);

      tchars = g_utf8_to_ucs4_fast (t_nfc != NULL ? t_nfc : "", -1, &lt);
      echars = g_utf8_to_ucs4_fast (e_nfc != NULL ? e_nfc : "", -1, &le);
      expected_original = g_strdup (e_nfc != NULL ? e_nfc : "");
    }
  else
    {
      g_autofree gunichar *traw = nfkd_chars (typed, &lt);
      g_autofree gunichar *eraw = nfkd_chars (stripped, &le);
      glong n = 0;

      tchars = g_new (gunichar, lt + 1);
      for (glong i = 0; i < lt; i++)
        if (!is_mark (traw[i]))
          tchars[n++] = traw[i];
      lt = n;

      /* each base character keeps its marks for display */
      expected_split = g_ptr_array_new_with_free_func (gstring_free);
      echars = g_new (gunichar, le + 1);
      n = 0;
      for (glong i = 0; i < le; i++)
        {
          if (is_mark (eraw[i]))
            {
              if (expected_split->len > 0)
                g_string_append_unichar (g_ptr_array_index (expected_split,
                                                            expected_split->len - 1), eraw[i]);
              continue;
            }
          echars[n++] = eraw[i];
          g_ptr_array_add (expected_split, g_string_append_unichar (g_string_new (NULL), eraw[i]));
        }
      le = n;
      expected_original = g_strdup (stripped);
    }

  if (lt == le && memcmp (tchars, echars, lt * sizeof (gunichar)) == 0)
    {
      g_string_append (out, "<span class=\"typeGood\">");
      sd_html_text_append_escaped (out, expected_original, -1);
      g_string_append (out, "</span></code>");
      return g_string_free (out, FALSE);
    }

  typed_tokens = g_array_new (FALSE, FALSE, sizeof (DiffToken));
  expected_tokens = g_array_new (FALSE, FALSE, sizeof (DiffToken));
  g_array_set_clear_func (typed_tokens, diff_token_clear);
  g_array_set_clear_func (expected_tokens, diff_token_clear);
  diff_tokens (tchars, lt, echars, le, typed_tokens, expected_tokens);

  render_tokens (out, typed_tokens);
  g_string_append (out, "<br><span id=\"typearrow\">&darr;</span><br>");
  if (combining)
    render_tokens (out, expected_tokens);
  else
    {
      guint idx = 0;

      for (guint i = 0; i < expected_tokens->len; i++)
        {
          DiffToken *t = &g_array_index (expected_tokens, DiffToken, i);
          glong n = g_utf8_strlen (t->text, -1);

          g_string_append_printf (out, "<span class=\"%s\">", diff_class (t->kind));
          for (glong k = 0; k < n && idx < expected_split->len; k++, idx++)
            {
              GString *piece = g_ptr_array_index (expected_split, idx);

              sd_html_text_append_escaped (out, piece->str, piece->len);
            }
          g_string_append (out, "</span>");
        }
    }
  g_string_append (out, "</code>");
  return g_string_free (out, FALSE);
}

/* Type-answer markers
 * ------------------------------------------------------------------------ */

#define TYPEANS_INPUT_PREFIX "<input type=\"text\" id=\"typeans\" data-type-answer=\""

typedef struct
{
  gsize  start;
  gsize  end;
  char  *spec;
} TypeMatch;

/* The next `[[type:SPEC]]` (SPEC: at least one character, no newline,
 * ending at the first "]]"), or with @inputs also the entry element the
 * question side turns it into. */
static gboolean
find_type_marker (const char *s,
                  gsize       from,
                  gboolean    inputs,
                  TypeMatch  *m)
{
  const char *marker = strstr (s + from, "[[type:");
  const char *input = inputs ? strstr (s + from, TYPEANS_INPUT_PREFIX) : NULL;

  while (marker != NULL || input != NULL)
    {
      if (marker != NULL && (input == NULL || marker < input))
        {
          const char *spec = marker + strlen ("[[type:");
          const char *p;

          if (*spec != '\0' && *spec != '\n')
            for (p = g_utf8_next_char (spec); *p != '\0' && *p != '\n'; p++)
              if (p[0] == ']' && p[1] == ']')
                {
                  m->start = marker - s;
                  m->end = p + 2 - s;
                  m->spec = g_strndup (spec, p - spec);
                  return TRUE;
                }
          marker = strstr (marker + 1, "[[type:");
        }
      else
        {
          const char *spec = input + strlen (TYPEANS_INPUT_PREFIX);
          const char *quote = strchr (spec, '"');
          const char *gt = quote != NULL ? strchr (quote, '>') : NULL;

          if (gt != NULL)
            {
              g_autofree char *escaped = g_strndup (spec, quote - spec);

              m->start = input - s;
              m->end = gt + 1 - s;
              m->spec = sd_html_text_decode_entities (escaped);
              return TRUE;
            }
          input = NULL;
        }
    }
  return FALSE;
}

/* Replaces every marker in @buf (entry elements too when @inputs). */
static char *
replace_type_markers (const char *buf,
                      gboolean    inputs,
                      const char *replacement)
{
  GString *out = g_string_sized_new (strlen (buf));
  gsize pos = 0;
  TypeMatch m;

  while (find_type_marker (buf, pos, inputs, &m))
    {
      g_string_append_len (out, buf + pos, m.start - pos);
      g_string_append (out, replacement);
      pos = m.end;
      g_free (m.spec);
    }
  g_string_append (out, buf + pos);
  return g_string_free (out, FALSE);
}

typedef struct
{
  char     *spec;
  char     *field;
  char     *expected;   /* NULL: unknown field, or no deletion for this card */
  gboolean  cloze;
  gboolean  combining;
} TypeAnswer;

static void
type_answer_clear (TypeAnswer *ta)
{
  g_clear_pointer (&ta->spec, g_free);
  g_clear_pointer (&ta->field, g_free);
  g_clear_pointer (&ta->expected, g_free);
}

/* Like Anki's reviewer: the first marker of the question decides which note
 * field (never a special field) holds the expected answer. */
static gboolean
type_answer_from (const char              *question,
                  const SdTemplateContext *ctx,
                  TypeAnswer              *ta)
{
  TypeMatch m;
  const char *field;
  const char *colon;

  memset (ta, 0, sizeof *ta);
  if (question == NULL)
    return FALSE;
  if (!g_utf8_validate (question, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (question, -1);

      return type_answer_from (valid, ctx, ta);
    }
  if (!find_type_marker (question, 0, TRUE, &m))
    return FALSE;

  ta->spec = m.spec;
  ta->combining = TRUE;
  field = ta->spec;
  if (g_str_has_prefix (field, "cloze:"))
    {
      ta->cloze = TRUE;
      field += strlen ("cloze:");
      colon = strchr (field, ':');
      ta->field = colon != NULL ? g_strndup (field, colon - field) : g_strdup (field);
    }
  else if (g_str_has_prefix (field, "nc:"))
    {
      ta->combining = FALSE;
      field += strlen ("nc:");
      colon = strchr (field, ':');
      ta->field = colon != NULL ? g_strndup (field, colon - field) : g_strdup (field);
    }
  else
    ta->field = g_strdup (field);

  for (guint i = 0; i < ctx->n_fields; i++)
    {
      const char *value;

      if (ctx->field_names == NULL || g_strcmp0 (ctx->field_names[i], ta->field) != 0)
        continue;
      value = ctx->field_values != NULL && ctx->field_values[i] != NULL
        ? ctx->field_values[i] : "";
      ta->expected = sd_html_text_make_valid (value, -1);
      if (ta->cloze)
        {
          char *narrowed = sd_cloze_extract_for_typing (ta->expected, ctx->card_ord + 1);

          g_free (ta->expected);
          ta->expected = narrowed;
          if (narrowed[0] == '\0')
            g_clear_pointer (&ta->expected, g_free);
        }
      break;
    }
  return TRUE;
}

static char *
type_answer_question_pass (const char              *buf,
                           const SdTemplateContext *ctx)
{
  TypeAnswer ta;
  g_autoptr(GString) replacement = g_string_new (NULL);
  char *result;

  if (!type_answer_from (buf, ctx, &ta))
    return g_strdup (buf);

  if (ta.expected == NULL)
    {
      if (ta.cloze)
        g_string_append (replacement, _("Please run Tools>Empty Cards"));
      else
        {
          g_autofree char *escaped = sd_html_text_escape (ta.field);
          g_autofree char *warning = g_strdup_printf (_("Type answer: unknown field %s"), escaped);

          g_string_append (replacement, warning);
        }
    }
  else if (ta.expected[0] != '\0')
    {
      g_string_append (replacement, TYPEANS_INPUT_PREFIX);
      sd_html_text_append_escaped (replacement, ta.spec, -1);
      g_string_append (replacement, "\" data-field=\"");
      sd_html_text_append_escaped (replacement, ta.field, -1);
      g_string_append (replacement, "\">");
    }

  result = replace_type_markers (buf, FALSE, replacement->str);
  type_answer_clear (&ta);
  return result;
}

static char *
type_answer_answer_pass (const char              *buf,
                         const char              *question,
                         const SdTemplateContext *ctx)
{
  TypeAnswer ta;
  g_autoptr(GString) without_hr = NULL;
  g_autofree char *comparison = NULL;
  g_autofree char *typed = NULL;
  g_autoptr(GString) replacement = g_string_new (NULL);
  gboolean had_hr;
  TypeMatch m;
  char *result;

  type_answer_from (question, ctx, &ta);
  if (ta.expected == NULL || ta.expected[0] == '\0')
    {
      type_answer_clear (&ta);
      return replace_type_markers (buf, TRUE, "");
    }

  without_hr = g_string_new (buf);
  had_hr = g_string_replace (without_hr, "<hr id=answer>", "", 0) > 0;
  if (had_hr && !find_type_marker (without_hr->str, 0, TRUE, &m))
    {
      type_answer_clear (&ta);
      return g_strdup (buf);
    }
  if (had_hr)
    g_free (m.spec);

  typed = sd_html_text_make_valid (ctx->typed_answer, -1);
  comparison = sd_template_compare_answer (ta.expected, typed, ta.combining);
  /* keeps the question/answer separator above the comparison when the
   * marker came in through {{FrontSide}} */
  if (had_hr)
    g_string_append (replacement, "<hr id=answer>");
  g_string_append_printf (replacement, "\n<div class=\"typeans-result\">%s</div>", comparison);

  result = replace_type_markers (without_hr->str, TRUE, replacement->str);
  type_answer_clear (&ta);
  return result;
}

/* Public rendering API
 * ------------------------------------------------------------------------ */

/* Renders one side.  On the answer side, ctx->front_side (the rendered
 * question) fills {{FrontSide}} and decides the type-answer field; without
 * it, the answer's own first type-answer tag does. */
char *
sd_template_render (const SdTemplate        *tmpl,
                    const SdTemplateContext *ctx,
                    gboolean                 answer_side,
                    GError                 **error)
{
  g_autofree char *raw = NULL;

  g_return_val_if_fail (tmpl != NULL, NULL);
  g_return_val_if_fail (ctx != NULL, NULL);

  raw = render_raw (tmpl, ctx, !answer_side, ctx->front_side, error);
  if (raw == NULL)
    return NULL;
  if (!answer_side)
    return type_answer_question_pass (raw, ctx);
  return type_answer_answer_pass (raw, ctx->front_side != NULL ? ctx->front_side : raw, ctx);
}

/* The HTML Anki shows instead of a card whose template is broken. */
char *
sd_template_error_html (const GError *error,
                        gboolean      answer_side)
{
  g_autofree char *details = sd_html_text_escape (error != NULL ? error->message : "");

  return g_strdup_printf ("%s<br>%s<br><a href='%s'>%s</a>",
                          answer_side ? _("Back template has a problem:")
                                      : _("Front template has a problem:"),
                          details, TEMPLATE_ERROR_LINK, _("More information"));
}

static gboolean
cloze_missing (const SdTemplateContext *ctx)
{
  RenderState st;
  gboolean found = FALSE;

  /* every value in the render map counts, as in Anki */
  render_state_init (&st, ctx, TRUE);
  for (guint i = 0; i < st.entries->len && !found; i++)
    found = sd_cloze_text_has_number (g_array_index (st.entries, FieldEntry, i).value,
                                      ctx->card_ord + 1);
  render_state_clear (&st);
  return !found;
}

static gboolean
front_is_blank (const SdTemplate        *qtmpl,
                const SdTemplateContext *ctx)
{
  RenderState st;
  gboolean empty;

  render_state_init (&st, ctx, TRUE);
  empty = template_is_empty (qtmpl->nodes, qtmpl->n_nodes, render_state_nonempty, &st);
  render_state_clear (&st);
  return empty;
}

static SdTemplateCardStatus
render_card (const SdTemplate        *qtmpl,
             const GError            *qerror,
             const char              *afmt,
             const SdTemplate        *atmpl,
             const SdTemplateContext *ctx,
             char                   **question_html,
             char                   **answer_html)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTemplate) parsed = NULL;
  g_autofree char *raw_q = NULL;
  g_autofree char *raw_a = NULL;
  g_autofree char *message = NULL;

  if (qerror != NULL)
    {
      *question_html = sd_template_error_html (qerror, FALSE);
      *answer_html = g_strdup (*question_html);
      return SD_TEMPLATE_CARD_ERROR;
    }

  raw_q = render_raw (qtmpl, ctx, TRUE, NULL, &error);
  if (raw_q == NULL)
    {
      *question_html = sd_template_error_html (error, FALSE);
      *answer_html = g_strdup (*question_html);
      return SD_TEMPLATE_CARD_ERROR;
    }

  if (ctx->is_cloze && cloze_missing (ctx))
    {
      g_autofree char *text =
        g_strdup_printf (_("No cloze %u found on card.\n"
                           "Please either add a cloze deletion, or use the Empty Cards tool."),
                         ctx->card_ord + 1);

      message = g_strdup_printf ("<div>%s<br><a href='%s'>%s</a></div>", text,
                                 TEMPLATE_BLANK_CLOZE_LINK, _("More information"));
    }
  else if (!ctx->is_cloze && front_is_blank (qtmpl, ctx))
    message = g_strdup_printf ("<div>%s<br><a href='%s'>%s</a></div>",
                               _("The front of this card is blank."),
                               TEMPLATE_BLANK_LINK, _("More information"));
  if (message != NULL)
    {
      g_autofree char *q = type_answer_question_pass (raw_q, ctx);

      *question_html = g_strconcat (q, message, NULL);
      *answer_html = g_steal_pointer (&message);
      return SD_TEMPLATE_CARD_EMPTY;
    }

  if (atmpl == NULL)
    {
      atmpl = parsed = sd_template_parse (afmt, &error);
      if (atmpl == NULL)
        {
          *question_html = sd_template_error_html (error, TRUE);
          *answer_html = g_strdup (*question_html);
          return SD_TEMPLATE_CARD_ERROR;
        }
    }
  raw_a = render_raw (atmpl, ctx, FALSE, raw_q, &error);
  if (raw_a == NULL)
    {
      *question_html = sd_template_error_html (error, TRUE);
      *answer_html = g_strdup (*question_html);
      return SD_TEMPLATE_CARD_ERROR;
    }

  *question_html = type_answer_question_pass (raw_q, ctx);
  *answer_html = type_answer_answer_pass (raw_a, raw_q, ctx);
  return SD_TEMPLATE_CARD_OK;
}

/* Renders both sides of a card the way Anki's reviewer shows them: a broken
 * template gives Anki's "Front/Back template has a problem" text on both
 * sides, a card with nothing to show gives its "blank front" or "no cloze"
 * message.  The two strings are always set. */
SdTemplateCardStatus
sd_template_render_card (const char              *qfmt,
                         const char              *afmt,
                         const SdTemplateContext *ctx,
                         char                   **question_html,
                         char                   **answer_html)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTemplate) qtmpl = NULL;

  g_return_val_if_fail (ctx != NULL, SD_TEMPLATE_CARD_ERROR);
  g_return_val_if_fail (question_html != NULL && answer_html != NULL, SD_TEMPLATE_CARD_ERROR);

  qtmpl = sd_template_parse (qfmt, &error);
  return render_card (qtmpl, error, afmt, NULL, ctx, question_html, answer_html);
}

/* The same with templates parsed beforehand (a cache is the caller's). */
SdTemplateCardStatus
sd_template_render_card_parsed (const SdTemplate        *qtmpl,
                                const SdTemplate        *atmpl,
                                const SdTemplateContext *ctx,
                                char                   **question_html,
                                char                   **answer_html)
{
  g_return_val_if_fail (qtmpl != NULL && atmpl != NULL, SD_TEMPLATE_CARD_ERROR);
  g_return_val_if_fail (ctx != NULL, SD_TEMPLATE_CARD_ERROR);
  g_return_val_if_fail (question_html != NULL && answer_html != NULL, SD_TEMPLATE_CARD_ERROR);

  return render_card (qtmpl, NULL, NULL, atmpl, ctx, question_html, answer_html);
}
