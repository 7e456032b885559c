/* test-scheduler.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-fsrs.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-revlog.h"
#include "sd-scheduler.h"
#include "sd-test-utils.h"

/* The tests run with TZ=UTC, so local time is UTC: 2026-03-02 12:00. */
#define NOON_MS   1772452800000LL
#define DAY_MS    86400000LL
#define MINUTE_MS 60000LL

typedef struct
{
  char         *dir;
  SdCollection *collection;
  gint64        deck;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sd_clock_set_fixed (NOON_MS);
  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);
  f->deck = sd_deck_ensure (f->collection, "Biology", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->collection);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
  sd_clock_reset ();
}

static gint64
add_note (SdCollection *collection,
          gint64        deck,
          SdStockKind   stock,
          const char   *front)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (collection, stock, &error);
  const char *fields[] = { front, "back", NULL };
  g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);

  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, deck, NULL, &error));
  g_assert_no_error (error);
  return note->id;
}

static gint64
add_card (SdCollection *collection,
          gint64        deck,
          const char   *front)
{
  gint64 note = add_note (collection, deck, SD_STOCK_BASIC, front);
  g_autoptr(GPtrArray) cards = sd_card_list_for_note (collection, note, NULL);

  return ((SdCard *) cards->pdata[0])->id;
}

static SdCard *
load (SdCollection *collection,
      gint64        id)
{
  g_autoptr(GError) error = NULL;
  SdCard *card = sd_card_load (collection, id, &error);

  g_assert_no_error (error);
  return card;
}

static void
answer (SdScheduler *scheduler,
        gint64       id,
        int          rating)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_scheduler_answer (scheduler, id, rating, 4000, &error));
  g_assert_no_error (error);
}

static SdScheduler *
start (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SdScheduler *scheduler = sd_scheduler_new (f->collection, f->deck, &error);

  g_assert_no_error (error);
  return scheduler;
}

static void
test_learning_steps (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(SdCard) card = NULL;
  gint64 id = add_card (f->collection, f->deck, "mitochondria");
  SdFsrsParams params;
  SdFsrsState first, second;
  gint64 now = NOON_MS / 1000;

  sd_fsrs_params_init_default (&params);
  scheduler = start (f);

  /* Good on a new card: second step (10m). */
  answer (scheduler, id, 3);
  card = load (f->collection, id);
  g_assert_cmpint (card->type, ==, SD_CARD_LEARNING);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_LEARNING);
  g_assert_cmpint (card->step, ==, 1);
  g_assert_cmpint (card->due, ==, now + 600);
  g_assert_cmpint (card->reps, ==, 1);
  first = sd_fsrs_next_state (&params, NULL, 0, 3);
  g_assert_cmpfloat_with_epsilon (card->stability, first.stability, 1e-9);
  g_assert_cmpfloat_with_epsilon (card->difficulty, first.difficulty, 1e-9);
  g_clear_pointer (&card, sd_card_free);

  /* Again goes back to the first step (1m). */
  sd_clock_set_fixed (NOON_MS + 10 * MINUTE_MS);
  answer (scheduler, id, 1);
  card = load (f->collection, id);
  g_assert_cmpint (card->step, ==, 0);
  g_assert_cmpint (card->due, ==, now + 600 + 60);
  second = sd_fsrs_next_state (&params, &first, 0, 1);
  g_assert_cmpfloat_with_epsilon (card->stability, second.stability, 1e-9);
  g_clear_pointer (&card, sd_card_free);

  /* Hard on the first step waits between the first two steps. */
  sd_clock_set_fixed (NOON_MS + 11 * MINUTE_MS);
  answer (scheduler, id, 2);
  card = load (f->collection, id);
  g_assert_cmpint (card->step, ==, 0);
  g_assert_cmpint (card->due, ==, now + 660 + 330);
  g_clear_pointer (&card, sd_card_free);

  /* Good twice graduates with the FSRS interval for the new stability. */
  sd_clock_set_fixed (NOON_MS + 20 * MINUTE_MS);
  answer (scheduler, id, 3);
  sd_clock_set_fixed (NOON_MS + 30 * MINUTE_MS);
  answer (scheduler, id, 3);
  card = load (f->collection, id);
  g_assert_cmpint (card->type, ==, SD_CARD_REVIEW);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpint (card->interval, >=, 1);
  g_assert_cmpint (card->interval, ==, sd_fsrs_round_interval (sd_fsrs_interval (&params, card->stability, 0.9), 36500));
  g_assert_cmpint (card->due, ==, sd_clock_day_number (now, 4) + card->interval);
  g_assert_cmpint (card->reps, ==, 5);
  g_assert_cmpint (card->lapses, ==, 0);
}

