/* sd-anki-export.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <zip.h>

#include "sd-anki-export.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-fsrs.h"
#include "sd-html-text.h"
#include "sd-media.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-progress-relay.h"
#include "sd-template.h"

G_DEFINE_QUARK (sd-anki-export-error-quark, sd_anki_export_error)

/* How often the cancellable and the progress callback are looked at. */
#define CHECK_EVERY 256

/* Anki treats any due value past this as an epoch timestamp. */
#define TIMESTAMP_DUE 1000000000

/* zlib's fastest level: libzip's default is its best and slowest, 30 times
 * slower on a collection for 5 % less. */
#define DEFLATE_LEVEL 1

/* Anki's default ease for cards that reached review (permille). */
#define DEFAULT_FACTOR 2500

/* The tag that names the Markdown note a card was written in. */
#define SOURCE_TAG_PREFIX "studydeck::source::"

/* ------------------------------------------------------------------------ */

typedef struct
{
  char *path;       /* the file to put in the package */
  char *sha1;       /* hex, or NULL when not known yet */
} MediaFile;

static void
media_file_free (MediaFile *file)
{
  g_free (file->path);
  g_free (file->sha1);
  g_free (file);
}

typedef struct
{
  SdPreset     *preset;
  SdFsrsParams  params;
} PresetInfo;

static void
preset_info_free (PresetInfo *info)
{
  sd_preset_free (info->preset);
  g_free (info);
}

typedef struct
{
  SdCollection              *collection;
  sqlite3                   *db;
  const SdAnkiExportOptions *options;
  const char                *path;
  GCancellable              *cancellable;
  SdExportProgress           progress;
  gpointer                   progress_data;
  guint64                    done;
  guint64                    total;
  SdExportStats              stats;
  gboolean                   read_transaction;

  char                      *tmpdir;
  char                      *out_path;
  sqlite3                   *out;

  int                        rollover;
  gint64                     crt_day;
  gint64                     crt;
  gint64                     mod;            /* latest mtime, epoch seconds */
  gint64                     next_position;

  GPtrArray                 *deck_list;      /* SdDeck */
  GHashTable                *decks;          /* gint64 * -> SdDeck (borrowed from deck_list) */
  GHashTable                *exported_decks; /* gint64 * -> SdDeck (borrowed) */
  GHashTable                *presets;        /* gint64 * -> PresetInfo */
  GPtrArray                 *notetypes;      /* SdNotetype, exported, by id */
  GHashTable                *notetype_by_id; /* gint64 * -> SdNotetype (borrowed) */
  GHashTable                *first_notes;    /* notetype id -> its first exported note id */

  /* What goes in, ascending: cards not retired in the chosen decks, and
   * their notes. The passes over notes, cards and the review log read
   * whole tables in id order and keep these, which is much cheaper than
   * letting SQLite filter with subqueries. */
  GArray                    *chosen_cards;   /* gint64 */
  GArray                    *chosen_notes;   /* gint64 */

  GHashTable                *collection_media;  /* name -> sha1 (the media table) */
  GHashTable                *media;             /* export name -> MediaFile */
  GHashTable                *renamed;           /* collection name -> export name */
  GHashTable                *note_images;       /* absolute path -> export name */
  gboolean                   latex_seen;
} Export;

static void
export_clear (Export *exp)
{
  if (exp->out != NULL)
    sqlite3_close_v2 (exp->out);
  if (exp->tmpdir != NULL)
    {
      g_unlink (exp->out_path);
      g_rmdir (exp->tmpdir);
    }
  g_free (exp->tmpdir);
  g_free (exp->out_path);
  g_clear_pointer (&exp->decks, g_hash_table_unref);
  g_clear_pointer (&exp->exported_decks, g_hash_table_unref);
  g_clear_pointer (&exp->deck_list, g_ptr_array_unref);
  g_clear_pointer (&exp->presets, g_hash_table_unref);
  g_clear_pointer (&exp->notetype_by_id, g_hash_table_unref);
  g_clear_pointer (&exp->notetypes, g_ptr_array_unref);
  g_clear_pointer (&exp->first_notes, g_hash_table_unref);
  g_clear_pointer (&exp->chosen_cards, g_array_unref);
  g_clear_pointer (&exp->chosen_notes, g_array_unref);
  g_clear_pointer (&exp->collection_media, g_hash_table_unref);
  g_clear_pointer (&exp->media, g_hash_table_unref);
  g_clear_pointer (&exp->renamed, g_hash_table_unref);
  g_clear_pointer (&exp->note_images, g_hash_table_unref);
}

static gboolean
tick (Export  *exp,
      GError **error)
{
  exp->done++;
  if (exp->done % CHECK_EVERY != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (exp->cancellable, error))
    return FALSE;
  if (exp->progress != NULL)
    exp->progress (exp->done, exp->total, exp->progress_data);
  return TRUE;
}

static gboolean
out_error (Export  *exp,
           GError **error)
{
  g_set_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_IO,
               _("Could not write the Anki collection for “%s”: %s"),
               exp->path, sqlite3_errmsg (exp->out));
  return FALSE;
}

static gboolean
out_exec (Export      *exp,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (exp->out, sql, NULL, NULL, NULL) != SQLITE_OK)
    return out_error (exp, error);
  return TRUE;
}

static sqlite3_stmt *
out_prepare (Export      *exp,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (exp->out, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      out_error (exp, error);
      return NULL;
    }
  return stmt;
}

static gboolean
out_step (Export        *exp,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return out_error (exp, error);
  return TRUE;
}

/* A statement of our own on the collection (not one of its cached ones). */
static sqlite3_stmt *
db_prepare (Export      *exp,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (exp->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (exp->collection, error);
      return NULL;
    }
  return stmt;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
id_chosen (GArray *sorted,
           gint64  id)
{
  return bsearch (&id, sorted->data, sorted->len, sizeof (gint64), compare_ids) != NULL;
}

/* ------------------------------------------------------------------------ */
/* Numbers and JSON. */

/* The shortest of %.15g and %.17g that reads back as the same double, so
 * 0.9 stays "0.9" and nothing is lost. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    value = 0;
  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append (out, buf);
}

static double
round_to (double value,
          int    decimals)
{
  double scale = pow (10, decimals);

  return round (value * scale) / scale;
}

/* Integral values as JSON integers, others as doubles. */
static void
json_set_number (JsonObject *object,
                 const char *key,
                 double      value)
{
  if (isfinite (value) && value == floor (value) && fabs (value) < 1e15)
    json_object_set_int_member (object, key, (gint64) value);
  else
    json_object_set_double_member (object, key, isfinite (value) ? value : 0);
}

static void
json_add_number (JsonArray *array,
                 double     value)
{
  if (isfinite (value) && value == floor (value) && fabs (value) < 1e15)
    json_array_add_int_element (array, (gint64) value);
  else
    json_array_add_double_element (array, isfinite (value) ? value : 0);
}

/* What the importer kept as JSON text, as a mutable object; a new empty one
 * when there is nothing usable. */
static JsonObject *
parse_extra (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (text == NULL || text[0] != '{')
    return json_object_new ();
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();
  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
child_object (JsonObject *object,
              const char *key)
{
  JsonNode *node = json_object_get_member (object, key);
  JsonObject *child;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  child = json_object_new ();
  json_object_set_object_member (object, key, child);
  return child;
}

static gint64
json_member_int (JsonObject *object,
                 const char *key,
                 gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);
    default:
      return fallback;
    }
}

/* Sets @key only when @object lacks it: defaults under what Anki gave. */
static void
default_int (JsonObject *object,
             const char *key,
             gint64      value)
{
  if (!json_object_has_member (object, key))
    json_object_set_int_member (object, key, value);
}

static void
default_double (JsonObject *object,
                const char *key,
                double      value)
{
  if (!json_object_has_member (object, key))
    json_object_set_double_member (object, key, value);
}

static void
default_boolean (JsonObject *object,
                 const char *key,
                 gboolean    value)
{
  if (!json_object_has_member (object, key))
    json_object_set_boolean_member (object, key, value);
}

static void
default_string (JsonObject *object,
                const char *key,
                const char *value)
{
  if (!json_object_has_member (object, key))
    json_object_set_string_member (object, key, value);
}

static void
default_empty_array (JsonObject *object,
                     const char *key)
{
  if (!json_object_has_member (object, key))
    json_object_set_array_member (object, key, json_array_new ());
}

static char *
json_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static char *
id_key (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* ------------------------------------------------------------------------ */
/* Media names. */

/* Anki's media regexes (rslib/src/text.rs HTML_MEDIA_TAGS, AV_TAGS): the
 * name is in group 1, 2 or 3 (a tag attribute) or 4 ([sound:…]). */
static GRegex *
media_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled = g_regex_new (
        "<\\b(?:img|audio|video|object|source)\\b(?:[^>]|\"[^\"]+?\"|'[^']+?')+?"
        "\\b(?:src|data)\\b=(?:\"([^\"]+?)\"[^>]*>|'([^']+?)'[^>]*>|([^ >]+?)(?: [^>]*>|>))"
        "|\\[sound:(.+?)\\]",
        G_REGEX_CASELESS | G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regex, compiled);
    }
  return regex;
}

