/* stok-token-panel.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The shown token, bound to its mint and read against the window's
 * clock: the countdown of its redemption window, the bar that empties,
 * the token itself with Copy and Verify, and what Verify found.
 *
 * What the token's last session came to, a verify's or one with audio,
 * is shown here from the mint's :last-session, once it has ended.
 *
 * The panel does not tick by itself: the window has one timer for all
 * that counts down on screen, asks the panel when it next changes
 * (stok_token_panel_get_next_change()) and calls
 * stok_token_panel_update() then. A tick sets inscriptions and the bar,
 * which only redraws. */

#define G_LOG_DOMAIN "stok-token-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-countdown-bar.h"
#include "stok-reveal.h"
#include "stok-token-panel.h"

struct _StokTokenPanel
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkWidget           *verify_button;
  GtkWidget           *copy_button;
  GtkInscription      *countdown_inscription;
  GtkStack            *caption_stack;
  GtkLabel            *ended_caption_label;
  StokCountdownBar    *countdown_bar;
  GtkLabel            *deadline_label;
  GtkLabel            *session_cap_label;
  GtkLabel            *token_label;
  GtkWidget           *verification_box;
  GtkImage            *verification_icon;
  GtkLabel            *verification_details_label;
  GtkLabel            *session_label;

  StokMint            *mint;
  StokClock           *clock;
  StokAnnouncer       *announcer;
  gulong               last_session_id;
  /* The mint's last session, watched until it ends. */
  StokSession         *session;
  gulong               outcome_id;
  /* The wall-clock time the redemption window ends, as shown. */
  GDateTime           *deadline_wall;
  /* The state of the token as last shown. */
  StokTokenState       shown_state;
};

G_DEFINE_FINAL_TYPE (StokTokenPanel, stok_token_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MINT,
  PROP_CLOCK,
  PROP_ANNOUNCER,
  PROP_REDEEMABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static StokToken *
get_token (StokTokenPanel *self)
{
  return self->mint != NULL ? stok_mint_get_token (self->mint) : NULL;
}

static void
announce (StokTokenPanel *self,
          const char     *message)
{
  if (self->announcer != NULL)
    stok_announcer_announce (self->announcer, message);
}

/* The token's last session, once it has ended: what it came to. */
static StokSession *
get_ended_session (StokTokenPanel *self)
{
  if (self->session == NULL || stok_session_get_state (self->session) != STOK_SESSION_STATE_ENDED)
    return NULL;

  /* Stopped before it began, it came to nothing worth a card. */
  if (stok_session_get_outcome (self->session) == STOK_SESSION_OUTCOME_CANCELLED &&
      !stok_session_get_began (self->session))
    return NULL;

  return self->session;
}

/* Whether a session with the token shown began: the token works, and
 * that verdict leads, rather than the token's state. */
static gboolean
is_verified (StokTokenPanel *self)
{
  StokSession *session = get_ended_session (self);

  return session != NULL && stok_session_get_began (session);
}

/* The headline's colour and weight, one class of these at a time. */
static void
set_headline_style (StokTokenPanel *self,
                    const char     *style)
{
  const char *styles[] = { "expired", "redeemed", "verified" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (g_strcmp0 (style, styles[i]) != 0)
      gtk_widget_remove_css_class (GTK_WIDGET (self->countdown_inscription), styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->countdown_inscription), style);
}

static void
update_deadline_wall (StokTokenPanel *self,
                      gint64          remaining_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) deadline = g_date_time_add (now, remaining_us);

  /* Recomputed from the clock each time, so that the end time stays true
   * when the system clock is changed; kept when it only moved by
   * rounding, so that the label does not flicker between two seconds. */
  if (self->deadline_wall != NULL &&
      ABS (g_date_time_difference (deadline, self->deadline_wall)) < G_USEC_PER_SEC)
    return;

  g_clear_pointer (&self->deadline_wall, g_date_time_unref);
  self->deadline_wall = g_date_time_ref (deadline);
}

/* The large text in place of the countdown once the token cannot open a
 * session, and the line under it. */
