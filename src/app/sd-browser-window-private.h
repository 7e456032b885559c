/* sd-browser-window-private.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-browser-model.h"
#include "sd-browser-window.h"
#include "sd-card-view.h"

G_BEGIN_DECLS

typedef enum
{
  COL_STATE,
  COL_SORT_FIELD,
  COL_TEMPLATE,
  COL_DECK,
  COL_DUE,
  COL_INTERVAL,
  COL_EASE,
  COL_REVIEWS,
  COL_LAPSES,
  COL_NOTETYPE,
  COL_TAGS,
  COL_CREATED,
  COL_MODIFIED,
  N_COLUMNS
} Column;

struct _SdBrowserWindow
{
  AdwApplicationWindow  parent_instance;

  SdCollection         *collection;
  GSettings            *settings;        /* where the layout is remembered */
  SdBrowserModel       *model;
  GtkMultiSelection    *selection;
  GtkColumnViewColumn  *columns[N_COLUMNS];
  GSimpleActionGroup   *column_actions;
  GCancellable         *cancellable;
  gulong                changed_id;
  GtkSorter            *sorter;          /* the column view's */
  gulong                sort_changed_id;

  char                 *query;
  char                 *error_message;
  gboolean              notes;
  SdBrowseColumn        sort_column;
  gboolean              ascending;
  int                   probed;          /* the column a sorter probe reached */
  gboolean              clearing_sort;
  gboolean              show_preview;
  GCancellable         *typed_search;    /* the search being typed, while it runs */
  GQueue                cells;           /* every Cell of the table */
  guint                 top_row;         /* at the top of the view */

  GPtrArray            *undo;            /* SdBrowseUndo, the newest last */
  AdwToast             *undo_toast;      /* unowned, while shown */
  gboolean              acting;          /* writing a change of ours */
  char                 *last_due;

  guint                 refresh_id;
  guint                 preview_id;
  guint                 scroll_id;
  guint                 scroll_frames;
  gint64                scroll_to;       /* the row to bring into view, or 0 */
  double                scroll_value;    /* else where to scroll to, or -1 */
  gint64                preview_card;
  gint64                preview_note;
  char                 *source_path;     /* the Markdown note of the previewed card */

  AdwToastOverlay      *toast_overlay;
  GtkToggleButton      *cards_button;
  GtkToggleButton      *notes_button;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkStack             *list_stack;
  GtkScrolledWindow    *scroller;
  GtkColumnView        *column_view;
  AdwStatusPage        *empty_page;
  GtkStack             *preview_stack;
  AdwStatusPage        *preview_status;
  GtkToggleButton      *question_button;
  GtkToggleButton      *answer_button;
  SdCardView           *card_view;
  GtkLabel             *info_label;
  GtkWidget            *edit_button;
  GtkWidget            *source_button;
  GtkLabel             *count_label;
  GtkWidget            *suspend_button;
  GtkWidget            *tags_button;
  GtkWidget            *flag_button;
  GtkWidget            *more_button;
  GMenu                *flag_menu;
  GMenu                *flag_submenu;
  GMenu                *columns_menu;
};

/* sd-browser-window.c */
void           _sd_browser_window_toast                 (SdBrowserWindow *self,
                                                         const char      *text);
void           _sd_browser_window_refresh               (SdBrowserWindow *self);
GArray        *_sd_browser_window_selected_card_ids     (SdBrowserWindow *self,
                                                         GError         **error);
SdBrowserItem *_sd_browser_window_first_selected_item   (SdBrowserWindow *self);

/* sd-browser-actions.c: bulk actions, their dialogs and undo */
void           _sd_browser_window_update_undo_action    (SdBrowserWindow *self);
void           _sd_browser_window_clear_undo            (SdBrowserWindow *self);
void           _sd_browser_window_dismiss_undo_toast    (SdBrowserWindow *self);
void           _sd_browser_window_undo_action           (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void           _sd_browser_window_toggle_suspend_action (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void           _sd_browser_window_toggle_flag_action    (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void           _sd_browser_window_change_deck_action    (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void           _sd_browser_window_tags_action           (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void           _sd_browser_window_set_due_date_action   (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void           _sd_browser_window_forget_action         (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);
void           _sd_browser_window_delete_action         (GtkWidget       *widget,
                                                         const char      *action_name,
                                                         GVariant        *parameter);

G_END_DECLS