static gboolean
is_windows_device_name (const char *stem)
{
  static const char *const names[] = {
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (stem, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A media name Anki keeps as it is (rslib/src/media/files.rs
 * normalize_filename): NFC, without [ ] < > : " / ? * ^ \ | and control
 * characters, non-breaking spaces as spaces, no Windows device name, no
 * trailing space or dot, at most 120 bytes with the extension kept. */
static char *
normalize_media_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  g_autofree char *nfc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  GString *out = g_string_new (NULL);
  const char *dot;

  for (const char *p = nfc != NULL ? nfc : valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && strchr ("[]<>:\"/?*^\\|", (int) c) != NULL)
        continue;
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_UNASSIGNED)
        continue;
      if (c == 0x00a0)
        c = ' ';
      g_string_append_unichar (out, c);
    }

  dot = strrchr (out->str, '.');
  {
    g_autofree char *stem = g_strndup (out->str, dot != NULL ? (gsize) (dot - out->str) : out->len);

    if (is_windows_device_name (stem))
      g_string_insert_c (out, (gssize) strlen (stem), '_');
  }

  if (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '.'))
    g_string_append_c (out, '_');

  if (out->len > 120)
    {
      const char *ext = strrchr (out->str, '.');
      gsize ext_len = ext != NULL && strlen (ext) < 20 ? strlen (ext) : 0;
      g_autofree char *suffix = g_strdup (out->str + out->len - ext_len);
      gsize keep = 120 - ext_len;

      /* Cut on a character boundary. */
      while (keep > 0 && (out->str[keep] & 0xc0) == 0x80)
        keep--;
      g_string_truncate (out, keep);
      g_string_append (out, suffix);
    }

  if (out->len == 0)
    g_string_append_c (out, '_');
  return g_string_free (out, FALSE);
}

/* name-1234abcd.ext, still within Anki's 120 bytes. */
static char *
name_with_hash (const char *name,
                const char *sha1)
{
  const char *dot = strrchr (name, '.');
  gsize stem = dot != NULL && dot != name ? (gsize) (dot - name) : strlen (name);
  const char *ext = name + stem;
  gsize room = 120 - MIN (strlen (ext), 20) - 9;

  if (stem > room)
    {
      stem = room;
      while (stem > 0 && (name[stem] & 0xc0) == 0x80)
        stem--;
    }
  return g_strdup_printf ("%.*s-%.8s%s", (int) stem, name, sha1, ext);
}

static char *
file_sha1 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA1, (const guchar *) contents, len);
}

static gboolean
load_collection_media (Export  *exp,
                       GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (exp->collection_media != NULL)
    return TRUE;
  exp->collection_media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (sqlite3_prepare_v2 (exp->db, "SELECT name, sha1 FROM media", -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (exp->collection, error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (exp->collection_media, sd_column_dup (stmt, 0), sd_column_dup (stmt, 1));
  return TRUE;
}

/* Gives @path a name in the package that Anki keeps as it is and that no
 * other file in the package has (nor, with @avoid_collection, a file of the
 * collection's media with other content): the wanted name, or that name
 * with the start of the content's SHA-1 appended. Returns the name, owned
 * by the table, or NULL when none could be found. */
static const char *
register_media (Export     *exp,
                const char *wanted,
                const char *path,
                const char *sha1,
                gboolean    avoid_collection)
{
  g_autofree char *name = normalize_media_name (wanted);

  for (int attempt = 0; attempt < 3; attempt++)
    {
      gpointer key = NULL, value = NULL;
      const char *taken = NULL;

      if (g_hash_table_lookup_extended (exp->media, name, &key, &value))
        {
          MediaFile *file = value;

          if (g_str_equal (file->path, path) || g_strcmp0 (file->sha1, sha1) == 0)
            return key;
        }
      else
        {
          if (avoid_collection && exp->collection_media != NULL)
            taken = g_hash_table_lookup (exp->collection_media, name);
          if (taken == NULL || g_strcmp0 (taken, sha1) == 0)
            {
              MediaFile *file = g_new0 (MediaFile, 1);
              char *owned = g_strdup (name);

              file->path = g_strdup (path);
              file->sha1 = g_strdup (sha1);
              g_hash_table_insert (exp->media, owned, file);
              return owned;
            }
        }

      {
        char *hashed = name_with_hash (name, sha1 != NULL ? sha1 : "0000000000");
        g_free (name);
        name = hashed;
      }
    }
  return NULL;
}

/* A file a Markdown note refers to by a relative path (or a file: URI),
 * inside the notes folder @root; NULL for anything else (other URIs,
 * missing files, files outside the folder: a shared note must not be able
 * to pull a private file into a package). */
static char *
note_local_path (const char *note_dir,
                 const char *root,
                 const char *ref)
{
  const char *scheme = g_uri_peek_scheme (ref);
  g_autofree char *plain = NULL;
  g_autofree char *unescaped = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_root = NULL;
  gsize cut;

  if (scheme != NULL)
    {
      if (!g_str_equal (scheme, "file"))
        return NULL;
      joined = g_filename_from_uri (ref, NULL, NULL);
      if (joined == NULL)
        return NULL;
    }
  else
    {
      if (g_str_has_prefix (ref, "//") || ref[0] == '\0' || ref[0] == '#')
        return NULL;
      cut = strcspn (ref, "?#");
      plain = g_strndup (ref, cut);
      unescaped = g_uri_unescape_string (plain, NULL);
      if (unescaped == NULL)
        unescaped = g_strdup (plain);
      joined = g_path_is_absolute (unescaped) ? g_strdup (unescaped)
                                              : g_build_filename (note_dir, unescaped, NULL);
    }

  canonical = g_canonicalize_filename (joined, NULL);
  canonical_root = g_canonicalize_filename (root, NULL);
  if (!g_str_has_prefix (canonical, canonical_root)
      || (canonical[strlen (canonical_root)] != G_DIR_SEPARATOR
          && !g_str_equal (canonical_root, "/")))
    return NULL;
  if (!g_file_test (canonical, G_FILE_TEST_IS_REGULAR))
    return NULL;
  {
    /* Symbolic links must not lead out of the folder either. */
    g_autofree char *real = realpath (canonical, NULL);
    g_autofree char *real_root = realpath (canonical_root, NULL);

    if (real == NULL || real_root == NULL || !g_str_has_prefix (real, real_root)
        || (real[strlen (real_root)] != G_DIR_SEPARATOR && !g_str_equal (real_root, "/")))
      return NULL;
  }
  return g_steal_pointer (&canonical);
}

typedef struct
{
  Export     *exp;
  const char *note_dir;   /* the Markdown note's folder, or NULL */
  const char *root;       /* the notes folder it is in */
  gboolean    changed;
} Rewrite;

/* The name @ref (entities decoded) has in the package, or NULL when it is
 * not a file we have. */
static const char *
resolve_media (Rewrite    *rw,
               const char *ref,
               gboolean    sound)
{
  Export *exp = rw->exp;
  const char *known;

  if (rw->note_dir != NULL && !sound)
    {
      g_autofree char *path = note_local_path (rw->note_dir, rw->root, ref);

      if (path != NULL)
        {
          g_autofree char *sha1 = NULL;
          g_autofree char *base = NULL;
          const char *name;

          known = g_hash_table_lookup (exp->note_images, path);
          if (known != NULL)
            return known;
          sha1 = file_sha1 (path);
          if (sha1 != NULL)
            {
              base = g_path_get_basename (path);
              name = register_media (exp, base, path, sha1, TRUE);
              if (name != NULL)
                {
                  g_hash_table_insert (exp->note_images, g_steal_pointer (&path), g_strdup (name));
                  return name;
                }
            }
        }
    }

  known = g_hash_table_lookup (exp->renamed, ref);
  if (known != NULL)
    return known;
  if (sd_media_check_name (ref, NULL))
    {
      const char *stored_sha1 = g_hash_table_lookup (exp->collection_media, ref);
      g_autofree char *path = sd_media_get_path (exp->collection, ref);
      g_autofree char *sha1 = NULL;
      const char *name;

      if (stored_sha1 == NULL)
        {
          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            return NULL;
          sha1 = file_sha1 (path);
          if (sha1 == NULL)
            return NULL;
          stored_sha1 = sha1;
        }
      name = register_media (exp, ref, path, stored_sha1, FALSE);
      if (name != NULL)
        g_hash_table_insert (exp->renamed, g_strdup (ref), g_strdup (name));
      return name;
    }
  return NULL;
}

static gboolean
rewrite_ref (const GMatchInfo *match,
             GString          *out,
             gpointer          user_data)
{
  Rewrite *rw = user_data;
  g_autofree char *whole = g_match_info_fetch (match, 0);

  for (int group = 1; group <= 4; group++)
    {
      g_autofree char *name = g_match_info_fetch (match, group);
      g_autofree char *decoded = NULL;
      const char *target;
      int start, end, whole_start, whole_end;

      if (name == NULL || name[0] == '\0')
        continue;
      decoded = sd_html_text_decode_entities (name);
      target = resolve_media (rw, decoded, group == 4);
      if (target == NULL || g_str_equal (target, decoded))
        break;

      g_match_info_fetch_pos (match, group, &start, &end);
      g_match_info_fetch_pos (match, 0, &whole_start, &whole_end);
      g_string_append_len (out, whole, start - whole_start);
      if (group == 4)
        g_string_append (out, target);
      else
        {
          /* Normalised names hold no quote or angle bracket; only & needs
           * escaping inside the attribute. */
          g_autoptr(GString) escaped = g_string_new (target);

          g_string_replace (escaped, "&", "&amp;", 0);
          if (group == 3)
            g_string_append_c (out, '"');
          g_string_append_len (out, escaped->str, (gssize) escaped->len);
          if (group == 3)
            g_string_append_c (out, '"');
        }
      g_string_append (out, whole + (end - whole_start));
      rw->changed = TRUE;
      return FALSE;
    }
  g_string_append (out, whole);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Tags. */

static void
append_tag_component (GString    *tag,
                      const char *text)
{
  gsize start = tag->len;
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = TRUE;
          continue;
        }
      if (g_unichar_iscntrl (c) || c == '"')
        continue;
      if (space && tag->len > start)
        g_string_append_c (tag, '_');
      space = FALSE;
      /* "::" separates levels: a colon never follows a colon. */
      if (c == ':' && tag->len > start && tag->str[tag->len - 1] == ':')
        continue;
      g_string_append_unichar (tag, c);
    }
  while (tag->len > start && tag->str[tag->len - 1] == ':')
    g_string_truncate (tag, tag->len - 1);
  while (tag->len > start && tag->str[start] == ':')
    g_string_erase (tag, (gssize) start, 1);
}

/* studydeck::source::FILE::HEADING::… for a card written in a Markdown note. */
static char *
source_tag (const char *relpath,
            const char *heading)
{
  g_autofree char *base = g_path_get_basename (relpath);
  char *dot = strrchr (base, '.');
  GString *tag = g_string_new (SOURCE_TAG_PREFIX);
  gsize before;

  if (dot != NULL && dot != base)
    *dot = '\0';
  before = tag->len;
  append_tag_component (tag, base);
  if (tag->len == before)
    g_string_append (tag, "note");

  if (heading != NULL && heading[0] != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (heading, " › ", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          gsize mark = tag->len;

          g_string_append (tag, "::");
          append_tag_component (tag, parts[i]);
          if (tag->len == mark + 2)
            g_string_truncate (tag, mark);
        }
    }
  return g_string_free (tag, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Note types. */

static gboolean
renders_with (const SdTemplate *tmpl,
              const char      **names,
              const char      **values,
              guint             n,
              guint             ord,
              gboolean          cloze)
{
  SdTemplateContext ctx = {
    .field_names = names,
    .field_values = values,
    .n_fields = n,
    .card_ord = ord,
    .is_cloze = cloze,
  };

  return sd_template_renders_nonempty (tmpl, &ctx);
}

/* Which fields must be filled for each template to give a card (the `req`
 * old clients and generators read), the way Anki works it out: any single
 * field that makes the front non-empty; failing that, the fields without
 * which it stays empty. */
static JsonArray *
notetype_requirements (const SdNotetype *notetype)
{
  JsonArray *req = json_array_new ();
  guint n = notetype->fields->len;
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree const char **values = g_new0 (const char *, n + 1);
  gboolean cloze = notetype->kind == SD_NOTETYPE_CLOZE;

  for (guint i = 0; i < n; i++)
    names[i] = ((SdField *) g_ptr_array_index (notetype->fields, i))->name;

  for (guint t = 0; t < notetype->templates->len; t++)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, t);
      g_autoptr(SdTemplate) parsed = sd_template_parse (tmpl->front, NULL);
      JsonArray *entry = json_array_new ();
      JsonArray *ords = json_array_new ();
      const char *kind = "none";
      /* A cloze note type's front is {{cloze:Text}}: the field itself must
       * hold a deletion for the first card to show. */
      const char *filled = cloze ? "{{c1::x}}" : "x";

      if (parsed != NULL)
        {
          for (guint f = 0; f < n; f++)
            {
              for (guint k = 0; k < n; k++)
                values[k] = k == f ? filled : "";
              if (renders_with (parsed, names, values, n, 0, cloze))
                json_array_add_int_element (ords, f);
            }
          if (json_array_get_length (ords) > 0)
            kind = "any";
          else
            {
              g_autoptr(GArray) needed = g_array_new (FALSE, FALSE, sizeof (guint));

              for (guint k = 0; k < n; k++)
                values[k] = filled;
              for (guint f = 0; f < n; f++)
                {
                  values[f] = "";
                  if (!renders_with (parsed, names, values, n, 0, cloze))
                    g_array_append_val (needed, f);
                  values[f] = filled;
                }
              if (needed->len > 0 && renders_with (parsed, names, values, n, 0, cloze))
                {
                  kind = "all";
                  for (guint i = 0; i < needed->len; i++)
                    json_array_add_int_element (ords, g_array_index (needed, guint, i));
                }
            }
        }

      json_array_add_int_element (entry, t);
      json_array_add_string_element (entry, kind);
      json_array_add_array_element (entry, ords);
      json_array_add_array_element (req, entry);
    }
  return req;
}

static JsonObject *
notetype_json (Export           *exp,
               const SdNotetype *notetype,
               gint64            did)
{
  JsonObject *json = parse_extra (notetype->anki_extra);
  JsonArray *flds = json_array_new ();
  JsonArray *tmpls = json_array_new ();

  json_object_set_int_member (json, "id", notetype->id);
  json_object_set_string_member (json, "name", notetype->name);
  json_object_set_int_member (json, "type", notetype->kind == SD_NOTETYPE_CLOZE ? 1 : 0);
  json_object_set_int_member (json, "mod", notetype->mtime);
  json_object_set_int_member (json, "usn", -1);
  json_object_set_int_member (json, "sortf", notetype->sort_field);
  if (did != 0)
    json_object_set_int_member (json, "did", did);
  else
    json_object_set_null_member (json, "did");

  for (guint i = 0; i < notetype->templates->len; i++)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);
      JsonObject *t = parse_extra (tmpl->anki_extra);

      json_object_set_string_member (t, "name", tmpl->name);
      json_object_set_int_member (t, "ord", i);
      json_object_set_string_member (t, "qfmt", tmpl->front);
      json_object_set_string_member (t, "afmt", tmpl->back);
      json_object_set_string_member (t, "bqfmt", tmpl->browser_front ? tmpl->browser_front : "");
      json_object_set_string_member (t, "bafmt", tmpl->browser_back ? tmpl->browser_back : "");
      if (tmpl->deck_override != 0
          && g_hash_table_contains (exp->exported_decks, &tmpl->deck_override))
        json_object_set_int_member (t, "did", tmpl->deck_override);
      else
        json_object_set_null_member (t, "did");
      default_string (t, "bfont", "");
      default_int (t, "bsize", 0);
      json_array_add_object_element (tmpls, t);
    }
  json_object_set_array_member (json, "tmpls", tmpls);

  for (guint i = 0; i < notetype->fields->len; i++)
    {
      const SdField *field = g_ptr_array_index (notetype->fields, i);
      JsonObject *f = parse_extra (field->anki_extra);

      json_object_set_string_member (f, "name", field->name);
      json_object_set_int_member (f, "ord", i);
      json_object_set_boolean_member (f, "sticky", field->sticky);
      json_object_set_boolean_member (f, "rtl", field->rtl);
      json_object_set_string_member (f, "font", field->font ? field->font : "Arial");
      json_object_set_int_member (f, "size", field->size > 0 ? field->size : 20);
      json_object_set_string_member (f, "description", field->description ? field->description : "");
      default_empty_array (f, "media");
      json_array_add_object_element (flds, f);
    }
  json_object_set_array_member (json, "flds", flds);

  json_object_set_string_member (json, "css", notetype->css ? notetype->css : "");
  json_object_set_string_member (json, "latexPre", notetype->latex_pre ? notetype->latex_pre : "");
  json_object_set_string_member (json, "latexPost", notetype->latex_post ? notetype->latex_post : "");
  default_boolean (json, "latexsvg", FALSE);
  json_object_set_array_member (json, "req", notetype_requirements (notetype));
  /* Anki's OriginalStockKind counts from 1; kinds we do not know stay. */
  if (notetype->stock_kind != SD_STOCK_NONE)
    json_object_set_int_member (json, "originalStockKind", notetype->stock_kind + 1);
  else
    default_int (json, "originalStockKind", 0);
  default_empty_array (json, "tags");
  default_empty_array (json, "vers");

  exp->mod = MAX (exp->mod, notetype->mtime);
  return json;
}

