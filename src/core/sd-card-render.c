/* sd-card-render.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-card-render.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-template.h"

void
sd_rendered_card_free (SdRenderedCard *card)
{
  if (card == NULL)
    return;
  g_free (card->question);
  g_free (card->answer);
  g_free (card->css);
  g_free (card->notetype_name);
  g_free (card->deck_name);
  g_free (card);
}

static SdRenderedCard *
render_fields (const SdNotetype   *notetype,
               const char * const *fields,
               const char         *tags,
               const char         *deck_name,
               int                 ord,
               int                 flags,
               gint64              card_id,
               const char         *typed_answer)
{
  g_autofree const char **names = g_new0 (const char *, notetype->fields->len + 1);
  const SdCardTemplate *tmpl;
  SdRenderedCard *rendered;
  SdTemplateContext ctx = { 0 };
  SdTemplateCardStatus status;

  tmpl = g_ptr_array_index (notetype->templates,
                            notetype->kind == SD_NOTETYPE_CLOZE
                            ? 0 : MIN ((guint) MAX (ord, 0), notetype->templates->len - 1));
  for (guint i = 0; i < notetype->fields->len; i++)
    names[i] = ((SdField *) g_ptr_array_index (notetype->fields, i))->name;

  ctx.field_names = names;
  ctx.field_values = fields;
  ctx.n_fields = MIN (g_strv_length ((char **) fields), notetype->fields->len);
  ctx.card_ord = ord;
  ctx.is_cloze = notetype->kind == SD_NOTETYPE_CLOZE;
  ctx.tags = tags;
  ctx.notetype_name = notetype->name;
  ctx.deck_name = deck_name;
  ctx.card_name = tmpl->name;
  ctx.flag = flags & 7;
  ctx.card_id = card_id;
  ctx.typed_answer = typed_answer;

  rendered = g_new0 (SdRenderedCard, 1);
  rendered->card_id = card_id;
  rendered->css = g_strdup (notetype->css);
  rendered->notetype_name = g_strdup (notetype->name);
  rendered->deck_name = g_strdup (deck_name ? deck_name : "");
  rendered->is_cloze = ctx.is_cloze;

  status = sd_template_render_card (tmpl->front, tmpl->back, &ctx,
                                    &rendered->question, &rendered->answer);
  rendered->broken = status == SD_TEMPLATE_CARD_ERROR;
  rendered->has_type_answer = strstr (rendered->question, "id=\"typeans\"") != NULL;
  return rendered;
}

/**
 * sd_card_render_preview:
 * @fields: the note's field values, as they stand in an editor
 *
 * Renders card @ord of a note that may not be saved yet, for a preview.
 *
 * Returns: (transfer full): the card
 */
SdRenderedCard *
sd_card_render_preview (const SdNotetype   *notetype,
                        const char * const *fields,
                        const char         *tags,
                        const char         *deck_name,
                        int                 ord)
{
  return render_fields (notetype, fields, tags, deck_name, ord, 0, 0, NULL);
}

/**
 * sd_card_render:
 * @typed_answer: (nullable): what the user typed, for `{{type:…}}` fields
 *
 * Renders both sides of @card through its note type's template (a cloze
 * note type's single template for every ordinal). A broken template does
 * not fail: the card then shows what is wrong, as Anki does.
 *
 * Returns: (transfer full): the card, or %NULL when its note or note type
 *   cannot be read
 */
SdRenderedCard *
sd_card_render (SdCollection  *collection,
                const SdCard  *card,
                const char    *typed_answer,
                GError       **error)
{
  g_autoptr(SdNote) note = sd_note_load (collection, card->note_id, error);
  g_autoptr(SdNotetype) notetype = NULL;
  g_autoptr(SdDeck) deck = NULL;
  g_autofree char *tags = NULL;
  SdRenderedCard *rendered;

  if (note == NULL)
    return NULL;
  notetype = sd_notetype_load (collection, note->notetype_id, error);
  if (notetype == NULL)
    return NULL;
  deck = sd_deck_load (collection, card->deck_id, NULL);
  tags = g_strjoinv (" ", note->tags);

  rendered = render_fields (notetype, (const char * const *) note->fields, tags,
                            deck ? deck->full_name : NULL, card->ord, card->flags, card->id,
                            typed_answer);
  rendered->note_id = note->id;
  return rendered;
}