static void
ended_texts (StokTokenPanel  *self,
             StokTokenState   state,
             const char     **headline,
             const char     **caption)
{
  switch (state)
    {
    case STOK_TOKEN_STATE_EXPIRED:
      *headline = _("Expired");
      *caption = _("The redemption window has closed: this token can no longer open a session. Generate a new one.");
      break;

    case STOK_TOKEN_STATE_REDEEMED:
      /* A verify proves the token works; a session with audio used it. */
      if (is_verified (self) && stok_session_get_verify (get_ended_session (self)))
        {
          *headline = _("Verified");
          *caption = _("The token works: it opened a session. A token opens only one, so this one is used up.");
        }
      else if (self->session != NULL && !stok_session_get_verify (self->session) &&
               stok_session_get_began (self->session) &&
               stok_session_get_state (self->session) != STOK_SESSION_STATE_ENDED)
        {
          *headline = _("In Use");
          *caption = _("A session is streaming with it. A token opens only one session.");
        }
      else if (is_verified (self))
        {
          *headline = _("Used");
          *caption = _("A session opened with it. A token opens only one, so this one is used up.");
        }
      /* Ended before Begin, stopped by the user too: the token went with
       * the upgrade all the same. */
      else if (self->session != NULL && stok_session_get_state (self->session) == STOK_SESSION_STATE_ENDED)
        {
          *headline = _("Used");
          *caption = _("The streaming server took this token with the connection, but no session began. A token opens only one session.");
        }
      else
        {
          *headline = _("Used");
          *caption = _("This token opened a session and cannot be used again: tokens are single-use.");
        }
      break;

    case STOK_TOKEN_STATE_REJECTED:
      *headline = _("Refused");
      if (get_ended_session (self) == NULL)
        *caption = _("The streaming server refused this token.");
      else if (stok_session_get_verify (get_ended_session (self)))
        *caption = _("The streaming server refused this token. What it said is below.");
      else
        *caption = _("The streaming server refused this token; the session’s card says why.");
      break;

    case STOK_TOKEN_STATE_REDEEMABLE:
    default:
      g_return_if_reached ();
    }
}

/* What a verify of the token came to. A session with audio says how it
 * ended in its own card, beside its transcript, and is not repeated
 * here. */
static void
show_verification (StokTokenPanel *self)
{
  StokSession *session = get_ended_session (self);
  g_autoptr(GString) details = NULL;
  g_autofree char *lasted = NULL;
  StokSessionFigures figures;

  if (session != NULL && !stok_session_get_verify (session))
    session = NULL;

  gtk_widget_set_visible (self->verification_box, session != NULL);
  if (session == NULL)
    return;

  details = g_string_new (NULL);
  stok_session_get_figures (session, &figures);

  if (stok_session_get_began (session))
    {
      gint64 expires_at = stok_session_get_expires_at (session);
      gboolean completed = stok_session_get_outcome (session) == STOK_SESSION_OUTCOME_COMPLETED;

      gtk_image_set_from_icon_name (self->verification_icon, completed ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verification_icon), completed ? "warning" : "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verification_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->verification_icon), completed ? "success" : "warning");

      g_string_append_printf (details, _("Session ID: %s"),
                              stok_session_get_session_id (session) ? stok_session_get_session_id (session) : "—");
      g_string_append_c (details, '\n');
      if (expires_at > 0)
        {
          g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (expires_at);
          g_autofree char *text = local != NULL ? stok_format_date_time (local) : NULL;

          /* Translators: %s is a date and time */
          g_string_append_printf (details, _("The session would have been cut off at %s"), text ? text : "—");
          g_string_append_c (details, '\n');
        }
      if (completed)
        {
          g_autofree char *audio_s = stok_format_seconds (figures.server_audio_seconds);

          /* Translators: %s is a number of seconds: "0", "2.5" */
          g_string_append_printf (details, _("Ended with Terminate; the server counted %s s of audio"), audio_s);
        }
      else
        {
          g_autofree char *ending = stok_session_dup_ending (session);

          g_string_append (details, ending);
        }
      if (figures.server_session_seconds >= 0)
        {
          g_autofree char *session_s = stok_format_seconds (figures.server_session_seconds);

          /* Translators: %s is a number of seconds: "0", "2.5" */
          lasted = g_strdup_printf (_("The session lasted %s s."), session_s);
        }
    }
  else
    {
      g_autofree char *ending = stok_session_dup_ending (session);

      gtk_image_set_from_icon_name (self->verification_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verification_icon), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verification_icon), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->verification_icon), "error");
      g_string_append (details, ending);
    }

  gtk_label_set_label (self->verification_details_label, details->str);
  gtk_label_set_label (self->session_label, lasted);
  gtk_widget_set_visible (GTK_WIDGET (self->session_label), lasted != NULL);
}

