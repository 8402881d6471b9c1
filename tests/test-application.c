/* test-application.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Audio files opened with the app, the three ways a user does it: given
 * on the command line of the first instance; given to `streaming-token`
 * again while the app runs, which hands them over D-Bus to the running
 * instance; and "Open With" in Files, which calls the application's
 * org.freedesktop.Application.Open (the desktop file is DBusActivatable).
 * Each time the window comes up with the file chosen as the source of the
 * next session. The application runs in this process, on a private bus,
 * as stok-app-main.c runs it; the second `streaming-token` and the file
 * manager's call are real processes. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "stok-application.h"
#include "stok-fake-server.h"
#include "stok-session.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef struct
{
  StokApplication *app;
  char *dir;
  char *elsewhere;
  gboolean ran;
} Fixture;

static char *
make_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  /* The window only chooses the file; whether it is audio is for the
   * session to find out, before it spends a token. */
  g_file_set_contents (path, "RIFF", -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/* The application's main windows, the last used first. */
static GPtrArray *
main_windows (Fixture *fixture)
{
  GPtrArray *windows = g_ptr_array_new ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (fixture->app)); l != NULL; l = l->next)
    if (STOK_IS_WINDOW (l->data))
      g_ptr_array_add (windows, l->data);

  return windows;
}

typedef struct
{
  Fixture *fixture;
  const char *path;
} Shown;

/* A visible main window has @path chosen as its audio file. */
static StokWindow *
find_window_with (Fixture    *fixture,
                  const char *path)
{
  g_autoptr(GPtrArray) windows = main_windows (fixture);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (guint i = 0; i < windows->len; i++)
    {
      GFile *chosen = stok_window_get_audio_file (windows->pdata[i]);

      if (chosen != NULL && g_file_equal (chosen, file) &&
          gtk_widget_get_visible (windows->pdata[i]))
        return windows->pdata[i];
    }

  return NULL;
}

static gboolean
is_shown (gpointer data)
{
  Shown *shown = data;

  return find_window_with (shown->fixture, shown->path) != NULL;
}

static StokWindow *
wait_for_window_with (Fixture    *fixture,
                      const char *path)
{
  Shown shown = { fixture, path };

  g_assert_true (stok_test_wait_until (is_shown, &shown, 20000));

  return find_window_with (fixture, path);
}

/* Whether @window's source toggle @name ("sample_button", ...) is the
 * one pressed. */
static gboolean
source_is (StokWindow *window,
           const char *name)
{
  g_autofree char *path = g_strconcat ("session_view/source_group/", name, NULL);

  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (stok_test_child (window, path)));
}

/* Runs @argv in @cwd to its end while the application goes on serving,
 * and returns its exit status; @err_out gets what it wrote on stderr. */
static int
run_elsewhere (const char * const  *argv,
               const char          *cwd,
               char               **err_out)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error);
  g_assert_no_error (error);

  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);
  else if (err != NULL && *err != '\0')
    g_test_message ("%s wrote: %s", argv[0], err);

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* What Files does for "Open With": the desktop file's D-Bus activation,
 * with the files' URIs. */
static void
open_with (const char * const *paths)
{
  g_autofree char *object_path = g_strconcat ("/", APPLICATION_ID, NULL);
  g_autoptr(GString) uris = g_string_new ("[");

  g_strdelimit (object_path, ".", '/');
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *uri = g_filename_to_uri (paths[i], NULL, NULL);

      g_string_append_printf (uris, "%s'%s'", i > 0 ? ", " : "", uri);
    }
  g_string_append_c (uris, ']');

  {
    const char *argv[] = {
      "gdbus", "call", "--session", "--dest", APPLICATION_ID,
      "--object-path", object_path,
      "--method", "org.freedesktop.Application.Open", uris->str, "{}",
      NULL
    };

    g_assert_cmpint (run_elsewhere (argv, "/", NULL), ==, 0);
  }
}

