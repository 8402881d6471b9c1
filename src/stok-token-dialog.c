/* stok-token-dialog.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Use a Token…": a token minted elsewhere, by the user's own backend
 * say, pasted to be verified or streamed with here. The text is checked
 * as it is typed (stok_token_new_pasted()), and why it is no token shows
 * under it: an AdwMessageDialog closes on any response, so "Use Token" is
 * enabled only once there is a token to use, and the text is never lost
 * to a refusal. */

#define G_LOG_DOMAIN "stok-token-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-field-problem.h"
#include "stok-token-dialog.h"

struct _StokTokenDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  AdwEntryRow      *token_row;
  GtkLabel         *problem_label;

  char             *server;
  /* The text as a token, or %NULL while it is none. */
  StokToken        *token;
};

G_DEFINE_FINAL_TYPE (StokTokenDialog, stok_token_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PASTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_problem (StokTokenDialog *self,
              const char      *problem)
{
  gtk_label_set_label (self->problem_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  stok_field_problem_show (GTK_WIDGET (self->token_row), problem);
}

static void
token_changed_cb (StokTokenDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;

  g_assert (STOK_IS_TOKEN_DIALOG (self));

  /* Nothing typed yet is no mistake: nothing is said until there is. */
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed != '\0')
    token = stok_token_new_pasted (text, self->server, &error);

  show_problem (self, error != NULL ? error->message : NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "use", token != NULL);

  if (g_set_object (&self->token, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

static void
stok_token_dialog_response (AdwMessageDialog *dialog,
                            const char       *response)
{
  StokTokenDialog *self = STOK_TOKEN_DIALOG (dialog);

  if (g_strcmp0 (response, "use") == 0 && self->token != NULL)
    g_signal_emit (self, signals[PASTED], 0, self->token);
}

static void
stok_token_dialog_constructed (GObject *object)
{
  StokTokenDialog *self = (StokTokenDialog *)object;

  G_OBJECT_CLASS (stok_token_dialog_parent_class)->constructed (object);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  /* Translators: %s is a server's address */
                                  _("Paste a temporary token minted elsewhere, by your own backend for example. Verify and Start redeem it on %s. How long it stays redeemable is not known here."),
                                  self->server);
}

static void
stok_token_dialog_dispose (GObject *object)
{
  StokTokenDialog *self = (StokTokenDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_TOKEN_DIALOG);
  g_clear_object (&self->token);

  G_OBJECT_CLASS (stok_token_dialog_parent_class)->dispose (object);
}

static void
stok_token_dialog_finalize (GObject *object)
{
  StokTokenDialog *self = (StokTokenDialog *)object;

  g_clear_pointer (&self->server, g_free);

  G_OBJECT_CLASS (stok_token_dialog_parent_class)->finalize (object);
}

static void
stok_token_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokTokenDialog *self = STOK_TOKEN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;

    case PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_token_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokTokenDialog *self = STOK_TOKEN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      self->server = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_token_dialog_class_init (StokTokenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->constructed = stok_token_dialog_constructed;
  object_class->dispose = stok_token_dialog_dispose;
  object_class->finalize = stok_token_dialog_finalize;
  object_class->get_property = stok_token_dialog_get_property;
  object_class->set_property = stok_token_dialog_set_property;

  dialog_class->response = stok_token_dialog_response;

  /**
   * StokTokenDialog:server:
   *
   * The server the token is for: the window's.
   */
  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTokenDialog:token:
   *
   * The text typed, as a token, or %NULL while it cannot be one.
   */
  properties[PROP_TOKEN] =
    g_param_spec_object ("token", NULL, NULL,
                         STOK_TYPE_TOKEN,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StokTokenDialog::pasted:
   * @token: the token, for the dialog's server, its redemption window
   *   unknown
   *
   * "Use Token" was pressed with a token typed.
   */
  signals[PASTED] =
    g_signal_new ("pasted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STOK_TYPE_TOKEN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-token-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StokTokenDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, StokTokenDialog, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, token_changed_cb);
}

static void
stok_token_dialog_init (StokTokenDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * stok_token_dialog_new:
 * @parent: the window it is for
 * @server: the server the token is to be redeemed on
 *
 * Returns: (transfer none): a new modal #StokTokenDialog, owned by GTK
 *   until it closes
 */
GtkWidget *
stok_token_dialog_new (GtkWindow  *parent,
                       const char *server)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (server != NULL, NULL);

  return g_object_new (STOK_TYPE_TOKEN_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "server", server,
                       NULL);
}

const char *
stok_token_dialog_get_server (StokTokenDialog *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_DIALOG (self), NULL);

  return self->server;
}

/**
 * stok_token_dialog_get_token:
 * @self: a #StokTokenDialog
 *
 * Returns: (transfer none) (nullable): the text typed as a token, or
 *   %NULL while it cannot be one
 */
StokToken *
stok_token_dialog_get_token (StokTokenDialog *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_DIALOG (self), NULL);

  return self->token;
}
