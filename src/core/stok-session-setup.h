/* stok-session-setup.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "stok-audio-source.h"
#include "stok-microphone.h"
#include "stok-stream-params.h"

G_BEGIN_DECLS

/* The turn detection settings, as the window shows them. */
typedef struct
{
  double threshold;
  int    min_silence_ms;
  int    max_silence_ms;
} StokTurnSettings;

#define STOK_TYPE_SESSION_SETUP (stok_session_setup_get_type())

G_DECLARE_FINAL_TYPE (StokSessionSetup, stok_session_setup, STOK, SESSION_SETUP, GObject)

StokSessionSetup   *stok_session_setup_new                (void);
StokAudioSourceKind stok_session_setup_get_source_kind    (StokSessionSetup       *self);
void                stok_session_setup_set_source_kind    (StokSessionSetup       *self,
                                                           StokAudioSourceKind     kind);
GFile              *stok_session_setup_get_file           (StokSessionSetup       *self);
void                stok_session_setup_set_file           (StokSessionSetup       *self,
                                                           GFile                  *file);
void                stok_session_setup_choose_file        (StokSessionSetup       *self,
                                                           GFile                  *file);
const char         *stok_session_setup_get_microphone     (StokSessionSetup       *self);
const char         *stok_session_setup_get_microphone_label (StokSessionSetup     *self);
void                stok_session_setup_choose_microphone  (StokSessionSetup       *self,
                                                           StokMicrophone         *microphone);
const char         *stok_session_setup_get_speech_model   (StokSessionSetup       *self);
void                stok_session_setup_set_speech_model   (StokSessionSetup       *self,
                                                           const char             *speech_model);
const char         *stok_session_setup_get_keyterms       (StokSessionSetup       *self);
void                stok_session_setup_set_keyterms       (StokSessionSetup       *self,
                                                           const char             *keyterms);
const char * const *stok_session_setup_get_extra_params   (StokSessionSetup       *self);
gboolean            stok_session_setup_add_extra_param    (StokSessionSetup       *self,
                                                           const char             *assignment,
                                                           GError                **error);
void                stok_session_setup_remove_extra_param (StokSessionSetup       *self,
                                                           guint                   position);
void                stok_session_setup_get_turn_settings  (StokSessionSetup       *self,
                                                           StokTurnSettings       *settings);
const char         *stok_session_setup_get_problem        (StokSessionSetup       *self);
gboolean            stok_session_setup_get_valid          (StokSessionSetup       *self);

StokStreamParams   *stok_session_setup_build_params       (StokSessionSetup       *self,
                                                           GError                **error);
StokAudioSource    *stok_session_setup_create_source      (StokSessionSetup       *self,
                                                           StokStreamParams       *params,
                                                           GError                **error);
StokStreamParams   *stok_session_setup_dup_turn_changes   (StokSessionSetup       *self,
                                                           const StokTurnSettings *applied);

G_END_DECLS