static void
check_open (Fixture *fixture)
{
  g_autofree char *first = g_build_filename (fixture->dir, "first.wav", NULL);
  g_autofree char *second = make_file (fixture->elsewhere, "second.wav");
  g_autofree char *third = make_file (fixture->dir, "third.ogg");
  g_autofree char *fourth = make_file (fixture->dir, "fourth.flac");
  g_autofree char *fifth = make_file (fixture->dir, "fifth.mp3");
  g_autofree char *dashed = make_file (fixture->elsewhere, "-dashed.wav");
  g_autofree char *sixth = make_file (fixture->elsewhere, "sixth.wav");
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) windows = NULL;
  const char *launcher = g_getenv ("STOK_STREAMING_TOKEN");
  StokWindow *window;
  StokWindow *other;

  g_assert_nonnull (launcher);

  /* `streaming-token first.wav`, run in the directory of the file, as
   * this process's command line. */
  window = wait_for_window_with (fixture, first);
  windows = main_windows (fixture);
  g_assert_cmpuint (windows->len, ==, 1);
  g_clear_pointer (&windows, g_ptr_array_unref);
  g_assert_true (source_is (window, "file_button"));

  /* The file is this window's alone: a new window opens on the source
   * last chosen by hand, the Sample here, not on a file it lacks. */
  other = stok_window_new (fixture->app, NULL);
  g_assert_true (source_is (other, "sample_button"));
  g_assert_null (stok_window_get_audio_file (other));
  gtk_window_destroy (GTK_WINDOW (other));

  /* `streaming-token second.wav` run elsewhere, with the app running:
   * the launcher hands it over D-Bus to this instance, which reads the
   * name in the directory it was given in, and readies the same window. */
  {
    const char *argv[] = { launcher, "second.wav", NULL };

    g_assert_cmpint (run_elsewhere (argv, fixture->elsewhere, NULL), ==, 0);
  }
  g_assert_true (wait_for_window_with (fixture, second) == window);
  windows = main_windows (fixture);
  g_assert_cmpuint (windows->len, ==, 1);
  g_clear_pointer (&windows, g_ptr_array_unref);

  /* "Open With" in Files. */
  {
    const char *paths[] = { third, NULL };

    open_with (paths);
  }
  g_assert_true (wait_for_window_with (fixture, third) == window);

  /* Two files at once: a window streams one source, so the second gets a
   * window of its own. */
  {
    const char *paths[] = { fourth, fifth, NULL };

    open_with (paths);
  }
  g_assert_true (wait_for_window_with (fixture, fourth) == window);
  other = wait_for_window_with (fixture, fifth);
  g_assert_true (other != window);
  windows = main_windows (fixture);
  g_assert_cmpuint (windows->len, ==, 2);
  g_clear_pointer (&windows, g_ptr_array_unref);

  /* Each window keeps its own source: the microphone chosen in one
   * leaves the other on its file, and is what the next window opens on. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (stok_test_child (other, "session_view/source_group/microphone_button")),
                                TRUE);
  g_assert_true (source_is (other, "microphone_button"));
  g_assert_true (source_is (window, "file_button"));
  g_assert_true (find_window_with (fixture, fourth) == window);
  gtk_window_destroy (GTK_WINDOW (other));
  other = stok_window_new (fixture->app, NULL);
  g_assert_true (source_is (other, "microphone_button"));
  gtk_window_destroy (GTK_WINDOW (other));

  /* After "--", a name that starts with a dash is a file too. */
  {
    const char *argv[] = { launcher, "--", "-dashed.wav", NULL };

    g_assert_cmpint (run_elsewhere (argv, fixture->elsewhere, NULL), ==, 0);
  }
  g_assert_true (wait_for_window_with (fixture, dashed) == window);

  /* With another server: a window of its own, for that server, with
   * the file. */
  {
    const char *argv[] = { launcher, "--server=http://127.0.0.1:9", "sixth.wav", NULL };

    g_assert_cmpint (run_elsewhere (argv, fixture->elsewhere, NULL), ==, 0);
  }
  other = wait_for_window_with (fixture, sixth);
  g_assert_true (other != window);
  g_assert_cmpstr (stok_window_get_server (other), ==, "http://127.0.0.1:9");
  gtk_window_destroy (GTK_WINDOW (other));

  /* Standard input is no file for the window: refused with the reason,
   * and the window keeps its file. */
  {
    const char *argv[] = { launcher, "-", NULL };

    g_assert_cmpint (run_elsewhere (argv, fixture->elsewhere, &err), ==, 2);
  }
  g_assert_nonnull (strstr (err, "standard input"));
  g_assert_true (find_window_with (fixture, dashed) == window);
  windows = main_windows (fixture);
  g_assert_cmpuint (windows->len, ==, 1);
}

static gboolean
drive_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  check_open (fixture);
  fixture->ran = TRUE;
  g_application_quit (G_APPLICATION (fixture->app));

  return G_SOURCE_REMOVE;
}

static void
startup_cb (GApplication *app,
            Fixture      *fixture)
{
  /* After the command line: the main loop runs by then. */
  g_idle_add (drive_cb, fixture);
}

