/* stok-ending-card.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How a session ended, in the error card's style: completed (with
 * Termination's figures), refused before Begin (the status or the close
 * code, its meaning, the server's words), failed after it (an Error, a
 * close code, a dropped connection) or stopped; with a way to start again
 * with a new token. Bound to the session, it appears once the session
 * has ended.
 *
 * It also says why a session could not start at all: a source that gives
 * no audio, found before any token was spent, or a token that could not
 * be minted. */

#define G_LOG_DOMAIN "stok-ending-card"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-ending-card.h"
#include "stok-error.h"

struct _StokEndingCard
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkImage    *icon;
  GtkLabel    *title_label;
  GtkLabel    *text_label;
  GtkLabel    *advice_label;
  GtkLabel    *figures_label;
  GtkWidget   *again_button;

  StokSession *session;
  GError      *problem;
  /* The token the window shows. */
  StokToken   *shown_token;
};

G_DEFINE_FINAL_TYPE (StokEndingCard, stok_ending_card, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_icon (StokEndingCard *self,
          const char     *icon_name,
          const char     *style)
{
  const char *styles[] = { "success", "warning", "error" };

  gtk_image_set_from_icon_name (self->icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (!g_str_equal (styles[i], style))
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->icon), style);
}

/* A figure and its unit stay on one line: "31.85 s" broke before its
 * "s" in a narrow card. In any language: a space between a number and a
 * unit becomes a no-break space. The core's text keeps plain spaces, for
 * a terminal and whoever reads it with a script. */
static char *
dup_units_together (const char *text)
{
  static const char * const units[] = { "ms", "s", "min", "h", "Hz", "KiB", "MiB", NULL };
  GString *bound;

  if (text == NULL)
    return NULL;

  bound = g_string_new (text);
  for (gsize i = 1; i + 1 < bound->len; i++)
    {
      if (bound->str[i] != ' ' || !g_ascii_isdigit (bound->str[i - 1]))
        continue;

      for (guint u = 0; units[u] != NULL; u++)
        {
          gsize length = strlen (units[u]);
          char after = i + 1 + length < bound->len ? bound->str[i + 1 + length] : '\0';

          if (strncmp (bound->str + i + 1, units[u], length) == 0 && !g_ascii_isalpha (after))
            {
              /* U+00A0: two bytes in place of one */
              g_string_erase (bound, i, 1);
              g_string_insert (bound, i, "\u00a0");
              i++;
              break;
            }
        }
    }

  return g_string_free (bound, FALSE);
}

static void
show_texts (StokEndingCard *self,
            const char     *title,
            const char     *text,
            const char     *advice,
            const char     *figures)
{
  g_autofree char *bound_text = dup_units_together (text);
  g_autofree char *bound_advice = dup_units_together (advice);
  g_autofree char *bound_figures = dup_units_together (figures);

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->text_label, bound_text);
  gtk_label_set_label (self->advice_label, bound_advice);
  gtk_widget_set_visible (GTK_WIDGET (self->advice_label), advice != NULL);
  gtk_label_set_label (self->figures_label, bound_figures);
  gtk_widget_set_visible (GTK_WIDGET (self->figures_label), figures != NULL && *figures != '\0');
}

