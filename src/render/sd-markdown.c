/* sd-markdown.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-markdown.h"

#include <string.h>
#include <cmark.h>

#include "sd-autocleanups.h"
#include "sd-cmark-arena.h"

/* Indentation in pixels (GtkTextView margins are pixels). */
#define QUOTE_INDENT_PX   22
#define BULLET_INDENT_PX  22
#define NUMBER_INDENT_PX  28
#define MAX_INDENT_PX     600

typedef enum
{
  FRAME_DOCUMENT,
  FRAME_QUOTE,
  FRAME_LIST,
  FRAME_ITEM,
} FrameKind;

typedef struct
{
  FrameKind   kind;
  cmark_node *node;
  int         content_px;   /* where text inside this container starts */
  int         hang_px;      /* lists: width of the item markers */
  int         number;       /* ordered lists: next item number */
  gboolean    ordered;
  gboolean    paren;        /* "1)" instead of "1." */
  int         bullet_depth; /* bullet lists: nesting among bullet lists */
} Frame;

typedef struct
{
  cmark_node *item;
  char       *text;
  int         marker_px;
} PendingMarker;

typedef struct
{
  SdRichStyle style;
  gboolean    link;
} HtmlOpen;

typedef struct
{
  SdRichDoc   *doc;
  const char  *source;        /* the parsed text (front matter removed) */
  gsize        source_len;
  int          line_base;     /* lines before the body (front matter) */
  GArray      *line_starts;   /* byte offsets of source lines, built on demand */
  const char  *base_dir;
  GHashTable  *slugs;         /* shared with cell walkers */
  gboolean     inline_only;   /* table cells: no blocks, no indentation */

  GArray      *frames;        /* Frame */
  GArray      *pending;       /* PendingMarker */

  /* The leaf block being rendered. */
  cmark_node  *leaf;
  guint        indent_arg;
  gboolean     has_indent;
  int          strike_budget; /* "~~" that may still toggle; -1 = not counted */
  gboolean     strike_open;
  GArray      *html_open;     /* HtmlOpen */
  gboolean     html_raw;      /* inside <script>/<style>: all literal */
  char        *html_raw_end;
  gsize        skip_prefix;   /* bytes of a task marker to drop */
  GString     *scratch;
} Walker;

static void
clear_pending_marker (gpointer data)
{
  PendingMarker *marker = data;

  g_free (marker->text);
}

static void walk         (Walker     *w,
                          cmark_node *root);
static void html_literal (Walker     *w,
                          const char *s,
                          gsize       len);

/* ------------------------------------------------------------------------
 * Small text helpers
 * ------------------------------------------------------------------------ */

char *
sd_markdown_slugify (const char *text)
{
  g_autofree char *lower = NULL;
  GString *slug;

  g_return_val_if_fail (text != NULL, NULL);

  /* GitHub's anchors: lower case, letters, digits, marks, '-' and '_'
   * kept, each space becomes '-', everything else dropped. */
  lower = g_utf8_strdown (text, -1);
  slug = g_string_sized_new (strlen (lower));

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ')
        g_string_append_c (slug, '-');
      else if (c == '-' || c == '_' || g_unichar_isalnum (c) || g_unichar_ismark (c))
        g_string_append_unichar (slug, c);
    }

  return g_string_free (slug, FALSE);
}

static char *
unique_slug (GHashTable *slugs,
             const char *text)
{
  g_autofree char *base = sd_markdown_slugify (text);
  char *slug = g_strdup (base);

  for (guint n = 1; g_hash_table_contains (slugs, slug); n++)
    {
      g_free (slug);
      slug = g_strdup_printf ("%s-%u", base, n);
    }

  g_hash_table_add (slugs, g_strdup (slug));

  return slug;
}

gboolean
sd_markdown_split_front_matter (const char  *text,
                                gsize        length,
                                char       **front_matter,
                                gsize       *body_offset)
{
  const char *end = text + length;
  const char *p = text;
  const char *content;

  if (front_matter != NULL)
    *front_matter = NULL;
  if (body_offset != NULL)
    *body_offset = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  if (end - p < 3 || memcmp (p, "---", 3) != 0)
    return FALSE;
  p += 3;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (p < end && *p == '\r')
    p++;
  if (p >= end || *p != '\n')
    return FALSE;
  content = ++p;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol != NULL ? eol : end;
      const char *q = p;

      if (line_end - p >= 3 && (memcmp (p, "---", 3) == 0 || memcmp (p, "...", 3) == 0))
        {
          q = p + 3;
          while (q < line_end && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        }

      if (q == line_end && q != p)
        {
          if (front_matter != NULL)
            *front_matter = g_strndup (content, p - content);
          if (body_offset != NULL)
            *body_offset = (eol != NULL ? eol + 1 : end) - text;
          return TRUE;
        }

      p = eol != NULL ? eol + 1 : end;
    }

  /* Never closed: not front matter. */
  return FALSE;
}

gboolean
sd_markdown_link_target (const char  *uri,
                         char       **note,
                         char       **slug)
{
  const char *hash;
  g_autofree char *path = NULL;

  if (note != NULL)
    *note = NULL;
  if (slug != NULL)
    *slug = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  switch (sd_rich_link_classify (uri))
    {
    case SD_RICH_LINK_ANCHOR:
      if (slug != NULL)
        *slug = g_strdup (uri + 1);
      return TRUE;

    case SD_RICH_LINK_WIKILINK:
      uri += strlen (SD_RICH_WIKILINK_PREFIX);
      hash = strchr (uri, '#');
      if (note != NULL)
        *note = hash != NULL ? g_strndup (uri, hash - uri) : g_strdup (uri);
      if (slug != NULL && hash != NULL)
        *slug = g_strdup (hash + 1);
      return TRUE;

    case SD_RICH_LINK_RELATIVE:
      hash = strchr (uri, '#');
      path = hash != NULL ? g_strndup (uri, hash - uri) : g_strdup (uri);
      if (note != NULL)
        {
          *note = g_uri_unescape_string (path, NULL);
          if (*note == NULL)
            *note = g_steal_pointer (&path);
        }
      if (slug != NULL && hash != NULL)
        *slug = g_strdup (hash + 1);
      return TRUE;

    case SD_RICH_LINK_EXTERNAL:
    case SD_RICH_LINK_OTHER:
    default:
      return FALSE;
    }
}

static gboolean
has_image_extension (const char *name)
{
  static const char * const exts[] = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg",
  };
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    if (g_ascii_strcasecmp (dot, exts[i]) == 0)
      return TRUE;

  return FALSE;
}

/* The local file an image source names, or NULL (remote, data:, no base
 * folder): only local files are ever read, nothing is fetched. */
static char *
image_path (const char *base_dir,
            const char *src)
{
  g_autofree char *decoded = NULL;

  if (src == NULL || src[0] == '\0')
    return NULL;

  if (g_ascii_strncasecmp (src, "file:", 5) == 0)
    return g_filename_from_uri (src, NULL, NULL);

  if (sd_rich_link_classify (src) != SD_RICH_LINK_RELATIVE)
    return NULL;

  decoded = g_uri_unescape_string (src, NULL);
  if (decoded == NULL)
    decoded = g_strdup (src);

  if (g_path_is_absolute (decoded))
    return g_steal_pointer (&decoded);

  if (base_dir == NULL)
    return NULL;

  return g_build_filename (base_dir, decoded, NULL);
}

/* ------------------------------------------------------------------------
 * Leaf blocks: indentation, markers, spacing
 * ------------------------------------------------------------------------ */

static Frame *
top_frame (Walker *w)
{
  return &g_array_index (w->frames, Frame, w->frames->len - 1);
}