/* ------------------------------------------------------------------------ */
/* Decks and options groups. */

static JsonArray *
today_pair (void)
{
  JsonArray *pair = json_array_new ();

  json_array_add_int_element (pair, 0);
  json_array_add_int_element (pair, 0);
  return pair;
}

static JsonObject *
deck_json (Export       *exp,
           const SdDeck *deck)
{
  static const char *const filtered_keys[] = {
    "terms", "resched", "delays", "separate", "previewDelay", "previewAgainSecs",
    "previewHardSecs", "previewGoodSecs", "return",
  };
  static const char *const limit_keys[] = {
    "reviewLimit", "newLimit", "reviewLimitToday", "newLimitToday",
  };
  JsonObject *json = parse_extra (deck != NULL ? deck->anki_extra : NULL);
  gint64 id = deck != NULL ? deck->id : SD_DECK_DEFAULT_ID;

  /* A filtered deck of Anki's became a normal deck here. */
  if (json_member_int (json, "dyn", 0) != 0)
    for (guint i = 0; i < G_N_ELEMENTS (filtered_keys); i++)
      json_object_remove_member (json, filtered_keys[i]);
  if (!exp->options->with_scheduling)
    for (guint i = 0; i < G_N_ELEMENTS (limit_keys); i++)
      json_object_remove_member (json, limit_keys[i]);

  json_object_set_int_member (json, "id", id);
  json_object_set_string_member (json, "name", deck != NULL ? deck->full_name : "Default");
  json_object_set_int_member (json, "mod", deck != NULL ? deck->mtime : 0);
  json_object_set_int_member (json, "usn", -1);
  json_object_set_array_member (json, "lrnToday", today_pair ());
  json_object_set_array_member (json, "revToday", today_pair ());
  json_object_set_array_member (json, "newToday", today_pair ());
  json_object_set_array_member (json, "timeToday", today_pair ());
  json_object_set_boolean_member (json, "collapsed", deck != NULL && deck->collapsed);
  default_boolean (json, "browserCollapsed", FALSE);
  json_object_set_string_member (json, "desc", deck != NULL && deck->description ? deck->description : "");
  json_object_set_int_member (json, "dyn", 0);
  json_object_set_int_member (json, "conf", exp->options->with_scheduling && deck != NULL
                                            ? deck->preset_id : SD_PRESET_DEFAULT_ID);
  default_int (json, "extendNew", 0);
  default_int (json, "extendRev", 0);

  if (deck != NULL)
    exp->mod = MAX (exp->mod, deck->mtime);
  return json;
}

static JsonArray *
steps_in_minutes (GArray *seconds)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; seconds != NULL && i < seconds->len; i++)
    json_add_number (array, g_array_index (seconds, guint, i) / 60.0);
  return array;
}

/* An options group with every key Anki needs (rslib/src/deckconfig/
 * schema11.rs): ours over what Anki gave over Anki's defaults. */
