/* stok-test-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "stok-test-window.h"

/**
 * stok_test_window_init:
 * @argc: main()'s argc
 * @argv: main()'s argv
 * @session: a zeroed #StokTestSession, stopped by the caller at the end
 *
 * What every window test starts with: no key from the environment, a
 * private bus with a real keyring, then GTK on the X server and
 * libadwaita.
 */
void
stok_test_window_init (int               *argc,
                       char            ***argv,
                       StokTestSession   *session)
{
  g_unsetenv ("ASSEMBLYAI_API_KEY");
  stok_test_session_start (session);
  stok_test_session_start_keyring (session);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

GtkWidget *
stok_test_child (StokWindow *window,
                 const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), STOK_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

/* The text of a label, or of an inscription (which the window uses for
 * what ticks, so that a tick only redraws). */
const char *
stok_test_label (StokWindow *window,
                 const char *name)
{
  GtkWidget *child = stok_test_child (window, name);

  if (GTK_IS_INSCRIPTION (child))
    return gtk_inscription_get_text (GTK_INSCRIPTION (child));

  return gtk_label_get_label (GTK_LABEL (child));
}

/* No request out, and none shown: idle as a user would see it. Takes a
 * gpointer, to serve as a stok_test_wait_until() condition. */
gboolean
stok_test_is_idle (gpointer window)
{
  return !stok_window_get_busy (window) &&
         !gtk_widget_get_visible (stok_test_child (window, "cancel_button"));
}

/* The open toplevel of @type, transient for @transient_for unless that is
 * %NULL, or %NULL if there is none. */
GtkWindow *
stok_test_find_toplevel (GtkWindow *transient_for,
                         GType      type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) &&
        (transient_for == NULL || gtk_window_get_transient_for (l->data) == transient_for))
      return l->data;

  return NULL;
}

/* The line under the key row that says where the key is kept, or why it
 * could not be. */
const char *
stok_test_key_status (StokWindow *window)
{
  return adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (stok_test_child (window, "key_group")));
}

void
stok_test_set_key (StokWindow *window,
                   const char *key)
{
  gtk_editable_set_text (GTK_EDITABLE (stok_test_child (window, "key_row")), key);
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closes @window, which the caller holds no reference to, and waits for
 * it to be freed: what it had in flight is cancelled, but the callbacks
 * still have to run to let go of it, which takes a while under valgrind. */
void
stok_test_close_window (gpointer window)
{
  gpointer alive = window;

  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (stok_test_wait_until (is_gone, &alive, 20000));
}
