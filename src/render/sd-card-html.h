/* sd-card-html.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sd-rich-text.h"

G_BEGIN_DECLS

/*
 * Anki card HTML → SdRichDoc (GLib + libxml2 only; no GTK, safe in a
 * worker thread).
 *
 * The HTML is what sd-template.c renders for a card side. It is parsed with
 * libxml2's tolerant HTML parser (no network, errors ignored, broken markup
 * recovered) and walked into the same render operations as Markdown notes.
 * Nothing is fetched or run: <script>, <style>, <head>, comments, frames,
 * objects and form controls other than the type-answer input show nothing.
 *
 * Layout, as a browser would do it:
 * - white space collapses (spaces, tabs, newlines; not &nbsp;) except in
 *   <pre> and white-space: pre*; line-leading and line-trailing spaces go;
 * - block elements (div, p, h1–h6, ul, ol, li, blockquote, pre, table, hr,
 *   dl, center, section…) start and end lines; p, h1–h6, lists, blockquote
 *   and pre leave space above and below (SdRichOp paragraph gaps);
 * - <br> ends a line (an empty line when nothing precedes it);
 * - lists: bullets • ◦ ▪ by depth (list-style-type disc, circle, square,
 *   decimal, lower/upper-alpha, lower/upper-roman, none), numbers from
 *   start=/value=, hanging indent like notes (a plain space after the
 *   marker when the paragraph is not left-aligned);
 * - tables become SD_RICH_OP_TABLE grids (rows from tr, or loose td/th;
 *   thead/tbody/tfoot; a caption line above); content a browser would move
 *   out of the table ("foster parenting": stray divs, inputs, text) comes
 *   before it; cell content is inline text (images as their alt text);
 *   widgets in cells (type-answer entry, sound buttons) follow the table;
 *   nested tables flatten to lines;
 * - <img src> is looked up in the media folder only (no scheme, no absolute
 *   path, no ".." component; the src as written, then percent-decoded); a
 *   missing image shows its alt text (or its file name) with the
 *   "image-alt" style; width=/height= and CSS width/height lengths set its
 *   size (SdRichImage width, height; the view still shrinks it to fit);
 * - <a href> with http(s): or mailto: is an EXTERNAL link; "sd-hint:ID" is a
 *   hint link (OTHER kind); any other target shows as plain text;
 * - <hr> is a rule; <hr id=answer> also gets the heading mark "answer"
 *   (SdRichText makes it "heading:answer");
 * - <ruby>: the reading (<rt>) is small raised text after the base, <rp>
 *   is hidden; <q> gets quotation marks; <sub>, <sup> rise and shrink;
 *   unknown elements show their content.
 *
 * Anki specifics:
 * - [sound:NAME] in text → widget SD_CARD_HTML_WIDGET_SOUND (data: the
 *   file's absolute path) when NAME is in the media folder, else widget
 *   SD_CARD_HTML_WIDGET_MISSING_SOUND (data: NAME); <audio src> too;
 *   [anki:tts …]text[/anki:tts] shows the text;
 * - <input id="typeans"> (first one) → widget SD_CARD_HTML_WIDGET_TYPE_ANSWER
 *   (data: its data-type-answer attribute);
 * - the comparison <code id="typeans"> with typeGood / typeBad / typeMissed
 *   spans gets green / red / grey backgrounds (darker in night mode) unless
 *   the note type styles them;
 * - cloze spans: class "cloze" is bold and blue (light blue in night mode)
 *   unless the note type's CSS has rules for "cloze"; "cloze-inactive" is
 *   plain;
 * - the hint content <div data-hint-id="ID" style="display: none"> is kept,
 *   hidden (style "hidden", kept open over its lines), and named by the
 *   range "hint:ID" (sd_rich_doc_find_range()); the view reveals it when
 *   the "sd-hint:ID" link is activated;
 * - MathJax \( … \) and \[ … \] (closed within one text run; not in code or
 *   pre) show their source without the delimiters in the code style;
 *   display math gets its own line.
 *
 * CSS: a small reader for the note type's CSS and <style> elements in the
 * card, not a browser. Rules are "selectors { declarations }"; comments,
 * at-rules (@media, @font-face, @import, also when nested in a rule) and
 * rules with selectors it cannot match are skipped. Selectors: element
 * names, *, .class, #id, compounds of these (td.x, .card.nightMode),
 * descendant and child (>) combinators, comma lists; anything with a
 * pseudo-class, attribute selector or sibling combinator is ignored.
 * Specificity, source order, !important and inline style="" are honoured;
 * <font color face size>, align= and bgcolor= are presentational hints
 * below any CSS. The card is a virtual page: <html> and <body> get the
 * classes "card card<ord+1>" (body) and "nightMode night_mode" (both, in
 * night mode), so `.card`, `.card1`, `.nightMode .cloze`, `.card.nightMode`
 * match as in Anki.
 *
 * Properties (others are ignored): color, background-color, background (its
 * colour), font-weight, font-style, text-decoration(-line) (underline,
 * line-through, none), font-size (px pt pc in cm mm em ex rem %, keywords,
 * smaller/larger), font-family (the whole list, quotes removed), text-align
 * (left start center right end justify), display (none; block-like and
 * inline-like values), vertical-align (sub, super), white-space (pre*),
 * list-style-type / list-style, width / height (images; lengths, not %).
 * Values inherit (not width, height, display), "inherit", "initial" and
 * "unset" work. Colours: names, #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(),
 * rgba(), hsl(), hsla(), transparent.
 *
 * Styles in the doc: the background of html/body (.card) is not painted
 * behind each run: it is the page colour (sd_card_html_get_background());
 * 16px is scale 1.0 (SD_RICH_STYLE_SCALE, so `.card { font-size: 20px }` is
 * 1.25 everywhere); colours are SD_RICH_STYLE_FOREGROUND / _BACKGROUND,
 * fonts SD_RICH_STYLE_FAMILY, alignment SD_RICH_STYLE_ALIGN per line.
 *
 * Night mode (@night_mode, AdwStyleManager:dark): like Anki, a built-in
 * `body.nightMode { color, background-color: theme }` rule overrides plain
 * `.card` colours (`.card.nightMode` or `.nightMode .card` still win), and
 * every explicit text colour is made readable on the background under it
 * (mixed towards white or black until the contrast is at least 4.5:1).
 * Text in the theme's default colour on an explicit background is made
 * readable the same way in both modes.
 */

