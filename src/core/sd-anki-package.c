/* sd-anki-package.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <zip.h>
#include <zstd.h>

#include "sd-anki-package.h"
#include "sd-media.h"
#include "sd-protobuf.h"

#define CHUNK_SIZE (128 * 1024)

/* Small members (meta, the media map) are read whole; nothing legitimate
 * comes close to this. */
#define MAX_SMALL_MEMBER (G_GUINT64_CONSTANT (256) << 20)

/* One media file is held in memory while it is copied. */
#define MAX_MEDIA_FILE (G_GUINT64_CONSTANT (2) << 30)

struct _SdAnkiPackage
{
  char                 *path;
  char                 *display_name;
  zip_t                *zip;
  GHashTable           *members;        /* name -> index + 1 */
  GPtrArray            *member_names;
  SdAnkiPackageVersion  version;
  gboolean              has_meta;
  const char           *collection_member;
  gboolean              collection_zstd;
  guint64               max_total;
  guint                 max_ratio;
  guint64               extracted;      /* bytes produced so far, against max_total */
};

G_DEFINE_QUARK (sd-anki-package-error-quark, sd_anki_package_error)

typedef gboolean (*SinkFunc) (const guint8  *data,
                              gsize          len,
                              gpointer       user_data,
                              GError       **error);

void
sd_anki_media_entry_free (SdAnkiMediaEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->member);
  g_free (entry);
}

void
sd_anki_package_free (SdAnkiPackage *package)
{
  if (package == NULL)
    return;
  if (package->zip != NULL)
    zip_discard (package->zip);
  g_clear_pointer (&package->members, g_hash_table_unref);
  g_clear_pointer (&package->member_names, g_ptr_array_unref);
  g_free (package->path);
  g_free (package->display_name);
  g_free (package);
}

