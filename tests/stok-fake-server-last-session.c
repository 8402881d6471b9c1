/* stok-fake-server-last-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the last streaming session received and sent, as tests read it:
 * the session keeps it, the server hands it on. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include "stok-fake-server-private.h"

/**
 * stok_fake_server_get_session_parameter:
 * @self: a #StokFakeServer
 * @name: a parameter such as `speech_model` or `max_turn_silence`
 *
 * The last session's parameters as it took them: defaults filled in,
 * numbers in their plain form, `keyterms_prompt` as JSON text, and
 * changed by UpdateConfiguration.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL if there was
 *   no session, it was refused, or it has no such parameter
 */
const char *
stok_fake_server_get_session_parameter (StokFakeServer *self,
                                        const char     *name)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->last_session == NULL)
    return NULL;

  return stok_fake_session_get_parameter (self->last_session, name);
}

/**
 * stok_fake_server_get_begin_sent_us:
 * @self: a #StokFakeServer
 *
 * Returns: when the last session sent Begin, on g_get_monotonic_time()'s
 *   clock, or 0 if it did not
 */
gint64
stok_fake_server_get_begin_sent_us (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_begin_sent_us (self->last_session);
}

/**
 * stok_fake_server_get_n_audio_frames:
 * @self: a #StokFakeServer
 *
 * Returns: how many binary frames the last session received, checked or
 *   not
 */
guint
stok_fake_server_get_n_audio_frames (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_audio_frames (self->last_session)->len;
}

/**
 * stok_fake_server_get_audio_frame:
 * @self: a #StokFakeServer
 * @index: which frame of the last session, from 0
 *
 * For pacing tests: what arrived, when and how much audio it held, as
 * the server received it rather than as the client meant to send it.
 *
 * Returns: (transfer none): the frame, valid until the next session opens
 */
const StokFakeAudioFrame *
stok_fake_server_get_audio_frame (StokFakeServer *self,
                                  guint           index)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (index < stok_fake_server_get_n_audio_frames (self), NULL);

  return g_ptr_array_index (stok_fake_session_get_audio_frames (self->last_session), index);
}

/**
 * stok_fake_server_get_audio_received_us:
 * @self: a #StokFakeServer
 *
 * Returns: the audio the last session took after Begin, in microseconds
 *   at its rate and encoding: what Termination reports
 */
gint64
stok_fake_server_get_audio_received_us (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_audio_received_us (self->last_session);
}

/**
 * stok_fake_server_get_n_received:
 * @self: a #StokFakeServer
 *
 * Returns: how many text frames the last session received
 */
guint
stok_fake_server_get_n_received (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_received (self->last_session)->len;
}

/**
 * stok_fake_server_get_received:
 * @self: a #StokFakeServer
 * @index: which text frame of the last session, from 0
 *
 * Returns: (transfer none): the frame, valid until the next session opens
 */
const StokFakeMessage *
stok_fake_server_get_received (StokFakeServer *self,
                               guint           index)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (index < stok_fake_server_get_n_received (self), NULL);

  return g_ptr_array_index (stok_fake_session_get_received (self->last_session), index);
}

/**
 * stok_fake_server_get_n_sent:
 * @self: a #StokFakeServer
 *
 * Returns: how many text frames the last session sent and kept: all but
 *   a flood's
 */
guint
stok_fake_server_get_n_sent (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_sent (self->last_session)->len;
}

/**
 * stok_fake_server_get_sent:
 * @self: a #StokFakeServer
 * @index: which text frame of the last session, from 0
 *
 * Returns: (transfer none): the frame, valid until the next session opens
 */
const StokFakeMessage *
stok_fake_server_get_sent (StokFakeServer *self,
                           guint           index)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (index < stok_fake_server_get_n_sent (self), NULL);

  return g_ptr_array_index (stok_fake_session_get_sent (self->last_session), index);
}

/**
 * stok_fake_server_count_sent:
 * @self: a #StokFakeServer
 * @type: (nullable): a message type such as `Turn`, "" for frames that
 *   are not messages, or %NULL for all
 *
 * Counts a flood's messages too; a test can wait on it for "N turns
 * sent".
 *
 * Returns: how many text frames of @type the last session sent
 */
guint
stok_fake_server_count_sent (StokFakeServer *self,
                             const char     *type)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_count_sent (self->last_session, type);
}

/**
 * stok_fake_server_get_n_final_turns:
 * @self: a #StokFakeServer
 *
 * Returns: how many turns the last session ended (end_of_turn true),
 *   formatted copies not counted
 */
guint
stok_fake_server_get_n_final_turns (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_n_final_turns (self->last_session);
}