static JsonObject *
preset_json (Export     *exp,
             PresetInfo *info)
{
  const SdPreset *preset = info->preset;
  JsonObject *json = parse_extra (preset->anki_extra);
  JsonObject *new_, *rev, *lapse;

  json_object_set_int_member (json, "id", preset->id);
  json_object_set_string_member (json, "name", preset->name);
  json_object_set_int_member (json, "mod", preset->mtime);
  json_object_set_int_member (json, "usn", -1);
  default_int (json, "maxTaken", 60);
  default_boolean (json, "autoplay", TRUE);
  default_int (json, "timer", 0);
  default_boolean (json, "replayq", TRUE);
  json_object_set_boolean_member (json, "dyn", FALSE);

  new_ = child_object (json, "new");
  json_object_set_array_member (new_, "delays", steps_in_minutes (preset->learn_steps));
  default_int (new_, "initialFactor", DEFAULT_FACTOR);
  if (!json_object_has_member (new_, "ints"))
    {
      JsonArray *ints = json_array_new ();
      json_array_add_int_element (ints, 1);
      json_array_add_int_element (ints, 4);
      json_array_add_int_element (ints, 0);
      json_object_set_array_member (new_, "ints", ints);
    }
  default_int (new_, "order", 1);
  json_object_set_int_member (new_, "perDay", preset->new_per_day);
  json_object_set_boolean_member (new_, "bury", preset->bury_new);
  default_boolean (new_, "separate", TRUE);

  rev = child_object (json, "rev");
  json_object_set_int_member (rev, "perDay", preset->reviews_per_day);
  default_double (rev, "ease4", 1.3);
  default_double (rev, "ivlFct", 1.0);
  json_object_set_int_member (rev, "maxIvl", preset->max_interval);
  default_double (rev, "hardFactor", 1.2);
  json_object_set_boolean_member (rev, "bury", preset->bury_reviews);
  default_double (rev, "fuzz", 0.05);
  default_int (rev, "minSpace", 1);

  lapse = child_object (json, "lapse");
  json_object_set_array_member (lapse, "delays", steps_in_minutes (preset->relearn_steps));
  json_object_set_int_member (lapse, "leechAction", preset->leech_suspend ? 0 : 1);
  json_object_set_int_member (lapse, "leechFails", preset->leech_threshold);
  default_int (lapse, "minInt", 1);
  default_double (lapse, "mult", 0.0);

  json_object_set_boolean_member (json, "buryInterdayLearning", preset->bury_interday);
  json_set_number (json, "desiredRetention", round_to (preset->desired_retention, 4));
  if (preset->fsrs_params != NULL && preset->fsrs_params[0] != '\0')
    {
      JsonArray *params = json_array_new ();

      for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
        json_add_number (params, info->params.w[i]);
      json_object_set_array_member (json, "fsrsParams6", params);
    }
  else
    json_object_set_array_member (json, "fsrsParams6", json_array_new ());
  default_empty_array (json, "fsrsParams5");
  default_empty_array (json, "fsrsWeights");
  default_double (json, "sm2Retention", 0.9);
  default_string (json, "weightSearch", "");
  default_string (json, "ignoreRevlogsBeforeDate", "");
  default_int (json, "newMix", 0);
  default_int (json, "newPerDayMinimum", 0);
  default_int (json, "interdayLearningMix", 0);
  default_int (json, "reviewOrder", 0);
  default_int (json, "newSortOrder", 0);
  default_int (json, "newGatherPriority", 0);
  default_boolean (json, "stopTimerOnAnswer", FALSE);
  default_double (json, "secondsToShowQuestion", 0.0);
  default_double (json, "secondsToShowAnswer", 0.0);
  default_int (json, "questionAction", 0);
  default_int (json, "answerAction", 0);
  default_boolean (json, "waitForAudio", TRUE);
  if (!json_object_has_member (json, "easyDaysPercentages"))
    {
      JsonArray *days = json_array_new ();
      for (int i = 0; i < 7; i++)
        json_array_add_double_element (days, 1.0);
      json_object_set_array_member (json, "easyDaysPercentages", days);
    }
  default_string (json, "other", "");

  exp->mod = MAX (exp->mod, preset->mtime);
  return json;
}

static PresetInfo *
preset_info (Export  *exp,
             gint64   id,
             GError **error)
{
  PresetInfo *info = g_hash_table_lookup (exp->presets, &id);
  SdPreset *preset;

  if (info != NULL)
    return info;
  preset = sd_preset_load (exp->collection, id, NULL);
  if (preset == NULL)
    preset = sd_preset_load (exp->collection, SD_PRESET_DEFAULT_ID, error);
  if (preset == NULL)
    return NULL;
  info = g_new0 (PresetInfo, 1);
  info->preset = preset;
  if (preset->fsrs_params == NULL || preset->fsrs_params[0] == '\0'
      || !sd_fsrs_params_parse_json (&info->params, preset->fsrs_params, NULL))
    sd_fsrs_params_init_default (&info->params);
  /* Keyed by the id asked for: a deck whose preset went uses the Default. */
  {
    gint64 *key = g_new (gint64, 1);
    *key = id;
    g_hash_table_insert (exp->presets, key, info);
  }
  return info;
}

/* ------------------------------------------------------------------------ */
/* The collection file. */

static const char schema11[] =
  "CREATE TABLE col ("
  " id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,"
  " scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL,"
  " usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,"
  " models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);"
  "CREATE TABLE notes ("
  " id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,"
  " mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL,"
  " flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,"
  " flags integer NOT NULL, data text NOT NULL);"
  "CREATE TABLE cards ("
  " id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,"
  " ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,"
  " type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,"
  " ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,"
  " lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,"
  " odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);"
  "CREATE TABLE revlog ("
  " id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,"
  " ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,"
  " factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);"
  "CREATE TABLE graves ("
  " usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);";

/* Built after the rows go in, which is faster and gives the same file. */
static const char schema11_indexes[] =
  "CREATE INDEX ix_notes_usn ON notes (usn);"
  "CREATE INDEX ix_cards_usn ON cards (usn);"
  "CREATE INDEX ix_revlog_usn ON revlog (usn);"
  "CREATE INDEX ix_cards_nid ON cards (nid);"
  "CREATE INDEX ix_cards_sched ON cards (did, queue, due);"
  "CREATE INDEX ix_revlog_cid ON revlog (cid);"
  "CREATE INDEX ix_notes_csum ON notes (csum);";

