/* stok-session-view.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The session pane: where the audio comes from (StokSourceGroup), Start,
 * Stop and End Turn with a line that says what Start will do, how the
 * last session ended (StokEndingCard), the session as it runs
 * (StokSessionLive) and the parameters of the next one
 * (StokParamsGroup).
 *
 * The view is bound to two models: the StokSessionSetup it owns, which the
 * settings remember (the file excepted), and the StokSession the window
 * runs and gives it. The window's actions do the work: the buttons are
 * actionable, and the window reads the setup when Start is pressed.
 *
 * What Start will do is said before it is pressed: a token opens only one
 * session, so using the token shown is news, and so is minting a new one.
 * stok_session_view_get_uses_shown_token() is the one rule for both the
 * line and the action.
 *
 * The session as it runs is built with the first session, below the
 * ending card: before it there is nothing to show, and building its
 * transcript and timeline cost the window's first frame for nothing. */

#define G_LOG_DOMAIN "stok-session-view"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-ending-card.h"
#include "stok-focus-keeper.h"
#include "stok-params-group.h"
#include "stok-reveal.h"
#include "stok-session-live.h"
#include "stok-session-view.h"
#include "stok-source-group.h"
#include "stok-token.h"

struct _StokSessionView
{
  AdwBin            parent_instance;

  /* Template widgets */
  StokSourceGroup  *source_group;
  GtkWidget        *narrow_heading;
  StokEndingCard   *ending_card;
  GtkWidget        *start_button;
  GtkWidget        *stop_button;
  GtkWidget        *controls_box;

  /* The window's focus, kept: see refocus_cb(). */
  StokFocusKeeper  *focus_keeper;

  /* From the first session on */
  StokSessionLive  *live;
  /* In a narrow window's one column: stok_session_view_set_narrow(). */
  gboolean          narrow;

  GSettings        *settings;
  StokSessionSetup *setup;
  StokSession      *session;
  StokMint         *mint;
  gulong            mint_last_id;
  StokClock        *clock;
  gulong            state_id;
  guint             mint_wait;
  /* Where the window mints, which the header bar names. */
  char             *server;
  guint             starting : 1;
  guint             token_redeemable : 1;
  guint             can_mint : 1;
};

G_DEFINE_FINAL_TYPE (StokSessionView, stok_session_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SETUP,
  PROP_SESSION,
  PROP_RUNNING,
  PROP_STARTING,
  PROP_MINT,
  PROP_TOKEN_REDEEMABLE,
  PROP_CAN_MINT,
  PROP_MINT_WAIT,
  PROP_SERVER,
  PROP_CLOCK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* For the template's bindings. */

static gboolean
either (gpointer this_object,
        gboolean one,
        gboolean other)
{
  return one || other;
}

static gboolean
neither (gpointer this_object,
         gboolean one,
         gboolean other)
{
  return !one && !other;
}

/* The line under Start: what it will do, or why it cannot. */
/* The mint's last session is read here rather than looked up in the
 * template: a lookup through a mint that is NULL, before any token, fails
 * the whole closure, and the line stayed empty. The view notifies "mint"
 * when the mint's last session changes instead (mint_changed_cb). */
static char *
start_hint (gpointer     this_object,
            const char  *problem,
            gboolean     running,
            gboolean     starting,
            StokMint    *mint,
            gboolean     token_redeemable,
            gboolean     can_mint,
            guint        mint_wait,
            const char  *server)
{
  StokSessionView *self = this_object;

  if (running && self->session != NULL && stok_session_get_state (self->session) == STOK_SESSION_STATE_ENDING)
    return g_strdup (_("Waiting for Termination. Stop closes the connection without it."));
  if (running)
    return g_strdup (_("Stop ends the session politely: Terminate, then the last turns and Termination."));
  if (starting)
    return g_strdup (_("Checking the source, then opening the session…"));
  if (problem != NULL)
    return g_strdup (problem);
  if (stok_session_view_get_uses_shown_token (this_object))
    {
      const char *token_server = stok_token_get_server (stok_mint_get_token (self->mint));

      /* A token is redeemed where it was minted, which the header bar no
       * longer names once the region has changed. */
      if (token_server != NULL && server != NULL && g_strcmp0 (token_server, server) != 0)
        /* Translators: %s is a server, such as
         * "https://streaming.eu.assemblyai.com" */
        return g_strdup_printf (_("Starts with the token shown, on its server, %s. A token opens only one session."),
                                token_server);
      return g_strdup (_("Starts with the token shown. A token opens only one session."));
    }
  if (can_mint)
    return g_strdup (_("Starts with a new token, minted with the durations chosen."));
  if (mint_wait > 0)
    {
      g_autofree char *wait = stok_format_duration (mint_wait);

      /* Translators: %s is a duration such as "7 s", counting down */
      return g_strdup_printf (_("The server asked to wait: a new token for the session in %s."), wait);
    }

  return g_strdup (_("Enter an API key to mint a token: a session needs one."));
}

/* The running session, or the last one if it began: one refused before
 * Begin has no transcript, timeline nor figures to show, only its card. */
static void
update_live_visible (StokSessionView *self)
{
  if (self->live != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->live),
                            self->session != NULL &&
                            (stok_session_get_began (self->session) ||
                             stok_session_get_state (self->session) != STOK_SESSION_STATE_ENDED));
}