static gboolean
file_starts_with_zip_magic (const char *path)
{
  guint8 magic[4] = { 0 };
  FILE *file = g_fopen (path, "rb");
  gsize n;

  if (file == NULL)
    return FALSE;
  n = fread (magic, 1, sizeof magic, file);
  fclose (file);
  return n == 4 && magic[0] == 'P' && magic[1] == 'K'
         && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

static gint64
member_index (SdAnkiPackage *package,
              const char    *name)
{
  gpointer value = g_hash_table_lookup (package->members, name);

  return value != NULL ? (gint64) GPOINTER_TO_SIZE (value) - 1 : -1;
}

gboolean
sd_anki_package_has_member (SdAnkiPackage *package,
                            const char    *name)
{
  return member_index (package, name) >= 0;
}

/* Streams one member through an optional zstd decoder into @sink, enforcing
 * the size and ratio caps on what the headers declare and on what actually
 * comes out. */
static gboolean
read_member (SdAnkiPackage  *package,
             const char     *name,
             gboolean        zstd,
             guint64         max_out,
             SinkFunc        sink,
             gpointer        sink_data,
             guint64        *out_size,
             GCancellable   *cancellable,
             GError        **error)
{
  gint64 index = member_index (package, name);
  zip_stat_t st;
  zip_file_t *file = NULL;
  ZSTD_DStream *dstream = NULL;
  g_autofree guint8 *in_buf = NULL;
  g_autofree guint8 *out_buf = NULL;
  guint64 raw_total = 0;
  guint64 out_total = 0;
  guint64 budget;
  size_t zstd_pending = 1;
  gboolean ok = FALSE;

  if (index < 0)
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: the member “%s” is missing"),
                   package->display_name, name);
      return FALSE;
    }

  zip_stat_init (&st);
  if (zip_stat_index (package->zip, (zip_uint64_t) index, 0, &st) != 0)
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: cannot read the header of “%s”: %s"),
                   package->display_name, name, zip_strerror (package->zip));
      return FALSE;
    }

  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s”: the member “%s” is encrypted, which Anki packages never are"),
                   package->display_name, name);
      return FALSE;
    }

  budget = package->max_total > package->extracted ? package->max_total - package->extracted : 0;
  budget = MIN (budget, max_out);

  /* What the headers declare is checked before anything is written. */
  if (st.valid & ZIP_STAT_SIZE)
    {
      if (!zstd && st.size > budget)
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_TOO_LARGE,
                       _("“%s”: the member “%s” would expand to %" G_GUINT64_FORMAT
                         " bytes, more than the %" G_GUINT64_FORMAT " bytes allowed"),
                       package->display_name, name, (guint64) st.size, budget);
          return FALSE;
        }
      if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > SD_ANKI_PACKAGE_RATIO_FLOOR
          && st.size / MAX (st.comp_size, 1) >= package->max_ratio)
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_TOO_LARGE,
                       _("“%s”: the member “%s” claims to expand %" G_GUINT64_FORMAT
                         " bytes into %" G_GUINT64_FORMAT " (more than %u times); "
                         "this looks like a zip bomb"),
                       package->display_name, name, (guint64) st.comp_size,
                       (guint64) st.size, package->max_ratio);
          return FALSE;
        }
    }

  file = zip_fopen_index (package->zip, (zip_uint64_t) index, 0);
  if (file == NULL)
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: cannot open the member “%s”: %s"),
                   package->display_name, name, zip_strerror (package->zip));
      return FALSE;
    }

  in_buf = g_malloc (CHUNK_SIZE);
  if (zstd)
    {
      out_buf = g_malloc (CHUNK_SIZE);
      dstream = ZSTD_createDStream ();
      if (dstream == NULL || ZSTD_isError (ZSTD_initDStream (dstream)))
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_IO,
                       _("Could not start the zstd decoder"));
          goto out;
        }
      /* A hostile frame must not make us reserve a huge window. */
      ZSTD_DCtx_setParameter (dstream, ZSTD_d_windowLogMax, 27);
    }

  for (;;)
    {
      zip_int64_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      n = zip_fread (file, in_buf, CHUNK_SIZE);
      if (n < 0)
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                       _("“%s” is damaged or truncated: reading “%s” failed: %s"),
                       package->display_name, name, zip_file_strerror (file));
          goto out;
        }
      if (n == 0)
        break;
      raw_total += (guint64) n;

      if ((st.valid & ZIP_STAT_SIZE) && raw_total > st.size)
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                       _("“%s” is damaged: the member “%s” is larger than its header says"),
                       package->display_name, name);
          goto out;
        }

      if (!zstd)
        {
          out_total += (guint64) n;
          if (out_total > budget)
            goto too_large;
          if (!sink (in_buf, (gsize) n, sink_data, error))
            goto out;
          continue;
        }

      {
        ZSTD_inBuffer input = { in_buf, (size_t) n, 0 };

        while (input.pos < input.size)
          {
            ZSTD_outBuffer output = { out_buf, CHUNK_SIZE, 0 };

            zstd_pending = ZSTD_decompressStream (dstream, &output, &input);
            if (ZSTD_isError (zstd_pending))
              {
                g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                             _("“%s” is damaged: the zstd data in “%s” cannot be "
                               "decompressed: %s"),
                             package->display_name, name, ZSTD_getErrorName (zstd_pending));
                goto out;
              }
            out_total += output.pos;
            if (out_total > budget)
              goto too_large;
            if (out_total > SD_ANKI_PACKAGE_RATIO_FLOOR
                && out_total / MAX (raw_total, 1) >= package->max_ratio)
              goto bomb;
            if (output.pos > 0 && !sink (out_buf, output.pos, sink_data, error))
              goto out;
            if (g_cancellable_set_error_if_cancelled (cancellable, error))
              goto out;
          }

        /* Flush what the decoder still holds for this input. */
        while (zstd_pending != 0)
          {
            ZSTD_outBuffer output = { out_buf, CHUNK_SIZE, 0 };

            zstd_pending = ZSTD_decompressStream (dstream, &output, &input);
            if (ZSTD_isError (zstd_pending))
              {
                g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                             _("“%s” is damaged: the zstd data in “%s” cannot be "
                               "decompressed: %s"),
                             package->display_name, name, ZSTD_getErrorName (zstd_pending));
                goto out;
              }
            if (output.pos == 0)
              break;
            out_total += output.pos;
            if (out_total > budget)
              goto too_large;
            if (out_total > SD_ANKI_PACKAGE_RATIO_FLOOR
                && out_total / MAX (raw_total, 1) >= package->max_ratio)
              goto bomb;
            if (!sink (out_buf, output.pos, sink_data, error))
              goto out;
            if (g_cancellable_set_error_if_cancelled (cancellable, error))
              goto out;
          }
      }
    }

  if (zstd && zstd_pending != 0)
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged or truncated: the zstd data in “%s” ends early"),
                   package->display_name, name);
      goto out;
    }

  package->extracted += out_total;
  if (out_size != NULL)
    *out_size = out_total;
  ok = TRUE;
  goto out;

