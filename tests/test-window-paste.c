/* test-window-paste.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Use a Token…" as a user meets it: a token minted elsewhere (here by a
 * token client of the test's own, against the fake server, as the user's
 * backend would) pasted in the dialog, shown without a countdown, and
 * verified; a text that is no token refused beside the entry, with
 * nothing added. A real window on the X server, the fake server on
 * loopback. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-history.h"
#include "stok-history-row.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-token-client.h"
#include "stok-token-dialog.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

/* What the user's own backend does: mint a token with its own key. */
static char *
mint_elsewhere (Fixture *fixture)
{
  g_autoptr(StokTokenClient) client = stok_token_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;

  stok_token_client_mint_async (client, stok_fake_server_get_url (fixture->server), "sk-backend",
                                60, 600, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  token = stok_token_client_mint_finish (client, result, NULL, &error);
  g_assert_no_error (error);

  return g_strdup (stok_token_get_token (token));
}

static StokTokenDialog *
open_dialog (Fixture *fixture)
{
  GtkWindow *dialog;

  g_assert_null (stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_TOKEN_DIALOG));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.use-token", NULL);
  dialog = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_TOKEN_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (dialog));

  return STOK_TOKEN_DIALOG (dialog);
}

static GtkWidget *
dialog_child (StokTokenDialog *dialog,
              const char      *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), STOK_TYPE_TOKEN_DIALOG, name));
}

static gboolean
is_closed (gpointer data)
{
  Fixture *fixture = data;

  return stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_TOKEN_DIALOG) == NULL;
}

/* Enter in the entry, as the user confirms it: what GtkText's Enter
 * binding emits. */
static void
press_enter (StokTokenDialog *dialog)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  stok_test_collect_widgets (dialog_child (dialog, "token_row"), GTK_TYPE_TEXT, texts);
  g_assert_cmpuint (texts->len, ==, 1);
  g_signal_emit_by_name (texts->pdata[0], "activate");
  stok_test_spin (50);
}

/* The Copy As item labelled @label, in the menu of the Copy button. */
static GtkWidget *
copy_as_item (Fixture    *fixture,
              const char *label)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *copy_button = stok_test_child (fixture->window, "token_panel/copy_button");

  adw_split_button_popup (ADW_SPLIT_BUTTON (copy_button));
  stok_test_spin (50);
  stok_test_collect_widgets (copy_button, GTK_TYPE_LABEL, labels);
  adw_split_button_popdown (ADW_SPLIT_BUTTON (copy_button));

  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (gtk_label_get_label (labels->pdata[i]), label))
      for (GtkWidget *item = labels->pdata[i]; item != NULL; item = gtk_widget_get_parent (item))
        if (g_str_equal (gtk_widget_get_css_name (item), "modelbutton"))
          return item;

  g_error ("No Copy As item %s", label);
}

static gboolean
has_verification (gpointer data)
{
  Fixture *fixture = data;

  return stok_test_is_idle (fixture->window) &&
         gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/verification_box"));
}

/* Verify as the user does it, through the dialog that warns first. */
static void
verify (Fixture *fixture)
{
  stok_test_start_verify (fixture->window);
  g_assert_true (stok_test_wait_until (has_verification, fixture, 5000));
}

