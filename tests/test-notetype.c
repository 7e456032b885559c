/* test-notetype.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-library.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-template.h"
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

/* ---- editing fields and card types ------------------------------------- */

typedef struct
{
  char         *dir;
  SdCollection *collection;
  SdNotetype   *notetype;   /* "Vocabulary", a clone of Basic */
  gint64        notes[2];
} Fixture;

static gint64
add_note (SdCollection       *collection,
          gint64              notetype_id,
          gint64              deck_id,
          const char * const *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = sd_note_new (notetype_id, fields);

  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_no_error (error);
  g_assert_true (sd_card_generate (collection, note, deck_id, NULL, &error));
  g_assert_no_error (error);
  return note->id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_new_stock (SD_STOCK_BASIC);
  const char *hola[] = { "hola", "hello", NULL };
  const char *gato[] = { "gato", "", NULL };
  gint64 deck;

  sd_clock_set_fixed (G_GINT64_CONSTANT (1767268800000));
  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);
  f->notetype = sd_notetype_clone (f->collection, basic, "Vocabulary", &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->notetype);
  deck = sd_deck_ensure (f->collection, "Spanish", &error);
  f->notes[0] = add_note (f->collection, f->notetype->id, deck, hola);
  f->notes[1] = add_note (f->collection, f->notetype->id, deck, gato);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->notetype, sd_notetype_free);
  g_clear_object (&f->collection);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
  sd_clock_reset ();
}

static void
reload (Fixture *f,
        gint64   id)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&f->notetype, sd_notetype_free);
  f->notetype = sd_notetype_load (f->collection, id, &error);
  g_assert_no_error (error);
}

static void
assert_fields (Fixture            *f,
               guint               n,
               const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = sd_note_load (f->collection, f->notes[n], &error);

  g_assert_no_error (error);
  g_assert_cmpstrv (note->fields, expected);
}

static char *
note_sort_field (Fixture *f,
                 guint    n)
{
  sqlite3_stmt *stmt = sd_collection_prepare (f->collection,
                                              "SELECT sort_field FROM notes WHERE id = ?", NULL);
  char *value;

  sqlite3_bind_int64 (stmt, 1, f->notes[n]);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sd_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* The ordinals of a note's cards, by card id. */
static GHashTable *
card_ords (Fixture *f,
           guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = sd_card_list_for_note (f->collection, f->notes[n], &error);
  GHashTable *ords = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < cards->len; i++)
    {
      SdCard *card = g_ptr_array_index (cards, i);
      g_hash_table_insert (ords, g_memdup2 (&card->id, sizeof card->id),
                           GINT_TO_POINTER (card->ord));
    }
  return ords;
}

static SdCardTemplate *
template_at (Fixture *f,
             guint    i)
{
  return g_ptr_array_index (f->notetype->templates, i);
}

static void
save_and_reload (Fixture           *f,
                 SdNotetypeChanges *changes)
{
  g_autoptr(GError) error = NULL;
  gint64 id = f->notetype->id;

  g_assert_true (sd_notetype_save_changes (f->collection, f->notetype, changes, &error));
  g_assert_no_error (error);
  reload (f, id);
}

