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
sd_markdown_section_free (SdMarkdownSection *section)
{
  if (section == NULL)
    return;
  g_free (section->heading);
  g_free (section->body);
  g_free (section);
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

static SdMarkdownSection *
section_new (GPtrArray  *sections,
             int         level,
             int         line)
{
  SdMarkdownSection *section = g_new0 (SdMarkdownSection, 1);

  section->level = level;
  section->line = line;
  g_ptr_array_add (sections, section);
  return section;
}

static void
end_block (GString *body)
{
  if (body->len > 0 && body->str[body->len - 1] != '\n')
    g_string_append_c (body, '\n');
}

/**
 * sd_markdown_text_sections:
 *
 * Cuts a note into sections at its headings, with plain text for search:
 * the Markdown syntax is gone, code stays.
 *
 * Returns: (transfer full) (element-type SdMarkdownSection): the sections in
 *   order; the first has level 0 and holds the text before any heading
 */
GPtrArray *
sd_markdown_text_sections (const char *text)
{
  GPtrArray *sections = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_markdown_section_free);
  g_autoptr(cmark_node) doc = NULL;
  g_autoptr(cmark_iter) iter = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  SdMarkdownSection *current;
  const char *start;
  int body_line;
  cmark_event_type event;

  start = sd_markdown_text_skip_front_matter (text, NULL, &body_line);
  doc = cmark_parse_document (start, strlen (start), CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);
  iter = cmark_iter_new (doc);
  current = section_new (sections, 0, body_line);

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      cmark_node_type type = cmark_node_get_type (node);

      if (type == CMARK_NODE_HEADING && event == CMARK_EVENT_ENTER)
        {
          GString *heading = g_string_new (NULL);

          current->body = g_strdup (body->str);
          g_string_truncate (body, 0);
          append_inline_text (heading, node);
          current = section_new (sections, cmark_node_get_heading_level (node),
                                 cmark_node_get_start_line (node) + body_line - 1);
          current->heading = g_strstrip (g_string_free (heading, FALSE));
          /* The heading's own text is not body text. */
          cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
          continue;
        }

      switch (type)
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE:
          g_string_append (body, cmark_node_get_literal (node));
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (body, ' ');
          break;
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HTML_BLOCK:
          end_block (body);
          g_string_append (body, cmark_node_get_literal (node));
          end_block (body);
          break;
        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_ITEM:
          if (event == CMARK_EVENT_EXIT)
            end_block (body);
          break;
        default:
          break;
        }
    }

  current->body = g_strdup (body->str);
  for (guint i = 0; i < sections->len; i++)
    {
      SdMarkdownSection *section = g_ptr_array_index (sections, i);
      if (section->heading == NULL)
        section->heading = g_strdup ("");
    }
  return sections;
}
