/* test-history.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The model the window shows, without a display: a mint keeps its token,
 * its exchange and its verify; the history lists mints newest first and
 * knows which token runs out next. */

#include "config.h"

#include "stok-history.h"

static StokMint *
mint_at (gint64 sent_at_us,
         gint64 expires_in_seconds)
{
  g_autoptr(StokToken) token = stok_token_new ("eyJ.test.token", expires_in_seconds);

  stok_token_set_sent_at (token, sent_at_us, NULL);
  return stok_mint_new (token, NULL);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static void
test_order (void)
{
  g_autoptr(StokHistory) history = stok_history_new ();
  g_autoptr(StokMint) first = mint_at (0, 60);
  g_autoptr(StokMint) second = mint_at (0, 60);
  g_autoptr(StokMint) item = NULL;
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), log);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == STOK_TYPE_MINT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  stok_history_add (history, first);
  stok_history_add (history, second);

  /* The newest first, as the window lists them. */
  g_assert_cmpstr (log->str, ==, "0-0+1 0-0+1 ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  item = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_true (item == second);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (history), 2));

  g_assert_true (stok_history_find_token (history, stok_mint_get_token (first)) == first);
  g_assert_null (stok_history_find_token (history, NULL));

  g_clear_object (&item);
  g_assert_finalize_object (g_steal_pointer (&history));
}

static void
test_next_expiry (void)
{
  g_autoptr(StokHistory) history = stok_history_new ();
  g_autoptr(StokMint) long_one = mint_at (0, 600);
  g_autoptr(StokMint) short_one = mint_at (10 * G_USEC_PER_SEC, 30);
  g_autoptr(StokToken) pasted = NULL;
  g_autoptr(StokMint) pasted_mint = NULL;
  StokMint *first = NULL;

  g_assert_cmpint (stok_history_next_expiry (history, 0, &first), ==, -1);
  g_assert_null (first);

  stok_history_add (history, long_one);
  stok_history_add (history, short_one);

  /* At 20 s: the short one ends first (at 40 s), and it is the newest
   * redeemable one, which leads the countdown. */
  g_assert_cmpint (stok_history_next_expiry (history, 20 * G_USEC_PER_SEC, &first), ==, 20 * G_USEC_PER_SEC);
  g_assert_true (first == short_one);

  /* Once it has run out, only the long one is left. */
  g_assert_cmpint (stok_history_next_expiry (history, 40 * G_USEC_PER_SEC, &first), ==, 560 * G_USEC_PER_SEC);
  g_assert_true (first == long_one);

  /* A token pasted from elsewhere, newer than both, has no window to
   * count down: it neither leads nor ends first. */
  pasted = stok_token_new_pasted ("eyJ.pasted.token", "https://streaming.assemblyai.com", NULL);
  pasted_mint = stok_mint_new (pasted, NULL);
  stok_history_add (history, pasted_mint);
  g_assert_cmpint (stok_history_next_expiry (history, 40 * G_USEC_PER_SEC, &first), ==, 560 * G_USEC_PER_SEC);
  g_assert_true (first == long_one);

  /* A redeemed token is no longer counting down. */
  stok_token_set_redeemed (stok_mint_get_token (long_one), TRUE);
  g_assert_cmpint (stok_history_next_expiry (history, 40 * G_USEC_PER_SEC, &first), ==, -1);
  g_assert_null (first);

  g_assert_finalize_object (g_steal_pointer (&history));
}

static void
notified_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  guint *n_notified = user_data;

  (*n_notified)++;
}

static void
test_mint (void)
{
  g_autoptr(StokToken) token = stok_token_new ("eyJ.test.token", 60);
  g_autoptr(StokExchange) exchange = stok_exchange_new ("GET", "https://example.com/v3/token");
  g_autoptr(StokMint) mint = stok_mint_new (token, exchange);

  g_assert_true (stok_mint_get_token (mint) == token);
  g_assert_true (stok_mint_get_exchange (mint) == exchange);
  g_assert_cmpuint (g_list_model_get_n_items (stok_mint_get_sessions (mint)), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&mint));
}

static void
test_mint_sessions (void)
{
  g_autoptr(StokToken) token = stok_token_new ("eyJ.test.token", 60);
  g_autoptr(StokTokenClient) client = stok_token_client_new ();
  g_autoptr(StokMint) mint = stok_mint_new (token, NULL);
  g_autoptr(StokSession) refused = stok_session_new (client, token, NULL);
  g_autoptr(StokSession) verify = stok_session_new (client, token, NULL);
  g_autoptr(StokSession) last = NULL;
  guint n_notified = 0;

  /* A token from elsewhere has no exchange, and no session yet. */
  g_assert_null (stok_mint_get_exchange (mint));
  g_assert_null (stok_mint_get_last_session (mint));

  g_signal_connect (mint, "notify::last-session", G_CALLBACK (notified_cb), &n_notified);
  stok_mint_add_session (mint, refused);
  stok_mint_add_session (mint, verify);

  /* What was done with the token, in order; the last one shows. */
  g_assert_cmpuint (g_list_model_get_n_items (stok_mint_get_sessions (mint)), ==, 2);
  last = stok_mint_get_last_session (mint);
  g_assert_true (last == verify);
  g_assert_cmpuint (n_notified, ==, 2);

  g_clear_object (&last);
  g_assert_finalize_object (g_steal_pointer (&mint));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history/order", test_order);
  g_test_add_func ("/history/next-expiry", test_next_expiry);
  g_test_add_func ("/history/mint", test_mint);
  g_test_add_func ("/history/mint-sessions", test_mint_sessions);

  return g_test_run ();
}
