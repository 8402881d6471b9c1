/* stok-focus-keeper.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Puts the keyboard focus back where GTK dropped it.
 *
 * GTK 4.8 drops the focus when the focused widget goes insensitive or
 * hidden, as a button does when it is pressed: the window is left with no
 * focus at all, or the focus is handed to the scrolled window around the
 * widget. Nowhere a user acts from: the next Tab went to the main menu,
 * and a screen reader still sits on the widget that had it.
 *
 * A keeper follows the focus of one root, remembers where it last was,
 * and when GTK drops it calls its owner back once, to put it back; or,
 * with no one to call, only remembers, for whoever needs to know where a
 * screen reader still is. */

#define G_LOG_DOMAIN "stok-focus-keeper"

#include "config.h"

#include "stok-focus-keeper.h"

struct _StokFocusKeeper
{
  GObject              parent_instance;

  /* Weak: the root's widgets own their keepers. */
  GtkRoot             *root;
  /* Weak: where the focus last was before GTK dropped it. */
  GtkWidget           *last_focus;
  StokFocusKeeperFunc  refocus;
  gpointer             user_data;
  gulong               focus_id;
  guint                refocus_id;
};

G_DEFINE_FINAL_TYPE (StokFocusKeeper, stok_focus_keeper, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOT,
  PROP_LAST_FOCUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GTK's moves are to nowhere, or to a widget around the one that had the
 * focus; a user's are into a widget. One rule for every owner: each
 * keeps only the focus that it lost itself, which its callback tells
 * from where the focus was. */
static gboolean
is_dropped (StokFocusKeeper *self,
            GtkWidget       *focus)
{
  return focus == NULL ||
         (self->last_focus != NULL && gtk_widget_is_ancestor (self->last_focus, focus));
}

static void
set_last_focus (StokFocusKeeper *self,
                GtkWidget       *focus)
{
  if (g_set_weak_pointer (&self->last_focus, focus))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_FOCUS]);
}

static gboolean
refocus_cb (gpointer user_data)
{
  StokFocusKeeper *self = user_data;

  g_assert (STOK_IS_FOCUS_KEEPER (self));

  self->refocus_id = 0;

  /* Unless the focus found a place meanwhile: the user's, or another
   * keeper's of the same root. */
  if (self->root != NULL && is_dropped (self, gtk_root_get_focus (self->root)))
    self->refocus (self->last_focus, self->user_data);

  return G_SOURCE_REMOVE;
}

static void
focus_widget_cb (StokFocusKeeper *self)
{
  GtkWidget *focus;

  g_assert (STOK_IS_FOCUS_KEEPER (self));

  focus = gtk_root_get_focus (self->root);

  if (!is_dropped (self, focus))
    {
      set_last_focus (self, focus);
      return;
    }

  /* After the change of state that took it is done: the next widget to
   * focus is made sensitive or shown in the same turn of the main loop.
   * Before the next frame: with a spinner turning on a slow machine,
   * frames follow each other and a default idle waits for them all. */
  if (self->refocus != NULL && self->refocus_id == 0)
    self->refocus_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refocus_cb, self, NULL);
}

/* Without a word: from dispose, no one is to hear of it. */
static void
forget_root (StokFocusKeeper *self)
{
  if (self->root != NULL)
    g_clear_signal_handler (&self->focus_id, self->root);
  /* Else its handler went with it. */
  self->focus_id = 0;
  g_clear_handle_id (&self->refocus_id, g_source_remove);
  g_clear_weak_pointer (&self->last_focus);
  g_clear_weak_pointer (&self->root);
}

static void
stok_focus_keeper_dispose (GObject *object)
{
  StokFocusKeeper *self = (StokFocusKeeper *)object;

  forget_root (self);

  G_OBJECT_CLASS (stok_focus_keeper_parent_class)->dispose (object);
}

static void
stok_focus_keeper_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokFocusKeeper *self = STOK_FOCUS_KEEPER (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      g_value_set_object (value, self->root);
      break;

    case PROP_LAST_FOCUS:
      g_value_set_object (value, self->last_focus);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_focus_keeper_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokFocusKeeper *self = STOK_FOCUS_KEEPER (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      stok_focus_keeper_set_root (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_focus_keeper_class_init (StokFocusKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_focus_keeper_dispose;
  object_class->get_property = stok_focus_keeper_get_property;
  object_class->set_property = stok_focus_keeper_set_property;

  /**
   * StokFocusKeeper:root:
   *
   * The root whose focus is kept. Not referenced: the widgets under it
   * own their keepers.
   */
  properties[PROP_ROOT] =
    g_param_spec_object ("root", NULL, NULL,
                         GTK_TYPE_ROOT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokFocusKeeper:last-focus:
   *
   * Where the focus last was, not counting GTK dropping it: where a
   * screen reader still is.
   */
  properties[PROP_LAST_FOCUS] =
    g_param_spec_object ("last-focus", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_focus_keeper_init (StokFocusKeeper *self)
{
}

/**
 * stok_focus_keeper_new:
 * @refocus: (nullable): what puts the focus back, or
 *   %NULL to only remember where it was
 * @user_data: data for @refocus, which must outlive the keeper
 *
 * Returns: (transfer full): a new #StokFocusKeeper, following no root yet
 */
StokFocusKeeper *
stok_focus_keeper_new (StokFocusKeeperFunc refocus,
                       gpointer            user_data)
{
  StokFocusKeeper *self = g_object_new (STOK_TYPE_FOCUS_KEEPER, NULL);

  self->refocus = refocus;
  self->user_data = user_data;

  return self;
}

/**
 * stok_focus_keeper_get_root:
 * @self: a #StokFocusKeeper
 *
 * Returns: (transfer none) (nullable): the root followed
 */
GtkRoot *
stok_focus_keeper_get_root (StokFocusKeeper *self)
{
  g_return_val_if_fail (STOK_IS_FOCUS_KEEPER (self), NULL);

  return self->root;
}

/**
 * stok_focus_keeper_set_root:
 * @self: a #StokFocusKeeper
 * @root: (nullable): the root to follow, or %NULL to follow none
 *
 * Follows the focus of @root, as from a widget's #GtkWidgetClass.root, and
 * forgets what it knew of the root before.
 */
void
stok_focus_keeper_set_root (StokFocusKeeper *self,
                            GtkRoot         *root)
{
  gboolean had_focus;

  g_return_if_fail (STOK_IS_FOCUS_KEEPER (self));
  g_return_if_fail (root == NULL || GTK_IS_ROOT (root));

  if (self->root == root)
    return;

  had_focus = self->last_focus != NULL;
  forget_root (self);

  if (root != NULL)
    {
      g_set_weak_pointer (&self->root, root);
      self->focus_id = g_signal_connect_swapped (root, "notify::focus-widget",
                                                 G_CALLBACK (focus_widget_cb), self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
  if (had_focus)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_FOCUS]);
}

/**
 * stok_focus_keeper_get_last_focus:
 * @self: a #StokFocusKeeper
 *
 * Returns: (transfer none) (nullable): where the focus last was, not
 *   counting GTK dropping it
 */
GtkWidget *
stok_focus_keeper_get_last_focus (StokFocusKeeper *self)
{
  g_return_val_if_fail (STOK_IS_FOCUS_KEEPER (self), NULL);

  return self->last_focus;
}
