/* stok-history.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The tokens minted in this run, newest first, as a GListModel of
 * StokMint. Kept in memory only: tokens are never written to disk. */

#include "config.h"

#include "stok-history.h"

struct _StokHistory
{
  GObject parent_instance;

  GPtrArray *mints;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StokHistory, stok_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
stok_history_get_item_type (GListModel *model)
{
  return STOK_TYPE_MINT;
}

static guint
stok_history_get_n_items (GListModel *model)
{
  StokHistory *self = STOK_HISTORY (model);

  return self->mints->len;
}

static gpointer
stok_history_get_item (GListModel *model,
                       guint       position)
{
  StokHistory *self = STOK_HISTORY (model);

  if (position >= self->mints->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->mints, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = stok_history_get_item_type;
  iface->get_n_items = stok_history_get_n_items;
  iface->get_item = stok_history_get_item;
}

static void
stok_history_finalize (GObject *object)
{
  StokHistory *self = (StokHistory *)object;

  g_clear_pointer (&self->mints, g_ptr_array_unref);

  G_OBJECT_CLASS (stok_history_parent_class)->finalize (object);
}

static void
stok_history_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  StokHistory *self = STOK_HISTORY (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->mints->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_history_class_init (StokHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_history_finalize;
  object_class->get_property = stok_history_get_property;

  /**
   * StokHistory:n-items:
   *
   * How many tokens were minted, for bindings: the history shows once
   * there is one.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_history_init (StokHistory *self)
{
  self->mints = g_ptr_array_new_with_free_func (g_object_unref);
}

StokHistory *
stok_history_new (void)
{
  return g_object_new (STOK_TYPE_HISTORY, NULL);
}

/**
 * stok_history_add:
 * @self: a #StokHistory
 * @mint: a new mint
 *
 * Puts @mint first.
 */
void
stok_history_add (StokHistory *self,
                  StokMint    *mint)
{
  g_return_if_fail (STOK_IS_HISTORY (self));
  g_return_if_fail (STOK_IS_MINT (mint));

  g_ptr_array_insert (self->mints, 0, g_object_ref (mint));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * stok_history_find_token:
 * @self: a #StokHistory
 * @token: a token
 *
 * Returns: (transfer none) (nullable): the mint of @token
 */
StokMint *
stok_history_find_token (StokHistory *self,
                         StokToken   *token)
{
  g_return_val_if_fail (STOK_IS_HISTORY (self), NULL);

  for (guint i = 0; i < self->mints->len; i++)
    {
      StokMint *mint = g_ptr_array_index (self->mints, i);

      if (stok_mint_get_token (mint) == token)
        return mint;
    }

  return NULL;
}

/**
 * stok_history_next_expiry:
 * @self: a #StokHistory
 * @now_us: the time on the tokens' clock
 * @out_first: (out) (optional) (transfer none) (nullable): the newest
 *   mint whose token is still redeemable, within a known window
 *
 * Returns: microseconds until the first of the redeemable tokens runs
 *   out, or -1 when none is redeemable within a known window
 */
gint64
stok_history_next_expiry (StokHistory  *self,
                          gint64        now_us,
                          StokMint    **out_first)
{
  gint64 first_end_us = -1;

  g_return_val_if_fail (STOK_IS_HISTORY (self), -1);

  if (out_first != NULL)
    *out_first = NULL;

  for (guint i = 0; i < self->mints->len; i++)
    {
      StokMint *mint = g_ptr_array_index (self->mints, i);
      StokToken *token = stok_mint_get_token (mint);
      gint64 remaining_us;

      /* A pasted token's window is not known: nothing to count down. */
      if (stok_token_get_state (token, now_us) != STOK_TOKEN_STATE_REDEEMABLE ||
          !stok_token_get_expiry_known (token))
        continue;

      remaining_us = stok_token_get_remaining (token, now_us);
      if (out_first != NULL && *out_first == NULL)
        *out_first = mint;
      if (first_end_us < 0 || remaining_us < first_end_us)
        first_end_us = remaining_us;
    }

  return first_end_us;
}
