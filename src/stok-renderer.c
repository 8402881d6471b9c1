/* stok-renderer.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "stok-renderer.h"

/* Whether OpenGL can run on a GPU here: a DRM render node is how Mesa
 * reaches one. Without, it rasterizes on the CPU. */
static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "renderD"))
        return TRUE;
    }

  return FALSE;
}

/* GTK 4.8 draws with OpenGL whenever it can, even when OpenGL runs on
 * the CPU (llvmpipe): with no GPU, in a virtual machine. There a frame of
 * the window took 40-90 ms of both cores against 1-2 ms with cairo, so
 * that the countdown was drawn up to 110 ms late. Asking Mesa would mean
 * creating a GL context, 6-22 ms of start-up; the render node answers for
 * free. A renderer the user chose wins.
 *
 * GDK also sets OpenGL up when it opens the display, whatever the
 * renderer: with cairo, chosen here or by the user, that is wasted, 160 ms
 * and 60 MiB of Mesa here, which gl-disable avoids.
 *
 * Call it before anything starts a thread, since the environment may
 * not be changed once others could read it. */
void
stok_choose_renderer (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *gdk_debug = g_getenv ("GDK_DEBUG");
  g_autofree char *value = NULL;

  if (renderer == NULL && !has_render_node ())
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      renderer = "cairo";
    }

  if (g_strcmp0 (renderer, "cairo") != 0)
    return;

  value = gdk_debug != NULL ? g_strconcat (gdk_debug, ":gl-disable", NULL)
                            : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", value, TRUE);
}
