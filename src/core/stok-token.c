/* stok-token.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"
#include "stok-params.h"
#include "stok-token.h"

/* The most seconds a server's count is shown as: 31,000 years. */
#define STOK_SECONDS_MAX 1e12

struct _StokToken
{
  GObject parent_instance;

  char *token;
  char *server;
  GDateTime *sent_at_wall;
  gint64 expires_in_seconds;
  gint64 max_session_seconds;
  gint64 sent_at_us;
  StokTokenState redeemed_state;
};

G_DEFINE_FINAL_TYPE (StokToken, stok_token, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_EXPIRES_IN_SECONDS,
  PROP_SERVER,
  PROP_REDEEMED_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
stok_token_finalize (GObject *object)
{
  StokToken *self = (StokToken *)object;

  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->sent_at_wall, g_date_time_unref);

  G_OBJECT_CLASS (stok_token_parent_class)->finalize (object);
}

static void
stok_token_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  StokToken *self = STOK_TOKEN (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_EXPIRES_IN_SECONDS:
      g_value_set_int64 (value, self->expires_in_seconds);
      break;

    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;

    case PROP_REDEEMED_STATE:
      g_value_set_int (value, self->redeemed_state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_token_class_init (StokTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_token_finalize;
  object_class->get_property = stok_token_get_property;

  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXPIRES_IN_SECONDS] =
    g_param_spec_int64 ("expires-in-seconds", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Only REDEEMED and REJECTED are set from outside; expiry is read off
   * the clock by stok_token_get_state(). */
  properties[PROP_REDEEMED_STATE] =
    g_param_spec_int ("redeemed-state", NULL, NULL,
                      STOK_TOKEN_STATE_REDEEMABLE, STOK_TOKEN_STATE_REJECTED,
                      STOK_TOKEN_STATE_REDEEMABLE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_token_init (StokToken *self)
{
  self->max_session_seconds = STOK_MAX_SESSION_DEFAULT;
  self->redeemed_state = STOK_TOKEN_STATE_REDEEMABLE;
}

StokToken *
stok_token_new (const char *token,
                gint64      expires_in_seconds)
{
  StokToken *self;

  g_return_val_if_fail (token != NULL, NULL);

  self = g_object_new (STOK_TYPE_TOKEN, NULL);
  self->token = g_strdup (token);
  self->expires_in_seconds = expires_in_seconds;

  return self;
}

static gboolean
token_text_is_valid (const char *token)
{
  for (const char *p = token; *p; p++)
    {
      /* Tokens travel in URLs and headers: printable ASCII only. */
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
        return FALSE;
    }

  return TRUE;
}

/**
 * stok_token_parse_reply:
 * @body: the body of a 200 reply to GET /v3/token
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Checks the reply against the spec: a JSON object with a non-empty
 * printable string `token` and an integer `expires_in_seconds` within the
 * API's range. Anything else is %STOK_ERROR_MALFORMED_RESPONSE with a
 * message that says what was wrong.
 *
 * Returns: (transfer full): a new token, with no send time yet
 */
StokToken *
stok_token_parse_reply (const char  *body,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) json_error = NULL;
  JsonObject *object;
  JsonNode *token_node;
  JsonNode *expires_node;
  const char *token;
  gint64 expires_in;

  g_return_val_if_fail (body != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply was empty."));
      return NULL;
    }

  root = stok_json_parse (body, length, &json_error);
  if (root == NULL)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                   _("The reply was not JSON: %s"), json_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply was not a JSON object."));
      return NULL;
    }

  object = json_node_get_object (root);

  token_node = json_object_get_member (object, "token");
  if (token_node == NULL)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply has no “token”."));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_VALUE (token_node) ||
      json_node_get_value_type (token_node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply’s “token” is not a string."));
      return NULL;
    }

  token = json_node_get_string (token_node);
  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply’s “token” is empty."));
      return NULL;
    }

  if (strlen (token) > STOK_TOKEN_MAX_LENGTH)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                   _("The reply’s “token” is longer than %d characters."),
                   STOK_TOKEN_MAX_LENGTH);
      return NULL;
    }

  if (!token_text_is_valid (token))
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply’s “token” contains spaces or control characters."));
      return NULL;
    }

  expires_node = json_object_get_member (object, "expires_in_seconds");
  if (expires_node == NULL)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply has no “expires_in_seconds”."));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_VALUE (expires_node) ||
      json_node_get_value_type (expires_node) != G_TYPE_INT64)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("The reply’s “expires_in_seconds” is not a whole number."));
      return NULL;
    }

  expires_in = json_node_get_int (expires_node);
  if (expires_in < STOK_EXPIRES_IN_MIN || expires_in > STOK_EXPIRES_IN_MAX)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, expires_in);

      g_set_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                   _("The reply’s “expires_in_seconds” is %s, outside %d to %d."),
                   value, STOK_EXPIRES_IN_MIN, STOK_EXPIRES_IN_MAX);
      return NULL;
    }

  return stok_token_new (token, expires_in);
}

