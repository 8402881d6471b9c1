/* stok-fake-session-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokFakeSession spans five files: stok-fake-session.c is the object,
 * Begin, the session cap and what tests read of it;
 * stok-fake-session-wire.c the JSON it writes and the messages and audio
 * that come and go; stok-fake-session-rules.c its parameters and the
 * rules table; stok-fake-session-turns.c voice detection and turns;
 * stok-fake-session-faults.c the faults a test asks for. This is what
 * they share. */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "stok-fake-session.h"

G_BEGIN_DECLS

#define STOK_FAKE_CLOSE_INVALID_MESSAGE 3006
#define STOK_FAKE_CLOSE_AUDIO_VIOLATION 3007
#define STOK_FAKE_CLOSE_SESSION_EXPIRED 3008

/* The numbers the rules in stok-fake-session-rules.c state, in one
 * place. */
#define STOK_FAKE_DEFAULT_SPEECH_MODEL   "universal-3-6-pro"
#define STOK_FAKE_SAMPLE_RATE_MIN        8000
#define STOK_FAKE_SAMPLE_RATE_MAX        48000
#define STOK_FAKE_SILENCE_MAX_MS         10000
#define STOK_FAKE_FRAME_MIN_MS           50
#define STOK_FAKE_FRAME_MAX_MS           1000
#define STOK_FAKE_PACE_AHEAD_MAX_MS      1000
#define STOK_FAKE_VOICE_WINDOW_MS        10
#define STOK_FAKE_VOICE_THRESHOLD_DBFS   (-45.0)
#define STOK_FAKE_WORD_GAP_MS            100
#define STOK_FAKE_WORD_MAX_MS            400
#define STOK_FAKE_PARTIAL_EVERY_MS       300
#define STOK_FAKE_WORD_CONFIDENCE        0.92
#define STOK_FAKE_LOW_WORD_CONFIDENCE    0.45
#define STOK_FAKE_LOW_CONFIDENCE_EVERY   5
#define STOK_FAKE_HUGE_TEXT_DEFAULT      (2 * 1024 * 1024)
/* What a session keeps for tests, so that a long session of the offline
 * demo does not grow without end: three hours of 50 ms frames. */
#define STOK_FAKE_KEEP_MAX_FRAMES        216000
#define STOK_FAKE_KEEP_MAX_MESSAGES      20000
#define STOK_FAKE_FLOOD_BATCH            64
#define STOK_FAKE_FLOOD_MAX_WORDS        24
/* A flood at a fixed rate sends what is due this often. */
#define STOK_FAKE_FLOOD_TICK_MS          10

typedef enum
{
  STOK_FAKE_ENCODING_PCM_S16LE,
  STOK_FAKE_ENCODING_PCM_MULAW,
} StokFakeEncoding;

typedef struct
{
  gint64 start_ms;
  gint64 end_ms;
  guint number;      /* across the session: picks its text and confidence */
} StokFakeWord;

struct _StokFakeSession
{
  GObject parent_instance;

  SoupWebsocketConnection *connection;
  StokClock *clock;
  char *id;

  /* The effective parameters, as text, for Begin and for tests. */
  GHashTable *parameters;
  char *speech_model;
  guint sample_rate;
  StokFakeEncoding encoding;
  gboolean format_turns;
  double threshold;
  gint64 min_silence_ms;
  gint64 max_silence_ms;
  JsonNode *keyterms;

  StokFakeFaultSpec fault;
  char *fault_reason;
  gint64 max_session_seconds;

  /* What came and went, for tests. */
  GPtrArray *frames;
  GPtrArray *received;
  GPtrArray *sent;
  GHashTable *n_sent_by_type;
  guint n_final_turns;

