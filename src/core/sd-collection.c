/* sd-collection.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-clock.h"
#include "sd-collection-private.h"

struct _SdCollection
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  char       *media_dir;
  char       *backup_path;
  GHashTable *statements;  /* SQL text -> sqlite3_stmt */
  guint       depth;       /* transaction nesting */
};

G_DEFINE_FINAL_TYPE (SdCollection, sd_collection, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (sd-collection-error-quark, sd_collection_error)

static void
sd_collection_finalize (GObject *object)
{
  SdCollection *self = (SdCollection *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_free (self->path);
  g_free (self->media_dir);
  g_free (self->backup_path);

  G_OBJECT_CLASS (sd_collection_parent_class)->finalize (object);
}

static void
sd_collection_class_init (SdCollectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_collection_finalize;

  /**
   * SdCollection::changed:
   *
   * Emitted on the thread that owns the collection after it committed a change
   * that views of decks, notes or cards should reload.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
sd_collection_init (SdCollection *self)
{
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) sd_sqlite3_stmt_finalize);
}

/**
 * sd_collection_default_path:
 *
 * Returns: the collection used when none is given:
 *   `$XDG_DATA_HOME/studydeck/collection.db`.
 */
char *
sd_collection_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "studydeck", "collection.db", NULL);
}

static int
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      return SD_COLLECTION_ERROR_NOT_A_COLLECTION;
    case SQLITE_CORRUPT:
      return SD_COLLECTION_ERROR_CORRUPT;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
      return SD_COLLECTION_ERROR_IO;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return SD_COLLECTION_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return SD_COLLECTION_ERROR_INVALID;
    default:
      return SD_COLLECTION_ERROR_SQL;
    }
}