static void
test_paste_and_verify (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *minted = mint_elsewhere (fixture);
  g_autofree char *pasted = g_strdup_printf ("  %s  ", minted);
  g_autofree char *row_title = NULL;
  StokTokenDialog *dialog;
  StokToken *token;
  GtkWidget *row;

  /* No key in this window: a pasted token needs none. */
  stok_test_set_key (fixture->window, "");

  dialog = open_dialog (fixture);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            stok_fake_server_get_url (fixture->server)));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "use"));

  /* Pasted with the spaces a terminal leaves around it. */
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, "token_row")), pasted);
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "problem_label")));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "use"));
  press_enter (dialog);
  g_assert_true (stok_test_wait_until (is_closed, fixture, 2000));

  /* Shown, for the window's server, without a countdown: its window is
   * not known here. */
  token = stok_window_get_token (fixture->window);
  g_assert_nonnull (token);
  g_assert_cmpstr (stok_token_get_token (token), ==, minted);
  g_assert_cmpstr (stok_token_get_server (token), ==, stok_fake_server_get_url (fixture->server));
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/token_label"), ==, minted);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Pasted");
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/ended_caption_label"), "not known"));
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/deadline_label"), ==, "Redemption window unknown");
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/session_cap_label"), ==, "Session cap unknown");
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/countdown_bar")));
  g_assert_false (gtk_widget_has_css_class (stok_test_child (fixture->window, "token_panel/countdown_inscription"), "expired"));

  /* In the history, said for what it is. */
  row = GTK_WIDGET (stok_test_history_row (fixture->window, token));
  g_assert_cmpstr (stok_test_history_state (fixture->window, token), ==, "Not checked");
  g_assert_true (g_str_has_prefix (gtk_inscription_get_text (GTK_INSCRIPTION (gtk_widget_get_template_child (row, STOK_TYPE_HISTORY_ROW, "subtitle_inscription"))),
                                   "Pasted at "));
  row_title = g_strdup_printf ("…%s", minted + strlen (minted) - 12);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (gtk_widget_get_template_child (row, STOK_TYPE_HISTORY_ROW, "title_inscription"))),
                   ==, row_title);

  /* No exchange here: no curl command, no JSON reply. The token and its
   * WebSocket URL can be copied. */
  g_assert_false (gtk_widget_is_sensitive (copy_as_item (fixture, "_curl Command")));
  g_assert_false (gtk_widget_is_sensitive (copy_as_item (fixture, "_JSON Reply")));
  g_assert_true (gtk_widget_is_sensitive (copy_as_item (fixture, "_WebSocket URL")));
  g_assert_true (gtk_widget_is_sensitive (copy_as_item (fixture, "_Token")));

  /* Time passes: nothing counts down, and nothing claims it expired. */
  stok_clock_advance (fixture->clock, 700 * G_USEC_PER_SEC);
  stok_test_spin (50);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Pasted");
  g_assert_cmpstr (stok_test_history_state (fixture->window, token), ==, "Not checked");

  /* Verify redeems it on the fake server, which minted it. */
  g_assert_true (gtk_widget_is_sensitive (stok_test_child (fixture->window, "token_panel/verify_button")));
  verify (fixture);
  g_assert_true (stok_fake_server_is_token_redeemed (fixture->server, minted));
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Verified");
  g_assert_true (g_str_has_prefix (stok_test_label (fixture->window, "token_panel/ended_caption_label"), "The token works"));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"),
                            stok_fake_server_get_last_session_id (fixture->server)));
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/deadline_label"), ==, "Redemption window unknown");
  g_assert_cmpstr (stok_test_history_state (fixture->window, token), ==, "Used");
  g_assert_false (stok_test_has_error (fixture->window));
}

/* A token the server never minted passes the dialog, which cannot know:
 * the server refuses it, and the window says so. */
static void
test_paste_refused_by_server (Fixture       *fixture,
                              gconstpointer  data)
{
  StokTokenDialog *dialog = open_dialog (fixture);
  StokToken *token;

  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, "token_row")), "eyJhbGciOiJIUzI1NiJ9.e30.not-from-here");
  press_enter (dialog);
  g_assert_true (stok_test_wait_until (is_closed, fixture, 2000));
  token = stok_window_get_token (fixture->window);
  g_assert_nonnull (token);

  verify (fixture);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Refused");
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"), "1008"));
  g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/verification_details_label"), STOK_FAKE_WS_INVALID_TOKEN));
  g_assert_cmpstr (stok_test_history_state (fixture->window, token), ==, "Refused");
}

static guint
history_length (Fixture *fixture)
{
  g_autoptr(StokHistory) history = NULL;

  g_object_get (fixture->window, "history", &history, NULL);

  return g_list_model_get_n_items (G_LIST_MODEL (history));
}

static void
test_bad_paste_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *too_long = g_strnfill (STOK_TOKEN_MAX_LENGTH + 1, 'e');
  StokTokenDialog *dialog = open_dialog (fixture);
  GtkWidget *entry = dialog_child (dialog, "token_row");
  GtkWidget *problem = dialog_child (dialog, "problem_label");
  const struct
  {
    const char *text;
    const char *reason;
  } bad[] = {
    { "eyJhbGciOi JIUzI1NiJ9", "spaces or characters" },
    { "eyJhbGciOi\tJIUzI1NiJ9", "spaces or characters" },
    { "jéton", "spaces or characters" },
    { too_long, "longer than" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), bad[i].text);

      /* The reason, beside the entry; Use Token stays off, and Enter
       * leaves the dialog and the text as they are. */
      g_assert_true (gtk_widget_get_visible (problem));
      g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (problem)), bad[i].reason));
      g_assert_true (gtk_widget_has_css_class (entry, "error"));
      g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "use"));
      press_enter (dialog);
      g_assert_true (stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_TOKEN_DIALOG) == GTK_WINDOW (dialog));
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, bad[i].text);
    }

  /* Only spaces: nothing to say yet, and nothing to use. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "use"));

  /* Cancel: nothing was added, nothing is shown. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "eyJ.fine.token");
  g_signal_emit_by_name (dialog, "response", "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (stok_test_wait_until (is_closed, fixture, 2000));
  g_assert_null (stok_window_get_token (fixture->window));
  g_assert_cmpuint (history_length (fixture), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window-paste/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("paste-and-verify", test_paste_and_verify);
  ADD ("refused-by-server", test_paste_refused_by_server);
  ADD ("bad-paste-refused", test_bad_paste_refused);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
