/* bench-library.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The notes index on a generated folder of 10,000 notes (about 50 MB):
 * the first (cold) index, a rescan with nothing changed, a rescan after one
 * note changed, and searches.
 *
 *   bench-library [N_NOTES]   (prints a Markdown table) */

#include <locale.h>
#include <stdlib.h>
#include <glib/gstdio.h>

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
static double zipf_total;

static void
make_vocabulary (GRand *rand)
{
  static const char *syllables[] = { "ka", "to", "ri", "en", "mo", "sa", "lu", "pe", "di", "ran",
                                     "ve", "shi", "no", "ta", "el", "bo", "qui", "dar", "mi", "so" };

  for (int i = 0; i < VOCABULARY; i++)
    {
      GString *word = g_string_new (NULL);
      int n = 1 + g_rand_int_range (rand, 1, 4);
      for (int k = 0; k < n; k++)
        g_string_append (word, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
      vocabulary[i] = g_string_free (word, FALSE);
      zipf_total += 1.0 / (i + 1);
    }
}

static const char *
pick_word (GRand *rand)
{
  double target;

  if (g_rand_int_range (rand, 0, 100) < 3)
    return words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
  target = g_rand_double (rand) * zipf_total;
  for (int i = 0; i < VOCABULARY; i++)
    {
      target -= 1.0 / (i + 1);
      if (target <= 0)
        return vocabulary[i];
    }
  return vocabulary[VOCABULARY - 1];
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

int
main (int    argc,
      char **argv)
{
  int n = argc > 1 ? atoi (argv[1]) : 10000;
  g_autofree char *dir = g_dir_make_tmp ("studydeck-bench-notes-XXXXXX", NULL);
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *db = g_build_filename (dir, "collection.db", NULL);
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  /* A subject term, a prefix being typed, a phrase, three terms, and the
   * most common word of all (the worst case: it is in every section). */
  const char *queries[] = { "kubelet", "kube", "\"liveness probe\"", "etcd helm chart", NULL };
  guint64 bytes = 0;
  SdScanStats stats;
  gint64 t;
  double cold, warm, one;

  setlocale (LC_ALL, "");
  make_vocabulary (rand);
  for (int i = 0; i < n; i++)
    write_note (notes, i, rand);
  {
    g_autoptr(GDir) d = NULL;
    for (int u = 0; u < 50; u++)
      {
        g_autofree char *sub = g_strdup_printf ("%s/unit-%02d", notes, u);
        const char *name;
        d = g_dir_open (sub, 0, NULL);
        while (d != NULL && (name = g_dir_read_name (d)) != NULL)
          {
            g_autofree char *p = g_build_filename (sub, name, NULL);
            GStatBuf st;
            if (g_stat (p, &st) == 0)
              bytes += st.st_size;
          }
        g_clear_pointer (&d, g_dir_close);
      }
  }

  collection = sd_collection_open (db, &error);
  g_assert_no_error (error);
  sd_library_add_folder (collection, notes, &error);

  t = g_get_monotonic_time ();
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  cold = ms_since (t);
  g_assert_cmpuint (stats.added, ==, (guint) n);

  t = g_get_monotonic_time ();
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  warm = ms_since (t);
  g_assert_cmpuint (stats.unchanged, ==, (guint) n);

  {
    g_autofree char *path = g_strdup_printf ("%s/unit-07/note-00007.md", notes);
    g_autofree char *text = NULL;
    g_file_get_contents (path, &text, NULL, NULL);
    g_autofree char *changed = g_strconcat (text, "\nOne more line about etcd.\n", NULL);
    g_file_set_contents (path, changed, -1, NULL);
  }
  t = g_get_monotonic_time ();
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  one = ms_since (t);
  g_assert_cmpuint (stats.updated, ==, 1);

  g_print ("%d notes, %.1f MB, each with front matter, headings, lists, links;"
           " %d-word Zipf vocabulary plus %u subject terms\n\n",
           n, bytes / 1e6, VOCABULARY, (guint) G_N_ELEMENTS (words));
  g_print ("| operation | time |\n| --- | --: |\n");
  g_print ("| cold index (read, parse, index, full-text) | %.0f ms |\n", cold);
  g_print ("| rescan, nothing changed | %.1f ms |\n", warm);
  g_print ("| rescan, one note changed | %.1f ms |\n", one);

  queries[G_N_ELEMENTS (queries) - 1] = vocabulary[0];
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      double best = G_MAXDOUBLE;
      guint hits = 0;

      for (int r = 0; r < 10; r++)
        {
          g_autoptr(GPtrArray) found = NULL;
          t = g_get_monotonic_time ();
          found = sd_library_search (collection, queries[q], 50, &error);
          best = MIN (best, ms_since (t));
          hits = found->len;
        }
      g_print ("| search `%s` (best of 10, %u hits shown) | %.2f ms |\n", queries[q], hits, best);
    }

  g_clear_object (&collection);
  rm_rf (dir);
  return 0;
}
