/* test-window-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Live sessions in the window as a user runs them: Start with a file,
 * the Sample or the microphone (a private PulseAudio's null sink, fed a
 * spoken clip with paplay); the transcript and the timeline; Stop, End
 * Turn and Apply as the fake server receives them; the window closed
 * mid-session; a pasted token used rather than a new one minted; every
 * way a session fails, in its card; and a source that has no audio,
 * found before a token is spent. A real window on the X server, the fake
 * server on loopback, the audio sent in real time. */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "stok-clipboard.h"
#include "stok-fake-server.h"
#include "stok-inspector.h"
#include "stok-session.h"
#include "stok-session-live.h"
#include "stok-session-setup.h"
#include "stok-session-view.h"
#include "stok-test-audio.h"
#include "stok-test-pulse.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-timeline.h"
#include "stok-token-client.h"
#include "stok-token-dialog.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

static char *tmp_dir;
static gboolean have_microphone;
/* The virtual microphone's sound server, which the last test stops. */
static StokTestPulse pulse;

/* The fixture: spoken English in two turns, 6.1 s. */
static GFile *
two_turns_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);

  return g_file_new_for_path (path);
}

static StokSessionSetup *
window_setup (Fixture *fixture)
{
  return stok_session_view_get_setup (STOK_SESSION_VIEW (stok_test_child (fixture->window, "session_view")));
}

static GtkWidget *
view_child (Fixture    *fixture,
            const char *path)
{
  g_autofree char *full = g_strconcat ("session_view/", path, NULL);

  return stok_test_child (fixture->window, full);
}

/* The running or last session's transcript, timeline and figures. */
static GtkWidget *
live_view (Fixture *fixture)
{
  g_autoptr(GPtrArray) lives = g_ptr_array_new ();

  stok_test_collect_widgets (stok_test_child (fixture->window, "session_view"), STOK_TYPE_SESSION_LIVE, lives);
  g_assert_cmpuint (lives->len, ==, 1);

  return g_ptr_array_index (lives, 0);
}

static const char *
card_title (Fixture *fixture)
{
  GtkWidget *card = view_child (fixture, "ending_card");

  if (!gtk_widget_get_visible (card))
    return NULL;

  return gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/title_label")));
}

static guint
count_received (StokFakeServer *server,
                const char     *type)
{
  guint n = 0;

  for (guint i = 0; i < stok_fake_server_get_n_received (server); i++)
    n += g_strcmp0 (stok_fake_server_get_received (server, i)->type, type) == 0;

  return n;
}

static const StokFakeMessage *
last_received (StokFakeServer *server,
               const char     *type)
{
  const StokFakeMessage *found = NULL;

  for (guint i = 0; i < stok_fake_server_get_n_received (server); i++)
    if (g_strcmp0 (stok_fake_server_get_received (server, i)->type, type) == 0)
      found = stok_fake_server_get_received (server, i);

  return found;
}

static gboolean
has_final_turn (gpointer data)
{
  Fixture *fixture = data;
  StokSession *session = stok_test_window_session (fixture->window);
  GListModel *turns;

  if (session == NULL)
    return FALSE;

  turns = stok_session_get_turns (session);
  for (guint i = 0; i < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);

      if (stok_turn_get_end_of_turn (turn))
        return TRUE;
    }

  return FALSE;
}

/* A turn begun and not ended: words are coming. */
static gboolean
has_open_turn (gpointer data)
{
  Fixture *fixture = data;
  StokSession *session = stok_test_window_session (fixture->window);
  GListModel *turns;
  guint n;

  if (session == NULL)
    return FALSE;

  turns = stok_session_get_turns (session);
  n = g_list_model_get_n_items (turns);
  if (n == 0)
    return FALSE;
  {
    g_autoptr(StokTurn) last = g_list_model_get_item (turns, n - 1);

    return !stok_turn_get_end_of_turn (last) && stok_turn_get_n_words (last) > 0;
  }
}

typedef struct
{
  Fixture *fixture;
  StokSession *before;
} NewSession;

/* A session other than the one before, ended. */
static gboolean
has_new_ended (gpointer data)
{
  NewSession *wait = data;

  return stok_test_window_session (wait->fixture->window) != wait->before && stok_test_session_ended (wait->fixture->window);
}

static gboolean
has_problem (gpointer data)
{
  Fixture *fixture = data;

  return !stok_window_get_busy (fixture->window) &&
         !gtk_widget_is_sensitive (view_child (fixture, "stop_button")) &&
         card_title (fixture) != NULL;
}

/* Start, as Ctrl+R does it, with a key to mint with. */
static void
start (Fixture *fixture)
{
  stok_test_set_key (fixture->window, "sk-good");
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
}

/* The transcript shown: the final turns, as the list view has them. */
static guint
n_rows (Fixture *fixture)
{
  GtkListView *view = GTK_LIST_VIEW (view_child (fixture, "StokSessionLive/transcript_view"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view)));
}

static void
assert_completed (Fixture *fixture)
{
  StokSession *session = stok_test_window_session (fixture->window);
  const char *figures;

  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 20000));
  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_COMPLETED);
  g_assert_cmpuint (count_received (fixture->server, "Terminate"), ==, 1);
  g_assert_cmpuint (stok_fake_server_count_sent (fixture->server, "Termination"), ==, 1);
  g_assert_cmpstr (card_title (fixture), ==, "Session completed");
  /* Termination's figures, said once, in the card, each figure on one
   * line with its unit. */
  figures = gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/figures_label")));
  g_assert_nonnull (strstr (figures, "Terminate to Termination"));
  g_assert_nonnull (strstr (figures, "\u00a0ms"));
  g_assert_null (strstr (figures, " ms"));
  g_assert_null (strstr (figures, " s;"));
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/text_label"))), " s of"));
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "ending_card/again_button")));
  /* Nothing to do about a session that went well. */
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "ending_card/advice_label")));
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "stop_button")));
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "end_turn_button")));
}

/* The token panel says the token was used by a session, never that it
 * was verified. */
static void
assert_token_used (Fixture *fixture)
{
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "Used");
  g_assert_null (strstr (stok_test_label (fixture->window, "token_panel/ended_caption_label"), "works"));
}

static gboolean
focus_inside (GtkWindow *window,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* A list is one Tab stop, however many rows it has: the arrow keys move
 * from row to row, and Tab or Shift+Tab from any row leaves the list. */
static void
assert_one_tab_stop (GtkWindow *window,
                     GtkWidget *list)
{
  GtkDirectionType tabs[] = { GTK_DIR_TAB_FORWARD, GTK_DIR_TAB_BACKWARD };

  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      GtkWidget *first;

      g_assert_true (gtk_widget_grab_focus (list));
      first = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_DOWN));
      g_assert_true (focus_inside (window, list));
      g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) != first);

      gtk_widget_child_focus (GTK_WIDGET (window), tabs[i]);
      g_assert_false (focus_inside (window, list));
    }
}

/* A file opened from the command line is the source, ready to Start; the
 * file is streamed whole, the transcript and the timeline follow, and
 * its end ends the session with Terminate and Termination. */