static gboolean
list_is_tight (cmark_node *node)
{
  return node != NULL && cmark_node_get_type (node) == CMARK_NODE_LIST &&
         cmark_node_get_list_tight (node);
}

/* Is there space below @node? Not between the blocks of a tight list;
 * a last child leaves the decision to its parent. */
static gboolean
gap_after (cmark_node *node)
{
  while (node != NULL)
    {
      cmark_node *parent = cmark_node_parent (node);

      if (parent == NULL)
        return FALSE;

      if (cmark_node_next (node) != NULL)
        {
          if (list_is_tight (parent))
            return FALSE;
          if (cmark_node_get_type (parent) == CMARK_NODE_ITEM &&
              list_is_tight (cmark_node_parent (parent)))
            return FALSE;
          return TRUE;
        }

      if (cmark_node_get_type (parent) == CMARK_NODE_DOCUMENT)
        return FALSE;

      node = parent;
    }

  return FALSE;
}

static void
leaf_begin (Walker     *w,
            cmark_node *node,
            int         extra_px)
{
  int content;
  int hang = 0;

  w->leaf = node;
  w->strike_budget = -1;
  w->strike_open = FALSE;
  w->html_raw = FALSE;
  g_clear_pointer (&w->html_raw_end, g_free);

  if (w->inline_only)
    return;

  content = MIN (top_frame (w)->content_px, MAX_INDENT_PX) + extra_px;

  if (w->pending->len > 0)
    {
      const PendingMarker *first = &g_array_index (w->pending, PendingMarker, 0);

      hang = MAX (content - extra_px - MIN (first->marker_px, MAX_INDENT_PX), 0) + extra_px;
    }

  w->indent_arg = SD_RICH_INDENT (content, hang);
  w->has_indent = content > 0 || hang > 0;
  if (w->has_indent)
    sd_rich_doc_push (w->doc, SD_RICH_STYLE_INDENT, w->indent_arg);

  if (w->pending->len > 0)
    {
      sd_rich_doc_push (w->doc, SD_RICH_STYLE_MARKER, 0);
      for (guint i = 0; i < w->pending->len; i++)
        {
          PendingMarker *marker = &g_array_index (w->pending, PendingMarker, i);

          if (i > 0)
            sd_rich_doc_text (w->doc, " ", 1);
          sd_rich_doc_text (w->doc, marker->text, -1);
        }
      sd_rich_doc_text (w->doc, "\t", 1);
      sd_rich_doc_pop (w->doc, SD_RICH_STYLE_MARKER, 0);
      g_array_set_size (w->pending, 0);
    }
}

/* Closes what inline HTML and ~~ left open in the leaf. */
static void
leaf_finish_inline (Walker *w)
{
  while (w->html_open->len > 0)
    {
      HtmlOpen *o = &g_array_index (w->html_open, HtmlOpen, w->html_open->len - 1);

      if (o->link)
        sd_rich_doc_link_end (w->doc);
      else
        sd_rich_doc_pop (w->doc, o->style, 0);
      g_array_set_size (w->html_open, w->html_open->len - 1);
    }

  if (w->strike_open)
    sd_rich_doc_pop (w->doc, SD_RICH_STYLE_STRIKE, 0);
  w->strike_open = FALSE;
  w->html_raw = FALSE;
  g_clear_pointer (&w->html_raw_end, g_free);
}

static void
leaf_end_indent (Walker *w)
{
  if (w->has_indent)
    sd_rich_doc_pop (w->doc, SD_RICH_STYLE_INDENT, w->indent_arg);
  w->has_indent = FALSE;
  w->leaf = NULL;
}

/* A hard break starts a new buffer line: it must not hang like the first
 * line of a list item. */
static void
line_break (Walker *w)
{
  if (w->inline_only)
    {
      sd_rich_doc_text (w->doc, "\n", 1);
      return;
    }

  if (w->has_indent && SD_RICH_INDENT_HANG (w->indent_arg) > 0)
    {
      sd_rich_doc_pop (w->doc, SD_RICH_STYLE_INDENT, w->indent_arg);
      w->indent_arg = SD_RICH_INDENT (SD_RICH_INDENT_CONTENT (w->indent_arg), 0);
      sd_rich_doc_push (w->doc, SD_RICH_STYLE_INDENT, w->indent_arg);
    }

  sd_rich_doc_text (w->doc, "\n", 1);
}

/* ------------------------------------------------------------------------
 * Inline text: wikilinks, ~~, bare URLs
 * ------------------------------------------------------------------------ */

static gboolean
is_strike_at (const char *s,
              gsize       i,
              gsize       len)
{
  return i + 1 < len && s[i] == '~' && s[i + 1] == '~' &&
         (i + 2 >= len || s[i + 2] != '~') &&
         (i == 0 || s[i - 1] != '~');
}

static int
count_strikes (cmark_node *leaf)
{
  g_autoptr(cmark_iter) iter = cmark_iter_new (leaf);
  cmark_event_type ev;
  int count = 0;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      const char *s;
      gsize len;

      if (ev != CMARK_EVENT_ENTER || cmark_node_get_type (node) != CMARK_NODE_TEXT)
        continue;

      s = cmark_node_get_literal (node);
      len = strlen (s);
      for (gsize i = 0; i < len; i++)
        if (is_strike_at (s, i, len))
          count++;
    }

  return count - count % 2;
}

static void
emit_image (Walker     *w,
            const char *src,
            const char *alt)
{
  g_autofree char *path = image_path (w->base_dir, src);
  g_autofree char *fallback = NULL;

  if (alt == NULL || alt[0] == '\0')
    alt = fallback = g_path_get_basename (src != NULL && src[0] != '\0' ? src : "image");

  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      int indent = w->inline_only ? 0 : SD_RICH_INDENT_CONTENT (w->indent_arg);

      sd_rich_doc_image (w->doc, path, alt, indent);
      return;
    }

  /* Missing, remote or not a file: the alt text stands in. */
  sd_rich_doc_push (w->doc, SD_RICH_STYLE_IMAGE_ALT, 0);
  sd_rich_doc_text (w->doc, alt, -1);
  sd_rich_doc_pop (w->doc, SD_RICH_STYLE_IMAGE_ALT, 0);
}

static void
emit_wikilink (Walker     *w,
               const char *inner,
               gsize       len,
               gboolean    embed)
{
  g_autofree char *body = g_strndup (inner, len);
  g_autofree char *target = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *uri = NULL;
  const char *alias = NULL;
  char *bar;
  char *hash;

  bar = strchr (body, '|');
  if (bar != NULL)
    {
      *bar = '\0';
      alias = g_strstrip (bar + 1);
    }

  hash = strchr (body, '#');
  if (hash != NULL)
    {
      *hash = '\0';
      heading = g_strdup (g_strstrip (hash + 1));
    }
  target = g_strdup (g_strstrip (body));

  if (embed && has_image_extension (target))
    {
      emit_image (w, target, alias);
      return;
    }
  if (embed)
    sd_rich_doc_text (w->doc, "!", 1);

  if (heading != NULL && heading[0] != '\0')
    {
      g_autofree char *slug = sd_markdown_slugify (heading);

      if (target[0] == '\0')
        uri = g_strconcat ("#", slug, NULL);
      else
        uri = g_strconcat (SD_RICH_WIKILINK_PREFIX, target, "#", slug, NULL);
    }
  else
    {
      uri = g_strconcat (SD_RICH_WIKILINK_PREFIX, target, NULL);
    }

  sd_rich_doc_link_start (w->doc, uri, sd_rich_link_classify (uri), FALSE);
  if (alias != NULL && alias[0] != '\0')
    {
      sd_rich_doc_text (w->doc, alias, -1);
    }
  else
    {
      gsize shown = bar != NULL ? (gsize) (bar - body) : len;

      /* [[#Heading]] reads as "Heading". */
      while (shown > 0 && (*inner == '#' || *inner == ' '))
        {
          inner++;
          shown--;
        }
      sd_rich_doc_text (w->doc, inner, shown);
    }
  sd_rich_doc_link_end (w->doc);
}

