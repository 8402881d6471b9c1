/* test-window-toolkit.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's debugging toolkit as a user meets it: Verify through its
 * warning dialog, the history's live states, the Inspector and Copy As
 * (which must never give the key away), and the copied curl command run
 * by a real shell. A real window on the X server, the fake token server
 * on loopback, a real keyring on a private bus. The choice of server is
 * in test-window-server.c. */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-described.h"
#include "stok-fake-server.h"
#include "stok-inspector.h"
#include "stok-mint.h"
#include "stok-params.h"
#include "stok-preferences-window.h"
#include "stok-session-view.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

/* Long and unlike anything else on screen, so that a substring search
 * finds it wherever a piece of it shows. */
#define SECRET_KEY "sk-secret-7c1f0a9e52d84b3f"

typedef StokTestWindowFixture Fixture;

static gboolean
has_verification (gpointer data)
{
  Fixture *fixture = data;

  return stok_test_is_idle (fixture->window) &&
         gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/verification_box"));
}

static void
set_expires_in (StokWindow *window,
                double      seconds)
{
  GtkSpinButton *spin_button = GTK_SPIN_BUTTON (stok_test_child (window, "durations_group/expires_spin"));

  gtk_adjustment_set_value (gtk_spin_button_get_adjustment (spin_button), seconds);
}

static GtkWidget *
find_button (StokWindow *window,
             const char *action_name)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  stok_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), action_name) == 0)
      return buttons->pdata[i];

  g_error ("No button for %s", action_name);
}

static StokToken *
generate (Fixture *fixture)
{
  return stok_test_generate (fixture->window);
}

/* Verify as the user does it: the action, then "Verify" in the dialog
 * that warns the token will be used up. */
static void
verify (Fixture *fixture)
{
  GtkWindow *dialog;

  g_assert_null (stok_test_find_toplevel (GTK_WINDOW (fixture->window), ADW_TYPE_MESSAGE_DIALOG));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.verify", NULL);
  dialog = stok_test_find_toplevel (GTK_WINDOW (fixture->window), ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "verify"));

  /* What clicking the button does, short of the pointer. */
  g_signal_emit_by_name (dialog, "response", "verify");
  gtk_window_destroy (dialog);

  g_assert_true (stok_test_wait_until (has_verification, fixture, 5000));
}

static void
select_in_history (Fixture   *fixture,
                   StokToken *token)
{
  GtkWidget *list = stok_test_child (fixture->window, "history_group/list");

  g_signal_emit_by_name (list, "row-activated", stok_test_history_row (fixture->window, token));
  g_assert_true (stok_window_get_token (fixture->window) == token);
}

static void
termination_sent_cb (StokFakeServer  *server,
                     StokFakeMessage *message,
                     gboolean        *sent)
{
  if (g_strcmp0 (message->type, "Termination") == 0)
    *sent = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
server_got_terminate (gpointer server)
{
  return stok_fake_server_get_n_terminated (server) > 0;
}

typedef struct
{
  StokWindow *window;
  StokToken *before;
} OtherToken;

static gboolean
shows_other_token (gpointer data)
{
  OtherToken *wait = data;

  return stok_window_get_token (wait->window) != wait->before && stok_test_is_idle (wait->window);
}

/* A verify cancelled after Begin still ends when Termination comes; a
 * Generate pressed meanwhile stays busy, and cancellable, until its own
 * token comes. */
static void
test_verify_cancelled_then_generate (Fixture       *fixture,
                                     gconstpointer  data)
{
  StokToken *first;
  gboolean termination_sent = FALSE;

  stok_test_set_key (fixture->window, "sk-good");
  first = generate (fixture);
  stok_fake_server_set_termination_delay (fixture->server, 300);
  g_signal_connect (fixture->server, "message-sent", G_CALLBACK (termination_sent_cb), &termination_sent);

  stok_test_start_verify (fixture->window);
  g_assert_true (stok_test_wait_until (server_got_terminate, fixture->server, 5000));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL);
  g_assert_false (stok_window_get_busy (fixture->window));
  stok_fake_server_set_delay (fixture->server, 1500);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_window_get_busy (fixture->window));

  g_assert_true (stok_test_wait_until (is_true, &termination_sent, 5000));
  stok_test_spin (200);
  g_assert_true (stok_window_get_busy (fixture->window));
  g_assert_true (stok_window_get_token (fixture->window) == first);

  g_assert_true (stok_test_wait_until (shows_other_token, &(OtherToken) { fixture->window, first }, 5000));
  g_signal_handlers_disconnect_by_data (fixture->server, &termination_sent);
}

