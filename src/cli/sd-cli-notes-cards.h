/* sd-cli-notes-cards.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `studydeck-cli notes cards FILE [--json]`: the cards written in one note,
 * as the parser reads them, without changing the collection. argv[0] is
 * "cards"; @collection_path is %NULL when --collection was not given. */
int sd_cli_notes_cards (const char  *collection_path,
                        int          argc,
                        char       **argv);

G_END_DECLS
