/* stok-preferences-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stok-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-params.h"
#include "stok-preferences-window.h"

struct _StokPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *custom_row;

  GSettings            *settings;
  char                 *server_override;
};

G_DEFINE_FINAL_TYPE (StokPreferencesWindow, stok_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/**
 * stok_settings_dup_server:
 * @settings: the application's #GSettings
 *
 * Returns: (transfer full): the server the region setting names; see
 *   stok_params_server_for_region()
 */
char *
stok_settings_dup_server (GSettings *settings)
{
  g_autofree char *region = g_settings_get_string (settings, "region");
  g_autofree char *custom = g_settings_get_string (settings, "custom-server");

  return stok_params_server_for_region (region, custom);
}

static void
custom_row_apply_cb (StokPreferencesWindow *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *entered = gtk_editable_get_text (GTK_EDITABLE (self->custom_row));

  uri = stok_params_parse_server (g_strstrip (text = g_strdup (entered)), &error);
  if (uri == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->custom_row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->custom_row), "error");
  g_clear_pointer (&text, g_free);
  text = stok_params_server_to_string (uri);
  gtk_editable_set_text (GTK_EDITABLE (self->custom_row), text);
  g_settings_set_string (self->settings, "custom-server", text);
  g_settings_set_string (self->settings, "region", "custom");
}

static void
custom_row_changed_cb (StokPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->custom_row), "error");
}

static void
stok_preferences_window_dispose (GObject *object)
{
  StokPreferencesWindow *self = (StokPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (stok_preferences_window_parent_class)->dispose (object);
}

static void
stok_preferences_window_finalize (GObject *object)
{
  StokPreferencesWindow *self = (StokPreferencesWindow *)object;

  g_clear_pointer (&self->server_override, g_free);

  G_OBJECT_CLASS (stok_preferences_window_parent_class)->finalize (object);
}

static void
stok_preferences_window_class_init (StokPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_preferences_window_dispose;
  object_class->finalize = stok_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StokPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, StokPreferencesWindow, custom_row);
  gtk_widget_class_bind_template_callback (widget_class, custom_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_row_changed_cb);
}

static void
stok_preferences_window_init (StokPreferencesWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) region = NULL;
  g_autofree char *custom = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  region = g_settings_create_action (self->settings, "region");
  g_action_map_add_action (G_ACTION_MAP (group), region);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (group));

  custom = g_settings_get_string (self->settings, "custom-server");
  gtk_editable_set_text (GTK_EDITABLE (self->custom_row), custom);
}

StokPreferencesWindow *
stok_preferences_window_new (GtkWindow  *parent,
                             const char *server_override)
{
  StokPreferencesWindow *self;

  self = g_object_new (STOK_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);

  self->server_override = g_strdup (server_override);
  if (server_override != NULL)
    {
      g_autofree char *description = NULL;

      /* Translators: %s is a server address */
      description = g_strdup_printf (_("This window uses %s, given with --server. The choice here applies to windows opened without it."),
                                     server_override);
      adw_preferences_group_set_description (self->server_group, description);
    }

  return self;
}
