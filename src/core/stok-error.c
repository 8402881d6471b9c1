/* stok-error.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "stok-error.h"

G_DEFINE_QUARK (stok-error-quark, stok_error)

/**
 * stok_error_get_title:
 * @error: a #GError
 *
 * Returns: (transfer none): a short heading for @error, in words a person
 *   understands, for the window's error banner.
 */
const char *
stok_error_get_title (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != STOK_ERROR)
    return _("Something went wrong");

  switch ((StokErrorCode) error->code)
    {
    case STOK_ERROR_INVALID_PARAMETER:
      return _("A value is out of range");
    case STOK_ERROR_INVALID_URL:
      return _("The server address is not valid");
    case STOK_ERROR_INSECURE_URL:
      return _("The server address is not secure");
    case STOK_ERROR_NO_KEY:
      return _("No API key");
    case STOK_ERROR_INVALID_KEY:
      return _("The API key is not valid");
    case STOK_ERROR_BAD_REQUEST:
      return _("The server did not accept the parameters");
    case STOK_ERROR_UNAUTHORIZED:
      return _("The API key was rejected");
    case STOK_ERROR_FORBIDDEN:
      return _("The account may not create streaming tokens");
    case STOK_ERROR_NOT_FOUND:
      return _("The server has no token endpoint");
    case STOK_ERROR_RATE_LIMITED:
      return _("Too many requests");
    case STOK_ERROR_SERVER:
      return _("The server had a problem");
    case STOK_ERROR_HTTP:
      return _("The server gave an unexpected answer");
    case STOK_ERROR_REDIRECTED:
      return _("The server redirected the request");
    case STOK_ERROR_CONNECTION:
      return _("Could not connect to the server");
    case STOK_ERROR_HOST_NOT_FOUND:
      return _("The server’s name could not be found");
    case STOK_ERROR_TLS:
      return _("The secure connection failed");
    case STOK_ERROR_TIMEOUT:
      return _("The server did not answer in time");
    case STOK_ERROR_MALFORMED_RESPONSE:
      return _("The server’s reply could not be understood");
    case STOK_ERROR_RESPONSE_TOO_LARGE:
      return _("The server’s reply was too large");
    case STOK_ERROR_KEYRING_UNAVAILABLE:
      return _("The keyring is not available");
    case STOK_ERROR_KEYRING_FAILED:
      return _("The keyring refused the request");
    case STOK_ERROR_TOKEN_REFUSED:
      return _("The streaming service refused the token");
    case STOK_ERROR_CONNECTION_LOST:
      return _("The connection broke during the reply");
    case STOK_ERROR_SESSION_FAILED:
      return _("The streaming session failed");
    case STOK_ERROR_SOURCE_UNREADABLE:
      return _("The audio file cannot be read");
    case STOK_ERROR_SOURCE_NOT_AUDIO:
      return _("The file is not audio");
    case STOK_ERROR_SOURCE_SILENT:
      return _("The audio is silent");
    case STOK_ERROR_SOURCE_RATE:
      return _("The sample rate is above the audio’s own");
    case STOK_ERROR_NO_MICROPHONE:
      return _("No microphone");
    case STOK_ERROR_SOURCE_FAILED:
      return _("The audio stopped");
    case STOK_ERROR_AUDIO_UNAVAILABLE:
      return _("Audio support is missing");
    default:
      return _("Something went wrong");
    }
}

/**
 * stok_error_get_advice:
 * @error: a #GError
 *
 * Returns: (transfer none): what the user can do next about @error.
 */