/* A wikilink starting at s[i] ("[[…]]" on one line, not empty): returns
 * the length of the inner text and sets @inner_len, or 0. */
static gsize
match_wikilink (const char *s,
                gsize       i,
                gsize       len,
                gsize      *inner_len)
{
  if (i + 4 > len || s[i] != '[' || s[i + 1] != '[')
    return 0;

  for (gsize j = i + 2; j + 1 < len; j++)
    {
      if (s[j] == '\n' || s[j] == '[')
        return 0;
      if (s[j] == ']')
        {
          gboolean blank = TRUE;

          if (s[j + 1] != ']')
            return 0;
          for (gsize k = i + 2; k < j; k++)
            if (s[k] != ' ' && s[k] != '|' && s[k] != '#')
              blank = FALSE;
          if (blank)
            return 0;
          *inner_len = j - (i + 2);
          return j + 2 - i;
        }
    }

  return 0;
}

/* A bare http(s) URL at s[i]: its length, trailing punctuation excluded. */
static gsize
match_autolink (const char *s,
                gsize       i,
                gsize       len)
{
  gsize j;
  int parens = 0;

  if (i > 0 && (g_ascii_isalnum (s[i - 1]) || s[i - 1] == '/' || s[i - 1] == ':'))
    return 0;
  if (!(len - i > 8 && strncmp (s + i, "https://", 8) == 0) &&
      !(len - i > 7 && strncmp (s + i, "http://", 7) == 0))
    return 0;

  for (j = i; j < len && !g_ascii_isspace (s[j]) && s[j] != '<'; j++)
    {
      if (s[j] == '(')
        parens++;
      else if (s[j] == ')')
        parens--;
    }

  while (j > i)
    {
      char c = s[j - 1];

      if (strchr (".,:;!?\"'*_~", c) != NULL)
        j--;
      else if (c == ')' && parens < 0)
        {
          j--;
          parens++;
        }
      else
        break;
    }

  if (j - i <= 8)
    return 0;

  return j - i;
}

static void
process_text (Walker     *w,
              const char *s,
              gsize       len)
{
  gboolean in_link = sd_rich_doc_in_link (w->doc);
  gsize start = 0;
  gsize i = 0;

  if (w->html_raw)
    {
      html_literal (w, s, len);
      return;
    }

  if (w->skip_prefix > 0)
    {
      gsize skip = MIN (w->skip_prefix, len);

      s += skip;
      len -= skip;
      w->skip_prefix -= skip;
    }

  while (i < len)
    {
      char c = s[i];
      gsize n, inner_len;

      if (c == '[' && !in_link && (n = match_wikilink (s, i, len, &inner_len)) > 0)
        {
          gboolean embed = i > start && s[i - 1] == '!';

          sd_rich_doc_text (w->doc, s + start, i - start - (embed ? 1 : 0));
          emit_wikilink (w, s + i + 2, inner_len, embed);
          i += n;
          start = i;
          continue;
        }

      if (c == '~' && is_strike_at (s, i, len) && w->leaf != NULL)
        {
          if (w->strike_budget < 0)
            w->strike_budget = count_strikes (w->leaf);

          if (w->strike_budget > 0)
            {
              sd_rich_doc_text (w->doc, s + start, i - start);
              if (w->strike_open)
                sd_rich_doc_pop (w->doc, SD_RICH_STYLE_STRIKE, 0);
              else
                sd_rich_doc_push (w->doc, SD_RICH_STYLE_STRIKE, 0);
              w->strike_open = !w->strike_open;
              w->strike_budget--;
              i += 2;
              start = i;
              continue;
            }
        }

      if (c == 'h' && !in_link && (n = match_autolink (s, i, len)) > 0)
        {
          g_autofree char *url = g_strndup (s + i, n);

          sd_rich_doc_text (w->doc, s + start, i - start);
          sd_rich_doc_link_start (w->doc, url, SD_RICH_LINK_EXTERNAL, FALSE);
          sd_rich_doc_text (w->doc, url, n);
          sd_rich_doc_link_end (w->doc);
          i += n;
          start = i;
          continue;
        }

      i++;
    }

  sd_rich_doc_text (w->doc, s + start, len - start);
}

/* ------------------------------------------------------------------------
 * Raw HTML: a safe subset becomes styles, the rest dim literal text
 * ------------------------------------------------------------------------ */

typedef struct
{
  char     name[16];
  gboolean closing;
  gboolean self_closing;
  char    *href;
  char    *src;
  char    *alt;
} HtmlTag;

static void
html_tag_clear (HtmlTag *tag)
{
  g_clear_pointer (&tag->href, g_free);
  g_clear_pointer (&tag->src, g_free);
  g_clear_pointer (&tag->alt, g_free);
}

static void
append_entity_decoded (GString    *out,
                       const char *s,
                       gsize       len)
{
  static const struct { const char *name; const char *text; } entities[] = {
    { "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" },
    { "apos;", "'" }, { "nbsp;", "\xc2\xa0" }, { "ndash;", "\xe2\x80\x93" },
    { "mdash;", "\xe2\x80\x94" }, { "hellip;", "\xe2\x80\xa6" }, { "copy;", "\xc2\xa9" },
  };

  for (gsize i = 0; i < len; i++)
    {
      gboolean done = FALSE;

      if (s[i] != '&')
        {
          g_string_append_c (out, s[i]);
          continue;
        }

      if (i + 2 < len && s[i + 1] == '#')
        {
          gsize j = i + 2;
          gboolean hex = j < len && (s[j] == 'x' || s[j] == 'X');
          guint64 value = 0;
          gsize digits = 0;

          if (hex)
            j++;
          for (; j < len && digits < 8 && (hex ? g_ascii_isxdigit (s[j]) : g_ascii_isdigit (s[j]));
               j++, digits++)
            value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (s[j])
                                                    : g_ascii_digit_value (s[j]));
          if (digits > 0 && j < len && s[j] == ';' && value > 0 &&
              g_unichar_validate ((gunichar) value))
            {
              g_string_append_unichar (out, (gunichar) value);
              i = j;
              done = TRUE;
            }
        }
      else
        {
          for (guint k = 0; k < G_N_ELEMENTS (entities); k++)
            {
              gsize n = strlen (entities[k].name);

              if (len - i - 1 >= n && strncmp (s + i + 1, entities[k].name, n) == 0)
                {
                  g_string_append (out, entities[k].text);
                  i += n;
                  done = TRUE;
                  break;
                }
            }
        }

      if (!done)
        g_string_append_c (out, '&');
    }
}