static void
test_file (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GFile) file = two_turns_file ();
  StokSessionSetup *setup = window_setup (fixture);
  StokTimeline *timeline;
  StokSession *session;
  const StokFakeMessage *sent = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *word;
  gint64 frame_us, start_us, at_us;
  guint n_levels;
  graphene_rect_t area;
  g_autofree char *tooltip = NULL;
  g_autofree char *summary = NULL;
  GtkWindow *inspector;
  g_autofree char *frames = NULL;
  GtkSelectionModel *rows;
  const char *websocket;
  const char *rate;
  GtkWidget *frames_scroller;
  GtkWidget *page_scroller;

  /* A server slow to answer Terminate, as a busy one is: no slowness of
   * the audio's sending, which the inspector's rate must not take for
   * one. */
  stok_fake_server_set_termination_delay (fixture->server, 1500);
  stok_window_open_audio_file (fixture->window, file);
  g_assert_cmpint (stok_session_setup_get_source_kind (setup), ==, STOK_AUDIO_SOURCE_FILE);
  g_assert_true (g_file_equal (stok_session_setup_get_file (setup), file));
  g_assert_true (g_file_equal (stok_window_get_audio_file (fixture->window), file));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/file_button"))));

  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 10000));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 1);
  /* The new token is the one shown, and its session is the window's. */
  session = stok_test_window_session (fixture->window);
  g_assert_true (stok_session_get_token (session) == stok_window_get_token (fixture->window));
  stok_test_spin (50);
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, "In Use");

  assert_completed (fixture);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (fixture->server), >=, 2);
  g_assert_cmpuint (n_rows (fixture), ==, g_list_model_get_n_items (stok_session_get_turns (session)));
  g_assert_cmpuint (n_rows (fixture), >=, 2);
  assert_token_used (fixture);
  assert_one_tab_stop (GTK_WINDOW (fixture->window), view_child (fixture, "StokSessionLive/transcript_view"));
  /* Ready for another, with a new token. */
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "hint_label"))), "new token"));

  /* The timeline places the first final turn's first word where it was in
   * the audio the fake server received, as the session sent it. */
  timeline = STOK_TIMELINE (view_child (fixture, "StokSessionLive/timeline"));
  g_assert_true (stok_timeline_get_session (timeline) == session);
  for (guint i = 0; i < stok_fake_server_get_n_sent (fixture->server) && node == NULL; i++)
    {
      sent = stok_fake_server_get_sent (fixture->server, i);
      if (g_strcmp0 (sent->type, "Turn") == 0 && strstr (sent->text, "\"end_of_turn\":true") != NULL)
        node = json_from_string (sent->text, NULL);
    }
  g_assert_nonnull (node);
  word = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "words"), 0);
  start_us = json_object_get_int_member (word, "start") * 1000;
  stok_session_get_levels (session, &n_levels, &frame_us);
  at_us = stok_session_get_audio_sent_at (session, start_us) - frame_us + start_us % frame_us;
  stok_timeline_scroll_to (timeline, at_us);
  stok_test_spin (50);
  g_assert_true (stok_timeline_get_word_area (timeline, 0, 0, &area));
  g_assert_cmpfloat_with_epsilon (area.origin.x, stok_timeline_get_x_for_time (timeline, at_us), 1.0);
  g_assert_cmpfloat (area.origin.x, >=, 0);
  g_assert_cmpfloat (area.origin.x, <, gtk_widget_get_width (GTK_WIDGET (timeline)));
  tooltip = stok_timeline_dup_tooltip_at (timeline, area.origin.x + area.size.width / 2,
                                          area.origin.y + area.size.height / 2);
  g_assert_nonnull (strstr (tooltip, json_object_get_string_member (word, "text")));

  /* The inspector shows the session's frames: the audio summed up above
   * them, each text frame a row, and that turn as it came, in full, on
   * the clipboard with the section's Copy. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.inspector", NULL);
  inspector = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);
  stok_test_spin (100);
  summary = g_strdup_printf ("→ %u audio frames", stok_fake_server_get_n_audio_frames (fixture->server));
  websocket = gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (inspector),
                                                                            STOK_TYPE_INSPECTOR, "websocket_label")));
  g_assert_nonnull (strstr (websocket, summary));
  /* Sent at the audio's own pace: the waits for Begin and Termination
   * around it are not the sending's. */
  rate = strstr (websocket, "x real time");
  g_assert_nonnull (rate);
  while (rate > websocket && rate[-1] != ' ')
    rate--;
  g_assert_cmpfloat (g_ascii_strtod (rate, NULL), >=, 0.97);
  g_assert_cmpfloat (g_ascii_strtod (rate, NULL), <=, 1.03);
  rows = gtk_list_view_get_model (GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (inspector),
                                                                                STOK_TYPE_INSPECTOR, "frames_view")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==,
                    g_list_model_get_n_items (stok_session_get_messages (session)));
  assert_one_tab_stop (inspector, GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (inspector),
                                                                             STOK_TYPE_INSPECTOR, "frames_view")));
  /* The wheel over the frames, at their end, scrolls the inspector's
   * page on to what is under them. */
  frames_scroller = gtk_widget_get_ancestor (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (inspector),
                                                                                      STOK_TYPE_INSPECTOR,
                                                                                      "frames_view")),
                                             GTK_TYPE_SCROLLED_WINDOW);
  page_scroller = gtk_widget_get_ancestor (gtk_widget_get_parent (gtk_widget_get_parent (frames_scroller)),
                                           GTK_TYPE_SCROLLED_WINDOW);
  stok_test_assert_wheel_goes_on (frames_scroller,
                                  gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page_scroller)));
  gtk_widget_activate_action (GTK_WIDGET (inspector), "inspector.copy-section", "s", "websocket");
  frames = stok_test_read_clipboard (GTK_WIDGET (inspector));
  g_assert_nonnull (strstr (frames, summary));
  g_assert_nonnull (strstr (frames, sent->text));
  g_assert_nonnull (strstr (frames, "\"Terminate\""));
  g_assert_nonnull (strstr (frames, "\"Termination\""));
  gtk_window_destroy (inspector);
}

static gboolean
has_dropped_messages (gpointer data)
{
  Fixture *fixture = data;
  StokSession *session = stok_test_window_session (fixture->window);

  return session != NULL && stok_session_get_n_dropped_messages (session) > STOK_SESSION_DROP_MESSAGES;
}

typedef struct
{
  Fixture *fixture;
  GtkWidget *inspector;
} InspectorWait;

/* The inspector's rows are the session's messages, from the first kept. */
static gboolean
inspector_caught_up (gpointer data)
{
  InspectorWait *wait = data;
  GtkListView *view = GTK_LIST_VIEW (gtk_widget_get_template_child (wait->inspector, STOK_TYPE_INSPECTOR,
                                                                   "frames_view"));
  GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (view));
  GListModel *messages = stok_session_get_messages (stok_test_window_session (wait->fixture->window));
  g_autoptr(GObject) first_row = g_list_model_get_item (rows, 0);
  g_autoptr(GObject) first_message = g_list_model_get_item (messages, 0);

  return g_list_model_get_n_items (rows) == g_list_model_get_n_items (messages) && first_row == first_message;
}

