/* stok-session-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokSession spans two files: stok-session.c runs the session,
 * stok-session-ending.c explains how it ended. This is what they share. */

#pragma once

#include <libsoup/soup.h>

#include "stok-audio-source.h"
#include "stok-session.h"

G_BEGIN_DECLS

struct _StokSession
{
  GObject parent_instance;

  StokTokenClient *client;
  StokToken *token;
  StokStreamParams *params;
  char *uri;
  /* The server as the token names it, for messages: as the mint's. */
  char *server;

  SoupMessage *message;
  SoupWebsocketConnection *connection;
  /* The run, held from run_async() until the connection has closed. */
  GTask *task;
  GCancellable *cancellable;
  GCancellable *user_cancellable;
  gulong cancelled_id;
  guint begin_timeout_id;
  guint termination_timeout_id;
  guint grace_id;
  /* Once the app has sent its close, how long the server has to answer
   * before the socket is closed anyway. */
  guint close_wait_id;
  guint begin_timeout_ms;
  guint termination_timeout_ms;

  GListStore *messages;
  guint n_dropped;
  GListStore *turns;
  /* Final turns held back until their formatted copies come, in their
   * order: each is announced once it and those before it are. */
  GPtrArray *unannounced;
  GArray *turn_latencies;

  /* Per frame sent: when, and its level in dBFS. */
  GArray *frame_sent_us;
  GArray *levels;
  GArray *speech_started_ms;
  /* The control messages the app sent: StokSessionControl. */
  GArray *controls;
  gint64 frame_us;
  guint bytes_per_second;

  gint64 started_us;
  gint64 began_us;
  gint64 first_audio_us;
  gint64 first_partial_us;
  gint64 end_audio_us;
  gint64 end_audio_final_us;
  gint64 force_us;
  gint64 force_final_us;
  gint64 terminate_us;
  gint64 termination_us;
  gint64 audio_sent_us;
  guint64 audio_bytes;
  guint n_frames;

  char *session_id;
  gint64 expires_at;
  double server_audio_seconds;
  double server_session_seconds;
  guint http_status;
  char *http_reason;
  gushort close_code;
  char *close_reason;
  /* The close code libsoup sent when the server's frame broke the
   * protocol (1002) or was not UTF-8 text (1007): the app closed. */
  gushort broken_frame_code;
  /* A server's close whose code libsoup 3.2 rejects (1012 to 1014): it
   * answers 1002, and the server's echo of that would be read as its
   * close code. */
  gushort rejected_close_code;
  gint64 error_code;
  /* An Error came, with a code or without one. */
  gboolean error_received;
  char *error_message;
  GError *error;
  /* Why the audio broke off, if it did. */
  GError *source_error;

  /* The audio, started once Begin came, stopped at the end. */
  StokAudioSource *source;

  StokSessionState state;
  StokSessionOutcome outcome;

  guint verify : 1;
  guint began : 1;
  guint terminate_sent : 1;
  guint terminated : 1;
  guint close_received : 1;
  /* The app closed first: the close frame that came back is an echo. */
  guint close_sent : 1;
  /* The upgrade request went out, on a connection that opened; the
   * server took it. */
  guint request_sent : 1;
  guint upgraded : 1;
  guint begin_timed_out : 1;
  guint termination_timed_out : 1;
  guint too_big : 1;
  guint cancelled : 1;
  guint audio_ended : 1;
  guint format_turns : 1;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_OUTCOME,
  PROP_SESSION_ID,
  PROP_AUDIO_SENT,
  PROP_VERIFY,
  N_PROPS
};

enum
{
  MESSAGE,
  TURN_ENDED,
  FIGURES_CHANGED,
  N_SIGNALS
};

gint64   _stok_session_now                  (StokSession             *self);
void     _stok_session_set_state            (StokSession             *self,
                                             StokSessionState         state);
void     _stok_session_notify               (StokSession             *self,
                                             guint                    prop_id);
void     _stok_session_emit_turn_ended      (StokSession             *self,
                                             StokTurn                *turn);
void     _stok_session_emit_figures_changed (StokSession             *self);
void     _stok_session_record               (StokSession             *self,
                                             StokDirection            direction,
                                             const char              *kind,
                                             const char              *text,
                                             gsize                    size,
                                             JsonNode                *parsed);
gboolean _stok_session_refusal_judges_token (StokSession             *self);
gboolean _stok_session_get_terminated_cleanly (StokSession           *self,
                                               gboolean               asked);
void     _stok_session_record_event         (StokSession             *self,
                                             const char              *kind,
                                             const char              *text);
gboolean _stok_session_is_open              (StokSession             *self);
void     _stok_session_close_connection     (StokSession             *self);
void     _stok_session_finish               (StokSession             *self);

/* stok-session-stream.c */
void     _stok_session_handle_text          (StokSession             *self,
                                             const char              *data,
                                             gsize                    length);
void     _stok_session_message_cb           (SoupWebsocketConnection *connection,
                                             int                      type,
                                             GBytes                  *message,
                                             StokSession             *self);
void     _stok_session_announce_pending     (StokSession             *self);
void     _stok_session_user_cancelled_cb    (GCancellable            *cancellable,
                                             StokSession             *self);
void     _stok_session_start_source         (StokSession             *self);
void     _stok_session_stop_source          (StokSession             *self);

G_END_DECLS
