/* stok-error.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STOK_ERROR (stok_error_quark ())

/* Each code names what went wrong from the user's point of view, so that
 * the window and the command line can say what to do next. */
typedef enum
{
  STOK_ERROR_INVALID_PARAMETER,   /* a value outside the API's range */
  STOK_ERROR_INVALID_URL,         /* a server URL that cannot be used */
  STOK_ERROR_INSECURE_URL,        /* plain http to a host that is not loopback */
  STOK_ERROR_NO_KEY,              /* no API key to send */
  STOK_ERROR_INVALID_KEY,         /* a key that cannot be sent in a header */
  STOK_ERROR_BAD_REQUEST,         /* 400 */
  STOK_ERROR_UNAUTHORIZED,        /* 401 */
  STOK_ERROR_FORBIDDEN,           /* 403 */
  STOK_ERROR_NOT_FOUND,           /* 404 */
  STOK_ERROR_RATE_LIMITED,        /* 429 */
  STOK_ERROR_SERVER,              /* 5xx */
  STOK_ERROR_HTTP,                /* any other unexpected status */
  STOK_ERROR_REDIRECTED,          /* 3xx, never followed with the key */
  STOK_ERROR_CONNECTION,          /* refused, reset, unreachable */
  STOK_ERROR_HOST_NOT_FOUND,      /* DNS */
  STOK_ERROR_TLS,                 /* certificate or handshake */
  STOK_ERROR_TIMEOUT,
  STOK_ERROR_MALFORMED_RESPONSE,  /* a reply that is not what the spec says */
  STOK_ERROR_RESPONSE_TOO_LARGE,
  STOK_ERROR_KEYRING_UNAVAILABLE, /* no Secret Service, or it did not answer */
  STOK_ERROR_KEYRING_FAILED,      /* the Secret Service refused the operation */
  STOK_ERROR_TOKEN_REFUSED,       /* the streaming service refused the token */
  STOK_ERROR_CONNECTION_LOST,     /* connected, then cut off before the reply was complete */
  STOK_ERROR_SESSION_FAILED,      /* a streaming session that began, then ended without Termination */
  STOK_ERROR_SOURCE_UNREADABLE,   /* an audio file that is missing or cannot be read */
  STOK_ERROR_SOURCE_NOT_AUDIO,    /* a file with no audio that can be decoded */
  STOK_ERROR_SOURCE_SILENT,       /* audio that is silent from start to end */
  STOK_ERROR_SOURCE_RATE,         /* a sample rate above the audio's own */
  STOK_ERROR_NO_MICROPHONE,       /* no capture device, or no sound server */
  STOK_ERROR_SOURCE_FAILED,       /* the audio broke off while it was being sent */
  STOK_ERROR_AUDIO_UNAVAILABLE,   /* GStreamer, or one of its plugins, is missing */
} StokErrorCode;

GQuark       stok_error_quark        (void);
const char  *stok_error_get_title    (const GError *error);
const char  *stok_error_get_advice   (const GError *error);
gboolean     stok_error_blames_key   (const GError *error);
GError      *stok_error_new_from_transport (const GError *error,
                                            const char   *peer,
                                            gboolean      timed_out);

G_END_DECLS
