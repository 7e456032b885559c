/* sd-card-render.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-card.h"
#include "sd-collection.h"
#include "sd-notetype.h"

G_BEGIN_DECLS

/* A card ready to show: both sides as HTML, with what is needed to draw
 * them (the note type's CSS, whether it is a cloze card). */
typedef struct
{
  gint64   card_id;
  gint64   note_id;
  char    *question;
  char    *answer;
  char    *css;
  char    *notetype_name;
  char    *deck_name;
  gboolean is_cloze;
  gboolean has_type_answer;  /* the question asks for a typed answer */
  gboolean broken;           /* a template problem is shown instead */
} SdRenderedCard;

void            sd_rendered_card_free (SdRenderedCard *card);
SdRenderedCard *sd_card_render        (SdCollection   *collection,
                                       const SdCard   *card,
                                       const char     *typed_answer,
                                       GError        **error);

SdRenderedCard *sd_card_render_preview (const SdNotetype *notetype,
                                       const char * const *fields,
                                       const char     *tags,
                                       const char     *deck_name,
                                       int             ord);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdRenderedCard, sd_rendered_card_free)

G_END_DECLS
