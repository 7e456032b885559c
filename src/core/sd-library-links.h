/* sd-library-links.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

char *sd_library_resolve_link (SdCollection *collection,
                               const char   *from_path,
                               const char   *target,
                               gboolean      wikilink);

G_END_DECLS
