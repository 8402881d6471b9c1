/* stok-error-card.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A request that failed, in words a person understands: its own heading,
 * what to do next, and the status and the server's own words, which a
 * developer searches for; the exchange's details under an expander. An
 * alert, which screen readers say when it appears. */

#define G_LOG_DOMAIN "stok-error-card"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-error-card.h"
#include "stok-error.h"
#include "stok-json.h"
#include "stok-token.h"

struct _StokErrorCard
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkLabel    *title_label;
  GtkLabel    *advice_label;
  GtkLabel    *message_label;
  GtkExpander *expander;
  GtkLabel    *details_label;

  /* What the card shows, while it shows. */
  GError      *error;
};

G_DEFINE_FINAL_TYPE (StokErrorCard, stok_error_card, ADW_TYPE_BIN)

static char *
dup_advice (const GError *error,
            StokExchange *exchange)
{
  /* A 429's, or a 503's: see _stok_window_wait_to_mint(). */
  if (exchange != NULL && stok_exchange_get_retry_after (exchange) >= 0)
    {
      g_autofree char *wait = stok_format_duration (stok_exchange_get_retry_after (exchange));

      /* Translators: %s is a duration such as "30 s" */
      return g_strdup_printf (_("The server asks to wait %s before the next request."), wait);
    }

  if (error->domain == STOK_ERROR &&
      (error->code == STOK_ERROR_BAD_REQUEST ||
       error->code == STOK_ERROR_INVALID_PARAMETER) &&
      exchange != NULL && stok_exchange_get_server_error (exchange) != NULL)
    {
      const char *words = stok_exchange_get_server_error (exchange);

      /* The server's words name the parameter it refused. */
      if (stok_ends_sentence (words))
        /* Translators: the server's words, quoted, which end with their
         * own full stop; then what to do */
        return g_strdup_printf (_("The server said: “%s” %s"), words, stok_error_get_advice (error));
      /* Translators: the server's words, quoted; then what to do */
      return g_strdup_printf (_("The server said: “%s”. %s"), words, stok_error_get_advice (error));
    }

  if (g_error_matches (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER))
    return g_strdup (error->message);

  return g_strdup (stok_error_get_advice (error));
}

static char *
dup_details (StokExchange *exchange,
             const char   *server)
{
  GString *details = g_string_new (NULL);

  g_string_append_printf (details, _("Server: %s"), server);
  g_string_append_c (details, '\n');

  if (exchange != NULL && stok_exchange_get_status (exchange) != 0)
    {
      const char *value;

      g_string_append_printf (details, "HTTP %u %s\n",
                              stok_exchange_get_status (exchange),
                              stok_exchange_get_reason (exchange) ? stok_exchange_get_reason (exchange) : "");
      if ((value = stok_exchange_get_server_error (exchange)))
        g_string_append_printf (details, "error: %s\n", value);
      if ((value = stok_exchange_get_server_code (exchange)))
        g_string_append_printf (details, "code: %s\n", value);
      if ((value = stok_exchange_get_server_details (exchange)))
        g_string_append_printf (details, "details: %s\n", value);
      if (stok_exchange_get_retry_after (exchange) >= 0)
        g_string_append_printf (details, "Retry-After: %d s\n", (int) stok_exchange_get_retry_after (exchange));
      g_string_append_printf (details, _("Latency: %.0f ms"), stok_exchange_get_latency (exchange) / 1000.0);
    }

  g_strchomp (details->str);

  return g_string_free (details, FALSE);
}

static void
stok_error_card_dispose (GObject *object)
{
  StokErrorCard *self = STOK_ERROR_CARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), STOK_TYPE_ERROR_CARD);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (stok_error_card_parent_class)->dispose (object);
}

static void
stok_error_card_class_init (StokErrorCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_error_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-error-card.ui");
  gtk_widget_class_bind_template_child (widget_class, StokErrorCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, StokErrorCard, advice_label);
  gtk_widget_class_bind_template_child (widget_class, StokErrorCard, message_label);
  gtk_widget_class_bind_template_child (widget_class, StokErrorCard, expander);
  gtk_widget_class_bind_template_child (widget_class, StokErrorCard, details_label);

  /* Screen readers say an alert when it appears. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
stok_error_card_init (StokErrorCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
stok_error_card_new (void)
{
  return g_object_new (STOK_TYPE_ERROR_CARD, NULL);
}

/**
 * stok_error_card_show:
 * @self: a #StokErrorCard
 * @error: what went wrong
 * @exchange: (nullable): the request and what came back, if anything
 * @server: the server the request went to
 *
 * Shows the card, its details folded.
 */
void
stok_error_card_show (StokErrorCard *self,
                      const GError  *error,
                      StokExchange  *exchange,
                      const char    *server)
{
  g_autofree char *advice = NULL;
  g_autofree char *details = NULL;
  GError *copy;

  g_return_if_fail (STOK_IS_ERROR_CARD (self));
  g_return_if_fail (error != NULL);
  g_return_if_fail (!exchange || STOK_IS_EXCHANGE (exchange));

  advice = dup_advice (error, exchange);
  details = dup_details (exchange, server);

  gtk_label_set_label (self->title_label, stok_error_get_title (error));
  gtk_label_set_label (self->advice_label, advice);
  /* The status and the server's own words, as the command line prints
   * them: what a developer searches for. */
  gtk_label_set_label (self->message_label, error->message);
  gtk_label_set_label (self->details_label, details);
  gtk_expander_set_expanded (self->expander, FALSE);
  copy = g_error_copy (error);
  g_clear_error (&self->error);
  self->error = copy;
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

void
stok_error_card_hide (StokErrorCard *self)
{
  g_return_if_fail (STOK_IS_ERROR_CARD (self));

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_expander_set_expanded (self->expander, FALSE);
  g_clear_error (&self->error);
}

/**
 * stok_error_card_focus:
 * @self: a #StokErrorCard
 *
 * Moves the keyboard focus to the card's details, where a screen reader
 * reads the card.
 */
void
stok_error_card_focus (StokErrorCard *self)
{
  g_return_if_fail (STOK_IS_ERROR_CARD (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->expander));
}

/**
 * stok_error_card_get_error:
 * @self: a #StokErrorCard
 *
 * Returns: (nullable) (transfer none): the error the card shows, or %NULL
 *   while it is hidden
 */
const GError *
stok_error_card_get_error (StokErrorCard *self)
{
  g_return_val_if_fail (STOK_IS_ERROR_CARD (self), NULL);

  return self->error;
}
