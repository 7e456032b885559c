/* sd-card-syntax.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Flashcards written inside a Markdown note, in the forms note collections
 * already use (the Obsidian spaced-repetition conventions and Anki clozes):
 *
 *   Question::Answer                 a basic card
 *   Question:::Answer                a card each way
 *
 *   Question lines                   a multi-line card: the question, a line
 *   ?                                holding only "?" ("??" for both ways)
 *   Answer lines                     and the answer, up to a blank line or
 *                                    the next heading
 *
 *   Text with {{c1::a}} and {{c2::b::hint}}    one cloze note per paragraph,
 *                                    one card per cloze number
 *   ==highlight==                    clozes too, only in notes whose front
 *                                    matter says `cloze: highlight`
 *
 * Nothing inside code (spans, fenced and indented blocks), math ($…$, $$…$$),
 * URLs, HTML, wiki links, `{{…}}` or Dataview fields is a separator. A
 * Dataview field line is an identifier at the start of the line (after any
 * list bullet) directly followed by "::" and then a space or the end of the
 * line (`status:: done`); it is metadata, never a card. "Term::Definition"
 * and "Term :: Definition" stay cards.
 *
 * Tags: the front matter's `tags` apply to every card; `#tags` standing at
 * the start or at the end of a card's lines are the card's own and are taken
 * out of its text. A `^block-id` at the end of a card's last (or first) line
 * names the card. `#flashcards/a/b` names deck "a::b", as does front matter
 * `deck: a::b`: a tag on a card's lines places that card, then the front
 * matter places every card, then the first such tag elsewhere in the note
 * (or in the front matter's tags), then the default deck. */

typedef enum
{
  SD_CARD_SYNTAX_BASIC = 0,
  SD_CARD_SYNTAX_REVERSED = 1,
  SD_CARD_SYNTAX_CLOZE = 2,
} SdCardSyntaxKind;

/* Separators are settings for notes written to another convention. An
 * empty string turns that form off. */
typedef struct
{
  char     *inline_separator;              /* "::" */
  char     *inline_reversed_separator;     /* ":::" */
  char     *multiline_separator;           /* "?" */
  char     *multiline_reversed_separator;  /* "??" */
  gboolean  highlight_clozes;              /* ==text== in every note; FALSE */
} SdCardSyntaxSettings;

typedef struct
{
  SdCardSyntaxKind  kind;
  char             *front;       /* Markdown source; clozes as {{cN::…}} */
  char             *back;        /* Markdown source; "" for a cloze */
  GArray           *cloze;       /* guint cloze numbers, ascending; empty unless a cloze */
  char             *deck;        /* "Parent::Child", or NULL when nothing names one */
  GStrv             tags;        /* without the '#' */
  GStrv             heading;     /* enclosing headings, outermost first */
  int               line_start;  /* 1-based, in the whole file */
  int               line_end;
  char             *block_id;    /* without the '^', or NULL */
} SdCardSyntaxCard;

/* Put between the braces of a "{{" that code or math makes plain text. */
#define SD_CARD_SYNTAX_LITERAL_MARK "\x02"

SdCardSyntaxSettings *sd_card_syntax_settings_new      (void);
SdCardSyntaxSettings *sd_card_syntax_settings_copy     (const SdCardSyntaxSettings *settings);
void                  sd_card_syntax_settings_free     (SdCardSyntaxSettings       *settings);

void                  sd_card_syntax_card_free         (SdCardSyntaxCard           *card);
const char           *sd_card_syntax_kind_to_string    (SdCardSyntaxKind            kind);

GPtrArray            *sd_card_syntax_parse             (const char                 *text,
                                                        const SdCardSyntaxSettings *settings,
                                                        const char                 *default_deck);
gboolean              sd_card_syntax_may_contain_cards (const char                 *text,
                                                        const SdCardSyntaxSettings *settings);
char                 *sd_card_syntax_folder_deck       (const char                 *folder_name,
                                                        const char                 *relpath);
char                 *sd_card_syntax_mark_literal_braces (const char               *markdown);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCardSyntaxSettings, sd_card_syntax_settings_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCardSyntaxCard, sd_card_syntax_card_free)

G_END_DECLS