/* How long a session with the token may last: the durations it was
 * minted with; for a pasted token, whose were chosen elsewhere, the end
 * its session's Begin gave, once one began. */
static void
update_cap (StokTokenPanel *self)
{
  StokToken *token = get_token (self);
  g_autofree char *cap_text = NULL;

  if (token == NULL)
    return;

  if (stok_token_get_expiry_known (token))
    {
      g_autofree char *cap = stok_format_duration (stok_token_get_max_session_seconds (token));

      /* Translators: %s is a duration such as "3 h" */
      cap_text = g_strdup_printf (_("Sessions last up to %s"), cap);
    }
  else if (self->session != NULL && stok_session_get_expires_at (self->session) > 0)
    {
      g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (stok_session_get_expires_at (self->session));
      g_autofree char *time = end != NULL ? g_date_time_format (end, "%X") : NULL;

      /* Translators: %s is a time of day, when the server ends the
       * session the token opened */
      cap_text = g_strdup_printf (_("Its session ends by %s"), time != NULL ? time : "—");
    }

  gtk_label_set_label (self->session_cap_label, cap_text != NULL ? cap_text : _("Session cap unknown"));
}

/* The token's last session ended: what it came to is news. */
static void
outcome_changed_cb (StokTokenPanel *self)
{
  g_assert (STOK_IS_TOKEN_PANEL (self));

  update_cap (self);
  show_verification (self);
  stok_token_panel_update (self);
  /* The verdict of a verify, which leads the card; a session with audio
   * says its own ending in its view. */
  if (get_ended_session (self) != NULL && stok_session_get_verify (self->session))
    announce (self, gtk_label_get_label (self->ended_caption_label));
}

static void
watch_session (StokTokenPanel *self)
{
  g_autoptr(StokSession) session = self->mint != NULL ? stok_mint_get_last_session (self->mint) : NULL;

  if (self->session != NULL)
    g_clear_signal_handler (&self->outcome_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    self->outcome_id = g_signal_connect_object (session, "notify::state",
                                                G_CALLBACK (outcome_changed_cb), self, G_CONNECT_SWAPPED);
  update_cap (self);
}

/* A session started with the shown token: the card follows it. */
static void
last_session_changed_cb (StokTokenPanel *self)
{
  g_assert (STOK_IS_TOKEN_PANEL (self));

  watch_session (self);
  show_verification (self);
  stok_token_panel_update (self);
}

static void
stok_token_panel_dispose (GObject *object)
{
  StokTokenPanel *self = (StokTokenPanel *)object;


  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_TOKEN_PANEL);

  g_clear_signal_handler (&self->last_session_id, self->mint);
  if (self->session != NULL)
    g_clear_signal_handler (&self->outcome_id, self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->mint);
  g_clear_object (&self->clock);
  g_clear_object (&self->announcer);
  g_clear_pointer (&self->deadline_wall, g_date_time_unref);

  G_OBJECT_CLASS (stok_token_panel_parent_class)->dispose (object);
}

