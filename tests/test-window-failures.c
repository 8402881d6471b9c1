/* test-window-failures.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The failure matrix of test-failures.c as the window shows it: for each
 * failure its own heading, advice and message, and everything the user
 * typed (the key, both durations) still there afterwards. A
 * representative subset, against the same kinds of loopback servers. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-raw-server.h"
#include "stok-test-session.h"
#include "stok-test-window.h"
#include "stok-tls-server.h"
#include "stok-window.h"

#define KEY "sk-window-failures-0123456789"

typedef struct
{
  StokFakeServer *server;
  StokFakeServer *elsewhere;
  StokRawServer *raw;
  StokTlsServer *tls;
  StokWindow *window;
  char *url;
} Fixture;

typedef struct
{
  const char *path;
  void (*arrange) (Fixture *fixture);
  StokErrorCode code;
  const char *fragment;
  void (*check) (Fixture *fixture);
  guint timeout;
} Case;

static GtkAdjustment *
adjustment (StokWindow *window,
            const char *spin)
{
  return gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (stok_test_child (window, spin)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = stok_fake_server_new_listening ();
  fixture->elsewhere = stok_fake_server_new_listening ();
  fixture->raw = stok_raw_server_new ();
  stok_raw_server_listen (fixture->raw, &error);
  g_assert_no_error (error);
  fixture->url = g_strdup (stok_fake_server_get_url (fixture->server));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    {
      stok_test_close_window (g_steal_pointer (&fixture->window));
    }

  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  g_assert_finalize_object (g_steal_pointer (&fixture->elsewhere));
  g_assert_finalize_object (g_steal_pointer (&fixture->raw));
  if (fixture->tls != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->tls));
  g_clear_pointer (&fixture->url, g_free);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
arrange_refused (Fixture *fixture)
{
  /* The fake server's own port, after it stopped listening. */
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  fixture->server = stok_fake_server_new ();
}

static void
arrange_host_not_found (Fixture *fixture)
{
  g_free (fixture->url);
  fixture->url = g_strdup ("https://stok-window-failures.invalid");
}

static void
arrange_tls (Fixture *fixture)
{
  fixture->tls = stok_tls_server_new_or_skip ();
  if (fixture->tls == NULL)
    return;

  g_free (fixture->url);
  fixture->url = g_strdup (stok_tls_server_get_url (fixture->tls));
}

static void
arrange_no_reply (Fixture *fixture)
{
  stok_raw_server_set_reply (fixture->raw, STOK_RAW_SILENT, NULL, 0);
  g_free (fixture->url);
  fixture->url = g_strdup (stok_raw_server_get_url (fixture->raw));
}

static void
arrange_reset (Fixture *fixture)
{
  g_autofree char *reply = NULL;

  reply = stok_raw_reply_new (200, "application/json",
                              "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJyZXNldCJ9.c2lnbmF0dXJl\", \"expires_in_seconds\": 60}");
  stok_raw_server_set_reply (fixture->raw, STOK_RAW_RESET_MID_BODY, reply, -1);
  g_free (fixture->url);
  fixture->url = g_strdup (stok_raw_server_get_url (fixture->raw));
}

static void
arrange_malformed (Fixture *fixture)
{
  stok_fake_server_set_reply (fixture->server, 200, "application/json",
                              "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 3600}", -1);
}

static void
arrange_rate_limited (Fixture *fixture)
{
  stok_fake_server_set_reply (fixture->server, 429, "application/json",
                              "{\"error\": \"Too many requests\"}", -1);
  stok_fake_server_set_extra_header (fixture->server, "Retry-After", "45");
}

static void
arrange_redirect (Fixture *fixture)
{
  g_autofree char *location = NULL;

  location = g_strdup_printf ("http://localhost:%u/v3/token?expires_in_seconds=120",
                              stok_fake_server_get_port (fixture->elsewhere));
  stok_fake_server_set_reply (fixture->server, 307, NULL, NULL, 0);
  stok_fake_server_set_extra_header (fixture->server, "Location", location);
}

static gboolean
has_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return TRUE;

  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (has_button (w))
      return TRUE;

  return FALSE;
}

static void
check_tls (Fixture *fixture)
{
  const char *forbidden[] = { "ignore", "trust", "insecure", "certificate", "accept" };
  const GVariantType *parameter_type;
  const char *property_name;
  const char *action_name;
  GType owner;

  g_assert_cmpuint (stok_tls_server_get_n_requests (fixture->tls), ==, 0);

  /* Nothing in the window offers to go on regardless: no button in the
   * error and no action that would trust the certificate. */
  g_assert_false (has_button (stok_test_child (fixture->window, "error_box")));

  for (guint i = 0;
       gtk_widget_class_query_action (g_type_class_peek (STOK_TYPE_WINDOW), i, &owner, &action_name,
                                      &parameter_type, &property_name);
       i++)
    for (guint j = 0; j < G_N_ELEMENTS (forbidden); j++)
      {
        g_assert_nonnull (action_name);
        g_assert_null (strstr (action_name, forbidden[j]));
      }

  g_assert_null (strstr (stok_test_label (fixture->window, "error_advice_label"), "ignore"));
}

