/* sd-review-pane.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-card.h"
#include "sd-card-view.h"
#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_REVIEW_PANE (sd_review_pane_get_type ())
G_DECLARE_FINAL_TYPE (SdReviewPane, sd_review_pane, SD, REVIEW_PANE, GtkWidget)

void          sd_review_pane_set_collection (SdReviewPane  *self,
                                             SdCollection  *collection);
void          sd_review_pane_show_deck      (SdReviewPane  *self,
                                             gint64         deck_id);
gboolean      sd_review_pane_study          (SdReviewPane  *self,
                                             GError       **error);
gboolean      sd_review_pane_study_cards    (SdReviewPane  *self,
                                             GArray        *card_ids,
                                             GError       **error);
void          sd_review_pane_show_error     (SdReviewPane  *self,
                                             const char    *text);
gint64        sd_review_pane_get_deck       (SdReviewPane  *self);
const char   *sd_review_pane_get_page       (SdReviewPane  *self);
const SdCard *sd_review_pane_get_card       (SdReviewPane  *self);
gboolean      sd_review_pane_is_revealed    (SdReviewPane  *self);
SdCardView   *sd_review_pane_get_card_view  (SdReviewPane  *self);

G_END_DECLS