const char *
stok_token_get_token (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), NULL);

  return self->token;
}

gint64
stok_token_get_expires_in_seconds (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), 0);

  return self->expires_in_seconds;
}

/**
 * stok_token_get_max_session_seconds:
 * @self: a #StokToken
 *
 * Returns: the session cap the token was requested with, or the API's
 *   default when none was sent
 */
gint64
stok_token_get_max_session_seconds (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), 0);

  return self->max_session_seconds;
}

void
stok_token_set_max_session_seconds (StokToken *self,
                                    gint64     max_session_seconds)
{
  g_return_if_fail (STOK_IS_TOKEN (self));

  self->max_session_seconds = max_session_seconds > 0 ? max_session_seconds
                                                      : STOK_MAX_SESSION_DEFAULT;
}

const char *
stok_token_get_server (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), NULL);

  return self->server;
}

void
stok_token_set_server (StokToken  *self,
                       const char *server)
{
  g_return_if_fail (STOK_IS_TOKEN (self));

  if (g_strcmp0 (self->server, server) == 0)
    return;

  g_free (self->server);
  self->server = g_strdup (server);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER]);
}

gint64
stok_token_get_sent_at (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), 0);

  return self->sent_at_us;
}

/**
 * stok_token_get_sent_at_wall:
 * @self: a #StokToken
 *
 * Returns: (transfer none) (nullable): the local time the request was sent
 */
GDateTime *
stok_token_get_sent_at_wall (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), NULL);

  return self->sent_at_wall;
}

/**
 * stok_token_set_sent_at:
 * @self: a #StokToken
 * @sent_at_us: the #StokClock time at which the request was sent
 * @sent_at_wall: (nullable): the same moment in local time
 *
 * The redemption window is counted from when the request was *sent*, not
 * from when the reply arrived: the server started the window somewhere in
 * between, so this is the side that never promises time that is not there.
 */
void
stok_token_set_sent_at (StokToken *self,
                        gint64     sent_at_us,
                        GDateTime *sent_at_wall)
{
  g_return_if_fail (STOK_IS_TOKEN (self));

  self->sent_at_us = sent_at_us;
  g_clear_pointer (&self->sent_at_wall, g_date_time_unref);
  if (sent_at_wall != NULL)
    self->sent_at_wall = g_date_time_ref (sent_at_wall);
}

/* Replaces *@text by the token it holds, when it is a JSON object with a
 * "token" member, a URL with a token= parameter, or "Bearer TOKEN";
 * fails saying what it is when it is one of the first two without a
 * token in it. Anything else is left to be checked as a token. */