/* A token picked again from the history after its window closed says
 * when the window closed, not when it was picked. */
static void
test_history_expired_deadline (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(StokToken) first = NULL;
  g_autofree char *deadline = NULL;

  stok_test_set_key (fixture->window, "sk-good");
  first = g_object_ref (generate (fixture));
  deadline = g_strdup (stok_test_label (fixture->window, "token_panel/deadline_label"));
  g_assert_true (g_str_has_prefix (deadline, "Redeemable until "));

  /* Past its window, as after a suspend. */
  stok_clock_advance (fixture->clock, 61 * G_USEC_PER_SEC);
  generate (fixture);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "1:00");

  select_in_history (fixture, first);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Expired");
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/deadline_label"), ==, deadline);
}

/* Every text a label or an inscription shows in @window and the windows
 * it owns. */
static char *
dup_all_label_text (GtkWidget *window)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) inscriptions = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  stok_test_collect_widgets (window, GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      g_string_append (text, gtk_label_get_label (labels->pdata[i]));
      g_string_append_c (text, '\n');
    }

  stok_test_collect_widgets (window, GTK_TYPE_INSCRIPTION, inscriptions);
  /* An inscription with nothing to say yet has no text. */
  for (guint i = 0; i < inscriptions->len; i++)
    if (gtk_inscription_get_text (inscriptions->pdata[i]) != NULL)
      {
        g_string_append (text, gtk_inscription_get_text (inscriptions->pdata[i]));
        g_string_append_c (text, '\n');
      }

  return g_string_free (text, FALSE);
}