static void
session_state_cb (StokSessionView *self)
{
  g_assert (STOK_IS_SESSION_VIEW (self));

  update_live_visible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
bind_settings (StokSessionView *self)
{
  const char *keys[][2] = {
    { "session-source", "source-kind" },
    { "microphone", "microphone" },
    { "microphone-label", "microphone-label" },
    { "speech-model", "speech-model" },
    { "format-turns", "format-turns" },
    { "keyterms", "keyterms" },
    { "end-of-turn-confidence-threshold", "end-of-turn-confidence-threshold" },
    { "min-turn-silence", "min-turn-silence" },
    { "max-turn-silence", "max-turn-silence" },
    { "sample-rate", "sample-rate" },
    { "encoding", "encoding" },
    { "frame-ms", "frame-ms" },
    { "extra-params", "extra-params" },
  };

  /* Read once: each window runs its own session, and two windows side by
   * side may compare two setups. What is changed here is what the next
   * window opens with. */
  self->settings = g_settings_new (APPLICATION_ID);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_bind (self->settings, keys[i][0], self->setup, keys[i][1],
                     G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);
}

/* Start, Stop or End Turn had the focus, or the ending card's Again, and
 * lost it as the button went insensitive or hidden (GTK 4.8 then leaves
 * the window with no focus at all): the focus goes to what can be pressed
 * next, Stop once a session starts and Start once it ends, so that Space
 * goes on working the session. */
static void
refocus_cb (GtkWidget *last_focus,
            gpointer   user_data)
{
  StokSessionView *self = user_data;
  GtkWidget *next;
  GtkWidget *other;

  g_assert (STOK_IS_SESSION_VIEW (self));

  if (last_focus == NULL ||
      !(gtk_widget_is_ancestor (last_focus, self->controls_box) ||
        gtk_widget_is_ancestor (last_focus, GTK_WIDGET (self->ending_card))))
    return;

  next = stok_session_view_get_running (self) || self->starting ? self->stop_button : self->start_button;
  other = next == self->stop_button ? self->start_button : self->stop_button;
  if (!gtk_widget_is_sensitive (next) || !gtk_widget_grab_focus (next))
    if (gtk_widget_is_sensitive (other))
      gtk_widget_grab_focus (other);
}

static void
stok_session_view_root (GtkWidget *widget)
{
  StokSessionView *self = STOK_SESSION_VIEW (widget);

  GTK_WIDGET_CLASS (stok_session_view_parent_class)->root (widget);

  stok_focus_keeper_set_root (self->focus_keeper, gtk_widget_get_root (widget));
}

static void
stok_session_view_unroot (GtkWidget *widget)
{
  StokSessionView *self = STOK_SESSION_VIEW (widget);

  stok_focus_keeper_set_root (self->focus_keeper, NULL);

  GTK_WIDGET_CLASS (stok_session_view_parent_class)->unroot (widget);
}

static void
stok_session_view_dispose (GObject *object)
{
  StokSessionView *self = (StokSessionView *)object;

  stok_session_view_set_session (self, NULL);
  g_clear_object (&self->focus_keeper);
  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_SESSION_VIEW);
  /* A child of the template's box, not a reference of ours: it is
   * taken down with the box. */
  self->live = NULL;

  g_clear_object (&self->settings);
  g_clear_object (&self->setup);
  if (self->mint != NULL)
    g_clear_signal_handler (&self->mint_last_id, self->mint);
  g_clear_object (&self->mint);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->server, g_free);

  G_OBJECT_CLASS (stok_session_view_parent_class)->dispose (object);
}

