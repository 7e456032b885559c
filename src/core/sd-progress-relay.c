/* sd-progress-relay.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-progress-relay.h"

/* A worker reports each note or file it handles, tens of thousands a
 * second; a progress bar needs a few, so reports are thinned to twenty a
 * second, the first and the last always passed on. */
#define MIN_INTERVAL_USEC (G_USEC_PER_SEC / 20)

struct _SdProgressRelay
{
  SdProgressFunc  progress;
  gpointer        progress_data;
  GMainContext   *context;
  gint64          last_report;   /* monotonic µs, in the reporting thread */
};

typedef struct
{
  SdProgressFunc progress;
  gpointer       progress_data;
  guint64        done;
  guint64        total;
} Report;

/**
 * sd_progress_relay_new:
 * @progress: called on the calling thread's thread-default main context
 *
 * Returns: (transfer full): a relay to give to the worker, with
 *   sd_progress_relay_report() as its callback
 */
SdProgressRelay *
sd_progress_relay_new (SdProgressFunc progress,
                       gpointer       progress_data)
{
  SdProgressRelay *relay = g_new0 (SdProgressRelay, 1);

  g_return_val_if_fail (progress != NULL, NULL);

  relay->progress = progress;
  relay->progress_data = progress_data;
  relay->context = g_main_context_ref_thread_default ();
  return relay;
}

void
sd_progress_relay_free (SdProgressRelay *relay)
{
  if (relay == NULL)
    return;
  g_main_context_unref (relay->context);
  g_free (relay);
}

static gboolean
deliver_cb (gpointer user_data)
{
  Report *report = user_data;

  report->progress (report->done, report->total, report->progress_data);
  return G_SOURCE_REMOVE;
}

/**
 * sd_progress_relay_report:
 * @relay: (type SdProgressRelay): the relay
 *
 * An #SdProgressFunc for one worker thread: queues the report to the
 * relay's main context unless one went less than a twentieth of a second
 * ago.
 */
void
sd_progress_relay_report (guint64  done,
                          guint64  total,
                          gpointer relay)
{
  SdProgressRelay *self = relay;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GSource) source = NULL;
  Report *report;

  if (done != 0 && done != total && now - self->last_report < MIN_INTERVAL_USEC)
    return;
  self->last_report = now;

  report = g_new (Report, 1);
  report->progress = self->progress;
  report->progress_data = self->progress_data;
  report->done = done;
  report->total = total;
  /* Always through a source: g_main_context_invoke() would call it right
   * here, on the worker, whenever the worker could acquire the context,
   * as it can between two iterations of the caller's loop. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, report, g_free);
  g_source_set_static_name (source, "[studydeck] progress");
  g_source_attach (source, self->context);
}
