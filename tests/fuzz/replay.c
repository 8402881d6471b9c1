/* replay.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs a fuzz target over its corpus without libFuzzer, so that every
 * build's test suite replays the seeds and every crash found so far, with
 * any compiler. Arguments are corpus directories or single files. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static gboolean
replay_file (const char  *path,
             GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  /* A buffer of exactly the input's size, as libFuzzer gives, so that a
   * sanitizer sees a read past the end instead of GLib's trailing NUL. */
  exact = g_malloc (MAX (length, 1));
  memcpy (exact, contents, length);

  g_print ("%s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput (exact, length);

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
replay_directory (const char  *path,
                  guint       *n_inputs,
                  GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  /* The same order on every run, so that a failure is easy to repeat. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      if (g_file_test (file, G_FILE_TEST_IS_DIR))
        continue;
      if (!replay_file (file, error))
        return FALSE;
      (*n_inputs)++;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n_inputs = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: %s CORPUS-DIRECTORY-OR-FILE…\n", argv[0]);
      return EXIT_FAILURE;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        ok = replay_directory (argv[i], &n_inputs, &error);
      else if ((ok = replay_file (argv[i], &error)))
        n_inputs++;

      if (!ok)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  /* An empty corpus would pass without testing anything. */
  if (n_inputs == 0)
    {
      g_printerr ("No inputs to replay\n");
      return EXIT_FAILURE;
    }

  g_print ("Replayed %u inputs\n", n_inputs);
  return EXIT_SUCCESS;
}