static void
stok_token_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StokTokenPanel *self = STOK_TOKEN_PANEL (object);

  switch (prop_id)
    {
    case PROP_MINT:
      g_value_set_object (value, self->mint);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_ANNOUNCER:
      g_value_set_object (value, self->announcer);
      break;

    case PROP_REDEEMABLE:
      g_value_set_boolean (value, stok_token_panel_get_redeemable (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_token_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StokTokenPanel *self = STOK_TOKEN_PANEL (object);

  switch (prop_id)
    {
    case PROP_MINT:
      stok_token_panel_set_mint (self, g_value_get_object (value));
      break;

    case PROP_CLOCK:
      stok_token_panel_set_clock (self, g_value_get_object (value));
      break;

    case PROP_ANNOUNCER:
      stok_token_panel_set_announcer (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_token_panel_class_init (StokTokenPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_token_panel_dispose;
  object_class->get_property = stok_token_panel_get_property;
  object_class->set_property = stok_token_panel_set_property;

  /**
   * StokTokenPanel:mint:
   *
   * The mint of the token shown, or %NULL.
   */
  properties[PROP_MINT] =
    g_param_spec_object ("mint", NULL, NULL,
                         STOK_TYPE_MINT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTokenPanel:clock:
   *
   * The clock the countdown reads: the window's.
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTokenPanel:announcer:
   *
   * What tells screen reader users that the token ran out, and what a
   * verify found: the window's.
   */
  properties[PROP_ANNOUNCER] =
    g_param_spec_object ("announcer", NULL, NULL,
                         STOK_TYPE_ANNOUNCER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTokenPanel:redeemable:
   *
   * Whether the token shown can still open a session, as last shown.
   */
  properties[PROP_REDEEMABLE] =
    g_param_spec_boolean ("redeemable", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StokTokenPanel::expired:
   *
   * The token shown ran out while it was shown.
   */
  signals[EXPIRED] =
    g_signal_new ("expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (STOK_TYPE_COUNTDOWN_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-token-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, verify_button);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, copy_button);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, countdown_inscription);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, caption_stack);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, ended_caption_label);
  gtk_widget_class_bind_template_child_full (widget_class, "counting_caption_label", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, countdown_bar);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, session_cap_label);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, token_label);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, verification_box);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, verification_icon);
  gtk_widget_class_bind_template_child_full (widget_class, "verification_title_label", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, verification_details_label);
  gtk_widget_class_bind_template_child (widget_class, StokTokenPanel, session_label);
}

/* libadwaita 1.2 gives the split button's arrow a tooltip but no name:
 * it was said as "GtkMenuButton", and so was the button inside it that
 * takes the focus, which the arrow labels. */
static void
name_copy_as_arrow (StokTokenPanel *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->copy_button);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_MENU_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy As"),
                                      -1);
}

static void
stok_token_panel_init (StokTokenPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  name_copy_as_arrow (self);

  self->clock = g_object_ref (stok_clock_get_default ());
  self->shown_state = STOK_TOKEN_STATE_EXPIRED;
}

GtkWidget *
stok_token_panel_new (void)
{
  return g_object_new (STOK_TYPE_TOKEN_PANEL, NULL);
}

/**
 * stok_token_panel_get_mint:
 * @self: a #StokTokenPanel
 *
 * Returns: (transfer none) (nullable): the mint shown
 */
StokMint *
stok_token_panel_get_mint (StokTokenPanel *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_PANEL (self), NULL);

  return self->mint;
}

/**
 * stok_token_panel_set_mint:
 * @self: a #StokTokenPanel
 * @mint: (nullable): the mint to show
 *
 * Shows @mint's token as it is now: a token picked from the history that
 * has already run out, or was verified, is not news, and is not
 * announced.
 */
void
stok_token_panel_set_mint (StokTokenPanel *self,
                           StokMint       *mint)
{
  gboolean was_redeemable;
  StokToken *token;

  g_return_if_fail (STOK_IS_TOKEN_PANEL (self));
  g_return_if_fail (!mint || STOK_IS_MINT (mint));

  if (self->mint == mint)
    return;

  was_redeemable = stok_token_panel_get_redeemable (self);

  g_clear_signal_handler (&self->last_session_id, self->mint);
  g_set_object (&self->mint, mint);
  watch_session (self);
  g_clear_pointer (&self->deadline_wall, g_date_time_unref);

  token = get_token (self);
  if (token != NULL)
    {
      self->last_session_id =
        g_signal_connect_object (mint, "notify::last-session",
                                 G_CALLBACK (last_session_changed_cb), self, G_CONNECT_SWAPPED);
      self->shown_state = stok_token_get_state (token, stok_clock_get_time (self->clock));

      gtk_label_set_label (self->token_label, stok_token_get_token (token));
      gtk_widget_set_visible (GTK_WIDGET (self->countdown_bar), stok_token_get_expiry_known (token));
    }

  show_verification (self);
  stok_token_panel_update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINT]);
  if (was_redeemable != stok_token_panel_get_redeemable (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDEEMABLE]);
}

/**
 * stok_token_panel_get_clock:
 * @self: a #StokTokenPanel
 *
 * Returns: (transfer none): the clock the countdown reads
 */