static void
test_easy_graduates (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SdScheduler) scheduler = start (f);
  gint64 id = add_card (f->collection, f->deck, "easy one");
  g_autoptr(SdCard) card = NULL;
  g_autoptr(GArray) log = NULL;

  answer (scheduler, id, 4);
  card = load (f->collection, id);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  /* Easy with defaults: S0 = 8.2956, so about eight days. */
  g_assert_cmpint (card->interval, ==, 8);

  log = sd_revlog_list_for_card (f->collection, id, NULL);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).kind, ==, SD_REVLOG_LEARNING);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).interval, ==, 8);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).duration_ms, ==, 4000);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).id, ==, NOON_MS);
}

static void
test_lapse_and_relearn (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SdScheduler) scheduler = start (f);
  gint64 id = add_card (f->collection, f->deck, "lapse");
  g_autoptr(SdCard) card = NULL;
  g_autoptr(GArray) log = NULL;
  SdAnswerPreview previews[4];
  gint64 due_day;

  answer (scheduler, id, 4);
  card = load (f->collection, id);
  due_day = card->due;
  g_clear_pointer (&card, sd_card_free);

  /* On its due day it is a review; Again sends it to relearning. */
  sd_clock_set_fixed (NOON_MS + 8 * DAY_MS);
  g_clear_object (&scheduler);
  scheduler = start (f);
  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_nonnull (card);
  g_assert_cmpint (card->id, ==, id);
  g_assert_cmpint (card->due, ==, due_day);
  g_assert_true (sd_scheduler_preview (scheduler, card, previews, NULL));
  g_assert_cmpint (previews[0].queue, ==, SD_QUEUE_LEARNING);
  g_assert_cmpint (previews[0].due_time - NOON_MS / 1000, ==, 8 * 86400 + 600);
  g_assert_cmpint (previews[1].interval, <, previews[2].interval);
  g_assert_cmpint (previews[2].interval, <, previews[3].interval);
  g_clear_pointer (&card, sd_card_free);

  answer (scheduler, id, 1);
  card = load (f->collection, id);
  g_assert_cmpint (card->type, ==, SD_CARD_RELEARNING);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_LEARNING);
  g_assert_cmpint (card->lapses, ==, 1);
  g_assert_cmpint (card->interval, ==, 8);
  g_clear_pointer (&card, sd_card_free);

  sd_clock_set_fixed (NOON_MS + 8 * DAY_MS + 10 * MINUTE_MS);
  answer (scheduler, id, 3);
  card = load (f->collection, id);
  g_assert_cmpint (card->type, ==, SD_CARD_REVIEW);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);

  log = sd_revlog_list_for_card (f->collection, id, NULL);
  g_assert_cmpuint (log->len, ==, 3);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 1).kind, ==, SD_REVLOG_REVIEW);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 1).rating, ==, 1);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 1).interval, ==, -600);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 1).last_interval, ==, 8);
  g_assert_cmpint (g_array_index (log, SdRevlogEntry, 2).kind, ==, SD_REVLOG_RELEARNING);
}

static void
test_preview_matches_answer (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(SdScheduler) scheduler = start (f);

  for (int rating = 1; rating <= 4; rating++)
    {
      g_autofree char *front = g_strdup_printf ("card %d", rating);
      gint64 id = add_card (f->collection, f->deck, front);
      g_autoptr(SdCard) before = load (f->collection, id);
      g_autoptr(SdCard) after = NULL;
      SdAnswerPreview previews[4];

      g_assert_true (sd_scheduler_preview (scheduler, before, previews, NULL));
      answer (scheduler, id, rating);
      after = load (f->collection, id);
      g_assert_cmpint (after->queue, ==, previews[rating - 1].queue);
      g_assert_cmpint (after->due, ==, previews[rating - 1].due);
      g_assert_cmpfloat (after->stability, ==, previews[rating - 1].stability);
    }
}

