/* sd-deck-list.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_DECK_LIST (sd_deck_list_get_type ())
G_DECLARE_FINAL_TYPE (SdDeckList, sd_deck_list, SD, DECK_LIST, GtkWidget)

void   sd_deck_list_set_collection (SdDeckList   *self,
                                    SdCollection *collection);
guint  sd_deck_list_get_n_decks    (SdDeckList   *self);
gint64 sd_deck_list_get_selected   (SdDeckList   *self);
void   sd_deck_list_select         (SdDeckList   *self,
                                    gint64        deck_id);
void   sd_deck_list_new_deck       (SdDeckList   *self);
void   sd_deck_list_set_hidden     (SdDeckList   *self,
                                    gint64        deck_id,
                                    gboolean      hidden);

G_END_DECLS
