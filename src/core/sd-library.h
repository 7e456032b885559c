/* sd-library.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

/* Larger notes are listed with an error instead of being read. */
#define SD_LIBRARY_MAX_NOTE_SIZE (20 * 1024 * 1024)

typedef struct
{
  gint64  id;
  char   *path;
} SdNoteFolder;

typedef struct
{
  gint64  id;
  gint64  folder_id;
  char   *path;      /* absolute */
  char   *relpath;   /* inside its folder */
  char   *title;
  char   *error;     /* why it could not be read, or "" */
  gint64  mtime;     /* microseconds */
  gint64  size;
} SdNoteFile;

typedef struct
{
  int    level;
  char  *text;
  int    line;       /* 1-based, in the file */
} SdNoteHeading;

typedef struct
{
  guint added;
  guint updated;
  guint removed;
  guint unchanged;
  guint failed;
} SdScanStats;

/* Where a search term matched inside a snippet. */
#define SD_LIBRARY_MATCH_START "\x02"
#define SD_LIBRARY_MATCH_END   "\x03"

typedef struct
{
  gint64  file_id;
  char   *path;
  char   *title;
  char   *heading;   /* "" for the text before the first heading */
  int     line;
  char   *snippet;   /* matches between SD_LIBRARY_MATCH_START and _END */
  double  rank;      /* lower is better */
} SdNoteHit;

void        sd_note_hit_free           (SdNoteHit      *hit);
char       *sd_library_fts_query       (const char     *query);
GPtrArray  *sd_library_search          (SdCollection   *collection,
                                        const char     *query,
                                        guint           limit,
                                        GError        **error);
void        sd_note_folder_free        (SdNoteFolder   *folder);
void        sd_note_file_free          (SdNoteFile     *file);
void        sd_note_heading_free       (SdNoteHeading  *heading);

gint64      sd_library_add_folder      (SdCollection   *collection,
                                        const char     *path,
                                        GError        **error);
gboolean    sd_library_remove_folder   (SdCollection   *collection,
                                        gint64          folder_id,
                                        GError        **error);
GPtrArray  *sd_library_list_folders    (SdCollection   *collection,
                                        GError        **error);
gboolean    sd_library_scan            (SdCollection   *collection,
                                        GCancellable   *cancellable,
                                        SdScanStats    *stats,
                                        GError        **error);
void        sd_library_scan_async      (SdCollection   *collection,
                                        GCancellable   *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer        user_data);
gboolean    sd_library_scan_finish     (SdCollection   *collection,
                                        GAsyncResult   *result,
                                        SdScanStats    *stats,
                                        GError        **error);
GPtrArray  *sd_library_list_files      (SdCollection   *collection,
                                        GError        **error);
SdNoteFile *sd_library_find_file       (SdCollection   *collection,
                                        const char     *path);
GPtrArray  *sd_library_list_headings   (SdCollection   *collection,
                                        gint64          file_id,
                                        GError        **error);
char       *sd_library_title_for_text  (const char     *text,
                                        const char     *file_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdNoteFolder, sd_note_folder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdNoteFile, sd_note_file_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdNoteHit, sd_note_hit_free)

G_END_DECLS