/* two-turns.wav after @silence_s of digital silence, as a WAV of its
 * own in the test's directory. */
static GFile *
speech_after_silence (guint silence_s)
{
  g_autofree char *speech_path = g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);
  g_autofree char *path = g_build_filename (tmp_dir, "silence-then-speech.wav", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *speech = NULL;
  g_autoptr(GByteArray) wav = g_byte_array_new ();
  g_autofree guint8 *silence = NULL;
  gsize length, silence_bytes = silence_s * 16000 * 2;
  const char *data;
  guint32 size;

  g_assert_true (g_file_get_contents (speech_path, &speech, &length, &error));
  g_assert_no_error (error);
  /* 16 kHz mono 16-bit PCM: the header up to the data chunk is kept. */
  for (data = speech + 12; data + 8 <= speech + length && memcmp (data, "data", 4) != 0; data++)
    ;
  g_assert_true (data + 8 <= speech + length);
  g_byte_array_append (wav, (const guint8 *) speech, data - speech + 8);
  silence = g_malloc0 (silence_bytes);
  g_byte_array_append (wav, silence, silence_bytes);
  g_byte_array_append (wav, (const guint8 *) data + 8, length - (data + 8 - speech));

  size = GUINT32_TO_LE (wav->len - 8);
  memcpy (wav->data + 4, &size, 4);
  size = GUINT32_TO_LE (wav->len - (data - speech + 8));
  memcpy (wav->data + (data - speech) + 4, &size, 4);
  g_assert_true (g_file_set_contents (path, (const char *) wav->data, wav->len, &error));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static guint
summary_frames (GtkWidget *inspector)
{
  const char *summary = gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (inspector,
                                                                                       STOK_TYPE_INSPECTOR,
                                                                                       "websocket_label")));
  const char *frames = strstr (summary, "→ ");

  return frames != NULL ? (guint) g_ascii_strtoull (frames + strlen ("→ "), NULL, 10) : 0;
}

static gboolean
summary_has_frames (gpointer data)
{
  return summary_frames (data) > 0;
}

/* The inspector's audio summary moves on in a silence, where no message
 * comes to refresh it. */
static void
test_inspector_silence (Fixture       *fixture,
                        gconstpointer  data)
{
  /* Long enough for a machine under load: under AddressSanitizer beside
   * another test, the first audio was summed up so late that the speech
   * after 4 s came within the second and a half watched. The session is
   * stopped before the speech is sent. */
  g_autoptr(GFile) file = speech_after_silence (10);
  StokSession *session;
  GtkWindow *inspector;
  guint n_messages, before;

  stok_window_open_audio_file (fixture->window, file);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.inspector", NULL);
  inspector = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);
  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 10000));
  session = stok_test_window_session (fixture->window);

  /* The first audio sent, and summed up: a slow machine takes its time
   * to start the audio, all of it in the silence. */
  g_assert_true (stok_test_wait_until (summary_has_frames, inspector, 10000));
  n_messages = g_list_model_get_n_items (stok_session_get_messages (session));
  before = summary_frames (GTK_WIDGET (inspector));
  stok_test_spin (1500);
  /* Still silence: no message came meanwhile. */
  g_assert_cmpuint (g_list_model_get_n_items (stok_session_get_messages (session)), ==, n_messages);
  /* Half a second of audio at least: the summary moves every half
   * second, and a slow machine sends late. */
  g_assert_cmpuint (summary_frames (GTK_WIDGET (inspector)), >=, before + 10);

  gtk_window_destroy (inspector);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
}

static void
copy_frames (GtkWindow *inspector)
{
  gtk_widget_activate_action (GTK_WIDGET (inspector), "inspector.copy-section", "s", "websocket");
}

/* A busy session, a flood of turns, with the inspector open: its rows
 * are the messages the session keeps, the oldest dropped a quarter at a
 * time, and it says how many were not kept. */
static void
test_inspector_long (Fixture       *fixture,
                     gconstpointer  data)
{
  /* A file that outlasts the flood however slowly the window takes it:
   * under ASan the Sample's 7.8 s ended the session first. */
  g_autofree char *path = stok_test_write_wav (tmp_dir, "long-tone.wav", 16000, 1, 120000, STOK_TEST_TONE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  StokSession *session;
  GtkWindow *inspector;
  guint n_kept;
  g_autofree char *not_kept = NULL;
  g_autofree char *copied = NULL;

  stok_fake_server_set_fault (fixture->server, &(StokFakeFaultSpec) {
                                .fault = STOK_FAKE_FAULT_FLOOD,
                                .n_partials = 2400,
                                .n_finals = 100,
                                .rate = 2000,
                              }, FALSE);
  stok_window_open_audio_file (fixture->window, file);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.inspector", NULL);
  inspector = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);
  start (fixture);

  g_assert_true (stok_test_wait_until (has_dropped_messages, fixture, 20000));
  session = stok_test_window_session (fixture->window);
  n_kept = g_list_model_get_n_items (stok_session_get_messages (session));
  g_assert_cmpuint (n_kept, <=, STOK_SESSION_MAX_MESSAGES);
  g_assert_cmpuint (n_kept, >=, STOK_SESSION_MAX_MESSAGES - STOK_SESSION_DROP_MESSAGES);
  g_assert_cmpuint (stok_session_get_n_dropped_messages (session) % STOK_SESSION_DROP_MESSAGES, ==, 0);

  gtk_widget_activate (view_child (fixture, "stop_button"));
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 20000));
  g_assert_true (stok_test_wait_until (inspector_caught_up, &(InspectorWait) { fixture, GTK_WIDGET (inspector) }, 5000));
  not_kept = g_strdup_printf ("(%u earlier messages not kept)", stok_session_get_n_dropped_messages (session));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (inspector),
                                                                                           STOK_TYPE_INSPECTOR,
                                                                                           "websocket_label"))),
                            not_kept));

  /* A thousand frames, more than GTK 4.8 can give another program on
   * X11 without hanging: their end is copied, and pasted elsewhere while
   * the window goes on, as UTF-8 and as the plain ASCII GTK converts it
   * to, an arrow "←" as "\u2190", longer. */
  copy_frames (inspector);
  copied = stok_test_read_clipboard (GTK_WIDGET (inspector));
  g_assert_true (g_str_has_prefix (copied, "[The first "));
  g_assert_cmpuint (strlen (copied), <=, STOK_CLIPBOARD_X11_MAX_BYTES);
  g_assert_false (g_str_is_ascii (copied));
  stok_test_assert_pasted_elsewhere (GTK_WIDGET (inspector), (StokTestCopyFunc) copy_frames, inspector,
                                     "\"Termination\"");
  gtk_window_destroy (inspector);
}

/* The Sample, stopped: Stop sends Terminate, the last turns and
 * Termination come, and the card says so. */
