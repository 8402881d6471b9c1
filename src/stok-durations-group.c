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
 * button.
 *
 * A spin button clamps a typed value to its range without a word: 9999
 * became 600, 0 became 1. The group says so under its rows, naming the
 * range, until the value changes again. */

#define G_LOG_DOMAIN "stok-durations-group"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-durations-group.h"
#include "stok-row-title.h"
#include "stok-token.h"
#include "stok-wheel.h"

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
  GtkLabel            *clamp_label;

  GSettings           *settings;
  StokAnnouncer       *announcer;
  /* The adjustment a typed value was clamped for, and what it became. */
  GtkAdjustment       *clamped;
  double               clamped_to;
};

G_DEFINE_FINAL_TYPE (StokDurationsGroup, stok_durations_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_ANNOUNCER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A duration in seconds, as people say it: "10 min", "3 h". */
static char *
format_seconds (gpointer this_object,
                double   seconds)
{
  return stok_format_duration ((gint64) seconds);
}

static void
hide_clamp_note (StokDurationsGroup *self)
{
  self->clamped = NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->clamp_label), FALSE);
}

static void
show_clamp_note (StokDurationsGroup *self,
                 GtkSpinButton      *spin,
                 const char         *typed,
                 double              clamped_to)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  int lower = (int) gtk_adjustment_get_lower (adjustment);
  int upper = (int) gtk_adjustment_get_upper (adjustment);
  g_autofree char *note = NULL;

  if (spin == self->expires_spin)
    /* Translators: the range, what was typed, and what it became, e.g.
     * "The redemption window is 1 to 600 seconds: 9999 was changed to 600." */
    note = g_strdup_printf (_("The redemption window is %d to %d seconds: %s was changed to %d."),
                            lower, upper, typed, (int) clamped_to);
  else
    /* Translators: the range, what was typed, and what it became */
    note = g_strdup_printf (_("The maximum session duration is %d to %d seconds: %s was changed to %d."),
                            lower, upper, typed, (int) clamped_to);

  self->clamped = adjustment;
  self->clamped_to = clamped_to;
  gtk_label_set_label (self->clamp_label, note);
  gtk_widget_set_visible (GTK_WIDGET (self->clamp_label), TRUE);
  if (self->announcer != NULL)
    stok_announcer_announce (self->announcer, note);
}

/* A value typed in a spin button, about to be taken: GTK's own parsing
 * takes it (FALSE), and clamps it to the range, which is then said. A
 * value in range says nothing here: one that changes the value makes the
 * note old news (value_changed_cb), and the other field, taken with this
 * one by Enter or Generate, has no say in this one's note. */
static int
spin_input_cb (StokDurationsGroup *self,
               double             *new_value,
               GtkSpinButton      *spin)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  char *end = NULL;
  double value;

  g_assert (STOK_IS_DURATIONS_GROUP (self));

  value = g_ascii_strtod (typed, &end);
  if (typed[0] == '\0' || end == NULL || *end != '\0')
    return FALSE;

  if (value < gtk_adjustment_get_lower (adjustment) || value > gtk_adjustment_get_upper (adjustment))
    show_clamp_note (self, spin, typed,
                     CLAMP (value, gtk_adjustment_get_lower (adjustment), gtk_adjustment_get_upper (adjustment)));

  return FALSE;
}

/* Any other value, from the arrows, the keyboard or the settings, makes
 * the note old news. */
static void
value_changed_cb (StokDurationsGroup *self,
                  GtkAdjustment      *adjustment)
{
  g_assert (STOK_IS_DURATIONS_GROUP (self));

  /* The other field's value is no news of this one's. */
  if (self->clamped == adjustment && gtk_adjustment_get_value (adjustment) != self->clamped_to)
    hide_clamp_note (self);
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
  g_clear_object (&self->announcer);

  G_OBJECT_CLASS (stok_durations_group_parent_class)->dispose (object);
}

static void
stok_durations_group_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StokDurationsGroup *self = STOK_DURATIONS_GROUP (object);

  switch (prop_id)
    {
    case PROP_ANNOUNCER:
      g_value_set_object (value, self->announcer);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_durations_group_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StokDurationsGroup *self = STOK_DURATIONS_GROUP (object);

  switch (prop_id)
    {
    case PROP_ANNOUNCER:
      if (g_set_object (&self->announcer, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_durations_group_class_init (StokDurationsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_durations_group_dispose;
  object_class->get_property = stok_durations_group_get_property;
  object_class->set_property = stok_durations_group_set_property;

  /**
   * StokDurationsGroup:announcer:
   *
   * What tells screen reader users that a typed value was changed: the
   * window's.
   */
  properties[PROP_ANNOUNCER] =
    g_param_spec_object ("announcer", NULL, NULL,
                         STOK_TYPE_ANNOUNCER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_class_bind_template_child (widget_class, StokDurationsGroup, clamp_label);
  gtk_widget_class_bind_template_callback (widget_class, format_seconds);
  gtk_widget_class_bind_template_callback (widget_class, spin_input_cb);
}

static void
stok_durations_group_init (StokDurationsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The title's mnemonic labels its spin button too, and GTK 4.8 said
   * both: "Redemption window in seconds Redemption window". The spin
   * button's own label says it all. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->expires_spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->max_session_spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  /* A page scrolled past them leaves their values. */
  stok_wheel_only_when_focused (GTK_WIDGET (self->expires_spin));
  stok_wheel_only_when_focused (GTK_WIDGET (self->max_session_spin));

  /* The rows sit in the group's list. */
  g_signal_connect_object (gtk_widget_get_parent (GTK_WIDGET (self->expires_row)), "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->expires_adjustment, "value-changed",
                           G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->max_session_adjustment, "value-changed",
                           G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);

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
