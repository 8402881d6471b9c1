/* stok-params.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "stok-error.h"
#include "stok-params.h"

gboolean
stok_params_check_expires_in (gint64   expires_in_seconds,
                              GError **error)
{
  if (expires_in_seconds < STOK_EXPIRES_IN_MIN ||
      expires_in_seconds > STOK_EXPIRES_IN_MAX)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, expires_in_seconds);

      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("The redemption window (expires_in_seconds) must be from %d to %d seconds, not %s."),
                   STOK_EXPIRES_IN_MIN, STOK_EXPIRES_IN_MAX, value);
      return FALSE;
    }

  return TRUE;
}

gboolean
stok_params_check_max_session (gint64   max_session_seconds,
                               GError **error)
{
  if (max_session_seconds < STOK_MAX_SESSION_MIN ||
      max_session_seconds > STOK_MAX_SESSION_MAX)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, max_session_seconds);

      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("The maximum session duration (max_session_duration_seconds) must be from %d to %d seconds, not %s."),
                   STOK_MAX_SESSION_MIN, STOK_MAX_SESSION_MAX, value);
      return FALSE;
    }

  return TRUE;
}

/**
 * stok_params_parse_seconds:
 * @text: a decimal integer, as typed on a command line
 * @out_value: (out): where to store it
 *
 * Strictly parses a whole number of seconds: no sign other than '-', no
 * trailing characters, no overflow. Range checks are left to the callers.
 *
 * Returns: %TRUE if @text was a whole number
 */
gboolean
stok_params_parse_seconds (const char *text,
                           gint64     *out_value)
{
  gint64 value;
  char *end = NULL;

  g_return_val_if_fail (out_value != NULL, FALSE);

  /* g_ascii_strtoll() skips leading white space, vertical tab included,
   * which g_ascii_isspace() does not count: only a digit or a minus may
   * start the number. */
  if (text == NULL || (*text != '-' && !g_ascii_isdigit (*text)))
    return FALSE;

  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0')
    return FALSE;

  *out_value = value;
  return TRUE;
}

static gboolean
host_is_valid (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  /* GUri lets spaces, tabs and line breaks through in a host, and turns
   * international names into their ASCII form: anything left outside
   * letters, digits, '-', '.' and '_' is not a name DNS can look up. */
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;

  return TRUE;
}

gboolean
stok_params_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* GUri keeps IPv6 literals without their brackets. */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * stok_params_parse_server:
 * @text: a base URL such as `https://streaming.assemblyai.com`
 * @error: return location for a #GError
 *
 * Accepts `https` to any host and plain `http` only to a loopback address,
 * since the API key would otherwise cross the network in clear. A path is
 * the base of the API's own, as a proxy may serve it under one; but the
 * API's own path, typed as if it were the server, is refused, and so are
 * a query, a fragment and user information, rather than silently
 * dropped, so that what the user typed is what is used.
 *
 * Returns: (transfer full): the server's base URI, or %NULL
 */
GUri *
stok_params_parse_server (const char  *text,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *lower_host = NULL;
  g_autofree char *base_path = NULL;
  gboolean https;
  int port;
  const char *scheme;
  const char *host;
  const char *path;

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                           _("The server address is empty."));
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                           _("The server address is not valid text."));
      return NULL;
    }

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                   _("“%s” is not a URL. Use an address such as %s."),
                   text, STOK_DEFAULT_SERVER);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                   _("“%s” is not an http or https address."), text);
      return NULL;
    }

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                   _("“%s” has no host name."), text);
      return NULL;
    }

  if (!host_is_valid (host))
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                   _("“%s” is not a valid host name."), host);
      return NULL;
    }

  /* No server listens there: the connection would fail, said as a
   * network error. */
  if (g_uri_get_port (uri) == 0)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                   _("“%s” names port 0, which no server listens on."), text);
      return NULL;
    }

  /* The base the API's paths go under, without its trailing slashes. */
  base_path = g_strdup (path);
  while (*base_path != '\0' && base_path[strlen (base_path) - 1] == '/')
    base_path[strlen (base_path) - 1] = '\0';

  if (g_str_has_suffix (base_path, "/v3") || g_str_has_suffix (base_path, "/v3/token") ||
      g_str_has_suffix (base_path, "/v3/ws"))
    {
      g_autoptr(GUri) base = NULL;
      g_autofree char *suggestion = NULL;

      *strrchr (base_path, '/') = '\0';
      if (g_str_has_suffix (base_path, "/v3"))
        *strrchr (base_path, '/') = '\0';
      base = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, g_uri_get_port (uri), base_path, NULL, NULL);
      suggestion = g_uri_to_string (base);
      /* Translators: what was typed, then the server to type instead,
       * such as https://streaming.assemblyai.com */
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                   _("“%s” names the API’s own path: give the server alone, such as %s."),
                   text, suggestion);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_URL,
                   _("“%s” must be a server address, without a query or user name."),
                   text);
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      !stok_params_is_loopback_host (host))
    {
      g_autoptr(GUri) secure = NULL;
      g_autofree char *suggestion = NULL;

      /* Suggest the same address, port included, over https. */
      secure = g_uri_build (G_URI_FLAGS_NONE, "https", NULL, host, g_uri_get_port (uri), "", NULL, NULL);
      suggestion = g_uri_to_string (secure);
      g_set_error (error, STOK_ERROR, STOK_ERROR_INSECURE_URL,
                   _("Plain http is allowed only to this computer (localhost, 127.0.0.0/8 or ::1), since the API key would cross the network in clear. Use %s instead."),
                   suggestion);
      return NULL;
    }

  /* Host names are not case-sensitive and a scheme's own port is no
   * port: one spelling, so that a server typed with capitals or with
   * :443 still compares equal, to the default one too. */
  lower_host = g_ascii_strdown (host, -1);
  https = g_ascii_strcasecmp (scheme, "https") == 0;
  port = g_uri_get_port (uri);
  if ((https && port == 443) || (!https && port == 80))
    port = -1;

  return g_uri_build (G_URI_FLAGS_NONE, https ? "https" : "http",
                      NULL, lower_host, port, base_path, NULL, NULL);
}