static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(SdCard) card = NULL;
  gint64 fresh = add_card (f->collection, f->deck, "new");
  gint64 review = add_card (f->collection, f->deck, "review");
  gint64 learning = add_card (f->collection, f->deck, "learning");
  SdCard *c;

  c = load (f->collection, review);
  c->type = SD_CARD_REVIEW;
  c->queue = SD_QUEUE_REVIEW;
  c->due = sd_clock_day_number (NOON_MS / 1000, 4) - 2;
  c->interval = 5;
  c->stability = 5;
  c->difficulty = 5;
  c->last_review = NOON_MS / 1000 - 7 * 86400;
  g_assert_true (sd_card_update (f->collection, c, NULL));
  sd_card_free (c);

  c = load (f->collection, learning);
  c->type = SD_CARD_LEARNING;
  c->queue = SD_QUEUE_LEARNING;
  c->due = NOON_MS / 1000 - 30;
  c->stability = 1;
  c->difficulty = 5;
  g_assert_true (sd_card_update (f->collection, c, NULL));
  sd_card_free (c);

  scheduler = start (f);
  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_cmpint (card->id, ==, learning);
  answer (scheduler, learning, 3);
  g_clear_pointer (&card, sd_card_free);

  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_cmpint (card->id, ==, review);
  answer (scheduler, review, 3);
  g_clear_pointer (&card, sd_card_free);

  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_cmpint (card->id, ==, fresh);
  answer (scheduler, fresh, 4);
  g_clear_pointer (&card, sd_card_free);

  /* The learning card is due in 10 minutes: inside the learn-ahead limit,
   * so it comes now that nothing else is left. */
  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_cmpint (card->id, ==, learning);
  answer (scheduler, learning, 4);
  g_clear_pointer (&card, sd_card_free);

  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_null (card);
  g_assert_cmpint (sd_scheduler_next_due_time (scheduler), >, NOON_MS / 1000);
}