static void
stok_session_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokSessionView *self = STOK_SESSION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SETUP:
      g_value_set_object (value, self->setup);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, stok_session_view_get_running (self));
      break;

    case PROP_STARTING:
      g_value_set_boolean (value, self->starting);
      break;

    case PROP_MINT:
      g_value_set_object (value, self->mint);
      break;

    case PROP_TOKEN_REDEEMABLE:
      g_value_set_boolean (value, self->token_redeemable);
      break;

    case PROP_CAN_MINT:
      g_value_set_boolean (value, self->can_mint);
      break;

    case PROP_MINT_WAIT:
      g_value_set_uint (value, self->mint_wait);
      break;

    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokSessionView *self = STOK_SESSION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      stok_session_view_set_session (self, g_value_get_object (value));
      break;

    case PROP_STARTING:
      stok_session_view_set_starting (self, g_value_get_boolean (value));
      break;

    case PROP_MINT:
      stok_session_view_set_mint (self, g_value_get_object (value));
      break;

    case PROP_TOKEN_REDEEMABLE:
      stok_session_view_set_token_redeemable (self, g_value_get_boolean (value));
      break;

    case PROP_CAN_MINT:
      stok_session_view_set_can_mint (self, g_value_get_boolean (value));
      break;

    case PROP_MINT_WAIT:
      stok_session_view_set_mint_wait (self, g_value_get_uint (value));
      break;

    case PROP_SERVER:
      stok_session_view_set_server (self, g_value_get_string (value));
      break;

    case PROP_CLOCK:
      stok_session_view_set_clock (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_view_class_init (StokSessionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_session_view_dispose;
  object_class->get_property = stok_session_view_get_property;
  object_class->set_property = stok_session_view_set_property;

  /**
   * StokSessionView:setup:
   *
   * What the next session will be, as the view edits it and the
   * settings remember it.
   */
  properties[PROP_SETUP] =
    g_param_spec_object ("setup", NULL, NULL,
                         STOK_TYPE_SESSION_SETUP,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:session:
   *
   * The session shown: running, or the last one, ended.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         STOK_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:running:
   *
   * Whether the session shown is connecting, streaming or ending.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:starting:
   *
   * Whether a session is on its way: its source checked, its token
   * minted.
   */
  properties[PROP_STARTING] =
    g_param_spec_boolean ("starting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:mint:
   *
   * The mint of the token shown in the window, which Start uses while it
   * can open a session.
   */
  properties[PROP_MINT] =
    g_param_spec_object ("mint", NULL, NULL,
                         STOK_TYPE_MINT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:token-redeemable:
   *
   * Whether the token shown can still be redeemed, as the token panel
   * shows it.
   */
  properties[PROP_TOKEN_REDEEMABLE] =
    g_param_spec_boolean ("token-redeemable", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:can-mint:
   *
   * Whether the window can mint a token: it has a key and a server.
   */
  properties[PROP_CAN_MINT] =
    g_param_spec_boolean ("can-mint", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:mint-wait:
   *
   * The seconds left of the wait the server asked for before the next
   * mint, or 0: the window's StokWindow:mint-wait.
   */
  properties[PROP_MINT_WAIT] =
    g_param_spec_uint ("mint-wait", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionView:server:
   *
   * The server the window mints on: a token shown from another is
   * redeemed there, and Start says so.
   */
  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STOK_TYPE_ENDING_CARD);
  g_type_ensure (STOK_TYPE_PARAMS_GROUP);
  g_type_ensure (STOK_TYPE_SOURCE_GROUP);

  widget_class->root = stok_session_view_root;
  widget_class->unroot = stok_session_view_unroot;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-session-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StokSessionView, ending_card);
  gtk_widget_class_bind_template_child (widget_class, StokSessionView, start_button);
  gtk_widget_class_bind_template_child (widget_class, StokSessionView, controls_box);
  gtk_widget_class_bind_template_child (widget_class, StokSessionView, source_group);
  gtk_widget_class_bind_template_child (widget_class, StokSessionView, narrow_heading);
  gtk_widget_class_bind_template_child_full (widget_class, "params_group", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokSessionView, stop_button);
  gtk_widget_class_bind_template_child_full (widget_class, "end_turn_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "hint_label", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, either);
  gtk_widget_class_bind_template_callback (widget_class, neither);
  gtk_widget_class_bind_template_callback (widget_class, start_hint);
}

static void
stok_session_view_init (StokSessionView *self)
{
  /* Before the template, whose bindings read them. */
  self->setup = stok_session_setup_new ();
  self->clock = g_object_ref (stok_clock_get_default ());
  bind_settings (self);
  self->focus_keeper = stok_focus_keeper_new (refocus_cb, self);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
stok_session_view_new (void)
{
  return g_object_new (STOK_TYPE_SESSION_VIEW, NULL);
}

/**
 * stok_session_view_get_setup:
 * @self: a #StokSessionView
 *
 * Returns: (transfer none): what the next session will be
 */
StokSessionSetup *
stok_session_view_get_setup (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), NULL);

  return self->setup;
}

/**
 * stok_session_view_get_session:
 * @self: a #StokSessionView
 *
 * Returns: (transfer none) (nullable): the session shown
 */
StokSession *
stok_session_view_get_session (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), NULL);

  return self->session;
}

/**
 * stok_session_view_set_session:
 * @self: a #StokSessionView
 * @session: (nullable): the session to show, running or ended
 *
 * Shows @session in place of the one before; what kept the one before
 * from starting is no longer said.
 */
void
stok_session_view_set_session (StokSessionView *self,
                               StokSession     *session)
{
  gboolean was_running;

  g_return_if_fail (STOK_IS_SESSION_VIEW (self));
  g_return_if_fail (!session || STOK_IS_SESSION (session));

  if (self->session == session)
    return;

  was_running = stok_session_view_get_running (self);
  if (self->session != NULL)
    g_clear_signal_handler (&self->state_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      self->state_id = g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb),
                                                self, G_CONNECT_SWAPPED);
      if (self->ending_card != NULL)
        stok_ending_card_set_problem (self->ending_card, NULL);
    }

  /* No empty transcript before a first session: the parameters stay in
   * view. The last session stays shown once it has ended, if it began. */
  if (session != NULL && self->live == NULL && self->ending_card != NULL)
    {
      self->live = g_object_new (STOK_TYPE_SESSION_LIVE, NULL);
      g_object_bind_property (self, "session", self->live, "session", G_BINDING_SYNC_CREATE);
      g_object_bind_property (self, "clock", self->live, "clock", G_BINDING_SYNC_CREATE);
      stok_session_live_set_narrow (self->live, self->narrow);
      gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->ending_card))),
                                  GTK_WIDGET (self->live), GTK_WIDGET (self->ending_card));
    }
  update_live_visible (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  if (was_running != stok_session_view_get_running (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * stok_session_view_get_running:
 * @self: a #StokSessionView
 *
 * Returns: whether the session shown is connecting, streaming or ending
 */
gboolean
stok_session_view_get_running (StokSessionView *self)
{
  StokSessionState state;

  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), FALSE);

  if (self->session == NULL)
    return FALSE;

  state = stok_session_get_state (self->session);
  return state == STOK_SESSION_STATE_CONNECTING || state == STOK_SESSION_STATE_STREAMING ||
         state == STOK_SESSION_STATE_ENDING;
}

gboolean
stok_session_view_get_starting (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), FALSE);

  return self->starting;
}

