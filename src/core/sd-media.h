/* sd-media.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

gboolean   sd_media_check_name (const char     *name,
                                GError        **error);
char      *sd_media_add_bytes  (SdCollection   *collection,
                                const char     *name,
                                GBytes         *data,
                                gboolean       *created,
                                GError        **error);
char      *sd_media_add_file   (SdCollection   *collection,
                                const char     *path,
                                GError        **error);
char      *sd_media_get_path   (SdCollection   *collection,
                                const char     *name);
gboolean   sd_media_remove     (SdCollection   *collection,
                                const char     *name,
                                GError        **error);
GStrv      sd_media_list       (SdCollection   *collection,
                                GError        **error);

G_END_DECLS
