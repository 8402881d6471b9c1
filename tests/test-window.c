/* test-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The main window as a user meets it: a real window on the X server,
 * talking to the fake token server on loopback and to a real
 * gnome-keyring-daemon on a private bus. Widgets are read through their
 * template names, as a user would read the screen. */

#include "config.h"

#include <adwaita.h>

#include "stok-countdown-bar.h"
#include "stok-fake-server.h"
#include "stok-key-source.h"
#include "stok-key-store.h"
#include "stok-test-session.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

static gboolean
generate_is_sensitive (StokWindow *window)
{
  return gtk_widget_is_sensitive (stok_test_child (window, "generate_button"));
}

static void
test_generate_needs_a_key (Fixture       *fixture,
                           gconstpointer  data)
{
  stok_test_set_key (fixture->window, "");
  g_assert_false (generate_is_sensitive (fixture->window));
  g_assert_true (gtk_widget_get_visible (stok_test_child (fixture->window, "generate_hint_label")));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "generate_hint_label"), "API key"));

  /* Whitespace alone is no key. */
  stok_test_set_key (fixture->window, "   ");
  g_assert_false (generate_is_sensitive (fixture->window));

  stok_test_set_key (fixture->window, "sk-typed");
  g_assert_true (generate_is_sensitive (fixture->window));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "generate_hint_label")));
}

static void
test_pasted_key_is_trimmed (Fixture       *fixture,
                            gconstpointer  data)
{
  stok_test_set_key (fixture->window, "  sk-pasted\n");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (fixture->window, "key_group/key_row"))), ==, "sk-pasted");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, fixture->window, 5000));
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, "sk-pasted");
}

static void
shown_cb (GtkWidget  *widget,
          GParamSpec *pspec,
          guint      *count)
{
  if (gtk_widget_get_visible (widget))
    (*count)++;
}

static void
test_generate_shows_token_and_countdown (Fixture       *fixture,
                                         gconstpointer  data)
{
  GtkAdjustment *expires;
  guint busy_shown = 0;
  gint64 started;

  expires = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (stok_test_child (fixture->window, "durations_group/expires_spin")));
  gtk_adjustment_set_value (expires, 60);
  g_assert_cmpstr (stok_test_label (fixture->window, "durations_group/expires_human_label"), ==, "1 min");
  g_assert_cmpstr (stok_test_label (fixture->window, "durations_group/max_session_human_label"), ==, "3 h");

  stok_test_set_key (fixture->window, "sk-good");
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel")));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "history_group")));

  /* The fake server answers at once: the token appears with no spinner
   * or Cancel flashing before it, when it comes within the 100 ms after
   * which the window shows a request as busy (not so under valgrind). */
  g_signal_connect (stok_test_child (fixture->window, "generate_spinner"), "notify::visible",
                    G_CALLBACK (shown_cb), &busy_shown);
  g_signal_connect (stok_test_child (fixture->window, "cancel_button"), "notify::visible",
                    G_CALLBACK (shown_cb), &busy_shown);
  started = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, fixture->window, 5000));
  if (g_get_monotonic_time () - started < 100 * 1000)
    g_assert_cmpuint (busy_shown, ==, 0);
  else
    g_test_message ("The token took 100 ms or more: not checking that nothing flashed");
  g_signal_handlers_disconnect_by_data (stok_test_child (fixture->window, "generate_spinner"), &busy_shown);
  g_signal_handlers_disconnect_by_data (stok_test_child (fixture->window, "cancel_button"), &busy_shown);

  /* What the server sent, as it sent it, and the token in the history. */
  g_assert_true (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel")));
  g_assert_true (gtk_widget_get_visible (stok_test_child (fixture->window, "history_group")));
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/token_label"), ==,
                   stok_fake_server_get_last_token (fixture->server));
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "1:00");
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/session_cap_label"), "3 h"));
  g_assert_nonnull (strstr (stok_fake_server_get_last_request_query (fixture->server), "expires_in_seconds=60"));

  stok_clock_advance (fixture->clock, 30 * G_USEC_PER_SEC + 500000);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "0:30");

  /* Past the deadline, as after a suspend: plainly expired at once. */
  stok_clock_advance (fixture->clock, 31 * G_USEC_PER_SEC);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Expired");
  g_assert_true (gtk_widget_has_css_class (stok_test_child (fixture->window, "token_panel/countdown_inscription"), "expired"));
  g_assert_cmpint (stok_token_get_state (stok_window_get_token (fixture->window),
                                         stok_clock_get_time (fixture->clock)), ==, STOK_TOKEN_STATE_EXPIRED);
}

