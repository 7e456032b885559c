/* sd-window-private.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-deck-list.h"
#include "sd-library-watch.h"
#include "sd-notes-list.h"
#include "sd-notes-pane.h"
#include "sd-review-pane.h"
#include "sd-window.h"

G_BEGIN_DECLS

struct _SdWindow
{
  AdwApplicationWindow  parent_instance;

  SdCollection         *collection;
  SdLibraryWatch       *watch;
  guint                 poll_id;
  int                   side_position;
  gboolean              scanning;
  GSettings            *settings;
  GCancellable         *cancellable;
  gboolean              show_notes_pane;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkStack             *sidebar_stack;
  SdNotesList          *notes_list;
  SdDeckList           *deck_list;
  GtkPaned             *paned;
  SdNotesPane          *notes_pane;
  SdReviewPane         *review_pane;
  AdwWindowTitle       *window_title;
  GtkToggleButton      *notes_pane_button;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;

  GHashTable           *pending_deletes;  /* gint64* decks deleted once their toast goes */
  GCancellable         *import_cancellable;
  GQueue               *import_queue;   /* GFile waiting for the running import */
  GtkWindow            *browser;        /* weak: the card browser, while open */
};

void     _sd_window_set_show_notes_pane  (SdWindow      *self,
                                          gboolean       show);

/* sd-window-import.c */
void     _sd_window_import_action        (GtkWidget     *widget,
                                          const char    *action_name,
                                          GVariant      *parameter);
void     _sd_window_cancel_import_action (GtkWidget     *widget,
                                          const char    *action_name,
                                          GVariant      *parameter);
gboolean _sd_window_drop_cb              (GtkDropTarget *target,
                                          const GValue  *value,
                                          double         x,
                                          double         y,
                                          gpointer       user_data);

G_END_DECLS
