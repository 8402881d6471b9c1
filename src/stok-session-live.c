/* stok-session-live.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A session as it runs, bound to it: its state, the audio sent against
 * the session's time, the session cap counting down from Begin's
 * expires_at, the transcript (a GtkListView of StokTurnRow that follows
 * new turns unless the user scrolled up), the timeline, and the latency
 * figures of the engine as they are measured.
 *
 * The times tick with the window's one timer, as the token's countdown
 * does: the window asks stok_session_live_get_next_change() and calls
 * stok_session_live_update() then. They are inscriptions, so a tick only
 * redraws them.
 *
 * The cut-off is read off the window's clock, not the wall clock: Begin
 * gives it as Unix time, which is turned into a deadline on the clock once,
 * so that a change of the system's time does not move it. */

#define G_LOG_DOMAIN "stok-session-live"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-audio-format.h"
#include "stok-session-live.h"
#include "stok-nested-list.h"
#include "stok-timeline.h"
#include "stok-turn-row.h"

/* The figures, in the order shown. */
enum {
  FIGURE_CONNECT,
  FIGURE_FIRST_PARTIAL,
  FIGURE_MEDIAN_FINAL,
  FIGURE_END_OF_AUDIO,
  FIGURE_FORCE_ENDPOINT,
  FIGURE_TERMINATE,
  FIGURE_AUDIO,
  N_FIGURES
};

struct _StokSessionLive
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkInscription     *clock_inscription;
  GtkInscription     *cap_inscription;
  GtkScrolledWindow  *transcript_scroller;
  GtkListView        *transcript_view;
  GtkWidget          *placeholder_label;
  GtkGrid            *figures_grid;

  GtkWidget          *figure_names[N_FIGURES];
  GtkInscription     *figure_values[N_FIGURES];
  /* In a narrow window's one column: the figures one a line. */
  gboolean            narrow;
  StokSession        *session;
  StokClock          *clock;
  GtkNoSelection     *selection;
  /* The session's cut-off on the clock, once Begin said it; else -1. */
  gint64              cap_deadline_us;
  /* Whether the transcript keeps the newest turn in view. */
  gboolean            follows;
  /* The transcript is being scrolled by us, not by the user. */
  gboolean            scrolling;
  /* The list has just laid out a new length; see adjustment_changed_cb(). */
  guint               relayout_id;
};