/* A tick of the countdown redraws the window and does nothing more, even
 * when the bar changes colour: a new layout of a toplevel costs round
 * trips to the display server (a dozen with GTK 4.8 on X11), so a
 * countdown that laid the window out again kept the app awake many times
 * a second. */
static void
test_tick_only_redraws (Fixture       *fixture,
                        gconstpointer  data)
{
  StokTestFrames frames;
  GtkAdjustment *expires;
  GtkWidget *bar;
  g_autofree char *before = NULL;
  double fraction;

  /* Real time, as a user has it: with the test's clock, the end time
   * read off the system's would move with every step. A 12 s window, so
   * that the bar turns to its warning colour (at 2.4 s left) and to its
   * error colour (at 1.2 s left). */
  stok_window_set_clock (fixture->window, NULL);
  expires = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (stok_test_child (fixture->window, "durations_group/expires_spin")));
  gtk_adjustment_set_value (expires, 12);
  stok_test_set_key (fixture->window, "sk-good");

  stok_test_frames_start (&frames, GTK_WINDOW (fixture->window));

  /* The window's start-up lays it out, and so do the token arriving and
   * the focused Copy button scrolled into view. */
  stok_test_frames_wait_for_quiet (&frames);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, fixture->window, 5000));
  stok_test_frames_wait_for_quiet (&frames);
  frames.layouts = 0;
  frames.paints = 0;

  /* Every tick until just before the end, which is a change of state,
   * through both of the bar's warnings. */
  g_assert_cmpint (stok_token_get_remaining (stok_window_get_token (fixture->window),
                                             stok_clock_get_time (stok_clock_get_default ())), >, 2500 * 1000);
  bar = stok_test_child (fixture->window, "token_panel/countdown_bar");
  fraction = stok_countdown_bar_get_fraction (STOK_COUNTDOWN_BAR (bar));
  before = g_strdup (stok_test_label (fixture->window, "token_panel/countdown_inscription"));
  while (stok_token_get_remaining (stok_window_get_token (fixture->window),
                                   stok_clock_get_time (stok_clock_get_default ())) > 700 * 1000)
    stok_test_spin (10);
  g_assert_cmpuint (frames.paints, >=, 2);

  /* What moved, moved... */
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), !=, before);
  g_assert_cmpfloat (stok_countdown_bar_get_fraction (STOK_COUNTDOWN_BAR (bar)), <, fraction);
  /* ...by a redraw alone. */
  g_assert_cmpuint (frames.layouts, ==, 0);

  stok_test_frames_stop (&frames);
}

static void
test_unauthorized_keeps_input (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkAdjustment *expires;
  GtkAdjustment *max_session;

  stok_fake_server_set_api_key (fixture->server, "sk-right");
  stok_test_set_key (fixture->window, "sk-wrong");
  expires = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (stok_test_child (fixture->window, "durations_group/expires_spin")));
  max_session = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (stok_test_child (fixture->window, "durations_group/max_session_spin")));
  gtk_adjustment_set_value (expires, 120);
  gtk_adjustment_set_value (max_session, 600);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 5000));

  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_card/title_label"), "key was rejected"));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_card/details_label"), STOK_FAKE_UNAUTHORIZED_MESSAGE));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_card/details_label"), "401"));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel")));

  /* Nothing typed is lost. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (fixture->window, "key_group/key_row"))), ==, "sk-wrong");
  g_assert_cmpfloat (gtk_adjustment_get_value (expires), ==, 120);
  g_assert_cmpfloat (gtk_adjustment_get_value (max_session), ==, 600);

  /* The next Generate clears the error. */
  stok_test_set_key (fixture->window, "sk-right");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, fixture->window, 5000));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "error_card")));
}

/* An error about the key goes as soon as the key changes: it no longer
 * speaks of the key in the row. Any other error stays until the next
 * request. */
