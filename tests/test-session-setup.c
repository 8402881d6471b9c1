/* test-session-setup.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the next session will be, as the session view edits it: the
 * parameters a session connects with, what the table refuses (kept, said,
 * never sent), the turn settings sent only when changed and the changes
 * that UpdateConfiguration carries, and the audio source it streams. No
 * display, no network. */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "stok-error.h"
#include "stok-session-setup.h"

/* The query string the parameters make, without the token. */
static char *
query_of (StokStreamParams *params)
{
  g_autoptr(GUri) server = g_uri_parse ("https://streaming.example.com", G_URI_FLAGS_NONE, NULL);
  g_autofree char *uri = stok_stream_params_build_uri (params, server, "T");

  return g_strdup (strstr (uri, "?token=T") + strlen ("?token=T"));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_defaults (void)
{
  g_autoptr(StokSessionSetup) setup = stok_session_setup_new ();
  g_autoptr(StokStreamParams) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;

  g_assert_true (stok_session_setup_get_valid (setup));
  g_assert_null (stok_session_setup_get_problem (setup));
  g_assert_cmpint (stok_session_setup_get_source_kind (setup), ==, STOK_AUDIO_SOURCE_SAMPLE);

  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  query = query_of (params);
  /* What every connection names, and nothing left at the server's
   * default. */
  g_assert_cmpstr (query, ==, "&speech_model=universal-streaming-english&sample_rate=16000&encoding=pcm_s16le");
}

static void
test_fields_sent (void)
{
  g_autoptr(StokSessionSetup) setup = stok_session_setup_new ();
  g_autoptr(StokStreamParams) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;

  g_object_set (setup,
                "speech-model", " universal-3-6-pro ",
                "format-turns", TRUE,
                "keyterms", "AssemblyAI, GNOME ,,",
                "sample-rate", 8000,
                "encoding", STOK_AUDIO_ENCODING_PCM_MULAW,
                "end-of-turn-confidence-threshold", 0.7,
                "max-turn-silence", 800,
                NULL);
  g_assert_true (stok_session_setup_get_valid (setup));

  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  query = query_of (params);
  g_test_message ("%s", query);
  g_assert_nonnull (strstr (query, "speech_model=universal-3-6-pro&"));
  g_assert_nonnull (strstr (query, "sample_rate=8000&encoding=pcm_mulaw&format_turns=true"));
  g_assert_nonnull (strstr (query, "end_of_turn_confidence_threshold=0.7&"));
  g_assert_nonnull (strstr (query, "max_turn_silence=800"));
  g_assert_nonnull (strstr (query, "keyterms_prompt=%5B%22AssemblyAI%22%2C%22GNOME%22%5D"));
  /* Left at its default, not sent. */
  g_assert_null (strstr (query, "min_turn_silence"));
}

/* A value the table refuses is kept as typed and said, the setup is not
 * valid, and nothing is built from it; a model the app does not know yet
 * is sent as typed. */
static void
test_refused_values (void)
{
  g_autoptr(StokSessionSetup) setup = stok_session_setup_new ();
  g_autoptr(StokStreamParams) params = NULL;
  g_autoptr(GError) error = NULL;
  const char *problem = NULL;
  guint valid_notified = 0;

  g_signal_connect (setup, "notify::valid", G_CALLBACK (count_notify), &valid_notified);

  stok_session_setup_set_speech_model (setup, "universal 3");
  g_assert_false (stok_session_setup_get_valid (setup));
  g_assert_cmpuint (valid_notified, ==, 1);
  g_object_get (setup, "speech-model-problem", &problem, NULL);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "universal 3"));
  g_assert_cmpstr (stok_session_setup_get_problem (setup), ==, problem);
  g_free ((char *) problem);
  g_assert_cmpstr (stok_session_setup_get_speech_model (setup), ==, "universal 3");

  params = stok_session_setup_build_params (setup, &error);
  g_assert_null (params);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  stok_session_setup_set_speech_model (setup, "");
  g_assert_false (stok_session_setup_get_valid (setup));

  stok_session_setup_set_speech_model (setup, "universal-4-rt");
  g_assert_true (stok_session_setup_get_valid (setup));
  g_assert_cmpuint (valid_notified, ==, 2);

  stok_session_setup_set_keyterms (setup, "[1, 2]");
  g_assert_false (stok_session_setup_get_valid (setup));
  g_object_get (setup, "keyterms-problem", &problem, NULL);
  g_assert_nonnull (strstr (problem, "keyterms_prompt"));
  g_free ((char *) problem);

  stok_session_setup_set_keyterms (setup, "[\"Kubernetes\"]");
  g_assert_true (stok_session_setup_get_valid (setup));
  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_stream_params_get (params, "speech_model"), ==, "universal-4-rt");
  g_assert_cmpstr (stok_stream_params_get (params, "keyterms_prompt"), ==, "[\"Kubernetes\"]");
}