/* Parses a tag at s[0] == '<'; returns its length, or 0 if it is not one. */
static gsize
parse_html_tag (const char *s,
                gsize       len,
                HtmlTag    *tag)
{
  gsize i = 1;
  gsize n = 0;

  memset (tag, 0, sizeof *tag);

  if (i < len && s[i] == '/')
    {
      tag->closing = TRUE;
      i++;
    }
  if (i >= len || !g_ascii_isalpha (s[i]))
    return 0;

  while (i < len && (g_ascii_isalnum (s[i]) || s[i] == '-'))
    {
      if (n < sizeof tag->name - 1)
        tag->name[n++] = g_ascii_tolower (s[i]);
      i++;
    }
  tag->name[n] = '\0';

  /* Attributes: name, name=value, name="value", name='value'. */
  for (;;)
    {
      gsize name_start, name_end, value_start = 0, value_end = 0;
      gboolean has_value = FALSE;

      while (i < len && g_ascii_isspace (s[i]))
        i++;
      if (i >= len)
        return 0;
      if (s[i] == '>')
        return i + 1;
      if (s[i] == '/' && i + 1 < len && s[i + 1] == '>')
        {
          tag->self_closing = TRUE;
          return i + 2;
        }

      name_start = i;
      while (i < len && !g_ascii_isspace (s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
        i++;
      name_end = i;
      if (name_end == name_start)
        return 0;

      while (i < len && g_ascii_isspace (s[i]))
        i++;
      if (i < len && s[i] == '=')
        {
          i++;
          while (i < len && g_ascii_isspace (s[i]))
            i++;
          if (i < len && (s[i] == '"' || s[i] == '\''))
            {
              char quote = s[i++];

              value_start = i;
              while (i < len && s[i] != quote)
                i++;
              if (i >= len)
                return 0;
              value_end = i++;
            }
          else
            {
              value_start = i;
              while (i < len && !g_ascii_isspace (s[i]) && s[i] != '>')
                i++;
              value_end = i;
            }
          has_value = TRUE;
        }

      if (has_value)
        {
          gsize name_len = name_end - name_start;
          char **slot = NULL;

          if (name_len == 4 && g_ascii_strncasecmp (s + name_start, "href", 4) == 0)
            slot = &tag->href;
          else if (name_len == 3 && g_ascii_strncasecmp (s + name_start, "src", 3) == 0)
            slot = &tag->src;
          else if (name_len == 3 && g_ascii_strncasecmp (s + name_start, "alt", 3) == 0)
            slot = &tag->alt;

          if (slot != NULL)
            {
              GString *value = g_string_new (NULL);

              append_entity_decoded (value, s + value_start, value_end - value_start);
              g_free (*slot);
              *slot = g_string_free (value, FALSE);
            }
        }
    }
}

static gboolean
html_style_for (const char  *name,
                SdRichStyle *style)
{
  static const struct { const char *name; SdRichStyle style; } map[] = {
    { "b", SD_RICH_STYLE_STRONG }, { "strong", SD_RICH_STYLE_STRONG },
    { "i", SD_RICH_STYLE_EMPHASIS }, { "em", SD_RICH_STYLE_EMPHASIS },
    { "cite", SD_RICH_STYLE_EMPHASIS }, { "var", SD_RICH_STYLE_EMPHASIS },
    { "dfn", SD_RICH_STYLE_EMPHASIS },
    { "u", SD_RICH_STYLE_UNDERLINE }, { "ins", SD_RICH_STYLE_UNDERLINE },
    { "s", SD_RICH_STYLE_STRIKE }, { "del", SD_RICH_STYLE_STRIKE },
    { "strike", SD_RICH_STYLE_STRIKE },
    { "code", SD_RICH_STYLE_CODE }, { "tt", SD_RICH_STYLE_CODE }, { "samp", SD_RICH_STYLE_CODE },
    { "kbd", SD_RICH_STYLE_KBD }, { "mark", SD_RICH_STYLE_MARK },
    { "sub", SD_RICH_STYLE_SUBSCRIPT }, { "sup", SD_RICH_STYLE_SUPERSCRIPT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (name, map[i].name))
      {
        *style = map[i].style;
        return TRUE;
      }

  return FALSE;
}

/* Containers whose tags are dropped and whose content is shown. */
static gboolean
html_is_transparent (const char *name)
{
  static const char * const names[] = {
    "span", "div", "p", "center", "font", "small", "big", "abbr", "details", "summary",
    "section", "article", "header", "footer", "figure", "figcaption", "nav", "aside", "main",
    "wbr",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      return TRUE;

  return FALSE;
}

static void
html_literal (Walker     *w,
              const char *s,
              gsize       len)
{
  sd_rich_doc_push (w->doc, SD_RICH_STYLE_LITERAL, 0);
  sd_rich_doc_text (w->doc, s, len);
  sd_rich_doc_pop (w->doc, SD_RICH_STYLE_LITERAL, 0);
}

static void
html_text (Walker     *w,
           const char *s,
           gsize       len)
{
  if (len == 0)
    return;

  g_string_truncate (w->scratch, 0);
  append_entity_decoded (w->scratch, s, len);

  if (w->html_raw)
    html_literal (w, w->scratch->str, w->scratch->len);
  else
    sd_rich_doc_text (w->doc, w->scratch->str, w->scratch->len);
}

static void
html_close (Walker     *w,
            SdRichStyle style,
            gboolean    link)
{
  for (guint i = w->html_open->len; i > 0; i--)
    {
      HtmlOpen *o = &g_array_index (w->html_open, HtmlOpen, i - 1);

      if (o->link == link && (link || o->style == style))
        {
          if (link)
            sd_rich_doc_link_end (w->doc);
          else
            sd_rich_doc_pop (w->doc, style, 0);
          g_array_remove_index (w->html_open, i - 1);
          return;
        }
    }
}

static void
html_tag (Walker        *w,
          const HtmlTag *tag,
          const char    *raw,
          gsize          raw_len)
{
  SdRichStyle style;

  if (w->html_raw)
    {
      if (tag->closing && g_strcmp0 (tag->name, w->html_raw_end) == 0)
        {
          w->html_raw = FALSE;
          g_clear_pointer (&w->html_raw_end, g_free);
        }
      html_literal (w, raw, raw_len);
      return;
    }

  if (html_style_for (tag->name, &style))
    {
      if (tag->closing)
        {
          html_close (w, style, FALSE);
        }
      else if (!tag->self_closing)
        {
          HtmlOpen o = { style, FALSE };

          sd_rich_doc_push (w->doc, style, 0);
          g_array_append_val (w->html_open, o);
        }
      return;
    }

  if (g_str_equal (tag->name, "br"))
    {
      line_break (w);
      return;
    }

  if (g_str_equal (tag->name, "a"))
    {
      if (tag->closing)
        {
          html_close (w, 0, TRUE);
        }
      else if (tag->href != NULL && !sd_rich_doc_in_link (w->doc))
        {
          HtmlOpen o = { 0, TRUE };

          sd_rich_doc_link_start (w->doc, tag->href, sd_rich_link_classify (tag->href), FALSE);
          g_array_append_val (w->html_open, o);
        }
      return;
    }

  if (g_str_equal (tag->name, "img"))
    {
      emit_image (w, tag->src, tag->alt);
      return;
    }

  if (html_is_transparent (tag->name))
    return;

  html_literal (w, raw, raw_len);

  if (!tag->closing && !tag->self_closing &&
      (g_str_equal (tag->name, "script") || g_str_equal (tag->name, "style") ||
       g_str_equal (tag->name, "textarea") || g_str_equal (tag->name, "title")))
    {
      w->html_raw = TRUE;
      w->html_raw_end = g_strdup (tag->name);
    }
}

static void
process_html (Walker     *w,
              const char *s,
              gsize       len)
{
  gsize i = 0;
  gsize text_start = 0;

  while (i < len)
    {
      HtmlTag tag;
      gsize n;

      if (s[i] != '<')
        {
          i++;
          continue;
        }

      html_text (w, s + text_start, i - text_start);

      if (len - i >= 4 && strncmp (s + i, "<!--", 4) == 0)
        {
          const char *end = g_strstr_len (s + i + 4, len - i - 4, "-->");

          /* Comments are notes to the author: not shown. */
          i = end != NULL ? (gsize) (end + 3 - s) : len;
          text_start = i;
          continue;
        }

      n = parse_html_tag (s + i, len - i, &tag);
      if (n == 0)
        {
          /* "<" that does not start a tag: declarations, processing
           * instructions, stray brackets. */
          const char *gt = memchr (s + i, '>', len - i);
          gsize m = (i + 1 < len && (s[i + 1] == '!' || s[i + 1] == '?') && gt != NULL) ?
                    (gsize) (gt + 1 - (s + i)) : 1;

          html_literal (w, s + i, m);
          i += m;
          text_start = i;
          continue;
        }

      html_tag (w, &tag, s + i, n);
      html_tag_clear (&tag);
      i += n;
      text_start = i;
    }

  html_text (w, s + text_start, len - text_start);
}

static gboolean
html_is_only_comments (const char *s)
{
  for (;;)
    {
      while (g_ascii_isspace (*s))
        s++;
      if (*s == '\0')
        return TRUE;
      if (strncmp (s, "<!--", 4) != 0)
        return FALSE;
      s = strstr (s + 4, "-->");
      if (s == NULL)
        return TRUE;
      s += 3;
    }
}

/* ------------------------------------------------------------------------
 * Pipe tables
 * ------------------------------------------------------------------------ */

static void
ensure_line_starts (Walker *w)
{
  if (w->line_starts != NULL)
    return;

  w->line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0, start = 0; i <= w->source_len; i++)
    {
      if (i == w->source_len || w->source[i] == '\n')
        {
          g_array_append_val (w->line_starts, start);
          start = i + 1;
        }
    }
}

/* Line @line (1-based) of the source without container prefixes ("> ",
 * list indentation): the first line from the paragraph's column, the others
 * after any leading spaces and '>'. */
static char *
paragraph_line (Walker *w,
                int     line,
                int     first_line,
                int     column)
{
  const char *s, *end;
  gsize start, stop;

  ensure_line_starts (w);
  if (line < 1 || (guint) line > w->line_starts->len)
    return NULL;

  start = g_array_index (w->line_starts, gsize, line - 1);
  stop = (guint) line < w->line_starts->len ?
         g_array_index (w->line_starts, gsize, line) - 1 : w->source_len;
  s = w->source + start;
  end = w->source + stop;

  if (line == first_line)
    s = MIN (s + MAX (column - 1, 0), end);
  else
    while (s < end && (*s == ' ' || *s == '\t' || *s == '>'))
      s++;

  while (end > s && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
    end--;

  return g_strndup (s, end - s);
}

/* Splits a row on unescaped '|', dropping one leading and one trailing
 * pipe; cells keep their "\|" (undone after splitting, as GFM says). */
static GPtrArray *
split_row (const char *row)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  const char *p = row;
  const char *end = row + strlen (row);
  GString *cell = g_string_new (NULL);

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p < end && *p == '|')
    p++;
  if (end > p && end[-1] == '|' && (end - 1 == p || end[-2] != '\\'))
    end--;

  for (; p < end; p++)
    {
      if (*p == '\\' && p + 1 < end && p[1] == '|')
        {
          g_string_append_c (cell, '|');
          p++;
        }
      else if (*p == '|')
        {
          g_ptr_array_add (cells, g_strdup (g_strstrip (cell->str)));
          g_string_truncate (cell, 0);
        }
      else
        {
          g_string_append_c (cell, *p);
        }
    }
  g_ptr_array_add (cells, g_strdup (g_strstrip (cell->str)));
  g_string_free (cell, TRUE);

  return cells;
}

static gboolean
parse_delimiter_row (const char  *row,
                     GArray     **aligns)
{
  g_autoptr(GPtrArray) cells = NULL;

  if (strchr (row, '-') == NULL)
    return FALSE;
  /* Needs a pipe, or it is a setext underline or a rule. */
  if (strchr (row, '|') == NULL)
    return FALSE;

  cells = split_row (row);
  *aligns = g_array_new (FALSE, FALSE, sizeof (SdRichAlign));

  for (guint i = 0; i < cells->len; i++)
    {
      const char *c = g_ptr_array_index (cells, i);
      gsize n = strlen (c);
      gboolean left, right;
      SdRichAlign align;

      if (n == 0)
        goto fail;
      left = c[0] == ':';
      right = n > 1 && c[n - 1] == ':';
      for (gsize k = left ? 1 : 0; k < (right ? n - 1 : n); k++)
        if (c[k] != '-')
          goto fail;
      if ((gsize) (left + right) >= n)
        goto fail;

      align = left && right ? SD_RICH_ALIGN_CENTER :
              left ? SD_RICH_ALIGN_LEFT :
              right ? SD_RICH_ALIGN_RIGHT : SD_RICH_ALIGN_NONE;
      g_array_append_val (*aligns, align);
    }

  return TRUE;

fail:
  g_clear_pointer (aligns, g_array_unref);
  return FALSE;
}

static SdRichDoc *
render_cell (Walker     *w,
             const char *text)
{
  SdRichDoc *cell = sd_rich_doc_new ();
  cmark_node *root;
  cmark_node *first;
  const guchar *p;

  if (text[0] == '\0')
    return cell;

  /* Letters, digits and spaces (most cells) mean nothing to Markdown: no
   * parser for them (a parser per cell is most of a table's cost). */
  for (p = (const guchar *) text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != ' ' && *p < 0x80)
      break;
  if (*p == '\0')
    {
      sd_rich_doc_text (cell, text, -1);
      return cell;
    }

  /* In the walk's arena. */
  root = sd_cmark_arena_parse (text, strlen (text), CMARK_OPT_DEFAULT);
  first = root != NULL ? cmark_node_first_child (root) : NULL;

  if (first != NULL && cmark_node_get_type (first) == CMARK_NODE_PARAGRAPH &&
      cmark_node_next (first) == NULL)
    {
      Walker cw = { 0, };

      cw.doc = cell;
      cw.source = text;
      cw.source_len = strlen (text);
      cw.base_dir = w->base_dir;
      cw.slugs = w->slugs;
      cw.inline_only = TRUE;
      cw.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
      cw.pending = g_array_new (FALSE, FALSE, sizeof (PendingMarker));
      cw.html_open = g_array_new (FALSE, FALSE, sizeof (HtmlOpen));
      cw.scratch = g_string_new (NULL);
      cw.leaf = first;
      cw.strike_budget = -1;

      walk (&cw, first);
      leaf_finish_inline (&cw);

      g_array_unref (cw.frames);
      g_array_unref (cw.pending);
      g_array_unref (cw.html_open);
      g_string_free (cw.scratch, TRUE);
    }
  else
    {
      /* "# x", "- x", "> x" in a cell are text, not blocks. */
      sd_rich_doc_text (cell, text, -1);
    }

  return cell;
}

/* A paragraph whose second line is a delimiter row with as many cells as
 * its first line is a table. Returns TRUE if one was emitted. */
static gboolean
try_table (Walker     *w,
           cmark_node *para)
{
  int first = cmark_node_get_start_line (para);
  int last = cmark_node_get_end_line (para);
  int column = cmark_node_get_start_column (para);
  g_autofree char *header = NULL;
  g_autofree char *delim = NULL;
  g_autoptr(GArray) aligns = NULL;
  g_autoptr(GPtrArray) header_cells = NULL;
  SdRichTable *table;

  if (last <= first || first < 1)
    return FALSE;

  delim = paragraph_line (w, first + 1, first, column);
  if (delim == NULL || !parse_delimiter_row (delim, &aligns))
    return FALSE;

  header = paragraph_line (w, first, first, column);
  if (header == NULL || strchr (header, '|') == NULL)
    return FALSE;
  header_cells = split_row (header);
  if (header_cells->len != aligns->len)
    return FALSE;

  table = sd_rich_table_new (last - first, aligns->len);
  memcpy (table->align, aligns->data, sizeof (SdRichAlign) * aligns->len);

  for (guint c = 0; c < aligns->len; c++)
    table->cells[c] = render_cell (w, g_ptr_array_index (header_cells, c));

  for (int line = first + 2, r = 1; line <= last; line++, r++)
    {
      g_autofree char *row = paragraph_line (w, line, first, column);
      g_autoptr(GPtrArray) cells = split_row (row != NULL ? row : "");

      for (guint c = 0; c < aligns->len; c++)
        table->cells[r * aligns->len + c] =
          render_cell (w, c < cells->len ? g_ptr_array_index (cells, c) : "");
    }

  leaf_begin (w, para, 0);
  table->indent_px = SD_RICH_INDENT_CONTENT (w->indent_arg);
  sd_rich_doc_table (w->doc, table);
  sd_rich_doc_end_paragraph (w->doc, gap_after (para));
  leaf_end_indent (w);

  return TRUE;
}

/* ------------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------------ */

static void
push_frame (Walker     *w,
            FrameKind   kind,
            cmark_node *node,
            int         content_px)
{
  Frame frame = { 0, };

  frame.kind = kind;
  frame.node = node;
  frame.content_px = content_px;
  g_array_append_val (w->frames, frame);
}

static void
pop_frame (Walker *w)
{
  if (w->frames->len > 1)
    g_array_set_size (w->frames, w->frames->len - 1);
}

/* Plain text of inline children (heading text, image alt). */
static char *
plain_text (cmark_node *node)
{
  g_autoptr(cmark_iter) iter = cmark_iter_new (node);
  GString *out = g_string_new (NULL);
  cmark_event_type ev;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *cur = cmark_iter_get_node (iter);

      if (ev != CMARK_EVENT_ENTER)
        continue;

      switch (cmark_node_get_type (cur))
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
          g_string_append (out, cmark_node_get_literal (cur));
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (out, ' ');
          break;
        default:
          break;
        }
    }

  return g_string_free (out, FALSE);
}