static void
test_verify_through_window (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *card_before = NULL;
  g_autofree char *card_after = NULL;
  g_autofree char *cut_off_text = NULL;
  g_autoptr(GDateTime) cut_off = NULL;
  g_autoptr(StokMint) mint = NULL;
  g_autoptr(StokSession) session = NULL;
  GtkWidget *verify_button;
  StokToken *token;

  stok_test_set_key (fixture->window, "sk-good");
  token = generate (fixture);
  verify_button = find_button (fixture->window, "win.verify");
  g_assert_true (gtk_widget_is_sensitive (verify_button));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/verification_box")));

  /* Cancel in the dialog leaves the token alone. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.verify", NULL);
  g_signal_emit_by_name (stok_test_find_toplevel (GTK_WINDOW (fixture->window), ADW_TYPE_MESSAGE_DIALOG), "response", "cancel");
  gtk_window_destroy (stok_test_find_toplevel (GTK_WINDOW (fixture->window), ADW_TYPE_MESSAGE_DIALOG));
  stok_test_spin (200);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (fixture->server), ==, 0);
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/verification_box")));

  verify (fixture);

  /* The verdict leads, in the headline: the token works. A token used
   * up by a verify is no failure, so not in the error colour. */
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Verified");
  g_assert_true (gtk_widget_has_css_class (stok_test_child (fixture->window, "token_panel/countdown_inscription"), "verified"));
  g_assert_false (gtk_widget_has_css_class (stok_test_child (fixture->window, "token_panel/countdown_inscription"), "expired"));
  g_assert_true (g_str_has_prefix (stok_test_label (fixture->window, "token_panel/ended_caption_label"), "The token works"));
  g_assert_cmpstr (stok_test_history_state (fixture->window, token), ==, "Used");

  /* Below, the Begin the server sent, and the session ended. */
  g_assert_nonnull (stok_fake_server_get_last_session_id (fixture->server));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"),
                            stok_fake_server_get_last_session_id (fixture->server)));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"), "Terminate"));
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);

  /* When the session would have been cut off, with the month in words:
   * "12/02/26" could be either of two days. */
  g_object_get (fixture->window, "mint", &mint, NULL);
  session = stok_mint_get_last_session (mint);
  g_assert_true (stok_session_get_verify (session));
  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_COMPLETED);
  cut_off = g_date_time_new_from_unix_local (stok_session_get_expires_at (session));
  cut_off_text = stok_format_date_time (cut_off);
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"), cut_off_text));
  g_assert_null (strchr (stok_test_label (fixture->window, "token_panel/verification_details_label"), '/'));

  /* The session is over: how long it lasted, not a session cap that
   * goes on counting down. */
  g_assert_true (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/session_label")));
  g_assert_true (g_str_has_prefix (stok_test_label (fixture->window, "token_panel/session_label"), "The session lasted "));
  /* In the server's whole seconds, not a tenth it does not count. */
  g_assert_null (strstr (stok_test_label (fixture->window, "token_panel/session_label"), ".0 s"));
  card_before = dup_all_label_text (stok_test_child (fixture->window, "token_panel/verification_box"));
  g_assert_null (strstr (card_before, "run out"));
  stok_test_spin (1100);
  card_after = dup_all_label_text (stok_test_child (fixture->window, "token_panel/verification_box"));
  g_assert_cmpstr (card_after, ==, card_before);
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "error_card")));

  /* Copied, it says it was used, as whoever pastes it will find. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-token", NULL);
  g_assert_nonnull (strstr (stok_test_toast_title (fixture->window), "already used"));

  /* Once used, it cannot be verified again: the button is off, and the
   * action asks nothing. */
  g_assert_false (gtk_widget_is_sensitive (verify_button));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.verify", NULL);
  g_assert_null (stok_test_find_toplevel (GTK_WINDOW (fixture->window), ADW_TYPE_MESSAGE_DIALOG));
  stok_test_spin (200);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (fixture->server), ==, 1);
}

/* Drawn as a selected row, which is what the theme highlights. */
static gboolean
is_highlighted (Fixture   *fixture,
                StokToken *token)
{
  GtkWidget *row = GTK_WIDGET (stok_test_history_row (fixture->window, token));

  return (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_SELECTED) != 0;
}

