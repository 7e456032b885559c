/* test-card-render.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-card-render.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-test-utils.h"

static GPtrArray *
add (SdCollection *collection,
     gint64        notetype_id,
     const char  **fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = sd_note_new (notetype_id, fields);

  g_strfreev (note->tags);
  note->tags = sd_note_split_tags ("biology exam");
  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, NULL, &error));
  g_assert_no_error (error);
  return sd_card_list_for_note (collection, note->id, NULL);
}

static void
test_basic_and_reversed (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdNotetype) reversed = sd_notetype_find_stock (collection, SD_STOCK_BASIC_AND_REVERSED, NULL);
  const char *fields[] = { "What is ATP?", "The cell's <b>energy</b> currency", NULL };
  g_autoptr(GPtrArray) cards = add (collection, reversed->id, fields);
  g_autoptr(SdRenderedCard) first = NULL;
  g_autoptr(SdRenderedCard) second = NULL;
  g_autoptr(GError) error = NULL;

  first = sd_card_render (collection, cards->pdata[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->question, ==, "What is ATP?");
  g_assert_nonnull (strstr (first->answer, "What is ATP?"));
  g_assert_nonnull (strstr (first->answer, "<hr id=answer>"));
  g_assert_nonnull (strstr (first->answer, "<b>energy</b>"));
  g_assert_false (first->broken);
  g_assert_false (first->is_cloze);
  g_assert_cmpstr (first->deck_name, ==, "Default");
  g_assert_nonnull (strstr (first->css, ".card"));

  second = sd_card_render (collection, cards->pdata[1], NULL, &error);
  g_assert_cmpstr (second->question, ==, "The cell's <b>energy</b> currency");
  sd_test_rm_rf (dir);
}

static void
test_cloze (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (collection, SD_STOCK_CLOZE, NULL);
  const char *fields[] = { "{{c1::Mitochondria}} make {{c2::ATP::molecule}}", "", NULL };
  g_autoptr(GPtrArray) cards = add (collection, cloze->id, fields);
  g_autoptr(SdRenderedCard) second = NULL;

  g_assert_cmpuint (cards->len, ==, 2);
  second = sd_card_render (collection, cards->pdata[1], NULL, NULL);
  g_assert_true (second->is_cloze);
  g_assert_nonnull (strstr (second->question, "Mitochondria"));
  g_assert_nonnull (strstr (second->question, "[molecule]"));
  g_assert_null (strstr (second->question, ">ATP<"));
  g_assert_nonnull (strstr (second->answer, ">ATP<"));
  sd_test_rm_rf (dir);
}

static void
test_broken_and_typed (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdNotetype) typing = sd_notetype_new_stock (SD_STOCK_BASIC_TYPING);
  g_autoptr(SdNotetype) broken = sd_notetype_new ("Broken", SD_NOTETYPE_STANDARD);
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "Capital of France?", "Paris", NULL };
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(SdRenderedCard) card = NULL;

  g_assert_true (sd_notetype_insert (collection, typing, &error));
  cards = add (collection, typing->id, fields);
  card = sd_card_render (collection, cards->pdata[0], "Pariss", &error);
  g_assert_true (card->has_type_answer);
  g_assert_nonnull (strstr (card->answer, "typeGood"));
  g_assert_nonnull (strstr (card->answer, "typeBad"));
  g_clear_pointer (&card, sd_rendered_card_free);
  g_clear_pointer (&cards, g_ptr_array_unref);

  sd_notetype_add_field (broken, "Front");
  sd_notetype_add_field (broken, "Back");
  sd_notetype_add_template (broken, "Card 1", "{{#Front}}{{Front}}", "{{Back}}");
  g_assert_true (sd_notetype_insert (collection, broken, &error));
  cards = add (collection, broken->id, fields);
  card = sd_card_render (collection, cards->pdata[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_true (card->broken);
  g_assert_nonnull (strstr (card->question, "template has a problem"));
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/card-render/basic-and-reversed", test_basic_and_reversed);
  g_test_add_func ("/studydeck/card-render/cloze", test_cloze);
  g_test_add_func ("/studydeck/card-render/broken-and-typed", test_broken_and_typed);

  return g_test_run ();
}
