/* sd-markdown-text.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sd-autocleanups.h"
#include "sd-markdown-text.h"

void
sd_markdown_heading_free (SdMarkdownHeading *heading)
{
  if (heading == NULL)
    return;
  g_free (heading->text);
  g_free (heading);
}

static const char *
next_line (const char *p)
{
  const char *nl = strchr (p, '\n');
  return nl ? nl + 1 : p + strlen (p);
}

static gboolean
line_is (const char *line,
         const char *marker)
{
  gsize len = strlen (marker);

  if (strncmp (line, marker, len) != 0)
    return FALSE;
  line += len;
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '\n' || *line == '\0' || (*line == '\r' && (line[1] == '\n' || line[1] == '\0'));
}

/**
 * sd_markdown_text_skip_front_matter:
 * @front_matter: (out) (optional) (transfer full): the YAML between the fences, or %NULL
 * @body_line: (out) (optional): the 1-based line where the body starts
 *
 * A note may start with a YAML block fenced by `---` lines (closed by `---`
 * or `...`); it is metadata, not text.
 *
 * Returns: where the Markdown body starts inside @text
 */
const char *
sd_markdown_text_skip_front_matter (const char  *text,
                                    char       **front_matter,
                                    int         *body_line)
{
  const char *p;
  int line = 2;

  if (front_matter != NULL)
    *front_matter = NULL;
  if (body_line != NULL)
    *body_line = 1;

  /* A byte-order mark is invisible to the user; look past it. */
  if (g_str_has_prefix (text, "\xef\xbb\xbf"))
    text += 3;

  if (!line_is (text, "---"))
    return text;

  for (p = next_line (text); *p != '\0'; p = next_line (p), line++)
    {
      if (line_is (p, "---") || line_is (p, "..."))
        {
          const char *yaml = next_line (text);

          if (front_matter != NULL)
            *front_matter = g_strndup (yaml, p - yaml);
          if (body_line != NULL)
            *body_line = line + 1;
          return next_line (p);
        }
    }

  return text;  /* never closed: not front matter */
}

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

/**
 * sd_markdown_text_headings:
 *
 * Returns: (transfer full) (element-type SdMarkdownHeading): the headings of
 *   a note in order, with their plain text and line numbers
 */
GPtrArray *
sd_markdown_text_headings (const char *text)
{
  GPtrArray *headings = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_markdown_heading_free);
  g_autoptr(cmark_node) doc = NULL;
  g_autoptr(cmark_iter) iter = NULL;
  const char *body;
  int body_line;
  cmark_event_type event;

  body = sd_markdown_text_skip_front_matter (text, NULL, &body_line);
  doc = cmark_parse_document (body, strlen (body), CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);
  iter = cmark_iter_new (doc);

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      SdMarkdownHeading *heading;
      GString *buf;

      if (event != CMARK_EVENT_ENTER || cmark_node_get_type (node) != CMARK_NODE_HEADING)
        continue;

      buf = g_string_new (NULL);
      append_inline_text (buf, node);
      heading = g_new0 (SdMarkdownHeading, 1);
      heading->level = cmark_node_get_heading_level (node);
      heading->text = g_strstrip (g_string_free (buf, FALSE));
      heading->line = cmark_node_get_start_line (node) + body_line - 1;
      g_ptr_array_add (headings, heading);
    }

  return headings;
}