static gboolean
unwrap_pasted (char   **text,
               GError **error)
{
  char *token = NULL;

  if (**text == '{')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;
      JsonObject *object;
      JsonNode *member;

      if (json_parser_load_from_data (parser, *text, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
          (object = json_node_get_object (root)) != NULL &&
          (member = json_object_get_member (object, "token")) != NULL &&
          JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        token = g_strdup (json_node_get_string (member));

      if (token == NULL)
        {
          g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                               _("This is JSON with no “token” string in it: paste the token’s value."));
          return FALSE;
        }
    }
  else if (strstr (*text, "://") != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (*text, G_URI_FLAGS_ENCODED_QUERY, NULL);
      g_autoptr(GHashTable) params = NULL;
      const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;

      if (query != NULL)
        params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
      if (params != NULL && g_hash_table_lookup (params, "token") != NULL)
        token = g_strdup (g_hash_table_lookup (params, "token"));

      if (token == NULL)
        {
          g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                               _("This is an address with no token= in it: paste the token itself."));
          return FALSE;
        }
    }
  else if (g_ascii_strncasecmp (*text, "Bearer ", strlen ("Bearer ")) == 0)
    {
      token = g_strdup (*text + strlen ("Bearer "));
    }
  else
    {
      return TRUE;
    }

  g_free (*text);
  *text = g_strstrip (token);

  if (**text == '\0')
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("There is no token."));
      return FALSE;
    }

  return TRUE;
}

/**
 * stok_token_new_pasted:
 * @text: a token as pasted or read, spaces and line breaks around it
 *   ignored; or the token endpoint's JSON reply, a URL with a token=
 *   parameter (the WebSocket URL it opens), or "Bearer TOKEN"
 * @server: the base URL of the server it is for
 * @error: return location for a #GError
 *
 * A token minted elsewhere, by the user's own backend say: its
 * redemption window is not known.
 *
 * Returns: (transfer full): the token, or %NULL with
 *   %STOK_ERROR_INVALID_PARAMETER when @text cannot be a token
 */
StokToken *
stok_token_new_pasted (const char  *text,
                       const char  *server,
                       GError     **error)
{
  g_autofree char *trimmed = NULL;
  StokToken *self;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));

  /* Copied with the quotes of a JSON value or a shell line around it,
   * which no token has. */
  {
    gsize length = strlen (trimmed);

    if (length >= 2 && (trimmed[0] == '"' || trimmed[0] == '\'') && trimmed[length - 1] == trimmed[0])
      {
        trimmed[length - 1] = '\0';
        memmove (trimmed, trimmed + 1, length - 1);
        g_strstrip (trimmed);
      }
  }

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("There is no token."));
      return NULL;
    }

  /* What else a developer copies the token with: the token endpoint's
   * reply, the WebSocket URL it was used in, an Authorization header. */
  if (!unwrap_pasted (&trimmed, error))
    return NULL;

  if (strlen (trimmed) > STOK_TOKEN_MAX_LENGTH)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("The token is longer than %d bytes: that is not a token."),
                   STOK_TOKEN_MAX_LENGTH);
      return NULL;
    }

  for (const char *p = trimmed; *p; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || strchr ("\"'\\", *p) != NULL)
      {
        g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                             _("The token holds spaces or characters a token never has."));
        return NULL;
      }

  self = stok_token_new (trimmed, -1);
  stok_token_set_server (self, server);

  return self;
}

/**
 * stok_token_get_expiry_known:
 * @self: a #StokToken
 *
 * Returns: whether the redemption window is known: it is for a token
 *   minted here, not for one pasted from elsewhere
 */
gboolean
stok_token_get_expiry_known (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), FALSE);

  return self->expires_in_seconds >= 0;
}

/**
 * stok_token_get_deadline:
 * @self: a #StokToken
 *
 * Returns: the #StokClock time the redemption window closes, or
 *   %G_MAXINT64 when it is not known
 */
gint64
stok_token_get_deadline (StokToken *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), 0);

  if (!stok_token_get_expiry_known (self))
    return G_MAXINT64;

  return self->sent_at_us + self->expires_in_seconds * G_USEC_PER_SEC;
}

