/* sd-template.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Anki's card template language (rslib/src/template.rs and friends).
 *
 * A template is parsed once into a tree; parsing only fails for structural
 * problems (an unclosed or mismatched {{#Field}}/{{^Field}}, a stray
 * {{/Field}}, an empty {{}} tag).  A reference to a field the note type does
 * not have is found when rendering (or up front with
 * sd_template_check_fields ()), with Anki's message "Found '{{X}}', but
 * there is no field called 'X'".  Like Anki, `{{Front` without a closing
 * `}}` is plain text, and `{{!comment}}` is a reference to a field called
 * "!comment" (an error).
 *
 * Markup produced for the native renderer
 * ---------------------------------------
 * Cloze deletions: see sd-cloze.h (`cloze`, `cloze-inactive` spans).
 *
 * {{hint:Field}} (nothing when the field is blank):
 *
 *   <a class="hint" href="sd-hint:ID">Field</a><div class="hint-content"
 *   id="hintID" data-hint-id="ID" style="display: none">FIELD HTML</div>
 *
 *   ID is 16 hex digits.  Activating the link should hide it and show the
 *   element whose data-hint-id is ID.
 *
 * {{type:Field}}, {{type:cloze:Field}}, {{type:nc:Field}}, question side:
 *
 *   <input type="text" id="typeans" data-type-answer="SPEC" data-field="Field">
 *
 *   SPEC is what followed "type:" ("Back", "cloze:Text", "nc:Back").  The
 *   renderer shows a text entry there and passes what was typed as
 *   SdTemplateContext.typed_answer when rendering the answer.  As in Anki, the
 *   first type-answer tag of the question decides the expected text; when its
 *   field is empty the tags vanish; when the field is not a note field the
 *   tags become "Type answer: unknown field Field"; for a cloze with no
 *   deletion on this card, "Please run Tools>Empty Cards".
 *
 * Answer side: every type-answer tag (also those inside {{FrontSide}}, in
 * either form above) becomes the comparison of the typed text with the
 * expected text (HTML stripped, NFC; `nc:` ignores combining marks):
 *
 *   <div class="typeans-result"><code id="typeans">…</code></div>
 *
 *   where the code element holds <span class="typeGood|typeBad|typeMissed">
 *   runs: the typed text, then <br><span id="typearrow">&darr;</span><br> and
 *   the expected text — or a single typeGood span when the answer is exactly
 *   right, or just the escaped expected text when nothing was typed.  When
 *   the answer contains <hr id=answer>, it is moved in front of the first
 *   comparison, as Anki does.  (Anki writes these attributes unquoted; the
 *   structure is otherwise the same.)
 *
 * Other filters: text: strips HTML; furigana:/kanji:/kana: handle "漢字[かんじ]"
 * as <ruby><rb>漢字</rb><rt>かんじ</rt></ruby> / the base / the reading;
 * "tts …:" passes the text through (Anki wraps it in [anki:tts] tags);
 * unknown filters pass the text through.  Filters apply right to left.
 * {{FrontSide}} ignores filters and is empty on the question side. */

typedef enum
{
  SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED,
  SD_TEMPLATE_ERROR_CONDITIONAL_NOT_OPEN,
  SD_TEMPLATE_ERROR_WRONG_CONDITIONAL_CLOSED,
  SD_TEMPLATE_ERROR_EMPTY_TAG,
  SD_TEMPLATE_ERROR_TOO_DEEP,
  SD_TEMPLATE_ERROR_NO_SUCH_FIELD,
} SdTemplateError;

#define SD_TEMPLATE_ERROR (sd_template_error_quark ())
GQuark sd_template_error_quark (void);

typedef struct _SdTemplate SdTemplate;

typedef struct
{
  /* the note's fields, in note type order; values are HTML */
  const char * const *field_names;
  const char * const *field_values;
  guint               n_fields;

  /* template ordinal; for cloze note types the cloze number - 1 */
  guint               card_ord;
  gboolean            is_cloze;

  /* the rendered question, for {{FrontSide}} on the answer side */
  const char         *front_side;

  /* special fields; a note field of the same name wins */
  const char         *tags;           /* space separated, extra spaces ok */
  const char         *notetype_name;  /* {{Type}} */
  const char         *deck_name;      /* {{Deck}}, "A::B" form; NULL: "(Deck)" */
  const char         *card_name;      /* {{Card}}: the template's name */
  int                 flag;           /* {{CardFlag}}: "flag<N>" */
  gint64              card_id;        /* {{CardID}} */

  /* what the user typed into the type-answer entry (answer side) */
  const char         *typed_answer;
} SdTemplateContext;

typedef enum
{
  SD_TEMPLATE_CARD_OK,
  SD_TEMPLATE_CARD_EMPTY,  /* blank front / no such cloze: Anki's message */
  SD_TEMPLATE_CARD_ERROR,  /* a template is broken: Anki's error text on both sides */
} SdTemplateCardStatus;

SdTemplate           *sd_template_parse                 (const char              *text,
                                                         GError                 **error);
void                  sd_template_free                  (SdTemplate              *tmpl);

gboolean              sd_template_check_fields          (const SdTemplate        *tmpl,
                                                         const char * const      *field_names,
                                                         guint                    n_fields,
                                                         GError                 **error);
char                **sd_template_referenced_fields     (const SdTemplate        *tmpl);
char                **sd_template_referenced_cloze_fields (const SdTemplate      *tmpl);
gboolean              sd_template_renders_nonempty      (const SdTemplate        *tmpl,
                                                         const SdTemplateContext *ctx);

char                 *sd_template_render                (const SdTemplate        *tmpl,
                                                         const SdTemplateContext *ctx,
                                                         gboolean                 answer_side,
                                                         GError                 **error);
char                 *sd_template_error_html            (const GError            *error,
                                                         gboolean                 answer_side);

SdTemplateCardStatus  sd_template_render_card           (const char              *qfmt,
                                                         const char              *afmt,
                                                         const SdTemplateContext *ctx,
                                                         char                   **question_html,
                                                         char                   **answer_html);
SdTemplateCardStatus  sd_template_render_card_parsed    (const SdTemplate        *qtmpl,
                                                         const SdTemplate        *atmpl,
                                                         const SdTemplateContext *ctx,
                                                         char                   **question_html,
                                                         char                   **answer_html);

char                 *sd_template_compare_answer        (const char              *expected,
                                                         const char              *typed,
                                                         gboolean                 combining);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTemplate, sd_template_free)

G_END_DECLS
