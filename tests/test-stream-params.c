/* test-stream-params.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The connection's parameters as data: what the table knows, what each
 * type takes and refuses (with a message that names the parameter), the
 * URI that carries them, speech_model always among them, unknown names
 * passed through, lists as JSON text, and the UpdateConfiguration that
 * changes the turn parameters mid-session. */

#include "config.h"

#include <string.h>

#include "stok-error.h"
#include "stok-params.h"
#include "stok-stream-params.h"

static void
test_table (void)
{
  guint n_known = 0;
  const StokParamInfo *known = stok_stream_params_get_known (&n_known);
  const char * const *models = stok_stream_params_get_speech_models ();
  guint n_turn = 0;

  g_assert_cmpuint (n_known, >=, 10);
  for (guint i = 0; i < n_known; i++)
    {
      /* Every row has help for the window, and a default within its
       * range when it has one. */
      g_assert_nonnull (known[i].help);
      g_assert_true (stok_stream_params_lookup (known[i].name) == &known[i]);
      if ((known[i].flags & STOK_PARAM_FLAGS_TURN) != 0)
        {
          n_turn++;
          g_assert_true ((known[i].flags & STOK_PARAM_FLAGS_UPDATABLE) != 0);
        }
    }
  g_assert_cmpuint (n_turn, ==, 3);
  g_assert_null (stok_stream_params_lookup ("no_such_parameter"));

  /* The default model first, the ones PROTOCOL.md names after it. */
  g_assert_cmpstr (models[0], ==, STOK_SPEECH_MODEL_DEFAULT);
  g_assert_true (g_strv_contains (models, "universal-3-6-pro"));
  g_assert_true (g_strv_contains (models, "whisper-rt"));
}