static void
test_open_files (void)
{
  Fixture fixture = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_auto(GStrv) argv = g_strsplit ("streaming-token-app first.wav", " ", -1);
  int status;

  fixture.dir = g_dir_make_tmp ("stok-open-XXXXXX", NULL);
  fixture.elsewhere = g_build_filename (fixture.dir, "elsewhere", NULL);
  g_assert_cmpint (g_mkdir (fixture.elsewhere, 0700), ==, 0);
  first = make_file (fixture.dir, "first.wav");
  g_assert_cmpint (g_chdir (fixture.dir), ==, 0);

  fixture.app = stok_application_new ();
  g_signal_connect_after (fixture.app, "startup", G_CALLBACK (startup_cb), &fixture);
  status = g_application_run (G_APPLICATION (fixture.app), (int) g_strv_length (argv), argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (fixture.ran);
  g_assert_finalize_object (g_steal_pointer (&fixture.app));

  g_assert_cmpint (g_chdir (cwd), ==, 0);
  stok_test_rm_rf (fixture.dir);
  g_free (fixture.dir);
  g_free (fixture.elsewhere);
}

/* Quitting mid-session */

typedef struct
{
  StokApplication *app;
  StokFakeServer *server;
  gboolean ran;
} QuitFixture;

static StokWindow *
only_window (StokApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (STOK_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static gboolean
has_window (gpointer data)
{
  return only_window (data) != NULL;
}

static gboolean
can_start (gpointer data)
{
  return gtk_widget_is_sensitive (stok_test_child (data, "session_view/start_button"));
}

static gboolean
quit_cb (gpointer user_data)
{
  QuitFixture *fixture = user_data;
  StokWindow *window;

  g_assert_true (stok_test_wait_until (has_window, fixture->app, 20000));
  window = only_window (fixture->app);

  /* The Sample, with a token minted with the key of the environment,
   * once the window has it. */
  g_assert_true (stok_test_wait_until (can_start, window, 20000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, window, 20000));
  stok_test_spin (300);
  g_assert_cmpuint (stok_fake_server_get_n_open_websockets (fixture->server), ==, 1);

  /* A file opened mid-session, from Files or the command line: the
   * session keeps its source, and the file comes up in a new window. */
  {
    g_autofree char *dir = g_dir_make_tmp ("stok-open-XXXXXX", NULL);
    g_autofree char *path = make_file (dir, "mid-session.wav");
    g_autoptr(GFile) file = g_file_new_for_path (path);
    Fixture files = { .app = fixture->app };
    StokWindow *other;

    g_application_open (G_APPLICATION (fixture->app), &file, 1, "");
    other = wait_for_window_with (&files, path);
    g_assert_true (other != window);
    g_assert_true (stok_test_is_streaming (window));
    g_assert_true (source_is (window, "sample_button"));
    g_assert_null (stok_window_get_audio_file (window));
    gtk_window_destroy (GTK_WINDOW (other));
    stok_test_rm_rf (dir);
  }

  /* Ctrl+Q */
  fixture->ran = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);

  return G_SOURCE_REMOVE;
}

static void
quit_startup_cb (GApplication *app,
                 QuitFixture  *fixture)
{
  g_idle_add (quit_cb, fixture);
}

/* Quit mid-session: the application goes only once the session has
 * ended with Terminate and Termination and its socket is closed. It is
 * billed while the socket is open. */
static void
test_quit_mid_session (void)
{
  QuitFixture fixture = { 0 };
  g_autofree char *server_option = NULL;
  g_auto(GStrv) argv = NULL;
  guint n_terminate = 0;
  int status;

  fixture.server = stok_fake_server_new_listening ();
  server_option = g_strconcat ("--server=", stok_fake_server_get_url (fixture.server), NULL);
  argv = g_strsplit ("streaming-token-app", " ", -1);
  argv = g_realloc_n (argv, 3, sizeof (char *));
  argv[1] = g_strdup (server_option);
  argv[2] = NULL;
  g_setenv ("ASSEMBLYAI_API_KEY", "sk-quit", TRUE);
  /* The Sample, not the microphone the test before left chosen. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_reset (settings, "session-source");
  }

  fixture.app = stok_application_new ();
  g_signal_connect_after (fixture.app, "startup", G_CALLBACK (quit_startup_cb), &fixture);
  status = g_application_run (G_APPLICATION (fixture.app), 2, argv);
  g_unsetenv ("ASSEMBLYAI_API_KEY");

  /* Read before anything else runs: what the server got while the
   * application was still there. */
  g_assert_cmpint (status, ==, 0);
  g_assert_true (fixture.ran);
  for (guint i = 0; i < stok_fake_server_get_n_received (fixture.server); i++)
    n_terminate += g_strcmp0 (stok_fake_server_get_received (fixture.server, i)->type, "Terminate") == 0;
  g_assert_cmpuint (n_terminate, ==, 1);
  g_assert_cmpuint (stok_fake_server_count_sent (fixture.server, "Termination"), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_n_open_websockets (fixture.server), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&fixture.app));
  g_object_unref (fixture.server);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

  g_test_add_func ("/application/open-files", test_open_files);
  g_test_add_func ("/application/quit-mid-session", test_quit_mid_session);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
