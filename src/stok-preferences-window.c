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
  GtkLabel             *custom_problem_label;

  GSettings            *settings;
  GSimpleAction        *region_action;
  char                 *server_override;
};

G_DEFINE_FINAL_TYPE (StokPreferencesWindow, stok_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/**
 * stok_settings_dup_server:
 * @settings: the application's #GSettings
 * @error: where to say why the custom server cannot be used
 *
 * Returns: (transfer full) (nullable): the server the region setting
 *   names; see stok_params_server_for_region()
 */
char *
stok_settings_dup_server (GSettings  *settings,
                          GError    **error)
{
  g_autofree char *region = g_settings_get_string (settings, "region");
  g_autofree char *custom = g_settings_get_string (settings, "custom-server");

  return stok_params_server_for_region (region, custom, error);
}

static void
show_custom_problem (StokPreferencesWindow *self,
                     const char            *problem)
{
  gtk_label_set_label (self->custom_problem_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_problem_label), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->custom_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->custom_row), "error");
}

/* Saves the address typed, if it can be used, and chooses it: an address
 * that cannot be used is never saved nor chosen, and the reason shows,
 * whole, under it. */
static gboolean
use_typed_server (StokPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;

  server = stok_params_server_for_region ("custom", gtk_editable_get_text (GTK_EDITABLE (self->custom_row)), &error);
  if (server == NULL)
    {
      show_custom_problem (self, error->message);
      return FALSE;
    }

  show_custom_problem (self, NULL);
  /* The address as it is used, written back: not a change to apply
   * again, which the row would otherwise offer. */
  adw_entry_row_set_show_apply_button (self->custom_row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->custom_row), server);
  adw_entry_row_set_show_apply_button (self->custom_row, TRUE);
  g_settings_set_string (self->settings, "custom-server", server);
  g_settings_set_string (self->settings, "region", "custom");

  return TRUE;
}

static void
custom_row_apply_cb (StokPreferencesWindow *self)
{
  g_assert (STOK_IS_PREFERENCES_WINDOW (self));

  use_typed_server (self);
}

static void
custom_row_changed_cb (StokPreferencesWindow *self)
{
  g_assert (STOK_IS_PREFERENCES_WINDOW (self));

  /* Being fixed: no longer marked wrong, and the reason stays in view
   * until the next try. */
  gtk_widget_remove_css_class (GTK_WIDGET (self->custom_row), "error");
}

/* A region's check button was chosen. The custom server is chosen only
 * with an address that can be used: the one typed, which is then saved. */
static void
region_change_state_cb (GSimpleAction *action,
                        GVariant      *value,
                        gpointer       user_data)
{
  StokPreferencesWindow *self = user_data;
  const char *region = g_variant_get_string (value, NULL);

  g_assert (STOK_IS_PREFERENCES_WINDOW (self));

  if (g_strcmp0 (region, "custom") != 0)
    {
      g_settings_set_string (self->settings, "region", region);
      return;
    }

  /* Otherwise the state stays, and so does the check button of the
   * region still in use; the user is taken to the address. */
  if (!use_typed_server (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->custom_row));
}

static void
region_changed_cb (StokPreferencesWindow *self)
{
  g_autofree char *region = g_settings_get_string (self->settings, "region");

  g_assert (STOK_IS_PREFERENCES_WINDOW (self));

  g_simple_action_set_state (self->region_action, g_variant_new_string (region));
}

static void
stok_preferences_window_dispose (GObject *object)
{
  StokPreferencesWindow *self = (StokPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->region_action);

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
  /* A dialog: Escape closes it, as Ctrl+W does a window. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_bind_template_child (widget_class, StokPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, StokPreferencesWindow, custom_row);
  gtk_widget_class_bind_template_child (widget_class, StokPreferencesWindow, custom_problem_label);
  gtk_widget_class_bind_template_child_full (widget_class, "default_check", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "custom_check", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, custom_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_row_changed_cb);
}

static void
stok_preferences_window_init (StokPreferencesWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  g_autofree char *custom = NULL;
  g_autofree char *server = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  region = g_settings_get_string (self->settings, "region");
  self->region_action = g_simple_action_new_stateful ("region", G_VARIANT_TYPE_STRING,
                                                      g_variant_new_string (region));
  g_signal_connect_object (self->region_action, "change-state",
                           G_CALLBACK (region_change_state_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::region",
                           G_CALLBACK (region_changed_cb), self, G_CONNECT_SWAPPED);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (self->region_action));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (group));

  custom = g_settings_get_string (self->settings, "custom-server");
  gtk_editable_set_text (GTK_EDITABLE (self->custom_row), custom);

  /* A custom server saved before it was checked here, and unusable. */
  server = stok_settings_dup_server (self->settings, &error);
  if (server == NULL)
    show_custom_problem (self, error->message);
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