static gboolean
open_output (Export  *exp,
             GError **error)
{
  exp->tmpdir = g_dir_make_tmp ("studydeck-export-XXXXXX", error);
  if (exp->tmpdir == NULL)
    return FALSE;
  exp->out_path = g_build_filename (exp->tmpdir, "collection.anki2", NULL);
  if (sqlite3_open_v2 (exp->out_path, &exp->out,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    return out_error (exp, error);

  /* A scratch file: no journal while it is written. The file header still
   * says "rollback journal", which is what Anki writes for schema 11. */
  return out_exec (exp,
                   "PRAGMA page_size = 4096;"
                   "PRAGMA journal_mode = OFF;"
                   "PRAGMA synchronous = OFF;"
                   "PRAGMA locking_mode = EXCLUSIVE;"
                   "PRAGMA cache_size = -8192;",
                   error)
         && out_exec (exp, schema11, error)
         && out_exec (exp, "BEGIN", error);
}

/* Which due values are day numbers: the importer's rule
 * (Anki's due_in_days_since_collection_creation, and suspended or buried
 * learning cards keep seconds). */
static inline gboolean
day_due (int    type,
         int    queue,
         gint64 due)
{
  return queue == 2 || queue == 3 || type == 2
         || (queue < 0 && type != 0 && due <= TIMESTAMP_DUE);
}

/* Chooses col.crt: the rollover hour of the earliest of the collection's
 * creation day, the first review and the first review due day, so day
 * numbers are small and never negative, and the same export gives the same
 * crt whatever the clock says. */
static void
choose_crt (Export *exp,
            gint64  min_due_day,
            gint64  min_revlog_ms)
{
  gint64 created = sd_collection_get_created (exp->collection);
  gint64 day = G_MAXINT64;
  gint64 today = sd_clock_day_number (sd_clock_now (), exp->rollover);

  if (created > 0)
    day = sd_clock_day_number (created, exp->rollover);
  if (min_due_day > 0 && min_due_day < day)
    day = min_due_day;
  if (min_revlog_ms > 0)
    day = MIN (day, sd_clock_day_number (min_revlog_ms / 1000, exp->rollover));
  /* Anki counts days from crt up to now; crt never lies ahead. */
  if (day == G_MAXINT64 || day > today)
    day = today;
  exp->crt_day = MAX (day, 0);
  exp->crt = sd_clock_day_start (exp->crt_day, exp->rollover);
}

static gboolean
add_deck_with_parents (Export  *exp,
                       gint64   id)
{
  while (id != 0 && !g_hash_table_contains (exp->exported_decks, &id))
    {
      SdDeck *deck = g_hash_table_lookup (exp->decks, &id);

      if (deck == NULL)
        return FALSE;
      g_hash_table_insert (exp->exported_decks, &deck->id, deck);
      id = deck->parent_id;
    }
  return TRUE;
}

/* One pass over the cards: which go in, their notes and decks, and what
 * crt, nextPos and the progress total need. */
static gboolean
choose (Export  *exp,
        GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SdPreset) default_preset = NULL;
  g_autoptr(GHashTable) subtree = NULL;
  gint64 max_position = 0, min_due = 0, last_deck = 0;
  gboolean last_in = FALSE;
  gint64 n_revlog = 0, min_revlog = 0;
  int rc;

  default_preset = sd_preset_load (exp->collection, SD_PRESET_DEFAULT_ID, NULL);
  exp->rollover = default_preset != NULL ? default_preset->rollover_hour : 4;

  exp->deck_list = sd_deck_list (exp->collection, error);
  if (exp->deck_list == NULL)
    return FALSE;
  exp->decks = g_hash_table_new (g_int64_hash, g_int64_equal);
  exp->exported_decks = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < exp->deck_list->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (exp->deck_list, i);
      g_hash_table_insert (exp->decks, &deck->id, deck);
    }

  if (exp->options->deck_id != 0)
    {
      g_autoptr(GArray) ids = NULL;

      if (!g_hash_table_contains (exp->decks, &exp->options->deck_id))
        {
          g_set_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_NO_DECK,
                       _("Deck %" G_GINT64_FORMAT " does not exist"), exp->options->deck_id);
          return FALSE;
        }
      ids = sd_deck_subtree_ids (exp->collection, exp->options->deck_id, error);
      if (ids == NULL)
        return FALSE;
      subtree = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < ids->len; i++)
        {
          SdDeck *deck = g_hash_table_lookup (exp->decks, &g_array_index (ids, gint64, i));
          if (deck != NULL)
            g_hash_table_add (subtree, &deck->id);
        }
      /* The chosen deck goes in even when it holds no card itself. */
      add_deck_with_parents (exp, exp->options->deck_id);
    }

  exp->chosen_cards = g_array_new (FALSE, FALSE, sizeof (gint64));
  exp->chosen_notes = g_array_new (FALSE, FALSE, sizeof (gint64));
  stmt = db_prepare (exp,
                     "SELECT id, note_id, deck_id, type, queue, due, position, mtime FROM cards"
                     " WHERE retired = 0 ORDER BY id",
                     error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 note_id = sqlite3_column_int64 (stmt, 1);
      gint64 deck_id = sqlite3_column_int64 (stmt, 2);
      int type = sqlite3_column_int (stmt, 3);
      int queue = sqlite3_column_int (stmt, 4);
      gint64 due = sqlite3_column_int64 (stmt, 5);

      if (deck_id != last_deck || exp->chosen_cards->len == 0)
        {
          last_deck = deck_id;
          last_in = subtree == NULL || g_hash_table_contains (subtree, &deck_id);
          if (last_in)
            add_deck_with_parents (exp, deck_id);
        }
      if (!last_in)
        continue;
      g_array_append_val (exp->chosen_cards, id);
      g_array_append_val (exp->chosen_notes, note_id);
      max_position = MAX (max_position, sqlite3_column_int64 (stmt, 6));
      exp->mod = MAX (exp->mod, sqlite3_column_int64 (stmt, 7));
      if (day_due (type, queue, due) && due > 0 && (min_due == 0 || due < min_due))
        min_due = due;
    }
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (exp->collection, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Notes in id order, each once. */
  g_array_sort (exp->chosen_notes, compare_ids);
  {
    guint kept = 0;

    for (guint i = 0; i < exp->chosen_notes->len; i++)
      if (kept == 0 || g_array_index (exp->chosen_notes, gint64, i)
                       != g_array_index (exp->chosen_notes, gint64, kept - 1))
        g_array_index (exp->chosen_notes, gint64, kept++) = g_array_index (exp->chosen_notes,
                                                                           gint64, i);
    g_array_set_size (exp->chosen_notes, kept);
  }
  exp->next_position = MAX (max_position, 0) + 1;

  if (exp->options->with_scheduling)
    {
      /* The index on (card_id, id) answers this without reading the log. */
      stmt = db_prepare (exp, "SELECT card_id FROM revlog", error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (id_chosen (exp->chosen_cards, sqlite3_column_int64 (stmt, 0)))
          n_revlog++;
      if (rc != SQLITE_DONE)
        return sd_collection_set_error (exp->collection, error);
      g_clear_pointer (&stmt, sqlite3_finalize);
      /* The collection's first review, chosen or not: cheap, and crt only
       * has to come before every review in the package. */
      min_revlog = sd_collection_scalar (exp->collection, "SELECT min(id) FROM revlog", 0);
      choose_crt (exp, min_due, min_revlog);
    }
  else
    choose_crt (exp, 0, 0);

  exp->total = (guint64) exp->chosen_cards->len + exp->chosen_notes->len + (guint64) n_revlog;
  return TRUE;
}

/* A note type, loaded the first time one of its notes goes in. */
static SdNotetype *
use_notetype (Export  *exp,
              gint64   id,
              gint64   note_id,
              GError **error)
{
  SdNotetype *notetype = g_hash_table_lookup (exp->notetype_by_id, &id);

  if (notetype != NULL)
    return notetype;
  notetype = sd_notetype_load (exp->collection, id, error);
  if (notetype == NULL)
    return NULL;
  g_ptr_array_add (exp->notetypes, notetype);
  g_hash_table_insert (exp->notetype_by_id, &notetype->id, notetype);
  g_hash_table_insert (exp->first_notes, &notetype->id, g_memdup2 (&note_id, sizeof note_id));
  return notetype;
}

/* The deck a note type last put a card in, for Anki: here the deck of the
 * first exported card of its first exported note. */
static gint64
notetype_deck (Export     *exp,
               SdNotetype *notetype)
{
  gint64 *note_id = g_hash_table_lookup (exp->first_notes, &notetype->id);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (note_id == NULL)
    return 0;
  stmt = db_prepare (exp, "SELECT id, deck_id FROM cards WHERE note_id = ? ORDER BY id", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, *note_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (id_chosen (exp->chosen_cards, sqlite3_column_int64 (stmt, 0)))
      return sqlite3_column_int64 (stmt, 1);
  return 0;
}

static int
compare_notetypes (gconstpointer a,
                   gconstpointer b)
{
  const SdNotetype *x = *(const SdNotetype * const *) a;
  const SdNotetype *y = *(const SdNotetype * const *) b;

  return x->id < y->id ? -1 : x->id > y->id;
}

/* col.models, col.decks, col.dconf and col.conf. */
static gboolean
write_col (Export  *exp,
           GError **error)
{
  g_autoptr(JsonObject) models = json_object_new ();
  g_autoptr(JsonObject) decks = json_object_new ();
  g_autoptr(JsonObject) dconf = json_object_new ();
  g_autoptr(JsonObject) conf = json_object_new ();
  g_autoptr(JsonObject) tags = json_object_new ();
  g_autoptr(GArray) preset_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *models_text = NULL, *decks_text = NULL, *dconf_text = NULL;
  g_autofree char *conf_text = NULL, *tags_text = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 default_id = SD_DECK_DEFAULT_ID;
  gboolean default_exported = g_hash_table_contains (exp->exported_decks, &default_id);
  gint64 current = exp->options->deck_id != 0 ? exp->options->deck_id : SD_DECK_DEFAULT_ID;
  gint64 mod_ms;

  g_ptr_array_sort (exp->notetypes, compare_notetypes);
  for (guint i = 0; i < exp->notetypes->len; i++)
    {
      SdNotetype *notetype = g_ptr_array_index (exp->notetypes, i);
      g_autofree char *key = id_key (notetype->id);

      json_object_set_object_member (models, key,
                                     notetype_json (exp, notetype, notetype_deck (exp, notetype)));
    }

  /* The Default deck always (AnkiDroid's old importer wants it): ours when
   * it is exported, else a bare one named so that Anki matches its own. */
  if (!default_exported)
    {
      SdDeck *ours = g_hash_table_lookup (exp->decks, &default_id);
      gboolean clash = FALSE;
      GHashTableIter iter;
      gpointer value;
      SdDeck bare = { .id = SD_DECK_DEFAULT_ID, .name = (char *) "Default",
                      .full_name = (char *) "Default", .preset_id = SD_PRESET_DEFAULT_ID };

      g_hash_table_iter_init (&iter, exp->exported_decks);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (g_ascii_strcasecmp (((SdDeck *) value)->full_name, "Default") == 0)
          clash = TRUE;
      if (clash && ours != NULL)
        bare.full_name = ours->full_name;
      json_object_set_object_member (decks, "1", deck_json (exp, &bare));
      exp->stats.decks++;
      g_array_append_val (preset_ids, bare.preset_id);
    }
  for (guint i = 0; i < exp->deck_list->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (exp->deck_list, i);
      g_autofree char *key = NULL;
      PresetInfo *info;
      gint64 saved_preset = deck->preset_id;
      JsonObject *json;

      if (!g_hash_table_contains (exp->exported_decks, &deck->id))
        continue;
      info = preset_info (exp, deck->preset_id, error);
      if (info == NULL)
        return FALSE;
      key = id_key (deck->id);
      deck->preset_id = info->preset->id;
      json = deck_json (exp, deck);
      deck->preset_id = saved_preset;
      json_object_set_object_member (decks, key, json);
      exp->stats.decks++;
      if (exp->options->with_scheduling)
        g_array_append_val (preset_ids, info->preset->id);
    }

  {
    gint64 default_preset = SD_PRESET_DEFAULT_ID;
    g_array_append_val (preset_ids, default_preset);
  }
  for (guint i = 0; i < preset_ids->len; i++)
    {
      gint64 id = g_array_index (preset_ids, gint64, i);
      g_autofree char *key = id_key (id);
      PresetInfo *info;

      if (json_object_has_member (dconf, key))
        continue;
      info = preset_info (exp, id, error);
      if (info == NULL)
        return FALSE;
      json_object_set_object_member (dconf, key, preset_json (exp, info));
    }

  {
    JsonArray *active = json_array_new ();
    g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (exp->crt);

    json_array_add_int_element (active, current);
    json_object_set_array_member (conf, "activeDecks", active);
    json_object_set_int_member (conf, "curDeck", current);
    json_object_set_int_member (conf, "newSpread", 0);
    json_object_set_int_member (conf, "collapseTime", 1200);
    json_object_set_int_member (conf, "timeLim", 0);
    json_object_set_boolean_member (conf, "estTimes", TRUE);
    json_object_set_boolean_member (conf, "dueCounts", TRUE);
    json_object_set_null_member (conf, "curModel");
    json_object_set_int_member (conf, "nextPos", exp->next_position);
    json_object_set_string_member (conf, "sortType", "noteFld");
    json_object_set_boolean_member (conf, "sortBackwards", FALSE);
    json_object_set_boolean_member (conf, "addToCur", TRUE);
    json_object_set_boolean_member (conf, "dayLearnFirst", FALSE);
    json_object_set_int_member (conf, "schedVer", 2);
    json_object_set_boolean_member (conf, "sched2021", TRUE);
    /* Minutes west of UTC when the collection began. */
    json_object_set_int_member (conf, "creationOffset",
                                created != NULL
                                ? -(g_date_time_get_utc_offset (created) / G_USEC_PER_SEC / 60) : 0);
    json_object_set_int_member (conf, "rollover", exp->rollover);
    json_object_set_boolean_member (conf, "fsrs", TRUE);
  }

  models_text = json_text (models);
  decks_text = json_text (decks);
  dconf_text = json_text (dconf);
  conf_text = json_text (conf);
  tags_text = json_text (tags);
  exp->stats.notetypes = exp->notetypes->len;

  mod_ms = MAX (exp->mod, exp->crt) * 1000;
  insert = out_prepare (exp,
                        "INSERT INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models,"
                        " decks, dconf, tags) VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)",
                        error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, exp->crt);
  sqlite3_bind_int64 (insert, 2, mod_ms);
  sqlite3_bind_int64 (insert, 3, mod_ms);
  sqlite3_bind_text (insert, 4, conf_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, models_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, decks_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, dconf_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, tags_text, -1, SQLITE_STATIC);
  return out_step (exp, insert, error);
}

/* ------------------------------------------------------------------------ */
/* Notes. */

static gboolean
has_media_ref (const char *text)
{
  return strchr (text, '<') != NULL || strstr (text, "[sound:") != NULL;
}

static gboolean
has_latex (const char *text)
{
  return strstr (text, "[latex]") != NULL || strstr (text, "[$]") != NULL
         || strstr (text, "[$$]") != NULL;
}

static char *
note_tags (Export     *exp,
           const char *tags,
           const char *source)
{
  g_auto(GStrv) split = sd_note_split_tags (tags);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  gboolean have_source = FALSE;

  for (guint i = 0; split[i] != NULL; i++)
    {
      if (!exp->options->with_scheduling
          && (g_ascii_strcasecmp (split[i], "marked") == 0
              || g_ascii_strcasecmp (split[i], "leech") == 0))
        continue;
      if (source != NULL && g_ascii_strcasecmp (split[i], source) == 0)
        have_source = TRUE;
      g_ptr_array_add (kept, split[i]);
    }
  if (source != NULL && !have_source)
    g_ptr_array_add (kept, (char *) source);
  g_ptr_array_add (kept, NULL);
  return sd_note_join_tags ((const char * const *) kept->pdata);
}

static gboolean
write_notes (Export  *exp,
             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  guint next = 0;
  int rc = SQLITE_DONE;

  stmt = db_prepare (exp,
                     "SELECT n.id, n.guid, n.notetype_id, n.fields, n.tags, n.mtime,"
                     " n.anki_extra, f.relpath, fo.path, n.source_heading"
                     " FROM notes n LEFT JOIN note_files f ON f.id = n.source_file"
                     " LEFT JOIN note_folders fo ON fo.id = f.folder_id"
                     " WHERE n.id >= ? ORDER BY n.id",
                     error);
  if (stmt == NULL)
    return FALSE;
  insert = out_prepare (exp,
                        "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum,"
                        " flags, data) VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?)",
                        error);
  if (insert == NULL)
    return FALSE;
  if (exp->chosen_notes->len == 0)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, g_array_index (exp->chosen_notes, gint64, 0));

  while (next < exp->chosen_notes->len && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *fields_text = (const char *) sqlite3_column_text (stmt, 3);
      const char *tags = (const char *) sqlite3_column_text (stmt, 4);
      const char *extra = (const char *) sqlite3_column_text (stmt, 6);
      const char *relpath = (const char *) sqlite3_column_text (stmt, 7);
      const char *folder = (const char *) sqlite3_column_text (stmt, 8);
      gint64 note_id = sqlite3_column_int64 (stmt, 0);
      gint64 mid = sqlite3_column_int64 (stmt, 2);
      gint64 mtime = sqlite3_column_int64 (stmt, 5);
      SdNotetype *notetype;
      gboolean source = relpath != NULL && folder != NULL;
      g_autofree char *note_dir = NULL;
      g_autofree char *tag = NULL;
      g_autofree char *new_tags = NULL;
      g_autofree char *joined = NULL;
      g_autofree char *sort_field = NULL;
      g_auto(GStrv) fields = NULL;
      gint64 flags = 0;
      const char *data = "";
      g_autoptr(JsonObject) extra_json = NULL;
      gboolean rewritten = FALSE;
      guint n_fields;
      guint32 checksum;

      /* Both lists ascend: walk them together. */
      while (next < exp->chosen_notes->len
             && g_array_index (exp->chosen_notes, gint64, next) < note_id)
        next++;
      if (next >= exp->chosen_notes->len
          || g_array_index (exp->chosen_notes, gint64, next) != note_id)
        continue;
      next++;

      notetype = use_notetype (exp, mid, note_id, error);
      if (notetype == NULL)
        return FALSE;
      if (fields_text == NULL)
        fields_text = "";
      if (!exp->latex_seen && has_latex (fields_text))
        exp->latex_seen = TRUE;

      fields = g_strsplit (fields_text, SD_NOTE_FIELD_SEPARATOR, -1);
      n_fields = g_strv_length (fields);
      if (has_media_ref (fields_text))
        {
          Rewrite rw = { exp, NULL, folder, FALSE };

          if (source)
            {
              g_autofree char *file = g_build_filename (folder, relpath, NULL);
              note_dir = g_path_get_dirname (file);
              rw.note_dir = note_dir;
            }
          for (guint i = 0; i < n_fields; i++)
            {
              char *replaced;

              if (!has_media_ref (fields[i]))
                continue;
              rw.changed = FALSE;
              replaced = g_regex_replace_eval (media_regex (), fields[i], -1, 0, 0,
                                               rewrite_ref, &rw, NULL);
              if (replaced != NULL && rw.changed)
                {
                  g_free (fields[i]);
                  fields[i] = replaced;
                  rewritten = TRUE;
                }
              else
                g_free (replaced);
            }
          if (rewritten)
            joined = g_strjoinv (SD_NOTE_FIELD_SEPARATOR, fields);
        }

      sort_field = sd_html_text_sort_field (n_fields > 0
                                            ? fields[MIN (notetype->sort_field, n_fields - 1)]
                                            : "");
      checksum = sd_html_text_field_checksum (n_fields > 0 ? fields[0] : "");

      if (source)
        tag = source_tag (relpath, (const char *) sqlite3_column_text (stmt, 9));
      if (source || !exp->options->with_scheduling)
        new_tags = note_tags (exp, tags, tag);

      if (extra != NULL && extra[0] == '{')
        {
          JsonNode *node;

          extra_json = parse_extra (extra);
          flags = json_member_int (extra_json, "flags", 0);
          node = json_object_get_member (extra_json, "data");
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
              && json_node_get_value_type (node) == G_TYPE_STRING)
            data = json_node_get_string (node);
        }

      sqlite3_bind_int64 (insert, 1, note_id);
      sqlite3_bind_value (insert, 2, sqlite3_column_value (stmt, 1));
      sqlite3_bind_int64 (insert, 3, mid);
      sqlite3_bind_int64 (insert, 4, mtime);
      sqlite3_bind_text (insert, 5, new_tags != NULL ? new_tags : tags != NULL ? tags : "", -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (insert, 6, joined != NULL ? joined : fields_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 7, sort_field, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 8, checksum);
      sqlite3_bind_int64 (insert, 9, flags);
      sqlite3_bind_text (insert, 10, data, -1, SQLITE_STATIC);
      if (!out_step (exp, insert, error))
        return FALSE;

      exp->mod = MAX (exp->mod, mtime);
      exp->stats.notes++;
      if (!tick (exp, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return sd_collection_set_error (exp->collection, error);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Cards. */

/* cards.data: the original new-queue position and the FSRS memory state
 * (rslib/src/storage/card/data.rs), with whatever else Anki had put there. */
static void
card_data (Export     *exp,
           GString    *out,
           JsonObject *original,
           int         type,
           gint64      position,
           double      stability,
           double      difficulty,
           double      retention,
           gint64      last_review,
           PresetInfo *info)
{
  static const char *const ours[] = { "pos", "s", "d", "dr", "decay", "lrt" };
  gsize start;

  g_string_truncate (out, 0);
  g_string_append_c (out, '{');
  start = out->len;
  if (type != 0 && position > 0)
    g_string_append_printf (out, "\"pos\":%" G_GINT64_FORMAT, position);
  if (stability > 0 && difficulty > 0)
    {
      g_string_append (out, out->len > start ? ",\"s\":" : "\"s\":");
      append_double (out, stability);
      g_string_append (out, ",\"d\":");
      append_double (out, difficulty);
      g_string_append (out, ",\"dr\":");
      append_double (out, round_to (retention > 0 ? retention
                                                  : info->preset->desired_retention, 4));
      g_string_append (out, ",\"decay\":");
      append_double (out, round_to (info->params.w[SD_FSRS_N_PARAMS - 1], 4));
      if (last_review > 0)
        g_string_append_printf (out, ",\"lrt\":%" G_GINT64_FORMAT, last_review);
    }
  if (original != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (original);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *value = NULL;
          gboolean mine = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (ours); i++)
            mine = mine || g_str_equal (l->data, ours[i]);
          if (mine)
            continue;
          value = json_to_string (json_object_get_member (original, l->data), FALSE);
          if (out->len > start)
            g_string_append_c (out, ',');
          g_string_append_c (out, '"');
          g_string_append (out, l->data);
          g_string_append (out, "\":");
          g_string_append (out, value);
        }
    }
  if (out->len == start)
    g_string_truncate (out, 0);
  else
    g_string_append_c (out, '}');
}

static gboolean
write_cards (Export  *exp,
             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GString) data = g_string_new (NULL);
  gboolean scheduling = exp->options->with_scheduling;
  gint64 next_position = exp->next_position;
  gint64 cached_deck = 0;
  PresetInfo *info = NULL;
  guint next = 0;
  int rc = SQLITE_DONE;

  stmt = db_prepare (exp,
                     "SELECT id, note_id, deck_id, ord, type, queue, due, interval, ease,"
                     " stability, difficulty, last_review, reps, lapses, step, flags, position,"
                     " desired_retention, mtime, anki_extra FROM cards WHERE id >= ? ORDER BY id",
                     error);
  if (stmt == NULL)
    return FALSE;
  insert = out_prepare (exp,
                        "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl,"
                        " factor, reps, lapses, left, odue, odid, flags, data)"
                        " VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)",
                        error);
  if (insert == NULL)
    return FALSE;
  if (exp->chosen_cards->len == 0)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, g_array_index (exp->chosen_cards, gint64, 0));

  while (next < exp->chosen_cards->len && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 card_id = sqlite3_column_int64 (stmt, 0);
      gint64 deck_id = sqlite3_column_int64 (stmt, 2);
      int type = sqlite3_column_int (stmt, 4);
      int queue = sqlite3_column_int (stmt, 5);
      gint64 due = sqlite3_column_int64 (stmt, 6);
      int interval = sqlite3_column_int (stmt, 7);
      int factor = sqlite3_column_int (stmt, 8);
      int reps = sqlite3_column_int (stmt, 12);
      int lapses = sqlite3_column_int (stmt, 13);
      int step = sqlite3_column_int (stmt, 14);
      int flags = sqlite3_column_int (stmt, 15);
      gint64 position = sqlite3_column_int64 (stmt, 16);
      const char *extra = (const char *) sqlite3_column_text (stmt, 19);
      gint64 left = 0;

      /* Both lists ascend: walk them together. */
      while (next < exp->chosen_cards->len
             && g_array_index (exp->chosen_cards, gint64, next) < card_id)
        next++;
      if (next >= exp->chosen_cards->len
          || g_array_index (exp->chosen_cards, gint64, next) != card_id)
        continue;
      next++;

      if (info == NULL || deck_id != cached_deck)
        {
          SdDeck *deck = g_hash_table_lookup (exp->decks, &deck_id);

          info = preset_info (exp, deck != NULL ? deck->preset_id : SD_PRESET_DEFAULT_ID, error);
          if (info == NULL)
            return FALSE;
          cached_deck = deck_id;
        }

      if (scheduling)
        {
          g_autoptr(JsonObject) extra_json = NULL;
          JsonObject *original = NULL;

          if (extra != NULL && extra[0] == '{')
            {
              JsonNode *node;

              extra_json = parse_extra (extra);
              node = json_object_get_member (extra_json, "data");
              if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
                original = json_node_get_object (node);
            }

          if (day_due (type, queue, due))
            due -= exp->crt_day;

          /* SM-2 state for clients that schedule with it: a card that
           * reached review has an ease of at least 130 %. */
          if ((type == 2 || type == 3) && factor < 1300)
            factor = DEFAULT_FACTOR;

          if (type == 1 || type == 3)
            {
              GArray *steps = type == 1 ? info->preset->learn_steps : info->preset->relearn_steps;
              gint64 n = steps != NULL ? steps->len : 0;
              gint64 remaining = n > 0 ? MAX (1, n - step) : 0;
              gint64 kept = extra_json != NULL ? json_member_int (extra_json, "left", -1) : -1;

              /* Older schedulers packed today's steps in the thousands. */
              left = kept >= 0 && kept % 1000 == remaining ? kept : remaining * 1000 + remaining;
            }

          card_data (exp, data, original, type, position,
                     sqlite3_column_double (stmt, 9), sqlite3_column_double (stmt, 10),
                     sqlite3_column_double (stmt, 17), sqlite3_column_int64 (stmt, 11), info);
        }
      else
        {
          /* New, at the card's original place in the new queue. */
          type = 0;
          queue = 0;
          due = position > 0 ? position : next_position++;
          interval = factor = reps = lapses = flags = 0;
          g_string_truncate (data, 0);
        }

      sqlite3_bind_int64 (insert, 1, card_id);
      sqlite3_bind_int64 (insert, 2, sqlite3_column_int64 (stmt, 1));
      sqlite3_bind_int64 (insert, 3, deck_id);
      sqlite3_bind_int (insert, 4, sqlite3_column_int (stmt, 3));
      sqlite3_bind_int64 (insert, 5, sqlite3_column_int64 (stmt, 18));
      sqlite3_bind_int (insert, 6, type);
      sqlite3_bind_int (insert, 7, queue);
      sqlite3_bind_int64 (insert, 8, due);
      sqlite3_bind_int (insert, 9, interval);
      sqlite3_bind_int (insert, 10, factor);
      sqlite3_bind_int (insert, 11, reps);
      sqlite3_bind_int (insert, 12, lapses);
      sqlite3_bind_int64 (insert, 13, left);
      sqlite3_bind_int (insert, 14, flags);
      sqlite3_bind_text (insert, 15, data->str, (int) data->len, SQLITE_STATIC);
      if (!out_step (exp, insert, error))
        return FALSE;

      exp->stats.cards++;
      if (!tick (exp, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return sd_collection_set_error (exp->collection, error);
  return TRUE;
}

static gboolean
write_revlog (Export  *exp,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  int rc;

  if (!exp->options->with_scheduling)
    return TRUE;

  stmt = db_prepare (exp,
                     "SELECT id, card_id, rating, interval, last_interval, ease, duration_ms,"
                     " kind FROM revlog ORDER BY id",
                     error);
  if (stmt == NULL)
    return FALSE;
  insert = out_prepare (exp,
                        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                        " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
                        error);
  if (insert == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!id_chosen (exp->chosen_cards, sqlite3_column_int64 (stmt, 1)))
        continue;
      for (int i = 0; i < 8; i++)
        sqlite3_bind_int64 (insert, i + 1, sqlite3_column_int64 (stmt, i));
      if (!out_step (exp, insert, error))
        return FALSE;
      exp->stats.revlog++;
      if (!tick (exp, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (exp->collection, error);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Media only templates and LaTeX use. */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Files whose names start with `_` that a template or the styling names
 * (Anki imports them whether a note refers to them or not), and the
 * rendered LaTeX images when a note holds LaTeX. */
static void
gather_static_media (Export *exp)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  Rewrite rw = { exp, NULL, NULL, FALSE };

  g_hash_table_iter_init (&iter, exp->collection_media);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, "_") || (exp->latex_seen && g_str_has_prefix (key, "latex-")))
      g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gboolean used = g_str_has_prefix (name, "latex-");

      for (guint n = 0; !used && n < exp->notetypes->len; n++)
        {
          SdNotetype *notetype = g_ptr_array_index (exp->notetypes, n);

          used = notetype->css != NULL && strstr (notetype->css, name) != NULL;
          for (guint t = 0; !used && t < notetype->templates->len; t++)
            {
              SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, t);
              used = strstr (tmpl->front, name) != NULL || strstr (tmpl->back, name) != NULL;
            }
        }
      if (used)
        resolve_media (&rw, name, FALSE);
    }
}

/* ------------------------------------------------------------------------ */
/* The zip archive. */

static gboolean
already_compressed (const char *name)
{
  static const char *const extensions[] = {
    "jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "jxl", "mp3", "m4a", "aac", "ogg",
    "oga", "opus", "flac", "mp4", "m4v", "webm", "mkv", "mov", "avi", "zip", "gz", "xz",
    "zst", "7z", "woff", "woff2",
  };
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_ascii_strcasecmp (dot + 1, extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
zip_progress (zip_t  *archive,
              double  fraction,
              void   *user_data)
{
  Export *exp = user_data;
  guint64 rows = exp->stats.notes + exp->stats.cards + exp->stats.revlog;

  exp->progress (rows + (guint64) (fraction * (double) (exp->total - rows)), exp->total,
                 exp->progress_data);
}

static int
zip_cancelled (zip_t *archive,
               void  *user_data)
{
  Export *exp = user_data;

  return g_cancellable_is_cancelled (exp->cancellable) ? 1 : 0;
}

static gboolean
zip_failed (Export     *exp,
            const char *message,
            GError    **error)
{
  g_set_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_IO,
               _("Could not write “%s”: %s"), exp->path, message);
  return FALSE;
}

static gboolean
add_member (Export      *exp,
            zip_t       *archive,
            const char  *member,
            zip_source_t *source,
            gboolean     compress,
            time_t       mtime,
            GError     **error)
{
  zip_int64_t index;

  if (source == NULL)
    return zip_failed (exp, zip_strerror (archive), error);
  index = zip_file_add (archive, member, source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
  if (index < 0)
    {
      zip_source_free (source);
      return zip_failed (exp, zip_strerror (archive), error);
    }
  /* Fixed times and methods: the same content makes the same bytes. */
  if (zip_set_file_compression (archive, (zip_uint64_t) index,
                                compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, DEFLATE_LEVEL) < 0
      || zip_file_set_mtime (archive, (zip_uint64_t) index, mtime, 0) < 0)
    return zip_failed (exp, zip_strerror (archive), error);
  return TRUE;
}

static gboolean
write_package (Export  *exp,
               GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(JsonObject) map = json_object_new ();
  g_autofree char *map_text = NULL;
  zip_t *archive;
  int zip_error_code = 0;
  /* DOS times start in 1980; keep a day's margin for time zones. */
  time_t mtime = (time_t) MAX (MAX (exp->mod, exp->crt), (gint64) 315619200);

  if (exp->options->with_media)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, exp->media);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_file_test (((MediaFile *) value)->path, G_FILE_TEST_IS_REGULAR))
          g_ptr_array_add (names, key);
      g_ptr_array_sort (names, compare_strings);
    }
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *member = g_strdup_printf ("%u", i);
      json_object_set_string_member (map, member, g_ptr_array_index (names, i));
    }
  map_text = json_text (map);
  exp->total += names->len;

  archive = zip_open (exp->path, ZIP_CREATE | ZIP_TRUNCATE, &zip_error_code);
  if (archive == NULL)
    {
      zip_error_t ze;
      gboolean ok;

      zip_error_init_with_code (&ze, zip_error_code);
      ok = zip_failed (exp, zip_error_strerror (&ze), error);
      zip_error_fini (&ze);
      return ok;
    }

  if (!add_member (exp, archive, "collection.anki2",
                   zip_source_file (archive, exp->out_path, 0, -1), TRUE, mtime, error)
      || !add_member (exp, archive, "media",
                      zip_source_buffer (archive, map_text, strlen (map_text), 0), TRUE, mtime,
                      error))
    goto fail;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      MediaFile *file = g_hash_table_lookup (exp->media, name);
      g_autofree char *member = g_strdup_printf ("%u", i);

      if (!add_member (exp, archive, member, zip_source_file (archive, file->path, 0, -1),
                       !already_compressed (name), mtime, error))
        goto fail;
    }

  if (exp->progress != NULL)
    zip_register_progress_callback_with_state (archive, 0.01, zip_progress, NULL, exp);
  zip_register_cancel_callback_with_state (archive, zip_cancelled, NULL, exp);

  /* libzip writes a temporary file beside the package and renames it over
   * the package when everything is there; on failure the temporary file
   * goes and an existing package stays as it was. */
  if (zip_close (archive) < 0)
    {
      if (!g_cancellable_set_error_if_cancelled (exp->cancellable, error))
        zip_failed (exp, zip_strerror (archive), error);
      zip_discard (archive);
      return FALSE;
    }

  exp->stats.media = names->len;
  return TRUE;

