/* stok-audio-backend.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Opens the GStreamer module on first use. GStreamer and its plugins are
 * tens of libraries: a script that mints tokens in a loop, and the window
 * at start-up, must not pay for them. The module is looked for where a
 * test puts it (STOK_GST_AUDIO_MODULE), then in the build tree beside the
 * running program, then where it is installed. Once open it stays open:
 * GStreamer cannot be unloaded. */

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "stok-audio-backend.h"
#include "stok-error.h"

#define MODULE_FILE STOK_GST_AUDIO_MODULE_NAME "." G_MODULE_SUFFIX

static GMutex lock;
static const StokGstAudioFuncs *loaded;

static GPtrArray *
candidate_paths (void)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *self_path = NULL;
  const char *override;

  /* Set, it is the only place looked at, so that a test knows which
   * module it runs, or that none is found. */
  override = g_getenv ("STOK_GST_AUDIO_MODULE");
  if (override != NULL && *override != '\0')
    {
      g_ptr_array_add (paths, g_strdup (override));
      return paths;
    }

  /* In the build tree the programs are in src/ (and tests/, benchmarks/),
   * the module in src/core/. */
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_path);

      g_ptr_array_add (paths, g_build_filename (dir, "core", MODULE_FILE, NULL));
    }

  g_ptr_array_add (paths, g_build_filename (PKGLIBDIR, MODULE_FILE, NULL));

  return paths;
}

static const StokGstAudioFuncs *
load (GError **error)
{
  g_autoptr(GPtrArray) paths = candidate_paths ();
  g_autofree char *last_error = NULL;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      StokGstAudioGetFuncs get_funcs = NULL;
      const StokGstAudioFuncs *funcs;
      g_autoptr(GError) init_error = NULL;
      GModule *module;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;

      module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      if (module == NULL)
        {
          g_free (last_error);
          last_error = g_strdup (g_module_error ());
          continue;
        }

      if (!g_module_symbol (module, STOK_GST_AUDIO_ENTRY_POINT, (gpointer *) &get_funcs) ||
          get_funcs == NULL ||
          (funcs = get_funcs (STOK_GST_AUDIO_ABI_VERSION)) == NULL)
        {
          g_free (last_error);
          last_error = g_strdup_printf ("%s: not a module of this version", path);
          g_module_close (module);
          continue;
        }

      g_module_make_resident (module);
      g_debug ("Audio: loaded %s", path);

      if (!funcs->init (&init_error))
        {
          g_set_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE,
                       _("GStreamer could not start: %s"), init_error->message);
          return NULL;
        }

      return funcs;
    }

  if (last_error != NULL)
    g_set_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE,
                 _("The audio module could not be loaded: %s"), last_error);
  else
    {
      g_autofree char *looked = NULL;

      g_ptr_array_add (paths, NULL);
      looked = g_strjoinv (", ", (char **) paths->pdata);
      g_set_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE,
                   _("The audio module is not installed: looked for %s."), looked);
    }

  return NULL;
}

/**
 * stok_audio_backend_get:
 * @error: return location for a #GError
 *
 * Loads the GStreamer module and starts GStreamer, once per process; any
 * thread may call it.
 *
 * Returns: (transfer none): the module's functions, or %NULL with
 *   %STOK_ERROR_AUDIO_UNAVAILABLE
 */
const StokGstAudioFuncs *
stok_audio_backend_get (GError **error)
{
  const StokGstAudioFuncs *funcs;

  g_mutex_lock (&lock);
  if (loaded == NULL)
    loaded = load (error);
  funcs = loaded;
  g_mutex_unlock (&lock);

  return funcs;
}

/**
 * stok_audio_backend_is_loaded:
 *
 * Returns: %TRUE once GStreamer has been loaded into this process
 */
gboolean
stok_audio_backend_is_loaded (void)
{
  gboolean is_loaded;

  g_mutex_lock (&lock);
  is_loaded = loaded != NULL;
  g_mutex_unlock (&lock);

  return is_loaded;
}