static void
check_task_marker (Walker     *w,
                   cmark_node *para)
{
  cmark_node *item = cmark_node_parent (para);
  PendingMarker *marker;
  char prefix[5] = { 0, };
  gsize n = 0;
  gboolean checked;

  if (w->pending->len == 0 || item == NULL ||
      cmark_node_get_type (item) != CMARK_NODE_ITEM ||
      cmark_node_first_child (item) != para)
    return;

  marker = &g_array_index (w->pending, PendingMarker, w->pending->len - 1);
  if (marker->item != item)
    return;

  /* cmark may split "[ ]" into several text nodes. */
  for (cmark_node *t = cmark_node_first_child (para);
       t != NULL && cmark_node_get_type (t) == CMARK_NODE_TEXT && n < 4;
       t = cmark_node_next (t))
    {
      const char *lit = cmark_node_get_literal (t);

      while (*lit != '\0' && n < 4)
        prefix[n++] = *lit++;
    }

  if (n < 3 || prefix[0] != '[' || prefix[2] != ']' ||
      (prefix[1] != ' ' && prefix[1] != 'x' && prefix[1] != 'X'))
    return;
  if (n == 4 && prefix[3] != ' ')
    return;

  checked = prefix[1] != ' ';
  if (cmark_node_get_list_type (cmark_node_parent (item)) == CMARK_BULLET_LIST)
    {
      g_free (marker->text);
      marker->text = g_strdup (checked ? "\xe2\x98\x91" : "\xe2\x98\x90");
    }
  else
    {
      char *text = g_strconcat (marker->text, " ", checked ? "\xe2\x98\x91" : "\xe2\x98\x90",
                                NULL);

      g_free (marker->text);
      marker->text = text;
    }

  w->skip_prefix = n;
}

