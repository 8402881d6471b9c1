/* stok-history-row.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A token of the history: the end of the token, when it was minted with
 * which durations, and its live state.
 *
 * Styled as an AdwActionRow, by the same CSS nodes and classes, but with
 * GtkInscriptions for its texts: an inscription's size comes from its
 * character counts, not from its text, so a new row costs the window no
 * text shaping to measure. With an AdwActionRow's wrapping labels, the
 * window laid out each new subtitle about 90 times between a token's
 * arrival and its frame, at the widths its boxes tried, which was half the
 * time to draw the token. The subtitle ends in an ellipsis when the window
 * is narrow, and its tooltip shows it whole. */

#define G_LOG_DOMAIN "stok-history-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-described.h"
#include "stok-history-row.h"
#include "stok-params.h"

struct _StokHistoryRow
{
  GtkListBoxRow   parent_instance;

  /* Template widgets */
  GtkInscription *title_inscription;
  GtkInscription *subtitle_inscription;
  GtkInscription *state_inscription;

  StokMint       *mint;
  StokClock      *clock;
  /* The state the accessible description says; -1 before it says one. */
  int             described_state;
};

static void stok_history_row_described_init (StokDescribedInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StokHistoryRow, stok_history_row, GTK_TYPE_LIST_BOX_ROW,
                               G_IMPLEMENT_INTERFACE (STOK_TYPE_DESCRIBED, stok_history_row_described_init))

