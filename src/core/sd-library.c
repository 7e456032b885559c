/* sd-library.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-card-syntax.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-library.h"
#include "sd-markdown-text.h"
#include "sd-note-cards.h"

void
sd_note_folder_free (SdNoteFolder *folder)
{
  if (folder == NULL)
    return;
  g_free (folder->path);
  g_free (folder);
}

void
sd_note_file_free (SdNoteFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->relpath);
  g_free (file->title);
  g_free (file->error);
  g_free (file);
}

void
sd_note_heading_free (SdNoteHeading *heading)
{
  if (heading == NULL)
    return;
  g_free (heading->text);
  g_free (heading);
}

/**
 * sd_library_add_folder:
 *
 * Adds a folder of Markdown notes (not yet scanned). Adding a folder again
 * returns the id it already has.
 *
 * Returns: the folder id, or 0 with @error set
 */
gint64
sd_library_add_folder (SdCollection  *collection,
                       const char    *path,
                       GError       **error)
{
  g_autofree char *canonical = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (path != NULL, 0);

  canonical = g_canonicalize_filename (path, NULL);
  if (!g_file_test (canonical, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR,
                   _("“%s” is not a folder"), canonical);
      return 0;
    }

  stmt = sd_collection_prepare (collection,
                                "INSERT INTO note_folders (path, added) VALUES (?, ?)"
                                " ON CONFLICT (path) DO UPDATE SET path = path RETURNING id",
                                error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, canonical, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sd_clock_now ());
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else
    sd_collection_set_error (collection, error);
  sqlite3_reset (stmt);

  if (id != 0)
    sd_collection_touch (collection);
  return id;
}

gboolean
sd_library_remove_folder (SdCollection  *collection,
                          gint64         folder_id,
                          GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "DELETE FROM note_folders WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, folder_id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}

GPtrArray *
sd_library_list_folders (SdCollection  *collection,
                         GError       **error)
{
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_note_folder_free);
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT id, path FROM note_folders ORDER BY path",
                                              error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SdNoteFolder *folder = g_new0 (SdNoteFolder, 1);
      folder->id = sqlite3_column_int64 (stmt, 0);
      folder->path = sd_column_dup (stmt, 1);
      g_ptr_array_add (folders, folder);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&folders);
}

static char *title_from_sections (GPtrArray *sections, const char *file_name);

/**
 * sd_library_title_for_text:
 *
 * Returns: (transfer full): the text of the note's first heading, else the
 *   file name without its extension
 */
char *
sd_library_title_for_text (const char *text,
                           const char *file_name)
{
  g_autoptr(GPtrArray) sections = sd_markdown_text_sections (text);

  return title_from_sections (sections, file_name);
}

static char *
title_from_sections (GPtrArray  *sections,
                     const char *file_name)
{
  const char *dot;

  for (guint i = 0; i < sections->len; i++)
    {
      SdMarkdownSection *section = g_ptr_array_index (sections, i);
      if (section->level > 0 && section->heading[0] != '\0')
        return g_strdup (section->heading);
    }

  dot = strrchr (file_name, '.');
  return dot != NULL && dot != file_name
    ? g_strndup (file_name, dot - file_name)
    : g_strdup (file_name);
}

typedef struct
{
  gint64 id;
  gint64 mtime;
  gint64 size;
  char  *hash;
  gboolean failed;
  gboolean seen;
} KnownFile;

static void
known_file_free (KnownFile *known)
{
  g_free (known->hash);
  g_free (known);
}

/* A note to index: found by the walk, read and parsed by a reader thread,
 * written by the scan's own thread, which alone touches the database. */
typedef struct
{
  char       *relpath;
  char       *path;
  gint64      mtime;
  gint64      size;
  KnownFile  *known;        /* its row before the scan, or NULL */

  /* Filled by the reader. */
  gboolean    ready;
  GError     *read_error;   /* why it cannot be indexed */
  char       *hash;
  char       *title;
  GPtrArray  *sections;     /* SdMarkdownSection */
  char       *text;         /* kept only when its cards need a sync */
  gboolean    unchanged;    /* touched, but the same text */
  gboolean    has_cards;

  /* Filled by the writer. */
  gint64      file_id;
  GArray     *section_ids;  /* gint64, 0 for a section without a row */
} NoteJob;

