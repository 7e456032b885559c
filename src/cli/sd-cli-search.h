/* sd-cli-search.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-cli.h"

G_BEGIN_DECLS

int sd_cli_search (const SdCliContext *ctx, int argc, char **argv);

G_END_DECLS