static void
test_rollover (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(SdCard) card = NULL;
  gint64 id = add_card (f->collection, f->deck, "rollover");
  /* 2026-03-03 03:59 and 04:01 (UTC = local here) */
  gint64 before = NOON_MS + 16 * 3600000LL - MINUTE_MS;
  gint64 after = NOON_MS + 16 * 3600000LL + MINUTE_MS;
  SdCard *c = load (f->collection, id);

  g_assert_cmpint (sd_clock_day_number (before / 1000, 4), ==, sd_clock_day_number (NOON_MS / 1000, 4));
  g_assert_cmpint (sd_clock_day_number (after / 1000, 4), ==, sd_clock_day_number (NOON_MS / 1000, 4) + 1);

  c->type = SD_CARD_REVIEW;
  c->queue = SD_QUEUE_REVIEW;
  c->due = sd_clock_day_number (NOON_MS / 1000, 4) + 1;
  c->interval = 3;
  c->stability = 3;
  c->difficulty = 5;
  c->last_review = NOON_MS / 1000 - 2 * 86400;
  g_assert_true (sd_card_update (f->collection, c, NULL));
  sd_card_free (c);

  sd_clock_set_fixed (before);
  scheduler = start (f);
  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_null (card);

  /* Past the rollover hour the same session sees the new day. */
  sd_clock_set_fixed (after);
  card = sd_scheduler_next_card (scheduler, NULL);
  g_assert_nonnull (card);
  g_assert_cmpint (card->id, ==, id);
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(SdPreset) small = sd_preset_new ("Small");
  gint64 child = sd_deck_ensure (f->collection, "Biology::Cells", &error);
  SdDueCounts counts;

  for (int i = 0; i < 30; i++)
    {
      g_autofree char *front = g_strdup_printf ("child %d", i);
      add_card (f->collection, child, front);
    }
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *front = g_strdup_printf ("parent %d", i);
      add_card (f->collection, f->deck, front);
    }

  /* Default limit 20 at the top caps the 35 new cards. */
  g_assert_true (sd_scheduler_due_counts (f->collection, f->deck, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 20);
  g_assert_true (sd_scheduler_due_counts (f->collection, child, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 20);

  /* A child limit of 4 leaves the parent 4 + its own 5. */
  small->new_per_day = 4;
  g_assert_true (sd_preset_insert (f->collection, small, &error));
  g_assert_true (sd_deck_set_preset (f->collection, child, small->id, &error));
  g_assert_true (sd_scheduler_due_counts (f->collection, f->deck, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 9);

  scheduler = start (f);
  g_assert_true (sd_scheduler_get_counts (scheduler, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 9);

  /* Studying three child cards uses up room in both decks. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(SdCard) card = NULL;
      g_autoptr(SdScheduler) child_session = sd_scheduler_new (f->collection, child, &error);

      card = sd_scheduler_next_card (child_session, &error);
      g_assert_nonnull (card);
      answer (child_session, card->id, 4);
    }
  g_assert_true (sd_scheduler_due_counts (f->collection, child, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 1);
  g_assert_true (sd_scheduler_due_counts (f->collection, f->deck, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 6);

  /* The limits hold the next day again in full. */
  sd_clock_set_fixed (NOON_MS + DAY_MS);
  g_assert_true (sd_scheduler_due_counts (f->collection, f->deck, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 9);
}

static void
test_review_limit (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) preset = sd_preset_load (f->collection, 1, &error);
  g_autoptr(SdScheduler) scheduler = NULL;
  SdDueCounts counts;
  int seen = 0;
  SdCard *card;

  for (int i = 0; i < 12; i++)
    {
      g_autofree char *front = g_strdup_printf ("review %d", i);
      SdCard *c = load (f->collection, add_card (f->collection, f->deck, front));
      c->type = SD_CARD_REVIEW;
      c->queue = SD_QUEUE_REVIEW;
      c->due = sd_clock_day_number (NOON_MS / 1000, 4) - i % 3;
      c->interval = 4;
      c->stability = 4;
      c->difficulty = 5;
      c->last_review = NOON_MS / 1000 - 5 * 86400;
      g_assert_true (sd_card_update (f->collection, c, NULL));
      sd_card_free (c);
    }
  preset->reviews_per_day = 10;
  g_assert_true (sd_preset_update (f->collection, preset, &error));

  g_assert_true (sd_scheduler_due_counts (f->collection, f->deck, &counts, &error));
  g_assert_cmpint (counts.review_count, ==, 10);

  scheduler = start (f);
  while ((card = sd_scheduler_next_card (scheduler, &error)) != NULL)
    {
      answer (scheduler, card->id, 3);
      sd_card_free (card);
      seen++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (seen, ==, 10);
}

static void
test_bury_siblings (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) preset = sd_preset_load (f->collection, 1, &error);
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(SdCard) card = NULL;
  g_autoptr(SdCard) sibling = NULL;
  gint64 note;

  preset->bury_new = TRUE;
  g_assert_true (sd_preset_update (f->collection, preset, &error));
  note = add_note (f->collection, f->deck, SD_STOCK_BASIC_AND_REVERSED, "both ways");
  cards = sd_card_list_for_note (f->collection, note, &error);
  g_assert_cmpuint (cards->len, ==, 2);

  scheduler = start (f);
  card = sd_scheduler_next_card (scheduler, &error);
  answer (scheduler, card->id, 4);
  {
    SdCard *first = cards->pdata[0];
    SdCard *second = cards->pdata[1];
    sibling = load (f->collection, card->id == first->id ? second->id : first->id);
  }
  g_assert_cmpint (sibling->queue, ==, SD_QUEUE_SIBLING_BURIED);
  g_clear_pointer (&card, sd_card_free);
  card = sd_scheduler_next_card (scheduler, &error);
  g_assert_null (card);

  /* The next day it is back. */
  sd_clock_set_fixed (NOON_MS + DAY_MS);
  g_clear_object (&scheduler);
  scheduler = start (f);
  g_clear_pointer (&card, sd_card_free);
  card = sd_scheduler_next_card (scheduler, &error);
  g_assert_nonnull (card);
  g_assert_cmpint (card->id, ==, sibling->id);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_NEW);
}

static void
test_leech (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) preset = sd_preset_load (f->collection, 1, &error);
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(SdCard) card = NULL;
  g_autoptr(SdNote) note = NULL;
  gint64 id = add_card (f->collection, f->deck, "hard to remember");
  SdCard *c = load (f->collection, id);

  preset->leech_threshold = 2;
  g_array_set_size (preset->relearn_steps, 0);
  g_assert_true (sd_preset_update (f->collection, preset, &error));

  c->type = SD_CARD_REVIEW;
  c->queue = SD_QUEUE_REVIEW;
  c->due = sd_clock_day_number (NOON_MS / 1000, 4);
  c->interval = 3;
  c->stability = 3;
  c->difficulty = 7;
  c->lapses = 1;
  c->last_review = NOON_MS / 1000 - 3 * 86400;
  g_assert_true (sd_card_update (f->collection, c, NULL));
  sd_card_free (c);

  scheduler = start (f);
  answer (scheduler, id, 1);
  card = load (f->collection, id);
  g_assert_cmpint (card->lapses, ==, 2);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_SUSPENDED);
  note = sd_note_load (f->collection, card->note_id, &error);
  g_assert_true (g_strv_contains ((const char * const *) note->tags, "leech"));

  /* Undo takes the tag and the suspension back. */
  g_assert_cmpint (sd_scheduler_undo (scheduler, &error), ==, id);
  g_clear_pointer (&note, sd_note_free);
  g_clear_pointer (&card, sd_card_free);
  card = load (f->collection, id);
  note = sd_note_load (f->collection, card->note_id, &error);
  g_assert_false (g_strv_contains ((const char * const *) note->tags, "leech"));
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpint (card->lapses, ==, 1);
}

