/* sd-anki-package.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SECTION:sd-anki-package
 * @title: Anki package container
 * @short_description: the zip side of .apkg and .colpkg files
 *
 * An Anki package is a zip archive holding one SQLite collection, a media
 * map and the media files named `0`, `1`, … (see docs/anki-format.md §1–3).
 * This module reads the container only: it lists the members, decides which
 * collection file Anki itself would read (the `meta` member first, then
 * `collection.anki21`, then `collection.anki2`, never the "please update"
 * placeholder beside a newer file), extracts it to a temporary file
 * (decompressing zstd as a stream), and reads the legacy JSON or the v3
 * protobuf media map and the media members.
 *
 * Packages come from strangers, so every size is capped: the total number of
 * bytes extracted (4 GiB by default), and the expansion ratio of anything
 * larger than 64 MiB (200:1 by default), whether the zip headers declare it
 * or the decompressor produces it. Media names are checked to be plain file
 * names when the map is read.
 */

#define SD_ANKI_PACKAGE_ERROR (sd_anki_package_error_quark ())

/**
 * SdAnkiPackageError:
 * @SD_ANKI_PACKAGE_ERROR_NOT_A_PACKAGE: the file is not a zip archive
 * @SD_ANKI_PACKAGE_ERROR_DAMAGED: the archive, a compressed stream or the
 *   media map is damaged or truncated
 * @SD_ANKI_PACKAGE_ERROR_NO_COLLECTION: the archive holds no collection
 * @SD_ANKI_PACKAGE_ERROR_TOO_NEW: the package was made by a newer Anki
 * @SD_ANKI_PACKAGE_ERROR_TOO_LARGE: a member would expand beyond the limits
 * @SD_ANKI_PACKAGE_ERROR_UNSAFE_NAME: a media file name is not a plain file name
 * @SD_ANKI_PACKAGE_ERROR_IO: reading the package or writing the temporary
 *   file failed
 */
typedef enum
{
  SD_ANKI_PACKAGE_ERROR_NOT_A_PACKAGE,
  SD_ANKI_PACKAGE_ERROR_DAMAGED,
  SD_ANKI_PACKAGE_ERROR_NO_COLLECTION,
  SD_ANKI_PACKAGE_ERROR_TOO_NEW,
  SD_ANKI_PACKAGE_ERROR_TOO_LARGE,
  SD_ANKI_PACKAGE_ERROR_UNSAFE_NAME,
  SD_ANKI_PACKAGE_ERROR_IO,
} SdAnkiPackageError;

/**
 * SdAnkiPackageVersion:
 * @SD_ANKI_PACKAGE_VERSION_UNKNOWN: `meta` says 0 or a number we do not know
 * @SD_ANKI_PACKAGE_VERSION_LEGACY_1: `collection.anki2`, JSON media map
 * @SD_ANKI_PACKAGE_VERSION_LEGACY_2: `collection.anki21`, JSON media map
 * @SD_ANKI_PACKAGE_VERSION_LATEST: zstd `collection.anki21b`, protobuf media
 *   map, zstd media members
 *
 * Anki's `PackageMetadata.Version`; packages without `meta` are legacy 1 or 2.
 */
typedef enum
{
  SD_ANKI_PACKAGE_VERSION_UNKNOWN = 0,
  SD_ANKI_PACKAGE_VERSION_LEGACY_1 = 1,
  SD_ANKI_PACKAGE_VERSION_LEGACY_2 = 2,
  SD_ANKI_PACKAGE_VERSION_LATEST = 3,
} SdAnkiPackageVersion;

/**
 * SdAnkiMediaEntry:
 * @name: the real file name (checked with sd_media_check_name())
 * @member: the zip member holding the bytes ("0", "1", …)
 * @size: the uncompressed size the v3 map promises, or 0 when unknown
 * @has_sha1: whether @sha1 is set (v3 maps)
 * @sha1: SHA-1 of the uncompressed bytes
 */
typedef struct
{
  char    *name;
  char    *member;
  guint64  size;
  gboolean has_sha1;
  guint8   sha1[20];
} SdAnkiMediaEntry;

/* The default caps; see sd_anki_package_set_limits(). */
#define SD_ANKI_PACKAGE_MAX_TOTAL (G_GUINT64_CONSTANT (4) << 30)
#define SD_ANKI_PACKAGE_MAX_RATIO 200
#define SD_ANKI_PACKAGE_RATIO_FLOOR (G_GUINT64_CONSTANT (64) << 20)

typedef struct _SdAnkiPackage SdAnkiPackage;

GQuark                sd_anki_package_error_quark            (void);
SdAnkiPackage        *sd_anki_package_open                   (const char            *path,
                                                              GError               **error);
void                  sd_anki_package_free                   (SdAnkiPackage         *package);
void                  sd_anki_package_set_limits             (SdAnkiPackage         *package,
                                                              guint64                max_total,
                                                              guint                  max_ratio);
const char           *sd_anki_package_get_path               (SdAnkiPackage         *package);
const char           *sd_anki_package_get_display_name       (SdAnkiPackage         *package);
GStrv                 sd_anki_package_list_members           (SdAnkiPackage         *package);
gboolean              sd_anki_package_has_member             (SdAnkiPackage         *package,
                                                              const char            *name);
SdAnkiPackageVersion  sd_anki_package_get_version            (SdAnkiPackage         *package);
gboolean              sd_anki_package_has_meta               (SdAnkiPackage         *package);
const char           *sd_anki_package_get_collection_member  (SdAnkiPackage         *package);
guint64               sd_anki_package_get_collection_size    (SdAnkiPackage         *package);
char                 *sd_anki_package_extract_collection     (SdAnkiPackage         *package,
                                                              const char            *dir,
                                                              GCancellable          *cancellable,
                                                              GError               **error);
GPtrArray            *sd_anki_package_read_media_map         (SdAnkiPackage         *package,
                                                              GError               **error);
GBytes               *sd_anki_package_read_media             (SdAnkiPackage         *package,
                                                              const SdAnkiMediaEntry *entry,
                                                              GCancellable          *cancellable,
                                                              GError               **error);
void                  sd_anki_media_entry_free               (SdAnkiMediaEntry      *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdAnkiPackage, sd_anki_package_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdAnkiMediaEntry, sd_anki_media_entry_free)

G_END_DECLS