void
stok_session_view_set_starting (StokSessionView *self,
                                gboolean         starting)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  if (self->starting == !!starting)
    return;

  self->starting = !!starting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTING]);
}

/**
 * stok_session_view_get_mint:
 * @self: a #StokSessionView
 *
 * Returns: (transfer none) (nullable): the mint of the token shown
 */
StokMint *
stok_session_view_get_mint (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), NULL);

  return self->mint;
}

/* What Start will do depends on the mint's last session: see start_hint(). */
static void
mint_changed_cb (StokSessionView *self)
{
  g_assert (STOK_IS_SESSION_VIEW (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINT]);
}

void
stok_session_view_set_mint (StokSessionView *self,
                            StokMint        *mint)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));
  g_return_if_fail (!mint || STOK_IS_MINT (mint));

  if (self->mint == mint)
    return;

  if (self->mint != NULL)
    g_clear_signal_handler (&self->mint_last_id, self->mint);
  g_set_object (&self->mint, mint);
  if (self->ending_card != NULL)
    stok_ending_card_set_shown_token (self->ending_card, mint != NULL ? stok_mint_get_token (mint) : NULL);
  if (mint != NULL)
    self->mint_last_id = g_signal_connect_object (mint, "notify::last-session", G_CALLBACK (mint_changed_cb),
                                                  self, G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINT]);
}

