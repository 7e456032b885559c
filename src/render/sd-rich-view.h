/* sd-rich-view.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sd-rich-text.h"

G_BEGIN_DECLS

/*
 * A read-only GtkTextView that shows an SdRichText.
 *
 * - Links: click (without a selection) or Enter on the caret emits
 *   ::link-activated (uri); a handler returns TRUE when it handled the link.
 *   The default handler scrolls to "#slug" anchors itself and leaves every
 *   other kind (see SdRichLinkKind) to the app. Broken links are emitted
 *   too (e.g. to offer creating the note). Pointer cursor and a tooltip with
 *   the target over links. Tab / Shift+Tab select the next / previous link
 *   (then Enter opens it); past the last one the focus moves on.
 * - Images scale down to the text width, tables and rules follow it.
 * - scroll_to_heading (slug) and the "current-heading" property (slug of
 *   the heading whose section is at the top of the view) for an outline.
 * - Colours follow AdwStyleManager:dark.
 *
 * An SdRichText can be shown by one view at a time (its table and rule
 * widgets live in that view).
 */

#define SD_TYPE_RICH_VIEW (sd_rich_view_get_type ())

G_DECLARE_FINAL_TYPE (SdRichView, sd_rich_view, SD, RICH_VIEW, GtkTextView)

GtkWidget   *sd_rich_view_new                 (void);
void         sd_rich_view_set_text            (SdRichView *self,
                                               SdRichText *text);
SdRichText  *sd_rich_view_get_text            (SdRichView *self);
gboolean     sd_rich_view_scroll_to_heading   (SdRichView *self,
                                               const char *slug);
const char  *sd_rich_view_get_current_heading (SdRichView *self);
gboolean     sd_rich_view_activate_link_at    (SdRichView *self,
                                               const GtkTextIter *iter);
gboolean     sd_rich_view_focus_link          (SdRichView *self,
                                               gboolean    forward);

G_END_DECLS
