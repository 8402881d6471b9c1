/* stok-test-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>

#include "stok-test-session.h"
#include "stok-test-util.h"

#define SECRETS_NAME "org.freedesktop.secrets"

/**
 * stok_test_session_start:
 * @session: a zeroed #StokTestSession
 *
 * Points HOME and the XDG directories at a new temporary directory and
 * brings up a private session bus with no services on it.
 */
void
stok_test_session_start (StokTestSession *session)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *display = NULL;

  /* The daemon keeps its keyrings under XDG_DATA_HOME and its control
   * socket under XDG_RUNTIME_DIR: both go in a directory of our own. */
  session->tmp_dir = g_dir_make_tmp ("stok-session-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_build_filename (session->tmp_dir, "home", NULL);
  runtime = g_build_filename (session->tmp_dir, "runtime", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);

  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_unsetenv ("GNOME_KEYRING_CONTROL");
  g_unsetenv ("SSH_AUTH_SOCK");

  /* GTestDBus unsets DISPLAY on the way up; window tests need it back. */
  display = g_strdup (g_getenv ("DISPLAY"));
  session->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (session->bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
}

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* Waits until the Secret Service's name has an owner, or none. */
static void
wait_for_secrets (StokTestSession *session,
                  gboolean         owned)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (session->bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (name_has_owner (connection, SECRETS_NAME) != owned)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }

  g_dbus_connection_close_sync (connection, NULL, NULL);
}

/**
 * stok_test_session_start_keyring:
 * @session: a started #StokTestSession
 *
 * Starts gnome-keyring-daemon on the session's bus with an unlocked login
 * keyring, and waits until it owns the Secret Service's name.
 */
void
stok_test_session_start_keyring (StokTestSession *session)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *stdin_pipe;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  session->daemon = g_subprocess_launcher_spawn (launcher, &error,
                                                 "gnome-keyring-daemon", "--foreground",
                                                 "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);

  /* --unlock reads the login keyring's password from stdin, to the end. */
  stdin_pipe = g_subprocess_get_stdin_pipe (session->daemon);
  g_output_stream_write_all (stdin_pipe, STOK_TEST_KEYRING_PASSWORD, strlen (STOK_TEST_KEYRING_PASSWORD),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stdin_pipe, NULL, &error);
  g_assert_no_error (error);

  wait_for_secrets (session, TRUE);
}

/**
 * stok_test_session_restart_keyring_locked:
 * @session: a #StokTestSession whose keyring runs
 *
 * Stops the keyring and starts it again without unlocking it, as a
 * session whose login did not unlock it: the login keyring is read from
 * disk, locked.
 */
void
stok_test_session_restart_keyring_locked (StokTestSession *session)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (session->daemon);

  secret_service_disconnect ();
  g_subprocess_send_signal (session->daemon, SIGTERM);
  g_subprocess_wait (session->daemon, NULL, NULL);
  g_clear_object (&session->daemon);
  wait_for_secrets (session, FALSE);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  session->daemon = g_subprocess_launcher_spawn (launcher, &error,
                                                 "gnome-keyring-daemon", "--foreground",
                                                 "--components=secrets", NULL);
  g_assert_no_error (error);
  wait_for_secrets (session, TRUE);
}

/**
 * stok_test_session_stop:
 * @session: a started #StokTestSession
 *
 * Stops the keyring, takes the bus down and removes the directory.
 */
void
stok_test_session_stop (StokTestSession *session)
{
  /* libsecret holds the bus connection until told to let go, and the
   * private bus cannot go down while anyone holds it. */
  secret_service_disconnect ();

  if (session->daemon != NULL)
    {
      g_subprocess_send_signal (session->daemon, SIGTERM);
      g_subprocess_wait (session->daemon, NULL, NULL);
      g_clear_object (&session->daemon);
    }

  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* Not g_test_dbus_down(), which waits for the last reference to the
   * session bus connection to go: GTK and libadwaita keep theirs for good,
   * and after storing an item libsecret 0.20 keeps one even past
   * secret_service_disconnect(). Disposing the GTestDBus would take it
   * down too, so the object is left to the end of the process, which
   * comes right after. */
  g_test_dbus_stop (session->bus);
  session->bus = NULL;

  stok_test_rm_rf (session->tmp_dir);
  g_clear_pointer (&session->tmp_dir, g_free);
}