static void
note_job_clear_results (NoteJob *job)
{
  g_clear_error (&job->read_error);
  g_clear_pointer (&job->hash, g_free);
  g_clear_pointer (&job->title, g_free);
  g_clear_pointer (&job->sections, g_ptr_array_unref);
  g_clear_pointer (&job->text, g_free);
  g_clear_pointer (&job->section_ids, g_array_unref);
}

static void
note_job_free (NoteJob *job)
{
  note_job_clear_results (job);
  g_free (job->relpath);
  g_free (job->path);
  g_free (job);
}

typedef struct
{
  SdCollection *collection;
  gint64        folder_id;
  const char   *root;
  GHashTable   *known;     /* relpath -> KnownFile */
  GHashTable   *visited;   /* "dev:ino" of folders, against symlink loops */
  GPtrArray    *jobs;      /* NoteJob, in path order */
  SdScanStats  *stats;
  GCancellable *cancellable;
  guint        *n_churned; /* notes indexed before and again, or removed */
} ScanState;

static gboolean
is_note_name (const char *name)
{
  return g_str_has_suffix (name, ".md") || g_str_has_suffix (name, ".markdown")
         || g_str_has_suffix (name, ".MD") || g_str_has_suffix (name, ".Markdown");
}

/* Reads a note and decides whether it is text we can index. */
static char *
read_note (const char  *path,
           gint64       size,
           GError     **error)
{
  g_autofree char *contents = NULL;
  const char *bad = NULL;
  gsize len;

  if (size > SD_LIBRARY_MAX_NOTE_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("The note is larger than %d MB and is not opened"),
                   SD_LIBRARY_MAX_NOTE_SIZE / (1024 * 1024));
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;

  if (memchr (contents, '\0', len) != NULL)
    {
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   _("The file is binary data, not a Markdown text"));
      return NULL;
    }

  if (!g_utf8_validate_len (contents, len, &bad))
    {
      gsize offset = bad - contents;
      guint line = 1;

      for (gsize i = 0; i < offset; i++)
        line += contents[i] == '\n';
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   _("The note is not UTF-8 text (invalid byte on line %u); save it as "
                     "UTF-8 to read it here"),
                   line);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

/* Everything about a note that needs no database: runs in a reader thread. */
static void
prepare_note (NoteJob                    *job,
              const SdCardSyntaxSettings *settings,
              const char                 *folder_name)
{
  g_autofree char *text = read_note (job->path, job->size, &job->read_error);
  g_autofree char *base = g_path_get_basename (job->relpath);

  if (text == NULL)
    {
      job->hash = g_strdup ("");
      job->title = g_steal_pointer (&base);
      return;
    }

  job->hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  if (job->known != NULL && !job->known->failed && g_strcmp0 (job->known->hash, job->hash) == 0)
    {
      job->unchanged = TRUE;
      return;
    }

  job->sections = sd_markdown_text_sections (text);
  job->title = title_from_sections (job->sections, base);

  /* Parsing the cards here keeps the writer from doing it for the many
   * notes that turn out to hold none. Cards are written in the body only,
   * so a deck named in the front matter ("deck: Biology::Cells") is no
   * reason to parse. */
  if (sd_card_syntax_may_contain_cards (sd_markdown_text_skip_front_matter (text, NULL, NULL),
                                        settings))
    {
      g_autofree char *deck = sd_card_syntax_folder_deck (folder_name, job->relpath);
      g_autoptr(GPtrArray) cards = sd_card_syntax_parse (text, settings, deck);

      job->has_cards = cards->len > 0;
    }

  /* A note seen before may hold cards whose text is gone: they must retire. */
  if (job->has_cards || job->known != NULL)
    job->text = g_steal_pointer (&text);
}

/* Readers run ahead of the writer by at most this many notes, which bounds
 * the memory the texts in flight take. */
#define READ_AHEAD 256
/* The writer takes notes in batches, so statements that make SQLite open a
 * savepoint (which flushes the pending full-text data of FTS5 to disk) run
 * once per batch rather than once per note. */
#define WRITE_BATCH 128
/* Fewer notes than this are read on the scan's thread. */
#define THREADED_MIN 16

