/* test-note.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-card.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-test-utils.h"

static gint64
basic_id (SdCollection *collection)
{
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, NULL);
  return basic->id;
}

static void
test_guid_and_tags (void)
{
  g_autofree char *a = sd_note_new_guid ();
  g_autofree char *b = sd_note_new_guid ();
  g_auto(GStrv) tags = sd_note_split_tags ("  k8s  Containers\tk8s containers::registry ");
  g_autofree char *joined = sd_note_join_tags ((const char * const *) tags);
  g_autofree char *none = sd_note_join_tags (NULL);

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpuint (strlen (a), >=, 1);
  g_assert_cmpuint (strlen (a), <=, 10);
  g_assert_null (strpbrk (a, " \t\"'\\"));
  g_assert_cmpuint (g_strv_length (tags), ==, 3);
  g_assert_cmpstr (joined, ==, " k8s Containers containers::registry ");
  g_assert_cmpstr (none, ==, "");
}

/* U+3000 separates tags; the kana that share its first byte stay whole, and
 * duplicates go case-insensitively in any script, as many as there are. */
static void
test_tags_unicode (void)
{
  g_auto(GStrv) kana = sd_note_split_tags ("ひらがな\u3000日本語 カタカナ\tÉcole école");
  g_autoptr(GString) many = g_string_new (NULL);
  g_auto(GStrv) split = NULL;

  g_assert_cmpuint (g_strv_length (kana), ==, 4);
  g_assert_cmpstr (kana[0], ==, "ひらがな");
  g_assert_cmpstr (kana[1], ==, "日本語");
  g_assert_cmpstr (kana[2], ==, "カタカナ");
  g_assert_cmpstr (kana[3], ==, "École");

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (many, "tag%u Tag%u ", i % 20, i % 20);
  split = sd_note_split_tags (many->str);
  g_assert_cmpuint (g_strv_length (split), ==, 20);
  g_assert_cmpstr (split[19], ==, "tag19");
}

static void
test_note_roundtrip (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "What is a <b>Pod</b>?&nbsp;", "The smallest unit", NULL };
  g_autoptr(SdNote) note = sd_note_new (basic_id (collection), fields);
  g_autoptr(SdNote) loaded = NULL;

  g_strfreev (note->tags);
  note->tags = sd_note_split_tags ("k8s basics");
  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_note_find_by_guid (collection, note->guid), ==, note->id);

  loaded = sd_note_load (collection, note->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->guid, ==, note->guid);
  {
    g_auto(GStrv) all = sd_note_all_tags (collection, &error);
    g_assert_cmpuint (g_strv_length (all), ==, 2);
    g_assert_cmpstr (all[0], ==, "basics");
    g_assert_cmpstr (all[1], ==, "k8s");
  }
  g_assert_cmpstr (loaded->fields[0], ==, fields[0]);
  g_assert_cmpstr (loaded->fields[1], ==, fields[1]);
  g_assert_cmpuint (g_strv_length (loaded->tags), ==, 2);
  g_assert_cmpint (loaded->mtime, >, 0);

  g_free (loaded->fields[1]);
  loaded->fields[1] = g_strdup ("The smallest deployable unit");
  g_assert_true (sd_note_update (collection, loaded, &error));
  g_clear_pointer (&loaded, sd_note_free);
  loaded = sd_note_load (collection, note->id, &error);
  g_assert_cmpstr (loaded->fields[1], ==, "The smallest deployable unit");
  sd_test_rm_rf (dir);
}

