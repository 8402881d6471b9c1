/* stok-source-group.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where the next session's audio comes from, bound to the session setup:
 * the microphone, an audio file or the built-in sample, one of three
 * linked toggles, and the row of the one chosen. The file is chosen with
 * GtkFileChooserNative, through the portal in the Flatpak, so the app
 * needs no access to the user's files. While a session captures the
 * microphone, and only then, its row shows the level, bound to the
 * session's source.
 *
 * The microphone's device is chosen in a menu of radio items, the
 * default input first. The devices are asked for each time the menu
 * opens, so that a headset plugged in since is there; asking loads
 * GStreamer, which nothing else does before a session starts, so it is
 * left until the user asks. Meanwhile the menu says it is looking, and
 * a device chosen before that is not found is kept, said not to be.
 *
 * The rows are an AdwActionRow's CSS nodes with a StokRowTitle for their
 * texts (see stok-row-title.c): the row shown at start-up had its
 * subtitle laid out some 60 times before the window's first frame. The
 * file's row works as an AdwActionRow with an activatable widget would:
 * a click anywhere on it goes to Choose. */

#define G_LOG_DOMAIN "stok-source-group"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-error.h"
#include "stok-level-meter.h"
#include "stok-row-title.h"
#include "stok-source-group.h"

/* How long the devices may take before the menu says it is looking. */
#define LOOKING_DELAY_MS 300

struct _StokSourceGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  GtkToggleButton     *microphone_button;
  GtkToggleButton     *file_button;
  GtkToggleButton     *sample_button;
  GtkWidget           *kind_box;
  StokLevelMeter      *level_meter;
  GtkListBoxRow       *file_row;
  GtkWidget           *choose_button;
  GtkMenuButton       *microphone_menu_button;
  GtkWidget           *microphone_row_title;
  GtkWidget           *microphone_row_subtitle;

  StokSessionSetup    *setup;
  GBinding            *kind_bindings[3];
  StokSession         *session;
  gulong               state_id;
  GBinding            *level_binding;
  GtkNativeDialog     *chooser;

  /* The microphone's menu, its radio action, and the devices last
   * listed (NULL until they are); an error instead, when listing failed. */
  GMenu               *microphone_menu;
  GMenu               *devices_section;
  GMenu               *status_section;
  GSimpleAction       *microphone_action;
  GListModel          *microphones;
  GError              *microphones_error;
  GCancellable        *listing;
  guint                looking_id;
  gulong               microphone_id;
};

G_DEFINE_FINAL_TYPE (StokSourceGroup, stok_source_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_SETUP,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* For the template's bindings. */

static gboolean
is_kind (gpointer            this_object,
         StokAudioSourceKind kind,
         int                 expected)
{
  return (int) kind == expected;
}

static char *
file_title (gpointer  this_object,
            GFile    *file)
{
  g_autofree char *name = NULL;

  if (file == NULL)
    return g_strdup (_("No file chosen"));

  name = g_file_get_basename (file);
  return g_filename_display_name (name);
}

static char *
file_subtitle (gpointer  this_object,
               GFile    *file)
{
  g_autoptr(GFile) parent = NULL;

  if (file == NULL)
    return g_strdup (_("Any audio file GStreamer reads, streamed in real time"));

  parent = g_file_get_parent (file);
  if (parent == NULL || !g_file_is_native (parent))
    return g_file_get_uri (file);

  return g_file_get_parse_name (parent);
}

/* A device set by hand in the settings may have no label: its name. */
static char *
microphone_title (gpointer    this_object,
                  const char *label,
                  const char *name)
{
  if (label != NULL && *label != '\0')
    return g_strdup (label);
  if (name != NULL && *name != '\0')
    return g_strdup (name);

  return g_strdup (_("Default microphone"));
}

static char *
microphone_subtitle (gpointer    this_object,
                     const char *name)
{
  if (name == NULL || *name == '\0')
    return g_strdup (_("The input chosen in the system’s sound settings"));

  /* The device's own name, as the sound server and pactl know it. */
  return g_strdup (name);
}

static StokMicrophone *
find_microphone (StokSourceGroup *self,
                 const char      *name)
{
  if (self->microphones == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (self->microphones); i++)
    {
      g_autoptr(StokMicrophone) microphone = g_list_model_get_item (self->microphones, i);

      if (g_strcmp0 (stok_microphone_get_name (microphone), name) == 0)
        return g_steal_pointer (&microphone);
    }

  return NULL;
}

static void
append_microphone (GMenu      *section,
                   const char *label,
                   const char *name)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "source.microphone", g_variant_new_string (name));
  g_menu_append_item (section, item);
}