const char *
stok_error_get_advice (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != STOK_ERROR)
    return _("Try again. If it keeps happening, the details below may help.");

  switch ((StokErrorCode) error->code)
    {
    case STOK_ERROR_INVALID_PARAMETER:
      return _("Choose a value inside the range shown and try again.");
    case STOK_ERROR_INVALID_URL:
      return _("Use an address such as https://streaming.assemblyai.com.");
    case STOK_ERROR_INSECURE_URL:
      return _("Use https, or plain http only for a server on this computer: the key would otherwise cross the network in clear.");
    case STOK_ERROR_NO_KEY:
    case STOK_ERROR_INVALID_KEY:
      return _("Paste your AssemblyAI API key from the dashboard.");
    case STOK_ERROR_BAD_REQUEST:
      return _("Check the durations against the ranges the API accepts.");
    case STOK_ERROR_UNAUTHORIZED:
      return _("Check that the key is complete and belongs to an active AssemblyAI account, then try again.");
    case STOK_ERROR_FORBIDDEN:
      return _("Check the account’s plan and billing in the AssemblyAI dashboard.");
    case STOK_ERROR_NOT_FOUND:
      return _("Check the server address: it should be the streaming host, not the REST API.");
    case STOK_ERROR_RATE_LIMITED:
      return _("Wait a moment before asking for another token.");
    case STOK_ERROR_SERVER:
      return _("This is on the server’s side. Try again in a little while.");
    case STOK_ERROR_HTTP:
      return _("A proxy or gateway may be in the way. The details below show what came back.");
    case STOK_ERROR_REDIRECTED:
      return _("Redirects are not followed, so that the key is never sent elsewhere. Use the final address directly.");
    case STOK_ERROR_CONNECTION:
      return _("Check the network connection and the server address.");
    case STOK_ERROR_HOST_NOT_FOUND:
      return _("Check the server address and that this computer is online.");
    case STOK_ERROR_TLS:
      return _("The server’s certificate could not be trusted. Check the address, or the proxy between you and the server.");
    case STOK_ERROR_TIMEOUT:
      return _("Check the network connection, then try again.");
    case STOK_ERROR_MALFORMED_RESPONSE:
    case STOK_ERROR_RESPONSE_TOO_LARGE:
      return _("Something between you and AssemblyAI may have answered instead. The details below show what came back.");
    case STOK_ERROR_KEYRING_UNAVAILABLE:
      return _("The key works until the app quits but is not saved. Start a keyring such as GNOME Keyring to keep it.");
    case STOK_ERROR_KEYRING_FAILED:
      return _("The key works until the app quits but is not saved. Unlock the login keyring and try again.");
    case STOK_ERROR_TOKEN_REFUSED:
      return _("A token can be redeemed only once and only within its redemption window. Generate a new one.");
    case STOK_ERROR_CONNECTION_LOST:
      return _("The server, or something between you and it, cut the reply short. Try again; if it keeps happening, check the network connection or the proxy.");
    case STOK_ERROR_SESSION_FAILED:
      return _("The token did open a session. The details below show what the server sent last; start again with a new token.");
    case STOK_ERROR_SOURCE_UNREADABLE:
      return _("Check that the file exists and that you may read it. No token was used.");
    case STOK_ERROR_SOURCE_NOT_AUDIO:
      return _("Choose a sound file in a format GStreamer reads, such as WAV, FLAC, Ogg, MP3 or Opus. No token was used.");
    case STOK_ERROR_SOURCE_SILENT:
      return _("A session with it would transcribe nothing. Check the recording, or choose another file. No token was used.");
    case STOK_ERROR_SOURCE_RATE:
      return _("Choose a sample rate at or below the audio’s own: converting it up adds no sound that the server could hear.");
    case STOK_ERROR_NO_MICROPHONE:
      return _("Connect a microphone, and check that the sound server (PipeWire or PulseAudio) is running and that the app may use it.");
    case STOK_ERROR_SOURCE_FAILED:
      return _("The microphone may have been unplugged, or the file is damaged. Start the session again.");
    case STOK_ERROR_AUDIO_UNAVAILABLE:
      return _("Install GStreamer with its base and good plugins (on Debian and Ubuntu: gstreamer1.0-plugins-base and gstreamer1.0-plugins-good); some formats need its bad or ugly plugins too.");
    default:
      return _("Try again. If it keeps happening, the details below may help.");
    }
}

/**
 * stok_error_blames_key:
 * @error: a #GError
 *
 * Whether @error says the API key is what went wrong: missing, not
 * sendable, or rejected. Another key may mend it; no other change will.
 * Not a 403: a proxy's "Forbidden by corporate policy" is one too, and
 * stays until the next request.
 *
 * Returns: %TRUE if @error is about the key
 */
gboolean
stok_error_blames_key (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return g_error_matches (error, STOK_ERROR, STOK_ERROR_NO_KEY) ||
         g_error_matches (error, STOK_ERROR, STOK_ERROR_INVALID_KEY) ||
         g_error_matches (error, STOK_ERROR, STOK_ERROR_UNAUTHORIZED);
}

/**
 * stok_error_new_from_transport:
 * @error: what GIO or libsoup reported
 * @peer: the server, as the user knows it
 * @timed_out: whether the app's own limit cut the call short
 *
 * One mapping of connection failures for every call the app makes: the
 * token request and the streaming WebSocket.
 *
 * Returns: (transfer full): @error in the app's terms; a cancellation
 *   stays a cancellation
 */
GError *
stok_error_new_from_transport (const GError *error,
                               const char   *peer,
                               gboolean      timed_out)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    /* Translators: %s is a server, such as
     * "https://streaming.assemblyai.com", or "the streaming server"
     * followed by one */
    return g_error_new (STOK_ERROR, STOK_ERROR_TIMEOUT,
                        _("No answer came from %s in time."), peer);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (STOK_ERROR, STOK_ERROR_TLS,
                        _("The secure connection to %s failed: %s"),
                        peer, error->message);

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    return g_error_new (STOK_ERROR, STOK_ERROR_HOST_NOT_FOUND,
                        _("The name of %s could not be resolved: %s"),
                        peer, error->message);

  return g_error_new (STOK_ERROR, STOK_ERROR_CONNECTION,
                      _("The connection to %s failed: %s"),
                      peer, error->message);
}
