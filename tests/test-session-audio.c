/* test-session-audio.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A streaming session with audio, against the fake server in this
 * process and main loop: a spoken file fed frame by frame in real time,
 * as StokAudioSource would, and the built-in sample and a long file
 * through the audio source itself; the controls (ForceEndpoint,
 * UpdateConfiguration, stopping), the turns, the latency figures, and
 * pacing as the server received it. */

#include "config.h"

#include <string.h>

#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-session.h"
#include "stok-test-audio.h"
#include "stok-test-util.h"

typedef StokClientFixture Fixture;

static gboolean
has_kind (StokSession   *session,
          StokDirection  direction,
          const char    *kind)
{
  GListModel *messages = stok_session_get_messages (session);

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(StokSessionMessage) message = g_list_model_get_item (messages, i);

      if (stok_session_message_get_direction (message) == direction &&
          g_strcmp0 (stok_session_message_get_kind (message), kind) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The spoken fixture, 16 kHz mono s16le, read from its WAV "data" chunk:
 * audio fed to the engine as StokAudioSource would, without GStreamer. */
static GBytes *
load_two_turns (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize at = 12;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  while (at + 8 <= length)
    {
      guint32 size = GUINT32_FROM_LE (*(guint32 *) (gpointer) (contents + at + 4));

      if (memcmp (contents + at, "data", 4) == 0)
        return g_bytes_new (contents + at + 8, MIN (size, length - at - 8));
      at += 8 + size + (size & 1);
    }

  g_error ("No audio in %s", path);
}

#define FRAME_MS 50
#define FRAME_BYTES (16000 * 2 * FRAME_MS / 1000)

typedef struct
{
  StokSession *session;
  GBytes *audio;
  gsize offset;
  guint source_id;
  gint64 started_us;
  guint n_frames;
  /* Stop feeding after this many frames, 0 for the whole file. */
  guint stop_after;
  gboolean end_audio;
} Feeder;

/* Paced off the monotonic clock from the first frame, so that the feed
 * never gets ahead of real time, however late a tick comes. */
static gboolean
feed_cb (gpointer user_data)
{
  Feeder *feeder = user_data;
  gsize size = g_bytes_get_size (feeder->audio);
  gint64 due_frames = (g_get_monotonic_time () - feeder->started_us) / (FRAME_MS * 1000) + 1;

  while (feeder->n_frames < due_frames)
    {
      g_autoptr(GBytes) frame = NULL;
      gsize length = MIN (FRAME_BYTES, size - feeder->offset);

      if (length < FRAME_BYTES || (feeder->stop_after > 0 && feeder->n_frames == feeder->stop_after))
        {
          feeder->source_id = 0;
          if (feeder->end_audio)
            stok_session_end_audio (feeder->session);
          return G_SOURCE_REMOVE;
        }

      frame = g_bytes_new_from_bytes (feeder->audio, feeder->offset, length);
      g_assert_true (stok_session_send_audio (feeder->session, frame, -20));
      feeder->offset += length;
      feeder->n_frames++;
    }

  return G_SOURCE_CONTINUE;
}

static void
feeder_state_cb (StokSession *session,
                 GParamSpec  *pspec,
                 Feeder      *feeder)
{
  /* Audio starts once the session has begun, as the app does. */
  if (stok_session_get_state (session) == STOK_SESSION_STATE_STREAMING && feeder->started_us == 0)
    {
      feeder->started_us = g_get_monotonic_time ();
      feeder->source_id = g_timeout_add (FRAME_MS / 5, feed_cb, feeder);
    }
}

static void
feeder_start (Feeder      *feeder,
              StokSession *session,
              gboolean     end_audio)
{
  feeder->session = session;
  feeder->audio = load_two_turns ();
  feeder->end_audio = end_audio;
  g_signal_connect (session, "notify::state", G_CALLBACK (feeder_state_cb), feeder);
}

static void
feeder_clear (Feeder *feeder)
{
  g_clear_handle_id (&feeder->source_id, g_source_remove);
  if (feeder->session != NULL)
    g_signal_handlers_disconnect_by_data (feeder->session, feeder);
  g_clear_pointer (&feeder->audio, g_bytes_unref);
}

static void
count_turn_ended_cb (StokSession *session,
                     StokTurn    *turn,
                     guint       *n_ended)
{
  g_assert_true (stok_turn_get_end_of_turn (turn));
  (*n_ended)++;
}

static void
test_spoken_file (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *figures_text = NULL;
  g_autofree char *ending = NULL;
  g_autofree char *expected = NULL;
  StokSessionFigures figures;
  Feeder feeder = { 0 };
  GListModel *turns;
  guint n_speech = 0;
  guint n_ended = 0;
  guint n_levels = 0;
  gint64 audio_us;

  feeder_start (&feeder, session, TRUE);
  g_signal_connect (session, "turn-ended", G_CALLBACK (count_turn_ended_cb), &n_ended);
  g_assert_true (stok_test_run_session (session, &error));
  g_assert_no_error (error);

  /* Begin, SpeechStarted, partials, two final turns at the two pauses,
   * Termination with the file's duration. */
  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_COMPLETED);
  g_assert_true (has_kind (session, STOK_DIRECTION_RECEIVED, "SpeechStarted"));
  stok_session_get_speech_started (session, &n_speech);
  g_assert_cmpuint (n_speech, >=, 2);

  turns = stok_session_get_turns (session);
  g_assert_cmpuint (g_list_model_get_n_items (turns), ==, 2);
  g_assert_cmpuint (n_ended, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);

      g_assert_cmpint (stok_turn_get_order (turn), ==, i);
      g_assert_true (stok_turn_get_end_of_turn (turn));
      /* Ended by the server's turn detection, not by End turn, nor by
       * Terminate. */
      g_assert_false (stok_turn_get_forced (turn));
      g_assert_false (stok_turn_get_terminated (turn));
      g_assert_cmpuint (stok_turn_get_n_words (turn), >, 0);
      g_assert_cmpuint (stok_turn_get_n_partials (turn), >, 0);
      g_assert_nonnull (strstr (stok_turn_get_transcript (turn), "stand-in"));
      g_assert_cmpfloat (stok_turn_get_confidence (turn), >, 0);
      /* From the audio at the end of its last word to the final turn:
       * at least the turn's trailing silence. */
      g_assert_cmpint (stok_turn_get_latency (turn), >, 0);
    }

  transcript = stok_session_dup_transcript (session);
  g_assert_cmpuint (strlen (transcript), >, 0);

  audio_us = g_bytes_get_size (feeder.audio) / 32 * 1000;
  stok_session_get_figures (session, &figures);
  g_assert_cmpuint (figures.n_frames_sent, ==, stok_fake_server_get_n_audio_frames (fixture->server));
  /* Sent, and as the server counted it: the whole file but its last
   * partial frame. */
  g_assert_cmpint (figures.audio_sent_us, <=, audio_us);
  g_assert_cmpint (figures.audio_sent_us, >, audio_us - FRAME_MS * 1000);
  g_assert_cmpfloat_with_epsilon (figures.server_audio_seconds, figures.audio_sent_us / 1e6, 0.002);
  g_assert_cmpint (figures.first_audio_to_first_partial_us, >, 0);
  g_assert_cmpint (figures.median_turn_latency_us, >, 0);
  stok_session_get_levels (session, &n_levels, NULL);
  g_assert_cmpuint (n_levels, ==, figures.n_frames_sent);

  figures_text = stok_session_dup_figures_text (session);
  g_test_message ("%s", figures_text);
  g_assert_nonnull (strstr (figures_text, "the server counted"));

  /* The server's whole seconds of session shown as whole seconds, and
   * its audio to the hundredth, as the figures show the audio sent. */
  ending = stok_session_dup_ending (session);
  g_test_message ("%s", ending);
  g_assert_cmpfloat (figures.server_session_seconds, ==, (gint64) figures.server_session_seconds);
  expected = g_strdup_printf ("after %.0f s of session", figures.server_session_seconds);
  g_assert_nonnull (strstr (ending, expected));

  feeder_clear (&feeder);
}