fail:
  zip_discard (archive);
  return FALSE;
}

/* ------------------------------------------------------------------------ */

/**
 * sd_anki_export_options_init:
 *
 * The whole collection, without scheduling or media.
 */
void
sd_anki_export_options_init (SdAnkiExportOptions *options)
{
  memset (options, 0, sizeof *options);
}

/**
 * sd_anki_export_check_path:
 * @path: where a package would be written
 *
 * Refuses names an export must not have: `collection.apkg` is what older
 * Anki called a whole-collection backup, and AnkiDroid still replaces the
 * user's collection with a file of that name.
 *
 * Returns: %TRUE when @path can be used
 */
gboolean
sd_anki_export_check_path (const char  *path,
                           GError     **error)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  base = g_path_get_basename (path);
  if (g_ascii_strcasecmp (base, "collection.apkg") == 0)
    {
      g_set_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_RESERVED_NAME,
                   _("A package cannot be called “%s”: AnkiDroid would take it for a backup "
                     "of a whole collection and replace its collection with it. Choose "
                     "another name, such as “deck.apkg”."),
                   base);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_IO,
                   _("Could not write “%s”: it is a folder"), path);
      return FALSE;
    }
  return TRUE;
}

/**
 * sd_anki_export_count:
 * @deck_id: the deck to count with its subdecks, 0 for the whole collection
 * @stats: (out caller-allocates): @notes and @cards are set, the rest is 0
 *
 * Counts what a package of @deck_id would hold without writing one, so the
 * export dialog can say it before the user picks a file; the cards are the
 * same ones sd_anki_export_package() chooses.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *   (#SD_ANKI_EXPORT_ERROR_NO_DECK or #SD_COLLECTION_ERROR)
 */
