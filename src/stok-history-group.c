/* stok-history-group.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The history of the tokens minted in this run, bound to a StokHistory:
 * a row for each, with its live state, newest first. Activating a row
 * asks to show its token again. */

#define G_LOG_DOMAIN "stok-history-group"

#include "config.h"

#include "stok-history-group.h"
#include "stok-history-row.h"

struct _StokHistoryGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  GtkListBox          *list;

  StokHistory         *history;
  StokClock           *clock;
  StokMint            *shown;
};

G_DEFINE_FINAL_TYPE (StokHistoryGroup, stok_history_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_CLOCK,
  PROP_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MINT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  StokHistoryGroup *self = user_data;
  GtkWidget *row;

  g_assert (STOK_IS_HISTORY_GROUP (self));

  row = stok_history_row_new (item, self->clock);
  stok_history_row_set_shown (STOK_HISTORY_ROW (row), item == (gpointer) self->shown);

  return row;
}

static void
row_activated_cb (StokHistoryGroup *self,
                  StokHistoryRow   *row)
{
  g_assert (STOK_IS_HISTORY_GROUP (self));

  g_signal_emit (self, signals[MINT_ACTIVATED], 0, stok_history_row_get_mint (row));
}

static void
stok_history_group_dispose (GObject *object)
{
  StokHistoryGroup *self = (StokHistoryGroup *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_HISTORY_GROUP);
  g_clear_object (&self->history);
  g_clear_object (&self->clock);
  g_clear_object (&self->shown);

  G_OBJECT_CLASS (stok_history_group_parent_class)->dispose (object);
}

static void
stok_history_group_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StokHistoryGroup *self = STOK_HISTORY_GROUP (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_SHOWN:
      g_value_set_object (value, self->shown);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_history_group_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  StokHistoryGroup *self = STOK_HISTORY_GROUP (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      stok_history_group_set_history (self, g_value_get_object (value));
      break;

    case PROP_CLOCK:
      stok_history_group_set_clock (self, g_value_get_object (value));
      break;

    case PROP_SHOWN:
      stok_history_group_set_shown (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_history_group_class_init (StokHistoryGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_history_group_dispose;
  object_class->get_property = stok_history_group_get_property;
  object_class->set_property = stok_history_group_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         STOK_TYPE_HISTORY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokHistoryGroup:clock:
   *
   * The clock the states are read against, the window's: a row takes the
   * one set when it is made.
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokHistoryGroup:shown:
   *
   * The mint of the token shown above the history, whose row is
   * highlighted, or %NULL.
   */
  properties[PROP_SHOWN] =
    g_param_spec_object ("shown", NULL, NULL,
                         STOK_TYPE_MINT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StokHistoryGroup::mint-activated:
   * @self: a #StokHistoryGroup
   * @mint: the mint of the row
   *
   * The user picked a token of the history, to show it again.
   */
  signals[MINT_ACTIVATED] =
    g_signal_new ("mint-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STOK_TYPE_MINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-history-group.ui");
  gtk_widget_class_bind_template_child (widget_class, StokHistoryGroup, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
stok_history_group_init (StokHistoryGroup *self)
{
  self->clock = g_object_ref (stok_clock_get_default ());

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
stok_history_group_new (void)
{
  return g_object_new (STOK_TYPE_HISTORY_GROUP, NULL);
}

/**
 * stok_history_group_get_history:
 * @self: a #StokHistoryGroup
 *
 * Returns: (transfer none) (nullable): the history shown
 */
StokHistory *
stok_history_group_get_history (StokHistoryGroup *self)
{
  g_return_val_if_fail (STOK_IS_HISTORY_GROUP (self), NULL);

  return self->history;
}

void
stok_history_group_set_history (StokHistoryGroup *self,
                                StokHistory      *history)
{
  g_return_if_fail (STOK_IS_HISTORY_GROUP (self));
  g_return_if_fail (!history || STOK_IS_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;

  gtk_list_box_bind_model (self->list, G_LIST_MODEL (history), create_row, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

/**
 * stok_history_group_get_clock:
 * @self: a #StokHistoryGroup
 *
 * Returns: (transfer none): the clock the states are read against
 */
StokClock *
stok_history_group_get_clock (StokHistoryGroup *self)
{
  g_return_val_if_fail (STOK_IS_HISTORY_GROUP (self), NULL);

  return self->clock;
}

/**
 * stok_history_group_set_clock:
 * @self: a #StokHistoryGroup
 * @clock: (nullable): the clock for rows made from now on, or %NULL for
 *   the system's
 */
void
stok_history_group_set_clock (StokHistoryGroup *self,
                              StokClock        *clock)
{
  g_return_if_fail (STOK_IS_HISTORY_GROUP (self));
  g_return_if_fail (!clock || STOK_IS_CLOCK (clock));

  if (clock == NULL)
    clock = stok_clock_get_default ();

  if (g_set_object (&self->clock, clock))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

/**
 * stok_history_group_update:
 * @self: a #StokHistoryGroup
 *
 * Shows each token's state as it is now on its clock: a tick, which only
 * redraws.
 */
void
stok_history_group_update (StokHistoryGroup *self)
{
  g_return_if_fail (STOK_IS_HISTORY_GROUP (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (STOK_IS_HISTORY_ROW (row))
      stok_history_row_update (STOK_HISTORY_ROW (row));
}

/**
 * stok_history_group_get_shown:
 * @self: a #StokHistoryGroup
 *
 * Returns: (transfer none) (nullable): the mint whose row is highlighted
 */
StokMint *
stok_history_group_get_shown (StokHistoryGroup *self)
{
  g_return_val_if_fail (STOK_IS_HISTORY_GROUP (self), NULL);

  return self->shown;
}

void
stok_history_group_set_shown (StokHistoryGroup *self,
                              StokMint         *shown)
{
  g_return_if_fail (STOK_IS_HISTORY_GROUP (self));
  g_return_if_fail (!shown || STOK_IS_MINT (shown));

  if (!g_set_object (&self->shown, shown))
    return;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (STOK_IS_HISTORY_ROW (row))
      stok_history_row_set_shown (STOK_HISTORY_ROW (row),
                                  stok_history_row_get_mint (STOK_HISTORY_ROW (row)) == shown);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN]);
}