StokClock *
stok_token_panel_get_clock (StokTokenPanel *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_PANEL (self), NULL);

  return self->clock;
}

/**
 * stok_token_panel_set_clock:
 * @self: a #StokTokenPanel
 * @clock: (nullable): the clock for the countdown, or %NULL for the
 *   system's
 */
void
stok_token_panel_set_clock (StokTokenPanel *self,
                            StokClock      *clock)
{
  g_return_if_fail (STOK_IS_TOKEN_PANEL (self));
  g_return_if_fail (!clock || STOK_IS_CLOCK (clock));

  if (clock == NULL)
    clock = stok_clock_get_default ();

  if (g_set_object (&self->clock, clock))
    {
      stok_token_panel_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
    }
}

/**
 * stok_token_panel_get_announcer:
 * @self: a #StokTokenPanel
 *
 * Returns: (transfer none) (nullable): what tells screen reader users
 */
StokAnnouncer *
stok_token_panel_get_announcer (StokTokenPanel *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_PANEL (self), NULL);

  return self->announcer;
}

void
stok_token_panel_set_announcer (StokTokenPanel *self,
                                StokAnnouncer  *announcer)
{
  g_return_if_fail (STOK_IS_TOKEN_PANEL (self));
  g_return_if_fail (!announcer || STOK_IS_ANNOUNCER (announcer));

  if (g_set_object (&self->announcer, announcer))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOUNCER]);
}

/**
 * stok_token_panel_get_redeemable:
 * @self: a #StokTokenPanel
 *
 * Returns: whether the token shown could still open a session when it
 *   was last shown
 */
gboolean
stok_token_panel_get_redeemable (StokTokenPanel *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_PANEL (self), FALSE);

  return self->mint != NULL && self->shown_state == STOK_TOKEN_STATE_REDEEMABLE;
}

/**
 * stok_token_panel_get_next_change:
 * @self: a #StokTokenPanel
 *
 * Returns: microseconds until what the panel shows next changes with the
 *   time, or -1 when nothing it shows counts down
 */
gint64
stok_token_panel_get_next_change (StokTokenPanel *self)
{
  StokToken *token;
  gint64 now;

  g_return_val_if_fail (STOK_IS_TOKEN_PANEL (self), -1);

  token = get_token (self);
  if (token == NULL)
    return -1;

  now = stok_clock_get_time (self->clock);
  if (stok_token_get_state (token, now) != STOK_TOKEN_STATE_REDEEMABLE ||
      !stok_token_get_expiry_known (token))
    return -1;

  return stok_countdown_until_change (stok_token_get_remaining (token, now));
}

/**
 * stok_token_panel_update:
 * @self: a #StokTokenPanel
 *
 * Shows the token as it is now on the clock: a tick.
 */