static void
enter_list (Walker     *w,
            cmark_node *node)
{
  Frame *parent = top_frame (w);
  int parent_px = parent->content_px;
  int bullet_depth = 0;
  Frame *frame;

  for (guint i = 0; i < w->frames->len; i++)
    {
      Frame *f = &g_array_index (w->frames, Frame, i);

      if (f->kind == FRAME_LIST && !f->ordered)
        bullet_depth++;
    }

  push_frame (w, FRAME_LIST, node, parent_px);
  frame = top_frame (w);
  frame->ordered = cmark_node_get_list_type (node) == CMARK_ORDERED_LIST;
  frame->paren = cmark_node_get_list_delim (node) == CMARK_PAREN_DELIM;
  frame->number = cmark_node_get_list_start (node);
  frame->bullet_depth = bullet_depth;

  if (frame->ordered)
    {
      int items = 0;
      int biggest;
      int digits = 1;

      for (cmark_node *c = cmark_node_first_child (node); c != NULL; c = cmark_node_next (c))
        items++;
      biggest = frame->number + MAX (items - 1, 0);
      while (biggest >= 10 && digits < 9)
        {
          biggest /= 10;
          digits++;
        }
      frame->hang_px = MAX (NUMBER_INDENT_PX, 10 + 9 * digits);
    }
  else
    {
      frame->hang_px = BULLET_INDENT_PX;
    }
}

static void
enter_item (Walker     *w,
            cmark_node *node)
{
  Frame *list = top_frame (w);
  PendingMarker marker = { 0, };
  static const char * const bullets[] = { "\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa" };

  marker.item = node;
  marker.marker_px = list->content_px;
  if (list->ordered)
    marker.text = g_strdup_printf ("%d%c", list->number++, list->paren ? ')' : '.');
  else
    marker.text = g_strdup (bullets[list->bullet_depth % G_N_ELEMENTS (bullets)]);
  g_array_append_val (w->pending, marker);

  push_frame (w, FRAME_ITEM, node, list->content_px + list->hang_px);
}

static void
exit_item (Walker     *w,
           cmark_node *node)
{
  for (guint i = 0; i < w->pending->len; i++)
    if (g_array_index (w->pending, PendingMarker, i).item == node)
      {
        /* An empty item still shows its marker. */
        leaf_begin (w, node, 0);
        sd_rich_doc_end_paragraph (w->doc, gap_after (node));
        leaf_end_indent (w);
        break;
      }

  pop_frame (w);
}