#define SD_CARD_HTML_WIDGET_TYPE_ANSWER   "type-answer"
#define SD_CARD_HTML_WIDGET_SOUND         "sound"
#define SD_CARD_HTML_WIDGET_MISSING_SOUND "missing-sound"

#define SD_CARD_HTML_HINT_PREFIX          "sd-hint:"
#define SD_CARD_HTML_HINT_RANGE_PREFIX    "hint:"
#define SD_CARD_HTML_ANSWER_MARK          "answer"

typedef struct
{
  const char *css;          /* the note type's CSS; nullable */
  const char *media_dir;    /* the collection's media folder; nullable: no media */
  gboolean    night_mode;
  int         card_ord;     /* template ordinal for the "card<N>" class; -1: none */
} SdCardHtmlOptions;

SdRichDoc *sd_card_html_render              (const char              *html,
                                             const char              *css,
                                             const char              *media_dir,
                                             gboolean                 night_mode);
SdRichDoc *sd_card_html_render_with_options (const char              *html,
                                             const SdCardHtmlOptions *options);
gboolean   sd_card_html_get_background      (const char              *css,
                                             gboolean                 night_mode,
                                             int                      card_ord,
                                             guint32                 *rgba);
gboolean   sd_card_html_parse_color         (const char              *value,
                                             guint32                 *rgba);

G_END_DECLS