G_DEFINE_FINAL_TYPE (StokSessionLive, stok_session_live, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CLOCK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* For the template's bindings. */

static gboolean
is_set (gpointer  this_object,
        GObject  *object)
{
  return object != NULL;
}

static char *
state_title (gpointer          this_object,
             StokSession      *session,
             StokSessionState  state)
{
  if (session == NULL)
    return g_strdup (_("No session yet"));

  /* How it ended is the ending card's title, just above: said once. */
  if (state == STOK_SESSION_STATE_ENDED)
    return g_strdup (_("Last session"));

  return stok_session_dup_ending_title (session);
}

/* m:ss, or h:mm:ss past an hour. */
static char *
format_clock (gint64 us)
{
  gint64 seconds = MAX (us, 0) / G_USEC_PER_SEC;

  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static gboolean
is_running (StokSessionLive *self)
{
  StokSessionState state = self->session != NULL ? stok_session_get_state (self->session) : STOK_SESSION_STATE_IDLE;

  return state == STOK_SESSION_STATE_STREAMING || state == STOK_SESSION_STATE_ENDING;
}

/* The room a figure's value asks for, in the average characters an
 * inscription counts: one to spare, as digits and the dash are wider
 * than that, and never less than a usual figure takes ("1234 ms"), so
 * that the columns stay where they are as the figures come. */
static guint
value_chars (const char *text)
{
  return MAX ((guint) g_utf8_strlen (text, -1) + 1, 8);
}

/* A figure's new value is drawn without a layout, unless it needs more
 * room than the last (10,000 s of audio): then the inscription asks for
 * that much, and the names beside it keep theirs. */
static void
set_value (StokSessionLive *self,
           guint            figure,
           const char      *text)
{
  GtkInscription *value = self->figure_values[figure];
  guint n_chars = value_chars (text);

  if (n_chars != gtk_inscription_get_nat_chars (value))
    {
      gtk_inscription_set_min_chars (value, n_chars);
      gtk_inscription_set_nat_chars (value, n_chars);
    }
  gtk_inscription_set_text (value, text);
}

static void
set_figure (StokSessionLive *self,
            guint            figure,
            gint64           value_us)
{
  g_autofree char *text = NULL;

  if (value_us < 0)
    text = g_strdup ("—");
  else
    /* Translators: a latency in milliseconds */
    text = g_strdup_printf (_("%.0f ms"), (double) stok_round_ms (value_us));

  set_value (self, figure, text);
}

/* Audio sent moves with every frame, not only with the figures: it is
 * also shown at each tick, as the line above says it. */
static void
update_audio_figure (StokSessionLive          *self,
                     const StokSessionFigures *figures)
{
  g_autofree char *audio = NULL;

  if (figures->server_audio_seconds >= 0)
    /* Translators: seconds of audio sent, then as the server counted them */
    audio = g_strdup_printf (_("%.2f s, counted %.2f s"), figures->audio_sent_us / (double) G_USEC_PER_SEC,
                             figures->server_audio_seconds);
  else
    /* Translators: seconds of audio sent */
    audio = g_strdup_printf (_("%.2f s"), figures->audio_sent_us / (double) G_USEC_PER_SEC);
  set_value (self, FIGURE_AUDIO, audio);
}

static void
update_figures (StokSessionLive *self)
{
  StokSessionFigures figures;

  g_assert (STOK_IS_SESSION_LIVE (self));

  if (self->session == NULL)
    return;

  stok_session_get_figures (self->session, &figures);
  set_figure (self, FIGURE_CONNECT, figures.connect_to_begin_us);
  set_figure (self, FIGURE_FIRST_PARTIAL, figures.first_audio_to_first_partial_us);
  set_figure (self, FIGURE_MEDIAN_FINAL, figures.median_turn_latency_us);
  set_figure (self, FIGURE_END_OF_AUDIO, figures.end_of_audio_to_final_us);
  set_figure (self, FIGURE_FORCE_ENDPOINT, figures.force_endpoint_to_final_us);
  set_figure (self, FIGURE_TERMINATE, figures.terminate_to_termination_us);
  update_audio_figure (self, &figures);
}

static void
move_in_grid (GtkGrid   *grid,
              GtkWidget *child,
              int        column,
              int        row)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (grid));
  GtkGridLayoutChild *place = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));

  gtk_grid_layout_child_set_column (place, column);
  gtk_grid_layout_child_set_row (place, row);
}

/* Two figures a line, each a name and its value; one a line in a narrow
 * window, where two left a name a few letters wide. */
static void
place_figures (StokSessionLive *self)
{
  gboolean narrow = self->narrow;

  for (guint i = 0; i < N_FIGURES; i++)
    {
      GtkWidget *name = self->figure_names[i];
      GtkWidget *value = GTK_WIDGET (self->figure_values[i]);
      guint column = narrow ? 0 : (i % 2) * 2;
      guint row = narrow ? i : i / 2;

      gtk_widget_set_margin_start (name, !narrow && i % 2 == 1 ? 24 : 0);
      move_in_grid (self->figures_grid, name, column, row);
      move_in_grid (self->figures_grid, value, column + 1, row);
    }
}

static void
build_figures (StokSessionLive *self)
{
  const char *names[N_FIGURES] = {
    N_("Connect to Begin"),
    N_("First audio to first partial"),
    N_("Median end of speech to final"),
    N_("End of audio to final"),
    N_("ForceEndpoint to final"),
    N_("Terminate to Termination"),
    N_("Audio sent"),
  };

  for (guint i = 0; i < N_FIGURES; i++)
    {
      GtkWidget *name = gtk_label_new (_(names[i]));
      /* An inscription: a new value is drawn, never laid out again, as
       * the audio sent changes at every tick while streaming. */
      GtkWidget *value = gtk_inscription_new ("—");

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      /* Wrapped, not cut: a name cut to "F…" says nothing. */
      gtk_label_set_wrap (GTK_LABEL (name), TRUE);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_widget_add_css_class (name, "dim-label");
      gtk_widget_add_css_class (name, "caption");
      gtk_inscription_set_xalign (GTK_INSCRIPTION (value), 1);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (value), value_chars ("—"));
      gtk_inscription_set_nat_chars (GTK_INSCRIPTION (value), value_chars ("—"));
      gtk_widget_add_css_class (value, "caption");
      gtk_widget_add_css_class (value, "numeric");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL,
                                      -1);
      gtk_grid_attach (self->figures_grid, name, 0, i, 1, 1);
      gtk_grid_attach (self->figures_grid, value, 1, i, 1, 1);
      self->figure_names[i] = name;
      self->figure_values[i] = GTK_INSCRIPTION (value);
    }

  place_figures (self);
}