static gboolean
same_attribute (GMenuModel *a,
                GMenuModel *b,
                guint       i,
                guint       j,
                const char *attribute)
{
  g_autoptr(GVariant) value_a = g_menu_model_get_item_attribute_value (a, i, attribute, NULL);
  g_autoptr(GVariant) value_b = g_menu_model_get_item_attribute_value (b, j, attribute, NULL);

  return value_a == NULL ? value_b == NULL : value_b != NULL && g_variant_equal (value_a, value_b);
}

static gboolean
same_item (GMenuModel *a,
           guint       i,
           GMenuModel *b,
           guint       j)
{
  return same_attribute (a, b, i, j, G_MENU_ATTRIBUTE_LABEL) &&
         same_attribute (a, b, i, j, G_MENU_ATTRIBUTE_TARGET);
}

/* Gives @section @wanted's items, changing only those that differ: a
 * menu open as the devices come keeps the items it had, the one the
 * keyboard is on among them, and gains or loses only the others. */
static void
set_items (GMenu      *section,
           GMenuModel *wanted)
{
  GMenuModel *model = G_MENU_MODEL (section);
  guint n_old = g_menu_model_get_n_items (model);
  guint n_new = g_menu_model_get_n_items (wanted);
  guint head = 0;
  guint tail = 0;

  while (head < n_old && head < n_new && same_item (model, head, wanted, head))
    head++;
  while (tail < n_old - head && tail < n_new - head &&
         same_item (model, n_old - 1 - tail, wanted, n_new - 1 - tail))
    tail++;

  for (guint i = n_old - tail; i > head; i--)
    g_menu_remove (section, i - 1);
  for (guint i = head; i < n_new - tail; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new_from_model (wanted, i);

      g_menu_insert_item (section, i, item);
    }
}

/* The menu: the default input, each device listed, the one chosen if it
 * was not, and what the listing is doing. */
static void
update_microphone_menu (StokSourceGroup *self)
{
  g_autoptr(GMenu) devices = g_menu_new ();
  g_autoptr(GMenu) status = g_menu_new ();
  g_autoptr(StokMicrophone) chosen = NULL;
  const char *name = self->setup != NULL ? stok_session_setup_get_microphone (self->setup) : "";
  const char *said = NULL;

  append_microphone (devices, _("Default microphone"), "");
  for (guint i = 0; self->microphones != NULL && i < g_list_model_get_n_items (self->microphones); i++)
    {
      g_autoptr(StokMicrophone) microphone = g_list_model_get_item (self->microphones, i);

      append_microphone (devices, stok_microphone_get_label (microphone), stok_microphone_get_name (microphone));
    }

  if (*name != '\0' && !(chosen = find_microphone (self, name)))
    {
      const char *label = stok_session_setup_get_microphone_label (self->setup);
      g_autofree char *not_found = NULL;

      if (*label == '\0')
        label = name;
      if (self->microphones != NULL)
        /* Translators: a device chosen earlier that the sound server no
         * longer has; %s is its name, such as "USB Headset" */
        label = not_found = g_strdup_printf (_("%s (not found)"), label);
      append_microphone (devices, label, name);
    }

  if (self->listing != NULL && self->looking_id == 0)
    said = _("Looking for devices…");
  else if (self->microphones_error != NULL)
    said = self->microphones_error->message;
  else if (self->microphones != NULL && g_list_model_get_n_items (self->microphones) == 0)
    said = _("No capture devices: is the sound server (PipeWire or PulseAudio) running?");

  if (said != NULL)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (said, NULL);

      /* An action that does not exist: shown, never enabled. */
      g_menu_item_set_detailed_action (item, "source.status");
      g_menu_append_item (status, item);
    }

  set_items (self->devices_section, G_MENU_MODEL (devices));
  set_items (self->status_section, G_MENU_MODEL (status));
}

static void
list_microphones_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(StokSourceGroup) self = user_data;
  g_autoptr(GListModel) microphones = NULL;
  g_autoptr(GError) error = NULL;

  microphones = stok_microphone_list_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->listing);
  g_clear_handle_id (&self->looking_id, g_source_remove);
  g_set_object (&self->microphones, microphones);
  g_clear_error (&self->microphones_error);
  self->microphones_error = g_steal_pointer (&error);
  update_microphone_menu (self);
}

