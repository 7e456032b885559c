/* sd-preset.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_PRESET_DEFAULT_ID 1

/* Deck options, shared between decks as Anki's option groups are. */
typedef struct
{
  gint64    id;
  char     *name;
  char     *fsrs_params;        /* JSON array, "" = FSRS-6 defaults */
  double    desired_retention;
  GArray   *learn_steps;        /* guint seconds */
  GArray   *relearn_steps;      /* guint seconds */
  int       new_per_day;
  int       reviews_per_day;
  int       max_interval;
  int       rollover_hour;
  int       leech_threshold;
  gboolean  leech_suspend;
  gboolean  bury_new;
  gboolean  bury_reviews;
  gboolean  bury_interday;
  gint64    mtime;
  char     *anki_extra;
} SdPreset;

SdPreset  *sd_preset_new          (const char    *name);
void       sd_preset_free         (SdPreset      *preset);
SdPreset  *sd_preset_load         (SdCollection  *collection,
                                   gint64         id,
                                   GError       **error);
SdPreset  *sd_preset_load_for_deck (SdCollection *collection,
                                   gint64         deck_id,
                                   GError       **error);
GPtrArray *sd_preset_list         (SdCollection  *collection,
                                   GError       **error);
gboolean   sd_preset_insert       (SdCollection  *collection,
                                   SdPreset      *preset,
                                   GError       **error);
gboolean   sd_preset_update       (SdCollection  *collection,
                                   SdPreset      *preset,
                                   GError       **error);
gboolean   sd_preset_delete       (SdCollection  *collection,
                                   gint64         id,
                                   GError       **error);
GArray    *sd_preset_parse_steps  (const char    *text,
                                   GError       **error);
char      *sd_preset_format_steps (GArray        *steps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdPreset, sd_preset_free)

G_END_DECLS