/**
 * stok_token_get_remaining:
 * @self: a #StokToken
 * @now_us: the current #StokClock time
 *
 * Returns: microseconds left in the redemption window, never negative;
 *   -1 when the window is not known
 */
gint64
stok_token_get_remaining (StokToken *self,
                          gint64     now_us)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), 0);

  if (!stok_token_get_expiry_known (self))
    return -1;

  return MAX (0, stok_token_get_deadline (self) - now_us);
}

StokTokenState
stok_token_get_state (StokToken *self,
                      gint64     now_us)
{
  g_return_val_if_fail (STOK_IS_TOKEN (self), STOK_TOKEN_STATE_EXPIRED);

  if (self->redeemed_state != STOK_TOKEN_STATE_REDEEMABLE)
    return self->redeemed_state;

  /* A token from elsewhere may have run out: only the server knows. */
  if (stok_token_get_remaining (self, now_us) == 0)
    return STOK_TOKEN_STATE_EXPIRED;

  return STOK_TOKEN_STATE_REDEEMABLE;
}

/**
 * stok_token_set_redeemed:
 * @self: a #StokToken
 * @accepted: whether the streaming service opened a session with it
 *
 * Records that the token was presented to the streaming service. Tokens
 * are single-use, so either way it cannot be redeemed again.
 */
void
stok_token_set_redeemed (StokToken *self,
                         gboolean   accepted)
{
  StokTokenState state;

  g_return_if_fail (STOK_IS_TOKEN (self));

  state = accepted ? STOK_TOKEN_STATE_REDEEMED : STOK_TOKEN_STATE_REJECTED;
  if (self->redeemed_state == state)
    return;

  self->redeemed_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDEEMED_STATE]);
}

/**
 * stok_token_to_json:
 * @self: a #StokToken
 * @now_us: the current #StokClock time
 *
 * Returns: (transfer full): one JSON object with the token, its redemption
 *   window and session cap, the server and the local time the window ends
 */
