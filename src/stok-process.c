/* stok-process.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What both executables, the command line and the window, do first. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "stok-process.h"

static const char *
get_locale_dir (void)
{
#if DEVELOPMENT_BUILD
  /* Run from the build tree (`meson devenv`, ./run), the translations are
   * the ones built in _build/po, not the prefix's. Only development builds
   * listen: the environment cannot swap an installed app's strings. */
  const char *dir = g_getenv ("STOK_LOCALEDIR");

  if (dir != NULL && dir[0] != '\0')
    return dir;
#endif

  return LOCALEDIR;
}

/**
 * stok_process_init:
 *
 * Sets the locale and the translations up, and sends every log line to
 * stderr. Call it first in main(), before anything logs.
 */
void
stok_process_init (void)
{
  /* stdout carries only data, such as the token that
   * T=$(streaming-token --print-token) captures, yet GLib's writer prints
   * debug and info lines there under G_MESSAGES_DEBUG. Told to use stderr
   * for every level, it keeps all else it does (the G_MESSAGES_DEBUG
   * filter, the journal, colours), which a writer of our own would have
   * to redo; messages logged the old way by libraries reach it too. */
  g_log_writer_default_set_use_stderr (TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
