/* stok-verification.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "stok-session-message.h"

G_BEGIN_DECLS

#define STOK_TYPE_VERIFICATION (stok_verification_get_type())

G_DECLARE_FINAL_TYPE (StokVerification, stok_verification, STOK, VERIFICATION, GObject)

StokVerification *stok_verification_new                 (const char        *uri);
const char       *stok_verification_get_uri             (StokVerification  *self);
void              stok_verification_add_message         (StokVerification  *self,
                                                         StokDirection      direction,
                                                         gint64             offset_us,
                                                         const char        *text);
void              stok_verification_handle_server_text  (StokVerification  *self,
                                                         const char        *text,
                                                         gsize              length);
gboolean          stok_verification_get_accepted        (StokVerification  *self);
const char       *stok_verification_get_session_id      (StokVerification  *self);
gint64            stok_verification_get_expires_at      (StokVerification  *self);
gboolean          stok_verification_get_terminated      (StokVerification  *self);
double            stok_verification_get_audio_duration  (StokVerification  *self);
double            stok_verification_get_session_duration (StokVerification *self);
const char       *stok_verification_get_error_message   (StokVerification  *self);
gint64            stok_verification_get_error_code      (StokVerification  *self);
void              stok_verification_set_closed          (StokVerification  *self,
                                                         gushort            code,
                                                         const char        *reason);
gushort           stok_verification_get_close_code      (StokVerification  *self);
const char       *stok_verification_get_close_reason    (StokVerification  *self);
void              stok_verification_set_http_status     (StokVerification  *self,
                                                         guint              status);
guint             stok_verification_get_http_status     (StokVerification  *self);
char             *stok_verification_dup_transcript      (StokVerification  *self);
char             *stok_verification_dup_refusal         (StokVerification  *self);
char             *stok_verification_to_json             (StokVerification  *self);
const char       *stok_describe_close_code              (gushort            code);

G_END_DECLS