static void
emit_code_block (Walker     *w,
                 cmark_node *node)
{
  const char *literal = cmark_node_get_literal (node);
  gsize len = literal != NULL ? strlen (literal) : 0;
  const char *first_nl;
  const char *last_line;

  if (len > 0 && literal[len - 1] == '\n')
    len--;

  leaf_begin (w, node, SD_RICH_CODE_PAD_PX);
  sd_rich_doc_push (w->doc, SD_RICH_STYLE_CODE_BLOCK,
                    (guint) (SD_RICH_INDENT_CONTENT (w->indent_arg) - SD_RICH_CODE_PAD_PX));

  first_nl = len > 0 ? memchr (literal, '\n', len) : NULL;
  if (first_nl == NULL)
    {
      sd_rich_doc_push (w->doc, SD_RICH_STYLE_PAD_TOP, 0);
      sd_rich_doc_push (w->doc, SD_RICH_STYLE_PAD_BOTTOM, 0);
      sd_rich_doc_text (w->doc, literal, len);
      sd_rich_doc_end_paragraph (w->doc, gap_after (node));
      sd_rich_doc_pop (w->doc, SD_RICH_STYLE_PAD_BOTTOM, 0);
      sd_rich_doc_pop (w->doc, SD_RICH_STYLE_PAD_TOP, 0);
    }
  else
    {
      last_line = literal + len;
      while (last_line > literal && last_line[-1] != '\n')
        last_line--;

      sd_rich_doc_push (w->doc, SD_RICH_STYLE_PAD_TOP, 0);
      sd_rich_doc_text (w->doc, literal, first_nl + 1 - literal);
      sd_rich_doc_pop (w->doc, SD_RICH_STYLE_PAD_TOP, 0);
      sd_rich_doc_text (w->doc, first_nl + 1, last_line - (first_nl + 1));
      sd_rich_doc_push (w->doc, SD_RICH_STYLE_PAD_BOTTOM, 0);
      sd_rich_doc_text (w->doc, last_line, literal + len - last_line);
      sd_rich_doc_end_paragraph (w->doc, gap_after (node));
      sd_rich_doc_pop (w->doc, SD_RICH_STYLE_PAD_BOTTOM, 0);
    }

  sd_rich_doc_pop (w->doc, SD_RICH_STYLE_CODE_BLOCK,
                   (guint) (SD_RICH_INDENT_CONTENT (w->indent_arg) - SD_RICH_CODE_PAD_PX));
  leaf_end_indent (w);
}

/* Each block's place in the rendered text, named "src:FIRST-LAST" after
 * its lines in the file, so a passage of the source (a card's lines) can be
 * found in the view. */
static void
add_source_range (Walker     *w,
                  cmark_node *node,
                  int         start)
{
  char name[48];
  int end = sd_rich_doc_get_length (w->doc);

  if (end <= start)
    return;
  g_snprintf (name, sizeof name, "src:%d-%d",
              cmark_node_get_start_line (node) + w->line_base,
              cmark_node_get_end_line (node) + w->line_base);
  sd_rich_doc_add_range (w->doc, name, start, end);
}

static gboolean
is_leaf_block (cmark_node_type type)
{
  return type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK
         || type == CMARK_NODE_THEMATIC_BREAK;
}

static void
walk (Walker     *w,
      cmark_node *root)
{
  g_autoptr(cmark_iter) iter = cmark_iter_new (root);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (int));
  cmark_event_type ev;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      gboolean enter = ev == CMARK_EVENT_ENTER;
      cmark_node_type type = cmark_node_get_type (node);
      gboolean tracked = !w->inline_only
                         && (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING
                             || type == CMARK_NODE_ITEM || is_leaf_block (type));
      int block_start = sd_rich_doc_get_length (w->doc);

      if (tracked && enter && !is_leaf_block (type))
        g_array_append_val (starts, block_start);
      else if (tracked && !enter && starts->len > 0)
        {
          add_source_range (w, node, g_array_index (starts, int, starts->len - 1));
          g_array_set_size (starts, starts->len - 1);
        }

      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_DOCUMENT:
          break;

        case CMARK_NODE_BLOCK_QUOTE:
          if (enter)
            {
              int px = top_frame (w)->content_px;

              push_frame (w, FRAME_QUOTE, node, px + QUOTE_INDENT_PX);
              sd_rich_doc_push (w->doc, SD_RICH_STYLE_QUOTE, (guint) px);
            }
          else
            {
              /* The pop must match the push's arg: the frame knows it. */
              sd_rich_doc_pop (w->doc, SD_RICH_STYLE_QUOTE,
                               (guint) (top_frame (w)->content_px - QUOTE_INDENT_PX));
              pop_frame (w);
            }
          break;

        case CMARK_NODE_LIST:
          if (enter)
            enter_list (w, node);
          else
            pop_frame (w);
          break;

        case CMARK_NODE_ITEM:
          if (enter)
            enter_item (w, node);
          else
            exit_item (w, node);
          break;

        case CMARK_NODE_PARAGRAPH:
          if (w->inline_only)
            break;
          if (enter)
            {
              if (try_table (w, node))
                {
                  cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
                  break;
                }
              check_task_marker (w, node);
              leaf_begin (w, node, 0);
            }
          else
            {
              leaf_finish_inline (w);
              sd_rich_doc_end_paragraph (w->doc, gap_after (node));
              leaf_end_indent (w);
            }
          break;

        case CMARK_NODE_HEADING:
          {
            SdRichStyle style = SD_RICH_STYLE_H1 + CLAMP (cmark_node_get_heading_level (node),
                                                          1, 6) - 1;

            if (enter)
              {
                g_autofree char *text = plain_text (node);
                g_autofree char *slug = unique_slug (w->slugs, text);

                sd_rich_doc_heading (w->doc, cmark_node_get_heading_level (node), text, slug);
                leaf_begin (w, node, 0);
                sd_rich_doc_push (w->doc, style, 0);
              }
            else
              {
                leaf_finish_inline (w);
                sd_rich_doc_end_paragraph (w->doc, gap_after (node));
                sd_rich_doc_pop (w->doc, style, 0);
                leaf_end_indent (w);
              }
          }
          break;

        case CMARK_NODE_CODE_BLOCK:
          emit_code_block (w, node);
          break;

        case CMARK_NODE_HTML_BLOCK:
          {
            const char *literal = cmark_node_get_literal (node);
            gsize len = strlen (literal);

            if (html_is_only_comments (literal))
              break;
            while (len > 0 && literal[len - 1] == '\n')
              len--;

            leaf_begin (w, node, 0);
            process_html (w, literal, len);
            leaf_finish_inline (w);
            sd_rich_doc_end_paragraph (w->doc, gap_after (node));
            leaf_end_indent (w);
          }
          break;

        case CMARK_NODE_THEMATIC_BREAK:
          leaf_begin (w, node, 0);
          sd_rich_doc_rule (w->doc, SD_RICH_INDENT_CONTENT (w->indent_arg));
          sd_rich_doc_end_paragraph (w->doc, gap_after (node));
          leaf_end_indent (w);
          break;

        case CMARK_NODE_TEXT:
          {
            cmark_node *last = node;

            /* Adjacent text nodes ("[", "[Note", "]", …) are one run, so
             * wikilinks and task markers split by cmark are seen whole. */
            g_string_assign (w->scratch, cmark_node_get_literal (node));
            while (cmark_node_next (last) != NULL &&
                   cmark_node_get_type (cmark_node_next (last)) == CMARK_NODE_TEXT)
              {
                last = cmark_node_next (last);
                g_string_append (w->scratch, cmark_node_get_literal (last));
              }
            if (last != node)
              cmark_iter_reset (iter, last, CMARK_EVENT_ENTER);

            /* process_text() does not use the scratch string itself. */
            process_text (w, w->scratch->str, w->scratch->len);
          }
          break;

        case CMARK_NODE_SOFTBREAK:
          sd_rich_doc_text (w->doc, " ", 1);
          break;

        case CMARK_NODE_LINEBREAK:
          line_break (w);
          break;

        case CMARK_NODE_CODE:
          sd_rich_doc_push (w->doc, SD_RICH_STYLE_CODE, 0);
          sd_rich_doc_text (w->doc, cmark_node_get_literal (node), -1);
          sd_rich_doc_pop (w->doc, SD_RICH_STYLE_CODE, 0);
          break;

        case CMARK_NODE_HTML_INLINE:
          {
            const char *literal = cmark_node_get_literal (node);

            process_html (w, literal, strlen (literal));
          }
          break;

        case CMARK_NODE_EMPH:
          if (enter)
            sd_rich_doc_push (w->doc, SD_RICH_STYLE_EMPHASIS, 0);
          else
            sd_rich_doc_pop (w->doc, SD_RICH_STYLE_EMPHASIS, 0);
          break;

        case CMARK_NODE_STRONG:
          if (enter)
            sd_rich_doc_push (w->doc, SD_RICH_STYLE_STRONG, 0);
          else
            sd_rich_doc_pop (w->doc, SD_RICH_STYLE_STRONG, 0);
          break;

        case CMARK_NODE_LINK:
          if (enter)
            {
              const char *url = cmark_node_get_url (node);

              sd_rich_doc_link_start (w->doc, url, sd_rich_link_classify (url), FALSE);
            }
          else
            {
              sd_rich_doc_link_end (w->doc);
            }
          break;

        case CMARK_NODE_IMAGE:
          {
            g_autofree char *alt = plain_text (node);

            emit_image (w, cmark_node_get_url (node), alt);
            cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
          }
          break;

        case CMARK_NODE_CUSTOM_BLOCK:
        case CMARK_NODE_CUSTOM_INLINE:
        case CMARK_NODE_NONE:
        default:
          break;
        }

      if (tracked && is_leaf_block (type))
        add_source_range (w, node, block_start);
    }
}

