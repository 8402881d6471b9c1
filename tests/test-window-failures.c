/* test-window-failures.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The failure matrix of stok-failure-cases.c as the window shows it: for
 * each failure its own heading, advice and message, and everything the
 * user typed (the key, both durations) still there afterwards. The same
 * cases as the client's and the command line's, against the same kinds of
 * loopback servers. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "stok-failure-cases.h"
#include "stok-test-session.h"
#include "stok-test-window.h"
#include "stok-window.h"

#define KEY STOK_FAILURE_KEY

typedef struct
{
  StokTestWindowFixture base;
  StokFailureServers servers;
} Fixture;

static GtkAdjustment *
adjustment (StokWindow *window,
            const char *spin)
{
  return gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (stok_test_child (window, spin)));
}

/* The servers of the case; the window opens once the case has chosen
 * where it points. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  stok_failure_servers_set_up (&fixture->servers);
  fixture->base.clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  stok_test_window_fixture_close (&fixture->base);
  g_clear_object (&fixture->base.clock);
  stok_failure_servers_tear_down (&fixture->servers);
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

/* Checks of what the window shows, beyond the heading and the message. */

static void
check_tls (Fixture *fixture)
{
  const char *forbidden[] = { "ignore", "trust", "insecure", "certificate", "accept" };
  const GVariantType *parameter_type;
  const char *property_name;
  const char *action_name;
  GType owner;

  /* Nothing in the window offers to go on regardless: no button in the
   * error and no action that would trust the certificate. */
  g_assert_false (has_button (stok_test_child (fixture->base.window, "error_card")));

  for (guint i = 0;
       gtk_widget_class_query_action (g_type_class_peek (STOK_TYPE_WINDOW), i, &owner, &action_name,
                                      &parameter_type, &property_name);
       i++)
    for (guint j = 0; j < G_N_ELEMENTS (forbidden); j++)
      {
        g_assert_nonnull (action_name);
        g_assert_null (strstr (action_name, forbidden[j]));
      }

  g_assert_null (strstr (stok_test_label (fixture->base.window, "error_card/advice_label"), "ignore"));
  g_assert_nonnull (strstr (stok_test_label (fixture->base.window, "error_card/message_label"), "Unacceptable TLS certificate"));
}

/* Whether Generate and a Start that would mint wait, and what the lines
 * under them say. */
static void
assert_waiting (StokWindow *window,
                const char *wait)
{
  g_autofree char *generate = g_strdup_printf ("Generate again in %s.", wait);
  g_autofree char *start = g_strdup_printf ("a new token for the session in %s.", wait);

  g_assert_false (gtk_widget_is_sensitive (stok_test_child (window, "generate_button")));
  g_assert_false (gtk_widget_is_sensitive (stok_test_child (window, "session_view/start_button")));
  g_assert_true (gtk_widget_get_visible (stok_test_child (window, "generate_hint_label")));
  g_assert_nonnull (strstr (stok_test_label (window, "generate_hint_label"), generate));
  g_assert_nonnull (strstr (stok_test_label (window, "session_view/hint_label"), start));
}

static void
assert_not_waiting (StokWindow *window)
{
  g_assert_true (gtk_widget_is_sensitive (stok_test_child (window, "generate_button")));
  g_assert_true (gtk_widget_is_sensitive (stok_test_child (window, "session_view/start_button")));
  g_assert_false (gtk_widget_get_visible (stok_test_child (window, "generate_hint_label")));
  g_assert_nonnull (strstr (stok_test_label (window, "session_view/hint_label"), "Starts with a new token"));
}

static void
check_rate_limited (Fixture *fixture)
{
  StokWindow *window = fixture->base.window;

  /* The wait the server asked for, in words; a 503's as a 429's. */
  g_assert_nonnull (strstr (stok_test_label (window, "error_card/advice_label"), "wait 7 s"));
  g_assert_nonnull (strstr (stok_test_label (window, "error_card/details_label"), "Retry-After: 7 s"));

  /* Generate, and Start with no token to use, wait for it and count it
   * down; then the next try is one click away. */
  assert_waiting (window, "7 s");
  stok_clock_advance (fixture->base.clock, G_USEC_PER_SEC * 5 / 2);
  assert_waiting (window, "5 s");
  stok_clock_advance (fixture->base.clock, G_USEC_PER_SEC * 9 / 2);
  assert_not_waiting (window);
  g_assert_true (stok_test_has_error (window));

  /* Asked again, the server asks again; another key is not the account
   * that was asked to wait. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_is_idle, window, 10000));
  assert_waiting (window, "7 s");
  stok_test_set_key (window, KEY "-other");
  assert_not_waiting (window);

  /* An hour is the user's to wait or not: said, not enforced. */
  stok_fake_server_set_extra_header (fixture->servers.server, "Retry-After", "3600");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_is_idle, window, 10000));
  g_assert_nonnull (strstr (stok_test_label (window, "error_card/advice_label"), "wait 1 h"));
  assert_not_waiting (window);
}

/* An HTTP date two minutes on reads as the seconds left to it. */
static void
check_rate_limited_date (Fixture *fixture)
{
  guint wait;

  g_object_get (fixture->base.window, "mint-wait", &wait, NULL);
  g_assert_cmpuint (wait, >=, 110);
  g_assert_cmpuint (wait, <=, 120);
  g_assert_false (gtk_widget_is_sensitive (stok_test_child (fixture->base.window, "generate_button")));
}