typedef struct
{
  GPtrArray                  *jobs;
  const SdCardSyntaxSettings *settings;
  const char                 *folder_name;
  GMutex                      lock;
  GCond                       cond;
  guint                       next;       /* the first job no reader took */
  guint                       written;    /* jobs the writer is done with */
  gboolean                    stop;
} ReadQueue;

static gpointer
read_worker (gpointer data)
{
  ReadQueue *queue = data;

  for (;;)
    {
      NoteJob *job;

      g_mutex_lock (&queue->lock);
      while (!queue->stop && queue->next < queue->jobs->len
             && queue->next >= queue->written + READ_AHEAD)
        g_cond_wait (&queue->cond, &queue->lock);
      if (queue->stop || queue->next >= queue->jobs->len)
        {
          g_mutex_unlock (&queue->lock);
          return NULL;
        }
      job = g_ptr_array_index (queue->jobs, queue->next++);
      g_mutex_unlock (&queue->lock);

      prepare_note (job, queue->settings, queue->folder_name);

      g_mutex_lock (&queue->lock);
      job->ready = TRUE;
      g_cond_broadcast (&queue->cond);
      g_mutex_unlock (&queue->lock);
    }
}

static gboolean
has_live_cards (SdCollection *collection,
                gint64        file_id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT 1 FROM note_anchors"
                                              " WHERE file_id = ? AND retired = 0 LIMIT 1",
                                              NULL);
  gboolean any;

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, file_id);
  any = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return any;
}

/* Deletes rows by id in one statement: a statement with triggers or
 * cascades opens a savepoint, and FTS5 writes its pending data out at each. */