static gboolean
looking_cb (gpointer user_data)
{
  StokSourceGroup *self = user_data;

  self->looking_id = 0;
  update_microphone_menu (self);

  return G_SOURCE_REMOVE;
}

/* The menu is about to open: ask for the devices there are now. The
 * sound server usually answers at once; only when it takes a while does
 * the menu say it is looking (a line that came and went at each opening
 * left GTK 4.8's popover its size on X11, a blank band under the items). */
static void
microphone_menu_popup_cb (GtkMenuButton *button,
                          gpointer       user_data)
{
  StokSourceGroup *self = user_data;

  g_assert (STOK_IS_SOURCE_GROUP (self));

  if (self->listing == NULL)
    {
      self->listing = g_cancellable_new ();
      self->looking_id = g_timeout_add (LOOKING_DELAY_MS, looking_cb, self);
      stok_microphone_list_async (self->listing, list_microphones_cb, g_object_ref (self));
    }
  update_microphone_menu (self);
}

static void
microphone_change_state_cb (GSimpleAction *action,
                            GVariant      *value,
                            gpointer       user_data)
{
  StokSourceGroup *self = user_data;
  const char *name = g_variant_get_string (value, NULL);
  g_autoptr(StokMicrophone) microphone = NULL;

  g_assert (STOK_IS_SOURCE_GROUP (self));

  if (self->setup == NULL)
    return;

  if (*name == '\0')
    stok_session_setup_choose_microphone (self->setup, NULL);
  else if ((microphone = find_microphone (self, name)))
    stok_session_setup_choose_microphone (self->setup, microphone);
  /* else the device chosen before, not found: it stays chosen. */
}

static void
setup_microphone_cb (StokSourceGroup *self)
{
  g_assert (STOK_IS_SOURCE_GROUP (self));

  g_simple_action_set_state (self->microphone_action,
                             g_variant_new_string (stok_session_setup_get_microphone (self->setup)));
  update_microphone_menu (self);
}

/* A toggle stands for one kind of source: active when the setup has it,
 * and choosing it sets it. */
static gboolean
kind_to_active (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_enum (from) == GPOINTER_TO_INT (user_data));
  return TRUE;
}

static gboolean
active_to_kind (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  /* Un-toggled because another was chosen: that one says the kind. */
  if (!g_value_get_boolean (from))
    return FALSE;

  g_value_set_enum (to, GPOINTER_TO_INT (user_data));
  return TRUE;
}

static void
chooser_response_cb (StokSourceGroup *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  g_assert (STOK_IS_SOURCE_GROUP (self));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (response == GTK_RESPONSE_ACCEPT && self->setup != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        stok_session_setup_choose_file (self->setup, file);
    }
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_clear_object (&self->chooser);
}

static void
choose_clicked_cb (StokSourceGroup *self)
{
  g_autoptr(GtkFileFilter) audio = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_assert (STOK_IS_SOURCE_GROUP (self));

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (self->chooser);
      return;
    }

  gtk_file_filter_set_name (audio, _("Audio Files"));
  gtk_file_filter_add_mime_type (audio, "audio/*");
  gtk_file_filter_add_mime_type (audio, "video/*");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");

  /* Native, so that the Flatpak asks the portal: the app sees only the
   * file picked. Deprecated in GTK 4.10 for GtkFileDialog, which 4.8
   * does not have. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Choose an Audio File"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                  _("_Choose"), _("_Cancel")));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), audio);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  if (self->setup != NULL && stok_session_setup_get_file (self->setup) != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser),
                               stok_session_setup_get_file (self->setup), NULL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_dialog_set_modal (self->chooser, TRUE);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

/* The meter shows the microphone while it captures, and goes once the
 * session has ended. */
static void
session_state_cb (StokSourceGroup *self)
{
  g_assert (STOK_IS_SOURCE_GROUP (self));

  if (stok_session_get_state (self->session) != STOK_SESSION_STATE_ENDED)
    return;

  g_clear_pointer (&self->level_binding, g_binding_unbind);
  stok_level_meter_set_level (self->level_meter, STOK_LEVEL_METER_FLOOR);
  gtk_widget_set_visible (GTK_WIDGET (self->level_meter), FALSE);
}

