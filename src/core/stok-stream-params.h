/* stok-stream-params.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define STOK_SPEECH_MODEL_DEFAULT   "universal-streaming-english"
#define STOK_SAMPLE_RATE_DEFAULT    16000
#define STOK_SAMPLE_RATE_MIN        8000
#define STOK_SAMPLE_RATE_MAX        48000
#define STOK_ENCODING_DEFAULT       "pcm_s16le"

typedef enum
{
  STOK_PARAM_TEXT,
  STOK_PARAM_INTEGER,
  STOK_PARAM_NUMBER,
  STOK_PARAM_BOOLEAN,
  STOK_PARAM_CHOICE,
  STOK_PARAM_TEXT_LIST,
} StokParamType;

typedef enum
{
  STOK_PARAM_FLAGS_NONE         = 0,
  /* Sent on every connection, with its default when not set. */
  STOK_PARAM_FLAGS_ALWAYS_SENT  = 1 << 0,
  /* Can be changed mid-session with UpdateConfiguration. */
  STOK_PARAM_FLAGS_UPDATABLE    = 1 << 1,
  /* A choice whose list is only what is known today: any value passes. */
  STOK_PARAM_FLAGS_OPEN_CHOICE  = 1 << 2,
  /* Turn detection, grouped so in the window. */
  STOK_PARAM_FLAGS_TURN         = 1 << 3,
} StokParamFlags;

typedef struct
{
  const char          *name;
  StokParamType        type;
  StokParamFlags       flags;
  double               min;
  double               max;
  /* As sent on the wire; %NULL when the server's own default applies. */
  const char          *default_value;
  const char * const  *choices;
  /* One line for people, marked for translation, to be translated. */
  const char          *help;
} StokParamInfo;

const StokParamInfo *stok_stream_params_get_known   (guint              *n_known);
const StokParamInfo *stok_stream_params_lookup      (const char         *name);
const char * const  *stok_stream_params_get_speech_models (void);

#define STOK_TYPE_STREAM_PARAMS (stok_stream_params_get_type())

G_DECLARE_FINAL_TYPE (StokStreamParams, stok_stream_params, STOK, STREAM_PARAMS, GObject)

StokStreamParams *stok_stream_params_new            (void);
StokStreamParams *stok_stream_params_copy           (StokStreamParams   *self);
gboolean          stok_stream_params_set            (StokStreamParams   *self,
                                                     const char         *name,
                                                     const char         *value,
                                                     GError            **error);
gboolean          stok_stream_params_check_turn_silence (StokStreamParams *self,
                                                         GError          **error);
void              stok_stream_params_claim          (StokStreamParams   *self,
                                                     const char         *name,
                                                     const char         *reason);
gboolean          stok_stream_params_set_assignment (StokStreamParams   *self,
                                                     const char         *assignment,
                                                     GError            **error);
void              stok_stream_params_unset          (StokStreamParams   *self,
                                                     const char         *name);
const char       *stok_stream_params_get            (StokStreamParams   *self,
                                                     const char         *name);
gboolean          stok_stream_params_is_set         (StokStreamParams   *self,
                                                     const char         *name);
char            **stok_stream_params_dup_names      (StokStreamParams   *self);
guint             stok_stream_params_get_sample_rate (StokStreamParams  *self);
const char       *stok_stream_params_get_encoding   (StokStreamParams   *self);
char             *stok_stream_params_build_uri      (StokStreamParams   *self,
                                                     GUri               *server,
                                                     const char         *token);
char             *stok_stream_params_build_update   (StokStreamParams   *self,
                                                     GError            **error);
JsonNode         *stok_stream_params_to_json        (StokStreamParams   *self);

G_END_DECLS
