/* sd-markdown-text.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the core needs to know of a Markdown note without drawing it. */

/* A heading and the text up to the next one. The part before the first
 * heading is a section of level 0 with an empty heading. */
typedef struct
{
  int    level;
  char  *heading;
  int    line;   /* 1-based line of the heading in the whole file */
  char  *body;   /* plain text, one line per block */
} SdMarkdownSection;

void        sd_markdown_section_free            (SdMarkdownSection *section);
const char *sd_markdown_text_skip_front_matter  (const char        *text,
                                                 char             **front_matter,
                                                 int               *body_line);
GPtrArray  *sd_markdown_text_sections           (const char        *text);

G_END_DECLS