void
stok_token_panel_update (StokTokenPanel *self)
{
  g_autofree char *time_text = NULL;
  g_autofree char *deadline_text = NULL;
  const char *headline = NULL;
  const char *caption = NULL;
  gboolean was_redeemable;
  StokTokenState state;
  StokToken *token;
  gboolean known;
  gint64 remaining;
  gint64 window_us;
  gint64 now;

  g_return_if_fail (STOK_IS_TOKEN_PANEL (self));

  token = get_token (self);
  if (token == NULL)
    return;

  now = stok_clock_get_time (self->clock);
  remaining = stok_token_get_remaining (token, now);
  state = stok_token_get_state (token, now);
  window_us = stok_token_get_expires_in_seconds (token) * G_USEC_PER_SEC;
  known = stok_token_get_expiry_known (token);

  /* A token shown again from the history, expired by now, keeps the end
   * its window had: from the clock it would be now. */
  if (known && self->deadline_wall == NULL && stok_token_get_sent_at_wall (token) != NULL)
    self->deadline_wall = g_date_time_add_seconds (stok_token_get_sent_at_wall (token),
                                                   stok_token_get_expires_in_seconds (token));
  if (known && (state == STOK_TOKEN_STATE_REDEEMABLE || self->deadline_wall == NULL))
    update_deadline_wall (self, remaining);
  if (known)
    time_text = g_date_time_format (self->deadline_wall, "%X");

  /* The line under the bar is the same before and after expiry, so that
   * nothing moves then; a token used or refused says its window no
   * longer matters. */
  if (!known)
    deadline_text = g_strdup (_("Redemption window unknown"));
  else if (state == STOK_TOKEN_STATE_REDEEMABLE || state == STOK_TOKEN_STATE_EXPIRED)
    /* Translators: %s is a time of day */
    deadline_text = g_strdup_printf (_("Redeemable until %s"), time_text);
  else
    /* Translators: %s is a time of day */
    deadline_text = g_strdup_printf (_("Redemption window until %s"), time_text);
  gtk_label_set_label (self->deadline_label, deadline_text);

  if (state == STOK_TOKEN_STATE_REDEEMABLE && !known)
    {
      /* Pasted from elsewhere: nothing to count down until the server
       * says what the token is worth. */
      gtk_inscription_set_text (self->countdown_inscription, _("Pasted"));
      gtk_label_set_label (self->ended_caption_label,
                           _("Minted elsewhere: its redemption window is not known here. Verify or Start to find out whether it still opens a session."));
      gtk_stack_set_visible_child_name (self->caption_stack, "ended");
      set_headline_style (self, NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self->token_label), "expired");
    }
  else if (state == STOK_TOKEN_STATE_REDEEMABLE)
    {
      g_autofree char *countdown = stok_format_countdown (remaining);

      gtk_inscription_set_text (self->countdown_inscription, countdown);
      /* Why it would have ended, unseen until then: the caption keeps its
       * height at expiry. */
      ended_texts (self, STOK_TOKEN_STATE_EXPIRED, &headline, &caption);
      gtk_label_set_label (self->ended_caption_label, caption);
      gtk_stack_set_visible_child_name (self->caption_stack, "counting");
      stok_countdown_bar_set_fraction (self->countdown_bar, (double) remaining / (double) window_us);
      set_headline_style (self, NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self->token_label), "expired");
    }
  else
    {
      ended_texts (self, state, &headline, &caption);
      gtk_inscription_set_text (self->countdown_inscription, headline);
      gtk_label_set_label (self->ended_caption_label, caption);
      gtk_stack_set_visible_child_name (self->caption_stack, "ended");
      stok_countdown_bar_set_fraction (self->countdown_bar, 0.0);
      /* Used up by a verify is no failure but the verdict that it works:
       * only an expired or refused token is shown in the error colour. */
      if (state != STOK_TOKEN_STATE_REDEEMED)
        set_headline_style (self, "expired");
      else if (is_verified (self) && stok_session_get_verify (get_ended_session (self)))
        set_headline_style (self, "verified");
      else
        set_headline_style (self, "redeemed");
      gtk_widget_add_css_class (GTK_WIDGET (self->token_label), "expired");
    }

  if (state == self->shown_state)
    return;

  was_redeemable = self->shown_state == STOK_TOKEN_STATE_REDEEMABLE;
  self->shown_state = state;

  if (state == STOK_TOKEN_STATE_EXPIRED && was_redeemable)
    {
      announce (self, _("The token has expired"));
      g_signal_emit (self, signals[EXPIRED], 0);
    }

  if (was_redeemable != (state == STOK_TOKEN_STATE_REDEEMABLE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDEEMABLE]);
}

/**
 * stok_token_panel_present:
 * @self: a #StokTokenPanel
 *
 * Brings a new token before the user: the whole panel into view, clear of
 * the toasts at the bottom of the window, and the keyboard focus to Copy,
 * where Enter copies the token.
 */
void
stok_token_panel_present (StokTokenPanel *self)
{
  g_return_if_fail (STOK_IS_TOKEN_PANEL (self));

  gtk_widget_grab_focus (self->copy_button);
  stok_reveal (GTK_WIDGET (self), STOK_REVEAL_TOAST_CLEARANCE);
}

/**
 * stok_token_panel_focus:
 * @self: a #StokTokenPanel
 *
 * Gives the keyboard focus back to the panel: to Verify while the token
 * can still be verified, else to Copy.
 */
void
stok_token_panel_focus (StokTokenPanel *self)
{
  g_return_if_fail (STOK_IS_TOKEN_PANEL (self));

  if (!gtk_widget_is_sensitive (self->verify_button) || !gtk_widget_grab_focus (self->verify_button))
    gtk_widget_grab_focus (self->copy_button);
}
