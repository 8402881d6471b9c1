/* stok-test-util.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What many tests need alike. */

#include "config.h"

#include <glib/gstdio.h>

#include "stok-key-store.h"
#include "stok-test-util.h"

void
stok_client_fixture_set_up (StokClientFixture *fixture,
                            gconstpointer      user_data)
{
  fixture->server = stok_fake_server_new_listening ();
  fixture->client = stok_token_client_new ();
}

void
stok_client_fixture_tear_down (StokClientFixture *fixture,
                               gconstpointer      user_data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->client));
  g_assert_finalize_object (g_steal_pointer (&fixture->server));

  /* Let closed connections settle before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/**
 * stok_test_result_cb:
 * @user_data: (out): a `GAsyncResult *` set to NULL, which the main loop
 *   is run until it is set
 *
 * A #GAsyncReadyCallback that keeps the result.
 */
void
stok_test_result_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * stok_test_find_closed_port:
 *
 * Returns: a port of 127.0.0.1 that was free a moment ago and that
 *   nothing listens on
 */
guint16
stok_test_find_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Saves @key in the keyring where the app looks for it; the test fails if
 * it cannot. */
void
stok_test_save_key (const char *key)
{
  g_autoptr(StokKeyStore) store = stok_key_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stok_key_store_store_async (store, key, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stok_key_store_store_finish (store, result, &error);
  g_assert_no_error (error);
}

/* Removes @path and everything below it, following no symbolic link. */
void
stok_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            stok_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

/**
 * stok_test_slowdown:
 *
 * Sanitizers and valgrind slow everything down: their test setups say
 * by how much, as they stretch meson's own limits.
 *
 * Returns: STOK_TEST_SLOWDOWN, 1 to 100, or 1 when it is not set
 */
guint
stok_test_slowdown (void)
{
  const char *factor = g_getenv ("STOK_TEST_SLOWDOWN");

  return factor != NULL ? CLAMP ((guint) g_ascii_strtoull (factor, NULL, 10), 1, 100) : 1;
}

/* Runs the main loop until @condition holds, at most @timeout_ms, or
 * that many times STOK_TEST_SLOWDOWN. */
gboolean
stok_test_wait_until (gboolean (*condition) (gpointer data),
                      gpointer   data,
                      guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * stok_test_slowdown () * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

/* Runs the main loop for @ms, whatever happens. */
void
stok_test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/**
 * stok_test_mint:
 * @fixture: a client fixture
 * @expires_in: the redemption window, in seconds
 *
 * Returns: (transfer full): a token minted by the fixture's fake server
 */
StokToken *
stok_test_mint (StokClientFixture *fixture,
                gint64             expires_in)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StokToken *token;

  stok_token_client_mint_async (fixture->client, stok_fake_server_get_url (fixture->server),
                                "sk-test-0123456789", expires_in, 0, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  token = stok_token_client_mint_finish (fixture->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  return token;
}

/**
 * stok_test_run_session:
 * @session: a session, not yet run
 * @error: return location for how it ended, if not completed
 *
 * Runs @session to its end in the test's main loop.
 *
 * Returns: whether it completed
 */
gboolean
stok_test_run_session (StokSession  *session,
                       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_session_run_async (session, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return stok_session_run_finish (session, result, error);
}