static void
test_sample_stop (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  g_assert_cmpint (stok_session_setup_get_source_kind (window_setup (fixture)), ==, STOK_AUDIO_SOURCE_SAMPLE);

  start (fixture);
  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 15000));
  g_assert_cmpuint (n_rows (fixture), >=, 1);
  g_assert_cmpuint (count_received (fixture->server, "Terminate"), ==, 0);

  gtk_widget_activate (view_child (fixture, "stop_button"));
  assert_completed (fixture);
  /* Stopped before the Sample's end. */
  g_assert_cmpint (stok_fake_server_get_audio_received_us (fixture->server), <, 7700 * 1000);
}

/* While Start checks the source, Generate waits: a mint of its own then
 * left the session with no token, and Start said to enter a key. */
static void
test_no_generate_while_starting (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GFile) file = two_turns_file ();

  stok_window_open_audio_file (fixture->window, file);
  start (fixture);
  g_assert_false (gtk_widget_is_sensitive (stok_test_child (fixture->window, "generate_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);

  g_assert_true (stok_test_wait_until (has_open_turn, fixture, 15000));
  g_assert_null (card_title (fixture));
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
  g_assert_true (gtk_widget_is_sensitive (stok_test_child (fixture->window, "generate_button")));
}

static gboolean
focus_in_turn_row (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, view_child (fixture, "params_group/turn_row"));
}

/* End Turn sends ForceEndpoint, and the turn under way ends with a final
 * turn sent after it. */
static void
test_end_turn (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GFile) file = two_turns_file ();
  const StokFakeMessage *force;
  StokSessionFigures figures;
  StokSession *session;
  const StokSessionControl *controls;
  StokTimeline *timeline;
  g_autofree char *tooltip = NULL;
  guint n_finals, n_controls;

  stok_window_open_audio_file (fixture->window, file);
  start (fixture);
  /* Before the first word there is no turn to end. */
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 10000));
  session = stok_test_window_session (fixture->window);
  g_assert_cmpint (gtk_widget_is_sensitive (view_child (fixture, "end_turn_button")), ==,
                   stok_session_get_turn_open (session));
  g_assert_true (stok_test_wait_until (has_open_turn, fixture, 15000));
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "end_turn_button")));
  n_finals = stok_fake_server_get_n_final_turns (fixture->server);

  gtk_widget_activate (view_child (fixture, "end_turn_button"));
  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 5000));
  g_assert_cmpint (gtk_widget_is_sensitive (view_child (fixture, "end_turn_button")), ==,
                   stok_session_get_turn_open (session));
  force = last_received (fixture->server, "ForceEndpoint");
  g_assert_nonnull (force);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (fixture->server), >, n_finals);
  stok_session_get_figures (session, &figures);
  g_assert_cmpint (figures.force_endpoint_to_final_us, >, 0);

  /* The timeline shows where End Turn was pressed, on the level's row. */
  controls = stok_session_get_controls (session, &n_controls);
  g_assert_cmpuint (n_controls, ==, 1);
  timeline = STOK_TIMELINE (view_child (fixture, "StokSessionLive/timeline"));
  stok_timeline_scroll_to (timeline, MAX (0, controls[0].sent_us - G_USEC_PER_SEC));
  stok_test_spin (50);
  tooltip = stok_timeline_dup_tooltip_at (timeline, stok_timeline_get_x_for_time (timeline, controls[0].sent_us), 10);
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "ForceEndpoint sent at "));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
}

static gboolean
is_ending (gpointer data)
{
  Fixture *fixture = data;
  StokSession *session = stok_test_window_session (fixture->window);

  return session != NULL && stok_session_get_state (session) == STOK_SESSION_STATE_ENDING;
}

/* A server that takes Terminate and never answers: Stop, pressed again
 * while Termination is awaited, closes the connection at once rather than
 * after the whole wait, the session billed meanwhile. */
static void
test_stop_again (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *stop = view_child (fixture, "stop_button");
  gint64 pressed_us;

  stok_fake_server_set_fault (fixture->server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_IGNORE_TERMINATE }, FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 10000));

  /* Pressed twice at once, a double click, it is one press. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (is_ending, fixture, 2000));
  stok_test_spin (300);
  g_assert_cmpuint (count_received (fixture->server, "Terminate"), ==, 1);
  g_assert_true (is_ending (fixture));
  g_assert_true (gtk_widget_is_sensitive (stop));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "hint_label"))),
                            "Stop closes the connection without it"));

  /* A second on, STOK_WINDOW_STOP_AGAIN_US, it is a second press. */
  stok_test_spin (1000);
  pressed_us = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 3000));
  g_assert_cmpint (g_get_monotonic_time () - pressed_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpstr (card_title (fixture), ==, "Session stopped");
  g_assert_false (gtk_widget_is_sensitive (stop));
}

/* Escape, as the window's key binding has it. */
static void
press_escape (StokWindow *window)
{
  GtkShortcut *shortcut = stok_test_find_shortcut (GTK_WIDGET (window), GDK_KEY_Escape, 0, NULL);

  if (shortcut == NULL)
    g_error ("The window has no Escape binding");

  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                               GTK_WIDGET (window), gtk_shortcut_get_arguments (shortcut)));
}

/* Escape stops a session that streams, as Stop does. */
static void
test_escape_stops (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  start (fixture);
  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 15000));

  press_escape (fixture->window);
  assert_completed (fixture);
  g_assert_cmpint (stok_fake_server_get_audio_received_us (fixture->server), <, 7700 * 1000);
}

static gboolean
update_received (gpointer data)
{
  Fixture *fixture = data;

  return last_received (fixture->server, "UpdateConfiguration") != NULL;
}

/* A turn setting changed while streaming: Apply comes on, and sends it
 * with UpdateConfiguration; then goes off again. */
static void
test_apply (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *apply = view_child (fixture, "params_group/apply_button");
  const StokFakeMessage *update;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 10000));
  g_assert_false (gtk_widget_is_sensitive (apply));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (view_child (fixture, "params_group/turn_row")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/min_silence_spin")), 640);
  stok_test_spin (20);
  g_assert_true (gtk_widget_is_sensitive (apply));
  g_assert_true (gtk_widget_grab_focus (apply));
  gtk_widget_activate (apply);
  g_assert_true (stok_test_wait_until (update_received, fixture, 5000));
  /* Time for a second one to come, were it sent twice. */
  stok_test_spin (300);

  /* Apply, pressed from the keyboard, goes insensitive: the focus stays
   * on its row, not nowhere (moved there from an idle). */
  g_assert_true (stok_test_wait_until (focus_in_turn_row, fixture, 2000));

  update = last_received (fixture->server, "UpdateConfiguration");
  g_assert_nonnull (update);
  g_assert_nonnull (strstr (update->text, "\"min_turn_silence\":640"));
  g_assert_cmpuint (count_received (fixture->server, "UpdateConfiguration"), ==, 1);
  g_assert_false (gtk_widget_is_sensitive (apply));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
}

/* While Start waits for its token, what the session connects with is
 * fixed, but for turn detection: a turn setting changed meanwhile is not
 * in the connection, and Apply sends it once the session runs. */
