/* test-audio-backend.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GStreamer loaded only when audio is used: minting a token, the
 * programs themselves and `--print-token` map none of it; a missing or
 * broken module, or GStreamer without its plugins, makes audio
 * unavailable and says why, and nothing else breaks. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stok-audio-source.h"
#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-test-audio.h"
#include "stok-test-cli.h"
#include "stok-test-recorder.h"
#include "stok-test-util.h"
#include "stok-token-client.h"

#define KEY "sk-audio-0123456789"
#define GSTREAMER_LIBRARY "libgstreamer-1.0"

static char *tmp_dir;

/* GStreamer loaded lazily */

static void
mint_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  StokToken **token = user_data;
  g_autoptr(GError) error = NULL;

  *token = stok_token_client_mint_finish (STOK_TOKEN_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
}

/* In a process of its own, so that no other test has loaded it first:
 * minting maps no GStreamer, checking a source does. */
static void
test_lazy_loading (void)
{
  g_autoptr(StokFakeServer) server = NULL;
  g_autoptr(StokTokenClient) client = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_assert_false (stok_test_process_maps (GSTREAMER_LIBRARY));

  server = stok_fake_server_new_listening ();
  client = stok_token_client_new ();
  stok_token_client_mint_async (client, stok_fake_server_get_url (server), KEY, 60, 0,
                                NULL, mint_cb, &token);
  while (token == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* A source made but not used loads nothing either. */
  source = stok_audio_source_new_sample ();
  g_assert_false (stok_test_process_maps (GSTREAMER_LIBRARY));

  g_assert_true (stok_test_check_source (source, &error));
  g_assert_no_error (error);
  g_assert_true (stok_test_process_maps (GSTREAMER_LIBRARY));
}

static char *
run_readelf (const char *readelf,
             const char *binary)
{
  const char *argv[] = { readelf, "-d", binary, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  return out;
}

/* The programs themselves: neither names GStreamer among the libraries
 * it needs, and `--print-token` loads none of it. */
static void
test_programs_without_gstreamer (void)
{
  const char *cli = g_getenv ("STOK_STREAMING_TOKEN");
  g_autofree char *bin_dir = NULL;
  g_autofree char *app = NULL;
  g_autofree char *readelf = g_find_program_in_path ("readelf");
  g_autoptr(StokFakeServer) server = NULL;
  g_autoptr(StokCliRun) run = NULL;
  g_autofree char *server_arg = NULL;
  g_autofree char *debug_dir = NULL;
  g_autofree char *debug_prefix = NULL;
  g_auto(GStrv) env = NULL;
  const char *entry;
  guint n_logs = 0;
  GDir *dir;

  if (cli == NULL)
    {
      g_test_skip ("STOK_STREAMING_TOKEN is not set");
      return;
    }
  bin_dir = g_path_get_dirname (cli);
  app = g_build_filename (bin_dir, "streaming-token-app", NULL);

  if (readelf == NULL)
    {
      g_test_message ("readelf not found: the NEEDED entries are not checked");
    }
  else
    {
      const char *binaries[] = { cli, app };

      for (guint i = 0; i < G_N_ELEMENTS (binaries); i++)
        {
          g_autofree char *dynamic = run_readelf (readelf, binaries[i]);

          g_assert_nonnull (strstr (dynamic, "(NEEDED)"));
          g_assert_nonnull (strstr (dynamic, "libglib-2.0"));
          g_assert_null (strstr (dynamic, "libgst"));
        }
    }

  /* The dynamic loader lists every library it maps, dlopen()ed ones too,
   * in a file of its own named after the process. */
  server = stok_fake_server_new_listening ();
  server_arg = g_strconcat ("--server=", stok_fake_server_get_url (server), NULL);
  debug_dir = g_build_filename (tmp_dir, "ld-debug", NULL);
  g_assert_cmpint (g_mkdir (debug_dir, 0700), ==, 0);
  debug_prefix = g_build_filename (debug_dir, "print-token", NULL);
  env = stok_cli_environ (KEY, NULL);
  env = g_environ_setenv (env, "LD_DEBUG", "files", TRUE);
  env = g_environ_setenv (env, "LD_DEBUG_OUTPUT", debug_prefix, TRUE);
  {
    const char * const args[] = { "--print-token", server_arg, NULL };

    run = stok_cli_run (args, env);
  }
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (stok_fake_server_get_last_token (server));
  g_assert_true (g_str_has_prefix (run->out, stok_fake_server_get_last_token (server)));

  dir = g_dir_open (debug_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (debug_dir, entry, NULL);
      g_autofree char *loaded = NULL;

      g_assert_true (g_file_get_contents (path, &loaded, NULL, NULL));
      g_assert_nonnull (strstr (loaded, "libglib-2.0"));
      g_assert_null (strstr (loaded, GSTREAMER_LIBRARY));
      n_logs++;
    }
  g_dir_close (dir);
  g_assert_cmpuint (n_logs, >=, 1);
}

/* No module where it is looked for, or a file there that is no module:
 * audio is unavailable, and says why. Nothing else breaks. */
static void
test_no_module (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_autofree char *missing = g_build_filename (tmp_dir, "no-such-module.so", NULL);
      g_autofree char *not_module = g_build_filename (tmp_dir, "not-a-module.so", NULL);
      g_autofree char *saved = g_strdup (g_getenv ("STOK_GST_AUDIO_MODULE"));

      g_assert_true (g_file_set_contents (not_module, "not a shared library\n", -1, NULL));

      g_setenv ("STOK_GST_AUDIO_MODULE", missing, TRUE);
      g_test_trap_subprocess ("/audio-source/no-module/subprocess/missing", 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*not installed*no-such-module.so*");

      g_setenv ("STOK_GST_AUDIO_MODULE", not_module, TRUE);
      g_test_trap_subprocess ("/audio-source/no-module/subprocess/broken", 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*could not be loaded*");

      if (saved != NULL)
        g_setenv ("STOK_GST_AUDIO_MODULE", saved, TRUE);
      return;
    }

  source = stok_audio_source_new_sample ();
  g_assert_false (stok_test_check_source (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE);
  g_print ("%s\n", error->message);
  g_clear_error (&error);

  g_assert_false (stok_audio_source_start (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE);
  g_assert_false (stok_audio_source_get_running (source));
  g_assert_false (stok_test_process_maps (GSTREAMER_LIBRARY));
}

/* GStreamer without its plugins: the element that is missing is named. */
static void
test_no_plugins (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_autofree char *empty = g_build_filename (tmp_dir, "no-plugins", NULL);
      g_autofree char *registry = g_build_filename (tmp_dir, "no-plugins.registry", NULL);

      g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
      g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", empty, TRUE);
      g_setenv ("GST_PLUGIN_PATH_1_0", empty, TRUE);
      g_setenv ("GST_REGISTRY_1_0", registry, TRUE);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_unsetenv ("GST_PLUGIN_SYSTEM_PATH_1_0");
      g_unsetenv ("GST_PLUGIN_PATH_1_0");
      g_unsetenv ("GST_REGISTRY_1_0");
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*GStreamer has no *giosrc* element*");
      return;
    }

  source = stok_audio_source_new_sample ();
  g_assert_false (stok_test_check_source (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE);
  g_print ("%s\n", error->message);
  g_assert_nonnull (strstr (stok_error_get_advice (error), "gstreamer1.0-plugins-base"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("stok-audio-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/audio-source/lazy-loading", test_lazy_loading);
  g_test_add_func ("/audio-source/programs-without-gstreamer", test_programs_without_gstreamer);
  g_test_add_func ("/audio-source/no-module", test_no_module);
  g_test_add_func ("/audio-source/no-module/subprocess/missing", test_no_module);
  g_test_add_func ("/audio-source/no-module/subprocess/broken", test_no_module);
  g_test_add_func ("/audio-source/no-plugins", test_no_plugins);

  status = g_test_run ();

  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
