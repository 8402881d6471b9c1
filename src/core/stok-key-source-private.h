/* stok-key-source-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokKeySource spans two files: stok-key-source.c holds the key and its
 * state, stok-key-source-keyring.c what goes to and from the keyring.
 * This is what they share. */

#pragma once

#include "stok-key-source.h"

G_BEGIN_DECLS

struct _StokKeySource
{
  GObject parent_instance;

  StokKeyStore *store;
  char *key;
  char *env_key;
  char *stored_key;
  char *problem;
  /* What the problem is made of: what failed, and why, as a sentence. */
  char *problem_what;
  char *problem_why;

  /* What Forget took away, until Undo puts it back or a new key comes. */
  char *forgotten_key;
  char *forgotten_env_key;
  char *forgotten_stored_key;

  guint looking_up : 1;
  guint saving : 1;
  /* ASSEMBLYAI_API_KEY was set, to nothing but spaces, at the last load. */
  guint env_blank : 1;
};

enum
{
  PROP_0,
  PROP_KEY,
  PROP_ORIGIN,
  PROP_SAVED,
  PROP_HAS_STORED_KEY,
  PROP_LOOKING_UP,
  PROP_SAVING,
  PROP_PROBLEM,
  PROP_CAN_UNDO_FORGET,
  N_PROPS
};

void _stok_key_source_notify           (StokKeySource  *self,
                                        guint           prop_id);
void _stok_key_source_clear_secret     (char          **secret);
void _stok_key_source_set_secret       (char          **secret,
                                        const char     *value);
void _stok_key_source_notify_state     (StokKeySource  *self);
void _stok_key_source_set_problem      (StokKeySource  *self,
                                        const char     *what,
                                        const GError   *error);
void _stok_key_source_set_stored_key   (StokKeySource  *self,
                                        const char     *stored_key);
void _stok_key_source_forget_forgotten (StokKeySource  *self);

G_END_DECLS