gboolean
stok_session_view_get_token_redeemable (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), FALSE);

  return self->token_redeemable;
}

void
stok_session_view_set_token_redeemable (StokSessionView *self,
                                        gboolean         redeemable)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  if (self->token_redeemable == !!redeemable)
    return;

  self->token_redeemable = !!redeemable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_REDEEMABLE]);
}

gboolean
stok_session_view_get_can_mint (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), FALSE);

  return self->can_mint;
}

void
stok_session_view_set_can_mint (StokSessionView *self,
                                gboolean         can_mint)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  if (self->can_mint == !!can_mint)
    return;

  self->can_mint = !!can_mint;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_MINT]);
}

const char *
stok_session_view_get_server (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), NULL);

  return self->server;
}

void
stok_session_view_set_server (StokSessionView *self,
                              const char      *server)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  if (g_strcmp0 (self->server, server) == 0)
    return;

  g_free (self->server);
  self->server = g_strdup (server);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER]);
}

guint
stok_session_view_get_mint_wait (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), 0);

  return self->mint_wait;
}

void
stok_session_view_set_mint_wait (StokSessionView *self,
                                 guint            mint_wait)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  if (self->mint_wait == mint_wait)
    return;

  self->mint_wait = mint_wait;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINT_WAIT]);
}

/**
 * stok_session_view_get_clock:
 * @self: a #StokSessionView
 *
 * Returns: (transfer none): the clock the session cap counts down on
 */
StokClock *
stok_session_view_get_clock (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), NULL);

  return self->clock;
}

void
stok_session_view_set_clock (StokSessionView *self,
                             StokClock       *clock)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));
  g_return_if_fail (!clock || STOK_IS_CLOCK (clock));

  if (clock == NULL)
    clock = stok_clock_get_default ();

  if (g_set_object (&self->clock, clock))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

/**
 * stok_session_view_get_uses_shown_token:
 * @self: a #StokSessionView
 *
 * Returns: whether Start uses the token shown, rather than mint one: it
 *   can still be redeemed and has opened no session
 */