static void
update (StokEndingCard *self)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *advice = NULL;
  g_autofree char *figures = NULL;

  g_assert (STOK_IS_ENDING_CARD (self));

  if (self->problem != NULL)
    {
      set_icon (self, "dialog-warning-symbolic", "warning");
      show_texts (self, stok_error_get_title (self->problem), self->problem->message, NULL, NULL);
      gtk_widget_set_visible (self->again_button, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      return;
    }

  /* A session that never began, refused say, was about its token: once
   * another is shown, the card under Start would read as this one's. */
  if (self->session == NULL || stok_session_get_state (self->session) != STOK_SESSION_STATE_ENDED ||
      (!stok_session_get_began (self->session) && self->shown_token != NULL &&
       stok_session_get_token (self->session) != self->shown_token))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  switch (stok_session_get_outcome (self->session))
    {
    case STOK_SESSION_OUTCOME_COMPLETED:
      /* Ended politely, but the audio broke off first. */
      if (stok_session_get_source_error (self->session) != NULL)
        set_icon (self, "dialog-warning-symbolic", "warning");
      else
        set_icon (self, "emblem-ok-symbolic", "success");
      break;

    case STOK_SESSION_OUTCOME_CANCELLED:
      set_icon (self, "dialog-information-symbolic", "warning");
      break;

    case STOK_SESSION_OUTCOME_REFUSED:
    case STOK_SESSION_OUTCOME_FAILED:
    case STOK_SESSION_OUTCOME_NONE:
    default:
      set_icon (self, "dialog-error-symbolic", "error");
      break;
    }

  title = stok_session_dup_ending_title (self->session);
  text = stok_session_dup_ending (self->session);
  advice = stok_session_dup_advice (self->session);
  if (stok_session_get_began (self->session))
    figures = stok_session_dup_figures_text (self->session);
  show_texts (self, title, text, advice, figures);
  gtk_widget_set_visible (self->again_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
stok_ending_card_dispose (GObject *object)
{
  StokEndingCard *self = (StokEndingCard *)object;

  stok_ending_card_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_ENDING_CARD);
  g_clear_object (&self->shown_token);

  G_OBJECT_CLASS (stok_ending_card_parent_class)->dispose (object);
}

static void
stok_ending_card_finalize (GObject *object)
{
  StokEndingCard *self = (StokEndingCard *)object;

  g_clear_error (&self->problem);

  G_OBJECT_CLASS (stok_ending_card_parent_class)->finalize (object);
}

static void
stok_ending_card_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StokEndingCard *self = STOK_ENDING_CARD (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_ending_card_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StokEndingCard *self = STOK_ENDING_CARD (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      stok_ending_card_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_ending_card_class_init (StokEndingCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_ending_card_dispose;
  object_class->finalize = stok_ending_card_finalize;
  object_class->get_property = stok_ending_card_get_property;
  object_class->set_property = stok_ending_card_set_property;

  /**
   * StokEndingCard:session:
   *
   * The session whose ending is shown, once it has ended.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         STOK_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-ending-card.ui");
  gtk_widget_class_bind_template_child (widget_class, StokEndingCard, icon);
  gtk_widget_class_bind_template_child (widget_class, StokEndingCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, StokEndingCard, text_label);
  gtk_widget_class_bind_template_child (widget_class, StokEndingCard, advice_label);
  gtk_widget_class_bind_template_child (widget_class, StokEndingCard, figures_label);
  gtk_widget_class_bind_template_child (widget_class, StokEndingCard, again_button);

  /* Screen readers that read alerts say it when it appears; the window
   * announces the ending as well, for those that do not. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
stok_ending_card_init (StokEndingCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
stok_ending_card_new (void)
{
  return g_object_new (STOK_TYPE_ENDING_CARD, NULL);
}

/**
 * stok_ending_card_get_session:
 * @self: a #StokEndingCard
 *
 * Returns: (transfer none) (nullable): the session whose ending is shown
 */
StokSession *
stok_ending_card_get_session (StokEndingCard *self)
{
  g_return_val_if_fail (STOK_IS_ENDING_CARD (self), NULL);

  return self->session;
}

void
stok_ending_card_set_session (StokEndingCard *self,
                              StokSession    *session)
{
  g_return_if_fail (STOK_IS_ENDING_CARD (self));
  g_return_if_fail (!session || STOK_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::state", G_CALLBACK (update), self, G_CONNECT_SWAPPED);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * stok_ending_card_set_shown_token:
 * @self: a #StokEndingCard
 * @token: (nullable): the token the window shows, which Start would use
 *
 * Hides the ending of a session that never began once another token is
 * shown: it spoke of its own.
 */
void
stok_ending_card_set_shown_token (StokEndingCard *self,
                                  StokToken      *token)
{
  g_return_if_fail (STOK_IS_ENDING_CARD (self));
  g_return_if_fail (!token || STOK_IS_TOKEN (token));

  if (g_set_object (&self->shown_token, token))
    update (self);
}

/**
 * stok_ending_card_get_problem:
 * @self: a #StokEndingCard
 *
 * Returns: (nullable): why the last session could not start
 */
const GError *
stok_ending_card_get_problem (StokEndingCard *self)
{
  g_return_val_if_fail (STOK_IS_ENDING_CARD (self), NULL);

  return self->problem;
}

/**
 * stok_ending_card_set_problem:
 * @self: a #StokEndingCard
 * @problem: (nullable): why a session could not start, shown in place of
 *   any ending; %NULL to show the session's ending again
 */
void
stok_ending_card_set_problem (StokEndingCard *self,
                              const GError   *problem)
{
  g_return_if_fail (STOK_IS_ENDING_CARD (self));

  g_clear_error (&self->problem);
  if (problem != NULL)
    self->problem = g_error_copy (problem);

  update (self);
}
