/* sd-anki-import.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sd-collection.h"

G_BEGIN_DECLS

/**
 * SECTION:sd-anki-import
 * @title: Importing Anki packages
 * @short_description: .apkg and .colpkg into a StudyDeck collection
 *
 * Reads schema-11 (`collection.anki2`, `collection.anki21`) and schema-18
 * (`collection.anki21b`) collections out of an Anki package and merges them
 * into a StudyDeck collection, following what Anki's own importer does:
 *
 * - note types are matched on id and layout; a taken id with another layout
 *   gets a new note type (the original JSON stays in `anki_extra`);
 * - decks are matched on their full name, options groups on id (Anki's
 *   group 1 is StudyDeck's Default preset, which is left as it is);
 *   filtered decks become normal decks and their cards go back to their
 *   home decks;
 * - notes are matched on guid: an existing note is updated when the
 *   package's copy was modified later, and skipped otherwise;
 * - only cards the package has are added, never an (note, template) pair the
 *   collection already has; review due days are moved so that a card due in
 *   k days in Anki is due in k days here; FSRS memory state comes from the
 *   card's data or, failing that, from replaying its review log;
 * - review-log entries are added for the cards this import added, unless an
 *   entry with the same id exists;
 * - media files are copied only when an imported note refers to them, or
 *   when their names start with `_` or `latex-`.
 *
 * A `.colpkg` (a whole Anki collection) is imported the same way: it is
 * merged into the collection, which is never wiped.
 *
 * Everything happens in one transaction. Media files are written before it
 * commits and removed again if the import fails or is cancelled, so a failed
 * import leaves the collection and its media folder as they were. Importing
 * the same package twice adds nothing the second time.
 */

#define SD_ANKI_IMPORT_ERROR (sd_anki_import_error_quark ())

/**
 * SdAnkiImportError:
 * @SD_ANKI_IMPORT_ERROR_CORRUPT: the collection inside the package is damaged
 * @SD_ANKI_IMPORT_ERROR_TOO_NEW: the collection was written by a newer Anki
 * @SD_ANKI_IMPORT_ERROR_INVALID: a note, card or note type cannot be imported
 *   (wrong field count, invalid UTF-8, …)
 * @SD_ANKI_IMPORT_ERROR_UNKNOWN_FORMAT: the file is neither a package nor text
 */
typedef enum
{
  SD_ANKI_IMPORT_ERROR_CORRUPT,
  SD_ANKI_IMPORT_ERROR_TOO_NEW,
  SD_ANKI_IMPORT_ERROR_INVALID,
  SD_ANKI_IMPORT_ERROR_UNKNOWN_FORMAT,
} SdAnkiImportError;

/**
 * SdImportStats:
 * @notes: notes added
 * @cards: cards added
 * @revlog: review-log entries added
 * @media: media files added to the media folder
 * @decks: decks created
 * @notetypes: note types created
 * @updated: existing notes updated from a newer copy in the package
 * @skipped: notes, cards, review-log entries and media files the collection
 *   already had (or had in a newer version), and cards whose note is missing
 *
 * What an import did. The first six count what the package held and this
 * import added; a second import of the same package adds nothing and counts
 * everything as skipped.
 */
typedef struct
{
  guint notes;
  guint cards;
  guint revlog;
  guint media;
  guint decks;
  guint notetypes;
  guint updated;
  guint skipped;
} SdImportStats;

/**
 * SdImportProgress:
 * @done: work items finished (notes, cards, review-log entries, media files)
 * @total: all work items, 0 while unknown
 * @user_data: the data given with the callback
 *
 * Reports how far an import got.
 */
typedef void (*SdImportProgress) (guint64  done,
                                  guint64  total,
                                  gpointer user_data);

GQuark    sd_anki_import_error_quark (void);

gboolean  sd_anki_import_file        (SdCollection         *collection,
                                      const char           *path,
                                      SdImportProgress      progress,
                                      gpointer              progress_data,
                                      GCancellable         *cancellable,
                                      SdImportStats        *stats,
                                      GError              **error);
gboolean  sd_anki_import_package     (SdCollection         *collection,
                                      const char           *path,
                                      SdImportProgress      progress,
                                      gpointer              progress_data,
                                      GCancellable         *cancellable,
                                      SdImportStats        *stats,
                                      GError              **error);
void      sd_anki_import_async       (SdCollection         *collection,
                                      const char           *path,
                                      GCancellable         *cancellable,
                                      SdImportProgress      progress,
                                      gpointer              progress_data,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean  sd_anki_import_finish      (SdCollection         *collection,
                                      GAsyncResult         *result,
                                      SdImportStats        *stats,
                                      GError              **error);

G_END_DECLS