static void
test_values (void)
{
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  const struct {
    const char *name;
    const char *value;
    const char *sent;   /* NULL: refused */
  } cases[] = {
    { "sample_rate", "8000", "8000" },
    { "sample_rate", "48000", "48000" },
    { "sample_rate", "7999", NULL },
    { "sample_rate", "16k", NULL },
    { "sample_rate", "-16000", NULL },
    { "end_of_turn_confidence_threshold", "0.75", "0.75" },
    { "end_of_turn_confidence_threshold", "1.5", NULL },
    { "end_of_turn_confidence_threshold", "nan", NULL },
    { "end_of_turn_confidence_threshold", " 0.5", NULL },
    /* Sent as the number it is, decimal only. */
    { "end_of_turn_confidence_threshold", ".50", "0.5" },
    { "end_of_turn_confidence_threshold", "5e-1", "0.5" },
    { "end_of_turn_confidence_threshold", "1", "1" },
    { "end_of_turn_confidence_threshold", "-0", "0" },
    { "end_of_turn_confidence_threshold", "0x1p-1", NULL },
    { "end_of_turn_confidence_threshold", "+0.5", NULL },
    { "format_turns", "yes", "true" },
    { "format_turns", "0", "false" },
    { "format_turns", "maybe", NULL },
    { "encoding", "pcm_mulaw", "pcm_mulaw" },
    { "encoding", "opus", NULL },
    /* Models move faster than releases: any well-formed name passes. */
    { "speech_model", "universal-3-7-pro", "universal-3-7-pro" },
    { "speech_model", "bad model", NULL },
    { "keyterms_prompt", "Kubernetes, GNOME ,", "[\"Kubernetes\",\"GNOME\"]" },
    { "keyterms_prompt", "[\"AssemblyAI\", \"Streaming Token\"]", "[\"AssemblyAI\",\"Streaming Token\"]" },
    { "keyterms_prompt", "[1, 2]", NULL },
    { "prompt", "Meetings about \"turns\"", "Meetings about \"turns\"" },
    { "prompt", "line\nbreak", NULL },
    { "unknown_but_new", "value", "value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean taken = stok_stream_params_set (params, cases[i].name, cases[i].value, &error);

      g_test_message ("%s=%s", cases[i].name, cases[i].value);
      if (cases[i].sent != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (taken);
          g_assert_cmpstr (stok_stream_params_get (params, cases[i].name), ==, cases[i].sent);
        }
      else
        {
          /* Refused, said with the parameter's name, and what was set
           * before is kept. */
          g_assert_false (taken);
          g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
          g_assert_nonnull (strstr (error->message, cases[i].name));
        }
    }
}

/* What a refused choice says: a speech model takes any name without
 * spaces, so the known ones are only suggestions; an encoding is one of
 * its list. */
static void
test_choice_messages (void)
{
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  g_autoptr(GError) model_error = NULL;
  g_autoptr(GError) encoding_error = NULL;

  /* Not listed, and taken: "use one of" the list would be untrue. */
  g_assert_true (stok_stream_params_set (params, "speech_model", "u3-pro", NULL));

  g_assert_false (stok_stream_params_set (params, "speech_model", "my model", &model_error));
  g_test_message ("%s", model_error->message);
  g_assert_nonnull (strstr (model_error->message, "“my model”"));
  g_assert_nonnull (strstr (model_error->message, "without spaces"));
  g_assert_nonnull (strstr (model_error->message, "such as universal-streaming-english"));
  g_assert_null (strstr (model_error->message, "use one of"));

  g_assert_false (stok_stream_params_set (params, "encoding", "opus", &encoding_error));
  g_assert_cmpstr (encoding_error->message, ==, "encoding cannot be “opus”: use one of pcm_s16le, pcm_mulaw.");
}

static void
test_names (void)
{
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  const char *bad[] = { "", "has space", "semi;colon", "token", "a=b" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (stok_stream_params_set (params, bad[i], "x", &error));
      g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_true (stok_stream_params_set_assignment (params, "max_turn_silence=800", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (stok_stream_params_get (params, "max_turn_silence"), ==, "800");
    g_assert_false (stok_stream_params_set_assignment (params, "=800", &error));
    g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  }
}

static void
test_uri (void)
{
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  g_autoptr(GUri) https = stok_params_parse_server ("https://streaming.eu.assemblyai.com", NULL);
  g_autoptr(GUri) loopback = stok_params_parse_server ("http://127.0.0.1:8080", NULL);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *plain = NULL;

  /* The defaults: speech_model always, with the rate and the encoding. */
  plain = stok_stream_params_build_uri (params, loopback, "tok");
  g_assert_cmpstr (plain, ==, "ws://127.0.0.1:8080/v3/ws?token=tok&speech_model=universal-streaming-english&sample_rate=16000&encoding=pcm_s16le");

  g_assert_true (stok_stream_params_set (params, "custom_flag", "a&b=c", NULL));
  g_assert_true (stok_stream_params_set (params, "keyterms_prompt", "GNOME, Kubernetes", NULL));
  g_assert_true (stok_stream_params_set (params, "format_turns", "true", NULL));
  uri = stok_stream_params_build_uri (params, https, "eyJ.a+b/c=");

  g_assert_true (g_str_has_prefix (uri, "wss://streaming.eu.assemblyai.com/v3/ws?token="));
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  query = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpstr (g_hash_table_lookup (query, "token"), ==, "eyJ.a+b/c=");
  g_assert_cmpstr (g_hash_table_lookup (query, "custom_flag"), ==, "a&b=c");
  g_assert_cmpstr (g_hash_table_lookup (query, "keyterms_prompt"), ==, "[\"GNOME\",\"Kubernetes\"]");
  g_assert_cmpstr (g_hash_table_lookup (query, "format_turns"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (query, "speech_model"), ==, STOK_SPEECH_MODEL_DEFAULT);

  /* Under a proxy's path, the API's own goes after it. */
  {
    g_autoptr(GUri) proxied = stok_params_parse_server ("https://example.com/proxy", NULL);
    g_autofree char *on_proxy = stok_stream_params_build_uri (params, proxied, "tok");

    g_assert_true (g_str_has_prefix (on_proxy, "wss://example.com/proxy/v3/ws?token=tok&"));
  }
}

static void
test_update (void)
{
  g_autoptr(StokStreamParams) changes = stok_stream_params_new ();
  g_autoptr(StokStreamParams) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *update = NULL;

  /* Nothing to change is said, not sent. */
  g_assert_null (stok_stream_params_build_update (changes, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_assert_true (stok_stream_params_set (changes, "min_turn_silence", "160", NULL));
  g_assert_true (stok_stream_params_set (changes, "end_of_turn_confidence_threshold", "0.4", NULL));
  update = stok_stream_params_build_update (changes, &error);
  g_assert_no_error (error);
  /* Numbers as numbers, and 0.4 as 0.4. */
  g_assert_cmpstr (update, ==, "{\"type\":\"UpdateConfiguration\",\"min_turn_silence\":160,\"end_of_turn_confidence_threshold\":0.4}");

  /* Only the turn parameters change mid-session. */
  copy = stok_stream_params_copy (changes);
  g_assert_true (stok_stream_params_set (copy, "speech_model", "whisper-rt", NULL));
  g_assert_null (stok_stream_params_build_update (copy, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "speech_model"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream-params/table", test_table);
  g_test_add_func ("/stream-params/values", test_values);
  g_test_add_func ("/stream-params/names", test_names);
  g_test_add_func ("/stream-params/choice-messages", test_choice_messages);
  g_test_add_func ("/stream-params/uri", test_uri);
  g_test_add_func ("/stream-params/update", test_update);

  return g_test_run ();
}