too_large:
  g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_TOO_LARGE,
               _("“%s”: the member “%s” expands to more than %" G_GUINT64_FORMAT
                 " bytes, more than allowed; this looks like a zip bomb"),
               package->display_name, name, budget);
  goto out;

bomb:
  g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_TOO_LARGE,
               _("“%s”: the member “%s” expands more than %u times; "
                 "this looks like a zip bomb"),
               package->display_name, name, package->max_ratio);

out:
  if (dstream != NULL)
    ZSTD_freeDStream (dstream);
  zip_fclose (file);
  return ok;
}

static gboolean
byte_array_sink (const guint8  *data,
                 gsize          len,
                 gpointer       user_data,
                 GError       **error)
{
  g_byte_array_append (user_data, data, (guint) len);
  return TRUE;
}

static GBytes *
read_small_member (SdAnkiPackage  *package,
                   const char     *name,
                   gboolean        zstd,
                   guint64        max_size,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  if (!read_member (package, name, zstd, max_size, byte_array_sink, bytes, NULL,
                    cancellable, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static gboolean
read_meta (SdAnkiPackage  *package,
           GError        **error)
{
  g_autoptr(GBytes) bytes = read_small_member (package, "meta", FALSE, 1 << 20, NULL, error);
  SdProtobufReader reader;
  guint64 version = 0;
  gboolean has_field;
  gsize len;
  const guint8 *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  sd_protobuf_reader_init (&reader, data, len);
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (!sd_protobuf_reader_next (&reader, &has_field, &local_error))
        goto bad;
      if (!has_field)
        break;
      if (reader.field == 1 && reader.wire_type == SD_PROTOBUF_VARINT)
        {
          if (!sd_protobuf_read_varint (&reader, &version, &local_error))
            goto bad;
        }
      else if (!sd_protobuf_skip (&reader, &local_error))
        goto bad;
      continue;

bad:
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: its “meta” member cannot be read (%s)"),
                   package->display_name, local_error->message);
      return FALSE;
    }

  if (version < SD_ANKI_PACKAGE_VERSION_LEGACY_1 || version > SD_ANKI_PACKAGE_VERSION_LATEST)
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_TOO_NEW,
                   _("“%s” was made by a newer version of Anki (package format %"
                     G_GUINT64_FORMAT "; this version reads 1 to 3). Export it again "
                     "with “Support older Anki versions” ticked."),
                   package->display_name, version);
      return FALSE;
    }

  package->version = (SdAnkiPackageVersion) version;
  return TRUE;
}