static void
test_end_of_audio_mid_turn (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(StokTurn) turn = NULL;
  StokSessionFigures figures;
  Feeder feeder = { 0 };

  /* The audio ends in the middle of the first sentence: Terminate makes
   * the server end the turn, and the time from the end of the audio to
   * that final turn is what a client waits for after its last word. */
  feeder.stop_after = 20;
  feeder_start (&feeder, session, TRUE);
  g_assert_true (stok_test_run_session (session, NULL));

  g_assert_cmpuint (g_list_model_get_n_items (stok_session_get_turns (session)), ==, 1);
  turn = g_list_model_get_item (stok_session_get_turns (session), 0);
  g_assert_true (stok_turn_get_end_of_turn (turn));
  /* Said to be Terminate's, and no figure of the server's own turn
   * detection, which never ended a turn here. */
  g_assert_true (stok_turn_get_terminated (turn));
  g_assert_false (stok_turn_get_forced (turn));
  stok_session_get_figures (session, &figures);
  g_assert_cmpint (figures.median_turn_latency_us, ==, -1);
  g_assert_cmpuint (figures.n_frames_sent, ==, 20);
  g_assert_cmpint (figures.end_of_audio_to_final_us, >=, 0);
  g_assert_cmpint (figures.terminate_to_termination_us, >=, figures.end_of_audio_to_final_us);

  feeder_clear (&feeder);
}