char *
stok_token_to_json (StokToken *self,
                    gint64     now_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (STOK_IS_TOKEN (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, self->token);
  json_builder_set_member_name (builder, "expires_in_seconds");
  json_builder_add_int_value (builder, self->expires_in_seconds);
  json_builder_set_member_name (builder, "max_session_duration_seconds");
  json_builder_add_int_value (builder, self->max_session_seconds);
  if (self->server != NULL)
    {
      json_builder_set_member_name (builder, "server");
      json_builder_add_string_value (builder, self->server);
    }
  if (self->sent_at_wall != NULL)
    {
      g_autoptr(GDateTime) expires_at = NULL;
      g_autofree char *expires_at_text = NULL;

      /* Whole seconds: the server counts in them. */
      expires_at = g_date_time_add (self->sent_at_wall,
                                    self->expires_in_seconds * G_USEC_PER_SEC -
                                    g_date_time_get_microsecond (self->sent_at_wall));
      expires_at_text = g_date_time_format_iso8601 (expires_at);
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_string_value (builder, expires_at_text);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * stok_format_seconds:
 * @seconds: seconds a server counted
 *
 * Seconds as precise as the server gave them, to the hundredth: it
 * counts a session in whole seconds, and "1.0 s of session" beside
 * "1.7 s of audio" claimed a tenth it does not have.
 *
 * Returns: (transfer full): "7", "7.8" or "7.85", without a unit
 */
char *
stok_format_seconds (double seconds)
{
  gint64 hundredths;

  /* Within what a gint64 of hundredths holds, whatever the server sent. */
  seconds = isnan (seconds) ? 0 : CLAMP (seconds, 0, STOK_SECONDS_MAX);
  hundredths = (gint64) (seconds * 100 + 0.5);
  if (hundredths % 100 == 0)
    return g_strdup_printf ("%.0f", seconds);
  if (hundredths % 10 == 0)
    return g_strdup_printf ("%.1f", seconds);
  return g_strdup_printf ("%.2f", seconds);
}

/**
 * stok_round_ms:
 * @us: a duration in microseconds, not negative
 *
 * One rounding for every latency shown, so that a turn's "549 ms" and
 * the median of that one turn read the same.
 *
 * Returns: @us in whole milliseconds, to the nearest
 */
int
stok_round_ms (gint64 us)
{
  return (int) ((CLAMP (us, 0, (gint64) G_MAXINT * 1000) + 500) / 1000);
}

/**
 * stok_format_duration:
 * @seconds: a duration
 *
 * Returns: (transfer full): @seconds in human terms: "45 s", "10 min",
 *   "1 min 30 s", "3 h", "2 h 30 min"
 */
char *
stok_format_duration (gint64 seconds)
{
  int h = (int) (CLAMP (seconds, 0, G_MAXINT) / 3600);
  int m = (int) ((CLAMP (seconds, 0, G_MAXINT) % 3600) / 60);
  int s = (int) (CLAMP (seconds, 0, G_MAXINT) % 60);

  if (h == 0 && m == 0)
    /* Translators: a duration in seconds, abbreviated */
    return g_strdup_printf (C_("duration", "%d s"), s);
  if (h == 0 && s == 0)
    /* Translators: a duration in minutes, abbreviated */
    return g_strdup_printf (C_("duration", "%d min"), m);
  if (h == 0)
    /* Translators: a duration in minutes and seconds, abbreviated */
    return g_strdup_printf (C_("duration", "%d min %d s"), m, s);
  if (m == 0 && s == 0)
    /* Translators: a duration in hours, abbreviated */
    return g_strdup_printf (C_("duration", "%d h"), h);
  if (s == 0)
    /* Translators: a duration in hours and minutes, abbreviated */
    return g_strdup_printf (C_("duration", "%d h %d min"), h, m);

  /* Translators: a duration in hours, minutes and seconds, abbreviated */
  return g_strdup_printf (C_("duration", "%d h %d min %d s"), h, m, s);
}

/**
 * stok_format_countdown:
 * @remaining_us: time left
 *
 * Rounds up, as countdowns do: 59.2 s left reads "1:00", and "0:00" only
 * once nothing is left.
 *
 * Returns: (transfer full): @remaining_us as m:ss, or as h:mm:ss from an
 *   hour on
 */
char *
stok_format_countdown (gint64 remaining_us)
{
  gint64 seconds;

  remaining_us = MAX (0, remaining_us);
  seconds = (remaining_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                            seconds / 3600, seconds / 60 % 60, seconds % 60);

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          seconds / 60, seconds % 60);
}

/**
 * stok_countdown_until_change:
 * @remaining_us: time left, more than nothing
 *
 * What stok_format_countdown() shows changes at every whole second left,
 * the last time when nothing is left.
 *
 * Returns: microseconds until the countdown shown for @remaining_us
 *   changes, at most a second
 */
gint64
stok_countdown_until_change (gint64 remaining_us)
{
  g_return_val_if_fail (remaining_us > 0, 0);

  return remaining_us - ((remaining_us - 1) / G_USEC_PER_SEC) * G_USEC_PER_SEC;
}

/**
 * stok_format_date_time:
 * @time: a date and time
 *
 * Writes @time so that no reader can misread it, the month as a word:
 * "2 Dec, 18:49:02", where "12/02/26" is the 12th of February to some and
 * the 2nd of December to others.
 *
 * Returns: (transfer full): @time in words, in its own time zone
 */
char *
stok_format_date_time (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, NULL);

  /* Translators: a date and a time of day, in g_date_time_format()'s
   * terms: keep the month a word (%b), so that 12/02 is never taken for
   * 2 Dec or the other way round */
  return g_date_time_format (time, _("%-d %b, %X"));
}