static void
row_activated_cb (StokSourceGroup *self,
                  GtkListBoxRow   *row)
{
  g_assert (STOK_IS_SOURCE_GROUP (self));

  if (row == self->file_row)
    gtk_widget_mnemonic_activate (self->choose_button, FALSE);
}

static void
stok_source_group_dispose (GObject *object)
{
  StokSourceGroup *self = (StokSourceGroup *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  g_clear_handle_id (&self->looking_id, g_source_remove);
  stok_source_group_set_session (self, NULL);
  stok_source_group_set_setup (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_SOURCE_GROUP);
  g_clear_object (&self->microphone_menu);
  g_clear_object (&self->devices_section);
  g_clear_object (&self->status_section);
  g_clear_object (&self->microphone_action);
  g_clear_object (&self->microphones);
  g_clear_error (&self->microphones_error);

  G_OBJECT_CLASS (stok_source_group_parent_class)->dispose (object);
}

static void
stok_source_group_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokSourceGroup *self = STOK_SOURCE_GROUP (object);

  switch (prop_id)
    {
    case PROP_SETUP:
      g_value_set_object (value, self->setup);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_source_group_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokSourceGroup *self = STOK_SOURCE_GROUP (object);

  switch (prop_id)
    {
    case PROP_SETUP:
      stok_source_group_set_setup (self, g_value_get_object (value));
      break;

    case PROP_SESSION:
      stok_source_group_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_source_group_class_init (StokSourceGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_source_group_dispose;
  object_class->get_property = stok_source_group_get_property;
  object_class->set_property = stok_source_group_set_property;

  properties[PROP_SETUP] =
    g_param_spec_object ("setup", NULL, NULL,
                         STOK_TYPE_SESSION_SETUP,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSourceGroup:session:
   *
   * The session shown, whose microphone's level the group shows while
   * it captures.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         STOK_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STOK_TYPE_LEVEL_METER);
  g_type_ensure (STOK_TYPE_ROW_TITLE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-source-group.ui");
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, microphone_button);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, file_button);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, sample_button);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, kind_box);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, level_meter);
  gtk_widget_class_bind_template_child_full (widget_class, "microphone_row", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, file_row);
  gtk_widget_class_bind_template_child_full (widget_class, "sample_row", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, choose_button);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, microphone_menu_button);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, microphone_row_title);
  gtk_widget_class_bind_template_child (widget_class, StokSourceGroup, microphone_row_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, is_kind);
  gtk_widget_class_bind_template_callback (widget_class, file_title);
  gtk_widget_class_bind_template_callback (widget_class, file_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, microphone_title);
  gtk_widget_class_bind_template_callback (widget_class, microphone_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
}