static void
assert_same_card (const SdCard *a,
                  const SdCard *b)
{
  g_assert_cmpint (a->type, ==, b->type);
  g_assert_cmpint (a->queue, ==, b->queue);
  g_assert_cmpint (a->due, ==, b->due);
  g_assert_cmpint (a->interval, ==, b->interval);
  g_assert_cmpfloat (a->stability, ==, b->stability);
  g_assert_cmpfloat (a->difficulty, ==, b->difficulty);
  g_assert_cmpint (a->last_review, ==, b->last_review);
  g_assert_cmpint (a->reps, ==, b->reps);
  g_assert_cmpint (a->lapses, ==, b->lapses);
  g_assert_cmpint (a->step, ==, b->step);
  g_assert_cmpint (a->flags, ==, b->flags);
  g_assert_cmpint (a->mtime, ==, b->mtime);
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_card_free);
  gint64 ids[3];
  SdCollectionCounts counts;
  SdCard *card;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *front = g_strdup_printf ("undo %d", i);
      ids[i] = add_card (f->collection, f->deck, front);
      g_ptr_array_add (before, load (f->collection, ids[i]));
    }

  scheduler = start (f);
  g_assert_false (sd_scheduler_can_undo (scheduler));
  sd_clock_set_fixed (NOON_MS + 5000);
  answer (scheduler, ids[0], 3);
  answer (scheduler, ids[1], 1);
  answer (scheduler, ids[2], 4);
  g_assert_true (sd_scheduler_set_flag (scheduler, ids[2], 3, &error));
  g_assert_true (sd_scheduler_suspend_card (scheduler, ids[1], &error));

  /* Undo in reverse order: suspend, flag, then the three answers. */
  g_assert_cmpint (sd_scheduler_undo (scheduler, &error), ==, ids[1]);
  g_assert_cmpint (((SdCard *) g_ptr_array_index (before, 1))->queue, ==, SD_QUEUE_NEW);
  card = load (f->collection, ids[1]);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_LEARNING);
  sd_card_free (card);
  g_assert_cmpint (sd_scheduler_undo (scheduler, &error), ==, 0);
  g_assert_no_error (error);
  card = load (f->collection, ids[2]);
  g_assert_cmpint (card->flags, ==, 0);
  sd_card_free (card);

  for (int i = 2; i >= 0; i--)
    {
      g_assert_cmpint (sd_scheduler_undo (scheduler, &error), ==, ids[i]);
      g_assert_no_error (error);
      card = sd_scheduler_next_card (scheduler, &error);
      g_assert_cmpint (card->id, ==, ids[i]);
      sd_card_free (card);
    }

  for (int i = 0; i < 3; i++)
    {
      card = load (f->collection, ids[i]);
      assert_same_card (card, g_ptr_array_index (before, i));
      sd_card_free (card);
    }
  g_assert_true (sd_collection_get_counts (f->collection, &counts, &error));
  g_assert_cmpint (counts.revlog, ==, 0);
  g_assert_false (sd_scheduler_can_undo (scheduler));
}