gboolean
stok_session_view_get_uses_shown_token (StokSessionView *self)
{
  g_autoptr(StokSession) last = NULL;

  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), FALSE);

  if (self->mint == NULL || !self->token_redeemable)
    return FALSE;

  last = stok_mint_get_last_session (self->mint);
  return last == NULL;
}

/**
 * stok_session_view_show_problem:
 * @self: a #StokSessionView
 * @problem: (nullable): why the session could not start, or %NULL
 *
 * Says why a session could not start, in place of how the last one
 * ended: a source with no audio, found before any token was spent, or a
 * token that could not be minted.
 */
void
stok_session_view_show_problem (StokSessionView *self,
                                const GError    *problem)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  stok_ending_card_set_problem (self->ending_card, problem);
}

/**
 * stok_session_view_open_file:
 * @self: a #StokSessionView
 * @file: an audio file
 *
 * Readies a session for @file: its source, with the focus on Start. For
 * a file opened with the app from the desktop or the command line.
 *
 * Returns: whether the view took @file: not while a session starts or
 *   runs, whose source stays as it is
 */
gboolean
stok_session_view_open_file (StokSessionView *self,
                             GFile           *file)
{
  StokAudioSourceKind saved;

  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->starting || stok_session_view_get_running (self))
    return FALSE;

  /* A file opened from outside is this window's source, not a choice
   * made here: the next window opens on the source last chosen in one,
   * rather than on a file it does not have. */
  saved = g_settings_get_enum (self->settings, "session-source");
  stok_session_setup_choose_file (self->setup, file);
  g_settings_set_enum (self->settings, "session-source", saved);

  gtk_widget_grab_focus (self->start_button);

  return TRUE;
}

/**
 * stok_session_view_set_narrow:
 * @self: a #StokSessionView
 * @narrow: whether the view is in a narrow window's one column
 *
 * Puts Start, Stop and End Turn one above the other when @narrow: side
 * by side they are wider than a phone's 360 px; the latency figures one
 * a line, and the sources across the width.
 */
void
stok_session_view_set_narrow (StokSessionView *self,
                              gboolean         narrow)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  self->narrow = !!narrow;
  gtk_widget_set_visible (self->narrow_heading, narrow);
  stok_source_group_set_narrow (self->source_group, narrow);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->controls_box),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  if (self->live != NULL)
    stok_session_live_set_narrow (self->live, narrow);
}

/**
 * stok_session_view_present_live:
 * @self: a #StokSessionView
 *
 * Brings the controls and the session running under them into view, as
 * a session starts.
 */
void
stok_session_view_present_live (StokSessionView *self)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  if (self->live == NULL)
    return;

  /* Stop and End Turn stay in view, at the top if it has to scroll. */
  stok_reveal_below (GTK_WIDGET (self->live), self->controls_box, STOK_REVEAL_TOAST_CLEARANCE);
}

/**
 * stok_session_view_present_ending:
 * @self: a #StokSessionView
 *
 * Brings how the session ended, or why none could start, into view with
 * the controls above it: the user may be far below, among the
 * parameters they changed.
 */
void
stok_session_view_present_ending (StokSessionView *self)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  stok_reveal_below (GTK_WIDGET (self->ending_card), self->controls_box, STOK_REVEAL_TOAST_CLEARANCE);
}

/**
 * stok_session_view_update:
 * @self: a #StokSessionView
 *
 * Shows the session's times as they are now: a tick of the window's
 * timer.
 */
void
stok_session_view_update (StokSessionView *self)
{
  g_return_if_fail (STOK_IS_SESSION_VIEW (self));

  if (self->live != NULL)
    stok_session_live_update (self->live);
}

/**
 * stok_session_view_get_next_change:
 * @self: a #StokSessionView
 *
 * Returns: microseconds until a time shown next changes, or -1
 */
gint64
stok_session_view_get_next_change (StokSessionView *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_VIEW (self), -1);

  return self->live != NULL ? stok_session_live_get_next_change (self->live) : -1;
}