/* The newest turn in view, unless the user scrolled away from it. The
 * list view is asked to scroll to it, which moves its anchor: a value
 * set on its adjustment while it lays out, as this did before, was put
 * back to the old anchor's at once, and taken for the user's scroll. */
static void
scroll_to_end (StokSessionLive *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (!self->follows || n == 0)
    return;

  self->scrolling = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self->transcript_view), "list.scroll-to-item", "u", n - 1);
  self->scrolling = FALSE;
}

static gboolean
relayout_done_cb (gpointer data)
{
  StokSessionLive *self = data;

  g_assert (STOK_IS_SESSION_LIVE (self));

  self->relayout_id = 0;

  return G_SOURCE_REMOVE;
}

/* A turn laid out taller than the list guessed, or one that grew: the
 * end has moved. */
static void
adjustment_changed_cb (StokSessionLive *self,
                       GtkAdjustment   *adjustment)
{
  g_assert (STOK_IS_SESSION_LIVE (self));

  /* GTK emits "changed" and then, if the list moved its view to keep
   * what it showed, "value-changed", in the same layout: until the main
   * loop turns, a new value is the list's, not the user's. */
  if (self->relayout_id == 0)
    self->relayout_id = g_idle_add_full (G_PRIORITY_HIGH, relayout_done_cb, self, NULL);

  if (gtk_adjustment_get_value (adjustment) <
      gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1)
    scroll_to_end (self);
}

static void
value_changed_cb (StokSessionLive *self,
                  GtkAdjustment   *adjustment)
{
  g_assert (STOK_IS_SESSION_LIVE (self));

  if (self->scrolling)
    return;

  /* At the end, the transcript follows, whoever moved it there. */
  if (gtk_adjustment_get_value (adjustment) >=
      gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1)
    {
      self->follows = TRUE;
      return;
    }

  /* Several turns laid out at once, as on a slow machine, move the view
   * before the end has been reached: it still follows, and
   * adjustment_changed_cb() has asked for the end already. */
  if (self->relayout_id != 0)
    return;

  /* The user's scroll away from the end. */
  self->follows = FALSE;
}

/* Whether a session that ended as the user or the audio ended it sent
 * audio, all of it below the level of silence: then that is why no turn
 * came. A session that failed has its own why, in its card. */
static gboolean
sent_silence (StokSession *session)
{
  guint n_levels = 0;
  const gint8 *levels = stok_session_get_levels (session, &n_levels, NULL);

  if (stok_session_get_outcome (session) != STOK_SESSION_OUTCOME_COMPLETED ||
      stok_session_get_source_error (session) != NULL)
    return FALSE;

  for (guint i = 0; i < n_levels; i++)
    if (levels[i] > STOK_AUDIO_SILENCE_DBFS)
      return FALSE;

  return n_levels > 0;
}

static void
turns_changed_cb (StokSessionLive *self)
{
  GListModel *turns;

  g_assert (STOK_IS_SESSION_LIVE (self));

  turns = self->session != NULL ? stok_session_get_turns (self->session) : NULL;
  gtk_widget_set_visible (self->placeholder_label, turns == NULL || g_list_model_get_n_items (turns) == 0);
  /* Once the session is over, none is coming; and audio that was silent
   * all along, a muted microphone say, is why. */
  if (self->session != NULL && stok_session_get_state (self->session) == STOK_SESSION_STATE_ENDED)
    gtk_label_set_label (GTK_LABEL (self->placeholder_label),
                         sent_silence (self->session) ? _("No turns came in this session: the audio sent was silent")
                                                      : _("No turns came in this session"));
  else
    gtk_label_set_label (GTK_LABEL (self->placeholder_label), _("Turns appear here as the server sends them"));
  scroll_to_end (self);
}

