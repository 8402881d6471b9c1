/* test-window-server.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The server a window asks, as a user chooses it: the region in
 * Preferences, a custom server typed there (which is used only if it can
 * be), --server, which wins over both, and what the window says when the
 * saved server cannot be used. A real window on the X server, the fake
 * token server on loopback, a real keyring on a private bus. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-params.h"
#include "stok-preferences-window.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

static StokToken *
generate (Fixture *fixture)
{
  return stok_test_generate (fixture->window);
}

static const char *
subtitle (Fixture *fixture)
{
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (stok_test_child (fixture->window, "window_title")));
}

static void
test_region (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  const char *url = stok_fake_server_get_url (fixture->server);
  StokToken *token;

  /* No --server: the region decides. */
  stok_test_window_fixture_open (fixture, NULL);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, STOK_DEFAULT_SERVER);
  g_assert_cmpstr (subtitle (fixture) ? subtitle (fixture) : "", ==, "");

  g_settings_set_string (settings, "custom-server", url);
  g_settings_set_string (settings, "region", "custom");
  stok_test_spin (50);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, url);
  g_assert_cmpstr (subtitle (fixture), ==, url);

  /* The next Generate goes there. */
  stok_test_set_key (fixture->window, "sk-good");
  token = generate (fixture);
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);
  g_assert_cmpstr (stok_token_get_server (token), ==, url);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/token_label"), ==, stok_fake_server_get_last_token (fixture->server));

  g_settings_set_string (settings, "region", "eu");
  stok_test_spin (50);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, "https://streaming.eu.assemblyai.com");
  g_assert_cmpstr (subtitle (fixture), ==, "https://streaming.eu.assemblyai.com");

  g_settings_set_string (settings, "region", "us");
  stok_test_spin (50);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, "https://streaming.us.assemblyai.com");

  g_settings_set_string (settings, "region", "default");
  stok_test_spin (50);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, STOK_DEFAULT_SERVER);
  g_assert_cmpstr (subtitle (fixture) ? subtitle (fixture) : "", ==, "");
}

static void
test_server_override_wins (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  const char *url = stok_fake_server_get_url (fixture->server);

  /* --server given: whatever the preferences say later. */
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, url);

  g_settings_set_string (settings, "region", "eu");
  stok_test_spin (50);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, url);

  g_settings_set_string (settings, "custom-server", "http://127.0.0.1:9");
  g_settings_set_string (settings, "region", "custom");
  stok_test_spin (50);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, url);
  g_assert_cmpstr (subtitle (fixture), ==, url);

  stok_test_set_key (fixture->window, "sk-good");
  generate (fixture);
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);

  /* And a window opened with it from the start, too. */
  stok_test_window_fixture_open (fixture, url);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, url);
}

