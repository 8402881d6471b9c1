/* stok-session-setup-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The setup spans two files: stok-session-setup.c holds the values and
 * checks them as they are set, stok-session-setup-build.c makes a
 * session's parameters and source from them. This is what they share. */

#pragma once

#include "stok-session-setup.h"

G_BEGIN_DECLS

struct _StokSessionSetup
{
  GObject              parent_instance;

  StokAudioSourceKind  source_kind;
  GFile               *file;
  /* The capture device and its name for people; "" for the default. */
  char                *microphone;
  char                *microphone_label;
  char                *speech_model;
  char                *keyterms;
  GStrv                extra_params;
  StokTurnSettings     turn;
  int                  sample_rate;
  StokAudioEncoding    encoding;
  int                  frame_ms;
  gboolean             format_turns;

  /* What the table refused, for the field that holds it. */
  char                *speech_model_problem;
  char                *keyterms_problem;
  char                *extra_params_problem;
  char                *turn_problem;
  /* The first thing that keeps a session from starting, or NULL. */
  char                *problem;
};

double    _stok_session_setup_default_number   (const char       *name);
char     *_stok_session_setup_format_threshold (double            threshold);
gboolean  _stok_session_setup_same_threshold   (double            a,
                                                double            b);
char     *_stok_session_setup_dup_speech_model (StokSessionSetup *self);
void      _stok_session_setup_claim_fields     (StokStreamParams *params);

G_END_DECLS