static void
test_note_refusals (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  const char *three[] = { "a", "b", "c", NULL };
  const char *bad_utf8[] = { "ok", "\xff\xfe broken", NULL };
  g_autoptr(SdNote) wrong_count = sd_note_new (basic_id (collection), three);
  g_autoptr(SdNote) broken = sd_note_new (basic_id (collection), bad_utf8);
  g_autoptr(SdNote) orphan = sd_note_new (424242, three);
  SdCollectionCounts counts;

  g_assert_false (sd_note_insert (collection, wrong_count, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "3 fields"));
  g_assert_nonnull (strstr (error->message, "Basic"));
  g_clear_error (&error);

  g_assert_false (sd_note_insert (collection, broken, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“Back”"));
  g_clear_error (&error);

  g_assert_false (sd_note_insert (collection, orphan, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (sd_collection_get_counts (collection, &counts, &error));
  g_assert_cmpint (counts.notes, ==, 0);
  sd_test_rm_rf (dir);
}

static void
test_cards_and_revlog (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "q", "a", NULL };
  g_autoptr(SdNote) note = sd_note_new (basic_id (collection), fields);
  g_autoptr(SdCard) first = NULL;
  g_autoptr(SdCard) second = NULL;
  g_autoptr(SdCard) loaded = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GArray) log = NULL;
  SdRevlogEntry entry = { 0 };
  SdCollectionCounts counts;

  g_assert_true (sd_note_insert (collection, note, &error));
  first = sd_card_new (note->id, SD_DECK_DEFAULT_ID, 0);
  g_assert_true (sd_card_insert (collection, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first->queue, ==, SD_QUEUE_NEW);
  g_assert_cmpint (first->position, >, 0);
  g_assert_cmpint (first->due, ==, first->position);

  second = sd_card_new (note->id, SD_DECK_DEFAULT_ID, 1);
  g_assert_true (sd_card_insert (collection, second, &error));
  g_assert_cmpint (second->position, ==, first->position + 1);
  g_assert_cmpint (second->id, >, first->id);

  /* The same template twice for one note is refused. */
  {
    g_autoptr(SdCard) dup = sd_card_new (note->id, SD_DECK_DEFAULT_ID, 0);
    g_assert_false (sd_card_insert (collection, dup, &error));
    g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
    g_clear_error (&error);
  }

  first->type = SD_CARD_REVIEW;
  first->queue = SD_QUEUE_REVIEW;
  first->due = 20500;
  first->interval = 12;
  first->stability = 12.5;
  first->difficulty = 4.25;
  first->last_review = 1771000000;
  first->reps = 3;
  first->lapses = 1;
  first->flags = 2;
  g_assert_true (sd_card_update (collection, first, &error));
  loaded = sd_card_load (collection, first->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpint (loaded->due, ==, 20500);
  g_assert_cmpfloat (loaded->stability, ==, 12.5);
  g_assert_cmpfloat (loaded->difficulty, ==, 4.25);
  g_assert_cmpint (loaded->last_review, ==, 1771000000);
  g_assert_cmpint (loaded->lapses, ==, 1);
  g_assert_cmpint (loaded->flags, ==, 2);

  entry.card_id = first->id;
  entry.rating = 3;
  entry.kind = SD_REVLOG_REVIEW;
  entry.interval = 12;
  entry.last_interval = -600;
  entry.stability = 12.5;
  entry.difficulty = 4.25;
  entry.duration_ms = 5300;
  g_assert_true (sd_revlog_insert (collection, &entry, &error));
  entry.id = 0;
  entry.rating = 1;
  g_assert_true (sd_revlog_insert (collection, &entry, &error));
  g_assert_no_error (error);

  log = sd_revlog_list_for_card (collection, first->id, &error);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).rating, ==, 3);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).last_interval, ==, -600);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).duration_ms, ==, 5300);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 1).id, >, g_array_index (log, SdRevlogEntry, 0).id);

  cards = sd_card_list_for_note (collection, note->id, &error);
  g_assert_cmpuint (cards->len, ==, 2);

  /* Deleting the note takes its cards and their history with it. */
  g_assert_true (sd_note_delete (collection, note->id, &error));
  g_assert_true (sd_collection_get_counts (collection, &counts, &error));
  g_assert_cmpint (counts.cards, ==, 0);
  g_assert_cmpint (counts.revlog, ==, 0);
  sd_test_rm_rf (dir);
}

