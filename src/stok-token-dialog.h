/* stok-token-dialog.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-token.h"

G_BEGIN_DECLS

#define STOK_TYPE_TOKEN_DIALOG (stok_token_dialog_get_type())

G_DECLARE_FINAL_TYPE (StokTokenDialog, stok_token_dialog, STOK, TOKEN_DIALOG, AdwMessageDialog)

GtkWidget  *stok_token_dialog_new        (GtkWindow       *parent,
                                          const char      *server);
const char *stok_token_dialog_get_server (StokTokenDialog *self);
StokToken  *stok_token_dialog_get_token  (StokTokenDialog *self);

G_END_DECLS
