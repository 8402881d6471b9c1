/* stok-timeline.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A session on one time axis, for tuning turn detection by eye: the
 * audio's level, each SpeechStarted, each word's span in the audio, the
 * arrival of each partial (small ticks) and of each final turn (an accent
 * mark), and between the end of a turn's last word and its final mark, a
 * bracket with the latency a voice agent waits.
 *
 * The axis is session time, from connecting. Audio is placed where it was
 * sent: a frame's audio fills the frame's length up to the moment the
 * frame went out, as a microphone's frame is recorded just before it is
 * sent. So a turn's bracket starts where StokTurn:latency starts
 * counting, at the frame that held the end of its last word, and is as
 * long as the figure in its tooltip.
 *
 * A second is a fixed number of pixels, and the timeline follows the live
 * edge until the user scrolls back (a touchpad or Shift and the wheel, a
 * drag, or the arrow keys; End follows again). It scrolls itself rather
 * than in a GtkScrolledWindow: an adjustment whose range grows with every
 * audio frame would have a scrollbar lay the window out again twenty
 * times a second, where this is a redraw, coalesced by GTK to one a
 * frame, and only of what is in view, however long the session. */

#define G_LOG_DOMAIN "stok-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "stok-described.h"
#include "stok-timeline-private.h"

/* Pixels the pointer moves before a press becomes a drag. */
#define DRAG_THRESHOLD 3

static void stok_timeline_described_init (StokDescribedInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StokTimeline, stok_timeline, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (STOK_TYPE_DESCRIBED, stok_timeline_described_init))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PIXELS_PER_SECOND,
  PROP_FOLLOWS_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* How far back the summary looks for a turn with a latency. */
#define SUMMARY_LOOKBACK 64

/**
 * stok_timeline_dup_summary:
 * @self: a #StokTimeline
 *
 * Returns: (transfer full): the figures a screen reader reads, its
 *   accessible description: the last final turn's latency, and the median
 */
char *
stok_timeline_dup_summary (StokTimeline *self)
{
  g_autoptr(StokTurn) last = NULL;
  StokSessionFigures figures;
  GListModel *turns;
  guint n_final;
  GString *summary;

  g_return_val_if_fail (STOK_IS_TIMELINE (self), NULL);

  if (self->session == NULL)
    return g_strdup (_("No session yet."));

  stok_session_get_figures (self->session, &figures);
  n_final = figures.n_timed_turns;

  /* The newest timed turn, looked for among the last few: this runs at
   * every final turn, through sessions of thousands, and one ended by End
   * Turn or Terminate has a latency too, outside the median. */
  turns = stok_session_get_turns (self->session);
  for (guint i = g_list_model_get_n_items (turns), n = 0; i > 0 && n < SUMMARY_LOOKBACK && last == NULL; i--, n++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i - 1);

      if (stok_turn_get_latency (turn) >= 0)
        last = g_steal_pointer (&turn);
    }

  if (last == NULL)
    return g_strdup (_("No final turn yet."));

  summary = g_string_new (NULL);
  g_string_append_printf (summary, _("Last turn: %d ms from end of speech to final."),
                          stok_round_ms (stok_turn_get_latency (last)));

  if (n_final > 1 && figures.median_turn_latency_us >= 0)
    {
      g_string_append_c (summary, ' ');
      g_string_append_printf (summary,
                              g_dngettext (GETTEXT_PACKAGE, "Median of %u turn: %d ms.",
                                           "Median of %u turns: %d ms.", n_final),
                              n_final, stok_round_ms (figures.median_turn_latency_us));
    }

  return g_string_free (summary, FALSE);
}

static void
update_summary (StokTimeline *self)
{
  g_autofree char *summary = stok_timeline_dup_summary (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
}

static gboolean
stok_timeline_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip)
{
  StokTimeline *self = STOK_TIMELINE (widget);
  g_autofree char *text = NULL;

  /* From the keyboard there is no point: the figures, as a screen reader
   * has them. */
  if (keyboard_mode)
    text = stok_timeline_dup_summary (self);
  else
    text = stok_timeline_dup_tooltip_at (self, x, y);

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_follows (StokTimeline *self,
             gboolean      follows_live)
{
  if (self->follows_live == !!follows_live)
    return;

  self->follows_live = !!follows_live;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWS_LIVE]);
}

