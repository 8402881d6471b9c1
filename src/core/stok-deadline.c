/* stok-deadline.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A time limit on one asynchronous call: a cancellable of its own, which
 * the caller's cancellable and the limit both cancel, and which remembers
 * which of the two it was, so that a timeout is reported as one. */

#include "config.h"

#include "stok-deadline.h"

struct _StokDeadline
{
  GCancellable *cancellable;
  GCancellable *user_cancellable;
  GSource *timeout_source;
  gulong cancelled_id;
  gboolean timed_out;
};

static gboolean
timeout_cb (gpointer user_data)
{
  StokDeadline *self = user_data;

  /* Cancelled by the caller before the limit: the call, still winding
   * down, was not timed out. */
  if (!g_cancellable_is_cancelled (self->cancellable))
    {
      self->timed_out = TRUE;
      g_cancellable_cancel (self->cancellable);
    }
  g_clear_pointer (&self->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   GCancellable *internal)
{
  g_cancellable_cancel (internal);
}

/**
 * stok_deadline_new:
 * @user_cancellable: (nullable): the caller's cancellable
 * @timeout_ms: the limit, counted from now on the thread-default context
 *
 * Returns: (transfer full): a new deadline; free with stok_deadline_free()
 */
StokDeadline *
stok_deadline_new (GCancellable *user_cancellable,
                   guint         timeout_ms)
{
  StokDeadline *self;

  g_return_val_if_fail (user_cancellable == NULL || G_IS_CANCELLABLE (user_cancellable), NULL);

  self = g_new0 (StokDeadline, 1);
  self->cancellable = g_cancellable_new ();
  if (user_cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (user_cancellable);
      self->cancelled_id = g_cancellable_connect (user_cancellable,
                                                  G_CALLBACK (user_cancelled_cb),
                                                  g_object_ref (self->cancellable),
                                                  g_object_unref);
    }

  self->timeout_source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->timeout_source, timeout_cb, self, NULL);
  g_source_attach (self->timeout_source, g_main_context_get_thread_default ());

  return self;
}

/**
 * stok_deadline_get_cancellable:
 * @self: a #StokDeadline
 *
 * Returns: (transfer none): the cancellable to pass to the call
 */
GCancellable *
stok_deadline_get_cancellable (StokDeadline *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->cancellable;
}

/**
 * stok_deadline_timed_out:
 * @self: a #StokDeadline
 *
 * Returns: %TRUE if the limit, not the caller, cancelled the call
 */
gboolean
stok_deadline_timed_out (StokDeadline *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->timed_out;
}

/**
 * stok_deadline_free:
 * @self: (nullable): a #StokDeadline
 *
 * Stops the limit: nothing is cancelled after this, whatever the
 * caller's cancellable does.
 */
void
stok_deadline_free (StokDeadline *self)
{
  if (self == NULL)
    return;

  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_source_unref (self->timeout_source);
    }
  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->cancelled_id);
  g_clear_object (&self->user_cancellable);
  g_clear_object (&self->cancellable);
  g_free (self);
}
