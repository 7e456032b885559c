/* sd-library.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
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
  g_autoptr(SdCardSyntaxSettings) settings = sd_note_cards_get_settings (state->collection);
  g_autofree char *folder_name = g_path_get_basename (state->root);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  GPtrArray *jobs = state->jobs;
  ReadQueue queue = { jobs, settings, folder_name };
  gboolean ok = TRUE;

  if (jobs->len == 0)
    return TRUE;

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

void
sd_note_hit_free (SdNoteHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->path);
  g_free (hit->title);
  g_free (hit->heading);
  g_free (hit->snippet);
  g_free (hit);
}

static void
append_term (GString    *out,
             const char *term,
             gsize       len,
             gboolean    prefix)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (term[i] == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, term[i]);
    }
  g_string_append_c (out, '"');
  if (prefix)
    g_string_append_c (out, '*');
}

typedef struct
{
  const char *start;
  gsize       len;
} QueryTerm;

/* Cuts what the user typed into words and "exact phrases". Returns whether
 * the last term is a word still being typed (no space after it yet). */
static gboolean
split_query (const char *query,
             GArray     *terms)
{
  const char *p = query ? query : "";
  gboolean last_is_word = FALSE;

  while (*p != '\0')
    {
      QueryTerm term;
      const char *end;
      gboolean is_word;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      if (*p == '"')
        {
          term.start = p + 1;
          end = strchr (term.start, '"');
          if (end == NULL)
            end = term.start + strlen (term.start);
          p = *end ? end + 1 : end;
          is_word = FALSE;
        }
      else
        {
          term.start = p;
          while (*p != '\0' && !g_ascii_isspace (*p) && *p != '"')
            p++;
          end = p;
          is_word = TRUE;
        }

      if (end > term.start)
        {
          term.len = end - term.start;
          g_array_append_val (terms, term);
          last_is_word = is_word;
        }
      else
        last_is_word = FALSE;
    }

  return terms->len > 0 && last_is_word && query[strlen (query) - 1] != ' ';
}

/**
 * sd_library_fts_query:
 * @query: what the user typed: words, and "exact phrases" in quotes
 *
 * Turns typed text into an FTS5 query in which every word must match and
 * nothing the user types is read as FTS5 syntax. The last word matches as a
 * prefix, so results follow the typing.
 *
 * Returns: (transfer full) (nullable): the FTS5 query, or %NULL when there is
 *   nothing to search for
 */