gboolean
stok_params_is_default_server (GUri *server)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (server != NULL, FALSE);

  text = stok_params_server_to_string (server);
  return g_strcmp0 (text, STOK_DEFAULT_SERVER) == 0;
}

/**
 * stok_params_server_to_string:
 * @server: a server URI from stok_params_parse_server()
 *
 * Returns: (transfer full): @server as the user would write it, without a
 *   trailing slash
 */
char *
stok_params_server_to_string (GUri *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  return g_uri_to_string_partial (server, G_URI_HIDE_PASSWORD);
}

/**
 * stok_params_build_token_uri:
 * @server: the server's base URI
 * @expires_in_seconds: the redemption window
 * @max_session_seconds: the session cap, or 0 to leave it to the server
 *
 * Returns: (transfer full): the URI of GET /v3/token with its query
 */
char *
stok_params_build_token_uri (GUri   *server,
                             gint64  expires_in_seconds,
                             gint64  max_session_seconds)
{
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (server != NULL, NULL);

  if (max_session_seconds > 0)
    query = g_strdup_printf ("expires_in_seconds=%" G_GINT64_FORMAT
                             "&max_session_duration_seconds=%" G_GINT64_FORMAT,
                             expires_in_seconds, max_session_seconds);
  else
    query = g_strdup_printf ("expires_in_seconds=%" G_GINT64_FORMAT,
                             expires_in_seconds);

  path = g_strconcat (g_uri_get_path (server), "/v3/token", NULL);
  uri = g_uri_build (G_URI_FLAGS_NONE,
                     g_uri_get_scheme (server), NULL,
                     g_uri_get_host (server), g_uri_get_port (server),
                     path, query, NULL);
  return g_uri_to_string (uri);
}

/**
 * stok_trim_api_key:
 * @text: (nullable): a key as typed or pasted
 *
 * Returns: (transfer full) (nullable): @text without the spaces and line
 *   breaks that pasting tends to bring along, or %NULL if nothing is left
 */
char *
stok_trim_api_key (const char *text)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return NULL;

  return g_steal_pointer (&copy);
}

/**
 * stok_params_server_for_region:
 * @region: a region's nick from the settings: `default`, `us`, `eu` or
 *   `custom`
 * @custom_server: (nullable): the custom server, for `custom`
 * @error: where to say why a custom server cannot be used
 *
 * A custom server is checked as stok_params_parse_server() checks one
 * given with --server, so that a bad one is reported where it was chosen,
 * rather than when a token is asked for, or silently replaced by the
 * real server.
 *
 * Returns: (transfer full) (nullable): the base URL the region names, or
 *   %NULL if it is the custom one and that cannot be used
 */
char *
stok_params_server_for_region (const char  *region,
                               const char  *custom_server,
                               GError     **error)
{
  g_autoptr(GUri) custom = NULL;
  g_autofree char *typed = NULL;

  if (g_strcmp0 (region, "us") == 0)
    return g_strdup (STOK_US_SERVER);
  if (g_strcmp0 (region, "eu") == 0)
    return g_strdup (STOK_EU_SERVER);
  if (g_strcmp0 (region, "custom") != 0)
    return g_strdup (STOK_DEFAULT_SERVER);

  /* As typed in an entry, spaces around included. */
  typed = g_strstrip (g_strdup (custom_server != NULL ? custom_server : ""));
  custom = stok_params_parse_server (typed, error);
  if (custom == NULL)
    return NULL;

  return stok_params_server_to_string (custom);
}
