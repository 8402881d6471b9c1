/* stok-mint.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A minted token with the exchange that produced it and what was done
 * with it since: what the window shows for one token, and what the
 * history lists. */

#include "config.h"

#include "stok-mint.h"

struct _StokMint
{
  GObject parent_instance;

  StokToken *token;
  StokExchange *exchange;
  GListStore *sessions;
};

G_DEFINE_FINAL_TYPE (StokMint, stok_mint, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_EXCHANGE,
  PROP_LAST_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
stok_mint_dispose (GObject *object)
{
  StokMint *self = (StokMint *)object;

  g_clear_object (&self->token);
  g_clear_object (&self->exchange);
  g_clear_object (&self->sessions);

  G_OBJECT_CLASS (stok_mint_parent_class)->dispose (object);
}

static void
stok_mint_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  StokMint *self = STOK_MINT (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;

    case PROP_EXCHANGE:
      g_value_set_object (value, self->exchange);
      break;

    case PROP_LAST_SESSION:
      g_value_take_object (value, stok_mint_get_last_session (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_mint_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  StokMint *self = STOK_MINT (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      self->token = g_value_dup_object (value);
      break;

    case PROP_EXCHANGE:
      self->exchange = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_mint_class_init (StokMintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_mint_dispose;
  object_class->get_property = stok_mint_get_property;
  object_class->set_property = stok_mint_set_property;

  properties[PROP_TOKEN] =
    g_param_spec_object ("token", NULL, NULL,
                         STOK_TYPE_TOKEN,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * StokMint:exchange:
   *
   * The request and reply that minted the token, or %NULL for a token
   * that came from elsewhere.
   */
  properties[PROP_EXCHANGE] =
    g_param_spec_object ("exchange", NULL, NULL,
                         STOK_TYPE_EXCHANGE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * StokMint:last-session:
   *
   * The last session the token opened or tried to: a verify, or one
   * with audio. %NULL until then.
   */
  properties[PROP_LAST_SESSION] =
    g_param_spec_object ("last-session", NULL, NULL,
                         STOK_TYPE_SESSION,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_mint_init (StokMint *self)
{
  self->sessions = g_list_store_new (STOK_TYPE_SESSION);
}

/**
 * stok_mint_new:
 * @token: the token
 * @exchange: (nullable): the exchange that minted it
 *
 * Returns: (transfer full): a new #StokMint
 */
StokMint *
stok_mint_new (StokToken    *token,
               StokExchange *exchange)
{
  g_return_val_if_fail (STOK_IS_TOKEN (token), NULL);
  g_return_val_if_fail (!exchange || STOK_IS_EXCHANGE (exchange), NULL);

  return g_object_new (STOK_TYPE_MINT,
                       "token", token,
                       "exchange", exchange,
                       NULL);
}

/**
 * stok_mint_get_token:
 * @self: a #StokMint
 *
 * Returns: (transfer none): the token
 */
StokToken *
stok_mint_get_token (StokMint *self)
{
  g_return_val_if_fail (STOK_IS_MINT (self), NULL);

  return self->token;
}

/**
 * stok_mint_get_exchange:
 * @self: a #StokMint
 *
 * Returns: (transfer none) (nullable): the exchange that minted the token
 */
StokExchange *
stok_mint_get_exchange (StokMint *self)
{
  g_return_val_if_fail (STOK_IS_MINT (self), NULL);

  return self->exchange;
}

/**
 * stok_mint_get_sessions:
 * @self: a #StokMint
 *
 * Returns: (transfer none): the sessions opened with the token, or tried:
 *   a token opens one, but a refused attempt is worth keeping too
 */
GListModel *
stok_mint_get_sessions (StokMint *self)
{
  g_return_val_if_fail (STOK_IS_MINT (self), NULL);

  return G_LIST_MODEL (self->sessions);
}

/**
 * stok_mint_get_last_session:
 * @self: a #StokMint
 *
 * Returns: (transfer full) (nullable): the last session
 */
StokSession *
stok_mint_get_last_session (StokMint *self)
{
  guint n;

  g_return_val_if_fail (STOK_IS_MINT (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
  return n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->sessions), n - 1) : NULL;
}

void
stok_mint_add_session (StokMint    *self,
                       StokSession *session)
{
  g_return_if_fail (STOK_IS_MINT (self));
  g_return_if_fail (STOK_IS_SESSION (session));

  g_list_store_append (self->sessions, session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SESSION]);
}
