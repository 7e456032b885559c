/* sd-progress-relay.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SdProgressFunc:
 * @done: work items finished
 * @total: all work items, 0 while unknown
 * @user_data: the data given with the callback
 *
 * The shape of the progress callbacks of long operations (import, export).
 */
typedef void (*SdProgressFunc) (guint64  done,
                                 guint64  total,
                                 gpointer user_data);

/* Carries progress from a worker thread to a callback on the main context
 * that created it. */
typedef struct _SdProgressRelay SdProgressRelay;

SdProgressRelay *sd_progress_relay_new    (SdProgressFunc   progress,
                                           gpointer         progress_data);
void             sd_progress_relay_free   (SdProgressRelay *relay);
void             sd_progress_relay_report (guint64          done,
                                           guint64          total,
                                           gpointer         relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdProgressRelay, sd_progress_relay_free)

G_END_DECLS