static void
test_region_from_preferences (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *url = stok_fake_server_get_url (fixture->server);
  g_autofree char *typed = g_strdup_printf ("  %s/ ", url);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *custom_setting = NULL;
  g_autofree char *region = NULL;
  GtkWindow *preferences;
  GObject *custom_row;
  GtkWidget *problem;

  stok_test_window_fixture_open (fixture, NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.preferences", NULL);
  preferences = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);

  custom_row = gtk_widget_get_template_child (GTK_WIDGET (preferences), STOK_TYPE_PREFERENCES_WINDOW, "custom_row");
  g_assert_nonnull (custom_row);
  problem = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences), STOK_TYPE_PREFERENCES_WINDOW,
                                                       "custom_problem_label"));
  g_assert_false (gtk_widget_get_visible (problem));

  /* An address that cannot be used: why, whole, beside it, with the
   * advice; nothing saved, nothing chosen. */
  gtk_editable_set_text (GTK_EDITABLE (custom_row), "http://example.com");
  g_signal_emit_by_name (custom_row, "apply");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (custom_row), "error"));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (problem)), "Use https://example.com instead."));
  g_assert_cmpstr (custom_setting = g_settings_get_string (settings, "custom-server"), ==, "");
  g_assert_cmpstr (region = g_settings_get_string (settings, "region"), ==, "default");
  g_clear_pointer (&custom_setting, g_free);
  g_clear_pointer (&region, g_free);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, STOK_DEFAULT_SERVER);

  /* Nor is the custom server chosen with it, by its check button. */
  gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.region", "s", "custom");
  g_assert_cmpstr (region = g_settings_get_string (settings, "region"), ==, "default");
  g_clear_pointer (&region, g_free);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (preferences), STOK_TYPE_PREFERENCES_WINDOW, "custom_check"))));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (preferences), STOK_TYPE_PREFERENCES_WINDOW, "default_check"))));
  g_assert_true (gtk_widget_get_visible (problem));

  /* A custom server typed as people type it, then applied. */
  gtk_editable_set_text (GTK_EDITABLE (custom_row), typed);
  g_signal_emit_by_name (custom_row, "apply");
  stok_test_spin (50);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (custom_row), "error"));
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, url);
  g_assert_cmpstr (subtitle (fixture), ==, url);

  stok_test_set_key (fixture->window, "sk-good");
  generate (fixture);
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);

  /* Enter writes the address back as it is used, and the row offers
   * nothing more to apply. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (custom_row)));

    gtk_window_present (preferences);
    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (custom_row)));
    stok_test_spin (50);
    gtk_editable_set_text (GTK_EDITABLE (custom_row), typed);
    /* Enter in the field. */
    g_signal_emit_by_name (text, "activate");
    stok_test_spin (50);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (custom_row)), ==, url);
    stok_test_collect_widgets (GTK_WIDGET (custom_row), GTK_TYPE_BUTTON, buttons);
    g_assert_cmpuint (buttons->len, >, 0);
    for (guint i = 0; i < buttons->len; i++)
      g_assert_false (gtk_widget_get_visible (g_ptr_array_index (buttons, i)));
  }

  /* The EU choice, as its check button would set it. */
  gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.region", "s", "eu");
  stok_test_spin (50);
  g_assert_cmpstr (stok_window_get_server (fixture->window), ==, "https://streaming.eu.assemblyai.com");

  /* The token shown was minted on the custom server, where Start will
   * redeem it: the header bar names the EU now, and Start says where. */
  {
    g_autofree char *where = g_strdup_printf ("Starts with the token shown, on its server, %s.", url);

    g_assert_nonnull (strstr (stok_test_label (fixture->window, "session_view/hint_label"), where));
  }

  /* Escape closes it, as a dialog. */
  {
    GtkShortcut *escape = stok_test_find_shortcut (GTK_WIDGET (preferences), GDK_KEY_Escape, 0, NULL);

    g_assert_nonnull (escape);
    g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
    g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (escape), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 GTK_WIDGET (preferences), NULL));
    stok_test_spin (50);
    g_assert_null (preferences);
  }
}

/* A custom server saved unusable (as an older version could): the window
 * says why instead of failing each Generate, and offers the preferences,
 * which say it again beside the address. */
static void
test_unusable_server (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWindow *preferences;
  GtkWidget *problem;

  g_settings_set_string (settings, "custom-server", "http://example.com");
  g_settings_set_string (settings, "region", "custom");
  stok_test_window_fixture_open (fixture, NULL);
  stok_test_set_key (fixture->window, "sk-good");

  g_assert_true (gtk_widget_get_visible (stok_test_child (fixture->window, "server_problem_box")));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "server_problem_label"), "Use https://example.com instead."));
  g_assert_false (gtk_widget_is_sensitive (stok_test_child (fixture->window, "generate_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  stok_test_spin (200);
  g_assert_false (stok_test_has_error (fixture->window));
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);

  /* The card's button opens the preferences: "clicked", as a pointer
   * gives it. */
  g_signal_emit_by_name (stok_test_child (fixture->window, "server_preferences_button"), "clicked");
  preferences = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  problem = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences), STOK_TYPE_PREFERENCES_WINDOW,
                                                       "custom_problem_label"));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (problem)), "Use https://example.com instead."));

  /* Another region fixes it at once. */
  gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.region", "s", "eu");
  stok_test_spin (50);
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "server_problem_box")));
  g_assert_true (gtk_widget_is_sensitive (stok_test_child (fixture->window, "generate_button")));
  gtk_window_destroy (preferences);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window-server/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("region", test_region);
  ADD ("server-override-wins", test_server_override_wins);
  ADD ("region-from-preferences", test_region_from_preferences);
  ADD ("unusable-server", test_unusable_server);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
