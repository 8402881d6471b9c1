/* stok-durations-group.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The two durations a token is minted with, each with the API's range,
 * shown in human terms beside the spin button ("10 min", "3 h") and
 * remembered in the settings: the redemption window
 * (expires_in_seconds) and the maximum session duration
 * (max_session_duration_seconds).
 *
 * The rows are an AdwActionRow's CSS nodes with a StokRowTitle for their
 * texts (see stok-row-title.c), and work as an AdwActionRow with an
 * activatable widget would: a click anywhere on a row goes to its spin
 * button. */

#define G_LOG_DOMAIN "stok-durations-group"

#include "config.h"

#include "stok-durations-group.h"
#include "stok-row-title.h"
#include "stok-token.h"

struct _StokDurationsGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  GtkListBoxRow       *expires_row;
  GtkListBoxRow       *max_session_row;
  GtkSpinButton       *expires_spin;
  GtkSpinButton       *max_session_spin;
  GtkAdjustment       *expires_adjustment;
  GtkAdjustment       *max_session_adjustment;

  GSettings           *settings;
};

G_DEFINE_FINAL_TYPE (StokDurationsGroup, stok_durations_group, ADW_TYPE_PREFERENCES_GROUP)

/* A duration in seconds, as people say it: "10 min", "3 h". */
static char *
format_seconds (gpointer this_object,
                double   seconds)
{
  return stok_format_duration ((gint64) seconds);
}

static void
row_activated_cb (StokDurationsGroup *self,
                  GtkListBoxRow      *row)
{
  g_assert (STOK_IS_DURATIONS_GROUP (self));

  if (row == self->expires_row)
    gtk_widget_mnemonic_activate (GTK_WIDGET (self->expires_spin), FALSE);
  else if (row == self->max_session_row)
    gtk_widget_mnemonic_activate (GTK_WIDGET (self->max_session_spin), FALSE);
}

static void
stok_durations_group_dispose (GObject *object)
{
  StokDurationsGroup *self = (StokDurationsGroup *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_DURATIONS_GROUP);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (stok_durations_group_parent_class)->dispose (object);
}

static void
stok_durations_group_class_init (StokDurationsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_durations_group_dispose;

  g_type_ensure (STOK_TYPE_ROW_TITLE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-durations-group.ui");
  gtk_widget_class_bind_template_child (widget_class, StokDurationsGroup, expires_row);
  gtk_widget_class_bind_template_child (widget_class, StokDurationsGroup, max_session_row);
  gtk_widget_class_bind_template_child (widget_class, StokDurationsGroup, expires_spin);
  gtk_widget_class_bind_template_child (widget_class, StokDurationsGroup, max_session_spin);
  gtk_widget_class_bind_template_child (widget_class, StokDurationsGroup, expires_adjustment);
  gtk_widget_class_bind_template_child (widget_class, StokDurationsGroup, max_session_adjustment);
  gtk_widget_class_bind_template_child_full (widget_class, "expires_human_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "max_session_human_label", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, format_seconds);
}

static void
stok_durations_group_init (StokDurationsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The rows sit in the group's list. */
  g_signal_connect_object (gtk_widget_get_parent (GTK_WIDGET (self->expires_row)), "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "expires-in-seconds",
                   self->expires_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-session-duration-seconds",
                   self->max_session_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
}

GtkWidget *
stok_durations_group_new (void)
{
  return g_object_new (STOK_TYPE_DURATIONS_GROUP, NULL);
}

/**
 * stok_durations_group_commit:
 * @self: a #StokDurationsGroup
 *
 * Takes what is typed but not yet entered in the spin buttons, clamped to
 * their ranges, as pressing Enter there would.
 */
void
stok_durations_group_commit (StokDurationsGroup *self)
{
  g_return_if_fail (STOK_IS_DURATIONS_GROUP (self));

  gtk_spin_button_update (self->expires_spin);
  gtk_spin_button_update (self->max_session_spin);
}

/**
 * stok_durations_group_get_expires_in:
 * @self: a #StokDurationsGroup
 *
 * Returns: the redemption window, in seconds
 */
gint64
stok_durations_group_get_expires_in (StokDurationsGroup *self)
{
  g_return_val_if_fail (STOK_IS_DURATIONS_GROUP (self), 0);

  return (gint64) gtk_adjustment_get_value (self->expires_adjustment);
}

/**
 * stok_durations_group_get_max_session:
 * @self: a #StokDurationsGroup
 *
 * Returns: the maximum session duration, in seconds
 */
gint64
stok_durations_group_get_max_session (StokDurationsGroup *self)
{
  g_return_val_if_fail (STOK_IS_DURATIONS_GROUP (self), 0);

  return (gint64) gtk_adjustment_get_value (self->max_session_adjustment);
}
