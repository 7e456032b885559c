/* sd-deck.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

/* The deck every collection has and nothing can delete. */
#define SD_DECK_DEFAULT_ID 1

typedef struct
{
  gint64   id;
  gint64   parent_id;   /* 0 at the top level */
  char    *name;        /* the last component */
  char    *full_name;   /* "Parent::Child" */
  guint    depth;       /* 0 at the top level */
  gint64   preset_id;
  char    *description;
  gboolean collapsed;
  gint64   mtime;
  char    *anki_extra;
} SdDeck;

void       sd_deck_free          (SdDeck        *deck);
SdDeck    *sd_deck_load          (SdCollection  *collection,
                                  gint64         id,
                                  GError       **error);
GPtrArray *sd_deck_list          (SdCollection  *collection,
                                  GError       **error);
gint64     sd_deck_find          (SdCollection  *collection,
                                  const char    *full_name);
gint64     sd_deck_ensure        (SdCollection  *collection,
                                  const char    *full_name,
                                  GError       **error);
gboolean   sd_deck_rename        (SdCollection  *collection,
                                  gint64         id,
                                  const char    *new_full_name,
                                  GError       **error);
gboolean   sd_deck_set_preset    (SdCollection  *collection,
                                  gint64         id,
                                  gint64         preset_id,
                                  GError       **error);
gboolean   sd_deck_set_description (SdCollection *collection,
                                  gint64         id,
                                  const char    *description,
                                  GError       **error);
gboolean   sd_deck_set_anki_extra (SdCollection *collection,
                                  gint64         id,
                                  const char    *anki_extra,
                                  GError       **error);
gboolean   sd_deck_delete        (SdCollection  *collection,
                                  gint64         id,
                                  gint64        *n_cards_deleted,
                                  GError       **error);
gint64     sd_deck_count_cards   (SdCollection  *collection,
                                  gint64         id);
GArray    *sd_deck_subtree_ids   (SdCollection  *collection,
                                  gint64         id,
                                  GError       **error);
char     **sd_deck_split_name    (const char    *full_name,
                                  GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDeck, sd_deck_free)

G_END_DECLS