static void
test_bury_and_suspend (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScheduler) scheduler = NULL;
  gint64 a = add_card (f->collection, f->deck, "a");
  gint64 b = add_card (f->collection, f->deck, "b");
  SdCard *card;

  scheduler = start (f);
  g_assert_true (sd_scheduler_bury_card (scheduler, a, &error));
  g_assert_true (sd_scheduler_suspend_card (scheduler, b, &error));
  card = sd_scheduler_next_card (scheduler, &error);
  g_assert_null (card);
  g_assert_false (sd_scheduler_answer (scheduler, b, 3, 0, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sd_scheduler_answer (scheduler, a, 5, 0, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);

  /* Buried for today only; suspended until unsuspended. */
  sd_clock_set_fixed (NOON_MS + DAY_MS);
  g_clear_object (&scheduler);
  scheduler = start (f);
  card = sd_scheduler_next_card (scheduler, &error);
  g_assert_cmpint (card->id, ==, a);
  sd_card_free (card);
  card = load (f->collection, b);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_SUSPENDED);
  sd_card_free (card);
}

/* Kills a process that answers cards as fast as it can and checks that
 * every answer it reported as done is in the collection, and that the file
 * is intact. */
static void
test_crash (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *helper = g_test_build_filename (G_TEST_BUILT, "scheduler-crash-helper", NULL);
  g_autofree char *deck_arg = NULL;
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) preset = sd_preset_load (collection, 1, &error);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GIOChannel) channel = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 deck = sd_deck_ensure (collection, "Crash", &error);
  const char *args[4] = { NULL };
  GPid pid;
  int out_fd, status;
  guint lines = 0;
  char *line = NULL;

  preset->new_per_day = 9999;
  g_assert_true (sd_preset_update (collection, preset, &error));
  g_assert_true (sd_collection_begin (collection, &error));
  for (int i = 0; i < 400; i++)
    {
      g_autofree char *front = g_strdup_printf ("crash %d", i);
      add_card (collection, deck, front);
    }
  g_assert_true (sd_collection_commit (collection, &error));
  g_clear_object (&collection);

  deck_arg = g_strdup_printf ("%" G_GINT64_FORMAT, deck);
  args[0] = helper;
  args[1] = g_build_filename (dir, "collection.db", NULL);
  args[2] = deck_arg;
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) args, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);

  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  while (lines < 150 && g_io_channel_read_line (channel, &line, NULL, NULL, NULL) == G_IO_STATUS_NORMAL)
    {
      gint64 card = g_ascii_strtoll (line, NULL, 10);
      int reps = atoi (strchr (line, ' ') + 1);
      gint64 *k = g_memdup2 (&card, sizeof card);

      g_hash_table_insert (reported, k, GINT_TO_POINTER (reps));
      g_free (line);
      lines++;
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  g_assert_cmpuint (lines, ==, 150);

  collection = sd_collection_open (args[1], &error);
  g_assert_no_error (error);
  g_assert_true (sd_collection_check_integrity (collection, &error));
  g_assert_no_error (error);

  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(SdCard) card = sd_card_load (collection, *(gint64 *) key, &error);
      g_autoptr(GArray) log = sd_revlog_list_for_card (collection, card->id, &error);

      g_assert_cmpint (card->reps, >=, GPOINTER_TO_INT (value));
      /* Every answer wrote its state and its log row together. */
      g_assert_cmpint (log->len, ==, card->reps);
    }
  g_free ((char *) args[1]);
  sd_test_rm_rf (dir);
}