/* Scrolled to the live edge, the timeline follows it again. */
static void
set_view_start (StokTimeline *self,
                gint64        start_us)
{
  gint64 live_start = _stok_timeline_get_live_start (self);

  self->scroll_us = CLAMP (start_us, 0, live_start);
  set_follows (self, self->scroll_us >= live_start);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gint64
pixels_to_us (StokTimeline *self,
              double        pixels)
{
  return (gint64) (pixels * G_USEC_PER_SEC / self->pixels_per_second);
}

static gboolean
scroll_cb (StokTimeline             *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL ? 48 : 1;

  g_assert (STOK_IS_TIMELINE (self));

  /* The wheel alone scrolls the page the timeline is on. */
  if (dx == 0 && (state & GDK_SHIFT_MASK) != 0)
    dx = dy;
  if (dx == 0)
    return FALSE;

  set_view_start (self, stok_timeline_get_view_start (self) + pixels_to_us (self, dx * step));
  return TRUE;
}

static void
drag_begin_cb (StokTimeline   *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  g_assert (STOK_IS_TIMELINE (self));

  self->drag_start_us = stok_timeline_get_view_start (self);
  /* Pressed, it takes the keys, as a list or a text does: Home, End and
   * the arrows then move it, not the page around. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update_cb (StokTimeline   *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  GdkEventSequence *sequence;

  g_assert (STOK_IS_TIMELINE (self));

  /* A click, however unsteady, is not a drag: it must not stop the
   * timeline following the session. */
  sequence = gtk_gesture_single_get_current_sequence (GTK_GESTURE_SINGLE (gesture));
  if (gtk_gesture_get_sequence_state (GTK_GESTURE (gesture), sequence) != GTK_EVENT_SEQUENCE_CLAIMED)
    {
      if (fabs (dx) <= DRAG_THRESHOLD)
        return;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }

  set_view_start (self, self->drag_start_us - pixels_to_us (self, dx));
}

static gboolean
key_pressed_cb (StokTimeline          *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gint64 page_us = pixels_to_us (self, gtk_widget_get_width (GTK_WIDGET (self)) * 0.9);
  gint64 start_us = stok_timeline_get_view_start (self);

  g_assert (STOK_IS_TIMELINE (self));

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      set_view_start (self, start_us - G_USEC_PER_SEC);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      set_view_start (self, start_us + G_USEC_PER_SEC);
      return TRUE;

    case GDK_KEY_Page_Up:
      set_view_start (self, start_us - page_us);
      return TRUE;

    case GDK_KEY_Page_Down:
      set_view_start (self, start_us + page_us);
      return TRUE;

    case GDK_KEY_Home:
      set_view_start (self, 0);
      return TRUE;

    case GDK_KEY_End:
      stok_timeline_set_follows_live (self, TRUE);
      return TRUE;

    default:
      return FALSE;
    }
}

/* A message or a change of state: drawn in the next frame, once however
 * many came. */