static gboolean
delete_by_ids (SdCollection  *collection,
               const char    *sql,
               GArray        *ids,
               GError       **error)
{
  g_autoptr(GString) json = g_string_new ("[");
  sqlite3_stmt *stmt;

  if (ids->len == 0)
    return TRUE;
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');

  stmt = sd_collection_prepare (collection, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
  return sd_collection_step_done (collection, stmt, error);
}

static gboolean
write_file_row (ScanState  *state,
                NoteJob    *job,
                GError    **error)
{
  sqlite3_stmt *stmt;

  if (job->known != NULL && job->unchanged)
    {
      /* Touched but not changed: remember the new time only. */
      stmt = sd_collection_prepare (state->collection,
                                    "UPDATE note_files SET mtime = ?, size = ? WHERE id = ?",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, job->mtime);
      sqlite3_bind_int64 (stmt, 2, job->size);
      sqlite3_bind_int64 (stmt, 3, job->known->id);
      job->file_id = job->known->id;
      return sd_collection_step_done (state->collection, stmt, error);
    }

  if (job->known != NULL)
    {
      stmt = sd_collection_prepare (state->collection,
                                    "UPDATE note_files SET title = ?, mtime = ?, size = ?,"
                                    " hash = ?, error = ? WHERE id = ?",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 6, job->known->id);
      job->file_id = job->known->id;
    }
  else
    {
      stmt = sd_collection_prepare (state->collection,
                                    "INSERT INTO note_files (title, mtime, size, hash, error,"
                                    " folder_id, relpath) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 6, state->folder_id);
      sqlite3_bind_text (stmt, 7, job->relpath, -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 1, job->title, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, job->mtime);
  sqlite3_bind_int64 (stmt, 3, job->size);
  sqlite3_bind_text (stmt, 4, job->hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, job->read_error ? job->read_error->message : "", -1,
                     SQLITE_STATIC);
  if (!sd_collection_step_done (state->collection, stmt, error))
    return FALSE;
  if (job->known == NULL)
    job->file_id = sqlite3_last_insert_rowid (sd_collection_get_db (state->collection));
  return TRUE;
}

static gboolean
write_sections (SdCollection  *collection,
                NoteJob       *job,
                GError       **error)
{
  job->section_ids = g_array_sized_new (FALSE, TRUE, sizeof (gint64), job->sections->len);
  g_array_set_size (job->section_ids, job->sections->len);

  for (guint i = 0; i < job->sections->len; i++)
    {
      SdMarkdownSection *section = g_ptr_array_index (job->sections, i);
      sqlite3_stmt *stmt;

      /* An empty preamble is no section worth a row. */
      if (section->level == 0 && section->body[0] == '\0')
        continue;

      stmt = sd_collection_prepare (collection,
                                    "INSERT INTO note_sections (file_id, ord, level, heading, line)"
                                    " VALUES (?, ?, ?, ?, ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, job->file_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_int (stmt, 3, section->level);
      sqlite3_bind_text (stmt, 4, section->heading, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, section->line);
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
      g_array_index (job->section_ids, gint64, i) =
        sqlite3_last_insert_rowid (sd_collection_get_db (collection));
    }
  return TRUE;
}

static gboolean
write_full_text (SdCollection  *collection,
                 NoteJob       *job,
                 GError       **error)
{
  gboolean title_indexed = FALSE;

  for (guint i = 0; i < job->sections->len; i++)
    {
      SdMarkdownSection *section = g_ptr_array_index (job->sections, i);
      gint64 section_id = g_array_index (job->section_ids, gint64, i);
      sqlite3_stmt *stmt;

      if (section_id == 0)
        continue;

      stmt = sd_collection_prepare (collection,
                                    "INSERT INTO note_fts (rowid, title, heading, body)"
                                    " VALUES (?, ?, ?, ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, section_id);
      /* The title goes with the first section only, so a title match ranks
       * the note once rather than every one of its sections. */
      sqlite3_bind_text (stmt, 2, title_indexed ? "" : job->title, -1, SQLITE_STATIC);
      title_indexed = TRUE;
      sqlite3_bind_text (stmt, 3, section->heading, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, section->body, -1, SQLITE_STATIC);
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Writes a batch of read notes in an order that keeps FTS5 writing large
 * segments: the rows of the files, the old sections out (one statement),
 * the new sections, the cards, and the full text last. */
static gboolean
write_batch (ScanState  *state,
             NoteJob   **jobs,
             guint       n_jobs,
             GError    **error)
{
  g_autoptr(GArray) stale = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n_jobs; i++)
    {
      NoteJob *job = jobs[i];

      if (!write_file_row (state, job, error))
        return FALSE;
      if (job->unchanged)
        state->stats->unchanged++;
      else if (job->read_error != NULL)
        state->stats->failed++;
      else if (job->known != NULL)
        state->stats->updated++;
      else
        state->stats->added++;
      if (job->known != NULL && !job->unchanged)
        g_array_append_val (stale, job->file_id);
    }

  if (!delete_by_ids (state->collection,
                      "DELETE FROM note_sections"
                      " WHERE file_id IN (SELECT value FROM json_each (?))",
                      stale, error))
    return FALSE;
  *state->n_churned += stale->len;

  for (guint i = 0; i < n_jobs; i++)
    if (jobs[i]->sections != NULL && !write_sections (state->collection, jobs[i], error))
      return FALSE;

  /* The cards written in a note follow its text, in the same transaction.
   * A note that cannot be read keeps its cards as they were; one with no
   * cards now and none before has nothing to sync. */
  for (guint i = 0; i < n_jobs; i++)
    {
      NoteJob *job = jobs[i];

      if (job->text == NULL)
        continue;
      if (!job->has_cards && !has_live_cards (state->collection, job->file_id))
        continue;
      if (!sd_note_cards_sync_file (state->collection, job->file_id, job->text, error))
        return FALSE;
    }

  for (guint i = 0; i < n_jobs; i++)
    if (jobs[i]->sections != NULL && !write_full_text (state->collection, jobs[i], error))
      return FALSE;

  return TRUE;
}

/* Reads the notes the walk found on reader threads and writes them here,
 * in path order. */
static gboolean
index_notes (ScanState  *state,
             GError    **error)
{
  g_autoptr(SdCardSyntaxSettings) settings = NULL;
  g_autofree char *folder_name = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  GPtrArray *jobs = state->jobs;
  ReadQueue queue = { jobs };
  gboolean ok = TRUE;

  if (jobs->len == 0)
    return TRUE;

  settings = sd_note_cards_get_settings (state->collection);
  folder_name = g_path_get_basename (state->root);
  threads = g_ptr_array_new ();
  queue.settings = settings;
  queue.folder_name = folder_name;

  g_mutex_init (&queue.lock);
  g_cond_init (&queue.cond);
  if (jobs->len >= THREADED_MIN)
    {
      guint n_threads = CLAMP (g_get_num_processors (), 1, 8);

      for (guint i = 0; i < n_threads; i++)
        g_ptr_array_add (threads, g_thread_new ("sd-library-read", read_worker, &queue));
    }

  for (guint start = 0; ok && start < jobs->len; start += WRITE_BATCH)
    {
      guint end = MIN (start + WRITE_BATCH, jobs->len);

      if (g_cancellable_set_error_if_cancelled (state->cancellable, error))
        {
          ok = FALSE;
          break;
        }

      for (guint i = start; i < end; i++)
        {
          NoteJob *job = g_ptr_array_index (jobs, i);

          if (threads->len == 0)
            {
              prepare_note (job, settings, folder_name);
              continue;
            }
          g_mutex_lock (&queue.lock);
          while (!job->ready)
            g_cond_wait (&queue.cond, &queue.lock);
          g_mutex_unlock (&queue.lock);
        }

      ok = write_batch (state, (NoteJob **) jobs->pdata + start, end - start, error);

      for (guint i = start; i < end; i++)
        note_job_clear_results (g_ptr_array_index (jobs, i));
      g_mutex_lock (&queue.lock);
      queue.written = end;
      g_cond_broadcast (&queue.cond);
      g_mutex_unlock (&queue.lock);
    }

  g_mutex_lock (&queue.lock);
  queue.stop = TRUE;
  g_cond_broadcast (&queue.cond);
  g_mutex_unlock (&queue.lock);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_mutex_clear (&queue.lock);
  g_cond_clear (&queue.cond);

  return ok;
}

static gboolean
record_failure (ScanState   *state,
                const char  *relpath,
                const char  *message,
                GError     **error)
{
  g_autofree char *base = g_path_get_basename (relpath);
  KnownFile *known = g_hash_table_lookup (state->known, relpath);
  sqlite3_stmt *stmt;

  if (known != NULL)
    known->seen = TRUE;
  state->stats->failed++;

  stmt = sd_collection_prepare (state->collection,
                                "INSERT INTO note_files (folder_id, relpath, title, mtime, size,"
                                " hash, error) VALUES (?, ?, ?, 0, 0, '', ?)"
                                " ON CONFLICT (folder_id, relpath) DO UPDATE SET"
                                " error = excluded.error, hash = '', mtime = 0",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, state->folder_id);
  sqlite3_bind_text (stmt, 2, relpath, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, base, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, message, -1, SQLITE_STATIC);
  return sd_collection_step_done (state->collection, stmt, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Finds the notes to read: new ones, and those whose time or size moved. */
static gboolean
scan_dir (ScanState   *state,
          const char  *reldir,
          GError     **error)
{
  g_autofree char *dir_path = reldir[0] ? g_build_filename (state->root, reldir, NULL)
                                        : g_strdup (state->root);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GStatBuf st;
  const char *name;

  if (g_stat (dir_path, &st) != 0)
    return TRUE;
  {
    char *key = g_strdup_printf ("%ju:%ju", (uintmax_t) st.st_dev, (uintmax_t) st.st_ino);
    if (!g_hash_table_add (state->visited, key))
      return TRUE;  /* already walked: a symlink loop or a second link to it */
  }

  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return TRUE;  /* unreadable folders are skipped, the rest is indexed */

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = g_ptr_array_index (names, i);
      g_autofree char *relpath = reldir[0] ? g_build_filename (reldir, entry, NULL)
                                           : g_strdup (entry);
      g_autofree char *path = g_build_filename (state->root, relpath, NULL);
      KnownFile *known;
      NoteJob *job;
      gint64 mtime;

      if (g_cancellable_set_error_if_cancelled (state->cancellable, error))
        return FALSE;

      /* Hidden folders hold tool state (.git, .obsidian, .trash), not notes. */
      if (entry[0] == '.')
        continue;

      if (g_stat (path, &st) != 0)
        {
          int saved = errno;

          if (is_note_name (entry))
            {
              g_autofree char *message = saved == ELOOP
                ? g_strdup (_("The note is a symbolic link that loops back on itself"))
                : g_strdup_printf (_("The note cannot be read: %s"), g_strerror (saved));
              if (!record_failure (state, relpath, message, error))
                return FALSE;
            }
          continue;
        }

      if (S_ISDIR (st.st_mode))
        {
          if (!scan_dir (state, relpath, error))
            return FALSE;
          continue;
        }

      if (!S_ISREG (st.st_mode) || !is_note_name (entry))
        continue;

      mtime = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
      known = g_hash_table_lookup (state->known, relpath);
      if (known != NULL)
        known->seen = TRUE;
      if (known != NULL && known->mtime == mtime && known->size == (gint64) st.st_size
          && !known->failed)
        {
          state->stats->unchanged++;
          continue;
        }

      job = g_new0 (NoteJob, 1);
      job->relpath = g_steal_pointer (&relpath);
      job->path = g_steal_pointer (&path);
      job->mtime = mtime;
      job->size = st.st_size;
      job->known = known;
      g_ptr_array_add (state->jobs, job);
    }

  return TRUE;
}

static gboolean
scan_folder (SdCollection  *collection,
             SdNoteFolder  *folder,
             GCancellable  *cancellable,
             SdScanStats   *stats,
             guint         *n_known,
             guint         *n_churned,
             GError       **error)
{
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) known_file_free);
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) note_job_free);
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  ScanState state = { collection, folder->id, folder->path, known, visited, jobs, stats,
                      cancellable, n_churned };
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *stmt;

  stmt = sd_collection_prepare (collection,
                                "SELECT relpath, id, mtime, size, hash, error <> ''"
                                " FROM note_files WHERE folder_id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, folder->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KnownFile *k = g_new0 (KnownFile, 1);
      k->id = sqlite3_column_int64 (stmt, 1);
      k->mtime = sqlite3_column_int64 (stmt, 2);
      k->size = sqlite3_column_int64 (stmt, 3);
      k->hash = sd_column_dup (stmt, 4);
      k->failed = sqlite3_column_int (stmt, 5);
      g_hash_table_insert (known, sd_column_dup (stmt, 0), k);
    }
  sqlite3_reset (stmt);
  *n_known += g_hash_table_size (known);

  /* A folder that is gone (an unplugged disk, a revoked portal grant) keeps
   * its index rather than losing it. */
  if (!g_file_test (folder->path, G_FILE_TEST_IS_DIR))
    return TRUE;

  if (!scan_dir (&state, "", error) || !index_notes (&state, error))
    return FALSE;

  g_hash_table_iter_init (&iter, known);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      KnownFile *k = value;

      if (k->seen)
        continue;
      g_array_append_val (gone, k->id);
      stats->removed++;
    }
  *n_churned += gone->len;

  return delete_by_ids (collection,
                        "DELETE FROM note_files WHERE id IN (SELECT value FROM json_each (?))",
                        gone, error);
}

/* Fewer changed notes than this never call for merging the full-text
 * index: a small index stays quick to search anyway. */
#define CHURN_MIN 500

/**
 * sd_library_scan:
 *
 * Brings the index up to date with every notes folder: only added, changed
 * and removed files are read. Runs in one transaction; a cancelled or failed
 * scan leaves the index as it was. Blocking: call it from a worker thread
 * with its own collection.
 */
gboolean
sd_library_scan (SdCollection  *collection,
                 GCancellable  *cancellable,
                 SdScanStats   *stats,
                 GError       **error)
{
  g_autoptr(GPtrArray) folders = sd_library_list_folders (collection, error);
  SdScanStats local = { 0 };
  guint n_known = 0;
  guint n_churned = 0;

  if (folders == NULL)
    return FALSE;
  if (stats == NULL)
    stats = &local;
  memset (stats, 0, sizeof *stats);

  if (!sd_collection_begin (collection, error))
    return FALSE;

  for (guint i = 0; i < folders->len; i++)
    if (!scan_folder (collection, g_ptr_array_index (folders, i), cancellable, stats,
                      &n_known, &n_churned, error))
      {
        sd_collection_rollback (collection);
        return FALSE;
      }

  /* FTS5 keeps a replaced row's old entries, and marks of their removal,
   * until its segments merge; after many notes changed at once (an upgrade,
   * a checkout), every search would read through them. Merging them all
   * costs less than the indexing did. */
  if (n_churned >= CHURN_MIN && n_churned >= n_known / 4
      && !sd_collection_exec (collection, "INSERT INTO note_fts (note_fts) VALUES ('optimize')",
                              error))
    {
      sd_collection_rollback (collection);
      return FALSE;
    }

  return sd_collection_commit (collection, error);
}

static void
scan_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(SdCollection) own = NULL;
  g_autoptr(GError) error = NULL;
  SdScanStats *stats = g_new0 (SdScanStats, 1);

  /* SQLite connections are not shared across threads: the worker opens its own. */
  own = sd_collection_open (path, &error);
  if (own == NULL || !sd_library_scan (own, cancellable, stats, &error))
    {
      g_free (stats);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, stats, g_free);
}

/**
 * sd_library_scan_async:
 *
 * Runs sd_library_scan() in a worker thread on its own connection to the
 * collection; when it changed anything, @collection emits #SdCollection::changed
 * before @callback runs.
 */
void
sd_library_scan_async (SdCollection        *collection,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (collection, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_library_scan_async);
  g_task_set_task_data (task, g_strdup (sd_collection_get_path (collection)), g_free);
  g_task_run_in_thread (task, scan_worker);
}

gboolean
sd_library_scan_finish (SdCollection  *collection,
                        GAsyncResult  *result,
                        SdScanStats   *stats,
                        GError       **error)
{
  g_autofree SdScanStats *done = NULL;

  g_return_val_if_fail (g_task_is_valid (result, collection), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (stats != NULL)
    *stats = *done;
  if (done->added + done->updated + done->removed + done->failed > 0)
    sd_collection_notify_changed (collection);
  return TRUE;
}

#define FILE_COLUMNS \
  "SELECT f.id, f.folder_id, d.path, f.relpath, f.title, f.error, f.mtime, f.size" \
  " FROM note_files f JOIN note_folders d ON d.id = f.folder_id "

static SdNoteFile *
file_from_row (sqlite3_stmt *stmt)
{
  SdNoteFile *file = g_new0 (SdNoteFile, 1);

  file->id = sqlite3_column_int64 (stmt, 0);
  file->folder_id = sqlite3_column_int64 (stmt, 1);
  file->relpath = sd_column_dup (stmt, 3);
  file->path = g_build_filename ((const char *) sqlite3_column_text (stmt, 2), file->relpath, NULL);
  file->title = sd_column_dup (stmt, 4);
  file->error = sd_column_dup (stmt, 5);
  file->mtime = sqlite3_column_int64 (stmt, 6);
  file->size = sqlite3_column_int64 (stmt, 7);
  return file;
}

/**
 * sd_library_list_files:
 *
 * Returns: (transfer full) (element-type SdNoteFile): every indexed note by
 *   folder and path
 */
GPtrArray *
sd_library_list_files (SdCollection  *collection,
                       GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_note_file_free);
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              FILE_COLUMNS "ORDER BY d.path, f.relpath", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (files, file_from_row (stmt));
  sqlite3_reset (stmt);
  return g_steal_pointer (&files);
}

/**
 * sd_library_find_file:
 *
 * Returns: (nullable) (transfer full): the indexed note at @path
 */
SdNoteFile *
sd_library_find_file (SdCollection *collection,
                      const char   *path)
{
  g_autoptr(GPtrArray) folders = sd_library_list_folders (collection, NULL);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);

  for (guint i = 0; folders != NULL && i < folders->len; i++)
    {
      SdNoteFolder *folder = g_ptr_array_index (folders, i);
      gsize len = strlen (folder->path);
      sqlite3_stmt *stmt;
      SdNoteFile *file = NULL;

      if (strncmp (canonical, folder->path, len) != 0 || canonical[len] != G_DIR_SEPARATOR)
        continue;

      stmt = sd_collection_prepare (collection,
                                    FILE_COLUMNS "WHERE f.folder_id = ? AND f.relpath = ?", NULL);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, folder->id);
      sqlite3_bind_text (stmt, 2, canonical + len + 1, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        file = file_from_row (stmt);
      sqlite3_reset (stmt);
      if (file != NULL)
        return file;
    }
  return NULL;
}

GPtrArray *
sd_library_list_headings (SdCollection  *collection,
                          gint64         file_id,
                          GError       **error)
{
  g_autoptr(GPtrArray) headings = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_note_heading_free);
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT level, heading, line FROM note_sections"
                                              " WHERE file_id = ? AND level > 0 ORDER BY ord",
                                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, file_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SdNoteHeading *heading = g_new0 (SdNoteHeading, 1);
      heading->level = sqlite3_column_int (stmt, 0);
      heading->text = sd_column_dup (stmt, 1);
      heading->line = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (headings, heading);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&headings);
}
