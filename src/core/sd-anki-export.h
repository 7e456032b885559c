/* sd-anki-export.h
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
 * SECTION:sd-anki-export
 * @title: Exporting Anki packages
 * @short_description: a deck or the whole collection as an .apkg
 *
 * Writes the most portable Anki package there is (docs/anki-format.md §10):
 * a zip archive with a schema-11 `collection.anki2`, a JSON `media` map and
 * the media files as `0`, `1`, …; no `meta` member and no
 * `collection.anki21`, so Anki 2.0 to current, AnkiDroid (old and new
 * importers), AnkiMobile and third-party readers all read the real data.
 *
 * What goes in:
 *
 * - the cards of the chosen deck and its subdecks (or of every deck), except
 *   retired cards of notes whose text left their Markdown file; the notes of
 *   those cards; their note types; the decks holding them, all their parents
 *   and the Default deck; the options groups of those decks;
 * - with scheduling: card states (review due dates as day numbers from the
 *   package's `crt`, learning due times in seconds), FSRS memory state in
 *   `cards.data`, and the review log; without it every card is new at its
 *   original new-queue position, flags are cleared, the `marked` and `leech`
 *   tags go and there is no review log, as with Anki's own exporter;
 * - with media: the media files the exported notes refer to, the files
 *   starting with `_` that their templates or styling name, and the images
 *   Markdown notes refer to by a path relative to the note file (their
 *   references become plain media names in the exported fields, with or
 *   without media);
 * - what the importer kept of Anki's own JSON (`anki_extra` of note types,
 *   fields, templates, decks, options groups, notes and cards) goes back out,
 *   under the values StudyDeck owns.
 *
 * Notes made from cards written in Markdown notes get one more tag,
 * `studydeck::source::FILE::HEADING::…` (the note file's name without its
 * extension, then the heading path, spaces as `_`), which names where the
 * card came from without touching the note type's fields.
 *
 * The package is deterministic: it depends only on the collection's content,
 * never on the clock, so exporting unchanged cards twice gives the same
 * bytes, and note guids, note, card, note type and review ids are the
 * collection's own, so Anki recognises the notes again on a second import.
 * `col.crt` is the Default preset's rollover hour (04:00 unless changed),
 * local time, on the earliest of the collection's creation day, the day of
 * its first review and the first review due day, so day numbers are never
 * negative; `col.mod`, `col.scm` and the zip members' times are the latest
 * modification time among the exported objects. The collection member is
 * deflated at zlib level 1, media already compressed are stored.
 *
 * The package is written to a temporary file beside @path and renamed over
 * it once complete; a failed or cancelled export leaves no file behind and
 * an existing file untouched. A package cannot be called `collection.apkg`:
 * AnkiDroid takes that name for a whole-collection backup.
 */

#define SD_ANKI_EXPORT_ERROR (sd_anki_export_error_quark ())

/**
 * SdAnkiExportError:
 * @SD_ANKI_EXPORT_ERROR_RESERVED_NAME: the file name is `collection.apkg`
 * @SD_ANKI_EXPORT_ERROR_NO_DECK: the deck to export does not exist
 * @SD_ANKI_EXPORT_ERROR_IO: writing the package failed
 */
typedef enum
{
  SD_ANKI_EXPORT_ERROR_RESERVED_NAME,
  SD_ANKI_EXPORT_ERROR_NO_DECK,
  SD_ANKI_EXPORT_ERROR_IO,
} SdAnkiExportError;

/**
 * SdAnkiExportOptions:
 * @deck_id: the deck to export with its subdecks, 0 for the whole collection
 * @with_scheduling: export card states and the review log
 * @with_media: put the media files in the package
 */
typedef struct
{
  gint64   deck_id;
  gboolean with_scheduling;
  gboolean with_media;
} SdAnkiExportOptions;

/**
 * SdExportStats:
 * @notes: notes in the package
 * @cards: cards in the package
 * @revlog: review-log entries in the package
 * @media: media files in the package
 * @decks: decks in the package (with parents and Default)
 * @notetypes: note types in the package
 */
typedef struct
{
  guint notes;
  guint cards;
  guint revlog;
  guint media;
  guint decks;
  guint notetypes;
} SdExportStats;

/**
 * SdExportProgress:
 * @done: notes, cards, review-log entries and media files written
 * @total: all of them
 * @user_data: the data given with the callback
 */
typedef void (*SdExportProgress) (guint64  done,
                                  guint64  total,
                                  gpointer user_data);

GQuark    sd_anki_export_error_quark   (void);
void      sd_anki_export_options_init  (SdAnkiExportOptions  *options);
gboolean  sd_anki_export_check_path    (const char           *path,
                                        GError              **error);

gboolean  sd_anki_export_count         (SdCollection         *collection,
                                        gint64                deck_id,
                                        SdExportStats        *stats,
                                        GError              **error);

gboolean  sd_anki_export_package       (SdCollection         *collection,
                                        const char           *path,
                                        const SdAnkiExportOptions *options,
                                        SdExportProgress      progress,
                                        gpointer              progress_data,
                                        GCancellable         *cancellable,
                                        SdExportStats        *stats,
                                        GError              **error);
void      sd_anki_export_async         (SdCollection         *collection,
                                        const char           *path,
                                        const SdAnkiExportOptions *options,
                                        GCancellable         *cancellable,
                                        SdExportProgress      progress,
                                        gpointer              progress_data,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  sd_anki_export_finish        (SdCollection         *collection,
                                        GAsyncResult         *result,
                                        SdExportStats        *stats,
                                        GError              **error);

G_END_DECLS
