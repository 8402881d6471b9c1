/* test-window-abuse.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window used roughly: Generate hammered, the app quit in the middle
 * of a request or a verify, a server whose answer arrives once the window
 * has gone. Nothing may send two requests at once, leave a request
 * running, or touch a widget that is gone; G_DEBUG=fatal-criticals makes
 * any critical on the way a failure. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "stok-application.h"
#include "stok-fake-server.h"
#include "stok-raw-server.h"
#include "stok-test-session.h"
#include "stok-test-window.h"
#include "stok-window.h"

#define KEY "sk-abuse-0123456789"

/* The shared fixture, and what its server sees: how many requests it is
 * working on at once. */
typedef struct
{
  StokTestWindowFixture base;
  guint in_flight;
  guint max_in_flight;
  guint n_requests;
  guint n_aborted;
  SoupWebsocketConnection *socket;
  gboolean socket_closed;
  gboolean send_begin;
} Fixture;

static void
request_read_cb (SoupServer        *soup_server,
                 SoupServerMessage *message,
                 Fixture           *server)
{
  server->n_requests++;
  server->in_flight++;
  server->max_in_flight = MAX (server->max_in_flight, server->in_flight);
}

static void
request_done_cb (SoupServer        *soup_server,
                 SoupServerMessage *message,
                 Fixture           *server)
{
  g_assert_cmpuint (server->in_flight, >, 0);
  server->in_flight--;
}

static void
request_aborted_cb (SoupServer        *soup_server,
                    SoupServerMessage *message,
                    Fixture           *server)
{
  server->n_aborted++;
}

static void
socket_closed_cb (SoupWebsocketConnection *socket,
                  Fixture                 *server)
{
  server->socket_closed = TRUE;
}

/* The streaming endpoint: it accepts the token and then says nothing,
 * until the test makes it send Begin. */
static void
websocket_cb (SoupServer              *soup_server,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *socket,
              gpointer                 user_data)
{
  Fixture *server = user_data;

  g_clear_object (&server->socket);
  server->socket = g_object_ref (socket);
  server->socket_closed = FALSE;
  g_signal_connect (socket, "closed", G_CALLBACK (socket_closed_cb), server);
}

static void
fixture_set_up (Fixture       *server,
                gconstpointer  data)
{
  SoupServer *soup_server;

  stok_test_window_fixture_set_up (&server->base, data);

  soup_server = stok_fake_server_get_soup_server (server->base.server);
  g_signal_connect (soup_server, "request-read", G_CALLBACK (request_read_cb), server);
  g_signal_connect (soup_server, "request-finished", G_CALLBACK (request_done_cb), server);
  g_signal_connect (soup_server, "request-aborted", G_CALLBACK (request_done_cb), server);
  g_signal_connect (soup_server, "request-aborted", G_CALLBACK (request_aborted_cb), server);
  soup_server_add_websocket_handler (soup_server, "/v3/ws", NULL, NULL, websocket_cb, server, NULL);
}

static void
fixture_tear_down (Fixture       *server,
                   gconstpointer  data)
{
  stok_test_window_fixture_close (&server->base);
  if (server->socket != NULL)
    {
      g_signal_handlers_disconnect_by_data (server->socket, server);
      g_clear_object (&server->socket);
    }
  g_signal_handlers_disconnect_by_data (stok_fake_server_get_soup_server (server->base.server), server);
  stok_test_window_fixture_tear_down (&server->base, data);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
socket_is_open (gpointer data)
{
  Fixture *server = data;

  return server->socket != NULL && !server->socket_closed;
}

static gboolean
socket_is_closed (gpointer data)
{
  return ((Fixture *) data)->socket_closed;
}

/* Mints a token, then says yes to Verify's warning. */
static void
start_verify (StokWindow *window)
{
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 30000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL);
  dialog = stok_test_find_toplevel (NULL, ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "verify");
}