gboolean
sd_collection_set_error (SdCollection  *self,
                         GError       **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  g_set_error (error, SD_COLLECTION_ERROR, error_code_for_sqlite (rc),
               _("Collection “%s”: %s"), self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3 *
sd_collection_get_db (SdCollection *self)
{
  g_return_val_if_fail (SD_IS_COLLECTION (self), NULL);

  return self->db;
}

/* Statements are cached by their SQL text, which callers pass as string
 * literals; the returned statement is reset and borrowed. */
sqlite3_stmt *
sd_collection_prepare (SdCollection  *self,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_COLLECTION (self), NULL);

  /* Looked up by address (hashing the text costs more than running many
   * statements); the text check catches a string that reused an address. */
  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL && strcmp (sqlite3_sql (stmt), sql) == 0)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (self, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
sd_collection_exec (SdCollection  *self,
                    const char    *sql,
                    GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sd_collection_set_error (self, error);
  return TRUE;
}

gboolean
sd_collection_step_done (SdCollection  *self,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sd_collection_set_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Appends the first column of every row @stmt gives (gint64) to @ids,
 * then resets @stmt. */
gboolean
sd_collection_append_ids (SdCollection  *self,
                          sqlite3_stmt  *stmt,
                          GArray        *ids,
                          GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    sd_collection_set_error (self, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

gint64
sd_collection_scalar (SdCollection *self,
                      const char   *sql,
                      gint64        fallback)
{
  sqlite3_stmt *stmt = sd_collection_prepare (self, sql, NULL);
  gint64 value = fallback;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

/* Ids are creation times in epoch milliseconds, as in Anki, bumped past the
 * largest id in use so that fast successive inserts stay unique. */
gint64
sd_collection_new_id (SdCollection *self,
                      const char   *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT max(id) FROM %s", table);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = sd_clock_now_ms ();
  gint64 max_id = 0;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    max_id = sqlite3_column_int64 (stmt, 0);

  return MAX (now, max_id + 1);
}

gboolean
sd_collection_begin (SdCollection  *self,
                     GError       **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (SD_IS_COLLECTION (self), FALSE);

  if (self->depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT sd%u", self->depth);

  if (!sd_collection_exec (self, sql, error))
    return FALSE;

  self->depth++;
  return TRUE;
}

gboolean
sd_collection_commit (SdCollection  *self,
                      GError       **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (SD_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE sd%u", self->depth - 1);

  if (!sd_collection_exec (self, sql, error))
    {
      sd_collection_rollback (self);
      return FALSE;
    }

  self->depth--;
  if (self->depth == 0)
    g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
sd_collection_rollback (SdCollection *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (SD_IS_COLLECTION (self));
  g_return_if_fail (self->depth > 0);

  self->depth--;
  if (self->depth == 0)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO sd%u; RELEASE sd%u", self->depth, self->depth);

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("Failed to roll back: %s", sqlite3_errmsg (self->db));
}

gboolean
sd_collection_in_transaction (SdCollection *self)
{
  g_return_val_if_fail (SD_IS_COLLECTION (self), FALSE);

  return self->depth > 0;
}

void
sd_collection_notify_changed (SdCollection *self)
{
  g_return_if_fail (SD_IS_COLLECTION (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

/* A write made outside a transaction is complete now; one inside waits for
 * the commit, which emits ::changed once for the whole transaction. */
void
sd_collection_touch (SdCollection *self)
{
  if (self->depth == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static int
pragma_int (sqlite3    *db,
            const char *pragma)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

/* A copy made with VACUUM INTO is consistent even with a WAL file beside the
 * database, which a plain file copy would not be. */
static gboolean
backup_before_migration (SdCollection  *self,
                         int            from_version,
                         GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *backup = NULL;
  g_autofree char *sql = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_free (backup);
      backup = i == 0
        ? g_strdup_printf ("%s.v%d-%s.bak", self->path, from_version, stamp)
        : g_strdup_printf ("%s.v%d-%s-%u.bak", self->path, from_version, stamp, i);
      if (!g_file_test (backup, G_FILE_TEST_EXISTS))
        break;
    }

  sql = sqlite3_mprintf ("VACUUM INTO %Q", backup);
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_IO,
                   _("Could not back up “%s” to “%s” before upgrading it: %s"),
                   self->path, backup, sqlite3_errmsg (self->db));
      sqlite3_free (sql);
      sql = NULL;
      return FALSE;
    }
  sqlite3_free (g_steal_pointer (&sql));

  g_free (self->backup_path);
  self->backup_path = g_steal_pointer (&backup);
  return TRUE;
}

static gboolean
migrate (SdCollection  *self,
         int            version,
         GError       **error)
{
  if (version > 0 && !backup_before_migration (self, version, error))
    return FALSE;

  if (!sd_collection_begin (self, error))
    return FALSE;

  for (guint i = 0; i < sd_collection_n_migrations; i++)
    {
      const SdMigration *m = &sd_collection_migrations[i];
      g_autofree char *pragma = NULL;

      if (m->version <= version)
        continue;

      if ((m->sql != NULL && !sd_collection_exec (self, m->sql, error))
          || (m->apply != NULL && !m->apply (self, error)))
        {
          g_prefix_error (error, _("Upgrading the collection to version %d failed: "), m->version);
          sd_collection_rollback (self);
          return FALSE;
        }

      pragma = g_strdup_printf ("PRAGMA user_version = %d", m->version);
      if (!sd_collection_exec (self, pragma, error))
        {
          sd_collection_rollback (self);
          return FALSE;
        }
    }

  if (version == 0)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d",
                                                 SD_COLLECTION_APPLICATION_ID);
      g_autofree char *created = g_strdup_printf ("%" G_GINT64_FORMAT, sd_clock_now ());

      if (!sd_collection_exec (self, pragma, error)
          || !sd_collection_set_config (self, "created", created, error))
        {
          sd_collection_rollback (self);
          return FALSE;
        }
    }

  /* The outer transaction has no listeners yet; commit quietly. */
  return sd_collection_commit (self, error);
}

static gboolean
check_identity (SdCollection  *self,
                int           *version,
                GError       **error)
{
  int app_id = pragma_int (self->db, "PRAGMA application_id");
  int n_tables;

  *version = pragma_int (self->db, "PRAGMA user_version");
  if (*version < 0 || app_id == -1)
    {
      if ((sqlite3_errcode (self->db) & 0xff) == SQLITE_NOTADB)
        {
          g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_A_COLLECTION,
                       _("“%s” is not a StudyDeck collection (it is not an SQLite "
                         "database at all)"), self->path);
          return FALSE;
        }
      return sd_collection_set_error (self, error);
    }

  n_tables = pragma_int (self->db, "SELECT count(*) FROM sqlite_schema");
  if (n_tables < 0)
    return sd_collection_set_error (self, error);

  if (app_id == 0 && *version == 0 && n_tables == 0)
    return TRUE;  /* a new, empty file */

  if (app_id != SD_COLLECTION_APPLICATION_ID)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_A_COLLECTION,
                   _("“%s” is not a StudyDeck collection (it is an SQLite database of "
                     "another program). To bring in an Anki collection, use Import."),
                   self->path);
      return FALSE;
    }

  if (*version > SD_COLLECTION_SCHEMA_VERSION)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_TOO_NEW,
                   _("“%s” was written by a newer StudyDeck (schema %d; this version "
                     "reads up to %d). Update StudyDeck to open it."),
                   self->path, *version, SD_COLLECTION_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

/**
 * sd_collection_open:
 * @path: the database file; created with its folder when missing
 * @error: return location for an error
 *
 * Opens or creates a collection, upgrading an older one (after copying it
 * aside, see sd_collection_get_backup_path()).
 *
 * Returns: (transfer full): the collection, or %NULL with @error set
 */
SdCollection *
sd_collection_open (const char  *path,
                    GError     **error)
{
  g_autoptr(SdCollection) self = NULL;
  g_autofree char *dir = NULL;
  int version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SD_TYPE_COLLECTION, NULL);
  self->path = g_canonicalize_filename (path, NULL);
  dir = g_path_get_dirname (self->path);
  self->media_dir = g_build_filename (dir, "media", NULL);

  if (g_file_test (self->path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_A_COLLECTION,
                   _("“%s” is a folder, not a collection file"), self->path);
      return NULL;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_IO,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      if (self->db == NULL)
        {
          g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_IO,
                       _("Could not open “%s”: out of memory"), self->path);
          return NULL;
        }
      sd_collection_set_error (self, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (!check_identity (self, &version, error))
    return NULL;

  if (!sd_collection_exec (self,
                           "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = NORMAL;"
                           "PRAGMA foreign_keys = ON;"
                           "PRAGMA temp_store = MEMORY;"
                           /* Indexing and imports touch many pages; reading
                            * them through a map and a larger cache saves a
                            * system call per page. */
                           "PRAGMA cache_size = -16384;"
                           "PRAGMA mmap_size = 268435456;",
                           error))
    return NULL;

  if (version < SD_COLLECTION_SCHEMA_VERSION && !migrate (self, version, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sd_collection_open_reader:
 *
 * Opens a second connection to @self's file, for searches in another
 * thread while @self stays free. It cannot write, and it reads through a
 * small cache without mapping the file: mapped a second time, the pages
 * would count twice in the process's memory.
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
SdCollection *
sd_collection_open_reader (SdCollection  *self,
                           GError       **error)
{
  g_autoptr(SdCollection) reader = NULL;

  g_return_val_if_fail (SD_IS_COLLECTION (self), NULL);

  reader = sd_collection_open (self->path, error);
  if (reader == NULL
      || !sd_collection_exec (reader,
                              "PRAGMA query_only = 1;"
                              "PRAGMA mmap_size = 0;"
                              "PRAGMA cache_size = -2048;",
                              error))
    return NULL;
  return g_steal_pointer (&reader);
}

const char *
sd_collection_get_path (SdCollection *self)
{
  g_return_val_if_fail (SD_IS_COLLECTION (self), NULL);

  return self->path;
}

/**
 * sd_collection_get_media_dir:
 *
 * Returns: the `media` folder beside the database file (it may not exist yet)
 */
const char *
sd_collection_get_media_dir (SdCollection *self)
{
  g_return_val_if_fail (SD_IS_COLLECTION (self), NULL);

  return self->media_dir;
}

/**
 * sd_collection_get_backup_path:
 *
 * Returns: (nullable): the copy made before this open upgraded the file
 */
const char *
sd_collection_get_backup_path (SdCollection *self)
{
  g_return_val_if_fail (SD_IS_COLLECTION (self), NULL);

  return self->backup_path;
}

int
sd_collection_get_schema_version (SdCollection *self)
{
  g_return_val_if_fail (SD_IS_COLLECTION (self), -1);

  return pragma_int (self->db, "PRAGMA user_version");
}

gboolean
sd_collection_get_counts (SdCollection        *self,
                          SdCollectionCounts  *counts,
                          GError             **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_COLLECTION (self), FALSE);

  stmt = sd_collection_prepare (self,
                                "SELECT (SELECT count(*) FROM decks),"
                                " (SELECT count(*) FROM notetypes),"
                                " (SELECT count(*) FROM notes),"
                                " (SELECT count(*) FROM cards),"
                                " (SELECT count(*) FROM revlog),"
                                " (SELECT count(*) FROM media)",
                                error);
  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sd_collection_set_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  counts->schema = sd_collection_get_schema_version (self);
  counts->decks = sqlite3_column_int64 (stmt, 0);
  counts->notetypes = sqlite3_column_int64 (stmt, 1);
  counts->notes = sqlite3_column_int64 (stmt, 2);
  counts->cards = sqlite3_column_int64 (stmt, 3);
  counts->revlog = sqlite3_column_int64 (stmt, 4);
  counts->media = sqlite3_column_int64 (stmt, 5);
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * sd_collection_get_config:
 *
 * Returns: (nullable) (transfer full): the value stored for @key
 */
char *
sd_collection_get_config (SdCollection *self,
                          const char   *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (SD_IS_COLLECTION (self), NULL);

  stmt = sd_collection_prepare (self, "SELECT value FROM config WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sd_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
sd_collection_set_config (SdCollection  *self,
                          const char    *key,
                          const char    *value,
                          GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_COLLECTION (self), FALSE);

  stmt = sd_collection_prepare (self,
                                "INSERT INTO config (key, value) VALUES (?, ?)"
                                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return sd_collection_step_done (self, stmt, error);
}

/**
 * sd_collection_get_created:
 *
 * Returns: when the collection was created, in epoch seconds
 */
gint64
sd_collection_get_created (SdCollection *self)
{
  g_autofree char *value = sd_collection_get_config (self, "created");

  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

gboolean
sd_collection_check_integrity (SdCollection  *self,
                               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);

  g_return_val_if_fail (SD_IS_COLLECTION (self), FALSE);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (self, error);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 0);
      if (g_strcmp0 (row, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", row);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (self, error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (problems, "%sdangling reference in %s row %lld",
                            problems->len ? "; " : "",
                            sqlite3_column_text (stmt, 0), (long long) sqlite3_column_int64 (stmt, 1));

  if (problems->len > 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_CORRUPT,
                   _("Collection “%s” is damaged: %s"), self->path, problems->str);
      return FALSE;
    }
  return TRUE;
}