static void
test_key_error_leaves_with_key (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWidget *card = stok_test_child (fixture->window, "error_card");

  stok_fake_server_set_api_key (fixture->server, "sk-right");
  stok_test_set_key (fixture->window, "sk-wrong");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 5000));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_card/title_label"), "key was rejected"));

  stok_test_set_key (fixture->window, "sk-wrong-too");
  g_assert_false (gtk_widget_get_visible (card));

  /* A proxy's page is not the key's doing. */
  stok_fake_server_set_canned_reply (fixture->server, STOK_FAKE_REPLY_GATEWAY_HTML);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 5000));
  stok_test_set_key (fixture->window, "sk-right");
  g_assert_true (gtk_widget_get_visible (card));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_card/details_label"), "502"));

  /* Nor is a proxy's 403. */
  stok_fake_server_set_reply (fixture->server, 403, "text/plain", "Forbidden by corporate policy\n", -1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 5000));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_card/details_label"), "403"));
  stok_test_set_key (fixture->window, "sk-right-again");
  g_assert_true (gtk_widget_get_visible (card));
}

static gboolean
busy_is_shown (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_visible (stok_test_child (fixture->window, "cancel_button"));
}

static void
test_cancel_delayed_reply (Fixture       *fixture,
                           gconstpointer  data)
{
  stok_test_set_key (fixture->window, "sk-good");
  stok_fake_server_set_delay (fixture->server, 1500);

  /* A slow reply shows: a spinner, Cancel, Generate off. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_window_get_busy (fixture->window));
  g_assert_true (stok_test_wait_until (busy_is_shown, fixture, 1000));
  g_assert_true (gtk_widget_get_visible (stok_test_child (fixture->window, "generate_spinner")));
  g_assert_false (generate_is_sensitive (fixture->window));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL);
  g_assert_true (stok_test_is_idle (fixture->window));
  g_assert_true (generate_is_sensitive (fixture->window));

  /* Long after the server would have answered: nothing of it shows. */
  stok_test_spin (2000);
  g_assert_null (stok_window_get_token (fixture->window));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel")));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "error_card")));
  g_assert_true (generate_is_sensitive (fixture->window));
}

static void
test_double_generate_sends_once (Fixture       *fixture,
                                 gconstpointer  data)
{
  stok_test_set_key (fixture->window, "sk-good");
  stok_fake_server_set_delay (fixture->server, 300);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, fixture->window, 5000));
  stok_test_spin (500);

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);
}

static void
test_close_while_in_flight (Fixture       *fixture,
                            gconstpointer  data)
{
  StokWindow *window = g_steal_pointer (&fixture->window);

  stok_test_set_key (window, "sk-good");
  stok_fake_server_set_delay (fixture->server, 500);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  stok_test_spin (50);

  /* The reply arrives for a window that is gone: no crash, no critical
   * (G_DEBUG=fatal-criticals), and nothing keeps the window alive. */
  stok_test_close_window (window);
  stok_test_spin (1000);
}

static gboolean
key_is_saved (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (stok_test_child (fixture->window, "key_group"))),
                    "Saved in keyring") == 0;
}

static gboolean
key_lookup_done (gpointer data)
{
  Fixture *fixture = data;

  return !stok_key_source_get_looking_up (stok_window_get_key_source (fixture->window));
}

static gboolean
no_stored_key (gpointer source)
{
  return !stok_key_source_get_has_stored_key (source) && !stok_key_source_get_saving (source);
}

