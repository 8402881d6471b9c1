/* stok-test-session.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define STOK_TEST_KEYRING_PASSWORD "streaming-token-test"

/* A private D-Bus session bus with its own HOME and XDG directories, and
 * optionally a real, unlocked gnome-keyring-daemon on it. Stopping it
 * leaves the bus object to the end of the process: use one session a
 * process (a subprocess a test case, where cases need different buses). */
typedef struct
{
  char *tmp_dir;
  GTestDBus *bus;
  GSubprocess *daemon;
} StokTestSession;

void stok_test_session_start         (StokTestSession *session);
void stok_test_session_start_keyring (StokTestSession *session);
void stok_test_session_restart_keyring_locked (StokTestSession *session);
void stok_test_session_stop          (StokTestSession *session);

G_END_DECLS
