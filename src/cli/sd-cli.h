/* sd-cli.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "sd-collection.h"

G_BEGIN_DECLS

/* What every subcommand gets: its own arguments (argv[0] is the subcommand
 * name) and the collection path chosen with --collection. */
typedef struct
{
  const char *collection_path;
} SdCliContext;

SdCollection *sd_cli_open_collection (const SdCliContext  *ctx,
                                      GError             **error);
void          sd_cli_print_json      (JsonNode            *node);
int           sd_cli_fail            (const GError        *error);
int           sd_cli_usage_error     (const char          *format,
                                      ...) G_GNUC_PRINTF (1, 2);
gboolean      sd_cli_parse_options   (GOptionContext      *context,
                                      int                 *argc,
                                      char              ***argv);

int sd_cli_info  (const SdCliContext *ctx, int argc, char **argv);
int sd_cli_notes (const SdCliContext *ctx, int argc, char **argv);

G_END_DECLS