static void
test_retired (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScheduler) scheduler = NULL;
  gint64 kept = add_card (f->collection, f->deck, "kept");
  gint64 gone = add_card (f->collection, f->deck, "text deleted from its note");
  g_autofree char *sql = g_strdup_printf ("UPDATE cards SET retired = 1 WHERE id = %" G_GINT64_FORMAT, gone);
  SdDueCounts counts;
  SdCard *card;

  g_assert_true (sd_collection_exec (f->collection, sql, &error));
  g_assert_true (sd_scheduler_due_counts (f->collection, f->deck, &counts, &error));
  g_assert_cmpint (counts.new_count, ==, 1);

  scheduler = start (f);
  card = sd_scheduler_next_card (scheduler, &error);
  g_assert_cmpint (card->id, ==, kept);
  answer (scheduler, kept, 4);
  sd_card_free (card);
  g_assert_null (sd_scheduler_next_card (scheduler, &error));
}

static void
test_card_set (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScheduler) scheduler = NULL;
  g_autoptr(GArray) set = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 other = sd_deck_ensure (f->collection, "Elsewhere", &error);
  gint64 fresh = add_card (f->collection, f->deck, "new one");
  gint64 later = add_card (f->collection, other, "review not due");
  gint64 paused = add_card (f->collection, f->deck, "suspended");
  gint64 outside = add_card (f->collection, f->deck, "not in the set");
  SdCard *c;

  c = load (f->collection, later);
  c->type = SD_CARD_REVIEW;
  c->queue = SD_QUEUE_REVIEW;
  c->due = sd_clock_day_number (NOON_MS / 1000, 4) + 30;
  c->interval = 40;
  c->stability = 40;
  c->difficulty = 5;
  c->last_review = NOON_MS / 1000 - 10 * 86400;
  g_assert_true (sd_card_update (f->collection, c, NULL));
  sd_card_free (c);
  c = load (f->collection, paused);
  c->queue = SD_QUEUE_SUSPENDED;
  g_assert_true (sd_card_update (f->collection, c, NULL));
  sd_card_free (c);

  g_array_append_val (set, fresh);
  g_array_append_val (set, later);
  g_array_append_val (set, paused);
  scheduler = sd_scheduler_new_for_cards (f->collection, set, &error);
  g_assert_no_error (error);

  while ((c = sd_scheduler_next_card (scheduler, &error)) != NULL)
    {
      g_assert_cmpint (c->id, !=, outside);
      g_assert_cmpint (c->id, !=, paused);
      g_hash_table_add (seen, g_memdup2 (&c->id, sizeof c->id));
      answer (scheduler, c->id, 4);
      sd_card_free (c);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2);
  g_assert_true (g_hash_table_contains (seen, &later));
}

static void
test_format_interval (void)
{
  struct { gint64 seconds; const char *text; } cases[] = {
    { 30, "<1m" }, { 600, "10m" }, { 5400, "2h" }, { 86400, "1d" }, { 86400 * 12, "12d" },
    { 86400 * 75, "2.5mo" }, { 86400 * 730, "2.0y" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sd_scheduler_format_interval (cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/studydeck/scheduler/learning-steps", test_learning_steps);
  ADD ("/studydeck/scheduler/easy-graduates", test_easy_graduates);
  ADD ("/studydeck/scheduler/lapse-and-relearn", test_lapse_and_relearn);
  ADD ("/studydeck/scheduler/preview-matches-answer", test_preview_matches_answer);
  ADD ("/studydeck/scheduler/order", test_order);
  ADD ("/studydeck/scheduler/rollover", test_rollover);
  ADD ("/studydeck/scheduler/limits", test_limits);
  ADD ("/studydeck/scheduler/review-limit", test_review_limit);
  ADD ("/studydeck/scheduler/bury-siblings", test_bury_siblings);
  ADD ("/studydeck/scheduler/leech", test_leech);
  ADD ("/studydeck/scheduler/undo", test_undo);
  ADD ("/studydeck/scheduler/bury-and-suspend", test_bury_and_suspend);
  ADD ("/studydeck/scheduler/retired", test_retired);
  ADD ("/studydeck/scheduler/card-set", test_card_set);
#undef ADD
  g_test_add_func ("/studydeck/scheduler/format-interval", test_format_interval);
  g_test_add_func ("/studydeck/scheduler/crash", test_crash);

  return g_test_run ();
}
