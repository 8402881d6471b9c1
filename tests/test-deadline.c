/* test-deadline.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A time limit on one call: it cancels a call that a server leaves
 * hanging and says it was a timeout, which the user reads as "the server
 * did not answer"; a cancel from the caller (the window closing, the
 * user pressing Cancel) is not a timeout; and a limit that is no longer
 * needed leaves nothing behind that could fire later. */

#include "config.h"

#include <gio/gio.h>

#include "stok-deadline.h"

/* Longer than any test waits for, short enough to end a hung run. */
#define GIVE_UP_MS 20000

/* A TCP connection on 127.0.0.1 whose server end never writes: a read
 * from the client end waits until it is cancelled. */
typedef struct
{
  GSocketListener *listener;
  GSocketConnection *client;
  GSocketConnection *server;
} Silent;

static void
silent_open (Silent *silent)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;

  silent->listener = g_socket_listener_new ();
  g_socket_listener_add_address (silent->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);

  /* Straight to the port: no proxy from the environment in between. */
  g_socket_client_set_enable_proxy (client, FALSE);
  silent->client = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (bound), NULL, &error);
  g_assert_no_error (error);
  silent->server = g_socket_listener_accept (silent->listener, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
silent_close (Silent *silent)
{
  g_clear_object (&silent->client);
  g_clear_object (&silent->server);
  g_socket_listener_close (silent->listener);
  g_clear_object (&silent->listener);
}

typedef struct
{
  gboolean done;
  GError *error;
  char buffer[16];
} Read;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Read *read = user_data;

  g_assert (G_IS_INPUT_STREAM (object));

  g_input_stream_read_finish (G_INPUT_STREAM (object), result, &read->error);
  read->done = TRUE;
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates @context until *@flag is set, or GIVE_UP_MS went by. */
static void
iterate_until (GMainContext *context,
               gboolean     *flag)
{
  g_autoptr(GSource) give_up = g_timeout_source_new (GIVE_UP_MS);
  gboolean gave_up = FALSE;

  g_source_set_callback (give_up, set_true, &gave_up, NULL);
  g_source_attach (give_up, context);

  while (!*flag && !gave_up)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (give_up);
  g_assert_false (gave_up);
}

/* Iterates @context until @ms went by on a timeout of its own: a
 * deadline of less than @ms on @context has had its turn by then. */
static void
iterate_for (GMainContext *context,
             guint         ms)
{
  g_autoptr(GSource) source = g_timeout_source_new (ms);
  gboolean done = FALSE;

  g_source_set_callback (source, set_true, &done, NULL);
  g_source_attach (source, context);

  while (!done)
    g_main_context_iteration (context, TRUE);
}

/* Whether @context has a timeout to wait for: a source left behind. */
static gboolean
has_timeout (GMainContext *context)
{
  GPollFD fds[16];
  int priority;
  int timeout_ms;
  int n_fds;

  g_assert_true (g_main_context_acquire (context));
  g_main_context_prepare (context, &priority);
  n_fds = g_main_context_query (context, G_MAXINT, &timeout_ms, fds, G_N_ELEMENTS (fds));
  g_main_context_check (context, G_MAXINT, fds, MIN (n_fds, (int) G_N_ELEMENTS (fds)));
  g_main_context_release (context);

  return timeout_ms >= 0;
}

/* A server that never answers: the limit cancels the read, and the
 * caller can tell it was the limit. */
static void
test_limit (void)
{
  g_autoptr(StokDeadline) deadline = NULL;
  Silent silent = { 0 };
  Read read = { 0 };

  silent_open (&silent);

  deadline = stok_deadline_new (NULL, 50);
  g_assert_false (stok_deadline_timed_out (deadline));
  g_assert_false (g_cancellable_is_cancelled (stok_deadline_get_cancellable (deadline)));

  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (silent.client)),
                             read.buffer, sizeof read.buffer, G_PRIORITY_DEFAULT,
                             stok_deadline_get_cancellable (deadline), read_cb, &read);
  iterate_until (NULL, &read.done);

  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (stok_deadline_timed_out (deadline));

  g_clear_error (&read.error);
  silent_close (&silent);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* The caller gives up first: the read is cancelled, and it is not a
 * timeout, even once the limit has passed while the call winds down. */