static void
state_changed_cb (StokSessionLive *self)
{
  g_assert (STOK_IS_SESSION_LIVE (self));

  /* Begin gave the cut-off as Unix time: a deadline on the clock from
   * here on. */
  if (self->cap_deadline_us < 0 && stok_session_get_expires_at (self->session) > 0)
    self->cap_deadline_us = stok_clock_get_time (self->clock) +
                            stok_session_get_expires_at (self->session) * G_USEC_PER_SEC - g_get_real_time ();

  turns_changed_cb (self);
  stok_session_live_update (self);
}

static void
stok_session_live_dispose (GObject *object)
{
  StokSessionLive *self = (StokSessionLive *)object;

  stok_session_live_set_session (self, NULL);
  g_clear_handle_id (&self->relayout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_SESSION_LIVE);
  g_clear_object (&self->selection);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (stok_session_live_parent_class)->dispose (object);
}

static void
stok_session_live_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokSessionLive *self = STOK_SESSION_LIVE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_live_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokSessionLive *self = STOK_SESSION_LIVE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      stok_session_live_set_session (self, g_value_get_object (value));
      break;

    case PROP_CLOCK:
      stok_session_live_set_clock (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_live_class_init (StokSessionLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_session_live_dispose;
  object_class->get_property = stok_session_live_get_property;
  object_class->set_property = stok_session_live_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         STOK_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionLive:clock:
   *
   * The clock the session cap counts down on: the window's.
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STOK_TYPE_NESTED_LIST);
  g_type_ensure (STOK_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-session-live.ui");
  gtk_widget_class_bind_template_child (widget_class, StokSessionLive, clock_inscription);
  gtk_widget_class_bind_template_child (widget_class, StokSessionLive, cap_inscription);
  gtk_widget_class_bind_template_child (widget_class, StokSessionLive, transcript_scroller);
  gtk_widget_class_bind_template_child (widget_class, StokSessionLive, transcript_view);
  gtk_widget_class_bind_template_child (widget_class, StokSessionLive, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, StokSessionLive, figures_grid);
  gtk_widget_class_bind_template_child_full (widget_class, "state_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "copy_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "timeline", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, is_set);
  gtk_widget_class_bind_template_callback (widget_class, state_title);
}

static void
stok_session_live_init (StokSessionLive *self)
{
  g_autoptr(GtkListItemFactory) factory = stok_turn_row_new_factory ();
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->clock = g_object_ref (stok_clock_get_default ());
  self->cap_deadline_us = -1;
  self->follows = TRUE;
  self->selection = gtk_no_selection_new (NULL);
  gtk_list_view_set_factory (self->transcript_view, factory);
  gtk_list_view_set_model (self->transcript_view, GTK_SELECTION_MODEL (self->selection));
  build_figures (self);


  adjustment = gtk_scrolled_window_get_vadjustment (self->transcript_scroller);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
stok_session_live_new (void)
{
  return g_object_new (STOK_TYPE_SESSION_LIVE, NULL);
}

/**
 * stok_session_live_get_session:
 * @self: a #StokSessionLive
 *
 * Returns: (transfer none) (nullable): the session shown
 */
StokSession *
stok_session_live_get_session (StokSessionLive *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_LIVE (self), NULL);

  return self->session;
}

void
stok_session_live_set_session (StokSessionLive *self,
                               StokSession     *session)
{
  g_return_if_fail (STOK_IS_SESSION_LIVE (self));
  g_return_if_fail (!session || STOK_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (stok_session_get_turns (self->session), self);
    }
  g_set_object (&self->session, session);

  self->cap_deadline_us = -1;
  self->follows = TRUE;
  if (self->selection != NULL)
    gtk_no_selection_set_model (self->selection, session != NULL ? stok_session_get_turns (session) : NULL);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::state", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "figures-changed", G_CALLBACK (update_figures), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (stok_session_get_turns (session), "items-changed",
                               G_CALLBACK (turns_changed_cb), self, G_CONNECT_SWAPPED);
      state_changed_cb (self);
      update_figures (self);
    }
  else if (self->clock_inscription != NULL)
    {
      stok_session_live_update (self);
    }

  if (self->placeholder_label != NULL)
    turns_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * stok_session_live_get_clock:
 * @self: a #StokSessionLive
 *
 * Returns: (transfer none): the clock the session cap counts down on
 */
StokClock *
stok_session_live_get_clock (StokSessionLive *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_LIVE (self), NULL);

  return self->clock;
}

