/* stok-failure-cases.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-raw-server.h"
#include "stok-tls-server.h"

G_BEGIN_DECLS

/* The key every failure case sends, and which no message may show. */
#define STOK_FAILURE_KEY "sk-failures-0123456789"

/* The servers a case can point the request at: the fake token server, a
 * second one that must never be reached, a raw server that misbehaves
 * below HTTP, and a TLS server with a self-signed certificate. */
typedef struct
{
  StokFakeServer *server;
  StokFakeServer *elsewhere;
  StokRawServer  *raw;
  StokTlsServer  *tls;
  /* The server to ask, as the user would give it. */
  char           *url;
  guint           elsewhere_requests;
} StokFailureServers;

typedef enum
{
  STOK_FAILURE_FAST,
  /* The command line waits its own 30 s for these. */
  STOK_FAILURE_SLOW_SILENT,
  STOK_FAILURE_SLOW_TRICKLE,
} StokFailureSpeed;

typedef struct
{
  /* Below /failures/ and /window-failures/. */
  const char       *name;
  /* Points servers->url at a server that fails in one way; FALSE when
   * the case cannot run here, and was skipped. */
  gboolean        (*arrange) (StokFailureServers *servers);
  StokErrorCode     code;
  /* In the message the client gives, and so in the command line's line
   * and the window's error. */
  const char       *fragment;
  /* What the servers saw, whoever asked; or NULL. */
  void            (*check)   (StokFailureServers *servers);
  /* The client's time limit for the case, in seconds, or 0. */
  guint             timeout;
  StokFailureSpeed  speed;
} StokFailureCase;

extern const StokFailureCase stok_failure_cases[];
extern const guint stok_n_failure_cases;

void  stok_failure_servers_set_up    (StokFailureServers *servers);
void  stok_failure_servers_tear_down (StokFailureServers *servers);

/* For the command line's slow runs, each on a raw server of its own. */
void  stok_failure_arrange_silent    (StokRawServer      *raw);
void  stok_failure_arrange_trickle   (StokRawServer      *raw);

G_END_DECLS