static void
stok_source_group_init (StokSourceGroup *self)
{
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  GtkWidget *toggle;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->microphone_action = g_simple_action_new_stateful ("microphone", G_VARIANT_TYPE_STRING,
                                                          g_variant_new_string (""));
  g_signal_connect_object (self->microphone_action, "change-state",
                           G_CALLBACK (microphone_change_state_cb), self, 0);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (self->microphone_action));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "source", G_ACTION_GROUP (actions));

  self->microphone_menu = g_menu_new ();
  self->devices_section = g_menu_new ();
  self->status_section = g_menu_new ();
  g_menu_append_section (self->microphone_menu, NULL, G_MENU_MODEL (self->devices_section));
  g_menu_append_section (self->microphone_menu, NULL, G_MENU_MODEL (self->status_section));
  update_microphone_menu (self);
  gtk_menu_button_set_menu_model (self->microphone_menu_button, G_MENU_MODEL (self->microphone_menu));
  gtk_menu_button_set_create_popup_func (self->microphone_menu_button, microphone_menu_popup_cb, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_menu_button_get_popover (self->microphone_menu_button)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Capture Devices"),
                                  -1);
  /* The toggle inside GTK 4.8's menu button is what takes the focus, and
   * a screen reader read it as "Choose…" alone: it is described by the
   * device chosen, as the row is. */
  toggle = gtk_widget_get_first_child (GTK_WIDGET (self->microphone_menu_button));
  if (GTK_IS_ACCESSIBLE (toggle))
    gtk_accessible_update_relation (GTK_ACCESSIBLE (toggle),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                    self->microphone_row_title, self->microphone_row_subtitle, NULL,
                                    -1);

  /* The rows sit in the group's list. */
  g_signal_connect_object (gtk_widget_get_parent (GTK_WIDGET (self->file_row)), "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
stok_source_group_new (void)
{
  return g_object_new (STOK_TYPE_SOURCE_GROUP, NULL);
}

/**
 * stok_source_group_get_setup:
 * @self: a #StokSourceGroup
 *
 * Returns: (transfer none) (nullable): the setup whose source is shown
 */
StokSessionSetup *
stok_source_group_get_setup (StokSourceGroup *self)
{
  g_return_val_if_fail (STOK_IS_SOURCE_GROUP (self), NULL);

  return self->setup;
}

void
stok_source_group_set_setup (StokSourceGroup  *self,
                             StokSessionSetup *setup)
{
  GtkToggleButton *buttons[] = { self->file_button, self->microphone_button, self->sample_button };
  StokAudioSourceKind kinds[] = { STOK_AUDIO_SOURCE_FILE, STOK_AUDIO_SOURCE_MICROPHONE, STOK_AUDIO_SOURCE_SAMPLE };

  g_return_if_fail (STOK_IS_SOURCE_GROUP (self));
  g_return_if_fail (!setup || STOK_IS_SESSION_SETUP (setup));

  if (self->setup == setup)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->kind_bindings); i++)
    g_clear_pointer (&self->kind_bindings[i], g_binding_unbind);
  if (self->setup != NULL)
    g_clear_signal_handler (&self->microphone_id, self->setup);
  g_set_object (&self->setup, setup);

  if (setup != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
      self->kind_bindings[i] =
        g_object_bind_property_full (setup, "source-kind", buttons[i], "active",
                                     G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                     kind_to_active, active_to_kind,
                                     GINT_TO_POINTER (kinds[i]), NULL);
  if (setup != NULL)
    {
      self->microphone_id = g_signal_connect_object (setup, "notify::microphone",
                                                     G_CALLBACK (setup_microphone_cb),
                                                     self, G_CONNECT_SWAPPED);
      setup_microphone_cb (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETUP]);
}

/**
 * stok_source_group_get_session:
 * @self: a #StokSourceGroup
 *
 * Returns: (transfer none) (nullable): the session shown
 */
StokSession *
stok_source_group_get_session (StokSourceGroup *self)
{
  g_return_val_if_fail (STOK_IS_SOURCE_GROUP (self), NULL);

  return self->session;
}

void
stok_source_group_set_session (StokSourceGroup *self,
                               StokSession     *session)
{
  StokAudioSource *source;

  g_return_if_fail (STOK_IS_SOURCE_GROUP (self));
  g_return_if_fail (!session || STOK_IS_SESSION (session));

  if (self->session == session)
    return;

  g_clear_pointer (&self->level_binding, g_binding_unbind);
  if (self->session != NULL)
    g_clear_signal_handler (&self->state_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    self->state_id = g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb),
                                              self, G_CONNECT_SWAPPED);

  source = session != NULL && stok_session_get_state (session) != STOK_SESSION_STATE_ENDED
           ? stok_session_get_source (session) : NULL;
  if (source != NULL && stok_audio_source_get_kind (source) == STOK_AUDIO_SOURCE_MICROPHONE)
    self->level_binding = g_object_bind_property (source, "level", self->level_meter, "level",
                                                  G_BINDING_SYNC_CREATE);
  else
    stok_level_meter_set_level (self->level_meter, STOK_LEVEL_METER_FLOOR);
  /* Only while it captures: idle, an empty bar said nothing, and took
   * the row's text half its room in a narrow window. */
  gtk_widget_set_visible (GTK_WIDGET (self->level_meter), self->level_binding != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * stok_source_group_set_narrow:
 * @self: a #StokSourceGroup
 * @narrow: whether it is in a narrow window's one column
 *
 * In a narrow window the three sources take the header's whole width,
 * without the group's title beside them, which had only a few letters
 * left ("Sour…", "Qu…"). The buttons say what they are; the box keeps
 * its accessible name.
 */
void
stok_source_group_set_narrow (StokSourceGroup *self,
                              gboolean         narrow)
{
  g_return_if_fail (STOK_IS_SOURCE_GROUP (self));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), narrow ? "" : _("Source"));
  /* Not homogeneous: three buttons as wide as "Microphone" would make
   * the window wider than 360 px. */
  gtk_widget_set_hexpand (self->kind_box, narrow);
}
