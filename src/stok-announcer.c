/* stok-announcer.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Makes screen readers speak a message about a window once: a token
 * ready, expired, refused, an error. The countdown itself is never
 * announced.
 *
 * GTK 4.14 has a call for it. Older GTK has none, and no role that Orca
 * reads out when it appears; but Orca speaks a new accessible description
 * of the focused widget. So the message becomes that description, until
 * the focus moves on. Checked with Orca 43's speech log
 * (tests/test-screen-reader.sh): each message is spoken once.
 *
 * GTK 4.8 drops the focus when the focused widget goes insensitive or
 * hidden, or hands it to the scrolled window around it; Orca stays on
 * that widget all the same, and still speaks its description. So the
 * message goes there.
 *
 * GTK before 4.14 also tells assistive technologies nothing of the focus
 * a window opens with, set before it was mapped: a screen reader neither
 * says where the user is nor hears what is announced there. The announcer
 * sets that focus again once the window is on screen. */

#define G_LOG_DOMAIN "stok-announcer"

#include "config.h"

#include "stok-announcer.h"
#include "stok-described.h"
#include "stok-focus-keeper.h"

struct _StokAnnouncer
{
  GObject          parent_instance;

  /* Weak: the window owns its announcer. */
  GtkWindow       *window;
  /* The widget whose accessible description carries an announcement. */
  GtkWidget       *carrier;
  /* Where the focus last was, where a screen reader still is. */
  StokFocusKeeper *focus_keeper;
  guint            restore_id;
  guint            refocus_id;
};

G_DEFINE_FINAL_TYPE (StokAnnouncer, stok_announcer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Gives the widget that carried an announcement its own description
 * back: the one it gives itself, or its tooltip's, or none. */
static void
restore_carrier (StokAnnouncer *self)
{
  g_autofree char *description = NULL;

  g_clear_handle_id (&self->restore_id, g_source_remove);

  if (self->carrier == NULL)
    return;

  if (STOK_IS_DESCRIBED (self->carrier))
    description = stok_described_dup_description (STOK_DESCRIBED (self->carrier));
  else
    description = g_strdup (gtk_widget_get_tooltip_text (self->carrier));

  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->carrier),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->carrier),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_clear_object (&self->carrier);
}

#if !GTK_CHECK_VERSION (4, 14, 0)
static gboolean
restore_cb (gpointer user_data)
{
  StokAnnouncer *self = user_data;

  g_assert (STOK_IS_ANNOUNCER (self));

  self->restore_id = 0;
  restore_carrier (self);

  return G_SOURCE_REMOVE;
}

/* Once the focus moved on; from an idle, so that the screen reader hears
 * of the move before the old widget's description changes back, which it
 * then ignores. GTK dropping the focus, to nowhere or to the scrolled
 * window around, is no move for a screen reader, nor for the keeper:
 * changed back then, the old description would be said. */
static void
last_focus_cb (StokAnnouncer *self)
{
  GtkWidget *focus;

  g_assert (STOK_IS_ANNOUNCER (self));

  focus = stok_focus_keeper_get_last_focus (self->focus_keeper);
  if (focus != NULL && self->carrier != NULL && self->carrier != focus && self->restore_id == 0)
    self->restore_id = g_idle_add (restore_cb, self);
}

static gboolean
refocus_cb (gpointer user_data)
{
  StokAnnouncer *self = user_data;
  g_autoptr(GtkWidget) focus = NULL;

  g_assert (STOK_IS_ANNOUNCER (self));

  self->refocus_id = 0;

  if (self->window == NULL || gtk_root_get_focus (GTK_ROOT (self->window)) == NULL)
    return G_SOURCE_REMOVE;

  focus = g_object_ref (gtk_root_get_focus (GTK_ROOT (self->window)));
  gtk_window_set_focus (self->window, NULL);
  gtk_widget_grab_focus (focus);

  return G_SOURCE_REMOVE;
}

static void
window_mapped_cb (StokAnnouncer *self)
{
  g_assert (STOK_IS_ANNOUNCER (self));

  if (self->refocus_id == 0)
    self->refocus_id = g_idle_add (refocus_cb, self);
}
#endif

static void
stok_announcer_set_window (StokAnnouncer *self,
                           GtkWindow     *window)
{
  g_assert (self->window == NULL);

  if (window == NULL)
    return;

  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

#if !GTK_CHECK_VERSION (4, 14, 0)
  /* Only remembers: a screen reader stays where the focus was. */
  self->focus_keeper = stok_focus_keeper_new (NULL, NULL);
  g_signal_connect_swapped (self->focus_keeper, "notify::last-focus",
                            G_CALLBACK (last_focus_cb), self);
  stok_focus_keeper_set_root (self->focus_keeper, GTK_ROOT (window));
  g_signal_connect_object (window, "map",
                           G_CALLBACK (window_mapped_cb), self, G_CONNECT_SWAPPED);
#endif
}

static void
stok_announcer_dispose (GObject *object)
{
  StokAnnouncer *self = (StokAnnouncer *)object;

  g_clear_handle_id (&self->refocus_id, g_source_remove);
  restore_carrier (self);
  g_clear_object (&self->focus_keeper);

  if (self->window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }

  G_OBJECT_CLASS (stok_announcer_parent_class)->dispose (object);
}

static void
stok_announcer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StokAnnouncer *self = STOK_ANNOUNCER (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_object (value, self->window);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_announcer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StokAnnouncer *self = STOK_ANNOUNCER (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      stok_announcer_set_window (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_announcer_class_init (StokAnnouncerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_announcer_dispose;
  object_class->get_property = stok_announcer_get_property;
  object_class->set_property = stok_announcer_set_property;

  /**
   * StokAnnouncer:window:
   *
   * The window whose messages are announced. Not referenced: a window
   * keeps its announcer.
   */
  properties[PROP_WINDOW] =
    g_param_spec_object ("window", NULL, NULL,
                         GTK_TYPE_WINDOW,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_announcer_init (StokAnnouncer *self)
{
}

StokAnnouncer *
stok_announcer_new (GtkWindow *window)
{
  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  return g_object_new (STOK_TYPE_ANNOUNCER,
                       "window", window,
                       NULL);
}

/**
 * stok_announcer_get_window:
 * @self: a #StokAnnouncer
 *
 * Returns: (transfer none) (nullable): the window, or %NULL once it is gone
 */
GtkWindow *
stok_announcer_get_window (StokAnnouncer *self)
{
  g_return_val_if_fail (STOK_IS_ANNOUNCER (self), NULL);

  return self->window;
}

/**
 * stok_announcer_announce:
 * @self: a #StokAnnouncer
 * @message: what a screen reader is to say, once
 */
void
stok_announcer_announce (StokAnnouncer *self,
                         const char    *message)
{
#if !GTK_CHECK_VERSION (4, 14, 0)
  GtkWidget *target;
#endif

  g_return_if_fail (STOK_IS_ANNOUNCER (self));
  g_return_if_fail (message != NULL);

  if (self->window == NULL)
    return;

#if GTK_CHECK_VERSION (4, 14, 0)
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_accessible_announce (GTK_ACCESSIBLE (self->window), message, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  /* The focus, or where GTK dropped it from. */
  target = stok_focus_keeper_get_last_focus (self->focus_keeper);
  if (target == NULL || gtk_widget_get_root (target) != GTK_ROOT (self->window))
    target = gtk_root_get_focus (GTK_ROOT (self->window));
  if (target != self->carrier)
    restore_carrier (self);
  if (target == NULL)
    return;

  g_set_object (&self->carrier, target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (target),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
#endif
}