static void
test_generate_hammered (Fixture       *server,
                        gconstpointer  data)
{
  StokWindow *window;
  gint64 start;
  gint64 elapsed_ms;
  guint delay_ms = 200;

  stok_fake_server_set_delay (server->base.server, delay_ms);
  window = g_steal_pointer (&server->base.window);
  stok_test_set_key (window, KEY);

  /* A hundred clicks as fast as the main loop takes them, through the
   * button and the shortcut's action alike. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      /* "clicked", as a pointer gives it: gtk_widget_activate() would
       * hold the click back for the button's pressed look. */
      if (i % 2 == 0)
        g_signal_emit_by_name (stok_test_child (window, "generate_button"), "clicked");
      else
        gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (stok_test_wait_until (stok_test_is_idle, window, 30000));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  stok_test_spin (2 * delay_ms);

  g_test_message ("%u requests in %" G_GINT64_FORMAT " ms, at most %u at once, %u aborted, %u tokens, %u in flight",
                  server->n_requests, elapsed_ms, server->max_in_flight, server->n_aborted,
                  stok_fake_server_get_n_tokens (server->base.server), server->in_flight);

  /* One at a time, so no more than the time allowed for, one after the
   * other; and the window ends with a token, not an error. */
  g_assert_cmpuint (server->max_in_flight, ==, 1);
  g_assert_cmpuint (server->n_requests, >=, 1);
  g_assert_cmpuint (server->n_requests, <=, 1 + elapsed_ms / delay_ms);
  g_assert_cmpuint (server->in_flight, ==, 0);
  g_assert_cmpuint (server->n_aborted, ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_tokens (server->base.server), ==, server->n_requests);
  g_assert_nonnull (stok_window_get_token (window));
  g_assert_cmpstr (stok_token_get_token (stok_window_get_token (window)), ==,
                   stok_fake_server_get_last_token (server->base.server));
  g_assert_false (gtk_widget_get_visible (stok_test_child (window, "error_card")));

  stok_test_close_window (window);
}

/* Quitting the application, as Ctrl+Q does */

typedef struct
{
  Fixture *server;
  StokRawServer *raw;
  GApplication *app;
  StokWindow *window;
  gboolean verify;
  gboolean destroyed;
  gint64 quit_at;
  guint step_id;
} Quit;

static gboolean
quit_step_cb (gpointer user_data)
{
  Quit *quit = user_data;
  gboolean busy;

  if (quit->window == NULL)
    return G_SOURCE_CONTINUE;

  busy = quit->verify ? socket_is_open (quit->server)
                      : stok_raw_server_get_n_requests (quit->raw) > 0;
  if (!busy)
    return G_SOURCE_CONTINUE;

  /* In the middle of it: quit. */
  quit->step_id = 0;
  quit->quit_at = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (quit->app), "quit", NULL);

  return G_SOURCE_REMOVE;
}

static void
window_destroyed_cb (GtkWidget *window,
                     Quit      *quit)
{
  quit->destroyed = TRUE;
}

static gboolean
raw_is_closed (gpointer data)
{
  return stok_raw_server_get_n_open (data) == 0;
}

static gboolean
window_is_finalized (gpointer data)
{
  return ((Quit *) data)->window == NULL;
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 Quit           *quit)
{
  quit->window = STOK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &quit->window);
  g_signal_connect (window, "destroy", G_CALLBACK (window_destroyed_cb), quit);
}

static gboolean
begin_cb (gpointer user_data)
{
  Quit *quit = user_data;

  stok_test_set_key (quit->window, KEY);
  if (quit->verify)
    start_verify (quit->window);
  else
    gtk_widget_activate_action (GTK_WIDGET (quit->window), "win.generate", NULL);

  return G_SOURCE_REMOVE;
}

static void
activate_window_cb (GtkApplication *app,
                    GtkWindow      *window,
                    Quit           *quit)
{
  /* Once the window is on screen, with the loop running. */
  g_idle_add (begin_cb, quit);
}

static void
quit_in_the_middle (Fixture  *server,
                    gboolean  verify)
{
  Quit quit = { 0 };
  g_autoptr(StokApplication) app = NULL;
  g_autoptr(StokRawServer) raw = stok_raw_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *server_arg = NULL;
  int status;

  /* The application opens its own window. */
  stok_test_window_fixture_close (&server->base);

  /* A request goes to a server that never answers and notices when the
   * client goes; a verify to the fake server's silent streaming
   * endpoint. */
  stok_raw_server_listen (raw, &error);
  g_assert_no_error (error);
  server_arg = g_strconcat ("--server=", verify ? stok_fake_server_get_url (server->base.server)
                                                : stok_raw_server_get_url (raw), NULL);

  app = stok_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  quit.server = server;
  quit.raw = raw;
  quit.app = G_APPLICATION (app);
  quit.verify = verify;
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), &quit);
  g_signal_connect_after (app, "window-added", G_CALLBACK (activate_window_cb), &quit);
  quit.step_id = g_timeout_add (10, quit_step_cb, &quit);

  status = g_application_run (G_APPLICATION (app), 2, (char *[]) { (char *) "streaming-token-app", server_arg, NULL });
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (quit.quit_at, >, 0);
  g_clear_handle_id (&quit.step_id, g_source_remove);

  /* Quitting closed the window: it is no longer on screen (it may be
   * gone already, since quitting closes the windows and waits for their
   * sessions to end), and what it had started ends on the server's side
   * at once, not when an answer would have come, if ever. */
  g_assert_true (quit.destroyed);
  g_assert_true (quit.window == NULL || !gtk_widget_get_realized (GTK_WIDGET (quit.window)));
  if (verify)
    g_assert_true (stok_test_wait_until (socket_is_closed, server, 10000));
  else
    g_assert_true (stok_test_wait_until (raw_is_closed, raw, 10000));
  /* Well before the client's own time limit of 30 s would end it. */
  g_assert_cmpint (g_get_monotonic_time () - quit.quit_at, <, 10 * G_USEC_PER_SEC);

  /* And then the window goes, with nothing left pointing at it. */
  g_assert_true (stok_test_wait_until (window_is_finalized, &quit, 30000));
  g_assert_true (quit.destroyed);

  g_assert_finalize_object (g_steal_pointer (&app));
  g_assert_finalize_object (g_steal_pointer (&raw));
}