static gboolean
is_streaming (gpointer data)
{
  return stok_session_get_state (data) == STOK_SESSION_STATE_STREAMING;
}

static gboolean
has_partial (gpointer data)
{
  StokSession *session = data;
  GListModel *turns = stok_session_get_turns (session);
  g_autoptr(StokTurn) turn = NULL;

  if (g_list_model_get_n_items (turns) == 0)
    return FALSE;

  turn = g_list_model_get_item (turns, 0);
  return stok_turn_get_n_words (turn) >= 2 && !stok_turn_get_end_of_turn (turn);
}

static gboolean
first_turn_final (gpointer data)
{
  StokSession *session = data;
  g_autoptr(StokTurn) turn = NULL;

  if (g_list_model_get_n_items (stok_session_get_turns (session)) == 0)
    return FALSE;

  turn = g_list_model_get_item (stok_session_get_turns (session), 0);
  return stok_turn_get_end_of_turn (turn);
}

static void
test_force_endpoint (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  StokSessionFigures figures;
  g_autoptr(StokTurn) first = NULL;
  Feeder feeder = { 0 };
  gint64 forced_at_audio_us;
  const StokSessionControl *controls;
  guint n_controls;

  feeder_start (&feeder, session, FALSE);
  stok_session_run_async (session, NULL, stok_test_result_cb, &result);

  /* Before the first word there is no turn to end: nothing is sent,
   * to be charged to a turn that ends on its own later. */
  g_assert_true (stok_test_wait_until (is_streaming, session, 10000));
  g_assert_false (stok_session_get_turn_open (session));
  g_assert_false (stok_session_force_endpoint (session));
  g_assert_false (has_kind (session, STOK_DIRECTION_SENT, "ForceEndpoint"));

  /* In the middle of the first sentence, the turn ends now. */
  g_assert_true (stok_test_wait_until (has_partial, session, 10000));
  g_assert_true (stok_session_get_turn_open (session));
  forced_at_audio_us = stok_fake_server_get_audio_received_us (fixture->server);
  g_assert_true (stok_session_force_endpoint (session));
  g_assert_true (stok_test_wait_until (first_turn_final, session, 5000));
  first = g_list_model_get_item (stok_session_get_turns (session), 0);
  g_assert_true (stok_turn_get_forced (first));

  /* It ended where it was forced, long before the sentence's pause. */
  g_assert_cmpint (stok_fake_server_get_audio_received_us (fixture->server) - forced_at_audio_us, <, 500 * 1000);
  stok_session_get_figures (session, &figures);
  g_assert_cmpint (figures.force_endpoint_to_final_us, >=, 0);
  g_assert_cmpint (figures.force_endpoint_to_final_us, <, 500 * 1000);
  /* Not the server's turn detection: no median of it yet. */
  g_assert_cmpint (figures.median_turn_latency_us, ==, -1);

  /* Terminate ends the audio: the session takes no frame after it, and
   * the feed asserts that each of its frames is taken. */
  g_clear_handle_id (&feeder.source_id, g_source_remove);
  g_assert_true (stok_session_terminate (session));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (stok_session_run_finish (session, result, NULL));

  /* Both kept with when they were sent, for the timeline. */
  controls = stok_session_get_controls (session, &n_controls);
  g_assert_cmpuint (n_controls, ==, 2);
  g_assert_cmpstr (controls[0].kind, ==, "ForceEndpoint");
  g_assert_cmpstr (controls[1].kind, ==, "Terminate");
  g_assert_cmpint (controls[0].sent_us, >, 0);
  g_assert_cmpint (controls[1].sent_us, >, controls[0].sent_us);

  feeder_clear (&feeder);
}