static void
test_history_states (Fixture       *fixture,
                     gconstpointer  data)
{
  StokToken *short_lived;
  StokToken *redeemed;
  StokToken *refused;

  stok_test_set_key (fixture->window, "sk-good");

  set_expires_in (fixture->window, 30);
  short_lived = generate (fixture);
  set_expires_in (fixture->window, 120);
  redeemed = generate (fixture);
  set_expires_in (fixture->window, 10);
  refused = generate (fixture);

  g_assert_cmpstr (stok_test_history_state (fixture->window, short_lived), ==, "0:30 left");
  g_assert_cmpstr (stok_test_history_state (fixture->window, redeemed), ==, "2:00 left");
  g_assert_cmpstr (stok_test_history_state (fixture->window, refused), ==, "0:10 left");

  /* The row of the token shown is highlighted, and only that one. */
  g_assert_true (is_highlighted (fixture, refused));
  g_assert_false (is_highlighted (fixture, redeemed));
  g_assert_false (is_highlighted (fixture, short_lived));

  /* The server's window closes before the app's count says so (its
   * clock runs ahead): the server has the last word. */
  stok_clock_advance (fixture->server_clock, 11 * G_USEC_PER_SEC);
  verify (fixture);
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/ended_caption_label"), "refused"));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"), "1008"));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"), STOK_FAKE_WS_EXPIRED_TOKEN));
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Refused");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-token", NULL);
  g_assert_nonnull (strstr (stok_test_toast_title (fixture->window), "refused"));
  g_assert_cmpstr (stok_test_history_state (fixture->window, refused), ==, "Refused");
  g_assert_false (gtk_widget_is_sensitive (find_button (fixture->window, "win.verify")));

  /* Picked with the keyboard, from the row. */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (stok_test_history_row (fixture->window, redeemed))));
  select_in_history (fixture, redeemed);
  g_assert_true (is_highlighted (fixture, redeemed));
  g_assert_false (is_highlighted (fixture, refused));
  /* Brought before the user, as after Generate: the focus on Copy. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         stok_test_child (fixture->window, "token_panel/copy_button")));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/verification_box")));
  verify (fixture);
  g_assert_cmpstr (stok_test_history_state (fixture->window, redeemed), ==, "Used");
  g_assert_cmpstr (stok_test_history_state (fixture->window, short_lived), ==, "0:30 left");

  /* Time passes on the app's clock: only what was still redeemable
   * changes. */
  stok_clock_advance (fixture->clock, 20 * G_USEC_PER_SEC);
  g_assert_cmpstr (stok_test_history_state (fixture->window, short_lived), ==, "0:10 left");
  stok_clock_advance (fixture->clock, 11 * G_USEC_PER_SEC);
  g_assert_cmpstr (stok_test_history_state (fixture->window, short_lived), ==, "Expired");
  g_assert_cmpstr (stok_test_history_state (fixture->window, redeemed), ==, "Used");
  g_assert_cmpstr (stok_test_history_state (fixture->window, refused), ==, "Refused");

  /* A screen reader hears each row's state after its title. */
  {
    StokToken *tokens[] = { short_lived, redeemed, refused };
    const char *states[] = { "Expired. ", "Used. ", "Refused. " };

    for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
      {
        g_autofree char *description =
          stok_described_dup_description (STOK_DESCRIBED (stok_test_history_row (fixture->window, tokens[i])));

        g_test_message ("%s", description);
        g_assert_true (g_str_has_prefix (description, states[i]));
        g_assert_nonnull (strstr (description, " window · sessions up to "));
      }
  }
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Verified");
}

/* Whether @token's count is half-way between two of its seconds. */
static gboolean
is_half_a_second_off (gpointer token)
{
  gint64 remaining_us = stok_token_get_remaining (token, stok_clock_get_time (stok_clock_get_default ()));

  return ABS (remaining_us % G_USEC_PER_SEC - 500 * 1000) < 50 * 1000;
}

/* The history's redeemable tokens tick with the shown one. Each has a
 * phase of its own, and a tick for each drew the window, and woke the
 * app, once a second per token: two tokens half a second apart cost one
 * frame a second, and the older one's row still counts down, and says it
 * expired when it does, not at the shown token's next tick. */