static gboolean
key_row_filled (gpointer data)
{
  Fixture *fixture = data;

  return *gtk_editable_get_text (GTK_EDITABLE (stok_test_child (fixture->window, "key_group/key_row"))) != '\0';
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
lookup_stored_key (void)
{
  g_autoptr(StokKeyStore) store = stok_key_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  stok_key_store_lookup_async (store, NULL, lookup_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  key = stok_key_store_lookup_finish (store, result, &error);
  g_assert_no_error (error);

  return key;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  stok_test_collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0 &&
        gtk_widget_get_mapped (buttons->pdata[i]))
      return buttons->pdata[i];

  return NULL;
}

static void
test_keyring_save_and_forget (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *stored = NULL;
  g_autofree char *after_forget = NULL;
  g_autofree char *restored = NULL;
  GtkWidget *undo;

  stok_test_set_key (fixture->window, "sk-saved-in-keyring");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.save-key", NULL);
  g_assert_true (stok_test_wait_until (key_is_saved, fixture, 10000));

  stored = lookup_stored_key ();
  g_assert_cmpstr (stored, ==, "sk-saved-in-keyring");

  /* A new window finds it without any typing. */
  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
  g_assert_true (stok_test_wait_until (key_row_filled, fixture, 10000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (fixture->window, "key_group/key_row"))), ==, "sk-saved-in-keyring");
  g_assert_true (key_is_saved (fixture));

  /* Forget empties the row and the keyring. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.forget-key", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (fixture->window, "key_group/key_row"))), ==, "");
  stok_test_spin (500);
  after_forget = lookup_stored_key ();
  g_assert_null (after_forget);
  g_assert_false (generate_is_sensitive (fixture->window));

  /* The toast offers Undo, GNOME's way back from a deletion: the key is
   * in the row and in the keyring again. */
  undo = find_button (stok_test_child (fixture->window, "toast_overlay"), "_Undo");
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_activate (undo));
  g_assert_true (stok_test_wait_until (key_is_saved, fixture, 10000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (fixture->window, "key_group/key_row"))), ==, "sk-saved-in-keyring");
  restored = lookup_stored_key ();
  g_assert_cmpstr (restored, ==, "sk-saved-in-keyring");
  g_assert_true (generate_is_sensitive (fixture->window));
}

static gboolean
is_shown (StokWindow *window,
          const char *name)
{
  return gtk_widget_get_visible (stok_test_child (window, name));
}

/* Save and Forget are offered where they apply, and the line under the
 * key says where it is kept. */
static void
test_key_buttons (Fixture       *fixture,
                  gconstpointer  data)
{
  StokWindow *window = fixture->window;
  StokKeySource *source = stok_window_get_key_source (window);

  /* From a keyring with no key: an earlier test may have left one. */
  g_assert_true (stok_test_wait_until (key_lookup_done, fixture, 10000));
  if (stok_key_source_get_has_stored_key (source))
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.forget-key", NULL);
      g_assert_true (stok_test_wait_until (no_stored_key, source, 10000));
    }
  g_assert_false (is_shown (window, "key_group/save_key_button"));
  g_assert_false (is_shown (window, "key_group/forget_key_button"));
  g_assert_nonnull (strstr (stok_test_key_status (window), "dashboard"));

  stok_test_set_key (window, "sk-typed");
  g_assert_true (is_shown (window, "key_group/save_key_button"));
  g_assert_true (is_shown (window, "key_group/forget_key_button"));
  g_assert_cmpstr (stok_test_key_status (window), ==, "Not saved: used until the app quits");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-key", NULL);
  g_assert_true (stok_test_wait_until (key_is_saved, fixture, 10000));
  g_assert_false (is_shown (window, "key_group/save_key_button"));
  g_assert_true (is_shown (window, "key_group/forget_key_button"));

  /* Typed again, it is another key, not the saved one. */
  stok_test_set_key (window, "sk-typed-again");
  g_assert_true (is_shown (window, "key_group/save_key_button"));
  g_assert_cmpstr (stok_test_key_status (window), ==, "Not saved: used until the app quits");

  /* Emptied, the saved key can still be forgotten. */
  stok_test_set_key (window, "");
  g_assert_false (is_shown (window, "key_group/save_key_button"));
  g_assert_true (is_shown (window, "key_group/forget_key_button"));
}

/* Types @text in a spin button and leaves it, or presses Enter: either
 * takes what was typed. */
static void
type_in_spin (StokWindow *window,
              const char *name,
              const char *text)
{
  GtkWidget *spin = stok_test_child (window, name);

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
}

static double
spin_value (StokWindow *window,
            const char *name)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (stok_test_child (window, name)));
}

/* A value out of range is clamped, and the window says so, naming the
 * range, where it would otherwise change without a word. */