static gboolean
choose_collection (SdAnkiPackage  *package,
                   GError        **error)
{
  static const char *const names[] = {
    [SD_ANKI_PACKAGE_VERSION_LEGACY_1] = "collection.anki2",
    [SD_ANKI_PACKAGE_VERSION_LEGACY_2] = "collection.anki21",
    [SD_ANKI_PACKAGE_VERSION_LATEST] = "collection.anki21b",
  };

  if (sd_anki_package_has_member (package, "meta"))
    {
      package->has_meta = TRUE;
      if (!read_meta (package, error))
        return FALSE;
      if (!sd_anki_package_has_member (package, names[package->version]))
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_NO_COLLECTION,
                       _("“%s” holds no collection: its “meta” member names “%s”, "
                         "which is missing"),
                       package->display_name, names[package->version]);
          return FALSE;
        }
    }
  else if (sd_anki_package_has_member (package, "collection.anki21"))
    package->version = SD_ANKI_PACKAGE_VERSION_LEGACY_2;
  else if (sd_anki_package_has_member (package, "collection.anki21b"))
    /* Anki itself would fall back to the placeholder here; the newer file is
     * the real data, so read it. */
    package->version = SD_ANKI_PACKAGE_VERSION_LATEST;
  else if (sd_anki_package_has_member (package, "collection.anki2"))
    package->version = SD_ANKI_PACKAGE_VERSION_LEGACY_1;
  else
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_NO_COLLECTION,
                   _("“%s” holds no Anki collection (none of collection.anki2, "
                     "collection.anki21 or collection.anki21b is in it)"),
                   package->display_name);
      return FALSE;
    }

  package->collection_member = names[package->version];
  package->collection_zstd = package->version == SD_ANKI_PACKAGE_VERSION_LATEST;
  return TRUE;
}

/**
 * sd_anki_package_open:
 * @path: an .apkg or .colpkg file
 *
 * Opens the zip archive, reads `meta` and decides which collection to read.
 *
 * Returns: (transfer full): the package, or %NULL with @error set
 *   (#SD_ANKI_PACKAGE_ERROR)
 */
SdAnkiPackage *
sd_anki_package_open (const char  *path,
                      GError     **error)
{
  g_autoptr(SdAnkiPackage) package = g_new0 (SdAnkiPackage, 1);
  g_autofree char *base = g_path_get_basename (path);
  zip_int64_t n_entries;
  int zerr = 0;

  package->path = g_strdup (path);
  package->display_name = g_filename_display_name (base);
  package->max_total = SD_ANKI_PACKAGE_MAX_TOTAL;
  package->max_ratio = SD_ANKI_PACKAGE_MAX_RATIO;
  package->members = g_hash_table_new (g_str_hash, g_str_equal);
  package->member_names = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_IO,
                   _("Cannot import “%s”: %s"), package->display_name,
                   g_file_test (path, G_FILE_TEST_EXISTS) ? _("it is not a regular file")
                                                          : _("no such file"));
      return NULL;
    }

  package->zip = zip_open (path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (package->zip == NULL)
    {
      zip_error_t ze;

      zip_error_init_with_code (&ze, zerr);
      if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ || zerr == ZIP_ER_MEMORY)
        g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_IO,
                     _("Cannot read “%s”: %s"), package->display_name, zip_error_strerror (&ze));
      else if (file_starts_with_zip_magic (path))
        g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                     _("“%s” is a damaged or truncated zip archive (%s)"),
                     package->display_name, zip_error_strerror (&ze));
      else
        g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_NOT_A_PACKAGE,
                     _("“%s” is not an Anki package: it is not a zip archive"),
                     package->display_name);
      zip_error_fini (&ze);
      return NULL;
    }

  n_entries = zip_get_num_entries (package->zip, 0);
  for (zip_int64_t i = 0; i < n_entries; i++)
    {
      const char *name = zip_get_name (package->zip, (zip_uint64_t) i, 0);
      char *copy;

      if (name == NULL)
        continue;
      copy = g_strdup (name);
      g_ptr_array_add (package->member_names, copy);
      if (!g_hash_table_contains (package->members, copy))
        g_hash_table_insert (package->members, copy, GSIZE_TO_POINTER ((gsize) i + 1));
    }

  if (!choose_collection (package, error))
    return NULL;

  return g_steal_pointer (&package);
}

