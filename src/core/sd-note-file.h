/* sd-note-file.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reading and writing the user's Markdown note files. Notes are the user's
 * own files: they are read as they are and written only on an explicit
 * save, atomically, with their permissions kept. */

#define SD_NOTE_FILE_ERROR (sd_note_file_error_quark ())

typedef enum
{
  SD_NOTE_FILE_ERROR_TOO_LARGE,
  SD_NOTE_FILE_ERROR_BINARY,
  SD_NOTE_FILE_ERROR_NOT_UTF8,
  SD_NOTE_FILE_ERROR_CONFLICT,
} SdNoteFileError;

/* Larger notes are listed with an error instead of being read. */
#define SD_NOTE_FILE_MAX_SIZE (20 * 1024 * 1024)

GQuark    sd_note_file_error_quark (void);
char     *sd_note_file_read        (const char  *path,
                                    char       **hash,
                                    GError     **error);
char     *sd_note_file_check_text  (char        *contents,
                                    gsize        len,
                                    GError     **error);
char     *sd_note_file_hash        (const char  *text);
gboolean  sd_note_file_save        (const char  *path,
                                    const char  *text,
                                    const char  *expected_hash,
                                    char       **new_hash,
                                    GError     **error);

G_END_DECLS
