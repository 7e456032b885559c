/* sd-markdown.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sd-rich-text.h"

G_BEGIN_DECLS

/*
 * Markdown note → SdRichDoc (GLib + cmark only; safe in a worker thread).
 *
 * CommonMark through cmark (CMARK_OPT_DEFAULT: raw HTML is never passed
 * through; its literals are interpreted here: a safe subset of inline tags
 * becomes styles, comments are dropped, everything else is shown as dim
 * literal text; nothing is executed or fetched), plus:
 *
 * - front matter: a "---" line at the very top, closed by "---" or "...",
 *   is not rendered; its raw text is handed back;
 * - GFM pipe tables (header row, delimiter row with :-- :-: --:, body rows,
 *   \| escapes), task list items [ ] / [x] as ☐ / ☑, ~~strikethrough~~,
 *   bare http(s):// URLs as links;
 * - wikilinks [[Note]], [[Note#Heading]], [[Note|alias]], [[#Heading]] in
 *   text (not in code or inside links); ![[picture.png]] embeds an image.
 *
 * Link URIs (see SdRichLinkKind in sd-rich-text.h):
 * - [t](https://x), [t](mailto:x) → as written, EXTERNAL;
 * - [t](Other.md), [t](dir/Other.md#intro) → as written, RELATIVE;
 * - [t](#intro) → "#intro", ANCHOR (checked against this note's headings);
 * - [[Note]] → "wikilink:Note"; [[Note#My Heading|x]] → "wikilink:Note#my-heading";
 *   [[#My Heading]] → "#my-heading" (ANCHOR).
 * sd_markdown_link_target() splits any of them into note and heading slug.
 *
 * Headings get GitHub-style slugs (sd_markdown_slugify(); repeated ones get
 * "-1", "-2", …), available as the doc's headings (level, text, slug,
 * offset) and, once replayed, as marks "heading:<slug>".
 */

/* Does the internal link @uri (RELATIVE or WIKILINK kind) point at
 * something that exists? Called on the thread that resolves the links. */
typedef gboolean (*SdMarkdownResolveFunc) (const char *uri,
                                           gpointer    user_data);

SdRichDoc  *sd_markdown_render              (const char             *text,
                                             gssize                  length,
                                             const char             *base_dir,
                                             SdMarkdownResolveFunc   resolve,
                                             gpointer                resolve_data,
                                             char                  **front_matter);

/* The cmark parse and the walk run in a worker; @resolve runs in
 * sd_markdown_render_finish(), on the caller's thread. */
void        sd_markdown_render_async        (const char             *text,
                                             gssize                  length,
                                             const char             *base_dir,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
SdRichDoc  *sd_markdown_render_finish       (GAsyncResult           *result,
                                             SdMarkdownResolveFunc   resolve,
                                             gpointer                resolve_data,
                                             char                  **front_matter,
                                             GError                **error);

void        sd_markdown_resolve_links       (SdRichDoc              *doc,
                                             SdMarkdownResolveFunc   resolve,
                                             gpointer                resolve_data);

gboolean    sd_markdown_split_front_matter  (const char             *text,
                                             gsize                   length,
                                             char                  **front_matter,
                                             gsize                  *body_offset);

char       *sd_markdown_slugify             (const char             *text);

gboolean    sd_markdown_link_target         (const char             *uri,
                                             char                  **note,
                                             char                  **slug);

G_END_DECLS