static void
test_update_configuration (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(StokStreamParams) changes = stok_stream_params_new ();
  g_autoptr(StokStreamParams) not_turn = stok_stream_params_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Feeder feeder = { 0 };
  const StokFakeMessage *received;
  guint n_finals = 0;

  feeder_start (&feeder, session, TRUE);
  stok_session_run_async (session, NULL, stok_test_result_cb, &result);
  g_assert_true (stok_test_wait_until (has_partial, session, 10000));

  /* Only turn parameters can change mid-session: said before anything is
   * sent. */
  g_assert_true (stok_stream_params_set (not_turn, "speech_model", "whisper-rt", NULL));
  g_assert_false (stok_session_update_configuration (session, not_turn, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_assert_true (stok_stream_params_set (changes, "max_turn_silence", "100", NULL));
  g_assert_true (stok_stream_params_set (changes, "end_of_turn_confidence_threshold", "0.9", NULL));
  g_assert_true (stok_session_update_configuration (session, changes, &error));
  g_assert_no_error (error);

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (stok_session_run_finish (session, result, NULL));

  /* What the server got: the numbers as numbers. */
  for (guint i = 0; i < stok_fake_server_get_n_received (fixture->server); i++)
    {
      received = stok_fake_server_get_received (fixture->server, i);
      if (g_strcmp0 (received->type, "UpdateConfiguration") == 0)
        break;
      received = NULL;
    }
  g_assert_nonnull (received);
  g_assert_nonnull (strstr (received->text, "\"max_turn_silence\":100"));
  g_assert_nonnull (strstr (received->text, "\"end_of_turn_confidence_threshold\":0.9"));

  /* A silence of 100 ms now ends a turn: each final turn came after
   * about 100 ms of audio past its last word, not the default's 550. */
  for (guint i = 0; i < stok_fake_server_get_n_sent (fixture->server); i++)
    {
      const StokFakeMessage *sent = stok_fake_server_get_sent (fixture->server, i);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;
      JsonArray *words;
      gint64 speech_end_ms;

      if (g_strcmp0 (sent->type, "Turn") != 0 || strstr (sent->text, "\"end_of_turn\":true") == NULL)
        continue;

      node = json_from_string (sent->text, NULL);
      object = json_node_get_object (node);
      words = json_object_get_array_member (object, "words");
      speech_end_ms = json_object_get_int_member (json_array_get_object_element (words, json_array_get_length (words) - 1), "end");
      n_finals++;
      g_assert_cmpint (sent->audio_us / 1000 - speech_end_ms, <, 300);
    }
  g_assert_cmpuint (n_finals, ==, 2);

  feeder_clear (&feeder);
}

static void
test_close_mid_session (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Feeder feeder = { 0 };

  feeder_start (&feeder, session, FALSE);
  stok_session_run_async (session, cancellable, stok_test_result_cb, &result);
  g_assert_true (stok_test_wait_until (has_partial, session, 10000));

  /* A window closing: the server is told, and the socket does not stay
   * open, billed, beyond the second Termination may take. */
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_n_open_websockets (fixture->server), ==, 0);
  stok_session_run_finish (session, result, &error);
  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_COMPLETED);

  feeder_clear (&feeder);
}

/* The connection drops in the middle of a turn: that turn stays partial,
 * and is marked as never to be final. */
static void
test_drop_mid_turn (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(StokTurn) last = NULL;
  GListModel *turns;
  Feeder feeder = { 0 };

  feeder_start (&feeder, session, FALSE);
  stok_fake_server_set_fault (fixture->server, &(StokFakeFaultSpec) {
                                .fault = STOK_FAKE_FAULT_DROP_AFTER_BEGIN,
                                .after_frames = 20,
                              }, FALSE);
  g_assert_false (stok_test_run_session (session, NULL));
  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_FAILED);

  turns = stok_session_get_turns (session);
  g_assert_cmpuint (g_list_model_get_n_items (turns), >, 0);
  last = g_list_model_get_item (turns, g_list_model_get_n_items (turns) - 1);
  g_assert_false (stok_turn_get_end_of_turn (last));
  g_assert_true (stok_turn_get_cut_off (last));
  for (guint i = 0; i + 1 < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);

      g_assert_false (stok_turn_get_cut_off (turn));
    }

  feeder_clear (&feeder);
}

