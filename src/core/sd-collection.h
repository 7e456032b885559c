/* sd-collection.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_COLLECTION_ERROR (sd_collection_error_quark ())

typedef enum
{
  SD_COLLECTION_ERROR_NOT_A_COLLECTION,
  SD_COLLECTION_ERROR_TOO_NEW,
  SD_COLLECTION_ERROR_CORRUPT,
  SD_COLLECTION_ERROR_IO,
  SD_COLLECTION_ERROR_SQL,
  SD_COLLECTION_ERROR_NOT_FOUND,
  SD_COLLECTION_ERROR_INVALID,
  SD_COLLECTION_ERROR_BUSY,
} SdCollectionError;

/* The schema version this build writes; files with a higher one are refused. */
#define SD_COLLECTION_SCHEMA_VERSION 3

/* PRAGMA application_id of every StudyDeck collection ("SDck"). */
#define SD_COLLECTION_APPLICATION_ID 0x5344636b

typedef struct
{
  int schema;
  gint64 decks;
  gint64 notetypes;
  gint64 notes;
  gint64 cards;
  gint64 revlog;
  gint64 media;
} SdCollectionCounts;

#define SD_TYPE_COLLECTION (sd_collection_get_type ())
G_DECLARE_FINAL_TYPE (SdCollection, sd_collection, SD, COLLECTION, GObject)

GQuark        sd_collection_error_quark        (void);
char         *sd_collection_default_path       (void);
SdCollection *sd_collection_open               (const char          *path,
                                                GError             **error);
SdCollection *sd_collection_open_reader        (SdCollection        *self,
                                                GError             **error);
const char   *sd_collection_get_path           (SdCollection        *self);
const char   *sd_collection_get_media_dir      (SdCollection        *self);
int           sd_collection_get_schema_version (SdCollection        *self);
const char   *sd_collection_get_backup_path    (SdCollection        *self);
gboolean      sd_collection_begin              (SdCollection        *self,
                                                GError             **error);
gboolean      sd_collection_commit             (SdCollection        *self,
                                                GError             **error);
void          sd_collection_rollback           (SdCollection        *self);
gboolean      sd_collection_in_transaction     (SdCollection        *self);
gboolean      sd_collection_get_counts         (SdCollection        *self,
                                                SdCollectionCounts  *counts,
                                                GError             **error);
char         *sd_collection_get_config         (SdCollection        *self,
                                                const char          *key);
gboolean      sd_collection_set_config         (SdCollection        *self,
                                                const char          *key,
                                                const char          *value,
                                                GError             **error);
gint64        sd_collection_get_created        (SdCollection        *self);
gboolean      sd_collection_check_integrity    (SdCollection        *self,
                                                GError             **error);
void          sd_collection_notify_changed     (SdCollection        *self);

G_END_DECLS