static void
test_change_while_starting (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *apply = view_child (fixture, "params_group/apply_button");
  StokSession *session;
  const StokFakeMessage *update;
  gboolean starting;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  stok_fake_server_set_delay (fixture->server, 1500);
  start (fixture);
  g_object_get (fixture->window, "session-starting", &starting, NULL);
  g_assert_true (starting);
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "source_group")));
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "params_group/speech_model_row")));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (view_child (fixture, "params_group/turn_row")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/min_silence_spin")), 640);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 10000));
  session = stok_test_window_session (fixture->window);
  g_assert_null (strstr (stok_session_get_uri (session), "min_turn_silence"));

  stok_test_spin (20);
  g_assert_true (gtk_widget_is_sensitive (apply));
  gtk_widget_activate (apply);
  g_assert_true (stok_test_wait_until (update_received, fixture, 5000));
  update = last_received (fixture->server, "UpdateConfiguration");
  g_assert_nonnull (strstr (update->text, "\"min_turn_silence\":640"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
}

static gboolean
has_partial_only (gpointer data)
{
  Fixture *fixture = data;
  StokSession *session = stok_test_window_session (fixture->window);

  return session != NULL && g_list_model_get_n_items (stok_session_get_turns (session)) > 0 &&
         !has_final_turn (fixture);
}

static gboolean
copy_is_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

/* Copy Transcript copies the final turns: it waits for the first, as a
 * partial is not yet what was said, then puts them on the clipboard. */
static void
test_copy_transcript (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *copy;
  g_autofree char *transcript = NULL;
  g_autofree char *copied = NULL;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  start (fixture);
  g_assert_true (stok_test_wait_until (has_partial_only, fixture, 15000));
  copy = view_child (fixture, "StokSessionLive/copy_button");
  g_assert_false (gtk_widget_is_sensitive (copy));

  g_assert_true (stok_test_wait_until (copy_is_sensitive, copy, 15000));
  transcript = stok_session_dup_transcript (stok_test_window_session (fixture->window));
  g_assert_cmpstr (g_strstrip (transcript), !=, "");
  /* A button pressed from the keyboard clicks once its press is shown. */
  gtk_widget_activate (copy);
  stok_test_spin (400);
  copied = stok_test_read_clipboard (GTK_WIDGET (fixture->window));
  g_assert_nonnull (strstr (copied, transcript));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
}

/* Closing the window mid-session ends the session: the server gets
 * Terminate, and its socket closes. */
static void
test_close_mid_session (Fixture       *fixture,
                        gconstpointer  data)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 10000));
  stok_test_spin (300);

  stok_test_window_fixture_close (fixture);
  stok_test_spin (1500);
  g_assert_cmpuint (count_received (fixture->server, "Terminate"), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_n_open_websockets (fixture->server), ==, 0);
}

static gboolean
dialog_closed (gpointer data)
{
  Fixture *fixture = data;

  return stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_TOKEN_DIALOG) == NULL;
}

/* A token minted elsewhere, as a user's backend would. */
static StokToken *
mint_elsewhere (Fixture *fixture)
{
  g_autoptr(StokTokenClient) client = stok_token_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StokToken *minted;

  stok_token_client_mint_async (client, stok_fake_server_get_url (fixture->server), "sk-backend",
                                60, 600, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  minted = stok_token_client_mint_finish (client, result, NULL, &error);
  g_assert_no_error (error);

  return minted;
}

/* Use a Token…, the token typed and Enter pressed. */
static void
paste_token (Fixture   *fixture,
             StokToken *token)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  GtkWidget *dialog;
  GtkWidget *entry;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.use-token", NULL);
  dialog = GTK_WIDGET (stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_TOKEN_DIALOG));
  g_assert_nonnull (dialog);
  entry = GTK_WIDGET (gtk_widget_get_template_child (dialog, STOK_TYPE_TOKEN_DIALOG, "token_row"));
  gtk_editable_set_text (GTK_EDITABLE (entry), stok_token_get_token (token));
  stok_test_collect_widgets (entry, GTK_TYPE_TEXT, texts);
  g_signal_emit_by_name (texts->pdata[0], "activate");
  g_assert_true (stok_test_wait_until (dialog_closed, fixture, 2000));
}

/* A token minted elsewhere, pasted with "Use a Token…": Start opens the
 * session with it, and mints nothing. */
static void
test_pasted_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StokToken) minted = mint_elsewhere (fixture);
  g_autoptr(StokToken) another = NULL;

  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 1);

  /* No key in this window: nothing to mint with. */
  stok_test_set_key (fixture->window, "");
  paste_token (fixture, minted);

  /* Start says it uses the token shown, before it is pressed. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "hint_label"))), "token shown"));
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/session_cap_label"), ==, "Session cap unknown");
  gtk_widget_activate (view_child (fixture, "start_button"));
  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 15000));
  /* Its cap was chosen elsewhere: Begin says when the session ends. */
  g_assert_true (g_str_has_prefix (stok_test_label (fixture->window, "token_panel/session_cap_label"),
                                   "Its session ends by "));

  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 1);
  g_assert_true (stok_fake_server_is_token_redeemed (fixture->server, stok_token_get_token (minted)));
  g_assert_cmpstr (stok_token_get_token (stok_session_get_token (stok_test_window_session (fixture->window))), ==,
                   stok_token_get_token (minted));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
  assert_token_used (fixture);
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 1);

  /* The token has opened its one session: Start would need a new one,
   * and there is no key to mint it with. */
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "start_button")));

  /* Another pasted token can be started with; the card's Start Again
   * with a New Token cannot, with no key to mint it. */
  another = mint_elsewhere (fixture);
  paste_token (fixture, another);
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "ending_card/again_button")));
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "ending_card/again_button")));

  /* The used one pasted again is refused, and the card says so; once
   * another token is shown, that refusal, which was about the token
   * before it, no longer sits under Start as if it were this one's. */
  {
    NewSession wait = { fixture, stok_test_window_session (fixture->window) };

    paste_token (fixture, minted);
    gtk_widget_activate (view_child (fixture, "start_button"));
    g_assert_true (stok_test_wait_until (has_new_ended, &wait, 15000));
    g_assert_true (g_str_has_prefix (card_title (fixture), "Refused"));
    paste_token (fixture, another);
    g_assert_null (card_title (fixture));
  }
}

static gboolean
inspector_group_visible (GtkWindow  *inspector,
                         const char *name)
{
  return gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (inspector),
                                                                            STOK_TYPE_INSPECTOR, name)));
}

static gboolean
inspector_shows_frames (gpointer data)
{
  return inspector_group_visible (data, "websocket_group") && summary_frames (data) > 0;
}

/* The inspector of a pasted token, shown after a minted one: its session
 * alone, said to have no request here, rather than under the request
 * and the curl command of the token before it; and a failed Generate
 * after it shows that request, not the pasted token's frames beside it. */
