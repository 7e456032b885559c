/* sd-cloze.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Cloze deletions as Anki writes them in note fields:
 *
 *   {{c1::answer}}   {{c1::answer::hint}}   {{c1,3::on two cards}}
 *   {{c1::outer {{c2::inner}} text}}        (nesting, up to 10 levels)
 *
 * A "cloze number" is the N of cN as written (1…65535; c0 never makes a card).
 * A card ordinal is N − 1, clamped to 0…499 (Anki makes at most 500 cards per
 * note).  An unclosed deletion is dropped together with its text, as Anki
 * does.
 *
 * Rendered markup (identical to Anki's):
 *
 *   question side, active:   <span class="cloze" data-cloze="ANSWER-HTML"
 *                              data-ordinal="1">[...]</span>   or  […hint…]
 *   answer side, active:     <span class="cloze" data-ordinal="1">answer</span>
 *   any side, inactive:      <span class="cloze-inactive" data-ordinal="2">text</span>
 *
 * data-cloze holds the hidden HTML, attribute-encoded (&#xHH; for ASCII
 * punctuation and spaces); data-ordinal lists the numbers ("1,3").  Image
 * occlusion deletions ({{c1::image-occlusion:…}}) become an empty
 * <div class="cloze|cloze-inactive|cloze-highlight" data-ordinal="1"
 * data-image-occlusion="SPEC"></div>; their shapes are not interpreted. */

#define SD_CLOZE_MAX_CARDS 500

GArray   *sd_cloze_numbers_in_text     (const char        *text);
GArray   *sd_cloze_numbers_in_fields   (const char * const *fields,
                                        guint               n_fields);
gboolean  sd_cloze_text_has_number     (const char        *text,
                                        guint              number);
gboolean  sd_cloze_contains_cloze      (const char        *text);
guint     sd_cloze_card_ord_for_number (guint              number);

char     *sd_cloze_reveal              (const char        *text,
                                        guint              number,
                                        gboolean           question);
char     *sd_cloze_reveal_only         (const char        *text,
                                        guint              number,
                                        gboolean           question);
char     *sd_cloze_extract_for_typing  (const char        *text,
                                        guint              number);
char     *sd_cloze_strip               (const char        *text);

/* The `cloze:` and `cloze-only:` template filters for the card with
 * ordinal @card_ord (number = @card_ord + 1).  `cloze:` also removes HTML
 * tags inside MathJax \( \) and \[ \] spans, like Anki. */
char     *sd_cloze_filter              (const char        *text,
                                        guint              card_ord,
                                        gboolean           question);
char     *sd_cloze_only_filter         (const char        *text,
                                        guint              card_ord,
                                        gboolean           question);

G_END_DECLS
