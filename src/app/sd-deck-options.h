/* sd-deck-options.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"
#include "sd-preset.h"

G_BEGIN_DECLS

#define SD_TYPE_DECK_OPTIONS (sd_deck_options_get_type ())
G_DECLARE_FINAL_TYPE (SdDeckOptions, sd_deck_options, SD, DECK_OPTIONS, AdwPreferencesWindow)

SdDeckOptions *sd_deck_options_new        (GtkWindow     *parent,
                                           SdCollection  *collection,
                                           gint64         deck_id);
SdPreset      *sd_deck_options_get_preset (SdDeckOptions *self);

G_END_DECLS