static void
session_changed_cb (StokTimeline *self)
{
  g_assert (STOK_IS_TIMELINE (self));

  self->audio_drawn_us = g_get_monotonic_time ();
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A frame of audio sent: its level shows with the next redraw, which audio
 * alone asks for a few times a second. Checked as frames are sent, never
 * on a timer of its own: the redraw rides on a wake-up the app has anyway. */
static void
audio_sent_cb (StokTimeline *self)
{
  gint64 now = g_get_monotonic_time ();

  g_assert (STOK_IS_TIMELINE (self));

  if (now - self->audio_drawn_us < AUDIO_REDRAW_US)
    return;

  self->audio_drawn_us = now;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
turn_ended_cb (StokTimeline *self,
               StokTurn     *turn,
               StokSession  *session)
{
  g_assert (STOK_IS_TIMELINE (self));

  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
stok_timeline_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 360;
    }
  else
    *minimum = *natural = HEIGHT;
}

static void
stok_timeline_dispose (GObject *object)
{
  StokTimeline *self = STOK_TIMELINE (object);

  stok_timeline_set_session (self, NULL);

  G_OBJECT_CLASS (stok_timeline_parent_class)->dispose (object);
}

static void
stok_timeline_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  StokTimeline *self = STOK_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PIXELS_PER_SECOND:
      g_value_set_double (value, self->pixels_per_second);
      break;

    case PROP_FOLLOWS_LIVE:
      g_value_set_boolean (value, self->follows_live);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_timeline_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  StokTimeline *self = STOK_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      stok_timeline_set_session (self, g_value_get_object (value));
      break;

    case PROP_PIXELS_PER_SECOND:
      stok_timeline_set_pixels_per_second (self, g_value_get_double (value));
      break;

    case PROP_FOLLOWS_LIVE:
      stok_timeline_set_follows_live (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_timeline_class_init (StokTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_timeline_dispose;
  object_class->get_property = stok_timeline_get_property;
  object_class->set_property = stok_timeline_set_property;

  widget_class->measure = stok_timeline_measure;
  widget_class->snapshot = _stok_timeline_snapshot;
  widget_class->query_tooltip = stok_timeline_query_tooltip;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         STOK_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PIXELS_PER_SECOND] =
    g_param_spec_double ("pixels-per-second", NULL, NULL,
                         10, 1000, STOK_TIMELINE_DEFAULT_PIXELS_PER_SECOND,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTimeline:follows-live:
   *
   * Whether the timeline keeps the newest audio and turns in view. It
   * stops when the user scrolls back, and starts again at the live edge.
   */
  properties[PROP_FOLLOWS_LIVE] =
    g_param_spec_boolean ("follows-live", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static char *
stok_timeline_dup_description (StokDescribed *described)
{
  return stok_timeline_dup_summary (STOK_TIMELINE (described));
}

static void
stok_timeline_described_init (StokDescribedInterface *iface)
{
  iface->dup_description = stok_timeline_dup_description;
}

static void
stok_timeline_init (StokTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->pixels_per_second = STOK_TIMELINE_DEFAULT_PIXELS_PER_SECOND;
  self->follows_live = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Session timeline"),
                                  -1);
  update_summary (self);
}

GtkWidget *
stok_timeline_new (void)
{
  return g_object_new (STOK_TYPE_TIMELINE, NULL);
}

StokSession *
stok_timeline_get_session (StokTimeline *self)
{
  g_return_val_if_fail (STOK_IS_TIMELINE (self), NULL);

  return self->session;
}

/**
 * stok_timeline_set_session:
 * @self: a #StokTimeline
 * @session: (nullable): the session to show
 *
 * Shows @session, and follows it live from its start.
 */
void
stok_timeline_set_session (StokTimeline *self,
                           StokSession  *session)
{
  g_return_if_fail (STOK_IS_TIMELINE (self));
  g_return_if_fail (!session || STOK_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::audio-sent", G_CALLBACK (audio_sent_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::state", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "message", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "turn-ended", G_CALLBACK (turn_ended_cb), self, G_CONNECT_SWAPPED);
    }

  self->scroll_us = 0;
  set_follows (self, TRUE);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

double
stok_timeline_get_pixels_per_second (StokTimeline *self)
{
  g_return_val_if_fail (STOK_IS_TIMELINE (self), STOK_TIMELINE_DEFAULT_PIXELS_PER_SECOND);

  return self->pixels_per_second;
}

void
stok_timeline_set_pixels_per_second (StokTimeline *self,
                                     double        pixels_per_second)
{
  g_return_if_fail (STOK_IS_TIMELINE (self));
  g_return_if_fail (pixels_per_second >= 10 && pixels_per_second <= 1000);

  if (self->pixels_per_second == pixels_per_second)
    return;

  self->pixels_per_second = pixels_per_second;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXELS_PER_SECOND]);
}

gboolean
stok_timeline_get_follows_live (StokTimeline *self)
{
  g_return_val_if_fail (STOK_IS_TIMELINE (self), FALSE);

  return self->follows_live;
}

void
stok_timeline_set_follows_live (StokTimeline *self,
                                gboolean      follows_live)
{
  g_return_if_fail (STOK_IS_TIMELINE (self));

  /* Scrolled back, it stays where it was left. */
  if (!follows_live && self->follows_live)
    self->scroll_us = _stok_timeline_get_live_start (self);

  set_follows (self, follows_live);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * stok_timeline_scroll_to:
 * @self: a #StokTimeline
 * @session_us: the session time to show at the left edge
 *
 * Scrolls as the user does: it stops following the live edge, unless
 * that is where it comes to.
 */
void
stok_timeline_scroll_to (StokTimeline *self,
                         gint64        session_us)
{
  g_return_if_fail (STOK_IS_TIMELINE (self));

  set_view_start (self, session_us);
}