enum {
  PROP_0,
  PROP_MINT,
  PROP_CLOCK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* @state: @token's, at @now */
static char *
format_state (StokToken      *token,
              StokTokenState  state,
              gint64          now)
{
  switch (state)
    {
    case STOK_TOKEN_STATE_REDEEMABLE:
      {
        g_autofree char *left = NULL;

        /* Pasted: only the server can tell, once it is redeemed. */
        if (!stok_token_get_expiry_known (token))
          return g_strdup (_("Not checked"));

        left = stok_format_countdown (stok_token_get_remaining (token, now));

        /* Translators: %s is the time left, as m:ss */
        return g_strdup_printf (_("%s left"), left);
      }

    case STOK_TOKEN_STATE_EXPIRED:
      return g_strdup (_("Expired"));

    case STOK_TOKEN_STATE_REDEEMED:
      /* The word of the token's card: one state, one name. */
      return g_strdup (_("Used"));

    case STOK_TOKEN_STATE_REJECTED:
      return g_strdup (_("Refused"));

    default:
      g_return_val_if_reached (NULL);
    }
}

/* The characters the longest text of format_state() needs, with one to
 * spare for the digits, which are wider than the average character. */
static guint
state_chars (void)
{
  /* Translators: %s is the time left, as m:ss */
  g_autofree char *longest_left = g_strdup_printf (_("%s left"), "10:00");
  const char *texts[] = { longest_left, _("Expired"), _("Used"), _("Refused"), _("Not checked") };
  glong chars = 0;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    chars = MAX (chars, g_utf8_strlen (texts[i], -1));

  return (guint) chars + 1;
}

/* As wide as its text, ellipsized when the row is narrower. */
static void
set_text (GtkInscription *inscription,
          const char     *text)
{
  gtk_inscription_set_text (inscription, text);
  gtk_inscription_set_nat_chars (inscription, (guint) g_utf8_strlen (text, -1));
}

static void
stok_history_row_constructed (GObject *object)
{
  StokHistoryRow *self = (StokHistoryRow *)object;
  StokToken *token = stok_mint_get_token (self->mint);
  const char *text = stok_token_get_token (token);
  gsize length = strlen (text);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *window = NULL;
  g_autofree char *cap = NULL;
  g_autofree char *sent = NULL;
  guint chars;

  G_OBJECT_CLASS (stok_history_row_parent_class)->constructed (object);

  /* Tokens share their JWT header: the end tells them apart. */
  if (length > 16)
    title = g_strdup_printf ("…%s", text + length - 12);
  else
    title = g_strdup (text);

  sent = stok_token_get_sent_at_wall (token) ? g_date_time_format (stok_token_get_sent_at_wall (token), "%X")
                                             : g_strdup ("");
  if (stok_token_get_expiry_known (token))
    {
      window = stok_format_duration (stok_token_get_expires_in_seconds (token));
      cap = stok_format_duration (stok_token_get_max_session_seconds (token));
      /* Translators: time minted, redemption window, session cap */
      subtitle = g_strdup_printf (_("%s · %s window · sessions up to %s"), sent, window, cap);
    }
  else
    {
      /* Translators: %s is the time the token was pasted */
      subtitle = g_strdup_printf (_("Pasted at %s · redemption window unknown"), sent);
    }
  if (g_strcmp0 (stok_token_get_server (token), STOK_DEFAULT_SERVER) != 0)
    {
      char *with_server = g_strdup_printf ("%s · %s", subtitle, stok_token_get_server (token));

      g_free (subtitle);
      subtitle = with_server;
    }

  set_text (self->title_inscription, title);
  set_text (self->subtitle_inscription, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_inscription), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  chars = state_chars ();
  gtk_inscription_set_min_chars (self->state_inscription, chars);
  gtk_inscription_set_nat_chars (self->state_inscription, chars);
  stok_history_row_update (self);
}

static void
stok_history_row_dispose (GObject *object)
{
  StokHistoryRow *self = (StokHistoryRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_HISTORY_ROW);
  g_clear_object (&self->mint);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (stok_history_row_parent_class)->dispose (object);
}

static void
stok_history_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StokHistoryRow *self = STOK_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_MINT:
      g_value_set_object (value, self->mint);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_history_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StokHistoryRow *self = STOK_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_MINT:
      self->mint = g_value_dup_object (value);
      break;

    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_history_row_class_init (StokHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stok_history_row_constructed;
  object_class->dispose = stok_history_row_dispose;
  object_class->get_property = stok_history_row_get_property;
  object_class->set_property = stok_history_row_set_property;

  properties[PROP_MINT] =
    g_param_spec_object ("mint", NULL, NULL,
                         STOK_TYPE_MINT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * StokHistoryRow:clock:
   *
   * The clock the state is read against: the window's.
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, StokHistoryRow, title_inscription);
  gtk_widget_class_bind_template_child (widget_class, StokHistoryRow, subtitle_inscription);
  gtk_widget_class_bind_template_child (widget_class, StokHistoryRow, state_inscription);
}

/* What a screen reader says after the row's title: its state, as a word
 * that changes only when the state does (not the count of seconds left,
 * which a description read again each second would repeat), then what
 * the row's subtitle says. */
static char *
describe (StokHistoryRow *self,
          StokTokenState  token_state)
{
  StokToken *token = stok_mint_get_token (self->mint);
  const char *state;

  switch (token_state)
    {
    case STOK_TOKEN_STATE_REDEEMABLE:
      state = stok_token_get_expiry_known (token) ? _("Redeemable") : _("Not checked");
      break;

    case STOK_TOKEN_STATE_EXPIRED:
      state = _("Expired");
      break;

    case STOK_TOKEN_STATE_REDEEMED:
      state = _("Used");
      break;

    case STOK_TOKEN_STATE_REJECTED:
    default:
      state = _("Refused");
      break;
    }

  /* Translators: a token's state, such as "Used", then when it was
   * minted and its durations */
  return g_strdup_printf (_("%s. %s"), state, gtk_inscription_get_text (self->subtitle_inscription));
}

static char *
stok_history_row_dup_description (StokDescribed *described)
{
  StokHistoryRow *self = STOK_HISTORY_ROW (described);

  return describe (self, stok_token_get_state (stok_mint_get_token (self->mint), stok_clock_get_time (self->clock)));
}

static void
stok_history_row_described_init (StokDescribedInterface *iface)
{
  iface->dup_description = stok_history_row_dup_description;
}

static void
stok_history_row_init (StokHistoryRow *self)
{
  self->described_state = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * stok_history_row_new:
 * @mint: the token's mint
 * @clock: the window's clock
 *
 * Returns: (transfer floating): a new #StokHistoryRow
 */
GtkWidget *
stok_history_row_new (StokMint  *mint,
                      StokClock *clock)
{
  g_return_val_if_fail (STOK_IS_MINT (mint), NULL);
  g_return_val_if_fail (STOK_IS_CLOCK (clock), NULL);

  return g_object_new (STOK_TYPE_HISTORY_ROW,
                       "mint", mint,
                       "clock", clock,
                       NULL);
}

/**
 * stok_history_row_get_mint:
 * @self: a #StokHistoryRow
 *
 * Returns: (transfer none): the mint the row shows
 */
StokMint *
stok_history_row_get_mint (StokHistoryRow *self)
{
  g_return_val_if_fail (STOK_IS_HISTORY_ROW (self), NULL);

  return self->mint;
}

/**
 * stok_history_row_update:
 * @self: a #StokHistoryRow
 *
 * Reads the state again off the clock: a tick, which only redraws.
 */
void
stok_history_row_update (StokHistoryRow *self)
{
  g_autofree char *state = NULL;
  StokToken *token;
  StokTokenState token_state;
  gint64 now;

  g_return_if_fail (STOK_IS_HISTORY_ROW (self));

  token = stok_mint_get_token (self->mint);
  now = stok_clock_get_time (self->clock);
  token_state = stok_token_get_state (token, now);
  state = format_state (token, token_state, now);
  gtk_inscription_set_text (self->state_inscription, state);

  if (self->described_state != (int) token_state)
    {
      g_autofree char *description = describe (self, token_state);

      self->described_state = token_state;
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
    }
}

/**
 * stok_history_row_get_shown:
 * @self: a #StokHistoryRow
 *
 * Returns: whether the row's token is the one shown above the history
 */
gboolean
stok_history_row_get_shown (StokHistoryRow *self)
{
  g_return_val_if_fail (STOK_IS_HISTORY_ROW (self), FALSE);

  return (gtk_widget_get_state_flags (GTK_WIDGET (self)) & GTK_STATE_FLAG_SELECTED) != 0;
}

/**
 * stok_history_row_set_shown:
 * @self: a #StokHistoryRow
 * @shown: whether the row's token is the one shown
 *
 * Highlights the row as a selected one, for the eye and for screen
 * readers. The list's own selection is not used: it would follow the
 * keyboard, where a token shows only once activated.
 */
void
stok_history_row_set_shown (StokHistoryRow *self,
                            gboolean        shown)
{
  g_return_if_fail (STOK_IS_HISTORY_ROW (self));

  if (shown)
    gtk_widget_set_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_SELECTED, FALSE);
  else
    gtk_widget_unset_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_SELECTED);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_SELECTED, shown,
                               -1);
}
