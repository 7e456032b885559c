/* sd-browser-model.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sd-browse.h"

G_BEGIN_DECLS

/* The text of a cell, one for each column that shows text. */
typedef enum
{
  SD_BROWSER_TEXT_SORT_FIELD,
  SD_BROWSER_TEXT_TEMPLATE,
  SD_BROWSER_TEXT_DECK,
  SD_BROWSER_TEXT_DUE,
  SD_BROWSER_TEXT_INTERVAL,
  SD_BROWSER_TEXT_EASE,
  SD_BROWSER_TEXT_REVIEWS,
  SD_BROWSER_TEXT_LAPSES,
  SD_BROWSER_TEXT_NOTETYPE,
  SD_BROWSER_TEXT_TAGS,
  SD_BROWSER_TEXT_CREATED,
  SD_BROWSER_TEXT_MODIFIED,
  SD_BROWSER_N_TEXTS
} SdBrowserText;

#define SD_TYPE_BROWSER_ITEM (sd_browser_item_get_type ())
G_DECLARE_FINAL_TYPE (SdBrowserItem, sd_browser_item, SD, BROWSER_ITEM, GObject)

#define SD_TYPE_BROWSER_MODEL (sd_browser_model_get_type ())
G_DECLARE_FINAL_TYPE (SdBrowserModel, sd_browser_model, SD, BROWSER_MODEL, GObject)

gint64             sd_browser_item_get_id        (SdBrowserItem   *self);
const SdBrowseRow *sd_browser_item_get_row       (SdBrowserItem   *self);
const char        *sd_browser_item_get_text      (SdBrowserItem   *self,
                                                  SdBrowserText    text);

SdBrowserModel    *sd_browser_model_new          (SdCollection    *collection);
SdCollection      *sd_browser_model_get_collection (SdBrowserModel *self);
gboolean           sd_browser_model_search       (SdBrowserModel  *self,
                                                  gboolean         notes,
                                                  const char      *query,
                                                  SdBrowseColumn   column,
                                                  gboolean         ascending,
                                                  GError         **error);
void               sd_browser_model_search_async (SdBrowserModel      *self,
                                                  gboolean             notes,
                                                  const char          *query,
                                                  SdBrowseColumn       column,
                                                  gboolean             ascending,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           sd_browser_model_search_finish (SdBrowserModel  *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);
gboolean           sd_browser_model_refresh      (SdBrowserModel  *self,
                                                  GError         **error);
gboolean           sd_browser_model_get_notes    (SdBrowserModel  *self);
gint64             sd_browser_model_get_id       (SdBrowserModel  *self,
                                                  guint            position);
guint              sd_browser_model_find         (SdBrowserModel  *self,
                                                  gint64           id);
void               sd_browser_model_prefetch     (SdBrowserModel  *self,
                                                  guint            position,
                                                  guint            n);
guint              sd_browser_model_get_n_loaded (SdBrowserModel  *self);

G_END_DECLS