char *
sd_library_fts_query (const char *query)
{
  g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (QueryTerm));
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean typing = split_query (query, terms);

  if (terms->len == 0)
    return NULL;

  for (guint i = 0; i < terms->len; i++)
    {
      QueryTerm *term = &g_array_index (terms, QueryTerm, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      append_term (out, term->start, term->len, typing && i == terms->len - 1);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A prefix costs FTS5 a merge of the lists of every word it starts, on
 * each statement that matches it: a short one (the "no" of "notes") can
 * start most words of the notes. So the word being typed matches as a
 * prefix in the text once it has this many bytes (bytes, not characters:
 * two ideographs start far fewer words than two letters)... */
#define PREFIX_MIN_BODY 4
/* ...and before that, from this many, in titles and headings only, where the
 * lists are short; shorter still, it matches as a whole word. */
#define PREFIX_MIN_HEADS 3

/* The query sd_library_search() runs: that of sd_library_fts_query(), with
 * the word being typed matched as the lengths above allow. */
static char *
search_query (const char *query,
              GArray     *terms,
              gboolean    typing)
{
  g_autoptr(GString) out = g_string_new (NULL);
  QueryTerm *last;

  if (terms->len == 0)
    return NULL;
  last = &g_array_index (terms, QueryTerm, terms->len - 1);
  if (!typing || last->len >= PREFIX_MIN_BODY)
    return sd_library_fts_query (query);

  /* FTS5 takes a parenthesised group only after an explicit AND. */
  for (guint i = 0; i + 1 < terms->len; i++)
    {
      QueryTerm *term = &g_array_index (terms, QueryTerm, i);

      append_term (out, term->start, term->len, FALSE);
      g_string_append (out, " AND ");
    }
  if (last->len < PREFIX_MIN_HEADS)
    {
      append_term (out, last->start, last->len, FALSE);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  g_string_append_c (out, '(');
  append_term (out, last->start, last->len, FALSE);
  g_string_append (out, " OR {title heading} : ");
  append_term (out, last->start, last->len, TRUE);
  g_string_append_c (out, ')');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Ranking touches every section it is asked to rank, and bm25 costs about a
 * microsecond a section: a word in most of 60,000 sections takes tens of
 * milliseconds, more than a keystroke may. Past this many matches, the
 * sections whose title or heading matches come first, then the newest
 * matches; below it, every match is ranked. */
#define RANK_MAX 2000

/* Our own bm25, the one FTS5 documents (k1 = 1.2, b = 0.75) with the
 * columns weighed 10 (title), 4 (heading) and 1 (text), but for one thing:
 * a query of a single phrase skips the phrase's inverse document frequency.
 * That factor scales every score alike, so the order is bm25's, and finding
 * it costs FTS5 a pass over every match (for a prefix, a merge of the lists
 * of every word it starts) on each search. */
#define RANK_K1 1.2
#define RANK_B 0.75

static const double rank_weights[] = { 10.0, 4.0, 1.0 };

typedef struct
{
  int     n_phrases;
  double  avgdl;
  double *idf;
  double *freq;   /* per phrase, for the row being ranked */
} RankData;

static void
rank_data_free (gpointer data)
{
  RankData *rank = data;

  g_free (rank->idf);
  g_free (rank->freq);
  g_free (rank);
}

static int
count_match (const Fts5ExtensionApi *api,
             Fts5Context            *fts,
             void                   *user_data)
{
  (*(sqlite3_int64 *) user_data)++;
  return SQLITE_OK;
}

static RankData *
rank_data_new (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               int                     *rc)
{
  RankData *rank = g_new0 (RankData, 1);
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;

  rank->n_phrases = api->xPhraseCount (fts);
  rank->idf = g_new (double, rank->n_phrases);
  rank->freq = g_new (double, rank->n_phrases);

  *rc = api->xRowCount (fts, &rows);
  if (*rc == SQLITE_OK)
    *rc = api->xColumnTotalSize (fts, -1, &tokens);
  rows = MAX (rows, 1);
  rank->avgdl = (double) tokens / rows;

  for (int i = 0; i < rank->n_phrases && *rc == SQLITE_OK; i++)
    {
      sqlite3_int64 matches = 0;
      double idf;

      rank->idf[i] = 1.0;
      if (rank->n_phrases == 1)
        break;
      *rc = api->xQueryPhrase (fts, i, &matches, count_match);
      /* A phrase in more than half the rows would weigh less than nothing. */
      idf = log ((rows - matches + 0.5) / (matches + 0.5));
      rank->idf[i] = idf > 0 ? idf : 1e-6;
    }
  return rank;
}

static void
rank_function (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               sqlite3_context         *context,
               int                      n_values,
               sqlite3_value          **values)
{
  RankData *rank = api->xGetAuxdata (fts, 0);
  int rc = SQLITE_OK;
  int n_inst = 0;
  int n_tokens = 0;
  double length_norm;
  double score = 0;

  if (rank == NULL)
    {
      rank = rank_data_new (api, fts, &rc);
      if (rc == SQLITE_OK)
        rc = api->xSetAuxdata (fts, rank, rank_data_free);
      else
        rank_data_free (rank);
      if (rc != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
    }

  memset (rank->freq, 0, sizeof (double) * rank->n_phrases);
  rc = api->xInstCount (fts, &n_inst);
  for (int i = 0; i < n_inst && rc == SQLITE_OK; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK)
        rank->freq[phrase] += column < (int) G_N_ELEMENTS (rank_weights)
                              ? rank_weights[column] : 1.0;
    }
  if (rc == SQLITE_OK)
    rc = api->xColumnSize (fts, -1, &n_tokens);
  if (rc != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  length_norm = RANK_K1 * (1 - RANK_B + RANK_B * n_tokens / rank->avgdl);
  for (int i = 0; i < rank->n_phrases; i++)
    score += rank->idf[i] * (rank->freq[i] * (RANK_K1 + 1)) / (rank->freq[i] + length_norm);

  /* Lower is better, as with bm25 (). */
  sqlite3_result_double (context, -score);
}

/* FTS5 functions belong to a connection: each collection registers ours on
 * its first search and keeps the FTS5 interface, which lives as long as the
 * connection. */
static fts5_api *
search_api (SdCollection  *collection,
            GError       **error)
{
  sqlite3 *db = sd_collection_get_db (collection);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  fts5_api *fts5 = g_object_get_data (G_OBJECT (collection), "sd-library-fts5");

  if (fts5 != NULL)
    return fts5;

  if (sqlite3_prepare_v2 (db, "SELECT fts5 (?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  sqlite3_bind_pointer (stmt, 1, &fts5, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  if (fts5 == NULL || fts5->iVersion < 2
      || fts5->xCreateFunction (fts5, "sd_rank", NULL, rank_function, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_SQL,
                   _("Collection “%s”: full-text search is not available"),
                   sd_collection_get_path (collection));
      return NULL;
    }

  g_object_set_data (G_OBJECT (collection), "sd-library-fts5", fts5);
  return fts5;
}

typedef struct
{
  gint64 id;
  double score;
} RankedHit;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const RankedHit *x = a;
  const RankedHit *y = b;

  if (x->score != y->score)
    return x->score < y->score ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

/* The newest @max sections matching @fts (highest rowid: sections of the
 * notes indexed last), best first. Ranking runs on the full-text table
 * alone; the joins and snippets are done for the few shown. */
static GArray *
rank_newest (SdCollection  *collection,
             const char    *fts,
             guint          max,
             GError       **error)
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (RankedHit));
  sqlite3_stmt *stmt;
  int rc;

  stmt = sd_collection_prepare (collection,
                                "SELECT rowid, sd_rank (note_fts) FROM note_fts"
                                " WHERE note_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RankedHit hit = { sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1) };

      g_array_append_val (ranked, hit);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  g_array_sort (ranked, compare_ranked);
  return g_steal_pointer (&ranked);
}

/* For a query with too many matches to rank: the sections whose title or
 * heading matches, best first, then the newest matches. The second tier's
 * scores move up behind the first's, so that rank still only grows down
 * the list. */
static GArray *
rank_broad (SdCollection  *collection,
            const char    *fts,
            GArray        *newest,
            GError       **error)
{
  g_autofree char *heads_fts = g_strdup_printf ("{title heading} : (%s)", fts);
  g_autoptr(GArray) heads = rank_newest (collection, heads_fts, RANK_MAX, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  double floor = -G_MAXDOUBLE;
  double shift = 0;
  guint first = 0;

  if (heads == NULL)
    return NULL;

  for (guint i = 0; i < heads->len; i++)
    {
      RankedHit *hit = &g_array_index (heads, RankedHit, i);

      g_hash_table_add (seen, &hit->id);
      floor = MAX (floor, hit->score);
    }
  while (first < newest->len
         && g_hash_table_contains (seen, &g_array_index (newest, RankedHit, first).id))
    first++;
  if (heads->len > 0 && first < newest->len)
    shift = MAX (0, floor - g_array_index (newest, RankedHit, first).score);

  for (guint i = first; i < newest->len; i++)
    {
      RankedHit hit = g_array_index (newest, RankedHit, i);

      if (g_hash_table_contains (seen, &hit.id))
        continue;
      hit.score += shift;
      g_array_append_val (heads, hit);
    }
  return g_steal_pointer (&heads);
}

/* Snippets are made here rather than by FTS5's snippet (), which needs the
 * query matched once more: for a prefix that is another merge of the lists
 * of every word it starts, and a walk over every match to reach the few
 * shown. The text is cut into words by the same tokenizer as the index. */

/* How many words a snippet shows. */
#define SNIPPET_WORDS 12

typedef struct
{
  fts5_tokenizer  tokenizer;
  Fts5Tokenizer  *instance;
} Tokenizer;

static void
tokenizer_free (Tokenizer *tokenizer)
{
  if (tokenizer->instance != NULL)
    tokenizer->tokenizer.xDelete (tokenizer->instance);
  g_free (tokenizer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tokenizer, tokenizer_free)

static Tokenizer *
tokenizer_new (fts5_api  *fts5,
               GError   **error)
{
  /* As note_fts was created with (schema version 2). */
  const char *args[] = { "remove_diacritics", "2" };
  g_autoptr(Tokenizer) tokenizer = g_new0 (Tokenizer, 1);
  void *user_data = NULL;

  if (fts5->xFindTokenizer (fts5, "unicode61", &user_data, &tokenizer->tokenizer) != SQLITE_OK
      || tokenizer->tokenizer.xCreate (user_data, args, G_N_ELEMENTS (args),
                                       &tokenizer->instance) != SQLITE_OK)
    {
      tokenizer->instance = NULL;
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_SQL,
                           _("The full-text tokenizer is not available"));
      return NULL;
    }
  return g_steal_pointer (&tokenizer);
}

/* Words as the tokenizer gives them: folded, and where they are. */
typedef struct
{
  GArray  *starts;   /* int, byte offsets in the text */
  GArray  *ends;
  GArray  *folded;   /* gsize, offsets in text */
  GString *text;     /* the folded words, each ending in a NUL */
} Words;

static void
words_init (Words *words)
{
  words->starts = g_array_new (FALSE, FALSE, sizeof (int));
  words->ends = g_array_new (FALSE, FALSE, sizeof (int));
  words->folded = g_array_new (FALSE, FALSE, sizeof (gsize));
  words->text = g_string_new (NULL);
}

static void
words_clear (Words *words)
{
  g_array_unref (words->starts);
  g_array_unref (words->ends);
  g_array_unref (words->folded);
  g_string_free (words->text, TRUE);
}

static int
add_word (void       *user_data,
          int         flags,
          const char *token,
          int         n_token,
          int         start,
          int         end)
{
  Words *words = user_data;
  gsize offset = words->text->len;

  /* A synonym stands at the place of the word before it. */
  if (flags & FTS5_TOKEN_COLOCATED)
    return SQLITE_OK;
  g_array_append_val (words->starts, start);
  g_array_append_val (words->ends, end);
  g_array_append_val (words->folded, offset);
  g_string_append_len (words->text, token, n_token);
  g_string_append_c (words->text, '\0');
  return SQLITE_OK;
}

static const char *
word_at (Words *words,
         guint  i)
{
  return words->text->str + g_array_index (words->folded, gsize, i);
}

static gboolean
tokenize (Tokenizer  *tokenizer,
          int         flags,
          const char *text,
          gsize       len,
          Words      *words)
{
  return tokenizer->tokenizer.xTokenize (tokenizer->instance, words, flags, text, (int) len,
                                         add_word) == SQLITE_OK;
}

/* A phrase of the query as it matches the text of a section. */
typedef struct
{
  Words    words;
  gboolean prefix;   /* its last word matches as a prefix */
} SnippetPhrase;

static void
snippet_phrase_free (SnippetPhrase *phrase)
{
  words_clear (&phrase->words);
  g_free (phrase);
}

/* The phrases of @terms as search_query () matches them in the text. */
static GPtrArray *
snippet_phrases (Tokenizer *tokenizer,
                 GArray    *terms,
                 gboolean   typing)
{
  GPtrArray *phrases = g_ptr_array_new_with_free_func ((GDestroyNotify) snippet_phrase_free);

  for (guint i = 0; i < terms->len; i++)
    {
      QueryTerm *term = &g_array_index (terms, QueryTerm, i);
      SnippetPhrase *phrase = g_new0 (SnippetPhrase, 1);
      int flags = FTS5_TOKENIZE_QUERY;

      phrase->prefix = typing && i == terms->len - 1 && term->len >= PREFIX_MIN_BODY;
      if (phrase->prefix)
        flags |= FTS5_TOKENIZE_PREFIX;
      words_init (&phrase->words);
      if (!tokenize (tokenizer, flags, term->start, term->len, &phrase->words)
          || phrase->words.starts->len == 0)
        {
          snippet_phrase_free (phrase);
          continue;
        }
      g_ptr_array_add (phrases, phrase);
    }
  return phrases;
}

static gboolean
phrase_matches_at (SnippetPhrase *phrase,
                   Words         *words,
                   guint          at)
{
  guint n = phrase->words.starts->len;

  if (at + n > words->starts->len)
    return FALSE;
  for (guint k = 0; k < n; k++)
    {
      const char *want = word_at (&phrase->words, k);
      const char *have = word_at (words, at + k);

      if (phrase->prefix && k == n - 1 ? !g_str_has_prefix (have, want) : strcmp (have, want) != 0)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  guint first;   /* words */
  guint last;
  guint phrase;
} Match;

/* How good a snippet starting at @start is: the phrases it shows whole,
 * then how many matches. */
static guint
window_score (GArray *matches,
              guint   start,
              guint   n_phrases)
{
  g_autofree gboolean *shown = g_new0 (gboolean, n_phrases);
  guint distinct = 0;
  guint count = 0;

  for (guint i = 0; i < matches->len; i++)
    {
      Match *m = &g_array_index (matches, Match, i);

      if (m->first < start || m->last >= start + SNIPPET_WORDS)
        continue;
      count++;
      if (!shown[m->phrase])
        {
          shown[m->phrase] = TRUE;
          distinct++;
        }
    }
  return distinct * 10000 + count;
}

/* About SNIPPET_WORDS words of @text around its best matches, the matches
 * between SD_LIBRARY_MATCH_START and _END, with an ellipsis where text is
 * left out. A section that matched only by its title or heading shows its
 * first words. */
static char *
make_snippet (Tokenizer  *tokenizer,
              GPtrArray  *phrases,
              const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (Match));
  gsize len = strlen (text);
  Words words;
  guint n_words;
  guint start = 0;
  guint end;
  guint best = 0;
  gsize pos;

  words_init (&words);
  if (!tokenize (tokenizer, FTS5_TOKENIZE_DOCUMENT, text, len, &words))
    {
      words_clear (&words);
      return g_strdup ("");
    }
  n_words = words.starts->len;
  if (n_words == 0)
    {
      words_clear (&words);
      return g_strdup ("");
    }

  for (guint i = 0; i < n_words; i++)
    for (guint p = 0; p < phrases->len; p++)
      {
        SnippetPhrase *phrase = g_ptr_array_index (phrases, p);

        if (phrase_matches_at (phrase, &words, i))
          {
            Match m = { i, i + phrase->words.starts->len - 1, p };
            g_array_append_val (matches, m);
          }
      }

  /* Try a snippet starting at each match; the best one is then moved to
   * have its matches in the middle. */
  if (n_words > SNIPPET_WORDS)
    for (guint i = 0; i < matches->len; i++)
      {
        Match *m = &g_array_index (matches, Match, i);
        guint score = window_score (matches, m->first, phrases->len);

        if (score > best)
          {
            best = score;
            start = m->first;
          }
      }
  if (best > 0)
    {
      guint first = G_MAXUINT;
      guint last = 0;

      for (guint i = 0; i < matches->len; i++)
        {
          Match *m = &g_array_index (matches, Match, i);

          if (m->first >= start && m->last < start + SNIPPET_WORDS)
            {
              first = MIN (first, m->first);
              last = MAX (last, m->last);
            }
        }
      start = first - MIN (first, (SNIPPET_WORDS - (last - first + 1)) / 2);
    }
  start = MIN (start, n_words > SNIPPET_WORDS ? n_words - SNIPPET_WORDS : 0);
  end = MIN (start + SNIPPET_WORDS, n_words) - 1;

  /* The text of the words shown, from the start of the text when they are
   * its first and to its end when they are its last. */
  if (start > 0)
    g_string_append (out, "…");
  pos = start > 0 ? (gsize) g_array_index (words.starts, int, start) : 0;
  for (guint i = 0; i < matches->len; i++)
    {
      Match m = g_array_index (matches, Match, i);

      /* Overlapping matches are marked as one. */
      while (i + 1 < matches->len && g_array_index (matches, Match, i + 1).first <= m.last)
        m.last = MAX (m.last, g_array_index (matches, Match, ++i).last);
      if (m.last < start || m.first > end)
        continue;
      m.first = MAX (m.first, start);
      m.last = MIN (m.last, end);
      g_string_append_len (out, text + pos, g_array_index (words.starts, int, m.first) - pos);
      g_string_append (out, SD_LIBRARY_MATCH_START);
      g_string_append_len (out, text + g_array_index (words.starts, int, m.first),
                           g_array_index (words.ends, int, m.last)
                           - g_array_index (words.starts, int, m.first));
      g_string_append (out, SD_LIBRARY_MATCH_END);
      pos = g_array_index (words.ends, int, m.last);
    }
  if (end == n_words - 1)
    g_string_append_len (out, text + pos, len - pos);
  else
    {
      g_string_append_len (out, text + pos, g_array_index (words.ends, int, end) - pos);
      g_string_append (out, "…");
    }

  words_clear (&words);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * sd_library_search:
 * @limit: the most results to return
 *
 * Full-text search over note titles, headings and text. A hit is a section
 * of a note, best first: title matches weigh most, then headings. The word
 * still being typed matches as a prefix once it has four letters, in titles
 * and headings from three. A query that matches more sections than can be
 * ranked at typing speed lists those whose title or heading matches first,
 * then the newest matches.
 *
 * Returns: (transfer full) (element-type SdNoteHit): the hits
 */
GPtrArray *
sd_library_search (SdCollection  *collection,
                   const char    *query,
                   guint          limit,
                   GError       **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_note_hit_free);
  g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (QueryTerm));
  gboolean typing = split_query (query, terms);
  g_autofree char *fts = search_query (query, terms, typing);
  g_autoptr(GArray) ranked = NULL;
  g_autoptr(GHashTable) order = NULL;
  g_autoptr(GString) ids = NULL;
  g_autoptr(Tokenizer) tokenizer = NULL;
  g_autoptr(GPtrArray) phrases = NULL;
  fts5_api *fts5;
  sqlite3_stmt *stmt;
  int rc;

  if (fts == NULL || limit == 0)
    return g_steal_pointer (&hits);
  fts5 = search_api (collection, error);
  if (fts5 == NULL)
    return NULL;

  ranked = rank_newest (collection, fts, RANK_MAX, error);
  if (ranked == NULL)
    return NULL;
  if (ranked->len >= RANK_MAX)
    {
      GArray *broad = rank_broad (collection, fts, ranked, error);

      if (broad == NULL)
        return NULL;
      g_array_unref (ranked);
      ranked = broad;
    }
  if (ranked->len > limit)
    g_array_set_size (ranked, limit);
  if (ranked->len == 0)
    return g_steal_pointer (&hits);

  tokenizer = tokenizer_new (fts5, error);
  if (tokenizer == NULL)
    return NULL;
  phrases = snippet_phrases (tokenizer, terms, typing);

  order = g_hash_table_new (g_int64_hash, g_int64_equal);
  ids = g_string_new ("[");
  g_ptr_array_set_size (hits, ranked->len);
  for (guint i = 0; i < ranked->len; i++)
    {
      RankedHit *hit = &g_array_index (ranked, RankedHit, i);

      g_hash_table_insert (order, &hit->id, GUINT_TO_POINTER (i + 1));
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "", hit->id);
    }
  g_string_append_c (ids, ']');

  stmt = sd_collection_prepare (collection,
                                "SELECT s.id, s.file_id, d.path, f.relpath, f.title, s.heading,"
                                " s.line, t.body"
                                " FROM note_sections s JOIN note_files f ON f.id = s.file_id"
                                " JOIN note_folders d ON d.id = f.folder_id"
                                " JOIN note_fts t ON t.rowid = s.id"
                                " WHERE s.id IN (SELECT value FROM json_each (?))",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ids->str, ids->len, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (order, &id));
      const char *body = (const char *) sqlite3_column_text (stmt, 7);
      SdNoteHit *hit;

      if (index == 0 || g_ptr_array_index (hits, index - 1) != NULL)
        continue;
      hit = g_new0 (SdNoteHit, 1);
      hit->file_id = sqlite3_column_int64 (stmt, 1);
      hit->path = g_build_filename ((const char *) sqlite3_column_text (stmt, 2),
                                    (const char *) sqlite3_column_text (stmt, 3), NULL);
      hit->title = sd_column_dup (stmt, 4);
      hit->heading = sd_column_dup (stmt, 5);
      hit->line = sqlite3_column_int (stmt, 6);
      hit->snippet = make_snippet (tokenizer, phrases, body ? body : "");
      g_strdelimit (hit->snippet, "\n\t", ' ');
      hit->rank = g_array_index (ranked, RankedHit, index - 1).score;
      g_ptr_array_index (hits, index - 1) = hit;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }

  /* A section whose note went away since it was ranked is no hit. */
  for (guint i = hits->len; i > 0; i--)
    if (g_ptr_array_index (hits, i - 1) == NULL)
      g_ptr_array_remove_index (hits, i - 1);

  return g_steal_pointer (&hits);
}
