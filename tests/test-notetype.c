/* test-notetype.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-test-utils.h"

static void
test_stock_layouts (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdNotetype) reversed = sd_notetype_find_stock (collection, SD_STOCK_BASIC_AND_REVERSED, &error);
  g_autoptr(SdNotetype) optional = sd_notetype_find_stock (collection, SD_STOCK_BASIC_OPTIONAL_REVERSED, &error);
  g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (collection, SD_STOCK_CLOZE, &error);
  SdCardTemplate *tmpl;

  g_assert_no_error (error);
  g_assert_cmpuint (basic->fields->len, ==, 2);
  g_assert_cmpuint (basic->templates->len, ==, 1);
  tmpl = g_ptr_array_index (basic->templates, 0);
  g_assert_cmpstr (tmpl->front, ==, "{{Front}}");
  g_assert_cmpstr (tmpl->back, ==, "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}");
  g_assert_nonnull (strstr (basic->css, "text-align: center"));

  g_assert_cmpuint (reversed->templates->len, ==, 2);
  tmpl = g_ptr_array_index (reversed->templates, 1);
  g_assert_cmpstr (tmpl->front, ==, "{{Back}}");

  g_assert_cmpuint (optional->fields->len, ==, 3);
  g_assert_cmpint (sd_notetype_field_index (optional, "Add Reverse"), ==, 2);
  tmpl = g_ptr_array_index (optional->templates, 1);
  g_assert_cmpstr (tmpl->front, ==, "{{#Add Reverse}}{{Back}}{{/Add Reverse}}");

  g_assert_cmpint (cloze->kind, ==, SD_NOTETYPE_CLOZE);
  g_assert_cmpint (sd_notetype_field_index (cloze, "Text"), ==, 0);
  g_assert_cmpint (sd_notetype_field_index (cloze, "Back Extra"), ==, 1);
  g_assert_nonnull (strstr (cloze->css, ".cloze"));
  sd_test_rm_rf (dir);
}

static void
test_custom_roundtrip (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) vocab = sd_notetype_new ("Vocabulary", SD_NOTETYPE_STANDARD);
  g_autoptr(SdNotetype) loaded = NULL;
  g_autoptr(SdNotetype) copy = NULL;
  SdField *field;

  field = sd_notetype_add_field (vocab, "Word");
  field->rtl = TRUE;
  field->font = (g_free (field->font), g_strdup ("Noto Sans"));
  sd_notetype_add_field (vocab, "Meaning");
  sd_notetype_add_field (vocab, "Example");
  sd_notetype_add_template (vocab, "Recognise", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}");
  sd_notetype_add_template (vocab, "Recall", "{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}");
  vocab->sort_field = 1;
  vocab->anki_extra = (g_free (vocab->anki_extra), g_strdup ("{\"vers\":[]}"));

  g_assert_true (sd_notetype_insert (collection, vocab, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vocab->id, >, 0);

  loaded = sd_notetype_load (collection, vocab->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, "Vocabulary");
  g_assert_cmpuint (loaded->fields->len, ==, 3);
  g_assert_cmpuint (loaded->templates->len, ==, 2);
  g_assert_cmpuint (loaded->sort_field, ==, 1);
  g_assert_cmpstr (loaded->anki_extra, ==, "{\"vers\":[]}");
  field = g_ptr_array_index (loaded->fields, 0);
  g_assert_true (field->rtl);
  g_assert_cmpstr (field->font, ==, "Noto Sans");
  g_assert_true (sd_notetype_same_layout (vocab, loaded));

  copy = sd_notetype_copy (loaded);
  g_assert_true (sd_notetype_same_layout (copy, loaded));
  sd_notetype_add_field (copy, "Audio");
  g_assert_false (sd_notetype_same_layout (copy, loaded));
  g_assert_true (sd_notetype_update (collection, copy, &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, sd_notetype_free);
  loaded = sd_notetype_load (collection, vocab->id, &error);
  g_assert_cmpuint (loaded->fields->len, ==, 4);
  sd_test_rm_rf (dir);
}

static void
test_invalid_and_in_use (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) empty = sd_notetype_new ("Empty", SD_NOTETYPE_STANDARD);
  g_autoptr(SdNotetype) dup = sd_notetype_new ("Dup", SD_NOTETYPE_STANDARD);
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdNote) note = NULL;
  const char *fields[] = { "q", "a", NULL };

  g_assert_false (sd_notetype_insert (collection, empty, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no fields"));
  g_clear_error (&error);

  sd_notetype_add_field (dup, "Same");
  sd_notetype_add_field (dup, "Same");
  sd_notetype_add_template (dup, "Card 1", "{{Same}}", "{{Same}}");
  g_assert_false (sd_notetype_insert (collection, dup, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "field 2"));
  g_clear_error (&error);

  note = sd_note_new (basic->id, fields);
  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_false (sd_notetype_delete (collection, basic->id, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1 note"));
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/notetype/stock-layouts", test_stock_layouts);
  g_test_add_func ("/studydeck/notetype/custom-roundtrip", test_custom_roundtrip);
  g_test_add_func ("/studydeck/notetype/invalid-and-in-use", test_invalid_and_in_use);

  return g_test_run ();
}
