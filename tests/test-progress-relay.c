/* test-progress-relay.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Progress from a worker thread reaches the caller on its own thread, the
 * first and last reports always, a flood of them thinned. */

#include "sd-progress-relay.h"

typedef struct
{
  GThread *main_thread;
  GArray  *done;          /* guint64 */
  guint64  total;
  gboolean wrong_thread;
} Seen;

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Seen *seen = user_data;

  if (g_thread_self () != seen->main_thread)
    seen->wrong_thread = TRUE;
  g_array_append_val (seen->done, done);
  seen->total = total;
}

static gpointer
worker (gpointer relay)
{
  /* As an import reports: every item, far faster than anyone can read. */
  for (guint64 i = 0; i <= 100000; i++)
    sd_progress_relay_report (i, 100000, relay);
  return NULL;
}

static void
test_thinned (void)
{
  Seen seen = { g_thread_self (), g_array_new (FALSE, FALSE, sizeof (guint64)), 0, FALSE };
  g_autoptr(SdProgressRelay) relay = sd_progress_relay_new (progress_cb, &seen);
  GThread *thread = g_thread_new ("worker", worker, relay);

  g_thread_join (thread);
  /* Nothing ran yet: reports wait for the caller's main context. */
  g_assert_cmpuint (seen.done->len, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_false (seen.wrong_thread);
  g_assert_cmpuint (seen.done->len, >=, 2);
  /* Twenty a second at most, with the first and last: a loop of 100,001
   * reports takes well under a minute. */
  g_assert_cmpuint (seen.done->len, <, 1000);
  g_assert_cmpuint (g_array_index (seen.done, guint64, 0), ==, 0);
  g_assert_cmpuint (g_array_index (seen.done, guint64, seen.done->len - 1), ==, 100000);
  g_assert_cmpuint (seen.total, ==, 100000);
  for (guint i = 1; i < seen.done->len; i++)
    g_assert_cmpuint (g_array_index (seen.done, guint64, i - 1), <,
                      g_array_index (seen.done, guint64, i));
  g_array_unref (seen.done);
}

/* A relay made on a thread with its own main context reports there. */
static gpointer
other_thread (gpointer data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  Seen seen = { g_thread_self (), g_array_new (FALSE, FALSE, sizeof (guint64)), 0, FALSE };
  SdProgressRelay *relay;
  guint n;

  g_main_context_push_thread_default (context);
  relay = sd_progress_relay_new (progress_cb, &seen);
  g_thread_join (g_thread_new ("worker", worker, relay));
  while (g_main_context_iteration (context, FALSE))
    ;
  sd_progress_relay_free (relay);
  g_main_context_pop_thread_default (context);

  g_assert_false (seen.wrong_thread);
  n = seen.done->len;
  g_array_unref (seen.done);
  return GUINT_TO_POINTER (n);
}

static void
test_thread_default (void)
{
  guint n = GPOINTER_TO_UINT (g_thread_join (g_thread_new ("caller", other_thread, NULL)));

  g_assert_cmpuint (n, >=, 2);
  /* The default main context got none of them. */
  g_assert_false (g_main_context_pending (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/progress-relay/thinned", test_thinned);
  g_test_add_func ("/studydeck/progress-relay/thread-default", test_thread_default);

  return g_test_run ();
}