static void
test_extra_params (void)
{
  g_autoptr(StokSessionSetup) setup = stok_session_setup_new ();
  g_autoptr(StokStreamParams) params = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *extra;

  /* Refused, and not added. */
  g_assert_false (stok_session_setup_add_extra_param (setup, "max_speakers=40", &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "max_speakers"));
  g_clear_error (&error);
  g_assert_false (stok_session_setup_add_extra_param (setup, "no equals sign", &error));
  g_assert_nonnull (strstr (error->message, "NAME=VALUE"));
  g_clear_error (&error);
  g_assert_false (stok_session_setup_add_extra_param (setup, "token=abc", &error));
  g_clear_error (&error);
  g_assert_cmpuint (g_strv_length ((char **) stok_session_setup_get_extra_params (setup)), ==, 0);

  /* Added as the table writes it; the same name again replaces it. */
  g_assert_true (stok_session_setup_add_extra_param (setup, " language_detection = yes", &error));
  g_assert_no_error (error);
  g_assert_true (stok_session_setup_add_extra_param (setup, "prompt=Names of GNOME apps", &error));
  g_assert_true (stok_session_setup_add_extra_param (setup, "language_detection=off", &error));
  extra = stok_session_setup_get_extra_params (setup);
  g_assert_cmpuint (g_strv_length ((char **) extra), ==, 2);
  g_assert_cmpstr (extra[0], ==, "language_detection=false");
  g_assert_cmpstr (extra[1], ==, "prompt=Names of GNOME apps");

  /* One that a field sets is refused, pointing to the field's row:
   * sent last, it would silently win over what the row shows. */
  g_assert_false (stok_session_setup_add_extra_param (setup, "sample_rate=8000", &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "Sample rate has its own row under Advanced.");
  g_clear_error (&error);
  g_assert_false (stok_session_setup_add_extra_param (setup, " speech_model = whisper-rt", &error));
  g_assert_cmpstr (error->message, ==, "Speech model has its own row under Parameters.");
  g_clear_error (&error);
  g_assert_false (stok_session_setup_add_extra_param (setup, "min_end_of_turn_silence_when_confident=20", &error));
  g_assert_cmpstr (error->message, ==, "Minimum silence has its own row under Turn detection.");
  g_clear_error (&error);
  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_stream_params_get (params, "speech_model"), ==, STOK_SPEECH_MODEL_DEFAULT);
  g_assert_cmpstr (stok_stream_params_get (params, "sample_rate"), ==, "16000");
  g_assert_cmpstr (stok_stream_params_get (params, "language_detection"), ==, "false");
  g_clear_object (&params);

  stok_session_setup_remove_extra_param (setup, 0);
  extra = stok_session_setup_get_extra_params (setup);
  g_assert_cmpuint (g_strv_length ((char **) extra), ==, 1);
  g_assert_cmpstr (extra[0], ==, "prompt=Names of GNOME apps");

  /* Remembered ones the table now refuses, from the settings: said. */
  g_object_set (setup, "extra-params", (const char *[]) { "max_speakers=40", NULL }, NULL);
  g_assert_false (stok_session_setup_get_valid (setup));
  g_assert_nonnull (strstr (stok_session_setup_get_problem (setup), "max_speakers"));

  /* And one that a field sets: said, and not sent. */
  g_object_set (setup, "extra-params", (const char *[]) { "sample_rate=8000", NULL }, NULL);
  g_assert_false (stok_session_setup_get_valid (setup));
  g_assert_cmpstr (stok_session_setup_get_problem (setup), ==, "Sample rate has its own row under Advanced.");
  g_assert_null (stok_session_setup_build_params (setup, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* Cleared with NULL, as a property of strings may be: none left, and
   * the setup builds again. */
  g_object_set (setup, "extra-params", NULL, NULL);
  g_assert_true (stok_session_setup_get_valid (setup));
  g_assert_cmpuint (g_strv_length ((char **) stok_session_setup_get_extra_params (setup)), ==, 0);
  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  g_assert_null (stok_stream_params_get (params, "prompt"));
  g_assert_true (stok_session_setup_add_extra_param (setup, "prompt=again", &error));
}

static void
test_file_source (void)
{
  g_autoptr(StokSessionSetup) setup = stok_session_setup_new ();
  g_autoptr(StokStreamParams) params = NULL;
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GFile) file = g_file_new_for_path ("/nowhere/call.ogg");
  g_autoptr(GError) error = NULL;

  stok_session_setup_set_source_kind (setup, STOK_AUDIO_SOURCE_FILE);
  g_assert_false (stok_session_setup_get_valid (setup));
  g_assert_nonnull (strstr (stok_session_setup_get_problem (setup), "file"));

  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  source = stok_session_setup_create_source (setup, params, &error);
  g_assert_null (source);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE);
  g_clear_error (&error);

  /* From the file chooser, or opened with the app. */
  stok_session_setup_set_source_kind (setup, STOK_AUDIO_SOURCE_SAMPLE);
  stok_session_setup_choose_file (setup, file);
  g_assert_cmpint (stok_session_setup_get_source_kind (setup), ==, STOK_AUDIO_SOURCE_FILE);
  g_assert_true (stok_session_setup_get_valid (setup));

  /* The audio at the rate and in the encoding the session declares,
   * in frames of the length chosen. */
  g_object_set (setup,
                "frame-ms", 100,
                "sample-rate", 8000,
                "encoding", STOK_AUDIO_ENCODING_PCM_MULAW,
                NULL);
  g_clear_object (&params);
  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  source = stok_session_setup_create_source (setup, params, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stok_audio_source_get_kind (source), ==, STOK_AUDIO_SOURCE_FILE);
  g_assert_true (g_file_equal (stok_audio_source_get_file (source), file));
  g_assert_cmpuint (stok_audio_source_get_sample_rate (source), ==, 8000);
  g_assert_cmpint (stok_audio_source_get_encoding (source), ==, STOK_AUDIO_ENCODING_PCM_MULAW);
  g_assert_cmpuint (stok_audio_source_get_frame_ms (source), ==, 100);
  g_clear_object (&source);

  stok_session_setup_set_source_kind (setup, STOK_AUDIO_SOURCE_MICROPHONE);
  source = stok_session_setup_create_source (setup, params, &error);
  g_assert_cmpint (stok_audio_source_get_kind (source), ==, STOK_AUDIO_SOURCE_MICROPHONE);
}

