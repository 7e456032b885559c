/* sd-csv-import.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sd-anki-import.h"
#include "sd-collection.h"

G_BEGIN_DECLS

/**
 * SECTION:sd-csv-import
 * @title: Importing text files
 * @short_description: Anki's CSV/TSV note format
 *
 * One note per line (records may span lines inside double quotes, a doubled
 * `""` being one quote), fields separated by a tab, comma, semicolon, pipe,
 * colon or space. The first lines may be headers, as Anki writes them:
 *
 * |[
 * #separator:tab          (or comma, semicolon, pipe, colon, space, or the character)
 * #html:true              (fields are HTML; otherwise < > & are escaped)
 * #deck:Languages::French
 * #notetype:Basic
 * #columns:Front	Back	Tags
 * #tags column:3          (1-based)
 * #deck column:4
 * #notetype column:5
 * #guid column:6
 * #tags:added imported    (tags for every note)
 * ]|
 *
 * Without `#separator:` the separator is detected from the first data line
 * as Anki does (tab, then pipe, semicolon, comma, colon, and space). Columns
 * map to the note type's fields in order unless #SdCsvImportOptions.field_columns
 * or a `#columns:` header naming the fields says otherwise; a note with an
 * existing guid (or, without a guid column, with the same first field in the
 * same note type) is updated when its content differs, and skipped when it
 * is the same. Each new note gets the cards of its note type's templates
 * whose front side is not empty (cloze: one per deletion number).
 */

/**
 * SdCsvImportOptions:
 * @separator: the field separator, 0 to use the header or detect it
 * @html: 1 fields are HTML, 0 plain text (escaped), -1 from the `#html:`
 *   header (default plain text)
 * @deck: (nullable): the deck for notes without a deck column; %NULL: the
 *   `#deck:` header, else "Default"
 * @notetype: (nullable): the note type's name; %NULL: the `#notetype:`
 *   header, else the stock Basic note type
 * @tags_column: 1-based column with space-separated tags, 0 none, -1 header
 * @deck_column: 1-based column with deck names, 0 none, -1 header
 * @notetype_column: 1-based column with note type names, 0 none, -1 header
 * @guid_column: 1-based column with guids, 0 none, -1 header
 * @field_columns: (nullable) (array length=n_field_columns): for field i of
 *   the note type, the 1-based column it comes from (0 = left empty); %NULL:
 *   columns in field order, skipping the tags/deck/note type/guid columns
 * @n_field_columns: the length of @field_columns
 * @extra_tags: (nullable): tags added to every imported note
 *
 * Initialise with sd_csv_import_options_init().
 */
typedef struct
{
  gunichar            separator;
  int                 html;
  const char         *deck;
  const char         *notetype;
  int                 tags_column;
  int                 deck_column;
  int                 notetype_column;
  int                 guid_column;
  const int          *field_columns;
  guint               n_field_columns;
  const char * const *extra_tags;
} SdCsvImportOptions;

#define SD_CSV_IMPORT_ERROR (sd_csv_import_error_quark ())

/**
 * SdCsvImportError:
 * @SD_CSV_IMPORT_ERROR_ENCODING: the file is not UTF-8 text
 * @SD_CSV_IMPORT_ERROR_SYNTAX: a quoted field is not closed, or a header is wrong
 * @SD_CSV_IMPORT_ERROR_NOTETYPE: the note type does not exist
 * @SD_CSV_IMPORT_ERROR_EMPTY: the file holds no notes
 */
typedef enum
{
  SD_CSV_IMPORT_ERROR_ENCODING,
  SD_CSV_IMPORT_ERROR_SYNTAX,
  SD_CSV_IMPORT_ERROR_NOTETYPE,
  SD_CSV_IMPORT_ERROR_EMPTY,
} SdCsvImportError;

GQuark    sd_csv_import_error_quark   (void);
void      sd_csv_import_options_init  (SdCsvImportOptions  *options);
gboolean  sd_csv_import_file          (SdCollection        *collection,
                                       const char          *path,
                                       const SdCsvImportOptions *options,
                                       SdImportProgress     progress,
                                       gpointer             progress_data,
                                       GCancellable        *cancellable,
                                       SdImportStats       *stats,
                                       GError             **error);
gboolean  sd_csv_import_text          (SdCollection        *collection,
                                       const char          *text,
                                       gssize               len,
                                       const char          *name,
                                       const SdCsvImportOptions *options,
                                       SdImportProgress     progress,
                                       gpointer             progress_data,
                                       GCancellable        *cancellable,
                                       SdImportStats       *stats,
                                       GError             **error);

G_END_DECLS