static GArray *
generate (SdCollection *collection,
          SdStockKind   stock,
          const char  **fields,
          guint        *n_added)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (collection, stock, &error);
  g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);
  g_autoptr(GPtrArray) cards = NULL;
  GArray *ords = g_array_new (FALSE, FALSE, sizeof (int));

  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, n_added, &error));
  g_assert_no_error (error);
  cards = sd_card_list_for_note (collection, note->id, &error);
  for (guint i = 0; i < cards->len; i++)
    g_array_append_val (ords, ((SdCard *) cards->pdata[i])->ord);
  return ords;
}

static void
test_card_generation (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  const char *basic[] = { "Q", "A", NULL };
  const char *no_reverse[] = { "Q", "A", "", NULL };
  const char *with_reverse[] = { "Q", "A", "y", NULL };
  const char *cloze[] = { "{{c1::Pods}} run {{c3::containers}}, {{c1::again}}", "extra {{c5::x}}", NULL };
  const char *empty_front[] = { "", "only a back", NULL };
  GArray *ords;
  guint added = 0;

  ords = generate (collection, SD_STOCK_BASIC, basic, &added);
  g_assert_cmpuint (ords->len, ==, 1);
  g_assert_cmpuint (added, ==, 1);
  g_array_unref (ords);

  ords = generate (collection, SD_STOCK_BASIC_AND_REVERSED, basic, &added);
  g_assert_cmpuint (ords->len, ==, 2);
  g_array_unref (ords);

  ords = generate (collection, SD_STOCK_BASIC_OPTIONAL_REVERSED, no_reverse, &added);
  g_assert_cmpuint (ords->len, ==, 1);
  g_array_unref (ords);
  ords = generate (collection, SD_STOCK_BASIC_OPTIONAL_REVERSED, with_reverse, &added);
  g_assert_cmpuint (ords->len, ==, 2);
  g_array_unref (ords);

  /* Cloze numbers from every field, gaps kept: c1, c3, c5 -> ords 0, 2, 4. */
  ords = generate (collection, SD_STOCK_CLOZE, cloze, &added);
  g_assert_cmpuint (ords->len, ==, 3);
  g_assert_cmpint (g_array_index (ords, int, 0), ==, 0);
  g_assert_cmpint (g_array_index (ords, int, 1), ==, 2);
  g_assert_cmpint (g_array_index (ords, int, 2), ==, 4);
  g_array_unref (ords);

  /* Nothing on the front: the first card anyway, so the note is reachable. */
  ords = generate (collection, SD_STOCK_BASIC, empty_front, &added);
  g_assert_cmpuint (ords->len, ==, 1);
  g_array_unref (ords);
  sd_test_rm_rf (dir);
}

static void
test_generate_is_idempotent (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) optional = sd_notetype_find_stock (collection, SD_STOCK_BASIC_OPTIONAL_REVERSED, &error);
  const char *fields[] = { "Q", "A", "", NULL };
  g_autoptr(SdNote) note = sd_note_new (optional->id, fields);
  guint added = 99;

  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, &added, &error));
  g_assert_cmpuint (added, ==, 1);
  g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, &added, &error));
  g_assert_cmpuint (added, ==, 0);

  /* Turning the reverse on later adds only the missing card. */
  g_free (note->fields[2]);
  note->fields[2] = g_strdup ("yes");
  g_assert_true (sd_note_update (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, &added, &error));
  g_assert_cmpuint (added, ==, 1);
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/note/guid-and-tags", test_guid_and_tags);
  g_test_add_func ("/studydeck/note/tags-unicode", test_tags_unicode);
  g_test_add_func ("/studydeck/note/roundtrip", test_note_roundtrip);
  g_test_add_func ("/studydeck/note/refusals", test_note_refusals);
  g_test_add_func ("/studydeck/note/cards-and-revlog", test_cards_and_revlog);
  g_test_add_func ("/studydeck/note/card-generation", test_card_generation);
  g_test_add_func ("/studydeck/note/generate-is-idempotent", test_generate_is_idempotent);

  return g_test_run ();
}