static void
test_clamped_durations_said (Fixture       *fixture,
                             gconstpointer  data)
{
  StokWindow *window = fixture->window;
  const char *note = "durations_group/clamp_label";

  g_assert_false (gtk_widget_get_visible (stok_test_child (window, note)));

  type_in_spin (window, "durations_group/expires_spin", "9999");
  g_assert_cmpfloat (spin_value (window, "durations_group/expires_spin"), ==, 600);
  g_assert_true (gtk_widget_get_visible (stok_test_child (window, note)));
  g_assert_cmpstr (stok_test_label (window, note), ==,
                   "The redemption window is 1 to 600 seconds: 9999 was changed to 600.");

  /* A value in range is no news: the note goes. */
  type_in_spin (window, "durations_group/expires_spin", "120");
  g_assert_cmpfloat (spin_value (window, "durations_group/expires_spin"), ==, 120);
  g_assert_false (gtk_widget_get_visible (stok_test_child (window, note)));

  type_in_spin (window, "durations_group/expires_spin", "0");
  g_assert_cmpfloat (spin_value (window, "durations_group/expires_spin"), ==, 1);
  g_assert_cmpstr (stok_test_label (window, note), ==,
                   "The redemption window is 1 to 600 seconds: 0 was changed to 1.");

  /* Clamped again to the value it already has: still said. */
  type_in_spin (window, "durations_group/max_session_spin", "99999");
  type_in_spin (window, "durations_group/max_session_spin", "99999");
  g_assert_cmpfloat (spin_value (window, "durations_group/max_session_spin"), ==, 10800);
  g_assert_true (gtk_widget_get_visible (stok_test_child (window, note)));
  g_assert_cmpstr (stok_test_label (window, note), ==,
                   "The maximum session duration is 60 to 10800 seconds: 99999 was changed to 10800.");

  /* Typed and not entered, then Generate: taken, clamped, said, and the
   * token minted with the value the note names. */
  stok_test_set_key (window, "sk-good");
  gtk_editable_set_text (GTK_EDITABLE (stok_test_child (window, "durations_group/expires_spin")), "700");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 5000));
  g_assert_true (gtk_widget_get_visible (stok_test_child (window, note)));
  g_assert_cmpstr (stok_test_label (window, note), ==,
                   "The redemption window is 1 to 600 seconds: 700 was changed to 600.");
  /* And it stays while the value it names does: the field left, the
   * other field changed. */
  gtk_spin_button_update (GTK_SPIN_BUTTON (stok_test_child (window, "durations_group/expires_spin")));
  gtk_spin_button_update (GTK_SPIN_BUTTON (stok_test_child (window, "durations_group/max_session_spin")));
  g_assert_true (gtk_widget_get_visible (stok_test_child (window, note)));
  type_in_spin (window, "durations_group/max_session_spin", "300");
  g_assert_cmpfloat (spin_value (window, "durations_group/max_session_spin"), ==, 300);
  g_assert_true (gtk_widget_get_visible (stok_test_child (window, note)));
  g_assert_nonnull (strstr (stok_fake_server_get_last_request_query (fixture->server), "expires_in_seconds=600"));

  /* The arrows change it: old news. */
  gtk_spin_button_spin (GTK_SPIN_BUTTON (stok_test_child (window, "durations_group/expires_spin")),
                        GTK_SPIN_STEP_BACKWARD, 1);
  g_assert_false (gtk_widget_get_visible (stok_test_child (window, note)));
}

static graphene_rect_t
bounds_in_window (StokWindow *window,
                  const char *name)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (stok_test_child (window, name), GTK_WIDGET (window), &bounds));
  return bounds;
}

static GtkWidget *
find_toast (StokWindow *window)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  stok_test_collect_widgets (stok_test_child (window, "toast_overlay"), GTK_TYPE_WIDGET, widgets);
  for (guint i = 0; i < widgets->len; i++)
    if (g_str_equal (gtk_widget_get_css_name (widgets->pdata[i]), "toast"))
      return widgets->pdata[i];

  return NULL;
}

/* Generates a token and waits until the window has drawn it and is still. */
static void
generate_and_settle (StokWindow *window)
{
  StokTestFrames frames;

  stok_test_frames_start (&frames, GTK_WINDOW (window));
  stok_test_set_key (window, "sk-good");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 5000));
  stok_test_frames_wait_for_quiet (&frames);
  stok_test_frames_stop (&frames);
}

/* At the window's default size, a new token's panel is in view whole,
 * and a toast (here Copy's) covers none of it. */