static void
test_history_ticks_with_shown (Fixture       *fixture,
                               gconstpointer  data)
{
  StokTestFrames frames;
  StokToken *older;
  StokToken *shown;
  g_autofree char *older_before = NULL;
  gint64 now;
  gint64 phase_us;
  gint64 older_left_ms;

  /* Real time: ticks are timers. */
  stok_window_set_clock (fixture->window, NULL);
  stok_test_set_key (fixture->window, "sk-good");
  stok_test_frames_start (&frames, GTK_WINDOW (fixture->window));

  set_expires_in (fixture->window, 15);
  older = generate (fixture);
  set_expires_in (fixture->window, 60);
  g_assert_true (stok_test_wait_until (is_half_a_second_off, older, 2000));
  shown = generate (fixture);

  /* Their seconds change at moments well apart. */
  now = stok_clock_get_time (stok_clock_get_default ());
  phase_us = (stok_token_get_remaining (shown, now) - stok_token_get_remaining (older, now)) % G_USEC_PER_SEC;
  g_assert_cmpint (phase_us, >, 300 * 1000);
  g_assert_cmpint (phase_us, <, 700 * 1000);

  stok_test_frames_wait_for_quiet (&frames);
  older_before = g_strdup (stok_test_history_state (fixture->window, older));
  frames.layouts = 0;
  frames.paints = 0;
  stok_test_spin (3000);

  g_assert_cmpstr (stok_test_history_state (fixture->window, older), !=, older_before);
  g_assert_cmpuint (frames.layouts, ==, 0);
  g_assert_cmpuint (frames.paints, >=, 2);
  g_assert_cmpuint (frames.paints, <=, 4);
  stok_test_frames_stop (&frames);

  /* Were it to tick only with the shown token, the older row would say
   * that it expired 0.3-0.7 s late. */
  older_left_ms = stok_token_get_remaining (older, stok_clock_get_time (stok_clock_get_default ())) / 1000;
  g_assert_cmpint (older_left_ms, >, 200);
  stok_test_spin (older_left_ms - 150);
  g_assert_cmpstr (stok_test_history_state (fixture->window, older), ==, "0:01 left");
  stok_test_spin (250);
  g_assert_cmpstr (stok_test_history_state (fixture->window, older), ==, "Expired");
}

static char *
copy_as (Fixture    *fixture,
         const char *format)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
  char *text = NULL;

  /* Something else first, so that a Copy As that copies nothing fails. */
  gdk_clipboard_set_text (clipboard, "");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-as", "s", format);

  text = stok_test_read_clipboard (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (text, !=, "");
  return text;
}

static StokInspector *
open_inspector (Fixture *fixture)
{
  GtkWindow *inspector;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.inspector", NULL);
  inspector = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);
  stok_test_spin (50);

  return STOK_INSPECTOR (inspector);
}

static void
assert_no_key (const char *what,
               const char *text)
{
  if (strstr (text, SECRET_KEY) != NULL)
    g_error ("The API key shows in %s:\n%s", what, text);
}

static void
test_key_never_shown (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *formats[] = { "token", "websocket-url", "curl", "json" };
  const char *error_labels[] = { "error_card/title_label", "error_card/advice_label",
                                 "error_card/message_label", "error_card/details_label" };
  g_autofree char *inspector_text = NULL;
  g_autofree char *window_text = NULL;
  g_autofree char *after_error = NULL;
  StokInspector *inspector;

  stok_fake_server_set_api_key (fixture->server, SECRET_KEY);
  stok_test_set_key (fixture->window, SECRET_KEY);
  generate (fixture);
  verify (fixture);
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, SECRET_KEY);

  /* After a good exchange: the request with the key masked, the reply,
   * the WebSocket transcript; never the key. */
  inspector = open_inspector (fixture);
  inspector_text = dup_all_label_text (GTK_WIDGET (inspector));
  g_test_message ("Inspector:\n%s", inspector_text);
  assert_no_key ("the Inspector", inspector_text);
  g_assert_nonnull (strstr (inspector_text, "Authorization: " STOK_MASKED_KEY));
  g_assert_nonnull (strstr (inspector_text, "HTTP 200"));
  g_assert_nonnull (strstr (inspector_text, stok_fake_server_get_last_token (fixture->server)));
  g_assert_nonnull (strstr (inspector_text, "\"Begin\""));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *copied = copy_as (fixture, formats[i]);

      g_test_message ("Copy as %s: %s", formats[i], copied);
      assert_no_key (formats[i], copied);
      if (g_str_equal (formats[i], "curl"))
        g_assert_nonnull (strstr (copied, "\"Authorization: $ASSEMBLYAI_API_KEY\""));
      else
        g_assert_nonnull (strstr (copied, stok_fake_server_get_last_token (fixture->server)));
    }

  window_text = dup_all_label_text (GTK_WIDGET (fixture->window));
  assert_no_key ("the window", window_text);

  /* After an error: the key was refused, and it still shows nowhere. */
  stok_fake_server_set_api_key (fixture->server, "sk-another-key");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 5000));
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, SECRET_KEY);

  g_assert_true (stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_INSPECTOR) == GTK_WINDOW (inspector));
  after_error = dup_all_label_text (GTK_WIDGET (inspector));
  g_test_message ("Inspector after the error:\n%s", after_error);
  assert_no_key ("the Inspector after an error", after_error);
  g_assert_nonnull (strstr (after_error, "HTTP 401"));
  g_assert_nonnull (strstr (after_error, STOK_FAKE_UNAUTHORIZED_MESSAGE));
  g_assert_nonnull (strstr (after_error, "Authorization: " STOK_MASKED_KEY));

  for (guint i = 0; i < G_N_ELEMENTS (error_labels); i++)
    assert_no_key (error_labels[i], stok_test_label (fixture->window, error_labels[i]));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "error_card/details_label"), "401"));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *copied = copy_as (fixture, formats[i]);

      assert_no_key (formats[i], copied);
    }

  g_clear_pointer (&window_text, g_free);
  window_text = dup_all_label_text (GTK_WIDGET (fixture->window));
  assert_no_key ("the window after an error", window_text);
}