  guint begin_source_id;
  guint termination_source_id;
  guint termination_delay_ms;
  guint fault_source_id;
  /* A whole frame libsoup will not send, waiting to be written past it. */
  GBytes *raw_frame;
  guint cap_source_id;
  guint flood_source_id;
  gulong clock_changed_id;
  gint64 begin_clock_us;
  gint64 begin_sent_us;
  guint n_frames_since_begin;
  gboolean began;
  gboolean ending;          /* an Error, a close or Termination is on its way */
  gboolean finished;

  /* The audio received, and how far voice detection has read it. */
  gint64 n_bytes;
  guint8 odd_byte;
  gboolean has_odd_byte;
  guint window_length;
  guint window_fill;
  double window_energy;
  gint64 n_windowed_samples;
  double voiced_energy;

  /* The turn in progress. */
  GArray *words;
  gboolean in_turn;
  gboolean word_open;
  gint64 word_start_ms;
  gint64 voiced_end_ms;
  gint64 voiced_since_partial_ms;
  guint turn_order;
  guint n_words;

  /* A flood's progress. */
  guint flood_turn;
  guint flood_partials_in_turn;
  guint flood_turn_words;
  /* At a fixed rate: when it began, and the messages sent since. */
  gint64 flood_started_us;
  guint64 flood_sent;
};

void     _stok_fake_session_stop_timers            (StokFakeSession         *self);
void     _stok_fake_session_finish                 (StokFakeSession         *self,
                                                    gushort                  code,
                                                    const char              *reason);
gboolean _stok_fake_session_connection_is_open     (StokFakeSession         *self);
gint64   _stok_fake_session_audio_us               (StokFakeSession         *self);
void     _stok_fake_session_emit_message_sent      (StokFakeSession         *self,
                                                    StokFakeMessage         *message);
void     _stok_fake_session_emit_message_received  (StokFakeSession         *self,
                                                    StokFakeMessage         *message);

/* stok-fake-session-wire.c */
void     _stok_fake_session_append_string          (GString                 *out,
                                                    const char              *text);
char    *_stok_fake_session_dup_fraction           (double                   value);
void     _stok_fake_session_append_fraction        (GString                 *out,
                                                    double                   value);
void     _stok_fake_session_message_free           (gpointer                 data);
void     _stok_fake_session_send                   (StokFakeSession         *self,
                                                    const char              *type,
                                                    const char              *text,
                                                    gboolean                 keep);
void     _stok_fake_session_send_error             (StokFakeSession         *self,
                                                    gushort                  code,
                                                    const char              *text);
void     _stok_fake_session_fail                   (StokFakeSession         *self,
                                                    gushort                  code,
                                                    const char              *text);
void     _stok_fake_session_message_cb             (SoupWebsocketConnection *connection,
                                                    int                      type,
                                                    GBytes                  *message,
                                                    StokFakeSession         *self);
void     _stok_fake_session_closed_cb              (SoupWebsocketConnection *connection,
                                                    StokFakeSession         *self);

/* stok-fake-session-rules.c */
void     _stok_fake_session_update_configuration   (StokFakeSession         *self,
                                                    JsonObject              *object);

/* stok-fake-session-turns.c */
char    *_stok_fake_session_build_turn             (guint                    turn_order,
                                                    const StokFakeWord      *words,
                                                    guint                    n_words,
                                                    gboolean                 end_of_turn,
                                                    gboolean                 formatted,
                                                    double                   confidence);
void     _stok_fake_session_end_turn               (StokFakeSession         *self,
                                                    gint64                   position_ms);
void     _stok_fake_session_terminate              (StokFakeSession         *self);
void     _stok_fake_session_listen                 (StokFakeSession         *self,
                                                    const guint8            *data,
                                                    gsize                    length);

/* stok-fake-session-faults.c */
void     _stok_fake_session_fire_fault             (StokFakeSession         *self);
void     _stok_fake_session_send_broken_text       (StokFakeSession         *self);
void     _stok_fake_session_send_raw_close         (StokFakeSession         *self,
                                                    gushort                  code,
                                                    const char              *reason);
gboolean _stok_fake_session_fault_cb               (gpointer                 user_data);

G_END_DECLS