/* Mid-session, only what changed since it was last sent. */
static void
test_turn_changes (void)
{
  g_autoptr(StokSessionSetup) setup = stok_session_setup_new ();
  g_autoptr(StokStreamParams) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *update = NULL;
  StokTurnSettings applied;
  guint notified = 0;

  stok_session_setup_get_turn_settings (setup, &applied);
  g_assert_cmpfloat (applied.threshold, ==, 0.4);
  g_assert_cmpint (applied.min_silence_ms, ==, 400);
  g_assert_cmpint (applied.max_silence_ms, ==, 1280);
  g_assert_null (stok_session_setup_dup_turn_changes (setup, &applied));

  /* A spin button's hundredths are no change. */
  g_signal_connect (setup, "notify::end-of-turn-confidence-threshold", G_CALLBACK (count_notify), &notified);
  g_object_set (setup, "end-of-turn-confidence-threshold", 0.4000000001, NULL);
  g_assert_cmpuint (notified, ==, 0);
  g_assert_null (stok_session_setup_dup_turn_changes (setup, &applied));

  g_object_set (setup, "max-turn-silence", 2000, "end-of-turn-confidence-threshold", 0.449999999, NULL);
  g_assert_cmpuint (notified, ==, 1);
  changes = stok_session_setup_dup_turn_changes (setup, &applied);
  g_assert_nonnull (changes);
  update = stok_stream_params_build_update (changes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (update, ==, "{\"type\":\"UpdateConfiguration\",\"end_of_turn_confidence_threshold\":0.45,\"max_turn_silence\":2000}");

  /* Once sent, nothing is left to change. */
  stok_session_setup_get_turn_settings (setup, &applied);
  g_assert_null (stok_session_setup_dup_turn_changes (setup, &applied));
}

/* A minimum silence above the maximum, each in its range: said, no
 * session built from it, and mid-session no change to send. */
static void
test_silences_together (void)
{
  g_autoptr(StokSessionSetup) setup = stok_session_setup_new ();
  g_autoptr(StokStreamParams) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *turn_problem = NULL;
  StokTurnSettings applied;
  const char *expected = "Minimum silence (min_turn_silence, 20000 ms) must not be more than maximum silence (max_turn_silence, 1280 ms).";

  stok_session_setup_get_turn_settings (setup, &applied);
  g_object_set (setup, "min-turn-silence", 20000, NULL);
  g_assert_false (stok_session_setup_get_valid (setup));
  g_assert_cmpstr (stok_session_setup_get_problem (setup), ==, expected);
  g_object_get (setup, "turn-problem", &turn_problem, NULL);
  g_assert_cmpstr (turn_problem, ==, expected);
  g_assert_null (stok_session_setup_build_params (setup, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_null (stok_session_setup_dup_turn_changes (setup, &applied));

  /* Equal is allowed: the turn then ends at that silence. */
  g_object_set (setup, "max-turn-silence", 20000, NULL);
  g_assert_true (stok_session_setup_get_valid (setup));
  params = stok_session_setup_build_params (setup, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_stream_params_get (params, "min_turn_silence"), ==, "20000");
  g_assert_cmpstr (stok_stream_params_get (params, "max_turn_silence"), ==, "20000");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session-setup/defaults", test_defaults);
  g_test_add_func ("/session-setup/fields-sent", test_fields_sent);
  g_test_add_func ("/session-setup/refused-values", test_refused_values);
  g_test_add_func ("/session-setup/extra-params", test_extra_params);
  g_test_add_func ("/session-setup/file-source", test_file_source);
  g_test_add_func ("/session-setup/turn-changes", test_turn_changes);
  g_test_add_func ("/session-setup/silences-together", test_silences_together);

  return g_test_run ();
}