gboolean
sd_anki_export_count (SdCollection   *collection,
                      gint64          deck_id,
                      SdExportStats  *stats,
                      GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);
  stmt = sd_collection_prepare (collection,
                                "WITH RECURSIVE sub (id) AS (SELECT id FROM decks WHERE id = ?1"
                                " UNION ALL SELECT d.id FROM decks d JOIN sub ON d.parent_id = sub.id)"
                                " SELECT (?1 = 0 OR EXISTS (SELECT 1 FROM sub)),"
                                " (SELECT count(*) FROM cards WHERE retired = 0"
                                "  AND (?1 = 0 OR deck_id IN sub)),"
                                " (SELECT count(DISTINCT note_id) FROM cards WHERE retired = 0"
                                "  AND (?1 = 0 OR deck_id IN sub))",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, deck_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sd_collection_set_error (collection, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (sqlite3_column_int (stmt, 0) == 0)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_NO_DECK,
                   _("Deck %" G_GINT64_FORMAT " does not exist"), deck_id);
      return FALSE;
    }
  stats->cards = (guint) sqlite3_column_int64 (stmt, 1);
  stats->notes = (guint) sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
build_collection (Export  *exp,
                  GError **error)
{
  exp->notetypes = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_notetype_free);
  exp->notetype_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  exp->first_notes = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  if (!choose (exp, error) || !load_collection_media (exp, error))
    return FALSE;

  if (exp->progress != NULL)
    exp->progress (0, exp->total, exp->progress_data);
  if (g_cancellable_set_error_if_cancelled (exp->cancellable, error))
    return FALSE;

  if (!open_output (exp, error)
      || !write_notes (exp, error)
      || !write_cards (exp, error)
      || !write_revlog (exp, error))
    return FALSE;
  gather_static_media (exp);
  return write_col (exp, error)
         && out_exec (exp, schema11_indexes, error)
         && out_exec (exp, "COMMIT", error);
}