/**
 * sd_anki_package_set_limits:
 * @max_total: the most bytes all extraction together may produce
 * @max_ratio: the largest expansion ratio accepted for anything over 64 MiB
 *
 * Tightens or loosens the zip-bomb caps (tests use small values).
 */
void
sd_anki_package_set_limits (SdAnkiPackage *package,
                            guint64        max_total,
                            guint          max_ratio)
{
  package->max_total = max_total;
  package->max_ratio = MAX (max_ratio, 2);
}

const char *
sd_anki_package_get_path (SdAnkiPackage *package)
{
  return package->path;
}

/**
 * sd_anki_package_get_display_name:
 *
 * Returns: the file name shown in messages
 */
const char *
sd_anki_package_get_display_name (SdAnkiPackage *package)
{
  return package->display_name;
}

/**
 * sd_anki_package_list_members:
 *
 * Returns: (transfer full): the zip member names in archive order
 */
GStrv
sd_anki_package_list_members (SdAnkiPackage *package)
{
  GStrv names = g_new0 (char *, package->member_names->len + 1);

  for (guint i = 0; i < package->member_names->len; i++)
    names[i] = g_strdup (g_ptr_array_index (package->member_names, i));
  return names;
}

/**
 * sd_anki_package_get_version:
 *
 * Returns: the format from `meta`, or the legacy version the collection
 *   member implies when there is no `meta`
 */
SdAnkiPackageVersion
sd_anki_package_get_version (SdAnkiPackage *package)
{
  return package->version;
}

gboolean
sd_anki_package_has_meta (SdAnkiPackage *package)
{
  return package->has_meta;
}

/**
 * sd_anki_package_get_collection_member:
 *
 * Returns: the member holding the collection that will be read
 */
const char *
sd_anki_package_get_collection_member (SdAnkiPackage *package)
{
  return package->collection_member;
}

/**
 * sd_anki_package_get_collection_size:
 *
 * Returns: the collection member's size in the archive, for progress reports
 */
