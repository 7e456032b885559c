/* bench-library.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The notes index on a generated folder of 10,000 notes (about 50 MB):
 * the first (cold) index, rescans with nothing or one note changed, searches
 * (each timed many times for its median and 95th percentile), then rescans
 * with every note touched and with every note indexed again, and the most
 * common word searched once more after that.
 *
 *   bench-library [N_NOTES] [--corpus DIR] [--index-runs N] [--search-runs N]
 *
 * Prints a Markdown table. --corpus keeps the generated folder in DIR and
 * reuses it on the next run (the same seed gives the same notes). */

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include <utime.h>

#include "sd-collection-private.h"
#include "sd-library.h"

static const char *words[] = {
  "container", "image", "registry", "layer", "digest", "kubernetes", "pod", "deployment",
  "service", "ingress", "scheduler", "node", "volume", "secret", "config", "namespace",
  "replica", "rollout", "probe", "liveness", "readiness", "cluster", "network", "policy",
  "storage", "claim", "helm", "chart", "operator", "controller", "etcd", "kubelet",
  "runtime", "cgroup", "isolation", "overlay", "manifest", "tag", "label", "selector",
};

/* Text with a natural spread of words: a vocabulary of made-up words drawn
 * by Zipf's law (a few very common, most rare), with the subject's terms
 * sprinkled in. */
#define VOCABULARY 4000

static char *vocabulary[VOCABULARY];
static double zipf_cumulative[VOCABULARY];

static void
make_vocabulary (GRand *rand)
{
  static const char *syllables[] = { "ka", "to", "ri", "en", "mo", "sa", "lu", "pe", "di", "ran",
                                     "ve", "shi", "no", "ta", "el", "bo", "qui", "dar", "mi", "so" };
  double total = 0;

  for (int i = 0; i < VOCABULARY; i++)
    {
      GString *word = g_string_new (NULL);
      int n = 1 + g_rand_int_range (rand, 1, 4);
      for (int k = 0; k < n; k++)
        g_string_append (word, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
      vocabulary[i] = g_string_free (word, FALSE);
      total += 1.0 / (i + 1);
      zipf_cumulative[i] = total;
    }
}

static const char *
pick_word (GRand *rand)
{
  double target;
  int lo = 0;
  int hi = VOCABULARY - 1;

  if (g_rand_int_range (rand, 0, 100) < 3)
    return words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

  /* The first word whose cumulative weight reaches the target. */
  target = g_rand_double (rand) * zipf_cumulative[VOCABULARY - 1];
  while (lo < hi)
    {
      int mid = (lo + hi) / 2;
      if (zipf_cumulative[mid] < target)
        lo = mid + 1;
      else
        hi = mid;
    }
  return vocabulary[lo];
}

static void
write_note (const char *dir,
            int         i,
            GRand      *rand)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *sub = g_strdup_printf ("%s/unit-%02d", dir, i % 50);
  g_autofree char *path = g_strdup_printf ("%s/note-%05d.md", sub, i);

  g_mkdir_with_parents (sub, 0755);
  g_string_append_printf (text, "---\ndeck: Bench::Unit %d\n---\n# Note %d about %s\n\n", i % 50, i,
                          words[i % G_N_ELEMENTS (words)]);
  while (text->len < 5000)
    {
      g_string_append_printf (text, "## Section on %s\n\n",
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      for (int p = 0; p < 3; p++)
        {
          for (int w = 0; w < 40; w++)
            g_string_append_printf (text, "%s%s", w ? " " : "", pick_word (rand));
          g_string_append (text, ".\n\n");
        }
      g_string_append_printf (text, "- a *list* item with `code` and a [link](note-%05d.md)\n\n",
                              g_rand_int_range (rand, 0, 10000));
    }
  g_file_set_contents (path, text->str, text->len, NULL);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_database (const char *db)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      g_unlink (path);
    }
}

static guint64
folder_bytes (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint64 bytes = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_stat (child, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        bytes += folder_bytes (child);
      else
        bytes += st.st_size;
    }
  return bytes;
}

/* The peak resident size since the last reset_peak_rss (), in kB; the kernel
 * forgets the old peak when "5" is written to clear_refs. */