static gboolean
run_export (Export  *exp,
            GError **error)
{
  gboolean ok;

  if (!sd_anki_export_check_path (exp->path, error))
    return FALSE;

  /* One read transaction: the package is a snapshot even while the app
   * goes on writing through another connection. */
  if (!sd_collection_in_transaction (exp->collection))
    {
      if (!sd_collection_exec (exp->collection, "BEGIN", error))
        return FALSE;
      exp->read_transaction = TRUE;
    }
  ok = build_collection (exp, error);
  if (exp->read_transaction)
    sd_collection_exec (exp->collection, "ROLLBACK", NULL);
  if (!ok)
    return FALSE;

  if (sqlite3_close (exp->out) != SQLITE_OK)
    return out_error (exp, error);
  exp->out = NULL;

  if (g_cancellable_set_error_if_cancelled (exp->cancellable, error)
      || !write_package (exp, error))
    return FALSE;

  if (exp->progress != NULL)
    exp->progress (exp->total, exp->total, exp->progress_data);
  return TRUE;
}

/**
 * sd_anki_export_package:
 * @collection: the collection to export from
 * @path: the package to write (an existing file is replaced)
 * @options: (nullable): what to export; %NULL for the whole collection
 *   without scheduling or media
 * @progress: (nullable) (scope call): called now and then on this thread
 * @cancellable: (nullable): cancels the export; nothing is left behind
 * @stats: (out caller-allocates) (optional): what the package holds
 *
 * Writes an Anki package; see the section documentation for what goes in.
 *
 * Returns: %TRUE on success, %FALSE with @error set (#SD_ANKI_EXPORT_ERROR,
 *   #SD_COLLECTION_ERROR or %G_IO_ERROR_CANCELLED)
 */
gboolean
sd_anki_export_package (SdCollection               *collection,
                        const char                 *path,
                        const SdAnkiExportOptions  *options,
                        SdExportProgress            progress,
                        gpointer                    progress_data,
                        GCancellable               *cancellable,
                        SdExportStats              *stats,
                        GError                    **error)
{
  SdAnkiExportOptions defaults;
  Export exp = { 0 };
  gboolean ok;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      sd_anki_export_options_init (&defaults);
      options = &defaults;
    }

  exp.collection = collection;
  exp.db = sd_collection_get_db (collection);
  exp.options = options;
  exp.path = path;
  exp.cancellable = cancellable;
  exp.progress = progress;
  exp.progress_data = progress_data;
  exp.presets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) preset_info_free);
  exp.media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) media_file_free);
  exp.renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  exp.note_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  ok = run_export (&exp, error);
  if (ok && stats != NULL)
    *stats = exp.stats;
  export_clear (&exp);
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Asynchronous export. */

typedef struct
{
  char                *db_path;
  char                *path;
  SdAnkiExportOptions  options;
  SdProgressRelay     *relay;         /* NULL without a progress callback */
  SdExportStats        stats;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_free (data->db_path);
  g_free (data->path);
  g_clear_pointer (&data->relay, sd_progress_relay_free);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *data = task_data;
  g_autoptr(SdCollection) own = NULL;
  g_autoptr(GError) error = NULL;

  /* The worker's own connection; the caller's stays usable meanwhile. */
  own = sd_collection_open (data->db_path, &error);
  if (own == NULL
      || !sd_anki_export_package (own, data->path, &data->options,
                                  data->relay != NULL ? sd_progress_relay_report : NULL, data->relay,
                                  cancellable, &data->stats, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * sd_anki_export_async:
 * @collection: the collection to export from
 * @path: the package to write
 * @options: (nullable): what to export (copied)
 * @cancellable: (nullable): cancels the export; nothing is left behind
 * @progress: (nullable): called on the caller's thread-default main context
 * @callback: called when the export is over
 *
 * Exports on a worker thread with its own connection to @collection's
 * database.
 */
void
sd_anki_export_async (SdCollection               *collection,
                      const char                 *path,
                      const SdAnkiExportOptions  *options,
                      GCancellable               *cancellable,
                      SdExportProgress            progress,
                      gpointer                    progress_data,
                      GAsyncReadyCallback         callback,
                      gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (SD_IS_COLLECTION (collection));
  g_return_if_fail (path != NULL);

  data = g_new0 (AsyncData, 1);
  data->db_path = g_strdup (sd_collection_get_path (collection));
  data->path = g_strdup (path);
  if (options != NULL)
    data->options = *options;
  else
    sd_anki_export_options_init (&data->options);
  if (progress != NULL)
    data->relay = sd_progress_relay_new (progress, progress_data);

  task = g_task_new (collection, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_anki_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * sd_anki_export_finish:
 * @stats: (out caller-allocates) (optional): what the package holds
 *
 * Ends an export started with sd_anki_export_async().
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
sd_anki_export_finish (SdCollection   *collection,
                       GAsyncResult   *result,
                       SdExportStats  *stats,
                       GError        **error)
{
  AsyncData *data;

  g_return_val_if_fail (g_task_is_valid (result, collection), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = data->stats;
  return TRUE;
}