static StokSession *
source_session (Fixture         *fixture,
                StokAudioSource *source)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StokSession *session = stok_session_new (fixture->client, token, NULL);

  stok_audio_source_check_async (source, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (stok_audio_source_check_finish (source, result, &error));
  g_assert_no_error (error);

  stok_session_set_source (session, source);
  return session;
}

/* A session that streams @duration_ms of 16 kHz tone from a WAV in @dir,
 * through the audio source. */
static StokSession *
tone_session (Fixture    *fixture,
              const char *dir,
              guint       duration_ms)
{
  g_autofree char *path = stok_test_write_wav (dir, "tone.wav", 16000, 1, duration_ms, STOK_TEST_TONE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(StokAudioSource) source = stok_audio_source_new_for_file (file);

  return source_session (fixture, source);
}

/* The built-in sample, through GStreamer, driven by the session itself:
 * started at Begin, Terminate after its last frame, stopped at the end. */
static void
test_sample_source (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(StokAudioSource) source = stok_audio_source_new_sample ();
  g_autoptr(StokSession) session = source_session (fixture, source);
  g_autoptr(GError) error = NULL;
  StokSessionFigures figures;

  g_assert_true (stok_test_run_session (session, &error));
  g_assert_no_error (error);
  g_assert_false (stok_audio_source_get_running (source));

  stok_session_get_figures (session, &figures);
  g_assert_cmpint (figures.audio_sent_us, ==, stok_audio_source_get_audio_sent_us (source));
  g_assert_cmpint (stok_fake_server_get_audio_received_us (fixture->server), ==, figures.audio_sent_us);
  g_assert_cmpint (figures.audio_sent_us, >=, stok_audio_source_get_duration_us (source));
  /* Two spoken passages, a pause between them: two turns. */
  g_assert_cmpuint (g_list_model_get_n_items (stok_session_get_turns (session)), ==, 2);
  g_assert_null (stok_session_get_source_error (session));
}

/* Stopped the moment the connection opens, with Begin on its way: the
 * token is spent, as the server began, but the session never streams
 * and its source never starts. */
static void
stop_at_connected_cb (StokSession        *session,
                      StokSessionMessage *message,
                      JsonNode           *parsed,
                      gpointer            user_data)
{
  if (g_strcmp0 (stok_session_message_get_kind (message), "connected") == 0)
    stok_session_terminate (session);
}

static void
note_state_cb (StokSession *session,
               GParamSpec  *pspec,
               gboolean    *streamed)
{
  if (stok_session_get_state (session) == STOK_SESSION_STATE_STREAMING)
    *streamed = TRUE;
}

static void
note_running_cb (StokAudioSource *source,
                 GParamSpec      *pspec,
                 gboolean        *ran)
{
  if (stok_audio_source_get_running (source))
    *ran = TRUE;
}

static void
test_stop_as_begin_comes (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(StokAudioSource) source = stok_audio_source_new_sample ();
  g_autoptr(StokSession) session = source_session (fixture, source);
  g_autoptr(GError) error = NULL;
  g_autofree char *ending = NULL;
  gboolean streamed = FALSE;
  gboolean ran = FALSE;

  g_signal_connect (session, "message", G_CALLBACK (stop_at_connected_cb), NULL);
  g_signal_connect (session, "notify::state", G_CALLBACK (note_state_cb), &streamed);
  g_signal_connect (source, "notify::running", G_CALLBACK (note_running_cb), &ran);

  g_assert_false (stok_test_run_session (session, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (has_kind (session, STOK_DIRECTION_RECEIVED, "Begin"));
  g_assert_false (streamed);
  g_assert_false (ran);
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (fixture->server), ==, 0);

  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_CANCELLED);
  g_assert_cmpint (stok_token_get_state (stok_session_get_token (session), 0), ==, STOK_TOKEN_STATE_REDEEMED);
  ending = stok_session_dup_ending (session);
  g_assert_cmpstr (error->message, ==, ending);
  g_signal_handlers_disconnect_by_data (source, &ran);
}

/* The timeline's level strip: each frame's own level, from the first
 * frame on. A 440 Hz tone at -6 dBFS peak is -9.03 dBFS RMS throughout. */
static void
test_levels (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("stok-levels-XXXXXX", NULL);
  g_autoptr(StokSession) session = tone_session (fixture, dir, 1000);
  StokSessionFigures figures;
  const gint8 *levels;
  guint n_levels = 0;
  gint64 frame_us = 0;

  g_assert_true (stok_test_run_session (session, NULL));

  stok_session_get_figures (session, &figures);
  levels = stok_session_get_levels (session, &n_levels, &frame_us);
  g_assert_cmpint (frame_us, ==, 50000);
  g_assert_cmpuint (n_levels, ==, figures.n_frames_sent);
  g_assert_cmpuint (n_levels, ==, 20);
  for (guint i = 0; i < n_levels; i++)
    if (levels[i] < -10 || levels[i] > -8)
      g_error ("frame %u: %d dBFS, not the tone's -9", i, levels[i]);

  stok_test_rm_rf (dir);
}

/* What the fake server received of a 60 s file streamed on the real
 * clock: every frame of 50 ms, none ahead of real time, and no drift.
 * The lateness figures themselves are the pacing benchmark's. */
static void
test_pacing_received (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("stok-pacing-XXXXXX", NULL);
  g_autoptr(StokSession) session = tone_session (fixture, dir, 60000);
  const StokFakeAudioFrame *first;
  const StokFakeAudioFrame *last;
  gint64 worst_early = 0;
  guint n;

  g_assert_true (stok_test_run_session (session, NULL));

  n = stok_fake_server_get_n_audio_frames (fixture->server);
  g_assert_cmpuint (n, ==, 1200);
  g_assert_cmpint (stok_fake_server_get_audio_received_us (fixture->server), ==, 60 * G_USEC_PER_SEC);

  first = stok_fake_server_get_audio_frame (fixture->server, 0);
  for (guint k = 0; k < n; k++)
    {
      const StokFakeAudioFrame *frame = stok_fake_server_get_audio_frame (fixture->server, k);

      g_assert_cmpuint (frame->n_bytes, ==, 1600);
      worst_early = MAX (worst_early, (first->received_us + (gint64) k * 50000) - frame->received_us);
    }

  /* Against the first frame's arrival, no frame came ahead of its audio
   * by more than the loopback's jitter (the first frame's delivery
   * included), stretched as the waits are under a sanitizer: there, with
   * another test beside it, the first frame came 6.6 ms late once... */
  g_test_message ("worst ahead of the first frame's schedule: %.2f ms", worst_early / 1000.0);
  g_assert_cmpint (worst_early, <, 5000 * (gint64) stok_test_slowdown ());

  /* ...and the last came when the audio before it had played, not later
   * by a chain of small delays: a sender that sleeps 50 ms a frame is
   * half a second behind after a minute. */
  last = stok_fake_server_get_audio_frame (fixture->server, n - 1);
  g_test_message ("last frame %.2f ms behind the first frame's schedule",
                  (last->received_us - first->received_us - (gint64) (n - 1) * 50000) / 1000.0);
  g_assert_cmpint (last->received_us - first->received_us - (gint64) (n - 1) * 50000, <, 250000);

  stok_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/session-audio/" path, Fixture, NULL, stok_client_fixture_set_up, func, stok_client_fixture_tear_down)

  ADD ("spoken-file", test_spoken_file);
  ADD ("end-of-audio-mid-turn", test_end_of_audio_mid_turn);
  ADD ("force-endpoint", test_force_endpoint);
  ADD ("update-configuration", test_update_configuration);
  ADD ("close-mid-session", test_close_mid_session);
  ADD ("drop-mid-turn", test_drop_mid_turn);
  ADD ("sample-source", test_sample_source);
  ADD ("stop-as-begin-comes", test_stop_as_begin_comes);
  ADD ("levels", test_levels);
  ADD ("pacing-received", test_pacing_received);

#undef ADD

  return g_test_run ();
}