static void
test_pasted_token_inspector (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StokToken) minted = mint_elsewhere (fixture);
  GtkWindow *inspector;
  const char *description;

  stok_test_set_key (fixture->window, "sk-good");
  stok_test_generate (fixture->window);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.inspector", NULL);
  inspector = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);
  g_assert_true (inspector_group_visible (inspector, "request_group"));

  paste_token (fixture, minted);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  gtk_widget_activate (view_child (fixture, "start_button"));
  g_assert_true (stok_test_wait_until (inspector_shows_frames, inspector, 15000));
  g_assert_false (inspector_group_visible (inspector, "request_group"));
  g_assert_false (inspector_group_visible (inspector, "curl_group"));
  g_assert_false (inspector_group_visible (inspector, "response_group"));
  description = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (
    gtk_widget_get_template_child (GTK_WIDGET (inspector), STOK_TYPE_INSPECTOR, "websocket_group")));
  g_assert_cmpstr (description, ==, "A token pasted from elsewhere: no request for it was made here.");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);

  /* A Generate refused after it: the request that failed, alone. */
  stok_fake_server_queue_reply (fixture->server, 401, "application/json", "{\"error\": \"Invalid API key\"}", -1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 10000));
  g_assert_true (inspector_group_visible (inspector, "request_group"));
  g_assert_false (inspector_group_visible (inspector, "websocket_group"));

  gtk_window_destroy (inspector);
}

static gboolean
has_upgrade_request (gpointer data)
{
  Fixture *fixture = data;

  return stok_fake_server_get_n_upgrade_requests (fixture->server) > 0;
}

static gboolean
shows_used (gpointer window)
{
  return g_strcmp0 (stok_test_label (window, "token_panel/countdown_inscription"), "Used") == 0;
}

/* A Verify stopped while the server, which took the token with the
 * upgrade, sends no Begin: the token is used, and the panel says the
 * server took it with no session begun, not that it opened one. */
static void
test_verify_stopped_before_begin (Fixture       *fixture,
                                  gconstpointer  data)
{
  stok_test_set_key (fixture->window, "sk-good");
  stok_test_generate (fixture->window);
  stok_fake_server_set_fault (fixture->server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_NO_BEGIN }, FALSE);
  stok_test_start_verify (fixture->window);
  g_assert_true (stok_test_wait_until (has_upgrade_request, fixture, 10000));
  /* The upgrade answered, and no Begin. */
  stok_test_spin (500);
  /* Escape: the window is idle at once, and the socket closes after. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL);
  g_assert_true (stok_test_is_idle (fixture->window));
  g_assert_true (stok_test_wait_until (shows_used, fixture->window, 10000));

  g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/ended_caption_label"), ==,
                   "The streaming server took this token with the connection, but no session began. "
                   "A token opens only one session.");
}

/* Every way a session fails shows in its card, with the server's words,
 * and Start Again is offered. */
static void
test_failures (Fixture       *fixture,
               gconstpointer  data)
{
  const struct
  {
    StokFakeFaultSpec spec;
    const char *title;
    const char *words;
    /* What the token's card says of it afterwards. */
    const char *token;
  } cases[] = {
    { { .fault = STOK_FAKE_FAULT_REFUSE_UPGRADE, .status = 401 }, "Refused with HTTP 401", NULL, "Refused" },
    { { .fault = STOK_FAKE_FAULT_ERROR_AFTER_BEGIN, .after_ms = 300, .code = 3005, .reason = "Audio too fast" },
      "Failed: ", "Audio too fast", "Used" },
    { { .fault = STOK_FAKE_FAULT_DROP_AFTER_BEGIN, .after_ms = 300 }, "Failed: the connection dropped", NULL, "Used" },
    /* As when the inactivity_timeout runs out: not completed, since
     * the Sample had more to send and no one stopped it. */
    { { .fault = STOK_FAKE_FAULT_END_SESSION, .after_ms = 300 }, "Failed: the server ended the session",
      "before the app sent Terminate", "Used" },
    /* The server took the token with the connection; no Begin came. */
    { { .fault = STOK_FAKE_FAULT_BROKEN_BEGIN }, "Failed: the server sent a broken frame", "had not refused the token",
      "Used" },
  };

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NewSession wait = { fixture, stok_test_window_session (fixture->window) };
      const char *text;

      stok_fake_server_set_fault (fixture->server, &cases[i].spec, FALSE);
      start (fixture);
      g_assert_true (stok_test_wait_until (has_new_ended, &wait, 15000));
      stok_test_spin (50);

      g_test_message ("%s: %s", stok_fake_fault_get_name (cases[i].spec.fault), card_title (fixture));
      g_assert_true (g_str_has_prefix (card_title (fixture), cases[i].title));
      text = gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/text_label")));
      if (cases[i].words != NULL)
        g_assert_nonnull (strstr (text, cases[i].words));
      g_assert_true (gtk_widget_get_visible (view_child (fixture, "ending_card/again_button")));
      g_assert_true (gtk_widget_has_css_class (view_child (fixture, "ending_card/icon"), "error"));
      g_assert_cmpstr (stok_test_label (fixture->window, "token_panel/countdown_inscription"), ==, cases[i].token);
      /* What to do next, under what happened. */
      g_assert_true (gtk_widget_get_visible (view_child (fixture, "ending_card/advice_label")));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/advice_label"))), !=, "");
      /* Said once, in the session's card: the token's card only points
       * to it. */
      g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "token_panel/verification_box")));
      if (g_str_equal (cases[i].token, "Refused"))
        g_assert_nonnull (strstr (stok_test_label (fixture->window, "token_panel/ended_caption_label"), "session’s card"));
      g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, i + 1);
      /* A refusal before Begin has no transcript to show, empty or not;
       * a failure after it keeps what came. */
      g_assert_true (gtk_widget_get_visible (live_view (fixture)) ==
                     stok_session_get_began (stok_test_window_session (fixture->window)));
      /* An empty transcript says that no turn is coming any more. */
      if (stok_session_get_began (stok_test_window_session (fixture->window)) && n_rows (fixture) == 0)
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "StokSessionLive/placeholder_label"))), ==,
                         "No turns came in this session");
    }

  /* Start Again mints a new token and streams again. */
  stok_fake_server_clear_fault (fixture->server);
  gtk_widget_activate (view_child (fixture, "ending_card/again_button"));
  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 15000));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, G_N_ELEMENTS (cases) + 1);
  g_assert_true (stok_session_get_token (stok_test_window_session (fixture->window)) == stok_window_get_token (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
}

static gboolean
focus_is (Fixture    *fixture,
          const char *name)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->window)) == view_child (fixture, name);
}

static gboolean
focus_on_stop (gpointer data)
{
  return focus_is (data, "stop_button");
}

static gboolean
focus_on_start (gpointer data)
{
  return focus_is (data, "start_button");
}

/* With the keyboard: Space on Start, then on Stop. Each button goes
 * insensitive as it is pressed, and the focus goes to the other one,
 * not nowhere (where a Space then did nothing, or pressed what GTK
 * focused next). */