static void
test_caller_cancels (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StokDeadline) deadline = NULL;
  Silent silent = { 0 };
  Read read = { 0 };

  silent_open (&silent);

  deadline = stok_deadline_new (cancellable, 100);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (silent.client)),
                             read.buffer, sizeof read.buffer, G_PRIORITY_DEFAULT,
                             stok_deadline_get_cancellable (deadline), read_cb, &read);
  g_idle_add (cancel_cb, cancellable);
  iterate_until (NULL, &read.done);

  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (stok_deadline_timed_out (deadline));

  iterate_for (NULL, 200);
  g_assert_false (stok_deadline_timed_out (deadline));

  g_clear_error (&read.error);
  silent_close (&silent);
}

/* Cancelled before the call even starts: at once, and not a timeout. */
static void
test_caller_cancelled_already (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StokDeadline) deadline = NULL;

  g_cancellable_cancel (cancellable);
  deadline = stok_deadline_new (cancellable, 20);

  g_assert_true (g_cancellable_is_cancelled (stok_deadline_get_cancellable (deadline)));
  iterate_for (NULL, 100);
  g_assert_false (stok_deadline_timed_out (deadline));
}

/* The limit came first: a cancel from the caller afterwards does not
 * turn the timeout into something else. */
static void
test_limit_then_caller (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StokDeadline) deadline = stok_deadline_new (cancellable, 20);

  iterate_for (NULL, 100);
  g_assert_true (stok_deadline_timed_out (deadline));

  g_cancellable_cancel (cancellable);
  g_assert_true (stok_deadline_timed_out (deadline));
}

/* Freed before either fired: no source is left on the context, and
 * neither the limit nor the caller's cancellable reaches the call's
 * cancellable afterwards, which nothing else holds any more. */
static void
test_free_early (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) caller = g_cancellable_new ();
  GCancellable *cancellable;
  StokDeadline *deadline;

  g_main_context_push_thread_default (context);

  g_assert_false (has_timeout (context));
  deadline = stok_deadline_new (caller, 20);
  g_assert_true (has_timeout (context));

  cancellable = g_object_ref (stok_deadline_get_cancellable (deadline));
  stok_deadline_free (deadline);
  g_assert_false (has_timeout (context));

  iterate_for (context, 100);
  g_cancellable_cancel (caller);
  g_assert_false (g_cancellable_is_cancelled (cancellable));
  g_assert_finalize_object (cancellable);

  g_main_context_pop_thread_default (context);

  /* And freeing nothing is nothing. */
  stok_deadline_free (NULL);
}

/* A limit is counted on the context that was the thread's default when
 * it was made, as a call made inside a nested loop (a sync wrapper with
 * a context of its own) expects: iterating another context does not
 * fire it, iterating its own does. */
static void
test_nested_contexts (void)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(StokDeadline) outer_deadline = stok_deadline_new (NULL, 20);
  g_autoptr(StokDeadline) inner_deadline = NULL;

  g_main_context_push_thread_default (inner);
  inner_deadline = stok_deadline_new (NULL, 20);

  /* Only the inner loop runs, as in a sync call: the outer limit waits. */
  iterate_for (inner, 100);
  g_assert_true (stok_deadline_timed_out (inner_deadline));
  g_assert_false (stok_deadline_timed_out (outer_deadline));

  g_main_context_pop_thread_default (inner);

  iterate_for (NULL, 100);
  g_assert_true (stok_deadline_timed_out (outer_deadline));

  /* Made on the outer context while the inner is not pushed, a limit is
   * not counted by the inner one. */
  g_clear_pointer (&outer_deadline, stok_deadline_free);
  outer_deadline = stok_deadline_new (NULL, 20);
  iterate_for (inner, 100);
  g_assert_false (stok_deadline_timed_out (outer_deadline));
  iterate_for (NULL, 100);
  g_assert_true (stok_deadline_timed_out (outer_deadline));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deadline/limit", test_limit);
  g_test_add_func ("/deadline/caller-cancels", test_caller_cancels);
  g_test_add_func ("/deadline/caller-cancelled-already", test_caller_cancelled_already);
  g_test_add_func ("/deadline/limit-then-caller", test_limit_then_caller);
  g_test_add_func ("/deadline/free-early", test_free_early);
  g_test_add_func ("/deadline/nested-contexts", test_nested_contexts);

  return g_test_run ();
}