static void
check_rate_limited (Fixture *fixture)
{
  /* The wait the server asked for, in words. */
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_advice_label"), "wait 45 s"));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_details_label"), "Retry-After: 45 s"));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_details_label"), "HTTP 429"));
}

static void
check_redirect (Fixture *fixture)
{
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, KEY);
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->elsewhere), ==, 0);
}

static void
check_no_reply (Fixture *fixture)
{
  g_assert_cmpuint (stok_raw_server_get_n_requests (fixture->raw), ==, 1);
}

static const Case cases[] = {
  { "/window-failures/connection-refused", arrange_refused, STOK_ERROR_CONNECTION, "Connection refused" },
  { "/window-failures/host-not-found", arrange_host_not_found, STOK_ERROR_HOST_NOT_FOUND, "stok-window-failures.invalid" },
  { "/window-failures/tls-self-signed", arrange_tls, STOK_ERROR_TLS, "Unacceptable TLS certificate", check_tls },
  { "/window-failures/no-reply", arrange_no_reply, STOK_ERROR_TIMEOUT, "did not answer in time", check_no_reply, 2 },
  { "/window-failures/reset-mid-body", arrange_reset, STOK_ERROR_CONNECTION_LOST, "broke before the reply was complete" },
  { "/window-failures/malformed", arrange_malformed, STOK_ERROR_MALFORMED_RESPONSE, "is 3600, outside 1 to 600" },
  { "/window-failures/rate-limited", arrange_rate_limited, STOK_ERROR_RATE_LIMITED, "HTTP 429: Too many requests", check_rate_limited },
  { "/window-failures/redirect", arrange_redirect, STOK_ERROR_REDIRECTED, "HTTP 307", check_redirect },
};

static void
test_case (Fixture       *fixture,
           gconstpointer  user_data)
{
  const Case *c = user_data;
  GError expected = { STOK_ERROR, (int) c->code, NULL };
  GtkAdjustment *expires;
  GtkAdjustment *max_session;

  c->arrange (fixture);
  if (c->arrange == arrange_tls && fixture->tls == NULL)
    return;

  fixture->window = g_object_new (STOK_TYPE_WINDOW, "server", fixture->url, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  /* The silent server must not hold the test for the default 30 s. */
  if (c->timeout != 0)
    stok_token_client_set_timeout (stok_window_get_token_client (fixture->window), c->timeout);

  stok_test_set_key (fixture->window, KEY);
  expires = adjustment (fixture->window, "expires_spin");
  max_session = adjustment (fixture->window, "max_session_spin");
  gtk_adjustment_set_value (expires, 120);
  gtk_adjustment_set_value (max_session, 600);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 40000));

  g_test_message ("%s / %s / %s", stok_test_label (fixture->window, "error_title_label"),
                  stok_test_label (fixture->window, "error_advice_label"),
                  stok_test_label (fixture->window, "error_message_label"));

  /* Its own heading, advice for it, and the detail a developer searches
   * for. */
  g_assert_cmpstr (stok_test_label (fixture->window, "error_title_label"), ==, stok_error_get_title (&expected));
  g_assert_cmpstr (stok_test_label (fixture->window, "error_advice_label"), !=, "");
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_message_label"), c->fragment));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_details_label"), fixture->url));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_group")));

  /* Nothing typed is lost, and the next try is one click away. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (fixture->window, "key_row"))), ==, KEY);
  g_assert_cmpfloat (gtk_adjustment_get_value (expires), ==, 120);
  g_assert_cmpfloat (gtk_adjustment_get_value (max_session), ==, 600);
  g_assert_true (gtk_widget_is_sensitive (stok_test_child (fixture->window, "generate_button")));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "cancel_button")));

  /* The key is never part of what the error shows. */
  g_assert_null (strstr (stok_test_label (fixture->window, "error_advice_label"), KEY));
  g_assert_null (strstr (stok_test_label (fixture->window, "error_message_label"), KEY));
  g_assert_null (strstr (stok_test_label (fixture->window, "error_details_label"), KEY));

  if (c->check != NULL)
    c->check (fixture);
}

static void
test_titles_differ (void)
{
  /* Two failures that read the same would send the user to the same fix. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (cases); j++)
      {
        GError a = { STOK_ERROR, (int) cases[i].code, NULL };
        GError b = { STOK_ERROR, (int) cases[j].code, NULL };

        g_assert_cmpstr (stok_error_get_title (&a), !=, stok_error_get_title (&b));
        g_assert_cmpstr (stok_error_get_advice (&a), !=, stok_error_get_advice (&b));
      }
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");
  /* No keyring: the failures are about the network, and the window must
   * not wait on a keyring to show them. */
  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add (cases[i].path, Fixture, &cases[i], fixture_set_up, test_case, fixture_tear_down);
  g_test_add_func ("/window-failures/titles-differ", test_titles_differ);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
