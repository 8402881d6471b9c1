/* stok-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stok-resources.h"
#include "stok-window.h"

struct _StokWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (StokWindow, stok_window, ADW_TYPE_APPLICATION_WINDOW)

static void
stok_window_class_init (StokWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* Registered here rather than by a constructor, which a static library
   * would let the linker drop. */
  stok_register_resource ();

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-window.ui");
}

static void
stok_window_init (StokWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

StokWindow *
stok_window_new (StokApplication *application)
{
  return g_object_new (STOK_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
