/* sd-review-pane.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_REVIEW_PANE (sd_review_pane_get_type ())
G_DECLARE_FINAL_TYPE (SdReviewPane, sd_review_pane, SD, REVIEW_PANE, GtkWidget)

void        sd_review_pane_set_collection (SdReviewPane *self,
                                           SdCollection *collection);
void        sd_review_pane_show_deck      (SdReviewPane *self,
                                           gint64        deck_id);
void        sd_review_pane_show_error     (SdReviewPane *self,
                                           const char   *message);
const char *sd_review_pane_get_page       (SdReviewPane *self);

G_END_DECLS
