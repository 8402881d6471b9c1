/* stok-test-util.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "stok-fake-server.h"
#include "stok-session.h"
#include "stok-token-client.h"

G_BEGIN_DECLS

/* A fake server and a token client to talk to it, for g_test_add(). */
typedef struct
{
  StokFakeServer  *server;
  StokTokenClient *client;
} StokClientFixture;

void     stok_client_fixture_set_up    (StokClientFixture *fixture,
                                        gconstpointer      user_data);
void     stok_client_fixture_tear_down (StokClientFixture *fixture,
                                        gconstpointer      user_data);

void     stok_test_result_cb           (GObject           *object,
                                        GAsyncResult      *result,
                                        gpointer           user_data);
guint16  stok_test_find_closed_port    (void);
void     stok_test_save_key            (const char        *key);
void     stok_test_rm_rf               (const char        *path);

guint    stok_test_slowdown            (void);
gboolean stok_test_wait_until          (gboolean         (*condition) (gpointer data),
                                        gpointer           data,
                                        guint              timeout_ms);
void     stok_test_spin                (guint              ms);
StokToken *stok_test_mint              (StokClientFixture *fixture,
                                        gint64             expires_in);
gboolean stok_test_run_session         (StokSession       *session,
                                        GError           **error);

G_END_DECLS