/* Copy As "WebSocket URL" is the URL Start would connect with: the
 * session's speech model and rate, not a default of its own; with
 * parameters no session can start from, nothing is copied and the toast
 * says why. */
static void
test_websocket_url_has_params (Fixture       *fixture,
                               gconstpointer  data)
{
  StokSessionSetup *setup = stok_session_view_get_setup (STOK_SESSION_VIEW (stok_test_child (fixture->window, "session_view")));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *after = NULL;

  g_object_set (setup, "speech-model", "u3-rt-pro", "sample-rate", 8000, NULL);
  stok_test_set_key (fixture->window, "sk-good");
  generate (fixture);

  copied = copy_as (fixture, "websocket-url");
  g_test_message ("Copied: %s", copied);
  parsed = g_uri_parse (copied, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (parsed);
  query = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (query);
  g_assert_cmpstr (g_hash_table_lookup (query, "token"), ==, stok_fake_server_get_last_token (fixture->server));
  g_assert_cmpstr (g_hash_table_lookup (query, "speech_model"), ==, "u3-rt-pro");
  g_assert_cmpstr (g_hash_table_lookup (query, "sample_rate"), ==, "8000");
  g_assert_cmpstr (g_hash_table_lookup (query, "encoding"), ==, "pcm_s16le");

  stok_session_setup_set_speech_model (setup, "");
  gdk_clipboard_set_text (clipboard, "");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-as", "s", "websocket-url");
  after = stok_test_read_clipboard (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (after, ==, "");
}

/* Runs @command as a terminal would, while this loop serves the fake
 * server that it asks; returns its exit status. */
static int
run_in_shell (GSubprocessLauncher  *launcher,
              const char           *command,
              char                **out,
              char                **err)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_launcher_spawn (launcher, &error, "/bin/sh", "-c", command, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (process, result, out, err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("exit %d, stdout “%s”, stderr “%s”", g_subprocess_get_exit_status (process), *out, *err);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static void
test_curl_command_runs (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *first_token = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *token;
  JsonObject *object;
  gint64 expires_in = 0;

  if (curl == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }

  stok_fake_server_set_api_key (fixture->server, SECRET_KEY);
  stok_test_set_key (fixture->window, SECRET_KEY);
  set_expires_in (fixture->window, 90);
  generate (fixture);
  first_token = g_strdup (stok_fake_server_get_last_token (fixture->server));

  command = copy_as (fixture, "curl");
  g_test_message ("%s", command);
  assert_no_key ("the curl command", command);

  /* Pasted in a shell where the key is exported. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "ASSEMBLYAI_API_KEY", SECRET_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_PROXY", "127.0.0.1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "HTTP_PROXY");
  g_subprocess_launcher_unsetenv (launcher, "all_proxy");
  g_subprocess_launcher_unsetenv (launcher, "ALL_PROXY");
  g_assert_cmpint (run_in_shell (launcher, command, &out, &err), ==, 0);

  /* A token the server minted for that request, with the same window. */
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  token = json_object_get_string_member (object, "token");
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, first_token);
  g_assert_true (stok_fake_server_lookup_token (fixture->server, token, &expires_in, NULL, NULL));
  g_assert_cmpint (expires_in, ==, 90);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in_seconds"), ==, 90);
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 2);
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, SECRET_KEY);

  /* In a shell without the key: refused, and said so, with an exit
   * status that says it failed (curl alone exited 0 after a 401). */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_subprocess_launcher_unsetenv (launcher, "ASSEMBLYAI_API_KEY");
  g_assert_cmpint (run_in_shell (launcher, command, &out, &err), ==, 22);
  g_assert_nonnull (strstr (err, "401"));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 2);
}