static void
test_rename_field (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdNotetypeChanges changes;
  const char *unchanged[] = { "hola", "hello", NULL };

  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("{{ Front }}<br>{{#Front}}{{text:Front}}{{/Front}}"
                                        "{{^Front}}-{{/Front}}<!-- {{Front}} -->{{FrontSide}}"
                                        "{{Front side}}");

  /* Anki's clean-up: tag characters and a leading # go. */
  g_assert_true (sd_notetype_rename_field (f->notetype, 0, " #Spa:nish ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (((SdField *) g_ptr_array_index (f->notetype->fields, 0))->name, ==, "Spanish");
  g_assert_cmpstr (template_at (f, 0)->front, ==,
                   "{{ Spanish }}<br>{{#Spanish}}{{text:Spanish}}{{/Spanish}}"
                   "{{^Spanish}}-{{/Spanish}}<!-- {{Front}} -->{{FrontSide}}{{Front side}}");
  g_assert_cmpstr (template_at (f, 0)->back, ==, "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}");

  /* Names that cannot be. */
  g_assert_false (sd_notetype_rename_field (f->notetype, 1, "spanish", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already a field"));
  g_clear_error (&error);
  g_assert_false (sd_notetype_rename_field (f->notetype, 1, "Tags", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sd_notetype_rename_field (f->notetype, 1, "{}", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);

  /* The front now names a field that does not exist. */
  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("{{Spanish}}");
  save_and_reload (f, &changes);
  g_assert_cmpuint (changes.cards_added, ==, 0);
  g_assert_cmpuint (changes.cards_removed, ==, 0);
  g_assert_cmpstr (((SdField *) g_ptr_array_index (f->notetype->fields, 0))->name, ==, "Spanish");
  g_assert_cmpstr (template_at (f, 0)->front, ==, "{{Spanish}}");
  assert_fields (f, 0, unchanged);
}

static void
test_add_remove_fields (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  SdNotetypeChanges changes;
  const char *added[] = { "hola", "hello", "", NULL };
  const char *removed[] = { "hello", "", NULL };

  name = sd_notetype_valid_field_name (f->notetype, "  Example ", -1, &error);
  g_assert_cmpstr (name, ==, "Example");
  sd_notetype_add_field (f->notetype, name);
  save_and_reload (f, &changes);
  g_assert_cmpuint (changes.notes_changed, ==, 2);
  assert_fields (f, 0, added);

  /* What deleting Front loses, then its tags go from the templates; a
   * conditional keeps what it wraps. */
  g_assert_cmpint (sd_notetype_count_field_notes (f->collection, f->notetype->id, 0, NULL), ==, 2);
  g_assert_cmpint (sd_notetype_count_field_notes (f->collection, f->notetype->id, 1, NULL), ==, 1);
  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("{{Front}}\n{{#Front}}{{some:Front}}{{Back}}{{/Front}}");
  g_assert_true (sd_notetype_remove_field (f->notetype, 0, &error));
  g_assert_cmpstr (template_at (f, 0)->front, ==, "\n{{Back}}");
  save_and_reload (f, &changes);
  assert_fields (f, 0, removed);
  g_assert_cmpuint (f->notetype->fields->len, ==, 2);

  /* The last field stays. */
  g_assert_true (sd_notetype_remove_field (f->notetype, 1, &error));
  g_assert_false (sd_notetype_remove_field (f->notetype, 0, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
}

static void
test_move_fields (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *sort = NULL;
  SdNotetypeChanges changes;
  const char *moved[] = { "", "hola", "hello", NULL };
  const char *back[] = { "hola", "", "hello", NULL };

  sd_notetype_add_field (f->notetype, "Notes");
  f->notetype->sort_field = 1;   /* Back */
  save_and_reload (f, &changes);
  sort = note_sort_field (f, 0);
  g_assert_cmpstr (sort, ==, "hello");
  g_clear_pointer (&sort, g_free);

  sd_notetype_move_field (f->notetype, 2, 0);
  g_assert_cmpuint (f->notetype->sort_field, ==, 2);
  save_and_reload (f, &changes);
  assert_fields (f, 0, moved);
  g_assert_cmpuint (f->notetype->sort_field, ==, 2);
  sort = note_sort_field (f, 0);
  g_assert_cmpstr (sort, ==, "hello");
  g_clear_pointer (&sort, g_free);

  sd_notetype_move_field (f->notetype, 0, 1);
  f->notetype->sort_field = 0;
  save_and_reload (f, &changes);
  assert_fields (f, 0, back);
  sort = note_sort_field (f, 0);
  g_assert_cmpstr (sort, ==, "hola");
}

static void
test_templates (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *name = NULL;
  SdNotetypeChanges changes;
  GHashTableIter iter;
  gpointer key, value;
  gint64 deck = sd_deck_ensure (f->collection, "Spanish", &error);

  /* A reversed card for every note whose Back is not empty. */
  name = sd_notetype_new_template_name (f->notetype);
  g_assert_cmpstr (name, ==, "Card 2");
  sd_notetype_add_template (f->notetype, name, "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}");
  save_and_reload (f, &changes);
  g_assert_cmpuint (changes.cards_added, ==, 1);
  g_assert_cmpint (sd_deck_count_cards (f->collection, deck), ==, 3);
  g_assert_cmpint (sd_notetype_count_template_cards (f->collection, f->notetype->id, 1, NULL),
                   ==, 1);

  /* Card types swap places; each card keeps its card type. */
  before = card_ords (f, 0);
  sd_notetype_move_template (f->notetype, 1, 0);
  save_and_reload (f, &changes);
  g_assert_cmpstr (template_at (f, 0)->name, ==, "Card 2");
  after = card_ords (f, 0);
  g_assert_cmpuint (g_hash_table_size (after), ==, 2);
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (after, key)), ==,
                     1 - GPOINTER_TO_INT (value));

  /* Renaming is checked; removing one takes its cards. */
  g_assert_false (sd_notetype_rename_template (f->notetype, 0, "card 1", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sd_notetype_rename_template (f->notetype, 0, "Recall", &error));
  g_assert_true (sd_notetype_remove_template (f->notetype, 1, &error));
  save_and_reload (f, &changes);
  g_assert_cmpuint (changes.cards_removed, ==, 2);
  g_assert_cmpuint (f->notetype->templates->len, ==, 1);
  g_assert_cmpstr (template_at (f, 0)->name, ==, "Recall");
  g_clear_pointer (&after, g_hash_table_unref);
  after = card_ords (f, 0);
  g_assert_cmpuint (g_hash_table_size (after), ==, 1);
  g_hash_table_iter_init (&iter, after);
  g_assert_true (g_hash_table_iter_next (&iter, &key, &value));
  g_assert_cmpint (GPOINTER_TO_INT (value), ==, 0);

  /* A front that now shows a field for a note makes its card. */
  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("{{Front}}{{Back}}");
  save_and_reload (f, &changes);
  g_assert_cmpuint (changes.cards_added, ==, 1);

  g_assert_false (sd_notetype_remove_template (f->notetype, 0, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
}

static void
test_template_errors (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) saved = NULL;
  g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (f->collection, SD_STOCK_CLOZE, NULL);

  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("{{#Front}}{{Front}}");
  g_assert_false (sd_notetype_check_template (f->notetype, 0, &error));
  g_assert_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED);
  g_assert_cmpstr (error->message, ==, "Front of “Card 1”: Missing '{{/Front}}'");
  g_clear_error (&error);

  /* Saving is refused and nothing changes. */
  g_assert_false (sd_notetype_save_changes (f->collection, f->notetype, NULL, &error));
  g_assert_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED);
  g_clear_error (&error);
  saved = sd_notetype_load (f->collection, f->notetype->id, &error);
  g_assert_cmpstr (((SdCardTemplate *) g_ptr_array_index (saved->templates, 0))->front, ==,
                   "{{Front}}");

  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("{{Frnt}}");
  g_assert_false (sd_notetype_check_template (f->notetype, 0, &error));
  g_assert_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_NO_SUCH_FIELD);
  g_assert_nonnull (strstr (error->message, "no field called 'Frnt'"));
  g_clear_error (&error);

  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("Just text {{Tags}}");
  g_assert_false (sd_notetype_check_template (f->notetype, 0, &error));
  g_assert_nonnull (strstr (error->message, "shows no field"));
  g_clear_error (&error);

  g_free (template_at (f, 0)->front);
  template_at (f, 0)->front = g_strdup ("{{Front}}");
  g_free (template_at (f, 0)->back);
  template_at (f, 0)->back = g_strdup ("{{FrontSide}}{{/Back}}");
  g_assert_false (sd_notetype_check_template (f->notetype, 0, &error));
  g_assert_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_CONDITIONAL_NOT_OPEN);
  g_assert_true (g_str_has_prefix (error->message, "Back of “Card 1”: "));
  g_clear_error (&error);

  g_free (template_at (f, 0)->back);
  template_at (f, 0)->back = g_strdup ("{{FrontSide}}<hr id=answer>{{Back}}");
  sd_notetype_add_template (f->notetype, "Card 2", "{{Front}}", "{{Back}}");
  g_assert_true (sd_notetype_check_template (f->notetype, 1, NULL));
  g_assert_false (sd_notetype_check_templates (f->notetype, &error));
  g_assert_nonnull (strstr (error->message, "same front"));
  g_clear_error (&error);

  g_free (((SdCardTemplate *) g_ptr_array_index (cloze->templates, 0))->front);
  ((SdCardTemplate *) g_ptr_array_index (cloze->templates, 0))->front = g_strdup ("{{Text}}");
  g_assert_false (sd_notetype_check_templates (cloze, &error));
  g_assert_nonnull (strstr (error->message, "{{cloze:Text}}"));
  g_clear_error (&error);
  g_assert_false (sd_notetype_remove_template (cloze, 0, &error));
}

static void
test_stale_copy (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) other = sd_notetype_load (f->collection, f->notetype->id, &error);

  /* Another editor saves first, within the same second. */
  g_assert_true (sd_notetype_rename_field (other, 1, "Meaning", &error));
  g_assert_true (sd_notetype_save_changes (f->collection, other, NULL, &error));
  g_assert_no_error (error);

  sd_notetype_add_field (f->notetype, "Extra");
  g_assert_false (sd_notetype_save_changes (f->collection, f->notetype, NULL, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "changed elsewhere"));
}

static void
test_clone_rename_delete (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) cloze = sd_notetype_new_stock (SD_STOCK_CLOZE);
  g_autoptr(SdNotetype) copy = NULL;
  SdNotetypeUsage usage;
  SdCollectionCounts counts;

  g_assert_null (sd_notetype_clone (f->collection, cloze, " vocabulary ", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);
  copy = sd_notetype_clone (f->collection, cloze, " Cloze (maths) ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->name, ==, "Cloze (maths)");
  g_assert_cmpint (copy->kind, ==, SD_NOTETYPE_CLOZE);
  g_assert_cmpint (copy->stock_kind, ==, SD_STOCK_CLOZE);

  g_assert_false (sd_notetype_rename (f->collection, copy, "Basic", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sd_notetype_rename (f->collection, copy, "Maths", &error));
  g_clear_pointer (&copy, sd_notetype_free);
  copy = sd_notetype_find_by_name (f->collection, "Maths", &error);
  g_assert_no_error (error);

  g_assert_true (sd_notetype_get_usage (f->collection, f->notetype->id, &usage, &error));
  g_assert_cmpint (usage.notes, ==, 2);
  g_assert_cmpint (usage.cards, ==, 2);
  g_assert_cmpint (usage.file_notes, ==, 0);
  g_assert_cmpint (sd_notetype_first_note_id (f->collection, f->notetype->id), ==, f->notes[0]);

  g_assert_true (sd_notetype_delete_with_notes (f->collection, f->notetype->id, &error));
  g_assert_no_error (error);
  g_assert_true (sd_collection_get_counts (f->collection, &counts, &error));
  g_assert_cmpint (counts.notes, ==, 0);
  g_assert_cmpint (counts.cards, ==, 0);
  g_assert_cmpint (counts.notetypes, ==, 5);
}

static void
test_file_cards_guard (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = g_build_filename (f->dir, "notes", NULL);
  g_autofree char *path = g_build_filename (notes, "bio.md", NULL);
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdNotetype) found = NULL;
  g_autoptr(SdNote) note = NULL;
  SdCardTemplate *tmpl;
  SdNotetypeUsage usage;
  SdScanStats stats;
  gint64 basic_id = basic->id;

  g_mkdir_with_parents (notes, 0700);
  sd_test_write_file (path, "# Cells\n\nWhat makes ATP?::The mitochondrion\n");
  sd_library_add_folder (f->collection, notes, &error);
  g_assert_no_error (error);
  g_assert_true (sd_library_scan (f->collection, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (sd_notetype_get_usage (f->collection, basic_id, &usage, &error));
  g_assert_cmpint (usage.file_notes, ==, 1);

  /* Renaming a field and editing a template are fine ... */
  g_assert_true (sd_notetype_rename_field (basic, 0, "Question", &error));
  tmpl = g_ptr_array_index (basic->templates, 0);
  g_free (tmpl->front);
  tmpl->front = g_strdup ("<b>{{Question}}</b>");
  g_assert_true (sd_notetype_save_changes (f->collection, basic, NULL, &error));
  g_assert_no_error (error);

  /* ... a change of shape is not, nor deleting the note type. */
  sd_notetype_add_field (basic, "Source");
  g_assert_false (sd_notetype_save_changes (f->collection, basic, NULL, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "note files"));
  g_clear_error (&error);
  g_assert_false (sd_notetype_delete_with_notes (f->collection, basic_id, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);

  /* A scan still fills the renamed type by position. */
  sd_test_write_file (path, "# Cells\n\nWhat makes ATP?::The mitochondria\n");
  g_assert_true (sd_library_scan (f->collection, NULL, &stats, &error));
  g_assert_no_error (error);
  found = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, &error);
  g_assert_cmpint (found->id, ==, basic_id);
  note = sd_note_load (f->collection, sd_notetype_first_note_id (f->collection, basic_id), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (note->fields), ==, 2);
  g_assert_nonnull (strstr (note->fields[1], "The mitochondria"));
}

static void
test_find_stock_shape (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdNotetype) found = NULL;

  /* Basic given a third field no longer suits cards written in notes, which
   * fill two fields; the next type of Basic's shape does. */
  sd_notetype_add_field (basic, "Source");
  g_assert_true (sd_notetype_save_changes (f->collection, basic, NULL, &error));
  g_assert_no_error (error);
  found = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, f->notetype->id);
}


int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/notetype/stock-layouts", test_stock_layouts);
  g_test_add_func ("/studydeck/notetype/custom-roundtrip", test_custom_roundtrip);
  g_test_add_func ("/studydeck/notetype/invalid-and-in-use", test_invalid_and_in_use);
  g_test_add ("/studydeck/notetype/rename-field", Fixture, NULL,
              fixture_set_up, test_rename_field, fixture_tear_down);
  g_test_add ("/studydeck/notetype/add-remove-fields", Fixture, NULL,
              fixture_set_up, test_add_remove_fields, fixture_tear_down);
  g_test_add ("/studydeck/notetype/move-fields", Fixture, NULL,
              fixture_set_up, test_move_fields, fixture_tear_down);
  g_test_add ("/studydeck/notetype/templates", Fixture, NULL,
              fixture_set_up, test_templates, fixture_tear_down);
  g_test_add ("/studydeck/notetype/template-errors", Fixture, NULL,
              fixture_set_up, test_template_errors, fixture_tear_down);
  g_test_add ("/studydeck/notetype/stale-copy", Fixture, NULL,
              fixture_set_up, test_stale_copy, fixture_tear_down);
  g_test_add ("/studydeck/notetype/clone-rename-delete", Fixture, NULL,
              fixture_set_up, test_clone_rename_delete, fixture_tear_down);
  g_test_add ("/studydeck/notetype/file-cards-guard", Fixture, NULL,
              fixture_set_up, test_file_cards_guard, fixture_tear_down);
  g_test_add ("/studydeck/notetype/find-stock-shape", Fixture, NULL,
              fixture_set_up, test_find_stock_shape, fixture_tear_down);

  return g_test_run ();
}
