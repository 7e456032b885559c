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

typedef struct
{
  int    level;
  char  *text;
  int    line;   /* 1-based line in the whole file */
} SdMarkdownHeading;

void        sd_markdown_heading_free            (SdMarkdownHeading *heading);
const char *sd_markdown_text_skip_front_matter  (const char        *text,
                                                 char             **front_matter,
                                                 int               *body_line);
GPtrArray  *sd_markdown_text_headings           (const char        *text);

G_END_DECLS