static void
walker_clear (Walker *w)
{
  g_array_unref (w->pending);
  g_array_unref (w->frames);
  g_array_unref (w->html_open);
  g_clear_pointer (&w->line_starts, g_array_unref);
  g_clear_pointer (&w->html_raw_end, g_free);
  g_string_free (w->scratch, TRUE);
}

/* Parse and walk, no link resolution (any thread). */
static SdRichDoc *
build_doc (const char  *text,
           gsize        length,
           const char  *base_dir,
           char       **front_matter)
{
  g_autoptr(GHashTable) slugs = NULL;
  cmark_node *root;
  SdCmarkArena *arena;
  gsize body = 0;
  Walker w = { 0, };

  sd_markdown_split_front_matter (text, length, front_matter, &body);
  if (body == 0 && length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    body = 3;

  arena = sd_cmark_arena_push (length - body);
  root = sd_cmark_arena_parse (text + body, length - body, CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);

  slugs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w.doc = sd_rich_doc_new_sized (length - body);
  w.source = text + body;
  w.source_len = length - body;
  for (gsize i = 0; i < body; i++)
    w.line_base += text[i] == '\n';
  w.base_dir = base_dir;
  w.slugs = slugs;
  w.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  w.pending = g_array_new (FALSE, FALSE, sizeof (PendingMarker));
  g_array_set_clear_func (w.pending, clear_pending_marker);
  w.html_open = g_array_new (FALSE, FALSE, sizeof (HtmlOpen));
  w.scratch = g_string_new (NULL);
  w.strike_budget = -1;
  push_frame (&w, FRAME_DOCUMENT, root, 0);

  if (root != NULL)
    walk (&w, root);

  walker_clear (&w);
  sd_cmark_arena_pop (arena);

  return w.doc;
}

static void
resolve_doc (SdRichDoc             *doc,
             SdRichDoc             *headings,
             SdMarkdownResolveFunc  resolve,
             gpointer               resolve_data)
{
  for (guint i = 0; i < sd_rich_doc_get_n_links (doc); i++)
    {
      const SdRichLink *link = sd_rich_doc_get_link (doc, i);
      gboolean broken = FALSE;

      switch (link->kind)
        {
        case SD_RICH_LINK_ANCHOR:
          broken = sd_rich_doc_find_heading (headings, link->uri + 1) == NULL;
          break;
        case SD_RICH_LINK_RELATIVE:
        case SD_RICH_LINK_WIKILINK:
          broken = resolve != NULL && !resolve (link->uri, resolve_data);
          break;
        case SD_RICH_LINK_EXTERNAL:
        case SD_RICH_LINK_OTHER:
        default:
          break;
        }

      sd_rich_doc_set_link_broken (doc, i, broken);
    }
}

/**
 * sd_markdown_resolve_links:
 * @doc: a doc from sd_markdown_render()
 * @resolve: (nullable): tells whether a RELATIVE or WIKILINK target exists;
 *   NULL treats them all as existing
 *
 * Marks broken links: "#slug" anchors without such a heading, internal links
 * @resolve rejects. Table cells included.
 */
void
sd_markdown_resolve_links (SdRichDoc             *doc,
                           SdMarkdownResolveFunc  resolve,
                           gpointer               resolve_data)
{
  g_return_if_fail (doc != NULL);

  resolve_doc (doc, doc, resolve, resolve_data);

  for (guint t = 0; t < sd_rich_doc_get_n_tables (doc); t++)
    {
      const SdRichTable *table = sd_rich_doc_get_table (doc, t);

      for (gsize c = 0; c < (gsize) table->n_rows * table->n_cols; c++)
        if (table->cells[c] != NULL)
          resolve_doc (table->cells[c], doc, resolve, resolve_data);
    }
}

/**
 * sd_markdown_render:
 * @text: the note, UTF-8
 * @length: its length in bytes, or -1 if nul-terminated
 * @base_dir: (nullable): the note's folder, for relative image paths
 * @resolve: (nullable): see sd_markdown_resolve_links()
 * @front_matter: (out) (optional) (nullable): the raw front matter (between
 *   the "---" lines), or NULL if the note has none
 *
 * Returns: (transfer full): the render operations
 */
SdRichDoc *
sd_markdown_render (const char             *text,
                    gssize                  length,
                    const char             *base_dir,
                    SdMarkdownResolveFunc   resolve,
                    gpointer                resolve_data,
                    char                  **front_matter)
{
  SdRichDoc *doc;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (text == NULL)
    text = "";
  if (length < 0)
    length = strlen (text);

  doc = build_doc (text, length, base_dir, front_matter);
  sd_markdown_resolve_links (doc, resolve, resolve_data);

  return doc;
}

typedef struct
{
  char      *text;
  gsize      length;
  char      *base_dir;
  SdRichDoc *doc;
  char      *front_matter;
} RenderData;

static void
render_data_free (gpointer data)
{
  RenderData *rd = data;

  g_free (rd->text);
  g_free (rd->base_dir);
  g_clear_pointer (&rd->doc, sd_rich_doc_unref);
  g_free (rd->front_matter);
  g_free (rd);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderData *rd = task_data;

  rd->doc = build_doc (rd->text, rd->length, rd->base_dir, &rd->front_matter);
  g_task_return_boolean (task, TRUE);
}

void
sd_markdown_render_async (const char          *text,
                          gssize               length,
                          const char          *base_dir,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderData *rd;

  g_return_if_fail (text != NULL || length == 0);

  if (text == NULL)
    text = "";
  if (length < 0)
    length = strlen (text);

  rd = g_new0 (RenderData, 1);
  rd->text = g_strndup (text, length);
  rd->length = length;
  rd->base_dir = g_strdup (base_dir);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_markdown_render_async);
  g_task_set_task_data (task, rd, render_data_free);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, render_thread);
}

SdRichDoc *
sd_markdown_render_finish (GAsyncResult           *result,
                           SdMarkdownResolveFunc   resolve,
                           gpointer                resolve_data,
                           char                  **front_matter,
                           GError                **error)
{
  RenderData *rd;
  SdRichDoc *doc;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_markdown_render_async,
                        NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  rd = g_task_get_task_data (G_TASK (result));
  doc = g_steal_pointer (&rd->doc);
  if (front_matter != NULL)
    *front_matter = g_steal_pointer (&rd->front_matter);

  sd_markdown_resolve_links (doc, resolve, resolve_data);

  return doc;
}
