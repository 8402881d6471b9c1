/* stok-key-group.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The API key, bound to a StokKeySource (the application's, which all
 * its windows share): the row that shows and takes the key, Save and
 * Forget where they apply, and a line that says where the key comes from
 * and where it is kept, or why it could not be. The buttons activate the
 * window's actions. */

#define G_LOG_DOMAIN "stok-key-group"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-key-group.h"
#include "stok-params.h"

struct _StokKeyGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  AdwPasswordEntryRow *key_row;

  StokKeySource       *key_source;
  GtkExpressionWatch  *status_watch;
  gulong               key_changed_id;
  guint                setting_text : 1;
};

G_DEFINE_FINAL_TYPE (StokKeyGroup, stok_key_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_KEY_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  KEY_ARRIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
key_status (gpointer       this_object,
            const char    *problem,
            gboolean       looking_up,
            gboolean       saving,
            const char    *key,
            gboolean       saved,
            StokKeyOrigin  origin)
{
  if (problem != NULL)
    return g_strdup (problem);
  if (looking_up && key == NULL)
    return g_strdup (_("Looking for a saved key in the keyring…"));
  if (saving)
    return g_strdup (_("Saving in the keyring…"));
  if (key == NULL)
    return g_strdup (_("Copy the key from your AssemblyAI dashboard. Saved keys are kept in the login keyring."));
  if (saved)
    return g_strdup (_("Saved in keyring"));
  if (origin == STOK_KEY_ORIGIN_ENVIRONMENT)
    return g_strdup (_("From the ASSEMBLYAI_API_KEY environment variable, not saved"));

  return g_strdup (_("Not saved: used until the app quits"));
}

static gboolean
can_save (gpointer    this_object,
          const char *key,
          gboolean    saved)
{
  return key != NULL && !saved;
}

static gboolean
can_forget (gpointer    this_object,
            const char *key,
            gboolean    has_stored_key)
{
  return key != NULL || has_stored_key;
}

static void
key_row_changed_cb (StokKeyGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  g_assert (STOK_IS_KEY_GROUP (self));

  if (self->setting_text || self->key_source == NULL)
    return;

  /* Keys pasted from a dashboard or a terminal often bring a space or a
   * line break along; a key never contains one. */
  if (text[0] != '\0' &&
      (g_ascii_isspace (text[0]) || g_ascii_isspace (text[strlen (text) - 1])))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      self->setting_text = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->key_row), trimmed);
      gtk_editable_set_position (GTK_EDITABLE (self->key_row), -1);
      self->setting_text = FALSE;
      text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
    }

  stok_key_source_set_key (self->key_source, text);
}

static void
key_row_activated_cb (StokKeyGroup *self)
{
  g_assert (STOK_IS_KEY_GROUP (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "win.generate", NULL);
}

/* The key changed in the source: typed here, or in another window, or
 * found in the keyring, or put back by Undo. */
static void
key_changed_cb (StokKeyGroup *self)
{
  const char *key = stok_key_source_get_key (self->key_source);
  g_autofree char *shown = stok_trim_api_key (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
  GtkRoot *root;
  GtkWidget *focus;

  g_assert (STOK_IS_KEY_GROUP (self));

  if (g_strcmp0 (key, shown) == 0)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), key != NULL ? key : "");
  self->setting_text = FALSE;

  if (key != NULL && focus != NULL &&
      (focus == GTK_WIDGET (self->key_row) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->key_row))))
    g_signal_emit (self, signals[KEY_ARRIVED], 0);
}