guint64
sd_anki_package_get_collection_size (SdAnkiPackage *package)
{
  gint64 index = member_index (package, package->collection_member);
  zip_stat_t st;

  zip_stat_init (&st);
  if (index < 0 || zip_stat_index (package->zip, (zip_uint64_t) index, 0, &st) != 0)
    return 0;
  return (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
}

typedef struct
{
  FILE       *file;
  const char *path;
} FileSink;

static gboolean
file_sink (const guint8  *data,
           gsize          len,
           gpointer       user_data,
           GError       **error)
{
  FileSink *sink = user_data;

  if (fwrite (data, 1, len, sink->file) != len)
    {
      int saved = errno;
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_IO,
                   _("Could not write the temporary file “%s”: %s"),
                   sink->path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * sd_anki_package_extract_collection:
 * @dir: an existing private folder for the temporary copy
 *
 * Writes the chosen collection, decompressed, to a file in @dir. The copy
 * is writable, so a WAL-flagged schema-18 database can be opened from it.
 *
 * Returns: (transfer full): the path of the copy, or %NULL with @error set
 */
char *
sd_anki_package_extract_collection (SdAnkiPackage  *package,
                                    const char     *dir,
                                    GCancellable   *cancellable,
                                    GError        **error)
{
  g_autofree char *path = g_build_filename (dir, "collection.sqlite", NULL);
  FileSink sink = { NULL, path };
  gboolean ok;

  sink.file = g_fopen (path, "wb");
  if (sink.file == NULL)
    {
      int saved = errno;
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_IO,
                   _("Could not create the temporary file “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }

  ok = read_member (package, package->collection_member, package->collection_zstd,
                    G_MAXUINT64, file_sink, &sink, NULL, cancellable, error);
  if (fclose (sink.file) != 0 && ok)
    {
      int saved = errno;
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_IO,
                   _("Could not write the temporary file “%s”: %s"), path, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static gboolean
check_media_name (SdAnkiPackage  *package,
                  const char     *name,
                  GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_path_is_absolute (name) || (name[0] != '\0' && name[1] == ':'))
    {
      g_autofree char *shown = g_utf8_make_valid (name, -1);
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_UNSAFE_NAME,
                   _("“%s” is unsafe: the media file “%s” has an absolute path"),
                   package->display_name, shown);
      return FALSE;
    }
  if (!sd_media_check_name (name, &local_error))
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_UNSAFE_NAME,
                   _("“%s” is unsafe: %s"), package->display_name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
parse_legacy_map (SdAnkiPackage  *package,
                  GBytes         *bytes,
                  GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_anki_media_entry_free);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) names = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonNode *root;
  JsonObject *object;

  if (len == 0)
    return g_steal_pointer (&entries);

  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: its media list is not valid JSON (%s)"),
                   package->display_name, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: its media list is not a JSON object"),
                   package->display_name);
      return NULL;
    }

  object = json_node_get_object (root);
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *member = l->data;
      JsonNode *value = json_object_get_member (object, member);
      SdAnkiMediaEntry *entry;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                       _("“%s” is damaged: media entry “%s” has no file name"),
                       package->display_name, member);
          return NULL;
        }
      if (!check_media_name (package, json_node_get_string (value), error))
        return NULL;

      entry = g_new0 (SdAnkiMediaEntry, 1);
      entry->member = g_strdup (member);
      entry->name = g_strdup (json_node_get_string (value));
      g_ptr_array_add (entries, entry);
    }

  return g_steal_pointer (&entries);
}

static GPtrArray *
parse_protobuf_map (SdAnkiPackage  *package,
                    GBytes         *bytes,
                    GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_anki_media_entry_free);
  g_autoptr(GError) local_error = NULL;
  SdProtobufReader reader;
  gboolean has_field;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  sd_protobuf_reader_init (&reader, data, len);
  for (;;)
    {
      SdProtobufReader sub;
      g_autoptr(SdAnkiMediaEntry) entry = NULL;
      gboolean has_legacy = FALSE;
      guint64 legacy = 0;

      if (!sd_protobuf_reader_next (&reader, &has_field, &local_error))
        goto bad;
      if (!has_field)
        break;
      if (reader.field != 1 || reader.wire_type != SD_PROTOBUF_LEN)
        {
          if (!sd_protobuf_skip (&reader, &local_error))
            goto bad;
          continue;
        }
      if (!sd_protobuf_read_message (&reader, &sub, &local_error))
        goto bad;

      entry = g_new0 (SdAnkiMediaEntry, 1);
      for (;;)
        {
          if (!sd_protobuf_reader_next (&sub, &has_field, &local_error))
            goto bad;
          if (!has_field)
            break;
          if (sub.field == 1 && sub.wire_type == SD_PROTOBUF_LEN)
            {
              g_clear_pointer (&entry->name, g_free);
              if (!sd_protobuf_read_string (&sub, &entry->name, &local_error))
                goto bad;
            }
          else if (sub.field == 2 && sub.wire_type == SD_PROTOBUF_VARINT)
            {
              if (!sd_protobuf_read_varint (&sub, &entry->size, &local_error))
                goto bad;
            }
          else if (sub.field == 3 && sub.wire_type == SD_PROTOBUF_LEN)
            {
              const guint8 *sha1;
              gsize sha1_len;

              if (!sd_protobuf_read_bytes (&sub, &sha1, &sha1_len, &local_error))
                goto bad;
              if (sha1_len == 20)
                {
                  memcpy (entry->sha1, sha1, 20);
                  entry->has_sha1 = TRUE;
                }
            }
          else if (sub.field == 255 && sub.wire_type == SD_PROTOBUF_VARINT)
            {
              if (!sd_protobuf_read_varint (&sub, &legacy, &local_error))
                goto bad;
              has_legacy = TRUE;
            }
          else if (!sd_protobuf_skip (&sub, &local_error))
            goto bad;
        }

      if (entry->name == NULL)
        entry->name = g_strdup ("");
      if (!check_media_name (package, entry->name, error))
        return NULL;
      entry->member = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                       has_legacy ? legacy : (guint64) entries->len);
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }

  return g_steal_pointer (&entries);