static void
test_quit_during_request (Fixture       *server,
                          gconstpointer  data)
{
  quit_in_the_middle (server, FALSE);
}

static void
test_quit_during_verify (Fixture       *server,
                         gconstpointer  data)
{
  quit_in_the_middle (server, TRUE);
}

/* Answers that arrive once the window has gone */

static gboolean
one_in_flight (gpointer data)
{
  return ((Fixture *) data)->in_flight == 1;
}

static gboolean
has_one_token (gpointer data)
{
  return stok_fake_server_get_n_tokens (data) == 1;
}

static gboolean
is_finalized (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_token_after_close (Fixture       *server,
                        gconstpointer  data)
{
  StokWindow *window;
  gpointer alive;

  stok_fake_server_set_delay (server->base.server, 10000);
  window = g_steal_pointer (&server->base.window);
  stok_test_set_key (window, KEY);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (one_in_flight, server, 30000));

  alive = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Closing cancelled the request: the window is gone before the server
   * has even made the token, whose answer then finds no one. */
  g_assert_true (stok_test_wait_until (is_finalized, &alive, 9000));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (server->base.server), ==, 0);
  g_assert_true (stok_test_wait_until (has_one_token, server->base.server, 20000));
  stok_test_spin (100);
}

static void
verify_answered_as_window_goes (Fixture  *server,
                                gboolean  cancel)
{
  StokWindow *window;
  gpointer alive;

  window = g_steal_pointer (&server->base.window);
  stok_test_set_key (window, KEY);

  start_verify (window);
  g_assert_true (stok_test_wait_until (socket_is_open, server, 30000));

  /* The server accepts the token just as the user cancels or closes the
   * window: the Begin is on its way when the window lets go. */
  soup_websocket_connection_send_text (server->socket,
                                       "{\"type\": \"Begin\", \"id\": \"abuse-session\", \"expires_at\": 4102444800}");
  alive = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  if (cancel)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL);
  else
    gtk_window_destroy (GTK_WINDOW (window));

  /* The session closes, and nothing complains on the way. */
  g_assert_true (stok_test_wait_until (socket_is_closed, server, 30000));
  stok_test_spin (200);

  if (cancel)
    {
      /* The window is idle and can go on; Begin came, so the token is
       * used, and the card says the session was stopped. */
      g_assert_true (stok_test_is_idle (window));
      g_assert_true (gtk_widget_get_visible (stok_test_child (window, "token_panel/verification_box")));
      g_assert_nonnull (strstr (stok_test_label (window, "token_panel/verification_details_label"), "Stopped"));
      g_assert_false (gtk_widget_get_visible (stok_test_child (window, "error_card")));
      g_assert_nonnull (stok_window_get_token (window));
      gtk_window_destroy (GTK_WINDOW (window));
    }

  g_assert_true (stok_test_wait_until (is_finalized, &alive, 30000));
}

static void
test_verify_after_close (Fixture       *server,
                         gconstpointer  data)
{
  verify_answered_as_window_goes (server, FALSE);
}

static void
test_verify_after_cancel (Fixture       *server,
                          gconstpointer  data)
{
  verify_answered_as_window_goes (server, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  /* No keyring: the window's lookup fails at once and stays out of the
   * way. */
  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window-abuse/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("generate-hammered", test_generate_hammered);
  ADD ("quit-during-request", test_quit_during_request);
  ADD ("quit-during-verify", test_quit_during_verify);
  ADD ("answer-after-close/token", test_token_after_close);
  ADD ("answer-after-close/verify", test_verify_after_close);
  ADD ("answer-after-close/verify-cancelled", test_verify_after_cancel);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