void
stok_session_live_set_clock (StokSessionLive *self,
                             StokClock       *clock)
{
  g_return_if_fail (STOK_IS_SESSION_LIVE (self));
  g_return_if_fail (!clock || STOK_IS_CLOCK (clock));

  if (clock == NULL)
    clock = stok_clock_get_default ();

  if (g_set_object (&self->clock, clock))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

/**
 * stok_session_live_update:
 * @self: a #StokSessionLive
 *
 * Shows the session's times as they are now: a tick.
 */
void
stok_session_live_update (StokSessionLive *self)
{
  g_autofree char *clock_text = NULL;
  g_autofree char *cap_text = NULL;
  gint64 elapsed;

  g_return_if_fail (STOK_IS_SESSION_LIVE (self));

  elapsed = self->session != NULL ? stok_session_get_elapsed (self->session) : -1;
  if (elapsed >= 0)
    {
      StokSessionFigures figures;
      g_autofree char *session_time = format_clock (elapsed);

      stok_session_get_figures (self->session, &figures);
      /* Translators: seconds of audio sent, then the session's time, such
       * as "12.3 s of audio · session 0:13" */
      clock_text = g_strdup_printf (_("%.1f s of audio · session %s"),
                                    figures.audio_sent_us / (double) G_USEC_PER_SEC, session_time);
      update_audio_figure (self, &figures);
    }
  gtk_inscription_set_text (self->clock_inscription, clock_text);

  if (is_running (self) && self->cap_deadline_us >= 0)
    {
      g_autofree char *left = format_clock (self->cap_deadline_us - stok_clock_get_time (self->clock) + G_USEC_PER_SEC - 1);

      /* Translators: the time left before the server ends the session at
       * the token's maximum session duration, such as "2:59:47" */
      cap_text = g_strdup_printf (_("The server cuts the session off in %s"), left);
    }
  else if (self->session != NULL && stok_session_get_expires_at (self->session) > 0)
    {
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (stok_session_get_expires_at (self->session));
      g_autofree char *time = local != NULL ? g_date_time_format (local, "%X") : NULL;

      /* Translators: %s is a time of day */
      cap_text = g_strdup_printf (_("The session would have been cut off at %s"), time != NULL ? time : "—");
    }
  gtk_inscription_set_text (self->cap_inscription, cap_text);
}

/**
 * stok_session_live_get_next_change:
 * @self: a #StokSessionLive
 *
 * The session's time leads: the cap, whose seconds fall elsewhere, moves
 * on its ticks, at most a second late, rather than waking the app on a
 * phase of its own (as the history's tokens follow the shown one's).
 *
 * Returns: microseconds until the session's time next shows a new second,
 *   or -1 when nothing shown ticks
 */
gint64
stok_session_live_get_next_change (StokSessionLive *self)
{
  gint64 elapsed;

  g_return_val_if_fail (STOK_IS_SESSION_LIVE (self), -1);

  if (!is_running (self))
    return -1;

  elapsed = stok_session_get_elapsed (self->session);

  return G_USEC_PER_SEC - elapsed % G_USEC_PER_SEC;
}

/**
 * stok_session_live_set_narrow:
 * @self: a #StokSessionLive
 * @narrow: whether it is in a narrow window's one column
 *
 * Lays the latency figures out one a line when @narrow, two otherwise.
 */
void
stok_session_live_set_narrow (StokSessionLive *self,
                              gboolean         narrow)
{
  g_return_if_fail (STOK_IS_SESSION_LIVE (self));

  if (self->narrow == !!narrow)
    return;

  self->narrow = !!narrow;
  place_figures (self);
  /* When the session is cut off, on two lines if need be: cut at its
   * start, the German sentence lost what it said. Pango wraps lines
   * that are cut at their end only. */
  gtk_inscription_set_min_lines (self->cap_inscription, narrow ? 2 : 1);
  gtk_inscription_set_nat_lines (self->cap_inscription, narrow ? 2 : 1);
  gtk_inscription_set_text_overflow (self->cap_inscription,
                                     narrow ? GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END
                                            : GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_START);
}

/**
 * stok_session_live_get_follows:
 * @self: a #StokSessionLive
 *
 * Returns: whether the transcript keeps its newest turn in view
 */
gboolean
stok_session_live_get_follows (StokSessionLive *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_LIVE (self), FALSE);

  return self->follows;
}