static void
test_keyboard_focus (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *start_button = view_child (fixture, "start_button");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  stok_test_set_key (fixture->window, "sk-good");
  g_assert_true (gtk_widget_grab_focus (start_button));
  gtk_widget_activate (start_button);
  g_assert_true (stok_test_wait_until (focus_on_stop, fixture, 15000));
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 15000));
  g_assert_true (stok_test_wait_until (focus_on_stop, fixture, 5000));

  gtk_widget_activate (view_child (fixture, "stop_button"));
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 20000));
  g_assert_true (stok_test_wait_until (focus_on_start, fixture, 5000));
}

/* A file that is no audio: said where Start is, before any token is
 * spent, and no socket opened. */
static void
test_source_problem (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (tmp_dir, "notes.wav", NULL);
  g_autoptr(GFile) file = NULL;
  const char *text;

  g_assert_true (g_file_set_contents (path, "These are notes, not audio.\n", -1, NULL));
  file = g_file_new_for_path (path);
  stok_window_open_audio_file (fixture->window, file);

  start (fixture);
  g_assert_true (stok_test_wait_until (has_problem, fixture, 15000));
  text = gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/text_label")));
  g_test_message ("%s: %s", card_title (fixture), text);
  g_assert_nonnull (strstr (text, "notes.wav"));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
  g_assert_null (stok_test_window_session (fixture->window));
  g_assert_null (stok_window_get_token (fixture->window));
}

/* The microphone: the monitor of a private PulseAudio's null sink, into
 * which the spoken clip plays once the session streams. */
static void
test_microphone (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *paplay = g_find_program_in_path ("paplay");
  g_autofree char *clip = g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_microphone || paplay == NULL)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  g_assert_cmpint (stok_session_setup_get_source_kind (window_setup (fixture)), ==, STOK_AUDIO_SOURCE_MICROPHONE);
  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 15000));

  player = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, paplay, "--device=virt", clip, NULL);
  g_assert_no_error (error);
  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 20000));
  g_assert_cmpuint (n_rows (fixture), >=, 1);
  g_subprocess_wait (player, NULL, NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);
}

static gboolean
has_audio_frames (gpointer data)
{
  Fixture *fixture = data;

  return stok_fake_server_get_n_audio_frames (fixture->server) > 0;
}

/* The microphone row's title, as shown. */
static const char *
microphone_title (Fixture *fixture)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  stok_test_collect_widgets (view_child (fixture, "source_group/microphone_row"), GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, >=, 2);

  return gtk_label_get_label (labels->pdata[0]);
}

typedef struct
{
  GtkWidget *popover;
  const char *text;
  GtkWidget *found;
} MenuItem;

/* The menu's item with @text, once it is shown and may be pressed. */
static gboolean
has_menu_item (gpointer data)
{
  MenuItem *wait = data;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  wait->found = NULL;
  stok_test_collect_widgets (wait->popover, GTK_TYPE_WIDGET, items);
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *text = NULL;

      if (!g_object_class_find_property (G_OBJECT_GET_CLASS (items->pdata[i]), "text"))
        continue;
      g_object_get (items->pdata[i], "text", &text, NULL);
      if (g_strcmp0 (text, wait->text) == 0 && gtk_widget_is_sensitive (items->pdata[i]))
        wait->found = items->pdata[i];
    }

  return wait->found != NULL;
}

/* Opens the microphone's menu and waits until it lists @text. */
static GtkWidget *
open_microphone_menu (Fixture    *fixture,
                      const char *text)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (view_child (fixture, "source_group/microphone_menu_button"));
  MenuItem wait = { NULL, text, NULL };

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  gtk_menu_button_popup (button);
  wait.popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  g_assert_true (stok_test_wait_until (has_menu_item, &wait, 15000));
  g_assert_true (gtk_widget_get_mapped (wait.popover));

  return wait.found;
}

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

/* A device chosen in the microphone's menu, listed by the sound server
 * when the menu opens: the row names it, the settings keep it, and the
 * session captures it, not the default input. */
static void
test_microphone_choice (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *paplay = g_find_program_in_path ("paplay");
  g_autofree char *clip = g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *item;

  if (!have_microphone || paplay == NULL)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  g_assert_cmpstr (microphone_title (fixture), ==, "Default microphone");

  item = open_microphone_menu (fixture, "Monitor of Headset");
  gtk_widget_activate (item);
  g_assert_cmpstr (stok_session_setup_get_microphone (window_setup (fixture)), ==, "headset.monitor");
  g_assert_cmpstr (microphone_title (fixture), ==, "Monitor of Headset");
  assert_setting (settings, "microphone", "headset.monitor");
  assert_setting (settings, "microphone-label", "Monitor of Headset");

  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 15000));
  g_assert_cmpstr (stok_audio_source_get_device (stok_session_get_source (stok_test_window_session (fixture->window))),
                   ==, "headset.monitor");
  /* The speech plays into the headset only: the default input hears
   * nothing of it. */
  player = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, paplay, "--device=headset", clip, NULL);
  g_assert_no_error (error);
  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 20000));
  g_subprocess_wait (player, NULL, NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  assert_completed (fixture);

  /* The next window opens on it. */
  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
  g_assert_cmpstr (microphone_title (fixture), ==, "Monitor of Headset");

  /* And back to the default input. */
  item = open_microphone_menu (fixture, "Default microphone");
  gtk_widget_activate (item);
  g_assert_cmpstr (microphone_title (fixture), ==, "Default microphone");
  assert_setting (settings, "microphone", "");
}

/* Runs pactl with @first and the arguments after it, up to a NULL, against
 * the tests' sound server, which it must not fail; returns what it
 * printed. */
static char *pactl (const char *first,
                    ...) G_GNUC_NULL_TERMINATED;

static char *
pactl (const char *first,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  char *output = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, g_find_program_in_path ("pactl"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &output, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return output;
}

/* Unplugs the tests' second sound card: unloads the null sink whose
 * monitor is "Monitor of Headset". */
static void
unplug_headset (void)
{
  g_autofree char *modules = pactl ("list", "short", "modules", NULL);
  g_auto(GStrv) lines = g_strsplit (modules, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "sink_name=headset") != NULL)
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 2);

        g_free (pactl ("unload-module", fields[0], NULL));
        return;
      }

  g_error ("No headset in: %s", modules);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_changes;
} MenuChanges;

static void
section_changed_cb (GMenuModel *section,
                    guint       position,
                    guint       removed,
                    guint       added,
                    gpointer    user_data)
{
  MenuChanges *changes = user_data;

  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->n_changes++;
}

/* A device plugged in while the menu was closed: the next opening adds
 * its item and leaves the others as they were, the widget the keyboard
 * would be on included; rebuilt whole, the menu lost the keyboard's
 * place when the list came in after it opened. */
