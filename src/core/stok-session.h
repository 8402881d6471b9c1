/* stok-session.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "stok-audio-source.h"
#include "stok-session-message.h"
#include "stok-stream-params.h"
#include "stok-token-client.h"
#include "stok-token.h"
#include "stok-turn.h"

G_BEGIN_DECLS

/* The waits a session bounds: for Begin after connecting, and for
 * Termination after Terminate. */
#define STOK_SESSION_BEGIN_TIMEOUT_MS       10000
#define STOK_SESSION_TERMINATION_TIMEOUT_MS 10000
/* How long a server that sent Error has to close. */
#define STOK_SESSION_ERROR_CLOSE_MS         1000
/* How long a server has to answer the app's close frame before the app
 * closes the socket: libsoup alone would wait 5 s, billed. */
#define STOK_SESSION_CLOSE_WAIT_MS          500
/* The largest message taken from a server: a Turn of a long monologue is
 * tens of KiB; past this, the app closes the connection and says so. */
#define STOK_SESSION_MAX_MESSAGE            (1024 * 1024)
/* Messages kept for the inspector; older ones are dropped and counted,
 * a quarter of them at a time: a list showing them moves all its rows
 * at each drop from its front, which a drop at every message would do
 * for every message. */
#define STOK_SESSION_MAX_MESSAGES           1000
#define STOK_SESSION_DROP_MESSAGES          (STOK_SESSION_MAX_MESSAGES / 4)

typedef enum
{
  STOK_SESSION_STATE_IDLE,
  STOK_SESSION_STATE_CONNECTING,
  STOK_SESSION_STATE_STREAMING,
  STOK_SESSION_STATE_ENDING,
  STOK_SESSION_STATE_ENDED,
} StokSessionState;

typedef enum
{
  STOK_SESSION_OUTCOME_NONE,
  /* Termination came. */
  STOK_SESSION_OUTCOME_COMPLETED,
  /* The server said no before Begin: an HTTP status or a close code. */
  STOK_SESSION_OUTCOME_REFUSED,
  /* Anything else that went wrong: an Error, a close or a drop after
   * Begin, no Begin or no Termination in time, a connection that failed. */
  STOK_SESSION_OUTCOME_FAILED,
  /* Stopped by the app before there was anything to end. */
  STOK_SESSION_OUTCOME_CANCELLED,
} StokSessionOutcome;

#define STOK_TYPE_SESSION_STATE (stok_session_state_get_type ())
GType stok_session_state_get_type (void);
#define STOK_TYPE_SESSION_OUTCOME (stok_session_outcome_get_type ())
GType stok_session_outcome_get_type (void);

/* Latencies in microseconds, -1 where there is none (yet). */
typedef struct
{
  gint64 connect_to_begin_us;
  gint64 first_audio_to_first_partial_us;
  gint64 end_of_audio_to_final_us;
  gint64 force_endpoint_to_final_us;
  gint64 terminate_to_termination_us;
  gint64 median_turn_latency_us;
  /* The final turns the server's own detection ended, whose latency is
   * known: the median's count. */
  guint n_timed_turns;
  gint64 audio_sent_us;
  guint64 audio_bytes_sent;
  guint n_frames_sent;
  /* From Termination, or -1. */
  double server_audio_seconds;
  double server_session_seconds;
} StokSessionFigures;

/**
 * StokSessionControl:
 * @sent_us: when the app sent it, in session time
 * @kind: "ForceEndpoint", "UpdateConfiguration" or "Terminate"
 *
 * A control message the app sent during a session.
 */
typedef struct
{
  gint64      sent_us;
  const char *kind;
} StokSessionControl;

#define STOK_TYPE_SESSION (stok_session_get_type())

G_DECLARE_FINAL_TYPE (StokSession, stok_session, STOK, SESSION, GObject)

StokSession        *stok_session_new                    (StokTokenClient    *client,
                                                         StokToken          *token,
                                                         StokStreamParams   *params);
StokToken          *stok_session_get_token              (StokSession        *self);
StokStreamParams   *stok_session_get_params             (StokSession        *self);
const char         *stok_session_get_uri                (StokSession        *self);
gboolean            stok_session_get_verify             (StokSession        *self);
void                stok_session_set_verify             (StokSession        *self,
                                                         gboolean            verify);
void                stok_session_set_timeouts           (StokSession        *self,
                                                         guint               begin_ms,
                                                         guint               termination_ms);
void                stok_session_run_async              (StokSession        *self,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean            stok_session_run_finish             (StokSession        *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);
StokAudioSource    *stok_session_get_source             (StokSession        *self);
void                stok_session_set_source             (StokSession        *self,
                                                         StokAudioSource    *source);
gboolean            stok_session_send_audio             (StokSession        *self,
                                                         GBytes             *frame,
                                                         double              level_db);
void                stok_session_end_audio              (StokSession        *self);
gboolean            stok_session_terminate              (StokSession        *self);
gboolean            stok_session_force_endpoint         (StokSession        *self);
gboolean            stok_session_update_configuration   (StokSession        *self,
                                                         StokStreamParams   *changes,
                                                         GError            **error);
gboolean            stok_session_keep_alive             (StokSession        *self);
void                stok_session_close                  (StokSession        *self,
                                                         guint               grace_ms);

StokSessionState    stok_session_get_state              (StokSession        *self);
StokSessionOutcome  stok_session_get_outcome            (StokSession        *self);
gboolean            stok_session_get_began              (StokSession        *self);
const char         *stok_session_get_session_id         (StokSession        *self);
gint64              stok_session_get_expires_at         (StokSession        *self);
gint64              stok_session_get_started_at         (StokSession        *self);
gint64              stok_session_get_elapsed            (StokSession        *self);
GListModel         *stok_session_get_messages           (StokSession        *self);
guint               stok_session_get_n_dropped_messages (StokSession        *self);
GListModel         *stok_session_get_turns              (StokSession        *self);
void                stok_session_get_figures            (StokSession        *self,
                                                         StokSessionFigures *figures);
const gint8        *stok_session_get_levels             (StokSession        *self,
                                                         guint              *n_levels,
                                                         gint64             *frame_us);
gint64              stok_session_get_audio_sent_at      (StokSession        *self,
                                                         gint64              audio_us);
const gint64       *stok_session_get_speech_started     (StokSession        *self,
                                                         guint              *n_events);
const StokSessionControl *stok_session_get_controls      (StokSession        *self,
                                                         guint              *n_controls);
guint               stok_session_get_http_status        (StokSession        *self);
gushort             stok_session_get_close_code         (StokSession        *self);
const char         *stok_session_get_close_reason       (StokSession        *self);
gint64              stok_session_get_error_code         (StokSession        *self);
const char         *stok_session_get_error_message      (StokSession        *self);
const GError       *stok_session_get_error              (StokSession        *self);
const GError       *stok_session_get_source_error       (StokSession        *self);
gboolean            stok_session_get_turn_open          (StokSession        *self);
gboolean            stok_session_has_transcript         (StokSession        *self);
char               *stok_session_dup_transcript         (StokSession        *self);

/* stok-session-ending.c: every ending explained */
const char         *stok_session_outcome_to_string      (StokSessionOutcome  outcome);
char               *stok_session_dup_ending_title       (StokSession        *self);
char               *stok_session_dup_ending             (StokSession        *self);
char               *stok_session_dup_advice             (StokSession        *self);
char               *stok_session_dup_figures_text       (StokSession        *self);
JsonNode           *stok_session_to_json                (StokSession        *self);

G_END_DECLS