/* Focusing the group types in the row. */
static gboolean
stok_key_group_grab_focus (GtkWidget *widget)
{
  StokKeyGroup *self = STOK_KEY_GROUP (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

static void
stok_key_group_dispose (GObject *object)
{
  StokKeyGroup *self = (StokKeyGroup *)object;

  /* The expressions stop watching the key source before it can go, and
   * the status line's stops watching the group before the group's weak
   * references are notified: GTK 4.8 would then remove a weak reference
   * of the group's that is already gone. */
  stok_key_group_set_key_source (self, NULL);
  g_clear_pointer (&self->status_watch, gtk_expression_watch_unwatch);
  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_KEY_GROUP);

  G_OBJECT_CLASS (stok_key_group_parent_class)->dispose (object);
}

static void
stok_key_group_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StokKeyGroup *self = STOK_KEY_GROUP (object);

  switch (prop_id)
    {
    case PROP_KEY_SOURCE:
      g_value_set_object (value, self->key_source);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_key_group_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StokKeyGroup *self = STOK_KEY_GROUP (object);

  switch (prop_id)
    {
    case PROP_KEY_SOURCE:
      stok_key_group_set_key_source (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_key_group_class_init (StokKeyGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_key_group_dispose;
  object_class->get_property = stok_key_group_get_property;
  object_class->set_property = stok_key_group_set_property;

  widget_class->grab_focus = stok_key_group_grab_focus;

  properties[PROP_KEY_SOURCE] =
    g_param_spec_object ("key-source", NULL, NULL,
                         STOK_TYPE_KEY_SOURCE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StokKeyGroup::key-arrived:
   *
   * A key came from elsewhere than the row while the user was in it: the
   * keyring, another window, Undo. Generate is then where the user acts;
   * left in the entry, the focus would also keep its cursor blinking,
   * which GTK animates at every frame for ten seconds: 440 wake-ups a
   * second in a window that nobody touches.
   */
  signals[KEY_ARRIVED] =
    g_signal_new ("key-arrived",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-key-group.ui");
  gtk_widget_class_bind_template_child (widget_class, StokKeyGroup, key_row);
  gtk_widget_class_bind_template_child_full (widget_class, "save_key_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "forget_key_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, can_save);
  gtk_widget_class_bind_template_callback (widget_class, can_forget);
  gtk_widget_class_bind_template_callback (widget_class, key_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_row_activated_cb);
}

/* A property of the key source, for the status line. */
static GtkExpression *
key_source_lookup (const char *property)
{
  return gtk_property_expression_new (STOK_TYPE_KEY_SOURCE,
                                      gtk_property_expression_new (STOK_TYPE_KEY_GROUP, NULL, "key-source"),
                                      property);
}

static void
stok_key_group_init (StokKeyGroup *self)
{
  GtkExpression *params[] = {
    key_source_lookup ("problem"),
    key_source_lookup ("looking-up"),
    key_source_lookup ("saving"),
    key_source_lookup ("key"),
    key_source_lookup ("saved"),
    key_source_lookup ("origin"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Where the key comes from and where it is kept, or why it could not
   * be: bound here, since a binding of the template's own property does
   * not let go of it in time with GTK 4.8 (see dispose). */
  self->status_watch = gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRING, NULL,
                                                                         G_N_ELEMENTS (params), params,
                                                                         G_CALLBACK (key_status),
                                                                         NULL, NULL),
                                            self, "description", self);
}

GtkWidget *
stok_key_group_new (void)
{
  return g_object_new (STOK_TYPE_KEY_GROUP, NULL);
}

/**
 * stok_key_group_get_key_source:
 * @self: a #StokKeyGroup
 *
 * Returns: (transfer none) (nullable): where the key comes from
 */
StokKeySource *
stok_key_group_get_key_source (StokKeyGroup *self)
{
  g_return_val_if_fail (STOK_IS_KEY_GROUP (self), NULL);

  return self->key_source;
}

void
stok_key_group_set_key_source (StokKeyGroup  *self,
                               StokKeySource *key_source)
{
  g_return_if_fail (STOK_IS_KEY_GROUP (self));
  g_return_if_fail (!key_source || STOK_IS_KEY_SOURCE (key_source));

  if (self->key_source == key_source)
    return;

  g_clear_signal_handler (&self->key_changed_id, self->key_source);
  g_set_object (&self->key_source, key_source);
  if (key_source != NULL)
    {
      self->key_changed_id = g_signal_connect_object (key_source, "notify::key",
                                                      G_CALLBACK (key_changed_cb), self,
                                                      G_CONNECT_SWAPPED);
      key_changed_cb (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_SOURCE]);
}