static gboolean
has_open_websocket (gpointer data)
{
  Fixture *fixture = data;

  return stok_fake_server_get_n_open_websockets (fixture->server) > 0;
}

static void
test_close_while_verifying (Fixture       *fixture,
                            gconstpointer  data)
{
  StokWindow *window = fixture->window;
  GtkWindow *dialog;

  stok_test_set_key (window, "sk-good");
  generate (fixture);

  /* A session open on a server slow to begin. */
  stok_fake_server_set_websocket_delay (fixture->server, 2000);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL);
  dialog = stok_test_find_toplevel (GTK_WINDOW (window), ADW_TYPE_MESSAGE_DIALOG);
  g_signal_emit_by_name (dialog, "response", "verify");
  gtk_window_destroy (dialog);
  g_assert_true (stok_test_wait_until (has_open_websocket, fixture, 5000));

  /* Closing the window ends the session, and nothing keeps the window
   * alive or touches it afterwards (G_DEBUG=fatal-criticals). */
  fixture->window = NULL;
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  stok_test_spin (500);
  g_assert_cmpuint (stok_fake_server_get_n_open_websockets (fixture->server), ==, 0);
  g_assert_null (stok_fake_server_get_last_session_id (fixture->server));
  g_assert_finalize_object (window);
}

static void
test_verify_after_expiry (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWindow *dialog;
  StokToken *token;

  stok_test_set_key (fixture->window, "sk-good");
  token = generate (fixture);

  /* The window closes while the question is open: Verify then sends
   * nothing and says why, and the token shows as expired, not refused. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.verify", NULL);
  dialog = stok_test_find_toplevel (GTK_WINDOW (fixture->window), ADW_TYPE_MESSAGE_DIALOG);
  stok_clock_advance (fixture->clock, 61 * G_USEC_PER_SEC);
  g_signal_emit_by_name (dialog, "response", "verify");
  gtk_window_destroy (dialog);
  stok_test_spin (300);

  g_assert_cmpuint (stok_fake_server_get_websocket_count (fixture->server), ==, 0);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Expired");

  /* Copied, it says it expired. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-token", NULL);
  g_assert_nonnull (strstr (stok_test_toast_title (fixture->window), "has expired"));
  g_assert_cmpstr (stok_test_history_state (fixture->window, token), ==, "Expired");
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/verification_box")));
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window-toolkit/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("verify", test_verify_through_window);
  ADD ("history-states", test_history_states);
  ADD ("history-expired-deadline", test_history_expired_deadline);
  ADD ("verify-cancelled-then-generate", test_verify_cancelled_then_generate);
  ADD ("history-ticks-with-shown", test_history_ticks_with_shown);
  ADD ("key-never-shown", test_key_never_shown);
  ADD ("curl-command-runs", test_curl_command_runs);
  ADD ("websocket-url-has-params", test_websocket_url_has_params);
  ADD ("close-while-verifying", test_close_while_verifying);
  ADD ("verify-after-expiry", test_verify_after_expiry);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