static void
test_microphone_plugged (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *program = g_find_program_in_path ("pactl");
  g_autofree char *module = NULL;
  GtkMenuButton *button;
  g_autoptr(GMenuModel) section = NULL;
  GtkWidget *default_item;
  MenuChanges changes = { 0 };

  if (!have_microphone || program == NULL)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  button = GTK_MENU_BUTTON (view_child (fixture, "source_group/microphone_menu_button"));
  open_microphone_menu (fixture, "Monitor of Headset");
  gtk_menu_button_popdown (button);

  /* pactl prints the module's number. */
  module = pactl ("load-module", "module-null-sink", "sink_name=speaker",
                  "sink_properties=device.description=Speaker", NULL);

  section = g_menu_model_get_item_link (gtk_menu_button_get_menu_model (button), 0, G_MENU_LINK_SECTION);
  g_signal_connect (section, "items-changed", G_CALLBACK (section_changed_cb), &changes);
  default_item = open_microphone_menu (fixture, "Default microphone");
  open_microphone_menu (fixture, "Monitor of Speaker");
  g_signal_handlers_disconnect_by_func (section, section_changed_cb, &changes);

  g_assert_cmpuint (changes.n_changes, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_true (open_microphone_menu (fixture, "Default microphone") == default_item);
  gtk_menu_button_popdown (button);

  g_free (pactl ("unload-module", g_strstrip (module), NULL));
}

/* The device chosen unplugged mid-session: the sound server would move
 * the capture to the default input and go on, so that the session
 * streamed a microphone never chosen; the session ends instead, its card
 * saying the audio stopped and naming the device. The last test to use
 * the headset: it is gone for good. */
static void
test_microphone_unplugged (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *program = g_find_program_in_path ("pactl");
  StokSession *session;
  GtkWidget *item;
  const char *text;

  if (!have_microphone || program == NULL)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  item = open_microphone_menu (fixture, "Monitor of Headset");
  gtk_widget_activate (item);
  start (fixture);
  g_assert_true (stok_test_wait_until (has_audio_frames, fixture, 15000));

  unplug_headset ();
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 20000));
  session = stok_test_window_session (fixture->window);
  g_assert_nonnull (stok_session_get_source_error (session));
  g_assert_cmpstr (card_title (fixture), ==, "The audio stopped");
  text = gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/text_label")));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "The audio broke off: The microphone “Monitor of Headset” stopped: "
                                         "the sound server moved the capture to another input, virt.monitor, "
                                         "as it does when a device is unplugged"));
}

/* A device chosen in an earlier run that the sound server no longer
 * has: the menu says so, and Start says it where Start is, naming the
 * device as it was called, before any token is spent. */
static void
test_microphone_not_found (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  const char *text;

  if (!have_microphone)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  /* Set by hand, with no label: named by its name, not as the default. */
  g_settings_set_string (settings, "microphone", "usb-headset.monitor");
  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  g_assert_cmpstr (microphone_title (fixture), ==, "usb-headset.monitor");

  /* As the settings give it to a new window. */
  g_settings_set_string (settings, "microphone-label", "USB Headset");
  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
  g_assert_cmpstr (stok_session_setup_get_microphone (window_setup (fixture)), ==, "usb-headset.monitor");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  g_assert_cmpstr (microphone_title (fixture), ==, "USB Headset");

  open_microphone_menu (fixture, "USB Headset (not found)");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (view_child (fixture, "source_group/microphone_menu_button")));

  start (fixture);
  g_assert_true (stok_test_wait_until (has_problem, fixture, 15000));
  text = gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/text_label")));
  g_test_message ("%s: %s", card_title (fixture), text);
  g_assert_cmpstr (card_title (fixture), ==, "No microphone");
  g_assert_cmpstr (text, ==, "The microphone “USB Headset” is not connected: plug it in, or choose another.");
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 0);
  g_assert_null (stok_test_window_session (fixture->window));
}

/* A microphone that gives only silence, muted say: the session ends
 * with no turn, and says that the audio was silent. */
static void
test_microphone_silent (Fixture       *fixture,
                        gconstpointer  data)
{
  if (!have_microphone)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  start (fixture);
  g_assert_true (stok_test_wait_until (has_audio_frames, fixture, 15000));
  stok_test_spin (1000);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 20000));

  g_assert_cmpuint (n_rows (fixture), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "StokSessionLive/placeholder_label"))), ==,
                   "No turns came in this session: the audio sent was silent");
}

/* The sound server gone mid-session: the session ends politely, but its
 * card says the audio stopped, not that it completed. The last test to
 * use the microphone: it stops the sound server for good. */
static void
test_microphone_gone (Fixture       *fixture,
                      gconstpointer  data)
{
  StokSession *session;
  const char *text;

  if (!have_microphone)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  start (fixture);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 15000));
  /* Once the microphone's audio flows: a sound server gone before it
   * did is no microphone at all. */
  g_assert_true (stok_test_wait_until (has_audio_frames, fixture, 15000));
  stok_test_pulse_stop (&pulse);
  have_microphone = FALSE;

  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 20000));
  session = stok_test_window_session (fixture->window);
  g_assert_nonnull (stok_session_get_source_error (session));
  /* Terminate after the audio broke off, and the server's Termination. */
  g_assert_cmpuint (count_received (fixture->server, "Terminate"), ==, 1);
  g_test_message ("%s", card_title (fixture));
  g_assert_cmpstr (card_title (fixture), ==, "The audio stopped");
  g_assert_true (gtk_widget_has_css_class (view_child (fixture, "ending_card/icon"), "warning"));
  text = gtk_label_get_label (GTK_LABEL (view_child (fixture, "ending_card/text_label")));
  g_assert_true (g_str_has_prefix (text, "The audio broke off: The microphone stopped"));
  g_assert_nonnull (strstr (text, "ended politely, with Termination after"));
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "ending_card/advice_label")));
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("stok-window-session-XXXXXX", &error);
  g_assert_no_error (error);
  have_microphone = stok_test_pulse_start (&pulse, tmp_dir);

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window-session/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("file", test_file);
  ADD ("inspector-long", test_inspector_long);
  ADD ("inspector-silence", test_inspector_silence);
  ADD ("sample-stop", test_sample_stop);
  ADD ("escape-stops", test_escape_stops);
  ADD ("stop-again", test_stop_again);
  ADD ("end-turn", test_end_turn);
  ADD ("no-generate-while-starting", test_no_generate_while_starting);
  ADD ("apply", test_apply);
  ADD ("change-while-starting", test_change_while_starting);
  ADD ("copy-transcript", test_copy_transcript);
  ADD ("close-mid-session", test_close_mid_session);
  ADD ("pasted-token", test_pasted_token);
  ADD ("pasted-token-inspector", test_pasted_token_inspector);
  ADD ("verify-stopped-before-begin", test_verify_stopped_before_begin);
  ADD ("failures", test_failures);
  ADD ("source-problem", test_source_problem);
  ADD ("keyboard-focus", test_keyboard_focus);
  ADD ("microphone", test_microphone);
  ADD ("microphone-choice", test_microphone_choice);
  ADD ("microphone-not-found", test_microphone_not_found);
  ADD ("microphone-plugged", test_microphone_plugged);
  ADD ("microphone-unplugged", test_microphone_unplugged);
  ADD ("microphone-silent", test_microphone_silent);
  ADD ("microphone-gone", test_microphone_gone);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);
  stok_test_pulse_stop (&pulse);
  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