bad:
  g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
               _("“%s” is damaged: its media list cannot be read (%s)"),
               package->display_name, local_error->message);
  return NULL;
}

/**
 * sd_anki_package_read_media_map:
 *
 * Reads the `media` member: a JSON object in legacy packages, zstd
 * protobuf `MediaEntries` in v3 ones. A package without it has no media.
 * Every name is checked to be a plain file name; one that is not (a `/`, a
 * `..`, an absolute path) fails the whole map, as in Anki.
 *
 * Returns: (transfer full) (element-type SdAnkiMediaEntry): the entries
 */
GPtrArray *
sd_anki_package_read_media_map (SdAnkiPackage  *package,
                                GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gboolean latest = package->version == SD_ANKI_PACKAGE_VERSION_LATEST;

  if (!sd_anki_package_has_member (package, "media"))
    return g_ptr_array_new_with_free_func ((GDestroyNotify) sd_anki_media_entry_free);

  bytes = read_small_member (package, "media", latest, MAX_SMALL_MEMBER, NULL, error);
  if (bytes == NULL)
    return NULL;

  /* A v3 package's map is protobuf; tolerate a JSON map in one anyway. */
  if (latest && !(g_bytes_get_size (bytes) > 0
                  && ((const char *) g_bytes_get_data (bytes, NULL))[0] == '{'))
    return parse_protobuf_map (package, bytes, error);
  return parse_legacy_map (package, bytes, error);
}

/**
 * sd_anki_package_read_media:
 *
 * Reads one media file, decompressing it in v3 packages and checking the
 * size and SHA-1 the map promises.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set
 */
GBytes *
sd_anki_package_read_media (SdAnkiPackage           *package,
                            const SdAnkiMediaEntry  *entry,
                            GCancellable            *cancellable,
                            GError                 **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gboolean latest = package->version == SD_ANKI_PACKAGE_VERSION_LATEST;

  if (!sd_anki_package_has_member (package, entry->member))
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: the media file “%s” (member “%s”) is missing"),
                   package->display_name, entry->name, entry->member);
      return NULL;
    }

  bytes = read_small_member (package, entry->member, latest,
                             entry->size > 0 ? MIN (entry->size, MAX_MEDIA_FILE) : MAX_MEDIA_FILE,
                             cancellable, error);
  if (bytes == NULL)
    return NULL;

  if (entry->size > 0 && g_bytes_get_size (bytes) != entry->size)
    {
      g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                   _("“%s” is damaged: the media file “%s” has %" G_GSIZE_FORMAT
                     " bytes instead of %" G_GUINT64_FORMAT),
                   package->display_name, entry->name, g_bytes_get_size (bytes), entry->size);
      return NULL;
    }

  if (entry->has_sha1)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
      guint8 digest[20];
      gsize digest_len = sizeof digest;
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      g_checksum_update (checksum, data, (gssize) len);
      g_checksum_get_digest (checksum, digest, &digest_len);
      if (memcmp (digest, entry->sha1, 20) != 0)
        {
          g_set_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_DAMAGED,
                       _("“%s” is damaged: the media file “%s” does not match its checksum"),
                       package->display_name, entry->name);
          return NULL;
        }
    }

  return g_steal_pointer (&bytes);
}
