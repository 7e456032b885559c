/* sd-card-view.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sd-rich-text.h"
#include "sd-rich-view.h"

G_BEGIN_DECLS

/*
 * One face of an Anki card: its HTML (sd-card-html.h) in an SdRichView
 * inside a vertical GtkScrolledWindow, plus what cards need:
 *
 * - the page colour of the note type's `.card` painted behind the text
 *   (the view's own background otherwise);
 * - the type-answer GtkEntry where the question has <input id="typeans">
 *   (sd_card_view_get_type_entry(), sd_card_view_get_typed_text()); Enter
 *   in it emits ::answer-requested;
 * - a play button per [sound:…] in the media folder (a GtkMediaFile, so it
 *   plays where GTK's GStreamer media backend is installed; a failing
 *   stream turns the button into a warning sign, nothing crashes), a dim
 *   "Missing sound" label for files that are not there;
 * - hint links ("sd-hint:ID") reveal their hidden content in place and
 *   disappear; other links go to ::link-activated, whose default handler
 *   opens http(s) and mailto links with gtk_show_uri();
 * - AdwStyleManager:dark: the card is rendered again for the other colour
 *   scheme (keeping the typed text and revealed hints).
 *
 * Style classes: "sd-card-view" on the widget, "sd-card-page" while a page
 * colour is painted, "sd-card-entry", "sd-card-sound", "sd-card-missing-sound"
 * on the widgets in the text.
 */

#define SD_TYPE_CARD_VIEW (sd_card_view_get_type ())

G_DECLARE_FINAL_TYPE (SdCardView, sd_card_view, SD, CARD_VIEW, GtkWidget)

GtkWidget  *sd_card_view_new               (void);
void        sd_card_view_set_card          (SdCardView *self,
                                            const char *html,
                                            const char *css,
                                            const char *media_dir);
void        sd_card_view_set_card_full     (SdCardView *self,
                                            const char *html,
                                            const char *css,
                                            const char *media_dir,
                                            int         card_ord);
SdRichText *sd_card_view_get_rich_text     (SdCardView *self);
SdRichView *sd_card_view_get_rich_view     (SdCardView *self);
gboolean    sd_card_view_get_page_color    (SdCardView *self,
                                            GdkRGBA    *color);

GtkEntry   *sd_card_view_get_type_entry    (SdCardView *self);
const char *sd_card_view_get_typed_text    (SdCardView *self);

guint       sd_card_view_get_n_sounds      (SdCardView *self);
GtkWidget  *sd_card_view_get_sound_widget  (SdCardView *self,
                                            guint       i);
const char *sd_card_view_get_sound_path    (SdCardView *self,
                                            guint       i);
gboolean    sd_card_view_play_sound        (SdCardView *self,
                                            guint       i);
void        sd_card_view_stop_sounds       (SdCardView *self);

gboolean    sd_card_view_reveal_hint       (SdCardView *self,
                                            const char *id);
gboolean    sd_card_view_scroll_to_answer  (SdCardView *self);

G_END_DECLS