static void
check_no_reply (Fixture *fixture)
{
  g_assert_cmpuint (stok_raw_server_get_n_requests (fixture->servers.raw), ==, 1);
}

static void
check_redirect (Fixture *fixture)
{
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->servers.server), ==, 1);
  g_assert_nonnull (strstr (stok_test_label (fixture->base.window, "error_card/details_label"), "HTTP 302"));
}

static const struct
{
  const char *name;
  void (*check) (Fixture *fixture);
} window_checks[] = {
  { "tls-self-signed", check_tls },
  { "no-reply", check_no_reply },
  { "rate-limited/retry-after-seconds", check_rate_limited },
  { "rate-limited/retry-after-date", check_rate_limited_date },
  { "unavailable/retry-after-seconds", check_rate_limited },
  { "redirect-to-other-host", check_redirect },
};

static void
test_case (Fixture       *fixture,
           gconstpointer  user_data)
{
  const StokFailureCase *c = user_data;
  GError expected = { STOK_ERROR, (int) c->code, NULL };
  GtkAdjustment *expires;
  GtkAdjustment *max_session;
  StokWindow *window;

  if (!c->arrange (&fixture->servers))
    return;

  stok_test_window_fixture_open (&fixture->base, fixture->servers.url);
  window = fixture->base.window;
  /* The silent server must not hold the test for the default 30 s. */
  if (c->timeout != 0)
    stok_token_client_set_timeout (stok_window_get_token_client (window), c->timeout);

  stok_test_set_key (window, KEY);
  expires = adjustment (window, "durations_group/expires_spin");
  max_session = adjustment (window, "durations_group/max_session_spin");
  gtk_adjustment_set_value (expires, 120);
  gtk_adjustment_set_value (max_session, 600);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, window, 40000));

  g_test_message ("%s / %s / %s", stok_test_label (window, "error_card/title_label"),
                  stok_test_label (window, "error_card/advice_label"),
                  stok_test_label (window, "error_card/message_label"));

  /* Its own heading, advice for it, and the detail a developer searches
   * for. */
  g_assert_cmpstr (stok_test_label (window, "error_card/title_label"), ==, stok_error_get_title (&expected));
  g_assert_cmpstr (stok_test_label (window, "error_card/advice_label"), !=, "");
  g_assert_nonnull (strstr (stok_test_label (window, "error_card/message_label"), c->fragment));
  g_assert_nonnull (strstr (stok_test_label (window, "error_card/details_label"), fixture->servers.url));
  g_assert_false (stok_test_has_token (window));

  /* Nothing typed is lost. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (window, "key_group/key_row"))), ==, KEY);
  g_assert_cmpfloat (gtk_adjustment_get_value (expires), ==, 120);
  g_assert_cmpfloat (gtk_adjustment_get_value (max_session), ==, 600);
  g_assert_false (gtk_widget_get_visible (stok_test_child (window, "cancel_button")));
  /* The next try is one click away, but after a Retry-After: see
   * check_rate_limited(). */
  if (strstr (c->name, "/retry-after") == NULL)
    g_assert_true (gtk_widget_is_sensitive (stok_test_child (window, "generate_button")));

  /* The key is never part of what the error shows. */
  g_assert_null (strstr (stok_test_label (window, "error_card/advice_label"), KEY));
  g_assert_null (strstr (stok_test_label (window, "error_card/message_label"), KEY));
  g_assert_null (strstr (stok_test_label (window, "error_card/details_label"), KEY));

  if (c->check != NULL)
    c->check (&fixture->servers);
  for (guint i = 0; i < G_N_ELEMENTS (window_checks); i++)
    if (g_str_equal (window_checks[i].name, c->name))
      window_checks[i].check (fixture);
}

/* Whether a reply that is not a token, too large or malformed: the same
 * fix for both, since something in between answered. */
static gboolean
is_not_a_token (StokErrorCode code)
{
  return code == STOK_ERROR_MALFORMED_RESPONSE || code == STOK_ERROR_RESPONSE_TOO_LARGE;
}

static void
test_titles_differ (void)
{
  /* Two kinds of failure that read the same would send the user to the
   * same fix. */
  for (guint i = 0; i < stok_n_failure_cases; i++)
    for (guint j = i + 1; j < stok_n_failure_cases; j++)
      {
        GError a = { STOK_ERROR, (int) stok_failure_cases[i].code, NULL };
        GError b = { STOK_ERROR, (int) stok_failure_cases[j].code, NULL };

        if (a.code == b.code)
          continue;

        g_assert_cmpstr (stok_error_get_title (&a), !=, stok_error_get_title (&b));
        if (!is_not_a_token (a.code) || !is_not_a_token (b.code))
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
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("ALL_PROXY");
  /* No keyring: the failures are about the network, and the window must
   * not wait on a keyring to show them. */
  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

  for (guint i = 0; i < stok_n_failure_cases; i++)
    {
      g_autofree char *path = g_strconcat ("/window-failures/", stok_failure_cases[i].name, NULL);

      g_test_add (path, Fixture, &stok_failure_cases[i], fixture_set_up, test_case, fixture_tear_down);
    }
  g_test_add_func ("/window-failures/titles-differ", test_titles_differ);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
