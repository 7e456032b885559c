/* sd-html-text.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text utilities for the HTML stored in Anki note fields.
 *
 * The stripping and decoding functions reproduce Anki's own rules
 * (rslib/src/text.rs) byte for byte, quirks included, because the results end
 * up in the `sfld` and `csum` columns and must agree with what Anki computes:
 *
 *  - tags are removed by a lazy scanner: `<!--…-->`, `<style…>…</style>`,
 *    `<script…>…</script>`, then any `<…>`; a `<` with no later `>` stays;
 *  - entity decoding is all or nothing: the HTML 4 named entities, `&#N;` and
 *    `&#xH;` are decoded only if every `&` in the text starts a valid entity;
 *    otherwise the text is returned unchanged (so "AT&T" keeps "&T");
 *  - when decoding happened, U+00A0 becomes an ordinary space.
 *
 * Every function accepts invalid UTF-8 (it is repaired first) and NULL
 * (treated as "").  Returned strings are newly allocated, valid UTF-8. */

char     *sd_html_text_strip                      (const char *html);
char     *sd_html_text_strip_preserving_entities  (const char *html);
char     *sd_html_text_strip_preserving_media     (const char *html);
char     *sd_html_text_decode_entities            (const char *text);
char     *sd_html_text_strip_av_tags              (const char *text);

char     *sd_html_text_sort_field                 (const char *field_html);
guint32   sd_html_text_checksum                   (const char *text,
                                                   gssize      len);
guint32   sd_html_text_field_checksum             (const char *field_html);
char     *sd_html_text_sort_field_and_checksum    (const char *field_html,
                                                   guint32    *checksum);

gboolean  sd_html_text_field_is_empty             (const char *field_html);

char     *sd_html_text_escape                     (const char *text);
char     *sd_html_text_escape_attribute           (const char *text);
void      sd_html_text_append_escaped             (GString    *out,
                                                   const char *text,
                                                   gssize      len);
void      sd_html_text_append_escaped_attribute   (GString    *out,
                                                   const char *text,
                                                   gssize      len);

char     *sd_html_text_make_valid                 (const char *text,
                                                   gssize      len);
gboolean  sd_html_text_is_white_space             (gunichar    c);
char     *sd_html_text_trim                       (const char *text);

G_END_DECLS