static void
test_panel_clear_of_toasts (Fixture       *fixture,
                            gconstpointer  data)
{
  StokWindow *window = fixture->window;
  graphene_rect_t panel;
  graphene_rect_t view;
  graphene_rect_t toast;
  int width;
  int height;

  /* The size a new window opens with. */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1180);
  g_assert_cmpint (height, ==, 720);

  generate_and_settle (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-token", NULL);
  /* Past the toast's animation, within its 3 s. */
  stok_test_spin (800);

  g_assert_nonnull (find_toast (window));
  g_assert_true (gtk_widget_compute_bounds (find_toast (window), GTK_WIDGET (window), &toast));
  view = bounds_in_window (window, "scrolled_window");
  panel = bounds_in_window (window, "token_panel");
  g_test_message ("view %g to %g, panel %g to %g, toast %g to %g",
                  view.origin.y, view.origin.y + view.size.height,
                  panel.origin.y, panel.origin.y + panel.size.height,
                  toast.origin.y, toast.origin.y + toast.size.height);
  g_assert_cmpfloat (panel.origin.y, >=, view.origin.y);
  g_assert_cmpfloat (panel.origin.y + panel.size.height, <=, toast.origin.y);
}

/* At expiry nothing in the panel moves or changes size, at the default
 * width and at the narrowest, where texts wrap the most: the eye keeps
 * its place. */
static void
test_panel_still_at_expiry (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  const int widths[] = { 520, 360 };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      graphene_rect_t before;
      graphene_rect_t after;

      g_settings_set_int (settings, "window-width", widths[i]);
      stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
      stok_test_window_settle (fixture->window);

      generate_and_settle (fixture->window);
      before = bounds_in_window (fixture->window, "token_panel");

      stok_clock_advance (fixture->clock, 61 * G_USEC_PER_SEC);
      stok_test_window_settle (fixture->window);
      g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Expired");
      after = bounds_in_window (fixture->window, "token_panel");

      g_test_message ("%d px wide: %g,%g %gx%g before, %g,%g %gx%g after", widths[i],
                      before.origin.x, before.origin.y, before.size.width, before.size.height,
                      after.origin.x, after.origin.y, after.size.width, after.size.height);
      g_assert_true (graphene_rect_equal (&before, &after));
    }
}

static void
test_typed_key_shared_by_windows (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(StokKeySource) source = stok_key_source_new (NULL);
  StokWindow *first;
  StokWindow *second;

  /* What the application does: one key for all its windows. */
  stok_test_window_fixture_close (fixture);
  first = g_object_new (STOK_TYPE_WINDOW, "server", stok_fake_server_get_url (fixture->server),
                        "key-source", source, NULL);
  second = g_object_new (STOK_TYPE_WINDOW, "server", stok_fake_server_get_url (fixture->server),
                         "key-source", source, NULL);
  gtk_window_present (GTK_WINDOW (first));
  gtk_window_present (GTK_WINDOW (second));

  stok_test_set_key (first, "sk-typed-in-the-first");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (second, "key_group/key_row"))), ==, "sk-typed-in-the-first");
  g_assert_cmpstr (stok_test_key_status (second), ==, "Not saved: used until the app quits");
  g_assert_true (generate_is_sensitive (second));

  /* Cleared in the second, gone from the first. */
  stok_test_set_key (second, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (first, "key_group/key_row"))), ==, "");
  g_assert_false (generate_is_sensitive (first));

  stok_test_close_window (first);
  stok_test_close_window (second);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("generate-needs-a-key", test_generate_needs_a_key);
  ADD ("pasted-key-is-trimmed", test_pasted_key_is_trimmed);
  ADD ("token-and-countdown", test_generate_shows_token_and_countdown);
  ADD ("tick-only-redraws", test_tick_only_redraws);
  ADD ("unauthorized-keeps-input", test_unauthorized_keeps_input);
  ADD ("key-error-leaves-with-key", test_key_error_leaves_with_key);
  ADD ("cancel-delayed-reply", test_cancel_delayed_reply);
  ADD ("double-generate-sends-once", test_double_generate_sends_once);
  ADD ("close-while-in-flight", test_close_while_in_flight);
  ADD ("keyring-save-and-forget", test_keyring_save_and_forget);
  ADD ("key-buttons", test_key_buttons);
  ADD ("clamped-durations-said", test_clamped_durations_said);
  ADD ("panel-clear-of-toasts", test_panel_clear_of_toasts);
  ADD ("panel-still-at-expiry", test_panel_still_at_expiry);
  ADD ("typed-key-shared-by-windows", test_typed_key_shared_by_windows);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