static void
reset_peak_rss (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static guint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

/* User and system time of every thread so far, in ms: on a busy machine it
 * says what the work cost when the wall clock says little. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The value below which p percent of the sorted samples fall (nearest rank). */
static double
percentile (GArray *sorted,
            double  p)
{
  guint rank = (guint) (p / 100.0 * sorted->len + 0.999999);

  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

static void
print_times (const char *what,
             GArray     *samples)
{
  g_array_sort (samples, compare_doubles);
  g_print ("| %s | %.1f ms | %.1f ms | %u |\n", what, percentile (samples, 50),
           percentile (samples, 95), samples->len);
}

typedef struct
{
  const char *what;
  const char *query;
} Query;

static void
time_search (SdCollection *collection,
             const char   *what,
             const char   *query,
             int           runs,
             GArray       *samples)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  gint64 start = g_get_monotonic_time ();
  guint hits = 0;

  g_array_set_size (samples, 0);
  for (int r = 0; r < runs + 1; r++)
    {
      g_autoptr(GPtrArray) found = NULL;
      gint64 t = g_get_monotonic_time ();
      double ms;

      found = sd_library_search (collection, query, 100, &error);
      ms = ms_since (t);
      g_assert_no_error (error);
      hits = found->len;
      /* The first run warms the statement cache. */
      if (r > 0)
        g_array_append_val (samples, ms);
      /* A slow search gets fewer runs, but enough for a median. */
      if (r >= 10 && g_get_monotonic_time () - start > 10 * G_USEC_PER_SEC)
        break;
    }
  row = g_strdup_printf ("search, %s `%s` (%u hits)", what, query, hits);
  print_times (row, samples);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *corpus = NULL;
  int index_runs = 3;
  int search_runs = 200;
  GOptionEntry entries[] = {
    { "corpus", 0, 0, G_OPTION_ARG_FILENAME, &corpus, "Keep and reuse the generated notes here",
      "DIR" },
    { "index-runs", 0, 0, G_OPTION_ARG_INT, &index_runs, "Cold index this many times", "N" },
    { "search-runs", 0, 0, G_OPTION_ARG_INT, &search_runs, "Run each search this many times", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[N_NOTES]");
  g_autofree char *dir = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *db = NULL;
  g_autofree char *rare = NULL;
  g_autofree char *three = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_samples = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 rss_index;
  guint64 rss_search;
  guint64 rss_again;
  SdScanStats stats;
  gint64 t;
  int n;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n = argc > 1 ? atoi (argv[1]) : 10000;
  index_runs = MAX (index_runs, 1);
  search_runs = MAX (search_runs, 1);

  if (corpus != NULL)
    {
      g_mkdir_with_parents (corpus, 0755);
      dir = g_canonicalize_filename (corpus, NULL);
    }
  else
    dir = g_dir_make_tmp ("studydeck-bench-notes-XXXXXX", NULL);
  notes = g_strdup_printf ("%s/notes-%d", dir, n);
  db = g_build_filename (dir, "collection.db", NULL);

  /* The vocabulary comes first from the seed, so it is the same whether the
   * notes are written now or were kept from an earlier run. */
  make_vocabulary (rand);
  if (!g_file_test (notes, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *partial = g_strconcat (notes, ".partial", NULL);

      rm_rf (partial);
      for (int i = 0; i < n; i++)
        write_note (partial, i, rand);
      g_rename (partial, notes);
    }

  /* The notes were just written or read, so they are in the page cache: "cold"
   * is the index, not the disk. */
  g_array_set_size (samples, 0);
  reset_peak_rss ();
  for (int r = 0; r < index_runs; r++)
    {
      double ms, cpu;

      g_clear_object (&collection);
      remove_database (db);
      collection = sd_collection_open (db, &error);
      g_assert_no_error (error);
      sd_library_add_folder (collection, notes, &error);
      g_assert_no_error (error);

      t = g_get_monotonic_time ();
      cpu = cpu_ms ();
      g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
      ms = ms_since (t);
      cpu = cpu_ms () - cpu;
      g_assert_cmpuint (stats.added, ==, (guint) n);
      g_array_append_val (samples, ms);
      g_array_append_val (cpu_samples, cpu);
    }
  rss_index = peak_rss_kb ();

  g_print ("%d notes, %.1f MB, each with front matter, headings, lists, links;"
           " %d-word Zipf vocabulary plus %u subject terms\n\n",
           n, folder_bytes (notes) / 1e6, VOCABULARY, (guint) G_N_ELEMENTS (words));
  g_print ("| operation | p50 | p95 | runs |\n| --- | --: | --: | --: |\n");
  print_times ("cold index (read, parse, index, full-text)", samples);
  print_times ("cold index, CPU time of all threads", cpu_samples);

  g_array_set_size (samples, 0);
  for (int r = 0; r < 20; r++)
    {
      double ms;

      t = g_get_monotonic_time ();
      g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
      ms = ms_since (t);
      g_assert_cmpuint (stats.unchanged, ==, (guint) n);
      g_array_append_val (samples, ms);
    }
  print_times ("rescan, nothing changed", samples);

  g_array_set_size (samples, 0);
  for (int r = 0; r < 5; r++)
    {
      g_autofree char *path = g_strdup_printf ("%s/unit-07/note-00007.md", notes);
      g_autofree char *text = NULL;
      g_autofree char *changed = NULL;
      double ms;

      g_file_get_contents (path, &text, NULL, NULL);
      changed = g_strdup_printf ("%s\nOne more line about etcd (%d).\n", text, r);
      g_file_set_contents (path, changed, -1, NULL);

      t = g_get_monotonic_time ();
      g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
      ms = ms_since (t);
      g_assert_cmpuint (stats.updated, ==, 1);
      g_array_append_val (samples, ms);

      g_file_set_contents (path, text, -1, NULL);
      g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
    }
  print_times ("rescan, one note changed", samples);

  /* As typed in the notes list, where the word still being typed matches as
   * a prefix. The rare word is the least likely of the vocabulary, the common
   * one the tenth most likely, the most common one is in most sections; the
   * three-letter prefix is the start of that one. */
  rare = g_strdup (vocabulary[VOCABULARY - 1]);
  three = g_strndup (vocabulary[0], 3);
  {
    Query queries[] = {
      { "rare word", rare },
      { "subject term", "kubelet" },
      { "common word", vocabulary[9] },
      { "most common word", vocabulary[0] },
      { "prefix", "kube" },
      { "two-letter prefix", "ka" },
      { "three-letter prefix", three },
      { "phrase", "\"liveness probe\"" },
      { "3 terms", "etcd helm chart" },
    };

    reset_peak_rss ();
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      time_search (collection, queries[q].what, queries[q].query, search_runs, samples);
    rss_search = peak_rss_kb ();
  }

  /* Every note touched (a checkout, a sync tool): read and hashed again,
   * but nothing to index. */
  reset_peak_rss ();
  g_array_set_size (samples, 0);
  {
    g_autoptr(GPtrArray) files = sd_library_list_files (collection, &error);
    double ms;

    for (guint i = 0; i < files->len; i++)
      {
        const char *path = ((SdNoteFile *) files->pdata[i])->path;
        struct utimbuf times;
        GStatBuf st;

        g_assert_cmpint (g_stat (path, &st), ==, 0);
        times.actime = times.modtime = st.st_mtime + 1;
        utime (path, &times);
      }
    t = g_get_monotonic_time ();
    g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
    ms = ms_since (t);
    g_assert_cmpuint (stats.unchanged, ==, (guint) n);
    g_array_append_val (samples, ms);
  }
  print_times ("rescan, every note touched", samples);

  /* Every note indexed again over its old index, as after an upgrade that
   * asks for it. */
  g_array_set_size (samples, 0);
  {
    double ms;

    g_assert_true (sd_collection_exec (collection, "UPDATE note_files SET hash = '', mtime = 0",
                                       &error));
    t = g_get_monotonic_time ();
    g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
    ms = ms_since (t);
    g_assert_cmpuint (stats.updated, ==, (guint) n);
    g_array_append_val (samples, ms);
  }
  print_times ("rescan, every note indexed again", samples);
  rss_again = peak_rss_kb ();
  time_search (collection, "most common word, after every note was indexed again",
               vocabulary[0], search_runs, samples);

  /* Pages of the database read through its memory map count as resident. */
  g_print ("\npeak RSS: %.0f MB during the cold indexes, %.0f MB during the searches,"
           " %.0f MB indexing every note again\n",
           rss_index / 1024.0, rss_search / 1024.0, rss_again / 1024.0);

  /* A kept corpus keeps its index too, to look into; the next run starts
   * from an empty one anyway. */
  g_clear_object (&collection);
  if (corpus == NULL)
    rm_rf (dir);
  return 0;
}
